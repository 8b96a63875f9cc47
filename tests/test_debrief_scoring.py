"""Every metric of the debrief on hand-built logs whose answers are worked out by hand."""

import dataclasses

import pytest

from debrief_helpers import make_log
from simulator.debrief import debrief
from simulator.debrief.library import examples_for
from simulator.scoring import (
    complex_markers, compute_metrics, lesson_scores, overall_score, state_kind, withdrawal_triggers, words,
)

R, S, OQ, CQ = "reflection", "summary", "open_question", "closed_question"


def test_counts_per_move_count_every_span():
    log = make_log([
        {"parts": [(R, "You're tired."), (R, "It's been a long week.")]},
        {"parts": [(OQ, "What happened?")]},
        {"parts": [(CQ, "Did you sleep?"), (OQ, "How did that feel?")]},
    ])
    assert compute_metrics(log).move_counts == {R: 2, OQ: 2, CQ: 1}


@pytest.mark.parametrize("parts, ratio, band", [
    # 3 reflections + 1 summary against 2 open + 2 closed questions: 4/4 = 1:1, fair.
    ([(R, "a."), (R, "b."), (R, "c."), (S, "d."), (OQ, "e?"), (OQ, "f?"), (CQ, "g?"), (CQ, "h?")], 1.0, "fair"),
    ([(R, "a."), (R, "b."), (R, "c."), (R, "d."), (OQ, "e?"), (CQ, "f?")], 2.0, "good"),
    ([(R, "a."), (R, "b."), (OQ, "c?"), (CQ, "d?"), (OQ, "e?"), (CQ, "f?")], 0.5, "below"),
    ([(R, "a."), (R, "b."), (R, "c."), (R, "d."), (R, "e."), (R, "f."), (OQ, "g?"), (CQ, "h?"), (OQ, "i?"),
      (CQ, "j?")], 1.5, "fair"),
    # Too few to judge: MITI reads a band over a coded segment, not three moves.
    ([(R, "a."), (OQ, "b?"), (CQ, "c?")], 0.5, None),
])
def test_reflection_to_question_ratio_against_miti_bands(parts, ratio, band):
    log = make_log([{"parts": [p]} for p in parts])
    m = compute_metrics(log)
    assert m.rq_ratio == ratio
    assert m.rq_band == band


def test_ratio_without_questions():
    only_reflections = compute_metrics(make_log([{"parts": [(R, "You're tired.")]}] * 6))
    assert only_reflections.rq_ratio is None and only_reflections.rq_band == "good"
    one = compute_metrics(make_log([{"parts": [(R, "You're tired.")]}]))
    assert one.rq_band is None and one.complex_band is None  # one reflection judges nothing
    nothing = compute_metrics(make_log([{"parts": [("greeting", "Hello.")]}]))
    assert nothing.rq_ratio is None and nothing.rq_band is None
    assert nothing.complex_reflection_share is None and nothing.open_question_share is None


def test_complex_reflection_markers():
    # A feeling the client did not name is complex; the client's own feeling word said back is simple.
    assert complex_markers("You're exhausted.", "I'm so tired.") == ["names a feeling (exhausted)"]
    assert complex_markers("You're tired.", "I'm so tired.") == []
    assert complex_markers("Part of you wants to stop, and part of you doesn't.", "") == ["holds both sides"]
    assert complex_markers("Being a good dad matters to you.", "") == ["reflects what matters to them"]
    assert complex_markers("It's like you're carrying a heavy load.", "") == ["uses an image or comparison"]
    assert complex_markers("So you went to work on Monday.", "I went to work on Monday.") == []


def test_the_usual_lead_in_of_a_reflection_is_not_an_image():
    # "It sounds like..." opens most simple reflections; it must not make them complex.
    assert complex_markers("It sounds like you're tired.", "I'm so tired.") == []
    assert complex_markers("It sounds like a lot.", "Work, the kids, my mum.") == []
    assert complex_markers("Seems like you're stuck.", "I'm stuck.") == []
    assert complex_markers("It sounds like you're exhausted.", "I'm so tired.") == ["names a feeling (exhausted)"]
    assert complex_markers("It sounds like it's like a trap.", "") == ["uses an image or comparison"]


def test_a_curly_apostrophe_reads_like_a_straight_one():
    assert words("You’re tired, aren’t you?") == words("You're tired, aren't you?") == ["you're", "tired", "aren't",
                                                                                          "you"]
    assert complex_markers("It’s like you’re carrying a heavy load.", "") == ["uses an image or comparison"]
    assert complex_markers("You’re wondering if it’s worth it.", "") == ["reflects what matters to them"]


