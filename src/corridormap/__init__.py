"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors.

The public names below are the menu. Everything but the errors and the data release is imported on
first use, so ``import corridormap`` (and ``corridormap --version``) does not load pandas,
geopandas or folium until a function needs them.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from .errors import CorridorMapError, DataError, SelectionError, SpecError
from .release import DataRelease, data_release

try:
    __version__ = version("corridormap")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

#: Public name -> the module that defines it (imported when the name is first used).
_LAZY = {
    "Atlas": "atlas",
    "load": "atlas",
    "reported_length_range": "atlas",
    "brief": "brief",
    "export_atlas": "export",
    "border_crossings": "measure",
    "fidelity": "measure",
    "geodesic_length_km": "measure",
    "lengths_by_country": "measure",
    "catchment": "query",
    "join_points": "query",
    "near": "query",
    "select": "query",
    "status_as_of": "query",
    "folium_map": "render",
    "save_map": "render",
    "save_static": "render.static",
    "static_map": "render.static",
    "revenue_by_country": "revenue",
    "sensitivity": "revenue",
    "transit_revenue": "revenue",
    "ValidationReport": "validate",
    "validate": "validate",
}

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from .atlas import Atlas, load, reported_length_range
    from .brief import brief
    from .export import export_atlas
    from .measure import border_crossings, fidelity, geodesic_length_km, lengths_by_country
    from .query import catchment, join_points, near, select, status_as_of
    from .render import folium_map, save_map
    from .render.static import save_static, static_map
    from .revenue import revenue_by_country, sensitivity, transit_revenue
    from .validate import ValidationReport, validate


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridormap' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Menu(types.ModuleType):
    """Keeps ``corridormap.brief`` and ``corridormap.validate`` the functions.

    Importing a submodule sets it as an attribute of the package; where a public function has the
    submodule's name, the function wins (as it did when this module imported everything eagerly).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Menu

__all__ = [
    "Atlas",
    "CorridorMapError",
    "DataError",
    "DataRelease",
    "SelectionError",
    "SpecError",
    "ValidationReport",
    "__version__",
    "border_crossings",
    "brief",
    "catchment",
    "data_release",
    "export_atlas",
    "fidelity",
    "folium_map",
    "geodesic_length_km",
    "join_points",
    "lengths_by_country",
    "load",
    "near",
    "reported_length_range",
    "revenue_by_country",
    "save_map",
    "save_static",
    "select",
    "sensitivity",
    "static_map",
    "status_as_of",
    "transit_revenue",
    "validate",
]
