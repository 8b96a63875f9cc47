"""The transparent layer: cue rules kept as data (lexicon.yaml) plus the shape of a sentence.

A rule is a move, a regular expression and a weight. For one piece of a turn the
strongest matching rule wins, unless a `veto` rule cancels its move there (negation:
"I'm not going to tell you what to do" is not advice). The matched words become the
cue a trainee sees.

Trainers extend the rules without touching code, in two ways:
- `load_lexicon(path, ...)` / `Recognizer(lexicon=load_lexicon(path))` in code, or
- the environment variable PEERSIM_LEXICON: one or more extra lexicon files separated
  by the OS path separator (":" on Linux and macOS, ";" on Windows). They are read after
  the shipped lexicon, so a site file can add rules and vetoes.
A site file has the same shape as lexicon.yaml (see docs/recogniser.md).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from re import _constants as _C
from re import _parser as _P

from simulator.moves.taxonomy import MOVE_IDS

LEXICON = Path(__file__).with_name("lexicon.yaml")
ENV_VAR = "PEERSIM_LEXICON"


class Rule:
    """One cue rule. The regular expression is compiled on first use, and only tried on
    a piece that holds one of its `keys` (the first 3 or 5 characters of every way the
    pattern can begin; see Lexicon.candidates), so many rules stay fast and quick to load."""

    __slots__ = ("move", "source", "weight", "keys", "_flags", "_pattern")

    def __init__(self, move: str, source: str, weight: float, keys: frozenset | None, flags: int):
        self.move, self.source, self.weight, self.keys = move, source, weight, keys
        self._flags = flags
        self._pattern: re.Pattern | None = None

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = re.compile(self.source, self._flags)
        return self._pattern

    def __repr__(self) -> str:
        return f"Rule({self.move!r}, {self.source[:40]!r}, {self.weight})"


# ------------------------------------------------------------------ trigger keys
_KEY_LIMIT = 800
KEY_MIN, KEY_MAX = 3, 5     # keys are the first 3 to 5 characters of each way a match can begin


def _expand(items: list, i: int, acc: str, out: set[str]) -> bool:
    """Collect the literal beginnings (up to KEY_MAX characters) of every way `items` can
    match. Returns False when there are too many to be worth it."""
    while i < len(items):
        if len(acc) >= KEY_MAX:
            break
        op, av = items[i]
        if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            i += 1                                   # zero-width: \b, ^, look-arounds
            continue
        if op is _C.LITERAL:
            acc += chr(av).lower()
            i += 1
            continue
        rest = items[i + 1:]
        if op is _C.SUBPATTERN:
            return _expand(list(av[-1]) + rest, 0, acc, out)
        if op is _C.BRANCH:
            return all(_expand(list(branch) + rest, 0, acc, out) for branch in av[1])
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            low, high, sub = av
            if low == 0 and high == 1:
                return _expand(list(sub) + rest, 0, acc, out) and _expand(items, i + 1, acc, out)
            if low >= 1:
                return _expand(list(sub), 0, acc, out)
            break
        if op is _C.IN and 0 < len(av) <= 4 and all(o is _C.LITERAL for o, _ in av):
            return all(_expand(items, i + 1, acc + chr(v).lower(), out) for _, v in av)
        break
    out.add(acc)
    return len(out) <= _KEY_LIMIT


def trigger_keys(parsed) -> frozenset | None:
    """Strings of 3 to 5 characters one of which every match must contain; None if unknown."""
    out: set[str] = set()
    if not _expand(list(parsed), 0, "", out) or any(len(k) < KEY_MIN for k in out):
        return None
    # Only 3- and 5-character substrings of a piece are looked at (see trigrams), so a
    # 4-character key is shortened to 3.
    return frozenset(k if len(k) != 4 else k[:3] for k in out)


def trigrams(text: str) -> set[str]:
    """Every substring of 3 and of 5 characters: what the rule keys are looked up in."""
    n = len(text)
    return {text[i:i + 3] for i in range(n - 2)} | {text[i:i + 5] for i in range(n - 4)}


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    vetoes: tuple[Rule, ...]
    files: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "_rule_index", _Index(self.rules))
        object.__setattr__(self, "_veto_index", _Index(self.vetoes))

    def candidates(self, grams: set[str]) -> list[Rule]:
        """The rules, in order, that could match a piece with these substrings."""
        return self._rule_index.candidates(grams)

    def veto_candidates(self, grams: set[str]) -> list[Rule]:
        return self._veto_index.candidates(grams)


class _Index:
    """Which rules a key can start: one set intersection per piece finds the few rules
    worth trying, instead of asking every rule in turn."""

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.by_key: dict[str, list[int]] = {}
        self.always = [i for i, r in enumerate(rules) if r.keys is None]
        for i, rule in enumerate(rules):
            for key in rule.keys or ():
                self.by_key.setdefault(key, []).append(i)
        self.keys = frozenset(self.by_key)

    def candidates(self, grams: set[str]) -> list[Rule]:
        found = set(self.always)
        by_key = self.by_key
        for key in self.keys.intersection(grams):
            found.update(by_key[key])
        rules = self.rules
        return [rules[i] for i in sorted(found)]


@dataclass(frozen=True)
class Cue:
    move: str
    weight: float
    text: str          # the words that matched, as the trainee can read them
    kind: str          # "lexicon" or "shape"


class LexiconError(ValueError):
    pass


def _compile(entries, where: str) -> list[Rule]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise LexiconError(f"{where}: `rules` and `veto` are lists of {{move, pattern, weight}}")
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise LexiconError(f"{where}: rule {i + 1} needs a `move` and a text `pattern`")
        if entry.get("move") not in MOVE_IDS:
            raise LexiconError(f"{where}: rule {i + 1} names an unknown move {entry.get('move')!r}; "
                               f"known moves: {', '.join(MOVE_IDS)}")
        source = entry["pattern"]
        # Pieces are read in lower case, so a pattern without capitals needs no
        # case-insensitive matching (which is twice as slow); one with capitals gets it.
        flags = re.IGNORECASE if re.sub(r"\\.", "", source) != re.sub(r"\\.", "", source).lower() else 0
        try:
            parsed = _P.parse(source, flags)
        except re.error as exc:
            raise LexiconError(f"{where}: rule {i + 1} has a broken pattern ({exc})") from None
        try:
            weight = float(entry.get("weight", 0.8))
        except (TypeError, ValueError):
            raise LexiconError(f"{where}: rule {i + 1} has a weight that is not a number") from None
        if not 0.0 < weight <= 1.0:
            raise LexiconError(f"{where}: rule {i + 1} needs a weight between 0 and 1")
        out.append(Rule(entry["move"], source, weight, trigger_keys(parsed), flags))
    return out


def env_lexicons() -> list[Path]:
    """Extra lexicon files named by PEERSIM_LEXICON, in order."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def _read_file(path: Path) -> tuple[list[Rule], list[Rule]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the lexicon ({exc.strerror or exc})") from None
    if Path(path) == LEXICON:
        cached = _from_cache(text)
        if cached is not None:
            return cached
    import yaml  # only when a lexicon is read from YAML (the shipped one is pre-read)

    try:
        data = _yaml_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon is a mapping with `rules:` and `veto:`")
    return _compile(data.get("rules"), str(path)), _compile(data.get("veto"), str(path))


