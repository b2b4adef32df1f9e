"""Briefing packs: one TOML spec in, a folder of maps, tables and a one-page brief out.

:func:`load_spec` reads and checks a spec (every key known, every value of the right type) and
:func:`brief` resolves it against the atlas and writes the pack. The pack is built in a temporary
folder next to the target and swapped into place at the end, so a failed run never leaves a
half-written pack (the previous one stays as it was). Every number in the generated text comes from
the pack's own tables; identical inputs give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from corridormap._i18n import _, current, localized, ngettext, using
from corridormap.atlas.core import Atlas
from corridormap.briefing.page import embed_html, index_html, km_text
from corridormap.briefing.spec import (
    LOCK_NAME,
    OUTPUTS,
    SPEC_KEYS,
    BriefSpec,
    fill_text,
    load_spec,
    resolve,
)
from corridormap.errors import OutputError, SpecError
from corridormap.io import atomic_dir, display_path
from corridormap.measure.lengths import lengths_by_country
from corridormap.validation import schema

__all__ = [
    "OUTPUTS",
    "SPEC_KEYS",
    "BriefSpec",
    "brief",
    "corridor_table",
    "describe",
    "embed_html",
    "index_html",
    "lengths_table",
    "load_spec",
    "lock_json",
    "resolve",
    "revenue_table",
]

log = logging.getLogger(__name__)


def _source_titles(sources: pd.DataFrame, value: object) -> str | None:
    from corridormap._format import source_title
    from corridormap._util import split_ids

    table = sources.set_index("source_id")
    titles = [
        source_title(table.loc[source_id]) if source_id in table.index else source_id
        for source_id in split_ids(value)
    ]
    return "; ".join(titles) or None


def corridor_table(chosen: Atlas) -> pd.DataFrame:
    """The selected corridors' facts with drawn length and, per source column, source titles."""
    frame = pd.DataFrame(chosen.corridors.drop(columns="geometry"))
    frame["length_km"] = frame["length_km"].round(1)
    from corridormap._format import length_text

    # the published length first, then the drawn km with their accuracy, as one readable cell
    frame.insert(
        frame.columns.get_loc("length_km"),
        "length_label",
        [length_text(row) for row in frame.to_dict("records")],
    )
    for column in schema.SOURCE_COLUMNS["projects"]:
        if column in frame:
            position = frame.columns.get_loc(column) + 1
            titles = [_source_titles(chosen.sources, v) for v in frame[column]]
            frame.insert(position, f"{column}_titles", titles)
    return frame.reset_index(drop=True)


def lengths_table(chosen: Atlas) -> pd.DataFrame:
    """Kilometres of each selected corridor inside each country (geodesic, one decimal).

    ``length_km_reported`` with ``_min`` and ``_max`` give the published figures for that
    country's part, where any is published (``segments.csv``, ``length_claims.csv``; see
    :func:`corridormap.lengths_by_country`).
    """
    table = lengths_by_country(chosen)
    names = chosen.corridors.set_index("corridor_id")["name"]
    table.insert(1, "corridor_name", table["corridor_id"].map(names))
    for column in ("length_km", "km_reassigned", *[c for c in table if "reported" in c]):
        table[column] = table[column].round(1)
    table["share"] = table["share"].round(3)
    return table


def revenue_table(chosen: Atlas) -> pd.DataFrame:
    """Base-scenario transit revenue estimates of the selection (one row per corridor x country)."""
    from corridormap.revenue import transit_revenue

    frame = transit_revenue(chosen, scenario="base")
    return pd.DataFrame(frame).reset_index(drop=True)


def _csv(frame: pd.DataFrame) -> str:
    from corridormap.io import write_csv

    return write_csv(frame)  # formula-safe: a cell never runs as a spreadsheet formula


# --------------------------------------------------------------------------- text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return current().join(items)


