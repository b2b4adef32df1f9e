"""Validation: the real atlas passes; broken copies (one defect each) fail with a clear line."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

import corridormap
from corridormap.cli.app import app
from corridormap.validation.runner import CHECKS, validate

runner = CliRunner()


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


# --------------------------------------------------------------------------- cross-file rules
# One broken copy per rule of corridormap.validation.rules that had no test; each names file, row
# and fix.


def _rename_segment(copy, old: str, new: str, corridor: str | None = None) -> None:
    """Rename a segment in its layer and in segments.csv (and move it to ``corridor``)."""
    for name in ("railways", "pipelines", "highways"):
        doc = copy.layer(name)
        for feature in doc["features"]:
            if feature["properties"]["segment_id"] == old:
                feature["properties"]["segment_id"] = new
                feature["properties"]["corridor_id"] = (
                    corridor or feature["properties"]["corridor_id"]
                )
        copy.write_layer(name, doc)
    copy.edit_cell("segments", old, "segment_id", new)
    if corridor:
        copy.edit_cell("segments", new, "corridor_id", corridor)


def _unreferenced_rail_segment(copy) -> str:
    """A railway segment no other table names (so renaming it breaks one rule only)."""
    named = copy.table("status_history") + copy.table("tariffs")
    features = copy.layer("railways")["features"]
    return next(
        f["properties"]["segment_id"]
        for f in features
        if f["properties"]["segment_id"] not in named
    )


def test_segment_id_not_starting_with_its_corridor_is_caught(data_copy):
    seg = _unreferenced_rail_segment(data_copy)
    _rename_segment(data_copy, seg, "elsewhere__" + seg.split("__")[1])
    _single(data_copy, "railways.geojson", "feature", "elsewhere__", "does not start with")


def test_feature_of_a_corridor_without_a_projects_row_is_caught(data_copy):
    seg = _unreferenced_rail_segment(data_copy)
    _rename_segment(data_copy, seg, "ghost__line", corridor="ghost")
    line = _single(data_copy, "railways.geojson", "ghost__line", "unknown corridor 'ghost'")
    assert "column 'corridor_id'" in line and "not in projects.csv" in line


def test_segment_row_and_feature_naming_different_corridors_is_caught(data_copy):
    seg = _unreferenced_rail_segment(data_copy)
    data_copy.edit_cell("segments", seg, "corridor_id", "cku_highway")
    line = _single(data_copy, "segments.csv", f"segment_id={seg}", "'cku_highway' but the feature")
    assert "column 'corridor_id'" in line


def test_project_with_no_drawn_segment_is_caught(data_copy):
    lines = data_copy.table("projects").splitlines()
    data_copy.write_table("projects", "\n".join([*lines, "undrawn" + lines[1][11:]]) + "\n")
    assert lines[1].startswith("cku_railway,")
    _single(data_copy, "projects.csv", "corridor_id=undrawn", "no segment drawn")


def test_place_with_an_unknown_corridor_is_caught(data_copy):
    doc = data_copy.layer("places")
    place = doc["features"][0]["properties"]
    place["corridor_ids"] = "cku_railway;no_such_corridor"
    data_copy.write_layer("places", doc)
    line = _single(data_copy, "places.geojson", "feature 1", "unknown corridor 'no_such_corridor'")
    assert f"place_id={place['place_id']}" in line and "column 'corridor_ids'" in line


def test_project_country_missing_from_the_basemap_is_caught(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "countries", "CHN;KGZ;UZB;ZZZ")
    _single(data_copy, "projects.csv", "corridor_id=cku_railway", "country ZZZ is not in countries")


def test_opened_before_construction_start_is_caught(data_copy):
    data_copy.edit_cell("projects", "cagp_abc", "construction_start", "2012")
    data_copy.edit_cell("projects", "cagp_abc", "opened", "2009")
    line = _single(data_copy, "projects.csv", "corridor_id=cagp_abc", "2009 is before")
    assert "construction_start 2012" in line


def test_cross_file_problems_share_one_label_style(data_copy):
    """Schema and cross-file lines alike read ``file: row|feature N (id=…): …``."""
    data_copy.edit_cell("projects", "cku_railway", "cost_source", "no_such_source")
    data_copy.edit_cell("projects", "cagp_abc", "countries", "KAZ;ZZZ")
    doc = data_copy.layer("places")
    doc["features"][0]["properties"]["source"] = "no_such_source"
    data_copy.write_layer("places", doc)
    data_copy.edit_cell("segments", _unreferenced_rail_segment(data_copy), "corridor_id", "cagp_d")
    errors = _errors(data_copy)
    assert len(errors) >= 4
    for error in errors:
        assert re.match(r"^\S+\.(csv|geojson): (row|feature) \d+ \(\w+=[^)]+\): ", error), error


def test_every_rule_is_a_named_documented_check_that_passes_the_real_atlas():
    report = validate()
    assert len(CHECKS) >= 15
    for rule in CHECKS:
        assert rule.__name__.startswith("_check_") and rule.__doc__, rule
        assert rule(report) == [], rule.__name__


# --------------------------------------------------------------------------- revenue tables


def _cli(copy, *more: str):
    return runner.invoke(
        app, ["validate", "--geo-dir", str(copy.geo), "--data-dir", str(copy.data)]
    )


def _cli_error(copy, *needles: str) -> str:
    result = _cli(copy)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    hits = [line for line in lines if all(n in line for n in needles)]
    assert hits, f"no error line holds {needles}: {result.stderr}"
    return hits[0]


def test_validate_refuses_a_broken_tariffs_csv(data_copy):
    first = data_copy.table("tariffs").splitlines()[1].split(",")[0]
    data_copy.edit_cell("tariffs", first, "tariff_unit", "USD/1000m3/100km")
    _cli_error(data_copy, "tariffs.csv", "row 2", f"tariff_id={first}", "charged per 1000m3")


def test_validate_refuses_what_the_revenue_command_refuses(data_copy):
    first = data_copy.table("tariffs").splitlines()[1].split(",")[0]
    data_copy.edit_cell("tariffs", first, "tariff_base", "0.065 USD")
    dirs = ["--geo-dir", str(data_copy.geo), "--data-dir", str(data_copy.data)]
    for command in (["validate"], ["revenue"]):
        result = runner.invoke(app, [*command, *dirs])
        assert result.exit_code == 1, (command, result.output)
        assert "tariffs.csv: row 2" in result.stderr and "'tariff_base'" in result.stderr


def test_validate_refuses_a_broken_fx_csv(data_copy):
    data_copy.edit_cell("fx", "TJS", "rate", "-11.3")
    _cli_error(data_copy, "fx.csv", "row 3", "currency=TJS", "'rate'", "greater than 0")


def test_validate_refuses_a_tariff_in_a_currency_without_a_rate(data_copy):
    first = data_copy.table("tariffs").splitlines()[1].split(",")[0]
    data_copy.edit_cell("tariffs", first, "tariff_unit", "CNY/t-km")
    _cli_error(data_copy, "tariffs.csv", f"tariff_id={first}", "no exchange rate for CNY")


def test_a_per_km_tariff_in_a_country_the_line_never_enters_is_caught(data_copy):
    rows = [r.split(",") for r in data_copy.table("tariffs").splitlines()[1:]]
    tariff_id, corridor = next((r[0], r[1]) for r in rows if r[3] == "per_km")
    countries = data_copy.table("projects").split(f"\n{corridor},", 1)[1]
    listed = next(c for c in countries.split(",") if re.fullmatch(r"[A-Z]{3}(;[A-Z]{3})*", c))
    data_copy.edit_cell("projects", corridor, "countries", listed + ";AFG")  # listed, not drawn
    data_copy.edit_cell("tariffs", tariff_id, "iso3", "AFG")
    line = _cli_error(data_copy, "tariffs.csv", f"tariff_id={tariff_id}", "no km in AFG")
    assert f"the drawn line of {corridor}" in line and "column 'iso3'" in line


def test_a_folder_without_revenue_tables_is_valid_and_loads_empty_tariffs(data_copy):
    (data_copy.data / "tariffs.csv").unlink()
    (data_copy.data / "fx.csv").unlink()
    assert _errors(data_copy) == []
    atlas = corridormap.load(data_copy.geo, data_copy.data)
    assert atlas.tariffs.rows.empty and corridormap.transit_revenue(atlas).empty


def test_the_revenue_model_uses_the_tables_validated_at_load(data_copy):
    atlas = corridormap.load(data_copy.geo, data_copy.data)
    before = corridormap.transit_revenue(atlas)
    (data_copy.data / "tariffs.csv").write_text("broken after loading\n", encoding="utf-8")
    after = corridormap.transit_revenue(atlas)  # not read again: the atlas holds them
    assert len(before) == len(atlas.tariffs.rows) > 0
    assert after.equals(before)


# --------------------------------------------------------------------------- optional new files

CLAIMS_HEADER = "corridor_id,segment_id,country_iso3,length_km,as_of,source_id,note"


def _claims(copy, *rows: str) -> None:
    (copy.data / "length_claims.csv").write_text(
        "\n".join([CLAIMS_HEADER, *rows]) + "\n", encoding="utf-8"
    )


def _a_source(copy) -> str:
    return copy.table("sources").splitlines()[1].split(",")[0]


def _a_segment(copy, corridor: str) -> str:
    rows = [r.split(",")[:2] for r in copy.table("segments").splitlines()[1:]]
    return next(seg for seg, c in rows if c == corridor)


def test_valid_length_claims_are_read_into_the_atlas(data_copy):
    src = _a_source(data_copy)
    seg = _a_segment(data_copy, "cku_railway")
    _claims(
        data_copy,
        f"cku_railway,,,532.53,2025,{src},total",
        f"cku_railway,{seg},KGZ,304.94,2025-12-05,{src};{src},a stretch",
    )
    assert _errors(data_copy) == []
    claims = corridormap.load(data_copy.geo, data_copy.data).length_claims
    assert list(claims["length_km"]) == [532.53, 304.94]


def test_an_older_data_folder_without_the_new_files_is_valid(data_copy):
    for name in ("length_claims.csv", "release.toml"):
        (data_copy.data / name).unlink(missing_ok=True)
    assert _errors(data_copy) == []
    atlas = corridormap.load(data_copy.geo, data_copy.data)
    assert atlas.length_claims.empty and atlas.release is None
    assert list(atlas.length_claims.columns) == CLAIMS_HEADER.split(",")


def _first_per_column(
    cases: list[tuple[str, list[str]]], column: Callable[[list[str]], str]
) -> list:
    """The cases, each after the first of its column (``column(needles)``) marked slow.

    The default run checks every column once; the slow pass (CI runs both) the other cases.
    """
    seen: set[str] = set()
    marked = []
    for text, needles in cases:
        name = column(needles)
        marked.append(pytest.param(text, needles, marks=pytest.mark.slow if name in seen else ()))
        seen.add(name)
    return marked


@pytest.mark.parametrize(
    ("cells", "needles"),
    _first_per_column([
        ("no_such,,,10,2025,SRC,", ["row 2", "'corridor_id'", "unknown corridor 'no_such'"]),
        ("cku_railway,cku_railway__nowhere,,10,2025,SRC,", ["'segment_id'", "unknown segment"]),
        ("cku_highway,SEG,,10,2025,SRC,", ["'segment_id'", "is of corridor 'cku_railway'"]),
        ("cku_railway,,ZZZ,10,2025,SRC,", ["'country_iso3'", "country ZZZ is not in countries"]),
        ("cku_railway,,KG,10,2025,SRC,", ["'country_iso3'", "ISO 3166-1 alpha-3"]),
        ("cku_railway,,,0,2025,SRC,", ["'length_km'", "must be greater than 0"]),
        ("cku_railway,,,-4,2025,SRC,", ["'length_km'", "must be greater than 0"]),
        ("cku_railway,,,NaN,2025,SRC,", ["'length_km'", "not a finite number"]),
        ("cku_railway,,,about 500,2025,SRC,", ["'length_km'", "not a number"]),
        ("cku_railway,,,10,2025-12,SRC,", ["'as_of'", "a year YYYY or a date YYYY-MM-DD"]),
        ("cku_railway,,,10,2025-13-01,SRC,", ["'as_of'", "a year YYYY or a date"]),
        ("cku_railway,,,10,2025,no_such_source,", ["'source_id'", "unknown source id"]),
        ("cku_railway,,,10,2025,SRC;,", ["'source_id'", "ids separated by ';'"]),
        ("cku_railway,,,10,2025,,", ["'source_id'", "is empty but required"]),
    ], lambda needles: next(n for n in needles if n.startswith("'"))),
)  # fmt: skip
def test_broken_length_claim_is_one_line_naming_row_and_column(data_copy, cells, needles):
    cells = cells.replace("SRC", _a_source(data_copy))
    cells = cells.replace("SEG", _a_segment(data_copy, "cku_railway"))
    _claims(data_copy, cells)
    errors = _errors(data_copy)
    assert len(errors) == 1, errors
    assert "length_claims.csv: row 2" in errors[0], errors[0]
    for needle in needles:
        assert needle in errors[0], errors[0]


def test_length_claims_with_other_columns_are_refused(data_copy):
    (data_copy.data / "length_claims.csv").write_text(
        "corridor_id,length_km,source_id\ncku_railway,10,x\n", encoding="utf-8"
    )
    errors = _errors(data_copy)
    assert any("missing column 'as_of'" in e for e in errors), errors


def test_validate_refuses_a_broken_length_claims_csv(data_copy):
    _claims(data_copy, f"cku_railway,,,0,2025,{_a_source(data_copy)},")
    _cli_error(data_copy, "length_claims.csv", "row 2", "corridor_id=cku_railway", "'length_km'")


def _release(copy, text: str) -> None:
    (copy.data / "release.toml").write_text(text, encoding="utf-8")


def test_valid_release_is_read_into_the_atlas(data_copy):
    _release(
        data_copy,
        'data_version = "2026.12"\nas_of = 2026-12-01\n'
        f'newest_source_id = "{_a_source(data_copy)}"\n',
    )
    assert _errors(data_copy) == []
    release = corridormap.load(data_copy.geo, data_copy.data).release
    assert release.as_of == datetime.date(2026, 12, 1) and release.data_version == "2026.12"
    assert release == corridormap.data_release(data_copy.data)  # the --version reader agrees


@pytest.mark.parametrize(
    ("text", "needles"),
    _first_per_column([
        ('data_version = "2026.12\nas_of = 2026-12-01\n', ["not valid TOML", "line 1"]),
        ('as_of = 2026-12-01\nnewest_source_id = "SRC"\n', ["missing key 'data_version'"]),
        ('data_version = "1"\nas_of = "2026-12-01"\nnewest_source_id = "SRC"\n',
         ["as_of", "'2026-12-01' is not a TOML date"]),
        ('data_version = "1"\nas_of = 2026-12-01T10:00:00\nnewest_source_id = "SRC"\n',
         ["as_of", "is not a TOML date"]),
        ('data_version = 2026\nas_of = 2026-12-01\nnewest_source_id = "SRC"\n',
         ["data_version", "2026 is not a string"]),
        ('data_version = "1"\nas_of = 2026-12-01\nnewest_source_id = "nope"\n',
         ["newest_source_id", "unknown source id 'nope'"]),
    ], lambda needles: needles[0]),
)  # fmt: skip
def test_broken_release_is_one_line_naming_the_file(data_copy, text, needles):
    _release(data_copy, text.replace("SRC", _a_source(data_copy)))
    errors = _errors(data_copy)
    assert len(errors) == 1, errors
    assert "release.toml: " in errors[0], errors[0]
    for needle in needles:
        assert needle in errors[0], errors[0]


def test_validate_refuses_a_broken_release_toml(data_copy):
    _release(data_copy, "data_version = [\n")
    _cli_error(data_copy, "release.toml", "not valid TOML")


def test_atlas_length_claim_columns_match_the_schema():
    from corridormap.atlas import core as atlas
    from corridormap.validation import schema

    assert list(atlas.LENGTH_CLAIM_COLUMNS) == list(schema.LENGTH_CLAIMS.columns)


_ODD_GEOMETRIES = [
    {"type": "LineString", "coordinates": [[70, 40], [71, 41]]},  # integers
    {"type": "LineString", "coordinates": [[70.5, 40.5]]},  # one position
    {"type": "LineString", "coordinates": [[70.5, 40.5], [70.5, 40.5]]},  # no length
    {"type": "LineString", "coordinates": [[70.5, 40.5], [True, 41.0]]},  # a bool
    {"type": "LineString", "coordinates": [[70.5, 40.5], [71.0, 41.0, 3.0]]},  # 3D
    {"type": "LineString", "coordinates": [[70.5, 40.5], ["71", 41.0]]},
    {"type": "LineString", "coordinates": [[70.5, 40.5], [10**400, 41.0]]},
    {"type": "LineString", "coordinates": [[70.5, 40.5], [41.0, 71.0]]},  # swapped
    {"type": "LineString", "coordinates": [[70.5, 40.5], [71.0, 41.1234567891]]},
    {"type": "LineString", "coordinates": [[70.5, 40.5], [float("nan"), 41.0]]},
    {"type": "LineString", "coordinates": [[[70.5, 40.5], [71.0, 41.0]]]},  # nested too deep
    {"type": "MultiLineString", "coordinates": [[[70.5, 40.5], [71.0, 41.0]], []]},
    {"type": "MultiLineString", "coordinates": [[70.5, 40.5], [71.0, 41.0]]},  # too shallow
    {"type": "Polygon", "coordinates": [[[70, 40], [71, 40], [71, 41]]]},  # ring too short
    {"type": "Polygon", "coordinates": [[[70, 40], [71, 40], [71, 41], [70, 41]]]},  # open
    {"type": "Polygon", "coordinates": [[[70, 40], [71, 41], [71, 40], [70, 41], [70, 40]]]},
    {"type": "MultiPolygon", "coordinates": [[[[70, 40], [71, 40], [71, 41], [70, 40]]], []]},
    {"type": "Point", "coordinates": [70.5, 40.5]},
    {"type": "Point", "coordinates": [70.5]},
    {"type": "Point", "coordinates": []},
    {"type": "Point", "coordinates": {"lon": 70}},
]


def test_the_quick_geometry_path_builds_what_the_full_checks_build():
    # geometry_problem builds plainly well-formed geometries without the position-by-position
    # checks; it may do so only when those checks pass and shape() gives the same geometry.
    import json

    import shapely

    from corridormap.io import resolve_dirs
    from corridormap.validation import schema
    from corridormap.validation.problems import _checked_shape, _quick_shape

    geo, _ = resolve_dirs(None, None)
    cases = [(g, spec) for g in _ODD_GEOMETRIES for spec in schema.LAYERS.values()]
    for spec in schema.LAYERS.values():
        doc = json.loads((geo / spec.filename).read_text(encoding="utf-8"))
        cases += [(feature["geometry"], spec) for feature in doc["features"]]
    quick = 0
    for geometry, spec in cases:
        got = _quick_shape(geometry, geometry["type"], spec.in_region)
        if got is None:
            continue
        quick += 1
        problem, expected = _checked_shape(geometry, geometry["type"], spec)
        assert problem is None, (geometry, problem)
        assert got.geom_type == expected.geom_type
        assert shapely.equals_exact(got, expected, 0)
        assert shapely.to_wkb(got) == shapely.to_wkb(expected)
    assert quick > 150  # every shipped feature, and the plain odd ones
