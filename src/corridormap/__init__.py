"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors.

The public names load on first use (PEP 562), so ``import corridormap`` and the command line's
``--help`` do not pay for geopandas, folium or matplotlib until something needs them.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
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
from .release import DataRelease, data_release

if TYPE_CHECKING:  # pragma: no cover - the same names, for type checkers and IDEs
    from .atlas import Atlas, load, reported_length_range
    from .brief import brief
    from .diff import AtlasDiff, diff_atlases
    from .export import export_atlas
    from .history import segment_status_as_of, status_as_of
    from .join import join_points
    from .measure import (
        border_crossings,
        country_totals,
        fidelity,
        geodesic_length_km,
        lengths_by_country,
    )
    from .query import catchment, near, place_matches, select
    from .render import folium_map, save_map
    from .render.diff_layer import diff_map
    from .render.static import save_static, static_map
    from .revenue import revenue_by_country, sensitivity, transit_revenue
    from .routes import routes
    from .routes_compare import route_change
    from .validate import ValidationReport, validate

#: Where each lazily loaded public name lives.
_HOMES = {
    "Atlas": "atlas",
    "load": "atlas",
    "reported_length_range": "atlas",
    "brief": "brief",
    "AtlasDiff": "diff",
    "diff_atlases": "diff",
    "diff_map": "render.diff_layer",
    "export_atlas": "export",
    "join_points": "join",
    "border_crossings": "measure",
    "country_totals": "measure",
    "fidelity": "measure",
    "geodesic_length_km": "measure",
    "lengths_by_country": "measure",
    "catchment": "query",
    "near": "query",
    "place_matches": "query",
    "select": "query",
    "segment_status_as_of": "history",
    "status_as_of": "history",
    "folium_map": "render",
    "save_map": "render",
    "save_static": "render.static",
    "static_map": "render.static",
    "revenue_by_country": "revenue",
    "sensitivity": "revenue",
    "transit_revenue": "revenue",
    "route_change": "routes_compare",
    "routes": "routes",
    "ValidationReport": "validate",
    "validate": "validate",
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


class _Package(ModuleType):
    """Keep ``corridormap.brief`` and ``corridormap.validate`` the functions, not the modules.

    Importing a submodule binds it on its package; two public functions share their module's
    name, so that binding is skipped (the submodule stays in ``sys.modules``).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and _HOMES.get(name) == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
