"""The in-memory kernel of the point join: nearest corridor and geodesic distance, vectorized.

The corridors are cut into their straight pieces (two-point segments in :data:`REGION_CRS`, each
remembering its corridor). A coarse grid over the points lists, for every cell, the only pieces
that can be nearest to a point in it: with ``d`` the distance from the cell's centre to its
nearest piece and ``r`` the cell's half-diagonal, a piece farther than ``d + 2r`` from the centre
cannot beat that piece for any point of the cell. Each point is then measured against its
cell's few candidates with numpy, the nearest point on the winning piece is projected back to
lon/lat, and the distance to it is measured on the ellipsoid (:mod:`.geodesic`).

This gives the same answer as asking GEOS for the nearest whole line (the pieces are the line),
exactly; distances equal within a micrometre go to the corridor listed first in the atlas.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from corridormap import settings
from corridormap.join.geodesic import geodesic_m

#: Equidistant conic fitted to the region, used to find each point's nearest corridor.
REGION_CRS = CRS.from_proj4(
    "+proj=eqdc +lat_0=40 +lon_0=70 +lat_1=37 +lat_2=49 +datum=WGS84 +units=m +no_defs"
)

#: Points per grid cell aimed at; more cells mean fewer candidates per point but a dearer grid.
POINTS_PER_CELL = 250
#: Bounds on the number of grid cells.
MIN_CELLS, MAX_CELLS = 256, 1 << 16
#: Candidate evaluations per numpy pass: small enough for the temporaries to stay in cache.
BATCH_ELEMENTS = 1 << 17


@dataclass(frozen=True)
class Pieces:
    """The corridors' straight pieces in :data:`REGION_CRS`, in corridor order."""

    ax: np.ndarray  # start
    ay: np.ndarray
    dx: np.ndarray  # end minus start
    dy: np.ndarray
    inverse2: np.ndarray  # 1 / length², 0 for a piece of no length
    owner: np.ndarray  # row of the corridor each piece belongs to
    tree: shapely.STRtree

    def __len__(self) -> int:
        return len(self.owner)


def pieces(corridors: gpd.GeoDataFrame) -> Pieces:
    """Cut the corridor lines (LineString or MultiLineString) into two-point pieces."""
    lines = corridors.geometry.to_crs(REGION_CRS).to_numpy()
    parts, line_of_part = shapely.get_parts(lines, return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    joined = part[1:] == part[:-1]
    a, b = coords[:-1][joined], coords[1:][joined]
    owner = line_of_part[part[:-1][joined]]
    tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))
    d = b - a
    length2 = (d * d).sum(axis=1)
    inverse2 = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
    return Pieces(a[:, 0], a[:, 1], d[:, 0], d[:, 1], inverse2, owner, tree)


def nearest_corridor(
    lon: np.ndarray, lat: np.ndarray, corridors: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest corridor and geodesic distance for arrays of points (vectorized).

    Parameters
    ----------
    lon, lat
        Point coordinates in degrees (WGS84), finite.
    corridors
        The corridor lines with a ``corridor_id`` column.

    Returns
    -------
    tuple of numpy.ndarray
        Corridor ids (object; None without any corridor) and distances in kilometres on the
        ellipsoid of :data:`corridormap.settings.ellipsoid` (NaN without any corridor).

    Examples
    --------
    >>> import geopandas as gpd, numpy as np, shapely
    >>> line = gpd.GeoDataFrame({"corridor_id": ["a"]},
    ...     geometry=[shapely.LineString([(60, 40), (61, 40)])], crs=4326)
    >>> ids, km = nearest_corridor(np.array([60.5]), np.array([40.0]), line)
    >>> ids[0], round(float(km[0]), 6)
    ('a', 0.0)
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    cut = pieces(corridors)
    if len(cut) == 0 or len(lon) == 0:
        return np.full(len(lon), None, dtype=object), np.full(len(lon), np.nan)
    to_metric = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
    back = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)
    geod = Geod(ellps=settings.ellipsoid)
    grid = _Grid.over(cut, _projected_bounds(to_metric, lon, lat), len(lon))
    piece = np.empty(len(lon), dtype=np.int64)
    km = np.empty(len(lon), dtype=float)
    # Chunks bound the temporaries (a few float64 arrays per point and candidate).
    step = max(1, int(settings.join_chunk_points))
    for start in range(0, len(lon), step):
        part = slice(start, start + step)
        x, y = to_metric.transform(lon[part], lat[part])
        chunk = grid.nearest(cut, x, y)
        near_x, near_y = _closest_points(cut, chunk, x, y)
        near_lon, near_lat = back.transform(near_x, near_y)
        metres = geodesic_m(lon[part], lat[part], np.asarray(near_lon), np.asarray(near_lat), geod)
        piece[part] = chunk
        km[part] = np.asarray(metres) / 1000.0
    ids = corridors["corridor_id"].to_numpy(dtype=object)[cut.owner[piece]]
    return ids, km


