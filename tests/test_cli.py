"""The command line on real data: exit codes, formats, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from corridormap.cli import app

runner = CliRunner()


def test_validate_real_data_exits_0():
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stderr


def test_validate_report_prints_fidelity_table():
    result = runner.invoke(app, ["validate", "--report", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[:3] == ["segment_id", "corridor_id", "length_km"]
    assert "accuracy_class" in header


def test_validate_broken_copy_exits_1_with_one_line_per_problem(data_copy):
    data_copy.edit_cell("projects", "cku_railway", "mode", "canal")
    data_copy.edit_cell("segments", "cagp_d__tajikistan", "positional_accuracy_km", "far")
    result = runner.invoke(
        app, ["validate", "--geo-dir", str(data_copy.geo), "--data-dir", str(data_copy.data)]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any("projects.csv" in e and "canal" in e for e in errors)
    assert any("segments.csv" in e and "cagp_d__tajikistan" in e for e in errors)
    assert "Traceback" not in result.output


def test_validate_missing_folder_exits_1(tmp_path):
    result = runner.invoke(app, ["validate", "--geo-dir", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "folder not found" in result.stderr


def test_usage_error_exits_2():
    result = runner.invoke(app, ["list", "--format", "yaml"])
    assert result.exit_code == 2


def test_list_formats():
    result = runner.invoke(app, ["list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 13
    assert {
        "corridor_id",
        "name",
        "mode",
        "status",
        "length_km",
        "length_km_reported",
        "countries",
    } == set(rows[0])
    table = runner.invoke(app, ["list"])
    assert "cku_railway" in table.stdout


def test_console_script_help_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "corridormap", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("corridormap ")


def test_markdown_format_is_a_pipe_table_with_numbers_right_aligned():
    result = runner.invoke(app, ["list", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    head, rule, *rows = result.stdout.strip().splitlines()
    columns = [c.strip() for c in head.strip("|").split("|")]
    assert columns[:2] == ["corridor_id", "name"]
    aligns = dict(zip(columns, [a.strip() for a in rule.strip("|").split("|")], strict=True))
    assert aligns["length_km"] == "---:" and aligns["name"] == "---"
    assert len(rows) == 13
    assert all(row.count(" | ") == len(columns) - 1 for row in rows)


def test_readme_fidelity_table_is_what_validate_reports():
    """The README's table is pasted from the tool; it must not drift from the data."""
    result = runner.invoke(app, ["validate", "--report", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert result.stdout.strip() in readme, (
        "README fidelity table is stale: paste `corridormap validate --report --format markdown`"
    )
