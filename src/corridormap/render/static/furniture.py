"""Furniture of the static figure: scale bar, north arrow, locator inset, legend, source note.

Everything here draws onto a matplotlib Axes whose data coordinates are metres of a projected CRS
(see :mod:`corridormap.render.static.figure`), or onto the figure around it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from pyproj import CRS, Geod, Transformer

from corridormap import settings, vocabulary
from corridormap._format import approximate_label
from corridormap._i18n import _, current, release_label
from corridormap.atlas.core import Atlas, place_uses
from corridormap.atlas.credits import credit_lines
from corridormap.render import styles
from corridormap.render.static.labels import halo, place_kinds

# --------------------------------------------------------------------------- scale and north


def _nice_km(limit_km: float) -> float:
    """The largest 1, 2 or 5 × 10^n kilometres not above ``limit_km``."""
    exponent = math.floor(math.log10(limit_km))
    for step in (5, 2, 1):
        value = step * 10**exponent
        if value <= limit_km:
            return float(value)
    return float(10 ** (exponent - 1) * 5)


def map_units_per_km(crs: CRS, lon: float, lat: float) -> float:
    """Projected units per geodesic kilometre eastwards from ``(lon, lat)`` (the map's scale)."""
    geod = Geod(ellps=settings.ellipsoid)
    lon2, lat2, _ = geod.fwd(lon, lat, 90.0, 10_000.0)
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    (x1, x2), (y1, y2) = forward.transform([lon, lon2], [lat, lat2])
    return math.hypot(x2 - x1, y2 - y1) / 10.0


def add_scale_bar(ax: Axes, crs: CRS, anchor: tuple[float, float], *, right: bool) -> list:
    """Draw a geodesic scale bar (true at its own latitude) near ``anchor`` (axes fraction).

    Returns the artists drawn, so their extent can be kept free of labels.
    """
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x_data, y_data = ax.transLimits.inverted().transform(anchor)
    lon, lat = inverse.transform(x_data, y_data)
    per_km = map_units_per_km(crs, lon, lat)
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    km = _nice_km(0.2 * width / per_km)
    frac = km * per_km / width
    x0 = anchor[0] - frac if right else anchor[0]
    height_pt = 3.0
    bar_h = height_pt / 72.0 * ax.figure.dpi / ax.get_window_extent().height
    artists: list[Artist] = []
    for i in range(4):
        face = styles.TEXT_COLOUR if i % 2 == 0 else "#FFFFFF"
        artists.append(
            ax.add_patch(
                Rectangle(
                    (x0 + i * frac / 4, anchor[1]),
                    frac / 4,
                    bar_h,
                    transform=ax.transAxes,
                    facecolor=face,
                    edgecolor=styles.TEXT_COLOUR,
                    linewidth=0.5,
                    zorder=30,
                )
            )
        )
    for position, value in ((0.0, 0.0), (0.5, km / 2), (1.0, km)):
        text = current().number(value, decimals=0) if value >= 1 or value == 0 else f"{value:g}"
        if position == 1.0:
            text += _(" km")
        artists.append(
            ax.text(
                x0 + position * frac,
                anchor[1] + bar_h * 1.6,
                text,
                transform=ax.transAxes,
                ha="center" if position < 1.0 else "left" if not right else "center",
                va="bottom",
                fontsize=6.5,
                color=styles.TEXT_COLOUR,
                path_effects=halo(2.0),
                zorder=30,
            )
        )
    return artists


def add_north_arrow(ax: Axes, crs: CRS, anchor: tuple[float, float]) -> list:
    """Draw a north arrow at ``anchor`` (axes fraction), pointing to true north there."""
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x_data, y_data = ax.transLimits.inverted().transform(anchor)
    lon, lat = inverse.transform(x_data, y_data)
    x2, y2 = forward.transform(lon, min(lat + 0.5, 89.9))
    angle = math.atan2(x2 - x_data, y2 - y_data)  # clockwise from the map's up
    length = 14.0
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    arrow = ax.annotate(
        "",
        xy=anchor,
        xycoords="axes fraction",
        xytext=(-dx, -dy),
        textcoords="offset points",
        arrowprops={
            "arrowstyle": "-|>,head_length=0.55,head_width=0.28",
            "color": styles.TEXT_COLOUR,
            "linewidth": 1.1,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        zorder=30,
    )
    letter = ax.annotate(
        _("N"),
        xy=anchor,
        xycoords="axes fraction",
        xytext=(5.5 * math.sin(angle), 5.5 * math.cos(angle)),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=7.5,
        fontweight="bold",
        color=styles.TEXT_COLOUR,
        path_effects=halo(2.0),
        zorder=30,
    )
    return [arrow, letter]


# --------------------------------------------------------------------------- inset locator


def region_crs(lon: float, lat: float) -> CRS:
    """Lambert azimuthal equal-area CRS centred on ``(lon, lat)``, for the locator inset."""
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.3f} +lon_0={lon:.3f} +datum=WGS84 +units=m +no_defs"
    )


