"""Build the connecting network layer and its tables from the reference folder and scripts/network/.

Outputs (paths relative to the repository root)
    ``geo/network.geojson``
        One ``LineString`` per network line, property ``line_id``; RFC 7946, 6 decimals at most.
    ``data/network_lines.csv``
        One row per line: mode, gauge, status, countries, reported length and its source,
        positional accuracy, geometry sources and licence, ``kind`` (reported / estimate), note.
    ``data/transfers.csv``, five columns of the hub rows listed in ``scripts/network/hubs.csv``
        ``lat``, ``lon``, ``source_id``, ``kind`` and ``note`` of those hubs, copied from the
        sourced vertex each is placed at (never typed in). Read-modify-write: every other row
        (the transfer edges, hubs placed by hand) and every other column (``name``, ``country``,
        ``snap_km``, edited by hand) stay as they are, byte for byte, in their order.

Inputs (the data is in ``scripts/network/``; see scripts/README.md)
    ``lines.toml`` (each line: a ``seq`` range of a waypoint line, mode, gauge, countries, the
    published length of exactly that piece and its source; each link: a straight join of two
    sourced points), ``hubs.csv`` (the vertex each hub sits on), ``build.toml`` (OpenStreetMap-
    derived source ids, vertex accuracies, the atlas vertices used), ``waypoints.csv`` (sourced
    points of lines the reference folder lacks, each with its source id); the reference folder's
    ``network/network_waypoints.csv`` (``--reference``, ``$CORRIDORMAP_REFERENCE`` or
    ``../shared/reference`` beside the checkout) whose source texts ``scripts/layers/
    source_texts.csv`` maps to source ids; ``geo/railways.geojson`` for two atlas vertices; the
    source ids of ``data/sources.csv``.

Exit status
    0 when the build succeeds; 1 with one line naming the file and what is wrong when an input is
    missing or inconsistent; with ``--check``, 1 when a committed output differs from the rebuild
    (the file and its first differing row are named). Nothing is written unless every output was
    built. Deterministic: a rerun on the same inputs is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NETWORK = REPO / "scripts" / "network"
SOURCE_TEXTS = REPO / "scripts" / "layers" / "source_texts.csv"
OUTPUTS = ("geo/network.geojson", "data/network_lines.csv", "data/transfers.csv")
#: The columns of a hub row of data/transfers.csv that the build writes.
HUB_COLUMNS = ("lat", "lon", "source_id", "kind", "note")
WAYPOINT_COLUMNS = ["line_id", "seq", "name", "lat", "lon", "kind", "source_id"]


class BuildError(Exception):
    """An input is missing or inconsistent (the message names the file)."""


def default_reference() -> Path:
    """``$CORRIDORMAP_REFERENCE``, else the nearest ``shared/reference`` above the checkout."""
    if os.environ.get("CORRIDORMAP_REFERENCE"):
        return Path(os.environ["CORRIDORMAP_REFERENCE"])
    found = [p / "shared" / "reference" for p in REPO.parents]
    return next((p for p in found if p.is_dir()), REPO.parent / "shared" / "reference")


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"{_rel(path)}: {exc}") from None


def _csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise BuildError(f"{_rel(path)}: cannot be read ({exc})") from None


class Inputs:
    """Every input of the build, read and indexed; vertices resolved to source ids."""

    def __init__(self, reference: Path, network: Path = NETWORK, root: Path = REPO) -> None:
        self.root, self.network = root, network
        self.plan = _toml(network / "lines.toml")
        self.config = _toml(network / "build.toml")
        self.osm = set(self.config["sources"]["osm_derived"])
        self.hubs = _csv(network / "hubs.csv")
        self.source_ids = {r["source_id"] for r in _csv(root / "data" / "sources.csv")}
        texts = {r["source_text"]: r["source_id"] for r in _csv(SOURCE_TEXTS)}
        ref_file = reference / "network" / "network_waypoints.csv"
        if not ref_file.is_file():
            raise BuildError(f"{ref_file}: not found (give --reference DIR; see scripts/README.md)")
        self.lines: dict[str, dict[int, dict]] = {}
        for row in _csv(ref_file):
            if row["source"] not in texts:
                raise BuildError(
                    f"{ref_file}: {row['line_id']}:{row['seq']}: source text not in "
                    f"{_rel(SOURCE_TEXTS)}: {row['source'][:80]!r}"
                )
            self._add(row | {"source_id": texts[row["source"]]}, ref_file)
        own = network / "waypoints.csv"
        for row in _csv(own) if own.is_file() else []:
            if row["line_id"] in self.lines and int(row["seq"]) in self.lines[row["line_id"]]:
                raise BuildError(f"{_rel(own)}: {row['line_id']}:{row['seq']} is in the reference")
            self._add(row, own)

    def _add(self, row: dict, where: Path) -> None:
        try:
            row["lat"], row["lon"] = float(row["lat"]), float(row["lon"])
            self.lines.setdefault(row["line_id"], {})[int(row["seq"])] = row
        except (KeyError, ValueError) as exc:
            raise BuildError(f"{_rel(where)}: row {row}: bad lat, lon or seq ({exc})") from None

    def point(self, ref: list) -> tuple[float, float, str, float, str]:
        """``(lat, lon, source_id, accuracy_km, where)`` of ``[line, seq]`` or ``[atlas, name]``."""
        acc = self.config["accuracy_km"]
        if ref[0] == "atlas":
            lat, lon, source = self._atlas_point(ref[1])
            return lat, lon, source, acc["osm"], f"atlas:{ref[1]}"
        row = self.lines.get(ref[0], {}).get(ref[1])
        if row is None:
            raise BuildError(f"waypoint {ref[0]}:{ref[1]} not found (reference or waypoints.csv)")
        source = row["source_id"]
        if source == self.config["sources"]["estimate"]:
            accuracy = acc["estimate"]
        elif row["kind"] == "road_proxy":
            accuracy = acc["road_proxy"]
        elif source in self.config["sources"]["sea"]:
            accuracy = acc["sea"]
        else:
            accuracy = acc["osm"] if source in self.osm else acc["point"]
        return row["lat"], row["lon"], source, accuracy, f"{ref[0]}:{ref[1]}"

    def _atlas_point(self, name: str) -> tuple[float, float, str]:
        spec = self.config["atlas_points"].get(name)
        if spec is None:
            raise BuildError(f"scripts/network/build.toml: no [atlas_points.{name}]")
        layer = json.loads((self.root / "geo" / "railways.geojson").read_text(encoding="utf-8"))
        coords = {
            f["properties"]["segment_id"]: f["geometry"]["coordinates"] for f in layer["features"]
        }
        line = coords[spec["segment"]]
        index = spec.get("vertex")
        if index is None:
            from pyproj import Geod

            geod, (x, y) = Geod(ellps="WGS84"), spec["nearest"]
            index = min(range(len(line)), key=lambda i: geod.inv(*line[i], x, y)[2])
        lon, lat = line[index]
        return float(lat), float(lon), spec["source"]


def _line_row(inputs: Inputs, line_id: str, spec: dict, pts: list, link: bool) -> dict:
    estimate = inputs.config["sources"]["estimate"]
    sources = sorted({p[2] for p in pts})
    estimates = sum(p[2] == estimate for p in pts)
    accuracy = max([p[3] for p in pts] + [spec.get("accuracy_km", 0)])
    note = spec["note"] + (f" Vertices: {estimates} of {len(pts)} estimated." if estimates else "")
    km, gauge = spec.get("km"), spec.get("gauge_mm")
    return {
        "line_id": line_id,
        "name": spec["name"],
        "mode": spec["mode"],
        "gauge_mm": "" if gauge is None or spec["mode"] == "ferry" else str(gauge),
        "status": spec["status"],
        "countries": spec["countries"],
        "length_km_reported": "" if km is None else f"{km:g}",
        "length_source": spec.get("km_source", ""),
        "positional_accuracy_km": f"{accuracy:g}",
        "geometry_source": ";".join(sources),
        "geometry_licence": "ODbL" if any(s in inputs.osm for s in sources) else "sketch",
        "kind": spec.get("kind")
        or ("estimate" if link or estimates * 2 >= len(pts) else "reported"),
        "note": note,
    }


def build_lines(inputs: Inputs) -> tuple[list[dict], list[dict]]:
    """The features of geo/network.geojson and the rows of data/network_lines.csv."""
    features, table = [], []
    plan = [(i, s, False) for i, s in inputs.plan.get("line", {}).items()]
    plan += [(i, s, True) for i, s in inputs.plan.get("link", {}).items()]
    for line_id, spec, link in plan:
        try:
            if link:
                ends = [spec["from"], spec["to"]]
                rail = 1435 if "IRN" in spec["countries"] else 1520
                spec = {"mode": "rail", "gauge_mm": rail, "status": "operational"} | spec
            else:
                parts = spec["waypoints"]
                ends = []
                for ref, first, last in parts if isinstance(parts[0], list) else [parts]:
                    step = 1 if last >= first else -1  # a part may run against its seq order
                    ends += [[ref, seq] for seq in range(first, last + step, step)]
            pts = [inputs.point(end) for end in ends]
            pts = [p for i, p in enumerate(pts) if not i or p[:2] != pts[i - 1][:2]]
            table.append(_line_row(inputs, line_id, spec, pts, link))
        except KeyError as exc:
            raise BuildError(f"scripts/network/lines.toml: {line_id}: no {exc}") from None
        coords = [[round(p[1], 6), round(p[0], 6)] for p in pts]
        features.append(
            {
                "type": "Feature",
                "properties": {"line_id": line_id},
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    features.sort(key=lambda f: f["properties"]["line_id"])
    return features, table


def hub_columns(inputs: Inputs) -> dict[str, dict[str, str]]:
    """The build's columns of each hub row, by hub id."""
    out = {}
    for row in inputs.hubs:
        ref = [row["line"], row["line"] == "atlas" and row["seq"] or int(row["seq"])]
        lat, lon, source, _acc, where = inputs.point(ref)
        out[row["hub_id"]] = {
            "lat": f"{lat:.6f}".rstrip("0").rstrip("."),
            "lon": f"{lon:.6f}".rstrip("0").rstrip("."),
            "source_id": source,
            "kind": "estimate" if source == inputs.config["sources"]["estimate"] else "reported",
            "note": f"Coordinates of reference vertex {where}.",
        }
    return out


