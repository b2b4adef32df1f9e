"""The December 2026 data release: corrected facts, with their sources, as the shipped data holds
them; the published length spread shown in popups and briefing tables; the release shown in
``--version``, the map attribution, the figures' source note and export metadata."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest

import corridormap
from corridormap import _format, data_release, reported_length_range
from corridormap.briefing.pack import corridor_table, lengths_table
from corridormap.release import DataRelease

ROOT = Path(__file__).resolve().parents[1]
GEO, DATA = ROOT / "geo", ROOT / "data"


def _row(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    rows = frame[frame[key] == value]
    assert len(rows) == 1, (key, value, len(rows))
    return rows.iloc[0]


def _ids(value: object) -> set[str]:
    return set(str(value).split(";")) if isinstance(value, str) else set()


@pytest.fixture(scope="module")
def projects(atlas) -> pd.DataFrame:
    return atlas.corridors.set_index("corridor_id")


@pytest.fixture(scope="module")
def segments(atlas) -> pd.DataFrame:
    return atlas.segments.set_index("segment_id")


# --------------------------------------------------------------------------- corrected facts


def test_cku_cost_is_the_financed_figure_and_8bn_only_the_preliminary_estimate(atlas, projects):
    cku = projects.loc["cku_railway"]
    assert float(cku["cost_usd_m"]) == 4700
    assert "kg24_2025_cku_financing" in _ids(cku["cost_source"])
    old = _row(atlas.indicators, "indicator", "cku_cost_preliminary")
    assert (float(old["value"]), old["kind"], old["year"]) == (8000, "estimate", "2024")
    assert old["source_id"] == "kg24_2024_cku_8bn_preliminary"


def test_cku_financing_is_the_loan_and_equity_split(atlas, projects):
    cku = projects.loc["cku_railway"]
    for words in ("US$2.3 bn 35-year loan", "China Development Bank", "51 %", "24.5 %"):
        assert words in cku["financing"]
    assert "Expert estimate" not in cku["financing"]
    assert "kg24_2025_cku_financing" in _ids(cku["financing_source"])
    indicators = atlas.indicators.set_index("indicator")
    assert float(indicators.loc["cku_loan", "value"]) == 2300
    assert float(indicators.loc["cku_equity", "value"]) == 2300


def test_cku_length_company_and_dated_steps(atlas, projects):
    cku = projects.loc["cku_railway"]
    assert (float(cku["length_km_reported"]), cku["length_source"]) == (
        532.53,
        "trend_2025_cku_532km",
    )
    assert "China–Kyrgyzstan–Uzbekistan Railway Company LLC" in cku["operator"]
    steps = atlas.status_history[atlas.status_history["corridor_id"] == "cku_railway"]
    dated = dict(zip(steps["date"], steps["source_id"], strict=True))
    assert dated["2024-07-26"] == "trend_2024_cku_486km"
    assert dated["2024-12-21"] == "trend_2024_cku_investment_agreement"
    assert dated["2025-12-16"] == "kg24_2025_cku_financing"
    assert list(steps["date"]) == sorted(steps["date"])


def test_cku_length_claims_hold_the_spread_and_the_country_split(atlas):
    assert reported_length_range(atlas, "cku_railway") == (454.0, 532.53)
    assert reported_length_range(atlas, "cku_railway", country="KGZ") == (260.0, 311.0)
    assert reported_length_range(atlas, "cku_railway", country="CHN") == (155.0, 213.0)
    claims = atlas.length_claims
    whole = claims[
        (claims["corridor_id"] == "cku_railway")
        & claims["segment_id"].isna()
        & claims["country_iso3"].isna()
    ]
    by_source = dict(zip(whole["source_id"], whole["length_km"], strict=True))
    assert by_source["trend_2023_cku_454km"] == 454
    assert by_source["trend_2025_cku_532km"] == 532.53
    assert by_source["railwaygazette_2024_cku_agreement"] == 523
    kg = claims[(claims["corridor_id"] == "cku_railway") & (claims["country_iso3"] == "KGZ")]
    assert ("kg24_2025_cku_kyrgyz_section", 304.94) in set(
        zip(kg["source_id"], kg["length_km"], strict=True)
    )


def test_every_length_claim_cites_a_known_source_and_a_dated_publication(atlas):
    claims = atlas.length_claims
    assert list(claims.columns) == list(corridormap.atlas.core.LENGTH_CLAIM_COLUMNS)
    assert set(claims["source_id"]) <= set(atlas.sources["source_id"])
    assert set(claims["corridor_id"]) <= set(atlas.corridors["corridor_id"])
    assert claims["as_of"].str.fullmatch(r"\d{4}(-\d{2}-\d{2})?").all()
    assert (claims["length_km"] > 0).all()


def test_gas_line_d_says_no_construction_since_2020(atlas, projects):
    d = projects.loc["cagp_d"]
    assert "Planned fourth line" not in d["description"]
    assert "no construction reported since" in d["description"]
    last = atlas.status_history[atlas.status_history["corridor_id"] == "cagp_d"].iloc[-1]
    assert (last["status"], last["source_id"]) == ("suspended", "azathabar_2025_galkynysh_phase4")
    assert d["financing_source"] == "asiaplus_2014_line_d_start"


def test_ayagoz_bakhty_is_303_km_with_works_since_july_2025(atlas, projects, segments):
    line = projects.loc["kz_cn_rail_tacheng"]
    assert (float(line["length_km_reported"]), line["length_source"]) == (
        303,
        "tenqri_2025_bakhty_ayagoz_2027",
    )
    # construction_start is the launch ceremony for every corridor (audit 2026-12b, finding 15c):
    # 21 Dec 2023 here, like the CKU railway's 27 Dec 2024; physical works began on 21 Jul 2025
    assert int(line["construction_start"]) == 2023 and pd.isna(line["opened"])
    assert line["opening_expected"] == "2027–2028"  # ministry 2027, KTZ–China Railway by 2028
    assert "China Harbour Engineering" in line["operator"]
    seg = segments.loc["kz_cn_rail_tacheng__ayagoz_bakhty"]
    assert float(seg["length_km_reported"]) == 303 and seg["status"] == "under_construction"
    history = atlas.status_history
    step = history[history["date"] == "2025-07-21"].iloc[0]
    assert step["source_id"] == "railnews_2025_bakhty_ayagoz_progress"
    assert reported_length_range(atlas, "kz_cn_rail_tacheng") == (272.0, 303.0)


def test_kyrgyz_north_south_aral_kazarman_is_in_service_since_2022(projects, segments):
    seg = segments.loc["kg_north_south_road__aral_kazarman"]
    assert (seg["status"], int(seg["opened"])) == ("operational", 2022)
    assert "azattyk_2025_north_south_rockfall" in _ids(seg["sources"])
    assert projects.loc["kg_north_south_road", "status"] == "under_construction"


def test_china_tajikistan_highway_dates_and_lengths(atlas, projects, segments):
    assert "109 km, about 92.3 km" in projects.loc["cn_tj_highway", "note"]
    khorog = segments.loc["cn_tj_highway__kulma_khorog"]
    assert (float(khorog["length_km_reported"]), khorog["length_source"]) == (
        395,
        "sputniktj_2022_pamir_road",
    )
    history = atlas.status_history
    launch = history[history["date"] == "2021-09-27"].iloc[0]
    assert launch["source_id"] == "asiaplus_2021_qalaikhumb_vanj_launch"


def test_kazakhstan_china_oil_2025_volumes(atlas):
    rows = atlas.indicators[atlas.indicators["year"] == "2025"].set_index("indicator")
    assert float(rows.loc["kcop_export_plan", "value"]) == 1.0
    assert float(rows.loc["kcop_export_jan_oct", "value"]) == 0.85
    assert rows.loc["kcop_export_plan", "source_id"] == "orda_2025_kashagan_to_china"
    assert float(rows.loc["rus_oil_transit_to_china_expected", "value"]) == 10


def test_cagp_construction_start_2007_and_wewc_completion(projects):
    cagp = projects.loc["cagp_abc"]
    assert int(cagp["construction_start"]) == 2007
    assert "upstream_2007_turkmen_break_ground" in _ids(cagp["dates_source"])
    wewc = projects.loc["we_wc_highway"]
    assert int(wewc["opened"]) == 2017
    assert "informburo_wewc_kazakh_section_complete" in _ids(wewc["dates_source"])
    assert "not confirmed" in wewc["note"]


# --------------------------------------------------------------------------- geometry and places


def test_zhetygen_altynkol_is_the_osm_line_and_still_joins(segments):
    rail = json.loads((GEO / "railways.geojson").read_text(encoding="utf-8"))
    lines = {f["properties"]["segment_id"]: f["geometry"]["coordinates"] for f in rail["features"]}
    zhe, alm = (
        lines["kz_cn_rail_khorgos__zhetygen_altynkol"],
        lines["titr_kz_rail__altynkol_almaty"],
    )
    altynkol, zhetygen = [80.295227, 44.164658], [77.128, 43.6999]
    assert zhe[0] == zhetygen and zhe[-1] == altynkol
    assert alm[0] == altynkol and zhetygen in alm
    assert lines["kz_cn_rail_khorgos__altynkol_khorgos"][0] == altynkol
    assert alm[-1] == lines["titr_kz_rail__almaty_shymkent"][0]
    # the line runs via Shelek (43.6 N) south of the Ili, not along 44.05 N as the sketch did
    assert min(y for x, y in zhe if 78.3 < x < 78.9) < 43.75
    for sid in ("kz_cn_rail_khorgos__zhetygen_altynkol", "titr_kz_rail__altynkol_almaty"):
        seg = segments.loc[sid]
        assert (seg["geometry_licence"], float(seg["positional_accuracy_km"])) == ("ODbL", 3.0)
        assert "allur_osm_kz_routes" in _ids(seg["geometry_source"])


def test_positional_accuracy_follows_the_measured_comparisons(segments):
    # Kenkiyak-Kumkol is drawn from GEM's route P5197 (CC BY 4.0) since issue 23; its accuracy
    # is what data/geometry_checks.csv measured, and the note says so
    checks = pd.read_csv(ROOT / "data" / "geometry_checks.csv").set_index("segment_id")
    row = segments.loc["kz_cn_oil__kenkiyak_kumkol"]
    assert "gem_goit_route_p5197" in row["geometry_source"].split(";")
    assert row["geometry_licence"] == "CC-BY-4.0"
    assert float(row["positional_accuracy_km"]) == checks.at[row.name, "accuracy_km"]
    assert "measured" in row["geometry_note"]


def test_gazetteer_has_the_capitals_and_main_cities_with_sources(atlas):
    places = atlas.places.set_index("place_id")
    cities = places[places["kind"] == "city"]
    for name in (
        "Bishkek", "Astana", "Almaty", "Ashgabat", "Dushanbe", "Tashkent", "Urumqi", "Khujand",
        "Fergana", "Namangan", "Samarkand", "Naryn", "Osh", "Andijan", "Kashgar", "Bukhara",
        "Shymkent", "Aktau",
    ):  # fmt: skip
        assert (cities["name"] == name).sum() == 1, name
    known = set(atlas.sources["source_id"])
    assert places.loc["bishkek", "source"] == "geonames_cities15000" in known
    assert places["name"].is_unique


def test_beyneu_accuracy_covers_the_osm_station(atlas):
    beyneu = atlas.places.set_index("place_id").loc["beyneu"]
    assert float(beyneu["positional_accuracy_km"]) >= 2.6


# --------------------------------------------------------------------------- the range, shown


def test_popup_shows_the_reported_range(atlas):
    from corridormap.render.interactive import popups

    cku = atlas.corridors[atlas.corridors["corridor_id"] == "cku_railway"].iloc[0]
    segs = atlas.segments[atlas.segments["corridor_id"] == "cku_railway"]
    html = popups.corridor_popup(cku, segs, pd.DataFrame(columns=["iso3"]), atlas.sources)
    # the current figure leads, then what it covers and the spread of the sources
    assert "533 km reported (whole line Kashgar–Andijan; sources 454–533, 6 sources)" in html
    single = atlas.corridors[atlas.corridors["corridor_id"] == "cagp_abc"].iloc[0]
    assert _format.reported_length_text(single) == "1,833 km reported"


def test_brief_tables_carry_the_reported_range(atlas):
    chosen = atlas.subset(["cku_railway"])
    corridors = corridor_table(chosen)
    row = corridors.iloc[0]
    assert (row["length_km_reported_min"], row["length_km_reported_max"]) == (454.0, 532.53)
    lengths = lengths_table(chosen).set_index("iso3")
    kgz = lengths.loc["KGZ"]
    assert (kgz["length_km_reported_min"], kgz["length_km_reported_max"]) == (260.0, 311.0)


def test_brief_page_key_figures_show_the_range(atlas):
    from corridormap.briefing.page import _facts_table, _Refs

    chosen = atlas.subset(["cku_railway"])
    html = _facts_table(corridor_table(chosen), lengths_table(chosen), _Refs())
    assert "533 km reported (whole line Kashgar–Andijan; sources 454–533, 6 sources)" in html
    assert "460 km as drawn, ±25 km" in html


def test_an_older_data_folder_without_length_claims_loads(data_copy):
    (data_copy.data / "length_claims.csv").unlink()
    (data_copy.data / "release.toml").unlink()
    atlas = corridormap.load(data_copy.geo, data_copy.data)
    assert atlas.length_claims.empty
    assert list(atlas.length_claims.columns) == list(corridormap.atlas.core.LENGTH_CLAIM_COLUMNS)
    assert reported_length_range(atlas, "cku_railway") == (532.53, 532.53)
    assert reported_length_range(atlas, "cku_railway", country="KGZ") is None
    assert data_release(data_copy.data) is None


# --------------------------------------------------------------------------- the release, shown


def test_release_is_the_newest_dated_source(atlas):
    release = data_release(DATA)
    # release 2026.12.2: the second audit's corrections, as of this release's own measurements
    assert release == DataRelease(
        "2026.12.2", dt.date(2026, 12, 7), "corridormap_review_2026_12_07"
    )
    assert release.label == "Data 2026.12.2, as of 7 December 2026"
    full_dates = atlas.sources[atlas.sources["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}", na=False)]
    newest = full_dates.sort_values("date").iloc[-1]
    assert (newest["date"], newest["source_id"]) == ("2026-12-07", release.newest_source_id)
    assert release == data_release()  # the shipped folder is the one resolved by default


def test_release_module_imports_no_pandas():
    code = (
        "import sys, corridormap.release as r; r.data_release(); "
        "print(sorted(m for m in ('pandas', 'geopandas', 'shapely') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_version_prints_package_and_data_release():
    out = subprocess.run(
        [sys.executable, "-m", "corridormap", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"corridormap {corridormap.__version__}",
        "Data 2026.12.2, as of 7 December 2026",
    ]


def test_a_broken_release_file_is_one_clear_line(data_copy):
    (data_copy.data / "release.toml").write_text('data_version = "2026.12"\nas_of = "soon"\n')
    with pytest.raises(corridormap.DataError) as caught:
        data_release(data_copy.data)
    lines = caught.value.problems
    assert any("as_of must be a date" in line for line in lines)
    assert any("newest_source_id" in line for line in lines)


def test_map_attribution_and_figure_note_name_the_release(atlas):
    from corridormap.render.static.furniture import attribution

    html = corridormap.folium_map(atlas.subset(["cku_railway"])).get_root().render()
    assert "Data 2026.12.2, as of 7 December 2026" in html
    assert attribution(atlas).endswith(
        "corridormap " + corridormap.__version__ + ", data 2026.12.2 (7 Dec 2026)."
    )


def test_exports_carry_the_release(atlas, tmp_path):
    chosen = atlas.subset(["cku_railway"])
    for fmt in ("geojson", "gpkg", "parquet", "kml"):
        corridormap.export_atlas(chosen, tmp_path / f"out.{fmt}")
    member = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))["corridormap"]
    assert (member["data_version"], member["data_as_of"]) == ("2026.12.2", "2026-12-07")
    info = pyogrio.read_info(tmp_path / "out.gpkg", layer="rail")
    assert info["dataset_metadata"]["data_release"] == "Data 2026.12.2, as of 7 December 2026"
    meta = json.loads(pq.read_schema(tmp_path / "out.parquet").metadata[b"corridormap"])
    assert meta["newest_source_id"] == "corridormap_review_2026_12_07"
    assert "Data 2026.12.2, as of 7 December 2026" in (tmp_path / "out.kml").read_text()
