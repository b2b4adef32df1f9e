"""Transit revenue: hand-checked arithmetic, calibration, overrides, units, bad rows, the CLI."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box
from typer.testing import CliRunner

from corridormap import DataError, SelectionError, revenue_by_country, sensitivity
from corridormap import transit_revenue as revenue_of
from corridormap.atlas.core import Atlas, empty_tariffs, read_tariffs
from corridormap.cli.app import app
from corridormap.revenue import revenue_by_corridor

runner = CliRunner()

# One degree of longitude along the equator on the WGS84 ellipsoid:
# 2π × 6378.137 km / 360 = 111.3195 km, so half a degree = 55.6597 km.
HALF_DEGREE_KM = 55.6597

HEADER = (
    "tariff_id,corridor_id,iso3,basis,volume_low,volume_base,volume_high,volume_unit,volume_year,"
    "volume_low_source,volume_base_source,volume_high_source,tariff_low,tariff_base,tariff_high,"
    "tariff_unit,tariff_year,tariff_low_source,tariff_base_source,tariff_high_source,tariff_kind,note"
)
ROWS = {
    # 2 Mt/yr × 0.05 USD/t-km × 55.6597 km = 5,565,975 USD/yr
    "alpha_aaa": "alpha_aaa,alpha,AAA,per_km,1,2,3,Mt/yr,2024,s1,s1,s1,0.04,0.05,0.06,USD/t-km,"
    "2024,s1,s1,s1,published,per-km rail",
    # 3 Mt/yr × 4 USD/t = 12,000,000 USD/yr (low 2 × 3 = 6 M; high 4 × 5 = 20 M)
    "alpha_bbb": "alpha_bbb,alpha,BBB,flat,2,3,4,Mt/yr,2024,s1,s1,s1,3,4,5,USD/t,2024,s1,s1,s2,"
    "published,flat fee",
    # 10 bcm/yr = 10,000,000 thousand m3 × 1.5 USD per 1000 m3 per 100 km × 55.6597 km / 100
    # = 8,348,955 USD/yr
    "gamma_aaa": "gamma_aaa,gamma,AAA,per_km,10,10,10,bcm/yr,2024,s2,s2,s2,1.5,1.5,1.5,"
    "USD/1000m3/100km,2009,s2,s2,s2,proxy,gas proxy",
    # 1,000 trucks/yr × 590 TJS/truck ÷ 11.8 TJS/USD = 50,000 USD/yr
    "delta_bbb": "delta_bbb,delta,BBB,flat,1000,1000,1000,trucks/yr,2022,s2,s2,s2,590,590,590,"
    "TJS/truck,2022,s2,s2,s2,published,toll",
}


def _write(folder: Path, rows: dict[str, str]) -> None:
    (folder / "tariffs.csv").write_text(HEADER + "\n" + "\n".join(rows.values()) + "\n")


@pytest.fixture
def tiny(tmp_path: Path) -> Atlas:
    """Two square countries on the equator and three corridors along it, with tariff tables."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "projects.csv").write_text(
        "corridor_id,countries\nalpha,AAA;BBB\ngamma,AAA\ndelta,BBB\n"
    )
    (data / "sources.csv").write_text("source_id,title\ns1,one\ns2,two\nfx1,rates\n")
    (data / "fx.csv").write_text("currency,rate,date,source_id,note\nTJS,11.8,2022-01-01,fx1,\n")
    _write(data, ROWS)
    lines = {
        "alpha": LineString([(0, 0), (1, 0)]),
        "gamma": LineString([(0, 0), (0.5, 0)]),
        "delta": LineString([(0.6, 0), (0.9, 0)]),
    }
    segments = gpd.GeoDataFrame(
        {"segment_id": [f"{c}__x" for c in lines], "corridor_id": list(lines)},
        geometry=list(lines.values()),
        crs="EPSG:4326",
    )
    countries = gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB"], "name": ["Aland", "Bland"]},
        geometry=[box(-1, -1, 0.5, 1), box(0.5, -1, 2, 1)],
        crs="EPSG:4326",
    )
    return Atlas.from_frames(
        segments=segments,
        corridors=gpd.GeoDataFrame({"corridor_id": list(lines)}, geometry=list(lines.values())),
        countries=countries,
        tariffs=read_tariffs(data),
        folder=data,
    )


def _by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["tariff_id"]: row for _, row in frame.iterrows()}


# --------------------------------------------------------------------------- arithmetic


