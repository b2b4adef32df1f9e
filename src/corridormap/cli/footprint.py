"""Footprint commands of ``corridormap``: finance (AidData) and energy (Global Energy Monitor)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from corridormap.cli.options import (
    DataDir,
    GeoDir,
    QFormat,
    QueryFormat,
    emit_query,
    selected_atlas,
    sub_app,
    user_errors,
)
from corridormap.errors import SelectionError
from corridormap.vocabulary import FIVE_STATES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from corridormap.atlas.core import Atlas

app = sub_app()

FINANCE_COLUMNS = [
    "project_id", "title", "countries", "sector", "status", "lenders", "commitment_year",
    "amount_usd", "usd_year", "recommended_for_aggregates", "precision", "edition",
]  # fmt: skip
ENERGY_COLUMNS = [
    "asset_id", "kind", "name", "unit_name", "countries", "status", "capacity", "capacity_unit",
    "start_year", "owner", "corridor_id",
]  # fmt: skip


class By(StrEnum):
    """What ``finance --by`` sums by."""

    region = "region"
    sector = "sector"
    year = "year"
    lender = "lender"
    country = "country"
    status = "status"


Near = Annotated[
    str | None, typer.Option("--near", help="Corridor id: only what lies within --km of it.")
]
Km = Annotated[float | None, typer.Option("--km", help="Distance for --near, km.", min=0)]
Country = Annotated[
    str | None, typer.Option("--country", help="ISO3 of one of the five states, e.g. KGZ.")
]


def _country_rows(frame: pd.DataFrame, country: str | None) -> pd.DataFrame:
    if country is None:
        return frame
    iso = country.strip().upper()
    if iso not in FIVE_STATES:
        raise SelectionError(f"--country must be one of {', '.join(FIVE_STATES)}; got {country!r}")
    listed = frame["countries"].fillna("").str.split(";")
    return frame[listed.map(lambda codes: iso in codes)]


def _near(near: str | None, km: float | None) -> None:
    if (near is None) != (km is None):
        raise SelectionError("give --near CORRIDOR and --km N together")


@app.command()
def finance(
    country: Country = None,
    near: Near = None,
    km: Km = None,
    sector: Annotated[
        str | None,
        typer.Option("--sector", help="AidData sector, or part of it (e.g. transport)."),
    ] = None,
    by: Annotated[
        By | None, typer.Option("--by", help="Sum by region, sector, year, lender, country.")
    ] = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
) -> None:
    """Chinese development finance in the five states (AidData GCDF 2.0 and 3.0).

    Amounts are constant US dollars of the year in usd_year (2017: GCDF 2.0; 2021: GCDF 3.0);
    sums are made per usd_year and never across, and leave out the rows AidData does not
    recommend for aggregates (umbrella projects). --by region gives GCDF 3.0's regional split.
    Source: AidData, Global Chinese Development Finance Dataset (ODC-By).
    """
    from corridormap.footprint import finance_by_region, finance_near, finance_summary

    with user_errors():
        _near(near, km)
        atlas = selected_atlas(geo_dir, data_dir)
        if by is By.region:
            if near is not None or sector is not None:
                raise SelectionError("--by region takes only --country")
            table = finance_by_region(atlas, country=country)
            emit_query(_readable(table, fmt), _tabular(fmt))
            _credit(atlas, fmt)
            return
        frame = atlas.finance if near is None else finance_near(atlas, near, km=float(km or 0))
        frame = _country_rows(frame, country)
        if sector is not None:
            frame = frame[frame["sector"].fillna("").str.casefold().str.contains(sector.casefold())]
        if by is not None:
            emit_query(_readable(finance_summary(frame, by=by.value), fmt), _tabular(fmt))
            _credit(atlas, fmt)
            return
    columns = (["distance_km"] if near is not None else []) + FINANCE_COLUMNS
    if fmt is QueryFormat.geojson:
        columns = [*columns, "geometry"]
    emit_query(_readable(frame[columns], fmt), fmt)
    _credit(atlas, fmt, geometry=fmt is QueryFormat.geojson)


@app.command()
def energy(
    country: Country = None,
    near: Near = None,
    km: Km = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="gas_pipeline, oil_pipeline, lng_terminal, hydropower or oil_gas_power_unit.",
        ),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="GEM status.")] = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
) -> None:
    """Energy assets in the five states (Global Energy Monitor trackers, CC BY 4.0).

    Gas pipelines and the LNG terminal (GGIT, Oct 2024), hydropower plants (GHPT, Apr 2025),
    oil- and gas-fired units (GOGPT, Aug 2024). With --near, nearest first; GEM's own lines of
    that corridor are left out (they are the corridor).
    """
    from corridormap.footprint import energy_near
    from corridormap.vocabulary import ENERGY_KINDS, ENERGY_STATUSES

    with user_errors():
        _near(near, km)
        if kind is not None and kind not in ENERGY_KINDS:
            raise SelectionError(f"--kind must be one of {', '.join(ENERGY_KINDS)}; got {kind!r}")
        if status is not None and status not in ENERGY_STATUSES:
            raise SelectionError(
                f"--status must be one of {', '.join(ENERGY_STATUSES)}; got {status!r}"
            )
        atlas = selected_atlas(geo_dir, data_dir)
        frame = atlas.energy if near is None else energy_near(atlas, near, km=float(km or 0))
        frame = _country_rows(frame, country)
        if kind is not None:
            frame = frame[frame["kind"] == kind]
        if status is not None:
            frame = frame[frame["status"] == status]
    columns = (["distance_km"] if near is not None else []) + ENERGY_COLUMNS
    if fmt is QueryFormat.geojson:
        columns = [*columns, "geometry"]
    emit_query(frame[columns], fmt)
    _credit(atlas, fmt, energy=True)


def _readable(frame: pd.DataFrame, fmt: QueryFormat) -> pd.DataFrame:
    """For the table and Markdown formats: titles cut to 70 characters, amounts in million USD."""
    if fmt not in (QueryFormat.table, QueryFormat.markdown):
        return frame
    shown = frame.copy()
    if "title" in shown.columns:
        shown["title"] = [
            t if not isinstance(t, str) or len(t) <= 70 else t[:69] + "…" for t in shown["title"]
        ]
    for column in ("amount_usd", "amount_usd_recommended"):
        if column in shown.columns:
            shown[column] = shown[column] / 1e6
            shown = shown.rename(columns={column: column.replace("_usd", "_usd_m")})
    return shown


def _tabular(fmt: QueryFormat) -> QueryFormat:
    return QueryFormat.json if fmt is QueryFormat.geojson else fmt


def _credit(
    atlas: Atlas, fmt: QueryFormat, *, energy: bool = False, geometry: bool = False
) -> None:
    """The source line, on stderr for machine formats (stdout stays parseable)."""
    from corridormap.atlas.credits import credit_lines

    shown = ["energy"] if energy else ["finance_geometry" if geometry else "finance"]
    text = "Source: " + "; ".join(credit_lines(atlas, shown=shown))
    typer.echo(text, err=fmt not in (QueryFormat.table, QueryFormat.markdown))
