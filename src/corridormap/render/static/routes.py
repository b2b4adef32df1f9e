"""Routes of :func:`corridormap.routes` on the static figure.

One band each, in the rank colours of the interactive map's route layer, with a legend entry
giving km and days.
"""

from __future__ import annotations

import geopandas as gpd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from corridormap._i18n import _, current
from corridormap.render.static.basemap import MapView
from corridormap.render.static.lines import LINE_SCALE, parts
from corridormap.render.styles import RANK_COLOURS

#: Route line width (points, before LINE_SCALE): wider than any corridor, drawn under them.
ROUTE_WEIGHT = 7.0
ROUTE_ALPHA = 0.55


def _colour(rank: int) -> str:
    return RANK_COLOURS[(int(rank) - 1) % len(RANK_COLOURS)]


def _dashes(rank: int):
    return "solid" if int(rank) == 1 else (0, (4.0, 2.0))


def draw_routes(ax, routes: gpd.GeoDataFrame | None, view: MapView) -> None:
    """Draw each route as a wide translucent band under the corridors (rank 1 solid)."""
    if routes is None or not len(routes):
        return
    for rank, geometry in zip(routes["rank"], routes.to_crs("EPSG:4326").geometry, strict=True):
        lines = parts(view.project(geometry))
        ax.add_collection(LineCollection(
            lines, colors=_colour(rank), alpha=ROUTE_ALPHA, linewidths=ROUTE_WEIGHT * LINE_SCALE,
            linestyles=[_dashes(rank)], capstyle="round", joinstyle="round", zorder=4.5,
            label=f"route {int(rank)}",
        ))  # fmt: skip


def route_handles(routes: gpd.GeoDataFrame | None) -> list[Line2D]:
    """Legend entries: "Route 1: Kashgar → Tashkent, 920 km, 3.1–12.4 days"."""
    if routes is None or not len(routes):
        return []
    return [
        Line2D(
            [],
            [],
            color=_colour(r["rank"]),
            alpha=ROUTE_ALPHA,
            linewidth=ROUTE_WEIGHT * LINE_SCALE,
            linestyle=_dashes(r["rank"]),
            label=_("Route {rank}: {origin} → {destination}, {km} km, {low}–{high} days").format(
                rank=int(r["rank"]),
                origin=r["origin"],
                destination=r["destination"] + (f" ({r['scenario']})" if r.get("scenario") else ""),
                km=current().number(r["km"], decimals=0),
                low=f"{r['days_low']:.1f}",
                high=f"{r['days_high']:.1f}",
            ),
        )  # fmt: skip
        for r in routes.to_dict("records")
    ]
