"""The interactive map: one self-contained folium page.

- :mod:`.map` builds the map (:func:`folium_map`) and writes it (:func:`save_map`);
- :mod:`.layers`, :mod:`.popups`, :mod:`.labels`, :mod:`.legend`, :mod:`.controls` (with
  ``controls.js`` and ``controls.css``), :mod:`.basemap`, :mod:`.choropleth`, :mod:`.routes`
  and :mod:`.diff` add its parts;
- :mod:`.assets` holds the inlined assets and the deterministic element machinery.
"""

from __future__ import annotations

from corridormap.render.interactive.map import folium_map, save_map

__all__ = ["folium_map", "save_map"]
