"""The map and export commands of the ``corridormap`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridormap.cli.options import (
    Corridors,
    Countries,
    DataDir,
    GeoDir,
    Lang,
    Modes,
    Statuses,
    sub_app,
    user_errors,
)

app = sub_app()


@app.command("map")
def map_command(
    mode: Modes = None,
    status: Statuses = None,
    country: Countries = None,
    corridor: Corridors = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the map.")] = None,
    subtitle: Annotated[str | None, typer.Option("--subtitle", help="Subtitle.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "maps/corridors.html"
    ),
    embed: Annotated[
        bool, typer.Option("--embed", help="Also write <name>.embed.html, an iframe snippet.")
    ] = False,
    cdn: Annotated[
        bool,
        typer.Option("--cdn", help="Link Leaflet from a CDN (smaller; needs the internet)."),
    ] = False,
    route: Annotated[
        tuple[str, str] | None,
        typer.Option("--route", help="Draw the best routes ORIGIN DESTINATION (see 'routes')."),
    ] = None,
    footprint: Annotated[
        bool,
        typer.Option(
            "--footprint/--no-footprint",
            help="The layers Chinese finance (AidData) and Energy (GEM), off until switched on "
            "in the layer control (default: included).",
        ),
    ] = True,
    geo_dir: GeoDir = None,
    data_dir: DataDir = None,
    lang: Lang = "en",
) -> None:
    """Write the interactive map: one HTML file that works offline (default maps/corridors.html)."""
    from corridormap.atlas.core import load_overlapped
    from corridormap.io import check_output, display_path
    from corridormap.revenue import transit_revenue

    with user_errors():
        replaced = check_output(out, example="corridors.html")
        # A cache miss validates on the other core while the renderer (folium) is imported;
        # that core then estimates the revenue (and the lengths by country it needs) while
        # this one lays out the names and the basemap.
        atlas = load_overlapped(
            geo_dir, data_dir, meanwhile=_import_renderer, prefetch=[transit_revenue]
        )
        from corridormap.render import folium_map, save_map
        from corridormap.render.interactive.map import CorridorMap

        m = folium_map(
            atlas,
            mode=mode,
            status=status,
            country=country,
            corridor=corridor,
            title=title,
            subtitle=subtitle,
            cdn=cdn,
            routes=_routes(atlas, route),
            lang=lang,
            footprint=footprint,
        )
        path = save_map(m, out, embed=embed)
    assert isinstance(m, CorridorMap)  # folium_map makes one when not given a map
    count = len(m.corridor_ids)
    size_kb = path.stat().st_size / 1024
    note = f", replaced {replaced}" if replaced else ""
    typer.echo(f"Saved {display_path(path)} ({count} corridors, {size_kb:,.0f} KB{note})")


def _import_renderer() -> None:
    import corridormap.render  # noqa: F401 - folium, branca and the map's templates


def _routes(atlas, route: tuple[str, str] | None):
    """The ``--route`` routes, or None."""
    if route is None:
        return None
    from corridormap.network.search import routes

    return routes(atlas, *route)
