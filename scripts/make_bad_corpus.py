"""Write the corpus of broken inputs in ``tests/data/bad/`` and its manifest ``cases.json``.

Each case is one input file with one defect, made from a copy of the real file (``geo/``,
``data/``, ``maps/specs/``) so that the defect is the only thing wrong with it. The manifest says
which command reads the file, where it goes, and what the command must do with it;
``tests/test_bad_inputs.py`` runs every case through the real command line.

Manifest fields, per case:

``id``
    The case's name; its file is ``tests/data/bad/<id>/<file name>``.
``command``
    ``validate``, ``revenue`` or ``map`` (the file replaces ``replaces`` in a copy of ``geo/`` and
    ``data/``), ``brief`` (the file is the spec) or ``join-points`` (the file is the input).
``replaces``
    For the data commands, the file of the copy the case replaces (``geo/railways.geojson``).
``outcome``
    ``error``: exit code 1, and one ``error:`` line holds every string of ``expect``;
    ``warning``: accepted (exit 0), and one ``warning:`` line holds every string of ``expect``;
    ``ok``: accepted (exit 0) with no warning at all.
``expect``
    Strings that one line must all contain: the file, the feature or row, and what is wrong.
``out_exists``
    For commands that write (``brief``, ``join-points``, ``map``): whether the output already
    exists before the run; a failed run must leave it byte-identical (or absent).
``out``
    For the path cases (ids ``out_*``): what ``--out`` (``--map`` for ``diff``) names instead of
    a good place: ``folder`` (an existing folder where a file is written), ``file`` (an existing
    file where a folder is written), ``under_file`` (a path inside a file, so its folder cannot
    be made) or ``unwritable`` (a folder nobody may write in: ``/sys``). The inputs are good
    (the real atlas, a good spec or points), so the path is the only thing wrong.
``generated``
    Cases too large to commit (the 50 MB layer, the 360 KB countries layer) have no file; the test
    builds them in a temporary folder with :func:`build`.

Decisions recorded here: a UTF-8 byte-order mark is accepted with a warning (spreadsheet programs
write one); HTML or script in a text field is accepted (every output escapes it); a line that
crosses itself is accepted with a warning (mountain railways do loop over themselves); a file
over ``settings.max_input_mb`` (20 MB) is refused before it is read.

Usage::

    python scripts/make_bad_corpus.py          # rewrite tests/data/bad/
    python scripts/make_bad_corpus.py --check  # exit 1 if tests/data/bad/ is out of date

Output is deterministic: the same geo/, data/ and specs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "bad"
MANIFEST = "cases.json"
SPEC = ROOT / "maps" / "specs" / "cku-fergana.toml"
HUGE_MB = 50


@dataclass
class Case:
    """One broken input: what reads it, what it must do, and how to make the file."""

    id: str
    command: str
    outcome: str
    expect: list[str]
    why: str
    replaces: str | None = None
    make: Callable[[], bytes] | None = field(default=None, repr=False)
    generated: bool = False
    out_exists: bool = False
    out: str | None = None

    @property
    def file(self) -> str | None:
        """Name of the case's file: the name of the file it replaces, or spec/points."""
        if self.command in {"map", "export", "diff"} and self.replaces is None:
            return None  # a path case of a command that reads only the atlas
        if self.command == "brief":
            return "spec.toml"
        if self.command == "join-points":
            return "points.csv"
        return Path(self.replaces).name

    def entry(self) -> dict:
        """The case's manifest entry."""
        entry = {
            "id": self.id,
            "command": self.command,
            "file": None if self.generated or self.file is None else f"{self.id}/{self.file}",
            "replaces": self.replaces,
            "outcome": self.outcome,
            "exit_code": 1 if self.outcome == "error" else 0,
            "expect": self.expect,
            "why": self.why,
        }
        if self.command in {"brief", "join-points", "map"}:
            entry["out_exists"] = self.out_exists
        if self.generated:
            entry["generated"] = True
        if self.out is not None:
            entry["out"] = self.out
        return entry


# --------------------------------------------------------------------------- the real files


def _raw(rel: str) -> bytes:
    return (ROOT / rel).read_bytes()


def _text(rel: str) -> str:
    return _raw(rel).decode("utf-8")


def layer(name: str) -> dict:
    """A layer of geo/ as parsed JSON (a fresh copy each call)."""
    return json.loads(_text(f"geo/{name}.geojson"))


def dump_layer(doc: dict, **extra) -> bytes:
    """A layer in the repository's layout: one feature a line (NaN/Infinity written as-is)."""
    head = {k: v for k, v in doc.items() if k != "features"} | extra
    opening = json.dumps(head, separators=(",", ":"), ensure_ascii=False)[:-1]
    features = ",\n".join(
        json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in doc["features"]
    )
    return f'{opening},"features":[\n{features}\n]}}\n'.encode()


def rows(table: str) -> list[list[str]]:
    """A table of data/ as CSV rows, the header first."""
    return list(csv.reader(io.StringIO(_text(f"data/{table}.csv"))))


