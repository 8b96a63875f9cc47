"""Checks that pydantic cannot do: every id a file names must exist.

`transitions` accepts unknown states and conditions and only fails when they are
triggered, mid-session, in front of a trainee. Everything is checked here, before a
machine is built.
"""

from __future__ import annotations

import difflib
import re
from types import UnionType
from typing import Annotated, Any, Collection, Iterable, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from simulator.moves.taxonomy import FAMILY_IDS, MOVE_IDS
from simulator.scenario import conditions
from simulator.scenario.rules import as_list, rules_of  # as_list: others import it from here too
from simulator.scenario.errors import BAD_FIELD, BROKEN_RULE, UNKNOWN_NAME, Problem, did_you_mean
from simulator.scenario.schema import MAX_RULES_PER_STATE, OPENNESS_LEVELS, REPLY_KEYS, Conditions, Persona, Tree
from simulator.scenario.source import SourceMap

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


MAX_ERRORS_READ = 500


def pydantic_problems(exc: ValidationError, model: type[BaseModel], smap: SourceMap) -> list[Problem]:
    """pydantic's errors, reworded for a trainer: where (in words), what was expected, what was found.

    A field that takes one of several shapes (a union such as `from: state | [states]`)
    makes pydantic report one error per shape, with the shape's name in the location.
    Those are folded into one message; if the value had the right outer shape (a list
    whose second item is wrong), only the inner error is reported.
    """
    problems = []
    unions: dict[tuple, list[tuple[tuple, dict]]] = {}
    plain: list[tuple[tuple, dict]] = []
    shapes: dict[tuple, Any] = {}  # document location -> the type pydantic checked there
    # A damaged file can hold thousands of errors; the first few hundred say all a trainer
    # can act on (validate shows 50 a file), and reading the rest takes seconds.
    for err in exc.errors()[:MAX_ERRORS_READ]:
        loc, union_at = _clean_loc(model, tuple(err["loc"]), shapes)
        if union_at is None:
            plain.append((loc, err))
        else:
            unions.setdefault(union_at, []).append((loc, err))
    for union_at, errs in unions.items():
        deeper = [(loc, err) for loc, err in errs if len(loc) > len(union_at)]
        if deeper:
            plain.extend(deeper)
            continue
        out_of_range = [(loc, err) for loc, err in errs if err["type"] in _RANGE_ERRORS]
        if out_of_range:          # a number, but too big or too small: say so, not "expected a number"
            plain.extend(out_of_range[:1])
            continue
        expected = _union_phrase(shapes.get(union_at), [err for _, err in errs])
        problems.append(_shape(smap, 
            union_at, f"{_where(union_at)}: expected {expected}, but found {_found(errs[0][1]['input'])}",
            _field_hint(shapes, union_at) or _UNION_HINTS.get(expected, "")))
    for loc, err in plain:
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _model_in(shapes.get(loc[:-1]))
            fields = _field_names(parent) if parent else []
            problems.append(_shape(smap, loc, f"unknown field '{loc[-1]}'", _field_suggestion(loc[-1], fields),
                                         key=True))
        elif kind == "missing":
            about = _field_hint(shapes, loc)
            problems.append(_shape(smap, loc[:-1], f"missing required field '{loc[-1]}'",
                                         f"add `{loc[-1]}:` here" + (f" ({about})" if about else ""), key=True))
        elif kind in _RANGE_ERRORS and (bounds := _range_of(shapes.get(loc))):
            problems.append(_shape(smap, loc, f"{_where(loc)}: expected {_range_phrase(bounds)}, but found "
                                              f"{_found(err['input'])}", _range_hint(bounds)))
        else:
            phrase = _expected(err)
            text = (f"expected {phrase}, but found {_found(err['input'])}" if phrase
                    else err["msg"].replace("Input should", "should").replace("String should", "should")
                    .replace("List should", "should").replace("Value should", "should"))
            problems.append(_shape(smap, loc, f"{_where(loc)}: {text}", _type_hint(err)))
    return _dedupe(problems)


