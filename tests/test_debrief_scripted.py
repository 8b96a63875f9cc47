"""Scores that follow what happened: the project's scripted trainees, played against every
shipped client, saved and loaded back, score in the order a trainer would give them.

The readings are built by hand (each line with the move a trainer would code it as):
today's recogniser does not read `repair` yet, and the scoring must hold on any honest
log, whatever the recogniser and the trees of the day make of the words."""

from __future__ import annotations

import pytest

from simulator.debrief import debrief
from simulator.engine import Conversation
from simulator.moves import MoveSpan, Reading
from simulator.scenario.loader import load_scenario, shipped_persona_paths
from simulator.session import SessionLog, TurnRecord
from simulator.store import Store

LISTEN = [
    ("reflection", "It sounds like a lot has been landing on you at once."),
    ("open_question", "What's been the hardest part of it?"),
    ("reflection", "So part of you wants things to change, and part of you is tired of trying."),
    ("affirmation", "It took something to come in and say that."),
    ("open_question", "What would make things a bit easier this week?"),
    ("reflection", "You want to do this your own way."),
    ("autonomy_support", "It's your call what happens next."),
    ("summary", "So there's a lot going on, you're tired of being told what to do, and you want a say in it."),
]
ADVICE = ("directive_advice", "You should really get yourself to a meeting this week.")
REPAIR = ("repair", "Sorry, I got ahead of myself there. You know your life best.")
JUDGE = ("judgment", "Honestly, that wasn't a smart choice.")
STORY = ("self_focused_story", "When I was in your spot I did everything wrong for years, and what finally worked "
                               "for me was checking in every single day until I got my life together.")
BREACH = ("confidentiality_breach", "I'll have to let your caseworker know about this.")

SCRIPTS = {
    "listening": LISTEN,
    "apology then listening": [LISTEN[0], ADVICE, REPAIR, *LISTEN[1:7]],
    "one misstep then listening": [LISTEN[0], ADVICE, *LISTEN[1:7]],
    "advice throughout": [LISTEN[0], *[ADVICE] * 7],
    "judging throughout": [LISTEN[0], *[JUDGE] * 7],
    "storytelling throughout": [LISTEN[0], *[STORY] * 7],
    "a breach": [*LISTEN[:4], BREACH, *LISTEN[4:7]],
}
BELOW_MISSTEP = ("advice throughout", "judging throughout", "storytelling throughout", "a breach")


def reading(move: str, text: str) -> Reading:
    return Reading(text, (MoveSpan(move, 0, len(text), "scripted", 1.0),), move, 1.0, "scripted")


def play_and_save(store: Store, persona_path, lines) -> SessionLog:
    convo = Conversation(load_scenario(persona_path), seed=0)
    log = SessionLog.start(convo, mode="replay", trainee="script")
    store.create_session(log)
    for move, text in lines:
        if convo.ended:
            break
        record = TurnRecord.from_turn(convo.step(reading(move, text)))
        log.turns.append(record)
        store.append_turn(log.id, record)
    store.finish_session(log.id)
    return store.load_session(log.id)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("scripted"))
    out = {}
    for path in shipped_persona_paths():
        out[path.stem] = {name: debrief(play_and_save(store, path, lines)).overall for name, lines in SCRIPTS.items()}
    return out


def test_every_client_orders_the_scripted_trainees_as_a_trainer_would(scored):
    for persona, score in scored.items():
        assert score["listening"] > score["apology then listening"] > score["one misstep then listening"], \
            (persona, score)
        for worse in BELOW_MISSTEP:
            assert score["one misstep then listening"] > score[worse], (persona, worse, score)
        assert score["judging throughout"] <= 60, (persona, score)
