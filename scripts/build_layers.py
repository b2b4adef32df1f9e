"""Build the corridor line layers, the places layer and the geometry provenance of segments.

Outputs (paths relative to the repository root)
    ``geo/railways.geojson``, ``geo/pipelines.geojson``, ``geo/highways.geojson``
        One ``LineString`` per segment, properties ``segment_id`` and ``corridor_id``, sorted by
        ``segment_id``; RFC 7946 (WGS84 lon/lat, no ``crs`` member), 6 decimals at most.
    ``geo/places.geojson``
        Border crossings, passes, stations, terminals, ports and cities the corridors use.
    ``data/segments.csv``
        Only the columns ``positional_accuracy_km``, ``geometry_source``, ``geometry_licence`` and
        ``geometry_note`` are written, by ``segment_id`` (read-modify-write; every other column and
        the row order are kept). If the file does not exist it is created with the full header and
        the plan's ids and end points.
    ``--sources-out`` (default ``/tmp/plan/sources_geometry.csv``)
        One row per source id used by the geometry or the places.

Inputs
    The reference folder (``../shared/reference`` next to the repository, or ``--reference``):
    ``waypoints.csv`` (ordered route points, each with a source text), ``crossings.csv``
    (border crossings) and ``tracks/tracks.csv`` (OpenStreetMap-derived road lines parsed from
    public route files). ``SOURCE_TEXT_TO_ID`` maps every source text to a source id; an unknown
    text stops the build.

How a segment is drawn
    By default a segment is the waypoint rows ``seq_from..seq_to`` (inclusive) of its waypoint
    corridor, so consecutive segments share their end vertex. For five highway segments a stretch
    is replaced by a road line from ``tracks.csv`` (Mapy.cz route planner or OSRM, both on
    OpenStreetMap data, ODbL). A track is cut where the segment's sourced end point projects onto
    it: the track vertices up to (or from) that projection are kept and the sourced end point is
    joined to them, so neighbouring segments still meet and no spike is drawn at the join. No
    vertex is ever added that a source does not give (no densifying, no invented bends). Silk
    Road Mountain Race tracks (no licence, bike routes) are only used to *check* estimated points
    of the CKU railway; none of their vertices is written.

Checks printed
    (a) every sourced waypoint (kind != route_vertex, source not estimate/gazetteer) in a
    segment's seq range lies within 2 km of the drawn line; (b) geodesic length per segment
    against reported lengths (table); (c) every coordinate within lon 45-90, lat 35-55; plus
    order checks (long jumps, reversals, backtracking). Exceptions are explained, not hidden.

Run ``python scripts/build_layers.py`` from anywhere; the output is deterministic (byte-identical
on a rerun with the same inputs).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_SOURCES_OUT = Path("/tmp/plan/sources_geometry.csv")
GEOD = Geod(ellps="WGS84")
DECIMALS = 6
CHECK_KM = 2.0
BBOX = (45.0, 35.0, 90.0, 55.0)  # lon_min, lat_min, lon_max, lat_max

SEGMENT_COLUMNS = [
    "segment_id",
    "corridor_id",
    "name",
    "from_place",
    "to_place",
    "status",
    "opened",
    "gauge_mm",
    "length_km_reported",
    "length_source",
    "positional_accuracy_km",
    "geometry_source",
    "geometry_licence",
    "geometry_note",
    "sources",
    "note",
]
OWN_COLUMNS = ["positional_accuracy_km", "geometry_source", "geometry_licence", "geometry_note"]

# --------------------------------------------------------------------------------------------
# Source texts of the reference files -> source ids
# --------------------------------------------------------------------------------------------
_LW = "larswalters/grondstoffen-atlas v2/"
_FP = "bekzodqodirov/fullprompt src/modules/wms/tracking/"
SOURCE_TEXT_TO_ID: dict[str, str] = {
    _LW + "data/stroomroute-gas-galkynysh-khorgos.json (OSM pipeline ways, ODbL) @2ec7d6d5": (
        "osm_larswalters_gas_cagp"
    ),
    _LW
    + "design/routebrieven/gas-galkynysh-khorgos.md (OSM/Nominatim)": "osm_larswalters_gas_cagp",
    _LW + "data/stroomroute-olie-atasu-dushanzi.json (OSM pipeline ways, ODbL) @3bee7fb3": (
        "osm_larswalters_oil_kcop"
    ),
    _LW + "design/routebrieven/olie-atasu-dushanzi.md (OSM anchor)": "osm_larswalters_oil_kcop",
    _LW + "data/stroomroute-uranium-kharasan-alashankou.json (OSM railway, ODbL) @e6fdf7c8": (
        "osm_larswalters_rail_dostyk"
    ),
    _LW + "design/routebrieven/uranium-kharasan-alashankou.md (OSM/Nominatim station point)": (
        "osm_larswalters_rail_dostyk"
    ),
    _LW + "data/stroomroute-uranium-inkai-poti.json (OSM railway, ODbL) @c88468ce": (
        "osm_larswalters_rail_titr"
    ),
    _LW + "design/routebrieven/uranium-inkai-poti.md (anchor)": "osm_larswalters_rail_titr",
    _FP + "road-geometry.ts (OSRM route on OSM, DP 0.02deg) @eec05148": "osrm_fullprompt_road",
    _FP + "map-data.ts (town/post points; some marked approximate there)": "fullprompt_map_points",
    "Wikipedia 'Torugart Pass' infobox coords (mirror http://piglix.com/piglix/Torugart_Pass)": (
        "wikipedia_torugart_pass"
    ),
    "Wikipedia 'Kulma Pass' infobox coords (mirror https://pt.qaz.wiki/wiki/Kulma_Pass)": (
        "wikipedia_kulma_pass"
    ),
    "Wikipedia 'Kyzylart Pass' coords (mirror https://kiwix.casplantje.nl/"
    "wikipedia_en_all_maxi_2018-10/A/Kyzylart_Pass.html)": "wikipedia_kyzylart_pass",
    "de.wikipedia 'Irkeschtam-Pass' coords (mirror https://de.zxc.wiki/wiki/Irkeschtam-Pass)": (
        "dewiki_irkeshtam_pass"
    ),
    "china.org.cn Baketu port page: 46°41'N 82°48'E, 17 km from Tacheng "
    "(http://russian.china.org.cn/links/txt/2005-01/17/content_8959871.htm)": (
        "china_org_baketu_port"
    ),
    "GitHub Uzbek customs-transit seed .py, COORDINATES{} (index id 62545970851; "
    "repo not resolved)": "gh_uz_customs_seed",
    "GitHub osclass KG location SQL (index id 8769137921; GeoNames-style city coords)": (
        "gh_osclass_kg_places"
    ),
    "GitHub travel itinerary JS, PLACES (index id 54726992986; repo not resolved)": (
        "gh_travel_itinerary_places"
    ),
    "GitHub oil-pipeline dashboard JS, points[] (index id 2516815514; repo name not resolved)": (
        "gh_kcop_dashboard_points"
    ),
    "GitHub China-Europe rail station seed SQL (index id 58353711397; "
    "'Alta/FreiCON railway-station coordinate reference')": "gh_rail_station_seed",
    "GitHub Tajikistan places seed SQL (index id 67252289945; repo not resolved)": (
        "gh_tj_places_seed"
    ),
    "GitHub Kyrgyz pasture app (index id 53554931290) Kochkor lat/lng": "gh_kg_pasture_app",
    "GitHub bikepacking planner JS, Silk Road Mountain Race resupply points "
    "(index id 57356306190)": "gh_srmr_bikepacking_points",
    "gazetteer": "geonames_gazetteer",
    "estimate": "corridormap_estimate",
}

# Tracks (tracks/tracks.csv line_id) that may be shipped, and their source ids. The Silk Road
# Mountain Race lines (kg_kazarman_naryn, kg_railcorr_kazarman_arpa_torugart) are deliberately
# absent: no licence, bike tracks; used in check_with_race_tracks() only.
TRACK_SOURCE: dict[str, str] = {
    "kg_cn_sarytash_irkeshtam_kashgar": "mapycz_stredn_zia_track",
    "tj_m41_osh_karakul": "mapycz_stredn_zia_track",
    "kz_we_wc_almaty_kordai": "mapycz_stredn_zia_track",
    "tj_m41_bulunkul_murghab_karakul": "osrm_tbhochman_pamir",
    "tj_m41_kalaikhumb_rushan_khorog": "osrm_tbhochman_pamir",
}
RACE_TRACKS = ("kg_railcorr_kazarman_arpa_torugart", "kg_kazarman_naryn")

OSM_DERIVED = {
    "osm_larswalters_gas_cagp",
    "osm_larswalters_oil_kcop",
    "osm_larswalters_rail_dostyk",
    "osm_larswalters_rail_titr",
    "osrm_fullprompt_road",
    "mapycz_stredn_zia_track",
    "osrm_tbhochman_pamir",
}
UNSOURCED = {"corridormap_estimate", "geonames_gazetteer"}

_NO_LICENCE_GH = "no licence stated; used for point coordinates only"
_IDX = "GitHub file-index id {}; repository name not resolved by the index, so no URL"
# source_id -> (title, author, publisher, date, url, licence, note)
SOURCES: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "osm_larswalters_gas_cagp": (
        "Stroomroute gas Galkynysh-Khorgos: OpenStreetMap pipeline ways of the Central Asia-China "
        "gas pipeline (grondstoffen-atlas)",
        "larswalters; geometry (c) OpenStreetMap contributors",
        "GitHub",
        "",
        "https://github.com/larswalters/grondstoffen-atlas",
        "ODbL (OpenStreetMap-derived); repository has no licence file",
        "v2/data/stroomroute-gas-galkynysh-khorgos.json @2ec7d6d581de0fed1f38b20298c7c9f64f65f92c "
        "(OSM ways 265950268+265950276 in TM/UZ, 18 ways in KZ ending with way 1324617060); "
        "station/border anchors (OSM/Nominatim) from the route brief "
        "v2/design/routebrieven/gas-galkynysh-khorgos.md",
    ),
    "osm_larswalters_oil_kcop": (
        "Stroomroute olie Atasu-Dushanzi: OpenStreetMap pipeline ways of the Kazakhstan-China oil "
        "pipeline (grondstoffen-atlas)",
        "larswalters; geometry (c) OpenStreetMap contributors",
        "GitHub",
        "",
        "https://github.com/larswalters/grondstoffen-atlas",
        "ODbL (OpenStreetMap-derived); repository has no licence file",
        "v2/data/stroomroute-olie-atasu-dushanzi.json @3bee7fb31101e61f84fca6a7aaca70674e266c6b "
        "(OSM way 269866896 Atasu-Alashankou; 306288031+306295784+578818723+306295791 "
        "Alashankou-Dushanzi, 578818723 tagged fixme=replace, 20.9 km straight); anchors from "
        "v2/design/routebrieven/olie-atasu-dushanzi.md",
    ),
    "osm_larswalters_rail_dostyk": (
        "Stroomroute uranium Kharasan-Alashankou: OSM-routed railway Turksib and Aktogay-Dostyk-"
        "Alashankou (grondstoffen-atlas)",
        "larswalters; geometry (c) OpenStreetMap contributors",
        "GitHub",
        "",
        "https://github.com/larswalters/grondstoffen-atlas",
        "ODbL (OpenStreetMap-derived); repository has no licence file",
        "v2/data/stroomroute-uranium-kharasan-alashankou.json "
        "@e6fdf7c86495d99d75fafe46b0cdfe5df35af740; station points (Nominatim) from "
        "v2/design/routebrieven/uranium-kharasan-alashankou.md",
    ),
    "osm_larswalters_rail_titr": (
        "Stroomroute uranium Inkai-Poti: OSM-routed railway across southern Kazakhstan to Aktau "
        "(grondstoffen-atlas)",
        "larswalters; geometry (c) OpenStreetMap contributors",
        "GitHub",
        "",
        "https://github.com/larswalters/grondstoffen-atlas",
        "ODbL (OpenStreetMap-derived); repository has no licence file",
        "v2/data/stroomroute-uranium-inkai-poti.json @c88468cedd76359021da09d0125b291bb8a821a1; "
        "Aktau quay anchor from v2/design/routebrieven/uranium-inkai-poti.md",
    ),
    "osrm_fullprompt_road": (
        "ROAD_LEG_POINTS: OSRM road geometry Kashgar-Irkeshtam-Osh-Andijan-Tashkent",
        "bekzodqodirov; routing on (c) OpenStreetMap contributors data",
        "GitHub",
        "",
        "https://github.com/bekzodqodirov/fullprompt",
        "ODbL (OpenStreetMap-derived via the public OSRM demo router); repository has no licence "
        "file",
        "src/modules/wms/tracking/road-geometry.ts @eec05148c479b4ce3e274d68827ac75d05221caf, "
        "generated by scripts/fetch-road-geometry.mjs from router.project-osrm.org; "
        "Douglas-Peucker simplified at 0.02 deg (~2 km) and rounded to 0.001 deg",
    ),
    "fullprompt_map_points": (
        "map-data.ts: hand-set town and border-post points",
        "bekzodqodirov",
        "GitHub",
        "",
        "https://github.com/bekzodqodirov/fullprompt",
        _NO_LICENCE_GH,
        "src/modules/wms/tracking/map-data.ts (same repository as road-geometry.ts; some points "
        "are marked approximate there)",
    ),
    "mapycz_stredn_zia_track": (
        "Cesta_1.js: Mapy.cz route-planner track 'Trasa z Biskek' (qgis2web map)",
        "EricockTerminator; routing by Mapy.cz on (c) OpenStreetMap contributors data",
        "GitHub",
        "",
        "https://github.com/EricockTerminator/Stredn-zia",
        "ODbL (OpenStreetMap-derived via the Mapy.cz route planner); repository states no licence",
        "data/Cesta_1.js @d969a72e28bb9a6673b791df03c761539834a91d, vertices 6162-8851 "
        "(Osh-Sary-Tash-Kyzyl-Art), 9550-11550 (Sary-Tash-Irkeshtam-Kashgar), 26243-27322 "
        "(Almaty-Kordai); parsed and simplified (Douglas-Peucker 0.005 deg) in the reference "
        "folder (tracks/tracks.md)",
    ),
    "osrm_tbhochman_pamir": (
        "pamir-routes.json: OSRM demo-server driving routes on the Pamir highway "
        "(overview=simplified)",
        "tbhochman; routing on (c) OpenStreetMap contributors data",
        "GitHub",
        "",
        "https://github.com/tbhochman/central-asia-trip",
        "ODbL (OpenStreetMap-derived via the public OSRM demo router); repository states no "
        "licence",
        "pamir-routes.json @5d35b9c8fa9db31a121885081b7f42c3ff591d69, keys karakul (Bulunkul "
        "turn-off-Alichur-Murghab-Karakul), baghu pts 0-55 + khorog pts 22-end (Kalaikhumb-Rushan-"
        "Khorog); coarse: chords up to 17-28 km",
    ),
    "wikipedia_torugart_pass": (
        "Torugart Pass (infobox coordinates)",
        "Wikipedia contributors",
        "Wikipedia",
        "",
        "https://en.wikipedia.org/wiki/Torugart_Pass",
        "CC BY-SA 4.0 (Wikipedia); coordinates used as facts",
        "read via the mirror http://piglix.com/piglix/Torugart_Pass",
    ),
    "wikipedia_kulma_pass": (
        "Kulma Pass (infobox coordinates)",
        "Wikipedia contributors",
        "Wikipedia",
        "",
        "https://en.wikipedia.org/wiki/Kulma_Pass",
        "CC BY-SA 4.0 (Wikipedia); coordinates used as facts",
        "read via the mirror https://pt.qaz.wiki/wiki/Kulma_Pass",
    ),
    "wikipedia_kyzylart_pass": (
        "Kyzylart Pass (coordinates)",
        "Wikipedia contributors",
        "Wikipedia",
        "",
        "https://en.wikipedia.org/wiki/Kyzylart_Pass",
        "CC BY-SA 4.0 (Wikipedia); coordinates used as facts",
        "read via the Kiwix mirror https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2018-10/A/"
        "Kyzylart_Pass.html (2018-10 dump)",
    ),
    "dewiki_irkeshtam_pass": (
        "Irkeschtam-Pass (coordinates)",
        "Wikipedia contributors",
        "Wikipedia (de)",
        "",
        "https://de.wikipedia.org/wiki/Irkeschtam-Pass",
        "CC BY-SA 4.0 (Wikipedia); coordinates used as facts",
        "read via the mirror https://de.zxc.wiki/wiki/Irkeschtam-Pass",
    ),
    "china_org_baketu_port": (
        "Baketu port (Tacheng): port page giving 46°41'N 82°48'E, 17 km from Tacheng",
        "",
        "china.org.cn",
        "2005-01-17",
        "http://russian.china.org.cn/links/txt/2005-01/17/content_8959871.htm",
        "all rights reserved (publisher); coordinates used as facts",
        "coordinates given to the arc-minute (about +/-1.5 km)",
    ),
    "gh_uz_customs_seed": (
        "Uzbek customs-transit demo seed script: COORDINATES of customs posts",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("62545970851"),
    ),
    "gh_osclass_kg_places": (
        "osclass location SQL for Kyrgyzstan (GeoNames-style city coordinates)",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("8769137921"),
    ),
    "gh_travel_itinerary_places": (
        "Travel itinerary JS: PLACES (Pamir highway towns, Almaty, Sary-Tash)",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("54726992986"),
    ),
    "gh_kcop_dashboard_points": (
        "Oil-pipeline dashboard JS: KazTransOil pumping-station points[]",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("2516815514"),
    ),
    "gh_rail_station_seed": (
        "China-Europe rail station seed SQL (Altynkol and other stations)",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("58353711397") + "; rows cite the 'Alta/FreiCON railway-station coordinate "
        "reference'",
    ),
    "gh_tj_places_seed": (
        "Tajikistan places seed SQL (Kulob, Jelondy, Istaravshan)",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("67252289945"),
    ),
    "gh_kg_pasture_app": (
        "Kyrgyz pasture app: Kochkor lat/lng",
        "",
        "GitHub",
        "",
        "",
        _NO_LICENCE_GH,
        _IDX.format("53554931290"),
    ),
    "gh_srmr_bikepacking_points": (
        "Bikepacking planner JS: Silk Road Mountain Race resupply points (Kosh-Dobo)",
        "",
        "GitHub",
        "",
        "",
        "no licence stated; used for placement only",
        _IDX.format("57356306190"),
    ),
    "geonames_gazetteer": (
        "Town coordinates from a gazetteer (rows marked 'gazetteer' in the reference waypoints)",
        "",
        "GeoNames-style gazetteer",
        "",
        "https://www.geonames.org/",
        "CC BY 4.0 if from GeoNames; the gazetteer actually used was not recorded",
        "town-centre coordinates, about 5-15 km from the road or line; the compiler of the "
        "reference folder did not record which gazetteer; verify before quoting",
    ),
    "corridormap_estimate": (
        "Placed by the corridormap team between sourced points (estimate, not published)",
        "corridormap team",
        "corridormap",
        "",
        "",
        "",
        "rows marked 'estimate' in the reference folder, and points derived by this build "
        "(e.g. a line crossing a Natural Earth border); not a published location",
    ),
    "srmr_vronizor_gpx": (
        "Silk Road Mountain Race course GPX files 2022 and 2024 (Bike race GPX library)",
        "Silk Road Mountain Race organisers; collected by vronizor",
        "GitHub",
        "",
        "https://github.com/vronizor/vronizor.github.io",
        "no licence stated; used for checking only (no vertex shipped)",
        "assets/gpx-lib/2022_silk-road-mountain-race.gpx and 2024_silk-road-mountain-race.gpx "
        "@a2d4b1b0d10d1a9a6fbf0074fe01c6ba77efb7b8; bike course on gravel tracks, not a road or "
        "railway",
    ),
}

# --------------------------------------------------------------------------------------------
# The segment plan (from the project's segment plan; embedded so the build is self-contained)
# --------------------------------------------------------------------------------------------
# segment_id, layer, from_place, to_place, waypoint corridor, seq_from, seq_to
PLAN: list[tuple[str, str, str, str, str, int, int]] = [
    ("cku_railway__kashgar_torugart", "railways", "Kashgar", "Torugart Pass", "cku_railway", 1, 5),
    ("cku_railway__torugart_makmal", "railways", "Torugart Pass", "Makmal", "cku_railway", 5, 9),
    ("cku_railway__makmal_jalalabad", "railways", "Makmal", "Jalal-Abad", "cku_railway", 9, 13),
    ("cku_railway__jalalabad_andijan", "railways", "Jalal-Abad", "Andijan", "cku_railway", 13, 15),
    (
        "kz_cn_rail_dostyk__aktogay_dostyk",
        "railways",
        "Aktogay",
        "Dostyk",
        "kz_cn_rail_dostyk",
        1,
        40,
    ),
    (
        "kz_cn_rail_dostyk__dostyk_alashankou",
        "railways",
        "Dostyk",
        "Alashankou",
        "kz_cn_rail_dostyk",
        40,
        44,
    ),
    (
        "kz_cn_rail_khorgos__zhetygen_altynkol",
        "railways",
        "Zhetygen",
        "Altynkol",
        "kz_cn_rail_khorgos",
        1,
        6,
    ),
    (
        "kz_cn_rail_khorgos__altynkol_khorgos",
        "railways",
        "Altynkol",
        "Khorgos (CN)",
        "kz_cn_rail_khorgos",
        6,
        7,
    ),
    (
        "kz_cn_rail_tacheng__ayagoz_bakhty",
        "railways",
        "Ayagoz",
        "Bakhty",
        "kz_cn_rail_tacheng",
        1,
        5,
    ),
    (
        "kz_cn_rail_tacheng__bakhty_tacheng",
        "railways",
        "Bakhty",
        "Tacheng",
        "kz_cn_rail_tacheng",
        5,
        6,
    ),
    ("titr_kz_rail__altynkol_almaty", "railways", "Altynkol", "Almaty", "titr_kz_rail", 1, 20),
    ("titr_kz_rail__almaty_shymkent", "railways", "Almaty", "Shymkent", "titr_kz_rail", 20, 99),
    (
        "titr_kz_rail__shymkent_saksaulskaya",
        "railways",
        "Shymkent",
        "Saksaulskaya",
        "titr_kz_rail",
        99,
        169,
    ),
    (
        "titr_kz_rail__saksaulskaya_beyneu",
        "railways",
        "Saksaulskaya",
        "Beyneu",
        "titr_kz_rail",
        169,
        217,
    ),
    ("titr_kz_rail__beyneu_aktau", "railways", "Beyneu", "Aktau port", "titr_kz_rail", 217, 250),
    (
        "cagp_abc__bagtyyarlyk_uz_border",
        "pipelines",
        "Bagtyyarlyk gas plant",
        "TM/UZ border",
        "cagp_abc",
        1,
        2,
    ),
    (
        "cagp_abc__uzbekistan",
        "pipelines",
        "TM/UZ border (Gedaim)",
        "UZ/KZ border",
        "cagp_abc",
        2,
        54,
    ),
    (
        "cagp_abc__kazakhstan",
        "pipelines",
        "UZ/KZ border",
        "Khorgos compressor station (CN)",
        "cagp_abc",
        54,
        155,
    ),
    ("cagp_d__uzbekistan", "pipelines", "TM/UZ border (Amu Darya)", "UZ/TJ border", "cagp_d", 1, 4),
    ("cagp_d__tajikistan", "pipelines", "UZ/TJ border", "TJ/KG border (Karamyk)", "cagp_d", 4, 10),
    (
        "cagp_d__kyrgyzstan",
        "pipelines",
        "TJ/KG border (Karamyk)",
        "KG/CN border (Irkeshtam)",
        "cagp_d",
        10,
        13,
    ),
    ("cagp_d__china", "pipelines", "KG/CN border (Irkeshtam)", "Wuqia (Ulugqat)", "cagp_d", 13, 14),
    ("kz_cn_oil__atyrau_kenkiyak", "pipelines", "Atyrau", "Kenkiyak", "kz_cn_oil", 1, 2),
    ("kz_cn_oil__kenkiyak_kumkol", "pipelines", "Kenkiyak", "Kumkol", "kz_cn_oil", 2, 5),
    ("kz_cn_oil__kumkol_atasu", "pipelines", "Kumkol", "Atasu", "kz_cn_oil", 5, 7),
    ("kz_cn_oil__atasu_alashankou", "pipelines", "Atasu", "Alashankou", "kz_cn_oil", 7, 65),
    (
        "kz_cn_oil__alashankou_dushanzi",
        "pipelines",
        "Alashankou",
        "Dushanzi refinery",
        "kz_cn_oil_cn_link",
        1,
        24,
    ),
    ("cku_highway__kashgar_irkeshtam", "highways", "Kashgar", "Irkeshtam", "cku_highway", 1, 17),
    ("cku_highway__irkeshtam_osh", "highways", "Irkeshtam", "Osh", "cku_highway", 17, 38),
    ("cku_highway__osh_andijan", "highways", "Osh", "Andijan", "cku_highway", 38, 43),
    ("cku_highway__andijan_tashkent", "highways", "Andijan", "Tashkent", "cku_highway", 43, 62),
    ("cn_tj_highway__kashgar_kulma", "highways", "Kashgar", "Kulma Pass", "cn_tj_highway", 1, 6),
    ("cn_tj_highway__kulma_khorog", "highways", "Kulma Pass", "Khorog", "cn_tj_highway", 6, 15),
    (
        "cn_tj_highway__khorog_kalaikhumb",
        "highways",
        "Khorog",
        "Kalaikhumb",
        "cn_tj_highway",
        15,
        18,
    ),
    (
        "cn_tj_highway__kalaikhumb_dushanbe",
        "highways",
        "Kalaikhumb",
        "Dushanbe",
        "cn_tj_highway",
        18,
        24,
    ),
    (
        "tj_dushanbe_chanak_road__dushanbe_chanak",
        "highways",
        "Dushanbe",
        "Chanak (UZ border)",
        "tj_dushanbe_chanak_road",
        1,
        10,
    ),
    (
        "kg_north_south_road__balykchy_kyzyljyldyz",
        "highways",
        "Balykchy",
        "Kyzyl-Jyldyz",
        "kg_north_south_road",
        1,
        5,
    ),
    (
        "kg_north_south_road__kyzyljyldyz_aral",
        "highways",
        "Kyzyl-Jyldyz",
        "Aral",
        "kg_north_south_road",
        5,
        6,
    ),
    (
        "kg_north_south_road__aral_kazarman",
        "highways",
        "Aral",
        "Kazarman",
        "kg_north_south_road",
        6,
        8,
    ),
    (
        "kg_north_south_road__kazarman_jalalabad",
        "highways",
        "Kazarman",
        "Jalal-Abad",
        "kg_north_south_road",
        8,
        11,
    ),
    ("we_wc_highway__khorgos_almaty", "highways", "Khorgos", "Almaty", "we_wc_highway", 1, 9),
    ("we_wc_highway__almaty_kordai", "highways", "Almaty", "Kordai", "we_wc_highway", 9, 12),
    ("we_wc_highway__kordai_shymkent", "highways", "Kordai", "Shymkent", "we_wc_highway", 12, 17),
    (
        "we_wc_highway__shymkent_kyzylorda",
        "highways",
        "Shymkent",
        "Kyzylorda",
        "we_wc_highway",
        17,
        22,
    ),
    ("we_wc_highway__kyzylorda_aktobe", "highways", "Kyzylorda", "Aktobe", "we_wc_highway", 22, 31),
    (
        "we_wc_highway__aktobe_ru_border",
        "highways",
        "Aktobe",
        "RU border (Zhaisan)",
        "we_wc_highway",
        31,
        33,
    ),
]

# Parts of a segment that differ from "waypoint rows seq_from..seq_to".
#   ("wp", corridor, seq_from, seq_to)       waypoint rows (inclusive)
#   ("track", line_id, reverse, start, end)  a tracks.csv line, optionally reversed, cut where
#                                            the point `start`/`end` ((corridor, seq) of a
#                                            waypoint) projects onto it; None = track end
RECIPES: dict[str, list[tuple]] = {
    # Kashgar -> Irkeshtam: Mapy.cz road (track runs Sary-Tash -> Kashgar, so reversed).
    "cku_highway__kashgar_irkeshtam": [
        ("wp", "cku_highway", 1, 1),
        (
            "track",
            "kg_cn_sarytash_irkeshtam_kashgar",
            True,
            ("cku_highway", 1),
            ("cku_highway", 17),
        ),
        ("wp", "cku_highway", 17, 17),
    ],
    # Irkeshtam -> Sary-Tash (Mapy.cz, reversed) -> Osh (Mapy.cz Osh-Karakul, reversed, cut at
    # Sary-Tash village = the first track's own end vertex).
    "cku_highway__irkeshtam_osh": [
        ("wp", "cku_highway", 17, 17),
        ("track", "kg_cn_sarytash_irkeshtam_kashgar", True, ("cku_highway", 17), None),
        ("track", "tj_m41_osh_karakul", True, ("cagp_d", 12), ("cku_highway", 38)),
        ("wp", "cku_highway", 38, 38),
    ],
    # Kulma -> Murghab (sketch), Murghab -> Alichur -> Bulunkul turn-off (OSRM, reversed),
    # turn-off -> Koi-Tezek -> Jelondy -> Khorog (sketch).
    "cn_tj_highway__kulma_khorog": [
        ("wp", "cn_tj_highway", 6, 8),
        ("track", "tj_m41_bulunkul_murghab_karakul", True, ("cn_tj_highway", 8), None),
        ("wp", "cn_tj_highway", 12, 15),
    ],
    # Khorog -> Rushan -> Vanj -> Kalaikhumb (OSRM along the Panj, reversed).
    "cn_tj_highway__khorog_kalaikhumb": [
        ("wp", "cn_tj_highway", 15, 15),
        (
            "track",
            "tj_m41_kalaikhumb_rushan_khorog",
            True,
            ("cn_tj_highway", 15),
            ("cn_tj_highway", 18),
        ),
        ("wp", "cn_tj_highway", 18, 18),
    ],
    # Almaty -> Kordai (Mapy.cz, A2 / WE-WC).
    "we_wc_highway__almaty_kordai": [
        ("wp", "we_wc_highway", 9, 9),
        ("track", "kz_we_wc_almaty_kordai", False, ("we_wc_highway", 9), ("we_wc_highway", 12)),
        ("wp", "we_wc_highway", 12, 12),
    ],
}

# Honest positional accuracy (km) and geometry note per segment.
META: dict[str, tuple[float, str]] = {}  # filled below (kept next to the reasoning)


def _m(seg: str, acc: float, note: str) -> None:
    META[seg] = (acc, note)


_m(
    "cku_railway__kashgar_torugart",
    25,
    "Sketch: alignment not published. Kashgar city point and "
    "Torugart Pass (Wikipedia) are sourced; the three points between them are estimates, so the "
    "line may be 20-30 km off. No station positions in China drawn.",
)
_m(
    "cku_railway__torugart_makmal",
    20,
    "Sketch: alignment not published. Torugart Pass "
    "(Wikipedia) and Kosh-Dobo village (race resupply point) are sourced; Chatyr-Kul, Arpa and "
    "Makmal are estimates (Makmal station location not published). Estimate points were checked "
    "against the Silk Road Mountain Race 2024 course (no licence; not shipped).",
)
_m(
    "cku_railway__makmal_jalalabad",
    25,
    "Sketch: alignment not published. Only Jalal-Abad is "
    "sourced; Makmal, the Naryn crossing near Kazarman, the Fergana-range tunnel and Tosh-Kutchu "
    "are estimates. Tunnels and bends are not drawn.",
)
_m(
    "cku_railway__jalalabad_andijan",
    15,
    "Sketch between the Jalal-Abad and Andijan town points; "
    "the KG/UZ border point near Khanabad is an estimate. The route likely uses the existing "
    "Fergana valley network; not verified.",
)
_m(
    "kz_cn_rail_dostyk__aktogay_dostyk",
    2,
    "OpenStreetMap railway as routed by the larswalters "
    "atlas (Aktogay junction to Dostyk station, Nominatim point).",
)
_m(
    "kz_cn_rail_dostyk__dostyk_alashankou",
    2,
    "OpenStreetMap railway from Dostyk station to "
    "Alashankou station (station points from Nominatim); only the 1520/1435 mm line drawn as one.",
)
_m(
    "kz_cn_rail_khorgos__zhetygen_altynkol",
    20,
    "Sketch: no public geometry. Zhetygen is a bend "
    "in the OSM Turksib line (approx.), Altynkol a station point; the four points between are "
    "estimates along the Ili valley.",
)
_m(
    "kz_cn_rail_khorgos__altynkol_khorgos",
    5,
    "Straight join from Altynkol station to an "
    "estimated point for Khorgos (Huoerguosi) station in China; the border link itself is short, "
    "but the CN station position is an estimate.",
)
_m(
    "kz_cn_rail_tacheng__ayagoz_bakhty",
    25,
    "Sketch of a line under construction: Ayagoz is a "
    "gazetteer town point, Urzhar/Makanchi points are estimates, Bakhty from the Baketu port page "
    "(arc-minute precision). Alignment not published.",
)
_m(
    "kz_cn_rail_tacheng__bakhty_tacheng",
    10,
    "Straight join from the Baketu/Bakhty port point to "
    "the Tacheng gazetteer town point (~17 km); the CN railway alignment is not drawn.",
)
_m(
    "titr_kz_rail__altynkol_almaty",
    20,
    "Mixed: Altynkol to Zhetygen (~250 km) is the same "
    "estimated sketch as the Zhetygen-Altynkol railway (no public geometry); Zhetygen to Almaty-1 "
    "follows the OpenStreetMap Turksib (larswalters). Accuracy is that of the sketched part.",
)
_m(
    "titr_kz_rail__almaty_shymkent",
    2,
    "OpenStreetMap railway routed by the larswalters atlas "
    "(Almaty-1, Shu, Taraz, Shymkent station).",
)
_m(
    "titr_kz_rail__shymkent_saksaulskaya",
    2,
    "OpenStreetMap railway routed by the larswalters "
    "atlas (Shymkent, Arys, Turkestan, Kyzylorda, Aral, Saksaulskaya).",
)
_m(
    "titr_kz_rail__saksaulskaya_beyneu",
    2,
    "OpenStreetMap railway routed by the larswalters atlas "
    "via Shalkar (reversal onto the Shalkar-Beyneu line).",
)
_m(
    "titr_kz_rail__beyneu_aktau",
    2,
    "OpenStreetMap railway routed by the larswalters atlas to Mangyshlak and the Aktau port quay.",
)
_m(
    "cagp_abc__bagtyyarlyk_uz_border",
    2,
    "OpenStreetMap pipeline from the Bagtyyarlyk plant to a "
    "vertex near the TM/UZ border: only ~10 km of the 188 km Turkmen section is drawn; the OSM "
    "line starts at Bagtyyarlyk (Galkynysh-Bagtyyarlyk is not mapped).",
)
_m(
    "cagp_abc__uzbekistan",
    2,
    "OpenStreetMap pipeline ways (lines A/B/C drawn as one line) from "
    "the TM/UZ border area to the UZ/KZ border node.",
)
_m(
    "cagp_abc__kazakhstan",
    2,
    "OpenStreetMap pipeline ways across Kazakhstan (Shymkent, Almaty "
    "bypass) to the KZ/CN border and the Khorgos station ~4.6 km inside China; lines drawn as "
    "one.",
)
_m(
    "cagp_d__uzbekistan",
    30,
    "Sketch of a planned line: route not published. Border points are "
    "estimates, Sherobod and Denov are gazetteer town points (via Surkhandarya per CNPC).",
)
_m(
    "cagp_d__tajikistan",
    30,
    "Sketch of a planned line: route not published. Town points "
    "(gazetteer) Vahdat-Obigarm-Gharm-Jirgatol and estimated border/Rudaki points; 42 tunnels "
    "not drawn.",
)
_m(
    "cagp_d__kyrgyzstan",
    20,
    "Sketch of a planned line: Karamyk estimate, Daroot-Korgon, "
    "Sary-Tash and the Irkeshtam post are sourced town/post points; the pipeline route between "
    "them is not published.",
)
_m(
    "cagp_d__china",
    20,
    "Sketch of a planned line: straight from the Irkeshtam post to the Wuqia (Ulugqat) town point.",
)
_m(
    "kz_cn_oil__atyrau_kenkiyak",
    30,
    "Straight line between the Atyrau (Shmanov) and Kenkiyak "
    "pumping stations: the alignment is not known (the OSM lines exist but were not extracted).",
)
_m(
    "kz_cn_oil__kenkiyak_kumkol",
    30,
    "Sketch: Kenkiyak and Kumkol pumping stations are sourced; "
    "the Shalkar and Aralsk-area points are estimates (alignment assumed to follow the "
    "Kandyagash-Aral corridor).",
)
_m(
    "kz_cn_oil__kumkol_atasu",
    30,
    "Sketch via the Dzhumagaliev pumping station (identity not "
    "confirmed); straight lines between three station points over ~560 km.",
)
_m(
    "kz_cn_oil__atasu_alashankou",
    2,
    "OpenStreetMap pipeline way 269866896 (larswalters) from "
    "Atasu to the Alashankou metering station.",
)
_m(
    "kz_cn_oil__alashankou_dushanzi",
    3,
    "OpenStreetMap pipeline ways (larswalters) to the "
    "Dushanzi refinery; one way (578818723, 20.9 km) is tagged fixme=replace and drawn straight, "
    "hence 3 km.",
)
_m(
    "cku_highway__kashgar_irkeshtam",
    1.5,
    "Mapy.cz route-planner road (OpenStreetMap) "
    "Kashgar-Wuqia-Irkeshtam, joined to the OSRM Kashgar point and the OSRM snap point at the "
    "Irkeshtam post.",
)
_m(
    "cku_highway__irkeshtam_osh",
    1.5,
    "Mapy.cz route-planner road (OpenStreetMap): Irkeshtam-"
    "Sary-Tash from the Sary-Tash-Kashgar track and Sary-Tash-Taldyk-Gulcha-Osh from the "
    "Osh-Karakul track, joined at Sary-Tash.",
)
_m(
    "cku_highway__osh_andijan",
    2,
    "OSRM road (OpenStreetMap) simplified at 0.02 deg (~2 km), so "
    "bends are cut; the vertex labelled 'Dostuk/Dustlik crossing area' is a simplification "
    "vertex inside Uzbekistan, not the post.",
)
_m(
    "cku_highway__andijan_tashkent",
    2,
    "OSRM road (OpenStreetMap) via Namangan, Pap, Kamchik "
    "pass and Angren, simplified at 0.02 deg (~2 km): bends are cut, so the line is shorter than "
    "the road.",
)
_m(
    "cn_tj_highway__kashgar_kulma",
    20,
    "Sketch: Kashgar (OSRM point) and Kulma Pass (Wikipedia) "
    "are sourced; Upal, Gez, Karakul lake and Karasu are estimates along the Karakoram highway.",
)
_m(
    "cn_tj_highway__kulma_khorog",
    15,
    "Mixed: Murghab-Alichur-Bulunkul turn-off (~150 km) is a "
    "coarse OSRM road (OpenStreetMap, chords up to 17 km); Kulma-Murghab and turn-off-Koi-Tezek-"
    "Jelondy-Khorog are sketches through estimated points. The Alichur itinerary point is ~2.7 "
    "km off the coarse OSRM road and is not a vertex.",
)
_m(
    "cn_tj_highway__khorog_kalaikhumb",
    2,
    "Coarse OSRM road (OpenStreetMap, overview=simplified, "
    "chords up to 28 km on straight river stretches) along the Panj via Rushan and Vanj, joined to "
    "the Khorog and Kalaikhumb town points.",
)
_m(
    "cn_tj_highway__kalaikhumb_dushanbe",
    20,
    "Sketch of the southern route via Shuroobod, Kulob, "
    "Danghara and the Shar-Shar tunnel (estimate); the available OSRM track takes the northern "
    "Tavildara road and was not used.",
)
_m(
    "tj_dushanbe_chanak_road__dushanbe_chanak",
    25,
    "Sketch: Anzob and Shahristan passes drawn "
    "straight through estimated tunnel points; gazetteer towns Varzob, Ayni, Shahriston. The line "
    "is about a third shorter than the 354 km road.",
)
_m(
    "kg_north_south_road__balykchy_kyzyljyldyz",
    20,
    "Sketch: Balykchy, Kochkor and Chaek town "
    "points are sourced; the Kyzart pass and Kyzyl-Jyldyz (km 183) are estimates.",
)
_m(
    "kg_north_south_road__kyzyljyldyz_aral",
    15,
    "Straight join between two estimated km-post places (Kyzyl-Jyldyz km 183, Aral km 195).",
)
_m(
    "kg_north_south_road__aral_kazarman",
    20,
    "Sketch: Aral and the Naryn-gorge point are estimates; Kazarman is a sourced town point.",
)
_m(
    "kg_north_south_road__kazarman_jalalabad",
    20,
    "Sketch: Kazarman and Jalal-Abad are sourced; "
    "the Kok-Art tunnel (km 334-338) and the valley point are estimates.",
)
_m(
    "we_wc_highway__khorgos_almaty",
    20,
    "Sketch: Khorgos (Nominatim), Nur Zholy and Zharkent "
    "are sourced; Koktal, Kokpek and Shelek are gazetteer towns and two points are estimates; "
    "which of the Kokpek/Shelek roads the corridor uses is not resolved.",
)
_m(
    "we_wc_highway__almaty_kordai",
    2,
    "Mapy.cz route-planner road (OpenStreetMap) from the "
    "western exit of Almaty to Kordai, joined to the Almaty city point (~3.8 km). Whether the "
    "track uses the new Kenen-Kainar bypass of the Kordai pass is not verified.",
)
_m(
    "we_wc_highway__kordai_shymkent",
    15,
    "Sketch between town points (Kordai, Merke, Taraz, "
    "Shymkent sourced; Lugovoy, Tyulkubas gazetteer).",
)
_m(
    "we_wc_highway__shymkent_kyzylorda",
    15,
    "Sketch between gazetteer town points (Turkestan, "
    "Zhanakorgan, Shieli, Kyzylorda) and one estimate.",
)
_m(
    "we_wc_highway__kyzylorda_aktobe",
    20,
    "Sketch between gazetteer town points with chords up to ~210 km (Aral-Irgiz-Karabutak-Aktobe).",
)
_m(
    "we_wc_highway__aktobe_ru_border",
    15,
    "Sketch: Aktobe and Martuk gazetteer towns and an estimated Zhaisan border point.",
)

# Reported lengths to compare with (km, label, applies to exactly the drawn piece?).
REPORTED: dict[str, list[tuple[float, str, bool]]] = {
    "cku_railway__kashgar_torugart": [(213, "CN section 213 km (Railway Gazette 2024)", True)],
    "cku_railway__torugart_makmal": [(160, "Torugart-Makmal 160 km (24.kg 2025-12-05)", True)],
    "cku_railway__makmal_jalalabad": [(145, "Makmal-Jalal-Abad 145 km (24.kg 2025-12-05)", True)],
    "cku_railway__jalalabad_andijan": [
        (50, "UZ section 50 km only (RG); the KG stretch Jalal-Abad-border has no figure", False)
    ],
    "kz_cn_rail_dostyk__aktogay_dostyk": [
        (
            332.3,
            "Aktogay-Dostyk 332.3 km: OSM-routed length (larswalters), not an official figure",
            True,
        )
    ],
    "kz_cn_rail_dostyk__dostyk_alashankou": [
        (17.6, "Dostyk-Alashankou 17.6 km (facts.md table; origin not stated)", True)
    ],
    "kz_cn_rail_khorgos__zhetygen_altynkol": [(293, "Zhetygen-Altynkol 293 km (UIC 2013)", True)],
    "kz_cn_rail_tacheng__ayagoz_bakhty": [
        (272, "Ayagoz-Bakhty 272 km (Railway Gazette 2024); may include the line to Tacheng", True)
    ],
    "kz_cn_rail_tacheng__bakhty_tacheng": [
        (17, "port 17 km from Tacheng (china.org.cn): a distance, not a rail length", False)
    ],
    "cagp_abc__bagtyyarlyk_uz_border": [
        (
            188,
            "TM section 188 km (Offshore Technology) starts "
            "at Galkynysh/Saman-Depe; only ~10 km drawn",
            False,
        )
    ],
    "cagp_abc__uzbekistan": [(530, "UZ section 530 km (Offshore Technology; Trend)", True)],
    "cagp_abc__kazakhstan": [
        (1115, "KZ 1,115 km derived (1,833-188-530)", True),
        (1300, "KZ 1,300 km planning figure (Khabar 2008)", True),
    ],
    "cagp_d__uzbekistan": [(205, "UZ 205 km (Trend 2024-02-06)", True)],
    "cagp_d__tajikistan": [(391, "TJ 391 km (Trend 2024-02-06)", True)],
    "cagp_d__kyrgyzstan": [(215, "KG 215 km (Trend 2024-02-06)", True)],
    "cagp_d__china": [(155, "CN 155 km (Trend 2024-02-06)", True)],
    "kz_cn_oil__atyrau_kenkiyak": [(449, "Kenkiyak-Atyrau 449 km (GEM; KMG)", True)],
    "kz_cn_oil__kenkiyak_kumkol": [(794, "Kenkiyak-Kumkol 794 km (kcp.kz)", True)],
    "kz_cn_oil__atasu_alashankou": [
        (962, "Atasu-Alashankou 962 km (RFE/RL 2006)", True),
        (987, "987 km (Wikipedia)", True),
    ],
    "kz_cn_oil__alashankou_dushanzi": [
        (246, "Alashankou-Dushanzi 246 km (Wikipedia)", True),
        (252, "252 km (RFE/RL)", True),
    ],
    "cku_highway__kashgar_irkeshtam": [
        (235, "OSRM road length Kashgar-Irkeshtam 235 km (fullprompt)", True)
    ],
    "cku_highway__irkeshtam_osh": [
        (257, "OSRM road length 257 km (fullprompt)", True),
        (240, "Irkeshtam-Osh 240 km (kg.vesti.news)", True),
    ],
    "cku_highway__osh_andijan": [(53, "OSRM road length 53 km (fullprompt)", True)],
    "cku_highway__andijan_tashkent": [(359, "OSRM road length 359 km (fullprompt)", True)],
    "cn_tj_highway__kashgar_kulma": [(220, "Kulma-Kashgar 220 km (Wikipedia)", True)],
    "cn_tj_highway__khorog_kalaikhumb": [
        (92, "Qalai-Khumb-Vanj 92 km only (Asia-Plus); no figure for Kalaikhumb-Khorog", False)
    ],
    "tj_dushanbe_chanak_road__dushanbe_chanak": [
        (354, "Dushanbe-Chanak 354 km toll road (Asia-Plus)", True)
    ],
    "kg_north_south_road__balykchy_kyzyljyldyz": [(183, "phase 3, km 0-183 (24.kg)", True)],
    "kg_north_south_road__kyzyljyldyz_aral": [(12, "km 183-195 (24.kg)", True)],
    "kg_north_south_road__aral_kazarman": [(96, "phase 2, 96 km (24.kg)", True)],
    "kg_north_south_road__kazarman_jalalabad": [(142, "km 291-433 (24.kg)", True)],
}

# Corridor totals (segments summed) for information.
CORRIDOR_REPORTED: dict[str, tuple[float, str]] = {
    "cku_railway": (523, "523 km (Railway Gazette 2024)"),
    "cagp_abc": (1833, "1,833 km per line incl. 188 km TM (GEM)"),
    "cagp_d": (966, "966 km (Trend 2024)"),
    "cku_highway": (950, "950 km Kashgar-Osh-Tashkent (People's Daily)"),
    "cn_tj_highway": (1070, "~1,070 km = Kulma-Kashgar 220 + Kulma-Dushanbe ~850 (Wikipedia)"),
    "kg_north_south_road": (433, "433 km (24.kg)"),
    "we_wc_highway": (2787, "KZ section 2,787 km (europe-china.kz)"),
}


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------
@dataclass
class PlaceDef:
    """A place: where its coordinates come from and what it is."""

    place_id: str
    name: str
    kind: str
    countries: str
    corridor_ids: str
    at: tuple  # ("wp", corridor, seq) | ("x", crossing-name prefix) | ("fixed", lat, lon, src)
    accuracy: float
    note: str = ""
    extra_sources: list[str] = field(default_factory=list)


P = PlaceDef
PLACES: list[PlaceDef] = [
    # ---- border crossings ----
    P(
        "torugart_pass",
        "Torugart Pass",
        "border_crossing",
        "KGZ;CHN",
        "cku_railway",
        ("x", "Torugart Pass"),
        1,
        "Pass on the KG/CN border (3,752 m); road crossing and the CKU "
        "railway's border point. Chinese customs are at the Torugart port in Ulugqat county, "
        "~110 km before the pass.",
    ),
    P(
        "irkeshtam",
        "Irkeshtam",
        "border_crossing",
        "KGZ;CHN",
        "cku_highway;cagp_d",
        ("x", "Irkeshtam (KG/CN) - OSRM"),
        2,
        "OSRM road snap point at the border post "
        "(simplified at 0.02 deg). The Mapy.cz road passes ~0.15 km from it.",
    ),
    P(
        "irkeshtam_pass",
        "Irkeshtam Pass",
        "pass",
        "KGZ",
        "cku_highway",
        ("x", "Irkeshtam Pass"),
        1,
        "3,005 m, ~13 km west of the border post.",
    ),
    P(
        "khorgos_nur_zholy",
        "Nur Zholy (KZ) - Khorgos (CN) road crossing",
        "border_crossing",
        "KAZ;CHN",
        "we_wc_highway",
        ("x", "Khorgos (CN) / Nur Zholy (KZ)"),
        1,
        "Point is the Nur Zholy post on the KZ side.",
    ),
    P(
        "altynkol_khorgos_rail",
        "Altynkol (KZ) - Khorgos (CN) rail crossing",
        "border_crossing",
        "KAZ;CHN",
        "kz_cn_rail_khorgos;titr_kz_rail",
        ("x", "Altynkol (KZ)"),
        1,
        "Point is Altynkol station, the KZ border station (1520/1435 mm break of gauge), a few km "
        "west of the border.",
    ),
    P(
        "cagp_kz_cn_border_khorgos",
        "CAGP gas pipeline KZ/CN border (Khorgos)",
        "border_crossing",
        "KAZ;CHN",
        "cagp_abc",
        ("x", "CAGP gas pipeline KZ/CN"),
        1,
        "Nominatim border point quoted in the larswalters route brief; the OSM pipeline vertex at "
        "the border is ~0.7 km away.",
    ),
    P(
        "dostyk_alashankou",
        "Dostyk (KZ) - Alashankou (CN) crossing",
        "border_crossing",
        "KAZ;CHN",
        "kz_cn_rail_dostyk",
        ("x", "Dostyk (KZ) - Alashankou (CN): Dostyk"),
        1,
        "Rail (break of gauge) and road crossing; point is Dostyk station on the KZ side "
        "(Nominatim). Alashankou station is a separate place.",
    ),
    P(
        "alashankou_oil_metering",
        "Alashankou oil metering station",
        "border_crossing",
        "KAZ;CHN",
        "kz_cn_oil",
        ("x", "Alashankou oil metering"),
        1,
        "End of the Atasu-Alashankou OSM pipeline way at the KZ/CN border; start of the "
        "Alashankou-Dushanzi line.",
    ),
    P(
        "bakhty_baketu",
        "Bakhty (KZ) - Baketu (CN)",
        "border_crossing",
        "KAZ;CHN",
        "kz_cn_rail_tacheng",
        ("x", "Bakhty (KZ)"),
        2,
        "Road port 17 km from Tacheng; the Ayagoz-Bakhty-Tacheng railway (opening 2027) crosses "
        "here. Coordinates given to the arc-minute.",
    ),
    P(
        "kulma_pass",
        "Kulma Pass",
        "border_crossing",
        "TJK;CHN",
        "cn_tj_highway",
        ("x", "Kulma Pass"),
        1,
        "4,362 m; the only TJ/CN road crossing (opened 2004); Karasu port "
        "of entry ~14 km on the Chinese side.",
    ),
    P(
        "kyzyl_art_pass",
        "Kyzyl-Art Pass (Bor-Dobo)",
        "border_crossing",
        "KGZ;TJK",
        "",
        ("x", "Kyzyl-Art Pass"),
        1,
        "KG/TJ crossing on the Osh-Murghab Pamir highway (M41); no "
        "corridor segment is drawn over it.",
    ),
    P(
        "karamyk",
        "Karamyk",
        "border_crossing",
        "KGZ;TJK",
        "cagp_d",
        ("x", "Karamyk (KG/TJ)"),
        10,
        "Estimate (not a sourced coordinate): KG/TJ crossing of CAREC corridor 3 and the assumed "
        "KG/TJ border point of gas Line D.",
    ),
    P(
        "dostuk_dustlik",
        "Dostuk (KG) - Dustlik (UZ), Osh-Andijan road",
        "border_crossing",
        "KGZ;UZB",
        "cku_highway",
        ("fixed", 40.5793, 72.7491, "corridormap_estimate"),
        5,
        "Estimate, derived: where the OSRM Osh-Andijan road line crosses the KGZ/UZB border of "
        "Natural Earth 1:10m (geo/countries.geojson). The UZ customs seed gives 40.4443, 72.3436 "
        "for the Do'stlik post (~37 km WSW, not on this road) and the reference's OSRM 'crossing "
        "area' vertex (40.707, 72.465) lies inside Uzbekistan; neither is used.",
    ),
    P(
        "yallama",
        "Yallama (UZ) - Zhibek Zholy (KZ)",
        "border_crossing",
        "KAZ;UZB",
        "",
        ("x", "Yallama (UZ)"),
        15,
        "Shymkent-Tashkent road. Sources disagree by ~27 km (UZ customs "
        "seed used; fullprompt gives 41.479, 69.3587 'approximate'), hence 15 km. No corridor "
        "segment is drawn through it.",
    ),
    P(
        "oybek_chanak",
        "Oybek (UZ) - Fotehobod/Chanak (TJ)",
        "border_crossing",
        "TJK;UZB",
        "tj_dushanbe_chanak_road",
        ("x", "Oybek (UZ)"),
        2,
        "End of the Dushanbe-Chanak toll road.",
    ),
    P(
        "cagp_uz_kz_border",
        "CAGP gas pipeline UZ/KZ border node",
        "border_crossing",
        "UZB;KAZ",
        "cagp_abc",
        ("x", "CAGP gas pipeline UZ/KZ"),
        1,
        "OSM way split at the border.",
    ),
    P(
        "cagp_tm_uz_border",
        "CAGP gas pipeline TM/UZ border (Gedaim)",
        "border_crossing",
        "TKM;UZB",
        "cagp_abc",
        ("wp", "cagp_abc", 2),
        3,
        "OSM pipeline vertex ~11 km from the Bagtyyarlyk plant where the border lies according to "
        "Nominatim distances (Gedaim area); the exact crossing is not marked in the source.",
    ),
    P(
        "cagp_d_tm_uz_border",
        "Gas Line D TM/UZ border (Amu Darya)",
        "border_crossing",
        "TKM;UZB",
        "cagp_d",
        ("wp", "cagp_d", 1),
        30,
        "Estimate: Line D route not published.",
    ),
    P(
        "cagp_d_uz_tj_border",
        "Gas Line D UZ/TJ border (near Tursunzoda)",
        "border_crossing",
        "UZB;TJK",
        "cagp_d",
        ("wp", "cagp_d", 4),
        20,
        "Estimate: Line D route not published.",
    ),
    P(
        "aktau_port",
        "Aktau sea port",
        "port",
        "KAZ",
        "titr_kz_rail",
        ("x", "Aktau sea port"),
        1,
        "Rail at the quay; ferry/ro-ro to Baku-Alyat (TITR).",
    ),
    P(
        "zhaisan_sagarchin",
        "Zhaisan (KZ) - Sagarchin (RU)",
        "border_crossing",
        "KAZ;RUS",
        "we_wc_highway",
        ("x", "Zhaisan (KZ)"),
        15,
        "Estimate: end of the WE-WC road in Kazakhstan.",
    ),
    # ---- cities, stations, terminals on the corridors ----
    P(
        "kashgar",
        "Kashgar",
        "city",
        "CHN",
        "cku_railway;cku_highway;cn_tj_highway",
        ("wp", "cku_highway", 1),
        2,
        "OSRM start point (city); also used as the CKU railway terminus.",
    ),
    P(
        "wuqia",
        "Wuqia (Ulugqat)",
        "city",
        "CHN",
        "cku_highway;cagp_d",
        ("wp", "cagp_d", 14),
        3,
        "Town point; terminus of gas Line D per Chinese sources.",
    ),
    P(
        "makmal",
        "Makmal",
        "station",
        "KGZ",
        "cku_railway",
        ("wp", "cku_railway", 9),
        15,
        "Estimate: planned 1435/1520 mm transshipment station, location not published (~15 km SE "
        "of Kazarman assumed).",
    ),
    P(
        "kosh_dobo",
        "Kosh-Dobo",
        "city",
        "KGZ",
        "cku_railway",
        ("wp", "cku_railway", 8),
        2,
        "Village named on the CKU route; point is a Silk Road Mountain Race resupply point. The "
        "station location is not published.",
    ),
    P(
        "jalal_abad",
        "Jalal-Abad",
        "city",
        "KGZ",
        "cku_railway;kg_north_south_road",
        ("wp", "cku_railway", 13),
        2,
        "",
    ),
    P(
        "andijan",
        "Andijan",
        "city",
        "UZB",
        "cku_railway;cku_highway",
        ("wp", "cku_highway", 43),
        2,
        "OSRM leg end point (city).",
    ),
    P(
        "osh",
        "Osh",
        "city",
        "KGZ",
        "cku_highway",
        ("wp", "cku_highway", 38),
        2,
        "OSRM leg end point (city).",
    ),
    P(
        "tashkent",
        "Tashkent",
        "city",
        "UZB",
        "cku_highway",
        ("wp", "cku_highway", 62),
        2,
        "OSRM end point (city).",
    ),
    P(
        "sary_tash",
        "Sary-Tash",
        "city",
        "KGZ",
        "cku_highway;cagp_d",
        ("wp", "cagp_d", 12),
        2,
        "Village at the M41/Irkeshtam road junction. The reference's OSRM vertex 'Sary-Tash "
        "junction' (39.742, 73.156) is a road vertex ~8 km west, not the village.",
    ),
    P("murghab", "Murghab", "city", "TJK", "cn_tj_highway", ("wp", "cn_tj_highway", 8), 2, ""),
    P(
        "alichur",
        "Alichur",
        "city",
        "TJK",
        "cn_tj_highway",
        ("wp", "cn_tj_highway", 10),
        6,
        "Itinerary point lies ~5 km from the OSRM M41 road line, which runs through the village; "
        "one of the two is off. Not verified.",
    ),
    P("khorog", "Khorog", "city", "TJK", "cn_tj_highway", ("wp", "cn_tj_highway", 15), 2, ""),
    P(
        "kalaikhumb",
        "Kalaikhumb (Qal'ai Khumb)",
        "city",
        "TJK",
        "cn_tj_highway",
        ("wp", "cn_tj_highway", 18),
        2,
        "",
    ),
    P("kulob", "Kulob", "city", "TJK", "cn_tj_highway", ("wp", "cn_tj_highway", 21), 2, ""),
    P(
        "dushanbe",
        "Dushanbe",
        "city",
        "TJK",
        "cn_tj_highway;tj_dushanbe_chanak_road",
        ("wp", "cn_tj_highway", 24),
        2,
        "",
    ),
    P(
        "istaravshan",
        "Istaravshan",
        "city",
        "TJK",
        "tj_dushanbe_chanak_road",
        ("wp", "tj_dushanbe_chanak_road", 8),
        2,
        "Point is the Hazrati Shoh complex in town.",
    ),
    P(
        "balykchy",
        "Balykchy",
        "city",
        "KGZ",
        "kg_north_south_road",
        ("wp", "kg_north_south_road", 1),
        2,
        "km 0 of the North-South road.",
    ),
    P(
        "kyzyl_jyldyz",
        "Kyzyl-Jyldyz",
        "city",
        "KGZ",
        "kg_north_south_road",
        ("wp", "kg_north_south_road", 5),
        15,
        "Estimate (km 183).",
    ),
    P(
        "aral_kg",
        "Aral (Jumgal)",
        "city",
        "KGZ",
        "kg_north_south_road",
        ("wp", "kg_north_south_road", 6),
        15,
        "Estimate (km 195).",
    ),
    P(
        "kazarman",
        "Kazarman",
        "city",
        "KGZ",
        "kg_north_south_road;cku_railway",
        ("wp", "kg_north_south_road", 8),
        2,
        "km 291 of the North-South road; the CKU railway passes nearby (Koshtoba/Kazarman tunnel).",
    ),
    P(
        "almaty",
        "Almaty",
        "city",
        "KAZ",
        "we_wc_highway;titr_kz_rail;cagp_abc",
        ("wp", "we_wc_highway", 9),
        2,
        "City point; the railway segment ends at Almaty-1 (separate place).",
    ),
    P(
        "almaty_1",
        "Almaty-1 station",
        "station",
        "KAZ",
        "titr_kz_rail",
        ("wp", "titr_kz_rail", 20),
        2,
        "OSM railway vertex in the Almaty-1 station area.",
    ),
    P(
        "khorgos_cn",
        "Khorgos (Huoerguosi), CN",
        "city",
        "CHN",
        "we_wc_highway;kz_cn_rail_khorgos",
        ("x", "Khorgos town (CN side"),
        1,
        "Town on the CN side (start of the WE-WC road). The CN railway station is drawn at an "
        "estimated point ~1.6 km SSE (not a separate place).",
    ),
    P("kordai", "Kordai", "city", "KAZ", "we_wc_highway", ("wp", "we_wc_highway", 12), 2, ""),
    P(
        "shymkent",
        "Shymkent",
        "city",
        "KAZ",
        "we_wc_highway;titr_kz_rail;cagp_abc",
        ("wp", "we_wc_highway", 17),
        2,
        "City point; the railway segments meet at Shymkent station "
        "(42.2987, 69.6103; Nominatim), ~5 km south.",
    ),
    P(
        "kyzylorda",
        "Kyzylorda",
        "city",
        "KAZ",
        "we_wc_highway;titr_kz_rail",
        ("wp", "titr_kz_rail", 132),
        2,
        "OSM railway vertex in the Kyzylorda station area; the "
        "road sketch uses a gazetteer point ~0.6 km away.",
    ),
    P(
        "aktobe",
        "Aktobe",
        "city",
        "KAZ",
        "we_wc_highway",
        ("wp", "we_wc_highway", 31),
        8,
        "Gazetteer town point.",
    ),
    P(
        "atyrau_shmanov",
        "Atyrau (Shmanov pumping station)",
        "terminal",
        "KAZ",
        "kz_cn_oil",
        ("wp", "kz_cn_oil", 1),
        1,
        "West end of the Kazakhstan-China oil pipeline system.",
    ),
    P(
        "kenkiyak",
        "Kenkiyak head pumping station",
        "terminal",
        "KAZ",
        "kz_cn_oil",
        ("wp", "kz_cn_oil", 2),
        1,
        "",
    ),
    P(
        "kumkol",
        "Kumkol head pumping station",
        "terminal",
        "KAZ",
        "kz_cn_oil",
        ("wp", "kz_cn_oil", 5),
        1,
        "",
    ),
    P(
        "atasu",
        "Atasu head pumping station",
        "terminal",
        "KAZ",
        "kz_cn_oil",
        ("wp", "kz_cn_oil", 7),
        1,
        "Start of the Atasu-Alashankou pipeline (near Zhanaarka).",
    ),
    P(
        "dushanzi",
        "Dushanzi refinery",
        "terminal",
        "CHN",
        "kz_cn_oil",
        ("wp", "kz_cn_oil_cn_link", 24),
        1,
        "End of the OSM pipeline (PetroChina refinery).",
    ),
    P(
        "aktogay",
        "Aktogay junction",
        "station",
        "KAZ",
        "kz_cn_rail_dostyk",
        ("wp", "kz_cn_rail_dostyk", 1),
        2,
        "Turksib junction for the Dostyk branch.",
    ),
    P(
        "alashankou_station",
        "Alashankou station",
        "station",
        "CHN",
        "kz_cn_rail_dostyk",
        ("wp", "kz_cn_rail_dostyk", 44),
        1,
        "",
    ),
    P(
        "zhetygen",
        "Zhetygen junction",
        "station",
        "KAZ",
        "kz_cn_rail_khorgos;titr_kz_rail",
        ("wp", "kz_cn_rail_khorgos", 1),
        3,
        "Bend/loop in the OSM Turksib line taken as the junction (approx.).",
    ),
    P(
        "ayagoz",
        "Ayagoz",
        "station",
        "KAZ",
        "kz_cn_rail_tacheng",
        ("wp", "kz_cn_rail_tacheng", 1),
        8,
        "Gazetteer town point (Turksib junction).",
    ),
    P(
        "tacheng",
        "Tacheng (Chuguchak)",
        "city",
        "CHN",
        "kz_cn_rail_tacheng",
        ("wp", "kz_cn_rail_tacheng", 6),
        8,
        "Gazetteer town point.",
    ),
    P(
        "saksaulskaya",
        "Saksaulskaya",
        "station",
        "KAZ",
        "titr_kz_rail",
        ("wp", "titr_kz_rail", 169),
        2,
        "OSM railway vertex in the station area.",
    ),
    P(
        "beyneu",
        "Beyneu junction",
        "station",
        "KAZ",
        "titr_kz_rail",
        ("wp", "titr_kz_rail", 217),
        2,
        "OSM railway vertex in the junction area.",
    ),
    P(
        "bagtyyarlyk",
        "Bagtyyarlyk gas processing plant",
        "terminal",
        "TKM",
        "cagp_abc",
        ("wp", "cagp_abc", 1),
        2,
        "CNPC plant, start of the OSM pipeline (Saman-Depe area).",
    ),
    P(
        "khorgos_gas_station",
        "Khorgos (Huocheng) gas pipeline station",
        "terminal",
        "CHN",
        "cagp_abc",
        ("wp", "cagp_abc", 155),
        1,
        "End of the OSM way 1324617060; connects to the West-East pipelines.",
    ),
]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def geodesic_km(coords: list[tuple[float, float]]) -> float:
    """Geodesic length of a lon/lat line on WGS84, km."""
    return GEOD.geometry_length(LineString(coords)) / 1000.0


def point_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two lon/lat points, km."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def dist_to_line_km(pt: tuple[float, float], coords: list[tuple[float, float]]) -> float:
    """Distance from a lon/lat point to a lon/lat line, km (azimuthal equidistant at the point)."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={pt[1]} +lon_0={pt[0]} +datum=WGS84 +units=m")
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xs, ys = tr.transform([c[0] for c in coords], [c[1] for c in coords])
    line = LineString(list(zip(xs, ys, strict=True))) if len(coords) > 1 else Point(xs[0], ys[0])
    return line.distance(Point(0.0, 0.0)) / 1000.0


