"""The client list: every shipped persona and every local one (simulator/scenario/library.py),
loaded and checked (in a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.errors import ScenarioError
from simulator.scenario.checked import Scenario
from simulator.scenario.loader import load_scenario


@dataclass(frozen=True)
class ClientCard:
    scenario: Scenario
    local: bool = False

    @property
    def id(self) -> str:
        return self.scenario.persona.id

    @property
    def skills(self) -> str:
        return ", ".join(s.replace("_", " ") for s in self.scenario.persona.skills)

    def rank(self, query: str) -> int | None:
        """How well the card fits a filter: 0 a name starting with it, 1 in the name,
        2 in the card's own lines, 3 only in the background; None when some word of the
        filter is nowhere."""
        p = self.scenario.persona
        words = query.lower().split()
        name = p.name.lower()
        card = " ".join([name, p.summary, p.difficulty, self.skills, p.presenting_concern]).lower()
        everything = f"{card} {p.background.lower()}"
        if not all(w in everything for w in words):
            return None
        if words and all(any(part.startswith(w) for part in name.split()) for w in words):
            return 0
        if all(w in name for w in words):
            return 1
        return 2 if all(w in card for w in words) else 3

    def matches(self, query: str) -> bool:
        return self.rank(query) is not None


def load_clients(paths: list[Path] | None = None) -> tuple[list[ClientCard], list[str]]:
    """Cards for every persona that loads; a broken file is reported (file:line: its first
    problem), not fatal. Without `paths`: the shipped clients and the local library."""
    if paths is None:
        from simulator.scenario.folders import load_library

        entries = load_library()
        return ([ClientCard(e.scenario, e.local) for e in entries if e.scenario is not None],
                [str(e.problem).split("\n")[0] for e in entries if e.scenario is None])
    cards, problems = [], []
    for path in paths:
        try:
            cards.append(ClientCard(load_scenario(path)))
        except ScenarioError as exc:
            problems.append(f"{path.name}: {exc.problems[0] if exc.problems else exc}")
        except Exception as exc:  # a persona file is untrusted input; one bad file must not stop the app
            problems.append(f"{path.name}: {exc}")
    return cards, problems
