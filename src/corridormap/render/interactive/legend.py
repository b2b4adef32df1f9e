"""The map's furniture as branca MacroElements: panel, legend, buttons, basemap, stylesheet.

The panel holds the title and the legend; the basemap draws countries without a tile server.

Text given to these elements is escaped here; it reaches JavaScript only as JSON strings.
"""

from __future__ import annotations

import string

from folium.template import Template

from corridormap._format import esc
from corridormap._i18n import _, current
from corridormap.render import styles
from corridormap.render.interactive.assets import Macro, encode_geojson, json_for_html

_FULLSCREEN_ICON = (
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" '
    'stroke="currentColor" stroke-width="1.8" stroke-linecap="round">'
    '<path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg>'
)


class _Control(Macro):
    """A Leaflet control holding fixed HTML, optionally moved to the top of its corner."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.content|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
            {%- if this.first %}
            var box = control.getContainer();
            box.parentNode.insertBefore(box, box.parentNode.firstChild);
            {%- endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, content: str, *, position: str, css_class: str, first: bool = False):
        super().__init__()
        self._name = type(self).__name__
        self.content = content
        self.position = position
        self.css_class = css_class
        self.first = first


def _line_sample(colour: str, weight: float, dash: str | None, *, opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="34" height="14" aria-hidden="true"><line x1="4" y1="7" x2="30" y2="7" '
        f'stroke="{colour}" stroke-width="{weight:g}" stroke-linecap="round" '
        f'stroke-opacity="{opacity:g}"{dash_attr}/></svg>'
    )


def _item(sample: str, label: str) -> str:
    return f"<li>{sample}<span>{esc(label)}</span></li>"


def legend_line(colour: str, weight: float, dash: str | None, label: str) -> str:
    """A legend row with a line sample (for a layer of lines, e.g. the routes)."""
    return _item(_line_sample(colour, weight, dash), label)


def legend_swatch(colour: str, label: str, *, stroke: str = "#54278F", dash: str = "") -> str:
    """A legend row with a filled square (for an area class)."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    box = (
        '<svg width="34" height="14" aria-hidden="true"><rect x="9" y="1" width="16" height="12" '
        f'fill="{colour}" stroke="{stroke}" stroke-width="0.8"{dashed}/></svg>'
    )
    return _item(box, label)


def legend_html(
    modes: list[str],
    statuses: list[str],
    approximate: str | None,
    place_kinds: list[str],
    extra: str | None = None,
) -> str:
    """Return the legend's HTML: modes, statuses, the approximate halo, place kinds, ``extra``.

    ``extra`` is legend HTML built (and escaped) elsewhere, e.g. the revenue classes.
    """
    grey = "#444444"
    mode_items = [
        _item(_line_sample(styles.MODE_STYLES[m].colour, 4, None), styles.mode_label(m))
        for m in modes
    ]
    status_items = [
        _item(_line_sample(grey, 3, styles.leaflet_dash(s, 3)), styles.status_label(s))
        for s in statuses
    ]
    if approximate:
        halo = _line_sample(grey, styles.HALO_WEIGHT - 2, None, opacity=styles.HALO_OPACITY)
        line = _line_sample(grey, 2, None)
        status_items.append(_item(halo.replace("</svg>", line[line.index("<line") :]), approximate))
    place_items = []
    by_style: dict[tuple[float, str, str], list[str]] = {}
    for kind in place_kinds:  # kinds drawn alike share one row
        by_style.setdefault(styles.PLACE_STYLES[kind], []).append(styles.place_label(kind))
    for (radius, fill, stroke), labels in by_style.items():
        dot = (
            f'<svg width="34" height="14" aria-hidden="true"><circle cx="17" cy="7" r="{radius:g}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/></svg>'
        )
        label = labels[0] + "".join(f"{current().comma}{x.lower()}" for x in labels[1:])
        place_items.append(_item(dot, label))
    groups = [(_("Mode"), mode_items), (_("Status"), status_items), (_("Places"), place_items)]
    body = "".join(
        f'<div class="cm-h">{esc(title)}</div><ul>{"".join(items)}</ul>'
        for title, items in groups
        if items
    ) + (extra or "")
    summary = esc(_("Legend"))
    return (
        f'<details open><summary>{summary}</summary><div class="cm-legend">{body}</div></details>'
    )


