"""Mutations of author files and random trainee turns, for the fuzz suite.

Persona, tree, play-test and lexicon files travel between trainers and a trainee types
anything, so every command must meet damaged or hostile input with a located message,
never a traceback, a hang or a runaway load. This module makes such input from the
shipped files, reproducibly from a seed; `tests/test_fuzz.py` runs a small budget of it
in CI and `benchmarks/fuzz.py` a large one on demand. It is plain `random`, not
hypothesis, so the on-demand run needs nothing beyond the package.
"""

from __future__ import annotations

import contextlib
import io
import math
import multiprocessing
import random
import re
import resource
import signal
import sys
import traceback
from pathlib import Path

from simulator.safetext import CONTROLS

# Characters that break things: controls and escapes, invisible and typographic
# characters pasted from word processors, right-to-left marks, astral and combining
# characters, YAML's own indicators, and a lone surrogate.
NASTY = ["\x00", "\x1b[2J", "\x1b]0;title\x07", "\x07", "\x08", "\r", "\x85", "\x9b", "\u00a0", "\u200b", "\ufeff",
         "\u2028", "\u202e", "\u201c", "\u201d", "\u2019", "\U0001f600", "e\u0301", "\t", "#", " #", ": ", "- ",
         "&a ", "*a", "!!python/object:os.system ", "!tag ", "${", "${name", "$name", "{{name}}", "}", "{", "[",
         "]", "'", '"', "\\", "|", ">", "%", "@", "`", "---\n", "...\n", "<<: *a\n", "\ud800", "~", "? ", "\n  "]
NUMBERS = ["0", "-1", "1e309", "-1e309", ".inf", "-.inf", ".nan", "99999999999999999999999999", "-2147483649",
           "3.5", "0x1F", "1_000", "007", "true", "null", "''", "[]", "{}"]


# Mutated files stay a little under the loader's 2,000,000-byte limit (a file over it is
# refused unread, which tests nothing), so the fuzz run meets what a file may hold.
MAX_FILE = 1_900_000


def mutate(text: str, rng: random.Random, rounds: int | None = None) -> str:
    """`text` with a few random edits: characters, numbers, lines, indentation, growth."""
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        text = rng.choice(_EDITS)(text, rng)
    return text