def test_hand_checked_base_revenue(tiny):
    rows = _by_id(revenue_of(tiny))
    assert rows["alpha_aaa"]["km"] == pytest.approx(HALF_DEGREE_KM, abs=1e-3)
    assert rows["alpha_aaa"]["revenue_usd"] == pytest.approx(5_565_975, rel=1e-5)
    assert rows["alpha_bbb"]["revenue_usd"] == pytest.approx(12_000_000)
    assert math.isnan(rows["alpha_bbb"]["km"])  # a flat fee uses no km
    assert rows["gamma_aaa"]["revenue_usd"] == pytest.approx(8_348_955, rel=1e-5)
    assert rows["delta_bbb"]["revenue_usd"] == pytest.approx(50_000)


def test_low_and_high_put_every_input_at_its_bound(tiny):
    base = _by_id(revenue_of(tiny))["alpha_bbb"]
    assert (base["revenue_usd_low"], base["revenue_usd_high"]) == (6_000_000, 20_000_000)
    low = _by_id(revenue_of(tiny, scenario="low"))["alpha_aaa"]
    # 1 Mt × 0.04 USD/t-km × 55.6597 km = 2,226,388 USD
    assert low["revenue_usd"] == pytest.approx(2_226_388, rel=1e-5)
    assert (low["scenario"], low["volume"], low["tariff"]) == ("low", 1, 0.04)


def test_formula_spells_out_the_numbers(tiny):
    rows = _by_id(revenue_of(tiny))
    assert rows["alpha_aaa"]["formula"] == "2 Mt/yr × 0.05 USD/t-km × 55.7 km = 5.6 M USD/yr"
    assert rows["alpha_bbb"]["formula"] == "3 Mt/yr × 4 USD/t = 12.0 M USD/yr"
    assert rows["delta_bbb"]["formula"] == (
        "1,000 trucks/yr × 590 TJS/truck ÷ 11.8 TJS/USD = 0.1 M USD/yr"
    )


def test_every_row_is_labelled_an_estimate_with_its_scenario(tiny):
    for scenario in ("low", "base", "high"):
        frame = revenue_of(tiny, scenario=scenario)
        assert (frame["scenario"] == scenario).all()
        assert frame["label"].str.startswith("estimate").all()
        assert frame["note"].str.contains(f"ESTIMATE, {scenario} scenario").all()


def test_proxy_and_exchange_rate_are_named(tiny):
    rows = _by_id(revenue_of(tiny))
    assert rows["gamma_aaa"]["label"] == "estimate (proxy tariff)"
    assert "PROXY" in rows["gamma_aaa"]["note"]
    assert "11.8 TJS/USD (2022-01-01, fx1)" in rows["delta_bbb"]["note"]
    assert rows["delta_bbb"]["source_ids"] == "s2;fx1"
    assert rows["alpha_bbb"]["source_ids"] == "s1;s2"


def test_exchange_rate_from_another_year_is_flagged(tiny):
    rows = dict(ROWS, delta_bbb=ROWS["delta_bbb"].replace("truck,2022", "truck,2018"))
    _write(tiny.data_dir, rows)
    tiny = replace(tiny, tariffs=read_tariffs(tiny.data_dir))  # an atlas carries its tables
    note = _by_id(revenue_of(tiny))["delta_bbb"]["note"]
    assert "CAUTION: the exchange rate is 4 years from the tariff's year" in note


def test_sums_per_country_and_corridor(tiny):
    by_country = revenue_by_country(tiny).set_index("iso3")
    # AAA: 5,565,975 + 8,348,955; BBB: 12,000,000 + 50,000
    assert by_country.loc["AAA", "revenue_usd"] == pytest.approx(13_914_930, rel=1e-5)
    assert by_country.loc["BBB", "revenue_usd"] == pytest.approx(12_050_000)
    assert by_country.loc["AAA", "country"] == "Aland"
    assert bool(by_country.loc["AAA", "includes_proxy"])
    by_corridor = revenue_by_corridor(tiny).set_index("corridor_id")
    assert by_corridor.loc["alpha", "revenue_usd"] == pytest.approx(17_565_975, rel=1e-5)
    assert by_corridor.loc["alpha", "countries"] == "AAA;BBB"


def test_sensitivity_moves_one_input_at_a_time(tiny):
    table = sensitivity(tiny, "alpha", country="BBB")
    assert list(table["input"]) == ["volume", "tariff"]  # swing 8 M vs 6 M
    volume = table.iloc[0]
    # 2 Mt × 4 = 8 M and 4 Mt × 4 = 16 M around the 12 M base
    assert (volume["revenue_usd_low"], volume["revenue_usd_high"]) == (8e6, 16e6)
    assert (volume["change_usd_low"], volume["change_usd_high"]) == (-4e6, 4e6)
    assert len(sensitivity(tiny, "alpha")) == 4
    with pytest.raises(SelectionError, match="no tariff row for corridor 'nope'"):
        sensitivity(tiny, "nope")


