"""The session log: plain data classes that cross from the engine to the store, the
debrief and the app. Nothing here knows about SQLite or Textual.

A turn is one typed record from the engine to the store to the debrief: its moves are the
reading's `MoveSpan`s, its effects the engine's `Effect`s and its rule the engine's
`TransitionInfo`. Only the store turns them into JSON, and back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from simulator.engine import ClientTurn, Conversation, Effect, TransitionInfo
from simulator.moves.reading import LONGEST_TURN, MoveSpan, Reading  # noqa: F401 (the faces read LONGEST_TURN here)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's bytes ("" when it cannot be read), so a resumed session can
    tell whether the persona or tree it was played with has changed since."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return ""


@dataclass
class TurnRecord:
    number: int
    trainee: str
    primary: str
    confidence: float
    moves: list[MoveSpan]
    state_before: str
    state_after: str
    rapport_before: int
    rapport_after: int
    effects: list[Effect]
    reply: str
    cue: str
    beats: list[str]  # beat ids revealed this turn
    transition: TransitionInfo | None
    ended: bool = False
    ending: str | None = None
    at: str = field(default_factory=now_iso)
    reading_cue: str = ""  # the cue that decided the primary move (kept so a resume replays the same reading)
    unclear: bool = False
    topic: str = ""  # the persona's topic the reply answered
    safety_check: bool = False  # that topic was a direct safety question
    not_said: str = ""  # a topic the trainee's reflection named, which the client never raised
    # The rest of the reading, so to_reading() gives back every field of it.
    notes: tuple[str, ...] = ()
    asks: bool = False
    options: tuple[str, ...] = ()

    @classmethod
    def from_turn(cls, turn: ClientTurn, at: str | None = None) -> "TurnRecord":
        return cls(
            number=turn.number, trainee=turn.trainee, primary=turn.primary,
            confidence=turn.reading.confidence, moves=list(turn.reading.moves),
            state_before=turn.state_before, state_after=turn.state,
            rapport_before=turn.rapport_before, rapport_after=turn.rapport,
            effects=list(turn.effects), reply=turn.reply, cue=turn.cue, beats=[b.id for b in turn.beats],
            transition=turn.transition, ended=turn.ended, ending=turn.ending, at=at or now_iso(),
            reading_cue=turn.reading.cue, unclear=turn.reading.unclear,
            topic=turn.topic or "", safety_check=turn.safety_check, not_said=turn.not_said or "",
            notes=tuple(turn.reading.notes), asks=turn.reading.asks, options=tuple(turn.reading.options))

    def to_reading(self) -> Reading:
        """The reading this turn was played with, rebuilt from the record (not re-recognised),
        so a resumed or rewound session is exact even if the recogniser has changed since."""
        return Reading(self.trainee, tuple(self.moves), self.primary, self.confidence, self.reading_cue,
                       self.unclear, tuple(self.notes), self.asks, tuple(self.options))

    @property
    def move_ids(self) -> list[str]:
        return [m.move for m in self.moves]

    @property
    def acting_moves(self) -> list[str]:
        """The distinct moves the client responded to, in order (Reading.acting)."""
        return list(dict.fromkeys(m.move for m in self.to_reading().acting))


@dataclass
class SessionLog:
    persona_id: str
    persona_name: str
    tree_id: str
    seed: int
    opening_line: str
    start_state: str
    start_rapport: int
    beats_total: list[str]  # every beat id the persona has, in order
    mode: str = "practice"  # practice | assessment | fading | choice | replay
    trainee: str = ""
    id: str | None = None
    parent_id: str | None = None  # set on a branch made by rewinding another session
    branch_turn: int | None = None  # the parent's turn this branch was made after
    started_at: str = field(default_factory=now_iso)
    ended_at: str | None = None
    turns: list[TurnRecord] = field(default_factory=list)
    # The files played (absolute paths) and a digest of each, so a resume replays against the
    # same files and says when they have changed since.
    persona_path: str = ""
    tree_path: str = ""
    persona_sha: str = ""
    tree_sha: str = ""

    @classmethod
    def start(cls, convo: Conversation, mode: str = "practice", trainee: str = "") -> "SessionLog":
        persona, tree = Path(convo.scenario.persona_path).resolve(), Path(convo.scenario.tree_path).resolve()
        return cls(persona_id=convo.persona.id, persona_name=convo.persona.name, tree_id=convo.tree.id,
                   seed=convo.seed, opening_line=convo.opening_line, start_state=convo.state,
                   start_rapport=convo.rapport, beats_total=[b.id for b in convo.persona.beats],
                   mode=mode, trainee=trainee, persona_path=str(persona), tree_path=str(tree),
                   persona_sha=file_digest(persona), tree_sha=file_digest(tree))

    @property
    def final_state(self) -> str:
        return self.turns[-1].state_after if self.turns else self.start_state

    @property
    def final_rapport(self) -> int:
        return self.turns[-1].rapport_after if self.turns else self.start_rapport

    @property
    def ending(self) -> str | None:
        return self.turns[-1].ending if self.turns else None

    @property
    def beats_revealed(self) -> list[str]:
        return [b for t in self.turns for b in t.beats]

    @property
    def rapport_curve(self) -> list[int]:
        return [self.start_rapport] + [t.rapport_after for t in self.turns]
