"""The rule index and the table of conditions (issue 12, items 3, 4, 8), timed against a
reference checkout in the same run.

Each figure is taken in a fresh child process per checkout, the two checkouts taking turns
(A, B, A, B, ...), so both meet the same machine load:

    python benchmarks/bench_rules.py --reference /path/to/other/checkout [--rounds 3] [--states 2000]

- step: the engine alone (hand-built readings, no recogniser), over the shipped clients;
- build: a Conversation on the generated tree of bench_core.py (2,000 states unless --states), loaded;
  build again: a second one on the same tree;
- lint tree: lint_tree on that tree;
- lint shipped: lint_paths over the shipped personas and trees, loading included.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# One move a turn, as the behaviour probes play them: listening, missteps and repair.
MOVES = ["greeting", "reflection", "open_question", "confidentiality_assurance", "closed_question",
         "closed_question", "closed_question", "directive_advice", "repair", "reflection", "affirmation",
         "summary", "autonomy_support", "collaboration", "judgment", "reflection", "open_question",
         "collaboration", "summary", "collaboration"]


def child(checkout: Path, n_states: int) -> dict:
    sys.path.insert(0, str(checkout))
    sys.path.insert(1, str(checkout / "benchmarks"))   # the checkout's own bench_core (it puts its checkout first)
    from bench_core import PERSONA, generate_tree

    from simulator.engine import Conversation
    from simulator.toolkit.behaviour import reading
    from simulator.toolkit.lint import lint_paths, lint_tree
    from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths

    assert Path(sys.modules["simulator"].__file__).resolve().is_relative_to(checkout.resolve())
    out = {}
    scenarios = [load_scenario(p) for p in shipped_persona_paths()]
    readings = [reading(m) for m in MOVES]
    steps = 0
    t0 = time.perf_counter()
    for seed in range(25):
        for scenario in scenarios:
            convo = Conversation(scenario, seed=seed)
            for r in readings:
                if convo.ended:
                    break
                convo.step(r)
                steps += 1
    out["step_us"] = (time.perf_counter() - t0) / steps * 1e6
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "dialogue_trees").mkdir()
        (Path(tmp) / "personas").mkdir()
        tree_path = Path(tmp) / "dialogue_trees" / "generated.yaml"
        tree_path.write_text(generate_tree(n_states), encoding="utf-8")
        (Path(tmp) / "personas" / "bench.yaml").write_text(PERSONA, encoding="utf-8")
        tree, smap = load_tree(tree_path)
        scenario = load_scenario(Path(tmp) / "personas" / "bench.yaml")
        t0 = time.perf_counter()
        Conversation(scenario, seed=0)
        out["build_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        Conversation(scenario, seed=1)
        out["build_again_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        lint_tree(tree, smap)
        out["lint_tree_ms"] = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    lint_paths([ROOT / "personas", ROOT / "dialogue_trees"])
    out["lint_shipped_ms"] = (time.perf_counter() - t0) * 1000
    return out


def run(checkout: Path, n_states: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, __file__, "--child", str(checkout), "--states", str(n_states)],
                          capture_output=True, text=True,
                          env=env, check=True, cwd=checkout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="the checkout to compare with (for example main)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--states", type=int, default=2000, help="states of the generated tree")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.states)))
        return
    sys.path.insert(0, str(HERE))
    from machine import machine_line

    print(machine_line())
    results: dict[str, list[dict]] = {"this": [], "reference": []}
    for _ in range(args.rounds):
        results["reference"].append(run(args.reference, args.states))
        results["this"].append(run(ROOT, args.states))
    print("| figure | reference | this checkout | ratio |")
    print("| --- | --- | --- | --- |")
    for key, unit in (("step_us", "µs"), ("build_ms", "ms"), ("build_again_ms", "ms"), ("lint_tree_ms", "ms"), ("lint_shipped_ms", "ms")):
        ref = statistics.median(r[key] for r in results["reference"])
        this = statistics.median(r[key] for r in results["this"])
        print(f"| {key} | {ref:.1f} {unit} | {this:.1f} {unit} | {this / ref:.2f} |")


if __name__ == "__main__":
    main()
