"""Export the joined atlas: GeoJSON, GeoPackage, GeoParquet, KML or CSV with WKT geometry.

Every format holds one row per corridor with every column of ``projects.csv``, the computed
lengths (``length_km`` geodesic, ``km_by_country``) and the base-scenario transit revenue
estimate (``revenue_usd_base``, ``_low``, ``_high``, USD a year, ``revenue_label``). The
GeoPackage adds one layer per mode plus ``segments``, ``countries`` and ``places``. The data
release (:func:`corridormap.data_release`) is recorded where the format has room for it: a
``corridormap`` member of the GeoJSON, GeoPackage dataset metadata, GeoParquet file metadata and
the KML document description. Files are written atomically (a failure leaves the previous file).

China's footprint (AidData finance, GEM energy) is in the GeoPackage as layers ``finance`` and
``energy``; ``layer="finance"`` or ``layer="energy"`` writes that table alone as GeoJSON,
GeoParquet or CSV. Every format records its credit lines (:func:`corridormap.credit_lines`) with
the release: a ``credits`` entry of the metadata, and the licences sidecar as below.

The sources travel with the data, not only their ids: the GeoPackage holds a ``sources`` table
(every source the exported rows cite) and a ``licences`` table, and a QGIS ``layer_styles``
table that styles its line layers as the maps do; every other format gets them as sidecar files
beside it (``<name>.sources.csv``, ``<name>.licences.csv``), and KML balloons also list each
placemark's sources with their links. Every CSV is formula-safe
(:func:`corridormap.io.formula_safe`). The GeoPackage is written as version 1.2, which every
GDAL since 2.2 reads without a warning.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from corridormap import settings
from corridormap.atlas.core import Atlas, place_uses
from corridormap.atlas.credits import credit_lines
from corridormap.errors import MissingDependencyError, OutputError
from corridormap.io import atomic_path, write_csv
from corridormap.measure.lengths import lengths_by_country
from corridormap.validation import schema

log = logging.getLogger(__name__)

Format = Literal["geojson", "gpkg", "parquet", "kml", "csv"]
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "kml", "csv")
SUFFIXES: dict[str, Format] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".kml": "kml",
    ".csv": "csv",
}
NO_PYARROW = "GeoParquet export needs pyarrow: pip install pyarrow"
#: Decimals kept for coordinates (≈0.1 m), as in the source layers.
DECIMALS = 6
#: GeoPackage version written: 1.2 is read by every GDAL since 2.2 without a warning (1.4,
#: GDAL's default since 3.8, makes Debian's GDAL 3.6 warn "may only be partially supported").
GPKG_VERSION = "1.2"
#: Columns of the sources table (as ``sources.csv``).
SOURCE_COLUMNS = ["source_id", "title", "author", "publisher", "date", "url", "licence", "note"]


def export_format(path: str | Path, format: str | None = None) -> Format:
    """Return the export format: ``format`` if given, else the one the file suffix names.

    Raises
    ------
    OutputError
        For an unknown format or a suffix that names none.
    """
    if format is not None:
        if format not in FORMATS:
            raise OutputError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
        return cast(Format, format)  # one of FORMATS (mypy does not narrow str by `in`)
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError(
            f"cannot tell the format from {Path(path).name!r}; give one of {', '.join(FORMATS)}"
        )
    return SUFFIXES[suffix]


def _revenue(atlas: Atlas) -> pd.DataFrame:
    """Base-scenario revenue estimate per corridor (USD a year)."""
    from corridormap.revenue import revenue_by_corridor

    frame = revenue_by_corridor(atlas, scenario="base")
    return pd.DataFrame(
        {
            "corridor_id": frame["corridor_id"],
            "revenue_usd_base": frame["revenue_usd"],
            "revenue_usd_low": frame["revenue_usd_low"],
            "revenue_usd_high": frame["revenue_usd_high"],
            "revenue_label": frame["label"],
            "revenue_tariff_kinds": frame["tariff_kinds"],
        }
    )


def joined_corridors(atlas: Atlas) -> gpd.GeoDataFrame:
    """One row per corridor: every metadata column, computed lengths and base revenue.

    Returns
    -------
    geopandas.GeoDataFrame
        ``atlas.corridors`` plus ``length_label`` (the published length first, with what it
        covers and the range of the sources, then the drawn km with their accuracy, e.g. "533 km
        reported (…) · 460 km as drawn, ±25 km"), ``km_by_country`` (``ISO3:km`` pairs in route
        order, ``;`` separated, geodesic km as drawn, one decimal), ``km_by_country_reported``
        (``ISO3:km`` of the published figures, where any), ``revenue_usd_base``,
        ``revenue_usd_low``, ``revenue_usd_high`` (USD a year; empty where no transit payment
        applies), ``revenue_label`` and ``revenue_tariff_kinds`` (``published``, ``proxy``,
        ``back_solved``: a back-solved tariff restates a published claim). EPSG:4326.
    """
    corridors = atlas.corridors.copy()
    table = lengths_by_country(atlas)
    table = table[table["iso3"].notna()]
    split = table.groupby("corridor_id", sort=False).apply(
        lambda g: ";".join(
            f"{i}:{km:.1f}" for i, km in zip(g["iso3"], g["length_km"], strict=True)
        ),
        include_groups=False,
    )
    reported = table[table["length_km_reported"].notna()].groupby("corridor_id", sort=False)
    split_reported = reported.apply(
        lambda g: ";".join(
            f"{i}:{km:g}" for i, km in zip(g["iso3"], g["length_km_reported"], strict=True)
        ),
        include_groups=False,
    )
    from corridormap._format import length_text

    position = corridors.columns.get_loc("length_km") + 1
    corridors.insert(position, "km_by_country", corridors["corridor_id"].map(split))
    corridors.insert(
        position + 1, "km_by_country_reported", corridors["corridor_id"].map(split_reported)
    )
    corridors.insert(
        position, "length_label", [length_text(r) for r in corridors.to_dict("records")]
    )
    corridors = corridors.merge(_revenue(atlas), on="corridor_id", how="left")
    geometry = corridors.pop("geometry")
    corridors["geometry"] = shapely.set_precision(geometry.to_numpy(), 10**-DECIMALS)
    return gpd.GeoDataFrame(corridors, geometry="geometry", crs="EPSG:4326")


#: What ``export_atlas(layer=...)`` writes, and the credit lines each needs.
LAYERS: dict[str, tuple[str, ...]] = {
    "corridors": ("lines",),
    "finance": ("finance_geometry",),
    "energy": ("energy",),
}


def export_atlas(
    atlas: Atlas, path: str | Path, *, format: Format | None = None, layer: str = "corridors"
) -> Path:
    """Write the joined atlas to a file.

    Parameters
    ----------
    atlas
        The atlas or a selection of it (:func:`corridormap.select`).
    path
        The file to write; its folder is created if needed.
    format
        ``geojson`` (RFC 7946), ``gpkg`` (layers per mode, ``segments``, ``countries``,
        ``places``), ``parquet`` (GeoParquet), ``kml`` (styled lines with description balloons)
        or ``csv`` (WKT geometry); ``None`` takes it from the suffix.
    layer
        ``corridors`` (the default), or ``finance`` / ``energy``: that footprint table alone
        (GeoJSON, GeoParquet or CSV; the GeoPackage always holds both as layers).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputError
        For an unknown ``format``, or a suffix that names none when ``format`` is ``None``.
    MissingDependencyError
        For ``parquet`` without pyarrow installed.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> print(cm.export_atlas(atlas, "atlas.gpkg"))
    atlas.gpkg
    >>> rail = cm.select(atlas, mode="rail")
    >>> print(cm.export_atlas(rail, "rail.json", format="geojson"))
    rail.json
    >>> print(cm.export_atlas(atlas, "finance.parquet", layer="finance"))
    finance.parquet
    """
    from corridormap.io import check_output

    target = Path(path)
    fmt = export_format(target, format)
    if layer not in LAYERS:
        raise OutputError(f"layer must be one of {', '.join(LAYERS)}; got {layer!r}")
    if layer != "corridors" and fmt in ("kml", "gpkg"):
        raise OutputError(
            f"layer={layer!r} is written as GeoJSON, GeoParquet or CSV; the GeoPackage holds "
            "every layer (leave layer out), and KML only the corridors"
        )
    if fmt == "parquet":
        _require_pyarrow()  # before any work
    check_output(target, example=f"atlas.{fmt}")
    if layer != "corridors":
        frame = getattr(atlas, layer)
        writer = {"geojson": _write_geojson, "parquet": _write_parquet, "csv": _write_csv}[fmt]
        writer(atlas, frame, target, LAYERS[layer])
        write_csv(licence_table(atlas), sidecar_paths(target)[1])
        log.info("Saved %s (%s, %d %s rows)", target, fmt, len(frame), layer)
        return target
    corridors = joined_corridors(atlas)
    writer = {
        "geojson": _write_geojson,
        "gpkg": _write_gpkg,
        "parquet": _write_parquet,
        "kml": _write_kml,
        "csv": _write_csv,
    }[fmt]
    writer(atlas, corridors, target, _shown(atlas, fmt))
    if fmt != "gpkg":  # the GeoPackage holds them as tables
        sources, licences = sidecar_paths(target)
        write_csv(cited_sources(atlas, corridors), sources)
        write_csv(licence_table(atlas), licences)
    log.info("Saved %s (%s, %d corridors)", target, fmt, len(corridors))
    return target


def sidecar_paths(target: str | Path) -> tuple[Path, Path]:
    """The sources and licences files written beside an export that has no room for tables."""
    path = Path(target)
    return path.with_name(f"{path.stem}.sources.csv"), path.with_name(f"{path.stem}.licences.csv")


#: Columns that cite sources, in any table of the atlas.
def _source_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c for c in frame.columns
        if c in {"sources", "source", "source_ids", "source_id"} or c.endswith("_source")
        or c.endswith("_sources")
    ]  # fmt: skip


def cited_sources(atlas: Atlas, corridors: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """The rows of ``sources.csv`` that the exported corridors, their segments and places cite.

    In ``sources.csv`` order, with every column (title, author, publisher, date, url, licence).
    """
    from corridormap._util import split_ids

    corridors = atlas.corridors if corridors is None else corridors
    ids = set(corridors["corridor_id"])
    segments = atlas.segments[atlas.segments["corridor_id"].isin(ids)]
    places = atlas.places[
        atlas.places["corridor_ids"].fillna("").str.split(";").map(lambda v: bool(ids & set(v)))
    ]
    cited: set[str] = set()
    for frame in (corridors, segments, places):
        for column in _source_columns(frame):
            for value in frame[column]:
                cited.update(split_ids(value))
    table = atlas.sources[atlas.sources["source_id"].isin(cited)]
    return pd.DataFrame(table.reindex(columns=SOURCE_COLUMNS)).reset_index(drop=True)


def licence_table(atlas: Atlas) -> pd.DataFrame:
    """The licences of what an export carries, one row a credit line.

    Columns ``licence``, ``applies_to``, ``credit``, ``url``, ``features``, ``name``. First the
    geometry licences of the segment lines (``features``: how many segments): ``ODbL`` and
    ``CC-BY-4.0`` take the credit, link and coverage of their licence table row
    (:data:`corridormap.atlas.credits.GEOMETRY_LICENCE_IDS`: ``odbl_osm``, ``cc_by_gem``), which
    is then not repeated; ``sketch`` is corridormap's own; a user's own licence (a
    ``licence_id`` of the table, as validation requires) takes its row. Then every other row of
    the atlas's licence table (``atlas.licences``, validated: ``licence_id, name, url,
    attribution, covers``; :func:`corridormap.licences`).
    """
    from corridormap.atlas.credits import GEOMETRY_LICENCE_IDS, licences

    counts = atlas.segments["geometry_licence"].value_counts()
    table = licences(atlas).set_index("licence_id", drop=False)
    rows, used = [], set()
    for licence in ["ODbL", "sketch", *sorted(set(counts.index) - {"ODbL", "sketch"})]:
        licence_id = GEOMETRY_LICENCE_IDS.get(licence, licence)
        if licence == "sketch":
            row = {
                "applies_to": "segment lines drawn by corridormap between published points "
                "(an estimate; see positional_accuracy_km)",
                "credit": "corridormap",
                "url": "",
                "name": "",
            }
        elif licence_id in table.index:
            used.add(licence_id)
            found = table.loc[licence_id]
            row = {
                "applies_to": f"segment lines whose geometry_licence is {licence}; "
                f"{found['covers']}".rstrip("; "),
                "credit": found["attribution"],
                "url": found["url"],
                "name": found["name"],
            }
        else:  # validation refuses a licence the table lacks; a bare atlas may still hold one
            row = {
                "applies_to": f"segment lines whose geometry_licence is {licence}",
                "credit": "see the geometry_source rows of sources.csv",
                "url": "",
                "name": "",
            }
        rows.append({"licence": licence, **row, "features": int(counts.get(licence, 0))})
    rest = table[~table["licence_id"].isin(used | {r["licence"] for r in rows})]
    rows += [
        {
            "licence": r["licence_id"],
            "applies_to": r["covers"],
            "credit": r["attribution"],
            "url": r["url"],
            "features": pd.NA,
            "name": r["name"],
        }
        for r in rest.to_dict("records")
    ]
    frame = pd.DataFrame(
        rows, columns=["licence", "applies_to", "credit", "url", "features", "name"]
    )
    frame["features"] = frame["features"].astype("Int64")
    return frame


# --------------------------------------------------------------------------- writers


def _shown(atlas: Atlas, fmt: str) -> tuple[str, ...]:
    """What a corridor export shows: the lines, and in a GeoPackage every layer it holds."""
    if fmt != "gpkg":
        return ("lines",)
    shown = ["lines", "countries", "places"]
    shown += ["finance_geometry"] if len(atlas.finance) else []
    shown += ["energy"] if len(atlas.energy) else []
    return tuple(shown)


def release_metadata(atlas: Atlas, shown: tuple[str, ...] = ()) -> dict[str, str]:
    """What made an export: package version, input data hash and the data release (if recorded).

    ``credits``: the corridor lines' credits, and with ``shown`` (layer names of
    :func:`corridormap.credit_lines`) those of the other layers the export holds (countries,
    places, AidData's finance, GEM's energy), joined by ``; ``.
    """
    meta = dict(atlas.provenance())
    release = atlas.release
    if release is not None:
        meta.update(
            data_version=release.data_version,
            data_as_of=release.as_of.isoformat(),
            newest_source_id=release.newest_source_id,
            data_release=release.label,
        )
    meta["credits"] = "; ".join(credit_lines(atlas, shown=shown or ("lines",)))
    return meta


def _require_pyarrow() -> None:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependencyError(NO_PYARROW) from None


def _plain(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: nullable integers stay, booleans stay, the rest as given."""
    return frame.reset_index(drop=True)


