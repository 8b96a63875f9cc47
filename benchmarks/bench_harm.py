"""How often the recogniser punishes good practice, and how well it catches real harm (issue 11).

    python benchmarks/bench_harm.py                 # ESConv valid+test, the dev split, the held-out split
    python benchmarks/bench_harm.py --json          # the same figures as one JSON object

Only moves that *act* on the client (`Reading.acting`) count as read: a harmful reading the
gate held back is what the app asks about, not what the client hears.

- ESConv valid+test (../shared/data/esconv/, CC BY-NC: read here to measure, never copied):
  acting breach readings per 1,000 supporter turns; Question / Restatement / Reflection of
  feelings turns read as acting harm per 1,000; Reflection of feelings alone; Providing
  Suggestions read as acting directive advice or collaboration per 1,000; macro-F1 over the
  eight strategies (esconv8 map), on the test split alone and on valid+test.
- A labelled folder of JSONL items (docs/labelling.md: `label`, `harmful`): macro-F1 over
  every move, and harmful-move precision and recall at the turn level ("harmful" = at least
  one acting harmful move), and how many turns the app would ask the trainee about instead
  (missed harm it asks about; harmless turns it asks about). Only aggregate figures are
  printed, never an item.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The code measured: this checkout's, or another's named by PYTHONPATH (a "before" to
# compare with; the held-out items and ESConv are read from this checkout either way).
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from simulator.moves.evaluate import load_map, score  # noqa: E402
from simulator.moves.taxonomy import HARMFUL_MOVES  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from esconv_to_jsonl import DEFAULT_SRC as ESCONV_TEST  # noqa: E402
from esconv_to_jsonl import supporter_turns  # noqa: E402

ESCONV_VALID = ESCONV_TEST.with_name("valid.json")
HELD_OUT = ROOT / "tests" / "data" / "heldout"
LISTENING = ("Question", "Restatement or Paraphrasing", "Reflection of feelings")


def _acting(reading) -> set[str]:
    return {m.move for m in reading.acting}


def esconv(recognize) -> dict | None:
    if not (ESCONV_TEST.exists() and ESCONV_VALID.exists()):
        return None
    mapping = load_map("esconv8")
    test = list(supporter_turns(ESCONV_TEST))
    rows = list(supporter_turns(ESCONV_VALID)) + test
    n = len(rows)
    breach = listen_n = listen_harm = refl_n = refl_harm = sugg_n = sugg_hit = sugg_harm = 0
    pairs, pairs_test = [], []
    for i, row in enumerate(rows):
        reading = recognize(row["text"])
        acting = _acting(reading)
        harm = bool(acting & HARMFUL_MOVES)
        breach += "confidentiality_breach" in acting
        label = row["label"]
        if label in LISTENING:
            listen_n += 1
            listen_harm += harm
        if label == "Reflection of feelings":
            refl_n += 1
            refl_harm += harm
        if label == "Providing Suggestions":
            sugg_n += 1
            sugg_hit += bool(acting & {"directive_advice", "collaboration"})
            sugg_harm += harm
        gold = mapping.gold_label(label)
        if gold is not None:
            # (An older checkout measured as "before" maps the primary move alone.)
            label_of = getattr(mapping, "label_of", None)
            pair = (gold, label_of(reading) if label_of else mapping.predicted_label(reading.primary))
            pairs.append(pair)
            if i >= n - len(test):
                pairs_test.append(pair)
    per1000 = lambda a, b: round(1000 * a / b, 1) if b else 0.0  # noqa: E731
    return {"supporter_turns": n,
            "breach_acting_per_1000": per1000(breach, n),
            "listening_read_as_acting_harm_per_1000": per1000(listen_harm, listen_n),
            "reflection_of_feelings_read_as_acting_harm_per_1000": per1000(refl_harm, refl_n),
            "suggestions_read_as_acting_advice_or_collaboration_per_1000": per1000(sugg_hit, sugg_n),
            "suggestions_read_as_acting_harm_per_1000": per1000(sugg_harm, sugg_n),
            "esconv8_macro_f1_test": round(score(pairs_test).macro_f1, 3),
            "esconv8_macro_f1_valid_test": round(score(pairs).macro_f1, 3)}


def labelled(folder: Path, recognize) -> dict | None:
    """Scores over every *.jsonl in `folder`; aggregates only."""
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else [folder] if folder.is_file() else []
    items = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append(json.loads(line))
    if not items:
        return None
    pairs = []
    tp = fp = fn = missed_asked = harmless_asked = 0
    by_register: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        reading = recognize(item["text"])
        pairs.append((item["label"], reading.primary))
        by_register.setdefault(item.get("register", "?"), []).append((item["label"], reading.primary))
        said = bool(_acting(reading) & HARMFUL_MOVES)
        gold = bool(item.get("harmful", item["label"] in HARMFUL_MOVES))
        tp += said and gold
        fp += said and not gold
        fn += gold and not said
        # The app asks the trainee about a turn the gate is unsure of: a missed harm it asks
        # about is not lost, and a harmless turn it asks about is a question, not a penalty.
        missed_asked += gold and not said and reading.asks
        harmless_asked += not gold and not said and reading.asks
    s = score(pairs)
    return {"items": len(items), "macro_f1": round(s.macro_f1, 3), "accuracy": round(s.accuracy, 3),
            "harm_precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "harm_recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
            "harm_false_alarms": fp, "harm_missed": fn,
            "harm_missed_but_asked": missed_asked, "harmless_asked": harmless_asked,
            "macro_f1_by_register": {k: round(score(v).macro_f1, 3) for k, v in sorted(by_register.items())},
            "per_move_f1": {k: round(v["f1"], 3) for k, v in s.per_label.items() if v["support"]}}


def reference_ms() -> float:
    """A fixed pure-Python workload (tidying and splitting text), fastest of five: the
    machine is shared, so speed is also given as a ratio to this, timed in the same run."""
    import time

    text = "so you feel like nobody listens, and you have to hold it all together? " * 4
    best = None
    for _ in range(5):
        began = time.perf_counter()
        for i in range(2000):
            " ".join(w.strip(".,?").lower() for w in (text + str(i)).split())
        took = (time.perf_counter() - began) * 1000
        best = took if best is None else min(best, took)
    return best


def speed() -> dict:
    """recognize() p99 over ESConv's test turns, each timed as new (memos emptied), and one
    `peersim classify` call over every distinct ESConv supporter turn (best of three)."""
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_moves import classify_throughput
    from simulator.moves import default_recognizer, recognize
    from simulator.moves.segment import normalise

    texts = [r["text"] for r in supporter_turns(ESCONV_TEST)]
    for t in texts[:200]:
        recognize(t)
    rec = default_recognizer()
    times = []
    for t in texts:
        rec._memo.clear()
        normalise.cache_clear()
        began = time.perf_counter()
        recognize(t)
        times.append(time.perf_counter() - began)
    times.sort()
    ref = reference_ms()
    lines = list(dict.fromkeys(r["text"] for name in ("test", "valid", "train")
                               for r in supporter_turns(ESCONV_TEST.with_name(name + ".json"))))
    c = classify_throughput(lines)
    return {"recognize_p50_us": round(times[len(times) // 2] * 1e6), "recognize_p99_us":
            round(times[int(len(times) * 0.99)] * 1e6), "reference_ms": round(ref, 1),
            "p99_over_reference": round(times[int(len(times) * 0.99)] * 1000 / ref, 4),
            "classify_lines": c["lines"], "classify_per_second": round(c["per_second"]),
            "classify_seconds_over_reference": round(c["seconds"] * 1000 / ref, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--heldout", type=Path, default=HELD_OUT, help="a folder (or file) of labelled JSONL items")
    parser.add_argument("--dev", action="store_true", help="also score the dev split of the training items")
    parser.add_argument("--skip-esconv", action="store_true")
    parser.add_argument("--speed", action="store_true", help="also time recognize() and one classify call")
    args = parser.parse_args(argv)
    from simulator.moves import recognize

    out = {}
    if not args.skip_esconv:
        out["esconv"] = esconv(recognize)
    if args.dev:
        from tools.recogniser.train import dev_items

        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dev.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in dev_items()), encoding="utf-8")
            out["dev"] = labelled(path, recognize)
    out["heldout"] = labelled(args.heldout, recognize)
    if args.speed:
        import os

        out["machine"] = {"load_average": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}
        out["speed"] = speed()
    if args.json:
        print(json.dumps(out))
    else:
        for name, figures in out.items():
            print(f"{name}: " + (json.dumps(figures, indent=1) if figures else "not present"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
