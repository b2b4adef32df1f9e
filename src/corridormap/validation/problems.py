"""One-line problems for table cells and GeoJSON geometries, in plain English.

A table problem names the row as a spreadsheet numbers it, its id, the column and what is wrong;
a geometry problem says which position is wrong and how. Shared by
:mod:`corridormap.validation.runner` and
the revenue tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from itertools import chain
from typing import SupportsInt, cast

import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    shape,
)
from shapely.geometry.base import BaseGeometry

from corridormap import settings
from corridormap.validation import schema


def short(value: object, limit: int = 60) -> str:
    """A value as a message quotes it, cut to ``limit`` characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_id(value: str) -> str:
    """An id as a label shows it: plain when printable, quoted (repr) when not."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    return shown if shown.isprintable() else repr(shown)


def _describe_check(check: str, value: object) -> str:
    """Turn a pandera check name and failing value into plain English."""
    shown = short(value)
    if check == "not_nullable":
        return "is empty but required"
    if check == "field_uniqueness":
        return f"{shown} appears more than once"
    if check.startswith("coerce_dtype"):
        kind = "a whole number" if "Int" in check else "a number"
        return f"{shown} is not {kind}"
    if check.startswith("dtype(") and "str" in check:
        return f"{shown} is not text (give it in quotes)"
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'|(\d+)", check)
        names = ", ".join(a or b for a, b in allowed)
        return f"{shown} is not one of: {names}"
    if check.startswith("str_matches("):
        pattern = check[len("str_matches('") : -2]
        hint = schema.PATTERN_HINTS.get(pattern, f"the pattern {pattern}")
        return f"{shown} is not {hint}"
    if check.startswith(("is ", "must ")):  # a message declared with the check (schema.py)
        return f"{shown} {check}"
    if check == "year_range":  # read when the check runs (settings may change)
        low, high = settings.year_range
        return f"{shown} is outside {low}-{high}"
    if check.startswith("str_length("):
        return f"text is too long ({len(str(value))} characters)"
    return f"{shown} fails {check}"


def schema_problems(
    frame: pd.DataFrame, table_schema: pa.DataFrameSchema, where: str, id_column: str, row_word: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """Validate one frame; return the coerced frame (or None) and one line per failure."""
    frame, problems = _non_finite(frame, table_schema, where, id_column, row_word)
    try:
        checked = table_schema.validate(frame, lazy=True)
        return (None if problems else checked), problems
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    # Where a cell could not be converted, the column's other checks ran on its text and fail
    # for every row (1435 is not in (1435, 1520)); only the conversion failures are real.
    coercion = cases["check"].astype(str).str.startswith("coerce_dtype")
    uncoerced = set(cases.loc[coercion, "column"].astype(str))
    for case in cases.itertuples(index=False):
        check, column, index = str(case.check), str(case.column), case.index
        if case.schema_context == "DataFrameSchema":
            if check == "column_in_dataframe":
                problems.append(f"{where}: missing column '{case.failure_case}'")
            elif check == "column_in_schema":
                problems.append(f"{where}: unexpected column '{case.failure_case}'")
            else:
                problems.append(f"{where}: {check} failed ({short(case.failure_case)})")
            continue
        if index is None or (isinstance(index, float) and math.isnan(index)):
            continue  # a check that could not run because coercion already failed
        if column in uncoerced and not check.startswith(("coerce_dtype", "not_nullable", "field_")):
            continue
        prefix = f"{where}: {label(frame, index, id_column, column, row_word)}: column '{column}': "
        if check == "not_nullable" and any(p.startswith(prefix) for p in problems):
            continue  # a non-finite number, already said (its cell was emptied)
        problems.append(prefix + _describe_check(check, case.failure_case))
    return None, problems


def label(
    frame: pd.DataFrame, index: object, id_column: str, column: str | None, row_word: str
) -> str:
    """``row 4 (corridor_id=cagp_d)``: the row as a spreadsheet numbers it, and its id.

    The one labeller of table rows and features: ``row_word`` is ``row`` (CSV; the header is row 1)
    or ``feature`` (GeoJSON; numbered from 1). The id is left out when the problem is in the id
    column itself (the message quotes it).
    """
    ident = frame.at[index, id_column] if id_column in frame.columns else None
    text = f"{row_word} {_row_number(index, row_word)}"
    if isinstance(ident, str) and ident and column != id_column:
        text += f" ({id_column}={show_id(ident)})"
    return text


def _non_finite(
    frame: pd.DataFrame, table_schema: pa.DataFrameSchema, where: str, id_column: str, row_word: str
) -> tuple[pd.DataFrame, list[str]]:
    """NaN or infinity in number columns: coercion would turn 'NaN' into an empty (unknown) cell.

    Returns the frame with those cells emptied (so they are not reported twice) and one line each.
    """
    problems: list[str] = []
    cleaned = frame
    for name, column in table_schema.columns.items():
        if name not in frame.columns or str(column.dtype) not in ("float64", "Int64"):
            continue
        for index, value in frame[name].items():
            if isinstance(value, float) and math.isinf(value):  # Infinity in a GeoJSON property
                number = value
            elif isinstance(value, str):  # a CSV cell; empty cells are already missing
                try:
                    number = float(value)
                except ValueError:
                    continue  # not a number at all: the schema says so
            else:
                continue
            if math.isfinite(number):
                continue
            which = label(frame, index, id_column, name, row_word)
            problems.append(
                f"{where}: {which}: column '{name}': {short(value)} is not a finite number "
                "(leave the cell empty if the value is unknown)"
            )
            cleaned = frame.copy() if cleaned is frame else cleaned
            cleaned.at[index, name] = None
    return cleaned, problems


def _row_number(index: object, row_word: str) -> int:
    # CSV rows are numbered as a spreadsheet shows them (header = row 1); features from 1.
    # The label is from a pandas RangeIndex (an int); pandas ships no types to say so.
    return int(cast(SupportsInt, index)) + (2 if row_word == "row" else 1)


# --------------------------------------------------------------------------- geometries


_NUMBER_TYPES = (int, float)  # what json gives for numbers; not bool


def _is_position(item: list) -> bool:
    return bool(item) and all(type(v) in _NUMBER_TYPES for v in item)


def _positions(coords: object) -> list[list] | None:
    """Flatten nested GeoJSON coordinates to positions; None if the nesting is malformed."""
    if not isinstance(coords, list):
        return None
    if _is_position(coords):
        return [coords]
    out: list[list] = []
    for item in coords:
        if isinstance(item, list) and _is_position(item):  # the common case, without recursion
            out.append(item)
            continue
        sub = _positions(item)
        if sub is None:
            return None
        out.extend(sub)
    return out


def _in_box(lon: float, lat: float) -> bool:
    west, south, east, north = settings.region_bbox
    return west <= lon <= east and south <= lat <= north


def _all_fine(positions: list[list], in_region: bool) -> bool:
    """True when no position has a problem; False sends them to the loop, which says which.

    The same rules as :func:`_position_problem`, vectorized: most features pass, and a country
    outline has thousands of positions.
    """
    if any(len(pos) != 2 for pos in positions):
        return False
    try:
        lon, lat = np.asarray(positions, dtype=float).T
    except (OverflowError, ValueError):
        return False
    return _coordinates_fine(lon, lat, in_region)


def _coordinates_fine(lon: np.ndarray, lat: np.ndarray, in_region: bool) -> bool:
    """:func:`_all_fine` on the longitudes and latitudes as arrays of floats."""
    decimals = settings.max_coordinate_decimals
    fine = (
        np.isfinite(lon).all()
        and np.isfinite(lat).all()
        and (np.abs(lon) <= 180).all()
        and (np.abs(lat) <= 90).all()
        # np.round(x) == x only when x is the double nearest k / 10**decimals: then round() agrees
        and (np.round(lon, decimals) == lon).all()
        and (np.round(lat, decimals) == lat).all()
    )
    if fine and in_region:
        west, south, east, north = settings.region_bbox
        fine = bool(((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)).all())
    return bool(fine)


_NUMBER_TYPE_SET = frozenset(_NUMBER_TYPES)

#: How deep a kind's coordinates nest above its positions (a Polygon: rings of positions).
_DEPTH = {
    "Point": 0,
    "LineString": 1,
    "MultiPoint": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _xy(positions: object) -> np.ndarray | None:
    """A non-empty list of ``[lon, lat]`` lists of JSON numbers as an (n, 2) array, or None."""
    if type(positions) is not list or not positions:
        return None
    if set(map(type, positions)) != {list} or set(map(len, positions)) != {2}:
        return None
    if not set(map(type, chain.from_iterable(positions))) <= _NUMBER_TYPE_SET:
        return None
    try:
        return np.array(positions, dtype=float)
    except OverflowError:  # an integer with hundreds of digits
        return None


def _arrays(coords: object, depth: int) -> np.ndarray | list | None:
    """``coords`` with each list of positions an array (``depth`` levels above them), or None."""
    if depth == 1:
        return _xy(coords)
    if type(coords) is not list or not coords:
        return None
    out = [_arrays(item, depth - 1) for item in coords]
    return None if any(item is None for item in out) else out


def _quick_shape(geometry: dict, kind: str, in_region: bool) -> BaseGeometry | None:
    """The geometry when it is plainly well formed, else None (and the full checks say why).

    Well formed: the nesting its type calls for, no empty list, every position two JSON numbers
    that pass :func:`_coordinates_fine`, and shapely builds it. Then the checks of
    :func:`geometry_problem` before ``shape()`` all pass, and this is what ``shape()`` builds,
    from the same floats, in one numpy conversion per line or ring instead of per position.
    """
    depth = _DEPTH.get(kind)
    coords = geometry.get("coordinates")
    if depth is None:
        return None
    arrays = _arrays([coords] if depth == 0 else coords, max(depth, 1))
    if arrays is None:
        return None
    flat = [arrays] if isinstance(arrays, np.ndarray) else list(_leaves(arrays))
    xy = np.concatenate(flat)
    if not _coordinates_fine(xy[:, 0], xy[:, 1], in_region):
        return None
    try:
        return _build(kind, arrays)
    except (ValueError, TypeError, shapely.errors.ShapelyError):
        return None


def _leaves(arrays: list) -> Iterator[np.ndarray]:
    for item in arrays:
        if isinstance(item, np.ndarray):
            yield item
        else:
            yield from _leaves(item)


def _build(kind: str, arrays: np.ndarray | list) -> BaseGeometry:
    """The shapely geometry of ``kind`` from :func:`_arrays` output, as ``shape()`` builds it."""
    if kind == "Point":
        return Point(arrays[0])
    if kind == "LineString":
        if len(arrays) < 2:
            raise ValueError("fewer than two positions")
        return LineString(arrays)
    if kind == "MultiPoint":
        return MultiPoint(arrays)
    if kind == "MultiLineString":
        return MultiLineString(arrays)
    if kind == "Polygon":
        return Polygon(arrays[0], arrays[1:])
    return MultiPolygon([Polygon(rings[0], rings[1:]) for rings in arrays])


def _position_problem(positions: list[list], in_region: bool) -> str | None:
    """First problem among a feature's positions, or None."""
    if _all_fine(positions, in_region):
        return None
    decimals = settings.max_coordinate_decimals
    swapped = outside = 0
    first_outside: tuple[int, float, float] | None = None
    for number, pos in enumerate(positions, start=1):
        if len(pos) not in (2, 3):
            return f"position {number} has {len(pos)} numbers; expected [lon, lat]"
        try:
            lon, lat = float(pos[0]), float(pos[1])
        except OverflowError:  # an integer with hundreds of digits
            lon = lat = math.inf
        if not (math.isfinite(lon) and math.isfinite(lat)):
            shown = f"{short(pos[0], 24)}, {short(pos[1], 24)}"
            return f"position {number} is not a finite number ({shown})"
        if abs(lon) > 180 or abs(lat) > 90:
            if abs(lon) > 1000 or abs(lat) > 1000:
                return (
                    f"position {number} ({lon:g}, {lat:g}) looks like projected metres; "
                    "GeoJSON must be WGS84 lon/lat degrees (reproject to EPSG:4326)"
                )
            return f"position {number} ({lon:g}, {lat:g}) is out of range for lon/lat"
        if round(lon, decimals) != lon or round(lat, decimals) != lat:
            return f"position {number} ({lon!r}, {lat!r}) has more than {decimals} decimals"
        if in_region and not _in_box(lon, lat):
            outside += 1
            first_outside = first_outside or (number, lon, lat)
            swapped += _in_box(lat, lon)
    if outside:
        assert first_outside is not None  # set with the first position outside
        number, lon, lat = first_outside
        if swapped == outside:
            return (
                f"position {number} ({lon:g}, {lat:g}) looks like lat/lon swapped; "
                "GeoJSON order is [lon, lat]"
            )
        box = ", ".join(f"{v:g}" for v in settings.region_bbox)
        return f"position {number} ({lon:g}, {lat:g}) is outside the region (lon/lat box {box})"
    return None