def test_complex_reflection_share_and_band():
    log = make_log([
        {"parts": [(R, "You're tired.")], "reply": "Yeah, I'm tired of all of it."},
        {"parts": [(R, "And scared of what comes next.")]},           # complex: an unspoken feeling
        {"parts": [(S, "So: the job, the couch, and your daughter.")]},  # summaries count as complex
        {"parts": [(R, "So you went to work.")]},
        {"parts": [(R, "Part of you wants to call her and part of you doesn't.")]},
    ], opening="I'm tired.")
    m = compute_metrics(log)
    assert (m.reflections, m.complex_reflections) == (5, 3)
    assert m.complex_reflection_share == 0.6 and m.complex_band == "good"
    assert m.complex_turns == [2, 3, 5]


@pytest.mark.parametrize("complex_n, band", [(2, "good"), (1, "below")])
def test_complex_share_fair_threshold(complex_n, band):
    # 2 of 4 = 50% good; 1 of 4 = 25% below. 40% is fair: 2 of 5.
    texts = ["You feel lonely."] * complex_n + ["You went out."] * (4 - complex_n)
    log = make_log([{"parts": [(R, t)]} for t in texts])
    assert compute_metrics(log).complex_band == band
    fair = make_log([{"parts": [(R, t)]} for t in ["You feel lonely."] * 2 + ["You went out."] * 3])
    assert compute_metrics(fair).complex_band == "fair"


def test_open_question_share():
    log = make_log([{"parts": [(OQ, "What?")]}, {"parts": [(OQ, "How?")]}, {"parts": [(OQ, "Why?")]},
                    {"parts": [(CQ, "Did you?")]}])
    assert compute_metrics(log).open_question_share == 0.75


def test_talk_share_counts_words_of_both_sides():
    # Trainee: 3 + 2 = 5 words. Client: opening 3 + replies 4 + 3 = 10 words. Share 5/15.
    log = make_log([{"parts": [(R, "You seem tired.")], "reply": "I am, very tired."},
                    {"parts": [(OQ, "Tell me?")], "reply": "Not much else."}], opening="Hello there, friend.")
    m = compute_metrics(log)
    assert (m.trainee_words, m.client_words) == (5, 10)
    assert m.talk_share_trainee == 0.333


def test_self_focus_index_is_first_person_share_of_personal_pronouns():
    # I, my, I'm = 3 first person; you, your = 2 second person: 3/5.
    log = make_log([{"parts": [("self_focused_story", "I remember my first week, I'm telling you.")]},
                    {"parts": [(OQ, "What about your week?")]}])
    m = compute_metrics(log)
    assert m.self_focus_index == 0.6
    assert m.self_focused_turns == [1]
    assert compute_metrics(make_log([{"parts": [("other", "Okay.")]}])).self_focus_index is None


def test_advice_without_permission():
    log = make_log([
        {"parts": [("collaboration", "Would it be okay if I shared an idea?")]},
        {"parts": [("directive_advice", "You could try the drop-in.")]},            # asked on the turn before
        {"parts": [("directive_advice", "You should call your sister.")]},          # not asked
        {"parts": [("collaboration", "Can I suggest something?"), ("directive_advice", "Try a meeting.")]},
        {"parts": [(OQ, "What do you think?")]},
        {"parts": [("directive_advice", "Stop drinking."), ("collaboration", "Is that okay?")]},  # asked too late
    ])
    m = compute_metrics(log)
    assert m.advice_turns == [3, 6]
    assert m.advice_without_permission == 2
    assert m.mi_non_adherent == 2


def test_beats_time_to_first_reflection_and_rapport_curve():
    log = make_log([
        {"parts": [("greeting", "Hi.")]},                       # 20 -> 21
        {"parts": [(CQ, "Okay?")]},                             # 21 -> 20
        {"parts": [(R, "You're worn out.")], "beats": ["a"]},   # 20 -> 25
        {"parts": [("directive_advice", "You should rest.")]},  # 25 -> 15
        {"parts": [(S, "So, the job and the flat.")], "beats": ["b"]},  # 15 -> 21
    ])
    m = compute_metrics(log)
    assert (m.beats_uncovered, m.beats_total) == (2, 4)
    assert m.time_to_first_reflection == 3
    assert m.rapport_curve == [20, 21, 20, 25, 15, 21]
    assert compute_metrics(make_log([{"parts": [(OQ, "What?")]}])).time_to_first_reflection is None


