"""Query commands of ``corridormap``: lengths, crossings, near, catchment, join-points."""

from __future__ import annotations

from .cli import app  # noqa: F401
