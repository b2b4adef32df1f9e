"""Documented defaults, read when a function gets ``None`` for the matching argument.

Change them at run time (``corridormap.settings.region_bbox = ...``) rather than editing the file.
"""

from __future__ import annotations

from pathlib import Path

#: Folder of the GeoJSON layers; ``None`` means the packaged copy (or the checkout's ``geo/``).
geo_dir: Path | None = None
#: Folder of the CSV tables; ``None`` means the packaged copy (or the checkout's ``data/``).
data_dir: Path | None = None

#: Region every corridor and place must lie in: (min_lon, min_lat, max_lon, max_lat), degrees.
#: Wide enough for the Caspian coast in the west and Xinjiang in the east.
region_bbox: tuple[float, float, float, float] = (40.0, 25.0, 100.0, 58.0)

#: Region of the route network (``geo/network.geojson``): (min_lon, min_lat, max_lon, max_lat).
#: Wider than ``region_bbox``: the routes reach Duisburg and Hamburg in the west, Yiwu in the east.
network_bbox: tuple[float, float, float, float] = (0.0, 20.0, 125.0, 60.0)

#: Largest layer, table or spec corridormap reads, in MB (2**20 bytes); bigger files are refused
#: before they are read. The shipped atlas is under 1 MB; points for ``join-points`` are not
#: limited.
max_input_mb: float = 20.0

#: Largest briefing figure, in millions of pixels (width × height × dpi²): a spec asking for
#: more is refused before drawing (20 × 30 in at 1200 dpi, 864 million pixels, would need about
#: 24 GiB). 150 million is an A0 poster at 300 dpi.
max_figure_megapixels: float = 150.0

#: Most decimals a GeoJSON coordinate may carry (RFC 7946 suggests 6, ~0.1 m).
max_coordinate_decimals: int = 6

#: Ellipsoid for every length and distance.
ellipsoid: str = "WGS84"

#: Years a date in the tables may fall in.
year_range: tuple[int, int] = (1950, 2045)

#: Segments drawn within this many km of the real alignment count as "line data";
#: anything coarser is a sketch and is shown as approximate.
line_data_accuracy_km: float = 2.0

#: Attribution for OpenStreetMap-derived geometry (ODbL); shown wherever the layers are shown.
osm_attribution: str = "© OpenStreetMap contributors (ODbL)"
#: The ``geometry_source`` ids of lines from AidData's project geometry (credited ODC-By, the
#: ``odc_by_aiddata`` row of ``data/licences.csv``; see :mod:`corridormap.atlas.credits`).
aiddata_geometry_prefix: str = "aiddata_"
#: The ids of lines from Global Energy Monitor's routes (credited CC BY 4.0, ``cc_by_gem``).
gem_route_prefix: str = "gem_goit_route_"
#: Attribution for the country basemap.
natural_earth_attribution: str = "Natural Earth (public domain)"

#: Points handled at a time by the in-memory point join: bounds its temporary GEOS objects
#: (about 1 KB a point) without a Python loop per point.
join_chunk_points: int = 250_000

#: A drawn pass into a country the sources do not list (``countries`` in ``projects.csv``) is an
#: artefact of a sketched line or a simplified border, not a crossing, when it is at most this
#: many km long, or when it goes no deeper into that country than the line's
#: ``positional_accuracy_km`` plus ``border_polygon_accuracy_km``. Its km count for the listed
#: country it sits beside (``lengths_by_country``'s ``km_reassigned`` says how many).
border_artefact_km: float = 5.0
#: Two corridors' lines closer than this (metres) are the same track: country and mode totals
#: (``country_totals``) snap them together and count the km once.
shared_track_m: float = 50.0
#: How far the simplified country borders may be from the real ones, km (Natural Earth 1:10m
#: simplified by ``scripts/build_countries.py``: within about 3 km of Natural Earth).
border_polygon_accuracy_km: float = 3.0
