"""Sessions kept in a local SQLite file. Nothing is ever sent anywhere.

The file lives in the user's data directory (platformdirs), or wherever `--data-dir`
or the environment variable PEERSIM_DATA_DIR points. It is in WAL mode and every turn
is committed the moment it is appended, so a session killed mid-way keeps every turn
it completed. The directory is created 0700 and the file 0600: these are practice
conversations and only their owner should read them.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass, fields
from pathlib import Path

from simulator.datadir import ENV_DATA_DIR, resolve_data_dir
from simulator.engine import Effect, TransitionInfo
from simulator.moves.reading import MoveSpan
from simulator.scoring import score_log
from simulator.session import SessionLog, TurnRecord, now_iso
from simulator.store.migrations import LATEST, NewerDatabaseError, migrate

DB_NAME = "sessions.sqlite3"

__all__ = ["DB_NAME", "ENV_DATA_DIR", "LATEST", "NewerDatabaseError", "SessionNotFound", "SessionSummary",
           "Store", "StoreError", "resolve_data_dir", "write_private"]


class SessionNotFound(LookupError):
    """No session (or more than one) matches the id or prefix given."""


class StoreError(sqlite3.OperationalError):
    """The session file cannot be used, said in plain words (a full disk, a symbolic link).
    A kind of sqlite3.Error, so every face that reports store failures reports these."""


def _plain(exc: sqlite3.Error) -> sqlite3.Error:
    """A full disk said as a full disk (SQLite says "database or disk is full", or after a
    failed commit only "cannot rollback - no transaction is active")."""
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc):
        return StoreError("the disk is full, so the session file cannot grow: free some space, "
                          "or choose another folder with --data-dir")
    return exc


def write_private(path: str | Path, text: str, *, append: bool = False) -> Path:
    """Write (or append) text to a file only its owner can read: exports and logs hold
    practice conversations. An existing file is tightened to 0600 too."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
        except (OSError, AttributeError):   # not ours, or no fchmod (Windows)
            pass
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fd = -1
            fh.write(text)
    finally:
        if fd >= 0:
            os.close(fd)
    return path


@dataclass
class SessionSummary:
    id: str
    persona_id: str
    persona_name: str
    trainee: str
    mode: str
    started_at: str
    ended_at: str | None
    turns: int
    final_state: str
    final_rapport: int
    ending: str | None
    overall: int | None
    parent_id: str | None
    branch_turn: int | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


_SUMMARY_SQL = """
SELECT s.id, s.persona_id, s.persona_name, s.trainee, s.mode, s.started_at, s.ended_at,
       (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) AS n,
       COALESCE((SELECT state_after FROM turns t WHERE t.session_id = s.id ORDER BY number DESC LIMIT 1),
                s.start_state) AS final_state,
       COALESCE((SELECT rapport_after FROM turns t WHERE t.session_id = s.id ORDER BY number DESC LIMIT 1),
                s.start_rapport) AS final_rapport,
       (SELECT ending FROM turns t WHERE t.session_id = s.id ORDER BY number DESC LIMIT 1) AS ending,
       s.overall, s.parent_id, s.branch_turn
FROM sessions s
"""

_TURN_COLUMNS = ("number, trainee, primary_move, confidence, moves, state_before, state_after, rapport_before, "
                 "rapport_after, effects, reply, cue, beats, transition, ended, ending, at, reading_cue, unclear, "
                 "topic, safety_check, not_said, notes, asks, options")


# ----------------------------------------------------------------------------- the JSON edge
# A turn's typed parts become JSON here and nowhere else. Every field is written (a span's
# confidence unrounded, its source, what the harm gate held back), so a loaded turn is the
# reading it was played with; rows written before a field existed read with its default.
_SPAN_FIELDS = tuple(f.name for f in fields(MoveSpan))
_TRANSITION_FIELDS = tuple(f.name for f in fields(TransitionInfo))


def _spans_json(spans: list[MoveSpan]) -> str:
    # getattr by field name, not asdict: asdict deep-copies, and a turn is saved on every Enter.
    return json.dumps([{name: getattr(s, name) for name in _SPAN_FIELDS} for s in spans])


def _spans(text: str) -> list[MoveSpan]:
    return [MoveSpan.from_dict(d) for d in json.loads(text)]


def _effects_json(effects: list[Effect]) -> str:
    return json.dumps([{"move": e.move, "delta": e.delta} for e in effects])


def _effects(text: str) -> list[Effect]:
    return [Effect(str(d["move"]), int(d.get("delta", 0))) for d in json.loads(text)]


def _transition_json(tr: TransitionInfo | None) -> str | None:
    if tr is None:
        return None
    return json.dumps({name: getattr(tr, name) for name in _TRANSITION_FIELDS})