def _local_xy(lon: float, lat: float, lat0: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(lat0)), lat


def cut_track(
    coords: list[tuple[float, float]],
    start: tuple[float, float] | None,
    end: tuple[float, float] | None,
) -> list[tuple[float, float]]:
    """Keep the track vertices between the projections of ``start`` and ``end`` onto it.

    Projection is done in a local equirectangular plane. A vertex exactly at a projection is
    kept, so a sourced end point joined to the result never doubles back along the track.
    """
    lat0 = sum(c[1] for c in coords) / len(coords)
    xy = [_local_xy(lon, lat, lat0) for lon, lat in coords]
    line = LineString(xy)
    along = [0.0]
    for a, b in zip(xy, xy[1:], strict=False):
        along.append(along[-1] + math.dist(a, b))
    lo = line.project(Point(_local_xy(*start, lat0))) if start else -1.0
    hi = line.project(Point(_local_xy(*end, lat0))) if end else along[-1] + 1.0
    eps = 1e-12
    return [c for c, s in zip(coords, along, strict=True) if lo - eps <= s <= hi + eps]


def fmt(x: float) -> str:
    """Format a number for the CSV (no trailing .0)."""
    return f"{x:g}"


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------
@dataclass
class Segment:
    """A built segment: its line, vertex sources and what it covered."""

    segment_id: str
    corridor_id: str
    layer: str
    from_place: str
    to_place: str
    wp_corridor: str
    seq_from: int
    seq_to: int
    coords: list[tuple[float, float]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # one per vertex


class Reference:
    """The reference files, indexed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.wp = pd.read_csv(folder / "waypoints.csv")
        self.x = pd.read_csv(folder / "crossings.csv")
        self.tracks = pd.read_csv(folder / "tracks" / "tracks.csv")
        unknown = sorted((set(self.wp["source"]) | set(self.x["source"])) - set(SOURCE_TEXT_TO_ID))
        if unknown:
            sys.exit(
                "unmapped source texts (add them to SOURCE_TEXT_TO_ID):\n" + "\n".join(unknown)
            )
        self.wp["source_id"] = self.wp["source"].map(SOURCE_TEXT_TO_ID)
        self.x["source_id"] = self.x["source"].map(SOURCE_TEXT_TO_ID)
        self.wp = self.wp.sort_values(["corridor_id", "seq"], kind="stable")

    def rows(self, corridor: str, a: int, b: int) -> pd.DataFrame:
        """Waypoint rows seq a..b (inclusive) of a corridor, in order; all must exist."""
        r = self.wp[(self.wp["corridor_id"] == corridor) & self.wp["seq"].between(a, b)]
        if list(r["seq"]) != list(range(a, b + 1)):
            sys.exit(f"waypoints {corridor} {a}..{b} incomplete")
        return r

    def point(self, corridor: str, seq: int) -> tuple[float, float]:
        """Lon/lat of one waypoint row."""
        r = self.rows(corridor, seq, seq).iloc[0]
        return float(r["lon"]), float(r["lat"])

    def track(self, line_id: str) -> list[tuple[float, float]]:
        """Lon/lat vertices of a tracks.csv line in file order."""
        t = self.tracks[self.tracks["line_id"] == line_id].sort_values("seq")
        if t.empty:
            sys.exit(f"track {line_id} not found")
        return list(zip(t["lon"].astype(float), t["lat"].astype(float), strict=True))

    def crossing(self, prefix: str) -> pd.Series:
        """The one crossings.csv row whose name starts with ``prefix``."""
        r = self.x[self.x["name"].str.startswith(prefix)]
        if len(r) != 1:
            sys.exit(f"crossing prefix {prefix!r} matches {len(r)} rows")
        return r.iloc[0]


def build_segment(ref: Reference, plan_row: tuple) -> Segment:
    """Draw one segment from its recipe (or its waypoint range)."""
    sid, layer, frm, to, wpc, a, b = plan_row
    seg = Segment(sid, sid.split("__")[0], layer, frm, to, wpc, a, b)
    recipe = RECIPES.get(sid, [("wp", wpc, a, b)])
    for part in recipe:
        if part[0] == "wp":
            _, corr, s0, s1 = part
            for r in ref.rows(corr, s0, s1).itertuples():
                seg.coords.append((float(r.lon), float(r.lat)))
                seg.sources.append(r.source_id)
        else:
            _, line_id, reverse, start, end = part
            if line_id not in TRACK_SOURCE:
                sys.exit(f"track {line_id} may not be shipped")
            coords = ref.track(line_id)
            if reverse:
                coords = coords[::-1]
            cut = cut_track(
                coords,
                ref.point(*start) if start else None,
                ref.point(*end) if end else None,
            )
            seg.coords.extend(cut)
            seg.sources.extend([TRACK_SOURCE[line_id]] * len(cut))
    # round, then drop consecutive duplicates
    out_c: list[tuple[float, float]] = []
    out_s: list[str] = []
    for (lon, lat), s in zip(seg.coords, seg.sources, strict=True):
        c = (round(lon, DECIMALS), round(lat, DECIMALS))
        if out_c and out_c[-1] == c:
            continue
        out_c.append(c)
        out_s.append(s)
    seg.coords, seg.sources = out_c, out_s
    return seg


def geometry_sources(seg: Segment) -> list[str]:
    """Source ids of the vertices, in order of first appearance."""
    seen: list[str] = []
    for s in seg.sources:
        if s not in seen:
            seen.append(s)
    return seen


def vertex_summary(seg: Segment) -> str:
    """One sentence counting the drawn vertices per source id."""
    counts = {s: seg.sources.count(s) for s in geometry_sources(seg)}
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"Vertices: {parts}."


def licence(src_ids: list[str]) -> str:
    """``ODbL`` if any vertex is OpenStreetMap-derived, else ``sketch``."""
    return "ODbL" if any(s in OSM_DERIVED for s in src_ids) else "sketch"


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------
def check_waypoints(ref: Reference, segs: list[Segment]) -> list[str]:
    """Check (a): sourced waypoints of each seq range within CHECK_KM of the drawn line."""
    problems = []
    print("\n(a) sourced waypoints vs drawn line (max distance per segment; > 2 km listed)")
    for seg in segs:
        rows = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
        sourced = rows[(rows["kind"] != "route_vertex") & (~rows["source_id"].isin(UNSOURCED))]
        worst = 0.0
        for r in sourced.itertuples():
            d = dist_to_line_km((float(r.lon), float(r.lat)), seg.coords)
            worst = max(worst, d)
            if d > CHECK_KM:
                problems.append(
                    f"{seg.segment_id}: {r.corridor_id} seq {r.seq} '{r.name[:50]}' "
                    f"({r.source_id}) is {d:.1f} km from the line"
                )
        # information: how far the replaced sketch/OSRM vertices are from a track line
        if seg.segment_id in RECIPES:
            dv = [
                dist_to_line_km((float(r.lon), float(r.lat)), seg.coords)
                for r in rows.itertuples()
                if r.source_id not in UNSOURCED
            ]
            extra = f"; all sourced rows incl. route vertices: max {max(dv):.1f} km"
        else:
            extra = ""
        print(f"  {seg.segment_id:44s} {len(sourced):3d} pts, max {worst:5.2f} km{extra}")
    return problems


def write_reference_waypoints(ref: Reference, segs: list[Segment], path: Path) -> int:
    """Write the sourced waypoints each segment must pass within CHECK_KM of (for the tests).

    Every sourced, named waypoint (not a bare route vertex, not an estimate or gazetteer point)
    in a segment's seq range. Where a real road track replaced the waypoint sketch, town
    centre points are left out: a road passes by a town centre, it does not run through it;
    border posts, passes and stations stay.
    """
    out = []
    for seg in segs:
        rows = ref.rows(seg.wp_corridor, seg.seq_from, seg.seq_to)
        keep = (rows["kind"] != "route_vertex") & (~rows["source_id"].isin(UNSOURCED))
        if seg.segment_id in RECIPES:
            keep &= rows["kind"] != "town"
        for r in rows[keep].itertuples():
            out.append(
                {
                    "segment_id": seg.segment_id,
                    "waypoints_corridor": r.corridor_id,
                    "seq": int(r.seq),
                    "name": r.name,
                    "kind": r.kind,
                    "lon": float(r.lon),
                    "lat": float(r.lat),
                    "source_id": r.source_id,
                }
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(out).to_csv(path, index=False, lineterminator="\n")
    return len(out)


def check_order(segs: list[Segment]) -> list[str]:
    """Order checks: long edges, near-reversals (zig-zags) and backtracking.

    An edge between two OpenStreetMap-derived vertices longer than 30 km is listed (a long
    straight chord in the source data); an edge with an unsourced end longer than 150 km is
    listed (a very coarse sketch). A turn of more than 150 degrees between legs over 3 km, or a
    vertex more than 25 km farther from the segment's end than an earlier vertex, is an order
    error candidate.
    """
    notes = []
    for seg in segs:
        c, src = seg.coords, seg.sources
        for i in range(len(c) - 1):
            d = point_km(c[i], c[i + 1])
            both_osm = src[i] in OSM_DERIVED and src[i + 1] in OSM_DERIVED
            if (both_osm and d > 30.0) or d > 150.0:
                kind = "long OSM-derived chord" if both_osm else "long sketch edge"
                notes.append(
                    f"{kind}: {seg.segment_id} v{i}->v{i + 1} {d:.1f} km ({src[i]} -> {src[i + 1]})"
                )
        for i in range(1, len(c) - 1):
            az1 = GEOD.inv(*c[i - 1], *c[i])[0]
            az2 = GEOD.inv(*c[i], *c[i + 1])[0]
            turn = abs((az2 - az1 + 180) % 360 - 180)
            d1, d2 = point_km(c[i - 1], c[i]), point_km(c[i], c[i + 1])
            if turn > 150 and min(d1, d2) > 3.0:
                notes.append(
                    f"REVERSAL {seg.segment_id} at v{i} {c[i]}: turn {turn:.0f} deg, "
                    f"legs {d1:.1f}/{d2:.1f} km"
                )
        end = c[-1]
        dists = [point_km(p, end) for p in c]
        best = dists[0]
        for i, dv in enumerate(dists):
            if dv > best + 25.0:
                notes.append(
                    f"BACKTRACK {seg.segment_id} at v{i} {c[i]}: {dv - best:.0f} km "
                    f"farther from the end than an earlier vertex"
                )
                best = dv  # report each excursion once
            best = min(best, dv)
    return notes


def check_bbox(segs: list[Segment], places: list[dict]) -> list[str]:
    """Check (c): coordinates inside lon 45-90, lat 35-55."""
    bad = []
    pts = [(s.segment_id, c) for s in segs for c in s.coords]
    pts += [(p["properties"]["place_id"], tuple(p["geometry"]["coordinates"])) for p in places]
    for name, (lon, lat) in pts:
        if not (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
            bad.append(f"{name}: {lon}, {lat} outside lon 45-90 / lat 35-55")
    return bad


def check_with_race_tracks(ref: Reference) -> None:
    """Check estimated CKU railway points against the SRMR course (information only)."""
    print(
        "\nCKU railway points vs the Silk Road Mountain Race 2024/2022 tracks (check only, "
        "nothing shipped):"
    )
    lines = {lid: ref.track(lid) for lid in RACE_TRACKS}
    for r in ref.rows("cku_railway", 5, 13).itertuples():
        ds = ", ".join(
            f"{lid.split('_', 1)[1][:18]} {dist_to_line_km((r.lon, r.lat), c):5.1f} km"
            for lid, c in lines.items()
        )
        print(f"  seq {r.seq:2d} {r.name[:48]:48s} [{r.source_id}] {ds}")


def length_table(segs: list[Segment], meta_acc: dict[str, float]) -> tuple[list, list[str]]:
    """Check (b): drawn geodesic length vs reported lengths."""
    rows, problems = [], []
    for seg in segs:
        km = geodesic_km(seg.coords)
        acc = meta_acc[seg.segment_id]
        lic = licence(geometry_sources(seg))
        reps = REPORTED.get(seg.segment_id, [])
        if not reps:
            rows.append((seg.segment_id, km, None, None, acc, lic, ""))
        for rep_km, label, exact in reps:
            diff = 100.0 * (km - rep_km) / rep_km
            rows.append(
                (
                    seg.segment_id,
                    km,
                    rep_km,
                    diff,
                    acc,
                    lic,
                    label + ("" if exact else " [not the same piece]"),
                )
            )
            if acc <= 2 and exact and abs(diff) > 10:
                problems.append(f"{seg.segment_id}: drawn {km:.1f} km vs {label}: {diff:+.1f} %")
    return rows, problems


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------
def dump_geojson(path: Path, features: list[dict]) -> None:
    """Write a FeatureCollection deterministically: one feature per line."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    text = '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def build_places(ref: Reference) -> list[dict]:
    """Resolve PLACES to GeoJSON point features."""
    feats = []
    for p in PLACES:
        if p.at[0] == "wp":
            r = ref.rows(p.at[1], p.at[2], p.at[2]).iloc[0]
            lon, lat, src = float(r["lon"]), float(r["lat"]), r["source_id"]
        elif p.at[0] == "x":
            r = ref.crossing(p.at[1])
            lon, lat, src = float(r["lon"]), float(r["lat"]), r["source_id"]
        else:
            _, lat, lon, src = p.at
        srcs = [src] + [s for s in p.extra_sources if s != src]
        if src in UNSOURCED and p.accuracy < 5:
            sys.exit(f"place {p.place_id}: {src} point needs accuracy >= 5 km")
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "place_id": p.place_id,
                    "name": p.name,
                    "kind": p.kind,
                    "countries": p.countries,
                    "corridor_ids": p.corridor_ids,
                    "positional_accuracy_km": p.accuracy,
                    "source": ";".join(srcs),
                    "note": p.note,
                },
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)],
                },
            }
        )
    feats.sort(key=lambda f: f["properties"]["place_id"])
    ids = [f["properties"]["place_id"] for f in feats]
    if len(set(ids)) != len(ids):
        sys.exit("duplicate place_id")
    # no two places at (nearly) the same spot
    for i, f in enumerate(feats):
        for g in feats[i + 1 :]:
            d = point_km(tuple(f["geometry"]["coordinates"]), tuple(g["geometry"]["coordinates"]))
            if d < 0.5:
                sys.exit(f"places {ids[i]} and {g['properties']['place_id']} only {d:.2f} km apart")
    return feats