def _shape(smap: SourceMap, loc: tuple, message: str, hint: str = "", *, key: bool = False) -> Problem:
    return smap.problem(loc, message, hint, key=key, validation_code=BAD_FIELD)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _members(annotation: Any) -> list[Any]:
    """The shapes a union allows (None left out); [] if it is not a union."""
    if get_origin(annotation) not in (Union, UnionType):
        return []
    return [a for a in get_args(annotation) if a is not type(None)]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model checked at a place: the annotation itself, or the model member of a union."""
    if _is_model(annotation):
        return annotation
    return next((m for m in _members(annotation) if _is_model(m)), None)


def _unwrap(annotation: Any) -> Any:
    members = _members(annotation)
    return members[0] if len(members) == 1 else annotation


def _child(annotation: Any, part: object) -> Any:
    annotation = _unwrap(annotation)
    if _is_model(annotation):
        field = next((f for n, f in annotation.model_fields.items() if (f.alias or n) == part), None)
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _tag(member: Any) -> str:
    if get_origin(member) is Annotated:      # a bounded number (schema.Points) is still a number
        member = get_args(member)[0]
    if get_origin(member) is list:           # and a list of bounded ids (schema.Ref) a list of text
        return f"list[{_tag(get_args(member)[0])}]"
    return member.__name__ if isinstance(member, type) else repr(member)


def _clean_loc(model: type[BaseModel], loc: tuple, shapes: dict[tuple, Any]) -> tuple[tuple, tuple | None]:
    """The location in the document (union shape names removed) and where a union stood, if any.

    Records in `shapes` the declared type at each location, so the fields allowed
    where an unknown one stands can be named.
    """
    clean: list = []
    union_at = None
    annotation: Any = model
    shapes.setdefault((), model)
    for part in loc:
        members = _members(annotation)
        if len(members) > 1 and isinstance(part, str):
            # pydantic names the union member it tried; it is not a key of the document.
            union_at = tuple(clean)
            annotation = next((m for m in members if _tag(m) == part), None)
            continue
        clean.append(part)
        annotation = _child(annotation, part) if annotation is not None else None
        shapes.setdefault(tuple(clean), annotation)
    return tuple(clean), union_at


def _field_hint(shapes: dict[tuple, Any], loc: tuple) -> str:
    parent = _model_in(shapes.get(loc[:-1])) if loc and isinstance(loc[-1], str) else None
    field = None
    if parent:
        field = next((f for n, f in parent.model_fields.items() if (f.alias or n) == loc[-1]), None)
    return f"{loc[-1]}: {field.description}" if field is not None and field.description else ""


def _where(loc: tuple) -> str:
    """('transitions', 3, 'from') -> 'transitions > item 4 > from' (items counted from 1)."""
    if not loc:
        return "the file"
    return " > ".join(f"item {p + 1}" if isinstance(p, int) else str(p) for p in loc)


_PHRASES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number (no decimals)", "float_type": "a number", "float_parsing": "a number",
    "list_type": "a list", "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping of fields (`key: value` lines)",
    "model_attributes_type": "a mapping of fields (`key: value` lines)",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "string_pattern_mismatch": "an id made of lowercase letters, digits, '-' and '_'",
    "string_too_short": "some text", "too_short": "at least one item",
}


_RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _range_of(annotation: Any) -> tuple[type, Any, Any] | None:
    """(number type, least, most) of a bounded number in the schema (schema.Points ...)."""
    for member in [annotation, *_members(annotation)]:
        if get_origin(member) is Annotated:
            base, *meta = get_args(member)
            bounds = {k: getattr(m, k) for info in meta for m in getattr(info, "metadata", []) for k in ("ge", "le")
                      if hasattr(m, k)}
            if "ge" in bounds and "le" in bounds:
                return base, bounds["ge"], bounds["le"]
    return None


def _range_phrase(bounds: tuple[type, Any, Any]) -> str:
    base, least, most = bounds
    return f"{'a multiplier' if base is float else 'a whole number'} from {least:,} to {most:,}"


def _range_hint(bounds: tuple[type, Any, Any]) -> str:
    if bounds[0] is float:
        return "1 is the tree's effect; 2 doubles it; 0.5 halves it; 0 turns it off"
    return ("peersim's ranges: rapport, its limits, thresholds and effects from -1,000 to 1,000; "
            "turn numbers and counts up to 10,000; a real client needs far less")


def _expected(err: dict) -> str:
    if err["type"] == "literal_error":
        return "one of " + str(err.get("ctx", {}).get("expected", "the values allowed"))
    return _PHRASES.get(err["type"], "")


_UNION_HINTS = {
    "one id or a list of ids": "write one id, or a list in brackets: [first, second]",
    "a number or the name of a threshold": "write a number such as 40, or the name of one of the tree's thresholds",
}


def _union_phrase(annotation: Any, errs: list[dict]) -> str:
    tags = {_tag(m) for m in _members(annotation)}
    if tags == {"str", "list[str]"}:
        return "one id or a list of ids"
    if tags == {"int", "str"}:
        return "a number or the name of a threshold"
    phrases = list(dict.fromkeys(p for p in (_expected(e) for e in errs) if p))
    return " or ".join(phrases) if phrases else "a different kind of value"


def _found(value: object) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'" if value else "empty text"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    return f"a {type(value).__name__}"


def _field_suggestion(name: object, fields: list[str]) -> str:
    close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if fields:
        return "remove it, or use one of the fields allowed here: " + ", ".join(fields)
    return "remove it"


def _type_hint(err: dict) -> str:
    kind = err["type"]
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits, '-' and '_' only, starting with a letter or digit"
    if kind in ("string_too_long", "too_long"):
        return "shorten it: every text and list has a limit (docs/authoring.md, 'Limits on size')"
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
    if kind == "too_short":
        return "add at least one item, each on its own line starting with '- '"
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


class _Checker:
    def __init__(self, smap: SourceMap):
        self.smap = smap
        self.problems: list[Problem] = []

    # `valid` is a collection, looked into as it is: a tree's states come as its dict's keys,
    # so a 2,000-state tree is not checked by copying 2,000 ids for each of its rules.
    def need(self, value: object, valid: Collection[str], loc: tuple, what: str, extra: Iterable[str] = ()) -> None:
        if value not in valid and value not in extra:
            self.problems.append(self.smap.problem(
                loc, _unknown(what, value), _suggest(value, [*valid, *extra], what), validation_code=UNKNOWN_NAME))

    def key(self, value: str, valid: Collection[str], loc: tuple, what: str) -> None:
        if value not in valid:
            self.problems.append(self.smap.problem(loc, _unknown(what, value),
                                                   _suggest(value, list(valid), what), key=True, validation_code=UNKNOWN_NAME))

    def rule(self, loc: tuple, message: str, hint: str, *, key: bool = False) -> None:
        """A rule of the format that the file breaks (PS0004)."""
        self.problems.append(self.smap.problem(loc, message, hint, key=key, validation_code=BROKEN_RULE))


def _suggest(value: object, options: list[str], what: str) -> str:
    if not options:  # did_you_mean would print "expected one of: " and nothing after it
        return f"expected one of the {what.partition(' (')[0]}s defined, but there are none yet: add it first"
    return did_you_mean(value, options)


def _unknown(what: str, value: object) -> str:
    # "reply key (a move id, ...)" reads "unknown reply key 'x' (a move id, ...)", the name first.
    noun, _, note = what.partition(" (")
    return f"unknown {noun} '{value}'" + (f" ({note}" if note else "")


def check_tree(tree: Tree, smap: SourceMap) -> list[Problem]:
    c = _Checker(smap)
    states = tree.states.keys()
    c.need(tree.initial, states, ("initial",), "state")
    if tree.rapport.min >= tree.rapport.max:
        c.rule(("rapport",), "rapport min must be below max", "for example min: 0, max: 100")
    elif not tree.rapport.min <= tree.rapport.start <= tree.rapport.max:
        c.rule(("rapport", "start"), "rapport start is outside min..max",
                                       f"use a number from {tree.rapport.min} to {tree.rapport.max}")
    for move in tree.effects:
        c.key(move, MOVE_IDS, ("effects", move), "move")
    for sid, state in tree.states.items():
        _check_pools(c, state.replies, ("states", sid, "replies"), need_default=True)
    for i, tr in enumerate(tree.transitions):
        loc = ("transitions", i)
        for name, value, what in (("move", tr.move, "moves"), ("from", tr.from_, "states")):
            if value == []:  # an empty list matches nothing: the rule could never fire
                c.rule(loc + (name,),
                                               f"this rule's `{name}` lists no {what}, so it never fires",
                                               f"name at least one of the {what}, or write `{name}: any`")
        for j, move in enumerate(as_list(tr.move)):
            c.need(move, MOVE_IDS, loc + ("move",) + ((j,) if isinstance(tr.move, list) else ()), "move",
                   extra=("any",))
        for j, src in enumerate(as_list(tr.from_)):
            c.need(src, states, loc + ("from",) + ((j,) if isinstance(tr.from_, list) else ()), "state",
                   extra=("any",))
        c.need(tr.to, states, loc + ("to",), "state")
        _check_conditions(c, tr.when, loc + ("when",), states, list(tree.thresholds), beats=None)
    _check_rules_per_state(c, tree)
    return c.problems


def _check_rules_per_state(c: _Checker, tree: Tree) -> None:
    """At most MAX_RULES_PER_STATE rules may be tried in one state (the rule index's own and
    `from: any` rules, as the engine tries them). Each state over the limit is reported at
    its first rule past it; when the `from: any` rules alone are too many, every state is,
    so that is said once."""
    index = rules_of(tree)
    if len(index.any_rules) > MAX_RULES_PER_STATE:
        over = index.any_rules[MAX_RULES_PER_STATE].index
        c.rule(("transitions", over),
               f"{len(index.any_rules)} rules say `from: any`, so that many can be tried in every state; "
               f"the most is {MAX_RULES_PER_STATE}, and this is rule {over + 1}",
               "remove repeated rules, or give some of them `from:` one state instead of `from: any`")
        return
    for sid in tree.states:
        tried = len(index.any_rules) + len(index.explicit.get(sid, ()))
        if tried > MAX_RULES_PER_STATE:
            over = index.leaving(sid)[MAX_RULES_PER_STATE].index
            c.rule(("transitions", over),
                   f"{tried} rules can be tried in the state '{sid}' (its own and every `from: any` rule); "
                   f"the most is {MAX_RULES_PER_STATE}, and this is rule {over + 1}",
                   "remove repeated rules, or give some of them `from:` one state instead of `from: any`")


def _check_pools(c: _Checker, pools: dict[str, list[str]], loc: tuple, *, need_default: bool) -> None:
    for key, lines in pools.items():
        c.key(key, REPLY_KEYS, loc + (key,), "reply key (a move id, a move family or 'default')")
        if not lines:
            c.rule(loc + (key,), f"the reply pool '{key}' is empty",
                                             "add at least one line, or remove the key")
    if need_default and "default" not in pools:
        c.rule(loc, "this state has no 'default' reply pool",
                                         "add `default:` with a few lines the client says when no other pool fits",
                                         key=True)


def _check_conditions(c: _Checker, when: Conditions, loc: tuple, states: Collection[str], thresholds: list[str],
                      beats: list[str] | None) -> None:
    """The names a rule's conditions use, and their shapes (the table in conditions.py)."""
    conditions.check(when, loc, c, conditions.Names(states, thresholds, beats))


