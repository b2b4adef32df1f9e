"""Traced geometry (issue 23): centrelines from upstream outlines, measured accuracy, the diff.

``scripts/build_geometry.py`` derives the traced upstream lines, ``scripts/build_layers.py``
draws and measures the segments (``data/geometry_checks.csv``). The rebuilds need the reference
folder, which is not in the repository; those tests skip without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, mapping

import corridormap as cm

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
LAYERS = SCRIPTS / "layers"
REFERENCE = Path(os.environ.get("CORRIDORMAP_REFERENCE", ROOT.parent / "shared" / "reference"))
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "waypoints.csv").is_file(), reason=f"no reference folder at {REFERENCE}"
)
#: The release before the traced lines (main at the start of issue 23).
PREVIOUS = "348f4d1"


@pytest.fixture(scope="module")
def build_geometry():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import build_geometry as module  # noqa: PLC0415

        yield module
    finally:
        sys.path.remove(str(SCRIPTS))


def _outline(tmp_path: Path, *lines: LineString) -> Path:
    """An AidData-like file: the ~2 m buffer of the lines (an outline, not an area)."""
    shape = shapely.union_all([line.buffer(2e-5, quad_segs=2) for line in lines])
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(shape)}
    ]}  # fmt: skip
    path = tmp_path / "outline.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _spec(ends) -> dict:
    return {"id": "t", "file": "outline.geojson", "shape": "buffer", "ends": ends}


def test_centreline_follows_the_buffered_way_and_leaves_a_side_road_out(tmp_path, build_geometry):
    road = LineString([(74.0, 41.0), (74.2, 41.05), (74.35, 41.2), (74.6, 41.22), (74.8, 41.4)])
    side = LineString([(74.35, 41.2), (74.3, 41.5)])  # a branch of the routed way
    _outline(tmp_path, road, side)
    coords, facts = build_geometry.derive(_spec([[74.0, 41.0], [74.8, 41.4]]), tmp_path)
    line = LineString(coords)
    assert line.hausdorff_distance(road) < 2e-4  # ~20 m: the grid and the outline's width
    assert shapely.distance(shapely.Point(74.3, 41.5), line) > 0.2  # the branch is not taken
    expected = build_geometry.GEOD.geometry_length(road) / 1000
    assert facts["km"] == pytest.approx(expected, rel=0.01)


def test_an_end_far_from_the_upstream_line_stops_the_build_with_one_line(tmp_path, build_geometry):
    _outline(tmp_path, LineString([(74.0, 41.0), (74.5, 41.0)]))
    with pytest.raises(SystemExit) as stop:
        build_geometry.derive(_spec([[74.0, 41.0], [75.0, 42.0]]), tmp_path)
    message = str(stop.value)
    assert "upstream.toml: t:" in message and "km from outline.geojson" in message
    assert "\n" not in message


@needs_reference
def test_the_committed_upstream_lines_are_current():
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "build_geometry.py"), "--reference", str(REFERENCE),
         "--check"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "the committed lines are current" in result.stdout


def test_every_upstream_line_records_its_origin_in_its_file_and_in_sources_csv():
    specs = tomllib.loads((LAYERS / "upstream.toml").read_text(encoding="utf-8"))["line"]
    sources = pd.read_csv(ROOT / "data" / "sources.csv", dtype=str).set_index("source_id")
    for spec in specs:
        props = json.loads((LAYERS / "lines" / f"{spec['id']}.geojson").read_text())["features"][0][
            "properties"
        ]
        for key in ("repository", "commit", "path", "licence", "credit"):
            assert props[key] == spec[key], (spec["id"], key)
        row = sources.loc[spec["source"]]
        assert spec["commit"] in row["url"] + row["note"] and spec["path"] in row["url"]
        assert spec["licence"].split("-")[0].split(" ")[0] in row["licence"].replace(" ", "-")


def test_accuracy_comes_from_the_measurements_and_says_what_they_were():
    checks = pd.read_csv(ROOT / "data" / "geometry_checks.csv")
    segments = pd.read_csv(ROOT / "data" / "segments.csv")
    both = checks.merge(segments, on="segment_id", validate="1:1")
    assert len(both) == len(segments)
    assert (both["accuracy_km"] == both["positional_accuracy_km"]).all()
    assert both["measured_against"].str.len().gt(0).all()
    assert both["geometry_note"].str.contains("Accuracy ±").all()
    has_figure = both["upstream"].notna() & both["reported_km"].notna()
    traced = both[(both["method"] == "traced") & has_figure]
    assert len(traced) >= 3
    assert traced["length_diff_pct"].abs().le(10).all(), traced[["segment_id", "length_diff_pct"]]


def test_a_segment_drawn_from_an_upstream_line_names_it_and_takes_its_licence():
    checks = pd.read_csv(ROOT / "data" / "geometry_checks.csv").set_index("segment_id")
    segments = pd.read_csv(ROOT / "data" / "segments.csv").set_index("segment_id")
    sources = pd.read_csv(ROOT / "data" / "sources.csv", dtype=str, keep_default_na=False)
    sources = sources.set_index("source_id")
    upstream = checks[checks["upstream"].notna()]
    assert len(upstream) >= 8
    for sid, row in upstream.iterrows():
        ids = segments.at[sid, "geometry_source"].split(";")
        urls = " ".join(sources.loc[i, "url"] for i in ids)
        for origin in row["upstream"].split(";"):
            repository, rest = origin.split("@")
            assert repository in urls, sid
        licence = segments.at[sid, "geometry_licence"]
        # OpenStreetMap-derived anywhere makes it ODbL; a GEM route alone makes it CC BY 4.0
        assert licence in ("ODbL", "CC-BY-4.0"), sid
        if "ODbL" in row["upstream_licence"]:
            assert licence == "ODbL", sid


def test_near_naryn_finds_the_bishkek_naryn_torugart_road():
    atlas = cm.load()
    found = cm.near(atlas, place="Naryn", km=50)
    assert "kg_bishkek_naryn_torugart" in set(found["id"])
    # dated, so the map's year slider (and select(as_of=...)) shows it
    assert cm.status_as_of(atlas, 2026)["kg_bishkek_naryn_torugart"] == "operational"
    lengths = cm.lengths_by_country(atlas).query("corridor_id == 'kg_bishkek_naryn_torugart'")
    assert lengths["listed"].all()  # drawn only through the countries its sources list


def _previous_release(tmp_path: Path) -> Path:
    out = tmp_path / "previous"
    for folder, names in (
        ("geo", ["railways", "pipelines", "highways", "places", "countries", "network"]),
        ("data", None),
    ):
        (out / folder).mkdir(parents=True)
        if names is None:
            listing = subprocess.run(
                ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{PREVIOUS}:data"],
                capture_output=True, text=True, check=True,
            ).stdout.split()  # fmt: skip
            names = [n for n in listing if n.endswith((".csv", ".toml"))]
            files = names
        else:
            files = [f"{n}.geojson" for n in names]
        for name in files:
            blob = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{PREVIOUS}:{folder}/{name}"],
                capture_output=True, check=True,
            ).stdout  # fmt: skip
            (out / folder / name).write_bytes(blob)
    return out


def test_diff_with_the_previous_release_lists_every_moved_segment_and_how_far(tmp_path):
    try:
        old_dir = _previous_release(tmp_path)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"no git history with {PREVIOUS} here")
    # the previous release breaks rules made since (tariff_kind): diffed as found, as `diff` does
    from corridormap.atlas.core import load_as_found

    old, new = load_as_found(old_dir / "geo", old_dir / "data")[0], cm.load()
    diff = cm.diff_atlases(old, new)
    before = old.segments.set_index("segment_id").geometry
    after = new.segments.set_index("segment_id").geometry
    common = before.index.intersection(after.index)
    changed = {s for s in common if not before[s].equals_exact(after[s], 1e-9)}
    assert changed and set(diff.moved["segment_id"]) == changed
    moved = diff.moved.set_index("segment_id")
    for sid in changed:  # how far: the Hausdorff distance of the two lines, a positive km
        assert moved.at[sid, "moved_km"] > 0
    assert set(diff.added["segment_id"]) == set(after.index) - set(before.index)
    result = subprocess.run(
        [sys.executable, "-m", "corridormap", "diff", str(old_dir), str(ROOT), "-f", "csv"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(__import__("io").StringIO(result.stdout))
    shown = rows[rows["change"] == "moved"]
    assert set(shown["id"]) == changed and shown["moved_km"].gt(0).all()


def test_a_traced_road_along_a_river_border_counts_for_its_own_country():
    # Bishkek-Kochkor follows the Chu, the KG/KZ border, for ~60 km; the simplified border puts
    # the traced road up to ~2 km inside Kazakhstan. The depth rule (within the line's accuracy
    # plus the border polygons' 3 km) counts it for Kyrgyzstan, the only country listed.
    atlas = cm.select(cm.load(), corridor="kg_bishkek_naryn_torugart")
    rows = cm.lengths_by_country(atlas)
    assert list(rows["iso3"]) == ["KGZ"]
    assert rows["km_reassigned"].iloc[0] > 30
    # the length rule (border_artefact_km) no longer changes any drawn km: every reassignment
    # of the atlas is a shallow pass the depth rule explains (it still places the reported
    # lengths of segments whose ends spill over a border)
    full = cm.load()
    drawn = ["corridor_id", "iso3", "length_km", "listed", "km_reassigned"]
    with_rule = cm.lengths_by_country(full)[drawn]
    assert with_rule.equals(cm.lengths_by_country(full, artefact_km=0)[drawn])
