"""Past sessions of this trainee, newest first; Enter reopens a debrief."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.tui.labels import compact_date
from simulator.tui.messages import OpenDebrief


NAME_WIDTH = 13     # a longer name (a trainer's client may have up to 60 characters) is cut with "…"


class HistoryScreen(Screen):
    HELP_KEYS = [("Enter", "reopen that session's debrief")]
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("f1", "app.help", "Help")]

    def __init__(self, sessions: list, trainee: str = ""):
        super().__init__()
        self.sessions = sessions
        self.trainee = trainee

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-title", markup=False)  # it holds the trainee's own name
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "your past sessions"
        trainee = self.trainee
        table = self.query_one(DataTable)
        # Narrow cells, so the table fits 80 columns beside its scroll bar: a date without its
        # year (the year shows when it is not the newest session's), "from 12" for a retry.
        table.add_columns("Started (UTC)", "Client", "Mode", "Try", "Turns", "Score", "Ending")
        sessions = self.sessions
        this_year = max((s.started_at or "")[:4] for s in sessions) if sessions else ""
        for s in sessions:
            ending = {"left": "client left", "plan": "plan agreed"}.get(s.ending or "",
                                                                     "ended" if s.ended_at else "unfinished")
            score = "-" if s.overall is None else str(s.overall)
            # Text, not str: a DataTable reads a str cell as markup, and a name is author text.
            attempt = "first" if s.parent_id is None else f"from {s.branch_turn or 0}"
            name = s.persona_name if len(s.persona_name) <= NAME_WIDTH else s.persona_name[:NAME_WIDTH - 1] + "…"
            table.add_row(compact_date(s.started_at, this_year), Text(name), s.mode, attempt,
                          str(s.turns), score, ending, key=s.id)
        who = f" for {trainee}" if trainee else ""
        title = (f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}{who}. Enter opens a debrief."
                 if sessions else f"No sessions yet{who}. Your finished sessions will be listed here.")
        self.query_one("#history-title", Static).update(title)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenDebrief(event.row_key.value))
