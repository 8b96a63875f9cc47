"""Feedback a trainee can trust, driven with Pilot: the harm gate's question, the words
behind each chip, assessment without feedback, keyboard scrolling, small windows,
retries, and choice mode that fits the client. Readings are built by hand where the
recogniser of the day would decide the outcome (the gate belongs to the recogniser)."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from simulator.debrief.report import build_report, to_markdown
from simulator.moves import MoveSpan, Reading
from simulator.scenario.loader import load_scenario
from simulator.tui.practice import PracticeSession
from simulator.tui.screens.choose import ChooseScreen
from simulator.tui.screens.conversation import ConversationScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.modals import (
    STOP_ASKING, BeforeStartScreen, ClarifyScreen, CoachScreen, TurnPickScreen,
)
from debrief_helpers import make_log
from test_tui_support import REFLECT, end_session, make_app, open_client, say, settle, visible_chips

JUDGING = "Lying to your parents like that isn't okay."


def gate_reading(text: str) -> Reading:
    """What the harm gate hands over when it hears possible judging it is unsure of: the
    harmless reading acts, the harmful one is held back, and the app should ask."""
    span = MoveSpan("affirmation", 0, len(text), "okay", 0.55, "model", held="judgment", held_cue="isn't okay")
    return Reading(text, (span,), "affirmation", 0.55, "okay", asks=True,
                   options=("affirmation", "judgment", "reflection"))


async def test_the_gate_asks_in_plain_words_and_offers_the_harmful_reading():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.session.convo.recognizer = gate_reading
        await say(pilot, JUDGING)
        ask = app.screen
        assert isinstance(ask, ClarifyScreen)
        question = str(ask.query_one(".dialog-body").render())
        assert "This could sound like judging them ('isn't okay')" in question
        # Most likely first, and the judging reading is there to pick: it cannot be hidden.
        assert ask.moves[:2] == ["affirmation", "judgment"]
        ask.query_one("#meanings", OptionList).highlighted = ask.moves.index("judgment")
        await pilot.press("enter")
        await settle(pilot)
        record = screen.session.log.turns[0]
        assert record.primary == "judgment" and record.to_reading().acting[0].move == "judgment"
        assert "judgment" in visible_chips(screen)[-1]


async def test_fading_and_assessment_never_ask_and_mark_the_turn_for_the_debrief():
    for mode in ("fading", "assessment"):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await open_client(pilot, mode=mode)
            screen = app.screen
            screen.session.convo.recognizer = gate_reading
            await say(pilot, JUDGING)
            assert app.screen is screen  # no dialog
            record = screen.session.log.turns[0]
            assert record.unclear and record.primary == "affirmation"
            await end_session(pilot)
            note = app.screen.result.turn_notes[0]
            assert note.unclear and "unsure" in note.why


async def test_asking_can_be_turned_off_and_stays_off():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.session.convo.recognizer = gate_reading
        await say(pilot, JUDGING)
        ask = app.screen
        ask.query_one("#meanings", OptionList).highlighted = len(ask.moves) + 1
        assert ask.query_one("#meanings", OptionList).highlighted_option.id == STOP_ASKING
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session.log.turns[0].unclear
        await say(pilot, JUDGING)
        assert app.screen is screen and len(screen.session.log.turns) == 2
        assert app.setting("ask") == "off"


async def test_f4_shows_the_words_behind_each_move_and_what_did_not_count():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        text = "It sounds like you're tired. Get some sleep."
        screen.session.convo.recognizer = lambda t: Reading(t, (
            MoveSpan("reflection", 0, 28, "it sounds like", 0.9),
            MoveSpan("directive_advice", 29, len(t), "get some", 0.3)), "reflection", 0.9, "it sounds like")
        await say(pilot, text)
        transcript = screen.query_one("#transcript")
        assert transcript.texts("why") and not transcript.shown_texts("why")
        await pilot.press("f4")
        await pilot.pause()
        assert transcript.shown_texts("why")
        shown = transcript.shown_texts("why")[-1]
        assert "read as reflection because of 'it sounds like': counted" in shown
        assert "read as directive advice because of 'get some' (not sure): also heard, not counted" in shown
        # The chip counts only what acted.
        assert "directive" not in visible_chips(screen)[-1]


async def test_assessment_shows_no_meter_trend_or_story_counter():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_client(pilot, mode="assessment")
        await say(pilot, REFLECT)
        screen = app.screen
        assert not screen.query_one("#meter").display
        assert "parts told" not in str(screen.query_one("#side-body").render())
        assert visible_chips(screen) == []


def test_the_trend_arrow_follows_the_number_beside_it():
    session = PracticeSession.start(load_scenario("marcus"))
    session.log.turns = make_log([{"parts": [("reflection", "a.")]}, {"parts": [("other", "b.")], "effect": 0},
                                  {"parts": [("other", "c.")], "effect": 0}]).turns
    assert session.trend() == 0  # 25 -> 25 -> 25: steady, whatever came before


async def test_the_transcript_scrolls_from_the_keyboard():
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await open_client(pilot)
        for line in [REFLECT, "What's it been like?", "That sounds hard.", "It's your call."]:
            await say(pilot, line)
        transcript = app.screen.query_one("#transcript")
        bottom = transcript.scroll_y
        assert bottom > 0 and app.focused is app.screen.query_one("#say")
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom
        await pilot.press("f5")
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y


async def test_f3_means_resume_only_and_never_opens_the_coach():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert not isinstance(app.screen, CoachScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)


async def test_choice_options_never_hide_the_clients_last_line():
    for size in ((80, 24), (60, 16)):
        app = make_app(seed=3)
        async with app.run_test(size=size) as pilot:
            await open_client(pilot, mode="choice")
            for _ in range(3):
                await pilot.press("1")
                await settle(pilot)
                await pilot.pause()
                transcript = app.screen.query_one("#transcript")
                last_words = transcript.texts("client")[-1].split()[-3:]
                assert transcript.size.height > 0, size
                in_view = " ".join(transcript.lines_in_view()).replace("▊", " ")  # the bubble's edge
                assert " ".join(last_words) in " ".join(in_view.split()), size


async def test_the_mode_dialog_fits_a_small_window_and_names_the_mode_in_words():
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        await pilot.press(*"marcus", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BeforeStartScreen)
        box = dialog.query_one(".dialog")
        assert box.region.height <= 16 and box.region.width <= 60
        assert dialog.query_one("#modes").region.height > 0
        assert "Chosen: Practice mode" in str(dialog.query_one("#mode-chosen").render())
        await pilot.press("down")
        await pilot.pause()
        assert "Chosen: Fading mode" in str(dialog.query_one("#mode-chosen").render())


async def test_did_you_mean_fits_a_small_window():
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await open_client(pilot)
        app.screen.session.convo.recognizer = gate_reading
        await say(pilot, JUDGING)
        ask = app.screen
        assert isinstance(ask, ClarifyScreen)
        assert ask.query_one(".dialog").region.height <= 16
        assert ask.query_one("#meanings").region.height > 0


async def test_retry_picker_wraps_long_turns_and_history_marks_the_retry():
    app = make_app()
    long_turn = ("It sounds like the last few weeks have been a lot, with the move and everything "
                 "that came with it, and nobody really asking how you're doing with any of it at all.")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, long_turn)
        await say(pilot, REFLECT)
        await end_session(pilot)
        await pilot.press("r")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TurnPickScreen)
        prompt = str(picker.query_one("#turns", OptionList).get_option_at_index(1).prompt)
        assert prompt == f"After turn 1: {long_turn}"  # the whole turn, wrapped by the list
        await pilot.press("down", "enter")
        await settle(pilot)
        await say(pilot, "What's been the hardest part?")
        await end_session(pilot)
        await pilot.press("escape", "f2")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        rows = [app.screen.query_one(DataTable).get_row_at(i) for i in range(2)]
        assert sorted(r[3] for r in rows) == ["first", "from 1"]


async def test_the_client_filter_is_cleared_on_return_from_a_debrief():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        await end_session(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert app.screen.query_one("#filter").value == ""
        assert app.screen.query_one("#clients").option_count == 2  # both clients, not only Marcus


def test_the_trainer_report_keeps_retries_apart_from_first_attempts():
    first = make_log([{"parts": [("directive_advice", "Do it.")]}], trainee="Ana")
    retry = make_log([{"parts": [("reflection", "You're tired.")]}], trainee="Ana")
    retry.parent_id, retry.branch_turn = "s1", 0
    rows = build_report([first, retry])
    assert [(r.attempt, r.sessions) for r in rows] == [("first", 1), ("retry", 1)]
    assert rows[0].overall != rows[1].overall
    assert "## Retries (kept apart from first attempts)" in to_markdown(rows)


def test_choice_mode_and_the_coach_fit_the_client():
    """Eli has no probation officer, no job and no caseworker; Marcus's daughter is offered
    back to him only once he has named her."""
    for persona in ("eli", "marcus", "dana", "amara"):
        session = PracticeSession.start(load_scenario(persona), mode="choice", seed=1)
        values = set(session.convo.persona.values.values())
        for _ in range(6):
            if session.ended:
                break
            lines = [c.text for c in session.choices()] + [i.example for i in session.coach()]
            for line in lines:
                assert "${" not in line and "probation" not in line.lower(), (persona, line)
                if persona != "marcus":  # Marcus's own lines may say it: he fears being written up
                    assert "caseworker" not in line.lower() and "write you up" not in line.lower(), (persona, line)
            helpful = [c for c in session.choices() if c.move in ("reflection", "summary", "open_question")]
            said = session.client_said()
            for choice in helpful:
                for value in values:
                    if value in choice.text:
                        assert value.lower().removeprefix("my ") in said.lower(), (persona, choice.text)
            session.pick(next(c for c in session.choices() if c.move not in (
                "directive_advice", "judgment", "minimizing", "self_focused_story", "confidentiality_breach",
                "closed_question")))


async def test_the_history_table_fits_80_columns_without_scrolling_sideways():
    from types import SimpleNamespace

    def session(i: int, started: str, name: str, mode: str, branch: int | None, ending: str | None):
        return SimpleNamespace(id=f"s{i}", started_at=started, persona_name=name, mode=mode,
                               parent_id=None if branch is None else "p", branch_turn=branch, turns=112,
                               overall=87, ending=ending, ended_at="2026-12-02T04:00:00+00:00")

    # The longest shipped name, the longest mode, a retry from turn 12, a long ending; enough rows
    # for the vertical scroll bar to take its columns too.
    rows = [session(i, f"2026-12-{i % 28 + 1:02d}T03:30:00+00:00", "Denise Carter", "assessment", 12, "plan")
            for i in range(40)] + [session(98, "2026-11-30T09:05:00+00:00", "Maria-Fernanda Oyelaran-Castellanos",
                                           "assessment", 12, "plan"),
                                   session(99, "2025-11-30T09:05:00+00:00", "Marcus", "practice", None, "left")]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(rows, "Sam"))
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.max_scroll_x == 0
        first, last = table.get_row_at(0), table.get_row_at(table.row_count - 1)
        assert first[0] == "01 Dec 03:30" and first[3] == "from 12" and first[6] == "plan agreed"
        assert last[0] == "2025-11-30"          # another year than the newest session: the date, not the time
        assert str(table.get_row_at(table.row_count - 2)[1]) == "Maria-Fernan…"   # a long name is cut
