"""Read layers and tables, find the data folders, write files atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from corridormap import settings
from corridormap._resources import shipped_folder

log = logging.getLogger(__name__)


def resolve_dirs(
    geo_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> tuple[Path, Path]:
    """Return the geo and data folders to read.

    Parameters
    ----------
    geo_dir, data_dir
        Folders given by the user; ``None`` falls back to :mod:`corridormap.settings`, then to the
        copy shipped in the package, then to the checkout's top-level ``geo/`` and ``data/``.

    Returns
    -------
    tuple of Path
        ``(geo_dir, data_dir)``.
    """
    out = []
    for given, setting, name in (
        (geo_dir, settings.geo_dir, "geo"),
        (data_dir, settings.data_dir, "data"),
    ):
        chosen = given if given is not None else setting
        if chosen is None:
            chosen = shipped_folder(name)
        out.append(Path(chosen))
    return out[0], out[1]


def display_path(path: Path) -> str:
    """Path as shown in messages: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class UnreadableFile(ValueError):
    """A file that cannot be read as text or CSV (internal: callers turn it into their error).

    The message says why in one line, without the file name: the caller prefixes it and reports
    it as a :class:`~corridormap.errors.DataError` problem or a ``SpecError``. (The public
    :class:`~corridormap.errors.InputError` is for the caller's own inputs, such as points.)
    """


def not_utf8(raw: bytes, exc: UnicodeDecodeError | None = None) -> str:
    """One line saying where ``raw`` stops being UTF-8 (the first bad byte and its line)."""
    if exc is None or exc.object != raw:
        try:
            raw.decode("utf-8")
            return "is not UTF-8 text"
        except UnicodeDecodeError as found:
            exc = found
    line = raw.count(b"\n", 0, exc.start) + 1
    return (
        f"is not UTF-8 text (byte {raw[exc.start]:#x} on line {line}, offset {exc.start}); "
        "save it as UTF-8"
    )


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a leading byte-order mark is dropped).

    Raises
    ------
    UnreadableFile
        If the file is larger than ``settings.max_input_mb``, empty (or only blanks), or not UTF-8.
    OSError
        Left to the caller, which turns it into a one-line problem.
    """
    size = path.stat().st_size
    limit = settings.max_input_mb
    if size > limit * 2**20:
        raise UnreadableFile(
            f"is {size / 2**20:.1f} MB, larger than the {limit:g} MB an input may be "
            "(settings.max_input_mb); it was not read"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(not_utf8(raw, exc)) from None
    if not text.strip():
        raise UnreadableFile("is empty" + (" (0 bytes)" if not raw else " (only blank lines)"))
    return text


def read_json(path: Path) -> object:
    """Parse a JSON file; NaN and Infinity are read (and rejected later by validation)."""
    return json.loads(read_text(path))


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV table as text columns, empty cells as missing values.

    Raises
    ------
    UnreadableFile
        For what :func:`read_text` refuses, a quoted cell that never ends, or a row whose number
        of cells differs from the header's (pandas would shift or drop cells silently).
    """
    import csv
    import io as _io

    text = read_text(path)
    reader = csv.reader(_io.StringIO(text), strict=True)
    try:
        header = next(reader)
        if len(header) == 1 and ";" in header[0]:
            raise UnreadableFile("uses ';' between cells; corridormap tables use ',' (save as CSV)")
        for number, row in enumerate(reader, start=2):
            if row and len(row) != len(header):
                raise UnreadableFile(
                    f"row {number} (line {reader.line_num}) has {len(row)} cells but the header "
                    f"has {len(header)}"
                )
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UnreadableFile(
                "ends inside a quoted cell (a missing closing quote, or the file is truncated)"
            ) from None
        raise UnreadableFile(f"line {reader.line_num}: malformed CSV ({exc})") from None
    return pd.read_csv(
        _io.StringIO(text),
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skipinitialspace=False,
        index_col=False,
    )


def data_hash(*folders: Path) -> str:
    """SHA-256 over the data files in the folders (names and bytes, sorted)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            if path.suffix not in {".geojson", ".csv", ".json", ".toml"}:  # release.toml too
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only if the block succeeds.

    A failure anywhere inside the block leaves ``path`` as it was (absent or the previous file),
    so no reader ever sees a half-written output.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary sibling folder; swap it onto ``path`` only if the block succeeds.

    The folder counterpart of :func:`atomic_path`: a failure anywhere inside the block leaves
    ``path`` as it was (absent or the previous folder), and the previous folder is removed only
    once the new one is in place. Used by briefing packs and the dask join's Parquet folders.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        if not target.exists():
            os.replace(staging, target)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
        try:
            os.replace(staging, target)
        except OSError:
            os.replace(old, target)
            raise
        remove_tree(old)
    finally:
        remove_tree(staging)


def remove_tree(folder: Path, attempts: int = 20) -> None:
    """Remove a folder, retrying while a straggling writer (a dask task) still adds files."""
    for _ in range(attempts):
        try:
            shutil.rmtree(folder)
            return
        except FileNotFoundError:
            return
        except OSError:  # "Directory not empty": a file landed while the tree was being removed
            time.sleep(0.1)
    shutil.rmtree(folder, ignore_errors=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically and log one line."""
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    log.info("Saved %s", target)
    return target


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write bytes atomically and log one line."""
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    log.info("Saved %s", target)
    return target
