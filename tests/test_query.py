"""Spatial queries on the real atlas: lengths per country, border crossings, near, select."""

from __future__ import annotations

import dataclasses

import pytest
import shapely
from typer.testing import CliRunner

import corridormap
from corridormap import (
    SelectionError,
    border_crossings,
    catchment,
    lengths_by_country,
    near,
    select,
)
from corridormap.cli.app import app

runner = CliRunner()


def test_lengths_sum_to_the_corridor_length(atlas):
    table = lengths_by_country(atlas)
    sums = table.groupby("corridor_id")["length_km"].sum()
    drawn = atlas.corridors.set_index("corridor_id")["length_km"]
    for corridor_id, km in sums.items():
        assert km == pytest.approx(drawn[corridor_id], rel=0.005), corridor_id
    assert table.groupby("corridor_id")["share"].sum().round(6).eq(1).all()


def test_cku_railway_runs_through_china_kyrgyzstan_uzbekistan(atlas):
    table = lengths_by_country(atlas)
    cku = table[table["corridor_id"] == "cku_railway"].set_index("iso3")["length_km"]
    assert {"CHN", "KGZ", "UZB"} <= set(cku.index)
    assert cku["KGZ"] > cku["CHN"] > cku["UZB"]


def test_lengths_geometry_pieces_measure_the_same(atlas):
    pieces = lengths_by_country(atlas, geometry=True)
    assert pieces.crs.to_epsg() == 4326
    assert corridormap.geodesic_length_km(pieces.geometry).sum() == pytest.approx(
        pieces["length_km"].sum(), rel=1e-6
    )


@pytest.mark.parametrize(
    ("corridor_id", "countries", "place_word"),
    [
        ("cku_railway", {"KGZ", "CHN"}, "torugart"),
        ("cagp_abc", {"KAZ", "CHN"}, "khorgos"),
        ("kz_cn_oil", {"KAZ", "CHN"}, "alashankou"),
    ],
)
def test_border_crossings_come_out_at_the_known_posts(atlas, corridor_id, countries, place_word):
    table = border_crossings(atlas)
    rows = table[table["corridor_id"] == corridor_id]
    hits = rows[
        [{a, b} == countries for a, b in zip(rows["from_iso3"], rows["to_iso3"], strict=True)]
    ]
    assert len(hits) == 1, rows.to_string()
    hit = hits.iloc[0]
    assert place_word in (str(hit["place"]) + str(hit["place_id"])).lower(), hit.to_dict()
    assert hit["place_distance_km"] <= 15


def test_border_crossings_are_on_borders(atlas):
    table = border_crossings(atlas)
    assert len(table) >= 10
    borders = atlas.countries.boundary.union_all()
    # every crossing point lies within ~2 km (0.02°) of a country boundary
    assert all(borders.distance(p) < 0.02 for p in table.geometry)


def test_near_osh_finds_the_cku_highway_nearest_first(atlas):
    result = near(atlas, place="Osh", km=30)
    assert result["distance_km"].is_monotonic_increasing
    corridors = result[result["kind"] == "corridor"]
    assert "cku_highway" in set(corridors["id"])
    assert corridors.set_index("id").loc["cku_highway", "distance_km"] < 5


def test_near_distances_are_kilometres_not_degrees(atlas):
    osh = atlas.places[atlas.places["name"].str.contains("Osh")].geometry.iloc[0]
    # a point 1° of latitude north of Osh is ~111 km away
    result = near(atlas, lat=osh.y + 1.0, lon=osh.x, km=500)
    places = result[
        result["id"] == atlas.places[atlas.places["name"].str.contains("Osh")]["place_id"].iloc[0]
    ]
    assert places["distance_km"].iloc[0] == pytest.approx(111.0, abs=1.0)


def test_near_needs_keywords_and_one_location(atlas):
    with pytest.raises(TypeError):
        near(atlas, 40.5, 72.8, km=10)  # positional lat/lon are refused
    with pytest.raises(SelectionError):
        near(atlas, km=10)
    with pytest.raises(SelectionError, match="unknown place"):
        near(atlas, place="Atlantis", km=10)


def test_catchment_lists_places_along_a_corridor(atlas):
    result = catchment(atlas, "cku_highway", km=10)
    names = " ".join(result["name"]).lower()
    assert "osh" in names and "irkeshtam" in names
    assert result["distance_km"].is_monotonic_increasing
    assert (result["distance_km"] <= 10).all()


