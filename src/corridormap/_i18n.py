"""The outputs' language: interface text, names, numbers and dates in English, Russian or Chinese.

One :class:`Translator` per language holds everything that changes with it:

- the interface text, from the gettext catalogues in ``corridormap/locale/<lang>/LC_MESSAGES/``
  (``corridormap.po``, compiled to the ``.mo`` shipped beside it; ``scripts/build_catalogs.py``
  extracts the messages with Babel, updates the ``.po`` files and compiles them);
- the names of countries, places, rivers, lakes and corridors, from ``data/names.csv`` (curated,
  a source per row) over ``data/names_ne.csv`` (Natural Earth, built by
  ``scripts/build_names.py``); a name with no translation stays English;
- numbers, lists and dates, formatted for the locale by Babel (imported only for a language other
  than English: the English outputs keep the formats they always had, byte for byte).

The renderers read the translator of the current context, so a string is translated where it is
written, without threading a parameter through every function::

    from corridormap._i18n import _, ngettext, using

    with using("ru"):
        _("Legend")                     # 'Легенда'
        ngettext("{n} corridor", "{n} corridors", 3).format(n=3)

``N_`` marks a module-level constant for extraction; translate it where it is used: ``_(TITLE)``.
Adding a language is one catalogue (``locale/<lang>/LC_MESSAGES/corridormap.po``) and one column
(``name_<lang>`` in ``data/names.csv``); see CONTRIBUTING.md.
"""

from __future__ import annotations

import contextvars
import csv
import functools
import gettext
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from corridormap.errors import SelectionError

DOMAIN = "corridormap"
DEFAULT = "en"
#: BCP 47 tag of a language, for ``<html lang>`` (Chinese is written in simplified characters).
HTML_TAGS = {"en": "en", "ru": "ru", "zh": "zh-Hans"}
#: Babel locale of a language (numbers, lists, dates).
LOCALES = {"en": "en", "ru": "ru", "zh": "zh_Hans_CN"}
#: Name tables of the data folder, most trusted first.
NAME_FILES = ("names.csv", "names_ne.csv")


