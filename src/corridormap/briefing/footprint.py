"""China's footprint in a briefing pack: finance and energy tables, their sentence and section.

A spec's ``[footprint]`` table (``finance = true``, ``energy = true``, ``km = 20``) adds
``finance.csv`` (AidData projects within ``km`` of the selected corridors, nearest first) and
``energy.csv`` (GEM assets likewise), draws both on the static figure, and names them with their
sources in ``alt.txt`` and ``index.html``. Amounts keep their dollar year: the sentence gives
2017 and 2021 dollars apart. The sentence and the section speak the brief's language; the
data's own text (project titles, asset names, the sources' titles) stays English, marked
``lang="en"`` on the page.
"""

from __future__ import annotations

import html

import pandas as pd

from corridormap._i18n import N_, _, current, ngettext
from corridormap.atlas.core import Atlas
from corridormap.atlas.credits import credit_lines
from corridormap.footprint import energy_near, finance_near

FINANCE_COLUMNS = [
    "project_id", "corridor_id", "distance_km", "title", "countries", "sector", "status",
    "lenders", "commitment_year", "amount_usd", "usd_year", "recommended_for_aggregates",
    "precision", "edition", "aiddata_url", "source_id",
]  # fmt: skip
ENERGY_COLUMNS = [
    "asset_id", "corridor_id", "distance_km", "kind", "name", "unit_name", "countries", "status",
    "capacity", "capacity_unit", "start_year", "owner", "url", "source_id",
]  # fmt: skip


#: The energy kinds counted in sentences (``{n}`` assets of a kind, in the language).
KIND_WORDS = {
    "gas_pipeline": lambda n: ngettext("{n} gas pipeline", "{n} gas pipelines", n),
    "oil_pipeline": lambda n: ngettext("{n} oil pipeline", "{n} oil pipelines", n),
    "lng_terminal": lambda n: ngettext("{n} LNG terminal", "{n} LNG terminals", n),
    "hydropower": lambda n: ngettext("{n} hydropower plant", "{n} hydropower plants", n),
    "oil_gas_power_unit": lambda n: ngettext(
        "{n} oil- and gas-fired unit", "{n} oil- and gas-fired units", n
    ),
}
#: The energy kinds in the table's column.
KIND_NAMES = {
    "gas_pipeline": N_("gas pipeline"), "oil_pipeline": N_("oil pipeline"),
    "lng_terminal": N_("lng terminal"), "hydropower": N_("hydropower"),
    "oil_gas_power_unit": N_("oil gas power unit"),
}  # fmt: skip
#: Global Energy Monitor's statuses.
STATUS_WORDS = {
    "operating": N_("operating"), "construction": N_("construction"),
    "pre-construction": N_("pre-construction"), "announced": N_("announced"),
    "proposed": N_("proposed"), "shelved": N_("shelved"), "cancelled": N_("cancelled"),
    "mothballed": N_("mothballed"), "retired": N_("retired"),
}  # fmt: skip
#: The captions of the page's two tables.
FINANCE_CAPTION = N_("Largest Chinese-financed projects nearby (AidData)")
ENERGY_CAPTION = N_("Largest energy assets nearby (Global Energy Monitor)")


def _nearest(parts: list[pd.DataFrame], key: str, columns: list[str]) -> pd.DataFrame:
    """One row per id (its nearest corridor), nearest first."""
    if not parts:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(parts, ignore_index=True).sort_values(["distance_km", key], kind="stable")
    rows = rows.drop_duplicates(key).reset_index(drop=True)
    rows["distance_km"] = rows["distance_km"].round(2)
    return pd.DataFrame(rows[columns])


def finance_table(chosen: Atlas, km: float) -> pd.DataFrame:
    """AidData projects within ``km`` of any selected corridor, each with its nearest corridor."""
    parts = []
    for corridor in chosen.corridors["corridor_id"]:
        near = pd.DataFrame(finance_near(chosen, corridor, km=km))
        if len(near):
            parts.append(near.assign(corridor_id=corridor))
    return _nearest(parts, "project_id", FINANCE_COLUMNS)


def energy_table(chosen: Atlas, km: float) -> pd.DataFrame:
    """GEM assets within ``km`` of any selected corridor (not the corridors' own lines)."""
    parts = []
    for corridor in chosen.corridors["corridor_id"]:
        near = pd.DataFrame(energy_near(chosen, corridor, km=km))
        near = near[near["corridor_id"].isna()] if len(near) else near
        if len(near):
            parts.append(near.assign(corridor_id=corridor))
    return _nearest(parts, "asset_id", ENERGY_COLUMNS)


def _figure(value: float) -> str:
    """A distance or capacity as given (English keeps ``20``, ``1200``; others their locale)."""
    return f"{value:g}" if current().english else current().number(value)


def _bn(value: float) -> str:
    number = current().number
    if value >= 1e8:
        return _("{amount} bn").format(amount=number(value / 1e9, decimals=2))
    return _("{amount} m").format(amount=number(value / 1e6, decimals=1))


