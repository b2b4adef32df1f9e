"""The files analysts bring to join-points: every format joins with the clean CSV's answers.

Each file is made here from one small table of towns (tmp_path): Excel's "CSV (semicolon)"
with decimal commas, a Russian-locale export in cp1251 with Cyrillic headers, an ``.xlsx``, a
GeoJSON in EPSG:3857, a GeoPackage, GeoParquet and plain Parquet. Then bad rows (skipped and
reported with --skip-invalid), the refusals that say what the file is, and formula safety.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridormap import InputError, OutsideRegionWarning, SkippedRowsWarning, join_points
from corridormap.cli.app import app

runner = CliRunner()
EVIL = '=HYPERLINK("http://evil.example","click")'
TOWNS = pd.DataFrame(
    {
        "name": ["Бишкек", "Ташкент", "Алматы", EVIL, "Кашгар"],
        "lon": [74.6, 69.28, 76.9, 71.4, 75.99],
        "lat": [42.87, 41.3, 43.25, 42.9, 39.47],
    }
)


def _write(kind: str, folder) -> str:
    """The towns as one kind of file an analyst has; the file's name."""
    g = gpd.GeoDataFrame(TOWNS, geometry=gpd.points_from_xy(TOWNS.lon, TOWNS.lat), crs=4326)
    if kind == "excel_semicolon":
        path = folder / "towns.csv"
        TOWNS.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    elif kind == "russian_cp1251":
        path = folder / "города.csv"
        ru = TOWNS.rename(columns={"name": "Название", "lon": "Долгота", "lat": "Широта"})
        ru.iloc[:, 0] = ru.iloc[:, 0].str.replace("=", "", regex=False)  # cp1251 has no issue
        ru.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1251")
    elif kind == "xlsx":
        path = folder / "towns.xlsx"
        with pd.ExcelWriter(path) as book:
            pd.DataFrame({"note": ["a cover sheet"]}).to_excel(
                book, sheet_name="cover", index=False
            )
            TOWNS.to_excel(book, sheet_name="towns", index=False)
    elif kind == "xlsx_text_commas":  # coordinates typed as text in a comma-decimal locale
        path = folder / "города.xlsx"
        as_text = TOWNS.assign(**{c: TOWNS[c].map(lambda v: f"{v}".replace(".", ",")) for c in
                                  ("lon", "lat")})  # fmt: skip
        as_text.rename(columns={"lon": "Долгота", "lat": "Широта"}).to_excel(path, index=False)
    elif kind == "geojson_3857":
        path = folder / "towns.geojson"
        g.drop(columns=["lon", "lat"]).to_crs(3857).to_file(path, driver="GeoJSON")
    elif kind == "gpkg":
        path = folder / "towns.gpkg"
        g.to_crs(32643).to_file(path, layer="towns")
    elif kind == "geoparquet":
        path = folder / "towns.parquet"
        g.drop(columns=["lon", "lat"]).to_parquet(path)
    elif kind == "parquet":
        path = folder / "plain.parquet"
        TOWNS.to_parquet(path)
    else:
        raise KeyError(kind)
    return path.name


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("clean")
    TOWNS.to_csv(folder / "towns.csv", index=False)
    done = runner.invoke(
        app, ["join-points", str(folder / "towns.csv"), "-o", str(folder / "j.csv")]
    )
    assert done.exit_code == 0, done.output
    return pd.read_csv(folder / "j.csv")


@pytest.mark.parametrize(
    ("kind", "extra", "told"),
    [
        ("excel_semicolon", [], "';'-separated, decimal ','"),
        ("russian_cp1251", [], "cp1251 text, ';'-separated, decimal ','"),
        ("xlsx", ["--sheet", "towns"], "sheet 'towns'"),
        ("xlsx_text_commas", [], "sheet 'Sheet1'"),
        ("geojson_3857", [], "reprojected from EPSG:3857"),
        ("gpkg", [], "reprojected from EPSG:32643"),
        ("geoparquet", [], "GeoParquet"),
        ("parquet", [], "Parquet"),
    ],
)
def test_each_format_joins_with_the_clean_csv_s_answers(kind, extra, told, clean, tmp_path):
    name = _write(kind, tmp_path)
    out = tmp_path / "joined.csv"
    done = runner.invoke(app, ["join-points", str(tmp_path / name), "-o", str(out), *extra])
    assert done.exit_code == 0, done.output
    assert told in done.stderr
    assert "5 points, 5 with a nearest corridor" in done.stdout
    joined = pd.read_csv(out)
    assert list(joined["corridor_id"]) == list(clean["corridor_id"])
    np.testing.assert_allclose(joined["distance_km"], clean["distance_km"], atol=1e-6)
    lon = next(c for c in joined.columns if c.lower() in {"lon", "долгота"})
    np.testing.assert_allclose(joined[lon], TOWNS["lon"], atol=1e-9)


