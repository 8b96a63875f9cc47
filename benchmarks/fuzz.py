"""The on-demand fuzz run of issue 17: mutated author files and random trainee turns.

    python benchmarks/fuzz.py                       # 5,000 files and 10,000 turns
    python benchmarks/fuzz.py --files 200 --turns 500 --seed 7

Every case runs in a forked child with an address-space limit (--memory, default 1 GiB)
and a time limit (--timeout, default 10 s of CPU time, so that waiting for a core on a shared
machine is not counted as slowness; a child that gets no answer out for --wall seconds of wall
time, default 120, is a hang too: that catches a blocked read, which uses no CPU). A case fails when a Python traceback reaches
the user, a rejected file has no located message, output carries raw control
characters, the child hangs or dies, or it needs more memory than the limit. Prints a
Markdown section for benchmarks/RESULTS.md and every failure with the seed that makes it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Thousands of mutated files must not each leave an entry in the user's cache of checked files.
os.environ.setdefault("PEERSIM_CACHE_DIR", "off")
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fuzzing import COMMANDS, file_case, isolated, lexicon_case, mutate, trainee_turn, turns_case  # noqa: E402
from machine import machine_line  # noqa: E402

from simulator.scenario.loader import shipped_persona_paths, resolve_tree  # noqa: E402
from simulator.moves.rules import LEXICON  # noqa: E402


def sources() -> list[tuple[str, str, str]]:
    out = []
    for persona in shipped_persona_paths():
        import yaml

        tree_ref = yaml.safe_load(persona.read_text(encoding="utf-8"))["tree"]
        tree = resolve_tree(tree_ref, persona)
        test = persona.with_name(persona.stem + ".test.yaml")
        out.append((persona.read_text(encoding="utf-8"), tree.read_text(encoding="utf-8"),
                    test.read_text(encoding="utf-8") if test.exists() else "tests: []\n"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--turns", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--timeout", type=float, default=10.0, help="CPU seconds a case may use")
    ap.add_argument("--wall", type=float, default=120.0, help="wall seconds before a case counts as blocked")
    ap.add_argument("--start", type=int, default=0, help="first file case (to go on from a run cut short)")
    ap.add_argument("--only", type=int, default=None, help="run file case I alone (to reproduce a failure)")
    ap.add_argument("--memory", type=int, default=1 << 30, help="bytes of address space per case")
    ap.add_argument("--shard", default="0/1", help="K/N: run only cases K, K+N, K+2N... (run N at once on N cores)")
    args = ap.parse_args()
    shard, shards = (int(x) for x in args.shard.split("/"))

    started = time.time()
    pool = sources()
    lexicon = LEXICON.read_text(encoding="utf-8")
    failures: list[tuple[str, str]] = []
    kinds: Counter = Counter()
    slowest, peak = 0.0, 0
    per_case = 200
    with tempfile.TemporaryDirectory() as tmp:
        cases = [args.only] if args.only is not None else range(args.start + shard, args.files, shards)
        for done, i in enumerate(cases, 1):
            rng = random.Random(f"{args.seed}:file:{i}")
            persona, tree, test = rng.choice(pool)
            what = rng.choice(["persona", "tree", "playtest", "lexicon", "persona+tree"])
            kinds[what] += 1
            persona = mutate(persona, rng) if "persona" in what else persona.replace("tree: ", "tree: ", 1)
            # The persona names the mutated tree file beside it.
            persona = _point_at_fuzztree(persona)
            tree = mutate(tree, rng) if "tree" in what else tree
            test = mutate(test, rng) if what == "playtest" else test
            folder = Path(tmp) / f"f{i}"
            if what == "lexicon":
                fails, secs, mem = isolated(lexicon_case, folder, mutate(lexicon, rng), timeout=args.wall,
                                            memory=args.memory, cpu=args.timeout)
            else:
                # validate always; two more commands of the rest, in turn, so every command meets
                # every kind of file over the run.
                others = [c for c in COMMANDS if c != "validate"]
                chosen = ("validate", others[i % len(others)], others[(i // len(others) + i + 1) % len(others)])
                fails, secs, mem = isolated(file_case, folder, persona, tree, test, chosen, timeout=args.wall,
                                            memory=args.memory, cpu=args.timeout)
            slowest, peak = max(slowest, secs), max(peak, mem)
            failures += [(f"file {i} ({what}, seed {args.seed})", f) for f in fails]
            for f in fails:
                print(f"file {i} ({what}): {f}", file=sys.stderr, flush=True)
            if args.only is not None:
                print(f"file {i} ({what}): {secs:.2f} s of CPU, {mem / 2**20:.0f} MiB, {fails or 'no failure'}")
                return
            if done % 250 == 0:
                print(f"... {done} files in this shard, {len(failures)} failures", file=sys.stderr, flush=True)
        personas = [str(p) for p in shipped_persona_paths()]
        turn_slowest = 0.0
        for c in range(shard * per_case, args.turns, per_case * shards):
            rng = random.Random(f"{args.seed}:turns:{c}")
            turns = [trainee_turn(rng) for _ in range(min(per_case, args.turns - c))]
            folder = Path(tmp) / f"t{c}"
            fails, secs, mem = isolated(turns_case, folder, rng.choice(personas), turns, timeout=args.wall * 6,
                                        memory=args.memory, cpu=args.timeout * 6)
            turn_slowest, peak = max(turn_slowest, secs), max(peak, mem)
            failures += [(f"turns {c}-{c + len(turns) - 1} (seed {args.seed})", f) for f in fails]
            for f in fails:
                print(f"turns {c}: {f}", file=sys.stderr, flush=True)

    counts = Counter(f.split(":", 1)[0].split(" ")[0] for _, f in failures)
    tracebacks = sum(1 for _, f in failures if "traceback" in f)
    hangs = sum(1 for _, f in failures if f.startswith("hang"))
    memory = sum(1 for _, f in failures if f.startswith(("memory", "crash")))
    start = f" --start {args.start}" if args.start else ""
    print(f"## Fuzzing (issue 17)\n\nMachine: {machine_line()}\n\nCommand: `python benchmarks/fuzz.py --files {args.files} "
          f"--turns {args.turns} --seed {args.seed} --shard {args.shard}{start}`. Times are CPU seconds of the case; {time.time() - started:.0f} s in all.\n")
    print("| what | result |\n|---|---|")
    n_files = sum(kinds.values())
    n_turns = len(range(shard * per_case, args.turns, per_case * shards)) * per_case
    print(f"| mutated files (persona, tree, play-test, lexicon: {dict(kinds)}) | {n_files:,} |")
    print(f"| trainee turns (engine, then `talk` and every export format) | {min(n_turns, args.turns):,} |")
    print(f"| Python tracebacks reaching the user | {tracebacks} |")
    print(f"| hangs: a file case over {args.timeout:.0f} s of CPU (a {per_case}-turn case over "
          f"{args.timeout * 6:.0f} s), or no answer after {args.wall:.0f} s of wall time | {hangs} |")
    print(f"| cases over the {args.memory / 2**30:.0f} GiB memory limit, or crashed | {memory} |")
    print(f"| other failures (unlocated messages, control characters) | {len(failures) - tracebacks - hangs - memory} |")
    print(f"| slowest file case (all its commands) / slowest {per_case}-turn case | {slowest:.1f} s / "
          f"{turn_slowest:.1f} s |")
    print(f"| peak memory of any case | {peak / 2**20:.0f} MiB |")
    if failures:
        print("\nFailures:\n")
        for where, f in failures[:200]:
            print(f"- {where}: {f}")
        print(f"\n({sum(counts.values())} in all: {dict(counts)})")


def _point_at_fuzztree(persona: str) -> str:
    import re

    return re.sub(r"(?m)^tree:.*$", "tree: fuzztree", persona, count=1)


if __name__ == "__main__":
    main()
