"""Key lines read from the screens' own BINDINGS, so the help, the side pane and the
footer cannot disagree with the keys that work. A binding with a `tooltip` is listed with
it; one shown in the footer is listed with its description. Keys a widget reads itself
(typing to filter, Enter in a list) are in the class's HELP_KEYS beside the code."""

from __future__ import annotations

from textual.binding import Binding

NAMES = {"escape": "Esc", "pageup": "PageUp", "pagedown": "PageDown", "enter": "Enter", "up": "Up",
         "down": "Down", "tab": "Tab"}


def key_label(binding: Binding) -> str:
    """"Ctrl+G", "Esc / F10": the binding's key_display, or its keys spelled out."""
    if binding.key_display:
        return binding.key_display
    return " / ".join(_one_key(key.strip()) for key in binding.key.split(","))


def _one_key(key: str) -> str:
    return "+".join(NAMES.get(part, part.upper() if len(part) == 1 and "+" in key else
                              part.capitalize() if len(part) > 1 else part)
                    for part in key.split("+"))


def help_rows(*classes: type, skip_actions: frozenset[str] = frozenset({"app.help"})) -> list[tuple[str, str]]:
    """(keys, what they do) for every listed binding and HELP_KEYS of `classes`, in order."""
    rows: list[tuple[str, str]] = []
    for cls in classes:
        rows += list(cls.__dict__.get("HELP_KEYS", []))
        for binding in cls.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or binding.action in skip_actions:
                continue
            text = binding.tooltip or (binding.description.lower() if binding.show else "")
            if text:
                rows.append((key_label(binding), text))
    listed: list[tuple[str, str]] = []
    for keys, text in rows:  # a key listed by two screens (F2, Esc) is listed once
        if all(keys != other for other, _ in listed):
            listed.append((keys, text))
    return listed


def short_rows(*classes: type, hide: frozenset[str] = frozenset()) -> list[str]:
    """"Ctrl+G coach": one line per listed key, for a side pane (descriptions, not tooltips)."""
    lines = []
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            listed = binding.tooltip or binding.show
            if isinstance(binding, Binding) and listed and binding.description and binding.action not in hide:
                lines.append(f"{key_label(binding)} {binding.description.lower()}")
    return lines
