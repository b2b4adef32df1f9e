"""One palette for every map: mode colours and weights, status line styles, the approximate halo.

The colours are the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
Everything here is plain data so the interactive map (Leaflet) and a static figure (matplotlib)
draw the same thing: :func:`leaflet_dash` and :func:`matplotlib_dashes` translate one dash pattern
into each library's notation.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridormap._i18n import N_, _, current, ngettext
from corridormap.vocabulary import FIVE_STATES

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


@dataclass(frozen=True)
class ModeStyle:
    """How a mode is drawn: ``colour`` (hex), ``weight`` (line width in px) and its label."""

    colour: str
    weight: float
    label: str


MODE_STYLES: dict[str, ModeStyle] = {
    "rail": ModeStyle(OKABE_ITO["blue"], 3.5, N_("Rail")),
    "road": ModeStyle(OKABE_ITO["orange"], 3.0, N_("Road")),
    "gas_pipeline": ModeStyle(OKABE_ITO["bluish_green"], 3.0, N_("Gas pipeline")),
    "oil_pipeline": ModeStyle(OKABE_ITO["reddish_purple"], 3.0, N_("Oil pipeline")),
}

#: Dash pattern per status, in units of line width: ``None`` is a solid line.
STATUS_DASHES: dict[str, tuple[float, ...] | None] = {
    "operational": None,
    "under_construction": (3.0, 2.0),
    "planned": (0.1, 2.2),
    "suspended": (4.0, 1.6, 0.1, 1.6),
}

STATUS_LABELS: dict[str, str] = {
    "operational": N_("Operational"),
    "under_construction": N_("Under construction"),
    "planned": N_("Planned"),
    "suspended": N_("Suspended"),
}
#: Statuses of the history only (the slider), labelled like the others.
HISTORY_LABELS: dict[str, str] = {"suspended": N_("Suspended")}

#: The wide, pale band drawn under a line whose alignment is only a sketch.
HALO_WEIGHT: float = 13.0
HALO_OPACITY: float = 0.22

#: Places: (radius px, fill colour, stroke colour) per kind.
PLACE_STYLES: dict[str, tuple[float, str, str]] = {
    "border_crossing": (5.0, "#FFFFFF", "#222222"),
    "pass": (4.0, "#8C8C8C", "#FFFFFF"),
    "city": (3.5, "#333333", "#FFFFFF"),
    "station": (3.5, "#FFFFFF", "#555555"),
    "terminal": (3.5, "#FFFFFF", "#555555"),
    "port": (3.5, "#FFFFFF", "#555555"),
    "dry_port": (4.0, "#E8E2D0", "#555555"),
    "trade_zone": (4.0, "#F4E9C8", "#8A6D1D"),
}

PLACE_LABELS: dict[str, str] = {
    "border_crossing": N_("Border crossing"),
    "pass": N_("Mountain pass"),
    "city": N_("City"),
    "station": N_("Station"),
    "terminal": N_("Terminal"),
    "port": N_("Port"),
    "dry_port": N_("Dry port"),
    "trade_zone": N_("Free-trade zone"),
}

#: Offline basemap: land, borders, the sea/background and country names.
LAND_FILL = "#F3F1EC"
LAND_STROKE = "#A39E93"
BACKGROUND = "#DCE6EC"
LABEL_COLOUR = "#6E6A62"
#: A country named in a ``country=`` selection is tinted slightly.
LAND_FILL_SELECTED = "#E9E4D6"

#: System font stack: no web font is downloaded.
FONT_STACK = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", sans-serif'
)
#: Chinese glyphs where the reader's system has them (macOS, Windows, Linux with Noto CJK).
CJK_FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"'
)
TEXT_COLOUR = "#1F2328"
MUTED_COLOUR = "#59636E"


def mix(colour: str, amount: float, towards: str = "#FFFFFF") -> str:
    """Blend ``colour`` towards another (white by default) by ``amount`` (0 keeps it, 1 is it).

    >>> mix("#000000", 0.5)
    '#808080'
    >>> mix("#FFFFFF", 0.35, towards="#000000")
    '#a6a6a6'
    """

    def channels(hex_colour: str) -> list[int]:
        value = hex_colour.lstrip("#")
        return [int(value[i : i + 2], 16) for i in (0, 2, 4)]

    pairs = zip(channels(colour), channels(towards), strict=True)
    mixed = [round(a + (b - a) * amount) for a, b in pairs]
    return "#" + "".join(f"{v:02x}" for v in mixed)


#: Water on the static figure and the interactive map: lake fill, lake outline and river line.
WATER_FILL = "#BFD6E4"
WATER_STROKE = "#8DB3CB"


def mode_label(mode: str) -> str:
    """Return the display name of a mode (``gas_pipeline`` → ``Gas pipeline``), translated."""
    style = MODE_STYLES.get(mode)
    return _(style.label) if style else mode.replace("_", " ").capitalize()


def status_label(status: str) -> str:
    """Return the display name of a status (``under_construction`` → ``Under construction``)."""
    label = STATUS_LABELS.get(status) or HISTORY_LABELS.get(status)
    return _(label) if label else status.replace("_", " ").capitalize()


def status_count(n: int, status: str) -> str:
    """``"9 operational"``: a count of corridors in a status, in the language's grammar."""
    forms = {
        "operational": ngettext("{n} operational", "{n} operational", n),
        "under_construction": ngettext("{n} under construction", "{n} under construction", n),
        "planned": ngettext("{n} planned", "{n} planned", n),
        "suspended": ngettext("{n} suspended", "{n} suspended", n),
    }
    if status in forms:
        return forms[status].format(n=n)
    return f"{n} {status_label(status).lower()}"


