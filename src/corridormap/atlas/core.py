"""The Atlas: corridor segments joined to their metadata, with countries, places and sources."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from corridormap import _memo
from corridormap._geodesy import geodesic_length_km
from corridormap._util import Many, as_list, is_sketch
from corridormap.atlas import _cache
from corridormap.errors import DataError, SelectionError
from corridormap.io import data_hash, resolve_dirs
from corridormap.release import DataRelease
from corridormap.vocabulary import MODES

log = logging.getLogger(__name__)


#: Display order of modes (map layers, tables, legends).
MODE_ORDER = {mode: rank for rank, mode in enumerate(MODES)}


#: Columns of ``data/aliases.csv``: one row per other name of a corridor or a place.
ALIAS_COLUMNS = ("alias", "lang", "corridor_id", "place_id", "kind", "source_id", "note")
#: Columns of ``data/length_claims.csv``: one row per published length figure.
#: The same as ``schema.LENGTH_CLAIMS.columns``, written out so that a cached load need not import
#: the schemas (pandera); a test keeps the two equal.
LENGTH_CLAIM_COLUMNS = (
    "corridor_id",
    "segment_id",
    "country_iso3",
    "length_km",
    "as_of",
    "source_id",
    "note",
)


@dataclass(frozen=True)
class Tariffs:
    """The revenue model's validated inputs: one row per tariff, and the exchange-rate table.

    Defined here, beside the Atlas that carries it, so that a cached atlas unpickles without
    importing the schemas (pandera).
    """

    rows: pd.DataFrame
    fx: pd.DataFrame


def tariffs_from(tables: dict[str, pd.DataFrame]) -> Tariffs:
    """The model's inputs from validated tables; absent tables give empty ones.

    ``is_proxy`` (a bool) is added from ``tariff_kind``; numbers are floats (as the schema
    coerced them). Here, beside
    :class:`Tariffs`, rather than in :mod:`corridormap.validation.revenue_rules` (which checks the
    tables),
    so that the checks need not import the Atlas that imports them.
    """
    from corridormap.validation.schema import FX, TARIFFS

    rows = tables.get("tariffs", pd.DataFrame(columns=list(TARIFFS.columns)))
    fx = tables.get("fx", pd.DataFrame(columns=list(FX.columns)))
    if "solved_over_km" not in rows:
        rows = rows.assign(solved_over_km=float("nan"))
    rows = rows.assign(is_proxy=rows["tariff_kind"] == "proxy")
    return Tariffs(rows=rows.reset_index(drop=True), fx=fx.reset_index(drop=True))


def read_tariffs(data_dir: str | Path | None = None) -> Tariffs:
    """Read and check ``tariffs.csv`` and ``fx.csv`` on their own, without the rest of the atlas.

    :func:`corridormap.load` already does this (``Atlas.tariffs``); this is for a folder of
    tables alone, e.g. for :meth:`Atlas.from_frames`. The same reader and rules as
    :func:`corridormap.validate`, with corridor ids and countries checked against
    ``projects.csv`` and source ids against ``sources.csv`` of the folder (read as they are;
    ``validate`` checks them).

    Parameters
    ----------
    data_dir
        Folder of the tables; ``None`` means the data shipped with corridormap.

    Returns
    -------
    Tariffs
        ``rows`` (numbers as floats, ``is_proxy`` as bool) and ``fx``.

    Raises
    ------
    DataError
        One line per problem, naming file, row (as a spreadsheet shows it), column and the fix.
    """
    from corridormap.io import UnreadableFile, read_table
    from corridormap.validation import revenue_rules as revenue_schema
    from corridormap.validation import rules as checks
    from corridormap.validation import schema
    from corridormap.validation.runner import ValidationReport, read_checked_table

    folder = resolve_dirs(None, data_dir)[1]
    report = ValidationReport(data_dir=folder)
    for name in ("fx", "tariffs"):
        checked = read_checked_table(folder / f"{name}.csv", schema.TABLES[name], report)
        if checked is not None:
            report.tables[name] = checked
    if report.errors:
        raise DataError(report.errors)
    for name, columns in (("projects", ["corridor_id", "countries"]), ("sources", ["source_id"])):
        try:  # only the ids the rules look up
            report.tables[name] = read_table(folder / f"{name}.csv")[columns]
        except (OSError, UnreadableFile, KeyError, pd.errors.ParserError):
            continue  # no such table, or a broken one: validate says why
    rules = [*checks.ID_CHECKS, *revenue_schema.CHECKS]
    problems = [problem for rule in rules for problem in rule(report)]
    if problems:
        raise DataError(problems)
    return tariffs_from(report.tables)


def empty_tariffs() -> Tariffs:
    """The model's inputs of an atlas without revenue tables (no tariff, no rate)."""
    return tariffs_from({})


