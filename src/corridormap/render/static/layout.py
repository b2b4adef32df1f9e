"""Layout of the static figure: the text bands above and below the map, in inches.

:func:`measure_text` adds the title, subtitle, source note, byline and corridor key to a figure
and measures them; :func:`bands` turns those heights (and the legend's) into the space above and
below the map; :class:`Layout` holds the result and :func:`place_text` moves everything into place
once the figure's height is known. Values are passed in these small dataclasses, never attached to
matplotlib objects.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text

from corridormap.render import styles

MARGIN_IN = 0.3
#: Inches between the title and subtitle, under the subtitle, and between the map and legend.
TITLE_GAP_IN, HEAD_GAP_IN, LEGEND_GAP_IN = 0.06, 0.14, 0.1
#: Inches between the legend and the source note, and between the byline and the note.
NOTE_GAP_IN, BYLINE_GAP_IN = 0.22, 0.08


@dataclass(frozen=True)
class Texts:
    """The text blocks around the map and their heights in inches."""

    head: Text
    sub: Text
    notes: Text
    by: Text
    key: Text
    heights: dict[str, float]


@dataclass(frozen=True)
class Layout:
    """Inches of the figure: its height, the bands above and below the map, the map's height."""

    width: float
    height: float
    top: float
    bottom: float
    map_h: float

    @property
    def map_w(self) -> float:
        """Width of the map (the figure less its side margins)."""
        return self.width - 2 * MARGIN_IN

    def axes_rect(self) -> tuple[float, float, float, float]:
        """The map's Axes rectangle in figure fractions."""
        w, h = self.width, self.height
        return MARGIN_IN / w, self.bottom / h, self.map_w / w, self.map_h / h


def _wrap(fig: Figure, renderer, text: str, width_in: float, **kwargs) -> Text:
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


def measure_text(fig, renderer, width_in: float, title: str, subtitle: str, byline: str | None,
                 note: str, key: str = "") -> Texts:  # fmt: skip
    """Add the title, subtitle, source note, byline and corridor key; measure their heights."""
    muted = {"color": styles.MUTED_COLOUR, "va": "bottom", "linespacing": 1.35}
    texts = {
        "head": _wrap(fig, renderer, title, width_in, fontsize=13.5, fontweight="bold",
                      color=styles.TEXT_COLOUR, va="top", linespacing=1.15),
        "sub": _wrap(fig, renderer, subtitle, width_in, fontsize=9, color="#3D444D", va="top",
                     linespacing=1.3),
        "notes": _wrap(fig, renderer, note, width_in, fontsize=6.5, **muted),
        "by": _wrap(fig, renderer, byline or "", width_in, fontsize=7.5,
                    color=styles.TEXT_COLOUR, va="bottom"),
        "key": _wrap(fig, renderer, key, width_in, fontsize=7, color=styles.TEXT_COLOUR,
                     va="top", linespacing=1.35),
    }  # fmt: skip
    heights = {
        name: artist.get_window_extent(renderer).height / fig.dpi if artist.get_text() else 0.0
        for name, artist in texts.items()
    }
    return Texts(**texts, heights=heights)


def bands(texts: Texts, legend_h: float) -> tuple[float, float]:
    """Inches above the map (title, subtitle) and below it (legend, key, byline, note)."""
    h = texts.heights
    top = MARGIN_IN + h["head"] + (TITLE_GAP_IN + h["sub"] if h["sub"] else 0) + HEAD_GAP_IN
    key = h["key"] + LEGEND_GAP_IN if h["key"] else 0
    byline = h["by"] + BYLINE_GAP_IN if h["by"] else 0
    bottom = MARGIN_IN * 0.8 + h["notes"] + byline + legend_h + key + NOTE_GAP_IN
    return top, bottom


def place_text(texts: Texts, legends, layout: Layout, fig: Figure) -> None:
    """Move the text blocks and legends to their places once the figure's height is known."""
    h, height = texts.heights, layout.height
    texts.head.set_position((MARGIN_IN, height - MARGIN_IN))
    texts.sub.set_position((MARGIN_IN, height - MARGIN_IN - h["head"] - TITLE_GAP_IN))
    y = MARGIN_IN * 0.8
    texts.notes.set_position((MARGIN_IN, y))
    texts.by.set_position((MARGIN_IN, y + h["notes"] + 0.05))
    legend_top = layout.bottom - LEGEND_GAP_IN
    for placed in legends:
        anchor = (MARGIN_IN + placed.dx, legend_top - placed.dy)
        placed.legend.set_bbox_to_anchor(anchor, fig.dpi_scale_trans)
    legend_h = max((p.dy + p.height for p in legends), default=0.0)
    texts.key.set_position((MARGIN_IN, legend_top - legend_h - LEGEND_GAP_IN))
