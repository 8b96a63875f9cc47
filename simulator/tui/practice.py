"""One practice session as the app sees it: the engine, the log, the store and the
teaching rules (chips, fading, coach ideas, choice mode, "did you mean"). No Textual
here, so every rule is tested headless and the screens stay thin."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from simulator.engine import ClientTurn, Conversation
from simulator.moves import MoveSpan, Reading, explain
from simulator.moves import gate_question as moves_gate_question
from simulator.moves.taxonomy import HARMFUL_MOVES, HELPFUL_MOVES, MOVES
from simulator.debrief.library import fill, fitting_lines
from simulator.scoring import acting_ids
from simulator.scenario.checked import Scenario
from simulator.scenario.kinds import state_kind_of
from simulator.service import Session
from simulator.session import SessionLog, TurnRecord, now_iso
from simulator.tui.labels import FADE_AFTER, FADE_OFF, MODE_TITLES, MODES, move_label  # noqa: F401

# When nothing in a turn was read clearly, these are offered after any moves the
# recogniser did guess, so the trainee can say what they meant.
CLARIFY_FALLBACK = ("reflection", "open_question", "affirmation", "closed_question")

_LIBRARY_PATH = Path(__file__).with_name("reply_library.yaml")


def load_library() -> dict[str, list[str]]:
    """Example replies per move for choice mode (the taxonomy's examples name people, such
    as a probation officer, that most clients do not have, so they are not used here)."""
    with _LIBRARY_PATH.open(encoding="utf-8") as fh:
        extra = yaml.safe_load(fh) or {}
    return {m: [str(x) for x in extra.get(m, [])] for m in MOVES}


def gate_question(reading: Reading) -> str:
    """The "did you mean…?" question: the recogniser's plain words for what the gate held
    back, or, for a turn that is only unclear, a plain question."""
    return moves_gate_question(reading) or "I couldn't tell which kind of reply this is. Which is closest?"


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
    """What the app shows under a trainee turn: the moves that acted and their rapport effect,
    and (on a key) the words behind each move read, and whether it acted."""

    effects: tuple[tuple[str, int], ...]
    delta: int
    shown: bool
    why: tuple[str, ...] = ()

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
    moves = set(acting_ids(record))
    return bool(moves & HELPFUL_MOVES) and not moves & HARMFUL_MOVES


def why_lines(record: TurnRecord) -> tuple[str, ...]:
    """One line per move read: the words that decided it, and whether it acted."""
    reading = record.to_reading()
    out = []
    for span in reading.moves:
        said = record.trainee[span.start:span.end].strip() if 0 <= span.start < span.end else ""
        piece = f"“{said[:40]}{'…' if len(said) > 40 else ''}” " if said and len(reading.moves) > 1 else ""
        acted = "counted" if reading.acts(span) else "also heard, not counted"
        line = f"{piece}{explain(span)}: {acted}"
        if span.held:
            heard = f" ('{span.held_cue}')" if span.held_cue else ""
            line += f"; {span.held.replace('_', ' ')}{heard} was held back, not counted"
        out.append(line)
    if record.unclear:
        out.append("unsure: read as its most likely harmless move, marked for the debrief")
    return tuple(out)


class PracticeSession(Session):
    """A running (or resumed) session with the app's teaching rules on top. Starting,
    playing, saving and resuming are the session service's (simulator/service.py).
    `store` may be None (a session not saved)."""

    def __init__(self, convo: Conversation, log: SessionLog, store=None, ask: bool = True):
        super().__init__(convo, log, store)
        self.ask = ask  # "Did you mean…?" is on (the trainee can turn it off)
        self.library = load_library()
        self.helpful_streak = 0
        for record in log.turns:
            self._update_streak(record)

    # ----------------------------------------------------------------- a turn
    def unsure(self, reading: Reading) -> bool:
        return (reading.asks or reading.unclear) and bool(reading.text.strip())

    def needs_clarifying(self, reading: Reading) -> bool:
        """Asking teaches in practice mode only: in fading and assessment it would give the
        labels away, and choice mode has nothing to guess."""
        return self.mode == "practice" and self.ask and self.unsure(reading)

    def as_read(self, reading: Reading) -> Reading:
        """An unsure turn not asked about: its harmless reading stands, marked for the debrief."""
        return dataclasses.replace(reading, unclear=True) if self.unsure(reading) else reading

    def clarify_options(self, reading: Reading) -> list[str]:
        """The readings to offer, most likely first; a harmful reading the gate held back is
        always among them, so a trainee cannot relabel their own judging as something kind."""
        held = [s.held for s in reading.moves if s.held]
        by_likelihood = [m.move for m in sorted(reading.moves, key=lambda m: -m.confidence)]
        guessed = [m for m in (reading.options or by_likelihood) if m != "other"]
        options = list(dict.fromkeys([*guessed, *CLARIFY_FALLBACK]))[:4]
        for move in held:
            if move not in options:
                options = [*options[:3], move]
        return options

    @staticmethod
    def reading_as(reading: Reading, move: str) -> Reading:
        """The trainee's own words, read as the move they said they meant."""
        return chosen_reading(reading.text, move, "chosen by the trainee")

    def say(self, said: str | Reading, clock: Callable[[], str] = now_iso) -> tuple[ClientTurn, Chip]:
        """Play one turn and save it, as one unit (Session.play): if saving fails, the client
        and the log are as they were (the trainee's words go back in the box) and the error
        is raised."""
        turn, record = self.play(said, clock)
        shown = self._chip_shown(record)
        chip = Chip(tuple((e.move, e.delta) for e in turn.effects), turn.rapport_delta, shown, why_lines(record))
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
        return Chip(tuple((e.move, e.delta) for e in record.effects),
                    record.rapport_after - record.rapport_before, self.mode != "assessment", why_lines(record))

    def trend(self) -> int:
        """The meter's arrow: the number beside it now against before the last turn, so
        the arrow never contradicts the number (21 -> 21 is steady)."""
        curve = self.log.rapport_curve
        return curve[-1] - curve[-2] if len(curve) > 1 else 0

    def client_said(self) -> str:
        """All the client has said so far: the opening line, every reply (beats included)."""
        return "\n".join([self.log.opening_line, *(t.reply for t in self.log.turns)])

    def fitting(self, move: str) -> list[str]:
        """Example lines of a move that fit this client now: their own first, then the
        debrief's library, then choice mode's (all filled from the client's values)."""
        persona, said = self.convo.persona, self.client_said()
        lines = fitting_lines(move, state_kind_of(self.convo.tree, self.convo.state), persona, said)
        values = {**(persona.values or {}), "name": persona.name}
        for line in self.library.get(move, []):
            filled = fill(line, values, said if move in HELPFUL_MOVES else None)
            if filled is not None and filled not in lines:
                lines.append(filled)
        return lines

    def helpful_here(self) -> list[str]:
        """Helpful moves for the client's current state, best first: moves the tree lets
        move the client on from here, then by how much this client feels them."""
        state = self.convo.state
        moving = set()
        for rule in self.convo.rules.leaving(state):
            if rule.to != state and not rule.any_move:  # a rule for any move favours none
                moving.update(m for m in rule.moves if m in HELPFUL_MOVES)
        # A summary needs something to gather: not offered in the first few turns.
        moves = HELPFUL_MOVES - ({"summary"} if self.convo.turn < 3 else set())
        return sorted(moves, key=lambda m: (m not in moving, -self.convo.effect_of(m), m))

    def coach(self, count: int = 3) -> list[Idea]:
        """Ideas, not a script: kinds of move that help now, each with one example."""
        ideas = []
        for move in self.helpful_here()[:count]:
            examples = self.fitting(move)
            # A different example as the session goes on, chosen by turn (not at random);
            # none when nothing in the library fits this client yet.
            example = examples[self.convo.turn % len(examples)] if examples else ""
            ideas.append(Idea(move, MOVES[move].description, example))
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
            pool = self.fitting(move)
            if not pool:
                continue
            lines = [line for line in pool if line not in seen]
            text = rng.choice(lines or pool)
            seen.add(text)
            out.append(Choice(text, move))
        rng.shuffle(out)
        return out


def chosen_reading(text: str, move: str, cue: str) -> Reading:
    """A turn whose move the trainee chose from a list, so nothing is left to guess."""
    return Reading(text, (MoveSpan(move, 0, len(text), cue, 1.0),), move, 1.0, cue)