def test_closed_question_streak():
    log = make_log([{"parts": [(CQ, "a?")]}, {"parts": [(CQ, "b?")]}, {"parts": [(CQ, "c?")]},
                    {"parts": [(CQ, "d?")]}, {"parts": [(R, "e.")]}, {"parts": [(CQ, "f?")]}])
    assert compute_metrics(log).closed_streak_turns == [3, 4]


def test_lesson_scores_on_a_known_log():
    log = make_log([
        {"parts": [(R, "You're exhausted.")]},                       # shows client focus, listening
        {"parts": [(OQ, "What's been hardest?")]},                   # shows client focus, autonomy
        {"parts": [("self_focused_story", "When I was using I lost everything and then I...")]},
        {"parts": [("directive_advice", "You should go to a meeting.")]},
        {"parts": [("confidentiality_assurance", "What you say stays here.")]},
        {"parts": [(R, "You went to work.")]},
    ])
    scores = lesson_scores(log)
    # client focus: 3 showing turns, 1 self-focused story (weight 2): 100 * 3 / 5 = 60
    assert scores["client_focus"].score == 60
    # autonomy: 1 showing (open question), 1 unasked advice (weight 2): 100 * 1 / 3 = 33
    assert scores["autonomy"].score == 33
    assert scores["confidentiality"].score == 100
    # collaboration: nothing shown, the advice breaks it: 0
    assert scores["collaboration"].score == 0
    # active listening: base 100 (2 reflections, no breaks); R:Q 2:1 good (100); 1 of 2 complex = 50% good (100)
    assert scores["active_listening"].score == 100
    assert overall_score(scores) == round((60 + 33 + 100 + 0 + 100) / 5)


def test_a_lesson_not_practised_is_neutral_and_left_out_of_overall():
    log = make_log([{"parts": [(R, "You feel lonely.")]}])
    scores = lesson_scores(log)
    assert scores["confidentiality"].score == 50 and not scores["confidentiality"].practised
    assert scores["autonomy"].why == "not practised in this session"
    # client focus 100, active listening: base 100, R:Q good (100), 100% complex (100): 100.
    assert overall_score(scores) == 100


def test_breach_weighs_more_and_minimizing_breaks_listening():
    log = make_log([{"parts": [("confidentiality_assurance", "It stays here.")]},
                    {"parts": [("confidentiality_breach", "I'll tell your PO.")]},
                    {"parts": [(R, "You're tired.")]},
                    {"parts": [("minimizing", "At least you have a job.")]}])
    scores = lesson_scores(log)
    assert scores["confidentiality"].score == 20  # 100 * 1 / (1 + 4)
    # listening base: 1 / (1 + 2) = 33; one reflection is too few for a MITI band, so the base stands.
    assert scores["active_listening"].score == 33


def test_strongest_weakest_and_a_better_reply_from_the_library():
    log = make_log([
        {"parts": [("greeting", "Hi.")]},
        {"parts": [(R, "You're not sure you want to be here.")]},
        {"parts": [(S, "So: the couch, the job hunt, and the waiting.")]},
        {"parts": [("directive_advice", "You need to get a job.")], "state": "withdrawn"},
        {"parts": [(CQ, "Okay?")]},
    ])
    d = debrief(log)
    assert d.strongest.number == 3 and d.strongest.effect == 6
    assert d.weakest.number == 4 and d.weakest.delta == -10
    # Advice to a guarded client: the library says leave the choice with them.
    assert d.better_move == "autonomy_support"
    # Marcus's own example lines come first, then the library's: the reply is one that fits him.
    from simulator.scenario.loader import load_scenario

    own = load_scenario("marcus").persona.examples.get("autonomy_support", [])
    assert d.better_reply in own + examples_for("autonomy_support", "guarded")
    assert debrief(log).better_reply == d.better_reply  # deterministic
    weak_line = next(f for f in d.feedback if f.startswith("At turn 4"))
    assert "You need to get a job." in weak_line and d.better_reply in weak_line


def test_no_weakest_turn_when_nothing_went_wrong():
    d = debrief(make_log([{"parts": [(R, "You feel alone.")]}, {"parts": [(OQ, "What helps?")]}]))
    assert d.weakest is None and d.better_reply is None
    assert d.strongest.number == 1


def test_withdrawal_triggers_and_state_kinds():
    log = make_log([
        {"parts": [(R, "You're tired.")]},
        {"parts": [("judgment", "That was irresponsible.")]},
        {"parts": [(CQ, "Right?")], "state": "withdrawn"},
        {"parts": [("directive_advice", "Just stop."), ("judgment", "Grow up.")]},
    ])
    assert withdrawal_triggers(log) == {"judgment": 2, "closed_question": 1, "directive_advice": 1}
    assert [state_kind(s) for s in ("guarded", "withdrawn", "shut_down", "torn", "warming", "plan_agreed",
                                    "xyz")] == ["guarded", "withdrawn", "withdrawn", "ambivalent", "opening",
                                                "opening", "default"]


