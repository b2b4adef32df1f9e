"""Inputs of ``build_layers.py``: the build's own data (scripts/layers/) and the reference folder.

The build's data is data, not code: ``scripts/layers/segments.toml`` (the segment plan, how each
segment is drawn, its accuracy, note and reported lengths), ``places.toml``, ``build.toml``
(shippable tracks, source-id groups, check limits, known exceptions) and ``source_texts.csv``
(every source text of the reference files mapped to a source id). Source rows come from the
atlas's own ``data/sources.csv``; an id with no row there stops the build.
"""

from __future__ import annotations

import hashlib
import math
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point

REPO = Path(__file__).resolve().parents[1]
LAYERS = REPO / "scripts" / "layers"
GEOD = Geod(ellps="WGS84")
#: The reference files the build reads, relative to the reference folder.
REFERENCE_FILES = ("waypoints.csv", "crossings.csv", "tracks/tracks.csv")


def fail(message: str) -> None:
    """Stop the build with one line on stderr and exit status 1."""
    sys.exit(f"build_layers: {message}")


@dataclass
class Config:
    """The build's data, read from ``scripts/layers/`` and ``data/sources.csv``."""

    layers: Path
    segments: dict[str, dict]
    places: list[dict]
    tracks: dict[str, str]
    race_tracks: list[str]
    osm_derived: set[str]
    cc_by: set[str]
    resolution: dict[str, dict]
    unsourced: set[str]
    cited: list[str]
    waypoint_km: float
    bbox: tuple[float, float, float, float]
    corridors: dict[str, dict]
    known: list[dict]
    inputs: dict[str, str]
    source_text_to_id: dict[str, str]
    source_ids: set[str]


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        fail(f"{path.relative_to(REPO)}: {exc}")
        raise  # unreachable


