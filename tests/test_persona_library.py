"""The shipped library of clients is varied, complete and worth practising with.

Play-tests themselves are run by tests/test_personas.py; here we check what a trainee
or trainer would notice across the whole library: enough clients, every state of every
tree has something to say to every kind of move, harder clients really are harder,
replies don't repeat, and each persona's skilful script uncovers their whole story.

Convention (see any personas/NAME.test.yaml): the first play-test in a file is the
skilful one.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine import Conversation
from simulator.moves.taxonomy import FAMILIES, MOVE_IDS
from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths, shipped_tree_paths
from simulator.toolkit.playtest import run_playtests
from simulator.scenario.validate import as_list

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = shipped_persona_paths()
TREES = shipped_tree_paths()
DIFFICULTY = {"easy": 0, "medium": 1, "hard": 2}
NEGATIVE_TRIGGERS = ("self_focused_story", "directive_advice")
SENSITIVE = re.compile(r"self-harm|self harm|overdos|suicid|ending (her|his|their|my) life|violen|abus|assault",
                       re.IGNORECASE)


@lru_cache(maxsize=None)
def scenario(path: Path):
    return load_scenario(path)


@lru_cache(maxsize=None)
def playtest_results(path: Path):
    return tuple(run_playtests(path.with_name(path.stem + ".test.yaml")))


def terminal(tree, state: str) -> bool:
    return tree.states[state].ending is not None


def edges(tree) -> dict[str, set[str]]:
    """Which states each state can move to, whatever the conditions."""
    out: dict[str, set[str]] = {s: set() for s in tree.states}
    for tr in tree.transitions:
        sources = list(tree.states) if "any" in as_list(tr.from_) else as_list(tr.from_)
        for source in sources:
            out[source].add(tr.to)
    return out


def reachable(tree, start: str) -> set[str]:
    graph, seen, todo = edges(tree), {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def withdrawal_states(tree) -> set[str]:
    """States a long helper story or unasked-for advice sends the client to."""
    return {tr.to for tr in tree.transitions
            if any(m in NEGATIVE_TRIGGERS for m in as_list(tr.move)) and not terminal(tree, tr.to)}


def most_open_states(tree) -> set[str]:
    """The states from which a plan can be agreed."""
    return {s for s, targets in edges(tree).items() if not terminal(tree, s)
            and any(tree.states[t].ending == "plan" for t in targets)}


# ----------------------------------------------------------------------------- the CLI view


def test_list_shows_at_least_eight_personas_on_at_least_four_trees(capsys):
    assert main(["list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) >= 8
    assert len({e["tree"] for e in entries}) >= 4
    assert {e["difficulty"] for e in entries} == {"easy", "medium", "hard"}


def test_validate_passes_on_the_shipped_files(capsys):
    assert main(["validate", str(ROOT / "personas"), str(ROOT / "dialogue_trees")]) == 0


# ----------------------------------------------------------------------------- the trees


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_tree_has_enough_states_both_endings_and_a_way_back(path):
    tree, _ = load_tree(path)
    middle = [s for s in tree.states if s != tree.initial and not terminal(tree, s)]
    assert len(middle) >= 5, f"{path.name}: only {middle} between start and end"
    assert {st.ending for st in tree.states.values()} >= {"left", "plan"}
    # Every state can be reached, and from every state a plan can still be reached:
    # that is what makes a misstep repairable rather than fatal.
    assert reachable(tree, tree.initial) == set(tree.states)
    for state in tree.states:
        if not terminal(tree, state):
            ends = {tree.states[s].ending for s in reachable(tree, state)}
            assert "plan" in ends, f"{path.name}: no way back to a plan from '{state}'"
    assert withdrawal_states(tree), f"{path.name}: missteps lead nowhere"


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_every_state_has_a_cue_and_three_lines_for_every_move_family(path):
    tree, _ = load_tree(path)
    for sid, state in tree.states.items():
        assert state.cue.strip(), f"{sid} has no cue"
        assert len(state.replies["default"]) >= 3, f"{sid}: default pool has fewer than 3 lines"
        if terminal(tree, sid):
            continue
        for family, moves in FAMILIES.items():
            # A family is covered by its own pool, or by a pool for each of its moves.
            pools = [state.replies.get(family)] if family in state.replies else [state.replies.get(m) for m in moves]
            assert all(p and len(p) >= 3 for p in pools), f"{path.name}: state '{sid}' lacks 3 lines for {family}"


# ----------------------------------------------------------------------------- the personas


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_every_state_and_move_resolves_to_three_lines_for_this_persona(path):
    convo = Conversation(scenario(path))
    for state in convo.tree.states:
        assert convo.cue_for(state).strip()
        used_pools: dict[tuple, list[str]] = {}
        for move in MOVE_IDS:
            key, lines = convo.pool_for(state, move)
            assert len(lines) >= 3, f"{path.stem}: {state}/{move} resolves to {key} with {len(lines)} lines"
            used_pools[key] = lines
        # Lines are distinct across the pools a state can answer from, so two different
        # moves never get the very same words back in a row.
        seen: dict[str, tuple] = {}
        for key, lines in used_pools.items():
            for line in lines:
                assert line not in seen or seen[line] == key, f"{path.stem}: '{line}' is in {seen[line]} and {key}"
                seen[line] = key


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_persona_has_a_story_to_uncover_and_a_content_note_where_needed(path):
    persona = scenario(path).persona
    assert len(persona.beats) >= 6
    assert persona.skills, "name the lessons this client exercises"
    text = " ".join([persona.background, persona.summary, persona.presenting_concern,
                     *(b.text for b in persona.beats)])
    if SENSITIVE.search(text):
        assert persona.content_note.strip(), f"{path.stem} touches {SENSITIVE.search(text).group(0)!r}"
    # The last beats are kept for a trainee who listened well: they unlock only in
    # the tree's most open states.
    last = persona.beats[-1].unlock
    assert last.at_state and set(as_list(last.at_state)) <= most_open_states(scenario(path).tree)


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_persona_pools_are_used(path):
    """A persona's `default` pool is used only for moves the tree has no pool for, so in
    a tree that covers every family it would never be heard: write it per family."""
    sc = scenario(path)
    for state, pools in sc.persona.replies.items():
        if "default" in pools and not terminal(sc.tree, state):
            tree_keys = set(sc.tree.states[state].replies)
            assert not all(f in tree_keys for f in FAMILIES), f"{path.stem}: {state}.default is never used"


def test_personas_sharing_a_tree_differ_and_harder_ones_have_further_to_go():
    by_tree: dict[str, list] = {}
    for path in PERSONAS:
        by_tree.setdefault(scenario(path).tree.id, []).append(scenario(path))
    assert len(by_tree) >= 4
    for tree_id, group in by_tree.items():
        assert len(group) >= 2, f"tree {tree_id} serves only one persona"
        levels = {sc.persona.difficulty for sc in group}
        assert len(levels) >= 2, f"tree {tree_id} serves only {levels} clients"
        for a in group:
            for b in group:
                if a is b:
                    continue
                assert (a.persona.thresholds, a.persona.sensitivities, a.persona.rapport_start) != (
                    b.persona.thresholds, b.persona.sensitivities, b.persona.rapport_start)
                if DIFFICULTY[a.persona.difficulty] < DIFFICULTY[b.persona.difficulty]:
                    assert distance(a) < distance(b), f"{a.persona.id} is easier than {b.persona.id} but no closer"


def distance(sc) -> int:
    """How far the client's most open threshold lies from where they start."""
    convo = Conversation(sc)
    return max(convo.thresholds.values()) - convo.rapport


