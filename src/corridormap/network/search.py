"""Query the route graph: k best routes between two hubs, and what a project changes."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd
import shapely

from corridormap._util import as_list
from corridormap.errors import RouteError
from corridormap.network.graph import Network, build_network, hub_nodes
from corridormap.network.names import country_codes, legs, unknown_hub

if TYPE_CHECKING:
    from corridormap.atlas.core import Atlas

_SOURCE, _SINK = ("__origin__", ""), ("__destination__", "")
#: Yen candidates examined per request before giving up on finding k distinct routes.
MAX_CANDIDATES = 60

COLUMNS = [
    "rank",
    "origin",
    "destination",
    "km",
    "km_reported",
    "km_drawn",
    "km_low",
    "km_high",
    "length_basis",
    "countries",
    "border_crossings",
    "gauge_breaks",
    "ferry_legs",
    "modes",
    "legs",
    "days_low",
    "days_base",
    "days_high",
    "dwell_unknown",
    "via_hubs",
    "lines",
    "sources",
    "geometry",
]


def routes(
    atlas: Atlas,
    origin: str,
    destination: str,
    *,
    via: str | Iterable[str] | None = None,
    avoid: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    as_of: int | None = None,
    include: str | Iterable[str] | None = None,
    k: int = 3,
    by: Literal["days", "km"] = "days",
) -> gpd.GeoDataFrame:
    """The ``k`` best distinct routes from ``origin`` to ``destination``.

    Parameters
    ----------
    atlas
        The atlas (its railways, highways and route network).
    origin, destination
        Hub names or ids, case-insensitive (``"Urumqi"``, ``"istanbul"``).
    via
        Hubs every route must pass, in any order.
    avoid
        Countries, by ISO3 code (``"RUS"``) or by a name the atlas has for them in any of its
        languages (``"Russia"``, ``"Россия"``), and named things: line, corridor, transfer or
        hub ids, or a prefix of one (``"caspian_ferry"``).
    mode
        Keep only these line modes (``rail``, ``road``, ``ferry``); transfers between them stay.
    as_of
        Year: only what was operational at its end. Default: today's status.
    include
        Corridor or line ids that enter whatever their status (``"cku_railway"``).
    k
        Number of routes.
    by
        ``"days"`` (base time) or ``"km"``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per route (EPSG:4326), best first: km total and how much of it is reported vs
        drawn, ``km_low``/``km_high`` where sources conflict, countries in order, border posts,
        gauge breaks, ferry legs, days low/base/high and the source ids used.

    Raises
    ------
    RouteError
        An unknown or ambiguous hub, or constraints that leave no route (named in the message).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> found = cm.routes(
    ...     atlas, "Kashgar", "Tashkent", include="cku_railway", mode="rail", by="km"
    ... )
    >>> found[["rank", "km", "km_low", "km_high", "days_base", "countries"]].round(1)
       rank      km  km_low  km_high  days_base                countries
    0     1   864.6   786.6    865.1        2.3              CHN;KGZ;UZB
    1     2  3297.0  3297.0   3297.0        6.1              CHN;KAZ;UZB
    2     3  8221.8  8221.8   8221.8       15.6  CHN;KAZ;TKM;IRN;TKM;UZB
    >>> cm.routes(atlas, "Urumqi", "Istanbul", avoid="RUS", k=1)["countries"].iloc[0]
    'CHN;KAZ;AZE;GEO;TUR'
    """
    if by not in ("days", "km"):
        raise RouteError(f"by={by!r}: use 'days' or 'km'")
    if k < 1:
        raise RouteError(f"k={k}: ask for at least one route")
    include = as_list(include)
    network = build_network(atlas, as_of=as_of, include=include)
    starts, ends = _hub(atlas, network, origin), _hub(atlas, network, destination)
    via_hubs = [_hub(atlas, network, v)[0][0] for v in as_list(via)]
    avoid_list, modes_list = country_codes(atlas, as_list(avoid)), as_list(mode)
    view = _filtered(network, avoid_list, modes_list, starts + ends)
    paths = _k_paths(view, starts, ends, via_hubs, k, "km" if by == "km" else "hours_base")
    if not paths:
        raise RouteError(
            f"no route from {origin} to {destination} with "
            + _constraints(avoid_list, modes_list, as_of, include, via_hubs)
        )
    rows = [_describe(network, view, path, rank) for rank, path in enumerate(paths, start=1)]
    origin_name, destination_name = _name(network, starts), _name(network, ends)
    for row in rows:
        row["origin"], row["destination"] = origin_name, destination_name
    _length_ranges(atlas, network, rows)
    frame = pd.DataFrame(rows)[COLUMNS]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _hub(atlas: Atlas, network: Network, name: str) -> list:
    """The nodes of a hub; an unknown one says where the place is and the nearest hubs."""
    try:
        return hub_nodes(network, name)
    except RouteError as exc:
        if not str(exc).startswith("unknown hub"):
            raise
        routable = {n[0] for n in network.graph}
        hubs = network.hubs[network.hubs["hub_id"].isin(routable)].reset_index(drop=True)
        raise RouteError(unknown_hub(atlas, hubs, name)) from None


def _constraints(avoid, modes, as_of, include, via) -> str:
    parts = [
        f"avoid={','.join(avoid)}" if avoid else "",
        f"mode={','.join(modes)}" if modes else "",
        f"as_of={as_of}" if as_of is not None else "today's network",
        f"include={','.join(include)}" if include else "",
        f"via={','.join(via)}" if via else "",
    ]
    return "; ".join(p for p in parts if p)


def _name(network: Network, nodes: list) -> str:
    hubs = network.hubs
    return str(hubs.loc[hubs["hub_id"] == nodes[0][0], "name"].iloc[0])


def _filtered(network: Network, avoid: list[str], modes: list[str], keep: list):
    import networkx as nx

    country = dict(zip(network.hubs["hub_id"], network.hubs["country"], strict=True))
    iso = {a for a in avoid if a.isupper() and len(a) == 3}
    names = [a.lower() for a in avoid if a not in iso]
    known = set(network.hubs["hub_id"]) | {
        d[key] for *_, d in network.graph.edges(data=True) for key in ("line_id", "corridor_id")
    }
    for name in names:
        if not any(n == name or n.startswith(name) for n in known):
            raise RouteError(f"avoid={name!r}: no hub, line, corridor or transfer of that name")
    line_modes = {"rail", "road", "ferry"}
    for mode in modes:
        if mode not in line_modes:
            raise RouteError(f"mode={mode!r}: use rail, road or ferry")

    def named(value: str) -> bool:
        return any(value == n or value.startswith(n) for n in names)

    def node_ok(node) -> bool:
        if node in keep or node[0].startswith("__"):
            return True
        return country[node[0]] not in iso and not named(node[0])

    def edge_ok(u, v) -> bool:
        data = network.graph.edges[u, v]
        if iso & set(data["countries"]) or named(data["line_id"]) or named(data["corridor_id"]):
            return False
        return not modes or data["mode"] == "transfer" or data["mode"] in modes

    return nx.subgraph_view(network.graph, filter_node=node_ok, filter_edge=edge_ok)


def _k_paths(view, starts, ends, via, k, weight) -> list[list]:
    """Yen's k shortest simple paths, kept when their line sequence is new.

    With ``via`` the route is cut into legs (origin > via ... > destination, in the order
    given); each leg gets its own k best and the cheapest k combinations are returned.
    """
    import itertools

    import networkx as nx

    graph = nx.DiGraph(view)
    stops = [starts, *([n for n in graph if n[0] == v] for v in via), ends]
    legs = [_leg_paths(graph, a, b, k, weight) for a, b in zip(stops[:-1], stops[1:], strict=True)]
    if not all(legs):
        return []
    combos = []
    for parts in itertools.product(*legs):
        path = list(parts[0])
        for part in parts[1:]:
            path += part[1:] if part[0] == path[-1] else part
        cost = sum(graph.edges[a, b][weight] for a, b in zip(path[:-1], path[1:], strict=True))
        combos.append((cost, path))
    combos.sort(key=lambda item: item[0])
    found, seen = [], set()
    for _, path in combos:
        signature = _signature(graph, path)
        if signature not in seen:
            seen.add(signature)
            found.append(path)
        if len(found) == k:
            break
    return found


def _leg_paths(graph, starts, ends, k, weight) -> list[list]:
    import networkx as nx

    graph = graph.copy()
    graph.add_edges_from(((_SOURCE, s) for s in starts), km=0.0, hours_base=0.0)
    graph.add_edges_from(((e, _SINK) for e in ends), km=0.0, hours_base=0.0)
    found, seen = [], set()
    try:
        for path in islice(
            nx.shortest_simple_paths(graph, _SOURCE, _SINK, weight=weight), MAX_CANDIDATES
        ):
            inner = _trim(graph, path[1:-1])
            signature = _signature(graph, inner)
            if signature in seen:
                continue
            seen.add(signature)
            found.append(inner)
            if len(found) == k:
                break
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        pass
    return found


def _signature(graph, path: list) -> tuple:
    """The lines a path uses, in order (layer changes at one hub do not count)."""
    ids = (
        graph.edges[a, b]["corridor_id"]
        for a, b in zip(path[:-1], path[1:], strict=True)
        if graph.edges[a, b]["mode"] != "transfer" or a[0] != b[0]
    )
    return tuple(dict.fromkeys(ids))


def _trim(graph, path: list) -> list:
    """Drop transfers at the very start or end (changing layer at the origin is not a leg)."""
    while len(path) > 2 and path[0][0] == path[1][0]:
        path = path[1:]
    while len(path) > 2 and path[-1][0] == path[-2][0]:
        path = path[:-1]
    return path


def _describe(network: Network, view, path: list, rank: int) -> dict:
    names = dict(zip(network.hubs["hub_id"], network.hubs["name"], strict=True))
    edges = [network.graph.edges[a, b] for a, b in zip(path[:-1], path[1:], strict=True)]
    km = sum(e["km"] for e in edges)
    reported = sum(e["km"] for e in edges if e["km_source"] != "drawn")
    countries: list[str] = []
    for e in edges:
        for c in e["countries"]:
            if not countries or countries[-1] != c:
                countries.append(c)
    borders = [e["border"] for e in edges if e["border"]]
    modes = list(dict.fromkeys(e["mode"] for e in edges if e["mode"] != "transfer"))
    sources = sorted(set().union(*(e["sources"] for e in edges)))
    prorated = any(e["km_source"] == "prorated" for e in edges)
    geometry = shapely.line_merge(shapely.MultiLineString([e["geometry"] for e in edges]))
    return {
        "rank": rank,
        "km": round(km, 1),
        "km_reported": round(reported, 1),
        "km_drawn": round(km - reported, 1),
        "km_low": round(km, 1),
        "km_high": round(km, 1),
        "length_basis": (
            f"{reported / km:.0%} reported"
            + (" (some prorated along a line)" if prorated else "")
            + f", {1 - reported / km:.0%} drawn geodesic"
            if km
            else ""
        ),
        "countries": ";".join(countries),
        "border_crossings": "; ".join(borders),
        "gauge_breaks": sum(bool(e["gauge_break"]) for e in edges),
        "ferry_legs": sum(e["kind"] == "ferry" for e in edges),
        "modes": ";".join(modes),
        "legs": legs(names, path, edges),
        "days_low": round(sum(e["hours_low"] for e in edges) / 24, 1),
        "days_base": round(sum(e["hours_base"] for e in edges) / 24, 1),
        "days_high": round(sum(e["hours_high"] for e in edges) / 24, 1),
        "dwell_unknown": "; ".join(dict.fromkeys(x for e in edges for x in e["dwell_unknown"])),
        "via_hubs": " > ".join(dict.fromkeys(str(names[n[0]]) for n in path)),
        "lines": ";".join(dict.fromkeys(e["line_id"] for e in edges)),
        "_edge_lines": [e["line_id"] for e in edges],
        "_edge_km": [e["km"] for e in edges],
        "sources": ";".join(sources),
        "geometry": geometry,
    }


def _length_ranges(atlas: Atlas, network: Network, rows: list[dict]) -> None:
    """Widen ``km_low``/``km_high`` where published lengths of what a route uses conflict.

    Reads ``atlas.length_claims`` (``corridor_id, segment_id, country_iso3, length_km,
    source_id``) when the atlas has it. A corridor's whole-line figures apply when the route uses
    every segment of it; otherwise a segment's own figures apply to that segment. Figures for a
    country stretch are not used here.
    """
    claims = getattr(atlas, "length_claims", None)
    if claims is not None and len(claims) and "country_iso3" in claims:
        # a country's stretch of a corridor is not a whole length
        claims = claims[claims["segment_id"].notna() | claims["country_iso3"].isna()]
    segments_of = atlas.segments.groupby("corridor_id")["segment_id"].apply(set)
    for row in rows:
        edge_lines, edge_km = row.pop("_edge_lines"), row.pop("_edge_km")
        if claims is None or not len(claims):
            continue
        used = set(edge_lines)
        units = []
        for corridor, segments in segments_of.items():
            whole = claims[(claims["corridor_id"] == corridor) & claims["segment_id"].isna()]
            if segments <= used and len(whole):
                units.append((segments, whole))
                continue
            for segment in segments & used:
                units.append(({segment}, claims[claims["segment_id"] == segment]))
        for unit, found in units:
            figures = pd.to_numeric(found["length_km"]).dropna()
            if figures.empty:
                continue
            ours = sum(km for km, line in zip(edge_km, edge_lines, strict=True) if line in unit)
            row["km_low"] = round(min(row["km_low"], row["km"] - ours + figures.min()), 1)
            row["km_high"] = round(max(row["km_high"], row["km"] - ours + figures.max()), 1)
            row["sources"] = ";".join(
                sorted(set(row["sources"].split(";")) | set(found["source_id"]))
            )
