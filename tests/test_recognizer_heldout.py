"""The recogniser on the held-out split of issue 11 (tests/data/heldout/): items written by
an author who never saw the training items, in all four registers. Only aggregate figures
are checked (and printed on failure); the items are never used for tuning.

The floors sit a little under what the shipped recogniser reaches (benchmarks/RESULTS.md),
so a regression fails here. Raise them when the recogniser gets better.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ROOT / "tests" / "data" / "heldout"

sys.path.insert(0, str(ROOT / "benchmarks"))

pytestmark = pytest.mark.skipif(not (HELD_OUT / "README.md").exists(), reason="the held-out split is not there yet")

MACRO_F1_FLOOR = 0.76
HARM_PRECISION_FLOOR = 0.87
HARM_RECALL_FLOOR = 0.72


@pytest.fixture(scope="module")
def figures():
    from bench_harm import labelled

    from simulator.moves import recognize

    out = labelled(HELD_OUT, recognize)
    assert out and out["items"] >= 500
    return out


def test_every_register_is_in_the_held_out_split(figures):
    assert set(figures["macro_f1_by_register"]) >= {"careful", "spoken", "chat", "forum"}


def test_moves_are_read_well_beyond_the_training_authors(figures):
    assert figures["macro_f1"] >= MACRO_F1_FLOOR, figures


def test_harm_is_caught_without_false_alarms(figures):
    assert figures["harm_precision"] >= HARM_PRECISION_FLOOR, figures
    assert figures["harm_recall"] >= HARM_RECALL_FLOOR, figures
