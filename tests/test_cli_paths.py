"""Where outputs go: one overwrite policy, stopped runs leave nothing hidden, figures too large.

The path problems of every writing command (an --out that is a folder, inside a file, or
unwritable) are cases of the bad-input corpus (tests/test_bad_inputs.py, ids ``out_*``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridormap.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
SLOW_SPEC = 'title = "Stopped"\noutputs = ["png", "svg", "pdf", "tables"]\n[figure]\ndpi = 200\n'
QUICK_SPEC = 'title = "Quick"\noutputs = ["tables"]\n[select]\ncorridor = ["cku_railway"]\n'


def test_a_file_output_replaces_a_file_and_says_so_never_a_folder(tmp_path):
    out = tmp_path / "atlas.csv"
    first = runner.invoke(app, ["export", "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "replaced" not in first.stdout
    again = runner.invoke(app, ["export", "--out", str(out)])
    assert again.exit_code == 0 and "replaced the previous file" in again.stdout
    folder = tmp_path / "atlas.geojson"
    folder.mkdir()
    refused = runner.invoke(app, ["export", "--out", str(folder)])
    assert refused.exit_code == 1 and "is a folder" in refused.stderr
    assert folder.is_dir()


def test_a_figure_too_large_to_draw_is_refused_by_its_pixel_count(tmp_path):
    spec = tmp_path / "poster.toml"
    spec.write_text(
        'title = "Poster"\n[figure]\nwidth_in = 20\nheight_in = 30\ndpi = 1200\n', "utf-8"
    )
    done = runner.invoke(app, ["brief", str(spec), "--out", str(tmp_path / "pack")])
    assert done.exit_code == 1
    [line] = done.stderr.splitlines()
    assert "poster.toml" in line and "864 million pixels" in line
    assert "settings.max_figure_megapixels" in line
    assert not (tmp_path / "pack").exists()


def _start_brief(tmp_path: Path, spec_text: str) -> subprocess.Popen:
    spec = tmp_path / "spec.toml"
    spec.write_text(spec_text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "corridormap", "brief", str(spec), "--out", str(tmp_path / "pack")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _wait_for_staging(process: subprocess.Popen, folder: Path, timeout: float = 120) -> None:
    """Wait until the run has begun writing aside (its hidden staging folder exists)."""
    end = time.monotonic() + timeout
    while not _hidden(folder):
        if process.poll() is not None or time.monotonic() > end:
            process.kill()
            pytest.fail(f"the brief never began writing: {process.communicate()}")
        time.sleep(0.05)


@pytest.mark.slow
def test_sigterm_leaves_no_hidden_temporaries(tmp_path):
    process = _start_brief(tmp_path, SLOW_SPEC)
    _wait_for_staging(process, tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert _hidden(tmp_path) == [] and not (tmp_path / "pack").exists()


@pytest.mark.slow
def test_what_sigkill_leaves_is_removed_by_the_next_run(tmp_path):
    process = _start_brief(tmp_path, SLOW_SPEC)
    _wait_for_staging(process, tmp_path)
    process.kill()
    process.communicate(timeout=60)
    left = _hidden(tmp_path)
    assert left and all(name.startswith(".pack.") for name in left)
    again = _start_brief(tmp_path, QUICK_SPEC)
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert _hidden(tmp_path) == [] and (tmp_path / "pack" / "corridors.csv").is_file()


def test_a_revenue_override_is_held_to_the_data_s_limits():
    from corridormap.vocabulary import INPUT_LIMITS

    done = runner.invoke(app, ["revenue", "--set", "cku_railway.volume=1e308"])
    assert done.exit_code == 1
    [line] = done.stderr.splitlines()
    limit = f"{INPUT_LIMITS['volume']:,.0f}"
    assert "cku_railway.volume: 1e+308 is implausibly large" in line and limit in line
    within = runner.invoke(
        app, ["revenue", "--set", f"cku_railway.volume={INPUT_LIMITS['volume']}"]
    )
    assert within.exit_code == 0, within.output


def test_the_same_number_in_tariffs_csv_is_refused(tmp_path):
    import shutil

    shutil.copytree(ROOT / "geo", tmp_path / "geo")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "tariffs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("volume_high")] = "1e308"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    done = runner.invoke(
        app, ["validate", "--geo-dir", str(tmp_path / "geo"), "--data-dir", str(tmp_path / "data")]
    )
    assert done.exit_code == 1
    assert any(
        "tariffs.csv" in line and "volume_high" in line and "implausibly large" in line
        for line in done.stderr.splitlines()
    ), done.stderr


def test_an_empty_result_is_its_headers(capsys):
    import pandas as pd

    from corridormap.cli.options import TableFormat, emit

    for fmt in (TableFormat.table, TableFormat.markdown, TableFormat.csv):
        emit(pd.DataFrame(columns=["corridor_id", "km"]), fmt)
        shown = capsys.readouterr().out
        assert "corridor_id" in shown and "km" in shown
        assert "Empty DataFrame" not in shown and "Index" not in shown
