"""The package's imports run one way: no cycle, and no layer imports one above it (issue 15).

The graph is read from the source with :mod:`ast`, so it holds every import the code can run,
imports inside functions included; imports under ``if TYPE_CHECKING:`` are left out (they never
run). The data flows load/io -> schema/validate/checks -> atlas -> measure/query -> join/routes
-> revenue -> render -> brief/export -> cli, and the rules below keep the arrows pointing that
way. A last test imports every module first, in a fresh interpreter, as a user's
``import corridormap.cli_map`` would.
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

#: Modules below the outputs: none of them may import render/, brief* or export. The private
#: plumbing modules at the top (``_cache.py``, ``_version.py``, ...) count as lower too.
LOWER = (
    "atlas", "checks", "diff", "errors", "history", "io", "join", "measure", "network",
    "network_checks", "network_hubs", "problems", "query", "release", "revenue", "revenue_schema",
    "routes", "routes_compare", "schema", "settings", "validate", "vocabulary",
)  # fmt: skip
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


def _lower(module: str) -> bool:
    """True for a module of :data:`LOWER`, or a private top-level one (``corridormap._memo``)."""
    tail = module.removeprefix(f"{ROOT}.")
    private = tail.startswith("_") and "." not in tail and tail != "__main__"
    return private or _is(module, *LOWER)


def _family(module: str, prefix: str) -> bool:
    """True for ``corridormap.<prefix>`` and ``corridormap.<prefix>_*`` (``brief_page``)."""
    tail = module.removeprefix(f"{ROOT}.")
    return tail == prefix or tail.startswith(f"{prefix}_")


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


def test_only_the_command_line_imports_the_command_line(found: list[Import]) -> None:
    bad = [
        i
        for i in found
        if _family(i.target, "cli") and not (_family(i.source, "cli") or _is(i.source, "__main__"))
    ]
    assert not bad, _report(bad, "the library never imports its command line")


def test_the_lower_layers_import_no_output(found: list[Import]) -> None:
    bad = [
        i
        for i in found
        if _lower(i.source) and (_is(i.target, "render", "export") or _family(i.target, "brief"))
    ]
    assert not bad, _report(bad, "the layers below the outputs import no render/, brief* or export")


def test_render_imports_no_brief_export_or_command_line(found: list[Import]) -> None:
    bad = [
        i
        for i in found
        if _is(i.source, "render")
        and (_is(i.target, "export") or _family(i.target, "brief") or _family(i.target, "cli"))
    ]
    assert not bad, _report(bad, "render/ imports no brief*, export or cli*")


def test_no_module_takes_names_from_the_package_root(found: list[Import]) -> None:
    bad = [i for i in found if i.target == ROOT and i.names]
    assert not bad, _report(
        bad, "import from the module that defines a name (_version, errors, ...), not the root"
    )


def test_every_module_is_listed_in_a_layer() -> None:
    """A new module must be placed: in LOWER, or under render/, or an output or the CLI."""
    outputs = ("render", "export", "__main__", "cli")
    unplaced = [
        m
        for m in modules(PACKAGE_DIR, ROOT)
        if m != ROOT
        and not _lower(m)
        and not _is(m, *outputs)
        and not any(_family(m, f) for f in ("brief", "cli"))
    ]
    assert not unplaced, f"modules in no layer of tests/test_architecture.py: {unplaced}"


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
