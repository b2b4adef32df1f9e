"""The static figure: matplotlib on Agg, palette shared with the map, labels that do not collide."""

from __future__ import annotations

import io
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import PathPatch
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox
from PIL import Image

from corridormap import OutputError, SelectionError, save_static, select, static_map
from corridormap.atlas.history import status_as_of
from corridormap.render import styles
from corridormap.render.static.draw import map_crs
from corridormap.render.static.furniture import _nice_km, map_units_per_km

FERGANA = dict(
    corridor=["cku_railway", "cku_highway"],
    highlight=["cku_railway"],
    extent=[70.6, 38.9, 76.6, 42.3],
    title="The CKU railway",
    subtitle="Test figure",
)


@pytest.fixture(scope="module")
def fergana(atlas):
    return static_map(atlas, **FERGANA, figsize=(6.0, None), dpi=60)


def test_figure_is_drawn_on_agg_with_a_map_and_an_inset(fergana):
    assert isinstance(fergana.canvas, FigureCanvasAgg)
    ax = fergana.axes[0]
    assert len(ax.child_axes) == 1  # the locator inset
    assert ax.get_xlim()[0] < ax.get_xlim()[1]


def test_corridors_use_the_interactive_maps_palette(fergana):
    ax = fergana.axes[0]
    colours = {
        to_hex(c).upper()
        for coll in ax.collections
        if isinstance(coll, LineCollection)
        for c in coll.get_colors()
    }
    assert styles.MODE_STYLES["rail"].colour.upper() in colours  # the highlighted corridor


def test_labels_do_not_overlap_and_stay_inside_the_map(fergana):
    ax = fergana.axes[0]
    renderer = fergana.canvas.get_renderer()
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in ax.texts
        if isinstance(t, Annotation) and t.get_text().strip() and t.get_text() != "N"
    ]
    assert len(boxes) >= 4  # corridor, crossings, countries
    frame = ax.get_window_extent(renderer)
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (name_a, name_b)
    for name, box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, name
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, name


def test_figure_carries_title_and_attribution(fergana):
    texts = " ".join(t.get_text() for t in fergana.texts)
    assert "The CKU railway" in texts
    assert "Natural Earth" in texts
    assert "OpenStreetMap contributors" in texts  # the highway is OSM-derived


def test_png_has_the_requested_size_and_is_not_blank(atlas, tmp_path):
    fig = static_map(atlas, corridor="cku_railway", figsize=(3.5, 4.5), dpi=300, inset=False)
    path = save_static(fig, tmp_path / "map.png")
    image = Image.open(path)
    assert image.size == (1050, 1350)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50
    assert pixels.std() > 10


def test_svg_and_pdf_are_well_formed_and_reproducible(fergana, tmp_path):
    for suffix in ("svg", "pdf"):
        first = save_static(fergana, tmp_path / f"a.{suffix}").read_bytes()
        second = save_static(fergana, tmp_path / f"b.{suffix}").read_bytes()
        assert first == second, suffix
    ET.parse(tmp_path / "a.svg")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert b"CreationDate" not in (tmp_path / "a.pdf").read_bytes()


def test_png_is_reproducible(fergana):
    def render() -> bytes:
        buffer = io.BytesIO()
        fergana.savefig(buffer, format="png", metadata={"Software": "corridormap"})
        return buffer.getvalue()

    assert render() == render()


def test_scale_bar_measures_on_the_ellipsoid():
    crs = map_crs(70.0, 38.0, 77.0, 43.0)
    # Lambert conformal conic: close to true scale between its standard parallels.
    assert map_units_per_km(crs, 73.5, 40.5) == pytest.approx(1000.0, rel=0.01)
    assert [_nice_km(v) for v in (130.0, 45.0, 9.9, 2.1)] == [100.0, 20.0, 5.0, 2.0]


def test_highlight_must_be_in_the_selection(atlas):
    with pytest.raises(SelectionError, match="not in the selection"):
        static_map(atlas, corridor="cku_railway", highlight="cagp_abc", dpi=40)


def test_extent_without_land_is_refused(atlas):
    with pytest.raises(SelectionError, match="no land"):
        static_map(atlas, extent=[-40.0, 0.0, -30.0, 10.0], dpi=40)


