"""The corpus of broken inputs (tests/data/bad/, issue 7) through the real command line.

Every case gets the exit code its manifest names, one ``error:`` (or ``warning:``) line holding
the expected strings, no traceback, no line that is not a one-line message, and no output file
created or changed. The corpus is written by ``scripts/make_bad_corpus.py``; the two cases too
large to commit are built here, once per module, when a selected case needs them.

Which cases the default run takes (the rest are marked ``slow``; ``pytest -m slow`` runs them
and CI runs both, so every case runs in CI). In manifest order, a case runs by default when it
is the first of

- its input: the same command, the same file broken (or the spec or points file), the same
  outcome and the same ``out_exists`` -- so every file every command reads, every outcome and
  every "the old output is kept" case runs; or
- its check: the same command and the same family of problem (:data:`CHECKS`: syntax,
  encoding, structure, size, geometry, duplicate id, reference to another file; any other error
  is a bad value; an accepted case is its own family).

The slow pass adds the same family of problem again in another file or place (the third Latin-1
file, the fifth unknown source id). ``test_default_cases_cover_every_input_and_check`` holds
the default subset to this rule.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridormap.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
CASES = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))["cases"]
#: Lines the commands may print to stderr besides ``error:`` and ``warning:`` lines.
SUMMARY_PREFIXES = ("valid: ", "Transit revenue — ESTIMATES", "note: ")
#: The output each writing command is given, inside the case's ``out/`` folder.
OUT_NAMES = {
    "brief": "pack",
    "join-points": "joined.csv",
    "map": "map.html",
    "export": "atlas.gpkg",
    "diff": "map.html",
}

runner = CliRunner()

#: Families of problem, each with the words in a case id (after its file's prefix) that name it;
#: the first family with a matching word wins. An error matching none is a bad value.
CHECKS: dict[str, tuple[str, ...]] = {
    "encoding": ("latin1",),
    "syntax": (
        "invalid_json",
        "invalid_toml",
        "truncated",
        "ragged",
        "semicolons",
        "deep_nesting",
        "not_feature_collection",
        "empty_file",
        "whitespace_only",
        "header_only",
    ),
    "structure": (
        "missing_column",
        "missing_key",
        "unknown_key",
        "unknown_table_key",
        "missing_lonlat",
    ),
    "size": ("huge_file", "huge_string", "long_string"),
    "geometry": (
        "geometry",
        "self_intersecting",
        "point_line",
        "crs_declared",
        "projected",
        "lonlat",
        "out_of_range",
        "outside_region",
        "coordinate",
        "empty_part",
        "broken_layer",
    ),
    "duplicate": ("duplicate", "second_row", "in_two_layers"),
    "reference": (
        "unknown_source",
        "place_source",
        "unknown_corridor",
        "unknown_country",
        "unknown_segment",
        "orphan",
        "other_corridor",
        "not_crossed",
        "exchange_rate",
        "selection",
        "no_land",
    ),
}


def _problem(case: dict) -> str:
    """The problem a case's id names, without its file's prefix: ``latin1``, ``unknown_source``."""
    if case["replaces"]:
        stem = Path(case["replaces"]).stem
    else:
        stem = {"brief": "spec", "join-points": "points"}[case["command"]]
    for prefix in (f"validate_{stem}_", f"{stem}_", "geo_", "map_"):
        if case["id"].startswith(prefix):
            return case["id"][len(prefix) :]
    return case["id"]


def _check(case: dict) -> str:
    """The family of problem of a case (see :data:`CHECKS`; a bad --out is ``output``)."""
    if case["outcome"] != "error":
        return "accepted"
    if case.get("out"):
        return "output"
    problem = _problem(case)
    return next((f for f, words in CHECKS.items() if any(w in problem for w in words)), "value")


def _input(case: dict) -> tuple:
    return (case["command"], case["replaces"], case["outcome"], case.get("out_exists"))


def _default_cases(cases: list[dict]) -> set[str]:
    """Ids of the cases the default run takes: the first of each input and of each check."""
    seen: set[tuple] = set()
    chosen = set()
    for case in cases:
        keys = {("input", *_input(case)), ("check", case["command"], _check(case))}
        if keys - seen:
            chosen.add(case["id"])
        seen |= keys
    return chosen


DEFAULT = _default_cases(CASES)


@functools.cache
def _generator():
    """scripts/make_bad_corpus.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_bad_corpus", ROOT / "scripts" / "make_bad_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Callable[[dict], Path]:
    """The file of a case built at test time (the 50 MB layer among them), built once per module.

    Built on first use, so a run that deselects the case does not write the 50 MB file.
    """
    folder = tmp_path_factory.mktemp("generated")

    @functools.cache
    def build(case_id: str, name: str) -> Path:
        path = folder / case_id / name
        path.parent.mkdir()
        _generator().build(case_id, path)
        return path

    return lambda case: build(case["id"], Path(case["replaces"]).name)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One copy of the real geo/ and data/, copied again per case (cheaper than from the repo)."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(ROOT / "geo", root / "geo")
    shutil.copytree(ROOT / "data", root / "data")
    return root


