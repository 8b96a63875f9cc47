"""Lint checks for silent traps: files that pass `validate` and the schema, and still show a
trainee something broken (issue 15). Each finding has a code in diagnostics.CATALOGUE.

- PS0050: unquoted text cut short at ` #` (YAML reads the rest of the line as a comment);
- PS0051: a placeholder written so it is never filled (`${wife`, `$wife`, `{{wife}}`);
- PS0052: a persona value that itself holds a placeholder (values are not filled again);
- PS0053: a state reachable in the tree, but not for this persona once its beats come out
  in the order they can (a rule waits for a beat that only comes out later);
- PS0054: a trap state: not an ending, yet every way on leads only to an ending.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from simulator.scenario.diagnostics import diagnostic
from simulator.scenario.errors import Problem
from simulator.scenario.rules import rules_of
from simulator.scenario.schema import Persona, Tree
from simulator.scenario.source import SourceMap
from simulator.scenario.validate import PLACEHOLDER, as_list

# Written like a placeholder, but not `${name}`: `${` not closed as `${name}`, a name after
# a bare `$`, or another template language's `{{name}}`. `$5` (money) is not one: a name
# starts with a letter.
_LOOKS_LIKE = re.compile(r"\$\{[^}\n]{0,40}\}?|\$[A-Za-z_][A-Za-z0-9_]*|\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}")


def other_style_placeholders(text: str) -> list[str]:
    return [m.group() for m in _LOOKS_LIKE.finditer(text) if not PLACEHOLDER.fullmatch(m.group())]


def tree_texts(tree: Tree) -> Iterator[tuple[tuple, str]]:
    """Every line of a tree a trainee can see, with its place in the file."""
    for sid, state in tree.states.items():
        yield ("states", sid, "cue"), state.cue
        for key, lines in state.replies.items():
            for j, line in enumerate(lines):
                yield ("states", sid, "replies", key, j), line


def persona_texts(persona: Persona) -> Iterator[tuple[tuple, str]]:
    for name in ("summary", "background", "presenting_concern", "opening_line", "content_note"):
        value = getattr(persona, name, None)
        if isinstance(value, str) and value:
            yield (name,), value
    for i, beat in enumerate(persona.beats):
        yield ("beats", i, "text"), beat.text
    for sid, pools in persona.replies.items():
        for key, lines in pools.items():
            for j, line in enumerate(lines):
                yield ("replies", sid, key, j), line
    for sid, cue in persona.cues.items():
        yield ("cues", sid), cue
    for i, topic in enumerate(getattr(persona, "topics", None) or []):
        for level, lines in topic.replies.items():
            for j, line in enumerate(lines):
                yield ("topics", i, "replies", str(level), j), line


def text_traps(smap: SourceMap, texts: Iterator[tuple[tuple, str]], values: dict[str, str] | None = None) -> list[Problem]:
    """PS0050 and PS0051 over a file's visible lines; PS0052 over a persona's values."""
    found: list[Problem] = []
    lines = smap.lines()
    for loc, text in texts:
        if lines is not None:
            cut = _cut_by_comment(lines, smap, loc, text)
            if cut is not None:
                line, column = smap.locate(loc)
                found.append(Problem(smap.file, line, column + cut,
                                     f"this text stops at ' #': YAML reads the rest of the line as a comment, "
                                     f"so the trainee sees only \"{text}\"",
                                     diagnostic("PS0050").fix, severity="warning", code="PS0050"))
        for written in other_style_placeholders(text):
            found.append(diagnostic("PS0051").at(
                smap, loc, f"'{written}' is not a placeholder peersim fills; the trainee would see it as written",
                f"write it as ${{{_name_in(written)}}}, with the value's name under `values:`"))
    for name, value in (values or {}).items():
        for inner in PLACEHOLDER.findall(value):
            found.append(diagnostic("PS0052").at(
                smap, ("values", name), f"the value '{name}' holds ${{{inner}}}, which is not filled in again: "
                "the trainee would see it as written", ""))
    return found


def _name_in(text: str) -> str:
    found = re.search(r"[A-Za-z_][A-Za-z0-9_]*", text)
    return found.group() if found else "name"


def _cut_by_comment(lines: list[str], smap: SourceMap, loc: tuple, text: str) -> int | None:
    """The column offset of ` #` when `text` is an unquoted value followed by a comment on its line."""
    line, column = smap.locate(loc)
    if loc not in smap.marks or not 1 <= line <= len(lines) or "\n" in text:
        return None
    raw = lines[line - 1][column - 1:]
    if not raw or raw[0] in "\"'|>[{":
        return None
    at = raw.find(" #")
    if at < 0 or raw[:at].strip() != text.strip():
        return None
    return at + 1


# ------------------------------------------------------------------------- the machine
def _usable(tree: Tree) -> list[int]:
    from simulator.scenario.reach import never_holds

    facts = rules_of(tree)     # the tree's one index: built per rule, it made a big tree's checks quadratic
    return [i for i in range(len(tree.transitions)) if not never_holds(tree, i, tree.thresholds, facts)]


def trapped(tree: Tree) -> dict[str, set[str]]:
    """Non-ending states from which every rule leads only to an ending, with those endings."""
    ending = {sid for sid, st in tree.states.items() if st.ending}
    rules = rules_of(tree).rules
    onward: dict[str, set[str]] = {sid: set() for sid in tree.states}
    any_dest: set[str] = set()
    for i in _usable(tree):
        rule = rules[i]
        if rule.any_source:
            any_dest.add(rule.to)
        else:
            for source in rule.sources:
                if source in onward:
                    onward[source].add(rule.to)
    out = {}
    for sid in tree.states:
        if sid in ending:
            continue
        nexts = (onward[sid] | any_dest) - {sid}
        if nexts and nexts <= ending:
            out[sid] = nexts
    return out


def trap_states(tree: Tree, smap: SourceMap) -> list[Problem]:
    """PS0054: non-ending states from which no chain of rules leads to another non-ending state."""
    return [diagnostic("PS0054").at(
        smap, ("states", sid), f"once the client is in '{sid}', every rule leads only to an ending "
        f"({', '.join(sorted(nexts))}): nothing the trainee does brings them back", key=True)
        for sid, nexts in trapped(tree).items()]


def beat_order_unreachable(tree: Tree, tmap: SourceMap, persona: Persona, pmap: SourceMap) -> list[Problem]:
    """PS0053: states the tree reaches, but this persona never does, because a rule on the way
    waits for a beat that only comes out in a state reached after it."""
    from simulator.scenario.reach import reachable_states

    ending = {sid for sid, st in tree.states.items() if st.ending}
    rules = rules_of(tree).rules
    usable = _usable(tree)
    reached, revealed = {tree.initial}, set()
    while True:
        grew = False
        for beat in persona.beats:
            if beat.id in revealed:
                continue
            states = as_list(beat.unlock.at_state)
            if states and not set(states) & (reached - ending):
                continue
            if beat.unlock.after and beat.unlock.after not in revealed:
                continue
            revealed.add(beat.id)
            grew = True
        for i in usable:
            rule = rules[i]
            if rule.to in reached or rule.to not in tree.states:
                continue
            if not rule.any_source and not set(rule.sources) & (reached - ending):
                continue
            if rule.when.beat_revealed and rule.when.beat_revealed not in revealed:
                continue
            reached.add(rule.to)
            grew = True
        if not grew:
            break
    found = []
    for sid in sorted(reachable_states(tree) - reached, key=list(tree.states).index):
        waiting = [(r.index, r.when.beat_revealed) for r in rules
                   if r.to == sid and r.when.beat_revealed and r.when.beat_revealed not in revealed]
        why = (f"transition {waiting[0][0] + 1} waits for the beat '{waiting[0][1]}', which only comes out "
               "in a state reached after it") if waiting else \
            "every way there passes a state that waits for a beat this persona tells only later"
        found.append(diagnostic("PS0053").at(
            pmap, ("beats",), f"with {persona.id}, the state '{sid}' of {Path(tmap.file).name} is never reached: "
            f"{why}", key=True))
    return found
