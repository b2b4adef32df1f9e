"""One static map drawn onto an Axes, and the figure the static maps are drawn on.

:func:`draw_map` draws basemap, relief, water, corridors, places, labels, scale bar and north
arrow in a Lambert conformal conic projection fitted to the extent (:func:`map_crs`). Both the
single map (:mod:`corridormap.render.static.figure`) and the small multiples
(:mod:`corridormap.render.static.years`) draw with it, so it sits below both modules rather
than in one of them (which made the two import each other).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pyproj import CRS, Transformer

from corridormap._i18n import current
from corridormap.atlas.core import Atlas
from corridormap.errors import MissingDependencyError
from corridormap.render import styles
from corridormap.render.static import basemap as base
from corridormap.render.static import furniture, labels
from corridormap.render.static.footprint import draw_energy, draw_finance
from corridormap.render.static.lines import draw_corridors, draw_ghost
from corridormap.render.static.routes import draw_routes

#: Where the scale bar sits: axes fraction from the map's side and bottom edges.
SCALE_INSET, SCALE_BOTTOM = 0.025, 0.03
#: The north arrow stands this many points above the scale bar.
ARROW_RISE_PT = 34.0
#: Font families in order of preference; the first installed one is used.
FONT_PREFERENCE = ("Source Sans 3", "Source Sans Pro", "Roboto", "Noto Sans", "Liberation Sans",
                   "Arial", "Helvetica", "DejaVu Sans")  # fmt: skip


def font_family() -> str:
    """Return the first installed family of :data:`FONT_PREFERENCE` (checked without warnings)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in FONT_PREFERENCE if name in installed), "DejaVu Sans")


#: The CJK family a Chinese figure needs, and the Debian package that installs it.
CJK_FAMILY, CJK_PACKAGE = "Noto Sans CJK SC", "fonts-noto-cjk"


def cjk_family() -> str:
    """The CJK font family, or one clear error naming the package to install.

    Raises
    ------
    MissingDependencyError
        When no Noto Sans CJK font is installed (matplotlib would draw empty boxes).
    """
    from matplotlib import font_manager

    def installed() -> bool:
        return CJK_FAMILY in {font.name for font in font_manager.fontManager.ttflist}

    if not installed():  # installed after matplotlib cached its font list: add the files
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in Path(path).name:
                font_manager.fontManager.addfont(path)
    if not installed():
        raise MissingDependencyError(
            f"a Chinese figure needs the font {CJK_FAMILY!r}, which is not installed: install "
            f"Debian's {CJK_PACKAGE} (apt-get install {CJK_PACKAGE}) or Noto Sans CJK SC from "
            "https://github.com/notofonts/noto-cjk, then remove matplotlib's font cache"
        )
    return CJK_FAMILY


def rc_params() -> dict:
    """The matplotlib settings every static figure is drawn and saved with (fonts, SVG ids).

    A Chinese figure (:func:`corridormap._i18n.current`) lists the CJK family after the Latin
    one, so matplotlib takes each glyph from the first family that has it.
    """
    families = [font_family(), "DejaVu Sans"]
    chinese = current().lang == "zh"
    if chinese:
        families.insert(1, cjk_family())
    return {
        # Families by name: matplotlib falls back glyph by glyph only along an explicit list.
        "font.family": families if chinese else "sans-serif",
        "font.sans-serif": families,
        "svg.hashsalt": "corridormap",
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "path.simplify": True,
        # Text from users and the data is drawn as written: "US$4.7 bn ... US$2.3 bn" is money,
        # not mathematics between two dollar signs.
        "text.parse_math": False,
        # Unhinted glyphs: a label's extent scales with the dpi, so the label layout (which
        # names fit where) is the same at 50 and 300 dpi, not decided by pixel rounding.
        "text.hinting": "none",
        "text.usetex": False,
    }


def map_crs(west: float, south: float, east: float, north: float) -> CRS:
    """Lambert conformal conic CRS fitted to a box: standard parallels at 1/6 and 5/6 of it."""
    span = max(north - south, 1.0)
    mid = (south + north) / 2
    lat1, lat2 = mid - span / 3, mid + span / 3
    return CRS.from_proj4(
        f"+proj=lcc +lat_0={mid:.3f} +lon_0={(west + east) / 2:.3f} +lat_1={lat1:.3f} "
        f"+lat_2={lat2:.3f} +datum=WGS84 +units=m +no_defs"
    )


