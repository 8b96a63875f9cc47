"""The engine, scenario, recogniser and headless CLI run without Textual: importing
and using them must not pull it in (a trainer's script or a CI job need no terminal UI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MODULES = ["simulator.engine", "simulator.scenario.loader", "simulator.moves", "simulator.session",
           "simulator.service", "simulator.cli.core", "simulator.toolkit.lint"]

CHECK = """
import sys
import {module}
{use}
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(loaded))
"""

# Using the modules, not only importing them: the recogniser and the tree load lazily.
USE = {
    "simulator.engine": "from simulator.engine import Conversation\nfrom simulator.scenario.loader import load_scenario\nConversation(load_scenario('marcus')).step('How are you?')",
    "simulator.scenario.loader": "from simulator.scenario.loader import load_scenario\nload_scenario('dana')",
    "simulator.moves": "from simulator.moves import recognize\nrecognize('It sounds hard. What helps?')",
    "simulator.session": "",
    "simulator.service": "from simulator.service import Session\n"
                         "from simulator.scenario.loader import load_scenario\n"
                         "Session.start(load_scenario('marcus')).play('How are you?')",
    "simulator.cli.core": "",
    "simulator.toolkit.lint": f"from simulator.toolkit.lint import lint_paths\nlint_paths([{str(ROOT / 'personas' / 'dana.yaml')!r}])",
}


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(module, tmp_path):
    code = CHECK.format(module=module, use=USE[module])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "", f"{module} imported {proc.stdout.strip()}"
