"""The point join: every point's nearest corridor and its geodesic distance, in one place.

- :mod:`.files` reads a points file of any kind an analyst has (CSV in any separator, decimal
  mark and encoding, ``.xlsx``, Parquet, any vector format GDAL reads);
- :mod:`.points` takes the points of a file or frame and checks their coordinates;
- :mod:`.kernel` is the vectorized in-memory kernel (:func:`nearest_corridor`) and
  :func:`join_frame`, which applies it to one frame: the whole input in memory, or one partition;
- :mod:`._dask` runs :func:`join_frame` on every partition over a ``dask.distributed`` cluster;
- :func:`write_joined` writes an in-memory result atomically.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import pandas as pd

from corridormap._util import check_km
from corridormap.atlas.core import Atlas
from corridormap.errors import OutputError, SelectionError
from corridormap.join.files import ReadOptions
from corridormap.join.kernel import REGION_CRS, join_frame, nearest_corridor
from corridormap.join.points import SKIPPED_COLUMNS, OnInvalid, read_points

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["REGION_CRS", "join_frame", "join_points", "nearest_corridor", "write_joined"]

log = logging.getLogger(__name__)

#: File formats of :func:`write_joined`, by suffix.
WRITERS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".geojson": "geojson",
    ".xlsx": "xlsx",
}


@overload
def join_points(
    atlas: Atlas,
    points: str | Path | pd.DataFrame | Any,
    *,
    km: float | None = None,
    engine: Literal["pandas", "dask"] = "pandas",
    out: None = None,
    scheduler: str | None = None,
    progress: bool = False,
    on_invalid: OnInvalid = "raise",
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> gpd.GeoDataFrame: ...


@overload
def join_points(
    atlas: Atlas,
    points: str | Path | pd.DataFrame | Any,
    *,
    km: float | None = None,
    engine: Literal["pandas", "dask"] = "pandas",
    out: str | Path,
    scheduler: str | None = None,
    progress: bool = False,
    on_invalid: OnInvalid = "raise",
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Path: ...


def join_points(
    atlas: Atlas,
    points: str | Path | pd.DataFrame | Any,
    *,
    km: float | None = None,
    engine: Literal["pandas", "dask"] = "pandas",
    out: str | Path | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    on_invalid: OnInvalid = "raise",
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> gpd.GeoDataFrame | Path:
    """Attach the nearest corridor and its geodesic distance to each point.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    points
        A GeoDataFrame (any CRS), a DataFrame, or a file: a CSV or other delimited text
        (separator, decimal mark and encoding told from the file), an ``.xlsx`` workbook, a
        Parquet or GeoParquet file, or any vector format GDAL reads (GeoJSON in any CRS,
        GeoPackage, Shapefile…; reprojected). A table needs ``lon``/``lat`` columns (or
        ``longitude``/``latitude``, ``x``/``y``, ``долгота``/``широта``). On the dask engine also
        a folder or glob of Parquet parts, or a dask frame.
        Points outside :data:`corridormap.settings.region_bbox` are counted in a warning.
    km
        If given, points farther than this from every corridor get no corridor (``<NA>``) and
        ``distance_km`` NaN.
    engine
        ``"pandas"`` (in memory) or ``"dask"``: dask-geopandas over a ``dask.distributed``
        cluster, for partitioned Parquet too large for one machine's memory.
    out
        A file (``.parquet``, ``.csv``, ``.geojson``; pandas engine) or a folder of GeoParquet
        parts (dask engine) to write the result to, atomically; the path is then returned.
    scheduler
        With ``engine="dask"``: address of a running scheduler; default a local cluster.
    progress
        With ``engine="dask"``: show a progress bar.
    on_invalid
        ``"raise"`` (the default): a row with an unusable coordinate is an :class:`InputError`.
        ``"skip"``: such rows are left out with a :class:`~corridormap.SkippedRowsWarning`, and
        listed (``row``, ``column``, ``value``, ``reason``) in the result's
        ``attrs["skipped_rows"]``; with ``out``, also in ``<out stem>.skipped.csv`` beside it.
    sep, decimal, encoding
        Override what is told from a text file: its separator, decimal mark and encoding.
    sheet
        The sheet of a workbook or the layer of a GDAL dataset: its name, or its position
        from 1; the first by default.

    Returns
    -------
    geopandas.GeoDataFrame or Path
        The input with ``corridor_id`` and ``distance_km`` (kilometres on the WGS84 ellipsoid)
        added, index aligned; with ``out``, the path written.

    Raises
    ------
    InputError
        For points that cannot be read, lack lon/lat columns or hold an invalid coordinate.
    OutputError
        For an ``out`` whose suffix names no format, or (dask engine) an existing file or a
        folder of other files.
    SelectionError
        For a negative ``km`` or an unknown ``engine``.
    SchedulerError
        For a ``scheduler`` that cannot be reached.
    MissingDependencyError
        For ``engine="dask"`` without the ``dask`` extra installed.

    Examples
    --------
    >>> import pandas as pd
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> points = pd.DataFrame({"lon": [74.6, 69.3], "lat": [42.9, 41.3]})
    >>> joined = cm.join_points(atlas, points, km=50)
    >>> list(joined.columns)
    ['lon', 'lat', 'geometry', 'corridor_id', 'distance_km']
    """
    if not isinstance(atlas, Atlas):
        raise TypeError(f"join_points() needs the atlas first; got {type(atlas).__name__}")
    km = check_km(km, optional=True)
    if engine == "dask":
        from corridormap.join._dask import join_points_dask

        return join_points_dask(
            atlas, points, km=km, out=out, scheduler=scheduler, progress=progress
        )
    if engine != "pandas":
        raise SelectionError(f"engine must be 'pandas' or 'dask'; got {engine!r}")
    if out is not None:
        _writer(Path(out))  # a bad suffix fails before the work
    options = ReadOptions(sep=sep, decimal=decimal, encoding=encoding, sheet=sheet)
    joined = join_frame(
        read_points(points, options=options, on_invalid=on_invalid), atlas.corridors, km
    )
    return write_joined(joined, out) if out is not None else joined


def write_joined(frame: gpd.GeoDataFrame, out: str | Path) -> Path:
    """Write joined points atomically: Parquet, CSV or ``.xlsx`` (no geometry) or GeoJSON.

    CSV and spreadsheet cells that a spreadsheet would run as a formula are neutralised
    (:func:`corridormap.io.formula_safe`). Rows skipped for an invalid coordinate
    (``attrs["skipped_rows"]``) are listed in ``<out stem>.skipped.csv`` beside the output.
    """
    from corridormap.io import atomic_path, formula_safe_frame, write_csv

    path = Path(out)
    kind = _writer(path)
    skipped = frame.attrs.get("skipped_rows") or []
    frame = frame.copy()
    frame.attrs = {}
    with atomic_path(path) as tmp:
        if kind == "parquet":
            frame.to_parquet(tmp)
        elif kind == "csv":
            write_csv(pd.DataFrame(frame.drop(columns=frame.geometry.name)), tmp)
        elif kind == "xlsx":
            plain = formula_safe_frame(pd.DataFrame(frame.drop(columns=frame.geometry.name)))
            plain.to_excel(tmp, index=False, engine="openpyxl", sheet_name="joined")
        else:
            tmp.write_text(frame.to_json(na="null", to_wgs84=True), encoding="utf-8")
    if skipped:
        write_csv(pd.DataFrame(skipped, columns=SKIPPED_COLUMNS), skipped_report_path(path))
    log.info("Saved %s", path)
    return path


def skipped_report_path(out: str | Path) -> Path:
    """Where the rows skipped from a join written to ``out`` are listed."""
    path = Path(out)
    return path.with_name(f"{path.stem}.skipped.csv")


def _writer(path: Path) -> str:
    kind = WRITERS.get(path.suffix.lower())
    if kind is None:
        raise OutputError(
            f"{path.name}: the output must end in .parquet, .csv, .xlsx or .geojson; "
            f"got {path.suffix!r}"
        )
    return kind
