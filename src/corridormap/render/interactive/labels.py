"""Where the interactive map's names go at each zoom, so that no two ever overlap.

A greedy placement by priority, computed once per zoom level in Web Mercator pixels: country
names first (largest country first), then capitals and main cities, border crossings, other
cities, passes and ports. Each name tries the right of its marker, then the left, above and below;
a name that fits nowhere is hidden at that zoom. Markers are obstacles too, so a name never covers
another place's dot. The result is one code character per zoom (see :data:`PLACEMENTS`).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

#: Zoom levels placed; the map uses the layout of ``floor(zoom)`` (clamped to this range), which
#: only spreads names further apart between levels.
ZOOMS = range(3, 11)
#: Code per zoom: hidden, or the side of the marker the name sits on.
PLACEMENTS = {
    "hidden": "0", "right": "1", "left": "2", "above": "3", "below": "4", "centre": "5",
    "up": "6", "down": "7", "west": "8", "east": "9",
}  # fmt: skip
#: Approximate text metrics (CSS pixels) of the two label styles in the stylesheet.
PLACE_CHAR_PX, PLACE_HEIGHT_PX = 7.2, 15.0
COUNTRY_CHAR_PX, COUNTRY_HEIGHT_PX = 10.0, 15.0
#: At this zoom and below, country names are set smaller (the ``cm-low`` style): their width
#: per character.
LOW_ZOOM, COUNTRY_CHAR_PX_LOW = 4, 7.5
#: Gap between a marker's centre and its name, and the empty margin kept around every name.
GAP_PX, MARGIN_PX = 7.0, 2.0
#: Two names of the same country are kept at least this far apart (pixels, centre to centre).
SAME_NAME_PX = 300.0
#: Capitals and main cities: named first, so they show from the first view. Matched on the
#: start of the place name (display priority only; the places themselves come from the data).
MAIN_CITIES = (
    "Astana",
    "Almaty",
    "Bishkek",
    "Tashkent",
    "Dushanbe",
    "Ashgabat",
    "Urumqi",
    "Kashgar",
    "Osh",
    "Samarkand",
    "Khujand",
    "Shymkent",
    "Aktau",
)
#: Order in which kinds of place are named (earlier kinds win a contested spot).
KIND_PRIORITY = ("city_main", "border_crossing", "city", "pass", "port")


#: Width of a wide (CJK) character in average Latin characters, in each label style.
WIDE_PLACE, WIDE_COUNTRY = 1.6, 1.25


def _ems(text: str, wide: float) -> float:
    """The text's length in average Latin characters: a CJK character counts ``wide``."""
    return sum(wide if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in text)


@dataclass(frozen=True)
class Label:
    """One name to place: where its anchor is, its text and style."""

    lat: float
    lon: float
    text: str
    kind: str  # "country" or a place kind
    min_zoom: int = 0
    #: A country of the region (:data:`corridormap.render.styles.FOCUS_COUNTRIES`): named first,
    #: and its name may cover a minor place's dot (so the first view names the five states).
    focus: bool = False


