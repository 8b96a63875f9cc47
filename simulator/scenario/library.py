"""The local client library: a trainer's own personas and trees, shown beside the shipped ones.

A clients folder holds personas (at its top or in `personas/`) and trees (in
`dialogue_trees/`, or at its top). Where the folders are: `--clients DIR` (several
allowed), else $PEERSIM_CLIENTS (folders separated as in PATH), else `clients/` in the
data folder where sessions are kept. Every file is untrusted: each is checked on its own,
and a broken one is listed with its first problem instead of stopping the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.errors import Problem, ScenarioError

ENV_CLIENTS = "PEERSIM_CLIENTS"
PERSONAS, TREES = "personas", "dialogue_trees"

# Set once by the command line (`--clients`, `--data-dir`); None means "not given".
_given: list[str] | None = None
_data_dir: str | None = None


def configure(clients: list[str] | None = None, data_dir: str | None = None) -> None:
    global _given, _data_dir
    _given = list(clients) if clients else None
    _data_dir = data_dir


def _split(text: str) -> list[str]:
    return [part for part in text.split(os.pathsep) if part.strip()]


def clients_dirs() -> list[Path]:
    """The clients folders in the order they are searched (the first is where `new --local` writes)."""
    if _given:
        parts = [p for given in _given for p in _split(given)]
    elif os.environ.get(ENV_CLIENTS, "").strip():
        parts = _split(os.environ[ENV_CLIENTS])
    else:
        from simulator.paths import resolve_data_dir     # not simulator.store: it imports the engine

        return [resolve_data_dir(_data_dir) / "clients"]
    return [Path(p).expanduser() for p in parts]


def tree_dirs() -> list[Path]:
    """Folders a local persona's tree may be in (see loader.tree_folders)."""
    out = []
    for folder in clients_dirs():
        out += [folder.resolve(), (folder / TREES).resolve()]
    return out


def _yaml_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.endswith((".test.yaml", ".test.yml")))


def _looks_like_tree(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = "\n" + fh.read(4000).decode("utf-8", errors="replace")
    except OSError:
        return False
    return "\ntransitions:" in head or "\nstates:" in head


def local_files() -> tuple[list[Path], list[Path]]:
    """(persona files, tree files) of every clients folder."""
    personas, trees = [], []
    for folder in clients_dirs():
        for path in _yaml_in(folder):
            (trees if _looks_like_tree(path) else personas).append(path)
        personas += _yaml_in(folder / PERSONAS)
        trees += _yaml_in(folder / TREES)
    return personas, trees


def local_persona_paths() -> list[Path]:
    return local_files()[0]


def find_local_persona(ident: str) -> Path | None:
    """A local persona by id: its file is named ID.yaml (as `peersim new` writes it)."""
    for path in local_persona_paths():
        if path.stem == ident:
            return path
    return None


def find_local_tree(ident: str) -> Path | None:
    for path in local_files()[1]:
        if path.stem == ident:
            return path
    return None


@dataclass
class Entry:
    """One client file of the library: loaded, or broken with its first problem."""

    path: Path
    local: bool
    scenario: object | None = None     # a loader.Scenario when it loads
    problem: Problem | None = None

    @property
    def id(self) -> str:
        return self.scenario.persona.id if self.scenario is not None else self.path.stem


def _first(exc: ScenarioError, path: Path) -> Problem:
    errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
    return errors[0] if errors else Problem(str(path), 0, 0, "this file could not be loaded")


def load_library() -> list[Entry]:
    """Every shipped client, then every local one; a broken local file is an entry with its problem.

    A local client may not take a shipped client's id (sessions are saved under the id),
    and a tree in a clients folder that no persona uses is still checked, so its problem
    is seen before a persona needs it.
    """
    from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths

    entries: list[Entry] = []
    taken: dict[str, Path] = {}
    for path in shipped_persona_paths():
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            entries.append(Entry(path, False, problem=_first(exc, path)))
            continue
        taken[scenario.persona.id] = path
        entries.append(Entry(path, False, scenario))
    personas, trees = local_files()
    used: set[Path] = set()
    for path in personas:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            entries.append(Entry(path, True, problem=_first(exc, path)))
            continue
        except Exception as exc:  # untrusted input: one bad file must not stop the list
            entries.append(Entry(path, True, problem=Problem(str(path), 0, 0, f"this file could not be read ({exc})")))
            continue
        used.add(scenario.tree_path.resolve())
        ident = scenario.persona.id
        if ident in taken:
            entries.append(Entry(path, True, problem=Problem(
                str(path), 0, 0, f"the id '{ident}' is already used by {taken[ident]}",
                "give this client its own `id:` and name the file after it")))
            continue
        taken[ident] = path
        entries.append(Entry(path, True, scenario))
    for path in trees:
        if path.resolve() in used:
            continue
        try:
            load_tree(path)
        except ScenarioError as exc:
            entries.append(Entry(path, True, problem=_first(exc, path)))
        except Exception as exc:
            entries.append(Entry(path, True, problem=Problem(str(path), 0, 0, f"this file could not be read ({exc})")))
    return entries
