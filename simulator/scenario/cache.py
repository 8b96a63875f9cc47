"""A small cache of files already read and checked, so an unchanged file is not parsed again.

Parsing YAML is most of the time a command spends on a file: libyaml's composer alone takes
about 0.3 s of CPU for a 2,000-state tree on a small machine. A file that read and checked
clean is remembered as its values, in JSON, keyed by its real path, a digest of its bytes and
a digest of the code that reads and checks it (so a newer peersim, or a changed check, never
trusts an old verdict). Only clean files are kept: a file with a problem is read again every
time, so its messages and their lines are always today's.

The folder is $PEERSIM_CACHE_DIR, else the user cache folder; PEERSIM_CACHE_DIR=off turns the
cache off. Entries are written atomically (0600, in a 0700 folder), and an entry that cannot
be read, or does not match, is ignored: the file is then read as if there were no cache. The
values are validated again by the schema when used; the cache only saves the parse and the
cross-reference checks. The folder is kept small: at most MAX_ENTRIES entries and MAX_TOTAL
bytes, the ones used longest ago removed first (a hit marks its entry as used), so a trainer
who checks thousands of files, or very large ones, never fills a disk with them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

ENV_CACHE_DIR = "PEERSIM_CACHE_DIR"
FORMAT = 1
# What decides whether a file is clean and what it means: these modules' code.
_CODE = ("scenario", "moves/taxonomy.py", "safetext.py")

MAX_ENTRIES = 200
MAX_TOTAL = 64 * 2**20         # bytes: about thirty of the largest files peersim reads
_STALE_TMP = 3600              # seconds: a half-written entry this old was left by a killed process

_code_digest: str | None = None


def folder() -> Path | None:
    """Where entries are kept, or None when the cache is off."""
    given = os.environ.get(ENV_CACHE_DIR)
    if given is not None:
        return None if given.strip().lower() in ("off", "") else Path(given).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("peersim", appauthor=False))


def code_digest() -> str:
    """A digest of the code that reads and checks files (and of the libraries it leans on)."""
    global _code_digest
    if _code_digest is None:
        import pydantic
        import yaml

        package = Path(__file__).resolve().parent.parent
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{pydantic.VERSION} {yaml.__version__}".encode())
        for name in _CODE:
            target = package / name
            for path in sorted(target.glob("*.py")) if target.is_dir() else [target]:
                h.update(path.name.encode())
                try:
                    h.update(path.read_bytes())
                except OSError:
                    h.update(b"?")
        _code_digest = h.hexdigest()
    return _code_digest


def _entry(where: Path, kind: str, real: Path) -> Path:
    name = hashlib.blake2b(f"{kind}\0{real}".encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return where / f"{name}.json"


def _header(kind: str, real: Path, digest: bytes) -> dict:
    return {"format": FORMAT, "kind": kind, "path": str(real), "digest": digest.hex(), "code": code_digest()}


def lookup(kind: str, real: Path, digest: bytes) -> str | None:
    """The values (as JSON text) of a `kind` file that read and checked clean with these bytes,
    or None."""
    where = folder()
    if where is None:
        return None
    entry = _entry(where, kind, real)
    try:
        with open(entry, encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            if header != _header(kind, real, digest):
                return None
            text = fh.read()
    except (OSError, ValueError, UnicodeError):
        return None
    try:
        os.utime(entry)          # used now: the last to be removed when the folder is pruned
    except OSError:
        pass
    return text


def store(kind: str, real: Path, digest: bytes, data: Any) -> None:
    """Remember the values of a file that read and checked clean. Never fails: without a
    cache folder the next command reads the file again."""
    where = folder()
    if where is None:
        return
    try:
        text = json.dumps(_header(kind, real, digest)) + "\n" + json.dumps(data, ensure_ascii=False)
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".entry-", suffix=".tmp")   # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fd = -1
                fh.write(text)
            os.replace(tmp, _entry(where, kind, real))
        finally:
            if fd != -1:
                os.close(fd)
            if os.path.exists(tmp):
                os.unlink(tmp)
        prune(where)
    except (OSError, ValueError, TypeError, UnicodeError):
        pass


def prune(where: Path) -> None:
    """Remove the entries used longest ago until at most MAX_ENTRIES and MAX_TOTAL bytes are
    left, and any half-written entry a killed process left behind."""
    entries = []
    now = time.time()
    with os.scandir(where) as found:
        for item in found:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.startswith(".entry-") and now - info.st_mtime > _STALE_TMP:
                _remove(item.path)
            elif item.name.endswith(".json") and item.is_file(follow_symlinks=False):
                entries.append((info.st_mtime, info.st_size, item.path))
    entries.sort(reverse=True)           # the most recently used first
    total = 0
    for kept, (_, size, path) in enumerate(entries):
        total += size
        if kept >= MAX_ENTRIES or total > MAX_TOTAL:
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
