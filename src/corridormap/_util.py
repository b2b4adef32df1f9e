"""Small helpers every layer uses, written once: option lists, id cells, the sketch test.

Standard library only (the settings and errors modules aside), so that any module may import it.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable
from typing import TypeVar, overload

from corridormap import settings
from corridormap.errors import SelectionError

Accuracy = TypeVar("Accuracy")

#: A filter option: one value, several, or None for all.
Many = str | Iterable[str] | None


def as_list(value: Many) -> list[str]:
    """One value or several as a list (``None`` → ``[]``; a string is one value)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def split_ids(value: object) -> list[str]:
    """Ids of a ``;``-separated cell (empty for a missing cell)."""
    return [v for v in value.split(";") if v] if isinstance(value, str) else []


def is_sketch(accuracy_km: Accuracy) -> Accuracy:
    """True for a line drawn less accurately than the data's own lines (a sketch, haloed).

    Takes one accuracy in km or a Series of them (then a boolean Series).
    """
    return accuracy_km > settings.line_data_accuracy_km  # type: ignore[operator,return-value]


def check_known(kind: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Raise :class:`SelectionError` for the first value of ``given`` not in ``known``.

    The message suggests the closest known values, or lists them all when none is close.
    """
    known = sorted(set(known))
    for value in given:
        if value not in known:
            close = difflib.get_close_matches(value, known, n=3)
            hint = (
                f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"
            )
            raise SelectionError(f"unknown {kind} {value!r}{hint}")


@overload
def check_km(km: float) -> float: ...
@overload
def check_km(km: float | None, *, optional: bool) -> float | None: ...
def check_km(km: float | None, *, optional: bool = False) -> float | None:
    """A distance in km as a float, or :class:`SelectionError` (``None`` allowed if optional).

    Refuses a negative number, NaN, a bool and anything that is not a number (a string "5").
    """
    if km is None and optional:
        return None
    if isinstance(km, bool) or not isinstance(km, numbers.Real) or not km >= 0:
        raise SelectionError(f"km must be a non-negative number; got {km!r}")
    return float(km)
