"""The rules that link one file to another: one small named check per rule, run by validate.

Each check takes the :class:`ValidationReport` of what could be read (its ``layers``, ``tables``
and ``release``, each already checked on its own) and returns one line per problem, labelled by
:func:`line`. A check whose inputs are missing (a file that could not be read,
an optional file that is absent) returns nothing: the reader has already said why.

To add a rule, write ``_check_<rule>(report) -> list[str]`` and append it to :data:`CHECKS`
(the pattern of osmnx's ``_validate.py``); :data:`corridormap.validation.runner.CHECKS` runs these,
then
the revenue tables' rules of :mod:`corridormap.validation.revenue_rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridormap._util import split_ids
from corridormap.io import display_path
from corridormap.validation import schema
from corridormap.validation.problems import label

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass
class ValidationReport:
    """What :func:`corridormap.validate` found.

    Public as ``corridormap.ValidationReport``; defined here, below
    :mod:`corridormap.validation.runner`,
    because every check reads it.

    Attributes
    ----------
    errors
        One line per problem that makes the data unusable.
    warnings
        One line per problem the atlas can live with (e.g. a byte-order mark).
    layers, tables
        What could be read and passed its own schema, by name, for the cross-file checks and for
        callers that go on to build the atlas (an optional table that is absent is not there).
    release
        The keys of ``data/release.toml``, or None when there is none (or it is broken).
    geo_dir, data_dir
        The folders checked.
    """

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    release: dict[str, Any] | None = None
    geo_dir: Path = field(default_factory=Path)
    data_dir: Path = field(default_factory=Path)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


#: A rule: what could be read -> one line per problem.
Check = Callable[[ValidationReport], list[str]]


# --------------------------------------------------------------------------- labels


def where(report: ValidationReport, name: str) -> str:
    """The file a layer or table comes from, as messages show it (``data/projects.csv``)."""
    if name in schema.LAYERS:
        return display_path(report.geo_dir / schema.LAYERS[name].filename)
    if name == "release":
        return display_path(report.data_dir / schema.RELEASE_FILE)
    return display_path(report.data_dir / f"{name}.csv")


def _frame(report: ValidationReport, name: str) -> pd.DataFrame | None:
    return report.layers.get(name) if name in schema.LAYERS else report.tables.get(name)


def line(
    report: ValidationReport, name: str, index: object, text: str, column: str | None = None
) -> str:
    """One problem: ``file: row 4 (corridor_id=cagp_d): column 'status': text``."""
    if name in schema.LAYERS:
        id_column, row_word = schema.LAYERS[name].id_property, "feature"
    else:
        id_column, row_word = next(iter(schema.TABLES[name].columns)), "row"
    head = (
        f"{where(report, name)}: {label(_frame(report, name), index, id_column, column, row_word)}"
    )
    return f"{head}: column '{column}': {text}" if column else f"{head}: {text}"


def _cells(report: ValidationReport, name: str, column: str) -> list[tuple[object, list[str]]]:
    """``(index, ids)`` of every filled cell of a ``;``-list column (none if it was not read)."""
    frame = _frame(report, name)
    if frame is None or column not in frame.columns:
        return []
    return [(index, split_ids(v)) for index, v in frame[column].items() if isinstance(v, str)]


def _features(report: ValidationReport) -> list[tuple[str, object, str, str]]:
    """``(layer, index, segment_id, corridor_id)`` of every feature of the line layers read."""
    return [
        (name, index, seg, corridor)
        for name in schema.LINE_LAYERS
        if name in report.layers
        for index, seg, corridor in zip(
            report.layers[name].index,
            report.layers[name]["segment_id"],
            report.layers[name]["corridor_id"],
            strict=True,
        )
    ]


def all_lines_read(report: ValidationReport) -> bool:
    """True when every line layer was read (a rule about all segments can run)."""
    return all(name in report.layers for name in schema.LINE_LAYERS)


# --------------------------------------------------------------------------- ids across files


@dataclass(frozen=True)
class IdRule:
    """A cross-file rule: every id in ``columns`` is a ``key`` of the ``reference`` file.

    ``columns`` are (table or layer, column) pairs; ``problem`` is the message with ``{}`` where
    the id goes. Nothing is checked when the reference could not be read (its own problem is
    reported already). Called with a report, it returns one line per unknown id. Like the
    function rules it has a ``__name__`` (``name``) and a docstring (``doc``).
    """

    name: str
    doc: str
    columns: tuple[tuple[str, str], ...]
    reference: str
    key: str
    problem: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "__name__", self.name)
        object.__setattr__(self, "__doc__", self.doc)

    def __call__(self, report: ValidationReport) -> list[str]:
        """One problem line per id the reference file does not hold."""
        frame = report.tables.get(self.reference, report.layers.get(self.reference))
        if frame is None:
            return []
        known = set(frame[self.key])
        return [
            line(report, name, index, self.problem.format(value), column)
            for name, column in self.columns
            for index, ids in _cells(report, name, column)
            for value in ids
            if value not in known
        ]


#: The rules that look ids up in another file.
ID_CHECKS: list[Check] = [
    IdRule(
        "_check_source_ids",
        "Every source id of every table (and of places.geojson) is a row of sources.csv.",
        tuple((n, c) for n, cs in schema.SOURCE_COLUMNS.items() for c in cs),
        "sources",
        "source_id",
        "unknown source id '{}' (not in sources.csv)",
    ),
    IdRule(
        "_check_corridor_ids",
        "Every corridor id outside projects.csv (tables, features, places) is a row of it.",
        tuple(schema.CORRIDOR_COLUMNS.items()),
        "projects",
        "corridor_id",
        "unknown corridor '{}' (not in projects.csv)",
    ),
    IdRule(
        "_check_country_codes",
        "Every ISO3 code of projects, length claims and places is a country of countries.geojson.",
        tuple(schema.COUNTRY_COLUMNS.items()),
        "countries",
        "iso3",
        "country {} is not in countries.geojson",
    ),
]


def _check_alias_target(report: ValidationReport) -> list[str]:
    """An alias names exactly one thing: a corridor of projects.csv or a place of places.geojson."""
    aliases = report.tables.get("aliases")
    if aliases is None:
        return []
    places = report.layers.get("places")
    known = None if places is None else set(places["place_id"])
    problems = []
    for index, corridor, place in aliases[["corridor_id", "place_id"]].itertuples():
        if pd.isna(corridor) == pd.isna(place):
            text = "give either corridor_id or place_id (exactly one)"
            problems.append(line(report, "aliases", index, text, "corridor_id"))
        elif known is not None and not pd.isna(place) and place not in known:
            text = f"unknown place '{place}' (not in places.geojson)"
            problems.append(line(report, "aliases", index, text, "place_id"))
    return problems


def _check_segment_of_corridor(report: ValidationReport) -> list[str]:
    """A segment named by status_history.csv or length_claims.csv exists and is of its corridor."""
    segments = report.tables.get("segments")
    if segments is None:
        return []
    corridor_of = dict(zip(segments["segment_id"], segments["corridor_id"], strict=True))
    problems = []
    for name in ("status_history", "length_claims"):
        frame = report.tables.get(name)
        rows = [] if frame is None else frame[["segment_id", "corridor_id"]].dropna().itertuples()
        for index, seg, corridor in rows:
            if seg not in corridor_of:
                text = f"unknown segment '{seg}' (not in segments.csv)"
            elif corridor_of[seg] != corridor:
                text = f"segment '{seg}' is of corridor '{corridor_of[seg]}', not '{corridor}'"
            else:
                continue
            problems.append(line(report, name, index, text, "segment_id"))
    return problems


# --------------------------------------------------------------------------- layers and segments


def _check_segment_ids_unique(report: ValidationReport) -> list[str]:
    """No segment_id is drawn in two line layers (within one layer the schema says so)."""
    seen: dict[str, str] = {}
    problems = []
    for name, index, seg, _ in _features(report):
        if seg in seen:
            problems.append(line(report, name, index, f"also appears in {seen[seg]}.geojson"))
        seen.setdefault(seg, name)
    return problems


def _check_segment_id_prefix(report: ValidationReport) -> list[str]:
    """A segment_id starts with its corridor_id and ``__``."""
    return [
        line(report, name, index, f"segment_id does not start with '{corridor}__' (its corridor)")
        for name, index, seg, corridor in _features(report)
        if not seg.startswith(corridor + "__")
    ]


def _check_layer_modes(report: ValidationReport) -> list[str]:
    """A corridor is drawn in the layer of its mode (rail in railways.geojson, …)."""
    projects = report.tables.get("projects")
    if projects is None:
        return []
    modes = dict(zip(projects["corridor_id"], projects["mode"], strict=True))
    home = {mode: name for name, spec in schema.LINE_LAYERS.items() for mode in spec.modes}
    return [
        line(
            report,
            name,
            index,
            f"corridor '{corridor}' is mode '{modes[corridor]}', which belongs in another layer "
            f"({home[modes[corridor]]}.geojson)",
            "corridor_id",
        )
        for name, index, _, corridor in _features(report)
        if corridor in modes and modes[corridor] not in schema.LINE_LAYERS[name].modes
    ]


def _check_segment_rows_drawn(report: ValidationReport) -> list[str]:
    """Every row of segments.csv has a feature in the line layers."""
    segments = report.tables.get("segments")
    if segments is None or not all_lines_read(report):
        return []
    drawn = {seg for _, _, seg, _ in _features(report)}
    return [
        line(report, "segments", index, "no feature with this segment_id in the line layers")
        for index, seg in segments["segment_id"].items()
        if seg not in drawn
    ]


def _check_segment_corridor_matches(report: ValidationReport) -> list[str]:
    """A row of segments.csv and its feature name the same corridor."""
    segments = report.tables.get("segments")
    if segments is None:
        return []
    drawn = {seg: corridor for _, _, seg, corridor in _features(report)}
    return [
        line(
            report,
            "segments",
            i,
            f"'{corridor}' but the feature says '{drawn[seg]}'",
            "corridor_id",
        )
        for i, seg, corridor in segments[["segment_id", "corridor_id"]].itertuples()
        if seg in drawn and drawn[seg] != corridor
    ]


def _check_features_have_rows(report: ValidationReport) -> list[str]:
    """Every feature of a line layer has a row in segments.csv."""
    segments = report.tables.get("segments")
    if segments is None:
        return []
    rows = set(segments["segment_id"])
    return [
        line(report, name, index, "no row in segments.csv")
        for name, index, seg, _ in _features(report)
        if seg not in rows
    ]


def _check_projects_drawn(report: ValidationReport) -> list[str]:
    """Every corridor of projects.csv has at least one drawn segment."""
    projects = report.tables.get("projects")
    if projects is None or not all_lines_read(report):
        return []
    drawn = {corridor for *_, corridor in _features(report)}
    return [
        line(report, "projects", index, "no segment drawn for this corridor")
        for index, corridor in projects["corridor_id"].items()
        if corridor not in drawn
    ]


def _check_year_order(report: ValidationReport) -> list[str]:
    """A corridor does not open before its construction starts."""
    projects = report.tables.get("projects")
    if projects is None:
        return []
    both = projects.dropna(subset=["construction_start", "opened"])
    return [
        line(report, "projects", index, f"{opened} is before construction_start {start}", "opened")
        for index, start, opened in zip(
            both.index, both["construction_start"], both["opened"], strict=True
        )
        if opened < start
    ]


# --------------------------------------------------------------------------- release


def _check_release_source(report: ValidationReport) -> list[str]:
    """release.toml's newest_source_id is a row of sources.csv."""
    sources = report.tables.get("sources")
    source_id = (report.release or {}).get("newest_source_id")
    if sources is None or not isinstance(source_id, str) or source_id in set(sources["source_id"]):
        return []
    return [
        f"{where(report, 'release')}: newest_source_id: unknown source id '{source_id}' "
        "(not in sources.csv)"
    ]