def polygon_path(geometry) -> MplPath | None:
    """A matplotlib Path for a (multi)polygon, holes included; ``None`` if empty."""
    if geometry is None or geometry.is_empty:
        return None
    paths = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)
            if len(coords) < 4:
                continue
            codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
            codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            paths.append(MplPath(coords, codes))
    return MplPath.make_compound_path(*paths) if paths else None


def inset_box(countries, view_lonlat) -> shapely.Polygon:
    """The lon/lat box the locator shows: the view widened, kept inside the country layer.

    Keeping inside the layer's coverage (1 degree in from its edges) means the straight edges
    where the shipped countries are clipped never show as a rectangle on the inset.
    """
    west, south, east, north = view_lonlat.bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w = max((east - west) * 1.4, 22.0)
    half_h = max((north - south) * 1.4, 14.0)
    c_west, c_south, c_east, c_north = (float(v) for v in countries.total_bounds)
    return shapely.box(max(cx - half_w, c_west + 1), max(cy - half_h, c_south + 1),
                       min(cx + half_w, c_east - 1), min(cy + half_h, c_north - 1))  # fmt: skip


def add_inset(
    ax: Axes,
    countries,
    view_lonlat,
    corner: str,
    *,
    size: float = 0.25,
) -> Axes:
    """Draw a locator inset in ``corner`` of ``ax``: the region, and the map's extent on it.

    Parameters
    ----------
    ax
        The main map Axes.
    countries
        GeoDataFrame of country polygons (EPSG:4326).
    view_lonlat
        The main map's visible area as a shapely polygon in lon/lat.
    corner
        ``"upper left"``, ``"upper right"``, ``"lower left"`` or ``"lower right"``.
    size
        Width of the inset as a fraction of the map's width.
    """
    box = inset_box(countries, view_lonlat)
    cx, cy = shapely.centroid(box).x, shapely.centroid(box).y
    crs = region_crs(cx, cy)
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    ring = shapely.segmentize(box, 1.0)
    projected_box = shapely.transform(ring, lambda c: np.column_stack(forward.transform(*c.T)))
    x0, y0, x1, y1 = projected_box.bounds
    frame = ax.get_window_extent()
    aspect = (y1 - y0) / (x1 - x0) * frame.width / frame.height
    height = size * aspect
    left = 0.012 if "left" in corner else 1 - 0.012 - size
    bottom = 1 - 0.012 - height if "upper" in corner else 0.012
    inset = ax.inset_axes((left, bottom, size, height))
    inset.set_facecolor(styles.BACKGROUND)
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_zorder(40)
    for spine in inset.spines.values():
        spine.set_edgecolor(styles.LAND_STROKE)
        spine.set_linewidth(0.6)
    clip = box.buffer(5.0)
    for geometry in countries.geometry:
        piece = shapely.intersection(geometry, clip)
        if piece.is_empty:
            continue
        piece = shapely.transform(piece, lambda c: np.column_stack(forward.transform(*c.T)))
        path = polygon_path(piece.simplify((x1 - x0) / 500))
        if path is not None:
            inset.add_artist(
                PathPatch(path, facecolor="#E4E1DA", edgecolor="#FFFFFF", linewidth=0.25, zorder=1)
            )
    view = shapely.segmentize(view_lonlat, 0.5)
    view = shapely.transform(view, lambda c: np.column_stack(forward.transform(*c.T)))
    view_path = polygon_path(view)
    assert view_path is not None  # the view is a box, never empty
    inset.add_patch(
        PathPatch(
            view_path,
            facecolor=styles.OKABE_ITO["vermillion"] + "33",
            edgecolor=styles.OKABE_ITO["vermillion"],
            linewidth=0.9,
            zorder=3,
        )
    )
    return inset


# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class PlacedLegend:
    """A legend and where it goes: inches right of and below the top-left of the legend area."""

    legend: Legend
    dx: float
    dy: float
    height: float


def legend_handles(
    modes: Sequence[str],
    statuses: Sequence[str],
    approximate: str | None,
    place_kinds: Sequence[str],
    *,
    scale: float,
    water: bool = False,
    extra: Sequence = (),
) -> list:
    """Legend entries: modes (colour), statuses (line style), the sketch halo, place symbols.

    ``water`` adds the rivers-and-lakes symbol; ``extra`` handles are appended as they are.
    """
    handles: list = []
    for mode in modes:
        style = styles.MODE_STYLES[mode]
        handles.append(
            Line2D(
                [],
                [],
                color=style.colour,
                linewidth=style.weight * scale,
                label=styles.mode_label(mode),
            )
        )
    for status in statuses:
        dashes = styles.matplotlib_dashes(status)
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                linewidth=2.6 * scale,
                linestyle="solid" if dashes is None else dashes,
                dash_capstyle="butt" if status == "under_construction" else "round",
                label=styles.status_label(status),
            )
        )
    if approximate:
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                alpha=styles.HALO_OPACITY + 0.1,
                linewidth=styles.HALO_WEIGHT * scale,
                solid_capstyle="butt",
                label=approximate,
            )
        )
    for kind in place_kinds:
        radius, fill, stroke = styles.PLACE_STYLES[kind]
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=radius * 2 * 0.75,
                markerfacecolor=fill,
                markeredgecolor=stroke,
                markeredgewidth=0.9,
                label=styles.place_label(kind),
            )
        )
    if water:
        handles.append(
            Patch(
                facecolor=styles.WATER_FILL,
                edgecolor=styles.WATER_STROKE,
                linewidth=0.5,
                label=_("River, lake"),
            )  # fmt: skip
        )
    return [*handles, *extra]