class StaticFigure(Figure):
    """A matplotlib Figure that shows itself in Jupyter (as PNG) without pyplot.

    Notebooks display a figure through pyplot's inline backend; this one is made on the Agg
    canvas with no pyplot, so it gives IPython a PNG itself (at most 110 dpi, for the screen).
    """

    def _repr_png_(self) -> bytes:
        from io import BytesIO

        buffer = BytesIO()
        with matplotlib.rc_context(rc_params()):
            self.savefig(buffer, format="png", dpi=min(self.dpi, 110))
        return buffer.getvalue()


def new_figure(width: float, dpi: float, label: str) -> Figure:
    """A :class:`StaticFigure` on the Agg canvas, labelled with the title."""
    fig = StaticFigure(figsize=(width, width), dpi=dpi, facecolor="#FFFFFF")
    FigureCanvasAgg(fig)
    fig.set_label(label)
    return fig


def projected_box(box) -> tuple[float, float, float, float]:
    """Bounds of a lon/lat box in its :func:`map_crs` (edges densified: curved ones count)."""
    forward = Transformer.from_crs("EPSG:4326", map_crs(*box), always_xy=True)
    ring = shapely.segmentize(shapely.box(*box), 0.1)
    return shapely.transform(ring, lambda c: np.column_stack(forward.transform(*c.T))).bounds


def is_overview(chosen: Atlas, box) -> bool:
    """True for a wide map of many corridors (labelled as an overview)."""
    x0, _, x1, _ = projected_box(box)
    wide = (x1 - x0) / 1000 > labels.OVERVIEW_KM
    return wide and len(chosen.corridors) > labels.MAX_NAMED_CORRIDORS // 2


def draw_map(ax: Axes, atlas: Atlas, chosen: Atlas, highlighted: list[str], box, *,
             tinted: list[str], inset: bool = False, numbers: dict[str, int] | None = None,
             bare: bool = False, ghost: Atlas | None = None,
             routes: gpd.GeoDataFrame | None = None,
             footprint: tuple[bool, bool] = (False, False)) -> list[str]:  # fmt: skip
    """Draw basemap, relief, water, corridors, places, labels, scale bar and north arrow on ``ax``.

    ``footprint`` = ``(finance, energy)`` draws AidData's projects and GEM's assets of ``chosen``
    under the corridors. ``ghost`` corridors (not in ``chosen``) are drawn thin and grey under the
    rest; a ``bare``
    map (a small multiple) has no places, labels, scale bar or north arrow. Returns the place
    kinds left on the map.
    """
    crs = map_crs(*box)
    frame = ax.get_window_extent()
    _fit_view(ax, projected_box(box), frame.width / frame.height)
    ax.set_facecolor(styles.BACKGROUND)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(styles.LAND_STROKE)
        spine.set_linewidth(0.6)
    view = base.map_view(ax, crs)
    base.draw_countries(ax, atlas.countries, view, tinted)
    base.draw_relief(ax, view)
    base.draw_water(ax, view)
    if ghost is not None:
        draw_ghost(ax, ghost, view)
    finance, energy = footprint
    if finance:
        draw_finance(ax, chosen, view)
    if energy:
        draw_energy(ax, chosen, view)
    draw_routes(ax, routes, view)
    lines = draw_corridors(ax, chosen, highlighted, view)
    if bare:
        return []
    overview = is_overview(chosen, box)
    key = labels.key_places(chosen, overview=overview)
    shown = labels.shown_places(chosen, view.view_ll, key)
    corners = labels.corner_order(ax, lines, shown, view.forward)
    placer = labels.LabelPlacer(ax)
    renderer = placer.renderer
    if inset:
        inset_ax = furniture.add_inset(ax, atlas.countries, view.view_ll, corners.pop(0))
        placer.block(inset_ax.get_window_extent(renderer).padded(4))
    bottom = [c for c in corners if c.startswith("lower")] or corners
    right = bottom[0].endswith("right")
    anchor_x = 1 - SCALE_INSET if right else SCALE_INSET
    for artist in furniture.add_scale_bar(ax, crs, (anchor_x, SCALE_BOTTOM), right=right):
        placer.block_artist(artist)
    map_h = frame.height / ax.figure.dpi
    arrow_x = anchor_x - 0.01 if right else anchor_x + 0.01
    arrow = (arrow_x, SCALE_BOTTOM + ARROW_RISE_PT / 72 / map_h)
    for artist in furniture.add_north_arrow(ax, crs, arrow):
        placer.block_artist(artist)
    return labels.draw_places_and_labels(
        ax, placer, chosen, highlighted, lines, shown, view.forward, atlas, view.view_ll,
        overview=overview, numbers=numbers, key=key,
    )  # fmt: skip


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
