"""The ``diff`` command of ``corridormap``: what changed between two atlases."""

from __future__ import annotations

import contextlib
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
    release: Annotated[
        str | None,
        typer.Option(
            "--release",
            help="Compare with this data release (data/releases.csv), read from git history; "
            "then a single DIR is the new atlas.",
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option("--rev", help="Compare with the atlas at this git commit, tag or branch."),
    ] = None,
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
    """What changed from OLD_DIR to NEW_DIR: statuses, segments, figures and their sources.

    With --release or --rev the old atlas is read from git history, and DIR (default: the
    atlas in use) is the new one. With no atlas given at all, the atlas in use is compared with
    the previous data release. Old data that breaks today's rules is compared as it is, with
    one warning line per problem.
    """
    from corridormap.io import display_path, resolve_dirs

    if release is not None and rev is not None:
        raise typer.BadParameter("give --release or --rev, not both")
    from_git = release is not None or rev is not None
    if from_git and new_dir is not None:
        raise typer.BadParameter("with --release or --rev, give at most one DIR (the new atlas)")
    nothing_given = old_dir is None and not (old_geo or old_data or new_geo or new_data)
    replaced = None
    with user_errors():
        if map_out is not None:
            from corridormap.io import check_output

            replaced = check_output(map_out, example="changes.html")
        if from_git or nothing_given:
            new = _folders("new", old_dir, new_geo, new_data, default=resolve_dirs())
            with _from_history(new, release, rev) as (old, old_name):
                changes, path = _compare(old, new, map_out, old_name, strip=old[0].parent)
            names = [old_name, display_path(old_dir or new[0])]
        else:
            old = _folders("old", old_dir, old_geo, old_data)
            new = _folders("new", new_dir, new_geo, new_data)
            changes, path = _compare(old, new, map_out, "old atlas")
            names = [display_path(d or g) for d, g in ((old_dir, old[0]), (new_dir, new[0]))]
    if fmt is TableFormat.markdown:
        title = f"What changed: {names[0]} → {names[1]}"
        typer.echo(changes.to_markdown(title=title), nl=False)
    elif fmt is TableFormat.table and not len(changes):
        typer.echo(f"No changes from {names[0]}.")
    else:
        summary = changes.summary()
        if fmt is TableFormat.table:
            for column in ("old", "new", "old_source", "new_source"):
                summary[column] = [_short(v) for v in summary[column]]
        emit(summary, fmt)
    if map_out is not None and path is not None:
        note = f", replaced {replaced}" if replaced else ""
        typer.echo(f"Saved {display_path(path)} ({len(changes)} changes{note})", err=True)


def _compare(
    old: tuple[Path, Path],
    new: tuple[Path, Path],
    map_out: Path | None,
    name: str,
    strip: Path | None = None,
):
    """Load both atlases as they are (problems as warnings), diff them, write the map."""
    from corridormap.atlas.core import load_as_found
    from corridormap.atlas.diff import diff_atlases

    old_atlas, old_problems = load_as_found(*old)
    new_atlas, new_problems = load_as_found(*new)
    for side, problems in ((name, old_problems), ("new atlas", new_problems)):
        for problem in problems:
            if strip is not None:  # the temporary folder of a release says nothing
                problem = problem.replace(f"{strip}/", "")
            typer.echo(f"warning: {side} breaks a rule of today: {problem}", err=True)
    changes = diff_atlases(old_atlas, new_atlas)
    path = None
    if map_out is not None:
        from corridormap.render import save_map
        from corridormap.render.interactive.diff import diff_map

        path = save_map(diff_map(old_atlas, new_atlas, diff=changes), map_out)
    return changes, path


@contextlib.contextmanager
def _from_history(new: tuple[Path, Path], release: str | None, rev: str | None):
    """The old atlas's folders, written from git history into a temporary folder, and its name."""
    from corridormap.atlas import releases as history

    root = history.find_git_root(new[1])
    if rev is not None:
        commit = history.resolve(root, rev)
        name = f"{rev} ({commit[:12]})"
    else:
        version = release or history.previous_release(new[1])
        commit = history.release_commit(version, new[1], root)
        name = f"release {version} ({commit[:12]})"
    with history.old_atlas_folder(root, commit) as folder:
        yield (folder / "geo", folder / "data"), name


def _folders(
    side: str,
    folder: Path | None,
    geo: Path | None,
    data: Path | None,
    default: tuple[Path, Path] | None = None,
) -> tuple[Path, Path]:
    if folder is None:
        if default is not None:
            return (geo or default[0], data or default[1])
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
