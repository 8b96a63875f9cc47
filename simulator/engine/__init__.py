"""The conversation engine. Imports nothing from the TUI."""

from simulator.engine.conversation import (
    ClientTurn, Conversation, ConversationOver, Effect, EngineState, RevealedBeat, TransitionInfo,
)

__all__ = ["ClientTurn", "Conversation", "ConversationOver", "Effect", "EngineState", "RevealedBeat",
           "TransitionInfo"]
