"""Geodesic lengths on the WGS84 ellipsoid — never in degrees.

Functions here are pure: they take GeoSeries/GeoDataFrames in EPSG:4326 and return Series aligned
to the input index.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from . import settings
from ._memo import per_atlas


@cache
def _geod(ellps: str) -> Geod:
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
    geod = _geod(settings.ellipsoid)
    values = [
        0.0 if geom is None or geom.is_empty else geod.geometry_length(geom) / 1000.0
        for geom in geometries
    ]
    return pd.Series(values, index=geometries.index, dtype=float, name="length_km")


def accuracy_class(accuracy_km: pd.Series) -> pd.Series:
    """Name the accuracy of each drawn line.

    ``line data`` (within ``settings.line_data_accuracy_km``), ``approximate`` (≤ 10 km) or
    ``sketch`` (coarser).
    """
    limit = settings.line_data_accuracy_km
    return pd.Series(
        [
            "line data" if v <= limit else "approximate" if v <= 10 else "sketch"
            for v in accuracy_km
        ],
        index=accuracy_km.index,
        name="accuracy_class",
    )


def fidelity(segments: gpd.GeoDataFrame) -> pd.DataFrame:
    """Compare each segment's drawn geodesic length with its reported length.

    Parameters
    ----------
    segments
        ``atlas.segments``.

    Returns
    -------
    pandas.DataFrame
        ``segment_id, corridor_id, length_km, length_km_reported, diff_pct,
        positional_accuracy_km, accuracy_class``; ``diff_pct`` is empty where no length was
        reported.
    """
    out = segments[
        ["segment_id", "corridor_id", "length_km", "length_km_reported", "positional_accuracy_km"]
    ].copy()
    reported = out["length_km_reported"].astype(float)
    out["diff_pct"] = (out["length_km"] - reported) / reported * 100.0
    out["accuracy_class"] = accuracy_class(out["positional_accuracy_km"])
    return pd.DataFrame(out).reset_index(drop=True)


def _country_pieces(line, countries: gpd.GeoDataFrame) -> list[tuple[float, float, str | None]]:
    """Split a line by country: ``(start, end, iso3)`` along the line (planar fractions)."""
    import shapely

    pieces: list[tuple[float, float, str | None]] = []
    candidates = countries.iloc[countries.sindex.query(line, predicate="intersects")]
    for iso3, polygon in zip(candidates["iso3"], candidates.geometry, strict=True):
        part = shapely.intersection(line, polygon)
        for piece in getattr(part, "geoms", [part]):
            if piece.is_empty or piece.geom_type != "LineString" or piece.length == 0:
                continue
            ends = [line.project(shapely.Point(c)) for c in (piece.coords[0], piece.coords[-1])]
            pieces.append((min(ends), max(ends), iso3))
    pieces.sort()
    return pieces


@per_atlas(by_corridor=True)  # computed once per atlas (popups, choropleth, revenue, briefs)
def lengths_by_country(atlas, *, geometry: bool = False) -> pd.DataFrame:
    """Geodesic kilometres of each corridor inside each country it crosses.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    geometry
        Also return the pieces of line inside each country (a GeoDataFrame).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        ``corridor_id, iso3, country, length_km, share, listed`` in route order of first entry;
        ``share`` is the fraction of the corridor's drawn length. Stretches outside every country
        polygon (e.g. a port pier over water) appear with an empty ``iso3`` so sums stay
        complete. ``listed`` is False where the sources do not route the corridor through that
        country (``countries`` in ``projects.csv``): kilometres that only a sketch cutting a
        corner, or a simplified border, put there.
    """
    import shapely

    geod = _geod(settings.ellipsoid)
    countries = atlas.countries
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    land = countries.union_all()
    corridors = atlas.corridors
    codes = corridors["countries"] if "countries" in corridors else pd.Series(index=corridors.index)
    sourced = {
        corridor_id: set(value.split(";")) if isinstance(value, str) else set()
        for corridor_id, value in zip(corridors["corridor_id"], codes, strict=True)
    }
    rows = []
    for corridor_id, group in atlas.segments.groupby("corridor_id", sort=False):
        parts: dict[str | None, list] = {}
        for line in group.geometry:
            hits = countries.iloc[countries.sindex.query(line, predicate="intersects")]
            found = []
            for iso3, polygon in zip(hits["iso3"], hits.geometry, strict=True):
                piece = shapely.intersection(line, polygon)
                if not piece.is_empty and piece.length > 0:
                    first = shapely.get_point(shapely.get_geometry(piece, 0), 0)
                    found.append((line.project(first), iso3, piece))
            for _, iso3, piece in sorted(found, key=lambda item: item[0]):
                parts.setdefault(iso3, []).append(piece)
            rest = shapely.difference(line, land)
            if not rest.is_empty and rest.length > 0:
                parts.setdefault(None, []).append(rest)
        lengths = {k: sum(geod.geometry_length(p) for p in v) / 1000.0 for k, v in parts.items()}
        total = sum(lengths.values())
        for iso3, km in lengths.items():
            rows.append(
                {
                    "corridor_id": corridor_id,
                    "iso3": iso3,
                    "country": names.get(iso3, "(outside country polygons)"),
                    "length_km": km,
                    "share": km / total if total else float("nan"),
                    "listed": iso3 in sourced.get(corridor_id, set()),
                    "geometry": shapely.line_merge(shapely.union_all(parts[iso3])),
                }
            )
    columns = ["corridor_id", "iso3", "country", "length_km", "share", "listed"]
    frame = pd.DataFrame(rows, columns=[*columns, "geometry"])
    if geometry:
        return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return frame[columns]


def _route_parts(group: gpd.GeoDataFrame) -> list:
    """Chain a corridor's segments into continuous lines, end to start (row order is irrelevant)."""
    import shapely

    singles = [part for line in group.geometry for part in getattr(line, "geoms", [line])]
    merged = shapely.line_merge(shapely.MultiLineString(singles), directed=True)
    return list(getattr(merged, "geoms", [merged]))


