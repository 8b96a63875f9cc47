"""Reading the trainee's words as moves. `recognize(text) -> Reading` is the interface.

The recogniser (recognizer.py) combines transparent cue rules (lexicon.yaml, extendable
by a trainer through PEERSIM_LEXICON) with a small statistical model trained on the
project's own corpus (`python -m simulator.moves.train`). `explain(span)` phrases the
evidence for a trainee. See docs/recogniser.md.
"""

from __future__ import annotations

from functools import lru_cache

from simulator.moves.reading import MoveSpan, Reading
from simulator.moves.taxonomy import FAMILIES, MOVE_IDS, MOVES, Move, family_of


@lru_cache(maxsize=1)
def default_recognizer():
    from simulator.moves.recognizer import Recognizer

    return Recognizer()


def recognize(text: str) -> Reading:
    """Read one trainee turn: every move in order, a primary move, a confidence and the cue."""
    return default_recognizer().recognize(text)


def move_label(move_id: str) -> str:
    """"directive_advice" -> "directive advice"."""
    return move_id.replace("_", " ")


def explain(span: MoveSpan) -> str:
    """One plain sentence a trainee can read: why this piece was read as this move.

    "read as directive advice because of 'you should'"
    "read as reflection because of 'so you' and 'stuck' (not sure)"
    """
    label = move_label(span.move)
    cue = (span.cue or "").strip()
    if span.source == "turn":
        reason = f"because the turn stays on your own story ({cue})" if cue else "because the turn stays on your own story"
    elif not cue:
        reason = "because nothing in it points to another move" if span.move == "other" else "by the overall wording"
    elif cue == "?":
        reason = "because it ends with a question mark"
    elif span.source == "model":
        parts = [p.strip() for p in cue.split(",") if p.strip()]
        quoted = [("a question mark" if p == "?" else f"'{p}'") for p in parts]
        reason = "because of " + " and ".join(quoted) if quoted else "by the overall wording"
    else:
        reason = f"because of '{cue}'"
    sure = "" if span.confidence >= 0.5 else " (not sure)"
    return f"read as {label} {reason}{sure}"


__all__ = ["FAMILIES", "MOVES", "MOVE_IDS", "Move", "MoveSpan", "Reading", "explain", "family_of",
           "move_label", "recognize"]
