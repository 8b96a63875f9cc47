"""The shipped personas and trees are found after a plain `pip install .`, not only in
a source checkout: pyproject.toml force-includes personas/ and dialogue_trees/ into
the wheel as simulator/shipped/, and the loader looks there first."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import simulator
from simulator.scenario.loader import load_scenario, shipped_dir, shipped_persona_paths, shipped_tree_paths
paths = shipped_persona_paths()
assert paths, "no shipped personas found"
for path in paths:
    load_scenario(path)
print(simulator.__file__)
print(shipped_dir("personas"))
print(" ".join(p.stem for p in paths))
print(" ".join(p.stem for p in shipped_tree_paths()))
"""


def _probe(cwd: Path, extra_path: Path | None = None) -> list[str]:
    env = None if extra_path is None else {**os.environ, "PYTHONPATH": str(extra_path)}
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.splitlines()


def test_shipped_personas_are_found_from_another_folder(tmp_path):
    _, _, personas, trees = _probe(tmp_path)
    assert {"marcus", "dana"} <= set(personas.split())
    assert {"guarded", "ambivalent"} <= set(trees.split())


def test_installed_layout_carries_personas_and_trees(tmp_path):
    # Lay the package out as the wheel would (pyproject's force-include), with no
    # personas/ beside it, and load every shipped persona from there.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    site = tmp_path / "site"
    shutil.copytree(ROOT / "simulator", site / "simulator", ignore=shutil.ignore_patterns("__pycache__", "shipped"))
    for source, target in force.items():
        shutil.copytree(ROOT / source, site / target)
    assert set(force.values()) >= {"simulator/shipped/personas", "simulator/shipped/dialogue_trees"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    module, personas_dir, personas, _ = _probe(elsewhere, extra_path=site)
    assert module.startswith(str(site)), "the copied package must be the one imported"
    assert personas_dir == str(site / "simulator" / "shipped" / "personas")
    assert {"marcus", "dana"} <= set(personas.split())


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                    reason="hatchling is not installed; building a wheel offline needs it")
def test_the_built_wheel_contains_the_shipped_files(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    wheel = next(tmp_path.glob("peersim-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "simulator/shipped/personas/marcus.yaml" in names
    assert "simulator/shipped/dialogue_trees/guarded.yaml" in names
    # The recogniser's weights and lexicon ship; what only builds them stays in tools/.
    assert {"simulator/moves/data/model.bin", "simulator/moves/data/harm.bin", "simulator/moves/lexicon.yaml"} <= names
    unused = sorted(n for n in names if n.endswith(("corpus.py", "train.py", "moves.jsonl")) or n.startswith("tools/"))
    assert not unused, f"the wheel carries what never runs for a user: {unused}"


def test_the_training_commands_run_from_a_checkout():
    # They live outside the package (tools/recogniser/), so they are run from the checkout's top.
    where = ("import tools.recogniser.corpus as corpus, tools.recogniser.train as train\n"
             "print(train.__file__, corpus.__file__, corpus.OUT == train.CORPUS, train.CORPUS.is_file(),"
             " any(train.REGISTERS.glob('*.jsonl')))")
    proc = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    train_file, corpus_file, *found = proc.stdout.split()
    assert all(Path(f).is_relative_to(ROOT / "tools" / "recogniser") for f in (train_file, corpus_file))
    assert found == ["True", "True", "True"], "the generator writes where training reads, and both find their data"
    proc = subprocess.run([sys.executable, "-m", "tools.recogniser.train", "--help"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0 and "--corpus" in proc.stdout, proc.stderr[-3000:]
