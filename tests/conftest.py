from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    # No test may touch the real user's session database.
    monkeypatch.setenv("PEERSIM_DATA_DIR", str(tmp_path / "peersim-data"))
    # Nor its cache of checked files (simulator/scenario/cache.py): each test starts with none.
    monkeypatch.setenv("PEERSIM_CACHE_DIR", str(tmp_path / "peersim-cache"))
    yield


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def reads(monkeypatch):
    """Parses per file (by resolved path), each load starting as a new command would (no tree
    kept in memory)."""
    from simulator.scenario import loader

    counted: Counter = Counter()
    real = loader.read_yaml

    def counting(path, text=None, **options):
        counted[Path(path).resolve()] += 1
        return real(path, text, **options)

    monkeypatch.setattr(loader, "read_yaml", counting)
    loader.forget_trees()
    yield counted
    loader.forget_trees()