def legend_kinds(chosen: Atlas, places=None) -> list[str]:
    """Place kinds with a symbol on the map: those of ``places`` (default: the selection's)."""
    if places is None:
        places = chosen.places[place_uses(chosen) > 0]
        places = places[places["kind"].isin(styles.NAMED_PLACE_KINDS)]
    return place_kinds(places["kind"])


def legend_groups(
    fig: Figure,
    chosen: Atlas,
    width_in: float,
    renderer,
    *,
    scale: float,
    kinds: Sequence[str] | None = None,
    extra: Sequence = (),
    routes: Sequence = (),
) -> list[PlacedLegend]:
    """Legends in groups (modes, statuses, symbols), two rows each, side by side under the map.

    ``kinds`` are the place symbols drawn (default :func:`legend_kinds`); ``extra`` handles join
    the symbols group. Returns each legend with its offset; wider than ``width_in``, a group
    starts a new row.
    """
    modes = [m for m in vocabulary.MODES if m in set(chosen.corridors["mode"])]
    statuses = [s for s in vocabulary.STATUSES if s in set(chosen.segments["status"])]
    kinds = legend_kinds(chosen) if kinds is None else kinds
    groups = [
        legend_handles(modes, [], None, [], scale=scale),
        legend_handles([], statuses, None, [], scale=scale),
        legend_handles(
            [], [], approximate_label(chosen.segments), kinds, scale=scale, water=True, extra=extra
        ),  # fmt: skip
        list(routes),  # route comparison entries: a group of their own, one per line
    ]
    placed, x, y, row_h = [], 0.0, 0.0, 0.0
    for handles in (g for g in groups if g):
        legend = fig.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(0, 0),
            bbox_transform=fig.dpi_scale_trans, ncols=(len(handles) + 1) // 2, frameon=False,
            fontsize=7.5, handlelength=2.6, handleheight=0.9, columnspacing=1.4,
            borderaxespad=0, borderpad=0, labelcolor=styles.TEXT_COLOUR,
        )  # fmt: skip
        box = legend.get_window_extent(renderer)
        w, h = box.width / fig.dpi, box.height / fig.dpi
        if x > 0 and x + w > width_in:
            x, y, row_h = 0.0, y + row_h + 0.06, 0.0
        placed.append(PlacedLegend(legend, x, y, h))
        row_h = max(row_h, h)
        x += w + 0.3
    return placed


def attribution(chosen: Atlas, extra: Sequence[str] = ()) -> str:
    """The source note: OSM (ODbL) and sketch credits, Natural Earth, data release and version.

    ``extra`` are further credit lines (the footprint layers', from ``credit_lines``); they close
    the list of sources, and one the corridor lines already give (OpenStreetMap, AidData, GEM)
    is named once, for the lines and the traced projects together.
    """
    from corridormap._version import __version__

    segments = chosen.segments
    parts = []
    credits = credit_lines(chosen, shown=["lines"])
    shared = [line for line in extra if line in credits]
    extra = [line for line in extra if line not in credits]
    if shared:  # one credit for the lines and the projects
        parts.append(
            _("Corridor lines and traced projects {credit}").format(credit=", ".join(credits))
        )
    elif credits:
        parts.append(_("Corridor lines {credit}").format(credit=", ".join(credits)))
    if (segments["geometry_licence"] == "sketch").any():
        parts.append(_("approximate alignments sketched by corridormap between sourced points"))
    # Licences the credit lines above do not cover (a user's own lines, data/licences.csv).
    others = sorted(set(segments["geometry_licence"].dropna()) - {"ODbL", "CC-BY-4.0", "sketch"})
    if others:  # a user's own lines under another licence (data/licences.csv)
        parts.append(f"corridor lines {', '.join(others)}")
    parts.append(_("country boundaries {credit}").format(credit=settings.natural_earth_attribution))
    parts.append(
        _("relief shadedrelief.com (public domain), lakes Natural Earth, rivers GSHHG (LGPL)")
    )
    parts += extra
    text = _("Sources: {parts}. Boundaries are indicative and imply no endorsement.").format(
        parts="; ".join(parts)
    )
    release = chosen.release
    data = chosen.data_hash[:12] if release is None else release_label(release, short=True)
    return text + _(" corridormap {version}, data {data}.").format(version=__version__, data=data)
