"""Read layers and tables, find the data folders, write files atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
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


# --------------------------------------------------------------------------- writing outputs
# One policy for every command and function that writes (README, "Outputs"): a file output
# replaces a previous file at that path (and the command says so), never a folder; a folder
# output (a briefing pack, Parquet parts) replaces only a folder corridormap wrote, never other
# files. Everything is written aside under a hidden name and moved into place at the end, so a
# failure leaves the previous output as it was; the hidden names carry the writer's process id,
# so what a killed run left behind is removed by the next run that writes there.

#: Hidden temporaries beside an output: ``.<name>.<pid>.<random>.tmp`` (or ``.old``).
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.(?:tmp|old)")


def temp_prefix(target: Path) -> str:
    """The start of the hidden names this process gives temporaries beside ``target``."""
    return f".{target.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def sweep_leftovers(target: Path) -> list[Path]:
    """Remove the hidden temporaries that a killed run left beside ``target``.

    Only names of the form ``.<target name>.<pid>.<random>.tmp`` (or ``.old``) whose process
    is gone are removed; another run writing the same output at this moment keeps its own.
    """
    removed: list[Path] = []
    try:
        candidates = list(target.parent.glob(f".{_glob_escape(target.name)}.*"))
    except OSError:
        return removed
    for path in candidates:
        match = _TEMP.fullmatch(path.name)
        if not match or match["name"] != target.name or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            removed.append(path)
    if removed:
        log.info("Removed %d temporaries a stopped run left beside %s", len(removed), target)
    return removed


def _glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def check_output(path: str | Path, *, folder: bool = False, example: str = "") -> str | None:
    """Check, before any work, that ``path`` can be written; say what it would replace.

    Parameters
    ----------
    path
        The output: a file, or with ``folder`` a folder.
    folder
        Whether the output is a folder (a briefing pack).
    example
        A file name to suggest when ``path`` names an existing folder.

    Returns
    -------
    str or None
        ``"the previous file"`` (or folder) when something is there to be replaced, else None.

    Raises
    ------
    OutputError
        One line naming the path: an existing folder where a file goes (or a file where a
        folder goes), a folder that cannot be made because a file is in the way, or a place
        this process may not write in (permission, a read-only share).
    """
    from corridormap.errors import OutputError

    target = Path(path)
    shown = display_path(target)
    replaced = None
    if target.is_dir() and not folder:
        hint = f" such as {display_path(target / example)}" if example else ""
        raise OutputError(f"{shown}: is a folder; give a file name{hint}")
    if target.exists() and folder and not target.is_dir():
        raise OutputError(f"{shown}: is a file, not a folder; give a folder for the output")
    if target.exists():
        replaced = "the previous folder" if folder else "the previous file"
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(
            f"{shown}: cannot be made: {display_path(parent)} is a file, not a folder"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"{shown}: cannot write in {display_path(parent)} (permission denied, or a "
            "read-only share)"
        )
    return replaced


def output_failed(target: Path, exc: OSError) -> Exception:
    """The one-line :class:`~corridormap.errors.OutputError` for a failed write of ``target``."""
    from corridormap.errors import OutputError

    where = display_path(Path(exc.filename)) if exc.filename else display_path(target.parent)
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"{display_path(target)}: cannot write in {where} ({reason})")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only if the block succeeds.

    A failure anywhere inside the block leaves ``path`` as it was (absent or the previous file),
    so no reader ever sees a half-written output. A failure of the file system (no permission,
    a read-only share, a full disk) is one :class:`~corridormap.errors.OutputError` line.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(target)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise output_failed(target, exc) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:
        raise output_failed(target, exc) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary sibling folder; swap it onto ``path`` only if the block succeeds.

    The folder counterpart of :func:`atomic_path`: a failure anywhere inside the block leaves
    ``path`` as it was (absent or the previous folder), and the previous folder is removed only
    once the new one is in place. Used by briefing packs and the dask join's Parquet folders.
    A failure of the file system is one :class:`~corridormap.errors.OutputError` line.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(target)
        staging = Path(
            tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        )
    except OSError as exc:
        raise output_failed(target, exc) from None
    try:
        yield staging
        os.chmod(staging, 0o755)
        _swap(staging, target)
    except OSError as exc:
        raise output_failed(target, exc) from None
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


def _swap(staging: Path, target: Path) -> None:
    """Move a finished folder into place; the previous one is removed only afterwards."""
    if not target.exists():
        os.replace(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(old, target)
        raise
    remove_tree(old)


#: First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV
#: Injection"): = + - @, and tab and carriage return, which some programs skip before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> object:
    r"""A text cell that a spreadsheet would run as a formula, prefixed with ``'``; else as is.

    >>> formula_safe('=HYPERLINK("http://evil.example","click")')
    '\'=HYPERLINK("http://evil.example","click")'
    >>> formula_safe("-5"), formula_safe(-5.0), formula_safe("Almaty")
    ("'-5", -5.0, 'Almaty')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and text column name) passed through :func:`formula_safe`.

    Numbers stay numbers: only text can be read as a formula. Applied to every CSV and
    spreadsheet corridormap writes.
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            risky = values.str.startswith(FORMULA_STARTS, na=False).to_numpy(dtype=bool)
            if risky.any():  # vectorised: a million-row join writes at once
                safe[column] = values.astype(object).where(~risky, "'" + values.astype(str))
    safe.columns = [formula_safe(c) for c in safe.columns]
    return safe


def write_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str:
    r"""A frame as CSV text (``\n`` line ends, no index), formula-safe; written if ``path``."""
    text = formula_safe_frame(frame).to_csv(index=False, lineterminator="\n")
    if path is not None:
        write_text(path, text)
    return text


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
