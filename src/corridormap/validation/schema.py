"""Declarative specs for every layer and table: columns, types, vocabularies, geometry types.

The table schemas are pandera ``DataFrameSchema`` objects; :mod:`corridormap.validation.runner`
runs them
lazily and turns every failure into one line naming the file, row and column. Layer specs are plain
dataclasses because GeoJSON needs checks (RFC 7946, coordinate ranges) that pandera does not cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.dtypes import DataType
from pandera.engines import pandas_engine
from pandera.engines.pandas_engine import PandasObject

from corridormap import settings
from corridormap.vocabulary import (
    BASES,
    CAPACITY_UNITS,
    DATE_RE,
    ENERGY_KINDS,
    ENERGY_STATUSES,
    FINANCE_STATUSES,
    GAUGES_MM,
    GEOMETRY_LICENCES,  # noqa: F401 - read as schema.GEOMETRY_LICENCES by network_rules
    HISTORY_STATUSES,
    ID_LIST_RE,
    ID_RE,
    INDICATOR_KINDS,
    INPUT_LIMITS,
    ISO3_LIST_RE,
    ISO3_RE,
    MODES,
    PLACE_KINDS,
    SCENARIOS,
    SEGMENT_ID_RE,
    STATUSES,
    TARIFF_KINDS,
    TARIFF_UNITS,
    USD_YEARS,
    VOLUME_UNITS,
    YEAR_OR_DAY_RE,
)

#: Columns holding source-id lists, per table; every id must exist in sources.csv.
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": (
        "status_source",
        "length_source",
        "capacity_source",
        "cost_source",
        "financing_source",
        "operator_source",
        "dates_source",
    ),
    "segments": ("length_source", "geometry_source", "sources"),
    "status_history": ("source_id",),
    "indicators": ("source_id",),
    "tariffs": tuple(f"{i}_{s}_source" for i in ("volume", "tariff") for s in SCENARIOS),
    "fx": ("source_id",),
    "length_claims": ("source_id",),
    "aliases": ("source_id",),
    "places": ("source",),  # a layer of geo/; checked like the tables
}

#: Columns holding corridor ids (``;``-separated lists allowed); every id must be in projects.csv.
CORRIDOR_COLUMNS: dict[str, str] = {
    "railways": "corridor_id",  # the line layers of geo/
    "pipelines": "corridor_id",
    "highways": "corridor_id",
    "segments": "corridor_id",
    "status_history": "corridor_id",
    "tariffs": "corridor_id",
    "length_claims": "corridor_id",
    "aliases": "corridor_id",
    "places": "corridor_ids",
}

#: Columns holding ISO3 codes (``;``-separated lists allowed); each must be in countries.geojson.
COUNTRY_COLUMNS: dict[str, str] = {
    "projects": "countries",
    "length_claims": "country_iso3",
    "places": "countries",
}


class _Text(pandas_engine.STRING):
    """pandera's text dtype (``str``: ``string[pyarrow]``), one answer when every cell passes.

    pandera's own check answers cell by cell even when all pass, and pandera then builds and
    prints an empty table of failure cases for each text column (~1 ms a column, 120 columns).
    Here a column whose cells all pass is answered ``True``; any other column gets pandera's
    cell-by-cell answer, so the failures and their messages are exactly pandera's.
    """

    def check(
        self, pandera_dtype: DataType, data_container: PandasObject | None = None
    ) -> bool | Iterable[bool]:
        """The answer of pandera's check, or ``True`` when it is true for every cell."""
        result = super().check(pandera_dtype, data_container)
        if not isinstance(result, bool) and bool(np.all(np.asarray(result))):
            return True
        return result


_TEXT = _Text()  # type: ignore[call-arg]  # the dataclass's field has a default


def text_column(*checks: pa.Check, nullable: bool = True, unique: bool = False) -> pa.Column:
    """A text column with these checks (every table's column builder, network tables too)."""
    return pa.Column(_TEXT, checks=list(checks), nullable=nullable, unique=unique)


# Checks carry their message (pandera puts it in the failure case); problems.py prefixes the value.
def _at_most(limit: float) -> pa.Check:
    return pa.Check.le(limit, error=f"is implausibly large (limit {limit})")


