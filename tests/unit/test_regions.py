"""First-level regions: lookups with and without a region word, aliases, ids,
coordinates from the capital, cities versus regions, and region context."""

from __future__ import annotations

import math
import sqlite3

import pytest

from domain.gazetteer import (
    COUNTRY,
    REGION,
    Gazetteer,
    InMemoryIndex,
    PlaceRecord,
    Region,
    region_key,
)
from services.shared.knowledge import SqliteIndex, ensure_cache, load_parser, load_region_data


def _index() -> InMemoryIndex:
    index = InMemoryIndex()
    index.add(PlaceRecord("country:SY", "Syria", "SY", None, None, 22_000_000, COUNTRY))
    index.add(PlaceRecord("country:SD", "Sudan", "SD", None, None, 45_000_000, COUNTRY))
    index.add(PlaceRecord("geonames:169389", "Idlib", "SY", 35.93, 36.63, 128_840, admin1="12"))
    index.add(PlaceRecord("geonames:10", "Nawa", "SY", 32.89, 36.04, 47_066, admin1="06"))
    index.add(PlaceRecord("geonames:11", "Nawa", "SY", 35.8, 36.5, 300, admin1="12"))
    index.add(PlaceRecord("geonames:12", "Tawila", "SD", 13.5, 24.9, 0, admin1="55"))
    index.add(PlaceRecord("geonames:13", "Tawila", "SD", 15.0, 32.0, 900, admin1="29"))
    index.add(PlaceRecord("geonames:14", "Shan", "CN", 41.1, 123.0, 1_000_000), ["Shan"])
    index.add_region(
        Region(
            PlaceRecord("admin1:SY.12", "Idlib Governorate", "SY", 35.93, 36.63, 900_000, REGION, "12"),
            names=("Idlib", "Idleb", "Idlib Governorate"),
        )
    )
    index.add_region(
        Region(
            PlaceRecord("admin1:SY.06", "Daraa Governorate", "SY", 32.6, 36.1, 800_000, REGION, "06"),
            names=("Daraa", "Dar'a"),
        )
    )
    index.add_region(
        Region(
            PlaceRecord("admin1:SD.55", "North Darfur", "SD", 13.63, 25.35, 400_000, REGION, "55"),
            names=("North Darfur", "Shamal Darfur"),
            parent="region:SD.darfur",
        )
    )
    index.add_region(
        Region(
            PlaceRecord("region:SD.darfur", "Darfur", "SD", 12.5, 24.5, 2_000_000, REGION),
            names=("Darfur",),
            members=("47", "49", "55", "60", "61"),
        )
    )
    index.add_region(
        Region(
            PlaceRecord("admin1:SD.36", "Red Sea State", "SD", 19.6, 37.2, 600_000, REGION, "36"),
            qualified=("Red Sea",),
        )
    )
    index.add_region(
        Region(
            PlaceRecord("admin1:MM.11", "Shan State", "MM", 20.8, 97.0, 1_500_000, REGION, "11"),
            names=("Shan",),
        )
    )
    return index


@pytest.fixture
def gazetteer() -> Gazetteer:
    return Gazetteer(_index(), {"SY": ["Syria"], "SD": ["Sudan"]})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Idlib province", "idlib"),
        ("the Donetsk region", "donetsk"),
        ("Province of Idlib", "idlib"),
        ("al-Jazira State", "jazira"),
        ("Deir ez-Zor Governorate", "deirzor"),
        ("Idlib", None),
        ("State", None),
    ],
)
def test_region_key_strips_the_region_word(text: str, key: str | None) -> None:
    assert region_key(text) == key


def test_a_region_word_makes_the_region(gazetteer: Gazetteer) -> None:
    for text in ("Idlib province", "Idleb Province", "the Idlib governorate", "Governorate of Idlib"):
        place = gazetteer.lookup(text, ["SY"])
        assert place is not None and place.id == "admin1:SY.12", text
        assert place.precision == "region" and place.admin1 == "12" and place.name == "Idlib Governorate"
        assert place.text == text and not place.is_capital


def test_a_bare_name_is_the_city_when_a_city_has_it(gazetteer: Gazetteer) -> None:
    place = gazetteer.lookup("Idlib", ["SY"])
    assert place is not None and place.id == "geonames:169389" and place.precision == "city"


def test_a_name_only_a_region_has_resolves_alone_in_context(gazetteer: Gazetteer) -> None:
    for text, rid in (("Darfur", "region:SD.darfur"), ("North Darfur", "admin1:SD.55")):
        place = gazetteer.lookup(text, ["SD"])
        assert place is not None and place.id == rid and place.precision == "region"
    assert gazetteer.lookup("Darfur", ["SY"]) is None  # outside the article's countries: needs a word
    assert gazetteer.lookup("Darfur region", ["SY"]) is not None


