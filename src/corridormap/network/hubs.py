"""Hubs of the route graph: look-up by id, name or position (the graph is in network.py)."""

from __future__ import annotations

import math
import re
import unicodedata

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


def slug(name: str) -> str:
    """Hub id of a place name: ``"Torugart Pass"`` -> ``"torugart_pass"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


#: Letters NFKD does not take apart, and the apostrophes a name may carry.
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "ı": "i"}
)
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`\u00b4]")


def hub_key(name: str) -> str:
    """A name folded for matching hubs: case, accents and apostrophes do not count.

    ``"Xi'an"``, ``"Xi’an"`` and ``"XIAN"`` give ``"xian"``; ``"Łódź"`` and ``"Lodz"`` give
    ``"lodz"``; ``"Frankfurt (Oder)"`` gives ``"frankfurt_oder"``.
    """
    text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", name).translate(_FOLD))
    return slug("".join(c for c in text if not unicodedata.combining(c)))


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
