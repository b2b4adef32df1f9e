"""Make a folium map self-contained, locked down and reproducible.

- Leaflet's JS and CSS are read from the ``xstatic-leaflet`` package and inlined (its images as
  ``data:`` URIs), so the file makes no network request; nothing third-party is vendored here.
- A Content-Security-Policy forbids every request except the opt-in tile layers' images.
- A JSON build manifest names the package version, the data hash, the selection and the assets.
- Element ids are numbered in tree order instead of folium's random ``uuid4``, so identical
  inputs give byte-identical files.
- Coordinates are sent on a grid of :data:`GRID` steps a degree as encoded polylines
  (:func:`encode_pairs`), which a small script in the head (:data:`DECODER_JS`) turns back into
  arrays: a third of the bytes of JSON numbers.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template

#: Leaflet version of the inlined (and CDN) assets.
LEAFLET_VERSION = "1.9.3"

#: Hosts the optional (hidden by default) tile layers load images from.
TILE_HOSTS = ("https://tile.openstreetmap.org", "https://*.basemaps.cartocdn.com")

#: No fetch, no frame, no external script, style or font; images only inline or opt-in tiles.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    f"img-src data: {' '.join(TILE_HOSTS)}; font-src data:; base-uri 'none'; form-action 'none'"
)


class Raw(Element):
    """Text placed in the page verbatim (folium would parse an ``Element`` as a Jinja template)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        """Return the text unchanged."""
        return self.text


def _place_macros(element: MacroElement, kwargs: dict, wrap: Callable[[str], Element]) -> None:
    """Add ``element``'s rendered header, html and script macros to its figure, each wrapped."""
    figure = element.get_root()
    if getattr(element, "needs_decoder", False):
        _add_decoder(figure)
    module = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = module.get(part)
        if macro is not None:
            getattr(figure, part).add_child(wrap(macro(element, kwargs)), name=element.get_name())


#: Steps a degree of every coordinate in the page: 0.001 degree, so a vertex moves at most
#: 0.0005 degree (56 m north-south, 43 m east-west at 40 N), under half a screen pixel at
#: zoom 10 (about 117 m a pixel at 40 N), the closest view the corridors are drawn for.
GRID = 1000

#: Decodes :func:`encode_pairs` text (``cmDecode``), nested lists of it (``cmLines``) and
#: GeoJSON whose coordinates are such text (``cmGeo``). Placed once in the head of any page
#: an element with ``needs_decoder`` is rendered into.
DECODER_JS = (
    "<script>function cmDecode(t,g){g=g||"
    f"{GRID}"
    ";var v=[],x=0,s=0,i,b;"
    "for(i=0;i<t.length;i++){b=t.charCodeAt(i)-63;x|=(b&31)<<s;s+=5;"
    "if(b<32){v.push(x&1?~(x>>1):x>>1);x=0;s=0;}}"
    "var o=[],a=0,c=0;for(i=0;i+1<v.length;i+=2){a+=v[i];c+=v[i+1];o.push([a/g,c/g]);}return o;}"
    "function cmLines(l){return typeof l==='string'?cmDecode(l):l.map(cmLines);}"
    "function cmGeo(d){(d.features||[]).forEach(function(f){if(f.geometry&&"
    "f.geometry.type!=='Point'){f.geometry.coordinates=cmLines(f.geometry.coordinates);}});"
    "return d;}</script>"
)


