"""The move taxonomy: the stable ids that YAML files, the CLI and the scoring all share.

Each move belongs to a *family* (reply pools may be written per family instead of per
move, so an author need not write seventeen pools per state), has a polarity, and
belongs to one lesson of the source article.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Move:
    id: str
    family: str
    polarity: Polarity
    lesson: Lesson
    description: str
    example: str


_MOVES = [
    Move("reflection", "listening", Polarity.POSITIVE, Lesson.ACTIVE_LISTENING,
         "Says back what the client said or felt, simply or with added meaning.",
         "It sounds like you're worn out from holding it all together."),
    Move("summary", "listening", Polarity.POSITIVE, Lesson.COLLABORATION,
         "Gathers several things the client said into one reflection.",
         "So far you've told me about the job, your sister, and how tired you are."),
    Move("open_question", "questioning", Polarity.POSITIVE, Lesson.AUTONOMY,
         "Asks a question that invites the client to say more in their own words.",
         "What's that been like for you?"),
    Move("affirmation", "affirming", Polarity.POSITIVE, Lesson.CLIENT_FOCUS,
         "Validates feelings or names a real strength or effort of the client.",
         "It took courage to come in today."),
    Move("autonomy_support", "empowering", Polarity.POSITIVE, Lesson.AUTONOMY,
         "Affirms that the choice is the client's, in line with their own values.",
         "It's your call, and whatever you decide, I'm here."),
    Move("collaboration", "empowering", Polarity.POSITIVE, Lesson.COLLABORATION,
         "Plans together or asks permission before offering anything.",
         "Would it help if we worked out a next step together?"),
    Move("confidentiality_assurance", "trust", Polarity.POSITIVE, Lesson.CONFIDENTIALITY,
         "Tells the client what stays private between you, honestly.",
         "What you tell me stays between us, unless I'm worried for your safety, and then I'd talk with you first."),
    Move("repair", "repair", Polarity.POSITIVE, Lesson.CLIENT_FOCUS,
         "Owns a misstep and hands the floor back.",
         "Sorry, I got ahead of myself there. You know your life best. Go on."),
    Move("closed_question", "questioning", Polarity.NEUTRAL, Lesson.ACTIVE_LISTENING,
         "Asks a yes/no or short-answer question.",
         "Did you sleep last night?"),
    Move("information", "sharing", Polarity.NEUTRAL, Lesson.COLLABORATION,
         "Gives neutral facts about services, options or how things work.",
         "The drop-in centre is open until six on weekdays."),
    Move("self_disclosure", "sharing", Polarity.NEUTRAL, Lesson.CLIENT_FOCUS,
         "Briefly shares lived experience, then hands the focus back.",
         "I've been somewhere like that too. What's it like for you?"),
    Move("greeting", "social", Polarity.NEUTRAL, Lesson.CLIENT_FOCUS,
         "Greets, thanks or says goodbye.",
         "Hi, thanks for coming in."),
    Move("other", "social", Polarity.NEUTRAL, Lesson.ACTIVE_LISTENING,
         "Anything that is none of the other moves.",
         "Okay."),
    Move("self_focused_story", "self_focus", Polarity.NEGATIVE, Lesson.CLIENT_FOCUS,
         "The helper's own story takes over the conversation.",
         "When I was using, I lost everything, and then I went to this program and..."),
    Move("directive_advice", "directing", Polarity.NEGATIVE, Lesson.AUTONOMY,
         "Tells the client what to do without being asked (should, have to, why don't you).",
         "You should go to a meeting tonight."),
    Move("judgment", "judging", Polarity.NEGATIVE, Lesson.AUTONOMY,
         "Blames, labels or confronts the client.",
         "That was a pretty irresponsible thing to do."),
    Move("minimizing", "dismissing", Polarity.NEGATIVE, Lesson.ACTIVE_LISTENING,
         "Brushes feelings aside with false reassurance (at least, cheer up).",
         "At least you still have your job."),
    Move("confidentiality_breach", "breach", Polarity.NEGATIVE, Lesson.CONFIDENTIALITY,
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

# Moves that ask for the trainee's listening skill; scoring and the coach use this.
HELPFUL_MOVES = frozenset(m.id for m in _MOVES if m.polarity is Polarity.POSITIVE)
HARMFUL_MOVES = frozenset(m.id for m in _MOVES if m.polarity is Polarity.NEGATIVE)


def family_of(move_id: str) -> str:
    return MOVES[move_id].family


def is_move(name: str) -> bool:
    return name in MOVES
