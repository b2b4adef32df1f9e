"""The point join: known distances, brute force, inputs, and dask against pandas row for row."""

from __future__ import annotations

import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer
from typer.testing import CliRunner

from corridormap import (
    InputError,
    OutputError,
    OutsideRegionWarning,
    SchedulerError,
    SelectionError,
    join_points,
    settings,
)
from corridormap.cli.app import app
from corridormap.errors import MissingDependencyError
from corridormap.join import REGION_CRS
from corridormap.join.points import written_counts

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

from corridormap.join import _dask  # noqa: E402

runner = CliRunner()
GEOD = Geod(ellps="WGS84")


def random_points(n: int, seed: int = 4) -> pd.DataFrame:
    """Points spread over the region (lon 50–90, lat 35–50) with an extra column."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "lon": rng.uniform(50, 90, n),
            "lat": rng.uniform(35, 50, n),
            "weight": rng.integers(0, 100, n),
        }
    )


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    frame = random_points(3000)
    frame.index = pd.Index(np.arange(len(frame))[::-1] * 7 + 11, name="event")
    return frame


@pytest.fixture(scope="module")
def scheduler():
    """A small in-process cluster shared by the module's dask tests."""
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=":0",
        memory_limit="2GiB",
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def toy(atlas):
    """The atlas with three hand-drawn corridors whose distances are known."""
    corridors = gpd.GeoDataFrame(
        {"corridor_id": ["east_west", "bend", "meridian"]},
        geometry=[
            shapely.LineString([(55, 40), (65, 40), (70, 43)]),
            shapely.LineString([(75, 38), (80, 45), (88, 47)]),
            shapely.LineString([(60, 46), (60, 49)]),
        ],
        crs="EPSG:4326",
    )
    return replace(atlas, corridors=corridors)


def write_parts(frame: pd.DataFrame, folder: Path, parts: int) -> Path:
    """Partitioned Parquet as a pipeline would leave it: ``part.0.parquet`` … with the index."""
    folder.mkdir()
    bounds = np.linspace(0, len(frame), parts + 1).astype(int)
    for number, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        frame.iloc[start:stop].to_parquet(folder / f"part.{number}.parquet")
    return folder


