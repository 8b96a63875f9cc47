"""Text on its way out to a terminal or a file, without control characters.

Trainee turns are stored exactly as typed, and persona files are untrusted: either can
hold a terminal escape (ESC [2J clears the screen, ESC ] 0; sets a window title), a NUL
or a C1 code. Printed raw they would act on the reader's terminal instead of being
shown, so everything peersim prints or exports passes through here. Whole escape
sequences are removed, not just their ESC, so no "[2J" debris is left behind.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \) and other ESC pairs. (A lone C1
# character goes on its own below: what follows it is the reader's text, not a sequence.)
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]?")
# Every C0 control but tab and newline, DEL, and every C1 control.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with escape sequences and control characters removed (tab and newline kept)."""
    if not CONTROLS.search(text):
        return text
    return CONTROLS.sub("", _SEQUENCES.sub("", text))


def json_safe(text: str) -> str:
    """JSON text (as json.dumps writes it with ensure_ascii=False) with DEL and C1 controls
    escaped as \\u00XX; json.dumps already escapes C0 controls. The value is unchanged."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class PrintableStream:
    """A text stream that writes `printable()` text: what the CLI prints through."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


# ------------------------------------------------------------------ text coming in
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_text(text: str) -> str:
    """The trainee's words with any lone surrogate (undecodable terminal bytes, or a
    JSON escape like "\\ud800") replaced by U+FFFD, one character for one, so offsets
    stay true. Such a character is not text any recogniser can be asked to read."""
    return _LONE_SURROGATE.sub("\ufffd", text)