def check_persona(persona: Persona, smap: SourceMap, tree: Tree, tree_smap: SourceMap) -> list[Problem]:
    c = _Checker(smap)
    states = list(tree.states)
    thresholds = list(tree.thresholds)
    beat_ids = dict.fromkeys(b.id for b in persona.beats)   # in file order, for suggestions; a set to look up
    for name in persona.thresholds:
        c.key(name, thresholds, ("thresholds", name), "threshold (a persona can only move the tree's own)")
    for key in persona.sensitivities:
        c.key(key, MOVE_IDS + FAMILY_IDS, ("sensitivities", key), "move or move family")
    _ids_once(c, persona.beats, "beats", "beat")
    for i, beat in enumerate(persona.beats):
        loc = ("beats", i)
        for j, st in enumerate(as_list(beat.unlock.at_state)):
            c.need(st, states, loc + ("unlock", "at_state") + ((j,) if isinstance(beat.unlock.at_state, list) else ()),
                   "state")
        if isinstance(beat.unlock.rapport_at_least, str):
            c.need(beat.unlock.rapport_at_least, thresholds, loc + ("unlock", "rapport_at_least"), "threshold")
        if beat.unlock.after == beat.id:
            c.rule(loc + ("unlock", "after"), f"the beat '{beat.id}' waits for itself",
                                           "name another beat under `after:`, or remove it")
        elif beat.unlock.after and beat.unlock.after not in beat_ids:
            # Only on the error path: the suggestions leave the beat itself out.
            c.need(beat.unlock.after, [b for b in beat_ids if b != beat.id], loc + ("unlock", "after"), "beat")
        if not (beat.unlock.at_state or beat.unlock.rapport_at_least is not None or beat.unlock.after):
            c.rule(loc + ("unlock",), "this beat has no unlock condition",
                                           "add `at_state:` or `rapport_at_least:`")
    for sid, pools in persona.replies.items():
        c.key(sid, states, ("replies", sid), "state")
        _check_pools(c, pools, ("replies", sid), need_default=False)
    for sid in persona.cues:
        c.key(sid, states, ("cues", sid), "state")
    _check_topics(c, persona, beat_ids)
    for move in persona.examples:
        c.key(move, MOVE_IDS, ("examples", move), "move")
    # The tree's beat conditions can only be checked against a persona's beats.
    tc = _Checker(tree_smap)
    for i, tr in enumerate(tree.transitions):
        for name, value in conditions.named(tr.when, "beat"):
            if value not in beat_ids:
                c.problems.append(smap.problem(
                    ("beats",), f"the tree's transition {i + 1} ({tree_smap.file}:"
                    f"{tree_smap.locate(('transitions', i, 'when', name))[0]}) needs a beat '{value}'",
                    f"add a beat with id '{value}' to this persona, or " + did_you_mean(value, beat_ids), validation_code=UNKNOWN_NAME))
    return c.problems + tc.problems