def sentence(
    atlas: Atlas, finance: pd.DataFrame | None, energy: pd.DataFrame | None, km: float
) -> str:
    """What the footprint tables hold, in words, with their sources (for alt.txt and the page)."""
    tr = current()
    out = []
    if finance is not None:
        fit = finance[finance["recommended_for_aggregates"].fillna("") != "no"]
        sums = [
            _("US$ {amount} in constant {year} dollars").format(
                amount=_bn(fit.loc[fit["usd_year"] == y, "amount_usd"].sum()), year=y
            )
            for y in (2021, 2017)
            if (fit["usd_year"] == y).any()
        ]
        text = ngettext(
            "Chinese development finance within {km} km of these corridors: {n} project",
            "Chinese development finance within {km} km of these corridors: {n} projects",
            len(finance),
        ).format(km=_figure(km), n=len(finance))
        if len(sums) > 1:
            text += _(" ({sums}, never added together)").format(sums=tr.join(sums))
        elif sums:
            text += _(" ({sums})").format(sums=sums[0])
        source = "; ".join(credit_lines(atlas, shown=["finance"]))
        out.append(_("{text}. Source: {source}.").format(text=text, source=source))
    if energy is not None:
        kinds = energy["kind"].value_counts()
        listed = tr.comma.join(
            KIND_WORDS[str(k)](n).format(n=n) if str(k) in KIND_WORDS else f"{n} {k}"
            for k, n in kinds.items()
        )
        text = _("Energy assets within {km} km: {n}").format(km=_figure(km), n=len(energy))
        text += _(" ({sums})").format(sums=listed) if listed else ""
        source = "; ".join(credit_lines(atlas, shown=["energy"]))
        out.append(_("{text}. Source: {source}.").format(text=text, source=source))
    return ("" if tr.lang == "zh" else " ").join(out)


def largest_assets(energy: pd.DataFrame) -> pd.DataFrame:
    """Plants by MW first, then the other assets by kind, each kind (one unit) by capacity.

    Capacities in different units (MW, bcm/yr, mtpa) are never compared.
    """
    mw = energy["capacity_unit"] == "MW"
    plants = energy[mw].sort_values(["capacity", "asset_id"], ascending=[False, True])
    others = energy[~mw].sort_values(
        ["kind", "capacity", "asset_id"], ascending=[True, False, True], na_position="last"
    )
    return pd.concat([plants, others])


def section_html(
    atlas: Atlas, finance: pd.DataFrame | None, energy: pd.DataFrame | None, km: float
) -> str:
    """The page's section: the sentence, the largest projects and the assets, the files."""
    if finance is None and energy is None:
        return ""
    tr = current()
    esc = html.escape

    def th(*names: str) -> str:
        return "".join(f"<th>{esc(_(n))}</th>" for n in names)

    en = "" if tr.english else ' lang="en"'  # the data's own English text
    heading = html.escape(_("China's footprint beside the corridors"), quote=False)
    parts = [f"<section><h2>{heading}</h2>"]
    parts.append(f"<p>{esc(sentence(atlas, finance, energy, km))}</p>")
    if finance is not None and len(finance):
        top = finance[finance["amount_usd"].notna()].nlargest(8, "amount_usd")
        untitled = _("title not yet read")
        rows = "".join(
            (
                f"<tr><td{en}>{esc(r.title)}</td>"
                if isinstance(r.title, str)
                else f"<tr><td>{esc(untitled)}</td>"
            )
            + f"<td>{esc(str(r.corridor_id))}</td><td>{tr.number(r.distance_km, decimals=1)}</td>"
            f"<td>{tr.number(r.amount_usd / 1e6, decimals=1)}</td><td>{int(r.usd_year)}</td></tr>"
            for r in top.itertuples()
        )
        parts.append(
            '<div class="scroll">'
            f"<table><caption>{esc(_(FINANCE_CAPTION))}"
            "</caption><thead><tr>"
            + th(
                N_("Project"),
                N_("Nearest corridor"),
                N_("km"),
                N_("US$ m"),
                N_("Constant-dollar year"),
            )
            + f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    if energy is not None and len(energy):
        top = largest_assets(energy).head(8)
        rows = "".join(
            f"<tr><td{en}>{esc(str(r.name))}</td>"
            f"<td>{esc(_(KIND_NAMES.get(str(r.kind), str(r.kind).replace('_', ' '))))}</td>"
            f"<td>{'' if pd.isna(r.capacity) else esc(f'{_figure(r.capacity)} {r.capacity_unit}')}"
            f"</td><td>{esc(_(STATUS_WORDS.get(str(r.status), str(r.status))))}</td>"
            f"<td>{tr.number(r.distance_km, decimals=1)}</td></tr>"
            for r in top.itertuples()
        )
        parts.append(
            '<div class="scroll">'
            f"<table><caption>{esc(_(ENERGY_CAPTION))}"
            "</caption><thead><tr>"
            + th(N_("Asset"), N_("Kind"), N_("Capacity"), N_("Status"), N_("km"))
            + f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    parts.append("</section>")
    return "".join(parts)