def update_segments_csv(path: Path, segs: list[Segment], own: dict[str, dict[str, str]]) -> None:
    """Write only OWN_COLUMNS of data/segments.csv by segment_id (create the file if missing)."""
    if path.exists():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in OWN_COLUMNS:
            if col not in df.columns:
                df[col] = ""
        missing = [s.segment_id for s in segs if s.segment_id not in set(df["segment_id"])]
        if missing:
            print(
                f"warning: {len(missing)} segments have no row in {path} (not added): "
                + ", ".join(missing)
            )
    else:
        df = pd.DataFrame(
            [
                {
                    "segment_id": s.segment_id,
                    "corridor_id": s.corridor_id,
                    "from_place": s.from_place,
                    "to_place": s.to_place,
                }
                for s in segs
            ],
            columns=SEGMENT_COLUMNS,
        ).fillna("")
    for col in OWN_COLUMNS:
        df[col] = df[col].astype(object)
        df[col] = [
            own.get(sid, {}).get(col, old)
            for sid, old in zip(df["segment_id"], df[col], strict=True)
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def write_sources(path: Path, used: list[str]) -> None:
    """Write the source rows for every id used."""
    rows = []
    for sid in used:
        if sid not in SOURCES:
            sys.exit(f"source id {sid} has no row in SOURCES")
        rows.append((sid, *SOURCES[sid]))
    cols = ["source_id", "title", "author", "publisher", "date", "url", "licence", "note"]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False, lineterminator="\n")


