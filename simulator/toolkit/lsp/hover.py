"""Hover over a rule (a transition) of a tree: the rule in the words of the author's why pane
(`simulator.scenario.graph.rule_words`, which the pane uses too)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from simulator.toolkit.lsp.document import names
from simulator.toolkit.graph import rule_words
from simulator.scenario.schema import Transition


def rule_at(lines: list[str], starts: list[int], line: int) -> int | None:
    """The index of the rule whose text holds `line` (0-based): rules start at `starts`
    (0-based lines, in order), and the last one ends where the next top-level field starts."""
    index = None
    for i, start in enumerate(starts):
        if start <= line:
            index = i
    if index is None:
        return None
    if index == len(starts) - 1:
        for between in range(starts[index] + 1, line + 1):
            text = lines[between] if between < len(lines) else ""
            if text[:1] and not text[:1].isspace() and text[:1] not in "#-":
                return None   # past the list: a top-level field such as `thresholds:`
    return index


def hover_text(path: Path, text: str, line: int) -> str | None:
    """What the rule at `line` (0-based) of a tree's text does, or None when no rule is there."""
    found = names(path, text, personas_of_tree=False)
    if found.kind != "tree" or found.data is None or found.smap is None:
        return None
    rules = found.data.get("transitions")
    if not isinstance(rules, list) or not rules:
        return None
    starts = [found.smap.locate(("transitions", i))[0] - 1 for i in range(len(rules))]
    index = rule_at(text.split("\n"), starts, line)
    if index is None:
        return None
    try:
        rule = Transition.model_validate(rules[index])
    except ValidationError:
        return f"T{index + 1}: this rule is not complete yet (see the problems underlined in it)"
    return "\n".join(rule_words(rule, index + 1, found.thresholds))
