"""The gazetteer: place names to coordinates, resolved with the article's context.

Lookups go through a ``GazetteerIndex`` port so the domain never touches files:
``InMemoryIndex`` (here) serves tests and small data sets, and the services layer
provides an index backed by a prebuilt cache of GeoNames data.

Names are compared in a folded form (``normalize_name``): accents, case,
apostrophes, hyphens and Arabic articles (al-, el-, ad-, as-, ez-…) are dropped,
so "Deir al-Zor", "Deir ez-Zor" and "Dayr az Zawr" meet when the data lists
them. Spellings the data does not list ("Zakyah" for "Zākīyah") are reached by
a consonant skeleton plus a similarity check, but only inside the article's
countries, where the chance of a wrong hit is small.

First-level administrative regions (governorates, oblasts, states, provinces)
and a few well-known groups of them ("Darfur", "Donbas") are places too, with
precision "region" (see docs/gazetteer.md). A region word decides: "Idlib
province" is the governorate, "Idlib" alone the city; a name only a region has
("North Kivu", "Rakhine") resolves alone, inside the article's countries. The
regions an article names also steer its cities: a "Nawa" after "Daraa
governorate" is the one in Daraa.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from domain.supplement import EXTRA_NAMES, EXTRA_PLACES, ExtraPlace
from schemas.common import Place

# Arabic article transliterations (and "the") that come and go between spellings.
ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "at", "az", "ez", "ash", "an", "ed", "es", "adh", "ath", "the"}
)
_APOSTROPHES = re.compile(r"['’‘`ʿʾ´]")
_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = re.compile(r"[aeiouyw]+")
_DOUBLE = re.compile(r"(.)\1+")

# Feature codes as GeoNames spells them; cities500 carries no codes, so the
# loader derives PPLC from the country table and leaves the rest PPL.
CAPITAL = "PPLC"
ADMIN_SEAT = "PPLA"
COUNTRY = "PCLI"
REGION = "ADM1"

_FEATURE_RANK = {CAPITAL: 3.0, ADMIN_SEAT: 1.5, "PPLA2": 0.5, "PPL": 0.0, COUNTRY: 4.0, REGION: 2.0}


# Latin letters NFKD does not decompose, spelled the way English prose does.
_ASCII_LETTERS = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "þ": "th",
        "Þ": "Th",
        "ŧ": "t",
        "Ŧ": "T",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ə": "a",
        "Ə": "A",
        "–": "-",
    }
)


def name_words(text: str) -> list[str]:
    """The folded words of a place name, articles dropped (``normalize_name`` joins them)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = _WORD.findall(_APOSTROPHES.sub("", bare))
    # An article is dropped only before another word: "As" alone stays a name.
    return [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))]


def normalize_name(text: str) -> str:
    """The folded key a place name is indexed and looked up under."""
    return "".join(name_words(text))


# Words that make a name a first-level region: "Idlib province", "the Donetsk
# region", "Shan State", "Governorate of Idlib".
REGION_WORDS = frozenset(
    {"province", "governorate", "oblast", "region", "state", "district", "division", "territory"}
)


def region_key(text: str) -> str | None:
    """The folded name without its region word, or None when the text has none:
    "Idlib province" -> "idlib", "Province of Idlib" -> "idlib", "Idlib" -> None."""
    words = name_words(text)
    if len(words) >= 2 and words[-1] in REGION_WORDS:
        return "".join(words[:-1])
    if len(words) >= 3 and words[0] in REGION_WORDS and words[1] == "of":
        return "".join(words[2:])
    return None


# Ayn and hamza marks, and apostrophes, inside a transliterated name; the one
# between a small and a capital letter is a French or Italian elision ("d’Ivoire").
_TRANSLIT_MARKS = re.compile(r"['’‘`ʿʾʼʻ´]")
_ELISION = re.compile(r"(?<=[a-z])['’‘`ʿʾʼʻ´](?=[A-Z])")


