"""The conversation engine: a persona's tree as a `transitions` machine, one turn at a time.

One turn: the trainee's words are read as moves; every distinct move's rapport effect
is applied (only the moves that act: Reading.acting) (the tree's effect times the persona's sensitivity); then the primary move
fires as the machine's trigger, so a transition's rapport conditions see the rapport
*after* this turn. The first transition (in file order) whose conditions hold is taken;
if none holds the client stays where they are. Then at most one story beat comes out,
and a reply is drawn from the pools of the state the client is now in.

Author YAML never reaches `transitions` as strings: conditions and callbacks are
closures built here from validated data (a dotted string callback would be imported
as a module path). `auto_transitions` is off (it makes large machines slow to build
and would add a `to_<state>` trigger per state), and nothing relies on `on_enter`,
which `transitions` does not fire for the initial state.

`transitions` does the firing: it holds the state, and for a trigger tries the state's
transitions in the order they were added, taking the first whose condition holds. The
engine keeps no rule list of its own: the machine is declared from the tree's rule index
(simulator/scenario/rules.py), which lint, the graph, the coach and the why pane read too,
and each condition is checked by its entry in the table of conditions
(simulator/scenario/conditions.py).

The rules for a move from a state are added to the machine the first time that move is
made in that state. `transitions` stores one Transition per (trigger, source), so a rule
with `move: any, from: any` is 17 x N objects; wiring every state up front made a 2,000-state
tree take about a second to build per conversation, and wiring all of a state's moves at
once made a tree with thousands of `from: any` rules take seconds a turn. The rules for one
(move, state) are added together and in file order, so "first matching rule wins" is
unchanged; validation bounds how many there can be (MAX_RULES_PER_STATE).
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from functools import partial
from typing import Callable

from transitions import Machine

from simulator.moves import Reading, recognize
from simulator.moves.taxonomy import HARMFUL_MOVES, HELPFUL_MOVES, family_of
from simulator.safetext import plain_text
from simulator.scenario import conditions
from simulator.scenario.checked import Scenario
from simulator.scenario.rules import Rule, rules_of
from simulator.scenario.schema import FIRST_STEP, OPENNESS_LEVELS, Beat, Conditions, Topic
from simulator.scenario.schema import NOT_SAID
from simulator.scenario.validate import PLACEHOLDER, as_list


def weighed_moves(reading: Reading) -> list[str]:
    """The distinct moves of a reading that act on the client, in order (Reading.acting)."""
    return list(dict.fromkeys(m.move for m in reading.acting))


_GIVING_BACK = ("reflection", "summary")
# The moves that ask about, or give back, something in the client's life: they are answered
# from a topic they raise. A promise of privacy or an apology that names the parole officer
# or a daughter is answered as a promise or an apology, not with the story of parole.
_RAISES_TOPICS = frozenset({"open_question", "closed_question", "reflection", "summary", "affirmation", "other"})


def kind_of(moves: list[str]) -> str:
    """What a turn did to the client: "harm" if a harmful move acted, else "repair" if an
    apology did, else "help" if a helpful move did, else ""."""
    if any(m in HARMFUL_MOVES for m in moves):
        return "harm"
    if "repair" in moves:
        return "repair"
    return "help" if any(m in HELPFUL_MOVES for m in moves) else ""


class ConversationOver(Exception):
    """Raised by `step()` once the client has left or a plan has been agreed."""


@dataclass(frozen=True)
class Effect:
    move: str
    delta: int


@dataclass(frozen=True)
class TransitionInfo:
    """Which rule of the tree moved the client, for the author's "why" pane."""

    index: int
    move: str
    source: str
    dest: str
    note: str
    conditions: dict


@dataclass(frozen=True)
class RevealedBeat:
    id: str
    text: str
    summary: str


@dataclass(frozen=True)
class ClientTurn:
    number: int
    trainee: str
    reading: Reading
    state_before: str
    state: str
    rapport_before: int
    rapport: int
    effects: tuple[Effect, ...]
    transition: TransitionInfo | None
    reply: str
    cue: str
    beats: tuple[RevealedBeat, ...]
    ended: bool
    ending: str | None
    reply_from: tuple[str, str, str, int] = ("", "", "", 0)  # (persona|tree|topic, state, pool key, line index)
    topic: str | None = None  # the persona's topic this reply answered
    safety_check: bool = False  # that topic is a direct safety question, answered
    not_said: str | None = None  # a reflection or summary named this topic, which the client never raised

    @property
    def primary(self) -> str:
        return self.reading.primary

    @property
    def rapport_delta(self) -> int:
        return self.rapport - self.rapport_before


