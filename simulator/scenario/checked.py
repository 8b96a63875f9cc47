"""The checked scenario: a persona with its tree, both read and checked by the loader.

It stands apart from the loader so the engine can take one without importing the code
that reads files: the caller loads, the engine plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.schema import Persona, Tree
from simulator.scenario.source import SourceMap


@dataclass
class Scenario:
    """A persona with its tree, both checked, ready for the engine."""

    persona: Persona
    tree: Tree
    persona_path: Path
    tree_path: Path
    persona_map: SourceMap
    tree_map: SourceMap
