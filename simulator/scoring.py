"""Scoring a session: pure functions over a SessionLog. No I/O, no randomness.

Every number here is documented, with its thresholds, in docs/scoring.md. The counts
come from the moves that acted on the client (`TurnRecord.to_reading().acting`, the one
rule the engine applied), so the debrief explains exactly what the client reacted to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from simulator.moves.reading import MoveSpan
from simulator.moves.taxonomy import (BROKEN_BY, FEELING_WORDS, HARMFUL_MOVES, HELPFUL_MOVES, IN_A_STREAK, MOVES,
                                      SHOWN_BY, UNASKED, Lesson)
from simulator.scenario.kinds import guess_kind
from simulator.session import SessionLog, TurnRecord

Kinds = Mapping[str, str]  # state id -> kind, from the tree a session was played on

# ----------------------------------------------------------------------------- MITI bands
# MITI 4.2.1 summary thresholds (expert opinion, not norms).
RQ_FAIR, RQ_GOOD = 1.0, 2.0
CR_FAIR, CR_GOOD = 0.40, 0.50
BAND_POINTS = {"good": 100, "fair": 70, "below": 30}

REFLECTIONS = ("reflection", "summary")
QUESTIONS = ("open_question", "closed_question")
MI_ADHERENT = ("affirmation", "autonomy_support", "collaboration")
CLOSED_STREAK = 3  # the third closed question in a row (with no listening move) counts against listening
# MITI summary scores are read over a whole coded segment; a ratio of two or three moves
# says nothing. A band is given only from these counts on (and the debrief says why not).
RQ_AT_LEAST = 6   # reflections + questions
CR_AT_LEAST = 3   # reflections

# ----------------------------------------------------------------------------- complex reflections
# A reflection is complex when it adds meaning or feeling beyond the client's words. The
# recogniser cannot tell, so we use transparent markers on the reflection's own sentence.
_DOUBLE_SIDED = re.compile(
    r"\b(part of you|on (the )?one hand|on the other hand|at the same time|and yet|but also|both\b.*\band\b|"
    r"mixed feelings|torn between)\b")
_MEANING = re.compile(
    r"\b(matters? (to|a lot to|so much to) you|important to you|means? (a lot|so much|something) to you|"
    r"you (really )?care about|you value|what you want|you('re| are) wondering|you wish|you'?d (like|love|rather)|"
    r"you hope|you want(ed)? (to|more|something|someone|people|them|him|her|it)|for you,? it'?s|"
    r"more than anything|deep down|underneath)\b")
_METAPHOR = re.compile(r"\b(like you('re| are| were)|as if|as though|it'?s like|feels like a|like a )\b")
# "It sounds like you're tired" is the usual opening of a simple reflection, not an image:
# the lead-in is dropped before looking for a comparison.
_LEAD_IN = re.compile(r"\b(it )?(sounds|seems|looks) (like|as if|as though)\b")
_WORDS = re.compile(r"[a-z0-9]+(?:['-][a-z]+)*")


def _plain(text: str) -> str:
    # A phone or a word processor types “you’re” with a curly apostrophe; read it as "you're".
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def words(text: str) -> list[str]:
    return _WORDS.findall(_plain(text))


def complex_markers(span: str, client_said: str) -> list[str]:
    """Why a reflection counts as complex (empty: a simple reflection).

    A feeling word counts only if the client did not just say it themselves: "You're
    tired" after "I'm tired" is a simple reflection; naming an unspoken feeling is complex.
    """
    text = _plain(span)
    found = []
    theirs = set(words(client_said))
    feelings = [w for w in words(text) if w in FEELING_WORDS and w not in theirs]
    if feelings:
        found.append(f"names a feeling ({feelings[0]})")
    if _DOUBLE_SIDED.search(text):
        found.append("holds both sides")
    if _MEANING.search(text):
        found.append("reflects what matters to them")
    if _METAPHOR.search(_LEAD_IN.sub(" ", text)):
        found.append("uses an image or comparison")
    return found


def acting(turn: TurnRecord) -> tuple:
    """The spans of this turn that acted on the client: the engine's rule, never re-derived."""
    return turn.to_reading().acting


def acting_ids(turn: TurnRecord) -> list[str]:
    return [s.move for s in acting(turn)]


def heard_not_counted(turn: TurnRecord) -> list[str]:
    """Moves read in the turn that did not act (shown as "also heard, not counted"), and
    harmful readings the gate held back."""
    acted = {id(s) for s in acting(turn)}
    spans = turn.to_reading().moves
    out = [s.move for s in spans if id(s) not in acted and s.move != "other"]
    out += [s.held for s in spans if s.held]
    return list(dict.fromkeys(out))


