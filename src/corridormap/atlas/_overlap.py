"""Use the second core at start-up: build the atlas in a forked child while the parent works on.

A cold ``corridormap map`` spends ~0.3 s validating the files (pandera's import and 17 schemas,
the geometry checks, the cross-file rules) and ~0.2 s importing folium and the renderer; neither
needs the other. :func:`overlapped` runs ``build`` in a child made with ``os.fork`` (which starts
with the parent's libraries already imported) and ``meanwhile`` in the parent, then takes the
child's answer through a pipe as a pickle, so the parent ends with what ``build()`` would have
given it. The child can go on to a second job, ``then(value)``, whose answer the parent collects
when it needs it (:class:`Later`), while it works on with the value.

What can only be trusted from the parent's own run is not taken from the child: the child sends
an answer or a :class:`~corridormap.errors.DataError`'s problems (rebuilt in the parent); for any
other outcome (another exception, a crash, a kill, an answer that will not pickle) the parent
runs ``build()`` itself, so the error and its traceback are the ones a serial run gives, and
:meth:`Later.get` gives None, so the parent computes the second job's answers itself.

The serial order (``build()``, then ``meanwhile()``) is used where a fork is not safe or not
possible: on any system but Linux (Windows has no ``os.fork``; on macOS a forked child may
abort or hang in system frameworks, which is why :mod:`multiprocessing` stopped forking there),
with more than one Python thread running (a fork copies only the calling thread, and a lock
another thread holds stays held in the child), or with ``CORRIDORMAP_PARALLEL=0``.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO, Generic, TypeVar

from corridormap.errors import DataError

log = logging.getLogger(__name__)

T = TypeVar("T")

_ANSWER, _DATA_ERROR = "answer", "data_error"
_LENGTH = struct.Struct("<Q")  # each message: its length, then one pickle of (kind, value)


def enabled() -> bool:
    """True when :func:`overlapped` forks: on Linux, one Python thread, not turned off."""
    if os.environ.get("CORRIDORMAP_PARALLEL", "").strip().lower() in {"0", "false", "no", "off"}:
        return False
    return sys.platform == "linux" and threading.active_count() == 1


class Later(Generic[T]):
    """The answer of the child's second job, collected (once) when the parent asks for it."""

    def __init__(self, child: _Child | None) -> None:
        self._child = child

    def get(self) -> T | None:
        """The second job's answer, waiting for it if need be; None if there is none."""
        child, self._child = self._child, None
        if child is None:
            return None
        kind, value = child.receive()
        child.finish()
        return value if kind == _ANSWER else None


def overlapped(
    build: Callable[[], T],
    meanwhile: Callable[[], object],
    then: Callable[[T], Any] | None = None,
) -> tuple[T, Later]:
    """``build()``'s value, computed in a forked child while ``meanwhile()`` runs here.

    Parameters
    ----------
    build
        What to compute; its value must pickle. Run in the child, or here if the child fails.
    meanwhile
        Work of the parent's that does not need ``build``'s value. What it raises is raised
        (the child is stopped first).
    then
        A second job for the child, ``then(value)``, once it has sent the value; its answer
        must pickle.

    Returns
    -------
    value, later
        ``build()``'s value, and ``then``'s answer to collect with ``later.get()`` (None when
        there is no ``then``, no child, or the child did not finish it).

    Raises
    ------
    DataError
        If ``build`` raises one (in the child or here).
    """
    if not enabled():
        value = build()
        meanwhile()
        return value, Later(None)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
        os.close(read_end)
        _child(build, then, write_end)
    os.close(write_end)
    child = _Child(pid, os.fdopen(read_end, "rb"))
    try:
        meanwhile()
        kind, value = child.receive()
    except BaseException:
        child.stop()
        raise
    if kind == _DATA_ERROR:
        child.stop()
        raise DataError(value)
    if kind != _ANSWER:
        child.stop()
        log.debug("overlap: the child gave no answer; building here")
        return build(), Later(None)
    if then is None:
        child.finish()
        return value, Later(None)
    return value, Later(child)


class _Child:
    """A forked child, the read end of its pipe, and how to read, reap or stop it."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self.pid, self.pipe = pid, pipe
        atexit.register(self.stop)  # a child whose answer nobody collected is not left running

    def receive(self) -> tuple[str | None, Any]:
        """The next ``(kind, value)`` message, or ``(None, None)`` if the child sent no more."""
        head = self.pipe.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return None, None
        (size,) = _LENGTH.unpack(head)
        data = self.pipe.read(size)
        if len(data) < size:
            return None, None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - an unreadable answer is computed here instead
            return None, None

    def finish(self) -> None:
        """Reap the child, which exits once it has written its last message."""
        self.pipe.close()
        self._reap()

    def stop(self) -> None:
        """Stop the child, whatever it is doing, and reap it."""
        if self.pid:
            with contextlib.suppress(OSError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
        self.pipe.close()
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
            atexit.unregister(self.stop)


def _child(build: Callable[[], Any], then: Callable[[Any], Any] | None, write_end: int) -> None:
    """Run ``build`` (and ``then``), write each answer to the pipe, and leave at once."""
    code = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            try:
                value = build()
            except DataError as exc:
                _send(pipe, _DATA_ERROR, exc.problems)
            else:
                _send(pipe, _ANSWER, value)
                if then is not None:
                    _send(pipe, _ANSWER, then(value))
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent sees no answer and computes itself
        pass
    finally:
        # No atexit handlers, no flushing of the parent's copied buffers, no finalisers.
        os._exit(code)


def _send(pipe: BinaryIO, kind: str, value: object) -> None:
    data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()
