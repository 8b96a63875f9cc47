"""`peersim lint`: everything `validate` checks, plus the silent failures.

Validation says whether a file can be used at all. Lint looks at what the file will
*do*: a state no path reaches, a state with no way out, a rule whose conditions can
never hold or that an earlier rule always beats, a placeholder the persona does not
fill, a reply pool so small the client repeats themself, a story beat that never comes
out. Every finding carries a code from `diagnostics.CATALOGUE` and the file, line and
column it is about.

The analysis is deliberately simple and conservative: it only reports what follows
from the file as written (numbers, names, the order of rules), never guesses about
what a trainee is likely to type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from simulator.moves.taxonomy import FAMILIES, MOVE_IDS, family_of
from simulator.scenario.diagnostics import classify, diagnostic
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.checked import Scenario
from simulator.scenario.folders import kind_of, yaml_files
from simulator.scenario.kinds import guess_kind
from simulator.scenario.loader import is_playtest, load_scenario, load_tree
from simulator.scenario.playtest import check_playtest_file
from simulator.scenario.schema import FIRST_STEP, Conditions, Transition, Tree
from simulator.scenario.source import SourceMap
from simulator.scenario.validate import PLACEHOLDER, as_list, placeholders_in

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# ------------------------------------------------------------------------- small helpers
def moves_of(tr: Transition) -> set[str]:
    moves = as_list(tr.move)
    return set(MOVE_IDS) if "any" in moves else set(moves)


def sources_of(tr: Transition, tree: Tree) -> set[str]:
    sources = as_list(tr.from_)
    return set(tree.states) if "any" in sources else set(sources)


def terminal_states(tree: Tree) -> set[str]:
    return {sid for sid, st in tree.states.items() if st.ending}


def _level(value: int | str | None, thresholds: dict[str, int]) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return thresholds.get(value)


def _shown(value: int | str, thresholds: dict[str, int]) -> str:
    return f"'{value}' ({thresholds[value]})" if isinstance(value, str) and value in thresholds else str(value)


class TreeIndex:
    """Facts about a tree computed once, so lint stays fast on trees of thousands of states."""

    def __init__(self, tree: Tree):
        self.tree = tree
        self.ending = terminal_states(tree)
        self.moves = [moves_of(tr) for tr in tree.transitions]
        self.from_any = ["any" in as_list(tr.from_) for tr in tree.transitions]
        self.leaving: dict[str, list[int]] = {}  # explicit sources only; see rules_from()
        self.any_rules = [i for i, flag in enumerate(self.from_any) if flag]
        for i, tr in enumerate(tree.transitions):
            if not self.from_any[i]:
                for source in dict.fromkeys(as_list(tr.from_)):
                    self.leaving.setdefault(source, []).append(i)

    def rules_from(self, state: str) -> list[int]:
        return sorted(self.leaving.get(state, []) + self.any_rules)

    def sources(self, index: int) -> set[str]:
        return set(self.tree.states) if self.from_any[index] else set(as_list(self.tree.transitions[index].from_))


@dataclass
class Never:
    """One reason a transition's conditions can never hold."""

    code: str
    loc: tuple
    message: str
    hint: str = ""


