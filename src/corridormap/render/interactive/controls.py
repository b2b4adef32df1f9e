"""Find, filter and the year slider: data computed here, behaviour in ``controls.js``.

Python computes everything the controls show (the search index, each segment's status in every
year through :func:`corridormap.select` with ``as_of=``, the label placement per zoom) and embeds
it as JSON in a ``<script type="application/json">``; the JavaScript only looks values up and
writes them with ``textContent``. No ``eval``, no network, nothing from the data as HTML.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from corridormap import vocabulary
from corridormap._i18n import N_, _, current, languages, localize_script
from corridormap._memo import per_atlas
from corridormap.atlas.core import Atlas
from corridormap.atlas.history import segment_status_by_year
from corridormap.render import styles
from corridormap.render.interactive.assets import Macro, json_for_html
from corridormap.render.interactive.basemap import RELIEF_FADE_ZOOMS
from corridormap.render.interactive.labels import LOW_ZOOM, ZOOMS

#: Below this width (CSS pixels) the map is laid out for a phone or a narrow embed.
NARROW_PX = 720
#: A narrow map lower than this (or narrower than 480 px) folds its panel to title and buttons.
SMALL_HEIGHT_PX = 600
#: A narrow map with less room than this under its panel sets the panel aside while a popup
#: is open (the popup needs the room more).
POPUP_ROOM_PX = 420
#: Words the controls write (kept here, in one place, for translation). ``{…}`` are filled in.
TEXT = {
    "find": N_("Find & filter"),
    "also": N_("also {name}"),
    "plan_suffix": N_(" (plans)"),
    "plans": N_("After {date} (the data's date) the map shows targets and plans, not facts."),
    "undated": N_("Not drawn for {year}, as no dated status is that early: {names}."),
    "and_more": N_(" and {n} more"),
}
#: Years named in a corridor's text as a target ("commercial operation targeted for 2030").
_PLANNED_RE = re.compile(
    r"\b(?:target(?:ed)?|planned|expected|due|scheduled|postponed)\b[^.;]{0,40}?\b(20\d\d)\b",
    re.IGNORECASE,
)
#: Code of a segment not yet recorded in a year (the others are indices into STATUSES).
NOT_YET = "-"


@cache
def _asset(name: str) -> str:
    """A script or stylesheet of the package, without indentation and whole-line comments."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def planned_until(atlas: Atlas) -> int:
    """The last year the data plans for: the latest target year named, or the latest step."""
    text = " ".join(
        str(value)
        for column in ("description", "note")
        for value in atlas.corridors[column].dropna()
    )
    targets = [int(year) for year in _PLANNED_RE.findall(text)]
    steps = atlas.status_history["date"].str[:4].astype(int)
    return max([*targets, int(steps.max())]) if len(steps) else max(targets, default=0)


@per_atlas()  # once per atlas; the atlas cache keeps it on disk with the atlas
def timeline(atlas: Atlas) -> dict:
    """Each segment's status in every year from the first dated step to the last planned year.

    The statuses are those of ``select(atlas, as_of=year)`` (one reconstruction for the table
    commands and the map). Years where nothing can change are left out: the JavaScript uses the
    latest listed year at or before the one shown.

    Returns
    -------
    dict
        ``first``, ``last``, ``steps`` (years) and ``codes``: per segment id one character per
        step, an index into ``statuses`` or ``"-"`` when the segment was not yet recorded.
    """
    history = atlas.status_history
    segments = atlas.segments
    if history.empty:
        return {"first": None, "last": None, "steps": [], "codes": {}, "statuses": []}
    first = int(history["date"].str[:4].astype(int).min())
    last = planned_until(atlas)
    opened = pd.to_numeric(segments["opened"], errors="coerce").dropna().astype(int)
    changes = set(history["date"].str[:4].astype(int)) | {y for y in opened if first <= y <= last}
    steps = sorted(changes | {first})
    index = {status: str(i) for i, status in enumerate(vocabulary.HISTORY_STATUSES)}
    codes: dict[str, list[str]] = {segment_id: [] for segment_id in segments["segment_id"]}
    for status in segment_status_by_year(atlas, steps).values():
        for segment_id, row in codes.items():
            row.append(index[status[segment_id]] if segment_id in status else NOT_YET)
    return {
        "first": first,
        "last": last,
        "steps": steps,
        "codes": {segment_id: "".join(row) for segment_id, row in codes.items()},
        "statuses": list(vocabulary.HISTORY_STATUSES),
    }


def _box(geometry) -> list[float]:
    west, south, east, north = geometry.bounds
    return [round(south, 3), round(west, 3), round(north, 3), round(east, 3)]


