"""Core benchmarks for issue 2: step() latency, loading a 2,000-state tree, classify throughput.

Run on demand (not collected by pytest):

    python benchmarks/bench_core.py            # full run, prints a Markdown section
    python benchmarks/bench_core.py --quick    # fewer turns and lines, for a smoke check

The figures go in benchmarks/RESULTS.md under "## Core (issue 2)" by hand, with the
machine description this script prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Figures for a first read of each file: the user's cache of checked files would make every
# repeat after the first a cached read (bench_load.py times both, in a folder of its own).
os.environ.setdefault("PEERSIM_CACHE_DIR", "off")

from machine import machine_info  # noqa: E402
from simulator.engine import Conversation  # noqa: E402
from simulator.scenario.loader import load_scenario, load_tree  # noqa: E402

# Trainee turns that exercise every part of a turn: listening, questions, missteps, repair.
SCRIPT = [
    "Hi, thanks for coming in.",
    "It sounds like you didn't really choose to be here.",
    "What's it been like since you got home?",
    "What you tell me stays between us.",
    "So you're trying to stay out of everyone's way.",
    "That sounds exhausting.",
    "Did you sleep last night?",
    "You should really go to a meeting tonight.",
    "It's your call what we talk about.",
    "You've held on through a lot.",
    "When I got out I was exactly like you, I remember my first week, I didn't know anyone and I "
    "just kept going to meetings every single day until it got better for me.",
    "It sounds like people keep deciding things for you.",
    "Would it help if we worked out a next step together?",
]


# ----------------------------------------------------------------------------- step()
def bench_step(turns: int) -> dict:
    """Latency of one step() (recogniser included), over many conversations of the script."""
    times = []
    seed = 0
    scenarios = [load_scenario(p) for p in ("marcus", "dana")]
    Conversation(scenarios[0]).step(SCRIPT[0])  # load the recogniser's lexicon and model outside the timing
    while len(times) < turns:
        convo = Conversation(scenarios[seed % 2], seed=seed)
        seed += 1
        for text in SCRIPT:
            if convo.ended:
                break
            t0 = time.perf_counter()
            convo.step(text)
            times.append(time.perf_counter() - t0)
    times = sorted(times[:turns])
    return {"turns": len(times), "median_ms": statistics.median(times) * 1000,
            "p99_ms": times[int(len(times) * 0.99) - 1] * 1000, "max_ms": times[-1] * 1000}


# ----------------------------------------------------------------------------- big tree
MOVES_OPEN = "[reflection, summary, open_question, affirmation, autonomy_support]"
MOVES_HARM = "[self_focused_story, directive_advice, judgment, minimizing]"


def generate_tree(n_states: int) -> str:
    """A valid tree with n_states conversational states in a ladder, plus two endings.

    Every state has its own cue and reply pools; listening climbs one rung (with a
    rapport condition), a misstep drops one, a breach or running out of rapport leaves
    from anywhere (`from: any`), and some rungs have streak and count rules.
    """
    ids = [f"s{i:04d}" for i in range(n_states)]
    out = [
        "id: generated",
        "title: Generated ladder",
        f"initial: {ids[0]}",
        "rapport: {start: 30, min: 0, max: 100}",
        "thresholds: {gone: 2, warm: 35}",
        "effects: {reflection: 3, summary: 3, open_question: 2, affirmation: 2, autonomy_support: 2,",
        "          closed_question: -1, self_focused_story: -5, directive_advice: -5, judgment: -6,",
        "          minimizing: -4, confidentiality_breach: -40}",
        "states:",
    ]
    for i, sid in enumerate(ids):
        out += [
            f"  {sid}:",
            f"    description: rung {i} of the ladder",
            f"    cue: looks at you for the {i}th time",
            "    replies:",
            "      default:",
            f"        - \"Rung {i}. I don't know, ${{name}}.\"",
            f"        - \"Still on rung {i}.\"",
            f"        - \"Mm. Rung {i}.\"",
            "      listening:",
            f"        - \"Yes, that's rung {i} exactly.\"",
            f"        - \"You get it. Rung {i}.\"",
            "      directing:",
            f"        - \"Don't push me off rung {i}.\"",
            f"        - \"Rung {i}, and you're telling me what to do.\"",
        ]
    out += [
        "  left:",
        "    cue: the door closes",
        "    ending: left",
        "    replies: {default: [\"I'm going.\", \"Bye.\"]}",
        "  plan_agreed:",
        "    cue: nods",
        "    ending: plan",
        "    replies: {default: [\"Okay. That's the plan.\", \"Deal.\"]}",
        "transitions:",
        "  - {move: confidentiality_breach, from: any, to: left}",
        "  - {move: any, from: any, to: left, when: {rapport_at_most: gone}}",
        f"  - {{move: collaboration, from: {ids[-1]}, to: plan_agreed}}",
    ]
    for i, sid in enumerate(ids):
        up = ids[min(i + 1, n_states - 1)]
        down = ids[max(i - 1, 0)]
        out.append(f"  - {{move: {MOVES_OPEN}, from: {sid}, to: {up}, when: {{rapport_at_least: {20 + i % 30}}}}}")
        out.append(f"  - {{move: {MOVES_HARM}, from: {sid}, to: {down}}}")
        if i % 10 == 0:
            out.append(f"  - {{move: closed_question, from: {sid}, to: {down}, "
                       "when: {streak: {move: closed_question, count: 3}}}")
            out.append(f"  - {{move: reflection, from: {sid}, to: {up}, "
                       "when: {count: {move: reflection, at_least: 2}, turn_at_least: 2}}")
    return "\n".join(out) + "\n"


PERSONA = """\
id: bench
name: Bench
summary: A generated client for the benchmark.
background: Generated.
opening_line: "Hello."
difficulty: easy
tree: generated
"""


def bench_big_tree(n_states: int, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        trees = Path(tmp) / "dialogue_trees"
        personas = Path(tmp) / "personas"
        trees.mkdir()
        personas.mkdir()
        tree_path = trees / "generated.yaml"
        tree_path.write_text(generate_tree(n_states), encoding="utf-8")
        (personas / "bench.yaml").write_text(PERSONA, encoding="utf-8")
        size = tree_path.stat().st_size
        load, scenario_t, build = [], [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            tree, _smap = load_tree(tree_path)
            load.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            scenario = load_scenario(personas / "bench.yaml")
            scenario_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            convo = Conversation(scenario, seed=0)
            build.append(time.perf_counter() - t0)
        # For comparison: wiring every state's rules up front, as the engine first did
        # (transitions expands `from: any` into one Transition per state and move).
        eager = Conversation(scenario, seed=0)
        t0 = time.perf_counter()
        for state in scenario.tree.states:
            eager._wire(eager._machine, state)
        wire_all = time.perf_counter() - t0
        # A short walk proves the machine works.
        for text in SCRIPT[:6]:
            convo.step(text)
    return {"states": len(tree.states), "transitions": len(tree.transitions), "bytes": size,
            "load_validate_s": statistics.median(load), "persona_plus_tree_s": statistics.median(scenario_t),
            "build_machine_s": statistics.median(build), "wire_all_s": wire_all, "state_after_walk": convo.state}


# ----------------------------------------------------------------------------- classify
def bench_classify(lines: int) -> dict:
    base = SCRIPT + ["", "What matters most to you right now?", "At least you still have your job.",
                     "I'll have to let your probation officer know about this.", "Okay.", "😀 مرحبا"]
    text = "\n".join(base[i % len(base)] + (f" ({i})" if i % 3 else "") for i in range(lines)) + "\n"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "simulator", "classify"], input=text, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, check=True)
    elapsed = time.perf_counter() - t0
    out_lines = proc.stdout.count("\n")
    assert out_lines == lines, (out_lines, lines)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "simulator", "classify"], input="", capture_output=True, text=True,
                   cwd=ROOT, check=True)
    startup = time.perf_counter() - t0
    return {"lines": lines, "seconds": elapsed, "per_second": lines / elapsed, "startup_s": startup}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    parser.add_argument("--states", type=int, default=2000)
    args = parser.parse_args()
    turns, lines, repeats = (500, 2000, 1) if args.quick else (5000, 20000, 3)

    info = machine_info()
    step = bench_step(turns)
    big = bench_big_tree(args.states, repeats)
    cls = bench_classify(lines)

    print("## Core (issue 2)\n")
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']} ({info['platform']}); "
          f"run {info['date']}; load average at the start {info['load']} (1/5/15 min).")
    print(f"Command: `python benchmarks/bench_core.py{' --quick' if args.quick else ''}`\n")
    print("| measure | result |")
    print("|---|---|")
    print(f"| `step()` latency, {step['turns']:,} turns (marcus and dana, recogniser included) | "
          f"median {step['median_ms']:.3f} ms, p99 {step['p99_ms']:.3f} ms, max {step['max_ms']:.2f} ms |")
    print(f"| load + validate a generated tree: {big['states']:,} states, {big['transitions']:,} rules, "
          f"{big['bytes'] / 1e6:.2f} MB | {big['load_validate_s']:.2f} s (median of {repeats}) |")
    print(f"| load persona + that tree (`load_scenario`) | {big['persona_plus_tree_s']:.2f} s |")
    print(f"| build the `transitions` machine for it (`Conversation(...)`, rules wired per state on first visit) "
          f"| {big['build_machine_s']:.3f} s |")
    print(f"| for comparison: wiring all {big['states']:,} states up front (the engine's first design) "
          f"| {big['wire_all_s']:.3f} s |")
    print(f"| `peersim classify`, {cls['lines']:,} lines in one subprocess call | {cls['seconds']:.2f} s, "
          f"{cls['per_second']:,.0f} utterances/s (start-up alone {cls['startup_s']:.2f} s) |")


if __name__ == "__main__":
    main()
