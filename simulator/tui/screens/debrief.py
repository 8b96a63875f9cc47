"""The debrief: the rapport curve, the scores per lesson, the strongest and weakest
turns with a stronger reply, the story beats, and every turn with its moves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from simulator.debrief.export import EXPORT_FORMATS
from simulator.moves.taxonomy import LESSON_TITLES, Lesson
from simulator.session import SessionLog
from simulator.tui.messages import ExportDebrief, GoHome, RetryFrom, ShowError
from simulator.tui.practice import move_label
from simulator.tui.screens.modals import TurnPickScreen
from simulator.tui.widgets.rapport import RapportCurve


def score_bar(score: int, width: int = 20) -> str:
    filled = round(width * max(0, min(100, score)) / 100)
    return "█" * filled + "░" * (width - filled)


def export_bindings() -> list[Binding]:
    """A key for each export format that has one (simulator/debrief/export.py)."""
    return [Binding(f.key, f"export('{f.name}')", f"Save {f.suffix}") for f in EXPORT_FORMATS.values() if f.key]


def export_keys_line() -> str:
    return " · ".join(f"{f.key}: save as {f.title}" for f in EXPORT_FORMATS.values() if f.key)


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back"),
        *export_bindings(),
        Binding("r", "retry", "Retry from a turn", tooltip="retry from a turn (a new try; the original is kept)"),
        Binding("f2", "app.history", "History", tooltip="your past sessions; Enter reopens a debrief"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, log: SessionLog, scenario=None):
        super().__init__()
        self.session_log = log
        self.scenario = scenario  # the client it was played with, when the app has it loaded
        self.result = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static("Preparing your debrief…", id="debrief-wait")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"debrief · {self.session_log.persona_name}"
        self.query_one("#debrief").focus()
        self.compute()

    @work(thread=True, exclusive=True, group="debrief")
    def compute(self) -> None:
        try:
            from simulator.debrief import debrief

            from simulator.service import scenario_if_there

            # The files it was played with, if the app has not got them loaded already.
            scenario = self.scenario or scenario_if_there(self.session_log)
            result = debrief(self.session_log, scenario)
        except Exception as exc:
            self.post_message(ShowError("The debrief could not be prepared", exc))
            return
        self.app.call_from_thread(self.show, result)

    def show(self, d) -> None:
        self.result = d
        box = self.query_one("#debrief", VerticalScroll)
        box.remove_children()
        log = self.session_log
        ending = {"left": f"{log.persona_name} left the conversation.",
                  "plan": f"You and {log.persona_name} agreed a plan."}.get(log.ending or "", "")
        turns = f"{len(log.turns)} turn{'s' if len(log.turns) != 1 else ''}"
        head = Text.assemble((f"{log.persona_name} · {turns} · {log.mode}", "bold"),
                             f"   overall {d.overall}/100", f"\n{ending}" if ending else "")
        widgets = [Static(head, id="debrief-head"),
                   Static("Rapport over the session", classes="section"),
                   RapportCurve(log.rapport_curve, id="curve")]
        if d.feedback:
            widgets.append(Static("What stood out", classes="section"))
            widgets.append(Static("\n".join(f"• {line}" for line in d.feedback), classes="feedback",
                                  markup=False))
        widgets.append(Static("The four lessons (and listening)", classes="section"))
        lessons = Text()
        for lesson, score in d.lessons.items():
            title = LESSON_TITLES.get(Lesson(lesson), lesson) if lesson in Lesson._value2member_map_ else lesson
            lessons.append(f"{score_bar(score, 12)} {score:>3}  ", style="bold")
            lessons.append(title)
            detail = d.lesson_details.get(lesson)
            if detail is not None and not detail.practised:
                # A neutral 50 is not half marks; say so, or it reads as a middling score.
                lessons.append("  (not practised)", style="dim")
            lessons.append("\n")
        widgets.append(Static(lessons, classes="lessons"))
        widgets += self.turn_highlights(d)
        widgets.append(Static("Their story", classes="section"))
        story = Text()
        for _id, summary in d.beats_uncovered:
            story.append("✓ ", style="bold green")
            story.append(f"{summary}\n")
        for _id, summary in d.beats_missed:
            story.append("· not yet told: ", style="dim")
            story.append(f"{summary}\n")
        if not d.beats_uncovered and not d.beats_missed:
            story.append("This client has no story beats.")
        widgets.append(Static(story, classes="story"))
        widgets.append(Static("Turn by turn", classes="section"))
        widgets.append(Static(self.turn_table(d), classes="turns"))
        widgets.append(Static(f"{export_keys_line()} · r: retry from a turn · Esc: back", classes="debrief-keys"))
        box.mount_all(widgets)
        box.scroll_home(animate=False)

    def turn_highlights(self, d) -> list[Static]:
        out = []
        for title, note in (("Strongest turn", d.strongest), ("Weakest turn", d.weakest)):
            if note is None:
                continue
            text = Text.assemble((f"Turn {note.number}: ", "bold"), f"“{note.trainee}”\n", note.why)
            if title == "Weakest turn" and d.better_reply:
                text.append("\nA stronger reply")
                if d.better_move:
                    text.append(f" ({move_label(d.better_move)})", style="bold")
                text.append(f" might have been: “{d.better_reply}”")
            out += [Static(title, classes="section"), Static(text, classes="highlight")]
        return out

    def turn_table(self, d) -> Table:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", width=3, no_wrap=True)
        table.add_column("You said", ratio=3)
        table.add_column("Moves read", ratio=2)
        table.add_column("Effect", justify="right", width=6, no_wrap=True)
        for note in d.turn_notes:
            style = "green" if note.delta > 0 else "red" if note.delta < 0 else ""
            table.add_row(str(note.number), Text(note.trainee),
                          ", ".join(move_label(m) for m in note.moves) or "-",
                          Text(f"{note.delta:+d}", style=style))
        return table

    def action_back(self) -> None:
        """Back to the history list when opened from it, otherwise to the clients."""
        from simulator.tui.screens.history import HistoryScreen

        stack = self.app.screen_stack
        if len(stack) > 2 and isinstance(stack[-2], HistoryScreen):
            self.app.pop_screen()
        else:
            self.post_message(GoHome())

    def action_export(self, fmt: str) -> None:
        if self.result is None:
            self.app.notify("The debrief is still being prepared.")
            return
        self.post_message(ExportDebrief(self.session_log, fmt))

    def action_retry(self) -> None:
        turns = [(t.number, t.trainee) for t in self.session_log.turns if not t.ended]

        def picked(after: int | None) -> None:
            if after is not None:
                self.post_message(RetryFrom(self.session_log, after))

        self.app.push_screen(TurnPickScreen(turns), picked)
