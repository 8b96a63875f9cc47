"""`peersim lsp`: a trainer's editor sees lint's findings as they type, gets the names a file
may use offered, and reads a rule in the why pane's words on hover.

The end-to-end tests start `python -m simulator lsp` and talk to it as an editor does: LSP's
framed JSON-RPC over the process's stdin and stdout, written out here by hand so the test does
not share code with the server it checks."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from lsprotocol import types

from simulator.cli import _version, main
from simulator.cli.authoring import new_file
from simulator.engine import Conversation
from simulator.toolkit.lsp import complete, diagnose, hover
from simulator.toolkit.lsp.document import is_scenario_file
from simulator.scenario.errors import Problem
from simulator.scenario.loader import load_scenario, shipped_dir
from simulator.scenario.source import read_yaml
from simulator.tui.author import explain

WAIT = 60   # seconds: a bound for a slow shared machine, not a speed check


# ------------------------------------------------------------------------- a small LSP client
class Client:
    """An editor's side of the protocol: Content-Length framed JSON over a pipe."""

    def __init__(self, cwd: Path):
        self.errors = open(cwd / "lsp-stderr.txt", "wb")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        self.proc = subprocess.Popen([sys.executable, "-m", "simulator", "lsp"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                header = out.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, wanted) -> dict:
        while True:
            try:
                message = self.inbox.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError("the server sent nothing more: " + self._stderr()) from None
            if wanted(message):
                return message

    def diagnostics(self, uri: str) -> list[dict]:
        found = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri)
        return found["params"]["diagnostics"]

    def _stderr(self) -> str:
        self.errors.flush()
        return Path(self.errors.name).read_text(encoding="utf-8", errors="replace")[-2000:]

    def close(self) -> int:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            return self.proc.wait(timeout=WAIT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.errors.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A trainer's folder: Marcus and the guarded tree, as shipped."""
    (tmp_path / "personas").mkdir()
    (tmp_path / "dialogue_trees").mkdir()
    shutil.copy(shipped_dir("personas") / "marcus.yaml", tmp_path / "personas")
    shutil.copy(shipped_dir("dialogue_trees") / "guarded.yaml", tmp_path / "dialogue_trees")
    return tmp_path


@pytest.fixture
def client(library: Path):
    c = Client(library)
    reply = c.request("initialize", {"processId": os.getpid(), "rootUri": library.as_uri(), "capabilities": {}})
    assert reply["serverInfo"] == {"name": "peersim", "version": _version()}
    c.notify("initialized", {})
    yield c
    assert c.close() == 0


def line_of(text: str, needle: str) -> int:
    """The 0-based line that holds `needle`."""
    return next(n for n, line in enumerate(text.split("\n")) if needle in line)


# ------------------------------------------------------------------------- a real session
def test_a_broken_persona_is_underlined_with_its_code_and_the_underline_goes_when_fixed(client, library):
    path = library / "personas" / "marcus.yaml"
    saved = path.read_text(encoding="utf-8")
    broken = saved.replace("  judgment: 1.4", "  judgement: 1.4")   # not saved: only the editor has it
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": broken}})
    found = client.diagnostics(uri)
    assert [(d["code"], d["source"], d["severity"]) for d in found] == [("PS0003", "peersim", 1)]
    at = found[0]["range"]
    assert at["start"]["line"] == line_of(broken, "judgement: 1.4")
    assert broken.split("\n")[at["start"]["line"]][at["start"]["character"]:at["end"]["character"]] == "judgement"
    assert "did you mean 'judgment'?" in found[0]["message"]

    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": saved}]})
    assert client.diagnostics(uri) == []


def test_an_unsaved_change_is_checked_not_the_file_on_disk(client, library):
    path = library / "dialogue_trees" / "guarded.yaml"
    saved = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": saved}})
    assert [d for d in client.diagnostics(uri) if d["severity"] == 1] == []
    first = line_of(saved, "- move: ")
    column = saved.split("\n")[first].index("move: ") + len("move: ")
    # An edit in place, as an editor sends one: the first rule's move misspelt.
    old_word = saved.split("\n")[first][column:].split(",")[0].split()[0].strip("[]{}")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": first, "character": column},
                   "end": {"line": first, "character": column + len(old_word)}}, "text": "reflecton"}]})
    errors = [d for d in client.diagnostics(uri) if d["severity"] == 1]
    assert [(d["code"], d["range"]["start"]["line"]) for d in errors] == [("PS0003", first)]
    assert path.read_text(encoding="utf-8") == saved


