"""Quality and speed of the move recogniser (issue 3). Run on demand, not by pytest:

    python benchmarks/bench_moves.py            # everything
    python benchmarks/bench_moves.py --quick    # skip ESConv and the subprocess timings

Prints the figures reported in benchmarks/RESULTS.md, each with the command that
reproduces it on its own:
- macro-F1 on the project's own held-out split (tools/corpus/moves.jsonl, split=test),
  with the rules alone and with rules + model;
- macro-F1 on ESConv's test split mapped onto move groups (--map esconv), if ../shared/data
  is present (ESConv is read for measuring only and is never copied into the repository);
- macro-F1 on ESConv's eight strategies themselves (--map esconv8);
- throughput of one `peersim classify` call, start-up included, with the default worker
  processes (one per core for large piped inputs) and with one process;
- latency of recognize(): p50/p99 over the corpus (one pass, warm), and the cost of the
  first call in a fresh process (imports, lexicon and model load).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The code measured: this checkout's, or another's named by PYTHONPATH (a "before" to
# compare with; the held-out items and ESConv are read from this checkout either way).
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from simulator.moves.evaluate import evaluate, load_map  # noqa: E402
import simulator  # noqa: E402

CODE = Path(simulator.__file__).resolve().parents[1]
from simulator.moves.recognizer import Recognizer  # noqa: E402
from simulator.moves.segment import normalise  # noqa: E402
from tools.recogniser.train import CORPUS, read_corpus  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from esconv_to_jsonl import DEFAULT_SRC as ESCONV_TEST  # noqa: E402
from esconv_to_jsonl import supporter_turns  # noqa: E402


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = " load average %.1f" % os.getloadavg()[0]
    return f"{cpu or platform.processor()}, {os.cpu_count()} cores,{load}; Python {platform.python_version()}"


def held_out() -> dict:
    rows = [(r["text"], r["label"]) for r in read_corpus(CORPUS, "test")]
    combined = evaluate(rows)
    rules_only = evaluate(rows, recognize=Recognizer(model=None).recognize)
    return {"n": combined.n, "combined": combined.macro_f1, "rules_only": rules_only.macro_f1,
            "accuracy": combined.accuracy}


def esconv(map_name: str = "esconv") -> dict | None:
    """ESConv's test split: `esconv` groups the eight strategies into seven move families;
    `esconv8` keeps the eight strategies (as published figures do)."""
    if not ESCONV_TEST.exists():
        return None
    rows = [(r["text"], r["label"]) for r in supporter_turns(ESCONV_TEST)]
    mapping = load_map(map_name)
    combined = evaluate(rows, mapping)
    rules_only = evaluate(rows, mapping, recognize=Recognizer(model=None).recognize)
    return {"n": combined.n, "combined": combined.macro_f1, "rules_only": rules_only.macro_f1,
            "accuracy": combined.accuracy,
            "per_label": {k: round(v["f1"], 3) for k, v in combined.per_label.items()}}


def classify_throughput(lines: list[str], processes: int | None = None) -> dict:
    """One `peersim classify` call, best of three. `processes`: PEERSIM_CLASSIFY_PROCESSES
    (None: the default, one worker per core for inputs of 2,000 lines or more)."""

    env = dict(os.environ)
    # Measured as a user runs it: PYTHONUNBUFFERED (set in some sandboxes) makes every
    # output line its own system call to the pipe, which costs about 15% here.
    env.pop("PYTHONUNBUFFERED", None)
    if processes is not None:
        env["PEERSIM_CLASSIFY_PROCESSES"] = str(processes)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        name = fh.name
    best = None
    for _ in range(3):
        began = time.perf_counter()
        with open(name, encoding="utf-8") as stdin:
            # From the measured code's own folder: `python -m` puts the working folder first.
            proc = subprocess.run([sys.executable, "-m", "simulator", "classify"], stdin=stdin,
                                  stdout=subprocess.PIPE, cwd=CODE, check=True, env=env)
        took = time.perf_counter() - began
        assert proc.stdout.count(b"\n") == len(lines)
        best = took if best is None else min(best, took)
    Path(name).unlink()
    return {"lines": len(lines), "seconds": best, "per_second": len(lines) / best}


def latency(texts: list[str]) -> dict:
    from simulator.moves import default_recognizer, recognize

    for t in texts[:200]:
        recognize(t)          # warm: lexicon rules compile on first use
    # Every utterance is timed as if new: the memo of pieces already read and the cache of
    # tidied text are emptied before each call.
    memo = default_recognizer()._memo
    times = []
    for t in texts:
        memo.clear()
        normalise.cache_clear()
        began = time.perf_counter()
        recognize(t)
        times.append(time.perf_counter() - began)
    times.sort()
    # The same, each utterance timed five times and its fastest kept: what the code costs
    # when the machine is not busy with something else.
    best = []
    for t in texts:
        runs = []
        for _ in range(5):
            memo.clear()
            normalise.cache_clear()
            began = time.perf_counter()
            recognize(t)
            runs.append(time.perf_counter() - began)
        best.append(min(runs))
    best.sort()

    def pct(xs, p):
        return xs[min(len(xs) - 1, int(len(xs) * p))] * 1e6

    return {"n": len(texts), "p50_us": pct(times, 0.5), "p99_us": pct(times, 0.99), "mean_us":
            statistics.fmean(times) * 1e6, "best_p50_us": pct(best, 0.5), "best_p99_us": pct(best, 0.99),
            "max_words": max(len(t.split()) for t in texts)}


FIRST_CALL = """
import time
t0 = time.perf_counter()
from simulator.moves import recognize
t1 = time.perf_counter()
recognize("That sounds exhausting. What keeps you going?")
t2 = time.perf_counter()
recognize("You should just go to a meeting.")
t3 = time.perf_counter()
print(round((t1 - t0) * 1000, 1), round((t2 - t1) * 1000, 1), round((t3 - t2) * 1000, 2))
"""


def first_call() -> dict:
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, cwd=ROOT, check=True)
        runs.append([float(x) for x in out.stdout.split()])
    best = min(runs, key=lambda r: r[1])
    return {"import_ms": best[0], "first_call_ms": best[1], "second_call_ms": best[2]}


def model_load() -> float:
    from simulator.moves.model import LinearModel

    best = None
    for _ in range(5):
        began = time.perf_counter()
        LinearModel.load()
        took = (time.perf_counter() - began) * 1000
        best = took if best is None else min(best, took)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    h = held_out()
    print(f"held-out split: {h['n']} utterances, macro-F1 {h['combined']:.3f} (rules alone {h['rules_only']:.3f}), "
          f"accuracy {h['accuracy']:.3f}")
    texts = [r["text"] for r in read_corpus(CORPUS)]
    if not args.quick:
        e = esconv()
        if e:
            print(f"ESConv test, mapped: {e['n']} supporter turns, macro-F1 {e['combined']:.3f} "
                  f"(rules alone {e['rules_only']:.3f}), accuracy {e['accuracy']:.3f}; per label {e['per_label']}")
            e8 = esconv("esconv8")
            print(f"ESConv test, eight strategies: macro-F1 {e8['combined']:.3f} (rules alone "
                  f"{e8['rules_only']:.3f}), accuracy {e8['accuracy']:.3f}; per label {e8['per_label']}")
            # Distinct utterances for throughput: the corpus and every ESConv supporter turn
            # (test, valid and train files; read for timing only).
            texts_for_classify = list(dict.fromkeys(
                texts + [r["text"] for name in ("test", "valid", "train")
                         for r in supporter_turns(ESCONV_TEST.with_name(name + ".json"))]))
        else:
            print("ESConv not found; skipped")
            texts_for_classify = texts
        for processes, how in ((None, "default: one process per core"), (1, "one process")):
            c = classify_throughput(texts_for_classify, processes)
            print(f"peersim classify ({how}): {c['lines']} distinct lines in {c['seconds']:.2f}s (start-up "
                  f"included) = {c['per_second']:.0f} utterances/s")
        f = first_call()
        print(f"fresh process: import {f['import_ms']} ms, first recognize() {f['first_call_ms']} ms "
              f"(lexicon + model load), second {f['second_call_ms']} ms")
    print(f"model load alone: {model_load():.1f} ms")
    lat = latency(texts)
    print(f"recognize() over {lat['n']} corpus utterances (up to {lat['max_words']} words): one pass p50 "
          f"{lat['p50_us']:.0f} us, p99 {lat['p99_us']:.0f} us, mean {lat['mean_us']:.0f} us; "
          f"fastest of 5 per utterance: p50 {lat['best_p50_us']:.0f} us, p99 {lat['best_p99_us']:.0f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
