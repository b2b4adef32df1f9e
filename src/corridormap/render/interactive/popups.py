"""Tooltip and popup HTML for corridors, segments and places.

Every string that comes from the data is passed through :func:`html.escape` here, and a source is
linked only when its URL is ``http(s)``. The HTML reaches Leaflet as a JSON string through
:class:`Bind`, never through a JavaScript template literal.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from folium.template import Template

from corridormap import settings
from corridormap.render import styles
from corridormap.render.interactive.assets import Macro

_URL_RE = re.compile(r"^https?://[^\s\"'<>]+$")

#: Projects columns shown in the popup table: (label, value columns, source column).
_FACT_SOURCES = {
    "operator": "operator_source",
    "capacity": "capacity_source",
    "cost": "cost_source",
    "financing": "financing_source",
    "dates": "dates_source",
    "length": "length_source",
}


class Bind(Macro):
    """Bind a popup and/or a tooltip (HTML strings, already escaped) to the parent layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}
        {%- if this.popup %}
        .bindPopup({{ this.popup|tojson }}, {{ this.popup_options|tojson }})
        {%- endif %}
        {%- if this.tooltip %}
        .bindTooltip({{ this.tooltip|tojson }}, {{ this.tooltip_options|tojson }})
        {%- endif %};
        {% endmacro %}
        """
    )

    def __init__(self, *, popup: str | None = None, tooltip: str | None = None):
        super().__init__()
        self._name = "Bind"
        self.popup = popup
        self.tooltip = tooltip
        self.popup_options = {
            "maxWidth": 380,
            "minWidth": 260,
            "maxHeight": 440,
            "autoPanPaddingTopLeft": [20, 215],  # clear of the layer control
        }
        self.tooltip_options = {"sticky": True, "className": "cm-tip"}


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
    if decimals is not None:
        return f"{float(value):,.{decimals}f}"
    text = f"{float(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def km(value: float) -> str:
    """Format kilometres: whole km from 10 km up, one decimal below."""
    return number(value, decimals=0 if abs(float(value)) >= 10 else 1)


def ids(value: object) -> list[str]:
    """Split a ``;``-separated source-id cell (empty → ``[]``)."""
    return [] if missing(value) else [part for part in str(value).split(";") if part]


def source_rows(sources: pd.DataFrame) -> dict[str, dict]:
    """The rows of ``sources`` by source id, as :class:`SourceList` reads them.

    Build it once for many popups: each one otherwise converts the table again.
    """
    return {row["source_id"]: row for row in sources.to_dict("records")}


class SourceList:
    """Number the sources a popup cites, in order of first citation."""

    def __init__(self, sources: pd.DataFrame | Mapping[str, dict]):
        self._sources = sources
        self.order: list[str] = []

    def refs(self, value: object) -> str:
        """Superscript reference numbers (``[1, 3]``) for a source-id cell; '' if none."""
        numbers = []
        for source_id in ids(value):
            if source_id not in self.order:
                self.order.append(source_id)
            numbers.append(str(self.order.index(source_id) + 1))
        numbers = sorted(set(numbers), key=int)
        return f' <sup class="cm-ref">[{", ".join(numbers)}]</sup>' if numbers else ""

    def _entry(self, source_id: str, rows: Mapping[str, dict]) -> str:
        row = rows.get(source_id)
        if row is None:
            return esc(source_id)
        title = esc(row["title"])
        url = row.get("url")
        if not missing(url) and _URL_RE.match(str(url)):
            title = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        extra = [esc(row[c]) for c in ("publisher", "date") if not missing(row.get(c))]
        return title + (f' <span class="cm-muted">— {", ".join(extra)}</span>' if extra else "")

    def html(self) -> str:
        """The numbered list of cited sources."""
        if not self.order:
            return ""
        rows = self._sources
        if isinstance(rows, pd.DataFrame):
            rows = source_rows(rows[rows["source_id"].isin(self.order)])
        items = "".join(f"<li>{self._entry(s, rows)}</li>" for s in self.order)
        return f'<div class="cm-h">Sources</div><ol class="cm-src">{items}</ol>'


def _row(label: str, value: str | None) -> str:
    return f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" if value else ""


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


def _capacity(row: Mapping) -> str | None:
    text = capacity_text(row)
    return None if text is None else esc(text)


def _years(row: Mapping) -> str | None:
    text = years_text(row)
    return None if text is None else esc(text)


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
        return f"{km(low)}–{km(high)} km reported ({count} source{'s' * (count != 1)})"
    if not missing(row.get("length_km_reported")):
        return f"{km(row['length_km_reported'])} km reported"
    return None


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
    from corridormap.measure.lengths import drawn_label

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


def _lengths(row: Mapping) -> str | None:
    text = length_text(row)
    return None if text is None else esc(text)


def _by_country(by_country: pd.DataFrame) -> str | None:
    """Kilometres in each country the sources name; the rest of the drawn line as one note."""
    if by_country.empty:
        return None
    listed = by_country["listed"].astype(bool).to_numpy()
    rows = by_country.to_dict("records")
    parts = [
        f"{esc(row['country'])}{_country_km(row)}"
        for row, flag in zip(rows, listed, strict=True)
        if flag and row["length_km"] >= 0.5
    ]
    # As pandas sums the unlisted rows: NaN as 0, in one numpy sum of just those rows.
    unlisted = by_country["length_km"].to_numpy(dtype=float)[~listed]
    elsewhere = float(np.where(np.isnan(unlisted), 0.0, unlisted).sum())
    if elsewhere >= 0.5:
        parts.append(
            f'<span class="cm-muted">{km(elsewhere)} km elsewhere as drawn (sketch or '
            "simplified border)</span>"
        )
    return ", ".join(parts) or None


def _country_km(row: Mapping) -> str:
    """`` 158 km reported (sources 155–213) · 134 km as drawn, ±25 km``: the reported km lead."""
    from corridormap.measure.lengths import drawn_label

    drawn = esc(drawn_label(row["length_km"], row.get("positional_accuracy_km")))
    value: Any = row.get("length_km_reported")
    if missing(value):
        return f" {drawn}"
    low: Any = row.get("length_km_reported_min")
    high: Any = row.get("length_km_reported_max")
    spread = (
        f" (sources {km(low)}–{km(high)})"
        if not missing(low) and not missing(high) and km(low) != km(high)
        else ""
    )
    return f' {km(value)} km reported{spread} <span class="cm-muted">· {drawn}</span>'


def revenue_kind_text(revenue: Mapping) -> str:
    """What a revenue figure is, by its tariffs' kinds: an estimate, or a claim restated.

    Examples
    --------
    >>> revenue_kind_text({"tariff_kinds": "back_solved"})
    'the published claim restated (tariff back-solved from it; no tariff published), base scenario'
    >>> revenue_kind_text({"tariff_kinds": "proxy"})
    'corridormap estimate with a proxy tariff (none published), base scenario'
    """
    kinds = set(ids(revenue.get("tariff_kinds"))) or {"published"}
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


def _revenue(revenue: Mapping | None) -> str | None:
    if not revenue or missing(revenue.get("revenue_usd")):
        return None
    text = f"USD {number(revenue['revenue_usd'] / 1e6, decimals=0)} m a year"
    low: Any = revenue.get("revenue_usd_low")
    high: Any = revenue.get("revenue_usd_high")
    if not missing(low) and not missing(high):
        text += f" (range {number(low / 1e6, decimals=0)}–{number(high / 1e6, decimals=0)} m)"
    return text + f', <span class="cm-muted">{esc(revenue_kind_text(revenue))}</span>'


def _alignment(segments: pd.DataFrame, refs) -> str | None:
    """How the line was drawn: OpenStreetMap-derived and/or sketched, with accuracy and sources."""
    # By licence (sorted, no missing licence), as a groupby: a dozen rows need no pandas.
    accuracy: dict[str, list[float]] = {}
    licences, values = segments["geometry_licence"], segments["positional_accuracy_km"]
    for licence, value in zip(licences, values, strict=True):
        if not pd.isna(licence):
            accuracy.setdefault(licence, []).append(value)
    parts = []
    for licence in sorted(accuracy):
        known = [v for v in accuracy[licence] if not pd.isna(v)]  # min and max skip NaN
        low, high = (min(known), max(known)) if known else (math.nan, math.nan)
        spread = f"±{number(low)}" if low == high else f"±{number(low)}–{number(high)}"
        what = "OpenStreetMap (ODbL)" if licence == "ODbL" else "sketch"
        parts.append(f"{what}, {spread} km")
    if not parts:
        return None
    cited = dict.fromkeys(i for value in segments["geometry_source"] for i in ids(value))
    text = "; ".join(parts)
    return esc(text[0].upper() + text[1:]) + refs(";".join(cited))


def _facts(
    row: Mapping, segments: pd.DataFrame, by_country: pd.DataFrame, revenue: Mapping | None, refs
) -> str:
    def cell(key: str, value: str | None) -> str | None:
        return value + refs(row.get(_FACT_SOURCES[key])) if value else None

    cost = None if missing(row.get("cost_usd_m")) else esc(cost_text(row))
    text = {c: None if missing(row.get(c)) else esc(row[c]) for c in ("operator", "financing")}
    rows = [
        _row("Operator", cell("operator", text["operator"])),
        _row("Capacity", cell("capacity", _capacity(row))),
        _row("Cost", cell("cost", cost)),
        _row("Financing", cell("financing", text["financing"])),
        _row("Dates", cell("dates", _years(row))),
        _row("Length", cell("length", _lengths(row))),
        _row("By country", _by_country(by_country)),
        _row("Alignment", _alignment(segments, refs)),
        _row("Transit revenue", _revenue(revenue)),
    ]
    return f'<table class="cm-facts">{"".join(rows)}</table>'


def _segments(segments: pd.DataFrame, refs) -> str:
    if len(segments) < 2:
        return ""
    items = []
    columns = (segments[c] for c in ("name", "status", "opened", "sources"))
    for name, status, opened, sources in zip(*columns, strict=True):
        label = esc(styles.status_label(status))
        year = "" if missing(opened) else f", opened {int(opened)}"
        items.append(f"<li>{esc(name)}: {label}{esc(year)}{refs(sources)}</li>")
    return f'<div class="cm-h">Segments</div><ul class="cm-segs">{"".join(items)}</ul>'


def approximate_label(segments: pd.DataFrame, *, sketch: bool = False) -> str | None:
    """Legend text of the halo: the range of positional accuracy of sketched segments, or None.

    ``sketch`` adds the word, for the interactive legend, which has room for it.
    """
    rough = segments.loc[
        segments["positional_accuracy_km"] > settings.line_data_accuracy_km,
        "positional_accuracy_km",
    ]
    if rough.empty:
        return None
    low, high = number(rough.min()), number(rough.max())
    spread = f"±{low} km" if low == high else f"±{low}–{high} km"
    return f"Approximate alignment ({'sketch, ' if sketch else ''}{spread})"


def accuracy_note(accuracy_km: float) -> str:
    """The sentence shown for a sketched alignment."""
    return (
        "Alignment is a sketch between sourced points, accurate to about "
        f"±{number(accuracy_km)} km."
    )


def corridor_popup(
    row: Mapping,
    segments: pd.DataFrame,
    by_country: pd.DataFrame,
    sources: pd.DataFrame | Mapping[str, dict],
    *,
    revenue: Mapping | None = None,
    approximate_km: float | None = None,
) -> str:
    """Return the popup HTML of one corridor (every data string escaped).

    Parameters
    ----------
    row
        The corridor's row of ``atlas.corridors``.
    segments
        Its rows of ``atlas.segments`` in route order.
    by_country
        Its rows of :func:`corridormap.measure.lengths.lengths_by_country`.
    sources
        ``atlas.sources``, or its rows by id (:func:`source_rows`).
    revenue
        Its row of ``corridormap.revenue.revenue_by_corridor`` (USD), if known.
    approximate_km
        The worst positional accuracy of its sketched segments, if any is a sketch.
    """
    cited = SourceList(sources)
    mode = esc(row["mode"])
    head = (
        f'<h3>{esc(row["name"])}</h3><div class="cm-meta"><span class="cm-key cm-mode-{mode}">'
        f"</span>{esc(styles.mode_label(row['mode']))} · {esc(styles.status_label(row['status']))}"
        f"{cited.refs(row.get('status_source'))}</div>"
    )
    summary = _summary(row, by_country)
    desc = (
        ""
        if missing(row.get("description"))
        else f'<p class="cm-desc">{esc(row["description"])}</p>'
    )
    facts = _facts(row, segments, by_country, revenue, cited.refs)
    segs = _segments(segments, cited.refs)
    note = (
        ""
        if approximate_km is None
        else f'<p class="cm-approx">{esc(accuracy_note(approximate_km))}</p>'
    )
    more = (
        '<details class="cm-more"><summary>Details and sources</summary>'
        f"{desc}{facts}{segs}{cited.html()}</details>"
    )
    return f'<div class="cm-pop">{head}{summary}{note}{more}</div>'


def _summary(row: Mapping, by_country: pd.DataFrame) -> str:
    """The popup's first lines: length, cost and the countries, one short line each."""
    parts = []
    length = _lengths(row)
    if length:
        parts.append(length)
    if not missing(row.get("cost_usd_m")):
        parts.append(esc(cost_text(row)))
    lines = [" · ".join(parts)] if parts else []
    if "listed" in by_country and not by_country.empty:
        names = by_country.loc[by_country["listed"].astype(bool), "country"].drop_duplicates()
    else:
        names = pd.Series(ids(row.get("countries")), dtype=object)
    names = [esc(n) for n in names if not missing(n)]
    if names:
        lines.append(join_names(names))
    return "".join(f'<p class="cm-sum">{line}</p>' for line in lines)


def segment_tooltip(segment: Mapping) -> str:
    """Return the hover text of a segment: corridor name, status and (if several) segment name."""
    name = f"<b>{esc(segment['corridor_name'])}</b>"
    status = esc(styles.status_label(segment["status"]))
    return f"{name}<br>{status} · {esc(segment['name'])}"


def place_tooltip(place: Mapping) -> str:
    """Return the hover text of a place: its name and kind."""
    kind = styles.PLACE_LABELS.get(place["kind"], str(place["kind"]))
    return f"<b>{esc(place['name'])}</b><br>{esc(kind)}"


def join_names(values: Iterable[str]) -> str:
    """Join names for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    items = list(values)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
