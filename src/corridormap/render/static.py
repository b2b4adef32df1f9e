"""The static figure: a print-ready matplotlib map of a selection, with no tile server.

:func:`static_map` returns a :class:`matplotlib.figure.Figure` drawn on the Agg canvas (no pyplot,
no global state); :func:`save_static` writes it as PNG, SVG or PDF with fixed metadata so the same
inputs give byte-identical files. The map is drawn in a Lambert conformal conic projection centred
on the extent (north is up at the centre; the north arrow shows true north where it stands), with
the colours and line styles of the interactive map (:mod:`corridormap.render.styles`).
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from pyproj import CRS, Transformer

from .. import schema, settings
from ..atlas import Atlas
from ..errors import SelectionError
from ..io import atomic_path
from ..query import Many, check_bbox, select
from . import static_furniture as furniture
from . import static_labels as labels
from . import styles

log = logging.getLogger(__name__)

DEFAULT_TITLE = "China–Central Asia infrastructure corridors"
#: A4 width less 10 mm margins each side, in inches.
DEFAULT_WIDTH_IN = 7.5
DEFAULT_DPI = 300
#: Leaflet pixels of :data:`styles.MODE_STYLES` to points on paper.
LINE_SCALE = 0.55
HIGHLIGHT_SCALE = 1.45
MARGIN_IN = 0.3
FONT_PREFERENCE = ("Source Sans 3", "Source Sans Pro", "Roboto", "Noto Sans", "Liberation Sans",
                   "Arial", "Helvetica", "DejaVu Sans")  # fmt: skip
SAVE_FORMATS = ("png", "svg", "pdf")


def font_family() -> str:
    """Return the first installed family of :data:`FONT_PREFERENCE` (checked without warnings)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in FONT_PREFERENCE if name in installed), "DejaVu Sans")


def _rc() -> dict:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [font_family(), "DejaVu Sans"],
        "svg.hashsalt": "corridormap",
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "path.simplify": True,
    }


def extent_bounds(
    atlas: Atlas,
    extent: Sequence[float] | Sequence[str] | None,
    chosen: Atlas | None = None,
    *,
    pad: float = 0.12,
) -> tuple[float, float, float, float]:
    """Resolve an extent to ``(west, south, east, north)`` degrees.

    Parameters
    ----------
    atlas
        The full atlas (its country polygons).
    extent
        A bounding box ``(min_lon, min_lat, max_lon, max_lat)``, a list of ISO3 codes (the box
        around those countries) or ``None`` (the selected corridors, padded).
    chosen
        The selection, used when ``extent`` is ``None``.
    pad
        Fraction of the span added on each side when fitting the selection.

    Raises
    ------
    SelectionError
        For an unknown country, a malformed box or a box that holds no land.
    """
    if extent is None:
        frame = (chosen or atlas).segments
        west, south, east, north = (float(v) for v in frame.total_bounds)
        dx = max((east - west) * pad, 0.4)
        dy = max((north - south) * pad, 0.4)
        return west - dx, south - dy, east + dx, north + dy
    values = list(extent)
    if values and all(isinstance(v, str) for v in values):
        codes = [v.upper() for v in values]
        unknown = sorted(set(codes) - set(atlas.countries["iso3"]))
        if unknown:
            known = ", ".join(sorted(atlas.countries["iso3"]))
            raise SelectionError(f"unknown country {unknown[0]!r}; known: {known}")
        area = atlas.countries[atlas.countries["iso3"].isin(codes)]
        west, south, east, north = (float(v) for v in area.total_bounds)
        dx, dy = (east - west) * 0.04, (north - south) * 0.04
        return west - dx, south - dy, east + dx, north + dy
    west, south, east, north = check_bbox(values, name="extent")
    if not atlas.countries.intersects(shapely.box(west, south, east, north)).any():
        raise SelectionError(f"extent {values!r} holds no land (no country of the basemap)")
    return west, south, east, north


def map_crs(west: float, south: float, east: float, north: float) -> CRS:
    """Lambert conformal conic CRS fitted to a box: standard parallels at 1/6 and 5/6 of it."""
    span = max(north - south, 1.0)
    mid = (south + north) / 2
    lat1, lat2 = mid - span / 3, mid + span / 3
    return CRS.from_proj4(
        f"+proj=lcc +lat_0={mid:.3f} +lon_0={(west + east) / 2:.3f} +lat_1={lat1:.3f} "
        f"+lat_2={lat2:.3f} +datum=WGS84 +units=m +no_defs"
    )


