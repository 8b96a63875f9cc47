"""Cutting a trainee's turn into the pieces that each carry one move, and tidying each
piece so that texting style and small typos read like the words they stand for.

A turn becomes sentences (at . ! ? ; and line breaks), and a sentence becomes clauses
where a second move plainly starts ("That sounds hard, what keeps you going" is a
reflection and then a question). Spans always point into the original text so the app
can underline what was read; normalising happens per piece and never moves offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

# --------------------------------------------------------------------- sentences
# One sentence: text up to a run of terminal punctuation (or the end). Decimal points
# ("6.30") and common titles ("Dr.") are not ends, hence the look-arounds.
# A run of ordinary characters is taken whole (possessive ++: nothing to give back), and
# a line break ends a sentence as the terminal punctuation does.
# Words in quotation marks stay inside their sentence ("your mum's like, "you've got
# this!", and you're not sure"): they are someone's words given back, not a move of the
# helper's own (rules._strongest does not act on a harmful cue inside them).
QUOTE = re.compile(r"\"[^\"\n]{1,200}\"|\u201c[^\u201c\u201d\n]{1,200}\u201d")
_SENTENCE = re.compile(
    r"(?:" + QUOTE.pattern + r"|[^.!?;\n\"\u201c\u201d]++|[\"\u201c\u201d]|(?<=\d)\.(?=\d)|(?<=\bdr)\.|(?<=\bmr)\.|(?<=\bms)\.|(?<=\bmrs)\.|(?<=\bst)\.|(?<=\bvs)\.)+"
    r"(?:[.!?;]+|…|$|(?=\n))|\n",
    re.IGNORECASE)

# Where a new clause starts inside a sentence: after a comma, dash, "but" or "and",
# a phrase that opens a move of its own. Kept short on purpose: each entry is a strong
# opener, so "you feel you should quit" is never split (no separator before "you should").
_OPENER = (
    r"(?:what (?:do|does|did|is|are|was|were|would|will|can|could|keeps|makes|happened|helps|has|have|else|if)\b|"
    r"what'?s|how (?:do|does|did|is|are|was|were|would|will|can|could|has|have|come|about)\b|how'?s|why|"
    r"do you|did you|does it|are you|have you|is it|is there|was it|"
    r"would you|could you|can you|can i|may i|will you|tell me|walk me|"
    r"you (?:really |just |honestly |seriously )?(?:should|need to|have to|must)|you gotta|you'?d better|why don'?t you|just (?:go|stop|call|try|leave|quit|tell|get|dump|block)|"
    r"u should|u need to|u have to|u gotta|(?:honestly|tbh),? (?:just |you |u )|maybe (?:try|just|you should|u should)|i'?d (?:suggest|recommend)|"
    r"i'?m sure (?:it|you|u|things|everything)|you'?ll be fine|it'?ll (?:all )?(?:be|work)|i (?:told|called|mentioned|shared|rang|let)|"
    r"it'?s your|its your|that'?s your|it'?s up to you|its up to you|the choice is yours|"
    r"this stays|what you (?:say|tell me|share)|i won'?t tell|i will not tell|i'?ll have to|i will have to|i'?m going to have to|"
    r"at least|don'?t worry|cheer up|look on the bright side|"
    r"let'?s|shall we|we could|maybe we|"
    r"thank you|thanks)\b"
)
_CLAUSE_BREAK = re.compile(r"(?:,|\s[-–—]+|\bbut|\band|\bso)\s+(?=" + _OPENER + ")", re.IGNORECASE)
# The same, for a piece already in lower case: matching without IGNORECASE, after a
# look-ahead that lets the engine skip to the few places a break can begin, is about
# twice as fast (see clauses).
_CLAUSE_BREAK_LOWER = re.compile(r"(?=[,\s]|but|and|so)" + _CLAUSE_BREAK.pattern)
# Texting style runs a reflection into a question with no punctuation at all:
# "that sounds so hard what keeps you going". Split before a question word only when
# the left part is a full piece of its own (3+ words) and does not embed the question
# ("i wonder what", "you know how", "tell me what").
_BARE_QUESTION = re.compile(
    r"\s+(?=(?:what (?:do|does|did|is|are|was|would|keeps|makes|happened|helps|has)|"
    r"what'?s|how (?:do|does|did|is|are|r|was|would|has|have|come)|how'?s|why|do you|did you|are you|have you|"
    r"would you|can you|could you|do u|did u|r u|are u|have u)\b)",
    re.IGNORECASE)
_BARE_QUESTION_LOWER = re.compile(r"(?=\s)" + _BARE_QUESTION.pattern)
# ...unless the word before embeds the question ("i wonder what", "no matter how").
_EMBEDS = frozenset("wonder know ask me sure about see that is not or earth of on for to understand remember hear matter decide "
                    "choose explain imagine out watch regardless care somewhat what where when who which how why getting understanding "
                    "seeing knowing asking wondering explaining telling saying get".split())
_LAST_WORD = re.compile(r"([a-z']+)\W*$")
# A clause that only introduces someone's words ("you said, um," "your mum keeps saying")
# is not a piece of its own: what follows is the words it gives back.
_REPORTS = re.compile(r"\b(said|say|says|saying|mentioned|told (me|you|u)|tells (you|u|me)|telling (you|u|me|yourself)|"
                      r"put it|called it|wrote|was like|were like|'re like|are like|goes|thinking|thought)[\s,.-]*(?:(?:um+|uh+|erm|er|like|well|oh)[\s,.-]*)*$",
                      re.IGNORECASE)
# The client's fear of what would follow ("you're worried that if you tell me more, I'll have
# to tell your social worker") is one piece: cut at the comma, the "I'll" would read as a threat.
_FEAR_IF = re.compile(r"\b(worried|afraid|scared|frightened|terrified|nervous|fear|fears)( that)? if\b[^,]*[,\s]*$",
                      re.IGNORECASE)
_GREETINGS = frozenset("hi hey hello hiya heya morning evening afternoon".split())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",-–—"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_words(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; blank ones and bare punctuation dropped."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = _trim(text, m.start(), m.end())
        if end > start and _has_words(text[start:end]):
            spans.append((start, end))
    return spans


def _words(piece: str) -> int:
    return len(piece.split())


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one sentence span where a second move plainly begins."""
    cuts = []
    piece = text[start:end]
    lowered = piece.lower()
    if len(lowered) == len(piece):        # offsets carry over (nearly always: "İ" is an exception)
        target, breaks, bare_questions = lowered, _CLAUSE_BREAK_LOWER, _BARE_QUESTION_LOWER
    else:
        target, breaks, bare_questions = piece, _CLAUSE_BREAK, _BARE_QUESTION
    quoted = [q.span() for q in QUOTE.finditer(piece)] if ('"' in piece or "\u201c" in piece) else ()
    for m in breaks.finditer(target):
        if not any(a < m.start() < b for a, b in quoted):      # no cut inside someone's quoted words
            cuts.append((m.start(), m.end()))
    if not cuts and "?" not in piece[:-1] and _words(piece) >= 6:
        for m in bare_questions.finditer(target):
            before = _LAST_WORD.search(piece[max(0, m.start() - 20):m.start()].lower())
            if before and before.group(1) not in _EMBEDS:
                cuts.append((m.start(), m.end()))
    if not cuts:
        return [(start, end)]
    spans = []
    left = 0
    for cut_start, cut_end in cuts:
        # Keep a clause only if both sides are real pieces (two words or more), or the
        # left one is a greeting on its own ("Hi, what's been happening?" also asks).
        head = piece[left:cut_start]
        if (_words(head) >= 2 or head.strip(" ,.!").lower() in _GREETINGS) and _words(piece[cut_end:]) >= 2 \
                and not _leads_into(head, piece[cut_end:]):
            spans.append((left, cut_start))
            left = cut_end
    spans.append((left, len(piece)))
    out = []
    for a, b in spans:
        a, b = _trim(text, start + a, start + b)
        if b > a and _has_words(text[a:b]):
            out.append((a, b))
    return out or [(start, end)]


