"""The trainee's app. Screens live in screens/, widgets in widgets/, the session rules in
practice.py and styles in styles/*.tcss; this module wires them together and owns the
store, so every screen asks the app for data (messages up, attributes down)."""

from __future__ import annotations

import argparse
import os
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from textual import work
from textual.app import App
from textual.binding import Binding

from simulator.tui import messages
from simulator.tui.commands import PeersimCommands
from simulator.tui.labels import MODES
from simulator.tui.screens.choose import ChooseScreen
from simulator.tui.screens.modals import BeforeStartScreen, NameScreen, TooSmallScreen

if TYPE_CHECKING:
    from simulator.scenario.checked import Scenario
    from simulator.session import SessionLog

# The engine, the scenario loader and the store are imported when first needed (in the
# start-up worker), not here: the first screen is drawn before they load. See
# benchmarks/bench_tui.py.


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# The screens a session opens, imported on first use: the conversation and the debrief
# import the engine, and the first screen is drawn before it loads.
SCREENS = {
    "conversation": ("simulator.tui.screens.conversation", "ConversationScreen"),
    "debrief": ("simulator.tui.screens.debrief", "DebriefScreen"),
    "history": ("simulator.tui.screens.history", "HistoryScreen"),
    "help": ("simulator.tui.screens.help", "HelpScreen"),
}


def screen_class(name: str) -> type:
    from importlib import import_module

    module, cls = SCREENS[name]
    return getattr(import_module(module), cls)


MIN_WIDTH, MIN_HEIGHT = 60, 16
LIGHT, DARK = "textual-light", "textual-dark"


