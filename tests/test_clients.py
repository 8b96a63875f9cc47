"""Clients who react as real people do (issue 13): proportionate reactions, repair, topics,
memory, and a plan the client names.

Most tests use the purpose-built clients in tests/fixtures/clients/ (one easy and one hard
client on each shipped tree), so they test the shipped trees and the engine, not the
persona files, which their writers keep improving. Turns are built from move ids, so the
recogniser of the day does not decide what is tested.
"""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest
import yaml

from simulator.engine import Conversation, ConversationOver
from simulator.moves import MoveSpan, Reading
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario, shipped_persona_paths
from simulator.scenario.schema import OPENNESS_LEVELS
from simulator.session import SessionLog, TurnRecord
from simulator.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "clients"
TREES = ("guarded", "ambivalent", "tangential", "testing")
HARMFUL = ("self_focused_story", "directive_advice", "judgment", "minimizing")
MOST_OPEN = {"guarded": "open", "ambivalent": "leaning", "tangential": "looking_ahead", "testing": "hopeful"}
SCRIPTS = yaml.safe_load((ROOT / "tests" / "fixtures" / "scripted_trainees.yaml").read_text(encoding="utf-8"))


def said(*moves: str, text: str = "") -> Reading:
    """A trainee turn read as exactly these moves, the first being the primary one."""
    text = text or " / ".join(moves)
    spans = tuple(MoveSpan(m, 0, len(text), m) for m in moves)
    return Reading(text, spans, moves[0], 1.0, moves[0])


def client(tree: str, level: str = "easy", seed: int = 0) -> Conversation:
    return Conversation(load_scenario(FIXTURES / f"sam_{tree}_{level}.yaml"), seed=seed)


def play(convo: Conversation, *moves):
    return [convo.step(said(*([m] if isinstance(m, str) else m))) for m in moves]


def openness(convo: Conversation, state: str | None = None) -> int:
    return OPENNESS_LEVELS.index(convo.tree.states[state or convo.state].openness)


# ----------------------------------------------------------------------------- every state says how open it is
@pytest.mark.parametrize("tree", TREES)
def test_every_shipped_state_says_how_open_the_client_is(tree):
    sc = load_scenario(FIXTURES / f"sam_{tree}_easy.yaml")
    assert all(state.openness for state in sc.tree.states.values())
    # The client is most open where a plan can be agreed, and least open where they withdrew.
    assert sc.tree.states[MOST_OPEN[tree]].openness == "open"
    assert sc.tree.states[sc.tree.initial].openness in ("guarded", "closed")
    assert sc.tree.effects.get("repair", 0) > 0


# ----------------------------------------------------------------------------- proportionate reactions
@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("level", ["easy", "hard"])
@pytest.mark.parametrize("misstep", HARMFUL)
@pytest.mark.parametrize("after", [0, 1, 3])
def test_one_misstep_pulls_a_client_back_and_never_out_of_the_door(tree, level, misstep, after):
    convo = client(tree, level)
    play(convo, *["reflection", "open_question", "reflection"][:after])
    before = openness(convo)
    turn = convo.step(said(misstep))
    assert not turn.ended, f"{tree}/{level}: one {misstep} after {after} good turns ended the session"
    assert turn.rapport < turn.rapport_before
    assert openness(convo) <= before


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("level", ["easy", "hard"])
def test_harm_that_goes_on_without_repair_ends_it(tree, level):
    convo = client(tree, level)
    turns = play(convo, "reflection", "self_focused_story", "judgment")
    assert not turns[-1].ended
    turn = convo.step(said("minimizing"))
    assert turn.ended and turn.ending == "left"


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("level", ["easy", "hard"])
def test_unasked_advice_alone_takes_longer_to_drive_a_client_out(tree, level):
    convo = client(tree, level)
    turns = play(convo, "reflection", *["directive_advice"] * 4)
    assert not any(t.ended for t in turns), "four pieces of advice in a row are a bad session, not a walk-out"
    turn = convo.step(said("directive_advice"))
    assert turn.ended and turn.ending == "left"


