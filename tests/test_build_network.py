"""scripts/build_network.py: its data is data, a rebuild is current, hand edits survive.

The rebuild needs the reference folder, which is not in the repository (scripts/README.md): the
tests that run the build skip without it. ``CORRIDORMAP_REFERENCE`` names it; otherwise
the nearest ``shared/reference`` above the checkout is used when present (as the script does).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_network.py"
NETWORK = ROOT / "scripts" / "network"
SHARED = [p / "shared" / "reference" for p in ROOT.parents if (p / "shared" / "reference").is_dir()]
REFERENCE = Path(
    os.environ.get("CORRIDORMAP_REFERENCE", SHARED[0] if SHARED else ROOT.parent / "shared")
)
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "network" / "network_waypoints.csv").is_file(),
    reason=f"no reference folder at {REFERENCE}",
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(*args: str, reference: Path = REFERENCE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--reference", str(reference), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_repo(tmp_path: Path) -> Path:
    """The folders the build reads and writes (data/, geo/) in a scratch root."""
    for folder in ("data", "geo"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_the_script_is_code_and_its_data_is_data():
    text = SCRIPT.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400
    for literal in ("LINES", "HUBS", "NAMES", "LINKS", "SOURCE_TEXT_TO_ID", "kz_north_main"):
        assert literal not in text, literal


def test_every_source_id_the_network_data_names_has_a_row_in_sources_csv():
    known = {r["source_id"] for r in rows(ROOT / "data" / "sources.csv")}
    plan = tomllib.loads((NETWORK / "lines.toml").read_text(encoding="utf-8"))
    config = tomllib.loads((NETWORK / "build.toml").read_text(encoding="utf-8"))
    named = {s["km_source"] for s in plan["line"].values() if "km_source" in s}
    named |= set(config["sources"]["osm_derived"]) | set(config["sources"]["sea"])
    named |= {config["sources"]["estimate"]}
    named |= {p["source"] for p in config["atlas_points"].values()}
    own = NETWORK / "waypoints.csv"
    named |= {r["source_id"] for r in rows(own)} if own.is_file() else set()
    assert named - known == set()


def test_every_placed_hub_has_its_hand_columns_in_transfers_csv():
    """name, country and snap_km of a hub are edited in data/transfers.csv (one home each)."""
    hubs = {
        r["transfer_id"]: r for r in rows(ROOT / "data" / "transfers.csv") if r["type"] == "hub"
    }
    placed = [r["hub_id"] for r in rows(NETWORK / "hubs.csv")]
    assert len(placed) == len(set(placed))
    for hub_id in placed:
        assert hub_id in hubs
        assert hubs[hub_id]["name"] and hubs[hub_id]["country"] and hubs[hub_id]["snap_km"]


@needs_reference
def test_rebuild_is_byte_identical_to_the_committed_outputs():
    result = run("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the committed outputs are current" in result.stdout


@needs_reference
def test_check_names_the_file_row_and_column_that_drifted(tmp_path):
    root = copy_repo(tmp_path)
    path = root / "data" / "transfers.csv"
    text = path.read_text(encoding="utf-8")
    first = next(r for r in rows(path) if r["type"] == "hub")
    path.write_text(text.replace(f"{first['lat']},{first['lon']}", f"1.5,{first['lon']}", 1))
    result = run("--check", "--repo", str(root))
    assert result.returncode == 1
    assert "data/transfers.csv" in result.stderr and "row 2" in result.stderr
    assert f"transfer_id={first['transfer_id']}" in result.stderr and "'lat'" in result.stderr
    assert "Traceback" not in result.stderr


@needs_reference
def test_a_rebuild_keeps_hand_edits_of_transfers_csv(tmp_path):
    """Edge rows, a hub placed by hand and the hand columns of a placed hub survive a rebuild."""
    root = copy_repo(tmp_path)
    path = root / "data" / "transfers.csv"
    table = rows(path)
    header = list(table[0])
    first = next(r for r in table if r["type"] == "hub")
    first["name"], first["snap_km"] = "Edited by hand", "4.5"
    edge = next(r for r in table if r["type"] == "border_crossing")
    edge["note"] = 'A hand note, with "quotes", commas; and ünïcode'
    extra = dict.fromkeys(header, "")
    extra |= {"transfer_id": "hand_hub", "type": "hub", "name": "Hand hub", "hub": "hand_hub"}
    extra |= {"lat": "40.1", "lon": "60.2", "country": "UZB", "snap_km": "2"}
    extra |= {"source_id": "corridormap_estimate", "kind": "estimate", "note": "placed by hand"}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows([*table, extra])
    before = path.read_bytes()
    result = run("--repo", str(root))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == before  # nothing the build owns was touched by the edits
    assert run("--check", "--repo", str(root)).returncode == 0


@needs_reference
def test_a_hub_without_its_row_is_refused_in_one_line(tmp_path):
    root = copy_repo(tmp_path)
    path = root / "data" / "transfers.csv"
    first = next(r for r in rows(path) if r["type"] == "hub")
    kept = [
        ln
        for ln in path.read_text().splitlines(True)
        if not ln.startswith(first["transfer_id"] + ",")
    ]
    path.write_text("".join(kept))
    before = {p: (root / p).read_bytes() for p in ("geo/network.geojson", "data/network_lines.csv")}
    result = run("--repo", str(root))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "data/transfers.csv" in lines[0]
    assert f"no hub row for {first['transfer_id']}" in lines[0]
    assert {p: (root / p).read_bytes() for p in before} == before  # nothing half-written


@needs_reference
def test_an_unmapped_source_text_is_refused_in_one_line(tmp_path):
    reference = tmp_path / "reference"
    (reference / "network").mkdir(parents=True)
    src = REFERENCE / "network" / "network_waypoints.csv"
    text = src.read_text(encoding="utf-8").splitlines(True)
    text[1] = text[1].rstrip("\n").rsplit(",", 1)[0] + ",a source nobody mapped\n"
    (reference / "network" / "network_waypoints.csv").write_text("".join(text))
    result = run("--check", reference=reference)
    assert result.returncode == 1
    assert "source text not in scripts/layers/source_texts.csv" in result.stderr
    assert "a source nobody mapped" in result.stderr and "Traceback" not in result.stderr