def never_holds(tree: Tree, index: int, thresholds: dict[str, int], facts: TreeIndex | None = None) -> list[Never]:
    """Why transition `index` can never fire, judged from the tree alone (no persona)."""
    facts = facts or TreeIndex(tree)
    tr = tree.transitions[index]
    w: Conditions = tr.when
    loc = ("transitions", index, "when")
    lo, hi = tree.rapport.min, tree.rapport.max
    out: list[Never] = []
    least, most = _level(w.rapport_at_least, thresholds), _level(w.rapport_at_most, thresholds)
    if least is not None and least > hi:
        out.append(Never("PS0020", loc + ("rapport_at_least",),
                         f"this rule needs rapport at least {_shown(w.rapport_at_least, thresholds)}, "
                         f"but rapport never goes above {hi}",
                         f"use a level from {lo} to {hi}, or raise `rapport.max`"))
    if most is not None and most < lo:
        out.append(Never("PS0020", loc + ("rapport_at_most",),
                         f"this rule needs rapport at most {_shown(w.rapport_at_most, thresholds)}, "
                         f"but rapport never goes below {lo}",
                         f"use a level from {lo} to {hi}, or lower `rapport.min`"))
    if least is not None and most is not None and least > most:
        out.append(Never("PS0021", loc + ("rapport_at_least",),
                         f"rapport can't be at least {least} and at most {most} at once",
                         "swap the two numbers, or remove one"))
    if w.turn_at_least is not None and w.turn_at_most is not None and w.turn_at_least > w.turn_at_most:
        out.append(Never("PS0021", loc + ("turn_at_least",),
                         f"a turn can't be turn {w.turn_at_least} or later and turn {w.turn_at_most} or "
                         "earlier at once", "swap the two numbers, or remove one"))
    if w.count and w.count.at_least is not None and w.count.at_most is not None \
            and w.count.at_least > w.count.at_most:
        out.append(Never("PS0021", loc + ("count",),
                         f"'{w.count.move}' can't be counted at least {w.count.at_least} and at most "
                         f"{w.count.at_most} times at once", "swap the two numbers, or remove one"))
    if w.beat_revealed and w.beat_revealed == w.beat_not_revealed:
        out.append(Never("PS0021", loc + ("beat_revealed",),
                         f"the beat '{w.beat_revealed}' can't be both told and not told",
                         "keep one of beat_revealed and beat_not_revealed"))
    if w.streak and w.streak.move not in moves_of(tr):
        out.append(Never("PS0022", loc + ("streak", "move"),
                         f"this rule fires on {_move_words(tr)}, so a streak of '{w.streak.move}' "
                         "can never be complete when it is tried",
                         f"trigger it on `move: {w.streak.move}`, or use `count:` instead of `streak:`"))
    sources = facts.sources(index)
    ending = facts.ending
    if sources and sources <= ending:
        out.append(Never("PS0023", ("transitions", index, "from"),
                         f"this rule starts from an ending ({', '.join(sorted(sources))}); "
                         "the session is over there, so it is never tried",
                         "remove it, or remove `ending:` from that state"))
    if w.previous_state:
        into = {tree.transitions[j].to for j in facts.rules_from(w.previous_state)} - {w.previous_state}
        if not (into & sources):
            out.append(Never("PS0024", loc + ("previous_state",),
                             f"no rule leads from '{w.previous_state}' to "
                             f"{' or '.join(sorted(sources))}, so '{w.previous_state}' can never be the "
                             "state before", "name a state that has a transition into the `from` state"))
    return out


def _move_words(tr: Transition) -> str:
    moves = as_list(tr.move)
    return "any move" if "any" in moves else ", ".join(moves)


def reachable_states(tree: Tree, thresholds: dict[str, int] | None = None, facts: TreeIndex | None = None,
                     never: list[list[Never]] | None = None) -> set[str]:
    """States some chain of possible transitions leads to from `initial` (conditions that
    can never hold are left out; every other condition is assumed to hold sometime)."""
    thresholds = tree.thresholds if thresholds is None else thresholds
    facts = facts or TreeIndex(tree)
    if never is None:
        never = [never_holds(tree, i, thresholds, facts) for i in range(len(tree.transitions))]
    seen, todo = {tree.initial}, [tree.initial]
    while todo:
        state = todo.pop()
        if state in facts.ending:
            continue  # the session is over there
        for i in facts.rules_from(state):
            dest = tree.transitions[i].to
            if not never[i] and dest not in seen and dest in tree.states:
                seen.add(dest)
                todo.append(dest)
    return seen


def _weaker(a: Conditions, b: Conditions, thresholds: dict[str, int]) -> bool:
    """True when every condition `a` sets is implied by `b`'s (so `a` holds whenever `b` does)."""
    for name in a.model_dump(exclude_none=True):
        av, bv = getattr(a, name), getattr(b, name)
        if bv is None:
            return False
        if name in ("rapport_at_least", "rapport_at_most"):
            al, bl = _level(av, thresholds), _level(bv, thresholds)
            if al is None or bl is None:
                return False
            if (name == "rapport_at_least" and al > bl) or (name == "rapport_at_most" and al < bl):
                return False
        elif name == "turn_at_least":
            if av > bv:
                return False
        elif name == "turn_at_most":
            if av < bv:
                return False
        elif av != bv:
            return False
    return True


