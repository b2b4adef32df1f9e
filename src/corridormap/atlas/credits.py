"""One licence table, one accessor: every credit line of every output comes from here.

``data/licences.csv`` holds one row per licence of the data corridormap ships or draws:
``licence_id, name, url, attribution, covers``. :func:`credit_lines` says which of them an output
showing some layers must carry, in a fixed order, so the map's attribution, a figure's source note,
a briefing page and an export's metadata credit the same data the same way.

Layers an output may show (the names :func:`credit_lines` takes in ``shown``):

``lines``      corridor lines, credited from their geometry (``segments.csv``): ``geometry_licence``
               ODbL -> ``odbl_osm``; a ``geometry_source`` id of AidData's project geometry
               (``settings.aiddata_geometry_prefix``) -> ``odc_by_aiddata``; ``geometry_licence``
               CC-BY-4.0 or a GEM route id (``settings.gem_route_prefix``) -> ``cc_by_gem``
``network``    the route network's lines (likewise)
``countries``  country borders (Natural Earth)
``places``     places (GeoNames for the gazetteer's cities)
``relief``     the shaded relief basemap
``water``      lakes (Natural Earth) and rivers (GSHHG)
``finance``    AidData's figures (ODC-By): a table or chart of amounts
``finance_geometry`` AidData's projects drawn on a map (ODC-By; traced outlines ODbL)
``energy``     Global Energy Monitor's assets (CC BY 4.0)
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from corridormap.atlas.core import Atlas

#: Display order of the credit lines, and the licences each shown layer needs.
ORDER = (
    "odbl_osm",
    "odc_by_aiddata",
    "cc_by_gem",
    "pd_natural_earth",
    "cc_by_geonames",
    "pd_shadedrelief",
    "lgpl_gshhg",
)
LAYERS: dict[str, tuple[str, ...]] = {
    "lines": (),  # decided from the drawn segments' geometry: see line_licences
    "network": ("odbl_osm",),
    "countries": ("pd_natural_earth",),
    "places": ("cc_by_geonames",),
    "relief": ("pd_shadedrelief",),
    "water": ("pd_natural_earth", "lgpl_gshhg"),
    "finance": ("odc_by_aiddata",),
    "finance_geometry": ("odc_by_aiddata",),  # + odbl_osm when a project has traced geometry
    "energy": ("cc_by_gem",),
}
COLUMNS = ("licence_id", "name", "url", "attribution", "covers")
#: The licence table row of each geometry licence a segment may name (``segments.csv``'s
#: vocabulary); a user's own geometry licence is its ``licence_id``.
GEOMETRY_LICENCE_IDS = {"ODbL": "odbl_osm", "CC-BY-4.0": "cc_by_gem"}


def _shipped() -> Path:
    from corridormap.io import resolve_dirs

    return resolve_dirs(None, None)[1] / "licences.csv"


@cache
def _read(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def licences(atlas: Atlas) -> pd.DataFrame:
    """The licence table: ``licence_id, name, url, attribution, covers``.

    Parameters
    ----------
    atlas
        The atlas; a data folder without its own ``licences.csv`` gives the table shipped with
        corridormap.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import corridormap as cm
    >>> table = cm.licences(cm.load())
    >>> table.set_index("licence_id").loc["cc_by_gem", "name"]
    'Creative Commons Attribution 4.0 International (CC BY 4.0)'
    """
    import pandas as pd

    return pd.DataFrame(list(_rows(atlas)), columns=list(COLUMNS))


def _rows(atlas: Atlas | None) -> tuple[dict[str, str], ...]:
    table = getattr(atlas, "licences", None)
    if table is not None and len(table):
        return tuple(table.to_dict("records"))
    return _read(_shipped())


def line_licences(segments: pd.DataFrame) -> set[str]:
    """The licence ids the corridor lines of ``segments`` must be credited under.

    Parameters
    ----------
    segments
        Rows of ``segments.csv`` (``geometry_licence``, ``geometry_source``).

    Returns
    -------
    set of str
        ``odbl_osm`` for an ODbL line (AidData's traced project lines included),
        ``odc_by_aiddata`` for a line from AidData's project geometry, ``cc_by_gem`` for a line
        from Global Energy Monitor's routes; empty for sketches only.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"geometry_licence": ["ODbL", "CC-BY-4.0"],
    ...                      "geometry_source": ["aiddata_gcdf2_39989", "gem_goit_route_p5197"]})
    >>> sorted(line_licences(rows))
    ['cc_by_gem', 'odbl_osm', 'odc_by_aiddata']
    """
    from corridormap import settings

    if not len(segments):
        return set()
    licences = set(segments["geometry_licence"].dropna())
    ids = {i for value in segments["geometry_source"].dropna() for i in str(value).split(";")}
    out = set()
    if "ODbL" in licences:
        out.add(GEOMETRY_LICENCE_IDS["ODbL"])
    if any(i.startswith(settings.aiddata_geometry_prefix) for i in ids):
        out.add("odc_by_aiddata")
    if "CC-BY-4.0" in licences or any(i.startswith(settings.gem_route_prefix) for i in ids):
        out.add(GEOMETRY_LICENCE_IDS["CC-BY-4.0"])
    return out


def credit_lines(
    atlas: Atlas,
    *,
    shown: Iterable[str],
    html_links: bool = False,
    segments: pd.DataFrame | None = None,
) -> list[str]:
    """The credit lines an output showing ``shown`` must carry, each once, in a fixed order.

    Parameters
    ----------
    atlas
        The atlas shown (its licence table; decides whether its corridor lines and finance
        footprints are OpenStreetMap-, AidData- or GEM-derived).
    shown
        Layer names (see the module docstring): ``lines``, ``network``, ``countries``,
        ``places``, ``relief``, ``water``, ``finance``, ``finance_geometry``, ``energy``.
    html_links
        Escape the text and link each line to its licence (for maps and web pages).
    segments
        The corridor lines drawn, when only some of the atlas's are (e.g. one corridor's);
        default ``atlas.segments``.

    Returns
    -------
    list of str
        One line per licence, e.g. ``"© OpenStreetMap contributors (ODbL)"``.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> for line in cm.credit_lines(atlas, shown=["lines", "finance", "energy"]):
    ...     print(line[:60])
    © OpenStreetMap contributors (ODbL)
    AidData, Global Chinese Development Finance Dataset (version
    Global Energy Monitor, Global Gas Infrastructure Tracker (Oc
    """
    wanted: set[str] = set()
    shown = list(shown)
    for name in shown:
        if name not in LAYERS:
            from corridormap.errors import SelectionError

            raise SelectionError(f"unknown layer {name!r} for credits; one of {', '.join(LAYERS)}")
        wanted.update(LAYERS[name])
    if "lines" in shown:
        drawn = segments if segments is not None else getattr(atlas, "segments", None)
        wanted |= line_licences(drawn) if drawn is not None else set()
    if "finance_geometry" in shown and _odbl_finance(atlas):
        wanted.add("odbl_osm")
    rows = {row["licence_id"]: row for row in _rows(atlas)}
    missing = sorted(wanted - set(rows))
    if missing:
        from corridormap.errors import DataError

        raise DataError([f"licences.csv: no row for licence {m!r}" for m in missing])
    out = []
    for licence_id in sorted(wanted, key=lambda i: (ORDER.index(i) if i in ORDER else 99, i)):
        row = rows[licence_id]
        text = row["attribution"]
        if html_links:
            text = f'<a href="{html.escape(row["url"])}">{html.escape(text)}</a>'
        out.append(text)
    return out


def _odbl_finance(atlas: Atlas | None) -> bool:
    finance = getattr(atlas, "finance", None)
    if finance is None or not len(finance):
        return False
    return bool((finance["geometry_licence"].fillna("") == "ODbL").any())