@pytest.mark.parametrize("tree", TREES)
def test_harm_broken_by_helpful_turns_does_not_end_it(tree):
    # Harmful turns with something helpful between them each pull the client back, but
    # the client stays: it is harm that goes on without repair that drives them out.
    convo = client(tree, "hard")
    turns = play(convo, "directive_advice", "reflection", "directive_advice", "reflection", "judgment",
                 "affirmation", "directive_advice", "reflection", "minimizing")
    assert not any(t.ended for t in turns)


@pytest.mark.parametrize("tree", TREES)
def test_a_breach_still_ends_the_session_at_once(tree):
    convo = client(tree)
    play(convo, "reflection", "open_question", "reflection")
    turn = convo.step(said("confidentiality_breach"))
    assert turn.ended and turn.ending == "left"


def withdrawal_states(convo: Conversation) -> set[str]:
    return {tr.to for tr in convo.tree.transitions
            if set(HARMFUL) & set([tr.move] if isinstance(tr.move, str) else tr.move)
            and not convo.tree.states[tr.to].ending}


@pytest.mark.parametrize("tree", TREES)
def test_a_harder_client_withdraws_further_and_returns_more_slowly(tree):
    def after_misstep(level):
        convo = client(tree, level)
        play(convo, "reflection", "open_question")
        convo.step(said("directive_advice"))
        depth, away = openness(convo), withdrawal_states(convo)
        listening = 0
        while convo.state in away and listening < 30:
            convo.step(said("reflection" if listening % 2 == 0 else "affirmation"))
            listening += 1
        return depth, listening

    easy_depth, easy_turns = after_misstep("easy")
    hard_depth, hard_turns = after_misstep("hard")
    assert hard_depth <= easy_depth
    assert hard_turns > easy_turns
    assert hard_turns < 30, "listening must always be able to win a client back"


# ----------------------------------------------------------------------------- repair
def withdrawn_client(tree: str) -> tuple[Conversation, int]:
    convo = client(tree)
    play(convo, "reflection", "open_question", "reflection")
    # The helper's long story withdraws every tree's client (advice only makes an ambivalent
    # one defend the other side, which a single reflection mends).
    convo.step(said("self_focused_story"))
    return convo, openness(convo)


@pytest.mark.parametrize("tree", TREES)
def test_an_apology_alone_is_not_a_reset(tree):
    convo, depth = withdrawn_client(tree)
    state = convo.state
    for _ in range(3):
        turn = convo.step(said("repair"))
        assert turn.state == state
        assert turn.reply_from[2] == "repair"  # the apology is heard, and answered
    assert openness(convo) == depth


@pytest.mark.parametrize("tree", TREES)
def test_an_apology_then_listening_brings_the_client_back_sooner_than_listening_alone(tree):
    def turns_to_return(first: str) -> int:
        convo, _ = withdrawn_client(tree)
        away = withdrawal_states(convo)
        moves = [first] + ["reflection", "affirmation"] * 10
        for n, move in enumerate(moves, start=1):
            convo.step(said(move))
            if convo.state not in away:
                return n
        raise AssertionError(f"{tree}: never came back")

    assert turns_to_return("repair") < turns_to_return("reflection")


@pytest.mark.parametrize("tree", TREES)
def test_a_repair_after_a_breach_is_heard_but_does_not_undo_it(tree):
    convo = client(tree)
    play(convo, "reflection", "open_question")
    turn = convo.step(said("confidentiality_breach", "repair"))
    assert turn.ended and turn.ending == "left"
    assert turn.reply_from[1:3] == ("left", "repair")
    assert turn.reply in convo.tree.states["left"].replies["repair"]
    with pytest.raises(ConversationOver):
        convo.step(said("repair"))


