"""What machine a benchmark ran on, for the line that heads its figures in RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_info() -> dict:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {"cpu": cpu_name(), "cores": os.cpu_count(), "python": platform.python_version(),
            "load": load, "platform": platform.platform(),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def machine_line(extra: str = "") -> str:
    """One line: CPU, cores, OS, Python (and `extra`, such as a library's version), load, date."""
    info = machine_info()
    parts = [info["cpu"], f"{info['cores']} cores", info["platform"], f"Python {info['python']}"]
    if extra:
        parts.append(extra)
    return ", ".join(parts) + f"; load average {info['load']} (1/5/15 min); run {info['date']}"