def _records(text: str):
    """``(fields, raw text)`` of each CSV record: unchanged rows are written back as they were."""
    lines, taken = iter(text.splitlines(keepends=True)), []

    def feed():
        for line in lines:
            taken.append(line)
            yield line

    for fields in csv.reader(feed()):
        yield fields, "".join(taken)
        taken.clear()


def merge_transfers(path: Path, hubs: dict[str, dict[str, str]]) -> str:
    """data/transfers.csv with the build's columns of the listed hub rows replaced."""
    records = _records(path.read_bytes().decode("utf-8"))
    header, raw = next(records)
    out, seen = [raw], set()
    for number, (fields, raw) in enumerate(records, start=2):
        row = dict(zip(header, fields, strict=False))
        if row.get("type") == "hub" and row.get("transfer_id") in hubs:
            if len(fields) != len(header):
                raise BuildError(
                    f"{_rel(path)}: row {number}: {len(fields)} fields, not {len(header)}"
                )
            seen.add(row["transfer_id"])
            if any(row[c] != v for c, v in hubs[row["transfer_id"]].items()):
                row.update(hubs[row["transfer_id"]])
                ending = raw[len(raw.rstrip("\r\n")) :] or "\n"
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator=ending).writerow([row[c] for c in header])
                raw = buffer.getvalue()
        out.append(raw)
    missing = [h for h in hubs if h not in seen]
    if missing:
        raise BuildError(
            f"{_rel(path)}: no hub row for {', '.join(missing)} (scripts/network/hubs.csv): add a "
            "row with type=hub, name, country and snap_km; the build fills lat, lon, source_id, "
            "kind and note"
        )
    return "".join(out)