# ----------------------------------------------------------------------------- a plan the client names
@pytest.mark.parametrize("tree", TREES)
def test_a_plan_needs_a_first_step_the_client_named_and_work_on_it(tree):
    convo = client(tree)
    top = MOST_OPEN[tree]
    convo.restore(_at(convo, top))
    # Asked to plan before they have named a step, the client does not agree a plan.
    convo.revealed = [b for b in convo.revealed if b != "first_step"]
    snap = convo.snapshot()
    turn = convo.step(said("collaboration"))
    assert not (turn.ended and turn.ending == "plan")
    # Once the client names their own step, working on it with them agrees the plan,
    # and the last turns show the step.
    convo.restore(snap)
    turns = []
    while "first_step" not in convo.revealed and len(turns) < 5:
        turns.append(convo.step(said("reflection")))
    assert "first_step" in convo.revealed
    turns.append(convo.step(said("collaboration")))
    assert turns[-1].ended and turns[-1].ending == "plan"
    assert any("Sunday I text Robin" in t.reply for t in turns[-3:])


def _at(convo: Conversation, state: str):
    """A snapshot of this conversation moved to `state` with high rapport, for testing one rule."""
    snap = convo.snapshot()
    snap.state, snap.rapport = state, 90
    snap.counts = {"reflection": 5, "open_question": 3, "summary": 2, "confidentiality_assurance": 1}
    snap.state_history = [convo.tree.initial, state]
    snap.revealed = ["worry"]
    return snap


# ----------------------------------------------------------------------------- topics
def test_a_topic_is_answered_at_the_openness_of_the_clients_state():
    convo = client("guarded")
    # Guarded, and the beat the topic needs not yet told: a guarded answer.
    turn = convo.step(said("open_question", text="How are things at work?"))
    assert turn.topic == "work" and turn.reply == "Work's fine. Busy."
    assert turn.reply_from[0] == "topic"
    convo.restore(_at(convo, "open"))
    turn = convo.step(said("open_question", text="What's your job like these days?"))
    assert turn.topic == "work" and turn.reply.startswith("Work is the one place I feel useful right now.")


def test_a_topic_that_needs_a_beat_stays_guarded_until_it_is_told():
    convo = client("guarded")
    snap = _at(convo, "open")
    snap.revealed = []
    convo.restore(snap)
    turn = convo.step(said("open_question", text="Tell me about your BROTHER."))
    assert turn.topic == "brother" and turn.reply.startswith("I have a brother. We're not close.")
    convo.restore(_at(convo, "open"))  # now 'worry' has been told
    turn = convo.step(said("open_question", text="What's Robin like?"))
    assert turn.topic == "brother" and "I miss Robin" in turn.reply


def test_topic_words_are_whole_words_and_placeholders_are_filled():
    convo = client("guarded")
    assert convo.topic_raised("how's robin doing") .id == "brother"  # ${brother}, any case
    assert convo.topic_raised("what about your family?").id == "brother"
    assert convo.topic_raised("that sounds like homework") is None  # not the word 'work'
    assert convo.topic_raised("your brother, and work").id == "brother"  # the first raised wins


@pytest.mark.parametrize("tree", TREES)
def test_a_safety_question_is_answered_honestly_at_every_level(tree):
    sc = load_scenario(FIXTURES / f"sam_{tree}_easy.yaml")
    safety = next(t for t in sc.persona.topics if t.safety)
    for state, spec in sc.tree.states.items():
        if spec.ending:
            continue
        convo = Conversation(sc)
        snap = _at(convo, state)
        convo.restore(snap)
        turn = convo.step(said("closed_question", text="Are you safe? Any thoughts of suicide?"))
        if turn.ended:
            continue
        assert turn.topic == "safety" and turn.safety_check, f"{tree}/{state}: {turn.reply!r}"
        level = convo.topic_level(safety, turn.state)
        assert turn.reply in safety.replies[level]  # and no story beat is tacked on to it


