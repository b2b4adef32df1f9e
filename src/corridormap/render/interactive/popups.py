"""Tooltip and popup HTML for corridors, segments and places.

Every string that comes from the data is passed through :func:`html.escape` here, and a source is
linked only when its URL is ``http(s)``. The corridors' popups and the segments' and places'
tooltips reach the page as one JSON table (:class:`PopupTable`), never through a JavaScript
template literal; its script binds them and escapes each tooltip field as :func:`esc` does.
Other layers bind theirs with :class:`Bind`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from folium.template import Template

from corridormap._format import (
    Citations,
    capacity_text,
    cost_text,
    esc,
    join_names,
    km,
    length_text,
    missing,
    number,
    revenue_kind_text,
    years_text,
)
from corridormap._i18n import _, current
from corridormap._util import split_ids
from corridormap.render import styles
from corridormap.render.interactive.assets import Macro, json_for_html, json_for_script

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
        self.popup_options = POPUP_OPTIONS
        self.tooltip_options = TOOLTIP_OPTIONS


#: Options of every corridor popup and of every tooltip.
POPUP_OPTIONS = {
    "maxWidth": 380,
    "minWidth": 260,
    "maxHeight": 440,
    "autoPanPaddingTopLeft": [20, 215],  # clear of the layer control
}
TOOLTIP_OPTIONS = {"sticky": True, "className": "cm-tip"}


class PopupTable(Macro):
    """The corridors' popups and the segments' and places' tooltips: one table, one script.

    ``popups`` maps a corridor id to its popup HTML (:func:`corridor_popup`, every data string
    escaped there); it is sent as it is, with only ``</`` and ``<!`` escaped. The tooltips are
    sent as their fields (corridor name, status, segment name; place name, kind), JSON with
    ``<``, ``>`` and ``&`` escaped, and the script joins them as :func:`segment_tooltip` and
    :func:`place_tooltip` do, escaping each field. The script binds them to the layers tagged
    ``cmCorridor`` (a corridor's group), ``cmSegment`` (its lines, not the halos) and
    ``cmPlace`` (the markers), before the controls look the layers up.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="cm-popups-{{ this.get_name() }}">
        {{- this.json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
        var map = {{ this._parent.get_name() }};
        var doc = document.getElementById("cm-popups-{{ this.get_name() }}");
        var data = JSON.parse(doc.textContent), tips = data.tips;
        var marks = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
            "{": "&#123;", "}": "&#125;"};
        function esc(text) {
            return String(text).replace(/[&<>"'{}]/g, function (c) { return marks[c]; });
        }
        map.eachLayer(function (layer) {
            var o = layer.options || {}, s, p;
            if (layer.cmCorridor && data.popups[layer.cmCorridor]) {
                layer.bindPopup(data.popups[layer.cmCorridor], data.popup);
            } else if (o.cmSegment && !o.cmHalo && (s = tips.segments[o.cmSegment])) {
                layer.bindTooltip("<b>" + esc(s[0]) + "</b><br>" + esc(tips.labels[s[1]]) + " · " +
                    esc(s[2]), data.tooltip);
            } else if (o.cmPlace && (p = tips.places[o.cmPlace])) {
                layer.bindTooltip("<b>" + esc(p[0]) + "</b><br>" + esc(tips.labels[p[1]]),
                    data.tooltip);
            }
        });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupTable"
        self.popups: dict[str, str] = {}
        self.segments: dict[str, list[str]] = {}
        self.places: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}

    def add_segment(self, segment: Mapping) -> None:
        """Add a segment's tooltip (as :func:`segment_tooltip` writes it)."""
        status = str(segment["status"])
        self.labels[status] = styles.status_label(status)
        self.segments[str(segment["segment_id"])] = [
            str(segment["corridor_name"]),
            status,
            str(segment["name"]),
        ]

    def add_place(self, place: Mapping) -> None:
        """Add a place's tooltip (as :func:`place_tooltip` writes it)."""
        kind = str(place["kind"])
        self.labels["place:" + kind] = styles.place_label(kind)
        self.places[str(place["place_id"])] = [str(place["name"]), "place:" + kind]

    def render(self, **kwargs) -> None:  # type: ignore[override]
        """Write the table as it stands (layers add to it until the page is rendered)."""
        tips = {"segments": self.segments, "places": self.places, "labels": self.labels}
        options = {"popup": POPUP_OPTIONS, "tooltip": TOOLTIP_OPTIONS}
        self.json = (
            '{"popups":' + json_for_script(self.popups)
            + ',"tips":' + json_for_html(tips, compact=True)
            + "," + json_for_html(options, compact=True)[1:]
        )  # fmt: skip
        super().render(**kwargs)


def source_rows(sources: pd.DataFrame) -> dict[str, dict]:
    """The rows of ``sources`` by source id, as :class:`SourceList` reads them.

    Build it once for many popups: each one otherwise converts the table again.
    """
    return {row["source_id"]: row for row in sources.to_dict("records")}


class SourceList:
    """Number the sources a popup cites, in order of first citation."""

    def __init__(self, sources: pd.DataFrame | Mapping[str, dict]):
        self._sources = sources
        self._citations = Citations()

    @property
    def order(self) -> list[str]:
        """The cited source ids, in order of first citation."""
        return self._citations.order

    def refs(self, value: object) -> str:
        """Superscript reference numbers (``[1, 3]``) for a source-id cell; '' if none."""
        numbers = [str(n) for n in sorted(set(self._citations.cite(value)))]
        return f' <sup class="cm-ref">[{", ".join(numbers)}]</sup>' if numbers else ""

    def _entry(self, source_id: str, rows: Mapping[str, dict]) -> str:
        row = rows.get(source_id)
        if row is None:
            return esc(source_id)
        title = esc(row["title"])
        url = row.get("url")
        if not missing(url) and _URL_RE.match(str(url)):
            title = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        extra = [esc(row["publisher"])] if not missing(row.get("publisher")) else []
        if not missing(row.get("date")):
            extra.append(esc(current().date(row["date"])))
        return title + (f' <span class="cm-muted">— {", ".join(extra)}</span>' if extra else "")

    def html(self) -> str:
        """The numbered list of cited sources."""
        if not self.order:
            return ""
        rows = self._sources
        if isinstance(rows, pd.DataFrame):
            rows = source_rows(rows[rows["source_id"].isin(self.order)])
        items = "".join(f"<li>{self._entry(s, rows)}</li>" for s in self.order)
        head = esc(_("Sources"))
        return f'<div class="cm-h">{head}</div><ol class="cm-src">{items}</ol>'


def _row(label: str, value: str | None) -> str:
    return f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" if value else ""


def _capacity(row: Mapping) -> str | None:
    text = capacity_text(row)
    return None if text is None else esc(text)


def _years(row: Mapping) -> str | None:
    text = years_text(row)
    return None if text is None else esc(text)


def _lengths(row: Mapping) -> str | None:
    text = length_text(row)
    return None if text is None else esc(text)


def _by_country(by_country: pd.DataFrame) -> str | None:
    """Kilometres in each country the sources name; the rest of the drawn line as one note."""
    if by_country.empty:
        return None
    listed = by_country["listed"].astype(bool).to_numpy()
    rows = by_country.to_dict("records")
    # From the km rounded to one decimal, as the brief's tables are, so that a tie such as
    # 778.52 km prints the same whole km in both (778.5, then 778).
    parts = [
        f"{esc(row['country'])}{_country_km(row)}"
        for row, flag in zip(rows, listed, strict=True)
        if flag and row["length_km"] >= 0.5
    ]
    # As pandas sums the unlisted rows: NaN as 0, in one numpy sum of just those rows.
    unlisted = by_country["length_km"].to_numpy(dtype=float).round(1)[~listed]
    elsewhere = float(np.where(np.isnan(unlisted), 0.0, unlisted).sum())
    if elsewhere >= 0.5:
        text = _("{km} km elsewhere as drawn (sketch or simplified border)")
        parts.append(f'<span class="cm-muted">{text.format(km=km(elsewhere))}</span>')
    return ", ".join(parts) or None


def _country_km(row: Mapping) -> str:
    """`` 158 km reported (sources 155–213) · 134 km as drawn, ±25 km``: the reported km lead."""
    from corridormap._format import drawn_label

    # rounded as the brief's tables round it, so both print the same whole km
    drawn = esc(drawn_label(round(row["length_km"], 1), row.get("positional_accuracy_km")))
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


def _revenue(revenue: Mapping | None) -> str | None:
    if not revenue or missing(revenue.get("revenue_usd")):
        return None
    text = _("USD {amount} m a year").format(
        amount=number(revenue["revenue_usd"] / 1e6, decimals=0)
    )
    low: Any = revenue.get("revenue_usd_low")
    high: Any = revenue.get("revenue_usd_high")
    if not missing(low) and not missing(high):
        text += f" (range {number(low / 1e6, decimals=0)}–{number(high / 1e6, decimals=0)} m)"
    return text + f', <span class="cm-muted">{esc(revenue_kind_text(revenue))}</span>'


#: How the Alignment row names a line's geometry licence (``sketch`` for any other).
_LICENCE_WORDS = {"ODbL": "OpenStreetMap (ODbL)", "CC-BY-4.0": "Global Energy Monitor (CC BY 4.0)"}


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
        what = _LICENCE_WORDS.get(licence) or (_("sketch") if licence == "sketch" else str(licence))
        parts.append(_("{what}, {spread} km").format(what=what, spread=spread))
    if not parts:
        return None
    cited = dict.fromkeys(i for value in segments["geometry_source"] for i in split_ids(value))
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
        _row(_("Operator"), cell("operator", text["operator"])),
        _row(_("Capacity"), cell("capacity", _capacity(row))),
        _row(_("Cost"), cell("cost", cost)),
        _row(_("Financing"), cell("financing", text["financing"])),
        _row(_("Dates"), cell("dates", _years(row))),
        _row(_("Length"), cell("length", _lengths(row))),
        _row(_("By country"), _by_country(by_country)),
        _row(_("Alignment"), _alignment(segments, refs)),
        _row(_("Transit revenue"), _revenue(revenue)),
    ]
    return f'<table class="cm-facts">{"".join(rows)}</table>'


def _segments(segments: pd.DataFrame, refs) -> str:
    if len(segments) < 2:
        return ""
    items = []
    columns = (segments[c] for c in ("name", "status", "opened", "sources"))
    for name, status, opened, sources in zip(*columns, strict=True):
        label = esc(styles.status_label(status))
        year = "" if missing(opened) else _(", opened {year}").format(year=int(opened))
        items.append(f"<li>{esc(name)}: {label}{esc(year)}{refs(sources)}</li>")
    head = esc(_("Segments"))
    return f'<div class="cm-h">{head}</div><ul class="cm-segs">{"".join(items)}</ul>'


def accuracy_note(accuracy_km: float) -> str:
    """The sentence shown for a sketched alignment."""
    text = _("Alignment is a sketch between sourced points, accurate to about ±{km} km.")
    return text.format(km=number(accuracy_km))


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
        else f'<p class="cm-desc"{_english_text()}>{esc(row["description"])}</p>'
    )
    facts = _facts(row, segments, by_country, revenue, cited.refs)
    segs = _segments(segments, cited.refs)
    note = (
        ""
        if approximate_km is None
        else f'<p class="cm-approx">{esc(accuracy_note(approximate_km))}</p>'
    )
    more = (
        f'<details class="cm-more"><summary>{esc(_details())}</summary>'
        f"{_english_note()}{desc}{facts}{segs}{cited.html()}</details>"
    )
    return f'<div class="cm-pop">{head}{summary}{note}{more}</div>'


def _details() -> str:
    return _("Details and sources")


def _english_text() -> str:
    """The ``lang`` attribute of the data's prose on a page in another language."""
    return "" if current().english else ' lang="en"'


def _english_note() -> str:
    """On a page in another language: a line saying the data's prose is English."""
    if current().english:
        return ""
    note = _("The description and notes are in English.")
    return f'<p class="cm-note">{esc(note)}</p>'


def _summary(row: Mapping, by_country: pd.DataFrame) -> str:
    """The popup's first lines: length, cost and the countries, one short line each."""
    # short: the reported km (what they cover, the sources' range and the cost's scope are in
    # the details below), then the drawn km with their accuracy
    short = {k: v for k, v in row.items() if k not in ("length_scope", "length_reported_sources")}
    short["length_km_reported_min"] = short["length_km_reported_max"] = None
    parts = []
    length = _lengths(short)
    if length:
        parts.append(length)
    if not missing(row.get("cost_usd_m")):
        parts.append(esc(cost_text({"cost_usd_m": row["cost_usd_m"]})))
    lines = [" · ".join(parts)] if parts else []
    if "listed" in by_country and not by_country.empty:
        names = by_country.loc[by_country["listed"].astype(bool), "country"].drop_duplicates()
    else:
        names = pd.Series(split_ids(row.get("countries")), dtype=object)
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
    kind = styles.place_label(place["kind"])
    return f"<b>{esc(place['name'])}</b><br>{esc(kind)}"
