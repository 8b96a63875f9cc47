"""A minimal practice app: pick a client, talk, see the reply. The full app is built on this."""

from __future__ import annotations

import argparse

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.engine import Conversation, ConversationOver
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, shipped_persona_paths


class PeersimApp(App):
    TITLE = "peersim"
    SUB_TITLE = "practise peer support conversations"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]
    CSS = """
    #transcript { height: 1fr; padding: 0 1; }
    .client { color: $accent; margin-top: 1; }
    .trainee { color: $text; margin-top: 1; text-style: bold; }
    .cue { color: $text-muted; text-style: italic; }
    """

    def __init__(self, seed: int = 0):
        super().__init__()
        self.seed = seed
        self.conversation: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        options = []
        for path in shipped_persona_paths():
            try:
                p = load_scenario(path).persona
            except ScenarioError:
                continue
            options.append(Option(f"{p.name} ({p.difficulty}): {p.summary}", id=str(path)))
        yield OptionList(*options, id="clients")
        yield VerticalScroll(id="transcript")
        yield Input(placeholder="Choose a client above, then type here and press Enter", id="say")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.conversation = Conversation(event.option.id, seed=self.seed)
        transcript = self.query_one("#transcript")
        transcript.remove_children()
        name = self.conversation.persona.name
        transcript.mount(Static(f"({self.conversation.cue})", classes="cue"),
                         Static(f"{name}: {self.conversation.opening_line}", classes="client"))
        self.query_one("#clients").display = False
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self.conversation is None:
            return
        event.input.value = ""
        transcript = self.query_one("#transcript")
        transcript.mount(Static(f"You: {text}", classes="trainee", markup=False))
        try:
            turn = self.conversation.step(text)
        except ConversationOver as exc:
            self.notify(str(exc))
            return
        name = self.conversation.persona.name
        transcript.mount(Static(f"({turn.cue})", classes="cue", markup=False),
                         Static(f"{name}: {turn.reply}", classes="client", markup=False))
        transcript.scroll_end(animate=False)
        if turn.ended:
            self.notify(self.conversation.over_reason())


def run_app(args: argparse.Namespace | None = None) -> int:
    PeersimApp().run()
    return 0
