"""The static figure: matplotlib on Agg, palette shared with the map, labels that do not collide."""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.text import Annotation
from PIL import Image

from corridormap import SelectionError, save_static, static_map
from corridormap.render import styles
from corridormap.render.static import map_crs
from corridormap.render.static_furniture import _nice_km, map_units_per_km

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
    fig = static_map(atlas, corridor="cku_railway", figsize=(3.5, 3.5), dpi=300, inset=False)
    path = save_static(fig, tmp_path / "map.png")
    image = Image.open(path)
    assert image.size == (1050, 1050)
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


def test_extent_by_country_codes(atlas):
    fig = static_map(atlas, mode="rail", extent=["KGZ"], figsize=(4.0, None), dpi=40)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] - ax.get_xlim()[0] < 1_200_000  # metres: about Kyrgyzstan's width


def test_labels_do_not_depend_on_the_resolution(atlas):
    def labels(dpi: float) -> list[str]:
        fig = static_map(atlas, **FERGANA, figsize=(6.0, None), dpi=dpi)
        return sorted(t.get_text() for t in fig.axes[0].texts if t.get_text())

    assert labels(50) == labels(300)
