"""The cold map on two cores: validation in a forked child, the same map and the same errors.

Each command runs in a fresh interpreter (a test process may have other threads, where
:mod:`corridormap.atlas._overlap` does not fork), cold on an empty atlas cache, once forking and
once
with ``CORRIDORMAP_PARALLEL=0``.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from corridormap.atlas import _overlap

ROOT = Path(__file__).resolve().parents[1]

#: The command line in a fresh interpreter; then what this process computed and imported.
PROBE = textwrap.dedent(
    """
    import sys
    from corridormap.cli.app import main
    sys.argv = {argv!r}
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    from corridormap import revenue
    from corridormap.measure import lengths as measure
    print("COMPUTED", measure.lengths_by_country.computed, revenue.transit_revenue.computed,
          file=sys.stderr)
    print("PANDERA", "pandera" in sys.modules, file=sys.stderr)
    sys.exit(code)
    """
)


def run(argv: list[str], cache: Path, *, parallel: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "CORRIDORMAP_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    env.pop("CORRIDORMAP_NO_CACHE", None)
    env["CORRIDORMAP_PARALLEL"] = "1" if parallel else "0"
    code = PROBE.format(argv=["corridormap", *argv])
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def probe(done: subprocess.CompletedProcess, name: str) -> list[str]:
    [line] = [line for line in done.stderr.splitlines() if line.startswith(name + " ")]
    return line.split()[1:]


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path, Path]]:
    """The default map, cold, forking and serial: (run, map file, cache folder) each."""
    out = {}
    for name, parallel in (("forked", True), ("serial", False)):
        work = tmp_path_factory.mktemp(name)
        path, cache = work / "corridors.html", work / "cache"
        out[name] = (run(["map", "--out", str(path)], cache, parallel=parallel), path, cache)
    return out


def test_forked_cold_map_is_the_serial_map(maps):
    for done, _, _ in maps.values():
        assert done.returncode == 0, done.stderr
    assert maps["forked"][1].read_bytes() == maps["serial"][1].read_bytes()


def test_the_child_validated_and_estimated(maps):
    # Forking, this process imported no schemas and computed no lengths or revenue: the child
    # did, and its answers were used. Serial, this process did all of it.
    forked, serial = maps["forked"][0], maps["serial"][0]
    assert probe(forked, "PANDERA") == ["False"] and probe(serial, "PANDERA") == ["True"]
    assert probe(forked, "COMPUTED") == ["0", "0"] and probe(serial, "COMPUTED") == ["1", "1"]


def test_the_childs_answers_are_cached_for_the_next_run(maps, tmp_path):
    # The cache the forked run filled holds the atlas and the child's answers, and a warm run
    # on it computes nothing and writes the same map.
    _, path, cache = maps["forked"]
    [derived] = cache.glob("*-derived.pickle")
    names = set(pickle.loads(derived.read_bytes()))
    assert "corridormap.measure.lengths.lengths_by_country" in names
    assert "corridormap.revenue.transit_revenue" in names
    warm = run(["map", "--out", str(tmp_path / "warm.html")], cache, parallel=True)
    assert warm.returncode == 0, warm.stderr
    assert probe(warm, "COMPUTED") == ["0", "0"]
    assert (tmp_path / "warm.html").read_bytes() == path.read_bytes()


def test_bad_data_fails_the_same_way_and_writes_nothing(data_copy, tmp_path):
    data_copy.edit_cell("projects", "cku_railway", "mode", "canal")
    runs = {}
    for parallel in (True, False):
        out = tmp_path / f"map-{parallel}.html"
        argv = ["map", "--geo-dir", str(data_copy.geo), "--data-dir", str(data_copy.data)]
        done = run([*argv, "--out", str(out)], tmp_path / f"cache-{parallel}", parallel=parallel)
        assert done.returncode == 1 and not out.exists()
        assert "Traceback" not in done.stderr
        runs[parallel] = [line for line in done.stderr.splitlines() if "canal" in line]
    assert runs[True] and runs[True] == runs[False]


# --------------------------------------------------------------------------- the mechanism

#: Calls ``overlapped`` in a fresh interpreter (one thread, so it forks) and prints the outcome.
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from corridormap.atlas import _overlap
    from corridormap.errors import DataError
    parent = os.getpid()
    case = sys.argv[1]

    def build():
        here = os.getpid() == parent
        if case == "killed" and not here:
            os.kill(os.getpid(), signal.SIGKILL)
        if case == "raises":
            raise ValueError("built " + ("here" if here else "in the child"))
        if case == "data":
            raise DataError(["a.csv: row 1: bad", "b.csv: row 2: worse"])
        return {"built": "here" if here else "in the child", "pid": os.getpid()}

    def meanwhile():
        if case == "meanwhile":
            raise KeyError("meanwhile")

    def then(value):
        if case == "then-fails":
            raise RuntimeError("then")
        return value["pid"] * 2

    try:
        value, later = _overlap.overlapped(build, meanwhile, then)
    except (ValueError, KeyError) as exc:
        print(type(exc).__name__, exc, sep=": ")
    else:
        print(value["built"], later.get() == value["pid"] * 2, later.get())
    try:
        os.waitpid(-1, os.WNOHANG)  # a child still running, or exited and not reaped
        print("a child is left")
    except ChildProcessError:
        print("no child left")
    """
)


def overlap(case: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("CORRIDORMAP_PARALLEL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, case], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_value_and_the_second_answer_come_from_the_child():
    # the second answer is collected once; asked again, there is none
    assert overlap("ok") == ["in the child True None", "no child left"]


def test_a_child_that_dies_is_replaced_by_a_build_here():
    assert overlap("killed") == ["here False None", "no child left"]


def test_an_unexpected_error_is_raised_by_the_parents_own_build():
    assert overlap("raises") == ["ValueError: built here", "no child left"]


def test_a_data_error_comes_back_whole():
    assert overlap("data") == [
        "DataError: 2 problems in the atlas data:",
        "a.csv: row 1: bad",
        "b.csv: row 2: worse",
        "no child left",
    ]


def test_a_failing_meanwhile_stops_the_child():
    assert overlap("meanwhile") == ["KeyError: 'meanwhile'", "no child left"]


def test_a_failing_second_job_gives_no_answer():
    assert overlap("then-fails") == ["in the child False None", "no child left"]


def test_no_fork_with_another_thread_or_when_turned_off(monkeypatch):
    monkeypatch.delenv("CORRIDORMAP_PARALLEL", raising=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not _overlap.enabled()
        value, later = _overlap.overlapped(lambda: os.getpid(), lambda: None, lambda v: v)
        assert value == os.getpid() and later.get() is None  # built here, serially
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv("CORRIDORMAP_PARALLEL", "0")
    assert not _overlap.enabled()