class Panel(_Control):
    """Title, subtitle and the collapsible legend in one box at the top left.

    The legend starts folded on narrow maps (an embedded iframe, a phone).
    """

    def __init__(self, title: str, subtitle: str | None, legend: str):
        sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
        super().__init__(
            f"<h1>{esc(title)}</h1>{sub}{legend}",
            position="topleft",
            css_class="cm-box cm-panel",
        )


class Fullscreen(Macro):
    """A button that shows the map full screen with the browser's Fullscreen API (no plugin)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            if (!document.fullscreenEnabled) { return; }
            var control = L.control({position: "bottomright"});
            control.onAdd = function () {
                var bar = L.DomUtil.create("div", "leaflet-bar cm-fullscreen");
                var button = L.DomUtil.create("a", "", bar);
                button.href = "#";
                button.setAttribute("role", "button");
                button.title = {{ this.label|tojson }};
                button.setAttribute("aria-label", {{ this.label|tojson }});
                button.innerHTML = {{ this.icon|tojson }};
                L.DomEvent.disableClickPropagation(bar);
                L.DomEvent.on(button, "click", function (event) {
                    L.DomEvent.preventDefault(event);
                    if (document.fullscreenElement) { document.exitFullscreen(); }
                    else { map.getContainer().requestFullscreen(); }
                });
                return bar;
            };
            control.addTo(map);
            document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Fullscreen"
        self.icon = _FULLSCREEN_ICON
        self.label = _("Full screen")


class Attribution(Macro):
    """Credit the data: a fixed prefix and one line per data source shown.

    On a narrow map (the ``cm-narrow`` layout) the credits fold to two lines, which still name
    OpenStreetMap, behind a "Sources" button that unfolds them; the button lives in Leaflet's
    prefix, so it survives Leaflet redrawing the credits when a layer is toggled. Add this before
    the layers so these credits lead and the layers' own follow.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = {{ this._parent.get_name() }}.attributionControl;
            var box = control.getContainer(), prefix = {{ this.prefix|tojson }};
            function show(open) {
                box.classList.toggle("cm-attr-open", open);
                control.setPrefix('<button type="button" class="cm-attr-more" aria-expanded="'
"""  # the next line is one line of the page, as it always was
        "                    + open + '\">' + (open ? {{ this.fewer|tojson }} : "
        '{{ this.more|tojson }}) + "</button> " + prefix);\n'
        """            }
            show(false);
            L.DomEvent.on(box, "click", function (event) {
                if (event.target.closest && event.target.closest(".cm-attr-more")) {
                    show(!box.classList.contains("cm-attr-open"));
                }
            });
            {%- for line in this.lines %}
            control.addAttribution({{ line|tojson }});
            {%- endfor %}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lines: list[str]):
        super().__init__()
        self._name = "Attribution"
        self.fewer, self.more = _("Fewer"), _("Sources")
        self.prefix = 'corridormap · <a href="https://leafletjs.com">Leaflet</a>'
        self.lines = [esc(line) for line in lines]


