"""The fuzz suite, on a small budget (issue 17): mutated persona, tree, play-test and
lexicon files through the author commands, and any text a trainee might send through
the engine, `talk` and every export. `python benchmarks/fuzz.py` runs the same cases on a
large budget on demand. Each case runs in a forked child with a memory limit and a time
limit; the limit here is generous because CI machines are shared."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import COMMANDS, NASTY, file_case, isolated, lexicon_case, mutate, trainee_turn, turns_case
from simulator.moves.rules import LEXICON
from simulator.scenario.loader import resolve_tree, shipped_persona_paths

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the fuzz runner forks")

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = shipped_persona_paths()
TIMEOUT = 60.0
MEMORY = 1 << 30
SETTINGS = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def originals(persona: Path) -> tuple[str, str, str]:
    import re

    text = persona.read_text(encoding="utf-8")
    tree = resolve_tree(re.search(r"(?m)^tree: *(\S+)", text).group(1), persona)
    test = persona.with_name(persona.stem + ".test.yaml")
    return re.sub(r"(?m)^tree:.*$", "tree: fuzztree", text, count=1), tree.read_text(encoding="utf-8"), \
        test.read_text(encoding="utf-8")


@SETTINGS
@given(seed=st.integers(0, 2**32), which=st.sampled_from(["persona", "tree", "playtest", "persona+tree"]),
       persona=st.sampled_from(PERSONAS))
def test_mutated_author_files_meet_a_message_never_a_traceback_or_a_hang(tmp_path_factory, seed, which, persona):
    rng = random.Random(seed)
    text, tree, test = originals(persona)
    text = mutate(text, rng) if "persona" in which else text
    tree = mutate(tree, rng) if "tree" in which else tree
    test = mutate(test, rng) if which == "playtest" else test
    failures, _, _ = isolated(file_case, tmp_path_factory.mktemp("f"), text, tree, test, COMMANDS,
                              timeout=TIMEOUT, memory=MEMORY)
    assert failures == []


@SETTINGS
@given(seed=st.integers(0, 2**32))
def test_mutated_site_lexicons_never_break_reading(tmp_path_factory, seed):
    text = mutate(LEXICON.read_text(encoding="utf-8"), random.Random(seed))
    failures, _, _ = isolated(lexicon_case, tmp_path_factory.mktemp("l"), text, timeout=TIMEOUT, memory=MEMORY)
    assert failures == []


@SETTINGS
@given(turns=st.lists(st.one_of(st.text(max_size=200), st.sampled_from(NASTY),
                                st.integers(0, 2**32).map(lambda s: trainee_turn(random.Random(s)))),
                      min_size=1, max_size=40),
       persona=st.sampled_from(PERSONAS))
def test_any_trainee_text_is_answered_saved_and_exported_clean(tmp_path_factory, turns, persona):
    failures, _, _ = isolated(turns_case, tmp_path_factory.mktemp("t"), str(persona), turns,
                              timeout=TIMEOUT * 2, memory=MEMORY)
    assert failures == []


def test_the_runner_reports_a_hang_and_a_traceback():
    # The harness itself must see what it is meant to see, or the suite above proves nothing.
    failures, _, _ = isolated(_sleeps, timeout=1.0)
    assert failures and failures[0].startswith("hang")
    failures, _, _ = isolated(_raises, timeout=10.0)
    assert failures and "runner" in failures[0]
    failures, _, _ = isolated(_eats_memory, timeout=30.0, memory=512 << 20)
    assert failures == ["memory: over the limit"]


def _sleeps():
    import time

    time.sleep(30)
    return []


def _raises():
    raise RuntimeError("boom")


def _eats_memory():
    hog = []
    while True:
        hog.append(bytearray(64 << 20))
