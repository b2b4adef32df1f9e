"""The pages of a briefing pack: the iframe snippet and the one-page ``index.html``.

Every string from the data is escaped here; the page loads nothing from the network (a CSP says
so) and numbers its sources in the order the key-figures table first cites them.
"""

from __future__ import annotations

import hashlib
import html

import pandas as pd

from corridormap._format import Citations
from corridormap._i18n import N_, _, current, release_label
from corridormap.atlas.core import Atlas
from corridormap.atlas.credits import credit_lines
from corridormap.briefing.spec import LOCK_NAME, BriefSpec


def km_text(value: float) -> str:
    """Whole kilometres with thousands separators, for prose."""
    return current().number(round(float(value)), decimals=0)


def embed_html(title: str, alt: str, long: str, *, src: str = "map.html") -> str:
    """The responsive iframe snippet, with the map's description as its caption."""
    key = hashlib.sha256(f"{title}\n{alt}".encode()).hexdigest()[:8]
    esc = html.escape
    return (
        f'<figure class="corridormap-embed" style="margin:0">\n'
        '  <div style="position:relative;width:100%;height:0;padding-top:62.5%;overflow:hidden">\n'
        f'    <iframe src="{esc(src)}" title="{_iframe_title(title)}" '
        f'aria-describedby="cm-desc-{key}" loading="lazy" allowfullscreen '
        'referrerpolicy="no-referrer" '
        'style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n'
        "  </div>\n"
        f'  <figcaption id="cm-desc-{key}" style="font:0.85em/1.4 system-ui,sans-serif;'
        f'color:#59636E;margin-top:0.4em">{esc(alt)} {esc(long)}</figcaption>\n'
        "</figure>\n"
    )


def _iframe_title(title: str) -> str:
    return _("Interactive map: {title}").format(title=html.escape(title))


_PAGE_CSS = """
body{font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans",sans-serif;color:#1F2328;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.7rem;line-height:1.2;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem}
.sub{font-size:1.05rem;color:#3D444D;margin:0}.by{color:#59636E;font-size:.9rem}
figure{margin:1rem 0}img{max-width:100%;height:auto;border:1px solid #D0D7DE}
figcaption{color:#59636E;font-size:.9rem}table{border-collapse:collapse;width:100%;
font-size:.88rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #D0D7DE;
vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
sup{font-size:.7em}ol.sources{font-size:.88rem;padding-left:1.6rem}ol.sources li{margin:.2rem 0}
.muted{color:#59636E}footer{margin-top:2rem;font-size:.8rem;color:#59636E}
h3{font-size:1rem;margin:1.2rem 0 .3rem}.small{font-size:.85rem}
a{overflow-wrap:anywhere}.scroll{overflow-x:auto;max-width:100%}
"""
#: Chinese glyphs where the reader's system has them (the same stack as the map's).
_CJK = '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC"'
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: file:; "
    "frame-src 'self' file:; base-uri 'none'; form-action 'none'"
)
_FACTS = (
    (N_("Length"), "length_km", "length_source"),
    (N_("Capacity"), "capacity_value", "capacity_source"),
    (N_("Cost"), "cost_usd_m", "cost_source"),
    (N_("Dates"), "opened", "dates_source"),
)


class _Refs(Citations):
    """Numbers sources in order of first citation, as links to the page's list of sources."""

    def __call__(self, value: object) -> str:
        numbers = self.cite(value)
        links = ",".join(f'<a href="#src-{n}">{n}</a>' for n in numbers)
        return f"<sup>[{links}]</sup>" if numbers else ""


def _fact(row, column: str, source: str, refs: _Refs) -> str:
    """One cell of the key figures: the value and its source numbers, or a dash if unknown."""
    from corridormap._format import (
        capacity_text,
        cost_text,
        length_text,
        years_text,
    )

    text = {
        "length_km": length_text,
        "capacity_value": capacity_text,
        "cost_usd_m": cost_text,
        "opened": years_text,
    }[column](row)
    if not text:
        return '<span class="muted">—</span>'
    return html.escape(text) + refs(row[source])


