"""Extract, update and compile the interface catalogues (gettext, with Babel).

    python scripts/build_catalogs.py            # extract, update every .po, compile the .mo
    python scripts/build_catalogs.py --check    # write nothing; exit 1 if a file is not current
    python scripts/build_catalogs.py --init kk  # start locale/kk/LC_MESSAGES/corridormap.po

Messages are the strings of ``src/corridormap`` marked ``_("…")``, ``N_("…")`` or
``ngettext("…", "…", n)`` in Python and ``_("…")`` or ``_n("…", "…", n)`` in the map's
``controls.js`` (``babel.cfg`` says the same for ``pybabel extract``). The template and the ``.po``
files carry no line numbers and no dates, so an edit elsewhere in a module does not touch them.

The compiled ``.mo`` files are committed beside their ``.po``: the package reads them at run time
from its own folder, which works the same from a checkout (``PYTHONPATH=src``, editable installs,
the tests) and from a wheel (hatch ships every file of the package), with no build step that an
editable install would skip. ``--check`` (run by ``tests/test_i18n.py``) proves each ``.mo`` is the
compilation of its ``.po`` and each ``.po`` holds every message of the code, translated.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "corridormap"
LOCALE = PACKAGE / "locale"
DOMAIN = "corridormap"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "_n": (1, 2)}
METHODS = [("**.py", "python"), ("**.js", "javascript")]
#: Fixed dates: the catalogues change only when a message does.
EPOCH = datetime(2026, 12, 1, tzinfo=UTC)
PLURALS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh": "nplurals=1; plural=0;",
}


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="corridormap",
        version="",
        copyright_holder="corridormap contributors",
        msgid_bugs_address="",
        creation_date=EPOCH,
        revision_date=EPOCH,
        last_translator="corridormap contributors",
        language_team="corridormap contributors",
        charset="utf-8",
    )


def template() -> Catalog:
    """Every marked message of the package, in file order."""
    catalog = _catalog()
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=METHODS,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            locations=[(f"src/corridormap/{filename}", None)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _po_text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _updated(lang: str, pot: Catalog) -> Catalog:
    po_path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = _read(po_path, lang)
    catalog.update(pot, no_fuzzy_matching=True, update_creation_date=False)
    catalog.revision_date = EPOCH
    catalog.fuzzy = False
    catalog.plural_forms  # noqa: B018 - validates the header
    return catalog


def build(*, check: bool) -> list[str]:
    """Rebuild (or compare) every file; return the problems found."""
    problems: list[str] = []
    pot = template()
    files: dict[Path, bytes] = {LOCALE / f"{DOMAIN}.pot": _po_text(pot).encode("utf-8")}
    for folder in sorted(p for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()):
        lang = folder.name
        catalog = _updated(lang, pot)
        missing = [m.id for m in catalog if m.id and not m.string or m.fuzzy and m.id]
        for message in missing:
            problems.append(f"{lang}: untranslated {message!r}")
        files[folder / "LC_MESSAGES" / f"{DOMAIN}.po"] = _po_text(catalog).encode("utf-8")
        files[folder / "LC_MESSAGES" / f"{DOMAIN}.mo"] = _mo_bytes(catalog)
    for path, data in files.items():
        if check:
            if not path.exists() or path.read_bytes() != data:
                problems.append(f"{path.relative_to(ROOT)} is not current")
        else:
            path.write_bytes(data)
    return problems


def init(lang: str) -> None:
    """Start the catalogue of a new language from the template."""
    folder = LOCALE / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    catalog = _catalog(lang)
    catalog.fuzzy = False
    for message in template():
        if message.id:
            catalog.add(message.id, locations=message.locations)
    (folder / f"{DOMAIN}.po").write_text(_po_text(catalog), encoding="utf-8")


def main() -> None:
    """Run the build; exit 1 on a stale file (``--check``) or an untranslated message."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--init", metavar="LANG", help="start the catalogue of a new language")
    args = parser.parse_args()
    if args.init:
        init(args.init)
    problems = build(check=args.check)
    for problem in problems:
        print(f"build_catalogs: {problem}", file=sys.stderr)
    if problems:
        if args.check:
            print("build_catalogs: run python scripts/build_catalogs.py", file=sys.stderr)
        raise SystemExit(1)
    print("catalogues are current" if args.check else "catalogues written")


if __name__ == "__main__":
    main()
