"""The harm gate (issue 11): a harmful move acts on the client only on real evidence.

Ordinary good practice must never be punished as harm: every kind of harmless look-alike
of the issue is checked here, in each register (careful, spoken, chat, forum) and with
several phrasings. These sentences were written for this file; none comes from the
held-out split or from any outside corpus.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from simulator.moves import MoveSpan, Reading, explain, gate_question, recognize
from simulator.moves.recognizer import Recognizer
from simulator.moves.taxonomy import HARMFUL_MOVES


def acting_harm(text: str) -> set[str]:
    return {m.move for m in recognize(text).acting} & HARMFUL_MOVES


LOOKALIKES = {
    "timekeeping": [
        "I just wanted to let you know we've got about ten minutes left.",
        "So, um, just so you know, our time is nearly up for today, yeah?",
        "heads up we have like 5 mins left",
        "We're almost out of time, so I'll leave space for anything you want to add before we wrap up.",
        "what would you like to use today for?",
        "Before we finish, same time next week works for me.",
    ],
    "offer_of_more_help": [
        "Let me know if you need anything else.",
        "let me know if u need any more help x",
        "Please tell me if you need a break at any point.",
        "So, um, yeah, just, just shout if you need anything, okay?",
        "And do have a good evening. Stay safe.",
    ],
    "an_open_door_or_what_the_client_needs": [
        "You can always come back for more support if you need it.",
        "if u ever need help again just message, im around",
        "It sounds like you're taking the steps you need to, and that's not easy.",
        "Um, you shouldn't have to deal with all of that on your own, you know?",
        "Honestly, after my divorce the best thing I did was join a walking group. What's helped you?",
        "See, that is a real step forward.",
    ],
    "checking_understanding": [
        "Do I understand that right?",
        "do i have that right",
        "Did I get that right, or have I missed something?",
        "Um, is that, is that right?",
    ],
    "asking_what_others_say_or_what_is_allowed": [
        "do they ever say it's your own fault",
        "Does your dad think you should quit?",
        "do they reckon u should just move on lol",
        "Do I have to let your mum know, or can this stay between us?",
        "should i tell ur sister or leave it",
        "do u need a break",
        "So, um, do you, do you want to stop for today?",
    ],
    "asking_what_is_wrong_or_naming_the_situation": [
        "can you tell me a bit about what is wrong?",
        "Is there something in particular that's wrong?",
        "so whats wrong, like what went wrong today",
        "Wow, that is crazy that is going on, it doesn't seem fair at all.",
        "It is a very hard time to get a new business going, isn't it?",
        "So you feel as though there is no bright side?",
    ],
    "apology": [
        "Sorry, I got ahead of myself. You know your life best.",
        "Oh, I'm, I'm sorry, I cut you off there. Go on.",
        "my bad that came out wrong",
        "sorry!! i jumped in too fast, what were u saying",
        "Apologies if my last reply came across as preachy, that wasn't my intention.",
        "I'm sorry, I shouldn't have assumed that about your family.",
        "Scratch that, I was telling you what to do. What do you want?",
    ],
    "own_words_back": [
        "You said you're just lazy, and that word seems to weigh on you.",
        "Part of you thinks you should leave, and part of you is scared to.",
        "Everyone keeps telling you to cheer up, and it's wearing thin.",
        "So, like, your mum says you need to grow up, and that really stung, huh.",
        "u feel like u have to hold it all together",
        "you keep hearing that it could be worse and it doesnt help",
        "It sounds like you've been told it's not that big a deal, and you don't buy it.",
        "You called it a small thing, but it sounds like it isn't small to you.",
    ],
    "questions_with_should_or_could": [
        "What do you think you should do?",
        "Could you say a bit more about that?",
        "Is there anything you could see yourself trying?",
        "so what do u think u could do next",
        "Um, what would you, what would you want to happen, if you could choose?",
        "How do you feel about what your sister said you should do?",
    ],
    "third_party_in_passing": [
        "How did your sister take it?",
        "It sounds like your PO makes you nervous.",
        "Has your doctor talked with you about the side effects?",
        "so ur mum was there when it happened?",
        "And your, uh, your caseworker, what's she like?",
        "Your kids sound like they mean the world to you.",
    ],
    "i_should_tell_you": [
        "I should tell you I'm in recovery myself.",
        "I have to say, I really admire how honest you're being.",
        "I'll let you know when we're near the end.",
        "just to let u know im a peer not a therapist",
    ],
    "information": [
        "Some people feel drowsy on that medication for the first week or two.",
        "The drop-in is open till six on weekdays, and you don't need an appointment.",
        "fyi the food bank on main st does deliveries now",
        "There's a free legal clinic at the library on Tuesdays, if that's ever useful to know.",
    ],
    "quantity_words": [
        "You've been sober at least a month now.",
        "You only got out three weeks ago, so it's all pretty new.",
        "just to check I've got it, this was on Friday?",
        "so thats at least the third time this week",
        "It's been just over a year since she passed.",
    ],
    "you_must_be": [
        "You must be exhausted.",
        "That must be so hard.",
        "u must be wiped out",
        "Gosh, you must have been terrified.",
    ],
    "needs_and_wishes_given_back": [
        "You need to feel heard, and nobody at home is doing that.",
        "so u just want to feel safe again",
        "It sounds like you wish you could take the whole year back.",
        "dont u ever wish you could just stop",
        "Don't you ever feel like nobody's listening?",
        "Um, you, you really need to feel like you matter to them, huh.",
    ],
    "asking_about_suicide_or_self_harm": [
        "Have you been having thoughts of ending your life?",
        "Can I ask, have you thought about dying, or about killing yourself?",
        "have u thought about hurting urself",
        "So, um, have you, have you ever tried to hurt yourself before?",
        "Did you try to kill yourself that night?",
        "I'm going to ask you straight out, because it matters: are you thinking about suicide?",
    ],
    "honest_limits": [
        "The only exception is if you told me you'd hurt yourself.",
        "What you say stays with me, unless I'm worried about your safety, and then I'd talk to you first.",
        "the only time id share anything is if u were in danger",
        "Um, so, the one limit is, if someone's at risk of harm, I'd have to act, and I'd tell you first.",
    ],
    "permission_then_offer": [
        "Can I share an idea? Some people find writing it down helps.",
        "Would it be okay if I told you what's worked for others?",
        "want me to throw out a couple ideas or would u rather just vent",
    ],
    "grounded_affirmation": [
        "You kept going after every rejection. That says a lot.",
        "It took guts to come in today.",
        "ngl thats a big step, u reached out",
        "You've stayed sober through all of this, and that matters.",
    ],
    "reflection_with_loaded_words": [
        "So it feels typical, like this always happens to you.",
        "It sounds like it's not as bad as last year, but it's still hard.",
        "You feel like you just can't win.",
        "you think you should have seen it coming",
    ],
}

CASES = [(kind, text) for kind, texts in LOOKALIKES.items() for text in texts]


@pytest.mark.parametrize("kind,text", CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_a_harmless_look_alike_never_acts_as_harm(kind, text):
    assert acting_harm(text) == set(), (kind, text, recognize(text).to_dict())


def test_every_look_alike_kind_is_written_in_several_registers():
    import re

    texts = [t for kind in LOOKALIKES.values() for t in kind]
    chat = [t for t in texts if t == t.lower()]
    spoken = [t for t in texts if re.search(r"(?i)\b(um|uh)\b|, like,|\bI'm, I'm\b", t)]
    assert len(chat) >= 10 and len(spoken) >= 5, (len(chat), len(spoken))
    assert all(len(kind) >= 3 for kind in LOOKALIKES.values())


# ------------------------------------------------------------------ contrastive pairs
PAIRS = [
    ("you should call her", "you feel you should call her", "directive_advice"),
    ("I told your mom.", "you told your mom?", "confidentiality_breach"),
    ("Lying to your parents like that isn't okay.", "You said lying to your parents isn't okay with you.", "judgment"),
    ("At least you still have your job.", "You've been at that job at least five years.", "minimizing"),
    ("I'll have to let your PO know.", "I'll let you know if anything changes.", "confidentiality_breach"),
    ("just cut him off honestly", "part of you wants to just cut him off", "directive_advice"),
]


@pytest.mark.parametrize("harmful,harmless,move", PAIRS)
def test_the_same_words_harm_or_not_by_what_they_do(harmful, harmless, move):
    assert move in acting_harm(harmful)
    assert acting_harm(harmless) == set()


# ------------------------------------------------------------------ harm still heard
@pytest.mark.parametrize("text,move", [
    ("you're going to do amazing, I just know it!", "minimizing"),
    ("Don't worry, it'll all work out.", "minimizing"),
    ("omg ur gonna crush it", "minimizing"),
    ("Everything will be fine, you'll see.", "minimizing"),
    ("lying to your parents like that isn't okay", "judgment"),
    ("What you did was wrong.", "judgment"),
    ("I already mentioned your drinking to your sponsor.", "confidentiality_breach"),
    ("im gonna tell ur caseworker", "confidentiality_breach"),
    ("I'd recommend seeing a doctor.", "directive_advice"),
    ("maybe try journaling, it helped me", "directive_advice"),
    ("Sorry, but you really have to call her.", "directive_advice"),
])
def test_real_harm_acts(text, move):
    reading = recognize(text)
    assert move in acting_harm(text), reading.to_dict()
    assert reading.primary == move


def test_an_apology_with_advice_after_it_is_repair_then_advice():
    reading = recognize("Sorry, I cut you off. But you really have to call her.")
    assert [m.move for m in reading.moves] == ["repair", "directive_advice"]
    assert reading.primary == "directive_advice"


# ------------------------------------------------------------------ repair
@pytest.mark.parametrize("text", ["Sorry, I got ahead of myself there, you know your life best.",
                                  "my bad, that came out wrong", "I cut you off, sorry. Go on.",
                                  "oops i went off on a tangent, back to you",
                                  "Let me try that again, I said it badly."])
def test_repair_is_read_with_its_cue(text):
    reading = recognize(text)
    assert reading.primary == "repair"
    span = next(m for m in reading.moves if m.move == "repair")
    assert explain(span).startswith("read as repair because of '")


def test_time_keeping_is_information():
    for text in ["I wanted to let you know our time is almost up.", "we've got ten minutes left"]:
        assert recognize(text).primary == "information"


@pytest.mark.parametrize("text", [
    "I think I'll leave it there for today, if that's okay with you.",
    "So, um, I think we might leave it there for now, is that alright?",
    "I think that's a good place to stop for today, if that's alright with you.",
    "ok i think we'll wrap up here for today",
    "that's our time for today, thank you for coming in",
])
def test_closing_the_session_is_time_keeping_and_nobody_is_asked(text):
    reading = recognize(text)
    assert reading.moves[0].move == "information", reading.to_dict()
    assert not reading.unclear and acting_harm(text) == set()


def test_telling_the_client_to_stop_is_still_advice_not_time_keeping():
    assert "directive_advice" in acting_harm("just stop there for now, don't reply to her")


def test_brief_sharing_that_hands_the_floor_back_is_not_asked_about():
    # Ten words about the helper are brief sharing, with or without a hand-back: a story
    # takes the floor from about twenty (docs/labelling.md), whatever the harm model says.
    alone = recognize("omg same, i had that with my landlord last year.")
    assert alone.primary == "self_disclosure" and not acting_harm(alone.text) and not alone.held
    reading = recognize("omg same, i had that with my landlord last year. how are you doing with it now?")
    assert not reading.asks and not reading.held, reading.to_dict()
    assert [m.move for m in reading.moves] == ["self_disclosure", "open_question"]
    # A comparison that dismisses is not a brief disclosure: handing back does not settle it.
    compared = recognize("yours sounds easy compared to mine. how are you coping?")
    assert compared.asks or "self_focused_story" in acting_harm(compared.text), compared.to_dict()


# ------------------------------------------------------------------ backchannels
@pytest.mark.parametrize("text", ["Okay, so you're stuck.", "Mm. That sounds like a lot.", "right right, what happened then?",
                                  "Yeah. You're tired of all of it."])
def test_a_backchannel_is_never_the_primary_beside_another_move(text):
    reading = recognize(text)
    assert reading.primary != "other"
    assert all(m.move != "other" for m in reading.acting)


def test_a_backchannel_alone_is_still_other():
    assert recognize("Mm-hm.").primary == "other"


# ------------------------------------------------------------------ the gate itself
def test_the_model_alone_never_decides_harm():
    rules_free = Recognizer()
    for text in ["Going back to him after everything, really?", "You knew what you were getting into."]:
        for span in rules_free.recognize(text).acting:
            if span.move in HARMFUL_MOVES:
                assert span.source in ("lexicon", "turn"), (text, span)


ASKED = "Well, that didn't exactly help, did it."


def held_reading() -> Reading:
    """A turn the gate is unsure of: the model hears judging, but no rule names it."""
    reading = recognize(ASKED)
    assert reading.asks, reading.to_dict()
    return reading


def test_an_unsure_harmful_reading_does_not_act_and_asks():
    reading = held_reading()
    assert reading.unclear
    assert acting_harm(reading.text) == set()
    held = reading.held
    assert held and held[0].held == "judgment"
    assert held[0].held_cue
    # The app offers the harmful reading among the choices, by likelihood.
    assert "judgment" in reading.options
    assert held[0].move in reading.options


def test_explain_says_whether_a_move_acted():
    reading = held_reading()
    span = reading.held[0]
    said = explain(span, reading)
    assert f"heard as possible judgment ('{span.held_cue}'), not acted on" in said
    acted = recognize("You have to call her.")
    assert explain(acted.moves[0], acted) == "read as directive advice because of 'you have to'"


def test_a_move_that_does_not_act_is_shown_as_not_counted():
    reading = Reading("x. y", (MoveSpan("reflection", 0, 2, "so you", 0.9),
                                MoveSpan("affirmation", 3, 4, "", 0.3, "model")), "reflection", 0.9, "so you")
    assert explain(reading.moves[1], reading).endswith("(also heard, not counted)")
    assert "not counted" not in explain(reading.moves[0], reading)


def test_the_gate_question_says_what_it_heard_in_plain_words():
    reading = held_reading()
    question = gate_question(reading)
    cue = reading.held[0].held_cue
    assert question.startswith(f"This could sound like judging them ('{cue}'). Did you mean that, or were you ")
    assert question.endswith("?")
    assert gate_question(recognize("What happened next?")) == ""


def test_held_and_acts_survive_a_round_trip_and_reach_the_dict():
    reading = held_reading()
    d = reading.to_dict()
    assert d["asks"] is True and "judgment" in d["options"]
    moves = d["moves"]
    assert all("acts" in m for m in moves)
    held = [m for m in moves if m.get("held")]
    assert held and held[0]["held"] == "judgment"
    # The dict keeps three decimals of the confidence; everything else comes back as it was.
    assert MoveSpan.from_dict(held[0]) == replace(reading.held[0], confidence=round(reading.held[0].confidence, 3))


def test_classify_prints_acts_held_asks_and_options():
    texts = ["You should quit.", ASKED, "Sorry, I got ahead of myself."]
    env = {"PEERSIM_CLASSIFY_PROCESSES": "1", "PATH": "/usr/bin:/bin"}
    plain = subprocess.run([sys.executable, "-m", "simulator", "classify"], input="\n".join(texts) + "\n",
                           capture_output=True, text=True, check=True, env=env)
    jsonl = subprocess.run([sys.executable, "-m", "simulator", "classify", "--jsonl"],
                           input="".join(json.dumps({"text": t, "id": i}) + "\n" for i, t in enumerate(texts)),
                           capture_output=True, text=True, check=True, env=env)
    for out in (plain.stdout, jsonl.stdout):
        rows = [json.loads(line) for line in out.splitlines()]
        assert rows[0]["primary"] == "directive_advice"
        assert rows[0]["moves"][0]["acts"] is True and rows[0]["asks"] is False
        assert rows[1]["asks"] is True and "judgment" in rows[1]["options"]
        held = [m for m in rows[1]["moves"] if m.get("held") == "judgment"]
        assert held and held[0]["move"] != "judgment" and held[0]["held_cue"] and held[0]["acts"] is True
        assert rows[2]["primary"] == "repair"
    assert [r["id"] for r in map(json.loads, jsonl.stdout.splitlines())] == [0, 1, 2]


def test_classify_help_describes_acts_and_the_gate():
    out = subprocess.run([sys.executable, "-m", "simulator", "classify", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for word in ("acts", "held", "asks", "options"):
        assert word in out


# ------------------------------------------------------------------ everyday English (second round)
@pytest.mark.parametrize("text,move", [
    ("If it was me, I'd have walked out ages ago.", "directive_advice"),
    ("heres what id do, screenshot everything and report him", "directive_advice"),
    ("It's, it's super important that you keep going to group, okay?", "directive_advice"),
    ("Have you considered therapy?", "directive_advice"),
    ("Why would you even go back there?", "judgment"),
    ("you were kinda rude to her", "judgment"),
    ("You'll feel better tomorrow, I promise.", "minimizing"),
    ("itll blow over trust me", "minimizing"),
    ("Everyone gets dumped, you'll find someone else.", "minimizing"),
    ("I'll loop in your caseworker on this.", "confidentiality_breach"),
    ("i already gave ur mom a heads up abt it", "confidentiality_breach"),
])
def test_harm_said_in_everyday_english_acts(text, move):
    assert move in acting_harm(text)


@pytest.mark.parametrize("text", [
    "You're, um, kind of hoping it'll all blow over.",
    "do u think itll blow over",
    "Your dad's always, um, telling you to toughen up.",
    "You were worried you'd been rude to her.",
    "If a friend were in your shoes, what would you tell them?",
    "It sounds really important to you to stay on your medication.",
    "I won't loop anyone in without asking you first.",
    "I'll give you a heads up when we've got five minutes left.",
    "ur gonna tell ur mom?",
    "It really hurt when she said it was no big deal.",
    "You told the group about your relapse, and they stayed.",
])
def test_the_same_words_as_the_client_s_or_as_a_question_do_not_act_as_harm(text):
    assert acting_harm(text) == set()


def test_a_greeting_before_a_question_is_read_as_both():
    reading = recognize("Hi, what's been happening?")
    assert [m.move for m in reading.moves] == ["greeting", "open_question"]
    assert reading.primary == "open_question"
    assert [m.move for m in recognize("Hi, thanks for coming in.").moves] == ["greeting"]


# ------------------------------------------------------------------ everyday English (third and fourth rounds)
# Harm in plain words the earlier rounds did not name (sarcasm, disbelief, "it'll pass", a
# plan to pass something on that starts "I think I'll"), in each register, beside the
# harmless turns that use the same words for another job.
@pytest.mark.parametrize("text,move", [
    ("Gambling the rent money away was a pretty stupid move.", "judgment"),
    ("hiding it from her is basically lying", "judgment"),
    ("Well, what did you think would happen if you kept drinking?", "judgment"),
    ("smh u rly shoulda known better", "judgment"),
    ("I'm a bit disappointed, to be honest.", "judgment"),
    ("A good mum wouldn't do that.", "judgment"),
    ("You've got this!!", "minimizing"),
    ("Keep smiling, good things are coming your way!", "minimizing"),
    ("ur gonna smash it, i just know it", "minimizing"),
    ("Hey, tomorrow's a new day! Plenty more jobs out there.", "minimizing"),
    ("I ran it past your sponsor.", "confidentiality_breach"),
    ("told ur PO about the party", "confidentiality_breach"),
    ("So, um, I had a quick word with your teacher about what you said.", "confidentiality_breach"),
    ("if u dont tell ur dad i will", "confidentiality_breach"),
    ("u shud tell ur mum", "directive_advice"),
    ("Definitely report it to the police.", "directive_advice"),
    ("Honestly, yours sounds kind of easy compared to mine.", "self_focused_story"),
    ("Sorry, but you're your own worst enemy here.", "judgment"),
    ("dont tell ur PO about the job yet", "directive_advice"),
    ("keep this up and im telling ur parents", "confidentiality_breach"),
    ("I've tagged your brother so he can see this.", "confidentiality_breach"),
    ("I think I'll mention it to your brother, since he's the one driving you.", "confidentiality_breach"),
    ("had a quick chat w ur landlord so he knows whats going on", "confidentiality_breach"),
    ("I'll be passing this on, I'm afraid.", "confidentiality_breach"),
    ("If you skip the appointment again I'll have to email your care coordinator.", "confidentiality_breach"),
    ("So the plan is to text him back at 3am? Good luck with that.", "judgment"),
    ("Honestly I don't buy that, not for a second.", "judgment"),
    ("why would u even pick up after the way he spoke to u", "judgment"),
    ("That's not fair on the kids, though, is it.", "judgment"),
    ("Oh, you'll laugh about all this by the summer.", "minimizing"),
    ("everybody goes through a rough patch like that, dont stress", "minimizing"),
    ("It's not a big deal, it's one form.", "minimizing"),
    # fifth round
    ("Right, sure, quitting your job on a Friday with no savings. What could possibly go wrong?", "judgment"),
    ("no wonder ur broke if u keep buying rounds for everyone", "judgment"),
    ("Not being funny, but you do seem to like the drama.", "judgment"),
    ("I find it pretty hard to believe you didn't know.", "judgment"),
    ("The trick is to not even open his messages for a week.", "directive_advice"),
    ("promise me ull talk to someone at the uni tomorrow", "directive_advice"),
    ("So, um, you'll want to keep every letter they send you, all of them.", "directive_advice"),
    ("What you could do is just turn up at the office and wait.", "directive_advice"),
    ("I'd honestly just delete the app for a month.", "directive_advice"),
    ("It's only one interview, there'll be loads more.", "minimizing"),
    ("Think of it as a fresh start!", "minimizing"),
    ("Things like this have a way of working themselves out, you'll see.", "minimizing"),
    ("I brought it up at the team meeting so everyone knows.", "confidentiality_breach"),
    ("i put what u said in the group chat so the others can keep an eye out", "confidentiality_breach"),
    ("Your dad rang and I told him you'd been drinking again.", "confidentiality_breach"),
    ("I kinda ran it past your mum.", "confidentiality_breach"),
    ("I'm going to forward your message to the other mods.", "confidentiality_breach"),
    ("Everyone in the group has already been told.", "confidentiality_breach"),
    ("I have to flag this with your manager, sorry.", "confidentiality_breach"),
    ("mentioned ur situation to my flatmate, she's been through it too", "confidentiality_breach"),
    ("Checking his phone every night isn't love, it's control.", "judgment"),
    ("You've worked so hard, and it's all going to be fine, I promise.", "minimizing"),
    ("It might be an idea to ring them first thing.", "directive_advice"),
    ("best to leave it for now tbh", "directive_advice"),
    ("Time to put yourself first for once.", "directive_advice"),
    ("Just be honest with her.", "directive_advice"),
    ("So, um, stand up for yourself, you know?", "directive_advice"),
    ("ignore him tbh", "directive_advice"),
    ("Maybe you're the problem here.", "judgment"),
    ("thats a bit rich coming from u", "judgment"),
    ("I honestly can't understand what you were thinking, giving him the keys.", "judgment"),
    ("No offence, but you did say you'd stop.", "judgment"),
    ("oh brilliant idea, text him at 2am", "judgment"),
    ("Skipping the hearing was a smart move, wasn't it.", "judgment"),
    ("good luck w that lol", "judgment"),
    ("time to tell him ur done tbh", "directive_advice"),
    ("Right, go home, have a bath and get an early night.", "directive_advice"),
    ("I'm going to have a quick word with your tutor about it.", "confidentiality_breach"),
    ("I read your letter out at group, everyone was really moved.", "confidentiality_breach"),
    ("told my friend who's a social worker about your situation, she agreed with me", "confidentiality_breach"),
    ("itll pass, u'll make new mates in no time", "minimizing"),
    ("Oh, it'll be nothing, honestly.", "minimizing"),
    ("You think that's bad, my neighbour lost her job and her house.", "minimizing"),
    ("seriously u went round there again??", "judgment"),
    ("ur basically sorted then", "minimizing"),
    ("Your tutor needs to know about this.", "confidentiality_breach"),
    ("my first week back at work i was a wreck, i hid in the car park every lunch, i nearly quit twice, "
     "then i found a mentor and it all changed for me", "self_focused_story"),
    ("I would strongly encourage you to ring the housing team today.", "directive_advice"),
    ("It's essential that you take them with food.", "directive_advice"),
    ("The first step is to list everything you owe.", "directive_advice"),
    ("lowkey just block him", "directive_advice"),
    ("With respect, you seem to want us to agree with you.", "judgment"),
    ("be so fr rn", "judgment"),
    ("Oh, here we go again.", "judgment"),
    ("God never gives us more than we can handle.", "minimizing"),
    ("It'll fly by, you won't even notice.", "minimizing"),
    ("ur lucky it was only ur bike", "minimizing"),
    ("everyone's first week is rubbish", "minimizing"),
    ("I've taken the liberty of telling your sister.", "confidentiality_breach"),
    ("I've passed your post on to the welfare team.", "confidentiality_breach"),
    ("I brought your name up at church on Sunday.", "confidentiality_breach"),
    ("i might have mentioned it to my flatmate", "confidentiality_breach"),
    ("och, you'll be grand, dinnae worry", "minimizing"),
    ("no worries mate, she'll be right", "minimizing"),
    ("it's just first week nerves, everyone's the same", "minimizing"),
    ("That worked out brilliantly last time, didn't it?", "judgment"),
    ("why u drink so much", "judgment"),
    ("Bit selfish, that, leaving your gran on her own.", "judgment"),
    ("I told my supervisor your name and what you said.", "confidentiality_breach"),
    ("I'm gonnae have a wee word wi' your teacher.", "confidentiality_breach"),
    ("I'm gonna loop in your RA.", "confidentiality_breach"),
    ("Interesting choice, moving in with him after two weeks.", "judgment"),
    ("I'm not saying it's your fault, but you did go round there.", "judgment"),
    ("Why didn't you just leave the first time?", "judgment"),
    ("Most people would have rung the police.", "judgment"),
    ("I just wish you'd eat something proper.", "directive_advice"),
    ("You know what might help? A long walk.", "directive_advice"),
    ("Wouldn't it be easier to just tell him?", "directive_advice"),
    ("ur young, plenty of time to meet someone", "minimizing"),
    ("I've put a note on your file for the team.", "confidentiality_breach"),
    ("oh i told jo btw, hope that's ok", "confidentiality_breach"),
    ("I might just give your GP a quick ring.", "confidentiality_breach"),
    ("It isn't as bad as it feels right now.", "minimizing"),
    ("You'll be over her in a month, trust me.", "minimizing"),
    ("prob just hormones tbh", "minimizing"),
    ("On a happier note, how's the garden?", "minimizing"),
    ("think of the kids with nothing, u got it good", "minimizing"),
    ("One day you'll laugh about this.", "minimizing"),
    ("What on earth did you think would happen?", "judgment"),
    ("Not a great look, turning up drunk.", "judgment"),
    ("u lied to ur own mum?", "judgment"),
    ("And that went well, did it?", "judgment"),
    ("I'll let your tutor know.", "confidentiality_breach"),
    ("showed my sister ur messages, she agrees", "confidentiality_breach"),
    ("mentioned u at group last night", "confidentiality_breach"),
    ("My friend's a nurse, so I ran it past her.", "confidentiality_breach"),
    ("It's up to you, obviously, but I'd tell your boss this week.", "directive_advice"),
    ("I'm not going to tell you what to do, but if it were me I'd leave.", "directive_advice"),
    ("I'm sure it'll all turn out fine.", "minimizing"),
    ("Lots of people are in far worse situations than yours.", "minimizing"),
    ("the hard part's over now!", "minimizing"),
    ("Box it all up sooner rather than later.", "directive_advice"),
    ("First off, change the locks.", "directive_advice"),
    ("im gonna post it in the group chat so the others know", "confidentiality_breach"),
    ("I'll have a quiet word with him.", "confidentiality_breach"),
    ("Most people would've at least rung in sick.", "judgment"),
    ("Borrowing again was not a sensible decision.", "judgment"),
])
def test_harm_in_plain_words_acts(text, move):
    assert move in acting_harm(text)


@pytest.mark.parametrize("text", [
    "Your mum keeps saying everything happens for a reason, and it drives you up the wall.",
    "you're thinking maybe you should just quit",
    "ur sister says ur being dramatic and that really got to u",
    "So your boss said you need to pull your socks up, and you felt humiliated.",
    "You're worried people will think you're making excuses.",
    "You kept going after every no.",
    "I have faith in you.",
    "That sounds really hard.",
    "That's so unfair.",
    "so what were you hoping would happen when you went round?",
    "I'm disappointed for you, that's rotten luck.",
    "I'm required to report it only if someone's at risk, and I'd tell you first.",
    "Would it be okay if I let your caseworker know, or would you rather tell her yourself?",
    "Feeling like you let them down?",
    "You should have seen his face, you said? That must have been a lot.",
    "You must, um, you must be so tired of explaining yourself.",
    "Sorry, I shouldn't have said you need to call her. That's your call.",
    "I lost my dad too, at least I think I know a bit of how that hits. How are you holding up?",
    "ur scared ill go and tell ur PO everything",
    "You're worried I'll tell your mum. I won't; it stays between us unless you're in danger.",
    "Your GP can refer you to the memory clinic if you ever want that.",
    "How, uh, how could you make the weekends feel different, do you think?",
    "Breakups are difficult.",
    "I'm here to try and understand.",
    # fifth round
    "You said, um, at least you've still got your mum, and that's what keeps you going.",
    "your mum keeps saying, like, at least you've got a roof over your head, and it makes you furious",
    "So you're kind of telling yourself it's not as bad as before, at least not yet.",
    "No wonder you're exhausted, you've been doing nights and looking after him on your own.",
    "That was careless of me, I'm sorry. Please go on.",
    "It's not being funny to you at all, is it, when people joke about it.",
    "you find it hard to believe anyone would stick around",
    "Part of you thinks you should, you should tell him, and part of you just wants it to go away.",
    "You must, I mean, you must really miss her.",
    "so ur kind of feeling like you should've seen it coming",
    "Oops, three questions at once, my bad. Just answer whichever one, or none.",
    "No, you're not being dramatic at all.",
    "so u dont really leave the house much these days",
    "so your dad goes you need to man up and it stung",
    "The judge went easy on you, and you still can't sleep.",
    "Is it time to think about what's next for you?",
    "It's time to go, we've only got five minutes left.",
    "You were honest with her, and that took guts.",
    "so part of you thinks you're the one who caused it",
    "Your sister said that's rich coming from you, and it stung.",
    "You keep a diary, and it sounds like that helps.",
    "You keep telling yourself you still have a job and that you should be grateful, and it isn't working.",
    "so everyone at work is saying u should leave him, and u dont know what u want",
    "So you're like, well, at least I've still got the kids, but it still hurts.",
    "You said you knew what he was like back then, and you still hoped he'd change.",
    "that's not what you meant, is it? you meant you felt left out",
    "Can I offer a thought? Just say no if you'd rather not.",
    "how's ur way of coping with it all",
    "Sounds like you're proud of yourself, and you should be.",
    "so what do u reckon u should do next",
    "I'm so sorry. Of course you're not okay.",
    "Take good care of yourself until next week.",
    "So your mum's like, \"you need to just move on\", and that really hurts.",
    "So you rang your sister and told her everything?",
    "Your pastor said God never gives us more than we can handle, and that didn't sit right with you.",
    "Hopefully, they'll stop being so mean to you.",
    "His actions are not right, and you didn't deserve any of it.",
    "Baking for other people can be a lovely way to cheer up, if you ever fancy it.",
    "It's good that you're able to see the bright side, even now.",
    "It's probably not a good idea to see lots of people while you're ill, the GP said.",
    "I'll talk it through with my supervisor without using your name.",
    "How did that go for you?",
    "What made you decide to stay?",
    "You wish you'd left sooner, and you're angry with yourself.",
    "Do I have that right, ken?",
    "Is it okay if I mention it to your GP, or would you rather I didn't?",
    "You deserve better, just saying.",
    "That's an interesting way to put it. Say more?",
    "Okay, how did that go for you?",
    "It took a bold move to walk out of there, and you did it.",
    "Do you know what might help you feel safer?",
    "Shall I loop in your key worker, or would you rather do it?",
    "You keep letting him back in because you love him, and that's so hard.",
    "You've gotta be exhausted.",
    "Everyone's first week back is different, how was yours?",
    "It's essential that you feel safe here, so tell me if anything's off.",
    "It's time to stop for today, we're out of time.",
    "be honest with me if this isn't helping",
    "water under the bridge, is that how it feels?",
    "It's a good thing you told someone.",
    "she'll be right back, she's just making tea",
    "Would it help to think through what you'd say to her, or would you rather not?",
    "just so I can support you better, can I ask a bit more?",
    "What helped you get over it last time?",
    "What is it about his reaction that made it feel like it's not a big deal to him?",
    "u showed ur msg to ur mum and she went quiet",
    "ur boss called it not a good look and u been replaying it all wk",
    "It's up to you what you do next, and I'm here either way.",
    "You're worried that if you tell me more, I'll have to tell your social worker.",
    "You wrote that you should have known better, and that's so hard on yourself.",
    "What would make it easier to bring this up with your GP?",
    "So you gave your sister a ring, and she came round?",
    "ur fried, no wonder, with all that going on",
    "so ur mum goes u need to get a grip and that really hurt",
    "it's like everyone's saying cheer up and you just can't",
    "Get home safe.",
    "Go gently, and text me if the night's a bad one.",
    "Sorry, I got all 'you should' on you there. Go on.",
    "I've been there too. At least, something like it. What's it like for you?",
    "I think I'll leave it there for today, if that's okay with you.",
    "Do you want me to have a word with your landlord, or would you rather I didn't?",
    "Good luck with the hearing on Thursday, I'll be thinking of you.",
    "You're worried I'll pass this on. I won't, it stays between us.",
    "so ur mum goes through ur phone when ur asleep?",
    "It sounds like it's not fair on you, any of it.",
    "I'm disappointed for you, you worked so hard for that place.",
    "you don't believe that it'll get better, not right now",
])
def test_the_same_words_given_back_or_meant_kindly_do_not_act_as_harm(text):
    assert acting_harm(text) == set()


def test_a_short_typed_story_with_no_word_about_the_client_takes_the_floor():
    story = "i had my car towed last year and i had to get 3 buses to work for a month, my boss was a nightmare about it"
    assert recognize(story).primary == "self_focused_story"
    # The same kind of sharing, handed back to the client, stays brief self-disclosure.
    shared = "i had my car towed once too and it wrecked my month. how are you getting to work now?"
    moves = {m.move for m in recognize(shared).moves}
    assert "self_focused_story" not in moves


# ------------------------------------------------------------------ harm asked as a question
# A question mark does not make advice, a verdict or a brush-off into a question: the
# client hears what it does (docs/labelling.md, "directive_advice": "a suggestion framed
# as a question").
@pytest.mark.parametrize("text,move", [
    ("Don't you think you ought to ring your brother back?", "directive_advice"),
    ("Isn't it about time you went back to the gym?", "directive_advice"),
    ("Might it be worth asking the council about a transfer?", "directive_advice"),
    ("couldnt u just tell ur boss ur not coming in", "directive_advice"),
    ("shouldn't you, um, be looking for somewhere else by now?", "directive_advice"),
    ("have u ever tried just switching ur phone off at 10", "directive_advice"),
    ("Wouldn't it make more sense to let your sister sort the forms?", "directive_advice"),
    ("Why not ask the pharmacist? They're usually brilliant.", "directive_advice"),
    ("Did you honestly think he'd pay it back?", "judgment"),
    ("what on earth possessed you to text him at 3am", "judgment"),
    ("And, um, whose fault is that, really?", "judgment"),
    ("isnt that a bit selfish tho", "judgment"),
    ("Is it really that big a deal, though?", "minimizing"),
    ("Surely it can't be as bad as all that?", "minimizing"),
    ("but hey at least u got a free lunch out of it", "minimizing"),
    ("How do you think your mum will take it when I tell her?", "confidentiality_breach"),
])
def test_harm_said_as_a_question_acts(text, move):
    assert move in acting_harm(text), recognize(text).to_dict()


# The same openings that ask for the client's own words, facts or permission stay harmless.
@pytest.mark.parametrize("text,move", [
    ("Is there anything else on your mind today?", "open_question"),
    ("is there something you're hoping to get out of today", "open_question"),
    ("Is there anyone at home with you tonight?", "closed_question"),
    ("How would you feel about looking at a few ideas together?", "collaboration"),
    ("could I share something that's helped other people?", "collaboration"),
    ("Are you okay with us thinking about next steps now?", "collaboration"),
    ("Couldn't you sleep again last night?", "closed_question"),
    ("Could you just say a bit more about that?", "open_question"),
    ("Why don't you want to go back, do you think?", "open_question"),
    ("Did the GP say you should rest for a week?", "closed_question"),
])
def test_a_question_that_asks_is_not_harm(text, move):
    reading = recognize(text)
    assert acting_harm(text) == set(), reading.to_dict()
    assert reading.primary == move, reading.to_dict()


# ------------------------------------------------------------------ words in quotation marks
# Someone's words given back in quotation marks are not the helper's own move, and a
# quotation is not cut into pieces of its own.
@pytest.mark.parametrize("text", [
    'So your dad\'s like, "you need to man up", and you just, you went quiet.',
    'ur nan keeps going "at least you\'ve got your health" and it makes u want to scream',
    'So the message from work was basically "stop being so dramatic, you\'ll be fine", and that stung.',
    "Your sister's like, \u201cjust get over it!\u201d, and you're nowhere near that.",
])
def test_quoted_words_given_back_do_not_act_as_harm(text):
    reading = recognize(text)
    assert acting_harm(text) == set(), reading.to_dict()
    assert reading.primary == "reflection", reading.to_dict()


def test_a_quotation_stays_inside_its_piece():
    from simulator.moves.segment import segments

    text = 'He said "no way. Not again!" and walked out. What happened then?'
    pieces = [text[a:b] for a, b in segments(text)]
    assert pieces == ['He said "no way. Not again!" and walked out.', "What happened then?"]


# ------------------------------------------------------------------ the weight of what happened
@pytest.mark.parametrize("text", ["What a horrible thing to go through.", "oh god what an awful week",
                                  "your feelings are completely valid", "you're doing the best you can with what you've got"])
def test_validation_is_affirmation(text):
    reading = recognize(text)
    assert reading.primary == "affirmation", reading.to_dict()
    assert acting_harm(text) == set()


def test_a_horrible_thing_to_say_is_still_judged():
    assert "judgment" in acting_harm("That was a horrible thing to say to your sister.")


# ------------------------------------------------------------------ harm said gently
@pytest.mark.parametrize("text,move", [
    ("Well, you reap what you sow, don't you.", "judgment"),
    ("To be honest I think you're using the divorce as an excuse.", "judgment"),
    ("I mean, it's not like anyone forced you to sign it.", "judgment"),
    ("Your problem is you never say no to people.", "judgment"),
    ("It's your choice to keep lending him money, so don't come crying to me.", "judgment"),
    ("Listen, everyone's a bit low in February, it's just the weather.", "minimizing"),
    ("Honestly it's not worth getting upset over.", "minimizing"),
    ("ok enough sad stuff, whats everyone watching this week", "minimizing"),
    ("Honestly, at least you found out before the wedding.", "minimizing"),
    ("Mate, you're not the first and you won't be the last.", "minimizing"),
    ("I'll just pop a note to your GP so she knows.", "confidentiality_breach"),
    ("My plan is to ring your probation officer after this.", "confidentiality_breach"),
    ("I'm thinking of telling your manager about the panic attacks.", "confidentiality_breach"),
    ("dont worry itll stay between me and the other volunteers", "confidentiality_breach"),
    ("read ur texts out at group last night, hope thats ok", "confidentiality_breach"),
    ("my aunt works at ur college, ill ask her to keep an eye on u", "confidentiality_breach"),
    ("You'd be mad not to take the flat.", "directive_advice"),
    ("The best thing you can do now is rest.", "directive_advice"),
    ("Sorry, I know I keep saying it, but you really do need to tell him.", "directive_advice"),
    ("whatever u do dont text him back", "directive_advice"),
])
def test_harm_said_gently_acts(text, move):
    assert move in acting_harm(text), recognize(text).to_dict()


@pytest.mark.parametrize("text", [
    "Needing help doesn't make you weak.",
    "not gonna lie, if u told me u were in danger id have to tell someone. everything else stays here",
    "You're worried people think you're using the grief as an excuse.",
    "I read your post twice and it really stayed with me.",
    "Would you like me to drop a line to your GP, or would you rather do it yourself?",
    "So your plan is to phone your probation officer after this?",
    "It's like you have to be the strong one all the time.",
    "it sounds like you had to grow up really fast",
    "you're still figuring out if you should go back",
    "you'd rather just forget about it for now",
    "So there's three things going on: the diagnosis, the scans, and your boss not getting why you need the time off.",
    "That's nothing to be ashamed of.",
])
def test_gentle_look_alikes_do_not_act_as_harm(text):
    assert acting_harm(text) == set(), recognize(text).to_dict()


# ------------------------------------------------------------------ quiet harm in everyday words
@pytest.mark.parametrize("text,move", [
    ("skipping the meds again, what could go wrong lol", "judgment"),
    ("Honestly it sounds like excuses to me.", "judgment"),
    ("Well, you got yourself into this mess, didn't you.", "judgment"),
    ("typical, blame the teacher again", "judgment"),
    ("i think ur probably overthinking it tbh", "judgment"),
    ("Shouting at them like that isn't good parenting.", "judgment"),
    ("that's not how you treat your friends", "judgment"),
    ("why would you tell him that though", "judgment"),
    ("God never gives us more than we can handle, love.", "minimizing"),
    ("It's just a phase, he'll grow out of it.", "minimizing"),
    ("Everyone your age feels like that at some point.", "minimizing"),
    ("pfft, at least you've still got a job", "minimizing"),
    ("I'm sure it'll all work out fine.", "minimizing"),
    ("Oh they're going to love you, stop worrying.", "minimizing"),
    ("if i were you i'd dump him tonight", "directive_advice"),
    ("Listen, just ring your mum and sort it out.", "directive_advice"),
    ("I might bring up what you told me at the team meeting.", "confidentiality_breach"),
    ("I mentioned your situation to my supervisor yesterday.", "confidentiality_breach"),
    ("so i told her a bit about what you said, she gets it", "confidentiality_breach"),
    ("I've put a short note on your file about the drinking.", "confidentiality_breach"),
    ("I already told your mum what you said, sorry.", "confidentiality_breach"),
    # A filler set off by commas does not hide the words around it.
    ("I've, um, already had a word with your landlord about it.", "confidentiality_breach"),
])
def test_quiet_harm_in_everyday_words_acts(text, move):
    assert move in acting_harm(text), recognize(text).to_dict()


@pytest.mark.parametrize("text", [
    "I wasn't saying it was your fault, I'm sorry it came across that way.",
    "course ur not ok, who would be",
    "lots of people post there about the same thing",
    "Lots of people have found the group really helpful, if you ever want the link.",
    "you're scared one of the volunteers screenshotted it",
    "So you're wondering whether you should go back to him.",
    "so at least the kids are okay, but right now it doesn't feel like enough",
    "you wrote that it's not that bad, but it sounds pretty heavy to me",
    "How's the new job working out for you so far?",
    "You got yourself into the hostel on your own, that's huge.",
    "It doesn't sound like it's just a phase to you.",
])
def test_quiet_look_alikes_do_not_act_as_harm(text):
    assert acting_harm(text) == set(), recognize(text).to_dict()


def test_a_fear_given_back_is_no_breach_but_a_threat_after_it_is():
    assert acting_harm("you're scared one of the volunteers screenshotted it") == set()
    assert "confidentiality_breach" in acting_harm("You're scared, and I'm going to tell your mum anyway.")


def test_taking_a_verdict_back_with_a_but_still_judges():
    assert "judgment" in acting_harm("I'm not saying it was your fault, but you did pick the fight.")


def test_a_safety_check_does_not_hide_advice_given_beside_it():
    assert acting_harm("did you try to hurt yourself? you should tell your mum") == {"directive_advice"}
    assert acting_harm("Have you thought about dying?") == set()


# ------------------------------------------------------------------ quiet harm, second round
@pytest.mark.parametrize("text,move", [
    ("another fresh start with him then 🙄", "judgment"),
    ("Yeah, because not opening the post has gone so well so far, hasn't it.", "judgment"),
    ("I don't want to sound harsh, but you do this with every job.", "judgment"),
    ("I'm not blaming you, but you did give him the spare key.", "judgment"),
    ("It comes across as a bit controlling, reading his emails.", "judgment"),
    ("tbh u kinda brought the arrears on urself", "judgment"),
    ("He did it twice before. Honestly, what did you expect?", "judgment"),
    ("cant believe ur still lending him money", "judgment"),
    ("You're a bit of a soft touch with your cousins, aren't you.", "judgment"),
    ("Most people in your shoes would've sorted the forms by now.", "judgment"),
    ("So, um, you're using the night shifts as an excuse not to see her.", "judgment"),
    ("Anyway, enough of the sad stuff, tell me something good.", "minimizing"),
    ("Let's not dwell on the court case, shall we talk about the allotment?", "minimizing"),
    ("ha welcome to the club, my whole street's in arrears", "minimizing"),
    ("An hour in the waiting room, you'll live.", "minimizing"),
    ("We never had any of that help, we just got on with it.", "minimizing"),
    ("you're worrying over nothing, the letter's routine", "minimizing"),
    ("Honestly, it was only a warning letter.", "minimizing"),
    ("Give it a month and you won't even remember feeling like this.", "minimizing"),
    ("Look, you've still got your health and your kids.", "minimizing"),
    ("She's at peace now, and she wouldn't want you crying over her.", "minimizing"),
    ("mine's way worse tbh, three kids and no car", "minimizing"),
    ("So, right, here's what you're going to do: ring the agency first thing.", "directive_advice"),
    ("that's decided then, you're staying at your aunt's tonight", "directive_advice"),
    ("I'm booking you in with the debt adviser on Friday.", "directive_advice"),
    ("My two cents: get it all in writing.", "directive_advice"),
    ("Wouldn't it be easier to let your dad pick the kids up?", "directive_advice"),
    ("I'm going to raise what you told me about the money at the team meeting.", "confidentiality_breach"),
    ("I've emailed your GP to explain that you've stopped eating again.", "confidentiality_breach"),
    ("I asked my church group to pray for you and your daughter.", "confidentiality_breach"),
    ("gonna run this past the other mods so we all know", "confidentiality_breach"),
    ("I was telling my husband about you last night.", "confidentiality_breach"),
])
def test_quiet_harm_second_round_acts(text, move):
    assert move in acting_harm(text), recognize(text).to_dict()


@pytest.mark.parametrize("text", [
    "What did you expect the first meeting to be like?",
    "What were you thinking about when you walked out?",
    "I don't think you're overreacting by asking for a meeting.",
    "There's a part of you that thinks maybe it's not that bad, and a part that's counting the days.",
    "One minute it's fine at work, the next you're dreading Monday.",
    "Every reason you give sounds like an excuse to you now, even the real ones.",
    "Tenants are entitled to ask for that in writing.",
    "oh you ran it past your mate? what did she make of it",
    "u showed ur mum the letter and she went quiet",
    "I told you about the group last week, didn't I?",
    "Um, I'd only ever pass something on if you told me someone was at risk, and I'd tell you first.",
    "So you feel, um, you should ring your sister, but you don't know what you'd say.",
    "You know what works for you better than I do.",
    "Your mother-in-law said you should just try again, and that stung.",
    "You're better off without him is what everyone keeps saying.",
    "It would be a mistake for me to tell you what to do here.",
    "So the group's on Tuesday as usual.",
    "so tomorrow you ring the council, and then what?",
    "Anyway, what happened after that?",
    "It's only a scan, but waiting for results is scary.",
    "I'm going to mention it to your worker only if you're okay with that.",
])
def test_quiet_look_alikes_second_round_do_not_act_as_harm(text):
    assert acting_harm(text) == set(), recognize(text).to_dict()


# Third round (two fresh authors, train-af in chat and train-ag in speech, rules written in
# general words): quiet harm acts whatever the register. These phrasings are new here.
@pytest.mark.parametrize("text,move", [
    ("you kind of knew he'd do it again though, didn't you?", "judgment"),
    ("Honestly, that's the drink talking, not you.", "judgment"),
    ("I'm saying this as a friend, you've been a bit head in the sand about the rent.", "judgment"),
    ("A good dad would have picked up the phone.", "judgment"),
    ("interesting that you only started ringing her once the money ran out", "judgment"),
    ("lowkey immature to leave the group chat over that", "judgment"),
    ("ur such a flake w appointments lol", "judgment"),
    ("k. guess ur just not bothering with the course anymore", "judgment"),
    ("so you skipped the hearing. shocker", "judgment"),
    ("mm. that sounds hard, but tbh ur kinda setting urself up for this", "judgment"),
    ("Keeping it from your wife for a year wasn't fair on her.", "judgment"),
    ("So, um, you, you did kind of ignore the letters for months, didn't you?", "judgment"),
    ("Give it six months and it'll feel like nothing.", "minimizing"),
    ("There are people sleeping rough tonight who'd swap with you.", "minimizing"),
    ("I really believe it was meant to be.", "minimizing"),
    ("its one bad week, u'll survive", "minimizing"),
    ("nah ur fine, nobody even noticed", "minimizing"),
    ("aw that's rough. anyway how was the match?", "minimizing"),
    ("Ah, kids bounce back, she'll have forgotten it by Christmas.", "minimizing"),
    ("I wouldn't worry, they send those letters to everyone.", "minimizing"),
    ("time to bounce back now hun x", "minimizing"),
    ("I spoke to your brother at the weekend and told him how low you've been.", "confidentiality_breach"),
    ("I've passed your details to the food bank so they can ring you.", "confidentiality_breach"),
    ("i already told coach u were struggling", "confidentiality_breach"),
    ("ima text ur mum so she knows whats going on", "confidentiality_breach"),
    ("dropped it in the volunteers whatsapp so we can all look out for u", "confidentiality_breach"),
    ("Either you tell your manager this week or I will.", "confidentiality_breach"),
    ("I've popped a note on your file so the team are aware.", "confidentiality_breach"),
    ("Yes, try writing it all down before bed.", "directive_advice"),
    ("Surround yourself with people who get it.", "directive_advice"),
    ("It might be time to look for another flat.", "directive_advice"),
    ("Getting out for a walk each morning can really help.", "directive_advice"),
])
def test_quiet_harm_third_round_acts(text, move):
    assert move in acting_harm(text), recognize(text).to_dict()


@pytest.mark.parametrize("text", [
    "You keep telling yourself it could be worse, like you're not allowed to be upset.",
    "it could be worse but it still really hurts, yeah?",
    "You're hard on yourself, saying a good mum would have seen it coming.",
    "So the move was meant to be a fresh start, and it hasn't felt like one?",
    "I can see you're upset, and that makes sense.",
    "It sounds like you're on the right track with the forms.",
    "Well, you did say it made you stronger. That took courage.",
    "I'm sure it's shared by a lot of people this year.",
    "Would you like me to pass your details to the food bank, or would you rather ring them?",
    "Do you want to tell your manager yourself, or would it help if we planned it together?",
    "I think it might be time to finish for today.",
])
def test_quiet_look_alikes_third_round_do_not_act_as_harm(text):
    assert not acting_harm(text), recognize(text).to_dict()


def test_a_verdict_after_a_reflection_acts_only_past_a_contrast():
    # A reflection gives back the client's words; a harmful cue inside it is theirs. Past a
    # "but", the helper's own verdict is heard (docs/recogniser.md).
    assert "judgment" in acting_harm("I can hear how stressed you are, but honestly you brought this on yourself.")
    assert not acting_harm("It sounds like you feel you should've seen it coming.")
