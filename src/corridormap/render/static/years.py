"""Small multiples of the build-out: one map per year, statuses as of that year.

Each panel is the selection as :func:`corridormap.select` gives it with ``as_of=year`` (the one
status reconstruction of the package, from ``status_history.csv``): corridors styled by the
status they had at the end of that year, segments not yet in service left out. Corridors of the
selection with no dated status step by then are drawn as a thin grey dotted line ("no dated
status yet"), so every panel shows the same network for comparison.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from corridormap import vocabulary
from corridormap._i18n import N_, _, current
from corridormap.atlas.core import Atlas
from corridormap.errors import SelectionError
from corridormap.query import select
from corridormap.render import styles
from corridormap.render.static import furniture
from corridormap.render.static.draw import draw_map, new_figure, projected_box
from corridormap.render.static.layout import MARGIN_IN, Layout, bands, measure_text, place_text
from corridormap.render.static.lines import GHOST_COLOUR, LINE_SCALE

#: Inches between panels, and the height of each panel's year heading.
GUTTER_IN, HEADING_IN = 0.12, 0.26
GHOST_LABEL = N_("No dated status yet")


def panel_atlas(atlas: Atlas, filters: dict, year: int) -> Atlas | None:
    """The selection as it stood at the end of ``year``; ``None`` if no corridor was dated yet."""
    try:
        return select(atlas, **filters, as_of=year)
    except SelectionError:
        return None


def headline(chosen: Atlas | None, year: int) -> str:
    """A panel's heading: the year and its corridors counted by status."""
    if chosen is None:
        return _("{year}: no corridor dated yet").format(year=year)
    counts = chosen.corridors["status"].value_counts()
    parts = [styles.status_count(counts[s], s) for s in vocabulary.STATUSES if s in counts]
    return f"{year}: {current().comma.join(parts)}"


def small_multiples(
    atlas: Atlas, filters: dict, years: list[int], highlighted: list[str], box, *, title: str,
    subtitle: str | None, byline: str | None, width: float, dpi: float, tinted: list[str],
) -> Figure:  # fmt: skip
    """Draw one map per year in a grid (up to three across) under one title and legend."""
    if sorted(set(years)) != list(years):
        raise SelectionError(f"years must be distinct and in order; got {years!r}")
    everything = select(atlas, **filters)
    panels = [panel_atlas(atlas, filters, year) for year in years]
    if subtitle is None:
        subtitle = _(
            "The build-out, {first}–{last}: each corridor styled by its status at the end of the "
            "year (status_history.csv)."
        ).format(first=years[0], last=years[-1])
    fig = new_figure(width, dpi, title)
    # matplotlib types the canvas as FigureCanvasBase; the Agg canvas has get_renderer.
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    text_w = width - 2 * MARGIN_IN
    texts = measure_text(fig, renderer, text_w, title, subtitle, byline,
                         furniture.attribution(everything))  # fmt: skip
    ghost_handle = Line2D([], [], color=GHOST_COLOUR, linewidth=0.8, linestyle=(0, (1.0, 1.6)),
                   label=_(GHOST_LABEL))  # fmt: skip
    legends = furniture.legend_groups(fig, everything, text_w, renderer, scale=LINE_SCALE,
                                      kinds=[], extra=[ghost_handle])  # fmt: skip
    top, bottom = bands(texts, max(p.dy + p.height for p in legends))
    cols = min(len(years), 3)
    rows = math.ceil(len(years) / cols)
    panel_w = (text_w - GUTTER_IN * (cols - 1)) / cols
    x0, y0, x1, y1 = projected_box(box)
    panel_h = min(max(panel_w * (y1 - y0) / (x1 - x0), 0.5 * panel_w), 1.25 * panel_w)
    height = top + bottom + rows * (panel_h + HEADING_IN) + GUTTER_IN * (rows - 1)
    fig.set_size_inches(width, height)
    place_text(texts, legends, Layout(width, height, top, bottom, height - top - bottom), fig)
    for i, (year, chosen) in enumerate(zip(years, panels, strict=True)):
        row, col = divmod(i, cols)
        left = MARGIN_IN + col * (panel_w + GUTTER_IN)
        lower = height - top - (row + 1) * (panel_h + HEADING_IN) - row * GUTTER_IN
        ax = fig.add_axes((left / width, lower / height, panel_w / width, panel_h / height))
        ax.set_label(str(year))
        ax.set_title(headline(chosen, year), loc="left", fontsize=7.5, fontweight="bold",
                     color=styles.TEXT_COLOUR, pad=3)  # fmt: skip
        shown = set() if chosen is None else set(chosen.corridors["corridor_id"])
        present = chosen if chosen is not None else everything.subset([])
        ghost = everything.subset(
            [c for c in everything.corridors["corridor_id"] if c not in shown]
        )
        marked = [c for c in highlighted if c in shown]
        draw_map(ax, atlas, present, marked, box, tinted=tinted, bare=True, ghost=ghost)
    return fig
