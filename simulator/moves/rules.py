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
from bisect import bisect_left
from itertools import chain
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from re import _constants as _C
from re import _parser as _P

from simulator.moves import patterns
from simulator.moves.model import ASKING_WORDS, OPENING_WORDS
from simulator.moves.segment import QUOTE
from simulator.moves.taxonomy import HARMFUL_MOVES, MOVE_IDS

LEXICON = Path(__file__).with_name("lexicon.yaml")
ENV_VAR = "PEERSIM_LEXICON"


class Rule:
    """One cue rule. The regular expression is compiled on first use, and only tried on
    a piece that holds one of its `keys` (the first 3 or 5 characters of every way the
    pattern can begin; see Lexicon.candidates), so many rules stay fast and quick to load."""

    __slots__ = ("move", "source", "weight", "keys", "starts", "words", "asks", "_flags", "_pattern")

    def __init__(self, move: str, source: str, weight: float, keys: frozenset | None, flags: int,
                 starts: bool = False, words: bool = False, asks: bool = False):
        self.move, self.source, self.weight, self.keys = move, source, weight, keys
        # True for advice that is itself shaped as a question ("don't you think you should",
        # `question: true` in the lexicon): it holds in a question, where a plain advice cue
        # ("you should") does not ("should you tell her, do you think?").
        self.asks = asks
        # True when every match *begins* with one of the keys (not just contains one), so
        # only the places where a key occurs need trying: see Rule.search.
        self.starts = starts and keys is not None
        # True when the key every match holds is always at the start of a word or of the
        # piece, so looking for keys there is enough: see word_grams.
        self.words = words and keys is not None
        self._flags = flags
        self._pattern: re.Pattern | None = None

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = re.compile(self.source, self._flags)
        return self._pattern

    def search(self, text: str, grams: set[str] | None = None) -> re.Match | None:
        """pattern.search(text), given `grams` = trigrams(text). A regular expression that
        begins with \\b and a long alternation is otherwise tried at every position of the
        piece; when every match begins with one of the rule's keys (and the pattern is
        case-sensitive, so the keys are exact), only the places where a key occurs can
        begin a match, and trying those in order finds the same leftmost match."""
        if grams is None or not self.starts or self._flags:
            return self.pattern.search(text)
        hits = self.keys.intersection(grams)
        if not hits:
            return None
        places = set()
        for key in hits:
            if key[0] == START:
                places.add(0)
                continue
            at = text.find(key)
            while at >= 0:
                places.add(at)
                at = text.find(key, at + 1)
        match = self.pattern.match
        for at in sorted(places):
            m = match(text, at)
            if m:
                return m
        return None

    def __repr__(self) -> str:
        return f"Rule({self.move!r}, {self.source[:40]!r}, {self.weight})"


# ------------------------------------------------------------------ trigger keys
_KEY_LIMIT = 800
# Keys are the first 3, 5 or 8 characters of each way a match can begin. Longer keys tell
# rules apart that begin alike ("you said", "you should"): with 8, about a third as many
# rules are tried on a piece as with 5, and nearly all of those tried were no match.
KEY_LENGTHS = (3, 5, 8)
KEY_MIN, KEY_MAX = KEY_LENGTHS[0], KEY_LENGTHS[-1]


START = "^"   # stands for the start of a piece in keys and in trigrams(): "^so " = "begins with 'so '"
_STARTS = (_C.AT_BEGINNING, _C.AT_BEGINNING_STRING)


