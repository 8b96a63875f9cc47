"""What an open persona, tree or play-test file knows: its kind, its values as YAML reads
them, and the names it may use (the states and thresholds of its tree, the beats and values
of its persona), read from the editor's unsaved text and from the files it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.scenario.errors import ScenarioError
from simulator.scenario.folders import kind_of
from simulator.scenario.loader import is_playtest, resolve_persona, resolve_tree, tree_reference_problem
from simulator.scenario.playtest import persona_for
from simulator.scenario.source import SourceMap, read_yaml

# A YAML file is taken for one of ours when it is a play-test, stands in one of these
# folders, or has one of these top-level fields; any other YAML file the editor opens
# (a CI config, a docker-compose file) is left alone.
FOLDERS = {"personas", "dialogue_trees", "trees"}
OUR_FIELDS = {"tree", "opening_line", "states", "transitions", "initial", "tests", "beats"}
_TOP_KEY = re.compile(r"^([A-Za-z_]+):", re.M)


def is_scenario_file(path: Path, text: str) -> bool:
    if path.suffix not in (".yaml", ".yml"):
        return False
    if is_playtest(path) or FOLDERS & {p.lower() for p in path.parent.parts}:
        return True
    return bool(OUR_FIELDS & set(_TOP_KEY.findall(text)))


def kind(path: Path, text: str) -> str:
    """'persona', 'tree' or 'test'."""
    return "test" if is_playtest(path) else kind_of(path, text)


def parse(path: Path, text: str, typing_line: int | None = None) -> tuple[dict | None, SourceMap | None]:
    """The file's values and their places. While the line being typed (0-based) breaks the
    YAML, the file is read without it, so the rest of the file can still be completed from."""
    for attempt in (text, _without_line(text, typing_line)):
        if attempt is None:
            continue
        try:
            data, smap = read_yaml(path, attempt, marks=True)    # completion and hover need a place for every value
        except ScenarioError:
            continue
        return (data, smap) if isinstance(data, dict) else (None, None)
    return None, None


def _without_line(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    lines[line] = ""   # blanked, not removed: every other line keeps its number
    return "\n".join(lines)


def _read(path: Path) -> dict | None:
    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return None
    return data if isinstance(data, dict) else None


def _tree_path(persona_path: Path, persona: dict) -> Path | None:
    ref = persona.get("tree")
    if not isinstance(ref, str) or tree_reference_problem(ref, persona_path):
        return None   # the loader would refuse to follow it; so does completion
    path = resolve_tree(ref, persona_path)
    return path if path.is_file() else None


def _tree_of(persona_path: Path, persona: dict) -> dict | None:
    path = _tree_path(persona_path, persona)
    return _read(path) if path else None


def _keys(value: Any) -> list[str]:
    return [str(k) for k in value] if isinstance(value, dict) else []


@dataclass
class Names:
    """The names a file may use, and its own values (None when its YAML cannot be read)."""

    kind: str
    data: dict | None = None
    smap: SourceMap | None = None
    states: list[str] = field(default_factory=list)
    thresholds: dict[str, int] = field(default_factory=dict)
    beats: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def names(path: Path, text: str, typing_line: int | None = None, *, personas_of_tree: bool = True) -> Names:
    """`personas_of_tree`: for a tree, read the personas that use it for their beats and values
    (a few files to parse; hover and most completions do not need them)."""
    found = Names(kind(path, text))
    found.data, found.smap = parse(path, text, typing_line)
    data = found.data or {}
    tree: dict | None = None
    personas: list[dict] = []
    if found.kind == "tree":
        tree = data
        personas = _personas_using(path) if personas_of_tree else []
    elif found.kind == "persona":
        personas = [data]
        tree = _tree_of(path, data)
    else:
        persona_path = _persona_path(path, data.get("persona"))
        persona = _read(persona_path) if persona_path else None
        if persona is not None:
            personas = [persona]
            tree = _tree_of(persona_path, persona)
    tree = tree or {}
    found.states = _keys(tree.get("states"))
    levels = {**(tree.get("thresholds") or {})} if isinstance(tree.get("thresholds"), dict) else {}
    for persona in personas:
        if isinstance(persona.get("thresholds"), dict) and found.kind != "tree":
            levels.update(persona["thresholds"])
        beats = persona.get("beats") if isinstance(persona.get("beats"), list) else []
        found.beats += [str(b["id"]) for b in beats if isinstance(b, dict) and "id" in b]
        found.values += _keys(persona.get("values"))
    found.thresholds = {str(k): v for k, v in levels.items() if isinstance(v, int) and not isinstance(v, bool)}
    found.beats = list(dict.fromkeys(found.beats))
    found.values = list(dict.fromkeys(["name", *found.values]))
    return found


def _persona_path(test_path: Path, declared: Any) -> Path | None:
    try:
        path = Path(resolve_persona(persona_for(test_path, declared if isinstance(declared, str) else None)))
    except ScenarioError:
        return None
    return path if path.is_file() else None


def _personas_using(tree_path: Path) -> list[dict]:
    """The personas beside a tree (in ../personas, as lint looks) that name it as their tree."""
    folder = tree_path.resolve().parent.parent / "personas"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.y*ml")):
        if is_playtest(path):
            continue
        persona = _read(path)
        if persona is not None:
            used = _tree_path(path, persona)
            if used is not None and used.resolve() == tree_path.resolve():
                out.append(persona)
    return out