def test_turn_notes_say_what_was_read_and_its_effect():
    log = make_log([{"parts": [(R, "You're worn out.")], "state": "warming", "beats": ["a"]}])
    note = debrief(log).turn_notes[0]
    assert note.why == "Read as reflection; rapport 20 → 25 (+5). Marcus moved from guarded to warming. " \
                       "Marcus told you: a."


def test_feedback_is_about_moves_and_mentions_the_numbers():
    log = make_log([{"parts": [(CQ, "Are you okay?")]}, {"parts": [(CQ, "Sleeping?")]},
                    {"parts": [(CQ, "Eating?")]}, {"parts": [(R, "You went out.")]}])
    lines = debrief(log).feedback
    text = " ".join(lines)
    assert "1 reflection and asked 3 questions: too few to judge the ratio" in text
    assert "closed questions came in a row" in text
    assert "The first reflection came at turn 4" in text
    for line in lines:
        assert "you are" not in line.lower()  # about the move, never the person


def test_empty_log():
    d = debrief(make_log([]))
    assert d.overall == 50 and d.strongest is None and d.weakest is None
    assert d.metrics.rapport_curve == [20]


# ----------------------------------------------------------------------------- one truth per turn
def _unsure(log, turn: int, span: int, confidence: float = 0.3):
    """Make one span of a turn a low-confidence secondary reading (it does not act)."""
    moves = log.turns[turn].moves
    moves[span] = dataclasses.replace(moves[span], confidence=confidence)
    return log


def test_a_span_that_did_not_act_is_never_counted_only_mentioned():
    log = make_log([{"parts": [(R, "You're worn out."), ("directive_advice", "Get some sleep.")]},
                    {"parts": [(OQ, "What helps?")]}])
    _unsure(log, 0, 1)
    m = compute_metrics(log)
    assert m.move_counts == {R: 1, OQ: 1}
    assert m.advice_turns == [] and m.mi_non_adherent == 0
    assert lesson_scores(log)["autonomy"].broken == 0
    d = debrief(log)
    assert d.turn_notes[0].moves == [R]
    assert "Also heard, not counted: directive advice." in d.turn_notes[0].why
    assert not any("Advice came without asking" in line for line in d.feedback)


def test_fillers_said_as_questions_are_not_questions():
    log = make_log([{"parts": [(R, "So it's been a rough week."), (CQ, "you know?")]},
                    {"parts": [(R, "And nobody asked you."), (CQ, "Right?")]},
                    {"parts": [(CQ, "Did you sleep?")]}])
    m = compute_metrics(log)
    assert m.questions == 1 and m.move_counts[CQ] == 1


def test_texting_you_counts_as_second_person():
    log = make_log([{"parts": [(R, "sounds like ur exhausted and u need a break for urself")]}])
    assert compute_metrics(log).self_focus_index == 0.0
    mixed = make_log([{"parts": [(R, "im hearing that u feel alone")]}])
    assert compute_metrics(mixed).self_focus_index == 0.5


def test_a_repaired_misstep_weighs_half_and_says_so():
    base = [{"parts": [(OQ, "What's been going on?")]},
            {"parts": [("directive_advice", "You should call her.")], "state": "withdrawn"}]
    after = [{"parts": [(OQ, "What matters most to you?")], "state": "warming"}]
    plain = lesson_scores(make_log(base + after))
    repaired_log = make_log(base + [{"parts": [("repair", "Sorry, I got ahead of myself.")]}] + after)
    repaired = lesson_scores(repaired_log)
    # autonomy: two open questions against one misstep: 2 / (2 + 2) = 50, repaired 2 / (2 + 1) = 67.
    assert plain["autonomy"].score == 50 and repaired["autonomy"].score == 67
    assert repaired["autonomy"].repaired == [2] and "repaired at turn 3" in repaired["autonomy"].why
    # Owning a misstep is the lesson "it's not about you".
    assert repaired["client_focus"].shown == plain["client_focus"].shown + 1
    note = debrief(repaired_log).turn_notes[1]
    assert "Repaired at turn 3." in note.why


def test_a_repair_does_not_undo_a_breach():
    log = make_log([{"parts": [("confidentiality_assurance", "It stays here.")]},
                    {"parts": [("confidentiality_breach", "I'll tell your PO.")]},
                    {"parts": [("repair", "Sorry, that was wrong of me.")]}])
    assert lesson_scores(log)["confidentiality"].repaired == []
    assert debrief(log).overall <= 40


