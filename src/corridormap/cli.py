"""The ``corridormap`` command: thin typer commands over the public API.

Heavy libraries are imported inside commands so ``corridormap --help`` stays instant. Errors go to
stderr, one line per problem; data errors exit 1, usage errors exit 2.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import CorridorMapError, DataError

app = typer.Typer(
    name="corridormap",
    help="Maps, briefing outputs and spatial queries for the China–Central Asia corridors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class TableFormat(StrEnum):
    """Output formats of the table commands."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


GeoDir = Annotated[
    Path | None,
    typer.Option("--geo-dir", help="Folder of GeoJSON layers (default: the shipped atlas)."),
]
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of CSV tables (default: the shipped atlas)."),
]
Format = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"corridormap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Maps, briefing outputs and spatial queries for the China–Central Asia corridors."""


def fail(error: CorridorMapError) -> None:
    """Print a user-facing error (one line per problem) and exit 1."""
    lines = error.problems if isinstance(error, DataError) else [str(error)]
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    if isinstance(error, DataError):
        typer.echo(f"{len(lines)} problem(s) found.", err=True)
    raise typer.Exit(1)


#: Display formats of float columns that one decimal would mangle (CSV/JSON keep full values).
COLUMN_FORMATS = {"share": "{:.1%}", "lon": "{:.5f}", "lat": "{:.5f}"}


def emit(frame, fmt: TableFormat, *, floats: str = "{:,.1f}") -> None:
    """Print a DataFrame as an aligned table, CSV, JSON records or a Markdown (pipe) table."""
    import pandas as pd

    if fmt is TableFormat.csv:
        typer.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt is TableFormat.json:
        typer.echo(frame.to_json(orient="records", indent=2, force_ascii=False))
    else:
        shown = frame.copy()
        for column in shown.columns:
            if pd.api.types.is_float_dtype(shown[column]):
                pattern = COLUMN_FORMATS.get(column, floats)
                shown[column] = ["" if pd.isna(v) else pattern.format(v) for v in shown[column]]
        shown = shown.astype(object).where(shown.notna(), "")
        if fmt is TableFormat.markdown:
            typer.echo(_markdown(shown))
        else:
            typer.echo(shown.to_string(index=False))


def _markdown(frame) -> str:
    """A GitHub pipe table (``|`` in cells escaped); no dependency on ``tabulate``."""
    import re

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    def numeric(column: str) -> bool:
        values = [str(v) for v in frame[column] if v != ""]
        return bool(values) and all(re.fullmatch(r"[-+]?[\d,]*\.?\d+", v) for v in values)

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---:" if numeric(c) else "---" for c in frame.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


@app.command()
def validate(
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    report: Annotated[
        bool, typer.Option("--report", help="Also print the fidelity table (drawn vs reported km).")
    ] = False,
    fmt: Format = TableFormat.table,
) -> None:
    """Check the layers and tables; exit 0 if valid, 1 if not (every problem is listed)."""
    from .atlas import load
    from .validate import validate as run

    result = run(geo_dir, data_dir)
    for line in result.warnings:
        typer.echo(f"warning: {line}", err=True)
    if result.errors:
        fail(DataError(result.errors))
    layers = ", ".join(f"{n} {len(f)}" for n, f in result.layers.items())
    tables = ", ".join(f"{n} {len(f)}" for n, f in result.tables.items())
    typer.echo(f"valid: layers ({layers}); tables ({tables})", err=True)
    if report:
        from .measure import fidelity

        emit(fidelity(load(geo_dir, data_dir).segments), fmt)


@app.command("list")
def list_corridors(
    geo_dir: GeoDir = None, data_dir: DataDir = None, fmt: Format = TableFormat.table
):
    """List the corridors with mode, status, drawn and reported length, and countries."""
    from .atlas import load

    try:
        atlas = load(geo_dir, data_dir)
    except CorridorMapError as exc:
        fail(exc)
    columns = ["corridor_id", "name", "mode", "status", "length_km", "length_km_reported"]
    emit(atlas.corridors[[*columns, "countries"]], fmt)


# Command groups live in their own modules and register themselves on ``app``.
from . import cli_brief, cli_map, cli_query, cli_revenue, cli_routes  # noqa: E402, F401


def main() -> None:
    """Entry point of the console script."""
    # Commands echo one summary line of their own; the library's per-file INFO lines are for
    # Python users. Only our warnings reach stderr here, never a dependency's chatter (fontTools).
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    package = logging.getLogger("corridormap")
    package.addHandler(handler)
    package.setLevel(logging.WARNING)
    app()
