"""Where peersim keeps things on this machine, found without importing what uses them
(`peersim list` needs the clients folder in the data folder, not the session store)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "PEERSIM_DATA_DIR"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """Where the database lives: an explicit folder, else $PEERSIM_DATA_DIR, else the user's data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("peersim", appauthor=False))
