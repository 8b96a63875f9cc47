"""The editor's JSON Schema (`peersim schema`) underlines what lint would: a misspelt move in
a rule, an unknown pool key, a state without `default`; and play-test files have one too.
Checked with a real JSON Schema validator over the shipped files."""

from __future__ import annotations

import json

import jsonschema
import pytest

from simulator.cli import main
from simulator.scenario.loader import shipped_dir
from simulator.scenario.source import read_yaml


def _schema(kind: str, tmp_path, capsys) -> dict:
    out = tmp_path / f"{kind}.schema.json"
    assert main(["schema", kind, "-o", str(out)]) == 0
    capsys.readouterr()
    return json.loads(out.read_text(encoding="utf-8"))


def _errors(schema: dict, data) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


@pytest.mark.parametrize("kind, folder, pattern", [("tree", "dialogue_trees", "*.yaml"),
                                                   ("persona", "personas", "[!.]*[!t].yaml"),
                                                   ("test", "personas", "*.test.yaml")])
def test_every_shipped_file_passes_its_schema(kind, folder, pattern, tmp_path, capsys):
    schema = _schema(kind, tmp_path, capsys)
    files = [p for p in shipped_dir(folder).glob(pattern) if (kind == "test") == p.name.endswith(".test.yaml")]
    assert files
    for path in files:
        assert _errors(schema, read_yaml(path)[0]) == [], path.name


def test_the_schema_rejects_a_misspelt_move_an_unknown_pool_and_a_missing_default(tmp_path, capsys):
    schema = _schema("tree", tmp_path, capsys)
    tree, _ = read_yaml(shipped_dir("dialogue_trees") / "guarded.yaml")
    tree["transitions"][0]["move"] = "reflecton"
    assert any("reflecton" in e for e in _errors(schema, tree))
    tree, _ = read_yaml(shipped_dir("dialogue_trees") / "guarded.yaml")
    tree["transitions"][0]["move"] = ["reflection", "sumary"]
    assert any("sumary" in e for e in _errors(schema, tree))
    state = next(iter(tree["states"].values()))
    state["replies"]["listenning"] = state["replies"].pop("default")
    messages = _errors(schema, tree)
    assert any("listenning" in e for e in messages) and any("'default' is a required property" in e for e in messages)


def test_a_play_test_file_has_a_schema_that_rejects_a_misspelt_field(tmp_path, capsys):
    schema = _schema("test", tmp_path, capsys)
    spec, _ = read_yaml(shipped_dir("personas") / "marcus.test.yaml")
    spec["tests"][0]["turns"][0]["sya"] = spec["tests"][0]["turns"][0].pop("say")
    assert any("sya" in e for e in _errors(schema, spec))
