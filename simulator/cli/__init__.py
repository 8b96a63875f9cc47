"""The `peersim` command. Each group of subcommands lives in its own module here and
registers itself with `register(subparsers)`; `peersim` alone starts the app."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from simulator.cli.output import CannotWrite
from simulator.safetext import PrintableStream
from simulator.scenario.errors import ScenarioError

# One module per group of commands; each has register(subparsers).
COMMAND_MODULES = [
    "simulator.cli.core",
    "simulator.cli.sessions",
    "simulator.cli.authoring",
    "simulator.cli.moves",
    "simulator.cli.serve",
]


# Commands that need only their own module: `peersim list` need not import the engine,
# the debrief and the authoring tools to register commands it will not run.
LIGHT_COMMANDS = {"list": "simulator.cli.core", "validate": "simulator.cli.core", "schema": "simulator.cli.core",
                  "classify": "simulator.cli.moves", "eval-moves": "simulator.cli.moves"}


def build_parser(modules: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peersim",
        description="Practise peer support conversations with simulated clients. "
                    "Run without a command to start the app.")
    parser.add_argument("--version", action=_VersionAction)
    add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(name).register(sub)
    return parser


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options of the app (`peersim` with no command)."""
    parser.add_argument("--data-dir", help="where sessions are kept (default: PEERSIM_DATA_DIR or the user data folder)")
    parser.add_argument("--mode", choices=["practice", "fading", "assessment", "choice"],
                        help="the mode offered first when a session starts")
    parser.add_argument("--seed", type=seed_number, default=None, help="seed for the client's replies (default 0)")
    add_clients_option(parser)


def add_clients_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: given before the command or after it, the one given is kept.
    parser.add_argument("--clients", metavar="DIR", action="append", default=argparse.SUPPRESS,
                        help="a folder of your own clients, shown beside the shipped ones (may be repeated; "
                             "default: $PEERSIM_CLIENTS, else 'clients' in the data folder)")


def use_library_of(args: argparse.Namespace) -> None:
    from simulator.scenario import library

    library.configure(getattr(args, "clients", None), getattr(args, "data_dir", None))


MAX_SEED = 2**63 - 1     # what the session file can store


def seed_number(text: str) -> int:
    """An argparse type: a seed is a whole number the session file can keep."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number, not '{text[:40]}'") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to {MAX_SEED:,}") from None
    return value


def _app_args(argv: list[str]) -> argparse.Namespace | None:
    """`peersim` with only app options: parsed without importing every command module,
    so the app starts sooner (benchmarks/bench_tui.py). None when a command is given."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    light = argparse.ArgumentParser(prog="peersim", add_help=False)
    add_app_options(light)
    args, rest = light.parse_known_args(argv)
    return None if rest else args


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata is slow to import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default,
                         help=help or "show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"peersim {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peersim")
    except PackageNotFoundError:
        return "0+source"


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        # The clients folders belong to this one command, not to the next call in the same process.
        from simulator.scenario import library

        library.configure()


def _main(argv: list[str]) -> int:
    app_args = _app_args(argv)
    if app_args is not None:
        use_library_of(app_args)
        return start_app(app_args)
    light = LIGHT_COMMANDS.get(argv[0]) if argv and not any(a in ("-h", "--help") for a in argv) else None
    parser = build_parser([light] if light else None)
    args = parser.parse_args(argv)
    use_library_of(args)
    if not getattr(args, "func", None):
        return start_app(args)
    # Persona text and trainee turns can hold terminal escapes: nothing a command prints
    # may act on the reader's terminal (simulator/safetext.py).
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(out), PrintableStream(err)
    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except CannotWrite as exc:
        print(f"peersim: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `peersim classify | head` closes the pipe early; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        sys.stdout, sys.stderr = out, err


def start_app(args: argparse.Namespace) -> int:
    from simulator.tui.app import run_app

    return run_app(args)
