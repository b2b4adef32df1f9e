"""Query commands of ``corridormap``: lengths, crossings, near, catchment, join-points."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corridormap.cli.options import (
    AsOf,
    Corridors,
    Countries,
    DataDir,
    Format,
    GeoDir,
    Lang,
    Modes,
    QFormat,
    QueryFormat,
    TableFormat,
    echo_warnings,
    emit,
    emit_query,
    localized_in,
    selected_atlas,
    sub_app,
    user_errors,
)

app = sub_app()


@app.command()
def lengths(
    corridor: Corridors = None,
    mode: Modes = None,
    country: Countries = None,
    as_of: AsOf = None,
    totals: Annotated[
        bool,
        typer.Option("--totals", help="Only the km per country and mode (listed countries)."),
    ] = False,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
    lang: Lang = "en",
) -> None:
    """Kilometres of each corridor inside each country (geodesic, WGS84).

    With --country, only that country's rows. The table format ends with the totals per
    country and mode (rail, road and pipeline km are never added together); --totals prints
    only those.
    """
    from corridormap.measure.lengths import country_totals, lengths_by_country

    with user_errors():
        atlas = selected_atlas(
            geo_dir, data_dir, corridor=corridor, mode=mode, country=country, as_of=as_of
        )
        atlas = localized_in(atlas, lang)
        frame = lengths_by_country(
            atlas, geometry=fmt is QueryFormat.geojson and not totals, country=country
        )
        sums = country_totals(atlas, lengths=frame)
    readable = fmt in (QueryFormat.table, QueryFormat.markdown)
    if readable:  # a drawn km says it is drawn, and how accurate; the reported km come first
        frame = _drawn_headers(frame)
        sums = _drawn_headers(sums)
    if totals:
        emit_query(sums, fmt if fmt is not QueryFormat.geojson else QueryFormat.json, lang=lang)
        return
    emit_query(frame, fmt, lang=lang)
    if readable:
        typer.echo("\nTotals (countries the sources name; shared track counted once):")
        emit_query(sums, fmt, lang=lang)


def _drawn_headers(frame):
    """Reported km first, drawn km named as drawn, their accuracy as ``drawn_±km``."""
    names = {
        "length_km_reported": "km_reported",
        "length_km_reported_min": "km_reported_min",
        "length_km_reported_max": "km_reported_max",
        "length_km": "km_as_drawn",
        "positional_accuracy_km": "drawn_±km",
        "shared_km": "shared_km_as_drawn",
    }
    first = [c for c in ("length_km_reported", "length_km_reported_min", "length_km_reported_max")
             if c in frame.columns]  # fmt: skip
    rest = [c for c in frame.columns if c not in first]
    at = rest.index("length_km") if "length_km" in rest else len(rest)
    order = rest[:at] + first + rest[at:]
    return frame[order].rename(columns=names)


@app.command()
def crossings(
    corridor: Corridors = None,
    mode: Modes = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="ISO3: only crossings into or out of it (repeatable)."),
    ] = None,
    as_of: AsOf = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
    lang: Lang = "en",
) -> None:
    """Points where each corridor's line crosses a border, with the nearest post of its mode."""
    from corridormap.measure.lengths import border_crossings

    with user_errors():
        atlas = selected_atlas(
            geo_dir, data_dir, corridor=corridor, mode=mode, country=country, as_of=as_of
        )
        frame = border_crossings(localized_in(atlas, lang), country=country)
    if fmt is not QueryFormat.geojson:
        frame = frame.assign(lon=frame.geometry.x.round(4), lat=frame.geometry.y.round(4))
    emit_query(frame, fmt, lang=lang)


@app.command()
def near(
    km: Annotated[float, typer.Option("--km", help="Search radius in km.", min=0)],
    place: Annotated[str | None, typer.Option("--place", help="Place id or name.")] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude, degrees.")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Longitude, degrees.")] = None,
    as_of: AsOf = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
    lang: Lang = "en",
) -> None:
    """Corridors and places within --km of a place or of --lat/--lon, nearest first."""
    from corridormap.query import near as run

    with user_errors():
        atlas = localized_in(selected_atlas(geo_dir, data_dir, as_of=as_of), lang)
        frame = run(atlas, place=place, lat=lat, lon=lon, km=km)
    if len(frame) == 0 and fmt is QueryFormat.table:
        typer.echo(f"nothing within {km:g} km", err=True)
        return
    emit_query(frame, fmt, lang=lang)


@app.command()
def catchment(
    corridor_id: Annotated[str, typer.Argument(help="Corridor id, e.g. cku_railway.")],
    km: Annotated[float, typer.Option("--km", help="Distance in km.", min=0)],
    as_of: AsOf = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: QFormat = QueryFormat.table,
    lang: Lang = "en",
) -> None:
    """Places within --km of a corridor, nearest first."""
    from corridormap.query import catchment as run

    with user_errors():
        atlas = localized_in(selected_atlas(geo_dir, data_dir, as_of=as_of), lang)
        frame = run(atlas, corridor_id, km=km)
    columns = ["place_id", "name", "kind", "countries", "distance_km", "geometry"]
    emit_query(frame[columns], fmt, lang=lang)


