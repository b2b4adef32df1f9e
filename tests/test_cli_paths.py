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
