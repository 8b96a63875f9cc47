"""Exports (terminal text, Markdown, HTML, JSON), the trainer report and the better-reply library."""

import csv
import io
import json
from html.parser import HTMLParser

import yaml

from debrief_helpers import make_log
from simulator.debrief import debrief
from simulator.debrief.export import to_html, to_json, to_markdown, to_text
from simulator.debrief.library import LIBRARY, PLACEHOLDER, examples_for, load_library
from simulator.debrief.report import build_report, to_csv
from simulator.debrief.report import to_markdown as report_md
from simulator.moves import recognize
from simulator.moves.taxonomy import HARMFUL_MOVES, MOVE_IDS, family_of


def session(trainee="Ana", persona_id="marcus", name="Marcus"):
    log = make_log([
        {"parts": [("greeting", "Hi, thanks for coming in.")]},
        {"parts": [("reflection", "It sounds like you're worn out <and> tired of people | \"managing\" you.")],
         "state": "warming", "beats": ["a"], "reply": "Yeah. That's it."},
        {"parts": [("directive_advice", "You should go to a meeting tonight.")], "state": "withdrawn",
         "reply": "Everybody's got a plan for me."},
        {"parts": [("open_question", "What would help right now?")]},
    ], trainee=trainee, persona_id=persona_id, name=name)
    log.id = "abc123def0"
    return log


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))


def test_html_is_one_self_contained_page_with_the_curve():
    log = session()
    page = to_html(debrief(log), log)
    parser = Collect()
    parser.feed(page)
    parser.close()
    assert "svg" in parser.tags and "polyline" in parser.tags
    points = next(a["points"] for t, a in parser.attrs if t == "polyline").split()
    assert len(points) == len(log.turns) + 1  # the start and one point per turn
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    for tag, attrs in parser.attrs:
        for key in ("src", "href"):
            assert key not in attrs, (tag, attrs)
    assert "@media print" in page
    # Every turn with its moves and effect, the lessons and the beats.
    assert page.count("<tr>") >= len(log.turns) + 1 + 5
    assert "directive advice" in page and "Collaboration: they are the expert" in page
    assert "Still untold" in page
    # The trainee's words are escaped, not markup.
    assert "&lt;and&gt;" in page and "<and>" not in page


def test_markdown_holds_lessons_turns_and_escapes_table_cells():
    log = session()
    md = to_markdown(debrief(log), log)
    assert md.startswith("# Debrief: Marcus")
    assert "## Lessons" in md and "## Turn by turn" in md
    row = next(line for line in md.splitlines() if line.startswith("| 2 |"))
    assert "\\|" in row and "\\<and\\>" in row  # a pipe in the trainee's words does not break the table
    assert len(row.split(" | ")) == 5


def test_json_export_round_trips():
    log = session()
    data = json.loads(to_json(debrief(log), log))
    assert data["schema"].startswith("peersim.")
    assert data["session"]["id"] == "abc123def0" and len(data["session"]["turns"]) == 4
    assert set(data["debrief"]["lessons"]) == {"client_focus", "autonomy", "confidentiality", "collaboration",
                                               "active_listening"}
    assert data["debrief"]["metrics"]["rapport_curve"] == log.rapport_curve


def test_terminal_text_fits_80_columns():
    log = session()
    log.turns[1].trainee = "word " * 60 + "averyveryverylongwordwithoutanyspaces" * 4
    text = to_text(debrief(log), log)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Overall" in text and "Turn by turn" in text


def test_trainer_report_groups_by_trainee_and_persona():
    logs = [session("Ana"), session("Ana"), session("Ben", "dana", "Dana"), session("=cmd()")]
    rows = build_report(logs)
    assert [(r.trainee, r.persona, r.sessions) for r in rows] == [
        ("=cmd()", "marcus", 1), ("Ana", "marcus", 2), ("Ben", "dana", 1)]
    ana = rows[1]
    single = debrief(logs[0])
    assert ana.overall == single.overall and ana.lessons["autonomy"] == single.lessons["autonomy"]
    assert ana.states_reached == ["guarded", "warming", "withdrawn"]
    assert ana.triggers == [("directive_advice", 2)]
    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(table) == 3
    assert table[1]["trainee"] == "Ana" and table[1]["sessions"] == "2"
    assert float(table[1]["overall"]) == single.overall
    assert table[1]["withdrawal_triggers"] == "directive_advice (2)"
    assert table[0]["trainee"] == "'=cmd()"  # never run as a spreadsheet formula
    md = report_md(rows, "2026-01-01")
    assert "| Ana | marcus | 2 |" in md and "since 2026-01-01" in md


def test_every_library_example_reads_as_its_move_family():
    for move, kinds in load_library()["examples"].items():
        assert move in MOVE_IDS
        for kind, lines in kinds.items():
            for line in lines:
                reading = recognize(PLACEHOLDER.sub("Sam", line))  # as a client's value fills it
                # A two-sided reflection may be read as a summary: the same family, the same skill.
                assert family_of(reading.primary) == family_of(move), (move, kind, line, reading.move_ids)
                assert not set(reading.move_ids) & HARMFUL_MOVES, line


def test_every_needed_move_has_examples():
    data = yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))
    for hurt, by_kind in data["needed"].items():
        assert hurt in MOVE_IDS and "default" in by_kind
        for kind, move in by_kind.items():
            assert move in MOVE_IDS and move not in HARMFUL_MOVES
            assert examples_for(move, kind)


def test_trainer_report_leaves_blank_cells_blank_and_escapes_names():
    unscored = make_log([], trainee="Zoë <b>")  # a session with no turns has no scores yet
    rows = build_report([unscored])
    (row,) = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert row["overall"] == "" and row["autonomy"] == "" and row["withdrawal_triggers"] == ""
    md = report_md(rows)
    assert "Zoë \\<b\\>" in md and "<b>" not in md


def test_terminal_text_never_passes_on_control_characters():
    # A pasted escape sequence must be shown as text, not clear or recolour the reader's terminal.
    log = session(trainee="Ana\x1b[2J")
    log.turns[0].trainee = "Hi\x1b[31m there\x00, thanks for coming in."
    text = to_text(debrief(log), log)
    # The whole sequence goes, not just its ESC, so no "[31m" debris is left in the text.
    assert "\x1b" not in text and "\x00" not in text and "Hi there, thanks" in text


def test_one_turn_is_one_turn_not_one_turns():
    log = session()
    log.turns = log.turns[:1]
    assert "1 turn," in to_text(debrief(log), log) and "1 turns" not in to_html(debrief(log), log)