def _expand(items: list, i: int, acc: str, out: set[str], start: bool = False, bounded: bool = False,
            loose: list | None = None) -> bool:
    """Collect the literal beginnings (up to KEY_MAX characters) of every way `items` can
    match. Returns False when there are too many to be worth it. With `start`, `items`
    begin where the match begins, so a "^" there is kept as START: a rule anchored at
    the beginning of a piece is then only tried on pieces that begin that way. A key
    that may begin anywhere but at the start of a word (not after \\b) goes into `loose`."""
    while i < len(items):
        if len(acc) >= KEY_MAX:
            break
        op, av = items[i]
        if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            if start and not acc and op is _C.AT and av in _STARTS:
                acc = START
            if not acc and op is _C.AT and av is _C.AT_BOUNDARY:
                bounded = True
            i += 1                                   # zero-width: \b, ^, look-arounds
            continue
        if op is _C.LITERAL:
            acc += chr(av).lower()
            i += 1
            continue
        rest = items[i + 1:]
        more = (start, bounded, loose)
        if op is _C.SUBPATTERN:
            return _expand(list(av[-1]) + rest, 0, acc, out, *more)
        if op is _C.BRANCH:
            return all(_expand(list(branch) + rest, 0, acc, out, *more) for branch in av[1])
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            low, high, sub = av
            if low == 0 and high == 1:
                return _expand(list(sub) + rest, 0, acc, out, *more) and _expand(items, i + 1, acc, out, *more)
            if low >= 1:
                return _expand(list(sub), 0, acc, out, *more)
            break
        if op is _C.IN and 0 < len(av) <= 4 and all(o is _C.LITERAL for o, _ in av):
            return all(_expand(items, i + 1, acc + chr(v).lower(), out, *more) for _, v in av)
        break
    out.add(acc)
    if loose is not None and not (acc[:1] == START or (bounded and (acc[:1].isalnum() or acc[:1] == "_"))):
        loose.append(acc)
    return len(out) <= _KEY_LIMIT


def _keys_from(items: list, start: bool, loose: list | None = None) -> frozenset | None:
    out: set[str] = set()
    if not _expand(items, 0, "", out, start, False, loose) or any(len(k) < KEY_MIN for k in out):
        return None
    # Only substrings of KEY_LENGTHS characters of a piece are looked at (see trigrams), so a
    # key of another length is shortened to the next length below.
    return frozenset(k[:max(n for n in KEY_LENGTHS if n <= len(k))] for k in out)


def trigger_keys(parsed) -> frozenset | None:
    """Strings of 3, 5 or 8 characters one of which every match must contain; None if unknown."""
    return rule_keys(parsed)[0]


def rule_keys(parsed) -> tuple[frozenset | None, bool, bool]:
    """(keys, whether every match begins with one of them, and whether the key a match
    holds always begins a word or the piece): see trigger_keys and word_grams.

    The keys are the ways a match can begin. When that is too loose ("\\b(i|we)\\b.{0,15}
    \\b(told|shared)"), the ways a later part of the pattern can begin serve instead:
    every match contains a match of each later part of a sequence too. A choice at the top
    ("^(\\w+ing) ... naive|\\b(i|we) ... told") is keyed branch by branch in the same way."""
    items = list(parsed)
    plain = not (parsed.state.flags & (re.MULTILINE | re.ASCII | re.LOCALE))
    found = _sequence_keys(items, plain)
    if found[0] is None and len(items) == 1 and items[0][0] is _C.BRANCH:
        branches = [_sequence_keys(list(branch), plain) for branch in items[0][1][1]]
        if all(keys is not None for keys, _, _ in branches):
            union = frozenset().union(*(keys for keys, _, _ in branches))
            if len(union) <= _KEY_LIMIT:
                return union, all(s for _, s, _ in branches), all(w for _, _, w in branches)
    return found


def _sequence_keys(items: list, plain: bool) -> tuple[frozenset | None, bool, bool]:
    """rule_keys of a sequence: how it begins, or else how a later part of it begins."""
    loose: list[str] = []
    keys = _keys_from(items, plain, loose)
    if keys is not None:
        return keys, True, plain and not loose
    for i in range(1, len(items)):
        loose = []
        keys = _keys_from(items[i:], False, loose)
        if keys is not None:
            return keys, False, plain and not loose
    return None, False, False


# The 8 characters from the start of each word (fewer at the end of the piece), after
# \\b and a word character as the rules' own \\b reads them: one pass of the engine.
# Each match gives the 8, 5 and 3 characters there (the longer ones only where the piece
# is long enough), so one call of the engine lists every gram.
_WORD_START = re.compile(r"(?=\b(((\w.{2})(?:.{2})?)(?:.{3})?))", re.DOTALL)


def word_grams(text: str) -> set[str]:
    """The substrings of 3, 5 and 8 characters that begin a word or (as START + ...) the
    piece: enough to find the rules whose matches all begin at a word (Rule.words), and
    a few times fewer than trigrams(), which a lexicon with other rules needs. (A word
    near the end of the piece adds a string of another length, which no key is.)"""
    grams = set(chain.from_iterable(_WORD_START.findall(text)))
    grams.add(START + text[:2])
    grams.add(START + text[:4])
    grams.add(START + text[:7])
    return grams


