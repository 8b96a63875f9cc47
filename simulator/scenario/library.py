"""The local client library: a trainer's own personas and trees, shown beside the shipped ones.

A clients folder holds personas (at its top or in `personas/`) and trees (in
`dialogue_trees/`, or at its top). Where the folders are: `--clients DIR` (several
allowed), else $PEERSIM_CLIENTS (folders separated as in PATH), else `clients/` in the
data folder where sessions are kept. Every file is untrusted: each is checked on its own,
and a broken one is listed with its first problem instead of stopping the others (the
listing is simulator/scenario/folders.py; this module only says where the files are).
"""

from __future__ import annotations

import os
from pathlib import Path

from simulator.datadir import resolve_data_dir

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
