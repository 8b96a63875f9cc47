"""A tree is read from disk once per process while it is unchanged: several personas share
it, and `list`, `lint` and `validate` meet it once for each of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario.loader import load_tree, shipped_dir
from tests.test_loader import MINI_TREE



@pytest.mark.parametrize("command", [["list"], ["validate", "personas", "dialogue_trees"],
                                     ["lint", "personas", "dialogue_trees"]])
def test_each_shipped_tree_is_parsed_once_per_command(command, reads, capsys, monkeypatch):
    monkeypatch.chdir(shipped_dir("personas").parent)
    main(command)
    trees = {p.resolve() for p in shipped_dir("dialogue_trees").glob("*.yaml")}
    parsed = {path: n for path, n in reads.items() if path in trees}
    assert parsed and all(n == 1 for n in parsed.values()), parsed


def test_a_tree_changed_on_disk_is_read_again_at_once(tmp_path, reads, monkeypatch):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_TREE, encoding="utf-8")
    assert load_tree(path)[0].states["calm"].cue == "sits with arms folded"
    # Same size, written straight after: a clock tick may not tell the two apart.
    path.write_text(MINI_TREE.replace("sits with arms folded", "sits with arms crossed"), encoding="utf-8")
    assert load_tree(path)[0].states["calm"].cue == "sits with arms crossed"
    assert reads[path.resolve()] == 2
    # Named another way, the same file is not read again, and problems name it as given.
    monkeypatch.chdir(tmp_path)
    again = Path("mini.yaml")
    tree, smap = load_tree(again)
    assert reads[path.resolve()] == 2 and smap.file == str(again)
