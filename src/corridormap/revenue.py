"""Transit revenue estimates: volume × tariff (× km inside the country), in three scenarios.

Inputs are ``data/tariffs.csv`` (one row per corridor and country where a transit payment applies)
and ``data/fx.csv`` (exchange rates for tariffs not in US dollars); the km of a per-km tariff come
from :func:`corridormap.measure.lengths.lengths_by_country` (the reported km where the line is a
sketch), except a back-solved tariff, charged on the ``solved_over_km`` it was solved over. Every
figure returned is labelled: an estimate, with the scenario, the formula spelled out and the
sources, or, for a back-solved tariff, the claim it restates ("claim restated").
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from corridormap._memo import per_atlas
from corridormap._util import is_sketch, split_ids
from corridormap.atlas.core import Atlas, Tariffs
from corridormap.errors import DataError, SelectionError
from corridormap.vocabulary import INPUT_LIMITS, INPUTS, SCENARIOS, TARIFF_UNITS, VOLUME_UNITS

__all__ = [
    "Tariffs",
    "revenue_by_corridor",
    "revenue_by_country",
    "sensitivity",
    "transit_revenue",
]

Scenario = Literal["low", "base", "high"]

COLUMNS = [
    "corridor_id", "iso3", "scenario", "volume", "volume_unit", "tariff", "tariff_unit", "km",
    "revenue_usd", "revenue_usd_low", "revenue_usd_high", "formula", "source_ids", "note",
    "label", "is_proxy", "tariff_kind", "km_basis", "tariff_id", "basis", "volume_year",
    "tariff_year",
]  # fmt: skip
#: Labels of a row by its tariff's kind: a back-solved tariff gives back the claim it came from.
KIND_LABELS = {
    "published": "estimate",
    "proxy": "estimate (proxy tariff)",
    "back_solved": "claim restated (back-solved tariff)",
}
OVERRIDE_FIELDS = ("volume", "tariff", "km", *(f"{i}_{s}" for i in INPUTS for s in SCENARIOS))


# --------------------------------------------------------------------------- inputs


def _num(value: float) -> str:
    """A number as written in a formula: thousands separated, else four significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _fx(fx: pd.DataFrame, currency: str, year: str) -> tuple[float, str, str]:
    """Rate per USD, its date and source: the row whose year is nearest the tariff's year."""
    if currency == "USD":
        return 1.0, "", ""
    rows = fx[fx["currency"] == currency]
    distance = (rows["date"].str[:4].astype(int) - int(year[:4])).abs()
    best = rows.loc[distance.sort_values(kind="stable").index[0]]
    return float(best["rate"]), str(best["date"]), str(best["source_id"])


def _apply(rows: pd.DataFrame, overrides: dict | None) -> pd.DataFrame:
    """Replace inputs as asked: keys are corridor ids or tariff ids, fields in OVERRIDE_FIELDS."""
    rows = rows.assign(override="")
    for key, fields in (overrides or {}).items():
        hit = (rows["corridor_id"] == key) | (rows["tariff_id"] == key)
        if not hit.any():
            known = ", ".join(sorted(set(rows["corridor_id"])))
            raise SelectionError(f"no tariff row for {key!r}; corridors with tariffs: {known}")
        for field, value in dict(fields).items():
            if field not in OVERRIDE_FIELDS:
                raise SelectionError(
                    f"cannot override {field!r} of {key}; use one of {', '.join(OVERRIDE_FIELDS)}"
                )
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise SelectionError(f"{key}.{field}: {value!r} is not a number") from None
            if not number >= 0:
                raise SelectionError(f"{key}.{field}: {value!r} must be a number >= 0")
            limit = INPUT_LIMITS[field.split("_")[0]]
            if not number <= limit:  # the limit tariffs.csv is held to
                raise SelectionError(
                    f"{key}.{field}: {number:g} is implausibly large (limit {limit:,.0f}, as "
                    "in tariffs.csv)"
                )
            columns = [f"{field}_{s}" for s in SCENARIOS] if field in INPUTS else [field]
            for column in columns:
                rows.loc[hit, column] = number
            rows.loc[hit, "override"] += f" Override: {field} = {_num(number)}."
    return rows


