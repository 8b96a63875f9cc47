"""What the recogniser hands the engine: the moves read in a turn, in order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MoveSpan:
    move: str
    start: int
    end: int
    cue: str
    confidence: float = 1.0
    # Where the reading came from: "lexicon" (a cue rule), "shape" (the form of the
    # sentence), "model" (the statistical layer; `cue` lists its strongest phrases) or
    # "turn" (a whole-turn check, such as a story that takes over). explain() uses it.
    source: str = "lexicon"

    def to_dict(self) -> dict:
        return {"move": self.move, "start": self.start, "end": self.end,
                "cue": self.cue, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Reading:
    text: str
    moves: tuple[MoveSpan, ...]
    primary: str
    confidence: float
    cue: str
    unclear: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def move_ids(self) -> list[str]:
        return [m.move for m in self.moves]

    def to_dict(self) -> dict:
        return {"text": self.text, "primary": self.primary,
                "moves": [m.to_dict() for m in self.moves],
                "confidence": round(self.confidence, 3), "cue": self.cue, "unclear": self.unclear}
