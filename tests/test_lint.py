"""`peersim lint`: each finding on purpose-built broken files, the catalogue and its docs."""

import json
import re
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario.diagnostics import CATALOGUE, render_markdown
from simulator.toolkit.lint import lint_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "authoring"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def announced(folder: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) for every `# expect: CODE` comment in the folder's YAML files."""
    out = set()
    for path in sorted(folder.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"[,\s]+", match.group(1).strip()):
                    out.add((str(path.resolve()), number, code))
    return out


def reported(paths: list[Path]) -> set[tuple[str, int, str]]:
    _, problems = lint_paths(paths)
    return {(str(Path(p.file).resolve()), p.line, p.code) for p in problems}


def test_tree_and_persona_findings_match_the_announced_lines():
    got = reported([FIXTURES / "personas", FIXTURES / "dialogue_trees"])
    want = announced(FIXTURES / "personas") | announced(FIXTURES / "dialogue_trees")
    assert got - want == set(), "findings nobody announced"
    assert want - got == set(), "announced findings lint missed"


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.yaml")), ids=lambda p: p.name)
def test_each_invalid_file_gets_its_error_code_on_its_line(path):
    _, problems = lint_paths([path])
    assert {(str(Path(p.file).resolve()), p.line, p.code) for p in problems} == announced_in(path)
    assert all(p.severity == "error" for p in problems)


def announced_in(path: Path) -> set:
    return {a for a in announced(path.parent) if a[0] == str(path.resolve())}


def test_every_catalogue_code_is_exercised_by_a_fixture():
    codes = {code for _, _, code in announced(FIXTURES)}
    assert codes == {d.code for d in CATALOGUE}


def test_linting_a_tree_alone_checks_its_lines_against_the_personas_beside_it():
    got = reported([FIXTURES / "dialogue_trees" / "tangled.yaml"])
    codes = {code for _, _, code in got}
    assert "PS0030" in codes and "PS0026" in codes  # ${brother} and the beat 'letter', for muddled
    assert all(f.endswith("tangled.yaml") for f, _, _ in got)  # nothing about the persona file itself


def test_diagnostics_doc_is_generated_from_the_catalogue():
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert doc == render_markdown(), "run: python -m simulator.scenario.diagnostics > docs/diagnostics.md"
    for d in CATALOGUE:
        assert f"## {d.code}" in doc and d.fix in doc


def test_catalogue_entries_are_complete_and_numbered_once():
    codes = [d.code for d in CATALOGUE]
    assert len(codes) == len(set(codes))
    for d in CATALOGUE:
        assert re.fullmatch(r"PS\d{4}", d.code)
        assert d.severity in ("error", "warning", "info")
        assert d.title and d.explanation and d.example and d.fix