# ------------------------------------------------------------------------- a tree alone
def lint_tree(tree: Tree, smap: SourceMap) -> list[Problem]:
    found: list[Problem] = []
    facts = TreeIndex(tree)
    ending = facts.ending
    thresholds = tree.thresholds
    never = [never_holds(tree, i, thresholds, facts) for i in range(len(tree.transitions))]

    # Earlier live rules, indexed by (move, source) and, for `from: any`, by move: an earlier
    # rule can only hide this one if it shares this rule's first move and first source.
    by_move_source: dict[tuple[str, str], list[int]] = {}
    by_move_any: dict[str, list[int]] = {}
    for i, tr in enumerate(tree.transitions):
        for n in never[i]:
            found.append(diagnostic(n.code).at(smap, n.loc, f"transition {i + 1}: {n.message}", n.hint))
        moves, sources = facts.moves[i], facts.sources(i)
        if moves and sources:
            move, source = min(moves), min(sources)
            candidates = sorted(by_move_source.get((move, source), []) + by_move_any.get(move, []))
            for j in candidates:
                if moves <= facts.moves[j] and (facts.from_any[j] or sources <= facts.sources(j)) \
                        and _weaker(tree.transitions[j].when, tr.when, thresholds):
                    line = smap.locate(("transitions", j))[0]
                    found.append(diagnostic("PS0025").at(
                        smap, ("transitions", i),
                        f"transition {i + 1} never fires: transition {j + 1} (line {line}) has the same moves "
                        f"and states, no stricter conditions, and is tried first",
                        "move this transition above the more general one, or give the earlier one a condition"))
                    break
        if not never[i]:
            for move in moves:
                if facts.from_any[i]:
                    by_move_any.setdefault(move, []).append(i)
                else:
                    for source in sources:
                        by_move_source.setdefault((move, source), []).append(i)

    reach = reachable_states(tree, thresholds, facts, never)
    for sid in tree.states:
        if sid not in reach:
            found.append(diagnostic("PS0010").at(
                smap, ("states", sid), f"no conversation can reach the state '{sid}' from '{tree.initial}'",
                f"add a transition with `to: {sid}`, or remove the state", key=True))
    for sid in tree.states:
        if sid in ending:
            continue
        leaves = [i for i in facts.rules_from(sid) if tree.transitions[i].to != sid and not never[i]]
        if not leaves:
            found.append(diagnostic("PS0011").at(
                smap, ("states", sid), f"once the client is in '{sid}' nothing moves them on, and it is not "
                "an ending", f"add a transition `from: {sid}`, or mark it `ending: left` or `ending: plan`",
                key=True))

    for sid, state in tree.states.items():
        if sid in ending:
            continue  # the client speaks once there: no repeats to avoid, no pools to miss
        fallback = [m for m in MOVE_IDS if m not in state.replies and family_of(m) not in state.replies]
        if fallback:
            families = sorted({family_of(m) for m in fallback}, key=list(FAMILIES).index)
            found.append(diagnostic("PS0012").at(
                smap, ("states", sid, "replies"),
                f"in '{sid}', {len(fallback)} of {len(MOVE_IDS)} moves have no pool of their own and use "
                f"the default lines: {', '.join(fallback)}",
                "add pools for the families that deserve their own answer: " + ", ".join(families), key=True))
        found += _pool_sizes(smap, state.replies, ("states", sid, "replies"), sid)

    found += _kinds_guessed(tree, smap)

    used = set()
    for tr in tree.transitions:
        for name in ("rapport_at_least", "rapport_at_most"):
            value = getattr(tr.when, name)
            if isinstance(value, str):
                used.add(value)
    for name in tree.thresholds:
        if name not in used:
            found.append(diagnostic("PS0043").at(
                smap, ("thresholds", name), f"no transition uses the threshold '{name}' (a persona's beats may)",
                key=True))
    found += tree_traps(tree, smap)
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
        level = _level(unlock.rapport_at_least, thresholds)
        if states and not set(states) & reach:
            why_not[beat.id] = (f"it unlocks only in {', '.join(states)}, which no conversation reaches "
                                "(or which ends the session)")
        elif level is not None and level > tree.rapport.max:
            why_not[beat.id] = f"it needs rapport {level}, above the tree's maximum {tree.rapport.max}"
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


