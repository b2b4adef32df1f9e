"""The package version, in a module of its own so any module can read it without a cycle."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corridormap")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"