def _project(geometry, transformer: Transformer):
    return shapely.transform(
        geometry, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1]))
    )


def static_map(
    atlas: Atlas,
    *,
    mode: Many = None,
    status: Many = None,
    country: Many = None,
    corridor: Many = None,
    highlight: Many = None,
    extent: Sequence[float] | Sequence[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    byline: str | None = None,
    figsize: tuple[float, float | None] = (DEFAULT_WIDTH_IN, None),
    dpi: float = DEFAULT_DPI,
    inset: bool = True,
) -> Figure:
    """Draw the static map of a selection: basemap, corridors, crossings and map furniture.

    Parameters
    ----------
    atlas
        The atlas, from :func:`corridormap.load`.
    mode, status, country, corridor
        Filters, as for :func:`corridormap.select`.
    highlight
        Corridor ids drawn wider with a white casing and labelled first; the others are muted.
    extent
        ``(min_lon, min_lat, max_lon, max_lat)``, ISO3 codes, or ``None`` to fit the selection.
        The map shows at least this area (widened to the figure's shape).
    title, subtitle, byline
        Text above the map and the author/date line under it; ``None`` gives a default title and
        a subtitle counting the corridors by status.
    figsize
        Width and height in inches; a height of ``None`` follows the extent's shape.
    dpi
        Resolution of the figure (PNG pixels per inch).
    inset
        Draw the locator map of the region.

    Returns
    -------
    matplotlib.figure.Figure
        On the Agg canvas; write it with :func:`save_static` (or ``fig.savefig``).

    Raises
    ------
    SelectionError
        For an unknown filter, highlight or country, or an empty selection.
    """
    chosen = select(atlas, mode=mode, status=status, country=country, corridor=corridor)
    highlighted = _as_list(highlight)
    missing = [c for c in highlighted if c not in set(chosen.corridors["corridor_id"])]
    if missing:
        raise SelectionError(f"highlighted corridor {missing[0]!r} is not in the selection")
    box = extent_bounds(atlas, extent, chosen)
    with matplotlib.rc_context(_rc()):
        return _draw(
            atlas,
            chosen,
            highlighted,
            box,
            title=title or DEFAULT_TITLE,
            subtitle=_default_subtitle(chosen) if subtitle is None else subtitle,
            byline=byline,
            figsize=figsize,
            dpi=dpi,
            inset=inset,
            tinted=[c.upper() for c in _as_list(country)],
        )


def save_static(fig: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Write a figure as PNG, SVG or PDF (by suffix) atomically, with reproducible metadata."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in SAVE_FORMATS:
        raise SelectionError(f"can save a figure as {', '.join(SAVE_FORMATS)}; got {target.name}")
    metadata = {
        "png": {"Software": "corridormap"},
        "svg": {"Date": None, "Creator": "corridormap"},
        "pdf": {
            "CreationDate": None,
            "ModDate": None,
            "Creator": "corridormap",
            "Producer": "corridormap",
        },  # fmt: skip
    }[fmt]
    title = getattr(fig, "corridormap_title", None)
    if title and fmt in {"svg", "pdf"}:
        metadata["Title"] = title
    with matplotlib.rc_context(_rc()), atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi or fig.dpi, metadata=metadata)
    log.info("Saved %s", target)
    return target


# --------------------------------------------------------------------------- drawing


def _as_list(value: Many) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _default_subtitle(chosen: Atlas) -> str:
    counts = chosen.corridors["status"].value_counts()
    parts = [
        f"{counts[s]} {styles.status_label(s).lower()}" for s in schema.STATUSES if s in counts
    ]
    total = len(chosen.corridors)
    return f"{total} corridor{'s' if total != 1 else ''}: {', '.join(parts)}."


def _wrap(fig: Figure, renderer, text: str, width_in: float, **kwargs):
    """Add text at (0, 0) inches, wrapped so its rendered width stays within ``width_in``."""
    size = kwargs.get("fontsize", 9)
    chars = int(width_in * 72 / (0.5 * size))
    while True:
        wrapped = "\n".join(textwrap.wrap(text, chars)) if text else ""
        artist = fig.text(0, 0, wrapped, transform=fig.dpi_scale_trans, **kwargs)
        if artist.get_window_extent(renderer).width <= width_in * fig.dpi or chars < 20:
            return artist
        artist.remove()
        chars -= 3


def _height_in(fig: Figure, artist, renderer) -> float:
    return artist.get_window_extent(renderer).height / fig.dpi if artist.get_text() else 0.0


def _draw(
    atlas, chosen, highlighted, box, *, title, subtitle, byline, figsize, dpi, inset, tinted
) -> Figure:
    width, height = figsize
    fig = Figure(figsize=(width, width), dpi=dpi, facecolor="#FFFFFF")
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    text_w = width - 2 * MARGIN_IN
    fig.corridormap_title = title
    head = _wrap(fig, renderer, title, text_w, fontsize=13.5, fontweight="bold",
                 color=styles.TEXT_COLOUR, va="top", linespacing=1.15)  # fmt: skip
    sub = _wrap(fig, renderer, subtitle, text_w, fontsize=9, color="#3D444D", va="top",
                linespacing=1.3)  # fmt: skip
    notes = _wrap(fig, renderer, furniture.attribution(chosen), text_w, fontsize=6.5,
                  color=styles.MUTED_COLOUR, va="bottom", linespacing=1.35)  # fmt: skip
    by = _wrap(fig, renderer, byline or "", text_w, fontsize=7.5, color=styles.TEXT_COLOUR,
               va="bottom")  # fmt: skip
    legends = furniture.legend_groups(fig, chosen, text_w, renderer, scale=LINE_SCALE)
    legend_h = max(
        (lg.corridormap_offset[1] + lg.get_window_extent(renderer).height / fig.dpi)
        for lg in legends
    )
    head_h, sub_h = _height_in(fig, head, renderer), _height_in(fig, sub, renderer)
    notes_h, by_h = _height_in(fig, notes, renderer), _height_in(fig, by, renderer)
    top_h = MARGIN_IN + head_h + (0.06 + sub_h if sub_h else 0) + 0.14
    bottom_h = MARGIN_IN * 0.8 + notes_h + (by_h + 0.08 if by_h else 0) + legend_h + 0.22

    crs = map_crs(*box)
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    ring = _project(shapely.segmentize(shapely.box(*box), 0.1), forward)
    x0, y0, x1, y1 = ring.bounds
    if height is None:
        map_h = min(max(text_w * (y1 - y0) / (x1 - x0), 0.5 * text_w), 1.25 * text_w)
        height = top_h + map_h + bottom_h
    map_h = height - top_h - bottom_h
    if map_h < 1.0:
        raise SelectionError(f"figure height {height:g} in leaves no room for the map")
    fig.set_size_inches(width, height)
    head.set_position((MARGIN_IN, height - MARGIN_IN))
    sub.set_position((MARGIN_IN, height - MARGIN_IN - head_h - 0.06))
    y = MARGIN_IN * 0.8
    notes.set_position((MARGIN_IN, y))
    by.set_position((MARGIN_IN, y + notes_h + 0.05))
    for legend in legends:
        dx, dy = legend.corridormap_offset
        legend.set_bbox_to_anchor(
            (MARGIN_IN + dx, height - top_h - map_h - 0.1 - dy), fig.dpi_scale_trans
        )

    ax = fig.add_axes((MARGIN_IN / width, bottom_h / height, text_w / width, map_h / height))
    _fit_view(ax, (x0, y0, x1, y1), text_w / map_h)
    ax.set_facecolor(styles.BACKGROUND)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(styles.LAND_STROKE)
        spine.set_linewidth(0.6)
    view_xy = shapely.box(*ax.get_xlim()[:1], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1])
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    view_ll = _project(shapely.segmentize(view_xy, (x1 - x0) / 50), inverse)

    _draw_countries(ax, atlas.countries, view_ll, forward, tinted)
    lines = _draw_corridors(ax, chosen, highlighted, forward, view_xy)
    places = labels.shown_places(chosen, view_ll)
    corners = labels.corner_order(ax, lines, places, forward)
    placer = labels.LabelPlacer(ax)
    if inset:
        corner = corners.pop(0)
        inset_ax = furniture.add_inset(ax, atlas.countries, view_ll, corner)
        placer.block(inset_ax.get_window_extent(renderer).padded(4))
    bottom = [c for c in corners if c.startswith("lower")] or corners
    right = bottom[0].endswith("right")
    anchor_x = 0.975 if right else 0.025
    for artist in furniture.add_scale_bar(ax, crs, (anchor_x, 0.03), right=right):
        placer.block_artist(artist)
    arrow_x = anchor_x - 0.01 if right else anchor_x + 0.01
    arrow_y = 0.03 + 34 / 72 / map_h
    for artist in furniture.add_north_arrow(ax, crs, (arrow_x, arrow_y)):
        placer.block_artist(artist)
    wide = (ax.get_xlim()[1] - ax.get_xlim()[0]) / 1000 > labels.OVERVIEW_KM
    overview = wide and len(chosen.corridors) > labels.MAX_NAMED_CORRIDORS // 2
    labels.draw_places_and_labels(
        ax, placer, chosen, highlighted, lines, places, forward, atlas, view_ll, overview=overview
    )
    return fig