def test_columns_are_counted_as_the_editor_counts_them(client, library):
    """An editor counts a line in UTF-16 units by default: an emoji before the mistake is two."""
    path = library / "personas" / "marcus.yaml"
    text = path.read_text(encoding="utf-8").replace("cues:\n", 'cues:\n  gaurded: "🙂 looks away"\n', 1)
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    line = line_of(text, "gaurded:")
    found = [d for d in client.diagnostics(uri) if d["range"]["start"]["line"] == line]
    assert [(d["code"], d["range"]["start"]["character"], d["range"]["end"]["character"]) for d in found] == \
        [("PS0003", 2, 9)]
    # A finding after the emoji, on the same line, counts it as two units.
    lines = path.read_text(encoding="utf-8").split("\n")
    line = line_of("\n".join(lines), "  guarded: sits nearest")
    lines[line] = '  guarded: "🙂 ${cousn} looks away"'
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "\n".join(lines)}]})
    found = [d for d in client.diagnostics(uri) if d["code"] == "PS0030"]
    assert [d["range"]["start"] for d in found] == [{"line": line, "character": lines[line].index("${") + 1}]


def test_completion_offers_move_ids_after_move(client, library):
    path = library / "dialogue_trees" / "guarded.yaml"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    client.diagnostics(uri)
    line = line_of(text, "- move: ")
    column = text.split("\n")[line].index("move: ") + len("move: ")
    result = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": {"line": line, "character": column}})
    labels = [item["label"] for item in result["items"]]
    assert "reflection" in labels and "any" in labels
    assert "guarded" not in labels   # a state, not a move


def test_hover_over_a_rule_explains_it_in_the_why_panes_words(client, library):
    path = library / "dialogue_trees" / "guarded.yaml"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    client.diagnostics(uri)
    tree, smap = read_yaml(path)
    rule = tree["transitions"][2]
    line = smap.locate(("transitions", 2, "to"))[0] - 1
    result = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": line, "character": 6}})
    words = result["contents"]["value"]
    assert words.startswith(f"T3: ") and f"-> {rule['to']} on " in words
    assert "when     " in words
    if rule.get("note"):
        assert f"note     {rule['note']}" in words
    # Between two rules' text there is no rule to explain: outside the list, nothing.
    top = line_of(text, "initial:")
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": top, "character": 2}}) is None


def test_a_yaml_file_that_is_not_a_clients_gets_no_diagnostics(client, library):
    path = library / "docker-compose.yaml"
    path.write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "yaml",
                                                            "version": 1, "text": path.read_text()}})
    result = client.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()},
                                                        "position": {"line": 1, "character": 2}})
    assert result["items"] == []
    assert client.inbox.empty()   # and no publishDiagnostics came for it


# ------------------------------------------------------------------------- problem -> diagnostic
def test_a_problem_becomes_a_diagnostic_under_the_word_it_names():
    lines = ["transitions:", "  - move: reflecton", "    from: guarded"]
    d = diagnose.to_diagnostic(Problem("t.yaml", 2, 11, "unknown move 'reflecton'", "did you mean 'reflection'?",
                                       severity="error", code="PS0003"), lines)
    assert (d.range.start.line, d.range.start.character, d.range.end.character) == (1, 10, 19)
    assert lines[1][10:19] == "reflecton"
    assert (d.severity, d.code, d.source) == (types.DiagnosticSeverity.Error, "PS0003", "peersim")
    assert d.message == "unknown move 'reflecton'\nfix: did you mean 'reflection'?"


@pytest.mark.parametrize("severity, expected", [("warning", types.DiagnosticSeverity.Warning),
                                                ("info", types.DiagnosticSeverity.Information)])
def test_lints_severities_are_the_editors(severity, expected):
    d = diagnose.to_diagnostic(Problem("t.yaml", 1, 1, "m", severity=severity, code="PS0032"), ["x: 1"])
    assert d.severity == expected


