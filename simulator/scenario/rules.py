"""A checked tree's transitions as one rule index: "the rules leaving this state", built once.

A transition may name one move, a list of moves or `any`, and one source state, a list
or `any`. Every reader (the engine, lint, the graph, traps, the coach and the why pane)
wants the same thing: for a state, the rules that can fire there, in file order, each
with the moves that trigger it spelt out. That expansion is done here, once per tree.

The engine still fires rules through `transitions` (the brief fixes it for the state
machines): it declares each state's transitions from `RuleIndex.leaving`, in the order
given here, so "the first rule in the file whose move, source and conditions fit is
taken" holds for the machine and for every reader alike.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, NamedTuple

from simulator.moves.taxonomy import MOVE_IDS
from simulator.scenario.schema import Conditions, Transition, Tree

ANY = "any"


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Rule(NamedTuple):
    """One transition of the file, with `any` and lists expanded (a named tuple: a large tree
    has thousands, and a frozen data class takes several times as long to build)."""

    index: int                    # 0-based position in `transitions:` (lint and the graph say index + 1)
    moves: tuple[str, ...]        # the triggers: every move id for `move: any`, else as written, once each
    sources: tuple[str, ...]      # every state for `from: any`, else as written, once each
    to: str
    when: Conditions
    note: str
    any_move: bool
    any_source: bool
    written: Transition           # the rule as the author wrote it (for words such as "any move")

    @property
    def number(self) -> int:
        """The rule's number as authors see it: T1 is the first rule in the file."""
        return self.index + 1

    @property
    def move_words(self) -> str:
        return "any move" if self.any_move else ", ".join(as_list(self.written.move))


@dataclass(frozen=True)
class RuleIndex:
    """Every rule of a tree, and the rules leaving each state in the order they are tried."""

    rules: tuple[Rule, ...]
    any_rules: tuple[Rule, ...]                     # the `from: any` rules
    endings: frozenset[str]
    states: frozenset[str]
    explicit: Mapping[str, tuple[Rule, ...]]        # by source state, `from: any` left out
    # Worked out per state on first use: the engine only meets the states a client reaches.
    _leaving: dict[str, tuple[Rule, ...]] = field(default_factory=dict, repr=False, compare=False)

    def leaving(self, state: str) -> tuple[Rule, ...]:
        """The rules tried in `state`, first to last (a state the tree lacks gets none)."""
        found = self._leaving.get(state)
        if found is None:
            if state not in self.states:
                return ()
            mine = self.explicit.get(state, ())
            # Both are in file order; merged by index so the state's rules keep the file's order.
            found = tuple(sorted(mine + self.any_rules, key=lambda r: r.index)) if mine else self.any_rules
            self._leaving[state] = found
        return found


def build_index(tree: Tree) -> RuleIndex:
    states = tuple(tree.states)
    rules = []
    for i, tr in enumerate(tree.transitions):
        moves, sources = as_list(tr.move), as_list(tr.from_)
        any_move, any_source = ANY in moves, ANY in sources
        rules.append(Rule(i, MOVE_IDS if any_move else tuple(dict.fromkeys(moves)),
                          states if any_source else tuple(dict.fromkeys(sources)),
                          tr.to, tr.when, tr.note, any_move, any_source, tr))
    explicit: dict[str, list[Rule]] = {}
    for rule in rules:
        if not rule.any_source:
            for source in rule.sources:
                explicit.setdefault(source, []).append(rule)
    return RuleIndex(tuple(rules), tuple(r for r in rules if r.any_source),
                     frozenset(sid for sid, st in tree.states.items() if st.ending), frozenset(states),
                     MappingProxyType({sid: tuple(found) for sid, found in explicit.items()}))


# One index per tree object while it lives: a tree is shared by several personas, and the
# engine, lint and the graph all meet it. Keyed by identity (a pydantic model is not
# hashable); a checked tree is never changed in place.
_INDEXES: dict[int, tuple[weakref.ref, RuleIndex]] = {}


def rules_of(tree: Tree) -> RuleIndex:
    """The rule index of a checked tree, built on first use and kept while the tree lives."""
    key = id(tree)
    found = _INDEXES.get(key)
    if found is not None and found[0]() is tree:
        return found[1]
    index = build_index(tree)
    _INDEXES[key] = (weakref.ref(tree, lambda _ref, key=key: _INDEXES.pop(key, None)), index)
    return index