def _write_geojson(
    atlas: Atlas, corridors: gpd.GeoDataFrame, target: Path, shown: tuple[str, ...]
) -> None:
    doc = json.loads(corridors.to_json(drop_id=True, na="null", to_wgs84=True))
    doc.pop("bbox", None)
    doc["corridormap"] = release_metadata(atlas, shown)
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _write_parquet(
    atlas: Atlas, corridors: gpd.GeoDataFrame, target: Path, shown: tuple[str, ...]
) -> None:
    import pyarrow.parquet as pq  # present: export_atlas checked (_require_pyarrow)

    with atomic_path(target) as tmp:
        _plain(corridors).to_parquet(tmp, index=False, schema_version="1.0.0")
        table = pq.read_table(tmp)
        meta = json.dumps(release_metadata(atlas, shown), sort_keys=True)
        extra = {b"corridormap": meta.encode()}
        pq.write_table(table.replace_schema_metadata({**table.schema.metadata, **extra}), tmp)


def _write_csv(
    atlas: Atlas, corridors: gpd.GeoDataFrame, target: Path, shown: tuple[str, ...]
) -> None:
    frame = pd.DataFrame(corridors.drop(columns="geometry"))
    frame["geometry"] = shapely.to_wkt(
        corridors.geometry.to_numpy(), rounding_precision=DECIMALS, trim=True
    )
    with atomic_path(target) as tmp:
        write_csv(frame, tmp)


