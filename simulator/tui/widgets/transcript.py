"""The conversation transcript: client lines, the client's cue, trainee lines and chips.

One widget draws every line itself (Textual's Line API, like its `Log`): a new turn is
wrapped once at the current width and appended, and only the lines in view are drawn.
Mounting a widget per line would make every reply lay out every earlier turn again, so
Enter-to-reply grew with the transcript (benchmarks/bench_tui.py).

How each kind of entry looks is stated once, in DEFAULT_CSS, as component classes:
colours, text style, margin, padding, a tall left or right border, width (auto: as wide
as the words, up to max-width) and alignment. Every text is shown as typed, never as
markup: it is the trainee's own words or author text.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

KINDS = ("client", "trainee", "cue", "chip", "why", "note", "meta")


@dataclass(frozen=True)
class Entry:
    """One block of the transcript. `shown` is False for a chip the fading mode holds back
    (and its reasons); `tone` colours a chip: good, bad or flat."""

    kind: str
    text: str
    tone: str = ""
    shown: bool = True


def chip_entries(chip) -> list[Entry]:
    """A chip (simulator.tui.practice.Chip) and, shown on F4, the words behind each move."""
    entries = [Entry("chip", chip.text, chip.tone, chip.shown)]
    if chip.why:
        entries.append(Entry("why", "\n".join(chip.why), chip.tone, chip.shown))
    return entries


class Transcript(ScrollView, can_focus=False):
    DEFAULT_CSS = """
    Transcript { overflow-x: hidden; overflow-y: auto; }
    Transcript > .transcript--client { width: auto; max-width: 90%; padding: 0 1; margin-top: 1;
                                       background: $primary 15%; border-left: tall $primary; }
    Transcript > .transcript--trainee { max-width: 100%; padding: 0 1; margin: 1 0 0 8; text-align: right;
                                        background: $accent 12%; border-right: tall $accent; }
    Transcript > .transcript--cue { color: $text-muted; text-style: italic; margin-top: 1; padding: 0 1; }
    Transcript > .transcript--chip { text-align: right; color: $text-muted; }
    Transcript > .transcript--chip-good { color: $success; }
    Transcript > .transcript--chip-bad { color: $error; }
    Transcript > .transcript--why { text-align: right; color: $text-muted; text-style: italic; }
    Transcript > .transcript--note { margin-top: 1; padding: 0 1; color: $warning; text-style: bold; }
    Transcript > .transcript--meta { color: $text-muted; }
    /* The light theme's $warning and $success are pale on its grey: text gets the darker
       $text-* shades made for reading (the dark theme keeps its colours). */
    Transcript:light > .transcript--note { color: $text-warning; }
    Transcript:light > .transcript--chip-good { color: $text-success; }
    """
    COMPONENT_CLASSES = {f"transcript--{kind}" for kind in KINDS} | {"transcript--chip-good",
                                                                      "transcript--chip-bad"}

    show_why: reactive[bool] = reactive(False)
    """F4: under each shown chip, the words behind each move and whether it counted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: list[Entry] = []
        self._lines: list[Strip] = []
        self._drawn_for: tuple | None = None  # (width, show_why) the lines were drawn for

    # ----------------------------------------------------------------- adding
    def add_entries(self, entries: list[Entry]) -> None:
        """Append entries and keep the newest line in view. Only the new entries are drawn."""
        self.entries += entries
        if self._drawn_for is not None and self._drawn_for == self._key():
            for entry in entries:
                self._lines += self._draw(entry, self._drawn_for[0])
            self._set_height()
        self.refresh()
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def clear(self) -> None:
        self.entries = []
        self._lines = []
        self._drawn_for = None
        self.refresh()

    def texts(self, kind: str) -> list[str]:
        """The texts of one kind of entry, oldest first, drawn or not."""
        return [e.text for e in self.entries if e.kind == kind]

    def shown_texts(self, kind: str) -> list[str]:
        """The texts of one kind of entry that are drawn (a held-back chip, or the reasons
        before F4, are not)."""
        return [e.text for e in self.entries if e.kind == kind and self._drawn(e)]

    def lines_in_view(self) -> list[str]:
        """The text of the lines on screen now, top first."""
        top = round(self.scroll_offset.y)
        return [strip.text.rstrip() for strip in self._lines[top:top + self.scrollable_content_region.height]]

    def look(self, kind: str, tone: str = "") -> tuple[Color, Color]:
        """(text colour, background) an entry of this kind is drawn in."""
        styles = self._styles_for(Entry(kind, "", tone))
        background = self.background_colors[1] + styles.background
        color = background + (styles.color if styles.has_rule("color") else self.colors[3])
        return color, background

    # ----------------------------------------------------------------- drawing
    def _key(self) -> tuple:
        # The width left of the scroll bar, once there is one.
        return (self.scrollable_content_region.width, self.show_why)

    def _redraw(self) -> None:
        key = self._key()
        width = key[0]
        self._lines = [line for entry in self.entries for line in self._draw(entry, width)] if width else []
        self._drawn_for = key
        self._set_height()

    def _set_height(self) -> None:
        self.virtual_size = Size(self._drawn_for[0], len(self._lines))

    def _drawn(self, entry: Entry) -> bool:
        return entry.shown and (entry.kind != "why" or self.show_why)

    def _styles_for(self, entry: Entry):
        names = [f"transcript--{entry.kind}"]
        if entry.kind == "chip" and entry.tone in ("good", "bad"):
            names.append(f"transcript--chip-{entry.tone}")
        return self.get_component_styles(*names)

    def _draw(self, entry: Entry, width: int) -> list[Strip]:
        if not self._drawn(entry) or width < 1:
            return []
        styles = self._styles_for(entry)
        base = self.background_colors[1]
        color, background = self.look(entry.kind, entry.tone)
        outer = Style(bgcolor=base.rich_color)
        text_style = Style(color=color.rich_color, bgcolor=background.rich_color) + styles.text_style

        margin, padding = styles.margin, styles.padding
        left_edge, left_color = styles.border_left
        right_edge, right_color = styles.border_right
        border_left = 1 if left_edge not in ("", "none", "hidden") else 0
        border_right = 1 if right_edge not in ("", "none", "hidden") else 0
        chrome = border_left + border_right + padding.left + padding.right
        room = max(1, width - margin.left - margin.right)
        box = room
        if styles.max_width is not None:
            box = min(box, int(styles.max_width.resolve(Size(width, 0), self.app.size)))
        content = Content(entry.text)
        if styles.width is not None and styles.width.is_auto:
            box = min(box, content.get_optimal_width(styles, room) + chrome)
        inner = max(1, box - chrome)
        align = styles.text_align

        # The tall borders, drawn the way Textual draws a widget's: a thin bar on the side
        # next to the words, in the border colour over the background beneath.
        left = Segment("▊", Style(bgcolor=base.rich_color, color=(base + left_color).rich_color, reverse=True))
        right = Segment("▎", Style(bgcolor=base.rich_color, color=(base + right_color).rich_color))
        pad_style = Style(bgcolor=background.rich_color)
        lines = [Strip.blank(width, outer) for _ in range(margin.top)]
        for line in content.wrap(inner):
            text = line.plain
            gap = max(0, inner - line.cell_length)
            before = gap if align == "right" else gap // 2 if align == "center" else 0
            segments = [Segment(" " * margin.left, outer)] if margin.left else []
            if border_left:
                segments.append(left)
            segments.append(Segment(" " * (padding.left + before), pad_style))
            segments.append(Segment(text, text_style))
            segments.append(Segment(" " * (padding.right + gap - before), pad_style))
            if border_right:
                segments.append(right)
            lines.append(Strip(segments).extend_cell_length(width, outer).crop(0, width))
        lines += [Strip.blank(width, outer) for _ in range(margin.bottom)]
        return lines

    def render_line(self, y: int) -> Strip:
        if self._drawn_for != self._key():
            # A new width (a scroll bar came) or a new theme: draw again, newest in view.
            self._redraw()
            self.call_later(self.scroll_end, animate=False, immediate=True, x_axis=False)
        width = self._drawn_for[0]
        index = round(self.scroll_offset.y) + y
        if index >= len(self._lines):
            return Strip.blank(width, Style(bgcolor=self.background_colors[1].rich_color))
        return self._lines[index]

    # ----------------------------------------------------------------- changes of look
    def notify_style_update(self) -> None:
        # A theme switch: every line is drawn again in the new colours.
        super().notify_style_update()
        self._drawn_for = None
        self.refresh()

    def watch_show_why(self) -> None:
        self._redraw()
        self.refresh()
        # The reasons add lines above the newest reply: keep that reply in view.
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def on_resize(self) -> None:
        # The transcript never takes the focus (PageUp/PageDown scroll it from the input),
        # so when the window or the reply list changes its height, keep the latest lines in view.
        if self._drawn_for != self._key():
            self._redraw()
        self.scroll_end(animate=False, immediate=True, x_axis=False)