# Words said while finding the next ones: "you must, I mean, you must really miss him".
_TRAILING_FILLER = re.compile(r"(?:[\s,.-]*\b(?:um+|uh+|erm|er|like|i mean|you know|sorry))+[\s,.-]*$", re.IGNORECASE)


# A reflective stem cut off by a filler ("it's, like, you just have to keep going", "so for
# you it's more like, just get through today", "so you feel, um, you should ring her") leads
# into the words it gives back.
_STEM_ONLY = re.compile(r"^\W*(?:(?:so|and|yeah|okay|ok|right),? )*(?:for you,? )?(?:it'?s|it is|its|it feels|feels|it sounds|sounds|"
                        r"it seems|seems|you (?:feel|felt|think|thought|reckon|believe|worry|wonder)|you'?re (?:thinking|worried|wondering))(?:,? (?:kind of|sort of|more|almost|just|a bit))*(?:,? like)?\W*$", re.IGNORECASE)


def _leads_into(head: str, tail: str) -> bool:
    """Whether the head only leads into the tail, so the two are one piece: it introduces
    someone's words ("you said, um,"), opens a fear of what follows ("you're worried that
    if you tell me more,"), or breaks off on the words the tail starts again ("part of you
    thinks you should, you should ring her"), or is only a reflective stem cut off by a filler
    ("it's, like,"). Only the words around the cut are read."""
    head = head[-60:]
    unfilled = _TRAILING_FILLER.sub("", head)
    if _REPORTS.search(head[-40:]) or _FEAR_IF.search(head) or _STEM_ONLY.match(unfilled):
        return True
    said = unfilled.lower().split()     # the words it broke off on
    again = tail[:60].lower().split()
    return any(said[-k:] == again[:k] for k in (2, 3) if len(said) >= k and len(again) > k)