@dataclass(frozen=True)
class Atlas:
    """Everything corridormap knows, as GeoDataFrames (EPSG:4326) and DataFrames.

    Attributes
    ----------
    segments
        One row per segment: geometry, every column of ``segments.csv``, the corridor's ``mode``
        and ``corridor_name``, and ``length_km`` (geodesic).
    corridors
        One row per corridor (its segments dissolved): every column of ``projects.csv``,
        ``length_km`` (geodesic sum of the segments), ``segment_count``,
        ``positional_accuracy_km`` (the worst segment), ``approximate`` (True where any segment
        is a sketch coarser than ``settings.line_data_accuracy_km``) and the spread of published
        whole-corridor lengths: ``length_km_reported_min``, ``length_km_reported_max`` and
        ``length_reported_sources`` (how many sources; 0 where ``length_claims.csv`` has none).
    countries, places
        The basemap polygons and the point layer.
    sources, indicators, status_history
        The tables of ``data/``.
    length_claims
        ``data/length_claims.csv``: every published length figure with its source and date
        (``length_km`` a float; empty ``segment_id``/``country_iso3`` = whole corridor). An empty
        frame with :data:`LENGTH_CLAIM_COLUMNS` when the folder has no such file.
    data_hash
        SHA-256 of the input files, to tell which data made an output.
    tariffs
        The revenue model's validated ``tariffs.csv`` and ``fx.csv`` (empty tables when the data
        folder has none). Every computation reads them from here, never from a file.
    aliases
        ``data/aliases.csv``: other names of corridors and places (abbreviations, former names,
        spellings and scripts of other languages), each with its source; the map's search finds
        them. An empty frame with :data:`ALIAS_COLUMNS` when the folder has no such file.
    release
        ``release.toml`` as validated (a :class:`~corridormap.DataRelease`: ``data_version``,
        ``as_of``, ``newest_source_id``, ``label``); None when the data folder has none.
    finance
        AidData's Chinese development finance in the five states (``data/finance.csv`` with the
        geometry of ``geo/finance.geojson``): one row per project of GCDF 2.0 and 3.0, amounts
        in constant USD of ``usd_year`` (2017 or 2021, never mixed); see
        :mod:`corridormap.footprint`. Empty when the data folder has none.
    finance_regions
        GCDF 3.0's split of each commitment over ADM1/ADM2 regions (``finance_regions.csv``).
    energy
        Global Energy Monitor's pipelines, LNG terminal, hydropower plants and oil/gas units in
        the five states (``data/energy.csv`` + ``geo/energy.geojson``).
    licences
        ``data/licences.csv``: every licence and its credit line (:func:`corridormap.credit_lines`).
    """

    segments: gpd.GeoDataFrame
    corridors: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    sources: pd.DataFrame
    indicators: pd.DataFrame
    status_history: pd.DataFrame
    geo_dir: Path
    data_dir: Path
    data_hash: str
    tariffs: Tariffs = field(default_factory=lambda: empty_tariffs())
    length_claims: pd.DataFrame = field(default_factory=lambda: _empty_claims())
    release: DataRelease | None = None
    finance: gpd.GeoDataFrame = field(default_factory=lambda: _empty_footprint("finance"))
    finance_regions: pd.DataFrame = field(
        default_factory=lambda: _empty_footprint("finance_regions")
    )
    energy: gpd.GeoDataFrame = field(default_factory=lambda: _empty_footprint("energy"))
    licences: pd.DataFrame = field(default_factory=lambda: _empty_footprint("licences"))
    aliases: pd.DataFrame = field(default_factory=lambda: _empty_aliases())

    @classmethod
    def from_frames(
        cls,
        *,
        segments: gpd.GeoDataFrame,
        corridors: gpd.GeoDataFrame,
        countries: gpd.GeoDataFrame,
        places: gpd.GeoDataFrame | None = None,
        sources: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
        status_history: pd.DataFrame | None = None,
        tariffs: Tariffs | None = None,
        folder: str | Path = ".",
    ) -> Atlas:
        """An atlas put together from frames in memory (a notebook's own corridors, a test's).

        The one constructor for hand-built atlases: every table an atlas carries is given here
        (absent ones are empty), so measures, revenue and renderers read only the atlas, never
        a file. Read revenue inputs with :func:`read_tariffs`, which checks them.

        Parameters
        ----------
        segments, corridors, countries
            The three layers every computation needs (EPSG:4326).
        places, sources, indicators, status_history
            The other layers and tables; ``None`` for empty ones.
        tariffs
            Validated revenue inputs (:func:`read_tariffs`); ``None`` for none.
        folder
            Shown as the atlas's ``geo_dir`` and ``data_dir`` (nothing is read from it).

        Examples
        --------
        >>> import corridormap as cm
        >>> atlas = cm.load()
        >>> mine = cm.Atlas.from_frames(
        ...     segments=atlas.segments, corridors=atlas.corridors, countries=atlas.countries
        ... )
        >>> len(mine), mine.tariffs.rows.empty
        (13, True)
        """
        empty = pd.DataFrame()
        return cls(
            segments=segments,
            corridors=corridors,
            countries=countries,
            places=places if places is not None else gpd.GeoDataFrame(),
            sources=sources if sources is not None else empty,
            indicators=indicators if indicators is not None else empty,
            status_history=status_history if status_history is not None else empty,
            geo_dir=Path(folder),
            data_dir=Path(folder),
            data_hash="",
            tariffs=tariffs if tariffs is not None else empty_tariffs(),
        )

    def __len__(self) -> int:
        return len(self.corridors)

    def __repr__(self) -> str:
        modes = self.corridors["mode"].value_counts().to_dict() if len(self) else {}
        return f"<Atlas: {len(self)} corridors, {len(self.segments)} segments, modes={modes}>"

    def provenance(self) -> dict[str, str]:
        """What made an output: the generator, the package version and the input data's hash.

        Written into every map's manifest and every briefing pack's lock file.

        Examples
        --------
        >>> import corridormap as cm
        >>> cm.load().provenance()  # doctest: +ELLIPSIS
        {'generator': 'corridormap', 'version': '...', 'data_hash': '...'}
        """
        from corridormap._version import __version__

        return {"generator": "corridormap", "version": __version__, "data_hash": self.data_hash}

    def subset(self, corridor_ids: list[str] | set[str]) -> Atlas:
        """Return an Atlas holding only the given corridors (in their original order).

        Parameters
        ----------
        corridor_ids
            Ids of ``corridors``; ids not in the atlas are ignored (use
            :func:`corridormap.select` to have them checked).

        Returns
        -------
        Atlas
            The same tables, with ``segments`` and ``corridors`` cut to those corridors.

        Examples
        --------
        >>> import corridormap as cm
        >>> atlas = cm.load()
        >>> atlas.subset(["kz_cn_rail_dostyk", "cku_railway"])
        <Atlas: 2 corridors, 6 segments, modes={'rail': 2}>
        """
        keep = set(corridor_ids)
        part = replace(
            self,
            segments=self.segments[self.segments["corridor_id"].isin(keep)].copy(),
            corridors=self.corridors[self.corridors["corridor_id"].isin(keep)].copy(),
        )
        _memo.remember_part(part, self, keep)  # per-corridor answers kept for self serve it
        return part


