"""Scoring the recogniser against labelled utterances: per-label precision, recall, F1,
macro-F1 and a confusion matrix. Used by `peersim eval-moves` and the benchmarks.

Input is JSONL (one object per line with `text` and `label`) or CSV with a header that
has `text` and `label` columns. A *map* turns the recogniser's move ids and the file's
labels into one shared label set, so corpora with other label sets can be scored:

    {"name": "...",
     "gold": {"Question": "questioning", ...},          # file label -> shared label
     "moves": {"open_question": "questioning", ...}}    # move id    -> shared label

A move may map to {"feeling": ..., "content": ...}: the reading's primary piece goes to the
first when its words name or speak of a feeling (taxonomy.speaks_of_feeling), else to the
second. A corpus that tells reflecting feelings from restating content is scored that way.

Rows whose gold label is not in `gold` are skipped (and counted). A move missing from
`moves` maps to "unmapped", which counts as a wrong answer. Without a map, labels must
be move ids (or family ids, when every label in the file is a family: then the moves
read are mapped to their families).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from simulator.moves.reading import Reading
from simulator.moves.taxonomy import FAMILY_IDS, MOVE_IDS, family_of, speaks_of_feeling

MAPS_PACKAGE = "simulator.moves.maps"


class EvalInputError(ValueError):
    pass


@dataclass
class LabelMap:
    name: str
    gold: dict[str, str] | None       # None: labels are used as they are
    moves: dict[str, str | dict[str, str]] | None   # None: move ids are used as they are

    def gold_label(self, label: str) -> str | None:
        if self.gold is None:
            return label
        return self.gold.get(label)

    def predicted_label(self, move: str, text: str = "") -> str:
        """The shared label of a move read in `text` (the piece it was read in)."""
        if self.moves is None:
            return move
        label = self.moves.get(move, "unmapped")
        if isinstance(label, dict):
            return label["feeling" if speaks_of_feeling(text) else "content"]
        return label

    def label_of(self, reading: Reading) -> str:
        """The shared label of a turn: its primary move, read in the primary's own piece."""
        span = next((m for m in reading.moves if m.move == reading.primary), None)
        return self.predicted_label(reading.primary, reading.text[span.start:span.end] if span else reading.text)


def shipped_maps() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(MAPS_PACKAGE).iterdir() if p.name.endswith(".json"))


