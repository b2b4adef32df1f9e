"""The public API's conventions (issue 15), and the shims that keep the old calls working.

The atlas comes first and is typed ``Atlas``; every option is keyword-only; a call in the old
form still runs, with a DeprecationWarning that names the new form.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import corridormap as cm
from corridormap.atlas.core import reported_length_range
from corridormap.revenue import revenue_by_corridor

PUBLIC_FUNCTIONS = sorted(n for n in cm.__all__ if inspect.isfunction(getattr(cm, n)))

#: Parameters with a default that are inputs, not options, so they may be given by position:
#: the folders of ``load``/``validate``, and the table ``country_totals`` sums.
OPTIONAL_INPUTS = {
    ("load", "geo_dir"),
    ("load", "data_dir"),
    ("validate", "geo_dir"),
    ("validate", "data_dir"),
    ("data_release", "data_dir"),
    ("country_totals", "lengths"),
}

#: Options still positional (none now); the test fails once one of them is keyword-only, so
#: this cannot go stale.
STILL_POSITIONAL: set[tuple[str, str]] = set()


def _parameters(name: str) -> list[inspect.Parameter]:
    return list(inspect.signature(getattr(cm, name)).parameters.values())


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_options_are_keyword_only(name: str) -> None:
    for p in _parameters(name):
        positional = p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        if p.default is p.empty or (name, p.name) in OPTIONAL_INPUTS:
            continue
        if (name, p.name) in STILL_POSITIONAL:
            assert positional, f"{name}({p.name}=) is keyword-only now: drop it from the list"
        else:
            assert not positional, f"{name}(): option {p.name!r} should come after '*'"


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_the_atlas_comes_first_and_is_typed(name: str) -> None:
    parameters = _parameters(name)
    atlases = [p for p in parameters if p.name in ("atlas", "old", "new")]
    for p in atlases:
        assert p.annotation == "Atlas", f"{name}({p.name}) is not annotated Atlas"
    if any(p.name == "atlas" for p in atlases):
        assert parameters[0].name == "atlas", f"{name}() does not take the atlas first"


# --------------------------------------------------------------------------- one name for a cut-off


def test_border_crossings_takes_km_and_max_place_km_still_works(atlas) -> None:
    cku = cm.select(atlas, corridor="cku_railway")
    named = cm.border_crossings(cku, km=5)
    assert named["place"].iloc[0] == "Torugart Pass"  # 1.1 km from the crossing
    assert cm.border_crossings(cku, km=1)["place"].isna().all()
    with pytest.warns(DeprecationWarning, match=r"max_place_km=\.\.\.\) is deprecated; use km="):
        old = cm.border_crossings(cku, max_place_km=5)
    pd.testing.assert_frame_equal(old, named)


def test_border_crossings_refuses_both_names(atlas) -> None:
    with pytest.raises(TypeError, match="both max_place_km= and km="):
        cm.border_crossings(atlas, km=5, max_place_km=5)


# --------------------------------------------------------------------------- options by position


@pytest.mark.parametrize(
    ("call", "new"),
    [
        (
            lambda a: cm.catchment(a, "cku_highway", 10),
            lambda a: cm.catchment(a, "cku_highway", km=10),
        ),
        (
            lambda a: cm.segment_status_as_of(a, 2025, cm.status_as_of(a, 2025)),
            lambda a: cm.segment_status_as_of(a, 2025, statuses=cm.status_as_of(a, 2025)),
        ),
        (
            lambda a: reported_length_range(a, "cku_railway", "KGZ"),
            lambda a: reported_length_range(a, "cku_railway", country="KGZ"),
        ),
        (
            lambda a: cm.transit_revenue(a, "low", {"cku_railway": {"volume": 20}}),
            lambda a: cm.transit_revenue(
                a, scenario="low", overrides={"cku_railway": {"volume": 20}}
            ),
        ),
        (
            lambda a: cm.revenue_by_country(a, "high"),
            lambda a: cm.revenue_by_country(a, scenario="high"),
        ),
        (lambda a: revenue_by_corridor(a, "low"), lambda a: revenue_by_corridor(a, scenario="low")),
        (
            lambda a: cm.sensitivity(a, "cagp_abc", "UZB"),
            lambda a: cm.sensitivity(a, "cagp_abc", iso3="UZB"),
        ),
    ],
    ids=[
        "catchment",
        "segment_status_as_of",
        "reported_length_range",
        "transit_revenue",
        "revenue_by_country",
        "revenue_by_corridor",
        "sensitivity",
    ],
)
def test_options_by_position_still_work_with_a_warning(atlas, call, new) -> None:
    with pytest.warns(DeprecationWarning, match=r"by position is deprecated; use keywords"):
        old = call(atlas)
    expected = new(atlas)
    if isinstance(expected, pd.Series | pd.DataFrame):
        assert old.equals(expected)
    else:
        assert old == expected


def test_the_warning_points_at_the_callers_line(atlas) -> None:
    # under the per-atlas memo too (transit_revenue): the user's line, not corridormap's
    for call in (
        lambda: cm.transit_revenue(atlas, "base"),
        lambda: cm.catchment(atlas, "cku_highway", 10),
    ):
        with pytest.warns(DeprecationWarning) as caught:
            call()
        assert caught[0].filename == __file__


def test_too_many_or_doubled_positional_options_are_type_errors(atlas) -> None:
    with pytest.raises(TypeError, match="positional"):
        cm.catchment(atlas, "cku_highway", 10, 20)
    with pytest.raises(TypeError, match="'km' twice"):
        cm.catchment(atlas, "cku_highway", 10, km=20)


def test_a_revenue_by_country_takes_tariffs_like_transit_revenue(atlas) -> None:
    by_country = cm.revenue_by_country(atlas, tariffs=atlas.tariffs)
    assert by_country.equals(cm.revenue_by_country(atlas))
    assert "tariffs" in inspect.signature(cm.revenue_by_country).parameters


# --------------------------------------------------------------------------- the atlas first


def test_country_totals_takes_the_atlas_first_and_the_old_order_warns(atlas) -> None:
    lengths = cm.lengths_by_country(atlas)
    new = cm.country_totals(atlas, lengths)
    pd.testing.assert_frame_equal(cm.country_totals(atlas), new)
    with pytest.warns(DeprecationWarning, match=r"country_totals\(atlas, lengths\)"):
        old = cm.country_totals(lengths, atlas)
    pd.testing.assert_frame_equal(old, new)


def test_fidelity_takes_the_atlas_and_the_segments_still_work(atlas) -> None:
    new = cm.fidelity(atlas)
    with pytest.warns(DeprecationWarning, match=r"pass the atlas: fidelity\(atlas\)"):
        old = cm.fidelity(atlas.segments)
    pd.testing.assert_frame_equal(old, new)
