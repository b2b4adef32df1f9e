"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors."""

from importlib.metadata import PackageNotFoundError, version

from .atlas import Atlas, load
from .errors import CorridorMapError, DataError, SelectionError
from .measure import fidelity, geodesic_length_km
from .validate import ValidationReport, validate

try:
    __version__ = version("corridormap")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "Atlas",
    "CorridorMapError",
    "DataError",
    "SelectionError",
    "ValidationReport",
    "__version__",
    "fidelity",
    "geodesic_length_km",
    "load",
    "validate",
]