def describe(
    corridors: pd.DataFrame, lengths: pd.DataFrame, highlight: list[str], *, limit: int = 6
) -> tuple[str, str]:
    """Alt text and a longer description of the map, every number read from the two tables.

    Parameters
    ----------
    corridors
        :func:`corridor_table` of the selection.
    lengths
        :func:`lengths_table` of the selection.
    highlight
        Highlighted corridor ids (described first).
    limit
        Most corridors described one by one.

    Returns
    -------
    tuple of str
        ``(alt, long_description)``.
    """
    from corridormap._format import drawn_label
    from corridormap.measure.lengths import reported_phrase
    from corridormap.render import styles

    statuses = corridors["status"].value_counts()
    by_status = [styles.status_count(statuses[s], s) for s in schema.STATUSES if s in statuses]
    modes = corridors["mode"].value_counts()
    by_mode = [f"{styles.mode_label(m).lower()}: {modes[m]}" for m in schema.MODES if m in modes]
    tr = current()
    alt = ngettext(
        "Map of {n} corridor ({modes}): {statuses}.",
        "Map of {n} corridors ({modes}): {statuses}.",
        len(corridors),
    ).format(n=len(corridors), modes=tr.comma.join(by_mode), statuses=tr.comma.join(by_status))
    named = corridors.set_index("corridor_id")
    if highlight:
        names = _join([named.loc[c, "name"] for c in highlight])
        alt += _(" Highlighted: the {names}.").format(names=names)
    order = list(highlight) + [c for c in corridors["corridor_id"] if c not in highlight]
    sentences = []
    for corridor_id in order[:limit]:
        row = named.loc[corridor_id]
        rows = lengths[lengths["corridor_id"] == corridor_id]
        # Countries the sources name; a sketch's corner cut across a border is not "through".
        parts = rows[rows["listed"].astype(bool) & (rows["length_km"].round() >= 1)]
        through = [
            f"{km_text(r.length_km)} km through {r.country}"
            + (f" ({reported_phrase(r._asdict())})" if reported_phrase(r._asdict()) else "")
            for r in parts.itertuples()
        ]
        status = styles.status_label(row["status"]).lower()
        text = f"The {row['name']}, {status}, "
        if not pd.isna(row.get("length_km_reported")):
            scope = row.get("length_scope")
            scope = "" if pd.isna(scope) or not str(scope).strip() else f" ({scope})"
            text += f"is {km_text(row['length_km_reported'])} km long as reported{scope}; "
        text += f"{drawn_label(row['length_km'], row.get('positional_accuracy_km'))}"
        if len(rows) == 1 and len(parts) == 1:
            text += f", all in {parts['country'].iloc[0]}."
        else:
            text += f": {_join(through)}." if through else "."
        sentences.append(text)
    if len(order) > limit:
        rest = len(order) - limit
        more = ngettext("{n} more corridor is shown.", "{n} more corridors are shown.", rest)
        sentences.append(more.format(n=rest))
    return alt, ("" if tr.lang == "zh" else " ").join(sentences)


# --------------------------------------------------------------------------- writing


def brief(atlas: Atlas, spec: str | Path | Mapping | BriefSpec, out_dir: str | Path) -> Path:
    """Write a briefing pack: maps, figures, tables, alt text, a one-page brief and a lock file.

    Parameters
    ----------
    atlas
        The atlas, from :func:`corridormap.load`.
    spec
        A TOML spec file, its parsed mapping, or a :class:`BriefSpec` (see ``maps/README.md``);
        its ``lang`` key (``"en"``, ``"ru"`` or ``"zh"``) sets the language of every file.
    out_dir
        Folder of the pack. It is replaced as a whole only when every file has been written; an
        existing folder must be empty or a previous pack (it holds ``spec.lock.json``).

    Returns
    -------
    Path
        The pack's folder.

    Raises
    ------
    SpecError
        For a problem in the spec (one line naming the key), also one found only while drawing
        (a ``figure.height_in`` too small for the map); nothing is written then.
    OutputError
        If ``out_dir`` is a file, or a folder that holds other files than a previous pack.

    Examples
    --------
    A pack of one corridor (at screen resolution, which is quick to draw):

    >>> import corridormap as cm
    >>> spec = {
    ...     "title": "The China–Kyrgyzstan–Uzbekistan railway",
    ...     "select": {"corridor": "cku_railway"},
    ...     "figure": {"dpi": 60},
    ... }
    >>> pack = cm.brief(cm.load(), spec, "brief")
    >>> sorted(p.name for p in pack.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['alt.txt', 'corridors.csv', 'embed.html', 'index.html', 'lengths.csv', 'map.html',
     'map.pdf', 'map.png', 'map.svg', 'revenue.csv', 'spec.lock.json']
    """
    where = display_path(Path(spec)) if isinstance(spec, str | Path) else None
    spec = load_spec(spec)
    target = Path(out_dir)
    _check_target(target)
    with using(spec.lang, atlas.data_dir) as translator:
        return _brief(localized(atlas, translator), spec, target, where)


def _brief(atlas: Atlas, spec: BriefSpec, target: Path, where: str | None) -> Path:
    """:func:`brief` in the language of the spec, on the atlas with its names."""
    try:
        chosen, box = resolve(atlas, spec)
        spec = fill_text(spec, chosen)
    except SpecError as exc:
        if where is None:
            raise
        raise SpecError(f"{where}: {exc}") from None  # name the file, as load_spec does
    try:
        with atomic_dir(target) as staging:
            files = _write_pack(atlas, chosen, spec, box, staging)
    except SpecError as exc:
        if where is not None:
            raise SpecError(f"{where}: {exc}") from None
        raise
    log.info("Saved briefing pack %s (%d files)", target, len(files))
    return target


def _check_target(target: Path) -> None:
    from corridormap.io import check_output

    check_output(target, folder=True)
    if target.is_dir() and any(target.iterdir()) and not (target / LOCK_NAME).is_file():
        raise OutputError(
            f"{display_path(target)}: is not empty and holds no {LOCK_NAME}, so it is not a "
            "briefing pack; give a new or empty folder"
        )


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8", newline="\n")


