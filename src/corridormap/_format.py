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
from corridormap._util import is_sketch


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