def lint_persona(scenario: Scenario) -> list[Problem]:
    persona, tree = scenario.persona, scenario.tree
    pmap, tmap = scenario.persona_map, scenario.tree_map
    found: list[Problem] = []
    lo, hi = tree.rapport.min, tree.rapport.max
    label = f"persona '{persona.id}' ({scenario.persona_path})"

    if persona.rapport_start is not None and not lo <= persona.rapport_start <= hi:
        found.append(diagnostic("PS0042").at(
            pmap, ("rapport_start",), f"rapport_start {persona.rapport_start} is outside the tree's range "
            f"{lo}..{hi}; the session would start at {max(lo, min(hi, persona.rapport_start))}",
            f"use a number from {lo} to {hi}"))
    for name, value in persona.thresholds.items():
        if not lo <= value <= hi:
            found.append(diagnostic("PS0042").at(
                pmap, ("thresholds", name), f"the threshold '{name}' is set to {value}, outside the tree's "
                f"rapport range {lo}..{hi}; rules that need it may never fire", f"use a number from {lo} to {hi}"))

    ok, why_not, cycles = beats_that_unlock(scenario)
    cyclic = {b for c in cycles for b in c}
    for i, beat in enumerate(persona.beats):
        if beat.id in cyclic:
            cycle = next(c for c in cycles if beat.id in c)
            found.append(diagnostic("PS0041").at(
                pmap, ("beats", i, "unlock", "after"),
                f"the beat '{beat.id}' waits for '{beat.unlock.after}', and the chain of `after:` comes back "
                f"to '{beat.id}' ({' -> '.join(cycle + cycle[:1])}), so none of them can come out"))
        elif beat.id in why_not:
            found.append(diagnostic("PS0040").at(
                pmap, ("beats", i, "unlock"), f"the beat '{beat.id}' can never come out: {why_not[beat.id]}"))

    # Tree rules that need a beat this persona never tells.
    for i, tr in enumerate(tree.transitions):
        value = tr.when.beat_revealed
        if value and value in why_not:
            found.append(diagnostic("PS0026").at(
                tmap, ("transitions", i, "when", "beat_revealed"),
                f"transition {i + 1} needs the beat '{value}', which never comes out for {label}, "
                "so it never fires", f"fix the beat's unlock in {scenario.persona_path}, or use another beat"))

    # Placeholders: every ${x} in lines the trainee can see must be filled by this persona.
    defined = {"name", *persona.values}
    used: set[str] = set()

    def check_text(smap: SourceMap, loc: tuple, text: str, whose: str) -> None:
        for name in placeholders_in(text):
            used.add(name)
            if name not in defined:
                problem = diagnostic("PS0030").at(
                    smap, loc, f"'${{{name}}}' is not defined by {whose}; the trainee would see it as written",
                    f"add `{name}:` under `values:` in {scenario.persona_path}, or "
                    + did_you_mean(name, sorted(defined)))
                found.append(_point_at(problem, "${" + name + "}", smap))

    for field_name in ("opening_line",):
        check_text(pmap, (field_name,), getattr(persona, field_name), "this persona")
    for i, beat in enumerate(persona.beats):
        check_text(pmap, ("beats", i, "text"), beat.text, "this persona")
    for sid, pools in persona.replies.items():
        for key, lines in pools.items():
            for j, line in enumerate(lines):
                check_text(pmap, ("replies", sid, key, j), line, "this persona")
    for sid, cue in persona.cues.items():
        check_text(pmap, ("cues", sid), cue, "this persona")
    for sid, state in tree.states.items():
        if sid not in persona.cues:
            check_text(tmap, ("states", sid, "cue"), state.cue, label)
        for key, lines in state.replies.items():
            for j, line in enumerate(lines):
                check_text(tmap, ("states", sid, "replies", key, j), line, label)
    for name in persona.values:
        if name not in used:
            found.append(diagnostic("PS0031").at(
                pmap, ("values", name), f"no line uses the value '{name}'",
                f"use it in a line as `${{{name}}}`, or remove it", key=True))

    if any(tr.when.step_named for tr in tree.transitions):
        step = next((i for i, b in enumerate(persona.beats) if b.id == FIRST_STEP), None)
        if step is None or FIRST_STEP in why_not:
            found.append(diagnostic("PS0044").at(
                pmap, ("beats", step) if step is not None else ("tree",),
                f"the tree agrees a plan once the client names a first step, but {persona.name}'s beat "
                f"'{FIRST_STEP}' " + ("never comes out" if step is not None else "is missing")
                + ", so a plan is agreed without one"))

    ending = terminal_states(tree)
    for sid, pools in persona.replies.items():
        if sid not in ending:
            found += _pool_sizes(pmap, pools, ("replies", sid), sid)
        tree_pools = tree.states[sid].replies if sid in tree.states else {}
        if pools.get("default") and all(tree_pools.get(m) or tree_pools.get(family_of(m)) for m in MOVE_IDS):
            found.append(diagnostic("PS0034").at(
                pmap, ("replies", sid, "default"),
                f"the tree answers every move family in '{sid}', so these default lines are never said",
                key=True))
    found += persona_traps(scenario)
    return found


