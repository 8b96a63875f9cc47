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
from simulator.scenario.schema import Tree

ANY = "any state"
FORMATS = ("mermaid", "dot", "svg")


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
    from simulator.toolkit.lint import reachable_states
    from simulator.toolkit.traps import trapped

    reach = reachable_states(tree)
    marks = {sid: "unreachable" for sid in tree.states if sid not in reach}
    for sid in trapped(tree):
        marks.setdefault(sid, "trap: every way on ends it")
    return marks


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
    gutter = 130  # room on both sides for arrows that swing wide and for loops
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

    # Edges first so boxes sit on top of them.
    pair_count: dict[tuple[str, str], int] = {}
    labels: list[str] = []  # drawn last, so no box hides an arrow's number
    for e in edges:
        key = (e.source, e.dest)
        k = pair_count.get(key, 0)
        pair_count[key] = k + 1
        (x1, y1), (x2, y2) = centre(e.source), centre(e.dest)
        if e.source == e.dest:  # a loop on the right of the box
            bx = pos[e.source][0] + width_of[e.source]
            path = (f"M {bx:.1f} {y1 - 8:.1f} C {bx + 50 + 15 * k:.1f} {y1 - 30:.1f}, "
                    f"{bx + 50 + 15 * k:.1f} {y1 + 30:.1f}, {bx:.1f} {y1 + 8:.1f}")
            lx, ly = bx + 42 + 15 * k, y1
        else:
            down = y2 >= y1
            sy = y1 + (box_h / 2 if down else -box_h / 2)
            ty = y2 - (box_h / 2 if down else -box_h / 2)
            if abs(y2 - y1) < 1:  # same row: leave and arrive through the top
                sy, ty = y1 - box_h / 2, y2 - box_h / 2
            # Bend each arrow to its left (seen along its direction): A->B and B->A then take
            # different sides, arrows over several rows swing wide of the boxes between, and
            # repeated arrows between one pair fan out.
            span = max(1.0, abs(y2 - y1) / (box_h + row_gap))
            bend = 22 + 40 * (span - 1) + 16 * k
            dx, dy = x2 - x1, ty - sy
            length = max(1.0, (dx * dx + dy * dy) ** 0.5)
            mx, my = (x1 + x2) / 2 + bend * dy / length, (sy + ty) / 2 - bend * dx / length
            if abs(y2 - y1) < 1:
                my = min(my, sy - bend)
            path = f"M {x1:.1f} {sy:.1f} Q {mx:.1f} {my:.1f} {x2:.1f} {ty:.1f}"
            lx, ly = (x1 + 2 * mx + x2) / 4, (sy + 2 * my + ty) / 4 + 16 * k  # repeated arrows: labels apart
        parts.append(f'<path d="{path}" fill="none" stroke="#555" stroke-width="1.2" '
                     f'marker-end="url(#arrow)"><title>{html.escape(e.label)}</title></path>')
        text = f"T{e.number}"
        labels.append(f'<rect x="{lx - 13:.1f}" y="{ly - 9:.1f}" width="26" height="14" rx="3" fill="white" '
                      'stroke="#ccc"/>')
        labels.append(f'<text x="{lx:.1f}" y="{ly + 2:.1f}" font-size="10" text-anchor="middle">{text}</text>')

    marks = state_marks(tree)
    for sid in pos:
        x, y = pos[sid]
        w = width_of[sid]
        state = tree.states.get(sid)
        if sid == ANY:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{box_h}" rx="20" fill="white" '
                         'stroke="#888" stroke-dasharray="4 3"/>')
        else:
            fill = "#eeeeee" if state.ending else ("#e8f1fb" if sid == tree.initial else "white")
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{box_h}" rx="8" fill="{fill}" '
                         f'stroke="#333" stroke-width="{3 if state.ending else 1.2}"/>')
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
