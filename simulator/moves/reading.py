"""What the recogniser hands the engine: the moves read in a turn, in order.

Which moves *act* on the client is decided here, once (`Reading.acting`): the engine
applies their effects, and the chips, the debrief, the exports and the reports count
exactly those. A span that does not act may be shown as "also heard, not counted".
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A move beside the primary one that the recogniser is less sure of than this is more
# often a misreading than not (on the project's corpus, most such readings were wrong: a
# "breach" inside a story about the helper's own past), and a wrong secondary move can
# cost a trainee who did well. It is shown but does not act. The primary always acts.
ACTS_FROM = 0.5

# The longest turn a trainee can send (the app keeps a longer paste in the box; `talk`
# refuses it): long enough for any real turn, short enough to read and store at once.
# Here, at the bottom, because play-test files (simulator/scenario/playtest.py) hold turns too.
LONGEST_TURN = 4_000


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
    # A harmful move the harm gate heard in this piece but held back for want of
    # evidence (`held_cue`: the words it heard). `move` is then the best harmless
    # reading, which is what the client responds to.
    held: str = ""
    held_cue: str = ""

    def to_dict(self) -> dict:
        out = {"move": self.move, "start": self.start, "end": self.end,
               "cue": self.cue, "confidence": round(self.confidence, 3), "source": self.source}
        if self.held:
            out["held"], out["held_cue"] = self.held, self.held_cue
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "MoveSpan":
        """The inverse of to_dict (older records without `source` read as the lexicon's)."""
        return cls(str(d["move"]), int(d.get("start", 0)), int(d.get("end", 0)), str(d.get("cue", "")),
                   float(d.get("confidence", 1.0)), str(d.get("source", "lexicon")),
                   str(d.get("held", "")), str(d.get("held_cue", "")))


@dataclass(frozen=True)
class Reading:
    text: str
    moves: tuple[MoveSpan, ...]
    primary: str
    confidence: float
    cue: str
    unclear: bool = False
    notes: tuple[str, ...] = field(default=())
    # The harm gate heard possible harm it is unsure of: the app asks the trainee
    # ("did you mean…?"); elsewhere the harmless reading in `moves` stands.
    asks: bool = False
    # Readings of the turn by likelihood, for "did you mean…?" (a held harmful one included).
    options: tuple[str, ...] = field(default=())

    @property
    def move_ids(self) -> list[str]:
        return [m.move for m in self.moves]

    def acts(self, span: MoveSpan) -> bool:
        """Whether the client responds to this span: the primary move always does; another
        move when it was read at least ACTS_FROM surely."""
        return span.move == self.primary or span.confidence >= ACTS_FROM

    @property
    def acting(self) -> tuple[MoveSpan, ...]:
        return tuple(m for m in self.moves if self.acts(m))

    @property
    def held(self) -> tuple[MoveSpan, ...]:
        """Spans where the gate held a harmful reading back (shown as "also heard, not counted")."""
        return tuple(m for m in self.moves if m.held)

    def to_dict(self) -> dict:
        return {"text": self.text, "primary": self.primary,
                "moves": [{**m.to_dict(), "acts": self.acts(m)} for m in self.moves],
                "confidence": round(self.confidence, 3), "cue": self.cue, "unclear": self.unclear,
                "asks": self.asks, "options": list(self.options)}
