"""The map's footprint layers: "Chinese finance (AidData)" and "Energy (GEM)".

Both are off when the page opens (they would crowd the first view of the corridors) and listed
in the layer control. Python sends compact arrays (no HTML string per feature) and
``footprint.js`` builds the shapes and popups with ``textContent``:

- finance: traced projects as outlines (roads are thin buffers, so they read as lines),
  coloured by sector group; GCDF 3.0's regional split as proportional circles at the ADM1
  centroids (area ~ commitment, 2021 USD), one per region and sector group; a project appears
  from its commitment year when the year slider moves; the legend's sector boxes filter;
- energy: GEM's pipelines as thin lines under the corridors (the Central Asia–China lines are
  our corridors and are not drawn again), plants and units as circles sized by MW.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from corridormap._i18n import N_, _, localize_script
from corridormap._memo import per_atlas
from corridormap.atlas.core import Atlas
from corridormap.atlas.credits import credit_lines
from corridormap.render.footprint_style import GROUP_ORDER, sector_group
from corridormap.render.interactive.assets import Macro, encode_pairs, json_for_html
from corridormap.render.interactive.controls import _asset
from corridormap.vocabulary import FINANCE_STATUSES, FIVE_STATES

FINANCE_NAME = N_("Chinese finance (AidData)")
ENERGY_NAME = N_("Energy (GEM)")
#: Display simplification (degrees, ~1 km) and grid (0.002 degree, ~200 m)
#: of the outlines; coordinates are sent as integer steps of the grid, each vertex as the
#: difference from the one before (``footprint.js`` adds them up).
TOLERANCE = 0.01
GRID = 500
#: Each GEM kind's label and colour (every kind of :data:`corridormap.vocabulary.ENERGY_KINDS`).
KIND_STYLE = {
    "gas_pipeline": (N_("Gas pipeline"), "#5b7b6b"),
    "oil_pipeline": (N_("Oil pipeline"), "#8c5a7a"),
    "lng_terminal": (N_("LNG terminal"), "#117733"),
    "hydropower": (N_("Hydropower plant"), "#1F78B4"),
    "oil_gas_power_unit": (N_("Oil/gas power unit"), "#6E5A46"),
}
#: Geometries drawn as lines (pipelines); the others are plants, drawn as circles.
LINES = ("LineString", "MultiLineString")
#: GEM statuses drawn dashed (not built).
NOT_BUILT = ("proposed", "announced", "pre-construction", "construction", "shelved", "cancelled")
URL_GCDF2 = "https://github.com/aiddata/china-osm-geodata/blob/HEAD/latest/geojsons/{}.geojson"
URL_GCDF3 = "https://github.com/aiddata/gcdf-geospatial-data/blob/HEAD/latest/geojsons/{}.geojson"
PRECISION = {
    "precise": N_("traced from OpenStreetMap features"),
    "approximate": N_("an area traced from OpenStreetMap (approximate)"),
    "region": N_("only by region (GCDF 3.0 ADM1 centroids)"),
}
#: Words of the data the page writes in its language: AidData's sector groups (see
#: :mod:`corridormap.render.footprint_style`) and statuses, GEM's statuses, search kinds.
WORDS = (
    N_("Energy"), N_("Industry, mining, construction"), N_("Transport and storage"),
    N_("Communications"), N_("Social (education, health, government, water)"),
    N_("Other (debt, emergency, agriculture, banking…)"), N_("Sector not yet read"),
    N_("pipeline pledge"), N_("pipeline commitment"), N_("implementation"), N_("completion"),
    N_("suspended"), N_("cancelled"), N_("not yet read"), N_("AidData project"),
)  # fmt: skip
GEM_STATUSES = (
    N_("operating"), N_("announced"), N_("construction"), N_("pre-construction"),
    N_("proposed"), N_("shelved"), N_("retired"), N_("mothballed"), N_("cancelled"),
)  # fmt: skip


GEM_WIKI = "https://www.gem.wiki/"


def _wiki(url: str) -> str:
    """A GEM wiki address without its prefix (the page adds it back)."""
    for prefix in (GEM_WIKI, "https://gem.wiki/"):
        if url.startswith(prefix):
            return url[len(prefix) :]
    return url


def encode(coords: np.ndarray) -> str:
    """``[[lon, lat], ...]`` as polyline text of ``[lat, lon]`` pairs on the footprint's grid.

    :func:`~corridormap.render.interactive.assets.encode_pairs` with steps of 1/GRID degree;
    ``cmDecode`` reads it back.
    """
    return encode_pairs(np.asarray(coords)[:, ::-1], GRID)


def _outlines(geom: shapely.Geometry) -> list[str]:
    """Each polygon's outer ring as an encoded line (a road's 2 m buffer reads as its line)."""
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        ring = shapely.simplify(shapely.LineString(poly.exterior.coords), TOLERANCE)
        coded = encode(np.asarray(ring.coords))
        if len(ring.coords) >= 2:
            out.append(coded)
    return out


def _short(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters (the record behind the popup's link has it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _none(value: Any) -> Any:
    """None for an empty cell (None, NaN, pd.NA), else the value."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return value