def encode_pairs(pairs, grid: int = GRID) -> str:
    """Coordinate pairs (either order; ``cmDecode`` gives them back in it) as polyline text.

    Each value is rounded to ``1/grid`` of a degree and written as the difference from the
    vertex before, five bits a character in the Google polyline alphabet (ASCII 63-126, so the
    text needs no escaping in JSON or HTML); a vertex equal to the one before is dropped.
    """
    import numpy as np

    steps = np.round(np.asarray(pairs, dtype=float).reshape(-1, 2) * grid).astype(np.int64)
    if len(steps) > 1:
        keep = np.ones(len(steps), dtype=bool)
        keep[1:] = np.any(steps[1:] != steps[:-1], axis=1)
        steps = steps[keep]
    deltas = np.vstack([steps[:1], np.diff(steps, axis=0)]).ravel()
    values = np.where(deltas < 0, ~(deltas << 1), deltas << 1)  # sign in the lowest bit
    # Five bits a character, lowest first; 0x20 marks "more follow" (all at once, in numpy).
    width = max(1, -(-int(values.max(initial=0)).bit_length() // 5))  # characters of the longest
    shifts = 5 * np.arange(width, dtype=np.int64)
    chunks = (values[:, None] >> shifts) & 0x1F
    more = (values[:, None] >> (shifts + 5)) > 0
    used = np.ones_like(more)
    used[:, 1:] = more[:, :-1]
    codes = (chunks | np.where(more, 0x20, 0)) + 63
    return codes[used].astype(np.uint8).tobytes().decode("ascii")


def encode_nested(coordinates, grid: int = GRID):
    """Nested coordinate lists with each innermost list of pairs encoded (:func:`encode_pairs`).

    ``[[lat, lon], ...]`` becomes one string; a list of such lists a list of strings, and so on
    (GeoJSON rings, polygons, multipolygons; the parts of a polyline).
    """
    if len(coordinates) and not isinstance(coordinates[0][0], (list, tuple)):
        return encode_pairs(coordinates, grid)
    return [encode_nested(part, grid) for part in coordinates]


def encode_geojson(collection: dict, grid: int = GRID) -> dict:
    """A GeoJSON FeatureCollection with every non-point geometry's coordinates encoded."""
    features = []
    for feature in collection["features"]:
        geometry = feature.get("geometry")
        if geometry and geometry["type"] != "Point":
            coordinates = _as_lists(geometry["coordinates"])
            geometry = {**geometry, "coordinates": encode_nested(coordinates, grid)}
        features.append({**feature, "geometry": geometry})
    return {**collection, "features": features}


def _as_lists(value):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return [_as_lists(v) for v in value]
    return list(value)


def _add_decoder(figure: Element) -> None:
    header = getattr(figure, "header", None)
    if header is not None:
        header.add_child(Raw(DECODER_JS), name="cm-decoder")


class Macro(MacroElement):
    """A MacroElement whose rendered header, html and script are placed verbatim.

    folium's ``MacroElement.render`` wraps each rendered macro in a new ``Element``, whose text
    is then parsed as a Jinja template a second time: ``{{ ... }}`` inside data (a corridor name)
    would be evaluated. Rendering each macro once closes that hole.
    """

    # branca types Element.render as -> str, but MacroElement.render returns None, as here.
    def render(self, **kwargs) -> None:  # type: ignore[override]
        """Render the macros once into the figure, then the children."""
        _place_macros(self, kwargs, Raw)
        for child in self._children.values():
            child.render(**kwargs)


class RenderOnce(MacroElement):
    """Mix into a folium element: its macros' text is placed as folium would, without a re-parse.

    folium's ``MacroElement.render`` wraps each rendered macro in a new ``Element``, whose text
    Jinja compiles and renders again (~0.3 ms an element, hundreds of them in a map). For text
    without Jinja syntax that second pass only drops one trailing newline, so that is done
    directly; text with ``{{``, ``{%``, ``{#`` or a carriage return takes folium's way. The page
    is byte for byte the same. Put it after the folium class: ``class Line(folium.PolyLine,
    RenderOnce)``, so the class's own ``render`` still runs first.
    """

    #: True for an element whose macros hold data that may look like Jinja syntax (the
    #: encoded coordinates' alphabet has ``{``): placed as it is, never parsed again.
    verbatim = False

    def render(self, **kwargs) -> None:  # type: ignore[override]
        """Render the macros into the figure (as folium would place them), then the children."""
        verbatim = getattr(self, "verbatim", False)  # also run on plain folium elements
        _place_macros(self, kwargs, _verbatim if verbatim else _as_rendered)
        for child in self._children.values():
            if type(child).render is MacroElement.render:  # e.g. the "add to parent" folium adds
                RenderOnce.render(child, **kwargs)  # type: ignore[arg-type]
            else:
                child.render(**kwargs)


def _verbatim(text: str) -> Element:
    """The text as :func:`_as_rendered` places text without Jinja syntax (never parsed)."""
    return Raw(text[:-1] if text.endswith("\n") else text)


def _as_rendered(text: str) -> Element:
    """An element that renders as ``Element(text)`` does (Jinja, one trailing newline dropped)."""
    if any(mark in text for mark in ("{{", "{%", "{#", "\r")):
        return Element(text)
    return Raw(text[:-1] if text.endswith("\n") else text)


class FeatureGroup(folium.FeatureGroup, RenderOnce):
    """folium's FeatureGroup, rendered without the re-parse (see :class:`RenderOnce`)."""


#: Leaflet's own defaults for a polyline's options: written out by folium for every line, they
#: only add bytes (about 300 per line), so they are left to Leaflet.
LEAFLET_LINE_DEFAULTS = {
    "bubblingMouseEvents": True,
    "dashArray": None,
    "dashOffset": None,
    "fill": False,
    "fillOpacity": 0.2,
    "fillRule": "evenodd",
    "lineCap": "round",
    "lineJoin": "round",
    "noClip": False,
    "opacity": 1.0,
    "smoothFactor": 1.0,
    "stroke": True,
}


def _encoded_path_template(factory: str) -> Template:
    """The script of a line or polygon whose vertices are sent encoded (``cmLines`` decodes)."""
    return Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.FACTORY(cmLines({{ this.compact_locations }}),
                {{ this.options|tojson }}
            ).addTo({{this._parent.get_name()}});
        {% endmacro %}
        """.replace("FACTORY", factory)
    )


class PolyLine(folium.PolyLine, RenderOnce):
    """folium's PolyLine, rendered without the re-parse (see :class:`RenderOnce`).

    Options equal to Leaflet's defaults (and a fill colour equal to the line colour, which
    Leaflet uses when none is given) are not written, and the vertices are sent encoded
    (:func:`encode_nested`, on the :data:`GRID`; ASCII only, so the text needs no escaping).
    """

    needs_decoder = verbatim = True
    _template = _encoded_path_template("polyline")

    def __init__(self, locations, **kwargs):
        super().__init__(locations, **kwargs)
        self.compact_locations = json.dumps(encode_nested(self.locations), separators=(",", ":"))
        for key, value in LEAFLET_LINE_DEFAULTS.items():
            if key in self.options and self.options[key] == value:
                del self.options[key]
        if self.options.get("fillColor") == self.options.get("color"):
            self.options.pop("fillColor", None)


class Polygon(folium.Polygon, RenderOnce):
    """folium's Polygon, rendered without the re-parse (see :class:`RenderOnce`).

    Its rings are sent encoded, as :class:`PolyLine`'s vertices are.
    """

    needs_decoder = verbatim = True
    _template = _encoded_path_template("polygon")

    def __init__(self, locations, **kwargs):
        super().__init__(locations, **kwargs)
        self.compact_locations = json.dumps(encode_nested(self.locations), separators=(",", ":"))


class CircleMarker(folium.CircleMarker, RenderOnce):  # type: ignore[misc]  # Marker.render()
    """folium's CircleMarker, rendered without the re-parse (see :class:`RenderOnce`).

    Options equal to Leaflet's defaults for a circle marker are not written.
    """

    def __init__(self, location=None, radius: float = 10, **kwargs):
        super().__init__(location, radius=radius, **kwargs)
        for key, value in (LEAFLET_LINE_DEFAULTS | {"fill": True}).items():
            if key in self.options and self.options[key] == value:
                del self.options[key]


#: The page may be zoomed (folium's own viewport tag sets ``user-scalable=no``).
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
_VIEWPORT_RE = re.compile(r'<meta name="viewport" content="[^"]*"\s*/?>')


class Tag(Macro):
    """Set a property on the parent's Leaflet object (an id the map's scripts find it by)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.key }} = {{ this.value|tojson }};\n"
        "{% endmacro %}"
    )

    def __init__(self, key: str, value: str):
        super().__init__()
        self._name = "Tag"
        if not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise ValueError(f"a tag name must be a JavaScript identifier, got {key!r}")
        self.key, self.value = key, value