def _facts_table(corridors: pd.DataFrame, lengths: pd.DataFrame, refs: _Refs) -> str:
    from corridormap.render import styles

    head = "".join(
        f"<th>{html.escape(_(h))}</th>"
        for i, h in enumerate(
            [
                N_("Corridor"),
                N_("Mode"),
                N_("Status"),
                *[f[0] for f in _FACTS],
                N_("km by country"),
            ]
        )  # fmt: skip
    )
    rows = []
    for row in corridors.to_dict("records"):
        split = _split(lengths[lengths["corridor_id"] == row["corridor_id"]])
        cells = [
            f"<td>{html.escape(row['name'])}{refs(row['status_source'])}</td>",
            f"<td>{html.escape(styles.mode_label(row['mode']))}</td>",
            f"<td>{html.escape(styles.status_label(row['status']))}</td>",
            *[f"<td>{_fact(row, c, s, refs)}</td>" for _, c, s in _FACTS],
            f"<td>{html.escape(split)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _split(rows: pd.DataFrame) -> str:
    """Each sourced country's km, the published figure first; then the rest as drawn.

    ``CHN 158 (sources 155–213) reported, 134 as drawn ±25; …``
    """
    from corridormap.measure.lengths import reported_label

    listed = rows[rows["listed"].astype(bool) & rows["iso3"].notna()]
    parts = []
    for row in listed.to_dict("records"):
        reported = reported_label(row)
        accuracy = row.get("positional_accuracy_km")
        drawn = f"{km_text(row['length_km'])} as drawn" + (
            "" if pd.isna(accuracy) else f" ±{float(accuracy):g}"
        )
        parts.append(
            f"{row['iso3']} " + (f"{reported} reported, {drawn}" if reported else f"{drawn} km")
        )
    rest = float(rows.loc[~rows["listed"].astype(bool), "length_km"].sum())
    if round(rest) >= 1:
        parts.append(_("{km} elsewhere as drawn").format(km=km_text(rest)))
    return "; ".join(parts)


def _country_table(chosen: Atlas, lengths: pd.DataFrame) -> str:
    """Kilometres in each sourced country, one column per mode (rail, road, pipeline km differ).

    Drawn km over the union of the lines, so track two corridors share counts once.
    """
    from corridormap.measure.lengths import country_totals
    from corridormap.render import styles
    from corridormap.validation.schema import MODES

    totals = country_totals(chosen, lengths=lengths)
    table = totals.pivot_table(
        index=["iso3", "country"], columns="mode", values="length_km", aggfunc="sum"
    )
    shown = [m for m in MODES if m in table.columns]
    table = table.reindex(columns=shown)
    table = table.assign(_max=table.max(axis=1)).sort_values("_max", ascending=False, kind="stable")
    head = "".join(
        f"<th class=n>{html.escape(styles.mode_label(m))} km as drawn</th>" for m in shown
    )
    rows = "".join(
        f"<tr><td>{html.escape(country)}</td>"
        + "".join(
            f'<td class="n">{"" if pd.isna(v) else km_text(v)}</td>'
            for v in (values[m] for m in shown)
        )
        + "</tr>"
        for (_, country), values in table.iterrows()
    )
    notes = []
    shared = totals[totals["shared_km"].round() >= 1]
    for row in shared.to_dict("records"):
        notes.append(
            f"{km_text(row['shared_km'])} km of {styles.mode_label(row['mode']).lower()} track in "
            f"{row['country']} is shared by two corridors and counted once"
        )
    rest = float(lengths.loc[~lengths["listed"].astype(bool), "length_km"].sum())
    if round(rest) >= 1:
        notes.append(
            f"not counted: {km_text(rest)} km that the drawn lines put outside the countries the "
            "sources name (sketches and simplified borders)"
        )
    text = "; ".join(notes)
    note = f'<p class="muted">{html.escape(text[:1].upper() + text[1:])}.</p>' if notes else ""
    country = html.escape(_("Country"))
    return (
        f"<table><thead><tr><th>{country}</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        + note
    )


def _source_text(row, *, link: bool = True) -> str:
    """A source as the brief cites it: who, "title", date and (with ``link``) its URL."""
    from corridormap._format import missing

    who = ", ".join(
        html.escape(str(row[c])) for c in ("author", "publisher") if not missing(row.get(c))
    )
    text = f"{who}: " if who else ""
    text += f"“{html.escape(str(row['title']))}”"
    if not missing(row.get("date")):
        text += f", {html.escape(current().date(row['date']))}"
    if link and not missing(row.get("url")):
        url = html.escape(str(row["url"]))
        text += f'. <a href="{url}" rel="noreferrer">{url}</a>'
    return text


def _sources_list(chosen: Atlas, refs: _Refs) -> str:
    """The numbered sources of the facts: the key figures', then the segments' lengths and facts."""
    for column in ("length_source", "sources"):
        for value in chosen.segments[column]:
            refs(value)
    table = chosen.sources.set_index("source_id")
    items = []
    for n, source_id in enumerate(refs.order, start=1):
        if source_id not in table.index:
            items.append(f'<li id="src-{n}">{html.escape(source_id)}</li>')
            continue
        items.append(f'<li id="src-{n}">{_source_text(table.loc[source_id])}.</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


#: The short note on where the drawn lines and points come from (kept apart from the facts).
LINES_AND_PLACES_TITLE = N_("Lines and places")
LINES_AND_PLACES = N_(
    "The lines and points are drawn from these sources, which give positions only, not the "
    "facts above:"
)


def _lines_and_places(chosen: Atlas) -> str:
    """Geometry provenance, unnumbered: the sources of the drawn lines and of the places."""
    from corridormap._util import split_ids

    cited: dict[str, None] = {}
    for value in chosen.segments["geometry_source"]:
        cited.update(dict.fromkeys(split_ids(value)))
    shown = set(chosen.corridors["corridor_id"])
    listed = chosen.places["corridor_ids"].fillna("").str.split(";")
    used = listed.map(lambda v: bool(shown & set(v)))
    for value in chosen.places.loc[used, "source"]:
        cited.update(dict.fromkeys(split_ids(value)))
    table = chosen.sources.set_index("source_id")
    items = [
        _source_text(table.loc[s], link=False) if s in table.index else html.escape(s)
        for s in cited
    ]
    if not items:
        return ""
    return (
        f"<h3>{html.escape(_(LINES_AND_PLACES_TITLE))}</h3>"
        f'<p class="muted small">{html.escape(_(LINES_AND_PLACES))} '
        f"{'; '.join(items)}.</p>"
    )


def index_html(
    chosen: Atlas,
    spec: BriefSpec,
    alt: str,
    long: str,
    corridors: pd.DataFrame,
    lengths: pd.DataFrame,
    has_revenue: bool,
    *,
    routes_html: str = "",
    footprint_html: str = "",
) -> str:
    """The one-page brief: title, interactive map, static figure, key figures and sources."""
    from corridormap._version import __version__

    esc = html.escape
    refs = _Refs()
    facts = _facts_table(corridors, lengths, refs)
    sources = _sources_list(chosen, refs)
    subtitle = spec.subtitle if spec.subtitle is not None else alt
    by = f'<p class="by">{esc(spec.byline)}</p>' if spec.byline else ""
    figure_links = " · ".join(
        f'<a href="map.{f}">{f.upper()}</a>' for f in ("png", "svg", "pdf") if f in spec.outputs
    )
    tables = ["corridors.csv", "lengths.csv"] + (["revenue.csv"] if has_revenue else [])
    tables += [t for t, on in (("finance.csv", spec.finance), ("energy.csv", spec.energy)) if on]
    data_links = (
        " · ".join(f'<a href="{t}">{t}</a>' for t in tables) if "tables" in spec.outputs else ""
    )
    shown = ["lines", "countries"]  # + the footprint's sources: each licence holder once
    shown += (["finance_geometry"] if spec.finance else []) + (["energy"] if spec.energy else [])
    credits = credit_lines(chosen, shown=shown)
    release = chosen.release
    if release is not None:
        credits.append(release_label(release))
    tr = current()
    t = {
        key: esc(_(text))
        for key, text in (
            ("map", N_("Interactive map")),
            ("figure", N_("Static figure")),
            ("facts", N_("Key figures")),
            ("km", N_("Kilometres by country")),
            ("routes", N_("Route comparison")),
            ("sources", N_("Sources")),
        )
    }
    download = _("Download: {links}.").format(links=figure_links)
    method = esc(
        _(
            "Reported lengths are as published and lead; drawn lengths are measured on the WGS84 "
            "ellipsoid along the mapped lines and say how far the line may be off (±km). Numbers "
            "in brackets are sources."
        )
    )
    data = _("Data: {links}.").format(links=data_links) if data_links else ""
    map_data = _("Map data: {credits}.").format(credits=esc("; ".join(credits)))
    footer = _(
        "Made with corridormap {version} from data {data}; the exact inputs are in {lock}."
    ).format(
        version=esc(__version__),
        data=esc(chosen.data_hash[:12]),
        lock=f'<a href="{LOCK_NAME}">{LOCK_NAME}</a>',
    )
    css = _PAGE_CSS if tr.lang != "zh" else _PAGE_CSS.replace(",sans-serif", f",{_CJK},sans-serif")
    return f"""<!DOCTYPE html>
<html lang="{tr.html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="generator" content="corridormap {esc(__version__)}">
<title>{esc(spec.title)}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{esc(spec.title)}</h1>
<p class="sub">{esc(subtitle)}</p>
{by}
</header>
<main>
<h2>{t["map"]}</h2>
{embed_html(spec.title, alt, long)}
<h2>{t["figure"]}</h2>
<figure>
<img src="map.png" alt="{esc(alt)}" width="{round(spec.width_in * 96)}">
<figcaption>{esc(long)} {download}</figcaption>
</figure>
<h2>{t["facts"]}</h2>
<div class="scroll">{facts}</div>
<p class="muted">{method}</p>
<h2>{t["km"]}</h2>
<div class="scroll">{_country_table(chosen, lengths)}</div>
{f"<p>{data}</p>" if data else ""}
{f'<h2>{t["routes"]}</h2><div class="scroll">{routes_html}</div>' if routes_html else ""}
{footprint_html}
<h2>{t["sources"]}</h2>
{sources}
{_lines_and_places(chosen)}
<p class="muted">{map_data}</p>
</main>
<footer>{footer}</footer>
</body>
</html>
"""