def between_check(low: float, high: float) -> pa.Check:
    """A check that a number lies in ``low``-``high`` (inclusive), with its message."""
    return pa.Check.in_range(low, high, error=f"is outside {low}-{high}")


def _positive() -> pa.Check:
    return pa.Check.gt(0, error="must be greater than 0")


def number_column(*checks: pa.Check, nullable: bool = True) -> pa.Column:
    """A non-negative number column (coerced to float) with these checks."""
    not_negative = pa.Check.ge(0, error="is negative")
    return pa.Column(float, checks=[not_negative, *checks], nullable=nullable, coerce=True)


def _optional(column: pa.Column) -> pa.Column:
    """The column may be absent (a data folder older than the column); when there, it is checked."""
    column.required = False
    return column


def _in_year_range(years: pd.Series) -> pd.Series:
    """Whether each year lies in ``settings.year_range``, read when the check runs."""
    low, high = settings.year_range
    return years.between(low, high)


def year_column() -> pa.Column:
    """A nullable year column checked against ``settings.year_range`` when the check runs."""
    # A named check, not ``in_range(low, high)``: that would freeze the range at import time.
    check = pa.Check(_in_year_range, name="year_range", error="year_range")
    return pa.Column("Int64", checks=[check], nullable=True, coerce=True)


def ids_column(nullable: bool = True) -> pa.Column:
    """A column of ``;``-separated ids."""
    return text_column(pa.Check.str_matches(ID_LIST_RE), nullable=nullable)


def vocab_column(values: tuple[str, ...], nullable: bool = False) -> pa.Column:
    """A column whose every value is one of ``values``."""
    return text_column(pa.Check.isin(values), nullable=nullable)


