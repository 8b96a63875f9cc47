"""Every shipped persona passes its own play-tests, and the shipped files validate."""

from pathlib import Path

import pytest

from simulator.scenario.folders import validate_paths
from simulator.scenario.loader import shipped_persona_paths
from simulator.toolkit.playtest import run_playtests

ROOT = Path(__file__).resolve().parent.parent
PLAYTESTS = sorted((ROOT / "personas").glob("*.test.yaml"))


def test_shipped_files_validate():
    files, problems = validate_paths([ROOT / "personas", ROOT / "dialogue_trees"])
    assert files and not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("path", PLAYTESTS, ids=lambda p: p.name)
def test_playtests_pass(path):
    results = run_playtests(path)
    failures = [f"{r.name}: {f.message}" for r in results for f in r.failures]
    assert results and not failures, "\n".join(failures)


def test_every_persona_has_playtests():
    missing = [p.name for p in shipped_persona_paths() if not p.with_name(p.stem + ".test.yaml").exists()]
    assert not missing, f"personas without play-tests: {missing}"
