"""The freight network: the routable graph, its hubs, the k best routes, what a project changes.

- :mod:`.graph` builds the graph from the corridors and the connecting network;
- :mod:`.hubs` resolves the names readers use for hubs;
- :mod:`.search` finds the k best routes (:func:`routes`);
- :mod:`.compare` measures what a project changes (:func:`route_change`).
"""

from __future__ import annotations

from corridormap.network.compare import route_change
from corridormap.network.search import routes

__all__ = ["route_change", "routes"]
