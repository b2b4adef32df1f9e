"""Benchmark the point join: corridormap in memory and on dask against plain geopandas.

Run on demand (not part of the tests)::

    python bench/bench_join.py                       # 10^5, 10^6 and 10^7 points
    python bench/bench_join.py --sizes 1e5 1e6       # quicker
    python bench/bench_join.py --sizes 1e5 3e5 --workers 2 --methods ours naive-3857

One run of this script measures every method at every size under the same conditions: the same
synthetic points on disk (writing them is not timed), the same atlas, one after the other. Each
measurement runs in a fresh child process (``--one``) so that its peak memory is its own and no
method inherits another's heap or warm caches. The child imports everything and loads the atlas
first; only the join itself is timed (wall clock).

Peak memory (not tracemalloc, which misses most of what numpy, GEOS and Arrow allocate):

* just before the step the child resets its kernel high-water mark (``/proc/self/clear_refs``),
  so ``VmHWM`` in ``/proc/self/status`` afterwards is the exact peak resident set of that process
  during the step. (Not ``ru_maxrss``: after fork + exec a child's ``ru_maxrss`` starts at its
  parent's high-water mark, and ``clear_refs`` does not reset that, so children of a driver that
  once held 10^7 points would all report at least its 1.5 GiB.)
* for the dask engine, whose workers are other processes, the resident memory of the child and
  all its descendants is summed every 20 ms with psutil, and the highest sum is the figure
  reported (a sample can miss a peak shorter than that). Each sample costs about 0.5 ms of CPU,
  so the in-memory methods, for which VmHWM is exact, are not sampled.

"peak RSS" is that peak; "step RSS" is the peak minus the resident memory just before the step
(interpreter, libraries and atlas excluded). Sizes below 10^7 are measured ``--repeat`` times
(best time, highest memory); 10^7 once. A case that exceeds ``--timeout`` seconds is killed and
reported as such, and not tried at larger sizes.

The methods:

``naive-3857`` (the baseline)
    What a user writes with plain geopandas: ``pd.read_parquet``, ``points_from_xy``,
    ``to_crs(3857)`` of points and corridors, ``gpd.sjoin_nearest`` with a distance column. Its
    distances are Web Mercator metres, which overstate ground distance by 1/cos(latitude)
    (30–55 % in this region).
``ours``
    ``pd.read_parquet`` then ``corridormap.join_points`` (in memory; geodesic km).
``ours-dask``
    ``join_points(atlas, folder, engine="dask", out=...)``: partitioned Parquet in (250,000
    rows a part), partitioned GeoParquet out, on a fresh LocalCluster of ``--workers``
    single-threaded worker processes (its start-up and shut-down are timed too; they are also
    measured alone).
``naive-4326``
    ``sjoin_nearest`` without ``to_crs``: distances in degrees. For reference.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _common import commit, cpu_check, cpu_line, environment, environment_line, save

METHODS = ("naive-3857", "ours", "ours-dask", "naive-4326")
BASELINE = "naive-3857"
REGION = (50.0, 35.0, 90.0, 50.0)
PARTITION_ROWS = 250_000
BIG = 10**7


def synthetic_points(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` points spread uniformly over the region, with an id column."""
    rng = np.random.default_rng(seed)
    west, south, east, north = REGION
    return pd.DataFrame(
        {
            "point_id": np.arange(n, dtype=np.int64),
            "lon": rng.uniform(west, east, n),
            "lat": rng.uniform(south, north, n),
        }
    )


def write_inputs(n: int, folder: Path, workers: int) -> int:
    """The points as one Parquet file and as a folder of Parquet parts; the number of parts."""
    import dask.dataframe as dd

    frame = synthetic_points(n)
    frame.to_parquet(folder / "points.parquet")
    parts = max(2 * workers, math.ceil(n / PARTITION_ROWS))
    dd.from_pandas(frame, npartitions=parts, sort=False).to_parquet(folder / "parts")
    return parts


# --------------------------------------------------------------------------- memory


def high_water_mib() -> float:
    """Peak resident set of this process (VmHWM) in MiB, or NaN where /proc is missing."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM, ``ru_maxrss``) to its current RSS (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


class TreeSampler:
    """Sample the summed RSS of this process and its descendants (interval 0: start and stop)."""

    def __init__(self, interval: float = 0.02):
        import psutil

        self._psutil = psutil
        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.start_bytes = self._process.memory_info().rss
        self.peak_bytes = self.start_bytes
        self.most_processes = 1
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if interval > 0:
            self._thread.start()

    def _total(self) -> int:
        processes = [self._process, *self._process.children(recursive=True)]
        self.most_processes = max(self.most_processes, len(processes))
        total = 0
        for process in processes:
            with contextlib.suppress(self._psutil.Error):
                total += process.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._total())
            time.sleep(self._interval)

    def stop(self) -> None:
        """Stop sampling (after one last sample)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._total())


# --------------------------------------------------------------------------- one measurement


