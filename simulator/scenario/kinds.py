"""The kind of situation a state stands for: opening, withdrawn, ambivalent, guarded or default.

A tree says it with `kind:` on each state (schema.STATE_KINDS). The debrief's better
replies and the coach's ideas are chosen per kind, and the scoring reads "withdrawn" as
the client pulling back. A trainer's tree written before `kind:` existed still works: its
states' kinds are read from the usual words in their ids, as peersim always did, and
`peersim lint` says which ones it guessed (PS0013).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scoring needs only guess_kind, and need not import pydantic for it
    from simulator.scenario.schema import Tree

# The guess for a state without `kind:`, first match wins: the stems each kind's ids often hold.
_GUESSES = (("withdrawn", ("withdraw", "shut", "closed", "left", "leav", "defend", "gone", "retreat")),
            ("ambivalent", ("torn", "ambival", "weigh")),
            ("guarded", ("guard", "wary", "testing", "rambl", "scatter")),
            ("opening", ("warm", "open", "explor", "lean", "focus", "deep", "plan", "ahead", "circl")))


def guess_kind(state: str) -> str:
    """The kind read from a state's id alone: withdrawn, ambivalent, guarded, opening or default."""
    name = state.lower()
    for kind, stems in _GUESSES:
        if any(stem in name for stem in stems):
            return kind
    return "default"


def state_kind_of(tree: Tree, state: str) -> str:
    """The state's `kind:`, or the guess from its id when the tree does not say."""
    declared = tree.states[state].kind if state in tree.states else None
    return declared or guess_kind(state)


def tree_kinds(tree: Tree) -> Mapping[str, str]:
    """Every state's kind, for code that holds a session log and the tree it was played on."""
    return {sid: state_kind_of(tree, sid) for sid in tree.states}
