"""One practice session as the app sees it: the engine, the log, the store and the
teaching rules (chips, fading, coach ideas, choice mode, "did you mean"). No Textual
here, so every rule is tested headless and the screens stay thin."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from simulator.engine import ClientTurn, Conversation
from simulator.moves import MoveSpan, Reading
from simulator.moves.taxonomy import HARMFUL_MOVES, HELPFUL_MOVES, MOVES
from simulator.debrief.library import examples_for
from simulator.debrief.scoring import state_kind
from simulator.scenario.loader import Scenario
from simulator.scenario.validate import as_list
from simulator.session import SessionLog, TurnRecord, now_iso
from simulator.tui.labels import FADE_AFTER, FADE_OFF, MODE_TITLES, MODES, move_label  # noqa: F401

# When nothing in a turn was read clearly, these are offered after any moves the
# recogniser did guess, so the trainee can say what they meant.
CLARIFY_FALLBACK = ("reflection", "open_question", "affirmation", "closed_question")

_LIBRARY_PATH = Path(__file__).with_name("reply_library.yaml")


def load_library() -> dict[str, list[str]]:
    """Example replies per move for choice mode: the taxonomy's example first, then ours."""
    with _LIBRARY_PATH.open(encoding="utf-8") as fh:
        extra = yaml.safe_load(fh) or {}
    return {m: [MOVES[m].example, *[str(x) for x in extra.get(m, [])]] for m in MOVES}


@dataclass(frozen=True)
class Choice:
    text: str
    move: str


@dataclass(frozen=True)
class Idea:
    move: str
    description: str
    example: str


@dataclass(frozen=True)
class Chip:
    """What the app shows under a trainee turn: the moves read and their rapport effect."""

    effects: tuple[tuple[str, int], ...]
    delta: int
    shown: bool

    @property
    def text(self) -> str:
        # "other +0" beside a real move is noise ("Sorry. It's your call." is autonomy support).
        named = [(m, d) for m, d in self.effects if m != "other"] or self.effects
        moves = " · ".join(f"{move_label(m)} {d:+d}" for m, d in named) or "nothing read"
        return f"{moves}   rapport {self.delta:+d}"

    @property
    def tone(self) -> str:
        return "good" if self.delta > 0 else "bad" if self.delta < 0 else "flat"


def is_helpful(record: TurnRecord) -> bool:
    moves = set(record.move_ids)
    return bool(moves & HELPFUL_MOVES) and not moves & HARMFUL_MOVES


