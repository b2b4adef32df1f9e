"""Hubs of the route graph: look-up by id, name or position, and a user's hub name to nodes."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

from .errors import RouteError

if TYPE_CHECKING:
    from .network import Network

_GEOD = Geod(ellps="WGS84")


def slug(name: str) -> str:
    """Hub id of a place name: ``"Torugart Pass"`` -> ``"torugart_pass"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class Hubs:
    """Hub lookup: by id, by name, and the nearest within its snap distance."""

    def __init__(self, rows: pd.DataFrame, countries: gpd.GeoDataFrame):
        self.rows = {
            r.transfer_id: {
                "hub_id": r.transfer_id,
                "name": r.name,
                "country": r.country,
                "lat": float(r.lat),
                "lon": float(r.lon),
                "snap_km": float(r.snap_km) if pd.notna(r.snap_km) else 3.0,
            }
            for r in rows.itertuples(index=False)
        }
        self.by_name = {slug(r["name"]): h for h, r in self.rows.items()}
        self.countries = countries

    def frame(self) -> pd.DataFrame:
        """Every hub as a table (``hub_id, name, country, lat, lon, snap_km``)."""
        return pd.DataFrame(list(self.rows.values()))

    def near(self, lon: float, lat: float) -> str | None:
        """The nearest hub whose ``snap_km`` reaches the point, or None."""
        best, best_km = None, math.inf
        for hub_id, r in self.rows.items():
            km = _GEOD.inv(lon, lat, r["lon"], r["lat"])[2] / 1000
            if km <= r["snap_km"] and km < best_km:
                best, best_km = hub_id, km
        return best

    def at_end(self, name: str | None, lon: float, lat: float) -> str:
        """The hub at a line end: by name (atlas places), then by distance, else a new hub."""
        if name is not None:
            hub = self.rows.get(slug(name)) and slug(name) or self.by_name.get(slug(name))
            if hub:
                return hub
        hub = self.near(lon, lat)
        if hub:
            return hub
        hub_id = slug(name) if name else f"hub_{lat:.3f}_{lon:.3f}".replace(".", "_")
        if hub_id not in self.rows:
            self.rows[hub_id] = {
                "hub_id": hub_id,
                "name": name or hub_id,
                "country": self._country(lon, lat),
                "lat": lat,
                "lon": lon,
                "snap_km": 1.0,
            }
        return hub_id

    def _country(self, lon: float, lat: float) -> str | None:
        hit = self.countries[self.countries.contains(shapely.Point(lon, lat))]
        return hit["iso3"].iloc[0] if len(hit) else None


def hub_nodes(network: Network, name: str) -> list[tuple[str, str]]:
    """The graph nodes of a hub given by id or name (case-insensitive).

    Raises
    ------
    RouteError
        If no hub matches, or several do; the message lists candidates.
    """
    hubs = network.hubs
    wanted = name.strip().lower()
    exact = hubs[(hubs["hub_id"] == slug(name)) | (hubs["name"].str.lower() == wanted)]
    if exact.empty:
        exact = hubs[hubs["name"].str.lower().str.startswith(wanted)]
    nodes_of = {h: [n for n in network.graph if n[0] == h] for h in exact["hub_id"]}
    found = {h: n for h, n in nodes_of.items() if n}
    if len(found) == 1:
        return next(iter(found.values()))
    routable = sorted({n[0] for n in network.graph})
    if not found:
        names = hubs.set_index("hub_id").loc[routable, "name"]
        close = sorted(n for n in names if wanted[:3] in n.lower()) or sorted(names)
        more = f" and {len(close) - 12} more" if len(close) > 12 else ""
        raise RouteError(f"unknown hub {name!r}; hubs: {', '.join(close[:12])}{more}")
    shown = ", ".join(sorted(hubs.set_index("hub_id").loc[list(found), "name"]))
    raise RouteError(f"hub {name!r} is ambiguous: {shown}")