def locale_dir() -> Path:
    """The folder of the compiled catalogues (``<lang>/LC_MESSAGES/corridormap.mo``)."""
    return Path(str(resources.files("corridormap") / "locale"))


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages corridormap writes: English and every language with a compiled catalogue.

    Examples
    --------
    >>> languages()
    ('en', 'ru', 'zh')
    """
    folder = locale_dir()
    found = (
        sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
        if folder.is_dir()
        else []
    )
    return (DEFAULT, *(lang for lang in found if lang != DEFAULT))


def check_language(lang: str | None) -> str:
    """The language code for ``lang`` (``None`` → English), or one clear error.

    Raises
    ------
    SelectionError
        For a language without a catalogue.
    """
    if lang is None:
        return DEFAULT
    code = str(lang).strip().lower().replace("_", "-")
    code = {"zh-hans": "zh", "zh-cn": "zh", "en-us": "en", "en-gb": "en"}.get(code, code)
    if code not in languages():
        raise SelectionError(f"unknown language {lang!r}: choose one of {', '.join(languages())}")
    return code


@dataclass(frozen=True)
class Names:
    """Translated names by (kind, id): ``kind`` is country, place, corridor, lake or river."""

    by_key: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()

    def get(self, kind: str, ident: str, lang: str) -> str | None:
        """The name in ``lang``, or None if there is none."""
        value = self.by_key.get((kind, ident), {}).get(lang)
        return value or None


@functools.cache
def _names(folder: str) -> Names:
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    langs: list[str] = []
    for file in reversed(NAME_FILES):  # the curated table last, so it wins
        path = Path(folder) / file
        if not path.is_file():
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                kind, ident = (row.get("kind") or "").strip(), (row.get("id") or "").strip()
                if not kind or not ident:
                    continue
                entry = by_key.setdefault((kind, ident), {})
                for column, value in row.items():
                    if column and column.startswith("name_") and column != "name_en" and value:
                        lang = column[5:]
                        entry[lang] = value.strip()
                        if lang not in langs:
                            langs.append(lang)
    return Names(by_key, tuple(langs))


def names(data_dir: str | Path | None) -> Names:
    """The name tables of a data folder (empty if it has none); read once per folder."""
    return Names() if data_dir is None else _names(str(Path(data_dir).resolve()))


class Translator:
    """Everything that changes with the language: text, names, numbers, lists and dates.

    Parameters
    ----------
    lang
        A language of :func:`languages`.
    data_dir
        The data folder whose ``names.csv``/``names_ne.csv`` give the names (None: none).
    """

    def __init__(self, lang: str = DEFAULT, data_dir: str | Path | None = None):
        self.lang = check_language(lang)
        self.html_lang = HTML_TAGS.get(self.lang, self.lang)
        self.locale = LOCALES.get(self.lang, self.lang)
        self.names = names(data_dir)
        self._catalogue = _catalogue(self.lang)

    @property
    def english(self) -> bool:
        """True for English, whose outputs keep their historical formats exactly."""
        return self.lang == DEFAULT

    # ------------------------------------------------------------------ text

    def gettext(self, message: str) -> str:
        """The translation of ``message`` (itself if the catalogue has none)."""
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a counted message for ``n`` (the language's plural rules)."""
        return self._catalogue.ngettext(singular, plural, int(n))

    @property
    def comma(self) -> str:
        """The separator of a plain list (``a, b``; Chinese ``a、b``)."""
        return "、" if self.lang == "zh" else ", "

    @property
    def plural_expression(self) -> str:
        """The catalogue's C plural expression of ``n`` (valid JavaScript as well)."""
        header = self._catalogue.info().get("plural-forms", "") if self._catalogue else ""
        found = re.search(r"plural=(.*?);?\s*$", header)
        return found.group(1) if found else "n != 1"

    # ------------------------------------------------------------------ names

    def name(self, kind: str, ident: object, english: object) -> str:
        """The name of a country, place, corridor, lake or river; English if none is known."""
        if self.english or ident is None:
            return str(english)
        return self.names.get(kind, str(ident), self.lang) or str(english)

    def has_name(self, kind: str, ident: object) -> bool:
        """Whether ``ident`` has a name in this language (English always has)."""
        return self.english or self.names.get(kind, str(ident), self.lang) is not None

    # ------------------------------------------------------------------ numbers, lists, dates

    def number(self, value: float, *, decimals: int | None = None) -> str:
        """A number for reading: grouped, with at most two decimals unless ``decimals`` is given.

        English keeps the package's own format (``4,100``, ``12.5``); other languages use the
        locale's symbols (Russian ``4 100``, ``12,5``).
        """
        if self.english:
            if decimals is not None:
                return f"{float(value):,.{decimals}f}"
            text = f"{float(value):,.2f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        from babel.numbers import format_decimal  # noqa: PLC0415 - only for other languages

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "" if decimals == 0 else ".##")
        return format_decimal(float(value), format=pattern, locale=self.locale)

    def join(self, items: Iterable[str]) -> str:
        """Names joined for a sentence: ``a``, ``a and b``, ``a, b and c`` (in the language)."""
        values = list(items)
        if self.english or len(values) < 2:
            if len(values) == 1:
                return values[0]
            return ", ".join(values[:-1]) + " and " + values[-1] if values else ""
        from babel.lists import format_list  # noqa: PLC0415

        return format_list(values, locale=self.locale)

    def date(self, text: object) -> str:
        """A date of the data (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) for reading.

        English keeps the ISO form; other languages get the locale's medium date (or month and
        year). Anything else is returned unchanged.
        """
        value = str(text)
        if self.english:
            return value
        from babel.dates import format_date, format_skeleton  # noqa: PLC0415

        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return format_date(date.fromisoformat(value), format="medium", locale=self.locale)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            day = date(int(value[:4]), int(value[5:]), 1)
            return format_skeleton("yMMM", day, locale=self.locale)
        return value


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(locale_dir()), languages=[lang])


_CURRENT: contextvars.ContextVar[Translator | None] = contextvars.ContextVar(
    "corridormap_translator", default=None
)


@functools.cache
def _english() -> Translator:
    return Translator(DEFAULT)


