"""JSON Schema of the three file formats (persona, tree, play-test), for editors with a
YAML language server (`peersim schema`)."""

from __future__ import annotations

from simulator.scenario.playtest import PlayTestFile
from simulator.scenario.schema import Persona, Tree


def json_schemas() -> dict:
    """JSON Schema of each format, for editors with a YAML language server."""
    return {
        "persona": Persona.model_json_schema(by_alias=True),
        "tree": Tree.model_json_schema(by_alias=True),
        "test": PlayTestFile.model_json_schema(by_alias=True),
    }
