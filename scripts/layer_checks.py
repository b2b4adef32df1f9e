"""The checks ``build_layers.py`` prints, and which of their findings stop the build.

(a) every sourced waypoint (kind != route_vertex, source not in ``unsourced``) in a segment's seq
range lies within ``waypoint_km`` of the drawn line; (b) the drawn geodesic length of a segment
with accuracy <= 2 km is within 10 % of every reported length for exactly that piece; (c) every
coordinate lies in ``bbox``. A finding of (a)-(c) fails the build unless ``build.toml`` lists it
under ``[[known]]`` with the reason. The order checks (long chords, reversals, backtracking) and
the race-track comparison are information only.
"""

from __future__ import annotations

from layer_inputs import (
    GEOD,
    Config,
    Reference,
    Segment,
    dist_to_line_km,
    geodesic_km,
    point_km,
)


def sourced_rows(ref: Reference, seg: Segment, config: Config):
    """The segment's waypoint rows that a source locates (not route vertices, not estimates)."""
    rows = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
    if rows.empty:  # a segment drawn from lines and points only (no waypoint rows)
        return rows
    return rows[(rows["kind"] != "route_vertex") & (~rows["source_id"].isin(config.unsourced))]


def check_waypoints(ref: Reference, segs: list[Segment], config: Config) -> list[str]:
    """Check (a): sourced waypoints of each seq range within ``waypoint_km`` of the line."""
    problems = []
    limit = config.waypoint_km
    print(
        f"\n(a) sourced waypoints vs drawn line (max distance per segment; > {limit:g} km listed)"
    )
    for seg in segs:
        sourced = sourced_rows(ref, seg, config)
        worst = 0.0
        for r in sourced.itertuples():
            d = dist_to_line_km((float(r.lon), float(r.lat)), seg.coords)
            worst = max(worst, d)
            if d > limit:
                problems.append(
                    f"{seg.segment_id}: {r.corridor_id} seq {r.seq} '{r.name[:50]}' "
                    f"({r.source_id}) is {d:.1f} km from the line"
                )
        extra = ""
        if seg.drawn_from_tracks:  # how far the replaced sketch/OSRM rows are from the track
            rows = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
            dv = [
                dist_to_line_km((float(r.lon), float(r.lat)), seg.coords)
                for r in rows.itertuples()
                if r.source_id not in config.unsourced
            ]
            extra = f"; all sourced rows incl. route vertices: max {max(dv, default=0):.1f} km"
        print(f"  {seg.segment_id:44s} {len(sourced):3d} pts, max {worst:5.2f} km{extra}")
    return problems


def licence(src_ids: list[str], config: Config) -> str:
    """The licence of a segment's geometry from its vertices' source ids.

    ``ODbL`` if any vertex is OpenStreetMap-derived, ``CC-BY-4.0`` if any is from a CC BY source
    (Global Energy Monitor's routes), else ``sketch``.
    """
    if any(s in config.osm_derived for s in src_ids):
        return "ODbL"
    return "CC-BY-4.0" if any(s in config.cc_by for s in src_ids) else "sketch"


def check_lengths(segs: list[Segment], config: Config) -> list[str]:
    """Check (b): print drawn vs reported length per segment; return the large differences."""
    problems = []
    print("\n(b) drawn vs reported length")
    print(f"  {'segment':44s} {'drawn':>8s} {'reported':>9s} {'diff':>7s} {'acc':>5s} licence")
    for seg in segs:
        km = geodesic_km(seg.coords)
        lic = licence(seg.sources, config)
        head = f"  {seg.segment_id:44s} {km:8.1f}"
        reported = config.segments[seg.segment_id].get("reported", [])
        if not reported:
            print(f"{head} {'-':>9s} {'':>7s} {seg.accuracy_km:>5g} {lic}")
        for rep in reported:
            diff = 100.0 * (km - rep["km"]) / rep["km"]
            piece = "" if rep["exact"] else " [not the same piece]"
            print(
                f"{head} {rep['km']:9.1f} {diff:+6.1f}% {seg.accuracy_km:>5g} {lic:6s} "
                f"{rep['label']}{piece}"
            )
            if seg.accuracy_km <= 2 and rep["exact"] and abs(diff) > 10:
                problems.append(
                    f"{seg.segment_id}: drawn {km:.1f} km vs {rep['label']}: {diff:+.1f} %"
                )
    print("\n  corridor sums")
    for cid, rep in config.corridors.items():
        km = sum(geodesic_km(s.coords) for s in segs if s.corridor_id == cid)
        print(
            f"  {cid:24s} {km:8.1f} vs {rep['label']}: {100 * (km - rep['km']) / rep['km']:+.1f} %"
        )
    return problems


