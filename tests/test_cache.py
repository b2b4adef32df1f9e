"""Load and validate once: the on-disk atlas cache and the per-atlas memo of lengths and revenue."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import corridormap as cm
from corridormap import revenue
from corridormap.measure import lengths as measure

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDORMAP_CACHE_DIR", str(folder))
    monkeypatch.delenv("CORRIDORMAP_NO_CACHE", raising=False)
    return folder


def validated(caplog, geo, data) -> bool:
    """Load the atlas; whether it was validated (rather than read from the cache)."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="corridormap"):
        cm.load(geo, data)
    return any(r.getMessage().startswith("validated ") for r in caplog.records)


def test_second_load_skips_validation_and_gives_the_same_atlas(cache, caplog, data_copy):
    assert validated(caplog, data_copy.geo, data_copy.data)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert not validated(caplog, data_copy.geo, data_copy.data)
    fresh, kept = cm.load(data_copy.geo, data_copy.data), cm.load(data_copy.geo, data_copy.data)
    pd.testing.assert_frame_equal(
        fresh.corridors.drop(columns="geometry"), kept.corridors.drop(columns="geometry")
    )
    assert kept.geo_dir == data_copy.geo and kept.data_hash == fresh.data_hash


def test_a_changed_file_invalidates(cache, caplog, data_copy):
    assert validated(caplog, data_copy.geo, data_copy.data)
    data_copy.edit_cell("projects", "cku_railway", "name", "CKU railway (renamed)")
    assert validated(caplog, data_copy.geo, data_copy.data)
    atlas = cm.load(data_copy.geo, data_copy.data)
    assert "CKU railway (renamed)" in set(atlas.corridors["name"])
    # a broken file is never served from the cache: validation runs and fails
    data_copy.edit_cell("projects", "cku_railway", "mode", "canal")
    with pytest.raises(cm.DataError, match="canal"):
        cm.load(data_copy.geo, data_copy.data)


def test_changed_settings_miss(cache, caplog, data_copy, monkeypatch):
    assert validated(caplog, data_copy.geo, data_copy.data)
    monkeypatch.setattr(cm.settings, "line_data_accuracy_km", 50.0)
    assert validated(caplog, data_copy.geo, data_copy.data)


def test_corrupt_entry_is_rebuilt(cache, caplog, data_copy):
    assert validated(caplog, data_copy.geo, data_copy.data)
    [entry] = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert validated(caplog, data_copy.geo, data_copy.data)
    assert not validated(caplog, data_copy.geo, data_copy.data)


def test_no_cache_env_var(cache, caplog, data_copy, monkeypatch):
    monkeypatch.setenv("CORRIDORMAP_NO_CACHE", "1")
    assert validated(caplog, data_copy.geo, data_copy.data)
    assert validated(caplog, data_copy.geo, data_copy.data)
    assert not cache.exists()


#: Runs the command line in a fresh interpreter, then says which heavy modules it imported.
PROBE = (
    "import sys\nfrom corridormap.cli.app import main\nsys.argv = {argv!r}\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('VALIDATE', 'corridormap.validation.runner' in sys.modules, file=sys.stderr)\n"
    "print('PANDERA', 'pandera' in sys.modules, file=sys.stderr)\n"
)


