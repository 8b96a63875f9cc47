"""The package is built in floors, and an import may only run down them (docs/architecture.md).

Read from the code's own imports: every module under simulator/ is parsed, and every
import in it (at the top, inside a function, or under TYPE_CHECKING) is mapped to the
floor of the module it names. An import may go down any number of floors; it may go
sideways to another part of its own floor only where SIDEWAYS says so; never up.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simulator"

# Bottom up. Each name is a top-level module or package of simulator/; a module belongs
# to the part whose name is its own or its package's.
FLOORS = [
    ["simulator.safetext", "simulator.moves", "simulator.datadir"],   # text, the recogniser, where files live
    ["simulator.scenario"],                                           # schema, loader, checks, play-test format
    ["simulator.engine"],                                             # takes a checked Scenario, plays turns
    ["simulator.session", "simulator.scoring", "simulator.store",     # the session log, its score, its storage
     "simulator.service"],                                            # (the session service, being built)
    ["simulator.debrief", "simulator.toolkit"],                       # feedback; the trainer's toolkit
    ["simulator.cli", "simulator.tui", "simulator.serve",             # the faces
     "simulator", "simulator.__main__"],
]

# Imports allowed between two parts of one floor: (from, to).
SIDEWAYS = {
    ("simulator.scoring", "simulator.session"),
    ("simulator.store", "simulator.session"),
    ("simulator.store", "simulator.scoring"),
    ("simulator.service", "simulator.session"),
    ("simulator.service", "simulator.scoring"),
    ("simulator.service", "simulator.store"),
    ("simulator.cli", "simulator.tui"),
    ("simulator.cli", "simulator.serve"),
    ("simulator.__main__", "simulator.cli"),
}

FLOOR_OF = {part: n for n, parts in enumerate(FLOORS, start=1) for part in parts}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str | None:
    """The FLOORS entry a module belongs to: the longest one that is it or holds it (the bare
    `simulator` holds only its own __init__, so a new top-level module must be given a floor)."""
    if module in FLOOR_OF:
        return module
    holder = module.rpartition(".")[0]
    return part_of(holder) if holder not in ("", "simulator") else None


def imports_of(path: Path) -> list[tuple[int, str, str]]:
    """(line, the module imported, the import as written) for every import of simulator code."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, f"import {alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            written = f"from {'.' * node.level}{node.module or ''} import {', '.join(a.name for a in node.names)}"
            for alias in node.names:
                # `from simulator.debrief import bundle` imports the submodule; otherwise a name in `base`
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if sub in MODULES else base, written))
    return sorted({(line, target, written) for line, target, written in found
                   if target == "simulator" or target.startswith("simulator.")})


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_module_has_a_floor():
    lost = [shown(path) for name, path in MODULES.items() if part_of(name) is None]
    assert not lost, ("these modules are on no floor; add their package to FLOORS in tests/test_floors.py "
                      "and to docs/architecture.md: " + ", ".join(lost))


def test_imports_only_run_down_the_floors():
    wrong = []
    for name, path in MODULES.items():
        mine = part_of(name)
        if mine is None:
            continue
        for line, target, written in imports_of(path):
            theirs = part_of(target)
            if theirs is None:
                wrong.append(f"{shown(path)}:{line}: `{written}` names {target}, which is no module of the package")
            elif theirs == mine or FLOOR_OF[theirs] < FLOOR_OF[mine] or (mine, theirs) in SIDEWAYS:
                continue
            elif FLOOR_OF[theirs] > FLOOR_OF[mine]:
                wrong.append(f"{shown(path)}:{line}: `{written}` runs up from {mine} (floor {FLOOR_OF[mine]}) "
                             f"to {theirs} (floor {FLOOR_OF[theirs]})")
            else:
                wrong.append(f"{shown(path)}:{line}: `{written}` runs sideways from {mine} to {theirs} "
                             f"(floor {FLOOR_OF[mine]}), which SIDEWAYS does not allow")
    assert not wrong, "imports against the floors (docs/architecture.md):\n" + "\n".join(wrong)


def test_the_engine_takes_a_scenario_and_reads_no_files():
    # The caller loads; the engine plays what it is given (simulator/scenario/checked.py).
    readers = ("simulator.scenario.loader", "simulator.scenario.folders", "simulator.scenario.library",
               "simulator.scenario.source")
    wrong = [f"{shown(path)}:{line}: `{written}`" for name, path in MODULES.items() if part_of(name) == "simulator.engine"
             for line, target, written in imports_of(path) if target.startswith(readers)]
    assert not wrong, "the engine imports code that reads files:\n" + "\n".join(wrong)


def test_the_sideways_imports_allowed_form_no_circle():
    # Otherwise SIDEWAYS could let two parts of a floor lean on each other.
    seen: dict[str, set[str]] = {}
    for a, b in SIDEWAYS:
        assert FLOOR_OF[a] == FLOOR_OF[b], f"{a} -> {b} crosses floors; SIDEWAYS is for one floor"
        seen.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str, path: tuple = ()) -> bool:
        return any(nxt == goal or (nxt not in path and reaches(nxt, goal, path + (nxt,)))
                   for nxt in seen.get(start, ()))

    circles = sorted(a for a in seen if reaches(a, a))
    assert not circles, f"SIDEWAYS goes round in a circle through {', '.join(circles)}"


# Modules allowed to import each other, with the reason; none today (lint and traps shared
# reachable_states and never_holds until they moved down into scenario/reach.py).
KNOWN_CIRCLES: list[set[str]] = []


def test_no_module_imports_itself_round_a_circle():
    edges = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for _, target, _ in imports_of(path):
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
    # Tarjan's strongly connected components: each group of two or more is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                circles.append(group)

    for name in MODULES:
        if name not in index:
            visit(name)
    new = [sorted(group) for group in circles if group not in KNOWN_CIRCLES]
    assert not new, "modules that import each other, round a circle: " + "; ".join(" <-> ".join(g) for g in new)
