"""`peersim graph`: Mermaid, DOT and SVG output parse, and show every state and transition."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.toolkit.graph import to_dot, to_mermaid, to_svg
from simulator.scenario.loader import load_tree, shipped_tree_paths

ROOT = Path(__file__).resolve().parent.parent
TREES = [*shipped_tree_paths(), ROOT / "tests" / "fixtures" / "authoring" / "dialogue_trees" / "tangled.yaml"]

TRICKY = """\
id: tricky
title: 'A "quoted" title \\ with a backslash'
initial: start
effects: {reflection: 5}
states:
  start:
    cue: 'says "hi" and C:\\path'
    replies: {default: ["a", "b", "c"]}
  end:
    cue: leaves
    ending: left
    replies: {default: ["bye"]}
transitions:
  - {move: reflection, from: start, to: start, when: {streak: {move: reflection, count: 2}}}
  - {move: any, from: any, to: end, when: {rapport_at_most: 3}}
"""


# ------------------------------------------------------------------ a small DOT parser
TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(->)|([\[\]{};=,])|([A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?))')


def dot_tokens(text: str) -> list[str]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        assert match and match.end() > pos, f"cannot read DOT at: {text[pos:pos + 30]!r}"
        tokens.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


def unquote(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), token[1:-1])
    return token


def parse_dot(text: str) -> tuple[dict[str, dict], list[tuple[str, str, dict]]]:
    """Nodes (id -> attributes) and edges (source, dest, attributes) of a simple digraph."""
    tokens = dot_tokens(text)
    assert tokens[0] == "digraph" and tokens[2] == "{" and tokens[-1] == "}"
    body, nodes, edges = tokens[3:-1], {}, []
    statements, current = [], []
    depth = 0
    for tok in body:
        depth += tok == "["
        depth -= tok == "]"
        if tok == ";" and depth == 0:
            statements.append(current)
            current = []
        else:
            current.append(tok)
    assert not current and depth == 0, "unterminated statement"
    for st in statements:
        attrs = {}
        if "[" in st:
            i = st.index("[")
            inner, st = st[i + 1:-1], st[:i]
            for part in " ".join(inner).split(" , "):
                key, _, value = part.partition(" = ")
                attrs[key.strip()] = unquote(value.strip())
        if len(st) == 3 and st[1] == "->":
            edges.append((unquote(st[0]), unquote(st[2]), attrs))
        elif len(st) == 1 and st[0] not in ("node", "edge"):
            nodes[unquote(st[0])] = attrs
    return nodes, edges


# ------------------------------------------------------------------ a small Mermaid check
NODE = re.compile(r'^    (\w+)(\(\["|\("|\(\("|\{\{")(.*?)("\]\)|"\)|"\)\)|"\}\})$')
EDGE = re.compile(r'^    (\w+) -->(?:\|"([^"]*)"\|)? (\w+)$')


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, str]]:
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart TD"
    nodes, edges, classes = {}, [], {}
    for line in lines[1:]:
        if m := NODE.match(line):
            nodes[m.group(1)] = m.group(3)
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(3), m.group(2) or ""))
        elif line.startswith("    classDef "):
            continue
        elif line.startswith("    class "):
            ids, name = line[len("    class "):].split(" ")
            for i in ids.split(","):
                classes[i] = name
        else:
            raise AssertionError(f"not a Mermaid statement: {line!r}")
    for source, dest, _ in edges:
        assert source in nodes and dest in nodes, f"edge to an undeclared node: {source} -> {dest}"
    return nodes, edges, classes


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_mermaid_parses_and_shows_every_state_and_transition(path):
    tree, _ = load_tree(path)
    nodes, edges, classes = parse_mermaid(to_mermaid(tree))
    labels = {text.split("<br>")[0] for text in nodes.values()}
    assert set(tree.states) <= labels
    numbers = {int(m.group(1)) for _, _, label in edges for m in [re.match(r"T(\d+): ", label)] if m}
    assert numbers == set(range(1, len(tree.transitions) + 1))
    endings = {f"s_{sid}" for sid, st in tree.states.items() if st.ending}
    assert {n for n, c in classes.items() if c == "ending"} == endings
    assert ("start", f"s_{tree.initial}", "") in edges


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_dot_parses_and_shows_every_state_and_transition(path):
    tree, _ = load_tree(path)
    nodes, edges = parse_dot(to_dot(tree))
    assert set(tree.states) <= set(nodes)
    for i, tr in enumerate(tree.transitions, start=1):
        drawn = [e for e in edges if e[2].get("label", "").startswith(f"T{i}: ")]
        assert drawn, f"transition {i} is missing"
        assert all(dest == tr.to for _, dest, _ in drawn)
    for sid, state in tree.states.items():
        assert (nodes[sid].get("peripheries") == "2") == bool(state.ending)


def test_labels_carry_moves_and_conditions_in_words():
    tree, _ = load_tree(ROOT / "dialogue_trees" / "guarded.yaml")
    _, edges = parse_dot(to_dot(tree))
    labels = [attrs.get("label", "") for _, _, attrs in edges]
    assert any("closed_question 3× in a row" in label for label in labels)
    assert any("rapport ≥ warm (35)" in label for label in labels)
    assert any("reflection ≥ 3× so far" in label for label in labels)


def test_quotes_and_backslashes_survive(tmp_path):
    (tmp_path / "tricky.yaml").write_text(TRICKY, encoding="utf-8")
    tree, _ = load_tree(tmp_path / "tricky.yaml")
    nodes, edges = parse_dot(to_dot(tree))
    assert nodes["start"]["label"] == 'start\nsays "hi" and C:\\path'
    assert ("any state", "end") in {(s, d) for s, d, _ in edges}
    parse_mermaid(to_mermaid(tree))
    ET.fromstring(to_svg(tree))


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_svg_is_well_formed_with_every_state_and_transition(path):
    tree, _ = load_tree(path)
    root = ET.fromstring(to_svg(tree))
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert set(tree.states) <= set(texts)
    for i in range(1, len(tree.transitions) + 1):
        assert any(t.startswith(f"T{i}: ") for t in texts), f"T{i} missing from the legend"
        assert f"T{i}" in texts, f"T{i} missing from the arrows"


def test_graph_command_takes_a_tree_id_a_tree_file_or_a_persona(tmp_path, capsys):
    assert main(["graph", "guarded"]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")
    assert main(["graph", str(ROOT / "personas" / "dana.yaml"), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "ambivalent"')
    out = tmp_path / "g.svg"
    assert main(["graph", str(ROOT / "dialogue_trees" / "guarded.yaml"), "--format", "svg", "-o", str(out)]) == 0
    ET.fromstring(out.read_text(encoding="utf-8"))
    assert main(["graph", "gaurded"]) == 1
    assert "did you mean 'guarded'?" in capsys.readouterr().err


def test_an_output_file_in_a_missing_folder_is_a_plain_error(tmp_path, capsys):
    assert main(["graph", "guarded", "-o", str(tmp_path / "no" / "such" / "tree.svg"), "--format", "svg"]) == 1
    err = capsys.readouterr().err
    assert "cannot write the file" in err and "check that the folder exists" in err


def test_an_unknown_name_lists_what_graph_accepts(capsys):
    assert main(["graph", "qqqq"]) == 1
    err = capsys.readouterr().err
    assert "no tree, persona or file called 'qqqq'" in err and "guarded" in err and "marcus" in err
    assert "peersim schema" not in err
