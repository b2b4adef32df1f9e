"""Labels of the static figure, placed without overlaps, and the places they name.

Placement is greedy by priority: each label tries a few positions around its anchor and keeps the
first whose rendered bounding box stays inside the map and overlaps nothing placed before it (other
labels, markers, the inset, the scale bar); a label with no free position is dropped, on purpose
(a print map with fewer names reads better than one with names pushed away from what they name,
which is what a force-directed placer such as adjustText does instead). Priorities: crossings of
highlighted corridors, highlighted corridors, country names, other crossings, cities, other
corridors. On an overview with more than :data:`MAX_NAMED_CORRIDORS` corridors, every corridor
gets a number on the map and its name in a key under it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from corridormap._i18n import N_, _
from corridormap.atlas.core import Atlas, place_uses
from corridormap.render import styles
from corridormap.render.styles import short_place_name

#: Kinds of places the figure marks (stations and terminals stay on the interactive map).
STATIC_PLACE_KINDS = styles.NAMED_PLACE_KINDS
#: With more corridors than this, only highlighted corridors are named on the map.
MAX_NAMED_CORRIDORS = 8
#: A view wider than this (km) is an overview: fewer places are named.
OVERVIEW_KM = 1500.0

#: The ``gid`` of every name placed on the map (places, corridors, countries).
LABEL_GID = "cm-label"
#: Room (points) a label keeps from a drawn line's centre: half the widest line and a gap.
LINE_CLEARANCE_PT = 2.5
#: Leaflet pixels of a marker radius to points on paper.
MARKER_SCALE = 0.75
#: Point sizes of the labels (readable at A4 width).
LABEL_SIZE = 7.0
COUNTRY_LABEL_SIZE = 7.5
#: Candidate offsets (points) and alignments for a point label: right, left, above, below, corners.
POINT_OFFSETS: tuple[tuple[float, float, str, str], ...] = (
    (5, 0, "left", "center"),
    (-5, 0, "right", "center"),
    (0, 5, "center", "bottom"),
    (0, -5, "center", "top"),
    (4, 4, "left", "bottom"),
    (-4, 4, "right", "bottom"),
    (4, -4, "left", "top"),
    (-4, -4, "right", "top"),
)


def point_offsets(radius_pt: float) -> tuple[tuple[float, float, str, str], ...]:
    """:data:`POINT_OFFSETS` pushed out so a label clears a marker of ``radius_pt`` points."""
    scale = (radius_pt + 3.0) / 5.0
    return tuple((dx * scale, dy * scale, ha, va) for dx, dy, ha, va in POINT_OFFSETS)


def halo(width: float = 2.2, colour: str = "#FFFFFF") -> list:
    """Return path effects drawing a pale outline behind text, so it reads over lines."""
    return [patheffects.withStroke(linewidth=width, foreground=colour), patheffects.Normal()]


@dataclass
class LabelPlacer:
    """Place text labels on an Axes greedily, dropping any that would overlap.

    Parameters
    ----------
    ax
        The map Axes (its limits must be final).
    margin
        Padding in points kept around every label.
    """

    ax: Axes
    margin: float = 1.5
    taken: list[Bbox] = field(default_factory=list)
    lines: BaseGeometry | None = None

    def __post_init__(self) -> None:
        # matplotlib types the canvas as FigureCanvasBase; the Agg canvas has get_renderer.
        self.renderer = self.ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.frame = self.ax.get_window_extent(self.renderer)
        self.pad = self.margin * self.ax.figure.dpi / 72.0

    def avoid_lines(self, lines) -> None:
        """Register drawn lines (data coordinates) that labels asked to avoid must not cross."""
        to_display = self.ax.transData.transform
        self.lines = shapely.union_all(
            [shapely.transform(g, to_display) for g in lines if g is not None and not g.is_empty]
        )

    def block(self, box: Bbox) -> None:
        """Keep labels off a display-space box (an inset, the scale bar, a marker)."""
        self.taken.append(box)

    def block_artist(self, artist) -> None:
        """Keep labels off an artist's rendered extent."""
        self.block(artist.get_window_extent(self.renderer))

    def _free(self, box: Bbox, *, off_lines: bool = False) -> bool:
        grown = box.padded(self.pad)
        if off_lines and self.lines is not None:
            clear = box.padded(self.pad + LINE_CLEARANCE_PT * self.ax.figure.dpi / 72.0)
            if self.lines.intersects(shapely.box(*clear.extents)):
                return False
        inside = (
            grown.x0 >= self.frame.x0
            and grown.y0 >= self.frame.y0
            and grown.x1 <= self.frame.x1
            and grown.y1 <= self.frame.y1
        )
        return inside and not any(grown.overlaps(other) for other in self.taken)

    def place(
        self,
        xy: tuple[float, float],
        text: str,
        offsets: Sequence[tuple[float, float, str, str]] = POINT_OFFSETS,
        *,
        off_lines: bool = False,
        **kwargs,
    ):
        """Try each offset in turn; keep the first free position and return the Text, else None.

        With ``off_lines`` a position must also keep clear of the lines given to
        :meth:`avoid_lines`.
        """
        for dx, dy, ha, va in offsets:
            label = self.ax.annotate(
                text,
                xy=xy,
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                annotation_clip=False,
                **kwargs,
            )
            box = label.get_window_extent(self.renderer)
            if self._free(box, off_lines=off_lines):
                self.taken.append(box)
                label.set_gid(LABEL_GID)
                return label
            label.remove()
        return None


