"""The table of a transition's conditions: each one's check, its words and its contradictions.

One entry per field of `schema.Conditions`, in the schema's order:

- `holds`: whether it holds for a conversation as it is now (the engine's check);
- `words`: what it asks for, in plain words (the graph's labels and the why pane);
- `implies`: whether one value of it holds whenever another does (lint: a rule hidden by an
  earlier one, PS0025);
- `never`: why a rule's conditions can never hold, as far as this condition decides it
  (lint: PS0020, PS0021, PS0022, PS0024);
- `check`: the names it uses that must exist (validate: PS0003, and the shape rules PS0004);
- `names`: what kind of id a text value names (a threshold, a beat, a state), for readers
  that collect them.

Adding a condition means a field in the schema and an entry here; tests/test_conditions.py
fails when the two differ. Conditions are data, read from author files: nothing here
evaluates author text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterator, Mapping, Protocol

from simulator.moves.taxonomy import HARMFUL_MOVES, MOVE_IDS
from simulator.scenario.schema import Conditions

_HELPFUL_KINDS = ("help", "repair")


class Facts(Protocol):
    """What a condition can see of a conversation (the engine's Conversation has all of it)."""

    rapport: int
    turn: int
    thresholds: dict[str, int]
    primaries: list[str]         # the primary move of each turn so far
    counts: dict[str, int]       # how often each move acted
    revealed: list[str]          # the beats told, in order
    state_history: list[str]     # the states the client has been in, the current one last
    kinds: list[str]             # per turn: "harm", "repair", "help" or ""
    harms: list[frozenset]       # per turn: the harmful moves that acted
    helped: list[int]            # per turn: helpful moves other than repair that acted

    @property
    def step_named(self) -> bool: ...


class Checker(Protocol):
    """validate's checker: `need` reports an unknown name with the nearest one, `rule` a broken rule."""

    def need(self, value: object, valid: Collection[str], loc: tuple, what: str) -> None: ...

    def rule(self, loc: tuple, message: str, hint: str) -> None: ...


@dataclass(frozen=True)
class Names:
    """The ids a tree's conditions may name (beats: None when no persona is at hand)."""

    states: Collection[str]
    thresholds: Collection[str]
    beats: Collection[str] | None = None


@dataclass(frozen=True)
class Never:
    """One reason a rule's conditions can never hold; `loc` is inside the rule's `when:`."""

    code: str
    loc: tuple
    message: str
    hint: str = ""


@dataclass(frozen=True)
class RuleFacts:
    """What `never` may know about the rule and its tree."""

    rule: Any                   # rules.Rule
    index: Any                  # rules.RuleIndex
    low: int                    # the tree's rapport range
    high: int
    thresholds: Mapping[str, int]


def level(value: int | str | None, thresholds: Mapping[str, int]) -> int | None:
    """A rapport level as a number: a threshold's name is looked up (None if it is unknown)."""
    if value is None or isinstance(value, int):
        return value
    return thresholds.get(value)


def shown(value: int | str, thresholds: Mapping[str, int]) -> str:
    """A rapport level as lint names it: 'warm' (35), or 35."""
    return f"'{value}' ({thresholds[value]})" if isinstance(value, str) and value in thresholds else str(value)


def _words_level(value: int | str, thresholds: Mapping[str, int]) -> str:
    return f"{value} ({thresholds[value]})" if isinstance(value, str) and value in thresholds else str(value)


def _same(a: Any, b: Any, thresholds: Mapping[str, int]) -> bool:
    return a == b


def _not_lower(a: Any, b: Any, thresholds: Mapping[str, int]) -> bool:
    """An at-least `a` holds whenever at-least `b` does."""
    al, bl = level(a, thresholds), level(b, thresholds)
    return al is not None and bl is not None and al <= bl


def _not_higher(a: Any, b: Any, thresholds: Mapping[str, int]) -> bool:
    al, bl = level(a, thresholds), level(b, thresholds)
    return al is not None and bl is not None and al >= bl


@dataclass(frozen=True)
class Condition:
    holds: Callable[[Facts, Any], bool]
    words: Callable[[Any, Mapping[str, int]], list[str]]
    implies: Callable[[Any, Any, Mapping[str, int]], bool] = _same
    never: Callable[[Any, Conditions, RuleFacts], list[Never]] | None = None
    check: Callable[[Any, tuple, Checker, Names], None] | None = None
    names: str | None = None


_SWAP = "swap the two numbers, or remove one"


# ------------------------------------------------------------------------- rapport
def _rapport_least_never(value, when, f: RuleFacts) -> list[Never]:
    least = level(value, f.thresholds)
    if least is not None and least > f.high:
        return [Never("PS0020", ("rapport_at_least",),
                      f"this rule needs rapport at least {shown(value, f.thresholds)}, "
                      f"but rapport never goes above {f.high}",
                      f"use a level from {f.low} to {f.high}, or raise `rapport.max`")]
    return []


def _rapport_most_never(value, when, f: RuleFacts) -> list[Never]:
    out = []
    most, least = level(value, f.thresholds), level(when.rapport_at_least, f.thresholds)
    if most is not None and most < f.low:
        out.append(Never("PS0020", ("rapport_at_most",),
                         f"this rule needs rapport at most {shown(value, f.thresholds)}, "
                         f"but rapport never goes below {f.low}",
                         f"use a level from {f.low} to {f.high}, or lower `rapport.min`"))
    if least is not None and most is not None and least > most:
        out.append(Never("PS0021", ("rapport_at_least",),
                         f"rapport can't be at least {least} and at most {most} at once", _SWAP))
    return out


def _threshold_check(name: str):
    def check(value, loc, c: Checker, names: Names) -> None:
        if isinstance(value, str):
            c.need(value, names.thresholds, loc + (name,), "threshold")
    return check


# ------------------------------------------------------------------------- streak and count
def _streak_holds(f: Facts, streak) -> bool:
    recent = f.primaries[-streak.count:]
    return len(recent) >= streak.count and all(m == streak.move for m in recent)


def _streak_never(value, when, f: RuleFacts) -> list[Never]:
    if value.move in f.rule.moves:
        return []
    return [Never("PS0022", ("streak", "move"),
                  f"this rule fires on {f.rule.move_words}, so a streak of '{value.move}' "
                  "can never be complete when it is tried",
                  f"trigger it on `move: {value.move}`, or use `count:` instead of `streak:`")]


def _streak_check(value, loc, c: Checker, names: Names) -> None:
    c.need(value.move, MOVE_IDS, loc + ("streak", "move"), "move")


def _count_holds(f: Facts, count) -> bool:
    seen = f.counts.get(count.move, 0)
    return ((count.at_least is None or seen >= count.at_least)
            and (count.at_most is None or seen <= count.at_most))


def _count_words(c, thresholds) -> list[str]:
    out = []
    if c.at_least is not None:
        out.append(f"{c.move} ≥ {c.at_least}× so far")
    if c.at_most is not None:
        out.append(f"{c.move} ≤ {c.at_most}× so far")
    return out


def _count_never(value, when, f: RuleFacts) -> list[Never]:
    if value.at_least is not None and value.at_most is not None and value.at_least > value.at_most:
        return [Never("PS0021", ("count",), f"'{value.move}' can't be counted at least {value.at_least} and at most "
                                            f"{value.at_most} times at once", _SWAP)]
    return []


def _count_check(value, loc, c: Checker, names: Names) -> None:
    c.need(value.move, MOVE_IDS, loc + ("count", "move"), "move")
    if value.at_least is None and value.at_most is None:
        c.rule(loc + ("count",), "a count needs at_least or at_most", "for example `at_least: 3`")


# ------------------------------------------------------------------------- turns
def _turn_most_never(value, when, f: RuleFacts) -> list[Never]:
    least = when.turn_at_least
    if least is not None and least > value:
        return [Never("PS0021", ("turn_at_least",),
                      f"a turn can't be turn {least} or later and turn {value} or earlier at once", _SWAP)]
    return []


# ------------------------------------------------------------------------- beats and states
def _beat_not_never(value, when, f: RuleFacts) -> list[Never]:
    if when.beat_revealed and when.beat_revealed == value:
        return [Never("PS0021", ("beat_revealed",), f"the beat '{value}' can't be both told and not told",
                      "keep one of beat_revealed and beat_not_revealed")]
    return []


def _beat_check(name: str):
    def check(value, loc, c: Checker, names: Names) -> None:
        if names.beats is not None and value:
            c.need(value, names.beats, loc + (name,), "beat")
    return check


def _previous_holds(f: Facts, state) -> bool:
    return (f.state_history[-2] if len(f.state_history) > 1 else None) == state


def _previous_never(value, when, f: RuleFacts) -> list[Never]:
    if not value:
        return []
    into = {r.to for r in f.index.leaving(value)} - {value}
    sources = set(f.rule.sources)
    if into & sources:
        return []
    return [Never("PS0024", ("previous_state",),
                  f"no rule leads from '{value}' to {' or '.join(sorted(sources))}, so '{value}' can never be the "
                  "state before", "name a state that has a transition into the `from` state")]


def _previous_check(value, loc, c: Checker, names: Names) -> None:
    if value:
        c.need(value, names.states, loc + ("previous_state",), "state")


# ------------------------------------------------------------------------- harm and repair
def _harm_run_holds(f: Facts, run) -> bool:
    recent = list(zip(f.kinds, f.harms))[-run.within:]
    helped = [i for i, (kind, _) in enumerate(recent) if kind in _HELPFUL_KINDS]
    after_help = recent[helped[-1] + 1:] if helped else recent
    counted = sum(kind == "harm" and (run.moves is None or bool(set(run.moves) & harms))
                  for kind, harms in after_help)
    return counted >= run.at_least


def _harm_run_words(run, thresholds) -> list[str]:
    kinds = " or ".join(run.moves) if run.moves else "harmful"
    return [f"{run.at_least} {kinds} turns in the last {run.within}, nothing helpful between"]


def _harm_run_check(value, loc, c: Checker, names: Names) -> None:
    if value.moves is not None:
        for j, move in enumerate(value.moves):
            c.need(move, sorted(HARMFUL_MOVES), loc + ("harm_run", "moves", j), "harmful move")
    if value.at_least > value.within:
        c.rule(loc + ("harm_run",), "a harm_run cannot need more harmful turns than it looks back over",
               "make `within` at least `at_least`, for example {at_least: 3, within: 5}")


def _since_harm_holds(f: Facts, since) -> bool:
    harmed = [i for i, kind in enumerate(f.kinds) if kind == "harm"]
    start = harmed[-1] + 1 if harmed else 0
    if since.helpful_at_least is not None and sum(f.helped[start:]) < since.helpful_at_least:
        return False
    return since.repaired is None or since.repaired == ("repair" in f.kinds[start:])


def _since_harm_words(since, thresholds) -> list[str]:
    out = []
    if since.helpful_at_least is not None:
        out.append(f"≥ {since.helpful_at_least} listening moves since the last harm")
    if since.repaired is not None:
        out.append("a repair since the last harm" if since.repaired else "no repair since the last harm")
    return out


def _since_harm_check(value, loc, c: Checker, names: Names) -> None:
    if value.helpful_at_least is None and value.repaired is None:
        c.rule(loc + ("since_harm",), "since_harm needs helpful_at_least or repaired",
               "for example {helpful_at_least: 2, repaired: true}")


# ------------------------------------------------------------------------- the table
CONDITIONS: dict[str, Condition] = {
    "rapport_at_least": Condition(
        holds=lambda f, v: f.rapport >= level(v, f.thresholds),
        words=lambda v, t: [f"rapport ≥ {_words_level(v, t)}"],
        implies=_not_lower, never=_rapport_least_never, check=_threshold_check("rapport_at_least"),
        names="threshold"),
    "rapport_at_most": Condition(
        holds=lambda f, v: f.rapport <= level(v, f.thresholds),
        words=lambda v, t: [f"rapport ≤ {_words_level(v, t)}"],
        implies=_not_higher, never=_rapport_most_never, check=_threshold_check("rapport_at_most"),
        names="threshold"),
    "streak": Condition(
        holds=_streak_holds,
        words=lambda v, t: [f"{v.move} {v.count}× in a row"],
        never=_streak_never, check=_streak_check),
    "count": Condition(holds=_count_holds, words=_count_words, never=_count_never, check=_count_check),
    "turn_at_least": Condition(
        holds=lambda f, v: f.turn >= v,
        words=lambda v, t: [f"turn ≥ {v}"],
        implies=lambda a, b, t: a <= b),
    "turn_at_most": Condition(
        holds=lambda f, v: f.turn <= v,
        words=lambda v, t: [f"turn ≤ {v}"],
        implies=lambda a, b, t: a >= b, never=_turn_most_never),
    "beat_revealed": Condition(
        holds=lambda f, v: v in f.revealed,
        words=lambda v, t: [f"beat '{v}' told"] if v else [],
        check=_beat_check("beat_revealed"), names="beat"),
    "beat_not_revealed": Condition(
        holds=lambda f, v: v not in f.revealed,
        words=lambda v, t: [f"beat '{v}' not told"] if v else [],
        never=_beat_not_never, check=_beat_check("beat_not_revealed"), names="beat"),
    "previous_state": Condition(
        holds=_previous_holds,
        words=lambda v, t: [f"came from {v}"] if v else [],
        never=_previous_never, check=_previous_check, names="state"),
    "harm_run": Condition(holds=_harm_run_holds, words=_harm_run_words, check=_harm_run_check),
    "since_harm": Condition(holds=_since_harm_holds, words=_since_harm_words, check=_since_harm_check),
    "step_named": Condition(
        holds=lambda f, v: f.step_named == v,
        words=lambda v, t: ["the client named a first step" if v else "no first step named yet"]),
}


def given(when: Conditions) -> Iterator[tuple[str, Any, Condition]]:
    """The conditions a rule sets (name, value, table entry), in the schema's order."""
    for name, condition in CONDITIONS.items():
        value = getattr(when, name)
        if value is not None:
            yield name, value, condition


def holds(when: Conditions, facts: Facts) -> bool:
    """Whether every condition of a rule holds for the conversation as it is now."""
    return all(condition.holds(facts, value) for _, value, condition in given(when))


def describe(when: Conditions, thresholds: Mapping[str, int]) -> list[str]:
    """Each condition of a rule in plain words, for graphs and the why pane."""
    return [text for _, value, condition in given(when) for text in condition.words(value, thresholds)]


def never(when: Conditions, facts: RuleFacts) -> list[Never]:
    """Why a rule's conditions can never hold, judged from the tree alone."""
    return [n for _, value, condition in given(when) if condition.never
            for n in condition.never(value, when, facts)]


def no_stricter(a: Conditions, b: Conditions, thresholds: Mapping[str, int]) -> bool:
    """True when every condition `a` sets is implied by `b`'s (so `a` holds whenever `b` does)."""
    for name, value, condition in given(a):
        other = getattr(b, name)
        if other is None or not condition.implies(value, other, thresholds):
            return False
    return True


def check(when: Conditions, loc: tuple, checker: Checker, names: Names) -> None:
    """Report every name a rule's conditions use that does not exist, and every broken shape."""
    for _, value, condition in given(when):
        if condition.check:
            condition.check(value, loc, checker, names)


def named(when: Conditions, kind: str) -> list[tuple[str, str]]:
    """(field, id) for each condition naming an id of this kind ("threshold", "beat", "state")."""
    return [(name, value) for name, value, condition in given(when)
            if condition.names == kind and isinstance(value, str) and value]