def test_overrides_win_over_what_is_told(tmp_path, clean):
    path = tmp_path / "odd.txt"
    text = "name|lon|lat\n" + "".join(
        f"t{i}|{x:.4f}|{y:.4f}\n" for i, (x, y) in enumerate(zip(TOWNS.lon, TOWNS.lat, strict=True))
    )
    path.write_text(text.replace(".", ","), encoding="utf-16")
    out = tmp_path / "j.csv"
    done = runner.invoke(
        app, ["join-points", str(path), "-o", str(out), "--sep", "|", "--decimal", ",",
              "--encoding", "utf-16"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert list(pd.read_csv(out)["corridor_id"]) == list(clean["corridor_id"])
    wrong = runner.invoke(app, ["join-points", str(path), "-o", str(out), "--encoding", "ascii"])
    assert wrong.exit_code == 1
    assert "odd.txt: is not ascii text" in wrong.stderr and "Traceback" not in wrong.output


def test_bad_rows_are_refused_by_default_and_skipped_and_reported_on_request(atlas, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id;lon;lat\na;74,6;42,9\nb;abc;42,9\nc;74,6;\nd;69,3;41,3\n", "utf-8")
    out = tmp_path / "j.csv"
    strict = runner.invoke(app, ["join-points", str(path), "-o", str(out)])
    assert strict.exit_code == 1 and not out.exists()
    [line] = strict.stderr.splitlines()
    assert "bad.csv: row 3: lon/lat ('abc', 42.9)" in line and "(2 such rows)" in line
    assert "--skip-invalid" in line
    done = runner.invoke(app, ["join-points", str(path), "-o", str(out), "--skip-invalid"])
    assert done.exit_code == 0, done.output
    assert list(pd.read_csv(out)["id"]) == ["a", "d"]
    report = pd.read_csv(tmp_path / "j.skipped.csv", keep_default_na=False)
    assert report.to_dict("records") == [
        {"row": 3, "column": "lon", "value": "abc", "reason": "lon 'abc' is not a number"},
        {"row": 4, "column": "lat", "value": "", "reason": "lat is empty"},
    ]
    assert "2 of 4 rows skipped" in done.stderr and "j.skipped.csv" in done.stderr
    # in Python: a warning of its own category, and the rows in attrs
    with pytest.warns(SkippedRowsWarning, match="2 of 4 rows skipped"):
        joined = join_points(atlas, path, on_invalid="skip")
    assert [r["row"] for r in joined.attrs["skipped_rows"]] == [3, 4]
    with pytest.raises(InputError, match="on_invalid='skip'"):
        join_points(atlas, path)


def test_features_that_are_not_points_are_rows_to_skip(atlas, tmp_path):
    import shapely

    frame = gpd.GeoDataFrame(
        {"id": ["p", "line", "q"]},
        geometry=[shapely.Point(74.6, 42.9), shapely.LineString([(70, 40), (71, 41)]),
                  shapely.Point(69.3, 41.3)],
        crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "mixed.gpkg")
    with pytest.raises(InputError, match=r"mixed.gpkg: feature 2: the feature is a LineString"):
        join_points(atlas, tmp_path / "mixed.gpkg")
    with pytest.warns(SkippedRowsWarning):
        joined = join_points(atlas, tmp_path / "mixed.gpkg", on_invalid="skip")
    assert list(joined["id"]) == ["p", "q"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "save it as .xlsx"),
        ("sheet.csv", None, "no sheet 'nope'"),
        ("drawing.dwg", b"AC1032 not a GIS file", "not a points table corridormap reads"),
    ],
)
def test_refusals_say_what_the_file_is_and_what_to_do(tmp_path, name, data, message):
    path = tmp_path / name
    if data is None:  # an .xlsx saved under a .csv name is read as the workbook it is
        TOWNS.to_excel(path, index=False, engine="openpyxl")
    else:
        path.write_bytes(data)
    done = runner.invoke(app, ["join-points", str(path), "-o", str(tmp_path / "j.csv"),
                               *(["--sheet", "nope"] if data is None else [])])  # fmt: skip
    assert done.exit_code == 1, done.output
    [line] = done.stderr.splitlines()
    assert name in line and message in line and "UTF-8" not in line


def test_no_csv_or_spreadsheet_written_carries_a_live_formula(tmp_path):
    source = tmp_path / "towns.csv"
    TOWNS.to_csv(source, index=False)
    for out in ("j.csv", "j.xlsx"):
        done = runner.invoke(app, ["join-points", str(source), "-o", str(tmp_path / out)])
        assert done.exit_code == 0, done.output
    assert f"'{EVIL}" in pd.read_csv(tmp_path / "j.csv")["name"].tolist()
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "j.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell at all
    assert f"'{EVIL}" in [c.value for c in cells]


def test_outside_region_warning_is_its_own_category(atlas):
    swapped = TOWNS.rename(columns={"lon": "lat", "lat": "lon"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        join_points(atlas, swapped)
    assert [w.category for w in caught] == [OutsideRegionWarning]
    assert issubclass(OutsideRegionWarning, UserWarning)
