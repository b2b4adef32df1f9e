"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors."""

from importlib.metadata import PackageNotFoundError, version

from .atlas import Atlas, load
from .brief import brief
from .errors import CorridorMapError, DataError, RouteError, SelectionError, SpecError
from .export import export_atlas
from .measure import border_crossings, fidelity, geodesic_length_km, lengths_by_country
from .query import catchment, join_points, near, select, status_as_of
from .render import folium_map, save_map
from .render.static import save_static, static_map
from .revenue import revenue_by_country, sensitivity, transit_revenue
from .routes import route_change, routes
from .validate import ValidationReport, validate

try:
    __version__ = version("corridormap")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "Atlas",
    "CorridorMapError",
    "DataError",
    "RouteError",
    "SelectionError",
    "SpecError",
    "ValidationReport",
    "__version__",
    "border_crossings",
    "brief",
    "catchment",
    "export_atlas",
    "fidelity",
    "folium_map",
    "geodesic_length_km",
    "join_points",
    "lengths_by_country",
    "load",
    "near",
    "revenue_by_country",
    "route_change",
    "routes",
    "save_map",
    "save_static",
    "select",
    "sensitivity",
    "static_map",
    "status_as_of",
    "transit_revenue",
    "validate",
]
