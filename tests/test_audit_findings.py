"""The second data audit's four wrong answers (audit 2026-12b, severity A), through every interface.

Each finding is checked where an analyst would read it: the Python API, the command line, the
interactive map, a briefing pack and an export. The expected values are the published figures the
audit names (with their sources in data/sources.csv), not numbers read back from our own output:

1. CKU railway: one consistent length split (China 155–158 km, not the 213 km of June 2024), so
   Kashgar → Andijan over the CKU railway is about the published 532.53 km (it was 587 km).
2. CKU transit revenue: the tariff is back-solved from the ~US$200 M a year claim over 304.94 km,
   so it is charged on those km and gives the claim back (it printed a 173 M "estimate"), and
   every output calls it a restated claim.
3. Gas line D: one status, ``suspended``, in every command (``list`` said under construction,
   the history suspended).
4. Wuqia (Ulugqat), line D's Chinese end: at the county seat, 39.7191 N 75.2592 E, not 20.5 km
   west of it.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod
from typer.testing import CliRunner

import corridormap as cm
from corridormap.cli.app import app

runner = CliRunner()
GEOD = Geod(ellps="WGS84")

CKU_PUBLISHED_KM = 532.53  # Uzbek Ministry of Transport, Nov 2025 (trend_2025_cku_532km)
CKU_CLAIM_USD = 200e6  # Kyrgyz Ministry of Transport via UTRK; E. Kamalov 2025
CKU_SOLVED_OVER_KM = 304.94  # Kyrgyz section, Kyrgyz cabinet 2025-12-05
WUQIA = (39.7191, 75.2592)  # county seat (Wikipedia, Ulugqat County); GeoNames 1279783 0.3 km away
WUQIA_OLD = (39.72, 75.02)  # the point the audit found 20.5 km west


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000.0


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _popups(html: str) -> list[str]:
    """The popup HTML strings bound in a map page."""
    tables = re.findall(
        r'<script type="application/json" id="cm-popups-[\w-]+">(.*?)</script>', html
    )
    return [popup for table in tables for popup in json.loads(table)["popups"].values()]


def _popup(html: str, title: str) -> str:
    found = [p for p in _popups(html) if f"<h3>{title}</h3>" in p]
    assert len(found) == 1, title
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0]))


@pytest.fixture(scope="module")
def map_html(built_map: Path) -> str:
    return built_map.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pack(atlas, tmp_path_factory) -> Path:
    """A briefing pack of the CKU railway and gas line D (tables, alt text, page and map)."""
    spec = {
        "title": "Audit findings",
        "select": {"corridor": ["cku_railway", "cagp_d"]},
        "outputs": ["html", "tables", "index"],
    }
    return cm.brief(atlas, spec, tmp_path_factory.mktemp("pack") / "brief")


@pytest.fixture(scope="module")
def kml(atlas, tmp_path_factory) -> ET.Element:
    path = tmp_path_factory.mktemp("export") / "atlas.kml"
    cm.export_atlas(atlas, path)
    return ET.parse(path).getroot()


@pytest.fixture(scope="module")
def exported(atlas, tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("export") / "atlas.csv"
    cm.export_atlas(atlas, path)
    return pd.read_csv(path).set_index("corridor_id")


def _placemark(kml: ET.Element, name_start: str) -> ET.Element:
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = [
        m
        for m in kml.iter("{http://www.opengis.net/kml/2.2}Placemark")
        if (m.findtext("k:name", "", ns) or "").startswith(name_start)
    ]
    assert len(marks) == 1, name_start
    return marks[0]


# --------------------------------------------------------------------------- 1. CKU length split


def test_cku_segments_carry_one_split_that_adds_up_to_the_published_total(atlas):
    segments = atlas.segments.set_index("segment_id")["length_km_reported"]
    split = [
        segments[f"cku_railway__{s}"]
        for s in ("kashgar_torugart", "torugart_makmal", "makmal_jalalabad", "jalalabad_andijan")
    ]
    assert 155 <= split[0] <= 158  # China: AFP Dec 2024 / Wikipedia; not 213 (June 2024)
    assert sum(split) == pytest.approx(CKU_PUBLISHED_KM, rel=0.01)


def test_cku_china_km_is_the_new_figure_with_older_ones_as_a_range(atlas):
    table = cm.lengths_by_country(cm.select(atlas, corridor="cku_railway")).set_index("iso3")
    china = table.loc["CHN"]
    assert 155 <= china["length_km_reported"] <= 158
    # the 213 km of June 2024 is a dated claim: it widens the range, it is never the figure
    assert (china["length_km_reported_min"], china["length_km_reported_max"]) == (155, 213)


def test_cku_route_kashgar_andijan_is_the_published_length_python(atlas):
    found = cm.routes(atlas, "Kashgar", "Andijan", include=["cku_railway"], by="km", k=3)
    cku = found[found["via_hubs"].str.contains("Makmal")].iloc[0]
    assert cku["km"] == pytest.approx(CKU_PUBLISHED_KM, rel=0.01)  # was 587 km
    assert cku["km_reported"] == pytest.approx(cku["km"])  # every km of it published


def test_cku_route_kashgar_andijan_is_the_published_length_cli():
    out = _cli(
        "routes", "Kashgar", "Andijan", "--include", "cku_railway", "--mode", "rail",
        "--format", "csv",
    )  # fmt: skip
    first = pd.read_csv(io.StringIO(out)).iloc[0]
    assert "Makmal" in first["via_hubs"]
    assert first["km"] == pytest.approx(CKU_PUBLISHED_KM, rel=0.01)


def test_cku_split_in_the_lengths_command():
    out = _cli("lengths", "--corridor", "cku_railway", "--format", "csv")
    china = pd.read_csv(io.StringIO(out)).set_index("iso3").loc["CHN"]
    assert 155 <= china["length_km_reported"] <= 158


def test_cku_split_in_the_map_popup(map_html):
    text = _popup(map_html, "China–Kyrgyzstan–Uzbekistan railway")
    assert re.search(r"China 15[5-8] km reported \(sources 155–213\)", text), text
    assert "China 213 km reported" not in text


def test_cku_split_in_the_brief(pack):
    lengths = pd.read_csv(pack / "lengths.csv")
    china = lengths[(lengths["corridor_id"] == "cku_railway") & (lengths["iso3"] == "CHN")]
    assert 155 <= china["length_km_reported"].iloc[0] <= 158
    long = (pack / "alt.txt").read_text(encoding="utf-8")
    assert re.search(r"China \(reported 15[5-8] km; sources 155–213 km\)", long), long


def test_cku_split_in_the_export(exported, kml):
    split = dict(
        p.split(":") for p in exported.loc["cku_railway", "km_by_country_reported"].split(";")
    )
    assert 155 <= float(split["CHN"]) <= 158
    balloon = _placemark(kml, "China–Kyrgyzstan–Uzbekistan railway").findtext(
        "{http://www.opengis.net/kml/2.2}description"
    )
    assert re.search(r"CHN 15[5-8];", balloon)


# --------------------------------------------------------------------------- 2. CKU revenue


def test_cku_revenue_restates_the_claim_python(atlas):
    row = cm.transit_revenue(cm.select(atlas, corridor="cku_railway")).iloc[0]
    assert row["km"] == pytest.approx(CKU_SOLVED_OVER_KM)  # not the 264 km sketch
    assert row["revenue_usd"] == pytest.approx(CKU_CLAIM_USD, rel=1e-3)  # was 173.4 M
    assert row["tariff_kind"] == "back_solved"
    assert "estimate" not in row["label"] and "restated" in row["label"]


def test_cku_revenue_restates_the_claim_cli():
    result = runner.invoke(app, ["revenue", "--corridor", "cku_railway", "--format", "csv"])
    assert result.exit_code == 0, result.output
    row = pd.read_csv(io.StringIO(result.stdout)).iloc[0]
    assert row["tariff_kind"] == "back_solved"
    assert row["revenue_usd"] == pytest.approx(CKU_CLAIM_USD, rel=1e-3)
    assert "restate a published claim" in result.stderr


def test_cku_revenue_in_the_map_popup(map_html):
    text = _popup(map_html, "China–Kyrgyzstan–Uzbekistan railway")
    assert "USD 200 m a year" in text
    assert "the published claim restated" in text
    assert "corridormap estimate" not in text.split("Transit revenue", 1)[1]


def test_cku_revenue_in_the_brief_and_export(pack, exported, kml):
    revenue = pd.read_csv(pack / "revenue.csv").set_index("corridor_id").loc["cku_railway"]
    assert revenue["tariff_kind"] == "back_solved"
    assert revenue["revenue_usd"] == pytest.approx(CKU_CLAIM_USD, rel=1e-3)
    assert exported.loc["cku_railway", "revenue_tariff_kinds"] == "back_solved"
    assert exported.loc["cku_railway", "revenue_label"] == "claim restated (back-solved tariff)"
    balloon = _placemark(kml, "China–Kyrgyzstan–Uzbekistan railway").findtext(
        "{http://www.opengis.net/kml/2.2}description"
    )
    assert "USD 200 m a year: the published claim restated" in balloon


# --------------------------------------------------------------------------- 3. line D status


def test_line_d_has_one_status_python(atlas):
    row = atlas.corridors.set_index("corridor_id").loc["cagp_d"]
    assert row["status"] == "suspended"
    assert cm.status_as_of(atlas, 2026)["cagp_d"] == "suspended"
    segments = atlas.segments[atlas.segments["corridor_id"] == "cagp_d"]
    assert set(segments["status"]) == {"suspended"}


def test_line_d_has_one_status_cli():
    listed = pd.read_csv(io.StringIO(_cli("list", "--format", "csv"))).set_index("corridor_id")
    assert listed.loc["cagp_d", "status"] == "suspended"
    only = pd.read_csv(io.StringIO(_cli("list", "--status", "suspended", "--format", "csv")))
    assert list(only["corridor_id"]) == ["cagp_d"]


def test_line_d_is_suspended_on_the_map(map_html):
    text = _popup(map_html, "Central Asia–China gas pipeline, line D")
    assert "Gas pipeline · Suspended" in text
    assert "Under construction" not in text
    assert '["suspended","Suspended"]' in map_html  # the status filter and the timeline
    assert "cm-s-suspended" in map_html  # the line's own style


def test_line_d_is_suspended_in_the_brief_and_export(pack, exported, kml):
    corridors = pd.read_csv(pack / "corridors.csv").set_index("corridor_id")
    assert corridors.loc["cagp_d", "status"] == "suspended"
    assert "1 suspended" in (pack / "alt.txt").read_text(encoding="utf-8")
    assert exported.loc["cagp_d", "status"] == "suspended"
    mark = _placemark(kml, "Central Asia–China gas pipeline, line D")
    assert mark.findtext("{http://www.opengis.net/kml/2.2}styleUrl") == "#gas_pipeline-suspended"
    styles = {s.get("id") for s in kml.iter("{http://www.opengis.net/kml/2.2}Style")}
    assert "gas_pipeline-suspended" in styles


# --------------------------------------------------------------------------- 4. Wuqia


def _wuqia(atlas) -> tuple[float, float]:
    point = atlas.places.set_index("place_id").geometry["wuqia"]
    return point.y, point.x


def test_wuqia_is_at_the_county_seat_python(atlas):
    assert _km(_wuqia(atlas), WUQIA) < 1.0
    assert _km(_wuqia(atlas), WUQIA_OLD) > 20.0


def test_wuqia_is_at_the_county_seat_cli():
    out = _cli(
        "near", "--lat", str(WUQIA[0]), "--lon", str(WUQIA[1]), "--km", "1", "--format", "csv"
    )
    assert "wuqia" in set(pd.read_csv(io.StringIO(out))["id"])


def test_wuqia_is_at_the_county_seat_on_the_map_and_in_the_brief(map_html, pack):
    for html in (map_html, (pack / "map.html").read_text(encoding="utf-8")):
        found = re.findall(r"\[(39\.\d+), ?(75\.\d+)[\],][^\[]{0,200}Wuqia", html)
        assert found, "no Wuqia marker"
        assert all(_km((float(a), float(b)), WUQIA) < 1.0 for a, b in found)


def test_wuqia_in_the_geojson_export(atlas, tmp_path):
    path = cm.export_atlas(atlas, tmp_path / "atlas.gpkg")
    import pyogrio

    places = pyogrio.read_dataframe(path, layer="places").set_index("place_id")
    point = places.geometry["wuqia"]
    assert _km((point.y, point.x), WUQIA) < 1.0


# --------------------------------------------------------------------------- B findings, places


def test_no_place_rests_on_a_code_file_alone(atlas):
    """Every place cites at least one source that is not a code file (a GitHub file with no
    licence: a bikepacking planner, a tracking app, an SQL seed); OpenStreetMap-derived lines
    (ODbL) count as OpenStreetMap."""
    sources = atlas.sources.set_index("source_id")
    code_files = {
        s
        for s, row in sources.iterrows()
        if row["publisher"] == "GitHub" and "ODbL" not in str(row["licence"])
    }
    assert {"gh_srmr_bikepacking_points", "gh_osclass_kg_places", "fullprompt_map_points"} <= (
        code_files
    )
    for place_id, cited in zip(atlas.places["place_id"], atlas.places["source"], strict=True):
        assert set(cited.split(";")) - code_files, place_id


def test_dry_ports_and_trade_zones_at_the_chinese_border_have_official_sources(atlas):
    places = atlas.places.set_index("place_id")
    expected = {
        "khorgos_gateway": ("dry_port", "yidaiyilu_2017_khorgos_gateway"),  # Belt and Road Portal
        "icbc_khorgos": ("trade_zone", "yidaiyilu_2017_khorgos_gateway"),
        "dostyk_transterminal": ("dry_port", "inform_2024_bektenov_dostyk_transterminal"),
        "alashankou_bonded_zone": ("trade_zone", "chinanews_2011_alashankou_bonded_zone"),
    }
    for place_id, (kind, official) in expected.items():
        assert places.loc[place_id, "kind"] == kind
        assert official in places.loc[place_id, "source"].split(";")
        assert places.loc[place_id, "positional_accuracy_km"] >= 3  # no coordinates published


def test_zhaisan_post_is_on_the_kazakh_border_not_in_russia(atlas):
    point = atlas.places.set_index("place_id").geometry["zhaisan_sagarchin"]
    kaz = atlas.countries.set_index("iso3").geometry["KAZ"]
    nearest = kaz.boundary.interpolate(kaz.boundary.project(point))
    assert _km((point.y, point.x), (nearest.y, nearest.x)) < 1.0  # was 21.4 km inside Russia


def test_city_points_within_their_accuracy_of_geonames(atlas):
    # audit 2026-12b finding 15d: Shymkent, Dushanbe and Almaty were 3.6 / 2.8 / 2.3 km off
    geonames = {
        "shymkent": (42.3099, 69.6004),
        "dushanbe": (38.5358, 68.7791),
        "almaty": (43.2525, 76.9115),
    }
    places = atlas.places.set_index("place_id")
    for place_id, reference in geonames.items():
        point = places.geometry[place_id]
        assert _km((point.y, point.x), reference) <= places.loc[place_id, "positional_accuracy_km"]


# --------------------------------------------------------------------------- B findings, figures


def test_shared_track_is_counted_once_in_country_totals(atlas):
    lengths = cm.lengths_by_country(atlas)
    totals = cm.country_totals(atlas).set_index(["iso3", "mode"])
    kaz_rail = totals.loc[("KAZ", "rail")]
    own = lengths[(lengths["iso3"] == "KAZ") & lengths["listed"]]
    own = own[own["corridor_id"].isin(atlas.corridors.query("mode == 'rail'")["corridor_id"])]
    # Zhetygen-Altynkol (kz_cn_rail_khorgos, 293 km published) is also TITR's Altynkol-Almaty
    assert 270 < kaz_rail["shared_km"] < 300
    assert kaz_rail["length_km"] == pytest.approx(own["length_km"].sum() - kaz_rail["shared_km"])


def test_ranges_and_scopes_where_sources_disagree(atlas):
    projects = atlas.corridors.set_index("corridor_id")
    cku = projects.loc["cku_railway"]
    assert (cku["capacity_min"], cku["capacity_max"]) == (10, 15)
    assert "Kyrgyz section" in cku["cost_scope"]
    assert projects.loc["kz_cn_rail_tacheng", "opening_expected"] == "2027–2028"
    assert "excludes Kumkol–Atasu" in projects.loc["kz_cn_oil", "length_scope"]
    dostyk = projects.loc["kz_cn_rail_dostyk"]
    assert (dostyk["capacity_value"], dostyk["capacity_unit"]) == (28, "trains/day")
    khorgos = projects.loc["kz_cn_rail_khorgos"]
    assert (khorgos["capacity_value"], khorgos["capacity_unit"]) == (15, "trains/day")


def test_line_d_published_lengths_by_country_are_shown(atlas):
    table = cm.lengths_by_country(cm.select(atlas, corridor="cagp_d")).set_index("iso3")
    published = {"UZB": 205, "TJK": 391, "KGZ": 215, "CHN": 155}  # Tajik energy ministry, 2024
    assert table["length_km_reported"].to_dict() == published


def test_every_drawn_figure_says_it_is_drawn_and_how_accurate(map_html, pack):
    text = _popup(map_html, "China–Kyrgyzstan–Uzbekistan railway")
    assert "460 km as drawn, ±25 km" in text
    assert text.index("533 km reported") < text.index("460 km as drawn")
    caption = (pack / "embed.html").read_text(encoding="utf-8")
    assert "km as drawn, ±25 km" in caption
    assert " km drawn" not in (pack / "index.html").read_text(encoding="utf-8")
