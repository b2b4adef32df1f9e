"""Compute once per atlas: memoise a function of an :class:`~corridormap.atlas.Atlas` object.

A map asks for the per-country lengths in its popups, its revenue choropleth and its revenue
model; a brief asks again. :func:`per_atlas` keeps each answer for as long as the atlas object
lives (keyed on the object, so callers need not change), and hands out copies so no caller
can spoil another's. An atlas is treated as immutable: change its frames in place and the
answers kept for it are stale (``dataclasses.replace`` makes a new atlas, with no answers yet).
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

#: Each memoised function's answers: id(atlas) -> (weak reference to it, {arguments: answer}).
_Store = dict[int, tuple[weakref.ref, dict[Hashable, Any]]]


def settings_key() -> tuple[tuple[str, str], ...]:
    """The current settings (``corridormap.settings``), as a hashable key."""
    from . import settings

    return tuple(
        (name, repr(value))
        for name, value in sorted(vars(settings).items())
        if not name.startswith("_") and isinstance(value, str | int | float | tuple | type(None))
    )


def per_atlas(*, by_corridor: bool = False) -> Callable[[F], F]:
    """Memoise ``function(atlas, ...)`` per atlas object and per (hashable) arguments.

    Calls with an argument that cannot be a key (a dict of overrides, a table) are not kept.
    With ``by_corridor`` the function's rows are independent per corridor (a ``corridor_id``
    column): the answer for ``atlas.subset(ids)`` is then cut from its parent's answer.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        store: _Store = {}

        @functools.wraps(function)
        def wrapper(atlas: Any, *args: Any, **kwargs: Any) -> Any:
            key = _key(signature, atlas, args, kwargs)
            if key is None:
                return function(atlas, *args, **kwargs)
            answers = _answers(store, atlas)
            if key not in answers:
                parent, ids = _parent_of(atlas)
                if by_corridor and parent is not None:
                    whole = wrapper(parent, *args, **kwargs)
                    part = whole[whole["corridor_id"].isin(ids)].reset_index(drop=True)
                    answers[key] = part
                else:
                    answers[key] = function(atlas, *args, **kwargs)
                    wrapper.computed += 1  # type: ignore[attr-defined]
            answer = answers[key]
            return answer.copy() if isinstance(answer, pd.DataFrame) else answer

        wrapper.computed = 0  # type: ignore[attr-defined]  # how often it really ran
        wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


#: Atlases made by ``Atlas.subset``: id(part) -> (weak ref to the part, to its parent, the ids).
_PARTS: dict[int, tuple[weakref.ref, weakref.ref, frozenset]] = {}


def remember_part(part: Any, parent: Any, corridor_ids: set[str]) -> None:
    """Record that ``part`` is ``parent`` cut down to ``corridor_ids`` (by ``Atlas.subset``)."""
    ident = id(part)
    ref = weakref.ref(part, lambda _: _PARTS.pop(ident, None))
    _PARTS[ident] = (ref, weakref.ref(parent), frozenset(corridor_ids))


def _parent_of(atlas: Any) -> tuple[Any, frozenset | None]:
    entry = _PARTS.get(id(atlas))
    if entry is None or entry[0]() is not atlas:
        return None, None
    return entry[1](), entry[2]


def _answers(store: _Store, atlas: Any) -> dict[Hashable, Any]:
    ident = id(atlas)
    entry = store.get(ident)
    if entry is None or entry[0]() is not atlas:
        ref = weakref.ref(atlas, lambda _: store.pop(ident, None))
        entry = store[ident] = (ref, {})
    return entry[1]


def _key(signature: inspect.Signature, atlas: Any, args: tuple, kwargs: dict) -> Hashable | None:
    """The arguments after the atlas, plus the settings, as a key; None if one is unhashable."""
    try:
        bound = signature.bind(atlas, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    parts = []
    for name, value in list(bound.arguments.items())[1:]:
        if isinstance(value, set | frozenset):
            value = frozenset(value)
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict) and not value:
            value = None
        try:
            hash(value)
        except TypeError:
            return None
        parts.append((name, value))
    return (tuple(parts), settings_key())
