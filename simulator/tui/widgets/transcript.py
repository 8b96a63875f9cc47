"""The conversation transcript: client lines, the client's cue, trainee lines and chips.
Every text is shown with markup off: it is the trainee's own words or author text."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.tui.practice import Chip


class Transcript(VerticalScroll):
    can_focus = False

    def on_resize(self) -> None:
        # The transcript never takes the focus (PageUp/PageDown scroll it from the input),
        # so when the window or the reply list changes its height, keep the latest lines in view.
        self.scroll_end(animate=False)

    def add_cue(self, cue: str) -> None:
        self.mount(Static(f"({cue})", classes="cue", markup=False))

    def add_client(self, name: str, text: str) -> None:
        self.mount(Static(f"{name}: {text}", classes="msg client", markup=False))

    def add_trainee(self, text: str) -> None:
        self.mount(Static(text, classes="msg trainee", markup=False))

    def add_chip(self, chip: Chip) -> None:
        hidden = "" if chip.shown else " hidden"
        self.mount(Static(chip.text, classes=f"chip {chip.tone}{hidden}", markup=False))
        if chip.why:
            # Shown on F4 (the transcript's -show-why class): the words behind each move.
            self.mount(Static("\n".join(chip.why), classes=f"why{hidden}", markup=False))

    def add_note(self, text: str) -> None:
        self.mount(Static(text, classes="note", markup=False))

    def reveal_chips(self) -> None:
        for chip in self.query(".chip.hidden, .why.hidden"):
            chip.remove_class("hidden")