def load(geo_dir: str | Path | None = None, data_dir: str | Path | None = None) -> Atlas:
    """Validate and load the atlas.

    Parameters
    ----------
    geo_dir, data_dir
        Folders of the layers and tables; ``None`` means the data shipped with corridormap.

    Returns
    -------
    Atlas

    Raises
    ------
    DataError
        If any check fails; its ``problems`` list holds one line per problem.

    Notes
    -----
    A validated atlas is cached on disk, keyed on a hash of the input files (and the settings
    and versions), so the next load of the same files skips validation; a changed file
    misses. ``CORRIDORMAP_NO_CACHE=1`` turns this off (see :mod:`corridormap.atlas._cache`).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> atlas.corridors["corridor_id"].iloc[0]
    'cku_railway'
    """
    return load_overlapped(geo_dir, data_dir)


def load_overlapped(
    geo_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    *,
    meanwhile: Callable[[], object] | None = None,
    prefetch: Sequence[Callable[[Atlas], object]] = (),
) -> Atlas:
    """:func:`load`, running ``meanwhile()`` while a cache miss validates on the other core.

    For the command line, whose commands have libraries to import that the atlas does not need
    (see :mod:`corridormap.atlas._overlap`); ``meanwhile`` is called once, hit or miss. On a miss
    the
    other core then computes the memoised functions ``prefetch`` of the atlas, which this
    process takes in when it first calls one of them.
    """
    geo, data = resolve_dirs(geo_dir, data_dir)
    return _cache.cached(
        _cache.key(geo, data),
        lambda: _build(geo, data),
        meanwhile=meanwhile,
        prefetch=prefetch,
    )


