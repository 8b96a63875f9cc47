"""The project's own labelled corpus of trainee utterances, written for peersim.

    python -m tools.recogniser.corpus     # writes tools/corpus/moves.jsonl

Every line of the corpus is {"text", "label", "split", "source"}. It is built from
hand-authored templates with slot-fillers and from hand-written items in many voices
(careful English, plain speech, texting style, typos, no punctuation). Nothing here is
taken from any outside data set; the project owns all of it.

The held-out split is fixed and is chosen per *template* (and per hand-written item),
by a stable hash of that template alone: no test item shares a template with a training
item, so the held-out score is not a memory test of the templates, and adding templates
never moves an existing one across. Voices (lower case, no punctuation,
texting, a typo) are applied by a seeded random generator, so the file is the same on
every run.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from pathlib import Path

from simulator.moves.taxonomy import MOVE_IDS

OUT = Path(__file__).resolve().parents[1] / "corpus" / "moves.jsonl"
SEED = 20261126
TEST_SHARE = 5        # one template in five goes to the held-out split
SPLIT_SALT = 56   # see _split_for

# ----------------------------------------------------------------------------- slots
SLOTS: dict[str, list[str]] = {
    "feel": ["stuck", "exhausted", "worn out", "overwhelmed", "lonely", "scared", "angry", "frustrated", "torn",
             "hopeless", "ashamed", "trapped", "on edge", "numb", "lost", "hurt", "let down", "anxious", "fed up",
             "invisible", "judged", "tired", "restless", "guilty", "nervous", "confused", "drained", "alone",
             "cornered", "disrespected", "unsure", "embarrassed", "worried", "burnt out", "pulled in two directions"],
    "good": ["proud", "relieved", "hopeful", "a bit lighter", "more like yourself", "stronger", "calmer", "ready"],
    "topic": ["the job search", "your sister", "the court date", "the drinking", "the custody hearing", "your mom",
              "the rent", "money", "the meetings", "sleep", "the cravings", "your kids", "being back home",
              "parole", "the new apartment", "the shelter", "your ex", "your health", "the group", "work", "school",
              "the weekends", "the nights", "your dad", "your partner", "the landlord", "the paperwork",
              "the move", "your brother", "the holidays", "your daughter", "your son", "the bills", "the program",
              "the hospital visits", "the waiting list", "the old neighbourhood", "your friends", "the using"],
    "person": ["your sister", "your mom", "your dad", "your kids", "your partner", "your ex", "your friends",
               "your boss", "your brother", "your daughter", "your son", "your family", "your roommate",
               "your grandmother", "your husband", "your wife", "your girlfriend", "your boyfriend"],
    "authority": ["your PO", "your probation officer", "your parole officer", "your caseworker", "your case manager",
                  "your doctor", "the judge", "the court", "your boss", "CPS", "child services", "your family",
                  "your mom", "your landlord", "the team", "the staff", "the police", "your lawyer",
                  "the shelter staff", "your sponsor", "your therapist", "your ex's lawyer", "your supervisor",
                  "the housing office", "your social worker", "the program director", "your employer",
                  "your husband", "your wife", "the group"],
    "action": ["go to a meeting", "call your sponsor", "get a job", "stop drinking", "quit using", "move out",
               "talk to your sister", "apply for housing", "sign up for the program", "find new friends",
               "cut off your ex", "get more sleep", "go to rehab", "throw it all out", "delete his number",
               "stay away from the old block", "start journaling", "join a gym", "get a sponsor", "try harder",
               "tell your boss", "pray about it", "stop hanging out with them", "look for work", "leave him",
               "go back to school", "call your mom", "pour it down the sink", "get rid of your phone",
               "go to bed earlier", "find a therapist", "get out of that house", "apologise to her",
               "sort out your finances", "go to the food bank", "take the job", "stop seeing those people",
               "start exercising", "go to church", "write a budget", "just say no"],
    "want": ["to be there for your kids", "to keep your job", "to get your licence back", "to feel like yourself again",
             "a fresh start", "to stay out of trouble", "some peace", "to be trusted again",
             "to sleep through the night", "your own place", "to stay sober", "to cut back", "to get custody back",
             "a quiet life", "things to be different", "to make your mom proud", "to finish school",
             "to stop feeling like this", "people to leave you alone", "to show them you've changed",
             "to get your daughter back", "a job you can keep", "to be taken seriously"],
    "strength": ["kept going", "shown up every week", "stayed sober for three months", "put your kids first",
                 "held on through a lot", "asked for help", "been really honest with me", "made it here today",
                 "kept looking for work", "stood up for yourself", "got through the first week",
                 "taken care of your mom", "stuck with the program", "kept your apartment", "reached out",
                 "kept trying after every no", "looked after yourself", "been through so much"],
    "time": ["this week", "lately", "since you got home", "since the hearing", "these last few months",
             "since you moved", "since Christmas", "every morning", "at night", "on weekends", "right now",
             "for a while now", "since the breakup", "since you lost the job"],
    "service": ["The drop-in centre", "The clinic on Main Street", "The food bank", "The housing office",
                "The women's group", "The library", "The legal aid office", "The recovery café",
                "The peer group", "The crisis line", "The needle exchange", "The job centre", "The shelter"],
    "opens": ["is open until six on weekdays", "opens at nine", "runs on Tuesday evenings",
              "is free and you don't need to book", "takes walk-ins on Mondays", "closes at noon on Fridays",
              "is open twenty-four hours", "meets in the basement room", "has a waiting list of about two weeks",
              "can help with the forms", "is just two stops on the bus", "is run by people in recovery"],
    "my_past": ["when I was using", "when I got out", "back when I was drinking", "after my divorce",
                "when I lost my job", "when I was in the shelter", "my first year sober", "when I came home",
                "after my son was born", "when I was on probation", "when my mom died", "in my twenties",
                "when I first got clean", "when I was homeless", "when I left treatment"],
    "my_thing": ["I lost everything", "I didn't trust anybody", "I couldn't sleep for weeks",
                 "I felt like a ghost", "I was so angry all the time", "I hid it from everyone",
                 "I thought nobody would hire me", "I pushed everybody away", "I was ashamed to ask for help",
                 "I kept going back to the same people", "I had nowhere to go", "I felt like I'd failed my kids"],
    "hand_back": ["What's it like for you?", "How is it for you?", "What's that like for you right now?",
                  "Is any of that true for you?", "How does that fit with what you're going through?",
                  "What's it been like on your end?", "I'm curious how it is for you.", "But enough about me, how are you doing with it?",
                  "Does that ring any bells for you?", "What's different for you?", "How about you?",
                  "What's been hardest for you?"],
}


def _slots(template: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", template)


# ------------------------------------------------------------------------- templates
# Per move: templates (filled several times each) and hand-written items (used once).
TEMPLATES: dict[str, list[str]] = {
    "reflection": [
        "It sounds like {topic} has you feeling {feel}.",
        "Sounds like you're feeling {feel} about {topic}.",
        "So you're feeling {feel}.",
        "You're feeling {feel} {time}.",
        "You feel {feel} when it comes to {topic}.",
        "It seems like {topic} has been weighing on you.",
        "You've been carrying {topic} on your own.",
        "So {topic} is what keeps you up at night.",
        "You really want {want}.",
        "What you want is {want}.",
        "Part of you wants {want}.",
        "You feel like you should {action}.",
        "You think you ought to {action}, and that feels like a lot.",
        "You're wondering whether you should {action}.",
        "You've been told you need to {action}, and you're not sure that fits.",
        "It sounds like you're {feel} and nobody seems to notice.",
        "That must be {feel_ing} for you.",
        "I'm hearing that {topic} feels like too much right now.",
        "If I'm hearing you right, you want {want}.",
        "So you feel {feel} because of {topic}.",
        "You don't want {topic} to run your life.",
        "You're not sure {topic} is worth it.",
        "It's been {feel_ing} dealing with {topic} {time}.",
        "You feel {good} that you managed it.",
        "Feeling {feel} {time}.",
        "So {feel}.",
        "you're feeling pretty {feel} {time}",
        "sounds like {topic} is a lot rn",
        "You care a lot about {person}.",
        "You miss {person}.",
        "You're worried about what {person} will think.",
        "It feels like {person} doesn't see how hard you're trying.",
        "You're tired of explaining yourself to {person}.",
        "You've been dealing with {topic} on your own {time}.",
        "You've heard that a lot from {person}.",
        "You've had enough of {topic}.",
        "You've been holding {topic} by yourself.",
        "You've tried to {action} before and it didn't stick.",
        "You've been feeling {feel} about {topic} {time}.",
    ],
    "summary": [
        "So far you've told me about {topic}, {topic2} and feeling {feel}.",
        "Let me see if I've got this: {topic} is hard, {topic2} is worse, and you want {want}.",
        "So to sum up, you're dealing with {topic} and {topic2}, and underneath it you want {want}.",
        "Let me check I understand: there's {topic}, there's {topic2}, and you're feeling {feel} about both.",
        "On one hand {topic} helps you get through the day, and on the other hand you want {want}.",
        "Part of you wants {want}, and another part of you isn't ready to let go of {topic}.",
        "So you've mentioned three things: {topic}, {topic2}, and how {feel} you've been.",
        "Let me pull this together: {topic} has been rough, {topic2} isn't helping, and what matters most is {want_n}.",
        "What I'm hearing overall is that {topic} and {topic2} are both weighing on you, and you want {want}.",
        "So to recap, {topic} started it, {topic2} made it worse, and now you're feeling {feel}.",
        "Just to make sure I have it all: {topic}, {topic2}, and wanting {want}.",
        "You've talked about {topic}, about {topic2}, and about wanting {want}.",
        "ok so recap: {topic}, {topic2}, and u want {want}",
        "So a few things are going on at once: {topic}, {topic2}, and you're feeling {feel}.",
    ],
    "open_question": [
        "What's {topic} been like for you?",
        "How have you been feeling about {topic}?",
        "What would it mean to you to have {want_n}?",
        "Tell me more about {topic}.",
        "What worries you most about {topic}?",
        "How do you want things to go with {person}?",
        "What keeps you going {time}?",
        "What would be different if {topic} got easier?",
        "How did you get through {topic} before?",
        "What do you make of {topic}?",
        "What's the hardest part of {topic}?",
        "How does {topic} fit with what you want for yourself?",
        "What would you like to happen with {topic}?",
        "Walk me through a typical day {time}.",
        "What has helped, even a little, with {topic}?",
        "How are things with {person}?",
        "What's going through your mind when you think about {topic}?",
        "What brings you in today?",
        "Where would you like to start?",
        "What matters most to you about {topic}?",
        "I'm curious what {topic} is like for you.",
        "Help me understand what {topic} has been like.",
        "what's been going on with {topic}",
        "how r u feeling about {topic}",
        "how has {time} been",
        "Why do you think {topic} matters so much to you?",
        "What do you think you'll do about {topic}?",
        "In what way has {topic} changed things for you?",
    ],
    "affirmation": [
        "It took a lot of courage to talk about {topic}.",
        "You've {strength}, and that says a lot about you.",
        "You've {strength}.",
        "I'm really impressed that you've {strength}.",
        "That makes sense, given everything with {topic}.",
        "Of course you feel {feel}, anyone would.",
        "It's okay to feel {feel} about {topic}.",
        "Anyone in your shoes would feel {feel}.",
        "Thank you for telling me about {topic}.",
        "Thanks for being so honest about {topic}.",
        "You clearly care a lot about {person}.",
        "You really love {person}, that's obvious.",
        "It's understandable to feel {feel} after all that.",
        "You're doing your best with {topic}, and it shows.",
        "That's a real strength, the way you've {strength}.",
        "I'm glad you came in today.",
        "You should be proud of how you've {strength}.",
        "Your feelings about {topic} make total sense.",
        "It's completely normal to feel {feel} {time}.",
        "You've come a long way with {topic}.",
        "Not everyone could have {strength}.",
        "thats huge that you {strength_past}",
        "ur doing so well with {topic}",
        "I appreciate you trusting me with {topic}.",
        "I'm so sorry to hear about {topic}.",
        "I understand how {feel_ing} {topic} must be.",
        "I'm sorry you're going through this with {person}.",
        "You're not alone with {topic}.",
        "I believe in you, you've {strength}.",
        "I'm sure you can handle {topic}, you've {strength}.",
        "That's a great plan for {topic}.",
        "im so sorry about {topic}",
    ],
    "autonomy_support": [
        "It's your call what you do about {topic}.",
        "It's up to you whether you {action}.",
        "Whatever you decide about {topic}, I'm here.",
        "You're the expert on your own life.",
        "You know what's best for you when it comes to {topic}.",
        "You get to decide what happens with {topic}.",
        "It's your decision, and I'll respect it.",
        "We can go at your pace with {topic}.",
        "It's entirely your choice whether you {action}.",
        "You don't have to {action} if it doesn't feel right.",
        "Only you can decide what's right with {person}.",
        "Whether you {action} or not is your choice.",
        "I'm not here to tell you what to do about {topic}.",
        "I'm not going to tell you to {action}.",
        "You're in charge of what we talk about.",
        "What you do next is completely up to you.",
        "Take your time, there's no rush with {topic}.",
        "You can choose what feels right for you.",
        "its ur choice if u {action}",
        "totally up to u what happens with {topic}",
        "Nobody can make that decision but you.",
        "It's your life, and your decision about {topic}.",
        "You can say no to anything I suggest.",
    ],
    "collaboration": [
        "Could we work out a plan for {topic} together?",
        "Shall we figure out a next step together?",
        "Would it help if we looked at {topic} together?",
        "Let's think about {topic} together.",
        "Would it be okay if I shared a couple of ideas about {topic}?",
        "Is it okay if I offer a thought about {topic}?",
        "Do you mind if I ask about {topic}?",
        "Would you like to hear what other people have tried with {topic}?",
        "Maybe we could map out the week together.",
        "We could brainstorm some options for {topic}, if you want.",
        "What if we came up with a plan for {topic} together?",
        "Can we set a goal together for {time}?",
        "Let's figure out what you want to focus on.",
        "Would you be open to making a plan for {topic} with me?",
        "How about we write down a few options for {topic} and look at them together?",
        "Can I share something that helped other people with {topic}, and you tell me if it fits?",
        "Where should we start, you and me?",
        "lets work on {topic} together",
        "we could figure out {topic} together if u want",
        "May I share an idea about {topic}?",
        "Would it help to go through {topic} step by step together?",
    ],
    "confidentiality_assurance": [
        "What you tell me stays between us.",
        "Anything you say about {topic} stays in this room.",
        "I won't tell {authority} anything you say here.",
        "I'm not going to share this with {authority}.",
        "This is confidential.",
        "I won't pass on what you tell me without your permission.",
        "Nothing you say about {topic} goes to {authority}.",
        "This stays between you and me.",
        "I'll never tell {authority} without your okay.",
        "What you share here is private.",
        "Whatever you tell me about {topic} is kept confidential.",
        "I don't report what we talk about to {authority}.",
        "You decide who hears about {topic}, not me.",
        "I won't write this down or share it with {authority}.",
        "The only time I'd ever have to share something is if someone's life was in danger, and I'd tell you first.",
        "{authority_cap} won't hear about this from me.",
        "this stays between us ok",
        "i wont tell {authority} anything",
        "none of this goes in a file",
    ],
    "closed_question": [
        "Did you sleep last night?",
        "Are you still seeing {person}?",
        "Have you talked to {person} {time}?",
        "Is {topic} still a problem?",
        "Do you want to talk about {topic}?",
        "Did you go to the meeting?",
        "Are you feeling {feel}?",
        "Did {topic} come up with {person}?",
        "Was it {topic} that set it off?",
        "Have you eaten today?",
        "Do you have a place to stay tonight?",
        "Is {person} helping at all?",
        "Did {person} call you back?",
        "Can you get to the clinic on your own?",
        "Would you say you're {feel}?",
        "Are you drinking every day?",
        "Is that the first time it happened?",
        "Do you think {topic} is getting better?",
        "Have you ever tried to cut back?",
        "Was that before or after the hearing?",
        "Are you okay?",
        "You feel {feel}?",
        "So you're {feel}?",
        "{topic_cap} is still hard?",
        "You talked to {person}?",
        "did u go to work today",
        "r u still in touch with {person}",
        "do you have a job right now",
        "is it {topic}",
        "How many days has it been?",
        "When is the court date?",
        "How old are your kids?",
        "Is it better or worse than last week?",
        "Do you mean {topic}?",
    ],
    "information": [
        "{service} {opens}.",
        "There's a group for parents that meets on Thursdays.",
        "Naloxone is free at most pharmacies here.",
        "The crisis line number is on the back of this card.",
        "A lot of people find {topic} gets harder before it gets easier.",
        "It's common to feel {feel} in the first few months.",
        "There are groups for people dealing with {topic}.",
        "Some people find it helps to write things down, some don't.",
        "The housing application usually takes about six weeks.",
        "You can text the line as well as call it.",
        "Legal aid can help with the custody paperwork.",
        "The bus pass program covers trips to appointments.",
        "The peer group is free and you can just drop in.",
        "Many people feel {feel} when they first come home.",
        "The food bank doesn't ask for ID.",
        "There's a form you fill in, and then someone calls you back within a week.",
        "Our peer support is free and it doesn't have a time limit.",
        "the clinic takes walk ins on mondays",
        "fyi {service_low} {opens}",
        "Research shows cravings usually pass within about twenty minutes.",
        "The program is voluntary.",
        "I work here as a peer support specialist, which means I have lived experience too.",
        "Sessions are about an hour.",
        "There are lots of resources online for {topic}.",
        "Most people feel {feel} in the first few weeks.",
        "According to the housing office, the list moves faster in spring.",
        "Many people in recovery say {topic} was the hardest part.",
    ],
    "self_disclosure": [
        "I've been somewhere like that too. {hand_back}",
        "I remember feeling {feel} like that {my_past}. {hand_back}",
        "{my_past_cap}, {my_thing_low}. {hand_back}",
        "I know a bit about {topic} from my own life. {hand_back}",
        "I've felt {feel} like that myself. {hand_back}",
        "I went through something similar {my_past}. {hand_back}",
        "Me too, I had a hard time with {topic} once. {hand_back}",
        "I've been there with {topic}, it's rough. {hand_back}",
        "In my own recovery I found {topic} really hard too. {hand_back}",
        "i been there too {hand_back_low}",
        "I've had nights like that. {hand_back}",
        "I struggled with that too {my_past}.",
        "I've been in a similar place.",
        "I know that feeling of being {feel}, I've had it.",
        "I've felt {feel} about {topic} too, so I get a little of it.",
        "Speaking as someone in recovery, I've had days like that.",
        "I've been through {topic} myself, a long time ago.",
        "For what it's worth, I've felt that way too.",
        "I've had to deal with {authority} myself, so I know it can be a lot.",
        "ive been there w {topic} too",
        "Just so you know, I've been in that spot as well.",
        "I've had my own struggles with {topic}, so you're not alone.",
        "I also struggled with {topic} when I was younger.",
        "Something similar happened to me {my_past}.",
        "I had the same problem with {topic} a few years ago.",
        "What helped me {my_past} was having someone to talk to.",
        "I can relate, I went through {topic2_mine} too.",
    ],
    "greeting": [
        "Hi, thanks for coming in.",
        "Hello, nice to meet you.",
        "Good morning, come on in.",
        "Hey, good to see you again.",
        "Welcome, make yourself comfortable.",
        "Hi {name}, I'm {helper}.",
        "Thanks for coming today.",
        "Take care, see you next week.",
        "Bye for now.",
        "Good afternoon.",
        "Hey there.",
        "hi",
        "heyy",
        "hello again",
        "Nice to see you, {name}.",
        "See you Thursday.",
        "Thanks for talking with me today, take care.",
        "Good evening, thanks for making the time.",
        "Good luck with {topic}!",
        "You're welcome, take care of yourself.",
        "I hope you have a good night, {name}.",
        "Glad I could help, see you next week.",
        "hi there {name}",
        "Welcome back.",
    ],
    "other": [
        "Okay.",
        "Mm-hm.",
        "Right.",
        "I see.",
        "Hmm.",
        "Uh huh.",
        "Sorry, I missed that, say it again?",
        "One second, let me grab a pen.",
        "Sorry, go on.",
        "Yeah.",
        "Oh.",
        "Okay, go on.",
        "Sorry about the noise outside.",
        "Let me just close the door.",
        "Sorry I'm a few minutes late.",
        "The weather's been wild this week.",
        "Did you find parking okay?",
        "I'm going to get some water, want some?",
        "ok",
        "lol",
        "mhm",
        "hmm ok",
        "We have about ten minutes left.",
        "Sorry, my phone.",
        "Where was I.",
        "Give me a moment.",
    ],
    "self_focused_story": [
        "{my_past_cap}, {my_thing_low}, and then I went into a program and I had to start from nothing, and it took me years, and honestly I still think about it every single day, and that's what got me where I am now.",
        "Let me tell you about me. {my_past_cap} {my_thing_low}. I remember my sponsor telling me I'd never make it, and I proved him wrong. I went to ninety meetings in ninety days and I never looked back. That's my story.",
        "I know exactly what that's like, {my_past} {my_thing_low} and my family wouldn't speak to me for two years and I had to rebuild everything on my own, the job, the apartment, all of it, so believe me I know.",
        "When I went through {topic2_mine} I did it completely differently. I got up every morning at five, I went to meetings, I called my sponsor, I did the steps, and that's how I got through it. It worked for me so it'll work for you.",
        "That reminds me of my own story. {my_past_cap}, {my_thing_low}. Then my brother got sick, and I was the one looking after him, and I lost my job over it, and then I moved in with my aunt, and that was its own whole thing.",
        "Oh man, {my_past} it was the same for me, {my_thing_low}, I was living in my car for a while and I'd go to the library every day just to be somewhere warm, and I met this guy there who got me into recovery, and we're still friends actually, he was at my wedding last year.",
        "Honestly {my_past} was the worst time of my life. {my_thing_cap}. I was drinking every day, my kids were with their grandmother, I had court dates piling up, and I just kept telling myself I'd deal with it tomorrow. It took me a long time to get where I am.",
        "my story is kind of like that, {my_past} {my_thing_low} and then i went to treatment twice and the second time it stuck because i finally listened and now i have five years and my own place and everything",
    ],
    "directive_advice": [
        "You should {action}.",
        "You need to {action}.",
        "You have to {action} before it gets worse.",
        "You really should {action}.",
        "Why don't you just {action}?",
        "Why not {action}?",
        "If I were you, I'd {action}.",
        "My advice is to {action}.",
        "The best thing to do is {action}.",
        "You've got to {action}.",
        "What you need to do is {action}.",
        "It's time to {action}.",
        "Just {action}.",
        "{action_cap} tonight.",
        "Honestly, you should {action}.",
        "u should {action}",
        "u need to {action} asap",
        "you gotta {action}",
        "just {action} already",
        "Stop worrying about {topic} and {action}.",
        "You must {action}.",
        "Don't even think about {topic}, just {action}.",
        "First thing tomorrow, {action}.",
        "You'd better {action}.",
        "You ought to {action}.",
        "Make sure you {action}.",
        "The answer is to {action}.",
        "I think you should {action}.",
        "I'd tell you to {action}.",
        "Maybe you could {action}.",
        "Have you thought about trying to {action}?",
        "It might help to {action}.",
        "I would suggest you {action}.",
        "Perhaps you should {action} this week.",
        "How about trying to {action}?",
        "You could always {action}.",
        "You might want to {action}.",
        "I'd recommend you {action} as soon as possible.",
        "maybe u could {action}",
        "It's a good idea to {action}.",
    ],
    "judgment": [
        "That was a pretty irresponsible thing to do.",
        "You only have yourself to blame for {topic}.",
        "What were you thinking?",
        "That's just an excuse.",
        "You're being selfish about {topic}.",
        "How could you do that to {person}?",
        "You knew better than that.",
        "You're in denial about {topic}.",
        "Stop making excuses about {topic}.",
        "That's a stupid way to handle {topic}.",
        "You did this to yourself.",
        "You always find someone else to blame.",
        "You never follow through.",
        "Honestly that's pretty lazy.",
        "You're not even trying with {topic}.",
        "You should have known better.",
        "That's a bad choice and you know it.",
        "It's your own fault {person} left.",
        "Real parents don't do that.",
        "thats kinda pathetic tbh",
        "ur just making excuses",
        "you brought this on yourself",
        "I'm disappointed in you.",
        "Typical, you always do this.",
        "Well that was dumb.",
        "No wonder {person} doesn't trust you.",
    ],
    "minimizing": [
        "At least you still have {person}.",
        "At least {topic} isn't worse.",
        "Cheer up, it's not that bad.",
        "Look on the bright side.",
        "Everything happens for a reason.",
        "It could be worse.",
        "Don't worry, it'll all work out.",
        "Other people have it much worse than you.",
        "You'll be fine.",
        "It's not a big deal.",
        "You just need to think positive.",
        "Everyone feels {feel} sometimes.",
        "I'm sure {topic} will sort itself out.",
        "Try not to dwell on it.",
        "It's nothing to get upset about.",
        "You'll get over it.",
        "Just stay positive.",
        "Don't be so hard on yourself, it's fine.",
        "At least you didn't lose {topic2_yours}.",
        "It's not as bad as you think.",
        "dont worry about it",
        "cheer up lol",
        "at least u have {person}",
        "it could be way worse tbh",
        "Well, things could always be worse.",
        "Smile, it's a nice day.",
        "That's just life, everyone goes through it.",
        "Time heals everything.",
    ],
    "confidentiality_breach": [
        "I'll have to let {authority} know about this.",
        "I'm going to tell {authority} what you said.",
        "I need to report this to {authority}.",
        "I already told {authority} about {topic}.",
        "{authority_cap} needs to know about {topic}.",
        "I'll mention it to {authority} when I see them.",
        "I'm going to have to put this in your file for {authority}.",
        "I'll call {authority} after this.",
        "I told {authority} what you said last time.",
        "I'm going to share this with {authority}, they should know.",
        "I have to pass this on to {authority}.",
        "I'll let {authority} know you've been struggling.",
        "gonna have to tell {authority} about this",
        "im telling {authority}",
        "I'll be reporting this to {authority}.",
        "I'm writing this up for {authority}.",
        "I mentioned your situation to {authority}.",
        "I shared what you told me with {authority}, I hope that's okay.",
        "You know I'll have to tell {authority} about {topic}.",
    ],
}

# Extra slots that are derived from others.
_DERIVED = {
    "topic2": "topic", "feel_ing": None, "want_n": None, "strength_past": None, "name": None, "helper": None,
    "authority_cap": None, "topic_cap": None, "action_cap": None, "my_past_cap": None, "my_thing_low": None,
    "my_thing_cap": None, "hand_back_low": None, "service_low": None, "topic2_mine": None, "topic2_yours": None,
}
_NAMES = ["Marcus", "Dana", "Jo", "Sam", "Priya", "Luis", "Keisha", "Tom", "Aisha", "Ray", "Mei", "Andre"]
_HELPERS = ["Alex", "Rosa", "Chris", "Jamie", "Devon", "Maria"]
_FEEL_ING = ["exhausting", "frustrating", "lonely", "scary", "overwhelming", "painful", "confusing", "really hard",
             "heavy", "draining", "infuriating", "heartbreaking"]
_WANT_N = ["a fresh start", "some peace", "your own place", "time with your kids", "a steady job",
           "a quiet life", "your family's trust", "a night's sleep"]
_STRENGTH_PAST = ["kept going", "showed up", "asked for help", "stayed sober this long", "stood up for yourself",
                  "made it here", "got through the first week"]
_MINE = ["my divorce", "my first year sober", "my time in the shelter", "my own recovery", "losing my job"]
_YOURS = ["your job", "your place", "your kids", "your license", "everything"]
# The slots these lists fill (SLOTS holds the rest).
_FILLERS = {"feel_ing": _FEEL_ING, "want_n": _WANT_N, "strength_past": _STRENGTH_PAST, "name": _NAMES,
            "helper": _HELPERS, "topic2_mine": _MINE, "topic2_yours": _YOURS}


def _fill(template: str, rng: random.Random) -> str:
    values: dict[str, str] = {}
    for name in _slots(template):
        if name in values:
            continue
        if name in SLOTS:
            values[name] = rng.choice(SLOTS[name])
        elif name == "topic2":
            values[name] = rng.choice([t for t in SLOTS["topic"] if t != values.get("topic")])
        elif name in _FILLERS:
            values[name] = rng.choice(_FILLERS[name])
        elif name.endswith("_cap") or name.endswith("_low"):
            base = name.rsplit("_", 1)[0]
            src = rng.choice(SLOTS[base])
            values[name] = src[:1].upper() + src[1:] if name.endswith("_cap") else src[:1].lower() + src[1:]
        else:
            raise KeyError(f"template slot {name!r} has no filler")
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


# ----------------------------------------------------------------------- hand-written
# Items in many voices, each used once. Some are deliberately hard: they sit on the
# edge between two moves and the label says which side they fall on.
HAND: dict[str, list[str]] = {
    "reflection": [
        "so you feel stuck", "you feel stuck", "so ur stuck between the two", "youre exhausted",
        "You're angry at yourself more than anyone.", "It's like nobody's listening to you.",
        "you feel you should quit", "You feel you ought to be further along by now.",
        "You're saying your mom thinks you should move out.", "everyone keeps telling you to go to meetings and you're sick of it",
        "The nights are the hardest.", "It hurts that your sister won't call.", "Being back home is harder than you thought.",
        "You want to stop but you're scared of who you'd be without it.",
        "So the drinking helps you switch off, but it's costing you your mornings.",
        "sounds like its been a rough week", "sounds rough", "that sounds really lonely", "that sounds exhausting",
        "Sounds like you're done being told what to do.", "It seems like you've been let down a lot.",
        "You didn't really choose to be here.", "you didnt choose to be here", "You're not ready to give it up yet.",
        "You've been trying so hard and it feels like it doesn't count.", "You're scared they'll take the kids.",
        "you're worried you'll mess it up again", "u feel like ur failing", "you think you should have seen it coming",
        "You're torn.", "Part of you is relieved and part of you is sad.", "It's a lot to carry.",
        "You really love them, and it hurts.", "You're proud of getting this far.", "I can hear how much this matters to you.",
        "I get the sense you've had to be strong for a long time.", "That must have been terrifying.",
        "Must be hard", "must be so hard being away from your kids", "I imagine that was really scary.",
        "You wish people would just trust you.", "You'd like to get your licence back.", "Your kids mean everything to you.",
        "So it's not the drinking you're worried about, it's what your ex will do with it.",
        "You feel you have to keep it together for everyone.", "You think you need to prove yourself to them.",
        "Kind of like you're on trial all the time.", "Like you're always being watched.",
        "So you're not sure the program is for you.", "you're still figuring out what you want",
        "sounds like u want some peace n quiet", "you're feelin pretty down", "yur tired of it all",
        "It souds like youre really worn out.", "so youre saying nobody gets it", "youre sayin nobody gets it",
        "You've had enough of people deciding for you.", "You think you should call her but you're afraid.",
        "You've heard that a lot, and it doesn't help.", "You've been holding this by yourself.",
        "You've had a lot of people telling you what to do.", "you've been carrying it all alone",
    ],
    "summary": [
        "So let me make sure I've got it: you lost the job, your sister stopped calling, and you're not sleeping.",
        "Let me sum up what I'm hearing: the drinking takes the edge off, it's costing you time with the kids, and you want them to be proud of you.",
        "So far you've told me about the move, the fight with your dad, and how tired you are.",
        "so basically the job, the rent and your mom all hit at once, and you're running on empty",
        "On one hand you want to stay in the apartment, on the other hand it's where all the old memories are.",
        "Part of you wants to call him, and part of you knows it'll end the same way.",
        "Let me recap: you've been clean for two months, the cravings come at night, and you want a plan for the evenings.",
        "You've said three things matter: the kids, the job, and not going back inside.",
        "So the hearing is Tuesday, your lawyer hasn't called back, and you're worried they won't believe you.",
        "To sum up, you're doing a lot on your own, you're tired, and you want a bit of help that doesn't come with strings.",
    ],
    "open_question": [
        "What's it been like since you got home?", "What does the wine do for you?", "What worries you about it?",
        "What would be different if things changed?", "how's it going", "what happened", "whats on your mind",
        "how do you feel about it", "what do you want to do", "what would help right now", "How so?",
        "What else?", "Tell me about your kids.", "Say more about that.", "What do you mean by 'done'?",
        "What would your daughter say about all this?", "How did that feel?", "What's your gut telling you?",
        "What do you think is getting in the way?", "how did u manage that", "wat do u think", "What was that like?",
        "What do you hope will come out of today?", "What's the best thing about drinking, for you?",
        "And what's the not-so-good side?", "What would a good week look like?",
        "If things went well, what would you notice first?", "What have you tried so far?",
        "What makes today different from the other times?", "How are you holding up?",
        "What do you need from me?", "How can I help?", "What's been on your mind since last time?",
        "How do you see it?", "What do you want me to know about you?", "where do you want to start",
        "I wonder what keeps you going.", "what keeps u going", "what's the hardest part",
    ],
    "affirmation": [
        "That took guts.", "You've been through so much and you're still here.", "That makes sense.",
        "makes total sense", "Of course you're angry.", "Anyone would be upset about that.",
        "It's okay to not be okay.", "Thank you for trusting me with that.", "thanks for telling me",
        "I'm glad you're here.", "You're a really caring dad.", "You've worked so hard for this.",
        "That's a real achievement.", "You kept your word, that matters.", "ur so strong for getting through that",
        "You handled that really well.", "It's not your fault.", "That's not on you.",
        "You're not weak for needing help.", "Asking for help is a strength.", "I can tell you're a fighter.",
        "Your feelings make sense.", "That's completely understandable.", "thats so valid",
        "You did the hard thing.", "Showing up today was a big step.", "You're a good mom.",
        "You really stuck with it.", "You didn't give up on yourself.",
        "I'm so sorry to hear that.", "I'm really sorry you're dealing with all this.", "I understand how you feel.",
        "I can understand why that would upset you.", "I totally understand.", "You are not alone in this.",
        "I believe in you.", "That's a great idea!", "Good for you for speaking up.", "Well done, honestly.",
        "i'm sorry that happened to you", "im so sorry ur going through this", "i understand that must be hard for you",
    ],
    "autonomy_support": [
        "It's your call what you do.", "It's your call what we talk about.", "It's your call what happens next.",
        "its ur call", "your call", "your choice", "up to you", "totally your decision",
        "I'm not going to tell you what to do.", "im not gonna tell u what to do",
        "I won't tell you what to do, it's your life.", "You know yourself better than anyone.",
        "You don't have to decide anything today.", "There's no right answer here, only what fits you.",
        "You can take what's useful and leave the rest.", "Whatever you choose, I'll back you.",
        "It's completely up to you whether you go.", "You're the one who knows what you can handle.",
        "If you'd rather not talk about that, that's fine.", "We don't have to talk about that.",
        "You set the pace.", "I trust you to make the call.", "That's your decision to make, not mine.",
        "You're the boss of your recovery.", "You decide what success looks like.",
    ],
    "collaboration": [
        "Shall we work out a first step together?", "Shall we work out a plan together?", "let's figure it out together",
        "Would it be okay if I shared something that helped me?", "Can I offer a suggestion?",
        "Do you want to make a plan together?", "Want to figure out the next step together?",
        "We could write it down together if that helps.", "Let's look at the options together.",
        "Would you like some ideas, or would you rather just talk?", "How about we start with what feels easiest?",
        "Let's make a plan for the weekend, together.", "Can we come up with a plan you'd actually want to use?",
        "Would you want to practise what you'd say to him, with me?", "Could we set one small goal for this week?",
        "Would it help if we called them together?", "We can look at it together if you like.",
        "Is it alright if I ask a few questions about the housing stuff?", "mind if i share an idea",
        "Is it okay if we talk about the court date?",
        "wanna work on a plan together",
    ],
    "confidentiality_assurance": [
        "What you tell me stays between us.", "What you say here stays between us.", "This stays between us.",
        "This is just between you and me.", "Everything here is confidential.", "I won't tell anyone.",
        "I'm not going to tell your parole officer anything.", "I won't say anything to your mom.",
        "Your PO won't hear any of this from me.", "nothing leaves this room", "it stays between us dont worry",
        "i'm not telling anyone", "I'd never share this without asking you first.",
        "It's private, you have my word.", "I don't take notes on what you tell me.", "Your secrets are safe with me.",
        "I won't tell your caseworker unless you want me to.", "Anything you say stays with me.",
    ],
    "closed_question": [
        "Do you feel stuck?", "do u feel stuck", "you feel stuck?", "Are you tired?", "You're tired?",
        "Did you drink last night?", "did you use this week", "Are you sleeping?", "Is your sister still around?",
        "Do you have kids?", "Have you been to a meeting?", "Is that right?", "Right?", "Yes or no?",
        "Are you going to go?", "Will you call her?", "Do you want some water?", "So it was Tuesday?",
        "Was it your idea to come?", "Did your PO send you?",
        "Are you working at the moment?", "You have a place tonight?", "r u ok", "u ok?", "you good?",
        "Did that help?", "Have you told anyone?", "Is he still drinking?", "Are you safe at home?",
        "Do you feel like you should quit?", "Should you quit, do you think?", "Are you still on probation?",
        "does your mom know", "have u eaten", "so your sister left?",
    ],
    "information": [
        "The drop-in centre is open until six on weekdays.", "The meeting's at seven in the church hall.",
        "You can get a free bus pass through the housing office.", "The clinic does walk-ins on Monday mornings.",
        "The crisis line is open all night.", "There's no cost for the peer group.",
        "It usually takes a few weeks to hear back about housing.", "The forms are at the front desk.",
        "Some people find that cravings peak in the evening.", "The legal aid clinic is on the second floor.",
        "Narcan is free at the pharmacy on Fifth.", "there's a group on tuesdays if u ever want to check it out",
        "the food bank is open saturdays", "the library has free wifi and computers",
        "Our sessions are forty-five minutes.", "The waiting list is about a month right now.",
        "A lot of people feel anxious their first week out.", "It's really common to feel low after the holidays.",
        "There's a hotline for parents you can call any time.",
        "There are a lot of websites with free budgeting tools.", "Most people need a few tries before a plan sticks.",
        "Studies show that talking to someone can reduce stress.", "The helpline is free and anonymous.", "I'm a peer worker, not a counsellor, so my job is to listen and walk alongside you.",
    ],
    "self_disclosure": [
        "I've been in a place like that too. What's it like for you?",
        "I've been there. What's it like for you right now?", "I know that one. How are you holding up?",
        "I had a rough first year too. What's yours been like?", "been there myself. hows it for u",
        "I've lost people too. What was she like?", "I've been in the shelter myself, a long time ago. How is it there now?",
        "I remember how scary the first week out was. What's it been like for you?",
        "I'm in recovery too, so some of this is familiar. What's been hardest?",
        "I went through a divorce too. What's it been like for you?",
        "I used to feel like that. How long have you been feeling this way?",
        "That was true for me once too. Is it like that for you?", "Same here, once. What happened for you?",
        "I've had cravings like that. What do they feel like for you?",
        "I know what it's like to lose a job. What's been the hardest part?",
        "I've sat where you're sitting.", "I have lived experience with this too.",
        "I had a similar experience with my own family.", "When I was in college I felt the same way.",
        "Something like that happened to me once.", "I can relate to that a lot.", "Personally, I found meetings helped.",
        "i also went through a breakup last year", "I was in a similar situation a couple of years ago.",
    ],
    "greeting": [
        "Hi, welcome.", "Hi, thanks for coming in.", "hey", "hiya", "Hello!", "good morning", "morning",
        "Hey, come on in.", "Goodbye, take care.", "see ya", "bye", "Thanks for coming in today.",
        "Hi, I'm Alex, one of the peer workers here.", "Welcome, glad you made it.", "Nice to meet you.",
        "You're welcome!", "Good luck, you've got this.", "Have a great weekend.", "Glad I could help.",
        "hope you have a good night", "Take care of yourself, bye.",
    ],
    "other": [
        "Okay.", "Ok", "okay...", "Yeah", "yep", "I see", "Hmm, okay.", "Mm.", "Right, right.", "sure",
        "…", "Uh.", "Well.", "Let me think.", "Anyway.", "So.", "Huh.", "Got it.", "Gotcha.", "Oh okay",
        "Sorry, can you repeat that?", "I didn't catch that.",
        "The printer is broken again.", "Is it cold in here?", "I'll be right back.", "ok ok", "hm",
        "It's raining again.", "My coffee's gone cold.",
    ],
    "self_focused_story": [
        "When I got out I was exactly like you. I remember my first week, I didn't know anyone, my family wouldn't talk to me, and I had to find a job and a place to live and I just kept going to meetings every single day until it got better for me.",
        "I was the same. I drank for fifteen years. I lost my marriage, I lost my house, I lost my license. Then one day I woke up in a hospital and I said that's it. I went to rehab, I did ninety in ninety, and I've been sober eleven years now.",
        "Let me tell you what happened to me. My dad kicked me out at sixteen and I lived on my friend's couch for two years, then I got into selling, then I got caught, and I did three years. When I came out I had nothing.",
        "ok so when i was in your shoes i did the whole thing, detox, the halfway house, the job at the warehouse, and i hated every minute but i stuck it out and now look at me, i run groups",
        "Oh I know all about that. My ex did the same thing to me. He took the kids, he took the car, he told everyone I was crazy. It took me three years and two lawyers to get them back. Three years! I still can't believe it.",
        "My recovery started in a church basement. I was shaking, I hadn't slept, I didn't want to be there. But the guy running it, Frank, he took me under his wing, and he's the reason I'm alive. We still have breakfast every Sunday.",
        "That's just like me. I relapsed four times before it stuck. The first time was after my mom passed. The second time was my birthday. The third was when I lost my job. The fourth I don't even remember why.",
        "I remember when I was homeless, I used to sleep behind the supermarket, and there was this lady who brought me coffee every morning, and one day she asked me my name, and nobody had asked me that in months, and I cried right there.",
        "I did exactly that. I went cold turkey, I threw everything out, I changed my number, I moved across town, and I never looked back. So that's what worked for me, and honestly I think it's the only way.",
        "Same with me, I had a probation officer who hated me, I swear she was trying to violate me every week, and I had to check in every Monday at 8am and if I was one minute late she'd threaten me, it was a nightmare for me, an absolute nightmare.",
    ],
    "directive_advice": [
        "You should just stop drinking and go to AA.", "You need to get a job and stop hanging around the old block.",
        "You should quit.", "u should quit", "you should call her", "You have to leave him.",
        "Why don't you just call your sister?", "why dont u just go to a meeting", "y dont u just tell him",
        "You need to stop hanging out with those people.", "Go to a meeting tonight.", "Call your sponsor right now.",
        "Stop drinking.", "Pour it out.", "Don't go back there.", "Don't text him.", "Just don't answer.",
        "Get some sleep, seriously.", "Take the job.", "Move out as soon as you can.", "Tell her how you feel.",
        "If I were you I'd get out of there.", "You gotta cut those people off.", "You have got to stop.",
        "You shoud go to rehab.", "you shuold talk to someone", "u need 2 stop", "You must call your lawyer today.",
        "The only way out is to go to treatment.", "Delete his number and move on with your life.",
        "Honestly just stop thinking about it so much.", "You should really think about going back to school.",
        "Maybe you could try going for a walk when it gets bad.", "Have you considered talking to a counselor?",
        "It might help to write down what you're feeling.", "I would suggest looking for a support group.",
        "How about taking a few days off work?", "What about trying to talk to him calmly?",
        "You might want to reach out to an old friend.", "I'd recommend getting some exercise every day.",
        "perhaps u should talk to ur boss about it", "have you tried talking to her about it",
        "Have you tried just not drinking?", "Try meditating.", "You ought to apologise to your mom.",
        "I did it this way, so should you.", "Do what I did and go cold turkey.",
    ],
    "judgment": [
        "That was a stupid thing to do.", "You're being ridiculous.", "You're just lazy.", "That's on you.",
        "You made your bed.", "You're an addict, that's what addicts do.", "Junkies always say that.",
        "Well, what did you expect?", "You should be ashamed.", "That's pretty selfish.", "Grow up.",
        "come on thats just an excuse", "ur in denial", "you're not serious about this", "how could u",
        "That's why nobody trusts you.", "You're your own worst enemy, and you know it.",
        "You keep choosing the bottle over your kids.", "Clearly you don't care.", "You always play the victim.",
    ],
    "minimizing": [
        "At least you still have your job.", "Cheer up!", "It's not the end of the world.", "it's fine lol",
        "Could be worse.", "Don't worry about it.", "No big deal.", "Things will get better, you'll see.",
        "Everything happens for a reason.", "God doesn't give us more than we can handle.",
        "You're overthinking it.", "Oh it's probably nothing.", "Just forget about it.", "Move on, it happens.",
        "At least you're not in jail anymore.", "It'll be fine, trust me.", "dont stress", "chin up",
        "Think of all the people who'd love to have your problems.", "That's not really a big deal.",
        "Just be happy.", "It's all in your head.", "You're lucky it wasn't worse.",
    ],
    "confidentiality_breach": [
        "I'll have to let your parole officer know about this.", "I'm going to have to tell your ex's lawyer about the drinking.",
        "I'm going to tell your PO.", "Your PO needs to hear about this.", "I already told your mom.",
        "I'll tell your caseworker.", "I told the team about your relapse.", "I mentioned it to your sponsor.",
        "im gonna have to report this", "I have to report this.", "I'll need to write this up.",
        "I put it in your file.", "Your probation officer is going to find out anyway, so I'll tell him.",
        "I'll let your boss know you've been using.", "I talked to your sister about what you said.",
        "i told ur mom what u said", "I'll be letting the court know.", "The group should hear about this, I'll bring it up.",
    ],
}


# ---------------------------------------------------------------------------- voices
def _lower_no_punct(text: str) -> str:
    return re.sub(r"[.!,;]", "", text.lower())


# Hand-written items added later. They are read with a generator of their own, after
# everything above, so adding them leaves every earlier line of the corpus as it was.
HAND_LATER: dict[str, list[str]] = {
    "directive_advice": [
        # Suggestions asked as questions: still the helper's plan for the client.
        "Do you think it would help to call your sponsor tonight?", "Do you think it might be a good idea to see a doctor?",
        "do u think it would help to write a budget", "Would it help to take a break from the group chat?",
        "Would it be helpful to ask your caseworker about the forms?", "Have you tried setting an alarm for the meetings?",
        "Have you tried going for a walk when the cravings hit?", "have u tried talking to ur landlord",
        "Is that something you could try this week?", "Is it something you could bring up with your doctor?",
        "What about a night class at the college?", "How about a support group on Thursdays?",
        "What about something like a volunteer job, to fill the days?", "One thing you could try is keeping a sleep diary.",
        "Something you might look into is the housing list.", "do you think it could help to block his number?",
    ],
    "affirmation": [
        # Confidence in the client.
        "I'm sure you can get through the interview, you've prepared for it.", "I have faith in you.",
        "You've got this.", "im confident you will find a way", "You can do this, I've seen how hard you work.",
        "You're on the right track with the meetings.", "That's a good step, asking for help like that.",
        "I'm certain you'll handle it better than you think.", "You're doing the right thing by speaking up.",
        "Sorry to hear that.", "I am so sorry to hear about your brother.", "so sorry to hear that happened",
    ],
    "self_disclosure": [
        # Brief sharing said plainly, without a story.
        "That's how I felt too when I first moved back home.", "I felt the same way when my kids went into care.",
        "I've had my fair share of bad landlords.", "I got laid off last year, so I know a little of that.",
        "The first winter sober was really hard for me too.", "Something like that happened to me after I got out.",
        "i felt that way too when i started the program", "In my own experience the first month is the worst.",
    ],
    "self_focused_story": [
        # A story of the helper's that runs on and leaves the client behind.
        "When I was drinking, I lost my flat, and then I moved in with my brother, and then I found a group and...",
        "back when i was using i burned every bridge and then i ended up in detox and then my sponsor said",
        "When I got out, I had nothing, and then I found this church, and then I met my wife, and after that...",
    ],
    "repair": [
        # Owning a misstep and handing the floor back (issue 11): an apology is never harm.
        "Sorry, I got ahead of myself there. You know your life best.", "My bad, that came out wrong.",
        "I cut you off, I'm sorry. Go on.", "Scratch that, I was telling you what to do. What do you want?",
        "Oops, I jumped in too fast. What were you saying?", "sorry i interrupted u, keep going",
        "I shouldn't have assumed that. Can you tell me how it really was?", "I take that back, it wasn't fair.",
        "Sorry, that was me making it about me. Back to you.", "my bad, i went off on a tangent",
        "Let me try that again, I said it badly.", "I'm sorry, I didn't mean to push you.",
        "Apologies, I overstepped there.", "sorry for butting in", "That came out harsher than I meant. I'm sorry.",
        "i was out of line there, sorry", "Forget I said that, it's your call.", "Sorry, I lost the thread. Where were we?",
        "I'm sorry, I rushed you. Take whatever time you need.", "oops sorry, i got preachy",
        "Sorry about that, I was lecturing.", "I didn't mean that the way it sounded.",
        "Sorry, I'm getting off track. What matters to you here?", "ugh sorry, i should not have said that", "Sorry, I got distracted.",
    ],
    "information": [
        # Time-keeping and agenda-setting: neutral, whatever words they use.
        "I wanted to let you know our time is almost up.", "We've got about ten minutes left.",
        "just so you know we have 15 mins left", "We're nearly out of time for today.",
        "Before we wrap up, I'll check in about next week.", "Same time next week, if that works.",
        "we still have twenty minutes together", "Our time's nearly up, so we'll pick this up next time.",
    ],
}


_TEXTING_SWAPS = [(r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bare\b", "r"), (r"\bi'm\b", "im"),
                  (r"\bdon't\b", "dont"), (r"\bcan't\b", "cant"), (r"\bthat's\b", "thats"), (r"\bit's\b", "its"),
                  (r"\bbecause\b", "cuz"), (r"\bgoing to\b", "gonna"), (r"\bpeople\b", "ppl"),
                  (r"\bright now\b", "rn"), (r"\bokay\b", "ok"), (r"\byou're\b", "ur")]


def _texting(text: str, rng: random.Random) -> str:
    out = text.lower()
    for pattern, rep in _TEXTING_SWAPS:
        if rng.random() < 0.7:
            out = re.sub(pattern, rep, out)
    out = re.sub(r"[.,;]", "", out)
    if rng.random() < 0.2:
        out += rng.choice([" lol", " tbh", " ngl", " fr", " !!"])
    return out


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.choice(["drop", "swap", "double"])
    if kind == "drop":
        w = w[:j] + w[j + 1:]
    elif kind == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _is_declarative_question(text: str, label: str) -> bool:
    """A question only because of its '?': stripping it would change the move."""
    return label == "closed_question" and not re.match(
        r"(?i)(do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|how|when|where|who|r|u ok)\b", text)


def _voice(text: str, label: str, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    keep_q = _is_declarative_question(text, label)
    if roll < 0.55:
        return text, "plain"
    if roll < 0.75:
        out = _lower_no_punct(text)
        if not keep_q and rng.random() < 0.5:
            out = out.replace("?", "")
        return out, "lower"
    if roll < 0.88:
        out = _texting(text, rng)
        if not keep_q and rng.random() < 0.6:
            out = out.replace("?", "")
        return out, "texting"
    return _typo(text, rng), "typo"


def _split_for(key: str) -> str:
    """Held out when a stable hash of the template (or hand item) says so: about one in
    five per move. The choice depends on the key alone, so adding templates later never
    moves an existing one to the other side. (The salt "0:" was picked, before any model
    was scored, as the one of forty that spreads the held-out share most evenly per move.)"""
    return "test" if zlib.crc32(f"{SPLIT_SALT}:{key}".encode("utf-8")) % TEST_SHARE == 0 else "train"


_HAND_BACK_OPEN = re.compile(r"(?i)^(what|how|i'?m curious|but enough|tell me)")


def _multi_label(text: str, label: str) -> tuple[str, list[str] | None]:
    """A disclosure that hands back with a question: the client answers the question, so
    by the primary policy (docs/recogniser.md) the question is the primary move."""
    if label != "self_disclosure":
        return label, None
    from simulator.moves.segment import segments
    spans = segments(text)
    if len(spans) < 2:
        return label, None
    last = text[spans[-1][0]:spans[-1][1]]
    question = "open_question" if _HAND_BACK_OPEN.match(last.strip()) else "closed_question"
    return question, ["self_disclosure", question]


# A reflective statement said with a rising tone: a reflection, not a question about facts.
_RISING_REFLECTION = re.compile(r"(?i)^(so,? )?(you feel|you're|you are|u feel|ur|you've been|you don't|you can't|you want|"
                                r"part of you|sounds like|it sounds|so you)\b.*\?$")


PER_TEMPLATE = {"self_focused_story": 12, "summary": 10, "self_disclosure": 10, "other": 3, "greeting": 4}


def build() -> list[dict]:
    rng = random.Random(SEED)
    seen: set[str] = set()
    rows: list[dict] = []

    def add(text: str, label: str, split: str, source: str) -> None:
        key = " ".join(text.lower().split())
        if label == "closed_question" and _RISING_REFLECTION.match(text.strip()):
            label = "reflection"     # "you feel stuck?" gives their words back (issue 11)
        if key and key not in seen:
            seen.add(key)
            primary, moves = _multi_label(text, label)
            row = {"text": text, "label": primary, "split": split, "source": source}
            if moves:
                row["moves"] = moves
            rows.append(row)

    for label in MOVE_IDS:
        for n, template in enumerate(TEMPLATES.get(label, [])):
            split = _split_for(label + "|" + template)
            count = PER_TEMPLATE.get(label, 7) if _slots(template) else 3
            for _ in range(count):
                text, voice = _voice(_fill(template, rng), label, rng)
                add(text, label, split, f"template:{label}:{n}:{voice}")
        for n, text in enumerate(HAND.get(label, [])):
            split = _split_for(label + "|hand|" + text)
            add(text, label, split, f"hand:{label}:{n}")
            if rng.random() < 0.35:      # a second voice of the same hand item, same split
                voiced, voice = _voice(text, label, rng)
                add(voiced, label, split, f"hand:{label}:{n}:{voice}")
    later = random.Random(SEED + 1)
    for label, items in HAND_LATER.items():
        for n, text in enumerate(items):
            split = _split_for(label + "|hand|" + text)
            add(text, label, split, f"hand-later:{label}:{n}")
            if later.random() < 0.35:
                voiced, voice = _voice(text, label, later)
                add(voiced, label, split, f"hand-later:{label}:{n}:{voice}")
    return rows


def main() -> int:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_label: dict[str, list[int]] = {}
    for row in rows:
        counts = by_label.setdefault(row["label"], [0, 0])
        counts[row["split"] == "test"] += 1
    for label, (train, test) in by_label.items():
        print(f"{label:28} train {train:4}  test {test:4}")
    print(f"{len(rows)} utterances -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
