"""The trainer report: per trainee and per persona, how the sessions went.

Pure over a list of session logs; `peersim report` reads them from the store.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from simulator.scoring import score_log, withdrawal_triggers
from simulator.moves.taxonomy import Lesson
from simulator.session import SessionLog

NO_NAME = "(no name)"
TOP_TRIGGERS = 3
LESSONS = [str(lesson) for lesson in Lesson]


FIRST, RETRY = "first", "retry"


@dataclass
class ReportRow:
    trainee: str
    persona: str
    sessions: int
    turns: int
    overall: float | None
    lessons: dict[str, float | None]
    states_reached: list[str]
    plans: int            # sessions that ended with a plan agreed
    left: int             # sessions the client left
    triggers: list[tuple[str, int]] = field(default_factory=list)  # most common withdrawal triggers
    # First attempts and retries (branches made by rewinding) are kept apart: a retry starts
    # from a known point with hindsight, so averaging it in would flatter the first try.
    attempt: str = FIRST

    @property
    def triggers_text(self) -> str:
        return "; ".join(f"{move} ({n})" for move, n in self.triggers)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def build_report(logs: list[SessionLog]) -> list[ReportRow]:
    groups: dict[tuple[str, str, str], list[SessionLog]] = {}
    for log in logs:
        attempt = FIRST if log.parent_id is None else RETRY
        groups.setdefault((log.trainee or NO_NAME, log.persona_id, attempt), []).append(log)
    rows = []
    for (trainee, persona, attempt), group in sorted(groups.items()):
        scored = [score_log(log) for log in group if log.turns]
        states: dict[str, None] = {}
        triggers: dict[str, int] = {}
        for log in group:
            for state in [log.start_state] + [t.state_after for t in log.turns]:
                states.setdefault(state)
            for move, n in withdrawal_triggers(log).items():
                triggers[move] = triggers.get(move, 0) + n
        top = sorted(triggers.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TRIGGERS]
        rows.append(ReportRow(
            trainee=trainee, persona=persona, sessions=len(group), turns=sum(len(g.turns) for g in group),
            overall=_mean([s.overall for s in scored]),
            lessons={lesson: _mean([s.lessons[lesson].score for s in scored]) for lesson in LESSONS},
            states_reached=list(states), plans=sum(1 for g in group if g.ending == "plan"),
            left=sum(1 for g in group if g.ending == "left"), triggers=top, attempt=attempt))
    return rows


COLUMNS = ["trainee", "persona", "attempt", "sessions", "turns", "overall", *LESSONS, "plans", "left", "states_reached",
           "withdrawal_triggers"]


def _cells(row: ReportRow) -> list:
    blank = lambda v: "" if v is None else v  # noqa: E731
    return [row.trainee, row.persona, row.attempt, row.sessions, row.turns, blank(row.overall),
            *[blank(row.lessons[lesson]) for lesson in LESSONS], row.plans, row.left,
            "; ".join(row.states_reached), row.triggers_text]


def to_csv(rows: list[ReportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        # A name starting with = + - @ would be run as a formula by a spreadsheet: quote it as text.
        cells = ["'" + c if isinstance(c, str) and c and c[0] in "=+-@" else c for c in _cells(row)]
        writer.writerow(cells)
    return buffer.getvalue()


def to_markdown(rows: list[ReportRow], since: str | None = None) -> str:
    def md(text: str) -> str:
        # Trainee names are typed by trainees: keep them from being read as Markdown or HTML.
        out = text.replace("\\", "\\\\")
        for ch in "`*_[]<>#|":
            out = out.replace(ch, "\\" + ch)
        return out

    out = ["# peersim trainer report", ""]
    out.append(f"Sessions since {since}." if since else "All saved sessions.")
    if not rows:
        return "\n".join(out + ["", "No sessions to report yet."]) + "\n"
    short = {lesson: lesson.replace("_", " ") for lesson in LESSONS}
    for attempt, title in ((FIRST, None), (RETRY, "Retries (kept apart from first attempts)")):
        some = [r for r in rows if r.attempt == attempt]
        if some:
            out += ["", f"## {title}"] if title else []
            out += _table(some, short, md)
    out += ["", "## States reached and withdrawal triggers", ""]
    for r in rows:
        retry = " (retries)" if r.attempt == RETRY else ""
        out.append(f"- **{md(r.trainee)} with {md(r.persona)}{retry}**: reached {', '.join(r.states_reached)}; "
                   f"pulled back most after {r.triggers_text or 'nothing in particular'}")
    return "\n".join(out) + "\n"


def _table(rows: list[ReportRow], short: dict[str, str], md) -> list[str]:
    out = ["", "| Trainee | Persona | Sessions | Overall | " + " | ".join(short.values()) + " | Plans | Left |",
           "|---|---|---:|---:|" + "---:|" * len(LESSONS) + "---:|---:|"]
    for r in rows:
        scores = " | ".join("" if r.lessons[lesson] is None else f"{r.lessons[lesson]:g}" for lesson in LESSONS)
        overall = "" if r.overall is None else f"{r.overall:g}"
        out.append(f"| {md(r.trainee)} | {md(r.persona)} | {r.sessions} | {overall} | {scores} | {r.plans} | "
                   f"{r.left} |")
    return out
