"""Keep old calls working for a while: options once positional, options renamed.

Both decorators keep the function's new signature for ``help()``, IDEs and type checkers (a
typed caller of the old form gets a type error); at run time the old form still works and
warns with a :class:`DeprecationWarning` that names the new form.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def positional_options(*names: str, stacklevel: int = 2) -> Callable[[F], F]:
    """Accept the keyword-only options ``names``, in this order, as extra positional arguments.

    For a function whose options used to be positional: ``catchment(atlas, "cku_highway", 10)``
    still runs, as ``catchment(atlas, "cku_highway", km=10)``, with a warning. Under
    :func:`corridormap._memo.per_atlas` (which keeps counters on its own wrapper, so it goes
    outside), ``stacklevel=3`` points the warning at the caller's line.
    """

    def decorate(function: F) -> F:
        parameters = inspect.signature(function).parameters
        leading = sum(p.kind in _POSITIONAL for p in parameters.values())
        unknown = [n for n in names if parameters.get(n, None) is None]
        if unknown:  # pragma: no cover - a programming error, caught at import
            raise TypeError(f"{function.__name__} has no option {', '.join(unknown)}")

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > leading:
                extra = args[leading:]
                if len(extra) > len(names):
                    raise TypeError(
                        f"{function.__name__}() takes {leading} positional arguments "
                        f"and the options {', '.join(names)}; got {len(args)} positional"
                    )
                given = dict(zip(names, extra, strict=False))
                twice = sorted(set(given) & set(kwargs))
                if twice:
                    raise TypeError(f"{function.__name__}() got {twice[0]!r} twice")
                shown = ", ".join(f"{n}=..." for n in given)
                warnings.warn(
                    f"passing {', '.join(given)} to {function.__name__}() by position is "
                    f"deprecated; use keywords: {function.__name__}(..., {shown})",
                    DeprecationWarning,
                    stacklevel=stacklevel,
                )
                args, kwargs = args[:leading], {**kwargs, **given}
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def renamed_options(**renames: str) -> Callable[[F], F]:
    """Accept old keyword names (``old="new"``) for options that were renamed."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(
                        f"{function.__name__}() got both {old}= and {new}=; {old}= is the old "
                        f"name of {new}="
                    )
                warnings.warn(
                    f"{function.__name__}({old}=...) is deprecated; use {new}=...",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
