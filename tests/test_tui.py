"""The trainee's app driven with Textual's Pilot: whole sessions, each mode, resume,
history, errors and the small-window notice. PEERSIM_DATA_DIR is a tmp dir (conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from simulator.moves import MoveSpan, Reading
from simulator.store import Store
from simulator.tui.practice import FADE_AFTER, FADE_OFF, PracticeSession
from simulator.tui.screens.choose import ChooseScreen
from simulator.tui.screens.conversation import ConversationScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.modals import (
    BeforeStartScreen, ClarifyScreen, CoachScreen, NameScreen, TooSmallScreen,
)
from test_tui_support import (
    ADVICE, ASK, REFLECT, REPAIR, end_session, make_app, open_client, say, settle, texts, visible_chips,
)


async def test_a_whole_session_from_choosing_to_history():
    app = make_app(ask_name=True)
    async with app.run_test(size=(80, 24)) as pilot:
        # The name is asked once (when the session file is open), and kept.
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"Sam", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert app.trainee == "Sam"

        # Type to filter: only Marcus is left, and his background is in the detail pane.
        await pilot.press(*"parole")
        clients = app.screen.query_one("#clients")
        assert clients.option_count == 1
        assert "three weeks ago" in str(app.screen.query_one("#detail-body").render())

        # The content note comes first, with a way back.
        await pilot.press("enter")
        assert isinstance(app.screen, BeforeStartScreen)
        assert "opioid" in " ".join(texts(app.screen, ".content-note"))
        await pilot.press("escape")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert app.focused is screen.query_one("#say")
        meter = screen.query_one("#meter")
        start = meter.value

        # A reflection: a chip names it, and the meter rises.
        await say(pilot, REFLECT)
        assert "reflection" in visible_chips(screen)[-1]
        assert meter.value > start
        await say(pilot, ASK)
        warm = meter.value
        assert app.focused is screen.query_one("#say")

        # Advice: he withdraws (the cue changes) and the meter falls, trending down.
        await say(pilot, ADVICE)
        assert "directive advice" in visible_chips(screen)[-1]
        assert meter.value < warm and meter.trend < 0
        assert screen.session.convo.state == "withdrawn"
        assert screen.session.convo.cue in texts(screen, ".cue")[-1]

        # Listening repairs it.
        for line in REPAIR:
            await say(pilot, line)
        assert screen.session.convo.state == "warming"
        assert meter.trend > 0

        # Every turn was saved as it happened.
        saved = Store().load_session(screen.session.log.id)
        assert [t.trainee for t in saved.turns] == [REFLECT, ASK, ADVICE, *REPAIR]

        # End with a confirm; the debrief shows the curve, the turns and the story.
        await pilot.press("escape")
        await pilot.press("n")
        assert isinstance(app.screen, ConversationScreen)
        await end_session(pilot)
        assert isinstance(app.screen, DebriefScreen)
        shown = " ".join(texts(app.screen, "Static"))
        assert "Turn by turn" in shown and "Their story" in shown
        assert "Weakest turn" in shown and "old block" in shown
        assert app.screen.query_one("#curve").values == saved.rapport_curve

        # Back to clients, then history lists the session and reopens its debrief.
        await pilot.press("escape")
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[1]) == "Marcus" and table.get_row_at(0)[4] == "7" and table.get_row_at(0)[3] == "first"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.session_log.id == saved.id
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_a_killed_session_can_be_resumed():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        await say(pilot, ASK)
        rapport = app.screen.session.convo.rapport
    # A new app on the same data: the session is offered for resuming, exactly as left.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#resume").option_count == 1
        await pilot.press("f3", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.session.convo.rapport == rapport and len(screen.session.log.turns) == 2
        assert REFLECT in texts(screen, ".trainee")
        await say(pilot, REPAIR[1])
        assert len(Store().load_session(screen.session.log.id).turns) == 3


async def test_choice_mode_offers_replies_and_is_the_same_for_a_seed():
    picked = []
    for _ in range(2):
        app = make_app(seed=7)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_client(pilot, mode="choice")
            screen = app.screen
            assert not screen.query("#say")
            choices = list(screen.choices)
            assert len(choices) == 4
            moves = {c.move for c in choices}
            assert moves & {"reflection", "open_question", "affirmation", "autonomy_support",
                            "collaboration", "confidentiality_assurance"}
            assert moves & {"directive_advice", "judgment", "minimizing", "self_focused_story"}
            await pilot.press("2")
            await settle(pilot)
            assert texts(screen, ".trainee")[-1] == choices[1].text
            assert choices[1].move.replace("_", " ") in visible_chips(screen)[-1]
            assert screen.session.log.turns[0].primary == choices[1].move
            picked.append([c.text for c in choices])
    assert picked[0] == picked[1]


async def test_assessment_mode_hides_feedback_until_the_debrief():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot, mode="assessment")
        screen = app.screen
        await say(pilot, REFLECT)
        await say(pilot, ADVICE)
        assert texts(screen, ".chip") and not visible_chips(screen)
        # The footer offers neither the coach nor the why pane; the keys still say why not.
        shown = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert "end" in shown and not shown & {"coach", "why"}
        await pilot.press("ctrl+g")
        assert not isinstance(app.screen, CoachScreen)
        assert any("coach is resting" in n.message for n in app._notifications)
        await pilot.press("f4")
        assert any("No feedback until the debrief" in n.message for n in app._notifications)
        await end_session(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert "directive advice" in " ".join(texts(app.screen, "Static"))
        # Save from the debrief: Markdown and HTML files under the data folder.
        await pilot.press("m", "w")
        await settle(pilot)
        saved = [n.message for n in app._notifications if n.message.startswith("Saved to ")]
        assert len(saved) == 2
        md, html = (Path(m.removeprefix("Saved to ")) for m in saved)
        assert "old block" in md.read_text() and "<html" in html.read_text().lower()


async def test_practice_coach_gives_ideas_not_a_script():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, CoachScreen)
        ideas = app.screen.ideas
        assert ideas and all(i.move in {"reflection", "open_question", "affirmation", "autonomy_support",
                                        "collaboration", "confidentiality_assurance", "summary"}
                             for i in ideas)
        await pilot.press("escape")
        assert isinstance(app.screen, ConversationScreen)
        assert app.focused is app.screen.query_one("#say")


async def test_an_unclear_turn_asks_what_was_meant():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        # Whatever the recogniser of the day reads for "mm", give the app an unclear reading.
        app.screen.session.convo.recognizer = lambda text: Reading(
            text, (MoveSpan("other", 0, len(text), "", 0.3),), "other", 0.3, "", unclear=True)
        await say(pilot, "mm")
        assert isinstance(app.screen, ClarifyScreen)
        assert app.screen.moves[0] == "reflection" or "reflection" in app.screen.moves
        # Esc goes back to the words, unsent.
        await pilot.press("escape")
        screen = app.screen
        assert screen.query_one("#say").text == "mm" and not screen.session.log.turns
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#meanings").highlighted = app.screen.moves.index("reflection")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session.log.turns[0].primary == "reflection"
        assert "reflection" in visible_chips(screen)[-1]


async def test_ctrl_j_adds_a_line_and_enter_sends():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await pilot.press(*"That sounds hard.", "ctrl+j", *"What keeps you going?")
        box = app.screen.query_one("#say")
        assert box.text == "That sounds hard.\nWhat keeps you going?"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.session.log.turns[0].trainee == "That sounds hard.\nWhat keeps you going?"
        assert box.text == ""


async def test_the_debrief_marks_lessons_the_session_did_not_practise():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        await end_session(pilot)
        head = str(app.screen.query_one("#debrief-head").render())
        assert "Marcus · 1 turn · practice" in head
        lines = " ".join(texts(app.screen, ".lessons")).splitlines()
        confidentiality = next(line for line in lines if "Confidentiality" in line)
        listening = next(line for line in lines if "Active listening" in line)
        assert "50" in confidentiality and "(not practised)" in confidentiality
        assert "(not practised)" not in listening


async def test_a_huge_paste_is_kept_in_the_box_not_sent():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        box = app.screen.query_one("#say")
        pasted = "It sounds like a lot. مرحبا 👩‍👩‍👧 \u202e " * 3000
        box.insert(pasted)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.session.log.turns == []
        assert box.text == pasted
        assert any("very long" in (n.title or "") for n in app._notifications)


async def test_errors_become_notifications_not_tracebacks(monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(screen.session, "say", broken)
        await say(pilot, REFLECT)
        assert any("disk full" in n.message for n in app._notifications)
        assert app.screen is screen and screen.query_one("#say").text == REFLECT


async def test_retry_from_a_turn_makes_a_branch():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        await say(pilot, ADVICE)
        first = app.screen.session.log.id
        await end_session(pilot)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#turns").highlighted = 1  # after turn 1
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert [t.trainee for t in screen.session.log.turns] == [REFLECT]
        assert screen.session.log.parent_id == first
        await say(pilot, ASK)
        assert len(Store().load_session(screen.session.log.id).turns) == 2


async def test_help_palette_theme_and_small_window():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        theme = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != theme and Store().get_setting("theme") == app.theme
        await pilot.press("ctrl+p")
        await pilot.press(*"history")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "No sessions yet" in str(app.screen.query_one("#history-title").render())
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "bigger" in str(app.screen.query_one(Static).render())


def test_fading_chips_thin_out_with_helpful_turns_and_return_after_a_misstep():
    from simulator.scenario.loader import load_scenario
    from simulator.tui.practice import Choice

    session = PracticeSession.start(load_scenario("marcus"), mode="fading")
    shown = [session.pick(Choice(f"It sounds like that was hard ({n}).", "reflection"))[1].shown
             for n in range(FADE_OFF + 2)]
    assert shown[:FADE_AFTER] == [True] * FADE_AFTER
    assert False in shown[FADE_AFTER:FADE_OFF] and True in shown[FADE_AFTER:FADE_OFF]
    assert not any(shown[FADE_OFF:])
    # A misstep always shows its chip, and the count starts again.
    assert session.pick(Choice("You should just get a job.", "directive_advice"))[1].shown
    assert session.pick(Choice("It sounds like you're tired of advice.", "reflection"))[1].shown


def test_practice_mode_always_shows_chips_and_assessment_never():
    from simulator.scenario.loader import load_scenario
    from simulator.tui.practice import Choice

    for mode, expected in (("practice", True), ("assessment", False), ("choice", True)):
        session = PracticeSession.start(load_scenario("marcus"), mode=mode)
        assert all(session.pick(Choice("It sounds hard.", "reflection"))[1].shown is expected for _ in range(8))


def test_the_help_names_every_key():
    from simulator.tui.app import PeersimApp
    from simulator.tui.screens.help import help_plain

    shown = help_plain().lower()
    names = {"escape": "esc", "ctrl+": "ctrl+", "pagedown": "pagedown", "pageup": "pageup"}
    for owner in (PeersimApp, ChooseScreen, ConversationScreen, DebriefScreen, HistoryScreen):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):
                for raw, nice in names.items():
                    key = key.replace(raw, nice)
                assert key in shown, f"{owner.__name__}: {key} is not in the help"


async def test_an_uncaught_error_closes_with_a_message_and_a_log(monkeypatch):
    from simulator.store import resolve_data_dir

    def broken(self):
        raise RuntimeError("a broken key handler")

    monkeypatch.setattr(ChooseScreen, "action_clear_filter", broken)
    app = make_app()
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("escape")
    assert app.return_code == 1
    assert "a broken key handler" in (resolve_data_dir() / "errors.log").read_text()


def test_the_rapport_plot_draws_each_turn_as_a_bar_of_its_height():
    from simulator.tui.widgets.rapport import plot_lines

    rows = plot_lines([0, 50, 100], width=6, height=2)
    assert rows == ["    ██", "  ████"]
    # A long session shows its latest turns in the width there is.
    assert plot_lines(list(range(100)), width=10, height=1) == [rows_for(90)]


def rows_for(start: int) -> str:
    from simulator.tui.widgets.rapport import BLOCKS

    return "".join(BLOCKS[round(v / 100 * 8)] for v in range(start, start + 10))


async def test_when_the_client_leaves_the_box_closes_and_esc_opens_the_debrief():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, ASK)
        await say(pilot, "I'll have to let your parole officer know about this.")
        screen = app.screen
        assert screen.session.ended and screen.query_one("#say").disabled
        assert "left the conversation" in texts(screen, ".note")[-1]
        assert Store().load_session(screen.session.log.id).ending == "left"
        await pilot.press("escape")  # no confirm needed: the session is over
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert "left the conversation" in str(app.screen.query_one("#debrief-head").render())


async def test_typing_a_name_puts_that_client_first():
    from simulator.scenario.loader import shipped_persona_paths

    app = make_app(persona_paths=shipped_persona_paths())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"mar")  # Marcus before any client whose name or story merely holds "mar"
        clients = app.screen.query_one("#clients")
        assert clients.get_option_at_index(clients.highlighted).id == "marcus"
        await pilot.press(*"zzzz")
        assert clients.option_count == 0
        assert "No client matches" in str(app.screen.query_one("#detail-body").render())


def test_a_chip_names_the_moves_and_leaves_out_other_beside_them():
    from simulator.tui.practice import Chip

    assert Chip((("other", 0), ("autonomy_support", 10)), 10, True).text == "autonomy support +10   rapport +10"
    assert Chip((("other", 0),), 0, True).text == "other +0   rapport +0"
    assert Chip((), 0, True).text == "nothing read   rapport +0"


async def test_help_opened_in_a_small_window_does_not_leave_the_notice_behind():
    # F1 over the "window is too small" notice, then a bigger window, then Esc: the
    # trainee must get the app back, not the notice at a size that fits.
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)


async def test_after_the_client_leaves_the_coach_and_the_box_say_so():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, "I'll have to let your parole officer know about this.")
        screen = app.screen
        assert screen.session.ended
        # No ideas for a conversation that is over.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.screen is screen
        assert any("left" in str(n.message) for n in app._notifications)
        # The closed box no longer invites typing; it points to the debrief.
        placeholder = str(screen.query_one("#say").placeholder)
        assert "Type what you'd say" not in placeholder and "Esc" in placeholder


async def test_words_typed_ahead_into_did_you_mean_are_kept_in_the_box():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.session.convo.recognizer = lambda text: Reading(
            text, (MoveSpan("other", 0, len(text), "", 0.3),), "other", 0.3, "", unclear=True)
        await say(pilot, "mm")
        assert isinstance(app.screen, ClarifyScreen)
        # The trainee was already typing the next thing: nothing is lost, nothing is sent.
        await pilot.press(*"so how")
        await settle(pilot)
        assert app.screen is screen and not screen.session.log.turns
        assert screen.query_one("#say").text == "mm\nso how"
        assert app.focused is screen.query_one("#say")


async def test_the_latest_reply_stays_in_view_when_the_window_shrinks():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        for line in (REFLECT, ASK, *REPAIR):
            await say(pilot, line)
        transcript = app.screen.query_one("#transcript")
        await pilot.pause()
        assert transcript.max_scroll_y > 0 and transcript.scroll_y == transcript.max_scroll_y
        # Smaller, but still big enough for the app: the transcript cannot take the focus,
        # so the keyboard cannot scroll it; what the client just said must stay in view.
        await pilot.resize_terminal(60, 16)
        await settle(pilot)
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y


async def test_an_unfinished_session_of_one_turn_and_esc_back_to_the_filter():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        resume = app.screen.query_one("#resume")
        label = str(resume.get_option_at_index(0).prompt)
        assert "1 turn ·" in label and "1 turns" not in label
        # F3 goes to the unfinished sessions; Esc (clear the filter) brings typing back.
        await pilot.press("f3")
        assert app.focused is resume
        await pilot.press("escape", *"dana")
        assert app.screen.query_one("#filter").value == "dana"
        assert app.screen.query_one("#clients").option_count == 1


async def test_a_name_with_square_brackets_is_shown_as_typed():
    # The name is the trainee's own text: "[/]" is not markup and must not stop the app.
    app = make_app(ask_name=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"Sam [/] [b]", "enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "for Sam [/] [b]." in str(app.screen.query_one("#history-title").render())


async def test_a_client_name_with_square_brackets_does_not_stop_the_history(tmp_path):
    # A persona file is untrusted author text: its name is shown as written, never as markup.
    from simulator.scenario.loader import shipped_dir

    text = (shipped_dir("personas") / "dana.yaml").read_text(encoding="utf-8")
    lines = [('name: "Dana [/] [b]"' if line.startswith("name:") else line) for line in text.splitlines()]
    persona = tmp_path / "dana.yaml"
    persona.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = make_app(persona_paths=[persona])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot, name="dana")
        await say(pilot, "It sounds like a lot right now.")
        await end_session(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[1]) == "Dana [/] [b]"


def contrast(fg, bg) -> float:
    """WCAG contrast ratio of two textual Colors."""
    def lum(c):
        parts = [v / 255 for v in (c.r, c.g, c.b)]
        r, g, b = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted([lum(fg), lum(bg)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


async def test_the_light_theme_keeps_notes_chips_and_the_meter_readable():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await say(pilot, REFLECT)
        await say(pilot, "I'll have to let your parole officer know about this.")
        await pilot.pause()
        screen = app.screen
        transcript = screen.query_one("#transcript")
        assert texts(screen, ".note") and any(e.kind == "chip" and e.tone == "good" for e in transcript.entries)
        for kind, tone in (("note", ""), ("chip", "good")):  # "left the conversation", a helpful turn
            color, background = transcript.look(kind, tone)
            assert contrast(color, background) >= 3, kind
        meter = screen.query_one("#meter")
        meter.trend = 5
        word = meter.get_component_styles("meter--good").color
        assert contrast(word, meter.colors[2]) >= 3


@pytest.mark.parametrize("command", ["new session", "history"])
async def test_the_palette_over_help_does_not_leave_a_running_session(command):
    # Help (or the coach) open over a conversation, then Ctrl+P: the session must be
    # ended first, as it must without the dialog, and the unsent words stay.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.query_one("#say").insert("half a thought")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*command)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen in app.screen_stack
        assert not any(isinstance(s, HistoryScreen) for s in app.screen_stack)
        assert any("End the session first" in str(n.message) or "Finish or end the session" in str(n.message)
                   for n in app._notifications)
        assert screen.query_one("#say").text == "half a thought"


async def test_a_turn_that_cannot_be_saved_is_not_played_and_the_screen_says_so_until_it_is(monkeypatch):
    # Issue 17: no practising without saving unnoticed; the turn is played and stored as one unit.
    import sqlite3

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        session = screen.session
        real = session.store.append_turn

        def full(*args, **kwargs):
            raise sqlite3.OperationalError("the disk is full")

        monkeypatch.setattr(session.store, "append_turn", full)
        await say(pilot, REFLECT)
        banner = screen.query_one("#not-saved", Static)
        assert banner.display and "Not saved: the disk is full" in str(banner.render())
        assert session.convo.turn == 0 and session.log.turns == []       # the client has not answered
        assert screen.query_one("#say").text == REFLECT
        await say(pilot, "I'm listening.")                               # still failing: still shown
        assert banner.display
        monkeypatch.setattr(session.store, "append_turn", real)
        screen.query_one("#say").clear()
        await say(pilot, REFLECT)
        assert not banner.display
        assert session.convo.turn == 1 and [t.trainee for t in session.log.turns] == [REFLECT]
        with Store(session.store.path.parent) as store:
            assert [t.trainee for t in store.load_session(session.log.id).turns] == [REFLECT]


async def test_when_turns_cannot_be_saved_the_session_can_move_to_another_folder(monkeypatch, tmp_path):
    # Issue 17: the screen offers another folder; the session so far is copied there and saving
    # goes on there, with nothing lost and the trainee's words still in the box.
    import sqlite3

    from simulator.tui.screens.modals import FolderScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        session = screen.session
        assert "f8" not in app.active_bindings                       # nothing to offer while turns save
        await say(pilot, ASK)                                       # saved where it is

        def full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(session.store, "append_turn", full)
        await say(pilot, REFLECT)
        banner = screen.query_one("#not-saved", Static)
        assert banner.display and "F8" in str(banner.render())
        assert "f8" in app.active_bindings                           # offered while it lasts
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, FolderScreen)
        other = tmp_path / "usb stick"
        app.screen.query_one("#folder").value = str(other)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and not banner.display
        assert screen.query_one("#say").text == REFLECT              # the words wait to be sent
        await pilot.press("enter")
        await settle(pilot)
        assert session.convo.turn == 2
        with Store(other) as store:
            assert [t.trainee for t in store.load_session(session.log.id).turns] == [ASK, REFLECT]
        assert "f8" not in app.active_bindings
