"""The one way a command writes the file named by `-o FILE` (export, report, schema, graph).

Exports hold practice conversations, so the file is readable by its owner only (0600).
It is written whole or not at all: the text goes to a new file beside it that then takes
its place, so a full disk or an interrupted command never leaves half a debrief behind
and never truncates the old file first. A symbolic link is refused, not followed: `-o`
names the file you will read, not whatever a link points to.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class CannotWrite(Exception):
    """The file was not written; the message says why and what to do, in plain words."""


def write_output(text: str, output: str | None) -> None:
    """Write `text` to the file `output`, or to standard output when there is none."""
    if not output:
        sys.stdout.write(text)
        return
    write_file(Path(output), text)
    print(f"wrote {output}", file=sys.stderr)


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable by its owner only; never through a link."""
    import tempfile  # here, not at the top: `peersim` alone imports this module and never writes

    folder = path.parent
    if path.is_symlink():
        raise CannotWrite(f"cannot write the file {path}: it is a symbolic link, and peersim does not write "
                          "through links; remove the link or choose another file with -o")
    if not folder.is_dir():
        raise CannotWrite(f"cannot write the file {path}: the folder {folder} does not exist (check that the "
                          "folder exists as you typed it); create it first or choose another file with -o")
    if path.is_dir():
        raise CannotWrite(f"cannot write the file {path}: that is a folder; name a file in it with -o")
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")  # mode 0600
    except OSError as exc:
        raise CannotWrite(f"cannot write the file {path} ({_why(exc)}); check that the folder exists and that "
                          "you can write there, or choose another file with -o") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise CannotWrite(f"cannot write the file {path} ({_why(exc)}); nothing was changed there; "
                          "check that the folder exists and that you can write there, or choose another "
                          "file with -o") from None
    except BaseException:
        _remove(temporary)
        raise


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