def current() -> Translator:
    """The translator of the current context (English outside :func:`using`)."""
    found = _CURRENT.get()
    return found if found is not None else _english()


@contextmanager
def using(lang: str | None, data_dir: str | Path | None = None) -> Iterator[Translator]:
    """Write in ``lang`` inside the ``with`` block (names from ``data_dir``'s tables)."""
    translator = Translator(check_language(lang), data_dir)
    token = _CURRENT.set(translator)
    try:
        yield translator
    finally:
        _CURRENT.reset(token)


def _(message: str) -> str:
    """Translate an interface message in the current language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The current language's form of a counted message (format ``{n}`` yourself)."""
    return current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it where it is used, with :func:`_`."""
    return message


def release_label(release, *, short: bool = False) -> str:
    """A data release as shown to readers (``release.label``/``short_label`` in English)."""
    tr = current()
    if tr.english:
        return release.short_label if short else release.label
    from babel.dates import format_date  # noqa: PLC0415

    when = format_date(release.as_of, format="medium" if short else "long", locale=tr.locale)
    if short:
        return f"{release.data_version} ({when})"
    return _("Data {version}, as of {date}").format(version=release.data_version, date=when)


def localized(atlas, translator: Translator | None = None):
    """The atlas with its names in the translator's language (the same atlas for English).

    Countries, places and corridors take their translated names (``name``; the segments'
    ``corridor_name`` too); the English name stays in a ``name_en`` column, for the search and
    for display priorities keyed on English names. Ids, the data's prose (descriptions, notes)
    and the source titles are left as they are.
    """
    import dataclasses  # noqa: PLC0415

    tr = translator or current()
    if tr.english:
        return atlas

    if "name_en" in atlas.places:  # localized already
        return atlas

    def renamed(frame, kind: str, key: str):
        english = frame["name"].astype(object)
        local = [
            tr.name(kind, ident, name) for ident, name in zip(frame[key], english, strict=True)
        ]
        return frame.assign(name=local, name_en=english)

    corridors = renamed(atlas.corridors, "corridor", "corridor_id")
    by_id = dict(zip(corridors["corridor_id"], corridors["name"], strict=True))
    segments = atlas.segments.assign(
        corridor_name=[
            by_id.get(c, n)
            for c, n in zip(
                atlas.segments["corridor_id"], atlas.segments["corridor_name"], strict=True
            )
        ]  # fmt: skip
    )
    return dataclasses.replace(
        atlas,
        corridors=corridors,
        segments=segments,
        places=renamed(atlas.places, "place", "place_id"),
        countries=renamed(atlas.countries, "country", "iso3"),
    )


def missing_names(atlas, lang: str) -> list[tuple[str, str, str]]:
    """``(kind, id, English name)`` of every name the maps show that has no ``lang`` form."""
    tr = Translator(lang, atlas.data_dir)
    wanted = [
        *(
            ("country", i, n)
            for i, n in zip(atlas.countries["iso3"], atlas.countries["name"], strict=True)
        ),
        *(
            ("place", i, n)
            for i, n in zip(atlas.places["place_id"], atlas.places["name"], strict=True)
        ),
        *(
            ("corridor", i, n)
            for i, n in zip(atlas.corridors["corridor_id"], atlas.corridors["name"], strict=True)
        ),  # fmt: skip
    ]
    return [(kind, str(i), str(n)) for kind, i, n in wanted if not tr.has_name(kind, i)]


_JS_STRING = r'"(?:[^"\\\n]|\\.)*"'
_JS_GETTEXT = re.compile(rf"\b_\(\s*({_JS_STRING})\s*\)")
_JS_NGETTEXT = re.compile(rf"\b_n\(\s*({_JS_STRING})\s*,\s*({_JS_STRING})\s*,\s*(\w+)\s*\)")


def _js(text: str) -> str:
    import json  # noqa: PLC0415

    return json.dumps(text, ensure_ascii=False)


def localize_script(source: str, translator: Translator | None = None) -> str:
    """A script of the package with its messages written in the translator's language.

    In the source, ``_("text")`` marks a message and ``_n("{n} thing", "{n} things", n)`` a
    counted one (``{n}`` stands for the count); both are replaced by plain JavaScript before the
    script reaches the page, so the page has no translation machinery. English is written as the
    script always was: ``"text"`` and ``n + (n === 1 ? " thing" : " things")`` (+ any common
    tail); other languages choose the form with the catalogue's plural expression.
    """
    import json  # noqa: PLC0415

    tr = translator or current()

    def one(match: re.Match[str]) -> str:
        return _js(tr.gettext(json.loads(match.group(1))))

    def counted(match: re.Match[str]) -> str:
        singular, plural = json.loads(match.group(1)), json.loads(match.group(2))
        n = match.group(3)
        if tr.english and singular.startswith("{n}") and plural.startswith("{n}"):
            one_form, many_form = singular[3:], plural[3:]
            tail = 0
            while tail < min(len(one_form), len(many_form)) and (
                one_form[len(one_form) - 1 - tail] == many_form[len(many_form) - 1 - tail]
            ):
                tail += 1
            head = f"{n} + ({n} === 1 ? {_js(one_form[: len(one_form) - tail])} : "
            head += f"{_js(many_form[: len(many_form) - tail])})"
            return head + (f" + {_js(one_form[len(one_form) - tail :])}" if tail else "")
        header = tr._catalogue.info().get("plural-forms", "")
        nplurals = int(m.group(1)) if (m := re.search(r"nplurals=(\d+)", header)) else 2
        forms = [tr.ngettext(singular, plural, k) for k in _representatives(tr, nplurals)]
        return (
            f"(function (n) {{ var forms = {json.dumps(forms, ensure_ascii=False)}; "
            f'return forms[Number({tr.plural_expression})].replace("{{n}}", String(n)); }})({n})'
        )

    return _JS_NGETTEXT.sub(counted, _JS_GETTEXT.sub(one, source))


def _representatives(tr: Translator, nplurals: int) -> list[int]:
    """A count that selects each plural form of the catalogue, in form order."""
    plural = gettext.c2py(tr.plural_expression)  # gettext's own parser of the C expression
    found: dict[int, int] = {}
    for n in range(200):
        found.setdefault(int(plural(n)), n)
        if len(found) == nplurals:
            break
    return [found.get(i, 1) for i in range(nplurals)]


def speaks(function):
    """Run a renderer in the language of its ``lang=`` keyword, on the atlas with its names.

    The renderer declares ``lang`` in its signature (for the reader and the API checks) and
    reads the language from :func:`current`; the atlas it receives is :func:`localized`.
    """

    @functools.wraps(function)
    def wrapper(atlas, *args, **kwargs):
        with using(kwargs.get("lang"), getattr(atlas, "data_dir", None)) as translator:
            return function(localized(atlas, translator), *args, **kwargs)

    return wrapper


#: Column headers of the table commands that ``--lang`` translates (the others keep their name).
TABLE_HEADERS = {
    "corridor_id": N_("corridor"),
    "name": N_("name"),
    "mode": N_("mode"),
    "status": N_("status"),
    "countries": N_("countries"),
    "country": N_("country"),
    "iso3": N_("ISO3"),
    "length_km": N_("drawn km"),
    "length_km_reported": N_("reported km"),
    "length_km_reported_min": N_("reported km, least"),
    "length_km_reported_max": N_("reported km, most"),
    "share": N_("share"),
    "listed": N_("named by sources"),
    "km_reassigned": N_("km reassigned"),
    "from_iso3": N_("from"),
    "to_iso3": N_("to"),
    "place": N_("place"),
    "place_id": N_("place id"),
    "place_distance_km": N_("km to place"),
    "scenario": N_("scenario"),
    "revenue_musd": N_("revenue, M USD/yr"),
    "revenue_musd_low": N_("low, M USD/yr"),
    "revenue_musd_high": N_("high, M USD/yr"),
    "label": N_("label"),
    "formula": N_("formula"),
    "kind": N_("kind"),
    "distance_km": N_("km away"),
}
#: Words in cells that ``--lang`` translates (ids and codes stay as they are).
TABLE_WORDS = {"estimate": N_("estimate"), "proxy": N_("proxy"), "base": N_("base"),
               "low": N_("low"), "high": N_("high")}  # fmt: skip
