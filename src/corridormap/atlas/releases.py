"""Data releases in git history: the data changelog, and an old release's atlas read back from git.

Every data release is a row of ``data/releases.csv`` (the data changelog): ``data_version``,
``as_of`` (the release's ``release.toml`` date), ``released`` (the day it was committed),
``commit`` (the full hash of the commit that made it) and ``summary``. :func:`old_atlas_folder`
writes the ``geo/`` and ``data/`` of any revision (a release, a commit, a tag, ``HEAD~3``) into
a temporary folder with ``git archive``, for :func:`corridormap.diff_atlases` to read.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from corridormap.errors import SelectionError

#: The data changelog, inside the data folder.
RELEASES_FILE = "releases.csv"
RELEASE_COLUMNS = ["data_version", "as_of", "released", "commit", "summary"]
#: The folders of an atlas, as git paths of the checkout.
ATLAS_PATHS = ("geo", "data")


def releases(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data releases, oldest first, from the data changelog (``data/releases.csv``).

    Parameters
    ----------
    data_dir
        Folder of the CSV tables; ``None`` means the data shipped with corridormap.

    Returns
    -------
    pandas.DataFrame
        ``data_version``, ``as_of``, ``released``, ``commit``, ``summary``; empty (with those
        columns) for a data folder without a changelog.

    Examples
    --------
    >>> import corridormap as cm
    >>> print(cm.releases()[["data_version", "as_of"]].to_string(index=False))
    data_version      as_of
         2026.12 2026-12-02
    """
    from corridormap.io import read_table
    from corridormap.release import release_data_dir

    path = release_data_dir(data_dir) / RELEASES_FILE
    if not path.is_file():
        return pd.DataFrame(columns=RELEASE_COLUMNS)
    frame = read_table(path)
    return frame[RELEASE_COLUMNS].reset_index(drop=True)


def git_root(start: Path) -> Path:
    """The top of the git checkout holding ``start``.

    Raises
    ------
    SelectionError
        If ``start`` is not inside a git checkout, or git is not installed.
    """
    try:
        done = subprocess.run(
            ["git", "-C", str(start), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    except FileNotFoundError:
        raise SelectionError("reading an old release needs git, which is not installed") from None
    if done.returncode != 0:
        raise SelectionError(
            f"{start} is not inside a git checkout, so no old release can be read from its "
            "history; give the old atlas as a folder (OLD_DIR) instead"
        )
    return Path(done.stdout.strip())


def find_git_root(data_dir: Path) -> Path:
    """The checkout whose history holds the releases.

    That of ``data_dir``, else of the working folder, else of the atlas shipped with
    corridormap (an editable install's checkout).
    """
    from corridormap.io import resolve_dirs

    first: SelectionError | None = None
    for start in (Path(data_dir), Path.cwd(), resolve_dirs()[1]):
        try:
            return git_root(start.resolve() if start.exists() else start.parent)
        except SelectionError as exc:
            first = first or exc
    assert first is not None
    raise first


def resolve(root: Path, rev: str) -> str:
    """The full commit hash of a revision; one line if git does not know it."""
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SelectionError(f"--rev {rev}: no such commit, tag or branch in {root}")
    return done.stdout.strip()


def release_commit(version: str, data_dir: Path, root: Path) -> str:
    """The commit of a data release, from the changelog, else from ``release.toml``'s history."""
    table = releases(data_dir=data_dir)
    rows = table[table["data_version"] == version]
    if len(rows):
        return resolve(root, str(rows["commit"].iloc[-1]))
    found = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%H", "--reverse", "-S",
         f'data_version = "{version}"', "--", "data/release.toml"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    commits = found.stdout.split()
    if commits:
        return commits[0]
    known = ", ".join(table["data_version"]) or "none listed"
    raise SelectionError(f"--release {version}: no such data release (releases: {known})")


def previous_release(data_dir: Path) -> str:
    """The data version to compare with by default: the newest listed release."""
    table = releases(data_dir=data_dir)
    if table.empty:
        raise SelectionError(
            f"{data_dir / RELEASES_FILE}: no data release is listed, so there is none to compare "
            "with; give OLD_DIR, --release or --rev"
        )
    return str(table["data_version"].iloc[-1])


@contextlib.contextmanager
def old_atlas_folder(root: Path, commit: str) -> Iterator[Path]:
    """A temporary folder holding ``geo/`` and ``data/`` as they were at ``commit``."""
    done = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", commit, *ATLAS_PATHS],
        capture_output=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise SelectionError(
            f"commit {commit[:12]}: cannot read geo/ and data/ from git "
            f"({message[0] if message else 'git archive failed'})"
        )
    folder = Path(tempfile.mkdtemp(prefix="corridormap-release-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            archive.extractall(folder, filter="data")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
