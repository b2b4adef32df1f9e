"""Renderers: the interactive map (``folium_map``, ``save_map``) and the shared styles."""

from corridormap.render.interactive.map import folium_map, save_map

__all__ = ["folium_map", "save_map"]
