"""The move recogniser: segments, two layers per piece, a turn-level pass, a primary move.

For each piece of a turn (see segment.py):
1. the lexicon (rules.py, lexicon.yaml) gives the strongest cue, if any;
2. the statistical model (model.py) gives a probability for every move;
3. they are combined: a strong cue (weight >= 0.9) decides, and the model's agreement
   sets how sure we are; a weaker cue decides unless the model is confident of another
   move; with no cue, a piece shaped as a question is a question (its form tells open
   from closed) unless the model is sure of a non-question, and otherwise the model
   decides. Moves a lexicon veto rules out are ruled out for the model too.
4. the harm gate: a harmful move needs explicit evidence (a lexicon cue; for a story, the
   whole-turn check) confirmed by a second, small harm-versus-not model trained with
   many harmless look-alikes. The statistical model alone never decides harm. A harmful
   reading the gate is unsure of does not act: the piece is read as its best harmless
   move, the harmful one is kept as `held`, and the reading `asks`.
Then, over the whole turn, a helper's story that keeps the spotlight on the helper is
told apart from a brief disclosure that hands the focus back; adjacent pieces read as
the same move are joined; and the primary move is chosen by PRIMARY_ORDER.
"""

from __future__ import annotations

import re
from dataclasses import replace

from simulator.moves import rules
from simulator.moves.model import LinearModel, default_harm_model, default_model
from simulator.moves.reading import MoveSpan, Reading
from simulator.moves.segment import normalise, segments
from simulator.moves.taxonomy import HARMFUL_MOVES, PRIMARY_ORDER

# PRIMARY_ORDER: the moves by their rank in the taxonomy (docs/recogniser.md).
RANK = {m: i for i, m in enumerate(PRIMARY_ORDER)}

UNCLEAR_BELOW = 0.5        # a reading less sure than this is shown as "unclear"
STRONG_CUE = 0.9           # a lexicon cue at least this strong decides on its own
MODEL_OVERRULES = 0.75     # the model overrules a weaker cue when this sure of another move
SHAPE_YIELDS_TO = 0.8      # a question's form decides unless the model is this sure of a non-question
QUESTIONS = ("open_question", "closed_question")
# The harm gate (docs/recogniser.md): a harmful reading with evidence acts when the
# harm-versus-not model gives harm at least CONFIRM_HARM; from DOUBT_HARM up it is held
# back and the app asks; below that, the look-alike reading stands and nobody is asked.
# A harmful reading from the statistical model alone never acts; it asks only when the
# harm model, too, finds harm likely.
CONFIRM_HARM = 0.5
DOUBT_HARM = 0.2
STRONG_HARM_CUE = 0.93
STRONG_CONFIRM = 0.2
STRONG_DOUBT = 0.05
HARMLESS_ONLY = frozenset(HARMFUL_MOVES)
# Words that only keep the floor ("okay", "mm", "right"): never the primary beside a real move.
_BACKCHANNEL = re.compile(r"^(ok(ay)?|k|mm+(-?hm+)?|m+hm+|hm+|uh[- ]?huh|right|yeah|yep|yes|sure|i see|gotcha|got it|"
                          r"alright|oh|ah|wow|so|well|okay okay|ok ok|right right)[\s.,!…-]*$")


_FIRST = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself)\b")
# Every way a first-person word can be typed before tidying (texting forms included), so
# counting these in the raw turn is never less than counting _FIRST in the tidied one.
_FIRST_TYPED = re.compile(r"\b(i|me|my|mine|myself|im|ive|id|ill|lemme|gimme|idk|imo|ima|imma)\b")
_SECOND_TYPED = re.compile(r"\b(you|your|you're|youre|you've|you'd|you'll|yours|yourself|u|ur|urs)\b")
_SECOND = re.compile(r"\b(you|your|you're|you've|you'd|you'll|yours|yourself)\b")
_STORY = re.compile(
    r"\b(when i was|back when i|i remember|in my (recovery|experience|day|case|own)|my (own )?(recovery|story|journey|"
    r"sponsor|kids|addiction|drinking|using|time in|family|ex|dad|mom|brother|sister)|i used to|i went through|"
    r"i was (using|drinking|in|at|homeless|locked|the same|living)|i got (clean|sober|out|caught)|i relapsed|i lost|"
    r"i hit (rock )?bottom|i did|i had|i went|same (thing )?with me|same for me|just like me|that'?s my story|"
    r"let me tell you|with me,|i (quit|stopped|started|spent|moved|sold|found out|hid|ended up|decided|kept|couldn'?t)|"
    r"my first (day|week|month|year|night|time|shift))\b")


