"""What may be written at the cursor: move ids after `move:`, state ids after `from:`, `to:`,
`initial:` and the like, reply-pool keys under `replies:`, condition fields under `when:`,
threshold names after `rapport_at_least:`, and the persona's `${placeholders}`.

The place is read from the line's text and the keys above it (by indentation), not from a
parse of the file: mid-edit the file is often not valid YAML yet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.toolkit.lsp.document import Names, names
from simulator.moves.taxonomy import FAMILIES, FAMILY_IDS, MOVE_IDS, MOVES
from simulator.scenario.schema import NOT_SAID, Conditions

# Which names follow which field: each rule stated once, here.
MOVE_FIELDS = {"move", "primary"}
STATE_FIELDS = {"from", "to", "initial", "previous_state", "at_state", "state", "state_not"}
THRESHOLD_FIELDS = {"rapport_at_least", "rapport_at_most"}
BEAT_FIELDS = {"beat_revealed", "beat_not_revealed", "after", "needs_beat", "beats", "beats_not"}
ENDINGS = ("left", "plan")
CONDITION_FIELDS = {f.alias or name: f.description or "" for name, f in Conditions.model_fields.items()}


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str          # "move", "state", "pool", "condition", "threshold", "beat", "value", "ending"
    detail: str = ""
    insert: str = ""   # what is written, when it is not the label


@dataclass(frozen=True)
class Completion:
    start: int         # the column (in characters) the typed word starts at: it is replaced
    items: list[Suggestion]


_VALUE_AT = re.compile(r"([A-Za-z_]+):\s*(?:\[(?:[^\]]*,\s*)?)?([\w-]*)$")
_KEY_AT = re.compile(r"^(\s*)(-\s+)?([\w-]*)$")
_LINE_KEY = re.compile(r"^(\s*)(?:-\s+)?([\w-]+)\s*:")


def moves(with_any: bool = False) -> list[Suggestion]:
    out = [Suggestion(m, "move", MOVES[m].description) for m in MOVE_IDS]
    return out + [Suggestion("any", "move", "every move")] if with_any else out


def pool_keys() -> list[Suggestion]:
    out = [Suggestion("default", "pool", "said when no other pool fits (every state needs one)"),
           Suggestion(NOT_SAID, "pool", "said when the trainee's turn was not read as a move")]
    out += [Suggestion(f, "pool", "move family: " + ", ".join(FAMILIES[f])) for f in FAMILY_IDS]
    return out + [Suggestion(m, "pool", MOVES[m].description) for m in MOVE_IDS]


def _states(found: Names, with_any: bool = False) -> list[Suggestion]:
    out = [Suggestion(s, "state", "a state of the tree") for s in found.states]
    return out + [Suggestion("any", "state", "every state")] if with_any else out


def parents(lines: list[str], line: int, column: int) -> list[str]:
    """The keys that hold what stands at `column` of `line`, innermost first: a line belongs to
    the nearest key above it that starts further left (the key of `- key:`, not its dash)."""
    out = []
    for above in range(line - 1, -1, -1):
        if column == 0:
            break
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        at = len(text) - len(text.lstrip())
        found = _LINE_KEY.match(text)
        if found and found.start(2) < column:
            out.append(found.group(2))
            column = at
        elif at < column:
            column = at   # the list item (or text) this line stands in
    return out


def completion(path: Path, text: str, line: int, column: int) -> Completion:
    """The suggestions at (line, column), 0-based, in characters."""
    lines = text.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    before = current[:column]
    opened = before.rfind("${")
    placeholder = opened >= 0 and "}" not in before[opened:]
    value = _VALUE_AT.search(before)
    # Only a placeholder or a beat needs the personas that use a tree.
    found = names(path, text, typing_line=line,
                  personas_of_tree=placeholder or bool(value and value.group(1) in BEAT_FIELDS))

    if placeholder:
        closes = current[column:column + 1] == "}"
        return Completion(opened + 2, [Suggestion(v, "value", "a value this persona defines",
                                                  v if closes else v + "}") for v in found.values])

    if value:
        field, word = value.groups()
        return Completion(column - len(word), _values_for(field, found))

    key = _KEY_AT.match(before)
    if key is None:
        return Completion(column, [])
    chain = parents(lines, line, len(key.group(1)))
    word = key.group(3)
    if key.group(2) and chain:          # `- ...` under `move:` or `from:` written as a block list
        items = _values_for(chain[0], found)
        if items:
            return Completion(column - len(word), items)
    return Completion(column - len(word), _keys_for(chain, found))


def _values_for(field: str, found: Names) -> list[Suggestion]:
    if field in MOVE_FIELDS:
        return moves(with_any=field == "move")
    if field in STATE_FIELDS:
        return _states(found, with_any=field == "from")
    if field in THRESHOLD_FIELDS:
        return [Suggestion(t, "threshold", f"rapport {level}") for t, level in found.thresholds.items()]
    if field in BEAT_FIELDS:
        return [Suggestion(b, "beat", "a story beat of the persona") for b in found.beats]
    if field == "ending":
        return [Suggestion(e, "ending", "the client " + ("left" if e == "left" else "agreed a plan"))
                for e in ENDINGS]
    return []


def _keys_for(chain: list[str], found: Names) -> list[Suggestion]:
    if not chain:
        return []
    inner = chain[0]
    if inner == "when":
        return [Suggestion(c, "condition", about) for c, about in CONDITION_FIELDS.items()]
    if found.kind == "tree" and len(chain) >= 3 and chain[0] == "replies" and chain[2] == "states":
        return pool_keys()
    if found.kind == "persona":
        if chain == ["replies"] or chain == ["cues"]:
            return _states(found)
        if len(chain) == 2 and chain[1] == "replies":
            return pool_keys()
        if chain == ["thresholds"]:
            return [Suggestion(t, "threshold", f"the tree's level is {level}") for t, level in found.thresholds.items()]
        if chain in (["sensitivities"], ["examples"]):
            families = [Suggestion(f, "move", "move family") for f in FAMILY_IDS] if inner == "sensitivities" else []
            return moves() + families
    if found.kind == "tree" and chain == ["effects"]:
        return moves()
    return []
