from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import corridormap

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
DATA = ROOT / "data"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


_CACHE_DIR: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Give the run its own atlas cache, so tests never read or write the user's ``~/.cache``.

    Set before any test loads an atlas; subprocesses (the CLI tests) inherit it. Each xdist
    worker is its own session with its own folder.
    """
    global _CACHE_DIR
    _CACHE_DIR = Path(tempfile.mkdtemp(prefix="corridormap-test-cache-"))
    os.environ["CORRIDORMAP_CACHE_DIR"] = str(_CACHE_DIR)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_DIR is not None:
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep what the imports made out of the cyclic garbage collector's way.

    The libraries imported by collection (pandas, geopandas, matplotlib, folium, pandera) leave
    hundreds of thousands of long-lived objects that every full collection walks again; frozen,
    and with collections ten times rarer, the collector's share of the run falls from about 10 %
    to about 2 % (measured on test_validate, test_map, test_static and test_bad_inputs). The
    cost: an object made before this point that later becomes cyclic garbage is never freed.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


@pytest.fixture(scope="session")
def atlas() -> corridormap.Atlas:
    return corridormap.load(GEO, DATA)


@pytest.fixture(scope="session")
def built_map(atlas, tmp_path_factory) -> Path:
    """The default map of the real atlas, built once per run.

    ``corridors.html``, with its ``corridors.embed.html`` snippet beside it. Read it; copy it
    before changing anything.
    """
    path = tmp_path_factory.mktemp("built-map") / "corridors.html"
    corridormap.save_map(corridormap.folium_map(atlas), path, embed=True)
    return path


class DataCopy:
    """A writable copy of the real geo/ and data/ in a temporary folder."""

    def __init__(self, root: Path):
        self.geo = root / "geo"
        self.data = root / "data"
        shutil.copytree(GEO, self.geo)
        shutil.copytree(DATA, self.data)

    def layer(self, name: str) -> dict:
        return json.loads((self.geo / f"{name}.geojson").read_text(encoding="utf-8"))

    def write_layer(self, name: str, doc: dict) -> None:
        (self.geo / f"{name}.geojson").write_text(json.dumps(doc), encoding="utf-8")

    def table(self, name: str) -> str:
        return (self.data / f"{name}.csv").read_text(encoding="utf-8")

    def write_table(self, name: str, text: str) -> None:
        (self.data / f"{name}.csv").write_text(text, encoding="utf-8")

    def edit_cell(self, name: str, row_id: str, column: str, value: str) -> None:
        import pandas as pd

        frame = pd.read_csv(self.data / f"{name}.csv", dtype=str, keep_default_na=False)
        id_column = frame.columns[0]
        assert (frame[id_column] == row_id).sum() >= 1, row_id
        frame.loc[frame[id_column] == row_id, column] = value
        frame.to_csv(self.data / f"{name}.csv", index=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    return DataCopy(tmp_path)


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test opens its own context in it).

    Skips when Chromium or Playwright is missing, or fails under CORRIDORMAP_REQUIRE_BROWSER=1.
    """
    reason = _browser_missing()
    if reason:
        if os.environ.get("CORRIDORMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
