"""The static figure: a print-ready matplotlib map of a selection, with no tile server.

:func:`static_map` returns a :class:`matplotlib.figure.Figure` drawn on the Agg canvas (no pyplot,
no global state); :func:`save_static` writes it as PNG, SVG or PDF with fixed metadata so the same
inputs give byte-identical files. The map is drawn in a Lambert conformal conic projection centred
on the extent (north is up at the centre; the north arrow shows true north where it stands), with
the colours and line styles of the interactive map (:mod:`corridormap.render.styles`); the drawing
itself is :func:`corridormap.render.static.draw.draw_map`, shared with the small multiples.
"""

from __future__ import annotations

import logging
import math
import types
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import matplotlib
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridormap import vocabulary
from corridormap._i18n import N_, _, current, ngettext, speaks
from corridormap._util import Many, as_list
from corridormap.atlas.core import Atlas
from corridormap.errors import OutputError, SelectionError
from corridormap.io import atomic_path
from corridormap.query import check_bbox, select
from corridormap.render import styles
from corridormap.render.static import furniture, labels
from corridormap.render.static.draw import (
    StaticFigure,
    draw_map,
    is_overview,
    new_figure,
    projected_box,
    rc_params,
)
from corridormap.render.static.footprint import credits as footprint_credits
from corridormap.render.static.footprint import legend_handles as footprint_handles
from corridormap.render.static.layout import MARGIN_IN, Layout, bands, measure_text, place_text
from corridormap.render.static.lines import LINE_SCALE
from corridormap.render.static.routes import route_handles

log = logging.getLogger(__name__)

DEFAULT_TITLE = N_("China–Central Asia infrastructure corridors")
#: A4 width less 10 mm margins each side, in inches.
DEFAULT_WIDTH_IN = 7.5
DEFAULT_DPI = 300
SAVE_FORMATS = ("png", "svg", "pdf")
#: The least height, in inches, the map itself gets between the text above and below it.
MIN_MAP_IN = 1.0


class FigureTooSmall(SelectionError):
    """The figure's height leaves less than :data:`MIN_MAP_IN` for the map.

    A :class:`~corridormap.errors.SelectionError` (a bad option of :func:`static_map`);
    ``height_in`` is the height asked for and ``needed_in`` the least that would do (rounded up
    to a tenth of an inch), so that :func:`corridormap.brief` can name the spec's
    ``figure.height_in`` instead.
    """

    def __init__(self, height_in: float, needed_in: float):
        self.height_in = height_in
        self.needed_in = math.ceil(round(needed_in * 10, 6)) / 10  # 3.62 -> 3.7, 3.7 stays
        super().__init__(
            f"figure height {height_in:g} in leaves no room for the map; give at least "
            f"{self.needed_in:g} in, or no height to fit the map"
        )

    def __reduce__(self) -> tuple[type, tuple[float, float]]:
        # pickled (a dask worker, copy.copy) from the two numbers, not from the message
        return type(self), (self.height_in, self.needed_in)


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
        codes = [v.upper() for v in values if isinstance(v, str)]  # all are, checked above
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


