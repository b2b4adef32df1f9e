"""Answers at borders on the shipped atlas: crossings, km by country, reported figures."""

from __future__ import annotations

import itertools

import pytest
import shapely

from corridormap import border_crossings, lengths_by_country


def _listed(atlas) -> dict[str, list[str]]:
    corridors = atlas.corridors
    return {
        corridor_id: codes.split(";")
        for corridor_id, codes in zip(corridors["corridor_id"], corridors["countries"], strict=True)
    }


def _neighbours(atlas) -> set[frozenset[str]]:
    """Pairs of countries whose polygons share a border."""
    shapes = dict(zip(atlas.countries["iso3"], atlas.countries.geometry, strict=True))
    return {
        frozenset((a, b))
        for a, b in itertools.combinations(sorted(shapes), 2)
        if shapely.intersection(shapes[a], shapes[b]).length > 0
    }


def test_every_sourced_border_between_neighbours_is_crossed_by_the_drawn_line(atlas):
    # projects.csv lists countries in route order: consecutive neighbours share a crossing.
    neighbours = _neighbours(atlas)
    crossings = border_crossings(atlas)
    crossed = {
        (c, frozenset((a, b)))
        for c, a, b in zip(
            crossings["corridor_id"], crossings["from_iso3"], crossings["to_iso3"], strict=True
        )
    }
    expected = [
        (corridor_id, frozenset(pair))
        for corridor_id, codes in _listed(atlas).items()
        for pair in itertools.pairwise(codes)
        if frozenset(pair) in neighbours
    ]
    assert len(expected) >= 15
    missing = [(c, sorted(p)) for c, p in expected if (c, p) not in crossed]
    assert not missing


def test_dostyk_alashankou_crosses_into_china_at_dostyk(atlas):
    table = lengths_by_country(atlas).set_index(["corridor_id", "iso3"])
    assert table.loc[("kz_cn_rail_dostyk", "CHN"), "length_km"] > 1.0
    crossings = border_crossings(atlas)
    rows = crossings[crossings["corridor_id"] == "kz_cn_rail_dostyk"]
    assert [(r.from_iso3, r.to_iso3) for r in rows.itertuples()] == [("KAZ", "CHN")]


def test_places_lie_in_the_countries_they_name(atlas):
    # Alashankou station (CN) was inside Natural Earth's Kazakhstan until the border was moved
    # through the OSM border point of the Atasu-Alashankou pipeline (scripts/build_countries.py).
    shapes = dict(zip(atlas.countries["iso3"], atlas.countries.geometry, strict=True))
    wrong = []
    for place in atlas.places.itertuples():
        codes = [c for c in place.countries.split(";") if c in shapes]
        if len(codes) == 1:  # inside its country
            ok = shapes[codes[0]].covers(place.geometry)
        else:  # a border post: on the border, within its accuracy (1 degree < 112 km)
            ok = any(
                shapes[c].distance(place.geometry) * 112 <= place.positional_accuracy_km
                for c in codes
            )
        if codes and not ok:
            wrong.append(place.place_id)
    assert not wrong


def test_the_oil_pipeline_crosses_at_its_sourced_border_point(atlas):
    crossings = border_crossings(atlas)
    row = crossings[crossings["corridor_id"] == "kz_cn_oil"].iloc[0]
    assert row["place_id"] == "alashankou_oil_metering"
    assert row["place_distance_km"] < 0.5


@pytest.mark.parametrize("corridor_id", ["kz_cn_rail_dostyk", "kz_cn_rail_khorgos"])
def test_rail_crossings_keep_their_line(atlas, corridor_id):
    crossings = border_crossings(atlas)
    assert (crossings["corridor_id"] == corridor_id).sum() == 1
