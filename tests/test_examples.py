"""Every public function carries a short Examples block, and every example runs as written.

The examples are doctests: each one is run here against the real data in geo/ and data/, in a
temporary working folder (so examples that write files leave nothing behind).
"""

from __future__ import annotations

import doctest
import inspect
import os
from pathlib import Path

import pytest

import corridormap

PUBLIC_FUNCTIONS = sorted(
    name for name in corridormap.__all__ if inspect.isfunction(getattr(corridormap, name))
)

#: Public functions still without an Examples block. Empty it as examples are written; the test
#: below fails when a name here has gained one (so the list cannot go stale).
WITHOUT_EXAMPLES: set[str] = set()


def _examples(name: str) -> list[doctest.DocTest]:
    function = getattr(corridormap, name)
    finder = doctest.DocTestFinder(recurse=False)
    # As pytest's --doctest-modules does: the names of the function's own module are in scope.
    tests = finder.find(function, name, module=inspect.getmodule(function))
    return [t for t in tests if t.examples]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_public_function_has_an_examples_block(name: str) -> None:
    doc = inspect.getdoc(getattr(corridormap, name)) or ""
    has = "Examples\n--------" in doc and bool(_examples(name))
    if name in WITHOUT_EXAMPLES:
        assert not has, f"{name} has examples now: remove it from WITHOUT_EXAMPLES"
    else:
        assert has, f"{name}'s docstring has no 'Examples' section with a >>> example"


@pytest.mark.parametrize("name", [n for n in PUBLIC_FUNCTIONS if n not in WITHOUT_EXAMPLES])
def test_examples_run_as_written(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in _examples(name):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    skipped = getattr(result, "skipped", 0)  # Python 3.13+ counts +SKIP examples apart
    assert result.attempted - skipped > 0, f"{name}: every example is skipped; run one"
    assert result.failed == 0, "".join(report)
    assert os.getcwd() == str(tmp_path)


ATLAS_METHODS = sorted(
    name
    for name, member in vars(corridormap.Atlas).items()
    if inspect.isfunction(member) and not name.startswith("_")
)


@pytest.mark.parametrize("name", ATLAS_METHODS)
def test_atlas_method_examples_run_as_written(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Atlas methods need no Examples block, but the ones they have must be true."""
    method = getattr(corridormap.Atlas, name)
    finder = doctest.DocTestFinder(recurse=False)
    tests = [t for t in finder.find(method, name, module=inspect.getmodule(method)) if t.examples]
    if not tests:
        pytest.skip(f"Atlas.{name} has no examples")
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    assert runner.summarize(verbose=False).failed == 0, "".join(report)
