"""The session commands: talk (killed and resumed), replay --save, history, show, export, report."""

import csv
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.store import Store

ROOT = Path(__file__).resolve().parent.parent
TURNS = ["Hi, thanks for coming in.",
         "It sounds like you didn't really choose to be here.",
         "What's it been like since you got home?",
         "What you tell me stays between us.",
         "So you're trying to stay out of everyone's way."]


def talk_cmd(data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "simulator", "talk", *extra, "--json", "--data-dir", str(data)]


class Lines:
    """Read a child's stdout line by line without ever blocking the test forever."""

    def __init__(self, stream):
        self.q: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.q.put(line)
        self.q.put(None)

    def next_json(self) -> dict:
        line = self.q.get(timeout=60)
        assert line is not None, "the child stopped writing"
        return json.loads(line)


def test_a_session_killed_mid_way_keeps_its_turns_and_resumes(tmp_path):
    data = tmp_path / "data"
    proc = subprocess.Popen(talk_cmd(data, "marcus", "--seed", "3"), cwd=ROOT, text=True, bufsize=1,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        out = Lines(proc.stdout)
        sid = out.next_json()["session"]
        replies = []
        for number, text in enumerate(TURNS[:3], start=1):
            proc.stdin.write(text + "\n")
            proc.stdin.flush()
            turn = out.next_json()
            assert turn["turn"] == number
            replies.append(turn["reply"])
        # Killed mid-session: stdin still open, the session never finished.
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()

    store = Store(data)
    saved = store.load_session(sid)
    assert [t.trainee for t in saved.turns] == TURNS[:3]
    assert [t.reply for t in saved.turns] == replies
    assert saved.ended_at is None
    assert [s.id for s in store.unfinished_sessions()] == [sid]
    store.close()

    resumed = subprocess.run(talk_cmd(data, "--resume", sid[:6]), cwd=ROOT, text=True, capture_output=True,
                             input="\n".join(TURNS[3:]) + "\n", timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    header = json.loads(resumed.stdout.splitlines()[0])
    assert header["resumed_after"] == 3 and header["session"] == sid

    store = Store(data)
    final = store.load_session(sid)
    assert [t.number for t in final.turns] == [1, 2, 3, 4, 5]
    assert final.turns[:3] == saved.turns  # the stored turns are intact
    assert final.ended_at is not None and store.unfinished_sessions() == []
    store.close()

    # Resuming gives exactly what an uninterrupted session would have.
    straight = subprocess.run(talk_cmd(tmp_path / "other", "marcus", "--seed", "3"), cwd=ROOT, text=True,
                              capture_output=True, input="\n".join(TURNS) + "\n", timeout=60)
    replies_straight = [json.loads(line)["reply"] for line in straight.stdout.splitlines() if '"turn"' in line]
    assert [t.reply for t in final.turns] == replies_straight


@pytest.fixture
def saved(tmp_path, capsys):
    """Two scripted sessions saved with replay --save: a listening one and one with advice."""
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("\n".join(TURNS) + "\n", encoding="utf-8")
    bad.write_text("Hi, thanks for coming in.\nYou should get a job and stop moping.\n"
                   "Did you sleep?\nThat was a dumb thing to do.\n", encoding="utf-8")
    data = tmp_path / "db"
    assert main(["replay", "marcus", str(good), str(bad), "--save", "--trainee", "Ana",
                 "--data-dir", str(data)]) == 0
    err = capsys.readouterr().err
    ids = [line.rsplit(" ", 1)[1] for line in err.splitlines() if "saved as session" in line]
    assert len(ids) == 2
    return data, ids


def test_replay_save_and_history(saved, capsys):
    data, (good, bad) = saved
    assert main(["history", "--json", "--data-dir", str(data)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == {good, bad}
    assert all(r["mode"] == "replay" and r["trainee"] == "Ana" and r["ended_at"] for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert by_id[good]["turns"] == 5 and by_id[good]["overall"] > by_id[bad]["overall"]
    assert main(["history", "--trainee", "Nobody", "--data-dir", str(data)]) == 0
    assert "No saved sessions" in capsys.readouterr().out
    assert main(["history", "--data-dir", str(data)]) == 0
    text = capsys.readouterr().out
    assert good in text and all(len(line) <= 80 for line in text.splitlines())


def test_show_and_compare(saved, capsys):
    data, (good, bad) = saved
    assert main(["show", good[:5], "--data-dir", str(data)]) == 0
    text = capsys.readouterr().out
    assert "Overall" in text and "Turn by turn" in text and TURNS[1] in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert main(["show", good, "--compare", bad, "--data-dir", str(data)]) == 0
    table = capsys.readouterr().out
    assert "advice without permission" in table and "overall score" in table
    assert main(["show", "nope", "--data-dir", str(data)]) == 1
    assert "no session matches" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_each_format_to_a_file(saved, tmp_path, fmt, capsys):
    data, (good, _) = saved
    out = tmp_path / f"debrief.{fmt}"
    assert main(["export", good, "--format", fmt, "-o", str(out), "--data-dir", str(data)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["session"]["id"] == good
    elif fmt == "html":
        tags = []
        parser = HTMLParser()
        parser.handle_starttag = lambda tag, attrs: tags.append(tag)
        parser.feed(text)
        assert "svg" in tags and "polyline" in tags
    else:
        assert text.startswith("# Debrief: Marcus")


def test_trainer_report_csv(saved, capsys):
    data, _ = saved
    assert main(["report", "--format", "csv", "--data-dir", str(data)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 1 and rows[0]["trainee"] == "Ana" and rows[0]["sessions"] == "2"
    assert rows[0]["withdrawal_triggers"]  # the advice session pulled him back
    assert main(["report", "--since", "2999-01-01", "--data-dir", str(data)]) == 0
    assert "No sessions to report yet" in capsys.readouterr().out
    assert main(["report", "--since", "last tuesday", "--data-dir", str(data)]) == 1
    assert "--since wants a date" in capsys.readouterr().err


def test_talk_uses_the_saved_trainee_name_and_env_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEERSIM_DATA_DIR", str(tmp_path / "env"))
    Store().set_setting("trainee", "Sam")
    monkeypatch.setattr(sys, "stdin", io.StringIO(TURNS[1] + "\n\n"))
    assert main(["talk", "marcus"]) == 0
    out = capsys.readouterr().out
    assert "1. read as" in out and "saved as session" in out
    (summary,) = Store().list_sessions()
    assert summary.trainee == "Sam" and summary.turns == 1
    assert os.stat(Store().path).st_mode & 0o077 == 0


def test_export_into_a_missing_folder_says_what_to_do(saved, tmp_path, capsys):
    data, (good, _) = saved
    target = tmp_path / "no" / "such" / "debrief.html"
    assert main(["export", good, "--format", "html", "-o", str(target), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "create it first" in err and not target.exists()


def test_an_unreadable_session_file_is_a_plain_message_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "sessions.sqlite3").write_text("this is not a database, it is a note I saved by mistake\n")
    for command in (["history"], ["show", "last"], ["report"]):
        assert main([*command, "--data-dir", str(folder)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("peersim: ") and "--data-dir" in err


def test_history_shows_which_session_a_retry_came_from(saved, capsys):
    from simulator.service import branch

    data, (good, _) = saved
    with Store(data) as store:
        retry, _ = branch(store.load_session(good), 2)
        store.create_session(retry)
    assert main(["history", "--data-dir", str(data)]) == 0
    text = capsys.readouterr().out
    assert f"retry of {good[:6]}" in text and all(len(line) <= 79 for line in text.splitlines())


def test_resuming_a_session_the_client_left_says_how_to_start_again(tmp_path, monkeypatch, capsys):
    data = tmp_path / "d"
    # Harm turn after turn, with nothing to mend it: one misstep alone no longer drives him out.
    monkeypatch.setattr(sys, "stdin", io.StringIO("You should just get over it.\nThat's stupid, you need to "
                                                  "stop drinking.\nYou're just making excuses.\n"))
    assert main(["talk", "marcus", "--data-dir", str(data)]) == 0
    assert "left" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["talk", "--resume", "last", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "is over: Marcus left" in err and "peersim talk marcus" in err


def test_history_filters_that_match_nothing_do_not_say_start_one(saved, capsys):
    data, _ = saved
    assert main(["history", "--since", "2999-01-01", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "No saved sessions match" in out and "Start one" not in out


def test_history_piped_into_a_reader_that_stops_early_is_quiet(saved):
    data, _ = saved
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `peersim history | head -0`: nobody reads
    try:
        done = subprocess.run([sys.executable, "-m", "simulator", "history", "--data-dir", str(data)], cwd=ROOT,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stderr == ""


def test_one_session_resumed_in_two_windows_explains_the_clash(tmp_path, monkeypatch, capsys):
    from simulator.cli.sessions import CommandError, play_turn
    from simulator.service import Session

    data = tmp_path / "d"
    monkeypatch.setattr(sys, "stdin", io.StringIO(TURNS[0] + "\n"))
    assert main(["talk", "marcus", "--data-dir", str(data)]) == 0
    with Store(data) as store:
        first, second = store.load_session("last"), store.load_session("last")
        play_turn(Session.resume(first, store), TURNS[1])  # the other window saves turn 2
        with pytest.raises(CommandError, match="another window.*--resume"):
            play_turn(Session.resume(second, store), TURNS[2])
        assert [t.trainee for t in store.load_session("last").turns] == TURNS[:2]


def test_resuming_when_the_persona_file_is_gone_names_the_file(tmp_path, monkeypatch, capsys):
    data, persona = tmp_path / "d", tmp_path / "mine.yaml"
    persona.write_text((ROOT / "personas" / "marcus.yaml").read_text(encoding="utf-8")
                       .replace("\nid: marcus", "\nid: mine"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(TURNS[0] + "\n"))
    assert main(["talk", str(persona), "--data-dir", str(data)]) == 0
    persona.unlink()
    capsys.readouterr()
    assert main(["talk", "--resume", "last", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert str(persona) in err and "put that file back" in err