def join_frame(
    frame: gpd.GeoDataFrame, corridors: gpd.GeoDataFrame, km: float | None = None
) -> gpd.GeoDataFrame:
    """Join points already read (:func:`.points.read_points`): one whole frame or one partition.

    Both engines of :func:`corridormap.join_points` call this, so it lives beside the kernel.
    """
    joined = frame.copy()
    if len(frame) == 0:
        joined["corridor_id"] = pd.Series(dtype="string")
        joined["distance_km"] = pd.Series(dtype=float)
        return joined
    ids, distances = nearest_corridor(
        frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy(), corridors
    )
    if km is not None:
        far = ~(distances <= km)
        ids[far] = None
        distances[far] = np.nan
    joined["corridor_id"] = pd.array(ids, dtype="string")
    joined["distance_km"] = distances
    return joined


def _projected_bounds(
    to_metric: Transformer, lon: np.ndarray, lat: np.ndarray
) -> tuple[float, float, float, float]:
    """Bounds in REGION_CRS of the points' lon/lat box, from its densified outline.

    Points the sampled outline misses by a hair fall outside the grid and are measured by the
    tree instead, so the bounds need not be exact.
    """
    west, east, south, north = lon.min(), lon.max(), lat.min(), lat.max()
    t = np.linspace(0.0, 1.0, 129)
    ring_lon = np.concatenate([west + (east - west) * t, np.full(t.size, east)])
    ring_lat = np.concatenate([np.full(t.size, south), south + (north - south) * t])
    ring_lon = np.concatenate([ring_lon, east - (east - west) * t, np.full(t.size, west)])
    ring_lat = np.concatenate([ring_lat, np.full(t.size, north), north - (north - south) * t])
    x, y = to_metric.transform(ring_lon, ring_lat)
    x, y = np.asarray(x)[np.isfinite(x)], np.asarray(y)[np.isfinite(y)]
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def _closest_points(
    cut: Pieces, piece: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The point of each point's piece nearest to it (metres, REGION_CRS)."""
    ax, ay, dx, dy = cut.ax[piece], cut.ay[piece], cut.dx[piece], cut.dy[piece]
    t = np.clip(((x - ax) * dx + (y - ay) * dy) * cut.inverse2[piece], 0.0, 1.0)
    return ax + t * dx, ay + t * dy


def _squared_distance(cut: Pieces, piece: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Squared distance from each point to each of its candidate pieces (m²)."""
    px, py = x - cut.ax[piece], y - cut.ay[piece]
    dx, dy = cut.dx[piece], cut.dy[piece]
    t = np.clip((px * dx + py * dy) * cut.inverse2[piece], 0.0, 1.0)
    px -= t * dx
    py -= t * dy
    return px * px + py * py


@dataclass(frozen=True)
class _Grid:
    """Square cells over the points, each with its candidate pieces (padded, in piece order)."""

    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    candidates: np.ndarray  # (cells, widest) piece numbers; short rows repeat their first
    counts: np.ndarray  # candidates per cell

    @classmethod
    def over(cls, cut: Pieces, bounds: tuple[float, float, float, float], count: int) -> _Grid:
        """A grid over ``count`` points in ``bounds`` near the corridors (far ones left out)."""
        ends = np.concatenate([[cut.ax, cut.ay], [cut.ax + cut.dx, cut.ay + cut.dy]], axis=1)
        lo, hi = ends.min(axis=1), ends.max(axis=1)
        reach = max(float((hi - lo).max()), 1.0)
        west, south = np.maximum(bounds[:2], lo - reach)
        east, north = np.minimum(bounds[2:], hi + reach)
        width, height = max(east - west, 1.0), max(north - south, 1.0)
        cells = int(np.clip(count // POINTS_PER_CELL, MIN_CELLS, MAX_CELLS))
        size = float(np.sqrt(width * height / cells))
        size = max(size, width / MAX_CELLS, height / MAX_CELLS, 1.0)
        nx, ny = int(np.ceil(width / size)), int(np.ceil(height / size))
        centre_x = west + (np.arange(nx) + 0.5) * size
        centre_y = south + (np.arange(ny) + 0.5) * size
        cx, cy = (a.ravel() for a in np.meshgrid(centre_x, centre_y))
        centres = shapely.points(cx, cy)
        _, nearest = cut.tree.query_nearest(centres, return_distance=True, all_matches=False)
        half = size / 2
        slack = 1e-6 * size + 1.0  # metres: GEOS and numpy may round differently
        # Loose candidates: within d + 2r of the centre (d: its nearest piece, r: half-diagonal).
        cell, piece = cut.tree.query(
            centres, predicate="dwithin", distance=nearest + 2 * np.sqrt(2) * half + slack
        )
        # Tight: a piece stays if its distance to the cell (the box) is at most the smallest
        # distance within which some piece lies from every point of the cell (its farthest
        # corner, distance being convex).
        farthest = np.zeros(len(cell))
        for sx, sy in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
            d2 = _squared_distance(cut, piece, cx[cell] + sx * half, cy[cell] + sy * half)
            np.maximum(farthest, d2, out=farthest)
        bound = np.full(nx * ny, np.inf)
        np.minimum.at(bound, cell, np.sqrt(farthest))
        boxes = shapely.box(cx - half, cy - half, cx + half, cy + half)
        near = shapely.distance(boxes[cell], cut.tree.geometries[piece])
        keep = near <= bound[cell] + slack
        cell, piece = cell[keep], piece[keep]
        order = np.lexsort((piece, cell))
        cell, piece = cell[order], piece[order]
        counts = np.bincount(cell, minlength=nx * ny)
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        candidates = np.full((nx * ny, int(counts.max())), -1, dtype=np.int64)
        candidates[cell, np.arange(len(cell)) - first[cell]] = piece
        short = candidates < 0
        candidates[short] = np.broadcast_to(candidates[:, :1], candidates.shape)[short]
        return cls(float(west), float(south), size, nx, ny, candidates, counts)

    def nearest(self, cut: Pieces, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The nearest piece of each point; the first in piece order on an exact tie."""
        col = np.floor((x - self.x0) / self.size)
        row = np.floor((y - self.y0) / self.size)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        cell = np.where(inside, row * self.nx + col, 0).astype(np.int64)
        best = np.empty(len(x), dtype=np.int64)
        # Points are measured in groups of cells with 1, 2, 4, 8 … candidates, so padding the
        # rows costs at most twice the work.
        width = np.where(inside, self.counts[cell], 0)
        group = np.where(inside, np.ceil(np.log2(np.maximum(width, 1))).astype(int), -1)
        for level in np.unique(group[group >= 0]):
            chosen = np.flatnonzero(group == level)
            columns = min(1 << int(level), self.candidates.shape[1])
            rows = max(1, BATCH_ELEMENTS // columns)
            for start in range(0, len(chosen), rows):
                points = chosen[start : start + rows]
                options = self.candidates[cell[points], :columns]
                d2 = _squared_distance(cut, options, x[points, None], y[points, None])
                best[points] = options[np.arange(len(points)), _first_nearest(d2)]
        outside = np.flatnonzero(~inside)
        if len(outside):
            best[outside] = _nearest_by_tree(cut, x[outside], y[outside])
        return best


def _first_nearest(d2: np.ndarray) -> np.ndarray:
    """Per row, the first column within a micrometre of the row's smallest distance.

    Corridors sharing a stretch of line are at the same distance but for rounding; the first
    column (the corridor listed first) wins, whatever the rounding.
    """
    low = d2.min(axis=1, keepdims=True)
    return np.argmax(d2 <= low + 2e-6 * np.sqrt(low) + 1e-12, axis=1)


def _nearest_by_tree(cut: Pieces, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Nearest piece of points outside the grid, from the STRtree; the first on a tie."""
    point, piece = cut.tree.query_nearest(shapely.points(x, y), all_matches=True)
    best = np.full(len(x), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, point, piece)
    return best
