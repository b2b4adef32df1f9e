"""The package's imports run one way: no cycle, and no layer imports one above it (issue 15).

The graph is read from the source with :mod:`ast`, so it holds every import the code can run,
imports inside functions included; imports under ``if TYPE_CHECKING:`` are left out (they never
run). The folders are the data flow, io -> validation/ -> atlas/ -> measure/, query, join/,
network/ -> revenue -> render/ -> briefing/, export -> cli/, and the rules below keep the arrows
pointing that way, folder by folder (:data:`LAYERS`): no list of modules to keep. A last test
imports every module first, in a fresh interpreter, as a user's ``import corridormap.cli.map``
would.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

import corridormap

PACKAGE_DIR = Path(corridormap.__file__).resolve().parent
ROOT = "corridormap"

#: The layers, lowest first: a folder (or a top-level module) of the package per entry. A module
#: may import from its own layer and the layers below, never from one above. Top-level private
#: modules (``_memo``, ``_geodesy`` ...) and the shared plumbing sit in the lowest layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "settings", "vocabulary", "release", "io", "_*"),
    ("validation",),
    ("atlas",),
    ("measure", "query", "join", "network"),
    ("revenue",),
    ("render",),
    ("briefing", "export"),
    ("cli", "__main__"),
)
#: Optional extras: a module that cannot be imported for want of one of these is skipped.
EXTRAS = {"dask", "dask_geopandas", "distributed", "pyarrow"}


@dataclass(frozen=True)
class Import:
    """One intra-package import: who imports what, where, and the names it takes."""

    source: str
    target: str
    path: Path
    line: int
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path.as_posix()}:{self.line} ({self.source} -> {self.target})"


def modules(package_dir: Path, root: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of the package."""
    out = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [root, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the nodes inside ``if TYPE_CHECKING:`` bodies (not their ``else``)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def imports(package_dir: Path, root: str) -> list[Import]:
    """Every import that can run from one module of the package to another."""
    mods = modules(package_dir, root)
    found = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        shown = path.relative_to(package_dir.parent.parent)  # src/corridormap/...
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in mods:
                        found.append(Import(name, sub, shown, node.lineno, ()))
                    elif target in mods:
                        found.append(Import(name, target, shown, node.lineno, (alias.name,)))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in mods:
                        found.append(Import(name, alias.name, shown, node.lineno, ("*",)))
    return [i for i in found if i.source != i.target]


def graph(found: list[Import]) -> nx.DiGraph:
    """The import graph; each edge keeps the first import statement that makes it."""
    g = nx.DiGraph()
    for imp in found:
        if not g.has_edge(imp.source, imp.target):
            g.add_edge(imp.source, imp.target, where=imp)
    return g


def cycles(g: nx.DiGraph) -> list[list[Import]]:
    """One cycle for each group of modules that import each other, as its import statements."""
    out = []
    for group in sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1):
        edges = nx.find_cycle(g.subgraph(group), source=group[0])
        out.append([g.edges[a, b]["where"] for a, b in edges])
    return out


@pytest.fixture(scope="module")
def found() -> list[Import]:
    return imports(PACKAGE_DIR, ROOT)


def _is(module: str, *names: str) -> bool:
    """True when ``module`` is one of ``names`` (bare names, under the package) or inside one."""
    return any(module == f"{ROOT}.{n}" or module.startswith(f"{ROOT}.{n}.") for n in names)


def _top(module: str) -> str:
    """The top-level entry of ``module``: ``corridormap.render.static.draw`` -> ``render``."""
    return module.removeprefix(f"{ROOT}.").split(".")[0]


def rank(module: str) -> int | None:
    """The layer of ``module`` (an index of :data:`LAYERS`), None for an unplaced one."""
    top = _top(module)
    for i, layer in enumerate(LAYERS):
        if top in layer or ("_*" in layer and top.startswith("_") and top != "__main__"):
            return i
    return None


def _report(bad: list[Import], rule: str) -> str:
    return f"{rule}:\n" + "\n".join(f"  {imp}" for imp in bad)


# --------------------------------------------------------------------------- the graph


def test_the_walker_sees_lazy_imports_and_skips_type_checking(tmp_path: Path) -> None:
    pkg = tmp_path / "src" / "toy"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "def f():\n    from .b import g\n    return g\n",
        "b.py": "from . import a\n\ndef g():\n    return a\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n",
        "sub/__init__.py": "from ..c import TYPE_CHECKING\n",
        "sub/d.py": "from .. import c\nfrom toy.sub import d\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    (pkg / "a.py").write_text(files["a.py"] + "from . import c\n")
    found = imports(pkg, "toy")
    assert {(i.source, i.target) for i in found} == {
        ("toy.a", "toy.b"),
        ("toy.a", "toy.c"),
        ("toy.b", "toy.a"),
        ("toy.sub", "toy.c"),
        ("toy.sub.d", "toy.c"),
    }
    [cycle] = cycles(graph(found))
    assert [str(i) for i in cycle] == [
        "src/toy/a.py:2 (toy.a -> toy.b)",
        "src/toy/b.py:1 (toy.b -> toy.a)",
    ]


