"""A tree's rules are read once into one index, and each condition is stated once in its
table: the engine, lint, the graph and the why pane all read the same two."""

from __future__ import annotations

import yaml

from simulator.moves.taxonomy import MOVE_IDS
from simulator.scenario.conditions import CONDITIONS, describe, given
from simulator.toolkit.graph import edges_of
from simulator.scenario.rules import rules_of
from simulator.scenario.schema import Conditions, Tree
from simulator.tui.author import near_misses
from tests.test_engine import LAB_TREE, lab, play, said

RULES = """\
  - {move: information, from: any, to: other}
  - {move: [reflection, summary, reflection], from: [start, moved, start], to: moved, when: {rapport_at_least: high}}
  - {move: any, from: start, to: left, when: {rapport_at_most: gone}}
  - {move: summary, from: other, to: start, note: back again}
"""


def lab_tree(rules: str = RULES) -> Tree:
    return Tree.model_validate(yaml.safe_load(LAB_TREE + rules))


def test_every_condition_of_the_schema_has_one_entry_in_the_table():
    # Adding a condition to the schema without saying how it is checked, worded and
    # contradicted fails here; so does an entry left behind for a condition removed.
    assert list(CONDITIONS) == list(Conditions.model_fields)
    assert all(entry.holds and entry.words for entry in CONDITIONS.values())


def test_the_rules_leaving_a_state_are_its_own_and_the_any_rules_in_file_order():
    index = rules_of(lab_tree())
    assert [r.number for r in index.leaving("start")] == [1, 2, 3]
    assert [r.number for r in index.leaving("other")] == [1, 4]
    assert [r.number for r in index.leaving("moved")] == [1, 2]
    assert index.leaving("no such state") == ()
    first, second, third, _ = index.rules
    assert first.any_source and first.sources == ("start", "other", "moved", "left")
    assert second.moves == ("reflection", "summary") and second.sources == ("start", "moved")
    assert third.any_move and third.moves == MOVE_IDS and third.move_words == "any move"
    assert index.endings == {"left"}


def test_the_index_is_built_once_for_each_tree():
    tree = lab_tree()
    assert rules_of(tree) is rules_of(tree)
    assert rules_of(lab_tree()) is not rules_of(tree)


def test_the_engine_fires_the_rules_of_the_index(tmp_path):
    convo = lab(tmp_path, RULES, "thresholds: {high: 55}\n")
    assert convo.rules is rules_of(convo.tree)
    turns = play(convo, "reflection", "information", "summary")
    assert [t.state for t in turns] == ["moved", "other", "start"]
    assert [t.transition.index + 1 for t in turns] == [2, 1, 4]
    assert turns[-1].transition.note == "back again"


def test_the_graph_and_the_why_pane_word_a_condition_as_the_table_does(tmp_path):
    convo = lab(tmp_path, RULES)
    second = rules_of(convo.tree).rules[1]
    words = describe(second.when, convo.thresholds)
    assert words == ["rapport ≥ high (60)"]
    assert [e.conditions for e in edges_of(convo.tree) if e.number == 2] == [tuple(words)] * 2
    # Rapport 55 after one reflection: rule 2 is tried and fails on its one condition.
    turn = convo.step(said("reflection"))
    assert turn.state == "start"
    assert near_misses(convo, turn)[0] == "         T2 -> moved needs rapport ≥ high (60)"


def test_each_condition_is_checked_once_by_its_entry(tmp_path):
    convo = lab(tmp_path, RULES)
    when = Conditions.model_validate({"turn_at_least": 2, "rapport_at_least": "low"})
    assert [name for name, _, _ in given(when)] == ["rapport_at_least", "turn_at_least"]
    assert not convo.holds(when)          # turn 0
    play(convo, "other", "other")
    assert convo.holds(when)
    assert not CONDITIONS["turn_at_most"].holds(convo, 1)
