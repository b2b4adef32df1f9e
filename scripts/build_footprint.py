"""Build China's footprint tables: AidData's Chinese development finance and GEM's energy assets.

Outputs (paths relative to the repository root)
    ``data/finance.csv``
        One row per AidData project with a location in the five states (KAZ KGZ TJK TKM UZB):
        the 162 projects of GCDF 2.0 and the 338 project ids of GCDF 3.0's ADM files (138 ids are
        in both, so 362 rows). ``edition`` says which edition(s) a row comes from; ``amount_usd``
        and ``usd_year`` the headline amount and its constant-dollar year (2021 from GCDF 3.0
        where the id is there, else 2017 from GCDF 2.0); ``amount_usd_2017`` and
        ``amount_usd_2021`` keep both editions' amounts. No amount is ever converted between
        dollar years: no deflator is in the reference material, so the two years stay apart.
    ``data/finance_regions.csv``
        GCDF 3.0's split of each project's commitment over the ADM1 and ADM2 regions it touches
        (AidData's own ADM files, every row of every id, other countries included), constant
        2021 USD, with the region centroids.
    ``geo/finance.geojson``
        One feature per row of ``finance.csv`` (property ``project_id``): the OpenStreetMap-traced
        MultiPolygon of GCDF 2.0 (ODbL), simplified to 50 m (roads are ~2 m buffers of the routed
        way, so they stay thin outlines); for ids only in GCDF 3.0 the same from their GCDF 3.0
        per-project file where it is stored whole in ``scripts/footprint/gcdf3_geojsons/``, else
        a MultiPoint of the centroids of the ADM1 regions the project touches (``precision``
        ``region``).
    ``data/energy.csv`` and ``geo/energy.geojson``
        One row/feature per Global Energy Monitor asset in the five states: 57 gas pipelines and
        one LNG terminal (GGIT 2024-10), 59 hydropower plants (GHPT 2025-04), 237 oil- and
        gas-fired units (GOGPT 2024-08); and the five parts of the Kazakhstan–China oil pipeline
        in GEM's oil-tracker routes (March 2024). GEM's Central Asia–China gas pipeline lines A–D
        and those oil parts carry the ``corridor_id`` of the atlas corridor that already draws
        them (never drawn twice).

Inputs
    ``footprint/`` of the reference folder (``../shared/reference`` next to the repository, or
    ``--reference``): see its README for upstream repository, commit and licence of every file.

Run ``python scripts/build_footprint.py`` (``--check``: write nothing, exit 1 when a committed
output differs from the rebuild). The output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import sys
from pathlib import Path

import shapely
from shapely import wkt
from shapely.geometry import MultiPoint, mapping, shape

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = next(
    (p / "shared" / "reference" for p in REPO.parents if (p / "shared" / "reference").is_dir()),
    REPO.parent / "shared" / "reference",
)

FIVE = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
COUNTRY_ISO3 = {
    "Kazakhstan": "KAZ",
    "Kyrgyz Republic": "KGZ",
    "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Uzbekistan": "UZB",
    "China": "CHN",
    "Russia": "RUS",
    "Iran": "IRN",
    "Afghanistan": "AFG",
    "Pakistan": "PAK",
    "India": "IND",
    "Azerbaijan": "AZE",
    "Ukraine": "UKR",
}

#: AidData status text -> our vocabulary (validation refuses anything else).
FINANCE_STATUS = {
    "Completion": "completion",
    "Implementation": "implementation",
    "Pipeline: Pledge": "pipeline_pledge",
    "Pipeline: Commitment": "pipeline_commitment",
    "Cancelled": "cancelled",
    "Suspended": "suspended",
}
#: Simplification of the traced geometry (degrees, ~50 m) and output precision (6 decimals).
SIMPLIFY_DEG = 0.0005
GRID = 1e-6
#: A traced footprint larger than this (km²) is an administrative area or a large site, not a
#: building or a road: ``precision`` ``approximate`` (our classification; see data/README.md).
APPROXIMATE_KM2 = 100.0

SRC_GCDF2 = "aiddata_gcdf2"
SRC_GCDF3 = "aiddata_gcdf3_adm"
SRC_GCDF3_FILES = "aiddata_gcdf3_geospatial"
SRC_GGIT = "gem_ggit_2024_10"
SRC_GHPT = "gem_ghpt_2025_04"
SRC_GOGPT = "gem_gogpt_2024_08"
SRC_GOIT_ROUTES = "gem_goit_routes_2024_03"

URL_GCDF2 = "https://github.com/aiddata/china-osm-geodata/blob/HEAD/latest/geojsons/{}.geojson"
URL_GCDF3 = "https://github.com/aiddata/gcdf-geospatial-data/blob/HEAD/latest/geojsons/{}.geojson"

#: GEM pipeline id -> the atlas corridor that draws it (the corridor's line is drawn, GEM's not).
GEM_CORRIDORS = {
    "P2299": "cagp_abc",  # Line A
    "P2300": "cagp_abc",  # Line B
    "P1124": "cagp_abc",  # Line C
    "P2030": "cagp_d",  # Line D
    # The Kazakhstan-China oil pipeline's parts in GEM's oil tracker (the atlas's kz_cn_oil)
    "P5198": "kz_cn_oil",  # Kenkiyak-Atyrau
    "P5197": "kz_cn_oil",  # Kenkiyak-Kumkol
    "P5201": "kz_cn_oil",  # Kumkol-Karakoin I (the first part of the Kumkol-Atasu link)
    "P0648": "kz_cn_oil",  # Atasu-Alashankou
    "P0888": "kz_cn_oil",  # Alashankou-Dushanzi
}
#: GEM's oil-tracker records of those parts (names, status, route), read from the last merged
#: route file that carries names: see scripts/footprint/README.md.
GOIT_KCOP = REPO / "scripts" / "footprint" / "gem_goit_kcop_2024-03-19.geojson"
GOIT_URL = (
    "https://github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes/blob/"
    "ea0123e48b708956f59bf0440147bfd3b30991de/data/GEM-liquid-pipelines-for-GitHub-2024-03-19.geojson"
)

FINANCE_COLUMNS = [
    "project_id", "edition", "title", "countries", "status", "sector", "flow_type", "flow_class",
    "lenders", "receivers", "implementers", "commitment_year", "start_year", "completion_year",
    "planned_start", "planned_completion", "actual_start", "actual_completion",
    "amount_usd", "usd_year", "amount_usd_2017", "amount_usd_2021",
    "recommended_for_aggregates", "umbrella", "finance_type", "precision", "n_regions",
    "aiddata_url", "geometry_licence", "licence_id", "source_id", "note",
]  # fmt: skip
REGION_COLUMNS = [
    "project_id", "adm_level", "shape_id", "iso3", "region", "intersection_ratio",
    "even_split_ratio", "amount_usd", "amount_usd_even_split", "usd_year",
    "centroid_lon", "centroid_lat", "source_id",
]  # fmt: skip
ENERGY_COLUMNS = [
    "asset_id", "kind", "name", "unit_name", "countries", "status", "capacity", "capacity_unit",
    "start_year", "owner", "parent", "fuel", "technology", "river", "subnational", "url",
    "corridor_id", "tracker", "licence_id", "geometry_licence", "source_id", "note",
]  # fmt: skip


class BuildError(Exception):
    """An input the build cannot use: one line naming the file, row and problem."""


# -- small helpers ---------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise BuildError(f"{path}: missing (see the reference folder's README)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def num(text: str | float | None, where: str) -> float | None:
    if text is None or text == "" or (isinstance(text, float) and math.isnan(text)):
        return None
    try:
        value = float(text)
    except ValueError:
        raise BuildError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise BuildError(f"{where}: {text!r} is not finite")
    return value


def fmt_num(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_year(value: str | float | None, where: str) -> str:
    v = num(value, where) if not isinstance(value, float) else value
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if v != int(v) or not 1900 <= v <= 2100:
        raise BuildError(f"{where}: {value!r} is not a year")
    return str(int(v))


def fmt_date(text: str | None) -> str:
    """``2012-09-10T00:00:00`` / ``2012-09-10 00:00:00`` -> ``2012-09-10``; empty stays empty."""
    if not text:
        return ""
    m = re.match(r"(\d{4}-\d{2}-\d{2})", text)
    if not m:
        raise BuildError(f"date {text!r} is not YYYY-MM-DD")
    return m.group(1)


def as_list(text: str | None, sep: str = "|") -> str:
    """Upstream ``|``-separated names -> our ``;`` list, duplicates dropped, order kept."""
    if not text:
        return ""
    out: list[str] = []
    for part in text.split(sep):
        part = part.strip().replace(";", ",")
        if part and part not in out:
            out.append(part)
    return ";".join(out)


def write_csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue().encode("utf-8")


def rounded(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, GRID)


def geojson_bytes(features: list[dict]) -> bytes:
    fc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # one feature per line: diffs stay readable
    text = text.replace('},{"type":"Feature"', '},\n{"type":"Feature"')
    return (text + "\n").encode("utf-8")


def feature(props: dict, geom: shapely.Geometry) -> dict:
    g = mapping(geom)

    def clean(c):  # 6 decimals, no float noise
        if isinstance(c, (list, tuple)):
            if c and isinstance(c[0], float | int):
                return [round(float(x), 6) for x in c]
            return [clean(x) for x in c]
        return c

    return {"type": "Feature", "properties": props,
            "geometry": {"type": g["type"], "coordinates": clean(g["coordinates"])}}  # fmt: skip


def area_km2(geom: shapely.Geometry) -> float:
    """Area in km² on a local equirectangular scale (good to a few % at these latitudes)."""
    lat = geom.centroid.y
    return geom.area * 111.32**2 * math.cos(math.radians(lat))


# -- finance ---------------------------------------------------------------------------------


def load_regions(ref: Path) -> tuple[list[dict[str, str]], dict[int, dict]]:
    """Both ADM files as region rows, and per id: amount, n, centroids, countries."""
    rows: list[dict[str, str]] = []
    per_id: dict[int, dict] = {}
    for level in ("ADM1", "ADM2"):
        path = ref / f"GCDF_3.0_{level}_Locations_CA5.csv"
        for i, r in enumerate(read_csv(path), start=2):
            where = f"{path.name} row {i}"
            pid = int(r["id"])
            esr = num(r["even_split_ratio"], where + " even_split_ratio")
            ev = num(r["even_split_ratio_commitment_value"], where)
            iv = num(r["intersection_ratio_commitment_value"], where)
            ir = num(r["intersection_ratio"], where)
            lon = num(r["centroid_longitude"], where + " centroid_longitude")
            lat = num(r["centroid_latitude"], where + " centroid_latitude")
            if None in (esr, ir, lon, lat) or not 0 < esr <= 1 or not 0 <= ir <= 1.02:
                raise BuildError(f"{where}: ratio, value or centroid missing or out of range")
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise BuildError(f"{where}: centroid {lon}, {lat} is not lon/lat")
            rows.append({
                "project_id": str(pid), "adm_level": level.lower(), "shape_id": r["shapeID"],
                "iso3": r["shapeGroup"], "region": r["shapeName"],
                "intersection_ratio": r["intersection_ratio"],
                "even_split_ratio": r["even_split_ratio"],
                "amount_usd": fmt_num(iv), "amount_usd_even_split": fmt_num(ev),
                "usd_year": "2021", "centroid_lon": fmt_num(lon, 6),
                "centroid_lat": fmt_num(lat, 6), "source_id": SRC_GCDF3,
            })  # fmt: skip
            if level != "ADM1":
                continue
            # The project's commitment: even split value x number of regions it was split over
            # (AidData: even_split_ratio = 1/n, value = ratio x commitment).
            n = round(1 / esr)
            # An empty value: AidData gives no commitment value for the project.
            total = None if ev is None else round(ev * n, 2)
            entry = per_id.setdefault(
                pid, {"amount": total, "n": n, "points": [], "countries": [], "ev": ev}
            )
            same = (entry["ev"] is None) == (ev is None)
            if not same or (ev is not None and abs(entry["ev"] - ev) > 0.02) or entry["n"] != n:
                raise BuildError(f"{where}: even split differs from the id's other ADM1 rows")
            entry["points"].append((lon, lat))
            if r["shapeGroup"] in FIVE and r["shapeGroup"] not in entry["countries"]:
                entry["countries"].append(r["shapeGroup"])
    rows.sort(key=lambda r: (int(r["project_id"]), r["adm_level"], r["iso3"], r["shape_id"]))
    return rows, per_id


def load_read3(path: Path) -> dict[int, dict[str, str]]:
    """Properties of GCDF 3.0 per-project files read so far (one JSON object a line).

    Each line holds the ``properties`` of ``latest/geojsons/<id>.geojson`` of
    github.com/aiddata/gcdf-geospatial-data, copied verbatim, and the commit it was read at.
    """
    out: dict[int, dict[str, str]] = {}
    if not path.is_file():
        return out
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name} line {i}"
        try:
            rec = json.loads(line)
            p = rec["properties"]
            status = FINANCE_STATUS[p["Status"]]
        except (ValueError, KeyError) as exc:
            raise BuildError(f"{where}: not a read record ({exc})") from None
        out[int(p["id"])] = {
            "title": p["Title"].strip(), "countries": p["Recipient.ISO-3"], "status": status,
            "sector": p["Sector.Name"],
            "commitment_year": fmt_year(p["Commitment.Year"], where),
            "start_year": fmt_year(p["Implementation.Start.Year"], where),
            "completion_year": fmt_year(p["Completion.Year"], where),
            "actual_start": fmt_date(p["Actual.Implementation.Start.Date.(MM/DD/YYYY)"]),
            "actual_completion": fmt_date(p["Actual.Completion.Date.(MM/DD/YYYY)"]),
            "_amount": p["Amount.(Constant.USD.2021)"], "_commit": rec["commit"], "_props": p,
        }  # fmt: skip
    return out


def read3_note(pid: int, read3: dict[int, dict[str, str]], adm_amount: float | None) -> str:
    rec = read3.pop(pid)
    amount = rec.pop("_amount")
    # No amount in either (AidData could not value the project) agrees; one without the other,
    # or two different amounts, do not.
    both_none = amount is None and adm_amount is None
    if not both_none and (
        adm_amount is None or amount is None or abs(float(amount) - adm_amount) > 1.0
    ):
        raise BuildError(
            f"gcdf3_read.jsonl: project {pid} amount {amount} differs from the ADM files' "
            f"{adm_amount}"
        )
    same = (
        "neither it nor the ADM files give an amount"
        if both_none
        else "its amount equals the ADM files'"
    )
    return (
        "title, sector, status and years read from the GCDF 3.0 per-project file "
        f"(gcdf-geospatial-data @ {rec.pop('_commit')[:7]}); {same}"
    )


def traced(path: Path, pid: int, expect: dict | None = None) -> tuple[shapely.Geometry, str]:
    """An AidData per-project file's OpenStreetMap-traced geometry, simplified, and its precision.

    The same for GCDF 2.0's files and the GCDF 3.0 files stored under scripts/footprint: the
    features' union, simplified to ~50 m, ``approximate`` when larger than APPROXIMATE_KM2.
    ``expect``: properties every feature must carry unchanged (the record read earlier).
    """
    try:
        fc = json.loads(path.read_text(encoding="utf-8"))
        ids = {f["properties"]["id"] for f in fc["features"]}
        geoms = [shape(f["geometry"]) for f in fc["features"] if f.get("geometry")]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError(f"{path.name}: not an AidData per-project file ({exc})") from None
    if ids != {pid}:
        raise BuildError(f"{path.name}: its features are project {sorted(ids)}, not {pid}")
    for f in fc["features"]:
        for key, value in (expect or {}).items():
            if f["properties"].get(key) != value:
                raise BuildError(
                    f"{path.name}: {key} is {f['properties'].get(key)!r}, but "
                    f"gcdf3_read.jsonl read {value!r}"
                )
    if not geoms:
        raise BuildError(f"{path.name}: no geometry")
    geom = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    big = area_km2(geom) > APPROXIMATE_KM2
    geom = rounded(shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True))
    if geom.is_empty or not geom.is_valid:
        raise BuildError(f"{path.name}: geometry empty or invalid after simplifying")
    return geom, "approximate" if big else "precise"


def build_finance(ref: Path) -> dict[str, bytes]:
    aid = ref / "aiddata"
    region_rows, per_id = load_regions(aid)
    gcdf2_path = aid / "gcdf2_final_df_CA5.csv"
    gcdf2 = {}
    for i, r in enumerate(read_csv(gcdf2_path), start=2):
        gcdf2[int(r["id"])] = (i, r)
    if len(gcdf2) != 162 or len(per_id) != 338:
        raise BuildError(
            f"{gcdf2_path.name}: expected 162 GCDF 2.0 projects and 338 GCDF 3.0 ids, got "
            f"{len(gcdf2)} and {len(per_id)}"
        )
    read3 = load_read3(REPO / "scripts" / "footprint" / "gcdf3_read.jsonl")
    geo3_dir = REPO / "scripts" / "footprint" / "gcdf3_geojsons"
    stored3 = {int(p.stem) for p in geo3_dir.glob("*.geojson")}
    if any(pid not in read3 for pid in stored3):
        raise BuildError(
            f"gcdf3_geojsons: {sorted(p for p in stored3 if p not in read3)} have no record in "
            "gcdf3_read.jsonl (read a file's properties before storing its geometry)"
        )
    rows: list[dict[str, str]] = []
    features: list[dict] = []
    for pid in sorted(set(gcdf2) | set(per_id)):
        in2, in3 = pid in gcdf2, pid in per_id
        row: dict[str, str] = {"project_id": str(pid)}
        row["edition"] = ";".join(e for e, ok in (("2.0", in2), ("3.0", in3)) if ok)
        notes: list[str] = []
        if in3:
            amount3 = per_id[pid]["amount"]
            row["amount_usd_2021"] = fmt_num(amount3)
            row["n_regions"] = str(len(per_id[pid]["points"]))
            if amount3 is None:
                notes.append("GCDF 3.0 gives no commitment value")
        if in2:
            i, r = gcdf2[pid]
            where = f"{gcdf2_path.name} row {i}"
            status = r["Status"]
            if status not in FINANCE_STATUS:
                raise BuildError(f"{where}: unknown Status {status!r}")
            recipient = COUNTRY_ISO3.get(r["Recipient"])
            if recipient not in FIVE:
                raise BuildError(f"{where}: Recipient {r['Recipient']!r} is not one of the five")
            amount2 = num(r["Amount (Constant USD2017)"], where + " Amount")
            row.update({
                "title": r["Title"].strip(), "countries": recipient,
                "status": FINANCE_STATUS[status], "sector": r["AidData Sector Name"],
                "flow_type": r["Flow Type"], "flow_class": r["Flow Class"],
                "lenders": as_list(r["Funding Agencies"]),
                "receivers": as_list(r["Receiving Agencies"]),
                "implementers": as_list(r["Implementing Agencies"]),
                "commitment_year": fmt_year(r["Commitment Year"], where + " Commitment Year"),
                "start_year": fmt_year(r["Implementation Start Year"], where),
                "completion_year": fmt_year(r["Completion Year"], where),
                "planned_start": fmt_date(r["Planned Implementation Start Date (MM/DD/YYYY)"]),
                "planned_completion": fmt_date(r["Planned Completion Date (MM/DD/YYYY)"]),
                "actual_start": fmt_date(r["Actual Implementation Start Date (MM/DD/YYYY)"]),
                "actual_completion": fmt_date(r["Actual Completion Date (MM/DD/YYYY)"]),
                "amount_usd_2017": fmt_num(amount2),
                "recommended_for_aggregates": r["Recommended For Aggregates"].lower(),
                "umbrella": r["Umbrella"].lower(),
                "finance_type": r["finance_type"],
            })  # fmt: skip
            if row["recommended_for_aggregates"] not in ("yes", "no"):
                raise BuildError(f"{where}: Recommended For Aggregates must be Yes or No")
            if amount2 is None:
                notes.append("GCDF 2.0 gives no amount")
            geo_path = aid / "gcdf2_geojsons" / f"{pid}.geojson"
            if not geo_path.is_file():
                raise BuildError(f"{geo_path}: missing (GCDF 2.0 project {pid})")
            geom, row["precision"] = traced(geo_path, pid)
            row["geometry_licence"] = "ODbL"
            row["aiddata_url"] = URL_GCDF2.format(pid)
        else:
            entry = per_id[pid]
            row["countries"] = ";".join(sorted(entry["countries"]))
            row["aiddata_url"] = URL_GCDF3.format(pid)
            commit = read3[pid]["_commit"] if pid in read3 else ""
            props = read3[pid].pop("_props") if pid in read3 else None
            if pid in read3:
                row.update(read3[pid])
                notes.insert(0, read3_note(pid, read3, entry["amount"]))
            else:
                notes.insert(
                    0,
                    "title not yet read: only in GCDF 3.0, whose ADM files carry no title, "
                    "sector, status or years (they are in the per-project file at aiddata_url)",
                )
            geo_path = geo3_dir / f"{pid}.geojson"
            if geo_path.is_file():
                stored3.discard(pid)
                geom, row["precision"] = traced(geo_path, pid, props)
                row["geometry_licence"] = "ODbL"
                notes.insert(
                    1,
                    "geometry traced from OpenStreetMap, read from the same per-project file "
                    f"(gcdf-geospatial-data @ {commit[:7]}; stored in scripts/footprint/"
                    "gcdf3_geojsons)",
                )
            else:
                row["precision"] = "region"
                row["geometry_licence"] = ""
                notes.insert(1, "drawn at the centroids of the ADM1 regions it touches")
                geom = rounded(MultiPoint(sorted(set(entry["points"]))))
        if in3:
            row["amount_usd"], row["usd_year"] = row["amount_usd_2021"], "2021"
        else:
            row["amount_usd"], row["usd_year"] = row["amount_usd_2017"], "2017"
        if not row["amount_usd"]:
            row["usd_year"] = ""
        if in2 and in3:
            notes.append(
                "amount_usd is GCDF 3.0's (constant 2021 USD); GCDF 2.0's constant 2017 USD "
                "amount is amount_usd_2017: never add the two"
            )
        row["licence_id"] = "odc_by_aiddata" + (";odbl_osm" if row["geometry_licence"] else "")
        row["note"] = "; ".join(notes)
        row["source_id"] = ";".join(s for s, ok in ((SRC_GCDF2, in2), (SRC_GCDF3, in3)) if ok)
        if row["note"].startswith("title, sector"):
            row["source_id"] += ";" + SRC_GCDF3_FILES
        rows.append(row)
        features.append(feature({"project_id": pid}, geom))
    if read3:
        raise BuildError(f"gcdf3_read.jsonl: ids {sorted(read3)} are not GCDF 3.0-only ids here")
    if stored3:
        raise BuildError(f"gcdf3_geojsons: ids {sorted(stored3)} are not GCDF 3.0-only ids here")
    return {
        "data/finance.csv": write_csv(FINANCE_COLUMNS, rows),
        "data/finance_regions.csv": write_csv(REGION_COLUMNS, region_rows),
        "geo/finance.geojson": geojson_bytes(features),
    }


# -- energy ----------------------------------------------------------------------------------


def iso3_list(text: str, where: str) -> str:
    out: list[str] = []
    for part in re.split(r"[;,]", text or ""):
        part = part.strip()
        if not part:
            continue
        if part not in COUNTRY_ISO3:
            raise BuildError(f"{where}: unknown country {part!r}")
        if COUNTRY_ISO3[part] not in out:
            out.append(COUNTRY_ISO3[part])
    return ";".join(out)


def slug(text: str) -> str:
    return re.sub(r"\W+", "_", text.lower()).strip("_")  # keeps Cyrillic unit names apart


def build_energy(ref: Path) -> dict[str, bytes]:
    gem = ref / "gem"
    rows: list[dict[str, str]] = []
    geoms: dict[str, shapely.Geometry] = {}

    def add(row: dict[str, str], geom: shapely.Geometry, where: str) -> None:
        if geom.is_empty or not geom.is_valid:
            raise BuildError(f"{where}: geometry empty or invalid")
        if row["asset_id"] in geoms:
            raise BuildError(f"{where}: asset id {row['asset_id']} repeats")
        geoms[row["asset_id"]] = rounded(geom)
        rows.append(row)

    path = gem / "ggit_2024-10-08_CA5.csv"
    for i, r in enumerate(read_csv(path), start=2):
        where = f"{path.name} row {i}"
        try:
            geom = wkt.loads(r["geometry"])
        except Exception:
            raise BuildError(f"{where}: geometry is not valid WKT") from None
        lng = r["tracker-acro"].upper().endswith("LNG")
        unit = r["capacity-table"].split(" ", 1)[1] if r["capacity-table"] else ""
        unit = {"bcm/y of gas": "bcm/yr", "mtpa of LNG": "mtpa"}.get(unit, unit)
        capacity = num(r["capacity"], where + " capacity")
        if capacity is not None and unit not in ("bcm/yr", "mtpa"):
            raise BuildError(f"{where}: capacity unit {r['capacity-table']!r} unknown")
        add({
            "asset_id": r["id"], "kind": "lng_terminal" if lng else "gas_pipeline",
            "name": r["name"], "unit_name": r["unit-name"],
            "countries": iso3_list(r["areas"], where), "status": r["status"],
            "capacity": fmt_num(capacity, 3), "capacity_unit": unit if capacity is not None else "",
            "start_year": fmt_year(r["start-year"], where + " start-year"),
            "owner": r["owner"], "parent": r["parent"], "subnational": r["subnat"],
            "url": r["url"], "corridor_id": GEM_CORRIDORS.get(r["id"], ""),
            "tracker": "Global Gas Infrastructure Tracker, October 2024",
            "source_id": SRC_GGIT,
            "note": "" if lng else "route as GEM gives it (often coarse: a few vertices)",
        }, geom, where)  # fmt: skip

    countries = [
        (f["properties"]["iso3"], shape(f["geometry"]))
        for f in json.loads((REPO / "geo" / "countries.geojson").read_text("utf-8"))["features"]
    ]
    path = GOIT_KCOP
    for i, f in enumerate(json.loads(path.read_text(encoding="utf-8"))["features"], start=1):
        p = f["properties"]
        where = f"{path.name} feature {i}"
        if p.get("ProjectID") not in GEM_CORRIDORS:
            raise BuildError(f"{where}: {p.get('ProjectID')!r} is not a known part of a corridor")
        try:
            geom = shape(f["geometry"])
        except Exception:
            raise BuildError(f"{where}: geometry is not valid GeoJSON") from None
        # GEM's merged file names no countries: the ones the route crosses, in route order.
        crossed = [(geom.project(g.intersection(geom).representative_point()), iso) for iso, g
                   in countries if g.intersects(geom)]  # fmt: skip
        add({
            "asset_id": p["ProjectID"], "kind": "oil_pipeline", "name": p["PipelineName"],
            "unit_name": p["SegmentName"], "countries": ";".join(iso for _, iso in sorted(crossed)),
            "status": p["Status"].lower(), "url": GOIT_URL,
            "corridor_id": GEM_CORRIDORS[p["ProjectID"]],
            "tracker": "Global Oil Infrastructure Tracker routes, March 2024",
            "source_id": SRC_GOIT_ROUTES,
            "note": f"GEM's generalised route of March 2024 (accuracy {p['RouteAccuracy']}), never "
                    "drawn: the corridor draws the pipeline (kz_cn_oil, from GEM's denser later "
                    "routes or OpenStreetMap); no capacity, owner or wiki page in GEM's route file",
        }, geom, where)  # fmt: skip

    path = gem / "ghpt_2025-04-21_CA5.geojson"
    if not path.is_file():
        raise BuildError(f"{path}: missing")
    for i, f in enumerate(json.loads(path.read_text(encoding="utf-8"))["features"], start=1):
        p = f["properties"]
        where = f"{path.name} feature {i}"
        areas = ";".join(x for x in (p.get("areas"), p.get("area2")) if x)
        if p.get("units-of-m") != "MW":
            raise BuildError(f"{where}: capacity unit {p.get('units-of-m')!r}, expected MW")
        add({
            "asset_id": p["id"], "kind": "hydropower", "name": p["name"],
            "countries": iso3_list(areas, where), "status": p["status"],
            "capacity": fmt_num(num(p["capacity"], where + " capacity"), 3),
            "capacity_unit": "MW", "start_year": fmt_year(p.get("start-year"), where),
            "owner": p.get("owner") or "", "river": p.get("river") or "",
            "subnational": p.get("subnat") or "", "url": p["url"],
            "tracker": "Global Hydropower Tracker, April 2025", "source_id": SRC_GHPT,
        }, shape(f["geometry"]), where)  # fmt: skip

    path = gem / "gas-plant_2024-08-29_CA5.csv"
    for i, r in enumerate(read_csv(path), start=2):
        where = f"{path.name} row {i}"
        lon, lat = num(r["lng"], where + " lng"), num(r["lat"], where + " lat")
        if lon is None or lat is None:
            raise BuildError(f"{where}: no coordinates")
        unit = r["unit"].strip()
        add({
            "asset_id": f"gogpt_{slug(r['project'])}" + (f"__{slug(unit)}" if unit else ""),
            "kind": "oil_gas_power_unit", "name": r["project"].strip(), "unit_name": unit,
            "countries": iso3_list(r["country"], where), "status": r["status"],
            "capacity": fmt_num(num(r["capacity"], where + " capacity"), 3),
            "capacity_unit": "MW", "start_year": fmt_year(r["start_year"], where),
            "owner": r["owner"].strip(), "parent": r["parent"].strip(),
            "fuel": r["fuel_type"], "technology": r["technology"],
            "subnational": r["province"], "url": r["url"],
            "tracker": "Global Oil and Gas Plant Tracker, August 2024", "source_id": SRC_GOGPT,
        }, shapely.Point(lon, lat), where)  # fmt: skip

    kinds = {k: sum(r["kind"] == k for r in rows) for k in
             ("gas_pipeline", "oil_pipeline", "lng_terminal", "hydropower",
              "oil_gas_power_unit")}  # fmt: skip
    if kinds != {"gas_pipeline": 56, "oil_pipeline": 5, "lng_terminal": 1, "hydropower": 59,
                 "oil_gas_power_unit": 237}:  # fmt: skip
        raise BuildError(f"gem/: unexpected asset counts {kinds}")
    for row in rows:
        row["licence_id"] = "cc_by_gem"
        row["geometry_licence"] = "CC-BY-4.0"
    order = {"gas_pipeline": 0, "oil_pipeline": 1, "lng_terminal": 2, "hydropower": 3,
             "oil_gas_power_unit": 4}  # fmt: skip
    rows.sort(key=lambda r: (order[r["kind"]], r["asset_id"]))
    features = [feature({"asset_id": r["asset_id"]}, geoms[r["asset_id"]]) for r in rows]
    return {
        "data/energy.csv": write_csv(ENERGY_COLUMNS, rows),
        "geo/energy.geojson": geojson_bytes(features),
    }


# -- main ------------------------------------------------------------------------------------


def build(reference: Path) -> dict[str, bytes]:
    ref = reference / "footprint"
    out = build_finance(ref)
    out.update(build_energy(ref))
    known = {r["source_id"] for r in read_csv(REPO / "data" / "sources.csv")}
    needed = {SRC_GCDF2, SRC_GCDF3, SRC_GCDF3_FILES, SRC_GGIT, SRC_GHPT, SRC_GOGPT, SRC_GOIT_ROUTES}
    if needed - known:
        raise BuildError(f"data/sources.csv: no row for {sorted(needed - known)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--repo", type=Path, default=REPO, help="write under this folder")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        outputs = build(args.reference)
    except BuildError as exc:
        print(f"build_footprint: {exc}", file=sys.stderr)
        return 1
    stale = []
    for rel, data in outputs.items():
        target = args.repo / rel
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            continue
        stale.append(rel)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    if args.check:
        for rel in stale:
            print(f"build_footprint: {rel} is not current (run scripts/build_footprint.py)")
        return 1 if stale else 0
    for rel in stale:
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
