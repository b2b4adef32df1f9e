"""China's footprint beside the corridors: AidData's Chinese finance and GEM's energy assets.

``atlas.finance`` holds one row per AidData project in the five states (GCDF 2.0 and 3.0),
``atlas.finance_regions`` GCDF 3.0's split of each commitment over regions, ``atlas.energy``
Global Energy Monitor's pipelines, LNG terminal, hydropower plants and oil- and gas-fired units.
Amounts are in constant US dollars of the year in ``usd_year`` (2017 for GCDF 2.0, 2021 for
GCDF 3.0); no function here adds amounts of different years: every sum is per ``usd_year``.

Distances are geodesic (WGS84): the nearest points of the corridor line and the feature are
found on a local equirectangular scale, and the distance between them is measured on the
ellipsoid.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from corridormap._util import check_km, check_known
from corridormap.atlas.core import Atlas
from corridormap.errors import SelectionError
from corridormap.vocabulary import FIVE_STATES

BY = ("sector", "lender", "year", "region", "country", "status")


@cache
def _geod() -> Geod:
    return Geod(ellps="WGS84")


def _corridor_line(atlas: Atlas, corridor: str) -> shapely.Geometry:
    ids = atlas.corridors["corridor_id"].tolist()
    check_known("corridor id", [corridor], ids)
    return atlas.corridors.geometry.iloc[ids.index(corridor)]


def distances_km(line: shapely.Geometry, geoms: np.ndarray) -> np.ndarray:
    """Geodesic km from ``line`` to each geometry of an array (0 where they touch).

    The nearest pair of points is found with longitudes scaled by the cosine of the line's mean
    latitude (good to a fraction of a percent within the region); the distance between that
    pair is geodesic on WGS84.
    """
    out = np.zeros(len(geoms))
    if len(geoms) == 0:
        return out
    # Geometries touching the line are at 0 km: the nearest pair is sought only for the others
    # (the costly step, and many projects along a corridor touch it).
    apart = np.flatnonzero(~shapely.intersects(line, geoms))
    if len(apart) == 0:
        return out
    lat0 = float(np.mean(shapely.get_coordinates(line)[:, 1]))
    k = float(np.cos(np.radians(lat0)))
    factor = np.array([k, 1.0])
    scaled = shapely.transform(np.asarray(geoms, dtype=object)[apart], lambda xy: xy * factor)
    nearest = shapely.shortest_line(shapely.transform(line, lambda xy: xy * factor), scaled)
    ends = shapely.get_coordinates(nearest).reshape(-1, 2, 2)
    lon1, lat1 = ends[:, 0, 0] / k, ends[:, 0, 1]
    lon2, lat2 = ends[:, 1, 0] / k, ends[:, 1, 1]
    _, _, metres = _geod().inv(lon1, lat1, lon2, lat2)
    km = np.asarray(metres, dtype=float) / 1000.0
    out[apart] = np.where(km < 1e-6, 0.0, km)
    return out


#: Outlines and the corridor's line simplified by this much (degrees) screen the rows;
#: COARSE_KM bounds the error (each simplification moves a shape by at most COARSE_DEG,
#: at most 0.56 km here, so the screened distance is off by at most 1.12 km).
COARSE_DEG = 0.005
COARSE_KM = 1.5
_COARSE: dict[int, tuple[object, np.ndarray, np.ndarray]] = {}


def _geometries(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The frame's geometries and their simplified copies (kept per frame while it lives)."""
    held = _COARSE.get(id(frame))
    if held is not None and held[0] is frame.geometry.array:
        return held[1], held[2]
    geoms = np.asarray(frame.geometry.array, dtype=object)
    coarse = shapely.simplify(geoms, COARSE_DEG, preserve_topology=True)
    # A collapsed or reshaped outline (a thin polygon can lose a whole arm: 40327 moved 12 km)
    # would break the bound: such rows are screened on their full geometry.
    off = shapely.is_empty(coarse) | ~(
        shapely.hausdorff_distance(geoms, coarse) <= COARSE_DEG * (1 + 1e-9)
    )
    coarse = np.where(off, geoms, coarse)
    if len(_COARSE) > 8:
        _COARSE.clear()
    _COARSE[id(frame)] = (frame.geometry.array, geoms, coarse)
    return geoms, coarse


#: Per frame and line: every row's screened distance, and the exact ones measured so far
#: (NaN until asked for). Distances do not depend on ``km``: a later call, at any ``km``, measures
#: only the rows no call has measured yet.
_DISTANCES: dict[tuple[int, bytes], tuple[object, np.ndarray, np.ndarray]] = {}


