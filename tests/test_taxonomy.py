"""The taxonomy says everything about a move: the README's table, the scoring, the primary
move and every label read it, so changing a move there changes it everywhere."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from simulator.debrief import labels
from simulator.scoring import lesson_scores
from simulator.moves import move_label as moves_label
from simulator.moves.reading import MoveSpan
from simulator.moves.recognizer import choose_primary
from simulator.moves.taxonomy import (BREAKS_WHEN_WORDS, BROKEN_BY, IN_A_STREAK, LESSON_TITLES, MOVES, PRIMARY_ORDER,
                                      SHOWN_BY, Lesson, Polarity, move_label)
from simulator.tui.labels import move_label as tui_label
from debrief_helpers import make_log

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_table() -> dict[Lesson, tuple[set[str], set[str]]]:
    """The README's lesson table: per lesson, the cells 'helps' and 'hurts' as sets of entries."""
    text = README.read_text(encoding="utf-8")
    head = text.index("| lesson of the source article | helps | hurts |")
    rows = {}
    for line in text[head:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        lesson_cell, helps, hurts = (c.strip() for c in line.strip("|").split("|"))
        (lesson,) = [ls for ls in Lesson if lesson_cell.startswith(LESSON_TITLES[ls].split(":")[0].lower())]
        rows[lesson] = ({h.strip() for h in helps.split(",")}, {h.strip() for h in hurts.split(",")})
    return rows


def as_written(move: str) -> str:
    when = BREAKS_WHEN_WORDS[MOVES[move].breaks_when]
    return f"{move} ({when})" if when else move


def test_the_readme_table_is_the_taxonomy():
    table = readme_table()
    assert set(table) == set(Lesson)
    for lesson, (helps, hurts) in table.items():
        assert helps == set(SHOWN_BY[lesson]), lesson
        assert hurts == {as_written(m) for m in BROKEN_BY[lesson]}, lesson


def test_the_readme_names_the_neutral_moves_of_the_taxonomy():
    text = README.read_text(encoding="utf-8")
    listed = text.split("Neutral moves:", 1)[1].split("\n\n", 1)[0]
    named = {word for word in re.findall(r"[a-z_]+", listed) if word in MOVES}
    assert named == {m for m, move in MOVES.items() if move.polarity is Polarity.NEUTRAL}


def one_turn(move: str):
    return make_log([{"parts": [(move, "Some words.")]}])


@pytest.mark.parametrize("move", list(MOVES))
def test_scoring_counts_each_move_for_the_lessons_the_taxonomy_gives_it(move):
    """A session of one turn holding only this move shows exactly the lessons the taxonomy
    says it shows, and goes against exactly those it breaks (a lone turn is never a streak
    of closed questions, and nobody asked first for its advice)."""
    scores = lesson_scores(one_turn(move))
    shown = {Lesson(k) for k, s in scores.items() if s.shown}
    broken = {Lesson(k) for k, s in scores.items() if s.broken}
    assert shown == set(MOVES[move].shows)
    assert broken == (set() if MOVES[move].breaks_when == IN_A_STREAK else set(MOVES[move].breaks))


def test_closed_questions_break_listening_from_the_third_in_a_row():
    asks = {"parts": [("closed_question", "Did you sleep?")]}
    two, three = (lesson_scores(make_log([asks] * n))[Lesson.ACTIVE_LISTENING] for n in (2, 3))
    assert (two.broken, three.broken) == (0, 1)


def test_advice_breaks_its_lessons_only_without_asking_first():
    unasked = lesson_scores(make_log([{"parts": [("directive_advice", "You should go.")]}]))
    asked = lesson_scores(make_log([{"parts": [("collaboration", "Can I share an idea?"),
                                               ("directive_advice", "You should go.")]}]))
    for lesson in MOVES["directive_advice"].breaks:
        assert unasked[lesson].broken == 1 and asked[lesson].broken == 0


def test_the_primary_move_follows_the_taxonomy_ranks():
    assert [m for m, _ in sorted(MOVES.items(), key=lambda kv: kv[1].rank)] == list(PRIMARY_ORDER)
    assert sorted(m.rank for m in MOVES.values()) == list(range(len(MOVES)))
    for higher, lower in zip(PRIMARY_ORDER, PRIMARY_ORDER[1:]):
        spans = [MoveSpan(lower, 0, 5, "x"), MoveSpan(higher, 6, 10, "y")]
        assert choose_primary(spans).move == higher


def test_a_label_changed_in_the_taxonomy_shows_everywhere(monkeypatch):
    renamed = dataclasses.replace(MOVES["directive_advice"], label="telling them what to do")
    monkeypatch.setitem(MOVES, "directive_advice", renamed)
    for label in (move_label, moves_label, tui_label):
        assert label("directive_advice") == "telling them what to do"
    assert labels(["reflection", "directive_advice"]) == "reflection and telling them what to do"


def test_an_unknown_move_id_is_still_shown_in_plain_words():
    assert move_label("old_move") == "old move"
