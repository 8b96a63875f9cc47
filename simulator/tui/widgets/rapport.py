"""Rapport, drawn two ways: a one-line meter with its trend (conversation) and a
small bar plot of the curve over turns (debrief). Block characters only, so the plot
needs no extra dependency and reads the same over SSH."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


def trend_word(trend: int) -> tuple[str, str]:
    if trend >= 3:
        return "▲ warming", "good"
    if trend <= -3:
        return "▼ cooling", "bad"
    return "▶ steady", "flat"


class RapportMeter(Widget):
    """`Rapport ████████░░░░ 42  ▲ warming` — the bar scales to the widget's width."""

    DEFAULT_CSS = """
    RapportMeter > .meter--fill { color: $success; }
    RapportMeter > .meter--empty { color: $foreground 25%; }
    RapportMeter > .meter--good { color: $success; text-style: bold; }
    RapportMeter > .meter--bad { color: $error; text-style: bold; }
    RapportMeter > .meter--flat { color: $text-muted; }
    /* The light theme's $success is pale on its grey: $text-success is made for reading. */
    RapportMeter:light > .meter--good { color: $text-success; }
    """

    value: reactive[int] = reactive(0)
    trend: reactive[int] = reactive(0)

    def render(self) -> Text:
        word, tone = trend_word(self.trend)
        label = "Rapport "
        tail = f" {self.value:>3}  {word}"
        width = max(4, self.size.width - len(label) - len(tail))
        filled = round(width * max(0, min(100, self.value)) / 100)
        text = Text(label, style="bold")
        text.append("█" * filled, style=self.get_component_rich_style("meter--fill"))
        text.append("░" * (width - filled), style=self.get_component_rich_style("meter--empty"))
        text.append(f" {self.value:>3}  ")
        text.append(word, style=self.get_component_rich_style(f"meter--{tone}"))
        return text

    COMPONENT_CLASSES = {"meter--fill", "meter--empty", "meter--good", "meter--bad", "meter--flat"}


def plot_lines(values: list[int], width: int, height: int, top: int = 100) -> list[str]:
    """Rows of a bar plot, top row first: one bar per value, each `width // len` cells
    wide (at least one), heights in eighths of a cell."""
    if not values or width < 1 or height < 1:
        return []
    bar = max(1, min(4, width // len(values)))
    values = values[-(width // bar):]  # a very long session shows its latest turns
    levels = [round(max(0, min(top, v)) / top * height * 8) for v in values]
    rows = []
    for row in range(height - 1, -1, -1):
        cells = []
        for level in levels:
            fill = max(0, min(8, level - row * 8))
            cells.append(BLOCKS[fill] * bar)
        rows.append("".join(cells))
    return rows


class RapportCurve(Widget):
    """The rapport curve over turns with a 0-100 axis and turn numbers underneath."""

    DEFAULT_CSS = """
    RapportCurve > .curve--bar { color: $success; }
    RapportCurve > .curve--axis { color: $text-muted; }
    """

    def __init__(self, values: list[int], **kwargs):
        super().__init__(**kwargs)
        self.values = list(values)

    def render(self) -> Text:
        axis = 4
        height = max(2, self.size.height - 1)
        rows = plot_lines(self.values, max(1, self.size.width - axis), height)
        bar = len(rows[0]) // max(1, min(len(self.values), len(rows[0]))) if rows else 1
        text = Text()
        style = self.get_component_rich_style("curve--bar")
        for i, row in enumerate(rows):
            label = "100" if i == 0 else " 0" if i == height - 1 else " 50" if i == height // 2 else ""
            text.append(f"{label:>3}▕", style=self.get_component_rich_style("curve--axis"))
            text.append(row, style=style)
            text.append("\n")
        # Turn numbers under the bars: 0 is the start, then every few turns so they fit.
        shown = len(rows[0]) // bar if rows else 0
        first = len(self.values) - shown
        marks = [" "] * (shown * bar)
        step = max(1, (3 + bar - 1) // bar)
        for i in range(0, shown, step):
            label = str(first + i)
            if i * bar + len(label) <= len(marks):
                marks[i * bar: i * bar + len(label)] = list(label)
        text.append(" " * axis + "".join(marks), style=self.get_component_rich_style("curve--axis"))
        return text

    COMPONENT_CLASSES = {"curve--bar", "curve--axis"}
