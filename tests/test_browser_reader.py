"""What a reader sees first, in a real Chromium: popups in view, the five states, the data's year.

At the three sizes a reader meets the map (a desktop window, a phone, a 640×400 embed): a
corridor's popup with "Details and sources" open lies wholly inside the visible map and not
under the panel or the layer control; the phone's first view names the five Central Asian
states; the year slider opens on the release's year whatever the reader's clock says. Also the
touch tolerance, search by other names and the tooltip a search opens. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import corridormap
from corridormap.render.interactive.controls import TEXT, short_name

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FIVE = ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan")


@pytest.fixture(scope="session")
def pages(built_map, tmp_path_factory) -> Path:
    """The default map and a host page that embeds it in a 640×400 iframe."""
    root = tmp_path_factory.mktemp("reader")
    shutil.copyfile(built_map, root / "corridors.html")
    (root / "embed.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Host</title></head>"
        "<body style='margin:0'><iframe src='corridors.html' title='Map' "
        "style='width:640px;height:400px;border:0'></iframe></body></html>",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def open_page(browser):
    """Open a page at a viewport size (network cut); returns (page, frame, errors)."""
    contexts = []

    def opener(path: Path, width: int, height: int, *, clock: str | None = None, touch=False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch
        )
        contexts.append(context)
        context.route(re.compile(r"^https?://"), lambda route: route.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        if clock:
            page.clock.set_fixed_time(clock)
        page.goto(path.as_uri())
        frame = page.frames[1] if path.name == "embed.html" else page.main_frame
        frame.wait_for_selector("path.cm-line")
        page.wait_for_timeout(300)
        return page, frame, errors

    yield opener
    for context in contexts:
        context.close()


CLICK_POINT = """(id) => {
    const box = document.querySelector(".folium-map");
    const map = window[box.id];
    for (const path of document.querySelectorAll(`path.cm-c-${id}`)) {
        const length = path.getTotalLength();
        for (let f = 0.5, step = 1; f > 0 && f < 1; f += (step % 2 ? 1 : -1) * step * 0.04,
             step++) {
            const p = path.getPointAtLength(length * f);
            const c = map.layerPointToContainerPoint([p.x, p.y]);
            const r = box.getBoundingClientRect();
            if (document.elementFromPoint(r.left + c.x, r.top + c.y) === path) {
                return [c.x, c.y];
            }
        }
    }
    return null;
}"""

BOXES = """() => {
    const box = (e) => { if (!e || !e.offsetParent) { return null; }
        const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {
        map: box(document.querySelector(".folium-map")),
        popup: box(document.querySelector(".leaflet-popup")),
        close: box(document.querySelector(".leaflet-popup-close-button")),
        title: box(document.querySelector(".leaflet-popup-content h3")),
        panel: box(document.querySelector(".cm-panel")),
        control: box(document.querySelector(".leaflet-control-layers")),
        zoom: box(document.querySelector(".leaflet-control-zoom")),
    };
}"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer) -> bool:
    return (
        inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "page", "width", "height"),
    [
        ("desktop", "corridors.html", 1440, 900),
        ("phone", "corridors.html", 390, 844),
        ("iframe", "embed.html", 1000, 700),
    ],
)
def test_a_corridors_popup_with_details_open_stays_in_view(
    open_page, pages, name, page, width, height
):
    tab, frame, errors = open_page(pages / page, width, height, touch=name == "phone")
    point = frame.evaluate(CLICK_POINT, "cku_railway")
    assert point, "no clickable point on the CKU railway"
    frame.locator(".folium-map").click(position={"x": point[0], "y": point[1]})
    frame.locator(".leaflet-popup-content details.cm-more summary").click()
    tab.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"reader-popup-{name}.png"))
    boxes = frame.evaluate(BOXES)
    assert frame.locator(".leaflet-popup-content details.cm-more[open]").count() == 1
    assert inside(boxes["popup"], boxes["map"]), boxes
    for control in ("panel", "control", "zoom"):
        assert boxes[control] is None or not overlaps(boxes["popup"], boxes[control]), boxes
    # The close button and the title stay in sight; the sources are reached by scrolling.
    assert inside(boxes["close"], boxes["map"]) and inside(boxes["title"], boxes["popup"])
    content = frame.locator(".leaflet-popup-content")
    assert content.evaluate("e => e.scrollHeight > e.clientHeight")  # scrolls inside itself
    content.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    assert frame.locator(".leaflet-popup-content ol.cm-src li").last.is_visible()
    title = frame.evaluate(BOXES)["title"]
    assert inside(title, boxes["popup"])  # still there after scrolling to the end
    assert errors == []


def test_the_phones_first_view_names_the_five_states(open_page, pages):
    tab, frame, errors = open_page(pages / "corridors.html", 390, 844, touch=True)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "reader-phone-first-view.png"))
    shown = [n.upper() for n in frame.locator(".cm-country span:visible").all_inner_texts()]
    missing = [n for n in FIVE if n.upper() not in shown]
    assert missing == [], shown
    assert errors == []


