"""Run every check on the layers and tables, collect every problem, raise once.

Each problem is one line that names the file, the feature or row, and what is wrong, e.g.::

    data/projects.csv: row 4 (corridor_id=cagp_d): column 'status': 'operatonal' is not one of ...
    geo/railways.geojson: feature 2 (segment_id=cku_railway__x): position 3 (41.2, 74.1) looks like
    lat/lon swapped; GeoJSON order is [lon, lat]
"""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
from shapely.geometry.base import BaseGeometry

from corridormap.errors import DataError
from corridormap.io import (
    UnreadableFile,
    display_path,
    read_json,
    read_table,
    read_text,
    resolve_dirs,
)
from corridormap.validation import footprint, schema
from corridormap.validation import network_rules as network_checks
from corridormap.validation import revenue_rules as revenue_schema
from corridormap.validation import rules as checks
from corridormap.validation.problems import geometry_problem, schema_problems, short, show_id
from corridormap.validation.rules import ValidationReport

_BOM = b"\xef\xbb\xbf"


# --------------------------------------------------------------------------- layers


def _read_layer(
    path: Path,
    spec: schema.LayerSpec,
    report: ValidationReport,
    properties: pa.DataFrameSchema | None = None,
) -> None:
    """Read one GeoJSON layer, check every feature; keep it in ``report.layers`` if all is well.

    ``properties`` is the schema of the features' properties (by default the layer's own of
    ``schema.LAYER_PROPERTIES``).
    """
    errors_before = len(report.errors)
    features = _features_of(path, report)
    if features is None:
        return
    where = display_path(path)
    rows, geoms = [], []
    for number, feature in enumerate(features, start=1):
        found = _feature(feature, f"{where}: feature {number}", spec, report)
        if found is not None:
            rows.append(found[0])
            geoms.append(found[1])
    if not features:
        report.errors.append(f"{where}: has no features")
    props_frame = pd.DataFrame(rows, columns=list(spec.properties))
    checked, problems = schema_problems(
        props_frame.astype(object).where(props_frame.notna(), None),
        schema.LAYER_PROPERTIES[spec.name] if properties is None else properties,
        where,
        spec.id_property,
        "feature",
    )
    report.errors.extend(problems)
    if checked is not None and len(report.errors) == errors_before:
        report.layers[spec.name] = gpd.GeoDataFrame(checked, geometry=geoms, crs="EPSG:4326")


def _features_of(path: Path, report: ValidationReport) -> list | None:
    """The features of a GeoJSON FeatureCollection file, or None (and why, in the report)."""
    where = display_path(path)
    if not path.is_file():
        report.errors.append(f"{where}: file not found")
        return None
    try:
        doc = read_json(path)
    except UnreadableFile as exc:
        report.errors.append(f"{where}: {exc}")
        return None
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(exc.doc.rstrip())
        hint = "; the file ends early (truncated?)" if ends else ""
        report.errors.append(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}){hint}"
        )
        return None
    except RecursionError:
        report.errors.append(f"{where}: cannot be read (JSON nested too deeply)")
        return None
    except OSError as exc:
        report.errors.append(f"{where}: cannot be read ({exc.strerror or type(exc).__name__})")
        return None
    _bom_warning(path, where, report)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        report.errors.append(f"{where}: not a GeoJSON FeatureCollection")
        return None
    if "crs" in doc:
        report.errors.append(f"{where}: {_crs_problem(doc['crs'])}")
    features = doc.get("features")
    if not isinstance(features, list):
        report.errors.append(f"{where}: 'features' is missing or not a list")
        return None
    return features


def _crs_problem(crs: object) -> str:
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    declared = f" ({short(name)})" if isinstance(name, str) else ""
    return (
        f"has a 'crs' member{declared}; RFC 7946 GeoJSON is always WGS84 lon/lat "
        "(reproject to EPSG:4326 and remove it)"
    )


