"""Commands that touch saved sessions: talk (headless), history, show, export, report.

Everything stays in the local database (see simulator/store); nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

from simulator.cli import add_clients_option, seed_number
from simulator.cli.output import write_output
from simulator.debrief import compare, debrief
from simulator.debrief.export import EXPORT_FORMATS, compare_text, export, to_text
from simulator.debrief.report import build_report, to_csv
from simulator.debrief.report import to_markdown as report_markdown
from simulator.safetext import json_safe, printable
from simulator.scenario.loader import load_scenario
from simulator.service import FilesGone, Session, scenario_if_there
from simulator.session import LONGEST_TURN, TurnRecord
from simulator.store import NewerDatabaseError, SessionNotFound, Store, StoreError, resolve_data_dir

DATA_DIR_HELP = "folder of the session database (default: $PEERSIM_DATA_DIR, else your user data folder)"


def _data_dir(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: `peersim --data-dir D history` (the option given before the command, where the
    # app's own --data-dir lives) must not be overwritten by this subcommand's default.
    p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)


def data_dir_of(args: argparse.Namespace) -> str | None:
    return getattr(args, "data_dir", None)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("talk", help="a session without the app: your turns from stdin, one per line; "
                                    "each turn is saved as it happens")
    p.add_argument("persona", nargs="?", help="a client's id (see `peersim list`) or a persona YAML file "
                                              "(not needed with --resume)")
    add_clients_option(p)
    p.add_argument("--resume", metavar="SESSION", help="continue a saved session (an id, a unique prefix, or 'last')")
    p.add_argument("--seed", type=seed_number, default=argparse.SUPPRESS,
                   help="the same seed gives the same conversation (default 0)")
    p.add_argument("--trainee", help="your name or id for this session (default: the saved 'trainee' setting)")
    p.add_argument("--json", action="store_true", help="print one JSON object per line instead of text")
    _data_dir(p)
    p.set_defaults(func=cmd_talk)

    p = sub.add_parser("history", help="list saved sessions, newest first")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument("--trainee", help="only this trainee's sessions")
    p.add_argument("--persona", help="only sessions with this persona id")
    p.add_argument("--since", metavar="DATE", help="only sessions started on or after this date (YYYY-MM-DD)")
    _data_dir(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("show", help="the debrief of a saved session")
    p.add_argument("session", help="a session id, a unique prefix of one, or 'last'")
    p.add_argument("--compare", metavar="OTHER", help="compare with another session (a retry, say)")
    _data_dir(p)
    p.set_defaults(func=cmd_show)

    titles = [f"{f.title} ({f.name})" for f in EXPORT_FORMATS.values()]
    p = sub.add_parser("export", help=f"write a session's debrief as {', '.join(titles[:-1])} or {titles[-1]}; "
                                      "or, with --all --bundle, your sessions as one file for your trainer")
    p.add_argument("session", nargs="?", help="a session id, a unique prefix of one, or 'last'")
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="md",
                   help="; ".join(f"{f.name}: {f.title}" for f in EXPORT_FORMATS.values()) + " (default: md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of to standard output")
    p.add_argument("--all", action="store_true", help="every saved session (with --bundle)")
    p.add_argument("--bundle", action="store_true",
                   help="one .peersim file of sessions for `peersim report` (readable JSON; needs -o)")
    p.add_argument("--since", metavar="DATE", help="with --bundle: only sessions started on or after this date")
    p.add_argument("--client", metavar="ID", action="append",
                   help="with --bundle: only sessions with this client (a persona id; give it again for more)")
    p.add_argument("--trainee", help="with --bundle: your name in the bundle, and only sessions saved under it "
                                     "(default: the saved 'trainee' setting, else the one name the sessions were saved under; and every session)")
    _data_dir(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="for trainers: per trainee and persona, sessions, mean lesson scores, "
                                      "states reached, common withdrawal triggers")
    p.add_argument("sources", nargs="*", metavar="BUNDLE",
                   help="cohort report: trainees' .peersim bundles and data folders (default: your data folder)")
    p.add_argument("--since", metavar="DATE", help="only sessions started on or after this date (YYYY-MM-DD)")
    p.add_argument("--format", choices=["csv", "md", "html"], default="md",
                   help="md (default), csv, or html: one page with the group's rapport curves")
    p.add_argument("--trainee", help="only this trainee's sessions")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of to standard output")
    _data_dir(p)
    p.set_defaults(func=cmd_report)


# ----------------------------------------------------------------------------- helpers
class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def _run(fn):
    """Print store and lookup problems plainly instead of as a traceback."""
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except (SessionNotFound, NewerDatabaseError, CommandError) as exc:
            print(f"peersim: {exc.args[0] if exc.args else exc}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            raise  # `peersim history | head`: not a problem with the data dir; main() handles it
        except OSError as exc:  # a --data-dir that cannot be made or written
            print(f"peersim: cannot use {exc.filename or 'the session folder'} "
                  f"({(exc.strerror or str(exc)).lower()}); choose a folder you can write to with --data-dir",
                  file=sys.stderr)
            return 1
        except StoreError as exc:      # already in plain words: a full disk, a linked file
            print(f"peersim: {exc}", file=sys.stderr)
            return 1
        except sqlite3.Error as exc:  # e.g. a session file on a read-only disk
            print(f"peersim: cannot use the session file in {resolve_data_dir(data_dir_of(args))} ({exc}); "
                  "if that folder is read-only or the file is damaged, choose another folder with --data-dir",
                  file=sys.stderr)
            return 1
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _since(value: str | None) -> str | None:
    """An ISO date or time, as the UTC text the store compares against."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since wants a date like 2026-01-31, not '{value}'") from None
    if len(value) <= 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc)
    return parsed.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")