def trigrams(text: str) -> set[str]:
    """Every substring of 3, 5 and 8 characters of START + text: what rule keys are looked up in."""
    text = START + text
    n = len(text)
    return {text[i:i + k] for k in KEY_LENGTHS for i in range(n - k + 1)}


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    vetoes: tuple[Rule, ...]
    files: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "_rule_index", _Index(self.rules))
        object.__setattr__(self, "_veto_index", _Index(self.vetoes))
        object.__setattr__(self, "_both_index", _Index(self.vetoes, self.rules))
        # With only rules whose matches begin at a word, the keys need only be looked for there.
        keyed = [r for r in (*self.rules, *self.vetoes) if r.keys is not None]
        object.__setattr__(self, "grams", word_grams if all(r.words for r in keyed) else trigrams)

    def key_grams(self, text: str) -> set[str]:
        """The grams of `text` that are some rule's key: all that finding and trying the
        rules looks at, and a few times smaller than the grams themselves, so every rule's
        own look-up (Rule.search) intersects with a handful of strings."""
        return self._both_index.keys.intersection(self.grams(text))

    def candidates(self, grams: set[str]) -> list[Rule]:
        """The rules that could match a piece with these substrings, strongest first
        (rules of equal weight in file order)."""
        return self._rule_index.candidates(grams)

    def veto_candidates(self, grams: set[str]) -> list[Rule]:
        return self._veto_index.candidates(grams)

    def both_candidates(self, grams: set[str]) -> tuple[list[Rule], list[Rule]]:
        """(veto candidates, rule candidates) with one look-up: what a reading needs."""
        index = self._both_index
        found = index.indices(grams)
        cut = bisect_left(found, len(self.vetoes))
        rules = index.rules
        return [rules[i] for i in found[:cut]], [rules[i] for i in found[cut:]]


class _Index:
    """Which rules a key can start: one set intersection per piece finds the few rules
    worth trying, instead of asking every rule in turn. Candidates come strongest first
    (ties in file order), so the first rule that matches is the one that wins."""

    def __init__(self, rules: tuple[Rule, ...], after: tuple[Rule, ...] = ()):
        order = sorted(range(len(rules)), key=lambda i: (-rules[i].weight, i))
        self.rules = [rules[i] for i in order]       # strongest first
        if after:                                    # vetoes, then the rules strongest first
            order = sorted(range(len(after)), key=lambda i: (-after[i].weight, i))
            self.rules += [after[i] for i in order]
        self.by_key: dict[str, list[int]] = {}
        self.always = [n for n, r in enumerate(self.rules) if r.keys is None]
        for n, rule in enumerate(self.rules):
            for key in rule.keys or ():
                self.by_key.setdefault(key, []).append(n)
        self.keys = frozenset(self.by_key)

    def indices(self, grams: set[str]) -> list[int]:
        found = set(self.always)
        by_key = self.by_key
        for key in self.keys.intersection(grams):
            found.update(by_key[key])
        return sorted(found)

    def candidates(self, grams: set[str]) -> list[Rule]:
        rules = self.rules
        return [rules[i] for i in self.indices(grams)]


@dataclass(frozen=True)
class Cue:
    move: str
    weight: float
    text: str          # the words that matched, as the trainee can read them
    kind: str          # "lexicon" or "shape"


class LexiconError(ValueError):
    pass


