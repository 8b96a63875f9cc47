"""The statistical layer: a linear model over hashed word and character n-grams.

Why this learner: the corpus is a few thousand short utterances, the moves are mostly
signalled by short phrases ("sounds like", "you should", "between us"), and a trainee
needs to see *why* a turn was read a certain way. A multinomial logistic regression on
n-grams fits all three: it trains in seconds, each decision is a sum of per-phrase
weights that can be shown as evidence, and inference is a few dictionary-free array
look-ups. Feature hashing (crc32, stable across runs) keeps the weight file a fixed,
small size with no vocabulary to load.

Inference is pure Python on purpose: importing numpy alone takes longer than the whole
model load budget, so numpy is needed only to *train* (`python -m simulator.moves.train`).
The weights ship as int8 (one global scale) laid out in integer lanes (see LinearModel),
zlib-compressed, in `model.bin`, with `model.json` describing them; both load in a few
milliseconds, once, lazily.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from math import exp
from pathlib import Path

MODEL_DIR = Path(__file__).with_name("data")
MODEL_BIN = MODEL_DIR / "model.bin"
MODEL_META = MODEL_DIR / "model.json"

HASH_BITS = 15
_MASK = (1 << HASH_BITS) - 1


def features(norm: str) -> list[str]:
    """Named features of one normalised piece of a turn (shared by training and reading).

    Word unigrams and bigrams (with start/end markers, so "<s> you" is "starts with you"),
    the first two words together, whether it ends in a question mark, a length bucket,
    and character trigrams of longer words, which keep a typo close to its word.
    """
    question = norm.rstrip().endswith("?")
    words = [w.strip(".,!?;:\"()…-") for w in norm.split()]
    words = [w for w in words if w]
    feats = ["w:" + w for w in words]
    seq = ["<s>", *words, "</s>"]
    feats += ["b:" + seq[i] + " " + seq[i + 1] for i in range(len(seq) - 1)]
    if len(words) >= 2:
        feats.append("f2:" + words[0] + " " + words[1])
    if len(words) >= 3:
        feats.append("f3:" + " ".join(words[:3]))
    feats.append("q:yes" if question else "q:no")
    n = len(words)
    feats.append("len:" + ("1" if n <= 2 else "s" if n <= 6 else "m" if n <= 14 else "l" if n <= 30 else "xl"))
    for w in words:
        if len(w) >= 5:
            padded = "^" + w + "$"
            feats += ["c:" + padded[i:i + 3] for i in range(len(padded) - 2)]
    return feats


def bucket(feature: str) -> int:
    """The hashed row of a feature (crc32: stable across runs, unlike hash())."""
    return zlib.crc32(feature.encode("utf-8")) & _MASK


@dataclass(frozen=True)
class Prediction:
    move: str
    probability: float
    probs: dict[str, float]
    evidence: tuple[str, ...]   # the features that pushed most towards `move`, readable
    features: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()


LANE_BYTES = 3   # each class weight sits in its own 24-bit lane of one big integer per bucket


class LinearModel:
    """Weights are int8 (one global scale). On disk each hashed bucket is one row of
    K lanes of 3 bytes, little-endian, holding weight + 128. Read as one Python integer
    per row, the rows of all of a piece's features can be *summed as integers*: every
    class's total lands in its own lane, with no per-class loop in Python. That keeps a
    reading well under a millisecond without numpy."""

    def __init__(self, classes: list[str], rows: bytes, bias: list[float], scale: float):
        self.classes = classes
        self.k = len(classes)
        self.row_bytes = self.k * LANE_BYTES
        self.rows = rows
        self.bias = bias
        self.scale = scale
        self._rows: dict[str, int] = {}     # feature -> its row as one integer (memo)

    @classmethod
    def load(cls, meta_path: Path = MODEL_META, bin_path: Path = MODEL_BIN) -> "LinearModel":
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("hash_bits") != HASH_BITS or meta.get("layout") != "lanes24":
            raise ValueError(f"{meta_path}: weights in another layout; retrain with python -m simulator.moves.train")
        return cls(meta["classes"], zlib.decompress(bin_path.read_bytes()), meta["bias"], meta["scale"])

    def _row(self, feature: str) -> int:
        row = self._rows.get(feature)
        if row is None:
            start = bucket(feature) * self.row_bytes
            row = int.from_bytes(self.rows[start:start + self.row_bytes], "little")
            if len(self._rows) < 300_000:     # words repeat: a bounded memo saves the hashing
                self._rows[feature] = row
        return row

    def predict(self, norm: str, explain: bool = True, exclude: set[str] | frozenset = frozenset()) -> Prediction:
        """Probabilities of every move for one normalised piece. Moves in `exclude` (ruled
        out by a lexicon veto, such as negated advice) get probability zero. With
        `explain`, the phrases that pushed most towards the winner come along."""
        feats = features(norm)
        memo = self._rows
        rows = [memo.get(f) or self._row(f) for f in feats]
        total = sum(rows)
        offset = 128 * len(rows)
        scale = self.scale
        logits = [(((total >> (24 * c)) & 0xFFFFFF) - offset) * scale + self.bias[c] for c in range(self.k)]
        top = max(logits)
        exps = [0.0 if c in exclude else exp(x - top) for c, x in zip(self.classes, logits)]
        z = sum(exps) or 1.0
        probs = [e / z for e in exps]
        best = max(range(self.k), key=probs.__getitem__)
        evidence: tuple[str, ...] = ()
        if explain:
            evidence = self._evidence(feats, rows, best)
        return Prediction(self.classes[best], probs[best], dict(zip(self.classes, probs)), evidence,
                          tuple(feats), tuple(rows))

    def evidence(self, pred: Prediction, move: str | None = None) -> tuple[str, ...]:
        """The phrases of a predicted piece that pushed most towards `move` (default: its winner)."""
        return self._evidence(list(pred.features), list(pred.rows), self.classes.index(move or pred.move))

    @staticmethod
    def _evidence(feats: list[str], rows: list[int], best: int) -> tuple[str, ...]:
        shift = 24 * best
        scored = sorted((((row >> shift) & 0xFF) - 128, f) for row, f in zip(rows, feats)
                        if f[0] in "wbfq")       # words, word pairs, "?": what a trainee can read
        return _readable(f for w, f in reversed(scored) if w > 0)


# Single words too common to tell a trainee anything on their own.
_PLAIN = frozenset("a an the is are was were be to of and or in on at for it its it's that this i me my you your "
                   "he she they we with as so do did have has had not but".split())


def _readable(feats) -> tuple[str, ...]:
    """The top features as phrases a trainee recognises: words and word pairs only."""
    out: list[str] = []
    for f in feats:
        kind, _, value = f.partition(":")
        if kind in ("w", "b", "f2", "f3"):
            value = value.replace("<s> ", "").replace(" </s>", "").strip()
            if value in ("<s>", "</s>") or not value or (kind == "w" and value in _PLAIN):
                continue
            if any(value in o or o in value for o in out):
                continue
            out.append(value)
        elif kind == "q" and value == "yes" and "?" not in out:
            out.append("?")
        if len(out) == 2:
            break
    return tuple(out)


@lru_cache(maxsize=1)
def default_model() -> LinearModel | None:
    """The shipped model, loaded once; None if the weights are missing (rules still work)."""
    if not (MODEL_META.exists() and MODEL_BIN.exists()):
        return None
    return LinearModel.load()
