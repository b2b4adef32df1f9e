"""A cache of validated atlases on disk, so a second command skips validation and the joins.

An entry is keyed on a SHA-256 of every file in the folders (names and bytes), the folders,
the settings, the package's own source files, and the versions of corridormap and of the
libraries whose objects it holds; any change makes a new key. Beside each atlas
(``<key>.pickle``) a second file (``<key>-derived.pickle``) keeps what the memoised functions
of :mod:`corridormap._memo` computed for it (the lengths by country, the revenue model, the
map's timeline), written when a command computes a new one, so the next command reuses them.

Entries live in the user's cache folder (``platformdirs`` if installed, else
``$XDG_CACHE_HOME`` or ``~/.cache``), under ``corridormap/atlas``; ``CORRIDORMAP_CACHE_DIR``
moves them and ``CORRIDORMAP_NO_CACHE=1`` turns the cache off. An entry that cannot be read is
ignored and rebuilt; a folder that cannot be written is left alone (the atlas is then simply
not cached).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

from corridormap import _memo
from corridormap._memo import settings_key
from corridormap._resources import package_root

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Entries kept; older ones are removed when a new one is written.
KEEP = 16
#: Suffix of the file that keeps an entry's memoised answers.
DERIVED = "-derived"
_LIBRARIES = ("pandas", "geopandas", "shapely", "pyproj", "numpy")


def cache_dir() -> Path | None:
    """Folder of the atlas cache, or None when ``CORRIDORMAP_NO_CACHE`` is set."""
    if os.environ.get("CORRIDORMAP_NO_CACHE", "").strip() not in {"", "0"}:
        return None
    chosen = os.environ.get("CORRIDORMAP_CACHE_DIR")
    if chosen:
        return Path(chosen)
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return base / "corridormap" / "atlas"
    return Path(user_cache_dir("corridormap")) / "atlas"


def key(*folders: Path) -> str:
    """The cache key of an atlas built from ``folders``: every file's name and bytes, and more."""
    from corridormap._version import __version__

    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    digest.update(_source_digest().encode())
    parts = [__version__, sys.version, *map(str, folders), repr(settings_key())]
    parts += [f"{name} {_version(name)}" for name in _LIBRARIES]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def cached(
    name: str,
    build: Callable[[], T],
    *,
    meanwhile: Callable[[], object] | None = None,
    prefetch: Sequence[Callable[[T], object]] = (),
) -> T:
    """The object stored under ``name``, or ``build()`` stored there (what it raises, raised).

    The object's memoised answers (:func:`corridormap._memo.keep_on_disk`) are read from and
    written to ``<name>-derived.pickle``. ``meanwhile``, if given, is always called once: on a
    miss while ``build`` runs on the other core (:func:`corridormap.atlas._overlap.overlapped`),
    which
    then goes on to call the memoised functions ``prefetch`` for the value; their answers are
    collected when this process first asks one of them (:func:`corridormap._memo.expect`).
    """
    folder = cache_dir()
    path = None if folder is None else folder / f"{name}.pickle"
    value: Any = None if path is None else _read(path)
    hit = value is not None
    if meanwhile is None:
        value = value if hit else build()
    elif hit:
        meanwhile()
    else:
        from corridormap.atlas._overlap import overlapped

        def prefetched(value: T) -> dict:
            for function in prefetch:
                function(value)
            return _memo.saved_answers(value)

        value, later = overlapped(build, meanwhile, prefetched if prefetch else None)
        if prefetch:
            _memo.expect(value, list(prefetch), later.get)
    if path is None:
        return value
    if hit:
        log.debug("atlas cache: hit %s", path)
        answers = _read(_derived(path)) or {}
    else:
        _store(path, value)
        answers = {}
    derived = _derived(path)
    _memo.keep_on_disk(value, answers, lambda kept: _store(derived, kept))
    return value


def _derived(path: Path) -> Path:
    return path.with_name(f"{path.stem}{DERIVED}.pickle")


def _read(path: Path) -> Any:
    """The object pickled at ``path``, or None if there is none or it cannot be read."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - any unreadable entry is rebuilt
        log.debug("atlas cache: ignoring unreadable %s (%s)", path, type(exc).__name__)
        return None


def _store(path: Path, value: object) -> None:
    from corridormap.io import atomic_path

    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        log.debug("atlas cache: stored %s", path)
        entries = [p for p in path.parent.glob("*.pickle") if not p.stem.endswith(DERIVED)]
        for old in sorted(entries, key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
            _derived(old).unlink(missing_ok=True)
    except OSError as exc:
        log.debug("atlas cache: cannot write %s (%s)", path, exc)


def source_files() -> list[Path]:
    """Every Python file of the package, from its root (not this module's folder)."""
    return sorted(package_root().rglob("*.py"))


@functools.cache
def _source_digest() -> str:
    """SHA-256 of the package's Python files: a changed function never reads stale answers."""
    digest = hashlib.sha256()
    package = package_root()
    for path in source_files():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "none"