def _write_gpkg(
    atlas: Atlas, corridors: gpd.GeoDataFrame, target: Path, shown: tuple[str, ...]
) -> None:
    """One layer per mode, then segments, countries and places; built aside, then moved."""
    import pyogrio

    from corridormap.io import output_failed, sweep_leftovers, temp_prefix

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(target)
        staging = Path(
            tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        )
    except OSError as exc:
        raise output_failed(target, exc) from None
    try:
        tmp = staging / target.name
        layers: list[tuple[str, gpd.GeoDataFrame]] = [
            (mode, corridors[corridors["mode"] == mode])
            for mode in schema.MODES
            if (corridors["mode"] == mode).any()
        ]
        segments = atlas.segments[atlas.segments["corridor_id"].isin(corridors["corridor_id"])]
        layers += [("segments", segments), ("countries", atlas.countries), ("places", atlas.places)]
        layers += [(n, getattr(atlas, n)) for n in ("finance", "energy") if len(getattr(atlas, n))]
        meta = release_metadata(atlas, shown)
        for name, frame in layers:
            first = not tmp.exists()
            pyogrio.write_dataframe(
                _plain(frame), tmp, layer=name, driver="GPKG", append=not first,
                dataset_metadata=meta if first else None,
                dataset_options={"VERSION": GPKG_VERSION} if first else None,
                promote_to_multi=frame.geom_type.isin(["LineString", "MultiLineString",
                                                       "Polygon", "MultiPolygon"]).all(),
            )  # fmt: skip
        tables = {
            "sources": cited_sources(atlas, corridors),
            "licences": licence_table(atlas),
            "layer_styles": _layer_styles(atlas, [n for n, _ in layers], corridors),
        }
        for name, table in tables.items():
            pyogrio.write_dataframe(
                table, tmp, layer=name, driver="GPKG", append=True,
                layer_options={"FID": "id"} if name == "layer_styles" else None,
            )  # fmt: skip
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _layer_styles(atlas: Atlas, names: list[str], corridors: gpd.GeoDataFrame) -> pd.DataFrame:
    """QGIS's ``layer_styles`` rows for the line layers: one per mode layer and ``segments``."""
    from corridormap.render.qgis import layer_styles

    statuses = list(dict.fromkeys([*schema.HISTORY_STATUSES, *corridors["status"].dropna()]))
    modes = [m for m in schema.MODES if m in names]
    sketch = f'"positional_accuracy_km" > {settings.line_data_accuracy_km:g}'
    layers = {mode: ([mode], statuses, sketch) for mode in modes}
    layers["segments"] = (modes, statuses, sketch)
    when = atlas.release.as_of.isoformat() + "T00:00:00Z" if atlas.release else ""
    return layer_styles(layers, "geom", when)


