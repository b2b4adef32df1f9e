"""What changed between two atlases: statuses, segments added, removed or moved, and figures.

Two atlases are, for example, two releases of the data or two git worktrees. Segments are matched
by ``segment_id``, corridors by ``corridor_id``; indicator rows by indicator, scope and year.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from corridormap.atlas.core import Atlas

#: Free text that is not a figure: a changed note or description is not reported.
TEXT_COLUMNS = ("description", "note", "geometry_note")
#: The source column that backs each column of projects.csv and segments.csv.
PROJECT_SOURCES = {
    "name": None,
    "mode": None,
    "countries": None,
    "length_km_reported": "length_source",
    "capacity_value": "capacity_source",
    "capacity_unit": "capacity_source",
    "cost_usd_m": "cost_source",
    "financing": "financing_source",
    "operator": "operator_source",
    "construction_start": "dates_source",
    "opened": "dates_source",
}
SEGMENT_SOURCES = {
    "name": None,
    "corridor_id": None,
    "from_place": None,
    "to_place": None,
    "opened": "sources",
    "gauge_mm": "sources",
    "length_km_reported": "length_source",
    "positional_accuracy_km": "geometry_source",
    "geometry_licence": "geometry_source",
}
#: Indicators compare ``figure`` (value and unit, e.g. ``200 USD_m/yr``) and ``kind``.
INDICATOR_SOURCES = {"figure": "source_id", "kind": "source_id"}
#: Densify lines to this fraction of each edge before the Hausdorff distance (accuracy ~ edge/4).
HAUSDORFF_DENSIFY = 0.25
SEGMENT_COLUMNS = ["segment_id", "corridor_id", "name", "status", "length_km", "geometry"]
SUMMARY_COLUMNS = [
    "change", "table", "id", "field", "old", "new", "old_source", "new_source",
    "moved_km", "length_change_km",
]  # fmt: skip


@dataclass(frozen=True)
class AtlasDiff:
    """The changes from an old atlas to a new one.

    Attributes
    ----------
    status
        One row per corridor or segment whose status changed: ``kind`` (corridor or segment),
        ``id``, ``old_status``, ``new_status``, ``old_source``, ``new_source``.
    added, removed
        Segments only in the new (added) or only in the old atlas (removed), with their geometry.
    moved
        Segments in both whose line changed: ``moved_km`` (Hausdorff distance between the old
        and the new line, in an azimuthal equidistant projection centred on them),
        ``old_length_km``, ``new_length_km``, ``length_change_km`` (geodesic), the old and new
        ``geometry_source``; ``geometry`` is the new line, ``old_geometry`` the old one.
    figures
        One row per changed value of projects.csv, segments.csv or indicators.csv: ``table``,
        ``id``, ``field``, ``old``, ``new``, ``old_source``, ``new_source`` (the source ids
        backing the value; a changed source with the same value is a row too).
    """

    status: pd.DataFrame
    added: gpd.GeoDataFrame
    removed: gpd.GeoDataFrame
    moved: gpd.GeoDataFrame
    figures: pd.DataFrame

    def __len__(self) -> int:
        return sum(
            len(f) for f in (self.status, self.added, self.removed, self.moved, self.figures)
        )

    @property
    def changed_segment_ids(self) -> list[str]:
        """Segments of the new atlas that were added, moved or changed status."""
        status = self.status.loc[self.status["kind"] == "segment", "id"]
        ids = [*self.added["segment_id"], *self.moved["segment_id"], *status]
        return list(dict.fromkeys(ids))

    def summary(self) -> pd.DataFrame:
        """All changes in one table (``SUMMARY_COLUMNS``), one row per change.

        ``old`` and ``new`` are text: a status, a figure, an added or removed segment's name,
        status and length, or (for a moved segment) its length in km; ``moved_km`` and
        ``length_change_km`` are filled for moved segments only.
        """
        parts = [
            self.status.assign(change="status", table=self.status["kind"].map(_TABLE_OF))
            .rename(columns={"old_status": "old", "new_status": "new"})
            .assign(field="status"),
            _segment_rows(self.added, "added", "new"),
            _segment_rows(self.removed, "removed", "old"),
            self.moved.assign(
                change="moved",
                table="segments",
                id=self.moved["segment_id"],
                field="length_km",
                old=self.moved["old_length_km"].round(1),
                new=self.moved["new_length_km"].round(1),
                moved_km=self.moved["moved_km"].round(2),
                length_change_km=self.moved["length_change_km"].round(2),
            ),
            self.figures.assign(change="figure"),
        ]
        frames = [pd.DataFrame(p).reindex(columns=SUMMARY_COLUMNS) for p in parts if len(p)]
        if not frames:
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        out = pd.concat(frames, ignore_index=True)
        for column in ("old", "new"):
            out[column] = [_show(v) for v in out[column]]
        return out

    def to_markdown(self, *, title: str = "What changed") -> str:
        """The changes as Markdown sections for a briefing (``|`` in cells escaped)."""
        lines = [f"# {_md(title)}", ""]
        if not len(self):
            return "\n".join([*lines, "No changes.", ""])
        sections = [
            ("Status changes", self.status, ["kind", "id", "old_status", "new_status",
                                             "old_source", "new_source"]),
            ("Segments added", self.added, ["segment_id", "name", "status", "length_km"]),
            ("Segments removed", self.removed, ["segment_id", "name", "status", "length_km"]),
            ("Segments moved", self.moved, ["segment_id", "moved_km", "old_length_km",
                                            "new_length_km", "length_change_km",
                                            "old_source", "new_source"]),
            ("Figures changed", self.figures, ["table", "id", "field", "old", "new",
                                               "old_source", "new_source"]),
        ]  # fmt: skip
        for heading, frame, columns in sections:
            if len(frame):
                lines += [f"## {heading} ({len(frame)})", "", _md_table(frame[columns]), ""]
        return "\n".join(lines)


_TABLE_OF = {"corridor": "projects", "segment": "segments"}


def diff_atlases(old: Atlas, new: Atlas) -> AtlasDiff:
    """Compare two atlases: statuses, segments added, removed and moved, and changed figures.

    Parameters
    ----------
    old, new
        Atlases from :func:`corridormap.load`, e.g. of two releases or two git worktrees.

    Returns
    -------
    AtlasDiff
        DataFrames of the changes; empty frames where nothing changed.

    Examples
    --------
    What changed from 2020 to 2026 (each atlas as of that year):

    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> changes = cm.diff_atlases(cm.select(atlas, as_of=2020), cm.select(atlas, as_of=2026))
    >>> changes.status.loc[changes.status["kind"] == "corridor", ["id", "old_status", "new_status"]]
           id          old_status new_status
    0  cagp_d  under_construction  suspended
    >>> changes.added["segment_id"].str.split("__").str[0].value_counts()
    segment_id
    cku_railway           4
    kz_cn_rail_tacheng    2
    Name: count, dtype: int64
    >>> len(cm.diff_atlases(atlas, atlas))
    0
    """
    old_ids, new_ids = set(old.segments["segment_id"]), set(new.segments["segment_id"])
    added = new.segments[~new.segments["segment_id"].isin(old_ids)][SEGMENT_COLUMNS]
    removed = old.segments[~old.segments["segment_id"].isin(new_ids)][SEGMENT_COLUMNS]
    return AtlasDiff(
        status=_status_changes(old, new),
        added=gpd.GeoDataFrame(added.reset_index(drop=True), crs="EPSG:4326"),
        removed=gpd.GeoDataFrame(removed.reset_index(drop=True), crs="EPSG:4326"),
        moved=_moved(old.segments, new.segments),
        figures=_figures(old, new),
    )


def _status_changes(old: Atlas, new: Atlas) -> pd.DataFrame:
    parts = []
    for kind, key, source, a, b in (
        ("corridor", "corridor_id", "status_source", old.corridors, new.corridors),
        ("segment", "segment_id", "sources", old.segments, new.segments),
    ):
        both = a[[key, "status", source]].merge(
            b[[key, "status", source]], on=key, suffixes=("_old", "_new")
        )
        both = both[both["status_old"] != both["status_new"]]
        parts.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "id": both[key],
                    "old_status": both["status_old"],
                    "new_status": both["status_new"],
                    "old_source": [_show(v) for v in both[f"{source}_old"]],
                    "new_source": [_show(v) for v in both[f"{source}_new"]],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _moved(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    both = new[["segment_id", "corridor_id", "name", "geometry", "length_km", "geometry_source"]]
    both = both.merge(
        old[["segment_id", "geometry", "length_km", "geometry_source"]].rename(
            columns={
                "geometry": "old_geometry",
                "length_km": "old_length_km",
                "geometry_source": "old_source",
            }
        ),
        on="segment_id",
    )
    same = shapely.equals_exact(both["geometry"].values, both["old_geometry"].values, tolerance=0)
    both = both[~np.asarray(same, dtype=bool)].reset_index(drop=True)
    moved_km = [
        _hausdorff_km(a, b) for a, b in zip(both["old_geometry"], both["geometry"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "segment_id": both["segment_id"],
            "corridor_id": both["corridor_id"],
            "name": both["name"],
            "moved_km": moved_km,
            "old_length_km": both["old_length_km"],
            "new_length_km": both["length_km"],
            "length_change_km": both["length_km"] - both["old_length_km"],
            "old_source": both["old_source"],
            "new_source": both["geometry_source"],
            "geometry": both["geometry"],
        }
    )
    moved = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    moved["old_geometry"] = gpd.GeoSeries(both["old_geometry"], crs="EPSG:4326")
    return moved


def _hausdorff_km(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """Hausdorff distance between two lon/lat geometries, km, equidistant about their centre."""
    west, south, east, north = shapely.union(a, b).bounds
    crs = CRS.from_proj4(
        f"+proj=aeqd +lat_0={(south + north) / 2} +lon_0={(west + east) / 2} +datum=WGS84 +units=m"
    )
    pa, pb = gpd.GeoSeries([a, b], crs="EPSG:4326").to_crs(crs)
    return float(shapely.hausdorff_distance(pa, pb, densify=HAUSDORFF_DENSIFY)) / 1000.0


def _figures(old: Atlas, new: Atlas) -> pd.DataFrame:
    rows: list[dict] = []
    rows += _compare("projects", "corridor_id", old.corridors, new.corridors, PROJECT_SOURCES)
    rows += _compare("segments", "segment_id", old.segments, new.segments, SEGMENT_SOURCES)
    rows += _compare(
        "indicators", "_key", _keyed(old.indicators), _keyed(new.indicators), INDICATOR_SOURCES,
        both_only=False,
    )  # fmt: skip
    columns = ["table", "id", "field", "old", "new", "old_source", "new_source"]
    return pd.DataFrame(rows, columns=columns)


def _keyed(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicator rows with a key: indicator [scope, year], numbered when it repeats."""
    year = indicators["year"].fillna("").astype(str)
    base = [
        f"{i} [{s}{', ' + y if y else ''}]"
        for i, s, y in zip(indicators["indicator"], indicators["scope"], year, strict=True)
    ]
    figure = [
        f"{_show(v)} {u}" for v, u in zip(indicators["value"], indicators["unit"], strict=True)
    ]
    frame = indicators.assign(_key=base, figure=figure)
    n = frame.groupby("_key").cumcount()
    frame["_key"] = [
        k if i == 0 else f"{k} #{i + 1}" for k, i in zip(frame["_key"], n, strict=True)
    ]
    return frame


