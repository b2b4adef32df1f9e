"""Terrain and water data both renderers draw: the shaded relief and major rivers and lakes.

The files are built by ``scripts/build_relief.py`` and ``scripts/build_water.py`` into
``basemap/`` (shipped in the wheel as ``corridormap/_data/basemap``); see ``basemap/README.md``
for their sources and licences. :mod:`corridormap.render.interactive.basemap` puts them on the
interactive map and :mod:`corridormap.render.static.basemap` on the figure.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np

from corridormap._i18n import N_
from corridormap._resources import shipped_folder

RELIEF_ATTRIBUTION = N_("Relief: Tom Patterson, shadedrelief.com (public domain)")
WATER_ATTRIBUTION = N_("Lakes: Natural Earth; rivers: GSHHG WDBII (LGPL-3.0)")


def basemap_dir() -> Path:
    """The folder of the relief images and water layer (packaged copy, else the checkout's)."""
    return shipped_folder("basemap")


@functools.cache
def _meta() -> dict:
    return json.loads((basemap_dir() / "relief.json").read_text(encoding="utf-8"))


def relief_bounds() -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` degrees covered by both relief images."""
    west, south, east, north = _meta()["bounds"]
    return float(west), float(south), float(east), float(north)


def relief_lonlat() -> np.ndarray:
    """The plate-carrée relief as an ``(rows, cols, 3)`` uint8 array, north row first."""
    from PIL import Image

    with Image.open(basemap_dir() / "relief_lonlat.jpg") as image:
        return np.asarray(image.convert("RGB"))


@functools.cache
def water() -> gpd.GeoDataFrame:
    """Major lakes (polygons) and rivers (lines), EPSG:4326, with ``kind``, ``name``, ``source``."""
    frame = gpd.read_file(basemap_dir() / "water.geojson")
    return frame.set_crs("EPSG:4326", allow_override=True)