def _compile(entries, where: str, lines=None) -> list[Rule]:
    """Rules from a lexicon's `rules:` or `veto:` list; `lines()` (1-based, one per entry,
    worked out only when needed) lets a refused pattern name its line."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise LexiconError(f"{where}: `rules` and `veto` are lists of {{move, pattern, weight}}")
    if len(entries) > MAX_RULES:
        raise LexiconError(f"{where}: {len(entries):,} rules in one list; a lexicon holds at most {MAX_RULES:,}")
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise LexiconError(f"{where}: rule {i + 1} needs a `move` and a text `pattern`")
        # One pattern may stand for several moves (`move: [judgment, minimizing]`), so a
        # rule shared by them (a veto for reported speech) is written once.
        moves = entry.get("move") if isinstance(entry.get("move"), list) and entry.get("move") else [entry.get("move")]
        for move in moves:
            if not isinstance(move, str) or move not in MOVE_IDS:
                raise LexiconError(f"{where}: rule {i + 1} names an unknown move {move!r}; "
                                   f"known moves: {', '.join(MOVE_IDS)}")
        source = entry["pattern"]
        # Pieces are read in lower case, so a pattern without capitals needs no
        # case-insensitive matching (which is twice as slow); one with capitals gets it.
        flags = re.IGNORECASE if re.sub(r"\\.", "", source) != re.sub(r"\\.", "", source).lower() else 0
        try:
            parsed = _P.parse(source, flags)
        except (re.error, OverflowError, RecursionError) as exc:   # OverflowError: "a{99999999999}"
            raise LexiconError(f"{where}: rule {i + 1} has a broken pattern ({exc})") from None
        slow = patterns.risk(parsed)
        if slow:
            at = f"line {lines()[i]}, " if lines and i < len(lines() or ()) else ""
            raise LexiconError(f"{where}: {at}rule {i + 1}: this pattern could make reading a turn hang ({slow}); "
                               "write the phrases out instead, or bound the repeat, as in .{0,20}") from None
        try:
            weight = float(entry.get("weight", 0.8))
        except (TypeError, ValueError):
            raise LexiconError(f"{where}: rule {i + 1} has a weight that is not a number") from None
        if not 0.0 < weight <= 1.0:
            raise LexiconError(f"{where}: rule {i + 1} needs a weight between 0 and 1")
        asks = entry.get("question", False)
        if not isinstance(asks, bool):
            raise LexiconError(f"{where}: rule {i + 1}: `question` is true or false (true: advice said as a question)")
        keys, starts, words = rule_keys(parsed)
        out.extend(Rule(move, source, weight, keys, flags, starts, words, asks) for move in dict.fromkeys(moves))
    return out


def env_lexicons() -> list[Path]:
    """Extra lexicon files named by PEERSIM_LEXICON, in order."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


MAX_LEXICON_BYTES = 500_000   # the shipped lexicon is a tenth of this
MAX_RULES = 2_000


def _read_file(path: Path) -> tuple[list[Rule], list[Rule]]:
    try:
        if not Path(path).is_file():
            raise LexiconError(f"{path}: not a lexicon file (a plain .yaml file is needed)")
        if Path(path).stat().st_size > MAX_LEXICON_BYTES:
            raise LexiconError(f"{path}: the lexicon is over {MAX_LEXICON_BYTES:,} bytes; split it or check the file")
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: the lexicon is not UTF-8 text; save it as UTF-8") from None
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
    except RecursionError:
        raise LexiconError(f"{path}: the YAML is nested too deeply for a lexicon") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon is a mapping with `rules:` and `veto:`")
    return (_compile(data.get("rules"), str(path), lambda: _entry_lines(text).get("rules")),
            _compile(data.get("veto"), str(path), lambda: _entry_lines(text).get("veto")))


