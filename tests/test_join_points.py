"""The point join: known distances, brute force, inputs, and dask against pandas row for row."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from typer.testing import CliRunner

from corridormap import SelectionError, join_points
from corridormap.cli import app
from corridormap.query import REGION_CRS

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

from corridormap import _dask  # noqa: E402

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
    joined = join_points(frame, toy)
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
    joined = join_points(sample, atlas)
    vertices = densified_vertices(atlas.corridors)
    for row in joined.itertuples():
        brute = brute_force_km(row.lon, row.lat, vertices)
        assert row.distance_km == pytest.approx(brute.min(), rel=0.01, abs=0.5), row
        # The corridor found is the nearest one (or within 1% of it: a tie).
        assert brute[row.corridor_id] == pytest.approx(brute.min(), rel=0.01, abs=0.5), row


def test_index_and_order_are_kept(points, atlas):
    joined = join_points(points, atlas)
    assert joined.index.equals(points.index)
    plain = join_points(points.reset_index(drop=True), atlas)
    np.testing.assert_array_equal(joined["distance_km"], plain["distance_km"])
    assert (joined["weight"] == points["weight"]).all()


def test_km_filter_blanks_far_points(points, atlas):
    every = join_points(points, atlas)
    near = join_points(points, atlas, km=50)
    far = every["distance_km"] > 50
    assert 0 < far.sum() < len(points)
    assert near.loc[far, "corridor_id"].isna().all()
    assert near.loc[far, "distance_km"].isna().all()
    pd.testing.assert_frame_equal(near[~far], every[~far])


def test_csv_and_parquet_inputs_give_the_same_join(tmp_path, points, atlas):
    points.to_csv(tmp_path / "p.csv")
    points.to_parquet(tmp_path / "p.parquet")
    from_frame = join_points(points, atlas)
    from_parquet = join_points(tmp_path / "p.parquet", atlas)
    assert_same_rows(from_parquet, from_frame)
    from_csv = join_points(tmp_path / "p.csv", atlas)
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
    with pytest.raises(SelectionError, match=message) as info:
        join_points(path, atlas, engine=engine, scheduler=scheduler)
    assert "\n" not in str(info.value)
    assert "bad.csv" in str(info.value)


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_unreadable_inputs_raise_selection_error(tmp_path, atlas, scheduler, engine):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    for source in (broken, tmp_path / "missing.csv"):
        with pytest.raises(SelectionError, match="broken.parquet|missing.csv"):
            join_points(source, atlas, engine=engine, scheduler=scheduler)


def test_unknown_engine(points, atlas):
    with pytest.raises(SelectionError, match="engine must be"):
        join_points(points, atlas, engine="spark")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- dask against pandas


def test_dask_matches_pandas_on_partitioned_parquet(tmp_path, points, atlas, scheduler):
    write_parts(points, tmp_path / "parts", 12)
    want = join_points(points, atlas, km=80)
    for source in (tmp_path / "parts", str(tmp_path / "parts" / "part.*.parquet")):
        got = join_points(source, atlas, km=80, engine="dask", scheduler=scheduler)
        assert_same_rows(got, want)


def test_dask_matches_pandas_on_frames(points, atlas, scheduler):
    want = join_points(points, atlas)
    for source in (points, dd.from_pandas(points, npartitions=3, sort=False)):
        got = join_points(source, atlas, engine="dask", scheduler=scheduler, progress=True)
        assert_same_rows(got, want)
    geo = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points.lon, points.lat), crs=4326)
    got = join_points(geo.to_crs(3857), atlas, engine="dask", scheduler=scheduler)
    np.testing.assert_allclose(got["distance_km"], want["distance_km"], rtol=1e-9, atol=1e-6)


def test_dask_numbers_csv_rows_like_pandas(tmp_path, points, atlas, scheduler):
    csv = tmp_path / "p.csv"
    points.reset_index(drop=True).to_csv(csv, index=False)
    want = join_points(csv, atlas)
    got = join_points(csv, atlas, engine="dask", scheduler=scheduler)
    assert isinstance(got.index, pd.Index) and list(got.index) == list(range(len(points)))
    assert_same_rows(got, want)


def test_dask_writes_partitioned_geoparquet(tmp_path, points, atlas, scheduler):
    out = tmp_path / "joined"
    source = dd.from_pandas(points, npartitions=3, sort=False)
    written = join_points(source, atlas, km=80, engine="dask", out=out, scheduler=scheduler)
    assert written == out
    assert sorted(p.name for p in out.iterdir()) == [f"part.0000{i}.parquet" for i in range(3)]
    back = gpd.read_parquet(out)
    assert back.crs.equals("EPSG:4326")
    assert_same_rows(back, join_points(points, atlas, km=80))
    near = join_points(points, atlas, km=80)["corridor_id"].notna().sum()
    assert _dask.written_counts(out) == (len(points), near)
    # A second run replaces the previous output; nothing is left beside it.
    join_points(source.head(10, npartitions=-1), atlas, engine="dask", out=out, scheduler=scheduler)
    assert len(gpd.read_parquet(out)) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["joined"]


def test_dask_failure_leaves_no_output(tmp_path, points, atlas, scheduler):
    bad = points.copy()
    bad.iloc[-1, bad.columns.get_loc("lat")] = 95.0
    out = tmp_path / "joined"
    source = dd.from_pandas(bad, npartitions=3, sort=False)
    with pytest.raises(SelectionError, match="not a valid coordinate"):
        join_points(source, atlas, engine="dask", out=out, scheduler=scheduler)
    assert list(tmp_path.iterdir()) == []


def test_dask_refuses_to_replace_a_folder_of_other_files(tmp_path, points, atlas, scheduler):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SelectionError, match="holds other files"):
        join_points(points, atlas, engine="dask", out=tmp_path, scheduler=scheduler)
    assert (tmp_path / "notes.txt").exists()


def test_dask_default_local_cluster_starts_and_closes(points, atlas, monkeypatch):
    monkeypatch.setattr(
        _dask, "LOCAL_CLUSTER", {**_dask.LOCAL_CLUSTER, "processes": False, "n_workers": 1}
    )
    got = join_points(points.head(200), atlas, engine="dask")
    assert_same_rows(got, join_points(points.head(200), atlas))


def test_dask_unreachable_scheduler(points, atlas, monkeypatch):
    monkeypatch.setattr(_dask, "CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(
        SelectionError, match="cannot reach the dask scheduler at 'tcp://127.0.0.1:9'"
    ):
        join_points(points, atlas, engine="dask", scheduler="tcp://127.0.0.1:9")


def test_dask_missing_extra_says_how_to_install(points, atlas, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(SelectionError, match=r"pip install 'corridormap\[dask\]'"):
        join_points(points, atlas, engine="dask")


def test_dask_empty_glob_and_bad_types(tmp_path, atlas, scheduler):
    with pytest.raises(SelectionError, match="no file matches"):
        join_points(str(tmp_path / "*.parquet"), atlas, engine="dask", scheduler=scheduler)
    with pytest.raises(SelectionError, match="holds no .parquet files"):
        join_points(tmp_path, atlas, engine="dask", scheduler=scheduler)
    with pytest.raises(SelectionError, match="got list"):
        join_points([(70, 40)], atlas, engine="dask", scheduler=scheduler)  # type: ignore[arg-type]


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
