"""Supplementary gazetteer data: conflict towns that GeoNames cities500 lacks, and
spellings of its towns that it does not list.

cities500 keeps places of 500 people or more that GeoNames has a population for;
many towns the wars are fought over are missing (Minova, Masisi, Walikale, Laukkaing,
Maungdaw, Jebel Aulia, Robotyne), and some that are there lack the spelling the
press uses ("Kyaukphyu" for cities500's Kyaukpyu). Without a record such a town is
kept with ``id: null`` and no coordinates, and nothing tells it from a word that
is not a place.

Each ``EXTRA_PLACES`` row is a real place with coordinates taken from its
Wikipedia infobox (degrees, WGS 84), its country, and the GeoNames admin1 code of
its first-level region (the codes ``domain/data/regions/<ISO2>.json`` uses), so
that region context works for it as for any city. Its id is
``place:<ISO2>.<slug>``. ``EXTRA_NAMES`` adds spellings to existing cities500
records, found by their own name and country. The table is data kept in code
(the domain does no I/O); ``Gazetteer`` merges it into every index it reads, and
docs/gazetteer.md says how to add a row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExtraPlace:
    slug: str
    name: str
    country: str
    lat: float
    lon: float
    admin1: str | None = None
    population: int = 0
    aliases: tuple[str, ...] = ()


EXTRA_PLACES: tuple[ExtraPlace, ...] = (
    # DR Congo: North Kivu (admin1 11), South Kivu (12)
    ExtraPlace("minova", "Minova", "CD", -1.70694, 29.01917, "12"),
    ExtraPlace(
        "masisi", "Masisi", "CD", -1.40000, 28.80000, "11", aliases=("Masisi-Centre", "Masisi Centre")
    ),
    ExtraPlace("walikale", "Walikale", "CD", -1.43056, 28.07528, "11", aliases=("Walikale-Centre",)),
    # Myanmar: Rakhine State (01), Shan State (11)
    ExtraPlace("maungdaw", "Maungdaw", "MM", 20.81700, 92.36700, "01"),
    ExtraPlace("laukkaing", "Laukkaing", "MM", 23.69472, 98.76444, "11", 23_435, ("Laukkai", "Laogai")),
    ExtraPlace("hsipaw", "Hsipaw", "MM", 22.61700, 97.28300, "11", aliases=("Thibaw",)),
    # Sudan: Khartoum State (29), North Darfur (55)
    ExtraPlace(
        "jebel-aulia",
        "Jebel Aulia",
        "SD",
        15.24528,
        32.49694,
        "29",
        aliases=("Jabal Awliya", "Gebel Aulia", "Jabal al-Awliya"),
    ),
    ExtraPlace("zamzam", "Zamzam", "SD", 13.48852, 25.31067, "55", aliases=("Zamzam camp", "Zam Zam")),
    # Ukraine: Odesa Oblast (17), Zaporizhzhia Oblast (26)
    ExtraPlace("robotyne", "Robotyne", "UA", 47.44306, 35.82611, "26", 480, ("Rabotino",)),
    ExtraPlace(
        "snake-island",
        "Snake Island",
        "UA",
        45.25500,
        30.20417,
        "17",
        aliases=("Zmiinyi Island", "Zmiinyi", "Serpent Island"),
    ),
)

# Spelling -> (cities500 name, country) of the record it also names.
EXTRA_NAMES: dict[str, tuple[str, str]] = {
    "Kyaukphyu": ("Kyaukpyu", "MM"),
}