def _snapshot(*paths: Path) -> dict[str, str]:
    """Every file in ``paths`` (hidden temporaries too) with its SHA-256; symlinks by target."""
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")))]
    return {
        str(f): str(f.resolve()) if f.is_symlink() else hashlib.sha256(f.read_bytes()).hexdigest()
        for f in files
        if f.is_file()
    }


def _previous_output(command: str, out: Path) -> None:
    """What a successful earlier run left at ``out``."""
    if command == "brief":
        out.mkdir()
        (out / "spec.lock.json").write_text('{"previous": true}\n', encoding="utf-8")
        (out / "map.html").write_text("<p>previous pack</p>\n", encoding="utf-8")
    else:
        out.write_text("previous output\n", encoding="utf-8")


def _args(case: dict, tmp_path: Path, source: Path | None, out: Path) -> list[str]:
    command = case["command"]
    if command == "brief":
        return ["brief", str(source), "--out", str(out)]
    if command == "join-points":
        return ["join-points", str(source), "--out", str(out)]
    # a path case reads the shipped atlas; a data case its copy with the broken file
    dirs = ["--geo-dir", str(tmp_path / "geo"), "--data-dir", str(tmp_path / "data")]
    dirs = dirs if case["replaces"] else []
    if command in {"map", "export"}:
        return [command, *dirs, "--out", str(out)]
    if command == "diff":
        shipped = [str(ROOT), str(ROOT)]
        return ["diff", *shipped, "--map", str(out)]
    return [command, *dirs]


def _bad_out(kind: str, out: Path) -> Path:
    """Make ``out`` the path problem a case names; the path to give as --out."""
    if kind == "folder":  # an existing folder where a file goes
        out.mkdir()
        (out / "keep.txt").write_text("a file of the user's\n", encoding="utf-8")
        return out
    if kind == "file":  # an existing file where a folder goes
        out.write_text("a file of the user's\n", encoding="utf-8")
        return out
    if kind == "under_file":  # its folder cannot be made: a file is in the way
        blocker = out.parent / "blocker"
        blocker.write_text("a file of the user's\n", encoding="utf-8")
        return blocker / out.name
    if kind == "unwritable":  # nobody may write here (root neither): a read-only share
        return Path("/sys/corridormap-test") / out.name
    raise KeyError(kind)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c["id"], marks=() if c["id"] in DEFAULT else pytest.mark.slow)
        for c in CASES
    ],
)
def test_bad_input(case, tmp_path, pristine, generated, monkeypatch):
    # Messages show paths relative to the working folder: geo/railways.geojson, in/spec.toml.
    monkeypatch.chdir(tmp_path)
    source = (
        generated(case) if case.get("generated") else BAD / case["file"] if case["file"] else None
    )
    if not case["replaces"] and source is not None:  # the spec or the points, a neutral name
        (tmp_path / "in").mkdir()
        source = Path(shutil.copyfile(source, tmp_path / "in" / Path(case["file"]).name))
    elif case["replaces"]:
        shutil.copytree(pristine / "geo", tmp_path / "geo")
        shutil.copytree(pristine / "data", tmp_path / "data")
        target = tmp_path / case["replaces"]
        if case.get("generated"):
            target.unlink()
            target.symlink_to(source)  # the 50 MB layer is not copied per run
        else:
            shutil.copyfile(source, target)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / OUT_NAMES.get(case["command"], "unused")
    if case.get("out_exists"):
        _previous_output(case["command"], out)
    if case.get("out"):
        out = _bad_out(case["out"], out)
    inputs = ([source] if source else []) + (
        [tmp_path / "geo", tmp_path / "data"] if case["replaces"] else []
    )
    before_out, before_in = _snapshot(out_dir), _snapshot(*inputs)

    result = runner.invoke(app, _args(case, tmp_path, source, out))

    shown = f"exit {result.exit_code}\n{result.output}"
    print(shown)  # pytest -rP shows what each case printed
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed: {result.exception!r}\n{shown}"
    )
    assert "Traceback" not in result.output
    assert result.exit_code == case["exit_code"], shown
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    warnings = [line for line in lines if line.startswith("warning: ")]
    others = [
        line
        for line in lines
        if line not in errors and line not in warnings and not line.startswith(SUMMARY_PREFIXES)
    ]
    # anything else is a message that ran over onto a second line, or a stray print
    assert others in ([], [f"{len(errors)} problem(s) found."]), shown
    if case["outcome"] == "error":
        assert errors, shown
        assert result.stdout == "", "a failed run printed results"
    else:
        assert not errors, shown
    if case["outcome"] == "ok":
        assert not warnings, shown
    pool = errors if case["outcome"] == "error" else warnings
    if case["expect"]:
        assert any(all(s in line for s in case["expect"]) for line in pool), (
            f"no {case['outcome']} line holds all of {case['expect']}\n{shown}"
        )
    if case["outcome"] != "error" and case["command"] in OUT_NAMES:
        # an accepted input is written, and nothing but the output is left beside it
        assert out.is_file() and sorted(p.name for p in out_dir.iterdir()) == [out.name]
    else:
        assert _snapshot(out_dir) == before_out, "the output (or a temporary beside it) changed"
    assert _snapshot(*inputs) == before_in, "an input changed"


