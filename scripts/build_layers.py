"""Build the corridor line layers, the places layer and the geometry provenance of segments.

Outputs (paths relative to the repository root)
    ``geo/railways.geojson``, ``geo/pipelines.geojson``, ``geo/highways.geojson``
        One ``LineString`` per segment, properties ``segment_id`` and ``corridor_id``, sorted by
        ``segment_id``; RFC 7946 (WGS84 lon/lat, no ``crs`` member), 6 decimals at most.
    ``geo/places.geojson``
        Border crossings, passes, stations, terminals, ports and cities the corridors use.
    ``data/segments.csv``
        Only the columns ``positional_accuracy_km``, ``geometry_source``, ``geometry_licence`` and
        ``geometry_note`` are written, by ``segment_id`` (read-modify-write; every other column and
        the row order are kept). If the file does not exist it is created with the full header and
        the plan's ids and end points.
    ``tests/data/reference_waypoints.csv``
        The sourced waypoints each segment must pass near (read by ``tests/test_atlas.py``).

Inputs
    The build's data in ``scripts/layers/`` (see ``layer_inputs.py``), the source ids of
    ``data/sources.csv``, and the reference folder (``--reference`` or ``$CORRIDORMAP_REFERENCE``):
    ``waypoints.csv``, ``crossings.csv`` and ``tracks/tracks.csv``. It is not in the repository;
    scripts/README.md says why and what it holds.

How a segment is drawn
    By default a segment is the waypoint rows ``seq_from..seq_to`` (inclusive) of its waypoint
    corridor, so consecutive segments share their end vertex. Where ``segments.toml`` gives
    ``draw`` parts, a stretch is a road line from ``tracks.csv`` (Mapy.cz route planner or OSRM,
    both on OpenStreetMap data, ODbL), cut where the segment's sourced end point projects onto
    it, so neighbouring segments still meet. No vertex is added that a source does not give.

Exit status
    0 when the build and its checks pass; 1 when an input is missing or inconsistent, or a check
    finds something ``build.toml`` does not list as known; with ``--check``, 1 when a committed
    output differs from the rebuild. Deterministic: a rerun on the same inputs is byte-identical.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import layer_checks as checks  # noqa: E402
import layer_measure  # noqa: E402
from layer_inputs import (  # noqa: E402
    LAYERS,
    REPO,
    Config,
    Reference,
    Segment,
    cut_track,
    fail,
    load_config,
    point_km,
)

DECIMALS = 6
#: Leading vertices of a line part this close to the previous part's end are dropped (km).
JOIN_KM = 0.05
LINE_LAYERS = ("railways", "pipelines", "highways")
OUTPUTS = (
    *(f"geo/{layer}.geojson" for layer in LINE_LAYERS),
    "geo/places.geojson",
    "data/segments.csv",
    "tests/data/reference_waypoints.csv",
    "data/geometry_checks.csv",
)
SEGMENT_COLUMNS = [
    "segment_id", "corridor_id", "name", "from_place", "to_place", "status", "opened",
    "gauge_mm", "length_km_reported", "length_source", "positional_accuracy_km",
    "geometry_source", "geometry_licence", "geometry_note", "sources", "note",
]  # fmt: skip
OWN_COLUMNS = ["positional_accuracy_km", "geometry_source", "geometry_licence", "geometry_note"]


def build_segment(ref: Reference, sid: str, plan: dict, config: Config) -> Segment:
    """Draw one segment from its ``draw`` parts (or its waypoint range)."""
    seg = Segment(
        sid, plan["layer"], plan["from_place"], plan["to_place"], plan.get("corridor", ""),
        plan.get("seq_from", 0), plan.get("seq_to", -1), plan["accuracy_km"], plan.get("note", ""),
        "draw" in plan, plan.get("geometry_note"),
    )  # fmt: skip
    coords, sources = [], []
    for part in plan.get("draw", [plan]):
        if "line" in part:  # a line committed under scripts/layers/ (e.g. OpenStreetMap-derived)
            line = committed_line(config.layers / part["line"])[:: -1 if part.get("reverse") else 1]
            if "start" in part or "end" in part:  # cut where the given points project onto it
                start, end = where(ref, part.get("start")), where(ref, part.get("end"))
                line = cut_track(line, start, end, interpolate=part.get("interpolate", False))
            while coords and len(line) > 1 and point_km(coords[-1], line[0]) < JOIN_KM:
                line = line[1:]  # where two traced lines meet, no step back at the seam
            coords += line
            sources += [part["source"]] * len(line)
            continue
        if "point" in part:  # one sourced point given in segments.toml
            coords.append((float(part["point"][0]), float(part["point"][1])))
            sources.append(part["source"])
            continue
        if "track" not in part:
            for r in ref.rows(part["corridor"], part["seq_from"], part["seq_to"]).itertuples():
                coords.append((float(r.lon), float(r.lat)))
                sources.append(r.source_id)
            continue
        line_id = part["track"]
        if line_id not in config.tracks:
            fail(
                f"segments.toml: {sid}: track {line_id} may not be shipped ([tracks] in build.toml)"
            )
        track = ref.track(line_id)[:: -1 if part["reverse"] else 1]
        start, end = part.get("start"), part.get("end")
        cut = cut_track(
            track, ref.point(*start) if start else None, ref.point(*end) if end else None
        )
        coords += cut
        sources += [config.tracks[line_id]] * len(cut)
    for (lon, lat), src in zip(coords, sources, strict=True):  # round; drop repeated vertices
        c = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not seg.coords or seg.coords[-1] != c:
            seg.coords.append(c)
            seg.sources.append(src)
    return seg


def where(ref: Reference, at: list | None) -> tuple[float, float] | None:
    """A cut point: a waypoint row ``[corridor, seq]`` or lon/lat ``[lon, lat]``."""
    if at is None:
        return None
    if isinstance(at[0], str):
        return ref.point(at[0], int(at[1]))
    return float(at[0]), float(at[1])


def committed_line(path: Path) -> list[tuple[float, float]]:
    """Lon/lat vertices of the one LineString in a GeoJSON file under scripts/layers/."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        (feature,) = doc["features"]
        return [(float(x), float(y)) for x, y in feature["geometry"]["coordinates"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        fail(f"{path}: not a FeatureCollection with one LineString ({exc})")
        raise  # unreachable


def load_upstream(layers: Path) -> dict[str, dict]:
    """The origin of each upstream line's source id (upstream.toml), keyed by source id."""
    path = layers / "upstream.toml"
    if not path.is_file():
        return {}
    try:
        lines = tomllib.loads(path.read_text(encoding="utf-8"))["line"]
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        fail(f"{path}: {exc}")
        raise  # unreachable
    return {spec["source"]: spec for spec in lines}


def geometry_sources(seg: Segment) -> list[str]:
    """Source ids of the vertices, in order of first appearance."""
    return list(dict.fromkeys(seg.sources))


def provenance(seg: Segment, config: Config) -> dict[str, str]:
    """The four geometry columns of data/segments.csv for a segment."""
    src = geometry_sources(seg)
    lic = checks.licence(src, config)
    counts = ", ".join(f"{seg.sources.count(s)} {s}" for s in src)
    note = [seg.note, f"Vertices: {counts}."]
    if seg.geometry_note is not None:  # segments.toml gives the whole note
        note = [seg.geometry_note]
    if seg.measured:
        note.append(seg.measured + " (data/geometry_checks.csv).")
    if lic == "ODbL" and seg.accuracy_km > 5 and seg.geometry_note is None:
        gem = sum(seg.sources.count(s) for s in src if s in config.cc_by)
        rest = (
            f"{gem} vertices are GEM's route (CC BY 4.0, credited) and the rest"
            if gem
            else "the rest is"
        )
        note.append(f"Licence ODbL because part of it is OpenStreetMap-derived; {rest} a sketch.")
    return {
        "positional_accuracy_km": f"{seg.accuracy_km:g}",
        "geometry_source": config.segments[seg.segment_id].get("geometry_source", ";".join(src)),
        "geometry_licence": lic,
        "geometry_note": " ".join(note),
    }


def build_places(ref: Reference, config: Config) -> list[dict]:
    """Resolve places.toml to GeoJSON point features, in the order of places.toml."""
    feats = []
    for p in config.places:
        if "waypoint" in p:
            r = ref.rows(p["waypoint"][0], p["waypoint"][1], p["waypoint"][1]).iloc[0]
        elif "crossing" in p:
            r = ref.crossing(p["crossing"])
        else:
            r = p["fixed"] | {"source_id": p["fixed"]["source"]}
        lon, lat, src = float(r["lon"]), float(r["lat"]), r["source_id"]
        if src in config.unsourced and p["accuracy_km"] < 5:
            fail(f"places.toml: {p['place_id']}: a {src} point needs accuracy_km >= 5")
        srcs = [src] + [s for s in p.get("extra_sources", []) if s != src]
        props = {k: p[k] for k in ("place_id", "name", "kind", "countries", "corridor_ids")}
        props |= {
            "positional_accuracy_km": p["accuracy_km"],
            "source": ";".join(srcs),
            "note": p.get("note", ""),
        }
        point = {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]}
        feats.append({"type": "Feature", "properties": props, "geometry": point})
    ids = [f["properties"]["place_id"] for f in feats]
    if len(set(ids)) != len(ids):
        fail("places.toml: duplicate place_id")
    # no two places at (nearly) the same spot, unless one says it shares the other's site (a dry
    # port or trade zone whose own coordinates are not published, drawn at its station or post)
    shared = {(p["place_id"], p["shares_site"]) for p in config.places if "shares_site" in p}
    for i, f in enumerate(feats):
        for g in feats[i + 1 :]:
            pair = (ids[i], g["properties"]["place_id"])
            if pair in shared or pair[::-1] in shared:
                continue
            d = point_km(tuple(f["geometry"]["coordinates"]), tuple(g["geometry"]["coordinates"]))
            if d < 0.5:
                fail(f"places {ids[i]} and {g['properties']['place_id']} only {d:.2f} km apart")
    return feats


def dump_geojson(path: Path, features: list[dict]) -> None:
    """Write a FeatureCollection deterministically: one feature per line."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8"
    )


def update_segments_csv(path: Path, segs: list[Segment], own: dict[str, dict[str, str]]) -> None:
    """Write only OWN_COLUMNS of data/segments.csv by segment_id (create the file if missing)."""
    if path.exists():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in OWN_COLUMNS:
            if col not in df.columns:
                df[col] = ""
        missing = [s.segment_id for s in segs if s.segment_id not in set(df["segment_id"])]
        if missing:
            print(f"warning: {len(missing)} segments have no row in {path}: " + ", ".join(missing))
    else:
        rows = [
            {"segment_id": s.segment_id, "corridor_id": s.corridor_id,
             "from_place": s.from_place, "to_place": s.to_place}
            for s in segs
        ]  # fmt: skip
        df = pd.DataFrame(rows, columns=SEGMENT_COLUMNS).fillna("")
    for col in OWN_COLUMNS:
        df[col] = df[col].astype(object)
        df[col] = [
            own.get(sid, {}).get(col, old)
            for sid, old in zip(df["segment_id"], df[col], strict=True)
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def write_reference_waypoints(
    ref: Reference, segs: list[Segment], config: Config, path: Path
) -> int:
    """Write the sourced waypoints each segment must pass near (for the tests).

    Where a road track replaced the waypoint sketch, town centre points are left out: a road
    passes by a town centre, it does not run through it; border posts, passes and stations stay.
    """
    out = []
    for seg in segs:
        rows = checks.sourced_rows(ref, seg, config)
        if seg.drawn_from_tracks:
            rows = rows[rows["kind"] != "town"]
        skip = config.segments[seg.segment_id].get("control_skip", [])
        rows = rows[~rows["seq"].isin(skip)]  # points the plan shows to be wrong
        out += [
            {"segment_id": seg.segment_id, "waypoints_corridor": r.corridor_id, "seq": int(r.seq),
             "name": r.name, "kind": r.kind, "lon": float(r.lon), "lat": float(r.lat),
             "source_id": r.source_id}
            for r in rows.itertuples()
        ]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(out).to_csv(path, index=False, lineterminator="\n")
    return len(out)


def build(reference: Path, root: Path, config: Config, *, segments_csv: bool = True) -> list[str]:
    """Write every output under ``root``; run the checks; return the unexplained problems."""
    ref = Reference(reference, config)
    changed = ref.changed_inputs(config.inputs)
    if changed:
        print(f"note: {', '.join(changed)} differ from the files geo/ was built from ([inputs])")
    segs = [build_segment(ref, sid, plan, config) for sid, plan in sorted(config.segments.items())]
    for seg in segs:
        if seg.layer not in LINE_LAYERS:
            fail(
                f"segments.toml: {seg.segment_id}: layer {seg.layer!r} is not one of {LINE_LAYERS}"
            )
    for layer in LINE_LAYERS:
        feats = [
            {"type": "Feature",
             "properties": {"segment_id": s.segment_id, "corridor_id": s.corridor_id},
             "geometry": {"type": "LineString", "coordinates": [list(c) for c in s.coords]}}
            for s in segs
            if s.layer == layer
        ]  # fmt: skip
        dump_geojson(root / "geo" / f"{layer}.geojson", feats)
    places = build_places(ref, config)
    dump_geojson(root / "geo" / "places.geojson", places)
    upstream = load_upstream(config.layers)
    checks_rows = []
    for seg in segs:
        m = layer_measure.measure(ref, seg, config.segments[seg.segment_id], config, upstream)
        seg.accuracy_km, seg.measured = m.accuracy_km, m.note
        checks_rows.append(m.row)
    out = root / "data" / "geometry_checks.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(checks_rows, columns=layer_measure.COLUMNS).to_csv(
        out, index=False, lineterminator="\n"
    )
    own = {s.segment_id: provenance(s, config) for s in segs}
    used = {i for s in own.values() for i in s["geometry_source"].split(";")} | set(config.cited)
    used |= {i for s in segs for i in geometry_sources(s)}
    used |= {i for p in places for i in p["properties"]["source"].split(";")}
    unknown = sorted(used - config.source_ids)
    if unknown:
        fail(f"source ids with no row in data/sources.csv: {', '.join(unknown)}")
    if segments_csv:
        update_segments_csv(root / "data" / "segments.csv", segs, own)
    count = write_reference_waypoints(
        ref, segs, config, root / "tests" / "data" / "reference_waypoints.csv"
    )
    print(f"built {len(segs)} segments, {len(places)} places, {count} reference waypoints")
    found = {
        "a) waypoint off the line": checks.check_waypoints(ref, segs, config),
        "b) drawn vs reported length": checks.check_lengths(segs, config),
        "c) outside the bbox": checks.check_bbox(segs, places, config),
    }
    checks.check_with_race_tracks(ref, config)
    print("\norder checks (information):")
    print("\n".join("  " + n for n in checks.check_order(segs, config)) or "  none")
    return checks.unexplained(found, config)


def check_outputs(reference: Path, config: Config) -> list[str]:
    """Rebuild into a temporary folder; return the committed outputs that differ from it."""
    with tempfile.TemporaryDirectory(prefix="build_layers.") as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        shutil.copy2(REPO / "data" / "segments.csv", root / "data" / "segments.csv")
        problems = build(reference, root, config)
        stale = [p for p in OUTPUTS if (root / p).read_bytes() != (REPO / p).read_bytes()]
    return problems + [f"{p} differs from the rebuild" for p in stale]


def main(argv: list[str] | None = None) -> int:
    """Build everything (or check it is current); return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("CORRIDORMAP_REFERENCE")
    ap.add_argument(
        "--reference",
        type=Path,
        default=Path(default) if default else None,
        help="reference folder (default: $CORRIDORMAP_REFERENCE); see scripts/README.md",
    )
    ap.add_argument("--repo", type=Path, default=REPO, help="root to write into (default: here)")
    ap.add_argument("--layers", type=Path, default=LAYERS, help="the build's data (scripts/layers)")
    ap.add_argument("--no-segments-csv", action="store_true", help="leave data/segments.csv alone")
    ap.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if an output is not current"
    )
    args = ap.parse_args(argv)
    if args.reference is None:
        ap.error("give --reference DIR or set CORRIDORMAP_REFERENCE (see scripts/README.md)")
    config = load_config(args.layers)
    if args.check:
        problems = check_outputs(args.reference, config)
    else:
        problems = build(args.reference, args.repo, config, segments_csv=not args.no_segments_csv)
    if problems:
        print(f"\nbuild_layers: {len(problems)} problem(s):", file=sys.stderr)
        print("\n".join("  " + p for p in problems), file=sys.stderr)
        return 1
    print("\nall checks pass" + (": the committed outputs are current" if args.check else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
