"""The README's Python examples run as written.

Every ```python block of README.md runs, in order, in one namespace, in a temporary working
folder laid out like the repository's root for what the examples read (``maps/specs/``, with
its figures at 60 dpi instead of 300: the same code, seconds less drawing), plus the one file a
reader brings: ``events.csv``, points with ``lon``/``lat`` for ``join_points``.
Whatever the examples write lands in that folder. A block preceded by the comment
``<!-- readme-test: skip -->`` is left out (for an example that needs a browser or the
network; none does today).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIP = "<!-- readme-test: skip -->"
BLOCK = re.compile(r"^(?P<before>.*?)^```python\n(?P<code>.*?)^```$", re.M | re.S)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(line number, code)`` of each ```python block not marked to skip."""
    blocks = []
    for match in BLOCK.finditer(text):
        preamble = match.group("before").rstrip().splitlines()
        line = text.count("\n", 0, match.start("code")) + 1
        if not (preamble and preamble[-1].strip() == SKIP):
            blocks.append((line, match.group("code")))
    return blocks


def test_blocks_are_found_and_the_skip_marker_works() -> None:
    text = "a\n```python\nx = 1\n```\n\n" + SKIP + "\n```python\nraise SystemExit\n```\n"
    assert python_blocks(text) == [(3, "x = 1\n")]


def test_readme_python_examples_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "maps" / "specs", tmp_path / "maps" / "specs")
    for spec in (tmp_path / "maps" / "specs").glob("*.toml"):  # the same code, drawn faster
        text = spec.read_text(encoding="utf-8").replace("dpi = 300", "dpi = 60")
        spec.write_text(text, encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "event,lon,lat\nOsh market,72.80,40.53\nNaryn,75.99,41.43\nKashgar,75.98,39.47\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2  # the quick start and the routes
    namespace: dict[str, object] = {"__name__": "readme"}
    for line, code in blocks:
        try:
            exec(compile(code, f"README.md, block at line {line}", "exec"), namespace)
        except Exception as exc:  # name the block that failed
            pytest.fail(f"README.md block at line {line} fails: {type(exc).__name__}: {exc}")
    assert (tmp_path / "out" / "cku" / "index.html").is_file()  # the brief was written here