def _trainee(store: Store, given: str | None) -> str:
    return given if given is not None else (store.get_setting("trainee") or "")


def play_turn(session: Session, said) -> TurnRecord:
    """Play one turn and save it at once (committed before the reply is shown), as one unit."""
    try:
        return session.play(said)[1]
    except sqlite3.IntegrityError:  # the same session resumed in two windows at once
        number, sid = len(session.log.turns) + 1, session.log.id
        raise CommandError(f"turn {number} of session {sid} was just saved from another window, so "
                           f"this one was not; close the other window and run `peersim talk --resume {sid}` "
                           "to carry on") from None


def open_replay_store(data_dir: str | None = None, trainee: str | None = None) -> tuple[Store, str]:
    """`peersim replay --save`: the store, opened once for every script, and the trainee's name."""
    store = Store(data_dir)
    return store, _trainee(store, trainee)


# ----------------------------------------------------------------------------- talk
@_run
def cmd_talk(args: argparse.Namespace) -> int:
    if not args.persona and not args.resume:
        raise CommandError("name a persona to talk to (see `peersim list`), or --resume a session")
    emit = _emitter(args.json)
    with Store(data_dir_of(args)) as store:
        if args.resume:
            log = store.load_session(args.resume)
            if args.persona and args.persona not in (log.persona_id, log.persona_path):
                raise CommandError(f"session {log.id} is with {log.persona_id}, not {args.persona}")
            if log.ending:
                raise CommandError(f"session {log.id} is over: {log.persona_name} "
                                   f"{'left' if log.ending == 'left' else 'and you agreed a plan'}; "
                                   f"start a new one with `peersim talk {log.persona_id}`")
            try:
                session = Session.resume(log, store)
            except FilesGone as exc:
                raise CommandError(str(exc)) from None
            if session.note:
                print(f"peersim: note: {session.note}", file=sys.stderr)
            convo = session.convo
            emit({"session": log.id, "persona": log.persona_id, "resumed_after": len(log.turns),
                  "state": convo.state, "rapport": convo.rapport},
                 f"session {log.id}: {log.persona_name}, resumed after turn {len(log.turns)} "
                 f"({convo.state}, rapport {convo.rapport})")
        else:
            seed = getattr(args, "seed", None)
            session = Session.start(load_scenario(args.persona), mode="practice", seed=0 if seed is None else seed,
                                    trainee=_trainee(store, args.trainee), store=store)
            log, convo = session.log, session.convo
            emit({"session": log.id, "persona": log.persona_id, "opening": convo.opening_line,
                  "state": convo.state, "rapport": convo.rapport},
                 f"session {log.id}: {log.persona_name}, seed {log.seed}\n{log.persona_name}: {convo.opening_line}")
        name = log.persona_name
        while not session.ended:
            raw = sys.stdin.readline()
            if not raw:
                break
            text = raw.strip()
            if not text:
                continue
            if len(text) > LONGEST_TURN:
                emit({"error": f"turn too long: {len(text):,} characters", "limit": LONGEST_TURN},
                     f"That turn is {len(text):,} characters long and was not sent: a turn holds up to "
                     f"{LONGEST_TURN:,}. Trim it, or say it over several turns.")
                continue
            try:
                r = play_turn(session, text)
            except (sqlite3.Error, OSError):
                # Not played and not saved: the words are given back so nothing typed is lost.
                emit({"not_saved": text, "turns": len(log.turns)},
                     f"This turn was not saved, so {name} has not answered it: {text}")
                print(f"peersim: carry on later with `peersim talk --resume {log.id}`; "
                      f"{len(log.turns)} turn{'' if len(log.turns) == 1 else 's'} are saved", file=sys.stderr)
                raise
            emit({"turn": r.number, "trainee": r.trainee, "moves": r.acting_moves, "state": r.state_after,
                  "rapport": r.rapport_after, "beats": r.beats, "reply": r.reply, "ending": r.ending},
                 f"{r.number}. read as {', '.join(r.acting_moves) or 'nothing'}; {r.state_after}, rapport "
                 f"{r.rapport_after}\n{name}: {r.reply}")
        if session.ended:
            emit({"over": convo.over_reason()}, convo.over_reason())
        session.finish()
        emit({"saved": log.id, "turns": len(log.turns)},
             f"saved as session {log.id}; see `peersim show {log.id}`")
    return 0


