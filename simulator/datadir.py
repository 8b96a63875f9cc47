"""Where peersim keeps a user's files: the session database, exports, the error log and the
local clients folder. Both the store and the client library ask here, so it sits below both."""

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