def _yaml_load(text: str):
    import yaml

    # The C loader when PyYAML has it (ten times faster); both safe, building plain data only.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def load_lexicon(*extra: Path | str, use_env: bool = True) -> Lexicon:
    """The shipped lexicon, then the files in PEERSIM_LEXICON, then `extra`, in that order."""
    rules: list[Rule] = []
    vetoes: list[Rule] = []
    paths = [LEXICON, *(env_lexicons() if use_env else []), *map(Path, extra)]
    for path in paths:
        more_rules, more_vetoes = _read_file(Path(path))
        rules += more_rules
        vetoes += more_vetoes
    return Lexicon(tuple(rules), tuple(vetoes), tuple(map(str, paths)))


# ------------------------------------------------------------------ the shipped lexicon, pre-read
# Reading lexicon.yaml means parsing YAML and every pattern (for its keys): tens of
# milliseconds. lexicon.cache.json holds the result for the shipped file, keyed by the
# file's SHA-256, so the first reading of a session starts in a few milliseconds. An
# edited lexicon.yaml no longer matches the key and is simply read the slow way;
# `python -m simulator.moves.rules` (also run by training) writes a fresh cache.
LEXICON_CACHE = LEXICON.with_name("lexicon.cache.json")


def _digest(text: str) -> str:
    """The cache key: the lexicon's text and how keys are derived from it."""
    import hashlib

    return hashlib.sha256(f"{text}\n#keys {KEY_MIN}-{KEY_MAX} v1".encode("utf-8")).hexdigest()