def test_select_filters_compose(atlas):
    rail = select(atlas, mode="rail")
    assert set(rail.corridors["mode"]) == {"rail"}
    kg = select(atlas, country="KGZ")
    assert "cku_railway" in set(kg.corridors["corridor_id"])
    assert "we_wc_highway" not in set(kg.corridors["corridor_id"])
    box = select(atlas, bbox=(72.0, 39.0, 76.5, 41.5))
    assert "cagp_abc" not in set(box.corridors["corridor_id"])
    both = select(atlas, mode="road", country="KGZ")
    assert set(both.corridors["corridor_id"]) <= set(kg.corridors["corridor_id"])


def test_select_as_of_a_year_shows_the_atlas_as_it_stood(atlas):
    early = select(atlas, as_of=2005)
    assert "cku_railway" not in set(early.corridors["corridor_id"])
    later = select(atlas, as_of=2025)
    assert "cku_railway" in set(later.corridors["corridor_id"])
    oil = later.corridors.set_index("corridor_id").loc["kz_cn_oil", "status"]
    assert oil == "operational"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "canal"},
        {"status": "open"},
        {"country": "XXX"},
        {"corridor": "cku_railwya"},
        {"bbox": (80, 40, 70, 45)},
        {"bbox": (0, 0, 1, 1)},
    ],
)
def test_select_rejects_bad_values_clearly(atlas, kwargs):
    with pytest.raises(SelectionError):
        select(atlas, **kwargs)


def test_select_suggests_close_ids(atlas):
    with pytest.raises(SelectionError, match="did you mean cku_railway"):
        select(atlas, corridor="cku_railwya")