# --------------------------------------------------------------------------- KML


def _kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """KML colours are aabbggrr."""
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _coords(line) -> str:
    return " ".join(f"{x:.{DECIMALS}f},{y:.{DECIMALS}f}" for x, y in np.asarray(line.coords)[:, :2])


def _value(value: object) -> str:
    from corridormap._format import missing

    if missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: object, decimals: int = 0) -> str:
    """A number with thousands separators (``1,255``); text as given; empty for missing."""
    text = _value(value)
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:,.{decimals}f}" if text else ""


def _balloon(row: dict, sources: pd.DataFrame | None = None) -> str:
    """The description balloon: a small HTML table and the sources with their links (escaped)."""
    from corridormap._format import (
        capacity_text,
        cost_text,
        esc,
        length_text,
        missing,
        revenue_kind_text,
        years_text,
    )
    from corridormap._util import split_ids
    from corridormap.render.styles import mode_label, status_label

    by_country = _value(row.get("km_by_country")).replace(";", "; ").replace(":", " ")
    if by_country:
        accuracy = row.get("positional_accuracy_km")
        by_country += " km as drawn" + ("" if missing(accuracy) else f" (±{accuracy:g} km)")
    reported = _value(row.get("km_by_country_reported")).replace(";", "; ").replace(":", " ")
    revenue = ""
    if not missing(row.get("revenue_usd_base")):
        revenue = f"USD {row['revenue_usd_base'] / 1e6:,.0f} m a year: " + revenue_kind_text(
            {"tariff_kinds": row.get("revenue_tariff_kinds")}
        )
    facts = [
        ("Mode", mode_label(row["mode"])),
        ("Status", status_label(row["status"])),
        ("Countries", _value(row["countries"]).replace(";", ", ")),
        ("Length", length_text(row) or ""),
        ("Reported by country", reported + " km" if reported else ""),
        ("Drawn by country", by_country),
        ("Capacity", capacity_text(row) or ""),
        ("Cost", cost_text(row) or ""),
        ("Operator", _value(row.get("operator"))),
        ("Dates", years_text(row) or ""),
        ("Transit revenue", revenue),
    ]
    cells = "".join(
        f"<tr><th align='left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts if v.strip()
    )
    description = esc(_value(row.get("description")))
    credit = esc("; ".join(row.get("_credits", [])))
    listed = ""
    if sources is not None:
        ids = [i for c in _source_columns(pd.DataFrame([row])) for i in split_ids(row.get(c))]
        items = []
        for source_id in dict.fromkeys(ids):
            match = sources[sources["source_id"] == source_id]
            if match.empty:
                continue
            source = match.iloc[0]
            title = esc(_value(source["title"]) or source_id)
            url = _value(source["url"])
            link = f"<a href='{esc(url)}'>{title}</a>" if url.startswith("http") else title
            when = esc(_value(source["date"]))
            items.append(f"<li>{link}{', ' + when if when else ''}</li>")
        if items:
            listed = f"<p><b>Sources</b></p><ol>{''.join(items)}</ol>"
    return f"<p>{description}</p><table>{cells}</table>{listed}<p><small>{credit}</small></p>"


