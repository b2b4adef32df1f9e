"""Shared by the benchmark scripts: the machine and library versions, and writing results."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

LIBRARIES = (
    "corridormap",
    "geopandas",
    "shapely",
    "pyproj",
    "pandas",
    "numpy",
    "pyarrow",
    "dask",
    "distributed",
    "dask-geopandas",
    "folium",
    "branca",
    "psutil",
)


def environment() -> dict[str, Any]:
    """Python, OS, cores, memory and the versions of the libraries that matter here."""
    import psutil

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "commit": commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "libraries": versions,
    }


def commit() -> str:
    """The commit of the working tree, with ``+changes`` if src/ differs from it."""
    import subprocess

    root = RESULTS.parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "geo", "data"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{'+changes in src/geo/data' if dirty else ''}" or "unknown"


def environment_line(env: dict[str, Any]) -> str:
    """One line naming the commit, the machine and the versions."""
    libs = ", ".join(f"{k} {v}" for k, v in env["libraries"].items() if v)
    return (
        f"corridormap at {env['commit']}; Python {env['python']} on {env['platform']}, "
        f"{env['cpu_count']} cores, {env['memory_gib']} GiB; {libs}"
    )


def save(stem: str, text: str, data: dict[str, Any]) -> list[Path]:
    """Write ``<stem>.md`` and ``<stem>.json`` (latest) and timestamped copies to bench/results."""
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = json.dumps(data, indent=2, default=str) + "\n"
    written = []
    for name in (stem, f"{stem}-{stamp}"):
        for suffix, content in ((".md", text + "\n"), (".json", payload)):
            path = RESULTS / f"{name}{suffix}"
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


_SPIN = (
    "import time\nt = time.perf_counter()\nx = 0\n"
    "for i in range(20_000_000):\n    x += i\nprint(time.perf_counter() - t)\n"
)


def cpu_check() -> dict[str, float]:
    """Seconds of a CPU-bound loop alone and with one more copy running at the same time.

    On a shared virtual machine the second core is not always there: ``parallel_speed`` (1.0
    when two copies run as fast as one, 0.5 when they share one core) shows how much of it this
    run had. The figures of a run are only comparable with those of runs of similar speed.
    """
    import subprocess

    def spin(count: int) -> list[float]:
        children = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(count)
        ]
        return [float(child.communicate()[0]) for child in children]

    alone = min(spin(1)[0], spin(1)[0])
    together = max(spin(2))
    return {"alone_s": alone, "two_at_once_s": together, "parallel_speed": alone / together}


def cpu_line(before: dict[str, float], after: dict[str, float]) -> str:
    """One line with the CPU check before and after the benchmark."""
    return (
        f"CPU check (pure-Python loop, {before['alone_s']:.2f} s alone before, "
        f"{after['alone_s']:.2f} s after): two copies at once ran at "
        f"{before['parallel_speed']:.2f}x (before) and {after['parallel_speed']:.2f}x (after) "
        "the speed of one; 1.00 means both cores were fully available."
    )
