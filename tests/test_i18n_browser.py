"""The Russian and Chinese maps in headless Chromium: language, names, search, axe, phone width.

Skips without Chromium/Playwright unless CORRIDORMAP_REQUIRE_BROWSER=1 (``browser`` fixture in
conftest.py). Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import corridormap

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: What each page must show: its lang attribute, the search box's label and a place name.
EXPECTED = {
    "ru": ("ru", "Найти коридор или пункт", "Перевал Торугарт"),
    "zh": ("zh-Hans", "查找走廊或地点", "吐尔尕特山口"),
}


@pytest.fixture(scope="module")
def maps(atlas, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("i18n-browser")
    return {
        lang: corridormap.save_map(
            corridormap.folium_map(atlas, lang=lang), folder / f"{lang}.html"
        )
        for lang in EXPECTED
    }


@pytest.fixture
def open_page(browser):
    """Open a map at a viewport size, network cut; collect page errors and blocked requests."""
    contexts = []

    def opener(path: Path, width: int = 1280, height: int = 800):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        context.route(
            re.compile(r"^https?://"),
            lambda route: (page.problems.append(route.request.url), route.abort()),
        )
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("path.cm-line")
        return page

    yield opener
    for context in contexts:
        context.close()


def search(page, text: str, part: str = ".cm-result-name") -> list[str]:
    box = page.locator("input.cm-search")
    box.fill("")
    box.type(text)
    page.wait_for_timeout(50)
    return page.locator(f".cm-results {part}").all_inner_texts()


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_page_speaks_its_language_and_finds_local_and_english_names(open_page, maps, lang):
    tag, search_label, place = EXPECTED[lang]
    page = open_page(maps[lang])
    assert page.evaluate("document.documentElement.lang") == tag
    assert page.locator(".cm-tools-label").first.inner_text().lower() == search_label.lower()
    names = page.locator(".cm-place-name span").all_inner_texts()
    assert place in names
    for query in ("Хоргос", "霍尔果斯", "Khorgos"):  # every page finds every form of the name
        found = search(page, query, "li")  # its name, or "also …" the name matched
        assert found and all(query in item for item in found), (query, found)
    assert len(search(page, "CKU")) == 1  # one railway, listed once (not once per its names)
    local = search(page, "Хоргос" if lang == "ru" else "霍尔果斯")[0]
    assert local == ("Хоргос, Китай" if lang == "ru" else "霍尔果斯")  # its own name first
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)  # the flight to the place
    assert page.locator(".leaflet-tooltip").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{lang}.png"))
    assert page.problems == []


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_nothing_overflows_a_phone(open_page, maps, lang):
    page = open_page(maps[lang], 390, 844)
    if page.locator(".cm-find").is_visible():  # a phone folds the tools behind one button
        page.locator(".cm-find").click()
    page.locator(".cm-filters summary").click()  # open the filters: the longest labels
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel = page.locator(".cm-panel").bounding_box()
    toggle = page.locator(".leaflet-control-layers").bounding_box()
    assert panel["x"] + panel["width"] <= toggle["x"], (panel, toggle)  # clear of the button
    clipped = page.evaluate(
        """() => [...document.querySelectorAll(
                '.cm-panel label, .cm-panel summary, .cm-panel legend')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth)
            .map(e => e.textContent)"""
    )
    assert clipped == []
    page.screenshot(path=str(ARTIFACTS / f"map-{lang}-phone.png"))
    assert page.problems == []


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_axe_finds_no_serious_violation(open_page, maps, lang):
    if not AXE.exists():
        reason = f"{AXE} missing: run `npm ci --prefix tests/js` (.ci/run does)"
        if os.environ.get("CORRIDORMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    page = open_page(maps[lang])
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [f"{v['id']}: {v['nodes'][0]['target']}" for v in found if v["impact"] in
               ("serious", "critical")]  # fmt: skip
    assert serious == []
