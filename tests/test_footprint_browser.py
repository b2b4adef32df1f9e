"""The footprint layers in a real browser: off at first, drawn when switched on, popups, slider.

Skips when /usr/bin/chromium or Playwright is missing (see conftest.py's ``browser``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FINANCE = "Chinese finance (AidData)"
ENERGY = "Energy (GEM)"


@pytest.fixture(scope="module")
def footprint_map(atlas, tmp_path_factory) -> Path:
    import corridormap

    path = tmp_path_factory.mktemp("footprint-map") / "footprint.html"
    return corridormap.save_map(corridormap.folium_map(atlas, footprint=True), path)


@pytest.fixture
def page(browser, footprint_map: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    context.route(
        re.compile(r"^https?://"), lambda route: (blocked.append(route.request.url), route.abort())
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(footprint_map.as_uri())
    tab.wait_for_selector("path.cm-line")
    yield tab
    assert errors == [] and blocked == []
    context.close()


def _click_free_point(page, selector: str) -> None:
    """Click a point of the first element of ``selector`` that is not covered by another."""
    point = page.evaluate(
        """(selector) => {
            for (const el of document.querySelectorAll(selector)) {
                const box = el.getBoundingClientRect();
                for (let i = 1; i < 10; i++) {
                    for (let j = 1; j < 10; j++) {
                        const x = box.left + box.width * i / 10, y = box.top + box.height * j / 10;
                        if (document.elementFromPoint(x, y) === el) { return [x, y]; }
                    }
                }
            }
            return null;
        }""",
        selector,
    )
    assert point, f"no free point on {selector}"
    page.mouse.click(*point)
    page.wait_for_selector(".leaflet-popup-content")


def test_finance_layer_is_off_until_switched_on_then_shows_projects(page) -> None:
    assert page.locator("path.cm-fp-shape, path.cm-fp-region").count() == 0
    credits = page.locator(".leaflet-control-attribution").inner_text()
    # lines traced from AidData's and GEM's geometry credit them once, in the licence table's words
    for holder in (
        "AidData, Global Chinese Development Finance Dataset",
        "Global Energy Monitor, ",
    ):
        assert credits.count(holder) == 1, credits
    page.get_by_label(FINANCE).check()
    regions = page.locator("path.cm-fp-region")
    regions.first.wait_for()
    credits = page.locator(".leaflet-control-attribution").inner_text()
    # the layer's credits, each once: the lines already give AidData's and OpenStreetMap's
    assert credits.count("AidData, Global Chinese Development Finance Dataset") == 1, credits
    assert credits.count("OpenStreetMap contributors") == 1, credits
    assert page.locator("path.cm-fp-shape").count() > 50
    assert page.locator("#cm-fp-legend").is_visible()
    _click_free_point(page, "path.cm-fp-region")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "constant 2021 USD" in popup and "AidData" in popup
    # the year slider: a project appears from its commitment year
    before = regions.count()
    page.evaluate(
        """() => { const s = document.querySelector('.cm-year input[type=range]');
                   s.value = s.min; s.dispatchEvent(new Event('input')); }"""
    )
    assert page.locator("path.cm-fp-region").count() < before
    # the sector filter
    page.evaluate(
        """() => { const s = document.querySelector('.cm-year input[type=range]');
                   s.value = s.max; s.dispatchEvent(new Event('input')); }"""
    )
    shapes = page.locator("path.cm-fp-shape").count()
    page.locator("#cm-fp-legend input[data-sector='2']").uncheck()  # transport and storage
    fewer = page.locator("path.cm-fp-shape").count()
    assert fewer < shapes
    # the status filter: AidData's "completion" (index 3 of FINANCE_STATUSES)
    page.locator("#cm-fp-legend input[data-status='3']").uncheck()
    assert page.locator("path.cm-fp-shape").count() < fewer


def test_energy_layer_draws_plants_sized_by_mw_and_pipelines(page) -> None:
    assert page.locator("path.cm-energy-plant").count() == 0
    page.get_by_label(ENERGY).check()
    page.locator("path.cm-energy-plant").first.wait_for()
    assert "Global Hydropower Tracker" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator("path.cm-energy-line").count() >= 40  # 56 minus the corridors' lines
    # the lines decode (cmDecode, on the footprint's grid) to where they are: in the first view
    shown = page.evaluate(
        """() => [...document.querySelectorAll('path.cm-energy-line')].filter(e => {
                const b = e.getBoundingClientRect();
                return b.width > 0 && b.right > 0 && b.bottom > 0
                    && b.left < innerWidth && b.top < innerHeight; }).length"""
    )
    assert shown >= 20, shown
    _click_free_point(page, "path.cm-energy-plant")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "MW" in popup and "GEM wiki" in popup and "Global Energy Monitor" in popup


HOSTILE = "<script>alert(1)</script> & \"double\" 'single' <img src=x onerror=alert(2)>"


def test_footprint_popups_show_hostile_data_text_as_text(browser, data_copy) -> None:
    """A title, a lender and a plant name holding markup open as the text they are."""
    import pandas as pd

    import corridormap

    finance = pd.read_csv(data_copy.data / "finance.csv", dtype=str, keep_default_na=False)
    traced = finance[(finance["precision"] == "precise") & (finance["amount_usd"] != "")]
    project = traced["project_id"].iloc[0]
    data_copy.edit_cell("finance", project, "title", HOSTILE)
    data_copy.edit_cell("finance", project, "lenders", HOSTILE)
    energy = pd.read_csv(data_copy.data / "energy.csv", dtype=str, keep_default_na=False)
    plant = energy.loc[energy["kind"] == "hydropower", "asset_id"].iloc[0]
    data_copy.edit_cell("energy", plant, "name", HOSTILE)
    atlas = corridormap.load(data_copy.geo, data_copy.data)
    path = corridormap.save_map(corridormap.folium_map(atlas), data_copy.data.parent / "x.html")
    assert "<script>alert(1)" not in path.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(path.as_uri())
    tab.wait_for_selector("path.cm-line")
    tab.get_by_label(FINANCE).check()
    tab.get_by_label(ENERGY).check()
    opened = tab.evaluate(
        """(needle) => {
            const map = Object.values(window).find((v) => v instanceof L.Map);
            const texts = [];
            map.eachLayer((layer) => {
                const tip = layer.getTooltip && layer.getTooltip();
                if (!tip || layer.getPopup() === undefined) { return; }
                let content = tip.getContent();
                content = typeof content === "function" ? content(layer) : content;
                const text = typeof content === "string" ? content : content.textContent;
                if (text.indexOf(needle) >= 0) {
                    layer.openTooltip();  // (a tooltip read as HTML would run the onerror)
                    layer.openPopup(layer.getCenter ? layer.getCenter() : layer.getLatLng());
                    const box = layer.getPopup().getElement();  // (a closed one fades out)
                    texts.push(box.querySelector(".leaflet-popup-content").innerText);
                    layer.closePopup();
                    layer.closeTooltip();
                }
            });
            return texts;
        }""",
        "<script>alert(1)",
    )
    assert len(opened) == 2, opened  # the project's outline and the plant's circle
    assert all(HOSTILE in text for text in opened)
    assert any("Lender: " + HOSTILE in text for text in opened), opened
    assert tab.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
    assert dialogs == []
    context.close()
