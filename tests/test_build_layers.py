"""scripts/build_layers.py: its data files agree with the atlas, and a rebuild is current.

The rebuild needs the reference folder, which is not in the repository (scripts/README.md): the
tests that run the build skip without it. ``CORRIDORMAP_REFERENCE`` names it; otherwise
``../shared/reference`` beside the checkout is used when present.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_layers.py"
LAYERS = ROOT / "scripts" / "layers"
REFERENCE = Path(os.environ.get("CORRIDORMAP_REFERENCE", ROOT.parent / "shared" / "reference"))
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "waypoints.csv").is_file(), reason=f"no reference folder at {REFERENCE}"
)


def toml(name: str) -> dict:
    return tomllib.loads((LAYERS / name).read_text(encoding="utf-8"))


def source_ids() -> set[str]:
    return set(pd.read_csv(ROOT / "data" / "sources.csv", dtype=str)["source_id"])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--reference", str(REFERENCE), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_source_id_the_build_names_has_a_row_in_sources_csv():
    build, places = toml("build.toml"), toml("places.toml")["place"]
    named = set(build["tracks"].values()) | set(build["sources"]["cited"])
    named |= set(build["sources"]["osm_derived"]) | set(build["sources"]["unsourced"])
    named |= set(build["sources"].get("cc_by", [])) | set(build.get("resolution", {}))
    named |= {line["source"] for line in toml("upstream.toml")["line"]}
    named |= set(pd.read_csv(LAYERS / "source_texts.csv", dtype=str)["source_id"])
    named |= {s for p in places for s in p.get("extra_sources", [])}
    named |= {p["fixed"]["source"] for p in places if "fixed" in p}
    assert named - source_ids() == set()


def test_segments_toml_plans_exactly_the_segments_of_the_atlas():
    planned = toml("segments.toml")
    drawn = {}
    for layer in ("railways", "pipelines", "highways"):
        doc = json.loads((ROOT / "geo" / f"{layer}.geojson").read_text(encoding="utf-8"))
        drawn |= {f["properties"]["segment_id"]: layer for f in doc["features"]}
    assert {sid: plan["layer"] for sid, plan in planned.items()} == drawn
    table = pd.read_csv(ROOT / "data" / "segments.csv", dtype=str)
    assert set(table["segment_id"]) == set(planned)


def test_the_script_is_code_and_its_data_is_data():
    for name in (
        "build_layers.py", "layer_inputs.py", "layer_checks.py", "layer_measure.py",
        "build_geometry.py",
    ):  # fmt: skip
        assert len((ROOT / "scripts" / name).read_text(encoding="utf-8").splitlines()) < 400, name
    assert "/tmp" not in SCRIPT.read_text(encoding="utf-8")


@needs_reference
def test_rebuild_is_byte_identical_to_the_committed_outputs():
    result = run("--check")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "the committed outputs are current" in result.stdout


@needs_reference
def test_an_unexplained_check_finding_fails_the_build(tmp_path):
    layers = tmp_path / "layers"
    shutil.copytree(LAYERS, layers)
    text = (layers / "build.toml").read_text(encoding="utf-8")
    start = text.index("[[known]]")
    end = text.index("[[known]]", start + 1)
    (layers / "build.toml").write_text(text[:start] + text[end:], encoding="utf-8")  # drop Alichur
    result = run("--check", "--layers", str(layers))
    assert result.returncode == 1
    assert "1 problem(s)" in result.stderr
    assert "'Alichur'" in result.stderr and "is 2.7 km from the line" in result.stderr
    assert "Traceback" not in result.stderr


@needs_reference
def test_a_source_id_missing_from_sources_csv_stops_the_build_in_one_line(tmp_path):
    layers = tmp_path / "layers"
    shutil.copytree(LAYERS, layers)
    places = (layers / "places.toml").read_text(encoding="utf-8")
    places = places.replace('source = "corridormap_estimate"', 'source = "no_such_source"', 1)
    (layers / "places.toml").write_text(places, encoding="utf-8")
    out = tmp_path / "out"
    result = run("--layers", str(layers), "--repo", str(out), "--no-segments-csv")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "build_layers: source ids with no row in data/sources.csv: no_such_source"
    ]


def test_without_a_reference_folder_it_says_how_to_give_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CORRIDORMAP_REFERENCE"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "--reference DIR" in result.stderr
    missing = run("--reference", str(tmp_path), "--check")
    assert missing.returncode == 1
    assert "lacks waypoints.csv" in missing.stderr


@pytest.mark.slow
@needs_reference
def test_hand_edits_are_adopted_so_the_build_reproduces_them(tmp_path):
    # A copy of the checkout in which one line and one place were edited by hand.
    repo = tmp_path / "repo"
    for part in ("scripts", "geo", "data"):
        shutil.copytree(ROOT / part, repo / part)
    shutil.copytree(ROOT / "tests" / "data", repo / "tests" / "data")
    path = repo / "geo" / "railways.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    edited = next(f for f in doc["features"] if len(f["geometry"]["coordinates"]) > 4)
    sid = edited["properties"]["segment_id"]
    edited["geometry"]["coordinates"][2][1] = round(
        edited["geometry"]["coordinates"][2][1] + 0.01, 6
    )
    build = repo / "scripts" / "build_layers.py"
    rows = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"]]
    body = ",\n".join(rows)
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8"
    )
    table = pd.read_csv(repo / "data" / "segments.csv", dtype=str, keep_default_na=False)
    table.loc[table["segment_id"] == sid, "geometry_note"] = "Edited by hand."
    table.to_csv(repo / "data" / "segments.csv", index=False, lineterminator="\n")
    command = [sys.executable, str(build), "--reference", str(REFERENCE), "--check"]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 1
    adopt = [
        sys.executable,
        str(repo / "scripts" / "adopt_layers.py"),
        "--reference",
        str(REFERENCE),
    ]
    result = subprocess.run(adopt, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert f"adopted {sid}: line, geometry columns" in result.stdout
    line = json.loads((repo / "scripts" / "layers" / "lines" / f"{sid}.geojson").read_text())
    assert len(line["features"][0]["geometry"]["coordinates"]) >= 1
    plan = tomllib.loads((repo / "scripts" / "layers" / "segments.toml").read_text())[sid]
    assert plan["geometry_note"] == "Edited by hand."
    assert any("line" in part for part in plan["draw"])