class PracticeSession:
    """A running (or resumed) session. `store` may be None (a session not saved)."""

    def __init__(self, convo: Conversation, log: SessionLog, store=None):
        self.convo = convo
        self.log = log
        self.store = store
        self.library = load_library()
        self.helpful_streak = 0
        for record in log.turns:
            self._update_streak(record)

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def start(cls, scenario: Scenario, mode: str = "practice", seed: int = 0, trainee: str = "",
              store=None, clock: Callable[[], str] = now_iso) -> "PracticeSession":
        convo = Conversation(scenario, seed=seed)
        log = SessionLog.start(convo, mode=mode, trainee=trainee)
        log.started_at = clock()
        if store is not None:
            store.create_session(log)
        return cls(convo, log, store)

    @classmethod
    def resume(cls, log: SessionLog, scenario: Scenario | None = None, store=None) -> "PracticeSession":
        from simulator.debrief import resume_conversation

        return cls(resume_conversation(log, scenario), log, store)

    def finish(self) -> None:
        if self.store is not None and self.log.id and not self.log.ended_at:
            self.store.finish_session(self.log.id)
        self.log.ended_at = self.log.ended_at or now_iso()

    @property
    def mode(self) -> str:
        return self.log.mode

    @property
    def ended(self) -> bool:
        return self.convo.ended

    @property
    def name(self) -> str:
        return self.convo.persona.name

    # ----------------------------------------------------------------- a turn
    def read(self, text: str) -> Reading:
        return self.convo.recognizer(text)

    def needs_clarifying(self, reading: Reading) -> bool:
        return reading.unclear and bool(reading.text.strip())

    def clarify_options(self, reading: Reading) -> list[str]:
        guessed = [m for m in reading.move_ids if m != "other"]
        return list(dict.fromkeys([*guessed, *CLARIFY_FALLBACK]))[:4]

    @staticmethod
    def reading_as(reading: Reading, move: str) -> Reading:
        """The trainee's own words, read as the move they said they meant."""
        return chosen_reading(reading.text, move, "chosen by the trainee")

    def say(self, said: str | Reading, clock: Callable[[], str] = now_iso) -> tuple[ClientTurn, Chip]:
        turn = self.convo.step(said)
        record = TurnRecord.from_turn(turn, at=clock())
        self.log.turns.append(record)
        if self.store is not None and self.log.id:
            # Saved at once: a killed terminal loses nothing and the session can be resumed.
            self.store.append_turn(self.log.id, record)
        shown = self._chip_shown(record)
        chip = Chip(tuple((e.move, e.delta) for e in turn.effects), turn.rapport_delta, shown)
        return turn, chip

    def pick(self, choice: Choice) -> tuple[ClientTurn, Chip]:
        return self.say(chosen_reading(choice.text, choice.move, "picked in choice mode"))

    # ----------------------------------------------------------------- feedback
    def _update_streak(self, record: TurnRecord) -> None:
        self.helpful_streak = self.helpful_streak + 1 if is_helpful(record) else 0

    def _chip_shown(self, record: TurnRecord) -> bool:
        self._update_streak(record)
        if self.mode == "assessment":
            return False
        if self.mode != "fading":
            return True
        if record.rapport_after < record.rapport_before or not is_helpful(record):
            return True
        if self.helpful_streak <= FADE_AFTER:
            return True
        if self.helpful_streak >= FADE_OFF:
            return False
        return (self.helpful_streak - FADE_AFTER) % 2 == 0

    def chip_for(self, record: TurnRecord) -> Chip:
        """The chip of a saved turn (for a resumed transcript); shown unless assessment."""
        return Chip(tuple((e["move"], e["delta"]) for e in record.effects),
                    record.rapport_after - record.rapport_before, self.mode != "assessment")

    def trend(self, window: int = 3) -> int:
        """The meter's arrow: the last turn's change when it is a clear step, otherwise
        the drift over the last few turns (so one big misstep shows at once)."""
        curve = self.log.rapport_curve
        last = curve[-1] - curve[-2] if len(curve) > 1 else 0
        return last if abs(last) >= 3 else curve[-1] - curve[max(0, len(curve) - 1 - window)]

    def helpful_here(self) -> list[str]:
        """Helpful moves for the client's current state, best first: moves the tree lets
        move the client on from here, then by how much this client feels them."""
        state = self.convo.state
        moving = set()
        for tr in self.convo.tree.transitions:
            sources = as_list(tr.from_)
            if (state in sources or "any" in sources) and tr.to != state:
                moving.update(m for m in as_list(tr.move) if m in HELPFUL_MOVES)
        # A summary needs something to gather: not offered in the first few turns.
        moves = HELPFUL_MOVES - ({"summary"} if self.convo.turn < 3 else set())
        return sorted(moves, key=lambda m: (m not in moving, -self.convo.effect_of(m), m))

    def coach(self, count: int = 3) -> list[Idea]:
        """Ideas, not a script: kinds of move that help now, each with one example."""
        ideas = []
        for move in self.helpful_here()[:count]:
            examples = situation_examples(move, self.convo.state)
            # A different example as the session goes on, chosen by turn (not at random).
            ideas.append(Idea(move, MOVES[move].description, examples[self.convo.turn % len(examples)]))
        return ideas

    def choices(self) -> list[Choice]:
        """Choice mode: two helpful replies and two unhelpful ones, in an order fixed by the
        seed and the turn number, so a session replays the same way."""
        rng = random.Random(f"{self.log.seed}:{self.convo.turn}:{self.convo.persona.id}")
        helpful = self.helpful_here()[:4]
        harmful = sorted(HARMFUL_MOVES - {"confidentiality_breach"})
        if self.convo.turn >= 3:
            harmful.append("confidentiality_breach")
        bad = rng.sample(harmful, 1)
        other = rng.sample([m for m in ("closed_question", *harmful) if m not in bad], 1)
        picked = rng.sample(helpful, 2) + bad + other
        seen: set[str] = set()
        out = []
        for move in dict.fromkeys(picked):
            pool = self.library[move]
            if move in HELPFUL_MOVES:
                pool = list(dict.fromkeys([*situation_examples(move, self.convo.state), *pool]))
            lines = [line for line in pool if line not in seen]
            text = rng.choice(lines or pool)
            seen.add(text)
            out.append(Choice(text, move))
        rng.shuffle(out)
        return out


def situation_examples(move: str, state: str) -> list[str]:
    """Hand-written examples of a helpful move for the kind of state the client is in,
    from the debrief's library (the same lines its "stronger reply" uses)."""
    return examples_for(move, state_kind(state))


def chosen_reading(text: str, move: str, cue: str) -> Reading:
    """A turn whose move the trainee chose from a list, so nothing is left to guess."""
    return Reading(text, (MoveSpan(move, 0, len(text), cue, 1.0),), move, 1.0, cue)
