"""The cache of checked files (simulator/scenario/cache.py): an unchanged clean file is not
parsed again by the next command, a changed one always is, a file with problems is never
remembered, and a damaged or foreign cache entry is ignored. tests/test_yaml_paths.py proves
that what a file says is the same when it comes from the cache."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario import cache, loader
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, load_tree, shipped_dir
from tests.test_loader import MINI_PERSONA, MINI_TREE

ROOT = Path(__file__).resolve().parent.parent



def _client(tmp_path: Path, tree: str = MINI_TREE) -> tuple[Path, Path]:
    (tmp_path / "dialogue_trees").mkdir(exist_ok=True)
    (tmp_path / "personas").mkdir(exist_ok=True)
    tree_path = tmp_path / "dialogue_trees" / "mini.yaml"
    tree_path.write_text(tree, encoding="utf-8")
    persona = tmp_path / "personas" / "mini-client.yaml"
    persona.write_text(MINI_PERSONA, encoding="utf-8")
    return persona, tree_path


def test_an_unchanged_clean_file_is_not_parsed_again(tmp_path, reads):
    persona, tree_path = _client(tmp_path)
    first = load_scenario(persona)
    loader.forget_trees()                       # as a new command starts
    second = load_scenario(persona)
    assert reads[persona.resolve()] == 1 and reads[tree_path.resolve()] == 1
    assert second.persona == first.persona and second.tree == first.tree
    folder = Path(os.environ[cache.ENV_CACHE_DIR])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entries = list(folder.glob("*.json"))
    assert len(entries) == 2 and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)


def test_a_problem_found_later_in_a_cached_file_still_names_its_line(tmp_path, reads, capsys):
    persona, tree_path = _client(tmp_path)
    load_scenario(persona)
    loader.forget_trees()
    # The tree the persona names is gone: the persona's checks run every time, and the
    # message points at its `tree:` line, worked out from the cached file's own bytes.
    tree_path.rename(tmp_path / "elsewhere.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(persona)
    (problem,) = info.value.problems
    line = MINI_PERSONA.split("\n").index("tree: mini") + 1
    assert (problem.line, problem.column) == (line, 7) and "no dialogue tree 'mini'" in problem.message


def test_a_changed_file_is_read_again(tmp_path, reads):
    _, tree_path = _client(tmp_path)
    load_tree(tree_path)
    loader.forget_trees()
    tree_path.write_text(MINI_TREE.replace("sits with arms folded", "sits with arms crossed"), encoding="utf-8")
    assert load_tree(tree_path)[0].states["calm"].cue == "sits with arms crossed"
    assert reads[tree_path.resolve()] == 2


def test_a_file_with_problems_is_never_remembered(tmp_path, reads, capsys):
    _, tree_path = _client(tmp_path, MINI_TREE.replace("initial: calm", "initial: clam"))
    assert main(["validate", str(tree_path)]) == 1
    first = capsys.readouterr().out
    loader.forget_trees()
    assert main(["validate", str(tree_path)]) == 1
    assert capsys.readouterr().out == first and "'clam'" in first
    assert reads[tree_path.resolve()] == 2
    assert not list(Path(os.environ[cache.ENV_CACHE_DIR]).glob("*.json"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other code", "other file"])
def test_a_damaged_or_foreign_entry_is_ignored(tmp_path, reads, monkeypatch, damage):
    _, tree_path = _client(tmp_path)
    expected = load_tree(tree_path)[0]
    loader.forget_trees()
    (entry,) = Path(os.environ[cache.ENV_CACHE_DIR]).glob("*.json")
    text = entry.read_text(encoding="utf-8")
    if damage == "garbage":
        entry.write_bytes(b"\xff\x00 not json")
    elif damage == "truncated":
        entry.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "other code":
        monkeypatch.setattr(cache, "_code_digest", "0" * 32)     # as after an upgrade of peersim
    else:   # an entry written for other bytes of this file
        header, _, values = text.partition("\n")
        digest = json.loads(header)["digest"]
        entry.write_text(header.replace(digest, "f" * len(digest)) + "\n"
                         + values.replace("sits with arms folded", "stands at the door"), encoding="utf-8")
    assert load_tree(tree_path)[0] == expected
    assert reads[tree_path.resolve()] == 2


def test_the_cache_keeps_the_files_used_lately_and_stays_small(tmp_path, reads, monkeypatch):
    # A trainer who checks many files (or a fuzz run) must not fill a disk with entries.
    folder = Path(os.environ[cache.ENV_CACHE_DIR])
    trees = []
    for i in range(9):
        path = tmp_path / f"t{i}" / "dialogue_trees" / "mini.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(MINI_TREE, encoding="utf-8")
        trees.append(path)
    for path in trees[:8]:
        load_tree(path)
    entries = sorted(folder.glob("*.json"), key=lambda e: json.loads(e.read_text().partition("\n")[0])["path"])
    for age, entry in enumerate(entries):        # t0 used longest ago, t7 last
        os.utime(entry, (1_000 + age, 1_000 + age))
    loader.forget_trees()
    load_tree(trees[0])                          # a hit: t0 is now the one used last
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    load_tree(trees[8])                          # a new entry: the folder is pruned to five
    kept = {json.loads(e.read_text().partition("\n")[0])["path"] for e in folder.glob("*.json")}
    assert kept == {str(trees[i].resolve()) for i in (0, 5, 6, 7, 8)}
    loader.forget_trees()
    load_tree(trees[0])
    assert reads[trees[0].resolve()] == 1        # still from the cache


def test_a_half_written_entry_left_by_a_killed_process_is_cleared(tmp_path, reads):
    folder = Path(os.environ[cache.ENV_CACHE_DIR])
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / ".entry-abc.tmp"
    left.write_text("{", encoding="utf-8")
    os.utime(left, (1, 1))
    _, tree_path = _client(tmp_path)
    load_tree(tree_path)
    assert not left.exists() and len(list(folder.glob("*.json"))) == 1


def test_the_cache_can_be_turned_off(tmp_path, reads, monkeypatch):
    monkeypatch.setenv(cache.ENV_CACHE_DIR, "off")
    _, tree_path = _client(tmp_path)
    load_tree(tree_path)
    loader.forget_trees()
    load_tree(tree_path)
    assert reads[tree_path.resolve()] == 2
    assert not (tmp_path / "peersim-cache").exists()


def test_list_imports_neither_the_engine_nor_the_session_store(tmp_path):
    """`peersim list` with the clients folder in the data folder (the default) starts in
    about the time Textual takes to import (benchmarks/bench_load.py)."""
    code = ("import sys\nfrom simulator.cli import main\nmain(['list'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('simulator.engine', 'simulator.store', "
            "'simulator.moves.recognizer', 'transitions'))))")
    env = {k: v for k, v in os.environ.items() if k != "PEERSIM_CLIENTS"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "marcus" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_shipped_files_come_from_the_cache_on_a_second_command(reads, capsys, monkeypatch):
    monkeypatch.chdir(shipped_dir("personas").parent)
    main(["list"])
    first = capsys.readouterr().out
    loader.forget_trees()
    reads.clear()
    main(["list"])
    assert capsys.readouterr().out == first
    assert not reads, f"parsed again: {sorted(reads)}"
