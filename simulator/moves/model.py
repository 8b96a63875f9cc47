"""The statistical layer: a linear model over hashed word and character n-grams.

Why this learner: the corpus is a few thousand short utterances, the moves are mostly
signalled by short phrases ("sounds like", "you should", "between us"), and a trainee
needs to see *why* a turn was read a certain way. A multinomial logistic regression on
n-grams fits all three: it trains in seconds, each decision is a sum of per-phrase
weights that can be shown as evidence, and inference is a few dictionary-free array
look-ups. Feature hashing (crc32, stable across runs) keeps the weight file a fixed,
small size with no vocabulary to load.

Inference is pure Python on purpose: importing numpy alone takes longer than the whole
model load budget, so numpy is needed only to *train* (`python -m tools.recogniser.train`).
The weights ship as int8 (one global scale) laid out in integer lanes (see LinearModel),
zlib-compressed, in `model.bin`, with `model.json` describing them; both load in a few
milliseconds, once, lazily.
"""

from __future__ import annotations

import json
import zlib
from typing import NamedTuple
from functools import lru_cache
from itertools import repeat
from math import exp
from pathlib import Path

MODEL_DIR = Path(__file__).with_name("data")
MODEL_BIN = MODEL_DIR / "model.bin"
MODEL_META = MODEL_DIR / "model.json"
# The harm gate's second opinion: harm versus not, same features (see recognizer.py).
HARM_BIN = MODEL_DIR / "harm.bin"
HARM_META = MODEL_DIR / "harm.json"

HASH_BITS = 15
_MASK = (1 << HASH_BITS) - 1


def features(norm: str, chars: bool = True) -> list[str]:
    """Named features of one normalised piece of a turn (shared by training and reading).

    Word unigrams and bigrams (with start/end markers, so "<s> you" is "starts with you"),
    the first two words together, whether it ends in a question mark, a length bucket,
    and character trigrams of longer words, which keep a typo close to its word.
    """
    question = norm.rstrip().endswith("?")
    words = _words(norm)
    feats = ["w:" + w for w in words]
    seq = ["<s>", *words, "</s>"]
    feats += ["b:" + seq[i] + " " + seq[i + 1] for i in range(len(seq) - 1)]
    if len(words) >= 2:
        feats.append("f2:" + words[0] + " " + words[1])
    if len(words) >= 3:
        feats.append("f3:" + " ".join(words[:3]))
    feats.append("q:yes" if question else "q:no")
    feats.append(_length_bucket(len(words)))
    feats += context(words, question, norm.count(","))
    if chars:         # (evidence() leaves them out: a trainee cannot read them)
        for w in words:
            feats += _char_grams(w)
    return feats


_BACKCHANNEL_WORDS = frozenset("ok okay k mm mhm hmm hm right yeah yep yes sure alright oh ah wow uh".split())
_SECOND_PERSON = frozenset("you your you're you've you'd you'll yours yourself".split())
_STEMS = ("you", "you're", "so", "sounds", "it", "part", "seems", "feels", "like")
# Word order tells a question from a statement said with a rising tone: "has he called?"
# opens with its auxiliary or a question word, "he hasn't called?" with its subject.
# (rules.shape reads the same word order with these words.)
OPENING_WORDS = frozenset("so and but okay ok oh yeah right mm hmm wow like".split())
ASKING_WORDS = frozenset(
    "do does did are is was were have has had can could would will should shall may might am don't doesn't didn't "
    "aren't isn't wasn't weren't haven't hasn't won't wouldn't can't couldn't shouldn't what how why when where who "
    "which whose whom".split())


def context(words: list[str], question: bool, commas: int = 0) -> list[str]:
    """Features of how a piece is put, which the words alone do not carry: it opens with a
    word that only keeps the floor ("okay, ..."), it speaks of the client (a second-person
    word), a reflective stem said with a rising tone ("so you feel ...?"), the word order
    of a piece that ends in "?" (question or statement), and a list of several things
    (`commas`: how many the piece holds)."""
    out = []
    if words and words[0] in _BACKCHANNEL_WORDS:
        out.append("x:backchannel")
    if any(w in _SECOND_PERSON for w in words):
        out.append("x:you")
        if question and words[0] in _STEMS:
            out.append("x:stem?")
    if question and words:
        first = next((w for w in words if w not in OPENING_WORDS), words[0])
        out.append("x:asks?" if first in ASKING_WORDS else "x:states?")
    # Several things in a row ("the rent, your sister, and the nights"): the shape of a summary.
    if words.count("and") + commas >= 3:
        out.append("x:list")
    return out


def _char_grams(word: str) -> list[str]:
    """Character trigrams of a longer word, with ^ and $ marking its ends."""
    if len(word) < 5:
        return []
    padded = "^" + word + "$"
    return ["c:" + padded[i:i + 3] for i in range(len(padded) - 2)]


