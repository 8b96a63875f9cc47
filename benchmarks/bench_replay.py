"""`peersim replay --save` against plain `peersim replay` on the same scripts (issue 12).

Run on demand (not collected by pytest):

    python benchmarks/bench_replay.py                # 240 scripts of 8 turns, 3 rounds
    python benchmarks/bench_replay.py --scripts 500 --rounds 5

Both commands run in this process (`simulator.cli.main`, output thrown away), in turns
(plain, save, plain, save...), each --save round into a fresh data folder, after one
warm-up call that loads the recogniser. The figure is the median time of each and the
ratio save / plain from the same run. The scripts are fixed (no randomness): the same
run gives the same conversations. A session commits with synchronous=FULL, so the
figure depends on the disk; the temporary folder is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine_line  # noqa: E402
from simulator.cli import main  # noqa: E402

LINES = ["Hi, thanks for coming in.",
         "It sounds like you didn't really choose to be here.",
         "What's it been like since you got home?",
         "What you tell me stays between us.",
         "So you're trying to stay out of everyone's way.",
         "You've held on through a lot.",
         "You need to get a job.",
         "It's your call what happens next.",
         "Did you sleep last night?",
         "I'm sorry, that came out wrong.",
         "What would make this week a bit easier?",
         "You feel like nobody's listening."]


def write_scripts(folder: Path, count: int, turns: int) -> list[str]:
    paths = []
    for n in range(count):
        # Each script its own order of the lines, fixed by its number.
        lines = [LINES[(n * 5 + k * (n % 7 + 1)) % len(LINES)] for k in range(turns)]
        path = folder / f"script{n:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def run(argv: list[str]) -> float:
    sink = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(argv)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"peersim {' '.join(argv[:3])}... exited {code}:\n{sink.getvalue()[-2000:]}")
    return elapsed


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scripts", type=int, default=240)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="peersim-bench-replay-"))
    scripts = write_scripts(folder, args.scripts, args.turns)
    run(["replay", "marcus", scripts[0]])  # warm-up: the recogniser and the persona load once
    plain, saved = [], []
    for r in range(args.rounds):
        plain.append(run(["replay", "marcus", *scripts]))
        saved.append(run(["replay", "marcus", *scripts, "--save", "--data-dir", str(folder / f"data{r}")]))
    p, s = statistics.median(plain), statistics.median(saved)
    print(f"## replay --save (issue 12)\n\nMachine: {machine_line()}; temp folder {folder}.\n")
    print(f"`python benchmarks/bench_replay.py --scripts {args.scripts} --turns {args.turns} "
          f"--rounds {args.rounds}` ({args.scripts} scripts of {args.turns} turns with marcus, in this process)\n")
    print(f"- plain replay: median {p:.2f} s ({', '.join(f'{x:.2f}' for x in plain)})")
    print(f"- replay --save: median {s:.2f} s ({', '.join(f'{x:.2f}' for x in saved)})")
    print(f"- ratio save / plain: {s / p:.2f}x")


if __name__ == "__main__":
    main_bench()
