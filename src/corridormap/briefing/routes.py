"""Route comparisons in briefing packs: the spec's ``routes`` key, ``routes.csv`` and its table.

A spec lists the comparisons to make::

    routes = [
      {origin = "Kashgar", destination = "Tashkent", include = ["cku_railway"], mode = ["rail"]},
      {origin = "Urumqi", destination = "Istanbul", avoid = ["RUS"]},
    ]

Each entry gives today's best route and, with ``include``, the best route using the project.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from corridormap._i18n import N_, _, current
from corridormap.errors import RouteError, SpecError

if TYPE_CHECKING:
    from corridormap.atlas.core import Atlas

#: Keys of one ``routes`` entry.
ROUTE_KEYS = ("origin", "destination", "via", "avoid", "mode", "as_of", "include", "by")
COLUMNS = [
    "comparison",
    "scenario",
    "origin",
    "destination",
    "km",
    "km_low",
    "km_high",
    "days_low",
    "days_base",
    "days_high",
    "countries",
    "border_crossings",
    "gauge_breaks",
    "ferry_legs",
    "via_hubs",
    "sources",
]


def parse_routes(value: object) -> list[dict]:
    """Check the spec's ``routes`` value: a list of tables with ``origin`` and ``destination``."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SpecError(
            f"routes must be a list of tables ({{origin=..., destination=...}}); got {value!r}"
        )
    entries = []
    for number, entry in enumerate(value):
        key = f"routes[{number}]"
        for name in entry:
            if name not in ROUTE_KEYS:
                raise SpecError(f"{key}: unknown key {name!r}; known keys: {', '.join(ROUTE_KEYS)}")
        for name in ("origin", "destination"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise SpecError(f'{key}.{name} must be a hub name such as "Kashgar"')
        for name in ("via", "avoid", "mode", "include"):
            items = entry.get(name, [])
            items = [items] if isinstance(items, str) else items
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise SpecError(f"{key}.{name} must be a string or a list of strings")
            entry = {**entry, name: items}
        if "as_of" in entry and (
            isinstance(entry["as_of"], bool) or not isinstance(entry["as_of"], int)
        ):
            raise SpecError(f"{key}.as_of must be a year such as 2030")
        if entry.get("by", "days") not in ("days", "km"):
            raise SpecError(f'{key}.by must be "days" or "km"')
        entries.append(entry)
    return entries


def route_rows(atlas: Atlas, entries: list[dict]) -> gpd.GeoDataFrame:
    """One row per comparison and scenario, with its line (EPSG:4326) and a ``rank`` to draw it.

    Today's best route and, with ``include``, the best route using the project; ``rank``
    numbers the rows 1, 2, … in order (the figure's and the map's route styles).
    """
    from corridormap.network.compare import best_using
    from corridormap.network.search import routes

    rows = []
    for number, entry in enumerate(entries):
        options = {k: entry[k] for k in ("via", "avoid", "mode", "as_of") if entry.get(k)}
        by = entry.get("by", "days")
        label = f"{entry['origin']} → {entry['destination']}"
        try:
            best = routes(atlas, entry["origin"], entry["destination"], k=1, by=by, **options)
            rows.append({**best.iloc[0].to_dict(), "comparison": label, "scenario": "today"})
            if entry.get("include"):
                used = best_using(
                    atlas, entry["origin"], entry["destination"], include=entry["include"],
                    by=by, **options,
                )  # fmt: skip
                scenario = f"with {', '.join(entry['include'])}"
                rows.append({**used.iloc[0].to_dict(), "comparison": label, "scenario": scenario})
        except RouteError as exc:
            raise SpecError(f"routes[{number}]: {exc}") from None
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=best.crs)
    frame["rank"] = range(1, len(frame) + 1)
    return frame


def routes_html(table: pd.DataFrame) -> str:
    """The comparison as an HTML table (every data string escaped)."""
    esc = html.escape
    columns = (
        (N_("Route"), ""), (N_("Scenario"), ""), (N_("km"), " class=n"), (N_("Days"), " class=n"),
        (N_("Countries"), ""), (N_("Borders"), ""), (N_("Gauge breaks"), " class=n"),
        (N_("Ferry legs"), " class=n"),
    )  # fmt: skip
    head = "<tr>" + "".join(f"<th{c}>{esc(_(name))}</th>" for name, c in columns) + "</tr>"
    number = current().number
    body = []
    for row in table.itertuples(index=False):
        km = number(row.km, decimals=0)
        if row.km_low != row.km_high:
            km += f" ({number(row.km_low, decimals=0)}–{number(row.km_high, decimals=0)})"
        days = _("{low}–{high} (base {base})").format(
            low=f"{row.days_low:g}", high=f"{row.days_high:g}", base=f"{row.days_base:g}"
        )
        body.append(
            f"<tr><td>{esc(row.comparison)}</td><td>{esc(row.scenario)}</td><td class=n>{km}</td>"
            f"<td class=n>{days}</td><td>{esc(row.countries.replace(';', ' → '))}</td>"
            f"<td>{esc(row.border_crossings)}</td><td class=n>{int(row.gauge_breaks)}</td>"
            f"<td class=n>{int(row.ferry_legs)}</td></tr>"
        )
    text = _(
        "Days from sourced leg speeds and border, gauge-change and ferry times (low–high); the "
        "sources of each route are in routes.csv."
    )
    note = f'<p class="muted">{esc(text)}</p>'
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>{note}"
