"""The ``corridormap routes`` command: the k best freight routes between two hubs."""

from __future__ import annotations

from typing import Annotated, Literal, cast

import typer

from corridormap.cli.options import (
    DataDir,
    GeoDir,
    QFormat,
    QueryFormat,
    emit_query,
    sub_app,
    user_errors,
)

app = sub_app()

#: Columns of the table view (csv, json and geojson carry every column).
TABLE_COLUMNS = [
    "rank",
    "km",
    "km_low",
    "km_high",
    "km_reported",
    "days_low",
    "days_base",
    "days_high",
    "countries",
    "legs",
    "gauge_breaks",
    "ferry_legs",
    "border_crossings",
]


@app.command("routes")
def routes_command(
    origin: Annotated[str, typer.Argument(help="Hub name or id, e.g. Urumqi.")],
    destination: Annotated[str, typer.Argument(help="Hub name or id, e.g. Istanbul.")],
    avoid: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid",
            help="Country (ISO3 or name, e.g. RUS or Russia) or named thing, e.g. caspian_ferry "
            "(repeatable).",
        ),
    ] = None,
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Hub to pass (repeatable).")
    ] = None,
    mode: Annotated[
        list[str] | None, typer.Option("--mode", help="rail, road or ferry (repeatable).")
    ] = None,
    as_of: Annotated[
        int | None, typer.Option("--as-of", help="Use only what was operational that year.")
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Project to add as a scenario, e.g. cku_railway."),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="With --include: what the project saves against today's fastest route "
            "without it (any mode), in km and days; the baseline is named.",
        ),
    ] = False,
    k: Annotated[int, typer.Option("-k", help="Number of routes.")] = 3,
    by: Annotated[str, typer.Option("--by", help="Rank by days or km.")] = "days",
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
) -> None:
    """The k best routes between two hubs: km, countries, borders, gauge breaks, days."""
    from corridormap.atlas.core import load
    from corridormap.network.search import routes

    if by not in ("days", "km"):
        raise typer.BadParameter("use days or km", param_hint="--by")
    if compare:
        if not include:
            raise typer.BadParameter("--compare needs --include PROJECT", param_hint="--compare")
        _compare(origin, destination, via, avoid, mode, as_of, include, by, geo_dir, data_dir, fmt)
        return
    with user_errors():
        atlas = load(geo_dir, data_dir)
        frame = routes(
            atlas,
            origin,
            destination,
            via=via,
            avoid=avoid,
            mode=mode,
            as_of=as_of,
            include=include,
            k=k,
            by=cast(Literal["days", "km"], by),  # routes() checks it and says what is wrong
        )
    if fmt is QueryFormat.table:
        frame = frame[[*TABLE_COLUMNS, "geometry"]]
    emit_query(frame, fmt)


def _compare(origin, destination, via, avoid, mode, as_of, include, by, geo_dir, data_dir, fmt):
    """Print route_change: the baseline (named), the route with the project and the saving."""
    from corridormap.atlas.core import load
    from corridormap.network.compare import route_change

    with user_errors():
        table = route_change(
            load(geo_dir, data_dir), origin, destination, include=include, via=via,
            avoid=avoid, mode=mode, as_of=as_of, by=by,
        )  # fmt: skip
    baseline = table.loc["saving", "compared_against"]
    shown = table.drop(columns=["compared_against", "lines"]).reset_index(names="route")
    if fmt is QueryFormat.table:
        shown = shown[["route", "km", "days_low", "days_base", "days_high", "legs"]]
        typer.echo(f"Baseline: {baseline}")
        saved = table.loc["saving"]
        words = [
            f"{abs(saved[c]):,.1f} {unit} {'saved' if saved[c] >= 0 else 'lost'}"
            for c, unit in (("km", "km"), ("days_base", "days"))
        ]
        emit_query(shown, QueryFormat.table)
        typer.echo(f"With {', '.join(include)}: {' and '.join(words)} (base case).")
        return
    emit_query(
        shown.assign(compared_against=baseline),
        fmt if fmt is not QueryFormat.geojson else QueryFormat.json,
    )
