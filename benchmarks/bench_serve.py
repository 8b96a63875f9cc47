"""`peersim serve` with 1 and 10 browsers: time from opening the page to the client list, and
memory per connected trainee.

    python benchmarks/bench_serve.py [--browsers 1 10]

Needs the test extra (textual-serve and selenium) and Debian's chromium and chromium-driver. Each
browser is a headless Chromium opening `/?trainee=traineeN` at the same moment; "to the client
list" is from `driver.get` to the list's filter box being drawn in the page (xterm.js text).
Memory is the resident size (RSS, /proc) of everything the server started for the browsers
(one shell and one peersim app per browser), measured once every page shows its list; the
server's own growth is given apart. Chromium's memory is the trainee's laptop's, not counted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.machine import machine_line  # noqa: E402
from test_serve import browser, free_port, screen_text, wait_for  # noqa: E402


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def run(n: int) -> dict:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--data-dir", data],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        drivers = []
        try:
            wait_for("the server", lambda: _listening(port))
            idle = rss_kb(server.pid)
            drivers = [browser() for _ in range(n)]
            times: list[float] = [0.0] * n

            def open_page(i: int) -> None:
                start = time.perf_counter()
                drivers[i].get(f"http://127.0.0.1:{port}/?trainee=trainee{i}")
                wait_for("the client list", lambda: "Type to filter clients" in screen_text(drivers[i]), 180)
                times[i] = time.perf_counter() - start

            threads = [threading.Thread(target=open_page, args=(i,)) for i in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(2)   # let every app finish loading its clients
            apps = [rss_kb(p) for p in descendants(server.pid)]
            return {"browsers": n, "median_s": statistics.median(times), "max_s": max(times),
                    "per_trainee_mb": sum(apps) / n / 1024, "server_growth_mb": (rss_kb(server.pid) - idle) / 1024,
                    "processes": len(apps)}
        finally:
            for d in drivers:
                d.quit()
            server.terminate()
            server.wait(timeout=30)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browsers", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    import textual_serve  # noqa: F401
    from importlib.metadata import version

    print(machine_line(f"Textual {version('textual')}, textual-serve {version('textual-serve')}"))
    print("| browsers at once | page to client list (median / slowest) | memory per trainee (RSS) | "
          "server's own growth |")
    print("|---:|---|---|---|")
    for n in args.browsers:
        r = run(n)
        print(f"| {n} | {r['median_s']:.1f} s / {r['max_s']:.1f} s | {r['per_trainee_mb']:.0f} MB "
              f"({r['processes']} processes) | {r['server_growth_mb']:.1f} MB |", flush=True)


if __name__ == "__main__":
    main()