def run_one(method: str, folder: Path, workers: int) -> dict[str, Any]:
    """Time one method on the inputs in ``folder`` (called in a fresh child process)."""
    import warnings

    import geopandas as gpd

    import corridormap
    from corridormap.join import _dask

    atlas = corridormap.load()
    corridors = atlas.corridors[["corridor_id", "geometry"]]
    _dask.LOCAL_CLUSTER = {**_dask.LOCAL_CLUSTER, "n_workers": workers}
    if method in ("ours-dask", "dask-startup"):
        import dask_geopandas  # noqa: F401  (imported before the step, like geopandas)
        import distributed  # noqa: F401
    out = folder / f"out-{os.getpid()}"
    exact = reset_peak()
    sampler = TreeSampler(0.02 if method in ("ours-dask", "dask-startup") else 0)
    start = time.perf_counter()
    if method == "ours":
        joined = corridormap.join_points(atlas, pd.read_parquet(folder / "points.parquet"))
        rows, matched = len(joined), int(joined["corridor_id"].notna().sum())
    elif method == "ours-dask":
        corridormap.join_points(atlas, folder / "parts", engine="dask", out=out)
        rows, matched = _dask.written_counts(out)
    elif method == "dask-startup":
        with _dask._client(None):
            pass
        rows = matched = 0
    else:
        frame = pd.read_parquet(folder / "points.parquet")
        points = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
        )
        lines = corridors
        if method == "naive-3857":
            points, lines = points.to_crs(3857), corridors.to_crs(3857)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Geometry is in a geographic CRS" for 4326
            joined = gpd.sjoin_nearest(points, lines, how="left", distance_col="distance")
        # Ties (equidistant corridors) give extra rows; a user would keep the first.
        joined = joined[~joined.index.duplicated()]
        rows, matched = len(joined), int(joined["corridor_id"].notna().sum())
    seconds = time.perf_counter() - start
    sampler.stop()
    self_peak = high_water_mib()
    tree_peak = sampler.peak_bytes / 2**20
    start_mib = sampler.start_bytes / 2**20
    peak = max(self_peak, tree_peak) if exact and not math.isnan(self_peak) else tree_peak
    shutil.rmtree(out, ignore_errors=True)
    return {
        "seconds": seconds,
        "peak_mib": peak,
        "step_mib": peak - start_mib,
        "start_mib": start_mib,
        "self_peak_mib": self_peak,
        "sampled_tree_peak_mib": tree_peak,
        "most_processes": sampler.most_processes,
        "exact_self_peak": exact,
        "rows": rows,
        "matched": matched,
    }


def measure(method: str, folder: Path, workers: int, timeout: float) -> dict[str, Any]:
    """Run one method in a child process; its JSON line, or why it did not finish."""
    command = [sys.executable, __file__, "--one", method, str(folder), "--workers", str(workers)]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    start = time.perf_counter()
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the child and its dask workers
        child.communicate()
        return {"failed": f"timed out after {timeout:.0f} s (killed)"}
    if child.returncode != 0:
        if child.returncode == -signal.SIGKILL:
            why = "killed by SIGKILL (out of memory?)"
        else:
            why = f"exit {child.returncode}: {(stderr.strip().splitlines() or [''])[-1][:200]}"
        return {"failed": f"{why} after {time.perf_counter() - start:.0f} s"}
    return json.loads(stdout.strip().splitlines()[-1])


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run's figures, with the highest memory seen over all runs."""
    done = [r for r in runs if "failed" not in r]
    if len(done) < len(runs):
        return next(r for r in runs if "failed" in r)
    best = dict(min(done, key=lambda r: r["seconds"]))
    for key in ("peak_mib", "step_mib"):
        best[key] = max(r[key] for r in done)
    best["times_s"] = [r["seconds"] for r in done]
    return best


# --------------------------------------------------------------------------- report


def growth(results: dict[tuple[str, int], dict[str, Any]], method: str, n: int, sizes: list[int]):
    """Time factor and exponent k (time ∝ N^k) from the previous size, or ''."""
    index = sizes.index(n)
    if index == 0:
        return ""
    previous = sizes[index - 1]
    now, before = results.get((method, n), {}), results.get((method, previous), {})
    if "seconds" not in now or "seconds" not in before:
        return ""
    factor = now["seconds"] / before["seconds"]
    exponent = math.log(factor) / math.log(n / previous)
    return f"{factor:.1f}x for {n / previous:g}x N (N^{exponent:.2f})"


