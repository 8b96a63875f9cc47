"""Property tests: whatever a file or a trainee throws at peersim, it answers with its
own error (for files) or a reply (for trainees), never with a crash."""

from __future__ import annotations

import io
import json
import random
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.engine import Conversation
from simulator.moves import MoveSpan, Reading
from simulator.moves.taxonomy import MOVE_IDS
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, load_tree

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {
    "persona": [ROOT / "personas" / "marcus.yaml", ROOT / "personas" / "dana.yaml"],
    "tree": [ROOT / "dialogue_trees" / "guarded.yaml", ROOT / "dialogue_trees" / "ambivalent.yaml"],
}
TEXTS = {p: p.read_text(encoding="utf-8") for paths in SHIPPED.values() for p in paths}

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir():
    """A trainer's folder: personas/ and dialogue_trees/ side by side, rewritten per example."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "personas").mkdir()
        (root / "dialogue_trees").mkdir()
        yield root


def _assert_only_located_scenario_errors(load) -> object | None:
    """Run `load`; it may succeed or raise ScenarioError with a located problem, nothing else."""
    try:
        return load()
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must carry problems"
        assert any(p.line >= 1 for p in exc.problems), [str(p) for p in exc.problems]
        assert all(isinstance(p.message, str) and p.message for p in exc.problems)
        return None


def _run_a_little(scenario) -> None:
    """A file that loads must also play: a few turns of every move never crash the engine."""
    convo = Conversation(scenario, seed=1)
    for move in MOVE_IDS:
        if convo.ended:
            break
        turn = convo.step(Reading(move, (MoveSpan(move, 0, 1, move),), move, 1.0, move))
        assert isinstance(turn.reply, str)


# ----------------------------------------------------------------------------- random YAML
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20))
KEYS = ["id", "name", "title", "initial", "states", "transitions", "effects", "replies", "default", "cue",
        "move", "from", "to", "when", "beats", "unlock", "tree", "difficulty", "summary", "background",
        "opening_line", "rapport", "thresholds", "sensitivities", "values", "at_state", "streak", "count"]
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children,
                                               max_size=5)),
    max_leaves=25)


@FAST
@given(doc=documents)
def test_random_yaml_documents_raise_only_scenario_errors(workdir, doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    _assert_only_located_scenario_errors(lambda: load_tree(workdir / "dialogue_trees" / "t.yaml", text))
    _assert_only_located_scenario_errors(lambda: load_scenario(workdir / "personas" / "p.yaml", text))


@FAST
@given(text=st.text(max_size=300))
@example(text="")
@example(text="\t- a: b")
@example(text="a: &x [*x]")
@example(text="{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{")
@example(text="[" * 1000 + "]" * 1000)
@example(text="? [a, b]\n: c\n")
@example(text="<<: {a: 1}\n")
@example(text="a: !!binary aGVsbG8=\n")
@example(text="a: \ud800\n")
@example(text="a: \x00\n")
@example(text="\ufeffid: x\n")
def test_random_text_raises_only_scenario_errors(workdir, text):
    _assert_only_located_scenario_errors(lambda: load_tree(workdir / "dialogue_trees" / "t.yaml", text))
    _assert_only_located_scenario_errors(lambda: load_scenario(workdir / "personas" / "p.yaml", text))


# ----------------------------------------------------------------------------- mutations of shipped files
def _paths(data, prefix=()):
    """Every location in a document, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, prefix + (i,))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


REPLACEMENTS = [None, 0, -1, 5, 10**30, 2.5, float("nan"), True, "", "warmng", "any", "reflecton", [], ["x"], {},
                {"a": 1}, "${unknown}", "x" * 500]


def _mutate(data, rng: random.Random):
    paths = [p for p in _paths(data) if p]
    path = rng.choice(paths)
    parent, last = _get(data, path[:-1]), path[-1]
    action = rng.choice(["drop", "retype", "rename", "duplicate"])
    if action == "drop":
        del parent[last]
    elif action == "retype":
        parent[last] = rng.choice(REPLACEMENTS)
    elif action == "rename" and isinstance(parent, dict):
        # Rename a key (a state id, a beat id, a field) to a near miss.
        new = str(last)[:-1] + rng.choice("xz_") if str(last) else "x"
        parent[new] = parent.pop(last)
    elif action == "rename" and isinstance(parent[last], str):
        parent[last] = parent[last][::-1] or "x"
    elif isinstance(parent, list):
        parent.append(parent[last])
    return data


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(["persona", "tree"]), index=st.integers(0, 1), seed=st.integers(0, 2**32 - 1),
       rounds=st.integers(1, 3))
def test_mutations_of_shipped_files_raise_only_scenario_errors(workdir, which, index, seed, rounds):
    rng = random.Random(seed)
    persona_src, tree_src = SHIPPED["persona"][index], SHIPPED["tree"][index]
    texts = {"persona": TEXTS[persona_src], "tree": TEXTS[tree_src]}
    data = yaml.safe_load(texts[which])
    for _ in range(rounds):
        data = _mutate(data, rng)
    texts[which] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    tree_path = workdir / "dialogue_trees" / tree_src.name
    persona_path = workdir / "personas" / persona_src.name
    tree_path.write_text(texts["tree"], encoding="utf-8")
    persona_path.write_text(texts["persona"], encoding="utf-8")
    # load_scenario reads the persona and then its tree, so both files are checked.
    scenario = _assert_only_located_scenario_errors(lambda: load_scenario(persona_path))
    if scenario is not None:
        _run_a_little(scenario)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(["persona", "tree"]), index=st.integers(0, 1), data=st.data())