# ----------------------------------------------------------------------------- replaying

VARIED_WORDING = [
    "Hi, thanks for coming in.", "Okay.", "Right.", "I see.", "Did you sleep last night?",
    "Are you working at the moment?", "Is that hard?", "Mm.", "Sure.", "Got it.",
    "It sounds like a lot.", "You've had a hard time.", "That sounds tough.", "Okay, I hear you.",
]


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_no_reply_repeats_in_a_row_and_two_sessions_differ(path):
    sessions = []
    for seed, wording in ((1, VARIED_WORDING), (2, list(reversed(VARIED_WORDING)))):
        convo = Conversation(scenario(path), seed=seed)
        replies = []
        for said in wording:
            if convo.ended:
                break
            replies.append(convo.step(said).reply)
        for before, after in zip(replies, replies[1:]):
            assert before != after, f"{path.stem} said {after!r} twice in a row"
        sessions.append(replies)
    assert sessions[0] != sessions[1]


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_skilful_playtest_uncovers_every_beat_in_the_most_open_state(path):
    sc = scenario(path)
    skilful = playtest_results(path)[0]
    assert skilful.passed, [f.message for f in skilful.failures]
    told = [b.id for t in skilful.turns for b in t.beats]
    assert sorted(told) == sorted(b.id for b in sc.persona.beats)
    assert skilful.states & most_open_states(sc.tree)


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_playtests_cover_story_advice_repair_and_breach(path):
    tree = scenario(path).tree
    away = withdrawal_states(tree)
    results = playtest_results(path)

    def withdrew_after(move: str) -> bool:
        return any(t.primary == move and t.state in away and t.rapport < t.rapport_before
                   for r in results for t in r.turns)

    assert withdrew_after("self_focused_story"), "no script where the helper's own story makes them withdraw"
    assert withdrew_after("directive_advice"), "no script where advice makes them withdraw"
    repaired = any(
        any(t.state in away for t in r.turns)
        and not terminal(tree, r.turns[-1].state) and r.turns[-1].state not in away
        and r.turns[-1].rapport > min(t.rapport for t in r.turns)
        for r in results)
    assert repaired, "no script where the client withdraws and is won back"
    assert any(t.primary == "confidentiality_breach" and (t.ending == "left" or t.rapport_delta <= -30)
               for r in results for t in r.turns), "no script where a breach ends or costs heavily"
