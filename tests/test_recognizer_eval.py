"""`peersim eval-moves` scores the recogniser on a labelled file, as a trainer would use it."""

from __future__ import annotations

import json

import pytest

from simulator.cli import main
from simulator.moves.evaluate import load_map, score, shipped_maps
from simulator.moves.taxonomy import MOVE_IDS

FIXTURE = [
    ("It sounds like you're worn out.", "reflection"),
    ("so you feel stuck", "reflection"),
    ("What's that been like for you?", "open_question"),
    ("Did you sleep last night?", "closed_question"),
    ("You should go to a meeting tonight.", "directive_advice"),
    ("It's your call.", "autonomy_support"),
    ("At least you still have your job.", "minimizing"),
    # Deliberately mislabelled: a reflection filed as advice, so the scores are not perfect.
    ("you feel you should quit", "directive_advice"),
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps({"text": t, "label": lab}) + "\n" for t, lab in rows), encoding="utf-8")
    return path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_per_move_scores_macro_f1_and_confusion_matrix(tmp_path, capsys):
    path = write_jsonl(tmp_path / "small.jsonl", FIXTURE)
    code, out, _ = run(["eval-moves", str(path)], capsys)
    assert code == 0
    assert "8 utterances scored" in out
    assert "precision" in out and "recall" in out and "confusion matrix" in out
    # The mislabelled line shows up as a missed directive_advice read as reflection.
    line = next(ln for ln in out.splitlines() if ln.startswith("directive_advice"))
    precision, recall, f1, support = line.split()[1:]
    assert (float(precision), float(recall), int(support)) == (1.0, 0.5, 2)
    assert "macro-F1" in out


def test_json_output_agrees_with_a_hand_count(tmp_path, capsys):
    path = write_jsonl(tmp_path / "small.jsonl", FIXTURE)
    code, out, _ = run(["eval-moves", str(path), "--json", "--errors", "5"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 8
    assert result["confusion"]["directive_advice"]["reflection"] == 1
    assert result["per_label"]["reflection"]["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["errors"][0]["text"] == "you feel you should quit"
    # Macro-F1 averages over the six labels in the file: four perfect, directive 2/3, reflection 0.8.
    assert result["macro_f1"] == pytest.approx((4 + 2 / 3 + 0.8) / 6, abs=1e-3)


def test_csv_with_text_and_label_columns(tmp_path, capsys):
    path = tmp_path / "small.csv"
    path.write_text('id,text,label\n1,"So you\'re tired, and you want out.",reflection\n2,Okay.,other\n',
                    encoding="utf-8")
    code, out, _ = run(["eval-moves", str(path), "--json"], capsys)
    assert code == 0 and json.loads(out)["n"] == 2


def test_a_foreign_label_set_through_an_inline_map(tmp_path, capsys):
    rows = [("What's that been like?", "Q"), ("Did you eat?", "Q"), ("You should quit.", "S"),
            ("Hi there.", "ignored")]
    path = write_jsonl(tmp_path / "foreign.jsonl", rows)
    mapping = json.dumps({"gold": {"Q": "asking", "S": "telling"},
                          "moves": {"open_question": "asking", "closed_question": "asking",
                                    "directive_advice": "telling"}})
    code, out, _ = run(["eval-moves", str(path), "--map", mapping, "--json"], capsys)
    result = json.loads(out)
    assert code == 0 and result["n"] == 3 and result["skipped"] == 1 and result["macro_f1"] == 1.0


def test_the_shipped_esconv_map_covers_its_eight_strategies_and_every_move(tmp_path, capsys):
    assert "esconv" in shipped_maps()
    m = load_map("esconv")
    assert len(m.gold) == 8 and set(m.moves) == set(MOVE_IDS)
    rows = [("How are you feeling about it?", "Question"), ("Maybe you could try going for a walk.",
                                                             "Providing Suggestions")]
    path = write_jsonl(tmp_path / "esconv_like.jsonl", rows)
    code, out, _ = run(["eval-moves", str(path), "--map", "esconv", "--json"], capsys)
    assert code == 0 and json.loads(out)["macro_f1"] == 1.0


def test_family_labels_are_recognised_without_a_map(tmp_path, capsys):
    path = write_jsonl(tmp_path / "families.jsonl", [("So you feel stuck.", "listening"),
                                                     ("You should quit.", "directing")])
    code, out, _ = run(["eval-moves", str(path), "--json"], capsys)
    assert code == 0 and json.loads(out)["macro_f1"] == 1.0


@pytest.mark.parametrize("content,message", [
    ("text,kind\nhello,greeting\n", "header naming `text` and `label`"),
    ('{"text": "hi"}\n', "expected an object with `text` and `label`"),
    ('{"text": "hi", "label": "greeting"}\nnot json\n', "line 2: not JSON"),
])
def test_bad_files_are_explained(tmp_path, capsys, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(["eval-moves", str(path)], capsys)
    assert code == 2 and message in err


def test_a_missing_file_and_an_unknown_map_are_explained(tmp_path, capsys):
    code, _, err = run(["eval-moves", str(tmp_path / "nope.jsonl")], capsys)
    assert code == 2 and "cannot read" in err
    path = write_jsonl(tmp_path / "small.jsonl", FIXTURE)
    code, _, err = run(["eval-moves", str(path), "--map", "nosuchmap"], capsys)
    assert code == 2 and "shipped: esconv" in err


def test_score_counts_by_hand():
    s = score([("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")])
    assert s.per_label["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert s.per_label["b"]["precision"] == pytest.approx(1 / 3)
    assert s.per_label["c"]["f1"] == 0.0
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.5 + 0) / 3)