def load_as_found(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> tuple[Atlas, list[str]]:
    """Load an atlas that may break today's rules (an old release, to diff): problems as notes.

    Every file is read and checked as :func:`load` does; where a rule linking files fails (a
    source id since retired, say) the atlas is still built and the problems are returned.
    Only a layer or table that cannot be read at all is refused. Not cached.

    Returns
    -------
    tuple
        The atlas, and the problems today's rules find in it (one line each; empty when valid).

    Raises
    ------
    DataError
        If a layer or table cannot be read, or the atlas cannot be built from them.
    """
    from corridormap.errors import DataError
    from corridormap.validation import schema
    from corridormap.validation.runner import validate

    geo, data = resolve_dirs(geo_dir, data_dir)
    report = validate(geo, data)
    if not report.errors:
        return load(geo, data), []
    unread = [n for n in schema.LAYERS if n not in report.layers] + [
        n for n in schema.TABLES if n not in report.tables and n not in schema.OPTIONAL_TABLES
    ]
    if unread:
        raise DataError(report.errors)
    try:
        return _from_report(report, geo, data), list(report.errors)
    except (KeyError, ValueError, TypeError):
        raise DataError(report.errors) from None


def _build(geo: Path, data: Path) -> Atlas:
    """Validate the folders (raising every problem at once) and join them into an Atlas."""
    from corridormap.validation.runner import check

    report = check(geo, data)
    log.debug("validated %s and %s", geo, data)
    return _from_report(report, geo, data)


def _from_report(report: Any, geo: Path, data: Path) -> Atlas:
    """Join the layers and tables a validation read into an Atlas."""
    from corridormap.validation import schema

    layers, tables = report.layers, report.tables
    projects = tables["projects"]

    lines = pd.concat([layers[name] for name in schema.LINE_LAYERS], ignore_index=True)
    segments = lines[["segment_id", "geometry"]].merge(
        tables["segments"], on="segment_id", how="left", validate="one_to_one"
    )
    segments = segments.merge(
        projects[["corridor_id", "name", "mode"]].rename(columns={"name": "corridor_name"}),
        on="corridor_id",
        how="left",
    )
    segments = gpd.GeoDataFrame(segments, geometry="geometry", crs="EPSG:4326")
    segments["length_km"] = geodesic_length_km(segments.geometry)
    # Corridors in projects.csv order; segments in segments.csv order (route order).
    corridor_rank = {c: i for i, c in enumerate(projects["corridor_id"])}
    segment_rank = {s: i for i, s in enumerate(tables["segments"]["segment_id"])}
    segments["_c"] = segments["corridor_id"].map(corridor_rank)
    segments["_s"] = segments["segment_id"].map(segment_rank)
    segments = segments.sort_values(["_c", "_s"]).drop(columns=["_c", "_s"])
    segments = segments.reset_index(drop=True)

    claims = _length_claims(tables)
    return Atlas(
        segments=segments,
        corridors=_with_claims(_dissolve(segments, projects), claims),
        countries=layers["countries"].sort_values("iso3").reset_index(drop=True),
        places=layers["places"].sort_values("place_id").reset_index(drop=True),
        sources=tables["sources"],
        indicators=tables["indicators"],
        status_history=tables["status_history"],
        length_claims=claims,
        geo_dir=geo,
        data_dir=data,
        data_hash=data_hash(geo, data),
        tariffs=tariffs_from(tables),
        release=DataRelease(**report.release) if report.release else None,
        **_footprint(layers, tables),
        aliases=_aliases(tables),
    )


def _dissolve(segments: gpd.GeoDataFrame, projects: pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per corridor: merged segment lines joined to the projects table."""
    grouped = segments.groupby("corridor_id", sort=False)
    geometry = grouped["geometry"].agg(lambda s: shapely.line_merge(shapely.union_all(s.values)))
    stats = pd.DataFrame(
        {
            "length_km": grouped["length_km"].sum(),
            "segment_count": grouped.size(),
            "positional_accuracy_km": grouped["positional_accuracy_km"].max(),
        }
    )
    stats["approximate"] = is_sketch(stats["positional_accuracy_km"])
    merged = projects.merge(stats, left_on="corridor_id", right_index=True, how="left")
    merged["geometry"] = merged["corridor_id"].map(geometry)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326").reset_index(drop=True)


def _empty_footprint(name: str) -> pd.DataFrame:
    """An empty footprint table with its columns (a data folder without the footprint files)."""
    from corridormap.validation import schema

    columns = {c: pd.Series(dtype=object) for c in schema.FOOTPRINT_TABLES[name].columns}
    if name not in schema.FOOTPRINT_LAYERS:
        return pd.DataFrame(columns)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def _footprint(
    layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """The footprint tables, each table joined to its layer's geometry (ordered by id)."""
    out: dict[str, pd.DataFrame] = {}
    for name, key in (("finance", "project_id"), ("energy", "asset_id")):
        if name not in tables or name not in layers:
            continue
        geometry = layers[name].set_index(key).geometry
        frame = tables[name].copy()
        frame["geometry"] = frame[key].map(geometry)
        frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
        # plain object text columns: a query takes rows from them (Arrow-backed text takes
        # cost ~15 ms a call on these ~30 columns; object columns a fraction of it)
        text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
        frame = frame.astype(dict.fromkeys(text, object))
        out[name] = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    for name in ("finance_regions", "licences"):
        if name in tables:
            out[name] = tables[name].reset_index(drop=True)
    return out


def _empty_aliases() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ALIAS_COLUMNS})


