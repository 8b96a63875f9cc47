"""The example library: which move the client needed, and hand-written examples of a move
that fit *this* client (the debrief's better reply, the coach, choice mode).

Where lines come from, first to last: the persona's own `examples:` for the move, then the
generic lines of examples.yaml beside this file (keyed by move and situation). A line
fits the client when every `${placeholder}` in it is filled from the persona's values; a line that gives back something of the client's life (a helpful
move) fits only once the client has said it. Nothing is generated, and the pick is
deterministic (by turn number), never random. When no line fits, none is offered.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.moves.taxonomy import HARMFUL_MOVES, HELPFUL_MOVES
from simulator.session import TurnRecord

LIBRARY = Path(__file__).with_name("examples.yaml")
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@lru_cache(maxsize=1)
def load_library() -> dict:
    data = yaml.safe_load(LIBRARY.read_text(encoding="utf-8")) or {}
    return {"needed": data.get("needed") or {}, "examples": data.get("examples") or {}}


def _hurt_move(moves: list[str], primary: str) -> str:
    """The move to replace: the first harmful move of the turn, else its primary move."""
    return next((m for m in moves if m in HARMFUL_MOVES), primary)


def needed_move(turn: TurnRecord, kind: str, moves: list[str] | None = None) -> str:
    needed = load_library()["needed"].get(_hurt_move(moves if moves is not None else turn.move_ids,
                                                     turn.primary), {})
    return needed.get(kind) or needed.get("default") or "reflection"


def examples_for(move: str, kind: str) -> list[str]:
    """The generic lines for a move and situation, unfilled (placeholders as written). The
    taxonomy's example is not used: it names things (a job, a sister) most clients lack."""
    by_kind = load_library()["examples"].get(move, {})
    return list(by_kind.get(kind) or by_kind.get("default") or [])


def _value_words(value: str) -> str:
    # "my mum" is said as "my mum" or "mum": the possessive is not part of what to look for.
    return re.sub(r"^(my|our|his|her|their)\s+", "", value.strip().lower())


def fill(line: str, values: dict[str, str], said: str | None = None) -> str | None:
    """The line with its placeholders filled, or None when it does not fit: a placeholder
    the persona does not define, or (when `said` is given) a value the client has not said yet."""
    heard = (said or "").lower()
    missing = False

    def one(match: re.Match) -> str:
        nonlocal missing
        value = values.get(match.group(1))
        if value is None or (said is not None and _value_words(value) not in heard):
            missing = True
            return match.group(0)
        before = line[:match.start()].rstrip(" \"'\u201c(")
        return value[:1].upper() + value[1:] if not before or before.endswith((".", "!", "?")) else value

    out = PLACEHOLDER.sub(one, line)
    return None if missing else out


def fitting_lines(move: str, kind: str, persona=None, said: str | None = None) -> list[str]:
    """Example lines of `move` that fit this client, the persona's own first.

    `persona` is a scenario Persona (or None for the generic lines alone); `said` is all
    the client has said so far. Helpful lines must not give back what the client never
    said; harmful ones may name only people and things in the client's life."""
    values = dict(getattr(persona, "values", None) or {})
    if persona is not None:
        values.setdefault("name", persona.name)
    own = list((getattr(persona, "examples", None) or {}).get(move, []))
    generic = examples_for(move, kind)
    check = said if move in HELPFUL_MOVES else None
    out = []
    for line in [*own, *generic]:
        filled = fill(str(line), values, check)
        if filled is not None and filled not in out:
            out.append(filled)
    return out


def better_reply(turn: TurnRecord, kind: str, persona=None, said: str | None = None,
                 moves: list[str] | None = None) -> tuple[str, str | None]:
    """(the move the client needed, an example of it that fits) for a turn that did not
    land; the example is None when nothing in the library fits this client."""
    move = needed_move(turn, kind, moves)
    lines = fitting_lines(move, kind, persona, said)
    return move, (lines[turn.number % len(lines)] if lines else None)
