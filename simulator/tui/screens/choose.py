"""Choose a client: type to filter, read who they are, start or resume a session."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator.tui.labels import short_date
from simulator.tui.messages import ClientChosen, ClientsWanted, ResumeSession, UnfinishedWanted


class ChooseScreen(Screen):
    # Keys the filter box and the list read themselves, listed in the help before the bindings.
    HELP_KEYS = [("type", "filter the clients (name, situation, skills, background)"),
                 ("Enter", "meet the highlighted client: content note and mode first")]
    BINDINGS = [
        Binding("up", "move(-1)", "Previous", show=False, key_display="Up / Down",
                tooltip="move through the list"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("pageup", "scroll_detail(-1)", "Scroll up", show=False, key_display="PageUp/PageDown",
                tooltip="scroll the client's background"),
        Binding("pagedown", "scroll_detail(1)", "Scroll down", show=False),
        Binding("f2", "app.history", "History", tooltip="your past sessions"),
        Binding("f3", "resume", "Resume", tooltip="pick an unfinished session to resume"),
        Binding("escape", "clear_filter", "Clear filter", show=False, tooltip="clear the filter"),
    ]

    def __init__(self):
        super().__init__()
        self.cards: list = []  # ClientCard, imported in the worker (keeps launch light)
        self.shown: list = []
        self.problems: list[str] = []   # client files that did not load: listed, never started
        self.stale = False  # set when a full screen (a session, the history) opens over this one

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="choose"):
            with Vertical(id="choose-left"):
                yield Input(placeholder="Type to filter clients", id="filter")
                yield OptionList(id="clients")
                yield Label("Unfinished sessions (F3 to pick)", id="resume-title")
                yield OptionList(id="resume")
            with VerticalScroll(id="detail"):
                yield Static("Loading clients…", id="detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter").focus()
        self.query_one("#resume-title").display = False
        self.query_one("#resume").display = False
        # Draw the screen first; the app loads the clients after that (in a worker).
        self.call_after_refresh(self.post_message, ClientsWanted(self))

    def show_clients(self, cards: list, problems: list[str], unfinished: list) -> None:
        self.cards = cards
        self.problems = problems
        for problem in problems:
            self.notify(f"A client file could not be loaded: {problem}", severity="warning", timeout=8)
        self.apply_filter(self.query_one("#filter", Input).value)
        self.show_unfinished(unfinished)

    def show_unfinished(self, sessions: list) -> None:
        resume = self.query_one("#resume", OptionList)
        resume.clear_options()
        for s in sessions:
            when = short_date(s.started_at)
            turns = f"{s.turns} turn{'s' if s.turns != 1 else ''}"
            resume.add_option(Option(Text(f"{s.persona_name} · {turns} · {s.mode} · {when}"), id=s.id))
        show = bool(sessions)
        resume.display = show
        self.query_one("#resume-title").display = show

    # ----------------------------------------------------------------- filter and detail
    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, query: str) -> None:
        ranked = [(c.rank(query), i, c) for i, c in enumerate(self.cards)]
        self.shown = [c for rank, _i, c in sorted((r for r in ranked if r[0] is not None),
                                                   key=lambda r: (r[0], r[1]))]
        clients = self.query_one("#clients", OptionList)
        clients.clear_options()
        for i, card in enumerate(self.shown):
            if i:
                clients.add_option(None)  # a rule between cards
            p = card.scenario.persona
            prompt = Text.assemble((p.name, "bold"), ("  local" if card.local else "", "bold"),
                                   f"  {p.difficulty}", (f"  {card.skills}", "italic"), "\n", (p.summary, "dim"))
            clients.add_option(Option(prompt, id=card.id))
        for i, problem in enumerate(self.problems):
            clients.add_option(Option(Text(f"Cannot be started: {problem}", style="dim"),
                                      id=f"broken-{i}", disabled=True))
        if self.shown:
            clients.highlighted = 0
            self.show_detail(self.shown[0])
        elif self.cards:
            self.query_one("#detail-body", Static).update("No client matches that. Esc clears the filter.")

    def show_detail(self, card) -> None:
        p = card.scenario.persona
        text = Text()
        text.append(f"{p.name}", style="bold")
        extra = ", ".join(x for x in (str(p.age) if p.age else "", p.pronouns) if x)
        text.append(f" ({extra})\n" if extra else "\n")
        text.append(f"Difficulty: {p.difficulty}   Skills: {card.skills}\n\n")
        text.append("What you've been told\n", style="bold")
        text.append(p.background.strip() + "\n")
        if p.presenting_concern:
            text.append("\nWhy they're here\n", style="bold")
            text.append(p.presenting_concern + "\n")
        if p.content_note:
            text.append("\nContent note: ", style="bold")
            text.append(p.content_note + "\n")
        text.append("\nEnter to meet them.", style="italic")
        self.query_one("#detail-body", Static).update(text)

    @on(OptionList.OptionHighlighted, "#clients")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        card = self.card(event.option.id)
        if card:
            self.show_detail(card)

    def card(self, persona_id: str | None):
        return next((c for c in self.cards if c.id == persona_id), None)

    def action_move(self, step: int) -> None:
        clients = self.query_one("#clients", OptionList)
        if step > 0:
            clients.action_cursor_down()
        else:
            clients.action_cursor_up()

    def action_scroll_detail(self, direction: int) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        if direction > 0:
            detail.scroll_page_down()
        else:
            detail.scroll_page_up()

    def action_clear_filter(self) -> None:
        # Also the way back from the unfinished sessions (F3): typing filters again.
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()

    # ----------------------------------------------------------------- start / resume
    @on(Input.Submitted, "#filter")
    def start_highlighted(self) -> None:
        clients = self.query_one("#clients", OptionList)
        if clients.highlighted is not None and clients.option_count:
            self.begin(clients.get_option_at_index(clients.highlighted).id)

    @on(OptionList.OptionSelected, "#clients")
    def client_selected(self, event: OptionList.OptionSelected) -> None:
        self.begin(event.option.id)

    def begin(self, persona_id: str) -> None:
        card = self.card(persona_id)
        if card:
            self.post_message(ClientChosen(card.scenario))

    def action_resume(self) -> None:
        resume = self.query_one("#resume", OptionList)
        if resume.option_count:
            resume.highlighted = resume.highlighted or 0
            resume.focus()
        else:
            self.notify("There are no unfinished sessions.")

    @on(OptionList.OptionSelected, "#resume")
    def resume_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(ResumeSession(event.option.id))

    def on_screen_resume(self) -> None:
        if self.stale:
            # Back from a session, a debrief or the history: a fresh list, not the last search
            # (back from a dialog, such as the content note, the search stays).
            self.stale = False
            self.query_one("#filter", Input).value = ""
            self.apply_filter("")
        self.post_message(UnfinishedWanted(self))
        self.query_one("#filter").focus()
