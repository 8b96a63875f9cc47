"""The persona and dialogue-tree formats, as pydantic models.

These models check shape and types. Cross-references (a transition naming a state,
a reply pool naming a move) are checked in `validate.py`, where the nearest valid id
can be suggested with the line it stands on.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from simulator.moves.taxonomy import FAMILY_IDS, MOVE_IDS, Lesson

# The longest line a client says, and the longest briefing text: far past any real one,
# and short enough that reading every line for the words of a topic stays quick.
MAX_LINE = 2_000
MAX_BRIEFING = 10_000
NonEmptyText = Annotated[str, Field(max_length=MAX_LINE)]
# An id, and a name that refers to one (a state, a beat, a move); and a phrase that raises a
# topic, which is a few words: bounded like every text, so no reference or phrase can make a
# lookup, a suggestion or a search pattern slow.
MAX_ID = 64
MAX_PHRASE = 200
Ref = Annotated[str, Field(max_length=MAX_ID)]
Phrase = Annotated[str, Field(min_length=1, max_length=MAX_PHRASE)]
# The rules that can be tried in one state: its own and every `from: any` rule. The engine
# declares a state's rules for a move the first time that move is made there, and each
# costs `transitions` some tens of microseconds; the largest shipped state has 8.
MAX_RULES_PER_STATE = 500

# Every number an author writes has a range, so no file can make the engine's arithmetic
# overflow or a session crawl; each range is far beyond what a real client needs.
RAPPORT_LIMIT = 1000
MAX_TURNS = 10_000
Points = Annotated[int, Field(ge=-RAPPORT_LIMIT, le=RAPPORT_LIMIT)]       # rapport and its changes
Multiplier = Annotated[float, Field(ge=0, le=10)]                          # a sensitivity
TurnNumber = Annotated[int, Field(ge=1, le=MAX_TURNS)]
Count = Annotated[int, Field(ge=0, le=MAX_TURNS)]
Threshold = Points | str  # a number, or the name of a threshold in `thresholds:`
OneOrMany = Ref | list[Ref]
# The id of the beat in which a client names a first step of their own (see Conditions.step_named).
FIRST_STEP = "first_step"


# What an editor may offer and underline (`peersim schema`); the loader checks the same
# names with a nearest-name suggestion (validate.py), so these only add checks as you type.
# `not_said`: what the client says when a reflection or summary names a topic they never raised.
NOT_SAID = "not_said"
REPLY_KEYS: tuple[str, ...] = ("default", NOT_SAID, *MOVE_IDS, *FAMILY_IDS)
_REPLY_KEYS = list(REPLY_KEYS)
_MOVE_ENUM = {"enum": list(MOVE_IDS)}
_TRIGGER = {"anyOf": [{"enum": [*MOVE_IDS, "any"]}, {"type": "array", "items": {"enum": [*MOVE_IDS, "any"]}}]}
_POOLS = {"propertyNames": {"enum": _REPLY_KEYS}}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Streak(_Strict):
    """The trainee's primary move was `move` on each of the last `count` turns."""

    move: Ref = Field(description="a move id", json_schema_extra=_MOVE_ENUM)
    count: int = Field(ge=1, le=100, description="how many turns in a row, this one included")


class MoveCount(_Strict):
    """How often `move` has been read so far in the session (every move of every turn)."""

    move: Ref = Field(description="a move id", json_schema_extra=_MOVE_ENUM)
    at_least: Count | None = Field(default=None, description="the move was read at least this many times")
    at_most: Count | None = Field(default=None, description="the move was read at most this many times")


class HarmRun(_Strict):
    """Harm that goes on without repair: at least `at_least` of the last `within` turns held a
    harmful move that acted on the client, with no helpful turn after the first of them."""

    at_least: int = Field(ge=1, le=100, description="how many harmful turns")
    within: int = Field(ge=1, le=100, description="among how many of the last turns, this one included")
    moves: list[Ref] | None = Field(default=None, description="only turns holding one of these harmful moves "
                                                              "count (leave it out: every harmful move)")


class SinceHarm(_Strict):
    """The turns since the last one that held a harmful move (or since the start), this one included."""

    helpful_at_least: int | None = Field(default=None, ge=0,
                                         description="at least this many helpful moves other than an apology "
                                                     "acted in them (a reflection and a question in one turn count two)")
    repaired: bool | None = Field(default=None, description="true: a repair was read among them")


