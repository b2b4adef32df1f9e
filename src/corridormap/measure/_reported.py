"""Published kilometres of a corridor inside each country, to show beside the drawn ones.

Two kinds of figure count: the reported length of each segment (``data/segments.csv``) where the
segments lying in a country cover all of the corridor there, and per-country or per-segment
claims (``data/length_claims.csv``, ``atlas.length_claims`` when present).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from corridormap import settings

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from corridormap.atlas.core import Atlas
    from corridormap.measure._borders import Run

NAN = float("nan")


def _segment_km(segment, parts: list) -> dict[str | None, float]:
    """Kilometres of one segment per (attributed) country, from the runs of its route part.

    The segment's ends are placed along the route part it belongs to; each run it overlaps
    gives it the overlapping share of its km.
    """
    import shapely

    ends = [shapely.Point(segment.coords[0]), shapely.Point(segment.coords[-1])]
    out: dict[str | None, float] = {}
    for line, runs in parts:
        if line.distance(ends[0]) > 1e-9 or line.distance(ends[1]) > 1e-9:
            continue
        low, high = sorted(line.project(p) for p in ends)
        for run in runs:
            overlap = min(high, run.end) - max(low, run.start)
            if overlap > 0 and run.end > run.start:
                share = overlap / (run.end - run.start)
                out[run.iso3] = out.get(run.iso3, 0.0) + run.km * share
        break
    return out


def _claims(atlas: Atlas) -> pd.DataFrame:
    claims = getattr(atlas, "length_claims", None)
    columns = ["corridor_id", "segment_id", "country_iso3", "length_km", "as_of", "source_id"]
    if claims is None or len(claims) == 0:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(claims)
    for column in columns:
        if column not in frame:
            frame[column] = None
    frame = frame[frame["length_km"].notna()].copy()
    frame["length_km"] = frame["length_km"].astype(float)
    return frame


def _span(values: list[float], preferred: float | None) -> tuple[float, float, float]:
    if not values:
        return NAN, NAN, NAN
    return (preferred if preferred is not None else values[0]), min(values), max(values)


#: A claim as :func:`reported_by_country` reads it: segment id, country, km, as of.
Claim = tuple[object, object, float, object]


def _claim_rows(claims: pd.DataFrame) -> dict[str, list[Claim]]:
    """The claims of each corridor, in table order, as plain tuples.

    A few dozen rows are filtered hundreds of times; each pandas filter costs ~0.1 ms.
    """
    out: dict[str, list[Claim]] = {}
    columns = [claims[c] for c in ("corridor_id", "segment_id", "country_iso3", "length_km")]
    for corridor_id, *row in zip(*columns, claims["as_of"], strict=True):
        out.setdefault(corridor_id, []).append(tuple(row))
    return out


def reported_by_country(
    atlas: Atlas,
    runs_by_corridor: list[tuple[str, BaseGeometry, list[Run]]],
    *,
    artefact_km: float | None = None,
) -> dict[tuple[str, str], tuple[float, float, float]]:
    """``(reported, lowest, highest)`` km by ``(corridor_id, iso3)``, where any is published.

    A segment counts for a country when no more than ``artefact_km`` of it is drawn elsewhere;
    the segments' reported lengths give the country's figure only when every segment with more
    than ``artefact_km`` there counts for it and has one. A claim with a country counts for it
    (with a segment: when that segment alone runs there). The figure shown is the segments'
    sum, else the most recent claim (``as_of``); lowest and highest are over every figure.
    """
    artefact_km = settings.border_artefact_km if artefact_km is None else float(artefact_km)
    claims = _claim_rows(_claims(atlas))
    parts_of: dict[str, list] = {}
    for corridor_id, line, runs in runs_by_corridor:
        parts_of.setdefault(corridor_id, []).append((line, runs))
    out = {}
    for corridor_id, group in atlas.segments.groupby("corridor_id", sort=False):
        mine = claims.get(corridor_id, [])
        per_segment = {
            segment_id: _segment_km(line, parts_of.get(corridor_id, []))
            for segment_id, line in zip(group["segment_id"], group.geometry, strict=True)
        }
        figures = pd.Series(group.get("length_km_reported", NAN), index=group.index)
        reported = dict(zip(group["segment_id"], figures, strict=True))
        countries = {c for km in per_segment.values() for c in km if c is not None}
        for iso3 in countries:
            touching = [s for s, km in per_segment.items() if km.get(iso3, 0.0) > artefact_km]
            values: list[float] = []
            preferred = None
            if touching and all(
                sum(v for c, v in per_segment[s].items() if c != iso3) <= artefact_km
                and _known(reported[s], mine, s, iso3)
                for s in touching
            ):
                low = sum(_segment_figures(reported[s], mine, s, iso3)[0] for s in touching)
                high = sum(_segment_figures(reported[s], mine, s, iso3)[1] for s in touching)
                if all(not math.isnan(float(reported[s])) for s in touching):
                    preferred = sum(float(reported[s]) for s in touching)
                values += [low, high]
            alone = touching if len(touching) == 1 else []
            direct = [
                claim
                for claim in mine
                if claim[1] == iso3 and (pd.isna(claim[0]) or claim[0] in alone)
            ]
            if preferred is None and direct:
                # the latest ``as_of`` (undated first), the last such row on a tie
                latest = sorted(
                    direct, key=lambda c: (not pd.isna(c[3]), "" if pd.isna(c[3]) else c[3])
                )
                preferred = float(latest[-1][2])
            values += [float(claim[2]) for claim in direct]
            if values:
                out[(corridor_id, iso3)] = _span(values, preferred)
    return out


def _segment_claims(claims: list[Claim], segment_id: str, iso3: str) -> list[float]:
    """Claimed lengths of one whole segment (no country, or the country it lies in)."""
    return [
        float(km)
        for segment, country, km, _ in claims
        if segment == segment_id and (pd.isna(country) or country == iso3)
    ]


def _segment_figures(reported, claims: list[Claim], segment_id: str, iso3: str):
    """Lowest and highest published length of one segment (its own and segment claims)."""
    values = [float(reported)] if not pd.isna(reported) else []
    values += _segment_claims(claims, segment_id, iso3)
    return min(values), max(values)


def _known(reported, claims: list[Claim], segment_id: str, iso3: str) -> bool:
    return not pd.isna(reported) or len(_segment_claims(claims, segment_id, iso3)) > 0
