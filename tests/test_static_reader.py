"""What a reader sees in a figure and a brief: money printed as written, names off the lines.

Also the places a corridor figure must show (termini, the break of gauge), the capitals on an
overview, a single corridor's own title, a figure drawn onto a user's Axes showing in Jupyter,
a brief's routes drawn on its figure, its fact sources apart from its geometry provenance, and a
brief page that does not scroll sideways on a phone.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import shapely
from matplotlib.figure import Figure
from matplotlib.text import Text

import corridormap
from corridormap import static_map
from corridormap.briefing.spec import load_spec, resolve
from corridormap.render.static.labels import LABEL_GID, key_places
from corridormap.render.static.lines import CORRIDOR_GID

SPECS = sorted((Path(__file__).resolve().parents[1] / "maps" / "specs").glob("*.toml"))


def names_on_lines(fig: Figure) -> list[str]:
    """Names placed on the map whose box meets a drawn corridor line (its full width)."""
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        lines = []
        for collection in ax.collections:
            if collection.get_gid() != CORRIDOR_GID:
                continue
            half = max(collection.get_linewidths()) * fig.dpi / 72 / 2
            for segment in collection.get_segments():
                if len(segment) > 1:
                    line = shapely.LineString(ax.transData.transform(segment))
                    lines.append(line.buffer(half))
        drawn = shapely.union_all(lines)
        for text in ax.texts:
            if text.get_gid() == LABEL_GID:
                box = text.get_window_extent(renderer)
                if drawn.intersects(shapely.box(box.x0, box.y0, box.x1, box.y1)):
                    found.append(text.get_text())
    return found


def placed_names(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == LABEL_GID]


def spec_figure(atlas, path: Path, dpi: float = 100) -> Figure:
    spec = load_spec(path)
    _, box = resolve(atlas, spec)
    return static_map(
        atlas, mode=spec.mode, status=spec.status, country=spec.country, corridor=spec.corridor,
        highlight=spec.highlight, extent=box, title=spec.title, subtitle=spec.subtitle,
        byline=spec.byline, figsize=(spec.width_in, spec.height_in), dpi=dpi,
        years=spec.years or None,
    )  # fmt: skip


# The layout is in points, so a screen-resolution draw places the names as the 300 dpi one does.
@pytest.mark.parametrize("spec", [p for p in SPECS if "years" not in p.read_text()], ids=str)
def test_no_name_in_a_shipped_specs_figure_overlaps_a_drawn_line(atlas, spec):
    fig = spec_figure(atlas, spec)
    assert len(placed_names(fig)) >= 10  # the figure is named, not emptied
    assert names_on_lines(fig) == []


def test_the_line_check_finds_a_name_put_on_a_line(atlas):
    fig = spec_figure(atlas, SPECS[0])
    ax = fig.axes[0]
    segment = next(c for c in ax.collections if c.get_gid() == CORRIDOR_GID).get_segments()[0]
    ax.annotate(
        "ON THE LINE", xy=segment[len(segment) // 2], ha="center", va="center", gid=LABEL_GID
    )
    assert names_on_lines(fig) == ["ON THE LINE"]


def test_dollar_amounts_in_a_title_print_as_written(atlas):
    title = "A US$4.7 bn line, US$2.3 bn of it loans"
    fig = static_map(
        atlas, corridor="cku_railway", title=title, subtitle="Costs: $1 and $2.", dpi=40
    )
    renderer = fig.canvas.get_renderer()
    for text in (t for t in fig.findobj(Text) if "$" in t.get_text()):
        # Read as mathematics, "$4.7 bn line, US$" would be set in italics without its spaces
        # or its dollar signs; drawn as written it is as wide as the same text with S for $.
        plain = fig.text(
            0, 0, text.get_text().replace("$", "S"), fontproperties=text.get_fontproperties()
        )
        width = text.get_window_extent(renderer).width
        assert width == pytest.approx(plain.get_window_extent(renderer).width, rel=0.05)
        plain.remove()
    assert {t.get_text() for t in fig.findobj(Text)} >= {title, "Costs: $1 and $2."}


def test_a_corridor_figure_marks_its_termini_and_break_of_gauge(atlas):
    key = key_places(corridormap.select(atlas, corridor="cku_railway"), overview=False)
    assert {"kashgar", "andijan", "makmal"} <= set(key)
    assert "1,435" in key["makmal"] and "1,520" in key["makmal"]
    fig = static_map(atlas, corridor="cku_railway", dpi=60)
    names = placed_names(fig)
    for place in ("Kashgar", "Andijan", "Makmal"):
        assert any(n.startswith(place) for n in names), (place, names)
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert "Station" in legend  # Makmal's symbol is explained


def test_an_overview_names_the_capitals(atlas):
    fig = spec_figure(atlas, next(p for p in SPECS if p.stem == "all-corridors"), dpi=60)
    capitals = atlas.places.set_index("place_id").loc[list(corridormap.render.styles.CAPITALS)]
    named = placed_names(fig)
    shown = [name for name in capitals["name"] if name in named]
    assert len(shown) >= 3, named  # most capitals named, even on the crowded overview


def test_a_single_corridors_figure_is_titled_with_its_name(atlas):
    fig = static_map(atlas, corridor="cku_railway", dpi=40)
    name = atlas.corridors.set_index("corridor_id").loc["cku_railway", "name"]
    assert fig.get_label() == name
    assert (
        static_map(atlas, mode="rail", dpi=40).get_label()
        == "China–Central Asia infrastructure corridors"
    )


def test_a_figure_drawn_onto_a_users_axes_shows_in_jupyter(atlas):
    from IPython.core.formatters import PNGFormatter

    mine = Figure(figsize=(3, 2), dpi=40)
    fig = static_map(atlas, corridor="cku_railway", ax=mine.add_subplot())
    png = PNGFormatter()(fig)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")


BRIEF = """
title = "Kashgar to Tashkent"
outputs = ["png", "index", "html"]
{routes}
[select]
corridor = ["cku_railway", "cku_highway"]
[figure]
dpi = 50
"""


def test_a_briefs_sources_number_the_facts_and_note_the_geometry_apart(atlas, tmp_path):
    pack = corridormap.brief(atlas, tomllib.loads(BRIEF.format(routes="")), tmp_path / "pack")
    page = (pack / "index.html").read_text(encoding="utf-8")
    numbered = page.split("<h2>Sources</h2>")[1].split("<h3>Lines and places</h3>")[0]
    note = page.split("<h3>Lines and places</h3>")[1].split("</p>")[0]
    chosen = corridormap.select(atlas, corridor=["cku_railway", "cku_highway"])

    def ids(frame, columns) -> set[str]:
        return {i for c in columns for v in frame[c].dropna() for i in str(v).split(";") if i}

    facts = ids(chosen.corridors, [c for c in chosen.corridors if c.endswith("_source")])
    facts |= ids(chosen.segments, ["length_source", "sources"])
    geometry = ids(chosen.segments, ["geometry_source"]) - facts
    assert geometry, "no source that gives only geometry"
    titles = atlas.sources.set_index("source_id")["title"]
    for source_id in geometry:
        title = str(titles[source_id]).replace("&", "&amp;").replace("'", "&#x27;")
        assert title not in numbered, source_id
        assert title in note, source_id
    assert numbered.count("<li") >= 5


def test_a_briefs_routes_are_drawn_on_its_figure_and_map(atlas, tmp_path):
    from PIL import Image, ImageChops

    routes = 'routes = [{origin = "Kashgar", destination = "Tashkent", include = ["cku_railway"]}]'
    plain = corridormap.brief(atlas, tomllib.loads(BRIEF.format(routes="")), tmp_path / "a")
    drawn = corridormap.brief(atlas, tomllib.loads(BRIEF.format(routes=routes)), tmp_path / "b")
    with Image.open(plain / "map.png") as a, Image.open(drawn / "map.png") as b:
        assert (
            a.size != b.size or ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
        )
    html = (drawn / "map.html").read_text(encoding="utf-8")
    assert "Kashgar \\u2192 Tashkent" in html or "Kashgar → Tashkent" in html


def test_the_routes_reach_the_figure(atlas, tmp_path):
    from corridormap.briefing.routes import route_rows

    rows = route_rows(atlas, [{"origin": "Kashgar", "destination": "Tashkent"}])
    fig = static_map(atlas, corridor=["cku_railway", "cku_highway"], routes=rows, dpi=40)
    legend = " ".join(t.get_text() for lg in fig.legends for t in lg.get_texts())
    assert "Route 1: Kashgar → Tashkent" in legend
