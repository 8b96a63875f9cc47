"""State kinds are stated in the tree (`kind:`), not guessed from state ids: the scoring, the
debrief and the coach read them; a trainer's older tree without them still works, and lint
says gently which kinds it guessed (PS0013)."""

from __future__ import annotations

import json
from pathlib import Path

from debrief_helpers import make_log

from simulator.cli import main
from simulator.debrief import debrief
from simulator.scoring import lesson_scores, withdrawal_triggers
from simulator.scenario.kinds import guess_kind, state_kind_of, tree_kinds
from simulator.toolkit.lint import lint_paths
from simulator.scenario.loader import load_scenario, load_tree, shipped_tree_paths
from simulator.scenario.schema import STATE_KINDS

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_state_says_its_kind():
    for path in shipped_tree_paths():
        tree, _ = load_tree(path)
        unsaid = [sid for sid, state in tree.states.items() if state.kind is None]
        assert unsaid == [], f"{path.name}: {unsaid}"


def test_peersim_schema_lists_the_kind_of_a_state(capsys):
    assert main(["schema", "tree"]) == 0
    state = json.loads(capsys.readouterr().out)["$defs"]["State"]["properties"]
    (choices,) = [option["enum"] for option in state["kind"]["anyOf"] if "enum" in option]
    assert choices == list(STATE_KINDS)


def write_tree(folder: Path, kind_line: str = "") -> Path:
    """A tree whose second state's id ('hush') says nothing of its kind."""
    path = folder / "quiet.yaml"
    path.write_text(f"""id: quiet
title: Quiet client
initial: talking
effects: {{reflection: 5, judgment: -30}}
states:
  talking:
    kind: opening
    cue: talks
    replies: {{default: ["Yes.", "Mm.", "Go on."]}}
  hush:
    {kind_line or "cue: looks away"}
    {"cue: looks away" if kind_line else ""}
    replies: {{default: ["...", "Nothing.", "Fine."]}}
transitions:
  - {{move: judgment, from: talking, to: hush}}
  - {{move: reflection, from: hush, to: talking}}
""", encoding="utf-8")
    return path


def test_a_stated_kind_is_used_and_a_missing_one_is_guessed(tmp_path):
    guessed, _ = load_tree(write_tree(tmp_path))
    assert state_kind_of(guessed, "hush") == guess_kind("hush") == "default"
    (tmp_path / "stated").mkdir()
    stated, _ = load_tree(write_tree(tmp_path / "stated", "kind: withdrawn"))
    assert state_kind_of(stated, "hush") == "withdrawn" and tree_kinds(stated) == {"talking": "opening",
                                                                            "hush": "withdrawn"}


def judged_after_good_questions():
    """Four open questions, then a judging remark that sends the client quiet into 'hush'
    without costing rapport: only the state's kind can say the client pulled back."""
    asks = {"parts": [("open_question", "What has it been like?")], "state": "talking"}
    judged = {"parts": [("judgment", "That was a dumb thing to do.")], "state": "hush", "effect": 0}
    return make_log([asks] * 4 + [judged], start_state="talking")


def test_the_scoring_reads_withdrawal_from_the_tree(tmp_path):
    """With `kind: withdrawn`, the client pulled back and stayed back, so the lesson the remark
    broke is capped at 50; read from the id 'hush' (default), it is not."""
    kinds = tree_kinds(load_tree(write_tree(tmp_path, "kind: withdrawn"))[0])
    log = judged_after_good_questions()
    stated, guessed = lesson_scores(log, kinds=kinds), lesson_scores(log)
    assert stated["autonomy"].score == 50 and stated["autonomy"].capped
    assert guessed["autonomy"].score > 50 and not guessed["autonomy"].capped
    assert withdrawal_triggers(log, kinds) == {"judgment": 1} and withdrawal_triggers(log) == {}


def test_the_debrief_uses_the_tree_it_is_given(tmp_path):
    (tmp_path / "personas").mkdir()
    (tmp_path / "dialogue_trees").mkdir()
    write_tree(tmp_path / "dialogue_trees", "kind: withdrawn")
    path = tmp_path / "personas" / "robin.yaml"
    path.write_text("id: robin\nname: Robin\nsummary: a quiet client\nbackground: Robin keeps to himself.\n"
                    "opening_line: Hi.\ndifficulty: easy\ntree: quiet\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.tree.id == "quiet"
    d = debrief(judged_after_good_questions(), scenario)
    assert d.withdrawal_triggers == {"judgment": 1} and d.lesson_details["autonomy"].capped


def test_lint_says_once_which_kinds_it_guessed(tmp_path):
    path = write_tree(tmp_path)
    notes = [p for p in lint_paths([path])[1] if p.code == "PS0013"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "1 state has no `kind:`" in notes[0].message and "hush (default)" in notes[0].message
    stated = write_tree(tmp_path, "kind: withdrawn")
    assert not [p for p in lint_paths([stated])[1] if p.code == "PS0013"]


def test_a_kind_that_does_not_exist_is_refused_with_the_choices(tmp_path, capsys):
    path = write_tree(tmp_path, "kind: sulking")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr()
    said = err.out + err.err
    assert "kind" in said and "withdrawn" in said


def test_a_new_tree_from_the_template_says_every_kind(tmp_path, monkeypatch):
    (tmp_path / "dialogue_trees").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["new", "tree", "Quiet"]) == 0
    path = tmp_path / "dialogue_trees" / "quiet.yaml"
    tree, _ = load_tree(path)
    assert all(state.kind for state in tree.states.values())
    assert not [p for p in lint_paths([path])[1] if p.code == "PS0013"]


def test_a_client_taking_it_back_is_read_as_pulling_back_with_the_tree_or_without():
    # The testing tree's 'retreating' ("Took it back; jokes and 'forget I said anything'"):
    # the live debrief reads its `kind:`, a report of a bundle from another computer reads the
    # id; both must say the judging remark sent the client back.
    kinds = tree_kinds(load_tree(ROOT / "dialogue_trees" / "testing.yaml")[0])
    asks = {"parts": [("open_question", "What has it been like?")], "state": "trusting"}
    judged = {"parts": [("judgment", "That was a dumb thing to do.")], "state": "retreating", "effect": 0}
    log = make_log([asks] * 4 + [judged], start_state="trusting")
    assert withdrawal_triggers(log, kinds) == {"judgment": 1} == withdrawal_triggers(log)


def test_the_testing_clients_states_get_the_suggestions_of_what_they_stand_for():
    # Advice while the client is still sizing the helper up calls for backing their own choice
    # (guarded), not for the default's collaboration; once they have told the secret and are
    # opening up, the default holds.
    from simulator.debrief.library import needed_move

    kinds = tree_kinds(load_tree(ROOT / "dialogue_trees" / "testing.yaml")[0])
    advice = make_log([{"parts": [("directive_advice", "You should just tell them.")]}]).turns[0]
    assert needed_move(advice, kinds["sizing_up"]) == "autonomy_support"
    assert needed_move(advice, kinds["reassured"]) == "autonomy_support"
    assert {kinds[s] for s in ("trusting", "unburdening", "hopeful")} == {"opening"}
