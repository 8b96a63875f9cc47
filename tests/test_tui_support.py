"""Shared helpers for the app's Pilot and snapshot tests (no tests here)."""

from __future__ import annotations

from simulator.scenario.loader import shipped_dir

FROZEN = "2026-01-05T10:00:00+00:00"

# Lines from personas/marcus.test.yaml: the play-tests keep the recogniser and the
# guarded tree reading them this way, so the app tests stand on the same ground.
REFLECT = "It sounds like you didn't really choose to be here."
ASK = "What's it been like since you got home?"
ADVICE = "You need to get a job and stop hanging around the old block."
REPAIR = ["You've heard that a lot, and it doesn't help.", "It's your call what happens next.",
          "It sounds like people keep deciding things for you.", "What you say here stays between us."]


def two_clients():
    """Marcus and Dana only, so screens don't change when other personas are added."""
    folder = shipped_dir("personas")
    return [folder / "dana.yaml", folder / "marcus.yaml"]


def make_app(**kwargs):
    from simulator.tui.app import PeersimApp

    kwargs.setdefault("ask_name", False)
    kwargs.setdefault("persona_paths", two_clients())
    return PeersimApp(clock=lambda: FROZEN, **kwargs)


def texts(screen, selector: str) -> list[str]:
    """The texts of the widgets `selector` matches. The transcript draws its own lines, so
    `.client`, `.chip`, `.cue`... give its entries of that kind, and `Static` all of them too."""
    from simulator.tui.widgets.transcript import KINDS, Transcript

    found = [str(w.render()) for w in screen.query(selector)]
    kind = selector[1:] if selector.startswith(".") else None
    for transcript in screen.query(Transcript):
        if selector == "Static":
            found += [entry.text for entry in transcript.entries]
        elif kind in KINDS:
            found += transcript.texts(kind)
    return found


def visible_chips(screen) -> list[str]:
    from simulator.tui.widgets.transcript import Transcript

    return [text for transcript in screen.query(Transcript) for text in transcript.shown_texts("chip")]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    # The client list asks for its clients only after its first frame, so on a loaded machine
    # the worker may not have started yet when the first wait returns: wait for the list itself.
    from simulator.tui.screens.choose import ChooseScreen

    for _ in range(200):
        screen = pilot.app.screen
        if not isinstance(screen, ChooseScreen) or screen.cards:
            break
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_client(pilot, name: str = "marcus", mode: str = "practice") -> None:
    """From the client list to a running conversation in `mode`."""
    from simulator.tui.practice import MODES

    await settle(pilot)
    await pilot.press(*name)
    await pilot.press("enter")
    await pilot.pause()
    modes = pilot.app.screen.query_one("#modes")
    modes.highlighted = MODES.index(mode)
    await pilot.press("enter")
    await settle(pilot)


async def say(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#say")
    box.clear()
    box.insert(text)
    await pilot.press("enter")
    await settle(pilot)


async def end_session(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("y")
    await settle(pilot)
    await settle(pilot)