def test_too_short_a_figure_names_the_least_height_that_draws(atlas):
    message = r"^figure height 2 in leaves no room for the map; give at least [\d.]+ in"
    with pytest.raises(SelectionError, match=message) as info:
        static_map(atlas, corridor="cku_railway", figsize=(6, 2), dpi=40)
    assert "\n" not in str(info.value)
    needed = info.value.needed_in  # type: ignore[attr-defined]
    fig = static_map(atlas, corridor="cku_railway", figsize=(6, needed), dpi=40)
    assert fig.get_size_inches()[1] == pytest.approx(needed)


def test_unknown_figure_suffix_is_an_output_error(fergana, tmp_path):
    with pytest.raises(
        OutputError, match="can save a figure as png, svg, pdf; got map.jpg"
    ) as info:
        save_static(fergana, tmp_path / "map.jpg")
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_extent_by_country_codes(atlas):
    fig = static_map(atlas, mode="rail", extent=["KGZ"], figsize=(4.0, None), dpi=40)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] - ax.get_xlim()[0] < 1_200_000  # metres: about Kyrgyzstan's width


def test_labels_do_not_depend_on_the_resolution(atlas):
    def labels(dpi: float) -> list[str]:
        fig = static_map(atlas, **FERGANA, figsize=(6.0, None), dpi=dpi)
        return sorted(t.get_text() for t in fig.axes[0].texts if t.get_text())

    assert labels(50) == labels(300)


# --------------------------------------------------------------------------- terrain and water


def test_relief_and_water_are_drawn(fergana):
    ax = fergana.axes[0]
    images = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    assert len(images) == 1
    pixels = images[0].get_array()
    assert pixels.shape[2] == 4 and pixels[..., 3].max() > 0  # visible where the relief covers
    water = [p for p in ax.patches if isinstance(p, PathPatch)
             and to_hex(p.get_facecolor()).upper() == styles.WATER_FILL.upper()]  # fmt: skip
    assert water, "no lake drawn (Toktogul, Issyk-Kul are in the Fergana view)"
    assert any(c.get_label() == "water" for c in ax.collections)  # the rivers


# --------------------------------------------------------------------------- legends


def _legend_labels(fig) -> set[str]:
    return {t.get_text() for legend in fig.legends for t in legend.get_texts()}


def _drawn_symbols(fig) -> set[str]:
    """The legend label every symbol on the map needs: modes, statuses, place kinds, water."""
    ax = fig.axes[0]
    needed = set()
    by_colour = {s.colour.upper(): s.label for s in styles.MODE_STYLES.values()}
    faded = {styles.mix(s.colour, 0.3).upper(): s.label for s in styles.MODE_STYLES.values()}
    for coll in ax.collections:
        if not isinstance(coll, LineCollection) or coll.get_label() in {"water", "ghost"}:
            continue
        colour = to_hex(coll.get_colors()[0]).upper()
        if colour in by_colour or colour in faded:
            needed.add(by_colour.get(colour) or faded[colour])
    for line in ax.lines:
        if line.get_marker() == "o":
            face = to_hex(line.get_markerfacecolor()).upper()
            edge = to_hex(line.get_markeredgecolor()).upper()
            kinds = [k for k, (_, f, e) in styles.PLACE_STYLES.items()
                     if f.upper() == face and e.upper() == edge]  # fmt: skip
            needed.add(" or ".join(sorted(styles.PLACE_LABELS[k] for k in kinds)))
    if any(c.get_label() == "water" for c in ax.collections):
        needed.add("River, lake")
    return needed


def test_legend_lists_every_symbol_drawn(atlas):
    fig = static_map(atlas, dpi=50)  # the all-corridors overview: cities are drawn
    labels = _legend_labels(fig)
    missing = [s for s in _drawn_symbols(fig) if not set(s.split(" or ")) & labels]
    assert not missing, missing
    assert "City" in labels
    for status in set(atlas.segments["status"]):
        assert styles.status_label(status) in labels


def test_overview_names_every_corridor_and_every_country(atlas):
    fig = static_map(atlas, dpi=50)
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    numbers = {str(i) for i in range(1, len(atlas.corridors) + 1)}
    assert numbers <= texts  # each corridor numbered on the map ...
    key = re.sub(r"\s+", " ", " ".join(t.get_text() for t in fig.texts))
    assert key.count(" · ") == len(atlas.corridors) - 1  # ... and named in the key under it
    for country in ("KAZAKHSTAN", "UZBEKISTAN", "KYRGYZSTAN", "TAJIKISTAN", "TURKMENISTAN",
                    "CHINA"):  # fmt: skip
        assert country in texts, country
    assert not any(", CN" in t for t in texts)


