"""A transparent, rule-based move recogniser.

Each sentence of a turn is read on its own: lexicon cues (lexicon.yaml) first, then
the shape of the sentence (a question, first-person narrative, a declarative about
"you"). A turn-level pass then tells brief self-disclosure from a story that takes
over, since that depends on the whole turn, not one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.moves.reading import MoveSpan, Reading
from simulator.moves.taxonomy import MOVE_IDS, HARMFUL_MOVES

LEXICON = Path(__file__).with_name("lexicon.yaml")

_SENTENCE = re.compile(r"[^.!?\n;]+(?:[.!?;]+|$)|\n")
_OPEN_START = re.compile(
    r"^(and |so |but |okay,? |ok,? |well,? )?(what|how|why|tell me|talk me|walk me|help me understand|describe|"
    r"in what way|which|where do you|who (do|would|could|helps)|when you think|i'?m curious|i wonder what|i wonder how)\b")
_CLOSED_START = re.compile(
    r"^(and |so |but |okay,? |ok,? )?(do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|shall|"
    r"may|might|am|don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|won'?t|wouldn'?t|haven'?t|u|r u|ru)\b")
_FIRST_PERSON = re.compile(r"\b(i|i'?m|i'?ve|i'?d|i'?ll|me|my|mine|myself|im|ive)\b")
_SECOND_PERSON = re.compile(r"\b(you|your|you'?re|yours|yourself|u|ur)\b")
_STORY_MARKERS = re.compile(
    r"\b(when i was|back when i|i remember|in my (recovery|experience|day|case|own)|my (own )?(recovery|story|"
    r"journey|sponsor|kids|addiction|drinking|using|time in|counsell?or|therapist)|i used to|i went through|"
    r"i was (using|drinking|in|at|homeless|locked)|i got (clean|sober|out)|i relapsed|i lost|i hit (rock )?bottom|"
    r"i'?ve been (there|through|in|somewhere)|i'?ve (felt|had|struggled|lived)|for me,? (it|what)|same thing happened to me|that happened to me|i had the same|i know exactly)\b")
_HAND_BACK = re.compile(r"\?\s*$")
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class Rule:
    move: str
    pattern: re.Pattern
    weight: float
    source: str


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    vetoes: tuple[Rule, ...]


class LexiconError(ValueError):
    pass


def _compile(entries: list, where: str) -> list[Rule]:
    out = []
    for i, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or entry.get("move") not in MOVE_IDS or not isinstance(entry.get("pattern"), str):
            raise LexiconError(f"{where}: rule {i + 1} needs a known `move` and a text `pattern`")
        try:
            pattern = re.compile(entry["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{where}: rule {i + 1} has a broken pattern ({exc})") from None
        out.append(Rule(entry["move"], pattern, float(entry.get("weight", 0.8)), entry["pattern"]))
    return out


def load_lexicon(*extra: Path) -> Lexicon:
    """The shipped lexicon plus any site or persona lexicons, in that order."""
    rules: list[Rule] = []
    vetoes: list[Rule] = []
    for path in (LEXICON, *extra):
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise LexiconError(f"{path}: a lexicon is a mapping with `rules:` and `veto:`")
        rules += _compile(data.get("rules"), str(path))
        vetoes += _compile(data.get("veto"), str(path))
    return Lexicon(tuple(rules), tuple(vetoes))


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


def segments(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, blank ones dropped."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
    return spans


# What the client responds to most when a turn holds several moves: harm is heard over
# everything else; then a question asks for an answer; then the rest by how much it
# shapes the moment. Documented in docs/recogniser.md.
PRIMARY_ORDER = (
    "confidentiality_breach", "judgment", "self_focused_story", "directive_advice", "minimizing",
    "confidentiality_assurance", "summary", "collaboration", "autonomy_support", "open_question",
    "reflection", "closed_question", "affirmation", "self_disclosure", "information", "greeting", "other",
)
_RANK = {m: i for i, m in enumerate(PRIMARY_ORDER)}


class RuleRecognizer:
    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or default_lexicon()

    def read_sentence(self, sentence: str) -> tuple[str, float, str]:
        s = normalise(sentence)
        s_bare = s.rstrip(" .!?;")
        is_question = s.rstrip().endswith("?")
        vetoed = {r.move for r in self.lexicon.vetoes if r.pattern.search(s_bare)}
        best: tuple[float, str, str] | None = None
        for rule in self.lexicon.rules:
            if rule.move in vetoed:
                continue
            m = rule.pattern.search(s_bare)
            if m and (best is None or rule.weight > best[0]):
                best = (rule.weight, rule.move, m.group(0).strip())
        if best and best[1] in ("reflection",) and is_question:
            best = None  # "you feel stuck?" asks; it does not reflect
        if best and best[1] == "directive_advice" and is_question and not re.search(r"why don'?t you|why not", s):
            best = None
        if best:
            return best[1], best[0], best[2]
        if is_question or _OPEN_START.match(s_bare) and len(s_bare.split()) > 2:
            if _OPEN_START.match(s_bare):
                return "open_question", 0.85, _OPEN_START.match(s_bare).group(0).strip()
            if _CLOSED_START.match(s_bare) or is_question:
                cue = _CLOSED_START.match(s_bare)
                return "closed_question", 0.8, (cue.group(0).strip() if cue else "?")
        if _CLOSED_START.match(s_bare) and len(s_bare.split()) <= 8 and _SECOND_PERSON.search(s_bare):
            return "closed_question", 0.6, _CLOSED_START.match(s_bare).group(0).strip()
        if _FIRST_PERSON.search(s_bare) and not _SECOND_PERSON.search(s_bare):
            story = _STORY_MARKERS.search(s_bare)
            if story:
                return "self_disclosure", 0.7, story.group(0)
        if _SECOND_PERSON.search(s_bare) and len(s_bare.split()) >= 3 and not _FIRST_PERSON.search(s_bare):
            return "reflection", 0.55, "a statement about the client"
        return "other", 0.4, ""

    def recognize(self, text: str) -> Reading:
        if not isinstance(text, str):
            text = str(text)
        text = text[:20_000]  # a huge paste is read by its beginning; nothing longer is a turn
        spans: list[MoveSpan] = []
        for start, end in segments(text):
            move, conf, cue = self.read_sentence(text[start:end])
            if spans and spans[-1].move == move and move not in ("open_question", "closed_question"):
                last = spans[-1]
                spans[-1] = MoveSpan(move, last.start, end, last.cue, max(last.confidence, conf))
            else:
                spans.append(MoveSpan(move, start, end, cue, conf))
        spans = self._story_pass(text, spans)
        if not spans:
            # Nothing was said (blank, punctuation, emoji): no move, and the client hears silence.
            return Reading(text, (), "other", 0.0, "", unclear=True)
        primary_span = min(spans, key=lambda sp: (_RANK[sp.move], -sp.confidence))
        confidence = primary_span.confidence
        cue = primary_span.cue
        return Reading(text, tuple(spans), primary_span.move, confidence, cue, unclear=confidence < 0.5)

    def _story_pass(self, text: str, spans: list[MoveSpan]) -> list[MoveSpan]:
        """Brief sharing that hands back stays self_disclosure; a long one-sided story does not."""
        if not spans:
            return spans
        words = _WORD.findall(normalise(text))
        first = sum(1 for w in words if _FIRST_PERSON.fullmatch(w))
        second = sum(1 for w in words if _SECOND_PERSON.fullmatch(w))
        narrative = [sp for sp in spans if sp.move == "self_disclosure"]
        hands_back = bool(_HAND_BACK.search(text.strip())) and second > 0
        takes_over = (len(words) >= 45 and first >= 6 and first > 3 * max(second, 1)) or (
            narrative and len(words) >= 30 and first >= 5 and not hands_back)
        if not takes_over:
            return spans
        cue = narrative[0].cue if narrative else f"{first} of {len(words)} words about you"
        story = MoveSpan("self_focused_story", spans[0].start, spans[-1].end,
                         f"a long story about yourself ({cue})", 0.85)
        kept = [sp for sp in spans if sp.move in HARMFUL_MOVES]
        return sorted([story, *kept], key=lambda sp: sp.start)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()