class Basemap(Macro):
    """Country polygons and their names, drawn from GeoJSON with no tile server.

    The outlines are sent encoded (:func:`.assets.encode_geojson`, on the 0.001 degree grid).
    """

    needs_decoder = True
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            L.geoJSON(cmGeo({{ this.countries }}), {
                pane: "cm-countries", interactive: false,
                style: function (f) {
                    var fill = f.properties.selected ? {{ this.fill_selected|tojson }}
                        : {{ this.fill|tojson }};
                    return {color: {{ this.stroke|tojson }}, weight: 0.8, opacity: 1,
                            fillColor: fill, fillOpacity: 1};
                }
            }).addTo(group);
            {{ this.labels }}.forEach(function (label) {
                L.marker([label[0], label[1]], {
                    pane: "cm-labels", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "cm-country cm-label", iconSize: null,
                                     html: label[2]})
                }).addTo(group);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, countries: dict, labels: list[tuple[float, float, str, str]]):
        super().__init__()
        self._name = "Basemap"
        self.countries = json_for_html(encode_geojson(countries), compact=True)
        self.labels = json_for_html(
            [[lat, lon, _placed(name, codes)] for lat, lon, name, codes in labels], compact=True
        )
        self.fill = styles.LAND_FILL
        self.fill_selected = styles.LAND_FILL_SELECTED
        self.stroke = styles.LAND_STROKE


def _placed(name: str, codes: str) -> str:
    """A name's HTML: escaped text with its placement code per zoom (see :mod:`.labels`)."""
    return f'<span data-z="{esc(codes)}">{esc(name)}</span>'


class PlaceNames(Macro):
    """Names next to the place markers; ``controls.js`` shows each where it was placed."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            {{ this.names }}.forEach(function (label) {
                L.marker([label[0], label[1]], {
                    pane: "cm-place-names", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "cm-place-name cm-label cm-pn-" + label[3],
                                     iconSize: null, html: label[2]})
                }).addTo(group);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, names: list[tuple[float, float, str, str, str]]):
        super().__init__()
        self._name = "PlaceNames"
        self.names = json_for_html(
            [[lat, lon, _placed(name, codes), kind] for lat, lon, name, kind, codes in names],
            compact=True,
        )


class Stylesheet(Macro):
    """The page's CSS: system fonts, boxes, popups, legend and the mode swatches."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Stylesheet"
        self.css = stylesheet()


def stylesheet() -> str:
    """Return the map's CSS (no external font, colours from :mod:`.styles`)."""
    swatches = "".join(
        f".cm-mode-{mode}{{background:{style.colour}}}"
        for mode, style in styles.MODE_STYLES.items()
    )
    css = _CSS.substitute(
        font=styles.font_stack(),
        text=styles.TEXT_COLOUR,
        muted=styles.MUTED_COLOUR,
        background=styles.BACKGROUND,
        label=styles.LABEL_COLOUR,
    )
    if not current().english:  # longer words: keep the panel clear of the layer button
        css += _TRANSLATED_CSS
    return css.strip() + "\n" + swatches


#: Rules of translated pages only (the English page stays as it always was): on a phone the
#: panel's width is capped by the viewport, since Russian labels would widen it under the layer
#: control's button.
_TRANSLATED_CSS = """
.leaflet-container.cm-narrow .cm-panel{max-width:calc(100vw - 92px)}
.cm-sets{grid-template-columns:minmax(108px,auto) 1fr}
"""


