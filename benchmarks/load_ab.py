"""The shipped files' cold load (cache of checked files off) and the generated 2,000-state
tree, timed for two checkouts' code alternated in one run, so both meet the same load.

    python benchmarks/load_ab.py OLD_CHECKOUT [--rounds 4]

OLD_CHECKOUT holds the other code (`git archive REV simulator personas dialogue_trees`);
each round runs a fresh process of this checkout, then of the other. CPU seconds, medians.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = """
import statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(1, {bench!r})
from simulator.scenario import loader
from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths
from bench_core import generate_tree
big = Path(tempfile.mkdtemp()) / "generated.yaml"
big.write_text(generate_tree(2000), encoding="utf-8")
paths = shipped_persona_paths()

def cpu(fn, n):
    out = []
    for _ in range(n):
        getattr(loader, "forget_trees", lambda: None)()
        start = time.process_time()
        fn()
        out.append(time.process_time() - start)
    return statistics.median(out)

cpu(lambda: [load_scenario(p) for p in paths], 2)
print(f"{{cpu(lambda: [load_scenario(p) for p in paths], 15):.4f}} {{cpu(lambda: load_tree(big), 3):.4f}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="a folder holding the other checkout's simulator/, personas/, dialogue_trees/")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    code = CHILD.format(bench=str(HERE))
    env = {**os.environ, "PEERSIM_CACHE_DIR": "off"}
    print("| round | this checkout: shipped / 2,000-state tree (CPU) | other: shipped / 2,000-state tree (CPU) |")
    print("|---|---|---|")
    for n in range(1, args.rounds + 1):
        row = []
        for where in (ROOT, Path(args.old).resolve()):
            out = subprocess.run([sys.executable, "-c", code], cwd=where, env={**env, "PYTHONPATH": str(where)},
                                 capture_output=True, text=True, check=True).stdout.split()
            row.append(f"{float(out[0]):.3f} s / {float(out[1]):.3f} s")
        print(f"| {n} | {row[0]} | {row[1]} |")


if __name__ == "__main__":
    main()
