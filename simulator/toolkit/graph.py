"""`peersim graph`: a dialogue tree as a picture (Mermaid, Graphviz DOT, or SVG).

Every state is a box (endings drawn with a double border), every transition an arrow
labelled with its number (T1 is the first rule in the file), the moves that trigger it
and its conditions in words. Rules written `from: any` start from one "any state" box
instead of an arrow from every state, which keeps the picture readable.

The SVG writer is our own simple layered layout (rows by distance from the first
state), because trainers' machines cannot be assumed to have Graphviz installed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.folders import kind_of
from simulator.scenario.loader import load_scenario, load_tree, shipped_dir, shipped_persona_paths, shipped_tree_paths
# The words for each condition are the table's (conditions.py), shared with the why pane.
from simulator.scenario.conditions import describe as describe_conditions
from simulator.scenario.rules import rules_of
from simulator.scenario.schema import Transition, Tree
from simulator.scenario.rules import as_list

ANY = "any state"
FORMATS = ("mermaid", "dot", "svg")


def _move_words(rule: Transition) -> str:
    moves = as_list(rule.move)
    return "any move" if "any" in moves else ", ".join(moves)


def rule_words(rule: Transition, number: int, thresholds: dict[str, int], *,
               source: str | None = None, move: str | None = None) -> list[str]:
    """A rule in the words of the author's why pane: where it goes on which moves, its
    conditions and its note. `source` and `move`: the state and move it fired from, when it did
    (the pane); else every state and move it is written for (an editor's hover)."""
    sources = as_list(rule.from_)
    where = source or ("any state" if "any" in sources else ", ".join(sources))
    conditions = describe_conditions(rule.when, thresholds)
    lines = [f"T{number}: {where} -> {rule.to} on {move or _move_words(rule)}",
             "when     " + ("; ".join(conditions) if conditions else "no conditions")]
    if rule.note:
        lines.append(f"note     {rule.note}")
    return lines


@dataclass(frozen=True)
class Edge:
    number: int  # 1-based, as in lint messages
    source: str  # a state id, or ANY
    dest: str
    moves: str
    conditions: tuple[str, ...]
    note: str

    @property
    def label(self) -> str:
        return " | ".join([f"T{self.number}: {self.moves}", *self.conditions])


def edges_of(tree: Tree, thresholds: dict[str, int] | None = None) -> list[Edge]:
    thresholds = tree.thresholds if thresholds is None else thresholds
    edges = []
    for rule in rules_of(tree).rules:
        conditions = tuple(describe_conditions(rule.when, thresholds))
        for source in ([ANY] if rule.any_source else rule.sources):
            edges.append(Edge(rule.number, source, rule.to, rule.move_words, conditions, rule.note))
    return edges


def endings(tree: Tree) -> list[str]:
    return [sid for sid, st in tree.states.items() if st.ending]


def _uses_any(tree: Tree) -> bool:
    return bool(rules_of(tree).any_rules)


# ------------------------------------------------------------------------- mermaid
def _mid(state: str) -> str:
    # Mermaid ids: letters, digits and underscores only; a prefix keeps 'end' and friends safe.
    return "s_" + re.sub(r"[^A-Za-z0-9_]", "_", state)


def _mtext(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(tree: Tree, thresholds: dict[str, int] | None = None) -> str:
    out = ["flowchart TD", '    start(("start"))']
    for sid, state in tree.states.items():
        label = _mtext(f"{sid}") + (f"<br><i>ending: {state.ending}</i>" if state.ending else "")
        shape = ('(["', '"])') if state.ending else ('("', '")')
        out.append(f"    {_mid(sid)}{shape[0]}{label}{shape[1]}")
    if _uses_any(tree):
        out.append(f'    any_state{{{{"{ANY}"}}}}')
    out.append(f"    start --> {_mid(tree.initial)}")
    for e in edges_of(tree, thresholds):
        source = "any_state" if e.source == ANY else _mid(e.source)
        text = "<br>".join(_mtext(t) for t in [f"T{e.number}: {e.moves}", *e.conditions])
        out.append(f'    {source} -->|"{text}"| {_mid(e.dest)}')
    out.append("    classDef ending fill:#eeeeee,stroke:#333333,stroke-width:3px")
    out.append("    classDef anystate fill:#ffffff,stroke:#888888,stroke-dasharray:4 3")
    if endings(tree):
        out.append(f"    class {','.join(_mid(s) for s in endings(tree))} ending")
    if _uses_any(tree):
        out.append("    class any_state anystate")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------- dot
def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(tree: Tree, thresholds: dict[str, int] | None = None) -> str:
    out = [f"digraph {_dq(tree.id)} {{",
           f"  label={_dq(tree.title)}; labelloc=t; rankdir=TB;",
           '  node [shape=box, style=rounded, fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];',
           '  "__start" [shape=point, width=0.15];']
    for sid, state in tree.states.items():
        attrs = [f"label={_dq(sid + chr(10) + state.cue)}"]
        if state.ending:
            attrs += ["peripheries=2", 'style="rounded,filled"', 'fillcolor="#eeeeee"']
        out.append(f"  {_dq(sid)} [{', '.join(attrs)}];")
    if _uses_any(tree):
        out.append(f'  {_dq(ANY)} [shape=hexagon, style=dashed];')
    out.append(f"  \"__start\" -> {_dq(tree.initial)};")
    for e in edges_of(tree, thresholds):
        label = "\n".join([f"T{e.number}: {e.moves}", *e.conditions])
        out.append(f"  {_dq(e.source)} -> {_dq(e.dest)} [label={_dq(label)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------- svg (our own layout)
def _ranks(tree: Tree) -> dict[str, int]:
    """Rows: breadth-first distance from the initial state; unreached states go last."""
    rank = {tree.initial: 0}
    frontier = [tree.initial]
    leaving: dict[str, list[Edge]] = {}   # by source, so the walk is linear in the rules
    for e in edges_of(tree):
        leaving.setdefault(e.source, []).append(e)
    while frontier:
        nxt = []
        for state in frontier:
            for e in leaving.get(state, ()):
                if e.dest not in rank:
                    rank[e.dest] = rank[state] + 1
                    nxt.append(e.dest)
        frontier = nxt
    # Endings reached only from "any state" still belong below the rest.
    last = max(rank.values(), default=0) + 1
    for sid in tree.states:
        if sid not in rank:
            rank[sid] = last
    return rank


def state_marks(tree: Tree) -> dict[str, str]:
    """States a reader should notice: "unreachable" (PS0010) or "trap" (PS0054)."""
    from simulator.scenario.reach import reachable_states
    from simulator.toolkit.traps import trapped

    reach = reachable_states(tree)
    marks = {sid: "unreachable" for sid in tree.states if sid not in reach}
    for sid in trapped(tree):
        marks.setdefault(sid, "trap: every way on ends it")
    return marks


class _Grid:
    """Boxes (x0, y0, x1, y1) filed by the coarse grid cells they cover, so asking whether a
    new box overlaps one looks at its neighbourhood only: the layout stays linear in the states."""

    CELL = 128.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, box: tuple[float, float, float, float]):
        x0, y0, x1, y1 = box
        for i in range(int(x0 // self.CELL), int(x1 // self.CELL) + 1):
            for j in range(int(y0 // self.CELL), int(y1 // self.CELL) + 1):
                yield i, j

    def add(self, box: tuple[float, float, float, float]) -> None:
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(box)

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return any(x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1
                   for cell in self._cells(box) for a0, b0, a1, b1 in self.cells.get(cell, ()))


def _on_quad(p0, p1, p2, t: float) -> tuple[float, float]:
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1])


def _on_cubic(p0, p1, p2, p3, t: float) -> tuple[float, float]:
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])


# Where along an arrow its number is tried, best first: the middle, then outwards.
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85, 0.1, 0.9)
LABEL_H = 14


def to_svg(tree: Tree, thresholds: dict[str, int] | None = None) -> str:
    char_w, box_h, row_gap, col_gap, margin = 7.2, 44, 80, 70, 30
    ranks = _ranks(tree)
    rows: dict[int, list[str]] = {}
    for sid in tree.states:
        rows.setdefault(ranks[sid], []).append(sid)
    if _uses_any(tree):
        rows = {r + 1: v for r, v in rows.items()}
        rows[0] = [ANY]
    width_of = {sid: max(90, 16 + char_w * len(sid)) for sid in [*tree.states, ANY]}
    row_widths = {r: sum(width_of[s] for s in v) + col_gap * (len(v) - 1) for r, v in rows.items()}
    widest = max(row_widths.values())
    gutter = 130  # room on both sides for the arrows of `from: any` rules and for loops
    canvas_w = widest + 2 * (margin + gutter)
    pos: dict[str, tuple[float, float]] = {}
    for r in sorted(rows):
        x = margin + gutter + (widest - row_widths[r]) / 2
        y = margin + r * (box_h + row_gap)
        for sid in rows[r]:
            pos[sid] = (x, y)
            x += width_of[sid] + col_gap
    graph_h = margin + (max(rows) + 1) * (box_h + row_gap)

    edges = edges_of(tree, thresholds)
    legend_top = graph_h + 10
    legend = [f"T{e.number}: {'any state' if e.source == ANY else e.source} → {e.dest} on {e.moves}"
              + (f" when {', '.join(e.conditions)}" if e.conditions else "") for e in _unique(edges)]
    canvas_w = max(canvas_w, margin * 2 + char_w * 0.85 * max((len(t) for t in legend), default=0))
    canvas_h = legend_top + 22 * (len(legend) + 1) + margin

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{canvas_w:.0f}" height="{canvas_h:.0f}" '
             f'viewBox="0 0 {canvas_w:.0f} {canvas_h:.0f}" font-family="Helvetica, Arial, sans-serif">',
             f"<title>{html.escape(tree.title)}</title>",
             "<!-- drawn by peersim's built-in layout (renderer: builtin) -->",
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/>'
             "</marker></defs>",
             '<rect width="100%" height="100%" fill="white"/>']

    def centre(sid: str) -> tuple[float, float]:
        x, y = pos[sid]
        return x + width_of[sid] / 2, y + box_h / 2

    # Every box, with room for the red outline of a marked state: no arrow's number may
    # cover a state's name, and numbers keep off each other where they can.
    nodes, placed = _Grid(), _Grid()
    for sid, (x, y) in pos.items():
        nodes.add((x - 4, y - 4, x + width_of[sid] + 4, y + box_h + 4))

    def place(candidates: list[tuple[float, float]], safe: tuple[float, float], w: float) -> tuple[float, float]:
        """The first candidate centre whose label covers no box and no other label, else the
        first that covers no box, else `safe` (a point in the empty band between two rows)."""
        def box_at(cx: float, cy: float) -> tuple[float, float, float, float]:
            return cx - w / 2, cy - LABEL_H / 2, cx + w / 2, cy + LABEL_H / 2

        choice = None
        for cx, cy in candidates:
            box = box_at(cx, cy)
            if nodes.hits(box):
                continue
            if not placed.hits(box):
                choice = (cx, cy)
                break
            choice = choice or (cx, cy)
        cx, cy = choice or safe
        box = box_at(cx, cy)
        placed.add(box)
        return cx, cy

    # Edges first so boxes sit on top of them.
    pair_count: dict[tuple[str, str], int] = {}
    lanes = {"left": 0, "right": 0}
    left_edge, right_edge = margin + gutter, margin + gutter + widest   # of the widest row
    labels: list[str] = []  # drawn last, so no arrow crosses an arrow's number
    for e in edges:
        key = (e.source, e.dest)
        k = pair_count.get(key, 0)
        pair_count[key] = k + 1
        text = f"T{e.number}"
        w = 10 + 6 * len(text)
        (x1, y1), (x2, y2) = centre(e.source), centre(e.dest)
        below_source = (x1, y1 + box_h / 2 + 14 + 16 * (k % 4))
        style = 'stroke="#555" stroke-width="1.2"'
        if e.source == ANY:
            # Around the columns: out of the side of the "any state" box, down the margin,
            # along the empty band above the target's row, and into the top of its box, so
            # the arrow crosses no state.
            side = "left" if x2 < (left_edge + right_edge) / 2 else "right"
            lane = lanes[side]
            lanes[side] += 1
            ax, ay = pos[ANY]
            if side == "left":
                sx, gx = ax, left_edge - 16 - 9 * (lane % 12)
            else:
                sx, gx = ax + width_of[ANY], right_edge + 16 + 9 * (lane % 12)
            sy = ay + box_h / 2 + 6 * (lane % 5 - 2)
            top = pos[e.dest][1]
            band = top - row_gap / 2 + 8 * (lane % 7 - 3)
            tx = x2 + 6 * (lane % 5 - 2)
            points = [(sx, sy), (gx, sy), (gx, band), (tx, band), (tx, top)]
            path = "M " + " L ".join(f"{px:.1f} {py:.1f}" for px, py in points)
            style = 'class="any-arc" stroke="#888" stroke-width="1.2" stroke-dasharray="6 3"'
            run = [(gx + (tx - gx) * f, band) for f in (0.85, 0.7, 0.55, 0.4, 0.25)]
            lx, ly = place(run, run[0], w)
        elif e.source == e.dest:  # a loop on the right of the box
            bx = pos[e.source][0] + width_of[e.source]
            p0, p1, p2, p3 = (bx, y1 - 8), (bx + 50 + 15 * k, y1 - 30), (bx + 50 + 15 * k, y1 + 30), (bx, y1 + 8)
            path = (f"M {p0[0]:.1f} {p0[1]:.1f} C {p1[0]:.1f} {p1[1]:.1f}, {p2[0]:.1f} {p2[1]:.1f}, "
                    f"{p3[0]:.1f} {p3[1]:.1f}")
            lx, ly = place([_on_cubic(p0, p1, p2, p3, t) for t in _ALONG], below_source, w)
        else:
            down = y2 >= y1
            sy = y1 + (box_h / 2 if down else -box_h / 2)
            ty = y2 - (box_h / 2 if down else -box_h / 2)
            same_row = abs(y2 - y1) < 1
            # Same row: rightwards over the top of the boxes, leftwards under them, so A->B
            # and B->A are two arcs, each with room for its number in the band it passes.
            over = x2 > x1
            if same_row:
                sy = ty = y1 + (-box_h / 2 if over else box_h / 2)
                below_source = (x1, sy + (-1 if over else 1) * (14 + 16 * (k % 4)))
            # Bend each arrow to its left (seen along its direction): A->B and B->A then take
            # different sides, arrows over several rows swing wide of the boxes between, and
            # repeated arrows between one pair fan out.
            span = max(1.0, abs(y2 - y1) / (box_h + row_gap))
            bend = 22 + 40 * (span - 1) + 16 * k
            dx, dy = x2 - x1, ty - sy
            length = max(1.0, (dx * dx + dy * dy) ** 0.5)
            mx, my = (x1 + x2) / 2 + bend * dy / length, (sy + ty) / 2 - bend * dx / length
            if same_row:
                my = sy - 2 * bend if over else sy + 2 * bend
            path = f"M {x1:.1f} {sy:.1f} Q {mx:.1f} {my:.1f} {x2:.1f} {ty:.1f}"
            lx, ly = place([_on_quad((x1, sy), (mx, my), (x2, ty), t) for t in _ALONG], below_source, w)
        parts.append(f'<path d="{path}" fill="none" {style} '
                     f'marker-end="url(#arrow)"><title>{html.escape(e.label)}</title></path>')
        labels.append(f'<rect class="label" x="{lx - w / 2:.1f}" y="{ly - LABEL_H / 2:.1f}" width="{w:.0f}" '
                      f'height="{LABEL_H}" rx="3" fill="white" stroke="#ccc"/>')
        labels.append(f'<text x="{lx:.1f}" y="{ly + 3.5:.1f}" font-size="10" text-anchor="middle">{text}</text>')

    marks = state_marks(tree)
    for sid in pos:
        x, y = pos[sid]
        w = width_of[sid]
        state = tree.states.get(sid)
        if sid == ANY:
            parts.append(f'<rect class="state" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{box_h}" rx="20" '
                         'fill="white" stroke="#888" stroke-dasharray="4 3"/>')
        else:
            fill = "#eeeeee" if state.ending else ("#e8f1fb" if sid == tree.initial else "white")
            parts.append(f'<rect class="state" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{box_h}" rx="8" '
                         f'fill="{fill}" stroke="#333" stroke-width="{3 if state.ending else 1.2}"/>')
            if state.ending:
                parts.append(f'<rect x="{x + 4:.1f}" y="{y + 4:.1f}" width="{w - 8:.1f}" height="{box_h - 8}" '
                             'rx="6" fill="none" stroke="#333"/>')
        sub = f"ending: {state.ending}" if state is not None and state.ending else (
            "start" if sid == tree.initial else marks.get(sid, ""))
        if sid in marks:      # unreachable or a trap: drawn with a red dashed outline too
            parts.append(f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="{w + 6:.1f}" height="{box_h + 6}" rx="10" '
                         'fill="none" stroke="#b00020" stroke-width="1.5" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y + (19 if sub else 27):.1f}" font-size="13" '
                     f'text-anchor="middle" font-weight="bold">{html.escape(sid)}</text>')
        if sub:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 34:.1f}" font-size="10" text-anchor="middle" '
                         f'fill="#555">{html.escape(sub)}</text>')

    parts += labels
    parts.append(f'<text x="{margin}" y="{legend_top:.0f}" font-size="12" font-weight="bold">Transitions '
                 "(tried top to bottom)</text>")
    for n, line in enumerate(legend, start=1):
        parts.append(f'<text x="{margin}" y="{legend_top + 20 * n:.0f}" font-size="11">{html.escape(line)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _unique(edges: list[Edge]) -> list[Edge]:
    """One legend line per transition, even when it starts from several states."""
    seen: dict[int, Edge] = {}
    merged: dict[int, list[str]] = {}
    for e in edges:
        seen.setdefault(e.number, e)
        merged.setdefault(e.number, []).append(e.source)
    out = []
    for number, e in seen.items():
        sources = merged[number]
        out.append(Edge(number, ", ".join(sources), e.dest, e.moves, e.conditions, e.note))
    return out


def render(tree: Tree, fmt: str, thresholds: dict[str, int] | None = None) -> str:
    return {"mermaid": to_mermaid, "dot": to_dot, "svg": to_svg}[fmt](tree, thresholds)


# ------------------------------------------------------------------------- what to draw
def resolve_graph_target(ref: str) -> tuple[Tree, dict[str, int], str]:
    """A tree id, a tree file, a persona file or a shipped persona id -> (tree, thresholds, what)."""
    path = Path(ref)
    if path.exists() and path.is_file():
        if kind_of(path) == "tree":
            tree, _ = load_tree(path)
            return tree, dict(tree.thresholds), str(path)
        scenario = load_scenario(path)
        return (scenario.tree, {**scenario.tree.thresholds, **scenario.persona.thresholds},
                f"{path} (tree {scenario.tree.id})")
    tree_file = shipped_dir("dialogue_trees") / f"{ref}.yaml"
    if tree_file.exists():
        tree, _ = load_tree(tree_file)
        return tree, dict(tree.thresholds), ref
    persona_file = shipped_dir("personas") / f"{ref}.yaml"
    if persona_file.exists():
        scenario = load_scenario(persona_file)
        return (scenario.tree, {**scenario.tree.thresholds, **scenario.persona.thresholds},
                f"{ref} (tree {scenario.tree.id})")
    trees, personas = [p.stem for p in shipped_tree_paths()], [p.stem for p in shipped_persona_paths()]
    hint = did_you_mean(ref, trees + personas)
    if not hint.startswith("did you mean"):  # `peersim schema` does not list trees or personas
        hint = (f"give the path of a tree or persona file, a shipped tree ({', '.join(trees)}) "
                f"or a shipped persona ({', '.join(personas)})")
    raise ScenarioError([Problem(ref, 0, 0, f"no tree, persona or file called '{ref}'", hint)])