# --------------------------------------------------------------------------- join-points
# The point join, in memory or on a dask cluster (issue 4).


class Engine(StrEnum):
    """Engines of ``join-points``."""

    pandas = "pandas"
    dask = "dask"


@app.command("join-points")
def join_points(
    source: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            help="Points: CSV or other delimited text, .xlsx, Parquet, GeoJSON, GeoPackage or "
            "any vector file GDAL reads (any CRS); a folder or glob of Parquet parts (dask).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output: .parquet, .csv, .xlsx or .geojson (pandas); a folder of Parquet parts "
            "(dask). A file there is replaced (and said so); a folder never is.",
        ),
    ],
    km: Annotated[
        float | None,
        typer.Option("--km", help="Only corridors within this many km count as a match.", min=0),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Join the rows with a valid coordinate; list the others (row, column, reason) "
            "in <OUT stem>.skipped.csv. Default: refuse the file at its first invalid row.",
        ),
    ] = False,
    sep: Annotated[
        str | None,
        typer.Option("--sep", help="Separator of a text file (default: told from its header)."),
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option("--decimal", help="Decimal mark of a text file, . or , (default: told)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Encoding of a text file, e.g. cp1251 (default: told)."),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            "--layer",
            help="Sheet of a workbook or layer of a GeoPackage: name or number (default: first).",
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="pandas (in memory) or dask (partitioned).")
    ] = Engine.pandas,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="dask scheduler address (default: a local cluster)."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar (dask engine).")
    ] = True,
    corridor: Corridors = None,
    mode: Modes = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: Format = TableFormat.table,
) -> None:
    """Attach the nearest corridor and its geodesic distance (km) to every point."""
    from corridormap.io import check_output
    from corridormap.join import WRITERS, join_points, skipped_report_path, write_joined

    if engine is Engine.pandas and out.suffix.lower() not in WRITERS:
        raise typer.BadParameter(
            f"OUT must end in .parquet, .csv, .xlsx or .geojson; got {str(out)!r}",
            param_hint="--out",
        )
    if engine is Engine.dask and out.suffix.lower() in {".csv", ".geojson", ".xlsx"}:
        raise typer.BadParameter(
            f"the dask engine writes a folder of Parquet parts; got {str(out)!r}",
            param_hint="--out",
        )
    if scheduler is not None and engine is not Engine.dask:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    if engine is Engine.dask and (skip_invalid or sep or decimal or encoding or sheet):
        raise typer.BadParameter(
            "--skip-invalid, --sep, --decimal, --encoding and --sheet need --engine pandas"
        )
    skipped: list = []
    read_as = ""
    with user_errors():
        replaced = check_output(out, folder=engine is Engine.dask, example="joined.csv")
        atlas = selected_atlas(geo_dir, data_dir, corridor=corridor, mode=mode)
        with echo_warnings():
            if engine is Engine.dask:
                from corridormap.join.points import written_counts

                join_points(
                    atlas, source, km=km, engine="dask", out=out, scheduler=scheduler,
                    progress=progress,
                )  # fmt: skip
                points, matched = written_counts(out)
            else:
                frame = join_points(
                    atlas, source, km=km, on_invalid="skip" if skip_invalid else "raise",
                    sep=sep, decimal=decimal, encoding=encoding, sheet=sheet,
                )  # fmt: skip
                skipped = frame.attrs.get("skipped_rows") or []
                read_as = frame.attrs.get("read_as", "")
                write_joined(frame, out)
                points, matched = len(frame), int(frame["corridor_id"].notna().sum())
    if read_as:
        typer.echo(f"note: read {source} as {read_as}", err=True)
    if skipped:
        rows = len({r["row"] for r in skipped})
        typer.echo(
            f"note: {rows:,} rows skipped for an invalid coordinate, listed in "
            f"{skipped_report_path(out)}",
            err=True,
        )
    _emit_summary(points, matched, km, out, fmt, replaced)


def _emit_summary(
    points: int, matched: int, km: float | None, out: Path, fmt: TableFormat, replaced: str | None
) -> None:
    """One line for people (table) or one record for scripts (csv, json)."""
    import pandas as pd

    if fmt is TableFormat.table:
        where = f"within {km:g} km of a corridor" if km is not None else "with a nearest corridor"
        note = f" (replaced {replaced})" if replaced else ""
        typer.echo(f"{points:,} points, {matched:,} {where}, written to {out}{note}")
        return
    record = {"points": points, "matched": matched, "km": km, "out": str(out)}
    emit(pd.DataFrame([record]), fmt)
