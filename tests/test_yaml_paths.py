"""libyaml's composer (fast) and PyYAML's pure-Python one (the fallback, and the source of
every located syntax message) give a trainer the same thing: the same values, the same
line and column for each, and the same findings from `validate` and `lint`, over the
shipped files, generated trees and the malformed-file table of test_loader.py. So do the
quick read of values (source._values, whose marks are worked out when first asked for)
and the full build that records every mark as it goes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from simulator.scenario import cache, loader, source
from simulator.scenario.errors import ScenarioError
from simulator.toolkit.lint import lint_paths
from simulator.scenario.folders import validate_paths
from simulator.scenario.loader import shipped_dir
from tests.test_loader import CASES, MINI_PERSONA, MINI_TREE

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(source._CLoader is None, reason="PyYAML is installed without libyaml here")


def _bench_core(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))   # it imports its neighbour machine.py
    spec = importlib.util.spec_from_file_location("bench_core", ROOT / "benchmarks" / "bench_core.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _both(monkeypatch, fn):
    """fn() on the libyaml path, then on the pure-Python path (every tree read again, no
    cache of checked files); and, as a third path, fn() with every clean file served from
    that cache (filled by a first run), which must say the same again."""
    with monkeypatch.context() as m:
        m.setenv("PEERSIM_CACHE_DIR", "off")
        loader.forget_trees()
        fast = fn()
        m.setattr(source, "_CLoader", None)
        loader.forget_trees()
        slow = fn()
    loader.forget_trees()
    fn()                       # fills this test's cache (conftest.py gives each test its own)
    hits = []
    real = cache.lookup

    def counting(*args):
        found = real(*args)
        hits.append(found is not None)
        return found

    with monkeypatch.context() as m:
        m.setattr(cache, "lookup", counting)
        loader.forget_trees()
        cached = fn()
    loader.forget_trees()
    assert cached == fast, "a file from the cache of checked files reads or checks differently"
    return fast, slow, hits


def _read(path: Path, text: str | None = None):
    try:
        data, smap = source.read_yaml(path, text)
    except ScenarioError as exc:
        return ("error", [p.to_dict() for p in exc.problems])
    return ("ok", data, smap.marks, smap.key_marks)


def _findings(paths: list[Path]):
    _, checked = validate_paths(paths)
    _, linted = lint_paths(paths)
    return [p.to_dict() for p in checked], [p.to_dict() for p in linted]


SHIPPED = sorted([*shipped_dir("personas").glob("*.yaml"), *shipped_dir("dialogue_trees").glob("*.yaml")])


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_a_shipped_file_reads_the_same_on_both_paths(path, monkeypatch):
    fast, slow, _ = _both(monkeypatch, lambda: _read(path))
    assert fast[0] == "ok"
    assert fast == slow


def test_lint_and_validate_say_the_same_on_both_paths_over_the_shipped_files(monkeypatch):
    folders = [shipped_dir("personas"), shipped_dir("dialogue_trees")]
    fast, slow, hits = _both(monkeypatch, lambda: _findings(folders))
    assert fast == slow
    assert hits and all(hits), "every shipped file is served from the cache on the third path"


@pytest.mark.parametrize("states", [3, 120])
def test_a_generated_tree_reads_and_checks_the_same_on_both_paths(states, tmp_path, monkeypatch):
    bench = _bench_core(monkeypatch)
    trees, personas = tmp_path / "dialogue_trees", tmp_path / "personas"
    trees.mkdir()
    personas.mkdir()
    tree = trees / "generated.yaml"
    tree.write_text(bench.generate_tree(states), encoding="utf-8")
    (personas / "bench.yaml").write_text(bench.PERSONA, encoding="utf-8")
    fast, slow, hits = _both(monkeypatch, lambda: (_read(tree), _findings([tmp_path])))
    assert fast[0][0] == "ok" and len(fast[0][2]) > states
    assert fast == slow
    assert hits and all(hits), "the persona and its tree are served from the cache on the third path"


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_malformed_file_gets_the_same_messages_and_marks_on_both_paths(case, tmp_path, monkeypatch):
    kind, text, *_ = CASES[case]
    if len(text) > source.PURE_PYTHON_UP_TO:
        pytest.skip("a file this large that libyaml cannot read keeps libyaml's message (source.PURE_PYTHON_UP_TO)")
    (tmp_path / "dialogue_trees").mkdir()
    (tmp_path / "personas").mkdir()
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(MINI_TREE, encoding="utf-8")
    if kind == "tree":
        path = tmp_path / "dialogue_trees" / "broken.yaml"
    else:
        path = tmp_path / "personas" / "mini-client.yaml"
    path.write_text(text, encoding="utf-8")
    if kind == "tree":
        (tmp_path / "personas" / "mini-client.yaml").write_text(MINI_PERSONA, encoding="utf-8")
    fast, slow, hits = _both(monkeypatch, lambda: (_read(path), _findings([tmp_path])))
    assert fast == slow
    assert fast[1][0], "the table's files are all broken: validate must say so"
    assert any(hits), "the clean files beside the broken one are served from the cache on the third path"


def _quick_and_full(path: Path, text: str | None = None):
    out = []
    for marks in (False, True):
        try:
            data, smap = source.read_yaml(path, text, marks=marks)
        except ScenarioError as exc:
            out.append(("error", [p.to_dict() for p in exc.problems]))
        else:
            out.append(("ok", data, dict(smap.marks), dict(smap.key_marks)))
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_quick_read_gives_the_values_and_marks_of_the_full_build(path):
    quick, full = _quick_and_full(path)
    assert quick[0] == "ok" and len(quick[2]) > 100
    assert quick == full


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_malformed_file_gets_the_same_messages_from_the_quick_read(case, tmp_path):
    kind, text, *_ = CASES[case]
    path = tmp_path / ("broken.yaml" if kind == "tree" else "mini-client.yaml")
    path.write_text(text, encoding="utf-8")
    quick, full = _quick_and_full(path)
    assert quick == full


def test_a_generated_tree_reads_the_same_quickly(tmp_path, monkeypatch):
    tree = tmp_path / "generated.yaml"
    tree.write_text(_bench_core(monkeypatch).generate_tree(300), encoding="utf-8")
    quick, full = _quick_and_full(tree)
    assert quick[0] == "ok" and quick == full