def _fit_view(ax, bounds, aspect: float) -> None:
    """Set limits covering ``bounds`` with 3 % padding, widened to the axes' aspect ratio."""
    x0, y0, x1, y1 = bounds
    w, h = (x1 - x0) * 1.06, (y1 - y0) * 1.06
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)


def _draw_countries(ax, countries, view_ll, forward, tinted: list[str]) -> None:
    clip = view_ll.buffer(1.0)
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    for iso3, geometry in zip(countries["iso3"], countries.geometry, strict=True):
        piece = shapely.intersection(geometry, clip)
        if piece.is_empty:
            continue
        piece = _project(piece, forward).simplify(width / 3000)
        path = furniture.polygon_path(piece)
        if path is None:
            continue
        fill = styles.LAND_FILL_SELECTED if iso3 in tinted else styles.LAND_FILL
        ax.add_artist(PathPatch(path, facecolor=fill, edgecolor="none", zorder=1))
        ax.add_artist(
            PathPatch(
                path, facecolor="none", edgecolor=styles.LAND_STROKE, linewidth=0.55, zorder=2
            )
        )


def _parts(geometry) -> list[np.ndarray]:
    return [np.asarray(g.coords) for g in getattr(geometry, "geoms", [geometry]) if not g.is_empty]


def _draw_corridors(ax, chosen: Atlas, highlighted, forward, view_xy) -> dict:
    """Draw every segment; return each corridor's visible projected line (for labels)."""
    segments = chosen.segments.copy()
    segments["geometry"] = [_project(g, forward) for g in segments.geometry]
    muted = bool(highlighted)
    caps = {"operational": "round", "under_construction": "butt", "planned": "round"}
    for mode in schema.MODES:
        style = styles.MODE_STYLES[mode]
        rows = segments[segments["mode"] == mode]
        for status in schema.STATUSES:
            group = rows[rows["status"] == status]
            for is_highlight in (False, True):
                part = group[group["corridor_id"].isin(highlighted) == is_highlight]
                if part.empty:
                    continue
                lines = [c for g in part.geometry for c in _parts(g)]
                width = style.weight * LINE_SCALE * (HIGHLIGHT_SCALE if is_highlight else 1.0)
                sketch = part[part["positional_accuracy_km"] > settings.line_data_accuracy_km]
                if not sketch.empty:
                    halos = [c for g in sketch.geometry for c in _parts(g)]
                    ax.add_collection(LineCollection(
                        halos, colors=style.colour, alpha=styles.HALO_OPACITY,
                        linewidths=styles.HALO_WEIGHT * LINE_SCALE, capstyle="round", zorder=4,
                    ))  # fmt: skip
                if is_highlight:
                    ax.add_collection(LineCollection(
                        lines, colors="#FFFFFF", linewidths=width + 2.0, capstyle="round",
                        joinstyle="round", zorder=6,
                    ))  # fmt: skip
                dashes = styles.matplotlib_dashes(status)
                colour = style.colour if is_highlight or not muted else _mix(style.colour, 0.3)
                ax.add_collection(LineCollection(
                    lines, colors=colour, linewidths=width if not muted or is_highlight
                    else width * 0.9, linestyles="solid" if dashes is None else [dashes],
                    capstyle=caps[status], joinstyle="round", zorder=7 if is_highlight else 5,
                ))  # fmt: skip
    visible = {}
    for corridor_id, group in segments.groupby("corridor_id", sort=False):
        merged = shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
        visible[corridor_id] = shapely.intersection(merged, view_xy)
    return visible


def _mix(colour: str, amount: float) -> str:
    """Blend a colour towards white by ``amount`` (0 keeps it, 1 is white)."""
    rgb = np.asarray(to_rgb(colour))
    return to_hex(rgb + (1 - rgb) * amount)
