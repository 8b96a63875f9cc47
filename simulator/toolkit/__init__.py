"""The trainer's toolkit: what checks and shows a persona or tree by running it, above the
engine (play-tests, coverage, lint, traps, behaviour checks, the graph)."""
