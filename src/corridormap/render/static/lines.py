"""Corridor lines of the static figure: mode colours, status dashes, sketch halos, highlights."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.collections import LineCollection

from corridormap import vocabulary
from corridormap._util import is_sketch
from corridormap.atlas.core import Atlas
from corridormap.render import styles
from corridormap.render.static.basemap import MapView

#: The ``gid`` of the corridor lines' collections (labels are placed, and tested, clear of them).
CORRIDOR_GID = "cm-corridor"
#: Leaflet pixels of :data:`styles.MODE_STYLES` to points on paper.
LINE_SCALE = 0.55
HIGHLIGHT_SCALE = 1.45


def parts(geometry) -> list[np.ndarray]:
    """The coordinate arrays of a (multi)line's non-empty parts."""
    return [np.asarray(g.coords) for g in getattr(geometry, "geoms", [geometry]) if not g.is_empty]


#: The small multiples' grey line for a corridor with no dated status yet in that year.
GHOST_COLOUR = "#9A968E"


def draw_ghost(ax, ghost: Atlas, view: MapView) -> None:
    """Draw corridors thin, dotted and grey: lines with no dated status yet (small multiples)."""
    lines = [c for g in ghost.segments.geometry for c in parts(view.project(g))]
    if lines:
        ax.add_collection(LineCollection(
            lines, colors=GHOST_COLOUR, linewidths=0.6, alpha=0.8, capstyle="round",
            linestyles=[(0, (1.0, 1.6))], zorder=3.5, label="ghost",
        ))  # fmt: skip


def draw_corridors(ax, chosen: Atlas, highlighted, view: MapView) -> dict:
    """Draw every segment; return each corridor's visible projected line (for labels)."""
    segments = chosen.segments.copy()
    segments["geometry"] = [view.project(g) for g in segments.geometry]
    muted = bool(highlighted)
    caps = {
        "operational": "round",
        "under_construction": "butt",
        "planned": "round",
        "suspended": "butt",
    }
    for mode in vocabulary.MODES:
        style = styles.MODE_STYLES[mode]
        rows = segments[segments["mode"] == mode]
        for status in vocabulary.STATUSES:
            group = rows[rows["status"] == status]
            for is_highlight in (False, True):
                part = group[group["corridor_id"].isin(highlighted) == is_highlight]
                if part.empty:
                    continue
                lines = [c for g in part.geometry for c in parts(g)]
                width = style.weight * LINE_SCALE * (HIGHLIGHT_SCALE if is_highlight else 1.0)
                sketch = part[is_sketch(part["positional_accuracy_km"])]
                if not sketch.empty:
                    halos = [c for g in sketch.geometry for c in parts(g)]
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
                faded = muted and not is_highlight
                colour = styles.mix(style.colour, 0.3) if faded else style.colour
                ax.add_collection(LineCollection(
                    lines, colors=colour, linewidths=width * 0.9 if faded else width,
                    linestyles="solid" if dashes is None else [dashes],
                    capstyle=caps[status], joinstyle="round", zorder=7 if is_highlight else 5,
                    gid=CORRIDOR_GID,
                ))  # fmt: skip
    visible = {}
    for corridor_id, group in segments.groupby("corridor_id", sort=False):
        merged = shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
        visible[corridor_id] = shapely.intersection(merged, view.view_xy)
    return visible
