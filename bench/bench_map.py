"""Benchmark the interactive map against a plain folium map of the same layers.

Run on demand (not part of the tests)::

    python bench/bench_map.py [--repeat 3] [--geo-dir D --data-dir D]

Both maps are built and rendered to HTML in this process from the same atlas: ``corridormap``
(self-contained, per-segment styling, popups, legend) and a baseline of ``folium.GeoJson`` layers
of the raw GeoDataFrames with folium's default CDN assets. The best of ``--repeat`` runs is shown.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import folium

import corridormap
from corridormap.render import styles


def baseline_html(atlas: corridormap.Atlas) -> str:
    """Render a plain folium map: one GeoJson layer per mode, countries and places (CDN assets)."""
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
    return m.get_root().render()


def corridormap_html(atlas: corridormap.Atlas) -> str:
    """Render the default corridormap map (what ``corridormap map`` writes)."""
    return corridormap.folium_map(atlas).get_root().render()


def best(build: Callable[[corridormap.Atlas], str], atlas, repeat: int) -> tuple[float, int]:
    """Best wall time (seconds) over ``repeat`` runs and the HTML size in bytes."""
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(build(atlas).encode("utf-8"))
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    """Print build time and size of both maps and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--geo-dir", default=None, help="default: the shipped atlas")
    parser.add_argument("--data-dir", default=None, help="default: the shipped atlas")
    args = parser.parse_args()
    atlas = corridormap.load(args.geo_dir, args.data_dir)
    ours = best(corridormap_html, atlas, args.repeat)
    base = best(baseline_html, atlas, args.repeat)
    print(f"atlas: {len(atlas)} corridors, {len(atlas.segments)} segments")
    print(f"{'variant':<28}{'build (s)':>10}{'HTML (KB)':>12}")
    print(f"{'corridormap (offline)':<28}{ours[0]:>10.2f}{ours[1] / 1024:>12,.0f}")
    print(f"{'folium GeoJson (CDN)':<28}{base[0]:>10.2f}{base[1] / 1024:>12,.0f}")
    time_ratio, size_ratio = ours[0] / base[0], ours[1] / base[1]
    print(f"{'ratio corridormap/baseline':<28}{time_ratio:>9.1f}x{size_ratio:>11.2f}x")


if __name__ == "__main__":
    main()
