"""`peersim eval-moves`: score the move recogniser against a labelled file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval-moves",
        help="score the move recogniser on a labelled JSONL or CSV file (text, label)",
        description="Read every utterance of FILE and compare the primary move read with its label: "
                    "per-label precision, recall and F1, macro-F1 and a confusion matrix. FILE is JSON lines "
                    "({\"text\": ..., \"label\": ...}) or CSV with a header naming text and label. Labels are "
                    "move ids, or family ids (then the moves read are grouped into families), or anything "
                    "else with --map.")
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--map", metavar="MAP",
                   help="how the file's labels and the moves meet: a shipped map name (esconv), a JSON file, "
                        "or inline JSON such as '{\"gold\": {\"Question\": \"q\"}, \"moves\": {\"open_question\": \"q\"}}'")
    p.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="also list up to N misread utterances")
    p.add_argument("--no-confusion", action="store_true", help="leave out the confusion matrix")
    p.set_defaults(func=cmd_eval_moves)


def cmd_eval_moves(args: argparse.Namespace) -> int:
    from simulator.moves.evaluate import EvalInputError, evaluate, format_report, load_map, read_labelled

    try:
        label_map = load_map(args.map) if args.map else None
        rows = read_labelled(args.file)
    except EvalInputError as exc:
        print(f"peersim eval-moves: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print(f"peersim eval-moves: {args.file} has no labelled utterances", file=sys.stderr)
        return 2
    scores = evaluate(rows, label_map)
    if scores.n == 0:
        print(f"peersim eval-moves: none of the {len(rows)} labels in {args.file} is in the map", file=sys.stderr)
        return 2
    if args.json:
        out = scores.to_dict()
        if args.errors:
            out["errors"] = scores.errors[:args.errors]
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(format_report(scores, show_confusion=not args.no_confusion))
    if args.errors:
        print(f"\nmisread (first {min(args.errors, len(scores.errors))} of {len(scores.errors)}):")
        for e in scores.errors[:args.errors]:
            print(f"  {e['gold']} read as {e['predicted']} ({e['cue'] or 'no cue'}): {e['text'][:100]}")
    return 0
