"""Budgets of China's footprint (issue 24): map size with both layers, finance_near warm.

- **map size**: the whole-atlas default map, which has the layers "Chinese finance (AidData)"
  and "Energy (GEM)" (``corridormap.folium_map(atlas)``), against the same map without them
  (``footprint=False``) and the plain geopandas/folium baseline of ``bench_map.py`` built in the
  same run; the page by part, and the footprint's own payload by part; budget 1.0 MB for the
  map with both layers.
- **finance_near**: ``cm.finance_near(atlas, c, km=20)`` for every corridor, warm (imports
  done, atlas loaded, one call each made first); best of ``--repeat`` rounds; budget 100 ms.

The cold ``corridormap map`` against the naive script is measured by ``bench_startup.py`` (the
footprint is part of the default map, so its "map (cold)" row includes it).

    python bench/bench_footprint.py            # ~30 s; --repeat N (default 5)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from _common import environment, environment_line, save

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MAP_BUDGET_BYTES = 1_000_000
NEAR_BUDGET_S = 0.100


def main() -> None:
    """Measure, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import corridormap as cm
    from corridormap.render.interactive import footprint as fp

    atlas = cm.load()
    work = Path(tempfile.mkdtemp(prefix="corridormap-footprint-"))
    from bench_map import baseline_html

    sizes = {}
    pages = {}
    for name, kwargs in (("with both layers", {}), ("without them", {"footprint": False})):
        path = cm.save_map(cm.folium_map(atlas, **kwargs), work / f"{name}.html")
        raw = path.read_bytes()
        pages[name] = raw.decode("utf-8")
        sizes[name] = (len(raw), len(gzip.compress(raw, 9, mtime=0)))
    base = baseline_html(atlas).encode("utf-8")
    sizes["baseline"] = (len(base), len(gzip.compress(base, 9, mtime=0)))
    page_parts = parts_of(pages["with both layers"])

    def size(value: object) -> int:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    finance = fp.finance_data(atlas)
    parts = {
        "finance: projects (titles, amounts, lenders, years)": size(finance["projects"]),
        "finance: traced outlines (delta-coded)": size(finance["shapes"]),
        "finance: regional split and regions": size(finance["splits"]) + size(finance["regions"]),
        "energy: pipelines and plants": size(fp.energy_data(atlas)),
        "search entries": size(fp.search_entries(atlas)),
    }
    corridors = list(atlas.corridors["corridor_id"])
    for c in corridors:  # warm: imports, Geod, the frames' first take
        cm.finance_near(atlas, c, km=20)
    rounds = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for c in corridors:
            cm.finance_near(atlas, c, km=20)
        rounds.append(time.perf_counter() - start)
    best = min(rounds)
    with_both, without, plain = sizes["with both layers"], sizes["without them"], sizes["baseline"]
    lines = [
        "# Footprint budgets (issue 24)",
        "",
        "| measure | value | budget | met |",
        "|---|---|---|---|",
        f"| whole-atlas map with both layers | {with_both[0] / 1e6:.3f} MB "
        f"({with_both[1] / 1e3:,.0f} KB gzipped) | ≤ 1.0 MB | "
        f"{'yes' if with_both[0] <= MAP_BUDGET_BYTES else 'no'} |",
        f"| the same map without them | {without[0] / 1e6:.3f} MB "
        f"({without[1] / 1e3:,.0f} KB gzipped) | | |",
        f"| what the two layers add | {(with_both[0] - without[0]) / 1e3:,.0f} KB | | |",
        f"| plain geopandas/folium map (bench_map.py's baseline: CDN assets, no relief, no "
        f"popups), same run | {plain[0] / 1e6:.3f} MB ({plain[1] / 1e3:,.0f} KB gzipped) | | |",
        f"| ratio, map with both layers / baseline | {with_both[0] / plain[0]:.2f}x "
        f"({with_both[1] / plain[1]:.2f}x gzipped) | | |",
        f"| finance_near, all {len(corridors)} corridors, warm (best of {args.repeat}) | "
        f"{best * 1e3:.0f} ms (median {sorted(rounds)[len(rounds) // 2] * 1e3:.0f} ms) | "
        f"< 100 ms | {'yes' if best < NEAR_BUDGET_S else 'no'} |",
        "",
        "The map with both layers, by part (bytes of the page):",
        "",
        "| part | bytes |",
        "|---|---|",
        *(f"| {name} | {value:,} |" for name, value in page_parts.items()),
        "",
        "The footprint's payload in the page, by part (compact JSON, bytes):",
        "",
        "| part | bytes |",
        "|---|---|",
        *(f"| {name} | {value:,} |" for name, value in parts.items()),
        "",
        environment_line(environment()),
    ]
    text = "\n".join(lines)
    print(text)
    save(
        "footprint",
        text,
        {
            "map_bytes": sizes,
            "parts": parts,
            "page_parts": page_parts,
            "finance_near_rounds_s": rounds,
            "environment": environment(),
        },
    )


def parts_of(page: str) -> dict[str, int]:
    """Bytes of the page's big parts, found by their markers; the rest as one figure."""

    def size(pattern: str) -> int:
        return sum(len(m.encode()) for m in re.findall(pattern, page, re.S))

    found = {
        "Leaflet (inlined JS and CSS)": size(r"<script>/\* @preserve.*?</script>")
        + size(r"<style>/\* required styles \*/.*?</style>"),
        "relief (WebP, base64)": size(r"data:image/webp;base64,[A-Za-z0-9+/=]+"),
        "countries and water (encoded GeoJSON)": size(r"L\.geoJSON\(cmGeo\(.*?\n"),
        "corridor lines and halos (encoded)": size(r"L\.polyline\(cmLines\(.*?\)\.addTo"),
        "popup and tooltip table": size(
            r'<script type="application/json" id="cm-popups-.*?</script>'
        ),
        "footprint data": size(r'<script type="application/json" id="cm-footprint-.*?</script>'),
        "controls data (search, timeline, labels)": size(
            r'<script type="application/json" id="cm-data-.*?</script>'
        ),
    }
    found["everything else (scripts, legend, places, revenue layer)"] = len(page.encode()) - sum(
        found.values()
    )
    return found


if __name__ == "__main__":
    main()