def tree_traps(tree: Tree, smap: SourceMap) -> list[Problem]:
    from simulator.toolkit import traps

    return traps.text_traps(smap, traps.tree_texts(tree)) + traps.trap_states(tree, smap)


def persona_traps(scenario: Scenario) -> list[Problem]:
    from simulator.toolkit import traps

    persona = scenario.persona
    from simulator.toolkit.behaviour import behaviour_checks

    return (traps.text_traps(scenario.persona_map, traps.persona_texts(persona), persona.values)
            + traps.beat_order_unreachable(scenario.tree, scenario.tree_map, persona, scenario.persona_map)
            + behaviour_checks(scenario))


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


def lint_paths(paths: list[str | Path], texts: dict[Path, str] | None = None) -> tuple[list[Path], list[Problem]]:
    """Lint files or folders. Returns the files read and every finding, errors first per file.

    `texts` gives the text of some files (keyed by resolved path) instead of the disk's: an
    editor's unsaved buffers (`peersim lsp`). Such a file need not exist yet. A tree given as
    text is not checked against the personas beside it: they load the saved tree."""
    texts = texts or {}
    given = [Path(p) for p in paths if Path(p).resolve() in texts]
    files, problems = yaml_files([p for p in paths if Path(p).resolve() not in texts])
    files += given
    problems = [classify(p) for p in problems]
    trees_done: set[Path] = set()
    personas_done: set[Path] = set()
    loaded: dict[Path, Scenario | ScenarioError] = {}

    def scenario_of(path: Path) -> Scenario:
        """Each persona is loaded once, however many times it comes up."""
        key = path.resolve()
        if key not in loaded:
            try:
                loaded[key] = load_scenario(path, texts.get(key))
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
            problems.extend(classify(p) for p in exc.problems)
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
                problems.extend(classify(p) for p in exc.problems)
            return
        if only_in is None:
            personas_done.add(key)
            do_tree(scenario.tree_path)
            problems.extend(lint_persona(scenario))
            problems.extend(shared_lines(scenario, [o for o in map(loaded_sibling, _sibling_personas(path))
                                                    if o is not None and o.persona_path.resolve() != key]))
        else:
            problems.extend(p for p in lint_persona(scenario) if Path(p.file).resolve() == only_in.resolve())

    for path in files:
        if is_playtest(path):  # named on the command line: check its shape; `peersim test` runs it
            problems.extend(classify(p) for p in check_playtest_file(path, texts.get(path.resolve())))
            continue
        if kind_of(path, texts.get(path.resolve())) == "tree":
            do_tree(path)
            # Tree lines are checked against the personas beside it that use it.
            for persona_path in [] if path.resolve() in texts else _sibling_personas(path):
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
