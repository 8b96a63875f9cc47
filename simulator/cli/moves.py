"""The recogniser's commands: `peersim classify` (read turns from stdin) and `peersim eval-moves`
(score the recogniser against a labelled file). Both import only the recogniser, so
`classify` starts without the scenario loader, the engine and the debrief."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.safetext import json_safe, plain_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "classify", help="read trainee utterances from stdin and print the moves read",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read one trainee turn per line from stdin and print one JSON object per line: the primary "
                    "move, the moves in order and the reading's confidence.\n\n"
                    "Each move has `acts`: true when the client responds to it (the engine applies exactly these, "
                    "and the debrief counts exactly these). A harmful move acts only on explicit evidence (a cue "
                    "in the lexicon, or the whole-turn story check) that the harm gate's second model confirms. "
                    "When the gate holds a harmful reading back, the move shown is the best harmless reading and "
                    "`held` / `held_cue` name the harmful move it heard and the words; `asks` is true when the "
                    "gate is unsure (the app then asks \"did you mean...?\") and `options` lists the readings "
                    "to offer, by likelihood, the held harmful one included. See docs/recogniser.md.")
    p.add_argument("--jsonl", action="store_true", help="each input line is a JSON object with a 'text' key")
    p.set_defaults(func=cmd_classify)

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


# ------------------------------------------------------------------------- classify
def _tolerant_stdio() -> None:
    """Undecodable input bytes become U+FFFD instead of a crash, and a lone surrogate
    (a JSON input may carry "\\ud800") is written as a JSON escape, so every input line
    still gets its output line."""
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on StringIO in tests
        if reconfigure is not None:
            reconfigure(errors=errors)


# One encoder for every line: json.dumps(..., ensure_ascii=False) builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def classify_line(number: int, raw: str, jsonl: bool) -> str:
    """The output line (with its newline) for input line `number`."""
    line = raw.rstrip("\r\n")
    record: dict = {}
    if jsonl:
        if not line.strip():
            record = {"text": ""}
        else:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                return _error_line(number, f"not JSON: {exc.msg}")
            except RecursionError:    # [[[[...]]]] deeper than Python's JSON reader goes
                return _error_line(number, "not an object: the JSON is nested too deeply")
            if not isinstance(record, dict) or not isinstance(record.get("text", ""), str):
                return _error_line(number, "expected an object with a text 'text' key")
            record.setdefault("text", "")
    else:
        record = {"text": line}
    from simulator.moves import recognize

    text = record["text"]
    record.update(recognize(plain_text(text)).to_dict())
    record["text"] = text  # echoed as given (a lone surrogate comes out as a JSON escape)
    return json_safe(_encode(record)) + "\n"


def _error_line(number: int, error: str) -> str:
    return json.dumps({"line": number, "error": error, "text": "", "primary": "other", "moves": [],
                       "confidence": 0.0}) + "\n"


# A large piped input is read by several processes, one per core: reading is pure
# Python, so one process uses one core. Small inputs and typed input stay in this
# process (starting workers costs more than it saves, and typed lines are answered at
# once). PEERSIM_CLASSIFY_PROCESSES=1 turns it off.
PARALLEL_FROM = 2_000      # lines
CHUNK = 500                # lines per task: large enough to amortise, small enough to balance
PROCESSES_ENV = "PEERSIM_CLASSIFY_PROCESSES"


def _classify_chunk(task: tuple[int, list[str], bool]) -> str:
    first, lines, jsonl = task
    return "".join(classify_line(first + k, raw, jsonl) for k, raw in enumerate(lines))


def _processes() -> int:
    import os

    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    cores = os.cpu_count() or 1
    try:
        return max(1, int(wanted)) if wanted else min(cores, 8)
    except ValueError:
        return min(cores, 8)


def _chunks(lines, jsonl: bool):
    chunk: list[str] = []
    first = 1
    for number, raw in enumerate(lines, start=1):
        chunk.append(raw)
        if len(chunk) == CHUNK:
            yield first, chunk, jsonl
            first, chunk = number + 1, []
    if chunk:
        yield first, chunk, jsonl


def cmd_classify(args: argparse.Namespace) -> int:
    import itertools

    _tolerant_stdio()
    out = sys.stdout
    stdin = sys.stdin
    import multiprocessing

    # Workers are forked: they start with everything loaded, and nothing re-runs the
    # `peersim` entry point (a spawned worker would). Without fork (Windows), one process.
    forkable = "fork" in multiprocessing.get_all_start_methods()
    processes = 1 if stdin.isatty() or not forkable else _processes()
    head = list(itertools.islice(stdin, PARALLEL_FROM)) if processes > 1 else []
    if len(head) < PARALLEL_FROM:
        for number, raw in enumerate(itertools.chain(head, stdin), start=1):
            out.write(classify_line(number, raw, args.jsonl))
        return 0
    from simulator.moves import recognize

    recognize("warm up")     # loaded once here, so every forked worker has the lexicon and model
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        # imap keeps the input order, so the output is line for line what one process writes.
        for text in pool.imap(_classify_chunk, _chunks(itertools.chain(head, stdin), args.jsonl)):
            out.write(text)
    return 0
