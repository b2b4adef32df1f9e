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
    assert "AidData" in credits and "Global Energy Monitor" in credits
    page.get_by_label(FINANCE).check()
    regions = page.locator("path.cm-fp-region")
    regions.first.wait_for()
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
    assert page.locator("path.cm-energy-line").count() >= 40  # 56 minus the corridors' lines
    _click_free_point(page, "path.cm-energy-plant")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "MW" in popup and "GEM wiki" in popup and "Global Energy Monitor" in popup
