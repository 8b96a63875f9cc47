"""The `peersim` command. Each group of subcommands lives in its own module here and
registers itself with `register(subparsers)`; `peersim` alone starts the app."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from simulator.scenario.errors import ScenarioError

# One module per group of commands; each has register(subparsers).
COMMAND_MODULES = [
    "simulator.cli.core",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peersim",
        description="Practise peer support conversations with simulated clients. "
                    "Run without a command to start the app.")
    parser.add_argument("--version", action="version", version=f"peersim {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peersim")
    except PackageNotFoundError:
        return "0+source"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return start_app(args)
    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `peersim classify | head` closes the pipe early; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def start_app(args: argparse.Namespace) -> int:
    from simulator.tui.app import run_app

    return run_app(args)