def _data(parent: ET.Element, row: dict) -> None:
    extended = ET.SubElement(parent, "ExtendedData")
    for key, value in row.items():
        if key == "geometry" or key.startswith("_"):
            continue
        data = ET.SubElement(extended, "Data", name=key)
        ET.SubElement(data, "value").text = _value(value)


def _write_kml(
    atlas: Atlas, corridors: gpd.GeoDataFrame, target: Path, shown: tuple[str, ...]
) -> None:
    from corridormap.render import styles

    ns = "http://www.opengis.net/kml/2.2"
    root = ET.Element("kml", xmlns=ns)
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = "corridormap"
    meta = release_metadata(atlas, shown)
    ET.SubElement(document, "description").text = (
        f"{meta.get('data_release', 'Data release not recorded')}. "
        f"corridormap {meta['version']}, data {meta['data_hash'][:12]}."
    )
    statuses = dict.fromkeys([*schema.HISTORY_STATUSES, *corridors["status"].dropna()])
    credits = {
        corridor_id: credit_lines(atlas, shown=["lines"], segments=group)
        for corridor_id, group in atlas.segments.groupby("corridor_id", sort=False)
    }
    for mode, style in styles.MODE_STYLES.items():
        for status in statuses:
            element = ET.SubElement(document, "Style", id=f"{mode}-{status}")
            line = ET.SubElement(element, "LineStyle")
            # KML has no dashes: status shows as opacity and width (suspended: faint and thin)
            alpha = {"operational": 255, "suspended": 110}.get(status, 170)
            ET.SubElement(line, "color").text = _kml_colour(style.colour, alpha)
            width = style.weight * {"planned": 0.6, "suspended": 0.8}.get(status, 1.0)
            ET.SubElement(line, "width").text = f"{width:g}"
    for mode in schema.MODES:
        rows = corridors[corridors["mode"] == mode]
        if rows.empty:
            continue
        folder = ET.SubElement(document, "Folder")
        ET.SubElement(folder, "name").text = mode
        for row in rows.to_dict("records"):
            row["_credits"] = credits.get(row["corridor_id"], [])
            mark = ET.SubElement(folder, "Placemark", id=row["corridor_id"])
            ET.SubElement(mark, "name").text = str(row["name"])
            ET.SubElement(mark, "description").text = _balloon(row, atlas.sources)
            ET.SubElement(mark, "styleUrl").text = f"#{mode}-{row['status']}"
            _data(mark, row)
            multi = ET.SubElement(mark, "MultiGeometry")
            for part in getattr(row["geometry"], "geoms", [row["geometry"]]):
                string = ET.SubElement(multi, "LineString")
                ET.SubElement(string, "tessellate").text = "1"
                ET.SubElement(string, "coordinates").text = _coords(part)
    _kml_places(document, atlas, corridors)
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    with atomic_path(target) as tmp:
        tmp.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", encoding="utf-8")


def _kml_places(document: ET.Element, atlas: Atlas, corridors: gpd.GeoDataFrame) -> None:
    places = atlas.places[place_uses(atlas.subset(set(corridors["corridor_id"]))) > 0]
    if places.empty:
        return
    folder = ET.SubElement(document, "Folder")
    ET.SubElement(folder, "name").text = "places"
    for row in places.to_dict("records"):
        mark = ET.SubElement(folder, "Placemark", id=f"place-{row['place_id']}")
        ET.SubElement(mark, "name").text = str(row["name"])
        note = _value(row.get("note"))
        ET.SubElement(mark, "description").text = f"{row['kind'].replace('_', ' ')}. {note}".strip()
        _data(mark, row)
        point = ET.SubElement(mark, "Point")
        geometry = row["geometry"]
        ET.SubElement(
            point, "coordinates"
        ).text = f"{geometry.x:.{DECIMALS}f},{geometry.y:.{DECIMALS}f}"