def geometry_problem(
    geometry: object, spec: schema.LayerSpec
) -> tuple[str | None, BaseGeometry | None]:
    """What is wrong with a feature's geometry for this layer (one line), or the geometry."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        return "has no geometry", None
    kind = geometry.get("type")
    if kind not in spec.geometry_types:
        return f"geometry type {kind!r}; expected {' or '.join(spec.geometry_types)}", None
    geom = _quick_shape(geometry, kind, spec.in_region)
    if geom is None:
        problem, geom = _checked_shape(geometry, kind, spec)
        if problem:
            return problem, None
    assert geom is not None  # _checked_shape gives a problem or a geometry
    if geom.is_empty:
        return "geometry is empty", None
    if kind in schema.LINE_TYPES and geom.length == 0:
        return "line has fewer than two distinct points", None
    if kind in schema.POLYGON_TYPES and not geom.is_valid:
        return f"polygon is invalid ({shapely.is_valid_reason(geom)})", None
    return None, geom


def _checked_shape(
    geometry: dict, kind: str, spec: schema.LayerSpec
) -> tuple[str | None, BaseGeometry | None]:
    """The position-by-position checks, then ``shape()``: the problem, or the geometry."""
    positions = _positions(geometry.get("coordinates"))
    if positions is None:
        return "geometry has malformed coordinates (expected nested [lon, lat] numbers)", None
    if not positions:
        return "geometry is empty (no coordinates)", None
    problem = _position_problem(positions, spec.in_region)
    if problem:
        return problem, None
    if kind == "LineString" and len(positions) < 2:
        return "line has fewer than two positions", None
    try:
        return None, shape(geometry)
    except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
        return f"geometry cannot be read ({' '.join(str(exc).split())})", None