@pytest.mark.parametrize("tree", TREES)
def test_asking_about_safety_straight_out_never_costs_rapport(tree):
    convo = client(tree)
    before = convo.rapport
    turn = convo.step(said("closed_question", text="Are you safe? Any thoughts of suicide?"))
    assert turn.safety_check and all(e.delta >= 0 for e in turn.effects) and convo.rapport >= before


def test_a_promise_or_an_apology_that_names_a_topic_is_answered_as_itself():
    # "Nothing goes to your brother" is a promise of privacy, not a question about the brother.
    sc = load_scenario(FIXTURES / "sam_guarded_easy.yaml")
    topic = sc.persona.topics[0]
    words = topic.raised_by[0]
    for move in ("confidentiality_assurance", "repair"):
        turn = Conversation(sc).step(said(move, text=f"Nothing about {words} leaves this room."))
        assert turn.topic is None
    asked = Conversation(sc).step(said("open_question", text=f"How are things with {words}?"))
    assert asked.topic == topic.id


def test_a_harmful_turn_is_not_answered_from_a_topic():
    convo = client("guarded")
    turn = convo.step(said("judgment", text="Your brother is right to stay away from you."))
    assert turn.topic is None and not turn.safety_check


def test_the_topic_and_safety_check_are_recorded_and_stored(tmp_path):
    convo = client("guarded")
    log = SessionLog.start(convo)
    turn = convo.step(said("closed_question", text="Are you safe right now?"))
    record = TurnRecord.from_turn(turn)
    assert (record.topic, record.safety_check) == ("safety", True)
    log.turns.append(record)
    store = Store(tmp_path)
    sid = store.create_session(log)
    loaded = store.load_session(sid).turns[0]
    assert (loaded.topic, loaded.safety_check, loaded.not_said) == ("safety", True, "")
    store.close()


def test_the_debrief_names_a_safety_check_as_a_strength():
    from simulator.debrief import debrief

    convo = client("guarded")
    log = SessionLog.start(convo)
    for reading in (said("reflection"), said("closed_question", text="Are you safe?")):
        log.turns.append(TurnRecord.from_turn(convo.step(reading)))
    lines = debrief(log, convo.scenario).feedback
    assert any("turn 2" in line and "safety" in line and "strength" in line for line in lines)


# A version-2 database, as the store made it before topics were recorded.
def test_a_version_2_database_gains_the_topic_columns_with_its_turns_intact(tmp_path):
    from simulator.store import DB_NAME
    from simulator.store.migrations import LATEST, MIGRATIONS, _statements

    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO sessions (id, persona_id, persona_name, tree_id, seed, opening_line, start_state, "
                 "start_rapport, beats_total, mode, started_at) VALUES ('old2', 'marcus', 'Marcus', 'guarded', 3, "
                 "'So.', 'guarded', 20, '[]', 'practice', '2026-01-01T10:00:00+00:00')")
    conn.execute("INSERT INTO turns (session_id, number, trainee, primary_move, confidence, moves, state_before, "
                 "state_after, rapport_before, rapport_after, effects, reply, cue, beats, at, reading_cue) VALUES "
                 "('old2', 1, 'Are you safe?', 'closed_question', 0.9, '[]', 'guarded', 'guarded', 20, 19, '[]', "
                 "'Yeah.', 'looks up', '[]', '2026-01-01T10:01:00+00:00', 'are you')")
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert (store.migrated_from, store.version) == (2, LATEST)
    turn = store.load_session("old2").turns[0]
    assert (turn.trainee, turn.reply, turn.reading_cue) == ("Are you safe?", "Yeah.", "are you")
    assert (turn.topic, turn.safety_check, turn.not_said) == ("", False, "")
    store.close()


