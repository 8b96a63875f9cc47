"""Screens ask the app by posting messages (simulator/tui/messages.py): a key posts the
message, and the app acts on it. Pilot records every message with `message_hook`."""

from __future__ import annotations

from simulator.tui.messages import ClientChosen, ExportDebrief, OpenDebrief, ShowDebrief, ShowError
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.modals import BeforeStartScreen
from test_tui_support import REFLECT, end_session, make_app, open_client, say, settle


def of(kind, posted: list) -> list:
    """Each message of `kind` once (the hook sees it at the screen, then at the app)."""
    found: list = []
    for message in posted:
        if isinstance(message, kind) and all(message is not seen for seen in found):
            found.append(message)
    return found


async def test_choosing_ending_and_reopening_are_messages_the_app_acts_on():
    posted: list = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await settle(pilot)
        await pilot.press(*"marcus", "enter")
        await pilot.pause()
        assert [m.scenario.persona.id for m in of(ClientChosen, posted)] == ["marcus"]
        assert isinstance(app.screen, BeforeStartScreen)  # the app opened the content note

        await pilot.press("enter")
        await settle(pilot)
        await say(pilot, REFLECT)
        await end_session(pilot)
        [ended] = of(ShowDebrief, posted)
        assert ended.replace and [t.trainee for t in ended.log.turns] == [REFLECT]
        assert isinstance(app.screen, DebriefScreen) and app.screen.session_log is ended.log

        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert [m.session_id for m in of(OpenDebrief, posted)] == [ended.log.id]
        assert isinstance(app.screen, DebriefScreen) and app.screen.session_log.id == ended.log.id


async def test_a_screen_reports_an_error_and_the_app_tells_the_trainee():
    posted: list = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await open_client(pilot)

        def broken(text):
            raise ValueError("the recogniser broke")

        app.screen.session.convo.recognizer = broken
        await say(pilot, REFLECT)
        assert [m.what for m in of(ShowError, posted)] == ["Your words could not be read"]
        assert any("Your words could not be read: the recogniser broke" in str(n.message)
                   for n in app._notifications)
        assert app.screen.query_one("#say").text == REFLECT  # the words are kept


async def test_the_transcript_wraps_again_when_the_window_narrows():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        transcript = app.screen.query_one("#transcript")
        await pilot.resize_terminal(60, 16)
        await settle(pilot)
        await pilot.pause()
        width = transcript.scrollable_content_region.width
        lines = transcript.lines_in_view()
        assert lines and all(len(line) <= width for line in lines)
        # Every word of the last reply is still there, wrapped to the new width.
        shown = " ".join(" ".join(lines).replace("▊", " ").split())
        assert " ".join(transcript.texts("client")[-1].split()[-4:]) in shown


async def test_saving_a_debrief_is_a_message_the_app_acts_on():
    posted: list = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await open_client(pilot)
        await say(pilot, REFLECT)
        await end_session(pilot)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        [asked] = of(ExportDebrief, posted)
        assert asked.fmt == "md" and asked.log is app.screen.session_log
        assert any(n.message.startswith("Saved to ") and n.message.endswith(".md") for n in app._notifications)