def bucket(feature: str) -> int:
    """The hashed row of a feature (crc32: stable across runs, unlike hash()).

    "surrogatepass": text handed to recognize() directly may hold a lone surrogate
    ("\\ud800"), which strict UTF-8 refuses; it still gets a stable bucket."""
    return zlib.crc32(feature.encode("utf-8", "surrogatepass")) & _MASK


def _words(norm: str) -> list[str]:
    """The words of a piece as features() sees them (punctuation stripped, empties dropped)."""
    return list(filter(None, map(str.strip, norm.split(), repeat(".,!?;:\"()…-"))))


def _length_bucket(n: int) -> str:
    return "len:" + ("1" if n <= 2 else "s" if n <= 6 else "m" if n <= 14 else "l" if n <= 30 else "xl")


_last_piece: list = [None, None, None]    # the piece whose features were last listed: norm, words, feats


def piece_features(norm: str) -> tuple[list[str], list[str]]:
    """(words, every other feature but the words' own) of one piece, as features() names
    them; the words' rows (the word and its character trigrams) are summed per word
    (LinearModel._word_row). Both models read the same piece in turn, so the lists of
    the last piece are kept and shared."""
    last = _last_piece
    if last[0] == norm:
        return last[1], last[2]
    words = _words(norm)
    seq = ["<s>", *words, "</s>"]
    feats = ["b:" + a + " " + b for a, b in zip(seq, seq[1:])]
    if len(words) >= 2:
        feats.append("f2:" + words[0] + " " + words[1])
    if len(words) >= 3:
        feats.append("f3:" + " ".join(words[:3]))
    question = norm.rstrip().endswith("?")
    feats.append("q:yes" if question else "q:no")
    feats.append(_length_bucket(len(words)))
    feats += context(words, question, norm.count(","))
    last[0], last[1], last[2] = norm, words, feats
    return words, feats


class _Memo(dict):
    """A bounded memo that works out a missing entry itself (dict.__missing__), so a list
    of look-ups is one map() call, with no second pass over it for the misses."""

    def __init__(self, make, limit: int):
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key):
        value = self.make(key)
        if len(self) < self.limit:
            self[key] = value
        return value


# How many rows a word adds: its own and, for a longer word, one per character trigram.
_word_count = _Memo(lambda w: 1 + (len(w) if len(w) >= 5 else 0), 100_000)