class Recognizer:
    def __init__(self, lexicon: rules.Lexicon | None = None, model: LinearModel | None | bool = True):
        """`model=True` uses the shipped model (lazy, cached); `model=None` reads by rules alone."""
        self.lexicon = lexicon or rules.default_lexicon()
        self._model = model
        self._harm: LinearModel | None | bool = True if model is True else (None if model is None else True)
        self._memo: dict[str, tuple] = {}

    @property
    def model(self) -> LinearModel | None:
        if self._model is True:
            self._model = default_model()
        return self._model or None

    # ------------------------------------------------------------------ one piece
    def read_piece(self, piece: str) -> tuple:
        """(move, confidence, cue, source, held, held_cue, asks, options) for one piece.

        `held`/`held_cue`: a harmful move the gate heard but held back, and its words;
        `asks`: the gate is unsure of it; `options`: readings of the piece by likelihood
        when it asks. Reading is a pure function of the piece, so results are memoised
        (bounded): trainees and scripts repeat openers ("That sounds hard.")."""
        memo = self._memo
        found = memo.get(piece)
        if found is None:
            found = self._gate(normalise(piece))
            if len(memo) >= 20_000:
                memo.clear()
            memo[piece] = found
        return found

    def _gate(self, norm: str) -> tuple:
        ruled_out, cue = rules.read_piece(norm, self.lexicon)
        move, conf, why, source, probs, pred = self._decide(norm, ruled_out, cue)
        if move not in HARMFUL_MOVES:
            return move, conf, self._why(why, pred), source, "", "", False, ()
        p_harm = self.p_harm(norm, cue)
        evidence = source == "lexicon"
        # An explicit cue ("you should", "I'll tell your PO") needs less confirming than a
        # looser one ("maybe try", "at least"): the look-alikes of strong cues are mostly
        # caught by the lexicon's vetoes already.
        confirm, doubt = (STRONG_CONFIRM, STRONG_DOUBT) if evidence and cue is not None and \
            cue.weight >= STRONG_HARM_CUE else (CONFIRM_HARM, DOUBT_HARM)
        if evidence and p_harm >= confirm:
            return move, conf, why, source, "", "", False, ()
        # Held back: the best harmless reading acts instead (the cue rules of harm ruled out).
        safe_cue = cue
        if cue is not None and cue.move in HARMFUL_MOVES:
            safe_cue = rules.read(norm, self.lexicon, ruled_out | HARMLESS_ONLY,
                                  self.lexicon.key_grams(norm.rstrip(" .!;?")))
        alt, alt_conf, alt_why, alt_source, _, alt_pred = self._decide(norm, ruled_out | HARMLESS_ONLY, safe_cue)
        alt_why = self._why(alt_why, alt_pred)
        asks = p_harm >= (doubt if evidence else CONFIRM_HARM)
        options: tuple[str, ...] = ()
        if asks:
            alt_conf = min(alt_conf, UNCLEAR_BELOW - 0.01)
            scored = {alt: alt_conf, move: max(p_harm, probs.get(move, 0.0))}
            for other, p in sorted(probs.items(), key=lambda kv: -kv[1])[:3]:
                scored.setdefault(other, p)
            options = tuple(m for m, _ in sorted(scored.items(), key=lambda kv: -kv[1]))[:4]
        if not evidence and not asks:
            # A harmful guess of the model alone that the harm model does not share: no
            # harm was heard, so none is shown.
            return alt, alt_conf, alt_why, alt_source, "", "", False, ()
        # The model's evidence is a list of phrases; the trainee is shown its strongest one.
        heard = self._why(why, pred).split(", ")[0] if source == "model" else why
        return alt, alt_conf, alt_why, alt_source, move, heard, asks, options

    def _why(self, why: str | None, pred) -> str:
        """The words that decided a piece: a cue's own, or (`why` None) the model's
        strongest phrases, worked out only for a reading that is kept."""
        return ", ".join(self.model.evidence(pred)) if why is None else why

    def p_harm(self, norm: str, cue: rules.Cue | None = None) -> float:
        """The harm-versus-not model's probability that this piece harms, given its words
        and the move of its strongest lexicon cue; with no such model, a lexicon cue is
        taken at its word (1.0) and nothing else counts."""
        model = self.harm_model
        if model is None:
            return 1.0
        return model.predict(norm, explain=False, extra=harm_features(cue)).probs.get("harm", 0.0)

    @property
    def harm_model(self) -> LinearModel | None:
        if self._harm is True:
            self._harm = default_harm_model() if self._model is not None else None
        return self._harm or None

    def _decide(self, norm: str, ruled_out: set[str], cue: rules.Cue | None) -> tuple:
        """(move, confidence, cue words, source, model probabilities, prediction) from the
        two layers. When the model decides, the cue words are None: its evidence is named
        by _why, only if the reading is kept."""
        model = self.model
        if model is None:
            return (*self._rules_only(norm, cue, ruled_out), {}, None)
        pred = model.predict(norm, explain=False, exclude=ruled_out)
        if cue is not None:
            agree = pred.probs.get(cue.move, 0.0)
            if cue.weight >= STRONG_CUE or not (pred.move != cue.move and pred.probability >= MODEL_OVERRULES):
                return cue.move, 0.6 * cue.weight + 0.4 * agree, cue.text, cue.kind, pred.probs, pred
        form = rules.shape(norm)
        if form is not None:
            # The form of a question (its opening word, its question mark) tells open from
            # closed better than the words do; a reflective statement said with a rising
            # tone ("so you feel stuck?") still gives the client's words back.
            if pred.move in QUESTIONS or pred.move in ("reflection", "summary") or pred.probability < SHAPE_YIELDS_TO:
                p_form = pred.probs.get("open_question", 0.0) + pred.probs.get("closed_question", 0.0) \
                    if pred.move in QUESTIONS and form.move in QUESTIONS else pred.probs.get(form.move, 0.0)
                # The form is evidence of its own: it keeps at least its weight less 0.2.
                return form.move, max(0.5 * form.weight + 0.5 * p_form, form.weight - 0.2), form.text, form.kind, \
                    pred.probs, pred
        return pred.move, pred.probability, None, "model", pred.probs, pred

    def _rules_only(self, norm: str, cue: rules.Cue | None, ruled_out: set[str] = frozenset()) -> tuple:
        if cue is None:
            cue = rules.shape(norm)
        if cue is not None:
            return cue.move, cue.weight, cue.text, cue.kind
        bare = norm.rstrip(" .!?")
        if _SECOND.search(bare) and not _FIRST.search(bare) and len(bare.split()) >= 3:
            return "reflection", 0.55, "a statement about the client", "shape"
        return "other", 0.4, "", "shape"

    # ------------------------------------------------------------------ one turn
    def recognize(self, text: str) -> Reading:
        if not isinstance(text, str):
            text = str(text)
        text = text[:20_000]  # a huge paste is read by its beginning; nothing longer is a turn
        spans: list[MoveSpan] = []
        asking: dict[int, tuple[str, ...]] = {}    # where a piece the gate is unsure of starts: its options
        for start, end in segments(text):
            move, conf, cue, source, held, held_cue, piece_asks, piece_options = self.read_piece(text[start:end])
            conf = max(0.0, min(1.0, conf))
            if piece_asks:
                asking[start] = piece_options
            if spans and spans[-1].move == move and move not in QUESTIONS and not held and not spans[-1].held:
                last = spans[-1]
                spans[-1] = MoveSpan(move, last.start, end, last.cue or cue, max(last.confidence, conf), last.source)
            else:
                spans.append(MoveSpan(move, start, end, cue, conf, source, held, held_cue))
        spans = self._story_pass(text, spans)
        spans = self._handed_back(text, spans)
        # The turn asks about its first piece that is still held back and unsure.
        asks_at = next((sp.start for sp in spans if sp.held and sp.start in asking), None)
        asks = asks_at is not None
        options = asking[asks_at] if asks else ()
        if not spans:
            # Nothing was said (blank, punctuation, emoji): no move, and the client hears silence.
            return Reading(text, (), "other", 0.0, "", unclear=True)
        if len(spans) > 1:
            spans = self._quiet_backchannels(text, spans)
        primary_span = choose_primary(spans)
        return Reading(text, tuple(spans), primary_span.move, primary_span.confidence, primary_span.cue,
                       unclear=asks or primary_span.confidence < UNCLEAR_BELOW, asks=asks, options=options)

    @staticmethod
    def _quiet_backchannels(text: str, spans: list[MoveSpan]) -> list[MoveSpan]:
        """"Okay, so you're stuck": the "okay" keeps the floor; it is never the primary
        beside another move. It stays in the turn, too unsure to act."""
        out = []
        for sp in spans:
            if sp.move == "other" and _BACKCHANNEL.match(text[sp.start:sp.end].strip().lower()):
                sp = MoveSpan("other", sp.start, sp.end, sp.cue, min(sp.confidence, UNCLEAR_BELOW - 0.01), sp.source)
            out.append(sp)
        return out

    @staticmethod
    def _handed_back(text: str, spans: list[MoveSpan]) -> list[MoveSpan]:
        """"omg same, i had that with my landlord. how are you doing with it now?": a story
        cue the gate was unsure of, in a turn that ends by handing the floor back, is the
        brief disclosure it reads as; nobody is asked about it. (A story the gate confirmed,
        or one that takes over the turn, is left to _story_pass.)"""
        def brief(sp: MoveSpan) -> bool:
            return sp.held == "self_focused_story" and sp.move == "self_disclosure"
        if not any(map(brief, spans)) or not _hands_back(text, spans):
            return spans
        return [replace(sp, held="", held_cue="") if brief(sp) else sp for sp in spans]

    def _story_pass(self, text: str, spans: list[MoveSpan]) -> list[MoveSpan]:
        """Brief sharing that hands the focus back stays self_disclosure; a long story
        about the helper, or one that ends by telling the client what to do, does not."""
        if not spans or len(text.split()) < 20:
            return spans          # too short to be a story that takes over
        if len(_FIRST_TYPED.findall(text.lower())) < 3:
            return spans          # fewer than three words about the helper: no story (and no tidying needed)
        norm = normalise(text)
        words = norm.split()
        first = len(_FIRST.findall(norm))
        second = len(_SECOND.findall(norm))
        markers = _STORY.findall(norm)
        hands_back = _hands_back(norm, spans)
        takes_over = (
            (len(words) >= 45 and first >= 6 and first > 2.5 * max(second, 1) and not hands_back)
            or (len(words) >= 28 and first >= 4 and len(markers) >= 2 and first > 2 * max(second, 1) and not hands_back)
            or (len(words) >= 70 and first >= 8 and first > 3 * max(second, 1))
            or (len(words) >= 28 and first >= 5 and markers and first > 3 * max(second, 1) and not hands_back)
            # A shorter story typed with no word about the client at all ("same thing happened
            # w my ex, i had to get the bus for 2 yrs") keeps the floor just as well.
            or (len(words) >= 20 and first >= 3 and markers and second == 0)
        )
        if not takes_over:
            return spans
        marker = next((m[0] for m in (_STORY.search(norm),) if m), "")
        cue = f"{first} of {len(words)} words about you" + (f", '{marker}'" if marker else "")
        story = MoveSpan("self_focused_story", spans[0].start, spans[-1].end, cue, 0.85, "turn")
        kept = [sp for sp in spans if sp.move in HARMFUL_MOVES and sp.move != "self_focused_story"]
        return sorted([story, *kept], key=lambda sp: sp.start)


def _hands_back(text: str, spans: list[MoveSpan]) -> bool:
    """The turn ends by giving the floor back to the client: a question or a reflection,
    in a turn with a word about them."""
    return spans[-1].move in ("open_question", "closed_question", "reflection") and \
        _SECOND_TYPED.search(text.lower()) is not None


def harm_features(cue: rules.Cue | None) -> tuple[str, ...]:
    """The harm model's features beyond the words: the move its strongest cue names."""
    return ("cue:" + (cue.move if cue is not None else "none"),)


def choose_primary(spans: list[MoveSpan] | tuple[MoveSpan, ...]) -> MoveSpan:
    """The move the client responds to: the highest in PRIMARY_ORDER among the pieces we
    are reasonably sure of (a harmful move guessed at low confidence does not drown out
    a clear reflection); if none is sure, the highest overall."""
    sure = [sp for sp in spans if sp.confidence >= UNCLEAR_BELOW] or list(spans)
    return min(sure, key=lambda sp: (RANK[sp.move], -sp.confidence))
