"""China's footprint in a briefing pack: finance and energy tables, their sentence and section.

A spec's ``[footprint]`` table (``finance = true``, ``energy = true``, ``km = 20``) adds
``finance.csv`` (AidData projects within ``km`` of the selected corridors, nearest first) and
``energy.csv`` (GEM assets likewise), draws both on the static figure, and names them with their
sources in ``alt.txt`` and ``index.html``. Amounts keep their dollar year: the sentence gives
2017 and 2021 dollars apart.
"""

from __future__ import annotations

import html

import pandas as pd

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


#: Plural words for the energy kinds in sentences.
KIND_WORDS = {
    "gas_pipeline": "gas pipelines",
    "oil_pipeline": "oil pipelines",
    "lng_terminal": "LNG terminals",
    "hydropower": "hydropower plants",
    "oil_gas_power_unit": "oil- and gas-fired units",
}


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


def _bn(value: float) -> str:
    return f"{value / 1e9:,.2f} bn" if value >= 1e8 else f"{value / 1e6:,.1f} m"


def sentence(
    atlas: Atlas, finance: pd.DataFrame | None, energy: pd.DataFrame | None, km: float
) -> str:
    """What the footprint tables hold, in words, with their sources (for alt.txt and the page)."""
    out = []
    if finance is not None:
        fit = finance[finance["recommended_for_aggregates"].fillna("") != "no"]
        sums = [
            f"US$ {_bn(fit.loc[fit['usd_year'] == y, 'amount_usd'].sum())} in constant {y} dollars"
            for y in (2021, 2017)
            if (fit["usd_year"] == y).any()
        ]
        text = f"Chinese development finance within {km:g} km of these corridors: "
        text += f"{len(finance)} projects"
        if sums:
            apart = ", never added together" if len(sums) > 1 else ""
            text += f" ({' and '.join(sums)}{apart})"
        source = "; ".join(credit_lines(atlas, shown=["finance"]))
        out.append(f"{text}. Source: {source}.")
    if energy is not None:
        kinds = energy["kind"].value_counts()
        listed = ", ".join(f"{n} {KIND_WORDS.get(str(k), str(k))}" for k, n in kinds.items())
        text = f"Energy assets within {km:g} km: {len(energy)}"
        text += f" ({listed})" if listed else ""
        source = "; ".join(credit_lines(atlas, shown=["energy"]))
        out.append(f"{text}. Source: {source}.")
    return " ".join(out)


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
    esc = html.escape
    parts = ["<section><h2>China's footprint beside the corridors</h2>"]
    parts.append(f"<p>{esc(sentence(atlas, finance, energy, km))}</p>")
    if finance is not None and len(finance):
        top = finance[finance["amount_usd"].notna()].nlargest(8, "amount_usd")
        rows = "".join(
            f"<tr><td>{esc(str(r.title) if isinstance(r.title, str) else 'title not yet read')}"
            f"</td><td>{esc(str(r.corridor_id))}</td><td>{r.distance_km:,.1f}</td>"
            f"<td>{r.amount_usd / 1e6:,.1f}</td><td>{int(r.usd_year)}</td></tr>"
            for r in top.itertuples()
        )
        parts.append(
            '<div class="scroll">'
            "<table><caption>Largest Chinese-financed projects nearby (AidData)</caption>"
            "<thead><tr><th>Project</th><th>Nearest corridor</th><th>km</th>"
            "<th>US$ m</th><th>Constant-dollar year</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
    if energy is not None and len(energy):
        top = largest_assets(energy).head(8)
        rows = "".join(
            f"<tr><td>{esc(str(r.name))}</td><td>{esc(str(r.kind).replace('_', ' '))}</td>"
            f"<td>{esc('' if pd.isna(r.capacity) else f'{r.capacity:g} {r.capacity_unit}')}"
            f"</td><td>{esc(str(r.status))}</td><td>{r.distance_km:,.1f}</td></tr>"
            for r in top.itertuples()
        )
        parts.append(
            '<div class="scroll">'
            "<table><caption>Largest energy assets nearby (Global Energy Monitor)</caption>"
            "<thead><tr><th>Asset</th><th>Kind</th><th>Capacity</th><th>Status</th>"
            f"<th>km</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    parts.append("</section>")
    return "".join(parts)
