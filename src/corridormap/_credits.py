"""The credit lines of corridor lines, for callers that hold segments rather than an atlas.

A thin wrapper over :func:`corridormap.atlas.credits.credit_lines` (``shown=["lines"]``): one
licence table (``data/licences.csv``) and one rule (:func:`corridormap.atlas.credits.line_licences`)
give every output's credits, so no output names a licence holder twice in two wordings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from corridormap.atlas.core import Atlas


def line_credits(segments: pd.DataFrame, atlas: Atlas | None = None) -> list[str]:
    """Credit lines for the lines of ``segments``, OpenStreetMap first; empty for sketches only.

    Parameters
    ----------
    segments
        Rows of ``segments.csv`` (``geometry_licence``, ``geometry_source``).
    atlas
        Whose licence table words the lines (default: the table shipped with corridormap).

    Returns
    -------
    list of str
        Each credit once, in the order OpenStreetMap, AidData, Global Energy Monitor.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"geometry_licence": ["ODbL", "CC-BY-4.0"],
    ...                      "geometry_source": ["aiddata_gcdf2_39989", "gem_goit_route_p5197"]})
    >>> [line[:21] for line in line_credits(rows)]
    ['© OpenStreetMap contr', 'AidData, Global Chine', 'Global Energy Monitor']
    """
    from corridormap.atlas.credits import _credit_lines

    return _credit_lines(atlas, shown=["lines"], segments=segments)
