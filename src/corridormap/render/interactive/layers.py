"""The map's layers: the offline country basemap, one layer per mode, and the places.

Coordinates are simplified and rounded to what the map needs, so the self-contained file stays
small; every label reaches the page through :mod:`.popups` (escaped).
"""

from __future__ import annotations

from collections.abc import Iterable

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from corridormap import settings, vocabulary
from corridormap._i18n import _
from corridormap._memo import per_atlas
from corridormap._util import is_sketch
from corridormap.atlas.core import Atlas, place_uses
from corridormap.measure.lengths import lengths_by_country
from corridormap.render import styles
from corridormap.render.interactive import assets, labels, popups
from corridormap.render.interactive.assets import Tag
from corridormap.render.interactive.legend import Basemap, PlaceNames
from corridormap.render.interactive.popups import esc
from corridormap.revenue import revenue_by_corridor

#: Decimals kept for line vertices and places (≈10 m) and country outlines (≈100 m).
LINE_DECIMALS = 4
COUNTRY_DECIMALS = 3
#: Simplification tolerances in degrees for display. Lines: 0.001° (≈110 m north-south, ≈85 m
#: east-west at 40° N), under one screen pixel at zoom 10 (≈115 m there), the closest view the
#: corridors are drawn for; the traced lines keep every vertex in geo/ and in the exports.
#: Countries: ≈2 km.
LINE_TOLERANCE = 0.001
COUNTRY_TOLERANCE = 0.02
#: The sketch halo (13 px wide, ≈1.5 km at zoom 10) is drawn from a coarser line (≈500 m).
HALO_TOLERANCE = 0.005
#: Degrees of basemap kept around ``settings.region_bbox`` (the rest of Eurasia is clipped off).
MARGIN = 12.0
#: A country covering this share of the first view is named inside it.
LABEL_MIN_SHARE = 0.03
#: Extra country names along the corridors: cell size (degrees), share of a cell a country
#: must fill, and the zoom they show from.
LOCAL_LABEL_CELL = 1.5
LOCAL_LABEL_SHARE = 0.25
LOCAL_LABEL_ZOOM = 7
#: Panes, bottom to top (Leaflet's overlayPane, where lines go, is at 400).
PANES = {
    "cm-countries": 250,
    "cm-revenue": 255,
    "cm-labels": 260,
    "cm-halos": 390,
    "cm-places": 450,
    "cm-place-names": 460,
}
#: Panes that never take the mouse (labels drawn over what a reader hovers).
PASSIVE_PANES = {"cm-labels", "cm-place-names"}


def _latlon(geometry, decimals: int, tolerance: float) -> list[list[list[float]]]:
    """Parts of a (multi)line or ring as ``[[lat, lon], ...]`` lists, simplified and rounded."""
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    parts = getattr(simple, "geoms", [simple])
    return [np.round(np.asarray(p.coords)[:, ::-1], decimals).tolist() for p in parts]