def load_config(layers: Path = LAYERS, sources_csv: Path = REPO / "data" / "sources.csv") -> Config:
    """Read the build's data files."""
    build = _toml(layers / "build.toml")
    texts = pd.read_csv(layers / "source_texts.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(sources_csv, dtype=str, keep_default_na=False)
    return Config(
        layers=layers,
        segments=_toml(layers / "segments.toml"),
        places=_toml(layers / "places.toml")["place"],
        tracks=build["tracks"],
        race_tracks=build["sources"]["race_tracks"],
        osm_derived=set(build["sources"]["osm_derived"]),
        cc_by=set(build["sources"].get("cc_by", [])),
        resolution=build.get("resolution", {}),
        unsourced=set(build["sources"]["unsourced"]),
        cited=build["sources"]["cited"],
        waypoint_km=float(build["checks"]["waypoint_km"]),
        bbox=tuple(build["checks"]["bbox"]),
        corridors=build["corridors"],
        known=build.get("known", []),
        inputs=build.get("inputs", {}),
        source_text_to_id=dict(zip(texts["source_text"], texts["source_id"], strict=True)),
        source_ids=set(sources["source_id"]),
    )


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Reference:
    """The reference files (waypoints, crossings, tracks), indexed and mapped to source ids."""

    def __init__(self, folder: Path, config: Config) -> None:
        missing = [name for name in REFERENCE_FILES if not (folder / name).is_file()]
        if missing:
            fail(f"reference folder {folder} lacks {', '.join(missing)} (see scripts/README.md)")
        self.folder = folder
        self.wp = pd.read_csv(folder / "waypoints.csv")
        self.x = pd.read_csv(folder / "crossings.csv")
        self.tracks = pd.read_csv(folder / "tracks" / "tracks.csv")
        known = config.source_text_to_id
        unknown = sorted((set(self.wp["source"]) | set(self.x["source"])) - set(known))
        if unknown:
            fail(
                "unmapped source texts (add them to scripts/layers/source_texts.csv): "
                + "; ".join(unknown)
            )
        self.wp["source_id"] = self.wp["source"].map(known)
        self.x["source_id"] = self.x["source"].map(known)
        self.wp = self.wp.sort_values(["corridor_id", "seq"], kind="stable")

    def changed_inputs(self, expected: dict[str, str]) -> list[str]:
        """Reference files whose SHA-256 differs from the one geo/ was built from."""
        return [
            name for name in REFERENCE_FILES if expected.get(name) != sha256(self.folder / name)
        ]

    def rows(self, corridor: str, a: int, b: int) -> pd.DataFrame:
        """Waypoint rows seq a..b (inclusive) of a corridor, in order; all must exist."""
        if not corridor:  # a segment with no waypoint rows
            return self.wp.iloc[0:0]
        r = self.wp[(self.wp["corridor_id"] == corridor) & self.wp["seq"].between(a, b)]
        if list(r["seq"]) != list(range(a, b + 1)):
            fail(f"waypoints {corridor} {a}..{b} incomplete")
        return r

    def point(self, corridor: str, seq: int) -> tuple[float, float]:
        """Lon/lat of one waypoint row."""
        r = self.rows(corridor, seq, seq).iloc[0]
        return float(r["lon"]), float(r["lat"])

    def track(self, line_id: str) -> list[tuple[float, float]]:
        """Lon/lat vertices of a tracks.csv line in file order."""
        t = self.tracks[self.tracks["line_id"] == line_id].sort_values("seq")
        if t.empty:
            fail(f"track {line_id} not found")
        return list(zip(t["lon"].astype(float), t["lat"].astype(float), strict=True))

    def crossing(self, prefix: str) -> pd.Series:
        """The one crossings.csv row whose name starts with ``prefix``."""
        r = self.x[self.x["name"].str.startswith(prefix)]
        if len(r) != 1:
            fail(f"crossing prefix {prefix!r} matches {len(r)} rows")
        return r.iloc[0]


@dataclass
class Segment:
    """A built segment: its line, one source id per vertex, and the waypoint rows it covers."""

    segment_id: str
    layer: str
    from_place: str
    to_place: str
    wp_corridor: str
    seq_from: int
    seq_to: int
    accuracy_km: float
    note: str
    drawn_from_tracks: bool
    geometry_note: str | None = None
    measured: str = ""
    coords: list[tuple[float, float]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def corridor_id(self) -> str:
        """The corridor: the segment id before ``__``."""
        return self.segment_id.split("__")[0]


def geodesic_km(coords: list[tuple[float, float]]) -> float:
    """Geodesic length of a lon/lat line on WGS84, km."""
    return GEOD.geometry_length(LineString(coords)) / 1000.0


def point_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two lon/lat points, km."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def dist_to_line_km(pt: tuple[float, float], coords: list[tuple[float, float]]) -> float:
    """Distance from a lon/lat point to a lon/lat line, km (azimuthal equidistant at the point)."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={pt[1]} +lon_0={pt[0]} +datum=WGS84 +units=m")
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xs, ys = tr.transform([c[0] for c in coords], [c[1] for c in coords])
    line = LineString(list(zip(xs, ys, strict=True))) if len(coords) > 1 else Point(xs[0], ys[0])
    return line.distance(Point(0.0, 0.0)) / 1000.0


def _local_xy(lon: float, lat: float, lat0: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(lat0)), lat


def cut_track(
    coords: list[tuple[float, float]],
    start: tuple[float, float] | None,
    end: tuple[float, float] | None,
    *,
    interpolate: bool = False,
) -> list[tuple[float, float]]:
    """Keep the track vertices between the projections of ``start`` and ``end`` onto it.

    Projection is done in a local equirectangular plane. A vertex exactly at a projection is
    kept, so a sourced end point joined to the result never doubles back along the track. With
    ``interpolate`` the projections themselves are added (points of the source's own line, for a
    generalised route whose vertices are tens of km apart).
    """
    lat0 = sum(c[1] for c in coords) / len(coords)
    xy = [_local_xy(lon, lat, lat0) for lon, lat in coords]
    line = LineString(xy)
    along = [0.0]
    for a, b in zip(xy, xy[1:], strict=False):
        along.append(along[-1] + math.dist(a, b))
    lo = line.project(Point(_local_xy(*start, lat0))) if start else -1.0
    hi = line.project(Point(_local_xy(*end, lat0))) if end else along[-1] + 1.0
    eps = 1e-12
    kept = [c for c, s in zip(coords, along, strict=True) if lo - eps <= s <= hi + eps]
    if not interpolate:
        return kept

    def on_line(at: float) -> tuple[float, float]:  # the point of the source's line at ``at``
        x, y = line.interpolate(at).coords[0]
        return x / math.cos(math.radians(lat0)), y

    head = [on_line(lo)] if start and lo > 0 else []
    tail = [on_line(hi)] if end and hi < along[-1] else []
    return head + kept + tail