def _with_km(rows: pd.DataFrame, atlas: Atlas) -> pd.DataFrame:
    """Add the km each per-km row is charged on, and how they were chosen (flat rows get NaN).

    A back-solved tariff is charged on the km it was solved over (``solved_over_km``), so it gives
    back the claim it came from. Any other per-km tariff is charged on the drawn line inside its
    country, except where that line is a sketch (worse than ``settings.line_data_accuracy_km``)
    and a published length exists: then on the published km.
    """
    from corridormap.measure.lengths import lengths_by_country

    per_km = rows[rows["basis"] == "per_km"]
    km = pd.Series(float("nan"), index=rows.index)
    basis = pd.Series("", index=rows.index, dtype=object)
    if len(per_km):
        lengths = lengths_by_country(atlas.subset(set(per_km["corridor_id"])))
        keyed = lengths.groupby(["corridor_id", "iso3"])
        drawn = keyed["length_km"].sum().to_dict()
        reported = keyed["length_km_reported"].first().to_dict()
        accuracy = keyed["positional_accuracy_km"].max().to_dict()
        for index, row in per_km.iterrows():
            key = (row["corridor_id"], row["iso3"])
            solved = row.get("solved_over_km")
            sketch = bool(is_sketch(accuracy.get(key, 0.0)))
            if row["tariff_kind"] == "back_solved" and not pd.isna(solved):
                km[index] = float(solved)
                basis[index] = f"solved over {float(solved):,.2f} km"
            elif sketch and not pd.isna(reported.get(key)):
                km[index] = float(reported[key])
                basis[index] = (
                    f"reported {float(reported[key]):,.1f} km (the drawn line is a sketch, "
                    f"{drawn.get(key, 0.0):,.0f} km as drawn, ±{accuracy[key]:g} km)"
                )
            else:
                km[index] = drawn.get(key, 0.0)
                how = f", ±{accuracy[key]:g} km" if key in accuracy else ""
                basis[index] = f"as drawn{how}"
    if "km" in rows:  # an override
        basis = basis.where(rows["km"].isna(), "override")
        km = rows["km"].where(rows["km"].notna(), km)
    missing = rows[(rows["basis"] == "per_km") & ~(km > 0)]
    if len(missing):
        raise DataError(
            f"tariffs.csv: tariff_id={r.tariff_id}: per-km tariff but the drawn line of "
            f"{r.corridor_id} has no km in {r.iso3}"
            for r in missing.itertuples()
        )
    return rows.assign(km=km, km_basis=basis)


def _inputs(atlas: Atlas, tariffs: Tariffs | None, overrides: dict | None) -> pd.DataFrame:
    """Tariff rows of the atlas's corridors, overridden, with km and exchange rates."""
    tariffs = tariffs if tariffs is not None else atlas.tariffs
    rows = _apply(tariffs.rows, overrides)
    rows = rows[rows["corridor_id"].isin(set(atlas.corridors["corridor_id"]))]
    if rows.empty:
        return rows
    rows = _with_km(rows, atlas)
    fx = [
        _fx(tariffs.fx, unit.split("/", 1)[0], year)
        for unit, year in zip(rows["tariff_unit"], rows["tariff_year"], strict=True)
    ]
    return rows.assign(
        fx_rate=[f[0] for f in fx], fx_date=[f[1] for f in fx], fx_source=[f[2] for f in fx]
    )


# --------------------------------------------------------------------------- model


def _usd(row: pd.Series, volume: float, tariff: float) -> float:
    """Revenue in USD a year for one row at the given volume and tariff."""
    _, per_unit = VOLUME_UNITS[row["volume_unit"]]
    _, per_km = TARIFF_UNITS[row["tariff_unit"].split("/", 1)[1]]
    distance = row["km"] * per_km if per_km is not None else 1.0
    return volume * per_unit * tariff * distance / row["fx_rate"]


def _formula(row: pd.Series, volume: float, tariff: float, usd: float) -> str:
    parts = [f"{_num(volume)} {row['volume_unit']}", f"{_num(tariff)} {row['tariff_unit']}"]
    if row["basis"] == "per_km":
        parts.append(f"{row['km']:,.1f} km")
    text = " × ".join(parts)
    if row["fx_rate"] != 1.0:
        currency = row["tariff_unit"].split("/", 1)[0]
        text += f" ÷ {_num(row['fx_rate'])} {currency}/USD"
    return f"{text} = {usd / 1e6:,.1f} M USD/yr"