def load_map(spec: str) -> LabelMap:
    """A map from a shipped name ("esconv"), a file path, or inline JSON text."""
    text = None
    name = spec
    if spec.lstrip().startswith("{"):
        text, name = spec, "inline"
    elif Path(spec).is_file():
        text = Path(spec).read_text(encoding="utf-8")
    elif spec in shipped_maps():
        text = resources.files(MAPS_PACKAGE).joinpath(spec + ".json").read_text(encoding="utf-8")
    else:
        raise EvalInputError(f"--map {spec!r}: not a file, not JSON, and not a shipped map "
                             f"(shipped: {', '.join(shipped_maps()) or 'none'})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalInputError(f"--map {name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise EvalInputError(f"--map {name}: expected an object with `gold` and/or `moves`")
    gold, moves = data.get("gold"), data.get("moves")
    if gold is None and moves is None:
        # A flat {"file label": "move id"} object: map the file's labels onto move ids.
        gold, moves = data, None
    if gold is not None and not (isinstance(gold, dict) and all(isinstance(v, str) for v in gold.values())):
        raise EvalInputError(f"--map {name}: `gold` must map labels to text labels")
    if moves is not None and not (isinstance(moves, dict) and all(map(_is_move_label, moves.values()))):
        raise EvalInputError(f'--map {name}: `moves` must map labels to text labels (or a move to '
                             f'{{"feeling": ..., "content": ...}})')
    if moves is not None:
        unknown = sorted(set(moves) - set(MOVE_IDS))
        if unknown:
            raise EvalInputError(f"--map {name}: `moves` names unknown move ids: {', '.join(unknown)}")
    return LabelMap(str(data.get("name", name)), gold, moves)


def _is_move_label(value) -> bool:
    """A text label, or {"feeling": label, "content": label} (see the module's docstring)."""
    return isinstance(value, str) or (isinstance(value, dict) and set(value) == {"feeling", "content"}
                                      and all(isinstance(v, str) for v in value.values()))


def family_map() -> LabelMap:
    return LabelMap("families", None, {m: family_of(m) for m in MOVE_IDS})


def read_labelled(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows from a JSONL or CSV file."""
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise EvalInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise EvalInputError(f"{path}: not UTF-8 text") from None
    rows: list[tuple[str, str]] = []
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalInputError(f"{path}, line {number}: not JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or "label" not in obj:
                raise EvalInputError(f"{path}, line {number}: expected an object with `text` and `label`")
            rows.append((obj["text"], str(obj["label"])))
        return rows
    reader = csv.DictReader(raw.splitlines())
    if not reader.fieldnames or "text" not in reader.fieldnames or "label" not in reader.fieldnames:
        raise EvalInputError(f"{path}: expected JSON lines, or CSV with a header naming `text` and `label` "
                             f"(found: {', '.join(reader.fieldnames or []) or 'no header'})")
    for row in reader:
        rows.append((row["text"] or "", (row["label"] or "").strip()))
    return rows


@dataclass
class Scores:
    labels: list[str]
    confusion: dict[str, dict[str, int]]            # gold -> predicted -> count
    per_label: dict[str, dict[str, float]]          # label -> precision, recall, f1, support
    macro_f1: float
    accuracy: float
    n: int
    skipped: int = 0
    map_name: str = ""
    unclear: int = 0
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"n": self.n, "skipped": self.skipped, "map": self.map_name, "accuracy": round(self.accuracy, 4),
                "macro_f1": round(self.macro_f1, 4), "unclear": self.unclear,
                "per_label": {k: {m: round(v, 4) for m, v in d.items()} for k, d in self.per_label.items()},
                "confusion": self.confusion}


def score(pairs: list[tuple[str, str]], label_set: list[str] | None = None) -> Scores:
    """pairs of (gold, predicted). Macro-F1 averages over the gold labels present."""
    gold_labels = sorted({g for g, _ in pairs}, key=_order)
    labels = label_set or sorted({*gold_labels, *(p for _, p in pairs)}, key=_order)
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in pairs:
        confusion.setdefault(g, {q: 0 for q in labels})
        confusion[g][p] = confusion[g].get(p, 0) + 1
        for row in confusion.values():
            row.setdefault(p, 0)
    per_label = {}
    for label in labels:
        tp = confusion.get(label, {}).get(label, 0)
        predicted = sum(row.get(label, 0) for row in confusion.values())
        support = sum(confusion.get(label, {}).values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    scored = [lab for lab in labels if per_label[lab]["support"] > 0]
    macro = sum(per_label[lab]["f1"] for lab in scored) / len(scored) if scored else 0.0
    correct = sum(1 for g, p in pairs if g == p)
    return Scores(labels, confusion, per_label, macro, correct / len(pairs) if pairs else 0.0, len(pairs))


def _order(label: str) -> tuple[int, str]:
    if label in MOVE_IDS:
        return (MOVE_IDS.index(label), label)
    if label in FAMILY_IDS:
        return (100 + FAMILY_IDS.index(label), label)
    return (1000, label)


def evaluate(rows: list[tuple[str, str]], label_map: LabelMap | None = None, recognize=None) -> Scores:
    """Read every row and score the primary move against its label."""
    if recognize is None:
        from simulator.moves import recognize
    if label_map is None:
        labels = {label for _, label in rows}
        if labels and labels <= set(FAMILY_IDS) and not labels <= set(MOVE_IDS):
            label_map = family_map()
        else:
            label_map = LabelMap("moves", None, None)
    pairs = []
    skipped = unclear = 0
    errors = []
    for text, label in rows:
        gold = label_map.gold_label(label)
        if gold is None:
            skipped += 1
            continue
        reading = recognize(text)
        unclear += reading.unclear
        predicted = label_map.label_of(reading)
        pairs.append((gold, predicted))
        if gold != predicted and len(errors) < 2000:
            errors.append({"text": text, "gold": gold, "predicted": predicted, "cue": reading.cue,
                           "confidence": round(reading.confidence, 3)})
    result = score(pairs)
    result.skipped, result.map_name, result.unclear, result.errors = skipped, label_map.name, unclear, errors
    return result


def format_report(s: Scores, show_confusion: bool = True) -> str:
    lines = [f"{s.n} utterances scored" + (f", {s.skipped} skipped (label not in the map)" if s.skipped else "")
             + (f"; labels mapped by '{s.map_name}'" if s.map_name not in ("moves", "") else ""), ""]
    width = max([len(lab) for lab in s.labels] + [8])
    lines.append(f"{'label':{width}}  precision  recall     f1  support")
    for lab in s.labels:
        d = s.per_label[lab]
        if d["support"] == 0 and sum(row.get(lab, 0) for row in s.confusion.values()) == 0:
            continue
        lines.append(f"{lab:{width}}  {d['precision']:9.3f}  {d['recall']:6.3f}  {d['f1']:5.3f}  {d['support']:7d}")
    lines.append("")
    lines.append(f"macro-F1 {s.macro_f1:.3f}   accuracy {s.accuracy:.3f}   read as unclear {s.unclear}")
    if show_confusion:
        lines += ["", "confusion matrix (rows: label in the file, columns: read as)"]
        cols = [lab for lab in s.labels if sum(row.get(lab, 0) for row in s.confusion.values()) or
                s.per_label[lab]["support"]]
        # Columns are numbered (names would make the table too wide); row n is column n.
        lines.append(" " * (width + 4) + " ".join(f"{i:>4}" for i in range(1, len(cols) + 1)))
        for i, g in enumerate(cols, start=1):
            row = s.confusion.get(g, {})
            lines.append(f"{i:>2} {g:{width}} " + " ".join(f"{row.get(c, 0):4d}" for c in cols))
    return "\n".join(lines)

