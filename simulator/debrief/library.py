"""The better-reply library: which move the client needed, and a hand-written example of it.

Examples come from examples.yaml beside this file (keyed by move and situation), then the
taxonomy's own example of the move. The pick is deterministic (by turn number), never random.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from simulator.moves.taxonomy import HARMFUL_MOVES, MOVES
from simulator.session import TurnRecord

LIBRARY = Path(__file__).with_name("examples.yaml")


@lru_cache(maxsize=1)
def load_library() -> dict:
    data = yaml.safe_load(LIBRARY.read_text(encoding="utf-8")) or {}
    return {"needed": data.get("needed") or {}, "examples": data.get("examples") or {}}


def _hurt_move(turn: TurnRecord) -> str:
    """The move to replace: the first harmful move of the turn, else its primary move."""
    return next((m for m in turn.move_ids if m in HARMFUL_MOVES), turn.primary)


def needed_move(turn: TurnRecord, kind: str) -> str:
    needed = load_library()["needed"].get(_hurt_move(turn), {})
    return needed.get(kind) or needed.get("default") or "reflection"


def examples_for(move: str, kind: str) -> list[str]:
    by_kind = load_library()["examples"].get(move, {})
    lines = by_kind.get(kind) or by_kind.get("default") or []
    return list(lines) or [MOVES[move].example]


def better_reply(turn: TurnRecord, kind: str) -> tuple[str, str]:
    """(the move the client needed, an example of it) for a turn that did not land."""
    move = needed_move(turn, kind)
    lines = examples_for(move, kind)
    return move, lines[turn.number % len(lines)]
