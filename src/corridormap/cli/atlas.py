"""The ``validate`` and ``list`` commands of ``corridormap``."""

from __future__ import annotations

from typing import Annotated

import typer

from corridormap.cli.options import (
    AsOf,
    Countries,
    DataDir,
    Format,
    GeoDir,
    Lang,
    Modes,
    Statuses,
    TableFormat,
    emit,
    fail,
    localized_in,
    selected_atlas,
    sub_app,
    user_errors,
)
from corridormap.errors import DataError

app = sub_app()


@app.command()
def validate(
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Also print the fidelity table (drawn vs reported km) and the names that have "
            "no translation (data/names.csv).",
        ),
    ] = False,
    fmt: Format = TableFormat.table,
) -> None:
    """Check the layers and tables; exit 0 if valid, 1 if not (every problem is listed)."""
    from corridormap.atlas.core import load
    from corridormap.validation.runner import validate as run

    result = run(geo_dir, data_dir)
    for line in result.warnings:
        typer.echo(f"warning: {line}", err=True)
    if result.errors:
        fail(DataError(result.errors))
    layers = ", ".join(f"{n} {len(f)}" for n, f in result.layers.items())
    tables = ", ".join(f"{n} {len(f)}" for n, f in result.tables.items())
    typer.echo(f"valid: layers ({layers}); tables ({tables})", err=True)
    if report:
        from corridormap.measure.lengths import fidelity

        atlas = load(geo_dir, data_dir)
        emit(fidelity(atlas), fmt)
        _report_names(atlas)


def _report_names(atlas) -> None:
    """Say, per language, which shown names fall back to English (to stderr: a to-do list)."""
    from corridormap._i18n import languages, missing_names

    for lang in languages()[1:]:
        missing = missing_names(atlas, lang)
        typer.echo(
            f"names ({lang}): {len(missing)} of the map's names have no translation and show "
            "in English" + (":" if missing else ""),
            err=True,
        )
        for kind, ident, name in missing:
            typer.echo(f"  {kind} {ident}: {name}", err=True)


@app.command("list")
def list_corridors(
    mode: Modes = None,
    status: Statuses = None,
    country: Countries = None,
    as_of: AsOf = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    fmt: Format = TableFormat.table,
    lang: Lang = "en",
) -> None:
    """List the corridors with mode, status, drawn and reported length, and countries.

    The table format leaves out the long names (csv, json and markdown keep them).
    """
    with user_errors():
        atlas = selected_atlas(
            geo_dir, data_dir, mode=mode, status=status, country=country, as_of=as_of
        )
        atlas = localized_in(atlas, lang)
    columns = ["corridor_id", "name", "mode", "status", "length_km_reported", "length_km"]
    columns += ["positional_accuracy_km", "countries"]
    if fmt is TableFormat.table:
        columns.remove("name")
    frame = atlas.corridors[columns]
    if fmt in (TableFormat.table, TableFormat.markdown):  # a drawn km says it is drawn, and ±
        frame = frame.rename(
            columns={
                "length_km_reported": "km_reported",
                "length_km": "km_as_drawn",
                "positional_accuracy_km": "drawn_±km",
            }
        )
    emit(frame, fmt, lang=lang)
