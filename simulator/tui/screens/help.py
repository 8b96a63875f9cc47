"""Every key, the modes, and how the fading mode decides when to show feedback.
Plain two-column text, so it stays readable at 80x24."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from simulator.tui.labels import FADE_AFTER, FADE_OFF

KEYS = [
    ("Everywhere", [
        ("F1", "this help"),
        ("Ctrl+P", "command palette: new session, history, theme, \"Did you mean…?\" on or off, help, quit"),
        ("Ctrl+T", "switch between the light and the dark theme"),
        ("Ctrl+Q", "quit (your session is already saved)"),
    ]),
    ("Choosing a client", [
        ("type", "filter the clients (name, situation, skills, background)"),
        ("Up / Down", "move through the list"),
        ("PageUp/PageDown", "scroll the client's background"),
        ("Enter", "meet the highlighted client: content note and mode first"),
        ("F3", "pick an unfinished session to resume"),
        ("F2", "your past sessions"),
        ("Esc", "clear the filter"),
    ]),
    ("In a conversation", [
        ("Enter", "send what you typed"),
        ("Ctrl+J", "new line (Shift+Enter or Alt+Enter too, where the terminal sends them)"),
        ("Ctrl+G", "ask the coach for ideas (practice, fading and choice modes)"),
        ("F4", "show or hide, under each chip, the words behind each move and whether it counted"),
        ("PageUp/PageDown", "scroll the conversation (from the box where you type)"),
        ("F5", "jump to the newest turn"),
        ("1 to 4", "pick a reply (choice mode)"),
        ("Esc / F10", "end the session (asks first) and see the debrief"),
    ]),
    ("Debrief and history", [
        ("m / w", "save the debrief as Markdown / HTML"),
        ("r", "retry from a turn (a new try; the original is kept)"),
        ("F2", "your past sessions; Enter reopens a debrief"),
        ("Esc", "back"),
    ]),
]

MODES = [
    ("Practice", "under each of your turns a small chip shows the move(s) that counted and what they "
                 "did to rapport; F4 shows the words behind each. Ctrl+G asks the coach for ideas. The "
                 "arrow beside the rapport number compares it with before your last turn."),
    ("Fading", f"chips show on every turn until you have made {FADE_AFTER} helpful turns in a row; "
               f"then on every other turn; after {FADE_OFF} helpful turns in a row they stop. A turn "
               "that lowers rapport always shows its chip and starts the count again. Feedback that "
               "fades as a skill settles prepares you for real conversations, where nobody shows chips."),
    ("Assessment", "no feedback until the end: no chips, no coach, no rapport meter and no story "
                   "counter; everything is in the debrief."),
    ("Choice", "pick one of four replies instead of typing. Some help, some don't."),
]


FOOTNOTE = ("In practice mode, if peersim is unsure what kind of reply you wrote (or heard something "
            "that could sound harsh), it asks \"Did you mean…?\" instead of guessing, with the readings "
            "most likely first; you can turn that off. In fading and assessment modes it never asks: an "
            "unsure turn is read as its most likely harmless move and marked in the debrief. Every turn "
            "is saved as you go: if the terminal closes, start peersim again and resume the session.\n\nEsc closes this help.")


def help_renderable() -> Group:
    """Two-column tables, so long descriptions wrap in their own column."""
    parts: list = [Text("peersim keys", style="bold underline")]
    for title, rows in KEYS:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True, title=title,
                      title_justify="left", title_style="bold")
        table.add_column(width=16, no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for key, what in rows:
            table.add_row(key, what)
        parts += [Text(""), table]
    parts += [Text(""), Text("Modes", style="bold underline")]
    for name, what in MODES:
        parts.append(Text.assemble((f"{name}: ", "bold"), what))
    parts += [Text(""), Text(FOOTNOTE)]
    return Group(*parts)


def help_plain() -> str:
    """Everything the help says, as plain text (for tests and searching)."""
    rows = [f"{key} {what}" for _title, keys in KEYS for key, what in keys]
    return "\n".join([*rows, *(f"{n}: {w}" for n, w in MODES), FOOTNOTE])


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_renderable(), id="help-body")

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
