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
    baseline: Literal["fastest", "same"] = "fastest",
) -> pd.DataFrame:
    """What a project saves: the best route using ``include`` against a named baseline.

    Parameters
    ----------
    atlas, origin, destination
        As for :func:`routes`.
    include
        The project(s) to add (``"cku_railway"``).
    via, avoid, mode, as_of
        As for :func:`routes`: for the route with the project; ``via``, ``avoid`` and
        ``as_of`` also for the baseline.
    by
        What "best" means on both sides: ``"days"`` (base time, the default) or ``"km"``.
    baseline
        ``"fastest"`` (the default): today's best route without the project, whatever its
        mode (``mode`` does not narrow it). ``"same"``: the best without the project under the
        same ``mode`` as the route with it.

    Returns
    -------
    pandas.DataFrame
        Three rows: ``baseline``, ``with_project`` and ``saving`` (baseline minus with the
        project: positive km and days are saved, negative ones lost), with borders and gauge
        breaks added or removed; ``compared_against`` names the baseline route.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> change = cm.route_change(atlas, "Kashgar", "Tashkent", include="cku_railway", mode="rail")
    >>> change[["km", "days_base"]].round(1)
                      km  days_base
    baseline       856.4        1.2
    with_project   864.6        2.3
    saving          -8.2       -1.1
    >>> print(change.loc["saving", "compared_against"])
    today's fastest route without cku_railway (any mode): Kashgar > Irkeshtam > Osh > Andijan > Tashkent
    """  # noqa: E501
    options: dict[str, Any] = {"via": via, "avoid": avoid, "mode": mode, "as_of": as_of}
    base_options = {**options, "mode": None} if baseline == "fastest" else options
    if baseline not in ("fastest", "same"):
        raise RouteError(f"baseline={baseline!r}: use 'fastest' or 'same'")
    base = routes(atlas, origin, destination, k=1, by=by, **base_options)
    project = as_list(include)
    new = best_using(atlas, origin, destination, include=project, by=by, **options)
    cols = ["km", "km_low", "km_high", "days_low", "days_base", "days_high", "gauge_breaks"]
    shown = [*cols, "legs", "border_crossings", "via_hubs", "lines"]
    table = pd.DataFrame(
        [base.iloc[0][shown], new.iloc[0][shown]], index=["baseline", "with_project"]
    )
    old_b = set(filter(None, base.iloc[0]["border_crossings"].split("; ")))
    new_b = set(filter(None, new.iloc[0]["border_crossings"].split("; ")))
    saving = {c: table.loc["baseline", c] - table.loc["with_project", c] for c in cols}
    saving["gauge_breaks"] = -saving["gauge_breaks"]
    what = {"fastest": "today's fastest", "same": "the best"}[baseline]
    mode_note = " (any mode)" if baseline == "fastest" else ""
    if by == "km":
        what = what.replace("fastest", "shortest")
    saving.update(
        legs="",
        borders_added="; ".join(sorted(new_b - old_b)),
        borders_removed="; ".join(sorted(old_b - new_b)),
        compared_against=f"{what} route without {', '.join(project)}{mode_note}: "
        + base.iloc[0]["via_hubs"],
    )
    table = pd.concat([table, pd.DataFrame([saving], index=["saving"])])
    return table.rename(columns={"gauge_breaks": "gauge_breaks (saving: added)"})