@dataclass
class EngineState:
    """Everything needed to put a conversation back exactly where it was (rewind)."""

    state: str
    rapport: int
    turn: int
    primaries: list[str]
    counts: dict[str, int]
    revealed: list[str]
    state_history: list[str]
    rng: tuple
    decks: dict[tuple, list[int]]
    last_reply: str
    ending: str | None
    kinds: list[str]
    harms: list[frozenset]
    helped: list[int]
    client_said: set[str]


class _Client:
    """The model `transitions` drives. Only `state` and the trigger method live here."""

    state: str


class Conversation:
    def __init__(self, scenario: Scenario, seed: int = 0,
                 recognizer: Callable[[str], Reading] = recognize):
        self.scenario = scenario
        self.persona = self.scenario.persona
        self.tree = self.scenario.tree
        self.rules = rules_of(self.tree)
        self.seed = seed
        self.recognizer = recognizer
        self.thresholds = {**self.tree.thresholds, **self.persona.thresholds}
        self.values = {"name": self.persona.name, **self.persona.values}
        self.rng = random.Random(seed)
        start = self.persona.rapport_start if self.persona.rapport_start is not None else self.tree.rapport.start
        self.rapport = self._clamp(start)
        self.turn = 0
        self.primaries: list[str] = []
        self.counts: dict[str, int] = {}
        self.revealed: list[str] = []
        self.state_history: list[str] = [self.tree.initial]
        self.decks: dict[tuple, list[int]] = {}
        self.last_reply = ""
        self.ending: str | None = None
        self.kinds: list[str] = []
        self.harms: list[frozenset[str]] = []  # per turn, the harmful moves that acted
        self.helped: list[int] = []  # per turn, how many helpful moves other than repair acted (none on a harmful turn)
        self._topic_words = {t.id: self._words_pattern(t) for t in self.persona.topics}
        # Topics the client has spoken of, or the trainee was told of before the session
        # (the briefing): a reflection may give these back.
        self.client_said: set[str] = set()
        for text in (self.opening_line, self.persona.summary, self.persona.background,
                     self.persona.presenting_concern):
            self._heard_from_client(self._fill(text))
        self._taken: TransitionInfo | None = None
        self._client = _Client()
        self._machine = self._build_machine()

    # ----------------------------------------------------------------- the machine
    def _build_machine(self) -> Machine:
        machine = Machine(model=self._client, states=list(self.tree.states), initial=self.tree.initial,
                          auto_transitions=False, ignore_invalid_triggers=True, send_event=False)
        self._wired: set[tuple[str, str]] = set()
        return machine

    def _wire(self, machine: Machine, state: str, move: str) -> None:
        """Declare the rules for `move` leaving `state` to the machine, once, from the tree's
        rule index (in file order, so the first rule that fits is the one `transitions` takes)."""
        if (state, move) in self._wired:
            return
        self._wired.add((state, move))
        for rule in self.rules.leaving(state):
            if move in rule.moves:
                machine.add_transition(move, state, rule.to,
                                       conditions=[partial(self.holds, rule.when)],
                                       after=[partial(self._record, rule, move)])

    def _record(self, rule: Rule, move: str) -> None:
        self._taken = TransitionInfo(rule.index, move, self.state_history[-1], rule.to, rule.note,
                                     rule.when.model_dump(exclude_none=True))

    def _threshold(self, value: int | str) -> int:
        return self.thresholds[value] if isinstance(value, str) else value

    def holds(self, when: Conditions) -> bool:
        """Whether a rule's conditions hold for the conversation as it is now (the checks
        are the table in simulator/scenario/conditions.py)."""
        return conditions.holds(when, self)

    # ----------------------------------------------------------------- the turn
    @property
    def state(self) -> str:
        return self._client.state

    @property
    def step_named(self) -> bool:
        """Whether the client has named a first step of their own. A persona written before
        clients named their steps has no such beat, and agrees a plan as it always did."""
        return FIRST_STEP in self.revealed or all(b.id != FIRST_STEP for b in self.persona.beats)

    @property
    def ended(self) -> bool:
        return self.ending is not None

    @property
    def opening_line(self) -> str:
        return self._fill(self.persona.opening_line)

    @property
    def cue(self) -> str:
        return self.cue_for(self.state)

    def cue_for(self, state: str) -> str:
        return self._fill(self.persona.cues.get(state) or self.tree.states[state].cue)

    def step(self, said: str | Reading) -> ClientTurn:
        if self.ended:
            raise ConversationOver(self.over_reason())
        reading = said if isinstance(said, Reading) else self.recognizer(plain_text(said))
        self.turn += 1
        state_before, rapport_before = self.state, self.rapport
        acting = weighed_moves(reading)
        kind = kind_of(acting)
        topic = None if kind == "harm" or reading.primary not in _RAISES_TOPICS else self.topic_raised(reading.text)
        # Giving back something the client never said is not listening: it earns nothing,
        # moves nothing, and the client says so (never for a safety topic: naming the risk
        # the client only hinted at is care, not a misreading).
        not_said = topic if (topic and not topic.safety and reading.primary in _GIVING_BACK
                             and topic.id not in self.client_said) else None
        # Asking about safety straight out is good practice: it never costs rapport.
        safety = topic is not None and topic.safety

        effects = []
        for move in acting:
            delta = self.effect_of(move)
            if not_said is not None:
                delta = min(delta, 0)
            elif safety and move not in HARMFUL_MOVES:
                delta = max(delta, 0)
            effects.append(Effect(move, delta))
            self.counts[move] = self.counts.get(move, 0) + 1
        self.rapport = self._clamp(self.rapport + sum(e.delta for e in effects))
        self.primaries.append(reading.primary)
        self.kinds.append("" if not_said is not None else kind)
        self.harms.append(frozenset(m for m in acting if m in HARMFUL_MOVES))
        # An apology is counted apart (`repaired`), so apologising again and again is never listening.
        self.helped.append(0 if not_said is not None or kind == "harm"
                           else sum(m in HELPFUL_MOVES and m != "repair" for m in acting))

        self._taken = None
        if not_said is None:
            self._wire(self._machine, self.state, reading.primary)
            self._client.trigger(reading.primary)
        if self.state != state_before:
            self.state_history.append(self.state)
        self.ending = self.tree.states[self.state].ending

        found = self._topic_pool(topic) if topic is not None and not_said is None and not self.ended else None
        answered = topic if found else None
        # An answer to a safety question stands on its own; the story goes on next turn.
        beats = () if self.ended or (answered and answered.safety) else self._unlock_beat()
        if not_said is not None:
            reply, reply_from = self._draw(*self._not_said_pool(self.state))
        elif found:
            reply, reply_from = self._draw(*found)
        else:
            # An apology on the way out is heard, and answered, but it does not undo the breach.
            move = "repair" if self.ending == "left" and "repair" in acting else reading.primary
            reply, reply_from = self._draw(*self.pool_for(self.state, move))
        if beats:
            reply = f"{reply} {beats[0].text}".strip()
        self._heard_from_client(reply)
        if answered is not None:
            self.client_said.add(answered.id)
        return ClientTurn(self.turn, reading.text, reading, state_before, self.state, rapport_before,
                          self.rapport, tuple(effects), self._taken, reply, self.cue, beats,
                          self.ended, self.ending, reply_from,
                          topic=answered.id if answered else None, safety_check=bool(answered and answered.safety),
                          not_said=not_said.id if not_said else None)

    # ----------------------------------------------------------------- topics
    def _words_pattern(self, topic: Topic) -> re.Pattern | None:
        phrases = [self._fill(w).strip() for w in topic.raised_by]
        phrases = [p for p in phrases if p and not PLACEHOLDER.search(p)]
        if not phrases:
            return None
        alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def topic_raised(self, text: str) -> Topic | None:
        """The persona's topic the words raise first (the earliest in the text; a tie goes to
        the topic written first), or None."""
        best: tuple[int, int] | None = None
        for order, topic in enumerate(self.persona.topics):
            pattern = self._topic_words[topic.id]
            found = pattern.search(text) if pattern else None
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), order)
        return self.persona.topics[best[1]] if best else None

    def topic_level(self, topic: Topic, state: str) -> str | None:
        """How openly the client speaks of a topic in a state: the state's openness, no more
        than guarded until the topic's `needs_beat` has been told."""
        openness = self.tree.states[state].openness
        if openness is None:
            return None
        level = OPENNESS_LEVELS.index(openness)
        if topic.needs_beat and topic.needs_beat not in self.revealed:
            level = min(level, OPENNESS_LEVELS.index("guarded"))
        return OPENNESS_LEVELS[level]

    def _topic_pool(self, topic: Topic) -> tuple[tuple, list[str]] | None:
        level = self.topic_level(topic, self.state)
        if level is None:
            return None
        # A level the author left out is answered from the nearest more guarded one, never a more open one.
        for below in reversed(OPENNESS_LEVELS[:OPENNESS_LEVELS.index(level) + 1]):
            if topic.replies.get(below):
                return ("topic", self.state, f"{topic.id}.{below}"), topic.replies[below]
        return None

    def _heard_from_client(self, text: str) -> None:
        for topic in self.persona.topics:
            pattern = self._topic_words[topic.id]
            if pattern and pattern.search(text):
                self.client_said.add(topic.id)

    def _not_said_pool(self, state: str) -> tuple[tuple, list[str]]:
        for source, pools in (("persona", self.persona.replies.get(state, {})),
                              ("tree", self.tree.states[state].replies)):
            if pools.get(NOT_SAID):
                return (source, state, NOT_SAID), pools[NOT_SAID]
        return self.pool_for(state, "other")

    def effect_of(self, move: str) -> int:
        """The rapport change a move makes with this persona: the tree's effect times the sensitivity."""
        base = self.tree.effects.get(move, 0)
        sens = self.persona.sensitivities
        factor = sens.get(move, sens.get(family_of(move), 1.0))
        return int(round(base * factor))

    def over_reason(self) -> str:
        name = self.persona.name
        if self.ending == "left":
            return f"{name} has left the conversation. Start a new session to try again."
        return f"{name} and you have agreed a plan; the session is complete."

    def _clamp(self, value: int) -> int:
        return max(self.tree.rapport.min, min(self.tree.rapport.max, value))

    def _unlock_beat(self) -> tuple[RevealedBeat, ...]:
        for beat in self.persona.beats:
            if beat.id not in self.revealed and self._beat_ready(beat):
                self.revealed.append(beat.id)
                return (RevealedBeat(beat.id, self._fill(beat.text), beat.summary),)
        return ()

    def _beat_ready(self, beat: Beat) -> bool:
        unlock = beat.unlock
        if unlock.at_state and self.state not in as_list(unlock.at_state):
            return False
        if unlock.rapport_at_least is not None and self.rapport < self._threshold(unlock.rapport_at_least):
            return False
        return unlock.after is None or unlock.after in self.revealed

    # ----------------------------------------------------------------- replies
    def pool_for(self, state: str, move: str) -> tuple[tuple, list[str]]:
        """The reply pool used for `move` in `state`: persona lines before the tree's,
        a move's own pool before its family's, and the state's default last."""
        family = family_of(move)
        persona_pools = self.persona.replies.get(state, {})
        tree_pools = self.tree.states[state].replies
        for source, pools, key in (("persona", persona_pools, move), ("persona", persona_pools, family),
                                   ("tree", tree_pools, move), ("tree", tree_pools, family),
                                   ("persona", persona_pools, "default"), ("tree", tree_pools, "default")):
            if pools.get(key):
                return (source, state, key), pools[key]
        raise KeyError(state)  # unreachable: the validator requires a default pool

    def _draw(self, key: tuple, lines: list[str]) -> tuple[str, tuple[str, str, str, int]]:
        texts = [self._fill(line) for line in lines]
        deck = self.decks.get(key)
        if not deck or all(texts[i] == self.last_reply for i in deck):
            # A shuffled deck: every line of a pool is used once before any repeats. A new
            # deck is also started when all that is left is the line just said (the same
            # words can stand in two pools), so the client never says it twice in a row.
            deck = list(range(len(lines)))
            self.rng.shuffle(deck)
        # Draw from the end; a card holding the line just said goes back under the deck.
        position = next((pos for pos in range(len(deck) - 1, -1, -1) if texts[deck[pos]] != self.last_reply),
                        len(deck) - 1)  # a pool with a single line has to repeat it
        index = deck[position]
        self.decks[key] = deck[position + 1:] + deck[:position]
        self.last_reply = texts[index]
        return self.last_reply, (*key, index)

    def _fill(self, text: str) -> str:
        # Only `${name}` is replaced, from the persona's values; an unknown name stays as
        # written and nothing else in the line ("$5", "$$") is touched. No str.format.
        return PLACEHOLDER.sub(lambda m: self._value_at(m, text), text)

    def _value_at(self, match: re.Match, text: str) -> str:
        value = self.values.get(match.group(1))
        if value is None:
            return match.group(0)
        # A value such as "my mom" that opens a sentence is capitalised there ("My mom
        # sat up with me"), so one value serves mid-sentence and at the start alike.
        before = text[:match.start()].rstrip(" \"'\u201c\u2018(")
        if not before or before.endswith((".", "!", "?", "\n")):
            return value[:1].upper() + value[1:]
        return value

    # ----------------------------------------------------------------- rewind
    def snapshot(self) -> EngineState:
        return EngineState(self.state, self.rapport, self.turn, list(self.primaries), dict(self.counts),
                           list(self.revealed), list(self.state_history), self.rng.getstate(),
                           copy.deepcopy(self.decks), self.last_reply, self.ending, list(self.kinds),
                           list(self.harms), list(self.helped), set(self.client_said))

    def restore(self, snap: EngineState) -> None:
        self._machine.set_state(snap.state, model=self._client)
        self.rapport, self.turn = snap.rapport, snap.turn
        self.primaries, self.counts = list(snap.primaries), dict(snap.counts)
        self.revealed, self.state_history = list(snap.revealed), list(snap.state_history)
        self.rng.setstate(snap.rng)
        self.decks = copy.deepcopy(snap.decks)
        self.last_reply, self.ending = snap.last_reply, snap.ending
        self.kinds, self.harms, self.helped = list(snap.kinds), list(snap.harms), list(snap.helped)
        self.client_said = set(snap.client_said)
