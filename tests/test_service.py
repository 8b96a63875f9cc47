"""The session service (issue 12): a turn is played and saved as one unit, a resume plays
against the files the session was played with and says when they changed, the trainee's
words are cleaned once, and every field of a reading survives the store. The same
behaviour is checked through `peersim talk` and the app (Pilot)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine import Effect, TransitionInfo
from simulator.moves.reading import MoveSpan, Reading
from simulator.scenario.loader import load_scenario, shipped_dir
from simulator.service import FilesGone, Session
from simulator.store import Store
from test_tui_support import ASK, REFLECT, make_app, open_client, say, settle, texts

OPEN = REFLECT


def said(move: str, text: str) -> Reading:
    return Reading(text, (MoveSpan(move, 0, len(text), "test", 1.0),), move, 1.0, "test")


def disk_full(*args, **kwargs):
    raise sqlite3.OperationalError("the disk is full")


def trainer_marcus(folder: Path) -> Path:
    """A trainer's own marcus.yaml: the same id as the shipped Marcus, every line of his different."""
    text = (shipped_dir("personas") / "marcus.yaml").read_text(encoding="utf-8")
    text = re.sub(r'^(\s*- )"', r'\1"Trainer line. ', text, flags=re.M)
    text = text.replace('opening_line: "So.', 'opening_line: "Trainer line. So.')
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "marcus.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- one unit
def test_a_turn_the_store_cannot_save_leaves_the_session_as_it_was(tmp_path, monkeypatch):
    store = Store(tmp_path)
    session = Session.start(load_scenario("marcus"), seed=3, store=store)
    session.play(said("reflection", OPEN))
    before = (session.convo.snapshot(), session.convo.turn, session.convo.state, session.convo.rapport,
              list(session.log.turns))
    monkeypatch.setattr(store, "append_turn", disk_full)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        session.play(said("judgment", "You brought this on yourself."))
    assert (session.convo.snapshot(), session.convo.turn, session.convo.state, session.convo.rapport,
            list(session.log.turns)) == before
    monkeypatch.undo()
    # Sent again once the disk has room, the turn is played once, as if nothing had failed.
    turn, _ = session.play(said("open_question", ASK))
    reference = Session.start(load_scenario("marcus"), seed=3)
    reference.play(said("reflection", OPEN))
    expected, _ = reference.play(said("open_question", ASK))
    assert (turn.number, turn.reply, turn.rapport) == (2, expected.reply, expected.rapport)
    assert [t.trainee for t in store.load_session(session.log.id).turns] == [OPEN, ASK]


def test_talk_keeps_the_words_of_a_turn_it_could_not_save(tmp_path, monkeypatch, capsys):
    data = tmp_path / "d"
    calls = []

    def second_fails(self, session_id, record):
        calls.append(record.number)
        if len(calls) > 1:
            raise sqlite3.OperationalError("the disk is full")
        return real(self, session_id, record)

    real = Store.append_turn
    monkeypatch.setattr(Store, "append_turn", second_fails)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{OPEN}\n{ASK}\n"))
    assert main(["talk", "marcus", "--data-dir", str(data)]) == 1
    out, err = capsys.readouterr()
    assert f"This turn was not saved, so Marcus has not answered it: {ASK}" in out
    assert "disk is full" in err and "--resume" in err
    monkeypatch.setattr(Store, "append_turn", real)
    with Store(data) as store:
        log = store.load_session("last")
        resumed = Session.resume(log, store)
    reference = Session.start(load_scenario("marcus"))
    reference.play(OPEN)
    assert [t.trainee for t in log.turns] == [OPEN] and log.ended_at is None
    assert (resumed.convo.turn, resumed.convo.state, resumed.convo.rapport) == \
        (1, reference.convo.state, reference.convo.rapport)


