"""The numbered catalogue of everything `peersim lint` can say about a file.

Each diagnostic has a stable code (PS0001...), a severity, a title, an explanation in
the author's terms, a short example of a file that triggers it, and the fix. The
trainer-facing reference, docs/diagnostics.md, is generated from this list
(`python -m simulator.scenario.diagnostics > docs/diagnostics.md`) and a test keeps
the two identical, so the documentation cannot drift from the checks.

Each finding's code is given where it is found: by the registered lint check that
reports it (lint.py, `@lint_rule`), or, for a file that does not validate, by the reader
or checker that found the problem (errors.VALIDATION_CODES); never from its words.

Severities: an *error* stops the file from being used; a *warning* is something that
silently does not work as written (a rule that never fires, a state no one reaches);
*info* is worth knowing but often intended. `peersim lint --strict` fails on warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scenario.errors import Problem
from simulator.scenario.source import Loc, SourceMap


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str  # "error" | "warning" | "info"
    title: str
    explanation: str
    example: str
    fix: str

    def at(self, smap: SourceMap, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A finding of this kind at `loc` in the file `smap` describes."""
        return smap.problem(loc, message, hint or self.fix, key=key, severity=self.severity, code=self.code)


CATALOGUE: tuple[Diagnostic, ...] = (
    # ---------------------------------------------------------------- what validate checks
    Diagnostic(
        "PS0001", "error", "The file cannot be read",
        "The YAML itself is broken (indentation, a stray ':' in a line of text, a tab), the file is "
        "empty, or it is not UTF-8 text. Nothing else can be checked until it reads.",
        'opening_line: Well: here I am\n#                 ^ a second ": " inside unquoted text',
        'Put text that holds ": " in double quotes, indent with spaces, and check the line named and '
        "the one above it."),
    Diagnostic(
        "PS0002", "error", "A field is missing, unknown or of the wrong kind",
        "Every persona and tree field has a fixed name and kind (text, number, list, mapping). A "
        "misspelt field name is not ignored: it is reported, with the nearest valid name.",
        "nmae: Rosa        # should be name\ndifficulty: tough  # one of easy, medium, hard",
        "Use the field name suggested; `peersim schema` lists every field, and an editor with the "
        "schema set up completes them for you."),
    Diagnostic(
        "PS0003", "error", "A name that does not exist",
        "A transition, beat, reply pool or condition names a state, move, beat or threshold that the "
        "files do not define. The nearest valid name is suggested.",
        "transitions:\n  - move: reflecton   # the move is 'reflection'\n    from: guarded\n    to: warming",
        "Correct the spelling, or add the state, beat or threshold you meant."),
    Diagnostic(
        "PS0004", "error", "A rule of the format is broken",
        "The file has the right fields but breaks a rule that ties them together: a state without a "
        "`default` reply pool, an empty pool, rapport `min` not below `max`, a beat with no unlock "
        "condition, a beat id used twice.",
        "states:\n  guarded:\n    cue: arms folded\n    replies:\n      listening: [\"Yeah.\"]   # no default pool",
        "Read the message: it says which rule, and what to add or change."),
    # ---------------------------------------------------------------- the shape of the machine
    Diagnostic(
        "PS0010", "warning", "A state no conversation can reach",
        "No chain of transitions from the `initial` state leads here (transitions whose conditions "
        "can never hold are left out). Its cue and reply lines are never seen.",
        "initial: guarded\nstates: {guarded: ..., hopeful: ...}\ntransitions: []   # nothing leads to hopeful",
        "Add a transition with `to:` this state, or remove the state."),
    Diagnostic(
        "PS0011", "warning", "A state with no way out that is not an ending",
        "Once the client is in this state no transition leaves it, yet it is not marked as an "
        "ending. The trainee can do nothing to change it, and the session never finishes on its own.",
        "states:\n  stuck:\n    cue: stares at the wall\n    replies: {default: [\"...\"]}\n"
        "# no transition has from: stuck (or from: any)",
        "Add a transition `from:` this state (repair usually comes from listening), or mark it "
        "`ending: left` or `ending: plan`."),
    Diagnostic(
        "PS0012", "info", "Some moves have no reply pool of their own in a state",
        "When a move has no pool in a state (neither its own id nor its family, in the tree or the "
        "persona), the client answers from the state's `default` pool. That is often fine; this "
        "says which moves it affects so it is a choice, not an accident.",
        "states:\n  guarded:\n    replies:\n      default: [...]\n      listening: [...]   # questions, advice... use default",
        "Add pools for the families that deserve their own answer (listening, questioning, "
        "affirming, empowering, trust, sharing, social, self_focus, directing, judging, dismissing, "
        "breach), or leave it."),
    Diagnostic(
        "PS0013", "info", "States without a kind",
        "A state's `kind:` (opening, withdrawn, ambivalent, guarded or default) is the situation it "
        "stands for: the debrief and the coach suggest replies for it, and the scoring counts a move "
        "into a withdrawn state as the client pulling back. A state without one still works: its kind "
        "is guessed from the words in its id (`shut_down` is withdrawn, `warming` is opening, an id "
        "with none of the usual words is default), as peersim did before `kind:` existed.",
        "states:\n  hopeful:            # no kind: read as 'default'\n    cue: sits up\n"
        "    replies: {default: [\"Maybe.\"]}",
        "Add `kind:` to each state named, so the file says what it means, for example "
        "`kind: opening`."),
    # ---------------------------------------------------------------- rules that never fire
    Diagnostic(
        "PS0020", "warning", "A rapport condition outside the rapport range",
        "The tree's rapport stays between `rapport.min` and `rapport.max`. A transition that needs "
        "rapport above the maximum (or at most something below the minimum) never fires.",
        "rapport: {min: 0, max: 100}\ntransitions:\n  - {move: reflection, from: open, to: plan_agreed,\n"
        "     when: {rapport_at_least: 120}}",
        "Use a threshold inside the range, or change the tree's `rapport.max`."),
    Diagnostic(
        "PS0021", "warning", "Conditions that contradict each other",
        "Two conditions of one transition cannot both hold: an at-least above the matching at-most "
        "(rapport, turn or count), or the same beat required both told and not told.",
        "when: {turn_at_least: 8, turn_at_most: 5}",
        "Swap or correct the numbers, or remove one of the conditions."),
    Diagnostic(
        "PS0022", "warning", "A streak of a move that cannot trigger the transition",
        "A transition fires on the turn's primary move, and a streak counts the primary moves of "
        "the last turns, this one included. A streak of a move the transition is not triggered by "
        "can never be complete when it is tried.",
        "- move: reflection\n  from: warming\n  to: guarded\n  when: {streak: {move: closed_question, count: 3}}",
        "Trigger the transition on the streak's move (`move: closed_question`), or use `count:` "
        "for moves made earlier in the session."),
    Diagnostic(
        "PS0023", "warning", "A transition out of an ending",
        "Once the client is in an ending state (`ending: left` or `ending: plan`) the session is "
        "over, so no transition from that state is ever tried.",
        "- {move: reflection, from: left, to: guarded}",
        "Remove the transition, or remove `ending:` from the state if the client should stay."),
    Diagnostic(
        "PS0024", "warning", "A previous_state that cannot have come before",
        "`previous_state` is the state the client was in before the one they are in now. If no "
        "transition leads from that state into this transition's `from` state, it can never hold.",
        "- {move: reflection, from: warming, to: open, when: {previous_state: shut_down}}\n"
        "# but nothing goes from shut_down to warming",
        "Name a state that has a transition into the `from` state, or add that transition."),
    Diagnostic(
        "PS0025", "warning", "A transition hidden by an earlier one",
        "Transitions are tried top to bottom and the first that fits is taken. An earlier "
        "transition with the same (or more) moves and source states and no stricter conditions "
        "always fits first, so this one never fires.",
        "- {move: reflection, from: guarded, to: warming}\n"
        "- {move: reflection, from: guarded, to: open, when: {rapport_at_least: 60}}   # hidden",
        "Move the more specific transition above the general one."),
    Diagnostic(
        "PS0026", "warning", "A condition on a story beat that never comes out",
        "The transition needs a beat to have been told (`beat_revealed`), but for this persona that "
        "beat can never unlock, so the transition never fires.",
        "when: {beat_revealed: letter}   # and the persona's 'letter' beat unlocks at a state no one reaches",
        "Fix the beat's `unlock:` (see PS0040) or use a different beat."),
    # ---------------------------------------------------------------- lines and values
    Diagnostic(
        "PS0030", "warning", "A placeholder the persona does not define",
        "A line holds `${something}` but the persona's `values:` has no `something`, so the trainee "
        "would see the raw `${something}`. `${name}` is always defined (the persona's name). Tree "
        "lines are checked against every persona that uses the tree.",
        'values: {daughter: Kayla}\nopening_line: "I miss ${doughter}."',
        "Add the value to the persona's `values:`, or correct the placeholder's spelling."),
    Diagnostic(
        "PS0031", "info", "A value no line uses",
        "The persona defines a value in `values:` that no line of the persona or its tree uses.",
        "values: {cousin: Andre}   # no line says ${cousin}",
        "Use it in a line as `${cousin}`, or remove it."),
    Diagnostic(
        "PS0032", "warning", "A reply pool of one line",
        "A pool with one line makes the client say the same words every time that move comes up "
        "in that state, which trainees notice quickly.",
        'listening:\n  - "Yeah."',
        "Add at least two more lines that say the same thing in different words."),
    Diagnostic(
        "PS0033", "info", "A reply pool of two lines",
        "Lines of a pool are used in turn before any repeats; with two lines the client repeats "
        "themself every third time.",
        'questioning:\n  - "Depends."\n  - "I don\'t know."',
        "Three or more lines per pool feel natural."),
    Diagnostic(
        "PS0034", "warning", "A persona's default lines that are never said",
        "Replies are looked for in this order: the persona's pool for the move, the persona's pool "
        "for its family, the tree's pool for the move, the tree's for the family, and only then "
        "the persona's `default` and the tree's `default`. When the tree has a pool for every move "
        "family in a state, the persona's `default` for that state is never reached.",
        "# tree, state guarded: pools for every family\nreplies:\n  guarded:\n    default:\n"
        "      - \"I don't know you.\"   # never said",
        "Put these lines under the move families they answer (`listening:`, `questioning:` ...), "
        "where they come before the tree's lines."),
    Diagnostic(
        "PS0035", "warning", "A line another client says word for word",
        "Each client has a voice of their own. This line of the persona (a reply, a topic's answer or "
        "a story beat) is said word for word by another persona in the same folder, in that "
        "persona's own lines or in the lines of the tree it uses, so a trainee meeting both hears "
        "the same words from two different people. Lines of fewer than four words (\"Yeah.\", "
        "\"I guess.\") are left out.",
        "# marcus.yaml\nreplies:\n  open:\n    empowering:\n      - \"If it's really up to me... I think I want to try.\"\n"
        "# the guarded tree, which amara.yaml uses, has the same line",
        "Rewrite the line in this client's own words: their vocabulary, their rhythm, the people "
        "and things in their life."),
    # ---------------------------------------------------------------- story beats and levels
    Diagnostic(
        "PS0040", "warning", "A story beat that can never unlock",
        "A beat comes out once all its unlock conditions hold. This one never can: its states are "
        "unreachable or endings, its rapport is above the tree's maximum, or it waits for a beat "
        "that never unlocks.",
        "beats:\n  - id: letter\n    text: ...\n    unlock: {rapport_at_least: 150}",
        "Unlock it at a state the client reaches, at a rapport inside the tree's range, after a "
        "beat that does unlock."),
    Diagnostic(
        "PS0041", "warning", "Story beats that wait for each other",
        "Beats whose `after:` conditions form a circle (a waits for b, b waits for a) can never "
        "come out.",
        "- {id: a, unlock: {after: b}}\n- {id: b, unlock: {after: a}}",
        "Break the circle: the first beat of a chain has no `after:`."),
    Diagnostic(
        "PS0042", "warning", "A rapport level outside the tree's range",
        "A persona's `rapport_start` or a threshold override lies outside the tree's rapport "
        "`min`..`max`. Rapport is kept inside the range, so a start is moved to the nearest end and "
        "rules needing the threshold may never fire.",
        "# tree: rapport: {min: 0, max: 100}\nrapport_start: 140\nthresholds: {open: 130}",
        "Choose a number inside the tree's range."),
    Diagnostic(
        "PS0044", "warning", "A client who can agree a plan without naming a step",
        "The tree agrees a plan only once the client has named a first step of their own "
        "(`step_named: true`), which is the persona's beat with the id `first_step`. This persona "
        "has no such beat, or it can never come out, so the client agrees a plan without ever "
        "saying what they will do.",
        "# tree: - {move: collaboration, from: open, to: plan_agreed, when: {step_named: true}}\n"
        "beats:\n  - id: letter   # no beat 'first_step'",
        "Add a beat `first_step` that unlocks in the state the plan is agreed from, in which the "
        "client names a concrete step of their own: \"Sunday I post the letter.\""),
    Diagnostic(
        "PS0043", "info", "A threshold no rule uses",
        "The tree names a rapport threshold that no transition and no beat uses.",
        "thresholds: {warm: 35, hot: 90}   # nothing says rapport_at_least: hot",
        "Use it in a condition, or remove it."),
    # ---------------------------------------------------------------- silent traps (issue 15)
    Diagnostic(
        "PS0050", "warning", "Text cut short by ' #'",
        "In unquoted text, a space followed by '#' starts a comment: YAML drops the rest of the line, "
        "so the trainee sees the text cut there. Files still pass every other check.",
        "replies:\n  default:\n    - I was driver #1 on the number 12   # the trainee sees 'I was driver'",
        "Put the whole text in double quotes: \"I was driver #1 on the number 12\". A note to yourself "
        "goes on a line of its own."),
    Diagnostic(
        "PS0051", "warning", "A placeholder that is never filled",
        "peersim fills placeholders written exactly as ${name}. One left open (${wife), without braces "
        "($wife), with spaces (${ wife }) or in another style ({{wife}}) is shown to the trainee as written.",
        "opening_line: \"My $wife says I should talk to someone.\"",
        "Write it as ${wife}, and give `wife:` a value under the persona's `values:`."),
    Diagnostic(
        "PS0052", "warning", "A value that holds a placeholder",
        "A persona's `values:` fill placeholders in lines, but a value is not filled in again: a "
        "placeholder inside a value reaches the trainee as written.",
        "values:\n  wife: \"${name}'s wife\"",
        "Write the value out in full."),
    Diagnostic(
        "PS0053", "warning", "A state this client never reaches, because of the order beats come out in",
        "The tree can reach the state, but every way there waits for a story beat (`beat_revealed`) "
        "that, for this persona, only comes out in a state reached later. Its lines are never seen "
        "with this client.",
        "beats:\n  - id: son\n    unlock: {at_state: open}\n# and the only rule to 'open' needs beat_revealed: son",
        "Let the beat unlock earlier (`at_state:` a state before, or `rapport_at_least:`), or take the "
        "beat condition off the rule."),
    Diagnostic(
        "PS0054", "warning", "A trap state: every way on ends the session",
        "The state is not an ending, but every rule that can leave it leads to an ending (often only "
        "the `from: any` rules do). Once there, nothing the trainee does brings the client back; "
        "PS0011 cannot see this while a `from: any` rule exists.",
        "states: {withdrawn: ...}\ntransitions:\n  - {move: any, from: any, to: left, when: {rapport_at_most: 5}}\n"
        "# and no rule from: withdrawn to another state",
        "Add a way back: a rule from this state to one that is not an ending (listening or a repair, "
        "usually), or make it an ending."),
    # ---------------------------------------------------------------- behaviour (issue 15)
    Diagnostic(
        "PS0060", "warning", "Skilful listening does not warm the client",
        "Lint plays eight turns of reflections, open questions, an affirmation and a summary against "
        "the persona (as read moves, not typed text). If rapport is no higher at the end, or the client "
        "leaves, a trainee doing well is told by the client that they are not. The message names the "
        "turn and the rule that fired.",
        "sensitivities:\n  listening: 0      # reflections and summaries do nothing for this client",
        "Check the tree's `effects` for listening moves and this persona's `sensitivities` for them; "
        "listening should raise rapport, if slowly for a wary client."),
    Diagnostic(
        "PS0061", "warning", "One misstep ends the session",
        "Lint plays a single piece of directive advice, a judgment and a minimizing turn, each as the "
        "first turn. If one of them alone makes the client leave, a trainee never gets the chance to "
        "notice and repair it. (A breach of confidentiality is meant to end it, and is not tried.)",
        "rapport_start: 16\nsensitivities:\n  directive_advice: 1.2   # -12: rapport 4, below the tree's 'gone'",
        "Start rapport higher (`rapport_start:`), soften the sensitivity, or lower the level at which the "
        "tree's leaving rule fires."),
    Diagnostic(
        "PS0062", "warning", "No plan is reached",
        "Lint plays thirty-eight turns of trust, listening and collaboration. The tree has a `plan` "
        "ending, but this client never gets there: the rules to it wait for something the trainee "
        "cannot give, or this persona's numbers keep rapport below them.",
        "transitions:\n  - {move: collaboration, from: hopeful, to: plan_agreed, when: {rapport_at_least: 150}}",
        "Follow the rules into the plan ending and check that their moves and levels can be met; "
        "`peersim play` with the why pane shows where the client stops."),
)

