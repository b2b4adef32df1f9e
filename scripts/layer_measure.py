"""Measure each drawn segment and derive ``positional_accuracy_km`` (``data/geometry_checks.csv``).

For every segment the build measures, in km:

* ``drawn_km``, and ``traced_km``: the part of it whose both vertices come from a traced line
  (OpenStreetMap-derived or Global Energy Monitor sources, ``build.toml`` ``osm_derived`` and
  ``cc_by``); the rest are sketch edges (straight joins between sourced or estimated points);
  ``sketch_edge_max_km`` is the longest of those;
* against the **old line** (the segment's waypoint rows, i.e. the sketch it was before a traced
  line replaced it): the Hausdorff distance and the median distance of the new line from it;
* against **control points**: sourced points on or beside the infrastructure that are *not* drawn
  vertices of the segment (waypoint rows in its range with a located source, plus the
  ``control`` points of segments.toml): their median and largest distance to the line;
* against an **independent line** (``reference`` in segments.toml: a tracks.csv line or a line
  under scripts/layers/, cut to the stretch between the projections of the segment's ends; with
  ``overlap = true``, where it covers only part of the segment, the segment is also cut to the
  stretch between the projections of the line's ends, so only the common stretch is compared):
  the Hausdorff and median distance;
* the drawn length against the reported length for exactly that piece.

``positional_accuracy_km`` is then, rounded up to 0.5 km and never below 0.5 km, the largest of:
the control points' largest distance, the independent line's Hausdorff distance, the resolution of
each traced source (``build.toml`` ``[resolution]``, or a segment's own ``resolution`` in
segments.toml: as the source declares or an audit measured;
for a generalised route with none, half its longest chord in the segment), and half the longest
sketch edge when the segment is mostly traced (a join between a sourced point and a traced line).
Where a segment is mostly a sketch (under 90 % traced) and no independent line measures it,
control points cannot bound the error between vertices: the larger of the measured value and the
plan's estimate (``accuracy_km``) is kept, and ``measured_against`` says so.

Distances are computed in an azimuthal equidistant projection centred on the segment, on lines
densified every 0.5 km.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import shapely
from layer_inputs import Config, Reference, Segment, cut_track, geodesic_km, point_km
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Point

DENSIFY_M = 500.0
TRACED_SHARE = 0.9
COLUMNS = [
    "segment_id", "method", "traced_share", "drawn_km", "reported_km", "length_diff_pct",
    "traced_km", "sketch_edge_max_km", "old_hausdorff_km", "old_median_km", "control_n",
    "control_median_km", "control_max_km", "control_worst", "reference_line",
    "reference_hausdorff_km", "reference_median_km", "accuracy_km", "measured_against",
    "upstream", "upstream_licence",
]  # fmt: skip


@dataclass
class Measured:
    """The measurements of one segment (one row of data/geometry_checks.csv)."""

    row: dict[str, object]
    accuracy_km: float
    note: str


def _projector(coords: list[tuple[float, float]]) -> Transformer:
    lon = sum(c[0] for c in coords) / len(coords)
    lat = sum(c[1] for c in coords) / len(coords)
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _xy(tr: Transformer, coords: list[tuple[float, float]]) -> LineString:
    xs, ys = tr.transform([c[0] for c in coords], [c[1] for c in coords])
    return shapely.segmentize(LineString(list(zip(xs, ys, strict=True))), DENSIFY_M)


def line_distances(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> tuple[float, float]:
    """Hausdorff and median distance (of ``a``'s densified vertices from ``b``), km."""
    tr = _projector(a + b)
    la, lb = _xy(tr, a), _xy(tr, b)
    hausdorff = la.hausdorff_distance(lb) / 1000.0
    dists = [lb.distance(Point(p)) / 1000.0 for p in la.coords]
    return hausdorff, statistics.median(dists)


def point_distance(point: tuple[float, float], coords: list[tuple[float, float]]) -> float:
    """Distance from a lon/lat point to a lon/lat line, km."""
    tr = _projector([point])
    x, y = tr.transform(point[0], point[1])
    return _xy(tr, coords).distance(Point(x, y)) / 1000.0


def ceil_half(km: float) -> float:
    """Round up to the next 0.5 km."""
    return math.ceil(km * 2 - 1e-9) / 2


def controls(ref: Reference, seg: Segment, plan: dict, config: Config) -> list[tuple[str, tuple]]:
    """Named lon/lat control points of a segment that are not its drawn vertices."""
    vertices = set(seg.coords)
    out = []
    rows = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
    for r in rows.itertuples():
        pt = (round(float(r.lon), 6), round(float(r.lat), 6))
        if r.kind == "route_vertex" or r.source_id in config.unsourced or pt in vertices:
            continue
        if int(r.seq) in plan.get("control_skip", []):  # a point the plan shows to be wrong
            continue
        out.append((f"{r.name} ({r.source_id})", pt))
    for c in plan.get("control", []):
        out.append((f"{c['name']} ({c['source']})", (float(c["lon"]), float(c["lat"]))))
    return out


def reference_line(ref: Reference, seg: Segment, spec: dict, config: Config) -> list:
    """An independent line, cut to the stretch between the projections of the segment's ends."""
    if "track" in spec:
        line = ref.track(spec["track"])
    else:
        from build_layers import committed_line  # noqa: PLC0415 (avoid an import cycle)

        line = committed_line(config.layers / spec["line"])
    if point_km(line[0], seg.coords[0]) > point_km(line[-1], seg.coords[0]):
        line = line[::-1]
    cut = cut_track(line, seg.coords[0], seg.coords[-1])
    return cut if len(cut) > 1 else line


def measure(
    ref: Reference, seg: Segment, plan: dict, config: Config, upstream: dict[str, dict]
) -> Measured:
    """Measure one segment and derive its positional accuracy (see the module docstring)."""
    traced = config.osm_derived | config.cc_by
    drawn = geodesic_km(seg.coords)
    traced_km, sketch_max = 0.0, 0.0
    chord: dict[str, float] = {}  # longest traced edge per source id
    for a, b, sa, sb in zip(seg.coords, seg.coords[1:], seg.sources, seg.sources[1:], strict=False):
        km = point_km(a, b)
        if sa in traced and sb in traced:
            traced_km += km
            if sa == sb:
                chord[sa] = max(chord.get(sa, 0.0), km)
        else:
            sketch_max = max(sketch_max, km)
    share = traced_km / drawn if drawn else 0.0
    method = "traced" if share >= TRACED_SHARE else ("partly traced" if share > 0.05 else "sketch")
    row: dict[str, object] = {
        "segment_id": seg.segment_id,
        "method": method,
        "traced_share": f"{share:.2f}",
        "drawn_km": f"{drawn:.1f}",
        "traced_km": f"{traced_km:.1f}",
        "sketch_edge_max_km": f"{sketch_max:.1f}",
    }
    exact = [r for r in plan.get("reported", []) if r["exact"]]
    row["reported_km"] = f"{exact[0]['km']:g}" if exact else ""
    if exact:
        row["length_diff_pct"] = f"{100 * (drawn - exact[0]['km']) / exact[0]['km']:+.1f}"
    old = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
    old_coords = [(float(r.lon), float(r.lat)) for r in old.itertuples()]
    if len(old_coords) > 1:
        h, m = line_distances(seg.coords, old_coords)
        row["old_hausdorff_km"], row["old_median_km"] = f"{h:.2f}", f"{m:.2f}"
    pts = controls(ref, seg, plan, config)
    dists = sorted(((point_distance(p, seg.coords), n) for n, p in pts), reverse=True)
    row["control_n"] = len(dists)
    if dists:
        row["control_median_km"] = f"{statistics.median(d for d, _ in dists):.2f}"
        row["control_max_km"] = f"{dists[0][0]:.2f}"
        row["control_worst"] = dists[0][1]
    measured = [dists[0][0] if dists else 0.0]
    short = [f"{len(dists)} control points (max {dists[0][0]:.1f} km)"] if dists else []
    against = [f"{len(dists)} control points (max {dists[0][0]:.1f} km)"] if dists else []
    if not dists:
        against.append("no control point")
    if plan.get("control_skip"):
        against.append(f"not used: waypoint {plan['control_skip']}, {plan['control_skip_why']}")
    if "reference" in plan:
        spec = plan["reference"]
        line = reference_line(ref, seg, spec, config)
        own = seg.coords
        if spec.get(
            "overlap"
        ):  # the independent line covers part of the segment: compare that part
            own = cut_track(seg.coords, line[0], line[-1], interpolate=True)
        h, m = line_distances(own, line)
        row["reference_line"] = spec.get("track") or spec.get("line")
        row["reference_hausdorff_km"], row["reference_median_km"] = f"{h:.2f}", f"{m:.2f}"
        measured.append(h)
        short.append(f"an independent line (Hausdorff {h:.1f} km)")
        against.append(
            f"independent line {row['reference_line']} ({spec['what']}): Hausdorff {h:.1f} km"
        )
    resolutions: list[float] = []
    if method != "sketch":
        for src in dict.fromkeys(seg.sources):
            if src not in traced:
                continue
            res = plan.get("resolution") or config.resolution.get(src)
            if res is not None:
                measured.append(float(res["km"]))
                resolutions.append(float(res["km"]))
                against.append(f"{src} resolution {res['km']:g} km ({res['why']})")
            else:  # a generalised route with no stated resolution
                measured.append(chord.get(src, 0.0) / 2)
                short.append(f"half its longest chord ({chord.get(src, 0.0):.1f} km)")
                against.append(f"half the longest chord of {src} ({chord.get(src, 0.0):.1f} km)")
    if resolutions:
        short.append(f"the traced sources' resolution ({max(resolutions):g} km)")
    if method == "traced":
        measured.append(sketch_max / 2)
        if sketch_max:
            against.append(f"half the longest join ({sketch_max:.1f} km)")
            short.append(f"half the longest straight join ({sketch_max:.1f} km)")
    accuracy = max(0.5, ceil_half(max(measured)))
    if method != "traced" and "reference" not in plan and plan["accuracy_km"] > accuracy:
        against.append(
            f"mostly a sketch with no independent line: the estimate {plan['accuracy_km']:g} km "
            f"is kept (measured {accuracy:g} km cannot bound the error between vertices)"
        )
        accuracy = float(plan["accuracy_km"])
        note = (
            f"Accuracy ±{accuracy:g} km is an estimate: no independent line or point measures "
            "this sketch"
        )
    else:
        terms = list(dict.fromkeys(short))
        note = f"Accuracy ±{accuracy:g} km measured: the largest of {', '.join(terms)}"
        if len(terms) == 1:
            note = f"Accuracy ±{accuracy:g} km measured: {terms[0]}"
    row["accuracy_km"] = f"{accuracy:g}"
    row["measured_against"] = "; ".join(against)
    used = [upstream[s] for s in dict.fromkeys(seg.sources) if s in upstream]
    origins = (f"{u['repository']}@{u['commit']}:{u['path']}" for u in used)
    row["upstream"] = ";".join(dict.fromkeys(origins))
    row["upstream_licence"] = ";".join(dict.fromkeys(u["licence"] for u in used))
    return Measured({c: row.get(c, "") for c in COLUMNS}, accuracy, note)