def _entry_lines(text: str) -> dict[str, list[int]]:
    """The line each entry of `rules:` and `veto:` starts on, for messages."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: [item.start_mark.line + 1 for item in value.value]
            for key, value in node.value if isinstance(value, yaml.SequenceNode)}


def _yaml_load(text: str):
    import yaml

    # Lexicon files are untrusted like persona files: a safe loader only, libyaml's where it
    # is installed (a site file is read at every start; the shipped one comes from its cache).
    loader = (yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader)(text)
    try:
        return loader.get_single_data() or {}
    finally:
        loader.dispose()


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

    return hashlib.sha256(f"{text}\n#keys {KEY_LENGTHS} v6".encode("utf-8")).hexdigest()


def _from_cache(text: str) -> tuple[list[Rule], list[Rule]] | None:
    try:
        data = json.loads(LEXICON_CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("sha256") != _digest(text):
        return None

    def build(items):
        return [Rule(m, src, w, frozenset(keys) if keys is not None else None, flags, starts, words, asks)
                for m, src, w, flags, keys, starts, words, asks in items]

    return build(data["rules"]), build(data["veto"])


def write_cache() -> Path:
    text = LEXICON.read_text(encoding="utf-8")
    data = _yaml_load(text)

    def dump(items):
        return [[r.move, r.source, r.weight, r._flags, sorted(r.keys) if r.keys is not None else None, r.starts,
                 r.words, r.asks]
                for r in items]

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
# A question often opens with a word that only takes the floor ("oh, what happened?").
_LEAD = r"(?:(?:oh|ah|aw|hmm|hm|wow|yes|yeah|alright|right|i see|oh no|oh wow|okay so|and so)[,!.]? )?"
OPEN_START = re.compile(
    r"^" + _LEAD + r"(?:and |so,? |but |okay,? |well,? )?(what|how(?! (?:many|much|long|old|often)\b)|why|tell me|talk me|walk me|help me understand|describe|say more|"
    r"in what way|which|where (?:do|would|should|did)|who (?:do|would|could|helps)|i'?m curious|i wonder what|"
    r"i wonder how|i'?d love to hear|"
    # An invitation worded as a yes/no question asks for the client's own words: "can you
    # tell me more?", "would you be up for talking about it?" (docs/labelling.md).
    r"(?:can|could|would|will) (?:you|u) (?:please |maybe |just |possibly )?(?:tell me|say (?:a bit |a little |some |a few words )?more|"
    r"say what|talk (?:me|to me|about|a bit|a little)|walk me|describe|explain|share|help me understand|fill me in|paint|"
    r"give me a sense|put (?:it|that) into words)|would (?:you|u) be (?:up for|willing to|okay|ok|comfortable) "
    r"(?:tell|talk|shar|say|describ|go)\w*|(?:do you|d'?you) (?:want|wanna|feel like|fancy) (?:to )?(?:tell|talk|say|shar|go)\w*|"
    r"wanna (?:tell|talk|say|share)|and then$|"
    # "Is there anything else on your mind?" invites, like "what else is on your mind?";
    # "is there anyone at home?" asks about facts.
    r"is there,? (?:um,? |uh,? |like,? )?(?:anything|something|more\b|any part|a part|a version)|"
    r"anything else (?:you|u|on|going|that|at all)|any(?:thing)? other thoughts)\b")
CLOSED_START = re.compile(
    r"^" + _LEAD + r"(?:and |so,? |but |okay,? )?(do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|shall|"
    r"may|might|am|don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|won'?t|wouldn'?t|haven'?t|when|where|who|how)\b")
# Without a question mark, only an auxiliary followed by its subject asks ("do you feel
# stuck"); "don't be so hard on yourself" is not a question.
CLOSED_NO_MARK = re.compile(
    r"^(?:and |so |but |okay,? )?((?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|am|"
    r"don'?t|doesn'?t|didn'?t|aren'?t|isn'?t|won'?t|wouldn'?t|haven'?t) (?:you|they|he|she|it|we|i|your|that|this|there|things|anyone|anybody)|how (?:many|much|long|old|often))\b")
# Advice asked as a question is still advice.
ADVICE_QUESTION = re.compile(
    r"\b(why don'?t you|why not|have you tried|did you try|promise me|wouldn'?t it be|know what (might|would|could|really) help|"
    r"(have|did) you (considered|thought about|looked into),? (just |simply |maybe |even |like,? )?(?!what|how|why|whether|that)\w+ing|"
    r"(have|did) you (considered|thought about|looked into) (just |maybe |even )?(therapy|counsell?ing|rehab|treatment|"
    r"a therapist|a counsell?or|meds|medication|aa|na|meetings|a meeting|a group|a support group|support groups|a sponsor|"
    r"a doctor|yoga|meditation|journaling|exercise|\w+ing)\b|"
    r"how about (you |trying|talking|going|getting|taking|doing|making|writing|calling|looking|joining|finding|asking)|"
    r"what about (trying|talking|going|getting|doing|calling|asking)|(maybe|perhaps) you (could|should|can|might)|could you (try|maybe)|"
    r"would you consider|do you think it (would|might|could) (help|be (a good idea|helpful|worth|useful|good|better))|"
    r"would it (help|be (helpful|a good idea|worth it)) (to|if you)|is (that|this|it) something you (could|can|might|would)|"
    r"(what|how) about (a|an|some|something like) \w+|maybe (just )?(try|don'?t|do|go|call|get|stop|quit|talk|see|take|start|tell|"
    r"leave|cut|ask|look|write|join|find|switch|skip|avoid|put|keep|give)|what if (you|u) (just|tried|called|told|went|stopped|quit)|"
    r"don'?t you (think|reckon))\b")


# A reflective statement said with a rising tone gives the client's words back: "so you
# feel he doesn't listen?" is listening, not a question about facts (issue 11). What tells
# them apart is word order: a statement keeps its subject first ("he hasn't called since?",
# "your mum doesn't know?"); a question puts the auxiliary first ("has he called since?").
_OPENER = r"^(?:(?:so|and|okay|ok|oh|yeah|right|mm|hmm|wow|basically|like|um|uh|i mean),? ){0,3}"
_FINITE = (r"(?:'s|'re|'ve|'d|'ll| is| was| are| were| has| have| had| hasn'?t| haven'?t| doesn'?t| don'?t| didn'?t|"
           r" won'?t| can'?t| couldn'?t| wouldn'?t| isn'?t| wasn'?t| never| still| keeps| kept| just| always| feels|"
           r" felt| seems| seemed| wants| wanted| thinks| thought| said| says| left| made| makes| hates| loves| knows| been| got|"
           r" gets| getting| gone| going)\b")
RISING_REFLECTION = re.compile(
    _OPENER + r"(you feel|you'?re feeling|you'?re|you are|you'?ve|you have been|you were|you want|you wanted|"
    r"you don'?t|you didn'?t|you can'?t|you couldn'?t|you won'?t|you haven'?t|you think|you thought|you wish|you'?d|"
    r"you miss|you need|you needed|you still|you really|you never|you felt|you hate|you worry|you blame|you regret|"
    r"you keep|you kept|you kind of|you sort of|you almost|you always|you just|you know that|you believe|you mean|"
    r"sounds like|it sounds like|it seems like|seems like|part of you|some part of you|like you'?re|it feels like|"
    r"feels like|what i'?m hearing is|i'?m hearing|i guess what i'?m hearing|"
    r"you (?:two|both|guys|all)\b|you (?:\w+ed|went|told|said|left|lost|found|saw|came|took|gave|broke|quit|kept|made|ran|"
    r"spent|heard|met|forgot|fell|threw|sold|stopped|began|wrote|drove|slept|ate|drank|paid|built|caught|chose|sent)\b|"
    r"(?:(?:your|his|her|their|the|my) \w+|he|she|they|it|that|there|this|things|nobody|no one|everyone|everybody|"
    r"everything|nothing|someone|somebody|people)(?: \w+){0,3}?" + _FINITE + r")")
# Said back without its subject, a feeling is still a reflection ("torn between the two?",
# "scared it'll happen again?"); a question opens with its auxiliary or a question word.
_FEELING = re.compile(r"\b(torn|scared|afraid|frightened|angry|mad|furious|sad|relieved|relief|hard|tough|lonely|alone|stuck|"
                      r"tired|exhausted|drained|overwhelmed|guilty|ashamed|embarrassed|frustrated|hurt|nervous|worried|anxious|"
                      r"confused|lost|hopeless|helpless|numb|empty|jealous|resentful|betrayed|abandoned|trapped|unsure|"
                      r"conflicted|heartbroken|gutted|fed up|sick of|tired of|proud|hopeful|excited|bitter|raw|on edge|feeling like)\b")
_ASKS_FIRST = re.compile(r"^(?:(?:" + "|".join(sorted(OPENING_WORDS)) + r"),? )?(?:"
                         + "|".join(sorted(ASKING_WORDS, key=len, reverse=True)) + r"|any|anything|anyone|or|\w+n'?t)\b")
# A short check-in in statement order still asks ("you okay?", "that alright?").
_CHECK_IN = re.compile(r"^(?:you|you'?re|that'?s|that|it'?s|it) (?:ok|okay|alright|all right|good|sure|there|here|"
                       r"around|free|up|awake|home|safe|with me|still there|fine)$")
# A question with its auxiliary left off, as people type and talk ("u need anything?", "you
# think that'll help?"): it asks, though its words could begin a reflection ("you want him
# to notice?"). "You want to talk about it?" invites, as "do you want to...?" does.
_INVITE = r"you (?:want|fancy|feel like) (?:to )?(?:talk|tell|chat|share|say|go over|vent)\b"
ELIDED_INVITE = re.compile(_OPENER + _INVITE)
ELIDED_ASK = re.compile(
    _OPENER + r"(?:" + _INVITE + r"|you (?:(?:want|fancy) (?:to )?(?:try|grab|come)\b|"
    r"(?:need|want|got|have) (?:anything|something|any|some|somewhere|someone|anyone|anywhere|plans|a (?:hand|break|minute|sec|second|moment|drink|lift|ride|place|plan)|help|me to)\b|"
    r"(?:think|reckon) (?:that|it|this|he|she|they|you|things)(?:'ll| will| would| could| might| can|'d| is going to| are going to)))")
AUX_START = re.compile(r"^(?:and |so |but |okay,? )?(do|does|did|are|is|was|were|have|has|had|can|could|would|will|"
                       r"should|shall|may|might|am)\b")


def shape(norm: str) -> Cue | None:
    """A cue from the form of the piece alone: a question and its kind, or a reflection
    said with a rising tone."""
    bare = norm.rstrip(" .!;")
    question = bare.endswith("?")
    bare = bare.rstrip("?").strip()
    if question:
        rising = RISING_REFLECTION.match(bare)
        if rising and len(bare.split()) >= 2 and not _CHECK_IN.match(bare) and not ELIDED_ASK.match(bare):
            return Cue("reflection", 0.8, rising.group(0).strip(" ,") + " …?", "shape")
        feeling = None if _ASKS_FIRST.match(bare) or len(bare.split()) > 12 else _FEELING.search(bare)
        if feeling:
            return Cue("reflection", 0.75, feeling.group(0) + " …?", "shape")
    opened = OPEN_START.match(bare) or (ELIDED_INVITE.match(bare) if question else None)
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
    exact = trigrams(bare) if grams is None else None      # grams handed in may be of other text
    return set(_vetoed(bare, lexicon.veto_candidates(grams or exact), exact))


def _vetoed(bare: str, candidates: list[Rule], grams: set[str] | None) -> dict[str, int]:
    """The moves vetoed in `bare`, each with where its (first found) veto's words end."""
    # A veto written once for several moves is several Rules with one pattern: search it once.
    found: dict[str, re.Match | None] = {}
    out: dict[str, int] = {}
    for r in candidates:
        if r.source not in found:
            found[r.source] = r.search(bare, grams)
        m = found[r.source]
        if m is not None and r.move not in out:
            out[r.move] = m.end()
    return out