def _compare(
    table: str,
    key: str,
    old: pd.DataFrame,
    new: pd.DataFrame,
    sources: Mapping[str, str | None],
    *,
    both_only: bool = True,
) -> list[dict]:
    """One row per changed value (or changed source) of the rows matched by ``key``."""
    columns = [c for c in sources if c in old.columns]  # the first is a row's headline figure
    cols = list(dict.fromkeys([key, *columns, *(s for s in sources.values() if s)]))
    merged = old[cols].merge(
        new[cols], on=key, how="inner" if both_only else "outer", suffixes=("_o", "_n"),
        indicator=True,
    )  # fmt: skip
    rows = []
    for record in merged.to_dict("records"):
        both = record["_merge"] == "both"
        for column in columns if both else columns[:1]:  # a row added or removed: its figure
            source = sources[column]
            o, n = _show(record[f"{column}_o"]), _show(record[f"{column}_n"])
            so = _show(record[f"{source}_o"]) if source else ""
            sn = _show(record[f"{source}_n"]) if source else ""
            if o != n or (so != sn and both and o != ""):
                rows.append(
                    {"table": table, "id": record[key], "field": column, "old": o, "new": n,
                     "old_source": so, "new_source": sn}
                )  # fmt: skip
    return rows


def _segment_rows(frame: gpd.GeoDataFrame, change: str, side: str) -> pd.DataFrame:
    if not len(frame):
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "change": change,
            "table": "segments",
            "id": frame["segment_id"],
            "field": "segment",
            side: [f"{n} ({s}, {km:,.1f} km)" for n, s, km in
                   zip(frame["name"], frame["status"], frame["length_km"], strict=True)],
        }
    )  # fmt: skip


def _show(value: object) -> str:
    """A cell as text: empty for missing, whole numbers without ``.0``, floats round-tripped."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def _md(text: object) -> str:
    """Text for a Markdown table cell: HTML-escaped, pipes and backslashes escaped, one line."""
    text = html.escape(str(text), quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float | np.floating):
            return "" if np.isnan(value) else f"{value:,.1f}"
        return _md(_show(value))

    head = "| " + " | ".join(_md(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])