def segments(text: str) -> list[tuple[int, int]]:
    """Every piece of a turn that can carry its own move, in order."""
    out = []
    for s, e in sentences(text):
        out.extend(clauses(text, s, e))
    return out


# --------------------------------------------------------------------- normalising
# Texting forms and common contractions written without the apostrophe. Only forms
# that are not ordinary English words elsewhere (so not "its" -> "it's" when used as a
# possessive... except in the phrases where trainees nearly always mean "it's").
_TEXTING = {
    "u": "you", "ya": "you", "yu": "you", "yr": "your", "r": "are", "im": "i'm", "ive": "i've", "id": "i'd",
    "ill": "i'll", "dont": "don't", "dnt": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't",
    "wont": "won't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't",
    "havent": "haven't", "hasnt": "hasn't", "wouldnt": "wouldn't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "youre": "you're", "youve": "you've", "youll": "you'll", "youd": "you'd",
    "thats": "that's", "theres": "there's", "whats": "what's", "hows": "how's", "lets": "let's",
    "gonna": "going to", "wanna": "want to", "shld": "should", "shd": "should", "wld": "would", "cld": "could",
    "bc": "because", "cuz": "because", "coz": "because", "cos": "because", "b/c": "because",
    "pls": "please", "plz": "please", "rn": "right now", "ppl": "people", "tho": "though", "thru": "through",
    "idk": "i don't know", "tbh": "to be honest", "imo": "in my opinion", "sry": "sorry", "abt": "about",
    "wat": "what", "wut": "what", "y": "why", "k": "okay", "ok": "okay", "kk": "okay", "thx": "thanks",
    "ty": "thank you", "prob": "probably", "def": "definitely", "w/": "with", "b4": "before", "bf": "boyfriend",
    "gf": "girlfriend", "mum": "mom", "srsly": "seriously", "rly": "really", "realy": "really", "v": "very",
    "n": "and", "nd": "and", "ur": "your", "urself": "yourself", "yourself": "yourself", "2day": "today",
    "tmrw": "tomorrow", "tmr": "tomorrow", "msg": "message", "gotta": "got to", "kinda": "kind of",
    "sorta": "sort of", "dunno": "don't know", "lemme": "let me", "gimme": "give me", "aint": "ain't",
    "ofc": "of course", "u're": "you're", "u've": "you've", "u'll": "you'll", "u'd": "you'd", "i'm": "i'm", "bday": "birthday", "convo": "conversation", "ngl": "honestly", "ull": "you'll", "dw": "don't worry",
    "shud": "should", "cud": "could", "wud": "would", "shoulda": "should have", "coulda": "could have",
    "woulda": "would have", "ima": "i'm going to", "imma": "i'm going to", "yday": "yesterday", "uve": "you've", "fwd": "forward", "fwd'd": "forwarded", "itll": "it'll",
    "thatll": "that'll", "evryone": "everyone", "every1": "everyone",
    # Faces that roll their eyes or go blank read as words, so a rule can name them.
    "\U0001F644": "eyeroll", "\U0001F612": "eyeroll", "\U0001F926": "facepalm", "\U0001F643": "deadpan",
    "\U0001F611": "deadpan",
    "wd": "would", "cd": "could", "gonnae": "going to", "wi'": "with",
}
# "ur" is "you're" before a predicate and "your" before a noun.
_UR_PREDICATE = re.compile(
    r"^(not|so|really|just|still|a|an|the|being|going|doing|trying|feeling|getting|allowed|right|wrong|"
    r"basically|literally|actually|probably|definitely|totally|honestly|clearly|obviously|always|never|also|too|such|"
    r"kinda|def|prob|deffo|defo|lowkey|highkey|gna|lucky|worth|entitled|welcome|kidding|joking|valid|okay|ok|good|"
    r"ill|unwell|young|smart|kind|skint|broke|knackered|shattered|gutted|wiped|drained|stressed|fuming|raging|livid|"
    r"fried|frazzled|wrecked|"
    r"tired|scared|worried|afraid|stuck|sick|done|ready|sure|here|there|alone|angry|mad|sad|lonely|ashamed|"
    r"better|worse|strong|stronger|brave|amazing|awesome|great|fine|safe|"
    r"overwhelmed|exhausted|frustrated|upset|hurt|confused|nervous|anxious|fed|worn|carrying|dealing|saying|"
    r"telling|thinking|wondering|gonna|handling|holding|the\w*|"
    # "ur" before a noun that ends in -ing is "your": "ur wedding", "ur thing", "ur meeting".
    r"(?!(thing|ring|king|wedding|morning|evening|meeting|painting|drawing|building|training|sibling|darling|"
    r"setting|spring|string|swing|wing|ceiling|clothing|pudding|earring|ending|heading|booking|reading|writing|"
    r"recording|living|hearing|housing|funding|timing|planning|parenting|cooking|wellbeing|upbringing|"
    r"belongings|feelings|savings|earnings|surroundings|findings)$)\w+ing)$")

