"""Benchmark the command line from a cold start: each run a fresh ``python`` process.

Run on demand (not part of the tests)::

    python bench/bench_startup.py [--repeat 5]

The cases, alternated round by round in this one invocation (so a slow spell on a shared machine
hits them all alike), each timed as the wall clock of a child process from start to exit:

``naive map`` (the baseline)
    A plain script: ``geopandas.read_file`` of every layer, ``pandas.read_csv`` of the tables,
    the segments merged with their projects, then ``folium.GeoJson`` of the countries, one
    layer per mode and the places, a ``LayerControl``, ``fit_bounds``, written to HTML.
``naive map + footprint`` (the baseline of the map with the footprint layers)
    The same script, also drawing the two layers ``corridormap map`` now carries (issue 24):
    AidData's projects (``finance.geojson`` joined to ``finance.csv``) and GEM's assets
    (``energy.geojson`` joined to ``energy.csv``), each a ``folium.GeoJson`` with a popup of a
    few fields, as a plain script would. The goal of ``map (cold)`` is read against this one:
    the like-for-like script, "the naive script with the new layers".
``map (cold)``
    ``corridormap map --out …`` with an empty atlas cache (``CORRIDORMAP_CACHE_DIR`` fresh each
    round): validates every layer and table, builds the self-contained map. The validation runs
    in a forked child while the parent imports folium (see ``corridormap.atlas._overlap``).
``map (cold, one core)``
    The same with ``CORRIDORMAP_PARALLEL=0``: everything in one process, one after the other.
``map (warm)``
    The same with the cache filled by the previous case: validation skipped.
``list (warm)``, ``list (cold)``, ``--help``, ``--version``
    The quick commands.

Ratios are to the naive map's time in the same round; the table shows the median of the rounds
(and the best), and the median CPU seconds (user + system of the child and of every process it
waited for, from ``getrusage(RUSAGE_CHILDREN)``), which shows what the second core did.
Figures are written to bench/results/ (``startup.md``, ``startup.json``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import RESULTS, commit, cpu_check, cpu_line, environment, environment_line, save

ROOT = Path(__file__).resolve().parents[1]

NAIVE = """
import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

geo, data, out = (Path(p) for p in sys.argv[1:4])
layers = {p.stem: gpd.read_file(p) for p in sorted(geo.glob("*.geojson"))}
tables = {p.stem: pd.read_csv(p) for p in sorted(data.glob("*.csv"))}
lines = pd.concat([f for n, f in layers.items() if n not in ("countries", "places")])
segments = lines[["segment_id", "geometry"]].merge(tables["segments"], on="segment_id")
segments = segments.merge(tables["projects"][["corridor_id", "name", "mode"]], on="corridor_id")
segments = gpd.GeoDataFrame(segments, geometry="geometry", crs="EPSG:4326")
m = folium.Map(tiles=None)
folium.GeoJson(layers["countries"].to_json(na="null"), name="Countries").add_to(m)
for mode, frame in segments.groupby("mode", sort=False):
    group = folium.FeatureGroup(name=mode)
    folium.GeoJson(frame.to_json(na="null"), name=mode).add_to(group)
    group.add_to(m)
folium.GeoJson(layers["places"].to_json(na="null"), name="Places").add_to(m)
folium.LayerControl().add_to(m)
west, south, east, north = segments.total_bounds
m.fit_bounds([[south, west], [north, east]])
m.save(out)
"""

#: The naive script, also drawing the footprint layers (before the map is written).
NAIVE_FOOTPRINT = NAIVE.replace(
    "folium.LayerControl().add_to(m)",
    """for name, key, fields in (
    ("finance", "project_id", ["title", "amount_usd", "usd_year", "lenders", "commitment_year"]),
    ("energy", "asset_id", ["name", "kind", "capacity", "capacity_unit", "status"]),
):
    frame = layers[name].merge(tables[name][[key, *fields]], on=key)
    folium.GeoJson(
        frame.to_json(na="null"),
        name=name,
        popup=folium.GeoJsonPopup(fields=fields),
        show=False,
    ).add_to(m)
