"""Read points for the point join: a CSV or Parquet file, or a frame, with lon/lat columns.

Every problem is one :class:`~corridormap.errors.InputError` line naming the file, the row
(a CSV row as a spreadsheet numbers it, header = row 1; a frame's row by its index) and what is
wrong with its coordinates. Points outside :data:`corridormap.settings.region_bbox` (the rule
``validate`` applies to the layers) are counted in one warning naming the columns read, since
swapped latitude and longitude would otherwise give plausible-looking distances of 2,000 km.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from corridormap import settings
from corridormap.errors import InputError

log = logging.getLogger(__name__)


def read_points(source: str | Path | pd.DataFrame) -> gpd.GeoDataFrame:
    """Read points from a GeoDataFrame, a DataFrame or a CSV/Parquet file with lon/lat columns.

    Raises
    ------
    InputError
        If the file cannot be read, has no usable lon/lat columns or holds an invalid
        coordinate (one line naming the file and row).
    """
    from corridormap.io import display_path

    where, numbered = "points", False
    if isinstance(source, gpd.GeoDataFrame):
        frame = source
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        warn_outside_region(frame.geometry.x, frame.geometry.y, where, "x", "y")
        return frame
    if isinstance(source, str | Path):
        path = Path(source)
        where = display_path(path)
        frame = _read_points_file(path, where)
        numbered = not (path.suffix.lower() in {".parquet", ".pq"} or path.is_dir())
    elif isinstance(source, pd.DataFrame):
        frame = source
    else:
        raise InputError(
            "points must be a path (CSV, Parquet) or a (geo)pandas frame; "
            f"got {type(source).__name__}"
        )
    columns = {c.lower(): c for c in frame.columns}
    lon_col = next((columns[c] for c in ("lon", "lng", "longitude", "x") if c in columns), None)
    lat_col = next((columns[c] for c in ("lat", "latitude", "y") if c in columns), None)
    if lon_col is None or lat_col is None:
        raise InputError(f"{where}: needs lon and lat columns; found {list(frame.columns)}")
    lon = pd.to_numeric(frame[lon_col], errors="coerce")
    lat = pd.to_numeric(frame[lat_col], errors="coerce")
    bad = ~(lon.between(-180, 180) & lat.between(-90, 90))
    if bad.any():
        first = int(np.argmax(bad.to_numpy()))
        # a CSV row as a spreadsheet numbers it (header = row 1); a frame's row by its index
        row = f"row {first + 2}" if numbered else f"index {frame.index[first]}"
        raw = (frame[lon_col].iloc[first], frame[lat_col].iloc[first])
        shown = ", ".join(_shown(v) for v in raw)
        reason = next(
            _coordinate_problem(name, value, number, limit)
            for name, value, number, limit in (
                ("lon", raw[0], lon.iloc[first], 180),
                ("lat", raw[1], lat.iloc[first], 90),
            )
            if not -limit <= number <= limit
        )
        count = int(bad.sum())
        raise InputError(
            f"{where}: {row}: lon/lat ({shown}) is not a valid coordinate: {reason} "
            f"({count} such row{'s' if count != 1 else ''})"
        )
    warn_outside_region(lon, lat, where, lon_col, lat_col)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def outside_region(lon: pd.Series | np.ndarray, lat: pd.Series | np.ndarray) -> np.ndarray:
    """Which points lie outside :data:`corridormap.settings.region_bbox` (a boolean array)."""
    west, south, east, north = settings.region_bbox
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return ~((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))


def warn_outside_region(
    lon: pd.Series | np.ndarray, lat: pd.Series | np.ndarray, where: str, lon_col: str, lat_col: str
) -> int:
    """Log one warning counting the points outside the region; return that count."""
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
        log.warning(
            "%s: %s of %s points lie outside the region (lon %g..%g, lat %g..%g), reading "
            "longitude from column %r and latitude from column %r; their nearest corridor is far "
            "away%s",
            where,
            f"{count:,}",
            f"{len(outside):,}",
            west,
            east,
            south,
            north,
            lon_col,
            lat_col,
            hint,
        )
    return count


def _read_points_file(path: Path, where: str) -> pd.DataFrame:
    """A CSV or Parquet file (or folder) of points; any failure as one InputError line."""
    from corridormap.io import not_utf8

    if not path.exists():
        raise InputError(f"{where}: no such file or folder")
    if path.is_file() and path.suffix.lower() not in {".parquet", ".pq"}:
        with path.open("rb") as handle:
            if not handle.read(4096).strip():
                raise InputError(f"{where}: is empty (no header row with lon and lat)")
    try:
        if path.suffix.lower() in {".parquet", ".pq"} or path.is_dir():
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except UnicodeDecodeError:
        raise InputError(f"{where}: {not_utf8(path.read_bytes())}") from None
    except (OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc).strip() else ""
        first = first.removeprefix("Error tokenizing data. C error: ")
        raise InputError(
            f"{where}: cannot read points ({type(exc).__name__}: {first[:120]})"
        ) from None


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