@functools.lru_cache(maxsize=65_536)
def display_name(name: str) -> str:
    """The ASCII name users see for a GeoNames name.

    Combining marks and the ayn/hamza marks go ("Ḩamāh" -> "Hamah", "Dar‘ā" ->
    "Dara", "Ţarţūs" -> "Tartus", "‘Afrīn" -> "Afrin"); an elision keeps a plain
    apostrophe ("Côte d’Ivoire" -> "Cote d'Ivoire"). An ASCII name is returned
    unchanged, and a letter with no Latin spelling is kept rather than lost.
    """
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = "".join(
        "'" if _ELISION.match(bare, k) else "" if _TRANSLIT_MARKS.match(c) else c for k, c in enumerate(bare)
    )
    return unicodedata.normalize("NFC", bare).strip() or name


def skeleton(key: str) -> str:
    """Consonant outline of a folded key: transliterations differ mostly in vowels
    (Zakyah / Zakiyah, Mogoke / Mogok), rarely in consonants."""
    if not key:
        return ""
    if key.endswith("h") and len(key) > 3 and key[-2] in "aeiou":
        key = key[:-1]  # Arabic feminine ending: -a / -ah
    outline = key[0] + _VOWELS.sub("", key[1:])
    return _DOUBLE.sub(r"\1", outline)


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One gazetteer entry; ``id`` is ``geonames:<n>``, ``country:<ISO2>``,
    ``admin1:<ISO2>.<code>`` for a first-level region or ``region:<ISO2>.<slug>``
    for a group of them ("Darfur"). A region's ``admin1`` is its own code (None
    for a group); its ``population`` is the sum over its cities in cities500.

    ``name`` is the GeoNames name as the data spells it (with diacritics); the
    wire ``Place.name`` is its ASCII ``display_name``."""

    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    feature: str = "PPL"
    admin1: str | None = None

    @property
    def precision(self) -> str:
        if self.feature == COUNTRY:
            return "country"
        if self.feature == REGION:
            return "region"
        return "city"


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level region, or a well-known group of them, as a resolvable place.

    ``names`` (the name and its aliases) resolve alone inside the article's
    countries; ``qualified`` names only with a region word ("Red Sea state",
    "Karen State") or through ``Gazetteer.region`` — they are rivers, peoples or
    plain words on their own. ``members`` are the admin1 codes of a group;
    ``parent`` is the id of the group a region belongs to. A ``local`` region has
    generic names ("Centre", "East", "South West") and resolves only inside the
    article's countries, even with a region word."""

    record: PlaceRecord
    names: tuple[str, ...] = ()
    qualified: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    parent: str | None = None
    local: bool = False

    @property
    def admin1s(self) -> tuple[str, ...]:
        """The admin1 codes the region covers."""
        return (self.record.admin1,) if self.record.admin1 else self.members


class GazetteerIndex(Protocol):
    """Port to the place data. Keys are ``normalize_name`` forms."""

    def by_key(self, key: str) -> Sequence[PlaceRecord]: ...

    def by_skeleton(self, outline: str) -> Sequence[tuple[str, PlaceRecord]]:
        """(matched key, record) pairs whose key has this skeleton."""
        ...

    def country(self, iso2: str) -> PlaceRecord | None: ...

    def capital(self, iso2: str) -> PlaceRecord | None: ...

    def country_codes(self) -> Sequence[str]: ...

    def regions(self) -> Sequence[Region]:
        """Every region and group of regions (a few hundred: the gazetteer holds them in memory)."""
        ...


