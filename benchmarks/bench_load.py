"""Load speed (issue 15, item 7): reading and checking trees and personas, the SVG layout,
and the start-up of `peersim list` and `validate` against `python -c "import textual"`.

    python benchmarks/bench_load.py [--repeats N]

Every tree is read from disk again for each repeat (loader.forget_trees), so the figures
are for a first read in a process: "cold" with the cache of checked files off (a file just
edited), "warm" with the file already in that cache (simulator/scenario/cache.py; the cache
is a temporary folder here, never the user's). Run it with PYTHONPATH pointing at another
checkout's code to measure that code the same way (the "before" column of
benchmarks/RESULTS.md; code without the cache ignores PEERSIM_CACHE_DIR, so its "warm" rows
are cold too).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

# simulator first, from PYTHONPATH when it is set: bench_core puts this checkout on the path.
from simulator.scenario import loader, source  # noqa: E402
from simulator.toolkit.graph import to_svg  # noqa: E402
from simulator.scenario.loader import load_scenario, load_tree, shipped_persona_paths  # noqa: E402
from simulator.scenario.schema import Tree  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import PERSONA, generate_tree  # noqa: E402
from machine import machine_info  # noqa: E402

# The checkout whose code is measured: the commands run there, with its own files.
ROOT = Path(loader.__file__).resolve().parent.parent.parent


def _safe_data(text: str):
    """yaml.safe_load, on libyaml's safe loader where it is installed (a 10,000-state tree
    takes a minute on the pure-Python one, and is past read_yaml's size limit)."""
    safe = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    reader = safe(text)
    try:
        return reader.get_single_data()
    finally:
        reader.dispose()


def _without_gc(fn):
    def run():
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()
    return run


def forget() -> None:
    getattr(loader, "forget_trees", lambda: None)()    # absent before the tree cache


# Wall time and CPU time, each a median: on a shared machine the CPU time is the fairer
# comparison (wall time then counts the time spent waiting for a core).
def median_s(fn, repeats: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeats):
        forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


@contextmanager
def cache_dir(value: str):
    """PEERSIM_CACHE_DIR set to `value` ('off', or a folder) while the block runs."""
    before = os.environ.get("PEERSIM_CACHE_DIR")
    os.environ["PEERSIM_CACHE_DIR"] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ["PEERSIM_CACHE_DIR"]
        else:
            os.environ["PEERSIM_CACHE_DIR"] = before


