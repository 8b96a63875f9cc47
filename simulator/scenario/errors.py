"""The one error type the loader raises, and the problems it carries."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


# The codes of what validation finds, given where each problem is found (never read from
# its words); diagnostics.CATALOGUE explains them: a file that cannot be read, a field
# missing or of the wrong kind, a name that does not exist, a rule of the format broken.
UNREADABLE, BAD_FIELD, UNKNOWN_NAME, BROKEN_RULE = "PS0001", "PS0002", "PS0003", "PS0004"
VALIDATION_CODES = (UNREADABLE, BAD_FIELD, UNKNOWN_NAME, BROKEN_RULE)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"
    code: str = ""
    # What a validator found, as a catalogue code (VALIDATION_CODES), given where it was
    # found. `peersim lint` shows it as the finding's code; validate, test and the app keep
    # the plain "error: ..." they always printed.
    validation_code: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        code = f" {self.code}" if self.code else ""
        text = f"{where}: {self.severity}{code}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column,
                "severity": self.severity, "code": self.code,
                "message": self.message, "hint": self.hint}


class ScenarioError(Exception):
    """A persona or dialogue-tree file could not be used. Carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(name: object, options: Iterable[str]) -> str:
    """A short suggestion naming the nearest valid id, or the valid ids if there are few."""
    options = sorted(set(options))
    close = difflib.get_close_matches(str(name), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not options:
        return "there is nothing of that kind to name yet: add it first"
    if len(options) <= 8:
        return "expected one of: " + ", ".join(options)
    return "expected one of: " + ", ".join(options[:8]) + f", … ({len(options)} in all)"
