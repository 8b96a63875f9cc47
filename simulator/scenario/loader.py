"""Finding, reading and checking persona and dialogue-tree files."""

from __future__ import annotations

import gc
import hashlib
import stat
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ValidationError

from simulator.scenario import cache, library
from simulator.scenario.checked import Scenario
from simulator.scenario.errors import BROKEN_RULE, UNKNOWN_NAME, UNREADABLE, Problem, ScenarioError, did_you_mean
from simulator.scenario.schema import Persona, Tree
from simulator.scenario.source import MAX_BYTES, SourceMap, lookalike_in, read_yaml
from simulator.scenario.validate import check_persona, check_tree, pydantic_problems

_PACKAGE = Path(__file__).resolve().parent.parent


def shipped_dir(kind: str) -> Path:
    """The folder of shipped `personas` or `dialogue_trees`.

    In a wheel they are copied into the package (see pyproject.toml); in a source
    checkout or an editable install they stand at the top of the repository.
    """
    inside = _PACKAGE / "shipped" / kind
    return inside if inside.is_dir() else _PACKAGE.parent / kind


def is_playtest(path: Path) -> bool:
    """Play-test scripts (`NAME.test.yaml`) stand beside the files they test."""
    return path.name.endswith((".test.yaml", ".test.yml"))


def shipped_persona_paths() -> list[Path]:
    return sorted(p for p in shipped_dir("personas").glob("*.yaml") if not is_playtest(p))


def shipped_tree_paths() -> list[Path]:
    return sorted(shipped_dir("dialogue_trees").glob("*.yaml"))


# Fields only one kind of file has: a persona saved where a tree belongs (or the other way
# round) is named as such, instead of a field error for every field of the other kind.
_ONLY_IN = {"persona": {"name", "opening_line", "background", "summary", "difficulty", "beats", "tree"},
            "dialogue tree": {"states", "transitions", "initial", "effects"}}


def _wrong_kind(data: dict, smap: SourceMap, what: str) -> Problem | None:
    other = "persona" if what == "dialogue tree" else "dialogue tree"
    theirs = sorted(_ONLY_IN[other] & set(data))
    if len(theirs) < 2 or _ONLY_IN[what] & set(data):
        return None
    folder = "personas" if other == "persona" else "dialogue_trees"
    return smap.problem((), f"this looks like a {other} file (it has {', '.join(theirs[:4])}), not a {what}",
                        f"a {other} belongs in a {folder}/ folder; if this is meant to be a {what}, "
                        f"start it with `peersim new {'tree' if what == 'dialogue tree' else 'persona'} NAME`",
                        validation_code=BROKEN_RULE)


def _model(model: type[BaseModel], data: Any, smap: SourceMap, what: str) -> Any:
    if not isinstance(data, dict):
        raise ScenarioError([smap.problem((), f"a {what} file must be a mapping of fields",
                                          "start from `peersim new` or a shipped example", validation_code=UNREADABLE)])
    wrong = _wrong_kind(data, smap, what)
    if wrong is not None:
        raise ScenarioError([wrong])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(with_lookalikes(pydantic_problems(exc, model, smap), smap)) from None


def with_lookalikes(problems: list[Problem], smap: SourceMap, text: str | None = None) -> list[Problem]:
    """A problem on a line that holds a pasted look-alike character (a non-breaking or
    zero-width space, a curly quote) names it and its column: the name or value then only
    looks right, and the message alone would not say why it is unknown."""
    if text is None:
        try:
            text = Path(smap.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError):
            return problems
    lines = text.split("\n")
    out = []
    for p in problems:
        found = lookalike_in(lines[p.line - 1]) if 1 <= p.line <= len(lines) else None
        if found and Path(p.file) == Path(smap.file):
            column, what, fix = found
            p = replace(p, column=column, message=f"{p.message}: line {p.line} holds {what} at column {column} "
                                                  "(often pasted from a word processor or a web page)", hint=fix)
        out.append(p)
    return out


