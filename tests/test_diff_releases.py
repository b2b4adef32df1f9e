"""diff across releases: the data changelog, and old atlases read back from git history.

Run on this repository's real history: the 2026.12 release commit, whose fx.csv names two
source ids its sources.csv lacks (today's rules refuse it; diff compares it with warnings).
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridormap as cm
from corridormap.atlas import releases as history
from corridormap.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
RELEASES = cm.releases(data_dir=ROOT / "data")


def _has_commit(commit: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


needs_history = pytest.mark.skipif(
    RELEASES.empty or not _has_commit(RELEASES["commit"].iloc[-1]),
    reason="needs the git history of the release commits (a full clone)",
)


def test_the_changelog_lists_every_release_with_its_date_and_commit():
    assert list(RELEASES.columns) == history.RELEASE_COLUMNS
    assert RELEASES["data_version"].is_unique and len(RELEASES) >= 1
    assert RELEASES["data_version"].tolist() == sorted(RELEASES["data_version"])
    assert RELEASES["commit"].str.fullmatch(r"[0-9a-f]{40}").all()
    newest = RELEASES.iloc[-1]
    release = cm.data_release(ROOT / "data")
    assert release is not None and newest["data_version"] <= release.data_version


@needs_history
def test_each_listed_commit_is_the_release_it_names():
    for row in RELEASES.itertuples():
        toml = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{row.commit}:data/release.toml"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert f'data_version = "{row.data_version}"' in toml
        assert f"as_of = {row.as_of}" in toml
        date = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ad", "--date=short", row.commit],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert date == row.released


@needs_history
def test_diff_release_reads_the_old_atlas_from_git_and_diffs_what_is_there(tmp_path):
    version, commit = RELEASES.iloc[-1][["data_version", "commit"]]
    # the release as a folder, compared with itself read from history: nothing changed
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "geo", "data"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    same = runner.invoke(app, ["diff", "--release", version, str(tmp_path)])
    assert same.exit_code == 0, same.output
    assert same.stdout.strip() == f"No changes from release {version} ({commit[:12]})."
    # the old data breaks a rule of today: compared all the same, one warning line a problem
    warnings = [line for line in same.stderr.splitlines() if line]
    assert warnings and all(line.startswith("warning: ") for line in warnings)
    old = [line for line in warnings if line.startswith(f"warning: release {version} (")]
    assert any(": data/fx.csv: " in line and "unknown source id" in line for line in old)
    assert not any("/tmp" in line for line in old)  # the temporary folder is not shown
    # --rev reads the same commit; a changed figure in the new atlas is found
    indicators = tmp_path / "data" / "indicators.csv"
    rows = list(csv.reader(io.StringIO(indicators.read_text(encoding="utf-8"))))
    cells = rows[1]
    value = rows[0].index("value")
    cells[value] = f"{float(cells[value]) + 1:g}"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    indicators.write_text(buffer.getvalue(), encoding="utf-8")
    changed = runner.invoke(app, ["diff", "--rev", commit, str(tmp_path), "-f", "csv"])
    assert changed.exit_code == 0, changed.output
    assert "indicators" in changed.stdout and cells[0] in changed.stdout


@needs_history
def test_default_compares_with_the_previous_release():
    done = runner.invoke(app, ["diff", "-f", "markdown"])
    assert done.exit_code == 0, done.output
    version, commit = RELEASES.iloc[-1][["data_version", "commit"]]
    assert f"release {version} ({commit[:12]}) →" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--release", "1999.01"], "--release 1999.01: no such data release (releases: "),
        (["--rev", "no-such-branch"], "--rev no-such-branch: no such commit"),
    ],
)
def test_unknown_release_or_revision_is_one_line(args, message):
    done = runner.invoke(app, ["diff", *args])
    assert done.exit_code == 1
    [line] = done.stderr.splitlines()
    assert message in line
