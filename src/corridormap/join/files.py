"""Read a user's points file as the best data tools do: any separator, decimal mark, encoding.

- text tables (``.csv``, ``.txt``, ``.tsv``): the encoding is UTF-8 when the bytes are, else
  told by :mod:`charset_normalizer` (a Russian-locale export in cp1251); the separator is the one
  the header uses most of ``, ; tab |`` (Excel's "CSV (semicolon)"); the decimal mark is a comma
  when the separator is not one and a cell reads like ``74,6``;
- spreadsheets (``.xlsx``, ``.xlsm``): the first sheet, or the one named;
- Parquet: a GeoParquet file by its geometry, plain Parquet by lon/lat columns;
- every other file (GeoJSON in any CRS, GeoPackage, Shapefile, FlatGeobuf, KML…): whatever GDAL
  reads (:mod:`pyogrio`), the first layer or the one named, reprojected to WGS84.

The file's first bytes win over its suffix: an ``.xlsx`` named ``.csv`` is read as a spreadsheet,
never refused as "not UTF-8". Each refusal is one :class:`~corridormap.errors.InputError` line
saying what the file is and what to do.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corridormap.errors import InputError

#: Column names read as longitude and latitude (any case), in order of preference.
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "долгота", "经度")
LAT_NAMES = ("lat", "latitude", "y", "широта", "纬度")
#: Encodings of the spreadsheet programs of the region's locales, tried after the detector's
#: guesses when none of those gives a header with coordinate columns.
LOCALE_ENCODINGS = ("cp1251", "cp1252", "cp1250", "gb18030", "koi8-r", "mac_cyrillic")
#: Separators tried on the header row, in the order that breaks ties.
SEPARATORS = (",", ";", "\t", "|")
#: Suffixes read as text tables, spreadsheets and Parquet; any other file goes to GDAL.
TEXT = {".csv", ".txt", ".tsv", ".tab"}
SPREADSHEETS = {".xlsx", ".xlsm"}
PARQUET = {".parquet", ".pq", ".geoparquet"}
#: Bytes enough to tell the encoding, the separator and the decimal mark.
SAMPLE = 1 << 16
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+\s*$")


@dataclass(frozen=True)
class ReadOptions:
    r"""How to read a points file; ``None`` means "tell from the file".

    Attributes
    ----------
    sep
        Separator of a text table (``","``, ``";"``, ``"\\t"``, ``"|"``).
    decimal
        Decimal mark of a text table (``"."`` or ``","``).
    encoding
        Encoding of a text table (``"utf-8"``, ``"cp1251"``…).
    sheet
        Sheet of a spreadsheet or layer of a GDAL dataset: its name, or its position from 1.
    """

    sep: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class Table:
    """A points file as read: the frame, how its rows are numbered and how it was read."""

    frame: pd.DataFrame
    #: ``"row"`` (a spreadsheet's numbering, header = row 1), ``"feature"`` (from 1) or
    #: ``"index"`` (the frame's index).
    numbering: str
    #: How the file was read, for a note: ``"cp1251 text, ';'-separated, decimal ','"``.
    how: str = ""
    #: The decimal mark of a text table (coordinates written as text are read with it).
    decimal: str = "."
    #: Why a row's geometry is no point (GDAL formats, GeoParquet); missing where it is one.
    invalid: pd.Series | None = None


def kind_of(path: Path) -> str:
    """``text``, ``xlsx``, ``xls``, ``parquet`` or ``vector``: by first bytes, else suffix."""
    if path.is_dir():
        return "parquet"
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"  # an OLE2 compound file: Excel 97-2003
    if head.startswith(b"PK\x03\x04") and path.suffix.lower() in TEXT | SPREADSHEETS:
        return "xlsx"
    if head.startswith(b"SQLite format 3"[:8]):
        return "vector"
    suffix = path.suffix.lower()
    if suffix in TEXT or suffix == "":
        return "text"
    if suffix in SPREADSHEETS:
        return "xlsx"
    if suffix in {".xls", ".ods", ".numbers"}:
        return "xls"
    if suffix in PARQUET:
        return "parquet"
    return "vector"


def read_file(path: Path, where: str, options: ReadOptions) -> Table:
    """Read a points file of any kind (see the module docstring); errors as InputError lines."""
    kind = kind_of(path)
    if kind == "xls":
        raise InputError(
            f"{where}: is a {path.suffix or 'legacy'} spreadsheet, which corridormap does not "
            "read; open it and save it as .xlsx (Excel workbook) or CSV"
        )
    if kind == "text":
        return read_text_table(path, where, options)
    if kind == "xlsx":
        return read_spreadsheet(path, where, options)
    if kind == "parquet":
        return read_parquet(path, where)
    return read_vector(path, where, options)


# --------------------------------------------------------------------------- text tables


def decode(raw: bytes, where: str, encoding: str | None) -> tuple[str, str]:
    """The text of ``raw`` and the encoding used: ``encoding``, else UTF-8, else the detected."""
    from corridormap.io import not_utf8

    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise InputError(
                f"{where}: --encoding {encoding!r} is not an encoding Python knows"
            ) from None
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise InputError(
                f"{where}: is not {encoding} text (byte {raw[exc.start]:#x} on line {line}); "
                "leave out --encoding to have it detected"
            ) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    guesses = [m.encoding for m in charset_normalizer.from_bytes(raw[: SAMPLE * 4])]
    decoded = []
    for candidate in dict.fromkeys([*guesses, *LOCALE_ENCODINGS]):
        try:
            text = raw.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if _names_coordinates(text):  # a header that names lon and lat settles it
            return text, candidate
        decoded.append((text, candidate))
    if guesses and decoded and decoded[0][1] == guesses[0]:
        return decoded[0]
    reason = not_utf8(raw).removesuffix("; save it as UTF-8")
    raise InputError(
        f"{where}: {reason} and its encoding cannot be told; give it with --encoding "
        "(e.g. cp1251) or save the file as UTF-8"
    )


def _names_coordinates(text: str) -> bool:
    """Whether the first line names a longitude and a latitude column (any separator)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    cells = {c.strip().strip('"').strip().lower() for c in re.split(r"[,;\t|]", header)}
    return bool(cells & set(LON_NAMES)) and bool(cells & set(LAT_NAMES))


