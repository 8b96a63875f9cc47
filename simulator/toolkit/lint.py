"""`peersim lint`: everything `validate` checks, plus the silent failures.

Validation says whether a file can be used at all. Lint looks at what the file will
*do*: a state no path reaches, a state with no way out, a rule whose conditions can
never hold or that an earlier rule always beats, a placeholder the persona does not
fill, a reply pool so small the client repeats themself, a story beat that never comes
out. Every finding carries a code from `diagnostics.CATALOGUE` and the file, line and
column it is about.

Each check is a small function registered with the codes it reports (`@lint_rule`), for
a tree alone, a persona with its tree, or a persona among the others in its folder;
`lint_tree`, `lint_persona` and `lint_folder` run the registered checks in the order
they are written here. A new check is one more registered function and its entry in
diagnostics.CATALOGUE (tests/test_lint.py keeps the two and docs/diagnostics.md in step).

The analysis is deliberately simple and conservative: it only reports what follows
from the file as written (numbers, names, the order of rules), never guesses about
what a trainee is likely to type. The rules of a tree are read from its rule index
(rules.py) and conditions from the table of conditions (conditions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

from simulator.moves.taxonomy import FAMILIES, MOVE_IDS, family_of
from simulator.scenario import conditions
from simulator.scenario.conditions import Never, level
from simulator.scenario.diagnostics import diagnostic
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.checked import Scenario
from simulator.scenario.folders import kind_of, yaml_files
from simulator.scenario.kinds import guess_kind
from simulator.scenario.loader import is_playtest, load_scenario, load_tree
from simulator.scenario.playtest import check_playtest_file
from simulator.scenario.reach import never_holds, reachable_states, terminal_states
from simulator.scenario.rules import rules_of
from simulator.scenario.schema import FIRST_STEP, Tree
from simulator.scenario.source import SourceMap
from simulator.scenario.validate import PLACEHOLDER, as_list, placeholders_in

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# ------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class LintRule:
    """One check: what it looks at ("tree", "persona" or "folder") and the codes it reports."""

    subject: str
    codes: tuple[str, ...]
    check: Callable[..., Iterable[Problem]]


RULES: list[LintRule] = []


def lint_rule(subject: str, *codes: str):
    """Register a check of a tree, a persona or a folder under the codes it reports."""
    def register(check: Callable[..., Iterable[Problem]]):
        RULES.append(LintRule(subject, codes, check))
        return check
    return register


def registered_codes() -> set[str]:
    return {code for rule in RULES for code in rule.codes}


def _run(subject: str, *context) -> list[Problem]:
    return [p for rule in RULES if rule.subject == subject for p in rule.check(*context)]


class TreeLint:
    """A tree being linted, with what several checks need worked out once."""

    def __init__(self, tree: Tree, smap: SourceMap):
        self.tree, self.smap = tree, smap
        self.index = rules_of(tree)
        self.thresholds = tree.thresholds

    @cached_property
    def never(self) -> list[list[Never]]:
        return [never_holds(self.tree, i, self.thresholds, self.index) for i in range(len(self.tree.transitions))]

    @cached_property
    def reach(self) -> set[str]:
        return reachable_states(self.tree, self.thresholds, self.index, self.never)


# ------------------------------------------------------------------------- a tree alone
def lint_tree(tree: Tree, smap: SourceMap) -> list[Problem]:
    return _run("tree", TreeLint(tree, smap))


@lint_rule("tree", "PS0020", "PS0021", "PS0022", "PS0023", "PS0024")
def conditions_that_never_hold(t: TreeLint) -> list[Problem]:
    return [diagnostic(n.code).at(t.smap, n.loc, f"transition {i + 1}: {n.message}", n.hint)
            for i, reasons in enumerate(t.never) for n in reasons]


@lint_rule("tree", "PS0025")
def hidden_rules(t: TreeLint) -> list[Problem]:
    found = []
    # Earlier live rules, indexed by (move, source) and, for `from: any`, by move: an earlier
    # rule can only hide this one if it shares this rule's first move and first source.
    by_move_source: dict[tuple[str, str], list[int]] = {}
    by_move_any: dict[str, list[int]] = {}
    rules = t.index.rules
    for rule in rules:
        i, moves, sources = rule.index, set(rule.moves), set(rule.sources)
        if moves and sources:
            move, source = min(moves), min(sources)
            for j in sorted(by_move_source.get((move, source), []) + by_move_any.get(move, [])):
                earlier = rules[j]
                if moves <= set(earlier.moves) and (earlier.any_source or sources <= set(earlier.sources)) \
                        and conditions.no_stricter(earlier.when, rule.when, t.thresholds):
                    line = t.smap.locate(("transitions", j))[0]
                    found.append(diagnostic("PS0025").at(
                        t.smap, ("transitions", i),
                        f"transition {i + 1} never fires: transition {j + 1} (line {line}) has the same moves "
                        f"and states, no stricter conditions, and is tried first",
                        "move this transition above the more general one, or give the earlier one a condition"))
                    break
        if not t.never[i]:
            for move in moves:
                if rule.any_source:
                    by_move_any.setdefault(move, []).append(i)
                else:
                    for source in sources:
                        by_move_source.setdefault((move, source), []).append(i)
    return found


@lint_rule("tree", "PS0010")
def unreachable_states(t: TreeLint) -> list[Problem]:
    return [diagnostic("PS0010").at(
        t.smap, ("states", sid), f"no conversation can reach the state '{sid}' from '{t.tree.initial}'",
        f"add a transition with `to: {sid}`, or remove the state", key=True)
        for sid in t.tree.states if sid not in t.reach]


@lint_rule("tree", "PS0011")
def states_with_no_way_out(t: TreeLint) -> list[Problem]:
    found = []
    for sid in t.tree.states:
        if sid in t.index.endings:
            continue
        if not any(r.to != sid and not t.never[r.index] for r in t.index.leaving(sid)):
            found.append(diagnostic("PS0011").at(
                t.smap, ("states", sid), f"once the client is in '{sid}' nothing moves them on, and it is not "
                "an ending", f"add a transition `from: {sid}`, or mark it `ending: left` or `ending: plan`",
                key=True))
    return found


@lint_rule("tree", "PS0012")
def moves_answered_by_default(t: TreeLint) -> list[Problem]:
    found = []
    for sid, state in t.tree.states.items():
        if sid in t.index.endings:
            continue  # the client speaks once there: no repeats to avoid, no pools to miss
        fallback = [m for m in MOVE_IDS if m not in state.replies and family_of(m) not in state.replies]
        if fallback:
            families = sorted({family_of(m) for m in fallback}, key=list(FAMILIES).index)
            found.append(diagnostic("PS0012").at(
                t.smap, ("states", sid, "replies"),
                f"in '{sid}', {len(fallback)} of {len(MOVE_IDS)} moves have no pool of their own and use "
                f"the default lines: {', '.join(fallback)}",
                "add pools for the families that deserve their own answer: " + ", ".join(families), key=True))
    return found


def _kinds_guessed(tree: Tree, smap: SourceMap, shown: int = 6) -> list[Problem]:
    """PS0013: one gentle note for the states that have no `kind:` (their ids are read instead)."""
    guessed = [sid for sid, state in tree.states.items() if state.kind is None]
    if not guessed:
        return []
    names = ", ".join(f"{sid} ({guess_kind(sid)})" for sid in guessed[:shown])
    if len(guessed) > shown:
        names += f" and {len(guessed) - shown} more"
    many = len(guessed) != 1
    return [diagnostic("PS0013").at(
        smap, ("states",), f"{len(guessed)} state{'s have' if many else ' has'} no `kind:`, so peersim guesses "
        f"{'each one' if many else 'it'} from the id: {names}",
        f"add `kind: {guess_kind(guessed[0])}` (or the kind you mean) under '{guessed[0]}'"
        + (", and likewise for the others" if many else ""), key=True)]


def _pool_sizes(smap: SourceMap, pools: dict[str, list[str]], loc: tuple, state: str) -> list[Problem]:
    found = []
    for key, lines in pools.items():
        if len(lines) == 1:
            found.append(diagnostic("PS0032").at(
                smap, loc + (key,), f"the pool '{key}' in '{state}' has one line, so the client says it "
                "word for word every time", key=True))
        elif len(lines) == 2:
            found.append(diagnostic("PS0033").at(
                smap, loc + (key,), f"the pool '{key}' in '{state}' has two lines; a third keeps the client "
                "from sounding scripted", key=True))
    return found


@lint_rule("tree", "PS0032", "PS0033")
def small_tree_pools(t: TreeLint) -> list[Problem]:
    return [p for sid, state in t.tree.states.items() if sid not in t.index.endings
            for p in _pool_sizes(t.smap, state.replies, ("states", sid, "replies"), sid)]


@lint_rule("tree", "PS0013")
def kinds_guessed(t: TreeLint) -> list[Problem]:
    return _kinds_guessed(t.tree, t.smap)


@lint_rule("tree", "PS0043")
def unused_thresholds(t: TreeLint) -> list[Problem]:
    used = {value for rule in t.index.rules for _, value in conditions.named(rule.when, "threshold")}
    return [diagnostic("PS0043").at(
        t.smap, ("thresholds", name), f"no transition uses the threshold '{name}' (a persona's beats may)", key=True)
        for name in t.tree.thresholds if name not in used]


@lint_rule("tree", "PS0050", "PS0051")
def tree_text_traps(t: TreeLint) -> list[Problem]:
    from simulator.toolkit import traps

    return traps.text_traps(t.smap, traps.tree_texts(t.tree))


@lint_rule("tree", "PS0054")
def trap_states(t: TreeLint) -> list[Problem]:
    from simulator.toolkit import traps

    return traps.trap_states(t.tree, t.smap)


# ------------------------------------------------------------------------- a persona with its tree
def beats_that_unlock(scenario: Scenario) -> tuple[set[str], dict[str, str], list[list[str]]]:
    """The beats that can come out, why each other beat cannot, and `after` cycles."""
    persona, tree = scenario.persona, scenario.tree
    thresholds = {**tree.thresholds, **persona.thresholds}
    reach = reachable_states(tree, thresholds) - terminal_states(tree)
    by_id = {b.id: b for b in persona.beats}
    why_not: dict[str, str] = {}
    for beat in persona.beats:
        unlock = beat.unlock
        states = as_list(unlock.at_state)
        needed = level(unlock.rapport_at_least, thresholds)
        if states and not set(states) & reach:
            why_not[beat.id] = (f"it unlocks only in {', '.join(states)}, which no conversation reaches "
                                "(or which ends the session)")
        elif needed is not None and needed > tree.rapport.max:
            why_not[beat.id] = f"it needs rapport {needed}, above the tree's maximum {tree.rapport.max}"
    cycles: list[list[str]] = []
    # Follow `after` chains: a beat waiting on one that never unlocks never unlocks either.
    for beat in persona.beats:
        chain, current = [beat.id], beat.unlock.after
        while current and current in by_id:
            if current in chain:
                cycle = chain[chain.index(current):]
                if sorted(cycle) not in [sorted(c) for c in cycles]:
                    cycles.append(cycle)
                for b in cycle:
                    why_not.setdefault(b, "it waits for beats that wait for it: " + " -> ".join(cycle + [current]))
                break
            if current in why_not:
                why_not.setdefault(beat.id, f"it comes after '{current}', which never unlocks")
                break
            chain.append(current)
            current = by_id[current].unlock.after
    for beat in persona.beats:  # settle chains longer than one step
        after = beat.unlock.after
        if after in why_not and beat.id not in why_not:
            why_not[beat.id] = f"it comes after '{after}', which never unlocks"
    ok = {b.id for b in persona.beats if b.id not in why_not}
    return ok, why_not, cycles


def _point_at(problem: Problem, needle: str, smap: SourceMap) -> Problem:
    """Move the column to `needle` when it stands on the finding's line (a one-line text);
    otherwise keep the start of the text. Read afresh: findings of this kind are few."""
    lines = smap.lines()
    if lines is None:
        return problem
    if 0 < problem.line <= len(lines):
        at = lines[problem.line - 1].find(needle, max(0, problem.column - 1))
        if at >= 0:
            return replace(problem, column=at + 1)
    return problem


class PersonaLint:
    """A persona with its tree being linted, with what several checks need worked out once."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.persona, self.tree = scenario.persona, scenario.tree
        self.pmap, self.tmap = scenario.persona_map, scenario.tree_map
        self.label = f"persona '{self.persona.id}' ({scenario.persona_path})"

    @cached_property
    def beats(self) -> tuple[set[str], dict[str, str], list[list[str]]]:
        return beats_that_unlock(self.scenario)

    @cached_property
    def placeholders(self) -> list[tuple[SourceMap, tuple, str, str]]:
        """(file, place, name, whose lines) for every ${name} in a line the trainee can see."""
        persona, pmap, tmap = self.persona, self.pmap, self.tmap
        texts = [(pmap, ("opening_line",), persona.opening_line, "this persona")]
        texts += [(pmap, ("beats", i, "text"), beat.text, "this persona") for i, beat in enumerate(persona.beats)]
        texts += [(pmap, ("replies", sid, key, j), line, "this persona") for sid, pools in persona.replies.items()
                  for key, lines in pools.items() for j, line in enumerate(lines)]
        texts += [(pmap, ("cues", sid), cue, "this persona") for sid, cue in persona.cues.items()]
        for sid, state in self.tree.states.items():
            if sid not in persona.cues:
                texts.append((tmap, ("states", sid, "cue"), state.cue, self.label))
            texts += [(tmap, ("states", sid, "replies", key, j), line, self.label)
                      for key, lines in state.replies.items() for j, line in enumerate(lines)]
        return [(smap, loc, name, whose) for smap, loc, text, whose in texts for name in placeholders_in(text)]


