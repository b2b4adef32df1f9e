"""The interactive map: ``folium_map`` builds it, ``save_map`` writes it.

The default output is one self-contained HTML file: Leaflet inlined, a Content-Security-Policy
that forbids network requests, an offline country basemap, numbered (deterministic) element ids
and a build manifest. ``cdn=True`` links Leaflet from the CDN instead.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import folium
import geopandas as gpd

from corridormap import _format, settings, vocabulary
from corridormap._i18n import N_, _, current, ngettext, release_label, speaks, using
from corridormap._util import Many, as_list
from corridormap.atlas.core import Atlas
from corridormap.atlas.credits import credit_lines
from corridormap.io import write_text
from corridormap.query import select
from corridormap.render import styles
from corridormap.render.interactive import assets, basemap, layers, popups
from corridormap.render.interactive.choropleth import add_revenue_layer
from corridormap.render.interactive.controls import Controls, controls_data
from corridormap.render.interactive.legend import (
    Attribution,
    ControlTitles,
    Fullscreen,
    Panel,
    Stylesheet,
    legend_html,
)
from corridormap.render.interactive.routes import add_route_layer, route_bounds

log = logging.getLogger(__name__)

DEFAULT_TITLE = N_("China–Central Asia infrastructure corridors")
#: Optional tile layers (listed in the layer control, hidden by default): name → (url, attribution).
TILES = {
    N_("OpenStreetMap (online)"): (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    N_("CartoDB Positron (online)"): (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
}


class CorridorMap(folium.Map):
    """A folium Map that renders offline (Leaflet inlined) unless ``cdn`` is true.

    Parameters
    ----------
    title, subtitle
        Shown in the title box; the title is also the page's ``<title>``.
    cdn
        Link Leaflet from its CDN instead of inlining it (no CSP then).
    bounds
        ``[[south, west], [north, east]]`` the view starts on.
    """

    def __init__(self, *, title: str, subtitle: str, cdn: bool, bounds: list[list[float]]):
        (south, west), (north, east) = bounds
        super().__init__(
            location=[(south + north) / 2, (west + east) / 2],
            tiles=None,
            zoom_start=5,
            min_zoom=3,
            max_zoom=14,
            control_scale=True,
            zoom_control="bottomright",
            zoom_snap=0.25,
        )
        self.title, self.subtitle, self.cdn = title, subtitle, cdn
        self.lang = current().lang
        self.corridor_ids: list[str] = []
        self.default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"] if cdn else []
        self.default_css = (
            [c for c in folium.Map.default_css if c[0] == "leaflet_css"] if cdn else []
        )
        figure = assets.MapFigure(title=title, lang=current().html_lang)
        figure.add_child(self)
        if not cdn:
            figure.add_head("offline", assets.offline_head())


@speaks
def folium_map(
    atlas: Atlas,
    *,
    mode: Many = None,
    status: Many = None,
    country: Many = None,
    corridor: Many = None,
    title: str | None = None,
    subtitle: str | None = None,
    cdn: bool = False,
    routes: gpd.GeoDataFrame | None = None,
    terrain: bool = True,
    m: folium.Map | None = None,
    extent: tuple[float, float, float, float] | None = None,
    footprint: bool = True,
    lang: str = "en",
) -> folium.Map:
    """Build the interactive map of the atlas (or of a selection of it).

    Parameters
    ----------
    atlas
        The atlas, from :func:`corridormap.load`.
    mode, status, country, corridor
        Filters, as for :func:`corridormap.select`: one value or several.
    title, subtitle
        Text of the title box; ``None`` gives the default title and a subtitle describing the
        selection.
    cdn
        Link Leaflet from its CDN (smaller file, needs the internet) instead of inlining it.
    routes
        Routes from :func:`corridormap.routes`, drawn as a "Routes" layer.
    terrain
        Draw the offline shaded relief and the major rivers and lakes (each a layer the layer
        control switches off); see :mod:`corridormap.render.interactive.basemap`.
    m
        A folium map of your own to draw onto (as geopandas' ``explore(m=...)``): the
        corridors, places, controls and legend are added to it; its page keeps its own tiles,
        scripts and head (so no CSP or inlined Leaflet is added).
    extent
        ``(west, south, east, north)`` in degrees to frame instead of the selection's bounds (the
        first view and the refit on resize both use it).
    footprint
        Add the layers "Chinese finance (AidData)" and "Energy (GEM)" (off when the page opens;
        the layer control switches them on) with their legend, filters, search entries and
        credits; see :mod:`corridormap.render.interactive.footprint`. On by default (about
        130 KB of the page); ``False`` (``corridormap map --no-footprint``) leaves them out.
    lang
        The language of the page: ``"en"``, ``"ru"`` or ``"zh"`` (see
        :func:`corridormap.languages`): its text, the names of places, countries and corridors
        (``data/names.csv``; English where none is known), numbers and ``<html lang>``.

    Returns
    -------
    folium.Map
        ``m`` if given, else a new map. Displays in Jupyter; write it with :func:`save_map`.

    Raises
    ------
    SelectionError
        For an unknown filter value, an unknown language, or a selection that matches nothing.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> m = cm.folium_map(atlas, mode="rail")
    >>> m.corridor_ids
    ['cku_railway', 'kz_cn_rail_dostyk', 'kz_cn_rail_khorgos', 'kz_cn_rail_tacheng', 'titr_kz_rail']

    Draw a corridor onto a map of your own:

    >>> import folium
    >>> mine = folium.Map(location=[41, 74], zoom_start=6)
    >>> cm.folium_map(atlas, corridor="cku_railway", terrain=False, m=mine) is mine
    True

    In Chinese (text, names, numbers and ``<html lang>``):

    >>> zh = cm.folium_map(atlas, corridor="cku_railway", lang="zh")
    >>> zh.title, zh.get_root().lang
    ('中国—中亚基础设施走廊', 'zh-Hans')
    """
    selection = {k: as_list(v) for k, v in dict(mode=mode, status=status, country=country).items()}
    selection["corridor"] = as_list(corridor)
    selection["country"] = [c.upper() for c in selection["country"]]
    chosen = select(atlas, mode=mode, status=status, country=country, corridor=corridor)
    if extent is None:
        bounds = route_bounds(_bounds(chosen.segments), routes)
    else:
        west, south, east, north = extent
        bounds = [[south, west], [north, east]]
    title = title or _(DEFAULT_TITLE)
    subtitle = _subtitle(chosen, selection) if subtitle is None else subtitle
    own = m is None
    if m is None:
        m = CorridorMap(title=title, subtitle=subtitle, cdn=cdn, bounds=bounds)
    if isinstance(m, CorridorMap):  # a user's folium.Map gets no attributes of ours
        m.corridor_ids = chosen.corridors["corridor_id"].tolist()
    Stylesheet().add_to(m)
    drawn = footprint and bool(len(chosen.finance) or len(chosen.energy))
    Attribution(_credits(chosen)).add_to(m)
    for name, z_index in layers.PANES.items():
        passive = name in layers.PASSIVE_PANES
        folium.map.CustomPane(name, z_index=z_index, pointer_events=not passive).add_to(m)
    places = layers.shown_places(chosen, bounds)
    view = ((bounds[0][0], bounds[0][1]), (bounds[1][0], bounds[1][1]))
    country_names, place_names = layers.names_in_view(chosen, view)
    if own:  # a map of the user's keeps its own base layers
        layers.add_basemap(m, atlas, selection["country"], country_names)
        for name, (url, attribution) in TILES.items():
            tile = folium.TileLayer(url, attr=attribution, name=_(name), overlay=False, show=False)
            tile.add_to(m)
    if terrain:
        basemap.add_terrain(m)
    revenue_legend = add_revenue_layer(m, chosen)
    table = popups.PopupTable()
    modes = layers.add_corridors(m, chosen, table)
    kinds = layers.add_places(m, places, place_names, table)
    table.add_to(m)
    route_legend = add_route_layer(m, routes)
    control = folium.LayerControl(position="topright", collapsed=False)
    control.add_to(m)
    extra = "".join(part for part in (route_legend, revenue_legend) if part) or None
    _add_furniture(m, chosen, modes, kinds, title, subtitle, extra)
    data = controls_data(chosen, places, bounds)
    if drawn:
        from corridormap.render.interactive.footprint import Footprint, search_entries

        Footprint(chosen, control).add_to(m)
        found = [{**entry, "kind": _(entry["kind"])} for entry in search_entries(chosen)]
        data = {**data, "search": [*data["search"], *found]}
    Controls(data, control).add_to(m)
    if not current().english:
        ControlTitles().add_to(m)
    _add_manifest(m, chosen, selection)
    assets.stabilize_ids(m.get_root())
    return m


def save_map(m: folium.Map, path: str | Path, *, embed: bool = False) -> Path:
    """Write a map as one HTML file, atomically; with ``embed`` also write an iframe snippet.

    Parameters
    ----------
    m
        A map from :func:`folium_map` (any folium Map works).
    path
        The HTML file to write; its folder is created if needed.
    embed
        Also write ``<name>.embed.html`` next to it: a responsive ``<iframe>`` snippet to paste
        into any page served from the same folder.

    Returns
    -------
    Path
        The map file written.

    Examples
    --------
    >>> import corridormap as cm
    >>> m = cm.folium_map(cm.load(), corridor="cku_railway")
    >>> print(cm.save_map(m, "corridors.html"))
    corridors.html
    >>> path = cm.save_map(m, "site/cku.html", embed=True)
    >>> sorted(p.name for p in path.parent.iterdir())
    ['cku.embed.html', 'cku.html']
    """
    target = Path(path)
    assets.stabilize_ids(m.get_root())
    write_text(target, m.get_root().render())
    if embed:
        title = getattr(m, "title", None) or _(DEFAULT_TITLE)
        snippet = embed_snippet(target.name, title, lang=getattr(m, "lang", "en"))
        write_text(target.with_name(f"{target.stem}.embed.html"), snippet)
    return target


def embed_snippet(
    src: str, title: str, *, aspect: tuple[int, int] = (16, 10), lang: str = "en"
) -> str:
    """Return a responsive ``<iframe>`` snippet for a map file (fixed aspect ratio, lazy)."""
    ratio = 100 * aspect[1] / aspect[0]
    with using(lang):
        label = _("Interactive map: {title}").format(title=html.escape(title))
    return (
        f'<div class="corridormap-embed" style="position:relative;width:100%;height:0;'
        f'padding-top:{ratio:g}%;overflow:hidden">\n'
        f'  <iframe src="{html.escape(src)}" title="{label}" '
        'loading="lazy" allowfullscreen referrerpolicy="no-referrer" '
        'style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>\n"
    )


# --------------------------------------------------------------------------- helpers


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    west, south, east, north = frame.total_bounds
    return [
        [round(float(south), 4), round(float(west), 4)],
        [round(float(north), 4), round(float(east), 4)],
    ]


#: The filters named in a subtitle ("Selected by mode rail"), for the catalogues.
_FILTER_WORDS = (N_("mode"), N_("status"), N_("country"), N_("corridor"))


def _subtitle(atlas: Atlas, selection: dict[str, list[str]]) -> str:
    count = len(atlas.corridors)
    modes = [
        styles.mode_label(m).lower() for m in vocabulary.MODES if m in set(atlas.corridors["mode"])
    ]
    text = ngettext("{n} corridor: {modes}.", "{n} corridors: {modes}.", count).format(
        n=count, modes=_format.join_names(modes)
    )
    filters = [f"{_(k)} {', '.join(v)}" for k, v in selection.items() if v]
    if filters:
        text += _(" Selected by {filters}.").format(filters="; ".join(filters))
    return text + _(" Hover or click a line for details and sources.")


def _add_furniture(
    m, atlas: Atlas, modes, kinds, title: str, subtitle: str, extra: str | None
) -> None:
    statuses = [s for s in vocabulary.STATUSES if s in set(atlas.segments["status"])]
    halo = _format.approximate_label(atlas.segments, sketch=True)
    legend = legend_html(modes, statuses, halo, kinds, extra)
    Panel(title, subtitle, legend).add_to(m)
    Fullscreen().add_to(m)


def _credits(atlas: Atlas) -> list[str]:
    """The map's own credit lines: the lines' (OpenStreetMap, AidData, GEM), countries, release.

    The finance and energy layers bring their sources' credit lines with them (Leaflet shows
    them while a layer is on; see :mod:`corridormap.render.interactive.footprint`).
    """
    lines = [_("Countries: {credit}").format(credit=settings.natural_earth_attribution)]
    credits = credit_lines(atlas, shown=["lines"])
    if credits:
        lines.insert(0, _("Lines: {credit}").format(credit="; ".join(credits)))
    release = atlas.release
    if release is not None:
        lines.append(release_label(release))
    return lines


def _add_manifest(m: folium.Map, atlas: Atlas, selection: dict[str, list[str]]) -> None:
    manifest = {
        **atlas.provenance(),
        "selection": selection,
        "corridors": atlas.corridors["corridor_id"].tolist(),
        "assets": {
            "leaflet": assets.LEAFLET_VERSION,
            "folium": folium.__version__,
            "inlined": not getattr(m, "cdn", False),
        },
    }
    root = m.get_root()
    if isinstance(root, assets.MapFigure):
        root.add_head("manifest", assets.manifest_element(manifest))
