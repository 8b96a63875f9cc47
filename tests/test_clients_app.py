"""Issue 13 in the app, driven with Textual's Pilot: a misstep owned and repaired, and a
direct safety question answered honestly and named in the debrief."""

from __future__ import annotations

from simulator.moves import MoveSpan, Reading, recognize
from simulator.store import Store
from simulator.tui.screens.debrief import DebriefScreen
from test_tui_support import ADVICE, ASK, REFLECT, end_session, make_app, open_client, say, texts

SAFETY = "Are you safe right now? Any thoughts of hurting yourself?"
SORRY = "Sorry, that came out wrong."


def reads_sorry_as_repair(text: str) -> Reading:
    """Today's recogniser may not read an apology as `repair` yet; the app test is about what
    the client does with one, so that one line is read by hand."""
    if text != SORRY:
        return recognize(text)
    return Reading(text, (MoveSpan("repair", 0, len(text), "sorry"),), "repair", 0.9, "sorry")


async def test_a_misstep_owned_and_followed_by_listening_wins_marcus_back():
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.session.convo.recognizer = reads_sorry_as_repair
        for line in (REFLECT, ASK, "What you say here stays between us."):
            await say(pilot, line)
        assert screen.session.convo.state == "warming"
        await say(pilot, ADVICE)
        assert screen.session.convo.state == "withdrawn"
        meter = screen.query_one("#meter")
        low = meter.value

        # The apology is heard and answered, but on its own it does not undo the misstep.
        await say(pilot, SORRY)
        convo = screen.session.convo
        assert convo.state == "withdrawn" and meter.value > low
        repair_lines = {convo._fill(line) for line in convo.pool_for("withdrawn", "repair")[1]}
        assert screen.session.log.turns[-1].reply in repair_lines
        assert "repair" in " ".join(texts(screen, ".chip"))

        # Then listening brings him back, sooner than listening alone would.
        await say(pilot, "It sounds like people keep deciding things for you.")
        assert convo.state == "warming"
        assert convo.cue in texts(screen, ".cue")[-1]
        assert not convo.ended


async def test_a_direct_safety_question_is_answered_and_named_as_a_strength():
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_client(pilot)
        screen = app.screen
        await say(pilot, REFLECT)
        await say(pilot, SAFETY)
        convo = screen.session.convo
        turn = screen.session.log.turns[-1]
        assert (turn.topic, turn.safety_check) == ("safety", True)
        safety = next(t for t in convo.persona.topics if t.safety)
        answers = {convo._fill(line) for line in safety.replies[convo.topic_level(safety, convo.state)]}
        assert turn.reply in answers
        assert any(turn.reply in shown for shown in texts(screen, "Static"))
        assert Store().load_session(screen.session.log.id).turns[-1].safety_check

        await end_session(pilot)
        assert isinstance(app.screen, DebriefScreen)
        shown = " ".join(texts(app.screen, "Static"))
        assert "directly about their safety" in shown and "strength" in shown
