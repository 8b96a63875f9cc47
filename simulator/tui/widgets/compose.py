"""The trainee's input: a TextArea where Enter sends and Ctrl+J starts a new line.

Ctrl+J is used for the new line because it reaches the app in every terminal and over
SSH (it is a plain line feed); Shift+Enter and Alt+Enter also work where the terminal
reports them, but many terminals send the same bytes for Shift+Enter as for Enter.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")


class ComposeBox(TextArea):
    @dataclass
    class Submitted(Message):
        box: "ComposeBox"
        text: str

    def __init__(self, placeholder: str = "", **kwargs):
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder=placeholder, compact=True, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text = self.text
            if text.strip():
                # Emptied at once, so words typed ahead while the reply is worked out are kept.
                self.clear()
                self.post_message(self.Submitted(self, text))
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def restore(self, text: str) -> None:
        """Put unsent words back (an error, or the trainee chose to edit them)."""
        self.text = text + ("\n" + self.text if self.text else "")
        self.move_cursor(self.document.end)
