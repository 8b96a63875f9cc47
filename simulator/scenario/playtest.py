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
    ending: str | None = Field(default=None, description="'left' or 'plan'")
    primary: str | None = Field(default=None, description="the move read as primary on this turn")
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


def load_playtests(path: Path | str) -> tuple[PlayTestFile, SourceMap]:
    data, smap = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError([smap.problem((), "a play-test file is a mapping with `tests:`", "see docs/authoring.md",
                                          validation_code=BROKEN_RULE)])
    try:
        return PlayTestFile.model_validate(data), smap
    except ValidationError as exc:
        raise ScenarioError(pydantic_problems(exc, PlayTestFile, smap)) from None


def check_playtest_file(path: Path | str) -> list[Problem]:
    """Every problem `peersim test` would stop at before playing: the file's shape, its
    persona, and the names its expectations use."""
    path = Path(path)
    try:
        spec, smap = load_playtests(path)
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
