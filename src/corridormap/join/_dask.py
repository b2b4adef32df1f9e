"""The point join on dask-geopandas over a ``dask.distributed`` cluster.

Each partition goes through the in-memory kernel (:func:`corridormap.join.kernel.join_frame`),
so both engines give the same numbers row for row. dask is imported inside the functions: it is an
optional extra (``pip install 'corridormap[dask]'``).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridormap._util import check_km
from corridormap.atlas.core import Atlas
from corridormap.errors import (
    InputError,
    MissingDependencyError,
    OutputError,
    SchedulerError,
)
from corridormap.io import atomic_dir, display_path
from corridormap.join.kernel import join_frame
from corridormap.join.points import read_points

if TYPE_CHECKING:
    import dask.dataframe as dd
    import geopandas as gpd
    from distributed import Client

log = logging.getLogger(__name__)

#: Keyword arguments of the LocalCluster started when no scheduler is given: one single-threaded
#: worker process per core, the dashboard (if bokeh is installed) on a free port.
LOCAL_CLUSTER: dict[str, Any] = {
    "processes": True,
    "threads_per_worker": 1,
    "dashboard_address": ":0",
}

#: How long to try reaching a scheduler given by address.
CONNECT_TIMEOUT = "10s"

#: Rows per partition when the points are an in-memory frame.
PARTITION_ROWS = 250_000

_MISSING = "the dask engine needs: pip install 'corridormap[dask]'"
_OUTPUT_FILES = {".parquet", ".crc"}
_OUTPUT_NAMES = {"_metadata", "_common_metadata", "_SUCCESS"}


def join_points_dask(
    atlas: Atlas,
    points: str | Path | pd.DataFrame | Any,
    *,
    km: float | None = None,
    out: str | Path | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame | Path:
    """Attach the nearest corridor and its distance to each point, on a dask cluster.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it); only its corridors are sent to the workers.
    points
        Partitioned Parquet (a folder, a file or a glob), CSV (a file or a glob), or a pandas,
        geopandas, dask or dask-geopandas frame; with ``lon``/``lat`` columns (or a point
        geometry, for geo frames).
    km
        If given, points farther than this from every corridor get no corridor (``<NA>``) and
        ``distance_km`` NaN.
    out
        Folder to write the result to as partitioned GeoParquet. It is written next to its final
        place and moved there on success, so a failed run leaves no partial output.
    scheduler
        Address of a running scheduler (e.g. ``"tcp://10.0.0.5:8786"``); its workers need
        corridormap installed. Default: a LocalCluster (:data:`LOCAL_CLUSTER`), closed afterwards.
    progress
        Show a progress bar (on stderr).

    Returns
    -------
    geopandas.GeoDataFrame or Path
        The input with ``corridor_id`` and ``distance_km`` (geodesic km) added, in input order
        with the input index (CSV and Parquet without a stored index get ``0 … n-1``, like
        pandas); with ``out``, the folder written.

    Raises
    ------
    InputError
        If the input cannot be read, lacks lon/lat columns or holds invalid coordinates.
    OutputError
        If ``out`` is an existing file, or a folder holding other files (it may not replace it).
    SchedulerError
        If the scheduler cannot be reached.
    SelectionError
        If ``km`` is negative.
    MissingDependencyError
        If dask, distributed or dask-geopandas is not installed.
    """
    dd = _require_dask()
    km = check_km(km, optional=True)
    target = _check_out(out) if out is not None else None
    import dask

    # Text columns stay as pandas reads them (dask would make them string[pyarrow]), so both
    # engines see the same dtypes.
    with dask.config.set({"dataframe.convert-string": False}):
        return _join(points, atlas, dd, km, target, scheduler, progress)


def _join(
    points: Any,
    atlas: Atlas,
    dd: Any,
    km: float | None,
    target: Path | None,
    scheduler: str | None,
    progress: bool,
) -> gpd.GeoDataFrame | Path:
    frame, where, positional = _open(points, dd)
    slim = atlas.corridors[["corridor_id", "geometry"]].copy()  # what the workers need, a few kB
    try:
        meta = _join_partition(frame._meta, slim, km)
    except InputError as exc:
        raise _located(exc, where) from None
    with _client(scheduler) as client:
        if positional:
            frame = _positional_index(frame, client, dd, where)
        joined = frame.map_partitions(_join_partition, slim, km, meta=meta)
        if target is None:
            return _run(client, joined, where, progress=progress)
        with atomic_dir(target) as staging:
            _run(client, _write_parts(joined, staging), where, progress=progress)
    log.info("Saved %s", target)
    return target


# --------------------------------------------------------------------------- the work


def _join_partition(
    part: pd.DataFrame, corridors: gpd.GeoDataFrame, km: float | None
) -> gpd.GeoDataFrame:
    """The in-memory join of one partition (runs on the workers)."""
    return join_frame(read_points(part, check_region=False), corridors, km)


def _write_parts(joined: dd.DataFrame, folder: Path) -> list[Any]:
    """Tasks writing each partition as a GeoParquet file named ``part.00000.parquet`` and on.

    Zero-padded names keep the input order for readers that sort names as text.
    """
    from dask import delayed

    return [
        delayed(_write_part)(part, folder / f"part.{number:05d}.parquet")
        for number, part in enumerate(joined.to_delayed())
    ]


def _write_part(part: gpd.GeoDataFrame, path: Path) -> int:
    """Write one partition (runs on the workers); the rows written."""
    part.to_parquet(path)
    return len(part)


def _run(client: Client, collection: Any, where: str, *, progress: bool = False) -> Any:
    """Compute on the client, with a progress bar on stderr if asked; errors as one line."""
    future = client.compute(collection)
    if progress:
        from distributed import progress as progress_bar

        with contextlib.redirect_stdout(sys.stderr):
            progress_bar(future, scheduler=client.scheduler.address)
            sys.stdout.write("\n")
    try:
        return client.gather(future)
    except InputError as exc:
        _settle(client, future)
        raise _located(exc, where) from None
    except (OSError, ValueError) as exc:
        _settle(client, future)
        first = (str(exc).splitlines() or [""])[0][:160]
        raise InputError(f"{where}: cannot join points ({type(exc).__name__}: {first})") from None


def _settle(client: Client, future: Any, timeout_s: float = 30.0) -> None:
    """Cancel what is left of a failed run and wait while other parts are still being written.

    One partition failing does not stop the tasks already running on other workers; they would
    go on writing parts into the staging folder while it is being removed.
    """
    client.cancel(future)
    deadline = time.monotonic() + timeout_s
    while any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)


# --------------------------------------------------------------------------- inputs


def _require_dask() -> Any:
    try:
        import dask.dataframe as dd
        import dask_geopandas  # noqa: F401  (registers the geo collections)
        import distributed  # noqa: F401
    except ImportError:
        raise MissingDependencyError(_MISSING) from None
    return dd


def _open(points: Any, dd: Any) -> tuple[dd.DataFrame, str, bool]:
    """A dask frame of the points, how to name them in messages, and whether to renumber rows.

    Rows are renumbered ``0 … n-1`` where the source has no index of its own (CSV, Parquet
    written without one), as pandas does when it reads the same files.
    """
    import dask_geopandas
    import geopandas as gpd

    if isinstance(points, dd.DataFrame):
        return points, "points", False
    if isinstance(points, gpd.GeoDataFrame):
        return (
            dask_geopandas.from_geopandas(points, chunksize=PARTITION_ROWS, sort=False),
            ("points"),
            False,
        )
    if isinstance(points, pd.DataFrame):
        return dd.from_pandas(points, chunksize=PARTITION_ROWS, sort=False), "points", False
    if not isinstance(points, str | Path):
        raise InputError(
            "points must be a path (Parquet, CSV) or a (dask/geo)pandas frame; "
            f"got {type(points).__name__}"
        )
    files = _files(points)
    where = display_path(Path(points)) if not glob.has_magic(str(points)) else str(points)
    parquet = all(f.suffix.lower() in {".parquet", ".pq"} for f in files)
    try:
        if parquet:
            # One partition per file, each read by pandas exactly as the in-memory path reads it.
            meta = pd.read_parquet(files[0]).iloc[:0]
            frame = dd.from_map(pd.read_parquet, files, meta=meta, enforce_metadata=False)
            return frame, where, not _stores_index(files[0])
        return dd.read_csv([str(f) for f in files]), where, True
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        first = (str(exc).splitlines() or [""])[0][:120]
        raise InputError(f"{where}: cannot read points ({type(exc).__name__}: {first})") from None


def _files(points: str | Path) -> list[Path]:
    """The files behind a path, folder or glob (sorted naturally: part.2 before part.10)."""
    text = str(points)
    if glob.has_magic(text):
        found = [Path(p) for p in glob.glob(text) if Path(p).is_file()]
        if not found:
            raise InputError(f"{text}: no file matches this pattern")
    elif Path(text).is_dir():
        found = [
            p
            for p in Path(text).iterdir()
            if p.is_file() and p.suffix.lower() in {".parquet", ".pq"}
        ]
        if not found:
            raise InputError(f"{display_path(Path(text))}: folder holds no .parquet files")
    elif Path(text).is_file():
        found = [Path(text)]
    else:
        raise InputError(f"{display_path(Path(text))}: no such file or folder")
    return sorted(found, key=_natural)


def _natural(path: Path) -> list[object]:
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def _stores_index(path: Path) -> bool:
    """Whether a Parquet file keeps a pandas index as a column (not just a RangeIndex)."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).pandas_metadata or {}
    except (OSError, ValueError) as exc:
        first = (str(exc).splitlines() or [""])[0][:120]
        raise InputError(
            f"{display_path(path)}: cannot read points ({type(exc).__name__}: {first})"
        ) from None
    return any(isinstance(column, str) for column in metadata.get("index_columns", []))