def test_a_misstep_the_client_left_over_caps_its_lesson_and_the_session():
    log = make_log([{"parts": [(R, "You're worn out.")]}, {"parts": [(OQ, "What happened?")]},
                    {"parts": [(OQ, "What would help?")]},
                    {"parts": [("directive_advice", "You need to quit.")], "state": "left", "ending": "left"}])
    scores = lesson_scores(log)
    assert scores["autonomy"].score == 20 and "left" in scores["autonomy"].capped
    d = debrief(log)
    assert d.overall <= 40 and d.lessons["client_focus"] == 100
    assert any("held at 40" in line for line in d.feedback)


def test_a_client_who_pulled_back_and_stayed_back_caps_the_lesson():
    log = make_log([{"parts": [(OQ, "What's up?")]}, {"parts": [(OQ, "And then?")]},
                    {"parts": [(OQ, "How was it?")]},
                    {"parts": [("judgment", "That was selfish.")], "state": "withdrawn"},
                    {"parts": [(CQ, "Okay, and work?")]}])
    assert lesson_scores(log)["autonomy"].score == 50  # 3 / (3 + 2) = 60, capped


def test_a_judging_session_never_scores_above_60():
    turns = [{"parts": [(R, f"You feel {w}.")]} for w in ("alone", "tired", "stuck", "lost", "torn")]
    log = make_log(turns + [{"parts": [("judgment", "Lying like that isn't okay.")]}])
    assert debrief(log).overall <= 60


def test_cheerleading_is_never_the_strongest_turn():
    log = make_log([{"parts": [("minimizing", "You're going to do amazing, I just know it!")], "effect": 8},
                    {"parts": [(R, "You're not sure it'll work.")]}])
    assert debrief(log).strongest.number == 2


def test_a_plan_agreed_counts_for_collaboration():
    log = make_log([{"parts": [(R, "You want a fresh start.")]},
                    {"parts": [(OQ, "What's a first step?")], "ending": "plan", "state": "plan_agreed"}])
    assert lesson_scores(log)["collaboration"].practised and lesson_scores(log)["collaboration"].score == 100


# ----------------------------------------------------------------------------- better replies that fit
@pytest.fixture
def client_with_examples():
    """A client of our own: Marcus's file, with examples of his own and no sister."""
    from simulator.scenario.loader import load_scenario

    persona = load_scenario("marcus").persona
    return persona.model_copy(update={
        "values": {"daughter": "Kayla", "cousin": "Andre"},
        "examples": {"autonomy_support": ["It's your call whether you ring ${cousin} tonight."],
                     "directive_advice": ["You need to move off ${cousin}'s couch.", "Call ${sister} today."]}})


def test_a_clients_own_examples_come_first_filled_from_their_values(client_with_examples):
    from simulator.debrief.library import fitting_lines

    lines = fitting_lines("autonomy_support", "guarded", client_with_examples, said="Andre's been good to me.")
    assert lines[0] == "It's your call whether you ring Andre tonight."
    assert set(examples_for("autonomy_support", "guarded")) <= set(lines)


def test_a_helpful_line_gives_back_only_what_the_client_has_said(client_with_examples):
    from simulator.debrief.library import fitting_lines

    before = fitting_lines("reflection", "default", client_with_examples, said="I'm not sure why I'm here.")
    after = fitting_lines("reflection", "default", client_with_examples, said="I just want to see Kayla.")
    assert not any("Kayla" in line for line in before)
    assert "It sounds like Kayla is on your mind a lot." in after
    assert not any("${" in line or "sister" in line for line in after)  # Marcus has no sister value


def test_harmful_examples_name_only_people_in_this_clients_life(client_with_examples):
    from simulator.debrief.library import fitting_lines

    assert fitting_lines("directive_advice", "default", client_with_examples, said="") [:1] == \
        ["You need to move off Andre's couch."]
    assert not any("${" in line for line in fitting_lines("directive_advice", "default", client_with_examples))


def test_no_better_reply_is_offered_when_nothing_fits(monkeypatch, client_with_examples):
    from simulator.debrief import library

    monkeypatch.setattr(library, "examples_for", lambda move, kind: ["So ${sister} let you down."])
    # A client with no example lines of their own (the shipped ones all have some).
    log = make_log([{"parts": [("judgment", "That was selfish.")], "state": "withdrawn"}], persona_id="nobody")
    d = debrief(log)
    assert d.weakest.number == 1 and d.better_reply is None and d.better_move is None
    assert not any("for example" in line for line in d.feedback)