def test_corpus_is_current():
    """The committed corpus is what the generator writes from today's geo/, data/ and specs."""
    make = _generator()
    stale = [
        name
        for name, data in make.render().items()
        if not (BAD / name).is_file() or (BAD / name).read_bytes() != data
    ]
    assert not stale, (
        f"tests/data/bad is out of date; run python scripts/make_bad_corpus.py ({stale[:5]})"
    )


def test_corpus_covers_every_file_the_tool_reads():
    read = {c["replaces"] for c in CASES if c["replaces"]} | {c["command"] for c in CASES}
    for name in ("railways", "pipelines", "highways", "places", "countries"):
        assert f"geo/{name}.geojson" in read
    for name in (
        "projects",
        "segments",
        "status_history",
        "sources",
        "indicators",
        "tariffs",
        "fx",
        "length_claims",
    ):
        assert f"data/{name}.csv" in read
    assert "data/release.toml" in read
    validated = {c["replaces"] for c in CASES if c["command"] == "validate"}
    assert {"data/tariffs.csv", "data/fx.csv"} <= validated  # validate checks every table
    assert {"brief", "join-points", "map", "revenue", "validate", "export", "diff"} <= read
    assert len(CASES) >= 40
    # every command that writes is given each path problem that fits it
    problems = {(c["command"], c.get("out")) for c in CASES if c.get("out")}
    for command in ("map", "export", "join-points", "diff", "brief"):
        assert (command, "unwritable") in problems
        assert (command, "file" if command == "brief" else "folder") in problems


def test_default_cases_cover_every_input_and_check():
    """The default subset holds a case of every input, outcome and check, and leaves most out."""
    chosen = [c for c in CASES if c["id"] in DEFAULT]
    assert {_input(c) for c in chosen} == {_input(c) for c in CASES}
    assert {(c["command"], _check(c)) for c in chosen} == {(c["command"], _check(c)) for c in CASES}
    assert {c["command"] for c in chosen} == {
        "brief", "join-points", "map", "revenue", "validate", "export", "diff"
    }  # fmt: skip
    assert {_check(c) for c in chosen} == {*CHECKS, "value", "accepted", "output"}
    # the first case of each input or check is taken, and only those
    assert [c["id"] for c in chosen] == [
        c["id"]
        for i, c in enumerate(CASES)
        if all(_input(p) != _input(c) for p in CASES[:i])
        or all((p["command"], _check(p)) != (c["command"], _check(c)) for p in CASES[:i])
    ]
    assert len(chosen) <= len(CASES) / 2


def test_markup_accepted_in_text_is_escaped_in_the_html_outputs(tmp_path, pristine, monkeypatch):
    """The two ``*_html_in_text`` cases are valid data; every page shows the markup as text."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(pristine / "geo", "geo")
    shutil.copytree(pristine / "data", "data")
    for case in ("geo_html_in_text", "projects_html_in_text"):
        entry = next(c for c in CASES if c["id"] == case)
        shutil.copyfile(BAD / entry["file"], entry["replaces"])
    Path("spec.toml").write_text(
        'title = "<script>alert(3)</script> CKU"\noutputs = ["html"]\n'
        '[select]\ncorridor = ["cku_railway", "titr_kz_rail"]\n',
        encoding="utf-8",
    )
    dirs = ["--geo-dir", "geo", "--data-dir", "data"]
    for args in (["brief", "spec.toml", "--out", "pack"], ["map", "--out", "map.html"]):
        result = runner.invoke(app, [*args, *dirs])
        assert result.exit_code == 0, result.output
    pages = [Path("map.html"), *sorted(Path("pack").glob("*.html"))]
    assert len(pages) == 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "alert(" in text, page  # the text is there ...
        for raw in ("<script>alert", "<b onmouseover"):
            assert raw not in text, f"{page}: {raw!r} is not escaped"  # ... but never as markup
