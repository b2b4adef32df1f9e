"""Validation: the schemas and rules of every layer and table, one report, raised once.

- :mod:`.schema` holds every pandera schema and its column builders;
- :mod:`.rules` the cross-table rules (one ``_check_<rule>`` each) and :class:`ValidationReport`;
- :mod:`.revenue_rules` the rules of the revenue inputs (tariffs, exchange rates);
- :mod:`.network_rules` the rules of the routable network's layer and tables;
- :mod:`.problems` turns each failure into one line naming file, row or feature and column;
- :mod:`.runner` reads every file, runs the schemas and rules, and raises one
  :class:`~corridormap.errors.DataError` (:func:`validate`).
"""

from __future__ import annotations

from corridormap.validation.rules import ValidationReport
from corridormap.validation.runner import validate

__all__ = ["ValidationReport", "validate"]