def _aliases(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``aliases.csv`` as checked by validation (empty cells ``None``), or an empty frame."""
    frame = tables.get("aliases")
    if frame is None:
        return _empty_aliases()
    frame = frame.reindex(columns=list(ALIAS_COLUMNS)).astype(object)
    return frame.where(frame.notna(), None).reset_index(drop=True)


def _empty_claims() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in LENGTH_CLAIM_COLUMNS})
    return frame.astype({"length_km": float})


def _length_claims(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``length_claims.csv`` as checked by validation, or an empty frame when there is none."""
    frame = tables.get("length_claims")
    if frame is None:
        return _empty_claims()
    frame = frame.reindex(columns=list(LENGTH_CLAIM_COLUMNS)).copy()
    frame["length_km"] = pd.to_numeric(frame["length_km"], errors="coerce").astype(float)
    return frame.reset_index(drop=True)


def _with_claims(corridors: gpd.GeoDataFrame, claims: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add the spread of each corridor's published whole-corridor lengths.

    The figures are the whole-corridor rows of ``length_claims.csv`` plus the headline
    ``length_km_reported``; the count is of distinct sources behind them.
    """
    whole = claims[claims["segment_id"].isna() & claims["country_iso3"].isna()]
    whole = whole.dropna(subset=["length_km"])[["corridor_id", "length_km", "source_id"]]
    headline = corridors.dropna(subset=["length_km_reported"])
    headline = (
        pd.DataFrame(
            {
                "corridor_id": headline["corridor_id"],
                "length_km": headline["length_km_reported"].astype(float),
                "source_id": headline["length_source"].fillna(""),
            }
        )
        .assign(source_id=lambda f: f["source_id"].str.split(";"))
        .explode("source_id")
    )
    figures = pd.concat([whole, headline], ignore_index=True)
    grouped = figures.groupby("corridor_id")
    position = corridors.columns.get_loc("length_source") + 1
    counts = grouped["source_id"].agg(lambda s: s[s.astype(bool)].nunique())
    corridors.insert(
        position, "length_km_reported_min", corridors["corridor_id"].map(grouped["length_km"].min())
    )
    corridors.insert(
        position + 1,
        "length_km_reported_max",
        corridors["corridor_id"].map(grouped["length_km"].max()),
    )
    corridors.insert(
        position + 2,
        "length_reported_sources",
        corridors["corridor_id"].map(counts).fillna(0).astype(int),
    )
    return corridors


def reported_length_range(
    atlas: Atlas, corridor_id: str, *, country: str | None = None
) -> tuple[float, float] | None:
    """Return the smallest and largest published length of a corridor, or None if none is.

    Parameters
    ----------
    atlas
        The atlas.
    corridor_id
        The corridor.
    country
        ISO3 code: the figures published for that country's part of the corridor
        (``length_claims.csv`` rows with that ``country_iso3`` and no segment). ``None``: the
        whole-corridor figures, ``length_km_reported`` of ``projects.csv`` included.

    Returns
    -------
    tuple of float or None
        ``(min_km, max_km)``, equal when one figure is published; None when none is.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> reported_length_range(atlas, "cku_railway")
    (454.0, 532.53)
    >>> reported_length_range(atlas, "cku_railway", country="KGZ")
    (260.0, 311.0)
    """
    if country is None:
        row = atlas.corridors.loc[atlas.corridors["corridor_id"] == corridor_id]
        if row.empty or "length_km_reported_min" not in row:
            return None
        low, high = row["length_km_reported_min"].iloc[0], row["length_km_reported_max"].iloc[0]
        return None if pd.isna(low) else (float(low), float(high))
    claims = atlas.length_claims
    values = claims.loc[
        (claims["corridor_id"] == corridor_id)
        & claims["segment_id"].isna()
        & (claims["country_iso3"] == country),
        "length_km",
    ].dropna()
    return None if values.empty else (float(values.min()), float(values.max()))


def country_codes(atlas: Atlas, country: Many) -> list[str]:
    """ISO3 codes for codes or English names (``"kgz"``, ``"Kyrgyzstan"``), checked.

    Raises
    ------
    SelectionError
        For a value that is neither, naming the countries it could be.
    """
    codes = list(atlas.countries["iso3"])
    names = {n.casefold(): c for n, c in zip(atlas.countries["name"], codes, strict=True)}
    out = []
    for value in as_list(country):
        text = str(value).strip()
        if text.upper() in codes:
            out.append(text.upper())
        elif text.casefold() in names:
            out.append(names[text.casefold()])
        else:
            labels = {f"{n} ({c})": c for n, c in zip(atlas.countries["name"], codes, strict=True)}
            starts = [k for k in labels if k.casefold().startswith(text.casefold()[:3])]
            close = difflib.get_close_matches(text.upper(), codes, n=3)
            close = [k for k in labels if labels[k] in close]
            hint = list(dict.fromkeys(starts + close))[:4]
            raise SelectionError(
                f"unknown country {value!r}; give an ISO3 code or an English name"
                + (f"; did you mean {', '.join(hint)}?" if hint else "")
            )
    return out


def place_uses(atlas: Atlas, places: pd.DataFrame | None = None) -> pd.Series:
    """How many of the atlas's corridors each place serves (its ``corridor_ids``), by row.

    ``places`` defaults to ``atlas.places``; a place with no ``corridor_ids`` serves none.
    Every renderer and export asks this to know which places a selection uses.
    """
    places = atlas.places if places is None else places
    ids = set(atlas.corridors["corridor_id"])
    cells = places["corridor_ids"].fillna("").str.split(";")
    return cells.map(lambda values: len(ids & set(values))).astype(int)
