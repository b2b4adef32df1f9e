"""The command line on real data: exit codes, formats, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from corridormap.cli.app import app

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
    assert len(rows) == 14
    assert {
        "corridor_id",
        "name",
        "mode",
        "status",
        "length_km",
        "length_km_reported",
        "positional_accuracy_km",
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
    # a drawn km says it is drawn (and how accurate) in the readable formats
    assert aligns["km_as_drawn"] == "---:" and aligns["name"] == "---"
    assert columns.index("km_reported") < columns.index("km_as_drawn") < columns.index("drawn_±km")
    assert len(rows) == 14
    assert all(row.count(" | ") == len(columns) - 1 for row in rows)


def test_readme_fidelity_table_is_what_validate_reports():
    """The README's table is pasted from the tool; it must not drift from the data."""
    result = runner.invoke(app, ["validate", "--report", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert result.stdout.strip() in readme, (
        "README fidelity table is stale: paste `corridormap validate --report --format markdown`"
    )


HEAVY = ("geopandas", "matplotlib", "folium", "pandera", "dask", "pandas", "shapely", "pyproj")


def test_cli_module_imports_no_heavy_library():
    code = (
        "import sys, corridormap.cli.app; print(' '.join({m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_version_and_help_import_no_heavy_library():
    for argv in (["--version"], ["--help"], ["map", "--help"], ["join-points", "--help"]):
        code = (
            "import sys\n"
            f"sys.argv = ['corridormap', *{argv!r}]\n"
            "from corridormap.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("MODULES"), done.stdout + done.stderr
        loaded = set(last.split()[1:])
        assert not loaded & set(HEAVY), (argv, sorted(loaded & set(HEAVY)))


def test_validate_command_runs_pandera_without_hypothesis(tmp_path):
    # pandera would import hypothesis (~50 ms) on its first validation, for example data only.
    code = (
        "import sys\n"
        "sys.argv = ['corridormap', 'validate']\n"
        "from corridormap.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('EXIT', exc.code)\n"
        "print('HYPOTHESIS', sys.modules.get('hypothesis', 'absent'))\n"
        "print('PANDERA', 'pandera' in sys.modules)\n"
    )
    env = {**os.environ, "CORRIDORMAP_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    lines = done.stdout.strip().splitlines()
    assert "PANDERA True" in lines, done.stdout + done.stderr  # the files were validated
    assert "HYPOTHESIS None" in lines, done.stdout + done.stderr
    assert "EXIT 1" not in lines, done.stdout + done.stderr


def test_each_command_module_imports_on_its_own():
    # No cli/ module needs corridormap.cli.app imported first (they share cli/options instead).
    folder = Path(__file__).parents[1] / "src" / "corridormap" / "cli"
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "main"))
    assert "map" in modules
    for name in modules:
        done = subprocess.run(
            [sys.executable, "-c", f"import corridormap.cli.{name}"], capture_output=True, text=True
        )
        assert done.returncode == 0, (name, done.stderr)
        assert "corridormap.cli.app " not in done.stderr


def test_library_names_stay_the_functions_after_their_modules_load():
    import corridormap as cm
    from corridormap.atlas.core import load
    from corridormap.briefing.pack import brief as brief_function

    load()  # imports the corridormap.validation.runner module
    assert callable(cm.validate) and cm.validate.__module__ == "corridormap.validation.runner"
    assert callable(cm.brief) and cm.brief is brief_function
    assert set(cm.__all__) <= set(dir(cm))
    for name in cm.__all__:
        assert getattr(cm, name) is not None


def test_export_format_choices_match_the_library():
    from corridormap.cli.brief import ExportFormat
    from corridormap.export import FORMATS

    assert tuple(ExportFormat) == FORMATS


def test_a_named_command_runs_on_its_own_group_with_the_same_help_and_errors():
    import corridormap.cli.app as cli

    names = sorted(set().union(*(cli._names(group.app) for group in cli.GROUPS)))
    assert {"map", "list", "join-points", "lengths", "routes"} <= set(names)
    for name in names:
        slim = cli._app_for(["corridormap", name])
        assert slim is not cli.app
        for args in ([name, "--help"], [name, "--no-such-option"]):
            mine = CliRunner().invoke(slim, args, prog_name="corridormap")
            whole = CliRunner().invoke(cli.app, args, prog_name="corridormap")
            assert (mine.exit_code, mine.output) == (whole.exit_code, whole.output), args
    for argv in (["corridormap"], ["corridormap", "--help"], ["corridormap", "mpa"]):
        assert cli._app_for(argv) is cli.app  # help, --version and typos list every command
