"""The map in a real headless Chromium with the network cut: drawn, interactive, safe, embeddable.

Skips when /usr/bin/chromium or Playwright is missing, unless CORRIDORMAP_REQUIRE_BROWSER=1.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

import corridormap

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
XSS = "<img src=x onerror=alert(1)>"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CORRIDORMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(atlas, tmp_path_factory) -> Path:
    """The default map, its embed snippet in a host page, and a map built from hostile data."""
    root = tmp_path_factory.mktemp("site")
    corridormap.save_map(corridormap.folium_map(atlas), root / "corridors.html", embed=True)
    snippet = (root / "corridors.embed.html").read_text(encoding="utf-8")
    (root / "host.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Briefing</title>"
        f"</head><body style='max-width:900px;margin:20px auto'><h1>Briefing</h1>{snippet}"
        "</body></html>",
        encoding="utf-8",
    )
    geo, data = root / "geo", root / "data"
    shutil.copytree(atlas.geo_dir, geo)
    shutil.copytree(atlas.data_dir, data)
    projects = pd.read_csv(data / "projects.csv", dtype=str, keep_default_na=False)
    projects.loc[0, "name"] = XSS
    projects.to_csv(data / "projects.csv", index=False)
    hostile = corridormap.load(geo, data)
    corridormap.save_map(corridormap.folium_map(hostile, title=XSS), root / "hostile.html")
    return root


@dataclass
class Tab:
    """A page whose every http(s) request is aborted and recorded, with its errors."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("path.cm-line")


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = Tab(context.new_page())
    context.route(
        re.compile(r"^https?://"),
        lambda route: (opened.blocked.append(route.request.url), route.abort()),
    )
    opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.page.on(
        "console", lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None
    )
    opened.page.add_init_script("window.__alerts = 0; window.alert = () => window.__alerts++;")
    yield opened
    context.close()


def click_corridor(tab: Tab, corridor_id: str) -> str:
    """Hover, then click a visible point of the corridor's lines; return the tooltip's text."""
    point = tab.page.evaluate(
        """(id) => {
            const box = document.querySelector(".folium-map");
            const map = window[box.id];  // folium's global map variable
            const rect = box.getBoundingClientRect();
            for (const path of document.querySelectorAll(`path.cm-c-${id}`)) {
                const length = path.getTotalLength();
                for (let f = 0.5, step = 1; f > 0 && f < 1; f += (step % 2 ? 1 : -1) * step * 0.04,
                     step++) {
                    const p = path.getPointAtLength(length * f);  // SVG units = layer pixels
                    const c = map.layerPointToContainerPoint([p.x, p.y]);
                    const x = rect.left + c.x, y = rect.top + c.y;
                    if (document.elementFromPoint(x, y) === path) { return [x, y]; }
                }
            }
            return null;
        }""",
        corridor_id,
    )
    assert point, f"no clickable point on {corridor_id}"
    tab.page.mouse.move(*point)
    tooltip = tab.page.locator(".leaflet-tooltip").inner_text()
    tab.page.mouse.click(*point)
    tab.page.wait_for_selector(".leaflet-popup-content")
    return tooltip


def test_loads_offline_with_no_errors_and_no_requests(tab, site):
    tab.open(site / "corridors.html")
    tab.page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "map.png"))
    assert tab.errors == []
    assert tab.blocked == []
    assert tab.page.locator(".cm-country").count() > 0  # the offline basemap's names
    assert tab.page.locator("img.leaflet-tile").count() == 0


def test_every_corridor_is_drawn(tab, site, atlas):
    tab.open(site / "corridors.html")
    for corridor_id in atlas.corridors["corridor_id"]:
        assert tab.page.locator(f"path.cm-c-{corridor_id}").count() >= 1, corridor_id
    assert tab.page.locator("path.cm-line").count() == len(atlas.segments)
    sketch = atlas.segments["positional_accuracy_km"] > corridormap.settings.line_data_accuracy_km
    assert tab.page.locator("path.cm-halo").count() == int(sketch.sum())


def test_hiding_a_mode_hides_its_corridors(tab, site, atlas):
    tab.open(site / "corridors.html")
    mode = atlas.corridors["mode"].iloc[0]
    label = corridormap.render.styles.mode_label(mode)
    others = tab.page.locator("path.cm-line").count() - tab.page.locator(f"path.cm-{mode}").count()
    checkbox = tab.page.locator(".leaflet-control-layers-overlays label", has_text=label).locator(
        "input"
    )
    checkbox.uncheck()
    assert tab.page.locator(f"path.cm-{mode}").count() == 0
    assert tab.page.locator("path.cm-line").count() == others
    checkbox.check()
    assert tab.page.locator(f"path.cm-{mode}").count() > 0


