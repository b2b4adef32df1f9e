"""The static figure: matplotlib maps for print and briefs.

- :mod:`.figure` builds the figure (:func:`static_map`) and saves it (:func:`save_static`);
- :mod:`.draw`, :mod:`.basemap`, :mod:`.lines`, :mod:`.routes`, :mod:`.labels`, :mod:`.furniture`
  and :mod:`.layout` draw its parts; :mod:`.years` the small multiples of the build-out;
- :mod:`.sensitivity` draws the revenue tornado chart.
"""

from __future__ import annotations

from corridormap.render.static.figure import save_static, static_map

__all__ = ["save_static", "static_map"]