def _insert(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(NASTY) + text[at:]


def _delete(text: str, rng: random.Random) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + text[at + rng.randint(1, 20):]


def _number(text: str, rng: random.Random) -> str:
    found = list(re.finditer(r"(?<![\w.])-?\d+(\.\d+)?(?![\w.])", text))
    if not found:
        return _insert(text, rng)
    m = rng.choice(found)
    return text[:m.start()] + rng.choice(NUMBERS) + text[m.end():]


def _lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 2:
        lines[i] = " " * rng.choice([1, 2, 3, 4, 6]) + lines[i]
    elif kind == 3:
        lines[i] = lines[i].lstrip()
    else:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _grow(text: str, rng: random.Random) -> str:
    """Repeat a run of lines many times (a pool of thousands of lines, hundreds of
    states' worth of rules), or a long value, keeping the file under the size limit."""
    room = MAX_FILE - len(text)
    if room <= 0:
        return text
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    block = "\n".join(lines[i:i + rng.randint(1, 8)]) + "\n"
    times = min(rng.choice([50, 500, 5000]), room // max(len(block), 1))
    return "\n".join(lines[:i]) + "\n" + block * times + "\n".join(lines[i:])


def _long_value(text: str, rng: random.Random) -> str:
    m = re.search(r":[ ]+\S", text[rng.randrange(len(text) + 1):] + text)
    at = rng.randrange(len(text) + 1)
    unit = rng.choice(["x", "word ", "é", "\U0001f600", "[", "{a: "])
    filler = unit * min(rng.choice([1000, 100_000, 400_000]), max(0, MAX_FILE - len(text)) // len(unit))
    return text[:at] + (filler if m else "") + text[at:]


def _nest(text: str, rng: random.Random) -> str:
    depth = rng.choice([50, 200, 5000, 100_000])
    opener = rng.choice(["[", "{a: ", "- "])
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    at = text.find("\n", rng.randrange(len(text) + 1))
    at = len(text) if at < 0 else at
    return text[:at] + "\nbeats: " + opener * depth + "x" + closer * depth + text[at:]


_EDITS = [_insert, _insert, _delete, _number, _number, _lines, _lines, _grow, _long_value, _nest]


def trainee_turn(rng: random.Random) -> str:
    """A turn a trainee (or a cat on the keyboard) might send."""
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(0, 40)))
    if kind == 1:
        return "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 12)))
    if kind == 2:
        return " \t " * rng.randint(0, 5)
    if kind == 3:
        return rng.choice(["word ", "you should ", "so you feel ", "?", "sorry "]) * rng.randint(100, 2000)
    if kind == 4:
        base = rng.choice(["It sounds like you're tired.", "What happened next?", "You should call her.",
                           "sorry, I got ahead of myself", "ur doing great tbh", "I'll tell your PO."])
        return mutate(base, rng, rounds=rng.randint(1, 3))
    return "".join(chr(rng.choice([rng.randrange(0x20), rng.randrange(0x7f, 0xa0), rng.randrange(0x20, 0x7f)]))
                   for _ in range(rng.randint(1, 60)))


# ----------------------------------------------------------------------------- running a case

LOCATED = re.compile(r":\d+:\d+: (error|warning)|: error: ")
SCRIPT = "Hi, thanks for coming in.\nIt sounds like it's been a hard few weeks.\nWhat would help right now?\n" \
         "You should call your sister.\nsorry, I got ahead of myself\n"


def _call(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """peersim's main() in this process, with its output captured. A Python exception
    escaping main() is what a user would see as a traceback: it is returned as such."""
    from simulator.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_in = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:        # argparse's usage errors: a message, exit 2
                code = exc.code if isinstance(exc.code, int) else 2
    except Exception:
        return -1, out.getvalue(), traceback.format_exc()
    finally:
        sys.stdin = old_in
    return code, out.getvalue(), err.getvalue()


COMMANDS = ("validate", "lint", "replay", "talk", "test", "graph")


def file_case(folder: Path, persona: str, tree: str, playtest: str, commands=COMMANDS) -> list[str]:
    """Run author commands over one (possibly mutated) persona, tree and play-test, laid
    out as a trainer's library; the failures a user would meet, in words."""
    (folder / "personas").mkdir(parents=True, exist_ok=True)
    (folder / "dialogue_trees").mkdir(exist_ok=True)
    p = folder / "personas" / "fuzz.yaml"
    p.write_text(persona, encoding="utf-8", errors="surrogatepass")
    (folder / "dialogue_trees" / "fuzztree.yaml").write_text(tree, encoding="utf-8", errors="surrogatepass")
    (folder / "personas" / "fuzz.test.yaml").write_text(playtest, encoding="utf-8", errors="surrogatepass")
    script = folder / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    data = folder / "data"
    failures = []
    runs = [("validate", ["validate", str(p), str(folder / "dialogue_trees")], ""),
            ("lint", ["lint", str(folder / "personas"), str(folder / "dialogue_trees")], ""),
            ("replay", ["replay", str(p), str(script)], ""),
            ("talk", ["talk", str(p), "--data-dir", str(data), "--json"], SCRIPT),
            ("test", ["test", str(folder / "personas")], ""),
            ("graph", ["graph", str(p), "--format", "svg", "-o", str(folder / "g.svg")], "")]
    for name, argv, stdin in runs:
        if name not in commands:
            continue
        code, out, err = _call(argv, stdin)
        if code == -1:
            failures.append(f"{name}: traceback: {err.strip().splitlines()[-1][:200]}")
        elif CONTROLS.search(out.replace("\t", "")) or CONTROLS.search(err.replace("\t", "")):
            failures.append(f"{name}: control characters in the output")
        elif name == "validate" and code == 1 and not LOCATED.search(out + err):
            failures.append(f"validate: a rejected file without a located message: {(out + err)[:200]!r}")
        if name == "talk" and code == 0 and '"saved"' in out:
            session = out.rsplit('"saved": "', 1)[1].split('"', 1)[0]
            code, out, err = _call(["export", session, "--format", "md", "--data-dir", str(data)])
            if code == -1:
                failures.append(f"export: traceback: {err.strip().splitlines()[-1][:200]}")
            elif CONTROLS.search(out.replace("\t", "")):
                failures.append("export: control characters in the Markdown")
    return failures


def turns_case(folder: Path, persona: str, turns: list[str]) -> list[str]:
    """Trainee turns through the engine, then through `talk` and `export --format md`."""
    from simulator.engine import Conversation
    from simulator.engine.conversation import ConversationOver
    from simulator.safetext import plain_text
    from simulator.moves import recognize
    from simulator.scenario.loader import load_scenario

    failures = []
    scenario = load_scenario(persona)
    convo = Conversation(scenario)
    for text in turns:
        try:
            if convo.ended:
                convo = Conversation(scenario)
            convo.step(recognize(plain_text(text)))
        except ConversationOver:
            pass
        except Exception:
            failures.append(f"engine: traceback on {text[:40]!r}: {traceback.format_exc().strip().splitlines()[-1]}")
    data = folder / "data"
    stdin = "\n".join(t.replace("\n", " ").replace("\r", " ") for t in turns) + "\n"
    code, out, err = _call(["talk", persona, "--data-dir", str(data), "--json"], stdin)
    if code == -1:
        failures.append(f"talk: traceback: {err.strip().splitlines()[-1][:200]}")
    elif '"saved"' in out:
        session = out.rsplit('"saved": "', 1)[1].split('"', 1)[0]
        for fmt in ("md", "html", "json"):
            code, out, err = _call(["export", session, "--format", fmt, "--data-dir", str(data)])
            if code == -1:
                failures.append(f"export {fmt}: traceback: {err.strip().splitlines()[-1][:200]}")
            elif CONTROLS.search(out.replace("\t", "")):
                failures.append(f"export {fmt}: control characters in the output")
    return failures


def _child(conn, fn, args, memory: int, cpu: float | None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cpu is not None:
        # The kernel stops a child that has used `cpu` seconds of processor time (SIGXCPU): on a
        # shared machine, waiting for a core is not the child's slowness, so a hang is measured in CPU.
        limit = max(1, math.ceil(cpu))
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
    try:
        failures = fn(*args)
    except MemoryError:
        failures = ["memory: over the limit"]
    except Exception:
        failures = [f"runner: {traceback.format_exc().strip().splitlines()[-1]}"]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    conn.send((failures, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime))
    conn.close()


def isolated(fn, *args, timeout: float = 10.0, memory: int = 2 << 30,
             cpu: float | None = None) -> tuple[list[str], float, int]:
    """Run fn(*args) in a forked child with an address-space limit: (failures, seconds, peak
    bytes). A child still running after `timeout` seconds of wall time is a hang; with `cpu`,
    so is one that uses more than `cpu` seconds of processor time (the seconds returned are
    then CPU seconds). One that dies otherwise is a crash."""
    import time

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, memory, cpu))
    start = time.perf_counter()
    proc.start()
    child.close()
    result = None
    if parent.poll(timeout):
        try:
            result = parent.recv()
        except EOFError:
            result = None
    seconds = time.perf_counter() - start
    if result is None and proc.is_alive():
        proc.kill()
        proc.join()
        return [f"hang: still running after {timeout:.0f} s"], seconds, 0
    proc.join(5)
    if result is None:
        if cpu is not None and proc.exitcode == -signal.SIGXCPU:
            return [f"hang: over {cpu:.0f} s of CPU"], float(cpu), 0
        return [f"crash: the process died (exit {proc.exitcode})"], seconds, 0
    failures, peak, cpu_seconds = result
    return failures, (cpu_seconds if cpu is not None else seconds), peak


def lexicon_case(folder: Path, text: str) -> list[str]:
    """A (mutated) site lexicon through PEERSIM_LEXICON and `classify`."""
    import os

    from simulator.moves import default_recognizer
    from simulator.moves.rules import default_lexicon

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "site.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    os.environ["PEERSIM_LEXICON"] = str(path)
    default_lexicon.cache_clear()
    default_recognizer.cache_clear()
    code, out, err = _call(["classify"], "You should call her.\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n"
                                         "So you feel stuck?\n")
    if code == -1:
        return [f"classify: traceback: {err.strip().splitlines()[-1][:200]}"]
    if out.count("\n") != 3:
        return [f"classify: {out.count(chr(10))} output lines for 3 input lines"]
    return []
