"""The headless commands: list, replay, validate, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from simulator.cli import add_clients_option, seed_number
from simulator.cli.output import write_output
from simulator.scenario.errors import ScenarioError
from simulator.scenario.folders import load_library, validate_paths
from simulator.scenario.checked import Scenario
from simulator.scenario.loader import load_scenario

if TYPE_CHECKING:
    from simulator.engine import ClientTurn, Conversation
    from simulator.service import Session

# The engine and the recogniser are imported by the commands that use them: `list`,
# `validate` and `schema` start in about the time Textual takes to import (benchmarks/bench_load.py).


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the client personas: the shipped ones and your own (local)")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    add_clients_option(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("replay", help="play scripted trainee turns against a persona")
    p.add_argument("persona", help="a client's id (see `peersim list`) or a path to a persona YAML file")
    add_clients_option(p)
    p.add_argument("scripts", nargs="+", metavar="SCRIPT",
                   help="text files, one trainee turn per line ('#' lines and blank lines skipped)")
    p.add_argument("--seed", type=seed_number, default=0, help="the same seed gives the same conversation (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object per script (JSON lines)")
    p.add_argument("--save", action="store_true", help="save each script as a session (mode 'replay') to read "
                                                       "its debrief with `peersim show`")
    p.add_argument("--trainee", help="the trainee name to save the sessions under (with --save)")
    p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                   help="folder of the session database (with --save)")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("validate", help="check persona and dialogue-tree files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print problems as JSON")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the persona and tree formats")
    p.add_argument("which", nargs="?", choices=["persona", "tree", "test", "both", "all"], default="both",
                   help="persona, tree, test (play-test files), both (persona and tree) or all three")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (for an editor's `# yaml-language-server: $schema=FILE` line)")
    p.set_defaults(func=cmd_schema)


# ------------------------------------------------------------------------- list
def persona_entries() -> list[dict]:
    """Every client, shipped then local; a broken file has `problem` (its first, as file:line) and no card."""
    entries = []
    for entry in load_library():
        if entry.scenario is None:
            problem = entry.problem
            entries.append({"id": entry.id, "local": entry.local, "path": str(entry.path),
                            "problem": str(problem).split("\n")[0], "hint": problem.hint})
            continue
        p = entry.scenario.persona
        entries.append({"id": p.id, "name": p.name, "summary": p.summary, "difficulty": p.difficulty,
                        "tree": p.tree, "skills": [str(s) for s in p.skills], "age": p.age,
                        "pronouns": p.pronouns, "content_note": p.content_note, "path": str(entry.path),
                        "local": entry.local, "problem": None})
    return entries


def cmd_list(args: argparse.Namespace) -> int:
    entries = persona_entries()
    if args.json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    width = max((len(e["id"]) for e in entries), default=4)
    for e in entries:
        if e["problem"]:
            continue
        mark = "  (local)" if e["local"] else ""
        print(f"{e['id']:<{width}}  {e['difficulty']:<6}  {e['name']}: {e['summary']}{mark}")
    broken = [e for e in entries if e["problem"]]
    if broken:
        print(f"\n{len(broken)} client file{'s' if len(broken) != 1 else ''} could not be loaded "
              "and cannot be started (`peersim lint FILE` shows every problem):")
        for e in broken:
            print(f"  {e['problem']}")
            if e["hint"]:
                print(f"      fix: {e['hint']}")
    return 0


# ------------------------------------------------------------------------- replay
def read_script(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():  # -sig: Notepad's byte-order mark
        text = raw.strip()
        if text and not text.startswith("#"):
            lines.append(text)
    return lines


def turn_record(turn: ClientTurn) -> dict:
    return {"trainee": turn.trainee, "primary": turn.primary,
            "moves": [m.to_dict() for m in turn.reading.moves],
            "state": turn.state, "rapport": turn.rapport, "reply": turn.reply,
            "beats": [b.id for b in turn.beats], "played": True}


def replay_script(scenario: Scenario, lines: list[str], seed: int,
                  trainee: str = "") -> tuple[Session, dict, list[dict]]:
    """Play a script once, through the session service, so `--save` stores the very turns
    printed (mode "replay"; saved by the caller, if at all)."""
    from simulator.service import Session

    session = Session.start(scenario, mode="replay", seed=seed, trainee=trainee)
    convo = session.convo
    start = {"state": convo.state, "rapport": convo.rapport}
    turns = []
    for text in lines:
        if convo.ended:
            reading = session.read(text)
            turns.append({"trainee": text, "primary": reading.primary,
                          "moves": [m.to_dict() for m in reading.moves], "state": convo.state,
                          "rapport": convo.rapport, "reply": "", "beats": [], "played": False})
            continue
        turns.append(turn_record(session.play(text)[0]))
    return session, start, turns


def cmd_replay(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.persona)
    status = 0
    store, trainee = None, ""
    if args.save:
        from simulator.cli.sessions import open_replay_store

        # Opened once; every script is played once and the run is saved in one transaction.
        store, trainee = open_replay_store(getattr(args, "data_dir", None), args.trainee)
    played = []
    try:
        for script in args.scripts:
            path = Path(script)
            try:
                lines = read_script(path)
            except (OSError, UnicodeDecodeError) as exc:
                reason = "file not found" if isinstance(exc, FileNotFoundError) else str(exc)
                print(f"{script}: cannot read the script ({reason})", file=sys.stderr)
                status = 1
                continue
            session, start, turns = replay_script(scenario, lines, args.seed, trainee)
            convo = session.convo
            if store is not None:
                played.append((script, session))
            final = {"state": convo.state, "rapport": convo.rapport, "ended": convo.ended,
                     "ending": convo.ending, "beats": list(convo.revealed)}
            if args.json:
                print(json.dumps({"script": script, "persona": scenario.persona.id, "seed": args.seed,
                                  "start": start, "turns": turns, "final": final}, ensure_ascii=False))
            else:
                print_transcript(script, scenario, convo, start, turns, final)
        if store is not None:
            from simulator.service import save_played

            for (script, _), saved in zip(played, save_played([s for _, s in played], store)):
                print(f"{script}: saved as session {saved}", file=sys.stderr)
    finally:
        if store is not None:
            store.close()
    return status


def print_transcript(script: str, scenario: Scenario, convo: Conversation, start: dict,
                     turns: list[dict], final: dict) -> None:
    name = scenario.persona.name
    print(f"== {script} with {name} (seed {convo.seed}) ==")
    print(f"   [{start['state']}, rapport {start['rapport']}] {convo.cue_for(start['state'])}")
    print(f"{name}: {convo.opening_line}")
    for i, t in enumerate(turns, start=1):
        moves = ", ".join(m["move"] for m in t["moves"]) or "nothing said"
        print(f"\n{i:>2}. You: {t['trainee']}")
        if not t["played"]:
            print(f"    (not played: {convo.over_reason()})")
            continue
        print(f"    read as {moves}; now {t['state']}, rapport {t['rapport']}")
        print(f"    {name}: {t['reply']}")
    outcome = {"left": f"{name} left", "plan": "a plan was agreed", None: "still talking"}[final["ending"]]
    print(f"\n-- end: {final['state']}, rapport {final['rapport']}, {outcome}; "
          f"beats uncovered: {len(final['beats'])} of {len(scenario.persona.beats)} --\n")


# ------------------------------------------------------------------------- validate, schema
def cmd_validate(args: argparse.Namespace) -> int:
    files, problems = validate_paths(args.paths)
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(json.dumps({"files": [str(f) for f in files], "problems": [p.to_dict() for p in problems]},
                         indent=2))
    else:
        for problem in problems:
            print(problem)
        verdict = "all good" if not errors else f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        print(f"checked {len(files)} file{'s' if len(files) != 1 else ''}: {verdict}",
              file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from simulator.scenario.editor_schemas import json_schemas  # the play-test models are slow to build

    schemas = json_schemas()
    if args.which == "both":
        out = {k: schemas[k] for k in ("persona", "tree")}
    else:
        out = schemas if args.which == "all" else schemas[args.which]
    write_output(json.dumps(out, indent=2) + "\n", getattr(args, "output", None))
    return 0