def _write_pack(atlas: Atlas, chosen: Atlas, spec: BriefSpec, box, folder: Path) -> list[str]:
    from corridormap.render.static.figure import FigureTooSmall, save_static, static_map

    corridors, lengths = corridor_table(chosen), lengths_table(chosen)
    revenue = revenue_table(chosen) if "tables" in spec.outputs else None
    alt, long = describe(corridors, lengths, spec.highlight)
    subtitle = spec.subtitle if spec.subtitle is not None else alt
    from corridormap.briefing import footprint

    km = spec.footprint_km
    finance = footprint.finance_table(chosen, km) if spec.finance else None
    energy = footprint.energy_table(chosen, km) if spec.energy else None
    if finance is not None or energy is not None:
        long = f"{long} {footprint.sentence(chosen, finance, energy, km)}"
    if "tables" in spec.outputs:
        _write(folder, "corridors.csv", _csv(corridors))
        _write(folder, "lengths.csv", _csv(lengths))
        if revenue is not None:
            _write(folder, "revenue.csv", _csv(revenue))
        if finance is not None:
            _write(folder, "finance.csv", _csv(finance))
        if energy is not None:
            _write(folder, "energy.csv", _csv(energy))
    from corridormap.briefing.routes import COLUMNS as ROUTE_COLUMNS
    from corridormap.briefing.routes import route_rows, routes_html

    # The spec's routes are drawn on the figure and the map, not only tabled.
    drawn = route_rows(atlas, spec.routes) if spec.routes else None
    if "html" in spec.outputs:
        _write_html_map(atlas, spec, box, subtitle, folder, routes=drawn)
        _write(folder, "embed.html", embed_html(spec.title, alt, long))
    figures = [f for f in ("png", "svg", "pdf") if f in spec.outputs]
    if figures:
        try:
            fig = static_map(
                atlas, mode=spec.mode, status=spec.status, country=spec.country,
                corridor=spec.corridor, highlight=spec.highlight, extent=box, title=spec.title,
                subtitle=subtitle, byline=spec.byline, figsize=(spec.width_in, spec.height_in),
                dpi=spec.dpi, inset=spec.inset, years=spec.years or None, lang=spec.lang,
                finance=spec.finance and not spec.years, energy=spec.energy and not spec.years,
                routes=None if spec.years else drawn,
            )  # fmt: skip
        except FigureTooSmall as exc:  # load_spec cannot know: the room the text takes
            raise SpecError(
                f"figure.height_in: {exc.height_in:g} in leaves no room for the map under this "
                f"title, text and legend; give at least {exc.needed_in:g} in, or leave it out to "
                "fit the map"
            ) from None
        for fmt in figures:
            save_static(fig, folder / f"map.{fmt}")
    _write(folder, "alt.txt", f"{alt}\n\n{long}\n")
    routes_table = None
    if drawn is not None:
        routes_table = pd.DataFrame(drawn[ROUTE_COLUMNS])
        if "tables" in spec.outputs:
            _write(folder, "routes.csv", _csv(routes_table))
    if "index" in spec.outputs:
        extra = routes_html(routes_table) if routes_table is not None else ""
        page = index_html(
            chosen, spec, alt, long, corridors, lengths, revenue is not None, routes_html=extra,
            footprint_html=footprint.section_html(chosen, finance, energy, km),
        )  # fmt: skip
        _write(folder, "index.html", page)
    _write(folder, LOCK_NAME, lock_json(atlas, chosen, spec, box, folder))
    return sorted(p.name for p in folder.iterdir())


def _write_html_map(
    atlas: Atlas, spec: BriefSpec, box, subtitle: str, folder: Path, *, routes=None
) -> None:
    from branca.element import Figure

    from corridormap.render import folium_map, save_map
    from corridormap.render.interactive.assets import Raw

    m = folium_map(
        atlas, mode=spec.mode, status=spec.status, country=spec.country, corridor=spec.corridor,
        title=spec.title, subtitle=subtitle, extent=box, lang=spec.lang, routes=routes,
        footprint=spec.finance or spec.energy,
    )  # fmt: skip
    if spec.highlight:
        rules = ", ".join(f".cm-line.cm-c-{c}" for c in spec.highlight)
        css = (
            f"<style>.cm-line {{ opacity: 0.45; }} {rules} {{ opacity: 1; "
            f"stroke-width: 5px; }}</style>"
        )
        root = m.get_root()
        if hasattr(root, "add_head"):  # the map's figure re-renders its header from these
            root.add_head("corridormap_highlight", Raw(css))
        else:
            assert isinstance(root, Figure)  # a folium map's root
            root.header.add_child(Raw(css), name="corridormap_highlight")
    save_map(m, folder / "map.html")


def lock_json(atlas: Atlas, chosen: Atlas, spec: BriefSpec, box, folder: Path) -> str:
    """The resolved spec, the package version, the data hash and a SHA-256 of every file."""
    resolved = asdict(spec)
    resolved["bbox"] = [round(v, 6) for v in box]
    lock = {
        **atlas.provenance(),
        "spec": resolved,
        "corridors": chosen.corridors["corridor_id"].tolist(),
        "files": {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())
            if p.name != LOCK_NAME
        },
    }
    return json.dumps(lock, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- the page