def test_cli_lengths_csv_and_geojson():
    result = runner.invoke(app, ["lengths", "--corridor", "cku_railway", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "corridor_id,iso3,country,length_km,share,listed,km_reassigned,positional_accuracy_km,"
        "length_km_reported,length_km_reported_min,length_km_reported_max"
    )
    result = runner.invoke(app, ["lengths", "-c", "cagp_abc", "--format", "geojson"])
    assert result.exit_code == 0
    import json

    doc = json.loads(result.stdout)
    assert {f["properties"]["iso3"] for f in doc["features"]} >= {"UZB", "KAZ"}


def test_cli_crossings_and_near_and_catchment():
    result = runner.invoke(app, ["crossings", "-c", "cku_railway", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Torugart" in result.stdout
    result = runner.invoke(app, ["near", "--place", "Osh", "--km", "30"])
    assert result.exit_code == 0 and "cku_highway" in result.stdout
    result = runner.invoke(app, ["catchment", "cku_highway", "--km", "10", "-f", "csv"])
    assert result.exit_code == 0 and "distance_km" in result.stdout


def test_cli_bad_selection_is_one_line_exit_1():
    result = runner.invoke(app, ["lengths", "--corridor", "nope"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: unknown corridor id 'nope'")
    assert "Traceback" not in result.output


def test_results_compose_with_geopandas(atlas):
    pieces = lengths_by_country(atlas, geometry=True)
    joined = pieces.merge(atlas.corridors[["corridor_id", "mode"]], on="corridor_id")
    assert isinstance(joined.geometry.iloc[0], shapely.geometry.base.BaseGeometry)


@pytest.fixture(scope="module")
def chord_atlas(atlas):
    """The atlas with the WE-WC drawn as it once was: a straight Kordai-Merke chord.

    The sketch now bends through points north of the KZ/KG boundary; the chord crossed the Chuy
    valley in Kyrgyzstan for ~96 km, which the sources do not list.
    """
    segments = atlas.segments.copy()
    row = segments.index[segments["segment_id"] == "we_wc_highway__kordai_shymkent"][0]
    coords = list(segments.at[row, "geometry"].coords)
    merke = min(
        range(len(coords)), key=lambda k: (coords[k][0] - 73.18) ** 2 + (coords[k][1] - 42.87) ** 2
    )
    assert merke > 1  # the estimated vertices between Kordai and Merke are there to drop
    segments.at[row, "geometry"] = shapely.LineString([coords[0], *coords[merke:]])
    return dataclasses.replace(atlas, segments=segments)


def test_no_corridor_is_drawn_through_a_country_its_sources_do_not_list(atlas):
    table = lengths_by_country(atlas)
    assert table["listed"].all(), table.loc[~table["listed"], ["corridor_id", "iso3"]]


def test_kilometres_a_sketch_puts_in_an_unlisted_country_are_flagged(chord_atlas):
    # The straight Kordai-Merke chord cuts across the Chuy valley (Kyrgyzstan); the sources
    # route the WE-WC highway through Kazakhstan only.
    table = lengths_by_country(chord_atlas).set_index(["corridor_id", "iso3"])
    assert not table.loc[("we_wc_highway", "KGZ"), "listed"]
    assert table.loc[("we_wc_highway", "KGZ"), "length_km"] == pytest.approx(96, abs=5)
    assert table.loc[("we_wc_highway", "KAZ"), "listed"]
    corridors = chord_atlas.corridors
    for corridor_id, codes in zip(corridors["corridor_id"], corridors["countries"], strict=True):
        rows = table.loc[corridor_id]
        assert set(rows.index[rows["listed"]]) <= set(codes.split(";")), corridor_id


def test_alt_text_and_popup_only_route_through_sourced_countries(chord_atlas):
    from corridormap.briefing.pack import corridor_table, describe, lengths_table
    from corridormap.render.interactive import popups

    chosen = select(chord_atlas, corridor="we_wc_highway")
    _, long = describe(corridor_table(chosen), lengths_table(chosen), [])
    assert "Kazakhstan" in long and "Kyrgyzstan" not in long
    segments = chosen.segments
    by_country = lengths_by_country(chosen)
    html = popups.corridor_popup(
        chosen.corridors.iloc[0].to_dict(), segments, by_country, chosen.sources
    )
    assert "Kyrgyzstan" not in html and "km elsewhere as drawn" in html


def test_near_place_lists_every_candidate_of_an_ambiguous_name(atlas):
    with pytest.raises(SelectionError) as info:
        near(atlas, place="Khorgos", km=50)
    message = str(info.value)
    assert "matches 7 places" in message  # with the Khorgos Gateway dry port and the ICBC
    for place_id in ("altynkol_khorgos_rail", "khorgos_nur_zholy", "khorgos_cn"):
        assert place_id in message
    assert len(near(atlas, place="khorgos_cn", km=50)) > 0


def test_near_place_suggests_close_names_for_a_typo(atlas):
    with pytest.raises(SelectionError, match="did you mean Osh"):
        near(atlas, place="Oshh", km=10)


def test_near_catches_swapped_lat_lon(atlas):
    with pytest.raises(SelectionError, match="look swapped: try lat=40.53, lon=72.8"):
        near(atlas, lat=72.8, lon=40.53, km=30)


def _csv(result):
    import io

    import pandas as pd

    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def test_cli_lengths_country_gives_only_its_rows_and_totals():
    result = runner.invoke(app, ["lengths", "-c", "cku_railway", "--country", "KGZ", "-f", "csv"])
    rows = _csv(result)
    assert rows["iso3"].tolist() == ["KGZ"]
    table = runner.invoke(app, ["lengths", "--country", "KGZ"])
    assert table.exit_code == 0
    assert "Totals (countries the sources name; shared track counted once):" in table.stdout
    assert "CHN" not in table.stdout and "UZB" not in table.stdout


def test_cli_lengths_totals_never_add_pipelines_to_each_other(atlas):
    args = ["lengths", "--mode", "gas_pipeline", "--mode", "oil_pipeline", "--country", "KAZ"]
    totals = _csv(runner.invoke(app, [*args, "--totals", "-f", "csv"]))
    assert set(totals["mode"]) == {"gas_pipeline", "oil_pipeline"}
    assert (totals["iso3"] == "KAZ").all() and len(totals) == 2
    python = lengths_by_country(select(atlas, country="KAZ"), country="KAZ")
    modes = atlas.corridors.set_index("corridor_id")["mode"]
    gas = python[python["corridor_id"].map(modes) == "gas_pipeline"]["length_km"].sum()
    assert totals.set_index("mode").loc["gas_pipeline", "length_km"] == pytest.approx(gas)


def test_cli_and_python_name_the_share_column_alike(atlas):
    rows = _csv(runner.invoke(app, ["lengths", "-c", "cku_railway", "-f", "csv"]))
    python = lengths_by_country(select(atlas, corridor="cku_railway"))
    assert list(rows.columns) == list(python.columns)
    assert rows["share"].tolist() == pytest.approx(python["share"].tolist())


def test_cli_crossings_country_filter():
    rows = _csv(runner.invoke(app, ["crossings", "--country", "TJK", "-f", "csv"]))
    assert len(rows) >= 3
    assert ((rows["from_iso3"] == "TJK") | (rows["to_iso3"] == "TJK")).all()
    assert "AFG" not in set(rows["from_iso3"]) | set(rows["to_iso3"])


def test_cli_as_of_on_the_table_commands():
    result = runner.invoke(app, ["list", "--as-of", "2010", "--status", "operational", "-f", "csv"])
    rows = _csv(result)
    assert set(rows["corridor_id"]) == {
        "kz_cn_rail_dostyk",
        "cagp_abc",
        "kz_cn_oil",
        "cn_tj_highway",
        "tj_dushanbe_chanak_road",
        "kg_bishkek_naryn_torugart",
    }
    assert "titr_kz_rail" in result.stderr and "left out" in result.stderr
    lengths = _csv(runner.invoke(app, ["lengths", "--as-of", "2010", "-f", "csv"]))
    assert "cku_railway" not in set(lengths["corridor_id"])
    crossings = _csv(runner.invoke(app, ["crossings", "--as-of", "2010", "-f", "csv"]))
    assert "cku_railway" not in set(crossings["corridor_id"])
    near_rows = _csv(
        runner.invoke(app, ["near", "--place", "osh", "--km", "30", "--as-of", "2010", "-f", "csv"])
    )
    assert "cku_highway" not in set(near_rows["id"])
    result = runner.invoke(app, ["catchment", "kz_cn_oil", "--km", "5", "--as-of", "2010"])
    assert result.exit_code == 0, result.output


def test_cli_near_ambiguous_place_is_one_line_with_the_candidates():
    result = runner.invoke(app, ["near", "--place", "Khorgos", "--km", "50"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "altynkol_khorgos_rail" in lines[0]


def test_countries_by_name_and_a_helpful_hint_for_a_wrong_code(atlas):
    assert set(select(atlas, country="Kyrgyzstan").corridors["corridor_id"]) == set(
        select(atlas, country="KGZ").corridors["corridor_id"]
    )
    with pytest.raises(SelectionError, match=r"did you mean Kyrgyzstan \(KGZ\)"):
        select(atlas, country="KYR")


def test_a_place_is_zero_km_from_itself(atlas):
    rows = near(atlas, place="osh", km=1)
    assert rows.loc[rows["id"] == "osh", "distance_km"].iloc[0] == 0.0


def test_cli_json_keeps_slashes_plain():
    result = runner.invoke(app, ["crossings", "-c", "cagp_d", "-f", "json"])
    assert result.exit_code == 0
    assert "TM/UZ" in result.stdout and "\\/" not in result.stdout


def test_a_later_step_of_the_whole_corridor_supersedes_a_segments_own_step(atlas):
    # status_history: cagp_abc__uzbekistan construction starts 2008-07; line A opens 2009-12.
    def status(year: int) -> str:
        segments = corridormap.select(atlas, as_of=year).segments.set_index("segment_id")
        return segments.loc["cagp_abc__uzbekistan", "status"]

    assert status(2008) == "under_construction"
    assert status(2026) == "operational"


def test_a_section_in_service_stays_so_while_its_corridor_is_still_being_built(atlas):
    # Aral-Kazarman opened in 2022; the road's corridor-wide step of April 2025 is still
    # "under construction" (the other sections).
    statuses = corridormap.segment_status_as_of(atlas, 2025)
    assert statuses["kg_north_south_road__aral_kazarman"] == "operational"
    assert statuses["kg_north_south_road__balykchy_kyzyljyldyz"] == "under_construction"
    before = corridormap.segment_status_as_of(atlas, 2021)
    assert before["kg_north_south_road__aral_kazarman"] == "under_construction"


def test_segment_status_by_year_is_segment_status_as_of_for_every_year(atlas):
    # the year slider's one-pass reconstruction must follow the same rules as select(as_of=)
    years = list(range(1950, 2036))
    part = atlas.subset(set(atlas.corridors["corridor_id"].iloc[[0, 2, 4, 6]]))
    for chosen in (atlas, part):
        fast = corridormap.atlas.history.segment_status_by_year(chosen, years)
        assert list(fast) == years
        for year in years:
            expected = corridormap.segment_status_as_of(chosen, year).to_dict()
            assert list(fast[year].items()) == list(expected.items()), year
