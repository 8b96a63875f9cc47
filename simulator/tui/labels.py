"""Names and rules the screens show, kept apart from practice.py so the first screen
can be drawn before the engine is imported (launch time)."""

from __future__ import annotations

MODES = ("practice", "fading", "assessment", "choice")
MODE_TITLES = {
    "practice": "Practice: feedback after every turn, coach on request",
    "fading": "Fading: feedback thins out as your helpful moves become a habit",
    "assessment": "Assessment: no feedback until the debrief",
    "choice": "Choice: pick one of several replies (good for a first try)",
}

# Fading rule (shown in the help screen): a chip shows on every turn until the trainee
# has made FADE_AFTER helpful turns in a row; then on every other turn; after
# FADE_OFF helpful turns in a row, chips stop. A turn that hurts rapport always shows
# its chip and starts the count again.
FADE_AFTER = 2
FADE_OFF = 6


def move_label(move: str) -> str:
    """The taxonomy's label; imported when first needed, so the first screen need not wait for it."""
    from simulator.moves.taxonomy import move_label as label

    return label(move)


def short_date(iso: str | None) -> str:
    """"2026-01-05 10:00" from an ISO time stamp."""
    return (iso or "")[:16].replace("T", " ")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def compact_date(iso: str | None, this_year: str) -> str:
    """"05 Jan 10:00" for a time stamp in `this_year`, "2025-01-05" for one of another year:
    12 characters at most, so the history table fits an 80-column terminal."""
    text = short_date(iso)
    if len(text) < 16 or not text[5:7].isdigit() or not 1 <= int(text[5:7]) <= 12:
        return text
    if text[:4] != this_year:
        return text[:10]
    return f"{text[8:10]} {_MONTHS[int(text[5:7]) - 1]} {text[11:16]}"
