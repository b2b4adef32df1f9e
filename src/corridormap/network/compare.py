"""What a project changes on a route: the best route using it against the best without it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import pandas as pd

from corridormap._util import as_list
from corridormap.errors import RouteError
from corridormap.network.search import routes

if TYPE_CHECKING:
    from corridormap.atlas.core import Atlas


def best_using(
    atlas: Atlas,
    origin: str,
    destination: str,
    *,
    include: str | Iterable[str],
    by: Literal["days", "km"] = "days",
    **options: Any,
) -> gpd.GeoDataFrame:
    """The best route that uses a line of ``include`` (one row), among the 5 best with it.

    Raises
    ------
    RouteError
        If none of them uses the project.
    """
    project = as_list(include)
    candidates = routes(atlas, origin, destination, k=5, by=by, include=project, **options)
    uses = candidates["lines"].map(
        lambda lines: any(
            line == p or line.startswith(p + "__") for line in lines.split(";") for p in project
        )
    )
    if not uses.any():
        raise RouteError(
            f"no route from {origin} to {destination} uses include={','.join(project)}"
        )
    return candidates[uses].head(1)


def route_change(
    atlas: Atlas,
    origin: str,
    destination: str,
    *,
    include: str | Iterable[str],
    via: str | Iterable[str] | None = None,
    avoid: str | Iterable[str] | None = None,
    mode: str | Iterable[str] | None = None,
    as_of: int | None = None,
    by: Literal["days", "km"] = "days",
) -> pd.DataFrame:
    """What a project changes: the best route using ``include`` against the best without it.

    Parameters
    ----------
    atlas, origin, destination
        As for :func:`routes`.
    include
        The project(s) to add (``"cku_railway"``).
    via, avoid, mode, as_of
        As for :func:`routes`, for both routes.
    by
        What "best" means on both sides.

    Returns
    -------
    pandas.DataFrame
        Two rows (``baseline``, ``with_project``) and a third, ``change``: km and days saved
        (positive = shorter/faster), borders and gauge breaks added or removed, and
        ``compared_against`` naming the baseline route.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> change = cm.route_change(atlas, "Kashgar", "Tashkent", include="cku_railway", mode="rail")
    >>> change[["km", "days_base"]].round(1)
                      km  days_base
    baseline      3297.0        6.1
    with_project   864.6        2.3
    change        2432.4        3.8
    >>> print(change.loc["change", "compared_against"])
    best route by days without cku_railway: Kashgar > Turpan > Urumqi > ... > Shymkent > Tashkent
    """
    options: dict[str, Any] = {"via": via, "avoid": avoid, "mode": mode, "as_of": as_of}
    base = routes(atlas, origin, destination, k=1, by=by, **options)
    project = as_list(include)
    new = best_using(atlas, origin, destination, include=project, by=by, **options)
    cols = ["km", "km_low", "km_high", "days_low", "days_base", "days_high", "gauge_breaks"]
    table = pd.DataFrame(
        [base.iloc[0][cols + ["border_crossings", "via_hubs", "lines"]]]
        + [new.iloc[0][cols + ["border_crossings", "via_hubs", "lines"]]],
        index=["baseline", "with_project"],
    )
    old_b = set(filter(None, base.iloc[0]["border_crossings"].split("; ")))
    new_b = set(filter(None, new.iloc[0]["border_crossings"].split("; ")))
    change = {c: table.loc["baseline", c] - table.loc["with_project", c] for c in cols}
    change["gauge_breaks"] = -change["gauge_breaks"]
    change.update(
        borders_added="; ".join(sorted(new_b - old_b)),
        borders_removed="; ".join(sorted(old_b - new_b)),
        compared_against=f"best route by {by} without {', '.join(project)}: "
        + base.iloc[0]["via_hubs"],
    )
    table = pd.concat([table, pd.DataFrame([change], index=["change"])])
    return table.rename(columns={"gauge_breaks": "gauge_breaks (change: added)"})