def _from_cache(text: str) -> tuple[list[Rule], list[Rule]] | None:
    try:
        data = json.loads(LEXICON_CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("sha256") != _digest(text):
        return None

    def build(items):
        return [Rule(m, src, w, frozenset(keys) if keys is not None else None, flags) for m, src, w, flags, keys in items]

    return build(data["rules"]), build(data["veto"])


def write_cache() -> Path:
    text = LEXICON.read_text(encoding="utf-8")
    data = _yaml_load(text)

    def dump(items):
        return [[r.move, r.source, r.weight, r._flags, sorted(r.keys) if r.keys is not None else None] for r in items]

    out = {"sha256": _digest(text), "rules": dump(_compile(data.get("rules"), str(LEXICON))),
           "veto": dump(_compile(data.get("veto"), str(LEXICON)))}
    LEXICON_CACHE.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return LEXICON_CACHE


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon plus PEERSIM_LEXICON's files. A broken site file must not stop
    a practice session: it is reported on stderr and the shipped lexicon is used alone."""
    try:
        return load_lexicon()
    except LexiconError as exc:
        import sys

        print(f"peersim: ignoring {ENV_VAR} ({exc}); using the shipped lexicon only", file=sys.stderr)
        return load_lexicon(use_env=False)


# ------------------------------------------------------------------- sentence shape
# When no lexicon cue fires, the form of the sentence still says a lot.
OPEN_START = re.compile(
    r"^(?:and |so |but |okay,? |well,? )?(what|how(?! (?:many|much|long|old|often)\b)|why|tell me|talk me|walk me|help me understand|describe|say more|"
    r"in what way|which|where (?:do|would|should|did)|who (?:do|would|could|helps)|i'?m curious|i wonder what|"
    r"i wonder how|i'?d love to hear)\b")
CLOSED_START = re.compile(
    r"^(?:and |so |but |okay,? )?(do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|shall|"
    r"may|might|am|don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|won'?t|wouldn'?t|haven'?t|when|where|who|how)\b")
# Without a question mark, only an auxiliary followed by its subject asks ("do you feel
# stuck"); "don't be so hard on yourself" is not a question.
CLOSED_NO_MARK = re.compile(
    r"^(?:and |so |but |okay,? )?((?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|am|"
    r"don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|won'?t|wouldn'?t|haven'?t) (?:you|they|he|she|it|we|i|your|that|this|there|things|anyone|anybody)|how (?:many|much|long|old|often))\b")
# Advice asked as a question is still advice.
ADVICE_QUESTION = re.compile(
    r"\b(why don'?t you|why not|have you tried|did you try|(have|did) you (considered|thought about|looked into) (?!what|how|why|whether|that)\w+ing|"
    r"how about (you |trying|talking|going|getting|taking|doing|making|writing|calling|looking|joining|finding|asking)|"
    r"what about (trying|talking|going|getting|doing|calling|asking)|maybe you (could|should|can)|could you (try|maybe)|"
    r"would you consider)\b")


def shape(norm: str) -> Cue | None:
    """A cue from the form of the piece alone: a question and its kind."""
    bare = norm.rstrip(" .!;")
    question = bare.endswith("?")
    bare = bare.rstrip("?").strip()
    opened = OPEN_START.match(bare)
    if opened and (question or len(bare.split()) >= 2):
        return Cue("open_question", 0.85 if question else 0.75, opened.group(0).strip(), "shape")
    closed = CLOSED_START.match(bare) if question else CLOSED_NO_MARK.match(bare)
    if closed and (question or len(bare.split()) <= 10):
        return Cue("closed_question", 0.8 if question else 0.7, closed.group(0).strip(), "shape")
    if question:
        return Cue("closed_question", 0.7, "?", "shape")
    return None


def _short(text: str) -> str:
    """Cues stay short enough to show a trainee: at most eight words."""
    words = text.strip(" ,.;").split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def vetoed(norm: str, lexicon: Lexicon, grams: set[str] | None = None) -> set[str]:
    """Moves a veto rule rules out in this piece (the model may not pick them either)."""
    bare = norm.rstrip(" .!;?")
    grams = trigrams(bare) if grams is None else grams
    return {r.move for r in lexicon.veto_candidates(grams) if r.pattern.search(bare)}


def read(norm: str, lexicon: Lexicon, ruled_out: set[str] | None = None,
         grams: set[str] | None = None) -> Cue | None:
    """The strongest lexicon cue in one normalised piece, after vetoes and question checks."""
    bare = norm.rstrip(" .!;")
    question = bare.endswith("?")
    bare = bare.rstrip("?").rstrip()
    if grams is None:
        grams = trigrams(bare)
    if ruled_out is None:
        ruled_out = vetoed(norm, lexicon, grams)
    best: Cue | None = None
    for rule in lexicon.candidates(grams):
        if rule.move in ruled_out or (best is not None and rule.weight <= best.weight):
            continue
        m = rule.pattern.search(bare)
        if not m:
            continue
        if question and rule.move == "reflection":
            continue          # "you feel stuck?" asks; it does not reflect
        if question and rule.move == "directive_advice" and not ADVICE_QUESTION.search(bare):
            continue          # "should you tell her, do you think?" asks
        best = Cue(rule.move, rule.weight, _short(m.group(0)), "lexicon")
    return best


if __name__ == "__main__":
    print(f"wrote {write_cache()}")
