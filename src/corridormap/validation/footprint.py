"""Checks of China's footprint tables: AidData finance, GEM energy, and the licence table.

All five files are optional (an older data folder lacks them); when present each is checked like
every other file, one line per bad row or feature, and the atlas refuses to load on any error:

- ``data/finance.csv`` + ``geo/finance.geojson``: AidData's status words, editions, dollar years
  (2017 or 2021 only: an amount in another unit or year is an error, never converted), the
  headline amount equal to its edition's column, no amount under 1,000 USD (a figure in millions
  by mistake), a licence for every row, one feature per row;
- ``data/finance_regions.csv``: ratios in 0-1, 2021 dollars, a known project;
- ``data/energy.csv`` + ``geo/energy.geojson``: GEM's status words, a capacity unit that fits the
  kind (bcm/yr for a pipeline, mtpa for an LNG terminal, MW for a plant), a known corridor;
- ``data/licences.csv``: every licence id a row names exists, with an attribution and a URL.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from corridormap.io import display_path
from corridormap.validation.rules import ValidationReport
from corridormap.validation.schema import (
    ID_RE,
    ISO3_LIST_RE,
    ISO3_RE,
    YEAR_OR_DAY_RE,
    LayerSpec,
)
from corridormap.validation.schema import _between as between
from corridormap.validation.schema import _year as year
from corridormap.validation.schema import ids_column as ids
from corridormap.validation.schema import number_column as number
from corridormap.validation.schema import text_column as text
from corridormap.validation.schema import vocab_column as vocab
from corridormap.vocabulary import ENERGY_KINDS, ENERGY_STATUSES, FINANCE_STATUSES, USD_YEARS

#: Capacity unit each energy kind must use.
KIND_UNITS = {
    "gas_pipeline": "bcm/yr",
    "lng_terminal": "mtpa",
    "hydropower": "MW",
    "oil_gas_power_unit": "MW",
}
#: Smallest plausible amount: a figure below this is in thousands or millions by mistake.
MIN_AMOUNT_USD = 1000.0
LICENCE_LIST_RE = r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"
URL_RE = r"^https?://\S+$"

_int_id = pa.Column("Int64", pa.Check.gt(0), nullable=False, unique=True, coerce=True)

FINANCE = pa.DataFrameSchema(
    {
        "project_id": _int_id,
        "edition": vocab(("2.0", "3.0", "2.0;3.0")),
        "title": text(pa.Check.str_length(0, 1000)),
        "countries": text(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "status": vocab(FINANCE_STATUSES, nullable=True),
        "sector": text(pa.Check.str_length(0, 200)),
        "flow_type": text(pa.Check.str_length(0, 200)),
        "flow_class": text(pa.Check.str_length(0, 200)),
        "lenders": text(pa.Check.str_length(0, 2000)),
        "receivers": text(pa.Check.str_length(0, 2000)),
        "implementers": text(pa.Check.str_length(0, 4000)),
        "commitment_year": year(),
        "start_year": pa.Column(
            "Int64", between(1850, 2100), nullable=True, coerce=True
        ),  # older than the corridors' year_range: GEM lists plants from 1948
        "completion_year": year(),
        "planned_start": text(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "planned_completion": text(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "actual_start": text(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "actual_completion": text(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "amount_usd": number(),
        "usd_year": pa.Column("Int64", pa.Check.isin(USD_YEARS), nullable=True, coerce=True),
        "amount_usd_2017": number(),
        "amount_usd_2021": number(),
        "recommended_for_aggregates": vocab(("yes", "no"), nullable=True),
        "umbrella": vocab(("yes", "no"), nullable=True),
        "finance_type": text(pa.Check.str_length(0, 50)),
        "precision": vocab(("precise", "approximate", "region")),
        "n_regions": pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True),
        "aiddata_url": text(pa.Check.str_matches(URL_RE), nullable=False),
        "geometry_licence": vocab(("ODbL",), nullable=True),
        "licence_id": text(pa.Check.str_matches(LICENCE_LIST_RE), nullable=False),
        "source_id": ids(nullable=False),
        "note": text(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="finance",
)

FINANCE_REGIONS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("Int64", pa.Check.gt(0), nullable=False, coerce=True),
        "adm_level": vocab(("adm1", "adm2")),
        "shape_id": text(pa.Check.str_length(1, 100), nullable=False),
        "iso3": text(pa.Check.str_matches(ISO3_RE), nullable=False),
        "region": text(pa.Check.str_length(0, 200)),
        "intersection_ratio": pa.Column(float, between(0, 1.02), coerce=True),
        "even_split_ratio": pa.Column(float, between(0, 1), coerce=True),
        "amount_usd": number(),
        "amount_usd_even_split": number(),
        "usd_year": pa.Column("Int64", pa.Check.isin((2021,)), nullable=False, coerce=True),
        "centroid_lon": pa.Column(float, between(-180, 180), coerce=True),
        "centroid_lat": pa.Column(float, between(-90, 90), coerce=True),
        "source_id": ids(nullable=False),
    },
    strict=True,
    name="finance_regions",
)

ENERGY = pa.DataFrameSchema(
    {
        "asset_id": text(pa.Check.str_length(1, 200), nullable=False, unique=True),
        "kind": vocab(ENERGY_KINDS),
        "name": text(pa.Check.str_length(1, 300), nullable=False),
        "unit_name": text(pa.Check.str_length(0, 300)),
        "countries": text(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "status": vocab(ENERGY_STATUSES),
        "capacity": number(),
        "capacity_unit": vocab(tuple(sorted(set(KIND_UNITS.values()))), nullable=True),
        "start_year": pa.Column(
            "Int64", between(1850, 2100), nullable=True, coerce=True
        ),  # older than the corridors' year_range: GEM lists plants from 1948
        "owner": text(pa.Check.str_length(0, 2000)),
        "parent": text(pa.Check.str_length(0, 2000)),
        "fuel": text(pa.Check.str_length(0, 300)),
        "technology": text(pa.Check.str_length(0, 300)),
        "river": text(pa.Check.str_length(0, 300)),
        "subnational": text(pa.Check.str_length(0, 300)),
        "url": text(pa.Check.str_matches(URL_RE), nullable=False),
        "corridor_id": text(pa.Check.str_matches(ID_RE)),
        "tracker": text(pa.Check.str_length(1, 200), nullable=False),
        "licence_id": text(pa.Check.str_matches(LICENCE_LIST_RE), nullable=False),
        "geometry_licence": text(pa.Check.str_length(0, 50)),
        "source_id": ids(nullable=False),
        "note": text(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="energy",
)

LICENCES = pa.DataFrameSchema(
    {
        "licence_id": text(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "name": text(pa.Check.str_length(1, 200), nullable=False),
        "url": text(pa.Check.str_matches(URL_RE), nullable=False),
        "attribution": text(pa.Check.str_length(1, 500), nullable=False),
        "covers": text(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="licences",
)

TABLES = {
    "finance": FINANCE,
    "finance_regions": FINANCE_REGIONS,
    "energy": ENERGY,
    "licences": LICENCES,
}
FINANCE_LAYER = LayerSpec(
    "finance",
    ("MultiPolygon", "Polygon", "MultiPoint", "Point"),
    "project_id",
    ("project_id",),
    in_region=False,
)
ENERGY_LAYER = LayerSpec(
    "energy",
    ("Point", "LineString", "MultiLineString"),
    "asset_id",
    ("asset_id",),
    in_region=False,
)
LAYERS = {"finance": FINANCE_LAYER, "energy": ENERGY_LAYER}
LAYER_PROPERTIES = {
    "finance": pa.DataFrameSchema({"project_id": _int_id}, name="finance"),
    "energy": pa.DataFrameSchema(
        {"asset_id": text(pa.Check.str_length(1, 200), nullable=False, unique=True)},
        name="energy",
    ),
}


def _where(report: ValidationReport, name: str, *, layer: bool = False) -> str:
    if layer:
        return display_path(Path(report.geo_dir) / LAYERS[name].filename)
    return display_path(Path(report.data_dir) / f"{name}.csv")


def _line(report: ValidationReport, name: str, index: object, key: str, message: str) -> str:
    """``data/finance.csv: row 4 (project_id=40359): message`` (the header is row 1)."""
    frame = report.tables[name]
    return f"{_where(report, name)}: row {int(index) + 2} ({key}={frame.at[index, key]}): {message}"  # type: ignore[call-overload]


def _check_finance_amounts(report: ValidationReport) -> list[str]:
    """Amounts, dollar years, editions and geometry licences of ``finance.csv``."""
    frame = report.tables.get("finance")
    if frame is None:
        return []
    out: list[str] = []
    for index, row in frame.iterrows():
        messages: list[str] = []
        say = messages.append
        amount, usd_year = row["amount_usd"], row["usd_year"]
        if pd.notna(amount) and pd.isna(usd_year):
            say(f"amount_usd {amount:,.0f} has no usd_year (2017 or 2021)")
        if pd.notna(usd_year) and pd.isna(amount):
            say(f"usd_year {usd_year} given but no amount_usd")
        if pd.notna(amount) and pd.notna(usd_year):
            own = row.get(f"amount_usd_{int(usd_year)}")
            if pd.isna(own) or abs(float(own) - float(amount)) > 1.0:
                shown = "empty" if pd.isna(own) else f"{own:,.0f}"
                say(
                    f"amount_usd {amount:,.0f} is not amount_usd_{int(usd_year)} ({shown}): an "
                    "amount of another dollar year or unit"
                )
            edition = "3.0" if int(usd_year) == 2021 else "2.0"
            if edition not in str(row["edition"]).split(";"):
                say(f"usd_year {int(usd_year)} is GCDF {edition}'s but edition is {row['edition']}")
        for column in ("amount_usd", "amount_usd_2017", "amount_usd_2021"):
            value = row[column]
            if pd.notna(value) and float(value) < MIN_AMOUNT_USD:
                say(
                    f"column '{column}': {value:g} is under {MIN_AMOUNT_USD:,.0f} USD: give whole "
                    "US dollars, not thousands or millions"
                )
        if row["geometry_licence"] == "ODbL" and "odbl_osm" not in str(row["licence_id"]).split(
            ";"
        ):
            say("geometry_licence ODbL needs licence_id odbl_osm")
        out.extend(_line(report, "finance", index, "project_id", m) for m in messages)
    return out


def _check_energy_units(report: ValidationReport) -> list[str]:
    """Capacity units that fit the kind of asset."""
    frame = report.tables.get("energy")
    if frame is None:
        return []
    out: list[str] = []
    for index, row in frame.iterrows():
        unit, want = row["capacity_unit"], KIND_UNITS.get(row["kind"])
        if pd.notna(row["capacity"]) and pd.isna(unit):
            message = f"capacity {row['capacity']:g} has no capacity_unit ({want})"
        elif pd.notna(unit) and unit != want:
            message = f"capacity_unit {unit} does not fit {row['kind']} (use {want})"
        else:
            continue
        out.append(_line(report, "energy", index, "asset_id", message))
    return out


#: Id columns of the footprint tables and the table that must hold each id.
ID_COLUMNS = (
    ("finance", "project_id", "source_id", "sources", "source_id", "source id"),
    ("finance_regions", "project_id", "source_id", "sources", "source_id", "source id"),
    ("energy", "asset_id", "source_id", "sources", "source_id", "source id"),
    ("finance", "project_id", "licence_id", "licences", "licence_id", "licence"),
    ("energy", "asset_id", "licence_id", "licences", "licence_id", "licence"),
    ("energy", "asset_id", "corridor_id", "projects", "corridor_id", "corridor"),
    ("finance", "project_id", "countries", "countries", "iso3", "country"),
    ("energy", "asset_id", "countries", "countries", "iso3", "country"),
)


def _check_footprint_ids(report: ValidationReport) -> list[str]:
    """Source ids, licences, corridors and countries the footprint tables name exist."""
    out: list[str] = []
    for name, key, column, home, home_key, what in ID_COLUMNS:
        frame = report.tables.get(name)
        if frame is None:
            continue
        source = report.layers if home == "countries" else report.tables
        table = source.get(home)
        known = set(table[home_key]) if table is not None else set()
        if home == "licences" and table is None:
            known = set()
        for index, value in frame[column].items():
            if not isinstance(value, str) or not value:
                continue
            for ident in value.split(";"):
                if ident not in known:
                    file = "countries.geojson" if home == "countries" else f"{home}.csv"
                    out.append(
                        _line(
                            report,
                            name,
                            index,
                            key,
                            f"column '{column}': {what} '{ident}' is not in {file}",
                        )  # fmt: skip
                    )
    return out


def _check_footprint_features(report: ValidationReport) -> list[str]:
    """One feature per row and one row per feature, for finance and energy."""
    out = []
    for name, key in (("finance", "project_id"), ("energy", "asset_id")):
        table, layer = report.tables.get(name), report.layers.get(name)
        if table is None or layer is None:
            continue  # a missing or broken partner file is reported on its own
        rows, features = set(table[key]), set(layer[key])
        for ident in sorted(rows - features, key=str)[:20]:
            out.append(
                f"{_where(report, name, layer=True)}: no feature for {key}={ident} of "
                f"{_where(report, name)}"
            )
        for ident in sorted(features - rows, key=str)[:20]:
            out.append(
                f"{_where(report, name, layer=True)}: feature {key}={ident} has no row in "
                f"{_where(report, name)}"
            )
    regions, finance = report.tables.get("finance_regions"), report.tables.get("finance")
    if regions is not None and finance is not None:
        for ident in sorted(set(regions["project_id"]) - set(finance["project_id"]))[:20]:
            out.append(
                f"{_where(report, 'finance_regions')}: project_id={ident} is not in finance.csv"
            )
    return out


def _check_footprint_pairs(report: ValidationReport) -> list[str]:
    """A footprint table comes with its layer: one without the other is half-built."""
    out = []
    geo, data = Path(report.geo_dir), Path(report.data_dir)
    for name in ("finance", "energy"):
        has_table = (data / f"{name}.csv").exists()
        has_layer = (geo / LAYERS[name].filename).exists()
        if has_table != has_layer:
            missing = display_path(
                (geo / LAYERS[name].filename) if has_table else data / f"{name}.csv"
            )
            out.append(
                f"{missing}: file not found (its partner {name} file is there; both or none)"
            )
    return out


CHECKS = [
    _check_footprint_pairs,
    _check_finance_amounts,
    _check_energy_units,
    _check_footprint_ids,
    _check_footprint_features,
]