def _note(row: pd.Series, scenario: str) -> str:
    if row["tariff_kind"] == "back_solved":
        parts = [
            f"CLAIM RESTATED, {scenario} scenario: no tariff has been published; the tariff is "
            "back-solved from a published revenue claim and charged on the same km, so the base "
            "gives the claim back. Not an independent estimate: it cannot confirm or refute the "
            "claim."
        ]
    else:
        parts = [f"ESTIMATE, {scenario} scenario."]
    if row["tariff_kind"] == "proxy":
        parts.append("PROXY: no tariff published for this corridor; another system's tariff used.")
    if row["basis"] == "per_km":
        parts.append(f"km inside {row['iso3']}: {row['km_basis']}.")
    if row["fx_rate"] != 1.0:
        parts.append(_fx_note(row))
    if isinstance(row["note"], str) and row["note"]:
        parts.append(row["note"])
    return " ".join(parts) + row["override"]


def _fx_note(row: pd.Series) -> str:
    """Which exchange rate converted the tariff, flagging a rate from another year."""
    currency = row["tariff_unit"].split("/", 1)[0]
    text = (
        f"Converted at {_num(row['fx_rate'])} {currency}/USD ({row['fx_date']}, "
        f"{row['fx_source']}); tariff year {row['tariff_year']}."
    )
    gap = abs(int(row["fx_date"][:4]) - int(row["tariff_year"][:4]))
    if gap > 1:
        text += (
            f" CAUTION: the exchange rate is {gap} years from the tariff's year; "
            "add a rate for that year to fx.csv."
        )
    return text


def _sources(row: pd.Series) -> str:
    columns = [f"{i}_{s}_source" for i in INPUTS for s in SCENARIOS]
    ids = [i for c in columns for i in split_ids(row[c])] + split_ids(row["fx_source"] or None)
    return ";".join(dict.fromkeys(ids))


def _result(row: pd.Series, scenario: str) -> dict:
    volume, tariff = row[f"volume_{scenario}"], row[f"tariff_{scenario}"]
    usd = _usd(row, volume, tariff)
    return {
        "corridor_id": row["corridor_id"],
        "iso3": row["iso3"],
        "scenario": scenario,
        "volume": volume,
        "volume_unit": row["volume_unit"],
        "tariff": tariff,
        "tariff_unit": row["tariff_unit"],
        "km": row["km"],
        "revenue_usd": usd,
        "revenue_usd_low": _usd(row, row["volume_low"], row["tariff_low"]),
        "revenue_usd_high": _usd(row, row["volume_high"], row["tariff_high"]),
        "formula": _formula(row, volume, tariff, usd),
        "source_ids": _sources(row),
        "note": _note(row, scenario),
        "label": KIND_LABELS[row["tariff_kind"]],
        "is_proxy": row["tariff_kind"] == "proxy",
        "tariff_kind": row["tariff_kind"],
        "km_basis": row["km_basis"] or None,
        "tariff_id": row["tariff_id"],
        "basis": row["basis"],
        "volume_year": row["volume_year"],
        "tariff_year": row["tariff_year"],
    }


def _check_scenario(scenario: str) -> None:
    if scenario not in SCENARIOS:
        raise SelectionError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")