def _positional_index(frame: dd.DataFrame, client: Client, dd: Any, where: str) -> dd.DataFrame:
    """Renumber the rows ``0 … n-1`` across partitions (one counting pass over the input)."""
    from dask import delayed

    lengths = _run(client, frame.map_partitions(len, meta=(None, "int64")), where)
    starts = [0, *pd.Series(list(lengths)).cumsum().tolist()]
    parts = [
        delayed(_renumber)(part, start)
        for part, start in zip(frame.to_delayed(), starts[:-1], strict=True)
    ]
    meta = frame._meta.reset_index(drop=True)
    divisions: list[int] | None = [*starts[:-1], max(starts[-1] - 1, 0)]
    if any(n == 0 for n in lengths):
        divisions = None
    return dd.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)


def _renumber(part: pd.DataFrame, start: int) -> pd.DataFrame:
    part = part.reset_index(drop=True)
    part.index = pd.RangeIndex(start, start + len(part))
    return part


def _located(exc: InputError, where: str) -> InputError:
    """The same error, naming the input instead of the generic ``points``."""
    message = str(exc)
    if message.startswith("points: ") and where != "points":
        message = f"{where}: {message.removeprefix('points: ')}"
    return InputError(message)


# --------------------------------------------------------------------------- cluster and output


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator[Client]:
    """A client of ``scheduler``, or of a LocalCluster started (and closed) here."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(
                f"cannot reach the dask scheduler at {scheduler!r} ({type(exc).__name__})"
            ) from None
        with client:
            yield client
        return
    with _local_cluster(LocalCluster) as cluster, Client(cluster, set_as_default=False) as client:
        yield client


#: Said when worker processes cannot start, and threads do the work instead.
_NO_PROCESSES = (
    "dask worker processes cannot start from {how}; using threads in this process instead. "
    "For worker processes, run a script file whose dask call sits under "
    "'if __name__ == \"__main__\":', or pass scheduler= (--scheduler) of a running cluster"
)


def _local_cluster(LocalCluster: Any) -> Any:  # noqa: N803 (the class, imported lazily)
    """A LocalCluster of :data:`LOCAL_CLUSTER`, or of threads where processes cannot start.

    Worker processes are spawned and re-import ``__main__``: that fails for a script read from a
    pipe (there is no file to import) and for a script that starts the join at import time
    without an ``if __name__ == "__main__":`` guard. Both get threads and one warning.
    """
    threads = {**LOCAL_CLUSTER, "processes": False, "n_workers": 1}
    threads["threads_per_worker"] = LOCAL_CLUSTER.get("n_workers") or os.cpu_count() or 1
    if not LOCAL_CLUSTER.get("processes", True):
        return LocalCluster(**LOCAL_CLUSTER)
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A worker process re-importing a script that joins at import time (multiprocessing's
        # own test for that): end it quietly; the parent falls back to threads and says why.
        raise SystemExit(1)
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    if path is not None and not Path(path).is_file():
        log.warning(_NO_PROCESSES.format(how=f"a script without a file ({path})"))
        return LocalCluster(**threads)
    nanny = logging.getLogger("distributed.nanny")
    level = nanny.level
    nanny.setLevel(logging.CRITICAL)  # its tracebacks of the failed start; we say it in one line
    try:
        return LocalCluster(**LOCAL_CLUSTER)
    except RuntimeError as exc:  # "Nanny failed to start."
        if "failed to start" not in str(exc):
            raise
        log.warning(_NO_PROCESSES.format(how="this script (no __main__ guard?)"))
        return LocalCluster(**threads)
    finally:
        nanny.setLevel(level)


def _check_out(out: str | Path) -> Path:
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{display_path(target)}: the dask engine writes a folder of Parquet files; "
            "this is an existing file"
        )
    if target.is_dir() and not _is_output(target):
        raise OutputError(
            f"{display_path(target)}: folder exists and holds other files; "
            "give a new or empty folder (or a previous join-points output)"
        )
    return target


def _is_output(folder: Path) -> bool:
    """Whether a folder holds nothing but Parquet parts (so replacing it loses nothing else)."""
    return all(
        p.is_file() and (p.suffix in _OUTPUT_FILES or p.name in _OUTPUT_NAMES)
        for p in folder.iterdir()
    )
