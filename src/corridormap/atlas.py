"""The Atlas: corridor segments joined to their metadata, with countries, places and sources."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import schema, settings
from .io import data_hash, resolve_dirs
from .measure import geodesic_length_km
from .validate import check

#: Display order of modes (map layers, tables, legends).
MODE_ORDER = {mode: rank for rank, mode in enumerate(schema.MODES)}


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
        ``positional_accuracy_km`` (the worst segment) and ``approximate`` (True where any segment
        is a sketch coarser than ``settings.line_data_accuracy_km``).
    countries, places
        The basemap polygons and the point layer.
    sources, indicators, status_history
        The tables of ``data/``.
    data_hash
        SHA-256 of the input files, to tell which data made an output.
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

    def __len__(self) -> int:
        return len(self.corridors)

    def __repr__(self) -> str:
        modes = self.corridors["mode"].value_counts().to_dict() if len(self) else {}
        return f"<Atlas: {len(self)} corridors, {len(self.segments)} segments, modes={modes}>"

    def provenance(self) -> dict[str, str]:
        """What made an output: the generator, the package version and the input data's hash.

        Written into every map's manifest and every briefing pack's lock file.
        """
        from ._version import __version__

        return {"generator": "corridormap", "version": __version__, "data_hash": self.data_hash}

    def subset(self, corridor_ids: list[str] | set[str]) -> Atlas:
        """Return an Atlas holding only the given corridors (in their original order)."""
        keep = set(corridor_ids)
        return replace(
            self,
            segments=self.segments[self.segments["corridor_id"].isin(keep)].copy(),
            corridors=self.corridors[self.corridors["corridor_id"].isin(keep)].copy(),
        )


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
    """
    geo, data = resolve_dirs(geo_dir, data_dir)
    report = check(geo, data)
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

    return Atlas(
        segments=segments,
        corridors=_dissolve(segments, projects),
        countries=layers["countries"].sort_values("iso3").reset_index(drop=True),
        places=layers["places"].sort_values("place_id").reset_index(drop=True),
        sources=tables["sources"],
        indicators=tables["indicators"],
        status_history=tables["status_history"],
        geo_dir=geo,
        data_dir=data,
        data_hash=data_hash(geo, data),
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
    stats["approximate"] = stats["positional_accuracy_km"] > settings.line_data_accuracy_km
    merged = projects.merge(stats, left_on="corridor_id", right_index=True, how="left")
    merged["geometry"] = merged["corridor_id"].map(geometry)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326").reset_index(drop=True)