@per_atlas(by_corridor=True)  # computed once per atlas and scenario (without overrides)
def transit_revenue(
    atlas: Atlas,
    *,
    scenario: Scenario = "base",
    overrides: dict[str, dict[str, float]] | None = None,
    tariffs: Tariffs | None = None,
) -> pd.DataFrame:
    """Estimate the yearly transit revenue of each corridor in each country that charges one.

    Revenue = volume × tariff (× km inside the country for a per-km tariff) ÷ the exchange rate
    of a tariff not in USD. ``low`` puts every input at its low value, ``high`` at its high.

    Parameters
    ----------
    atlas
        The atlas (or a selection of it); only its corridors are returned.
    scenario
        ``low``, ``base`` or ``high``: the inputs behind ``volume``, ``tariff`` and ``revenue_usd``.
    overrides
        Inputs to replace, by corridor id (or tariff id):
        ``{"cku_railway": {"volume": 20}}``. Fields: ``volume``, ``tariff`` (all three scenarios),
        ``volume_low`` … ``tariff_high`` (one scenario) and ``km``; units as in the table.
    tariffs
        Inputs already read by :func:`corridormap.atlas.core.read_tariffs`; ``None`` uses
        ``atlas.tariffs``, the tables :func:`corridormap.load` validated (or
        :meth:`~corridormap.Atlas.from_frames` was given; none there gives an empty table).

    Returns
    -------
    pandas.DataFrame
        One row per corridor × country: ``corridor_id, iso3, scenario, volume, volume_unit,
        tariff, tariff_unit, km, revenue_usd, revenue_usd_low, revenue_usd_high, formula,
        source_ids, note, label, is_proxy, tariff_kind, km_basis, tariff_id, basis, volume_year,
        tariff_year``; ``tariff_kind`` is ``published``, ``proxy`` or ``back_solved`` (the row
        restates the claim the tariff was solved from, labelled so, never an estimate);
        money in US dollars a year (nominal, in the tariff's year); every row an estimate except
        the back-solved ones.

    Raises
    ------
    SelectionError
        For an unknown ``scenario``, or an ``overrides`` key that names no tariff row, a field
        that cannot be overridden, or a value that is not a number >= 0 (one line each).

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> table = cm.transit_revenue(atlas, scenario="base")
    >>> (table.set_index(["corridor_id", "iso3"])["revenue_usd"] / 1e6).round(1)
    corridor_id  iso3
    cku_railway  KGZ     200.0
    kz_cn_oil    KAZ     171.0
    cagp_abc     KAZ     791.7
                 UZB     354.7
    Name: revenue_usd, dtype: float64
    >>> cku = cm.transit_revenue(cm.select(atlas, corridor="cku_railway"),
    ...                          overrides={"cku_railway": {"volume": 20}})
    >>> print(cku["formula"].iloc[0])
    20 Mt/yr × 0.06559 USD/t-km × 304.9 km = 400.0 M USD/yr
    """
    _check_scenario(scenario)
    rows = _inputs(atlas, tariffs, overrides)
    records = [_result(row, scenario) for _, row in rows.iterrows()]
    return pd.DataFrame(records, columns=COLUMNS)


def _total_label(kinds: list[str]) -> str:
    """What a sum of rows is: a restated claim alone, or estimates (with what is among them)."""
    if set(kinds) == {"back_solved"}:
        return KIND_LABELS["back_solved"]
    parts = ["a proxy tariff"] * ("proxy" in kinds) + ["a restated claim"] * (
        "back_solved" in kinds
    )
    return f"estimate (includes {' and '.join(parts)})" if parts else "estimate"


def _totals(frame: pd.DataFrame, keys: list[str], scenario: str) -> pd.DataFrame:
    money = ["revenue_usd", "revenue_usd_low", "revenue_usd_high"]
    grouped = frame.groupby(keys, sort=False)
    out = grouped[money].sum().reset_index()
    out["scenario"] = scenario
    out["includes_proxy"] = grouped["is_proxy"].any().to_numpy()
    kinds = [list(k) for k in grouped["tariff_kind"].agg(list)]
    out["includes_restated_claim"] = ["back_solved" in k for k in kinds]
    out["tariff_kinds"] = [";".join(dict.fromkeys(k)) for k in kinds]
    out["label"] = [_total_label(k) for k in kinds]
    return out


def revenue_by_country(
    atlas: Atlas,
    *,
    scenario: Scenario = "base",
    overrides: dict[str, dict[str, float]] | None = None,
    tariffs: Tariffs | None = None,
) -> pd.DataFrame:
    """Sum the estimates of :func:`transit_revenue` per country (for the choropleth and briefs).

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    scenario, overrides, tariffs
        As for :func:`transit_revenue`.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, revenue_usd, revenue_usd_low, revenue_usd_high, scenario,
        includes_proxy, label, corridor_ids`` (``;``-separated); USD a year, estimates.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> table = cm.revenue_by_country(atlas, scenario="base").set_index("iso3")
    >>> (table[["revenue_usd_low", "revenue_usd", "revenue_usd_high"]] / 1e6).round(0)
          revenue_usd_low  revenue_usd  revenue_usd_high
    iso3
    KGZ              93.0        200.0             300.0
    KAZ             701.0        963.0            1345.0
    UZB             271.0        355.0             488.0
    >>> table["label"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['claim restated (back-solved tariff)', 'estimate (includes a proxy tariff)',
     'estimate (includes a proxy tariff)']
    """
    frame = transit_revenue(atlas, scenario=scenario, overrides=overrides, tariffs=tariffs)
    out = _totals(frame, ["iso3"], scenario)
    names = dict(zip(atlas.countries["iso3"], atlas.countries["name"], strict=True))
    out.insert(1, "country", out["iso3"].map(names))
    out["corridor_ids"] = frame.groupby("iso3", sort=False)["corridor_id"].agg(";".join).to_numpy()
    return out