def test_a_key_a_quoted_text_and_the_whole_file_are_spanned_as_a_reader_expects():
    lines = ["states:", "  guarded:", "    replies:", "      listenning:", '        - "I was, well: there"']
    assert diagnose.span(Problem("t", 4, 7, "unknown reply key"), lines) == (3, 6, 16)
    assert diagnose.span(Problem("t", 5, 11, "a line"), lines) == (4, 10, 30)
    assert diagnose.span(Problem("t", 0, 0, "file not found"), lines) == (0, 0, len("states:"))
    assert diagnose.span(Problem("t", 99, 1, "past the end"), lines)[0] == 4   # never off the file
    assert diagnose.span(Problem("t", 1, 1, "empty"), []) == (0, 0, 0)


def test_the_unsaved_text_is_what_the_traps_read(library):
    path = library / "personas" / "marcus.yaml"
    saved = path.read_text(encoding="utf-8")
    assert [p for p in diagnose.findings(path, saved) if p.code == "PS0050"] == []
    cut = saved.replace("No graphic detail.", "No graphic detail #1 rule of the group.")
    found = [p for p in diagnose.findings(path, cut) if p.code == "PS0050"]
    line = line_of(cut, "No graphic detail #1")
    assert [(p.line, p.column) for p in found] == [(line + 1, cut.split("\n")[line].index("#1") + 1)]


def test_a_file_not_saved_yet_is_checked_from_its_text(library):
    path = library / "personas" / "rosa.yaml"
    assert not path.exists()
    text = (library / "personas" / "marcus.yaml").read_text(encoding="utf-8").replace("tree: guarded", "tree: gaurded")
    found = diagnose.findings(path, text)
    assert [(p.code, p.line) for p in found] == [("PS0003", line_of(text, "tree: gaurded") + 1)]
    assert "did you mean 'guarded'?" in found[0].hint and not path.exists()


def test_a_play_tests_unsaved_text_is_checked_against_its_persona(library):
    shutil.copy(shipped_dir("personas") / "marcus.test.yaml", library / "personas")
    path = library / "personas" / "marcus.test.yaml"
    saved = path.read_text(encoding="utf-8")
    assert diagnose.findings(path, saved) == []
    typed = saved.replace("{state: warming,", "{state: warmin,", 1)
    found = diagnose.findings(path, typed)
    assert [(p.code, p.line) for p in found] == [("PS0003", line_of(typed, "{state: warmin,") + 1)]
    assert "did you mean 'warming'?" in found[0].hint


def test_a_persona_whose_tree_is_broken_names_the_tree_at_its_top(library):
    tree = library / "dialogue_trees" / "guarded.yaml"
    tree.write_text(tree.read_text(encoding="utf-8").replace("initial: guarded", "initial: gaurded"), encoding="utf-8")
    path = library / "personas" / "marcus.yaml"
    found = diagnose.findings(path, path.read_text(encoding="utf-8"))
    assert found and found[0].line == 0 and "guarded.yaml:" in found[0].message and "gaurded" in found[0].message


def test_only_a_persona_tree_or_play_test_is_ours(tmp_path):
    assert is_scenario_file(tmp_path / "personas" / "rosa.yaml", "")
    assert is_scenario_file(tmp_path / "rosa.test.yaml", "")
    assert is_scenario_file(tmp_path / "wary.yml", "states:\n  a: {}\n")
    assert not is_scenario_file(tmp_path / "docker-compose.yaml", "services:\n  web: {}\n")
    assert not is_scenario_file(tmp_path / "personas" / "notes.md", "")


# ------------------------------------------------------------------------- completion items
def labels_at(path: Path, text: str, needle: str, after: str) -> list[str]:
    line = line_of(text, needle)
    column = text.split("\n")[line].index(after) + len(after)
    return [s.label for s in complete.completion(path, text, line, column).items]