def _data_aliases(atlas: Atlas) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Other names of corridors and places (``data/aliases.csv``), by corridor id and place id."""
    table = atlas.aliases
    corridors: dict[str, list[str]] = {}
    places: dict[str, list[str]] = {}
    if table.empty:
        return corridors, places
    for alias, corridor_id, place_id in zip(
        table["alias"], table["corridor_id"], table["place_id"], strict=True
    ):
        if isinstance(corridor_id, str) and corridor_id:
            corridors.setdefault(corridor_id, []).append(str(alias))
        if isinstance(place_id, str) and place_id:
            places.setdefault(place_id, []).append(str(alias))
    return corridors, places


def search_index(atlas: Atlas, places: pd.DataFrame) -> list[dict]:
    """What the search box finds: corridors, then places (crossings, cities, stations…).

    Each entry carries the other names the data gives it (``aliases``), which the box also
    matches.
    """
    corridor_aliases, place_aliases = _data_aliases(atlas)
    entries = []
    lines: dict[str, list] = {}  # each corridor's segment lines
    for corridor_id, line in zip(
        atlas.segments["corridor_id"], atlas.segments.geometry, strict=True
    ):
        lines.setdefault(corridor_id, []).append(line)
    for row in atlas.corridors.to_dict("records"):
        entries.append(
            {
                "label": str(row["name"]),
                "kind": _("{mode} corridor").format(mode=styles.mode_label(row["mode"])),
                "corridor": row["corridor_id"],
                "box": _box(shapely.union_all(lines.get(row["corridor_id"], []))),
                "aliases": corridor_aliases.get(row["corridor_id"], []),
            }
        )
        _add_names(entries[-1], row, "corridor")
    for place in places.sort_values("name", kind="stable").to_dict("records"):
        point = place["geometry"]
        countries = "" if pd.isna(place.get("countries")) else str(place["countries"])
        kind = styles.place_label(place["kind"])
        entries.append(
            {
                "label": str(place["name"]),
                "kind": f"{kind}, {countries.replace(';', '–')}" if countries else kind,
                "place": place["place_id"],
                "at": [round(point.y, 5), round(point.x, 5)],
                "aliases": place_aliases.get(place["place_id"], []),
            }
        )
        _add_names(entries[-1], place, "place")
    return entries


def _add_names(entry: dict, row: dict, kind: str) -> None:
    """On a translated map, the entry's English name and other-language names as aliases.

    So "Khorgos" and "霍尔果斯" find it on the Russian page too, as one entry (a copy per name
    would list it once per name matched).
    """
    tr = current()
    english = row.get("name_en")
    if tr.english or not isinstance(english, str):
        return
    ident = entry.get(kind)
    others = [tr.names.get(kind, str(ident), lang) for lang in languages() if lang != tr.lang]
    names = dict.fromkeys(n for n in [english, *others, *entry["aliases"]] if n)
    names.pop(entry["label"], None)
    entry["aliases"] = list(names)


def controls_data(atlas: Atlas, places: pd.DataFrame, bounds: list[list[float]]) -> dict:
    """Everything the controls need, as one JSON-ready dict."""
    segments = atlas.segments
    corridors = atlas.corridors
    modes = [m for m in vocabulary.MODES if m in set(corridors["mode"])]
    weights = {m: styles.MODE_STYLES[m].weight for m in modes}
    years = timeline(atlas)
    used = set(segments["status"]) | {
        years["statuses"][int(c)]
        for codes in years["codes"].values()
        for c in codes
        if c != NOT_YET
    }
    release = atlas.release
    return {
        "bounds": bounds,
        "narrow": NARROW_PX,
        "small_height": SMALL_HEIGHT_PX,
        "popup_room": POPUP_ROOM_PX,
        "text": {key: _(words) for key, words in TEXT.items()},
        # The slider opens on the year the data speaks for, not on the reader's clock.
        "release_year": release.as_of.year if release is not None else None,
        "release_date": f"{release.as_of:%-d %B %Y}" if release is not None else "",
        "corridor_names": {
            row["corridor_id"]: short_name(str(row["name"])) for row in corridors.to_dict("records")
        },
        "modes": [[m, styles.mode_label(m)] for m in modes],
        "statuses": [[s, styles.status_label(s)] for s in vocabulary.HISTORY_STATUSES if s in used],
        "dash": {
            m: {s: styles.leaflet_dash(s, weights[m]) for s in vocabulary.HISTORY_STATUSES}
            for m in modes
        },
        "segments": {
            row["segment_id"]: {
                "corridor": row["corridor_id"],
                "mode": row["mode"],
                "box": _box(row["geometry"]),
                "label": f"{row['corridor_name']}: {row['name']}",
                "status": row["status"],
            }
            for row in segments.to_dict("records")
        },
        "timeline": years,
        "search": search_index(atlas, places),
        "label_zooms": [ZOOMS[0], ZOOMS[-1]],
        "low_zoom": LOW_ZOOM,
        "relief_fade": list(RELIEF_FADE_ZOOMS),
    }


def short_name(name: str) -> str:
    """A corridor's name without its trailing parenthesis (the route), for running text."""
    return name.split(" (")[0].strip() or name


class Controls(Macro):
    """Search, filters with counts in view, the year slider, phone layout and refit on resize.

    Add it last (after the layer control), so every layer it drives exists when it runs.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <script type="application/json" id="cm-data-{{ this._parent.get_name() }}">
        {{ this.data }}
        </script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function run() {
            // A layer control re-added after this script (e.g. by the diff layer) is not
            // defined yet: start once the page's script has run.
            var layerControl;
            try { layerControl = {{ this.layer_control.get_name() }}; }
            catch (notYet) { setTimeout(run, 0); return; }
            var data = JSON.parse(document.getElementById(
                "cm-data-{{ this._parent.get_name() }}").textContent);
            (function (map, layerControl, data) {
            {{ this.js }}
            })({{ this._parent.get_name() }}, layerControl, data);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, layer_control: MacroElement):
        super().__init__()
        self._name = "Controls"
        self.data = json_for_html(data, compact=True)
        self.layer_control = layer_control
        self.js = localize_script(_asset("controls.js"))
        self.css = _asset("controls.css")