# ----------------------------------------------------------------------------- memory
def test_a_reflection_naming_what_the_client_never_said_is_not_rewarded():
    convo = client("guarded")
    convo.step(said("reflection"))
    before_state, before = convo.state, convo.rapport
    turn = convo.step(said("reflection", text="It sounds like work has been getting you down."))
    assert turn.not_said == "work" and turn.topic is None
    assert turn.rapport == before and turn.state == before_state
    assert turn.reply in convo.tree.states[before_state].replies["not_said"]
    # Once the client has spoken of it, the same reflection is listening again.
    convo.step(said("open_question", text="How are things at work?"))
    turn = convo.step(said("reflection", text="It sounds like work has been getting you down."))
    assert turn.not_said is None and turn.rapport > turn.rapport_before


def test_a_testing_client_remembers_an_honest_assurance_and_does_not_ask_again():
    convo = client("testing")
    play(convo, "reflection", "open_question")
    assert convo.state == "testing"
    turn = convo.step(said("confidentiality_assurance"))
    assert turn.state in ("reassured", "trusting")
    # Whatever comes next, the client does not go back to asking where it goes.
    convo.step(said("directive_advice"))
    assert convo.state == "retreating"
    states = [t.state for t in play(convo, "repair", "reflection", "reflection", "affirmation")]
    assert "testing" not in states and "reassured" in states
    assert all("Where does that go" not in t for t in convo.tree.states["reassured"].replies["default"])


def test_judging_a_secret_once_it_is_told_closes_the_door():
    convo = client("testing")
    play(convo, "reflection", "open_question", "confidentiality_assurance", "reflection", "reflection")
    assert convo.state in ("trusting", "unburdening")
    told = len(convo.revealed)
    turn = convo.step(said("judgment"))
    assert turn.state == "shut" and turn.rapport < turn.rapport_before
    assert openness(convo) == 0
    # A single kind word does not reopen it, and nothing more is told for now.
    turn = convo.step(said("reflection"))
    assert turn.state == "shut" and len(convo.revealed) == told


# ----------------------------------------------------------------------------- validation
def write_persona(tmp_path: Path, topics: str) -> Path:
    base = (FIXTURES / "sam_guarded_easy.yaml").read_text(encoding="utf-8")
    text = base[:base.index("topics:")] + "topics:\n" + textwrap.indent(textwrap.dedent(topics).strip("\n"), "  ")
    path = tmp_path / "sam.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("topics, message", [
    ("""- id: safety
  safety: true
  raised_by: ["are you safe"]
  replies: {closed: ["No."], open: ["No, I'm not."]}""", "has no answer when the client is guarded or opening"),
    ("""- id: brother
  raised_by: ["brother"]
  needs_beat: wory
  replies: {guarded: ["Hm."]}""", "unknown beat 'wory'"),
    ("""- id: brother
  raised_by: ["${sister}"]
  replies: {guarded: ["Hm."]}""", "uses '${sister}', which this persona's values do not define"),
    ("""- id: brother
  raised_by: ["brother"]
  replies: {guarded: ["Hm."]}
- id: brother
  raised_by: ["sibling"]
  replies: {guarded: ["Hm."]}""", "the topic id 'brother' is used twice"),
])
def test_topics_are_checked_with_the_line_they_stand_on(tmp_path, topics, message):
    path = write_persona(tmp_path, topics)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert message in text
    assert f"{path}:" in text and ":3:" not in text.split(message)[0][-12:]  # a real line, inside topics:


def test_a_tree_condition_that_cannot_hold_is_refused(tmp_path):
    tree = (ROOT / "dialogue_trees" / "guarded.yaml").read_text(encoding="utf-8")
    tree = tree.replace("harm_run: {at_least: 5, within: 7}", "harm_run: {at_least: 8, within: 7}")
    (tmp_path / "guarded.yaml").write_text(tree, encoding="utf-8")
    persona = (FIXTURES / "sam_guarded_easy.yaml").read_text(encoding="utf-8")
    (tmp_path / "sam.yaml").write_text(persona, encoding="utf-8")
    with pytest.raises(ScenarioError, match="cannot need more harmful turns"):
        load_scenario(tmp_path / "sam.yaml")


