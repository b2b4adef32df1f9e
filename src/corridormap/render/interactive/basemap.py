"""Terrain and water under the corridors: shaded relief and major rivers and lakes, offline.

The files are built by ``scripts/build_relief.py`` and ``scripts/build_water.py`` into
``basemap/`` (shipped in the wheel as ``corridormap/_data/basemap``); see ``basemap/README.md``
for their sources and licences. Both maps use them: :func:`add_terrain` puts them on the
interactive map (the relief as an inlined WebP ``ImageOverlay``, the water as GeoJSON, each a
layer the layer control switches off); the data itself is read in :mod:`corridormap.render.terrain`.
"""

from __future__ import annotations

import base64
import json

import folium
from folium.template import Template

from corridormap._i18n import _
from corridormap.render import styles
from corridormap.render.interactive.assets import Macro, encode_geojson, json_for_html
from corridormap.render.terrain import (
    RELIEF_ATTRIBUTION,
    WATER_ATTRIBUTION,
    basemap_dir,
    relief_bounds,
)

#: Opacity of the relief on the interactive map; it is multiplied into the land colours, so
#: borders and country fills still show through and the corridors stay the strongest thing.
RELIEF_OPACITY = 0.8
#: River line width (the colours are :data:`styles.WATER_FILL` and :data:`styles.WATER_STROKE`).
RIVER_WIDTH_PX = 1.1
#: Panes: relief just above the country fills (250), water above the revenue choropleth (255).
RELIEF_PANE = ("cm-relief", 252)
WATER_PANE = ("cm-water", 257)
#: CSS class of the relief image, and the share of its height and width its edges fade over.
RELIEF_IMAGE_CLASS = "cm-relief-image"
RELIEF_FADE = 0.06
#: From these zooms the relief (about 25 source pixels a degree) fades on the interactive map,
#: rather than show its pixels: to half, then to a fifth of :data:`RELIEF_OPACITY`.
RELIEF_FADE_ZOOMS = (7, 8)


def _relief_data_url() -> str:
    data = (basemap_dir() / "relief_mercator.webp").read_bytes()
    return "data:image/webp;base64," + base64.b64encode(data).decode("ascii")


class _Water(Macro):
    """Lakes and rivers as one GeoJSON layer, styled in the page (not per feature).

    The coordinates are sent encoded (:func:`.assets.encode_geojson`, on the 0.001 degree grid
    the file's coordinates are on already).
    """

    needs_decoder = True
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            L.geoJSON(cmGeo({{ this.data }}), {
                pane: {{ this.pane|tojson }}, interactive: false,
                attribution: {{ this.attribution|tojson }},
                style: function (f) {
                    return f.geometry.type.indexOf("Polygon") >= 0
                        ? {color: {{ this.stroke|tojson }}, weight: 0.6, fillColor:
                           {{ this.fill|tojson }}, fillOpacity: 1}
                        : {color: {{ this.stroke|tojson }}, weight: {{ this.width }},
                           opacity: 0.9, fill: false};
                }
            }).addTo(group);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "Water"
        self.data = json_for_html(encode_geojson(data), compact=True)
        self.pane, self.attribution = WATER_PANE[0], _(WATER_ATTRIBUTION)
        self.fill, self.stroke = styles.WATER_FILL, styles.WATER_STROKE
        self.width = RIVER_WIDTH_PX


class _BlendPane(Macro):
    """Multiply a pane into what lies under it, so a pale image shades the land beneath.

    The relief's edges fade out over :data:`RELIEF_FADE` of its height and width, so where a
    tall phone view or a wide screen reaches past the image, the land turns flat without a hard
    seam.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>.{{ this.image_class }}{-webkit-mask-image:{{ this.mask }};
        -webkit-mask-composite:source-in;mask-image:{{ this.mask }};
        mask-composite:intersect}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getPane({{ this.pane|tojson }}).style.mixBlendMode =
            "multiply";
        {% endmacro %}
        """
    )

    def __init__(self, pane: str):
        super().__init__()
        self._name = "BlendPane"
        self.pane = pane
        self.image_class = RELIEF_IMAGE_CLASS
        stops = f"transparent,#000 {RELIEF_FADE:.0%},#000 {1 - RELIEF_FADE:.0%},transparent"
        self.mask = f"linear-gradient(to bottom,{stops}),linear-gradient(to right,{stops})"


def _water_geojson() -> dict:
    """The water layer's features with their ``kind`` and ``name`` only, for the page.

    Read as JSON (the file is GeoJSON in EPSG:4326 already): the same geometries as
    ``water()`` without geopandas' reader, which the map would otherwise import for this alone.
    """
    doc = json.loads((basemap_dir() / "water.geojson").read_text(encoding="utf-8"))
    features = []
    for feature in doc["features"]:
        found = feature["properties"]
        properties = {"kind": found["kind"]}
        if found.get("name"):
            properties["name"] = found["name"]
        features.append(
            {"type": "Feature", "properties": properties, "geometry": feature["geometry"]}
        )
    return {"type": "FeatureCollection", "features": features}


def add_terrain(m: folium.Map) -> None:
    """Add the shaded relief and the rivers and lakes, each a layer of the layer control.

    The relief is inlined as a WebP data URL (the page's CSP allows ``img-src data:``) in a pane
    over the country fills that multiplies into them; the water is drawn above it.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> add_terrain(m)
    >>> sorted(c.layer_name for c in m._children.values() if hasattr(c, "layer_name"))
    ['Rivers and lakes', 'Shaded relief']
    """
    for name, z_index in (RELIEF_PANE, WATER_PANE):
        folium.map.CustomPane(name, z_index=z_index, pointer_events=False).add_to(m)
    _BlendPane(RELIEF_PANE[0]).add_to(m)
    west, south, east, north = relief_bounds()
    relief = folium.FeatureGroup(name=_("Shaded relief"), overlay=True, show=True)
    folium.raster_layers.ImageOverlay(
        _relief_data_url(),
        bounds=[[south, west], [north, east]],
        pixelated=False,
        pane=RELIEF_PANE[0],
        opacity=RELIEF_OPACITY,
        interactive=False,
        attribution=_(RELIEF_ATTRIBUTION),
        alt="",
        class_name=RELIEF_IMAGE_CLASS,
    ).add_to(relief)
    relief.add_to(m)
    lakes_rivers = folium.FeatureGroup(name=_("Rivers and lakes"), overlay=True, show=True)
    _Water(_water_geojson()).add_to(lakes_rivers)
    lakes_rivers.add_to(m)