@per_atlas()  # once per atlas; the atlas cache keeps it on disk with the atlas
def finance_data(atlas: Atlas) -> dict:
    """The finance layer's compact data (projects, traced shapes, region splits)."""
    finance = atlas.finance
    labels = {label: i for i, label in enumerate(GROUP_ORDER)}
    colours = {}
    for sector in finance["sector"]:
        label, colour = sector_group(sector)
        colours[label] = colour
    groups = [[label, colours.get(label, "#999999")] for label in GROUP_ORDER]
    projects: list[list[Any]] = []
    shapes: dict[str, list[str]] = {}
    index: dict[int, int] = {}
    precision = list(PRECISION)
    statuses = [*FINANCE_STATUSES, ""]
    for i, row in enumerate(finance.itertuples(index=False)):
        index[int(row.project_id)] = i
        amount = _none(row.amount_usd)
        projects.append([
            int(row.project_id),
            _short(_none(row.title) or "", 100),
            labels[sector_group(_none(row.sector))[0]],
            None if amount is None else round(float(amount) / 1e5),  # 0.1 million USD
            None if amount is None else int(row.usd_year),
            (_none(row.lenders) or "").replace(";", ", "),
            None if _none(row.commitment_year) is None else int(row.commitment_year),
            None if _none(row.completion_year) is None else int(row.completion_year),
            "",  # (the status: index 11)
            0 if "2.0" in str(row.edition) else 1,  # which AidData repository holds its file
            precision.index(row.precision),
            statuses.index(_none(row.status) or ""),
        ])  # fmt: skip
        if row.precision != "region":
            rings = _outlines(row.geometry)
            if rings:
                shapes[str(int(row.project_id))] = rings
    regions_frame = atlas.finance_regions
    adm1 = regions_frame[
        (regions_frame["adm_level"] == "adm1")
        & regions_frame["iso3"].isin(FIVE_STATES)
        & regions_frame["amount_usd"].notna()
        & regions_frame["project_id"].isin(index)
    ]
    regions: list[list[Any]] = []
    region_index: dict[str, int] = {}
    splits: list[list[int]] = []
    for row in adm1.itertuples(index=False):
        if row.shape_id not in region_index:
            region_index[row.shape_id] = len(regions)
            regions.append([
                row.region, row.iso3, round(float(row.centroid_lat), 3),
                round(float(row.centroid_lon), 3),
            ])  # fmt: skip
        splits.append(
            [index[int(row.project_id)], region_index[row.shape_id], round(float(row.amount_usd))]
        )
    totals: dict[tuple[int, Any], float] = {}
    for project, region, amount in splits:
        key = (region, projects[project][2])
        totals[key] = totals.get(key, 0.0) + amount
    years = [p[6] for p in projects if p[6] is not None]
    return {
        "name": FINANCE_NAME,
        "groups": groups,
        "projects": projects,
        "shapes": shapes,
        "regions": regions,
        "splits": splits,
        "maxRegion": max(totals.values()) if totals else 1.0,
        "lastYear": max(years) if years else 2021,
        "precision": [PRECISION[p] for p in precision],
        "urls": [URL_GCDF2, URL_GCDF3],
        "statuses": [s.replace("_", " ") if s else "not yet read" for s in statuses],
        "credit": "; ".join(credit_lines(atlas, shown=["finance_geometry"])),
        "attribution": _attribution(atlas, "finance_geometry"),
    }


@per_atlas()
def _attribution(atlas: Atlas, layer: str) -> str:
    """The credits a layer adds to the map's attribution: those its lines do not already give."""
    given = set(credit_lines(atlas, shown=["lines"]))
    return "; ".join(c for c in credit_lines(atlas, shown=[layer]) if c not in given)


