"""Public exceptions raised by corridormap.

Every user-facing problem (bad data, a bad selection, a bad spec) is one of these, so a caller can
catch :class:`CorridorMapError` and the command line can print one line per problem instead of a
traceback. They subclass built-ins so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable


class CorridorMapError(Exception):
    """Base class of every error corridormap raises on purpose."""


class DataError(CorridorMapError, ValueError):
    """The layers or tables are invalid.

    Parameters
    ----------
    problems
        One line per problem, each naming the file, the feature or row, and what is wrong.
    """

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the atlas data"
        super().__init__("\n".join([head + ":", *self.problems]))


class SelectionError(CorridorMapError, ValueError):
    """A selection (mode, status, country, corridor id, bbox) is unknown or selects nothing."""


class SpecError(CorridorMapError, ValueError):
    """A briefing spec is invalid: an unknown key, a bad value, or a selection that shows nothing.

    The message is one line naming the spec file and the key (``select.corridor: ...``).
    """


class MissingDependencyError(CorridorMapError, ImportError):
    """An optional dependency is not installed; the message names the ``pip install`` to run."""


class RouteError(CorridorMapError, ValueError):
    """A route request cannot be met: an unknown hub, or constraints that leave no route.

    The message is one line naming the constraint (``avoid=RUS``, ``as_of=2020``, ``modes=road``).
    """
