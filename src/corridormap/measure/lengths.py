"""Geodesic lengths on the WGS84 ellipsoid — never in degrees.

Functions here are pure: they take GeoSeries/GeoDataFrames in EPSG:4326 and return Series aligned
to the input index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, overload

import geopandas as gpd
import pandas as pd

from corridormap import settings
from corridormap._format import drawn_label as drawn_label  # its home is _format
from corridormap._geodesy import ellipsoid_geod
from corridormap._geodesy import geodesic_length_km as geodesic_length_km  # its public home is here
from corridormap._memo import per_atlas

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from corridormap.atlas.core import Atlas


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


def fidelity(atlas: Atlas) -> pd.DataFrame:
    """Compare each segment's drawn geodesic length with its reported length.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``segment_id, corridor_id, length_km, length_km_reported,
        diff_pct, positional_accuracy_km, accuracy_class``; ``diff_pct`` is empty where no
        length was reported.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> table = cm.fidelity(cm.select(atlas, corridor="cku_railway"))
    >>> table[["segment_id", "length_km", "length_km_reported", "accuracy_class"]].round(1)
                           segment_id  length_km  length_km_reported accuracy_class
    0   cku_railway__kashgar_torugart      135.4               158.0         sketch
    1    cku_railway__torugart_makmal      142.6               160.0         sketch
    2   cku_railway__makmal_jalalabad      113.1               145.0         sketch
    3  cku_railway__jalalabad_andijan       69.0                69.0         sketch
    """
    segments = atlas.segments
    out = segments[
        ["segment_id", "corridor_id", "length_km", "length_km_reported", "positional_accuracy_km"]
    ].copy()
    reported = out["length_km_reported"].astype(float)
    out["diff_pct"] = (out["length_km"] - reported) / reported * 100.0
    out["accuracy_class"] = accuracy_class(out["positional_accuracy_km"])
    return pd.DataFrame(out).reset_index(drop=True)


def _sourced(atlas: Atlas) -> dict[str, set[str]]:
    corridors = atlas.corridors
    codes = corridors["countries"] if "countries" in corridors else pd.Series(index=corridors.index)
    return {
        corridor_id: set(value.split(";")) if isinstance(value, str) else set()
        for corridor_id, value in zip(corridors["corridor_id"], codes, strict=True)
    }


@overload
def lengths_by_country(
    atlas: Atlas,
    *,
    geometry: Literal[False] = False,
    artefact_km: float | None = None,
    country: str | Iterable[str] | None = None,
) -> pd.DataFrame: ...


@overload
def lengths_by_country(
    atlas: Atlas,
    *,
    geometry: Literal[True],
    artefact_km: float | None = None,
    country: str | Iterable[str] | None = None,
) -> gpd.GeoDataFrame: ...


@overload
def lengths_by_country(
    atlas: Atlas,
    *,
    geometry: bool,
    artefact_km: float | None = None,
    country: str | Iterable[str] | None = None,
) -> pd.DataFrame: ...


@per_atlas(by_corridor=True)  # computed once per atlas (popups, choropleth, revenue, briefs)
def lengths_by_country(
    atlas: Atlas,
    *,
    geometry: bool = False,
    artefact_km: float | None = None,
    country: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Geodesic kilometres of each corridor inside each country it crosses.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    geometry
        Also return the pieces of line counted for each country (a GeoDataFrame).
    artefact_km
        Passes into a country the sources do not list that are at most this long count for the
        listed country beside them; ``None`` means ``settings.border_artefact_km``. Deeper
        passes that stay within the line's positional accuracy (plus
        ``settings.border_polygon_accuracy_km``) count for it too.
    country
        ISO3 code(s): only the rows of these countries (select the corridors that run there
        with :func:`corridormap.select` first).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        A GeoDataFrame (EPSG:4326, the pieces as ``geometry``) with ``geometry=True``, else a
        DataFrame: ``corridor_id, iso3, country, length_km, share, listed, km_reassigned,
        length_km_reported, length_km_reported_min, length_km_reported_max`` in route order of
        first entry; ``share`` is the fraction of the corridor's drawn length. ``km_reassigned``
        is the part of ``length_km`` that the drawn line puts in another, unlisted country (a
        sketch cutting a corner, a road along a river border drawn with a simplified border).
        Stretches outside every country polygon (e.g. a port pier over water) appear with an
        empty ``iso3`` so sums stay complete. ``listed`` is False where the sources do not route
        the corridor through that country (``countries`` in ``projects.csv``) and the pass is
        too long and deep to be an artefact: a drawing that contradicts the sources.
        ``length_km_reported`` is the published figure for the corridor in that country (see
        ``data/segments.csv``'s reported lengths of the segments that lie in that country, or
        ``data/length_claims.csv``), with the lowest and highest figure published; empty where
        none is.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> table = cm.lengths_by_country(cm.select(atlas, corridor="cku_railway"))
    >>> table[["corridor_id", "iso3", "length_km", "length_km_reported", "listed"]].round(1)
       corridor_id iso3  length_km  length_km_reported  listed
    0  cku_railway  CHN      134.4               158.0    True
    1  cku_railway  KGZ      264.4               304.9    True
    2  cku_railway  UZB       61.3                69.0    True

    With ``geometry=True``, the pieces of line counted for each country:

    >>> pieces = cm.lengths_by_country(atlas, geometry=True, country="KGZ")
    >>> pieces[["corridor_id", "length_km"]].round(1).head(3)
       corridor_id  length_km
    0  cku_railway      264.4
    1       cagp_d      189.2
    2  cku_highway      243.7
    """
    import shapely

    from corridormap.measure._borders import corridor_runs

    names = dict(zip(atlas.countries["iso3"], atlas.countries["name"], strict=True))
    sourced = _sourced(atlas)
    runs_by_corridor = corridor_runs(atlas, artefact_km=artefact_km)
    rows: dict[tuple, dict] = {}
    totals: dict[str, float] = {}
    for corridor_id, _, runs in runs_by_corridor:
        for run in runs:
            row = rows.setdefault((corridor_id, run.iso3), {"km": 0.0, "moved": 0.0, "parts": []})
            row["km"] += run.km
            row["moved"] += run.km if run.artefact else 0.0
            row["parts"].extend(run.pieces)
            totals[corridor_id] = totals.get(corridor_id, 0.0) + run.km
    from corridormap.measure._reported import reported_by_country

    reported = reported_by_country(atlas, runs_by_corridor, artefact_km=artefact_km)
    accuracy = _accuracy_by_country(atlas, runs_by_corridor, artefact_km=artefact_km)
    out = []
    for (corridor_id, iso3), row in rows.items():
        total = totals[corridor_id]
        figure = reported.get((corridor_id, iso3), (float("nan"),) * 3)
        out.append(
            {
                "corridor_id": corridor_id,
                "iso3": iso3,
                "country": names.get(iso3, "(outside country polygons)"),
                "length_km": row["km"],
                "share": row["km"] / total if total else float("nan"),
                "listed": iso3 in sourced.get(corridor_id, set()),
                "km_reassigned": row["moved"],
                "positional_accuracy_km": accuracy.get((corridor_id, iso3), float("nan")),
                "length_km_reported": figure[0],
                "length_km_reported_min": figure[1],
                "length_km_reported_max": figure[2],
                "geometry": shapely.line_merge(shapely.union_all(row["parts"])),
            }
        )
    columns = [
        "corridor_id",
        "iso3",
        "country",
        "length_km",
        "share",
        "listed",
        "km_reassigned",
        "positional_accuracy_km",
        "length_km_reported",
        "length_km_reported_min",
        "length_km_reported_max",
    ]
    frame = pd.DataFrame(out, columns=[*columns, "geometry"])
    wanted = _countries(atlas, country)
    if wanted:
        frame = frame[frame["iso3"].isin(wanted)].reset_index(drop=True)
    if geometry:
        return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return frame[columns]