class Prediction(NamedTuple):     # (a named tuple: made for every piece read, so cheap to make)
    move: str
    probability: float
    probs: dict[str, float]
    evidence: tuple[str, ...]   # the features that pushed most towards `move`, readable
    norm: str = ""              # the normalised piece read (evidence() works from it)


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
        self._shifts = [24 * c for c in range(self.k)]   # where each move's lane sits
        self._rows = _Memo(self._make_row, 300_000)            # feature -> its row as one integer
        self._word_rows = _Memo(self._make_word_row, 100_000)  # word -> the rows it contributes, summed
        self._last: tuple | None = None          # the piece last summed: (norm, words, feats, rows)
        self._last_exps: tuple | None = None     # the piece last scored: (norm, extra, exps)

    @classmethod
    def load(cls, meta_path: Path = MODEL_META, bin_path: Path = MODEL_BIN) -> "LinearModel":
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("hash_bits") != HASH_BITS or meta.get("layout") != "lanes24":
            raise ValueError(f"{meta_path}: weights in another layout; retrain with python -m tools.recogniser.train")
        return cls(meta["classes"], zlib.decompress(bin_path.read_bytes()), meta["bias"], meta["scale"])

    def _row(self, feature: str) -> int:
        return self._rows[feature]      # words repeat: the memo saves the hashing

    def _make_row(self, feature: str) -> int:
        start = bucket(feature) * self.row_bytes
        return int.from_bytes(self.rows[start:start + self.row_bytes], "little")

    def _word_row(self, word: str) -> int:
        """The summed rows of everything a word contributes on its own: the word and, for
        a longer word, its character trigrams. Words repeat across pieces, so this is
        memoised: one look-up instead of up to a dozen per word."""
        return self._word_rows[word]

    def _make_word_row(self, word: str) -> int:
        return sum(map(self._rows.__getitem__, ("w:" + word, *_char_grams(word))))

    def _lane_total(self, norm: str) -> tuple[int, int]:
        """The sum of the rows of every feature of `norm` (see features()) and their count.
        Integer addition is exact and order-free, so grouping rows by word gives the very
        same total as summing features(norm) one by one."""
        words, feats = piece_features(norm)
        rows = list(map(self._rows.__getitem__, feats))
        self._last = (norm, words, feats, rows)      # evidence() of this piece starts from here
        # Rows counted: the word pairs and the rest, one per word, and a longer word's
        # character trigrams (as many as its letters: see _char_grams).
        count = len(feats) + sum(map(_word_count.__getitem__, words))
        return sum(rows) + sum(map(self._word_rows.__getitem__, words)), count

    def _exps(self, norm: str, extra: tuple[str, ...]) -> list[float]:
        """exp(logit - top) for every class. The gate reads a piece twice with the same
        model (once with every move allowed, once with the harmful ones ruled out), so the
        last piece's values are kept: ruling moves out only zeroes some of them."""
        last = self._last_exps
        if last is not None and last[0] == norm and last[1] == extra:
            return last[2]
        total, n = self._lane_total(norm)
        if extra:
            total += sum(map(self._row, extra))
            n += len(extra)
        offset = 128 * n
        scale = self.scale
        logits = [(((total >> shift) & 0xFFFFFF) - offset) * scale + b for shift, b in zip(self._shifts, self.bias)]
        top = max(logits)
        exps = [exp(x - top) for x in logits]
        self._last_exps = (norm, extra, exps)
        return exps

    def predict(self, norm: str, explain: bool = True, exclude: set[str] | frozenset = frozenset(),
                extra: tuple[str, ...] = ()) -> Prediction:
        """Probabilities of every move for one normalised piece. Moves in `exclude` (ruled
        out by a lexicon veto, such as negated advice) get probability zero. With
        `explain`, the phrases that pushed most towards the winner come along (without
        it, evidence(prediction) can still name them later). `extra`: named features that
        do not come from the words (the harm model's "cue:<move>", see recognizer.py)."""
        exps = self._exps(norm, extra)
        if exclude:
            exps = [0.0 if c in exclude else e for c, e in zip(self.classes, exps)]
        z = sum(exps) or 1.0
        probs = [e / z for e in exps]
        best = probs.index(max(probs))      # the first of equals, as max(range(k), key=...) would
        evidence: tuple[str, ...] = ()
        if explain:
            evidence = self._evidence(features(norm, chars=False), best)
        return Prediction(self.classes[best], probs[best], dict(zip(self.classes, probs)), evidence, norm)

    def evidence(self, pred: Prediction, move: str | None = None) -> tuple[str, ...]:
        """The phrases of a predicted piece that pushed most towards `move` (default: its winner)."""
        best = self.classes.index(move or pred.move)
        last = self._last
        if last is not None and last[0] == pred.norm:
            # Just predicted (the usual case): its words, word pairs and rows are at hand.
            _, words, feats, rows = last
            words = ["w:" + w for w in words]
            word_rows = list(map(self._rows.get, words))
            if None in word_rows:
                word_rows = [r if r is not None else self._row(f) for r, f in zip(word_rows, words)]
            return self._scored(words + feats, word_rows + rows, best)
        return self._evidence(features(pred.norm, chars=False), best)

    def _evidence(self, feats: list[str], best: int) -> tuple[str, ...]:
        # Words, word pairs, "?": what a trainee can read (character trigrams are not).
        feats = [f for f in feats if f[0] in "wbfq"]
        rows = list(map(self._rows.get, feats))
        if None in rows:
            rows = [r if r is not None else self._row(f) for r, f in zip(rows, feats)]
        return self._scored(feats, rows, best)

    @staticmethod
    def _scored(feats: list[str], rows: list[int], best: int) -> tuple[str, ...]:
        shift = 24 * best
        # Only phrases that push towards the move (a stored weight over 128) are shown, so
        # only those are sorted, strongest first.
        scored = [(w, f) for w, f in zip([(r >> shift) & 0xFF for r in rows], feats) if w > 128]
        scored.sort(reverse=True)
        return _readable([f for _, f in scored])


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
            if value in ("<s>", "</s>") or not value or _PLAIN.issuperset(value.split()):
                continue          # "and it" tells a trainee no more than "and" does
            if any(value in o or o in value for o in out):
                continue
            out.append(value)
        elif kind == "q" and value == "yes" and "?" not in out:
            out.append("?")
        if len(out) == 2:
            break
    return tuple(out)


@lru_cache(maxsize=1)
def default_harm_model() -> LinearModel | None:
    """The harm gate's harm-versus-not model; None if missing (a lexicon cue then stands)."""
    if not (HARM_META.exists() and HARM_BIN.exists()):
        return None
    return LinearModel.load(HARM_META, HARM_BIN)


@lru_cache(maxsize=1)
def default_model() -> LinearModel | None:
    """The shipped model, loaded once; None if the weights are missing (rules still work)."""
    if not (MODEL_META.exists() and MODEL_BIN.exists()):
        return None
    return LinearModel.load()