def test_hover_and_click_show_name_status_and_sources(tab, site, atlas):
    tab.open(site / "corridors.html")
    row = atlas.corridors.iloc[0]
    tooltip = click_corridor(tab, row["corridor_id"])
    assert row["name"] in tooltip
    assert any(label in tooltip for label in corridormap.render.styles.STATUS_LABELS.values())
    popup = tab.page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert row["name"] in text
    assert "sources" in text.lower()
    assert popup.locator("ol.cm-src li").count() >= 1
    for href in popup.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(("http://", "https://")), href
    tab.page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    assert tab.errors == [] and tab.blocked == []


def test_revenue_layer_is_off_until_switched_on_and_shows_the_range(tab, site, atlas):
    tab.open(site / "corridors.html")
    assert tab.page.locator("path.cm-revenue").count() == 0
    legend = tab.page.locator(".cm-revenue-legend")
    assert not legend.is_visible()
    tab.page.get_by_label("Transit revenue by country (estimate)").check()
    assert legend.is_visible() and "M USD/YR" in legend.inner_text().upper()
    tab.page.locator("path.cm-revenue-KGZ").first.wait_for()
    point = tab.page.evaluate(
        """() => {
            const path = document.querySelector("path.cm-revenue-KGZ");
            const box = path.getBoundingClientRect();
            for (let i = 1; i < 20; i++) {
                for (let j = 1; j < 20; j++) {
                    const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
                    if (document.elementFromPoint(x, y) === path) { return [x, y]; }
                }
            }
            return null;
        }"""
    )
    assert point, "no free point on Kyrgyzstan"
    tab.page.mouse.move(*point)
    tooltip = tab.page.locator(".leaflet-tooltip").inner_text()
    assert "Kyrgyzstan" in tooltip and "range" in tooltip and "estimate" in tooltip
    tab.page.get_by_label("Transit revenue by country (estimate)").uncheck()
    assert not legend.is_visible()
    assert tab.errors == [] and tab.blocked == []


def test_place_names_appear_once_zoomed_in_and_countries_are_named_in_view(tab, site, atlas):
    tab.open(site / "corridors.html")
    names = tab.page.locator(".cm-place-name span")
    assert names.count() > 10
    assert not names.filter(has_text="Kashgar").first.is_visible()  # region zoom: no clutter
    countries = tab.page.locator(".cm-country").all_inner_texts()
    for name in ("China", "Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan"):
        assert name.upper() in [c.upper() for c in countries], name
    tab.page.evaluate(
        "() => { const box = document.querySelector('.folium-map');"
        " window[box.id].setView([40.0, 75.0], 8, {animate: false}); }"
    )
    kashgar = names.filter(has_text="Kashgar").first
    kashgar.wait_for(state="visible")
    place = atlas.places.set_index("place_id").loc["kashgar"].geometry
    box = kashgar.bounding_box()
    marker = tab.page.evaluate(
        "([lat, lon]) => { const box = document.querySelector('.folium-map');"
        " const p = window[box.id].latLngToContainerPoint([lat, lon]);"
        " const r = box.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [place.y, place.x],
    )
    assert 0 < box["x"] - marker[0] < 20 and abs(box["y"] + box["height"] / 2 - marker[1]) < 6
    assert tab.errors == [] and tab.blocked == []


def test_legend_title_scale_and_fullscreen_are_shown(tab, site, atlas):
    tab.open(site / "corridors.html")
    panel = tab.page.locator(".cm-panel")
    assert panel.is_visible()
    assert "China–Central Asia" in panel.locator("h1").inner_text()
    legend = panel.locator(".cm-legend")
    assert legend.is_visible()
    for mode in atlas.corridors["mode"].unique():
        assert corridormap.render.styles.mode_label(mode) in legend.inner_text()
    assert tab.page.locator(".leaflet-control-scale").is_visible()
    assert tab.page.locator(".cm-fullscreen a").is_visible()
    attribution = tab.page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "corridormap" in attribution


def test_xss_payload_is_text_and_never_runs(tab, site, atlas):
    tab.open(site / "hostile.html")
    assert tab.page.title() == XSS
    assert XSS in tab.page.locator(".cm-panel h1").inner_text()
    tooltip = click_corridor(tab, atlas.corridors["corridor_id"].iloc[0])
    assert XSS in tooltip
    popup = tab.page.locator(".leaflet-popup-content")
    assert XSS in popup.inner_text()
    assert popup.locator("img").count() == 0
    tab.page.wait_for_timeout(200)
    assert tab.page.evaluate("window.__alerts") == 0
    assert tab.errors == [] and tab.blocked == []


def test_embed_snippet_works_in_an_iframe(tab, site, atlas):
    tab.page.goto((site / "host.html").as_uri())
    frame = tab.page.frame_locator("iframe")
    frame.locator("path.cm-line").first.wait_for()
    assert frame.locator("path.cm-line").count() == len(atlas.segments)
    box = tab.page.locator("iframe").bounding_box()
    assert box and abs(box["height"] / box["width"] - 0.625) < 0.01
    assert tab.errors == [] and tab.blocked == []
