"""Reading the trainee's words as moves. `recognize(text) -> Reading` is the interface.

The recogniser (recognizer.py) combines transparent cue rules (lexicon.yaml, extendable
by a trainer through PEERSIM_LEXICON) with a small statistical model trained on the
project's own corpus (`python -m tools.recogniser.train`). `explain(span)` phrases the
evidence for a trainee. See docs/recogniser.md.
"""

from __future__ import annotations

from functools import lru_cache

from simulator.moves.reading import MoveSpan, Reading
from simulator.moves.taxonomy import FAMILIES, MOVE_IDS, MOVES, Move, family_of, move_label


@lru_cache(maxsize=1)
def default_recognizer():
    from simulator.moves.recognizer import Recognizer

    return Recognizer()


def recognize(text: str) -> Reading:
    """Read one trainee turn: every move in order, a primary move, a confidence and the cue."""
    return default_recognizer().recognize(text)


def explain(span: MoveSpan, reading: Reading | None = None) -> str:
    """One plain sentence a trainee can read: why this piece was read as this move, and,
    when the harm gate held a harmful reading back, what it heard and that it did not act.

    "read as directive advice because of 'you should'"
    "read as reflection because of 'so you' and 'stuck' (not sure)"
    "read as reflection because of 'you feel'; heard as possible directive advice ('you have to'), not acted on"
    With `reading`, a span that does not act on the client says so: "... (also heard, not counted)".
    """
    label = move_label(span.move)
    cue = (span.cue or "").strip()
    if span.source == "turn":
        reason = f"because the turn stays on your own story ({cue})" if cue else "because the turn stays on your own story"
    elif not cue:
        reason = "because nothing in it points to another move" if span.move == "other" else "by the overall wording"
    elif cue == "?":
        reason = "because it ends with a question mark"
    elif span.source == "model":
        parts = [p.strip() for p in cue.split(",") if p.strip()]
        quoted = [("a question mark" if p == "?" else f"'{p}'") for p in parts]
        reason = "because of " + " and ".join(quoted) if quoted else "by the overall wording"
    elif span.source == "shape" and cue.endswith("…?"):
        reason = f"because of '{cue[:-2].strip()}', said as a question"
    else:
        reason = f"because of '{cue}'"
    sure = "" if span.confidence >= 0.5 else " (not sure)"
    out = f"read as {label} {reason}{sure}"
    if span.held:
        heard = f" ('{span.held_cue}')" if span.held_cue else ""
        out += f"; heard as possible {move_label(span.held)}{heard}, not acted on"
    if reading is not None and not reading.acts(span):
        out += " (also heard, not counted)"
    return out


# How a harmful move sounds to the client, and what a harmless reading of the same words
# was doing, in the words the "did you mean" question uses.
_SOUNDS_LIKE = {
    "directive_advice": "telling them what to do",
    "judgment": "judging them",
    "minimizing": "brushing their feelings aside",
    "confidentiality_breach": "passing on what they told you",
    "self_focused_story": "turning the talk to your own story",
}
_MEANT = {
    "reflection": "reflecting what they said", "summary": "summing up what they said",
    "open_question": "asking them about it", "closed_question": "asking a question",
    "affirmation": "recognising what they feel or did", "autonomy_support": "leaving the choice with them",
    "collaboration": "offering to work it out together", "confidentiality_assurance": "saying what stays private",
    "repair": "owning a misstep", "information": "giving information", "self_disclosure": "sharing a little of yourself",
    "greeting": "greeting them", "other": "saying something else",
}


def gate_question(reading: Reading) -> str:
    """The plain-words question the app asks when the harm gate is unsure (reading.asks):

    "This could sound like telling them what to do ('you have to'). Did you mean that, or
    were you reflecting what they said?"  Empty when the gate did not ask."""
    if not reading.asks:
        return ""
    span = next((m for m in reading.held if m.held in reading.options), None) or next(iter(reading.held), None)
    if span is None:
        return ""
    heard = f" ('{span.held_cue}')" if span.held_cue else ""
    sounds = _SOUNDS_LIKE.get(span.held, move_label(span.held))
    meant = _MEANT.get(span.move, move_label(span.move))
    return f"This could sound like {sounds}{heard}. Did you mean that, or were you {meant}?"


__all__ = ["FAMILIES", "MOVES", "MOVE_IDS", "Move", "MoveSpan", "Reading", "explain", "family_of",
           "gate_question", "move_label", "recognize"]
