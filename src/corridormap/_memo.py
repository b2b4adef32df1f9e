"""Compute once per atlas: memoise a function of an :class:`~corridormap.atlas.core.Atlas` object.

A map asks for the per-country lengths in its popups, its revenue choropleth and its revenue
model; a brief asks again. :func:`per_atlas` keeps each answer for as long as the atlas object
lives (keyed on the object, so callers need not change), and hands out copies so no caller
can spoil another's. An atlas is treated as immutable: change its frames in place and the
answers kept for it are stale (``dataclasses.replace`` makes a new atlas, with no answers yet).

The atlas cache (:mod:`corridormap.atlas._cache`) keeps a loaded atlas's answers on disk beside it
(:func:`keep_on_disk`), so the next command that loads the same files starts with them.
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
#: Every memoised function's store, by name (``module.qualname``): what the disk cache keeps.
_STORES: dict[str, _Store] = {}
#: Atlases whose answers are kept on disk: id(atlas) -> (weak ref to it, what saves them).
_ON_DISK: dict[int, tuple[weakref.ref, Callable[[dict[str, dict]], None]]] = {}


def settings_key() -> tuple[tuple[str, str], ...]:
    """The current settings (``corridormap.settings``), as a hashable key."""
    from corridormap import settings

    return tuple(
        (name, repr(value))
        for name, value in sorted(vars(settings).items())
        if not name.startswith("_") and isinstance(value, str | int | float | tuple | type(None))
    )


def _name(function: Callable) -> str:
    """A memoised function's name in :data:`_STORES` (its wrapper has the same)."""
    return f"{function.__module__}.{function.__qualname__}"


def per_atlas(*, by_corridor: bool = False, by_language: bool = False) -> Callable[[F], F]:
    """Memoise ``function(atlas, ...)`` per atlas object and per (hashable) arguments.

    Calls with an argument that cannot be a key (a dict of overrides, a table) are not kept.
    With ``by_corridor`` the function's rows are independent per corridor (a ``corridor_id``
    column): the answer for ``atlas.subset(ids)`` is then cut from its parent's answer. Any
    function's answer for a subset that keeps every corridor of its parent is the parent's
    (the two atlases hold the same rows). With ``by_language`` the answer is text in the
    language of the context (:func:`corridormap._i18n.current`), which joins the key.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        store: _Store = {}
        name = _name(function)
        _STORES[name] = store

        @functools.wraps(function)
        def wrapper(atlas: Any, *args: Any, **kwargs: Any) -> Any:
            key = _key(signature, atlas, args, kwargs)
            if key is not None and by_language:
                from corridormap._i18n import current

                lang = current().lang
                key = key if lang == "en" else (key, lang)
            if key is None:
                return function(atlas, *args, **kwargs)
            answers = _answers(store, atlas)
            if key not in answers and _collect(atlas, name):
                answers = _answers(store, atlas)
            if key not in answers:
                parent, ids = _parent_of(atlas)
                if parent is not None and _keeps_all(parent, ids):
                    answers[key] = wrapper(parent, *args, **kwargs)
                elif by_corridor and parent is not None:
                    whole = wrapper(parent, *args, **kwargs)
                    part = whole[whole["corridor_id"].isin(ids)].reset_index(drop=True)
                    answers[key] = part
                else:
                    answers[key] = function(atlas, *args, **kwargs)
                    wrapper.computed += 1  # type: ignore[attr-defined]
                    _saved(atlas)
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


def _keeps_all(parent: Any, ids: frozenset | None) -> bool:
    """Whether a part cut to ``ids`` holds every corridor of ``parent`` (so the same rows)."""
    return ids is not None and ids.issuperset(parent.corridors["corridor_id"])


#: Answers being computed elsewhere: id(atlas) -> (weak ref to it, the functions' names, what
#: waits for them).
_EXPECTED: dict[int, tuple[weakref.ref, frozenset[str], Callable[[], dict | None]]] = {}


def expect(atlas: Any, functions: list[Callable], collect: Callable[[], dict | None]) -> None:
    """Answers of ``functions`` for ``atlas`` are on their way: ``collect()`` waits for them.

    The first call of one of the memoised ``functions`` for ``atlas`` with no answer yet
    collects them (the :func:`saved_answers` of a process that computed them for the same
    atlas; None if it could not) before computing its own; see :mod:`corridormap.atlas._overlap`.
    """
    ident = id(atlas)
    ref = weakref.ref(atlas, lambda _: _EXPECTED.pop(ident, None))
    names = frozenset(map(_name, functions))
    _EXPECTED[ident] = (ref, names, collect)


def _collect(atlas: Any, name: str) -> bool:
    """Take in the answers expected for ``atlas`` if ``name`` is one; True if some were added."""
    entry = _EXPECTED.get(id(atlas))
    if entry is None or entry[0]() is not atlas or name not in entry[1]:
        return False
    del _EXPECTED[id(atlas)]
    answers = entry[2]()
    if not answers:
        return False
    _add(atlas, answers)
    _saved(atlas)
    return True


def _add(atlas: Any, answers: dict[str, dict]) -> None:
    for name, kept in answers.items():
        store = _STORES.get(name)
        if store is not None:  # a function of another version would not be in the key
            for key, answer in kept.items():
                _answers(store, atlas).setdefault(key, answer)


def keep_on_disk(
    atlas: Any, answers: dict[str, dict], save: Callable[[dict[str, dict]], None]
) -> None:
    """Start ``atlas`` with the ``answers`` saved for it; ``save`` them again when one is added.

    Parameters
    ----------
    atlas
        An atlas as loaded (the atlas cache calls this for each atlas it hands out).
    answers
        :func:`saved_answers` of an earlier process for the same files, settings and code.
    save
        Called with :func:`saved_answers` of ``atlas`` each time a memoised function computes a
        new answer for it.
    """
    _add(atlas, answers)
    ident = id(atlas)
    ref = weakref.ref(atlas, lambda _: _ON_DISK.pop(ident, None))
    _ON_DISK[ident] = (ref, save)


def saved_answers(atlas: Any) -> dict[str, dict]:
    """The answers kept for ``atlas`` whose arguments are plain values, by function name."""
    out = {}
    for name, store in _STORES.items():
        entry = store.get(id(atlas))
        if entry is not None and entry[0]() is atlas:
            kept = {key: answer for key, answer in entry[1].items() if _plain(key)}
            if kept:
                out[name] = kept
    return out


def _saved(atlas: Any) -> None:
    entry = _ON_DISK.get(id(atlas))
    if entry is not None and entry[0]() is atlas:
        entry[1](saved_answers(atlas))


def _plain(value: Any) -> bool:
    """Whether a key is made of str, numbers, None, tuples and frozensets only (safe to pickle)."""
    if isinstance(value, tuple | frozenset):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, str | int | float)


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