def _transition(text: str | None) -> TransitionInfo | None:
    if not text:
        return None
    d = json.loads(text)
    return TransitionInfo(int(d["index"]), str(d["move"]), str(d["source"]), str(d["dest"]), str(d.get("note", "")),
                          dict(d.get("conditions") or {}))


class Store:
    def __init__(self, data_dir: str | Path | None = None):
        folder = resolve_data_dir(data_dir)
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        try:
            if folder.stat().st_uid == os.getuid():
                os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask; an old folder is tightened
        except (OSError, AttributeError):  # AttributeError: no getuid on Windows
            pass
        self.path = folder / DB_NAME
        if self.path.is_symlink():
            # Another user could point the link at a file of theirs and read every session.
            raise StoreError(f"the session file {self.path} is a symbolic link; peersim keeps sessions only in a "
                             "plain file: remove the link, or choose another folder with --data-dir")
        if not self.path.exists():
            # Create the file ourselves so it is never, even for a moment, readable by others.
            # SQLite gives the -wal and -shm files the same permissions as this file.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
        try:
            os.chmod(self.path, 0o600)  # also tightens a file copied in with looser permissions
        except OSError:
            pass  # not ours to change (another owner); SQLite will still read it if allowed
        self._lock = threading.RLock()
        # isolation_level=None: we open transactions ourselves, so a commit happens exactly
        # when we say (each turn), never later when Python decides.
        self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.execute("PRAGMA foreign_keys = ON")
        try:
            self.migrated_from, self.version = migrate(self._conn)
        except BaseException:
            self._conn.close()
            raise

    # ----------------------------------------------------------------- lifecycle
    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run statements in one transaction, committed before returning."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                for sql, params in statements:
                    self._conn.execute(sql, params)
                self._conn.execute("COMMIT")
            except BaseException as exc:
                # A failed COMMIT (a full disk) may already have ended the transaction.
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(exc, sqlite3.Error):
                    raise _plain(exc) from exc
                raise

    # ----------------------------------------------------------------- sessions
    def _new_id(self, taken: set[str] = frozenset()) -> str:
        while True:
            candidate = secrets.token_hex(5)
            if candidate not in taken and \
                    not self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (candidate,)).fetchone():
                return candidate

    def create_session(self, log: SessionLog) -> str:
        """Insert the session (and any turns it already holds, as a branch does); sets log.id."""
        return self.create_sessions([log])[0]

    def create_sessions(self, logs: list[SessionLog]) -> list[str]:
        """Insert sessions with their turns in one transaction (all are saved, or none); a
        finished one is scored for the history list at once. Sets each log's id."""
        with self._lock:
            statements, taken = [], set()
            for log in logs:
                if not log.id or log.id in taken or \
                        self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (log.id,)).fetchone():
                    log.id = self._new_id(taken)
                taken.add(log.id)
                statements.append((
                    "INSERT INTO sessions (id, persona_id, persona_name, tree_id, seed, opening_line, start_state, "
                    "start_rapport, beats_total, mode, trainee, started_at, ended_at, parent_id, branch_turn, "
                    "persona_path, tree_path, persona_sha, tree_sha, overall) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (log.id, log.persona_id, log.persona_name, log.tree_id, log.seed, log.opening_line,
                     log.start_state, log.start_rapport, json.dumps(log.beats_total), log.mode, log.trainee or "",
                     log.started_at, log.ended_at, log.parent_id, log.branch_turn, log.persona_path or "",
                     log.tree_path or "", log.persona_sha or "", log.tree_sha or "",
                     _overall(log) if log.ended_at else None)))
                statements += [self._turn_insert(log.id, turn) for turn in log.turns]
            self._write(statements)
            return [log.id for log in logs]

    @staticmethod
    def _turn_insert(session_id: str, t: TurnRecord) -> tuple[str, tuple]:
        return (f"INSERT INTO turns (session_id, {_TURN_COLUMNS}) VALUES ({', '.join('?' * 26)})",
                (session_id, t.number, t.trainee, t.primary, t.confidence, _spans_json(t.moves), t.state_before,
                 t.state_after, t.rapport_before, t.rapport_after, _effects_json(t.effects), t.reply, t.cue,
                 json.dumps(t.beats), _transition_json(t.transition), int(t.ended), t.ending, t.at,
                 t.reading_cue, int(t.unclear), t.topic, int(t.safety_check), t.not_said,
                 json.dumps(list(t.notes)), int(t.asks), json.dumps(list(t.options))))

    def append_turn(self, session_id: str, turn: TurnRecord) -> None:
        """Save one turn; it is committed (and synced) before this returns."""
        self._write([self._turn_insert(session_id, turn)])

    def finish_session(self, session_id: str) -> None:
        """Mark the session over and cache its overall score for the history list."""
        log = self.load_session(session_id)
        overall = _overall(log)
        self._write([("UPDATE sessions SET ended_at = COALESCE(ended_at, ?), overall = ? WHERE id = ?",
                      (now_iso(), overall, log.id))])

    def reopen_session(self, session_id: str) -> None:
        """A finished session taken up again (`peersim talk --resume`)."""
        self._write([("UPDATE sessions SET ended_at = NULL, overall = NULL WHERE id = ?", (session_id,))])

    def resolve_id(self, ref: str) -> str:
        """A full id, a unique prefix of one, or 'last' (the newest session)."""
        ref = (ref or "").strip()
        with self._lock:
            if ref in ("last", "latest"):
                row = self._conn.execute("SELECT id FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT 1"
                                         ).fetchone()
                if row is None:
                    raise SessionNotFound("there are no saved sessions yet")
                return row["id"]
            if not ref:
                raise SessionNotFound("no session id given")
            if self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (ref,)).fetchone():
                return ref
            escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = self._conn.execute("SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT 6",
                                      (escaped + "%",)).fetchall()
        if not rows:
            raise SessionNotFound(f"no session matches '{ref}' (see `peersim history`)")
        if len(rows) > 1:
            shown = ", ".join(r["id"] for r in rows[:5])
            raise SessionNotFound(f"'{ref}' matches more than one session ({shown}); type more of the id")
        return rows[0]["id"]

    def load_session(self, session_id: str) -> SessionLog:
        sid = self.resolve_id(session_id)
        with self._lock:
            row = self._conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
            turn_rows = self._conn.execute(f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY number",
                                           (sid,)).fetchall()
        log = SessionLog(
            persona_id=row["persona_id"], persona_name=row["persona_name"], tree_id=row["tree_id"],
            seed=row["seed"], opening_line=row["opening_line"], start_state=row["start_state"],
            start_rapport=row["start_rapport"], beats_total=json.loads(row["beats_total"]), mode=row["mode"],
            trainee=row["trainee"], id=row["id"], parent_id=row["parent_id"], branch_turn=row["branch_turn"],
            started_at=row["started_at"], ended_at=row["ended_at"], persona_path=row["persona_path"],
            tree_path=row["tree_path"], persona_sha=row["persona_sha"], tree_sha=row["tree_sha"])
        for r in turn_rows:
            log.turns.append(TurnRecord(
                number=r["number"], trainee=r["trainee"], primary=r["primary_move"], confidence=r["confidence"],
                moves=_spans(r["moves"]), state_before=r["state_before"], state_after=r["state_after"],
                rapport_before=r["rapport_before"], rapport_after=r["rapport_after"],
                effects=_effects(r["effects"]), reply=r["reply"], cue=r["cue"], beats=json.loads(r["beats"]),
                transition=_transition(r["transition"]), ended=bool(r["ended"]),
                ending=r["ending"], at=r["at"], reading_cue=r["reading_cue"], unclear=bool(r["unclear"]),
                topic=r["topic"], safety_check=bool(r["safety_check"]), not_said=r["not_said"],
                notes=tuple(json.loads(r["notes"])), asks=bool(r["asks"]), options=tuple(json.loads(r["options"]))))
        return log

    def list_sessions(self, trainee: str | None = None, since: str | None = None,
                      persona: str | None = None) -> list[SessionSummary]:
        """Newest first. `since` is an ISO date or time; sessions started on or after it."""
        where, params = [], []
        if trainee is not None:
            where.append("s.trainee = ?")
            params.append(trainee)
        if since:
            where.append("s.started_at >= ?")
            params.append(since)
        if persona:
            where.append("s.persona_id = ?")
            params.append(persona)
        sql = _SUMMARY_SQL + (" WHERE " + " AND ".join(where) if where else "") + \
            " ORDER BY s.started_at DESC, s.rowid DESC"
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        summaries = [self._summary(r) for r in rows]
        for s in summaries:
            if s.overall is None and s.turns:
                # Unfinished sessions are scored on the fly (not cached: they may still grow).
                s.overall = _overall(self.load_session(s.id))
        return summaries

    @staticmethod
    def _summary(r: sqlite3.Row) -> SessionSummary:
        return SessionSummary(r["id"], r["persona_id"], r["persona_name"], r["trainee"], r["mode"],
                              r["started_at"], r["ended_at"], r["n"], r["final_state"], r["final_rapport"],
                              r["ending"], r["overall"], r["parent_id"], r["branch_turn"])

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Sessions never finished and not ended by the client: the ones that can be resumed."""
        return [s for s in self.list_sessions() if s.ended_at is None and s.ending is None]

    # ----------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self._write([("INSERT INTO settings (key, value) VALUES (?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))])


def _overall(log: SessionLog) -> int | None:
    if not log.turns:
        return None
    return score_log(log).overall
