"""The conversation transcript: client lines, the client's cue, trainee lines and chips.
Every text is shown with markup off: it is the trainee's own words or author text."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.tui.practice import Chip


class Transcript(VerticalScroll):
    can_focus = False

    def on_resize(self) -> None:
        # Keys can't scroll the transcript (it never takes the focus), so when the window
        # or the reply list changes its height, keep the latest lines in view.
        self.scroll_end(animate=False)

    def add_cue(self, cue: str) -> None:
        self.mount(Static(f"({cue})", classes="cue", markup=False))

    def add_client(self, name: str, text: str) -> None:
        self.mount(Static(f"{name}: {text}", classes="msg client", markup=False))

    def add_trainee(self, text: str) -> None:
        self.mount(Static(text, classes="msg trainee", markup=False))

    def add_chip(self, chip: Chip) -> None:
        classes = f"chip {chip.tone}" + ("" if chip.shown else " hidden")
        self.mount(Static(chip.text, classes=classes, markup=False))

    def add_note(self, text: str) -> None:
        self.mount(Static(text, classes="note", markup=False))

    def reveal_chips(self) -> None:
        for chip in self.query(".chip.hidden"):
            chip.remove_class("hidden")
