"""Train the statistical layer on the project's own corpus and write the shipped weights.

    python -m tools.recogniser.corpus      # (re)write tools/corpus/moves.jsonl
    python -m tools.recogniser.train       # fit, write model.bin/model.json and harm.bin/harm.json

Training reads the `train` split of moves.jsonl and every `*.jsonl` under
tools/corpus/registers/ (items written for the project in the spoken, chat, forum and
careful registers, see docs/labelling.md), less a fixed dev split of those (one item in
five by a stable hash of its text) kept for tuning. Two models come out: the move model
and the harm gate's harm-versus-not model (harm: the piece holds a harmful move that
should act; everything else, the many harmless look-alikes included, is not).

Needs numpy (training only: `pip install numpy`); reading turns does not. The model is
a multinomial logistic regression on hashed n-grams (see model.py for why), fitted by
full-batch Adam with L2 regularisation and class-balanced weights. The run is
deterministic: same corpus, same weights.

Only pieces that are a single segment are used for training (or, for an item whose
`moves` line up one to one with its segments, each segment with its move): the model reads one
segment at a time, so a multi-sentence item (a long story, a disclosure that ends in a
question) teaches it nothing about any one piece. Those items are still scored by the
evaluation, which reads whole turns.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path

from simulator.moves.model import HARM_BIN, HARM_META, HASH_BITS, MODEL_BIN, MODEL_META, bucket, features
from simulator.moves.segment import normalise, segments
from simulator.moves.taxonomy import HARMFUL_MOVES, MOVE_IDS

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "moves.jsonl"
REGISTERS = CORPUS.parent / "registers"
DEV_SHARE = 5     # one register item in five is kept out of training, for tuning


def register_items(folder: Path = REGISTERS) -> list[dict]:
    """Every labelled item under tools/corpus/registers/, each with its `split` (train or dev)."""
    rows = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in MOVE_IDS or not isinstance(row.get("text"), str):
                continue
            key = " ".join(row["text"].lower().split())
            row["split"] = "dev" if zlib.crc32(key.encode("utf-8")) % DEV_SHARE == 0 else "train"
            rows.append(row)
    return rows


def dev_items() -> list[dict]:
    return [r for r in register_items() if r["split"] == "dev"]


def read_corpus(path: Path = CORPUS, split: str | None = None) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if split is None or row.get("split") == split:
                    rows.append(row)
    return rows


def training_pieces(rows: list[dict]) -> list[tuple[str, str]]:
    out = []
    for row in rows:
        spans = segments(row["text"])
        moves = row.get("moves") or []
        if len(spans) == 1:
            a, b = spans[0]
            out.append((normalise(row["text"][a:b]), row["label"]))
        elif len(moves) == len(spans) and all(m in MOVE_IDS for m in moves):
            out += [(normalise(row["text"][a:b]), m) for (a, b), m in zip(spans, moves)]
    return out


def harm_pieces(pieces: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """Harm or safe for each piece, and the harm model's extra feature: which move the
    lexicon's strongest cue names in it (the gate asks the model about exactly that)."""
    from simulator.moves.recognizer import harm_features
    from simulator.moves.rules import load_lexicon, read_piece

    lexicon = load_lexicon(use_env=False)
    labelled = [(text, "harm" if label in HARMFUL_MOVES else "safe") for text, label in pieces]
    return labelled, [list(harm_features(read_piece(text, lexicon)[1])) for text, _ in pieces]


def fit(pieces: list[tuple[str, str]], epochs: int = 300, l2: float = 1e-4, lr: float = 0.05,
        classes: list[str] | None = None, extras: list[list[str]] | None = None):
    import numpy as np  # training only

    classes = list(classes or MOVE_IDS)
    k = len(classes)
    dim = 1 << HASH_BITS
    rows, cols, ys = [], [], []
    for i, (text, label) in enumerate(pieces):
        idx = sorted({bucket(f) for f in [*features(text), *(extras[i] if extras else ())]})  # presence, not counts
        rows += [i] * len(idx)
        cols += idx
        ys.append(classes.index(label))
    rows = np.asarray(rows)
    cols = np.asarray(cols)
    n = len(pieces)
    y = np.zeros((n, k))
    y[np.arange(n), ys] = 1.0
    counts = y.sum(0)
    sample_w = (n / (k * np.maximum(counts, 1)))[ys][:, None]   # balance the classes

    w = np.zeros((dim, k))
    b = np.zeros(k)
    m_w = np.zeros_like(w); v_w = np.zeros_like(w)
    m_b = np.zeros_like(b); v_b = np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, epochs + 1):
        logits = np.zeros((n, k))
        np.add.at(logits, rows, w[cols])
        logits += b
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        g = (p - y) * sample_w / n
        gw = np.zeros_like(w)
        np.add.at(gw, cols, g[rows])
        gw += l2 * w
        gb = g.sum(0)
        for param, grad, m, v in ((w, gw, m_w, v_w), (b, gb, m_b, v_b)):
            m *= beta1; m += (1 - beta1) * grad
            v *= beta2; v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return classes, w, b


def save(classes, w, b, meta_extra: dict, bin_path: Path = MODEL_BIN, meta_path: Path = MODEL_META) -> None:
    import numpy as np

    scale = float(np.abs(w).max() / 127.0) or 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int16) + 128
    lanes = np.zeros((q.shape[0], q.shape[1], 3), dtype=np.uint8)    # see LinearModel: 24-bit lanes
    lanes[:, :, 0] = q
    bin_path.write_bytes(zlib.compress(lanes.tobytes(order="C"), 9))
    meta = {"classes": classes, "hash_bits": HASH_BITS, "layout": "lanes24", "scale": scale,
            "bias": [round(float(x), 6) for x in b], **meta_extra}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.recogniser.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--l2", type=float, default=1e-4)
    args = parser.parse_args(argv)
    rows = read_corpus(args.corpus, "train")
    extra = [r for r in register_items() if r["split"] == "train"]
    pieces = training_pieces(rows) + training_pieces(extra)
    began = time.perf_counter()
    classes, w, b = fit(pieces, epochs=args.epochs, l2=args.l2)
    about = (f"{len(pieces)} pieces: the train split of {args.corpus.name} and {len(extra)} items of "
             f"tools/corpus/registers (dev split left out)")
    save(classes, w, b, {"trained_on": about, "epochs": args.epochs, "l2": args.l2})
    harm, extras = harm_pieces(pieces)
    classes, w, b = fit(harm, epochs=args.epochs, l2=args.l2, classes=["harm", "safe"], extras=extras)
    save(classes, w, b, {"trained_on": about, "epochs": args.epochs, "l2": args.l2}, HARM_BIN, HARM_META)
    from simulator.moves.rules import write_cache

    write_cache()   # the pre-read shipped lexicon, so the first reading starts fast
    print(f"trained on {len(pieces)} pieces in {time.perf_counter() - began:.1f}s; wrote {MODEL_BIN.name} "
          f"({MODEL_BIN.stat().st_size // 1024} KiB), {HARM_BIN.name} ({HARM_BIN.stat().st_size // 1024} KiB) and their .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