@dataclass
class InMemoryIndex:
    """A ``GazetteerIndex`` over records held in dicts: for tests and small data."""

    _keys: dict[str, list[PlaceRecord]] = field(default_factory=dict)
    _skeletons: dict[str, list[tuple[str, PlaceRecord]]] = field(default_factory=dict)
    _countries: dict[str, PlaceRecord] = field(default_factory=dict)
    _capitals: dict[str, PlaceRecord] = field(default_factory=dict)
    _regions: list[Region] = field(default_factory=list)

    def add_region(self, region: Region) -> None:
        self._regions.append(region)

    def regions(self) -> Sequence[Region]:
        return self._regions

    def add(self, record: PlaceRecord, names: Iterable[str] = ()) -> None:
        keys = {normalize_name(n) for n in (record.name, *names)} - {""}
        for key in keys:
            self._keys.setdefault(key, []).append(record)
            self._skeletons.setdefault(skeleton(key), []).append((key, record))
        if record.feature == COUNTRY and record.country:
            self._countries[record.country] = record
        elif record.feature == CAPITAL and record.country:
            self._capitals[record.country] = record

    def by_key(self, key: str) -> Sequence[PlaceRecord]:
        return self._keys.get(key, ())

    def by_skeleton(self, outline: str) -> Sequence[tuple[str, PlaceRecord]]:
        return self._skeletons.get(outline, ())

    def country(self, iso2: str) -> PlaceRecord | None:
        return self._countries.get(iso2)

    def capital(self, iso2: str) -> PlaceRecord | None:
        return self._capitals.get(iso2)

    def country_codes(self) -> Sequence[str]:
        return sorted(self._countries)


@dataclass(frozen=True, slots=True)
class Resolution:
    record: PlaceRecord
    exact: bool  # False when reached through the skeleton


# Below this population a place outside the article's countries is not trusted:
# every common word is the name of some hamlet somewhere.
_FOREIGN_MIN_POPULATION = 100_000
_SKELETON_MIN_RATIO = 0.8