def test_completion_names_states_thresholds_pools_and_conditions_of_the_tree(library):
    path = library / "dialogue_trees" / "guarded.yaml"
    text = path.read_text(encoding="utf-8")
    tree, _ = read_yaml(path)
    states = list(tree["states"])
    assert labels_at(path, text, "- move: ", "move: ")[:3] == ["reflection", "summary", "open_question"]
    assert labels_at(path, text, "    from: ", "from: ") == states + ["any"]
    assert labels_at(path, text, "initial: ", "initial: ") == states
    typed = text.replace("rapport_at_least: warm", "rapport_at_least: wa", 1)
    offered = complete.completion(path, typed, line_of(typed, "rapport_at_least: wa"),
                                  typed.split("\n")[line_of(typed, "rapport_at_least: wa")].index(": wa") + 4)
    assert [s.label for s in offered.items] == list(tree["thresholds"])
    assert offered.start == typed.split("\n")[line_of(typed, "rapport_at_least: wa")].index(": wa") + 2

    # A new key under a state's replies: the pool keys; under `when:`: the condition fields.
    lines = text.split("\n")
    pools = line_of(text, "      listening:")
    lines.insert(pools, "      ")
    pooled = "\n".join(lines)
    keys = [s.label for s in complete.completion(path, pooled, pools, 6).items]
    assert {"default", "listening", "reflection", "not_said"} <= set(keys) and "guarded" not in keys
    when = line_of(text, "    when: {")
    lines = text.split("\n")
    lines[when] = "    when:"
    lines.insert(when + 1, "      ")
    keys = [s.label for s in complete.completion(path, "\n".join(lines), when + 1, 6).items]
    assert {"rapport_at_least", "streak", "beat_revealed", "previous_state"} <= set(keys)


def test_completion_in_a_persona_offers_its_trees_states_and_its_own_placeholders(library):
    path = library / "personas" / "marcus.yaml"
    text = path.read_text(encoding="utf-8")
    tree, _ = read_yaml(library / "dialogue_trees" / "guarded.yaml")
    persona, _ = read_yaml(path)
    typed = text.replace("opening_line: ", "opening_line: I miss ${", 1)
    line = line_of(typed, "opening_line: ")
    column = typed.split("\n")[line].index("${") + 2
    offered = complete.completion(path, typed, line, column)
    assert [s.label for s in offered.items] == ["name", *persona["values"]]
    assert offered.items[1].insert == list(persona["values"])[0] + "}"
    assert offered.start == column
    lines = text.split("\n")
    lines.insert(line_of(text, "sensitivities:") + 1, "  ")
    keys = [s.label for s in complete.completion(path, "\n".join(lines), line_of(text, "sensitivities:") + 1, 2).items]
    assert "judgment" in keys and "listening" in keys      # moves and move families
    # A state id under the persona's own `replies:`, from the tree it names.
    lines = text.split("\n")
    lines.insert(line_of(text, "replies:") + 1, "  ")
    keys = [s.label for s in complete.completion(path, "\n".join(lines), line_of(text, "replies:") + 1, 2).items]
    assert keys == list(tree["states"])


def test_completion_in_a_play_test_offers_its_personas_states_and_moves(library):
    shutil.copy(shipped_dir("personas") / "marcus.test.yaml", library / "personas")
    path = library / "personas" / "marcus.test.yaml"
    tree, _ = read_yaml(library / "dialogue_trees" / "guarded.yaml")
    text = path.read_text(encoding="utf-8")
    assert labels_at(path, text, "expect: {state: ", "{state: ") == list(tree["states"])
    assert "reflection" in labels_at(path, text, "expect: {primary: ", "{primary: ")


# ------------------------------------------------------------------------- hover
def test_hover_and_the_why_pane_say_a_rule_in_the_same_words(tmp_path):
    tree_path = new_file("tree", "quiet", folder=tmp_path / "dialogue_trees")
    persona = new_file("persona", "Rosa", tree="quiet", folder=tmp_path / "personas")
    convo = Conversation(load_scenario(persona), seed=0)
    turn = convo.step("I'll have to tell your parole officer about this.")
    pane = explain(convo, turn).split("\n")
    text = tree_path.read_text(encoding="utf-8")
    line = convo.scenario.tree_map.locate(("transitions", turn.transition.index))[0] - 1
    words = hover.hover_text(tree_path, text, line).split("\n")
    assert words[0].startswith(f"T{turn.transition.index + 1}: ")
    assert [w for w in pane if w.startswith(("when ", "note "))] == words[1:]


def test_hover_finds_the_rule_by_its_lines():
    lines = ["transitions:", "  - move: a", "    to: b", "  - move: c", "    to: d", "", "thresholds:", "  x: 1"]
    starts = [1, 3]
    assert [hover.rule_at(lines, starts, n) for n in range(len(lines))] == [None, 0, 0, 1, 1, 1, None, None]


