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

from simulator.tui.keys import help_rows
from simulator.tui.labels import FADE_AFTER, FADE_OFF

def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every key, read from the BINDINGS of the app, its screens and the compose box."""
    from simulator.tui.app import PeersimApp
    from simulator.tui.screens.choose import ChooseScreen
    from simulator.tui.screens.conversation import ConversationScreen
    from simulator.tui.screens.debrief import DebriefScreen
    from simulator.tui.screens.history import HistoryScreen
    from simulator.tui.widgets.compose import ComposeBox

    return [
        ("Everywhere", help_rows(PeersimApp, skip_actions=frozenset())),
        ("Choosing a client", help_rows(ChooseScreen)),
        ("In a conversation", help_rows(ComposeBox, ConversationScreen)),
        ("Debrief and history", help_rows(DebriefScreen, HistoryScreen)),
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
    for title, rows in sections():
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
    rows = [f"{key} {what}" for _title, keys in sections() for key, what in keys]
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
