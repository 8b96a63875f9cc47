"""`peersim test`: play-test files pass and fail with file:line, and coverage says what no test reached."""

import json
import shutil
from pathlib import Path

from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "authoring" / "playtests"


def test_pass_and_fail_are_reported_with_the_line_of_the_failed_expectation(capsys):
    assert main(["test", str(FIXTURES / "june.test.yaml")]) == 1
    out = capsys.readouterr().out
    assert "PASS  a breach of confidentiality ends the session" in out
    assert "FAIL  a greeting alone does not open her up" in out
    # Line 11 of june.test.yaml is the test's `expect:`; both of its failed expectations are named.
    assert "june.test.yaml:11: at the end: expected state open, got guarded" in out
    assert "june.test.yaml:11: at the end: expected beat 'first' to be told" in out
    assert "2 play-tests: 1 passed, 1 failed" in out


def test_all_passing_exits_zero(tmp_path, capsys):
    shutil.copy(FIXTURES / "june.yaml", tmp_path / "june.yaml")
    text = (FIXTURES / "june.test.yaml").read_text(encoding="utf-8")
    (tmp_path / "june.test.yaml").write_text(text.replace("state: open, beats: [first]", "state: guarded"),
                                             encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 0
    assert "2 play-tests: 2 passed, 0 failed" in capsys.readouterr().out


def test_a_persona_file_runs_the_play_tests_beside_it(capsys):
    assert main(["test", str(FIXTURES / "june.yaml"), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [t["passed"] for f in data["files"] for t in f["tests"]] == [True, False]
    failure = data["files"][0]["tests"][1]["failures"][0]
    assert failure["line"] == 11 and failure["turn"] == 0


def test_coverage_lists_what_no_test_reached(capsys):
    main(["test", str(FIXTURES), "--coverage", "--json"])
    cov = json.loads(capsys.readouterr().out)["coverage"]
    tree = next(t for t in cov["trees"] if t["tree"] == "guarded")
    assert tree["states"]["reached"] == ["guarded", "left"]
    assert "warming" in tree["states"]["not_reached"] and "plan_agreed" in tree["states"]["not_reached"]
    assert tree["transitions"]["taken"] == [1]  # the breach rule, and nothing else
    assert len(tree["transitions"]["not_taken"]) == tree["transitions"]["total"] - 1
    assert 1 <= tree["reply_lines"]["used"] < tree["reply_lines"]["total"]
    persona = cov["personas"][0]
    assert persona["persona"] == "june" and persona["beats"]["not_told"] == ["first"]
    # The greeting in the guarded state came from June's own 'social' pool.
    assert persona["reply_lines"] == {"total": 3, "used": 1}


def test_coverage_report_names_file_and_line_of_what_was_missed(capsys):
    main(["test", str(FIXTURES), "--coverage"])
    out = capsys.readouterr().out
    assert "coverage (what the play-tests reached):" in out
    assert "states       2 of 8 (25%)" in out
    assert "not reached: warming  (" in out and "guarded.yaml:" in out
    assert "never taken: T14 open -> plan_agreed on collaboration" in out
    assert "never told: first  (" in out and "june.yaml:10)" in out


def test_missing_files_and_folders_without_tests_fail(tmp_path, capsys):
    assert main(["test", str(tmp_path / "nope.test.yaml")]) == 1
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "file not found" in out and "no play-test files" in out


def test_a_broken_play_test_file_names_its_line(tmp_path, capsys):
    shutil.copy(FIXTURES / "june.yaml", tmp_path / "june.yaml")
    (tmp_path / "june.test.yaml").write_text("tests:\n  - name: x\n    turns: [hi]\n    expct: {ended: false}\n",
                                             encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    assert "june.test.yaml:4:5: error: unknown field 'expct'" in capsys.readouterr().out


def test_a_misspelt_name_in_an_expectation_is_named_with_a_suggestion(tmp_path, capsys):
    # `state_not: warmign` would otherwise always hold, and `state: warmign` only fail as "got guarded".
    shutil.copy(FIXTURES / "june.yaml", tmp_path / "june.yaml")
    (tmp_path / "june.test.yaml").write_text(
        "tests:\n  - name: x\n    turns:\n      - say: hi\n        expect: {state_not: warmign, primary: greting}\n"
        "    expect: {beats_not: [frist], ending: lefts}\n", encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "june.test.yaml:5:29: error: unknown state 'warmign'\n    fix: did you mean 'warming'?" in out
    assert "june.test.yaml:5:47: error: unknown move 'greting'\n    fix: did you mean 'greeting'?" in out
    assert "june.test.yaml:6:26: error: unknown beat 'frist'\n    fix: did you mean 'first'?" in out
    assert "june.test.yaml:6:42: error: unknown ending 'lefts'" in out
    assert "0 play-tests" in out


def test_validate_and_lint_check_a_play_test_file_named_to_them(tmp_path, capsys):
    # `validate` used to read a play-test as a persona (nine "missing field" errors);
    # both now check it as a play-test, names included.
    shutil.copy(FIXTURES / "june.yaml", tmp_path / "june.yaml")
    path = tmp_path / "june.test.yaml"
    path.write_text("tests:\n  - name: x\n    turns: [hi]\n    expect: {state: gaurded}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert main(["lint", str(path)]) == 1
    out = capsys.readouterr().out
    assert "june.test.yaml:4:21: error: unknown state 'gaurded'" in out
    assert "june.test.yaml:4:21: error PS0003: unknown state 'gaurded'" in out
    assert "missing required field" not in out
    path.write_text("tests:\n  - name: x\n    turns: [hi]\n    expect: {state: guarded}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0 and main(["lint", str(path)]) == 0


def test_a_play_test_without_its_persona_says_where_it_looked(tmp_path, capsys):
    (tmp_path / "ghost.test.yaml").write_text("tests:\n  - name: x\n    turns: [hi]\n", encoding="utf-8")
    (tmp_path / "typo.test.yaml").write_text("persona: marcsu\ntests:\n  - name: x\n    turns: [hi]\n",
                                              encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"ghost.test.yaml:1:1: error: no persona 'ghost' to test: there is no {tmp_path / 'ghost.yaml'}" in out
    assert "typo.test.yaml:1:10: error: no persona 'marcsu' to test" in out and "did you mean 'marcus'?" in out
    assert "`peersim new persona ghost`" in out


def test_new_test_for_a_persona_not_written_yet_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "test", "nobody"]) == 0
    out = capsys.readouterr().out
    assert "wrote nobody.test.yaml" in out and "note: no persona 'nobody' to test" in out
    assert main(["new", "test", "marcus", "--dir", "other"]) == 0
    assert "note:" not in capsys.readouterr().out


def test_a_test_with_no_turns_says_the_list_is_empty(tmp_path, capsys):
    shutil.copy(FIXTURES / "june.yaml", tmp_path / "june.yaml")
    (tmp_path / "june.test.yaml").write_text("tests:\n  - name: x\n    turns: []\n", encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ("june.test.yaml:3:12: error: tests > item 1 > turns: expected at least one item, "
            "but found an empty list") in out
    assert "fix: add at least one item" in out
