"""Exports of the joined atlas, each read back with pyogrio/pyarrow and compared."""

from __future__ import annotations

import dataclasses
import sys
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from typer.testing import CliRunner

from corridormap import MissingDependencyError, OutputError, export_atlas, select
from corridormap.cli.app import app
from corridormap.export import joined_corridors

runner = CliRunner()
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def joined(atlas):
    return joined_corridors(atlas)


def same_geometry(a, b, tolerance=1e-5) -> bool:
    return shapely.hausdorff_distance(a, b) < tolerance


def check_corridors(frame: pd.DataFrame, joined: gpd.GeoDataFrame) -> None:
    frame = frame.set_index("corridor_id").loc[joined["corridor_id"]]
    assert frame["name"].tolist() == joined["name"].tolist()
    assert frame["mode"].tolist() == joined["mode"].tolist()
    assert frame["length_km"].astype(float).round(3).tolist() == pytest.approx(
        joined["length_km"].round(3).tolist(), abs=1e-3
    )
    assert frame["km_by_country"].tolist() == joined["km_by_country"].tolist()
    assert set(joined.columns) - {"geometry"} <= set(frame.columns) | {"corridor_id"}


def test_joined_corridors_carry_facts_lengths_and_splits(joined, atlas):
    assert len(joined) == len(atlas.corridors)
    cku = joined.set_index("corridor_id").loc["cku_railway"]
    parts = dict(p.split(":") for p in cku["km_by_country"].split(";"))
    assert {"CHN", "KGZ", "UZB"} <= set(parts)
    assert sum(float(v) for v in parts.values()) == pytest.approx(cku["length_km"], rel=0.01)


def test_geojson_reads_back(atlas, joined, tmp_path):
    path = export_atlas(atlas, tmp_path / "corridors.geojson")
    back = pyogrio.read_dataframe(path)
    check_corridors(back, joined)
    assert back.crs.to_epsg() == 4326
    for a, b in zip(back.geometry, joined.geometry, strict=True):
        assert same_geometry(a, b)
    assert '"crs"' not in path.read_text(encoding="utf-8")  # RFC 7946


def test_geopackage_has_a_layer_per_mode_plus_segments_countries_places(atlas, joined, tmp_path):
    path = export_atlas(atlas, tmp_path / "atlas.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(path)}
    modes = set(joined["mode"])
    tables = {"sources", "licences", "layer_styles"}  # no geometry: the sources and QGIS styles
    assert layers == modes | {"segments", "countries", "places"} | tables
    for mode in modes:
        back = pyogrio.read_dataframe(path, layer=mode)
        check_corridors(back, joined[joined["mode"] == mode])
    assert len(pyogrio.read_dataframe(path, layer="places")) == len(atlas.places)
    assert len(pyogrio.read_dataframe(path, layer="segments")) == len(atlas.segments)


def test_geoparquet_reads_back(atlas, joined, tmp_path):
    path = export_atlas(atlas, tmp_path / "corridors.parquet")
    assert b"geo" in pq.read_schema(path).metadata
    back = gpd.read_parquet(path)
    check_corridors(back, joined)
    for a, b in zip(back.geometry, joined.geometry, strict=True):
        assert same_geometry(a, b)


def test_geoparquet_without_pyarrow_names_the_install(atlas, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed: import fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependencyError, match="needs pyarrow: pip install pyarrow"):
        export_atlas(atlas, tmp_path / "corridors.parquet")
    assert list(tmp_path.iterdir()) == []


def test_csv_has_wkt_geometry(atlas, joined, tmp_path):
    path = export_atlas(atlas, tmp_path / "corridors.csv")
    back = pd.read_csv(path)
    check_corridors(back, joined)
    geometries = shapely.from_wkt(back["geometry"])
    for a, b in zip(geometries, joined.geometry, strict=True):
        assert same_geometry(a, b)


def test_kml_has_styled_lines_and_balloons(atlas, joined, tmp_path):
    path = export_atlas(atlas, tmp_path / "corridors.kml")
    root = ET.parse(path).getroot()
    marks = [m for m in root.iter(f"{KML}Placemark") if m.find(f"{KML}LineString") is not None
             or m.find(f"{KML}MultiGeometry") is not None]  # fmt: skip
    assert len(marks) == len(joined)
    styles = {s.get("id") for s in root.iter(f"{KML}Style")}
    for mark in marks:
        assert mark.findtext(f"{KML}styleUrl")[1:] in styles
        assert "<table>" in mark.findtext(f"{KML}description")
    driver = "LIBKML" if "LIBKML" in pyogrio.list_drivers() else "KML"
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert set(joined["mode"]) <= set(layers)
    back = pd.concat(
        [pyogrio.read_dataframe(path, layer=m, driver=driver) for m in set(joined["mode"])]
    )
    assert sorted(back["Name"] if "Name" in back else back["name"]) == sorted(joined["name"])


def test_kml_escapes_text(atlas, tmp_path):
    corridors = atlas.corridors.copy()
    corridors.loc[0, "name"] = 'Rail <b>& "quotes"</b>'
    odd = dataclasses.replace(atlas, corridors=corridors)
    path = export_atlas(odd, tmp_path / "odd.kml")
    root = ET.parse(path).getroot()
    names = [m.findtext(f"{KML}name") for m in root.iter(f"{KML}Placemark")]
    assert 'Rail <b>& "quotes"</b>' in names


def test_export_of_a_selection(atlas, tmp_path):
    rail = select(atlas, mode="rail")
    back = pyogrio.read_dataframe(export_atlas(rail, tmp_path / "rail.geojson"))
    assert set(back["mode"]) == {"rail"}


def test_unknown_format_is_an_output_error_of_one_line(atlas, tmp_path):
    with pytest.raises(OutputError, match="cannot tell the format from 'corridors.xlsx'") as info:
        export_atlas(atlas, tmp_path / "corridors.xlsx")
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)
    with pytest.raises(OutputError, match="unknown format 'shp'"):
        export_atlas(atlas, tmp_path / "x", format="shp")
    assert list(tmp_path.iterdir()) == []


def test_cli_export(tmp_path):
    out = tmp_path / "rail.gpkg"
    result = runner.invoke(app, ["export", "--out", str(out), "--mode", "rail"])
    assert result.exit_code == 0, result.output
    assert "rail" in {name for name, _ in pyogrio.list_layers(out)}
    result = runner.invoke(app, ["export", "--format", "kml", "--out", str(tmp_path / "a.kml")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "a.xyz")])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot tell the format")