def energy_data(atlas: Atlas) -> dict:
    """The energy layer's compact data: pipelines not drawn as corridors, and plants.

    A plant's units (GEM lists oil- and gas-fired units one by one) become one circle at the
    plant, sized by the sum of their MW, with the units listed in its popup.
    """
    energy = atlas.energy
    used = {
        k for k, c in zip(energy["kind"], energy["corridor_id"], strict=True) if _none(c) is None
    }
    kinds = [k for k in KIND_STYLE if k in used]  # the legend lists the kinds drawn
    lines: list[list[Any]] = []
    plants: dict[tuple[Any, ...], list[Any]] = {}
    for row in energy.itertuples(index=False):
        if _none(row.corridor_id) is not None:
            continue  # the atlas draws this line as a corridor
        start = None if _none(row.start_year) is None else int(row.start_year)
        capacity = _none(row.capacity)
        geom = row.geometry
        if geom.geom_type in LINES:
            simple = shapely.simplify(geom, TOLERANCE, preserve_topology=True)
            parts = getattr(simple, "geoms", [simple])
            lines.append([
                kinds.index(row.kind), row.name, _none(row.unit_name) or "", row.status,
                capacity, _none(row.capacity_unit) or "", start,
                _short(_none(row.owner) or "", 80),
                _wiki(row.url),
                [encode(np.asarray(p.coords)) for p in parts],
            ])  # fmt: skip
            continue
        key = (row.kind, row.name, round(geom.y, 3), round(geom.x, 3))
        plant = plants.setdefault(key, [
            kinds.index(row.kind), row.name, 0.0, _short(_none(row.owner) or "", 80),
            _wiki(row.url),
            [round(geom.y, 3), round(geom.x, 3)], [],
        ])  # fmt: skip
        plant[2] += float(capacity or 0.0)
        plant[6].append([_none(row.unit_name) or "", capacity, row.status, start])
    points = sorted(plants.values(), key=lambda p: -p[2])  # small circles drawn last, on top
    for plant in points:
        plant[2] = round(plant[2], 1)
    return {
        "name": ENERGY_NAME,
        "kinds": [KIND_STYLE[k][0] for k in kinds],
        "colours": [KIND_STYLE[k][1] for k in kinds],
        "dashed": {status: True for status in NOT_BUILT},
        "lines": lines,
        "points": points,
        "wiki": GEM_WIKI,
        "credit": "; ".join(credit_lines(atlas, shown=["energy"])),
        "attribution": _attribution(atlas, "energy"),
    }


FINANCE_NOTE = N_(
    "Outlines: traced projects. Circles: GCDF 3.0 commitments by region (area ~ constant 2021 "
    "USD). Tick a sector to filter."
)
ENERGY_NOTE = N_("Circles sized by MW; dashed lines not (yet) built.")


def translated(data: dict) -> dict:
    """The layers' data with its words in the page's language (the cached data is English)."""
    finance, energy = dict(data["finance"]), dict(data["energy"])
    finance["name"] = _(finance["name"])
    finance["groups"] = [[_(label), colour] for label, colour in finance["groups"]]
    finance["statuses"] = [_(status) for status in finance["statuses"]]
    finance["precision"] = [_(text) for text in finance["precision"]]
    energy["name"] = _(energy["name"])
    energy["kinds"] = [_(kind) for kind in energy["kinds"]]
    energy["statusWords"] = {word: _(word) for word in GEM_STATUSES if _(word) != word}
    return {**data, "finance": finance, "energy": energy}


def legend_html(data: dict, legend_id: str) -> str:
    """The footprint legend (hidden until a footprint layer is switched on)."""
    import html

    esc = html.escape
    status_word = _("Status:")
    finance, energy = data["finance"], data["energy"]
    used = {p[2] for p in finance["projects"]}
    items = "".join(
        f'<label class="cm-fp-item"><input type="checkbox" checked data-sector="{i}">'
        f'<span class="cm-fp-swatch" style="background:{esc(colour)}"></span>{esc(label)}</label>'
        for i, (label, colour) in enumerate(finance["groups"])
        if i in used
    )
    used_status = {p[11] for p in finance["projects"]}
    statuses = "".join(
        f'<label class="cm-fp-item"><input type="checkbox" checked data-status="{i}">'
        f"{esc(label)}</label>"
        for i, label in enumerate(finance["statuses"])
        if i in used_status
    )
    kinds = "".join(
        f'<div class="cm-fp-item"><span class="cm-fp-dot" style="background:{esc(colour)}">'
        f"</span>{esc(label)}</div>"
        for label, colour in zip(energy["kinds"], energy["colours"], strict=True)
    )
    return (
        f'<div id="{legend_id}" class="cm-fp-legend" hidden>'
        f'<div class="cm-h">{esc(finance["name"])}</div>'
        f'<div class="cm-fp-note">{esc(_(FINANCE_NOTE))}</div>'
        f'{items}<div class="cm-fp-note">{esc(status_word)}</div>{statuses}'
        f'<div class="cm-h">{esc(energy["name"])}</div>{kinds}'
        f'<div class="cm-fp-note">{esc(_(ENERGY_NOTE))}</div>'
        "</div>"
    )