class Conditions(_Strict):
    """Every condition given must hold for a transition to be taken (they are ANDed)."""

    rapport_at_least: Threshold | None = Field(
        default=None, description="rapport after this turn's effects is at least this (number or threshold name)")
    rapport_at_most: Threshold | None = Field(
        default=None, description="rapport after this turn's effects is at most this (number or threshold name)")
    streak: Streak | None = Field(
        default=None, description="the same primary move on the last turns: {move: closed_question, count: 3}")
    count: MoveCount | None = Field(
        default=None, description="how often a move was read this session: {move: reflection, at_least: 3}")
    turn_at_least: TurnNumber | None = Field(default=None, description="this is turn N or later (1-based)")
    turn_at_most: TurnNumber | None = Field(default=None, description="this is turn N or earlier")
    beat_revealed: Ref | None = Field(default=None, description="this story beat has been told")
    beat_not_revealed: Ref | None = Field(default=None, description="this story beat has not been told yet")
    previous_state: Ref | None = Field(
        default=None, description="the state the client was in before the current one")
    harm_run: HarmRun | None = Field(
        default=None, description="harm going on without repair: {at_least: 3, within: 5}")
    since_harm: SinceHarm | None = Field(
        default=None, description="what followed the last harmful turn: {helpful_at_least: 2, repaired: true}")
    step_named: bool | None = Field(
        default=None, description="true: the client has named a first step of their own (the persona's beat "
                                  "'first_step' has been told; a persona without that beat has none to wait for)")


class Transition(_Strict):
    move: OneOrMany = Field(description="the trigger: a move id, a list of move ids, or 'any'",
                            json_schema_extra=_TRIGGER)
    from_: OneOrMany = Field(alias="from", description="a state id, a list of state ids, or 'any'")
    to: Ref = Field(description="the state the client moves to")
    when: Conditions = Field(default_factory=Conditions,
                             description="conditions that must all hold; leave it out for none")
    note: str = Field(default="", max_length=MAX_LINE, description="why this happens, shown to authors in the why pane")


Openness = Literal["closed", "guarded", "opening", "open"]
OPENNESS_LEVELS: tuple[str, ...] = ("closed", "guarded", "opening", "open")
# The situations the debrief and the coach choose their suggestions by (scenario/kinds.py).
StateKind = Literal["opening", "withdrawn", "ambivalent", "guarded", "default"]
STATE_KINDS: tuple[str, ...] = get_args(StateKind)


class State(_Strict):
    description: str = Field(default="", max_length=MAX_BRIEFING,
                             description="a note for authors: how the client is in this state")
    openness: Openness | None = Field(
        default=None, description="how far the client will talk in this state (closed, guarded, opening, open): "
                                  "a topic is answered with its lines for this level")
    cue: NonEmptyText = Field(min_length=1, description="what the trainee sees: 'looks at the floor'")
    kind: StateKind | None = Field(
        default=None, description="the situation this state stands for (opening, withdrawn, ambivalent, guarded, "
                                  "default): the debrief and the coach suggest replies for it, and the scoring "
                                  "reads 'withdrawn' as the client pulling back. Left out: guessed from the id")
    ending: Literal["left", "plan"] | None = Field(
        default=None, description="a terminal state: the client left, or a plan was agreed")
    replies: dict[str, list[NonEmptyText]] = Field(
        description="reply pools keyed by move id, move family or 'default' (required)",
        json_schema_extra={**_POOLS, "required": ["default"]})


class Rapport(_Strict):
    start: Points = Field(default=20, description="rapport before the first turn")
    min: Points = Field(default=0, description="rapport never goes below this")
    max: Points = Field(default=100, description="rapport never goes above this")