def _ids_once(c: _Checker, items: list, section: str, what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            c.rule((section, i, "id"), f"the {what} id '{item.id}' is used twice", "rename one")
        seen.add(item.id)


def _check_topics(c: _Checker, persona: Persona, beat_ids: Collection[str]) -> None:
    known = {"name", *persona.values}
    _ids_once(c, persona.topics, "topics", "topic")
    for i, topic in enumerate(persona.topics):
        loc = ("topics", i)
        if topic.needs_beat is not None:
            c.need(topic.needs_beat, beat_ids, loc + ("needs_beat",), "beat")
        if topic.safety:
            missing = [level for level in OPENNESS_LEVELS if not topic.replies.get(level)]
            if missing:
                c.rule(
                    loc + ("replies",), f"the safety topic '{topic.id}' has no answer when the client is "
                    f"{' or '.join(missing)}", "a direct safety question is answered honestly at every level: add "
                    + ", ".join(f"`{m}:`" for m in missing), key=True)
        texts = [(loc + ("raised_by", j), w) for j, w in enumerate(topic.raised_by)]
        texts += [(loc + ("replies", level, j), line) for level, lines in topic.replies.items()
                  for j, line in enumerate(lines)]
        for where, text in texts:
            for name in placeholders_in(text):
                if name not in known:
                    c.rule(
                        where, f"the topic '{topic.id}' uses '${{{name}}}', which this persona's values do not define",
                        f"add `{name}:` under `values:`, or " + did_you_mean(name, sorted(known)))
        for j, words in enumerate(topic.raised_by):
            if not words.strip():
                c.rule(loc + ("raised_by", j), "empty words raise nothing",
                                                 "write a word or phrase, or remove the line")


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)
