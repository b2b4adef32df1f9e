"""Text for every output: numbers, kilometres, names, escaping, the cells of source-id lists.

Written once here for the interactive map, the figure, the brief and the exports alike, so a
number or a length reads the same wherever it is quoted.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from corridormap._i18n import _, current, ngettext
from corridormap._util import is_sketch, split_ids


def missing(value: object) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and empty or blank strings."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    text = html.escape(str(value), quote=True)
    # Braces too: folium renders some element text as a Jinja template (defence in depth).
    return text.replace("{", "&#123;").replace("}", "&#125;")


def number(value: float, *, decimals: int | None = None) -> str:
    """Format a number for reading: thousands separators, no needless zeros.

    Without ``decimals``, up to two decimals are kept and trailing zeros dropped.

    Examples
    --------
    >>> number(4100.0), number(12.5), number(1234567), number(0.333)
    ('4,100', '12.5', '1,234,567', '0.33')
    """
    return current().number(value, decimals=decimals)


def km(value: float) -> str:
    """Format kilometres: whole km from 10 km up, one decimal below."""
    return number(value, decimals=0 if abs(float(value)) >= 10 else 1)


def reported_length_text(row: Mapping) -> str | None:
    """The published length of a corridor row: one figure, or the range when sources disagree.

    Examples
    --------
    >>> reported_length_text({"length_km_reported": 532.53, "length_km_reported_min": 454.0,
    ...                       "length_km_reported_max": 532.53, "length_reported_sources": 5})
    '454–533 km reported (5 sources)'
    """
    low: Any = row.get("length_km_reported_min")
    high: Any = row.get("length_km_reported_max")
    if not missing(low) and not missing(high) and km(low) != km(high):
        count = int(row.get("length_reported_sources") or 0)
        text = ngettext(
            "{low}–{high} km reported ({n} source)", "{low}–{high} km reported ({n} sources)", count
        )
        return text.format(low=km(low), high=km(high), n=count)
    if not missing(row.get("length_km_reported")):
        return _("{km} km reported").format(km=km(row["length_km_reported"]))
    return None


def approximate_label(segments: pd.DataFrame, *, sketch: bool = False) -> str | None:
    """Legend text of the halo: the range of positional accuracy of sketched segments, or None.

    ``sketch`` adds the word, for the interactive legend, which has room for it.
    """
    rough = segments.loc[
        is_sketch(segments["positional_accuracy_km"]),
        "positional_accuracy_km",
    ]
    if rough.empty:
        return None
    low, high = number(rough.min()), number(rough.max())
    spread = _("±{low} km") if low == high else _("±{low}–{high} km")
    spread = spread.format(low=low, high=high)
    if sketch:
        return _("Approximate alignment (sketch, {spread})").format(spread=spread)
    return _("Approximate alignment ({spread})").format(spread=spread)


def join_names(values: Iterable[str]) -> str:
    """Join names for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    return current().join(values)


def drawn_label(length_km: float, accuracy_km: float | None = None) -> str:
    """A drawn length as text that says it is drawn and how accurate: ``"264 km as drawn, ±25 km"``.

    Examples
    --------
    >>> drawn_label(264.4, 25.0)
    '264 km as drawn, ±25 km'
    >>> drawn_label(2.35, 1.5)
    '2.4 km as drawn, ±1.5 km'
    """
    value = float(length_km)
    text = f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"
    text += " km as drawn"
    if accuracy_km is not None and not pd.isna(accuracy_km):
        text += f", ±{float(accuracy_km):g} km"
    return text


def capacity_text(row: Mapping) -> str | None:
    """The capacity of a corridor row as plain text: the headline, and the published range.

    Examples
    --------
    >>> capacity_text({"capacity_value": 15.0, "capacity_unit": "Mt/yr",
    ...                "capacity_min": 10.0, "capacity_max": 15.0})
    '15 Mt/yr (sources 10–15)'
    >>> capacity_text({"capacity_value": 28.0, "capacity_unit": "trains/day"})
    '28 trains/day'
    """
    if missing(row.get("capacity_value")):
        return None
    unit = "" if missing(row.get("capacity_unit")) else f" {row['capacity_unit']}"
    text = f"{number(row['capacity_value'])}{unit}"
    low: Any = row.get("capacity_min")
    high: Any = row.get("capacity_max")
    if not missing(low) and not missing(high) and number(low) != number(high):
        text += f" (sources {number(low)}–{number(high)})"
    return text


