"""Lint's behaviour checks: a few built-in trainee probes played against a persona, to catch
a client who behaves wrongly though every rule is well formed (issue 15).

Each probe is a list of moves, played as hand-built readings (one move a turn, read with
full confidence), so the checks do not depend on the recogniser. Codes in
diagnostics.CATALOGUE:

- PS0060: skilful listening does not warm the client;
- PS0061: one misstep that is not a breach of confidentiality ends the session;
- PS0062: skilful listening and collaboration never reach a plan.

A state with no way back to a non-ending state is PS0054 (simulator/toolkit/traps.py).
"""

from __future__ import annotations

from simulator.moves.reading import MoveSpan, Reading
from simulator.scenario.diagnostics import diagnostic
from simulator.scenario.errors import Problem

LISTENING = ["reflection", "open_question", "reflection", "affirmation", "reflection", "open_question",
             "summary", "reflection"]
# Long enough for a patient client: trust and listening first, then working on a plan together.
TOWARDS_A_PLAN = (["confidentiality_assurance"] + LISTENING + ["autonomy_support", "reflection", "collaboration", "open_question", "summary",
                               "affirmation", "collaboration", "autonomy_support", "reflection", "collaboration"]) * 2
MISSTEPS = ["directive_advice", "judgment", "minimizing"]


def reading(move: str) -> Reading:
    return Reading(f"({move})", (MoveSpan(move, 0, 0, move),), move, 1.0, move)


def play(scenario, moves: list[str]):
    """The engine after each probe turn: a list of ClientTurn, stopping when the session ends."""
    from simulator.engine import Conversation

    convo = Conversation(scenario, seed=0)
    turns = []
    for move in moves:
        if convo.ended:
            break
        turns.append(convo.step(reading(move)))
    return convo, turns


def _rule(scenario, turn) -> str:
    if turn.transition is None:
        return "no rule moved the client; rapport fell to the tree's floor"
    index = turn.transition.index
    line = scenario.tree_map.locate(("transitions", index))[0]
    return f"transition {index + 1} ({scenario.tree_path.name}:{line}, to '{turn.transition.dest}')"


def behaviour_checks(scenario) -> list[Problem]:
    persona, pmap = scenario.persona, scenario.persona_map
    found: list[Problem] = []
    convo, turns = play(scenario, LISTENING)
    start = turns[0].rapport_before if turns else convo.rapport
    if turns and not convo.ended and convo.rapport <= start < scenario.tree.rapport.max:
        found.append(diagnostic("PS0060").at(
            pmap, ("id",), f"{len(turns)} turns of skilful listening ({', '.join(LISTENING[:3])}, ...) leave "
            f"{persona.name} at rapport {convo.rapport} (from {start}), in '{convo.state}'"))
    elif turns and convo.ended and convo.ending == "left":
        last = turns[-1]
        found.append(diagnostic("PS0060").at(
            pmap, ("id",), f"{persona.name} leaves at turn {last.number} of skilful listening "
            f"({last.primary.replace('_', ' ')}): {_rule(scenario, last)}"))
    for move in MISSTEPS:
        convo, turns = play(scenario, [move])
        if convo.ended and convo.ending == "left":
            found.append(diagnostic("PS0061").at(
                pmap, ("id",), f"one {move.replace('_', ' ')} on turn 1 ends the session: {_rule(scenario, turns[-1])}"))
    convo, turns = play(scenario, TOWARDS_A_PLAN)
    if convo.ending != "plan" and any(st.ending == "plan" for st in scenario.tree.states.values()):
        outcome = f"{persona.name} left at turn {turns[-1].number}" if convo.ending == "left" else \
            f"the client is in '{convo.state}' at rapport {convo.rapport}"
        found.append(diagnostic("PS0062").at(
            pmap, ("id",), f"{len(TOWARDS_A_PLAN)} turns of listening and collaboration never reach a plan: {outcome}"))
    return found
