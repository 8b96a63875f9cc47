"""Which cue patterns could make reading a turn hang.

Python's regular expressions backtrack: a pattern such as `^(a+)+$` takes time that
doubles with every extra letter of a piece that almost matches, so one site lexicon
rule could freeze every turn. A lexicon pattern is refused when it repeats, without a
small bound, something that itself repeats without one, or a choice whose branches can
begin alike ("(a|ab)+"): the two shapes behind catastrophic backtracking. The shipped
lexicon has neither; a cue phrase never needs them.
"""

from __future__ import annotations

from re import _constants as _C

_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)
LARGE = 20          # a repeat allowed more times than this counts as unbounded
ANY = object()      # "this branch may begin with any character"


def risk(parsed) -> str:
    """Why the parsed pattern (re._parser.parse) may backtrack catastrophically, or ''."""
    return _walk(list(parsed), inside=False)


def _walk(items: list, inside: bool) -> str:
    for op, av in items:
        if op in _REPEATS:
            low, high, sub = av
            large = high == _C.MAXREPEAT or high > LARGE
            if large and op is not _C.POSSESSIVE_REPEAT:
                if inside:
                    return "a repeated part inside another repeated part, such as (a+)+"
                if _overlapping_branches(list(sub)):
                    return "a repeated choice whose branches can begin alike, such as (a|ab)+"
            found = _walk(list(sub), inside or large)
        elif op is _C.SUBPATTERN:
            found = _walk(list(av[-1]), inside)
        elif op is _C.BRANCH:
            found = next((f for branch in av[1] if (f := _walk(list(branch), inside))), "")
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            found = _walk(list(av[1]), inside)
        elif op is _C.ATOMIC_GROUP:
            found = ""      # an atomic group never backtracks into itself
        else:
            found = ""
        if found:
            return found
    return ""


def _overlapping_branches(items: list) -> bool:
    """Inside the repeated part (groups opened), a choice with an empty branch or with two
    branches that can begin with the same character: the same text can then be split
    between repetitions in many ways. (The parser turns "(a|aa)" into "a(|a)".)"""
    while len(items) == 1 and items[0][0] is _C.SUBPATTERN:
        items = list(items[0][1][-1])
    for op, av in items:
        if op is _C.SUBPATTERN and _overlapping_branches(list(av[-1])):
            return True
        if op is not _C.BRANCH:
            continue
        seen: set = set()
        for branch in av[1]:
            first = _first(list(branch))
            if not branch or first is ANY or first & seen:
                return True
            seen |= first
    return False


def _first(items: list):
    """The characters a branch can begin with: a set, or ANY when that is not simple."""
    for op, av in items:
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        if op is _C.LITERAL:
            return {chr(av).lower()}
        if op is _C.SUBPATTERN:
            return _first(list(av[-1]))
        return ANY
    return ANY          # an empty branch matches nothing and so "begins" like any other