def _accuracy_by_country(
    atlas: Atlas, runs_by_corridor: list, *, artefact_km: float | None = None
) -> dict[tuple[str, str], float]:
    """How far the drawn line may be off in each country: the worst accuracy of its segments there.

    A segment counts for a country where it has at least ``artefact_km`` (default
    ``settings.border_artefact_km``; the same threshold as the lengths') or half its km there, so
    a sketch's corner cut across a border does not set a country's figure.
    """
    threshold = settings.border_artefact_km if artefact_km is None else float(artefact_km)
    from corridormap.measure._reported import _segment_km

    parts: dict[str, list] = {}
    for corridor_id, line, runs in runs_by_corridor:
        parts.setdefault(corridor_id, []).append((line, runs))
    out: dict[tuple[str, str], float] = {}
    segments = atlas.segments
    accuracies = segments.get("positional_accuracy_km", pd.Series(float("nan"), segments.index))
    rows = zip(segments["corridor_id"], accuracies, segments.geometry, strict=True)
    for corridor_id, accuracy, line in rows:
        if pd.isna(accuracy):
            continue
        by_country = _segment_km(line, parts.get(corridor_id, []))
        total = sum(by_country.values())
        for iso3, km in by_country.items():
            if iso3 is None or not (km >= threshold or km >= 0.5 * total):
                continue
            key = (corridor_id, iso3)
            out[key] = max(out.get(key, float("-inf")), float(accuracy))
    return out


