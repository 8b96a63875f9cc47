"""The session service: the one place that starts, plays, saves, resumes, rewinds and
finishes a session. The app and the command line both call it, so a turn is played and
saved the same way in each, and resumed against the same files.

A turn is played and stored as one unit: if the store cannot save it, the engine is put
back as it was, the log is not touched and the error is raised, so the face can keep the
trainee's words and say what went wrong. A resume rebuilds the engine from the recorded
readings (never re-reading the text) against the files the session was played with, and
says in plain words when those files have changed since.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Callable

from simulator.engine import ClientTurn, Conversation
from simulator.moves.reading import Reading
from simulator.safetext import plain_text
from simulator.scenario.checked import Scenario
from simulator.scenario.loader import load_scenario
from simulator.session import SessionLog, TurnRecord, file_digest, now_iso


class FilesGone(LookupError):
    """The persona file a session was played with is not there any more."""


# ----------------------------------------------------------------------------- the files played
def scenario_of(log: SessionLog) -> Scenario:
    """The persona (and its tree) the session was played with: the recorded file, never
    another client that shares its id. A session saved before files were recorded is
    played with the shipped client of its id."""
    if not log.persona_path:
        return load_scenario(log.persona_id)
    path = Path(log.persona_path)
    if not path.is_file():
        raise FilesGone(f"session {log.id} was played with {log.persona_path}, which is not there any more; put "
                        f"that file back to carry on (`peersim show {log.id}` still shows its debrief)")
    return load_scenario(path)


def scenario_if_there(log: SessionLog) -> Scenario | None:
    """The files played, for a debrief's beat summaries, or None when they are gone or broken:
    a debrief never fails for want of them."""
    try:
        return scenario_of(log)
    except Exception:
        return None


def files_changed(log: SessionLog, scenario: Scenario) -> list[str]:
    """The names of the files that differ from the ones the session was played with."""
    changed = []
    for path, digest, now in ((log.persona_path, log.persona_sha, scenario.persona_path),
                              (log.tree_path, log.tree_sha, scenario.tree_path)):
        moved = bool(path) and Path(now).resolve() != Path(path)
        if moved or (digest and file_digest(now) != digest):
            changed.append(Path(now).name)
    return changed


def change_note(log: SessionLog, scenario: Scenario, differs: list[int]) -> str:
    """One plain sentence for both faces when the files changed since the session was played."""
    changed = files_changed(log, scenario)
    if not changed and not differs:
        return ""
    which = f" ({', '.join(changed)})" if changed else ""
    if differs:
        return (f"the persona's files changed since this session{which}; from turn {differs[0]} "
                "the client may not answer as before")
    return (f"the persona's files changed since this session{which}; the turns so far replay as before, "
            "but the client may answer differently from here")


def replay_log(log: SessionLog, scenario: Scenario | None = None,
               upto: int | None = None) -> tuple[Conversation, list[int]]:
    """A fresh engine fed the recorded readings of turns 1..upto (all by default).

    Returns the engine and the turn numbers whose outcome (state, rapport, reply) differs
    from the record, which happens only if the persona or tree file changed since.
    """
    scenario = scenario or scenario_of(log)
    convo = Conversation(scenario, seed=log.seed)
    differs = []
    for turn in log.turns[:upto]:
        if convo.ended:
            differs.append(turn.number)
            break
        played = convo.step(turn.to_reading())
        if (played.state, played.rapport, played.reply) != (turn.state_after, turn.rapport_after, turn.reply):
            differs.append(turn.number)
    return convo, differs


def resume_conversation(log: SessionLog, scenario: Scenario | None = None) -> Conversation:
    """The engine at the end of the log, rebuilt by replaying the recorded readings (not
    re-recognising the text), with the same seed, so state, rapport, beats and RNG match."""
    return replay_log(log, scenario)[0]


def branch(log: SessionLog, after_turn: int, scenario: Scenario | None = None) -> tuple[SessionLog, Conversation]:
    """A new attempt from after `after_turn` (0 = from the start): a new log holding turns
    1..after_turn, parent_id set to the original, and an engine restored to that point."""
    if not 0 <= after_turn <= len(log.turns):
        raise ValueError(f"turn {after_turn} is not in this session (it has {len(log.turns)} turns)")
    new = copy.deepcopy(log)
    new.id, new.parent_id, new.branch_turn = None, log.id, after_turn
    new.turns = new.turns[:after_turn]
    new.started_at, new.ended_at = now_iso(), None
    convo, _ = replay_log(new, scenario)
    return new, convo


# ----------------------------------------------------------------------------- a running session
class Session:
    """A running (or resumed) session: the engine, its log and the store it is saved in
    (None: a session not saved as it goes)."""

    def __init__(self, convo: Conversation, log: SessionLog, store=None):
        self.convo = convo
        self.log = log
        self.store = store
        self.note = ""  # set on resume when the client's files changed since

    @classmethod
    def start(cls, scenario: Scenario, mode: str = "practice", seed: int = 0, trainee: str = "",
              store=None, clock: Callable[[], str] = now_iso) -> "Session":
        convo = Conversation(scenario, seed=seed)
        log = SessionLog.start(convo, mode=mode, trainee=trainee)
        log.started_at = clock()
        if store is not None:
            store.create_session(log)
        return cls(convo, log, store)

    @classmethod
    def resume(cls, log: SessionLog, store=None, scenario: Scenario | None = None) -> "Session":
        """Carry on a saved session, against the files it was played with (FilesGone if the
        persona file is not there). `note` says when those files changed since."""
        scenario = scenario or scenario_of(log)
        convo, differs = replay_log(log, scenario)
        session = cls(convo, log, store)
        session.note = change_note(log, scenario, differs)
        if log.ended_at and store is not None and log.id:
            store.reopen_session(log.id)
        log.ended_at = None
        return session

    @classmethod
    def branch(cls, log: SessionLog, after_turn: int, store=None,
               clock: Callable[[], str] = now_iso) -> "Session":
        """A new try from after `after_turn`, saved as a session of its own."""
        new_log, convo = branch(log, after_turn)
        new_log.started_at, new_log.ended_at = clock(), None
        if store is not None:
            store.create_session(new_log)
        return cls(convo, new_log, store)

    @property
    def mode(self) -> str:
        return self.log.mode

    @property
    def ended(self) -> bool:
        return self.convo.ended

    @property
    def name(self) -> str:
        return self.convo.persona.name

    def read(self, text: str) -> Reading:
        """The trainee's words as moves, cleaned first (the one place text is cleaned)."""
        return self.convo.recognizer(plain_text(text))

    def play(self, said: str | Reading, clock: Callable[[], str] = now_iso) -> tuple[ClientTurn, TurnRecord]:
        """Play one turn and save it, as one unit: if saving fails, the engine and the log are
        as they were and the error is raised (the trainee's words are the caller's to keep)."""
        if isinstance(said, str):
            reading = self.read(said)
        else:  # a reading built by a face (a choice, "did you mean"): its words cleaned the same way
            cleaned = plain_text(said.text)
            reading = said if cleaned == said.text else dataclasses.replace(said, text=cleaned)
        if self.store is None or not self.log.id:  # nothing to save, so nothing to undo
            turn = self.convo.step(reading)
            record = TurnRecord.from_turn(turn, at=clock())
        else:
            before = self.convo.snapshot()
            try:
                turn = self.convo.step(reading)
                record = TurnRecord.from_turn(turn, at=clock())
                # Saved at once: a killed terminal loses nothing and the session can be resumed.
                self.store.append_turn(self.log.id, record)
            except BaseException:
                self.convo.restore(before)
                raise
        self.log.turns.append(record)
        return turn, record

    def finish(self) -> None:
        if self.store is not None and self.log.id and not self.log.ended_at:
            self.store.finish_session(self.log.id)
        self.log.ended_at = self.log.ended_at or now_iso()


def save_played(sessions: list[Session], store) -> list[str]:
    """Save sessions played without a store (`peersim replay --save`), finished and scored,
    in one transaction: a run stopped half-way saves none of its scripts, and can simply be
    run again. Returns their ids."""
    for session in sessions:
        session.log.ended_at = session.log.ended_at or now_iso()
        session.store = store
    return store.create_sessions([s.log for s in sessions])
