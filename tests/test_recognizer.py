"""The move recogniser reads trainee turns the way a trainer would, and says why.

Each hard pair from issue 3 is checked with several phrasings, in careful English and
in texting style, and the evidence shown to the trainee must name the cue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.moves import MOVES, explain, recognize
from simulator.moves.model import default_model
from simulator.moves.recognizer import PRIMARY_ORDER, Recognizer
from simulator.moves import rules
from simulator.moves.rules import LexiconError, load_lexicon
from simulator.moves.taxonomy import MOVE_IDS

CORPUS = Path(__file__).resolve().parent.parent / "tools" / "corpus" / "moves.jsonl"


def moves_of(text: str) -> list[str]:
    return [m.move for m in recognize(text).moves]


def span_of(text: str, move: str):
    spans = [m for m in recognize(text).moves if m.move == move]
    assert spans, f"{text!r}: {move} not read; got {moves_of(text)}"
    return spans[0]


# ------------------------------------------------------------------ hard pairs
@pytest.mark.parametrize("text", ["so you feel stuck", "So you're tired of it.", "sounds like you're stuck",
                                  "you feel like nobody listens", "sounsd like ur exhausted"])
def test_a_statement_about_the_client_is_a_reflection(text):
    assert recognize(text).primary == "reflection"


# Issue 11 changed this hard pair: a reflective statement said with a rising tone gives the
# client's words back (expert coders code it as a reflection); a yes/no question that opens
# with an auxiliary, or asks about facts, is still a closed question.
@pytest.mark.parametrize("text", ["you feel stuck?", "You're tired of it?", "So you're stuck?",
                                  "So you feel he doesn't listen?", "so ur saying u just want him to listen?",
                                  "sounds like you've had enough?", "part of you wants to go back?"])
def test_a_reflection_said_as_a_question_is_a_reflection(text):
    reading = recognize(text)
    assert reading.primary == "reflection"
    assert "closed_question" not in moves_of(text)


@pytest.mark.parametrize("text", ["do you feel stuck", "r u tired of it", "Did you take your meds?",
                                  "is he still living there?", "Has your GP talked with you about it?"])
def test_a_yes_no_question_about_facts_is_a_closed_question(text):
    reading = recognize(text)
    assert reading.primary == "closed_question"
    assert "reflection" not in moves_of(text)


# Word order tells them apart (docs/labelling.md, "A rising tone does not make a question"):
# statement order with a "?" gives the client's words back; question order asks.
@pytest.mark.parametrize("reflection,question", [
    ("He hasn't called since?", "Has he called since?"),
    ("your mum doesn't know?", "does ur mum know?"),
    ("And nobody at work knows?", "Does anybody at work know?"),
    ("So, um, it's been, like, weeks?", "Has it been weeks?"),
    ("Mm, so the move felt like a fresh start at first?", "Did the move feel like a fresh start at first?"),
    ("so ur mums been on at u again?", "is ur mum on at u again?"),
    ("you two haven't spoken since christmas?", "Have you two spoken since Christmas?"),
    ("Torn between the two?", "Are you torn between the two?"),
    ("You went back to the housing office on Friday?", "Did you go back to the housing office on Friday?"),
    ("so u told ur sister about the loan?", "did u tell ur sister about the loan?"),
    ("So you, um, you moved out in the spring?", "Have you moved out yet?"),
])
def test_word_order_tells_a_rising_reflection_from_a_question(reflection, question):
    assert recognize(reflection).primary == "reflection"
    assert "closed_question" not in moves_of(reflection)
    assert recognize(question).primary == "closed_question"


@pytest.mark.parametrize("text", ["you okay?", "u ok?", "that alright?", "you there?"])
def test_a_short_check_in_in_statement_order_still_asks(text):
    assert recognize(text).primary == "closed_question"


# People leave the auxiliary off a question ("(do) you need anything?"): it still asks,
# though its first words could open a reflection ("you need him to hear you?").
@pytest.mark.parametrize("text,move", [
    ("you need anything?", "closed_question"), ("u got somewhere to stay tonight?", "closed_question"),
    ("You think that'll help?", "closed_question"), ("you reckon she'd come with you?", "closed_question"),
    ("you want to talk about it?", "open_question"), ("u wanna tell me what happened?", "open_question"),
    ("you need him to hear you?", "reflection"), ("So you want her to notice?", "reflection"),
])
def test_a_question_with_its_auxiliary_left_off_still_asks(text, move):
    assert recognize(text).primary == move


@pytest.mark.parametrize("text", ["Can you tell me more about that?", "could u say a bit more about what happened",
                                  "Would you be up for telling me what that was like?",
                                  "Can you, um, walk me through the night it happened?",
                                  "Do you want to tell me what happened?", "And then?"])
def test_an_invitation_worded_as_a_yes_no_question_is_open(text):
    assert recognize(text).primary == "open_question"


@pytest.mark.parametrize("text", ["Could you get to the clinic on Tuesday?", "Could you tell your sister?"])
def test_a_could_question_about_an_arrangement_stays_closed(text):
    assert recognize(text).primary == "closed_question"


@pytest.mark.parametrize("text,move", [
    ("That sounds really hard.", "affirmation"), ("oof that sounds brutal", "affirmation"),
    ("That must be so hard.", "affirmation"), ("That's so unfair.", "affirmation"),
    ("No wonder you're exhausted.", "affirmation"),
    ("It sounds like you're exhausted.", "reflection"), ("You must miss her.", "reflection"),
])
def test_validating_the_weight_of_it_is_affirmation_and_guessing_a_feeling_is_reflection(text, move):
    assert recognize(text).primary == move


@pytest.mark.parametrize("text,move", [
    # Naming the feeling the helper hears is a reflection ...
    ("I can tell you're really anxious about this.", "reflection"), ("i can tell ur really hurting", "reflection"),
    ("I can sense you're frustrated with him.", "reflection"), ("I can tell how much this is weighing on you.", "reflection"),
    # ... praise after "it sounds like" is still praise, and "you are welcome" is a courtesy.
    ("It sounds like you're a really caring dad.", "affirmation"), ("sounds like ur on the right track", "affirmation"),
    ("You are welcome.", "greeting"), ("you are so welcome, take care", "greeting"),
])
def test_what_the_helper_can_tell_and_praise_after_sounds_like(text, move):
    assert recognize(text).primary == move


def test_a_verdict_after_naming_a_feeling_still_acts():
    reading = recognize("I can see you're upset, but you brought a lot of this on yourself.")
    assert "judgment" in {m.move for m in reading.acting}


def test_the_question_mark_is_named_as_the_evidence():
    assert explain(span_of("the ten o'clock bus?", "closed_question")) == \
        "read as closed question because it ends with a question mark"


def test_a_rising_reflection_names_its_stem_and_the_rising_tone():
    assert explain(span_of("you feel stuck?", "reflection")).startswith("read as reflection because of 'you feel")


@pytest.mark.parametrize("text", ["you feel you should quit", "You're wondering whether you should call her.",
                                  "part of you thinks you should leave", "u feel like u should stop drinking",
                                  "You think you ought to go back, and that feels like a lot."])
def test_a_reflected_should_is_not_advice(text):
    assert "directive_advice" not in moves_of(text)
    assert recognize(text).primary == "reflection"


@pytest.mark.parametrize("text,cue", [("you should quit", "you should"), ("u shoud just quit", "you should"),
                                      ("You need to get a job.", "you need to"),
                                      ("Why don't you just call your sister?", "why don't you"),
                                      ("If I were you I'd leave him.", "if i were you")])
def test_advice_is_read_with_its_cue(text, cue):
    span = span_of(text, "directive_advice")
    assert recognize(text).primary == "directive_advice"
    assert cue in span.cue
    assert f"'{cue}" in explain(span) and explain(span).startswith("read as directive advice because of")


def test_a_brief_disclosure_that_hands_back_is_not_a_story():
    for text in ["I've been there too. What's it like for you?", "i been there myself hows it for u",
                 "I know that feeling. How are you holding up?", "I had a rough first year too. What's yours been like?"]:
        got = moves_of(text)
        assert "self_disclosure" in got and "self_focused_story" not in got, (text, got)
        # The client answers the question: by the primary policy the question leads.
        assert recognize(text).primary in ("open_question", "closed_question")


STORIES = [
    "When I got out I was exactly like you. I remember my first week, I didn't know anyone, my family wouldn't "
    "talk to me, and I had to find a job and a place to live and I just kept going to meetings every single day "
    "until it got better for me.",
    "When I was using I lost everything. I lost my apartment, my kids, my car. I remember sleeping in the park "
    "for a month and my sister wouldn't even pick up the phone, and it took me four years to get back on my feet.",
    "ok so when i was in your shoes i did the whole thing, detox, the halfway house, the job at the warehouse, "
    "and i hated every minute but i stuck it out and now look at me, i run groups",
]


@pytest.mark.parametrize("text", STORIES)
def test_a_story_that_keeps_the_spotlight_on_the_helper_is_read_as_one(text):
    reading = recognize(text)
    assert reading.primary == "self_focused_story"
    assert "your own story" in explain(reading.moves[0])


@pytest.mark.parametrize("text,cue", [("It's your call.", "it's your call"), ("its up to u", "it's up to you"),
                                      ("Whatever you decide, I'm here.", "whatever you decide"),
                                      ("You don't have to go if it doesn't feel right.", "you don't have to")])
def test_autonomy_support_is_not_advice(text, cue):
    reading = recognize(text)
    assert reading.primary == "autonomy_support"
    assert "directive_advice" not in moves_of(text)
    assert cue in reading.cue


@pytest.mark.parametrize("text", ["you have to go to a meeting", "You gotta go to a meeting", "You must call her."])
def test_have_to_is_advice(text):
    assert recognize(text).primary == "directive_advice"


@pytest.mark.parametrize("text,cue", [("At least you still have your job.", "at least"),
                                      ("Everything happens for a reason.", "everything happens for a reason"),
                                      ("cheer up lol", "cheer up"), ("look on the bright side", "look on the bright side"),
                                      ("Don't worry, it'll all work out.", "don't worry")])
def test_reassurance_that_minimizes(text, cue):
    reading = recognize(text)
    assert reading.primary == "minimizing"
    assert cue in reading.cue


@pytest.mark.parametrize("text", ["This stays between us.", "what you say here is private",
                                  "I won't tell your PO.", "Nothing you say goes to your caseworker.",
                                  "i'm not telling anyone"])
def test_confidentiality_assurance(text):
    assert recognize(text).primary == "confidentiality_assurance"
    assert "confidentiality_breach" not in moves_of(text)


@pytest.mark.parametrize("text,cue", [("I'll have to let your PO know.", "i'll have to let your po"),
                                      ("im gonna tell ur caseworker", "tell your caseworker"),
                                      ("I have to report this to your probation officer.", "report this"),
                                      ("I already told your mom.", "told your mom")])
def test_confidentiality_breach(text, cue):
    reading = recognize(text)
    assert reading.primary == "confidentiality_breach"
    assert cue in reading.cue


@pytest.mark.parametrize("text,not_move", [("I'm not going to tell you what to do.", "directive_advice"),
                                           ("im not gonna tell u what to do", "directive_advice"),
                                           ("I won't tell you to cheer up.", "minimizing"),
                                           ("That's not your fault.", "judgment"),
                                           ("You're not stupid.", "judgment")])
def test_negation_turns_a_cue_around(text, not_move):
    assert not_move not in moves_of(text)


def test_negated_advice_reads_as_autonomy_support_and_names_the_phrase():
    reading = recognize("I'm not going to tell you what to do.")
    assert reading.primary == "autonomy_support"
    assert "not going to tell you" in reading.cue


# ------------------------------------------------------------------ segmentation and primary
def test_a_turn_holds_several_moves_in_order_with_spans_into_the_text():
    text = "That sounds exhausting. What keeps you going?"
    reading = recognize(text)
    assert [m.move for m in reading.moves] == ["affirmation", "open_question"]
    assert [text[m.start:m.end] for m in reading.moves] == ["That sounds exhausting.", "What keeps you going?"]
    assert reading.primary == "open_question"


def test_texting_without_punctuation_is_still_split_into_its_moves():
    assert moves_of("thats so hard what keeps u going")[-1] == "open_question"
    assert moves_of("You are tired of it, you should quit") == ["reflection", "directive_advice"]


def test_harm_is_heard_over_listening_in_the_primary_move():
    assert recognize("That sounds hard. You should call her.").primary == "directive_advice"
    assert recognize("I hear you. I'll have to tell your PO though.").primary == "confidentiality_breach"


def test_primary_order_covers_every_move_once():
    assert sorted(PRIMARY_ORDER) == sorted(MOVE_IDS)


# ------------------------------------------------------------------ confidence and abstention
def test_nothing_said_is_unclear_and_holds_no_move():
    for text in ["", "   ", "?!", "..."]:
        reading = recognize(text)
        assert reading.moves == () and reading.unclear and reading.primary == "other"


def test_other_is_a_confident_answer_not_a_dump():
    reading = recognize("Okay.")
    assert reading.primary == "other" and not reading.unclear


@pytest.mark.parametrize("text", ["hmm the thing with your sister", "so the job", "I guess maybe"])
def test_a_vague_turn_is_marked_unclear(text):
    reading = recognize(text)
    assert reading.unclear and reading.confidence < 0.5


def test_clear_turns_are_not_unclear():
    for text in ["What's that been like for you?", "You should quit.", "It's your call."]:
        assert not recognize(text).unclear


# ------------------------------------------------------------------ every move, evidence, interface
@pytest.mark.parametrize("move", MOVE_IDS)
def test_every_move_of_the_taxonomy_is_read_from_its_example(move):
    assert move in moves_of(MOVES[move].example)


def test_the_model_evidence_is_phrased_as_words_from_the_turn():
    reading = recognize("Being back home is harder than you thought.")
    span = reading.moves[0]
    if span.source == "model":
        words = [w.strip() for w in span.cue.split(",")]
        assert words and all(w == "?" or w in "being back home is harder than you thought" for w in words)
        assert explain(span).startswith(f"read as {span.move.replace('_', ' ')} because of '")


def test_reading_is_deterministic_and_keeps_its_dict_shape():
    a = recognize("so u feel stuck. what would help?").to_dict()
    b = recognize("so u feel stuck. what would help?").to_dict()
    assert a == b
    assert set(a) == {"text", "primary", "moves", "confidence", "cue", "unclear", "asks", "options"}
    assert all("acts" in m and "source" in m for m in a["moves"])
    assert set(a["moves"][0]) == {"move", "start", "end", "cue", "confidence", "source", "acts"}


def test_rules_alone_still_read_turns_when_the_model_is_absent():
    rules_only = Recognizer(model=None)
    assert rules_only.recognize("You should quit.").primary == "directive_advice"
    assert rules_only.recognize("What's it like for you?").primary == "open_question"


def test_the_shipped_model_knows_every_move():
    model = default_model()
    assert model is not None and sorted(model.classes) == sorted(MOVE_IDS)


# ------------------------------------------------------------------ trainer's lexicon
SITE_RULE = 'rules:\n  - {move: collaboration, weight: 0.95, pattern: "\\\\bwarm hand-?off\\\\b"}\n'


def test_a_site_lexicon_adds_a_rule_through_the_environment(tmp_path, monkeypatch):
    site = tmp_path / "site.yaml"
    site.write_text(SITE_RULE, encoding="utf-8")
    text = "I can do a warm handoff to the housing worker."
    assert Recognizer().recognize(text).cue != "warm handoff"
    monkeypatch.setenv("PEERSIM_LEXICON", str(site))
    reading = Recognizer(lexicon=load_lexicon()).recognize(text)
    assert reading.primary == "collaboration" and reading.cue == "warm handoff"


def test_a_site_lexicon_can_be_passed_directly(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(SITE_RULE, encoding="utf-8")
    lexicon = load_lexicon(site, use_env=False)
    assert str(site) in lexicon.files
    assert Recognizer(lexicon=lexicon).recognize("warm hand-off?").moves[0].move == "collaboration"


def test_a_site_rule_too_loose_to_index_is_still_tried_on_a_piece_with_no_key_words(tmp_path):
    # A pattern that can begin anywhere has no key words, so it is tried on every piece,
    # even one that holds none of the other rules' keys (an empty set of key grams).
    site = tmp_path / "site.yaml"
    site.write_text('rules:\n  - {move: judgment, weight: 0.9, pattern: "^\\\\w+ \\\\w+ \\\\w+$"}\n', encoding="utf-8")
    lexicon = load_lexicon(site, use_env=False)
    assert any(rule.keys is None for rule in lexicon.rules)
    piece = "zzz qqq xxx"
    assert lexicon.key_grams(piece) == set()
    assert rules.read(piece, lexicon, set(), lexicon.key_grams(piece)).move == "judgment"
    assert Recognizer(lexicon=lexicon).recognize(piece).moves


@pytest.mark.parametrize("body,message", [
    ('rules:\n  - {move: advise, pattern: "x"}\n', "unknown move 'advise'"),
    ('rules:\n  - {move: judgment, pattern: "(unclosed"}\n', "rule 1 has a broken pattern"),
    ('rules:\n  - {move: judgment, pattern: "x", weight: 3}\n', "weight between 0 and 1"),
    ("- just a list\n", "a lexicon is a mapping"),
    ('rules:\n  - {move: directive_advice, pattern: "x", question: maybe}\n', "`question` is true or false"),
])
def test_a_broken_site_lexicon_names_the_file_and_the_rule(tmp_path, body, message):
    site = tmp_path / "broken.yaml"
    site.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(site, use_env=False)
    assert str(site) in str(info.value) and message in str(info.value)


def test_a_site_rule_for_advice_asked_as_a_question_holds_in_a_question(tmp_path):
    # Plain advice words in a question ask ("should you tell her?"); a trainer marks a rule
    # that is itself a question of advice with `question: true`.
    text = "Have you had a go at the breathing app?"
    plain = 'rules:\n  - {move: directive_advice, weight: 0.95, pattern: "\\\\bhad a go at\\\\b"}\n'
    marked = 'rules:\n  - {move: directive_advice, question: true, weight: 0.95, pattern: "\\\\bhad a go at\\\\b"}\n'
    readings = []
    for name, body in (("plain.yaml", plain), ("marked.yaml", marked)):
        site = tmp_path / name
        site.write_text(body, encoding="utf-8")
        readings.append(Recognizer(lexicon=load_lexicon(site, use_env=False)).recognize(text))
    assert "directive_advice" not in {m.move for m in readings[0].acting}
    assert "directive_advice" in {m.move for m in readings[1].acting}, readings[1].to_dict()
    assert readings[1].cue == "had a go at"


# ------------------------------------------------------------------ the corpus
def test_the_corpus_is_large_varied_and_split_once():
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 2000
    assert {r["label"] for r in rows} == set(MOVE_IDS)
    for split in ("train", "test"):
        assert {r["label"] for r in rows if r["split"] == split} == set(MOVE_IDS), split
    texts = [r["text"].lower() for r in rows]
    assert len(set(texts)) == len(texts)
    # Held out by template: no template feeds both splits.
    template_splits: dict[str, set] = {}
    for r in rows:
        template_splits.setdefault(":".join(r["source"].split(":")[:3]), set()).add(r["split"])
    assert all(len(s) == 1 for s in template_splits.values())


def test_the_pre_read_shipped_lexicon_is_fresh():
    # lexicon.cache.json lets the first reading start fast; after editing lexicon.yaml run
    # `python -m simulator.moves.rules` (training does it too) so it matches again.
    from simulator.moves import rules

    text = rules.LEXICON.read_text(encoding="utf-8")
    cached = rules._from_cache(text)
    assert cached is not None, "lexicon.cache.json is stale: run python -m simulator.moves.rules"
    fresh = rules._yaml_load(text)
    assert [r.source for r in cached[0]] == [e["pattern"] for e in fresh["rules"]]


def test_an_unsure_reading_says_so_in_its_explanation():
    reading = recognize("hmm the thing with your sister")
    assert reading.unclear
    assert explain(reading.moves[0]).endswith("(not sure)")


def test_reading_turns_needs_no_numpy(tmp_path):
    # numpy is only for training (the `train` extra); an installed app must read without it.
    import subprocess
    import sys

    code = ("import sys\nfrom simulator.moves import recognize\n"
            "recognize('That sounds hard. What would help?')\nprint('numpy' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "False"


def test_a_broken_site_lexicon_in_the_environment_is_reported_not_fatal(tmp_path, monkeypatch, capsys):
    from simulator.moves import rules

    site = tmp_path / "broken.yaml"
    site.write_text('rules:\n  - {move: advise, pattern: "x"}\n', encoding="utf-8")
    monkeypatch.setenv("PEERSIM_LEXICON", str(site))
    rules.default_lexicon.cache_clear()
    try:
        lexicon = rules.default_lexicon()
        assert Recognizer(lexicon=lexicon).recognize("You should quit.").primary == "directive_advice"
        err = capsys.readouterr().err
        assert "ignoring PEERSIM_LEXICON" in err and str(site) in err
    finally:
        rules.default_lexicon.cache_clear()


def test_the_integer_lane_sum_equals_a_plain_weighted_sum():
    # The model sums a piece's feature rows as big integers, one 24-bit lane per move;
    # with negative weights and repeated buckets that must equal the textbook sum.
    import math
    import random

    from simulator.moves.model import HASH_BITS, LANE_BYTES, LinearModel, bucket, features

    classes = ["a", "b", "c"]
    rng = random.Random(7)
    text = "so you feel stuck and tired of it all, what would help?"
    feats = features(text)
    weights = {bucket(f): [rng.randint(-127, 127) for _ in classes] for f in feats}
    rows = bytearray(bytes((128, 0, 0)) * (len(classes) << HASH_BITS))
    for b, ws in weights.items():
        for c, w in enumerate(ws):
            rows[(b * len(classes) + c) * LANE_BYTES] = w + 128
    bias, scale = [0.1, -0.2, 0.05], 0.01
    model = LinearModel(classes, bytes(rows), bias, scale)
    logits = [sum(weights[bucket(f)][c] for f in feats) * scale + bias[c] for c in range(3)]
    z = sum(math.exp(x) for x in logits)
    got = model.predict(text)
    assert got.probs == pytest.approx({k: math.exp(x) / z for k, x in zip(classes, logits)})


def test_the_words_shown_for_a_model_reading_are_never_a_pair_of_plain_words():
    # "read as reflection because of 'and it'" tells a trainee nothing; 'a lot' does.
    from simulator.moves import explain
    from simulator.moves.model import _readable

    assert _readable(["b:and it", "b:a lot", "w:you've"]) == ("a lot", "you've")
    reading = recognize("You've heard that a lot, and it doesn't help.")
    assert "'and it'" not in explain(reading.moves[0])
