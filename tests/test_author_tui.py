"""Author mode (`peersim play --watch`): reload on save, replay the transcript, keep the last
good version on a broken save, and explain the last transition in the "why" pane."""

from pathlib import Path

from textual.widgets import Static

from simulator.cli.authoring import new_file
from simulator.tui.author import AuthorApp
from simulator.tui.widgets.compose import ComposeBox
from simulator.tui.widgets.transcript import Transcript

BREACH = "I'll have to tell your parole officer about this."
HELLO = "Hi, thanks for coming in."


def workspace(tmp_path: Path) -> tuple[Path, Path]:
    tree = new_file("tree", "quiet", folder=tmp_path / "dialogue_trees")
    persona = new_file("persona", "Rosa", tree="quiet", folder=tmp_path / "personas")
    return persona, tree


async def wait_for(pilot, condition, tries: int = 400) -> None:
    """Let the app run until `condition()` holds (bounded, so a broken watcher fails the test)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


async def say(pilot, app, text: str) -> None:
    box = app.query_one("#say", ComposeBox)
    box.clear()
    box.insert(text)
    await pilot.press("enter")
    await pilot.pause()


def transcript_text(app) -> str:
    return "\n".join(entry.text for entry in app.query_one(Transcript).entries)


def why_text(app) -> str:
    return str(app.query_one("#why", Static).content)


async def test_saving_the_persona_reloads_and_replays_the_transcript(tmp_path):
    persona, _ = workspace(tmp_path)
    app = AuthorApp(persona, watch=True, poll_interval=0.02)
    async with app.run_test() as pilot:
        await say(pilot, app, HELLO)
        assert len(app.turns) == 1
        assert "I'm not sure what this is." in transcript_text(app)

        text = persona.read_text(encoding="utf-8")
        persona.write_text(text.replace("I'm not sure what this is.", "I nearly didn't come."), encoding="utf-8")
        await wait_for(pilot, lambda: app.reloads == 1)
        await pilot.pause()

        assert app.conversation.opening_line.endswith("I nearly didn't come.")
        assert app.said == [HELLO] and len(app.turns) == 1  # the transcript was replayed
        assert "You: " + HELLO in transcript_text(app)
        assert "I nearly didn't come." in transcript_text(app)
        assert "Reloaded rosa.yaml and quiet.yaml; replayed 1 turn." == app.last_notice


async def test_a_broken_save_keeps_the_last_good_version_running(tmp_path):
    persona, _ = workspace(tmp_path)
    good = persona.read_text(encoding="utf-8")
    app = AuthorApp(persona, watch=True, poll_interval=0.02)
    async with app.run_test() as pilot:
        await say(pilot, app, HELLO)
        persona.write_text(good.replace("opening_line: \"Hi.", "opening_line: Hi: oops"), encoding="utf-8")
        await wait_for(pilot, lambda: app.last_error is not None)

        # The notification names the file, line and problem; the old version still talks.
        assert "rosa.yaml:" in app.last_error and "YAML syntax" in app.last_error
        assert "the last good version is still running" in app.last_notice
        assert app.reloads == 0
        assert app.conversation.opening_line.startswith("Hi. The housing lady")
        await say(pilot, app, "What's been on your mind?")
        assert len(app.turns) == 2

        # Fixing the file brings the new version in, with both turns replayed.
        persona.write_text(good.replace("Hi. The housing lady", "Hello. The housing lady"), encoding="utf-8")
        await wait_for(pilot, lambda: app.reloads == 1)
        assert app.last_error is None
        assert app.conversation.opening_line.startswith("Hello.")
        assert len(app.turns) == 2


async def test_the_why_pane_shows_state_rule_note_and_rapport_change(tmp_path):
    persona, tree = workspace(tmp_path)
    app = AuthorApp(persona, watch=True, poll_interval=0.02)
    async with app.run_test() as pilot:
        assert "state    guarded" in why_text(app)
        await say(pilot, app, BREACH)
        why = why_text(app)
        assert app.conversation.state == "left"
        assert "state    left  (ending: left)" in why
        assert "rule     T1: guarded -> left on confidentiality_breach  (quiet.yaml:" in why
        assert "note     A breach of confidentiality ends trust at once." in why
        assert "confidentiality_breach -45" in why

        # Editing the tree (not the persona) reloads too, and the replayed turn shows the new note.
        text = tree.read_text(encoding="utf-8")
        tree.write_text(text.replace("A breach of confidentiality ends trust at once.",
                                     "Telling their parole officer breaks their trust."), encoding="utf-8")
        await wait_for(pilot, lambda: app.reloads == 1)
        await pilot.pause()
        assert "note     Telling their parole officer breaks their trust." in why_text(app)


async def test_without_watch_nothing_reloads_until_asked(tmp_path):
    persona, _ = workspace(tmp_path)
    app = AuthorApp(persona, watch=False, poll_interval=0.02)
    async with app.run_test() as pilot:
        persona.write_text(persona.read_text(encoding="utf-8").replace("Hi. The housing", "Hey. The housing"),
                           encoding="utf-8")
        await pilot.pause(0.1)
        assert app.reloads == 0
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.reloads == 1 and app.conversation.opening_line.startswith("Hey.")


async def test_when_no_rule_fits_the_why_pane_names_the_condition_that_failed(tmp_path):
    persona, _ = workspace(tmp_path)
    app = AuthorApp(persona)
    async with app.run_test() as pilot:
        await say(pilot, app, "It sounds like the flat is really quiet.")
        why = why_text(app)
        assert app.conversation.state == "guarded"
        assert "rule     none fitted 'reflection' in guarded; the client stays" in why
        # T5 of the template tree: guarded -> warming needs rapport >= warm (35).
        assert "T5 -> warming needs rapport ≥ warm (35)" in why
