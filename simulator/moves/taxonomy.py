"""The move taxonomy: the stable ids that YAML files, the CLI and the scoring all share.

Everything the rest of the program knows about a move is stated here, once: its label,
its *family* (reply pools may be written per family instead of per move, so an author
need not write seventeen pools per state), its polarity, its rank for the primary move
(the recogniser), and the lessons of the source article it shows or breaks (the scoring;
the README's table is tested against it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Lesson(StrEnum):
    CLIENT_FOCUS = "client_focus"
    AUTONOMY = "autonomy"
    CONFIDENTIALITY = "confidentiality"
    COLLABORATION = "collaboration"
    ACTIVE_LISTENING = "active_listening"


LESSON_TITLES: dict[Lesson, str] = {
    Lesson.CLIENT_FOCUS: "It's not about you: keep the focus on their story",
    Lesson.AUTONOMY: "Empower autonomy: a GPS, not the driver",
    Lesson.CONFIDENTIALITY: "Confidentiality builds trust",
    Lesson.COLLABORATION: "Collaboration: they are the expert on their life",
    Lesson.ACTIVE_LISTENING: "Active listening: reflect, ask, let them feel heard",
}


# When a move that breaks a lesson counts against it (scoring.py measures each):
ALWAYS = ""                  # whenever it acts on the client
UNASKED = "unasked"          # advice given without asking first (no collaboration move before it)
IN_A_STREAK = "in_a_streak"  # the third closed question in a row with no listening move between
BREAKS_WHEN_WORDS = {ALWAYS: "", UNASKED: "without asking first", IN_A_STREAK: "the third in a row"}


@dataclass(frozen=True)
class Move:
    id: str
    label: str                # how every screen and export names the move
    family: str
    polarity: Polarity
    rank: int                 # for the primary move: the lowest rank in a turn is what the client hears most
    shows: tuple[Lesson, ...]   # the lessons a turn holding this move shows (docs/scoring.md)
    breaks: tuple[Lesson, ...]  # the lessons it goes against
    description: str
    example: str
    breaks_when: str = ALWAYS


# The ranks: harm is heard over everything else, worst first; then a repair and a promise
# of privacy; then the moves that invite the client to answer or decide; then listening;
# then the rest (docs/recogniser.md).
_P, _N, _H = Polarity.POSITIVE, Polarity.NEUTRAL, Polarity.NEGATIVE
_FOCUS, _AUTONOMY, _PRIVACY = Lesson.CLIENT_FOCUS, Lesson.AUTONOMY, Lesson.CONFIDENTIALITY
_TOGETHER, _LISTENING = Lesson.COLLABORATION, Lesson.ACTIVE_LISTENING

_MOVES = [
    Move("reflection", "reflection", "listening", _P, 11, (_FOCUS, _LISTENING), (),
         "Says back what the client said or felt, simply or with added meaning.",
         "It sounds like you're worn out from holding it all together."),
    Move("summary", "summary", "listening", _P, 7, (_FOCUS, _TOGETHER, _LISTENING), (),
         "Gathers several things the client said into one reflection.",
         "So far you've told me about the job, your sister, and how tired you are."),
    Move("open_question", "open question", "questioning", _P, 10, (_FOCUS, _AUTONOMY), (),
         "Asks a question that invites the client to say more in their own words.",
         "What's that been like for you?"),
    Move("affirmation", "affirmation", "affirming", _P, 13, (_FOCUS,), (),
         "Validates feelings or names a real strength or effort of the client.",
         "It took courage to come in today."),
    Move("autonomy_support", "autonomy support", "empowering", _P, 9, (_AUTONOMY,), (),
         "Affirms that the choice is the client's, in line with their own values.",
         "It's your call, and whatever you decide, I'm here."),
    Move("collaboration", "collaboration", "empowering", _P, 8, (_TOGETHER,), (),
         "Plans together or asks permission before offering anything.",
         "Would it help if we worked out a next step together?"),
    Move("confidentiality_assurance", "confidentiality assurance", "trust", _P, 6, (_PRIVACY,), (),
         "Tells the client what stays private between you, honestly.",
         "What you tell me stays between us, unless I'm worried for your safety, and then I'd talk with you first."),
    Move("repair", "repair", "repair", _P, 5, (_FOCUS,), (),
         "Owns a misstep and hands the floor back.",
         "Sorry, I got ahead of myself there. You know your life best. Go on."),
    Move("closed_question", "closed question", "questioning", _N, 12, (), (_LISTENING,),
         "Asks a yes/no or short-answer question.",
         "Did you sleep last night?", breaks_when=IN_A_STREAK),
    Move("information", "information", "sharing", _N, 15, (), (),
         "Gives neutral facts about services, options or how things work.",
         "The drop-in centre is open until six on weekdays."),
    Move("self_disclosure", "self disclosure", "sharing", _N, 14, (), (),
         "Briefly shares lived experience, then hands the focus back.",
         "I've been somewhere like that too. What's it like for you?"),
    Move("greeting", "greeting", "social", _N, 16, (), (),
         "Greets, thanks or says goodbye.",
         "Hi, thanks for coming in."),
    Move("other", "other", "social", _N, 17, (), (),
         "Anything that is none of the other moves.",
         "Okay."),
    Move("self_focused_story", "self focused story", "self_focus", _H, 2, (), (_FOCUS,),
         "The helper's own story takes over the conversation.",
         "When I was using, I lost everything, and then I went to this program and..."),
    Move("directive_advice", "directive advice", "directing", _H, 3, (), (_AUTONOMY, _TOGETHER),
         "Tells the client what to do without being asked (should, have to, why don't you).",
         "You should go to a meeting tonight.", breaks_when=UNASKED),
    Move("judgment", "judgment", "judging", _H, 1, (), (_AUTONOMY,),
         "Blames, labels or confronts the client.",
         "That was a pretty irresponsible thing to do."),
    Move("minimizing", "minimizing", "dismissing", _H, 4, (), (_LISTENING,),
         "Brushes feelings aside with false reassurance (at least, cheer up).",
         "At least you still have your job."),
    Move("confidentiality_breach", "confidentiality breach", "breach", _H, 0, (), (_PRIVACY,),
         "Tells others, or threatens to, without the client's consent.",
         "I'll have to let your probation officer know about this."),
]

MOVES: dict[str, Move] = {m.id: m for m in _MOVES}
MOVE_IDS: tuple[str, ...] = tuple(MOVES)
FAMILIES: dict[str, tuple[str, ...]] = {}
for _m in _MOVES:
    FAMILIES.setdefault(_m.family, ())
    FAMILIES[_m.family] += (_m.id,)
FAMILY_IDS: tuple[str, ...] = tuple(FAMILIES)
# What the client responds to most when a turn holds several moves (the recogniser's primary).
PRIMARY_ORDER: tuple[str, ...] = tuple(sorted(MOVES, key=lambda m: MOVES[m].rank))
# Per lesson, the moves that show it and the moves that break it.
SHOWN_BY: dict[Lesson, frozenset[str]] = {l: frozenset(m.id for m in _MOVES if l in m.shows) for l in Lesson}
BROKEN_BY: dict[Lesson, frozenset[str]] = {l: frozenset(m.id for m in _MOVES if l in m.breaks) for l in Lesson}

# Moves that ask for the trainee's listening skill; scoring and the coach use this.
HELPFUL_MOVES = frozenset(m.id for m in _MOVES if m.polarity is Polarity.POSITIVE)
HARMFUL_MOVES = frozenset(m.id for m in _MOVES if m.polarity is Polarity.NEGATIVE)


# Words that name a feeling. Scoring counts a reflection that names a feeling the client did
# not say as complex. A label map tells a reflection of feeling from a restatement of content
# by FEELING_TALK, which adds the words that speak of how something feels ("feel", "hard").
FEELING_WORDS = frozenset("""
afraid alone angry annoyed anxious ashamed betrayed bitter burdened confused crushed defeated
desperate disappointed discouraged drained embarrassed empty exhausted fed-up frightened frustrated
furious guilty helpless hopeful hopeless hurt invisible isolated jealous lonely lost nervous numb
overwhelmed panicked powerless proud relieved resentful sad scared shaken stuck terrified tense
tired torn trapped uneasy unsure upset worn worried hurting grieving heartbroken stressed depressed
""".split())
FEELING_TALK = FEELING_WORDS | frozenset("""
feel feels feeling feelings felt emotion emotions emotional hard tough difficult painful scary frightening
stressful frustrating upsetting worrying heartbreaking devastating concerned affected toll
""".split())
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def speaks_of_feeling(text: str) -> bool:
    """Whether these words name or speak of a feeling ("you feel", "lonely", "fed-up")."""
    return any(w in FEELING_TALK for w in _WORD.findall(text.lower()))


def family_of(move_id: str) -> str:
    return MOVES[move_id].family


def is_move(name: str) -> bool:
    return name in MOVES


def move_label(move_id: str) -> str:
    """"directive_advice" -> "directive advice". An id that is no move (a session saved
    before a move was renamed) is shown in the same plain way."""
    move = MOVES.get(move_id)
    return move.label if move is not None else move_id.replace("_", " ")
