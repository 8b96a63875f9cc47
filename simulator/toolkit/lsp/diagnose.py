"""Everything `peersim validate` and `peersim lint` find in one file, as LSP diagnostics.

The file's unsaved text is checked, through the same `lint_paths` the command line uses
(it takes the text of a file in place of the disk's); a tree's unsaved text is also checked
against the personas beside it that use it, as it is typed."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from simulator.scenario.errors import Problem
from simulator.toolkit.lint import lint_paths

SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
              "info": types.DiagnosticSeverity.Information}
OTHER_FILES_SHOWN = 5   # errors of another file (a persona's broken tree) shown at the top


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")   # as read_yaml reads a file


def _saved(path: Path) -> str | None:
    try:
        return _normal(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def findings(path: Path, text: str) -> list[Problem]:
    """The problems in this file's text, errors first; errors in the files it depends on
    (its tree, a play-test's persona) come as problems at its first line naming where."""
    real = path.resolve()
    text = _normal(text)
    _, problems = lint_paths([path], {} if _saved(real) == text else {real: text})
    mine = [p for p in problems if p.file and Path(p.file).resolve() == real]
    others = [p for p in problems if p.file and p.severity == "error" and Path(p.file).resolve() != real]
    for p in others[:OTHER_FILES_SHOWN]:
        where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
        mine.insert(0, Problem(str(path), 0, 0, f"{where} (which this file uses): {p.message}", p.hint,
                               severity="error", code=p.code))
    return mine


def span(problem: Problem, lines: list[str]) -> tuple[int, int, int]:
    """(line, first column, column after the last), 0-based in characters: the word, name
    or quoted text the problem's line and column point at; the whole first line for a
    problem about the file as a whole (line 0)."""
    if not lines:
        return 0, 0, 0
    line = min(max(problem.line, 1), len(lines)) - 1
    text = lines[line]
    if problem.line <= 0:
        return line, 0, len(text)
    start = min(max(problem.column, 1) - 1, len(text))
    end = start
    if end < len(text) and text[end] in "\"'":
        close = text.find(text[end], end + 1)
        end = close + 1 if close > 0 else len(text)
    else:
        while end < len(text) and not text[end].isspace() and text[end] not in ",[]{}#" \
                and not (text[end] == ":" and (end + 1 == len(text) or text[end + 1].isspace())):
            end += 1
    if end == start:   # at a space or the line's end: mark what follows on the line, or one place
        end = len(text) if text[start:].strip() else min(start + 1, len(text))
    return line, start, end


def to_diagnostic(problem: Problem, lines: list[str]) -> types.Diagnostic:
    """A problem as the editor shows it: under the word it is about, with lint's code and fix.
    The range is in characters; the server turns it into the editor's units."""
    line, start, end = span(problem, lines)
    message = problem.message + (f"\nfix: {problem.hint}" if problem.hint else "")
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=line, character=start),
                          end=types.Position(line=line, character=end)),
        message=message, severity=SEVERITIES.get(problem.severity, types.DiagnosticSeverity.Error),
        code=problem.code or None, source="peersim")


def diagnostics(path: Path, text: str) -> list[types.Diagnostic]:
    lines = _normal(text).split("\n")
    return [to_diagnostic(p, lines) for p in findings(path, text)]