CSS = """
.cm-fp-legend{position:absolute;left:10px;bottom:28px;z-index:800;background:#fff;
padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.35 system-ui,
sans-serif;max-width:260px}
.cm-fp-legend.cm-fp-inpanel{position:static;box-shadow:none;padding:0;max-width:none}
.cm-fp-item{display:flex;align-items:center;gap:4px}
.cm-fp-swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.cm-fp-dot{display:inline-block;width:10px;height:10px;border-radius:50%}
.cm-fp-note{color:#59636E;font-size:11px;margin:2px 0 4px}
.cm-fp-popup{font:12px/1.4 system-ui,sans-serif}.cm-fp-key{color:#59636E}
.cm-fp-credit{color:#59636E;font-size:10px;margin-top:4px}
"""


class Footprint(Macro):
    """Both footprint layers, their legend and the hooks into the slider, as one element."""

    needs_decoder = True  # footprint.js reads the encoded lines with cmDecode

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        {{ this.legend }}
        <script type="application/json" id="cm-footprint-{{ this._parent.get_name() }}">
        {{ this.data }}
        </script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function run() {
            var layerControl;
            try { layerControl = {{ this.layer_control.get_name() }}; }
            catch (notYet) { setTimeout(run, 0); return; }
            var data = JSON.parse(document.getElementById(
                "cm-footprint-{{ this._parent.get_name() }}").textContent);
            (function (map, layerControl, data) {
            {{ this.js }}
            })({{ this._parent.get_name() }}, layerControl, data);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, atlas: Atlas, layer_control: MacroElement) -> None:
        super().__init__()
        self._name = "Footprint"
        legend_id = "cm-fp-legend"
        data = translated({
            "finance": finance_data(atlas),
            "energy": energy_data(atlas),
            "legendId": legend_id,
            "grid": GRID,
        })  # fmt: skip
        self.legend = legend_html(data, legend_id)
        self.data = json_for_html(data, compact=True)
        self.layer_control = layer_control
        self.js = localize_script(_asset("footprint.js"))
        self.css = " ".join(CSS.split())


#: Projects of at least this amount (either dollar year) are in the search box; the map
#: shows them all (the page's budget keeps the index to the notable ones).
SEARCH_MIN_USD = 150e6


@per_atlas()
def search_entries(atlas: Atlas) -> list[dict]:
    """Search-box entries: named projects of US$ 150 m or more and the hydropower plants.

    Labels are cut to 80 characters (the popup has the whole title); a plant's units share one
    entry, as they share one circle on the map.
    """
    out, seen = [], set()
    for row in atlas.finance.itertuples(index=False):
        amount = _none(row.amount_usd)
        if not isinstance(row.title, str) or not row.title or (amount or 0) < SEARCH_MIN_USD:
            continue
        point = row.geometry.representative_point()
        label = row.title if len(row.title) <= 80 else row.title[:79] + "…"
        out.append({"label": label, "kind": "AidData project",
                    "at": [round(point.y, 3), round(point.x, 3)]})  # fmt: skip
    for row in atlas.energy.itertuples(index=False):
        if (
            isinstance(row.corridor_id, str) and row.corridor_id
        ) or row.kind == "oil_gas_power_unit":
            continue
        point = row.geometry.representative_point()
        label = row.name
        if row.geometry.geom_type in LINES and isinstance(row.unit_name, str):
            label += f" – {row.unit_name}"
        if label in seen:
            continue
        seen.add(label)
        out.append({"label": label, "kind": KIND_STYLE[row.kind][0],
                    "at": [round(point.y, 3), round(point.x, 3)]})  # fmt: skip
    return out