# Spoken fillers and backchannels said with a rising tone ("you know?", "right?") are not
# questions: nobody is asked anything. Whatever is left after taking these out is the question.
_FILLER = re.compile(r"\b(you know|y'?know|ya know|know what i mean|i mean|i guess|you see|right|okay|ok|"
                     r"yeah|yea|yep|mm+|hmm+|uh+|um+|er|so|well|like|eh|huh|innit|alright|sure)\b")


def is_filler(text: str) -> bool:
    return not re.sub(r"[^a-z]", "", _FILLER.sub(" ", _plain(text)))


def counted_spans(log_turn: TurnRecord) -> list[MoveSpan]:
    """The acting spans, with filler "questions" left out."""
    return [span for span in acting(log_turn)
            if not (span.move in QUESTIONS and is_filler(span_text(log_turn, span)))]


def turn_moves(turn: TurnRecord) -> set[str]:
    return {span.move for span in counted_spans(turn)}


def span_text(turn: TurnRecord, span: MoveSpan) -> str:
    start, end = span.start, span.end
    text = turn.trainee[start:end] if 0 <= start < end <= len(turn.trainee) else ""
    return text or turn.trainee


def client_words_before(log: SessionLog, index: int) -> str:
    """What the client said just before turn `index` (0-based): the opening line or the last reply."""
    return log.opening_line if index == 0 else log.turns[index - 1].reply


# ----------------------------------------------------------------------------- metrics
@dataclass
class Metrics:
    turns: int
    move_counts: dict[str, int]          # every move span read, across all turns
    reflections: int                     # reflection + summary spans
    complex_reflections: int
    questions: int                       # open + closed question spans
    open_questions: int
    rq_ratio: float | None               # reflections / questions; None when no question was asked
    rq_band: str | None                  # good | fair | below | None (nothing to judge)
    complex_reflection_share: float | None
    complex_band: str | None
    open_question_share: float | None
    talk_share_trainee: float | None     # trainee words / (trainee + client words)
    trainee_words: int
    client_words: int
    self_focus_index: float | None       # first-person / (first + second person) words of the trainee
    self_focused_turns: list[int]
    advice_without_permission: int
    advice_turns: list[int]              # turns holding advice that was not asked for
    mi_adherent: int
    mi_non_adherent: int
    beats_uncovered: int
    beats_total: int
    time_to_first_reflection: int | None
    rapport_curve: list[int]
    closed_streak_turns: list[int]
    complex_turns: list[int] = field(default_factory=list)


def band(value: float | None, fair: float, good: float) -> str | None:
    if value is None:
        return None
    return "good" if value >= good - 1e-9 else "fair" if value >= fair - 1e-9 else "below"


def move_counts(log: SessionLog) -> dict[str, int]:
    counts: dict[str, int] = {}
    for turn in log.turns:
        for span in counted_spans(turn):
            counts[span.move] = counts.get(span.move, 0) + 1
    return counts


def reflection_judgements(log: SessionLog) -> list[tuple[int, str, bool, list[str]]]:
    """(turn number, reflection text, complex?, why) for every reflection or summary span."""
    out = []
    for index, turn in enumerate(log.turns):
        said = client_words_before(log, index)
        for span in counted_spans(turn):
            if span.move == "summary":
                out.append((turn.number, span_text(turn, span), True, ["a summary gathers several things"]))
            elif span.move == "reflection":
                text = span_text(turn, span)
                why = complex_markers(text, said)
                out.append((turn.number, text, bool(why), why))
    return out


_FIRST_PERSON = frozenset("i i'm i've i'd i'll me my mine myself im ive".split())
# Texting forms count too ("u", "ur", "urself"): the first-person list already holds "im".
_SECOND_PERSON = frozenset("you your yours yourself yourselves you're you've you'd you'll youre youve youd "
                           "youll u ur urs urself ure u're u've u'd u'll y'all yall ya'll".split())


def self_focus_index(log: SessionLog) -> float | None:
    """Share of the trainee's personal pronouns that are about themselves (I, me, my...)
    rather than the client (you, your...). 0 is all about the client; None if neither appears."""
    first = second = 0
    for turn in log.turns:
        for w in words(turn.trainee):
            first += w in _FIRST_PERSON
            second += w in _SECOND_PERSON
    return round(first / (first + second), 3) if first + second else None


