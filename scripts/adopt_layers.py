"""Bring hand edits of geo/ and data/segments.csv under ``build_layers.py``.

When a line, a place or a segment's geometry columns were edited in the committed files (for
example OpenStreetMap lines brought in by hand), a rebuild would put the old ones back. This
script writes those edits into the build's data so that the build reproduces them:

- a segment whose committed line differs from the rebuild: its vertices between the segment's
  sourced end points go to ``scripts/layers/lines/<segment_id>.geojson`` and its ``draw`` parts
  become [end waypoint, that line, end waypoint]; the line's source id is the first
  OpenStreetMap-derived id (else the first id) of its ``geometry_source``;
- a segment whose geometry columns differ: ``accuracy_km``, ``geometry_note`` and
  ``geometry_source`` in ``segments.toml`` become what ``data/segments.csv`` says;
- a place that differs or is new: a ``fixed`` entry in ``places.toml`` (a place gone is removed);
  places.toml takes the committed order of the places, which the build keeps.

Then it runs the build's ``--check``. Review ``git diff scripts/layers`` before committing::

    python scripts/adopt_layers.py --reference DIR
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_layers  # noqa: E402
from layer_inputs import LAYERS, REPO, Reference, load_config  # noqa: E402

KEYS = ("layer", "from_place", "to_place", "corridor", "seq_from", "seq_to", "accuracy_km",
        "note", "geometry_source", "geometry_note")  # fmt: skip
PLACE_KEYS = ("place_id", "name", "kind", "countries", "corridor_ids")


def value(v: object, *, wrap: bool = True) -> str:
    """A TOML value (strings as JSON-escaped basic strings, which TOML reads the same)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x, wrap=False) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(x, wrap=False)}" for k, x in v.items()) + " }"
    body = json.dumps(str(v), ensure_ascii=False)[1:-1]
    if not wrap or len(body) < 90 or "  " in body or body != body.strip():
        return f'"{body}"'
    lines, line = [], ""  # a multi-line string whose line ends ("\\") TOML joins with a space
    for word in body.split(" "):
        if line and len(line) + len(word) > 96:
            lines.append(line + " \\")
            line = word
        else:
            line = f"{line} {word}" if line else word
    return '"""\\\n' + "\n".join([*lines, line]) + '"""'


def number(text: str) -> int | float:
    """A CSV number as TOML keeps it (``3`` stays an integer, ``2.5`` a float)."""
    x = float(text)
    return int(x) if x.is_integer() and "." not in text else x


def segment_block(sid: str, plan: dict) -> str:
    """The TOML table of one segment, with its reported lengths and draw parts."""
    lines = [f"[{sid}]"] + [f"{k} = {value(plan[k])}" for k in KEYS if k in plan]
    if plan.get("reported"):
        lines += ["reported = ["] + [f"  {value(r)}," for r in plan["reported"]] + ["]"]
    for part in plan.get("draw", []):
        lines += [f"[[{sid}.draw]]"] + [f"{k} = {value(v)}" for k, v in part.items()]
    return "\n".join(lines) + "\n"


def replace_block(text: str, sid: str, block: str) -> str:
    """Replace the ``[sid]`` table (and its ``[[sid.draw]]`` parts) in segments.toml."""
    pattern = re.compile(
        rf"^\[{re.escape(sid)}\]\n.*?(?=^\[(?!\[{re.escape(sid)}\.)|\Z)", re.S | re.M
    )
    new, count = pattern.subn(lambda _: block + "\n", text, count=1)
    if count != 1:
        sys.exit(f"adopt_layers: no [{sid}] table in segments.toml")
    return new


def features(root: Path, name: str, key: str) -> dict[str, dict]:
    doc = json.loads((root / "geo" / f"{name}.geojson").read_text(encoding="utf-8"))
    return {f["properties"][key]: f for f in doc["features"]}


def adopt_segments(ref: Reference, config, built: Path) -> list[str]:
    """Write differing segments into segments.toml and lines/; return what was adopted."""
    text = (config.layers / "segments.toml").read_text(encoding="utf-8")
    mine = pd.read_csv(built / "data" / "segments.csv", dtype=str, keep_default_na=False)
    theirs = pd.read_csv(REPO / "data" / "segments.csv", dtype=str, keep_default_na=False)
    mine, theirs = mine.set_index("segment_id"), theirs.set_index("segment_id")
    done = []
    for layer in build_layers.LINE_LAYERS:
        ours, committed = features(built, layer, "segment_id"), features(REPO, layer, "segment_id")
        for sid, feature in committed.items():
            plan = dict(config.segments[sid])
            row = theirs.loc[sid]
            moved = feature["geometry"] != ours[sid]["geometry"]
            if not moved and row[build_layers.OWN_COLUMNS].equals(
                mine.loc[sid, build_layers.OWN_COLUMNS]
            ):
                continue
            plan["accuracy_km"] = number(row["positional_accuracy_km"])
            plan["geometry_note"] = row["geometry_note"]  # written as given: the note is moot
            plan.pop("note", None)
            plan["geometry_source"] = row["geometry_source"]
            if moved:
                plan["draw"] = line_parts(ref, config, sid, plan, feature)
            text = replace_block(text, sid, segment_block(sid, plan))
            done.append(f"{sid}: {'line, ' if moved else ''}geometry columns")
    (config.layers / "segments.toml").write_text(text, encoding="utf-8")
    return done


