"""Make docs/screenshot.svg: a conversation in the app, drawn by Textual's own
screenshot (app.save_screenshot). Run: python docs/make_screenshot.py"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TURNS = [
    "It sounds like you didn't really choose to be here.",
    "What's it been like since you got home?",
    "You need to get a job and stop hanging around the old block.",
    "You've heard that a lot, and it doesn't help.",
    "It's your call what happens next.",
]


async def main() -> None:
    os.environ["PEERSIM_DATA_DIR"] = tempfile.mkdtemp()  # never the real sessions
    from test_tui_support import make_app, open_client, say

    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await open_client(pilot)
        for line in TURNS:
            await say(pilot, line)
        app.save_screenshot(filename="screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
