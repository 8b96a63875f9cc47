"""Author mode: talk to a persona while you write it (`peersim play PATH [--watch]`).

A self-contained Textual app, separate from the practice app. Beside the chat, a
"why" pane shows the machine: the state the client is in, rapport, and for the last
turn the moves read, each move's rapport change, the rule that fired (its number,
conditions and note, with its line in the tree file) and the pool the reply came from.

With --watch a worker polls the persona's and the tree's modification times. When
either file is saved the scenario is loaded again; if it loads, the trainee's turns so
far are replayed against the new version (same seed) and the transcript is redrawn;
if it does not (a YAML slip mid-edit), a notification names the file, line and fix
and the last good version keeps running.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

from simulator.engine import ClientTurn, Conversation, ConversationOver
from simulator.scenario.errors import Problem, ScenarioError
from simulator.toolkit.graph import rule_words
from simulator.scenario.checked import Scenario
from simulator.scenario.conditions import given
from simulator.scenario.loader import load_scenario, resolve_persona
from simulator.tui.widgets.compose import ComposeBox
from simulator.tui.widgets.transcript import Entry, Transcript

Signature = tuple[tuple[int, int] | None, ...]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def explain(convo: Conversation, turn: ClientTurn | None) -> str:
    """The "why" pane as plain text: what the machine did on the last turn, and why."""
    lines = [f"state    {convo.state}" + (f"  (ending: {convo.ending})" if convo.ending else ""),
             f"rapport  {convo.rapport}  (range {convo.tree.rapport.min}..{convo.tree.rapport.max})",
             f"turn     {convo.turn}",
             f"cue      {convo.cue}"]
    if turn is None:
        lines += ["", "Say something to see how the client reacts and why."]
        return "\n".join(lines)
    moves = turn.reading.move_ids or ["other"]
    lines += ["", f"last turn read as  {turn.primary}" + (f"  (also {', '.join(m for m in moves if m != turn.primary)})"
                                                          if len(moves) > 1 else "")]
    effects = ", ".join(f"{e.move} {e.delta:+d}" for e in turn.effects) or "none"
    lines.append(f"rapport  {turn.rapport_before} -> {turn.rapport}  ({turn.rapport_delta:+d}; {effects})")
    tr = turn.transition
    if tr is None:
        lines.append(f"rule     none fitted '{turn.primary}' in {turn.state_before}; the client stays")
        lines += near_misses(convo, turn)
    else:
        rule = convo.rules.rules[tr.index].written
        where = convo.scenario.tree_map.locate(("transitions", tr.index))[0]
        first, *rest = rule_words(rule, tr.index + 1, convo.thresholds, source=tr.source, move=tr.move)
        lines.append(f"rule     {first}  ({convo.scenario.tree_path.name}:{where})")
        lines += rest
    source, state, key, index = turn.reply_from
    if source:
        lines.append(f"reply    {source} pool {state} / {key}, line {index + 1}")
    for beat in turn.beats:
        lines.append(f"beat     '{beat.id}' told" + (f": {beat.summary}" if beat.summary else ""))
    return "\n".join(lines)


def near_misses(convo: Conversation, turn: ClientTurn, limit: int = 3) -> list[str]:
    """The rules for this move and state whose conditions failed, and which condition did.

    Checked against the conversation as it is now, which is how it was when the rules
    were tried: no rule fired, so only a story beat may have come out since.
    """
    out = []
    for rule in convo.rules.leaving(turn.state_before):
        if turn.primary not in rule.moves:
            continue
        # The engine's own check (the table of conditions), one condition at a time, so the
        # pane cannot disagree with it.
        failed = [text for _, value, condition in given(rule.when) if not condition.holds(convo, value)
                  for text in condition.words(value, convo.thresholds)]
        if failed:
            out.append(f"         T{rule.number} -> {rule.to} needs {'; '.join(failed)}")
        if len(out) == limit:
            break
    if out:
        out.append(f"         (now: rapport {convo.rapport}, turn {convo.turn})")
    return out


class AuthorApp(App):
    TITLE = "peersim author mode"
    CSS_PATH = "author.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit"), Binding("ctrl+r", "reload", "Reload now"),
                Binding("ctrl+n", "restart", "Start over")]

    def __init__(self, persona: str | Path, *, watch: bool = False, seed: int = 0, poll_interval: float = 0.5):
        super().__init__()
        self.persona_ref = persona
        self.watching = watch
        self.seed = seed
        self.poll_interval = poll_interval
        self.conversation: Conversation | None = None
        self.said: list[str] = []  # the trainee's turns, replayed after a reload
        self.turns: list[ClientTurn] = []
        self.reloads = 0
        self.last_error: str | None = None
        self.last_notice = ""
        self._signature: Signature = ()
        self._paths: list[Path] = []

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="chat"):
                yield Transcript(id="transcript")
                yield ComposeBox(placeholder="Type what you would say. Enter sends, Ctrl+J new line.", id="say")
            with Vertical(id="side"):
                yield Static("", id="files")
                yield Static("", id="why")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "watching for saves" if self.watching else "ctrl+r reloads the files"
        try:
            self._paths = [resolve_persona(self.persona_ref)]
        except ScenarioError as exc:
            self._paths = [Path(str(self.persona_ref))]
            self._failed(exc)
        else:
            self._load(first=True)
        self._signature = self._current_signature()
        self.query_one("#say", ComposeBox).focus()
        if self.watching:
            self.watch_files()

    # ----------------------------------------------------------------- loading and reloading
    def _current_signature(self) -> Signature:
        return tuple(_stat(p) for p in self._paths)

    @work(exclusive=True, group="watch")
    async def watch_files(self) -> None:
        """Poll the files' modification times; no extra dependency, works on every system."""
        while True:
            await asyncio.sleep(self.poll_interval)
            signature = self._current_signature()
            if signature != self._signature:
                self._signature = signature
                self._load()

    def action_reload(self) -> None:
        self._signature = self._current_signature()
        self._load()

    def _load(self, first: bool = False) -> None:
        try:
            scenario = load_scenario(self._paths[0])
        except ScenarioError as exc:
            self._failed(exc)
            return
        self._paths = [scenario.persona_path, scenario.tree_path]
        self._signature = self._current_signature()
        self.last_error = None
        replayed = self._start(scenario, replay=list(self.said))
        if not first:
            self.reloads += 1
            self._notice(f"Reloaded {scenario.persona_path.name} and {scenario.tree_path.name}; "
                         f"replayed {replayed} turn{'s' if replayed != 1 else ''}.")

    def _failed(self, exc: ScenarioError) -> None:
        first = exc.problems[0] if exc.problems else None
        self.last_error = str(first) if first else str(exc)
        running = "the last good version is still running" if self.conversation else "nothing is running yet"
        self._notice(f"{self.last_error}\n({running})", severity="error", title="Not reloaded")
        if self.conversation is None:
            self.query_one("#why", Static).update(Text("This persona does not load yet:\n\n" + str(exc)))

    def _notice(self, message: str, severity: str = "information", title: str = "") -> None:
        self.last_notice = message
        self.notify(message, severity=severity, title=title, markup=False, timeout=8)

    def _start(self, scenario: Scenario, replay: list[str]) -> int:
        """A fresh conversation on `scenario`, with `replay` said again; returns the turns played."""
        self.conversation = Conversation(scenario, seed=self.seed)
        self.turns = []
        kept = []
        for text in replay:
            if self.conversation.ended:
                break
            self.turns.append(self.conversation.step(text))
            kept.append(text)
        self.said = kept
        self._redraw()
        return len(kept)

    def action_restart(self) -> None:
        if self.conversation is not None:
            self._start(self.conversation.scenario, replay=[])

    # ----------------------------------------------------------------- talking
    def on_compose_box_submitted(self, event: ComposeBox.Submitted) -> None:
        text = event.text.strip()
        if not text or self.conversation is None:
            return
        try:
            turn = self.conversation.step(text)
        except ConversationOver as exc:
            self._notice(f"{exc} Press ctrl+n to start over.")
            return
        self.said.append(text)
        self.turns.append(turn)
        self._show_turn(turn)
        self._update_side()
        if turn.ended:
            self._notice(self.conversation.over_reason() + " Press ctrl+n to start over.")

    # ----------------------------------------------------------------- drawing
    def _redraw(self) -> None:
        convo = self.conversation
        transcript = self.query_one(Transcript)
        transcript.clear()
        entries = [Entry("cue", f"({convo.cue_for(convo.tree.initial)})"),
                   Entry("client", f"{convo.persona.name}: {convo.opening_line}")]
        for turn in self.turns:
            entries += self._turn_entries(turn)
        transcript.add_entries(entries)
        self._update_side()

    def _turn_entries(self, turn: ClientTurn) -> list[Entry]:
        name = self.conversation.persona.name
        return [Entry("trainee", f"You: {turn.trainee}"),
                Entry("meta", f"[{turn.primary}; {turn.state}, rapport {turn.rapport} ({turn.rapport_delta:+d})]"),
                Entry("cue", f"({turn.cue})"),
                Entry("client", f"{name}: {turn.reply}")]

    def _show_turn(self, turn: ClientTurn) -> None:
        self.query_one(Transcript).add_entries(self._turn_entries(turn))

    def _update_side(self) -> None:
        convo = self.conversation
        files = "\n".join(str(p) for p in self._paths)
        self.query_one("#files", Static).update(Text(f"{convo.persona.name} ({convo.persona.id})\n{files}"))
        self.query_one("#why", Static).update(Text(explain(convo, self.turns[-1] if self.turns else None)))


def run_author(persona: str, watch: bool = False, seed: int = 0) -> int:
    # Fail early, in the terminal, if the path is wrong; a YAML slip is shown in the app.
    path = resolve_persona(persona)
    if not path.exists():
        raise ScenarioError([Problem(str(path), 0, 0, "file not found", "check the path and the file name")])
    AuthorApp(persona, watch=watch, seed=seed).run()
    return 0
