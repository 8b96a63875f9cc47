"""Reading the trainee's words as moves. `recognize(text) -> Reading` is the interface."""

from __future__ import annotations

from functools import lru_cache

from simulator.moves.reading import MoveSpan, Reading
from simulator.moves.taxonomy import FAMILIES, MOVE_IDS, MOVES, Move, family_of


@lru_cache(maxsize=1)
def default_recognizer():
    from simulator.moves.rules import RuleRecognizer

    return RuleRecognizer()


def recognize(text: str) -> Reading:
    """Read one trainee turn: every move in order, a primary move, a confidence and the cue."""
    return default_recognizer().recognize(text)


__all__ = ["FAMILIES", "MOVES", "MOVE_IDS", "Move", "MoveSpan", "Reading", "family_of", "recognize"]