def _countries(atlas: Atlas, country: str | Iterable[str] | None) -> list[str]:
    """Checked, upper-case ISO3 codes (``[]`` for ``None``)."""
    from corridormap.atlas.core import country_codes

    return country_codes(atlas, country)


def country_totals(atlas: Atlas, *, lengths: pd.DataFrame | None = None) -> pd.DataFrame:
    """Kilometres per country and mode of a :func:`lengths_by_country` table, shared track once.

    Only countries the sources name count (``listed``); rail, road and pipeline km are never
    added together. Two corridors that share track (the Zhetygen–Altynkol railway is also the
    first part of the Trans-Caspian route's Altynkol–Almaty segment) are measured over the union
    of their lines: each km of track counts once.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it): the mode of each corridor.
    lengths
        A :func:`lengths_by_country` table of it; ``None`` computes it.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, mode, corridors, length_km, shared_km, length_km_reported``, largest
        first. ``length_km`` is the geodesic length of the union of the lines (in a metric
        projection, ends within ``settings.shared_track_m`` snapped together); ``shared_km`` is
        how much the corridors' own km add up to more than that (track counted by two
        corridors). ``length_km_reported`` is the sum of the published figures where every
        corridor in the row has one and none shares track, else empty.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> totals = cm.country_totals(atlas)
    >>> totals[["iso3", "mode", "corridors", "length_km", "shared_km"]].round(0).head(3)
      iso3          mode  corridors  length_km  shared_km
    0  KAZ          rail          4     3563.0      283.0
    1  KAZ  oil_pipeline          1     2722.0        0.0
    2  KAZ          road          1     2522.0        0.0
    """
    if lengths is None:
        lengths = lengths_by_country(atlas)
    pieces = lengths_by_country(atlas, geometry=True)
    keys = zip(pieces["corridor_id"], pieces["iso3"], strict=True)
    shapes = dict(zip(keys, pieces.geometry, strict=True))
    modes = atlas.corridors.set_index("corridor_id")["mode"]
    rows = lengths[lengths["listed"].astype(bool) & lengths["iso3"].notna()]
    rows = rows.assign(mode=rows["corridor_id"].map(modes))
    out = []
    for (iso3, country, mode), group in rows.groupby(["iso3", "country", "mode"], sort=False):
        lines = [shapes.get(k) for k in zip(group["corridor_id"], group["iso3"], strict=True)]
        km = union_km(lines) if len(group) > 1 else float(group["length_km"].sum())
        shared = max(float(group["length_km"].sum()) - km, 0.0)
        reported = group["length_km_reported"].sum(min_count=len(group))
        out.append(
            {
                "iso3": iso3,
                "country": country,
                "mode": mode,
                "corridors": group["corridor_id"].nunique(),
                "length_km": km,
                "shared_km": shared,
                "length_km_reported": reported if shared < 1.0 else float("nan"),
            }
        )
    columns = ["iso3", "country", "mode", "corridors", "length_km", "shared_km"]
    frame = pd.DataFrame(out, columns=[*columns, "length_km_reported"])
    frame = frame.sort_values(["length_km", "iso3", "mode"], ascending=[False, True, True])
    return frame.reset_index(drop=True)


