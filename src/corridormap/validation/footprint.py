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

from corridormap.io import display_path
from corridormap.validation.rules import ValidationReport
from corridormap.validation.schema import FOOTPRINT_LAYERS as LAYERS
from corridormap.validation.schema import KIND_UNITS, MIN_AMOUNT_USD


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
    for index, row in frame[_finance_suspects(frame)].iterrows():
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


def _finance_suspects(frame: pd.DataFrame) -> pd.Series:
    """Rows :func:`_check_finance_amounts` may have something to say of (the rest are fine).

    A vectorised screen, so the row-by-row messages are built only where needed: the table is
    checked on every cold load.
    """
    amount, year = frame["amount_usd"], frame["usd_year"].astype("Float64")
    own = frame["amount_usd_2017"].where(year == 2017, frame["amount_usd_2021"])
    own = own.where(year.isin([2017, 2021]))
    editions = frame["edition"].astype(str).str.split(";")
    edition_ok = editions.map(lambda e: "3.0" in e).where(
        year == 2021, editions.map(lambda e: "2.0" in e)
    )
    both = amount.notna() & year.notna()
    small = pd.concat(
        [frame[c] < MIN_AMOUNT_USD for c in ("amount_usd", "amount_usd_2017", "amount_usd_2021")],
        axis=1,
    ).any(axis=1)
    licences = frame["licence_id"].astype(str).str.split(";")
    odbl = frame["geometry_licence"].eq("ODbL") & ~licences.map(lambda ids: "odbl_osm" in ids)
    suspects = (
        (amount.notna() != year.notna())
        | (both & ~((own - amount).abs() <= 1.0))
        | (both & ~edition_ok)
        | small
        | odbl
    )
    return suspects.fillna(True).astype(bool)


def _check_energy_units(report: ValidationReport) -> list[str]:
    """Capacity units that fit the kind of asset."""
    frame = report.tables.get("energy")
    if frame is None:
        return []
    unit = frame["capacity_unit"]
    suspects = (frame["capacity"].notna() & unit.isna()) | (
        unit.notna() & (unit != frame["kind"].map(KIND_UNITS))
    )
    out: list[str] = []
    for index, row in frame[suspects.fillna(True)].iterrows():
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