# A veto covers the words it names, not a verdict the helper adds after a "but": in "you
# feel like your mum doesn't get it, but you're being a bit selfish" the client's feeling
# is given back, then judged. ("Still" only as a sentence adverb, "still, ...": "you still
# have a roof" contrasts nothing.)
_CONTRAST = re.compile(r"\b(but|though|tho|however|still(?=,)|(?<=, )still|^still|to be fair|that said|having said that|"
                       r"mind you|even so|and yet|although)\b")


def read(norm: str, lexicon: Lexicon, ruled_out: set[str] | None = None,
         grams: set[str] | None = None) -> Cue | None:
    """The strongest lexicon cue in one normalised piece, after vetoes and question checks."""
    bare = norm.rstrip(" .!;")
    exact = trigrams(bare.rstrip("?").rstrip()) if grams is None else None
    if ruled_out is None:
        ruled_out = vetoed(norm, lexicon, grams)
    return _strongest(bare, lexicon.candidates(grams if grams is not None else exact), ruled_out, exact)


def read_piece(norm: str, lexicon: Lexicon) -> tuple[set[str], Cue | None]:
    """(the moves vetoed, the strongest cue) of one normalised piece: vetoed() and read()
    together, with the candidate rules of both found in one look-up."""
    bare = norm.rstrip(" .!;?")
    grams = lexicon.key_grams(bare)
    veto_rules, cue_rules = lexicon.both_candidates(grams)
    vetoes = _vetoed(bare, veto_rules, grams)
    ruled_out = set(vetoes)
    cue_text = norm.rstrip(" .!;")
    # The cue rules read the piece without its final "?" (and the spaces before it): in
    # all but odd cases ("so?!") that is the text the grams were taken from.
    same = cue_text.rstrip("?").rstrip() == bare
    after = vetoes if vetoes and _CONTRAST.search(bare) else None
    cue = _strongest(cue_text, cue_rules, ruled_out, grams if same else None, after)
    if cue is not None:
        ruled_out.discard(cue.move)     # a harmful verdict after a "but" (see _CONTRAST)
    return ruled_out, cue


