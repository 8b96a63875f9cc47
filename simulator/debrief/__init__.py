"""The debrief of a session, and rewinding one: what the scoring found, said to the
trainee as a colleague would say it, about the moves and their effect.

`debrief(log, scenario)` is pure over the log: it loads nothing. The scenario, when the
caller has it (simulator/service.py finds the files a session was played with), only adds
beat summaries and lines that fit this client. Resuming and rewinding live in the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.debrief.library import better_reply
from simulator.scoring import (
    CR_AT_LEAST, RQ_AT_LEAST, LessonScore, Metrics, acting_ids, effect_of, heard_not_counted, overall_caps, repairs,
    score_log, state_kind, strongest_turn, weakest_turn, withdrawal_triggers,
)
from simulator.moves.taxonomy import Lesson, move_label
from simulator.scenario.checked import Scenario
from simulator.scenario.kinds import tree_kinds
from simulator.session import SessionLog, TurnRecord

__all__ = ["Debrief", "Metrics", "TurnNote", "CompareRow", "compare", "debrief"]


@dataclass
class TurnNote:
    number: int
    trainee: str
    moves: list[str]
    delta: int               # rapport after minus before
    why: str                 # one plain sentence: moves read and their effect
    effect: int = 0          # the moves' summed effect before clamping
    state_before: str = ""
    state_after: str = ""
    reply: str = ""
    beats: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)  # read but did not act: "also heard, not counted"
    repaired_at: int | None = None  # the turn that repaired this turn's misstep
    unclear: bool = False           # the reading was unsure and was not asked about (fading, assessment)


@dataclass
class Debrief:
    metrics: Metrics
    lessons: dict[str, int]
    overall: int
    strongest: TurnNote | None
    weakest: TurnNote | None
    better_reply: str | None
    better_move: str | None
    beats_uncovered: list[tuple[str, str]]
    beats_missed: list[tuple[str, str]]
    turn_notes: list[TurnNote]
    feedback: list[str]
    lesson_details: dict[str, LessonScore] = field(default_factory=dict)
    withdrawal_triggers: dict[str, int] = field(default_factory=dict)
    states_reached: list[str] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)  # why the overall score was capped


def label(name: str) -> str:
    """A state or lesson id in plain words: "opening_up" -> "opening up" (moves: move_label)."""
    return name.replace("_", " ")


def labels(moves: list[str]) -> str:
    names = [move_label(m) for m in dict.fromkeys(moves)] or ["nothing"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}”"


# How each move reads inside a sentence of advice ("... might have kept them talking").
MOVE_PHRASES = {
    "reflection": "a reflection of what they said or felt",
    "summary": "a summary of what they had told you",
    "open_question": "an open question",
    "affirmation": "an affirmation",
    "autonomy_support": "leaving the choice with them (autonomy support)",
    "collaboration": "asking permission first (collaboration)",
    "confidentiality_assurance": "an honest word about what stays private",
}


def move_phrase(move: str) -> str:
    return MOVE_PHRASES.get(move, move_label(move))


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


# ----------------------------------------------------------------------------- scenario
def _beat_summaries(scenario: Scenario | None) -> dict[str, str]:
    # Without the persona (a deleted file, a bundle from another machine) beats go by their ids.
    return {b.id: b.summary or b.id for b in scenario.persona.beats} if scenario is not None else {}


# ----------------------------------------------------------------------------- turn notes
def turn_note(log: SessionLog, turn: TurnRecord, summaries: dict[str, str],
              repaired_at: int | None = None) -> TurnNote:
    name = log.persona_name
    delta = turn.rapport_after - turn.rapport_before
    moves = acting_ids(turn)
    heard = heard_not_counted(turn)
    parts = [f"Read as {labels(moves)}; rapport {turn.rapport_before} → {turn.rapport_after} "
             f"({_signed(delta)})."]
    if heard:
        parts.append(f"Also heard, not counted: {labels(heard)}.")
    if turn.unclear:
        parts.append("The reading was unsure; it was taken as its most likely harmless move.")
    if repaired_at is not None:
        parts.append(f"Repaired at turn {repaired_at}.")
    if turn.state_after != turn.state_before:
        parts.append(f"{name} moved from {label(turn.state_before)} to {label(turn.state_after)}.")
    for beat in turn.beats:
        parts.append(f"{name} told you: {summaries.get(beat, beat)}.")
    if turn.ending == "left":
        parts.append(f"{name} left.")
    elif turn.ending == "plan":
        parts.append("You agreed a plan together.")
    return TurnNote(turn.number, turn.trainee, list(dict.fromkeys(moves)), delta, " ".join(parts),
                    effect_of(turn), turn.state_before, turn.state_after, turn.reply, list(turn.beats),
                    heard, repaired_at, turn.unclear)


# ----------------------------------------------------------------------------- feedback
def _ratio(value: float) -> str:
    return f"{value:.1f}:1".replace(".0:", ":")


def feedback_lines(log: SessionLog, m: Metrics, strongest: TurnNote | None, weakest: TurnNote | None,
                   better_move: str | None, better: str | None, missed: int) -> list[str]:
    """Short lines to the trainee as a colleague: specific, kind, about moves and their effect."""
    name = log.persona_name
    out = []
    if not log.turns:
        return [f"No turns yet. {name}'s opening line is waiting for a reply."]
    if strongest:
        moved = (f", and {name} moved to {label(strongest.state_after)}"
                 if strongest.state_after != strongest.state_before else "")
        out.append(f"Turn {strongest.number} landed well: {quote(strongest.trainee)} was read as "
                   f"{labels(strongest.moves)} and lifted rapport by {strongest.effect}{moved}.")
    checks = [t.number for t in log.turns if t.safety_check]
    if checks:
        out.append(f"At turn {', '.join(map(str, checks))} you asked {name} directly about their safety, and "
                   f"{name} could answer you honestly: asking plainly is a strength.")
    if weakest:
        line = (f"At turn {weakest.number}, {name} pulled back after {quote(weakest.trainee)} "
                f"({labels(weakest.moves)}, rapport {_signed(weakest.delta)}).")
        if weakest.repaired_at is not None:
            line += f" You owned it at turn {weakest.repaired_at}, and that repair counts."
        if better and better_move:
            line += (f" {move_phrase(better_move)[0].upper()}{move_phrase(better_move)[1:]} might have kept "
                     f"{name} talking, for example: “{better}”")
        out.append(line)
    if (m.reflections or m.questions) and m.rq_band is None:
        out.append(f"You offered {m.reflections} reflection{'s' if m.reflections != 1 else ''} and asked "
                   f"{m.questions} question{'s' if m.questions != 1 else ''}: too few to judge the ratio "
                   f"(MITI bands are read from {RQ_AT_LEAST} together).")
    elif m.reflections or m.questions:
        if m.questions:
            rq = (f"You offered {m.reflections} reflection{'s' if m.reflections != 1 else ''} and asked "
                  f"{m.questions} question{'s' if m.questions != 1 else ''}, a ratio of {_ratio(m.rq_ratio or 0)}: "
                  f"{m.rq_band} by the MITI reference (1:1 fair, 2:1 good).")
        else:
            rq = f"You offered {m.reflections} reflection{'s' if m.reflections != 1 else ''} and asked no questions."
        if m.rq_band == "below":
            rq += " Answering with a reflection before the next question lets the client hear they were heard."
        out.append(rq)
    if m.reflections:
        pct = round(100 * (m.complex_reflection_share or 0))
        line = (f"{m.complex_reflections} of {m.reflections} reflection{'s' if m.reflections != 1 else ''} added "
                f"meaning beyond {name}'s words "
                f"({pct}%; 40% is fair, 50% good).")
        if m.complex_band is None:
            line = line.replace("; 40% is fair, 50% good", f"; too few to judge, bands from {CR_AT_LEAST}")
        if m.complex_band != "good":
            line += " Naming an unspoken feeling, or both sides (“part of you…”), makes a reflection complex."
        out.append(line)
    if m.time_to_first_reflection is None:
        out.append(f"No reflection came up in this session; saying back what {name} said is the quickest way "
                   "to show you heard.")
    elif m.time_to_first_reflection > 3:
        out.append(f"The first reflection came at turn {m.time_to_first_reflection}; an earlier one often "
                   "helps a client settle.")
    if m.advice_turns:
        turns = ", ".join(str(n) for n in m.advice_turns)
        out.append(f"Advice came without asking first (turn {turns}). Asking “Would it be okay if I shared an "
                   f"idea?” keeps {name} in the driver's seat.")
    if m.self_focused_turns:
        turns = ", ".join(str(n) for n in m.self_focused_turns)
        out.append(f"At turn {turns} your own story took the spotlight. A sentence of lived experience, then "
                   f"a question back to {name}, keeps the focus on them.")
    if m.closed_streak_turns:
        out.append(f"Several closed questions came in a row (up to turn {m.closed_streak_turns[-1]}); an open "
                   "question or a reflection invites longer answers.")
    if m.beats_total:
        line = f"{m.beats_uncovered} of {m.beats_total} parts of {name}'s story came out."
        if missed:
            line += " There was more to hear; trust grows turn by turn."
        out.append(line)
    if log.ending == "plan":
        out.append(f"You and {name} agreed a plan together.")
    elif log.ending == "left":
        out.append(f"{name} left before the end; the turn notes show where the conversation turned.")
    return out


# ----------------------------------------------------------------------------- the debrief
def client_said_until(log: SessionLog, number: int) -> str:
    """Everything the client said before turn `number`: the opening line and the replies."""
    return "\n".join([log.opening_line, *(t.reply for t in log.turns if t.number < number)])


def debrief(log: SessionLog, scenario: Scenario | None = None) -> Debrief:
    # The tree's `kind:` of each state, so the scores and the suggestions read the tree;
    # without the tree, the state ids are read as before.
    kinds = tree_kinds(scenario.tree) if scenario is not None else {}
    scores = score_log(log, kinds)
    summaries = _beat_summaries(scenario)
    fixed = repairs(log)
    notes = [turn_note(log, t, summaries, fixed.get(t.number)) for t in log.turns]
    by_number = {n.number: n for n in notes}
    strong, weak = strongest_turn(log), weakest_turn(log, kinds)
    better_move = better = None
    if weak is not None:
        better_move, better = better_reply(weak, state_kind(weak.state_before, kinds),
                                           scenario.persona if scenario else None,
                                           client_said_until(log, weak.number), acting_ids(weak))
        if better is None:
            better_move = None
    revealed = log.beats_revealed
    uncovered = [(b, summaries.get(b, b)) for b in revealed]
    missed = [(b, summaries.get(b, b)) for b in log.beats_total if b not in revealed]
    strongest = by_number.get(strong.number) if strong else None
    weakest = by_number.get(weak.number) if weak else None
    states = list(dict.fromkeys([log.start_state] + [t.state_after for t in log.turns]))
    caps = [(cap, why) for cap, why in overall_caps(log) if cap < round(_practised_mean(scores))]
    feedback = feedback_lines(log, scores.metrics, strongest, weakest, better_move, better, len(missed))
    if caps:
        cap, why = min(caps)
        feedback.append(f"The overall score is held at {cap} or below because of {why}: what the client "
                        "lived through counts more than the good turns around it.")
    return Debrief(
        metrics=scores.metrics, lessons={k: v.score for k, v in scores.lessons.items()}, overall=scores.overall,
        strongest=strongest, weakest=weakest, better_reply=better, better_move=better_move,
        beats_uncovered=uncovered, beats_missed=missed, turn_notes=notes,
        feedback=feedback,
        lesson_details=scores.lessons, withdrawal_triggers=withdrawal_triggers(log, kinds), states_reached=states,
        caps=[why for _cap, why in caps])


def _practised_mean(scores) -> float:
    practised = [s.score for s in scores.lessons.values() if s.practised]
    return sum(practised) / len(practised) if practised else 0


# ----------------------------------------------------------------------------- compare
@dataclass
class CompareRow:
    metric: str
    a: float | int | str | None
    b: float | int | str | None
    diff: float | int | None  # b - a where both are numbers


def _metric_rows(d: Debrief, log: SessionLog | None) -> list[tuple[str, float | int | str | None]]:
    m = d.metrics
    rows: list[tuple[str, float | int | str | None]] = [("overall score", d.overall)]
    rows += [(f"lesson: {label(str(lesson))}", d.lessons[str(lesson)]) for lesson in Lesson]
    rows += [("turns", m.turns), ("reflections", m.reflections), ("questions", m.questions),
             ("reflection:question ratio", m.rq_ratio), ("complex reflection share", m.complex_reflection_share),
             ("open question share", m.open_question_share), ("trainee talk share", m.talk_share_trainee),
             ("self-focus index", m.self_focus_index), ("advice without permission", m.advice_without_permission),
             ("beats uncovered", m.beats_uncovered), ("first reflection (turn)", m.time_to_first_reflection),
             ("final rapport", m.rapport_curve[-1] if m.rapport_curve else None)]
    if log is not None:
        rows.append(("final state", log.final_state))
    return rows


def compare(a: SessionLog | Debrief, b: SessionLog | Debrief) -> list[CompareRow]:
    """Rows of metric differences between two sessions (typically a session and its branch)."""
    log_a = a if isinstance(a, SessionLog) else None
    log_b = b if isinstance(b, SessionLog) else None
    da = debrief(a) if isinstance(a, SessionLog) else a
    db = debrief(b) if isinstance(b, SessionLog) else b
    out = []
    for (name, va), (_, vb) in zip(_metric_rows(da, log_a), _metric_rows(db, log_b)):
        numeric = isinstance(va, (int, float)) and isinstance(vb, (int, float))
        diff = round(vb - va, 3) if numeric else None
        out.append(CompareRow(name, va, vb, diff))
    return out
