"""The trainee's input: a TextArea where Enter sends and Ctrl+J starts a new line.

Ctrl+J is used for the new line because it reaches the app in every terminal and over
SSH (it is a plain line feed); Shift+Enter and Alt+Enter also work where the terminal
reports them, but many terminals send the same bytes for Shift+Enter as for Enter.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
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
    # The keys, for the help and the side pane. They are read in _on_key below, in order
    # with the letters typed before them: a priority binding would run ahead of letters still
    # on their way to the box, and send half a sentence (Textual's guide extends TextArea so).
    BINDINGS = [
        Binding("enter", "send", "Send", show=False, tooltip="send what you typed"),
        Binding(",".join(NEWLINE_KEYS), "newline", "New line", show=False, key_display="Ctrl+J",
                tooltip="new line (Shift+Enter or Alt+Enter too, where the terminal sends them)"),
    ]

    @dataclass
    class Submitted(Message):
        box: "ComposeBox"
        text: str

    def __init__(self, placeholder: str = "", **kwargs):
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder=placeholder, compact=True, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" or event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self.action_send()
            else:
                self.action_newline()
            return
        await super()._on_key(event)

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
