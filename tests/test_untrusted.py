"""Untrusted files and odd input (issue 17): no traceback, no hang, nothing read from
outside a persona's library, no control character on a terminal or in an export, and
nothing practised without saving unnoticed. Each test fails without its fix."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine import Conversation
from simulator.moves.rules import LexiconError, load_lexicon
from simulator.safetext import json_safe, printable
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, shipped_dir
from simulator.store import Store, StoreError, write_private

ROOT = Path(__file__).resolve().parent.parent
MARCUS = (ROOT / "personas" / "marcus.yaml").read_text(encoding="utf-8")


def persona_with(tmp_path: Path, tree: str) -> Path:
    (tmp_path / "personas").mkdir(exist_ok=True)
    path = tmp_path / "personas" / "marcus.yaml"
    path.write_text(MARCUS.replace("tree: guarded", f"tree: {json.dumps(tree)}"), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- tree references
@pytest.mark.parametrize("ref", ["/dev/zero", "../../../../../../dev/zero", "/etc/passwd"])
def test_a_tree_reference_cannot_send_the_loader_to_a_device_or_a_system_file(tmp_path, ref):
    with pytest.raises(ScenarioError) as info:
        load_scenario(persona_with(tmp_path, ref))
    problem = info.value.problems[0]
    assert problem.line > 1 and "tree" in str(info.value)
    assert "root:" not in str(info.value)      # nothing of the file it named is echoed


def test_a_pipe_named_as_a_tree_is_refused_without_reading_it(tmp_path):
    (tmp_path / "dialogue_trees").mkdir()
    os.mkfifo(tmp_path / "dialogue_trees" / "pipe.yaml")
    with pytest.raises(ScenarioError) as info:      # reading a FIFO would wait for ever
        load_scenario(persona_with(tmp_path, "pipe"))
    assert "not a plain file" in str(info.value)


def test_validate_refuses_a_device_named_on_the_command_line(capsys):
    assert main(["validate", "/dev/zero"]) == 1
    assert "not a plain file" in capsys.readouterr().out


def test_a_tree_beside_the_persona_and_in_the_library_still_loads(tmp_path):
    (tmp_path / "dialogue_trees").mkdir()
    shipped = (shipped_dir("dialogue_trees") / "guarded.yaml").read_text(encoding="utf-8")
    (tmp_path / "dialogue_trees" / "mine.yaml").write_text(shipped.replace("id: guarded", "id: mine"),
                                                           encoding="utf-8")
    assert load_scenario(persona_with(tmp_path, "mine")).tree.id == "mine"
    assert load_scenario(persona_with(tmp_path, "../dialogue_trees/mine.yaml")).tree.id == "mine"
    assert load_scenario(persona_with(tmp_path, "guarded")).tree.id == "guarded"


# ----------------------------------------------------------------------------- numbers
def test_the_engine_cannot_overflow_whatever_the_file_says(tmp_path):
    # The largest effect and sensitivity the schema allows, on every move, for many turns.
    tree = (shipped_dir("dialogue_trees") / "guarded.yaml").read_text(encoding="utf-8")
    (tmp_path / "dialogue_trees").mkdir()
    big = tree.replace("  reflection: 7\n", "  reflection: 1000\n").replace(
        "rapport: {start: 20, min: 0, max: 100}", "rapport: {start: 1000, min: -1000, max: 1000}")
    (tmp_path / "dialogue_trees" / "big.yaml").write_text(big.replace("id: guarded", "id: big"), encoding="utf-8")
    path = persona_with(tmp_path, "big")
    path.write_text(path.read_text(encoding="utf-8").replace("judgment: 1.4", "judgment: 10\n  reflection: 10"),
                    encoding="utf-8")
    from simulator.moves import recognize

    convo = Conversation(load_scenario(path))
    for _ in range(20):
        turn = convo.step(recognize("It sounds like you're worn out."))
        assert -1000 <= turn.rapport <= 1000


# ----------------------------------------------------------------------------- output
def test_printable_removes_whole_escape_sequences_and_keeps_text():
    assert printable("a\x1b[2Jb\x1b]0;title\x07c\x00d\x85e\tf\ng") == "abcde\tf\ng"
    assert printable("José 😀 مرحبا") == "José 😀 مرحبا"
    assert json.loads(json_safe(json.dumps({"t": "x\x85\x9by"}, ensure_ascii=False)))["t"] == "x\x85\x9by"


def test_commands_never_print_raw_control_characters(tmp_path, capfd):
    script = tmp_path / "s.txt"
    script.write_text("Hi\x1b]0;pwned\x07 there\x1b[2J, thanks for coming in.\n", encoding="utf-8")
    assert main(["replay", "marcus", str(script)]) == 0
    out = capfd.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Hi there, thanks" in out


def test_exports_of_a_session_with_escapes_in_it_carry_none(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Hi\x1b[31m there\x9b, it sounds\x00 hard.\n"))
    assert main(["talk", "marcus", "--data-dir", str(tmp_path), "--json"]) == 0
    session = capsys.readouterr().out.rsplit('"saved": "', 1)[1].split('"', 1)[0]
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"x.{fmt}"
        assert main(["export", session, "--format", fmt, "--data-dir", str(tmp_path), "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x1b\x00\x9b"), fmt
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, fmt
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert "\x9b" in data["session"]["turns"][0]["trainee"]      # JSON keeps the text, escaped
    with Store(tmp_path) as store:                                # and the store keeps it as typed
        assert "\x1b[31m" in store.load_session(session).turns[0].trainee


# ----------------------------------------------------------------------------- classify and seeds
def test_classify_reports_a_deeply_nested_line_and_goes_on(monkeypatch, capsys):
    import io

    lines = ["[" * 100_000 + "]" * 100_000, json.dumps({"text": "So you feel stuck?"}), "{not json"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["classify", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 3
    assert out[0]["line"] == 1 and "nested too deeply" in out[0]["error"]
    assert out[1]["text"] == "So you feel stuck?" and "error" not in out[1]
    assert out[2]["line"] == 3 and out[2]["error"].startswith("not JSON")


def test_classify_with_workers_reports_deep_lines_too(monkeypatch, capfd, tmp_path):
    import subprocess
    import sys

    lines = [json.dumps({"text": f"What happened on day {i}?"}) for i in range(2500)]
    lines[2100] = "[" * 50_000
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PEERSIM_CLASSIFY_PROCESSES": "2"}
    with open(src, "rb") as fh:
        done = subprocess.run([sys.executable, "-m", "simulator", "classify", "--jsonl"], stdin=fh,
                              capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    out = done.stdout.decode().splitlines()
    assert len(out) == 2500 and "nested too deeply" in json.loads(out[2100])["error"]


def test_a_seed_of_any_size_gets_a_message_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as info:
        main(["replay", "marcus", "x.txt", "--seed", "9" * 40])
    assert info.value.code == 2
    assert "a seed is a whole number from 0 to" in capsys.readouterr().err


def test_bytes_that_are_not_utf8_on_stdin_do_not_crash_classify(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "simulator", "classify"], input=b"caf\xe9 \xff\xfe ok\nhi\n",
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert len(done.stdout.decode().splitlines()) == 2


# ----------------------------------------------------------------------------- site lexicons
@pytest.mark.parametrize("pattern", ["^(a+)+$", "(\\\\w+\\\\s?)+$", "(a|aa)+$"])
def test_a_site_lexicon_pattern_that_could_hang_is_refused_with_its_line(tmp_path, pattern):
    path = tmp_path / "site.yaml"
    path.write_text(f'rules:\n  - {{move: reflection, pattern: "so you", weight: 0.8}}\n'
                    f'  - {{move: judgment, pattern: "{pattern}", weight: 0.9}}\n', encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, use_env=False)
    assert "line 3, rule 2" in str(info.value) and "hang" in str(info.value)


def test_the_shipped_lexicon_passes_the_backtracking_check():
    assert load_lexicon(use_env=False).rules


# ----------------------------------------------------------------------------- the session file
def test_a_symlinked_session_file_is_refused(tmp_path):
    elsewhere = tmp_path / "theirs.sqlite3"
    elsewhere.write_bytes(b"")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sessions.sqlite3").symlink_to(elsewhere)
    with pytest.raises(StoreError, match="symbolic link"):
        Store(tmp_path / "data")


def test_an_existing_data_folder_is_tightened_to_owner_only(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Store(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_full_disk_is_reported_as_a_full_disk(tmp_path):
    store = Store(tmp_path)

    class FullDisk:
        in_transaction = False

        def execute(self, sql, params=()):
            if sql == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            if sql == "ROLLBACK":
                raise sqlite3.OperationalError("cannot rollback - no transaction is active")

    real, store._conn = store._conn, FullDisk()
    try:
        with pytest.raises(StoreError, match="the disk is full"):
            store._write([("INSERT INTO nothing VALUES (?)", (1,))])
    finally:
        store._conn = real
        store.close()


def test_private_files_are_owner_only_even_when_they_existed(tmp_path):
    path = tmp_path / "errors.log"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o644)
    write_private(path, "new\n", append=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text(encoding="utf-8") == "old\nnew\n"


def test_talk_refuses_a_turn_over_the_limit_instead_of_saving_it_cut(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("word " * 2000 + "\nIt sounds hard.\n"))
    assert main(["talk", "marcus", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "was not sent: a turn holds up to 4,000" in out
    session = out.rsplit("saved as session ", 1)[1].split(";", 1)[0]
    with Store(tmp_path) as store:
        assert [t.trainee for t in store.load_session(session).turns] == ["It sounds hard."]


def test_a_play_test_pasted_thousands_of_times_is_refused_with_its_limit(tmp_path, capsys):
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "marcus.yaml").write_text(MARCUS, encoding="utf-8")
    turns = "".join(f'      - "It sounds like week {i} was hard."\n' for i in range(5000))
    (tmp_path / "personas" / "marcus.test.yaml").write_text(
        f"tests:\n  - name: a long one\n    turns:\n{turns}", encoding="utf-8")
    assert main(["test", str(tmp_path / "personas")]) == 1
    shown = capsys.readouterr()
    assert "marcus.test.yaml:4:" in shown.out + shown.err and "at most 200" in shown.out + shown.err


@pytest.mark.parametrize("body", ["beats:\n" + "- a\n" * 480_000, "beats: [" + "a," * 900_000 + "a]\n",
                                  "beats: [" + "[[[[[[[[[[]]]]]]]]]]," * 95_000 + "[]]\n"],
                         ids=["block list", "flow list", "nested flow lists"])
def test_a_file_of_a_million_tiny_values_is_refused_with_the_limit(tmp_path, capsys, body):
    # Under the size limit, but libyaml would build a Python object for every value (seconds
    # and hundreds of MB) before the builder's count of expanded aliases saw them: counting
    # as they are built stops it near the limit, with a hint that fits a file with no aliases.
    path = tmp_path / "huge.yaml"
    path.write_text("id: huge\n" + body, encoding="utf-8")
    assert path.stat().st_size < 2_000_000
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert "more than 200,000 values" in out.out + out.err
    assert "alias" not in out.out + out.err


def test_a_topic_phrase_of_a_megabyte_is_refused_quickly_with_its_limit(tmp_path, capsys):
    # Fuzzing (seed 37) found a 1.6 MB phrase in `raised_by`: no other text was unbounded, and the
    # engine built a search pattern from it for every conversation lint replays (12 s of CPU).
    persona = (shipped_dir("personas") / "marcus.yaml").read_text(encoding="utf-8")
    huge = "surviv" + "{a: " * 300_000
    assert "raised_by: [" in persona
    persona = persona.replace("raised_by: [", f'raised_by: ["{huge}", ', 1)
    (tmp_path / "marcus.yaml").write_text(persona, encoding="utf-8")
    assert main(["lint", str(tmp_path / "marcus.yaml")]) == 1
    out = capsys.readouterr().out
    assert "raised_by" in out and "at most 200 characters" in out and "shorten it" in out


@pytest.mark.parametrize("field,value", [("initial", "s" * 5_000), ("to", "s" * 5_000)], ids=["initial", "to"])
def test_a_reference_longer_than_any_id_is_refused_with_its_limit(tmp_path, capsys, field, value):
    tree = (shipped_dir("dialogue_trees") / "guarded.yaml").read_text(encoding="utf-8")
    import re as _re

    tree = _re.sub(rf"(?m)^(\s*-?\s*{field}:) *\S+", lambda m: f"{m.group(1)} {value}", tree, count=1)
    path = tmp_path / "dialogue_trees" / "guarded.yaml"
    path.parent.mkdir()
    path.write_text(tree, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "at most 64 characters" in out


# ----------------------------------------------------------------------------- rules per state
def _guarded_with_rules(tmp_path: Path, rules: str) -> Path:
    tree = (shipped_dir("dialogue_trees") / "guarded.yaml").read_text(encoding="utf-8")
    assert "\ntransitions:\n" in tree
    (tmp_path / "dialogue_trees").mkdir(exist_ok=True)
    (tmp_path / "dialogue_trees" / "many.yaml").write_text(
        tree.replace("id: guarded", "id: many").replace("\ntransitions:\n", "\ntransitions:\n" + rules, 1),
        encoding="utf-8")
    return persona_with(tmp_path, "many")


@pytest.mark.parametrize("source", ["any", "[any]"], ids=["any", "a list holding any"])
def test_a_rule_repeated_thousands_of_times_is_refused_with_its_line(tmp_path, capsys, source):
    # Fuzzing (seed 41, file 3808) found a six-move `from: any` rule repeated 5,000 times: every
    # play-test declared 90,000 transitions to `transitions` (9 s of CPU for `test`).
    rule = "  - move: [reflection, open_question, affirmation, summary, closed_question, judgment]\n" \
           f"    from: {source}\n    to: shut_down\n    when: {{rapport_at_most: 5}}\n"
    path = _guarded_with_rules(tmp_path, rule * 5_000)
    assert main(["validate", str(path), str(tmp_path / "dialogue_trees")]) == 1
    out = capsys.readouterr().out
    assert "many.yaml:" in out and "rules say `from: any`, so that many can be tried in every state" in out
    assert "the most is 500" in out and "remove repeated rules" in out
    assert out.count("the most is 500") == 1          # said once, not once per state
    assert main(["test", str(tmp_path / "personas")]) == 1


def test_every_state_over_the_rule_limit_is_named(tmp_path, capsys):
    # Two states with too many rules of their own: each is named, at its own first rule past the limit.
    one = "  - move: judgment\n    from: guarded\n    to: shut_down\n    when: {rapport_at_most: 5}\n"
    two = "  - move: judgment\n    from: warming\n    to: shut_down\n    when: {rapport_at_most: 5}\n"
    path = _guarded_with_rules(tmp_path, one * 501 + two * 501)
    assert main(["validate", str(path), str(tmp_path / "dialogue_trees")]) == 1
    out = capsys.readouterr().out
    assert "in the state 'guarded'" in out and "in the state 'warming'" in out
    lines = {line.split(":")[1] for line in out.splitlines() if "the most is 500" in line}
    assert len(lines) == 2                          # two places, one per state


def test_a_state_at_the_rule_limit_declares_only_the_moves_made_there(tmp_path):
    # At the limit every rule names every move: wiring a state's rules for all seventeen moves at
    # once would declare 8,500 transitions per state reached; only the move made is needed.
    rule = "  - move: any\n    from: any\n    to: shut_down\n    when: {rapport_at_most: -500}\n"
    scenario = load_scenario(_guarded_with_rules(tmp_path, rule * 450))
    from simulator.moves import recognize

    convo = Conversation(scenario)
    for text in ["It sounds like this week has worn you down.", "What has that been like for you?",
                 "It makes sense that you'd be careful with me."]:
        convo.step(recognize(text))
    declared = sum(len(ts) for event in convo._machine.events.values() for ts in event.transitions.values())
    assert declared <= 3 * (450 + 30)
    assert convo.state != "shut_down"
