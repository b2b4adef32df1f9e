"""Derive the traced upstream lines the corridor layers are drawn from (``scripts/layers/lines/``).

Each ``[[line]]`` of ``scripts/layers/upstream.toml`` names an upstream file in the reference
folder (AidData's OpenStreetMap-traced project geometry, Global Energy Monitor's pipeline routes),
where it came from (repository, commit, path, licence, credit) and the two ends to keep. The
script derives one LineString from it and writes ``scripts/layers/lines/<id>.geojson`` with that
provenance in its properties; ``build_layers.py`` then cuts it to each segment's ends, records
the source in ``geometry_source`` and measures it (``data/geometry_checks.csv``).

How a line is derived
    ``shape = "line"``: the upstream (Multi)LineString's vertices, merged, between the vertices
    nearest the two ``ends``.
    ``shape = "buffer"``: AidData's roads are ~2 m buffers of the routed OpenStreetMap way (the
    outline of a line, not an area). Every ring vertex is snapped to a grid of ``GRID_DEG``
    (1e-4 degree, about 10 m), so the two sides of the outline, 2-4 m apart, fall on the same
    nodes; consecutive ring vertices become graph edges (geodesic length); the line is the
    shortest path between the nodes nearest the two ``ends``. Side roads of the routed way
    become dead ends the path never enters. The result is within ~10 m of the way's centreline.
    Both are then thinned with Douglas-Peucker at ``THIN_DEG`` (1e-5 degree, about 1 m), which
    only drops collinear vertices: these are the full-resolution lines the exports carry.

Exit status 0 when written (or, with ``--check``, when the committed files are current); 1 with one
line naming the file and what is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path

import networkx as nx
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, shape

REPO = Path(__file__).resolve().parents[1]
LAYERS = REPO / "scripts" / "layers"
GEOD = Geod(ellps="WGS84")
GRID_DEG = 1e-4
THIN_DEG = 1e-5
DECIMALS = 6
PROVENANCE = ("source", "repository", "commit", "path", "licence", "credit", "derived")


def fail(message: str) -> None:
    """Stop with one line on stderr and exit status 1."""
    sys.exit(f"build_geometry: {message}")


def _snap(x: float, y: float) -> tuple[float, float]:
    def snap(v: float) -> float:
        return round(round(v / GRID_DEG) * GRID_DEG, DECIMALS)

    return snap(x), snap(y)


def _edges(graph: nx.Graph, coords: list[tuple[float, float]]) -> None:
    for a, b in zip(coords, coords[1:], strict=False):
        if a != b:
            graph.add_edge(a, b, weight=GEOD.inv(a[0], a[1], b[0], b[1])[2])


def outline_graph(geom) -> nx.Graph:
    """Graph of a buffer outline's ring vertices snapped to the grid (see the module docstring)."""
    graph = nx.Graph()
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            _edges(graph, [_snap(x, y) for x, y, *_ in ring.coords])
    return graph


def line_graph(geom) -> nx.Graph:
    """Graph of a (Multi)LineString's own vertices."""
    graph = nx.Graph()
    lines = geom.geoms if isinstance(geom, MultiLineString) else [geom]
    for line in lines:
        _edges(graph, [(round(x, DECIMALS), round(y, DECIMALS)) for x, y, *_ in line.coords])
    return graph


def nearest_node(graph: nx.Graph, point: tuple[float, float]) -> tuple[tuple[float, float], float]:
    """The node nearest a lon/lat point and its distance, km."""
    best = min(graph.nodes, key=lambda n: (n[0] - point[0]) ** 2 + (n[1] - point[1]) ** 2)
    return best, GEOD.inv(point[0], point[1], best[0], best[1])[2] / 1000.0


