"""What a tree alone says about itself: which rules can never fire and which states some
chain of rules can reach. Lint, the trap checks and the graph all ask this, so it lives
below them, beside the rule index it reads."""

from __future__ import annotations

from dataclasses import replace

from simulator.scenario import conditions
from simulator.scenario.conditions import Never, RuleFacts
from simulator.scenario.rules import RuleIndex, rules_of
from simulator.scenario.schema import Tree


def terminal_states(tree: Tree) -> set[str]:
    return set(rules_of(tree).endings)


def never_holds(tree: Tree, index: int, thresholds: dict[str, int], facts: RuleIndex | None = None) -> list[Never]:
    """Why transition `index` can never fire, judged from the tree alone (no persona)."""
    facts = facts or rules_of(tree)
    rule = facts.rules[index]
    base = ("transitions", index, "when")
    out = [replace(n, loc=base + n.loc) for n in conditions.never(
        rule.when, RuleFacts(rule, facts, tree.rapport.min, tree.rapport.max, thresholds))]
    sources = set(rule.sources)
    if sources and sources <= facts.endings:
        out.append(Never("PS0023", ("transitions", index, "from"),
                         f"this rule starts from an ending ({', '.join(sorted(sources))}); "
                         "the session is over there, so it is never tried",
                         "remove it, or remove `ending:` from that state"))
    return out


def reachable_states(tree: Tree, thresholds: dict[str, int] | None = None, facts: RuleIndex | None = None,
                     never: list[list[Never]] | None = None) -> set[str]:
    """States some chain of possible transitions leads to from `initial` (conditions that
    can never hold are left out; every other condition is assumed to hold sometime)."""
    thresholds = tree.thresholds if thresholds is None else thresholds
    facts = facts or rules_of(tree)
    if never is None:
        never = [never_holds(tree, i, thresholds, facts) for i in range(len(tree.transitions))]
    seen, todo = {tree.initial}, [tree.initial]
    while todo:
        state = todo.pop()
        if state in facts.endings:
            continue  # the session is over there
        for rule in facts.leaving(state):
            if not never[rule.index] and rule.to not in seen and rule.to in tree.states:
                seen.add(rule.to)
                todo.append(rule.to)
    return seen
