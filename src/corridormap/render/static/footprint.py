"""China's footprint on the static figure: AidData finance and GEM energy under the corridors.

Drawn after water and before the corridors (so the corridors stay on top):

- finance: traced projects as thin outlines in their sector group's colour; GCDF 3.0's
  commitments by region as proportional circles at the ADM1 centroids (area ~ constant 2021 USD),
  one per region, coloured by the region's largest sector group;
- energy: GEM's pipelines (not the Central Asia–China lines, which are corridors) as thin grey-
  green lines, plants as circles sized by MW (oil/gas units summed per plant).
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from corridormap.atlas.core import Atlas
from corridormap.render.footprint_style import sector_group
from corridormap.render.static.basemap import MapView
from corridormap.vocabulary import FIVE_STATES

PIPELINE_COLOUR = "#5b7b6b"
#: Each pipeline kind's colour (the interactive map's, ``KIND_STYLE``).
PIPELINE_COLOURS = {"gas_pipeline": PIPELINE_COLOUR, "oil_pipeline": "#8c5a7a"}
PLANT_COLOURS = {
    "hydropower": "#1F78B4",
    "oil_gas_power_unit": "#6E5A46",
    "lng_terminal": "#117733",
}
#: The largest region circle's radius, points; others scale by the square root of the amount.
MAX_CIRCLE_PT = 16.0
MAX_PLANT_PT = 9.0


def _lines(geometry) -> list[np.ndarray]:
    out = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            out.append(np.asarray(part.exterior.coords))
        elif part.geom_type == "LineString":
            out.append(np.asarray(part.coords))
    return out


def _project(view: MapView, coords: np.ndarray) -> np.ndarray:
    x, y = view.forward.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def draw_finance(ax: Axes, atlas: Atlas, view: MapView) -> None:
    """Outlines and region circles of ``atlas.finance``."""
    finance = atlas.finance
    if finance is None or not len(finance):
        return None
    box = view.view_ll
    traced = finance[(finance["precision"] != "region") & finance.intersects(box)]
    for sector, group in traced.groupby(traced["sector"].fillna(""), sort=True):
        colour = sector_group(sector or None)[1]
        lines = [
            _project(view, c) for g in group.geometry
            for c in _lines(shapely.simplify(g, 0.003))
        ]  # fmt: skip
        ax.add_collection(LineCollection(lines, colors=colour, linewidths=1.1, alpha=0.9,
                                         zorder=4.6))  # fmt: skip
    regions = atlas.finance_regions
    adm1 = regions[(regions["adm_level"] == "adm1") & regions["iso3"].isin(FIVE_STATES)]
    adm1 = adm1[adm1["amount_usd"].notna()].merge(
        finance[["project_id", "sector"]], on="project_id", how="left"
    )
    if not adm1.empty:
        adm1 = adm1.assign(group=adm1["sector"].map(lambda s: sector_group(s)[0]))
        by = adm1.groupby(["shape_id", "group"])["amount_usd"].sum().reset_index()
        top = by.sort_values("amount_usd", ascending=False).drop_duplicates("shape_id")
        totals = adm1.groupby("shape_id").agg(
            amount=("amount_usd", "sum"), lon=("centroid_lon", "first"),
            lat=("centroid_lat", "first"),
        )  # fmt: skip
        totals = totals.join(top.set_index("shape_id")["group"])
        colours = {g: c for g, c in (sector_group(s) for s in finance["sector"])}
        colours.update({sector_group(None)[0]: sector_group(None)[1]})
        xy = _project(view, totals[["lon", "lat"]].to_numpy())
        size = (np.sqrt(totals["amount"] / totals["amount"].max()) * MAX_CIRCLE_PT) ** 2
        inside = shapely.contains_xy(view.view_xy, xy[:, 0], xy[:, 1])
        order = np.argsort(-size.to_numpy())
        order = order[inside[order]]
        ax.scatter(
            xy[order, 0], xy[order, 1], s=size.to_numpy()[order],
            c=[colours.get(g, "#999999") for g in totals["group"].to_numpy()[order]],
            alpha=0.55, edgecolors="white", linewidths=0.6, zorder=4.7,
        )  # fmt: skip
    return None


def draw_energy(ax: Axes, atlas: Atlas, view: MapView) -> None:
    """GEM pipelines (thin) and plants (sized by MW)."""
    energy = atlas.energy
    if energy is None or not len(energy):
        return None
    energy = energy[energy["corridor_id"].isna() & energy.intersects(view.view_ll)]
    is_line = energy.geom_type.isin(["LineString", "MultiLineString"]).to_numpy()
    pipes = energy[is_line]
    lines, colours = [], []
    for kind, geom in zip(pipes["kind"], pipes.geometry, strict=True):
        for coords in _lines(geom):
            lines.append(_project(view, coords))
            colours.append(PIPELINE_COLOURS.get(kind, PIPELINE_COLOUR))
    if lines:
        ax.add_collection(LineCollection(lines, colors=colours, linewidths=0.6,
                                         alpha=0.8, zorder=4.4))  # fmt: skip
    points = energy[~is_line].copy()
    if not points.empty:
        points["lon"], points["lat"] = points.geometry.x.round(3), points.geometry.y.round(3)
        plants = points.groupby(["kind", "name", "lon", "lat"], as_index=False)["capacity"].sum()
        xy = _project(view, plants[["lon", "lat"]].to_numpy())
        mw = plants["capacity"].fillna(0).to_numpy()
        size = (2.0 + np.sqrt(mw / max(mw.max(), 1.0)) * MAX_PLANT_PT) ** 2
        order = np.argsort(-size)
        ax.scatter(
            xy[order, 0], xy[order, 1], s=size[order],
            c=[PLANT_COLOURS[k] for k in plants["kind"].to_numpy()[order]],
            edgecolors="white", linewidths=0.4, alpha=0.85, zorder=4.8,
        )  # fmt: skip
    return None


def legend_handles(finance: bool, energy: bool) -> list[Line2D]:
    """Legend entries of the footprint layers drawn."""
    out = []
    if finance:
        out += [
            Line2D([], [], marker="o", ls="", color="#882255", alpha=0.55, markersize=8,
                   label="Chinese finance by region (AidData, 2021 USD)"),
            Line2D([], [], color="#332288", lw=1.1,
                   label="Chinese-financed project (AidData)"),
        ]  # fmt: skip
    if energy:
        out += [
            Line2D([], [], color=PIPELINE_COLOUR, lw=0.8, label="Gas pipeline (GEM)"),
            Line2D([], [], marker="o", ls="", color=PLANT_COLOURS["hydropower"], markersize=6,
                   label="Hydropower (GEM; size ~ MW)"),
            Line2D([], [], marker="o", ls="", color=PLANT_COLOURS["oil_gas_power_unit"],
                   markersize=6, label="Oil/gas power (GEM)"),
        ]  # fmt: skip
    return out


def credits(atlas: Atlas, finance: bool, energy: bool) -> list[str]:
    """The credit lines of the footprint layers drawn (from the licence table)."""
    from corridormap.atlas.credits import credit_lines

    shown = (["finance_geometry"] if finance else []) + (["energy"] if energy else [])
    return credit_lines(atlas, shown=shown) if shown else []