def advice_without_permission(log: SessionLog) -> list[int]:
    """Turns with directive advice not preceded by a collaboration move (asking permission,
    planning together) earlier in the same turn or anywhere in the previous turn."""
    found = []
    for index, turn in enumerate(log.turns):
        previous = set(acting_ids(log.turns[index - 1])) if index else set()
        asked = "collaboration" in previous
        for move in acting_ids(turn):
            if move == "collaboration":
                asked = True
            elif move == "directive_advice" and not asked:
                found.append(turn.number)
                break
    return found


def closed_streak_turns(log: SessionLog) -> list[int]:
    """Turns that are the third (or later) closed question in a row with no listening move between."""
    found, run = [], 0
    for turn in log.turns:
        moves = turn_moves(turn)
        if "closed_question" in moves and not moves & {"reflection", "summary", "open_question"}:
            run += 1
            if run >= CLOSED_STREAK:
                found.append(turn.number)
        else:
            run = 0
    return found


def talk_words(log: SessionLog) -> tuple[int, int]:
    trainee = sum(len(words(t.trainee)) for t in log.turns)
    client = len(words(log.opening_line)) + sum(len(words(t.reply)) for t in log.turns)
    return trainee, client


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def compute_metrics(log: SessionLog) -> Metrics:
    counts = move_counts(log)
    judged = reflection_judgements(log)
    reflections = sum(counts.get(m, 0) for m in REFLECTIONS)
    complex_n = sum(1 for _, _, is_complex, _ in judged if is_complex)
    questions = sum(counts.get(m, 0) for m in QUESTIONS)
    opens = counts.get("open_question", 0)
    rq = round(reflections / questions, 3) if questions else None
    # With no questions at all, any reflecting at all is on the right side of the ratio.
    rq_band = band(rq, RQ_FAIR, RQ_GOOD) if questions else ("good" if reflections else None)
    if reflections + questions < RQ_AT_LEAST:
        rq_band = None
    cr = _share(complex_n, reflections)
    trainee_w, client_w = talk_words(log)
    advice = advice_without_permission(log)
    first_reflection = next((t.number for t in log.turns if turn_moves(t) & set(REFLECTIONS)), None)
    return Metrics(
        turns=len(log.turns), move_counts=counts, reflections=reflections, complex_reflections=complex_n,
        questions=questions, open_questions=opens, rq_ratio=rq, rq_band=rq_band,
        complex_reflection_share=cr, complex_band=band(cr, CR_FAIR, CR_GOOD) if reflections >= CR_AT_LEAST else None,
        open_question_share=_share(opens, questions), talk_share_trainee=_share(trainee_w, trainee_w + client_w),
        trainee_words=trainee_w, client_words=client_w, self_focus_index=self_focus_index(log),
        self_focused_turns=[t.number for t in log.turns if "self_focused_story" in acting_ids(t)],
        advice_without_permission=len(advice), advice_turns=advice,
        mi_adherent=sum(counts.get(m, 0) for m in MI_ADHERENT),
        mi_non_adherent=counts.get("judgment", 0) + len(advice),
        beats_uncovered=len(log.beats_revealed), beats_total=len(log.beats_total),
        time_to_first_reflection=first_reflection, rapport_curve=log.rapport_curve,
        closed_streak_turns=closed_streak_turns(log),
        complex_turns=sorted({n for n, _, is_complex, _ in judged if is_complex}))


# ----------------------------------------------------------------------------- lessons
# Per lesson: the moves that show it and the moves that break it, from the taxonomy.
# Each turn counts once as "showing" if it holds a showing move, and as "breaking" (with
# the weight given) if it holds a breaking move; a turn can do both. A misstep weighs
# double because a single one undoes several good turns with a guarded client.
SHOWS: dict[str, frozenset[str]] = {str(lesson): moves for lesson, moves in SHOWN_BY.items()}
BREAK_WEIGHT = 2
REPAIRED_WEIGHT = 1  # owning the misstep soon after halves it (a breach is heard, never undone)
BREACH_WEIGHT = 4  # a breach of confidentiality can end the relationship on its own
BREAK_WEIGHTS = {Lesson.CONFIDENTIALITY: BREACH_WEIGHT}  # every other lesson: BREAK_WEIGHT
NOT_PRACTISED = 50  # the neutral score of a lesson nothing in the session touched
REPAIR_WITHIN = 2  # a repair counts for a misstep in one of the next two turns, before any new harm
# What the misstep did to the client caps the lesson it broke: it cannot score high when
# the client left over it, or pulled back and never came back.
LEFT_CAP = 20
STAYED_AWAY_CAP = 50
# And the session as a whole: a trainer would not rate a session the client walked out
# of, or one with a breach or a judging remark in it, as a good one.
OVERALL_CAP_LEFT = 40
OVERALL_CAP_BREACH = 40
OVERALL_CAP_JUDGMENT = 60


