"""Silent traps: files that pass `validate` and the schema, yet show a trainee something
broken. `peersim lint` names each one (PS0050-PS0054), and `peersim new` no longer writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.toolkit.lint import lint_paths
from simulator.scenario.folders import validate_paths
from simulator.scenario.loader import load_scenario, shipped_dir
from tests.test_loader import MINI_PERSONA, MINI_TREE


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _lint(tmp_path: Path, tree: str = MINI_TREE, persona: str = MINI_PERSONA) -> list:
    (tmp_path / "dialogue_trees").mkdir(exist_ok=True)
    (tmp_path / "personas").mkdir(exist_ok=True)
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(tree, encoding="utf-8")
    (tmp_path / "personas" / "mini-client.yaml").write_text(persona, encoding="utf-8")
    _, checked = validate_paths([tmp_path])
    assert not [p for p in checked if p.severity == "error"], [str(p) for p in checked]   # it passes validate
    return lint_paths([tmp_path])[1]


def _codes(problems: list, code: str) -> list:
    return [p for p in problems if p.code == code]


def test_text_cut_by_a_comment_is_named_with_what_the_trainee_would_see(tmp_path):
    tree = _swap(MINI_TREE, '      default: ["Yes.", "Go on."]',
                 '      default:\n        - I was driver #1 on the number 12\n        - "Quoted #2 is fine."\n        - Okay.')
    (found,) = _codes(_lint(tmp_path, tree), "PS0050")
    assert found.line == 16 and found.column == 24    # at the '#'
    assert "\"I was driver\"" in found.message and "double quotes" in found.hint


@pytest.mark.parametrize("written", ["${wife", "$wife", "{{wife}}", "${ wife }"])
def test_a_placeholder_written_another_way_is_named(tmp_path, written):
    persona = _swap(MINI_PERSONA, 'opening_line: "Hi."', f'opening_line: "Hi. My {written} sent me."\nvalues: {{wife: Ann}}')
    found = _codes(_lint(tmp_path, persona=persona), "PS0051")
    assert len(found) == 1 and written in found[0].message and found[0].line == 5
    assert "${wife}" in found[0].hint


def test_money_and_real_placeholders_are_not_traps(tmp_path):
    persona = _swap(MINI_PERSONA, 'opening_line: "Hi."', 'opening_line: "Hi ${name}, it cost $5."')
    assert not _codes(_lint(tmp_path, persona=persona), "PS0051")


def test_a_value_holding_a_placeholder_is_named(tmp_path):
    persona = _swap(MINI_PERSONA, 'opening_line: "Hi."', 'opening_line: "Hi. ${wife} sent me."\n'
                                                         'values: {wife: "${name}\'s wife"}')
    (found,) = _codes(_lint(tmp_path, persona=persona), "PS0052")
    assert "wife" in found.message and found.line == 6


SECRET_TREE = _swap(MINI_TREE, "transitions:\n", """\
  open:
    cue: looks up
    replies:
      default: ["Okay.", "Right.", "Mm."]
transitions:
  - move: reflection
    from: warming
    to: open
    when: {beat_revealed: secret}
""")


def test_a_state_waiting_for_a_beat_that_comes_out_only_there_is_named(tmp_path):
    persona = MINI_PERSONA + "  - id: secret\n    text: \"I never told anyone.\"\n    unlock: {at_state: open}\n"
    (found,) = _codes(_lint(tmp_path, SECRET_TREE, persona), "PS0053")
    assert "'open'" in found.message and "transition 1" in found.message and "secret" in found.message
    # The same tree with the beat coming out earlier: no finding.
    earlier = persona.replace("unlock: {at_state: open}", "unlock: {at_state: warming}")
    assert not _codes(_lint(tmp_path, SECRET_TREE, earlier), "PS0053")


TRAP_TREE = _swap(MINI_TREE, "transitions:\n", """\
  withdrawn:
    cue: turns away
    replies:
      default: ["Whatever.", "Fine.", "Sure."]
  left:
    ending: left
    cue: leaves
    replies:
      default: ["I'm going."]
