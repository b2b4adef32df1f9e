"""Public exceptions raised by corridormap.

Every user-facing problem is one of these, so a caller can catch :class:`CorridorMapError` and the
command line can print one line per problem instead of a traceback:

- :class:`DataError`: the atlas's layers or tables are invalid (one line per problem);
- :class:`SpecError`: a briefing spec is invalid, or asks for what cannot be drawn;
- :class:`SelectionError`: a selection or a query's option is unknown or selects nothing;
- :class:`InputError`: an input file or frame of the caller's (points) cannot be used;
- :class:`OutputError`: an output path cannot be written as asked;
- :class:`RouteError`: a route request cannot be met;
- :class:`MissingDependencyError`: an optional dependency is not installed;
- :class:`SchedulerError`: the dask scheduler cannot be reached.

Each also subclasses the fitting built-in: ``ValueError`` for a bad value (all but the last two),
``ImportError`` for a missing dependency, ``ConnectionError`` for the scheduler, so code that
catches the built-in keeps working.
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
    """A selection or a query's option is unknown, out of range, or selects nothing.

    Selections are modes, statuses, countries, corridor ids, a bbox or extent, a place, and what
    a query is asked for (a transit revenue estimate that no tariff row gives). Options are the
    values a query, a measure or a figure is called with: ``km``, ``engine``, a revenue
    ``scenario``, the keys and values of revenue ``overrides`` (an unknown corridor or field, a
    negative number), ``years`` out of order, a figure too small for its map. Files the caller
    reads or writes are :class:`InputError` and :class:`OutputError` instead.
    """


class InputError(CorridorMapError, ValueError):
    """An input the caller supplies, other than the atlas data, cannot be used.

    Today that is the points of :func:`corridormap.join_points`: a file that does not exist, a
    glob or folder with no files, a file that cannot be read (empty, not UTF-8, not Parquet), no
    lon/lat columns, an invalid coordinate, or a value that is neither a path nor a frame. The
    message is one line naming the file (or ``points`` for a frame), the row where there is one,
    and the problem. The atlas's own layers and tables are :class:`DataError`.
    """


class OutputError(CorridorMapError, ValueError):
    """An output path cannot be written as asked; nothing has been written.

    An unknown format or a suffix that names none (``save_static``, ``export_atlas``,
    ``join_points(out=)``), an existing file where a folder is written, or an existing folder
    that holds other files and so may not be replaced. The message is one line naming the path.
    A failure of the file system itself while writing stays an :class:`OSError`.
    """


class SpecError(CorridorMapError, ValueError):
    """A briefing spec is invalid: an unknown key, a bad value, or a selection that shows nothing.

    Also what only drawing finds: a ``figure.height_in`` that leaves the map no room under the
    title, text and legend. The message is one line naming the spec file and the key
    (``select.corridor: ...``).
    """


class MissingDependencyError(CorridorMapError, ImportError):
    """An optional dependency is not installed; the message names the ``pip install`` to run."""


class SchedulerError(CorridorMapError, ConnectionError):
    """The dask scheduler given as ``scheduler=`` (``--scheduler``) cannot be reached.

    A connection failure, so an :class:`OSError` (``ConnectionError``), not a ``ValueError``;
    the message is one line naming the address.
    """


class RouteError(CorridorMapError, ValueError):
    """A route request cannot be met: an unknown hub, or constraints that leave no route.

    The message is one line naming the constraint (``avoid=RUS``, ``as_of=2020``, ``modes=road``).
    """


class CorridorMapWarning(UserWarning):
    """Base class of the warnings corridormap issues with :func:`warnings.warn`.

    A notebook can catch or filter them (``warnings.simplefilter("error", OutsideRegionWarning)``);
    the command line prints each as one ``warning:`` line.
    """


class OutsideRegionWarning(CorridorMapWarning):
    """Points of :func:`corridormap.join_points` lie outside the region the atlas covers.

    The message counts them, names the columns read as longitude and latitude, and says how many
    would lie inside with the two swapped (latitude and longitude written the other way round).
    """


class SkippedRowsWarning(CorridorMapWarning):
    """Rows of a points file were left out (``on_invalid="skip"``, ``--skip-invalid``).

    The message counts them and names the first; the result's ``attrs["skipped_rows"]`` lists
    every one (row, column, value, reason).
    """