@dataclass
class LessonScore:
    lesson: str
    score: int
    practised: bool
    shown: int        # turns that showed the lesson
    broken: int       # turns that broke it
    why: str
    repaired: list[int] = field(default_factory=list)  # turns whose misstep here was repaired
    capped: str = ""  # why the score was capped, if it was


def harmful_turns(log: SessionLog) -> list[int]:
    return [t.number for t in log.turns if set(acting_ids(t)) & HARMFUL_MOVES]


def repairs(log: SessionLog) -> dict[int, int]:
    """Each harmful turn that was repaired -> the turn that repaired it: a `repair` that
    acted within REPAIR_WITHIN turns, before any further harm. A breach is never undone."""
    out = {}
    for index, turn in enumerate(log.turns):
        moves = set(acting_ids(turn))
        if not moves & HARMFUL_MOVES or "confidentiality_breach" in moves:
            continue
        for later in log.turns[index + 1:index + 1 + REPAIR_WITHIN]:
            ids = set(acting_ids(later))
            if "repair" in ids:
                out[turn.number] = later.number
                break
            if ids & HARMFUL_MOVES:
                break
    return out


def _breaks(lesson: str, turn: TurnRecord, advice_turns: set[int], streak_turns: set[int]) -> int:
    """The weight with which this turn goes against the lesson (0: it does not). A move
    the taxonomy marks `unasked` or `in_a_streak` counts only on the turns so measured."""
    moves = set(acting_ids(turn))
    measured = {UNASKED: advice_turns, IN_A_STREAK: streak_turns}
    for move in BROKEN_BY[Lesson(lesson)]:
        when = MOVES[move].breaks_when
        if (turn.number in measured[when]) if when else (move in moves):
            return BREAK_WEIGHTS.get(Lesson(lesson), BREAK_WEIGHT)
    return 0


def _shows(lesson: str, log: SessionLog, turn: TurnRecord) -> bool:
    if turn_moves(turn) & SHOWS[lesson]:
        return True
    # A plan the client agreed to is collaboration, whatever the last words were read as.
    return lesson == Lesson.COLLABORATION and turn.ending == "plan"


def _aftermath(log: SessionLog, index: int, repaired: bool, kinds: Kinds | None) -> str:
    """What an unrepaired misstep at turn `index` led to: "left", "stayed away" or ""."""
    if repaired:
        return ""
    turn = log.turns[index]
    if log.ending == "left" and not any("repair" in acting_ids(t) for t in log.turns[index + 1:]):
        return "left"
    if is_withdrawal(turn, kinds) and state_kind(log.final_state, kinds) == "withdrawn":
        return "stayed away"
    return ""


def lesson_scores(log: SessionLog, metrics: Metrics | None = None,
                  kinds: Kinds | None = None) -> dict[str, LessonScore]:
    """0-100 per lesson: 100 x shown / (shown + weighted breaks); 50 when not practised.
    Active listening also averages in the MITI bands of R:Q and complex reflections.
    A repaired misstep weighs half; one the client left over, or never came back from, caps the lesson."""
    metrics = metrics or compute_metrics(log)
    advice, streak = set(metrics.advice_turns), set(metrics.closed_streak_turns)
    fixed = repairs(log)
    out = {}
    for lesson in Lesson:
        shown = sum(1 for t in log.turns if _shows(lesson, log, t))
        weight = broken = 0
        repaired, aftermath = [], set()
        for index, turn in enumerate(log.turns):
            w = _breaks(lesson, turn, advice, streak)
            if not w:
                continue
            broken += 1
            if turn.number in fixed:
                repaired.append(turn.number)
                w = REPAIRED_WEIGHT
            weight += w
            after = _aftermath(log, index, turn.number in fixed, kinds)
            if after:
                aftermath.add(after)
        parts = [round(100 * shown / (shown + weight))] if shown + weight else []
        if lesson == Lesson.ACTIVE_LISTENING and parts:
            parts += [BAND_POINTS[b] for b in (metrics.rq_band, metrics.complex_band) if b]
        practised = bool(parts)
        score = round(sum(parts) / len(parts)) if parts else NOT_PRACTISED
        capped = ""
        if "left" in aftermath and score > LEFT_CAP:
            score, capped = LEFT_CAP, f"{log.persona_name} left after a misstep here"
        elif "stayed away" in aftermath and score > STAYED_AWAY_CAP:
            score, capped = STAYED_AWAY_CAP, f"{log.persona_name} pulled back after a misstep here and stayed back"
        why = (f"{shown} turn{'s' if shown != 1 else ''} showed it, {broken} went against it"
               if practised else "not practised in this session")
        if repaired:
            why += f" (repaired at turn {', '.join(str(fixed[n]) for n in repaired)})"
        if capped:
            why += f"; capped at {score}: {capped}"
        out[str(lesson)] = LessonScore(str(lesson), score, practised, shown, broken, why, repaired, capped)
    return out


