"""China's footprint: AidData finance and GEM energy tables, queries, validation and credits."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import corridormap as cm
from corridormap.errors import DataError, SelectionError

ROOT = Path(__file__).resolve().parents[1]
#: The reference folder, found as the build scripts find it: the nearest ``shared/reference``
#: above the checkout.
REFERENCE = next(
    (p / "shared" / "reference" for p in ROOT.parents if (p / "shared" / "reference").is_dir()),
    ROOT.parent / "shared" / "reference",
)


@pytest.fixture(scope="module")
def atlas() -> cm.Atlas:
    return cm.load()


def _csv(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- the tables


def test_finance_holds_every_project_of_both_editions(atlas: cm.Atlas) -> None:
    finance = atlas.finance
    assert len(finance) >= 330
    assert finance.crs.to_epsg() == 4326
    editions = finance["edition"].value_counts().to_dict()
    assert editions == {"3.0": 200, "2.0;3.0": 138, "2.0": 24}
    # the dollar year follows the edition: never a converted or mixed amount
    has = finance["amount_usd"].notna()
    assert set(finance.loc[has, "usd_year"].astype(int)) == {2017, 2021}
    in3 = finance["edition"].str.contains("3.0", regex=False) & has
    assert (finance.loc[in3, "usd_year"] == 2021).all()
    assert (finance.loc[in3, "amount_usd"] == finance.loc[in3, "amount_usd_2021"]).all()
    # ids only in 3.0 take title, sector, status and years from their per-project file (all 200
    # are read; an unread one would say "title not yet read")
    only3 = finance[finance["edition"] == "3.0"]
    assert only3["title"].notna().all() and only3["sector"].notna().all()
    assert only3["note"].str.startswith("title, sector, status and years read from").all()
    unread = finance[finance["title"].isna()]
    assert unread["note"].str.startswith("title not yet read").all()
    # and their OpenStreetMap-traced geometry where that file is stored (the rest at region
    # centroids): the stored files and the traced rows are the same ids
    stored = {int(f.stem) for f in (ROOT / "scripts" / "footprint" / "gcdf3_geojsons").iterdir()}
    traced = only3[only3["precision"] != "region"]
    assert set(traced["project_id"].astype(int)) == stored and len(stored) >= 8
    assert set(traced["precision"]) <= {"precise", "approximate"}
    assert (traced["geometry_licence"] == "ODbL").all()
    assert traced["note"].str.contains("geometry traced from OpenStreetMap", regex=False).all()
    assert set(traced.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    at_regions = only3[only3["precision"] == "region"]
    assert len(at_regions) == 200 - len(stored)
    assert (at_regions.geometry.geom_type == "MultiPoint").all()
    assert at_regions["geometry_licence"].isna().all()


def test_energy_has_the_big_dams_and_links_cagp_to_the_corridors(atlas: cm.Atlas) -> None:
    energy = atlas.energy
    plants = energy.set_index("name")
    for name, mw in (("Rogun", 3600), ("Nurek", 2700), ("Toktogul", 1200)):
        row = plants.loc[f"{name} hydroelectric plant"]
        assert row["capacity"] == mw and row["capacity_unit"] == "MW"
        assert row["url"].startswith("https://")
    linked = energy[energy["corridor_id"].notna()]
    gas = linked[linked["kind"] == "gas_pipeline"]
    assert sorted(gas["unit_name"]) == ["Line A", "Line B", "Line C", "Line D"]
    # The Kazakhstan-China oil pipeline's parts in GEM's oil tracker, linked to kz_cn_oil.
    oil = linked[linked["kind"] == "oil_pipeline"].set_index("asset_id")
    assert set(oil.index) == {"P5198", "P5197", "P5201", "P0648", "P0888"}
    assert set(oil["corridor_id"]) == {"kz_cn_oil"}
    assert oil.loc["P0648", "countries"] == "KAZ;CHN" and oil.loc["P0888", "countries"] == "CHN"
    assert set(linked["corridor_id"]) <= set(atlas.corridors["corridor_id"])
    assert set(linked["kind"]) == {"gas_pipeline", "oil_pipeline"}
    assert energy["kind"].value_counts().to_dict() == {
        "oil_gas_power_unit": 237, "hydropower": 59, "gas_pipeline": 56, "oil_pipeline": 5,
        "lng_terminal": 1,
    }  # fmt: skip


def test_indicators_carry_trade_and_trains_with_the_caveat(atlas: cm.Atlas) -> None:
    ind = atlas.indicators
    trade = ind[ind["indicator"].str.endswith("cn_trade_turnover")]
    assert {"kaz_cn_trade_turnover", "kgz_cn_trade_turnover"} <= set(trade["indicator"])
    gacc = ind[ind["note"].fillna("").str.contains("national statistics differ")]
    assert len(gacc) >= 20
    assert set(gacc["source_id"]) <= set(atlas.sources["source_id"])


@pytest.mark.skipif(not (REFERENCE / "footprint").is_dir(), reason="reference folder absent")
def test_build_script_reproduces_the_committed_files() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_footprint.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _build_footprint_module():
    spec = importlib.util.spec_from_file_location(
        "build_footprint", ROOT / "scripts" / "build_footprint.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_stored_gcdf3_file_must_match_the_record_read(tmp_path: Path) -> None:
    # The GCDF 3.0 files are copied by hand, page by page: the build refuses one whose
    # properties differ from the record read earlier or whose features are another project.
    bf = _build_footprint_module()
    stored = ROOT / "scripts" / "footprint" / "gcdf3_geojsons" / "41905.geojson"
    read = {}
    for line in (ROOT / "scripts" / "footprint" / "gcdf3_read.jsonl").read_text().splitlines():
        rec = json.loads(line)
        read[rec["properties"]["id"]] = rec["properties"]
    geom, precision = bf.traced(stored, 41905, read[41905])
    assert precision == "precise" and geom.geom_type == "MultiPolygon"
    text = stored.read_text(encoding="utf-8")
    typo = tmp_path / "41905.geojson"
    typo.write_text(text.replace('"Status": "Completion"', '"Status": "Implementation"'))
    with pytest.raises(bf.BuildError, match="Status is 'Implementation'"):
        bf.traced(typo, 41905, read[41905])
    with pytest.raises(bf.BuildError, match="features are project \\[41905\\], not 39567"):
        bf.traced(stored, 39567, read[39567])
    broken = tmp_path / "broken.geojson"
    broken.write_text(text[:-5])
    with pytest.raises(bf.BuildError, match="not an AidData per-project file"):
        bf.traced(broken, 41905)


# --------------------------------------------------------------------------- the questions


def test_finance_near_cku_highway_lists_the_osh_irkeshtam_loans(atlas: cm.Atlas) -> None:
    near = cm.finance_near(atlas, "cku_highway", km=20)
    osh = near[near["title"].str.contains("Osh-Sarytash-Irkeshtam", na=False)]
    assert sorted(osh["project_id"]) == [40359, 46364, 73074]
    assert (osh["distance_km"] < 1.0).all()
    assert near["distance_km"].is_monotonic_increasing
    assert (near["distance_km"] <= 20).all()
    # a project far away (Atyrau refinery, Kazakhstan) is not near the Kyrgyz road
    assert 39556 not in set(near["project_id"])
    sectors = near.by_sector
    assert set(sectors["usd_year"]) <= {2017, 2021}
    transport = sectors[(sectors["sector"] == "TRANSPORT AND STORAGE")]
    assert (transport["amount_usd"] > 0).all()
    assert "lender" in near.by_lender.columns


def test_finance_near_is_geodesic(atlas: cm.Atlas) -> None:
    import geopandas as gpd

    near = cm.finance_near(atlas, "kz_cn_oil", km=60)
    assert len(near[near["distance_km"] > 5]) >= 3
    line = atlas.corridors.set_index("corridor_id").loc["kz_cn_oil", "geometry"]
    for _, far in near[near["distance_km"] > 5].head(3).iterrows():
        # reference: an azimuthal equidistant projection centred on the project (true distances
        # from its centre, so within a few metres over a few km of footprint)
        c = far.geometry.centroid
        crs = f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m"
        both = gpd.GeoSeries([line, far.geometry], crs="EPSG:4326").to_crs(crs)
        assert far["distance_km"] == pytest.approx(both[0].distance(both[1]) / 1000, rel=0.01)


def test_finance_near_screening_misses_nothing(atlas: cm.Atlas) -> None:
    """The screen on simplified outlines keeps every row the full geometry puts within km.

    Each answer equals measuring every project on its full geometry (a thin outline whose
    simplification lost an arm was once screened out at 21 km while it lay 8.9 km away), at
    several distances, in any order of calls (distances are kept per corridor between calls).
    """
    import numpy as np

    from corridormap.footprint import distances_km

    finance = atlas.finance
    located = finance[finance["precision"] != "region"]
    geoms = np.asarray(located.geometry.array, dtype=object)
    for km in (20.0, 0.0, 60.0, 5.0):
        corridors = atlas.corridors
        for corridor, line in zip(corridors["corridor_id"], corridors.geometry, strict=True):
            full = distances_km(line, geoms)
            inside = full <= km
            want = dict(zip(located["project_id"][inside], full[inside], strict=True))
            near = cm.finance_near(atlas, corridor, km=km)
            got = dict(zip(near["project_id"], near["distance_km"], strict=True))
            assert got == want, (corridor, km)


def test_finance_by_region_sums_to_aiddatas_regional_split(atlas: cm.Atlas) -> None:
    table = cm.finance_by_region(atlas, country="KGZ")
    split = sum(
        float(r["amount_usd"])
        for r in _csv("finance_regions")
        if r["iso3"] == "KGZ" and r["adm_level"] == "adm1" and r["amount_usd"]
    )
    assert table["amount_usd"].sum() == pytest.approx(split, abs=1.0)
    assert set(table["iso3"]) == {"KGZ"}
    assert set(table["usd_year"]) == {2021}
    assert table["amount_usd"].is_monotonic_decreasing
    with pytest.raises(SelectionError, match="country must be one of"):
        cm.finance_by_region(atlas, country="CHN")


def test_finance_summary_never_adds_two_dollar_years(atlas: cm.Atlas) -> None:
    table = cm.finance_summary(atlas.finance, by="country")
    for year in (2017, 2021):
        rows = atlas.finance[
            (atlas.finance["usd_year"] == year)
            & (atlas.finance["recommended_for_aggregates"] != "no")
        ]
        assert table.loc[table["usd_year"] == year, "amount_usd"].sum() == pytest.approx(
            rows["amount_usd"].sum()
        )
    umbrella = atlas.finance[atlas.finance["recommended_for_aggregates"] == "no"]
    assert table["excluded"].sum() >= len(umbrella[umbrella["usd_year"].notna()])


def test_energy_near_leaves_out_the_corridor_itself(atlas: cm.Atlas) -> None:
    near = cm.energy_near(atlas, "cagp_abc", km=5)
    assert "cagp_abc" not in set(near["corridor_id"].dropna())
    dams = cm.energy_near(atlas, "cn_tj_highway", km=30)
    assert "Nurek hydroelectric plant" in set(dams["name"])
    with pytest.raises(SelectionError, match="unknown corridor"):
        cm.energy_near(atlas, "no_such_corridor", km=5)
    with pytest.raises(SelectionError, match="km must be"):
        cm.finance_near(atlas, "cku_highway", km=-1)


# --------------------------------------------------------------------------- validation


def _copy_data(tmp_path: Path) -> tuple[Path, Path]:
    geo, data = tmp_path / "geo", tmp_path / "data"
    shutil.copytree(ROOT / "geo", geo)
    shutil.copytree(ROOT / "data", data)
    return geo, data


def _edit_csv(path: Path, key: str, ident: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row[key] == ident:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_validate_names_each_bad_upstream_row(tmp_path: Path) -> None:
    geo, data = _copy_data(tmp_path / "a")
    _edit_csv(data / "finance.csv", "project_id", "40359", status="finished")
    _edit_csv(data / "finance.csv", "project_id", "73074", licence_id="")
    _edit_csv(data / "energy.csv", "asset_id", "G603589", capacity_unit="bcm/yr")
    doc = json.loads((geo / "energy.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["geometry"] = {"type": "LineString", "coordinates": [[60.0, 40.0]]}
    (geo / "energy.geojson").write_text(json.dumps(doc), encoding="utf-8")
    errors = cm.validate(geo, data).errors
    text = "\n".join(errors)
    assert any("finance.csv" in e and "40359" in e and "finished" in e for e in errors), text
    assert any("73074" in e and "licence_id" in e for e in errors), text
    assert any(
        "energy.csv: row" in e and "G603589" in e and "capacity_unit bcm/yr" in e for e in errors
    ), text
    assert any("energy.geojson: feature 1" in e for e in errors), text
    assert all("\n" not in e for e in errors)
    with pytest.raises(DataError):
        cm.load(geo, data)


def test_validate_refuses_amounts_in_the_wrong_unit_or_year(tmp_path: Path) -> None:
    geo, data = _copy_data(tmp_path)
    # millions instead of dollars; a 2021 amount labelled 2017; a licence nobody defined
    _edit_csv(data / "finance.csv", "project_id", "46364", amount_usd="29.1", usd_year="2021",
              amount_usd_2021="29.1")  # fmt: skip
    _edit_csv(data / "finance.csv", "project_id", "40359", usd_year="2017")
    _edit_csv(data / "finance.csv", "project_id", "73074", licence_id="odc_by_aiddata;cc_by_x")
    errors = cm.validate(geo, data).errors
    text = "\n".join(errors)
    assert any("46364" in e and "not thousands or millions" in e for e in errors), text
    assert any("40359" in e and "amount_usd_2017" in e for e in errors), text
    assert any("73074" in e and "licence 'cc_by_x' is not in licences.csv" in e for e in errors)


def test_an_older_data_folder_without_the_footprint_still_loads(tmp_path: Path) -> None:
    geo, data = _copy_data(tmp_path)
    for name in ("finance", "finance_regions", "energy", "licences"):
        (data / f"{name}.csv").unlink()
    for name in ("finance", "energy"):
        (geo / f"{name}.geojson").unlink()
    atlas = cm.load(geo, data)
    assert len(atlas.finance) == 0 and len(atlas.energy) == 0
    assert cm.finance_near(atlas, "cku_highway", km=20).empty


# --------------------------------------------------------------------------- credits


def test_one_licence_table_drives_the_credit_lines(atlas: cm.Atlas) -> None:
    table = cm.licences(atlas)
    assert {"odbl_osm", "odc_by_aiddata", "cc_by_gem", "pd_natural_earth"} <= set(
        table["licence_id"]
    )
    lines = cm.credit_lines(atlas, shown=["lines", "countries", "finance", "energy"])
    assert lines[0] == "© OpenStreetMap contributors (ODbL)"
    assert any(line.startswith("AidData, Global Chinese Development Finance") for line in lines)
    assert any(line.startswith("Global Energy Monitor") for line in lines)
    assert cm.credit_lines(atlas, shown=["countries"]) == ["Natural Earth (public domain)"]
    with pytest.raises(SelectionError, match="unknown layer"):
        cm.credit_lines(atlas, shown=["tiles"])


# --------------------------------------------------------------------------- command line


def test_cli_finance_near_and_by_region() -> None:
    from typer.testing import CliRunner

    from corridormap.cli.app import app

    runner = CliRunner()
    done = runner.invoke(app, ["finance", "--near", "cku_highway", "--km", "20", "-f", "csv"])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert {"40359", "46364", "73074"} <= {r["project_id"] for r in rows}
    assert "AidData" in done.stderr  # the source line, off stdout for machine formats
    done = runner.invoke(app, ["finance", "--country", "KGZ", "--by", "region", "-f", "json"])
    assert done.exit_code == 0, done.output
    table = json.loads(done.stdout)
    split = sum(
        float(r["amount_usd"])
        for r in _csv("finance_regions")
        if r["iso3"] == "KGZ" and r["adm_level"] == "adm1" and r["amount_usd"]
    )
    assert sum(r["amount_usd"] for r in table) == pytest.approx(split, abs=1.0)
    done = runner.invoke(app, ["energy", "--kind", "hydropower", "--country", "TJK"])
    assert done.exit_code == 0, done.output
    assert "Rogun hydroelectric plant" in done.stdout and "Global Energy Monitor" in done.stdout
    done = runner.invoke(app, ["finance", "--near", "cku_highway"])
    assert done.exit_code == 1
    assert "--near CORRIDOR and --km N together" in done.output


# --------------------------------------------------------------------------- exports


def test_exports_hold_and_credit_the_footprint(atlas: cm.Atlas, tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    import pyogrio

    from corridormap.errors import OutputError

    gpkg = cm.export_atlas(atlas, tmp_path / "atlas.gpkg")
    layers = dict(pyogrio.list_layers(gpkg))
    assert {"finance", "energy"} <= set(layers)
    finance = pyogrio.read_dataframe(gpkg, layer="finance")
    assert len(finance) == len(atlas.finance)
    credits = pyogrio.read_info(gpkg, layer="rail")["dataset_metadata"]["credits"]
    assert "AidData" in credits and "Global Energy Monitor" in credits
    parquet = cm.export_atlas(atlas, tmp_path / "energy.parquet", layer="energy")
    meta = json.loads(pq.read_metadata(parquet).metadata[b"corridormap"])
    assert meta["credits"].startswith("Global Energy Monitor")
    assert pq.read_table(parquet).num_rows == len(atlas.energy)
    table = cm.export_atlas(atlas, tmp_path / "finance.csv", layer="finance")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["geometry"].startswith(("MULTIPOLYGON", "MULTIPOINT"))
    from corridormap.export import sidecar_paths

    licences = sidecar_paths(table)[1].read_text(encoding="utf-8")
    assert "AidData" in licences and "Global Energy Monitor" in licences
    with pytest.raises(OutputError, match="layer must be one of"):
        cm.export_atlas(atlas, tmp_path / "x.csv", layer="trade")


def test_diff_reports_footprint_changes(atlas: cm.Atlas) -> None:
    from dataclasses import replace

    finance = atlas.finance.copy()
    finance.loc[finance["project_id"] == 40359, "status"] = "implementation"
    energy = atlas.energy[atlas.energy["asset_id"] != "G603589"]  # Rogun dropped
    changed = replace(atlas, finance=finance, energy=energy.reset_index(drop=True))
    figures = cm.diff_atlases(atlas, changed).figures
    rows = {(r.table, str(r.id), r.field): (r.old, r.new) for r in figures.itertuples()}
    assert rows[("finance", "40359", "status")] == ("completion", "implementation")
    assert rows[("energy", "G603589", "capacity")][1] == ""
    assert len(cm.diff_atlases(atlas, atlas)) == 0


# --------------------------------------------------------------------------- figures


def test_static_map_draws_and_credits_the_footprint(atlas: cm.Atlas) -> None:
    plain = cm.static_map(atlas, country="KGZ", figsize=(6, None), dpi=40)
    both = cm.static_map(atlas, country="KGZ", figsize=(6, None), dpi=40, finance=True,
                         energy=True)  # fmt: skip

    def texts(fig):  # every text of the figure and its legends, wrapped lines joined
        out = [t.get_text() for t in fig.texts]
        out += [t.get_text() for lg in fig.legends for t in lg.get_texts()]
        return " ".join(" ".join(out).split())

    # the plain figure credits the lines traced from AidData's geometry, once and in the licence
    # table's words, but draws no footprint
    assert texts(plain).count("AidData") == 1
    assert "AidData, Global Chinese" in texts(plain)
    assert "Chinese finance by region" not in texts(plain)
    assert "Hydropower (GEM" not in texts(plain)
    shown = texts(both)
    assert "Chinese finance by region (AidData, 2021 USD)" in shown
    assert "Hydropower (GEM; size ~ MW)" in shown
    assert "Global Energy Monitor" in shown and "AidData, Global Chinese Development" in shown
    assert shown.count("© OpenStreetMap contributors") <= 1
    assert len(both.axes[0].collections) > len(plain.axes[0].collections)


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_static_source_note_credits_the_footprint_in_every_language(
    atlas: cm.Atlas, lang: str
) -> None:
    """The footprint's credits join the source note itself, not a search in its English text.

    The lines drawn are OpenStreetMap's, AidData's (Dushanbe-Chanak) and GEM's (the oil
    pipeline): each holder is named once, for its lines and its projects together.
    """
    corridors = ["cku_highway", "tj_dushanbe_chanak_road", "kz_cn_oil"]
    fig = cm.static_map(atlas, corridor=corridors, figsize=(6, None), dpi=40, finance=True,
                        energy=True, lang=lang)  # fmt: skip
    text = "\n".join(t.get_text() for t in fig.texts)
    text = " ".join(text.split())  # the note is wrapped
    for line in cm.credit_lines(atlas, shown=["finance_geometry", "energy"]):
        assert text.count(" ".join(line.split())) == 1, line  # once, lines and projects alike
    assert text.count("© OpenStreetMap contributors") == 1
    assert "corridor lines CC-BY-4.0" not in text  # GEM's lines are credited by name


def test_charts_keep_dollar_years_apart_and_carry_sources(atlas: cm.Atlas) -> None:
    fig = cm.finance_chart(atlas, country="KGZ")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["GCDF 2.0: bn constant 2017 USD", "GCDF 3.0: bn constant 2021 USD"]
    foot = "\n".join(t.get_text() for t in fig.texts)
    assert "AidData" in foot and "never added" in foot
    heights = [sum(p.get_height() for p in ax.patches) for ax in fig.axes]
    kgz = atlas.finance[atlas.finance["countries"] == "KGZ"]
    fit = kgz[kgz["recommended_for_aggregates"] != "no"]
    dated = fit[fit["commitment_year"].notna()]
    assert heights[0] == pytest.approx(dated["amount_usd_2017"].sum() / 1e9)
    assert heights[1] == pytest.approx(dated["amount_usd_2021"].sum() / 1e9)
    trade = cm.indicator_chart(atlas, series="trade")
    assert "national statistics differ" in cm.alt_text(trade)
    with pytest.raises(SelectionError, match="series must be one of"):
        cm.indicator_chart(atlas, series="weather")


def test_a_brief_adds_finance_and_energy_tables_with_their_sources(
    atlas: cm.Atlas, tmp_path: Path
) -> None:
    spec = {
        "title": "Osh to Kashgar",
        "select": {"corridor": ["cku_highway"]},
        "footprint": {"finance": True, "energy": True, "km": 20},
        "outputs": ["tables", "index"],
    }
    folder = cm.brief(atlas, spec, tmp_path / "pack")
    with (folder / "finance.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"40359", "46364", "73074"} <= {r["project_id"] for r in rows}
    assert {r["usd_year"] for r in rows if r["amount_usd"]} <= {"2017", "2021"}
    alt = (folder / "alt.txt").read_text(encoding="utf-8")
    assert f"{len(rows)} projects" in alt and "Source: AidData" in alt
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "China's footprint beside the corridors" in page
    assert "Global Energy Monitor" in page and 'href="finance.csv"' in page
    from corridormap.errors import SpecError

    with pytest.raises(SpecError, match="footprint.finance must be true or false"):
        cm.brief(atlas, {**spec, "footprint": {"finance": "yes"}}, tmp_path / "bad")


def test_the_largest_energy_assets_never_compare_capacities_in_different_units(
    atlas: cm.Atlas,
) -> None:
    """MW plants rank by MW first; pipelines (bcm/yr) and LNG (mtpa) follow by kind, not by size."""
    import re

    import pandas as pd

    from corridormap.briefing.footprint import ENERGY_COLUMNS, section_html

    rows = [  # kind, capacity, unit: a 60 bcm/yr pipeline is not "larger" than a 30 MW unit
        ("oil_pipeline", None, None), ("gas_pipeline", 60.0, "bcm/yr"),
        ("lng_terminal", 5.0, "mtpa"), ("hydropower", 30.0, "MW"),
        ("oil_gas_power_unit", 400.0, "MW"), ("gas_pipeline", 80.0, "bcm/yr"),
    ]  # fmt: skip
    energy = pd.DataFrame(
        [
            {c: None for c in ENERGY_COLUMNS}
            | {"asset_id": f"G{i}", "name": f"asset{i}", "kind": kind, "capacity": cap,
               "capacity_unit": unit, "status": "operating", "distance_km": 1.0}
            for i, (kind, cap, unit) in enumerate(rows)
        ]
    )  # fmt: skip
    page = section_html(atlas, None, energy, 20)
    assert re.findall(r"<td>(asset\d)</td>", page) == [
        "asset4", "asset3", "asset5", "asset1", "asset2", "asset0"
    ]  # fmt: skip


def test_select_narrows_the_footprint_by_country_bbox_and_year(atlas: cm.Atlas) -> None:
    kgz = cm.select(atlas, country="KGZ")
    assert len(kgz.finance) and (kgz.finance["countries"].str.contains("KGZ")).all()
    assert "Toktogul hydroelectric plant" in set(kgz.energy["name"])
    assert "Rogun hydroelectric plant" not in set(kgz.energy["name"])
    early = cm.select(atlas, as_of=2010)
    assert (early.finance["commitment_year"] <= 2010).all()
    assert len(early.finance) < len(atlas.finance)
    assert (early.energy["start_year"] <= 2010).all()
    rail = cm.select(atlas, mode="rail")  # mode and corridor leave the footprint whole
    assert len(rail.finance) == len(atlas.finance) and len(rail.energy) == len(atlas.energy)


def test_an_unlinked_oil_pipeline_is_drawn_as_a_line_on_both_maps(tmp_path: Path) -> None:
    """vocabulary allows oil_pipeline in energy.csv: a user's line not linked to a corridor is
    an energy line like GEM's gas pipelines (lines or circles follow the geometry, not the kind).
    """
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_hex

    from corridormap.render.interactive.footprint import KIND_STYLE, energy_data, search_entries
    from corridormap.render.static.footprint import PIPELINE_COLOURS

    geo, data = _copy_data(tmp_path)
    with (data / "energy.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    gas = next(r for r in rows if r["asset_id"] == "P0739")
    rows.append({**gas, "asset_id": "P9999", "kind": "oil_pipeline", "name": "Test Oil Line",
                 "capacity": "100000", "capacity_unit": "bpd"})  # fmt: skip
    with (data / "energy.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    doc = json.loads((geo / "energy.geojson").read_text(encoding="utf-8"))
    line = next(f for f in doc["features"] if f["properties"]["asset_id"] == "P0739")
    doc["features"].append({**line, "properties": {"asset_id": "P9999"}})
    (geo / "energy.geojson").write_text(json.dumps(doc), encoding="utf-8")
    atlas = cm.load(geo, data)

    energy = energy_data(atlas)
    oil = energy["kinds"].index("Oil pipeline")
    assert [a[1] for a in energy["lines"] if a[0] == oil] == ["Test Oil Line"]
    assert energy["colours"][oil] == KIND_STYLE["oil_pipeline"][1]
    assert energy["colours"][oil] != KIND_STYLE["gas_pipeline"][1]
    assert "Test Oil Line" not in [p[1] for p in energy["points"]]
    found = [e for e in search_entries(atlas) if e["label"].startswith("Test Oil Line")]
    assert [e["kind"] for e in found] == ["Oil pipeline"]
    page = cm.folium_map(atlas, footprint=True).get_root().render()
    assert "Test Oil Line" in page and '"Oil pipeline"' in page
    ru = cm.folium_map(atlas, footprint=True, lang="ru").get_root().render()
    assert '"Нефтепровод"' in ru  # the legend's kind in the page's language

    fig = cm.static_map(atlas, country="KGZ", figsize=(6, None), dpi=40, energy=True)
    lines = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    colours = {to_hex(colour) for c in lines for colour in c.get_colors()}
    assert to_hex(PIPELINE_COLOURS["oil_pipeline"]) in colours