class Tree(_Strict):
    """A dialogue tree: how a kind of client reacts. One tree serves several personas."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID,
                    description="a short id, usually the file name: lowercase, digits, - and _")
    title: str = Field(max_length=120, description="a name for the kind of client: 'Guarded client'")
    description: str = Field(default="", max_length=MAX_BRIEFING,
                             description="how this kind of client behaves, for other authors")
    initial: Ref = Field(description="the state the client starts in")
    rapport: Rapport = Field(default_factory=Rapport, description="where rapport starts and the range it stays in")
    thresholds: dict[str, Points] = Field(
        default_factory=dict, description="named rapport levels conditions may use; personas may override them")
    effects: dict[str, Points] = Field(description="rapport change per move id (moves not listed: 0)",
                                    # so an editor underlines a misspelt move id as it is typed
                                    json_schema_extra={"propertyNames": {"enum": list(MOVE_IDS)}})
    states: dict[str, State] = Field(description="the client's states, keyed by state id")
    transitions: list[Transition] = Field(
        description="the rules, tried top to bottom; the first whose move, from and when all fit is taken")


class BeatUnlock(_Strict):
    """Every condition given must hold; a beat with several is told once all hold."""

    at_state: OneOrMany | None = Field(default=None, description="the client is in this state (or one of these)")
    rapport_at_least: Threshold | None = Field(
        default=None, description="rapport is at least this (a number or a threshold name)")
    after: Ref | None = Field(default=None, description="another beat that must be told first")


class Beat(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID, description="a short id for this part of the story")
    text: NonEmptyText = Field(min_length=1, description="what the client says when this part of their story comes out")
    unlock: BeatUnlock = Field(description="when it comes out: at_state, rapport_at_least, after (all must hold)")
    summary: str = Field(default="", max_length=MAX_LINE, description="a few words for the debrief: 'lost custody last year'")


class Topic(_Strict):
    """Something in the client's life a trainee may ask about, answered in the client's voice
    at the openness of the state the client is in."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID, description="a short id: daughter, parole, safety")
    raised_by: list[Phrase] = Field(min_length=1, max_length=MAX_PHRASE, description="words or phrases that raise it (whole words, any case; "
                                                          "${placeholders} allowed: '${daughter}')")
    needs_beat: Ref | None = Field(default=None, description="a beat that must be told before the client tells "
                                                             "more than a guarded answer about this")
    safety: bool = Field(default=False, description="a direct safety question (self-harm, overdose, violence): "
                                                    "needs an honest answer at every level of openness")
    replies: dict[Openness, list[NonEmptyText]] = Field(
        description="what the client says about it at each level of openness: closed, guarded, opening, open")


class Persona(_Strict):
    """A client: who they are, and how strongly they react."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID,
                    description="a short id, usually the file name: lowercase, digits, - and _")
    name: str = Field(min_length=1, max_length=60, description="the name the trainee sees; lines can say ${name}")
    age: int | None = Field(default=None, ge=10, le=110, description="optional; shown on the client card")
    pronouns: str = Field(default="", max_length=60, description="for example she/her, he/him, they/them")
    summary: str = Field(min_length=1, max_length=MAX_LINE, description="one line for the client list")
    background: str = Field(min_length=1, max_length=MAX_BRIEFING,
                            description="what a peer specialist would be told before meeting them")
    presenting_concern: str = Field(default="", max_length=MAX_LINE,
                                    description="what brings them to peer support, in a line")
    opening_line: str = Field(min_length=1, max_length=MAX_LINE, description="the client's first words")
    difficulty: Literal["easy", "medium", "hard"] = Field(description="a label for trainees: easy, medium or hard")
    tree: str = Field(min_length=1, max_length=255,
                      description="a dialogue tree id, or a path to a tree file relative to this persona")
    skills: list[Lesson] = Field(default_factory=list, description="the lessons this client exercises")
    content_note: str = Field(default="", max_length=MAX_LINE, description="shown before the session starts")
    rapport_start: Points | None = Field(default=None, description="rapport before the first turn, instead of the tree's")
    thresholds: dict[str, Points] = Field(default_factory=dict, description="overrides of the tree's thresholds")
    sensitivities: dict[str, Multiplier] = Field(
        default_factory=dict, description="multipliers of the tree's effects, keyed by move id or family",
        json_schema_extra={"propertyNames": {"enum": [*MOVE_IDS, *FAMILY_IDS]}})
    values: dict[str, NonEmptyText] = Field(default_factory=dict, description="fills ${placeholders} in reply lines")
    beats: list[Beat] = Field(default_factory=list, description="parts of the client's story that come out as trust grows")
    replies: dict[str, dict[str, list[NonEmptyText]]] = Field(
        default_factory=dict, description="persona-specific reply pools per state; used before the tree's",
        json_schema_extra={"additionalProperties": {"type": "object", **_POOLS,
                                                    "additionalProperties": {"type": "array", "items": {"type": "string"}}}})
    cues: dict[str, NonEmptyText] = Field(default_factory=dict, description="persona-specific non-verbal cues per state")
    topics: list[Topic] = Field(default_factory=list, description="things a trainee may ask about, answered "
                                                                  "from the client's own lines")
    examples: dict[str, list[NonEmptyText]] = Field(
        default_factory=dict, description="this client's own example turns by move id, for the coach, choice "
                                          "mode and the debrief's better replies (used before the generic ones)",
        json_schema_extra={"propertyNames": {"enum": list(MOVE_IDS)}})
