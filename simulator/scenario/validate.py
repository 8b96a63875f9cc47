"""Checks that pydantic cannot do: every id a file names must exist.

`transitions` accepts unknown states and conditions and only fails when they are
triggered, mid-session, in front of a trainee. Everything is checked here, before a
machine is built.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from simulator.moves.taxonomy import FAMILY_IDS, MOVE_IDS
from simulator.scenario.errors import Problem, did_you_mean
from simulator.scenario.schema import Conditions, Persona, Tree
from simulator.scenario.source import SourceMap

REPLY_KEYS = ("default",) + MOVE_IDS + FAMILY_IDS
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def pydantic_problems(exc: ValidationError, model: type[BaseModel], smap: SourceMap) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            fields = _field_names(parent) if parent else []
            problems.append(smap.problem(loc, f"unknown field '{loc[-1]}'", did_you_mean(loc[-1], fields), key=True))
        elif kind == "missing":
            problems.append(smap.problem(loc[:-1], f"missing required field '{loc[-1]}'",
                                         f"add `{loc[-1]}:` here", key=True))
        else:
            # Unions report one error per branch; the location names the field either way.
            where = ".".join(str(p) for p in loc if not _is_union_tag(p))
            problems.append(smap.problem(loc, f"{where}: {err['msg']}", _type_hint(err)))
    return _dedupe(problems)


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (part in ("int", "str", "list[str]", "float") or "[" in part
                                      or part.startswith(("function-", "literal")))


def _type_hint(err: dict) -> str:
    kind = err["type"]
    if kind.startswith("string"):
        return "write text here (put it in double quotes if it holds ': ' or starts with a symbol)"
    if kind.startswith(("int", "float")):
        return "write a number here"
    if kind.startswith("list"):
        return "write a list here: each item on its own line starting with '- '"
    if kind.startswith(("dict", "model")):
        return "write a mapping here: `key: value` lines indented under this one"
    if kind == "literal_error":
        return "use one of the values named above"
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits, '-' and '_' only"
    return ""


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.line, p.column, p.message.split(":")[0])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            continue
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class _Checker:
    def __init__(self, smap: SourceMap):
        self.smap = smap
        self.problems: list[Problem] = []

    def need(self, value: object, valid: Iterable[str], loc: tuple, what: str, extra: Iterable[str] = ()) -> None:
        valid = list(valid)
        if value not in valid and value not in extra:
            self.problems.append(self.smap.problem(
                loc, f"unknown {what} '{value}'", did_you_mean(value, valid + list(extra))))

    def key(self, value: str, valid: Iterable[str], loc: tuple, what: str) -> None:
        valid = list(valid)
        if value not in valid:
            self.problems.append(self.smap.problem(loc, f"unknown {what} '{value}'",
                                                   did_you_mean(value, valid), key=True))


def check_tree(tree: Tree, smap: SourceMap) -> list[Problem]:
    c = _Checker(smap)
    states = list(tree.states)
    c.need(tree.initial, states, ("initial",), "state")
    if tree.rapport.min >= tree.rapport.max:
        c.problems.append(smap.problem(("rapport",), "rapport min must be below max", "for example min: 0, max: 100"))
    elif not tree.rapport.min <= tree.rapport.start <= tree.rapport.max:
        c.problems.append(smap.problem(("rapport", "start"), "rapport start is outside min..max",
                                       f"use a number from {tree.rapport.min} to {tree.rapport.max}"))
    for move in tree.effects:
        c.key(move, MOVE_IDS, ("effects", move), "move")
    for sid, state in tree.states.items():
        _check_pools(c, state.replies, ("states", sid, "replies"), need_default=True)
    for i, tr in enumerate(tree.transitions):
        loc = ("transitions", i)
        for j, move in enumerate(as_list(tr.move)):
            c.need(move, MOVE_IDS, loc + ("move",) + ((j,) if isinstance(tr.move, list) else ()), "move",
                   extra=("any",))
        for j, src in enumerate(as_list(tr.from_)):
            c.need(src, states, loc + ("from",) + ((j,) if isinstance(tr.from_, list) else ()), "state",
                   extra=("any",))
        c.need(tr.to, states, loc + ("to",), "state")
        _check_conditions(c, tr.when, loc + ("when",), states, list(tree.thresholds), beats=None)
    return c.problems


def _check_pools(c: _Checker, pools: dict[str, list[str]], loc: tuple, *, need_default: bool) -> None:
    for key, lines in pools.items():
        c.key(key, REPLY_KEYS, loc + (key,), "reply key (a move id, a move family or 'default')")
        if not lines:
            c.problems.append(c.smap.problem(loc + (key,), f"the reply pool '{key}' is empty",
                                             "add at least one line, or remove the key"))
    if need_default and "default" not in pools:
        c.problems.append(c.smap.problem(loc, "this state has no 'default' reply pool",
                                         "add `default:` with a few lines the client says when no other pool fits",
                                         key=True))


def _check_conditions(c: _Checker, when: Conditions, loc: tuple, states: list[str], thresholds: list[str],
                      beats: list[str] | None) -> None:
    for name in ("rapport_at_least", "rapport_at_most"):
        value = getattr(when, name)
        if isinstance(value, str):
            c.need(value, thresholds, loc + (name,), "threshold")
    if when.streak:
        c.need(when.streak.move, MOVE_IDS, loc + ("streak", "move"), "move")
    if when.count:
        c.need(when.count.move, MOVE_IDS, loc + ("count", "move"), "move")
        if when.count.at_least is None and when.count.at_most is None:
            c.problems.append(c.smap.problem(loc + ("count",), "a count needs at_least or at_most",
                                             "for example `at_least: 3`"))
    if when.previous_state:
        c.need(when.previous_state, states, loc + ("previous_state",), "state")
    if beats is not None:
        for name in ("beat_revealed", "beat_not_revealed"):
            value = getattr(when, name)
            if value:
                c.need(value, beats, loc + (name,), "beat")


def check_persona(persona: Persona, smap: SourceMap, tree: Tree, tree_smap: SourceMap) -> list[Problem]:
    c = _Checker(smap)
    states = list(tree.states)
    thresholds = list(tree.thresholds)
    beat_ids = [b.id for b in persona.beats]
    for name in persona.thresholds:
        c.key(name, thresholds, ("thresholds", name), "threshold (the tree defines these)")
    for key in persona.sensitivities:
        c.key(key, MOVE_IDS + FAMILY_IDS, ("sensitivities", key), "move or move family")
    for key, factor in persona.sensitivities.items():
        if not 0 <= factor <= 10:
            c.problems.append(smap.problem(("sensitivities", key), "a sensitivity is a multiplier from 0 to 10",
                                           "1 is the tree's effect; 2 doubles it; 0.5 halves it"))
    seen: set[str] = set()
    for i, beat in enumerate(persona.beats):
        loc = ("beats", i)
        if beat.id in seen:
            c.problems.append(smap.problem(loc + ("id",), f"the beat id '{beat.id}' is used twice", "rename one"))
        seen.add(beat.id)
        for j, st in enumerate(as_list(beat.unlock.at_state)):
            c.need(st, states, loc + ("unlock", "at_state") + ((j,) if isinstance(beat.unlock.at_state, list) else ()),
                   "state")
        if isinstance(beat.unlock.rapport_at_least, str):
            c.need(beat.unlock.rapport_at_least, thresholds, loc + ("unlock", "rapport_at_least"), "threshold")
        if beat.unlock.after:
            c.need(beat.unlock.after, [b for b in beat_ids if b != beat.id], loc + ("unlock", "after"), "beat")
        if not (beat.unlock.at_state or beat.unlock.rapport_at_least is not None or beat.unlock.after):
            c.problems.append(smap.problem(loc + ("unlock",), "this beat has no unlock condition",
                                           "add `at_state:` or `rapport_at_least:`"))
    for sid, pools in persona.replies.items():
        c.key(sid, states, ("replies", sid), "state")
        _check_pools(c, pools, ("replies", sid), need_default=False)
    for sid in persona.cues:
        c.key(sid, states, ("cues", sid), "state")
    # The tree's beat conditions can only be checked against a persona's beats.
    tc = _Checker(tree_smap)
    for i, tr in enumerate(tree.transitions):
        for name in ("beat_revealed", "beat_not_revealed"):
            value = getattr(tr.when, name)
            if value and value not in beat_ids:
                c.problems.append(smap.problem(
                    ("beats",), f"the tree's transition {i + 1} ({tree_smap.file}:"
                    f"{tree_smap.locate(('transitions', i, 'when', name))[0]}) needs a beat '{value}'",
                    f"add a beat with id '{value}' to this persona, or " + did_you_mean(value, beat_ids)))
    return c.problems + tc.problems


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)
