"""Reading author YAML safely, keeping the line and column of every value.

Persona files travel between trainers, so they are untrusted: only PyYAML's safe
composer is used (no Python tags can be built), documents over a size limit are
refused before parsing, and alias expansion is counted so a "billion laughs" file
fails fast instead of eating memory.

Two author traps are defused on the way: mapping keys are always text (YAML 1.1 reads
a key `no:` or `on:` as a boolean), and of the boolean words only `true` and `false`
are booleans, so a client line written `- No` stays the word "No".
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any, Callable

import yaml
import yaml.composer
import yaml.constructor
import yaml.reader

from simulator.safetext import CONTROLS
from simulator.scenario.errors import BROKEN_RULE, UNREADABLE, Problem, ScenarioError

MAX_BYTES = 2_000_000
MAX_NODES = 200_000     # texts, lists and mappings in one file; the largest shipped file has 1,215
MAX_DEPTH = 64          # lists and mappings inside each other; real files need fewer than 10
MAX_KEY = 200           # characters in a mapping key (ids, move names, field names)

Loc = tuple[str | int, ...]


class SourceMap:
    """Where each value of a document stands in its file (1-based line and column).

    `later`, when given, works the marks out on first use: a file read from the cache of
    checked files (cache.py) is parsed again only if a message needs a line."""

    def __init__(self, file: str, marks: dict[Loc, tuple[int, int]] | None = None,
                 key_marks: dict[Loc, tuple[int, int]] | None = None, *,
                 text: str | None = None, later: Callable[[], SourceMap] | None = None):
        self.file = file
        self._marks = {} if marks is None else marks
        self._key_marks = {} if key_marks is None else key_marks
        # The text read, when it was given instead of read from `file` (an editor's unsaved
        # buffer, `peersim lsp`): checks that look at the raw lines read this, not the disk.
        self.text = text
        self._later = later

    def lines(self) -> list[str] | None:
        """The file's lines as read: the text given, else the file on disk (None if unreadable)."""
        if self.text is not None:
            return self.text.splitlines()
        try:
            return Path(self.file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def _fill(self) -> None:
        # Marks first, then `_later` cleared: a second thread asking meanwhile works them out
        # too, rather than seeing none.
        later = self._later
        if later is None:
            return
        try:
            found = later()
            self._marks, self._key_marks = found.marks, found.key_marks
        except ScenarioError:       # the bytes read clean once; nothing to mark otherwise
            pass
        self._later = None

    @property
    def marks(self) -> dict[Loc, tuple[int, int]]:
        if self._later is not None:
            self._fill()
        return self._marks

    @property
    def key_marks(self) -> dict[Loc, tuple[int, int]]:
        if self._later is not None:
            self._fill()
        return self._key_marks

    def named(self, file: str) -> SourceMap:
        """The same marks under another spelling of the file's name (worked out once for both)."""
        return self if file == self.file else SourceMap(file, text=self.text, later=lambda: self)

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that exists in the file."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_marks:
                return self.key_marks[loc]
            if loc in self.marks:
                return self.marks[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False,
                severity: str = "error", code: str = "", validation_code: str = "") -> Problem:
        line, column = self.locate(loc, key=key)
        return Problem(self.file, line, column, message, hint, severity=severity, code=code,
                       validation_code=validation_code)


_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SAFE_TAGS = {
    "tag:yaml.org,2002:null", _BOOL_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


def _control_problem(file: str, mark: tuple[int, int], value: str, what: str) -> Problem:
    ch = CONTROLS.search(value).group()
    name = _CONTROL_NAMES.get(ch, f"#x{ord(ch):02x}")
    return Problem(file, *mark, f"{what} holds an invisible control character ({name})",
                   "remove it: in double quotes, an escape such as \\e or \\x1b writes one, and a "
                   "trainee's terminal would act on it instead of showing the text", validation_code=BROKEN_RULE)


_CONTROL_NAMES = {"\x1b": "ESC, a terminal escape", "\x00": "NUL", "\x07": "BEL", "\x08": "backspace",
                  "\r": "carriage return", "\x0c": "form feed", "\x0b": "vertical tab", "\x7f": "DEL"}


class _DepthLoader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH before it recurses into it
    (PyYAML composes nested collections recursively: 100,000 nested '[' take seconds to
    fail otherwise)."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"lists and mappings are nested more than {MAX_DEPTH} deep here", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Builder:
    def __init__(self, smap: SourceMap, text: str):
        self.smap = smap
        self.marks, self.key_marks = smap.marks, smap.key_marks
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()
        # Only a double-quoted text can hold a control character the file does not (an escape
        # such as "\e"): when the file holds none, other texts need no search of their own.
        self.clean = _control(text) is None

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        # Called once per value of the file (70,000 times for a 2,000-state tree): the
        # common cases (text, mappings, lists) come first and look attributes up once.
        self.nodes += 1
        if len(loc) > MAX_DEPTH:
            raise ScenarioError([self.smap.problem(
                loc, f"lists and mappings are nested more than {MAX_DEPTH} deep here",
                "a persona or tree is never nested that deeply: check the brackets and the indentation", validation_code=BROKEN_RULE)])
        if self.nodes > MAX_NODES:
            raise ScenarioError([self.smap.problem(
                loc, f"this file expands to more than {MAX_NODES:,} values",
                "remove repeated anchors and aliases (*name); a persona file never needs that many values",
                validation_code=UNREADABLE)])
        marks = self.marks
        if loc not in marks:
            start = node.start_mark
            marks[loc] = (start.line + 1, start.column + 1)
        tag = node.tag
        scalar = isinstance(node, yaml.ScalarNode)
        if scalar and tag == _STR_TAG:
            if (not self.clean or node.style == '"') and _control(node.value):
                raise ScenarioError([_control_problem(self.smap.file, self._mark(node), node.value, "this text")])
            return node.value
        if scalar and tag == _TIMESTAMP_TAG:
            # An unquoted date (`- 2024-05-01`) is resolved implicitly; an author means the text.
            return node.value
        if tag not in _SAFE_TAGS:
            raise ScenarioError([self.smap.problem(
                loc, f"the tag {node.tag!r} is not allowed in peersim files",
                "remove the '!' tag; only plain text, numbers, lists and mappings are read", validation_code=UNREADABLE)])
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            key_marks = self.key_marks
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise ScenarioError([Problem(self.smap.file, *self._mark(key_node),
                                                 "merge keys ('<<') are not supported",
                                                 "write the fields out in full", validation_code=UNREADABLE)])
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ScenarioError([Problem(self.smap.file, *self._mark(key_node),
                                                 "a key must be plain text", "", validation_code=UNREADABLE)])
                key = str(key_node.value)
                if len(key) > MAX_KEY:
                    raise ScenarioError([Problem(self.smap.file, *self._mark(key_node),
                                                 f"a key of {len(key):,} characters; keys are ids and field "
                                                 f"names of at most {MAX_KEY}",
                                                 "check the indentation and the ':' on this line: text that "
                                                 "holds ': ' belongs in double quotes", validation_code=BROKEN_RULE)])
                if (not self.clean or key_node.style == '"') and _control(key):
                    raise ScenarioError([_control_problem(self.smap.file, self._mark(key_node), key, "this key")])
                key_loc = loc + (key,)
                if key in out:
                    first = key_marks[key_loc][0]
                    raise ScenarioError([Problem(
                        self.smap.file, *self._mark(key_node), f"the key '{key}' appears twice here",
                        f"it is first on line {first}: keep one of them (YAML would silently use the last), "
                        "or rename one", validation_code=UNREADABLE)])
                start = key_node.start_mark
                key_marks[key_loc] = (start.line + 1, start.column + 1)
                out[key] = self.build(value_node, key_loc)
            return out
        if isinstance(node, yaml.SequenceNode):
            build = self.build
            return [build(item, loc + (i,)) for i, item in enumerate(node.value)]
        if tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, str) and _control(value):
            raise ScenarioError([_control_problem(self.smap.file, self._mark(node), value, "this text")])
        return value


class _NeedsMarks(Exception):
    """The quick read met something to report: the full build reports it, with its line."""


def _values(node: yaml.Node, clean: bool) -> Any:
    """The values of a node tree, without marks: what `_Builder.build` returns for a file it
    accepts, about five times as fast. Anything `build` would refuse raises _NeedsMarks, and
    `build` then runs to say so with the line and column."""
    count = 0
    constructor = None
    scalar_type, mapping_type = yaml.ScalarNode, yaml.MappingNode

    def scalar(item: yaml.Node) -> Any:
        nonlocal constructor
        tag = item.tag
        if tag == _STR_TAG or tag == _TIMESTAMP_TAG:
            value = item.value
        elif tag not in _SAFE_TAGS:
            raise _NeedsMarks
        elif tag == _BOOL_TAG and item.value.lower() not in ("true", "false"):
            value = item.value
        else:
            constructor = constructor or yaml.constructor.SafeConstructor()
            value = constructor.construct_object(item, deep=True)
        if isinstance(value, str) and (not clean or item.style == '"') and _control(value):
            raise _NeedsMarks
        return value

    def walk(item: yaml.Node, depth: int) -> Any:
        nonlocal count
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            raise _NeedsMarks
        kind = type(item)
        if kind is scalar_type:
            return scalar(item)
        if item.tag not in _SAFE_TAGS:
            raise _NeedsMarks
        deeper = depth + 1
        if kind is mapping_type:
            out: dict[str, Any] = {}
            for key_node, value_node in item.value:
                if type(key_node) is not scalar_type or key_node.tag == "tag:yaml.org,2002:merge":
                    raise _NeedsMarks
                key = str(key_node.value)
                if key in out or len(key) > MAX_KEY or ((not clean or key_node.style == '"') and _control(key)):
                    raise _NeedsMarks
                out[key] = walk(value_node, deeper)
            return out
        return [walk(child, deeper) for child in item.value]

    return walk(node, 0)


_control = CONTROLS.search


def read_yaml(path: Path | str, text: str | None = None, *, marks: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and a SourceMap. The map's marks
    are worked out on first use, by parsing the text again, unless `marks` asks for them now
    (a caller that needs a line for every value at once, such as the language server)."""
    path = Path(path)
    smap = SourceMap(str(path), text=text)
    given = text
    if text is None:
        try:
            info = path.stat()
            size = info.st_size
        except FileNotFoundError:
            raise ScenarioError([Problem(str(path), 0, 0, "file not found",
                                         "check the path and the file name", validation_code=UNREADABLE)]) from None
        except OSError as exc:
            raise ScenarioError([Problem(str(path), 0, 0, f"cannot read the file ({exc.strerror})",
                                         "", validation_code=UNREADABLE)]) from None
        except ValueError:          # a NUL in the name
            raise ScenarioError([Problem(str(path), 0, 0, "a file name cannot hold a NUL character",
                                         "check the path", validation_code=BROKEN_RULE)]) from None
        if not stat.S_ISREG(info.st_mode):
            # A device (/dev/zero) or a pipe would be read for ever: only plain files are read.
            raise ScenarioError([Problem(str(path), 0, 0, "this is not a plain file",
                                         "name a persona, tree or play-test .yaml file", validation_code=BROKEN_RULE)])
        if size > MAX_BYTES:
            raise ScenarioError([Problem(str(path), 1, 1,
                                         f"file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                                         "split it, or check that it is the right file", validation_code=UNREADABLE)])
        try:
            with open(path, "rb") as fh:      # no more than the limit, even if the file grew since
                raw = fh.read(MAX_BYTES + 1)
            text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
        except UnicodeDecodeError as exc:
            # Point at the first character that is not UTF-8 (often a curly quote or an
            # accent typed in a Windows editor), so the author can find it.
            before = exc.object[:exc.start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
            raise ScenarioError([Problem(str(path), line, column,
                                         "the file is not UTF-8 text: this character was saved in another encoding",
                                         "save the file as UTF-8 "
                                         "(in your editor: Save As, Encoding: UTF-8)", validation_code=UNREADABLE)]) from None
        except OSError as exc:
            raise ScenarioError([Problem(str(path), 0, 0, f"cannot read the file ({exc.strerror})",
                                         "", validation_code=UNREADABLE)]) from None
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([Problem(str(path), 1, 1, f"text is longer than {MAX_BYTES:,} bytes", "", validation_code=UNREADABLE)])
    try:
        node = _compose(text)
    except TooManyValues:
        raise ScenarioError([Problem(str(path), 1, 1,
                                     f"the file holds more than {MAX_NODES:,} values (texts, lists and mappings); "
                                     "a large tree needs about a tenth of that",
                                     "split it, or check that it is the right file")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context in _STARTED_AT and exc.context_mark:
            # PyYAML gives up lines later (the next line, or the end of the file);
            # the mistake is where the key or the quoted text started.
            mark = exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "the YAML could not be read"
        if "nesting depth" in what:          # libyaml's words for what _DepthLoader says
            what = f"lists and mappings are nested more than {MAX_DEPTH} deep here"
        if exc.context == "while scanning a quoted scalar" and "end of stream" in what:
            what = "a quoted text starts here and is never closed"
        if what.startswith("but ") and exc.context:  # "but found another document" needs its first half
            what = f"{exc.context}, {what}"
        slip = slip_near(text, line)
        if slip is not None:
            line, column, said, hint = slip
            raise ScenarioError([Problem(str(path), line, column, f"YAML syntax: {said}", hint, validation_code=UNREADABLE)]) from None
        raise ScenarioError([Problem(str(path), line, column, f"YAML syntax: {what}",
                                     _yaml_hint(what), validation_code=UNREADABLE)]) from None
    except yaml.reader.ReaderError as exc:
        # A control character (often pasted from a word processor) the YAML reader refuses.
        before = text[:exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise ScenarioError([Problem(str(path), line, column,
                                     f"YAML syntax: an invisible control character (#x{exc.character:04x}) is here",
                                     "delete it and retype the text around it", validation_code=UNREADABLE)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(str(path), 1, 1, f"YAML syntax: {exc}", "", validation_code=UNREADABLE)]) from None
    except RecursionError:
        raise ScenarioError([Problem(str(path), 1, 1, "the YAML is nested too deeply", "", validation_code=UNREADABLE)]) from None
    if node is None:
        raise ScenarioError([Problem(str(path), 1, 1, "the file is empty",
                                     "start from `peersim new persona NAME` or a shipped example", validation_code=UNREADABLE)])
    if not marks:
        try:
            # Most loads never need a line: the marks are worked out from the same text, by
            # the full build below, when a message first asks for one.
            data = _values(node, _control(text) is None)
            read = text
            return data, SourceMap(str(path), text=given, later=lambda: read_yaml(path, read, marks=True)[1])
        except (_NeedsMarks, RecursionError):
            pass                    # the full build says what is wrong, and where
    try:
        data = _Builder(smap, text).build(node, ())
    except RecursionError:
        raise ScenarioError([Problem(str(path), 1, 1, "the YAML is nested too deeply", "", validation_code=UNREADABLE)]) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError([Problem(str(path), line, column, f"YAML value: {exc.problem}", "", validation_code=UNREADABLE)]) from None
    return data, smap


class TooManyValues(yaml.YAMLError):
    """A file holds more values than any persona, tree or play-test needs (MAX_NODES), counted
    while libyaml composes it; the builder counts again after anchors and aliases are expanded."""


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`: libyaml's composer where it is installed (about six times
    faster, with the same values and marks: tests/test_yaml_paths.py checks), and PyYAML's
    pure-Python one otherwise, and for every file that fails, because its messages and
    marks are the ones the located errors and hints are written for."""
    if _CLoader is not None:
        try:
            return yaml.compose(text, Loader=_CLoader)
        except yaml.YAMLError:
            # The pure-Python parser takes seconds on a file of hundreds of kilobytes; a file
            # that large is no hand-written client, and libyaml's located message will do.
            if len(text) > PURE_PYTHON_UP_TO:
                raise
        except ValueError:     # a lone surrogate libyaml cannot encode
            pass
    return yaml.compose(text, Loader=_DepthLoader)


PURE_PYTHON_UP_TO = 100_000    # characters: ten times the longest shipped file


_CSafe = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


if _CSafe is not None:
    _RESOLVERS = {first: tuple(pairs) for first, pairs in _CSafe.yaml_implicit_resolvers.items()}

    class _FastCLoader(_CSafe):
        """libyaml's safe loader with PyYAML's tag resolution done in one small function.

        libyaml calls back into Python to resolve every node's tag; the general resolver
        also walks "path resolvers", which the safe loader never has. This one gives the
        same tags (the safe loader's implicit resolvers, tried in the same order), which
        tests/test_yaml_paths.py checks value for value against the pure-Python path."""

        def __init__(self, stream):
            super().__init__(stream)
            self._values = 0

        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass

        def resolve(self, kind, value, implicit):
            # libyaml builds a Python node for every value, and asks this for each one: the
            # one place to stop a file of a million tiny values before it takes seconds.
            self._values += 1
            if self._values > MAX_NODES:
                raise TooManyValues()
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    for tag, regexp in _RESOLVERS.get(value[:1], ()):
                        if regexp.match(value):
                            return tag
                return _STR_TAG
            return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"

    _CLoader = _FastCLoader
else:
    _CLoader = None

_STARTED_AT = ("while scanning a simple key", "while scanning a quoted scalar")


def _yaml_hint(problem: str) -> str:
    if "nested more than" in problem:
        return "no persona or tree is nested that deeply: check the brackets and the indentation"
    if "could not find expected ':'" in problem:
        return ("this line needs ':' after its field name (for example `name: Rosa`); "
                "if it continues the text above, indent it further or put the whole text in double quotes")
    if "never closed" in problem:
        return "add the closing quote at the end of the text"
    if "but found '<scalar>'" in problem:
        return ("text goes on after its closing quote: inside \"...\" write a double quote as \\\", "
                "inside '...' write an apostrophe as ''; or a quote opened on a line above was never closed")
    if "mapping values are not allowed" in problem:
        return "a line of text holds ': '; put the whole text in double quotes"
    if "found character '\\t'" in problem or "tab" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "expected <block end>" in problem or "indentation" in problem:
        return "check the indentation of this line against the lines above it"
    if "expected a single document" in problem:
        return "a file holds one document: remove the second '---' line"
    if "found undefined alias" in problem:
        return ("text that starts with '*' (like *sighs*) must be in double quotes: \"*sighs* Fine.\"; "
                "or an alias (*name) needs an anchor (&name) earlier in the file")
    if "cannot start any token" in problem or "expected alphabetic or numeric character" in problem:
        return "text that starts with a symbol (* & ! @ ` % | >) must be in double quotes: \"*sighs* Fine.\""
    return "check this line and the one above it"


# ------------------------------------------------------------------------- slips a hint can name
# Characters a word processor or a web page pastes in: they look like a space or a quote,
# and YAML does not read them as one.
LOOKALIKES = {
    "\u00a0": ("a non-breaking space", "retype it as a plain space"),
    "\u2007": ("a figure space", "retype it as a plain space"),
    "\u202f": ("a narrow non-breaking space", "retype it as a plain space"),
    "\u3000": ("an ideographic space", "retype it as a plain space"),
    "\u200b": ("a zero-width space (invisible)", "delete it: put the cursor just after it and press Backspace"),
    "\u200c": ("a zero-width non-joiner (invisible)", "delete it"),
    "\u200d": ("a zero-width joiner (invisible)", "delete it"),
    "\u2060": ("a word joiner (invisible)", "delete it"),
    "\ufeff": ("a byte-order mark (invisible)", "delete it"),
    "\u201c": ("a curly opening double quote", 'YAML quotes text with straight quotes only: type " instead'),
    "\u201d": ("a curly closing double quote", 'YAML quotes text with straight quotes only: type " instead'),
    "\u2018": ("a curly opening single quote", "YAML quotes text with straight quotes only: type ' instead"),
    "\u2019": ("a curly apostrophe", "inside text it is fine; as a quote around text, type ' instead"),
}
_KEY_LINE = re.compile(r"^\s*(- )?[A-Za-z_][A-Za-z0-9_-]*:(\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _levels(line: str) -> set[int]:
    """The indents a line opens: its own, and inside a list item (`- key: ...`) that of its content."""
    levels, rest = {_indent(line)}, line.lstrip(" ")
    offset = _indent(line)
    while rest.startswith("- "):
        offset += 2 + len(rest[2:]) - len(rest[2:].lstrip(" "))
        rest = rest[2:].lstrip(" ")
        levels.add(offset)
    return levels


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def lookalike_in(line: str) -> tuple[int, str, str] | None:
    """(1-based column, what it is, what to do) of the first pasted look-alike character in `line`."""
    for i, ch in enumerate(line):
        if ch in LOOKALIKES and not (ch == "\u2019" and 0 < i < len(line) - 1 and line[i - 1].isalpha()
                                     and line[i + 1].isalpha()):
            return i + 1, *LOOKALIKES[ch]
    return None


def slip_near(text: str, line: int) -> tuple[int, int, str, str] | None:
    """A plainer account of a YAML error at `line` (1-based) when the cause is on that line
    or the one before: a pasted look-alike character, or an indentation two spaces off.
    (line, column, message, fix), or None to keep PyYAML's own words."""
    lines = text.split("\n")
    for number in (line, line - 1):
        if not 1 <= number <= len(lines):
            continue
        found = lookalike_in(lines[number - 1])
        if found:
            column, what, fix = found
            return number, column, (f"line {number} holds {what} at column {column} "
                                    "(often pasted from a word processor or a web page)"), fix
    for number in (line, line - 1):
        if not 1 <= number <= len(lines) or not _significant(lines[number - 1]):
            continue
        here = _indent(lines[number - 1])
        above = [n for n in range(number - 1, 0, -1) if _significant(lines[n - 1])]
        if not above:
            continue
        prev = lines[above[0] - 1]
        opener = prev.split(" #")[0].rstrip().endswith((":", "|", ">", "|-", ">-", "-"))
        if here > max(_levels(prev)) and not opener and _KEY_LINE.match(lines[number - 1]):
            return number, 1, (f"line {number} is indented {here} spaces; the line above uses {max(_levels(prev))}"), \
                "indent it like the line above (a field inside another goes under a line ending in ':')"
        if here < _indent(prev):
            outer = next((_levels(lines[n - 1]) for n in above if _indent(lines[n - 1]) <= here), None)
            if outer is not None and here not in outer:
                return number, 1, (f"line {number} is indented {here} spaces; the lines around it use "
                                   f"{_indent(prev)}"), \
                    f"indent it {_indent(prev)} spaces like its neighbours, or {min(outer)} to end the block above"
    return None
