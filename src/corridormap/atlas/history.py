"""The atlas through time: each corridor's and segment's status at the end of a year.

One reconstruction from ``status_history.csv``, used by ``select(as_of=)``, the map's year slider
and the route network's ``as_of``: a later step of a whole corridor supersedes a segment's own
earlier step, except that a section in service stays in service.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from corridormap.atlas.core import Atlas


def status_as_of(atlas: Atlas, year: int) -> pd.Series:
    """Each corridor's status at the end of ``year`` from ``status_history`` (NaN if not yet known).

    Parameters
    ----------
    atlas
        The atlas.
    year
        Calendar year.

    Returns
    -------
    pandas.Series
        Status by ``corridor_id``; corridors with no dated step up to that year are missing.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> cm.status_as_of(atlas, 2015).head(4)
    corridor_id
    cagp_abc                            operational
    cagp_d                       under_construction
    cn_tj_highway                       operational
    kg_bishkek_naryn_torugart           operational
    Name: status, dtype: str
    >>> "cku_railway" in cm.status_as_of(atlas, 2015)
    False
    """
    history = atlas.status_history.copy()
    history["year"] = history["date"].str[:4].astype(int)
    history = history[history["year"] <= year].sort_values(["corridor_id", "date"], kind="stable")
    whole = history[history["segment_id"].isna()].groupby("corridor_id")["status"].last()
    # Corridors dated only piece by piece (e.g. Aktogay-Dostyk 1959, Dostyk-Alashankou 1990):
    # the headline is operational once every dated piece is, else the furthest stage reached.
    pieces = history.dropna(subset=["segment_id"]).groupby("segment_id").last()
    by_pieces = pieces.groupby("corridor_id")["status"].agg(lambda s: _headline(list(s)))
    return whole.combine_first(by_pieces).sort_index()


def undated(atlas: Atlas, year: int) -> list[str]:
    """Corridors that ``select(as_of=year)`` leaves out because no status is dated by then.

    Some are simply younger; others (an ``opened`` left empty) have no dated step at all.
    """
    dated = status_as_of(atlas, int(year)).index
    return sorted(set(atlas.corridors["corridor_id"]) - set(dated))


def as_of_atlas(atlas: Atlas, year: int) -> Atlas:
    """The atlas as it stood at the end of ``year``: dated corridors only, with their status."""
    statuses = status_as_of(atlas, year)
    chosen = atlas.subset(statuses.index.intersection(atlas.corridors["corridor_id"]))
    corridors = chosen.corridors.copy()
    corridors["status"] = corridors["corridor_id"].map(statuses)
    by_segment = segment_status_as_of(atlas, year, statuses=statuses)
    segments = chosen.segments[chosen.segments["segment_id"].isin(by_segment.index)].copy()
    segments["status"] = segments["segment_id"].map(by_segment)
    return Atlas(**{**atlas.__dict__, "segments": segments, "corridors": corridors})


def segment_status_as_of(
    atlas: Atlas, year: int, *, statuses: pd.Series | None = None
) -> pd.Series:
    """Each segment's status at the end of ``year``, as ``select(as_of=year)`` draws it.

    Parameters
    ----------
    atlas
        The atlas.
    year
        Calendar year.
    statuses
        :func:`status_as_of` for that year, if already computed.

    Returns
    -------
    pandas.Series
        Status by ``segment_id`` (in the atlas's segment order); segments of corridors with no
        dated step by then, and segments that opened after the year, are missing.

    Examples
    --------
    The Aral-Kazarman section opened in 2022, while the rest of its road is still being built:

    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> cm.segment_status_as_of(atlas, 2025).filter(like="kg_north_south")
    kg_north_south_road__balykchy_kyzyljyldyz    under_construction
    kg_north_south_road__kyzyljyldyz_aral        under_construction
    kg_north_south_road__aral_kazarman                  operational
    kg_north_south_road__kazarman_jalalabad      under_construction
    Name: status, dtype: str
    """
    statuses = status_as_of(atlas, year) if statuses is None else statuses
    segments = atlas.segments[atlas.segments["corridor_id"].isin(statuses.index)]
    history = atlas.status_history
    history = history[history["date"].str[:4].astype(int) <= year]
    history = history.sort_values("date", kind="stable")
    own = history.dropna(subset=["segment_id"]).groupby("segment_id")[["date", "status"]].last()
    whole = history[history["segment_id"].isna()].groupby("corridor_id")[["date", "status"]].last()
    # A segment's own step holds until a later step of its whole corridor supersedes it (line A's
    # 2009 opening after the Uzbek section's 2008 construction start), except that a section in
    # service stays in service when the rest of its corridor is still being built (Aral-Kazarman,
    # open since 2022, on a road whose other sections are under construction).
    own_date = segments["segment_id"].map(own["date"]).astype(object).fillna("").astype(str)
    own_status = segments["segment_id"].map(own["status"])
    corridor_date = segments["corridor_id"].map(whole["date"]).astype(object).fillna("").astype(str)
    corridor_status = segments["corridor_id"].map(whole["status"])
    # ISO dates compare as text; an empty one (no step yet) supersedes nothing.
    later = (own_date != "") & (corridor_date > own_date)
    kept_open = (own_status == "operational") & (corridor_status != "operational")
    superseded = later & ~kept_open.fillna(False).astype(bool)
    status = own_status.where(~superseded)
    status = status.fillna(segments["corridor_id"].map(statuses))
    # A segment that opened after the year was not in service then; its state is not recorded.
    not_yet = ((status == "operational") & (segments["opened"] > year)).fillna(False)
    keep = ~not_yet.astype(bool)
    return pd.Series(
        status[keep].to_numpy(), index=segments.loc[keep, "segment_id"].to_numpy(), name="status"
    )


def segment_status_by_year(atlas: Atlas, years: Iterable[int]) -> dict[int, dict[str, str]]:
    """:func:`segment_status_as_of` for many years at once: the same rules, in one pass.

    Parameters
    ----------
    atlas
        The atlas.
    years
        Calendar years.

    Returns
    -------
    dict
        ``{year: {segment_id: status}}``, each inner dict in the atlas's segment order and equal
        to ``segment_status_as_of(atlas, year).to_dict()`` (the year slider of the map asks for
        every year in which something changes; a table command asks for one year).
    """
    years = [int(year) for year in years]
    history = atlas.status_history
    # Steps in date order, the file's order among equal dates (as a stable sort_values).
    steps = sorted(
        zip(
            history["date"].astype(str),
            history["corridor_id"],
            history["segment_id"].astype(object),
            history["status"],
            strict=True,
        ),
        key=lambda step: step[0],
    )
    frame = atlas.segments
    segments = list(zip(frame["segment_id"], frame["corridor_id"], frame["opened"], strict=True))
    own: dict[str, tuple[str, str, str]] = {}  # segment -> its last step's date, status, corridor
    whole: dict[str, tuple[str, str]] = {}  # corridor -> its last whole step's date, status
    out: dict[int, dict[str, str]] = {}
    done = 0
    for year in sorted(set(years)):
        while done < len(steps) and int(steps[done][0][:4]) <= year:
            date, corridor_id, segment_id, status = steps[done]
            if pd.isna(segment_id):
                whole[corridor_id] = (date, status)
            else:
                own[segment_id] = (date, status, corridor_id)
            done += 1
        # status_as_of: a corridor's whole step, else the headline of its dated pieces.
        pieces: dict[str, list[str]] = {}
        for segment_id in sorted(own):
            _, status, corridor_id = own[segment_id]
            pieces.setdefault(corridor_id, []).append(status)
        statuses = {c: _headline(s) for c, s in pieces.items()}
        statuses.update((c, status) for c, (_, status) in whole.items())
        by_segment = {}
        for segment_id, corridor_id, opened in segments:
            if corridor_id not in statuses:
                continue
            own_date, own_status, _ = own.get(segment_id, ("", None, None))
            corridor_date, corridor_status = whole.get(corridor_id, ("", None))
            later = own_date != "" and corridor_date > own_date
            kept_open = own_status == "operational" and corridor_status != "operational"
            status = None if later and not kept_open else own_status
            status = statuses[corridor_id] if status is None else status
            if status == "operational" and not pd.isna(opened) and opened > year:
                continue  # opened after the year: not in service then, its state not recorded
            by_segment[segment_id] = status
        out[year] = by_segment
    return {year: out[year] for year in years}


#: How far a stage has come, for the headline of a corridor dated piece by piece.
_STAGE_RANK = {"planned": 0, "suspended": 0, "under_construction": 1, "operational": 2}


def _headline(statuses: list[str]) -> str:
    """A corridor dated only piece by piece: operational once every piece is, else the furthest."""
    if all(s == "operational" for s in statuses):
        return "operational"
    furthest = max(_STAGE_RANK.get(s, -1) for s in statuses)
    return "under_construction" if furthest >= 1 else statuses[-1]
