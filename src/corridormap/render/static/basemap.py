"""The static figure's basemap: country polygons, the shaded relief and the rivers and lakes.

Everything is drawn onto an Axes whose data coordinates are metres of the map's projected CRS
(see :mod:`corridormap.render.static.figure`). The relief is warped from its plate-carrée copy
(:func:`corridormap.render.terrain.relief_lonlat`) into that CRS, pixel by pixel, so it
lines up
with the country outlines in any projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.image import AxesImage
from matplotlib.patches import PathPatch
from pyproj import CRS, Transformer

from corridormap.render import styles
from corridormap.render import terrain as basemap
from corridormap.render.static.furniture import polygon_path

#: Pixels of relief per inch of map (independent of the figure's dpi, so every resolution draws
#: the same image); capped so a PDF or SVG stays a few MB at most.
RELIEF_PX_PER_INCH = 130
RELIEF_MAX_PX = 1300
#: Opacity of the relief over the land fills: enough to read the mountains, not to compete.
RELIEF_ALPHA = 0.45
#: The relief fades where a figure prints more than this many of its pixels per source pixel
#: (a close view at print resolution would show it blurred), down to this share of its alpha.
RELIEF_SHARP_ZOOM, RELIEF_MIN_FADE = 3.0, 0.4
RIVER_WIDTH_PT = 0.55
#: Stacking order: land fill, relief, water, borders (corridors are drawn from 4 up).
Z_LAND, Z_RELIEF, Z_WATER, Z_BORDERS = 1.0, 1.2, 1.5, 2.0


@dataclass(frozen=True)
class MapView:
    """A map's projection and what it shows, passed to every drawing step.

    Attributes
    ----------
    crs
        The projected CRS of the Axes' data coordinates.
    forward
        Transformer from lon/lat (EPSG:4326) to ``crs``.
    view_xy
        The visible rectangle in ``crs`` metres.
    view_ll
        The same area as a lon/lat polygon (densified, so its curved edges are kept).
    """

    crs: CRS
    forward: Transformer
    view_xy: shapely.Polygon
    view_ll: shapely.Polygon

    def project(self, geometry):
        """Project a lon/lat shapely geometry into the map's CRS."""
        forward = self.forward
        return shapely.transform(
            geometry, lambda c: np.column_stack(forward.transform(c[:, 0], c[:, 1]))
        )


