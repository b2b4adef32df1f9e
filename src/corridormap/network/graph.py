"""Build the layered route graph: one node per (hub, layer), line-haul and transfer edges.

Layers are ``rail1435``, ``rail1520``, ``road`` and ``sea``. A line of the atlas (railways and
highways) or of the route network (``geo/network.geojson``) is cut at every hub it passes and each
piece becomes a pair of directed edges inside its layer. Moving between layers, or across a
border, is an explicit edge with its own time range and source (``data/transfers.csv``): a gauge
change (Dostyk/Alashankou, Altynkol/Khorgos, Makmal on the CKU railway), a port transfer, a
transload between truck and train, a ferry crossing. A piece whose two end hubs lie in different
countries is a border crossing and carries that post's dwell time.

The graph is built once per atlas, ``as_of`` and ``include`` and cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod
from shapely.geometry import LineString

from corridormap.errors import RouteError
from corridormap.io import read_table
from corridormap.network.hubs import Hubs, hub_key
from corridormap.validation.network_rules import FILES

if TYPE_CHECKING:
    import networkx as nx

    from corridormap.atlas.core import Atlas

_GEOD = Geod(ellps="WGS84")
_CACHE: dict[tuple, Network] = {}
#: Layer of a line by mode and gauge.
_RAIL_LAYER = {1435: "rail1435", 1520: "rail1520"}


@dataclass
class Network:
    """The routable network of an atlas.

    Attributes
    ----------
    graph
        ``networkx.DiGraph``; nodes are ``(hub_id, layer)``, edges carry ``km``, ``km_source``
        (``reported``, ``prorated`` or ``drawn``), ``hours_low/base/high``, ``countries``,
        ``border`` (the post crossed, or None), ``kind``, ``mode``, ``line_id``, ``corridor_id``,
        ``sources`` and ``geometry`` (oriented along the edge).
    hubs
        One row per hub: ``hub_id``, ``name``, ``country``, ``lat``, ``lon``.
    speeds
        ``data/route_speeds.csv``.
    unknown_dwell
        Transfers and borders whose time is not known (counted as 0 h; each edge names its own in
        ``dwell_unknown``).
    """

    graph: nx.DiGraph
    hubs: pd.DataFrame
    speeds: pd.DataFrame
    unknown_dwell: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)


def hub_nodes(network: Network, name: str) -> list[tuple[str, str]]:
    """The graph nodes of a hub given by id or name (case-insensitive).

    Raises
    ------
    RouteError
        If no hub matches, or several do; the message lists candidates.
    """
    hubs = network.hubs
    wanted = hub_key(name)
    keys = hubs["name"].map(hub_key)
    alias = network.aliases.get(wanted)
    exact = hubs[(hubs["hub_id"] == wanted) | (keys == wanted) | (hubs["hub_id"] == alias)]
    if exact.empty:
        exact = hubs[keys.str.startswith(wanted)]
    nodes_of = {h: [n for n in network.graph if n[0] == h] for h in exact["hub_id"]}
    found = {h: n for h, n in nodes_of.items() if n}
    if len(found) == 1:
        return next(iter(found.values()))
    routable = sorted({n[0] for n in network.graph})
    if not found:
        names = hubs.set_index("hub_id").loc[routable, "name"]
        close = sorted(n for n in names if wanted[:3] in hub_key(n)) or sorted(names)
        more = f" and {len(close) - 12} more" if len(close) > 12 else ""
        raise RouteError(f"unknown hub {name!r}; hubs: {', '.join(close[:12])}{more}")
    shown = ", ".join(sorted(hubs.set_index("hub_id").loc[list(found), "name"]))
    raise RouteError(f"hub {name!r} is ambiguous: {shown}")


def read_network_tables(atlas: Atlas) -> dict[str, pd.DataFrame | gpd.GeoDataFrame]:
    """The network layer and tables of the atlas's folders (validated by :func:`corridormap.load`).

    Raises
    ------
    RouteError
        If the folders hold no route network (an older data folder) or it is invalid.
    """
    geo, data = atlas.geo_dir, atlas.data_dir
    if not (geo / FILES["network"]).is_file():
        raise RouteError(
            f"no route network in {data}: routes need geo/network.geojson, "
            "data/network_lines.csv, data/transfers.csv and data/route_speeds.csv"
        )
    # atlas.load() has validated these files (validate.py runs network_checks).
    layer = gpd.read_file(geo / FILES["network"])
    lines = read_table(data / FILES["network_lines"])
    tables = {name: read_table(data / FILES[name]) for name in ("transfers", "route_speeds")}
    merged = layer[["line_id", "geometry"]].merge(lines, on="line_id", how="left")
    return {"lines": gpd.GeoDataFrame(merged, crs="EPSG:4326"), **tables}


def build_network(
    atlas: Atlas, *, as_of: int | None = None, include: list[str] | tuple[str, ...] = ()
) -> Network:
    """Build (or fetch from the cache) the route graph of an atlas.

    Parameters
    ----------
    atlas
        The atlas; its railways and highways and the route network of its folders are used.
    as_of
        Year: only corridors operational at the end of that year (``status_history``). Network
        lines carry no dates and count as operational throughout when their status is.
    include
        Corridor, segment or network line ids that enter whatever their status (scenarios such
        as ``"cku_railway"``).
    """
    include = tuple(sorted(set(include or ())))
    key = (
        atlas.data_hash,
        str(atlas.geo_dir),
        str(atlas.data_dir),
        tuple(atlas.corridors["corridor_id"]),
        as_of,
        include,
    )
    if key not in _CACHE:
        _CACHE[key] = _build(atlas, as_of, include)
    return _CACHE[key]


def _build(atlas: Atlas, as_of: int | None, include: tuple[str, ...]) -> Network:
    import networkx as nx

    tables = read_network_tables(atlas)
    transfers = tables["transfers"]
    for column in ("lat", "lon", "snap_km", "hours_low", "hours_base", "hours_high"):
        transfers[column] = pd.to_numeric(transfers[column])
    speeds = tables["route_speeds"]
    for column in ("kmh_low", "kmh_base", "kmh_high"):
        speeds[column] = pd.to_numeric(speeds[column])
    hubs = Hubs(transfers[transfers["type"] == "hub"], atlas.countries)
    builder = _Builder(nx.DiGraph(), hubs, transfers, speeds)
    lines = _routable_lines(atlas, tables["lines"], as_of, include)
    for line in lines.itertuples(index=False):
        builder.add_line(line)
    geometry = dict(zip(lines["line_id"], lines["geometry"], strict=True))
    for seg in atlas.segments.itertuples(index=False):
        geometry.setdefault(seg.segment_id, seg.geometry)
    for line in tables["lines"].itertuples(index=False):
        geometry.setdefault(line.line_id, line.geometry)
    for row in transfers[transfers["type"].isin(builder.TRANSFER_KINDS)].itertuples(index=False):
        builder.add_transfer(row, geometry)
    aliases = transfers[transfers["type"] == "alias"]
    names = {hub_key(r.name): r.hub for r in aliases.itertuples(index=False)}
    return Network(builder.graph, hubs.frame(), speeds, builder.unknown, names)


def _routable_lines(
    atlas: Atlas, network_lines: gpd.GeoDataFrame, as_of: int | None, include: tuple[str, ...]
) -> pd.DataFrame:
    """Atlas rail/road segments and network lines usable under ``as_of`` and ``include``."""
    from corridormap.atlas.history import segment_status_as_of

    segs = atlas.segments[atlas.segments["mode"].isin(["rail", "road"])].copy()
    if as_of is None:
        usable = segs["status"] == "operational"
    else:
        # each segment as select(as_of=) draws it (a section can open before its corridor)
        usable = segs["segment_id"].map(segment_status_as_of(atlas, as_of)).eq("operational")
    wanted = segs["corridor_id"].isin(include) | segs["segment_id"].isin(include)
    segs = segs[usable | wanted]
    atlas_lines = pd.DataFrame(
        {
            "line_id": segs["segment_id"],
            "corridor_id": segs["corridor_id"],
            "name": segs["name"],
            "mode": segs["mode"],
            "gauge_mm": pd.to_numeric(segs["gauge_mm"]),
            "status": segs["status"],
            "km_reported": pd.to_numeric(segs["length_km_reported"]),
            "length_source": segs["length_source"],
            "sources": segs["sources"].fillna(segs["geometry_source"]),
            "start": segs["from_place"],
            "end": segs["to_place"],
            "geometry": segs.geometry,
        }
    )
    net = network_lines[
        (network_lines["status"] == "operational") | network_lines["line_id"].isin(include)
    ]
    net_lines = pd.DataFrame(
        {
            "line_id": net["line_id"],
            "corridor_id": net["line_id"],
            "name": net["name"],
            "mode": net["mode"],
            "gauge_mm": pd.to_numeric(net["gauge_mm"]),
            "status": net["status"],
            "km_reported": pd.to_numeric(net["length_km_reported"]),
            "length_source": net["length_source"],
            "sources": net["geometry_source"],
            "start": None,
            "end": None,
            "geometry": net.geometry,
        }
    )
    return pd.concat([atlas_lines, net_lines], ignore_index=True)


class _Builder:
    TRANSFER_KINDS = ("gauge_change", "port_transfer", "transload")

    def __init__(self, graph, hubs: Hubs, transfers: pd.DataFrame, speeds: pd.DataFrame):
        self.graph, self.hubs = graph, hubs
        self.unknown: set[str] = set()
        self.borders = {
            (r.hub, r.from_layer): r
            for r in transfers[transfers["type"] == "border_crossing"].itertuples(index=False)
        }
        self.ferries = {
            r.line_id: r
            for r in transfers[transfers["type"] == "ferry_crossing"].itertuples(index=False)
        }
        self.speeds = list(speeds.itertuples(index=False))

    def speed(self, mode: str, gauge: int | None, countries: tuple[str | None, ...]):
        """The most specific speed row: its mode, its gauge (or any), all countries listed (or any).

        A row of ``route_speeds.csv`` with ``countries`` applies to a piece whose end hubs all lie
        in those countries (``rail_chn``: a piece wholly in China); rows without are the default.
        """
        best, rank = None, -1
        for row in self.speeds:
            if row.mode != mode or (pd.notna(row.gauge_mm) and float(row.gauge_mm) != gauge):
                continue
            listed = set(row.countries.split(";")) if isinstance(row.countries, str) else None
            if listed is not None and not (countries and set(countries) <= listed):
                continue
            score = 2 * (listed is not None) + pd.notna(row.gauge_mm)
            if score > rank:
                best, rank = row, score
        return best

    def add_line(self, line) -> None:
        layer: str | None
        if line.mode == "ferry":
            layer = "sea"
        elif line.mode == "road":
            layer = "road"
        else:
            layer = _RAIL_LAYER.get(int(line.gauge_mm)) if pd.notna(line.gauge_mm) else None
        if layer is None:
            return  # a border link of unknown gauge: drawn by its transfer instead
        coords = list(line.geometry.coords)
        lon, lat = np.array(coords).T
        steps = _GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2] / 1000
        line_km = float(steps.sum())
        cuts = {0: self.hubs.at_end(line.start, *coords[0])}
        cuts[len(coords) - 1] = self.hubs.at_end(line.end, *coords[-1])
        for index in range(1, len(coords) - 1):  # cut at every hub passed
            hub = self.hubs.near(*coords[index])
            if hub and hub not in cuts.values():
                cuts[index] = hub
        order = sorted(cuts)
        for a, b in zip(order[:-1], order[1:], strict=True):
            if cuts[a] == cuts[b]:
                continue
            km = float(steps[a:b].sum())
            whole = a == 0 and b == len(coords) - 1
            if pd.notna(line.km_reported) and line_km > 0:
                km_used = float(line.km_reported) * (1 if whole else km / line_km)
                km_source = "reported" if whole else "prorated"
            else:
                km_used, km_source = km, "drawn"
            piece = LineString(coords[a : b + 1])
            self._add_piece(line, layer, cuts[a], cuts[b], piece, km_used, km_source)

    def _add_piece(self, line, layer, start, end, piece, km, km_source) -> None:
        _LAST_UNKNOWN.clear()
        sources = _ids(line.sources) | _ids(line.length_source)
        c1, c2 = self.hubs.rows[start]["country"], self.hubs.rows[end]["country"]
        base = {
            "kind": "ferry" if layer == "sea" else "line",
            "mode": line.mode,
            "layer": layer,
            "line_id": line.line_id,
            "corridor_id": line.corridor_id,
            "status": line.status,
            "km": km,
            "km_source": km_source,
        }
        if layer == "sea":
            row = self.ferries.get(line.line_id)
            hours = _hours(row, self.unknown, f"ferry {line.line_id}")
            sources |= _ids(row.source_id) if row is not None else set()
            post = row.post if row is not None else f"{start} - {end}"
            border, dwell = (post if c1 != c2 else None), (0.0, 0.0, 0.0)
        else:
            gauge = int(line.gauge_mm) if pd.notna(line.gauge_mm) else None
            speed = self.speed(line.mode, gauge, (c1, c2))
            hours = (km / speed.kmh_high, km / speed.kmh_base, km / speed.kmh_low)
            sources |= _ids(speed.source_id)
            border, dwell = None, (0.0, 0.0, 0.0)
            if c1 != c2:
                row = self.borders.get((start, layer)) or self.borders.get((end, layer))
                names = (self.hubs.rows[start]["name"], self.hubs.rows[end]["name"])
                border = row.post if row is not None else f"{names[0]} - {names[1]}"
                dwell = _hours(row, self.unknown, f"border {border}")
                sources |= _ids(row.source_id) if row is not None else set()
        total = tuple(h + d for h, d in zip(hours, dwell, strict=True))
        for a, b, geom, countries in (
            (start, end, piece, _pair(c1, c2)),
            (end, start, piece.reverse(), _pair(c2, c1)),
        ):
            self._put(
                (a, layer),
                (b, layer),
                dict(base, countries=countries, border=border, geometry=geom, sources=sources),
                total,
            )

    def add_transfer(self, row, geometry: dict) -> None:
        a, b = (row.from_hub, row.from_layer), (row.to_hub, row.to_layer)
        if a not in self.graph or b not in self.graph:
            return  # a transfer of a line not in this graph (not built, not included)
        _LAST_UNKNOWN.clear()
        dwell = _hours(row, self.unknown, f"{row.type} {row.name}")
        geom = geometry.get(row.line_id) if isinstance(row.line_id, str) else None
        km = _line_km(geom) if geom is not None else 0.0
        speed = self.speed("rail", None, ())
        travel = (km / speed.kmh_high, km / speed.kmh_base, km / speed.kmh_low)
        total = tuple(t + d for t, d in zip(travel, dwell, strict=True))
        c1, c2 = self.hubs.rows[a[0]]["country"], self.hubs.rows[b[0]]["country"]
        border = row.post if c1 != c2 and isinstance(row.post, str) else None
        if geom is None:
            h1, h2 = self.hubs.rows[a[0]], self.hubs.rows[b[0]]
            geom = LineString([(h1["lon"], h1["lat"]), (h2["lon"], h2["lat"])])
        else:
            here = (self.hubs.rows[a[0]]["lon"], self.hubs.rows[a[0]]["lat"])
            first, last = geom.coords[0], geom.coords[-1]  # (lon, lat): geo/ lines are 2D
            if _GEOD.inv(first[0], first[1], *here)[2] > _GEOD.inv(last[0], last[1], *here)[2]:
                geom = geom.reverse()
        base = {
            "kind": row.type,
            "mode": "transfer",
            "layer": f"{row.from_layer}>{row.to_layer}",
            "line_id": row.transfer_id,
            "corridor_id": row.transfer_id,
            "status": "operational",
            "km": km,
            "km_source": "drawn",
            "border": border,
            "sources": _ids(row.source_id) | _ids(speed.source_id if km else ""),
            "gauge_break": row.type == "gauge_change",
        }
        self._put(a, b, dict(base, countries=_pair(c1, c2), geometry=geom), total)
        self._put(b, a, dict(base, countries=_pair(c2, c1), geometry=geom.reverse()), total)

    def _put(self, u, v, attrs: dict, hours: tuple[float, ...]) -> None:
        attrs.update(hours_low=hours[0], hours_base=hours[1], hours_high=hours[2])
        attrs.setdefault("gauge_break", False)
        attrs["dwell_unknown"] = tuple(_LAST_UNKNOWN)
        old = self.graph.get_edge_data(u, v)
        if old is None or (attrs["km_source"] != "drawn") > (old["km_source"] != "drawn"):
            self.graph.add_edge(u, v, **attrs)


def _ids(value: object) -> set[str]:
    return {v for v in value.split(";") if v} if isinstance(value, str) else set()


def _pair(c1: str | None, c2: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in (c1, c2) if c))


def _hours(row, unknown: set[str], label: str) -> tuple[float, float, float]:
    if row is None or pd.isna(row.hours_base):
        unknown.add(label)
        _LAST_UNKNOWN.append(label)
        return (0.0, 0.0, 0.0)
    return (float(row.hours_low), float(row.hours_base), float(row.hours_high))


#: Labels of unknown dwell times met while building the current edge (read by ``_put``).
_LAST_UNKNOWN: list[str] = []


def _line_km(geom) -> float:
    return float(_GEOD.geometry_length(geom)) / 1000
