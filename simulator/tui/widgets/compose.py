"""The trainee's input: a TextArea where Enter sends and Ctrl+J starts a new line.

Ctrl+J is used for the new line because it reaches the app in every terminal and over
SSH (it is a plain line feed); Shift+Enter and Alt+Enter also work where the terminal
reports them, but many terminals send the same bytes for Shift+Enter as for Enter.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")


class ComposeBox(TextArea):
    # !important: TextArea's compact style removes the border with !important.
    DEFAULT_CSS = """
    ComposeBox { height: auto; min-height: 3; max-height: 8; padding: 0 1; }
    ComposeBox.-textual-compact { border: round $accent !important; }
    ComposeBox.-textual-compact:disabled { border: round $foreground 20% !important; }
    """
    # Priority: checked before the TextArea's own handling of the keys (Enter would insert a line).
    BINDINGS = [
        Binding("enter", "send", "Send", show=False, priority=True, tooltip="send what you typed"),
        Binding(",".join(NEWLINE_KEYS), "newline", "New line", show=False, priority=True, key_display="Ctrl+J",
                tooltip="new line (Shift+Enter or Alt+Enter too, where the terminal sends them)"),
    ]

    @dataclass
    class Submitted(Message):
        box: "ComposeBox"
        text: str

    def __init__(self, placeholder: str = "", **kwargs):
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder=placeholder, compact=True, **kwargs)

    def action_send(self) -> None:
        text = self.text
        if text.strip():
            # Emptied at once, so words typed ahead while the reply is worked out are kept.
            self.clear()
            self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")

    def restore(self, text: str) -> None:
        """Put unsent words back (an error, or the trainee chose to edit them)."""
        self.text = text + ("\n" + self.text if self.text else "")
        self.move_cursor(self.document.end)
