"""Briefing packs: every output written, well-formed, offline, reproducible; bad specs refused."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from corridormap import OutputError, SpecError
from corridormap.briefing.pack import OUTPUTS, BriefSpec, load_spec, resolve
from corridormap.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "maps" / "specs").glob("*.toml"))
brief_module = sys.modules["corridormap.briefing.pack"]
runner = CliRunner()


def small_spec(path: Path, **changes) -> Path:
    """The Fergana example spec at screen resolution (fast), with changes."""
    text = (ROOT / "maps" / "specs" / "cku-fergana.toml").read_text(encoding="utf-8")
    text = text.replace("dpi = 300", "dpi = 60").replace("width_in = 7.5", "width_in = 6.0")
    for old, new in changes.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack(atlas, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("brief")
    out = root / "pack"
    result = runner.invoke(app, ["brief", str(small_spec(root / "spec.toml")), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_shipped_specs_are_valid_and_resolve(atlas):
    assert len(SPECS) >= 3
    for path in SPECS:
        spec = load_spec(path)
        chosen, box = resolve(atlas, spec)
        assert len(chosen) >= 1, path.name
        assert spec.dpi == 300


def test_pack_holds_every_output(pack):
    names = {p.name for p in pack.iterdir()}
    expected = {n for files in OUTPUTS.values() for n in files} | {"alt.txt", "spec.lock.json"}
    try:
        import corridormap.revenue  # noqa: F401
    except ImportError:
        expected.discard("revenue.csv")
    assert names == expected
    assert not [p for p in pack.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_static_figures_are_well_formed(pack):
    image = Image.open(pack / "map.png")
    assert image.size[0] == 360  # 6.0 in at 60 dpi
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50
    assert ET.parse(pack / "map.svg").getroot().tag.endswith("svg")
    assert (pack / "map.pdf").read_bytes().startswith(b"%PDF-")


EXTERNAL = re.compile(
    r"(?:src|srcset|data)\s*=\s*[\"']?\s*(?:https?:)?//"  # scripts, images, frames
    r"|<link[^>]+href=[\"']?https?:"  # stylesheets, fonts
    r"|url\(\s*[\"']?(?:https?:)?//|@import",  # CSS
    re.I,
)


@pytest.mark.parametrize("name", ["map.html", "embed.html", "index.html"])
def test_html_makes_no_external_request(pack, name):
    text = (pack / name).read_text(encoding="utf-8")
    assert not EXTERNAL.search(text), EXTERNAL.search(text)


def test_tables_hold_the_selection_with_source_titles(pack, atlas):
    corridors = pd.read_csv(pack / "corridors.csv")
    assert corridors["corridor_id"].tolist() == [
        "cku_railway",
        "cku_highway",
        "kg_north_south_road",
    ][: len(corridors)] or set(corridors["corridor_id"]) == {
        "cku_railway",
        "cku_highway",
        "kg_north_south_road",
    }
    assert corridors["status_source_titles"].notna().all()
    lengths = pd.read_csv(pack / "lengths.csv")
    cku = lengths[lengths["corridor_id"] == "cku_railway"].set_index("iso3")["length_km"]
    assert {"CHN", "KGZ", "UZB"} <= set(cku.index)


def test_alt_text_numbers_come_from_the_tables(pack):
    alt_text = (pack / "alt.txt").read_text(encoding="utf-8")
    corridors = pd.read_csv(pack / "corridors.csv")
    lengths = pd.read_csv(pack / "lengths.csv")
    known = {round(v) for v in lengths["length_km"]}
    known |= {round(v) for v in corridors["length_km"]}
    known |= {round(v) for v in corridors["length_km_reported"].dropna()}
    # the published km per country lead, with their range; drawn km say how accurate (±km);
    # what a reported total covers is quoted from length_scope
    for column in ("length_km_reported", "length_km_reported_min", "length_km_reported_max"):
        known |= {round(v) for v in lengths[column].dropna()}
    known |= {round(v) for v in corridors["positional_accuracy_km"].dropna()}
    for scope in corridors["length_scope"].dropna():
        known |= {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", scope)}
    known |= set(range(len(corridors) + 1))  # counts
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", alt_text)]
    assert numbers
    assert set(numbers) <= known, set(numbers) - known
    first_km = lengths[lengths["corridor_id"] == "cku_railway"]["length_km"].round().astype(int)
    assert f"{first_km.iloc[0]:,} km through" in alt_text
    index = (pack / "index.html").read_text(encoding="utf-8")
    embed = (pack / "embed.html").read_text(encoding="utf-8")
    first_line = alt_text.splitlines()[0]
    assert first_line.replace("–", "–") in index.replace("&#x27;", "'")
    assert "Map of" in embed and "<iframe" in embed and 'src="map.html"' in embed


def test_index_has_figure_alt_key_figures_and_numbered_sources(pack):
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="map.png" alt="Map of \d+ corridor', index)
    assert "<table>" in index and "Key figures" in index
    assert re.search(r'<li id="src-1">', index)
    refs = set(re.findall(r'href="#src-(\d+)"', index))
    items = set(re.findall(r'<li id="src-(\d+)"', index))
    assert refs <= items


def test_lock_file_names_version_data_hash_and_files(pack, atlas):
    from corridormap import __version__

    lock = json.loads((pack / "spec.lock.json").read_text(encoding="utf-8"))
    assert lock["version"] == __version__
    assert lock["data_hash"] == atlas.data_hash
    assert lock["spec"]["highlight"] == ["cku_railway"]
    assert len(lock["spec"]["bbox"]) == 4
    for name, digest in lock["files"].items():
        assert hashlib.sha256((pack / name).read_bytes()).hexdigest() == digest, name


def test_identical_inputs_give_identical_packs(atlas, pack, tmp_path):
    spec = small_spec(tmp_path / "spec.toml")
    again = brief_module.brief(atlas, spec, tmp_path / "again")
    for path in sorted(pack.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


BAD_SPECS = [
    ({"[figure]": "[figure]\nsise = 3"}, "figure.sise"),
    ({"byline =": "colour = 'red'\nbyline ="}, "colour"),
    ({'"kg_north_south_road"]': '"kg_north_south_road", "cku_railwya"]'}, "select.corridor"),
    ({"[select]": "[select]\nmode = ['oil_pipeline']"}, "select"),
    ({"bbox = [70.6, 38.9, 76.6, 42.3]": "bbox = [-40, 0, -30, 10]"}, "extent.bbox"),
    ({"dpi = 60": "dpi = '60'"}, "figure.dpi"),
    ({'corridor = ["cku_railway"]': 'corridor = ["cagp_abc"]'}, "highlight.corridor"),
    ({"dpi = 60": "dpi = 60\nyears = [2020, 2010]"}, "figure.years"),
    ({"dpi = 60": "dpi = 60\nyears = 2020"}, "figure.years"),
    ({"From Kashgar": "{status:cagp_abc} From Kashgar"}, "subtitle"),
    # load_spec allows 2-30 in; only drawing finds that this title and legend leave no room
    ({"width_in = 6.0": "width_in = 6.0\nheight_in = 2"}, "figure.height_in"),
]


@pytest.mark.parametrize(("changes", "key"), BAD_SPECS, ids=[k for _, k in BAD_SPECS])
def test_bad_spec_is_one_clear_line_and_leaves_the_previous_pack(pack, tmp_path, changes, key):
    out = tmp_path / "pack"
    shutil.copytree(pack, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec = small_spec(tmp_path / "bad.toml", **changes)
    result = runner.invoke(app, ["brief", str(spec), "--out", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert key in lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_spec_error_is_a_value_error(atlas, tmp_path):
    with pytest.raises(ValueError, match="unknown key 'colour'"):
        brief_module.brief(atlas, {"title": "x", "colour": "red"}, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failure_while_writing_leaves_the_previous_pack(atlas, pack, tmp_path):
    # A figure 2 inches high passes load_spec (2-30 is allowed: the room the title, text and
    # legend take is known only once they are drawn) but leaves no room for the map. The tables
    # and the HTML map are already in the staging folder when drawing the figure fails.
    out = tmp_path / "pack"
    shutil.copytree(pack, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec = small_spec(tmp_path / "s.toml", **{"width_in = 6.0": "width_in = 6.0\nheight_in = 2"})
    assert load_spec(spec).height_in == 2
    message = (
        r"s\.toml: figure\.height_in: 2 in leaves no room for the map .*give at least [\d.]+ in, "
    )
    with pytest.raises(SpecError, match=message) as info:
        brief_module.brief(atlas, spec, out)
    assert "\n" not in str(info.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_replace_a_folder_that_is_not_a_pack(atlas, tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="documents: is not empty .* not a briefing pack"):
        brief_module.brief(atlas, small_spec(tmp_path / "s.toml"), out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_outputs_subset_and_index_pulls_in_its_parts(atlas, tmp_path):
    spec = load_spec(
        {
            "title": "Only tables",
            "outputs": ["tables"],
            "select": {"corridor": "cku_railway"},
        }
    )
    assert isinstance(spec, BriefSpec) and spec.outputs == ["tables"]
    out = brief_module.brief(atlas, spec, tmp_path / "tables")
    assert {"corridors.csv", "lengths.csv", "alt.txt", "spec.lock.json"} <= {
        p.name for p in out.iterdir()
    }
    assert not (out / "map.png").exists()
    assert load_spec({"title": "x", "outputs": ["index"]}).outputs == ["html", "png", "index"]
    with pytest.raises(SpecError, match="outputs: unknown output 'pnj'; did you mean 'png'"):
        load_spec({"title": "x", "outputs": ["pnj"]})


def test_spec_file_parse_errors_name_the_file(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("title = 'x\n", encoding="utf-8")
    with pytest.raises(SpecError, match="broken.toml: not valid TOML"):
        load_spec(bad)
    data = tomllib.loads((ROOT / "maps" / "specs" / "cku-fergana.toml").read_text("utf-8"))
    assert load_spec(data).highlight == ["cku_railway"]


@pytest.mark.browser
def test_index_renders_offline_in_a_browser(pack, browser):
    blocked, errors = [], []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        context.route(
            re.compile(r"^https?://"), lambda r: (blocked.append(r.request.url), r.abort())
        )
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((pack / "index.html").resolve().as_uri())
        page.wait_for_load_state("load")
        assert page.title() == "The China–Kyrgyzstan–Uzbekistan railway"
        width = page.eval_on_selector("img", "img => img.complete && img.naturalWidth")
        assert width == 360
        frame = page.frame_locator("iframe")
        frame.locator(".leaflet-container").wait_for(timeout=10_000)
        assert frame.locator("path.cm-line").count() > 0
        assert page.locator("ol.sources li").count() >= 1
    finally:
        context.close()
    assert blocked == []
    assert errors == []


def test_subtitle_placeholders_take_the_status_from_the_data(atlas):
    from corridormap.briefing.spec import fill_text

    spec = load_spec(ROOT / "maps" / "specs" / "turkmen-gas.toml")
    chosen, _ = resolve(atlas, spec)
    filled = fill_text(spec, chosen)
    status = chosen.corridors.set_index("corridor_id").loc["cagp_d", "status"]
    assert f"line D ({status.replace('_', ' ')})" in filled.subtitle
    assert "{" not in filled.subtitle


def test_shipped_subtitles_do_not_name_a_status_the_data_contradicts(atlas):
    from corridormap.briefing.spec import fill_text

    words = ("operational", "planned", "under construction", "operating")
    for path in SPECS:
        spec = load_spec(path)
        if not spec.subtitle:
            continue
        chosen, _ = resolve(atlas, spec)
        fill_text(spec, chosen)  # every placeholder names a selected corridor
        for word in words:  # a status word must come from a placeholder, not be typed in
            assert word not in spec.subtitle.lower(), (path.name, word)


def test_years_key_draws_small_multiples(atlas, tmp_path):
    changes = {
        "dpi = 60": "dpi = 50\nyears = [2010, 2026]",
        'byline = "corridormap example brief"': 'byline = "x"\noutputs = ["png"]',
    }
    spec = small_spec(tmp_path / "years.toml", **changes)
    assert load_spec(spec).years == [2010, 2026]
    result = runner.invoke(app, ["brief", str(spec), "--out", str(tmp_path / "pack")])
    assert result.exit_code == 0, result.output
    from PIL import Image

    with Image.open(tmp_path / "pack" / "map.png") as image:
        assert image.width == 300  # 6 in at 50 dpi, two panels side by side


def test_brief_credits_name_each_licence_holder_once(atlas, tmp_path):
    """kg_north_south_road is traced from AidData's geometry and the footprint shows AidData's
    projects: one credit line for AidData, the licence table's."""
    spec = small_spec(tmp_path / "spec.toml")
    with spec.open("a", encoding="utf-8") as f:
        f.write("\n[footprint]\nfinance = true\n")
    out = tmp_path / "pack"
    result = runner.invoke(app, ["brief", str(spec), "--out", str(out)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    [credits] = re.findall(r"Map data: (.*?)\.</", index)
    for holder in ("OpenStreetMap", "AidData", "Natural Earth"):
        assert credits.count(holder) == 1, (holder, credits)