def lint_persona(scenario: Scenario) -> list[Problem]:
    return _run("persona", PersonaLint(scenario))


@lint_rule("persona", "PS0042")
def rapport_outside_the_range(c: PersonaLint) -> list[Problem]:
    persona, found = c.persona, []
    lo, hi = c.tree.rapport.min, c.tree.rapport.max
    if persona.rapport_start is not None and not lo <= persona.rapport_start <= hi:
        found.append(diagnostic("PS0042").at(
            c.pmap, ("rapport_start",), f"rapport_start {persona.rapport_start} is outside the tree's range "
            f"{lo}..{hi}; the session would start at {max(lo, min(hi, persona.rapport_start))}",
            f"use a number from {lo} to {hi}"))
    for name, value in persona.thresholds.items():
        if not lo <= value <= hi:
            found.append(diagnostic("PS0042").at(
                c.pmap, ("thresholds", name), f"the threshold '{name}' is set to {value}, outside the tree's "
                f"rapport range {lo}..{hi}; rules that need it may never fire", f"use a number from {lo} to {hi}"))
    return found


@lint_rule("persona", "PS0040", "PS0041")
def beats_that_never_come_out(c: PersonaLint) -> list[Problem]:
    _, why_not, cycles = c.beats
    cyclic = {b for cycle in cycles for b in cycle}
    found = []
    for i, beat in enumerate(c.persona.beats):
        if beat.id in cyclic:
            cycle = next(cy for cy in cycles if beat.id in cy)
            found.append(diagnostic("PS0041").at(
                c.pmap, ("beats", i, "unlock", "after"),
                f"the beat '{beat.id}' waits for '{beat.unlock.after}', and the chain of `after:` comes back "
                f"to '{beat.id}' ({' -> '.join(cycle + cycle[:1])}), so none of them can come out"))
        elif beat.id in why_not:
            found.append(diagnostic("PS0040").at(
                c.pmap, ("beats", i, "unlock"), f"the beat '{beat.id}' can never come out: {why_not[beat.id]}"))
    return found


