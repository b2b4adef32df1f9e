"""A map layer of what changed between two atlases, drawn over the new atlas's map."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from corridormap import _format
from corridormap._util import Many
from corridormap.render import styles
from corridormap.render.interactive import assets, popups
from corridormap.render.interactive.layers import LINE_DECIMALS, LINE_TOLERANCE, _latlon
from corridormap.render.interactive.map import folium_map

if TYPE_CHECKING:
    import geopandas as gpd

    from corridormap.atlas.core import Atlas
    from corridormap.atlas.diff import AtlasDiff

#: A wide glow under every added, moved or re-statused segment (Okabe-Ito yellow).
CHANGED_COLOUR = styles.OKABE_ITO["yellow"]
CHANGED_WEIGHT = 14.0
CHANGED_OPACITY = 0.75
#: The old line of a moved segment, and a removed segment: dashed.
OLD_COLOUR = styles.OKABE_ITO["black"]
REMOVED_COLOUR = styles.OKABE_ITO["vermillion"]
OLD_WEIGHT = 2.5
OLD_DASH = "6 5"


def diff_map(
    old: Atlas,
    new: Atlas,
    *,
    diff: AtlasDiff | None = None,
    mode: Many = None,
    status: Many = None,
    country: Many = None,
    corridor: Many = None,
    title: str | None = None,
    subtitle: str | None = None,
    cdn: bool = False,
    routes: gpd.GeoDataFrame | None = None,
    terrain: bool = True,
    m: folium.Map | None = None,
    extent: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """Build the interactive map of the new atlas with a layer showing what changed.

    Parameters
    ----------
    old, new
        The two atlases; the map shows ``new``.
    diff
        Their :class:`~corridormap.AtlasDiff`; computed with :func:`corridormap.diff_atlases`
        when ``None``.
    mode, status, country, corridor, cdn, routes, terrain, m, extent
        As for :func:`corridormap.folium_map` (the filters choose what the map shows of
        ``new``; the layer of changes is drawn whole).
    title, subtitle
        Text of the title box; ``None`` gives "What changed in the atlas" and a subtitle counting
        the changed segments and explaining the layer's styles.

    Returns
    -------
    folium.Map
        ``m`` if given, else a new map. Write it with :func:`corridormap.save_map`.

    Raises
    ------
    SelectionError
        For an unknown filter value or a selection of ``new`` that matches nothing.

    Examples
    --------
    What changed on the map between 2020 and 2026 (each atlas as of that year):

    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> old, new = cm.select(atlas, as_of=2020), cm.select(atlas, as_of=2026)
    >>> m = cm.diff_map(old, new, terrain=False)
    >>> print(cm.save_map(m, "changes.html"))
    changes.html
    """
    from corridormap.atlas.diff import diff_atlases

    diff = diff_atlases(old, new) if diff is None else diff
    count = len(diff.changed_segment_ids) + len(diff.removed)
    if title is None:
        title = "What changed in the atlas"
    if subtitle is None:
        subtitle = (
            f"{count} segment{'s' if count != 1 else ''} changed. Yellow glow: added, moved or a "
            "new status; dashed black: the old line of a moved segment; dashed red: removed. "
            "Hover a change for its old and new sources."
        )
    m = folium_map(
        new, mode=mode, status=status, country=country, corridor=corridor, title=title,
        subtitle=subtitle, cdn=cdn, routes=routes, terrain=terrain, m=m, extent=extent,
        footprint=False,  # a map of the corridors' changes (the footprint's are in the table)
    )  # fmt: skip
    add_diff_layer(m, diff, new)
    return m


def add_diff_layer(m: folium.Map, diff: AtlasDiff, new: Atlas) -> folium.FeatureGroup:
    """Add one layer to ``m``: changed segments glow, old lines of moved or removed ones dashed.

    ``new`` is the atlas ``m`` shows (it gives the lines of segments whose status changed).

    Every tooltip says what changed, with the old and new sources; data text is HTML-escaped.
    The layer goes just before the layer control, so the control lists it.
    """
    count = len(diff.changed_segment_ids) + len(diff.removed)
    layer = folium.FeatureGroup(name=f"What changed ({count} segments)", overlay=True, show=True)
    layer.options["className"] = "cm-diff"
    notes = _notes(diff)
    for frame in (diff.added, diff.moved):
        for row in frame.to_dict("records"):
            _glow(row["geometry"], notes[row["segment_id"]]).add_to(layer)
    drawn = set(diff.moved["segment_id"]) | set(diff.added["segment_id"])
    lines = new.segments.set_index("segment_id").geometry
    for segment_id in diff.status.loc[diff.status["kind"] == "segment", "id"]:
        if segment_id not in drawn:
            _glow(lines.loc[segment_id], notes[segment_id]).add_to(layer)
    for row in diff.moved.to_dict("records"):
        old_line = "Old line (dashed). " + notes[row["segment_id"]]
        _dashed(row["old_geometry"], OLD_COLOUR, old_line).add_to(layer)
    for row in diff.removed.to_dict("records"):
        _dashed(row["geometry"], REMOVED_COLOUR, notes[row["segment_id"]]).add_to(layer)
    # Insert the layer just before the layer control, so the control lists it and the map's
    # controls (search, filters, slider), which come after and reference the control, still run
    # once it exists.
    children = list(m._children.items())
    m._children.clear()
    for key, child in children:
        if isinstance(child, folium.LayerControl):
            m.add_child(layer)
        m._children[key] = child
    if layer.get_name() not in m._children:
        m.add_child(layer)
    assets.stabilize_ids(m.get_root())  # element ids numbered in tree order: byte-identical output
    return layer


def _glow(geometry, tooltip: str) -> folium.PolyLine:
    line = folium.PolyLine(
        _latlon(geometry, LINE_DECIMALS, LINE_TOLERANCE),
        color=CHANGED_COLOUR,
        weight=CHANGED_WEIGHT,
        opacity=CHANGED_OPACITY,
        class_name="cm-diff-changed",
    )
    line.options["pane"] = "cm-halos"  # under the corridor lines, which stay clickable
    popups.Bind(tooltip=tooltip).add_to(line)
    return line


def _dashed(geometry, colour: str, tooltip: str) -> folium.PolyLine:
    line = folium.PolyLine(
        _latlon(geometry, LINE_DECIMALS, LINE_TOLERANCE),
        color=colour,
        weight=OLD_WEIGHT,
        dash_array=OLD_DASH,
        class_name="cm-diff-old",
    )
    popups.Bind(tooltip=tooltip).add_to(line)
    return line


def _notes(diff: AtlasDiff) -> dict[str, str]:
    """One escaped HTML tooltip per segment id, listing every change to it."""
    esc = _format.esc
    notes: dict[str, list[str]] = {}

    def note(segment_id: str, text: str) -> None:
        notes.setdefault(segment_id, [f"<b>{esc(segment_id)}</b>"]).append(text)

    for row in diff.added.to_dict("records"):
        note(row["segment_id"], f"Added: {esc(row['name'])} ({esc(row['status'])}, "
             f"{row['length_km']:,.1f} km)")  # fmt: skip
    for row in diff.removed.to_dict("records"):
        note(row["segment_id"], f"Removed: {esc(row['name'])} ({row['length_km']:,.1f} km)")
    for row in diff.moved.to_dict("records"):
        note(
            row["segment_id"],
            f"Moved up to {row['moved_km']:,.1f} km; length {row['old_length_km']:,.1f} → "
            f"{row['new_length_km']:,.1f} km ({row['length_change_km']:+,.1f} km); line source "
            f"{esc(row['old_source'])} → {esc(row['new_source'])}",
        )
    for row in diff.status[diff.status["kind"] == "segment"].to_dict("records"):
        note(
            row["id"],
            f"Status {esc(row['old_status'])} → {esc(row['new_status'])} "
            f"(sources {esc(row['old_source'])} → {esc(row['new_source'])})",
        )
    return {k: "<br>".join(v) for k, v in notes.items()}