def overall_caps(log: SessionLog) -> list[tuple[int, str]]:
    """The caps on the overall score that this session's log calls for, with the reason."""
    acted = {m for t in log.turns for m in acting_ids(t)}
    caps = []
    if log.ending == "left":
        caps.append((OVERALL_CAP_LEFT, f"{log.persona_name} left the conversation"))
    if "confidentiality_breach" in acted:
        caps.append((OVERALL_CAP_BREACH, "a breach of confidentiality"))
    if "judgment" in acted:
        caps.append((OVERALL_CAP_JUDGMENT, "a judging remark"))
    return caps


def overall_score(lessons: dict[str, LessonScore], log: SessionLog | None = None) -> int:
    """The mean of the lessons the session practised (all five count as 50 if none was),
    capped by what happened (overall_caps)."""
    practised = [s.score for s in lessons.values() if s.practised]
    score = round(sum(practised) / len(practised)) if practised else NOT_PRACTISED
    for cap, _why in overall_caps(log) if log is not None else []:
        score = min(score, cap)
    return score


# ----------------------------------------------------------------------------- turns
def state_kind(state: str, kinds: Kinds | None = None) -> str:
    """The situation a state stands for: withdrawn, ambivalent, guarded, opening or default.
    `kinds` is the tree's (scenario.kinds.tree_kinds); a state it does not name, or a log
    scored without its tree (a bundle from another computer), is read from its id."""
    return (kinds or {}).get(state) or guess_kind(state)


def is_withdrawal(turn: TurnRecord, kinds: Kinds | None = None) -> bool:
    """The client pulled back on this turn: rapport dropped, or they moved into a withdrawal state."""
    moved_away = turn.state_after != turn.state_before and state_kind(turn.state_after, kinds) == "withdrawn"
    return turn.rapport_after < turn.rapport_before or moved_away


def effect_of(turn: TurnRecord) -> int:
    """The sum of the moves' rapport effects (before clamping, so a turn at the ceiling still counts)."""
    return sum(e.delta for e in turn.effects)


def strongest_turn(log: SessionLog) -> TurnRecord | None:
    """Only a turn with a helpful move that acted and no harmful one can be the strongest:
    cheerleading that happened to lift rapport is never praised."""
    best = None
    for turn in log.turns:
        moves = set(acting_ids(turn))
        if effect_of(turn) > 0 and moves & HELPFUL_MOVES and not moves & HARMFUL_MOVES:
            if best is None or effect_of(turn) > effect_of(best):
                best = turn
    return best


def weakest_turn(log: SessionLog, kinds: Kinds | None = None) -> TurnRecord | None:
    worst = None
    for turn in log.turns:
        hurt = effect_of(turn) < 0 or set(acting_ids(turn)) & HARMFUL_MOVES or is_withdrawal(turn, kinds)
        if hurt and (worst is None or effect_of(turn) < effect_of(worst)):
            worst = turn
    return worst


def withdrawal_triggers(log: SessionLog, kinds: Kinds | None = None) -> dict[str, int]:
    """Moves on the turns where the client pulled back (harmful ones if any, else the primary)."""
    counts: dict[str, int] = {}
    for turn in log.turns:
        if is_withdrawal(turn, kinds):
            harmful = [m for m in dict.fromkeys(acting_ids(turn)) if m in HARMFUL_MOVES]
            for move in harmful or [turn.primary]:
                counts[move] = counts.get(move, 0) + 1
    return counts


@dataclass
class Scores:
    metrics: Metrics
    lessons: dict[str, LessonScore]
    overall: int


def score_log(log: SessionLog, kinds: Kinds | None = None) -> Scores:
    metrics = compute_metrics(log)
    lessons = lesson_scores(log, metrics, kinds)
    return Scores(metrics, lessons, overall_score(lessons, log))
