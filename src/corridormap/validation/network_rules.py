"""Checks of the route network files: ``geo/network.geojson`` and three tables of ``data/``.

The same rules as the other layers (RFC 7946, coordinate ranges and decimals, ids unique, sources
known, accuracy ≥ 0), but the region is ``settings.network_bbox``: the network reaches Europe and
Türkiye, outside the atlas's ``region_bbox``. Every file is optional (older data folders have
none); a folder with some but not all of them is an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from corridormap import settings
from corridormap.io import UnreadableFile, display_path, read_json, read_table
from corridormap.validation.problems import geometry_problem, schema_problems, show_id
from corridormap.validation.schema import (
    NETWORK_FILES as FILES,
)
from corridormap.validation.schema import (
    NETWORK_LAYER,
    NETWORK_PROPERTIES,
)
from corridormap.validation.schema import (
    NETWORK_SOURCE_COLUMNS as SOURCE_COLUMNS,
)
from corridormap.validation.schema import (
    NETWORK_TABLES as TABLES,
)


def present(geo_dir: Path, data_dir: Path) -> dict[str, Path]:
    """The network files found, by name."""
    paths = {
        name: (geo_dir if name == "network" else data_dir) / filename
        for name, filename in FILES.items()
    }
    return {name: path for name, path in paths.items() if path.is_file()}


def check_files_complete(geo_dir: Path, data_dir: Path) -> list[str]:
    """All four network files or none (a partial network cannot be routed on)."""
    found = present(geo_dir, data_dir)
    if not found or len(found) == len(FILES):
        return []
    folder = {"network": geo_dir}
    return [
        f"{display_path(folder.get(name, data_dir) / FILES[name])}: file not found (the other "
        "route network files are present)"
        for name in FILES
        if name not in found
    ]


def read_network_layer(path: Path, problems: list[str]) -> gpd.GeoDataFrame | None:
    """Read and check ``network.geojson`` (RFC 7946, ranges, decimals, ``network_bbox``)."""
    where = display_path(path)
    try:
        doc = read_json(path)
    except (UnreadableFile, json.JSONDecodeError, OSError, RecursionError) as exc:
        problems.append(f"{where}: cannot be read ({' '.join(str(exc).split())})")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(f"{where}: not a GeoJSON FeatureCollection")
        return None
    if "crs" in doc:
        problems.append(f"{where}: has a 'crs' member; RFC 7946 GeoJSON is always WGS84 lon/lat")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        problems.append(f"{where}: 'features' is missing, empty or not a list")
        return None
    before, ids, geoms = len(problems), [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(f"{where}: feature {number}: not a Feature with properties")
            continue
        ident = props.get("line_id")
        label = f"{where}: feature {number}" + (
            f" (line_id={show_id(ident)})" if isinstance(ident, str) and ident else ""
        )
        problem, geom = geometry_problem(feature.get("geometry"), NETWORK_LAYER)
        problem = problem or _outside_network_bbox(geom)
        if problem:
            problems.append(f"{label}: {problem}")
            continue
        ids.append(ident)
        geoms.append(geom)
    frame = pd.DataFrame({"line_id": ids}, dtype=object)
    checked, found = schema_problems(frame, NETWORK_PROPERTIES, where, "line_id", "feature")
    problems.extend(found)
    if checked is None or len(problems) > before:
        return None
    return gpd.GeoDataFrame(checked, geometry=geoms, crs="EPSG:4326")


def _outside_network_bbox(geom) -> str | None:
    west, south, east, north = settings.network_bbox
    minx, miny, maxx, maxy = geom.bounds
    if minx < west or miny < south or maxx > east or maxy > north:
        box = ", ".join(f"{v:g}" for v in settings.network_bbox)
        return f"lies outside the network region (settings.network_bbox {box})"
    return None


def read_tables(data_dir: Path, problems: list[str]) -> dict[str, pd.DataFrame]:
    """Read and schema-check the three network tables."""
    tables = {}
    for name, table_schema in TABLES.items():
        path = data_dir / FILES[name]
        where = display_path(path)
        try:
            frame = read_table(path)
        except (UnreadableFile, pd.errors.ParserError, OSError) as exc:
            problems.append(f"{where}: cannot be read as CSV ({' '.join(str(exc).split())})")
            continue
        checked, found = schema_problems(frame, table_schema, where, frame.columns[0], "row")
        problems.extend(found)
        if checked is not None:
            tables[name] = checked
    return tables


def _rows(frame: pd.DataFrame) -> zip:
    """``(index, row)`` pairs like ``iterrows``, each row a dict (a Series per row is ~40 µs)."""
    return zip(frame.index, frame.to_dict("records"), strict=True)


def check_sources(tables: dict[str, pd.DataFrame], known: set[str], data_dir: Path) -> list[str]:
    """Every source id of the network tables is in ``sources.csv``."""
    out = []
    for name, columns in SOURCE_COLUMNS.items():
        frame = tables.get(name)
        if frame is None:
            continue
        where, id_column = display_path(data_dir / FILES[name]), frame.columns[0]
        for index, row in _rows(frame):
            for column in columns:
                value = row[column]
                for source_id in value.split(";") if isinstance(value, str) else []:
                    if source_id not in known:
                        out.append(
                            f"{where}: row {int(index) + 2} ({id_column}={row[id_column]}): "
                            f"column '{column}': unknown source id '{source_id}' "
                            "(not in sources.csv)"
                        )
    return out


def check_lines_match_layer(
    layer: gpd.GeoDataFrame, lines: pd.DataFrame, geo_dir: Path, data_dir: Path
) -> list[str]:
    """One table row per drawn line and one drawn line per row."""
    drawn, rows = set(layer["line_id"]), set(lines["line_id"])
    out = [
        f"{display_path(geo_dir / FILES['network'])}: line {line}: no row in network_lines.csv"
        for line in sorted(drawn - rows)
    ]
    out += [
        f"{display_path(data_dir / FILES['network_lines'])}: line {line}: not drawn in "
        "network.geojson"
        for line in sorted(rows - drawn)
    ]
    return out


def check_transfers(transfers: pd.DataFrame, lines: pd.DataFrame, data_dir: Path) -> list[str]:
    """Hubs have coordinates; aliases name hubs; edges name layers and lines; low ≤ base ≤ high.

    Hub ids of edges are resolved when the graph is built: atlas segment ends (``makmal``)
    become hubs there.
    """
    where = display_path(data_dir / FILES["transfers"])
    known_lines = set(lines["line_id"])
    hub_ids = set(transfers.loc[transfers["type"] == "hub", "transfer_id"])
    out = []
    for index, row in _rows(transfers):
        label = f"{where}: row {int(index) + 2} (transfer_id={row['transfer_id']})"
        if row["type"] == "alias":  # another name of a hub (name), with its source
            if row["hub"] not in hub_ids:
                out.append(f"{label}: column 'hub': an alias names a hub row, not {row['hub']!r}")
            continue
        if row["type"] == "hub":
            if pd.isna(row["lat"]) or pd.isna(row["lon"]) or pd.isna(row["country"]):
                out.append(f"{label}: a hub needs lat, lon and country")
            continue
        if row["type"] != "border_crossing" and not (
            isinstance(row["from_layer"], str) and isinstance(row["to_layer"], str)
        ):
            out.append(f"{label}: a {row['type']} needs from_layer and to_layer")
        line = row["line_id"]
        if isinstance(line, str) and "__" not in line and line not in known_lines:
            out.append(f"{label}: column 'line_id': '{line}' is not in network_lines.csv")
        low, base, high = row["hours_low"], row["hours_base"], row["hours_high"]
        values = [v for v in (low, base, high) if pd.notna(v)]
        if values and len(values) != 3:
            out.append(f"{label}: give hours_low, hours_base and hours_high, or none of them")
        elif values and not low <= base <= high:
            out.append(f"{label}: hours must be low ≤ base ≤ high ({low:g}, {base:g}, {high:g})")
    return out


def check_speeds(speeds: pd.DataFrame, data_dir: Path) -> list[str]:
    """Speeds are low ≤ base ≤ high; rail and road have one."""
    where = display_path(data_dir / FILES["route_speeds"])
    out = []
    for index, row in _rows(speeds):
        values = [row["kmh_low"], row["kmh_base"], row["kmh_high"]]
        if all(pd.notna(v) for v in values) and not values[0] <= values[1] <= values[2]:
            out.append(
                f"{where}: row {int(index) + 2} (speed_id={row['speed_id']}): speeds must be "
                "low ≤ base ≤ high"
            )
    for mode in ("rail", "road"):
        if not (speeds["mode"] == mode).any():
            out.append(f"{where}: no speed for mode '{mode}'")
    return out


def network_problems(geo_dir: Path, data_dir: Path, known_sources: set[str] | None) -> list[str]:
    """Every problem of the network files (none when they are absent)."""
    problems = check_files_complete(geo_dir, data_dir)
    if problems or not present(geo_dir, data_dir):
        return problems
    layer = read_network_layer(geo_dir / FILES["network"], problems)
    tables = read_tables(data_dir, problems)
    if known_sources is not None:
        problems += check_sources(tables, known_sources, data_dir)
    lines = tables.get("network_lines")
    if layer is not None and lines is not None:
        problems += check_lines_match_layer(layer, lines, geo_dir, data_dir)
    if "transfers" in tables and lines is not None:
        problems += check_transfers(tables["transfers"], lines, data_dir)
    if "route_speeds" in tables:
        problems += check_speeds(tables["route_speeds"], data_dir)
    return problems


def _check_network(report) -> list[str]:
    """The network rule in the form of the runner's ``CHECKS``: ``(report) -> lines``.

    Reads the folders from ``report.geo_dir`` and ``report.data_dir`` and the known source ids
    from its ``sources`` table.
    """
    sources = report.tables.get("sources")
    known = set(sources["source_id"]) if sources is not None else None
    return network_problems(report.geo_dir, report.data_dir, known)
