"""What the faster recogniser must keep, and the reading fixes made with it.

The speed work (rule keys looked up at word starts, searches started only where a key
occurs, memoised word rows in the model, a parallel `peersim classify` for large piped
inputs) must not change a single reading; the reading fixes are checked by behaviour a
trainee would notice.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from simulator.cli import main
from simulator.cli import moves as classify_cli
from simulator.moves import recognize, rules
from simulator.moves.model import default_model, features
from simulator.moves.segment import normalise, segments


# ------------------------------------------------------------------ robustness
def test_a_lone_surrogate_passed_straight_to_recognize_does_not_raise():
    reading = recognize("\ud800 hello")
    assert reading.text == "\ud800 hello"
    assert reading.primary          # some reading, not a crash


# ------------------------------------------------------------------ same results, faster
SAMPLES = [
    "That sounds exhausting. What keeps you going?",
    "You should just go to a meeting.",
    "I'm not going to tell you what to do, it's your call.",
    "i wont tell ur PO anything u say here",
    "I'll have to tell your probation officer about this.",
    "so you feel like you should quit",
    "Honestly, I think it is part of what caused a lot of this, what do you think?",
    "oh, what happened after that",
    "At least you still have your job. Cheer up!",
    "When I was using I lost everything, my family, my job, my place, and I remember thinking "
    "nobody could ever understand, and then my sponsor told me to go to meetings and I did and I got clean.",
]


def test_the_rule_index_finds_the_same_cue_as_trying_every_rule():
    # Candidate rules come from keys at word starts and are tried strongest first; trying
    # every rule in file order (the plain definition) must give the same cue and vetoes.
    lexicon = rules.default_lexicon()
    assert lexicon.grams is rules.word_grams      # the shipped rules all begin at a word
    for text in SAMPLES:
        for start, end in segments(text):
            norm = normalise(text[start:end])
            bare = norm.rstrip(" .!;?")
            every = set().union(*(rules.trigrams(bare), rules.word_grams(bare)))
            vetoed = {r.move for r in lexicon.vetoes if r.pattern.search(bare)}
            got_vetoed, got = rules.read_piece(norm, lexicon)
            assert got_vetoed == vetoed
            plain = rules.read(norm, lexicon, vetoed, every)   # grams of other text: plain search
            assert got == plain


def test_every_shipped_rule_is_found_by_its_keys():
    # A rule with no key is tried on every piece of every turn: one such rule cost
    # `peersim classify` a tenth of its speed (benchmarks/RESULTS.md, issue 11 third round).
    lexicon = rules.default_lexicon()
    keyless = [r.source[:60] for r in (*lexicon.rules, *lexicon.vetoes) if r.keys is None]
    assert keyless == []


def test_a_choice_of_loose_branches_is_keyed_branch_by_branch():
    # A site lexicon's rule "^(\w+ing) ... naive|\b(you|that was) ... naive" would otherwise be
    # tried on every piece of every turn.
    lexicon = rules.Lexicon(tuple(rules._compile([{"move": "judgment", "pattern":
        "^(\\w+ing)\\b.{0,40}\\b(is|was) (so )?(naive|careless)\\b|\\b(i|we)\\b.{0,15}\\b(told|shared) your mum\\b"}], "site")), ())
    rule = lexicon.rules[0]
    assert rule.keys is not None
    assert lexicon.candidates(lexicon.grams("that sounds hard")) == []
    for text in ["lying to her was so naive", "honestly i kind of told your mum"]:
        assert lexicon.candidates(lexicon.grams(text)) == [rule]
        assert rules.read(text, lexicon).move == "judgment"


def test_a_rule_search_started_at_its_keys_finds_the_leftmost_match():
    lexicon = rules.default_lexicon()
    text = "well you know, i'm so sorry to hear that and i'm sorry you're going through it"
    grams = rules.word_grams(text)
    for rule in (*lexicon.rules, *lexicon.vetoes):
        plain = rule.pattern.search(text)
        fast = rule.search(text, grams) if rule.words else rule.pattern.search(text)
        assert (plain and plain.span()) == (fast and fast.span()), rule


def test_the_model_gives_the_same_probabilities_as_the_plain_feature_sum():
    model = default_model()
    for text in SAMPLES:
        norm = normalise(text)
        got = model.predict(norm, explain=False)
        # The textbook sum, one feature row at a time.
        rows = [model._row(f) for f in features(norm)]
        total = sum(rows)
        logits = [(((total >> (24 * c)) & 0xFFFFFF) - 128 * len(rows)) * model.scale + model.bias[c]
                  for c in range(model.k)]
        best = max(range(model.k), key=logits.__getitem__)
        assert got.move == model.classes[best]
        assert model.evidence(got) == model.predict(norm).evidence


# Read by the code before the second round of speed work (issue 11: shared features and
# scores in the gate, 8-character rule keys, the filler pass skipped when there is nothing
# to read past); every reading of the held-out, register, corpus and ESConv items was
# compared too (benchmarks/speed_ab.py --same). Each entry: the turn, then every move
# with its span and whether it acts on the client. Two entries changed on purpose since, in the
# third round (docs/labelling.md): "that sounds exhausting" validates (affirmation), and the
# retrained model is sure of a forum sign-off (greeting), so it acts.
READ_AS_BEFORE = [
    ('That sounds exhausting. What keeps you going?',
     [('affirmation', 0, 23, True), ('open_question', 24, 45, True)]),
    ('You should just go to a meeting.',
     [('directive_advice', 0, 32, True)]),
    ('so you feel like you should quit',
     [('reflection', 0, 32, True)]),
    ("I'm not going to tell you what to do, it's your call.",
     [('autonomy_support', 0, 53, True)]),
    ('i wont tell ur PO anything u say here',
     [('confidentiality_assurance', 0, 37, True)]),
    ("I'll have to tell your probation officer about this.",
     [('confidentiality_breach', 0, 52, True)]),
    ("Okay, so you're stuck between the two.",
     [('reflection', 0, 38, True)]),
    ('Sorry, I got ahead of myself. You know your life best.',
     [('repair', 0, 29, True), ('autonomy_support', 30, 54, True)]),
    ("We've got about ten minutes left.",
     [('information', 0, 33, True)]),
    ('At least you still have your job. Cheer up!',
     [('minimizing', 0, 43, True)]),
    ("Um, so, I guess what I'm hearing is, you're, you're just really tired of it all, you know?",
     [('reflection', 0, 90, True)]),
    ("So you feel he doesn't listen?",
     [('reflection', 0, 30, True)]),
    ("the only exception is if you told me you'd hurt yourself",
     [('confidentiality_assurance', 0, 56, True)]),
    ('omg that sounds so rough what happened after',
     [('affirmation', 0, 24, True), ('open_question', 25, 44, True)]),
    ("Hey, I'm sorry you're going through this. It sounds like a long few weeks. What's helped before? Hope this helps.",
     [('affirmation', 0, 41, True), ('reflection', 42, 74, True), ('open_question', 75, 96, True), ('greeting', 97, 113, True)]),
    ('When I was using I lost everything, my family, my job, my place, and I remember thinking nobody could ever understand, and then my sponsor told me to go to meetings and I did and I got clean.',
     [('self_focused_story', 0, 191, True)]),
]


@pytest.mark.parametrize("text,spans", READ_AS_BEFORE)
def test_the_faster_recogniser_reads_these_turns_as_before(text, spans):
    reading = recognize(text)
    assert [(m.move, m.start, m.end, reading.acts(m)) for m in reading.moves] == spans


@pytest.mark.parametrize("text,tidied", [
    ("so, um, you're, you're kind of stuck", "so you're kind of stuck"),
    # A filler set off by commas goes with both commas, so the words around it meet.
    ("the trick is, um, to keep going", "the trick is to keep going"),
    ("i've, uh, already had a word with your landlord", "i've already had a word with your landlord"),
    ("okay, uh, right, so what happened", "okay right, so what happened"),
    ("you you should rest", "you should rest"),
    ("okay! , okay fine", "okay! fine"),
    ("that is hard, really hard", "that is hard, really hard"),
    ("it was a long long week", "it was a long week"),
])
def test_fillers_and_restarts_are_read_past_and_nothing_else_is(text, tidied):
    assert normalise(text) == tidied


def test_a_line_break_ends_a_sentence_and_keeps_the_words_before_it():
    reading = recognize("That sounds so hard\nWhat keeps you going?")
    assert [m.move for m in reading.moves] == ["affirmation", "open_question"]


# ------------------------------------------------------------------ parallel classify
def _classify(argv, text, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("jsonl", [False, True])
def test_a_large_input_read_by_several_processes_gives_the_same_lines_in_order(monkeypatch, capsys, jsonl):
    monkeypatch.setattr(classify_cli, "PARALLEL_FROM", 40)
    monkeypatch.setattr(classify_cli, "CHUNK", 7)
    texts = [SAMPLES[i % len(SAMPLES)] + f" ({i})" for i in range(90)]
    texts[5] = ""
    if jsonl:
        lines = [json.dumps({"text": t, "n": i}) for i, t in enumerate(texts)]
        lines[11] = "not json"
        lines[12] = "[1, 2]"
        argv = ["classify", "--jsonl"]
    else:
        lines, argv = texts, ["classify"]
    stdin = "\n".join(lines) + "\n"
    monkeypatch.setenv(classify_cli.PROCESSES_ENV, "2")
    parallel = _classify(argv, stdin, monkeypatch, capsys)
    monkeypatch.setenv(classify_cli.PROCESSES_ENV, "1")
    serial = _classify(argv, stdin, monkeypatch, capsys)
    assert parallel == serial
    out = parallel.splitlines()
    assert len(out) == 90
    if jsonl:
        assert json.loads(out[11])["line"] == 12 and json.loads(out[12])["line"] == 13
        assert json.loads(out[89])["n"] == 89
    else:
        assert json.loads(out[89])["text"] == texts[89]


def test_classify_starts_without_the_scenario_loader_the_engine_or_pydantic(tmp_path):
    # A piped `peersim classify` once spent 0.4 s of its start importing what it never uses.
    code = ("import sys, io\nsys.stdin = io.StringIO('That sounds hard.\\n')\n"
            "from simulator.cli import main\nmain(['classify'])\n"
            "heavy = [m for m in ('simulator.scenario.loader', 'simulator.engine', 'simulator.debrief', 'pydantic') "
            "if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["primary"] == "affirmation"
    assert "HEAVY []" in proc.stderr


# ------------------------------------------------------------------ reading fixes
@pytest.mark.parametrize("text", ["Have you tried talking to her?", "have u tried going for a walk",
                                  "Have you tried setting an alarm?"])
def test_have_you_tried_is_a_suggestion_not_a_question_about_being_tired(text):
    assert "tired" not in normalise(text)
    assert recognize(text).primary == "directive_advice"


def test_a_typo_of_a_cue_word_is_still_mended():
    assert normalise("you shoud go") == "you should go"
    assert normalise("I'm so tierd") == "i'm so tired"      # swapped letters, not a real word


@pytest.mark.parametrize("text,move", [("oh, what happened?", "open_question"),
                                       ("Yeah, how did that go?", "open_question"),
                                       ("hmm, did she call you back?", "closed_question")])
def test_a_question_that_opens_with_an_interjection_keeps_its_kind(text, move):
    assert recognize(text).primary == move


@pytest.mark.parametrize("text", ["I have faith in you.", "I'm sure you can handle the interview.", "You kept going after every no.",
                                  "It sounds like you've been so strong through all of this."])
def test_confidence_in_the_client_reads_as_affirmation(text):
    assert recognize(text).primary == "affirmation"


@pytest.mark.parametrize("text", ["You've got this!!", "I'm sure you'll be fine at the interview.",
                                  "ur gonna smash it, i just know it", "Keep your chin up, things always work out in the end."])
def test_cheerleading_that_promises_an_outcome_is_minimizing(text):
    # docs/labelling.md: empty cheerleading brushes the doubt aside; a grounded affirmation names what they did.
    assert recognize(text).primary == "minimizing"


def test_have_you_ever_tried_stays_a_question_about_what_the_client_did():
    assert recognize("Have you ever tried to cut back?").primary == "closed_question"


@pytest.mark.parametrize("text", ["I felt the same way when I came home.", "That's how I felt too."])
def test_brief_plain_sharing_reads_as_self_disclosure(text):
    assert recognize(text).primary == "self_disclosure"


def test_the_esconv8_map_keeps_the_eight_strategies_apart():
    from simulator.moves.evaluate import load_map
    from simulator.moves.taxonomy import MOVE_IDS

    m = load_map("esconv8")
    assert len(set(m.gold.values())) == 8 and set(m.moves) == set(MOVE_IDS)
    assert m.predicted_label("summary") == "Restatement or Paraphrasing"
    # ESConv tells reflecting a feeling from restating content; the reflection's words decide.
    assert m.label_of(recognize("It sounds like you feel nobody at work listens.")) == "Reflection of feelings"
    assert m.label_of(recognize("so ur mum's been really lonely since the move?")) == "Reflection of feelings"
    assert m.label_of(recognize("So your landlord put the rent up again in March.")) == "Restatement or Paraphrasing"
    assert m.label_of(recognize("You went back to the housing office on Friday?")) == "Restatement or Paraphrasing"
    # The primary piece's own words count, not a feeling named elsewhere in the turn.
    assert m.label_of(recognize("I feel for you. So your landlord put the rent up again.")) == \
        "Restatement or Paraphrasing"


def test_a_map_that_splits_a_move_by_feeling_must_name_both_sides():
    from simulator.moves.evaluate import EvalInputError, load_map

    with pytest.raises(EvalInputError, match="feeling"):
        load_map('{"moves": {"reflection": {"feeling": "Reflection of feelings"}}}')
    ok = load_map('{"moves": {"reflection": {"feeling": "F", "content": "C"}}}')
    assert ok.predicted_label("reflection", "you feel stuck") == "F"
    assert ok.predicted_label("reflection", "your rent went up") == "C"


def test_the_quick_story_check_never_misses_a_first_person_word():
    # The turn-level story check skips tidying a long turn with fewer than three words
    # about the helper; every texting form that spells out to one must be counted.
    from simulator.moves.recognizer import _FIRST, _FIRST_TYPED
    from simulator.moves.segment import _TEXTING

    for typed, spelt in _TEXTING.items():
        if _FIRST.search(spelt):
            assert _FIRST_TYPED.search(typed), typed
    story = ("ive been there lemme tell u, im the same, when i was using my whole life fell apart and idk "
             "how i got thru it but i did and my family came back and it took years of work to get there")
    assert recognize(story).primary == "self_focused_story"
