"""The database schema as a list of numbered steps.

`PRAGMA user_version` holds the number of steps already applied. Opening a database
applies the missing steps in order, each in one transaction, so an older file is
brought up to date and a half-applied step never remains. Never edit a step that has
shipped: add a new one at the end.
"""

from __future__ import annotations

import sqlite3

# Version 1: sessions and their turns.
_V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    persona_id TEXT NOT NULL,
    persona_name TEXT NOT NULL,
    tree_id TEXT NOT NULL,
    seed INTEGER NOT NULL,
    opening_line TEXT NOT NULL,
    start_state TEXT NOT NULL,
    start_rapport INTEGER NOT NULL,
    beats_total TEXT NOT NULL,          -- JSON list of beat ids
    mode TEXT NOT NULL,
    trainee TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE TABLE turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    trainee TEXT NOT NULL,
    primary_move TEXT NOT NULL,
    confidence REAL NOT NULL,
    moves TEXT NOT NULL,                -- JSON list of {move, start, end, cue, confidence}
    state_before TEXT NOT NULL,
    state_after TEXT NOT NULL,
    rapport_before INTEGER NOT NULL,
    rapport_after INTEGER NOT NULL,
    effects TEXT NOT NULL,              -- JSON list of {move, delta}
    reply TEXT NOT NULL,
    cue TEXT NOT NULL,
    beats TEXT NOT NULL,                -- JSON list of beat ids
    transition TEXT,                    -- JSON object or NULL
    ended INTEGER NOT NULL DEFAULT 0,
    ending TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (session_id, number)
);
CREATE INDEX sessions_started ON sessions(started_at);
"""

# Version 2: rewind/branching, settings (the trainee's name), a cached overall score,
# the reading's deciding cue (so a resume replays the exact reading) and the persona file.
_V2 = """
ALTER TABLE sessions ADD COLUMN parent_id TEXT;
ALTER TABLE sessions ADD COLUMN branch_turn INTEGER;
ALTER TABLE sessions ADD COLUMN overall INTEGER;
ALTER TABLE sessions ADD COLUMN persona_path TEXT NOT NULL DEFAULT '';
ALTER TABLE turns ADD COLUMN reading_cue TEXT NOT NULL DEFAULT '';
ALTER TABLE turns ADD COLUMN unclear INTEGER NOT NULL DEFAULT 0;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX sessions_trainee ON sessions(trainee);
"""

# Version 3: the persona's topic a reply answered, whether it was a direct safety question,
# and a topic a reflection named although the client never raised it.
_V3 = """
ALTER TABLE turns ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE turns ADD COLUMN safety_check INTEGER NOT NULL DEFAULT 0;
ALTER TABLE turns ADD COLUMN not_said TEXT NOT NULL DEFAULT '';
"""

# Version 4: the tree file played and a digest of both files (a resume says when they have
# changed), and the rest of each turn's reading (its notes, whether it asked, its options),
# so a turn loaded back is the reading it was played with, field for field.
_V4 = """
ALTER TABLE sessions ADD COLUMN tree_path TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN persona_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tree_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE turns ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE turns ADD COLUMN asks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE turns ADD COLUMN options TEXT NOT NULL DEFAULT '[]';
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4]
LATEST = len(MIGRATIONS)


class NewerDatabaseError(RuntimeError):
    """The file was written by a newer peersim; opening it here could damage it."""


def _statements(script: str) -> list[str]:
    # Our scripts hold no ';' inside literals, so a plain split is safe, and it lets each
    # step run inside one explicit transaction (executescript would commit on its own).
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def version_of(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Bring the database up to LATEST. Returns (version found, version now)."""
    found = version_of(conn)
    if found > LATEST:
        raise NewerDatabaseError(
            f"this session database is version {found}, but this peersim knows only up to "
            f"version {LATEST}; please update peersim to open it")
    for number in range(found + 1, LATEST + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version_of(conn) >= number:
                # Another process (a second window, the app and `peersim report`) applied this
                # step while we waited for the write lock: running it again would fail.
                conn.execute("COMMIT")
                continue
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found, LATEST