@contextmanager
def _quiet_gc():
    """No garbage collection while a file is built: it allocates tens of thousands of
    objects that all survive, and the collector would walk the half-built tree again and
    again for nothing (benchmarks/bench_core.py)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# A tree read from disk, kept for the rest of the process: several personas share one
# tree, and `list`, `lint` and `validate` meet it once per persona. Keyed by the real
# file and its content (a file rewritten within one clock tick keeps its size and time).
_TREES: dict[Path, tuple[bytes, tuple[Tree, SourceMap] | list[Problem]]] = {}


def forget_trees() -> None:
    """Read every tree from disk again (benchmarks measure a first read)."""
    _TREES.clear()


def _signature(path: Path) -> tuple[Path, bytes, bytes] | None:
    """(the real file, a digest of its bytes, the bytes), or None when read_yaml should say what is wrong."""
    try:
        real = path.resolve()
        info = real.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with open(real, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        return real, hashlib.blake2b(raw, digest_size=16).digest(), raw
    except (OSError, ValueError, RuntimeError):
        return None


def _from_cache(model: type[BaseModel], kind: str, path: Path, key: tuple[Path, bytes, bytes]) -> tuple[Any, SourceMap] | None:
    """A file that read and checked clean before with these very bytes (cache.py): its model,
    and a SourceMap that parses the bytes again only if a message needs a line."""
    found = cache.lookup(kind, key[0], key[1])
    if found is None:
        return None
    try:
        with _quiet_gc():
            value = model.model_validate_json(found)
    except ValidationError:
        return None
    raw = key[2]
    return value, SourceMap(str(path), later=lambda: read_yaml(path, _as_text(raw), marks=True)[1])


def _as_text(raw: bytes) -> str:
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")    # as read_yaml reads a file


def _as_spelt(problems: list[Problem], first: str, path: Path) -> list[Problem]:
    return [replace(p, file=str(path)) if p.file == first else p for p in problems]


def load_tree(path: Path | str, text: str | None = None) -> tuple[Tree, SourceMap]:
    path = Path(path)
    key = _signature(path) if text is None else None
    if key is not None and key[0] in _TREES and _TREES[key[0]][0] == key[1]:
        found = _TREES[key[0]][1]
        if isinstance(found, list):
            first = found[0].file if found else ""
            raise ScenarioError(_as_spelt(found, first, path))
        tree, smap = found
        return tree, smap.named(str(path))       # the same marks, under the name this caller gave the file
    cached = _from_cache(Tree, "tree", path, key) if key is not None else None
    if cached is not None:
        _TREES[key[0]] = (key[1], cached)
        return cached
    try:
        with _quiet_gc():
            data, smap = read_yaml(path, text)
            tree = _model(Tree, data, smap, "dialogue tree")
            problems = check_tree(tree, smap)
            if problems:
                problems = with_lookalikes(problems, smap, text)
    except ScenarioError as exc:
        if key is not None:
            _TREES[key[0]] = (key[1], list(exc.problems))
        raise
    if problems:
        if key is not None:
            _TREES[key[0]] = (key[1], problems)
        raise ScenarioError(problems)
    if key is not None:
        _TREES[key[0]] = (key[1], (tree, smap))
        cache.store("tree", key[0], key[1], data)
    return tree, smap


def resolve_persona(ref: str | Path) -> Path:
    """A shipped persona id, a local client's id (simulator/scenario/library.py), or a path to a persona file."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in str(ref):
        return path
    candidate = shipped_dir("personas") / f"{ref}.yaml"
    if candidate.exists():
        return candidate
    local = library.find_local_persona(str(ref))
    if local is not None:
        return local
    ids = [p.stem for p in shipped_persona_paths()] + [p.stem for p in library.local_persona_paths()]
    raise ScenarioError([Problem(str(ref), 0, 0, f"no client called '{ref}'",
                                 did_you_mean(ref, ids) + " (`peersim list` shows them all)", validation_code=UNKNOWN_NAME)])


def tree_folders(persona_path: Path) -> list[Path]:
    """Where a persona's tree may live: the persona's own folder, the `dialogue_trees`
    folder beside it, the clients folders (and their `dialogue_trees`), and the shipped
    trees. A persona file is untrusted, so its `tree:` cannot send the loader to any other
    file on the machine."""
    here = persona_path.resolve().parent
    return [here, here.parent / "dialogue_trees", *library.tree_dirs(), shipped_dir("dialogue_trees").resolve()]


