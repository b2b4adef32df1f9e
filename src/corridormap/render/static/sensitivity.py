"""The revenue model's tornado chart: how far each input moves a corridor's estimate."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure


def sensitivity_figure(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Draw a tornado chart of a :func:`corridormap.sensitivity` table; return the Figure.

    Bars run from the revenue with the input at its low value to the one at its high value
    (million USD a year); a black tick marks the base. The title says the figures are estimates.

    Parameters
    ----------
    table
        The table :func:`corridormap.sensitivity` returns (one corridor).
    title
        The chart's title; by default it names the corridor and what moves.

    Returns
    -------
    matplotlib.figure.Figure
        Not saved: write it with :func:`corridormap.save_static`.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> fig = sensitivity_figure(cm.sensitivity(atlas, "cku_railway", country="KGZ"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['KGZ volume (Mt/yr)', 'KGZ tariff (USD/t-km)']
    """
    names = [f"{r.iso3} {r.input} ({r.unit})" for r in table.itertuples()]
    low, high = table["revenue_usd_low"] / 1e6, table["revenue_usd_high"] / 1e6
    fig = Figure(figsize=(7, 0.6 * len(table) + 1.5), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(names, high - low, left=low, color="#4477aa")
    ax.scatter(table["revenue_usd_base"] / 1e6, names, marker="|", s=400, color="black")
    ax.invert_yaxis()
    ax.set_xlabel("transit revenue, million USD a year (estimate)")
    corridor = table["corridor_id"].iloc[0]
    ax.set_title(title or f"{corridor}: one input at its low / high value, others at base")
    return fig
