"""Plain hints for YAML slips: an indentation two spaces off, a character pasted from a word
processor, a file of the other kind; each named where it is, with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, load_tree, shipped_dir
from tests.test_loader import MINI_PERSONA, MINI_TREE


def _problems(tmp_path: Path, kind: str, text: str) -> list:
    (tmp_path / "dialogue_trees").mkdir(exist_ok=True)
    (tmp_path / "personas").mkdir(exist_ok=True)
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(MINI_TREE, encoding="utf-8")
    path = tmp_path / ("dialogue_trees/broken.yaml" if kind == "tree" else "personas/mini-client.yaml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_tree(path) if kind == "tree" else load_scenario(path)
    return info.value.problems


def test_a_key_indented_two_spaces_too_far_is_named_not_quoted(tmp_path):
    text = MINI_TREE.replace("    replies:\n      default: [\"Hm.\"", "      replies:\n      default: [\"Hm.\"", 1)
    (problem,) = _problems(tmp_path, "tree", text)
    assert (problem.line, problem.column) == (10, 1)
    assert "line 10 is indented 6 spaces; the line above uses 4" in problem.message
    assert "double quotes" not in problem.hint


def test_a_line_indented_two_spaces_short_is_named_with_its_neighbours(tmp_path):
    text = MINI_TREE.replace('      default: ["Yes.", "Go on."]',
                             '      default: ["Yes.", "Go on."]\n      listening: ["Mm."]\n     questioning: ["Hm."]', 1)
    (problem,) = _problems(tmp_path, "tree", text)
    assert problem.line == 17 and "line 17 is indented 5 spaces; the lines around it use 6" in problem.message
    assert "indent it 6 spaces" in problem.hint


@pytest.mark.parametrize("char, name, fix", [
    ("\u201c", "curly opening double quote", 'type "'),
    ("\u00a0", "non-breaking space", "plain space"),
    ("\u200b", "zero-width space", "delete it"),
])
def test_a_pasted_character_is_named_with_its_column(tmp_path, char, name, fix):
    if char == "\u201c":
        text = MINI_PERSONA.replace('opening_line: "Hi."', "opening_line: \u201cHi: there\u201d")
    else:
        text = MINI_PERSONA.replace("\nname: Robin", f"\nna{char}me: Robin")
    problems = _problems(tmp_path, "persona", text)
    named = [p for p in problems if name in p.message]
    assert named, [str(p) for p in problems]
    column = 15 if char == "\u201c" else 3
    line = 5 if char == "\u201c" else 2
    assert (named[0].line, named[0].column) == (line, column) and f"column {column}" in named[0].message
    assert fix in named[0].hint


def test_a_persona_saved_as_a_tree_is_recognised_by_its_fields(tmp_path):
    (problem,) = _problems(tmp_path, "tree", (shipped_dir("personas") / "dana.yaml").read_text(encoding="utf-8"))
    assert "looks like a persona" in problem.message and "personas/" in problem.hint
    (problem,) = _problems(tmp_path, "persona", MINI_TREE)
    assert "looks like a dialogue tree" in problem.message


def test_peersim_test_finds_the_play_tests_of_a_yml_persona(tmp_path, capsys):
    (tmp_path / "dialogue_trees").mkdir()
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(MINI_TREE, encoding="utf-8")
    (tmp_path / "mini-client.yml").write_text(MINI_PERSONA.replace("tree: mini", "tree: dialogue_trees/mini.yaml"),
                                              encoding="utf-8")
    (tmp_path / "mini-client.test.yml").write_text(
        "tests:\n  - name: a reflection warms\n    turns:\n      - say: \"It sounds like a lot.\"\n", encoding="utf-8")
    assert main(["test", str(tmp_path / "mini-client.yml")]) == 0, capsys.readouterr()
    assert "1 passed" in capsys.readouterr().out


@pytest.mark.parametrize("turn, form", [
    ("      - I hear you: that sounds hard\n", '- "I hear you: that sounds hard"'),
    ("      - So it's like this: you're \"done\"\n        expect: {ended: false}\n",
     '- say: "So it\'s like this: you\'re \\"done\\""'),
])
def test_an_unquoted_colon_in_a_play_test_turn_is_named_with_its_quoted_form(tmp_path, capsys, turn, form):
    (tmp_path / "dialogue_trees").mkdir()
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(MINI_TREE, encoding="utf-8")
    (tmp_path / "mini-client.yaml").write_text(MINI_PERSONA.replace("tree: mini", "tree: dialogue_trees/mini.yaml"),
                                               encoding="utf-8")
    test = tmp_path / "mini-client.test.yaml"
    test.write_text("tests:\n  - name: listening\n    turns:\n      - \"Hi.\"\n" + turn, encoding="utf-8")
    assert main(["test", str(test)]) == 1
    err = "".join(capsys.readouterr())
    said = turn.strip().split("\n")[0][2:]
    assert f"{test}:5:9:" in err and f"turn 2 of 'listening': YAML read `{said}` as a field named" in err
    assert "': '" in err and f"fix: put the whole turn in double quotes: {form}" in err
    assert "missing required field 'say'" not in err
    # Written the way the hint says, the file passes.
    test.write_text(test.read_text(encoding="utf-8").replace(turn.split("\n")[0], "      " + form), encoding="utf-8")
    assert main(["test", str(test)]) == 0, capsys.readouterr()
