"""Run every check on the layers and tables, collect every problem, raise once.

Each problem is one line that names the file, the feature or row, and what is wrong, e.g.::

    data/projects.csv: row 4 (corridor_id=cagp_d): column 'status': 'operatonal' is not one of ...
    geo/railways.geojson: feature 2 (segment_id=cku_railway__x): position 3 (41.2, 74.1) looks like
    lat/lon swapped; GeoJSON order is [lon, lat]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import schema
from .errors import DataError
from .io import InputError, display_path, read_json, read_table, resolve_dirs
from .network_checks import network_problems
from .problems import geometry_problem, schema_problems, short, show_id

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


# --------------------------------------------------------------------------- layers


def _read_layer(path: Path, spec: schema.LayerSpec, report: ValidationReport) -> None:
    where = display_path(path)
    if not path.is_file():
        report.errors.append(f"{where}: file not found")
        return
    try:
        doc = read_json(path)
    except InputError as exc:
        report.errors.append(f"{where}: {exc}")
        return
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(exc.doc.rstrip())
        hint = "; the file ends early (truncated?)" if ends else ""
        report.errors.append(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}){hint}"
        )
        return
    except RecursionError:
        report.errors.append(f"{where}: cannot be read (JSON nested too deeply)")
        return
    except OSError as exc:
        report.errors.append(f"{where}: cannot be read ({exc.strerror or type(exc).__name__})")
        return
    _bom_warning(path, where, report)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        report.errors.append(f"{where}: not a GeoJSON FeatureCollection")
        return
    if "crs" in doc:
        props = doc["crs"].get("properties") if isinstance(doc["crs"], dict) else None
        name = props.get("name") if isinstance(props, dict) else None
        declared = f" ({short(name)})" if isinstance(name, str) else ""
        report.errors.append(
            f"{where}: has a 'crs' member{declared}; RFC 7946 GeoJSON is always WGS84 lon/lat "
            "(reproject to EPSG:4326 and remove it)"
        )
    features = doc.get("features")
    if not isinstance(features, list):
        report.errors.append(f"{where}: 'features' is missing or not a list")
        return
    rows, geoms, errors_before = [], [], len(report.errors)
    kind_is_line = spec.geometry_types == schema.LINE_TYPES
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
            label += f" ({spec.id_property}={show_id(ident)})"
        for missing in [p for p in spec.properties if p not in props]:
            report.errors.append(f"{label}: missing property '{missing}'")
        for extra in sorted(set(props) - set(spec.properties)):
            report.warnings.append(f"{label}: unexpected property '{short(extra)}' (ignored)")
        problem, geom = geometry_problem(feature.get("geometry"), spec)
        if problem:
            report.errors.append(f"{label}: {problem}")
            continue
        if kind_is_line and not geom.is_simple:
            report.warnings.append(
                f"{label}: line crosses or retraces itself (kept as drawn; check the vertex order)"
            )
        rows.append({p: _cell(props.get(p)) for p in spec.properties})
        geoms.append(geom)
    if not features:
        report.errors.append(f"{where}: has no features")
    props_frame = pd.DataFrame(rows, columns=list(spec.properties))
    checked, problems = schema_problems(
        props_frame.astype(object).where(props_frame.notna(), None),
        schema.LAYER_PROPERTIES[spec.name],
        where,
        spec.id_property,
        "feature",
    )
    report.errors.extend(problems)
    if checked is not None and len(report.errors) == errors_before:
        report.layers[spec.name] = gpd.GeoDataFrame(checked, geometry=geoms, crs="EPSG:4326")


def _bom_warning(path: Path, where: str, report: ValidationReport) -> None:
    with path.open("rb") as handle:
        if handle.read(len(_BOM)) == _BOM:
            report.warnings.append(f"{where}: starts with a UTF-8 byte-order mark (ignored)")


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
            frame = read_table(path)
        except InputError as exc:
            report.errors.append(f"{where}: {exc}")
            continue
        except (pd.errors.ParserError, OSError) as exc:
            detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            report.errors.append(f"{where}: cannot be read as CSV ({short(detail, 120)})")
            continue
        _bom_warning(path, where, report)
        id_column = next(iter(table_schema.columns))
        checked, problems = schema_problems(frame, table_schema, where, id_column, "row")
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
    sources = report.tables.get("sources")
    known = set(sources["source_id"]) if sources is not None else None
    report.errors.extend(network_problems(geo, data, known))
    return report


def check(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> ValidationReport:
    """Validate and raise :class:`~corridormap.errors.DataError` listing every error found."""
    report = validate(geo_dir, data_dir)
    if report.errors:
        raise DataError(report.errors)
    return report
