"""The revenue model's tables, ``tariffs.csv`` and ``fx.csv``: their cross-file rules and inputs.

The schemas and units are in :mod:`corridormap.validation.schema` (``TARIFFS``, ``FX``,
``VOLUME_UNITS``,
``TARIFF_UNITS``) and both tables are read and checked by
:func:`corridormap.validation.runner.validate`
with the rest of ``data/``; the rules below, one named check each, run there too (see
:data:`corridormap.validation.runner.CHECKS`). :func:`corridormap.atlas.core.tariffs_from` turns
the validated
tables into the model's inputs, which :func:`corridormap.atlas.core.load` keeps as
``Atlas.tariffs``.
"""

from __future__ import annotations

import pandas as pd
import shapely

from corridormap.validation import schema
from corridormap.validation.rules import Check, ValidationReport, all_lines_read, line, split_ids
from corridormap.validation.schema import FX, SCENARIOS, TARIFF_UNITS, TARIFFS, VOLUME_UNITS
from corridormap.vocabulary import INPUTS

__all__ = [
    "FX",
    "INPUTS",
    "SCENARIOS",
    "TARIFFS",
    "TARIFF_UNITS",
    "VOLUME_UNITS",
    "split_ids",
    "unit_problem",
]


# --------------------------------------------------------------------------- rules


def _tariffs(report: ValidationReport) -> pd.DataFrame:
    return report.tables.get("tariffs", pd.DataFrame(columns=list(schema.TARIFFS.columns)))


def _check_tariff_countries(report: ValidationReport) -> list[str]:
    """A tariff's country is one of its corridor's countries (projects.csv)."""
    projects = report.tables.get("projects")
    if projects is None:
        return []
    countries = dict(zip(projects["corridor_id"], projects["countries"], strict=True))
    return [
        line(
            report,
            "tariffs",
            i,
            f"{iso3} is not one of the countries of {c} ({countries[c]})",
            "iso3",
        )
        for i, c, iso3 in _tariffs(report)[["corridor_id", "iso3"]].itertuples()
        if c in countries and iso3 not in split_ids(countries[c])
    ]


def _check_tariff_pairs(report: ValidationReport) -> list[str]:
    """One tariff row per corridor and country."""
    tariffs = _tariffs(report)
    again = tariffs[tariffs.duplicated(["corridor_id", "iso3"])]
    return [
        line(
            report,
            "tariffs",
            index,
            f"a second row for {corridor} in {iso3}; give one row per corridor and country",
            "iso3",
        )
        for index, corridor, iso3 in again[["corridor_id", "iso3"]].itertuples()
    ]


def _check_tariff_scenarios(report: ValidationReport) -> list[str]:
    """Low, base and high volumes (and tariffs) do not decrease."""
    tariffs, problems = _tariffs(report), []
    for input_ in ("volume", "tariff"):
        values = tariffs[[f"{input_}_{s}" for s in schema.SCENARIOS]]
        for index, low, base, high in values.itertuples():
            if not low <= base <= high:
                shown = f"{low:g} / {base:g} / {high:g}"
                text = f"low / base / high must not decrease; got {shown}"
                problems.append(line(report, "tariffs", index, text, f"{input_}_base"))
    return problems


def unit_problem(row: pd.Series) -> tuple[str, str] | None:
    """Column and message if a tariff's volume and tariff units (or basis) do not fit together."""
    quantity, _ = schema.VOLUME_UNITS[row["volume_unit"]]
    tariff_quantity, per_km = schema.TARIFF_UNITS[row["tariff_unit"].split("/", 1)[1]]
    if quantity != tariff_quantity:
        return (
            "tariff_unit",
            f"{row['tariff_unit']} is charged per {tariff_quantity} but the volume is in "
            f"{row['volume_unit']} ({quantity}); give both in the same quantity",
        )
    if (row["basis"] == "per_km") != (per_km is not None):
        want = "a per-km unit such as USD/t-km" if row["basis"] == "per_km" else "a flat unit"
        return "tariff_unit", f"basis is {row['basis']} but {row['tariff_unit']} is not {want}"
    return None


def _check_tariff_units(report: ValidationReport) -> list[str]:
    """Volume and tariff are in the same quantity; a per-km basis has a per-km unit."""
    problems = []
    for index, row in _tariffs(report).iterrows():
        found = unit_problem(row)
        if found:
            problems.append(line(report, "tariffs", index, found[1], found[0]))
    return problems


def _check_tariff_currency(report: ValidationReport) -> list[str]:
    """A tariff not in US dollars has an exchange rate in fx.csv."""
    fx = report.tables.get("fx")
    if fx is None and (report.data_dir / "fx.csv").is_file():
        return []  # fx.csv is there but broken: its reader said so
    known = {"USD"} | (set() if fx is None else set(fx["currency"]))
    return [
        line(report, "tariffs", index, f"no exchange rate for {unit[:3]} in fx.csv", "tariff_unit")
        for index, unit in _tariffs(report)["tariff_unit"].items()
        if unit.split("/", 1)[0] not in known
    ]


def _check_tariff_km(report: ValidationReport) -> list[str]:
    """A per-km tariff's corridor is drawn inside the tariff's country (its km are measured)."""
    countries = report.layers.get("countries")
    per_km = _tariffs(report).query("basis == 'per_km'")
    if countries is None or not all_lines_read(report) or per_km.empty:
        return []
    lines = pd.concat([report.layers[n] for n in schema.LINE_LAYERS]).groupby("corridor_id")
    shapes = dict(zip(countries["iso3"], countries.geometry, strict=True))
    problems = []
    for index, corridor, iso3 in per_km[["corridor_id", "iso3"]].itertuples():
        if corridor not in lines.groups or iso3 not in shapes:
            continue  # an unknown corridor or country: said above
        drawn = shapely.union_all(lines.get_group(corridor).geometry.values)
        if shapely.intersection(drawn, shapes[iso3]).length == 0:
            text = f"per-km tariff but the drawn line of {corridor} has no km in {iso3}"
            problems.append(line(report, "tariffs", index, text, "iso3"))
    return problems


def _check_tariff_solved_km(report: ValidationReport) -> list[str]:
    """A back-solved per-km tariff says over which km it was solved (and only such a tariff)."""
    tariffs = _tariffs(report)
    km = (
        tariffs["solved_over_km"] if "solved_over_km" in tariffs else pd.Series(index=tariffs.index)
    )
    problems = []
    for index, kind, basis, value in zip(
        tariffs.index, tariffs["tariff_kind"], tariffs["basis"], km, strict=True
    ):
        solved = kind == "back_solved" and basis == "per_km"
        if solved and pd.isna(value):
            text = (
                "a back_solved per-km tariff needs the km it was solved over, so that it is "
                "charged on the same km"
            )
            problems.append(line(report, "tariffs", index, text, "solved_over_km"))
        elif not solved and not pd.isna(value):
            text = f"only a back_solved per-km tariff has solved_over_km; this one is {kind}"
            problems.append(line(report, "tariffs", index, text, "solved_over_km"))
    return problems


#: The revenue tables' cross-file rules, in the order their problems are listed.
CHECKS: list[Check] = [
    _check_tariff_countries,
    _check_tariff_pairs,
    _check_tariff_scenarios,
    _check_tariff_units,
    _check_tariff_currency,
    _check_tariff_km,
    _check_tariff_solved_km,
]
