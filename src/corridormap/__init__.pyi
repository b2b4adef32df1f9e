# The public names of corridormap, once: read at run time by lazy_loader.attach_stub (each name
# loads on first use) and by type checkers as the package's interface.
from ._i18n import languages
from ._version import __version__
from .atlas.core import Atlas, load, reported_length_range
from .atlas.diff import AtlasDiff, diff_atlases
from .atlas.history import segment_status_as_of, status_as_of
from .atlas.releases import releases
from .briefing.pack import brief
from .errors import (
    CorridorMapError,
    CorridorMapWarning,
    DataError,
    InputError,
    MissingDependencyError,
    OutputError,
    OutsideRegionWarning,
    RouteError,
    SchedulerError,
    SelectionError,
    SkippedRowsWarning,
    SpecError,
)
from .export import export_atlas
from .join import join_points
from .measure.lengths import (
    border_crossings,
    country_totals,
    fidelity,
    geodesic_length_km,
    lengths_by_country,
)
from .network.compare import route_change
from .network.search import routes
from .query import catchment, near, place_matches, select
from .release import DataRelease, data_release
from .render.interactive.diff import diff_map
from .render.interactive.map import folium_map, save_map
from .render.static.figure import save_static, static_map
from .revenue import revenue_by_country, sensitivity, transit_revenue
from .validation.rules import ValidationReport
from .validation.runner import validate

__all__ = [
    "Atlas",
    "AtlasDiff",
    "CorridorMapError",
    "CorridorMapWarning",
    "DataError",
    "DataRelease",
    "InputError",
    "MissingDependencyError",
    "OutputError",
    "OutsideRegionWarning",
    "RouteError",
    "SchedulerError",
    "SelectionError",
    "SkippedRowsWarning",
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
    "languages",
    "lengths_by_country",
    "load",
    "near",
    "place_matches",
    "releases",
    "reported_length_range",
    "revenue_by_country",
    "route_change",
    "routes",
    "save_map",
    "save_static",
    "segment_status_as_of",
    "select",
    "sensitivity",
    "static_map",
    "status_as_of",
    "transit_revenue",
    "validate",
]