def test_inset_stays_inside_the_country_layer(atlas):
    from corridormap.render.static.furniture import inset_box

    west, south, east, north = atlas.countries.total_bounds
    for view in (shapely.box(45, 35, 92, 55), shapely.box(70.6, 38.9, 76.6, 42.3)):
        box = inset_box(atlas.countries, view)
        b_west, b_south, b_east, b_north = box.bounds
        assert west < b_west and south < b_south and b_east < east and b_north < north
        assert box.contains(view)


def test_turkmen_gas_legend_keeps_off_its_subject(atlas):
    fig = static_map(atlas, mode="gas_pipeline", highlight="cagp_abc",
                     extent=[56.0, 35.5, 89.0, 47.0], dpi=60)  # fmt: skip
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    highlight = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_zorder() == 7]
    assert highlight
    points = ax.transData.transform(np.concatenate(highlight[0].get_segments()))
    subject = Bbox([points.min(axis=0), points.max(axis=0)])
    assert subject.width > 50  # pixels: the pipeline is drawn across the map
    for legend in fig.legends:
        assert not legend.get_window_extent(renderer).overlaps(subject)


# --------------------------------------------------------------------------- API


def test_static_map_shows_itself_in_jupyter(fergana):
    png = fergana._repr_png_()
    assert png.startswith(b"\x89PNG")
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(fergana)
    assert "image/png" in data


def test_static_map_draws_onto_a_given_axes(atlas):
    fig = Figure(figsize=(4, 3), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    returned = static_map(atlas, corridor="cku_railway", ax=ax)
    assert returned is fig and fig.axes[0] is ax and len(fig.axes) == 1
    assert any(isinstance(c, LineCollection) for c in ax.collections)
    assert not fig.legends  # the caller's figure: no title, legend or inset added


def test_title_is_the_figure_label_and_the_pdf_title(fergana, tmp_path):
    assert fergana.get_label() == "The CKU railway"
    assert b"The CKU railway" in save_static(fergana, tmp_path / "m.pdf").read_bytes()


# --------------------------------------------------------------------------- small multiples

YEARS = [2008, 2015, 2020, 2026, 2030]


@pytest.fixture(scope="module")
def multiples(atlas):
    return static_map(atlas, years=YEARS, dpi=50)


def test_small_multiples_draw_one_map_per_year(multiples):
    assert [ax.get_label() for ax in multiples.axes] == [str(y) for y in YEARS]


def test_small_multiples_statuses_follow_status_as_of(atlas, multiples):
    for ax, year in zip(multiples.axes, YEARS, strict=True):
        expected = status_as_of(atlas, year).value_counts()
        heading = ax.get_title(loc="left")
        for status, count in expected.items():
            if status in styles.STATUS_LABELS:
                assert f"{count} {styles.status_label(status).lower()}" in heading, heading
        chosen = select(atlas, as_of=year)
        dashed = sum(
            len(c.get_segments()) for c in ax.collections
            if isinstance(c, LineCollection) and c.get_label() not in {"water", "ghost"}
            and c.get_zorder() == 5 and c.get_linestyle()[0][1] is not None
        )  # fmt: skip
        under = chosen.segments["status"].isin(["under_construction", "planned"]).any()
        assert (dashed > 0) == bool(under), year


def test_small_multiples_are_byte_identical_on_rerun(atlas, multiples, tmp_path):
    first = save_static(multiples, tmp_path / "a.png").read_bytes()
    again = static_map(atlas, years=YEARS, dpi=50)
    assert save_static(again, tmp_path / "b.png").read_bytes() == first


def test_years_must_be_in_order(atlas):
    with pytest.raises(SelectionError, match="years"):
        static_map(atlas, years=[2020, 2010], dpi=40)


def test_routes_are_drawn_and_named_in_the_legend_within_the_figure(atlas):
    from corridormap import routes as find_routes

    routes = find_routes(atlas, "Kashgar", "Tashkent", include=["cku_railway"], mode=["rail"], k=2)
    fig = static_map(atlas, corridor=["cku_railway"], routes=routes, dpi=60)
    ax = fig.axes[0]
    drawn = {c.get_label() for c in ax.collections}
    assert {"route 1", "route 2"} <= drawn
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    route_labels = [t for t in labels if t.startswith("Route ")]
    assert len(route_labels) == 2
    assert f"{routes['km'].iloc[0]:,.0f} km" in route_labels[0]
    renderer = fig.canvas.get_renderer()
    width = fig.get_figwidth() * fig.dpi
    for legend in fig.legends:  # no entry runs off the page
        assert legend.get_window_extent(renderer).x1 <= width + 1
