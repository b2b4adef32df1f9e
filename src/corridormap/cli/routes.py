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
    "gauge_breaks",
    "ferry_legs",
    "border_crossings",
    "via_hubs",
]


@app.command("routes")
def routes_command(
    origin: Annotated[str, typer.Argument(help="Hub name or id, e.g. Urumqi.")],
    destination: Annotated[str, typer.Argument(help="Hub name or id, e.g. Istanbul.")],
    avoid: Annotated[
        list[str] | None,
        typer.Option("--avoid", help="ISO3 code or named thing, e.g. caspian_ferry (repeatable)."),
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
