"""The conversation: the transcript, the client's cue, the rapport meter and the
trainee's box (or, in choice mode, a list of replies to pick from)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from simulator.engine import ClientTurn
from simulator.moves import Reading
from simulator.session import LONGEST_TURN
from simulator.tui.keys import short_rows
from simulator.tui.messages import SaveElsewhere, SaveSetting, ShowDebrief, ShowError
from simulator.tui.practice import MODE_TITLES, Chip, Choice, PracticeSession
from simulator.tui.practice import gate_question
from simulator.tui.screens.modals import AS_IS, STOP_ASKING, ClarifyScreen, CoachScreen, ConfirmScreen, FolderScreen
from simulator.tui.widgets.compose import ComposeBox
from simulator.tui.widgets.rapport import RapportMeter
from simulator.tui.widgets.transcript import Entry, Transcript, chip_entries


def turn_entries(name: str, said: str, chip: Chip, cue: str | None, reply: str) -> list[Entry]:
    """One exchange as the transcript shows it: the trainee's words, the chip, the client's
    new cue (when it changed) and the reply."""
    entries = [Entry("trainee", said), *chip_entries(chip)]
    if cue is not None:
        entries.append(Entry("cue", f"({cue})"))
    return [*entries, Entry("client", f"{name}: {reply}")]


class ConversationScreen(Screen):
    HELP_KEYS = [("1 to 4", "pick a reply (choice mode)")]
    BINDINGS = [
        Binding("ctrl+g", "coach", "Coach", tooltip="ask the coach for ideas (practice, fading and choice modes)"),
        Binding("f4", "why", "Why these moves",
                tooltip="show or hide, under each chip, the words behind each move and whether it counted"),
        # Priority: the input box (and the reply list) would otherwise take these keys.
        Binding("pageup", "scroll_transcript(-1)", "Scroll", show=False, priority=True,
                key_display="PageUp/PageDown", tooltip="scroll the conversation (from the box where you type)"),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False, priority=True),
        Binding("f5", "newest", "Newest", show=False, tooltip="jump to the newest turn"),
        # Shown only while turns cannot be saved (check_action).
        Binding("f8", "save_elsewhere", "Save elsewhere",
                tooltip="while turns cannot be saved: copy this session to another folder and save there"),
        Binding("escape,f10", "end", "End session", tooltip="end the session (asks first) and see the debrief"),
        Binding("f1", "app.help", "Help"),
        # In assessment mode the coach and the why pane are hidden from the footer (check_action),
        # and these say why to a trainee whose fingers press the keys anyway.
        Binding("ctrl+g", "resting('The coach is resting in assessment mode. Your debrief will have ideas.')",
                show=False),
        Binding("f4", "resting('No feedback until the debrief in assessment mode.')", show=False),
    ]

    def __init__(self, session: PracticeSession):
        super().__init__()
        self.session = session
        self.choices: list[Choice] = []

    def compose(self) -> ComposeResult:
        yield Header()
        banner = Static(id="not-saved", markup=False)
        banner.display = False
        yield banner
        with Horizontal(id="status"):
            yield Static(id="cue-line", markup=False)
            yield RapportMeter(id="meter")
        with Horizontal(id="talk"):
            yield Transcript(id="transcript")
            with Vertical(id="side"):
                yield Static(id="side-body")
        if self.session.mode == "choice":
            yield OptionList(id="choices")
        else:
            yield ComposeBox(placeholder="Type what you'd say. Enter sends, Ctrl+J new line.", id="say")
        yield Footer()

    def on_mount(self) -> None:
        s = self.session
        self.sub_title = f"with {s.name} · {s.mode} mode"
        # Assessment means no feedback until the end: no meter, trend or story counter.
        self.query_one(RapportMeter).display = s.mode != "assessment"
        start_cue = s.convo.cue_for(s.log.start_state)
        entries = [Entry("cue", f"({start_cue})"), Entry("client", f"{s.name}: {s.log.opening_line}")]
        previous_cue = start_cue
        for record in s.log.turns:  # a resumed session shows what was said before
            entries += turn_entries(s.name, record.trainee, s.chip_for(record),
                                    record.cue if record.cue != previous_cue else None, record.reply)
            previous_cue = record.cue
        if s.log.parent_id is not None and s.log.branch_turn == len(s.log.turns):
            where = f"after turn {s.log.branch_turn}" if s.log.branch_turn else "the start"
            entries.append(Entry("note", f"A new try from {where}. Your first session is kept as it was."))
        elif s.log.turns:
            changed = f" Note: {s.note}." if s.note else ""
            entries.append(Entry("note", f"Session resumed. Carry on where you left off.{changed}"))
        self.query_one(Transcript).add_entries(entries)
        self.update_status()
        self.refresh_choices()
        self.focus_input()

    def focus_input(self) -> None:
        target = self.query("#choices, #say")
        if target:
            target.first().focus()

    def update_status(self) -> None:
        s = self.session
        # "Name · cue" reads right whether the author wrote a verb ("sits back") or a scene
        # ("the door swings shut behind him").
        self.query_one("#cue-line", Static).update(Text.assemble((s.name, "bold"), f" · {s.convo.cue}"))
        meter = self.query_one(RapportMeter)
        meter.value = s.convo.rapport
        meter.trend = s.trend()
        told = len(s.convo.revealed)
        story = ("" if s.mode == "assessment" else
                 f"{told} of {len(s.log.beats_total)} parts told\n\n")
        self.query_one("#side-body", Static).update(Text.assemble(
            ("About ", "bold"), (s.name, "bold"), "\n", s.convo.persona.summary, "\n\n",
            ("Mode\n", "bold"), MODE_TITLES[s.mode], "\n\n",
            ("Their story\n" if story else "", "bold"), story,
            ("Keys\n", "bold"), self.keys_text()))

    def keys_text(self) -> str:
        mode = self.session.mode
        keys = ["1-4 pick a reply"] if mode == "choice" else short_rows(ComposeBox)
        # F8 is for while turns cannot be saved: the banner and the footer offer it then.
        hide = frozenset({"coach", "why", "save_elsewhere"} if mode == "assessment" else {"save_elsewhere"})
        return "\n".join([*keys, *short_rows(ConversationScreen, hide=hide)])

    # ----------------------------------------------------------------- typing a turn
    def on_compose_box_submitted(self, event: ComposeBox.Submitted) -> None:
        text = event.text.strip()
        if not text:
            return
        if self.session.ended:
            self.notify(self.session.convo.over_reason())
            return
        if len(text) > LONGEST_TURN:
            # Most likely a paste gone wrong; the words stay in the box for the trainee to trim.
            event.box.restore(event.text)
            self.notify(f"That message is {len(text):,} characters long. A turn holds up to "
                        f"{LONGEST_TURN:,}: trim it, or say it over several turns.",
                        title="A very long message", severity="warning")
            return
        try:
            reading = self.session.read(text)
        except Exception as exc:  # the recogniser failed: say so, keep the words in the box
            self.show_error("Your words could not be read", exc)
            event.box.restore(event.text)
            return
        if self.session.needs_clarifying(reading):
            ask = ClarifyScreen(text, self.session.clarify_options(reading), gate_question(reading))
            self.app.push_screen(ask, lambda move: self.clarified(reading, move, ask.typed))
            return
        self.send(self.session.as_read(reading))

    def clarified(self, reading: Reading, move: str | None, typed: str = "") -> None:
        if move is None:
            self.restore_words(reading.text + (f"\n{typed}" if typed else ""))
            self.focus_input()
            return
        if move == STOP_ASKING:
            self.session.ask = False
            self.post_message(SaveSetting("ask", "off"))
            self.notify("Unsure turns will be read as their most likely harmless move and marked for "
                        "the debrief. Turn asking back on from the command palette (Ctrl+P).")
        chosen = move in (AS_IS, STOP_ASKING)
        self.send(self.session.as_read(reading) if chosen else self.session.reading_as(reading, move))

    def send(self, reading: Reading) -> None:
        try:
            turn, chip = self.session.say(reading)
        except (sqlite3.Error, OSError) as exc:  # the session file: say so until a turn saves again
            self.show_error("That turn could not be saved", exc)
            self.show_not_saved(exc)
            self.restore_words(reading.text)
            return
        except Exception as exc:  # never a traceback on screen; the words go back in the box
            self.show_error("That turn could not be saved or answered", exc)
            self.restore_words(reading.text)
            return
        self.show_not_saved(None)
        self.show_turn(reading.text, turn, chip)

    def show_error(self, what: str, exc: BaseException | None = None) -> None:
        self.post_message(ShowError(what, exc))

    def show_not_saved(self, exc: BaseException | None) -> None:
        """A banner that stays while turns cannot be saved: practising on without saving
        must never go unnoticed (a 10-second notice is easy to miss)."""
        banner = self.query_one("#not-saved", Static)
        banner.display = exc is not None
        self.not_saved = None if exc is None else str(exc)
        if exc is not None:
            banner.update(f"Not saved: {exc}. Your words are back in the box and the client has not "
                          "answered yet. Free some space and press Enter again, or press F8 to save this "
                          "session in another folder.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_elsewhere":
            return getattr(self, "not_saved", None) is not None
        assessing = self.session.mode == "assessment"
        if action in ("coach", "why"):
            return not assessing
        if action == "resting":
            return assessing
        return True

    def action_resting(self, why: str) -> None:
        self.notify(why)

    def action_save_elsewhere(self) -> None:
        problem = f"This session cannot be saved where it is ({self.not_saved})."
        dialog = FolderScreen(str(Path.home() / "peersim-sessions"), problem)

        def chosen(folder: str | None) -> None:
            if folder:
                self.post_message(SaveElsewhere(folder, self))
            self.focus_input()

        self.app.push_screen(dialog, chosen)

    def saved_elsewhere(self, folder: str) -> None:
        """The app copied the session to `folder`: saving goes on there."""
        self.show_not_saved(None)
        self.notify(f"This session is now saved in {folder}. Press Enter to send your words.")

    def restore_words(self, text: str) -> None:
        box = self.query(ComposeBox)
        if box:
            box.first().restore(text)

    # ----------------------------------------------------------------- choice mode
    def refresh_choices(self) -> None:
        if self.session.mode != "choice":
            return
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        if self.session.ended:
            options.display = False
            return
        self.choices = self.session.choices()
        for i, choice in enumerate(self.choices, 1):
            options.add_option(Option(Text(f"{i}. {choice.text}"), id=str(i - 1)))
        options.highlighted = 0
        # The list changes height with its replies: keep the client's last line in view.
        transcript = self.query_one(Transcript)
        self.call_after_refresh(transcript.scroll_end, animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "choices" or self.session.ended:
            return
        choice = self.choices[int(event.option.id)]
        try:
            turn, chip = self.session.pick(choice)
        except Exception as exc:
            self.show_error("That turn could not be saved or answered", exc)
            return
        self.show_turn(choice.text, turn, chip)
        self.refresh_choices()

    def on_key(self, event) -> None:
        # 1-4 pick a reply in choice mode.
        if self.session.mode == "choice" and event.key in "1234" and len(event.key) == 1:
            index = int(event.key) - 1
            options = self.query_one("#choices", OptionList)
            if index < options.option_count:
                event.stop()
                options.highlighted = index
                options.action_select()

    # ----------------------------------------------------------------- the reply
    def show_turn(self, said: str, turn: ClientTurn, chip: Chip) -> None:
        # One append for the whole exchange: the transcript draws only these new lines.
        new_cue = turn.cue if turn.cue != self.session.convo.cue_for(turn.state_before) else None
        entries = turn_entries(self.session.name, said, chip, new_cue, turn.reply)
        if turn.ended:
            entries.append(Entry("note", self.session.convo.over_reason() + " Press Esc for your debrief."))
        self.query_one(Transcript).add_entries(entries)
        if turn.ended:
            self.finish()
            box = self.query("#say")
            if box:
                box.first().disabled = True
                box.first().placeholder = "The conversation is over. Press Esc for your debrief."
        self.update_status()

    def finish(self) -> None:
        try:
            self.session.finish()
        except Exception as exc:  # the turns are saved already; only the end mark is missing
            self.show_error("The end of the session could not be saved", exc)

    # ----------------------------------------------------------------- keys
    def action_coach(self) -> None:
        if self.session.ended:
            self.notify(self.session.convo.over_reason() + " Press Esc for your debrief.")
            return
        s = self.session
        self.app.push_screen(CoachScreen(s.name, s.convo.cue, s.coach()), lambda _: self.focus_input())

    def action_why(self) -> None:
        transcript = self.query_one(Transcript)
        transcript.show_why = not transcript.show_why

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.query_one(Transcript)
        if direction > 0:
            transcript.scroll_page_down(animate=False)
        else:
            transcript.scroll_page_up(animate=False)

    def action_newest(self) -> None:
        self.query_one(Transcript).scroll_end(animate=False)

    def action_end(self) -> None:
        if self.session.ended:
            self.post_message(ShowDebrief(self.session.log, replace=True))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.finish()
                self.post_message(ShowDebrief(self.session.log, replace=True))
            else:
                self.focus_input()

        self.app.push_screen(ConfirmScreen(f"End the session with {self.session.name} and see your debrief?",
                                           yes="End", no="Keep talking"), answered)