class PeersimApp(App):
    TITLE = "peersim"
    SUB_TITLE = "practise peer support conversations"
    CSS_PATH = "styles/app.tcss"
    COMMANDS = App.COMMANDS | {PeersimCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    # Ctrl+P is Textual's own binding (the command palette, COMMANDS below).
    HELP_KEYS = [("Ctrl+P", "command palette: new session, history, theme, \"Did you mean…?\" on or off, help, quit")]
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="this help"),
        Binding("ctrl+t", "toggle_theme", "Theme", priority=True,
                tooltip="switch between the light and the dark theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit (your session is already saved)"),
    ]

    def __init__(self, data_dir: str | Path | None = None, mode: str | None = None, seed: int = 0,
                 persona_paths: list[Path] | None = None, clock: Callable[[], str] = now_iso,
                 ask_name: bool = True, browser_trainee: str | None = None):
        super().__init__()
        # `peersim serve`: one app per browser, all on one data folder. The name is this
        # person's (from the page's address or asked first), never the shared saved setting.
        self.browser = browser_trainee is not None
        self.data_dir = data_dir
        self.default_mode = mode
        self.seed = seed
        self.persona_paths = persona_paths
        self.clock = clock
        self.ask_name = ask_name
        self.store = None
        self.trainee = browser_trainee or ""
        self.scenarios: dict[str, Scenario] = {}

    # ----------------------------------------------------------------- start-up
    def on_mount(self) -> None:
        self.theme = DARK
        self.push_screen(ChooseScreen())  # once drawn, it asks the app to load the clients
        self.check_size()

    def open_store(self) -> None:
        """Open the session file (called from the start-up worker thread)."""
        if self.store is not None:
            return
        try:
            from simulator.store import Store

            self.store = Store(self.data_dir)
        except Exception as exc:
            self.call_from_thread(self.show_error,
                                  "Your sessions can't be saved (the session file could not be opened)", exc)
            return
        if not self.browser:
            self.trainee = self.setting("trainee", "") or ""

    def store_ready(self) -> None:
        """The store is open: apply the saved theme and ask the trainee's name once."""
        theme = self.setting("theme", DARK)
        self.theme = theme if theme in (LIGHT, DARK) else DARK
        asked = not self.trainee if self.browser else self.ask_name and self.setting("trainee") is None
        if asked and self.store is not None:
            self.push_screen(NameScreen(), self.name_given)

    def name_given(self, name: str | None) -> None:
        self.trainee = name or ""
        if not self.browser:
            self.save_setting("trainee", self.trainee)
        elif not name:  # everyone in the room shares one data folder: a name keeps sessions apart
            self.notify("In a shared room your name keeps your sessions apart from everyone else's.")
            self.push_screen(NameScreen(), self.name_given)

    def setting(self, key: str, default: str | None = None) -> str | None:
        if self.store is None:
            return default
        try:
            return self.store.get_setting(key, default)
        except Exception:
            return default

    def save_setting(self, key: str, value: str) -> None:
        if self.store is not None:
            try:
                self.store.set_setting(key, value)
            except Exception as exc:
                self.show_error("A setting could not be saved", exc)

    # ----------------------------------------------------------------- errors
    def show_error(self, what: str, exc: BaseException | None = None) -> None:
        """Every error reaches the trainee as a notification, never as a traceback."""
        detail = f": {exc}" if exc and str(exc) else ""
        self.notify(f"{what}{detail}", severity="error", timeout=10)
        if exc is not None:
            self.log_error(exc)

    def log_error(self, exc: BaseException) -> Path | None:
        try:
            from simulator.store import resolve_data_dir, write_private

            path = Path(resolve_data_dir(self.data_dir)) / "errors.log"
            return write_private(path, f"--- {now_iso()}\n" + "".join(traceback.format_exception(exc)), append=True)
        except Exception:
            return None

    def _handle_exception(self, error: Exception) -> None:
        # Textual's one hook for an exception no handler caught: it stops that widget's
        # message loop, so the app cannot carry on safely and Textual closes it. Keep the
        # traceback in a log file, and close with a plain message instead of a screen of
        # traceback: Textual prints an error's __rich__ in place of its traceback.
        path = self.log_error(error)
        where = f" Details are in {path}." if path else ""
        message = (f"peersim hit a problem and had to close: {error}. "
                   f"Your session is saved; start peersim to resume it.{where}")
        try:
            error.__rich__ = lambda: message
        except AttributeError:  # an exception type without instance attributes keeps its traceback
            pass
        super()._handle_exception(error)

    # ----------------------------------------------------------------- window size
    def on_resize(self, event) -> None:
        self.check_size(event.size)

    def check_size(self, size=None) -> None:
        size = size or self.size  # the event's size: self.size is updated a moment later
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    # ----------------------------------------------------------------- data for screens
    def remember_scenarios(self, scenarios: Iterable[Scenario]) -> None:
        # Kept by file, not by id: a trainer's own marcus.yaml is not the shipped Marcus.
        for scenario in scenarios:
            self.scenarios[str(Path(scenario.persona_path).resolve())] = scenario

    def scenario_for(self, log: SessionLog) -> Scenario | None:
        """The files a session was played with, for its debrief (None if they are gone)."""
        if log.persona_path in self.scenarios:
            return self.scenarios[log.persona_path]
        from simulator.service import scenario_if_there

        return scenario_if_there(log)

    def unfinished_sessions(self) -> list:
        if self.store is None:
            return []
        try:
            sessions = self.store.unfinished_sessions()
        except Exception as exc:
            self.show_error("Unfinished sessions could not be read", exc)
            return []
        return [s for s in sessions if s.turns and ((not self.trainee and not self.browser)
                                                    or s.trainee == self.trainee)]

    def past_sessions(self) -> list:
        if self.store is None:
            return []
        try:
            return self.store.list_sessions(trainee=self.trainee if self.browser else self.trainee or None)
        except Exception as exc:
            self.show_error("Your past sessions could not be read", exc)
            return []

    def push_screen(self, screen, *args, **kwargs):
        # A full screen over the client list makes its search stale (cleared on return).
        from textual.screen import ModalScreen

        if not isinstance(screen, ModalScreen):
            for below in self.screen_stack:
                if isinstance(below, ChooseScreen):
                    below.stale = True
        return super().push_screen(screen, *args, **kwargs)

    # ----------------------------------------------------------------- sessions
    def before_start(self, scenario: Scenario) -> None:
        mode = self.default_mode or self.setting("mode", "practice") or "practice"

        def chosen(mode: str | None) -> None:
            if mode:
                self.start_session(scenario, mode)

        self.push_screen(BeforeStartScreen(scenario, mode), chosen)

    def start_session(self, scenario: Scenario, mode: str) -> None:
        from simulator.tui.practice import PracticeSession

        mode = mode if mode in MODES else "practice"
        self.save_setting("mode", mode)
        try:
            session = PracticeSession.start(scenario, mode=mode, seed=self.seed, trainee=self.trainee,
                                            store=self.store, clock=self.clock)
            session.ask = self.asking()
        except Exception as exc:
            self.show_error("The session could not be started", exc)
            return
        self.push_screen(screen_class("conversation")(session))

    def resume_session(self, session_id: str) -> None:
        from simulator.tui.practice import PracticeSession

        try:
            log = self.store.load_session(session_id)
            # Against the files it was played with, read afresh (never a client cached by id).
            session = PracticeSession.resume(log, self.store)
            session.ask = self.asking()
        except Exception as exc:
            self.show_error("That session could not be resumed", exc)
            return
        self.push_screen(screen_class("conversation")(session))
        if session.note:
            self.notify(f"{session.note[:1].upper()}{session.note[1:]}.", title="This client has changed",
                        severity="warning", timeout=12)

    def retry_from(self, log: SessionLog, after: int) -> None:
        from simulator.tui.practice import PracticeSession

        try:
            session = PracticeSession.branch(log, after, self.store, clock=self.clock)
            session.ask = self.asking()
        except Exception as exc:
            self.show_error("Could not go back to that turn", exc)
            return
        self.action_go_home()
        self.push_screen(screen_class("conversation")(session))

    def show_debrief(self, log: SessionLog, replace: bool = False) -> None:
        screen = screen_class("debrief")(log, self.scenarios.get(log.persona_path or ""))
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_debrief(self, session_id: str) -> None:
        try:
            log = self.store.load_session(session_id)
        except Exception as exc:
            self.show_error("That session could not be opened", exc)
            return
        self.push_screen(screen_class("debrief")(log, self.scenarios.get(log.persona_path or "")))

    @work(thread=True, group="export")
    def export_debrief(self, log: SessionLog, fmt: str) -> None:
        try:
            path = write_export(log, fmt, self.scenario_for(log), self.data_dir)
        except Exception as exc:
            self.call_from_thread(self.show_error, "The debrief could not be saved", exc)
            return
        self.call_from_thread(self.notify, f"Saved to {path}", title="Debrief saved", timeout=8)

    # ----------------------------------------------------------------- what screens ask for
    def on_show_error(self, message: messages.ShowError) -> None:
        self.show_error(message.what, message.error)

    def on_export_debrief(self, message: messages.ExportDebrief) -> None:
        self.export_debrief(message.log, message.fmt)

    def on_save_elsewhere(self, message: messages.SaveElsewhere) -> None:
        """Copy the running session, every turn so far, into a store in another folder and
        save the rest of it there (the old folder keeps what it had, if anything)."""
        from simulator.store import Store

        folder = Path(message.folder).expanduser()
        session = message.screen.session
        try:
            store = Store(folder)
            store.create_session(session.log)
        except Exception as exc:
            self.show_error(f"It cannot be saved in {folder} either", exc)
            return
        session.store = store
        self.store, self.data_dir = store, folder
        message.screen.saved_elsewhere(str(folder))

    def on_save_setting(self, message: messages.SaveSetting) -> None:
        self.save_setting(message.key, message.value)

    def on_clients_wanted(self, message: messages.ClientsWanted) -> None:
        self.load_clients(message.screen)

    @work(thread=True, exclusive=True, group="clients")
    def load_clients(self, screen: ChooseScreen) -> None:
        """The slow part of start-up, after the first screen is drawn: open the session file,
        import the engine, load and check every persona."""
        from simulator.tui.clients import load_clients

        self.open_store()
        cards, problems = load_clients(self.persona_paths)
        unfinished = self.unfinished_sessions()
        self.call_from_thread(self.clients_loaded, screen, cards, problems, unfinished)

    def clients_loaded(self, screen: ChooseScreen, cards: list, problems: list[str], unfinished: list) -> None:
        self.remember_scenarios(c.scenario for c in cards)
        screen.show_clients(cards, problems, unfinished)
        self.store_ready()

    def on_unfinished_wanted(self, message: messages.UnfinishedWanted) -> None:
        if self.store is not None:
            message.screen.show_unfinished(self.unfinished_sessions())

    def on_client_chosen(self, message: messages.ClientChosen) -> None:
        self.before_start(message.scenario)

    def on_resume_session(self, message: messages.ResumeSession) -> None:
        self.resume_session(message.session_id)

    def on_show_debrief(self, message: messages.ShowDebrief) -> None:
        self.show_debrief(message.log, replace=message.replace)

    def on_open_debrief(self, message: messages.OpenDebrief) -> None:
        self.open_debrief(message.session_id)

    def on_retry_from(self, message: messages.RetryFrom) -> None:
        self.retry_from(message.log, message.after)

    def on_go_home(self, message: messages.GoHome) -> None:
        self.action_go_home()

    def on_check_size(self, message: messages.CheckSize) -> None:
        self.check_size()

    # ----------------------------------------------------------------- actions
    def action_help(self) -> None:
        if not isinstance(self.screen, screen_class("help")):
            self.push_screen(screen_class("help")())

    def asking(self) -> bool:
        """Whether "Did you mean…?" asks about unsure turns (practice mode; on unless turned off)."""
        return self.setting("ask", "on") != "off"

    def action_toggle_asking(self) -> None:
        on = not self.asking()
        self.save_setting("ask", "on" if on else "off")
        for screen in self.screen_stack:
            if hasattr(screen, "session"):
                screen.session.ask = on
        self.notify("“Did you mean…?” will ask about unsure turns in practice mode." if on else
                    "“Did you mean…?” is off: unsure turns are read as their most likely harmless move "
                    "and marked for the debrief.")

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        self.save_setting("theme", self.theme)

    def in_conversation(self) -> bool:
        """A session is running, maybe under a dialog (help, the coach, the palette)."""
        return any(isinstance(s, screen_class("conversation")) for s in self.screen_stack)

    def action_history(self) -> None:
        if self.in_conversation():
            self.notify("Finish or end the session first (Esc).")
            return
        if not isinstance(self.screen, screen_class("history")):
            self.push_screen(screen_class("history")(self.past_sessions(), self.trainee))

    def action_go_home(self) -> None:
        """Back to the client list (the second screen on the stack)."""
        if self.in_conversation():
            self.notify("End the session first (Esc).")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()


def write_export(log: SessionLog, fmt: str, scenario: Scenario | None, data_dir=None) -> Path:
    """Render the debrief (debrief module) and write it under the data folder's exports/."""
    from simulator.debrief import debrief
    from simulator.debrief.export import export, file_name
    from simulator.store import resolve_data_dir, write_private

    text = export(debrief(log, scenario), log, fmt)
    folder = Path(resolve_data_dir(data_dir)) / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_private(folder / file_name(log, fmt), text)


def run_app(args: argparse.Namespace | None = None) -> int:
    mode = getattr(args, "mode", None)
    app = PeersimApp(data_dir=getattr(args, "data_dir", None),
                     mode=mode, seed=getattr(args, "seed", None) or 0,
                     browser_trainee=os.environ.get("PEERSIM_BROWSER_TRAINEE"))
    app.run()
    return app.return_code or 0