class Gazetteer:
    """Resolves place names against a ``GazetteerIndex`` with country context."""

    def __init__(
        self,
        index: GazetteerIndex,
        country_names: Mapping[str, Sequence[str]] | None = None,
        extra_places: Sequence[ExtraPlace] = EXTRA_PLACES,
        extra_names: Mapping[str, tuple[str, str]] = EXTRA_NAMES,
    ) -> None:
        self._index = index
        # Towns cities500 lacks and spellings it does not list (``domain.supplement``).
        self._extra: dict[str, list[PlaceRecord]] = {}
        self._extra_skeletons: dict[str, list[tuple[str, PlaceRecord]]] = {}
        for extra in extra_places:
            record = PlaceRecord(
                id=f"place:{extra.country}.{extra.slug}",
                name=extra.name,
                country=extra.country,
                lat=extra.lat,
                lon=extra.lon,
                population=extra.population,
                admin1=extra.admin1,
            )
            for key in {normalize_name(n) for n in (extra.name, *extra.aliases)} - {""}:
                self._extra.setdefault(key, []).append(record)
                self._extra_skeletons.setdefault(skeleton(key), []).append((key, record))
        self._extra_names = {
            normalize_name(spelling): (normalize_name(name), iso2)
            for spelling, (name, iso2) in extra_names.items()
        }
        # Extra names of countries (aliases, short forms) beyond the index's own.
        self._country_alias: dict[str, str] = {}
        for iso2, names in (country_names or {}).items():
            for name in names:
                self._country_alias[normalize_name(name)] = iso2
        self._memo: dict[str, tuple[PlaceRecord, ...]] = {}
        # Articles repeat the same names under the same context: remember answers.
        self._resolved: dict[tuple[str, tuple[str, ...], bool, tuple[str, ...]], Resolution | None] = {}
        self._country_memo: dict[str, str | None] = {}
        # Near spellings of a key, whatever the article's countries: the context
        # only filters them, so the index and difflib are asked once per key.
        self._near_memo: dict[str, tuple[tuple[float, PlaceRecord], ...]] = {}
        self._region_tables: _RegionTables | None = None

    # -- regions ---------------------------------------------------------------------

    @property
    def _regions(self) -> _RegionTables:
        """The region tables, built from the index on first use."""
        if self._region_tables is None:
            self._region_tables = _RegionTables(self._index.regions())
        return self._region_tables

    def region(self, name: str, country: str | Sequence[str] | None = None) -> Place | None:
        """The region a name denotes, with or without its region word: "Idlib",
        "Idlib province", "the Donetsk region", "Red Sea", "Darfur".

        For a caller that already knows the words name a region (the parser, on
        "X province"): qualified names count, and no city competes. ``country``
        (an ISO2 or the article's countries, most relevant first) is preferred, not
        required: "Kursk region" in a Ukrainian article is Russia's.
        """
        countries = (country,) if isinstance(country, str) else tuple(country or ())
        key = region_key(name) or normalize_name(name)
        found = self._best_region(key, countries, bare_only=False)
        if found is None and countries and len(key) >= 5:
            found = self._near_region(key, countries)
        return None if found is None else to_place(found.record, name)

    def region_of(self, place: Place) -> Place | None:
        """The first-level region a city lies in, from its admin1 code (None when
        the data has no region for it)."""
        if place.country is None or place.admin1 is None or place.precision == "region":
            return None
        found = self._regions.by_admin1.get((place.country, place.admin1))
        return None if found is None else to_place(found.record, found.record.name)

    def _best_region(self, key: str, countries: Sequence[str], *, bare_only: bool) -> Region | None:
        best: Region | None = None
        best_score = (-1, -1)
        for region, bare in self._regions.by_key.get(key, ()):
            country = region.record.country
            if (bare_only and not bare) or ((bare_only or region.local) and country not in countries):
                continue
            score = (_context_rank(country, countries), region.record.population)
            if score > best_score:
                best, best_score = region, score
        return best

    def _near_region(self, key: str, countries: Sequence[str]) -> Region | None:
        best: Region | None = None
        best_ratio = _SKELETON_MIN_RATIO
        for other, region in self._regions.by_skeleton.get(skeleton(key), ()):
            if region.record.country not in countries:
                continue
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if ratio > best_ratio:
                best, best_ratio = region, ratio
        return best

    def _context_admin1s(self, regions: Sequence[str]) -> frozenset[tuple[str, str]]:
        """(country, admin1) pairs covered by the region ids an article names."""
        out: set[tuple[str, str]] = set()
        for region_id in regions:
            region = self._regions.by_id.get(region_id)
            if region is not None and region.record.country:
                out.update((region.record.country, code) for code in region.admin1s)
        return frozenset(out)

    # -- names ----------------------------------------------------------------------

    def candidates(self, text: str) -> tuple[PlaceRecord, ...]:
        """Every record the text may denote: the country, cities, and regions (by a
        name that stands alone, or by any name when the text has a region word)."""
        regions = self._region_candidates(text)
        cities = self._candidates(normalize_name(text))
        return cities + tuple(r for r in regions if r not in cities)

    def _region_candidates(self, text: str) -> list[PlaceRecord]:
        stripped = region_key(text)
        if stripped is not None:
            return [region.record for region, _ in self._regions.by_key.get(stripped, ())]
        entries = self._regions.by_key.get(normalize_name(text), ())
        return [region.record for region, bare in entries if bare]

    def _candidates(self, key: str) -> tuple[PlaceRecord, ...]:
        """The country and the cities a folded name denotes."""
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        found: list[PlaceRecord] = []
        iso2 = self._country_alias.get(key)
        if iso2:
            country = self._index.country(iso2)
            if country:
                found.append(country)
        found.extend(r for r in self._index.by_key(key) if r not in found)
        found.extend(r for r in self._extra.get(key, ()) if r not in found)
        if key in self._extra_names:
            own_key, iso2 = self._extra_names[key]
            found.extend(r for r in self._index.by_key(own_key) if r.country == iso2 and r not in found)
        result = tuple(found)
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[key] = result
        return result

    def country_of_name(self, text: str) -> str | None:
        """ISO2 when the text names a country ("Syria", "DR Congo")."""
        if text in self._country_memo:
            return self._country_memo[text]
        found = self._country_alias.get(normalize_name(text))
        if len(self._country_memo) > 100_000:
            self._country_memo.clear()
        self._country_memo[text] = found
        return found

    def resolve(
        self,
        text: str,
        countries: Sequence[str] = (),
        *,
        cued: bool = False,
        regions: Sequence[str] = (),
    ) -> Resolution | None:
        """Best record for a mention, or None.

        ``countries`` is the article's context, most relevant first. ``cued`` says
        the grammar already marks the words as a place ("the town of X"), which
        lets small places and near-spellings through. ``regions`` are the ids of
        the regions the article has named so far (``admin1:SY.12``,
        ``region:SD.darfur``): a city inside one of them beats its namesakes
        elsewhere, unless a namesake is far bigger.
        """
        memo_key = (text, tuple(countries), cued, tuple(regions))
        if memo_key in self._resolved:
            return self._resolved[memo_key]
        if len(self._resolved) > 200_000:
            self._resolved.clear()
        result = self._resolve(text, countries, cued, regions)
        self._resolved[memo_key] = result
        return result

    def _resolve(
        self, text: str, countries: Sequence[str], cued: bool, regions: Sequence[str]
    ) -> Resolution | None:
        key = normalize_name(text)
        if len(key) < 2:
            return None
        stripped = region_key(text)
        if stripped:
            # "Idlib province": the region, whatever cities share its name.
            found = self._best_region(stripped, countries, bare_only=False)
            if found is not None:
                return Resolution(found.record, exact=True)
            if countries and len(stripped) >= 5:
                near_region = self._near_region(stripped, countries)
                if near_region is not None:
                    return Resolution(near_region.record, exact=False)
        in_regions = self._context_admin1s(regions) if regions else frozenset()
        best = self._rank(self._candidates(key), countries, cued, in_regions, key)
        region = self._best_region(key, countries, bare_only=True)
        if region is not None and (best is None or _region_beats(region.record, best, countries, in_regions)):
            return Resolution(region.record, exact=True)
        if best is not None:
            return Resolution(best, exact=True)
        if countries and len(key) >= 5:
            near = self._near(key, countries)
            if near is not None:
                return Resolution(near, exact=False)
        return None

    def _rank(
        self,
        records: Sequence[PlaceRecord],
        countries: Sequence[str],
        cued: bool,
        in_regions: frozenset[tuple[str, str]] = frozenset(),
        key: str = "",
    ) -> PlaceRecord | None:
        best: PlaceRecord | None = None
        best_score = -math.inf
        for record in records:
            in_region = bool(in_regions) and (record.country or "", record.admin1 or "") in in_regions
            in_context = in_region or record.country in countries
            small = record.population < _FOREIGN_MIN_POPULATION and record.feature != CAPITAL
            if record.feature != COUNTRY and not in_context and not cued and small:
                continue
            if record.feature != COUNTRY and not in_context and len(key) <= 4 and not _own_name(record, key):
                # "Ber" in Mali is not Berlin, whose codes and short forms GeoNames
                # lists, nor "Boni" Bonn, whose name in some language it is.
                continue
            score = math.log10(record.population + 10) + _FEATURE_RANK.get(record.feature, 0.0)
            if key:
                # Between namesakes of like size, the one whose own name it is (or
                # starts like it) beats one that only lists it among its alternates
                # ("Sloviansk" is Slovyansk, not Nikopol, whose data lists it too).
                own = _folded_name(record.name)
                near = abs(len(own) - len(key)) <= 1 and own[:3] == key[:3] and own[-2:] == key[-2:]
                score += _OWN_NAME_BONUS if own == key else _OWN_NAME_BONUS / 2 if near else 0.0
            if in_region:
                # Inside a region the article names: beats namesakes in the article's
                # own country unless they are ten thousand times bigger.
                score += 10.0 + _REGION_CONTEXT_BONUS
            elif in_context:
                # The first context country is the article's own: a small town
                # there beats a big namesake next door.
                score += 10.0 if record.country == countries[0] else 6.0
            if score > best_score:
                best, best_score = record, score
        return best

    def _near(self, key: str, countries: Sequence[str]) -> PlaceRecord | None:
        best: PlaceRecord | None = None
        best_ratio = _SKELETON_MIN_RATIO
        for ratio, record in self._near_spellings(key):
            if record.country not in countries:
                continue
            if ratio > best_ratio or (ratio == best_ratio and best and record.population > best.population):
                best, best_ratio = record, ratio
        return best

    def _near_spellings(self, key: str) -> tuple[tuple[float, PlaceRecord], ...]:
        """The places whose names are spelled close to ``key`` (same skeleton,
        difflib ratio at least the threshold), in index order."""
        found = self._near_memo.get(key)
        if found is None:
            outline = skeleton(key)
            found = tuple(
                (ratio, record)
                for other, record in [
                    *self._index.by_skeleton(outline),
                    *self._extra_skeletons.get(outline, ()),
                ]
                if record.feature not in (COUNTRY, REGION)
                and (ratio := difflib.SequenceMatcher(None, key, other).ratio()) >= _SKELETON_MIN_RATIO
            )
            if len(self._near_memo) > 100_000:
                self._near_memo.clear()
            self._near_memo[key] = found
        return found

    def place(self, resolution: Resolution | None, text: str, country: str | None = None) -> Place:
        """The wire ``Place`` for a mention; an unresolved one keeps its text and no id."""
        if resolution is None:
            return Place(id=None, name=text, text=text, country=country, precision="unknown")
        return to_place(resolution.record, text)

    def lookup(
        self,
        text: str,
        countries: Sequence[str] = (),
        *,
        cued: bool = False,
        regions: Sequence[str] = (),
    ) -> Place | None:
        resolution = self.resolve(text, countries, cued=cued, regions=regions)
        return None if resolution is None else to_place(resolution.record, text)

    def country(self, iso2: str) -> Place | None:
        record = self._index.country(iso2)
        return None if record is None else to_place(record, record.name)

    def country_codes(self) -> Sequence[str]:
        return self._index.country_codes()

    def capital_of(self, iso2: str) -> Place | None:
        record = self._index.capital(iso2)
        return None if record is None else to_place(record, record.name)


