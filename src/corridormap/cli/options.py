"""What every ``corridormap`` sub-command shares: option types, output formats, ``fail``, ``emit``.

The sub-command modules (``cli_*.py``) import from here and never from :mod:`corridormap.cli.app`,
which only assembles them. Nothing here imports a heavy library at module level.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from corridormap.errors import CorridorMapError, DataError

if TYPE_CHECKING:
    import pandas as pd

    from corridormap.atlas.core import Atlas


class TableFormat(StrEnum):
    """Output formats of the table commands."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class QueryFormat(StrEnum):
    """Output formats of the query commands: the table formats plus GeoJSON."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    geojson = "geojson"


GeoDir = Annotated[
    Path | None,
    typer.Option("--geo-dir", help="Folder of GeoJSON layers (default: the shipped atlas)."),
]
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of CSV tables (default: the shipped atlas)."),
]
Lang = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of the output: en, ru or zh (names, text, numbers; ids stay as they are).",
    ),
]
Format = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
QFormat = Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")]
Modes = Annotated[
    list[str] | None,
    typer.Option("--mode", help="rail, road, gas_pipeline or oil_pipeline (repeatable)."),
]
Statuses = Annotated[
    list[str] | None,
    typer.Option(
        "--status", help="operational, under_construction, planned or suspended (repeatable)."
    ),
]
Countries = Annotated[
    list[str] | None,
    typer.Option("--country", help="ISO3 code: corridors crossing that country (repeatable)."),
]
AsOf = Annotated[
    int | None,
    typer.Option(
        "--as-of",
        help="A year: the atlas as it stood then (status_history.csv); undated corridors are "
        "left out, and named on stderr.",
    ),
]
Corridors = Annotated[
    list[str] | None, typer.Option("--corridor", "-c", help="Corridor id (repeatable).")
]


@contextlib.contextmanager
def echo_warnings() -> Iterator[None]:
    """Print each corridormap warning raised inside as one ``warning:`` line on stderr.

    Also when the block fails; warnings other than a
    :class:`~corridormap.errors.CorridorMapWarning` pass on as usual.
    """
    import warnings

    from corridormap.errors import CorridorMapWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorridorMapWarning)
        try:
            yield
        finally:
            for item in caught:
                if issubclass(item.category, CorridorMapWarning):
                    typer.echo(f"warning: {item.message}", err=True)
                else:
                    warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def fail(error: CorridorMapError) -> NoReturn:
    """Print a user-facing error (one line per problem) and exit 1."""
    lines = error.problems if isinstance(error, DataError) else [str(error)]
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    if isinstance(error, DataError):
        typer.echo(f"{len(lines)} problem(s) found.", err=True)
    raise typer.Exit(1)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn a :class:`CorridorMapError` raised in the block into :func:`fail`'s lines and exit 1.

    Every command wraps its call of the library in it, so a user-facing error is never a
    traceback.
    """
    try:
        yield
    except CorridorMapError as exc:
        fail(exc)


#: Display formats of float columns that one decimal would mangle (CSV/JSON keep full values).
COLUMN_FORMATS = {"share": "{:.1%}", "lon": "{:.5f}", "lat": "{:.5f}"}


def emit(
    frame: pd.DataFrame, fmt: TableFormat, *, floats: str = "{:,.1f}", lang: str = "en"
) -> None:
    """Print a DataFrame as an aligned table, CSV, JSON records or a Markdown (pipe) table.

    ``lang`` translates the headers, statuses and modes (ids stay as they are).
    """
    import pandas as pd

    if lang != "en":
        frame = localize_table(frame, lang)
    if fmt is TableFormat.csv:
        from corridormap.io import write_csv

        typer.echo(write_csv(frame), nl=False)  # formula-safe, as every CSV written
    elif fmt is TableFormat.json:
        import json

        # pandas escapes "/" as "\\/"; a JSON round trip writes plain slashes
        records = json.loads(frame.to_json(orient="records"))
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        shown = frame.copy()
        headers = {v: k for k, v in _translated_headers(lang).items()}
        for column in shown.columns:
            if pd.api.types.is_float_dtype(shown[column]):
                pattern = COLUMN_FORMATS.get(headers.get(column, column), floats)
                shown[column] = ["" if pd.isna(v) else pattern.format(v) for v in shown[column]]
        shown = shown.astype(object).where(shown.notna(), "")
        if fmt is TableFormat.markdown:
            typer.echo(markdown(shown))
        elif shown.empty:  # the headers, never pandas' "Empty DataFrame" repr
            typer.echo("  ".join(str(c) for c in shown.columns))
        else:
            typer.echo(shown.to_string(index=False))


