"""Measurements on the atlas: geodesic lengths, per-country splits, border crossings.

- :mod:`.lengths` holds the public measures (:func:`lengths_by_country`, :func:`country_totals`,
  :func:`fidelity`, :func:`border_crossings`);
- :mod:`._borders` splits each drawn line by country and tells border artefacts from crossings;
- :mod:`._reported` attaches the published per-country figures to the drawn ones.
"""

from __future__ import annotations

from corridormap.measure.lengths import (
    border_crossings,
    country_totals,
    fidelity,
    geodesic_length_km,
    lengths_by_country,
)

__all__ = [
    "border_crossings",
    "country_totals",
    "fidelity",
    "geodesic_length_km",
    "lengths_by_country",
]
