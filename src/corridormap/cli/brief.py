"""The brief and export commands of ``corridormap``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corridormap.cli.options import (
    Corridors,
    Countries,
    DataDir,
    GeoDir,
    Modes,
    Statuses,
    selected_atlas,
    sub_app,
    user_errors,
)

app = sub_app()


class ExportFormat(StrEnum):
    """Formats of ``corridormap export``."""

    geojson = "geojson"
    gpkg = "gpkg"
    parquet = "parquet"
    kml = "kml"
    csv = "csv"


@app.command("brief")
def brief_command(
    spec: Annotated[Path, typer.Argument(help="Briefing spec (TOML); see maps/README.md.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder of the pack to write.")],
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
) -> None:
    """Write a briefing pack: interactive and static maps, tables, alt text and a one-page brief."""
    from corridormap.atlas.core import load
    from corridormap.briefing.pack import brief, load_spec
    from corridormap.io import check_output, display_path

    with user_errors():
        load_spec(spec)  # spec errors first: no need to load the atlas for them
        replaced = check_output(out, folder=True)
        atlas = load(geo_dir, data_dir)
        folder = brief(atlas, spec, out)  # the path, so its errors name the file
    files = sorted(p.name for p in folder.iterdir())
    note = "; replaced the previous pack" if replaced else ""
    typer.echo(f"Saved {display_path(folder)}/ ({len(files)} files: {', '.join(files)}{note})")


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="Format (default: from the file suffix)."),
    ] = None,
    mode: Modes = None,
    status: Statuses = None,
    country: Countries = None,
    corridor: Corridors = None,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
) -> None:
    """Export the corridors with facts, lengths and revenue (GeoJSON, GPKG, Parquet, KML, CSV)."""
    from corridormap.export import export_atlas, export_format
    from corridormap.io import check_output, display_path

    with user_errors():
        chosen_format = export_format(out, fmt.value if fmt else None)
        replaced = check_output(out, example=f"atlas.{chosen_format}")
        atlas = selected_atlas(
            geo_dir, data_dir, mode=mode, status=status, country=country, corridor=corridor
        )
        path = export_atlas(atlas, out, format=chosen_format)
    size_kb = path.stat().st_size / 1024
    note = f", replaced {replaced}" if replaced else ""
    extra = ""
    if chosen_format != "gpkg":
        from corridormap.export import sidecar_paths

        extra = " with " + " and ".join(display_path(p) for p in sidecar_paths(path))
    typer.echo(
        f"Saved {display_path(path)} ({chosen_format}, {len(atlas)} corridors, "
        f"{size_kb:,.0f} KB{note}){extra}"
    )
