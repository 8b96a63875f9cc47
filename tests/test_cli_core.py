"""The headless commands keep the exact shapes other tools rely on: list, classify,
replay, validate, schema. Run in-process (`simulator.cli.main`) where that is enough,
and through `python -m simulator` where the real process matters."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.moves.taxonomy import MOVE_IDS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | bytes = "", cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m simulator ARGS` as a user would run it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    binary = isinstance(stdin, bytes)
    return subprocess.run([sys.executable, "-m", "simulator", *args], input=stdin, capture_output=True,
                          text=not binary, cwd=cwd, env=env, timeout=120)


def call(argv: list[str], capsys, monkeypatch, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def check_reading(record: dict) -> None:
    assert isinstance(record["text"], str)
    assert record["primary"] in MOVE_IDS
    assert isinstance(record["confidence"], (int, float)) and 0 <= record["confidence"] <= 1
    for span in record["moves"]:
        assert set(span) >= {"move", "start", "end", "cue"}
        assert span["move"] in MOVE_IDS
        assert 0 <= span["start"] <= span["end"] <= len(record["text"])


# ----------------------------------------------------------------------------- help and list
def test_python_dash_m_simulator_help_works():
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("list", "classify", "replay", "validate", "schema"):
        assert command in proc.stdout


def test_list_json_has_the_contract_fields(capsys, monkeypatch):
    code, out, _ = call(["list", "--json"], capsys, monkeypatch)
    assert code == 0
    entries = json.loads(out)
    assert isinstance(entries, list)
    for entry in entries:
        assert set(entry) >= {"id", "name", "summary", "difficulty", "tree"}
        assert entry["difficulty"] in ("easy", "medium", "hard")
    by_id = {e["id"]: e for e in entries}
    assert by_id["marcus"]["tree"] == "guarded" and by_id["marcus"]["name"] == "Marcus"
    assert by_id["dana"]["tree"] == "ambivalent"


def test_list_plain_names_each_client(capsys, monkeypatch):
    code, out, _ = call(["list"], capsys, monkeypatch)
    assert code == 0
    assert any(line.startswith("marcus") and "Marcus" in line for line in out.splitlines())


# ----------------------------------------------------------------------------- classify
def test_classify_plain_gives_one_object_per_line_blank_lines_included(capsys, monkeypatch):
    code, out, _ = call(["classify"], capsys, monkeypatch,
                        "It sounds like you're worn out.\n\nWhat's that been like for you?\n   \n")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in records] == ["It sounds like you're worn out.", "",
                                            "What's that been like for you?", "   "]
    for record in records:
        check_reading(record)
    assert records[1]["moves"] == []


def test_classify_jsonl_keeps_other_keys_and_answers_bad_lines(capsys, monkeypatch):
    lines = [json.dumps({"id": 7, "text": "You should go to a meeting tonight."}), "",
             "not json", json.dumps({"text": 5}), json.dumps(["a list"]), json.dumps({"no_text": True})]
    code, out, _ = call(["classify", "--jsonl"], capsys, monkeypatch, "\n".join(lines) + "\n")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(lines)
    assert records[0]["id"] == 7 and records[0]["text"] == "You should go to a meeting tonight."
    assert records[1]["text"] == ""
    assert "error" in records[2] and records[2]["line"] == 3
    assert "error" in records[3] and "error" in records[4]
    assert records[5]["text"] == "" and records[5]["no_text"] is True
    for record in records:
        check_reading(record)


def test_classify_tens_of_thousands_of_lines_in_one_call():
    base = ["Hi, thanks for coming in.", "It sounds like it's been a hard week.", "", "You should stop.",
            "What matters most to you?", "😀 مرحبا", "I'll have to tell your PO."]
    lines = [base[i % len(base)] for i in range(20_000)]
    proc = run("classify", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout.split("\n")[:-1]
    assert len(out) == 20_000
    for i in (0, 1, 2, 5, 19_999):
        record = json.loads(out[i])
        assert record["text"] == lines[i]
        check_reading(record)


def test_classify_survives_bytes_that_are_not_utf8_and_lone_surrogates():
    proc = run("classify", "--jsonl", stdin=b'{"text": "\\ud800 hi"}\n\xff\xfe not utf-8\n{"text": "ok"}\n')
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(records) == 3
    assert records[0]["text"] == "\ud800 hi"  # echoed as a JSON escape
    proc = run("classify", stdin=b"caf\xe9\n")
    assert proc.returncode == 0 and json.loads(proc.stdout)["text"] == "caf\ufffd"


# ----------------------------------------------------------------------------- replay
LISTENING = """\
# Marcus, listened to
Hi, thanks for coming in.

