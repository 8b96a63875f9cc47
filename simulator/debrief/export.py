"""The debrief as text for the terminal, Markdown, a self-contained HTML page, or JSON.

The HTML page has no external assets and no scripts: inline CSS (print-friendly) and
the rapport curve as an inline SVG, so it can be mailed, printed or handed to a
supervisor as one file. Every piece of text from a session is escaped.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import asdict, dataclass
from html import escape

from simulator.debrief import CompareRow, Debrief, label, labels
from simulator.moves.taxonomy import LESSON_TITLES, Lesson, move_label
from simulator.safetext import json_safe, printable
from simulator.session import SessionLog

WIDTH = 80
SPARK = "▁▂▃▄▅▆▇█"
JSON_SCHEMA = "peersim.session-debrief/1"


# ----------------------------------------------------------------------------- shared pieces
def outcome(log: SessionLog) -> str:
    name = log.persona_name
    if log.ending == "left":
        return f"{name} left"
    if log.ending == "plan":
        return "a plan was agreed"
    return "still talking" if not log.ended_at else "finished"


def n_turns(log: SessionLog) -> str:
    return f"{len(log.turns)} turn{'' if len(log.turns) == 1 else 's'}"


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{round(100 * value)}%"


def ratio(value: float | None, questions: int) -> str:
    if value is None:
        return "no questions" if questions == 0 else "n/a"
    return f"{value:.1f}:1"


def when(iso: str | None) -> str:
    return (iso or "").replace("T", " ")[:16]


def number_lines(d: Debrief, log: SessionLog) -> list[str]:
    m = d.metrics
    name = log.persona_name
    return [
        f"Reflections {m.reflections} ({m.complex_reflections} complex: {pct(m.complex_reflection_share)}, "
        f"{m.complex_band or 'n/a'}); questions {m.questions} ({m.open_questions} open: "
        f"{pct(m.open_question_share)})",
        f"Reflection to question ratio {ratio(m.rq_ratio, m.questions)} ({m.rq_band or 'n/a'}; MITI: 1:1 fair, "
        "2:1 good)",
        f"Talk share: you {pct(m.talk_share_trainee)}, {name} "
        f"{pct(None if m.talk_share_trainee is None else 1 - m.talk_share_trainee)} "
        f"({m.trainee_words} and {m.client_words} words)",
        f"Self-focus index {('n/a' if m.self_focus_index is None else f'{m.self_focus_index:.2f}')} "
        "(0 = all about the client)",
        f"Advice without permission: {m.advice_without_permission}; MI-adherent moves {m.mi_adherent}, "
        f"non-adherent {m.mi_non_adherent}",
        f"First reflection: {('turn ' + str(m.time_to_first_reflection)) if m.time_to_first_reflection else 'none'}"
        f"; story beats uncovered {m.beats_uncovered} of {m.beats_total}",
        "Moves read: " + (", ".join(f"{move_label(k)} {v}" for k, v in sorted(m.move_counts.items(),
                                                                        key=lambda kv: (-kv[1], kv[0])))
                          or "none"),
    ]


def sparkline(curve: list[int], lo: int = 0, hi: int = 100) -> str:
    span = max(hi - lo, 1)
    return "".join(SPARK[min(len(SPARK) - 1, max(0, (v - lo) * len(SPARK) // (span + 1)))] for v in curve)


# ----------------------------------------------------------------------------- terminal
def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(printable(text), WIDTH - 1, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=True) or [indent.rstrip()]


def to_text(d: Debrief, log: SessionLog) -> str:
    """The debrief for `peersim show`, no line longer than 79 characters."""
    out = _wrap(f"Debrief: {log.persona_name} ({log.persona_id}), {log.mode}, {n_turns(log)}, "
                f"session {log.id or 'unsaved'}", "", "")
    who = f"Trainee: {log.trainee}. " if log.trainee else ""
    out += _wrap(f"{who}Started {when(log.started_at)} UTC, seed {log.seed}. Outcome: {outcome(log)}; "
                 f"final state {label(log.final_state)}, rapport {log.final_rapport}.", "", "")
    if log.parent_id:
        out += _wrap(f"A retry of session {log.parent_id} from after turn {log.branch_turn}.", "", "")
    out += ["", f"Overall {d.overall}/100"]
    for lesson in Lesson:
        score = d.lessons[str(lesson)]
        detail = d.lesson_details.get(str(lesson))
        bar = "#" * round(score / 10) + "." * (10 - round(score / 10))
        note = "" if detail is None or detail.practised else "  (not practised)"
        out.append(f"  {label(str(lesson)):<18} {bar} {score:>3}{note}")
    curve = d.metrics.rapport_curve
    out += ["", f"Rapport {curve[0]} -> {curve[-1]}:"]
    spark = sparkline(curve)
    out += ["  " + spark[i:i + WIDTH - 4] for i in range(0, len(spark), WIDTH - 4)]
    out += ["", "What went well, and what to try"]
    for line in d.feedback:
        out += _wrap(line, "    ", "  - ")
    out += ["", "The numbers"]
    for line in number_lines(d, log):
        out += _wrap(line, "    ", "  ")
    out += ["", "Story"]
    out += _wrap("uncovered: " + ("; ".join(s for _, s in d.beats_uncovered) or "nothing yet"), "    ", "  ")
    out += _wrap("still untold: " + ("; ".join(s for _, s in d.beats_missed) or "nothing"), "    ", "  ")
    out += ["", "Turn by turn", *_wrap(f"{log.persona_name}: {log.opening_line}", "      ", "      ")]
    for note in d.turn_notes:
        out += _wrap(f"You: {note.trainee}", "      ", f"  {note.number:>2}. ")
        out += _wrap(note.why, "      ", "      ")
        if note.reply:
            out += _wrap(f"{log.persona_name}: {note.reply}", "      ", "      ")
    return "\n".join(out) + "\n"


def compare_text(rows: list[CompareRow], a: SessionLog, b: SessionLog) -> str:
    def show(v) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.2f}"
        return str(v)

    head_a, head_b = (a.id or "a")[:10], (b.id or "b")[:10]
    out = [f"Comparing {head_a} ({n_turns(a)}) with {head_b} ({n_turns(b)})", "",
           f"{'':<28}{head_a:>12}{head_b:>12}{'change':>10}"]
    for r in rows:
        diff = "" if r.diff is None else (f"{r.diff:+.2f}" if isinstance(r.diff, float) else f"{r.diff:+d}")
        out.append(f"{r.metric[:27]:<28}{show(r.a)[:11]:>12}{show(r.b)[:11]:>12}{diff:>10}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- markdown
def _md(text: str) -> str:
    # Session text is the trainee's own words: keep it from being read as Markdown markup.
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def to_markdown(d: Debrief, log: SessionLog) -> str:
    m = d.metrics
    out = [f"# Debrief: {_md(log.persona_name)}", "",
           f"- Session `{log.id or 'unsaved'}`, {log.mode}, seed {log.seed}, started {when(log.started_at)} UTC",
           f"- Trainee: {_md(log.trainee) or 'not given'}",
           f"- Outcome: {_md(outcome(log))}; final state {label(log.final_state)}, rapport {log.final_rapport}",
           f"- Overall score: **{d.overall}/100**"]
    if log.parent_id:
        out.append(f"- A retry of session `{log.parent_id}` from after turn {log.branch_turn}")
    out += ["", "## Lessons", "", "| Lesson | Score | Why |", "|---|---:|---|"]
    for lesson in Lesson:
        detail = d.lesson_details.get(str(lesson))
        out.append(f"| {LESSON_TITLES[lesson]} | {d.lessons[str(lesson)]} | {detail.why if detail else ''} |")
    out += ["", "## What went well, and what to try", ""] + [f"- {_md(line)}" for line in d.feedback]
    out += ["", "## The numbers", ""] + [f"- {_md(line)}" for line in number_lines(d, log)]
    out += ["", f"Rapport curve: {' → '.join(str(v) for v in m.rapport_curve)}", "", "## Story", ""]
    out += [f"- Uncovered: {_md(s)}" for _, s in d.beats_uncovered] or ["- Uncovered: nothing yet"]
    out += [f"- Still untold: {_md(s)}" for _, s in d.beats_missed]
    out += ["", "## Turn by turn", "", f"*{_md(log.persona_name)}:* {_md(log.opening_line)}", "",
            "| # | You said | Moves | Rapport | Effect |", "|---:|---|---|---:|---|"]
    for n in d.turn_notes:
        out.append(f"| {n.number} | {_md(n.trainee)} | {labels(n.moves)} | {n.delta:+d} | {_md(n.why)} |")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- json
def to_json(d: Debrief, log: SessionLog) -> str:
    return json.dumps({"schema": JSON_SCHEMA, "session": asdict(log), "debrief": asdict(d)},
                      ensure_ascii=False, indent=2)


# ----------------------------------------------------------------------------- html
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; max-width: 58rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc;
     padding-bottom: .2rem; margin-top: 2rem; }
.meta { color: #555; margin: 0; }
.overall { font-size: 1.3rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e2e2e2; }
td.num { text-align: right; white-space: nowrap; }
.bar { background: #e8eef4; height: .7rem; width: 10rem; display: inline-block; vertical-align: middle; }
.bar span { background: #2f6f9f; height: 100%; display: block; }
.up { color: #1b6e3a; } .down { color: #a33a2b; } .flat { color: #666; }
.moves { font-size: .85rem; color: #444; }
.reply { color: #444; font-style: italic; }
.chart { width: 100%; max-width: 40rem; height: auto; }
ul.feedback li { margin-bottom: .4rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; color: #000; }
  h2 { break-after: avoid; } tr, li { break-inside: avoid; }
  .bar { border: 1px solid #999; } .bar span { background: #555; }
}
"""