def union_km(lines: Iterable[BaseGeometry | None]) -> float:
    """Geodesic km of the union of lines (lon/lat), each stretch of shared track counted once.

    The lines are projected to an azimuthal equidistant projection centred on them, vertices
    within ``settings.shared_track_m`` of another line are snapped onto it, the union is taken
    there and measured on the WGS84 ellipsoid.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> a = LineString([(76.0, 43.0), (77.0, 43.0)])
    >>> b = LineString([(76.5, 43.0), (78.0, 43.0)])  # half of it is a's track
    >>> round(union_km([a, b]))
    163
    """
    import shapely
    from pyproj import CRS, Transformer

    geoms = [g for g in lines if g is not None and not g.is_empty]
    if not geoms:
        return 0.0
    centre = shapely.union_all(geoms).centroid
    aeqd = CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y:.6f} +lon_0={centre.x:.6f} +datum=WGS84 +units=m"
    )
    forward = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True).transform
    back = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True).transform

    def project(geom, how):
        return shapely.transform(geom, lambda x, y: how(x, y), interleaved=False)

    merged = project(geoms[0], forward)
    for geom in geoms[1:]:
        projected = shapely.snap(project(geom, forward), merged, settings.shared_track_m)
        merged = shapely.union(merged, projected)
    lonlat = project(shapely.line_merge(merged), back)
    return float(ellipsoid_geod(settings.ellipsoid).geometry_length(lonlat)) / 1000.0


def reported_label(row) -> str:
    """The published km of a :func:`lengths_by_country` row as text, ``""`` if none.

    The current figure leads; where older or other sources disagree, their range follows it (never
    a sum of figures from different editions).

    Examples
    --------
    >>> reported_label({"length_km_reported": 213.0, "length_km_reported_min": 213.0,
    ...                 "length_km_reported_max": 213.0})
    '213'
    >>> reported_label({"length_km_reported": 305.0, "length_km_reported_min": 260.0,
    ...                 "length_km_reported_max": 311.8})
    '305 (sources 260–312)'
    """
    low, high = row.get("length_km_reported_min"), row.get("length_km_reported_max")
    value = row.get("length_km_reported")
    if value is None or pd.isna(value):
        return ""
    text = f"{round(float(value)):,}"
    if low is not None and high is not None and not pd.isna(low) and round(low) != round(high):
        text += f" (sources {round(float(low)):,}–{round(float(high)):,})"
    return text


def reported_phrase(row) -> str:
    """The published km of a :func:`lengths_by_country` row for a sentence, ``""`` if none.

    Examples
    --------
    >>> reported_phrase({"length_km_reported": 158.0, "length_km_reported_min": 155.0,
    ...                  "length_km_reported_max": 213.0})
    'reported 158 km; sources 155–213 km'
    """
    text = reported_label(row)
    if not text:
        return ""
    value, _, spread = text.partition(" (sources ")
    return f"reported {value} km" + (f"; sources {spread.rstrip(')')} km" if spread else "")


def _place_modes(atlas: Atlas) -> pd.Series:
    """The modes of the corridors each place serves (its ``corridor_ids``), by row."""
    modes = dict(zip(atlas.corridors["corridor_id"], atlas.corridors["mode"], strict=True))
    ids = atlas.places["corridor_ids"].fillna("").str.split(";")
    return ids.map(lambda values: {modes[v] for v in values if v in modes})