def derive(spec: dict, reference: Path) -> tuple[list[tuple[float, float]], dict]:
    """The line of one ``[[line]]`` entry and its measured facts."""
    path = reference / spec["file"]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        geoms = [shape(f["geometry"]) for f in doc["features"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        fail(f"{path}: not a GeoJSON FeatureCollection with geometries ({exc})")
        raise  # unreachable
    geom = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    if "part" in spec:
        parts = list(getattr(geom, "geoms", [geom]))
        if not 0 <= spec["part"] < len(parts):
            fail(f"upstream.toml: {spec['id']}: part {spec['part']} not in {path.name}")
        geom = parts[spec["part"]]
    nodes = path_nodes(spec, geom, path)
    thin = LineString(nodes).simplify(THIN_DEG, preserve_topology=False)
    coords = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in thin.coords]
    facts = {
        "km": round(GEOD.geometry_length(LineString(coords)) / 1000.0, 1),
        "vertices": len(coords),
    }
    return coords, facts


def path_nodes(spec: dict, geom, path: Path) -> list[tuple[float, float]]:
    """The graph path between the nodes nearest the two ends of one polygon or line."""
    kind = spec["shape"]
    if kind == "buffer" and geom.geom_type in ("Polygon", "MultiPolygon"):
        graph = outline_graph(geom)
    elif kind == "line" and geom.geom_type in ("LineString", "MultiLineString"):
        graph = line_graph(geom)
    else:
        fail(f"upstream.toml: {spec['id']}: shape {kind!r}, but {path.name} has {geom.geom_type}")
        raise  # unreachable
    (a, da), (b, db) = (nearest_node(graph, tuple(e)) for e in spec["ends"])
    if max(da, db) > spec.get("end_km", 2.0):
        fail(
            f"upstream.toml: {spec['id']}: an end is {max(da, db):.1f} km from {path.name} "
            f"(limit end_km = {spec.get('end_km', 2.0)})"
        )
    try:
        return nx.dijkstra_path(graph, a, b)
    except nx.NetworkXNoPath:
        fail(f"upstream.toml: {spec['id']}: the two ends are not connected in {path.name}")
        raise  # unreachable


def feature_collection(spec: dict, coords: list[tuple[float, float]], facts: dict) -> str:
    """The committed file: one feature per line, provenance in the properties."""
    props = {"line_id": spec["id"]} | {k: spec[k] for k in PROVENANCE} | facts
    feature = {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
    }
    body = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def load_specs(layers: Path) -> list[dict]:
    """The ``[[line]]`` entries of upstream.toml, checked for their keys."""
    path = layers / "upstream.toml"
    try:
        specs = tomllib.loads(path.read_text(encoding="utf-8"))["line"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        fail(f"{path}: {exc}")
        raise  # unreachable
    for spec in specs:
        missing = [k for k in ("id", "file", "shape", "ends", *PROVENANCE) if k not in spec]
        if missing:
            fail(f"{path}: line {spec.get('id', '?')} lacks {', '.join(missing)}")
    ids = [s["id"] for s in specs]
    if len(set(ids)) != len(ids):
        fail(f"{path}: duplicate line id")
    return specs


def build(reference: Path, layers: Path) -> dict[str, str]:
    """Every output file's text, keyed by its path relative to ``layers``."""
    out = {}
    for spec in load_specs(layers):
        coords, facts = derive(spec, reference)
        out[f"lines/{spec['id']}.geojson"] = feature_collection(spec, coords, facts)
        print(f"  {spec['id']:44s} {facts['km']:7.1f} km {facts['vertices']:5d} vertices")
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the lines (or check they are current); return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("CORRIDORMAP_REFERENCE")
    ap.add_argument("--reference", type=Path, default=Path(default) if default else None,
                    help="reference folder (default: $CORRIDORMAP_REFERENCE)")  # fmt: skip
    ap.add_argument("--layers", type=Path, default=LAYERS, help="the build's data (scripts/layers)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if not current")
    args = ap.parse_args(argv)
    if args.reference is None:
        ap.error("give --reference DIR or set CORRIDORMAP_REFERENCE (see scripts/README.md)")
    out = build(args.reference, args.layers)
    if args.check:
        stale = [
            name
            for name, text in out.items()
            if not (args.layers / name).is_file()
            or (args.layers / name).read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"build_geometry: not current: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("build_geometry: the committed lines are current")
        return 0
    for name, text in out.items():
        (args.layers / name).parent.mkdir(parents=True, exist_ok=True)
        (args.layers / name).write_text(text, encoding="utf-8")
    print(f"build_geometry: wrote {len(out)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
