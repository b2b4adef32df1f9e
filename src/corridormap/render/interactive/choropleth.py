"""The transit-revenue choropleth: each country's estimated base-scenario revenue, with its range.

A toggleable overlay under the corridor lines; every figure is labelled an estimate, and the
tooltip says when a proxy tariff is part of it (the gas rows). Text is escaped in :mod:`.popups`.
"""

from __future__ import annotations

import folium
import shapely
from folium.template import Template

from corridormap._format import esc, join_names, number, revenue_kind_text
from corridormap._i18n import N_, _
from corridormap.atlas.core import Atlas
from corridormap.render import styles
from corridormap.render.interactive import assets
from corridormap.render.interactive.assets import Macro
from corridormap.render.interactive.legend import legend_swatch
from corridormap.render.interactive.popups import Bind
from corridormap.revenue import revenue_by_country

#: Coarser than the basemap (≈6 km, 2 decimals): a class fill needs no more, and the map stays
#: within its size budget with the "No estimate" states drawn too.
TOLERANCE = 0.06
DECIMALS = 2
PANE = "cm-revenue"
LAYER_NAME = N_("Transit revenue by country (estimate or claim)")


def _tooltip(row: dict, corridor_names: dict[str, str]) -> str:
    musd = row["revenue_usd"] / 1e6
    low, high = row["revenue_usd_low"] / 1e6, row["revenue_usd_high"] / 1e6
    names = [corridor_names.get(c, c) for c in str(row["corridor_ids"]).split(";") if c]
    proxy = (
        '<br><span class="cm-muted">'
        + _("Includes a proxy tariff: no transit tariff published.")
        + "</span>"
        if row["includes_proxy"]
        else ""
    )
    kind = revenue_kind_text(row)
    restated = row.get("tariff_kinds") == "back_solved"  # the figure restates a published claim
    return (
        f"<b>{esc(row['country'])}</b><br>"
        + _("Transit revenue: USD {amount} m a year (range {low}–{high} m)").format(
            amount=number(musd, decimals=0),
            low=number(low, decimals=0),
            high=number(high, decimals=0),
        )
        + '<br><span class="cm-muted">'
        + (
            _("{kind}; from {names}").format(
                kind=esc(kind[:1].upper() + kind[1:]), names=esc(join_names(names))
            )
            if restated
            else _("corridormap estimate, base scenario; from {names}").format(
                names=esc(join_names(names))
            )
        )
        + f"</span>{proxy}"
    )


#: Fill of a state of the region that the selected corridors cross but that has no estimate.
NO_ESTIMATE_COLOUR = "#BDBDBD"
#: Words of the layer (kept here for translation).
NO_ESTIMATE_LABEL = N_("No estimate")
NO_ESTIMATE_TIP = N_(
    "No estimate: tariffs.csv has no transit tariff for this country's corridors "
    "(not the same as zero)."
)


def _no_estimate(atlas: Atlas, estimated: set[str]) -> list[str]:
    """States of the region the corridors cross that have no revenue estimate (ISO3, sorted)."""
    crossed = {
        code for value in atlas.corridors["countries"].dropna() for code in str(value).split(";")
    }
    return sorted((crossed & set(styles.FOCUS_COUNTRIES)) - estimated)


def add_revenue_layer(m: folium.Map, atlas: Atlas) -> str | None:
    """Add the choropleth (hidden until switched on); return its legend HTML, or None if empty.

    A state of the region that the corridors cross but that has no estimate is drawn grey and
    called "No estimate", apart from an estimate of zero (drawn in the lowest class).
    """
    table = revenue_by_country(atlas, scenario="base")
    table = table[table["revenue_usd"].notna() & (table["revenue_usd"] >= 0)]
    if table.empty:
        return None
    shapes = dict(zip(atlas.countries["iso3"], atlas.countries.geometry, strict=True))
    country_names = dict(zip(atlas.countries["iso3"], atlas.countries["name"], strict=True))
    names = dict(zip(atlas.corridors["corridor_id"], atlas.corridors["name"], strict=True))
    group = assets.FeatureGroup(name=_(LAYER_NAME), overlay=True, show=False)
    missing = _no_estimate(atlas, set(table["iso3"]))
    drawn = [
        (row["iso3"], styles.REVENUE_COLOURS[styles.revenue_class(row["revenue_usd"] / 1e6)],
         _tooltip(row, names))
        for row in table.sort_values("iso3").to_dict("records")
    ] + [
        (iso3, NO_ESTIMATE_COLOUR,
         f"<b>{esc(country_names.get(iso3, iso3))}</b><br>{esc(_(NO_ESTIMATE_TIP))}")
        for iso3 in missing
    ]  # fmt: skip
    for iso3, colour, tooltip in drawn:
        shape = shapes.get(iso3)
        if shape is None:
            continue
        simple = shapely.set_precision(
            shapely.simplify(shape, TOLERANCE, preserve_topology=True), 10**-DECIMALS
        )
        unknown = colour == NO_ESTIMATE_COLOUR
        for part in getattr(simple, "geoms", [simple]):
            rings = [
                [[lat, lon] for lon, lat in r.coords] for r in (part.exterior, *part.interiors)
            ]
            area = assets.Polygon(
                rings,
                color="#8c959f" if unknown else "#54278F",
                weight=1,
                dash_array="4 3" if unknown else None,
                fill=True,
                fill_color=colour,
                fill_opacity=styles.REVENUE_OPACITY,
                class_name=f"cm-revenue cm-revenue-{iso3}",
            )
            area.options["pane"] = PANE
            Bind(tooltip=tooltip).add_to(area)
            area.add_to(group)
    group.add_to(m)
    LegendFollowsLayer(group).add_to(m)
    swatches = [
        legend_swatch(colour, label)
        for colour, label in zip(styles.REVENUE_COLOURS, styles.revenue_class_labels(), strict=True)
    ]
    if missing:
        swatches.append(
            legend_swatch(NO_ESTIMATE_COLOUR, _(NO_ESTIMATE_LABEL), stroke="#8c959f", dash="3 2")
        )
    return (
        '<div class="cm-revenue-legend" hidden>'
        + '<div class="cm-h">'
        + _("Transit revenue, M USD/yr")
        + '</div><p class="cm-note">'
        + _("Estimate, base scenario.")
        + "</p>"
        f"<ul>{''.join(swatches)}</ul></div>"
    )


class LegendFollowsLayer(Macro):
    """Show the revenue classes in the legend only while the choropleth is on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layer = {{ this.layer.get_name() }};
            function sync() {
                var box = map.getContainer().querySelector(".cm-revenue-legend");
                if (box) { box.hidden = !map.hasLayer(layer); }
            }
            map.on("overlayadd overlayremove", sync);
            map.whenReady(sync);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layer: folium.FeatureGroup):
        super().__init__()
        self._name = "LegendFollowsLayer"
        self.layer = layer
