"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors.

The public names load on first use (PEP 562), so ``import corridormap`` and the command line's
``--help`` do not pay for geopandas, folium or matplotlib until something needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from corridormap._version import __version__
from corridormap.errors import (
    CorridorMapError,
    DataError,
    InputError,
    MissingDependencyError,
    OutputError,
    RouteError,
    SchedulerError,
    SelectionError,
    SpecError,
)
from corridormap.release import DataRelease, data_release

if TYPE_CHECKING:  # pragma: no cover - the same names, for type checkers and IDEs
    from corridormap.atlas.core import Atlas, load, reported_length_range
    from corridormap.atlas.diff import AtlasDiff, diff_atlases
    from corridormap.atlas.history import segment_status_as_of, status_as_of
    from corridormap.briefing.pack import brief
    from corridormap.export import export_atlas
    from corridormap.join import join_points
    from corridormap.measure.lengths import (
        border_crossings,
        country_totals,
        fidelity,
        geodesic_length_km,
        lengths_by_country,
    )
    from corridormap.network.compare import route_change
    from corridormap.network.search import routes
    from corridormap.query import catchment, near, place_matches, select
    from corridormap.render import folium_map, save_map
    from corridormap.render.interactive.diff import diff_map
    from corridormap.render.static.figure import save_static, static_map
    from corridormap.revenue import revenue_by_country, sensitivity, transit_revenue
    from corridormap.validation.runner import ValidationReport, validate

#: Where each lazily loaded public name lives.
_HOMES = {
    "Atlas": "atlas.core",
    "load": "atlas.core",
    "reported_length_range": "atlas.core",
    "brief": "briefing.pack",
    "AtlasDiff": "atlas.diff",
    "diff_atlases": "atlas.diff",
    "diff_map": "render.interactive.diff",
    "export_atlas": "export",
    "join_points": "join",
    "border_crossings": "measure.lengths",
    "country_totals": "measure.lengths",
    "fidelity": "measure.lengths",
    "geodesic_length_km": "measure.lengths",
    "lengths_by_country": "measure.lengths",
    "catchment": "query",
    "near": "query",
    "place_matches": "query",
    "select": "query",
    "segment_status_as_of": "atlas.history",
    "status_as_of": "atlas.history",
    "folium_map": "render.interactive.map",
    "save_map": "render.interactive.map",
    "save_static": "render.static.figure",
    "static_map": "render.static.figure",
    "revenue_by_country": "revenue",
    "sensitivity": "revenue",
    "transit_revenue": "revenue",
    "route_change": "network.compare",
    "routes": "network.search",
    "ValidationReport": "validation.runner",
    "validate": "validation.runner",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'corridormap' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "Atlas",
    "AtlasDiff",
    "CorridorMapError",
    "DataError",
    "DataRelease",
    "InputError",
    "MissingDependencyError",
    "OutputError",
    "RouteError",
    "SchedulerError",
    "SelectionError",
    "SpecError",
    "ValidationReport",
    "__version__",
    "border_crossings",
    "brief",
    "catchment",
    "country_totals",
    "data_release",
    "diff_atlases",
    "diff_map",
    "export_atlas",
    "fidelity",
    "folium_map",
    "geodesic_length_km",
    "join_points",
    "lengths_by_country",
    "load",
    "near",
    "place_matches",
    "reported_length_range",
    "revenue_by_country",
    "route_change",
    "routes",
    "save_map",
    "save_static",
    "select",
    "sensitivity",
    "static_map",
    "segment_status_as_of",
    "status_as_of",
    "transit_revenue",
    "validate",
]
