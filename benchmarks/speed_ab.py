"""recognize() against another checkout of the code, in the same run: speed, and whether
every reading is the same.

    python benchmarks/speed_ab.py --before OLD            # p50/p99, this checkout and OLD, interleaved
    python benchmarks/speed_ab.py --before OLD --same     # are all readings identical? (counts only)
    python benchmarks/speed_ab.py                         # this checkout alone

OLD is a folder holding another `simulator/` (for instance
`mkdir OLD && git archive COMMIT simulator | tar -x -C OLD`). Each side runs in a fresh
process with PYTHONPATH pointing at its code, the sides alternate (`--rounds` times), so
both see the same load on a shared machine; the ratio after / before is the figure to
quote.

Timing: the first 2,000 held-out and register items (tests/data/heldout, tools/corpus/registers),
each read as new (the recogniser's piece memo and the tidying cache emptied before every
turn; the words' memos stay warm, as in a session). Wall time and the thread's CPU time
are both given: on a busy machine the wall time's tail is mostly waiting for a core. `--esconv` times ESConv's test turns
instead (../shared/data/esconv, read to measure only).

`--classify` times one `peersim classify` call per side instead (start-up included, default
worker processes), over every distinct ESConv supporter turn (train, valid and test: 17,331
lines), as `bench_harm.py --speed` does; the lines go to a temporary file only.

`--same` compares, item by item, `Reading.to_dict()` and `explain()` of every span for
every held-out, register and corpus item (and ESConv's supporter turns when present), and
prints only how many differ per source: the held-out items are never shown.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def _jsonl_texts(pattern: str) -> list[str]:
    out = []
    for path in sorted(ROOT.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


def _esconv(splits=("test",)) -> list[str]:
    sys.path.insert(0, str(HERE))
    from esconv_to_jsonl import DEFAULT_SRC, supporter_turns

    out = []
    for name in splits:
        path = DEFAULT_SRC.with_name(name + ".json")
        if path.exists():
            out += [r["text"] for r in supporter_turns(path)]
    return out


def sources() -> dict[str, list[str]]:
    return {"heldout": _jsonl_texts("tests/data/heldout/*.jsonl"),
            "registers": _jsonl_texts("tools/corpus/registers/*.jsonl"),
            "corpus": _jsonl_texts("tools/corpus/moves.jsonl"),
            "esconv": _esconv(("valid", "test"))}


def timing_texts(esconv: bool) -> list[str]:
    if esconv:
        return _esconv(("test",))
    s = sources()
    return (s["heldout"] + s["registers"])[:2000]


# ------------------------------------------------------------------ in the worker process
def _fresh(rec) -> None:
    rec._memo.clear()
    from simulator.moves import segment

    clear = getattr(segment.normalise, "cache_clear", None)
    if clear:
        clear()


def work_time(esconv: bool) -> dict:
    from simulator.moves.recognizer import Recognizer

    texts = timing_texts(esconv)
    rec = Recognizer()
    for t in texts[:200]:      # load the lexicon and models, warm the words' memos
        rec.recognize(t)
    times, cpu = [], []
    for t in texts:
        _fresh(rec)
        began, began_cpu = time.perf_counter(), time.thread_time()
        rec.recognize(t)
        cpu.append(time.thread_time() - began_cpu)
        times.append(time.perf_counter() - began)
    times.sort()
    cpu.sort()
    n = len(times)
    return {"p50_ms": times[n // 2] * 1e3, "p99_ms": times[int(n * 0.99)] * 1e3,
            "mean_ms": sum(times) / n * 1e3, "turns": n,
            "cpu_p50_ms": cpu[n // 2] * 1e3, "cpu_p99_ms": cpu[int(n * 0.99)] * 1e3}


def work_digests() -> dict[str, list[str]]:
    from simulator.moves import explain
    from simulator.moves.recognizer import Recognizer

    rec = Recognizer()
    out = {}
    for name, texts in sources().items():
        digests = []
        for t in texts:
            r = rec.recognize(t)
            blob = json.dumps([r.to_dict(), [explain(m, r) for m in r.moves]], sort_keys=True)
            digests.append(hashlib.sha1(blob.encode("utf-8", "surrogatepass")).hexdigest())
        out[name] = digests
    return out


# ------------------------------------------------------------------ the parent
def _run(code: Path | None, *args: str) -> dict:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    else:
        env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, __file__, "--worker", *args], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def classify_ab(before: Path | None, rounds: int) -> int:
    import tempfile

    lines = list(dict.fromkeys(_esconv(("test", "valid", "train"))))
    lines = [" ".join(t.split()) for t in lines]      # one turn per line
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)      # as a user runs it (see bench_moves.classify_throughput)
    env.pop("PYTHONPATH", None)
    sides = [("after", ROOT)] + ([("before", before)] if before else [])
    got: dict[str, list[float]] = {name: [] for name, _ in sides}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        for _ in range(rounds):
            for name, code in sides:
                with open(fh.name, encoding="utf-8") as stdin:
                    began = time.perf_counter()
                    out = subprocess.run([sys.executable, "-m", "simulator", "classify"], stdin=stdin, cwd=code,
                                         env=env, check=True, stdout=subprocess.PIPE).stdout
                    got[name].append(len(lines) / (time.perf_counter() - began))
                assert out.count(b"\n") == len(lines)
    for name, runs in got.items():
        print(f"{name}: " + ", ".join(f"{x:,.0f}" for x in runs) + f" lines/s ({len(lines):,} lines, one call each)")
    if before:
        print("after / before: " + ", ".join(f"{a / b:.2f}" for a, b in zip(got["after"], got["before"])))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a folder holding the other simulator/ to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--esconv", action="store_true", help="time ESConv's test turns instead")
    parser.add_argument("--same", action="store_true", help="compare every reading instead of timing")
    parser.add_argument("--classify", action="store_true", help="time one peersim classify call per side instead")
    parser.add_argument("--worker", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        import simulator

        job = args.worker[0]
        result = work_digests() if job == "digests" else work_time(job == "esconv")
        print(json.dumps({"code": str(Path(simulator.__file__).parent.parent), "result": result}))
        return 0
    sys.path.insert(0, str(HERE))
    from machine import machine_line  # noqa: E402

    print(machine_line())
    if args.same:
        if args.before is None:
            parser.error("--same needs --before")
        old, new = _run(args.before, "digests"), _run(None, "digests")
        print(f"before: {old['code']}; after: {new['code']}")
        for name, digests in new["result"].items():
            before = old["result"].get(name, [])
            differ = sum(a != b for a, b in zip(before, digests)) + abs(len(before) - len(digests))
            print(f"{name}: {len(digests)} items, {differ} read differently")
        return 0
    if args.classify:
        return classify_ab(args.before, args.rounds)
    job = "esconv" if args.esconv else "items"
    sides = [("after", None)] + ([("before", args.before)] if args.before else [])
    got: dict[str, list[dict]] = {name: [] for name, _ in sides}
    for _ in range(args.rounds):
        for name, code in sides:
            got[name].append(_run(code, job)["result"])
    for name, runs in got.items():
        print(f"{name}: " + "; ".join(f"p50 {r['p50_ms']:.3f} ms p99 {r['p99_ms']:.3f} ms mean {r['mean_ms']:.3f} ms"
                                      f" (CPU p50 {r['cpu_p50_ms']:.3f} p99 {r['cpu_p99_ms']:.3f})"
                                      for r in runs) + f" ({runs[0]['turns']} turns)")
    if args.before:
        for stat in ("p50_ms", "p99_ms", "mean_ms", "cpu_p50_ms", "cpu_p99_ms"):
            ratios = [a[stat] / b[stat] for a, b in zip(got["after"], got["before"])]
            print(f"after / before, {stat[:-3]}: " + ", ".join(f"{x:.2f}" for x in ratios))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
