"""The the revenue command of the ``corridormap`` command."""

from __future__ import annotations

from .cli import app  # noqa: F401
