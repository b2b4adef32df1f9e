"""Tables of the revenue model: ``tariffs.csv`` and ``fx.csv`` — units, schemas, checks, reader.

Each problem is one line naming the file, the row as a spreadsheet shows it, the column and what
is wrong; :func:`read_tariffs` collects them all and raises one
:class:`~corridormap.errors.DataError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import DataError
from .io import InputError, display_path, read_table, resolve_dirs
from .problems import schema_problems
from .schema import DATE_RE, ID_LIST_RE, ID_RE, ISO3_RE, _number, _text, _vocab

SCENARIOS: tuple[str, ...] = ("low", "base", "high")
INPUTS = ("volume", "tariff")
BASES = ("per_km", "flat")

#: Volume units: (quantity the tariff is charged on, how many of it one unit per year is).
VOLUME_UNITS: dict[str, tuple[str, float]] = {
    "Mt/yr": ("t", 1e6),
    "kt/yr": ("t", 1e3),
    "t/yr": ("t", 1.0),
    "bcm/yr": ("1000m3", 1e6),
    "mcm/yr": ("1000m3", 1e3),
    "TEU/yr": ("TEU", 1.0),
    "trucks/yr": ("truck", 1.0),
}
#: Tariff units without the currency: (quantity, per-km factor or None for a flat fee).
TARIFF_UNITS: dict[str, tuple[str, float | None]] = {
    "t": ("t", None),
    "t-km": ("t", 1.0),
    "t/1000km": ("t", 1e-3),
    "1000m3": ("1000m3", None),
    "1000m3/100km": ("1000m3", 1e-2),
    "TEU": ("TEU", None),
    "TEU-km": ("TEU", 1.0),
    "truck": ("truck", None),
    "truck-km": ("truck", 1.0),
}
CURRENCY_RE = r"^[A-Z]{3}$"
TARIFF_UNIT_RE = r"^[A-Z]{3}/(" + "|".join(u.replace("/", r"\/") for u in TARIFF_UNITS) + r")$"
YEAR_RE = r"^\d{4}(\+|-\d{4})?$"

TARIFFS = pa.DataFrameSchema(
    {
        "tariff_id": _text(pa.Check.str_matches(ID_RE), nullable=False, unique=True),
        "corridor_id": _text(pa.Check.str_matches(ID_RE), nullable=False),
        "iso3": _text(pa.Check.str_matches(ISO3_RE), nullable=False),
        "basis": _vocab(BASES),
        **{f"volume_{s}": _number(nullable=False) for s in SCENARIOS},
        "volume_unit": _vocab(tuple(VOLUME_UNITS)),
        "volume_year": _text(pa.Check.str_matches(YEAR_RE), nullable=False),
        **{
            f"volume_{s}_source": _text(pa.Check.str_matches(ID_LIST_RE), nullable=False)
            for s in SCENARIOS
        },
        **{f"tariff_{s}": _number(nullable=False) for s in SCENARIOS},
        "tariff_unit": _text(pa.Check.str_matches(TARIFF_UNIT_RE), nullable=False),
        "tariff_year": _text(pa.Check.str_matches(YEAR_RE), nullable=False),
        **{
            f"tariff_{s}_source": _text(pa.Check.str_matches(ID_LIST_RE), nullable=False)
            for s in SCENARIOS
        },
        "is_proxy": _vocab(("true", "false")),
        "note": _text(pa.Check.str_length(0, 4000)),
    },
    strict=True,
    name="tariffs",
)

FX = pa.DataFrameSchema(
    {
        "currency": _text(pa.Check.str_matches(CURRENCY_RE), nullable=False),
        "rate": pa.Column(float, pa.Check.gt(0), nullable=False, coerce=True),
        "date": _text(pa.Check.str_matches(DATE_RE), nullable=False),
        "source_id": _text(pa.Check.str_matches(ID_RE), nullable=False),
        "note": _text(pa.Check.str_length(0, 2000)),
    },
    strict=True,
    name="fx",
)


@dataclass(frozen=True)
class Tariffs:
    """The validated inputs: one row per tariff, and the exchange-rate table."""

    rows: pd.DataFrame
    fx: pd.DataFrame


# --------------------------------------------------------------------------- reading


def split_ids(value: object) -> list[str]:
    """Ids of a ``;``-separated cell (empty for a missing cell)."""
    return [v for v in str(value).split(";") if v] if isinstance(value, str) else []


def _read(path: Path, table_schema: pa.DataFrameSchema, id_column: str):
    """The checked table (or None) and one line per problem found in it."""
    where = display_path(path)
    if not path.is_file():
        return None, [f"{where}: file not found"]
    try:
        frame = read_table(path)
    except InputError as exc:
        return None, [f"{where}: {exc}"]
    except (pd.errors.ParserError, OSError) as exc:
        return None, [f"{where}: cannot be read as CSV ({type(exc).__name__})"]
    return schema_problems(frame, table_schema, where, id_column, "row")


def _row_problems(rows: pd.DataFrame, fx: pd.DataFrame, data_dir: Path) -> list[str]:
    """Links and units: known corridor, country, sources and currency; compatible units."""
    where = display_path(data_dir / "tariffs.csv")
    projects = (
        read_table(data_dir / "projects.csv") if (data_dir / "projects.csv").is_file() else None
    )
    sources = read_table(data_dir / "sources.csv") if (data_dir / "sources.csv").is_file() else None
    countries = (
        {}
        if projects is None
        else dict(zip(projects["corridor_id"], projects["countries"], strict=True))
    )
    known_sources = set() if sources is None else set(sources["source_id"])
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, row in rows.iterrows():
        label = f"{where}: row {int(index) + 2} (tariff_id={row['tariff_id']})"

        def bad(column: str, text: str, label: str = label) -> None:
            problems.append(f"{label}: column '{column}': {text}")

        corridor, iso3 = row["corridor_id"], row["iso3"]
        if projects is not None and corridor not in countries:
            bad("corridor_id", f"unknown corridor '{corridor}' (not in projects.csv)")
        elif projects is not None and iso3 not in split_ids(countries[corridor]):
            bad("iso3", f"{iso3} is not one of the countries of {corridor} ({countries[corridor]})")
        if (corridor, iso3) in seen:
            bad(
                "iso3",
                f"a second row for {corridor} in {iso3}; give one row per corridor and country",
            )
        seen.add((corridor, iso3))
        if sources is not None:
            for column in [c for c in rows.columns if c.endswith("_source")]:
                for source_id in split_ids(row[column]):
                    if source_id not in known_sources:
                        bad(column, f"unknown source id '{source_id}' (not in sources.csv)")
        for input_ in INPUTS:
            values = [row[f"{input_}_{s}"] for s in SCENARIOS]
            if not values[0] <= values[1] <= values[2]:
                shown = " / ".join(f"{v:g}" for v in values)
                bad(f"{input_}_base", f"low / base / high must not decrease; got {shown}")
        unit_problem = _unit_problem(row)
        if unit_problem:
            bad(*unit_problem)
        currency = row["tariff_unit"].split("/", 1)[0]
        if currency != "USD" and currency not in set(fx["currency"]):
            bad("tariff_unit", f"no exchange rate for {currency} in fx.csv")
    return problems


def _unit_problem(row: pd.Series) -> tuple[str, str] | None:
    """Column and message if the volume and tariff units (or the basis) do not fit together."""
    quantity, _ = VOLUME_UNITS[row["volume_unit"]]
    tariff_quantity, per_km = TARIFF_UNITS[row["tariff_unit"].split("/", 1)[1]]
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


def read_tariffs(data_dir: str | Path | None = None) -> Tariffs:
    """Read and check ``tariffs.csv`` and ``fx.csv``.

    Parameters
    ----------
    data_dir
        Folder of the tables; ``None`` means the data shipped with corridormap. Corridor ids and
        countries are checked against its ``projects.csv``, source ids against ``sources.csv``.

    Returns
    -------
    Tariffs
        ``rows`` (numbers as floats, ``is_proxy`` as bool) and ``fx``.

    Raises
    ------
    DataError
        One line per problem, naming file, row (as a spreadsheet shows it), column and the fix.
    """
    folder = resolve_dirs(None, data_dir)[1]
    fx, problems = _read(folder / "fx.csv", FX, "currency")
    rows, more = _read(folder / "tariffs.csv", TARIFFS, "tariff_id")
    problems += more
    if rows is not None and fx is not None:
        problems += _row_problems(rows, fx, folder)
    if problems or rows is None or fx is None:
        raise DataError(problems)
    rows = rows.assign(is_proxy=rows["is_proxy"] == "true")
    return Tariffs(rows=rows.reset_index(drop=True), fx=fx.reset_index(drop=True))
