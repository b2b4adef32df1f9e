"""Benchmark the interactive map against a plain folium map of the same layers.

Run on demand (not part of the tests)::

    python bench/bench_map.py [--repeat 5] [--geo-dir D --data-dir D]

Both maps are built and rendered to HTML in this one process from the same atlas, alternately:
``corridormap`` (``folium_map`` + render, what ``corridormap map`` writes: self-contained,
per-segment styling, popups, legend) and a baseline of ``folium.GeoJson`` layers of the raw
GeoDataFrames with folium's default CDN assets. Each is built once untimed (warm-up), then
``--repeat`` times; the best time is shown. Both files are written to bench/results/ with the
table (``map.md``, ``map.json``).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import time
from collections.abc import Callable

import folium
from _common import RESULTS, commit, cpu_check, cpu_line, environment, environment_line, save

import corridormap
from corridormap.render import save_map, styles

#: The size the self-contained map must stay under (1.5 MB, decimal).
LIMIT_BYTES = 1_500_000
#: A <script src=…> or <link href=…> that the browser fetches from the network on load.
EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


def baseline_map(atlas: corridormap.Atlas) -> folium.Map:
    """A plain folium map: one GeoJson layer per mode, countries and places (CDN assets)."""
    m = folium.Map(tiles=None)
    folium.GeoJson(json.loads(atlas.countries.to_json(na="null")), name="Countries").add_to(m)
    for mode, frame in atlas.segments.groupby("mode", sort=False):
        layer = folium.FeatureGroup(name=styles.mode_label(mode))
        folium.GeoJson(json.loads(frame.to_json(na="null")), name=mode).add_to(layer)
        layer.add_to(m)
    folium.GeoJson(json.loads(atlas.places.to_json(na="null")), name="Places").add_to(m)
    folium.LayerControl().add_to(m)
    west, south, east, north = atlas.segments.total_bounds
    m.fit_bounds([[south, west], [north, east]])
    return m


def baseline_html(atlas: corridormap.Atlas) -> str:
    """Build and render the baseline map."""
    return baseline_map(atlas).get_root().render()


def corridormap_html(atlas: corridormap.Atlas) -> str:
    """Build and render the default corridormap map, as the first map of a freshly loaded atlas.

    ``dataclasses.replace`` gives a new atlas object, so the lengths and revenue kept for the
    previous build's atlas are not reused: every build computes them once, as a command does.
    """
    return corridormap.folium_map(dataclasses.replace(atlas)).get_root().render()


def timed(build: Callable[[corridormap.Atlas], str], atlas: corridormap.Atlas) -> float:
    """Wall time (seconds) of one build + render."""
    start = time.perf_counter()
    build(atlas)
    return time.perf_counter() - start


def sizes(html: str) -> dict[str, int]:
    """Bytes of the HTML as UTF-8 and gzipped (as a web server would send it)."""
    raw = html.encode("utf-8")
    return {
        "bytes": len(raw),
        "gzip_bytes": len(gzip.compress(raw, 9, mtime=0)),
        "external_assets": len(EXTERNAL.findall(html)),
    }


def main() -> None:
    """Print build time and size of both maps and their ratios; write them to bench/results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--geo-dir", default=None, help="default: the shipped atlas")
    parser.add_argument("--data-dir", default=None, help="default: the shipped atlas")
    args = parser.parse_args()
    env = environment()
    cpu_before = cpu_check()
    atlas = corridormap.load(args.geo_dir, args.data_dir)
    builds = {"corridormap (offline)": corridormap_html, "folium GeoJson (CDN)": baseline_html}
    times: dict[str, list[float]] = {name: [] for name in builds}
    for build in builds.values():  # warm-up: imports, cached assets
        build(atlas)
    for _ in range(args.repeat):
        for name, build in builds.items():
            times[name].append(timed(build, atlas))

    cpu_after = cpu_check()
    RESULTS.mkdir(exist_ok=True)
    ours_path = save_map(corridormap.folium_map(atlas), RESULTS / "corridors.html")
    base_path = RESULTS / "baseline.html"
    base_path.write_text(baseline_html(atlas), encoding="utf-8")
    files = {"corridormap (offline)": ours_path, "folium GeoJson (CDN)": base_path}
    rows = {}
    for name, path in files.items():
        html = path.read_text(encoding="utf-8")
        rows[name] = {"best_s": min(times[name]), "times_s": times[name], **sizes(html)}
        assert rows[name]["bytes"] == path.stat().st_size
    ours, base = rows["corridormap (offline)"], rows["folium GeoJson (CDN)"]

    lines = [
        f"Atlas: {len(atlas)} corridors, {len(atlas.segments)} segments, "
        f"{len(atlas.places)} places, {len(atlas.countries)} countries. "
        f"Best of {args.repeat} builds (after one warm-up).",
        "",
        "| map | build + render (s) | HTML (bytes) | HTML (MB) | gzipped (KB) "
        "| external assets on load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['best_s']:.2f} | {row['bytes']:,} | {row['bytes'] / 1e6:.2f} "
            f"| {row['gzip_bytes'] / 1e3:,.0f} | {row['external_assets']} |"
        )
    lines.append(
        f"| ratio corridormap / baseline | {ours['best_s'] / base['best_s']:.1f}x "
        f"| {ours['bytes'] / base['bytes']:.2f}x | | "
        f"{ours['gzip_bytes'] / base['gzip_bytes']:.2f}x | |"
    )
    verdict = "under" if ours["bytes"] < LIMIT_BYTES else "OVER"
    lines += [
        "",
        f"Self-contained map: {ours['bytes']:,} bytes = {ours['bytes'] / 1e6:.2f} MB, "
        f"{verdict} the {LIMIT_BYTES / 1e6:.1f} MB limit; "
        f"{ours['external_assets']} scripts/stylesheets fetched from the network on load.",
        "",
        f"Machine: {environment_line(env)}"
        + ("" if commit() == env["commit"] else f" (the tree moved to {commit()} during the run)"),
        cpu_line(cpu_before, cpu_after),
    ]
    text = "\n".join(lines)
    print(text)
    written = save(
        "map",
        text,
        {
            "environment": env,
            "repeat": args.repeat,
            "maps": rows,
            "cpu_check": {"before": cpu_before, "after": cpu_after},
        },
    )
    print(f"\nWrote {', '.join(str(p) for p in written[:2])}, {ours_path}, {base_path}")


if __name__ == "__main__":
    main()
