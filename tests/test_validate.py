"""Validation: the real atlas passes; broken copies (one defect each) fail with a clear line."""

from __future__ import annotations

import pytest

import corridormap
from corridormap.validate import validate


def test_real_atlas_is_valid():
    report = validate()
    assert report.errors == []
    assert set(report.layers) == {"railways", "pipelines", "highways", "places", "countries"}


def _errors(copy) -> list[str]:
    return validate(copy.geo, copy.data).errors


def _single(copy, *needles: str) -> str:
    errors = _errors(copy)
    hits = [e for e in errors if all(n in e for n in needles)]
    assert hits, f"no error mentions {needles}; got {errors}"
    assert all("\n" not in e for e in errors)
    return hits[0]


def test_unknown_status_names_file_row_and_value(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "status", "operatonal")
    line = _single(data_copy, "projects.csv", "corridor_id=cku_railway", "'status'", "operatonal")
    assert "operational" in line  # says what is allowed


def test_negative_length_is_caught(data_copy):
    data_copy.edit_cell("projects", "cagp_abc", "length_km_reported", "-5")
    _single(data_copy, "projects.csv", "cagp_abc", "length_km_reported", "negative")


def test_non_numeric_cost_is_caught(data_copy):
    data_copy.edit_cell("projects", "kz_cn_oil", "cost_usd_m", "about 3bn")
    _single(data_copy, "projects.csv", "kz_cn_oil", "cost_usd_m", "not a number")


def test_implausible_year_is_caught(data_copy):
    data_copy.edit_cell("projects", "cku_highway", "opened", "1018")
    _single(data_copy, "projects.csv", "cku_highway", "opened", "outside")


def test_unknown_capacity_unit_is_caught(data_copy):
    data_copy.edit_cell("projects", "cagp_abc", "capacity_unit", "bcm per year")
    _single(data_copy, "projects.csv", "capacity_unit", "bcm per year")


def test_unknown_source_id_is_caught(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "cost_source", "no_such_source")
    _single(data_copy, "projects.csv", "cku_railway", "cost_source", "no_such_source")


def test_duplicate_corridor_id_is_caught(data_copy):
    text = data_copy.table("projects")
    lines = text.splitlines()
    data_copy.write_table("projects", "\n".join([*lines, lines[1]]) + "\n")
    _single(data_copy, "projects.csv", "more than once")


def test_missing_column_is_caught(data_copy):
    import pandas as pd

    frame = pd.read_csv(data_copy.data / "segments.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="positional_accuracy_km").to_csv(
        data_copy.data / "segments.csv", index=False
    )
    _single(data_copy, "segments.csv", "missing column 'positional_accuracy_km'")


def test_orphan_segment_row_is_caught(data_copy):
    doc = data_copy.layer("railways")
    removed = doc["features"].pop(0)["properties"]["segment_id"]
    data_copy.write_layer("railways", doc)
    _single(data_copy, "segments.csv", removed, "no feature")


def test_orphan_feature_is_caught(data_copy):
    doc = data_copy.layer("highways")
    doc["features"][0]["properties"]["segment_id"] = "cku_highway__nowhere"
    data_copy.write_layer("highways", doc)
    _single(data_copy, "highways.geojson", "cku_highway__nowhere", "no row in segments.csv")


def test_swapped_lat_lon_is_named(data_copy):
    doc = data_copy.layer("railways")
    geometry = doc["features"][0]["geometry"]
    geometry["coordinates"] = [[lat, lon] for lon, lat in geometry["coordinates"]]
    data_copy.write_layer("railways", doc)
    _single(data_copy, "railways.geojson", "feature 1", "lat/lon swapped")


def test_projected_coordinates_are_named(data_copy):
    doc = data_copy.layer("pipelines")
    geometry = doc["features"][0]["geometry"]
    geometry["coordinates"] = [[lon * 111000, lat * 111000] for lon, lat in geometry["coordinates"]]
    data_copy.write_layer("pipelines", doc)
    _single(data_copy, "pipelines.geojson", "projected")


def test_crs_member_is_rejected(data_copy):
    doc = data_copy.layer("highways")
    doc["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    data_copy.write_layer("highways", doc)
    _single(data_copy, "highways.geojson", "'crs' member")


def test_too_many_decimals_is_caught(data_copy):
    doc = data_copy.layer("places")
    doc["features"][0]["geometry"]["coordinates"][0] += 1e-7 * 3
    data_copy.write_layer("places", doc)
    _single(data_copy, "places.geojson", "decimals")


def test_wrong_geometry_type_is_caught(data_copy):
    doc = data_copy.layer("railways")
    doc["features"][0]["geometry"] = {"type": "Point", "coordinates": [75.0, 40.0]}
    data_copy.write_layer("railways", doc)
    _single(data_copy, "railways.geojson", "geometry type 'Point'")


def test_invalid_json_is_caught(data_copy):
    (data_copy.geo / "places.geojson").write_text('{"type": "FeatureCollection", "features": [')
    _single(data_copy, "places.geojson", "not valid JSON")


def test_latin1_table_is_caught(data_copy):
    (data_copy.data / "sources.csv").write_bytes(
        data_copy.table("sources").encode("utf-8") + "x,Café,,,,,,\n".encode("latin-1")
    )
    _single(data_copy, "sources.csv", "not UTF-8")


def test_wrong_layer_for_mode_is_caught(data_copy):
    rail = data_copy.layer("railways")
    roads = data_copy.layer("highways")
    moved = rail["features"].pop(0)
    roads["features"].append(moved)
    data_copy.write_layer("railways", rail)
    data_copy.write_layer("highways", roads)
    _single(data_copy, "highways.geojson", moved["properties"]["segment_id"], "another layer")


def test_all_problems_are_reported_not_just_the_first(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "status", "bogus")
    data_copy.edit_cell("projects", "cagp_d", "mode", "canal")
    errors = _errors(data_copy)
    assert any("bogus" in e for e in errors) and any("canal" in e for e in errors)


def test_load_raises_one_public_exception_with_the_same_messages(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "status", "bogus")
    with pytest.raises(corridormap.DataError) as info:
        corridormap.load(data_copy.geo, data_copy.data)
    assert info.value.problems == _errors(data_copy)
    assert isinstance(info.value, ValueError)
