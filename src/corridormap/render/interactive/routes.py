"""The route layer of the interactive map: the routes of :func:`corridormap.routes`, one line each.

Each route is a polyline (rank 1 solid and widest, then dashed) with a tooltip and a popup that
give km, days and the border posts. Every data string is HTML-escaped.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np

from corridormap._i18n import N_, _, current
from corridormap.render.interactive.legend import legend_line
from corridormap.render.interactive.popups import Bind
from corridormap.render.styles import RANK_COLOURS


def _latlon(geometry) -> list[list[list[float]]]:
    parts = getattr(geometry, "geoms", [geometry])
    return [np.round(np.asarray(p.coords)[:, ::-1], 5).tolist() for p in parts]


def route_popup(route) -> str:
    """HTML of one route's popup (escaped)."""
    e = html.escape
    tr = current()
    days = _("{low}–{high} (base {base})").format(
        low=f"{route['days_low']:g}", high=f"{route['days_high']:g}", base=f"{route['days_base']:g}"
    )
    rows = [
        (
            N_("Route"),
            f"{e(str(route['origin']))} → {e(str(route['destination']))} (#{route['rank']})",
        ),
        (N_("km"), f"{tr.number(route['km'], decimals=0)} ({e(str(route['length_basis']))})"),
        (N_("Days"), days),
        (N_("Countries"), e(str(route["countries"]).replace(";", " → "))),
        (N_("Borders"), e(str(route["border_crossings"])) or _("none")),
        (N_("Gauge breaks"), str(int(route["gauge_breaks"]))),
        (N_("Ferry legs"), str(int(route["ferry_legs"]))),
        (N_("Via"), e(str(route["via_hubs"]))),
    ]
    if route.get("dwell_unknown"):
        rows.append((N_("Time not known"), e(str(route["dwell_unknown"]))))
    body = "".join(f"<tr><th>{e(_(k))}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="cm-route">{body}</table>'


def route_bounds(bounds: list[list[float]], routes: gpd.GeoDataFrame | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` widened to hold the routes (they reach Türkiye)."""
    if routes is None or not len(routes):
        return bounds
    west, south, east, north = routes.to_crs("EPSG:4326").total_bounds
    (s0, w0), (n0, e0) = bounds
    return [
        [round(min(s0, float(south)), 4), round(min(w0, float(west)), 4)],
        [round(max(n0, float(north)), 4), round(max(e0, float(east)), 4)],
    ]


def add_route_layer(m: folium.Map, routes: gpd.GeoDataFrame | None) -> str | None:
    """Draw ``routes`` (from :func:`corridormap.routes`) on ``m`` as one layer; None draws none.

    Returns the layer's legend HTML (one entry per route, escaped), or None.
    """
    if routes is None or not len(routes):
        return None
    group = folium.FeatureGroup(name=_("Routes"), show=True)
    items = []
    for index, route in enumerate(routes.to_crs("EPSG:4326").to_dict("records")):
        colour = RANK_COLOURS[index % len(RANK_COLOURS)]
        plain = _("#{rank} {origin} → {destination}: {km} km, {low}–{high} days").format(
            rank=route["rank"],
            origin=route["origin"],
            destination=route["destination"],
            km=current().number(route["km"], decimals=0),
            low=f"{route['days_low']:g}",
            high=f"{route['days_high']:g}",
        )
        label = html.escape(plain)
        items.append(
            legend_line(colour, 4 if index == 0 else 3, None if index == 0 else "6 4", plain)
        )
        for part in _latlon(route["geometry"]):
            line = folium.PolyLine(
                part,
                color=colour,
                weight=6 if index == 0 else 4,
                opacity=0.85,
                dash_array=None if index == 0 else "8 6",
            )
            Bind(popup=route_popup(route), tooltip=label).add_to(line)
            line.add_to(group)
    group.add_to(m)
    return f'<div class="cm-h">{html.escape(_("Routes"))}</div><ul>{"".join(items)}</ul>'
