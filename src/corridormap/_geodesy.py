"""Geodesic line lengths on the ellipsoid, below both the Atlas and the measures.

:func:`geodesic_length_km` is public as ``corridormap.measure.lengths.geodesic_length_km`` (and
``corridormap.geodesic_length_km``). It lives here because :func:`corridormap.load` measures
every segment with it, and :mod:`corridormap.measure.lengths` sits above the Atlas (it queries it),
so
the Atlas importing ``measure`` closed an import cycle.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from corridormap import settings


@cache
def ellipsoid_geod(ellps: str) -> Geod:
    """The :class:`pyproj.Geod` of an ellipsoid (one per name)."""
    return Geod(ellps=ellps)


def geodesic_length_km(geometries: gpd.GeoSeries) -> pd.Series:
    """Length of each line, in kilometres measured on the WGS84 ellipsoid.

    Parameters
    ----------
    geometries
        Lines (or any geometry) in EPSG:4326; points and empty geometries measure 0.

    Returns
    -------
    pandas.Series
        Kilometres, aligned to ``geometries.index``.

    Examples
    --------
    >>> from shapely import LineString
    >>> s = gpd.GeoSeries([LineString([(74.0, 41.0), (75.0, 41.0)])], crs="EPSG:4326")
    >>> round(float(geodesic_length_km(s).iloc[0]), 1)
    84.1
    """
    if geometries.crs is not None and not geometries.crs.equals("EPSG:4326"):
        geometries = geometries.to_crs("EPSG:4326")
    geod = ellipsoid_geod(settings.ellipsoid)
    values = [
        0.0 if geom is None or geom.is_empty else geod.geometry_length(geom) / 1000.0
        for geom in geometries
    ]
    return pd.Series(values, index=geometries.index, dtype=float, name="length_km")
