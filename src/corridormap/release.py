"""The data release: which edition of the atlas data is in use and how current it is.

Read from ``data/release.toml`` with the standard library only (no pandas, no geopandas), so that
``corridormap --version`` answers at once. The data folder is found the way
:func:`corridormap.io.resolve_dirs` finds it (the few lines are repeated here because ``io``
imports pandas).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from corridormap import settings
from corridormap._resources import shipped_folder
from corridormap.errors import DataError

#: File name of the release record inside the data folder.
RELEASE_FILE = "release.toml"


@dataclass(frozen=True)
class DataRelease:
    """One edition of the atlas data.

    Attributes
    ----------
    data_version
        Year and month of the release, e.g. ``"2026.12"``.
    as_of
        Date of the newest dated source the data relies on.
    newest_source_id
        The ``source_id`` (a row of ``sources.csv``) with that date.
    """

    data_version: str
    as_of: dt.date
    newest_source_id: str

    @property
    def label(self) -> str:
        """The release as shown to readers: ``"Data 2026.12, as of 2 December 2026"``."""
        return f"Data {self.data_version}, as of {self.as_of.day} {self.as_of:%B %Y}"

    @property
    def short_label(self) -> str:
        """The release where room is short (figure source notes): ``"2026.12 (2 Dec 2026)"``."""
        return f"{self.data_version} ({self.as_of.day} {self.as_of:%b %Y})"


def release_data_dir(data_dir: str | Path | None = None) -> Path:
    """Return the data folder to read.

    The argument, else ``settings.data_dir``, else the copy shipped in the package, else the
    checkout's ``data/`` (the order of :func:`corridormap.io.resolve_dirs`).
    """
    chosen = data_dir if data_dir is not None else settings.data_dir
    if chosen is not None:
        return Path(chosen)
    return shipped_folder("data")


def data_release(data_dir: str | Path | None = None) -> DataRelease | None:
    """Read the data release of a data folder.

    Parameters
    ----------
    data_dir
        Folder of the CSV tables; ``None`` means the data shipped with corridormap.

    Returns
    -------
    DataRelease or None
        None when the folder has no ``release.toml`` (older or user-made data folders).

    Raises
    ------
    DataError
        If the file is not TOML or lacks ``data_version``, ``as_of`` (a date) or
        ``newest_source_id``; one line naming the file and the key.

    Examples
    --------
    >>> import corridormap as cm
    >>> release = cm.data_release()
    >>> release.label
    'Data 2026.12.2, as of 7 December 2026'
    >>> release.as_of
    datetime.date(2026, 12, 7)
    """
    path = release_data_dir(data_dir) / RELEASE_FILE
    if not path.is_file():
        return None
    try:
        record = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError([f"{path}: is not valid TOML ({exc})"]) from None
    problems = []
    version, as_of, newest = (record.get(k) for k in ("data_version", "as_of", "newest_source_id"))
    if not isinstance(version, str) or not version:
        problems.append(f'{path}: data_version must be a string such as "2026.12"')
    if isinstance(as_of, str):
        with contextlib.suppress(ValueError):
            as_of = dt.date.fromisoformat(as_of)
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        problems.append(f"{path}: as_of must be a date such as 2026-12-02, got {as_of!r}")
    if not isinstance(newest, str) or not newest:
        problems.append(f"{path}: newest_source_id must name a row of sources.csv")
    if problems:
        raise DataError(problems)
    assert isinstance(version, str) and isinstance(as_of, dt.date) and isinstance(newest, str)
    return DataRelease(data_version=version, as_of=as_of, newest_source_id=newest)
