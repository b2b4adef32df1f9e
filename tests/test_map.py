"""The interactive map's HTML: offline, locked down, deterministic, escaped, filtered, small."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridormap
from corridormap import _format, vocabulary
from corridormap.cli.app import app
from corridormap.render import styles
from corridormap.render.interactive import assets, controls, labels, popups

runner = CliRunner()

XSS = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{ 7*7 }} {% if true %}"
#: Issue 24: the whole-atlas map WITH both footprint layers within 1.0 MB (it was 1.20 MB; 0.82 MB
#: with the popups as one table, the relief as WebP and the coordinates encoded on a 0.001° grid).
MAX_BYTES = 1_000_000


class Tags(HTMLParser):
    """Collect every start tag with its attributes (script contents are not parsed as HTML)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(text)
    return parser.tags


def manifest_of(text: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="corridormap-manifest">(.*?)</script>', text, re.S
    )
    assert match, "manifest missing"
    return json.loads(match.group(1))


def popup_tables(text: str) -> list[dict]:
    """The popup tables of a page (:class:`popups.PopupTable`), parsed."""
    found = re.findall(
        r'<script type="application/json" id="cm-popups-[\w-]+">(.*?)</script>', text
    )
    return [json.loads(table) for table in found]


def popups_of(text: str) -> list[str]:
    """Every corridor popup's HTML in a page, and any other popup bound as a string."""
    tables = [html for table in popup_tables(text) for html in table["popups"].values()]
    bound = [json.loads(m) for m in re.findall(r'\.bindPopup\(("(?:[^"\\]|\\.)*")', text)]
    return tables + bound


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(built_map) -> Path:
    """The default map with its embed snippet (built once per run, in conftest.py)."""
    return built_map


@pytest.fixture(scope="module")
def page(built) -> str:
    return built.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- offline


def test_self_contained_file_loads_nothing_from_the_network(page):
    for tag, attrs in tags_of(page):
        for name in ("src", "href", "srcset", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag} {name}={value!r}>"
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)  # links in JS strings
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", markup)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", page)
    for library in ("jquery", "bootstrap", "font-awesome", "awesome-markers", "cdn.jsdelivr"):
        assert library not in page.lower(), library