BY_CODE: dict[str, Diagnostic] = {d.code: d for d in CATALOGUE}


def diagnostic(code: str) -> Diagnostic:
    return BY_CODE[code]


def render_markdown() -> str:
    """docs/diagnostics.md, generated from the catalogue."""
    out = [
        "# peersim lint: the diagnostics",
        "",
        "<!-- Generated from simulator/scenario/diagnostics.py by",
        "     `python -m simulator.scenario.diagnostics > docs/diagnostics.md`. Do not edit by hand:",
        "     tests/test_lint.py fails when this file and the catalogue differ. -->",
        "",
        "`peersim lint PATH...` checks persona and dialogue-tree files and reports each finding as",
        "`file:line:column: severity CODE: message`, followed by a suggested fix. Severities:",
        "",
        "- **error**: the file cannot be used until it is fixed (exit status 1).",
        "- **warning**: something silently does not work as written, such as a rule that never fires.",
        "  `peersim lint --strict` fails on warnings too, for your own checks before sharing a file.",
        "- **info**: worth knowing, often intended.",
        "",
        "| code | severity | title |",
        "| --- | --- | --- |",
    ]
    for d in CATALOGUE:
        out.append(f"| [{d.code}](#{d.code.lower()}) | {d.severity} | {d.title} |")
    for d in CATALOGUE:
        out += ["", f"## {d.code}", "", f"**{d.title}** ({d.severity})", "", d.explanation, "",
                "Example:", "", "```yaml", d.example, "```", "", f"Fix: {d.fix}"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_markdown())