_CSS = string.Template("""
html,body{margin:0;padding:0;width:100%;height:100%}
.leaflet-container{font:13px/1.4 $font;color:$text;background:$background}
.leaflet-container a{color:#0b5cad}
.cm-box{background:rgba(255,255,255,.94);border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.25);
padding:10px 12px}
.cm-panel{width:270px;max-width:calc(100vw - 90px);max-height:calc(100vh - 90px);overflow:auto}
.cm-panel h1{font-size:16px;line-height:1.25;margin:0;font-weight:650}
.cm-panel p{margin:4px 0 0;color:$muted;font-size:12.5px}
.cm-panel details{margin-top:8px;border-top:1px solid #e3e3e3;padding-top:6px}
.cm-panel summary{font-weight:650;cursor:pointer;font-size:12.5px}
.cm-legend ul{list-style:none;margin:0;padding:0}
.cm-legend li{display:flex;align-items:center;gap:6px;font-size:12px;line-height:18px}
.cm-legend svg{flex:none}
.cm-h{font-size:10.5px;font-weight:650;text-transform:uppercase;letter-spacing:.06em;
color:$muted;margin:8px 0 2px}
.cm-country,.cm-place-name{pointer-events:none}
.cm-label span{position:absolute;white-space:nowrap;display:none}
.cm-country span{font-size:11px;letter-spacing:.14em;text-transform:uppercase;color:$label;
font-weight:600;text-shadow:0 0 3px #fff,0 0 3px #fff}
.cm-low .cm-country span{font-size:9.5px;letter-spacing:.06em}
.cm-place-name span{font-size:11.5px;color:$text;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.cm-pn-pass span{font-style:italic;color:$muted}
.cm-label span.cm-at1,.cm-label span.cm-at2,.cm-label span.cm-at3,.cm-label span.cm-at4,
.cm-label span.cm-at5,.cm-label span.cm-at6,.cm-label span.cm-at7,.cm-label span.cm-at8,
.cm-label span.cm-at9{display:block}
.cm-at1{transform:translate(7px,-50%)}
.cm-at2{transform:translate(calc(-100% - 7px),-50%)}
.cm-at3{transform:translate(-50%,calc(-100% - 7px))}
.cm-at4{transform:translate(-50%,6px)}
.cm-at5{transform:translate(-50%,-50%)}
.cm-at6{transform:translate(-50%,calc(-50% - 15px))}
.cm-at7{transform:translate(-50%,calc(-50% + 15px))}
.cm-at8{transform:translate(-83.3%,-50%)}
.cm-at9{transform:translate(-16.7%,-50%)}
.cm-fullscreen a{display:flex!important;align-items:center;justify-content:center;color:#333}
.cm-tip{font-size:12px;border-radius:4px}
.cm-pop{font-size:12.5px}
.cm-pop h3{font-size:15px;margin:0 0 2px;line-height:1.3}
.cm-meta{color:$muted;display:flex;align-items:center;gap:6px}
.cm-key{display:inline-block;width:18px;height:4px;border-radius:2px}
.cm-desc{margin:6px 0}
.cm-facts{border-collapse:collapse;width:100%;margin-top:4px}
.cm-facts th{text-align:left;font-weight:600;color:$muted;padding:2px 8px 2px 0;
vertical-align:top;white-space:nowrap}
.cm-facts td{padding:2px 0;vertical-align:top}
.cm-segs,.cm-src{margin:0;padding-left:18px}
.cm-src li,.cm-segs li{margin:1px 0}
.cm-ref{color:$muted;font-size:9.5px}
.cm-muted{color:$muted}
.cm-note{margin:0 0 4px;font-size:11px;color:$muted}
.cm-approx{margin:6px 0 0;padding:4px 6px;background:#fff6df;border-left:3px solid #E69F00}
.leaflet-popup-content{margin:12px 14px}
.leaflet-control-layers-list{font-size:12.5px}
.leaflet-control-layers label{display:flex;align-items:center}
.leaflet-control-layers .cm-key{margin:0 5px 0 2px}
""")


class ControlTitles(Macro):
    """Leaflet's own button titles (zoom, layers) in the page's language; none on English pages."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var box = {{ this._parent.get_name() }}.getContainer();
            {{ this.titles }}.forEach(function (pair) {
                box.querySelectorAll(pair[0]).forEach(function (node) {
                    node.title = pair[1];
                    node.setAttribute("aria-label", pair[1]);
                });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ControlTitles"
        self.titles = json_for_html(
            [
                [".leaflet-control-zoom-in", _("Zoom in")],
                [".leaflet-control-zoom-out", _("Zoom out")],
                [".leaflet-control-layers-toggle", _("Layers")],
            ],
            compact=True,
        )
