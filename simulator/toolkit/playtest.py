"""Playing play-test files (simulator/scenario/playtest.py holds their format): each
script is played through the engine and its expectations checked after each turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from simulator.engine import ClientTurn, Conversation
from simulator.scenario.checked import Scenario
from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.playtest import Expect, PlayTest, check_names, load_playtests, scenario_for
from simulator.scenario.source import SourceMap
from simulator.scenario.validate import as_list


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
