"""The cohort report: several trainees' bundles (and data folders) in one table for the trainer.

Rows come from simulator.debrief.report.build_report, once for first attempts and once for
retries, so a retry never lifts or lowers a trainee's first-attempt scores. A session is
counted once however many times it is imported: it is known by trainee, session id and a
hash of its content. A source that cannot be read is named with its reason and left out;
the others are still reported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from simulator.debrief.bundle import BundleError, read_bundle
from simulator.debrief.export import CSS
from simulator.debrief.report import LESSONS, NO_NAME, ReportRow, build_report, to_csv
from simulator.moves.taxonomy import LESSON_TITLES, Lesson
from simulator.session import SessionLog

FIRST, RETRY = "first", "retry"
TOP_TRIGGERS = 5


@dataclass
class Source:
    path: str
    sessions: int = 0        # sessions new to the report
    repeated: int = 0        # sessions already counted from another source
    error: str = ""


@dataclass
class Cohort:
    rows: list[tuple[str, ReportRow]]                 # (FIRST | RETRY, row)
    logs: list[SessionLog]
    sources: list[Source]
    triggers: list[tuple[str, int]] = field(default_factory=list)   # across the group

    @property
    def problems(self) -> list[str]:
        return [s.error for s in self.sources if s.error]


def content_hash(log: SessionLog) -> str:
    """What the session was, not where it was kept: a bundle drops the files' paths."""
    fields = {k: v for k, v in asdict(log).items() if k not in ("persona_path", "tree_path")}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _folder_logs(folder: Path) -> list[SessionLog]:
    from simulator.store import DB_NAME, Store

    if not (folder / DB_NAME).is_file():
        raise BundleError(f"{folder}: a folder with no peersim sessions in it (no {DB_NAME})")
    with Store(folder) as store:
        return [store.load_session(s.id) for s in store.list_sessions()]


def gather(paths: list[str | Path], since: str | None = None, trainee: str | None = None) -> Cohort:
    """Every session of every source, each counted once; `since` an ISO date as `peersim report` takes,
    `trainee` one trainee's sessions only."""
    seen: set[tuple[str, str, str]] = set()
    logs: list[SessionLog] = []
    sources = []
    for path in paths:
        source = Source(str(path))
        sources.append(source)
        try:
            if Path(path).is_dir():
                found = _folder_logs(Path(path))
            else:
                bundle = read_bundle(path)
                found = [log for log, _ in bundle.sessions]
                for log in found:
                    log.trainee = log.trainee or bundle.trainee
        except BundleError as exc:
            source.error = str(exc)
            continue
        except Exception as exc:  # a damaged session file: name it and go on with the rest
            source.error = f"{path}: cannot be read ({exc})"
            continue
        for log in found:
            if (since and log.started_at < since) or (trainee is not None and log.trainee != trainee):
                continue
            key = (log.trainee or NO_NAME, log.id or "", content_hash(log))
            if key in seen:
                source.repeated += 1
                continue
            seen.add(key)
            logs.append(log)
            source.sessions += 1
    return build(logs, sources)


def build(logs: list[SessionLog], sources: list[Source] | None = None) -> Cohort:
    firsts = [log for log in logs if not log.parent_id]
    retries = [log for log in logs if log.parent_id]
    rows = [(FIRST, r) for r in build_report(firsts)] + [(RETRY, r) for r in build_report(retries)]
    rows.sort(key=lambda ar: (ar[1].trainee, ar[1].persona, ar[0] != FIRST))
    totals: dict[str, int] = {}
    for _, row in rows:
        for move, n in row.triggers:
            totals[move] = totals.get(move, 0) + n
    top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TRIGGERS]
    return Cohort(rows, logs, sources or [], top)