def run_twice(cache: Path, *args: str) -> list[subprocess.CompletedProcess]:
    """``corridormap *args`` in two fresh interpreters on ``cache``: cold (empty), then warm.

    Serial (``CORRIDORMAP_PARALLEL=0``): a forked cold map validates in its child, so this
    process would not import the schemas either way (tests/test_overlap.py checks that run).
    """
    env = {**os.environ, "CORRIDORMAP_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    env.pop("CORRIDORMAP_NO_CACHE", None)
    env["CORRIDORMAP_PARALLEL"] = "0"
    code = PROBE.format(argv=["corridormap", *args])
    return [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]


@pytest.fixture(scope="module")
def list_runs(tmp_path_factory) -> list[subprocess.CompletedProcess]:
    """``corridormap list`` cold then warm, shared by the two tests that look at it."""
    return run_twice(tmp_path_factory.mktemp("cache"), "list")


def test_cached_list_runs_no_validation(list_runs):
    # cold: validates; warm: from the cache
    for done, expected in zip(list_runs, ("True", "False"), strict=True):
        assert done.returncode == 0, done.stderr
        assert "cku_railway" in done.stdout
        assert f"VALIDATE {expected}" in done.stderr


@pytest.mark.parametrize("command", ["list", "map"])
def test_warm_commands_do_not_import_the_schemas(list_runs, tmp_path, command):
    # pandera (the table schemas) is only needed to validate; a cached atlas skips it.
    if command == "list":
        runs = list_runs
    else:
        runs = run_twice(tmp_path / "cache", "map", "--out", str(tmp_path / "m.html"))
    # cold: validates; warm: from the cache
    for done, expected in zip(runs, ("True", "False"), strict=True):
        assert done.returncode == 0, done.stderr
        assert f"PANDERA {expected}" in done.stderr


# --------------------------------------------------------------------------- once per atlas


def test_lengths_are_computed_once_per_atlas(atlas):
    first = measure.lengths_by_country(atlas)
    again = measure.lengths_by_country(atlas)
    pd.testing.assert_frame_equal(first, again)
    assert first is not again  # each caller gets its own copy
    first.loc[0, "length_km"] = -1.0
    assert measure.lengths_by_country(atlas).loc[0, "length_km"] >= 0
    # a part of the atlas is cut from the whole, and equals computing it afresh
    ids = set(atlas.corridors["corridor_id"].iloc[[0, 3, 5]])
    part = atlas.subset(ids)
    fresh = measure.lengths_by_country.__wrapped__(part)
    pd.testing.assert_frame_equal(measure.lengths_by_country(part), fresh)
    geo = measure.lengths_by_country(part, geometry=True)
    assert geo.geometry.geom_equals(
        measure.lengths_by_country.__wrapped__(part, geometry=True).geometry
    ).all()


def test_a_map_computes_lengths_and_revenue_once(atlas):
    chosen = dataclasses.replace(atlas)  # a new atlas object: nothing kept for it yet
    before = measure.lengths_by_country.computed, revenue.transit_revenue.computed
    cm.folium_map(chosen)
    after = measure.lengths_by_country.computed, revenue.transit_revenue.computed
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
    cm.folium_map(chosen)  # and nothing again for the same atlas
    assert (measure.lengths_by_country.computed, revenue.transit_revenue.computed) == after
    # a call with overrides is computed afresh, never served from (or kept in) the memo
    changed = revenue.transit_revenue(
        chosen, scenario="base", overrides={"cku_railway": {"volume": 1}}
    )
    base = revenue.transit_revenue(chosen, scenario="base")
    cku = (changed["corridor_id"] == "cku_railway").to_numpy()
    assert (changed.loc[cku, "volume"] == 1).all() and not (base.loc[cku, "volume"] == 1).any()


# --------------------------------------------------------------------------- kept on disk


def test_derived_results_are_kept_on_disk_and_invalidated_by_a_changed_file(cache, data_copy):
    from corridormap.render.interactive import controls

    memoised = (measure.lengths_by_country, revenue.transit_revenue, controls.timeline)
    first = cm.load(data_copy.geo, data_copy.data)
    expected = measure.lengths_by_country(first), revenue.transit_revenue(first, scenario="base")
    years = controls.timeline(first)
    assert len(list(cache.glob("*-derived.pickle"))) == 1
    counts = [f.computed for f in memoised]

    again = cm.load(data_copy.geo, data_copy.data)  # a new object, unpickled from the cache
    assert again is not first
    pd.testing.assert_frame_equal(measure.lengths_by_country(again), expected[0])
    pd.testing.assert_frame_equal(revenue.transit_revenue(again, scenario="base"), expected[1])
    assert controls.timeline(again) == years
    # the map's selection of every corridor is served the whole atlas's answers too
    assert controls.timeline(cm.select(again)) == years
    assert [f.computed for f in memoised] == counts  # read back, not recomputed

    # one changed file: a new key, so the answers are computed again, from the new data
    data_copy.edit_cell("projects", "cku_railway", "countries", "CHN;KGZ")
    changed = cm.load(data_copy.geo, data_copy.data)
    lengths = measure.lengths_by_country(changed)
    assert measure.lengths_by_country.computed == counts[0] + 1
    uzbek = (lengths["corridor_id"] == "cku_railway") & (lengths["iso3"] == "UZB")
    before = expected[0]
    was = (before["corridor_id"] == "cku_railway") & (before["iso3"] == "UZB")
    assert before.loc[was, "listed"].all() and not lengths.loc[uzbek, "listed"].any()
    assert len(list(cache.glob("*-derived.pickle"))) == 2


def test_an_unreadable_derived_file_is_recomputed(cache, data_copy):
    first = cm.load(data_copy.geo, data_copy.data)
    expected = measure.lengths_by_country(first)
    [derived] = cache.glob("*-derived.pickle")
    derived.write_bytes(b"not a pickle")
    count = measure.lengths_by_country.computed
    again = cm.load(data_copy.geo, data_copy.data)
    pd.testing.assert_frame_equal(measure.lengths_by_country(again), expected)
    assert measure.lengths_by_country.computed == count + 1


def test_the_source_digest_hashes_every_module_from_the_package_root():
    # The digest must cover the whole package wherever the cache module sits: hashing only the
    # cache module's own folder would serve stale atlases after a module elsewhere changed.
    from importlib import resources
    from pathlib import Path

    from corridormap.atlas import _cache

    root = Path(str(resources.files("corridormap")))
    hashed = set(_cache.source_files())
    assert hashed == set(root.rglob("*.py"))
    assert {p.parent for p in hashed} > {root}  # subpackages are in it, not only the top level


def test_data_folders_are_found_from_the_package_root_not_by_counting_levels():
    from pathlib import Path

    from corridormap import io, release
    from corridormap.render import terrain as basemap

    repo = Path(__file__).resolve().parents[1]
    geo, data = io.resolve_dirs()
    assert (geo, data) == (repo / "geo", repo / "data")
    assert release.release_data_dir() == repo / "data"
    assert basemap.basemap_dir() == repo / "basemap"


def test_no_module_finds_files_by_counting_directory_levels():
    import ast
    from importlib import resources
    from pathlib import Path

    root = Path(str(resources.files("corridormap")))
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "_resources.py":  # the one place that knows the checkout's shape
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "parents":
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) in {"Path", "pathlib.Path", "os.path.dirname"}
                and any(ast.unparse(arg) == "__file__" for arg in node.args)
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def test_the_tests_never_use_the_users_cache_folder():
    import os
    import tempfile
    from pathlib import Path

    from corridormap.atlas import _cache

    folder = Path(os.environ["CORRIDORMAP_CACHE_DIR"])
    assert folder.is_relative_to(tempfile.gettempdir())
    assert _cache.cache_dir() == folder
