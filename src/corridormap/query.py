"""Ask the atlas questions: select corridors, find what lies near a place or a corridor.

Distances are true distances in kilometres: geodesic on the WGS84 ellipsoid, or measured in an
azimuthal equidistant projection centred on the query (exact for distances from its centre).
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from corridormap import settings, vocabulary
from corridormap._util import Many, as_list, check_km, check_known
from corridormap.atlas.core import Atlas, country_codes
from corridormap.atlas.history import as_of_atlas
from corridormap.errors import SelectionError


def select(
    atlas: Atlas,
    *,
    mode: Many = None,
    status: Many = None,
    country: Many = None,
    corridor: Many = None,
    bbox: tuple[float, float, float, float] | None = None,
    as_of: int | None = None,
) -> Atlas:
    """Return a smaller Atlas: the corridors matching every given filter.

    Parameters
    ----------
    atlas
        The atlas to select from.
    mode, status
        One value or several, from ``rail, road, gas_pipeline, oil_pipeline`` and
        ``operational, under_construction, planned``.
    country
        ISO3 code(s) or English name(s): corridors whose sourced route (``countries`` in
        ``projects.csv``) passes through that country. The sourced list, not the drawn line,
        decides: a sketch that cuts a corner across a border (Kordai-Merke through the Chuy
        valley) does not add a country.
    corridor
        Corridor id(s).
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees: corridors touching the box.
    as_of
        A year: the atlas as it stood then — corridors with a dated status step up to that year
        (``status_history.csv``), their ``status`` replaced by the status at that time.

    The footprint tables follow ``country`` (projects and assets in that country), ``bbox``
    (touching the box) and ``as_of`` (projects committed and assets started by then; unknown
    years left out); ``mode``, ``status`` and ``corridor`` leave them whole.

    Returns
    -------
    Atlas

    Raises
    ------
    SelectionError
        For an unknown value, a malformed bbox, or a selection that matches nothing.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> cm.select(atlas, mode="rail", country="Kyrgyzstan")
    <Atlas: 1 corridors, 4 segments, modes={'rail': 1}>
    >>> cm.select(atlas, as_of=2000).corridors[["corridor_id", "status"]]
             corridor_id       status
    1  kz_cn_rail_dostyk  operational
    """
    corridors = atlas.corridors
    keep = pd.Series(True, index=corridors.index)
    modes, statuses = as_list(mode), as_list(status)
    check_known("mode", modes, vocabulary.MODES)
    check_known("status", statuses, vocabulary.STATUSES)
    if modes:
        keep &= corridors["mode"].isin(modes)
    ids = as_list(corridor)
    check_known("corridor id", ids, corridors["corridor_id"])
    if ids:
        keep &= corridors["corridor_id"].isin(ids)
    isos = country_codes(atlas, country)
    if isos:
        listed = corridors["countries"].fillna("").str.split(";")
        keep &= listed.map(lambda codes: bool(set(codes) & set(isos)))
    if bbox is not None:
        west, south, east, north = check_bbox(bbox)
        keep &= corridors.intersects(shapely.box(west, south, east, north))
    selected = atlas.subset(corridors.loc[keep, "corridor_id"])
    if as_of is not None:
        selected = as_of_atlas(selected, int(as_of))
    if statuses:
        selected = selected.subset(
            selected.corridors.loc[selected.corridors["status"].isin(statuses), "corridor_id"]
        )
    if len(selected) == 0:
        raise SelectionError("the selection matches no corridor")
    if isos or bbox is not None or as_of is not None:
        selected = _footprint_selected(selected, isos, bbox, as_of)
    return selected


def _footprint_selected(atlas: Atlas, isos: list[str], bbox: Any, as_of: int | None) -> Atlas:
    """The finance and energy rows the same filters keep (country, bbox, year)."""
    from dataclasses import replace

    finance, energy = atlas.finance, atlas.energy
    if isos:
        wanted = set(isos)
        finance = finance[finance["countries"].fillna("").str.split(";").map(wanted.intersection)
                          .astype(bool)]  # fmt: skip
        energy = energy[energy["countries"].fillna("").str.split(";").map(wanted.intersection)
                        .astype(bool)]  # fmt: skip
    if bbox is not None:
        box = shapely.box(*check_bbox(bbox))
        finance, energy = finance[finance.intersects(box)], energy[energy.intersects(box)]
    if as_of is not None:
        # a project from its commitment year, an asset from its start year (unknown: left out)
        finance = finance[finance["commitment_year"].fillna(9999) <= int(as_of)]
        energy = energy[energy["start_year"].fillna(9999) <= int(as_of)]
    return replace(
        atlas, finance=finance.reset_index(drop=True), energy=energy.reset_index(drop=True)
    )


def check_bbox(bbox: Any, *, name: str = "bbox") -> tuple[float, float, float, float]:
    """Read ``(min_lon, min_lat, max_lon, max_lat)`` in degrees; a clear error names ``name``.

    Raises
    ------
    SelectionError
        If it is not four numbers, or min is not below max, or a value is outside lon/lat range.
    """
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise SelectionError(
            f"{name} must be four numbers min_lon,min_lat,max_lon,max_lat (e.g. 70,39,76,42); "
            f"got {bbox!r}"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise SelectionError(
            f"{name} must be min_lon,min_lat,max_lon,max_lat with min < max (e.g. 70,39,76,42); "
            f"got {bbox!r}"
        )
    return west, south, east, north


# --------------------------------------------------------------------------- distances


@cache
def _aeqd(lon: float, lat: float) -> CRS:
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


def _distances_from(center: BaseGeometry, frame: gpd.GeoDataFrame) -> pd.Series:
    """Kilometres from ``center`` to each geometry, in an equidistant projection at the centre."""
    anchor = center.centroid if not isinstance(center, Point) else center
    crs = _aeqd(round(anchor.x, 6), round(anchor.y, 6))
    projected = frame.geometry.to_crs(crs)
    origin = gpd.GeoSeries([center], crs="EPSG:4326").to_crs(crs).iloc[0]
    km = projected.distance(origin).to_numpy() / 1000.0
    # A place's distance to itself comes back as ~1e-12 km from the projection round trip.
    return pd.Series(np.where(km < 1e-6, 0.0, km), index=frame.index)


def place_matches(atlas: Atlas, place: str) -> gpd.GeoDataFrame:
    """The places a name or id stands for: an exact id or name, else every name containing it.

    Parameters
    ----------
    atlas
        The atlas.
    place
        A place id or name, or part of a name (case-insensitive).

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of ``atlas.places``: one for an exact match, several when a part of a name matches
        more than one place, none when nothing matches.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> cm.place_matches(atlas, "Khorgos")[["place_id", "kind"]]
                         place_id             kind
    10      altynkol_khorgos_rail  border_crossing
    26  cagp_kz_cn_border_khorgos  border_crossing
    35               icbc_khorgos       trade_zone
    45                 khorgos_cn             city
    46        khorgos_gas_station         terminal
    47            khorgos_gateway         dry_port
    48          khorgos_nur_zholy  border_crossing
    >>> cm.place_matches(atlas, "osh")[["place_id", "name", "kind"]]
       place_id name  kind
    64      osh  Osh  city
    """
    places = atlas.places
    wanted = place.strip().casefold()
    names = [c for c in ("name", "name_en") if c in places]  # name_en: a translated atlas
    for column in ("place_id", *names):
        hit = places[places[column].str.casefold() == wanted]
        if len(hit):
            return hit.iloc[[0]]
    found = places[names[0]].str.casefold().str.contains(wanted, regex=False)
    for column in names[1:]:
        found |= places[column].astype(str).str.casefold().str.contains(wanted, regex=False)
    return places[found]


def _resolve_place(atlas: Atlas, place: str) -> BaseGeometry:
    hit = place_matches(atlas, place)
    if len(hit) == 1:
        return hit.geometry.iloc[0]
    if len(hit) > 1:
        listed = "; ".join(f"{i} ({n})" for i, n in zip(hit["place_id"], hit["name"], strict=True))
        raise SelectionError(
            f"place {place!r} matches {len(hit)} places; give one of their ids: {listed}"
        )
    places = atlas.places
    words = {w: n for n in places["name"] for w in n.replace("(", " ").replace(")", " ").split()}
    by_id = dict(zip(places["place_id"], places["name"], strict=True))
    close = difflib.get_close_matches(place, list(words), n=3, cutoff=0.75)
    close += difflib.get_close_matches(place, list(by_id), n=3, cutoff=0.75)
    names = list(dict.fromkeys(words.get(c) or by_id[c] for c in close))
    hint = f"; did you mean {', '.join(names)}?" if names else ""
    raise SelectionError(
        f"unknown place {place!r}: not in the gazetteer ({len(places)} places in "
        f"geo/places.geojson){hint}"
    )


def _query_geometry(
    atlas: Atlas,
    lat: float | None,
    lon: float | None,
    place: str | None,
    geometry: BaseGeometry | None,
) -> BaseGeometry:
    given = [lat is not None or lon is not None, place is not None, geometry is not None]
    if sum(given) != 1:
        raise SelectionError("give exactly one of: lat= and lon=, place=, geometry=")
    if place is not None:
        return _resolve_place(atlas, place)
    if geometry is not None:
        return geometry
    if lat is None or lon is None:
        raise SelectionError("give both lat= and lon=")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SelectionError(
            f"lat must be within ±90 and lon within ±180; got lat={lat}, lon={lon}"
        )
    west, south, east, north = settings.region_bbox
    inside = lambda x, y: west <= x <= east and south <= y <= north  # noqa: E731
    if not inside(lon, lat) and inside(lat, lon):
        raise SelectionError(
            f"lat={lat}, lon={lon} is outside the atlas region (lon {west:g} to {east:g}, lat "
            f"{south:g} to {north:g}); lat and lon look swapped: try lat={lon}, lon={lat}"
        )
    return Point(float(lon), float(lat))


def near(
    atlas: Atlas,
    *,
    lat: float | None = None,
    lon: float | None = None,
    place: str | None = None,
    geometry: BaseGeometry | None = None,
    km: float,
) -> gpd.GeoDataFrame:
    """Corridors and places within ``km`` of a location, nearest first.

    Parameters
    ----------
    atlas
        The atlas.
    lat, lon
        A location in degrees (keywords, so they cannot be swapped silently).
    place
        Or a place of the atlas by id or name (e.g. ``"Osh"``).
    geometry
        Or any shapely geometry in lon/lat.
    km
        Search radius in kilometres.

    Returns
    -------
    geopandas.GeoDataFrame
        ``kind`` (``corridor`` or the place kind), ``id``, ``name``, ``distance_km`` and the
        feature's geometry, sorted by distance. Distances are measured in an azimuthal
        equidistant projection centred on the location (exact from a point).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> cm.near(atlas, place="Osh", km=30)[["kind", "id", "distance_km"]].round(1)
                  kind              id  distance_km
    0             city             osh          0.0
    1         corridor     cku_highway          0.2
    2  border_crossing  dostuk_dustlik          7.0
    3         corridor     cku_railway         29.6
    >>> cm.near(atlas, lat=40.9, lon=72.9, km=20)[["kind", "id", "distance_km"]].round(1)
           kind                   id  distance_km
    0  corridor          cku_railway          8.0
    1  corridor  kg_north_south_road          9.0
    2      city           jalal_abad          9.3
    """
    km = check_km(km)
    center = _query_geometry(atlas, lat, lon, place, geometry)
    corridors = atlas.corridors
    places = atlas.places
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "kind": "corridor",
                    "id": corridors["corridor_id"],
                    "name": corridors["name"],
                    "mode": corridors["mode"],
                    "distance_km": _distances_from(center, corridors),
                    "geometry": corridors.geometry,
                }
            ),
            pd.DataFrame(
                {
                    "kind": places["kind"],
                    "id": places["place_id"],
                    "name": places["name"],
                    "mode": None,
                    "distance_km": _distances_from(center, places),
                    "geometry": places.geometry,
                }
            ),
        ],
        ignore_index=True,
    )
    rows = rows[rows["distance_km"] <= km].sort_values(["distance_km", "id"], kind="stable")
    return gpd.GeoDataFrame(rows.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


def catchment(atlas: Atlas, corridor_id: str, *, km: float) -> gpd.GeoDataFrame:
    """Places within ``km`` of a corridor, nearest first.

    Parameters
    ----------
    atlas
        The atlas.
    corridor_id
        The corridor.
    km
        Distance in kilometres.

    Returns
    -------
    geopandas.GeoDataFrame
        The places' columns plus ``distance_km`` (measured in an equidistant projection centred
        on each place, so exact for that place).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> places = cm.catchment(atlas, "cku_highway", km=10)
    >>> places[["place_id", "kind", "distance_km"]].round(1).tail(4)
       place_id  kind  distance_km
    6   andijan  city          0.8
    7     wuqia  city          2.1
    8  namangan  city          2.2
    9  tashkent  city          5.4
    """
    check_known("corridor id", [corridor_id], atlas.corridors["corridor_id"])
    km = check_km(km)
    line = atlas.corridors.loc[atlas.corridors["corridor_id"] == corridor_id].iloc[[0]]
    distances = [float(_distances_from(point, line).iloc[0]) for point in atlas.places.geometry]
    out = atlas.places.copy()
    out["distance_km"] = distances
    out = out[out["distance_km"] <= km].sort_values(["distance_km", "place_id"], kind="stable")
    return out.reset_index(drop=True)