def _feature(
    feature: object, label: str, spec: schema.LayerSpec, report: ValidationReport
) -> tuple[dict, BaseGeometry] | None:
    """A feature's properties (as table cells) and geometry, or None (and why, in the report)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        report.errors.append(f"{label}: not a GeoJSON Feature")
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        report.errors.append(f"{label}: has no properties")
        return None
    ident = props.get(spec.id_property)
    if isinstance(ident, str) and ident:
        label += f" ({spec.id_property}={show_id(ident)})"
    for missing in [p for p in spec.properties if p not in props]:
        report.errors.append(f"{label}: missing property '{missing}'")
    for extra in sorted(set(props) - set(spec.properties)):
        report.warnings.append(f"{label}: unexpected property '{short(extra)}' (ignored)")
    problem, geom = geometry_problem(feature.get("geometry"), spec)
    if problem or geom is None:
        report.errors.append(f"{label}: {problem}")
        return None
    if spec.geometry_types == schema.LINE_TYPES and not geom.is_simple:
        report.warnings.append(
            f"{label}: line crosses or retraces itself (kept as drawn; check the vertex order)"
        )
    return {p: _cell(props.get(p)) for p in spec.properties}, geom


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


#: Tables the atlas cannot be built without a row of: one line when only the header is left.
NONEMPTY_TABLES = frozenset({"projects", "segments", "sources"})


def read_checked_table(
    path: Path, table_schema: pa.DataFrameSchema, report: ValidationReport
) -> pd.DataFrame | None:
    """Read one CSV table and run its schema; problems go to ``report``, the table is returned.

    Returns None (and says why in ``report.errors``) if the file is missing, unreadable or breaks
    any rule of its schema.
    """
    where = display_path(path)
    if not path.is_file():
        report.errors.append(f"{where}: file not found")
        return None
    try:
        frame = read_table(path)
    except UnreadableFile as exc:
        report.errors.append(f"{where}: {exc}")
        return None
    except (pd.errors.ParserError, OSError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        report.errors.append(f"{where}: cannot be read as CSV ({short(detail, 120)})")
        return None
    _bom_warning(path, where, report)
    if frame.empty and table_schema.name in NONEMPTY_TABLES:
        # one line, not one "unknown id" per feature and row of the files that refer to it
        report.errors.append(
            f"{where}: has no rows (only its header); every {table_schema.name} row was deleted"
        )
        return None
    id_column = next(iter(table_schema.columns))
    checked, problems = schema_problems(frame, table_schema, where, id_column, "row")
    report.errors.extend(problems)
    return checked


def _read_tables(data_dir: Path, report: ValidationReport) -> None:
    for name, table_schema in schema.TABLES.items():
        path = data_dir / f"{name}.csv"
        if name in schema.OPTIONAL_TABLES and not path.exists():
            continue
        checked = read_checked_table(path, table_schema, report)
        if checked is not None:
            report.tables[name] = checked


def _read_release(path: Path, report: ValidationReport) -> None:
    """``release.toml``, if there is one: the keys of ``schema.RELEASE_KEYS``, each of its type."""
    if not path.exists():
        return
    where = display_path(path)
    try:
        doc = tomllib.loads(read_text(path))
    except UnreadableFile as exc:
        report.errors.append(f"{where}: {exc}")
        return
    except tomllib.TOMLDecodeError as exc:
        report.errors.append(f"{where}: not valid TOML ({' '.join(str(exc).split())})")
        return
    except OSError as exc:
        report.errors.append(f"{where}: cannot be read ({exc.strerror or type(exc).__name__})")
        return
    before = len(report.errors)
    for key, (kind, what) in schema.RELEASE_KEYS.items():
        value = doc.get(key)
        if key not in doc:
            report.errors.append(f"{where}: missing key '{key}' ({what})")
        elif not isinstance(value, kind) or isinstance(value, datetime) or value == "":
            report.errors.append(f"{where}: {key}: {short(value)} is not {what}")
    for extra in sorted(set(doc) - set(schema.RELEASE_KEYS)):
        report.warnings.append(f"{where}: unexpected key '{short(extra)}' (ignored)")
    if len(report.errors) == before:
        report.release = {key: doc[key] for key in schema.RELEASE_KEYS}


# --------------------------------------------------------------------------- entry points

#: Every cross-file rule, run in this order once each file has passed its own schema. A rule is
#: ``(report) -> list[str]``; append one here to extend validation (see
#: :mod:`corridormap.validation.rules`).
CHECKS: list[checks.Check] = [
    *checks.CHECKS,
    *revenue_schema.CHECKS,
    network_checks._check_network,
    *footprint.CHECKS,
]


def validate(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> ValidationReport:
    """Check every layer and table and the links between them.

    Reads each file of ``geo/`` and ``data/`` once (the optional ``tariffs.csv``, ``fx.csv``,
    ``length_claims.csv`` and ``release.toml`` when present), runs its schema, then every rule of
    :data:`corridormap.validation.rules.CHECKS`. A pure function of the two folders.

    Parameters
    ----------
    geo_dir, data_dir
        Folders to check; ``None`` means the atlas shipped with corridormap.

    Returns
    -------
    ValidationReport
        Every error and warning found (nothing is raised for bad data).

    Examples
    --------
    >>> import corridormap as cm
    >>> report = cm.validate()  # the data shipped with corridormap
    >>> report.ok, report.errors
    (True, [])
    >>> cm.validate("no/such/geo").errors
    ['no/such/geo: geo folder not found']
    """
    geo, data = resolve_dirs(geo_dir, data_dir)
    report = ValidationReport(geo_dir=geo, data_dir=data)
    for folder, label in ((geo, "geo"), (data, "data")):
        if not folder.is_dir():
            report.errors.append(f"{display_path(folder)}: {label} folder not found")
    if report.errors:
        return report
    for spec in schema.LAYERS.values():
        _read_layer(geo / spec.filename, spec, report)
    _read_tables(data, report)
    _read_release(data / schema.RELEASE_FILE, report)
    _read_footprint(geo, data, report)
    report.errors.extend(problem for rule in CHECKS for problem in rule(report))
    return report


def _read_footprint(geo: Path, data: Path, report: ValidationReport) -> None:
    """The optional footprint files (AidData finance, GEM energy, licences), each if present."""
    for name, spec in schema.FOOTPRINT_LAYERS.items():
        if (geo / spec.filename).exists():
            _read_layer(geo / spec.filename, spec, report, schema.FOOTPRINT_LAYER_PROPERTIES[name])
    for name, table_schema in schema.FOOTPRINT_TABLES.items():
        if (data / f"{name}.csv").exists():
            checked = read_checked_table(data / f"{name}.csv", table_schema, report)
            if checked is not None:
                report.tables[name] = checked


def check(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> ValidationReport:
    """Validate and raise :class:`~corridormap.errors.DataError` listing every error found."""
    report = validate(geo_dir, data_dir)
    if report.errors:
        raise DataError(report.errors)
    return report