It sounds like you didn't really choose to be here.
What's it been like since you got home?
"""

BREACH = """\
What's it been like since you got home?
I'll have to let your parole officer know about this.
Wait, come back.
# comments are skipped even after the end
What did I say?
"""

TURN_KEYS = {"trainee", "primary", "moves", "state", "rapport", "reply", "beats", "played"}


def test_replay_json_has_the_exact_shape(tmp_path):
    first, second = tmp_path / "listening.txt", tmp_path / "breach.txt"
    first.write_text(LISTENING, encoding="utf-8")
    second.write_text(BREACH, encoding="utf-8")
    proc = run("replay", "marcus", str(first), str(second), "--seed", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["script"] for r in results] == [str(first), str(second)]
    for result in results:
        assert set(result) >= {"script", "persona", "start", "turns", "final"}
        assert result["persona"] == "marcus"
        assert result["start"] == {"state": "guarded", "rapport": 20}
        assert set(result["final"]) >= {"state", "rapport", "ended", "beats"}
        for turn in result["turns"]:
            assert set(turn) >= TURN_KEYS
            assert turn["primary"] in MOVE_IDS and isinstance(turn["rapport"], int)
            for span in turn["moves"]:
                assert set(span) >= {"move", "start", "end", "cue"}
    listening, breach = results
    assert [t["trainee"] for t in listening["turns"]] == [
        "Hi, thanks for coming in.", "It sounds like you didn't really choose to be here.",
        "What's it been like since you got home?"]
    assert all(t["played"] and t["reply"] for t in listening["turns"])
    assert listening["final"]["ended"] is False

    # The client leaves on the second line; the rest are listed, not played, at the last state.
    played = [t["played"] for t in breach["turns"]]
    assert played == [True, True, False, False]
    left = breach["turns"][1]
    assert left["state"] == "left" and left["primary"] == "confidentiality_breach"
    for turn in breach["turns"][2:]:
        assert (turn["state"], turn["rapport"], turn["reply"], turn["beats"]) == ("left", left["rapport"], "", [])
    assert breach["final"]["ended"] is True and breach["final"]["state"] == "left"


def test_replay_same_seed_same_output_and_plain_transcript(tmp_path, capsys, monkeypatch):
    script = tmp_path / "s.txt"
    script.write_text(LISTENING + BREACH, encoding="utf-8")
    outs = [call(["replay", "marcus", str(script), "--seed", "5", "--json"], capsys, monkeypatch)[1]
            for _ in range(2)]
    assert outs[0] == outs[1]
    code, out, _ = call(["replay", "marcus", str(script)], capsys, monkeypatch)
    assert code == 0
    assert "Marcus: So. They said I had to come talk to somebody." in out
    assert "(not played: Marcus has left the conversation" in out
    assert "Marcus left" in out


def test_replay_hundreds_of_scripts_in_one_call(tmp_path, capsys, monkeypatch):
    scripts = []
    for i in range(300):
        path = tmp_path / f"s{i:03d}.txt"
        path.write_text(LISTENING if i % 2 else BREACH, encoding="utf-8")
        scripts.append(str(path))
    code, out, _ = call(["replay", "dana", *scripts, "--json"], capsys, monkeypatch)
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["script"] for r in results] == scripts
    assert all(r["persona"] == "dana" for r in results)


def test_replay_missing_script_is_a_clear_message_and_exit_1(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(LISTENING, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    proc = run("replay", "marcus", str(missing), str(good), "--json")
    assert proc.returncode == 1
    assert f"{missing}: cannot read the script (file not found)" in proc.stderr
    assert "Traceback" not in proc.stderr
    # The scripts that exist are still played.
    assert [json.loads(line)["script"] for line in proc.stdout.splitlines()] == [str(good)]


def test_replay_persona_by_path_and_unknown_persona(tmp_path):
    script = tmp_path / "s.txt"
    script.write_text(LISTENING, encoding="utf-8")
    proc = run("replay", str(ROOT / "personas" / "dana.yaml"), str(script), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["persona"] == "dana"
    proc = run("replay", "marcsu", str(script))
    assert proc.returncode == 1
    assert "did you mean 'marcus'?" in proc.stderr and "Traceback" not in proc.stderr


# ----------------------------------------------------------------------------- validate and schema
def test_validate_exit_codes_and_locations(tmp_path):
    proc = run("validate", "personas/marcus.yaml", "personas/dana.yaml", "dialogue_trees/guarded.yaml")
    assert proc.returncode == 0 and "all good" in proc.stdout
    bad = tmp_path / "personas" / "bad.yaml"
    bad.parent.mkdir()
    text = (ROOT / "personas" / "marcus.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("unlock: {at_state: warming}", "unlock: {at_state: warmng}"), encoding="utf-8")
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "warmng" in l)
    proc = run("validate", str(bad))
    assert proc.returncode == 1
    assert f"{bad}:{line}:" in proc.stdout and "did you mean 'warming'?" in proc.stdout
    proc = run("validate", str(bad), "--json")
    assert proc.returncode == 1
    problem = json.loads(proc.stdout)["problems"][0]
    assert problem["line"] == line and problem["column"] > 0 and problem["hint"]
    assert run("validate", str(tmp_path / "missing.yaml")).returncode == 1


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize("which", ["both", "persona", "tree"])
def test_schema_prints_valid_json_schema(which):
    proc = run("schema", *([] if which == "both" else [which]))
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    schemas = out if which == "both" else {which: out}
    if which == "both":
        assert set(out) == {"persona", "tree"}
    for name, schema in schemas.items():
        assert schema["type"] == "object" and "properties" in schema
        for ref in _refs(schema):  # every reference resolves inside the document
            assert ref.startswith("#/$defs/") and ref.split("/")[-1] in schema["$defs"], ref
    if "tree" in schemas:
        tree = schemas["tree"]
        assert set(tree["required"]) >= {"id", "title", "initial", "effects", "states", "transitions"}
        assert "from" in tree["$defs"]["Transition"]["properties"]  # the YAML key, not the Python name
    if "persona" in schemas:
        assert set(schemas["persona"]["properties"]["difficulty"]["enum"]) == {"easy", "medium", "hard"}


def test_replay_reads_a_script_saved_with_a_byte_order_mark(tmp_path, capsys, monkeypatch):
    script = tmp_path / "notepad.txt"
    script.write_bytes("\ufeffHi, thanks for coming in.\r\n# note\r\nWhat's it been like?\r\n".encode("utf-8"))
    code, out, _ = call(["replay", "marcus", str(script), "--json"], capsys, monkeypatch)
    assert code == 0
    assert [t["trainee"] for t in json.loads(out)["turns"]] == ["Hi, thanks for coming in.", "What's it been like?"]


def test_schema_into_a_missing_folder_says_so_without_a_traceback(tmp_path, capsys):
    code = main(["schema", "persona", "-o", str(tmp_path / "no" / "such" / "persona.schema.json")])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot write" in err and "folder exists" in err and "Traceback" not in err


def test_did_you_mean_always_offers_something_to_do():
    from simulator.scenario.errors import did_you_mean

    assert did_you_mean("wram", ["warm", "open"]) == "did you mean 'warm'?"
    assert did_you_mean("x", []) == "there is nothing of that kind to name yet: add it first"
    many = [f"state_{n}" for n in range(12)]
    assert did_you_mean("zzz", many).startswith("expected one of: state_0, state_1")
    assert "(12 in all)" in did_you_mean("zzz", many)
