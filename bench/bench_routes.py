"""Benchmark route intelligence: building the graph, and k=3 routes between hub pairs.

Run on demand (not part of the tests)::

    python bench/bench_routes.py              # --repeat N (default 5)

Measured in one process on the shipped atlas (loaded first, not timed):

``build``
    ``corridormap.network.graph.build_network(atlas)`` with its cache cleared: reading the network
    files, cutting the lines at hubs, adding line, border and transfer edges. Goal < 1 s.
``routes``
    ``corridormap.routes(atlas, origin, destination, k=3)`` per hub pair, graph already
    built
    (cached): hub lookup, the avoid/modes view, Yen's k shortest paths with distinct-route
    filtering, and the description of each route (km, countries, borders, days, geometry).
    Goal < 200 ms.
``networkx``
    The baseline: plain ``networkx.shortest_simple_paths`` on the same graph and weight, the
    first 3 paths between one node of each hub, nothing else. The ratio ours/networkx is the
    price of the analyst-facing answer over the bare k-paths search.

Each figure is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_check, cpu_line, environment, environment_line, save  # noqa: E402

PAIRS = [
    ("Urumqi", "Istanbul", {}),
    ("Urumqi", "Istanbul", {"avoid": "RUS"}),
    ("Dostyk", "Brest", {}),
    ("Kashgar", "Tashkent", {}),
    ("Kashgar", "Tashkent", {"include": "cku_railway"}),
    ("Altynkol", "Bandar Abbas", {}),
    ("Khorgos (CN)", "Poti port", {}),
]


def best(fn, repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print and save its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import networkx as nx

    import corridormap as cm
    from corridormap.network import graph as network

    before = cpu_check()
    atlas = cm.load()

    def build():
        network._CACHE.clear()
        return network.build_network(atlas)

    build_s = best(build, args.repeat)
    graph = network.build_network(atlas).graph
    rows = []
    for origin, destination, options in PAIRS:
        network.build_network(atlas, include=[options["include"]] if "include" in options else ())

        def ours_call(o=origin, d=destination, kw=options):
            return cm.routes(atlas, o, d, k=3, **kw)

        ours = best(ours_call, args.repeat)
        net = network.build_network(
            atlas, include=[options["include"]] if "include" in options else ()
        )
        a = network.hub_nodes(net, origin)[0]
        b = network.hub_nodes(net, destination)[0]

        def plain(g=net.graph, a=a, b=b):
            return list(islice(nx.shortest_simple_paths(g, a, b, weight="hours_base"), 3))

        base = best(plain, args.repeat)
        label = f"{origin} → {destination}" + "".join(f", {k}={v}" for k, v in options.items())
        rows.append((label, ours, base))
    after = cpu_check()
    env = environment()
    lines = [
        "# bench_routes",
        "",
        f"Graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges. "
        f"Build (cache cleared): **{build_s * 1000:.0f} ms** (goal < 1,000 ms).",
        "",
        "| route (k=3, by days) | corridormap.routes | networkx k-paths only | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, ours, base in rows:
        lines.append(
            f"| {label} | {ours * 1000:.0f} ms | {base * 1000:.1f} ms | {ours / base:.1f}× |"
        )
    lines += ["", environment_line(env), "", cpu_line(before, after)]
    text = "\n".join(lines)
    print(text)
    data = {"build_s": build_s, "routes": rows, "environment": env, "cpu": [before, after]}
    save("bench_routes", text, data)


if __name__ == "__main__":
    main()
