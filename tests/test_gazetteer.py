"""The gazetteer index: folded exact lookup, spelling variants, countries, demonyms, caching."""
from __future__ import annotations

import pickle

import pytest

from wirewatch.resolve.gazetteer import Gazetteer, distance_km, fold


@pytest.fixture(scope="module")
def gaz(resources):
    return resources.gazetteer


def test_fold_strips_accents_case_apostrophes_and_article():
    assert fold("Ţarţūs") == fold("TARTUS") == "tartus"
    assert fold("Sana'a") == fold("Sanaa")
    assert fold("Al-Raqqa") == fold("Raqqa")
    assert fold("U.S.") == "u s"


def test_spelling_variants_resolve_to_the_same_place(gaz):
    ids = [{p.geonameid for p in gaz.lookup(name)} for name in ("Tartous", "Tartus", "Ţarţūs")]
    assert ids[0] and ids[0] == ids[1] == ids[2]
    (place,) = [p for p in gaz.lookup("Tartous")]
    assert place.country == "SY" and 34 < place.lat < 36 and 35 < place.lon < 37


def test_countries_and_states_have_coordinates(gaz):
    syria = [p for p in gaz.lookup("Syria") if p.feature == "country"][0]
    assert syria.country == "SY" and distance_km(syria.lat, syria.lon, 35.0, 38.0) < 200
    texas = [p for p in gaz.lookup("Texas") if p.feature == "admin1"][0]
    assert texas.country == "US" and texas.admin1 == "TX"
    assert distance_km(texas.lat, texas.lon, 31.25, -99.25) < 161
    assert gaz.country("ru").name == "Russia"
    assert [p.country for p in gaz.lookup("Ill.") if p.feature == "admin1"] == ["US"]


def test_demonyms_point_to_countries_and_are_not_places(gaz):
    assert gaz.demonym_country("Syrian") == "SY"
    assert gaz.demonym_country("Russians") == "RU"
    assert gaz.demonym_country("Dutch") == "NL"
    assert gaz.demonym_country("Tuesday") is None
    assert not [p for p in gaz.lookup("Syrian") if p.population > 1000]


def test_unknown_names_return_nothing(gaz):
    assert gaz.lookup("Zqxvbland") == []
    assert gaz.lookup("  ") == []


def test_gazetteer_pickles_by_path(gaz):
    clone = pickle.loads(pickle.dumps(gaz))
    assert clone.path == gaz.path
    assert [p.geonameid for p in clone.lookup("Moscow")] == [p.geonameid for p in gaz.lookup("Moscow")]


def test_a_corrupt_cache_file_is_rebuilt(tmp_path, monkeypatch):
    """A truncated index is detected and rebuilt; building is stubbed to keep the test fast."""
    import wirewatch.resolve.gazetteer as module

    path = tmp_path / "index.sqlite"
    path.write_bytes(b"not a database")
    built = []

    def fake_build(target):
        import shutil

        built.append(target)
        shutil.copy(Gazetteer.default_path(), target)

    Gazetteer.load()  # make sure the real index exists to copy
    monkeypatch.setattr(module, "build_index", fake_build)
    gaz = Gazetteer.load(path)
    assert built == [path]
    assert gaz.lookup("Tartus")