@speaks
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
    years: Sequence[int] | None = None,
    ax: Axes | None = None,
    routes: gpd.GeoDataFrame | None = None,
    finance: bool = False,
    energy: bool = False,
    lang: str = "en",
) -> Figure:
    """Draw the static map of a selection: basemap, relief, water, corridors, crossings, furniture.

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
        Text above the map and the author/date line under it; ``None`` gives a default title (the
        corridor's name when the selection is one corridor) and a subtitle counting the corridors
        by status. Text is drawn as written (``$`` is a dollar sign, not mathematics).
    figsize
        Width and height in inches; a height of ``None`` follows the extent's shape.
    dpi
        Resolution of the figure (PNG pixels per inch).
    inset
        Draw the locator map of the region.
    years
        Draw small multiples instead: one map per year, each corridor styled by its status as of
        that year (:func:`corridormap.select` with ``as_of``), under a shared title and legend.
    ax
        Draw the map onto this Axes (of your own figure) instead: basemap, corridors, labels,
        scale bar and north arrow, no title, legend or inset; returns that Axes' figure.
    routes
        Routes from :func:`corridormap.routes` to compare on the map: one wide band each (rank 1
        solid, the others dashed, the interactive map's route colours) under the corridors, and
        a legend entry with km and days. With no ``extent``, the map widens to hold them.
    finance, energy
        Draw China's footprint under the corridors: AidData's traced projects (outlines coloured
        by sector) and GCDF 3.0's commitments by region (circles, area ~ constant 2021 USD);
        Global Energy Monitor's pipelines (thin) and plants (circles sized by MW). Each adds its
        legend entries and credit line (AidData ODC-By; GEM CC BY 4.0). Not on ``years`` maps.
    lang
        The language of the figure: ``"en"``, ``"ru"`` or ``"zh"`` (text, names and numbers).
        Chinese needs a CJK font: Noto Sans CJK (Debian's ``fonts-noto-cjk``).

    Returns
    -------
    matplotlib.figure.Figure
        On the Agg canvas (it shows itself in Jupyter); write it with :func:`save_static`.

    Raises
    ------
    SelectionError
        For an unknown filter, highlight or country, an empty selection, ``years`` not in
        order, or a ``figsize`` height that leaves no room for the map (the message gives the
        least height that would do), or an unknown language.
    MissingDependencyError
        For ``lang="zh"`` on a system without Noto Sans CJK (the message names the package).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> fig = cm.static_map(atlas, corridor="cku_railway", figsize=(4, None), dpi=50)
    >>> fig.get_label()  # one corridor: titled with its name
    'China–Kyrgyzstan–Uzbekistan railway'

    Draw onto an Axes of your own figure:

    >>> from matplotlib.figure import Figure
    >>> mine = Figure(figsize=(4, 3), dpi=50)
    >>> cm.static_map(atlas, corridor="cku_railway", ax=mine.add_subplot()) is mine
    True

    In Russian:

    >>> fig = cm.static_map(atlas, mode="rail", figsize=(4, None), dpi=50, lang="ru")
    >>> fig.get_label()
    'Инфраструктурные коридоры Китай – Центральная Азия'
    """
    filters: dict[str, Many] = {
        "mode": mode, "status": status, "country": country, "corridor": corridor
    }  # fmt: skip
    chosen = select(atlas, mode=mode, status=status, country=country, corridor=corridor)
    highlighted = as_list(highlight)
    missing = [c for c in highlighted if c not in set(chosen.corridors["corridor_id"])]
    if missing:
        raise SelectionError(f"highlighted corridor {missing[0]!r} is not in the selection")
    box = extent_bounds(atlas, extent, chosen)
    if routes is not None and len(routes) and extent is None:
        west, south, east, north = (float(v) for v in routes.to_crs("EPSG:4326").total_bounds)
        box = (min(box[0], west), min(box[1], south), max(box[2], east), max(box[3], north))
    tinted = [c.upper() for c in as_list(country)]
    title = title or default_title(chosen)
    with matplotlib.rc_context(rc_params()):
        if ax is not None:
            fig = _root_figure(ax)
            if not hasattr(fig.canvas, "get_renderer"):  # a bare Figure(): measure on Agg
                FigureCanvasAgg(fig)
            draw_map(ax, atlas, chosen, highlighted, box, tinted=tinted, routes=routes,
                     footprint=(finance, energy))  # fmt: skip
            _shows_in_jupyter(fig)
            return fig
        if years:
            from corridormap.render.static.years import small_multiples

            return small_multiples(
                atlas, filters, [int(y) for y in years], highlighted, box, title=title,
                subtitle=subtitle, byline=byline, width=figsize[0], dpi=dpi, tinted=tinted,
            )  # fmt: skip
        return _draw(
            atlas, chosen, highlighted, box, title=title,
            subtitle=_default_subtitle(chosen) if subtitle is None else subtitle,
            byline=byline, figsize=figsize, dpi=dpi, inset=inset, tinted=tinted, routes=routes,
            footprint=(finance, energy),
        )  # fmt: skip


def save_static(fig: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Write a figure as PNG, SVG or PDF (by suffix) atomically, with reproducible metadata.

    The same figure gives byte-identical files. The figure's label
    (:meth:`~matplotlib.figure.Figure.get_label`, the title for figures from :func:`static_map`)
    becomes the SVG/PDF title.

    Parameters
    ----------
    fig
        A figure from :func:`static_map` (any matplotlib Figure works).
    path
        The file to write, ending in ``.png``, ``.svg`` or ``.pdf``; its folder is created if
        needed.
    dpi
        Resolution of a PNG (pixels per inch); ``None`` keeps the figure's own.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputError
        For a suffix other than ``.png``, ``.svg`` or ``.pdf``.

    Examples
    --------
    >>> import corridormap as cm
    >>> fig = cm.static_map(cm.load(), corridor="cku_railway", figsize=(4, None), dpi=50)
    >>> print(cm.save_static(fig, "cku.png"))
    cku.png
    >>> print(cm.save_static(fig, "figures/cku.pdf"))
    figures/cku.pdf
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in SAVE_FORMATS:
        raise OutputError(f"can save a figure as {', '.join(SAVE_FORMATS)}; got {target.name}")
    by_format: dict[str, dict[str, str | None]] = {
        "png": {"Software": "corridormap"},
        "svg": {"Date": None, "Creator": "corridormap"},
        "pdf": {
            "CreationDate": None,
            "ModDate": None,
            "Creator": "corridormap",
            "Producer": "corridormap",
        },  # fmt: skip
    }
    metadata = by_format[fmt]
    if fig.get_label() and fmt in {"svg", "pdf"}:
        metadata["Title"] = str(fig.get_label())  # matplotlib types a label as object
    with matplotlib.rc_context(rc_params()), atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi or fig.dpi, metadata=metadata)
    log.info("Saved %s", target)
    return target