transitions:
  - move: directive_advice
    from: calm
    to: withdrawn
  - move: directive_advice
    from: warming
    to: calm
  - move: any
    from: any
    to: left
    when: {rapport_at_most: 5}
""")


def test_a_state_whose_every_way_on_ends_the_session_is_a_trap(tmp_path):
    found = _lint(tmp_path, TRAP_TREE)
    assert not _codes(found, "PS0011")      # the any-state rule hides it from "no way out"
    (trap,) = _codes(found, "PS0054")
    assert "'withdrawn'" in trap.message and "left" in trap.message and trap.line == 16
    fixed = TRAP_TREE + "  - move: reflection\n    from: withdrawn\n    to: calm\n"
    assert not _codes(_lint(tmp_path, fixed), "PS0054")


def test_the_shipped_files_have_no_traps():
    _, found = lint_paths([shipped_dir("personas"), shipped_dir("dialogue_trees")])
    assert not [str(p) for p in found if p.code in {"PS0050", "PS0051", "PS0052", "PS0053", "PS0054"}]


def test_new_persona_on_a_tree_with_beats_writes_the_beats_it_needs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dialogue_trees").mkdir()
    (tmp_path / "personas").mkdir()
    (tmp_path / "dialogue_trees" / "secret.yaml").write_text(SECRET_TREE.replace("id: mini", "id: secret"),
                                                             encoding="utf-8")
    assert main(["new", "persona", "Kim", "--tree", "secret"]) == 0, capsys.readouterr().err
    scenario = load_scenario(tmp_path / "personas" / "kim.yaml")
    assert "secret" in [b.id for b in scenario.persona.beats]
    assert "beat_revealed: secret" in (tmp_path / "personas" / "kim.yaml").read_text(encoding="utf-8")


def test_new_persona_with_a_number_for_a_name_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "persona", "123"]) == 0, capsys.readouterr().err
    assert load_scenario(tmp_path / "123.yaml").persona.id == "123"
    assert main(["new", "tree", "2024"]) == 0 and main(["new", "test", "123"]) == 0


# ------------------------------------------------------------------------- behaviour checks
HARSH_TREE = _swap(MINI_TREE, "transitions:\n", """\
  left:
    ending: left
    cue: leaves
    replies:
      default: ["I'm going."]
  agreed:
    ending: plan
    cue: nods
    replies:
      default: ["Okay."]
transitions:
  - move: any
    from: any
    to: left
    when: {rapport_at_most: 5}
  - move: collaboration
    from: warming
    to: agreed
""")
HARSH_TREE = _swap(HARSH_TREE, "  reflection: 5\n", "  reflection: 5\n  directive_advice: -10\n")
HARSH_TREE = _swap(HARSH_TREE, "thresholds: {warm: 40}", "rapport: {start: 12, min: 0, max: 100}\nthresholds: {warm: 20}")


def test_one_advice_on_turn_1_that_ends_the_session_is_caught_with_its_rule(tmp_path):
    (found,) = _codes(_lint(tmp_path, HARSH_TREE), "PS0061")
    assert "directive advice on turn 1 ends the session" in found.message
    assert "transition 1 (mini.yaml:" in found.message and found.file.endswith("mini-client.yaml")
    gentler = HARSH_TREE.replace("start: 12", "start: 30")
    assert not _codes(_lint(tmp_path, gentler), "PS0061")


def test_listening_that_never_warms_and_a_plan_never_reached_are_caught(tmp_path):
    cold = MINI_PERSONA.replace("tree: mini", "tree: mini\nsensitivities: {reflection: 0, summary: 0, affirmation: 0}")
    tree = HARSH_TREE.replace("start: 12", "start: 30").replace(
        "    from: warming\n    to: agreed\n", "    from: warming\n    to: agreed\n    when: {rapport_at_least: 60}\n")
    found = _lint(tmp_path, tree, cold)
    assert "leave Robin at rapport 30 (from 30)" in _codes(found, "PS0060")[0].message
    assert "never reach a plan" in _codes(found, "PS0062")[0].message
    warm = _lint(tmp_path, tree)
    assert not _codes(warm, "PS0060") and not _codes(warm, "PS0062")