#: How a break of gauge is named on a corridor figure (``{a}``/``{b}``: the two gauges in mm).
GAUGE_BREAK_NOTE = N_("gauge {a}/{b} mm")


def key_places(chosen: Atlas, *, overview: bool) -> dict[str, str]:
    """Place ids a figure always marks and names first, each with a note for its label.

    On an overview, the capitals of the five states (:data:`styles.CAPITALS`); on a corridor
    figure, each corridor's termini and its breaks of gauge (where ``gauge_mm`` changes from one
    segment to the next, e.g. Makmal on the CKU railway, noted "gauge 1,435/1,520 mm").
    """
    if overview:
        return {p: "" for p in styles.CAPITALS if p in set(chosen.places["place_id"])}
    by_name = dict(zip(chosen.places["name"], chosen.places["place_id"], strict=True))
    wanted: dict[str, str] = {}
    for _corridor, rows in chosen.segments.groupby("corridor_id", sort=False):
        starts, ends = rows["from_place"].tolist(), rows["to_place"].tolist()
        gauges = rows["gauge_mm"].tolist()
        for i in range(1, len(rows)):
            a, b = gauges[i - 1], gauges[i]
            if not pd.isna(a) and not pd.isna(b) and a != b:
                wanted[starts[i]] = _(GAUGE_BREAK_NOTE).format(a=f"{a:,.0f}", b=f"{b:,.0f}")
        for name in (starts[0], ends[-1]):
            wanted.setdefault(name, "")
    return {by_name[name]: note for name, note in wanted.items() if name in by_name}


def shown_places(chosen: Atlas, view_ll, key: Collection[str] = ()) -> pd.DataFrame:
    """Crossings, passes, ports and cities the corridors use, and ``key`` places, in view."""
    places = chosen.places
    used = (place_uses(chosen) > 0) | places["place_id"].isin(styles.CAPITALS)
    inside = places.geometry.within(view_ll)
    named = used & places["kind"].isin(STATIC_PLACE_KINDS)
    shown = places[inside & (named | places["place_id"].isin(key))]
    return shown.sort_values("place_id")


def place_kinds(present) -> list[str]:
    """Kinds of place among ``present``, in legend order (named kinds, then stations etc.)."""
    order = [*STATIC_PLACE_KINDS, *(k for k in styles.PLACE_STYLES if k not in STATIC_PLACE_KINDS)]
    return [k for k in order if k in set(present)]