def line_parts(ref: Reference, config, sid: str, plan: dict, feature: dict) -> list[dict]:
    """Draw parts for a committed line: sourced end waypoints kept, the rest a line file."""
    coords = [tuple(c) for c in feature["geometry"]["coordinates"]]
    corridor, a, b = plan["corridor"], plan["seq_from"], plan["seq_to"]
    rounded = {
        s: tuple(round(c, build_layers.DECIMALS) for c in ref.point(corridor, s)) for s in (a, b)
    }
    head, tail = coords[0] == rounded[a], coords[-1] == rounded[b]
    inner = coords[1 if head else None : -1 if tail else None]
    ids = plan["geometry_source"].split(";")
    source = next((i for i in ids if i in config.osm_derived), ids[0])
    path = config.layers / "lines" / f"{sid}.geojson"
    geometry = {"type": "LineString", "coordinates": [list(c) for c in inner]}
    line = {
        "type": "Feature",
        "properties": {"segment_id": sid, "source": source},
        "geometry": geometry,
    }
    build_layers.dump_geojson(path, [line])
    parts = [{"corridor": corridor, "seq_from": a, "seq_to": a}] if head else []
    parts.append({"line": f"lines/{sid}.geojson", "source": source})
    return parts + ([{"corridor": corridor, "seq_from": b, "seq_to": b}] if tail else [])


def adopt_places(config, built: Path) -> list[str]:
    """Write differing or new places as ``fixed`` entries of places.toml; drop places gone."""
    ours, committed = features(built, "places", "place_id"), features(REPO, "places", "place_id")
    blocks = (config.layers / "places.toml").read_text(encoding="utf-8").split("[[place]]\n")
    head, entries = blocks[0], {re.search(r'place_id = "([^"]+)"', b)[1]: b for b in blocks[1:]}
    done = []
    for pid in sorted(set(ours) | set(committed)):
        if pid not in committed:
            del entries[pid]
            done.append(f"{pid}: removed")
        elif committed[pid] != ours.get(pid):
            props = committed[pid]["properties"]
            lon, lat = committed[pid]["geometry"]["coordinates"]
            sources = props["source"].split(";")
            fields = {k: props[k] for k in PLACE_KEYS}
            fields["fixed"] = {"lat": lat, "lon": lon, "source": sources[0]}
            fields["accuracy_km"] = props["positional_accuracy_km"]
            fields |= {"note": props["note"]} if props["note"] else {}
            fields |= {"extra_sources": sources[1:]} if sources[1:] else {}
            entries[pid] = "\n".join(f"{k} = {value(v)}" for k, v in fields.items()) + "\n\n"
            done.append(f"{pid}: {'new' if pid not in ours else 'changed'}")
    text = head + "".join("[[place]]\n" + entries[p] for p in committed)  # the committed order
    (config.layers / "places.toml").write_text(text, encoding="utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    """Adopt the committed edits, then check that the build reproduces geo/."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, required=True, help="the reference folder")
    args = ap.parse_args(argv)
    config = load_config(LAYERS)
    ref = Reference(args.reference, config)
    with tempfile.TemporaryDirectory(prefix="adopt_layers.") as tmp:
        built = Path(tmp)
        (built / "data").mkdir()
        shutil.copy2(REPO / "data" / "segments.csv", built / "data" / "segments.csv")
        with contextlib.redirect_stdout(io.StringIO()):
            build_layers.build(args.reference, built, config)
        done = adopt_segments(ref, config, built) + adopt_places(config, built)
    print(
        "\n".join(f"adopted {d}" for d in done) or "nothing to adopt: geo/ is what the build makes"
    )
    if done:  # an adopted line changes what is measured on it (accuracy, geometry_checks.csv)
        with contextlib.redirect_stdout(io.StringIO()):
            build_layers.main(["--reference", str(args.reference)])
    return build_layers.main(["--reference", str(args.reference), "--check"])


if __name__ == "__main__":
    raise SystemExit(main())