def map_view(ax: Axes, crs: CRS) -> MapView:
    """The :class:`MapView` of an Axes whose limits are final."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    view_xy = shapely.box(x0, y0, x1, y1)
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    dense = shapely.segmentize(view_xy, (x1 - x0) / 50)
    view_ll = shapely.transform(dense, lambda c: np.column_stack(inverse.transform(*c.T)))
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return MapView(crs, forward, view_xy, view_ll)


def draw_countries(ax: Axes, countries, view: MapView, tinted: list[str]) -> None:
    """Fill every country in view (``tinted`` ones slightly darker) and stroke its border."""
    clip = view.view_ll.buffer(1.0)
    width = view.view_xy.bounds[2] - view.view_xy.bounds[0]
    for iso3, geometry in zip(countries["iso3"], countries.geometry, strict=True):
        piece = shapely.intersection(geometry, clip)
        if piece.is_empty:
            continue
        path = polygon_path(view.project(piece).simplify(width / 3000))
        if path is None:
            continue
        fill = styles.LAND_FILL_SELECTED if iso3 in tinted else styles.LAND_FILL
        ax.add_artist(PathPatch(path, facecolor=fill, edgecolor="none", zorder=Z_LAND))
        ax.add_artist(PathPatch(path, facecolor="none", edgecolor=styles.LAND_STROKE,
                                linewidth=0.55, zorder=Z_BORDERS))  # fmt: skip


def relief_fade(ax: Axes, view: MapView, source_width: int) -> float:
    """How much of the relief to keep: all of it, less where the figure enlarges the source.

    The relief has :func:`corridormap.render.basemap.relief_lonlat`'s resolution (about 30
    pixels a degree); a figure printing more than :data:`RELIEF_SHARP_ZOOM` of its own pixels
    per source pixel would show it blurred, so it fades (to :data:`RELIEF_MIN_FADE` at most).
    """
    west, _, east, _ = basemap.relief_bounds()
    lon0, _, lon1, _ = view.view_ll.bounds
    source_px = max((lon1 - lon0) / (east - west) * source_width, 1.0)
    printed_px = ax.get_window_extent().width
    enlarged = printed_px / source_px
    return float(np.clip(RELIEF_SHARP_ZOOM / enlarged, RELIEF_MIN_FADE, 1.0))


def draw_relief(ax: Axes, view: MapView) -> AxesImage | None:
    """Warp the shaded relief into the map's CRS and draw it over the land fills.

    Returns the image, or ``None`` when the view lies outside the relief's coverage.
    """
    x0, y0, x1, y1 = view.view_xy.bounds
    width_in = ax.get_position().width * ax.figure.figure.get_size_inches()[0]
    cols = int(min(round(width_in * RELIEF_PX_PER_INCH), RELIEF_MAX_PX))
    rows = max(int(round(cols * (y1 - y0) / (x1 - x0))), 1)
    xs = x0 + (np.arange(cols) + 0.5) / cols * (x1 - x0)
    ys = y1 - (np.arange(rows) + 0.5) / rows * (y1 - y0)
    grid_x, grid_y = np.meshgrid(xs, ys)
    inverse = Transformer.from_crs(view.crs, "EPSG:4326", always_xy=True)
    lon, lat = inverse.transform(grid_x.ravel(), grid_y.ravel())
    pixels = basemap.relief_lonlat()
    west, south, east, north = basemap.relief_bounds()
    height, width = pixels.shape[:2]
    col = (np.asarray(lon) - west) / (east - west) * width - 0.5
    row = (north - np.asarray(lat)) / (north - south) * height - 0.5
    inside = (col >= 0) & (col <= width - 1) & (row >= 0) & (row <= height - 1)
    if not inside.any():
        return None
    c0 = np.clip(np.floor(col).astype(int), 0, width - 2)
    r0 = np.clip(np.floor(row).astype(int), 0, height - 2)
    fc = np.clip(col - c0, 0, 1)[:, None]
    fr = np.clip(row - r0, 0, 1)[:, None]
    top = pixels[r0, c0] * (1 - fc) + pixels[r0, c0 + 1] * fc
    bottom = pixels[r0 + 1, c0] * (1 - fc) + pixels[r0 + 1, c0 + 1] * fc
    rgb = (top * (1 - fr) + bottom * fr) / 255.0
    alpha = RELIEF_ALPHA * relief_fade(ax, view, width)
    rgba = np.concatenate([rgb, np.where(inside, alpha, 0.0)[:, None]], axis=1)
    return ax.imshow(
        rgba.reshape(rows, cols, 4), extent=(x0, x1, y0, y1), origin="upper",
        interpolation="bilinear", zorder=Z_RELIEF, aspect="auto",
    )  # fmt: skip


def draw_water(ax: Axes, view: MapView) -> list:
    """Draw the lakes (filled) and rivers (thin lines) in view; return the artists drawn."""
    water = basemap.water()
    clip = view.view_ll.buffer(0.5)
    artists = []
    lakes = water[water["kind"] == "lake"]
    for geometry in lakes.geometry:
        piece = shapely.intersection(geometry, clip)
        path = None if piece.is_empty else polygon_path(view.project(piece))
        if path is not None:
            artists.append(ax.add_artist(PathPatch(
                path, facecolor=styles.WATER_FILL, edgecolor=styles.WATER_STROKE,
                linewidth=0.35, zorder=Z_WATER,
            )))  # fmt: skip
    lines = []
    for geometry in water.loc[water["kind"] == "river"].geometry:
        piece = shapely.intersection(geometry, clip)
        for part in getattr(piece, "geoms", [piece]):
            if part.geom_type == "LineString" and not part.is_empty:
                lines.append(np.asarray(view.project(part).coords))
    if lines:
        artists.append(ax.add_collection(LineCollection(
            lines, colors=styles.WATER_STROKE, linewidths=RIVER_WIDTH_PT, capstyle="round",
            joinstyle="round", zorder=Z_WATER, label="water",
        )))  # fmt: skip
    return artists
