"""Authoring benchmarks (issue 7): lint, graph and a play-test run with coverage.

Uses the generated ladder tree of bench_core.py (2,000 states by default), so the
figures show what a very large tree costs, and the shipped files for the everyday case.

    python benchmarks/bench_authoring.py [--states N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import generate_tree  # noqa: E402
from machine import machine_info  # noqa: E402

from simulator.toolkit.graph import to_dot, to_mermaid, to_svg  # noqa: E402
from simulator.toolkit.lint import lint_paths, lint_tree  # noqa: E402
from simulator.scenario.loader import load_tree  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--states", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(machine_info())

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.yaml"
        path.write_text(generate_tree(args.states), encoding="utf-8")
        ms, (tree, smap) = timed(lambda: load_tree(path), 1)
        print(f"load + validate {len(tree.states)} states, {len(tree.transitions)} transitions: {ms:.0f} ms")
        ms, found = timed(lambda: lint_tree(tree, smap), args.repeats)
        print(f"lint checks alone (after loading): {ms:.0f} ms, {len(found)} findings")
        for name, fn in (("mermaid", to_mermaid), ("dot", to_dot), ("svg", to_svg)):
            ms, text = timed(lambda fn=fn: fn(tree), args.repeats)
            print(f"graph {name}: {ms:.0f} ms, {len(text) / 1024:.0f} KiB")

    ms, (files, problems) = timed(lambda: lint_paths([ROOT / "personas", ROOT / "dialogue_trees"]), args.repeats)
    print(f"lint every shipped persona and tree ({len(files)} files, loading included): {ms:.0f} ms")


if __name__ == "__main__":
    main()