# --------------------------------------------------------------------------- overrides


def test_override_changes_one_input(tiny):
    rows = _by_id(revenue_of(tiny, overrides={"alpha": {"volume": 6}}))
    assert rows["alpha_bbb"]["revenue_usd"] == pytest.approx(24_000_000)  # 6 Mt × 4 USD/t
    assert rows["alpha_aaa"]["revenue_usd"] == pytest.approx(3 * 5_565_975, rel=1e-5)
    assert rows["gamma_aaa"]["revenue_usd"] == pytest.approx(8_348_955, rel=1e-5)
    assert "Override: volume = 6." in rows["alpha_bbb"]["note"]


def test_override_by_tariff_id_and_km(tiny):
    rows = _by_id(revenue_of(tiny, overrides={"gamma_aaa": {"km": 200, "tariff": 3}}))
    # 10,000,000 thousand m3 × 3 USD × 200 km / 100 = 60,000,000 USD
    assert rows["gamma_aaa"]["revenue_usd"] == pytest.approx(60_000_000)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nope": {"volume": 1}}, "no tariff row for 'nope'"),
        ({"alpha": {"speed": 1}}, "cannot override 'speed'"),
        ({"alpha": {"volume": "lots"}}, "is not a number"),
        ({"alpha": {"volume": -1}}, "must be a number >= 0"),
    ],
)
def test_bad_override_is_a_clear_error(tiny, overrides, message):
    with pytest.raises(SelectionError, match=message):
        revenue_of(tiny, overrides=overrides)


# --------------------------------------------------------------------------- units and bad rows


def _problems(tiny, tariff_id: str, old: str, new: str) -> list[str]:
    rows = dict(ROWS)
    rows[tariff_id] = rows[tariff_id].replace(old, new, 1)
    _write(tiny.data_dir, rows)
    with pytest.raises(DataError) as info:
        read_tariffs(tiny.data_dir)
    assert all("\n" not in p for p in info.value.problems)
    return info.value.problems


def test_gas_tariff_with_a_volume_in_tonnes_is_refused(tiny):
    (line,) = _problems(tiny, "gamma_aaa", "bcm/yr", "Mt/yr")
    assert "row 4 (tariff_id=gamma_aaa)" in line
    assert "column 'tariff_unit'" in line
    assert "per 1000m3 but the volume is in Mt/yr" in line


def test_flat_basis_with_a_per_km_unit_is_refused(tiny):
    (line,) = _problems(tiny, "alpha_bbb", "USD/t,", "USD/t-km,")
    assert "row 3" in line and "basis is flat" in line


@pytest.mark.parametrize(
    ("tariff_id", "old", "new", "expected"),
    [
        ("alpha_aaa", ",1,2,3,", ",1,-2,3,", ["row 2", "'volume_base'", "negative"]),
        ("alpha_bbb", ",3,4,5,", ",3,four,5,", ["row 3", "'tariff_base'", "not a number"]),
        ("gamma_aaa", "gamma,AAA", "omega,AAA", ["row 4", "'corridor_id'", "unknown corridor"]),
        ("delta_bbb", "s2,s2,s2,p", "s2,s9,s2,p", ["row 5", "'tariff_base_source'", "s9"]),
        ("alpha_aaa", "Mt/yr", "Mt", ["row 2", "'volume_unit'", "is not one of"]),
        ("alpha_aaa", "USD/t-km", "USD/tkm", ["row 2", "'tariff_unit'"]),
        ("alpha_aaa", ",1,2,3,", ",3,2,1,", ["row 2", "'volume_base'", "must not decrease"]),
        ("delta_bbb", "TJS/truck", "KZT/truck", ["row 5", "'tariff_unit'", "no exchange rate"]),
        ("delta_bbb", "delta,BBB", "delta,AAA", ["row 5", "'iso3'", "not one of the countries"]),
    ],
)
def test_bad_tariff_row_names_row_and_column(tiny, tariff_id, old, new, expected):
    problems = _problems(tiny, tariff_id, old, new)
    assert len(problems) == 1, problems
    assert "tariffs.csv: row" in problems[0]
    for part in expected:
        assert part in problems[0]