def test_a_small_embed_folds_its_panel_to_buttons(open_page, pages):
    tab, frame, errors = open_page(pages / "embed.html", 1000, 700)
    panel = frame.locator(".cm-panel").bounding_box()
    assert panel["height"] < 0.25 * 400, panel  # title and buttons, not a quarter of the map
    assert not frame.get_by_label("Find a corridor or place").is_visible()
    frame.locator(".cm-find").click()
    assert frame.get_by_label("Find a corridor or place").is_visible()
    assert errors == []


@pytest.mark.parametrize("clock", ["2019-06-01T12:00:00", "2028-06-01T12:00:00"])
def test_the_slider_opens_on_the_releases_year_not_the_readers_clock(
    open_page, pages, atlas, clock
):
    tab, frame, errors = open_page(pages / "corridors.html", 1440, 900, clock=clock)
    assert tab.evaluate("new Date().getFullYear()") == int(clock[:4])  # the clock took
    year = atlas.release.as_of.year
    assert frame.locator(".cm-year-value").inner_text() == str(year)
    assert int(frame.get_by_label("Status in").input_value()) == year
    drawn = frame.locator("path.cm-c-cku_railway").count()
    assert drawn == (atlas.segments["corridor_id"] == "cku_railway").sum()
    assert errors == []


def test_years_past_the_release_are_plans_and_undated_corridors_are_named(open_page, pages, atlas):
    tab, frame, errors = open_page(pages / "corridors.html", 1440, 900)
    slider = frame.get_by_label("Status in")
    later = atlas.release.as_of.year + 2
    slider.fill(str(later))
    assert frame.locator(".cm-year-value").inner_text() == f"{later}{TEXT['plan_suffix']}"
    assert "plans" in frame.locator(".cm-year-note").inner_text()
    slider.fill("2006")
    note = frame.locator(".cm-year-note").inner_text()
    then = corridormap.select(atlas, as_of=2006).corridors["corridor_id"]
    hidden = atlas.corridors[~atlas.corridors["corridor_id"].isin(then)]
    assert len(hidden) > 0
    names = re.search(r": (.*)\.$", note).group(1)
    more = re.search(r" and (\d+) more$", names)
    listed = names[: more.start()].split("; ") if more else names.split("; ")
    assert "2006" in note and len(listed) + (int(more.group(1)) if more else 0) == len(hidden)
    shorts = {short_name(n) for n in hidden["name"]}
    assert set(listed) <= shorts, (listed, shorts)
    assert errors == []


def test_a_tap_near_a_line_opens_its_corridor(open_page, pages):
    tab, frame, errors = open_page(pages / "corridors.html", 390, 844, touch=True)
    frame.evaluate(
        "() => window[document.querySelector('.folium-map').id]"
        ".setView([41.2, 75.0], 7, {animate: false})"
    )
    tab.wait_for_timeout(200)
    point = frame.evaluate(
        """() => {
            const map = window[document.querySelector('.folium-map').id];
            const path = document.querySelector('path.cm-c-cku_railway');
            const length = path.getTotalLength();
            for (let f = 0.3; f < 0.9; f += 0.02) {
                const p = path.getPointAtLength(length * f);
                const c = map.layerPointToContainerPoint([p.x, p.y]);
                for (const [dx, dy] of [[0, 9], [9, 0], [0, -9], [-9, 0]]) {
                    const e = document.elementFromPoint(c.x + dx, c.y + dy);
                    if (e && !e.closest('.leaflet-interactive, .leaflet-control')) {
                        return [c.x + dx, c.y + dy];
                    }
                }
            }
            return null;
        }"""
    )
    assert point, "no free point 9 px off the line"
    tab.touchscreen.tap(*point)
    tab.wait_for_timeout(300)
    assert (
        "Kyrgyzstan–Uzbekistan railway" in frame.locator(".leaflet-popup-content h3").inner_text()
    )
    assert errors == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("CKU", "China–Kyrgyzstan–Uzbekistan railway"),
        ("Kashi", "Kashgar"),
        ("Toshkent", "Tashkent"),
        ("Alma-Ata", "Almaty"),
        ("Jalalabad", "Jalal-Abad"),
        ("Pamir", "China–Tajikistan highway"),
        ("Karakoram", "China–Tajikistan highway"),
        ("Ташкент", "Tashkent"),
    ],
)
def test_search_finds_what_readers_type(open_page, pages, typed, found):
    tab, frame, errors = open_page(pages / "corridors.html", 1440, 900)
    frame.get_by_label("Find a corridor or place").fill(typed)
    first = frame.locator(".cm-results [role=option]").first
    assert found in first.inner_text()
    assert errors == []


def test_a_place_found_by_search_does_not_leave_its_tooltip_behind(open_page, pages):
    tab, frame, errors = open_page(pages / "corridors.html", 1440, 900)
    frame.get_by_label("Find a corridor or place").fill("Kashgar")
    frame.locator(".cm-results [role=option]", has_text="Kashgar").first.click()
    frame.locator(".leaflet-tooltip", has_text="Kashgar").wait_for()
    tab.mouse.move(700, 500)
    tab.mouse.down()
    tab.mouse.move(500, 350, steps=5)
    tab.mouse.up()
    tab.wait_for_timeout(300)
    assert frame.locator(".leaflet-tooltip", has_text="Kashgar").count() == 0
    assert errors == []