def command_s(argv: list[str], repeats: int, **env_extra: str) -> tuple[float, float]:
    """Median wall and CPU time of a command. PEERSIM_CLIENTS points at no folder unless
    env_extra says otherwise (PEERSIM_CLIENTS='' : the default clients folder in the data folder)."""
    wall, cpu = [], []
    env = {**os.environ, "PEERSIM_CLIENTS": tempfile.gettempdir() + "/no-such-clients-folder", **env_extra}
    env = {k: v for k, v in env.items() if v != ""}
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def fmt(times: tuple[float, float], base: tuple[float, float] | None = None) -> str:
    text = f"{times[0]:.3f} s | {times[1]:.3f} s"
    if base:
        text += f" | {times[0] / base[0]:.2f}x / {times[1] / base[1]:.2f}x"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--svg-sizes", default="500,1000,2000,10000",
                        help="states of the trees the SVG layout is timed on (a quadratic layout needs fewer)")
    args = parser.parse_args()
    info = machine_info()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}; run {info['date']}; "
          f"load average at the start {info['load']}.")
    print("Command: `python " + " ".join(["benchmarks/bench_load.py", *sys.argv[1:]]) + "`")
    print(f"Code measured: {ROOT}\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        trees, personas = Path(tmp) / "dialogue_trees", Path(tmp) / "personas"
        trees.mkdir()
        personas.mkdir()
        big = trees / "generated.yaml"
        big.write_text(generate_tree(2000), encoding="utf-8")
        (personas / "bench.yaml").write_text(PERSONA, encoding="utf-8")
        with cache_dir("off"):
            cold = median_s(lambda: load_tree(big), args.repeats)
            rows.append(("load + validate the generated 2,000-state tree, cold (libyaml where installed)",
                         fmt(cold)))
            fast = source._CLoader
            source._CLoader = None
            # The floor PyYAML sets: its fastest plain read of the same bytes, with no marks and no
            # checks, and with the garbage collector off as peersim's loader has it.
            text = big.read_text(encoding="utf-8")
            rows.append(("reference: `yaml.load` with libyaml's CSafeLoader, values only, no checks (GC off), and / the cold load above",
                         fmt(median_s(_without_gc(lambda: _safe_data(text)), args.repeats), cold)))
            rows.append(("reference: libyaml's composer alone (`yaml.compose`, CSafeLoader, GC off), and / the cold load above",
                         fmt(median_s(_without_gc(lambda: yaml.compose(text, Loader=yaml.CSafeLoader)),
                                      args.repeats), cold)))
            rows.append(("the same on the pure-Python composer",
                         fmt(median_s(lambda: load_tree(big), 1))))
            source._CLoader = fast
            rows.append(("load persona + that tree (`load_scenario`), cold",
                         fmt(median_s(lambda: load_scenario(personas / 'bench.yaml'), args.repeats))))
        with cache_dir(cache):
            rows.append(("the first read that fills the cache of checked files (tree)",
                         fmt(median_s(lambda: load_tree(big), 1))))
            rows.append(("load + validate the generated 2,000-state tree, warm (from the cache)",
                         fmt(median_s(lambda: load_tree(big), args.repeats))))
            rows.append(("load persona + that tree (`load_scenario`), warm",
                         fmt(median_s(lambda: load_scenario(personas / 'bench.yaml'), args.repeats))))
        # Built in memory: a 10,000-state tree is larger than a file may be (source.MAX_BYTES).
        for n in (int(size) for size in args.svg_sizes.split(",")):
            tree = Tree.model_validate(_safe_data(generate_tree(n)))
            rows.append((f"built-in SVG layout, {n:,} states", fmt(median_s(lambda: to_svg(tree), 3))))
        with cache_dir("off"):
            rows.append(("load + check every shipped persona with its tree, cold",
                         fmt(median_s(lambda: [load_scenario(p) for p in shipped_persona_paths()], args.repeats))))
        with cache_dir(cache):
            [load_scenario(p) for p in shipped_persona_paths()]
            rows.append(("load + check every shipped persona with its tree, warm",
                         fmt(median_s(lambda: [load_scenario(p) for p in shipped_persona_paths()], args.repeats))))
        peersim = [sys.executable, "-m", "simulator"]
        bare = command_s([sys.executable, "-c", "import textual"], args.repeats)
        rows.append(('`python -c "import textual"`', fmt(bare)))
        for label, value in (("cold", "off"), ("warm", cache)):
            command_s(peersim + ["list"], 1, PEERSIM_CACHE_DIR=value)      # fills the cache
            rows.append((f"`peersim list` (python -m simulator list), {label}, and / import textual",
                         fmt(command_s(peersim + ["list"], args.repeats, PEERSIM_CACHE_DIR=value), bare)))
            rows.append((f"`peersim list`, {label}, the clients folder in the data folder (the default)",
                         fmt(command_s(peersim + ["list"], args.repeats, PEERSIM_CACHE_DIR=value, PEERSIM_CLIENTS="",
                                       PEERSIM_DATA_DIR=str(Path(tmp) / "data")), bare)))
            rows.append((f"`peersim validate personas dialogue_trees`, {label}, and / import textual",
                         fmt(command_s(peersim + ["validate", "personas", "dialogue_trees"], args.repeats,
                                       PEERSIM_CACHE_DIR=value), bare)))
    print("| measure | wall (median) | CPU (median) | ratio wall / CPU |")
    print("|---|---|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |" + ("" if value.count("|") == 2 else " |"))


if __name__ == "__main__":
    main()
