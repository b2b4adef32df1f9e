"""Build the connecting network layer and its tables from the reference folder.

Outputs (paths relative to the repository root)
    ``geo/network.geojson``
        One ``LineString`` per network line, property ``line_id``; RFC 7946, 6 decimals at most.
    ``data/network_lines.csv``
        One row per line: mode, gauge, status, countries, reported length and its source,
        positional accuracy, geometry sources and licence, ``kind`` (reported / estimate), note.
    ``data/transfers.csv`` (hub rows only; the transfer edges are kept from the existing file)
        ``type=hub`` rows: every hub of the network with coordinates copied from a sourced
        waypoint (never typed in), its country and the vertex it came from.

Inputs
    ``network/network_waypoints.csv`` of the reference folder (``../shared/reference`` next to the
    repository, or ``--reference``). Each line below is a ``seq`` range of a reference line; a few
    reference lines are cut where a published length covers only part of them, and three
    ``*_link`` lines join two sourced points the reference leaves unconnected (no vertex added).

Run ``python scripts/build_network.py``; the output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = next(
    (p / "shared" / "reference" for p in REPO.parents if (p / "shared" / "reference").is_dir()),
    REPO.parent / "shared" / "reference",
)

#: Start of a waypoint's source text -> source id in data/sources.csv.
SOURCE_TEXT_TO_ID = {
    "estimate": "corridormap_estimate",
    "larswalters/grondstoffen-atlas v2/data/stroomroute-uranium-inkai-stpetersburg.json": (
        "osm_larswalters_rail_stpetersburg"
    ),
    "larswalters/grondstoffen-atlas v2/data/stroomroute-uranium-inkai-poti.json @c88468ce"
    " (MARNET": "marnet_larswalters_caspian",
    "larswalters/grondstoffen-atlas v2/data/stroomroute-uranium-inkai-poti.json": (
        "osm_larswalters_rail_titr"
    ),
    "larswalters/grondstoffen-atlas v2/design/routebrieven/uranium-inkai-poti.md": (
        "larswalters_routebrief_poti"
    ),
    "larswalters/grondstoffen-atlas v2/data/stroomroute-koper-aktogay-jinchuan.json": (
        "osm_larswalters_rail_jinchuan"
    ),
    "Perricheno/Allur": "osm_allur_kz_routes",
    "birliktuzdyermek-tech/Bagdar": "osm_bagdar_dostyk_moyynty",
    "bekzodqodirov/fullprompt": "osrm_fullprompt_road",
    "GitHub UZ customs seed script": "gh_uz_customs_seed",
    "GitHub China-trip itinerary": "gh_china_trip_stations",
    "andreyshumik/distance": "gh_andreyshumik_distance",
    "GitHub PHP city seed BY": "gh_by_city_seed",
    "GitHub distance script out_cord": "gh_andreyshumik_distance",
    "shared/reference/waypoints.csv": "fullprompt_map_points",
}
OSM_SOURCES = {
    "osm_larswalters_rail_stpetersburg",
    "osm_larswalters_rail_titr",
    "osm_larswalters_rail_jinchuan",
    "osm_allur_kz_routes",
    "osm_bagdar_dostyk_moyynty",
    "osrm_fullprompt_road",
}
#: Positional accuracy (km) of a vertex by its source: OSM vertices, road proxies, estimates.
ACCURACY_KM = {"osm": 2.0, "road_proxy": 5.0, "point": 5.0, "estimate": 20.0, "sea": 10.0}

# line_id: (reference line, seq_from, seq_to, mode, gauge, status, countries, km, km source,
#           note). A trailing ("line", seq) pair in EXTRA appends a sourced vertex of another line.
LINES: dict[str, tuple] = {
    "kz_dostyk_moyynty": (
        "kz_north_main",
        1,
        22,
        "rail",
        1520,
        "operational",
        "KAZ",
        834,
        "osm_bagdar_dostyk_moyynty",
        "834 km = tariff sections Dostyk-Aktogay 310 + Aktogay-Sayak 186 + "
        "Sayak-Moyynty 338 (gov.kz, as quoted in the source).",
    ),
    "kz_moyynty_astana": (
        "kz_north_main",
        22,
        57,
        "rail",
        1520,
        "operational",
        "KAZ",
        580.8,
        "osm_allur_kz_routes",
        "580.8 km is an OpenStreetMap route length in the source (Moyynty at "
        "km 580.8 of Astana-Almaty), not an official figure.",
    ),
    "kz_astana_petropavl": (
        "kz_north_main",
        57,
        79,
        "rail",
        1520,
        "operational",
        "KAZ",
        492.5,
        "osm_allur_kz_routes",
        "492.5 km is an OpenStreetMap route length in the source.",
    ),
    "kz_petropavl_mamlyutka": (
        "kz_north_main",
        79,
        81,
        "rail",
        1520,
        "operational",
        "KAZ",
        None,
        None,
        "Petropavl to the last Kazakh vertex of the source, near Mamlyutka.",
    ),
    "ru_border_yekaterinburg": (
        "ru_main_to_brest",
        1,
        18,
        "rail",
        1520,
        "operational",
        "RUS",
        None,
        None,
        "The source's 630.5 km runs from Petropavl, not from the border.",
    ),
    "ru_yekaterinburg_moscow": (
        "ru_main_to_brest",
        18,
        75,
        "rail",
        1520,
        "operational",
        "RUS",
        1679.4,
        "osm_larswalters_rail_stpetersburg",
        "1,679.4 km via Krasnoufimsk-Agryz-Kazan-Kanash-Arzamas-Murom "
        "is an OpenStreetMap route length in the source.",
    ),
    "ru_by_moscow_brest": (
        "ru_main_to_brest",
        75,
        89,
        "rail",
        1520,
        "operational",
        "RUS;BLR",
        None,
        None,
        "No published Moscow-Brest length found; mostly estimated town "
        "points, so the drawn length is short of the real line.",
    ),
    "by_pl_brest_malaszewicze": (
        "ru_main_to_brest",
        89,
        90,
        "rail",
        None,
        "operational",
        "BLR;POL",
        None,
        None,
        "Break of gauge 1,520/1,435 mm at Brest-Malaszewicze; drawn as the transfer's geometry.",
    ),
    "caspian_ferry_aktau_alyat": (
        "caspian_ferry_aktau_alyat",
        1,
        13,
        "ferry",
        None,
        "operational",
        "KAZ;AZE",
        468.1,
        "larswalters_routebrief_poti",
        "468.1 km is the MARNET sea leg in the source; the drawn line "
        "adds schematic port approaches (7.4 and 49.4 km). Other "
        "figures: Caspian 420 km (TRT 2020), 508 km sea (TITR).",
    ),
    "az_ge_alyat_tbilisi": (
        "az_ge_btk",
        1,
        22,
        "rail",
        1520,
        "operational",
        "AZE;GEO",
        470.9,
        "larswalters_routebrief_poti",
        "470.9 km is an OpenStreetMap route length in the source.",
    ),
    "ge_tbilisi_akhalkalaki": (
        "az_ge_btk",
        22,
        25,
        "rail",
        1520,
        "operational",
        "GEO",
        None,
        None,
        "Marabda-Tsalka-Akhalkalaki points are estimates.",
    ),
    "ge_tr_akhalkalaki_kars": (
        "az_ge_btk",
        25,
        28,
        "rail",
        1435,
        "operational",
        "GEO;TUR",
        None,
        None,
        "Baku-Tbilisi-Kars line, 1,435 mm from Akhalkalaki; estimated points.",
    ),
    "ge_tbilisi_poti": (
        "ge_poti_branch",
        1,
        21,
        "rail",
        1520,
        "operational",
        "GEO",
        308.2,
        "larswalters_routebrief_poti",
        "308.2 km is an OpenStreetMap route length in the source.",
    ),
    "tr_kars_istanbul": (
        "tr_kars_istanbul",
        1,
        22,
        "rail",
        1435,
        "operational",
        "TUR",
        None,
        None,
        "All points are estimates; the drawn length is short of the "
        "real line (no published length found).",
    ),
    "uz_andijan_olot": (
        "uz_main",
        1,
        31,
        "rail",
        1520,
        "operational",
        "UZB",
        None,
        None,
        "Drawn on the road beside the railway (OSRM road proxy); the Kamchik "
        "pass railway runs in a tunnel.",
    ),
    "uz_tm_olot_turkmenabat": (
        "uz_main",
        31,
        32,
        "rail",
        1520,
        "operational",
        "UZB;TKM",
        None,
        None,
        "Border piece Olot - Turkmenabat (estimate).",
    ),
    "tm_turkmenabat_serakhs": (
        "tm_turkmenabat_serakhs",
        1,
        9,
        "rail",
        1520,
        "operational",
        "TKM",
        None,
        None,
        "All points are estimates.",
    ),
    "ir_sarakhs_tehran": (
        "ir_mashhad_tehran",
        1,
        11,
        "rail",
        1435,
        "operational",
        "IRN",
        None,
        None,
        "All points are estimates.",
    ),
    "ir_tehran_razi": (
        "ir_tehran_razi",
        1,
        13,
        "rail",
        1435,
        "operational",
        "IRN;TUR",
        None,
        None,
        "Estimates plus one sourced gateway point; the Turkish side "
        "continues with the Lake Van train ferry (not drawn).",
    ),
    "ir_tehran_bandar_abbas": (
        "ir_tehran_bandar_abbas",
        1,
        11,
        "rail",
        1435,
        "operational",
        "IRN",
        None,
        None,
        "All points are estimates.",
    ),
    "kz_tm_uzen_etrek": (
        "kz_tm_ir_line",
        1,
        9,
        "rail",
        1520,
        "operational",
        "KAZ;TKM",
        840,
        "mehrnews_2018_kz_tm_ir_line",
        "840 km = Kazakh 140 + Turkmen 700 km of the Uzen-Gorgan line (Mehr "
        "2018; TASS 2014 gives 928 km for the whole line). Points estimated.",
    ),
    "tm_ir_etrek_incheh_borun": (
        "kz_tm_ir_line",
        9,
        10,
        "rail",
        None,
        "operational",
        "TKM;IRN",
        None,
        None,
        "Break of gauge 1,520/1,435 mm at the border.",
    ),
    "ir_incheh_borun_gorgan": (
        "kz_tm_ir_line",
        10,
        11,
        "rail",
        1435,
        "operational",
        "IRN",
        88,
        "mehrnews_2018_kz_tm_ir_line",
        "88 km is the Iranian part of the Uzen-Gorgan line (Mehr 2018).",
    ),
    "uz_af_termez_mazar": (
        "uz_af_termez_mazar",
        1,
        12,
        "rail",
        1520,
        "operational",
        "UZB;AFG",
        None,
        None,
        "Road proxy to Termez; Hairatan-Naibabad estimated.",
    ),
    "af_trans_afghan_planned": (
        "af_trans_afghan_planned",
        1,
        8,
        "rail",
        None,
        "planned",
        "AFG;PAK",
        None,
        None,
        "Planned alignment not published; gauge not settled.",
    ),
    "cn_alashankou_jinghe": (
        "cn_urumqi_alashankou",
        1,
        12,
        "rail",
        1435,
        "operational",
        "CHN",
        None,
        None,
        "The source's 115.5 km includes a run back through a wye; not used.",
    ),
    "cn_jinghe_urumqi": (
        "cn_urumqi_alashankou",
        12,
        37,
        "rail",
        1435,
        "operational",
        "CHN",
        410.7,
        "osm_larswalters_rail_jinchuan",
        "410.7 km is an OpenStreetMap route length in the source.",
    ),
    "cn_jinghe_khorgos": (
        "cn_jinghe_khorgos",
        1,
        4,
        "rail",
        1435,
        "operational",
        "CHN",
        None,
        None,
        "Jinghe sourced, the rest estimated.",
    ),
    "cn_urumqi_kashgar": (
        "cn_urumqi_kashgar",
        1,
        32,
        "rail",
        1435,
        "operational",
        "CHN",
        None,
        None,
        "Road proxy Korla-Kashgar, estimates Toksun-Hejing; the OSRM "
        "road length (1,316 km) is a road figure and is not used.",
    ),
    "cn_karamay_tacheng": (
        "cn_karamay_tacheng",
        1,
        6,
        "rail",
        1435,
        "operational",
        "CHN",
        None,
        None,
        "All points are estimates.",
    ),
}

#: Links between two sourced points the reference does not connect: (line, seq) at each end.
LINKS: dict[str, tuple] = {
    "kz_ru_mamlyutka_border_link": (
        ("kz_north_main", 81),
        ("ru_main_to_brest", 1),
        "KAZ;RUS",
        "Joins the last Kazakh vertex to the first Russian one of the sources (the border "
        "itself is not anchored); no vertex added.",
    ),
    "kz_shymkent_tashkent_link": (
        ("atlas", "shymkent"),
        ("uz_main", 14),
        "KAZ;UZB",
        "Shymkent - Saryagash - Tashkent railway not in the "
        "reference: a straight join of the two sourced end points.",
    ),
    "kz_mangyshlak_uzen_link": (
        ("atlas", "mangyshlak"),
        ("kz_tm_ir_line", 1),
        "KAZ",
        "Mangyshlak - Uzen railway not in the reference: a straight "
        "join of a vertex of the Beyneu-Aktau line and Uzen.",
    ),
    "ir_gorgan_garmsar_link": (
        ("kz_tm_ir_line", 11),
        ("ir_mashhad_tehran", 10),
        "IRN",
        "Gorgan - Sari - Garmsar railway not in the reference: a "
        "straight join of Gorgan and Garmsar (both estimates).",
    ),
}
#: Vertices of atlas lines used by LINKS (from geo/railways.geojson, OSM-derived).
ATLAS_POINTS = {
    "shymkent": ("titr_kz_rail__almaty_shymkent", -1),
    "mangyshlak": ("titr_kz_rail__beyneu_aktau", None),
}
#: The Mangyshlak vertex: the one of Beyneu-Aktau closest to Uzen.
UZEN = (52.86, 43.34)

# hub_id: (name, ISO3, (line, seq) or ("atlas", place), snap_km)
HUBS: dict[str, tuple] = {
    "dostyk": ("Dostyk", "KAZ", ("kz_north_main", 1), 3),
    "aktogay": ("Aktogay", "KAZ", ("kz_north_main", 10), 3),
    "moyynty": ("Moyynty", "KAZ", ("kz_north_main", 22), 3),
    "karaganda": ("Karaganda", "KAZ", ("kz_north_main", 40), 3),
    "astana": ("Astana", "KAZ", ("kz_north_main", 57), 3),
    "petropavl": ("Petropavl", "KAZ", ("kz_north_main", 79), 3),
    "mamlyutka": ("Mamlyutka (KZ/RU border area)", "KAZ", ("kz_north_main", 81), 2),
    "kz_ru_border_rail": (
        "KZ/RU rail border (Petropavl - Kurgan)",
        "RUS",
        ("ru_main_to_brest", 1),
        2,
    ),
    "kurgan": ("Kurgan", "RUS", ("ru_main_to_brest", 6), 3),
    "yekaterinburg": ("Yekaterinburg", "RUS", ("ru_main_to_brest", 18), 3),
    "kazan": ("Kazan", "RUS", ("ru_main_to_brest", 48), 3),
    "moscow": ("Moscow", "RUS", ("ru_main_to_brest", 75), 3),
    "smolensk": ("Smolensk", "RUS", ("ru_main_to_brest", 81), 3),
    "orsha": ("Orsha", "BLR", ("ru_main_to_brest", 82), 3),
    "minsk": ("Minsk", "BLR", ("ru_main_to_brest", 84), 3),
    "brest": ("Brest", "BLR", ("ru_main_to_brest", 89), 2),
    "malaszewicze": ("Malaszewicze", "POL", ("ru_main_to_brest", 90), 2),
    "aktau_port": ("Aktau port", "KAZ", ("caspian_ferry_aktau_alyat", 1), 3),
    "alyat": ("Alyat (Baku port)", "AZE", ("caspian_ferry_aktau_alyat", 13), 3),
    "tbilisi": ("Tbilisi", "GEO", ("az_ge_btk", 22), 3),
    "akhalkalaki": ("Akhalkalaki", "GEO", ("az_ge_btk", 25), 3),
    "kars": ("Kars", "TUR", ("az_ge_btk", 28), 3),
    "poti": ("Poti port", "GEO", ("ge_poti_branch", 21), 3),
    "erzurum": ("Erzurum", "TUR", ("tr_kars_istanbul", 4), 3),
    "sivas": ("Sivas", "TUR", ("tr_kars_istanbul", 9), 3),
    "ankara": ("Ankara", "TUR", ("tr_kars_istanbul", 15), 3),
    "istanbul": ("Istanbul (Halkali)", "TUR", ("tr_kars_istanbul", 22), 3),
    "andijan": ("Andijan", "UZB", ("uz_main", 1), 3),
    "tashkent": ("Tashkent", "UZB", ("uz_main", 14), 3),
    "olot": ("Olot (UZ/TM border)", "UZB", ("uz_main", 31), 2),
    "turkmenabat": ("Turkmenabat", "TKM", ("uz_main", 32), 2),
    "samarkand": ("Samarkand", "UZB", ("uz_af_termez_mazar", 1), 5),
    "mary": ("Mary", "TKM", ("tm_turkmenabat_serakhs", 5), 3),
    "serakhs": ("Serakhs (TM)", "TKM", ("tm_turkmenabat_serakhs", 9), 2),
    "sarakhs": ("Sarakhs (IR)", "IRN", ("ir_mashhad_tehran", 1), 2),
    "mashhad": ("Mashhad", "IRN", ("ir_mashhad_tehran", 3), 3),
    "garmsar": ("Garmsar", "IRN", ("ir_mashhad_tehran", 10), 3),
    "tehran": ("Tehran", "IRN", ("ir_mashhad_tehran", 11), 3),
    "tabriz": ("Tabriz", "IRN", ("ir_tehran_razi", 6), 3),
    "razi": ("Razi (IR/TR border)", "IRN", ("ir_tehran_razi", 11), 1),
    "kapikoy": ("Kapikoy (TR)", "TUR", ("ir_tehran_razi", 13), 1),
    "bandar_abbas": ("Bandar Abbas port", "IRN", ("ir_tehran_bandar_abbas", 11), 3),
    "uzen": ("Uzen (Zhanaozen)", "KAZ", ("kz_tm_ir_line", 1), 3),
    "bolashak": ("Bolashak (KZ/TM border)", "KAZ", ("kz_tm_ir_line", 2), 2),
    "serhetyaka": ("Serhetyaka", "TKM", ("kz_tm_ir_line", 3), 2),
    "bereket": ("Bereket", "TKM", ("kz_tm_ir_line", 6), 3),
    "etrek": ("Etrek (TM/IR border)", "TKM", ("kz_tm_ir_line", 9), 0.5),
    "incheh_borun": ("Incheh Borun", "IRN", ("kz_tm_ir_line", 10), 0.5),
    "gorgan": ("Gorgan", "IRN", ("kz_tm_ir_line", 11), 3),
    "termez_ayritom": ("Ayritom (UZ/AF border, Termez)", "UZB", ("uz_af_termez_mazar", 10), 1),
    "hairatan": ("Hairatan", "AFG", ("uz_af_termez_mazar", 11), 1),
    "mazar_naibabad": ("Naibabad (Mazar-i-Sharif)", "AFG", ("uz_af_termez_mazar", 12), 3),
    "kabul": ("Kabul", "AFG", ("af_trans_afghan_planned", 4), 3),
    "torkham": ("Torkham (AF/PK border)", "AFG", ("af_trans_afghan_planned", 6), 2),
    "peshawar": ("Peshawar", "PAK", ("af_trans_afghan_planned", 8), 3),
    "alashankou": ("Alashankou", "CHN", ("cn_urumqi_alashankou", 1), 3),
    "jinghe": ("Jinghe", "CHN", ("cn_urumqi_alashankou", 12), 10),
    "kuytun": ("Kuytun", "CHN", ("cn_karamay_tacheng", 1), 8),
    "urumqi": ("Urumqi", "CHN", ("cn_urumqi_alashankou", 37), 3),
    "turpan": ("Turpan", "CHN", ("cn_urumqi_kashgar", 5), 3),
    "kashgar": ("Kashgar", "CHN", ("cn_urumqi_kashgar", 32), 8),
    "khorgos_cn": ("Khorgos (CN)", "CHN", ("cn_jinghe_khorgos", 4), 3),
    "karamay": ("Karamay", "CHN", ("cn_karamay_tacheng", 2), 3),
    "tacheng": ("Tacheng", "CHN", ("cn_karamay_tacheng", 6), 3),
    "shymkent": ("Shymkent", "KAZ", ("atlas", "shymkent"), 5),
    "mangyshlak": ("Mangyshlak", "KAZ", ("atlas", "mangyshlak"), 2),
}


#: Display name of each line.
NAMES = {
    "kz_dostyk_moyynty": "Dostyk – Aktogay – Moyynty",
    "kz_moyynty_astana": "Moyynty – Karaganda – Astana",
    "kz_astana_petropavl": "Astana – Kokshetau – Petropavl",
    "kz_petropavl_mamlyutka": "Petropavl – Mamlyutka",
    "ru_border_yekaterinburg": "KZ/RU border – Kurgan – Yekaterinburg",
    "ru_yekaterinburg_moscow": "Yekaterinburg – Kazan – Moscow",
    "ru_by_moscow_brest": "Moscow – Smolensk – Minsk – Brest",
    "by_pl_brest_malaszewicze": "Brest – Małaszewicze (break of gauge)",
    "caspian_ferry_aktau_alyat": "Caspian ferry Aktau – Alyat",
    "az_ge_alyat_tbilisi": "Alyat – Tbilisi",
    "ge_tbilisi_akhalkalaki": "Tbilisi – Marabda – Akhalkalaki",
    "ge_tr_akhalkalaki_kars": "Akhalkalaki – Kars (Baku–Tbilisi–Kars)",
    "ge_tbilisi_poti": "Tbilisi – Poti",
    "tr_kars_istanbul": "Kars – Erzurum – Sivas – Ankara – Istanbul",
    "uz_andijan_olot": "Andijan – Tashkent – Samarkand – Bukhara – Olot",
    "uz_tm_olot_turkmenabat": "Olot – Turkmenabat",
    "tm_turkmenabat_serakhs": "Turkmenabat – Mary – Tejen – Serakhs",
    "ir_sarakhs_tehran": "Sarakhs – Mashhad – Tehran",
    "ir_tehran_razi": "Tehran – Tabriz – Razi",
    "ir_tehran_bandar_abbas": "Tehran – Yazd – Bandar Abbas",
    "kz_tm_uzen_etrek": "Uzen – Bolashak – Bereket – Etrek",
    "tm_ir_etrek_incheh_borun": "Etrek – Incheh Borun (break of gauge)",
    "ir_incheh_borun_gorgan": "Incheh Borun – Gorgan",
    "uz_af_termez_mazar": "Samarkand – Termez – Hairatan – Naibabad",
    "af_trans_afghan_planned": "Trans-Afghan railway Mazar – Kabul – Peshawar (planned)",
    "cn_alashankou_jinghe": "Alashankou – Jinghe",
    "cn_jinghe_urumqi": "Jinghe – Kuytun – Urumqi",
    "cn_jinghe_khorgos": "Jinghe – Yining – Khorgos",
    "cn_urumqi_kashgar": "Urumqi – Turpan – Korla – Aksu – Kashgar",
    "cn_karamay_tacheng": "Kuytun – Karamay – Tacheng",
    "kz_ru_mamlyutka_border_link": "Mamlyutka – KZ/RU border (join)",
    "kz_shymkent_tashkent_link": "Shymkent – Tashkent (join)",
    "kz_mangyshlak_uzen_link": "Mangyshlak – Uzen (join)",
    "ir_gorgan_garmsar_link": "Gorgan – Garmsar (join)",
}


def _source_id(text: str) -> str:
    for prefix, source_id in sorted(SOURCE_TEXT_TO_ID.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(prefix):
            return source_id
    raise SystemExit(f"unknown source text: {text[:80]!r}")


def _accuracy(row: dict, source_id: str) -> float:
    if source_id == "corridormap_estimate":
        return ACCURACY_KM["estimate"]
    if row["kind"] == "road_proxy":
        return ACCURACY_KM["road_proxy"]
    if source_id == "marnet_larswalters_caspian":
        return ACCURACY_KM["sea"]
    return ACCURACY_KM["osm"] if source_id in OSM_SOURCES else ACCURACY_KM["point"]


def _atlas_point(name: str) -> tuple[float, float, str]:
    layer = json.loads((REPO / "geo" / "railways.geojson").read_text())
    coords = {
        f["properties"]["segment_id"]: f["geometry"]["coordinates"] for f in layer["features"]
    }
    segment, index = ATLAS_POINTS[name]
    line = coords[segment]
    if index is None:
        from pyproj import Geod

        geod = Geod(ellps="WGS84")
        index = min(range(len(line)), key=lambda i: geod.inv(*line[i], *UZEN)[2])
    lon, lat = line[index]
    return float(lat), float(lon), "osm_larswalters_rail_titr"


def build(reference: Path) -> None:
    """Write the network layer, ``network_lines.csv`` and the hub rows of ``transfers.csv``."""
    rows = list(csv.DictReader((reference / "network" / "network_waypoints.csv").open()))
    by_line: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_line.setdefault(row["line_id"], {})[int(row["seq"])] = row

    def point(ref: tuple) -> tuple[float, float, str, str, float]:
        if ref[0] == "atlas":
            lat, lon, source = _atlas_point(ref[1])
            return lat, lon, source, "route_vertex", ACCURACY_KM["osm"]
        row = by_line[ref[0]][ref[1]]
        source = _source_id(row["source"])
        return float(row["lat"]), float(row["lon"]), source, row["kind"], _accuracy(row, source)

    features, table = [], []
    for line_id, spec in LINES.items():
        ref, first, last, mode, gauge, status, countries, km, km_source, note = spec
        pts = [point((ref, seq)) for seq in range(first, last + 1)]
        table.append(_row(line_id, mode, gauge, status, countries, km, km_source, note, pts))
        features.append(_feature(line_id, pts))
    for line_id, (start, end, countries, note) in LINKS.items():
        pts = [point(start), point(end)]
        table.append(
            _row(
                line_id,
                "rail",
                1520 if "IRN" not in countries else 1435,
                "operational",
                countries,
                None,
                None,
                note,
                pts,
                link=True,
            )
        )
        features.append(_feature(line_id, pts))
    features.sort(key=lambda f: f["properties"]["line_id"])
    _write_layer(REPO / "geo" / "network.geojson", features)
    _write_csv(REPO / "data" / "network_lines.csv", table)
    hubs = []
    for hub_id, (name, iso3, ref, snap) in HUBS.items():
        lat, lon, source, _kind, _acc = point(ref)
        where = f"{ref[0]}:{ref[1]}"
        hubs.append(
            {
                "transfer_id": hub_id,
                "type": "hub",
                "name": name,
                "hub": hub_id,
                "lat": f"{lat:.6f}".rstrip("0").rstrip("."),
                "lon": f"{lon:.6f}".rstrip("0").rstrip("."),
                "country": iso3,
                "snap_km": f"{snap:g}",
                "source_id": source,
                "kind": "reported",
                "note": f"Coordinates of reference vertex {where}.",
            }
        )
    _merge_transfers(REPO / "data" / "transfers.csv", hubs)


def _row(line_id, mode, gauge, status, countries, km, km_source, note, pts, link=False) -> dict:
    sources = sorted({p[2] for p in pts})
    estimates = sum(p[2] == "corridormap_estimate" for p in pts)
    kind = "estimate" if link or estimates * 2 >= len(pts) else "reported"
    osm = any(s in OSM_SOURCES for s in sources)
    return {
        "line_id": line_id,
        "name": NAMES[line_id],
        "mode": mode,
        "gauge_mm": "" if gauge is None or mode == "ferry" else str(gauge),
        "status": status,
        "countries": countries,
        "length_km_reported": "" if km is None else f"{km:g}",
        "length_source": km_source or "",
        "positional_accuracy_km": f"{max(p[4] for p in pts):g}",
        "geometry_source": ";".join(sources),
        "geometry_licence": "ODbL" if osm else "sketch",
        "kind": kind,
        "note": note + (f" Vertices: {estimates} of {len(pts)} estimated." if estimates else ""),
    }


def _feature(line_id: str, pts: list) -> dict:
    coords = [[round(p[1], 6), round(p[0], 6)] for p in pts]
    return {
        "type": "Feature",
        "properties": {"line_id": line_id},
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def _write_layer(path: Path, features: list) -> None:
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n")


TRANSFER_COLUMNS = [
    "transfer_id",
    "type",
    "name",
    "hub",
    "lat",
    "lon",
    "country",
    "snap_km",
    "from_hub",
    "from_layer",
    "to_hub",
    "to_layer",
    "line_id",
    "post",
    "hours_low",
    "hours_base",
    "hours_high",
    "source_id",
    "kind",
    "note",
]


def _write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def _merge_transfers(path: Path, hubs: list[dict]) -> None:
    kept = []
    if path.is_file():
        kept = [r for r in csv.DictReader(path.open()) if r["type"] != "hub"]
    rows = [{c: r.get(c, "") for c in TRANSFER_COLUMNS} for r in hubs + kept]
    _write_csv(path, rows, TRANSFER_COLUMNS)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    build(parser.parse_args().reference)
