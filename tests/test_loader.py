"""Loading persona and tree files: every mistake an author can make is a ScenarioError
that names the file, the line (and column) and says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario import source
from simulator.scenario.errors import ScenarioError
from simulator.scenario.folders import validate_paths
from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths, shipped_tree_paths

ROOT = Path(__file__).resolve().parent.parent

# A small valid tree; the line numbers in the table below refer to it.
MINI_TREE = """\
id: mini
title: Mini tree
initial: calm
thresholds: {warm: 40}
effects:
  reflection: 5
states:
  calm:
    cue: sits with arms folded
    replies:
      default: ["Hm.", "Okay."]
  warming:
    cue: leans in
    replies:
      default: ["Yes.", "Go on."]
transitions:
  - move: reflection
    from: calm
    to: warming
    when: {rapport_at_least: warm}
"""

MINI_PERSONA = """\
id: mini-client
name: Robin
summary: A small client for tests.
background: Built for tests.
opening_line: "Hi."
difficulty: easy
tree: mini
age: 30
beats:
  - id: dog
    text: "I have a dog."
    unlock: {at_state: warming}
"""


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# name: (which file, its text, line, column or None, words in the message, words in the fix)
CASES = {
    "bad YAML syntax (unclosed bracket)": (
        "tree", _swap(MINI_TREE, 'default: ["Yes.", "Go on."]', 'default: ["Yes.", "Go on."'),
        16, 1, "YAML syntax", ""),
    "a line holding ': '": (
        "tree", _swap(MINI_TREE, "cue: leans in", "cue: leans in: slowly"), 13, 18, "YAML syntax",
        "double quotes"),
    "tab indentation": (
        "tree", _swap(MINI_TREE, "  reflection: 5", "\treflection: 5"), 6, 1, "YAML syntax", "tabs"),
    "a field without its ':' (pointed at that line, not the next)": (
        "tree", _swap(MINI_TREE, "title: Mini tree", "title Mini tree"), 2, 1, "could not find expected ':'",
        "needs ':' after its field name"),
    "a quoted text never closed (pointed at its start, not the end of the file)": (
        "tree", _swap(MINI_TREE, 'default: ["Yes.", "Go on."]', 'default: ["Yes.", "Go on.]'), 15, 25,
        "never closed", "closing quote"),
    "a double quote inside double-quoted text": (
        "persona", _swap(MINI_PERSONA, 'text: "I have a dog."', 'text: "I have a "dog"."'), 11, 22, "YAML syntax",
        "write a double quote as \\\""),
    "a line of text starting with *sighs* unquoted": (
        "persona", _swap(MINI_PERSONA, 'text: "I have a dog."', 'text: *sighs* I have a dog.'), 11, 17, "YAML syntax",
        "must be in double quotes"),
    "a line of text starting with @": (
        "persona", _swap(MINI_PERSONA, 'text: "I have a dog."', 'text: @home with my dog'), 11, 11, "YAML syntax",
        "must be in double quotes"),
    "an invisible control character pasted in": (
        "tree", _swap(MINI_TREE, "cue: leans in", "cue: leans\x0b in"), 13, 15, "invisible control character",
        "delete it"),
    "a tree with no states yet": (
        "tree", MINI_TREE.split("states:")[0] + "states: {}\ntransitions: []\n", 3, 10, "unknown state 'calm'",
        "but there are none yet"),
    "duplicate key": (
        "tree", _swap(MINI_TREE, "title: Mini tree\n", "title: Mini tree\ntitle: Other\n"), 3, 1,
        "'title' appears twice", "it is first on line 2: keep one"),
    "unknown move id": (
        "tree", _swap(MINI_TREE, "  - move: reflection", "  - move: reflecton"), 17, 11, "unknown move 'reflecton'",
        "did you mean 'reflection'?"),
    "unknown move id in effects": (
        "tree", _swap(MINI_TREE, "  reflection: 5", "  reflexion: 5"), 6, 3, "unknown move 'reflexion'",
        "did you mean 'reflection'?"),
    "misspelt state in 'to'": (
        "tree", _swap(MINI_TREE, "    to: warming", "    to: warmng"), 19, 9, "unknown state 'warmng'",
        "did you mean 'warming'?"),
    "misspelt state in 'from' list": (
        "tree", _swap(MINI_TREE, "    from: calm", "    from: [warming, clam]"), 18, 21, "unknown state 'clam'",
        "did you mean 'calm'?"),
    "misspelt initial state": (
        "tree", _swap(MINI_TREE, "initial: calm", "initial: calmm"), 3, 10, "unknown state 'calmm'",
        "did you mean 'calm'?"),
    "misspelt threshold": (
        "tree", _swap(MINI_TREE, "rapport_at_least: warm}", "rapport_at_least: wram}"), 20, 30,
        "unknown threshold 'wram'", "did you mean 'warm'?"),
    "missing default reply pool": (
        "tree", _swap(MINI_TREE, 'default: ["Hm.", "Okay."]', 'listening: ["Hm.", "Okay."]'), 10, 5,
        "no 'default' reply pool", "add `default:`"),
    "missing replies altogether": (
        "tree", _swap(MINI_TREE, '    replies:\n      default: ["Hm.", "Okay."]\n', ""), 8, 3,
        "missing required field 'replies'", "add `replies:`"),
    "empty reply pool": (
        "tree", _swap(MINI_TREE, 'default: ["Hm.", "Okay."]', "default: []"), 11, 16,
        "reply pool 'default' is empty", "at least one line"),
    "unknown reply key": (
        "tree", _swap(MINI_TREE, 'default: ["Yes.", "Go on."]', 'default: ["Yes."]\n      listnin: ["Mm."]'),
        16, 7, "unknown reply key 'listnin' (a move id", "did you mean 'listening'?"),
    "wrong type: text where a number goes": (
        "tree", _swap(MINI_TREE, "  reflection: 5", "  reflection: lots"), 6, 15,
        "expected a whole number, but found the text 'lots'", "number"),
    "wrong type: a number where a state id goes (union)": (
        "tree", _swap(MINI_TREE, "    from: calm", "    from: 5"), 18, 11,
        "from: expected one id or a list of ids, but found the number 5", "state id"),
    "wrong type: a list where text goes": (
        "tree", _swap(MINI_TREE, "cue: leans in", "cue: [leans, in]"), 13, 10, "expected text, but found a list",
        "write text"),
    "wrong type: a mapping where a list goes": (
        "tree", MINI_TREE.split("transitions:")[0] + "transitions: {}\n", 16, 14, "expected a list", "list"),
    "unknown field": (
        "tree", _swap(MINI_TREE, "initial: calm\n", "initial: calm\ncolour: blue\n"), 4, 1, "unknown field 'colour'",
        "fields allowed here"),
    "misspelt field": (
        "tree", _swap(MINI_TREE, "    when:", "    wen:"), 20, 5, "unknown field 'wen'", "did you mean 'when'?"),
    "alias bomb": (
        "tree", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg")), None, None,
        "expands to more than", "anchors and aliases"),
    "empty file": ("tree", "", 1, 1, "the file is empty", "shipped example"),
    "only comments": ("tree", "# nothing here yet\n", 1, 1, "the file is empty", "shipped example"),
    "python/object tag": (
        "tree", _swap(MINI_TREE, "title: Mini tree", "title: !!python/object/apply:os.system ['echo hi']"), 2, 8,
        "not allowed", "remove the '!' tag"),
    "a list instead of a mapping": ("tree", "- a\n- b\n", 1, 1, "must be a mapping", "shipped example"),
    "two documents": ("tree", MINI_TREE + "---\nid: other\n", 21, 1, "single document", "remove the second '---'"),
    "undefined alias": ("tree", _swap(MINI_TREE, "title: Mini tree", "title: *name"), 2, 8, "YAML syntax",
                        "anchor"),
    "persona: misspelt beat state": (
        "persona", _swap(MINI_PERSONA, "at_state: warming", "at_state: warmng"), 12, 24, "unknown state 'warmng'",
        "did you mean 'warming'?"),
    "persona: wrong type for age": (
        "persona", _swap(MINI_PERSONA, "age: 30", "age: thirty"), 8, 6, "expected a whole number", "number"),
    "persona: difficulty not one of the choices": (
        "persona", _swap(MINI_PERSONA, "difficulty: easy", "difficulty: simple"), 6, 13,
        "one of 'easy', 'medium' or 'hard'", "values named above"),
    "persona: missing name": (
        "persona", _swap(MINI_PERSONA, "name: Robin\n", ""), 1, 1, "missing required field 'name'", "add `name:`"),
    "persona: unknown tree": (
        "persona", _swap(MINI_PERSONA, "tree: mini", "tree: minni"), 7, 7, "no dialogue tree 'minni'", ""),
    "persona: tree names a folder": (
        "persona", _swap(MINI_PERSONA, "tree: mini", "tree: ../dialogue_trees/"), 7, 7, "is a folder, not a tree file",
        "a tree id"),
    "persona: misspelt sensitivity": (
        "persona", MINI_PERSONA + "sensitivities: {judgement: 1.5}\n", 13, 17, "unknown move or move family",
        "did you mean 'judgment'?"),
    "persona: a sensitivity out of range": (
        "persona", MINI_PERSONA + "sensitivities: {judgment: 50}\n", 13, 27, "multiplier from 0 to 10", "doubles"),
    "persona: threshold the tree does not have": (
        "persona", MINI_PERSONA + "thresholds: {wram: 30}\n", 13, 14, "unknown threshold 'wram' (a persona",
        "did you mean 'warm'?"),
    "persona: beat after an unknown beat": (
        "persona", _swap(MINI_PERSONA, "unlock: {at_state: warming}", "unlock: {after: dgo}"), 12, 21,
        "unknown beat 'dgo'", "expected one of"),
    "persona: rapport_at_least a list (union)": (
        "persona", _swap(MINI_PERSONA, "unlock: {at_state: warming}", "unlock: {rapport_at_least: [3]}"), 12, 32,
        "expected a number or the name of a threshold, but found a list", "threshold"),
    "persona: unknown state in replies": (
        "persona", MINI_PERSONA + "replies:\n  warmin:\n    default: [\"Hey.\"]\n", 14, 3, "unknown state 'warmin'",
        "did you mean 'warming'?"),
    # Issue 17: every number an author writes has a range (a huge one overflowed the engine).
    "tree: a huge effect": (
        "tree", _swap(MINI_TREE, "reflection: 5", "reflection: 99999999999999999999999"), 6, 15,
        "expected a whole number from -1,000 to 1,000", "rapport, its limits, thresholds and effects"),
    "tree: a huge rapport bound": (
        "tree", _swap(MINI_TREE, "initial: calm", "initial: calm\nrapport: {start: 20, min: 0, max: 1e309}"), 4, 35,
        "rapport > max", ""),
    "tree: a turn number past any session": (
        "tree", _swap(MINI_TREE, "when: {rapport_at_least: warm}", "when: {turn_at_least: 123456789}"), 20, 27,
        "expected a whole number from 1 to 10,000", "turn numbers and counts up to 10,000"),
    "persona: a threshold far out of range": (
        "persona", MINI_PERSONA + "thresholds: {warm: -5000}\n", 13, 20, "from -1,000 to 1,000", ""),
    "persona: an infinite sensitivity": (
        "persona", MINI_PERSONA + "sensitivities: {judgment: .inf}\n", 13, 27, "multiplier from 0 to 10", "doubles"),
    # Issue 17: escape sequences in author text would act on a trainee's terminal.
    "tree: an escape sequence in a line": (
        "tree", _swap(MINI_TREE, 'default: ["Hm.", "Okay."]', 'default: ["Hm.", "\\e]0;owned\\aOkay."]'), 11, 24,
        "invisible control character (ESC", "\\e"),
    "persona: a NUL in the name": (
        "persona", _swap(MINI_PERSONA, "name: Robin", 'name: "Rob\\0in"'), 2, 7, "invisible control character (NUL)", ""),
    "tree: a mapping key longer than any id": (
        "tree", _swap(MINI_TREE, "  calm:\n", "  " + "k" * 500 + ": 1\n  calm:\n"), 8, 3,
        "a key of 500 characters", "double quotes"),
    "persona: lists nested 100,000 deep": (
        "persona", MINI_PERSONA + "beats: " + "[" * 100_000 + "]" * 100_000 + "\n", 13, None,
        "nested more than 64 deep", ""),
    "persona: a name of a megabyte": (
        "persona", _swap(MINI_PERSONA, "name: Robin", "name: " + "R" * 1_000_000), 2, 7, "at most 60 characters", ""),
    # Issue 17: a persona's tree reference stays in its library.
    "persona: a tree given as an absolute path": (
        "persona", _swap(MINI_PERSONA, "tree: mini", "tree: /etc/passwd"), 7, 7, "not named by an absolute path",
        "dialogue_trees folder beside it"),
    "persona: a tree outside the library": (
        "persona", _swap(MINI_PERSONA, "tree: mini", "tree: ../../../../etc/hosts"), 7, 7,
        "outside this persona's library", "dialogue_trees folder beside it"),
    "persona: a tree reference holding a NUL": (
        "persona", _swap(MINI_PERSONA, "tree: mini", 'tree: "mi\\0ni"'), 7, 7, "invisible control character", ""),
    "persona: a tree reference of 125,000 characters": (
        "persona", _swap(MINI_PERSONA, "tree: mini", "tree: " + "t" * 125_000), 7, 7, "at most 255 characters", ""),
}


def _write(tmp_path: Path, kind: str, text: str) -> Path:
    (tmp_path / "dialogue_trees").mkdir(exist_ok=True)
    (tmp_path / "personas").mkdir(exist_ok=True)
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(MINI_TREE, encoding="utf-8")
    folder = "dialogue_trees" if kind == "tree" else "personas"
    path = tmp_path / folder / ("broken.yaml" if kind == "tree" else "mini-client.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def _load(kind: str, path: Path):
    return load_tree(path) if kind == "tree" else load_scenario(path)


def test_the_mini_files_are_valid(tmp_path):
    path = _write(tmp_path, "persona", MINI_PERSONA)
    scenario = load_scenario(path)
    assert scenario.tree.id == "mini" and scenario.persona.name == "Robin"


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_malformed_file_gives_a_located_error_with_a_fix(tmp_path, case):
    kind, text, line, column, message, hint = CASES[case]
    path = _write(tmp_path, kind, text)
    with pytest.raises(ScenarioError) as info:
        _load(kind, path)
    problems = info.value.problems
    assert problems, "a ScenarioError always carries at least one problem"
    match = [p for p in problems if message in p.message]
    assert match, f"no problem says {message!r}: {[str(p) for p in problems]}"
    problem = match[0]
    assert problem.file == str(path)
    assert problem.line >= 1
    if line is not None:
        assert problem.line == line, str(problem)
    if column is not None:
        assert problem.column == column, str(problem)
    assert hint in problem.hint, str(problem)
    # The printed form is what a trainer sees: file:line:col, the message and the fix.
    shown = str(info.value)
    assert f"{path}:{problem.line}:{problem.column}: error" in shown
    if hint:
        assert "fix: " in shown


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = _swap(_swap(MINI_TREE, "    to: warming", "    to: warmng"), "  - move: reflection", "  - move: reflecton")
    with pytest.raises(ScenarioError) as info:
        load_tree(_write(tmp_path, "tree", text))
    assert {p.line for p in info.value.problems} == {17, 19}


@pytest.mark.parametrize("via", ["file", "text"])
def test_over_size_file_is_refused_before_parsing(tmp_path, monkeypatch, via):
    monkeypatch.setattr(source, "MAX_BYTES", 10_000)
    text = MINI_TREE + "# padding\n" * 2_000
    path = _write(tmp_path, "tree", text)
    with pytest.raises(ScenarioError) as info:
        load_tree(path) if via == "file" else load_tree(path, text)
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.line == 1
    assert "limit" in problem.message or "longer than" in problem.message


def test_a_real_over_size_file_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("a: b\n" * (source.MAX_BYTES // 5 + 10), encoding="utf-8")
    with pytest.raises(ScenarioError, match="the limit is"):
        load_tree(path)


def test_non_utf8_and_missing_files(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_tree(path)
    with pytest.raises(ScenarioError, match="file not found"):
        load_tree(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario("marcsu")
    assert "did you mean 'marcus'?" in str(info.value)


def test_a_windows_1252_character_is_pointed_at(tmp_path):
    # A curly apostrophe typed in a Windows editor, on line 3: the author must be sent there, not to line 1.
    path = tmp_path / "rosa.yaml"
    path.write_bytes("id: rosa\nname: Rosa\nsummary: Rosa\u2019s caf\u00e9\n".encode("cp1252"))
    with pytest.raises(ScenarioError) as info:
        load_tree(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (3, 14)
    assert "not UTF-8" in problem.message and "UTF-8" in problem.hint


def test_yaml_boolean_words_stay_words(tmp_path):
    text = _swap(MINI_TREE, 'default: ["Hm.", "Okay."]', "default:\n        - No\n        - yes\n        - off")
    tree, _ = load_tree(_write(tmp_path, "tree", text))
    assert tree.states["calm"].replies["default"] == ["No", "yes", "off"]


def test_an_unquoted_date_is_read_as_text(tmp_path):
    text = _swap(MINI_TREE, 'default: ["Yes.", "Go on."]', "default:\n        - 2024-05-01\n        - Go on.")
    tree, _ = load_tree(_write(tmp_path, "tree", text))
    assert tree.states["warming"].replies["default"][0] == "2024-05-01"


def test_the_trees_beat_conditions_are_checked_against_the_persona(tmp_path):
    tree = MINI_TREE.replace("when: {rapport_at_least: warm}", "when: {beat_revealed: cat}")
    path = _write(tmp_path, "persona", MINI_PERSONA)
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(tree, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problem = info.value.problems[0]
    assert problem.file == str(path) and "needs a beat 'cat'" in problem.message and "mini.yaml:20" in problem.message


def test_shipped_files_load():
    assert {p.stem for p in shipped_persona_paths()} >= {"marcus", "dana"}
    assert {p.stem for p in shipped_tree_paths()} >= {"guarded", "ambivalent"}
    for persona in ("marcus", "dana"):
        scenario = load_scenario(persona)
        assert scenario.persona.id == persona


# ----------------------------------------------------------------------------- validate
def test_validate_skips_playtest_files_in_a_folder(tmp_path, capsys):
    folder = tmp_path / "personas"
    _write(tmp_path, "persona", MINI_PERSONA)
    (folder / "mini-client.test.yaml").write_text("tests:\n  - name: x\n    turns: [hi]\n", encoding="utf-8")
    files, problems = validate_paths([folder])
    assert [f.name for f in files] == ["mini-client.yaml"] and not problems
    assert main(["validate", str(folder)]) == 0
    assert "checked 1 file: all good" in capsys.readouterr().out


def test_validate_reports_file_line_and_column_and_exits_1(tmp_path, capsys):
    path = _write(tmp_path, "tree", _swap(MINI_TREE, "    to: warming", "    to: warmng"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert f"{path}:19:9: error: unknown state 'warmng'" in out.out
    assert "did you mean 'warming'?" in out.out
    assert "1 problem" in out.err


def test_a_broken_tree_is_reported_once_though_personas_use_it(tmp_path, monkeypatch):
    _write(tmp_path, "persona", MINI_PERSONA)
    (tmp_path / "personas" / "second.yaml").write_text(MINI_PERSONA.replace("id: mini-client", "id: second"),
                                                       encoding="utf-8")
    (tmp_path / "dialogue_trees" / "mini.yaml").write_text(_swap(MINI_TREE, "    to: warming", "    to: warmng"),
                                                          encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # relative paths, as a trainer types them
    files, problems = validate_paths(["personas", "dialogue_trees"])
    assert len(files) == 3
    assert [(p.line, p.message) for p in problems] == [(19, "unknown state 'warmng'")]
