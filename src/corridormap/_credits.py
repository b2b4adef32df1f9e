"""The credit lines the corridor lines carry wherever they are shown, exported or printed.

One rule for the map's attribution, the static figure's source note, the brief and the exports.
A line's credits follow its geometry (``segments.csv``):

* ``geometry_licence`` ``ODbL`` (any part OpenStreetMap-derived, AidData's traced project lines
  included): ``settings.osm_attribution``;
* a ``geometry_source`` id of AidData's project geometry (``settings.aiddata_geometry_prefix``):
  ``settings.aiddata_attribution`` (ODC-By 1.0);
* a ``geometry_source`` id of Global Energy Monitor's pipeline routes
  (``settings.gem_route_prefix``; ``geometry_licence`` ``CC-BY-4.0``):
  ``settings.gem_attribution`` (CC BY 4.0).
"""

from __future__ import annotations

import pandas as pd

from corridormap import settings


def line_credits(segments: pd.DataFrame) -> list[str]:
    """Credit lines for the lines of ``segments``, OpenStreetMap first; empty for sketches only.

    Parameters
    ----------
    segments
        Rows of ``segments.csv`` (``geometry_licence``, ``geometry_source``).

    Returns
    -------
    list of str
        Each credit once, in the order OpenStreetMap, AidData, Global Energy Monitor.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"geometry_licence": ["ODbL", "CC-BY-4.0"],
    ...                      "geometry_source": ["aiddata_gcdf2_39989", "gem_goit_route_p5197"]})
    >>> line_credits(rows)  # doctest: +NORMALIZE_WHITESPACE
    ['© OpenStreetMap contributors (ODbL)', 'AidData (ODC-By 1.0)',
     'Global Energy Monitor (CC BY 4.0)']
    """
    licences = set(segments["geometry_licence"].dropna())
    ids = {i for value in segments["geometry_source"].dropna() for i in str(value).split(";")}
    out = []
    if "ODbL" in licences:
        out.append(settings.osm_attribution)
    if any(i.startswith(settings.aiddata_geometry_prefix) for i in ids):
        out.append(settings.aiddata_attribution)
    if "CC-BY-4.0" in licences or any(i.startswith(settings.gem_route_prefix) for i in ids):
        out.append(settings.gem_attribution)
    return out