def rapport_svg(curve: list[int], lo: int = 0, hi: int = 100) -> str:
    """The rapport curve as an inline SVG line chart (turn 0 is the start)."""
    width, height, left, right, top, bottom = 640, 220, 40, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    steps = max(len(curve) - 1, 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        x = left + plot_w * i / steps
        y = top + plot_h * (1 - (min(max(v, lo), hi) - lo) / max(hi - lo, 1))
        return round(x, 1), round(y, 1)

    points = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, v in enumerate(curve)))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">Rapport over the session, turn by turn, from '
             f'{curve[0]} to {curve[-1]}</title>']
    for level in (lo, (lo + hi) // 2, hi):
        _, y = xy(0, level)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#ddd" />')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" fill="#555">{level}</text>')
    every = max(1, steps // 10)
    for i in range(0, len(curve), every):
        x, _ = xy(i, lo)
        parts.append(f'<text x="{x}" y="{height - 10}" font-size="11" text-anchor="middle" fill="#555">{i}</text>')
    parts.append(f'<polyline fill="none" stroke="#2f6f9f" stroke-width="2.5" points="{points}" />')
    for i, v in enumerate(curve):
        x, y = xy(i, v)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#2f6f9f"><title>turn {i}: rapport {v}</title></circle>')
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(d: Debrief, log: SessionLog) -> str:
    e = escape
    name = e(log.persona_name)
    rows = []
    for lesson in Lesson:
        score = d.lessons[str(lesson)]
        detail = d.lesson_details.get(str(lesson))
        rows.append(f'<tr><td>{e(LESSON_TITLES[lesson])}</td><td class="num">{score}</td>'
                    f'<td><span class="bar"><span style="width:{score}%"></span></span></td>'
                    f'<td>{e(detail.why if detail else "")}</td></tr>')
    turns = [f'<tr><td class="num">0</td><td></td><td></td><td class="num">{log.start_rapport}</td>'
             f'<td class="reply">{name}: {e(log.opening_line)}</td></tr>']
    for n in d.turn_notes:
        tone = "up" if n.delta > 0 else "down" if n.delta < 0 else "flat"
        turns.append(
            f'<tr><td class="num">{n.number}</td><td>{e(n.trainee)}</td>'
            f'<td class="moves">{e(labels(n.moves))}</td>'
            f'<td class="num {tone}">{n.delta:+d}</td>'
            f'<td>{e(n.why)}<div class="reply">{name}: {e(n.reply)}</div></td></tr>')
    uncovered = "".join(f"<li>{e(s)}</li>" for _, s in d.beats_uncovered) or "<li>nothing yet</li>"
    missed = "".join(f"<li>{e(s)}</li>" for _, s in d.beats_missed) or "<li>nothing: the whole story came out</li>"
    retry = (f'<p class="meta">A retry of session {e(log.parent_id)} from after turn {log.branch_turn}.</p>'
             if log.parent_id else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>peersim debrief: {name}, session {e(log.id or "unsaved")}</title>
<style>{CSS}</style>
</head>
<body>
<h1>Debrief: {name}</h1>
<p class="meta">Session {e(log.id or "unsaved")} &middot; {e(log.mode)} &middot; seed {log.seed} &middot;
started {e(when(log.started_at))} UTC &middot; trainee: {e(log.trainee or "not given")}</p>
<p class="meta">Outcome: {e(outcome(log))}; final state {e(label(log.final_state))}, rapport {log.final_rapport};
{n_turns(log)}.</p>
{retry}
<p class="overall">Overall {d.overall}/100</p>

<h2>Rapport over the session</h2>
{rapport_svg(d.metrics.rapport_curve)}

<h2>What went well, and what to try</h2>
<ul class="feedback">{"".join(f"<li>{e(line)}</li>" for line in d.feedback)}</ul>

<h2>Lessons</h2>
<table><thead><tr><th>Lesson</th><th>Score</th><th></th><th>Why</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>

<h2>The numbers</h2>
<ul>{"".join(f"<li>{e(line)}</li>" for line in number_lines(d, log))}</ul>

<h2>The story</h2>
<p>Uncovered ({d.metrics.beats_uncovered} of {d.metrics.beats_total}):</p><ul>{uncovered}</ul>
<p>Still untold:</p><ul>{missed}</ul>

<h2>Turn by turn</h2>
<table><thead><tr><th>#</th><th>You said</th><th>Moves read</th><th>Rapport</th><th>Effect</th></tr></thead>
<tbody>{"".join(turns)}</tbody></table>
<p class="meta">Made by peersim on this computer. Nothing was sent anywhere.</p>
</body>
</html>
"""


# ----------------------------------------------------------------------------- the formats
@dataclass(frozen=True)
class ExportFormat:
    """One way to save a debrief. `peersim export --format`, the debrief screen's keys and
    the names of saved files all read EXPORT_FORMATS, so a new format is one entry here."""

    name: str                                    # what `--format` takes
    title: str                                   # in help and on the debrief screen: "save as Markdown"
    suffix: str                                  # the end of a saved file's name
    render: Callable[[Debrief, SessionLog], str]
    key: str | None = None                       # the debrief screen's key for it (None: not offered there)
    escaped: bool = False                        # control characters escaped (JSON) rather than left out


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("md", "Markdown", ".md", to_markdown, key="m"),
    ExportFormat("html", "HTML", ".html", to_html, key="w"),
    ExportFormat("json", "JSON", ".json", to_json, escaped=True),
)}


def export(d: Debrief, log: SessionLog, fmt: str) -> str:
    """The debrief in one format. Trainee and author text may hold control characters
    (kept as typed in the store); no export carries them raw: JSON escapes them, the
    others leave them out."""
    form = EXPORT_FORMATS[fmt]
    text = form.render(d, log)
    return json_safe(text) if form.escaped else printable(text)


def file_name(log: SessionLog, fmt: str) -> str:
    """The name a saved debrief gets: the day, the client and the session, then the suffix."""
    stamp = (log.started_at or "")[:10]
    return f"{stamp}-{log.persona_id}-{log.id or 'session'}{EXPORT_FORMATS[fmt].suffix}"
