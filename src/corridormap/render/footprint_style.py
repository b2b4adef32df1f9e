"""The footprint layers' palette, shared by the static figure, the charts and the map.

AidData's sectors are grouped into six classes coloured with Paul Tol's colour-blind-safe
"muted" scheme, kept apart from the corridors' mode colours (Okabe–Ito).
"""

from __future__ import annotations

#: AidData sectors grouped for colour (Paul Tol's colour-blind-safe "muted" scheme).
SECTOR_GROUPS: dict[str, tuple[str, str]] = {
    "ENERGY": ("Energy", "#882255"),
    "INDUSTRY, MINING, CONSTRUCTION": ("Industry, mining, construction", "#999933"),
    "TRANSPORT AND STORAGE": ("Transport and storage", "#332288"),
    "COMMUNICATIONS": ("Communications", "#88CCEE"),
    "EDUCATION": ("Social (education, health, government, water)", "#DDCC77"),
    "HEALTH": ("Social (education, health, government, water)", "#DDCC77"),
    "GOVERNMENT AND CIVIL SOCIETY": ("Social (education, health, government, water)", "#DDCC77"),
    "OTHER SOCIAL INFRASTRUCTURE AND SERVICES": (
        "Social (education, health, government, water)",
        "#DDCC77",
    ),
    "WATER SUPPLY AND SANITATION": ("Social (education, health, government, water)", "#DDCC77"),
}
OTHER_GROUP = ("Other (debt, emergency, agriculture, banking…)", "#999999")
UNREAD_GROUP = ("Sector not yet read", "#DDDDDD")
GROUP_ORDER = [
    "Energy",
    "Industry, mining, construction",
    "Transport and storage",
    "Communications",
    "Social (education, health, government, water)",
    OTHER_GROUP[0],
    UNREAD_GROUP[0],
]


def sector_group(sector: object) -> tuple[str, str]:
    """``(label, colour)`` of an AidData sector's group (empty: "Sector not yet read")."""
    if not isinstance(sector, str) or not sector:
        return UNREAD_GROUP
    return SECTOR_GROUPS.get(sector, OTHER_GROUP)
