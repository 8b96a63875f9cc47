"""The SVG graph marks what a trainer must notice and names what drew it; `--renderer dot`
is asked for by name, never switched to because Graphviz happens to be installed."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from simulator.cli import main
from simulator.toolkit.graph import to_svg
from simulator.scenario.loader import load_tree

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "authoring" / "dialogue_trees"
SVG = "{http://www.w3.org/2000/svg}"


def _labels(text: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(text).iter(f"{SVG}text")]


def test_unreachable_and_trap_states_are_labelled_in_the_svg():
    assert "unreachable" in _labels(to_svg(load_tree(FIXTURES / "tangled.yaml")[0]))   # island
    assert "trap: every way on ends it" in _labels(to_svg(load_tree(FIXTURES / "snared.yaml")[0]))   # withdrawn


def test_the_builtin_renderer_is_the_default_and_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/dot")   # as if Graphviz were installed
    out = tmp_path / "g.svg"
    assert main(["graph", "guarded", "--format", "svg", "-o", str(out)]) == 0
    assert "built-in layout" in out.read_text(encoding="utf-8")


def test_asking_for_dot_without_graphviz_says_so(capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["graph", "guarded", "--format", "svg", "--renderer", "dot"]) == 1
    assert "not installed" in capsys.readouterr().err
