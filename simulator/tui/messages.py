"""What a screen asks of the app, as Textual messages: a screen posts one and the app
handles it (`PeersimApp.on_<message>`), so screens know nothing of how the app starts a
session, opens the store or files a setting. Data goes the other way, down: the app
hands each screen what it shows (a session, a log, a list of past sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ShowError(Message):
    """Tell the trainee something went wrong (and keep the details in errors.log)."""

    what: str
    error: BaseException | None = None


@dataclass
class SaveSetting(Message):
    key: str
    value: str


@dataclass
class ClientChosen(Message):
    """Meet this client: the content note and the choice of mode come first."""

    scenario: Any


@dataclass
class ResumeSession(Message):
    session_id: str


@dataclass
class ClientsWanted(Message):
    """The client list has been drawn: load the clients (and open the store) for it."""

    screen: Any


@dataclass
class UnfinishedWanted(Message):
    """The client list is showing again: send it the unfinished sessions."""

    screen: Any


@dataclass
class ShowDebrief(Message):
    """A session is over: its debrief replaces the conversation (or opens over the list)."""

    log: Any
    replace: bool = False


@dataclass
class OpenDebrief(Message):
    """Reopen a past session's debrief (from the history)."""

    session_id: str


@dataclass
class RetryFrom(Message):
    """A new try from after turn `after` of this session; the original is kept."""

    log: Any
    after: int


class GoHome(Message):
    """Back to the client list."""


class CheckSize(Message):
    """Look at the window size again (the too-small notice may be out of date)."""


@dataclass
class SaveElsewhere(Message):
    """The session's folder cannot be written: copy the session to `folder` and save there."""

    folder: str
    screen: Any


@dataclass
class ExportDebrief(Message):
    """Save this session's debrief in the data folder's exports, in one of EXPORT_FORMATS."""

    log: Any
    fmt: str