folium.LayerControl().add_to(m)""",
)


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process; fail loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def main() -> None:
    """Time every case round by round; print and save the table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env_info = environment()
    cpu_before = cpu_check()
    work = Path(tempfile.mkdtemp(prefix="corridormap-startup-"))
    script = work / "naive_map.py"
    script.write_text(NAIVE, encoding="utf-8")
    script_footprint = work / "naive_map_footprint.py"
    script_footprint.write_text(NAIVE_FOOTPRINT, encoding="utf-8")
    base_env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    base_env.pop("CORRIDORMAP_NO_CACHE", None)
    cli = [sys.executable, "-m", "corridormap"]
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for round_ in range(args.repeat + 1):  # round 0 warms the OS file cache, not counted
        cache = work / f"cache-{round_}"
        env = {**base_env, "CORRIDORMAP_CACHE_DIR": str(cache)}
        cases = {
            "naive map": [sys.executable, str(script), "geo", "data", str(work / "naive.html")],
            "naive map + footprint": [
                sys.executable,
                str(script_footprint),
                "geo",
                "data",
                str(work / "naive_fp.html"),
            ],
            "list (cold)": [*cli, "list"],
            "map (cold)": [*cli, "map", "--out", str(work / "cold.html")],
            "map (cold, one core)": [*cli, "map", "--out", str(work / "serial.html")],
            "map (warm)": [*cli, "map", "--out", str(work / "warm.html")],
            "list (warm)": [*cli, "list"],
            "--help": [*cli, "--help"],
            "--version": [*cli, "--version"],
        }
        # list (cold) fills the cache for map (cold): empty it again in between.
        for name, argv in cases.items():
            if name.startswith("map (cold"):
                for entry in cache.glob("*.pickle"):
                    entry.unlink()
            serial = {"CORRIDORMAP_PARALLEL": "0"} if "one core" in name else {}
            seconds, cpu_seconds = run(argv, {**env, **serial})
            if round_:
                times.setdefault(name, []).append(seconds)
                cpu.setdefault(name, []).append(cpu_seconds)
    cpu_after = cpu_check()

    naive, naive_fp = times["naive map"], times["naive map + footprint"]
    goals = {
        "map (cold)": "≤ 1.5x naive + footprint",
        "map (warm)": "≤ 1x naive + footprint",
        "list (warm)": "≤ 1 s",
    }
    lines = [
        f"Each case a fresh process, alternated over {args.repeat} rounds; median (best) wall "
        "seconds, and the median of each round's ratio to each naive map (the corridors only; "
        "the corridors and the two footprint layers, like-for-like with `corridormap map`).",
        "",
        "| case | median s | best s | ratio to naive map | ratio to naive + footprint | CPU s "
        "| goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    rows = {}
    for name, values in times.items():
        ratio = statistics.median(v / n for v, n in zip(values, naive, strict=True))
        ratio_fp = statistics.median(v / n for v, n in zip(values, naive_fp, strict=True))
        cpu_median = statistics.median(cpu[name])
        rows[name] = {
            "times_s": values,
            "median_s": statistics.median(values),
            "ratio": ratio,
            "ratio_footprint": ratio_fp,
            "cpu_s": cpu[name],
            "median_cpu_s": cpu_median,
        }
        lines.append(
            f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {ratio:.2f}x "
            f"| {ratio_fp:.2f}x | {cpu_median:.2f} | {goals.get(name, '')} |"
        )
    lines += [
        "",
        f"Machine: {environment_line(env_info)}"
        + ("" if commit() == env_info["commit"] else f" (tree moved to {commit()} during the run)"),
        cpu_line(cpu_before, cpu_after),
    ]
    text = "\n".join(lines)
    print(text)
    save(
        "startup",
        text,
        {
            "environment": env_info,
            "repeat": args.repeat,
            "cases": rows,
            "cpu_check": {"before": cpu_before, "after": cpu_after},
        },
    )


if __name__ == "__main__":
    RESULTS.mkdir(exist_ok=True)
    main()
