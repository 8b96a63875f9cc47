"""The trainer's authoring commands: new, lint, graph, test, play.

Each prints in the author's terms: file:line:column, what is wrong, and a fix.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import yaml

from simulator.cli import add_clients_option, seed_number
from simulator.cli.output import write_output
from simulator.toolkit.coverage import Coverage
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.toolkit.graph import FORMATS, render, resolve_graph_target, to_dot
from simulator.toolkit.lint import failed, lint_paths, shown_path
from simulator.toolkit.playtest import run_playtests
from simulator.scenario.loader import (is_playtest, load_scenario, load_tree, resolve_tree, shipped_dir,
                                       shipped_tree_paths, tree_reference_problem)
from simulator.scenario.playtest import PlayTestFile, load_playtests, scenario_for
from simulator.scenario.source import read_yaml
from simulator.scenario.validate import placeholders_in

TEMPLATES = Path(__file__).resolve().parent.parent / "scenario" / "templates"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="start a new persona, dialogue tree or play-test file from a commented template")
    p.add_argument("kind", choices=["persona", "tree", "test"])
    p.add_argument("name", help="the client's (or tree's) name, e.g. Rosa; the file is named after it")
    p.add_argument("--tree", default="guarded",
                   help="for a persona: the tree it uses, an id or a path (default: guarded)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--dir", help="the folder to write into (default: personas/ or dialogue_trees/ when "
                                     "that folder exists here, else the current folder)")
    where.add_argument("--local", action="store_true",
                       help="write into your clients folder (its personas/ or dialogue_trees/), so the app and "
                            "`peersim list` show it at once")
    add_clients_option(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("lint", help="check persona and tree files for mistakes and for rules that never work")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit status 1)")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("graph", help="draw a dialogue tree as Mermaid, Graphviz DOT or SVG")
    p.add_argument("tree", metavar="TREE", help="a tree id, a tree file, or a persona (id or file)")
    p.add_argument("--format", choices=FORMATS, default="mermaid")
    p.add_argument("--renderer", choices=["builtin", "dot"], default="builtin",
                   help="for --format svg: peersim's own layout (default), or Graphviz's `dot` if installed")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("test", help="run play-test files (NAME.test.yaml)")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="play-test files, persona files (their NAME.test.yaml is run) or folders")
    p.add_argument("--coverage", action="store_true",
                   help="report which states, transitions, reply lines and beats the tests reached")
    p.add_argument("--json", action="store_true", help="print results (and coverage) as JSON")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("play", help="talk to a persona in author mode, with a 'why' pane")
    p.add_argument("persona", help="a persona file or a client's id (see `peersim list`)")
    add_clients_option(p)
    p.add_argument("--watch", action="store_true",
                   help="reload the persona and its tree whenever either file is saved")
    p.add_argument("--seed", type=seed_number, default=0)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("lsp", help="a language server for your editor: lint's findings as you type, "
                                   "completion and rule explanations in persona, tree and play-test files")
    add_clients_option(p)
    p.set_defaults(func=cmd_lsp)


# ------------------------------------------------------------------------- new
def id_from(name: str) -> str:
    # "José María" -> jose_maria: accents are folded, not dropped with their letter.
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ident = re.sub(r"[^a-z0-9_-]+", "_", plain.strip().lower()).strip("_-")
    return ident or "client"


def _yaml_text(text: str) -> str:
    """`text` as a YAML value: as typed when YAML reads it back unchanged, else in double quotes."""
    try:
        if "\n" not in text and yaml.safe_load(text) == text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def display_name(name: str) -> str:
    name = name.strip()
    return name[:1].upper() + name[1:] if name.islower() else name


def _default_dir(kind: str) -> Path:
    folder = Path("dialogue_trees" if kind == "tree" else "personas")
    return folder if folder.is_dir() else Path(".")


def _fill(template: str, values: dict[str, str]) -> str:
    # Plain replacement of our own markers: author text is never used as a format string.
    for marker, value in values.items():
        template = template.replace(marker, value)
    return template


def new_file(kind: str, name: str, tree: str = "guarded", folder: Path | None = None) -> Path:
    """Write a starting file and return its path. Raises ScenarioError if it exists or the tree is unknown."""
    if not name.strip():
        raise ScenarioError([Problem("new", 0, 0, "the name is empty",
                                     "give the client (or tree) a name, for example `peersim new persona Rosa`")])
    ident = id_from(name)
    folder = Path(folder) if folder else _default_dir(kind)
    suffix = ".test.yaml" if kind == "test" else ".yaml"
    path = folder / f"{ident}{suffix}"
    if path.exists():
        raise ScenarioError([Problem(str(path), 0, 0, "this file already exists; nothing was written",
                                     "choose another name, or --dir for another folder")])
    values = {"__NAME_YAML__": _yaml_text(display_name(name)), "__TITLE_YAML__": _yaml_text(display_name(name)),
              "__ID__": ident, "__NAME__": display_name(name), "__TITLE__": display_name(name),
              "__FILE__": str(path)}
    text = (TEMPLATES / f"{kind}.yaml").read_text(encoding="utf-8")
    if kind == "persona":
        values.update(_persona_tree_values(tree, path))
    text = _fill(text, values)
    # Check the result before writing: a starting file must validate as written.
    try:
        if kind == "tree":
            load_tree(path, text)
        elif kind == "persona":
            load_scenario(path, text)
    except ScenarioError as exc:  # pragma: no cover - a template bug, not an author's
        raise ScenarioError([Problem(str(path), 0, 0, "the template did not validate (please report this)",
                                     "")] + exc.problems) from None
    if kind == "test":
        load_playtests_text(path, text)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError([Problem(str(folder), 0, 0, f"cannot make this folder ({exc.strerror})",
                                     "give --dir a folder you can write to")]) from None
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        raise ScenarioError([Problem(str(path), 0, 0, "this file already exists; nothing was written",
                                     "choose another name, or --dir for another folder")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), 0, 0, f"cannot write the file ({exc.strerror})",
                                     "give --dir a folder you can write to")]) from None
    return path


def load_playtests_text(path: Path, text: str) -> None:
    data, _ = read_yaml(path, text)
    PlayTestFile.model_validate(data)


def _persona_tree_values(tree_ref: str, persona_path: Path) -> dict[str, str]:
    if tree_ref.endswith((".yaml", ".yml")) or "/" in tree_ref:
        tree_file = Path(tree_ref)
        if not tree_file.exists():
            raise ScenarioError([Problem(tree_ref, 0, 0, "no tree file here", "check the path")])
        # The persona names its tree relative to itself, so the pair can be moved together.
        ref = os.path.relpath(tree_file.resolve(), persona_path.parent.resolve())
    else:
        ref = tree_ref
        tree_file = resolve_tree(ref, persona_path)
        if not tree_file.exists():
            known = [p.stem for p in shipped_tree_paths()]
            raise ScenarioError([Problem(tree_ref, 0, 0, f"no dialogue tree '{tree_ref}' was found",
                                         did_you_mean(tree_ref, known))])
    unsafe = tree_reference_problem(ref, persona_path)
    if unsafe:
        raise ScenarioError([Problem(tree_ref, 0, 0, *unsafe)])
    tree, _ = load_tree(tree_file)
    hi, start = tree.rapport.max, tree.rapport.start
    level1 = min(hi, start + max(1, (hi - start) // 4))
    level2 = min(hi, start + max(1, (hi - start) // 2))
    needed = []
    for state in tree.states.values():
        texts = [state.cue] + [line for lines in state.replies.values() for line in lines]
        for text in texts:
            needed += [n for n in placeholders_in(text) if n not in ("name", "friend") and n not in needed]
    extra = "".join(f'  {n}: "..."          # used by the tree\'s lines as ${{{n}}}: fill it in\n' for n in needed)
    # A tree whose rules wait for story beats (beat_revealed) needs a persona that has them.
    beats = [b for tr in tree.transitions for b in (tr.when.beat_revealed, tr.when.beat_not_revealed)
             if b and b not in ("alone", "friend", "first_step")]    # the template has these
    stubs = "".join(
        f"  # The tree's rules wait for this beat (beat_revealed: {b}): write the client's own words.\n"
        f"  - id: {json.dumps(b)}\n    summary: \"...\"\n    text: \"...\"\n    unlock: {{rapport_at_least: {level2}}}\n"
        for b in dict.fromkeys(beats))
    return {"__TREE__": json.dumps(ref)[1:-1], "__START__": str(start), "__LEVEL1__": str(level1),
            "__LEVEL2__": str(level2), "__STATE__": tree.initial, "__VALUES__\n": extra, "__BEATS__\n": stubs}


def local_folder(kind: str) -> Path:
    """Where `new --local` writes: the first clients folder's personas/ or dialogue_trees/."""
    from simulator.scenario import library

    return library.clients_dirs()[0] / (library.TREES if kind == "tree" else library.PERSONAS)