def localize_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table of a table command in ``lang``: headers, statuses, modes and a few words."""
    from corridormap._i18n import DEFAULT, TABLE_HEADERS, TABLE_WORDS, _, check_language, using
    from corridormap.render.styles import mode_label, place_label, status_label

    code = check_language(lang)
    if code == DEFAULT:
        return frame
    with using(code):
        out = frame.copy()
        if "status" in out:
            out["status"] = [status_label(v) if isinstance(v, str) else v for v in out["status"]]
        if "mode" in out:
            out["mode"] = [mode_label(v) if isinstance(v, str) else v for v in out["mode"]]
        if "kind" in out:
            out["kind"] = [place_label(v) if isinstance(v, str) else v for v in out["kind"]]
        for column in ("label", "scenario"):
            if column in out:
                out[column] = [
                    _(TABLE_WORDS[v]) if isinstance(v, str) and v in TABLE_WORDS else v
                    for v in out[column]
                ]
        headers = {c: _(TABLE_HEADERS[c]) for c in out.columns if c in TABLE_HEADERS}
        return out.rename(columns=headers)


def _translated_headers(lang: str) -> dict[str, str]:
    """Each table header and its translation in ``lang`` (empty for English)."""
    if lang == "en":
        return {}
    from corridormap._i18n import TABLE_HEADERS, _, using

    with using(lang):
        return {column: _(label) for column, label in TABLE_HEADERS.items()}


def localized_in(atlas, lang: str):
    """The atlas with its names in ``lang``; an unknown language is a SelectionError."""
    from corridormap._i18n import localized, using

    with using(lang, atlas.data_dir) as translator:
        return localized(atlas, translator)


def emit_query(frame: pd.DataFrame, fmt: QueryFormat, *, lang: str = "en") -> None:
    """Print a query result; GeoJSON needs geometries, the other formats drop them."""
    if fmt is QueryFormat.geojson:
        if "geometry" not in frame.columns:
            raise typer.BadParameter("this result has no geometry; use table, csv or json")
        typer.echo(frame.to_json(na="null", drop_id=True, to_wgs84=True))
        return
    plain = frame.drop(columns="geometry") if "geometry" in frame.columns else frame
    emit(plain, TableFormat(fmt.value), lang=lang)


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub pipe table (``|`` in cells escaped); no dependency on ``tabulate``."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    def numeric(column: str) -> bool:
        values = [str(v) for v in frame[column] if v != ""]
        return bool(values) and all(re.fullmatch(r"[-+]?[\d,]*\.?\d+", v) for v in values)

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---:" if numeric(c) else "---" for c in frame.columns) + " |"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def selected_atlas(
    geo_dir: Path | None,
    data_dir: Path | None,
    *,
    mode: list[str] | None = None,
    status: list[str] | None = None,
    country: list[str] | None = None,
    corridor: list[str] | None = None,
    as_of: int | None = None,
) -> Atlas:
    """Load the atlas and, when any filter is given, select from it (``mode=``, ``as_of=``…).

    With ``as_of``, the corridors that year leaves out for want of a dated status are named in
    one ``note:`` line on stderr.
    """
    from corridormap.atlas.core import load
    from corridormap.query import select

    atlas = load(geo_dir, data_dir)
    if as_of is not None:
        from corridormap.atlas.history import undated

        left_out = undated(atlas, as_of)
        if left_out:
            typer.echo(
                f"note: no status dated by {as_of} for {', '.join(left_out)} (left out)", err=True
            )
    if not (mode or status or country or corridor) and as_of is None:
        return atlas
    # An empty list (an option not given) is no filter, as None is.
    return select(
        atlas, mode=mode or None, status=status or None, country=country or None,
        corridor=corridor or None, as_of=as_of,
    )  # fmt: skip


def sub_app() -> typer.Typer:
    """A ``typer.Typer`` for one module's commands; :mod:`corridormap.cli.app` merges it in."""
    return typer.Typer(add_completion=False, pretty_exceptions_enable=False)