def test_missing_tariff_table_gives_an_empty_estimate(tiny):
    (tiny.data_dir / "tariffs.csv").unlink()
    assert revenue_of(replace(tiny, tariffs=empty_tariffs())).empty
    with pytest.raises(DataError, match="tariffs.csv: file not found"):
        read_tariffs(tiny.data_dir)


# --------------------------------------------------------------------------- real data


def _row(frame: pd.DataFrame, corridor_id: str, iso3: str) -> pd.Series:
    hit = frame[(frame["corridor_id"] == corridor_id) & (frame["iso3"] == iso3)]
    assert len(hit) == 1, frame[["corridor_id", "iso3"]]
    return hit.iloc[0]


def test_shipped_tariffs_are_valid():
    read_tariffs()


def test_calibration_cku_railway_kyrgyzstan_200m(atlas):
    # The tariff is back-solved from the ~200 M USD/yr claim over the published 304.94 km and is
    # charged on those same km, so the base gives the claim back (it used to be charged on the
    # 264 km sketch and print 173 M, a geometry artefact), and the row says it restates a claim.
    row = _row(revenue_of(atlas), "cku_railway", "KGZ")
    assert row["revenue_usd"] == pytest.approx(200e6, rel=1e-3)
    assert row["km"] == pytest.approx(304.94)
    assert row["tariff_kind"] == "back_solved"
    assert row["label"] == "claim restated (back-solved tariff)"
    assert "solved over 304.94 km" in row["km_basis"]
    assert "BACK-SOLVED" in row["note"] and "Not an independent estimate" in row["note"]
    assert "estimate" not in row["label"]


def test_calibration_kz_cn_oil_kazakhstan_171m(atlas):
    row = _row(revenue_of(atlas), "kz_cn_oil", "KAZ")
    assert row["revenue_usd"] == pytest.approx(171e6, rel=0.05)  # 10 Mt × (15 + 2.10) USD/t


def test_every_shipped_row_says_its_tariff_kind(atlas):
    frame = revenue_of(atlas)
    kinds = dict(zip(frame["corridor_id"] + "/" + frame["iso3"], frame["tariff_kind"], strict=True))
    assert kinds == {
        "cku_railway/KGZ": "back_solved",
        "kz_cn_oil/KAZ": "published",
        "cagp_abc/KAZ": "proxy",
        "cagp_abc/UZB": "proxy",
    }
    by_country = revenue_by_country(atlas).set_index("iso3")
    assert by_country.loc["KGZ", "label"] == "claim restated (back-solved tariff)"
    assert bool(by_country.loc["KGZ", "includes_restated_claim"])


def test_a_back_solved_tariff_is_charged_on_the_km_it_was_solved_over(tiny):
    # 2 Mt/yr × 0.05 USD/t-km × 80 km = 8 M USD/yr, whatever the drawn line's 55.66 km
    rows = dict(ROWS)
    rows["alpha_aaa"] = rows["alpha_aaa"].replace(",published,per-km rail", ",back_solved,claim")
    header = HEADER.replace("tariff_kind,note", "tariff_kind,solved_over_km,note")
    body = [r.replace(",claim", ",80,claim") if r.startswith("alpha_aaa") else
            r.rsplit(",", 1)[0] + ",," + r.rsplit(",", 1)[1] for r in rows.values()]  # fmt: skip
    (tiny.data_dir / "tariffs.csv").write_text(header + "\n" + "\n".join(body) + "\n")
    tiny = replace(tiny, tariffs=read_tariffs(tiny.data_dir))  # an atlas carries its tables
    row = _row(revenue_of(tiny), "alpha", "AAA")
    assert row["km"] == 80 and row["revenue_usd"] == pytest.approx(8e6)
    assert row["tariff_kind"] == "back_solved" and "restated" in row["label"]


def test_gas_rows_are_labelled_proxies(atlas):
    frame = revenue_of(atlas)
    gas = frame[frame["corridor_id"] == "cagp_abc"]
    assert set(gas["iso3"]) == {"KAZ", "UZB"}
    assert gas["is_proxy"].all() and gas["note"].str.contains("PROXY").all()


def test_real_scenarios_are_ordered(atlas):
    frame = revenue_of(atlas)
    assert (frame["revenue_usd_low"] <= frame["revenue_usd"]).all()
    assert (frame["revenue_usd"] <= frame["revenue_usd_high"]).all()


# --------------------------------------------------------------------------- CLI


def _csv(result) -> pd.DataFrame:
    import io

    return pd.read_csv(io.StringIO(result.stdout))