def _distances(frame: gpd.GeoDataFrame, line: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """The screened distance of every row to ``line``, and the (partly filled) exact ones."""
    name = (id(frame), shapely.to_wkb(line))
    held = _DISTANCES.get(name)
    if held is not None and held[0] is frame.geometry.array:
        return held[1], held[2]
    _, coarse = _geometries(frame)
    rough = distances_km(shapely.simplify(line, COARSE_DEG), coarse)
    exact = np.full(len(rough), np.nan)
    if len(_DISTANCES) > 64:
        _DISTANCES.clear()
    _DISTANCES[name] = (frame.geometry.array, rough, exact)
    return rough, exact


def _nearest_first(
    frame: gpd.GeoDataFrame,
    line: shapely.Geometry,
    km: float,
    key: str,
    keep: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Rows of ``frame`` within ``km`` of ``line`` with ``distance_km``, nearest first.

    Every row is screened on outlines and a line simplified by COARSE_DEG; only rows that may be
    within ``km`` are measured on their full geometry (the answer is the exact one). Works on the
    geometry array and takes the rows once (a wide frame's take is the cost).
    """
    geoms, _ = _geometries(frame)
    rough, exact = _distances(frame, line)
    near = rough <= km + COARSE_KM
    candidates = np.flatnonzero(near if keep is None else near & keep)
    todo = candidates[np.isnan(exact[candidates])]
    if len(todo):
        exact[todo] = distances_km(line, geoms[todo])
    found = exact[candidates]
    inside = found <= km
    rows, found = candidates[inside], found[inside]
    keys = frame[key].to_numpy()[rows]
    order = np.lexsort((keys, found))
    out = frame.iloc[rows[order]]
    out["distance_km"] = found[order]
    return out.reset_index(drop=True)


def finance_summary(projects: pd.DataFrame, *, by: str = "sector") -> pd.DataFrame:
    """Sum finance rows by one field, per dollar year, counting only rows fit to add up.

    Parameters
    ----------
    projects
        Rows of ``atlas.finance`` (or of :func:`finance_near`).
    by
        ``sector``, ``lender`` (the lenders of a row, as AidData lists them together: a
        syndicated loan is one group, never split by a guessed share), ``year`` (commitment year),
        ``country`` or ``status``.

    Returns
    -------
    pandas.DataFrame
        One row per value and ``usd_year``: ``projects`` (rows), ``amount_usd`` (sum of the rows
        AidData recommends for aggregates, or that carry no flag: the GCDF 3.0-only ids) and
        ``excluded`` (rows counted but left out of the sum: umbrella duplicates). Rows with no
        amount have no dollar year and are not in the table (87 of the 362 projects today;
        ``projects["amount_usd"].isna().sum()`` counts them). Amounts of 2017 and 2021 dollars
        are never added together.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> kgz = atlas.finance[atlas.finance["countries"] == "KGZ"]
    >>> table = cm.finance_summary(kgz, by="status")
    >>> sorted(table["usd_year"].unique().tolist())
    [2017, 2021]
    """
    if by not in BY or by == "region":
        raise SelectionError(
            f"by must be one of sector, lender, year, country, status; got {by!r} "
            "(regions: use finance_by_region)"
        )
    column = {"lender": "lenders", "year": "commitment_year", "country": "countries"}.get(by, by)
    frame = pd.DataFrame(projects).copy()
    frame[by] = frame[column].astype(object).where(frame[column].notna(), "(not known)")
    if by == "lender":
        frame[by] = frame[by].map(lambda s: str(s).replace(";", " + "))
    if by == "year":
        frame[by] = frame[by].map(lambda y: y if y == "(not known)" else str(int(y)))
    fit = frame["amount_usd"].notna() & (frame["recommended_for_aggregates"] != "no")
    frame["_sum"] = frame["amount_usd"].where(fit, 0.0)
    frame["_excluded"] = ~fit
    frame = frame[frame["usd_year"].notna()]
    out = (
        frame.groupby([by, "usd_year"], sort=True)
        .agg(
            projects=("project_id", "size"),
            amount_usd=("_sum", "sum"),
            excluded=("_excluded", "sum"),
        )
        .reset_index()
    )
    out["usd_year"] = out["usd_year"].astype(int)
    out = out.sort_values(["usd_year", "amount_usd", by], ascending=[True, False, True])
    return out.reset_index(drop=True)


class FinanceNear(gpd.GeoDataFrame):
    """:func:`finance_near`'s answer: the projects (a GeoDataFrame) plus their sums.

    ``by_sector`` and ``by_lender`` are :func:`finance_summary` tables of the rows.
    """

    _metadata = ["corridor", "km"]

    @property
    def _constructor(self):  # noqa: D401 - pandas protocol
        return FinanceNear

    @property
    def by_sector(self) -> pd.DataFrame:
        """Sums by sector, per dollar year."""
        return finance_summary(self, by="sector")

    @property
    def by_lender(self) -> pd.DataFrame:
        """Sums by lender group, per dollar year."""
        return finance_summary(self, by="lender")


def finance_near(atlas: Atlas, corridor: str, *, km: float, regions: bool = False) -> FinanceNear:
    """AidData projects within ``km`` of a corridor, nearest first.

    Parameters
    ----------
    atlas
        The atlas.
    corridor
        A corridor id.
    km
        Distance in kilometres (geodesic, from the corridor's drawn line to the project's
        traced footprint).
    regions
        Also list the projects GCDF 3.0 locates only by region (``precision`` ``region``),
        measured to the nearest centroid of their regions: a centroid near the line does not
        put the project near it, so they are left out unless asked for.

    Returns
    -------
    FinanceNear
        The rows of ``atlas.finance`` with ``distance_km``, nearest first; ``.by_sector`` and
        ``.by_lender`` sum them per dollar year (see :func:`finance_summary`).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> near = cm.finance_near(atlas, "cku_highway", km=20)
    >>> osh = near[near["title"].str.contains("Osh-Sarytash-Irkeshtam", na=False)]
    >>> osh["project_id"].tolist()
    [40359, 46364, 73074]
    """
    line = _corridor_line(atlas, corridor)
    km = check_km(km)
    finance = atlas.finance
    keep = None if regions else finance["precision"].to_numpy() != "region"
    result = FinanceNear(_nearest_first(finance, line, km, "project_id", keep), copy=False)
    result.corridor, result.km = corridor, km
    return result


def energy_near(atlas: Atlas, corridor: str, *, km: float) -> gpd.GeoDataFrame:
    """Global Energy Monitor assets within ``km`` of a corridor, nearest first.

    Parameters
    ----------
    atlas
        The atlas.
    corridor
        A corridor id.
    km
        Distance in kilometres (geodesic, line to asset).

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of ``atlas.energy`` with ``distance_km``. GEM's own lines of the corridor (its
        ``corridor_id``) are left out: they are the corridor.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> plants = cm.energy_near(atlas, "cn_tj_highway", km=30)
    >>> "Nurek hydroelectric plant" in set(plants["name"])
    True
    """
    line = _corridor_line(atlas, corridor)
    km = check_km(km)
    energy = atlas.energy
    keep = energy["corridor_id"].fillna("").to_numpy() != corridor
    return _nearest_first(energy, line, km, "asset_id", keep)


def finance_by_region(
    atlas: Atlas, *, country: str | None = None, level: str = "adm1"
) -> pd.DataFrame:
    """GCDF 3.0's commitments by region and commitment year (constant 2021 USD).

    Parameters
    ----------
    atlas
        The atlas.
    country
        ISO3 code of one of the five states (or None for all five).
    level
        ``adm1`` (regions, oblasts) or ``adm2`` (districts).

    Returns
    -------
    pandas.DataFrame
        ``iso3``, ``region``, ``shape_id``, ``commitment_year`` (empty where the project's year is
        not yet read), ``projects``, ``amount_usd`` (AidData's intersection-ratio split, summed:
        AidData's own regional figures), ``amount_usd_recommended`` (the same without GCDF 2.0's
        umbrella rows, which would count twice), ``usd_year`` (2021), ``centroid_lon``,
        ``centroid_lat``; largest first.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> kgz = cm.finance_by_region(atlas, country="KGZ")
    >>> regions = atlas.finance_regions
    >>> split = regions[(regions["iso3"] == "KGZ") & (regions["adm_level"] == "adm1")]
    >>> round(kgz["amount_usd"].sum()) == round(split["amount_usd"].sum())
    True
    """
    if level not in ("adm1", "adm2"):
        raise SelectionError(f"level must be adm1 or adm2; got {level!r}")
    regions = atlas.finance_regions
    rows = regions[(regions["adm_level"] == level) & regions["iso3"].isin(FIVE_STATES)]
    if country is not None:
        iso = str(country).upper()
        if iso not in FIVE_STATES:
            raise SelectionError(
                f"country must be one of {', '.join(FIVE_STATES)} (the five states AidData's "
                f"tables here cover); got {country!r}"
            )
        rows = rows[rows["iso3"] == iso]
    meta = atlas.finance[["project_id", "commitment_year", "recommended_for_aggregates"]]
    rows = rows.merge(pd.DataFrame(meta), on="project_id", how="left")
    rows["_rec"] = rows["amount_usd"].where(rows["recommended_for_aggregates"] != "no", 0.0)
    keys = ["iso3", "region", "shape_id", "commitment_year"]
    out = (
        rows.groupby(keys, dropna=False, sort=False)
        .agg(
            projects=("project_id", "nunique"),
            amount_usd=("amount_usd", "sum"),
            amount_usd_recommended=("_rec", "sum"),
            centroid_lon=("centroid_lon", "first"),
            centroid_lat=("centroid_lat", "first"),
        )
        .reset_index()
    )
    out.insert(out.columns.get_loc("amount_usd_recommended") + 1, "usd_year", 2021)
    out = out.sort_values(
        ["amount_usd", "iso3", "region", "commitment_year"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)