def licence_vocabulary(licences: pd.DataFrame | None) -> list[str]:
    """The geometry licences a segment may name: ODbL, sketch, and the licence table's ids.

    ``licences`` is the validated licence table (``data/licences.csv``, keyed on
    ``licence_id``; ``None`` when the data folder has none); a user's own line digitised under
    CC BY is accepted once its licence is a row there.
    """
    names = list(schema.GEOMETRY_LICENCES)
    if licences is not None:
        names += [v for v in licences["licence_id"] if v and v not in names]
    return names


def _check_geometry_licence(report: ValidationReport) -> list[str]:
    """Every segment's geometry_licence is one of :func:`licence_vocabulary`."""
    segments = report.tables.get("segments")
    if segments is None:
        return []
    known = licence_vocabulary(report.tables.get("licences"))
    bad = segments[~segments["geometry_licence"].isin(known)]
    return [
        f"{where(report, 'segments')}: row {index + 2} (segment_id={row.segment_id}): column "
        f"'geometry_licence': {row.geometry_licence!r} is not a licence of the atlas (use one of "
        f"{', '.join(known)}, or add it to data/licences.csv)"
        for index, row in zip(bad.index, bad.itertuples(), strict=True)
    ]


#: The rules linking the atlas's files (the revenue tables' rules are in revenue_schema).
CHECKS: list[Check] = [
    *ID_CHECKS,
    _check_segment_of_corridor,
    _check_alias_target,
    _check_segment_ids_unique,
    _check_segment_id_prefix,
    _check_layer_modes,
    _check_segment_rows_drawn,
    _check_segment_corridor_matches,
    _check_features_have_rows,
    _check_projects_drawn,
    _check_year_order,
    _check_release_source,
    _check_geometry_licence,
]