@lint_rule("persona", "PS0026")
def rules_waiting_for_a_silent_beat(c: PersonaLint) -> list[Problem]:
    """Tree rules that need a beat this persona never tells."""
    why_not = c.beats[1]
    path = c.scenario.persona_path
    return [diagnostic("PS0026").at(
        c.tmap, ("transitions", rule.index, "when", "beat_revealed"),
        f"transition {rule.number} needs the beat '{rule.when.beat_revealed}', which never comes out for "
        f"{c.label}, so it never fires", f"fix the beat's unlock in {path}, or use another beat")
        for rule in rules_of(c.tree).rules if rule.when.beat_revealed and rule.when.beat_revealed in why_not]


@lint_rule("persona", "PS0030")
def placeholders_not_filled(c: PersonaLint) -> list[Problem]:
    """Every ${x} in lines the trainee can see must be filled by this persona."""
    defined = {"name", *c.persona.values}
    found = []
    for smap, loc, name, whose in c.placeholders:
        if name not in defined:
            problem = diagnostic("PS0030").at(
                smap, loc, f"'${{{name}}}' is not defined by {whose}; the trainee would see it as written",
                f"add `{name}:` under `values:` in {c.scenario.persona_path}, or "
                + did_you_mean(name, sorted(defined)))
            found.append(_point_at(problem, "${" + name + "}", smap))
    return found