PROJECTS = pa.DataFrameSchema(
    {
        "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "name": text_column(pa.Check.str_length(1, 200), nullable=False),
        "mode": vocab_column(MODES),
        "status": vocab_column(STATUSES),
        "status_source": ids_column(nullable=False),
        "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "length_km_reported": number_column(_at_most(20000)),
        "length_scope": _optional(text_column(pa.Check.str_length(0, 300))),
        "length_source": ids_column(),
        "capacity_value": number_column(),
        "capacity_min": _optional(number_column()),
        "capacity_max": _optional(number_column()),
        "capacity_unit": vocab_column(CAPACITY_UNITS, nullable=True),
        "capacity_source": ids_column(),
        "cost_usd_m": number_column(_at_most(1_000_000)),
        "cost_scope": _optional(text_column(pa.Check.str_length(0, 300))),
        "cost_source": ids_column(),
        "financing": text_column(pa.Check.str_length(0, 1000)),
        "financing_source": ids_column(),
        "operator": text_column(pa.Check.str_length(0, 500)),
        "operator_source": ids_column(),
        "construction_start": year_column(),
        "opened": year_column(),
        "opening_expected": _optional(text_column(pa.Check.str_matches(r"^\d{4}(–\d{4})?$"))),
        "dates_source": ids_column(),
        "description": text_column(pa.Check.str_length(0, 2000)),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="projects",
)

SEGMENTS = pa.DataFrameSchema(
    {
        "segment_id": text_column(pa.Check.str_matches(SEGMENT_ID_RE), nullable=False, unique=True),
        "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "name": text_column(pa.Check.str_length(1, 200), nullable=False),
        "from_place": text_column(pa.Check.str_length(1, 200), nullable=False),
        "to_place": text_column(pa.Check.str_length(1, 200), nullable=False),
        "status": vocab_column(STATUSES),
        "opened": year_column(),
        "gauge_mm": pa.Column("Int64", pa.Check.isin(GAUGES_MM), nullable=True, coerce=True),
        "length_km_reported": number_column(_at_most(10000)),
        "length_source": ids_column(),
        "positional_accuracy_km": number_column(_at_most(200), nullable=False),
        "geometry_source": ids_column(nullable=False),
        # ODbL, sketch or a licence of data/licences.csv: rules._check_geometry_licence
        "geometry_licence": text_column(pa.Check.str_length(1, 100), nullable=False),
        "geometry_note": text_column(pa.Check.str_length(0, 2000)),
        "sources": ids_column(),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="segments",
)

STATUS_HISTORY = pa.DataFrameSchema(
    {
        "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "segment_id": text_column(pa.Check.str_matches(SEGMENT_ID_RE)),
        "date": text_column(pa.Check.str_matches(DATE_RE), nullable=False),
        "status": vocab_column(HISTORY_STATUSES),
        "event": text_column(pa.Check.str_length(1, 500), nullable=False),
        "source_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
    },
    strict=True,
    name="status_history",
)

SOURCES = pa.DataFrameSchema(
    {
        "source_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "title": text_column(pa.Check.str_length(1, 500), nullable=False),
        "author": text_column(pa.Check.str_length(0, 300)),
        "publisher": text_column(pa.Check.str_length(0, 300)),
        "date": text_column(pa.Check.str_matches(DATE_RE)),
        "url": text_column(pa.Check.str_matches(r"^https?://\S+$")),
        "licence": text_column(pa.Check.str_length(0, 300)),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="sources",
)

INDICATORS = pa.DataFrameSchema(
    {
        "indicator": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "value": pa.Column(float, nullable=False, coerce=True),
        "unit": text_column(pa.Check.str_length(1, 50), nullable=False),
        "year": text_column(pa.Check.str_matches(r"^\d{4}(-\d{4})?$")),
        "scope": text_column(pa.Check.str_length(1, 200), nullable=False),
        "kind": vocab_column(INDICATOR_KINDS),
        "source_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="indicators",
)

# --------------------------------------------------------------------------- revenue model

CURRENCY_RE = r"^[A-Z]{3}$"
TARIFF_UNIT_RE = r"^[A-Z]{3}/(" + "|".join(u.replace("/", r"\/") for u in TARIFF_UNITS) + r")$"
YEAR_RE = r"^\d{4}(\+|-\d{4})?$"

TARIFFS = pa.DataFrameSchema(
    {
        "tariff_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "iso3": text_column(pa.Check.str_matches(ISO3_RE), nullable=False),
        "basis": vocab_column(BASES),
        **{
            f"volume_{s}": number_column(_at_most(INPUT_LIMITS["volume"]), nullable=False)
            for s in SCENARIOS
        },
        "volume_unit": vocab_column(tuple(VOLUME_UNITS)),
        "volume_year": text_column(pa.Check.str_matches(YEAR_RE), nullable=False),
        **{f"volume_{s}_source": ids_column(nullable=False) for s in SCENARIOS},
        **{
            f"tariff_{s}": number_column(_at_most(INPUT_LIMITS["tariff"]), nullable=False)
            for s in SCENARIOS
        },
        "tariff_unit": text_column(pa.Check.str_matches(TARIFF_UNIT_RE), nullable=False),
        "tariff_year": text_column(pa.Check.str_matches(YEAR_RE), nullable=False),
        **{f"tariff_{s}_source": ids_column(nullable=False) for s in SCENARIOS},
        "tariff_kind": vocab_column(TARIFF_KINDS),
        "solved_over_km": _optional(number_column(_positive(), _at_most(20000))),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="tariffs",
)

FX = pa.DataFrameSchema(
    {
        "currency": text_column(pa.Check.str_matches(CURRENCY_RE), nullable=False),
        "rate": pa.Column(float, _positive(), nullable=False, coerce=True),
        "date": text_column(pa.Check.str_matches(DATE_RE), nullable=False),
        "source_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="fx",
)

# --------------------------------------------------------------------------- length claims

LENGTH_CLAIMS = pa.DataFrameSchema(
    {
        "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
        "segment_id": text_column(pa.Check.str_matches(SEGMENT_ID_RE)),
        "country_iso3": text_column(pa.Check.str_matches(ISO3_RE)),
        "length_km": pa.Column(float, [_positive(), _at_most(20000)], nullable=False, coerce=True),
        "as_of": text_column(pa.Check.str_matches(YEAR_OR_DAY_RE), nullable=False),
        "source_id": ids_column(nullable=False),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="length_claims",
)

# --------------------------------------------------------------------------- aliases

#: What an alias is (``data/aliases.csv`` ``kind``).
ALIAS_KINDS = ("abbreviation", "other_name", "former_name", "local_name", "local_script")
#: A language tag: ISO 639-1 or -3, lower case (``en``, ``ru``, ``zh``, ``uz``, ``ug``).
LANG_RE = r"^[a-z]{2,3}$"

ALIASES = pa.DataFrameSchema(
    {
        "alias": text_column(pa.Check.str_length(1, 200), nullable=False),
        "lang": text_column(pa.Check.str_matches(LANG_RE), nullable=False),
        "corridor_id": text_column(pa.Check.str_matches(ID_RE)),
        "place_id": text_column(pa.Check.str_matches(ID_RE)),
        "kind": vocab_column(ALIAS_KINDS),
        "source_id": ids_column(nullable=False),
        "note": text_column(pa.Check.str_length(0, 1000)),
    },
    strict=True,
    name="aliases",
)

#: Every table of data/, by file stem.
TABLES: dict[str, pa.DataFrameSchema] = {
    "projects": PROJECTS,
    "segments": SEGMENTS,
    "status_history": STATUS_HISTORY,
    "sources": SOURCES,
    "indicators": INDICATORS,
    "tariffs": TARIFFS,
    "fx": FX,
    "length_claims": LENGTH_CLAIMS,
    "aliases": ALIASES,
}

#: Tables a data folder may lack (older folders, or an atlas without a revenue model): when the
#: file is absent it is skipped; when present it is checked like every other table.
OPTIONAL_TABLES = frozenset({"tariffs", "fx", "length_claims", "aliases"})

#: ``data/release.toml``, optional: the dataset's version and "as of" date. Key -> (type, what).
RELEASE_FILE = "release.toml"
RELEASE_KEYS: dict[str, tuple[type, str]] = {
    "data_version": (str, 'a string such as "2026.12"'),
    "as_of": (date, "a TOML date such as 2026-12-01 (no quotes, no time)"),
    "newest_source_id": (str, "a source id of sources.csv"),
}


@dataclass(frozen=True)
class LayerSpec:
    """What a GeoJSON layer of geo/ must hold."""

    name: str
    geometry_types: tuple[str, ...]
    id_property: str
    properties: tuple[str, ...]
    modes: tuple[str, ...] = ()
    in_region: bool = True

    @property
    def filename(self) -> str:
        """File name inside the geo folder."""
        return f"{self.name}.geojson"


LINE_TYPES = ("LineString", "MultiLineString")
POLYGON_TYPES = ("Polygon", "MultiPolygon")

LINE_LAYERS: dict[str, LayerSpec] = {
    "railways": LayerSpec(
        "railways", LINE_TYPES, "segment_id", ("segment_id", "corridor_id"), ("rail",)
    ),
    "pipelines": LayerSpec(
        "pipelines",
        LINE_TYPES,
        "segment_id",
        ("segment_id", "corridor_id"),
        ("gas_pipeline", "oil_pipeline"),
    ),
    "highways": LayerSpec(
        "highways", LINE_TYPES, "segment_id", ("segment_id", "corridor_id"), ("road",)
    ),
}

PLACES = LayerSpec(
    "places",
    ("Point",),
    "place_id",
    (
        "place_id",
        "name",
        "kind",
        "countries",
        "corridor_ids",
        "positional_accuracy_km",
        "source",
        "note",
    ),
)

COUNTRIES = LayerSpec(
    "countries",
    POLYGON_TYPES,
    "iso3",
    ("iso3", "name", "label_lon", "label_lat"),
    in_region=False,
)

#: Every layer of geo/, by file stem.
LAYERS: dict[str, LayerSpec] = {**LINE_LAYERS, "places": PLACES, "countries": COUNTRIES}

#: Property schemas of the layers (checked like tables, one row per feature).
LAYER_PROPERTIES: dict[str, pa.DataFrameSchema] = {
    **{
        name: pa.DataFrameSchema(
            {
                "segment_id": text_column(
                    pa.Check.str_matches(SEGMENT_ID_RE), nullable=False, unique=True
                ),
                "corridor_id": text_column(pa.Check.str_matches(ID_RE), nullable=False),
            },
            name=name,
        )
        for name in LINE_LAYERS
    },
    "places": pa.DataFrameSchema(
        {
            "place_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
            "name": text_column(pa.Check.str_length(1, 200), nullable=False),
            "kind": vocab_column(PLACE_KINDS),
            "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
            "corridor_ids": ids_column(),
            "positional_accuracy_km": number_column(_at_most(200), nullable=False),
            "source": ids_column(nullable=False),
            "note": text_column(pa.Check.str_length(0, 2000)),
        },
        name="places",
    ),
    "countries": pa.DataFrameSchema(
        {
            "iso3": text_column(pa.Check.str_matches(ISO3_RE), nullable=False, unique=True),
            "name": text_column(pa.Check.str_length(1, 200), nullable=False),
            "label_lon": pa.Column(float, between_check(-180, 180), coerce=True),
            "label_lat": pa.Column(float, between_check(-90, 90), coerce=True),
        },
        name="countries",
    ),
}

#: Plain-English reading of the id patterns, for error messages.
PATTERN_HINTS = {
    ID_RE: "a lower-case id such as cku_railway",
    SEGMENT_ID_RE: "a segment id such as cku_railway__torugart_makmal",
    ISO3_RE: "an ISO 3166-1 alpha-3 code such as KGZ",
    ISO3_LIST_RE: "ISO3 codes separated by ';' such as CHN;KGZ;UZB",
    ID_LIST_RE: "ids separated by ';' such as rg_2024;kabar_2018",
    DATE_RE: "a date YYYY, YYYY-MM or YYYY-MM-DD",
    r"^https?://\S+$": "an http(s) URL",
    r"^\d{4}(-\d{4})?$": "a year YYYY or range YYYY-YYYY",
    YEAR_OR_DAY_RE: "a year YYYY or a date YYYY-MM-DD",
    YEAR_RE: "a year YYYY, a range YYYY-YYYY or YYYY+",
    LANG_RE: "a language code such as en, ru or zh",
}


# --------------------------------------------------------------------------- route network
# The network's layer and tables (read by corridormap.validation.network_rules): the same rules
# as the atlas's, over settings.network_bbox.

NETWORK_LAYERS = ("rail1435", "rail1520", "road", "sea")
NETWORK_MODES = ("rail", "road", "ferry")
TRANSFER_TYPES = (
    "hub",
    "gauge_change",
    "border_crossing",
    "port_transfer",
    "ferry_crossing",
    "transload",
    "alias",
)
NETWORK_KINDS = ("reported", "estimate", "derived")
NETWORK_FILES = {
    "network": "network.geojson",
    "network_lines": "network_lines.csv",
    "transfers": "transfers.csv",
    "route_speeds": "route_speeds.csv",
}

NETWORK_LAYER = LayerSpec("network", LINE_TYPES, "line_id", ("line_id",), in_region=False)
NETWORK_PROPERTIES = pa.DataFrameSchema(
    {"line_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True)},
    name="network",
)
NETWORK_LINES = pa.DataFrameSchema(
    {
        "line_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "name": text_column(pa.Check.str_length(1, 200), nullable=False),
        "mode": vocab_column(NETWORK_MODES),
        "gauge_mm": pa.Column("Int64", pa.Check.isin(GAUGES_MM), nullable=True, coerce=True),
        "status": vocab_column(STATUSES),
        "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "length_km_reported": number_column(pa.Check.le(10000)),
        "length_source": ids_column(),
        "positional_accuracy_km": number_column(pa.Check.le(200), nullable=False),
        "geometry_source": ids_column(nullable=False),
        "geometry_licence": vocab_column(GEOMETRY_LICENCES),
        "kind": vocab_column(NETWORK_KINDS),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="network_lines",
)
TRANSFERS = pa.DataFrameSchema(
    {
        "transfer_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "type": vocab_column(TRANSFER_TYPES),
        "name": text_column(pa.Check.str_length(1, 200), nullable=False),
        "hub": text_column(pa.Check.str_matches(ID_RE)),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True, coerce=True),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True, coerce=True),
        "country": text_column(pa.Check.str_matches(ISO3_RE)),
        "snap_km": number_column(pa.Check.le(50)),
        "from_hub": text_column(pa.Check.str_matches(ID_RE)),
        "from_layer": vocab_column(NETWORK_LAYERS, nullable=True),
        "to_hub": text_column(pa.Check.str_matches(ID_RE)),
        "to_layer": vocab_column(NETWORK_LAYERS, nullable=True),
        "line_id": text_column(pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "post": text_column(pa.Check.str_length(0, 200)),
        "hours_low": number_column(pa.Check.le(2000)),
        "hours_base": number_column(pa.Check.le(2000)),
        "hours_high": number_column(pa.Check.le(2000)),
        "source_id": ids_column(nullable=False),
        "kind": vocab_column(NETWORK_KINDS),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="transfers",
)
ROUTE_SPEEDS = pa.DataFrameSchema(
    {
        "speed_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "mode": vocab_column(NETWORK_MODES),
        "gauge_mm": pa.Column("Int64", pa.Check.isin(GAUGES_MM), nullable=True, coerce=True),
        "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE)),
        "kmh_low": number_column(pa.Check.gt(0), pa.Check.le(200)),
        "kmh_base": number_column(pa.Check.gt(0), pa.Check.le(200)),
        "kmh_high": number_column(pa.Check.gt(0), pa.Check.le(200)),
        "source_id": ids_column(nullable=False),
        "kind": vocab_column(NETWORK_KINDS),
        "note": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="route_speeds",
)
NETWORK_TABLES = {
    "network_lines": NETWORK_LINES,
    "transfers": TRANSFERS,
    "route_speeds": ROUTE_SPEEDS,
}
NETWORK_SOURCE_COLUMNS = {
    "network_lines": ("length_source", "geometry_source"),
    "transfers": ("source_id",),
    "route_speeds": ("source_id",),
}


# -- China's footprint: AidData finance, GEM energy and the licence table (optional files) ---

#: Capacity unit each energy kind must use.
KIND_UNITS = {
    "gas_pipeline": "bcm/yr",
    "oil_pipeline": "bpd",
    "lng_terminal": "mtpa",
    "hydropower": "MW",
    "oil_gas_power_unit": "MW",
}
#: Smallest plausible amount: a figure below this is in thousands or millions by mistake.
MIN_AMOUNT_USD = 1000.0
LICENCE_LIST_RE = r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"
URL_RE = r"^https?://\S+$"

_positive_int_id = pa.Column("Int64", pa.Check.gt(0), nullable=False, unique=True, coerce=True)

FINANCE = pa.DataFrameSchema(
    {
        "project_id": _positive_int_id,
        "edition": vocab_column(("2.0", "3.0", "2.0;3.0")),
        "title": text_column(pa.Check.str_length(0, 1000)),
        "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "status": vocab_column(FINANCE_STATUSES, nullable=True),
        "sector": text_column(pa.Check.str_length(0, 200)),
        "flow_type": text_column(pa.Check.str_length(0, 200)),
        "flow_class": text_column(pa.Check.str_length(0, 200)),
        "lenders": text_column(pa.Check.str_length(0, 2000)),
        "receivers": text_column(pa.Check.str_length(0, 2000)),
        "implementers": text_column(pa.Check.str_length(0, 4000)),
        "commitment_year": year_column(),
        "start_year": pa.Column(
            "Int64", between_check(1850, 2100), nullable=True, coerce=True
        ),  # AidData's implementation start; the wide range as for GEM's start_year below
        "completion_year": year_column(),
        "planned_start": text_column(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "planned_completion": text_column(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "actual_start": text_column(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "actual_completion": text_column(pa.Check.str_matches(YEAR_OR_DAY_RE)),
        "amount_usd": number_column(),
        "usd_year": pa.Column("Int64", pa.Check.isin(USD_YEARS), nullable=True, coerce=True),
        "amount_usd_2017": number_column(),
        "amount_usd_2021": number_column(),
        "recommended_for_aggregates": vocab_column(("yes", "no"), nullable=True),
        "umbrella": vocab_column(("yes", "no"), nullable=True),
        "finance_type": text_column(pa.Check.str_length(0, 50)),
        "precision": vocab_column(("precise", "approximate", "region")),
        "n_regions": pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True),
        "aiddata_url": text_column(pa.Check.str_matches(URL_RE), nullable=False),
        "geometry_licence": vocab_column(("ODbL",), nullable=True),
        "licence_id": text_column(pa.Check.str_matches(LICENCE_LIST_RE), nullable=False),
        "source_id": ids_column(nullable=False),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="finance",
)

FINANCE_REGIONS = pa.DataFrameSchema(
    {
        "project_id": pa.Column("Int64", pa.Check.gt(0), nullable=False, coerce=True),
        "adm_level": vocab_column(("adm1", "adm2")),
        "shape_id": text_column(pa.Check.str_length(1, 100), nullable=False),
        "iso3": text_column(pa.Check.str_matches(ISO3_RE), nullable=False),
        "region": text_column(pa.Check.str_length(0, 200)),
        "intersection_ratio": pa.Column(float, between_check(0, 1.02), coerce=True),
        "even_split_ratio": pa.Column(float, between_check(0, 1), coerce=True),
        "amount_usd": number_column(),
        "amount_usd_even_split": number_column(),
        "usd_year": pa.Column("Int64", pa.Check.isin((2021,)), nullable=False, coerce=True),
        "centroid_lon": pa.Column(float, between_check(-180, 180), coerce=True),
        "centroid_lat": pa.Column(float, between_check(-90, 90), coerce=True),
        "source_id": ids_column(nullable=False),
    },
    strict=True,
    name="finance_regions",
)

ENERGY = pa.DataFrameSchema(
    {
        "asset_id": text_column(pa.Check.str_length(1, 200), nullable=False, unique=True),
        "kind": vocab_column(ENERGY_KINDS),
        "name": text_column(pa.Check.str_length(1, 300), nullable=False),
        "unit_name": text_column(pa.Check.str_length(0, 300)),
        "countries": text_column(pa.Check.str_matches(ISO3_LIST_RE), nullable=False),
        "status": vocab_column(ENERGY_STATUSES),
        "capacity": number_column(),
        "capacity_unit": vocab_column(tuple(sorted(set(KIND_UNITS.values()))), nullable=True),
        "start_year": pa.Column(
            "Int64", between_check(1850, 2100), nullable=True, coerce=True
        ),  # older than the corridors' year_range: GEM lists plants from 1948
        "owner": text_column(pa.Check.str_length(0, 2000)),
        "parent": text_column(pa.Check.str_length(0, 2000)),
        "fuel": text_column(pa.Check.str_length(0, 300)),
        "technology": text_column(pa.Check.str_length(0, 300)),
        "river": text_column(pa.Check.str_length(0, 300)),
        "subnational": text_column(pa.Check.str_length(0, 300)),
        "url": text_column(pa.Check.str_matches(URL_RE), nullable=False),
        "corridor_id": text_column(pa.Check.str_matches(ID_RE)),
        "tracker": text_column(pa.Check.str_length(1, 200), nullable=False),
        "licence_id": text_column(pa.Check.str_matches(LICENCE_LIST_RE), nullable=False),
        "geometry_licence": text_column(pa.Check.str_length(0, 50)),
        "source_id": ids_column(nullable=False),
        "note": text_column(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="energy",
)

LICENCES = pa.DataFrameSchema(
    {
        "licence_id": text_column(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "name": text_column(pa.Check.str_length(1, 200), nullable=False),
        "url": text_column(pa.Check.str_matches(URL_RE), nullable=False),
        "attribution": text_column(pa.Check.str_length(1, 500), nullable=False),
        "covers": text_column(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="licences",
)

FOOTPRINT_TABLES = {
    "finance": FINANCE,
    "finance_regions": FINANCE_REGIONS,
    "energy": ENERGY,
    "licences": LICENCES,
}
FINANCE_LAYER = LayerSpec(
    "finance",
    ("MultiPolygon", "Polygon", "MultiPoint", "Point"),
    "project_id",
    ("project_id",),
    in_region=False,
)
ENERGY_LAYER = LayerSpec(
    "energy",
    ("Point", "LineString", "MultiLineString"),
    "asset_id",
    ("asset_id",),
    in_region=False,
)
FOOTPRINT_LAYERS = {"finance": FINANCE_LAYER, "energy": ENERGY_LAYER}
FOOTPRINT_LAYER_PROPERTIES = {
    "finance": pa.DataFrameSchema({"project_id": _positive_int_id}, name="finance"),
    "energy": pa.DataFrameSchema(
        {"asset_id": text_column(pa.Check.str_length(1, 200), nullable=False, unique=True)},
        name="energy",
    ),
}
