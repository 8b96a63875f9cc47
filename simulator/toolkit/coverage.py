"""What the play-tests exercised: states, transitions, reply lines and story beats.

Play-test results (simulator/scenario/playtest.py) already record, per test, the states
visited, the transitions taken and the pool line each reply came from. This module
adds them up per dialogue tree (over every persona tested on it) and per persona, and
lists what no test reaches, with the file and line to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from simulator.toolkit.lint import shown_path
from simulator.scenario.checked import Scenario
from simulator.toolkit.playtest import PlayTestResult
from simulator.scenario.source import SourceMap

PoolKey = tuple[str, str]  # (state, pool key)


@dataclass
class PoolUse:
    line: int  # where the pool stands in its file
    size: int
    used: set[int] = field(default_factory=set)


@dataclass
class TreeCoverage:
    tree_id: str
    path: Path
    smap: SourceMap
    personas: set[str] = field(default_factory=set)
    states: dict[str, int] = field(default_factory=dict)  # state -> line
    states_hit: set[str] = field(default_factory=set)
    transitions: dict[int, tuple[int, str]] = field(default_factory=dict)  # index -> (line, summary)
    transitions_hit: set[int] = field(default_factory=set)
    pools: dict[PoolKey, PoolUse] = field(default_factory=dict)


@dataclass
class PersonaCoverage:
    persona_id: str
    path: Path
    tests: int = 0
    pools: dict[PoolKey, PoolUse] = field(default_factory=dict)
    beats: dict[str, int] = field(default_factory=dict)  # beat id -> line
    beats_hit: set[str] = field(default_factory=set)


@dataclass
class Coverage:
    trees: dict[Path, TreeCoverage] = field(default_factory=dict)
    personas: dict[Path, PersonaCoverage] = field(default_factory=dict)

    def add(self, scenario: Scenario, results: list[PlayTestResult]) -> None:
        tree_cov = self._tree(scenario)
        persona_cov = self._persona(scenario)
        tree_cov.personas.add(scenario.persona.id)
        for r in results:
            persona_cov.tests += 1
            tree_cov.states_hit |= r.states
            tree_cov.transitions_hit |= r.transitions
            for source, state, key, index in r.replies:
                pools = tree_cov.pools if source == "tree" else persona_cov.pools
                if (state, key) in pools:
                    pools[(state, key)].used.add(index)
            for turn in r.turns:
                persona_cov.beats_hit.update(b.id for b in turn.beats)

    def _tree(self, scenario: Scenario) -> TreeCoverage:
        key = scenario.tree_path.resolve()
        if key not in self.trees:
            tree, smap = scenario.tree, scenario.tree_map
            cov = TreeCoverage(tree.id, scenario.tree_path, smap)
            for sid, state in tree.states.items():
                cov.states[sid] = smap.locate(("states", sid), key=True)[0]
                for pool, lines in state.replies.items():
                    cov.pools[(sid, pool)] = PoolUse(smap.locate(("states", sid, "replies", pool), key=True)[0],
                                                     len(lines))
            for i, tr in enumerate(tree.transitions):
                sources = tr.from_ if isinstance(tr.from_, str) else ", ".join(tr.from_)
                moves = tr.move if isinstance(tr.move, str) else ", ".join(tr.move)
                cov.transitions[i] = (smap.locate(("transitions", i))[0], f"{sources} -> {tr.to} on {moves}")
            self.trees[key] = cov
        return self.trees[key]

    def _persona(self, scenario: Scenario) -> PersonaCoverage:
        key = scenario.persona_path.resolve()
        if key not in self.personas:
            persona, smap = scenario.persona, scenario.persona_map
            cov = PersonaCoverage(persona.id, scenario.persona_path)
            for sid, pools in persona.replies.items():
                for pool, lines in pools.items():
                    cov.pools[(sid, pool)] = PoolUse(smap.locate(("replies", sid, pool), key=True)[0], len(lines))
            for i, beat in enumerate(persona.beats):
                cov.beats[beat.id] = smap.locate(("beats", i))[0]
            self.personas[key] = cov
        return self.personas[key]

    # ------------------------------------------------------------------ reporting
    def to_dict(self) -> dict:
        def pools(p: dict[PoolKey, PoolUse]) -> list[dict]:
            return [{"state": s, "pool": k, "line": u.line, "lines": u.size, "used": sorted(u.used)}
                    for (s, k), u in p.items()]

        return {
            "trees": [{"tree": t.tree_id, "file": str(t.path), "personas": sorted(t.personas),
                       "states": {"total": len(t.states), "reached": sorted(t.states_hit & set(t.states)),
                                  "not_reached": [s for s in t.states if s not in t.states_hit]},
                       "transitions": {"total": len(t.transitions), "taken": sorted(i + 1 for i in t.transitions_hit),
                                       "not_taken": [i + 1 for i in t.transitions if i not in t.transitions_hit]},
                       "reply_lines": {"total": _total(t.pools), "used": _used(t.pools)},
                       "pools": pools(t.pools)} for t in self.trees.values()],
            "personas": [{"persona": p.persona_id, "file": str(p.path), "tests": p.tests,
                          "beats": {"total": len(p.beats), "told": sorted(p.beats_hit),
                                    "not_told": [b for b in p.beats if b not in p.beats_hit]},
                          "reply_lines": {"total": _total(p.pools), "used": _used(p.pools)},
                          "pools": pools(p.pools)} for p in self.personas.values()],
        }

    def report(self) -> str:
        out = []
        for t in self.trees.values():
            t = _shown(t)
            out.append(f"tree '{t.tree_id}' ({t.path}), played by {', '.join(sorted(t.personas))}")
            hit = t.states_hit & set(t.states)
            out.append(f"  states       {_ratio(len(hit), len(t.states))}")
            for sid, line in t.states.items():
                if sid not in hit:
                    out.append(f"    not reached: {sid}  ({t.path}:{line})")
            out.append(f"  transitions  {_ratio(len(t.transitions_hit), len(t.transitions))}")
            for i, (line, summary) in t.transitions.items():
                if i not in t.transitions_hit:
                    out.append(f"    never taken: T{i + 1} {summary}  ({t.path}:{line})")
            out.append(f"  reply lines  {_ratio(_used(t.pools), _total(t.pools))}")
            out += _pool_lines(t.path, t.pools)
        for p in self.personas.values():
            p = _shown(p)
            out.append(f"persona '{p.persona_id}' ({p.path}), {p.tests} play-test{'s' if p.tests != 1 else ''}")
            out.append(f"  story beats  {_ratio(len(p.beats_hit & set(p.beats)), len(p.beats))}")
            for beat, line in p.beats.items():
                if beat not in p.beats_hit:
                    out.append(f"    never told: {beat}  ({p.path}:{line})")
            if p.pools:
                out.append(f"  reply lines  {_ratio(_used(p.pools), _total(p.pools))}")
                out += _pool_lines(p.path, p.pools)
        return "\n".join(out)


def _shown(cov, shown_path=shown_path):
    """A copy whose path reads as the author typed it (relative to the current folder)."""
    return replace(cov, path=Path(shown_path(str(cov.path))))


def _total(pools: dict[PoolKey, PoolUse]) -> int:
    return sum(u.size for u in pools.values())


def _used(pools: dict[PoolKey, PoolUse]) -> int:
    return sum(len(u.used) for u in pools.values())


def _ratio(hit: int, total: int) -> str:
    percent = 100 if total == 0 else round(100 * hit / total)
    return f"{hit} of {total} ({percent}%)"


def _pool_lines(path: Path, pools: dict[PoolKey, PoolUse]) -> list[str]:
    """One line per state: pools never used, and pools partly used."""
    by_state: dict[str, list[tuple[str, PoolUse]]] = {}
    for (state, key), use in pools.items():
        by_state.setdefault(state, []).append((key, use))
    out = []
    for state, entries in by_state.items():
        unused = [k for k, u in entries if not u.used]
        partly = [f"{k} {len(u.used)}/{u.size}" for k, u in entries if u.used and len(u.used) < u.size]
        if not unused and not partly:
            continue
        first = min(u.line for _, u in entries)
        text = f"    {state} ({path}:{first}):"
        if unused:
            text += f" never used: {', '.join(unused)}"
        if partly:
            text += ("; " if unused else " ") + f"partly used: {', '.join(partly)}"
        out.append(text)
    return out
