"""Read points for the point join: a file of any kind :mod:`.files` reads, or a frame.

Every problem is one :class:`~corridormap.errors.InputError` line naming the file, the row
(a text table's or spreadsheet's row as a spreadsheet numbers it, header = row 1; a GDAL
feature from 1; a frame's row by its index) and what is wrong with its coordinates. With
``on_invalid="skip"`` the rows with an unusable coordinate are left out instead, and listed
(row, column, value, reason) in the result's ``attrs["skipped_rows"]``.

Points outside :data:`corridormap.settings.region_bbox` (the rule ``validate`` applies to the
layers) are counted in one :class:`~corridormap.errors.OutsideRegionWarning` naming the columns
read, since swapped latitude and longitude would otherwise give plausible-looking distances of
2,000 km.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from corridormap import settings
from corridormap.errors import InputError, OutsideRegionWarning, SkippedRowsWarning
from corridormap.join.files import LAT_NAMES, LON_NAMES, ReadOptions, Table, read_file

log = logging.getLogger(__name__)

#: Columns of the report of skipped rows.
SKIPPED_COLUMNS = ["row", "column", "value", "reason"]

OnInvalid = Literal["raise", "skip"]


def read_points(
    source: str | Path | pd.DataFrame,
    *,
    options: ReadOptions | None = None,
    on_invalid: OnInvalid = "raise",
    check_region: bool = True,
) -> gpd.GeoDataFrame:
    """Read points from a GeoDataFrame, a DataFrame or a file with lon/lat columns or points.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows with a usable coordinate, EPSG:4326. ``attrs["read_as"]`` says how a file
        was read; with ``on_invalid="skip"``, ``attrs["skipped_rows"]`` lists the rows left out.
        With ``check_region`` (the default) points outside the region are counted in an
        :class:`~corridormap.errors.OutsideRegionWarning` (the dask engine's partitions do not).

    Raises
    ------
    InputError
        If the file cannot be read, has no usable lon/lat columns or (``on_invalid="raise"``)
        holds an invalid coordinate (one line naming the file and row).
    """
    from corridormap.io import display_path

    if on_invalid not in ("raise", "skip"):
        raise InputError(f"on_invalid must be 'raise' or 'skip'; got {on_invalid!r}")
    if isinstance(source, gpd.GeoDataFrame):
        frame = source
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        if check_region:
            warn_outside_region(frame.geometry.x, frame.geometry.y, "points", "x", "y")
        return frame
    if isinstance(source, str | Path):
        path = Path(source)
        where = display_path(path)
        if not path.exists():
            raise InputError(f"{where}: no such file or folder")
        table = read_file(path, where, options or ReadOptions())
    elif isinstance(source, pd.DataFrame):
        where, table = "points", Table(source, "index")
    else:
        raise InputError(
            "points must be a path (CSV, spreadsheet, Parquet, a GDAL vector file) or a "
            f"(geo)pandas frame; got {type(source).__name__}"
        )
    return _located(table, where, on_invalid, check_region)


def _columns(frame: pd.DataFrame, where: str) -> tuple[str, str]:
    columns = {str(c).strip().lower(): c for c in frame.columns}
    lon_col = next((columns[c] for c in LON_NAMES if c in columns), None)
    lat_col = next((columns[c] for c in LAT_NAMES if c in columns), None)
    if lon_col is None or lat_col is None:
        found = [str(c) for c in frame.columns]
        raise InputError(
            f"{where}: needs lon and lat columns (or longitude/latitude, x/y, долгота/широта); "
            f"found {found}"
        )
    return lon_col, lat_col


def _numbers(values: pd.Series, decimal: str) -> pd.Series:
    """Numbers of a coordinate column; text written with a decimal comma when ``decimal=","``.

    ``"auto"`` (spreadsheets): a comma where text cells read like ``74,6`` and none like ``74.6``.
    """
    text = not pd.api.types.is_numeric_dtype(values.dtype)
    if decimal == "auto" and text:
        cells = values[values.map(lambda v: isinstance(v, str))].astype(str).str.strip()
        comma = cells.str.fullmatch(r"[-+]?\d+,\d+").sum()
        point = cells.str.fullmatch(r"[-+]?\d*\.\d+").sum()
        decimal = "," if comma > point else "."
    if decimal == "," and text:
        values = values.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
    return pd.to_numeric(values, errors="coerce")


def _located(
    table: Table, where: str, on_invalid: OnInvalid, check_region: bool = True
) -> gpd.GeoDataFrame:
    """The table's points; invalid rows raise, or are skipped and reported."""
    frame = table.frame
    lon_col, lat_col = _columns(frame, where)
    lon = _numbers(frame[lon_col], table.decimal)
    lat = _numbers(frame[lat_col], table.decimal)
    bad = ~(lon.between(-180, 180) & lat.between(-90, 90))
    if table.invalid is not None:
        bad |= table.invalid.notna()
    skipped: list[dict] = []
    if bad.any():
        skipped = _problems(table, bad.to_numpy(), lon_col, lat_col, lon, lat)
        if on_invalid == "raise":
            raise InputError(_first_problem(table, skipped, int(bad.sum()), where))
        count = int(bad.sum())
        warnings.warn(
            f"{where}: {count:,} of {len(frame):,} rows skipped for an invalid coordinate "
            f"(first: {skipped[0]['where']}: {skipped[0]['reason']})",
            SkippedRowsWarning,
            stacklevel=_caller_level(),
        )
        keep = ~bad.to_numpy()
        frame, lon, lat = frame[keep], lon[keep], lat[keep]
    if check_region:
        warn_outside_region(lon, lat, where, str(lon_col), str(lat_col))
    if not all(pd.api.types.is_numeric_dtype(frame[c].dtype) for c in (lon_col, lat_col)):
        frame = frame.copy()  # coordinates written as text ("74,6") are written back as numbers
        frame[lon_col], frame[lat_col] = lon, lat
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    if table.how:
        points.attrs["read_as"] = table.how
    points.attrs["skipped_rows"] = [
        {k: v for k, v in row.items() if k in SKIPPED_COLUMNS} for row in skipped
    ]
    return points


def _label(table: Table, position: int) -> tuple[str, object]:
    """How a row is named in messages, and its number in the report."""
    if table.numbering == "row":
        return f"row {position + 2}", position + 2
    if table.numbering == "feature":
        return f"feature {position + 1}", position + 1
    index = table.frame.index[position]
    return f"index {index}", index


def _problems(
    table: Table,
    bad: np.ndarray,
    lon_col: object,
    lat_col: object,
    lon: pd.Series,
    lat: pd.Series,
) -> list[dict]:
    """One record per unusable cell of the bad rows (row, column, value, reason), in row order."""
    frame = table.frame
    records = []
    for position in np.flatnonzero(bad):
        where, number = _label(table, int(position))
        geometry = table.invalid.iloc[position] if table.invalid is not None else None
        if isinstance(geometry, str):
            records.append(
                {"where": where, "row": number, "column": "geometry", "value": "",
                 "reason": f"the feature {geometry}", "raw": None}
            )  # fmt: skip
            continue
        raw = (frame[lon_col].iloc[position], frame[lat_col].iloc[position])
        for name, column, value, number_, limit in (
            ("lon", lon_col, raw[0], lon.iloc[position], 180),
            ("lat", lat_col, raw[1], lat.iloc[position], 90),
        ):
            if not -limit <= number_ <= limit:
                records.append(
                    {"where": where, "row": number, "column": str(column),
                     "value": "" if _missing(value) else str(value),
                     "reason": _coordinate_problem(name, value, number_, limit),
                     "raw": raw}
                )  # fmt: skip
    return records


def _first_problem(table: Table, problems: list[dict], count: int, where: str) -> str:
    first = problems[0]
    many = f"{count:,} such row{'s' if count != 1 else ''}"
    hint = "--skip-invalid (on_invalid='skip' in Python) joins the valid rows and reports these"
    if first["raw"] is None:
        return f"{where}: {first['where']}: {first['reason']} ({many}); {hint}"
    shown = ", ".join(_shown(v) for v in first["raw"])
    return (
        f"{where}: {first['where']}: lon/lat ({shown}) is not a valid coordinate: "
        f"{first['reason']} ({many}); {hint}"
    )


def outside_region(lon: pd.Series | np.ndarray, lat: pd.Series | np.ndarray) -> np.ndarray:
    """Which points lie outside :data:`corridormap.settings.region_bbox` (a boolean array)."""
    west, south, east, north = settings.region_bbox
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return ~((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))


def warn_outside_region(
    lon: pd.Series | np.ndarray, lat: pd.Series | np.ndarray, where: str, lon_col: str, lat_col: str
) -> int:
    """Warn once (:class:`OutsideRegionWarning`) counting the points outside the region."""
    outside = outside_region(lon, lat)
    count = int(outside.sum())
    if count:
        west, south, east, north = settings.region_bbox
        rescued = int((outside & ~outside_region(lat, lon)).sum())
        hint = (
            f"; {rescued:,} of them would be inside with the two swapped: are latitude and "
            "longitude swapped?"
            if rescued
            else ""
        )
        warnings.warn(
            f"{where}: {count:,} of {len(outside):,} points lie outside the region "
            f"(lon {west:g}..{east:g}, lat {south:g}..{north:g}), reading longitude from column "
            f"{lon_col!r} and latitude from column {lat_col!r}; their nearest corridor is far "
            f"away{hint}",
            OutsideRegionWarning,
            stacklevel=_caller_level(),
        )
    return count


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside corridormap."""
    import sys

    from corridormap._resources import package_root

    package = str(package_root().resolve())
    level = 1
    frame: Any = sys._getframe(1)  # the function that calls warnings.warn is level 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back
        level += 1
    return level


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    return "empty" if pd.isna(value) else f"{value:g}" if isinstance(value, float) else str(value)


def _coordinate_problem(name: str, value: object, number: float, limit: int) -> str:
    """Why one coordinate is unusable, in a few words."""
    if pd.isna(value) or (isinstance(value, str) and not value.strip()):
        return f"{name} is empty"
    if pd.isna(number):
        return f"{name} {value!r} is not a number"
    if not np.isfinite(number):
        return f"{name} {number:g} is not a finite number"
    return f"{name} {number:g} is outside -{limit}..{limit}"


def written_counts(folder: str | Path) -> tuple[int, int]:
    """Rows, and rows with a corridor, in a folder written by the dask join.

    Read from the Parquet footers (row and null counts), not from the data.
    """
    import pyarrow.parquet as pq

    rows = matched = 0
    for path in sorted(Path(folder).glob("*.parquet")):
        meta = pq.ParquetFile(path).metadata
        column = meta.schema.names.index("corridor_id")
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            stats = group.column(column).statistics
            if stats is None or not stats.has_null_count:
                table = pq.read_table(path, columns=["corridor_id"])
                nulls = table.column("corridor_id").null_count
                rows, matched = rows + table.num_rows, matched + table.num_rows - nulls
                break
            rows += group.num_rows
            matched += group.num_rows - stats.null_count
    return rows, matched