def _country_geojson(countries: gpd.GeoDataFrame, selected: Iterable[str]) -> dict:
    chosen = set(selected)
    west, south, east, north = settings.region_bbox
    frame = shapely.box(west - MARGIN, south - MARGIN, east + MARGIN, north + MARGIN)
    clipped = countries.geometry.intersection(frame)
    simple = clipped.simplify(COUNTRY_TOLERANCE, preserve_topology=True)
    rounded = shapely.set_precision(simple.to_numpy(), 10**-COUNTRY_DECIMALS)
    features = [
        {
            "type": "Feature",
            "properties": {"selected": iso3 in chosen},
            "geometry": shapely.geometry.mapping(geom),
        }
        for iso3, geom in zip(countries["iso3"], rounded, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _label_points(
    countries: gpd.GeoDataFrame, frame: tuple[float, float, float, float]
) -> list[tuple[float, float, str]]:
    """Where each country's name goes, so the map as first shown names what it shows.

    A country covering at least :data:`LABEL_MIN_SHARE` of ``frame`` (the view, padded) is named
    inside it: at Natural Earth's label point if that is in view, else at the pole of
    inaccessibility of its visible part (China's label point is in Sichuan, Uzbekistan's far from
    the Fergana valley). Other countries keep their label point if it lies in the region, for
    panning.
    """
    region = shapely.box(*settings.region_bbox)
    view = shapely.box(*frame)
    points = []
    for lat, lon, name, geom in zip(
        countries["label_lat"],
        countries["label_lon"],
        countries["name"],
        countries.geometry,
        strict=True,
    ):
        if pd.isna(lat) or pd.isna(lon) or geom is None:
            continue
        anchor = shapely.Point(lon, lat)
        visible = geom.intersection(view)
        if view.contains(anchor) and visible.contains(anchor):
            pass
        elif not visible.is_empty and visible.area >= LABEL_MIN_SHARE * view.area:
            largest = max(getattr(visible, "geoms", [visible]), key=lambda part: part.area)
            anchor = shapely.ops.polylabel(largest, tolerance=0.01 * (frame[2] - frame[0]))
        elif not region.contains(anchor):
            continue
        points.append((round(float(anchor.y), 3), round(float(anchor.x), 3), name))
    return points


def _local_label_points(
    countries: gpd.GeoDataFrame, segments: gpd.GeoDataFrame
) -> list[tuple[float, float, str]]:
    """Extra country names along the corridors, for the zoomed-in map (which enclave is whose).

    The corridors' extent is cut into cells of :data:`LOCAL_LABEL_CELL` degrees; in a cell a
    corridor crosses, a country filling at least :data:`LOCAL_LABEL_SHARE` of it is named at the
    pole of inaccessibility of its part there.
    """
    west, south, east, north = segments.total_bounds
    step = LOCAL_LABEL_CELL
    cells = np.array(
        [
            shapely.box(x, y, x + step, y + step)
            for x in np.arange(np.floor(west), east, step)
            for y in np.arange(np.floor(south), north, step)
        ]
    )
    cells = cells[shapely.intersects(cells, segments.geometry.union_all())]
    tree = shapely.STRtree(cells)
    points = []
    for name, geom in zip(countries["name"], countries.geometry, strict=True):
        if geom is None:
            continue
        # Only the cells the country touches (in cell order): the others' parts are empty.
        touched = cells[np.sort(tree.query(geom, predicate="intersects"))]
        parts = shapely.intersection(touched, geom)
        for part in parts[shapely.area(parts) >= LOCAL_LABEL_SHARE * step * step]:
            largest = max(getattr(part, "geoms", [part]), key=lambda p: p.area)
            anchor = shapely.ops.polylabel(largest, tolerance=0.02)
            points.append((round(float(anchor.y), 3), round(float(anchor.x), 3), name))
    return points


def name_layout(
    atlas: Atlas, places: gpd.GeoDataFrame, bounds: list[list[float]]
) -> tuple[list[tuple], list[tuple]]:
    """Country names and place names with their placement code per zoom (see :mod:`.labels`).

    Returns ``(countries, places)``: ``(lat, lon, name, codes)`` and
    ``(lat, lon, name, kind, codes)`` tuples.
    """
    countries = atlas.countries.assign(_area=shapely.area(atlas.countries.geometry.to_numpy()))
    countries = countries.sort_values(["_area", "iso3"], ascending=[False, True], kind="stable")
    (south, west), (north, east) = bounds
    pad = 0.1 * max(east - west, north - south)
    country_points = _label_points(countries, (west - pad, south - pad, east + pad, north + pad))
    named = [
        (round(p.y, LINE_DECIMALS), round(p.x, LINE_DECIMALS), styles.short_place_name(n), kind)
        for p, n, kind in zip(places.geometry, places["name"], places["kind"], strict=True)
        if kind in styles.NAMED_PLACE_KINDS
    ]
    # A translated name keeps its English one as the key of display priorities (main cities).
    english = places["name_en"] if "name_en" in places else places["name"]
    keys = {
        styles.short_place_name(n): str(e)
        for n, e, kind in zip(places["name"], english, places["kind"], strict=True)
        if kind in styles.NAMED_PLACE_KINDS and n != e
    }
    local = _local_label_points(countries, atlas.segments)
    # The region's own states (and China) are named first: the first view names all five.
    focus = set(countries.loc[countries["iso3"].isin([*styles.FOCUS_COUNTRIES, "CHN"]), "name"])
    country_points = sorted(country_points, key=lambda point: point[2] not in focus)
    wanted = [
        labels.Label(lat, lon, name.upper(), "country", focus=name in focus)
        for lat, lon, name in country_points
    ]
    wanted += sorted(
        (labels.Label(lat, lon, name, kind) for lat, lon, name, kind in named),
        key=lambda label: labels.priority(label, keys.get(label.text)),
    )
    wanted += [
        labels.Label(lat, lon, name.upper(), "country", min_zoom=LOCAL_LABEL_ZOOM)
        for lat, lon, name in local
    ]
    markers = [(p.y, p.x) for p in places.geometry]
    codes = dict(zip(wanted, labels.layout(wanted, markers), strict=True))
    everywhere = [*country_points, *local]
    country_labels = [*wanted[: len(country_points)], *wanted[len(wanted) - len(local) :]]
    return (
        [(*point, codes[label]) for point, label in zip(everywhere, country_labels, strict=True)],
        [
            (lat, lon, name, kind, codes[labels.Label(lat, lon, name, kind)])
            for lat, lon, name, kind in named
        ],
    )


@per_atlas()  # once per atlas and selection; the atlas cache keeps it on disk
def country_geojson(atlas: Atlas, selected: tuple[str, ...] = ()) -> dict:
    """The basemap's countries as GeoJSON (clipped, simplified, rounded); ``selected`` flagged.

    The answer is shared between callers: do not change it.
    """
    return _country_geojson(atlas.countries, selected)


@per_atlas(by_language=True)  # once per atlas, view and language; kept on disk with the atlas
def names_in_view(
    atlas: Atlas, bounds: tuple[tuple[float, float], tuple[float, float]]
) -> tuple[list[tuple], list[tuple]]:
    """:func:`name_layout` of the places :func:`shown_places` shows in ``bounds``.

    ``bounds`` is ``((south, west), (north, east))``. The answer is shared: do not change it.
    """
    view = [list(corner) for corner in bounds]
    return name_layout(atlas, shown_places(atlas, view), view)


def add_basemap(
    m: folium.Map, atlas: Atlas, selected: list[str], country_names: list[tuple]
) -> None:
    """Add the offline basemap (countries and their names) as the default base layer."""
    group = assets.FeatureGroup(name=_("Countries (offline basemap)"), overlay=False, show=True)
    Basemap(country_geojson(atlas, tuple(selected)), country_names).add_to(group)
    group.add_to(m)


def _revenue(atlas: Atlas) -> dict[str, dict]:
    """Transit revenue per corridor (base scenario), for the popups."""
    frame = revenue_by_corridor(atlas, scenario="base")
    return {row["corridor_id"]: row for row in frame.to_dict("records")}


def _mode_name(mode: str, count: int) -> str:
    return f'<span class="cm-key cm-mode-{mode}"></span>{esc(styles.mode_label(mode))} ({count})'


@per_atlas(by_language=True)  # once per atlas and language; the atlas cache keeps it on disk
def corridor_popups(atlas: Atlas) -> dict[str, str]:
    """Each corridor's popup HTML (:func:`.popups.corridor_popup`), by corridor id."""
    by_country = lengths_by_country(atlas)
    revenue = _revenue(atlas)
    # Each corridor's rows, split once (the same rows, in order, as filtering per corridor).
    segments_of = dict(tuple(atlas.segments.groupby("corridor_id", sort=False)))
    by_country_of = dict(tuple(by_country.groupby("corridor_id", sort=False)))
    sources = popups.source_rows(atlas.sources)
    out = {}
    for row in atlas.corridors.to_dict("records"):
        corridor_id = row["corridor_id"]
        segments = segments_of.get(corridor_id, atlas.segments.iloc[:0])
        out[corridor_id] = popups.corridor_popup(
            row,
            segments,
            by_country_of.get(corridor_id, by_country.iloc[:0]),
            sources,
            revenue=revenue.get(corridor_id),
            approximate_km=_sketch_km(segments),
        )
    return out


def add_corridors(m: folium.Map, atlas: Atlas, table: popups.PopupTable) -> list[str]:
    """One layer per mode; in it one group per corridor (popup) of its segments (tooltips).

    The popups and tooltips go into ``table``, which the caller adds to the map after the layers.
    """
    popup = corridor_popups(atlas)
    segments: dict[str, list[dict]] = {}  # each corridor's segment rows, in route order
    for segment in atlas.segments.to_dict("records"):
        segments.setdefault(segment["corridor_id"], []).append(segment)
    corridors = atlas.corridors.to_dict("records")
    modes = [mode for mode in vocabulary.MODES if any(row["mode"] == mode for row in corridors)]
    for mode in modes:
        rows = [row for row in corridors if row["mode"] == mode]
        layer = assets.FeatureGroup(name=_mode_name(mode, len(rows)), overlay=True, show=True)
        for row in rows:
            corridor_id = row["corridor_id"]
            table.popups[corridor_id] = popup[corridor_id]
            _add_corridor(layer, row, segments.get(corridor_id, []), table)
        layer.add_to(m)
    return modes


def _sketch_km(segments: pd.DataFrame) -> float | None:
    sketch = is_sketch(segments["positional_accuracy_km"])
    return float(segments.loc[sketch, "positional_accuracy_km"].max()) if sketch.any() else None


def _add_corridor(
    layer: folium.FeatureGroup, row: dict, segments: list[dict], table: popups.PopupTable
):
    style = styles.MODE_STYLES[row["mode"]]
    group = assets.FeatureGroup(name=row["corridor_id"], control=False)
    Tag("cmCorridor", row["corridor_id"]).add_to(group)
    for segment in segments:
        lines = _latlon(segment["geometry"], LINE_DECIMALS, LINE_TOLERANCE)
        if is_sketch(segment["positional_accuracy_km"]):
            halo = assets.PolyLine(
                _latlon(segment["geometry"], LINE_DECIMALS, HALO_TOLERANCE),
                color=style.colour,
                weight=styles.HALO_WEIGHT,
                opacity=styles.HALO_OPACITY,
                class_name=f"cm-halo cm-halo-{row['corridor_id']}",
            )
            halo.options.update(pane="cm-halos", cmSegment=segment["segment_id"], cmHalo=True)
            halo.add_to(group)
        line = assets.PolyLine(
            lines,
            color=style.colour,
            weight=style.weight,
            dash_array=styles.leaflet_dash(segment["status"], style.weight),
            class_name=(
                f"cm-line cm-c-{row['corridor_id']} cm-{row['mode']} cm-s-{segment['status']}"
            ),
        )
        line.options["cmSegment"] = segment["segment_id"]
        table.add_segment(segment)
        line.add_to(group)
    group.add_to(layer)


def shown_places(atlas: Atlas, bounds: list[list[float]]) -> gpd.GeoDataFrame:
    """Places used by the shown corridors, plus unattached cities inside the view."""
    places = atlas.places
    used = place_uses(atlas) > 0
    (south, west), (north, east) = bounds
    inside = places.geometry.within(shapely.box(west, south, east, north))
    free_city = (places["corridor_ids"].fillna("") == "") & (places["kind"] == "city") & inside
    return places[used | free_city]


def add_places(
    m: folium.Map, places: gpd.GeoDataFrame, names: list[tuple], table: popups.PopupTable
) -> list[str]:
    """Add the places layer (markers and their placed names); return the kinds shown.

    The markers' tooltips go into ``table``.
    """
    if places.empty:
        return []
    group = assets.FeatureGroup(name=_("Border crossings and places"), overlay=True, show=True)
    # Border crossings on top of cities and stations.
    order = places["kind"].map({k: i for i, k in enumerate(reversed(styles.PLACE_STYLES))})
    for place in places.assign(_o=order).sort_values("_o", kind="stable").to_dict("records"):
        radius, fill, stroke = styles.PLACE_STYLES[place["kind"]]
        point = place["geometry"]
        marker = assets.CircleMarker(
            [round(point.y, LINE_DECIMALS), round(point.x, LINE_DECIMALS)],
            radius=radius,
            color=stroke,
            weight=1.5,
            fill_color=fill,
            fill_opacity=1.0,
            class_name=f"cm-place cm-place-{place['kind']}",
        )
        marker.options["pane"] = "cm-places"
        marker.options["cmPlace"] = place["place_id"]
        table.add_place(place)
        marker.add_to(group)
    PlaceNames(names).add_to(group)
    group.add_to(m)
    return [k for k in styles.PLACE_STYLES if k in set(places["kind"])]