@lint_rule("persona", "PS0031")
def values_not_used(c: PersonaLint) -> list[Problem]:
    used = {name for _, _, name, _ in c.placeholders}
    return [diagnostic("PS0031").at(c.pmap, ("values", name), f"no line uses the value '{name}'",
                                    f"use it in a line as `${{{name}}}`, or remove it", key=True)
            for name in c.persona.values if name not in used]


@lint_rule("persona", "PS0044")
def plan_without_a_step(c: PersonaLint) -> list[Problem]:
    if not any(rule.when.step_named for rule in rules_of(c.tree).rules):
        return []
    persona = c.persona
    step = next((i for i, b in enumerate(persona.beats) if b.id == FIRST_STEP), None)
    if step is not None and FIRST_STEP not in c.beats[1]:
        return []
    return [diagnostic("PS0044").at(
        c.pmap, ("beats", step) if step is not None else ("tree",),
        f"the tree agrees a plan once the client names a first step, but {persona.name}'s beat "
        f"'{FIRST_STEP}' " + ("never comes out" if step is not None else "is missing")
        + ", so a plan is agreed without one")]


@lint_rule("persona", "PS0032", "PS0033")
def small_persona_pools(c: PersonaLint) -> list[Problem]:
    ending = rules_of(c.tree).endings
    return [p for sid, pools in c.persona.replies.items() if sid not in ending
            for p in _pool_sizes(c.pmap, pools, ("replies", sid), sid)]