# --------------------------------------------------------------------------- layout


def default_title(chosen: Atlas) -> str:
    """The title of a figure given none: its corridor's name when it shows one, else the atlas's.

    Examples
    --------
    >>> import corridormap as cm
    >>> default_title(cm.select(cm.load(), corridor="cku_railway"))
    'China–Kyrgyzstan–Uzbekistan railway'
    """
    if len(chosen.corridors) == 1:
        return str(chosen.corridors["name"].iloc[0])
    return _(DEFAULT_TITLE)


def _shows_in_jupyter(fig: Figure) -> None:
    """Give a figure of the user's the PNG view IPython looks for, as :func:`static_map`'s own.

    A ``Figure()`` made without pyplot has no display in a notebook (pyplot's inline backend
    shows only figures it made); one that already has a view keeps it.
    """
    if not hasattr(fig, "_repr_png_"):
        fig._repr_png_ = types.MethodType(StaticFigure._repr_png_, fig)  # type: ignore[attr-defined]


def _root_figure(ax: Axes) -> Figure:
    """The top-level Figure of an Axes (also when it sits in a SubFigure)."""
    fig = ax.figure
    return fig if isinstance(fig, Figure) else fig.figure


def _default_subtitle(chosen: Atlas) -> str:
    counts = chosen.corridors["status"].value_counts()
    parts = [styles.status_count(counts[s], s) for s in vocabulary.STATUSES if s in counts]
    total = len(chosen.corridors)
    text = ngettext("{n} corridor: {parts}.", "{n} corridors: {parts}.", total)
    return text.format(n=total, parts=current().comma.join(parts))


def _draw(
    atlas,
    chosen,
    highlighted,
    box,
    *,
    title,
    subtitle,
    byline,
    figsize,
    dpi,
    inset,
    tinted,
    routes=None,
    footprint=(False, False),
) -> Figure:
    width, height = figsize
    fig = new_figure(width, dpi, title)
    # matplotlib types the canvas as FigureCanvasBase; the Agg canvas has get_renderer.
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    text_w = width - 2 * MARGIN_IN
    numbers = _numbers(chosen, box)
    key = _key(chosen, numbers)
    note = furniture.attribution(chosen, extra=footprint_credits(chosen, *footprint))
    texts = measure_text(fig, renderer, text_w, title, subtitle, byline, note, key)
    kinds = furniture.legend_kinds(chosen, _predicted_places(chosen, box))
    extra = route_handles(routes) + footprint_handles(*footprint)
    legends = furniture.legend_groups(
        fig, chosen, text_w, renderer, scale=LINE_SCALE, kinds=kinds, routes=extra
    )
    legend_h = max(p.dy + p.height for p in legends)
    top, bottom = bands(texts, legend_h)
    x0, y0, x1, y1 = projected_box(box)
    if height is None:
        map_h = min(max(text_w * (y1 - y0) / (x1 - x0), 0.5 * text_w), 1.25 * text_w)
        height = top + map_h + bottom
    layout = Layout(width, height, top, bottom, height - top - bottom)
    if layout.map_h < MIN_MAP_IN:
        raise FigureTooSmall(height, top + bottom + MIN_MAP_IN)
    fig.set_size_inches(width, height)
    place_text(texts, legends, layout, fig)
    ax = fig.add_axes(layout.axes_rect())
    drawn = draw_map(ax, atlas, chosen, highlighted, box, tinted=tinted, inset=inset,
                     numbers=numbers, routes=routes, footprint=footprint)  # fmt: skip
    if drawn != kinds:  # a kind whose every marker lost its label: keep the legend exact
        for placed in legends:
            placed.legend.remove()
        legends = furniture.legend_groups(fig, chosen, text_w, renderer, scale=LINE_SCALE,
                                          kinds=drawn, routes=extra)  # fmt: skip
        place_text(texts, legends, layout, fig)
    return fig


def _numbers(chosen: Atlas, box) -> dict[str, int] | None:
    """Key numbers of the corridors on a crowded overview (``None``: name them on the map)."""
    crowded = len(chosen.corridors) > labels.MAX_NAMED_CORRIDORS and is_overview(chosen, box)
    return labels.corridor_numbers(chosen) if crowded else None


def _key(chosen: Atlas, numbers: dict[str, int] | None) -> str:
    if not numbers:
        return ""
    names = chosen.corridors.set_index("corridor_id")["name"]
    entries = sorted((n, labels.short_corridor_name(str(names[c]))) for c, n in numbers.items())
    return _("Corridors: {key}").format(key=" · ".join(f"{n} {name}" for n, name in entries))


def _predicted_places(chosen: Atlas, box):
    """The places the map will mark (before labels that do not fit drop cities)."""
    view = shapely.segmentize(shapely.box(*box), 0.5)
    overview = is_overview(chosen, box)
    places = labels.shown_places(chosen, view, labels.key_places(chosen, overview=overview))
    return labels.overview_places(chosen, places) if overview else places


# --------------------------------------------------------------------------- the map itself
