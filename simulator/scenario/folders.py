"""Walking folders for commands: the files named on a command line (`validate`, `lint`),
and every client of the library, shipped and local (`list`, the app's client list).

The loader reads one file at a time; this module decides which files, so a broken one is
reported and the others are still read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.errors import BROKEN_RULE, UNREADABLE, Problem, ScenarioError
from simulator.scenario.library import local_files
from simulator.scenario.loader import is_playtest, load_scenario, load_tree, shipped_persona_paths


def kind_of(path: Path, text: str | None = None) -> str:
    """'persona' or 'tree', by folder name first and by content second (`text` when given,
    else the file's)."""
    parts = {p.lower() for p in path.parts}
    if "dialogue_trees" in parts or "trees" in parts:
        return "tree"
    if "personas" in parts:
        return "persona"
    if text is not None:
        head = text[:4000]
    else:
        try:
            with open(path, "rb") as fh:           # the head only: the file may be huge, or a device
                head = fh.read(4000).decode("utf-8", errors="replace")
        except OSError:
            return "persona"
    return "tree" if "\ntransitions:" in "\n" + head or "\nstates:" in "\n" + head else "persona"


def yaml_files(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for ref in paths:
        path = Path(ref)
        if path.is_dir():
            found = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")])
            found = [f for f in found if not is_playtest(f)]
            if not found:
                problems.append(Problem(str(path), 0, 0, "no .yaml files in this folder", "",
                                        validation_code=BROKEN_RULE))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(Problem(str(path), 0, 0, "this is not a plain file",
                                    "name a persona, tree or play-test .yaml file, or a folder of them",
                                    validation_code=BROKEN_RULE))
        else:
            problems.append(Problem(str(path), 0, 0, "file not found", "check the path and the file name",
                                    validation_code=UNREADABLE))
    return files, problems


def validate_paths(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Check files or folders of personas and trees. Returns the files read and every problem."""
    files, problems = yaml_files(paths)
    for path in files:
        if is_playtest(path):  # named on the command line; folders leave them out
            # Imported here: building the play-test models costs `list` and the app tens of ms.
            from simulator.scenario.playtest import check_playtest_file

            problems.extend(check_playtest_file(path))
            continue
        try:
            if kind_of(path) == "tree":
                load_tree(path)
            else:
                load_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    return files, _unique(problems)


MAX_PROBLEMS_PER_FILE = 50   # past this a list of problems stops helping; the first ones are the ones to fix


def _unique(problems: list[Problem]) -> list[Problem]:
    """A broken tree is reported once, though every persona using it meets it again
    (under the path the persona resolved, which may be spelt differently); no more than
    MAX_PROBLEMS_PER_FILE per file, then one line saying how many more."""
    seen, out = set(), []
    resolved: dict[str, Path | str] = {}
    per_file: dict[Path | str, int] = {}
    for p in problems:
        where = resolved.get(p.file)
        if where is None:
            where = resolved[p.file] = Path(p.file).resolve() if p.file else ""
        key = (where, p.line, p.column, p.message)
        if key in seen:
            continue
        seen.add(key)
        per_file[where] = per_file.get(where, 0) + 1
        if per_file[where] <= MAX_PROBLEMS_PER_FILE:
            out.append(p)
    for where, count in per_file.items():
        if count > MAX_PROBLEMS_PER_FILE:
            first = next(p for p in out if resolved.get(p.file) == where)
            out.append(Problem(first.file, 0, 0, f"and {count - MAX_PROBLEMS_PER_FILE:,} more problems in this file",
                               "fix the ones above first: many of the rest often go with them"))
    return out


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