def check_plan_file(path: Path) -> None:
    """Warn if an external plan CSV disagrees with the embedded PLAN."""
    if not path.exists():
        return
    ext = pd.read_csv(path)
    mine = {p[0]: (p[1], p[4], p[5], p[6]) for p in PLAN}
    theirs = {
        r.segment_id: (r.layer, r.waypoints_corridor, int(r.seq_from), int(r.seq_to))
        for r in ext.itertuples()
    }
    if mine != theirs:
        diff = sorted(set(mine.items()) ^ set(theirs.items()))
        print(f"warning: {path} differs from the embedded PLAN: {diff}")


def main(argv: list[str] | None = None) -> int:
    """Build everything and print the checks."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--reference",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="reference folder (default: ../shared/reference next to the repo)",
    )
    ap.add_argument("--repo", type=Path, default=REPO, help="repository root to write into")
    ap.add_argument(
        "--plan",
        type=Path,
        default=Path("/tmp/plan/segment_plan.csv"),
        help="optional segment plan CSV to compare with the embedded plan",
    )
    ap.add_argument(
        "--sources-out",
        type=Path,
        default=DEFAULT_SOURCES_OUT,
        help="where to write the geometry/places source rows",
    )
    ap.add_argument("--no-segments-csv", action="store_true", help="do not touch data/segments.csv")
    args = ap.parse_args(argv)

    ref = Reference(args.reference)
    check_plan_file(args.plan)
    segs = sorted((build_segment(ref, p) for p in PLAN), key=lambda s: s.segment_id)
    if set(META) != {s.segment_id for s in segs}:
        sys.exit("META does not cover exactly the planned segments")
    acc = {k: v[0] for k, v in META.items()}

    # line layers
    geo = args.repo / "geo"
    geo.mkdir(parents=True, exist_ok=True)
    for layer in ("railways", "pipelines", "highways"):
        feats = [
            {
                "type": "Feature",
                "properties": {"segment_id": s.segment_id, "corridor_id": s.corridor_id},
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in s.coords]},
            }
            for s in segs
            if s.layer == layer
        ]
        dump_geojson(geo / f"{layer}.geojson", feats)
    places = build_places(ref)
    dump_geojson(geo / "places.geojson", places)

    # provenance
    own: dict[str, dict[str, str]] = {}
    used: list[str] = []
    for s in segs:
        src = geometry_sources(s)
        used += src
        own[s.segment_id] = {
            "positional_accuracy_km": fmt(acc[s.segment_id]),
            "geometry_source": ";".join(src),
            "geometry_licence": licence(src),
            "geometry_note": " ".join(
                [META[s.segment_id][1], vertex_summary(s)]
                + (
                    [
                        "Licence ODbL because part of it is OpenStreetMap-derived; "
                        "the rest is a sketch."
                    ]
                    if licence(src) == "ODbL" and acc[s.segment_id] > 5
                    else []
                )
            ),
        }
    for p in places:
        used += p["properties"]["source"].split(";")
    used.append("srmr_vronizor_gpx")  # named in geometry notes (checks only)
    used = sorted(set(used))
    if not args.no_segments_csv:
        update_segments_csv(args.repo / "data" / "segments.csv", segs, own)
    write_sources(args.sources_out, used)

    # checks
    print(f"built {len(segs)} segments, {len(places)} places from {args.reference}")
    problems = check_waypoints(ref, segs)
    rows, len_problems = length_table(segs, acc)
    print("\n(b) drawn vs reported length")
    print(f"  {'segment':44s} {'drawn':>8s} {'reported':>9s} {'diff':>7s} {'acc':>5s} licence")
    for sid, km, rep, diff, a, lic, label in rows:
        rep_s = f"{rep:9.1f}" if rep is not None else f"{'-':>9s}"
        diff_s = f"{diff:+6.1f}%" if diff is not None else f"{'':>7s}"
        print(f"  {sid:44s} {km:8.1f} {rep_s} {diff_s} {fmt(a):>5s} {lic:6s} {label}")
    print("\n  corridor sums")
    for cid, (rep, label) in CORRIDOR_REPORTED.items():
        km = sum(geodesic_km(s.coords) for s in segs if s.corridor_id == cid)
        print(f"  {cid:24s} {km:8.1f} vs {label}: {100 * (km - rep) / rep:+.1f} %")
    count = write_reference_waypoints(
        ref, segs, args.repo / "tests" / "data" / "reference_waypoints.csv"
    )
    print(f"wrote {count} reference waypoints to tests/data/reference_waypoints.csv")
    bbox = check_bbox(segs, places)
    order = check_order(segs)
    check_with_race_tracks(ref)

    print("\nproblems (a) waypoint > 2 km from line:")
    print("\n".join("  " + p for p in problems) or "  none")
    print("problems (b) accuracy <= 2 km and > 10 % from an exactly-matching reported length:")
    print("\n".join("  " + p for p in len_problems) or "  none")
    print("problems (c) outside lon 45-90 / lat 35-55:")
    print("\n".join("  " + p for p in bbox) or "  none")
    print(
        "order checks (OSM-derived chords > 30 km, sketch edges > 150 km, REVERSAL > 150 deg, "
        "BACKTRACK > 25 km):"
    )
    print("\n".join("  " + p for p in order) or "  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