def border_crossings(
    atlas: Atlas,
    *,
    km: float = 15.0,
    artefact_km: float | None = None,
    country: str | Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Every point where a corridor's drawn line leaves one country for another.

    A pass into a country the sources do not list that is a border artefact (see
    :func:`lengths_by_country`) is not a crossing; a line that ends just past a border it
    reaches keeps that crossing, its last km counting for the country before it.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    km
        A crossing is named after the nearest border crossing, pass or port of ``atlas.places``
        serving a corridor of the same mode (``corridor_ids``), within this distance (geodesic
        km); farther ones leave ``place`` empty.
    artefact_km
        As for :func:`lengths_by_country`: a tolerance on the length of a pass, not a
        distance cut-off.
    country
        ISO3 code(s): only crossings into or out of these countries.

    Returns
    -------
    geopandas.GeoDataFrame
        ``corridor_id, mode, from_iso3, to_iso3, listed, place, place_id, place_distance_km,
        geometry`` in route order; ``listed`` is True when the sources name both countries. The
        point is where the line meets the border (or the middle of a stretch outside every
        polygon between two countries).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> crossings = cm.border_crossings(atlas, country="TJK")
    >>> crossings[["corridor_id", "from_iso3", "to_iso3", "place"]]
         corridor_id from_iso3 to_iso3                                      place
    0         cagp_d       UZB     TJK  Gas Line D UZ/TJ border (near Tursunzoda)
    1         cagp_d       TJK     KGZ                                    Karamyk
    2  cn_tj_highway       CHN     TJK                                 Kulma Pass

    ``km`` is how far the nearest post may be for a crossing to take its name:

    >>> cku = cm.select(atlas, corridor="cku_railway")
    >>> cm.border_crossings(cku)[["from_iso3", "to_iso3", "place", "place_distance_km"]].round(1)
      from_iso3 to_iso3          place  place_distance_km
    0       CHN     KGZ  Torugart Pass                1.1
    1       KGZ     UZB            NaN                NaN
    >>> list(cm.border_crossings(cku, km=1)["place"].isna())
    [True, True]
    """
    from corridormap.measure._borders import corridor_runs

    geod = ellipsoid_geod(settings.ellipsoid)
    corridor_modes = dict(zip(atlas.corridors["corridor_id"], atlas.corridors["mode"], strict=True))
    posts = atlas.places["kind"].isin(["border_crossing", "pass", "port"])
    place_modes = _place_modes(atlas)
    sourced = _sourced(atlas)
    rows = []
    for corridor_id, line, runs in corridor_runs(atlas, artefact_km=artefact_km):
        mode = corridor_modes.get(corridor_id)
        named = atlas.places[posts & place_modes.map(lambda m, mode=mode: mode in m)]
        merged: list[list] = []
        for run in runs:
            if run.drawn is None:
                continue
            # An artefact pass between stretches of one country is part of that country.
            key = run.iso3 if run.artefact and _between(runs, run) else run.drawn
            if merged and merged[-1][2] == key:
                merged[-1][1] = max(merged[-1][1], run.end)
            else:
                merged.append([run.start, run.end, key])
        for before, after in zip(merged, merged[1:], strict=False):
            point = line.interpolate((before[1] + after[0]) / 2.0)
            row = {
                "corridor_id": corridor_id,
                "mode": mode,
                "from_iso3": before[2],
                "to_iso3": after[2],
                "listed": {before[2], after[2]} <= sourced.get(corridor_id, set()),
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
                distance = float(metres[best]) / 1000.0
                if distance <= km:
                    row.update(
                        place=named["name"].iloc[best],
                        place_id=named["place_id"].iloc[best],
                        place_distance_km=distance,
                    )
            rows.append(row)
    columns = [
        "corridor_id",
        "mode",
        "from_iso3",
        "to_iso3",
        "listed",
        "place",
        "place_id",
        "place_distance_km",
    ]
    frame = pd.DataFrame(rows, columns=[*columns, "geometry"])
    wanted = _countries(atlas, country)
    if wanted:
        keep = frame["from_iso3"].isin(wanted) | frame["to_iso3"].isin(wanted)
        frame = frame[keep].reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _between(runs: list, run) -> bool:
    """Whether a run has a stretch in some country both before and after it."""
    index = next(i for i, other in enumerate(runs) if other is run)
    return any(r.drawn for r in runs[:index]) and any(r.drawn for r in runs[index + 1 :])
