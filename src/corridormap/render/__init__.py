"""Renderers: the interactive map (``folium_map``, ``save_map``) and the shared styles."""

from .html import folium_map, save_map

__all__ = ["folium_map", "save_map"]