# ----------------------------------------------------------------------------- csv
def to_cohort_csv(cohort: Cohort) -> str:
    """report.to_csv's columns (and its guard against spreadsheet formulas), with the attempt kind."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for kind in (FIRST, RETRY):
        rows = [r for k, r in cohort.rows if k == kind]
        lines = list(csv.reader(io.StringIO(to_csv(rows))))
        if kind == FIRST:
            writer.writerow([*lines[0][:2], "attempt", *lines[0][2:]])
        for cells in lines[1:]:
            writer.writerow([*cells[:2], kind, *cells[2:]])
    return out.getvalue()


# ----------------------------------------------------------------------------- markdown
def _md(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _sources_lines(cohort: Cohort) -> list[str]:
    lines = []
    for s in cohort.sources:
        if s.error:
            lines.append(f"not read: {s.error}")
        else:
            again = f" ({s.repeated} already counted from another file)" if s.repeated else ""
            lines.append(f"{s.path}: {s.sessions} session{'' if s.sessions == 1 else 's'}{again}")
    return lines


def to_cohort_markdown(cohort: Cohort) -> str:
    out = ["# peersim cohort report", ""]
    out += [f"- {_md(line)}" for line in _sources_lines(cohort)]
    if not cohort.rows:
        return "\n".join(out + ["", "No sessions to report."]) + "\n"
    short = [lesson.replace("_", " ") for lesson in LESSONS]
    out += ["", "| Trainee | Client | Attempt | Sessions | Overall | " + " | ".join(short) + " | Plans | Left |",
            "|---|---|---|---:|---:|" + "---:|" * len(LESSONS) + "---:|---:|"]
    for kind, r in cohort.rows:
        scores = " | ".join(_num(r.lessons[lesson]) for lesson in LESSONS)
        out.append(f"| {_md(r.trainee)} | {_md(r.persona)} | {kind} | {r.sessions} | {_num(r.overall)} | {scores} "
                   f"| {r.plans} | {r.left} |")
    out += ["", "## States reached and withdrawal triggers", ""]
    for kind, r in cohort.rows:
        out.append(f"- **{_md(r.trainee)} with {_md(r.persona)}** ({kind}): reached {', '.join(r.states_reached)}; "
                   f"pulled back most after {r.triggers_text or 'nothing in particular'}")
    common = "; ".join(f"{m} ({n})" for m, n in cohort.triggers) or "none"
    out += ["", f"Across the group, clients pulled back most after: {common}."]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- html
COLOURS = ["#2f6f9f", "#b5562b", "#3d8b4f", "#7a4fa0", "#a0872b", "#2b8f8f", "#a33a6b", "#555555"]


def curves_svg(title: str, curves: list[tuple[str, bool, list[int]]], colours: dict[str, str]) -> str:
    """Several rapport curves on one chart: (trainee, is a retry, curve); a retry is dashed."""
    width, height, left, right, top, bottom = 640, 220, 40, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    steps = max(max((len(c) for _, _, c in curves), default=1) - 1, 1)

    def xy(i: int, v: int) -> str:
        return f"{round(left + plot_w * i / steps, 1)},{round(top + plot_h * (1 - min(max(v, 0), 100) / 100), 1)}"

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for level in (0, 50, 100):
        y = xy(0, level).split(",")[1]
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#ddd" />')
        parts.append(f'<text x="{left - 6}" y="{float(y) + 4}" font-size="11" text-anchor="end" fill="#555">'
                     f"{level}</text>")
    for trainee, retry, curve in curves:
        dash = ' stroke-dasharray="6 4"' if retry else ""
        points = " ".join(xy(i, v) for i, v in enumerate(curve))
        parts.append(f'<polyline fill="none" stroke="{colours[trainee]}" stroke-width="2"{dash} points="{points}">'
                     f"<title>{escape(trainee)}{' (retry)' if retry else ''}: {curve[0]} to {curve[-1]}</title>"
                     "</polyline>")
    parts.append("</svg>")
    return "\n".join(parts)


def to_cohort_html(cohort: Cohort) -> str:
    e = escape
    head = "".join(f"<th>{e(LESSON_TITLES[lesson])}</th>" for lesson in Lesson)
    body = []
    for kind, r in cohort.rows:
        scores = "".join(f'<td class="num">{_num(r.lessons[lesson])}</td>' for lesson in LESSONS)
        body.append(f"<tr><td>{e(r.trainee)}</td><td>{e(r.persona)}</td><td>{kind}</td>"
                    f'<td class="num">{r.sessions}</td><td class="num">{_num(r.overall)}</td>{scores}'
                    f'<td class="num">{r.plans}</td><td class="num">{r.left}</td>'
                    f"<td>{e(', '.join(r.states_reached))}</td><td>{e(r.triggers_text)}</td></tr>")
    trainees = sorted({log.trainee or NO_NAME for log in cohort.logs})
    colours = {t: COLOURS[i % len(COLOURS)] for i, t in enumerate(trainees)}
    charts = []
    for persona in sorted({log.persona_id for log in cohort.logs}):
        logs = [log for log in cohort.logs if log.persona_id == persona]
        curves = [(log.trainee or NO_NAME, bool(log.parent_id), log.rapport_curve) for log in logs]
        names = sorted({t for t, _, _ in curves})
        legend = " ".join(f'<span style="color:{colours[t]}">&#9632;</span> {e(t)}' for t in names)
        charts.append(f"<h3>{e(logs[0].persona_name)} ({e(persona)})</h3>"
                      + curves_svg(f"Rapport with {logs[0].persona_name}, turn by turn, each trainee's sessions",
                                   curves, colours)
                      + f'<p class="meta">{legend}; a dashed line is a retry.</p>')
    common = "; ".join(f"{e(m)} ({n})" for m, n in cohort.triggers) or "none"
    sources = "".join(f"<li>{e(line)}</li>" for line in _sources_lines(cohort))
    table = (f"<table><thead><tr><th>Trainee</th><th>Client</th><th>Attempt</th><th>Sessions</th><th>Overall</th>"
             f"{head}<th>Plans</th><th>Left</th><th>States reached</th><th>Pulled back after</th></tr></thead>"
             f"<tbody>{''.join(body)}</tbody></table>") if body else "<p>No sessions to report.</p>"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>peersim cohort report</title><style>{CSS}</style></head><body>"
            f"<h1>peersim cohort report</h1><ul class=\"meta\">{sources}</ul>"
            f"<h2>Per trainee and client</h2>{table}"
            f"<p>Across the group, clients pulled back most after: {common}.</p>"
            f"<h2>Rapport curves</h2>{''.join(charts) or '<p>No sessions.</p>'}</body></html>\n")