def assert_same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same index, order, columns and ids; distances equal within 1e-9 km."""
    assert list(got.index) == list(want.index)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_series_equal(got["corridor_id"], want["corridor_id"])
    np.testing.assert_allclose(got["distance_km"], want["distance_km"], rtol=0, atol=1e-9)
    plain = [c for c in want.columns if c not in {"corridor_id", "distance_km", "geometry"}]
    pd.testing.assert_frame_equal(pd.DataFrame(got[plain]), pd.DataFrame(want[plain]))
    assert got.geometry.geom_equals_exact(want.geometry, tolerance=0).all()


# --------------------------------------------------------------------------- in memory


def test_known_distances(toy):
    east = GEOD.fwd(60.0, 47.5, 90.0, 50_000.0)
    frame = pd.DataFrame(
        {"lon": [65.0, east[0], 60.0], "lat": [40.0, east[1], 52.0]}, index=["vertex", "e50", "n"]
    )
    joined = join_points(toy, frame)
    assert joined.at["vertex", "corridor_id"] == "east_west"
    assert joined.at["vertex", "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert joined.at["e50", "corridor_id"] == "meridian"
    assert joined.at["e50", "distance_km"] == pytest.approx(50.0, rel=1e-4)
    # Beyond the end of the meridian stretch: the distance to its end point, 49°N.
    _, _, to_end = GEOD.inv(60.0, 52.0, 60.0, 49.0)
    assert joined.at["n", "distance_km"] == pytest.approx(to_end / 1000, rel=1e-6)


def densified_vertices(corridors: gpd.GeoDataFrame) -> tuple[np.ndarray, ...]:
    """Every corridor cut into ~1 km steps, as lon, lat and corridor id per vertex.

    The lines are densified in the package's region projection, where a segment between two
    vertices is straight (the convention of ``nearest_corridor``).
    """
    metric = corridors.geometry.to_crs(REGION_CRS)
    dense = gpd.GeoSeries(shapely.segmentize(metric.to_numpy(), 1000), crs=REGION_CRS)
    coords, owner = shapely.get_coordinates(dense.to_crs(4326).to_numpy(), return_index=True)
    return coords[:, 0], coords[:, 1], corridors["corridor_id"].to_numpy()[owner]


def brute_force_km(lon: float, lat: float, vertices: tuple[np.ndarray, ...]) -> pd.Series:
    """Geodesic km from a point to the nearest vertex of each corridor."""
    vx, vy, owner = vertices
    _, _, metres = GEOD.inv(np.full(len(vx), lon), np.full(len(vx), lat), vx, vy)
    return pd.Series(metres / 1000).groupby(owner).min()


def test_distances_match_a_brute_force_check(atlas):
    sample = random_points(60, seed=11)
    joined = join_points(atlas, sample)
    vertices = densified_vertices(atlas.corridors)
    for row in joined.itertuples():
        brute = brute_force_km(row.lon, row.lat, vertices)
        assert row.distance_km == pytest.approx(brute.min(), rel=0.01, abs=0.5), row
        # The corridor found is the nearest one (or within 1% of it: a tie).
        assert brute[row.corridor_id] == pytest.approx(brute.min(), rel=0.01, abs=0.5), row


def test_index_and_order_are_kept(points, atlas):
    joined = join_points(atlas, points)
    assert joined.index.equals(points.index)
    plain = join_points(atlas, points.reset_index(drop=True))
    np.testing.assert_array_equal(joined["distance_km"], plain["distance_km"])
    assert (joined["weight"] == points["weight"]).all()


def test_km_filter_blanks_far_points(points, atlas):
    every = join_points(atlas, points)
    near = join_points(atlas, points, km=50)
    far = every["distance_km"] > 50
    assert 0 < far.sum() < len(points)
    assert near.loc[far, "corridor_id"].isna().all()
    assert near.loc[far, "distance_km"].isna().all()
    pd.testing.assert_frame_equal(near[~far], every[~far])


def test_csv_and_parquet_inputs_give_the_same_join(tmp_path, points, atlas):
    points.to_csv(tmp_path / "p.csv")
    points.to_parquet(tmp_path / "p.parquet")
    from_frame = join_points(atlas, points)
    from_parquet = join_points(atlas, tmp_path / "p.parquet")
    assert_same_rows(from_parquet, from_frame)
    from_csv = join_points(atlas, tmp_path / "p.csv")
    np.testing.assert_allclose(from_csv["distance_km"], from_frame["distance_km"], atol=1e-9)


@pytest.mark.parametrize("engine", ["pandas", "dask"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("x_coord,y_coord\n70,40\n", "needs lon and lat columns"),
        ("lon,lat\n70,40\n200,40\n", "is not a valid coordinate"),
        ("lon,lat\n70,40\nseventy,40\n", "not a valid coordinate"),
    ],
    ids=["no-lon-lat", "out-of-range", "not-a-number"],
)
def test_bad_points_raise_one_line(tmp_path, atlas, scheduler, engine, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        join_points(atlas, path, engine=engine, scheduler=scheduler)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)
    assert "bad.csv" in str(info.value)


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_unreadable_inputs_raise_input_error(tmp_path, atlas, scheduler, engine):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for source, name in ((broken, "broken.parquet"), (tmp_path / "missing.csv", "missing.csv"),
                         (empty, "empty.csv")):  # fmt: skip
        with pytest.raises(InputError, match=name) as info:
            join_points(atlas, source, engine=engine, scheduler=scheduler)
        assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="got list"):
        join_points(atlas, [(70, 40)], engine=engine, scheduler=scheduler)  # type: ignore[arg-type]


def test_unknown_engine(points, atlas):
    with pytest.raises(SelectionError, match="engine must be"):
        join_points(atlas, points, engine="spark")  # type: ignore[arg-type]


def reference_join(points: pd.DataFrame, corridors: gpd.GeoDataFrame) -> pd.DataFrame:
    """The straightforward join: GEOS nearest whole line, shortest line, geodesic distance.

    This is what corridormap did before its kernel was cut into pieces and a grid.
    """
    to_metric = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
    back = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)
    lines = corridors.geometry.to_crs(REGION_CRS).to_numpy()
    x, y = to_metric.transform(points["lon"].to_numpy(), points["lat"].to_numpy())
    located = shapely.points(x, y)
    where, line = shapely.STRtree(lines).query_nearest(located, all_matches=False)
    assert (where == np.arange(len(points))).all()
    on_line = shapely.get_point(shapely.shortest_line(lines[line], located), 0)
    near_lon, near_lat = back.transform(shapely.get_x(on_line), shapely.get_y(on_line))
    _, _, metres = GEOD.inv(points["lon"], points["lat"], near_lon, near_lat)
    every = shapely.distance(located[:, None], lines[None, :])  # to each corridor, metres
    return pd.DataFrame(
        {"corridor_id": corridors["corridor_id"].to_numpy()[line], "km": metres / 1000},
        index=points.index,
    ).assign(projected=list(every))


@pytest.mark.parametrize("seed", [0, 1])
def test_same_answer_as_the_reference_join(atlas, seed):
    rng = np.random.default_rng(seed)
    sample = random_points(4000, seed=seed)
    # and points near the lines, where the nearest piece changes most often
    vertex = shapely.get_coordinates(atlas.corridors.geometry.to_numpy())
    picks = vertex[rng.integers(0, len(vertex), 2000)] + rng.normal(0, 0.02, (2000, 2))
    sample = pd.concat([sample, pd.DataFrame({"lon": picks[:, 0], "lat": picks[:, 1]})])
    sample = sample.reset_index(drop=True)
    got = join_points(atlas, sample)
    want = reference_join(sample, atlas.corridors)
    np.testing.assert_allclose(got["distance_km"], want["km"], rtol=0, atol=1e-3)  # 1 m
    differ = got["corridor_id"].to_numpy(dtype=object) != want["corridor_id"].to_numpy()
    # A different corridor only on an exact tie: both at the same projected distance.
    order = list(atlas.corridors["corridor_id"])
    for row in np.flatnonzero(differ):
        projected = want["projected"].iloc[row]
        ours, theirs = (
            order.index(got["corridor_id"].iloc[row]),
            order.index(want["corridor_id"].iloc[row]),
        )
        assert projected[ours] == pytest.approx(projected[theirs], abs=1e-6), row
        assert ours < theirs  # ties go to the corridor listed first
    assert differ.mean() < 0.02


def test_points_far_outside_the_grid_and_multilines(toy):
    # A point on the other side of the world goes through the tree, not the grid; a
    # MultiLineString corridor is cut into the pieces of all its parts.
    corridors = toy.corridors.copy()
    corridors.loc[2, "geometry"] = shapely.MultiLineString(
        [[(60, 46), (60, 49)], [(50, 30), (52, 30)]]
    )
    frame = pd.DataFrame({"lon": [-100.0, 51.0, 60.0], "lat": [-40.0, 30.0, 47.0]})
    with pytest.warns(OutsideRegionWarning, match="1 of 3 points"):
        joined = join_points(replace(toy, corridors=corridors), frame)
    want = reference_join(frame, corridors)
    np.testing.assert_allclose(joined["distance_km"], want["km"], rtol=0, atol=1e-3)
    assert list(joined["corridor_id"]) == list(want["corridor_id"])


def test_swapped_lat_lon_is_reported(atlas):
    frame = random_points(50).rename(columns={"lon": "lat", "lat": "lon"})
    west, south, east, north = settings.region_bbox
    inside = frame["lon"].between(west, east) & frame["lat"].between(south, north)
    assert (~inside).sum() > 25
    with pytest.warns(OutsideRegionWarning) as caught:
        joined = join_points(atlas, frame)
    assert len(joined) == 50
    [message] = [str(w.message) for w in caught if issubclass(w.category, OutsideRegionWarning)]
    assert f"{(~inside).sum()} of 50 points lie outside the region" in message
    assert "'lon'" in message and "'lat'" in message and "swapped" in message
    assert caught[0].filename == __file__  # points at the caller's line, as a notebook shows it
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideRegionWarning)  # a notebook can make it an error
        join_points(atlas, random_points(50))
        with pytest.raises(OutsideRegionWarning):
            join_points(atlas, frame)


def test_the_atlas_comes_first_and_options_are_keywords(points, atlas):
    with pytest.raises(TypeError, match="needs the atlas first"):
        join_points(points.head(50), atlas)
    with pytest.raises(TypeError, match="positional"):
        join_points(atlas, points, 80)


def test_pandas_engine_writes_out(tmp_path, points, atlas):
    path = join_points(atlas, points.head(100), out=tmp_path / "j.parquet")
    assert path == tmp_path / "j.parquet"
    assert_same_rows(gpd.read_parquet(path), join_points(atlas, points.head(100)))
    with pytest.raises(OutputError, match="j.txt: the output must end in"):
        join_points(atlas, points.head(100), out=tmp_path / "j.txt")
    assert not (tmp_path / "j.txt").exists()


# --------------------------------------------------------------------------- dask against pandas


def test_dask_matches_pandas_on_partitioned_parquet(tmp_path, points, atlas, scheduler):
    write_parts(points, tmp_path / "parts", 12)
    want = join_points(atlas, points, km=80)
    for source in (tmp_path / "parts", str(tmp_path / "parts" / "part.*.parquet")):
        got = join_points(atlas, source, km=80, engine="dask", scheduler=scheduler)
        assert_same_rows(got, want)


def test_dask_matches_pandas_on_frames(points, atlas, scheduler):
    want = join_points(atlas, points)
    for source in (points, dd.from_pandas(points, npartitions=3, sort=False)):
        got = join_points(atlas, source, engine="dask", scheduler=scheduler, progress=True)
        assert_same_rows(got, want)
    geo = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points.lon, points.lat), crs=4326)
    got = join_points(atlas, geo.to_crs(3857), engine="dask", scheduler=scheduler)
    np.testing.assert_allclose(got["distance_km"], want["distance_km"], rtol=1e-9, atol=1e-6)


def test_dask_numbers_csv_rows_like_pandas(tmp_path, points, atlas, scheduler):
    csv = tmp_path / "p.csv"
    points.reset_index(drop=True).to_csv(csv, index=False)
    want = join_points(atlas, csv)
    got = join_points(atlas, csv, engine="dask", scheduler=scheduler)
    assert isinstance(got.index, pd.Index) and list(got.index) == list(range(len(points)))
    assert_same_rows(got, want)


def test_dask_writes_partitioned_geoparquet(tmp_path, points, atlas, scheduler):
    out = tmp_path / "joined"
    source = dd.from_pandas(points, npartitions=3, sort=False)
    written = join_points(atlas, source, km=80, engine="dask", out=out, scheduler=scheduler)
    assert written == out
    assert sorted(p.name for p in out.iterdir()) == [f"part.0000{i}.parquet" for i in range(3)]
    back = gpd.read_parquet(out)
    assert back.crs.equals("EPSG:4326")
    assert_same_rows(back, join_points(atlas, points, km=80))
    near = join_points(atlas, points, km=80)["corridor_id"].notna().sum()
    assert written_counts(out) == (len(points), near)
    # A second run replaces the previous output; nothing is left beside it.
    join_points(atlas, source.head(10, npartitions=-1), engine="dask", out=out, scheduler=scheduler)
    assert len(gpd.read_parquet(out)) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["joined"]


def test_dask_failure_leaves_no_output(tmp_path, points, atlas, scheduler):
    bad = points.copy()
    bad.iloc[-1, bad.columns.get_loc("lat")] = 95.0
    out = tmp_path / "joined"
    source = dd.from_pandas(bad, npartitions=3, sort=False)
    with pytest.raises(InputError, match="not a valid coordinate"):
        join_points(atlas, source, engine="dask", out=out, scheduler=scheduler)
    assert list(tmp_path.iterdir()) == []


def test_dask_refuses_to_replace_a_folder_of_other_files(tmp_path, points, atlas, scheduler):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="holds other files") as info:
        join_points(atlas, points, engine="dask", out=tmp_path, scheduler=scheduler)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)
    assert (tmp_path / "notes.txt").exists()
    with pytest.raises(OutputError, match="notes.txt: the dask engine writes a folder"):
        join_points(atlas, points, engine="dask", out=tmp_path / "notes.txt", scheduler=scheduler)


def test_dask_default_local_cluster_starts_and_closes(points, atlas, monkeypatch):
    monkeypatch.setattr(
        _dask, "LOCAL_CLUSTER", {**_dask.LOCAL_CLUSTER, "processes": False, "n_workers": 1}
    )
    got = join_points(atlas, points.head(200), engine="dask")
    assert_same_rows(got, join_points(atlas, points.head(200)))


def test_dask_unreachable_scheduler(points, atlas, monkeypatch):
    monkeypatch.setattr(_dask, "CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(
        SchedulerError, match="cannot reach the dask scheduler at 'tcp://127.0.0.1:9'"
    ) as info:
        join_points(atlas, points, engine="dask", scheduler="tcp://127.0.0.1:9")
    # a connection failure: an OSError, no longer a ValueError
    assert isinstance(info.value, ConnectionError) and not isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_dask_missing_extra_says_how_to_install(points, atlas, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'corridormap\[dask\]'") as info:
        join_points(atlas, points, engine="dask")
    assert isinstance(info.value, ImportError) and not isinstance(info.value, SelectionError)


def test_dask_empty_glob_and_empty_folder(tmp_path, atlas, scheduler):
    with pytest.raises(InputError, match="no file matches"):
        join_points(atlas, str(tmp_path / "*.parquet"), engine="dask", scheduler=scheduler)
    with pytest.raises(InputError, match="holds no .parquet files"):
        join_points(atlas, tmp_path, engine="dask", scheduler=scheduler)


# --------------------------------------------------------------------------- command line


def test_cli_pandas_writes_each_format(tmp_path, points):
    source = tmp_path / "in.csv"
    points.reset_index(drop=True).to_csv(source, index=False)
    for name in ("out.parquet", "out.csv", "out.geojson"):
        result = runner.invoke(
            app, ["join-points", str(source), "--out", str(tmp_path / name), "--km", "80"]
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{len(points):,} points, ")
        assert "within 80 km of a corridor" in result.stdout
    assert len(gpd.read_parquet(tmp_path / "out.parquet")) == len(points)
    assert "distance_km" in pd.read_csv(tmp_path / "out.csv").columns
    assert len(gpd.read_file(tmp_path / "out.geojson")) == len(points)


def test_cli_dask_matches_pandas(tmp_path, points, scheduler):
    parts = write_parts(points, tmp_path / "parts", 2)
    result = runner.invoke(
        app,
        ["join-points", str(parts), "--out", str(tmp_path / "d"), "--engine", "dask"]
        + ["--scheduler", scheduler, "--km", "80", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert "100% Completed" in result.stderr
    result = runner.invoke(
        app, ["join-points", str(parts), "--out", str(tmp_path / "p.parquet"), "--km", "80"]
    )
    assert result.exit_code == 0, result.output
    assert_same_rows(gpd.read_parquet(tmp_path / "d"), gpd.read_parquet(tmp_path / "p.parquet"))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.csv", "--out", "o.csv"], 1, "error: missing.csv"),
        (["in.csv", "--out", "o.txt"], 2, "must end in"),
        (["in.csv", "--out", "o.csv", "--engine", "dask"], 2, "folder of Parquet"),
        (["in.csv", "--out", "o.csv", "--scheduler", "tcp://x:1"], 2, "needs --engine dask"),
    ],
    ids=["missing-input", "bad-extension", "dask-file-out", "scheduler-without-dask"],
)
def test_cli_errors(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    Path("in.csv").write_text("lon,lat\n70,40\n", encoding="utf-8")
    result = runner.invoke(app, ["join-points", *args])
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not Path("o.csv").exists()


def test_cli_output_and_scheduler_errors_are_one_line_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_dask, "CONNECT_TIMEOUT", "0.5s")
    Path("in.csv").write_text("lon,lat\n70,40\n", encoding="utf-8")
    Path("keep").mkdir()
    Path("keep/notes.txt").write_text("keep me", encoding="utf-8")
    for args, message in (
        (["--out", "keep", "--engine", "dask"], "error: keep: folder exists and holds other"),
        (["--out", "o", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"],
         "error: cannot reach the dask scheduler at 'tcp://127.0.0.1:9'"),
    ):  # fmt: skip
        result = runner.invoke(app, ["join-points", "in.csv", *args])
        assert result.exit_code == 1, result.output
        assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
        assert result.stderr.startswith(message), result.stderr
    assert Path("keep/notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not Path("o").exists()


SCRIPT = """
import pandas as pd
import corridormap as cm
print(cm.join_points(cm.load(), pd.DataFrame({"lon": [70.0], "lat": [40.0]}), engine="dask")
      .at[0, "corridor_id"])
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["piped", "unguarded-file"])
def test_dask_default_cluster_from_a_pipe_or_an_unguarded_script(tmp_path, how):
    # Worker processes re-import __main__: impossible from a pipe, recursive from a script
    # without an `if __name__ == "__main__":` guard. Both fall back to threads, in one line.
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    if how == "piped":
        args, stdin = [sys.executable, "-"], SCRIPT
    else:
        (tmp_path / "job.py").write_text(SCRIPT, encoding="utf-8")
        args, stdin = [sys.executable, str(tmp_path / "job.py")], None
    done = subprocess.run(
        args, input=stdin, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["tj_dushanbe_chanak_road"]
    assert "Traceback" not in done.stderr and "Nanny failed" not in done.stderr
    assert "using threads" in done.stderr and "__main__" in done.stderr


def test_cli_warns_about_points_outside_the_region(tmp_path):
    source = tmp_path / "swapped.csv"
    random_points(20).rename(columns={"lon": "lat", "lat": "lon"}).to_csv(source, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "corridormap", "join-points", str(source), "-o", "out.csv"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    [warning] = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert "points lie outside the region" in warning and "swapped" in warning
