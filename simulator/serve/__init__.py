"""`peersim serve`: the app in a browser, for a room of trainees without a terminal.

textual-serve runs one app process per browser tab and streams its screen over a
websocket. On top of it, peersim adds what a classroom needs:

- each browser's process gets its own trainee name (from the page's address,
  `/?trainee=NAME`, or asked on the first screen), passed in PEERSIM_BROWSER_TRAINEE,
  and every session is saved in this machine's data folder under that name;
- the page is served from our own template, which loads its font from this machine
  instead of textual-serve's link to a web font service: no page asks anything of a
  machine other than this one;
- the addresses on the page are built from the address the browser used, so a room
  reaching this machine by its network address gets working links.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from simulator.safetext import printable

TEMPLATES = Path(__file__).parent / "templates"
LONGEST_NAME = 60        # as the app's own name box
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def trainee_name(raw: str | None) -> str | None:
    """A name from a page address, made safe to file sessions under; None when none was given."""
    if raw is None:
        return None
    name = " ".join(printable(unquote(raw)).split())[:LONGEST_NAME]
    return name or None


def app_command(data_dir: Path, mode: str | None = None, seed: int | None = None) -> str:
    """The shell command textual-serve runs for each browser: this Python, this package, this folder."""
    parts = [sys.executable, "-m", "simulator", "--data-dir", str(data_dir)]
    if mode:
        parts += ["--mode", mode]
    if seed is not None:
        parts += ["--seed", str(seed)]
    return shlex.join(parts)


def privacy_warning(host: str, port: int) -> str | None:
    if host in LOOPBACK:
        return None
    return (f"peersim: serving on {host}:{port}, so anyone who can reach this machine on that port can open "
            "peersim in a browser. Names are not passwords: whoever types a trainee's name sees the sessions "
            "saved under it, and the conversations travel unencrypted (plain http). Use this only on the "
            "room's own network, for the length of the session, and stop it with Ctrl+C afterwards.")


def make_server(data_dir: Path, host: str = "127.0.0.1", port: int = 8000, mode: str | None = None,
                seed: int | None = None):
    """A textual-serve Server for peersim (imported here: the terminal install does not need it)."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log, to_int

    class TraineeAppService(AppService):
        def __init__(self, *args, trainee: str, **kwargs):
            super().__init__(*args, **kwargs)
            self.trainee = trainee

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width=width, height=height)
            environment["PEERSIM_BROWSER_TRAINEE"] = self.trainee
            return environment

    class PeersimServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/as/{trainee}", self.handle_websocket)
            return app

        def _origin(self, request: web.Request) -> str:
            return f"{request.scheme}://{request.host}"

        async def handle_index(self, request: web.Request) -> web.Response:
            import aiohttp_jinja2

            origin = self._origin(request)
            name = trainee_name(request.query.get("trainee"))
            socket = f"{origin}/ws" + (f"/as/{quote(name, safe='')}" if name else "")
            context: dict[str, Any] = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": ("wss:" if origin.startswith("https") else "ws:") + socket.split(":", 1)[1],
                "config": {"static": {"url": f"{origin}/static/"}},
                "application": {"name": "peersim: practise peer support conversations"},
                "ping_url": "",
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # As textual-serve's own, but each browser's app is told its trainee's name.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service = None
            try:
                await websocket.prepare(request)
                service = TraineeAppService(
                    self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                    close=websocket.close, download_manager=self.download_manager, debug=self.debug,
                    trainee=trainee_name(request.match_info.get("trainee")) or "")
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except Exception as error:      # one browser's trouble must not stop the room's server
                log.exception(error)
            finally:
                if service is not None:
                    await service.stop()
            return websocket

        async def on_startup(self, app: web.Application) -> None:
            shown = "127.0.0.1" if self.host in LOOPBACK else self.host
            self.console.print(f"peersim is serving at http://{shown}:{self.port}/", highlight=False)
            self.console.print(f"Sessions are saved in {data_dir}; `peersim report --data-dir {data_dir}` "
                               "gives the room's report.", highlight=False)
            self.console.print("Press Ctrl+C to stop.", highlight=False)

    import textual_serve.server as ts_server
    statics = Path(ts_server.__file__).parent / "static"
    return PeersimServer(app_command(data_dir, mode, seed), host=host, port=port, title="peersim",
                         public_url=f"http://{host}:{port}", statics_path=statics, templates_path=TEMPLATES)