def inline_scripts(text: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", text, re.S)


def test_leaflet_is_inlined_from_the_python_package(page, atlas):
    leaflet = assets.leaflet_js()
    assert any(leaflet in script for script in inline_scripts(page))
    assert "sourceMappingURL" not in page
    cdn = corridormap.folium_map(atlas, cdn=True).get_root().render()
    assert not any(leaflet[:2000] in script for script in inline_scripts(cdn))  # can fail


def test_csp_meta_comes_before_any_script(page):
    tags = tags_of(page)
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    policy = csp[0]["content"]
    assert "default-src 'none'" in policy
    assert "script-src 'unsafe-inline'" in policy
    assert re.search(r"img-src data:( https://[\w.*-]+)*;", policy)
    first_script = next(i for i, (t, _) in enumerate(tags) if t == "script")
    csp_index = next(i for i, (t, a) in enumerate(tags) if a.get("http-equiv"))
    assert csp_index < first_script


def test_tile_layers_are_listed_but_not_shown(page):
    assert "tile.openstreetmap.org" in page
    assert "basemaps.cartocdn.com" in page
    # A tile layer is added to the map only when shown; neither is.
    for name in re.findall(r"var (tile_layer_\w+) = L\.tileLayer", page):
        assert f"{name}.addTo(" not in page


def test_manifest_names_version_data_and_assets(page, atlas):
    manifest = manifest_of(page)
    assert manifest["generator"] == "corridormap"
    assert manifest["version"] == corridormap.__version__
    assert manifest["data_hash"] == atlas.data_hash
    assert manifest["assets"]["leaflet"] == "1.9.3"
    assert manifest["assets"]["inlined"] is True
    assert manifest["corridors"] == atlas.corridors["corridor_id"].tolist()
    assert manifest["selection"] == {"mode": [], "status": [], "country": [], "corridor": []}


def test_size_under_limit(built):
    assert built.stat().st_size < MAX_BYTES
    page = built.read_text(encoding="utf-8")
    assert 'id="cm-footprint-' in page  # the budget is for the map with both footprint layers


def test_cli_map_has_both_footprint_layers_unless_told_not_to(tmp_path, atlas):
    with_them, without = tmp_path / "with.html", tmp_path / "without.html"
    for out, extra in ((with_them, []), (without, ["--no-footprint"])):
        result = runner.invoke(app, ["map", "--out", str(out), *extra, *dirs(atlas)])
        assert result.exit_code == 0, result.output
    page = with_them.read_text(encoding="utf-8")
    assert 'id="cm-footprint-' in page and '"name":"Chinese finance (AidData)"' in page
    assert 'id="cm-footprint-' not in without.read_text(encoding="utf-8")
    assert without.stat().st_size < with_them.stat().st_size - 100_000


def decode(text: str, grid: int = assets.GRID) -> list[tuple[float, float]]:
    """``cmDecode`` of the page's decoder, in Python."""
    values, value, shift = [], 0, 0
    for char in text:
        bits = ord(char) - 63
        value |= (bits & 0x1F) << shift
        shift += 5
        if bits < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    points, a, b = [], 0, 0
    for i in range(0, len(values) - 1, 2):
        a, b = a + values[i], b + values[i + 1]
        points.append((a / grid, b / grid))
    return points


def test_encoded_coordinates_round_trip():
    pairs = [[39.47612, 75.98634], [39.47612, 75.98634], [-0.0004, -179.9996], [60.0, 0.0]]
    assert decode(assets.encode_pairs(pairs)) == [(39.476, 75.986), (-0.0, -180.0), (60.0, 0.0)]
    assert assets.encode_nested([[pairs[:2], pairs[2:]]]) == [
        [assets.encode_pairs(pairs[:2]), assets.encode_pairs(pairs[2:])]
    ]
    assert assets.encode_pairs([]) == ""
    # any size of step (the encoder writes up to 13 characters a value), either sign
    import numpy as np

    rng = np.random.default_rng(24)
    for scale in (1e-4, 0.01, 1.0, 180.0, 1e9):
        pairs = rng.uniform(-scale, scale, (50, 2))
        steps = [tuple(p) for p in np.round(pairs * assets.GRID) / assets.GRID]
        kept = [p for i, p in enumerate(steps) if i == 0 or p != steps[i - 1]]  # repeats dropped
        assert decode(assets.encode_pairs(pairs)) == kept, scale


def test_lines_in_the_page_are_the_segments_within_the_stated_tolerance(page, atlas):
    """Every drawn segment decodes to its geometry within the simplification and the grid."""
    import shapely

    from corridormap.render.interactive import layers

    parser = json.JSONDecoder()
    drawn = {}
    for match in re.finditer(r"L\.polyline\(cmLines\(", page):
        parts, end = parser.raw_decode(page, match.end())
        options, _ = parser.raw_decode(page, page.index("{", end))
        if "cmSegment" in options and not options.get("cmHalo"):
            drawn[options["cmSegment"]] = [parts] if isinstance(parts, str) else parts
    assert set(drawn) == set(atlas.segments["segment_id"])
    # simplification, plus half a grid step in each coordinate
    tolerance = layers.LINE_TOLERANCE + 0.5 * 2**0.5 / assets.GRID + 1e-9
    segments = atlas.segments
    for segment_id, geometry in zip(segments["segment_id"], segments.geometry, strict=True):
        lines = [[(lon, lat) for lat, lon in decode(part)] for part in drawn[segment_id]]
        shape = shapely.MultiLineString([line for line in lines if len(line) > 1])
        assert shapely.hausdorff_distance(shape, geometry) <= tolerance, segment_id


def test_cdn_variant_links_leaflet_and_is_smaller(atlas, tmp_path, built):
    path = corridormap.save_map(corridormap.folium_map(atlas, cdn=True), tmp_path / "cdn.html")
    text = path.read_text(encoding="utf-8")
    assert re.search(r'<script src="https://[^"]+/leaflet\.js"', text)
    assert "Content-Security-Policy" not in text
    assert manifest_of(text)["assets"]["inlined"] is False
    assert path.stat().st_size < built.stat().st_size - 100_000


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_identical_bytes(atlas, tmp_path, built):
    first = corridormap.save_map(corridormap.folium_map(atlas), tmp_path / "a.html")
    shown = corridormap.folium_map(atlas)
    shown._repr_html_()  # rendered once (as in a notebook) before saving
    second = corridormap.save_map(shown, tmp_path / "b.html")
    assert sha256(first) == sha256(second) == sha256(built)


def test_no_random_ids_or_timestamps(page):
    assert not re.search(r"_[0-9a-f]{32}\b", page)
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", page)


# --------------------------------------------------------------------------- content


def test_every_corridor_and_segment_is_drawn(page, atlas):
    for corridor_id in atlas.corridors["corridor_id"]:
        assert f"cm-c-{corridor_id} " in page
    assert page.count('"className": "cm-line ') == len(atlas.segments)
    assert len(popups_of(page)) == len(atlas.corridors)


def test_approximate_alignments_have_a_halo_and_a_note(page, atlas):
    sketch = atlas.segments[
        atlas.segments["positional_accuracy_km"] > corridormap.settings.line_data_accuracy_km
    ]
    assert page.count('"className": "cm-halo ') == len(sketch)
    if len(sketch):
        assert "Approximate alignment (sketch, \\u00b1" in page
        notes = [p for p in popups_of(page) if "Alignment is a sketch between sourced points" in p]
        assert len(notes) == sketch["corridor_id"].nunique()


def test_popups_are_readable(page, atlas):
    for html in popups_of(page):
        assert not re.search(r"\b(nan|NaN|None|NaT|<NA>)\b", html), html
        for url in re.findall(r'href="([^"]*)"', html):
            assert re.match(r"^https?://", url), url
    cost = atlas.corridors.dropna(subset=["cost_usd_m"])
    if len(cost):
        row = cost.iloc[0]
        assert f"USD {row['cost_usd_m']:,.0f} million" in " ".join(popups_of(page))


def test_popup_lists_sources_as_numbered_links(atlas):
    m = corridormap.folium_map(atlas)
    text = m.get_root().render()
    with_url = atlas.sources.dropna(subset=["url"])
    linked = [p for p in popups_of(text) if '<ol class="cm-src">' in p]
    assert len(linked) == len(atlas.corridors)
    if len(with_url):
        assert any(f'href="{url}"' in p for p in linked for url in with_url["url"])


def test_popup_shows_revenue_range_and_leaves_out_empty_fields(atlas):
    row = atlas.corridors.iloc[0].to_dict()
    row.update(operator=float("nan"), financing="", cost_usd_m=float("nan"))
    segments = atlas.segments[atlas.segments["corridor_id"] == row["corridor_id"]]
    revenue = {"revenue_usd": 123.4e6, "revenue_usd_low": 80e6, "revenue_usd_high": 1_500e6}
    html = popups.corridor_popup(
        row,
        segments,
        segments.iloc[:0].assign(country=[], length_km=[]),
        atlas.sources,
        revenue=revenue,
        approximate_km=12.0,
    )
    assert "USD 123 m a year (range 80–1,500 m)" in html
    assert "accurate to about ±12 km" in html
    for label in ("Operator", "Financing", "Cost", "By country"):
        assert f"<th>{label}</th>" not in html
    assert not re.search(r"\b(nan|None)\b", html)


def test_number_formatting():
    assert _format.number(4100.0) == "4,100"
    assert _format.number(1_234_567) == "1,234,567"
    assert _format.number(12.5) == "12.5"
    assert _format.number(0.333) == "0.33"
    assert _format.km(523.4) == "523" and _format.km(3.26) == "3.3"
    assert _format.missing(float("nan")) and _format.missing("") and _format.missing(None)


def test_styles_are_shared_and_complete():
    assert set(styles.MODE_STYLES) == set(vocabulary.MODES)
    assert set(styles.STATUS_DASHES) == set(vocabulary.STATUSES)
    assert styles.leaflet_dash("operational", 3) is None
    assert styles.matplotlib_dashes("planned")[1] == styles.STATUS_DASHES["planned"]


# --------------------------------------------------------------------------- escaping


def test_data_strings_are_escaped_everywhere(data_copy, tmp_path, atlas):
    first = atlas.corridors["corridor_id"].iloc[0]
    data_copy.edit_cell("projects", first, "name", XSS)
    data_copy.edit_cell("projects", first, "description", TEMPLATE + " `${alert(2)}`")
    hostile = corridormap.load(data_copy.geo, data_copy.data)
    m = corridormap.folium_map(hostile, title=XSS, subtitle="</script><script>alert(3)</script>")
    text = corridormap.save_map(m, tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<img src=x" not in text
    assert "<script>alert(3)" not in text and "</script><script>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # the <title>
    popup = next(p for p in popups_of(text) if "onerror" in p)
    assert "&lt;img src=x onerror=alert(1)&gt;" in popup
    assert "&#123;&#123; 7*7 &#125;&#125;" in popup  # shown as typed, never evaluated


def test_only_http_urls_are_linked(data_copy, atlas):
    source_id = atlas.sources["source_id"].iloc[0]
    data_copy.edit_cell("sources", source_id, "title", '"><script>alert(4)</script>')
    hostile = corridormap.load(data_copy.geo, data_copy.data)
    text = corridormap.folium_map(hostile).get_root().render()
    assert "<script>alert(4)" not in text
    for html in popups_of(text):
        for url in re.findall(r'href="([^"]*)"', html):
            assert url.startswith(("http://", "https://")), url


# --------------------------------------------------------------------------- filters


def test_filters_select_corridors(atlas):
    for mode in atlas.corridors["mode"].unique():
        m = corridormap.folium_map(atlas, mode=mode)
        expected = atlas.corridors.loc[atlas.corridors["mode"] == mode, "corridor_id"].tolist()
        assert m.corridor_ids == expected
    status = atlas.corridors["status"].iloc[0]
    m = corridormap.folium_map(atlas, status=status)
    assert set(m.corridor_ids) == set(
        atlas.corridors.loc[atlas.corridors["status"] == status, "corridor_id"]
    )
    two = atlas.corridors["corridor_id"].iloc[:2].tolist()
    m = corridormap.folium_map(atlas, corridor=two)
    assert sorted(m.corridor_ids) == sorted(two)
    assert manifest_of(m.get_root().render())["selection"]["corridor"] == two


def test_country_filter_matches_select(atlas):
    iso3 = "KGZ" if "KGZ" in set(atlas.countries["iso3"]) else atlas.countries["iso3"].iloc[0]
    expected = corridormap.select(atlas, country=iso3).corridors["corridor_id"].tolist()
    m = corridormap.folium_map(atlas, country=iso3.lower())
    assert m.corridor_ids == expected
    assert manifest_of(m.get_root().render())["selection"]["country"] == [iso3]


def test_unknown_filter_raises_selection_error(atlas):
    with pytest.raises(corridormap.SelectionError, match="unknown mode 'boat'"):
        corridormap.folium_map(atlas, mode="boat")


# --------------------------------------------------------------------------- command line


def dirs(atlas) -> list[str]:
    return ["--geo-dir", str(atlas.geo_dir), "--data-dir", str(atlas.data_dir)]


def test_cli_map_writes_file_and_embed_snippet(tmp_path, atlas):
    out = tmp_path / "maps" / "corridors.html"
    corridor = atlas.corridors["corridor_id"].iloc[0]
    args = ["map", "--out", str(out), "--embed", "-c", corridor, "--title", "One corridor"]
    result = runner.invoke(app, [*args, *dirs(atlas)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Saved \S+corridors\.html \(1 corridors, [\d,]+ KB\)\n", result.stdout)
    text = out.read_text(encoding="utf-8")
    assert "<title>One corridor</title>" in text
    snippet = (tmp_path / "maps" / "corridors.embed.html").read_text(encoding="utf-8")
    iframe = next(a for t, a in tags_of(snippet) if t == "iframe")
    assert iframe["src"] == "corridors.html"
    assert iframe["title"] == "Interactive map: One corridor"
    assert iframe["loading"] == "lazy"
    assert "allowfullscreen" in iframe
    assert "padding-top:62.5%" in snippet


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "boat"], "unknown mode 'boat'"),
        (["--status", "finished"], "unknown status 'finished'"),
        (["--country", "XXX"], "unknown country 'XXX'"),
        (["--corridor", "nope"], "unknown corridor id 'nope'"),
    ],
)
def test_cli_unknown_filter_exits_1_without_writing(tmp_path, atlas, args, message):
    out = tmp_path / "m.html"
    result = runner.invoke(app, ["map", "--out", str(out), *args, *dirs(atlas)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_revenue_choropleth_colours_each_paying_country_by_its_estimate(atlas, page):
    table = corridormap.revenue_by_country(atlas, scenario="base")
    assert len(table) >= 2
    tooltips = [json.loads(m) for m in re.findall(r'\.bindTooltip\(("(?:[^"\\]|\\.)*")', page)]
    for row in table.to_dict("records"):
        assert f"cm-revenue-{row['iso3']}" in page
        mine = [t for t in tooltips if t.startswith(f"<b>{row['country']}</b>")]
        assert mine, row["iso3"]
        assert f"USD {_format.number(row['revenue_usd'] / 1e6, decimals=0)} m a year" in mine[0]
        # what the figure is: an estimate, or (Kyrgyzstan's CKU row) the published claim restated
        restated = bool(row["includes_restated_claim"]) and row["tariff_kinds"] == "back_solved"
        assert ("claim restated" in mine[0]) == restated
        assert ("estimate" in mine[0]) == (not restated)
        assert ("proxy tariff" in mine[0]) == bool(row["includes_proxy"])
        colour = styles.REVENUE_COLOURS[styles.revenue_class(row["revenue_usd"] / 1e6)]
        pattern = (
            rf'"className": "cm-revenue cm-revenue-{row["iso3"]}"[^}}]*"fillColor": "{colour}"'
        )
        assert re.search(pattern, page, re.S), row["iso3"]
    assert "Transit revenue, M USD/yr" in page


# --------------------------------------------------------------------------- controls


DATA_RE = r'<script type="application/json" id="cm-data-[\w-]+">(.*?)</script>'


def controls_of(text: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="cm-data-[\w-]+">(.*?)</script>', text, re.S
    )
    assert match, "controls data missing"
    return json.loads(match.group(1))


def test_year_slider_statuses_are_those_of_select_as_of(page, atlas):
    timeline = controls_of(page)["timeline"]
    steps = timeline["steps"]
    first = int(atlas.status_history["date"].str[:4].astype(int).min())
    assert timeline["first"] == steps[0] == first
    assert timeline["last"] == 2030  # "commercial operation targeted for 2030" (CKU)
    for year in (first, 2010, 2020, 2030):
        index = max(i for i, step in enumerate(steps) if step <= year)
        then = corridormap.select(atlas, as_of=year).segments.set_index("segment_id")["status"]
        for segment_id, codes in timeline["codes"].items():
            code = codes[index]
            expected = then.get(segment_id)
            drawn = None if code == controls.NOT_YET else timeline["statuses"][int(code)]
            assert drawn == expected, (year, segment_id)


def test_the_page_has_one_polyline_decoder(page):
    """Every layer (corridors, basemap, footprint) reads its encoded lines with cmDecode."""
    assert page.count("function cmDecode(") == 1
    assert len(re.findall(r"charCodeAt\(\w+\)\s*-\s*63", page)) == 1


def test_search_index_names_every_corridor_and_place_as_escaped_json(page, atlas):
    entries = controls_of(page)["search"]
    labels_ = [e["label"] for e in entries]
    assert set(atlas.corridors["name"]) <= set(labels_)
    assert "Kashgar" in labels_
    data_script = re.search(
        r'<script type="application/json" id="cm-data-[^>]+>(.*?)</script>', page, re.S
    )
    assert "<" not in data_script.group(1) and "&" not in data_script.group(1)


def test_hostile_names_stay_json_in_the_controls(data_copy, tmp_path, atlas):
    first = atlas.corridors["corridor_id"].iloc[0]
    data_copy.edit_cell("projects", first, "name", XSS + "</script>")
    hostile = corridormap.load(data_copy.geo, data_copy.data)
    text = corridormap.folium_map(hostile).get_root().render()
    assert XSS + "</script>" in [e["label"] for e in controls_of(text)["search"]]
    assert "</script><" not in text.replace("</script>\n<", "")
    js = (Path(controls.__file__).parent / "controls.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "eval(" not in js and "new Function" not in js


def test_page_zoom_is_not_disabled(page):
    viewport = [a for t, a in tags_of(page) if t == "meta" and a.get("name") == "viewport"]
    assert len(viewport) == 1
    assert "user-scalable" not in viewport[0]["content"]
    assert "maximum-scale" not in viewport[0]["content"]


def test_name_placement_never_overlaps():
    names = [labels.Label(40.0, 70.0 + 0.05 * i, f"Place number {i}", "city") for i in range(30)]
    for zoom in labels.ZOOMS:
        sides = labels.place(names, [(n.lat, n.lon) for n in names], zoom)
        boxes = [
            dict(labels._boxes(n, *labels._pixels(n.lat, n.lon, zoom)))[side]
            for n, side in zip(names, sides, strict=True)
            if side != "hidden"
        ]
        assert boxes, zoom
        for i, a in enumerate(boxes):
            assert not labels._overlaps(a, boxes[i + 1 :]), zoom
    # further apart as the map zooms in: at least as many names shown
    shown = [sum(s != "hidden" for s in labels.place(names, [], z)) for z in labels.ZOOMS]
    assert shown == sorted(shown) and shown[0] < shown[-1]


def test_folium_map_draws_onto_a_users_map(atlas):
    import folium

    mine = folium.Map(location=[42, 72], zoom_start=5, tiles=None)
    folium.Marker([42, 72], tooltip="mine").add_to(mine)
    result = corridormap.folium_map(atlas, corridor="cku_railway", m=mine)
    assert result is mine
    text = mine.get_root().render()
    assert '"tooltip"' in text or "mine" in text
    assert len(popups_of(text)) == 1
    assert "cm-c-cku_railway" in text and "Content-Security-Policy" not in text
    assert "Countries (offline basemap)" not in text  # the user's base layers stay theirs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "var a = 1;\n",
        "a\n\n",
        "  x  ",
        "{{ 1 + 1 }}\n",
        "{% if 1 %}y{% endif %}",
        "a\r\nb\n",
    ],
)
def test_render_once_places_text_as_folium_would(text):
    from branca.element import Element

    assert assets._as_rendered(text).render() == Element(text).render()


def test_render_once_elements_render_as_folium_s_own():
    import folium

    cases = [
        (assets.PolyLine, folium.PolyLine, [[40.0, 70.0], [41.0, 71.5]], "polyline"),
        (assets.Polygon, folium.Polygon, [[40.0, 70.0], [41.0, 71.5], [40.5, 72.0]], "polygon"),
        (assets.CircleMarker, folium.CircleMarker, [40.0, 70.0], "circleMarker"),
    ]
    for ours, theirs, where, call in cases:
        pages = []
        for element, group in ((ours, assets.FeatureGroup), (theirs, folium.FeatureGroup)):
            m = folium.Map(tiles=None)
            layer = group(name="Layer {{ not a template }}", show=True)
            element(where, color="#123456", class_name="cm-x", tooltip="a").add_to(layer)
            layer.add_to(m)
            assets.stabilize_ids(m.get_root())
            pages.append(m.get_root().render())
        if call is not None:  # ours leaves Leaflet's defaults out and writes encoded vertices
            found = [_call_arguments(page, call) for page in pages]
            (ours_at, ours_opts, ours_page), (theirs_at, theirs_opts, theirs_page) = found
            assert ours_at == theirs_at, ours.__name__
            defaults = assets.LEAFLET_LINE_DEFAULTS | ({"fill": True} if call != "polyline" else {})
            if call == "polygon":
                defaults = defaults | {"fill": True}
            implied = {k: v for k, v in defaults.items() if k in theirs_opts}
            assert implied | {"fillColor": ours_opts["color"]} | ours_opts == theirs_opts, call
            if call != "polygon":  # (folium's polygon has few options to leave out)
                assert len(json.dumps(ours_opts)) < len(json.dumps(theirs_opts)) / 2
            # the same page but for the decoder in the head (and the blank line it leaves)
            pages = [" ".join(ours_page.replace(assets.DECODER_JS, "").split()),
                     " ".join(theirs_page.split())]  # fmt: skip
        assert pages[0] == pages[1], ours.__name__


def _call_arguments(page: str, call: str) -> tuple[object, dict, str]:
    """The location and options of the one ``L.<call>(...)`` of a page, and the page without.

    Encoded vertices (``cmLines("...")``) are decoded.
    """
    match = re.search(rf"L\.{call}\(\s*(cmLines\()?", page)
    assert match is not None, call
    parser = json.JSONDecoder()
    where, end = parser.raw_decode(page, match.end())
    if match.group(1):
        end = page.index(")", end) + 1
        where = _decoded(where)
    options, end = parser.raw_decode(page, page.index("{", end))
    end = page.index(")", end) + 1
    return where, options, page[: match.start()] + page[end:]


def _decoded(value):
    if isinstance(value, str):
        return [list(point) for point in decode(value)]
    return [_decoded(part) for part in value]
