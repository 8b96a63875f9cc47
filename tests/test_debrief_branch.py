"""Resume and rewind: the engine rebuilt from the recorded readings, and branches compared."""

import pytest

from simulator.debrief import compare
from simulator.service import branch, resume_conversation
from simulator.engine import Conversation
from simulator.scenario.loader import load_scenario
from simulator.moves.reading import MoveSpan, Reading
from simulator.session import SessionLog, TurnRecord
from simulator.store import Store


def said(move: str, text: str) -> Reading:
    # Readings built by hand, so these tests do not depend on the recogniser's rules.
    return Reading(text, (MoveSpan(move, 0, len(text), "test", 1.0),), move, 1.0, "test")


SCRIPT = [said("greeting", "Hi, thanks for coming in."),
          said("reflection", "It sounds like you didn't choose to be here."),
          said("open_question", "What's it been like since you got home?"),
          said("confidentiality_assurance", "What you tell me stays between us."),
          said("reflection", "So you're trying to stay out of everyone's way."),
          said("affirmation", "You've held on through a lot.")]


def play(readings, seed=5):
    convo = Conversation(load_scenario("marcus"), seed=seed)
    log = SessionLog.start(convo, trainee="Ana")
    snaps = [convo.snapshot()]
    for r in readings:
        log.turns.append(TurnRecord.from_turn(convo.step(r)))
        snaps.append(convo.snapshot())
    return convo, log, snaps


def test_resume_rebuilds_the_exact_engine_state():
    convo, log, _ = play(SCRIPT)
    resumed = resume_conversation(log)
    assert resumed.snapshot() == convo.snapshot()  # state, rapport, beats, decks and the RNG
    nxt = said("reflection", "You're carrying a lot on your own.")
    assert resumed.step(nxt).reply == convo.step(nxt).reply


def test_resume_replays_the_recorded_reading_not_the_text():
    convo, log, _ = play(SCRIPT[:3])
    # The text now reads as advice, but the turn was played (and recorded) as a reflection.
    # (Words that raise none of Marcus's topics: a topic is answered from the words themselves.)
    log.turns[1].trainee = "You should just stop worrying."
    resumed = resume_conversation(log)
    assert (resumed.state, resumed.rapport) == (convo.state, convo.rapport)


def test_resume_after_a_store_round_trip(tmp_path):
    convo, log, _ = play(SCRIPT)
    store = Store(tmp_path)
    store.create_session(log)
    assert resume_conversation(store.load_session(log.id)).snapshot() == convo.snapshot()


@pytest.mark.parametrize("after", [0, 2, 4, 6])
def test_branch_restores_the_point_after_the_turn(after):
    _, log, snaps = play(SCRIPT)
    log.id = "parent1"
    new, engine = branch(log, after)
    assert (new.parent_id, new.branch_turn, new.id) == ("parent1", after, None)
    assert [t.number for t in new.turns] == list(range(1, after + 1))
    assert new.turns == log.turns[:after]
    assert engine.snapshot() == snaps[after]
    assert len(log.turns) == 6  # the original is untouched


def test_branch_rejects_a_turn_that_does_not_exist():
    _, log, _ = play(SCRIPT[:2])
    with pytest.raises(ValueError, match="not in this session"):
        branch(log, 3)


def test_a_retry_is_saved_and_compared(tmp_path):
    # The first attempt goes wrong at turn 3; the retry branches after turn 2 and listens instead.
    _, first, _ = play(SCRIPT[:2] + [said("directive_advice", "You need to get a job."),
                                     said("judgment", "That's on you.")])
    store = Store(tmp_path)
    store.create_session(first)
    retry, engine = branch(store.load_session(first.id), 2)
    store.create_session(retry)
    for r in SCRIPT[2:5]:
        record = TurnRecord.from_turn(engine.step(r))
        retry.turns.append(record)
        store.append_turn(retry.id, record)
    saved = store.load_session(retry.id)
    assert saved.parent_id == first.id and saved.branch_turn == 2 and len(saved.turns) == 5
    assert saved.turns[:2] == first.turns[:2]
    rows = {r.metric: r for r in compare(first, saved)}
    assert rows["advice without permission"].diff == -1
    assert rows["final rapport"].diff == saved.final_rapport - first.final_rapport > 0
    assert rows["overall score"].b > rows["overall score"].a
    assert rows["final state"].a == first.final_state and rows["final state"].diff is None
