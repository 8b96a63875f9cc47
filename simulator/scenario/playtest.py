"""Play-tests: scripted conversations with expectations, kept beside a persona as
`NAME.test.yaml`, so a broken persona fails a test instead of a trainee's session.

    persona: marcus            # optional when the file is marcus.test.yaml beside marcus.yaml
    tests:
      - name: listening opens him up
        seed: 0
        turns:
          - "Hi, thanks for coming in."            # a turn with no expectations
          - say: "It sounds like you didn't choose to be here."
            expect: {primary: reflection}
        expect: {state: [open, plan_agreed], rapport_at_least: 60, beats: [couch]}

This module is the file format and its checks; playing the scripts is the trainer's
toolkit's job (simulator/toolkit/playtest.py), above the engine.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from simulator.scenario.checked import Scenario
from simulator.scenario.errors import BAD_FIELD, BROKEN_RULE, Problem, ScenarioError
from simulator.scenario.errors import did_you_mean
from simulator.scenario.loader import load_scenario, resolve_persona, shipped_persona_paths
from simulator.scenario.schema import Count, Points, _Strict
from simulator.moves.reading import LONGEST_TURN
from simulator.scenario.source import SourceMap, read_yaml
from simulator.moves.taxonomy import MOVE_IDS
from simulator.scenario.validate import _Checker, as_list, pydantic_problems


class Expect(_Strict):
    """Every expectation given must hold after the turn (or after the last turn)."""

    state: str | list[str] | None = Field(default=None, description="the client is in this state (or one of these)")
    state_not: str | list[str] | None = None
    rapport_at_least: Points | None = None
    rapport_at_most: Points | None = None
    beats: list[str] | None = Field(default=None, description="these beats have all been told by now")
    beats_not: list[str] | None = Field(default=None, description="none of these beats has been told")
    beats_at_least: Count | None = Field(default=None, description="at least this many beats have been told")
    ended: bool | None = None
    # Enumerated for an editor's schema, as a rule's `move:` is (check_names says it in words).
    ending: str | None = Field(default=None, description="'left' or 'plan'",
                               json_schema_extra={"anyOf": [{"enum": ["left", "plan"]}, {"type": "null"}]})
    primary: str | None = Field(default=None, description="the move read as primary on this turn",
                                json_schema_extra={"anyOf": [{"enum": list(MOVE_IDS)}, {"type": "null"}]})
    topic: str | None = Field(default=None, description="the reply on this turn answered this topic of the persona")
    safety_check: bool | None = Field(default=None, description="this turn asked a safety question the client answered")


class Turn(_Strict):
    say: str = Field(max_length=LONGEST_TURN)
    expect: Expect | None = None


# A play-test is a conversation a trainer wrote: far shorter than these limits, which keep a
# damaged file (a block of turns pasted thousands of times) from running for minutes.
MAX_TURNS_PER_TEST = 200
MAX_TESTS_PER_FILE = 200


class PlayTest(_Strict):
    name: str = Field(max_length=200)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    turns: list[Turn | str] = Field(min_length=1, max_length=MAX_TURNS_PER_TEST)
    expect: Expect | None = None


class PlayTestFile(_Strict):
    persona: str | None = None
    tests: list[PlayTest] = Field(min_length=1, max_length=MAX_TESTS_PER_FILE)


def persona_for(path: Path, declared: str | None) -> str | Path:
    """The persona a play-test file is about: `persona:` (a path beside the file, an id
    of a file beside it, or a shipped id), else the file NAME.yaml beside NAME.test.yaml."""
    name = declared or path.name.split(".")[0]
    if name.endswith((".yaml", ".yml")):
        return path.parent / name
    for suffix in (".yaml", ".yml"):    # a persona saved as NAME.yml is found too
        if (path.parent / f"{name}{suffix}").exists():
            return path.parent / f"{name}{suffix}"
    return path.parent / f"{name}.yaml" if not declared else name


def scenario_for(path: Path, spec: PlayTestFile, smap: SourceMap) -> Scenario:
    """The persona this play-test file is about, loaded; a missing one is reported at the file's
    `persona:` line (or its top), saying where it was looked for."""
    ref = persona_for(path, spec.persona)
    try:
        found = Path(resolve_persona(ref))
    except ScenarioError:
        found = None
    if found is None or not found.exists():
        name = spec.persona or path.name.split(".")[0]
        beside = path.parent / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
        shipped = [p.stem for p in shipped_persona_paths()]
        close = did_you_mean(name, shipped)
        raise ScenarioError([smap.problem(
            ("persona",), f"no persona '{name}' to test: there is no {beside} and no shipped persona of that name",
            f"write it first (`peersim new persona {name}`), or set `persona:` to a persona file"
            + (f"; {close}" if close.startswith("did you mean") else ""), key=spec.persona is None,
            validation_code=BAD_FIELD)])
    return load_scenario(found)


def load_playtests(path: Path | str, text: str | None = None) -> tuple[PlayTestFile, SourceMap]:
    data, smap = read_yaml(path, text)
    if not isinstance(data, dict):
        raise ScenarioError([smap.problem((), "a play-test file is a mapping with `tests:`", "see docs/authoring.md",
                                          validation_code=BROKEN_RULE)])
    slips, data = _colon_slips(data, smap)
    try:
        spec = PlayTestFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(slips + pydantic_problems(exc, PlayTestFile, smap)) from None
    if slips:
        raise ScenarioError(slips)
    return spec, smap


def _colon_slips(data: dict, smap: SourceMap) -> tuple[list[Problem], dict]:
    """A turn written `- I hear you: that sounds hard` is read by YAML as a field named
    "I hear you", and pydantic would only say "missing field say". Each such turn is named
    with what the trainer wrote and its quoted form, and is read as that text, so the rest
    of the file is still checked."""
    tests = data.get("tests")
    if not isinstance(tests, list):
        return [], data
    problems: list[Problem] = []
    fixed_tests = list(tests)
    for i, test in enumerate(tests):
        turns = test.get("turns") if isinstance(test, dict) else None
        if not isinstance(turns, list):
            continue
        fixed = list(turns)
        for n, turn in enumerate(turns):
            if not isinstance(turn, dict) or "say" in turn:
                continue
            keys = [k for k in turn if k != "expect"]
            if len(keys) != 1 or not _scalar(turn[keys[0]]) or did_you_mean(keys[0], ("say", "expect")).startswith("did"):
                continue        # a misspelt field name: pydantic's "unknown field" says it better
            key, value = keys[0], turn[keys[0]]
            said = f"{key}:" if value is None else f"{key}: {str(value).lower() if isinstance(value, bool) else value}"
            quoted = '"' + said.replace("\\", "\\\\").replace('"', '\\"') + '"'
            name = test.get("name")
            where = f"turn {n + 1} of '{name}'" if isinstance(name, str) else f"turn {n + 1}"
            form = f"- say: {quoted}" if "expect" in turn else f"- {quoted}"
            problems.append(smap.problem(
                ("tests", i, "turns", n, key),
                f"{where}: YAML read `{said}` as a field named '{key}' because of the ': ' in it, "
                "not as what the trainee says",
                f"put the whole turn in double quotes: {form}", key=True))
            fixed[n] = {"say": said, "expect": turn["expect"]} if "expect" in turn else said
        if fixed != turns:
            fixed_tests[i] = {**test, "turns": fixed}
    return problems, ({**data, "tests": fixed_tests} if problems else data)


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def check_playtest_file(path: Path | str, text: str | None = None) -> list[Problem]:
    """Every problem `peersim test` would stop at before playing: the file's shape, its
    persona, and the names its expectations use (`text`: the file's unsaved text)."""
    path = Path(path)
    try:
        spec, smap = load_playtests(path, text)
        return check_names(spec, smap, scenario_for(path, spec, smap))
    except ScenarioError as exc:
        return exc.problems


def check_names(spec: PlayTestFile, smap: SourceMap, scenario: Scenario) -> list[Problem]:
    """Every state, beat, ending and move an expectation names must exist."""
    c = _Checker(smap)
    states = list(scenario.tree.states)
    beats = [b.id for b in scenario.persona.beats]
    for i, test in enumerate(spec.tests):
        expects = [(("tests", i, "turns", n, "expect"), t.expect) for n, t in enumerate(test.turns)
                   if not isinstance(t, str)]
        expects.append((("tests", i, "expect"), test.expect))
        for loc, expect in expects:
            if expect is None:
                continue
            for name in ("state", "state_not"):
                value = getattr(expect, name)
                for j, st in enumerate(as_list(value)):
                    c.need(st, states, loc + (name,) + ((j,) if isinstance(value, list) else ()), "state")
            for name in ("beats", "beats_not"):
                for j, beat in enumerate(getattr(expect, name) or []):
                    c.need(beat, beats, loc + (name, j), "beat")
            if expect.ending is not None:
                c.need(expect.ending, ["left", "plan"], loc + ("ending",), "ending")
            if expect.primary is not None:
                c.need(expect.primary, MOVE_IDS, loc + ("primary",), "move")
            if expect.topic is not None:
                c.need(expect.topic, [t.id for t in scenario.persona.topics], loc + ("topic",), "topic")
    return c.problems