def revenue_by_corridor(
    atlas: Atlas,
    *,
    scenario: Scenario = "base",
    overrides: dict[str, dict[str, float]] | None = None,
    tariffs: Tariffs | None = None,
) -> pd.DataFrame:
    """Sum the estimates of :func:`transit_revenue` per corridor (for map popups).

    Parameters
    ----------
    atlas
        The atlas (or a selection of it).
    scenario, overrides, tariffs
        As for :func:`transit_revenue`.

    Returns
    -------
    pandas.DataFrame
        ``corridor_id, revenue_usd, revenue_usd_low, revenue_usd_high, scenario, includes_proxy,
        label, countries`` (``;``-separated ISO3); USD a year, estimates.
    """
    frame = transit_revenue(atlas, scenario=scenario, overrides=overrides, tariffs=tariffs)
    out = _totals(frame, ["corridor_id"], scenario)
    out["countries"] = frame.groupby("corridor_id", sort=False)["iso3"].agg(";".join).to_numpy()
    return out


def sensitivity(
    atlas: Atlas,
    corridor_id: str,
    *,
    country: str | None = None,
    overrides: dict[str, dict[str, float]] | None = None,
    tariffs: Tariffs | None = None,
) -> pd.DataFrame:
    """Tornado table: the revenue when one input moves to its low or high value, others at base.

    Parameters
    ----------
    atlas
        The atlas.
    corridor_id
        The corridor.
    country
        ISO3 code of one of its countries; ``None``: every country where it has a tariff.
    overrides, tariffs
        As for :func:`transit_revenue`.

    Returns
    -------
    pandas.DataFrame
        ``corridor_id, iso3, input, unit, value_low, value_base, value_high, revenue_usd_low,
        revenue_usd_base, revenue_usd_high, change_usd_low, change_usd_high, swing_usd, label``,
        widest swing first; USD a year, estimates.

    Raises
    ------
    SelectionError
        If the corridor (in ``country``) has no tariff row, or for bad ``overrides`` as in
        :func:`transit_revenue`.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()
    >>> table = cm.sensitivity(atlas, "cku_railway", country="KGZ")
    >>> table[["input", "unit", "value_low", "value_base", "value_high"]]
        input      unit  value_low  value_base  value_high
    0  volume     Mt/yr    7.00000    10.00000    15.00000
    1  tariff  USD/t-km    0.04372     0.06559     0.06559
    >>> (table["swing_usd"] / 1e6).round(1).tolist()
    [160.0, 66.7]
    """
    rows = _inputs(atlas, tariffs, overrides)
    if not rows.empty:
        rows = rows[
            (rows["corridor_id"] == corridor_id) & (country is None or rows["iso3"] == country)
        ]
    if rows.empty:
        where = f" in {country}" if country else ""
        raise SelectionError(f"no tariff row for corridor {corridor_id!r}{where}")
    records = []
    for _, row in rows.iterrows():
        base = _usd(row, row["volume_base"], row["tariff_base"])
        for input_ in INPUTS:
            values = {s: row[f"{input_}_{s}"] for s in SCENARIOS}
            other = "tariff" if input_ == "volume" else "volume"
            low, high = (
                _usd(row, **{input_: values[s], other: row[f"{other}_base"]})
                for s in ("low", "high")
            )
            unit = row["volume_unit"] if input_ == "volume" else row["tariff_unit"]
            records.append(
                {
                    "corridor_id": row["corridor_id"],
                    "iso3": row["iso3"],
                    "input": input_,
                    "unit": unit,
                    **{f"value_{s}": values[s] for s in SCENARIOS},
                    "revenue_usd_low": low,
                    "revenue_usd_base": base,
                    "revenue_usd_high": high,
                    "change_usd_low": low - base,
                    "change_usd_high": high - base,
                    "swing_usd": abs(high - low),
                    "label": "estimate (one input moved, others at base)",
                }
            )
    table = pd.DataFrame(records).sort_values("swing_usd", ascending=False, kind="stable")
    return table.reset_index(drop=True)