def tree_reference_problem(ref: str, persona_path: Path) -> tuple[str, str] | None:
    """(message, fix) when a persona's `tree:` cannot be followed safely, else None."""
    where = "an id such as `guarded`, or a file name such as `wary.yaml` beside the persona or in the " \
            "dialogue_trees folder beside it"
    if "\x00" in ref or any(ch in ref for ch in "\r\n"):
        return "the tree reference holds an invisible control character", f"write {where}"
    if Path(ref).is_absolute() or ref.startswith("~") or "\\" in ref:
        return "a tree is not named by an absolute path", f"write {where}"
    if not ref.endswith((".yaml", ".yml")) and "/" not in ref:
        return None
    path = (persona_path.resolve().parent / ref).resolve()
    if not any(path.is_relative_to(folder) for folder in tree_folders(persona_path)):
        return (f"the tree '{ref}' is outside this persona's library",
                f"keep the tree beside the persona or in the dialogue_trees folder beside it, and write {where}")
    return None


def resolve_tree(ref: str, persona_path: Path) -> Path:
    """A tree named by a persona: a path relative to the persona, or a tree id.

    An id is looked for beside the persona (../dialogue_trees/ID.yaml, then ./ID.yaml),
    then in the clients folders, before the shipped trees, so a trainer's own folder can
    shadow a shipped tree.
    """
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return (persona_path.parent / ref).resolve()
    here = persona_path.resolve().parent
    for candidate in (here.parent / "dialogue_trees" / f"{ref}.yaml", here / f"{ref}.yaml"):
        if candidate.exists():
            return candidate
    local = library.find_local_tree(ref)
    if local is not None:
        return local
    if (shipped_dir("dialogue_trees") / f"{ref}.yaml").exists():
        return shipped_dir("dialogue_trees") / f"{ref}.yaml"
    return shipped_dir("dialogue_trees") / f"{ref}.yaml"


def load_scenario(ref: str | Path, text: str | None = None, trees: Mapping[Path, str] | None = None) -> Scenario:
    """Load and check a persona and its tree. Raises ScenarioError with every problem.
    `text` is the persona's text, and `trees` the texts of trees by resolved path, instead
    of the disk's (an editor's unsaved buffers)."""
    path = resolve_persona(ref)
    # Only the reading is remembered for a persona: its checks against its tree run every
    # time, because which tree it names is found anew (a clients folder may shadow one).
    key = _signature(path) if text is None else None
    cached = _from_cache(Persona, "persona", path, key) if key is not None else None
    if cached is not None:
        persona, smap = cached
    else:
        with _quiet_gc():
            data, smap = read_yaml(path, text)
            persona = _model(Persona, data, smap, "persona")
        if key is not None:
            cache.store("persona", key[0], key[1], data)
    unsafe = tree_reference_problem(persona.tree, path)
    if unsafe:
        raise ScenarioError([smap.problem(("tree",), *unsafe, validation_code=BROKEN_RULE)])
    tree_path = resolve_tree(persona.tree, path)
    if tree_path.is_dir():
        raise ScenarioError([smap.problem(("tree",), f"the tree '{persona.tree}' is a folder, not a tree file",
                                          "name a tree file in it (NAME.yaml), or a tree id", validation_code=BROKEN_RULE)])
    if not tree_path.exists():
        known = [p.stem for p in shipped_tree_paths()]
        raise ScenarioError([smap.problem(("tree",), f"no dialogue tree '{persona.tree}' was found",
                                          did_you_mean(persona.tree, known), validation_code=UNKNOWN_NAME)])
    tree, tree_map = load_tree(tree_path, (trees or {}).get(tree_path.resolve()))
    problems = check_persona(persona, smap, tree, tree_map)
    if problems:
        raise ScenarioError(with_lookalikes(problems, smap, text))
    return Scenario(persona, tree, path, tree_path, smap, tree_map)
