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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from simulator.engine import ClientTurn, Conversation
from simulator.scenario.errors import BAD_FIELD, BROKEN_RULE, Problem, ScenarioError
from simulator.scenario.errors import did_you_mean
from simulator.scenario.loader import Scenario, load_scenario, resolve_persona, shipped_persona_paths
from simulator.scenario.schema import Count, Points, _Strict
from simulator.session import LONGEST_TURN
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


@dataclass
class Failure:
    turn: int  # 0 = the expectations after the last turn
    line: int
    message: str


@dataclass
class PlayTestResult:
    file: Path
    name: str
    persona: str
    failures: list[Failure]
    turns: list[ClientTurn]
    played: int
    states: set[str] = field(default_factory=set)
    transitions: set[int] = field(default_factory=set)
    replies: set[tuple[str, str, str, int]] = field(default_factory=set)

    @property
    def passed(self) -> bool:
        return not self.failures


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


def run_playtests(path: Path | str, scenario: Scenario | None = None) -> list[PlayTestResult]:
    path = Path(path)
    spec, smap = load_playtests(path)
    scenario = scenario or scenario_for(path, spec, smap)
    problems = check_names(spec, smap, scenario)
    if problems:
        # A misspelt state or beat would otherwise only show as a failed (or, under
        # `state_not`/`beats_not`, a silently passing) expectation.
        raise ScenarioError(problems)
    return [_run_one(path, smap, scenario, i, test) for i, test in enumerate(spec.tests)]


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


def _run_one(path: Path, smap: SourceMap, scenario: Scenario, index: int, test: PlayTest) -> PlayTestResult:
    convo = Conversation(scenario, seed=test.seed)
    result = PlayTestResult(path, test.name, scenario.persona.id, [], [], 0, states={convo.state})
    beat_ids = {b.id for b in scenario.persona.beats}
    for number, turn in enumerate(test.turns, start=1):
        say, expect = (turn, None) if isinstance(turn, str) else (turn.say, turn.expect)
        loc = ("tests", index, "turns", number - 1)
        if convo.ended:
            result.failures.append(Failure(number, smap.locate(loc)[0],
                                           f"turn {number} was not played: {convo.over_reason()}"))
            break
        played = convo.step(say)
        result.turns.append(played)
        result.played += 1
        result.states.add(played.state)
        if played.transition:
            result.transitions.add(played.transition.index)
        result.replies.add(played.reply_from)
        if expect:
            _check(expect, convo, played, number, smap.locate(loc + ("expect",))[0], beat_ids, result.failures)
    if test.expect:
        _check(test.expect, convo, result.turns[-1] if result.turns else None, 0,
               smap.locate(("tests", index, "expect"))[0], beat_ids, result.failures)
    return result


def _check(expect: Expect, convo: Conversation, turn: ClientTurn | None, number: int, line: int,
           beat_ids: set[str], failures: list[Failure]) -> None:
    where = f"after turn {number}" if number else "at the end"

    def fail(message: str) -> None:
        failures.append(Failure(number, line, f"{where}: {message}"))

    if expect.state is not None and convo.state not in as_list(expect.state):
        fail(f"expected state {' or '.join(as_list(expect.state))}, got {convo.state}")
    if expect.state_not is not None and convo.state in as_list(expect.state_not):
        fail(f"expected any state but {convo.state}")
    if expect.rapport_at_least is not None and convo.rapport < expect.rapport_at_least:
        fail(f"expected rapport at least {expect.rapport_at_least}, got {convo.rapport}")
    if expect.rapport_at_most is not None and convo.rapport > expect.rapport_at_most:
        fail(f"expected rapport at most {expect.rapport_at_most}, got {convo.rapport}")
    for beat in expect.beats or []:
        if beat not in beat_ids:
            fail(f"the persona has no beat '{beat}'")
        elif beat not in convo.revealed:
            fail(f"expected beat '{beat}' to be told; told so far: {', '.join(convo.revealed) or 'none'}")
    for beat in expect.beats_not or []:
        if beat in convo.revealed:
            fail(f"expected beat '{beat}' not to be told yet")
    if expect.beats_at_least is not None and len(convo.revealed) < expect.beats_at_least:
        fail(f"expected at least {expect.beats_at_least} beats told, got {len(convo.revealed)}")
    if expect.ended is not None and convo.ended != expect.ended:
        fail("expected the session to have ended" if expect.ended else "expected the session still going")
    if expect.ending is not None and convo.ending != expect.ending:
        fail(f"expected ending '{expect.ending}', got '{convo.ending or 'none'}'")
    if expect.topic is not None and turn is not None and turn.topic != expect.topic:
        fail(f"expected the reply to answer the topic '{expect.topic}', got {repr(turn.topic) if turn.topic else 'none'}")
    if expect.safety_check is not None and turn is not None and turn.safety_check != expect.safety_check:
        fail("expected the client to answer a safety question" if expect.safety_check
             else "expected no safety question answered")
    if expect.primary is not None and turn is not None and turn.primary != expect.primary:
        fail(f"expected the turn to be read as {expect.primary}, got {turn.primary} "
             f"(moves: {', '.join(turn.reading.move_ids) or 'none'})")


def problems_of(results: list[PlayTestResult]) -> list[Problem]:
    return [Problem(str(r.file), f.line, 1, f"play-test '{r.name}': {f.message}")
            for r in results for f in r.failures]
