"""A bundle: one file of a trainee's sessions, to hand to a trainer without a server.

`peersim export --all --bundle -o NAME.peersim` writes it; `peersim report BUNDLE...`
reads it. It is readable JSON: a format version, the trainee, and for each shared session
its log, its debrief numbers and a checksum of both. A bundle comes from someone else's
machine, so reading one trusts nothing: a size limit, a nesting limit, every field checked
against the session log's types, and a session whose checksum no longer matches its content
refused. The checksum catches a file damaged or edited by hand; it is not a signature.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from simulator.debrief import debrief
from simulator.scoring import score_log
from simulator.session import SessionLog, now_iso

FORMAT = "peersim.bundle/1"
SUFFIX = ".peersim"
# A term of daily practice is a few megabytes; anything far bigger is not a bundle.
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32            # a session log nests about six deep

_LOG = TypeAdapter(SessionLog)


class BundleError(ValueError):
    """A bundle that cannot be read, said in plain words that name the file."""


@dataclass
class Bundle:
    path: str
    trainee: str
    created_at: str
    sessions: list[tuple[SessionLog, str]]   # each log with its checksum


def digest(entry: dict) -> str:
    """The checksum of one session: its log and debrief numbers, written canonically."""
    canonical = json.dumps({"log": entry["log"], "debrief": entry["debrief"]}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def debrief_numbers(log: SessionLog) -> dict:
    """What a trainer reads without replaying the session."""
    d = debrief(log)
    return {"overall": d.overall, "lessons": d.lessons, "states_reached": d.states_reached,
            "withdrawal_triggers": d.withdrawal_triggers, "rapport_curve": d.metrics.rapport_curve}


def write_bundle(logs: list[SessionLog], trainee: str) -> str:
    """The bundle's text. A session saved without a name takes the bundle's trainee."""
    sessions = []
    for log in logs:
        entry = {"log": asdict(log), "debrief": debrief_numbers(log)}
        entry["log"]["trainee"] = log.trainee or trainee
        entry["sha256"] = digest(entry)
        sessions.append(entry)
    return json.dumps({"format": FORMAT, "trainee": trainee, "created_at": now_iso(), "sessions": sessions},
                      ensure_ascii=False, indent=1) + "\n"


def _depth(value) -> int:
    """How deeply the parsed JSON nests, without recursing (a hostile file could be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def read_bundle(path: str | Path) -> Bundle:
    """Every session of a bundle, or BundleError naming the file and what is wrong with it."""
    path = Path(path)
    name = str(path)
    try:
        if not path.is_file():
            raise BundleError(f"{name}: not a file")
        if path.stat().st_size > MAX_BYTES:
            raise BundleError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB, so not read; "
                              "a bundle of a trainee's sessions is far smaller")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)   # the file may grow between stat and read
    except OSError as exc:
        raise BundleError(f"{name}: cannot be read ({(exc.strerror or str(exc)).lower()})") from None
    if len(raw) > MAX_BYTES:
        raise BundleError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB, so not read")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(f"{name}: not a peersim bundle (not UTF-8 text)") from None
    except RecursionError:
        raise BundleError(f"{name}: nested too deeply to be a peersim bundle") from None
    except json.JSONDecodeError as exc:
        raise BundleError(f"{name}: not a peersim bundle (bad JSON at line {exc.lineno}, column {exc.colno})"
                          ) from None
    if _depth(data) > MAX_DEPTH:
        raise BundleError(f"{name}: nested too deeply to be a peersim bundle")
    if not isinstance(data, dict) or "format" not in data:
        raise BundleError(f"{name}: not a peersim bundle (no format version)")
    if data["format"] != FORMAT:
        raise BundleError(f"{name}: a bundle of format {str(data['format'])[:40]!r}, which this peersim does not "
                          f"read (it reads {FORMAT}); update peersim, or ask for the bundle again")
    trainee, sessions = data.get("trainee"), data.get("sessions")
    if not isinstance(trainee, str) or not isinstance(sessions, list):
        raise BundleError(f"{name}: damaged (no trainee or no list of sessions)")
    out = []
    for number, entry in enumerate(sessions, 1):
        if not isinstance(entry, dict) or not {"log", "debrief", "sha256"} <= entry.keys():
            raise BundleError(f"{name}: session {number} is damaged (it lacks its log, debrief or checksum)")
        if entry["sha256"] != digest(entry):
            raise BundleError(f"{name}: session {number} was changed after the bundle was written (its checksum "
                              "no longer matches); ask the trainee to export it again")
        try:
            log = _LOG.validate_python(entry["log"])
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0]["loc"])
            raise BundleError(f"{name}: session {number} is damaged ({where}: {exc.errors()[0]['msg'].lower()})"
                              ) from None
        # The paths name files on the trainee's machine: on this one they could name anything.
        log.persona_path = log.tree_path = ""
        try:
            score_log(log)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            raise BundleError(f"{name}: session {number} is damaged (its turns cannot be scored)") from None
        out.append((log, entry["sha256"]))
    return Bundle(name, trainee, str(data.get("created_at", "")), out)
