"""The session store: durable per-turn commits, private files, lookups, settings, migrations."""

import json
import os
import sqlite3
import stat

import pytest

from debrief_helpers import make_log
from simulator.engine import Effect, TransitionInfo
from simulator.moves.reading import MoveSpan
from simulator.store import DB_NAME, LATEST, NewerDatabaseError, SessionNotFound, Store
from simulator.store.migrations import version_of


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def sample_log(**kw):
    return make_log([{"parts": [("reflection", "You're worn out.")], "beats": ["a"], "state": "warming"},
                     {"parts": [("open_question", "What happened?"), ("reflection", "You feel alone.")]},
                     {"parts": [("directive_advice", "You should rest.")], "ending": "left", "state": "left"}],
                    **kw)


def test_round_trip_keeps_every_field(tmp_path):
    store = Store(tmp_path / "d")
    log = sample_log(trainee="Ana")
    log.turns[0].transition = TransitionInfo(2, "reflection", "guarded", "warming", "listened",
                                             {"rapport_at_least": 30})
    log.turns[1].reading_cue, log.turns[1].unclear = "what", True
    sid = store.create_session(log)
    assert log.id == sid
    assert store.load_session(sid) == log


def test_files_are_private(tmp_path):
    folder = tmp_path / "new" / "peersim"
    store = Store(folder)
    store.create_session(sample_log())
    assert mode_of(folder) == 0o700
    assert mode_of(folder / DB_NAME) == 0o600
    for extra in ("-wal", "-shm"):  # SQLite copies the database file's permissions
        path = folder / (DB_NAME + extra)
        if path.exists():
            assert mode_of(path) == 0o600
    store.close()


def test_wal_and_each_turn_visible_to_another_reader_at_once(tmp_path):
    writer = Store(tmp_path)
    log = sample_log()
    turns, log.turns = log.turns, []
    sid = writer.create_session(log)
    writer.append_turn(sid, turns[0])
    # A separate connection (another process would see the same) reads the committed turn.
    reader = sqlite3.connect(tmp_path / DB_NAME)
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert reader.execute("SELECT COUNT(*) FROM turns WHERE session_id = ?", (sid,)).fetchone()[0] == 1
    reader.close()
    writer.close()


def test_data_dir_from_environment_and_explicit(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERSIM_DATA_DIR", str(tmp_path / "env"))
    assert Store().path == tmp_path / "env" / DB_NAME
    assert Store(tmp_path / "explicit").path == tmp_path / "explicit" / DB_NAME


def test_lookup_by_prefix_last_and_errors(tmp_path):
    store = Store(tmp_path)
    first, second = sample_log(), sample_log()
    first.id, second.id = "abc111", "abc222"
    store.create_session(first)
    second.started_at = "2030-01-01T00:00:00+00:00"
    store.create_session(second)
    assert store.load_session("abc1").id == "abc111"
    assert store.load_session("last").id == "abc222"
    with pytest.raises(SessionNotFound, match="more than one"):
        store.load_session("abc")
    with pytest.raises(SessionNotFound, match="no session matches"):
        store.load_session("zzz")
    with pytest.raises(SessionNotFound):
        store.load_session("%")  # LIKE wildcards are taken literally


def test_list_filters_newest_first_and_summaries(tmp_path):
    store = Store(tmp_path)
    old = sample_log(trainee="Ana")
    old.started_at = "2026-01-01T09:00:00+00:00"
    new = sample_log(trainee="Ben", persona_id="dana", name="Dana")
    new.started_at = "2026-02-01T09:00:00+00:00"
    new.turns = new.turns[:2]
    store.create_session(old)
    store.create_session(new)
    everyone = store.list_sessions()
    assert [s.trainee for s in everyone] == ["Ben", "Ana"]
    assert [s.id for s in store.list_sessions(trainee="Ana")] == [old.id]
    assert [s.id for s in store.list_sessions(since="2026-01-15")] == [new.id]
    assert [s.id for s in store.list_sessions(persona="dana")] == [new.id]
    ana = store.list_sessions(trainee="Ana")[0]
    assert (ana.turns, ana.final_state, ana.final_rapport, ana.ending) == (3, "left", old.final_rapport, "left")
    assert isinstance(ana.overall, int)


def test_unfinished_sessions_are_those_that_can_be_resumed(tmp_path):
    store = Store(tmp_path)
    running = sample_log()
    running.turns = running.turns[:2]
    finished = sample_log()
    finished.turns = finished.turns[:2]
    client_left = sample_log()  # the client left on turn 3
    for log in (running, finished, client_left):
        store.create_session(log)
    store.finish_session(finished.id)
    assert [s.id for s in store.unfinished_sessions()] == [running.id]
    done = store.load_session(finished.id)
    assert done.ended_at is not None
    assert store.list_sessions(persona="marcus")[0].overall is not None


def test_settings(tmp_path):
    store = Store(tmp_path)
    assert store.get_setting("trainee") is None
    assert store.get_setting("trainee", "x") == "x"
    store.set_setting("trainee", "Ana")
    store.set_setting("trainee", "Ana B.")
    store.close()
    assert Store(tmp_path).get_setting("trainee") == "Ana B."


# A version-1 database written out by hand, as the first release of the store made it.
V1_SCHEMA = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, persona_id TEXT NOT NULL, persona_name TEXT NOT NULL,
  tree_id TEXT NOT NULL, seed INTEGER NOT NULL, opening_line TEXT NOT NULL, start_state TEXT NOT NULL,
  start_rapport INTEGER NOT NULL, beats_total TEXT NOT NULL, mode TEXT NOT NULL, trainee TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL, ended_at TEXT);