def sniff_separator(text: str) -> str:
    """The separator the header row uses most (quoted text aside); ``,`` if it uses none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def sniff_decimal(text: str, sep: str) -> str:
    """``,`` when the separator is not a comma and number cells read like ``74,6``; else ``.``."""
    if sep == ",":
        return "."
    comma = point = 0
    reader = csv.reader(io.StringIO(text[:SAMPLE]), delimiter=sep)
    for number, row in enumerate(reader):
        if number > 200:
            break
        for cell in row:
            comma += bool(_DECIMAL_COMMA.match(cell))
            point += bool(_DECIMAL_POINT.match(cell))
    return "," if comma > point else "."


def read_text_table(path: Path, where: str, options: ReadOptions) -> Table:
    """A delimited text file, its encoding, separator and decimal mark told or given."""
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{where}: is empty (no header row with lon and lat)")
    text, encoding = decode(raw, where, options.encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    sep = options.sep if options.sep is not None else sniff_separator(text)
    sep = "\t" if sep in {"\\t", "tab"} else sep
    decimal = options.decimal if options.decimal is not None else sniff_decimal(text, sep)
    if decimal == sep:
        raise InputError(f"{where}: the decimal mark and the separator are both {sep!r}")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal)
    except (ValueError, csv.Error) as exc:
        first = str(exc).splitlines()[0] if str(exc).strip() else ""
        first = first.removeprefix("Error tokenizing data. C error: ")
        raise InputError(
            f"{where}: cannot read points ({type(exc).__name__}: {first[:120]})"
        ) from None
    shown = {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(sep, repr(sep))
    plain = (encoding, sep, decimal) == ("utf-8", ",", ".")
    how = "" if plain else f"{encoding} text, {shown}-separated, decimal {decimal!r}"
    return Table(frame, "row", how=how, decimal=decimal)


# --------------------------------------------------------------------------- spreadsheets


def read_spreadsheet(path: Path, where: str, options: ReadOptions) -> Table:
    """The first sheet of a workbook, or the one named (or numbered from 1) by ``sheet``."""
    try:
        import openpyxl
    except ImportError:
        from corridormap.errors import MissingDependencyError

        raise MissingDependencyError(
            f"{where}: reading a spreadsheet needs openpyxl: pip install openpyxl"
        ) from None
    data = path.read_bytes()  # openpyxl judges a file name by its suffix; bytes are bytes
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"{where}: cannot be read as an Excel workbook ({type(exc).__name__}); open it and "
            "save it again as .xlsx or CSV"
        ) from None
    names = list(book.sheetnames)
    book.close()
    chosen = _choose(names, options.sheet, where, "sheet")
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=chosen, engine="openpyxl")
    except (ValueError, OSError) as exc:
        raise InputError(f"{where}: sheet {chosen!r} cannot be read ({exc})") from None
    how = f"sheet {chosen!r}" + (
        f" (first of {len(names)}; --sheet to choose)"
        if len(names) > 1 and options.sheet is None
        else ""
    )
    # a cell typed as text in a comma-decimal locale ("74,6") is read by its look ("auto")
    return Table(frame, "row", how=how, decimal=options.decimal or "auto")


def _choose(names: list[str], wanted: str | None, where: str, what: str) -> str:
    """A sheet or layer by name, or by position from 1; the first when none is asked for."""
    if not names:
        raise InputError(f"{where}: holds no {what}s")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise InputError(f"{where}: no {what} {wanted!r}; it has {', '.join(map(repr, names))}")


# --------------------------------------------------------------------------- Parquet and GDAL


def read_parquet(path: Path, where: str) -> Table:
    """GeoParquet by its geometry (reprojected), plain Parquet (or a folder of parts) as a table."""
    try:
        import pyarrow.parquet as pq

        if path.is_file() and b"geo" in (pq.read_schema(path).metadata or {}):
            import geopandas as gpd

            return _from_geometry(gpd.read_parquet(path), where, "GeoParquet")
        return Table(pd.read_parquet(path), "index", how="Parquet")
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc).strip() else ""
        raise InputError(
            f"{where}: cannot read points as Parquet ({type(exc).__name__}: {first[:120]})"
        ) from None


def read_vector(path: Path, where: str, options: ReadOptions) -> Table:
    """Any vector format GDAL reads, the first layer or the one named, reprojected to WGS84."""
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio.errors.DataSourceError and kin
        raise InputError(
            f"{where}: is not a points table corridormap reads (CSV, .xlsx, Parquet, or a vector "
            f"format GDAL reads: {' '.join(str(exc).split())[:120]})"
        ) from None
    layer = _choose(layers, options.sheet, where, "layer")
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputError(
            f"{where}: layer {layer!r} cannot be read ({' '.join(str(exc).split())[:160]})"
        ) from None
    import geopandas as gpd

    kind = pyogrio.read_info(path, layer=layer).get("driver", "GDAL")
    note = f"{kind} layer {layer!r}" + (
        f" (first of {len(layers)}; --sheet to choose)"
        if len(layers) > 1 and options.sheet is None
        else ""
    )
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        return Table(
            pd.DataFrame(frame.drop(columns="geometry", errors="ignore")), "feature", how=note
        )
    return _from_geometry(frame, where, note)


def _from_geometry(frame, where: str, note: str) -> Table:
    """Points of a GeoDataFrame as lon/lat columns in WGS84; other geometries are invalid rows."""
    import numpy as np
    import shapely

    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        note += f", reprojected from {frame.crs.to_string()}"
        frame = frame.to_crs("EPSG:4326")
        # a round trip through a projection leaves 74.59999999999998: 1e-9 degrees is 0.1 mm
        frame = frame.set_geometry(shapely.set_precision(frame.geometry.to_numpy(), 1e-9))
    geometry = frame.geometry.to_numpy()
    point = (shapely.get_type_id(geometry) == 0) & ~shapely.is_empty(geometry)
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    x[point] = shapely.get_x(geometry[point])
    y[point] = shapely.get_y(geometry[point])
    kinds = [
        None
        if ok
        else "has no geometry"
        if g is None
        else "has an empty geometry"
        if shapely.is_empty(g)
        else f"is a {g.geom_type}, not a point"
        for ok, g in zip(point, geometry, strict=True)
    ]
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table["lon"], table["lat"] = x, y
    return Table(
        table, "feature", how=note, invalid=pd.Series(kinds, index=frame.index, dtype=object)
    )