def test_cli_revenue_names_scenario_and_estimates():
    result = runner.invoke(app, ["revenue", "--scenario", "low", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "ESTIMATES, scenario: low" in result.stderr
    assert (_csv(result)["scenario"] == "low").all()


def test_cli_set_overrides_an_input():
    args = ["revenue", "--corridor", "cku_railway", "--country", "KGZ", "--format", "csv"]
    base = _csv(runner.invoke(app, args))["revenue_usd"].iloc[0]
    result = runner.invoke(app, [*args, "--set", "cku_railway.volume=20"])
    assert result.exit_code == 0, result.output
    assert _csv(result)["revenue_usd"].iloc[0] == pytest.approx(2 * base)  # 20 Mt vs 10 Mt


@pytest.mark.parametrize("value", ["cku_railway.volume", "volume=20", "cku_railway.volume=lots"])
def test_cli_malformed_set_is_a_usage_error(value):
    result = runner.invoke(app, ["revenue", "--set", value])
    assert result.exit_code == 2
    assert "expected CORRIDOR.FIELD=NUMBER, e.g. cku_railway.volume=20" in result.stderr
    assert "Traceback" not in result.output


def test_cli_unknown_override_field_exits_1_with_one_line():
    result = runner.invoke(app, ["revenue", "--set", "cku_railway.speed=3"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("error: cannot override 'speed'")


def test_cli_corridor_without_tariff_says_why():
    result = runner.invoke(app, ["revenue", "--corridor", "tj_dushanbe_chanak_road"])
    assert result.exit_code == 1
    assert "no published tariff or volume" in result.stderr


def test_sensitivity_figure_is_returned_not_saved(tiny):
    from corridormap.render.static.sensitivity import sensitivity_figure

    fig = sensitivity_figure(sensitivity(tiny, "alpha"))
    ax = fig.axes[0]
    assert len(ax.patches) == 4
    assert "estimate" in ax.get_xlabel()


def test_sums_of_nothing_are_empty_tables(tiny):
    tiny = replace(tiny, tariffs=empty_tariffs())
    assert revenue_by_country(tiny).empty
    assert list(revenue_by_corridor(tiny).columns)[:4] == [
        "corridor_id",
        "revenue_usd",
        "revenue_usd_low",
        "revenue_usd_high",
    ]


def test_cli_sensitivity_puts_the_largest_swing_first():
    result = runner.invoke(app, ["revenue", "--corridor", "cagp_abc", "--sensitivity", "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    table = pd.read_csv(pd.io.common.StringIO("\n".join(lines)))
    assert set(table["input"]) == {"volume", "tariff"}
    assert list(table["swing_usd"]) == sorted(table["swing_usd"], reverse=True)
    assert (table["change_usd_low"] <= 0).all() and (table["change_usd_high"] >= 0).all()
    assert "ESTIMATES" in result.stderr


def test_cli_sensitivity_without_a_corridor_is_a_usage_error():
    result = runner.invoke(app, ["revenue", "--sensitivity"])
    assert result.exit_code == 2
    assert "needs --corridor" in result.stderr and "Traceback" not in result.output


def test_cli_sensitivity_table_keeps_small_tariffs_readable():
    result = runner.invoke(app, ["revenue", "--corridor", "cku_railway", "--sensitivity"])
    assert result.exit_code == 0, result.output
    tariff = next(line for line in result.stdout.splitlines() if " tariff " in line)
    assert "0.0437" in tariff and "0.0656" in tariff  # not rounded to 0.0 and 0.1


def test_a_per_km_tariff_on_a_sketch_is_charged_on_the_published_km(data_copy):
    # Were the CKU tariff a published one, it would still not be charged on the drawn sketch
    # (264 km as drawn, ±25 km in Kyrgyzstan) but on the published Kyrgyz km, and say so.
    data_copy.edit_cell("tariffs", "cku_railway_kgz", "tariff_kind", "published")
    data_copy.edit_cell("tariffs", "cku_railway_kgz", "solved_over_km", "")
    from corridormap import load

    atlas = load(data_copy.geo, data_copy.data)
    row = _row(revenue_of(atlas), "cku_railway", "KGZ")
    assert row["km"] == pytest.approx(304.94)  # Kyrgyz cabinet, not the 264 km sketch
    assert row["km_basis"].startswith("reported 304.9 km (the drawn line is a sketch")
    assert "264 km as drawn, ±25 km" in row["km_basis"]
    assert row["label"] == "estimate" and row["tariff_kind"] == "published"