class MapFigure(Figure):
    """A branca Figure with a language, a charset and an escaped title, that renders afresh.

    branca keeps what each render adds to the page's header, body and script; folium adds some
    of it under random names, so a second render would repeat lines. This figure starts every
    render from its fixed header items (:meth:`add_head`), so rendering is repeatable.
    """

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "{% if this.title %}<title>{{ this.title|e }}</title>\n{% endif %}"
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, title: str | None = None, lang: str = "en"):
        super().__init__(title=title)
        self.lang = lang
        # The template writes <meta charset>; Figure's http-equiv charset meta is not needed.
        self._head: dict[str, Element] = {}

    def add_head(self, name: str, element: Element) -> None:
        """Place an element at the top of ``<head>``, in the order added."""
        self._head[name] = element

    def render(self, **kwargs) -> str:
        """Render the page from scratch (same tree, same bytes)."""
        self.header._children = OrderedDict(self._head)
        self.html._children = OrderedDict()
        self.script._children = OrderedDict()
        for element in self._head.values():
            element._parent = self.header
        return _VIEWPORT_RE.sub(VIEWPORT, super().render(**kwargs))


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


def _data_uri(path: Path) -> str:
    kind = {".png": "image/png", ".svg": "image/svg+xml"}[path.suffix]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _script_safe(text: str) -> str:
    """Strip source-map comments and anything that could close the inline tag early."""
    text = re.sub(r"^\s*/[/*]# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as ``data:`` URIs."""
    folder = _leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        return f'url("{_data_uri(folder / "images" / match.group(1))}")'

    return _script_safe(re.sub(r"url\(images/([\w.-]+)\)", inline, css))


@cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, safe to place inside a ``<script>`` element."""
    return _script_safe((_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"))


def offline_head() -> Raw:
    """The CSP meta tag and inlined Leaflet, for the top of ``<head>``."""
    return Raw(
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">\n'
        f"<style>{leaflet_css()}</style>\n<script>{leaflet_js()}</script>\n"
    )


def json_for_html(value: object, *, compact: bool = False) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (``<``, ``>``, ``&`` escaped)."""
    layout: dict = {"separators": (",", ":")} if compact else {"indent": 1}
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, **layout)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_for_script(value: object) -> str:
    """Compact JSON for a ``<script type="application/json">`` element, as UTF-8.

    Only what could end or re-open the element is escaped (``</`` and ``<!``): for a table of
    HTML strings already escaped in Python, where :func:`json_for_html` would write every tag's
    ``<`` and ``>`` as six characters.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!", "<\\u0021")


def manifest_element(manifest: dict) -> Raw:
    """The build manifest as ``<script type="application/json" id="corridormap-manifest">``."""
    return Raw(
        '<script type="application/json" id="corridormap-manifest">\n'
        f"{json_for_html(manifest)}\n</script>\n"
    )


def _tree(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        if not isinstance(child, ElementAddToElement):  # created afresh by every render
            yield from _tree(child)


def stabilize_ids(root: Element) -> None:
    """Number every element's id in tree order, replacing folium's random ``uuid4`` ids.

    Elements that each render re-creates are skipped, so a map gets the same ids whether or not
    it was rendered before (e.g. shown in a notebook, then saved).
    """
    for number, element in enumerate(_tree(root)):
        element._id = f"{number:04d}"