def test_text_edits_of_shipped_files_raise_only_scenario_errors(workdir, which, index, data):
    persona_src, tree_src = SHIPPED["persona"][index], SHIPPED["tree"][index]
    texts = {"persona": TEXTS[persona_src], "tree": TEXTS[tree_src]}
    text = texts[which]
    edit = data.draw(st.sampled_from(["truncate", "delete line", "insert", "indent"]))
    where = data.draw(st.integers(0, len(text)))
    if edit == "truncate":
        text = text[:where]
    elif edit == "delete line":
        lines = text.splitlines(keepends=True)
        del lines[where % len(lines)]
        text = "".join(lines)
    elif edit == "insert":
        text = text[:where] + data.draw(st.sampled_from([":", "- ", "\t", "{", "'", "&a ", "*a", "!!str ", "\n  x: 1",
                                                         "#", "\\", "${", "\x00", "\ufeff"])) + text[where:]
    else:
        lines = text.splitlines(keepends=True)
        i = where % len(lines)
        lines[i] = "   " + lines[i]
        text = "".join(lines)
    texts[which] = text
    tree_path = workdir / "dialogue_trees" / tree_src.name
    persona_path = workdir / "personas" / persona_src.name
    tree_path.write_text(texts["tree"], encoding="utf-8")
    persona_path.write_text(texts["persona"], encoding="utf-8")
    # load_scenario reads the persona and then its tree, so both files are checked.
    scenario = _assert_only_located_scenario_errors(lambda: load_scenario(persona_path))
    if scenario is not None:
        _run_a_little(scenario)


# ----------------------------------------------------------------------------- trainee input
odd_text = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.text(st.characters(blacklist_categories=()), max_size=100),  # includes lone surrogates
    st.sampled_from(["", " ", "\x00", "\x1b[31mred\x1b[0m", "😀" * 50, "‮reversed‬", "مرحبا، كيف حالك؟",
                     "שלום מה שלומך", "\u200b\u200d\ufeff", "\ud800", "a\udfffb", "I" * 100_000,
                     "you should " * 10_000, "What? " * 15_000, "\r\n\t\v\f", "%s {0} ${name} $$"]),
)

_SCENARIOS = {}


def _scenario(persona):
    if persona not in _SCENARIOS:
        _SCENARIOS[persona] = load_scenario(persona)
    return _SCENARIOS[persona]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persona=st.sampled_from(["marcus", "dana"]), texts=st.lists(odd_text, min_size=1, max_size=6),
       seed=st.integers(0, 1000))
def test_any_trainee_input_gets_a_reply(persona, texts, seed):
    convo = Conversation(_scenario(persona), seed=seed)
    for text in texts:
        if convo.ended:
            break
        turn = convo.step(text)
        assert turn.primary in MOVE_IDS
        assert isinstance(turn.reply, str) and turn.reply
        assert all(0 <= m.start <= m.end <= len(turn.reading.text) for m in turn.reading.moves)


def _classify(argv, stdin_text, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    assert main(argv) == 0
    # Split on "\n" only: str.splitlines() would also split inside a record holding U+2028 or \x85.
    return capsys.readouterr().out.split("\n")[:-1]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(odd_text.filter(lambda t: len(t) < 5000), min_size=1, max_size=8))
def test_classify_answers_every_line_whatever_it_holds(texts, monkeypatch, capsys):
    # Plain mode: one line in, one object out, text unchanged (line breaks are the separators).
    lines = [t.replace("\n", " ").replace("\r", " ") for t in texts]
    out = _classify(["classify"], "\n".join(lines) + "\n", monkeypatch, capsys)
    assert [json.loads(o)["text"] for o in out] == lines
    # JSON lines mode carries any text, line breaks and lone surrogates included.
    out = _classify(["classify", "--jsonl"], "".join(json.dumps({"text": t}) + "\n" for t in texts),
                    monkeypatch, capsys)
    records = [json.loads(o) for o in out]
    assert [r["text"] for r in records] == texts
    assert all(r["primary"] in MOVE_IDS and isinstance(r["moves"], list) for r in records)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persona=st.sampled_from(["marcus", "dana"]), moves=st.lists(st.sampled_from(MOVE_IDS), min_size=2,
                                                                  max_size=40),
       seed=st.integers(0, 10**6), cut=st.integers(0, 40))
def test_replies_never_repeat_and_rewind_replays_exactly(persona, moves, seed, cut):
    def said(move):
        return Reading(move, (MoveSpan(move, 0, 1, move),), move, 1.0, move)

    convo = Conversation(_scenario(persona), seed=seed)
    cut = min(cut, len(moves))
    for move in moves[:cut]:
        if not convo.ended:
            convo.step(said(move))
    snap = convo.snapshot()
    first = []
    for move in moves[cut:]:
        if convo.ended:
            break
        first.append(convo.step(said(move)))
    plain = [t.reply[: -len(t.beats[0].text) - 1] if t.beats else t.reply for t in first]
    assert all(a != b for a, b in zip(plain, plain[1:])), plain
    convo.restore(snap)
    again = []
    for move in moves[cut:]:
        if convo.ended:
            break
        again.append(convo.step(said(move)))
    assert [(t.reply, t.state, t.rapport, t.beats) for t in again] == \
        [(t.reply, t.state, t.rapport, t.beats) for t in first]