_REGION_CONTEXT_BONUS = 4.0
_OWN_NAME_BONUS = 0.3


@functools.lru_cache(maxsize=65_536)
def _folded_name(name: str) -> str:
    return normalize_name(name)


def _own_name(record: PlaceRecord, key: str) -> bool:
    """True when the key is the record's own name, not one of its alternates."""
    return _folded_name(record.name) == key


def _context_rank(country: str | None, countries: Sequence[str]) -> int:
    if not countries or country not in countries:
        return 0
    return 2 if country == countries[0] else 1


def _region_beats(
    region: PlaceRecord,
    city: PlaceRecord,
    countries: Sequence[str],
    in_regions: frozenset[tuple[str, str]],
) -> bool:
    """Whether a bare name's region beats the best city or country of that name.

    Cities win in their own country ("Idlib", "Donetsk", "Kassala"), and a
    country always wins; a region wins over a namesake outside the article's
    countries, or in a less relevant one ("Shan" in a Myanmar article is the
    state, not a Chinese city that lists "Shan" among its names)."""
    if city.feature == COUNTRY or city.country == region.country:
        return False
    if (city.country or "", city.admin1 or "") in in_regions:
        return False
    return _context_rank(region.country, countries) > _context_rank(city.country, countries)


class _RegionTables:
    """A gazetteer's regions by folded name, skeleton, id and admin1 code."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self.by_key: dict[str, list[tuple[Region, bool]]] = {}
        self.by_skeleton: dict[str, list[tuple[str, Region]]] = {}
        self.by_id: dict[str, Region] = {}
        self.by_admin1: dict[tuple[str, str], Region] = {}
        for region in regions:
            record = region.record
            self.by_id[record.id] = region
            if record.country and record.admin1:
                self.by_admin1[(record.country, record.admin1)] = region
            keys: dict[str, bool] = {}
            for name in (*region.qualified, record.name, *region.names):
                key = normalize_name(name)
                if key:
                    # The record's own name stands alone unless listed as qualified only.
                    keys[key] = (
                        keys.get(key, False)
                        or name in region.names
                        or (name == record.name and name not in region.qualified)
                    )
            for key, bare in keys.items():
                self.by_key.setdefault(key, []).append((region, bare))
                self.by_skeleton.setdefault(skeleton(key), []).append((key, region))


def to_place(record: PlaceRecord, text: str) -> Place:
    precision = record.precision
    return Place(
        id=record.id,
        name=display_name(record.name),
        text=text,
        lat=record.lat,
        lon=record.lon,
        country=record.country,
        precision="country" if precision == "country" else "region" if precision == "region" else "city",
        admin1=record.admin1,
        is_capital=record.feature == CAPITAL,
    )
