"""Benchmark the point join: corridormap in memory and on dask against plain geopandas.

Run on demand (not part of the tests)::

    python bench/bench_join.py                 # 10^5 and 10^6 points
    python bench/bench_join.py --big           # also 10^7
    python bench/bench_join.py --sizes 1e5 3e5 --workers 2

Every method runs in its own subprocess, so each peak is clean. Peak memory is the most resident
memory of that process and its children (the dask workers) above the level before the step,
sampled every 20 ms. All methods start from the same synthetic points on disk; writing them is
not timed. The methods:

``ours``
    ``pd.read_parquet`` then ``corridormap.join_points`` (in memory; geodesic km).
``ours-dask``
    ``join_points(folder, engine="dask", out=...)``: partitioned Parquet in, partitioned GeoParquet
    out, on a fresh LocalCluster (its start-up is timed too).
``naive-4326``
    What a user writes first: points and corridors in EPSG:4326, ``gpd.sjoin_nearest`` with a
    distance column. Its distances are in degrees, not km.
``naive-3857``
    The same after ``to_crs(3857)`` of everything: metres, but Web Mercator metres, which
    overstate distances by 1/cos(latitude) (30–55 % in this region).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

METHODS = ("ours", "ours-dask", "naive-4326", "naive-3857")
BASELINE = "naive-4326"
REGION = (50.0, 35.0, 90.0, 50.0)


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


def write_inputs(n: int, folder: Path, workers: int) -> None:
    """The points as one Parquet file and as a folder of Parquet parts."""
    import dask.dataframe as dd

    frame = synthetic_points(n)
    frame.to_parquet(folder / "points.parquet")
    parts = max(2 * workers, int(np.ceil(n / 250_000)))
    dd.from_pandas(frame, npartitions=parts, sort=False).to_parquet(folder / "parts")


class PeakMemory:
    """Sample the resident memory of this process and its children until stopped."""

    def __init__(self, interval: float = 0.02):
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.start_bytes = self._rss()
        self.peak_bytes = self.start_bytes
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        import psutil

        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._rss())
            time.sleep(self._interval)

    def stop(self) -> float:
        """Stop sampling; the peak above the starting level, in MiB."""
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._rss())
        return (self.peak_bytes - self.start_bytes) / 2**20


def run_one(method: str, folder: Path, workers: int) -> dict[str, float]:
    """Time one method on the inputs in ``folder`` (called in a fresh subprocess)."""
    import warnings

    import geopandas as gpd

    import corridormap
    from corridormap import _dask

    atlas = corridormap.load()
    corridors = atlas.corridors[["corridor_id", "geometry"]]
    _dask.LOCAL_CLUSTER = {**_dask.LOCAL_CLUSTER, "n_workers": workers}
    memory = PeakMemory()
    start = time.perf_counter()
    if method == "ours":
        joined = corridormap.join_points(pd.read_parquet(folder / "points.parquet"), atlas)
        rows = len(joined)
    elif method == "ours-dask":
        out = corridormap.join_points(
            folder / "parts", atlas, engine="dask", out=folder / f"out-{os.getpid()}"
        )
        rows = _dask.written_counts(out)[0]
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
        rows = len(joined)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": memory.stop(), "rows": rows}


def accuracy(n: int = 20_000) -> dict[str, float]:
    """Median error of each naive distance against corridormap's geodesic km, in percent."""
    import warnings

    import geopandas as gpd

    import corridormap

    atlas = corridormap.load()
    frame = synthetic_points(n, seed=1)
    ours = corridormap.join_points(frame, atlas)
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    corridors = atlas.corridors[["corridor_id", "geometry"]]
    errors = {}
    for crs, to_km in ((4326, 111.32), (3857, 0.001)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            naive = gpd.sjoin_nearest(
                points.to_crs(crs), corridors.to_crs(crs), how="left", distance_col="d"
            )
        naive = naive[~naive.index.duplicated()]
        far = ours["distance_km"] > 1
        error = (naive["d"] * to_km - ours["distance_km"]).abs() / ours["distance_km"]
        errors[f"naive-{crs}"] = float(error[far].median() * 100)
        errors[f"naive-{crs} other corridor"] = float(
            (naive["corridor_id"] != ours["corridor_id"]).mean() * 100
        )
    return errors


def measure(method: str, folder: Path, workers: int) -> dict[str, float]:
    """Run one method in a subprocess and read its JSON line."""
    command = [sys.executable, __file__, "--one", method, str(folder), "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{method} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(
    results: dict[tuple[str, int], dict[str, float]], sizes: list[int], methods: list[str]
) -> str:
    """A markdown table: time, peak memory, ratios to the baseline, growth per 10x points."""
    lines = [
        "| points | method | time (s) | peak memory (MiB) | time / naive-4326 "
        "| memory / naive-4326 | time growth per 10x |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        base = results[(BASELINE, n)]
        for method in methods:
            row = results[(method, n)]
            smaller = results.get((method, n // 10))
            growth = f"{row['seconds'] / smaller['seconds']:.1f}x" if smaller else ""
            lines.append(
                f"| {n:,} | {method} | {row['seconds']:.2f} | {row['peak_mib']:,.0f} "
                f"| {row['seconds'] / base['seconds']:.2f} "
                f"| {row['peak_mib'] / max(base['peak_mib'], 1):.2f} | {growth} |"
            )
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, run every method at every size, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--big", action="store_true", help="also 10^7 points")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]), args.workers)))
        return
    sizes = sorted({int(s) for s in args.sizes} | ({10**7} if args.big else set()))
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_join_") as tmp:
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            write_inputs(n, folder, args.workers)
            for method in METHODS:
                if method in args.methods or method == BASELINE:  # the ratios need it
                    results[(method, n)] = measure(method, folder, args.workers)
                    print(f"{n:>10,} {method:<11} {results[(method, n)]}", file=sys.stderr)
    print(table(results, sizes, [m for m in METHODS if (m, sizes[0]) in results]))
    print("\nMedian distance error against corridormap's geodesic km (points > 1 km away), and")
    print("share of points given another corridor, 20,000 points:")
    for name, value in accuracy().items():
        print(f"- {name}: {value:.1f} %")


if __name__ == "__main__":
    main()
