"""Small dialogs: the trainee's name, before a session starts, confirm, "did you mean",
the coach's ideas, which turn to retry from, and the window-too-small notice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator.moves.taxonomy import MOVES
from simulator.tui.labels import MODE_TITLES, MODES, move_label
from simulator.tui.messages import CheckSize


class NameScreen(ModalScreen[str]):
    """Asked once: the name sessions are filed under. Optional; Esc skips."""

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Welcome to peersim", classes="dialog-title")
            yield Static("What name should your sessions be kept under? It stays on this "
                         "computer. You can leave it empty.", classes="dialog-body")
            yield Input(placeholder="Your name (optional)", id="name", max_length=60)
            with Horizontal(classes="buttons"):
                yield Button("Continue", variant="primary", id="ok")
                yield Button("Skip", id="skip")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.query_one(Input).value.strip() if event.button.id == "ok" else "")

    def action_skip(self) -> None:
        self.dismiss("")


class BeforeStartScreen(ModalScreen[str | None]):
    """The content note and the choice of mode, with a way back."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, scenario, mode: str = "practice"):
        super().__init__()
        self.scenario = scenario
        self.mode = mode if mode in MODES else "practice"

    def compose(self) -> ComposeResult:
        persona = self.scenario.persona
        with Vertical(classes="dialog wide-dialog"):
            yield Label(f"Before you meet {persona.name}", classes="dialog-title", markup=False)
            note = persona.content_note or "No content note for this client."
            yield Static(f"Content note: {note}", classes="content-note", markup=False)
            yield Static("Choose how you'd like to practise, then press Enter. "
                         "You can end the session at any time with Esc.", classes="dialog-body")
            modes = OptionList(*[Option(MODE_TITLES[m], id=m) for m in MODES], id="modes")
            yield modes
            # The highlight is only a colour: the chosen mode is also named in words.
            yield Static(id="mode-chosen", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        modes = self.query_one(OptionList)
        modes.highlighted = MODES.index(self.mode)
        modes.focus()
        self.name_mode(self.mode)

    def name_mode(self, mode: str) -> None:
        self.query_one("#mode-chosen", Static).update(f"Chosen: {mode.capitalize()} mode. Enter starts.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.name_mode(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            modes = self.query_one(OptionList)
            self.dismiss(MODES[modes.highlighted or 0])
        else:
            self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


AS_IS = "-as-is"
STOP_ASKING = "-stop-asking"


class ClarifyScreen(ModalScreen[str | None]):
    """An unsure reading: ask what the trainee meant instead of guessing. Returns a move
    id, AS_IS to send it as read (its harmless reading), STOP_ASKING to do that and stop
    asking, or None to go back and edit."""

    BINDINGS = [Binding("escape", "edit", "Edit my words")]

    def __init__(self, text: str, moves: list[str],
                 question: str = "I couldn't tell which kind of reply this is. Which is closest?"):
        super().__init__()
        self.text, self.moves, self.question = text, moves, question
        self.typed = ""  # letters typed ahead while this opened; they go back in the box

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Did you mean…?", classes="dialog-title")
            yield Static(f"“{self.text[:200]}”", classes="dialog-quote", markup=False)
            yield Static(self.question, classes="dialog-body", markup=False)
            options = [Option(Text.assemble((move_label(m), "bold"), f"  {MOVES[m].description}"), id=m)
                       for m in self.moves]
            options.append(Option("Send it as it is", id=AS_IS))
            options.append(Option("Send it, and stop asking me", id=STOP_ASKING))
            yield OptionList(*options, id="meanings")
            yield Static("Esc: go back and edit", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        # A trainee who types fast is already writing the next turn when this opens:
        # keep those letters (and the unsent words) in the box instead of dropping them.
        if event.is_printable and event.character:
            event.stop()
            first = not self.typed
            self.typed += event.character
            if first:
                self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss(None)


class CoachScreen(ModalScreen[None]):
    """Ideas for the client's current state: kinds of move, each with one example."""

    BINDINGS = [Binding("escape,enter,ctrl+g", "close", "Close")]

    def __init__(self, name: str, cue: str, ideas: list):
        super().__init__()
        self.client, self.cue, self.ideas = name, cue, ideas

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide-dialog"):
            yield Label("Coach: some ideas", classes="dialog-title")
            yield Static(f"{self.client} {self.cue}. Moves that tend to help here:",
                         classes="dialog-body", markup=False)
            for idea in self.ideas:
                example = (("\nfor instance: ", "italic"), f"“{idea.example}”") if idea.example else ()
                yield Static(Text.assemble((move_label(idea.move), "bold"), f": {idea.description}", *example),
                             classes="idea")
            yield Static("Use your own words; these are only examples. Esc closes.",
                         classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TurnPickScreen(ModalScreen[int | None]):
    """Retry from a turn: the new branch keeps turns up to the one picked."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, turns: list[tuple[int, str]]):
        super().__init__()
        self.turns = turns

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Retry from which point?", classes="dialog-title")
            options = [Option("The very start", id="t0")]
            # Wrapped, never cut mid-word: a long turn is shortened at a word, with "…".
            options += [Option(Text(f"After turn {n}: {short(said)}"), id=f"t{n}") for n, said in self.turns]
            yield OptionList(*options, id="turns")
            yield Static("Your original session stays as it is. Esc: back", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id[1:]))

    def action_back(self) -> None:
        self.dismiss(None)


def short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


class TooSmallScreen(Screen):
    """Shown instead of a broken layout when the window is very small."""

    def compose(self) -> ComposeResult:
        yield Static("The window is a little small for peersim.\n"
                     "Please make it bigger (at least 60 x 16).", id="too-small")

    def on_screen_resume(self) -> None:
        # Back on top after a dialog opened over it (F1, Ctrl+P): the window may have
        # grown meanwhile, and no resize will come to take this notice away.
        self.post_message(CheckSize())
