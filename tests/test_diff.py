"""corridormap diff: two generated data folders with known changes; the diff finds exactly those."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod
from typer.testing import CliRunner

import corridormap
from corridormap.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
SHIFT_DEG = 0.1  # the moved segment goes this far north
NAME = 'Test spur <script>alert("x")</script> & co'
NEW_SOURCE = "test_2026_new_cost_source"


def copy_atlas(source: Path, target: Path) -> Path:
    shutil.copytree(source / "geo", target / "geo")
    shutil.copytree(source / "data", target / "data")
    return target


def edit_csv(path: Path, edit) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False, lineterminator="\n")


def straight_segment(geo: Path) -> tuple[str, str, list[list[float]]]:
    """The first segment drawn as one straight edge: moving it north moves it exactly that far."""
    for layer in ("railways", "pipelines", "highways"):
        for f in json.loads((geo / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]:
            if len(f["geometry"]["coordinates"]) == 2:
                return layer, f["properties"]["segment_id"], f["geometry"]["coordinates"]
    raise AssertionError("no two-vertex segment in the atlas")


def make_changes(new: Path) -> dict:
    """Change one status, move one segment, add one, change one cost with a new source."""
    layer, moved, coords = straight_segment(new / "geo")
    path = new / "geo" / f"{layer}.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for f in doc["features"]:
        if f["properties"]["segment_id"] == moved:
            f["geometry"]["coordinates"] = [[x, round(y + SHIFT_DEG, 6)] for x, y in coords]
    doc["features"].append(
        {
            "type": "Feature",
            "properties": {"segment_id": "cku_railway__test_spur", "corridor_id": "cku_railway"},
            "geometry": {"type": "LineString", "coordinates": [[73.0, 40.9], [73.1, 41.0]]},
        }
    )
    path.write_text(json.dumps(doc), encoding="utf-8")
    segments = pd.read_csv(new / "data" / "segments.csv", dtype=str, keep_default_na=False)
    restatus = segments.loc[segments["status"] == "planned", "segment_id"].iloc[0]
    template = segments[segments["corridor_id"] == "cku_railway"].iloc[[0]].copy()
    template = template.assign(segment_id="cku_railway__test_spur", name=NAME, status="planned")

    def segment_edits(frame):
        frame.loc[frame["segment_id"] == restatus, "status"] = "under_construction"
        return pd.concat([frame, template], ignore_index=True)

    edit_csv(new / "data" / "segments.csv", segment_edits)
    projects = pd.read_csv(new / "data" / "projects.csv", dtype=str, keep_default_na=False)
    costed = projects[projects["cost_usd_m"] != ""].iloc[0]

    def cost_edit(frame):
        frame.loc[frame["corridor_id"] == costed["corridor_id"], "cost_usd_m"] = "1234.5"
        frame.loc[frame["corridor_id"] == costed["corridor_id"], "cost_source"] = NEW_SOURCE
        return frame

    edit_csv(new / "data" / "projects.csv", cost_edit)
    row = {"source_id": NEW_SOURCE, "title": "A new cost estimate", "url": "https://example.org/"}
    edit_csv(new / "data" / "sources.csv", lambda f: pd.concat([f, pd.DataFrame([row])]).fillna(""))
    geod = Geod(ellps="WGS84")
    lon, lat = coords[0]
    (x0, y0), (x1, y1) = coords
    before = geod.inv(x0, y0, x1, y1)[2]
    after = geod.inv(x0, y0 + SHIFT_DEG, x1, y1 + SHIFT_DEG)[2]
    return {
        "moved": moved,
        "moved_km": geod.inv(lon, lat, lon, lat + SHIFT_DEG)[2] / 1000,
        "length_change_km": (after - before) / 1000,
        "restatus": restatus,
        "costed": costed["corridor_id"],
        "old_cost": costed["cost_usd_m"],
        "old_cost_source": costed["cost_source"],
    }


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("diff")
    old = copy_atlas(ROOT, root / "old")
    new = copy_atlas(ROOT, root / "new")
    return old, new, make_changes(new)


@pytest.fixture(scope="module")
def changes(folders):
    old, new, truth = folders
    return corridormap.diff_atlases(
        corridormap.load(old / "geo", old / "data"), corridormap.load(new / "geo", new / "data")
    )


def test_same_atlas_has_no_changes(atlas):
    result = corridormap.diff_atlases(atlas, atlas)
    assert len(result) == 0
    assert result.to_markdown().endswith("No changes.\n")


def test_status_change_is_found_with_its_sources(folders, changes):
    truth = folders[2]
    assert changes.status[["kind", "id", "old_status", "new_status"]].values.tolist() == [
        ["segment", truth["restatus"], "planned", "under_construction"]
    ]


def test_added_segment_is_found_and_nothing_removed(changes):
    assert changes.added["segment_id"].tolist() == ["cku_railway__test_spur"]
    assert changes.added["name"].tolist() == [NAME]
    assert changes.removed.empty


def test_moved_segment_is_found_with_how_far_and_its_length_change(folders, changes):
    truth = folders[2]
    assert changes.moved["segment_id"].tolist() == [truth["moved"]]
    row = changes.moved.iloc[0]
    assert row["moved_km"] == pytest.approx(truth["moved_km"], rel=0.01)
    assert row["length_change_km"] == pytest.approx(truth["length_change_km"], abs=0.01)
    assert row["old_geometry"].coords[0][1] + SHIFT_DEG == pytest.approx(row.geometry.coords[0][1])


def test_cost_change_is_the_only_changed_figure_and_names_both_sources(folders, changes):
    truth = folders[2]
    assert changes.figures.to_dict("records") == [
        {
            "table": "projects",
            "id": truth["costed"],
            "field": "cost_usd_m",
            "old": truth["old_cost"],
            "new": "1234.5",
            "old_source": truth["old_cost_source"],
            "new_source": NEW_SOURCE,
        }
    ]


def test_summary_has_one_row_per_change(changes):
    summary = changes.summary()
    assert sorted(summary["change"]) == ["added", "figure", "moved", "status"]
    assert changes.changed_segment_ids[0] == "cku_railway__test_spur"


def test_markdown_for_a_briefing_has_a_section_per_change_and_escapes_text(changes):
    text = changes.to_markdown(title="Changes | test")
    for heading in ("Status changes (1)", "Segments added (1)", "Segments moved (1)"):
        assert f"## {heading}" in text
    assert "## Figures changed (1)" in text and "Segments removed" not in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert text.startswith("# Changes \\| test")


def test_cli_json_and_csv_end_to_end(folders):
    old, new, truth = folders
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["change"]: r["id"] for r in rows} == {
        "status": truth["restatus"],
        "added": "cku_railway__test_spur",
        "moved": truth["moved"],
        "figure": truth["costed"],
    }
    explicit = runner.invoke(
        app,
        ["diff", "--old-geo", str(old / "geo"), "--old-data", str(old / "data"),
         "--new-geo", str(new / "geo"), "--new-data", str(new / "data"), "--format", "csv"],
    )  # fmt: skip
    assert explicit.exit_code == 0, explicit.output
    assert len(explicit.stdout.strip().splitlines()) == 1 + 4


def test_cli_map_has_the_change_layer_and_escapes_text(folders, tmp_path):
    old, new, truth = folders
    out = tmp_path / "changes.html"
    result = runner.invoke(app, ["diff", str(old), str(new), "--map", str(out)])
    assert result.exit_code == 0, result.output
    assert "Saved" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "What changed (3 segments)" in html
    assert html.count("cm-diff-changed") == 3  # added, moved, re-statused
    assert html.count("cm-diff-old") == 1  # the moved segment's old line, dashed
    assert "alert(" in html and '<script>alert("x")' not in html
    assert html.index("What changed (3 segments)") < html.rindex("L.control.layers")


def test_diff_map_passes_its_options_to_the_map_and_takes_diff_by_keyword(folders, changes):
    old, new, truth = folders
    old_atlas, new_atlas = (corridormap.load(f / "geo", f / "data") for f in (old, new))
    m = corridormap.diff_map(
        old_atlas, new_atlas, diff=changes, mode="rail", title="Rail changes", terrain=False
    )
    rail = new_atlas.corridors.loc[new_atlas.corridors["mode"] == "rail", "corridor_id"]
    assert m.corridor_ids == rail.tolist()  # the filter reached folium_map
    html = m.get_root().render()
    assert "<title>Rail changes</title>" in html
    assert "What changed (3 segments)" in html
    with pytest.raises(TypeError):
        corridormap.diff_map(old_atlas, new_atlas, changes)  # diff is keyword-only


def test_cli_without_a_new_atlas_is_a_usage_error(folders):
    result = runner.invoke(app, ["diff", str(folders[0])])
    assert result.exit_code == 2
    assert "NEW_DIR" in result.output


def test_diff_of_a_git_worktree_against_an_edited_copy(tmp_path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    worktree = tmp_path / "old"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), "HEAD"],
        check=True,
        capture_output=True,
    )
    try:
        new = copy_atlas(worktree, tmp_path / "new")
        truth = make_changes(new)
        result = runner.invoke(app, ["diff", str(worktree), str(new), "--format", "markdown"])
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
            check=True,
            capture_output=True,
        )
    assert result.exit_code == 0, result.output
    assert truth["moved"] in result.stdout and "## Figures changed (1)" in result.stdout


@pytest.mark.browser
def test_change_layer_draws_offline_and_toggles_in_a_browser(folders, tmp_path, browser):
    old, new, _ = folders
    out = tmp_path / "changes.html"
    assert runner.invoke(app, ["diff", str(old), str(new), "--map", str(out)]).exit_code == 0
    blocked, errors = [], []
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.route(re.compile(r"^https?://"), lambda r: (blocked.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.add_init_script("window.__alerts = 0; window.alert = () => window.__alerts++;")
        page.goto(out.as_uri())
        page.wait_for_selector("path.cm-diff-changed")
        assert page.locator("path.cm-diff-changed").count() == 3
        assert page.locator("path.cm-diff-old").get_attribute("stroke-dasharray") == "6 5"
        page.get_by_label("What changed (3 segments)").uncheck()
        assert page.locator("path.cm-diff-changed").count() == 0
        assert page.locator("path.cm-line").count() > 0  # the atlas itself stays
        assert page.evaluate("window.__alerts") == 0
    finally:
        page.close()
    assert blocked == [] and errors == []