def test_shipped_files_pass_strict_lint(capsys):
    assert main(["lint", str(ROOT / "personas"), str(ROOT / "dialogue_trees"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert ": error PS" not in out and ": warning PS" not in out


def test_warnings_fail_only_with_strict(capsys):
    folder = [str(FIXTURES / "personas"), str(FIXTURES / "dialogue_trees")]
    assert main(["lint", *folder]) == 0
    out = capsys.readouterr().out
    # Each finding names file:line:column, the severity and the code, then the fix.
    assert re.search(r"tangled\.yaml:\d+:\d+: warning PS0020: transition 4: .*above 100", out)
    assert "\n    fix: " in out
    assert main(["lint", *folder, "--strict"]) == 1


def test_errors_always_fail_and_json_lists_each_finding(capsys):
    assert main(["lint", str(FIXTURES / "invalid"), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is False
    assert {p["code"] for p in data["problems"]} == {"PS0001", "PS0002", "PS0003", "PS0004"}
    assert all(p["line"] > 0 and p["column"] > 0 and p["hint"] for p in data["problems"])


def test_a_misspelt_move_suggests_the_nearest(tmp_path, capsys):
    (tmp_path / "t.yaml").write_text(
        "id: t\ntitle: T\ninitial: a\neffects: {reflection: 5}\n"
        "states:\n  a:\n    cue: sits\n    replies: {default: [x, y, z]}\n"
        "transitions:\n  - {move: reflecton, from: a, to: a}\n", encoding="utf-8")
    assert main(["lint", str(tmp_path / "t.yaml")]) == 1
    out = capsys.readouterr().out
    assert "t.yaml:10:" in out and "PS0003" in out and "did you mean 'reflection'?" in out


def test_shadowing_needs_weaker_conditions(tmp_path):
    base = ("id: t\ntitle: T\ninitial: a\neffects: {reflection: 5}\n"
            "states:\n  a:\n    cue: sits\n    replies: {default: [x, y, z]}\n"
            "  b:\n    cue: sits\n    replies: {default: [x, y, z]}\n"
            "transitions:\n"
            "  - {move: reflection, from: a, to: b, when: {rapport_at_least: 50}}\n"
            "  - {move: reflection, from: a, to: b, when: {rapport_at_least: 30}}\n"
            "  - {move: any, from: b, to: a}\n")
    (tmp_path / "t.yaml").write_text(base, encoding="utf-8")
    # The stricter rule first and the weaker one second is the right order: no PS0025.
    assert "PS0025" not in {p.code for p in lint_paths([tmp_path / "t.yaml"])[1]}
    swapped = base.replace("at_least: 50}}\n  - {move: reflection, from: a, to: b, when: {rapport_at_least: 30",
                           "at_least: 30}}\n  - {move: reflection, from: a, to: b, when: {rapport_at_least: 50")
    (tmp_path / "t.yaml").write_text(swapped, encoding="utf-8")
    found = [p for p in lint_paths([tmp_path / "t.yaml"])[1] if p.code == "PS0025"]
    assert [p.line for p in found] == [14]


def test_the_authoring_commands_do_not_need_textual(tmp_path):
    """lint, graph, test and new run in a trainer's CI without the terminal UI being imported."""
    import subprocess
    import sys

    code = ("import sys\nfrom simulator.cli import main\n"
            f"main(['lint', {str(ROOT / 'personas')!r}])\n"
            "main(['graph', 'guarded', '--format', 'svg'])\n"
            f"main(['test', {str(FIXTURES / 'playtests')!r}, '--coverage'])\n"
            "main(['new', 'persona', 'Rosa'])\n"
            "print('TEXTUAL', sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "TEXTUAL []" in proc.stdout


# ----------------------------------------------------------------------------- the registry of checks
def test_every_registered_code_is_documented_and_every_documented_code_is_checked():
    from simulator.scenario.errors import VALIDATION_CODES
    from simulator.toolkit.lint import registered_codes

    documented = set(re.findall(r"^## (PS\d{4})$", (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8"),
                                re.MULTILINE))
    assert registered_codes() - documented == set(), "a lint check reports a code docs/diagnostics.md lacks"
    assert documented - registered_codes() - set(VALIDATION_CODES) == set(), "a documented code nothing reports"
    assert not registered_codes() & set(VALIDATION_CODES)


def test_each_registered_check_reports_only_the_codes_it_is_registered_with():
    from simulator.toolkit.lint import RULES, PersonaLint, TreeLint
    from simulator.scenario.loader import load_scenario

    scenarios = [load_scenario(p) for folder in (FIXTURES / "personas", ROOT / "personas")
                 for p in sorted(folder.glob("*.yaml")) if not p.name.endswith(".test.yaml")]
    seen: set[str] = set()
    for rule in RULES:
        for scenario in scenarios:
            if rule.subject == "tree":
                found = rule.check(TreeLint(scenario.tree, scenario.tree_map))
            elif rule.subject == "persona":
                found = rule.check(PersonaLint(scenario))
            else:
                found = rule.check(scenario, [o for o in scenarios if o is not scenario])
            codes = {p.code for p in found}
            assert codes <= set(rule.codes), (rule.check.__name__, codes)
            seen |= codes
    assert len(seen) > 10  # the fixtures do set most checks off


def test_a_validation_problem_keeps_its_code_whatever_its_words(tmp_path):
    # The code comes from the check that found the problem: a value whose text happens to
    # read like another kind of problem ("must be a mapping") is still a field of the wrong kind.
    persona = (FIXTURES / "personas" / "echo.yaml").read_text(encoding="utf-8")
    persona = re.sub(r"^difficulty: .*$", 'difficulty: "it must be a mapping"', persona, flags=re.MULTILINE)
    (tmp_path / "echo.yaml").write_text(persona, encoding="utf-8")
    _, problems = lint_paths([tmp_path / "echo.yaml"])
    (problem,) = problems
    assert problem.code == "PS0002" and "must be a mapping" in problem.message