# ----------------------------------------------------------------------------- the scripted trainees
def by_moves(moves) -> Reading:
    return said(*([moves] if isinstance(moves, str) else moves))


def final_rapport(path: Path, script: list) -> tuple[int, str | None]:
    convo = Conversation(load_scenario(path), seed=0)
    for moves in script:
        if convo.ended:
            break
        convo.step(by_moves(moves))
    return convo.rapport, convo.ending


def turn_back(path: Path, script: list) -> int:
    """The turn on which the client is out of the state the misstep sent them to."""
    convo = Conversation(load_scenario(path), seed=0)
    away, gone_to = withdrawal_states(convo), None
    for number, moves in enumerate(script, start=1):
        turn = convo.step(by_moves(moves))
        if turn.state in away and gone_to is None:
            gone_to = number
        elif gone_to is not None and turn.state not in away:
            return number
    return len(script) + 1


@pytest.mark.parametrize("path", [*sorted(FIXTURES.glob("*.yaml")), *shipped_persona_paths()], ids=lambda p: p.stem)
def test_scripted_trainees_listening_is_warmest_and_a_breach_lowest(path):
    results = {name: final_rapport(path, script) for name, script in SCRIPTS.items()}
    rapport = {name: r for name, (r, _) in results.items()}
    assert rapport["listening"] == max(rapport.values())
    assert rapport["a breach"] == min(rapport.values())
    assert results["a breach"][1] == "left"
    assert results["one misstep then listening"][1] != "left"
    assert results["apology then listening"][1] != "left"
    assert rapport["apology then listening"] > rapport["one misstep then listening"]
    assert turn_back(path, SCRIPTS["apology then listening"]) <= turn_back(path, SCRIPTS["one misstep then listening"])
    assert results["judging throughout"][1] == "left"
    # Advice between questions is a bad session, and the client ends it closed or gone.
    assert rapport["advice throughout"] < rapport["one misstep then listening"]
    convo = Conversation(load_scenario(path), seed=0)
    for moves in SCRIPTS["advice throughout"]:
        if not convo.ended:
            convo.step(by_moves(moves))
    assert convo.ended or convo.state in withdrawal_states(convo)


def test_on_every_shipped_tree_the_harder_client_takes_longer_to_win_back():
    def turns_back(path: Path) -> int:
        convo = Conversation(load_scenario(path), seed=0)
        play(convo, "reflection", "open_question", "directive_advice")
        away, n = withdrawal_states(convo), 0
        while convo.state in away and n < 30:
            convo.step(said("reflection" if n % 2 == 0 else "affirmation"))
            n += 1
        assert not convo.ended and n < 30
        return n

    rank = {"easy": 0, "medium": 1, "hard": 2}
    by_tree: dict[str, list] = {}
    for path in shipped_persona_paths():
        persona = load_scenario(path).persona
        by_tree.setdefault(persona.tree, []).append((rank[persona.difficulty], turns_back(path), persona.id))
    for tree, group in by_tree.items():
        for a in group:
            for b in group:
                if a[0] < b[0]:
                    assert a[1] < b[1], f"{tree}: {b[2]} is harder than {a[2]} but comes back as fast"


def test_a_beat_id_used_twice_is_refused_at_the_second(tmp_path):
    persona = (ROOT / "personas" / "marcus.yaml").read_text(encoding="utf-8")
    second = persona.index("  - id: ", persona.index("  - id: couch") + 1)
    persona = persona[:second] + "  - id: couch" + persona[persona.index("\n", second):]
    (tmp_path / "marcus.yaml").write_text(persona, encoding="utf-8")      # `tree: guarded`, the shipped one
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "marcus.yaml")
    line = persona[:second].count("\n") + 1
    assert f"marcus.yaml:{line}:" in str(info.value) and "the beat id 'couch' is used twice" in str(info.value)
