"""Small helpers every layer uses, written once: option lists, id cells, the sketch test.

Standard library only (the settings module aside), so that any module may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from corridormap import settings

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
