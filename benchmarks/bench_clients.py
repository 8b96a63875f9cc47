"""How real clients react (issue 13): walk-outs on ordinary supporter talk, and rapport
after the project's scripted trainees.

    python benchmarks/bench_clients.py                 # every ESConv supporter side, every persona
    python benchmarks/bench_clients.py --limit 200     # the first 200 conversations, for a smoke check

ESConv (../shared/data/esconv/*.json, CC BY-NC 4.0) is read in place for measuring only:
each supporter turn is one trainee line, read once by the recogniser and replayed against
every shipped persona until the client leaves or agrees a plan. Nothing from it is written
anywhere. The scripted trainees are move lists (tests/fixtures/scripted_trainees.yaml), so
they measure the clients and not the recogniser.

Prints a Markdown section for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_line  # noqa: E402
from simulator.engine import Conversation  # noqa: E402
from simulator.moves import MoveSpan, Reading, recognize  # noqa: E402
from simulator.scenario.loader import load_scenario, shipped_persona_paths  # noqa: E402
from simulator.scenario.validate import as_list  # noqa: E402

# ../shared beside the checkout (or beside the folder of worktrees); PEERSIM_ESCONV names it
# when the checkout lives elsewhere, such as a copy of an older commit measured for "before".
ESCONV = Path(os.environ.get("PEERSIM_ESCONV") or next(
    (p for p in (ROOT.parent / "shared" / "data" / "esconv", ROOT.parent.parent / "shared" / "data" / "esconv")
     if p.is_dir()), ROOT.parent / "shared" / "data" / "esconv"))
SCRIPTS = ROOT / "tests" / "fixtures" / "scripted_trainees.yaml"


def supporter_sides(limit: int | None) -> list[list[str]]:
    sides = []
    for split in ("train", "valid", "test"):
        path = ESCONV / f"{split}.json"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            dialog = json.loads(line).get("dialog", [])
            turns = [" ".join(str(t.get("text", "")).split()) for t in dialog if t.get("speaker") in ("sys", "supporter")]
            turns = [t for t in turns if t]
            if turns:
                sides.append(turns)
    return sides[:limit] if limit else sides


def most_open_states(tree) -> set[str]:
    """States from which a plan can be agreed directly: the client's most open."""
    out = set()
    for tr in tree.transitions:
        if tree.states[tr.to].ending == "plan":
            out |= set(tree.states) if "any" in as_list(tr.from_) else set(as_list(tr.from_))
    return {s for s in out if tree.states[s].ending is None}


def by_moves(moves) -> Reading:
    moves = [moves] if isinstance(moves, str) else list(moves)
    text = " / ".join(moves)
    spans = tuple(MoveSpan(m, 0, len(text), m) for m in moves)
    return Reading(text, spans, moves[0], 1.0, moves[0])


def replay(scenario, readings: list[Reading]) -> tuple[str | None, bool, bool]:
    """(ending, reached the most open state, left on a turn read as a breach)."""
    convo = Conversation(scenario, seed=0)
    top = most_open_states(scenario.tree)
    reached = on_breach = False
    for reading in readings:
        turn = convo.step(reading)
        reached = reached or turn.state in top or turn.ending == "plan"
        if turn.ended:
            on_breach = turn.ending == "left" and "confidentiality_breach" in turn.reading.move_ids
            break
    return convo.ending, reached, on_breach


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N conversations")
    args = parser.parse_args()
    personas = [load_scenario(p) for p in shipped_persona_paths()]
    sides = supporter_sides(args.limit)
    if not sides:
        print(f"no ESConv conversations found in {ESCONV}; set PEERSIM_ESCONV", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cache: dict[str, Reading] = {}
    readings = [[cache.setdefault(t, recognize(t)) if t not in cache else cache[t] for t in side] for side in sides]
    read_s = time.perf_counter() - started

    print("## Clients who react as real people do (issue 13)\n")
    print(machine_line())
    print(f"\n`python benchmarks/bench_clients.py`: {len(sides)} ESConv supporter sides "
          f"({sum(map(len, sides))} turns, read in {read_s:.0f} s), replayed against each persona.\n")
    print("| persona | tree | walks out | of which on a breach reading | reaches the most open state | plan agreed |")
    print("|---|---|---|---|---|---|")
    for sc in personas:
        left = breach = reached = plans = 0
        for side in readings:
            ending, top, on_breach = replay(sc, side)
            left += ending == "left"
            breach += on_breach
            plans += ending == "plan"
            reached += top
        n = len(readings)
        print(f"| {sc.persona.id} | {sc.tree.id} | {100 * left / n:.1f} % | {100 * breach / n:.1f} % "
              f"| {100 * reached / n:.1f} % | {100 * plans / n:.1f} % |")

    scripts = yaml.safe_load(SCRIPTS.read_text(encoding="utf-8"))
    print("\nFinal rapport after each scripted trainee (`L` = the client left):\n")
    print("| persona | " + " | ".join(scripts) + " |")
    print("|---|" + "---|" * len(scripts))
    for sc in personas:
        cells = []
        for moves in scripts.values():
            convo = Conversation(sc, seed=0)
            for turn_moves in moves:
                if convo.ended:
                    break
                convo.step(by_moves(turn_moves))
            cells.append(f"{convo.rapport}{' L' if convo.ending == 'left' else ''}")
        print(f"| {sc.persona.id} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