def border_crossings(atlas, *, max_place_km: float = 15.0) -> gpd.GeoDataFrame:
    """Every point where a corridor's drawn line leaves one country for another.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    max_place_km
        A crossing is named after the nearest border crossing or pass of ``atlas.places`` within
        this distance (geodesic km); farther ones leave ``place`` empty.

    Returns
    -------
    geopandas.GeoDataFrame
        ``corridor_id, from_iso3, to_iso3, place, place_id, place_distance_km, geometry`` in route
        order; the point is where the line meets the border (or the middle of a stretch outside
        every polygon between two countries).
    """
    geod = _geod(settings.ellipsoid)
    named = atlas.places[atlas.places["kind"].isin(["border_crossing", "pass", "port"])]
    rows = []
    for corridor_id, group in atlas.segments.groupby("corridor_id", sort=False):
        for line in _route_parts(group):
            merged: list[list] = []
            for start, end, iso3 in _country_pieces(line, atlas.countries):
                if merged and merged[-1][2] == iso3:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end, iso3])
            for before, after in zip(merged, merged[1:], strict=False):
                point = line.interpolate((before[1] + after[0]) / 2.0)
                row = {
                    "corridor_id": corridor_id,
                    "from_iso3": before[2],
                    "to_iso3": after[2],
                    "place": None,
                    "place_id": None,
                    "place_distance_km": float("nan"),
                    "geometry": point,
                }
                if len(named):
                    _, _, metres = geod.inv(
                        [point.x] * len(named),
                        [point.y] * len(named),
                        named.geometry.x,
                        named.geometry.y,
                    )
                    best = int(pd.Series(metres).idxmin())
                    km = float(metres[best]) / 1000.0
                    if km <= max_place_km:
                        row.update(
                            place=named["name"].iloc[best],
                            place_id=named["place_id"].iloc[best],
                            place_distance_km=km,
                        )
                rows.append(row)
    columns = ["corridor_id", "from_iso3", "to_iso3", "place", "place_id", "place_distance_km"]
    frame = pd.DataFrame(rows, columns=[*columns, "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
