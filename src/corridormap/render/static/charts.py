"""Charts of China's footprint: finance by year and sector, trade and trains through time.

Each function returns a :class:`matplotlib.figure.Figure` (Agg, no pyplot) with its source line
drawn at the foot and its alt text in :func:`alt_text`; write it with
:func:`corridormap.save_static`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from corridormap.atlas.core import Atlas
from corridormap.errors import SelectionError
from corridormap.render.footprint_style import (
    GROUP_ORDER,
    OTHER_GROUP,
    SECTOR_GROUPS,
    UNREAD_GROUP,
    sector_group,
)

_ALT = "corridormap_alt_text"


def alt_text(fig: Figure) -> str:
    """The alt text a chart of :func:`finance_chart` or :func:`indicator_chart` carries.

    Parameters
    ----------
    fig
        A figure; one made elsewhere has none (an empty string).

    Returns
    -------
    str
        A description of what the chart shows, with its figures and source line.

    Examples
    --------
    >>> import corridormap as cm
    >>> fig = cm.indicator_chart(cm.load(), series="trains")
    >>> cm.alt_text(fig).startswith("Line chart: China–Europe trains.")
    True
    """
    return str(getattr(fig, _ALT, ""))


def _foot(fig: Figure, text: str, *, room: float = 0.07) -> None:
    """The source line at the foot, with room kept for it under the constrained layout."""
    fig.get_layout_engine().set(rect=(0, room, 1, 1 - room))  # type: ignore[union-attr, call-arg]
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=7, color="#59636E", wrap=True)


def _credit(atlas: Atlas, shown: list[str]) -> str:
    from corridormap.atlas.credits import credit_lines

    return "Source: " + "; ".join(credit_lines(atlas, shown=shown))


def finance_chart(
    atlas: Atlas,
    *,
    country: str | None = None,
    corridor: str | None = None,
    km: float = 20.0,
) -> Figure:
    """Chinese finance by commitment year and sector: stacked bars, one panel per edition.

    GCDF 2.0 (commitments 2000–2017) is drawn in constant 2017 USD, GCDF 3.0 (2000–2021) in
    constant 2021 USD, side by side: the two dollar years are never added. Only rows AidData
    recommends for aggregates (or that carry no flag) are summed; projects whose year is not yet
    read are counted in the panel's note.

    Parameters
    ----------
    atlas
        The atlas.
    country
        ISO3 of one of the five states (None: all five).
    corridor
        Or a corridor id: the projects within ``km`` of it (:func:`corridormap.finance_near`).
    km
        Distance for ``corridor``, km.

    Returns
    -------
    matplotlib.figure.Figure
        With a source line; its alt text is :func:`corridormap.alt_text` ``(fig)``.

    Examples
    --------
    >>> import corridormap as cm
    >>> fig = cm.finance_chart(cm.load(), country="KGZ")
    >>> [ax.get_title(loc="left")[:8] for ax in fig.axes]
    ['GCDF 2.0', 'GCDF 3.0']
    >>> "2017" in cm.alt_text(fig) and "2021" in cm.alt_text(fig)
    True
    """
    from corridormap.footprint import finance_near
    from corridormap.vocabulary import FIVE_STATES

    rows = atlas.finance
    scope = "to the five Central Asian states"
    if corridor is not None:
        rows = finance_near(atlas, corridor, km=km)
        scope = f"within {km:g} km of {corridor}"
    if country is not None:
        iso = str(country).upper()
        if iso not in FIVE_STATES:
            raise SelectionError(f"country must be one of {', '.join(FIVE_STATES)}")
        rows = rows[rows["countries"].fillna("").str.split(";").map(lambda c: iso in c)]
        scope = f"to {iso}" if corridor is None else f"{iso}, {scope}"
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    axes = fig.subplots(1, 2, sharey=False)
    alt_parts = []
    for ax, (edition, year, first, last) in zip(
        axes, (("2.0", 2017, 2000, 2017), ("3.0", 2021, 2000, 2021)), strict=True
    ):
        column = f"amount_usd_{year}"
        part = rows[rows["edition"].str.contains(edition, regex=False)]
        part = part[part[column].notna() & (part["recommended_for_aggregates"] != "no")]
        dated = part[part["commitment_year"].notna()]
        undated = part[part["commitment_year"].isna()]
        groups = dated.assign(
            group=dated["sector"].map(lambda s: sector_group(s)[0]),
            year=dated["commitment_year"].astype(int),
        )
        table = (
            groups.pivot_table(
                index="year", columns="group", values=column, aggfunc="sum", fill_value=0.0
            ).reindex(range(first, last + 1), fill_value=0.0)
            / 1e9
        )
        bottom = np.zeros(len(table))
        for label in GROUP_ORDER:
            if label not in table.columns:
                continue
            colour = next(c for g, c in [*SECTOR_GROUPS.values(), OTHER_GROUP, UNREAD_GROUP]
                          if g == label)  # fmt: skip
            ax.bar(table.index, table[label], bottom=bottom, color=colour, label=label, width=0.8)
            bottom += table[label].to_numpy()
        ax.set_title(f"GCDF {edition}: bn constant {year} USD", loc="left", fontsize=10)
        ax.set_xlim(first - 0.8, last + 0.8)
        ax.spines[["top", "right"]].set_visible(False)
        total = float(table.to_numpy().sum())
        note = f"{len(dated)} projects, {total:,.1f} bn {year} USD"
        if len(undated):
            note += (
                f"; {len(undated)} more ({undated[column].sum() / 1e9:,.1f} bn) with no "
                "commitment year read yet, not shown"
            )
        ax.set_xlabel(f"commitment year ({note})", fontsize=7, color="#59636E")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        peak = int(table.sum(axis=1).idxmax()) if total > 0 else None
        alt_parts.append(
            f"GCDF {edition} ({first}–{last}, constant {year} US dollars): {note}"
            + (f"; the largest year is {peak}" if peak is not None else "")
        )
    handles, labels = axes[1].get_legend_handles_labels()
    if not handles:
        handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", fontsize=8, frameon=False)
    fig.suptitle(f"Chinese development finance {scope}, by commitment year and sector")
    credit = _credit(atlas, ["finance"])
    _foot(
        fig, credit + ". Umbrella projects excluded; 2017 and 2021 dollars never added.", room=0.05
    )
    setattr(
        fig,
        _ALT,
        f"Stacked bar charts of Chinese development finance {scope} by commitment year and "
        "sector. " + ". ".join(alt_parts) + f". {credit}.",
    )
    fig.set_label(f"Chinese finance: {scope}")
    return fig


#: Named series of ``indicators.csv`` for :func:`indicator_chart`.
SERIES: dict[str, tuple[str, list[str], str]] = {
    "trade": (
        "China–Central Asia trade (Chinese customs), USD bn",
        [
            "cn_ca_trade_turnover",
            "kaz_cn_trade_turnover",
            "kgz_cn_trade_turnover",
            "uzb_cn_trade_turnover",
            "tkm_cn_trade_turnover",
            "tjk_cn_trade_turnover",
        ],
        "USD_bn",
    ),
    "trains": (
        "China–Europe trains",
        [
            "china_europe_trains_total",
            "china_europe_trains_via_xinjiang",
            "china_europe_trains_via_horgos",
            "china_europe_trains_via_alataw",
        ],
        "trains",
    ),
}


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def indicator_chart(atlas: Atlas, *, series: str = "trade") -> Figure:
    """A series of ``indicators.csv`` through time: one line per indicator, sources at the foot.

    Only whole-year figures are drawn (partial-year rows have their own indicator names);
    where sources give different figures for one year, each is a point and the line runs
    through their middle, so a disagreement shows as a vertical spread.

    Parameters
    ----------
    atlas
        The atlas.
    series
        ``trade`` (China's trade with the five states and each of them, GACC as reported) or
        ``trains`` (China–Europe trains in all and through Xinjiang/Kazakhstan).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import corridormap as cm
    >>> fig = cm.indicator_chart(cm.load(), series="trade")
    >>> "national statistics differ" in cm.alt_text(fig)
    True
    """
    if series not in SERIES:
        raise SelectionError(f"series must be one of {', '.join(SERIES)}; got {series!r}")
    title, names, unit = SERIES[series]
    rows = atlas.indicators
    rows = rows[rows["indicator"].isin(names) & (rows["unit"] == unit)]
    rows = rows[rows["year"].fillna("").str.fullmatch(r"\d{4}")]
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    colours = ["#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
    alt = []
    for name, colour in zip(names, colours, strict=False):
        part = rows[rows["indicator"] == name].assign(y=lambda f: f["year"].astype(int))
        if part.empty:
            continue
        label = part["scope"].iloc[0]
        # a bound, a part of the year or a forecast: a hollow point, not on the line
        bound = part["note"].fillna("").str.contains("lower bound|upper bound| only") | (
            part["kind"] == "estimate"
        )
        firm = part[~bound] if (~bound).any() else part
        mid = firm.groupby("y")["value"].median()
        ax.plot(mid.index, mid.values, "-", color=colour, lw=1.5, label=label)
        ax.plot(firm["y"], firm["value"], "o", color=colour, ms=4)
        ax.plot(part.loc[bound, "y"], part.loc[bound, "value"], "o", mfc="white", color=colour,
                ms=4)  # fmt: skip
        alt.append(
            f"{label}: "
            + ", ".join(f"{y} {_num(v)}" for y, v in mid.items())
            + (" (sources differ for some years)" if len(firm) > len(mid) else "")
        )
    ax.set_ylabel(unit.replace("_", " "))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    used = rows["source_id"].unique()
    publishers = atlas.sources.set_index("source_id").reindex(used)["publisher"].dropna()
    caveat = (
        "Chinese customs (GACC) as reported; national statistics differ"
        if series == "trade"
        else "China Railway and KTZ figures as reported; port counts include China–Central Asia"
    ) + "; hollow points: a bound, part of a year or a forecast"
    foot = f"Source: {'; '.join(sorted(set(publishers)))}. {caveat}."
    _foot(fig, foot)
    setattr(fig, _ALT, f"Line chart: {title}. " + ". ".join(alt) + f". {foot}")
    fig.set_label(title)
    return fig
