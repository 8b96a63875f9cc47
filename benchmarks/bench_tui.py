"""App benchmarks for issue 6: launch to first screen drawn (beside a bare Textual app,
measured in the same run), and Enter to the client's reply drawn.

Run on demand (not collected by pytest):

    python benchmarks/bench_tui.py            # full run, prints a Markdown section
    python benchmarks/bench_tui.py --quick    # fewer repeats

Launch is timed as a user feels it: a fresh `python` process that imports the app, starts
it headless and stops as soon as the first screen has been drawn (wall time of the whole
process, interpreter start-up included, for both apps alike). Enter-to-reply is timed
in-process, from the Enter key to the first frame that shows the reply (FrameClock below) over a 200-turn
conversation, so a cost that grows with the transcript shows as a ratio of late turns to
early ones; the turn saved to SQLite is included. The figures go in benchmarks/RESULTS.md by hand.

    python benchmarks/bench_tui.py --replies-only   # Enter-to-reply only, 200 turns
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


def launch(code: str, data_dir: str, root: Path = ROOT) -> float:
    env = {**os.environ, "PEERSIM_DATA_DIR": data_dir, "PYTHONPATH": str(root)}
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root,
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


class FrameClock:
    """Times Enter to the frame that shows the client's reply.

    A frame is one call of the app's `_display` (Textual's private hook where the
    compositor's update goes to the terminal; headless, nothing is written, so the update is
    turned into terminal text here, as a real terminal would get it). After each frame the
    clock checks whether the newest reply is in view; the time that check takes is taken
    off the measure, so the harness's own work is not counted. Nothing waits on Pilot's
    idle (which waits on every widget and grows with the transcript itself)."""

    def __init__(self, app):
        self.app = app
        self.console = app.console
        self.shown = asyncio.Event()
        self.want = None  # the number of replies that means "this turn's reply is in"
        self.start = 0.0
        self.checking = 0.0
        self.elapsed = 0.0
        self._original = app._display
        app._display = self.display

    def display(self, screen, update) -> None:
        self._original(screen, update)
        if update is None or self.want is None:
            return
        update.render_segments(self.console)
        now = time.perf_counter()
        if self.reply_in_view(screen):
            self.elapsed = now - self.start - self.checking
            self.want = None
            self.shown.set()
        self.checking += time.perf_counter() - now

    def reply_in_view(self, screen) -> bool:
        transcript = screen.query_one("#transcript")
        if hasattr(transcript, "entries"):  # one widget that draws its own lines
            return (len(transcript.texts("client")) >= self.want
                    and transcript.scroll_y == transcript.max_scroll_y)
        clients = screen.query(".client")  # a widget per line (before issue 12)
        if len(clients) < self.want:
            return False
        last = clients.last().region
        return last.height > 0 and last.bottom <= transcript.region.bottom

    async def enter(self, replies_after: int) -> float:
        from textual import events

        self.shown.clear()
        self.checking = 0.0
        self.want = replies_after
        self.start = time.perf_counter()
        self.app.post_message(events.Key("enter", "\r"))
        await asyncio.wait_for(self.shown.wait(), timeout=30)
        return self.elapsed


async def enter_to_reply(turns: int) -> list[float]:
    """Enter-to-reply for each of `turns` turns of one conversation, first turn first."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_tui_support import make_app, open_client

    app = make_app()
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot)
        screen = app.screen
        screen.session.ask = False  # a "did you mean" question would stop the clock
        clock = FrameClock(app)
        box = screen.query_one("#say")
        for i in range(turns):
            if screen.session.ended:
                break
            box.insert(SCRIPT[i % len(SCRIPT)])
            await pilot.pause()
            replies = len(screen.session.log.turns) + 2  # the opening line, then one per turn
            times.append(await clock.enter(replies))
    return times


def window(times: list[float], first: int, last: int) -> list[float]:
    """Turns first..last (counted from 1)."""
    return times[first - 1:last]


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def reply_rows(times: list[float]) -> list[str]:
    rows = []
    for first, last in ((1, 24), (25, 100), (101, 200)):
        part = window(times, first, last)
        if part:
            rows.append(f"| Enter to the reply's frame, turns {first}-{min(last, len(times))} | {ms(part)} |")
    early, late = window(times, 11, 30), window(times, 181, 200)
    if early and late:
        ratio = statistics.median(late) / statistics.median(early)
        rows.append(f"| turns 181-200 / turns 11-30 (medians) | {ratio:.2f}x (goal: within 1.3x) |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--replies-only", action="store_true", help="only Enter-to-reply, no launches")
    parser.add_argument("--turns", type=int, default=200, help="turns of Enter-to-reply (default 200)")
    parser.add_argument("--reference", type=Path, default=None,
                        help="another checkout (say, `git archive` of an older commit): its launches are timed "
                             "in the same run, interleaved, to say whether start-up got slower")
    args = parser.parse_args()
    repeats = 3 if args.quick else 10
    import textual

    print(f"Machine: {machine_line(f'Textual {textual.__version__}')}.\n")
    print("| measure | median |")
    print("| --- | --- |")
    if not args.replies_only:
        with tempfile.TemporaryDirectory() as data:
            launch(BARE, data)  # warm the OS file cache for both alike
            launch(PEERSIM, data)
            bare, ours, cli, listed, ref, ref_cli = [], [], [], [], [], []
            if args.reference:
                launch(PEERSIM, data, args.reference)
            for _ in range(repeats):  # interleaved, so both see the same machine load
                bare.append(launch(BARE, data))
                ours.append(launch(PEERSIM, data))
                cli.append(launch(PEERSIM_CLI, data))
                listed.append(launch(PEERSIM_LISTED, data))
                if args.reference:
                    ref.append(launch(PEERSIM, data, args.reference))
                    ref_cli.append(launch(PEERSIM_CLI, data, args.reference))
        ratio = statistics.median(ours) / statistics.median(bare)
        print(f"| bare Textual app (Header, Static, Footer): launch to first screen drawn | {ms(bare)} |")
        print(f"| peersim: launch to first screen drawn (client list) | {ms(ours)} |")
        print(f"| peersim started the way `peersim` starts it (simulator.cli first) | {ms(cli)} |")
        print(f"| peersim: launch to every client loaded and listed (worker) | {ms(listed)} |")
        print(f"| peersim / bare | {ratio:.2f}x (goal: within 1.5x) |")
        print(f"| `peersim` command / bare | {statistics.median(cli) / statistics.median(bare):.2f}x |")
        if args.reference:
            print(f"| the reference ({args.reference}): launch to first screen drawn | {ms(ref)} |")
            print(f"| this checkout / the reference, first screen drawn | "
                  f"{statistics.median(ours) / statistics.median(ref):.2f}x |")
            print(f"| this checkout / the reference, the way `peersim` starts | "
                  f"{statistics.median(cli) / statistics.median(ref_cli):.2f}x |")
    with tempfile.TemporaryDirectory() as data:
        os.environ["PEERSIM_DATA_DIR"] = data  # each turn saved to SQLite, in a fresh folder
        replies = asyncio.run(enter_to_reply(24 if args.quick else args.turns))
    print(f"| Enter to the reply's frame, all {len(replies)} turns (turn saved to SQLite) | {ms(replies)} |")
    for row in reply_rows(replies):
        print(row)


if __name__ == "__main__":
    main()