# Small typos in the words that decide a move ("shoud", "sounsd") are mended by
# edit distance against this short list; everything else is left as typed.
CUE_WORDS = (
    "should", "sounds", "sounded", "seems", "feel", "feeling", "feels", "really", "confidential", "between",
    "private", "probation", "parole", "officer", "decide", "decision", "choice", "yourself", "together",
    "least", "worry", "report", "because", "exhausting", "frustrating", "overwhelming", "overwhelmed",
    "difficult", "wondering", "imagine", "understand", "permission", "courage", "strength", "proud",
    "honestly", "caseworker", "therapist", "counselor", "counsellor", "whatever", "thinking", "someone",
    "recovery", "meeting", "meetings", "journey", "remember", "happened", "everything", "reason", "positive",
    "bright", "experience", "what", "would", "could", "about", "totally", "definitely", "seriously",
    "irresponsible", "selfish", "excuses", "pathetic", "ridiculous", "hearing", "saying", "telling",
    "sounds", "anyone", "anybody", "nobody", "without", "consent", "supervisor", "landlord", "lawyer",
    "stupid", "thanks", "welcome", "morning", "afternoon", "evening", "tonight", "tomorrow", "sorry",
    "lonely", "scared", "worried", "tired", "angry", "family", "listen", "listening", "talking", "trying",
    "share", "suggest", "together", "proud", "better", "always", "never", "going", "trust",
)
_TOKEN = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*|[^\sa-z0-9']")


@lru_cache(maxsize=1)
def _cue_index() -> tuple[frozenset, dict[str, str]]:
    """Symmetric-delete index: every cue word and each of its one-letter deletions."""
    known = frozenset(CUE_WORDS)
    index: dict[str, str] = {}
    for word in CUE_WORDS:
        for i in range(len(word)):
            index.setdefault(word[:i] + word[i + 1:], word)
    return known, index


# Real words that are one letter away from a cue word: never "mended".
_NOT_TYPOS = frozenset({"cared", "thank", "sound", "right", "office", "excuse", "honesty", "layer", "recover",
                        "taking", "scare", "rally", "bight", "talking", "feelings", "meetings", "sounds",
                        # "tried" is not "tired" ("have you tried talking to her?" is a suggestion)
                        "tried", "tying", "ourself"})


@lru_cache(maxsize=50_000)
def mend(token: str) -> str:
    """The cue word a typo most likely stands for, or the token unchanged.

    Catches one dropped letter ("shoud"), a doubled letter ("shouuld") or two swapped
    neighbours ("shuold") in words of five letters or more. A wrong letter is not
    mended: too many real words are one letter from a cue word ("world", "would").
    """
    if len(token) < 5 or not token.isalpha() or token in _NOT_TYPOS:
        return token
    known, index = _cue_index()
    if token in known:
        return token
    if token in index:                       # a letter dropped: "shoud"
        return index[token]
    for i in range(1, len(token)):
        if token[i] == token[i - 1] and token[:i] + token[i + 1:] in known:   # a doubled letter
            return token[:i] + token[i + 1:]
        swapped = token[:i - 1] + token[i] + token[i - 1] + token[i + 1:]
        if swapped in known:                 # two letters swapped: "shuold"
            return swapped
    return token


# Tokens whose reading depends on the next word; every other token is read on its own.
_IT_IS_BEFORE = frozenset(("your", "ur", "up", "ok", "okay", "normal", "not", "a", "all", "been", "so", "really",
                           "totally", "completely", "going", "hard", "understandable"))
_SPELT: dict[str, str] = {}      # token -> how it reads on its own (memo: words repeat)


def _spell(token: str) -> str:
    rep = _TEXTING.get(token)
    if rep is None:
        rep = mend(token) if len(token) >= 5 else token
    if len(_SPELT) < 100_000:
        _SPELT[token] = rep
    return rep


# A space before a one-character punctuation token (anything but a letter or digit, '"'
# or '('): the punctuation is attached to the word before it when tokens are re-joined.
_ATTACH = re.compile(r" (?=(?:[^\w\s\"(]|_)(?: |\Z))")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower case, straight quotes, texting forms spelt out, cue-word typos mended."""
    text = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("`", "'").lower())
    tokens = _TOKEN.findall(text)
    spelt = _SPELT.get
    out = [spelt(tok) or _spell(tok) for tok in tokens]
    if "ur" in tokens or "its" in tokens or "it's" in tokens:
        last = len(tokens) - 1
        for i, tok in enumerate(tokens):
            if tok == "ur":         # "ur" is "you're" before a predicate and "your" before a noun
                out[i] = "you're" if _UR_PREDICATE.match(tokens[i + 1] if i < last else "") else "your"
            elif (tok == "its" or tok == "it's") and i < last and tokens[i + 1] in _IT_IS_BEFORE:
                out[i] = "it's"
    if len(out) > 2:
        out = _unfill(out)
    # Re-join: words with spaces, punctuation attached to the word before it.
    return _ATTACH.sub("", " ".join(out))


# Spoken turns carry fillers and restarts ("so, um, you're, you're kind of stuck"); the
# cue rules and the model read the words without them, as a trainer hears them.
_FILLERS = frozenset(("um", "umm", "uh", "uhh", "erm", "er", "uhm"))


def _unfill(tokens: list[str]) -> list[str]:
    if _FILLERS.isdisjoint(tokens) and tokens[0] != "," and not _may_restart(tokens):
        return tokens             # most pieces: nothing to read past
    kept: list[str] = []
    last_word = ""
    bracketed = False             # a filler set off by commas ("i've, um, already") goes with both
    for tok in tokens:
        if tok in _FILLERS:
            if kept and kept[-1] == ",":
                kept.pop()
                bracketed = True
            continue
        if tok == "," and (not kept or bracketed):
            bracketed = False
            continue
        bracketed = False
        if tok[0].isalnum() and tok == last_word and kept and kept[-1] in (",", tok):
            if kept[-1] == ",":
                kept.pop()
            continue              # a restart: "you're, you're" is said once
        if tok[0].isalnum():
            last_word = tok
        kept.append(tok)
    return kept if any(t[0].isalnum() for t in kept) else tokens


def _may_restart(tokens: list[str]) -> bool:
    """Whether _unfill could find a restart: a word said twice in a row ("you're you're")
    or either side of a comma ("you're, you're"). Errs towards yes (a comma after
    punctuation), since _unfill then simply looks properly."""
    for a, b in zip(tokens, tokens[1:]):
        if a == b and a[0].isalnum():
            return True
    for a, comma, b in zip(tokens, tokens[1:], tokens[2:]):
        if comma == "," and b[0].isalnum() and (a == b or not a[0].isalnum()):
            return True
    return False
