"""What an analyst takes away: sources, licences and styles travel with every export.

The GeoPackage holds ``sources``, ``licences`` and QGIS's ``layer_styles`` and opens in the
Debian GDAL without a version warning; the other formats get sidecar files; KML balloons list
the sources with links and every status has a style; no CSV written carries a live formula.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridormap as cm
from corridormap._util import split_ids
from corridormap.cli.app import app
from corridormap.export import cited_sources, sidecar_paths
from corridormap.render import styles
from corridormap.vocabulary import HISTORY_STATUSES

runner = CliRunner()
EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def gpkg(atlas, tmp_path_factory):
    return cm.export_atlas(atlas, tmp_path_factory.mktemp("gpkg") / "atlas.gpkg")


def _cited(atlas) -> set[str]:
    columns = [c for c in atlas.corridors.columns if c.endswith("_source")]
    return {i for c in columns for v in atlas.corridors[c] for i in split_ids(v)}


def test_the_geopackage_carries_the_sources_it_cites(atlas, gpkg):
    import pyogrio

    sources = pyogrio.read_dataframe(gpkg, layer="sources")
    assert _cited(atlas) <= set(sources["source_id"])
    assert set(sources["source_id"]) <= set(atlas.sources["source_id"])
    assert sources["title"].notna().all() and "url" in sources and "licence" in sources
    licences = pyogrio.read_dataframe(gpkg, layer="licences")
    assert {"ODbL", "sketch"} <= set(licences["licence"])
    assert cm.settings.osm_attribution in set(licences["credit"])


def test_the_geopackage_is_styled_for_qgis(gpkg):
    with sqlite3.connect(gpkg) as db:
        rows = db.execute(
            "SELECT f_table_name, f_geometry_column, useAsDefault, styleQML FROM layer_styles"
        ).fetchall()
        geometry = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        version = db.execute("PRAGMA user_version").fetchone()[0]
    assert version == 10200  # GeoPackage 1.2
    styled = {name: qml for name, column, default, qml in rows}
    assert set(styled) == {"rail", "road", "gas_pipeline", "oil_pipeline", "segments"}
    assert all(column == geometry[name] and default for name, column, default, _ in rows)
    rail = ET.fromstring(styled["rail"].split("\n", 1)[1])
    rules = rail.findall(".//rule")
    labels = [r.get("label") for r in rules]
    assert "Approximate alignment (a sketch)" in labels
    assert {f"Rail, {styles.status_label(s).lower()}" for s in cm.vocabulary.STATUSES} <= set(
        labels
    )
    colour = styles.MODE_STYLES["rail"].colour.lstrip("#")
    rgb = ",".join(str(int(colour[i : i + 2], 16)) for i in (0, 2, 4))
    props = {p.get("k"): p.get("v") for p in rail.iter("prop") if p.get("k") == "line_color"}
    assert props["line_color"].startswith(rgb)
    dashed = [p.get("v") for p in rail.iter("prop") if p.get("k") == "use_custom_dash"]
    assert "1" in dashed and "0" in dashed  # solid operational lines, dashed others


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo")
def test_the_system_gdal_reads_the_geopackage_without_a_warning(gpkg):
    done = subprocess.run(["ogrinfo", "-so", str(gpkg)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stdout + done.stderr
    assert "1: rail" in done.stdout and "sources (None)" in done.stdout


def test_other_formats_get_sidecar_sources_and_licences(atlas, tmp_path):
    for name in ("atlas.geojson", "atlas.kml", "atlas.csv"):
        target = cm.export_atlas(atlas, tmp_path / name)
        sources, licences = sidecar_paths(target)
        table = pd.read_csv(sources)
        assert _cited(atlas) <= set(table["source_id"])
        assert "ODbL" in set(pd.read_csv(licences)["licence"])
    done = runner.invoke(app, ["export", "--out", str(tmp_path / "rail.csv"), "--mode", "rail"])
    assert done.exit_code == 0 and "rail.sources.csv" in done.stdout


def test_kml_has_a_style_for_every_status_and_sources_with_links(atlas, tmp_path):
    path = cm.export_atlas(atlas, tmp_path / "atlas.kml")
    root = ET.parse(path).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    ids = {s.get("id") for s in root.iterfind(".//k:Style", ns)}
    assert {f"rail-{status}" for status in HISTORY_STATUSES} <= ids
    assert "rail-suspended" in ids
    cku = root.find(".//k:Placemark[@id='cku_railway']", ns)
    balloon = cku.find("k:description", ns).text
    source = cited_sources(atlas.subset(["cku_railway"]))
    url = next(u for u in source["url"] if isinstance(u, str) and u.startswith("http"))
    assert f"<a href='{url}'" in balloon and "<b>Sources</b>" in balloon
    cost = atlas.corridors.set_index("corridor_id").loc["cku_railway", "cost_usd_m"]
    assert f"USD {cost:,.0f} million" in balloon and "," in f"{cost:,.0f}"  # thousands marked


def test_no_exported_csv_carries_a_live_formula(data_copy, tmp_path):
    data_copy.edit_cell("projects", "cku_railway", "name", EVIL)
    data_copy.edit_cell("projects", "cku_railway", "operator", "+SUM(A1:A9)")
    atlas = cm.load(data_copy.geo, data_copy.data)
    out = cm.export_atlas(atlas, tmp_path / "atlas.csv")
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    cells = [v for column in table.columns for v in table[column]]
    assert not [v for v in cells if v[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert f"'{EVIL}" in cells and "'+SUM(A1:A9)" in cells
    # the briefing pack's tables too
    spec = {"title": "T", "outputs": ["tables"], "select": {"corridor": "cku_railway"}}
    pack = cm.brief(atlas, spec, tmp_path / "pack")
    corridors = pd.read_csv(pack / "corridors.csv", dtype=str, keep_default_na=False)
    assert f"'{EVIL}" in corridors.to_numpy().ravel().tolist()
    # and the command line's CSV output
    done = runner.invoke(
        app, ["lengths", "--geo-dir", str(data_copy.geo), "--data-dir", str(data_copy.data),
              "-f", "csv", "--corridor", "cku_railway"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "\n=" not in done.stdout and ",=" not in done.stdout


def test_a_user_s_cc_by_line_names_its_licence_from_the_licence_table(data_copy, tmp_path):
    segment = cm.load().segments["segment_id"].iloc[0]
    data_copy.edit_cell("segments", segment, "geometry_licence", "cc_by_sa_4")
    refused = cm.validate(data_copy.geo, data_copy.data)
    [problem] = [p for p in refused.errors if "geometry_licence" in p]
    assert f"segment_id={segment}" in problem and "'cc_by_sa_4' is not a licence" in problem
    assert "data/licences.csv" in problem
    table = data_copy.data / "licences.csv"  # licence_id, name, url, attribution, covers
    with table.open("a", encoding="utf-8", newline="") as f:
        f.write(
            "cc_by_sa_4,Creative Commons Attribution-ShareAlike 4.0,"
            "https://creativecommons.org/licenses/by-sa/4.0/,Digitised by A. Analyst,"
            "a user's own line\n"
        )
    assert cm.validate(data_copy.geo, data_copy.data).ok
    atlas = cm.load(data_copy.geo, data_copy.data)
    path = cm.export_atlas(atlas, tmp_path / "atlas.geojson")
    licences = pd.read_csv(sidecar_paths(path)[1])
    assert "cc_by_sa_4" in set(licences["licence"])  # the licence table travels with the export


HOLDERS = ("OpenStreetMap", "AidData", "Global Energy Monitor", "Natural Earth")


def test_export_metadata_names_each_licence_holder_once(atlas, gpkg, tmp_path):
    """One credit mechanism: the lines' AidData and GEM credits are the licence table's rows,
    not a second wording beside the finance and energy layers' own."""
    import json

    import pyarrow.parquet as pq
    import pyogrio

    credits = pyogrio.read_info(gpkg, layer=0)["dataset_metadata"]["credits"]
    for holder in HOLDERS:
        assert credits.count(holder) == 1, (holder, credits)
    parquet = cm.export_atlas(atlas, tmp_path / "atlas.parquet")
    meta = json.loads(pq.read_schema(parquet).metadata[b"corridormap"])
    for holder in HOLDERS[:3]:  # the corridor lines: OSM, AidData's and GEM's geometry
        assert meta["credits"].count(holder) == 1, (holder, meta["credits"])


def test_the_licence_table_credits_each_licence_once_from_the_atlas_table(atlas, gpkg):
    """The segments' ODbL row is the table's odbl_osm row (one OSM credit, not two), and the
    GEM-routed lines' CC-BY-4.0 row names GEM in the table's words."""
    import pyogrio

    licences = pyogrio.read_dataframe(gpkg, layer="licences")
    assert licences["credit"].is_unique, licences[["licence", "credit"]]
    table = atlas.licences.set_index("licence_id")["attribution"]
    credit = licences.set_index("licence")["credit"]
    assert credit["ODbL"] == table["odbl_osm"]
    assert credit["CC-BY-4.0"] == table["cc_by_gem"]
    assert {"pd_natural_earth", "odc_by_aiddata"} <= set(licences["licence"])