def _pixels(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    phi = math.radians(max(min(lat, 85.0), -85.0))
    x = (lon + 180.0) / 360.0 * scale
    y = (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * scale
    return x, y


def _boxes(
    label: Label, x: float, y: float, zoom: int = LOW_ZOOM + 1
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Candidate boxes ``(x0, y0, x1, y1)`` for a label, in order of preference."""
    if label.kind == "country":
        char = COUNTRY_CHAR_PX_LOW if zoom <= LOW_ZOOM else COUNTRY_CHAR_PX
        w, h = char * _ems(label.text, WIDE_COUNTRY), COUNTRY_HEIGHT_PX
        centre = ("centre", (x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        if not label.focus:
            return [centre]
        up = ("up", (x - w / 2, y - 1.5 * h, x + w / 2, y - h / 2))
        down = ("down", (x - w / 2, y + h / 2, x + w / 2, y + 1.5 * h))
        west = ("west", (x - 5 * w / 6, y - h / 2, x + w / 6, y + h / 2))
        east = ("east", (x - w / 6, y - h / 2, x + 5 * w / 6, y + h / 2))
        return [centre, up, down, west, east]
    w, h = PLACE_CHAR_PX * _ems(label.text, WIDE_PLACE), PLACE_HEIGHT_PX
    right = ("right", (x + GAP_PX, y - h / 2, x + GAP_PX + w, y + h / 2))
    left = ("left", (x - GAP_PX - w, y - h / 2, x - GAP_PX, y + h / 2))
    above = ("above", (x - w / 2, y - GAP_PX - h, x + w / 2, y - GAP_PX))
    below = ("below", (x - w / 2, y + GAP_PX - 1, x + w / 2, y + GAP_PX - 1 + h))
    return [below, right, left, above] if label.kind == "pass" else [right, left, above, below]


def _overlaps(box, taken: list, own: tuple | None = None) -> bool:
    """Whether ``box`` (with the margin) meets any box of ``taken`` other than ``own``."""
    x0, y0, x1, y1 = box
    x0, y0, x1, y1 = x0 - MARGIN_PX, y0 - MARGIN_PX, x1 + MARGIN_PX, y1 + MARGIN_PX
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 and b != own for b in taken)


def _free(box, own, taken, main_dots, dots, *, main: bool, over_dots: bool) -> bool:
    """Whether ``box`` meets no name and no dot but the label's own dot.

    Main cities (``main``) may cover minor dots; ``over_dots`` lets a name cover any dot.
    """
    return not (
        _overlaps(box, taken, own)
        or (not over_dots and _overlaps(box, main_dots, own))
        or (not main and not over_dots and _overlaps(box, dots, own))
    )


def place(labels: list[Label], markers: list[tuple[float, float]], zoom: int) -> list[str]:
    """Greedy placement at one zoom: a placement name per label (``"hidden"`` if none fits).

    ``labels`` are in priority order; ``markers`` (lat, lon) are obstacles of 8×8 px, except
    for the names of capitals and main cities, which may cover a minor place's dot (so they
    show from the first view).
    """
    dots = []
    for lat, lon in markers:
        x, y = _pixels(lat, lon, zoom)
        dots.append((x - 4, y - 4, x + 4, y + 4))
    main_dots = []  # main cities' dots are obstacles for every name
    for label in labels:
        if priority(label)[0] == 1:
            x, y = _pixels(label.lat, label.lon, zoom)
            main_dots.append((x - 4, y - 4, x + 4, y + 4))
    taken: list[tuple[float, float, float, float]] = []  # the names placed so far
    result = []
    centres: dict[str, list[tuple[float, float]]] = {}
    for label in labels:
        if zoom < label.min_zoom:
            result.append("hidden")
            continue
        x, y = _pixels(label.lat, label.lon, zoom)
        own = (x - 4, y - 4, x + 4, y + 4)
        if label.kind == "country" and any(
            math.hypot(x - cx, y - cy) < SAME_NAME_PX for cx, cy in centres.get(label.text, [])
        ):
            result.append("hidden")
            continue
        main = priority(label)[0] == 1 or label.focus
        boxes = _boxes(label, x, y, zoom)
        # Zoomed far out, a state of the region is named even over a city's dot (on its own
        # spot rather than pushed onto a neighbour's).
        over = (False, True) if label.focus and zoom <= LOW_ZOOM else (False,)
        side = next(
            (
                s
                for s, box in boxes
                for o in over
                if _free(box, own, taken, main_dots, dots, main=main, over_dots=o)
            ),
            None,
        )
        if side is None:
            result.append("hidden")
            continue
        taken.append(dict(boxes)[side])
        centres.setdefault(label.text, []).append((x, y))
        result.append(side)
    return result


def layout(labels: list[Label], markers: list[tuple[float, float]]) -> list[str]:
    """One code string per label: the placement at each of :data:`ZOOMS`."""
    per_zoom = [place(labels, markers, zoom) for zoom in ZOOMS]
    return ["".join(PLACEMENTS[sides[i]] for sides in per_zoom) for i in range(len(labels))]


def priority(label: Label, english: str | None = None) -> tuple[int, str]:
    """Sort key: countries first, then :data:`KIND_PRIORITY`, then name.

    ``english`` is the English name of a translated label (main cities are matched on it).
    """
    if label.kind == "country":
        return (0 if label.min_zoom == 0 else len(KIND_PRIORITY) + 2, "")
    kind = label.kind
    if kind == "city" and (english or label.text).startswith(MAIN_CITIES):
        kind = "city_main"
    rank = KIND_PRIORITY.index(kind) + 1 if kind in KIND_PRIORITY else len(KIND_PRIORITY) + 1
    return (rank, label.text)
