"""Command palette entries (Ctrl+P): the app's main actions, searchable by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS = [
    ("New session", "Choose a client and start a conversation", "go_home"),
    ("History", "Your past sessions and their debriefs", "history"),
    ("Toggle theme", "Switch between the light and the dark theme", "toggle_theme"),
    ("Toggle “Did you mean…?”", "Ask about unsure turns in practice mode, or read them as their harmless move",
     "toggle_asking"),
    ("Help", "Every key, and how the modes work", "help"),
]


class PeersimCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action), help=help_text)
