"""The ``revenue`` command: transit revenue estimates per corridor and country."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import typer

from corridormap.cli.options import (
    DataDir,
    Format,
    GeoDir,
    Lang,
    TableFormat,
    emit,
    sub_app,
    user_errors,
)

app = sub_app()

_SET_RE = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)\.(?P<field>[a-z_]+)=(?P<value>.+)$")
_SET_HINT = "expected CORRIDOR.FIELD=NUMBER, e.g. cku_railway.volume=20"


class ScenarioName(StrEnum):
    """Scenarios of the revenue model."""

    low = "low"
    base = "base"
    high = "high"


def parse_set(values: list[str]) -> dict[str, dict[str, float]]:
    """Turn ``--set`` values (``cku_railway.volume=20``) into the ``overrides`` mapping.

    Raises
    ------
    ValueError
        For a value not of the form ``CORRIDOR.FIELD=NUMBER``; the message shows an example.
    """
    overrides: dict[str, dict[str, float]] = {}
    for text in values:
        match = _SET_RE.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r}: {_SET_HINT}")
        try:
            number = float(match["value"])
        except ValueError:
            raise ValueError(f"{text!r}: {match['value']!r} is not a number; {_SET_HINT}") from None
        overrides.setdefault(match["key"], {})[match["field"]] = number
    return overrides


@app.command()
def revenue(
    scenario: Annotated[
        ScenarioName, typer.Option("--scenario", help="Inputs at their low, base or high values.")
    ] = ScenarioName.base,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country (ISO3, e.g. KGZ).")
    ] = None,
    corridor: Annotated[
        str | None, typer.Option("--corridor", help="Only this corridor id.")
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Replace an input, e.g. cku_railway.volume=20 (fields: volume, tariff, km, "
            "volume_low … tariff_high); repeatable.",
        ),
    ] = None,
    tornado: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="With --corridor: the tornado table instead, each input moved to its low and "
            "high value with the others at base.",
        ),
    ] = False,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: Format = TableFormat.table,
    lang: Lang = "en",
) -> None:
    """Estimate yearly transit revenue per corridor and country (USD; estimates or restated claims).

    Each row says what its tariff is (tariff_kind): published, a proxy from another system, or
    back-solved from a published revenue claim, which the row then only restates.
    """
    if tornado and not corridor:
        typer.echo("error: --sensitivity needs --corridor ID", err=True)
        raise typer.Exit(2)
    try:
        overrides = parse_set(sets or [])
    except ValueError as exc:  # a usage error: one line, exit 2
        typer.echo(f"error: --set {exc}", err=True)
        raise typer.Exit(2) from None
    from corridormap.atlas.core import load
    from corridormap.revenue import sensitivity, transit_revenue

    with user_errors():
        atlas = load(geo_dir, data_dir)
        if tornado:
            assert corridor  # checked above
            _tornado(sensitivity(atlas, corridor, overrides=overrides), country, fmt)
            return
        # the tariffs are atlas.tariffs, validated by load()
        frame = transit_revenue(atlas, scenario=scenario.value, overrides=overrides)
        frame = _filter(frame, country, corridor)
    restated = (frame["tariff_kind"] == "back_solved").any()
    typer.echo(
        f"Transit revenue — ESTIMATES, scenario: {scenario.value} "
        "(USD a year; see formula and sources per row)"
        + (
            "; rows with tariff_kind back_solved restate a published claim (no tariff is "
            "published), they are not independent estimates"
            if restated
            else ""
        ),
        err=True,
    )
    if fmt is TableFormat.table:
        money = {c: c.replace("_usd", "_musd") for c in frame.columns if c.startswith("revenue_")}
        frame = frame.assign(**{c: frame[c] / 1e6 for c in money}).rename(columns=money)
        shown = ["corridor_id", "iso3", "scenario", *money.values(), "tariff_kind", "label"]
        frame = frame[[*shown, "formula"]]
    with user_errors():
        emit(frame, fmt, lang=lang)


def _tornado(table, country: str | None, fmt: TableFormat) -> None:
    """Print a sensitivity table, largest swing first, in million USD for the aligned table."""
    if country:
        table = table[table["iso3"] == country.upper()]
    table = table.sort_values("swing_usd", ascending=False, kind="stable")
    typer.echo(
        "Transit revenue sensitivity — ESTIMATES (one input moved to its low/high value, "
        "the others at base; USD a year)",
        err=True,
    )
    if fmt is TableFormat.table:
        money = {c: c.replace("_usd", "_musd") for c in table.columns if "_usd" in c}
        table = table.assign(**{c: table[c] / 1e6 for c in money}).rename(columns=money)
    if fmt in (TableFormat.table, TableFormat.markdown):  # inputs span 0.04 USD/t-km to 10 Mt
        values = [c for c in ("value_low", "value_base", "value_high") if c in table.columns]
        table = table.assign(**{c: table[c].map(significant) for c in values})
    emit(table, fmt)


def significant(value: float, digits: int = 3) -> str:
    """Format a number with ``digits`` significant figures, never in exponent notation.

    >>> [significant(v) for v in (0.04372, 0.06559, 10.0, 7.5, 1234.5)]
    ['0.0437', '0.0656', '10', '7.5', '1,234']
    """
    if value != value:  # NaN
        return ""
    if abs(value) >= 10**digits:
        return f"{value:,.0f}"
    text = f"{value:.{digits}g}"
    if "e" in text:  # below 1e-4: fixed notation with the same significant figures
        decimals = digits - 1 - int(f"{value:e}".split("e")[1])
        text = f"{value:.{decimals}f}"
    return text


def _filter(frame, country: str | None, corridor: str | None):
    """Keep one country and/or corridor; an empty result is an error naming what exists."""
    from corridormap.errors import SelectionError

    chosen = frame
    if country:
        chosen = chosen[chosen["iso3"] == country.upper()]
    if corridor:
        chosen = chosen[chosen["corridor_id"] == corridor]
    if frame.empty:
        raise SelectionError("no transit revenue estimate: tariffs.csv has no rows")
    if chosen.empty:
        asked = " and ".join(x for x in (corridor, country and country.upper()) if x)
        pairs = ", ".join(frame["corridor_id"] + "/" + frame["iso3"])
        raise SelectionError(
            f"no transit revenue estimate for {asked} (no published tariff or volume; see "
            f"data/README.md, tariffs.csv); estimates exist for: {pairs or 'nothing'}"
        )
    return chosen
