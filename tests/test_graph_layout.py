"""The built-in SVG layout is readable, checked by geometry on the picture it writes: no
arrow's number covers a state's box (a label over "shut_down" once made it read "shut_dov"),
and the arrows of `from: any` rules go around the states instead of across them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from simulator.toolkit.graph import ANY, to_svg
from simulator.scenario.loader import load_tree, shipped_tree_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "authoring" / "dialogue_trees"
SVG = "{http://www.w3.org/2000/svg}"

Box = tuple[float, float, float, float]   # x0, y0, x1, y1


def fan_tree(width: int, depth: int) -> str:
    """A tree with wide rows: every state has `width` children, climbs back to its parent,
    talks sideways to its neighbour in the row, loops on itself, has two rules to its first
    child (repeated arrows) and long ids; `from: any` rules lead to two endings and back
    to a state in the middle."""
    states, rules = {}, []
    rows = [["root"]]
    for d in range(depth):
        rows.append([f"s{d + 1}_{n}" + ("_with_a_longer_name" if n % 2 else "")
                     for n in range(len(rows[-1]) * width)])
    children = {}
    for d in range(depth):
        for n, child in enumerate(rows[d + 1]):
            children.setdefault(rows[d][n // width], []).append(child)
    for row in rows:
        for n, sid in enumerate(row):
            states[sid] = {"cue": f"looks at you ({sid})", "replies": {"default": ["Mm.", "Go on."]}}
            for child in children.get(sid, []):
                rules.append({"move": "reflection", "from": sid, "to": child})
                rules.append({"move": "judgment", "from": child, "to": sid})
            if sid in children:
                rules.append({"move": "summary", "from": sid, "to": children[sid][0],
                              "when": {"rapport_at_least": 40}})
            if n + 1 < len(row):
                rules.append({"move": "open_question", "from": sid, "to": row[n + 1]})
            rules.append({"move": "closed_question", "from": sid, "to": sid})
    states["left"] = {"cue": "the door closes", "ending": "left", "replies": {"default": ["Bye."]}}
    states["plan_agreed"] = {"cue": "nods", "ending": "plan", "replies": {"default": ["Deal."]}}
    rules += [{"move": "confidentiality_breach", "from": "any", "to": "left"},
              {"move": "any", "from": "any", "to": "left", "when": {"rapport_at_most": 2}},
              {"move": "directive_advice", "from": "any", "to": rows[depth // 2][len(rows[depth // 2]) // 2]},
              {"move": "collaboration", "from": rows[-1][-1], "to": "plan_agreed"}]
    return yaml.safe_dump({"id": "fan", "title": "Fan", "initial": "root", "effects": {"reflection": 3},
                           "states": states, "transitions": rules}, sort_keys=False)


def _ladder(states: int) -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_core_for_layout", ROOT / "benchmarks" / "bench_core.py")
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))    # it imports its neighbour machine.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module.generate_tree(states)


TREES = [*shipped_tree_paths(), FIXTURES / "tangled.yaml", FIXTURES / "snared.yaml", "fan", "ladder"]


@pytest.fixture(params=TREES, ids=lambda p: p if isinstance(p, str) else p.stem)
def drawn(request, tmp_path):
    """(tree, the SVG's root element) for each shipped tree, the fixtures and two generated trees."""
    path = request.param
    if isinstance(path, str):
        text = fan_tree(3, 3) if path == "fan" else _ladder(40)
        path = tmp_path / f"{request.param}.yaml"
        path.write_text(text, encoding="utf-8")
    tree, _ = load_tree(path)
    return tree, ET.fromstring(to_svg(tree))


def _boxes(root: ET.Element, cls: str) -> list[Box]:
    out = []
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("class") == cls:
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            out.append((x, y, x + w, y + h))
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _polyline(d: str) -> list[tuple[float, float]]:
    assert re.fullmatch(r"M [-\d. ]+( L [-\d. ]+)+", d), f"an any-state arrow is drawn in straight runs: {d}"
    return [tuple(map(float, part.split())) for part in d[2:].split(" L ")]


def _crosses(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Whether the segment p-q passes through the inside of `box` (touching its edge is not
    crossing it: an arrow ends on its target's edge). Liang-Barsky clipping."""
    x0, y0, x1, y1 = box[0] + 0.5, box[1] + 0.5, box[2] - 0.5, box[3] - 0.5
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def test_the_geometry_helper_sees_a_crossing_and_a_touch():
    box = (0.0, 0.0, 10.0, 10.0)
    assert _crosses((-5, 5), (15, 5), box)
    assert not _crosses((-5, 10), (15, 10), box)        # along the bottom edge
    assert not _crosses((5, -10), (5, 0), box)          # ends on the top edge
    assert not _crosses((-5, -5), (-1, 20), box)


def test_no_arrow_number_covers_a_state(drawn):
    tree, root = drawn
    states = _boxes(root, "state")
    labels = _boxes(root, "label")
    drawn_any = any(t.text == ANY for t in root.iter(f"{SVG}text"))
    assert len(states) == len(tree.states) + drawn_any
    assert len(labels) == len(root.findall(f"{SVG}path"))      # one per arrow
    covered = [(label, state) for label in labels for state in states if _overlap(label, state)]
    assert not covered, f"{len(covered)} arrow numbers over a state, the first at {covered[0]}"


def test_any_state_arrows_cross_no_state(drawn):
    tree, root = drawn
    arcs = [p for p in root.iter(f"{SVG}path") if p.get("class") == "any-arc"]
    rules = [tr for tr in tree.transitions if "any" in ([tr.from_] if isinstance(tr.from_, str) else tr.from_)]
    assert len(arcs) == len(rules)
    states = _boxes(root, "state")
    for arc in arcs:
        points = _polyline(arc.get("d"))
        crossed = [box for p, q in zip(points, points[1:]) for box in states if _crosses(p, q, box)]
        assert not crossed, f"{arc.find(f'{SVG}title').text} crosses the state at {crossed[0]}"


def test_arrow_numbers_keep_off_each_other_on_a_shipped_tree():
    tree, _ = load_tree(ROOT / "dialogue_trees" / "guarded.yaml")
    labels = _boxes(ET.fromstring(to_svg(tree)), "label")
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
