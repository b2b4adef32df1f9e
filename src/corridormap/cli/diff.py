"""The ``diff`` command of ``corridormap``: what changed between two atlases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridormap.cli.options import Format, TableFormat, emit, sub_app, user_errors

app = sub_app()

#: Longest text shown in a cell of the aligned table (CSV, JSON and Markdown keep everything).
TABLE_CELL_CHARS = 60

Folder = Annotated[
    Path | None,
    typer.Argument(
        help="A data folder holding geo/ and data/ (a release, a git worktree).",
        show_default=False,
    ),
]


def _option(flag: str, what: str) -> object:
    return typer.Option(flag, help=f"{what} (default: <DIR>/{flag.rsplit('-', 1)[1]}).")


@app.command()
def diff(
    old_dir: Folder = None,
    new_dir: Folder = None,
    old_geo: Annotated[Path | None, _option("--old-geo", "GeoJSON layers of the old atlas")] = None,
    old_data: Annotated[Path | None, _option("--old-data", "CSV tables of the old atlas")] = None,
    new_geo: Annotated[Path | None, _option("--new-geo", "GeoJSON layers of the new atlas")] = None,
    new_data: Annotated[Path | None, _option("--new-data", "CSV tables of the new atlas")] = None,
    fmt: Format = TableFormat.table,
    map_out: Annotated[
        Path | None,
        typer.Option("--map", help="Also write the new atlas's map with a layer of the changes."),
    ] = None,
) -> None:
    """What changed from OLD_DIR to NEW_DIR: statuses, segments, figures and their sources."""
    from corridormap.atlas.core import load
    from corridormap.atlas.diff import diff_atlases
    from corridormap.io import display_path

    old = _folders("old", old_dir, old_geo, old_data)
    new = _folders("new", new_dir, new_geo, new_data)
    with user_errors():
        old_atlas, new_atlas = load(*old), load(*new)
        changes = diff_atlases(old_atlas, new_atlas)
        if map_out is not None:
            from corridormap.render import save_map
            from corridormap.render.interactive.diff import diff_map

            path = save_map(diff_map(old_atlas, new_atlas, diff=changes), map_out)
    if fmt is TableFormat.markdown:
        names = [display_path(d or g) for d, g in ((old_dir, old[0]), (new_dir, new[0]))]
        title = f"What changed: {names[0]} → {names[1]}"
        typer.echo(changes.to_markdown(title=title), nl=False)
    elif fmt is TableFormat.table and not len(changes):
        typer.echo("No changes.")
    else:
        summary = changes.summary()
        if fmt is TableFormat.table:
            for column in ("old", "new", "old_source", "new_source"):
                summary[column] = [_short(v) for v in summary[column]]
        emit(summary, fmt)
    if map_out is not None:
        typer.echo(f"Saved {display_path(path)} ({len(changes)} changes)", err=True)


def _folders(
    side: str, folder: Path | None, geo: Path | None, data: Path | None
) -> tuple[Path, Path]:
    if folder is None:
        if geo is None or data is None:
            raise typer.BadParameter(
                f"give the {side} atlas as {side.upper()}_DIR (holding geo/ and data/) or both "
                f"--{side}-geo and --{side}-data"
            )
        return (geo, data)
    return (geo or folder / "geo", data or folder / "data")


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"