async def test_the_app_keeps_the_words_and_the_client_as_they_were_when_a_turn_cannot_be_saved(monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        session = app.screen.session
        await say(pilot, OPEN)
        before = (session.convo.turn, session.convo.state, session.convo.rapport, list(session.log.turns))
        monkeypatch.setattr(session.store, "append_turn", disk_full)
        await say(pilot, ASK)
        assert (session.convo.turn, session.convo.state, session.convo.rapport, list(session.log.turns)) == before
        assert app.screen.query_one("#say").text == ASK


# ----------------------------------------------------------------------------- every field
def test_every_field_of_a_reading_survives_save_load_and_resume(tmp_path):
    text = "You're being lazy. What do you want to do?"
    reading = Reading(text, (MoveSpan("reflection", 0, 18, "being lazy", 0.123456789, "model", "judgment",
                                      "you're being lazy"),
                             MoveSpan("open_question", 19, len(text), "what do you", 0.87654321, "shape")),
                      "reflection", 0.3333333333, "being lazy", True, ("the gate held a judgment back",), True,
                      ("reflection", "judgment", "open_question"))
    store = Store(tmp_path)
    session = Session.start(load_scenario("marcus"), seed=2, store=store)
    session.play(reading)
    session.play(said("reflection", "It sounds like you want people to back off."))
    loaded = store.load_session(session.log.id)
    assert loaded.turns[0].to_reading() == reading
    assert loaded.turns == session.log.turns
    assert all(isinstance(e, Effect) for t in loaded.turns for e in t.effects)
    assert all(t.transition is None or isinstance(t.transition, TransitionInfo) for t in loaded.turns)
    resumed = Session.resume(loaded, store)
    assert resumed.note == ""
    assert resumed.convo.snapshot() == session.convo.snapshot()
    assert resumed.log.turns[0].to_reading() == reading


def test_the_trainees_words_are_cleaned_once_for_every_face():
    session = Session.start(load_scenario("marcus"))
    assert session.read("It sounds hard\ud800 for you.").text == "It sounds hard\ufffd for you."
    turn, record = session.play(said("reflection", "It sounds hard\udcff for you."))
    assert record.trainee == turn.trainee == "It sounds hard\ufffd for you."


# ----------------------------------------------------------------------------- the files played
def cut_off_talk(persona: Path, lines: list[str], monkeypatch) -> int:
    """`peersim talk PERSONA` stopped by Ctrl+C after `lines`: a session cut off, not finished."""
    class CutOff(io.StringIO):
        def readline(self, *args):
            line = super().readline(*args)
            if not line:
                raise KeyboardInterrupt
            return line

    monkeypatch.setattr(sys, "stdin", CutOff("".join(f"{line}\n" for line in lines)))
    return main(["talk", str(persona)])


def expected_reply(persona: Path, *turns: str | Reading) -> str:
    """The reply to the last of `turns` in a session played straight through with `persona`."""
    reference = Session.start(load_scenario(persona))
    return [reference.play(turn)[0].reply for turn in turns][-1]


async def test_a_trainers_own_marcus_resumes_with_the_trainers_lines_in_the_app_and_the_cli(tmp_path, monkeypatch,
                                                                                             capsys):
    mine, shipped = trainer_marcus(tmp_path / "trainer" / "personas"), shipped_dir("personas") / "marcus.yaml"
    assert cut_off_talk(mine, [OPEN], monkeypatch) == 130
    second = said("reflection", "So you are trying to stay out of everyone's way.")
    reply = expected_reply(mine, OPEN, second)
    assert reply != expected_reply(shipped, OPEN, second)

    app = make_app()  # the shipped Marcus is on its list, under the same id
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "enter")
        await settle(pilot)
        session = app.screen.session
        assert Path(session.convo.scenario.persona_path).resolve() == mine.resolve()
        assert session.log.opening_line.startswith("Trainer line.")
        turn, _ = session.say(second)
        assert turn.reply == reply
        notes = texts(app.screen, ".note")
        assert not any("changed" in n for n in notes)

    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{ASK}\n"))
    assert main(["talk", "--resume", "last", "--json"]) == 0
    out, err = capsys.readouterr()
    replies = [json.loads(line)["reply"] for line in out.splitlines() if '"turn"' in line]
    assert replies == [expected_reply(mine, OPEN, second, ASK)] != [expected_reply(shipped, OPEN, second, ASK)]
    assert "changed" not in err


async def test_resuming_after_the_clients_file_changed_warns_in_both_faces(tmp_path, monkeypatch, capsys):
    mine = trainer_marcus(tmp_path / "trainer" / "personas")
    assert cut_off_talk(mine, [OPEN, ASK], monkeypatch) == 130
    mine.write_text(mine.read_text(encoding="utf-8").replace("Trainer line.", "Edited line."), encoding="utf-8")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "enter")
        await settle(pilot)
        notes = texts(app.screen, ".note")
        assert any("files changed since this session (marcus.yaml)" in n for n in notes), notes
        assert any("changed since this session" in n.message for n in app._notifications)

    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["talk", "--resume", "last"]) == 0
    assert "peersim: note: the persona's files changed since this session (marcus.yaml)" in capsys.readouterr().err


def test_a_resume_whose_persona_file_is_gone_says_so_instead_of_using_another_client(tmp_path, monkeypatch):
    mine = trainer_marcus(tmp_path / "trainer" / "personas")
    store = Store(tmp_path / "d")
    session = Session.start(load_scenario(mine), store=store)
    session.play(said("reflection", OPEN))
    mine.unlink()
    with pytest.raises(FilesGone, match="put that file back"):
        Session.resume(store.load_session(session.log.id), store)


# ----------------------------------------------------------------------------- replay --save
def test_replay_save_plays_each_script_once_and_opens_the_store_once(tmp_path, monkeypatch, capsys):
    from simulator.engine import Conversation

    scripts = []
    for n in range(3):
        path = tmp_path / f"s{n}.txt"
        path.write_text(f"{OPEN}\n{ASK}\n", encoding="utf-8")
        scripts.append(str(path))
    steps, opened = [], []
    real_step, real_init = Conversation.step, Store.__init__
    monkeypatch.setattr(Conversation, "step", lambda self, said: steps.append(1) or real_step(self, said))
    monkeypatch.setattr(Store, "__init__", lambda self, *a, **k: opened.append(1) or real_init(self, *a, **k))
    assert main(["replay", "marcus", *scripts, "--save", "--json", "--data-dir", str(tmp_path / "d")]) == 0
    out = capsys.readouterr()
    assert (len(steps), len(opened)) == (6, 1)
    ids = [line.rsplit(" ", 1)[1] for line in out.err.splitlines() if "saved as session" in line]
    printed = [[t["reply"] for t in json.loads(line)["turns"]] for line in out.out.splitlines()]
    monkeypatch.undo()
    with Store(tmp_path / "d") as store:
        saved = [store.load_session(i) for i in ids]
    # The turns saved are the very turns printed.
    assert [[t.reply for t in log.turns] for log in saved] == printed
    assert all(log.ended_at and log.mode == "replay" for log in saved)