def cmd_new(args: argparse.Namespace) -> int:
    folder = local_folder(args.kind) if args.local else Path(args.dir) if args.dir else None
    path = new_file(args.kind, args.name, args.tree, folder)
    print(f"wrote {path}")
    nxt = {"persona": f"peersim lint {path}   then   peersim play {path} --watch",
           "tree": f"peersim lint {path}   then   peersim graph {path}",
           "test": f"peersim test {path} --coverage"}[args.kind]
    if args.kind == "tree" and (shipped_dir("dialogue_trees") / path.name).exists():
        # resolve_tree looks beside a persona first, so this file replaces the shipped tree there.
        print(f"note: peersim ships a tree '{path.stem}' too; personas beside this folder that say "
              f"`tree: {path.stem}` will now use this file instead. Choose another name to keep both")
    if args.kind == "test":
        try:
            load_scenario_of_test(path)
        except ScenarioError as exc:  # written anyway: the author may write the persona next
            print(f"note: {exc.problems[0].message}; {exc.problems[0].hint}")
    if args.local and args.kind == "persona":
        print(f"`peersim list` and the app now show {path.stem} as a local client")
    print(f"next: {nxt}")
    return 0


def load_scenario_of_test(path: Path) -> None:
    spec, smap = load_playtests(path)
    scenario_for(path, spec, smap)