def _emitter(as_json: bool):
    def emit(obj: dict, text: str) -> None:
        print(json_safe(json.dumps(obj, ensure_ascii=False)) if as_json else text, flush=True)
    return emit


# ----------------------------------------------------------------------------- history, show, export
@_run
def cmd_history(args: argparse.Namespace) -> int:
    with Store(data_dir_of(args)) as store:
        sessions = store.list_sessions(trainee=args.trainee, since=_since(args.since), persona=args.persona)
    if args.json:
        print(json.dumps([s.to_dict() for s in sessions], indent=2, ensure_ascii=False))
        return 0
    if not sessions:
        if args.trainee is not None or args.since or args.persona:
            print("No saved sessions match what you asked for; `peersim history` alone lists them all.")
        else:
            print("No saved sessions yet. Start one with `peersim` or `peersim talk PERSONA`.")
        return 0
    print(f"{'session':<10}  {'started (UTC)':<16}  {'persona':<10} {'trainee':<12} {'turns':>5} "
          f"{'score':>5}  outcome")
    for s in sessions:
        outcome = {"left": "client left", "plan": "plan agreed"}.get(s.ending or "", "")
        outcome = outcome or (f"{s.final_state}, rapport {s.final_rapport}"
                              + ("" if s.ended_at else ", unfinished"))
        retry = f" (retry of {s.parent_id[:6]})" if s.parent_id else ""
        score = "" if s.overall is None else str(s.overall)
        line = (f"{s.id[:10]:<10}  {s.started_at.replace('T', ' ')[:16]:<16}  {s.persona_id[:10]:<10} "
                f"{printable(s.trainee or '-')[:12]:<12} {s.turns:>5} {score:>5}  {outcome}{retry}")
        # A long outcome goes on to an indented line rather than being cut (a cut hid "retry of").
        print("\n".join(textwrap.wrap(line, 79, subsequent_indent=" " * 12)))
    return 0


