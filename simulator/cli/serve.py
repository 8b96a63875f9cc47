"""`peersim serve`: the app in a browser (the `serve` extra: pip install 'peersim[serve]')."""

from __future__ import annotations

import argparse
import sys

from simulator.cli import seed_number
from simulator.cli.sessions import DATA_DIR_HELP, data_dir_of
from simulator.store import resolve_data_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="the app in a browser for a room of trainees; each browser has its own "
                                     "trainee, sessions are saved on this machine")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens it to "
                        "the room's network, with a warning of what that means)")
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    p.add_argument("--mode", choices=["practice", "fading", "assessment", "choice"],
                   help="the mode offered first when a session starts")
    p.add_argument("--seed", type=seed_number, default=argparse.SUPPRESS,
                   help="seed for the clients' replies (default 0)")
    p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        print("peersim: the browser mode needs textual-serve: pip install 'peersim[serve]'", file=sys.stderr)
        return 1
    from simulator.serve import make_server, privacy_warning
    from simulator.store import Store

    if not 0 < args.port < 65536:
        print(f"peersim: --port is a number from 1 to 65535, not {args.port}", file=sys.stderr)
        return 1
    folder = resolve_data_dir(data_dir_of(args)).resolve()
    try:
        Store(folder).close()  # made (0700) and checked now, not in the first trainee's browser
    except Exception as exc:
        print(f"peersim: cannot keep sessions in {folder} ({exc}); choose a folder with --data-dir", file=sys.stderr)
        return 1
    warning = privacy_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    make_server(folder, host=args.host, port=args.port, mode=args.mode,
                seed=getattr(args, "seed", None)).serve()
    return 0
