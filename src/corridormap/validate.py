"""Run every check on the layers and tables, collect every problem, raise once.

Each problem is one line that names the file, the feature or row, and what is wrong, e.g.::

    data/projects.csv: row 4 (corridor_id=cagp_d): column 'status': 'operatonal' is not one of ...
    geo/railways.geojson: feature 2 (segment_id=cku_railway__x): position 3 (41.2, 74.1) looks like
    lat/lon swapped; GeoJSON order is [lon, lat]
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import shapely
from shapely.geometry import shape

from . import schema, settings
from .errors import DataError
from .io import display_path, read_json, read_table, resolve_dirs

_BOM = b"\xef\xbb\xbf"


@dataclass
class ValidationReport:
    """What :func:`validate` found.

    Attributes
    ----------
    errors
        One line per problem that makes the data unusable.
    warnings
        One line per problem the atlas can live with (e.g. a byte-order mark).
    layers, tables
        What could be read, by name, for callers that go on to build the atlas.
    """

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


# --------------------------------------------------------------------------- messages


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_check(check: str, value: object) -> str:
    """Turn a pandera check name and failing value into plain English."""
    shown = _short(value)
    if check == "not_nullable":
        return "is empty but required"
    if check == "field_uniqueness":
        return f"{shown} appears more than once"
    if check.startswith("coerce_dtype"):
        kind = "a whole number (year)" if "Int" in check else "a number"
        return f"{shown} is not {kind}"
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'|(\d+)", check)
        names = ", ".join(a or b for a, b in allowed)
        return f"{shown} is not one of: {names}"
    if check.startswith("str_matches("):
        pattern = check[len("str_matches('") : -2]
        hint = schema.PATTERN_HINTS.get(pattern, f"the pattern {pattern}")
        return f"{shown} is not {hint}"
    if check.startswith("greater_than_or_equal_to(0"):
        return f"{shown} is negative"
    if check.startswith("less_than_or_equal_to("):
        return f"{shown} is implausibly large (limit {check[22:-1]})"
    if check.startswith("in_range("):
        low, high = check[9:-1].split(", ")
        return f"{shown} is outside {low}-{high}"
    if check.startswith("str_length("):
        return f"text is too long ({len(str(value))} characters)"
    return f"{shown} fails {check}"


def _schema_problems(
    frame: pd.DataFrame, table_schema: pa.DataFrameSchema, where: str, id_column: str, row_word: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """Validate one frame; return the coerced frame (or None) and one line per failure."""
    try:
        return table_schema.validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems: list[str] = []
    coerced: set[tuple[str, object]] = set()
    for case in cases.itertuples(index=False):
        check, column, index = str(case.check), str(case.column), case.index
        if case.schema_context == "DataFrameSchema":
            if check == "column_in_dataframe":
                problems.append(f"{where}: missing column '{case.failure_case}'")
            elif check == "column_in_schema":
                problems.append(f"{where}: unexpected column '{case.failure_case}'")
            else:
                problems.append(f"{where}: {check} failed ({_short(case.failure_case)})")
            continue
        if index is None or (isinstance(index, float) and math.isnan(index)):
            continue  # a check that could not run because coercion already failed
        if check.startswith("coerce_dtype"):
            coerced.add((column, index))
        elif check.startswith("dtype(") and (column, index) in coerced:
            continue
        ident = frame.at[index, id_column] if id_column in frame.columns else None
        label = f"{row_word} {_row_number(index, row_word)}"
        if isinstance(ident, str) and ident and column != id_column:
            shown = _short(ident, 80) if not ident.isprintable() else _short(ident, 80)[1:-1]
            label += f" ({id_column}={shown})"
        problems.append(
            f"{where}: {label}: column '{column}': {_describe_check(check, case.failure_case)}"
        )
    return None, problems


def _row_number(index: object, row_word: str) -> int:
    # CSV rows are numbered as a spreadsheet shows them (header = row 1); features from 1.
    return int(index) + (2 if row_word == "row" else 1)


# --------------------------------------------------------------------------- layers


def _positions(coords: object) -> list[list] | None:
    """Flatten nested GeoJSON coordinates to positions; None if the nesting is malformed."""
    if (
        isinstance(coords, list)
        and coords
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in coords)
    ):
        return [coords]
    if not isinstance(coords, list):
        return None
    out: list[list] = []
    for item in coords:
        sub = _positions(item)
        if sub is None:
            return None
        out.extend(sub)
    return out


def _in_box(lon: float, lat: float) -> bool:
    west, south, east, north = settings.region_bbox
    return west <= lon <= east and south <= lat <= north


def _position_problem(positions: list[list], in_region: bool) -> str | None:
    """First problem among a feature's positions, or None."""
    decimals = settings.max_coordinate_decimals
    swapped = outside = 0
    first_outside = None
    for number, pos in enumerate(positions, start=1):
        if len(pos) not in (2, 3):
            return f"position {number} has {len(pos)} numbers; expected [lon, lat]"
        lon, lat = float(pos[0]), float(pos[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return f"position {number} is not a finite number ({pos[0]}, {pos[1]})"
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
        number, lon, lat = first_outside
        if swapped == outside:
            return (
                f"position {number} ({lon:g}, {lat:g}) looks like lat/lon swapped; "
                "GeoJSON order is [lon, lat]"
            )
        box = ", ".join(f"{v:g}" for v in settings.region_bbox)
        return f"position {number} ({lon:g}, {lat:g}) is outside the region (lon/lat box {box})"
    return None


def _geometry_problem(geometry: object, spec: schema.LayerSpec) -> str | None:
    if not isinstance(geometry, dict) or "type" not in geometry:
        return "has no geometry"
    kind = geometry.get("type")
    if kind not in spec.geometry_types:
        return f"geometry type {kind!r}; expected {' or '.join(spec.geometry_types)}"
    positions = _positions(geometry.get("coordinates"))
    if not positions:
        return "geometry has no coordinates or malformed coordinates"
    problem = _position_problem(positions, spec.in_region)
    if problem:
        return problem
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        return f"geometry cannot be read ({exc})"
    if geom.is_empty:
        return "geometry is empty"
    if kind in schema.LINE_TYPES and geom.length == 0:
        return "line has fewer than two distinct points"
    if kind in schema.POLYGON_TYPES and not geom.is_valid:
        return f"polygon is invalid ({shapely.is_valid_reason(geom)})"
    return None


def _read_layer(path: Path, spec: schema.LayerSpec, report: ValidationReport) -> None:
    where = display_path(path)
    if not path.is_file():
        report.errors.append(f"{where}: file not found")
        return
    try:
        raw = path.read_bytes()
        if raw.startswith(_BOM):
            report.warnings.append(f"{where}: starts with a UTF-8 byte-order mark (ignored)")
        doc = read_json(path)
    except UnicodeDecodeError as exc:
        report.errors.append(
            f"{where}: not UTF-8 text (byte {exc.object[exc.start]:#x} at offset {exc.start})"
        )
        return
    except json.JSONDecodeError as exc:
        report.errors.append(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        )
        return
    except (OSError, RecursionError) as exc:
        report.errors.append(f"{where}: cannot be read ({type(exc).__name__})")
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        report.errors.append(f"{where}: not a GeoJSON FeatureCollection")
        return
    if "crs" in doc:
        report.errors.append(
            f"{where}: has a 'crs' member; RFC 7946 GeoJSON is always WGS84 lon/lat "
            "(reproject to EPSG:4326 and remove it)"
        )
    features = doc.get("features")
    if not isinstance(features, list):
        report.errors.append(f"{where}: 'features' is missing or not a list")
        return
    rows, geoms, errors_before = [], [], len(report.errors)
    for number, feature in enumerate(features, start=1):
        label = f"{where}: feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.errors.append(f"{label}: not a GeoJSON Feature")
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            report.errors.append(f"{label}: has no properties")
            continue
        ident = props.get(spec.id_property)
        if isinstance(ident, str) and ident:
            label += f" ({spec.id_property}={_short(ident, 80)})"
        for missing in [p for p in spec.properties if p not in props]:
            report.errors.append(f"{label}: missing property '{missing}'")
        for extra in sorted(set(props) - set(spec.properties)):
            report.warnings.append(f"{label}: unexpected property '{_short(extra)}' (ignored)")
        problem = _geometry_problem(feature.get("geometry"), spec)
        if problem:
            report.errors.append(f"{label}: {problem}")
            continue
        rows.append({p: _cell(props.get(p)) for p in spec.properties})
        geoms.append(shape(feature["geometry"]))
    if not features:
        report.errors.append(f"{where}: has no features")
    props_frame = pd.DataFrame(rows, columns=list(spec.properties))
    checked, problems = _schema_problems(
        props_frame.astype(object).where(props_frame.notna(), None),
        schema.LAYER_PROPERTIES[spec.name],
        where,
        spec.id_property,
        "feature",
    )
    report.errors.extend(problems)
    if checked is not None and len(report.errors) == errors_before:
        report.layers[spec.name] = gpd.GeoDataFrame(checked, geometry=geoms, crs="EPSG:4326")


def _cell(value: object) -> object:
    """Property value as a table cell: '' and None are missing, numbers stay numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return value
    return json.dumps(value)


# --------------------------------------------------------------------------- tables


def _read_tables(data_dir: Path, report: ValidationReport) -> None:
    for name, table_schema in schema.TABLES.items():
        path = data_dir / f"{name}.csv"
        where = display_path(path)
        if not path.is_file():
            report.errors.append(f"{where}: file not found")
            continue
        try:
            if path.read_bytes().startswith(_BOM):
                report.warnings.append(f"{where}: starts with a UTF-8 byte-order mark (ignored)")
            frame = read_table(path)
        except UnicodeDecodeError as exc:
            report.errors.append(
                f"{where}: not UTF-8 text (byte {exc.object[exc.start]:#x} at offset "
                f"{exc.start}); save it as UTF-8"
            )
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
            detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else "empty file"
            report.errors.append(f"{where}: cannot be read as CSV ({_short(detail, 120)})")
            continue
        id_column = next(iter(table_schema.columns))
        checked, problems = _schema_problems(frame, table_schema, where, id_column, "row")
        report.errors.extend(problems)
        if checked is not None:
            report.tables[name] = checked


# --------------------------------------------------------------------------- across files


def _split(value: object) -> list[str]:
    return [v for v in str(value).split(";") if v] if isinstance(value, str) else []


def _cross_checks(report: ValidationReport, geo_dir: Path, data_dir: Path) -> None:
    tables, layers, errors = report.tables, report.layers, report.errors
    where = {name: display_path(data_dir / f"{name}.csv") for name in schema.TABLES}
    projects = tables.get("projects")
    segments = tables.get("segments")
    sources = tables.get("sources")

    if sources is not None:
        known = set(sources["source_id"])
        for table, columns in schema.SOURCE_COLUMNS.items():
            frame = tables.get(table)
            if frame is None:
                continue
            id_column = frame.columns[0]
            for index, row in frame.iterrows():
                for column in columns:
                    for source_id in _split(row[column]):
                        if source_id not in known:
                            errors.append(
                                f"{where[table]}: row {int(index) + 2} ({id_column}="
                                f"{row[id_column]}): column '{column}': unknown source id "
                                f"'{source_id}' (not in sources.csv)"
                            )
        places = layers.get("places")
        if places is not None:
            for _, row in places.iterrows():
                for source_id in _split(row["source"]):
                    if source_id not in known:
                        errors.append(
                            f"{display_path(geo_dir / 'places.geojson')}: place "
                            f"{row['place_id']}: unknown source id '{source_id}'"
                        )

    corridor_modes = (
        dict(zip(projects["corridor_id"], projects["mode"], strict=True))
        if projects is not None
        else None
    )
    features: dict[str, tuple[str, str]] = {}  # segment_id -> (layer, corridor_id)
    for name, spec in schema.LINE_LAYERS.items():
        layer = layers.get(name)
        if layer is None:
            continue
        path = display_path(geo_dir / spec.filename)
        for _, row in layer.iterrows():
            seg, corridor = row["segment_id"], row["corridor_id"]
            if seg in features:
                errors.append(f"{path}: segment_id {seg} also appears in {features[seg][0]}")
            features[seg] = (name, corridor)
            if not seg.startswith(corridor + "__"):
                errors.append(f"{path}: segment {seg}: id does not start with '{corridor}__'")
            if corridor_modes is not None:
                mode = corridor_modes.get(corridor)
                if mode is None:
                    errors.append(
                        f"{path}: segment {seg}: corridor '{corridor}' has no row in projects.csv"
                    )
                elif mode not in spec.modes:
                    errors.append(
                        f"{path}: segment {seg}: corridor '{corridor}' is mode "
                        f"'{mode}', which belongs in another layer"
                    )

    if segments is not None and all(n in layers for n in schema.LINE_LAYERS):
        rows = dict(zip(segments["segment_id"], segments["corridor_id"], strict=True))
        for index, seg in zip(segments.index, segments["segment_id"], strict=True):
            if seg not in features:
                errors.append(
                    f"{where['segments']}: row {int(index) + 2} (segment_id={seg}): "
                    "no feature with this segment_id in the line layers"
                )
            elif features[seg][1] != rows[seg]:
                errors.append(
                    f"{where['segments']}: row {int(index) + 2} (segment_id={seg}): "
                    f"corridor_id '{rows[seg]}' but the feature says "
                    f"'{features[seg][1]}'"
                )
        for seg, (layer, _) in sorted(features.items()):
            if seg not in rows:
                errors.append(
                    f"{display_path(geo_dir / (layer + '.geojson'))}: segment {seg}: "
                    "no row in segments.csv"
                )
    if projects is not None:
        known_corridors = set(projects["corridor_id"])
        with_segments = {c for _, c in features.values()}
        if all(n in layers for n in schema.LINE_LAYERS):
            for index, corridor in zip(projects.index, projects["corridor_id"], strict=True):
                if corridor not in with_segments:
                    errors.append(
                        f"{where['projects']}: row {int(index) + 2} (corridor_id="
                        f"{corridor}): no segment drawn for this corridor"
                    )
        for table in ("segments", "status_history"):
            frame = tables.get(table)
            if frame is None:
                continue
            for index, corridor in zip(frame.index, frame["corridor_id"], strict=True):
                if corridor not in known_corridors:
                    errors.append(
                        f"{where[table]}: row {int(index) + 2}: corridor_id "
                        f"'{corridor}' is not in projects.csv"
                    )
        history = tables.get("status_history")
        if history is not None and segments is not None:
            known_segments = set(segments["segment_id"])
            for index, seg in zip(history.index, history["segment_id"], strict=True):
                if isinstance(seg, str) and seg not in known_segments:
                    errors.append(
                        f"{where['status_history']}: row {int(index) + 2}: "
                        f"segment_id '{seg}' is not in segments.csv"
                    )
        places = layers.get("places")
        if places is not None:
            for _, row in places.iterrows():
                for corridor in _split(row["corridor_ids"]):
                    if corridor not in known_corridors:
                        errors.append(
                            f"{display_path(geo_dir / 'places.geojson')}: place "
                            f"{row['place_id']}: unknown corridor '{corridor}'"
                        )
        countries = layers.get("countries")
        if countries is not None:
            known_iso = set(countries["iso3"])
            for index, row in projects.iterrows():
                for iso in _split(row["countries"]):
                    if iso not in known_iso:
                        errors.append(
                            f"{where['projects']}: row {int(index) + 2} (corridor_id="
                            f"{row['corridor_id']}): country {iso} is not in "
                            "countries.geojson"
                        )
    _year_order(report, where.get("projects", "projects.csv"))


def _year_order(report: ValidationReport, where: str) -> None:
    projects = report.tables.get("projects")
    if projects is None:
        return
    both = projects.dropna(subset=["construction_start", "opened"])
    for index, row in both.iterrows():
        if row["opened"] < row["construction_start"]:
            report.errors.append(
                f"{where}: row {int(index) + 2} (corridor_id={row['corridor_id']}): opened "
                f"{row['opened']} is before construction_start {row['construction_start']}"
            )


# --------------------------------------------------------------------------- entry points


def validate(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> ValidationReport:
    """Check every layer and table and the links between them.

    Parameters
    ----------
    geo_dir, data_dir
        Folders to check; ``None`` means the atlas shipped with corridormap.

    Returns
    -------
    ValidationReport
        Every error and warning found (nothing is raised for bad data).
    """
    geo, data = resolve_dirs(geo_dir, data_dir)
    report = ValidationReport()
    for folder, label in ((geo, "geo"), (data, "data")):
        if not folder.is_dir():
            report.errors.append(f"{display_path(folder)}: {label} folder not found")
    if report.errors:
        return report
    for spec in schema.LAYERS.values():
        _read_layer(geo / spec.filename, spec, report)
    _read_tables(data, report)
    _cross_checks(report, geo, data)
    return report


def check(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> ValidationReport:
    """Validate and raise :class:`~corridormap.errors.DataError` listing every error found."""
    report = validate(geo_dir, data_dir)
    if report.errors:
        raise DataError(report.errors)
    return report