@lint_rule("persona", "PS0034")
def default_lines_never_said(c: PersonaLint) -> list[Problem]:
    found = []
    for sid, pools in c.persona.replies.items():
        tree_pools = c.tree.states[sid].replies if sid in c.tree.states else {}
        if pools.get("default") and all(tree_pools.get(m) or tree_pools.get(family_of(m)) for m in MOVE_IDS):
            found.append(diagnostic("PS0034").at(
                c.pmap, ("replies", sid, "default"),
                f"the tree answers every move family in '{sid}', so these default lines are never said",
                key=True))
    return found


@lint_rule("persona", "PS0050", "PS0051", "PS0052")
def persona_text_traps(c: PersonaLint) -> list[Problem]:
    from simulator.toolkit import traps

    return traps.text_traps(c.pmap, traps.persona_texts(c.persona), c.persona.values)


@lint_rule("persona", "PS0053")
def states_behind_later_beats(c: PersonaLint) -> list[Problem]:
    from simulator.toolkit import traps

    return traps.beat_order_unreachable(c.tree, c.tmap, c.persona, c.pmap)


@lint_rule("persona", "PS0060", "PS0061", "PS0062")
def behaviour(c: PersonaLint) -> list[Problem]:
    from simulator.toolkit.behaviour import behaviour_checks

    return behaviour_checks(c.scenario)