CREATE TABLE turns (session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, number INTEGER NOT NULL,
  trainee TEXT NOT NULL, primary_move TEXT NOT NULL, confidence REAL NOT NULL, moves TEXT NOT NULL,
  state_before TEXT NOT NULL, state_after TEXT NOT NULL, rapport_before INTEGER NOT NULL,
  rapport_after INTEGER NOT NULL, effects TEXT NOT NULL, reply TEXT NOT NULL, cue TEXT NOT NULL,
  beats TEXT NOT NULL, transition TEXT, ended INTEGER NOT NULL DEFAULT 0, ending TEXT, at TEXT NOT NULL,
  PRIMARY KEY (session_id, number));
CREATE INDEX sessions_started ON sessions(started_at);
PRAGMA user_version = 1;
"""


def test_an_older_database_is_migrated_with_its_data_intact(tmp_path):
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO sessions VALUES ('old1', 'marcus', 'Marcus', 'guarded', 7, 'So.', 'guarded', 20, "
                 "'[\"couch\"]', 'practice', 'Ana', '2025-05-01T10:00:00+00:00', NULL)")
    moves = json.dumps([{"move": "reflection", "start": 0, "end": 16, "cue": "you're", "confidence": 0.9}])
    conn.execute("INSERT INTO turns VALUES ('old1', 1, 'You''re worn out.', 'reflection', 0.9, ?, 'guarded', "
                 "'warming', 20, 27, '[{\"move\": \"reflection\", \"delta\": 7}]', 'Yeah.', 'looks up', "
                 "'[\"couch\"]', NULL, 0, NULL, '2025-05-01T10:01:00+00:00')", (moves,))
    conn.commit()
    conn.close()

    store = Store(tmp_path)
    assert (store.migrated_from, store.version) == (1, LATEST)
    log = store.load_session("old1")
    assert (log.trainee, log.seed, log.beats_total, log.parent_id, log.persona_path) == ("Ana", 7, ["couch"], None, "")
    turn = log.turns[0]
    assert (turn.trainee, turn.state_after, turn.rapport_after, turn.beats, turn.reading_cue) == \
        ("You're worn out.", "warming", 27, ["couch"], "")
    assert turn.moves[0].move == "reflection"
    # The new parts of the schema work on the migrated file.
    store.set_setting("trainee", "Ana")
    store.finish_session("old1")
    assert store.list_sessions()[0].overall is not None
    store.close()
    check = sqlite3.connect(path)
    assert version_of(check) == LATEST
    check.close()


def test_a_newer_database_is_refused_not_damaged(tmp_path):
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(NewerDatabaseError, match="update peersim"):
        Store(tmp_path)
    conn = sqlite3.connect(path)
    assert version_of(conn) == LATEST + 1
    conn.close()


def test_two_processes_opening_a_new_file_at_once_both_work(tmp_path, monkeypatch):
    from simulator.store import migrations

    # This process read version 0, then waited for the write lock while another one
    # (a second window, or the app while `peersim report` runs) created the schema.
    first = Store(tmp_path)
    sid = first.create_session(sample_log())
    stale = [0]
    real = migrations.version_of
    monkeypatch.setattr(migrations, "version_of", lambda conn: stale.pop() if stale else real(conn))
    second = Store(tmp_path)
    assert second.version == LATEST
    assert second.load_session(sid).turns == first.load_session(sid).turns
    first.close()
    second.close()


def test_a_turn_record_names_only_the_moves_that_acted():
    # `talk` prints these: what the client responded to, not a secondary move read unsurely.
    from simulator.session import TurnRecord

    record = TurnRecord(number=1, trainee="So you're stuck, you should quit", primary="reflection", confidence=0.9,
                        moves=[MoveSpan("reflection", 0, 15, "so you", 0.9),
                               MoveSpan("directive_advice", 17, 33, "you should", 0.3)],
                        state_before="guarded", state_after="guarded", rapport_before=20, rapport_after=27,
                        effects=[Effect("reflection", 7)], reply="Yeah.", cue="", beats=[], transition=None)
    assert record.move_ids == ["reflection", "directive_advice"]
    assert record.acting_moves == ["reflection"]