def test_a_group_has_no_admin1_of_its_own(gazetteer: Gazetteer) -> None:
    place = gazetteer.lookup("Darfur", ["SD"])
    assert place is not None and place.admin1 is None and place.country == "SD"


def test_a_region_in_context_beats_a_foreign_namesake(gazetteer: Gazetteer) -> None:
    place = gazetteer.lookup("Shan", ["MM"])
    assert place is not None and place.id == "admin1:MM.11"
    elsewhere = gazetteer.lookup("Shan", ["FR"])
    assert elsewhere is not None and elsewhere.country == "CN"


def test_qualified_names_need_a_region_word(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Red Sea", ["SD"]) is None
    place = gazetteer.lookup("Red Sea state", ["SD"])
    assert place is not None and place.id == "admin1:SD.36"


def test_region_api_for_the_parser(gazetteer: Gazetteer) -> None:
    region = gazetteer.region("Idlib", "SY")
    assert region is not None and region.id == "admin1:SY.12" and region.text == "Idlib"
    red_sea = gazetteer.region("Red Sea", ["SD"])
    assert red_sea is not None and red_sea.id == "admin1:SD.36"
    assert gazetteer.region("Idlib province") is not None
    assert gazetteer.region("Nawa", "SY") is None  # a city, not a region


def test_candidates_include_regions(gazetteer: Gazetteer) -> None:
    ids = {r.id for r in gazetteer.candidates("Idlib")}
    assert ids == {"geonames:169389", "admin1:SY.12"}
    assert {r.id for r in gazetteer.candidates("Red Sea")} == set()
    assert {r.id for r in gazetteer.candidates("Red Sea State")} == {"admin1:SD.36"}


def test_region_context_picks_the_city_inside_it(gazetteer: Gazetteer) -> None:
    plain = gazetteer.lookup("Nawa", ["SY"])
    assert plain is not None and plain.admin1 == "06"  # the bigger one
    steered = gazetteer.lookup("Nawa", ["SY"], regions=["admin1:SY.12"])
    assert steered is not None and steered.id == "geonames:11"


def test_a_group_in_context_covers_its_members(gazetteer: Gazetteer) -> None:
    plain = gazetteer.lookup("Tawila", ["SD"])
    assert plain is not None and plain.id == "geonames:13"
    steered = gazetteer.lookup("Tawila", ["SD"], regions=["region:SD.darfur"])
    assert steered is not None and steered.id == "geonames:12"


def test_region_of_a_city(gazetteer: Gazetteer) -> None:
    city = gazetteer.lookup("Idlib", ["SY"])
    assert city is not None
    region = gazetteer.region_of(city)
    assert region is not None and region.id == "admin1:SY.12"


# -- the shipped data and the real cache ----------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Gazetteer:
    return load_parser().gazetteer


@pytest.mark.parametrize(
    ("text", "countries", "rid"),
    [
        ("Idlib province", ["SY"], "admin1:SY.12"),
        ("Deir ez-Zor Governorate", ["SY"], "admin1:SY.07"),
        ("Dayr az Zawr governorate", ["SY"], "admin1:SY.07"),
        ("Rif Dimashq", ["SY"], "admin1:SY.08"),
        ("the Donetsk region", ["UA"], "admin1:UA.05"),
        ("Donetska oblast", ["UA"], "admin1:UA.05"),
        ("Kharkiv Oblast", ["UA"], "admin1:UA.07"),
        ("Kyiv region", ["UA"], "admin1:UA.13"),
        ("Donbas", ["UA"], "region:UA.donbas"),
        ("Crimea", ["UA"], "admin1:UA.11"),
        ("Kursk region", ["UA"], "admin1:RU.41"),
        ("Belgorod Oblast", ["UA", "RU"], "admin1:RU.09"),
        ("Bryansk region", ["RU"], "admin1:RU.10"),
        ("al-Jazira state", ["SD"], "admin1:SD.38"),
        ("Gezira", ["SD"], "admin1:SD.38"),
        ("al-Jazira", ["SD"], "admin1:SD.38"),
        ("Darfur", ["SD"], "region:SD.darfur"),
        ("North Darfur", ["SD"], "admin1:SD.55"),
        ("Kordofan", ["SD"], "region:SD.kordofan"),
        ("North Kivu", ["CD"], "admin1:CD.11"),
        ("Nord-Kivu", ["CD"], "admin1:CD.11"),
        ("Ituri province", ["CD"], "admin1:CD.17"),
        ("Rakhine", ["MM"], "admin1:MM.01"),
        ("Shan State", ["MM"], "admin1:MM.11"),
        ("Shan", ["MM"], "admin1:MM.11"),
        ("Karen State", ["MM"], "admin1:MM.05"),
        ("Menaka region", ["ML"], "admin1:ML.12070577"),
        ("Sahel region", ["BF"], "admin1:BF.12"),
        ("Tillaberi region", ["NE"], "admin1:NE.09"),
        ("Hodeidah governorate", ["YE"], "admin1:YE.08"),
        ("Hadramawt", ["YE"], "admin1:YE.04"),
        ("Tigray", ["ET"], "admin1:ET.53"),
        ("Amhara region", ["ET"], "admin1:ET.46"),
        ("Cyrenaica", ["LY"], "region:LY.cyrenaica"),
        ("Fezzan", ["LY"], "region:LY.fezzan"),
    ],
)
def test_real_regions(real: Gazetteer, text: str, countries: list[str], rid: str) -> None:
    place = real.lookup(text, countries)
    assert place is not None and place.id == rid, (text, place)
    assert place.precision == "region"


@pytest.mark.parametrize(
    ("text", "country"),
    [("Idlib", "SY"), ("Donetsk", "UA"), ("Kursk", "RU"), ("Kassala", "SD"), ("Goma", "CD"), ("Gao", "ML")],
)
def test_real_bare_city_names_stay_cities(real: Gazetteer, text: str, country: str) -> None:
    place = real.lookup(text, [country])
    assert place is not None and place.precision == "city" and place.country == country


@pytest.mark.parametrize("text", ["Sahel", "Blue Nile", "Red Sea", "Amhara", "Somali", "Centre", "Northern"])
def test_real_plain_words_are_not_regions_alone(real: Gazetteer, text: str) -> None:
    place = real.lookup(text, ["SD", "ET", "BF", "ML"])
    assert place is None or place.precision != "region"


def test_real_generic_region_names_stay_at_home(real: Gazetteer) -> None:
    assert real.lookup("South West region", ["CM"]) is None  # Cameroon's, not Burkina Faso's
    place = real.lookup("South West region", ["BF"])
    assert place is not None and place.id == "admin1:BF.13"
    assert real.region("East", "CM") is None


@pytest.mark.parametrize(
    ("region", "capital", "country"),
    [
        ("Idlib province", "Idlib", "SY"),
        ("North Kivu", "Goma", "CD"),
        ("Kursk region", "Kursk", "RU"),
        ("Rakhine", "Sittwe", "MM"),
        ("Tigray", "Mekele", "ET"),
    ],
)
def test_real_coordinates_are_the_capitals(real: Gazetteer, region: str, capital: str, country: str) -> None:
    place = real.lookup(region, [country])
    city = real.lookup(capital, [country])
    assert place is not None and city is not None
    assert (place.lat, place.lon) == (city.lat, city.lon)
    assert place.admin1 == city.admin1


def test_real_group_sits_among_its_members(real: Gazetteer) -> None:
    darfur = real.lookup("Darfur", ["SD"])
    assert darfur is not None and darfur.lat is not None and darfur.lon is not None
    assert 10 < darfur.lat < 17 and 22 < darfur.lon < 27


def test_real_region_context_steers_namesakes(real: Gazetteer) -> None:
    plain = real.lookup("Vasylivka", ["UA"])
    assert plain is not None and plain.admin1 == "26"
    steered = real.lookup("Vasylivka", ["UA"], regions=["admin1:UA.17"])
    assert steered is not None and steered.admin1 == "17"
    region = real.region("Odesa", "UA")
    assert region is not None and region.id == "admin1:UA.17"


def test_shipped_region_data_is_complete() -> None:
    docs = load_region_data()
    wanted = {"SY", "UA", "RU", "SD", "CD", "MM", "ML", "BF", "NE", "YE", "ET", "LY"}
    assert {d["country"] for d in docs} >= wanted
    path = ensure_cache()
    regions = SqliteIndex(path).regions()
    expected = sum(len(d["regions"]) + len(d.get("groups", ())) for d in docs)
    assert len(regions) == expected
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for region in regions:
        record = region.record
        assert record.id.startswith(("admin1:", "region:"))
        assert record.lat is not None and record.lon is not None and math.isfinite(record.lat)
        for code in region.admin1s:
            # Every code is one cities500 uses for that country.
            (n,) = db.execute(
                "SELECT count(*) FROM places WHERE country = ? AND admin1 = ?", (record.country, code)
            ).fetchone()
            assert n > 0, (record.id, code)
    db.close()
    groups = [r for r in regions if r.record.id.startswith("region:")]
    assert groups and all(r.members and r.record.admin1 is None for r in groups)
    for member in (r for r in regions if r.parent):
        assert any(g.record.id == member.parent for g in groups)