def place_label(kind: str) -> str:
    """Return the display name of a kind of place (``pass`` → ``Mountain pass``), translated."""
    label = PLACE_LABELS.get(kind)
    return _(label) if label else str(kind)


def font_stack() -> str:
    """The page's system font stack: :data:`FONT_STACK`, with CJK fonts for Chinese."""
    if current().lang != "zh":
        return FONT_STACK
    return FONT_STACK.replace(", sans-serif", f", {CJK_FONTS}, sans-serif")


def leaflet_dash(status: str, weight: float) -> str | None:
    """Return Leaflet's ``dashArray`` (pixels, space-separated) for a status at a line weight."""
    pattern = STATUS_DASHES.get(status)
    if pattern is None:
        return None
    return " ".join(f"{max(part * weight, 0.1):g}" for part in pattern)


def matplotlib_dashes(status: str) -> tuple[float, tuple[float, ...]] | None:
    """Return matplotlib's ``(offset, on_off_sequence)`` linestyle for a status, or ``None``."""
    pattern = STATUS_DASHES.get(status)
    return None if pattern is None else (0.0, pattern)


#: Transit-revenue choropleth: class breaks (million USD a year) and ColorBrewer "Purples"
#: (sequential, colour-blind safe, and clear of every mode colour above).
REVENUE_BREAKS_MUSD: tuple[float, ...] = (100.0, 250.0, 500.0, 1000.0)
REVENUE_COLOURS: tuple[str, ...] = ("#F2F0F7", "#CBC9E2", "#9E9AC8", "#756BB1", "#54278F")
REVENUE_OPACITY: float = 0.55


def revenue_class(musd: float) -> int:
    """Index into :data:`REVENUE_COLOURS` for a yearly revenue in million USD."""
    return sum(musd >= edge for edge in REVENUE_BREAKS_MUSD)


def revenue_class_labels() -> list[str]:
    """Legend labels of the revenue classes, e.g. ``"100–250"``, in million USD a year."""
    edges = [f"{edge:,.0f}" for edge in REVENUE_BREAKS_MUSD]
    middle = [f"{a}–{b}" for a, b in zip(edges, edges[1:], strict=False)]
    return [f"< {edges[0]}", *middle, f"≥ {edges[-1]}"]


#: Place kinds named on both maps (stations and terminals stay markers with a tooltip).
NAMED_PLACE_KINDS: tuple[str, ...] = ("border_crossing", "pass", "port", "city")


def short_place_name(name: str) -> str:
    """A place name for the map: before the first comma, hyphen pairs as en dashes.

    >>> short_place_name("Dostuk (KG) - Dustlik (UZ), Osh-Andijan road")
    'Dostuk (KG) – Dustlik (UZ)'
    """
    return name.split(", ")[0].replace(" - ", " – ")


#: The five Central Asian states: their names are placed first on the interactive map.
FOCUS_COUNTRIES: tuple[str, ...] = FIVE_STATES
#: Capitals of the five states (place ids of geo/places.geojson): marked and named on every map
#: that shows them, whether or not a drawn corridor passes through them.
CAPITALS: tuple[str, ...] = ("astana", "bishkek", "tashkent", "dushanbe", "ashgabat")

#: Line colour per rank (colour-blind safe, distinct from the corridor modes).
RANK_COLOURS = ("#d7191c", "#2c7bb6", "#fdae61", "#5e3c99", "#1a9641")
