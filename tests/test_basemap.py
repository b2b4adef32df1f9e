"""Terrain and water: shipped files, the interactive layers, and the map's size budget."""

from __future__ import annotations

import html
import re

import pytest

from corridormap import folium_map, save_map
from corridormap.render import terrain
from corridormap.render.interactive import basemap

#: The whole default map (issue 24: ≤ 1.0 MB with both footprint layers), and the share relief
#: and water may take of it (the relief as WebP, the water's coordinates encoded: ~260 KB).
MAX_MAP_BYTES = 1_000_000
MAX_TERRAIN_BYTES = 300_000


@pytest.fixture(scope="module")
def pages(atlas, built_map, tmp_path_factory):
    folder = tmp_path_factory.mktemp("terrain")
    with_terrain = built_map  # the default map, terrain on (built once per run, conftest.py)
    without = save_map(folium_map(atlas, terrain=False), folder / "bare.html")
    return with_terrain, without


def test_water_has_the_major_lakes_and_rivers_with_sources():
    water = terrain.water()
    names = set(water.loc[water["kind"] == "lake", "name"])
    for lake in ("Lake Balkhash", "Issyk-Kul", "North Aral Sea", "South Aral Sea"):
        assert lake in names
    assert (water["kind"] == "river").sum() >= 20
    assert water["source"].str.len().gt(0).all()


def test_relief_covers_the_region():
    from corridormap import settings

    west, south, east, north = terrain.relief_bounds()
    r_west, r_south, r_east, r_north = settings.region_bbox
    assert west <= r_west and south <= r_south and east >= r_east and north >= r_north
    rows, cols, _ = terrain.relief_lonlat().shape
    assert cols / rows == pytest.approx((east - west) / (north - south), rel=0.01)


def test_the_pages_water_is_the_water_layer():
    # the map reads water.geojson as JSON; it must hold what geopandas reads from it
    import json

    import shapely

    water = terrain.water()
    features = basemap._water_geojson()["features"]
    assert len(features) == len(water)
    for feature, row in zip(features, water.itertuples(), strict=True):
        assert feature["geometry"] == json.loads(shapely.to_geojson(row.geometry))
        assert feature["properties"] == {
            "kind": row.kind,
            **({"name": row.name} if row.name else {}),
        }


def test_map_inlines_relief_and_water_and_stays_within_budget(pages):
    with_terrain, without = pages
    text = with_terrain.read_text(encoding="utf-8")
    assert with_terrain.stat().st_size <= MAX_MAP_BYTES
    assert with_terrain.stat().st_size - without.stat().st_size <= MAX_TERRAIN_BYTES
    assert "data:image/webp;base64," in text
    assert "Shaded relief" in text and "Rivers and lakes" in text
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', text).group(1))
    assert "img-src data:" in csp and "default-src 'none'" in csp
    assert "Shaded relief" not in without.read_text(encoding="utf-8")


def test_map_with_terrain_is_byte_identical_on_rerun(atlas, pages, tmp_path):
    again = save_map(folium_map(atlas), tmp_path / "map.html")
    assert again.read_bytes() == pages[0].read_bytes()