# A spoken statement often ends in a tag ("..., you know?", "..., okay?"): the question mark
# then asks for agreement, not for an answer, so advice said that way is still advice.
_TAG = re.compile(r"[,\s](you know|ya know|y'?know|okay|ok|yeah|right|alright|no|yes|don'?t you think|isn'?t it|ken|eh|aye|"
                  r"innit|mate|hen|pet|love)\?$")




# A kind opener and harm in one piece ("sorry, but you're your own worst enemy", "that
# sounds hard, but everyone has a rough first month", "it's up to you, but I'd tell your
# boss"): the client hears the harm, as in a turn of several pieces (docs/recogniser.md,
# "The primary move").
_KIND_OPENERS = frozenset(("repair", "affirmation", "greeting", "other", "autonomy_support"))
# A reflection gives the client's words back, and those may hold a harmful move's words
# ("it sounds like you feel you should have known"): a harmful cue after one counts only
# past a contrast ("I can see you're upset, but you brought this on yourself").
_OPENS_BEFORE_A_CONTRAST = frozenset(("reflection",))


def _strongest(bare: str, candidates: list[Rule], ruled_out: set[str], grams: set[str] | None,
               after: dict[str, int] | None = None) -> Cue | None:
    """`after`: the vetoes of a piece that holds a contrast ("but"), each with where its
    words end; a harmful cue after the contrast is not covered by them."""
    # "Do I have that right?" asks, whatever its last word: only a statement has a tag, and
    # a question in the asking order (an auxiliary, then its subject) is no statement.
    question = bare.endswith("?") and (not _TAG.search(bare) or CLOSED_NO_MARK.match(bare) is not None)
    bare = bare.rstrip("?").rstrip()
    # Candidates come strongest first, so the first that matches (and is not ruled out)
    # is the strongest cue: weaker rules need not be tried at all, unless it is a kind
    # opener, after which a harmful cue later in the piece is looked for.
    opener = None
    # Words in quotation marks are someone's words given back ("your mum's like, "you're not
    # trying hard enough""): a harmful cue inside them is not the helper's own move.
    quoted = [q.span() for q in QUOTE.finditer(bare)] if '"' in bare else ()
    for rule in candidates:
        if opener is not None and rule.move not in HARMFUL_MOVES:
            continue
        if rule.move in ruled_out and not (after and rule.move in after and rule.move in HARMFUL_MOVES):
            continue
        m = rule.search(bare, grams)
        if not m:
            continue
        if quoted and rule.move in HARMFUL_MOVES and any(a <= m.start() and m.end() <= b for a, b in quoted):
            continue
        if rule.move in ruled_out and not _CONTRAST.search(bare, after[rule.move], max(m.start(), after[rule.move])):
            continue
        if question and rule.move in ("reflection", "affirmation") and (AUX_START.match(bare) or ELIDED_ASK.match(bare)):
            continue          # "do you feel stuck?", "do I understand that right?" ask; "you feel stuck?" reflects
        if question and rule.move == "directive_advice" and not rule.asks and not ADVICE_QUESTION.search(bare):
            continue          # "should you tell her, do you think?" asks
        if opener is not None:
            if m.start() >= opener[1] and (opener[0].move not in _OPENS_BEFORE_A_CONTRAST
                                           or _CONTRAST.search(bare, opener[1], m.start())):
                return Cue(rule.move, rule.weight, _short(m.group(0)), "lexicon")
            continue
        cue = Cue(rule.move, rule.weight, _short(m.group(0)), "lexicon")
        opens = rule.move in _KIND_OPENERS or (rule.move in _OPENS_BEFORE_A_CONTRAST and _CONTRAST.search(bare, m.end()))
        if not opens:
            return cue
        opener = (cue, m.end())
    return opener[0] if opener is not None else None


if __name__ == "__main__":
    print(f"wrote {write_cache()}")