def check_bbox(segs: list[Segment], places: list[dict], config: Config) -> list[str]:
    """Check (c): every coordinate inside the bbox."""
    west, south, east, north = config.bbox
    pts = [(s.segment_id, c) for s in segs for c in s.coords]
    pts += [(p["properties"]["place_id"], tuple(p["geometry"]["coordinates"])) for p in places]
    return [
        f"{name}: {lon}, {lat} outside lon {west:g}-{east:g} / lat {south:g}-{north:g}"
        for name, (lon, lat) in pts
        if not (west <= lon <= east and south <= lat <= north)
    ]


def check_order(segs: list[Segment], config: Config) -> list[str]:
    """Order checks: long edges, near-reversals (zig-zags) and backtracking (information).

    An edge between two OpenStreetMap-derived vertices longer than 30 km is listed (a long
    straight chord in the source data); an edge with an unsourced end longer than 150 km is
    listed (a very coarse sketch). A turn of more than 150 degrees between legs over 3 km, or a
    vertex more than 25 km farther from the segment's end than an earlier vertex, is an order
    error candidate.
    """
    notes = []
    for seg in segs:
        c, src = seg.coords, seg.sources
        for i in range(len(c) - 1):
            d = point_km(c[i], c[i + 1])
            both_osm = src[i] in config.osm_derived and src[i + 1] in config.osm_derived
            if (both_osm and d > 30.0) or d > 150.0:
                kind = "long OSM-derived chord" if both_osm else "long sketch edge"
                notes.append(
                    f"{kind}: {seg.segment_id} v{i}->v{i + 1} {d:.1f} km ({src[i]} -> {src[i + 1]})"
                )
        for i in range(1, len(c) - 1):
            az1 = GEOD.inv(*c[i - 1], *c[i])[0]
            az2 = GEOD.inv(*c[i], *c[i + 1])[0]
            turn = abs((az2 - az1 + 180) % 360 - 180)
            d1, d2 = point_km(c[i - 1], c[i]), point_km(c[i], c[i + 1])
            if turn > 150 and min(d1, d2) > 3.0:
                notes.append(
                    f"REVERSAL {seg.segment_id} at v{i} {c[i]}: turn {turn:.0f} deg, "
                    f"legs {d1:.1f}/{d2:.1f} km"
                )
        dists = [point_km(p, c[-1]) for p in c]
        best = dists[0]
        for i, dv in enumerate(dists):
            if dv > best + 25.0:
                notes.append(
                    f"BACKTRACK {seg.segment_id} at v{i} {c[i]}: {dv - best:.0f} km "
                    f"farther from the end than an earlier vertex"
                )
                best = dv  # report each excursion once
            best = min(best, dv)
    return notes


def check_with_race_tracks(ref: Reference, config: Config) -> None:
    """Print estimated CKU railway points against the SRMR course (information only)."""
    print(
        "\nCKU railway points vs the Silk Road Mountain Race tracks (check only, nothing shipped):"
    )
    lines = {lid: ref.track(lid) for lid in config.race_tracks}
    for r in ref.rows("cku_railway", 5, 13).itertuples():
        ds = ", ".join(
            f"{lid.split('_', 1)[1][:18]} {dist_to_line_km((r.lon, r.lat), c):5.1f} km"
            for lid, c in lines.items()
        )
        print(f"  seq {r.seq:2d} {r.name[:48]:48s} [{r.source_id}] {ds}")


def unexplained(found: dict[str, list[str]], config: Config) -> list[str]:
    """Print every finding of checks (a)-(c); return those ``[[known]]`` does not explain.

    A known exception matches a finding of its ``check`` that starts with ``"<segment_id>: "``
    and contains its ``match`` text. A known exception that matches nothing is reported too,
    so the list cannot go stale.
    """
    left: list[str] = []
    used: set[int] = set()
    for check, problems in found.items():
        print(f"problems ({check}:")
        for problem in problems:
            hits = [
                i
                for i, k in enumerate(config.known)
                if k["check"] == check[0]
                and problem.startswith(f"{k['segment_id']}: ")
                and k["match"] in problem
            ]
            used.update(hits)
            why = f"  [known: {config.known[hits[0]]['why']}]" if hits else "  [NOT EXPLAINED]"
            print(f"  {problem}\n  {why}")
            if not hits:
                left.append(problem)
        if not problems:
            print("  none")
    for i, k in enumerate(config.known):
        if i not in used:
            left.append(f"known exception no longer found: {k['segment_id']} {k['match']!r}")
    return left
