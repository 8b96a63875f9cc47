"""How far is the ESConv gap the learner's fault, and how far the domain's?

Trains the recogniser's own learner (the same hashed n-gram features and softmax
regression as `python -m tools.recogniser.train`) in memory on ESConv's *train* split,
with ESConv's own eight strategies as labels, and scores it on the *test* split. Nothing
is written: ESConv's licence (CC BY-NC 4.0, research use) lets us measure with it, not
ship a model trained on it. Needs numpy (`pip install '.[train]'`) and ../shared/data/esconv/.

    python benchmarks/esconv_in_domain.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esconv_to_jsonl import DEFAULT_SRC, supporter_turns  # noqa: E402
from simulator.moves.evaluate import score  # noqa: E402
from simulator.moves.model import bucket, features  # noqa: E402
from simulator.moves.segment import normalise  # noqa: E402
from tools.recogniser.train import fit  # noqa: E402

LISTENING = {"Restatement or Paraphrasing", "Reflection of feelings"}


def family(strategy: str) -> str:
    return "listening" if strategy in LISTENING else strategy


def predict(w, b, text: str):
    """The class scores, computed the way `fit` trains: each hashed feature counted once."""
    return w[sorted({bucket(f) for f in features(text)})].sum(0) + b


def main() -> int:
    folder = DEFAULT_SRC.parent
    train = [(normalise(r["text"]), r["label"]) for r in supporter_turns(folder / "train.json")]
    test = list(supporter_turns(folder / "test.json"))
    strategies = sorted({label for _, label in train})
    began = time.perf_counter()
    classes, w, b = fit(train, epochs=120, classes=strategies)
    pairs = [(r["label"], classes[int(predict(w, b, normalise(r["text"])).argmax())]) for r in test]
    eight = score(pairs)
    seven = score([(family(g), family(p)) for g, p in pairs])
    print(f"trained on {len(train)} ESConv train turns in {time.perf_counter() - began:.0f}s; "
          f"scored on {len(test)} test turns")
    print(f"8 strategies: macro-F1 {eight.macro_f1:.3f}, accuracy {eight.accuracy:.3f}")
    print(f"7 families (the two listening strategies merged): macro-F1 {seven.macro_f1:.3f}")
    for label in eight.labels:
        print(f"  {label:<30} F1 {eight.per_label[label]['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
