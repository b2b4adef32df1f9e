"""Where the package's own files are, found from the package root, never from ``__file__``.

Standard library only, so that ``corridormap --version`` (which reads the data release) stays
fast. Every module that needs the package's folder or a shipped data folder asks here, so a
module's depth in the package tree never matters (a module moved into a subpackage still finds
the same folders).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_root() -> Path:
    """The folder of the installed or checked-out ``corridormap`` package."""
    return Path(str(resources.files("corridormap")))


def packaged(name: str) -> Path | None:
    """The copy of ``geo/``, ``data/`` or ``basemap/`` shipped inside the wheel, if installed."""
    path = package_root() / "_data" / name
    return path if path.is_dir() else None


def checkout_folder(name: str) -> Path:
    """The checkout's top-level folder ``name`` (``src/corridormap`` → the repository root)."""
    return package_root().parents[1] / name


def shipped_folder(name: str) -> Path:
    """The packaged copy of a data folder, else the checkout's."""
    return packaged(name) or checkout_folder(name)