def dump_rows(table_rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table_rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def edit(table: str, row_id: str, column: str, value: str) -> bytes:
    """The table with one cell changed (the row found by its first column)."""
    table_rows = rows(table)
    col = table_rows[0].index(column)
    hits = [r for r in table_rows[1:] if r[0] == row_id]
    assert hits, (table, row_id)
    hits[0][col] = value
    return dump_rows(table_rows)


def edit_feature(name: str, number: int, change: Callable[[dict], None]) -> bytes:
    """The layer with feature ``number`` (from 1) changed in place by ``change``."""
    doc = layer(name)
    change(doc["features"][number - 1])
    return dump_layer(doc)


def with_row(table: str, row: list[str]) -> bytes:
    return dump_rows([*rows(table), row])


def duplicate_row(table: str, number: int) -> bytes:
    table_rows = rows(table)
    return dump_rows([*table_rows, list(table_rows[number])])


def coords(value) -> Callable[[dict], None]:
    def change(feature: dict) -> None:
        feature["geometry"]["coordinates"] = value(feature["geometry"]["coordinates"])

    return change


def spec(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def points(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


# --------------------------------------------------------------------------- cases

POINT = {"type": "Point", "coordinates": [73.0, 40.9]}
NO_LINE = {"type": "LineString", "coordinates": []}
EMPTY_PART = {"type": "MultiLineString", "coordinates": [[[73.0, 40.93333], [72.98, 40.8]], []]}
MERCATOR = {"type": "name", "properties": {"name": "EPSG:3857"}}
DEEP = b"[" * 50_000 + b"]" * 50_000


def _first_id(name: str, key: str) -> str:
    """The id of feature 1 of a layer (read, not typed in: the layers get re-sorted)."""
    return layer(name)["features"][0]["properties"][key]


RAIL_1 = _first_id("railways", "segment_id")
ROAD_1 = _first_id("highways", "segment_id")
PLACE_1 = _first_id("places", "place_id")
SCRIPT = "<script>alert('x')</script><b onmouseover=alert(1)>bold</b> & \"quotes\""
LONG = "x" * 100_000


def _geo_cases() -> list[Case]:
    rail, road, pipe, places = (
        f"geo/{n}.geojson" for n in ("railways", "highways", "pipelines", "places")
    )
    good = _raw(rail)
    first_pipe = layer("pipelines")["features"][0]["properties"]["segment_id"]

    def swap(c):
        return [[lat, lon] for lon, lat in c]

    def loop(c):
        # a figure of eight: back across the first edge, inside the region
        (x0, y0), (x1, y1) = c[0], c[1]
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        return [
            *c,
            [round(mid[0] + 0.05, 5), round(mid[1] + 0.05, 5)],
            [round(mid[0] - 0.05, 5), round(mid[1] - 0.05, 5)],
        ]

    def dup_segment():
        doc = layer("railways")
        doc["features"][1]["properties"]["segment_id"] = RAIL_1
        return dump_layer(doc)

    def across_layers():
        doc = layer("highways")
        doc["features"][0]["properties"]["segment_id"] = RAIL_1
        doc["features"][0]["properties"]["corridor_id"] = "cku_railway"
        return dump_layer(doc)

    def orphan_feature():
        doc = layer("highways")
        extra = json.loads(json.dumps(doc["features"][0]))
        extra["properties"]["segment_id"] = "cku_highway__nowhere"
        doc["features"].append(extra)
        return dump_layer(doc)

    def dup_place():
        doc = layer("places")
        doc["features"][1]["properties"]["place_id"] = PLACE_1
        return dump_layer(doc)

    def props(**values):
        return lambda f: f["properties"].update(values)

    def geometry(value):
        return lambda f: f.__setitem__("geometry", value)

    def nan(c):
        c[1][1] = float("nan")
        return c

    def inf(c):
        c[0][0] = float("inf")
        return c

    def metres(c):
        return [[round(x * 111_320, 1), round(y * 111_320, 1)] for x, y in c]

    def strings(c):
        return [[str(v) for v in p] for p in c]

    def drop_first_rail():
        doc = layer("railways")
        return dump_layer({**doc, "features": doc["features"][1:]})

    # fmt: off
    return [
        Case("geo_invalid_json", "validate", "error",
             ["places.geojson", "not valid JSON", "line 2"],
             "a stray comma after the first feature", places,
             lambda: _raw(places).replace(b"}},\n", b"}},,\n", 1)),
        Case("geo_truncated", "validate", "error",
             ["railways.geojson", "not valid JSON", "ends early"],
             "the file cut in the middle of a feature", rail,
             lambda: good[: len(good) // 2]),
        Case("geo_empty_file", "validate", "error",
             ["highways.geojson", "is empty (0 bytes)"],
             "0 bytes", road,
             lambda: b""),
        Case("geo_whitespace_only", "validate", "error",
             ["pipelines.geojson", "is empty (only blank lines)"],
             "nothing but blank lines", pipe,
             lambda: b"\n\n  \n"),
        Case("geo_not_feature_collection", "validate", "error",
             ["railways.geojson", "not a GeoJSON FeatureCollection"],
             "a bare list of features", rail,
             lambda: json.dumps(layer("railways")["features"]).encode()),
        Case("geo_wrong_geometry_type", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "geometry type 'Point'"],
             "a segment drawn as a point", rail,
             lambda: edit_feature("railways", 1, geometry(POINT))),
        Case("geo_self_intersecting_line", "validate", "warning",
             ["railways.geojson", "feature 1", RAIL_1, "crosses or retraces itself"],
             "a figure of eight: accepted (real lines loop) but flagged", rail,
             lambda: edit_feature("railways", 1, coords(loop))),
        Case("geo_self_intersecting_polygon", "validate", "error",
             ["countries.geojson", "iso3=KGZ", "Self-intersection"],
             "a bow-tie country outline", "geo/countries.geojson",
             generated=True),
        Case("geo_empty_geometry", "validate", "error",
             ["highways.geojson", "feature 1", ROAD_1, "geometry is empty"],
             "a LineString without coordinates", road,
             lambda: edit_feature("highways", 1, geometry(NO_LINE))),
        Case("geo_null_geometry", "validate", "error",
             ["pipelines.geojson", "feature 1", first_pipe, "no geometry"],
             "geometry: null (allowed by RFC 7946, not in the atlas)", pipe,
             lambda: edit_feature("pipelines", 1, geometry(None))),
        Case("geo_one_point_line", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "fewer than two positions"],
             "a LineString with one position", rail,
             lambda: edit_feature("railways", 1, coords(lambda c: c[:1]))),
        Case("geo_crs_declared", "validate", "error",
             ["highways.geojson", "'crs' member", "EPSG:3857"],
             "Web Mercator metres with a crs member saying so", road,
             lambda: dump_layer(_metres_layer("highways", metres), crs=MERCATOR)),
        Case("geo_projected_undeclared", "validate", "error",
             ["pipelines.geojson", "feature 1", first_pipe, "projected metres"],
             "metre coordinates with no crs member", pipe,
             lambda: dump_layer(_metres_layer("pipelines", metres))),
        Case("geo_lonlat_swapped", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "lat/lon swapped"],
             "[lat, lon] order", rail,
             lambda: edit_feature("railways", 1, coords(swap))),
        Case("geo_out_of_range", "validate", "error",
             ["places.geojson", "feature 1", PLACE_1, "out of range"],
             "longitude 251", places,
             lambda: edit_feature("places", 1, coords(lambda c: [c[0] + 200, c[1]]))),
        Case("geo_outside_region", "validate", "error",
             ["places.geojson", "feature 1", PLACE_1, "outside the region"],
             "a point in the Atlantic", places,
             lambda: edit_feature("places", 1, coords(lambda c: [-30.0, 10.0]))),
        Case("geo_nan_coordinate", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "not a finite number"],
             "a NaN latitude (JSON extension)", rail,
             lambda: edit_feature("railways", 1, coords(nan))),
        Case("geo_infinity_coordinate", "validate", "error",
             ["highways.geojson", "feature 1", ROAD_1, "not a finite number"],
             "an Infinity longitude (JSON extension)", road,
             lambda: edit_feature("highways", 1, coords(inf))),
        Case("geo_string_coordinate", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "malformed coordinates"],
             "a coordinate given as a string", rail,
             lambda: edit_feature("railways", 1, coords(strings))),
        Case("geo_huge_integer_coordinate", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "not a finite number"],
             "a 400-digit integer longitude (too large for a float)", rail,
             lambda: edit_feature("railways", 1, coords(lambda c: [[10**400, c[0][1]], *c[1:]]))),
        Case("geo_multiline_empty_part", "validate", "error",
             ["railways.geojson", "feature 1", RAIL_1, "cannot be read", "empty component"],
             "a MultiLineString with an empty part", rail,
             lambda: edit_feature("railways", 1, geometry(EMPTY_PART))),
        Case("geo_deep_nesting", "validate", "error",
             ["places.geojson", "nested too deeply"],
             "50,000 nested arrays (the JSON parser's recursion limit)", places,
             lambda: b'{"type":"FeatureCollection","features":' + DEEP + b"}"),
        Case("geo_numeric_id", "validate", "error",
             ["railways.geojson", "feature 1", "'segment_id'", "123 is not text"],
             "a segment_id given as a number", rail,
             lambda: edit_feature("railways", 1, props(segment_id=123))),
        Case("geo_duplicate_segment_id", "validate", "error",
             ["railways.geojson", "feature 2", RAIL_1, "more than once"],
             "two features with one segment_id", rail,
             dup_segment),
        Case("geo_segment_id_in_two_layers", "validate", "error",
             ["highways.geojson", RAIL_1, "also appears in railways"],
             "one segment_id in railways and highways", road,
             across_layers),
        Case("geo_orphan_feature", "validate", "error",
             ["highways.geojson", "cku_highway__nowhere", "no row in segments.csv"],
             "a feature with no row in segments.csv", road,
             orphan_feature),
        Case("geo_orphan_row", "validate", "error",
             ["segments.csv", RAIL_1, "no feature"],
             "a feature deleted, its segments.csv row left", rail,
             drop_first_rail),
        Case("geo_duplicate_place_id", "validate", "error",
             ["places.geojson", "feature 2", PLACE_1, "more than once"],
             "two places with one place_id", places,
             dup_place),
        Case("geo_unknown_place_kind", "validate", "error",
             ["places.geojson", "feature 1", PLACE_1, "'kind'", "harbour"],
             "a kind not in the vocabulary", places,
             lambda: edit_feature("places", 1, props(kind="harbour"))),
        Case("geo_unknown_place_source", "validate", "error",
             ["places.geojson", PLACE_1, "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", places,
             lambda: edit_feature("places", 1, props(source="no_such_source"))),
        Case("geo_negative_accuracy", "validate", "error",
             ["places.geojson", "feature 1", PLACE_1, "positional_accuracy_km", "negative"],
             "a negative number", places,
             lambda: edit_feature("places", 1, props(positional_accuracy_km=-3))),
        Case("geo_bom", "validate", "warning",
             ["railways.geojson", "byte-order mark"],
             "a UTF-8 byte-order mark: accepted", rail,
             lambda: b"\xef\xbb\xbf" + good),
        Case("geo_latin1", "validate", "error",
             ["places.geojson", "not UTF-8", "line 2"],
             "a name saved as Latin-1", places,
             lambda: dump_layer(_latin1_place()).replace("Caf\u00e9".encode(), b"Caf\xe9")),
        Case("geo_html_in_text", "validate", "ok",
             [],
             "script and markup in a place name and note: accepted, escaped on output", places,
             lambda: edit_feature("places", 1, props(name=SCRIPT[:200], note=SCRIPT))),
        Case("geo_long_string", "validate", "error",
             ["places.geojson", "feature 1", PLACE_1, "'note'", "too long"],
             "a 100,000-character note", places,
             lambda: edit_feature("places", 1, props(note=LONG))),
        Case("geo_huge_file", "validate", "error",
             ["railways.geojson", "50.0 MB", "larger than"],
             f"a {HUGE_MB} MB layer (built at test time)", rail,
             generated=True),
        Case("map_broken_layer", "map", "error",
             ["railways.geojson", "not valid JSON"],
             "map refuses a truncated layer and writes nothing", rail,
             lambda: good[: len(good) // 2]),
        Case("map_broken_layer_keeps_old_map", "map", "error",
             ["railways.geojson", "lat/lon swapped"],
             "a failed map run leaves the previous map", rail,
             lambda: edit_feature("railways", 1, coords(swap)), out_exists=True),
    ]
    # fmt: on


def _metres_layer(name: str, metres) -> dict:
    doc = layer(name)
    for feature in doc["features"]:
        feature["geometry"]["coordinates"] = metres(feature["geometry"]["coordinates"])
    return doc


def _latin1_place() -> dict:
    doc = layer("places")
    doc["features"][0]["properties"]["note"] = "Caf\u00e9 at the quay"
    return doc


def _table_cases() -> list[Case]:
    projects, segments, sources = "data/projects.csv", "data/segments.csv", "data/sources.csv"
    history, indicators = "data/status_history.csv", "data/indicators.csv"
    tariffs, fx = "data/tariffs.csv", "data/fx.csv"
    seg = rows("segments")[1][0]  # the first segment row
    seg_row = rows("segments")[1]
    src = rows("sources")[1][0]
    first_tariff = rows("tariffs")[1][0]
    text = _text(projects)
    columns = text.split("\n", 1)[0].count(",") + 1  # the header's cells

    def latin1_projects():
        table_rows = rows("projects")
        table_rows[3][table_rows[0].index("note")] = "Caf\u00e9 stop at \u00dcr\u00fcmqi"
        return dump_rows(table_rows, encoding="latin-1")

    def orphan_row():
        row = list(seg_row)
        row[0] = seg_row[1] + "__phantom"
        return with_row("segments", row)

    def latin1_tariffs():
        text = _raw(tariffs).decode().encode("latin-1", errors="replace")
        return text.replace(b"about", b"\xe0 peu pr\xe8s", 1)

    def truncated():
        cut = text.index('"', len(text) // 2) + 5  # inside a quoted cell
        return text[:cut].encode()

    # fmt: off
    return [
        Case("projects_duplicate_corridor_id", "validate", "error",
             ["projects.csv", "row 16", "cku_railway", "more than once"],
             "the first row repeated at the end", projects,
             lambda: duplicate_row("projects", 1)),
        Case("projects_header_only", "validate", "error",
             ["projects.csv", "has no rows (only its header)"],
             "every row deleted, the header kept: one line, not one per feature that names a "
             "corridor", projects,
             lambda: dump_rows(rows("projects")[:1])),
        Case("projects_unknown_status", "validate", "error",
             ["projects.csv", "corridor_id=cku_railway", "'status'", "operatonal", "operational"],
             "a misspelt status", projects,
             lambda: edit("projects", "cku_railway", "status", "operatonal")),
        Case("projects_unknown_mode", "validate", "error",
             ["projects.csv", "corridor_id=cagp_d", "'mode'", "canal"],
             "a mode not in the vocabulary", projects,
             lambda: edit("projects", "cagp_d", "mode", "canal")),
        Case("projects_negative_length", "validate", "error",
             ["projects.csv", "corridor_id=cagp_abc", "length_km_reported", "negative"],
             "a negative length", projects,
             lambda: edit("projects", "cagp_abc", "length_km_reported", "-5")),
        Case("projects_non_numeric_cost", "validate", "error",
             ["projects.csv", "corridor_id=kz_cn_oil", "cost_usd_m", "not a number"],
             "prose in a number column", projects,
             lambda: edit("projects", "kz_cn_oil", "cost_usd_m", "about 3bn")),
        Case("projects_nan_cost", "validate", "error",
             ["projects.csv", "corridor_id=kz_cn_oil", "cost_usd_m",
              "'NaN' is not a finite number"],
             "the text NaN in a number column (pandas would read it as an empty cell)", projects,
             lambda: edit("projects", "kz_cn_oil", "cost_usd_m", "NaN")),
        Case("projects_infinite_cost", "validate", "error",
             ["projects.csv", "corridor_id=kz_cn_oil", "cost_usd_m",
              "'inf' is not a finite number"],
             "inf in a number column", projects,
             lambda: edit("projects", "kz_cn_oil", "cost_usd_m", "inf")),
        Case("projects_unknown_source", "validate", "error",
             ["projects.csv", "corridor_id=cku_railway", "cost_source",
              "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", projects,
             lambda: edit("projects", "cku_railway", "cost_source", "no_such_source")),
        Case("projects_missing_column", "validate", "error",
             ["projects.csv", "missing column 'status'"],
             "the status column renamed", projects,
             lambda: text.replace(",status,", ",state,", 1).encode()),
        Case("projects_ragged_row", "validate", "error",
             ["projects.csv", "row 2", f"{columns + 1} cells but the header has {columns}"],
             "a row with one cell too many", projects,
             lambda: text.replace("\ncku_railway,", "\ncku_railway,extra,", 1).encode()),
        Case("projects_truncated", "validate", "error",
             ["projects.csv", "ends inside a quoted cell"],
             "the file cut inside a quoted cell", projects,
             truncated),
        Case("projects_empty_file", "validate", "error",
             ["projects.csv", "is empty (0 bytes)"],
             "0 bytes", projects,
             lambda: b""),
        Case("projects_latin1", "validate", "error",
             ["projects.csv", "not UTF-8", "line 4"],
             "saved as Latin-1 by a spreadsheet", projects,
             latin1_projects),
        Case("projects_bom", "validate", "warning",
             ["projects.csv", "byte-order mark"],
             "a UTF-8 byte-order mark: accepted", projects,
             lambda: b"\xef\xbb\xbf" + text.encode()),
        Case("projects_html_in_text", "validate", "ok",
             [],
             "script and markup in name and description: accepted, escaped on output", projects,
             lambda: _edit_row("projects", 1, "name", "CKU " + SCRIPT, description=SCRIPT)),
        Case("projects_long_string", "validate", "error",
             ["projects.csv", "corridor_id=cku_railway", "'note'", "too long (100000 characters)"],
             "a 100,000-character note", projects,
             lambda: edit("projects", "cku_railway", "note", LONG)),
        Case("projects_bad_year", "validate", "error",
             ["projects.csv", "corridor_id=cku_highway", "opened", "outside"],
             "an implausible year", projects,
             lambda: edit("projects", "cku_highway", "opened", "1018")),
        Case("segments_duplicate_segment_id", "validate", "error",
             ["segments.csv", seg, "more than once"],
             "a segment row repeated", segments,
             lambda: duplicate_row("segments", 1)),
        Case("segments_orphan_row", "validate", "error",
             ["segments.csv", seg_row[1] + "__phantom", "no feature"],
             "a row with no feature in the line layers", segments,
             orphan_row),
        Case("segments_unknown_status", "validate", "error",
             ["segments.csv", f"segment_id={seg}", "'status'", "built"],
             "a status not in the vocabulary", segments,
             lambda: edit("segments", seg, "status", "built")),
        Case("segments_negative_accuracy", "validate", "error",
             ["segments.csv", f"segment_id={seg}", "positional_accuracy_km", "negative"],
             "a negative accuracy", segments,
             lambda: edit("segments", seg, "positional_accuracy_km", "-1")),
        Case("segments_non_numeric_gauge", "validate", "error",
             ["segments.csv", f"segment_id={seg}", "gauge_mm", "not a whole number"],
             "a gauge in words", segments,
             lambda: edit("segments", seg, "gauge_mm", "standard")),
        Case("segments_unknown_corridor", "validate", "error",
             ["segments.csv", f"row {len(rows('segments')) + 1}", "'corridor_id'",
              "unknown corridor 'no_such_corridor' (not in projects.csv)"],
             "a row naming a corridor that does not exist", segments,
             lambda: with_row("segments", ["nowhere__x", "no_such_corridor", *seg_row[2:]]),
             ),
        Case("segments_empty_file", "validate", "error",
             ["segments.csv", "is empty (0 bytes)"],
             "0 bytes", segments,
             lambda: b""),
        Case("sources_duplicate_source_id", "validate", "error",
             ["sources.csv", src, "more than once"],
             "a source row repeated", sources,
             lambda: duplicate_row("sources", 1)),
        Case("sources_bad_url", "validate", "error",
             ["sources.csv", f"source_id={src}", "'url'", "http(s) URL"],
             "a javascript: URL", sources,
             lambda: edit("sources", src, "url", "javascript:alert(1)")),
        Case("sources_latin1", "validate", "error",
             ["sources.csv", "not UTF-8"],
             "a row appended in Latin-1", sources,
             lambda: _raw(sources) + "x_2020_cafe,Caf\u00e9,,,,,,\n".encode("latin-1")),
        Case("sources_bom", "validate", "warning",
             ["sources.csv", "byte-order mark"],
             "a UTF-8 byte-order mark: accepted", sources,
             lambda: b"\xef\xbb\xbf" + _raw(sources)),
        Case("status_history_unknown_status", "validate", "error",
             ["status_history.csv", "row 2", "corridor_id=cku_railway", "'status'", "paused"],
             "a status not in the vocabulary", history,
             lambda: _edit_row("status_history", 1, "status", "paused")),
        Case("status_history_bad_date", "validate", "error",
             ["status_history.csv", "row 2", "'date'", "June 2024"],
             "a date in words", history,
             lambda: _edit_row("status_history", 1, "date", "June 2024")),
        Case("status_history_semicolons", "validate", "error",
             ["status_history.csv", "uses ';' between cells"],
             "saved by a spreadsheet with ';' as separator", history,
             lambda: dump_rows(rows("status_history")).replace(b",", b";")),
        Case("status_history_unknown_segment", "validate", "error",
             ["status_history.csv", "row 2", "'segment_id'",
              "unknown segment 'cku_railway__nowhere' (not in segments.csv)"],
             "a segment that does not exist", history,
             lambda: _edit_row("status_history", 1, "segment_id", "cku_railway__nowhere")),
        Case("status_history_unknown_source", "validate", "error",
             ["status_history.csv", "row 2", "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", history,
             lambda: _edit_row("status_history", 1, "source_id", "no_such_source")),
        Case("indicators_non_numeric_value", "validate", "error",
             ["indicators.csv", "row 2", "indicator=cku_transit_revenue_kgz", "'value'",
              "not a number"],
             "a value with a tilde", indicators,
             lambda: _edit_row("indicators", 1, "value", "~200")),
        Case("indicators_unknown_kind", "validate", "error",
             ["indicators.csv", "row 2", "'kind'", "guess"],
             "a kind not in the vocabulary", indicators,
             lambda: _edit_row("indicators", 1, "kind", "guess")),
        Case("indicators_unknown_source", "validate", "error",
             ["indicators.csv", "row 2", "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", indicators,
             lambda: _edit_row("indicators", 1, "source_id", "no_such_source")),
        Case("tariffs_negative_volume", "revenue", "error",
             ["tariffs.csv", "row 2", f"tariff_id={first_tariff}", "volume_low", "negative"],
             "a negative volume", tariffs,
             lambda: edit("tariffs", first_tariff, "volume_low", "-7")),
        Case("tariffs_non_numeric_tariff", "revenue", "error",
             ["tariffs.csv", "row 2", f"tariff_id={first_tariff}", "tariff_base", "not a number"],
             "a tariff with its unit typed in", tariffs,
             lambda: edit("tariffs", first_tariff, "tariff_base", "0.065 USD")),
        Case("tariffs_unknown_corridor", "revenue", "error",
             ["tariffs.csv", "row 2", "unknown corridor 'no_such_corridor'"],
             "a corridor not in projects.csv", tariffs,
             lambda: edit("tariffs", first_tariff, "corridor_id", "no_such_corridor")),
        Case("tariffs_unknown_source", "revenue", "error",
             ["tariffs.csv", "row 2", "volume_base_source", "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", tariffs,
             lambda: edit("tariffs", first_tariff, "volume_base_source", "no_such_source")),
        Case("tariffs_duplicate_id", "revenue", "error",
             ["tariffs.csv", first_tariff, "more than once"],
             "a tariff row repeated", tariffs,
             lambda: duplicate_row("tariffs", 1)),
        Case("tariffs_unit_mismatch", "revenue", "error",
             ["tariffs.csv", "row 2", "tariff_unit", "charged per 1000m3"],
             "a gas tariff unit (per 1000 m3) on a volume in Mt", tariffs,
             lambda: edit("tariffs", first_tariff, "tariff_unit", "USD/1000m3/100km")),
        Case("tariffs_latin1", "revenue", "error",
             ["tariffs.csv", "not UTF-8"],
             "saved as Latin-1 (the en dashes and arrows lost)", tariffs,
             latin1_tariffs),
        Case("tariffs_header_only", "revenue", "error",
             ["tariffs.csv has no rows"],
             "every row deleted, the header kept", tariffs,
             lambda: dump_rows(rows("tariffs")[:1])),
        Case("tariffs_empty_file", "revenue", "error",
             ["tariffs.csv", "is empty (0 bytes)"],
             "0 bytes", tariffs,
             lambda: b""),
        Case("fx_zero_rate", "revenue", "error",
             ["fx.csv", "row 2", "currency=KZT", "'rate'", "greater than 0"],
             "a rate of zero", fx,
             lambda: edit("fx", "KZT", "rate", "0")),
        *_revenue_table_cases(),
    ]
    # fmt: on


def _revenue_table_cases() -> list[Case]:
    """tariffs.csv and fx.csv through ``validate``, which checks them like every other table."""
    tariffs, fx = "data/tariffs.csv", "data/fx.csv"
    first = rows("tariffs")[1]
    tid, head = first[0], rows("tariffs")[0]

    def second_row():
        row = list(first)
        row[0] = tid + "_again"
        return with_row("tariffs", row)

    # fmt: off
    return [
        Case("validate_tariffs_unit_mismatch", "validate", "error",
             ["tariffs.csv", "row 2", f"tariff_id={tid}", "'tariff_unit'", "charged per 1000m3"],
             "a gas tariff unit on a volume in Mt: validate refuses what revenue refuses",
             tariffs, lambda: edit("tariffs", tid, "tariff_unit", "USD/1000m3/100km")),
        Case("validate_tariffs_negative_volume", "validate", "error",
             ["tariffs.csv", "row 2", f"tariff_id={tid}", "'volume_low'", "negative"],
             "a negative volume", tariffs,
             lambda: edit("tariffs", tid, "volume_low", "-7")),
        Case("validate_tariffs_unknown_source", "validate", "error",
             ["tariffs.csv", "row 2", "'volume_base_source'", "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", tariffs,
             lambda: edit("tariffs", tid, "volume_base_source", "no_such_source")),
        Case("validate_tariffs_country_not_crossed", "validate", "error",
             ["tariffs.csv", "row 2", "'iso3'", f"TJK is not one of the countries of {first[1]}"],
             "a country the corridor does not cross (projects.csv)", tariffs,
             lambda: edit("tariffs", tid, "iso3", "TJK")),
        Case("validate_tariffs_second_row", "validate", "error",
             ["tariffs.csv", f"row {len(rows('tariffs')) + 1}", "'iso3'",
              f"a second row for {first[1]} in {first[2]}"],
             "two rows for one corridor and country", tariffs, second_row),
        Case("validate_tariffs_scenarios_decrease", "validate", "error",
             ["tariffs.csv", "row 2", "'volume_base'", "must not decrease"],
             "a low volume above the base", tariffs,
             lambda: edit("tariffs", tid, "volume_low", "50")),
        Case("validate_tariffs_no_exchange_rate", "validate", "error",
             ["tariffs.csv", "row 2", "'tariff_unit'", "no exchange rate for EUR in fx.csv"],
             "a tariff in euros with no rate in fx.csv", tariffs,
             lambda: edit("tariffs", tid, "tariff_unit", "EUR/t-km")),
        Case("validate_tariffs_missing_column", "validate", "error",
             ["tariffs.csv", "missing column 'tariff_kind'"],
             "a column deleted", tariffs,
             lambda: dump_rows([r[: head.index("tariff_kind")] + r[head.index("tariff_kind") + 1:]
                                for r in rows("tariffs")])),
        Case("validate_tariffs_kind_missing", "validate", "error",
             ["tariffs.csv", "row 2", f"tariff_id={tid}", "'tariff_kind'", "empty"],
             "a tariff whose kind (published, proxy, back_solved) is left empty", tariffs,
             lambda: edit("tariffs", tid, "tariff_kind", "")),
        Case("validate_tariffs_kind_unknown", "validate", "error",
             ["tariffs.csv", "row 2", f"tariff_id={tid}", "'tariff_kind'", "'estimate'"],
             "a tariff kind outside the vocabulary", tariffs,
             lambda: edit("tariffs", tid, "tariff_kind", "estimate")),
        Case("validate_tariffs_back_solved_without_km", "validate", "error",
             ["tariffs.csv", "row 2", "'solved_over_km'", "back_solved"],
             "a back-solved per-km tariff without the km it was solved over", tariffs,
             lambda: edit("tariffs", tid, "solved_over_km", "")),
        Case("validate_fx_zero_rate", "validate", "error",
             ["fx.csv", "row 2", "currency=KZT", "'rate'", "greater than 0"],
             "a rate of zero: validate refuses what revenue refuses", fx,
             lambda: edit("fx", "KZT", "rate", "0")),
        Case("validate_fx_unknown_source", "validate", "error",
             ["fx.csv", "row 2", "currency=KZT", "'source_id'", "unknown source id 'no_such_rate'"],
             "a rate whose source is not in sources.csv", fx,
             lambda: edit("fx", "KZT", "source_id", "no_such_rate")),
        Case("validate_fx_bad_date", "validate", "error",
             ["fx.csv", "row 3", "currency=TJS", "'date'", "a date YYYY"],
             "a date written day first", fx,
             lambda: edit("fx", "TJS", "date", "24.02.2022")),
    ]
    # fmt: on


# A length_claims.csv and a release.toml made of real ids (older data folders have neither file).
CLAIMS_HEADER = ["corridor_id", "segment_id", "country_iso3", "length_km", "as_of"]
CLAIMS_HEADER += ["source_id", "note"]


def _claims(**change: str) -> Callable[[], bytes]:
    """A two-row length_claims.csv (a corridor total, a country stretch) with row 3 changed."""

    def make() -> bytes:
        segment = next(r for r in rows("segments")[1:] if r[1] == "cku_railway")
        source = rows("projects")[1][rows("projects")[0].index("length_source")].split(";")[0]
        table = [
            CLAIMS_HEADER,
            ["cku_railway", "", "", "532.53", "2025", source, "total"],
            ["cku_railway", segment[0], "KGZ", "304.94", "2025-12-05", source, "a stretch"],
        ]
        for column, value in change.items():
            table[2][CLAIMS_HEADER.index(column)] = value
        return dump_rows(table)

    return make


def _release(text: str | None = None, **change: str) -> Callable[[], bytes]:
    """A release.toml naming a real source, with keys replaced (TOML values) or given whole."""

    def make() -> bytes:
        keys = {
            "data_version": '"2026.12"',
            "as_of": "2026-12-01",
            "newest_source_id": f'"{rows("sources")[1][0]}"',
        } | change
        body = text if text is not None else "".join(f"{k} = {v}\n" for k, v in keys.items())
        return body.encode("utf-8")

    return make


def _optional_cases() -> list[Case]:
    claims, release = "data/length_claims.csv", "data/release.toml"
    # fmt: off
    return [
        Case("length_claims_valid", "validate", "ok",
             [],
             "a well-formed length_claims.csv: accepted", claims, _claims()),
        Case("length_claims_unknown_corridor", "validate", "error",
             ["length_claims.csv", "row 3", "'corridor_id'", "unknown corridor 'cku_railwy'"],
             "a misspelt corridor", claims, _claims(corridor_id="cku_railwy", segment_id="")),
        Case("length_claims_segment_of_other_corridor", "validate", "error",
             ["length_claims.csv", "row 3", "'segment_id'", "is of corridor 'cku_railway'",
              "not 'cku_highway'"],
             "a segment of another corridor", claims, _claims(corridor_id="cku_highway")),
        Case("length_claims_zero_length", "validate", "error",
             ["length_claims.csv", "row 3", "'length_km'", "must be greater than 0"],
             "a length of zero", claims, _claims(length_km="0")),
        Case("length_claims_infinite_length", "validate", "error",
             ["length_claims.csv", "row 3", "'length_km'", "not a finite number"],
             "an infinite length", claims, _claims(length_km="inf")),
        Case("length_claims_bad_as_of", "validate", "error",
             ["length_claims.csv", "row 3", "'as_of'", "a year YYYY or a date YYYY-MM-DD"],
             "a month without a day", claims, _claims(as_of="2025-12")),
        Case("length_claims_unknown_country", "validate", "error",
             ["length_claims.csv", "row 3", "'country_iso3'", "country ZZZ is not in countries"],
             "a country the basemap does not have", claims, _claims(country_iso3="ZZZ")),
        Case("length_claims_unknown_source", "validate", "error",
             ["length_claims.csv", "row 3", "'source_id'", "unknown source id 'no_such_source'"],
             "a source id not in sources.csv", claims, _claims(source_id="no_such_source")),
        Case("release_valid", "validate", "ok",
             [],
             "a well-formed release.toml: accepted", release, _release()),
        Case("release_invalid_toml", "validate", "error",
             ["release.toml", "not valid TOML", "line 1"],
             "an unclosed string", release,
             _release('data_version = "2026.12\nas_of = 2026-12-01\n')),
        Case("release_quoted_date", "validate", "error",
             ["release.toml", "as_of", "'2026-12-01' is not a TOML date"],
             "the date in quotes (a string, not a TOML date)", release,
             _release(as_of='"2026-12-01"')),
        Case("release_unknown_source", "validate", "error",
             ["release.toml", "newest_source_id", "unknown source id 'no_such_source'"],
             "a newest source not in sources.csv", release,
             _release(newest_source_id='"no_such_source"')),
        Case("release_missing_key", "validate", "error",
             ["release.toml", "missing key 'data_version'"],
             "the version left out", release,
             _release('as_of = 2026-12-01\nnewest_source_id = "x"\n')),
    ]
    # fmt: on


def _edit_row(table: str, number: int, column: str, value: str, **more: str) -> bytes:
    """The table with cells of data row ``number`` (from 1) changed."""
    table_rows = rows(table)
    for name, text in {column: value, **more}.items():
        table_rows[number][table_rows[0].index(name)] = text
    return dump_rows(table_rows)


def _spec_cases() -> list[Case]:
    good = SPEC.read_text(encoding="utf-8")
    # fmt: off
    return [
        Case("spec_invalid_toml", "brief", "error",
             ["spec.toml", "not valid TOML", "line 1"],
             "an unclosed string", make=spec('title = "CKU\nsubtitle = "x"\n')),
        Case("spec_empty_file", "brief", "error",
             ["spec.toml", "is empty"],
             "0 bytes", make=spec("")),
        Case("spec_unknown_key", "brief", "error",
             ["spec.toml", "unknown key 'colour'"],
             "a key the spec does not have", make=spec('colour = "red"\n' + good),
             out_exists=True),
        Case("spec_unknown_table_key", "brief", "error",
             ["spec.toml", "unknown key 'select.corridors'", "did you mean 'corridor'"],
             "a misspelt key inside [select]",
             make=spec(good.replace("corridor = [", "corridors = [", 1))),
        Case("spec_unknown_corridor", "brief", "error",
             ["spec.toml", "select.corridor", "cku_railwy"],
             "a misspelt corridor id",
             make=spec(good.replace('"cku_railway", "cku_highway"', '"cku_railwy", "cku_highway"')),
             out_exists=True),
        Case("spec_empty_selection", "brief", "error",
             ["spec.toml", "select", "matches no corridor"],
             "each filter is valid but together they select nothing",
             make=spec('title = "Nothing"\n[select]\ncorridor = ["cku_railway"]\n'
                       'mode = ["gas_pipeline"]\n')),
        Case("spec_extent_no_land", "brief", "error",
             ["spec.toml", "extent.bbox", "no land"],
             "a box in the Atlantic",
             make=spec('title = "Sea"\n[extent]\nbbox = [-40.0, -10.0, -30.0, 0.0]\n'),
             out_exists=True),
        Case("spec_extent_misses_selection", "brief", "error",
             ["spec.toml", "extent.bbox", "none of the"],
             "a box over land that none of the selected corridors reaches",
             make=spec('title = "Off"\n[select]\ncorridor = ["cku_railway"]\n'
                       '[extent]\nbbox = [50.0, 50.0, 55.0, 55.0]\n')),
        Case("spec_bad_type", "brief", "error",
             ["spec.toml", "figure.dpi", "whole number"],
             "dpi as a string", make=spec(good.replace("dpi = 300", 'dpi = "300"'))),
        Case("spec_unknown_output", "brief", "error",
             ["spec.toml", "outputs", "'pngg'", "did you mean 'png'"],
             "a misspelt output", make=spec('title = "T"\noutputs = ["pngg"]\n')),
        Case("spec_latin1", "brief", "error",
             ["spec.toml", "not UTF-8", "line 1"],
             "a title saved as Latin-1", make=lambda: 'title = "Caf\u00e9"\n'.encode("latin-1")),
        Case("spec_huge_string", "brief", "error",
             ["spec.toml", "title", "too long"],
             "a 100,000-character title", make=spec(f'title = "{LONG}"\n')),
    ]
    # fmt: on


def _point_cases() -> list[Case]:
    # fmt: off
    return [
        Case("points_missing_lonlat", "join-points", "error",
             ["points.csv", "needs lon and lat columns"],
             "easting/northing columns", make=points("id,easting,northing\na,72.5,40.5\n")),
        Case("points_non_numeric_lon", "join-points", "error",
             ["points.csv", "row 3", "lon '72,5' is not a number"],
             "a decimal comma", make=points('id,lon,lat\na,72.5,40.5\nb,"72,5",40.5\n'),
             out_exists=True),
        Case("points_lat_out_of_range", "join-points", "error",
             ["points.csv", "row 2", "lat 95 is outside -90..90"],
             "latitude 95", make=points("id,lon,lat\na,72.5,95\nb,72.5,40.5\n")),
        Case("points_empty_lat", "join-points", "error",
             ["points.csv", "row 2", "lat is empty"],
             "a point without a latitude", make=points("id,lon,lat\na,72.5,\n")),
        Case("points_infinite_lon", "join-points", "error",
             ["points.csv", "row 2", "lon inf is not a finite number"],
             "an infinite longitude", make=points("id,lon,lat\na,inf,40.5\n")),
        Case("points_empty_file", "join-points", "error",
             ["points.csv", "is empty"],
             "0 bytes", make=points(""),
             out_exists=True),
        Case("points_latin1", "join-points", "ok", [],
             "a name saved as Latin-1: the encoding is told from the bytes (as spreadsheet "
             "programs save in a Western locale), and the points are joined",
             make=lambda: "name,lon,lat\nCaf\u00e9,72.5,40.5\n".encode("latin-1")),
        Case("points_ragged", "join-points", "error",
             ["points.csv", "line 3", "saw 4"],
             "a row with a cell too many", make=points("id,lon,lat\na,72.5,40.5\nb,72.5,40.5,x\n")),
    ]
    # fmt: on


def _path_cases() -> list[Case]:
    """Good inputs, a bad ``--out``: one line naming the path and exit 1, nothing written."""
    good_spec = spec(
        'title = "Paths"\noutputs = ["tables"]\n[select]\ncorridor = ["cku_railway"]\n'
    )
    good_points = points("id,lon,lat\na,74.6,42.9\n")
    # fmt: off
    return [
        Case("out_map_existing_folder", "map", "error", ["out/map.html", "is a folder"],
             "--out names a folder where the page (a file) goes", out="folder"),
        Case("out_map_under_file", "map", "error", ["blocker", "not a folder"],
             "--out inside a file: its folder cannot be made", out="under_file"),
        Case("out_map_unwritable", "map", "error", ["/sys", "cannot write"],
             "--out in a folder nobody may write in (a read-only share)", out="unwritable"),
        Case("out_export_existing_folder", "export", "error", ["out/atlas.gpkg", "is a folder"],
             "--out names a folder where the GeoPackage goes", out="folder"),
        Case("out_export_unwritable", "export", "error", ["/sys", "cannot write"],
             "--out in a folder nobody may write in", out="unwritable"),
        Case("out_brief_existing_file", "brief", "error", ["out/pack", "is a file"],
             "--out names a file where the pack (a folder) goes", make=good_spec, out="file"),
        Case("out_brief_unwritable", "brief", "error", ["/sys", "cannot write"],
             "--out in a folder nobody may write in", make=good_spec, out="unwritable"),
        Case("out_join_points_existing_folder", "join-points", "error",
             ["out/joined.csv", "is a folder"],
             "--out names a folder where the joined table goes", make=good_points, out="folder"),
        Case("out_join_points_under_file", "join-points", "error", ["blocker", "not a folder"],
             "--out inside a file", make=good_points, out="under_file"),
        Case("out_join_points_unwritable", "join-points", "error", ["/sys", "cannot write"],
             "--out in a folder nobody may write in", make=good_points, out="unwritable"),
        Case("out_diff_existing_folder", "diff", "error", ["out/map.html", "is a folder"],
             "diff --map names a folder", out="folder"),
        Case("out_diff_unwritable", "diff", "error", ["/sys", "cannot write"],
             "diff --map in a folder nobody may write in", out="unwritable"),
    ]
    # fmt: on


def cases() -> list[Case]:
    """Every case, in manifest order."""
    return [
        *_geo_cases(),
        *_table_cases(),
        *_optional_cases(),
        *_spec_cases(),
        *_point_cases(),
        *_path_cases(),
    ]


# --------------------------------------------------------------------------- test-time cases


def build(case_id: str, target: Path) -> None:
    """Write a ``generated`` case (too large to commit) to ``target``."""
    if case_id == "geo_huge_file":
        # A valid FeatureCollection: the real railways repeated to HUGE_MB megabytes.
        features = _raw("geo/railways.geojson").split(b"[\n", 1)[1].rsplit(b"\n]", 1)[0]
        copies = HUGE_MB * 2**20 // len(features) + 1
        body = b",\n".join([features] * copies)
        target.write_bytes(b'{"type":"FeatureCollection","features":[\n' + body + b"\n]}\n")
    elif case_id == "geo_self_intersecting_polygon":
        doc = layer("countries")
        feature = next(f for f in doc["features"] if f["properties"]["iso3"] == "KGZ")
        feature["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[70.0, 40.0], [75.0, 43.0], [75.0, 40.0], [70.0, 43.0], [70.0, 40.0]]],
        }
        target.write_bytes(dump_layer(doc))
    else:
        raise KeyError(case_id)


# --------------------------------------------------------------------------- writing


def render() -> dict[str, bytes]:
    """Every committed file of the corpus, by path relative to ``tests/data/bad``."""
    files: dict[str, bytes] = {}
    manifest = []
    for case in cases():
        manifest.append(case.entry())
        if case.generated or case.file is None:
            continue
        data = case.make()
        assert len(data) < 200 * 1024, f"{case.id} is {len(data)} bytes; generate it at test time"
        files[f"{case.id}/{case.file}"] = data
    ids = [c["id"] for c in manifest]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    files[MANIFEST] = (
        json.dumps({"cases": manifest}, indent=1, ensure_ascii=False) + "\n"
    ).encode()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="corpus folder (tests/data/bad)")
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args(argv)
    files = render()
    if args.check:
        stale = [
            n
            for n, d in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != d
        ]
        for name in stale:
            print(f"out of date: {name}")
        return 1 if stale else 0
    if args.out.exists():
        shutil.rmtree(args.out)
    for name, data in sorted(files.items()):
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files) - 1} files and {MANIFEST} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