# ------------------------------------------------------------------------- lint
def cmd_lint(args: argparse.Namespace) -> int:
    files, problems = lint_paths(args.paths)
    counts = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning", "info")}
    bad = failed(problems, args.strict)
    if args.json:
        print(json.dumps({"files": [shown_path(str(f)) for f in files], "counts": counts, "passed": not bad,
                          "problems": [p.to_dict() for p in problems]}, indent=2, ensure_ascii=False))
        return 1 if bad else 0
    for problem in problems:
        print(problem)
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())
    verdict = "all good" if not problems else summary
    print(f"checked {len(files)} file{'s' if len(files) != 1 else ''}: {verdict}"
          + (" (warnings fail with --strict)" if args.strict and counts["warning"] else ""))
    return 1 if bad else 0


# ------------------------------------------------------------------------- graph
def cmd_graph(args: argparse.Namespace) -> int:
    tree, thresholds, _ = resolve_graph_target(args.tree)
    if args.format == "svg" and args.renderer == "dot":
        # Asked for by name: the picture's look never changes with what happens to be installed.
        if not shutil.which("dot"):
            raise ScenarioError([Problem("graph", 0, 0, "Graphviz's `dot` is not installed here",
                                         "install Graphviz, or leave out --renderer dot for peersim's own layout")])
        try:
            text = subprocess.run(["dot", "-Tsvg"], input=to_dot(tree, thresholds), capture_output=True,
                                  text=True, check=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise ScenarioError([Problem("graph", 0, 0, f"Graphviz's `dot` failed ({exc})",
                                         "leave out --renderer dot for peersim's own layout")]) from None
        text = text.replace("<svg", "<!-- drawn by Graphviz dot (renderer: dot) -->\n<svg", 1)
    else:
        text = render(tree, args.format, thresholds)
    write_output(text, args.output)
    return 0


# ------------------------------------------------------------------------- test
def playtest_files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for ref in paths:
        path = Path(ref)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.y*ml") if is_playtest(p))
            if not found:
                problems.append(Problem(str(path), 0, 0, "no play-test files (NAME.test.yaml) in this folder",
                                        "write one with `peersim new test NAME`"))
            files += found
        elif path.exists() and is_playtest(path):
            files.append(path)
        elif path.exists():
            stem = path.name.rsplit(".", 1)[0]
            found = [b for b in (path.with_name(stem + ".test.yaml"), path.with_name(stem + ".test.yml")) if b.exists()]
            beside = path.with_name(stem + ".test.yaml")
            if found:
                files.append(found[0])
            else:
                problems.append(Problem(str(path), 0, 0, f"no play-tests for this persona ({beside.name})",
                                        f"write some with `peersim new test {path.stem}`"))
        else:
            problems.append(Problem(str(path), 0, 0, "file not found", "check the path and the file name"))
    return files, problems


def cmd_test(args: argparse.Namespace) -> int:
    files, problems = playtest_files(args.paths)
    coverage = Coverage()
    report = []
    passed = failed_count = 0
    for path in files:
        try:
            spec, smap = load_playtests(path)
            scenario = scenario_for(path, spec, smap)
            results = run_playtests(path, scenario)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        coverage.add(scenario, results)
        entry = {"file": shown_path(str(path)), "persona": scenario.persona.id, "tests": []}
        for r in results:
            passed += r.passed
            failed_count += not r.passed
            entry["tests"].append({"name": r.name, "passed": r.passed, "turns_played": r.played,
                                   "final_state": r.turns[-1].state if r.turns else None,
                                   "failures": [{"file": shown_path(str(r.file)), "line": f.line, "turn": f.turn,
                                                 "message": f.message} for f in r.failures]})
        report.append(entry)
    if args.json:
        out = {"files": report, "problems": [p.to_dict() for p in problems],
               "passed": passed, "failed": failed_count}
        if args.coverage:
            out["coverage"] = coverage.to_dict()
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        for entry in report:
            print(f"{entry['file']} ({entry['persona']})")
            for t in entry["tests"]:
                mark = "PASS" if t["passed"] else "FAIL"
                played = t["turns_played"]
                print(f"  {mark}  {t['name']}  ({played} turn{'s' if played != 1 else ''}, "
                      f"ends in {t['final_state']})")
                for f in t["failures"]:
                    print(f"        {f['file']}:{f['line']}: {f['message']}")
        total = passed + failed_count
        print(f"{total} play-test{'s' if total != 1 else ''}: {passed} passed, {failed_count} failed"
              + (f", {len(problems)} file problem{'s' if len(problems) != 1 else ''}" if problems else ""))
        if args.coverage and coverage.trees:
            print("\ncoverage (what the play-tests reached):")
            print(coverage.report())
    return 1 if failed_count or problems else 0


# ------------------------------------------------------------------------- lsp
LSP_INSTALL = ("peersim lsp needs the pygls package, which is not installed here.\n"
               "Install it from a copy of the peersim repository with:  pip install '.[lsp]'\n"
               "(or into the environment peersim runs in:  pip install 'pygls>=2.0')")


def cmd_lsp(args: argparse.Namespace) -> int:
    try:
        from simulator.toolkit.lsp.server import serve
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
            raise
        print(LSP_INSTALL, file=sys.stderr)
        return 1
    from simulator.cli import _version

    return serve(_version())


# ------------------------------------------------------------------------- play
def cmd_play(args: argparse.Namespace) -> int:
    from simulator.tui.author import run_author

    return run_author(args.persona, watch=args.watch, seed=args.seed)
