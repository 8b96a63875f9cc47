"""Store and debrief benchmarks for issue 5: per-turn commit latency, loading, scoring, export.

Run on demand (not collected by pytest):

    python benchmarks/bench_store.py           # prints a Markdown section for RESULTS.md
    python benchmarks/bench_store.py --turns 50

The session is played with hand-built readings (no recogniser), so only the store and the
debrief are measured. A turn is committed with synchronous=FULL (an fsync per turn), so the
commit figure depends on the disk; the temporary folder used is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_line  # noqa: E402
from simulator.debrief import debrief  # noqa: E402
from simulator.debrief.export import to_html, to_json, to_markdown, to_text  # noqa: E402
from simulator.engine import Conversation  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402
from simulator.moves.reading import MoveSpan, Reading  # noqa: E402
from simulator.service import resume_conversation  # noqa: E402
from simulator.session import SessionLog, TurnRecord  # noqa: E402
from simulator.store import Store  # noqa: E402

CYCLE = [("reflection", "It sounds like you're worn out from holding it all."),
         ("open_question", "What's been the hardest part?"),
         ("affirmation", "You've held on through a lot."),
         ("closed_question", "Did you sleep last night?"),
         ("summary", "So: the couch, the job hunt, and your daughter."),
         ("autonomy_support", "It's your call what we talk about.")]


def reading(move: str, text: str) -> Reading:
    return Reading(text, (MoveSpan(move, 0, len(text), "bench", 1.0),), move, 1.0, "bench")


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.2f} ms, max {max(values) * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="peersim-bench-"))
    store = Store(folder)
    convo = Conversation(load_scenario("marcus"), seed=1)
    log = SessionLog.start(convo)
    store.create_session(log)
    commits = []
    for i in range(args.turns):
        if convo.ended:
            break
        record = TurnRecord.from_turn(convo.step(reading(*CYCLE[i % len(CYCLE)])))
        log.turns.append(record)
        start = time.perf_counter()
        store.append_turn(log.id, record)
        commits.append(time.perf_counter() - start)

    def timed(fn, repeat: int = 5) -> list[float]:
        out = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
        return out

    loaded = store.load_session(log.id)
    d = debrief(loaded)
    print(f"## Store and debrief (issue 5)\n\nMachine: {machine_line()}; temp folder {folder}.\n")
    print(f"- append_turn (committed, synchronous=FULL), {len(commits)} turns: {ms(commits)}")
    print(f"- load_session of {len(loaded.turns)} turns: {ms(timed(lambda: store.load_session(log.id)))}")
    print(f"- debrief() of {len(loaded.turns)} turns: {ms(timed(lambda: debrief(loaded)))}")
    print(f"- resume_conversation() of {len(loaded.turns)} turns: {ms(timed(lambda: resume_conversation(loaded)))}")
    for name, fn in (("text", to_text), ("markdown", to_markdown), ("html", to_html), ("json", to_json)):
        print(f"- export {name}: {ms(timed(lambda: fn(d, loaded)))}")
    print(f"- list_sessions with 1 session: {ms(timed(store.list_sessions))}")
    store.close()


if __name__ == "__main__":
    main()