# ------------------------------------------------------------------------- lines two clients share
SHARED_MIN_WORDS = 4  # "Yeah." and "I guess." are everyone's


def _said(text: str, values: dict[str, str]) -> str:
    filled = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    return " ".join(filled.split()).casefold()


def own_lines(scenario: Scenario) -> list[tuple[tuple, str]]:
    """The lines a persona file gives its client, with where each stands."""
    p = scenario.persona
    out = [(("replies", sid, key, j), line) for sid, pools in p.replies.items()
           for key, lines in pools.items() for j, line in enumerate(lines)]
    out += [(("topics", i, "replies", level, j), line) for i, t in enumerate(p.topics)
            for level, lines in t.replies.items() for j, line in enumerate(lines)]
    out += [(("beats", i, "text"), b.text) for i, b in enumerate(p.beats)]
    return out


def lint_folder(scenario: Scenario, others: list[Scenario]) -> list[Problem]:
    """The checks of a persona against the other personas of its folder."""
    return _run("folder", scenario, others)


@lint_rule("folder", "PS0035")
def shared_lines(scenario: Scenario, others: list[Scenario]) -> list[Problem]:
    """PS0035: this persona's own lines that another persona says word for word, in its own
    lines or through the tree it uses."""
    values = {"name": scenario.persona.name, **scenario.persona.values}
    heard: dict[str, str] = {}
    for other in others:
        o_values = {"name": other.persona.name, **other.persona.values}
        whose = f"{other.persona.name} ({other.persona_path.name}"
        for loc, line in own_lines(other):
            heard.setdefault(_said(line, o_values), f"{whose}:{other.persona_map.locate(loc)[0]})")
        for sid, state in other.tree.states.items():
            for key, lines in state.replies.items():
                for j, line in enumerate(lines):
                    where = other.tree_map.locate(("states", sid, "replies", key, j))[0]
                    heard.setdefault(_said(line, o_values), f"{whose}, through {other.tree_path.name}:{where})")
    found = []
    for loc, line in own_lines(scenario):
        text = _said(line, values)
        if len(text.split()) >= SHARED_MIN_WORDS and text in heard:
            found.append(diagnostic("PS0035").at(
                scenario.persona_map, loc, f"\"{line}\" is also said word for word by {heard[text]}"))
    return found


# ------------------------------------------------------------------------- files and folders
def _sibling_personas(path: Path) -> list[Path]:
    """The personas in the folder beside a tree (../personas), or beside a persona."""
    folder = path.resolve().parent.parent / "personas" if kind_of(path) == "tree" else path.resolve().parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith((".test.yaml", ".test.yml")))


def _coded(problem: Problem) -> Problem:
    """A problem validation found, with the catalogue code its checker gave it."""
    return problem if problem.code else replace(problem, code=problem.validation_code)


