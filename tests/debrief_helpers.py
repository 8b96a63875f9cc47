"""Hand-built session logs for the store and debrief tests: every number is known in advance."""

from __future__ import annotations

from simulator.engine import Effect
from simulator.moves.reading import MoveSpan
from simulator.session import SessionLog, TurnRecord

# A small effect table so rapport moves are easy to follow in the tests.
EFFECT = {"reflection": 5, "summary": 6, "open_question": 3, "closed_question": -1, "affirmation": 3, "repair": 3,
          "autonomy_support": 4, "collaboration": 3, "confidentiality_assurance": 4, "greeting": 1,
          "information": 0, "self_disclosure": 1, "other": 0, "self_focused_story": -10,
          "directive_advice": -10, "judgment": -12, "minimizing": -6, "confidentiality_breach": -40}


def spans(*parts: tuple[str, str]) -> tuple[str, list[MoveSpan]]:
    """Join (move, sentence) pairs into a turn's text and its move spans."""
    text, moves = "", []
    for move, sentence in parts:
        if text:
            text += " "
        start = len(text)
        text += sentence
        moves.append(MoveSpan(move, start, len(text), "test", 1.0))
    return text, moves


def make_log(turns: list[dict], opening: str = "Hi.", start_rapport: int = 20, start_state: str = "guarded",
             beats_total: tuple[str, ...] = ("a", "b", "c", "d"), name: str = "Marcus",
             persona_id: str = "marcus", trainee: str = "") -> SessionLog:
    """Each turn spec: parts=[(move, text)...], reply, state (after), beats, effect (override)."""
    log = SessionLog(persona_id=persona_id, persona_name=name, tree_id="guarded", seed=0, opening_line=opening,
                     start_state=start_state, start_rapport=start_rapport, beats_total=list(beats_total),
                     trainee=trainee)
    rapport, state = start_rapport, start_state
    for number, spec in enumerate(turns, start=1):
        text, moves = spans(*spec["parts"])
        distinct = list(dict.fromkeys(m.move for m in moves))
        effects = [Effect(m, EFFECT[m]) for m in distinct]
        if "effect" in spec:
            effects = [Effect(distinct[0], spec["effect"])]
        after = max(0, min(100, rapport + sum(e.delta for e in effects)))
        new_state = spec.get("state", state)
        log.turns.append(TurnRecord(
            number=number, trainee=text, primary=spec.get("primary", moves[0].move), confidence=1.0,
            moves=moves, state_before=state, state_after=new_state, rapport_before=rapport, rapport_after=after,
            effects=effects, reply=spec.get("reply", "Okay."), cue="looks up", beats=list(spec.get("beats", [])),
            transition=None, ended=bool(spec.get("ending")), ending=spec.get("ending"),
            at=f"2026-01-01T10:{number:02d}:00+00:00"))
        rapport, state = after, new_state
    return log
