"""Split each corridor's drawn line by country and tell border artefacts from crossings.

One table of pieces feeds both :func:`corridormap.measure.lengths.lengths_by_country` and
:func:`corridormap.measure.lengths.border_crossings`, so the km by country and the crossings agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from corridormap import settings

if TYPE_CHECKING:
    from corridormap.atlas.core import Atlas


@dataclass
class Run:
    """A stretch of one route part inside one country (``drawn``), in route order."""

    start: float
    end: float
    drawn: str | None
    pieces: list = field(default_factory=list)
    km: float = 0.0
    iso3: str | None = None
    artefact: bool = False

    @property
    def geometry(self):
        return shapely.line_merge(shapely.union_all(self.pieces))


def route_parts(group: gpd.GeoDataFrame) -> list:
    """Chain a corridor's segments into continuous lines, end to start (row order is irrelevant)."""
    singles = [part for line in group.geometry for part in getattr(line, "geoms", [line])]
    merged = shapely.line_merge(shapely.MultiLineString(singles), directed=True)
    return list(getattr(merged, "geoms", [merged]))


Piece = tuple[float, float, str | None, object]


def _pieces(line, countries: gpd.GeoDataFrame, land) -> list[Piece]:
    """``(start, end, iso3, piece)`` along ``line`` (planar positions); ``None`` outside land."""
    found = []
    candidates = countries.iloc[countries.sindex.query(line, predicate="intersects")]
    parts = [
        (iso3, shapely.intersection(line, polygon))
        for iso3, polygon in zip(candidates["iso3"], candidates.geometry, strict=True)
    ]
    parts.append((None, shapely.difference(line, land)))
    for iso3, part in parts:
        for piece in shapely.get_parts(part):
            if piece.geom_type != "LineString" or piece.length == 0:
                continue
            ends = [line.project(shapely.Point(c)) for c in (piece.coords[0], piece.coords[-1])]
            found.append((min(ends), max(ends), iso3, piece))
    found.sort(key=lambda item: (item[0], item[1]))
    return found


def _runs(line, countries, land, geod: Geod) -> list[Run]:
    runs: list[Run] = []
    for start, end, iso3, piece in _pieces(line, countries, land):
        if not (runs and runs[-1].drawn == iso3):
            runs.append(Run(start, end, iso3))
        run = runs[-1]
        run.end = max(run.end, end)
        run.pieces.append(piece)
        run.km += geod.geometry_length(piece) / 1000.0
    return runs


def _aeqd(lat: float, lon: float) -> Transformer:
    """Longitude/latitude (WGS84) to metres of the azimuthal equidistant projection at a centre.

    The pipeline is the one PROJ picks for ``EPSG:4326`` to ``+proj=aeqd +lat_0= +lon_0=
    +datum=WGS84 +units=m`` with ``always_xy`` (what ``GeoSeries.to_crs`` runs), built
    directly: looking that up in PROJ's database takes ~5 ms a centre, this ~0.1 ms.
    """
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad"
        f" +step +proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +x_0=0 +y_0=0 +ellps=WGS84"
    )


def _project(geometries: list, transformer: Transformer) -> list:
    """``geometries`` passed through ``transformer`` as ``GeoSeries.to_crs`` does (z kept)."""
    array = shapely.transform(
        np.asarray(geometries, dtype=object),
        transformer.transform,
        include_z=None,
        interleaved=False,
    )
    return list(array)


def _depth_km(geometry, listed_shapes: list) -> float:
    """How far (km) ``geometry`` goes from the nearest of ``listed_shapes``."""
    centre = geometry.centroid
    window = shapely.box(*geometry.bounds).buffer(1.0)
    near = [shapely.intersection(s, window) for s in listed_shapes]
    line, *projected = _project([geometry, *near], _aeqd(centre.y, centre.x))
    target = shapely.union_all([g for g in projected if not g.is_empty])
    if target.is_empty:
        return float("inf")
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(line, 250.0)))
    return float(shapely.distance(points, target).max()) / 1000.0


def _accuracy_km(geometry, segments: gpd.GeoDataFrame) -> float:
    """Worst ``positional_accuracy_km`` of the segments the geometry runs along."""
    probes = [geometry.interpolate(f, normalized=True) for f in (0.25, 0.5, 0.75)]
    accuracy = segments.get("positional_accuracy_km", pd.Series(float("nan"), segments.index))
    values = [
        float(acc)
        for line, acc in zip(segments.geometry, accuracy, strict=True)
        if pd.notna(acc) and any(line.distance(p) < 1e-7 for p in probes)
    ]
    return max(values, default=0.0)


def _attribute(runs: list[Run], listed: set[str], shapes: dict, segments, artefact_km) -> None:
    """Set each run's ``iso3``: its drawn country, or the listed one beside an artefact pass."""
    for index, run in enumerate(runs):
        run.iso3 = run.drawn
        if run.drawn is None or run.drawn in listed or not listed:
            continue
        before = next((r.drawn for r in reversed(runs[:index]) if r.drawn in listed), None)
        after = next((r.drawn for r in runs[index + 1 :] if r.drawn in listed), None)
        if before is None and after is None:
            continue
        short = run.km <= artefact_km
        tolerance = _accuracy_km(run.geometry, segments) + settings.border_polygon_accuracy_km
        present = [shapes[c] for c in listed if c in shapes]
        if not (short or _depth_km(run.geometry, present) <= tolerance):
            continue
        run.artefact = True
        if before and after and before != after:
            middle = run.geometry.interpolate(0.5, normalized=True)
            before, after = sorted((before, after), key=lambda c: shapes[c].distance(middle))
        run.iso3 = before or after


def _land(polygons) -> BaseGeometry:
    """The union of the country polygons.

    Country polygons that form a valid coverage (no overlaps, shared borders drawn with the
    same vertices) are merged by ``shapely.coverage_union_all``, which only drops the shared
    edges (~3 ms, and 14 ms to check the coverage, against ~50 ms for a general
    ``union_all``); any other set of polygons takes ``union_all``.
    """
    if len(polygons) and bool(shapely.coverage_is_valid(polygons)):
        return shapely.coverage_union_all(polygons)
    return shapely.union_all(polygons)


def corridor_runs(
    atlas: Atlas, *, artefact_km: float | None = None
) -> list[tuple[str, BaseGeometry, list[Run]]]:
    """``(corridor_id, line, runs)`` for every route part of every corridor, in route order."""
    artefact_km = settings.border_artefact_km if artefact_km is None else float(artefact_km)
    geod = Geod(ellps=settings.ellipsoid)
    countries = atlas.countries
    shapes = dict(zip(countries["iso3"], countries.geometry, strict=True))
    land = _land(countries.geometry.values)
    corridors = atlas.corridors
    codes = corridors["countries"] if "countries" in corridors else pd.Series(index=corridors.index)
    sourced = {
        corridor_id: set(value.split(";")) if isinstance(value, str) else set()
        for corridor_id, value in zip(corridors["corridor_id"], codes, strict=True)
    }
    out = []
    for corridor_id, group in atlas.segments.groupby("corridor_id", sort=False):
        for line in route_parts(group):
            runs = _runs(line, countries, land, geod)
            _attribute(runs, sourced.get(corridor_id, set()), shapes, group, artefact_km)
            out.append((corridor_id, line, runs))
    return out