def table(results: dict[tuple[str, int], dict[str, Any]], sizes: list[int], methods: list[str]):
    """A markdown table: time, memory, ratios to the baseline, growth with N."""
    lines = [
        f"| points | method | time (s) | time / {BASELINE} | time growth vs previous N "
        f"| peak RSS (MiB) | step RSS (MiB) | peak / {BASELINE} | step / {BASELINE} |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for n in sizes:
        base = results.get((BASELINE, n), {})
        for method in methods:
            row = results.get((method, n))
            if row is None:
                continue
            if "failed" in row:
                lines.append(f"| {n:,} | {method} | {row['failed']} | | | | | | |")
                continue

            def ratio(key: str, row=row, base=base) -> str:
                return f"{row[key] / base[key]:.2f}" if key in base and base[key] > 0 else "n/a"

            lines.append(
                f"| {n:,} | {method} | {row['seconds']:.2f} | {ratio('seconds')} "
                f"| {growth(results, method, n, sizes)} | {row['peak_mib']:,.0f} "
                f"| {row['step_mib']:,.0f} | {ratio('peak_mib')} | {ratio('step_mib')} |"
            )
    return "\n".join(lines)


def accuracy(n: int = 20_000) -> dict[str, float]:
    """Median error of each naive distance against corridormap's geodesic km, in percent."""
    import warnings

    import geopandas as gpd

    import corridormap

    atlas = corridormap.load()
    frame = synthetic_points(n, seed=1)
    ours = corridormap.join_points(atlas, frame)
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    corridors = atlas.corridors[["corridor_id", "geometry"]]
    errors = {}
    for crs, to_km in ((3857, 0.001), (4326, 111.32)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            naive = gpd.sjoin_nearest(
                points.to_crs(crs), corridors.to_crs(crs), how="left", distance_col="d"
            )
        naive = naive[~naive.index.duplicated()]
        far = ours["distance_km"] > 1
        error = (naive["d"] * to_km - ours["distance_km"]).abs() / ours["distance_km"]
        errors[f"naive-{crs}: median distance error"] = float(error[far].median() * 100)
        errors[f"naive-{crs}: points given another corridor"] = float(
            (naive["corridor_id"] != ours["corridor_id"]).mean() * 100
        )
    return errors


def main() -> None:
    """Parse the arguments, run every method at every size, print and save a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--repeat", type=int, default=3, help="runs per case below 10^7")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]), args.workers)))
        return
    sizes = sorted({int(s) for s in args.sizes})
    methods = [m for m in METHODS if m in args.methods or m == BASELINE]  # ratios need it
    results: dict[tuple[str, int], dict[str, Any]] = {}
    parts: dict[int, int] = {}
    given_up: set[str] = set()
    started = time.perf_counter()
    env = environment()
    cpu_before = cpu_check()
    with tempfile.TemporaryDirectory(prefix="bench_join_") as tmp:
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            parts[n] = write_inputs(n, folder, args.workers)
            repeat = 1 if n >= BIG else args.repeat
            for method in methods:
                if method in given_up:
                    results[(method, n)] = {"failed": "not run (failed at a smaller size)"}
                    continue
                runs = []
                for _ in range(repeat):
                    runs.append(measure(method, folder, args.workers, args.timeout))
                    if "failed" in runs[-1]:
                        break
                results[(method, n)] = best_of(runs)
                rows = results[(method, n)].get("rows", n)
                if rows != n:
                    results[(method, n)] = {"failed": f"wrong result: {rows:,} rows for {n:,}"}
                if "failed" in results[(method, n)]:
                    given_up.add(method)
                shown = {k: v for k, v in results[(method, n)].items() if k != "times_s"}
                print(f"{n:>12,} {method:<11} {shown}", file=sys.stderr, flush=True)
            shutil.rmtree(folder)
        startup = best_of(
            [measure("dask-startup", Path(tmp), args.workers, args.timeout) for _ in range(3)]
        )
    cpu_after = cpu_check()
    errors = accuracy()
    lines = [
        table(results, sizes, methods),
        "",
        f"Best of {args.repeat} runs below {BIG:,} points, one run at {BIG:,}; each run in a "
        f"fresh process. dask: {args.workers} single-threaded worker processes, partitions of "
        f"{PARTITION_ROWS:,} rows ({', '.join(f'{parts[n]} at {n:,}' for n in sizes)}).",
    ]
    if "failed" not in startup:
        lines.append(
            f"Starting and closing the LocalCluster alone takes {startup['seconds']:.2f} s "
            f"and peaks at {startup['peak_mib']:,.0f} MiB RSS (summed over "
            f"{startup['most_processes']} processes); it is part of every ours-dask figure."
        )
    lines += [
        "",
        "Distances against corridormap's geodesic km (20,000 points; error over points > 1 km "
        "from a corridor; naive-4326 degrees × 111.32 km):",
        *(f"- {name}: {value:.1f} %" for name, value in errors.items()),
        "",
        f"Machine: {environment_line(env)}"
        + ("" if commit() == env["commit"] else f" (the tree moved to {commit()} during the run)"),
        cpu_line(cpu_before, cpu_after),
        f"Total wall time of this benchmark: {time.perf_counter() - started:.0f} s.",
    ]
    text = "\n".join(lines)
    print(text)
    data = {
        "environment": env,
        "args": vars(args),
        "results": [{"points": n, "method": m, **r} for (m, n), r in results.items()],
        "dask_startup": startup,
        "accuracy_percent": errors,
        "cpu_check": {"before": cpu_before, "after": cpu_after},
    }
    written = save("join", text, data)
    print(f"\nWrote {written[0]} and {written[1]}", file=sys.stderr)


if __name__ == "__main__":
    main()