def lint_paths(paths: list[str | Path], texts: dict[Path, str] | None = None) -> tuple[list[Path], list[Problem]]:
    """Lint files or folders. Returns the files read and every finding, errors first per file.

    `texts` gives the text of some files (keyed by resolved path) instead of the disk's: an
    editor's unsaved buffers (`peersim lsp`). Such a file need not exist yet. A persona whose
    tree is given as text is checked against that text, so an unsaved tree is checked against
    the personas beside it that use it."""
    texts = texts or {}
    given = [Path(p) for p in paths if Path(p).resolve() in texts]
    files, problems = yaml_files([p for p in paths if Path(p).resolve() not in texts])
    files += given
    problems = [_coded(p) for p in problems]
    trees_done: set[Path] = set()
    personas_done: set[Path] = set()
    loaded: dict[Path, Scenario | ScenarioError] = {}

    def scenario_of(path: Path) -> Scenario:
        """Each persona is loaded once, however many times it comes up."""
        key = path.resolve()
        if key not in loaded:
            try:
                loaded[key] = load_scenario(path, texts.get(key), trees=texts)
            except ScenarioError as exc:
                loaded[key] = exc
        if isinstance(loaded[key], ScenarioError):
            raise loaded[key]
        return loaded[key]

    def loaded_sibling(path: Path) -> Scenario | None:
        try:
            return scenario_of(path)
        except ScenarioError:
            return None

    def do_tree(path: Path) -> None:
        key = path.resolve()
        if key in trees_done:
            return
        trees_done.add(key)
        try:
            tree, smap = load_tree(path, texts.get(key))
        except ScenarioError as exc:
            problems.extend(map(_coded, exc.problems))
            return
        problems.extend(lint_tree(tree, smap))

    def do_persona(path: Path, *, only_in: Path | None = None) -> None:
        """Lint a persona; with `only_in`, keep only the findings in that file (a tree the
        user asked about, checked against a persona they did not name)."""
        key = path.resolve()
        if key in personas_done:
            return
        try:
            scenario = scenario_of(path)
        except ScenarioError as exc:
            if only_in is None:
                personas_done.add(key)
                problems.extend(map(_coded, exc.problems))
            return
        if only_in is None:
            personas_done.add(key)
            do_tree(scenario.tree_path)
            problems.extend(lint_persona(scenario))
            problems.extend(lint_folder(scenario, [o for o in map(loaded_sibling, _sibling_personas(path))
                                                    if o is not None and o.persona_path.resolve() != key]))
        else:
            problems.extend(p for p in lint_persona(scenario) if Path(p.file).resolve() == only_in.resolve())

    for path in files:
        if is_playtest(path):  # named on the command line: check its shape; `peersim test` runs it
            problems.extend(map(_coded, check_playtest_file(path, texts.get(path.resolve()))))
            continue
        if kind_of(path, texts.get(path.resolve())) == "tree":
            do_tree(path)
            # Tree lines are checked against the personas beside it that use it.
            for persona_path in _sibling_personas(path):
                try:
                    uses = scenario_of(persona_path).tree_path.resolve() == path.resolve()
                except ScenarioError:
                    uses = False
                if uses:
                    do_persona(persona_path, only_in=path)
        else:
            do_persona(path)
    return files, _dedupe(problems)


def shown_path(file: str) -> str:
    """A path as the author typed it: relative to the current folder when inside it."""
    path = Path(file)
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return file
    return file


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        p = replace(p, file=shown_path(p.file), message=p.message.replace(str(Path.cwd()) + "/", ""),
                    hint=p.hint.replace(str(Path.cwd()) + "/", ""))
        if p not in seen:
            seen.add(p)
            out.append(p)
    return sorted(out, key=lambda p: (p.file, p.line, p.column, SEVERITY_ORDER.get(p.severity, 3)))


def failed(problems: list[Problem], strict: bool) -> bool:
    """Errors always fail; warnings fail under --strict; info never does."""
    return any(p.severity == "error" or (strict and p.severity == "warning") for p in problems)