def cost_text(row: Mapping) -> str | None:
    """The cost of a corridor row as plain text, with what it covers where that is narrower.

    Examples
    --------
    >>> cost_text({"cost_usd_m": 4700.0, "cost_scope": "the Kyrgyz section"})
    'USD 4,700 million (the Kyrgyz section)'
    """
    if missing(row.get("cost_usd_m")):
        return None
    scope = row.get("cost_scope")
    return f"USD {number(row['cost_usd_m'])} million" + ("" if missing(scope) else f" ({scope})")


def years_text(row: Mapping) -> str | None:
    """Construction start, opening and the expected opening of a corridor row, as plain text.

    Examples
    --------
    >>> years_text({"construction_start": 2023, "opening_expected": "2027–2028"})
    'Construction started 2023, opening expected 2027–2028'
    """
    parts = [
        f"{label} {int(row[col])}"
        for label, col in (("construction started", "construction_start"), ("opened", "opened"))
        if not missing(row.get(col))
    ]
    if missing(row.get("opened")) and not missing(row.get("opening_expected")):
        parts.append(f"opening expected {row['opening_expected']}")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] if parts else None


def length_text(row: Mapping) -> str | None:
    """A corridor's length as plain text: the published figure first, then the drawn km.

    The published figure says what it covers and the range of the sources; the drawn km say
    that they are drawn and how accurate.

    Examples
    --------
    >>> length_text({"length_km_reported": 532.53, "length_km_reported_min": 454.0,
    ...              "length_km_reported_max": 532.53, "length_reported_sources": 8,
    ...              "length_scope": "whole line", "length_km": 459.7,
    ...              "positional_accuracy_km": 25.0})
    '533 km reported (whole line; sources 454–533, 8 sources) · 460 km as drawn, ±25 km'
    """
    parts: list[str] = []
    if not missing(row.get("length_km_reported")):
        extra = [] if missing(row.get("length_scope")) else [str(row["length_scope"])]
        low: Any = row.get("length_km_reported_min")
        high: Any = row.get("length_km_reported_max")
        if not missing(low) and not missing(high) and km(low) != km(high):
            count = int(row.get("length_reported_sources") or 0)
            extra.append(f"sources {km(low)}–{km(high)}" + (f", {count} sources" * (count > 1)))
        parts.append(
            f"{km(row['length_km_reported'])} km reported"
            + (f" ({'; '.join(extra)})" if extra else "")
        )
    if not missing(row.get("length_km")):
        parts.append(drawn_label(row["length_km"], row.get("positional_accuracy_km")))
    return " · ".join(parts) or None


def revenue_kind_text(revenue: Mapping) -> str:
    """What a revenue figure is, by its tariffs' kinds: an estimate, or a claim restated.

    Examples
    --------
    >>> revenue_kind_text({"tariff_kinds": "back_solved"})
    'the published claim restated (tariff back-solved from it; no tariff published), base scenario'
    >>> revenue_kind_text({"tariff_kinds": "proxy"})
    'corridormap estimate with a proxy tariff (none published), base scenario'
    """
    kinds = set(split_ids(revenue.get("tariff_kinds"))) or {"published"}
    if kinds == {"back_solved"}:
        return (
            "the published claim restated (tariff back-solved from it; no tariff published), "
            "base scenario"
        )
    extra = []
    if "proxy" in kinds:
        extra.append("a proxy tariff (none published)")
    if "back_solved" in kinds:
        extra.append("a restated claim")
    return (
        "corridormap estimate"
        + (f" with {' and '.join(extra)}" if extra else "")
        + (", base scenario")
    )


class Citations:
    """Number the sources a text cites, in order of first citation (one numbering per text).

    Shared by the map's popups, the brief's page and its tables, so a source is numbered the
    same way wherever it is cited.

    Examples
    --------
    >>> refs = Citations()
    >>> refs.cite("s2;s1"), refs.cite("s1"), refs.cite(None), refs.order
    ([1, 2], [2], [], ['s2', 's1'])
    """

    def __init__(self) -> None:
        self.order: list[str] = []

    def cite(self, value: object) -> list[int]:
        """The numbers of the sources of a ``;``-separated source-id cell, in cell order."""
        from corridormap._util import split_ids

        numbers = []
        for source_id in split_ids(value):
            if source_id not in self.order:
                self.order.append(source_id)
            numbers.append(self.order.index(source_id) + 1)
        return numbers


def source_title(row: Mapping[str, Any]) -> str:
    """A source as cited in text: its title, then publisher and date where known (plain text)."""
    extra = ", ".join(str(row[c]) for c in ("publisher", "date") if not missing(row.get(c)))
    return f"{row['title']} ({extra})" if extra else str(row["title"])