@_run
def cmd_show(args: argparse.Namespace) -> int:
    with Store(data_dir_of(args)) as store:
        log = store.load_session(args.session)
        other = store.load_session(args.compare) if args.compare else None
    if other is not None:
        sys.stdout.write(compare_text(compare(log, other), log, other))
        return 0
    sys.stdout.write(to_text(debrief(log, scenario_if_there(log)), log))
    return 0


@_run
def cmd_export(args: argparse.Namespace) -> int:
    if args.bundle:
        return export_bundle(args)
    if args.all or args.since or args.client:
        raise CommandError("--all, --since and --client choose sessions for a bundle: add --bundle -o NAME.peersim")
    if not args.session:
        raise CommandError("name a session to export (an id, a prefix, or 'last'), or use --all --bundle")
    with Store(data_dir_of(args)) as store:
        log = store.load_session(args.session)
    write_output(export(debrief(log, scenario_if_there(log)), log, args.format), args.output)
    return 0


@_run
def cmd_report(args: argparse.Namespace) -> int:
    if args.sources or args.format == "html":
        return cohort_report(args)
    since = _since(args.since)
    with Store(data_dir_of(args)) as store:
        logs = [store.load_session(s.id) for s in store.list_sessions(trainee=args.trainee, since=since)]
    rows = build_report(logs)
    write_output(to_csv(rows) if args.format == "csv" else report_markdown(rows, args.since), args.output)
    return 0


# ----------------------------------------------------------------------------- bundles and the cohort
def export_bundle(args: argparse.Namespace) -> int:
    from simulator.debrief.bundle import SUFFIX, write_bundle

    if not args.output:
        raise CommandError(f"a bundle is a file: give its name with -o, e.g. -o yourname{SUFFIX}")
    if bool(args.all) == bool(args.session):
        raise CommandError("say which sessions go in the bundle: --all (narrowed by --since and --client) or one "
                           "session id")
    with Store(data_dir_of(args)) as store:
        trainee = _trainee(store, args.trainee)
        if args.session:
            logs = [store.load_session(args.session)]
        else:
            chosen = store.list_sessions(trainee=args.trainee, since=_since(args.since))
            logs = [store.load_session(s.id) for s in reversed(chosen)
                    if not args.client or s.persona_id in args.client]
    if not logs:
        raise CommandError("no saved sessions match what you chose, so no bundle was written; "
                           "`peersim history` lists them")
    names = {log.trainee for log in logs if log.trainee}
    trainee = trainee or (names.pop() if len(names) == 1 else "")
    if not trainee:
        raise CommandError("a bundle carries your name so your trainer can tell it from others': "
                           "give it with --trainee NAME")
    write_output(write_bundle(logs, trainee), args.output)
    print(f"{len(logs)} session{'' if len(logs) == 1 else 's'} in the bundle, under the name {trainee}",
          file=sys.stderr)
    return 0


def cohort_report(args: argparse.Namespace) -> int:
    from simulator.debrief.cohort import gather, to_cohort_csv, to_cohort_html, to_cohort_markdown

    sources = args.sources or [str(resolve_data_dir(data_dir_of(args)))]
    cohort = gather(sources, since=_since(args.since), trainee=args.trainee)
    render = {"csv": to_cohort_csv, "md": to_cohort_markdown, "html": to_cohort_html}[args.format]
    for problem in cohort.problems:
        print(f"peersim: not counted: {problem}", file=sys.stderr)
    write_output(render(cohort), args.output)
    return 1 if cohort.problems else 0