def build(reference: Path, root: Path = REPO) -> dict[str, bytes]:
    """Every output, by path relative to the repository; nothing is written here."""
    inputs = Inputs(reference, root=root)
    features, table = build_lines(inputs)
    used = {s for r in table for s in r["geometry_source"].split(";")}
    used |= {r["length_source"] for r in table if r["length_source"]}
    hubs = hub_columns(inputs)
    used |= {h["source_id"] for h in hubs.values()}
    unknown = sorted(used - inputs.source_ids)
    if unknown:
        raise BuildError(f"data/sources.csv: no row for source ids {', '.join(unknown)}")
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    layer = '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    transfers = merge_transfers(root / "data" / "transfers.csv", hubs)
    texts = {OUTPUTS[0]: layer, OUTPUTS[1]: buffer.getvalue(), OUTPUTS[2]: transfers}
    return {path: text.encode("utf-8") for path, text in texts.items()}


def differences(outputs: dict[str, bytes], root: Path = REPO) -> list[str]:
    """One line per committed output that differs from the rebuild, naming its first changed row."""
    out = []
    for path, new in outputs.items():
        old = (root / path).read_bytes() if (root / path).is_file() else b""
        if old == new:
            continue
        olds, news = old.decode("utf-8").splitlines(), new.decode("utf-8").splitlines()
        number = next(
            (i for i in range(1, len(olds) + len(news) + 2) if olds[i - 1 : i] != news[i - 1 : i]),
            0,
        )
        said = f"line {number}" if number else "its line endings or bytes (the text is the same)"
        if path.endswith(".csv") and number > 1 and number <= min(len(olds), len(news)):
            header, was, now = (
                next(csv.reader([x])) for x in (olds[0], olds[number - 1], news[number - 1])
            )
            column = next((c for c, a, b in zip(header, was, now, strict=False) if a != b), None)
            if column is not None and len(was) == len(now):
                said = (
                    f"row {number} ({header[0]}={was[0]}): column '{column}' is "
                    f"{was[header.index(column)]!r}, the build writes {now[header.index(column)]!r}"
                )
        out.append(f"{path} differs from the rebuild at {said}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the outputs (or check they are current); return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=None, help="the reference folder")
    ap.add_argument("--repo", type=Path, default=REPO, help="root to read data/ and write into")
    ap.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if an output is not current"
    )
    args = ap.parse_args(argv)
    try:
        outputs = build(args.reference or default_reference(), args.repo)
    except BuildError as exc:
        print(f"build_network: {exc}", file=sys.stderr)
        return 1
    stale = differences(outputs, args.repo)
    if args.check:
        for line in stale:
            print(f"build_network: {line}", file=sys.stderr)
        if stale:
            print("build_network: run scripts/build_network.py to rebuild", file=sys.stderr)
            return 1
        print("build_network: the committed outputs are current")
        return 0
    for path, data in outputs.items():  # every output is built before any is written
        tmp = args.repo / (path + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(args.repo / path)
    print(f"build_network: wrote {len(outputs)} files ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