def corner_order(ax, lines: dict, places, forward) -> list[str]:
    """Corners of the map from emptiest to busiest (corridor length and places inside)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, h = (x1 - x0) * 0.3, (y1 - y0) * 0.3
    boxes = {
        "upper right": shapely.box(x1 - w, y1 - h, x1, y1),
        "upper left": shapely.box(x0, y1 - h, x0 + w, y1),
        "lower right": shapely.box(x1 - w, y0, x1, y0 + h),
        "lower left": shapely.box(x0, y0, x0 + w, y0 + h),
    }
    xs, ys = forward.transform(places.geometry.x.to_numpy(), places.geometry.y.to_numpy())
    points = shapely.points(np.asarray(xs), np.asarray(ys)) if len(places) else []
    score = {}
    for name, box in boxes.items():
        length = sum(shapely.intersection(line, box).length for line in lines.values())
        count = int(np.sum(shapely.within(points, box))) if len(places) else 0
        score[name] = length / w + 0.5 * count
    return sorted(boxes, key=lambda name: (round(score[name], 3), list(boxes).index(name)))


def overview_places(chosen: Atlas, places: pd.DataFrame) -> pd.DataFrame:
    """On an overview, keep crossings, the capitals and the cities on two or more corridors."""
    capital = places["place_id"].isin(styles.CAPITALS)
    return places[(places["kind"] != "city") | (place_uses(chosen, places) >= 2) | capital]


def corridor_numbers(chosen: Atlas) -> dict[str, int]:
    """Key numbers of the corridors, by mode (in :data:`vocabulary.MODES` order) and then name."""
    from corridormap import vocabulary

    order = {mode: i for i, mode in enumerate(vocabulary.MODES)}
    rows = sorted(
        chosen.corridors[["corridor_id", "mode", "name"]].itertuples(index=False),
        key=lambda r: (order.get(r.mode, 99), short_corridor_name(str(r.name))),
    )
    return {row.corridor_id: i for i, row in enumerate(rows, start=1)}


def draw_places_and_labels(
    ax,
    placer,
    chosen,
    highlighted,
    lines,
    places,
    forward,
    atlas,
    view_ll,
    *,
    overview: bool,
    numbers: dict[str, int] | None = None,
    key: Mapping[str, str] | None = None,
) -> list[str]:
    """Mark crossings, then label in priority order; cities without room are left out.

    ``key`` places (:func:`key_places`) are named first after the highlighted crossings. Every
    name keeps clear of the drawn corridor lines; one that finds no such spot is left out (a
    city with its marker).

    On an ``overview`` (a wide view of many corridors), only the crossings of highlighted
    corridors are named and only cities on two or more of the shown corridors are marked, so the
    map stays legible. With ``numbers``, corridors are labelled with their key number instead
    of their name. Returns the place kinds left on the map (for the legend).
    """  # fmt: skip
    renderer = placer.renderer
    marker_scale = MARKER_SCALE * (0.7 if overview else 1.0)
    if overview:
        places = overview_places(chosen, places)
    xs, ys = forward.transform(places.geometry.x.to_numpy(), places.geometry.y.to_numpy())
    places = places.assign(px=np.asarray(xs, dtype=float), py=np.asarray(ys, dtype=float))
    markers = {}
    for place in places.itertuples():
        radius, fill, stroke = styles.PLACE_STYLES[place.kind]
        (marker,) = ax.plot(
            place.px, place.py, marker="o", linestyle="none", markersize=radius * 2 * marker_scale,
            markerfacecolor=fill, markeredgecolor=stroke, markeredgewidth=0.9,
            zorder=9 if place.kind != "city" else 8,
        )  # fmt: skip
        markers[place.place_id] = marker
        placer.block(marker.get_window_extent(renderer))
    text = {"fontsize": LABEL_SIZE, "color": styles.TEXT_COLOUR, "zorder": 12,
            "path_effects": halo()}  # fmt: skip
    names = chosen.corridors.set_index("corridor_id")
    crossings = places[places["kind"] != "city"]
    on_highlight = (
        crossings["corridor_ids"]
        .fillna("")
        .str.split(";")
        .map(lambda v: bool(set(highlighted) & set(v)))
    )
    small = {**text, "fontsize": 6.5}
    offsets = {
        kind: point_offsets(marker_scale * r) + point_offsets(marker_scale * r + 6)
        for kind, (r, *_style) in styles.PLACE_STYLES.items()
    }
    placer.avoid_lines(lines.values())
    key = key or {}
    named: set[str] = set()

    def name(place, style) -> bool:
        text = short_place_name(place.name)
        if key.get(place.place_id):
            text += f"\n{key[place.place_id]}"
        # A key place may sit further from its marker than others, so that it always has room.
        radius = marker_scale * styles.PLACE_STYLES[place.kind][0]
        candidates = offsets[place.kind]
        if place.place_id in key:
            candidates += point_offsets(radius + 12) + point_offsets(radius + 20)
        label = placer.place((place.px, place.py), text, candidates, off_lines=True,
                             **style)  # fmt: skip
        if label is not None:
            named.add(place.place_id)
        return label is not None

    for place in crossings[on_highlight].itertuples():  # 1. crossings of highlighted corridors
        name(place, small)
    for place in places[places["place_id"].isin(key)].itertuples():  # 1b. termini, capitals
        if place.place_id not in named:
            name(place, text if place.kind == "city" else small)
    numbered = numbers is not None
    numbers = numbers or {}
    for corridor_id in highlighted:  # 2. highlighted corridors
        _label_corridor(placer, lines[corridor_id], names.loc[corridor_id], bold=True, text=text,
                        number=numbers.get(corridor_id))  # fmt: skip
    if numbered:  # 2b. every other corridor's key number (they are few characters each)
        for corridor_id in (c for c in lines if c not in highlighted):
            _label_corridor(placer, lines[corridor_id], names.loc[corridor_id], bold=False,
                            text=text, number=numbers.get(corridor_id))  # fmt: skip
    _label_countries(ax, placer, atlas.countries, view_ll, forward)  # 3. countries
    if not overview:  # 4. other crossings
        for place in crossings[~on_highlight].itertuples():
            if place.place_id not in named:
                name(place, small)
    for place in places[places["kind"] == "city"].itertuples():  # 5. cities
        if place.place_id not in named and not name(place, text) and place.place_id not in key:
            markers.pop(place.place_id).remove()
    if not numbered and len(lines) <= MAX_NAMED_CORRIDORS:  # 6. other corridors
        for corridor_id in (c for c in lines if c not in highlighted):
            _label_corridor(placer, lines[corridor_id], names.loc[corridor_id], bold=False,
                            text=text)  # fmt: skip
    return place_kinds(places.loc[places["place_id"].isin(markers), "kind"])


def short_corridor_name(name: str) -> str:
    """A corridor name for the map: without a trailing parenthesis (the route is drawn).

    >>> short_corridor_name("China–Kyrgyzstan–Uzbekistan highway (Kashgar – Osh – Tashkent)")
    'China–Kyrgyzstan–Uzbekistan highway'
    """
    head = name.split(" (")[0].split("（")[0].strip()
    return head or name


def _label_corridor(placer, line, row, *, bold: bool, text: dict, number: int | None = None):
    if line is None or line.is_empty:
        return
    name = short_corridor_name(str(row["name"])) if number is None else str(number)
    if len(name) > 26 and " " in name:
        cut = min(
            (i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - len(name) / 2)
        )
        name = name[:cut] + "\n" + name[cut + 1 :]
    colour = styles.mix(styles.MODE_STYLES[row["mode"]].colour, 0.35, towards="#000000")
    offsets: tuple[tuple[float, float, str, str], ...] = (
               (0, 7, "center", "bottom"), (0, -7, "center", "top"),
               (8, 0, "left", "center"), (-8, 0, "right", "center"),
               (6, 6, "left", "bottom"), (-6, 6, "right", "bottom"),
               (6, -6, "left", "top"), (-6, -6, "right", "top"))  # fmt: skip
    style = {**text, "color": colour, "fontweight": "bold" if bold or number else "normal",
             "fontstyle": "normal" if number else "italic", "linespacing": 1.1}  # fmt: skip
    if number is not None:
        offsets = ((0, 0, "center", "center"), *offsets)
    longest = max(getattr(line, "geoms", [line]), key=lambda g: g.length)
    # Clear of every drawn line (its own too), near it; further out if the near spots are taken.
    wider = tuple((dx * 2, dy * 2, ha, va) for dx, dy, ha, va in offsets if dx or dy)
    for candidates in (offsets, wider):
        for fraction in (0.5, 0.35, 0.65, 0.2, 0.8):
            point = longest.interpolate(fraction, normalized=True)
            xy = (point.x, point.y)
            if placer.place(xy, name, candidates, off_lines=True, **style) is not None:
                return


#: A country whose visible part covers this share of the view is named (smaller ones too, if
#: their label fits inside them).
COUNTRY_MIN_SHARE = 0.004
#: Offsets (points) tried for a country name: on its anchor, then rings around it.
COUNTRY_OFFSETS: tuple[tuple[float, float, str, str], ...] = (
    (0, 0, "center", "center"),
    *((dx, dy, "center", "center") for r in (10, 20, 30)
      for dx, dy in ((0, r), (0, -r), (2.4 * r, 0), (-2.4 * r, 0),
                     (1.7 * r, 0.7 * r), (-1.7 * r, 0.7 * r), (1.7 * r, -0.7 * r),
                     (-1.7 * r, -0.7 * r))),
)  # fmt: skip


def _label_countries(ax, placer, countries, view_ll, forward) -> None:
    """Name every country in view: largest first, at its label point or its visible part's."""
    inner = shapely.buffer(view_ll, -0.02 * (view_ll.bounds[2] - view_ll.bounds[0]))
    rows = []
    for row in countries.itertuples():
        visible = shapely.intersection(row.geometry, inner)
        if visible.is_empty or visible.area < COUNTRY_MIN_SHARE * view_ll.area:
            continue
        biggest = max(getattr(visible, "geoms", [visible]), key=lambda g: g.area)
        anchor = shapely.Point(row.label_lon, row.label_lat)
        if not biggest.contains(anchor):
            anchor = shapely.ops.polylabel(biggest, tolerance=0.05)
        rows.append((visible.area, row.name, anchor))
    for _area, name, anchor in sorted(rows, key=lambda r: (-r[0], r[1])):
        x, y = forward.transform(anchor.x, anchor.y)
        style = {"color": styles.LABEL_COLOUR, "zorder": 3, "path_effects": halo(1.6)}
        for size in (COUNTRY_LABEL_SIZE, COUNTRY_LABEL_SIZE - 1.5):
            if placer.place(
                (x, y), name.upper(), COUNTRY_OFFSETS, off_lines=True, fontsize=size, **style
            ):
                break
