"""The vocabularies of the data: modes, statuses, kinds, units and id patterns.

Plain constants, kept apart from :mod:`corridormap.validation.schema` (which builds pandera schemas
from them)
so that a map, a query or the command line can use them without importing pandera.
"""

from __future__ import annotations

MODES = ("rail", "road", "gas_pipeline", "oil_pipeline")
STATUSES = ("operational", "under_construction", "planned", "suspended")
HISTORY_STATUSES = STATUSES
PLACE_KINDS = (
    "city", "station", "terminal", "border_crossing", "pass", "port", "dry_port", "trade_zone",
)  # fmt: skip
CAPACITY_UNITS = (
    "Mt/yr", "bcm/yr", "TEU/yr", "trucks/yr", "vehicles/day", "train_pairs/day", "trains/day",
)  # fmt: skip
INDICATOR_KINDS = ("reported", "estimate", "derived")
GEOMETRY_LICENCES = ("ODbL", "CC-BY-4.0", "sketch")
GAUGES_MM = (1435, 1520)
#: The five Central Asian states the atlas is about (ISO 3166-1 alpha-3).
FIVE_STATES: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
SCENARIOS: tuple[str, ...] = ("low", "base", "high")  # of the revenue model
#: Largest value a revenue input may take, in its own unit (a volume in Mt, bcm, TEU…, a
#: tariff per unit, the km of a route): checked alike in tariffs.csv and in ``--set``/
#: ``overrides``, so a number the data would refuse is not accepted from the command line.
INPUT_LIMITS: dict[str, float] = {"volume": 1e9, "tariff": 1e6, "km": 20_000.0}

ID_RE = r"^[a-z][a-z0-9_]*$"
SEGMENT_ID_RE = r"^[a-z][a-z0-9_]*__[a-z0-9_]+$"
ISO3_RE = r"^[A-Z]{3}$"
ISO3_LIST_RE = r"^[A-Z]{3}(;[A-Z]{3})*$"
ID_LIST_RE = r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"
DATE_RE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
YEAR_OR_DAY_RE = r"^\d{4}(-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"

# The revenue model's units.
INPUTS = ("volume", "tariff")
BASES = ("per_km", "flat")
#: What a tariff is: its corridor's own published tariff, another system's (a proxy), or
#: back-solved from a published revenue claim (the result then restates the claim).
TARIFF_KINDS = ("published", "proxy", "back_solved")

#: Volume units: (quantity the tariff is charged on, how many of it one unit per year is).
VOLUME_UNITS: dict[str, tuple[str, float]] = {
    "Mt/yr": ("t", 1e6),
    "kt/yr": ("t", 1e3),
    "t/yr": ("t", 1.0),
    "bcm/yr": ("1000m3", 1e6),
    "mcm/yr": ("1000m3", 1e3),
    "TEU/yr": ("TEU", 1.0),
    "trucks/yr": ("truck", 1.0),
}
#: Tariff units without the currency: (quantity, per-km factor or None for a flat fee).
TARIFF_UNITS: dict[str, tuple[str, float | None]] = {
    "t": ("t", None),
    "t-km": ("t", 1.0),
    "t/1000km": ("t", 1e-3),
    "1000m3": ("1000m3", None),
    "1000m3/100km": ("1000m3", 1e-2),
    "TEU": ("TEU", None),
    "TEU-km": ("TEU", 1.0),
    "truck": ("truck", None),
    "truck-km": ("truck", 1.0),
}

#: Finance statuses (AidData's words, as the build writes them), in display order.
FINANCE_STATUSES = (
    "pipeline_pledge",
    "pipeline_commitment",
    "implementation",
    "completion",
    "suspended",
    "cancelled",
)
#: Energy asset kinds and GEM's statuses.
ENERGY_KINDS = ("gas_pipeline", "oil_pipeline", "lng_terminal", "hydropower", "oil_gas_power_unit")
ENERGY_STATUSES = (
    "operating",
    "construction",
    "pre-construction",
    "announced",
    "proposed",
    "shelved",
    "mothballed",
    "cancelled",
    "retired",
)
#: The dollar years the finance tables may hold (constant USD of GCDF 2.0 and 3.0).
USD_YEARS = (2017, 2021)