def test_the_import_graph_has_no_cycle(found: list[Import]) -> None:
    loops = cycles(graph(found))
    shown = "\n".join("  " + " -> ".join(str(i) for i in loop) for loop in loops)
    assert not loops, f"import cycles (a lazy import counts; move the shared piece down):\n{shown}"


# --------------------------------------------------------------------------- one-way rules


def test_every_import_points_down_or_sideways(found: list[Import]) -> None:
    bad = [i for i in found if i.target != ROOT and (rank(i.target) or 0) > (rank(i.source) or 0)]
    assert not bad, _report(bad, "a layer imports from a layer above it (see LAYERS)")


def test_nothing_outside_the_command_line_imports_it(found: list[Import]) -> None:
    bad = [i for i in found if _is(i.target, "cli") and not _is(i.source, "cli", "__main__")]
    assert not bad, _report(bad, "the library never imports its command line")


def test_render_imports_no_briefing_export_or_command_line(found: list[Import]) -> None:
    bad = [
        i for i in found if _is(i.source, "render") and _is(i.target, "briefing", "export", "cli")
    ]
    assert not bad, _report(bad, "render/ imports no briefing/, export or cli/")


def test_the_static_figure_and_the_interactive_map_share_only_render_s_own_modules(
    found: list[Import],
) -> None:
    bad = [
        i
        for i in found
        if (_is(i.source, "render.static") and _is(i.target, "render.interactive"))
        or (_is(i.source, "render.interactive") and _is(i.target, "render.static"))
    ]
    assert not bad, _report(bad, "render/static and render/interactive share through render/")


def test_measure_does_not_import_query(found: list[Import]) -> None:
    bad = [i for i in found if _is(i.source, "measure") and _is(i.target, "query")]
    assert not bad, _report(bad, "measure/ sits beside query.py; what both need lives below")


def test_computations_never_read_files(found: list[Import]) -> None:
    # measures, queries and the revenue model are pure functions of the atlas: no reader, no
    # validator below them (the atlas carries its validated tables)
    bad = [
        i
        for i in found
        if _is(i.source, "measure", "query", "revenue") and _is(i.target, "io", "validation")
    ]
    assert not bad, _report(bad, "a computation reaches back down to the files")


def test_no_module_reaches_into_another_folder_s_private_modules(found: list[Import]) -> None:
    def private_part(module: str) -> str | None:
        parts = module.split(".")
        for n, part in enumerate(parts[1:], start=1):
            if part.startswith("_") and not part.startswith("__"):
                return ".".join(parts[:n])  # the folder that owns the private module
        return None

    bad = []
    for i in found:
        owner = private_part(i.target)
        if owner and owner != ROOT and not i.source.startswith(owner + ".") and i.source != owner:
            bad.append(i)
    assert not bad, _report(bad, "a private module is used only inside its own folder")


def test_every_top_level_entry_is_in_a_layer() -> None:
    """A new top-level module or folder must be placed in LAYERS (the top level stays small)."""
    unplaced = sorted(
        {_top(m) for m in modules(PACKAGE_DIR, ROOT) if m != ROOT and rank(m) is None}
    )
    assert not unplaced, f"top-level entries in no layer of tests/test_architecture.py: {unplaced}"


def test_the_top_level_holds_at_most_twenty_modules() -> None:
    assert len(list(PACKAGE_DIR.glob("*.py"))) <= 20


def test_no_module_takes_names_from_the_package_root(found: list[Import]) -> None:
    bad = [i for i in found if i.target == ROOT and i.names]
    assert not bad, _report(
        bad, "import from the module that defines a name (_version, errors, ...), not the root"
    )


# --------------------------------------------------------------------------- importable alone

_IMPORT_EACH = textwrap.dedent(
    """
    import importlib, json, sys
    extras, names = set(sys.argv[1].split(",")), sys.argv[2:]
    failed, skipped = [], []
    for name in names:
        ours = [m for m in sys.modules if m == "corridormap" or m.startswith("corridormap.")]
        for loaded in ours:
            del sys.modules[loaded]  # each module first, as in a fresh interpreter
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] in extras:
                skipped.append(name)
            else:
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
        except Exception as exc:
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    print(json.dumps({"failed": failed, "skipped": skipped}))
    """
)


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    names = sorted(modules(PACKAGE_DIR, ROOT))  # __main__ runs the CLI only as a script
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, ",".join(sorted(EXTRAS)), *names],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PACKAGE_DIR.parent,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_DIR.parent)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert not result["failed"], "modules that fail to import first:\n" + "\n".join(
        result["failed"]
    )
