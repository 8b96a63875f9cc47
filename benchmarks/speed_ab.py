"""recognize() p50 and p99 over the same 2,000 distinct turns (held-out and register items),
for whichever `simulator` is imported: run it with two checkouts, interleaved, to compare.

    python benchmarks/speed_ab.py after
    PYTHONPATH=/path/to/old/checkout python benchmarks/speed_ab.py before
"""
import glob, json, statistics, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
texts = []
for f in sorted(glob.glob(str(ROOT / 'tests/data/heldout/*.jsonl'))) + sorted(glob.glob(str(ROOT / 'tools/corpus/registers/*.jsonl'))):
    for line in open(f):
        if line.strip():
            texts.append(json.loads(line)['text'])
texts = texts[:2000]
from simulator.moves.recognizer import Recognizer
r = Recognizer(); r.recognize("warm up")
times = []
for t in texts:
    a = time.perf_counter(); Recognizer.recognize(r, t); times.append(time.perf_counter() - a)
    getattr(r, "_memo", {}).clear()   # every turn read afresh
times.sort()
print(sys.argv[1] if len(sys.argv) > 1 else "this checkout", f"p50 {times[len(times)//2]*1e3:.3f} ms  p99 {times[int(len(times)*0.99)]*1e3:.3f} ms  mean {statistics.mean(times)*1e3:.3f} ms")