# ------------------------------------------------------------------------- without pygls
def test_without_pygls_the_command_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pygls", None)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    monkeypatch.delitem(sys.modules, "simulator.toolkit.lsp.server", raising=False)
    assert main(["lsp"]) == 1
    err = capsys.readouterr().err
    assert "needs the pygls package" in err and "pip install '.[lsp]'" in err


# ------------------------------------------------------------------------- the editor's schema
def test_the_schema_underlines_what_an_editor_should(tmp_path, capsys):
    """`peersim schema all` under a real JSON Schema validator: a misspelt move in a rule or a
    play-test, an unknown pool key in a persona, a sensitivity out of bounds, a missing default."""
    import jsonschema

    out = tmp_path / "schemas.json"
    assert main(["schema", "all", "-o", str(out)]) == 0
    capsys.readouterr()
    schemas = json.loads(out.read_text(encoding="utf-8"))

    def errors(kind: str, data) -> list[str]:
        return [e.message for e in jsonschema.Draft202012Validator(schemas[kind]).iter_errors(data)]

    tree, _ = read_yaml(shipped_dir("dialogue_trees") / "guarded.yaml")
    assert errors("tree", tree) == []
    tree["transitions"][0]["move"] = "reflecton"
    del next(iter(tree["states"].values()))["replies"]["default"]
    found = errors("tree", tree)
    assert any("'reflecton'" in e for e in found) and any("'default' is a required property" in e for e in found)

    persona, _ = read_yaml(shipped_dir("personas") / "marcus.yaml")
    assert errors("persona", persona) == []
    persona["sensitivities"]["judgment"] = 50
    state = next(iter(persona["replies"]))
    persona["replies"][state]["listenning"] = ["Yeah."]
    found = errors("persona", persona)
    assert any("50 is greater than the maximum of 10" in e for e in found)
    assert any("'listenning'" in e for e in found)

    spec, _ = read_yaml(shipped_dir("personas") / "marcus.test.yaml")
    assert errors("test", spec) == []
    turn = next(t for t in spec["tests"][0]["turns"] if isinstance(t, dict) and "expect" in t)
    turn["expect"]["primary"] = "reflecton"
    assert errors("test", spec)


# ------------------------------------------------------------------------- the guide's snippets
def _guide_block(lang: str, after: str) -> str:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide[guide.index(after):]
    return section[section.index(f"```{lang}\n") + len(lang) + 4:].split("```", 1)[0]


def test_the_guides_editor_settings_read_and_start_peersim_lsp():
    import tomllib

    helix = tomllib.loads(_guide_block("toml", "### Helix"))
    assert helix["language-server"]["peersim"] == {"command": "peersim", "args": ["lsp"]}
    assert helix["language"][0]["name"] == "yaml" and "peersim" in helix["language"][0]["language-servers"]
    vscode = json.loads(_guide_block("json", "### VS Code"))
    assert (vscode["glspc.server.command"], vscode["glspc.server.commandArguments"]) == ("peersim", ["lsp"])
    assert "cmd = { 'peersim', 'lsp' }" in _guide_block("lua", "### Neovim")


def test_the_guides_hover_example_is_what_hover_says(root):
    tree = root / "dialogue_trees" / "guarded.yaml"
    _, smap = read_yaml(tree)
    line = smap.locate(("transitions", 7))[0] - 1
    shown = [row.strip() for row in _guide_block("text", "## Diagnostics in your editor").strip().split("\n")]
    assert shown == hover.hover_text(tree, tree.read_text(encoding="utf-8"), line).split("\n")


def test_a_trees_unsaved_text_is_checked_against_the_personas_that_use_it(library):
    # Marcus uses this tree: a placeholder his file does not fill is found as it is typed,
    # not only after the tree is saved.
    path = library / "dialogue_trees" / "guarded.yaml"
    saved = path.read_text(encoding="utf-8")
    assert diagnose.findings(path, saved) == []
    anchor = '      default:\n        - "'
    assert anchor in saved
    typed = saved.replace(anchor, anchor + "Ask ${sister}. ", 1)
    found = [p for p in diagnose.findings(path, typed) if p.code == "PS0030"]
    assert [p.line for p in found] == [line_of(typed, "Ask ${sister}") + 1]
    assert "persona 'marcus'" in found[0].message
    assert path.read_text(encoding="utf-8") == saved
