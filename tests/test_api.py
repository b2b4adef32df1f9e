"""The public API's conventions (issues 15 and 21).

The atlas comes first and is typed ``Atlas``; every option is keyword-only and has one name
(``mode=``, ``country=``, ``km=``); the forms before 0.1.0 are refused, not shimmed.
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


# --------------------------------------------------------------------------- one name per option


def test_border_crossings_takes_km(atlas) -> None:
    cku = cm.select(atlas, corridor="cku_railway")
    named = cm.border_crossings(cku, km=5)
    assert named["place"].iloc[0] == "Torugart Pass"  # 1.1 km from the crossing
    assert cm.border_crossings(cku, km=1)["place"].isna().all()
    with pytest.raises(TypeError, match="max_place_km"):
        cm.border_crossings(cku, max_place_km=5)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_one_name_for_each_option(name: str) -> None:
    # mode= and country= everywhere (never modes= or iso3=), no catch-all *args
    names = {p.name: p for p in _parameters(name)}
    assert not {"modes", "iso3", "max_place_km"} & set(names), name
    assert not [p for p in names.values() if p.kind is p.VAR_POSITIONAL], f"{name}(*args)"


def test_routes_and_route_change_rank_by_the_same_default() -> None:
    defaults = {
        name: inspect.signature(getattr(cm, name)).parameters["by"].default
        for name in ("routes", "route_change")
    }
    assert len(set(defaults.values())) == 1, defaults


@pytest.mark.parametrize(
    "call",
    [
        lambda a: cm.catchment(a, "cku_highway", 10),
        lambda a: cm.segment_status_as_of(a, 2025, cm.status_as_of(a, 2025)),
        lambda a: reported_length_range(a, "cku_railway", "KGZ"),
        lambda a: cm.transit_revenue(a, "low"),
        lambda a: cm.revenue_by_country(a, "high"),
        lambda a: revenue_by_corridor(a, "low"),
        lambda a: cm.sensitivity(a, "cagp_abc", "UZB"),
        lambda a: cm.country_totals(a, cm.lengths_by_country(a)),
        lambda a: cm.fidelity(a.segments),
        lambda a: cm.join_points(pd.DataFrame({"lon": [74.6], "lat": [42.9]}), a),
    ],
    ids=[
        "catchment",
        "segment_status_as_of",
        "reported_length_range",
        "transit_revenue",
        "revenue_by_country",
        "revenue_by_corridor",
        "sensitivity",
        "country_totals",
        "fidelity",
        "join_points",
    ],
)
def test_the_pre_release_call_forms_are_refused(atlas, call) -> None:
    # 0.1.0 is the first release: no deprecation shims, the old forms are plain errors
    with pytest.raises((TypeError, AttributeError)):
        call(atlas)


def test_no_module_warns_of_a_deprecation() -> None:
    from importlib import resources
    from pathlib import Path

    root = Path(str(resources.files("corridormap")))
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "DeprecationWarning" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_a_revenue_by_country_takes_tariffs_like_transit_revenue(atlas) -> None:
    by_country = cm.revenue_by_country(atlas, tariffs=atlas.tariffs)
    assert by_country.equals(cm.revenue_by_country(atlas))
    assert "tariffs" in inspect.signature(cm.revenue_by_country).parameters


# --------------------------------------------------------------------------- the atlas first


def test_country_totals_takes_a_lengths_table_by_keyword(atlas) -> None:
    lengths = cm.lengths_by_country(atlas)
    new = cm.country_totals(atlas, lengths=lengths)
    pd.testing.assert_frame_equal(cm.country_totals(atlas), new)


def test_the_public_names_are_listed_once_and_all_resolve() -> None:
    # __init__.pyi is the one list: lazy_loader reads it at run time, type checkers read it too
    import ast
    from importlib import resources
    from pathlib import Path

    stub = Path(str(resources.files("corridormap"))) / "__init__.pyi"
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    imported = {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    [listed] = [n.value for n in tree.body if isinstance(n, ast.Assign)]
    assert set(ast.literal_eval(listed)) == imported == set(cm.__all__)
    assert list(ast.literal_eval(listed)) == sorted(imported)
    for name in cm.__all__:
        assert getattr(cm, name) is not None
