"""App benchmarks for issue 6: launch to first screen drawn (beside a bare Textual app,
measured in the same run), and Enter to the client's reply drawn.

Run on demand (not collected by pytest):

    python benchmarks/bench_tui.py            # full run, prints a Markdown section
    python benchmarks/bench_tui.py --quick    # fewer repeats

Launch is timed as a user feels it: a fresh `python` process that imports the app, starts
it headless and stops as soon as the first screen has been drawn (wall time of the whole
process, interpreter start-up included, for both apps alike). Enter-to-reply is timed
in-process with Textual's Pilot: from the Enter key to the screen having processed and
refreshed the new reply, the turn saved to SQLite included. The figures go in
benchmarks/RESULTS.md under "## App (issue 6)" by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine_line

ROOT = Path(__file__).resolve().parent.parent

# Each child prints the wall-clock time at which its first screen had been drawn (the
# first refresh after the app is ready, via call_after_refresh) and leaves at once, so
# shutdown (and peersim's start-up worker still loading clients) is not counted.
STOP = """
import os, time

async def stop(pilot):
    def drawn():
        print(time.time(), flush=True)
        os._exit(0)
    pilot.app.call_after_refresh(drawn)
"""

BARE = STOP + """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

Bare().run(headless=True, size=(80, 24), auto_pilot=stop)
"""

PEERSIM = STOP + """
from simulator.tui.app import PeersimApp

PeersimApp(ask_name=False).run(headless=True, size=(80, 24), auto_pilot=stop)
"""

# What `peersim` does: simulator.cli is imported and the (app-only) command line parsed first.
PEERSIM_CLI = STOP + """
from simulator.cli import _app_args
_app_args([])
from simulator.tui.app import PeersimApp

PeersimApp(ask_name=False).run(headless=True, size=(80, 24), auto_pilot=stop)
"""

# Until every client is loaded and listed (the start-up worker done and drawn).
PEERSIM_LISTED = """
import os, time
from simulator.tui.app import PeersimApp

async def stop(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    print(time.time(), flush=True)
    os._exit(0)

PeersimApp(ask_name=False).run(headless=True, size=(80, 24), auto_pilot=stop)
"""


def launch(code: str, data_dir: str) -> float:
    env = {**os.environ, "PEERSIM_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1]) - start


SCRIPT = [
    "Hi, thanks for coming in.",
    "It sounds like you didn't really choose to be here.",
    "What's it been like since you got home?",
    "What you tell me stays between us.",
    "So you're trying to stay out of everyone's way.",
    "That sounds exhausting.",
    "It's your call what we talk about.",
    "It sounds like you've been shut out every time you try.",
]


async def enter_to_reply(turns: int) -> list[float]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_tui_support import make_app, open_client

    app = make_app()
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        box = screen.query_one("#say")
        for i in range(turns):
            if screen.session.ended:
                break
            box.insert(SCRIPT[i % len(SCRIPT)])
            before = len(screen.query(".client"))
            start = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            while len(screen.query(".client")) == before and app.screen is screen:
                await pilot.pause()
            times.append(time.perf_counter() - start)
            if app.screen is not screen:  # a "did you mean" question: answer it as read
                await pilot.press("end", "enter")
                await pilot.pause()
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 3 if args.quick else 10
    with tempfile.TemporaryDirectory() as data:
        launch(BARE, data)  # warm the OS file cache for both alike
        launch(PEERSIM, data)
        bare, ours, cli, listed = [], [], [], []
        for _ in range(repeats):  # interleaved, so both see the same machine load
            bare.append(launch(BARE, data))
            ours.append(launch(PEERSIM, data))
            cli.append(launch(PEERSIM_CLI, data))
            listed.append(launch(PEERSIM_LISTED, data))
    replies = asyncio.run(enter_to_reply(8 if args.quick else 24))
    ratio = statistics.median(ours) / statistics.median(bare)
    print("## App (issue 6)\n")
    import textual

    print(f"Machine: {machine_line(f'Textual {textual.__version__}')}. `python benchmarks/bench_tui.py` ({repeats} launches each, interleaved).\n")
    print("| measure | median |")
    print("| --- | --- |")
    print(f"| bare Textual app (Header, Static, Footer): launch to first screen drawn | {ms(bare)} |")
    print(f"| peersim: launch to first screen drawn (client list) | {ms(ours)} |")
    print(f"| peersim started the way `peersim` starts it (simulator.cli first) | {ms(cli)} |")
    print(f"| peersim: launch to every client loaded and listed (worker) | {ms(listed)} |")
    print(f"| peersim / bare | {ratio:.2f}x (goal: within 1.5x) |")
    print(f"| `peersim` command / bare | {statistics.median(cli) / statistics.median(bare):.2f}x |")
    print(f"| Enter to the client's reply drawn ({len(replies)} turns, turn saved to SQLite) | {ms(replies)} |")


if __name__ == "__main__":
    main()
