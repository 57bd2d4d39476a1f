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


def normalize_name(text: str) -> str:
    """The folded key a place name is indexed and looked up under."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = _WORD.findall(_APOSTROPHES.sub("", bare))
    # An article is dropped only before another word: "As" alone stays a name.
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))]
    return "".join(kept)


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
    """One gazetteer entry; ``id`` is ``geonames:<n>`` or ``country:<ISO2>``.

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


class GazetteerIndex(Protocol):
    """Port to the place data. Keys are ``normalize_name`` forms."""

    def by_key(self, key: str) -> Sequence[PlaceRecord]: ...

    def by_skeleton(self, outline: str) -> Sequence[tuple[str, PlaceRecord]]:
        """(matched key, record) pairs whose key has this skeleton."""
        ...

    def country(self, iso2: str) -> PlaceRecord | None: ...

    def capital(self, iso2: str) -> PlaceRecord | None: ...

    def country_codes(self) -> Sequence[str]: ...


@dataclass
class InMemoryIndex:
    """A ``GazetteerIndex`` over records held in dicts: for tests and small data."""

    _keys: dict[str, list[PlaceRecord]] = field(default_factory=dict)
    _skeletons: dict[str, list[tuple[str, PlaceRecord]]] = field(default_factory=dict)
    _countries: dict[str, PlaceRecord] = field(default_factory=dict)
    _capitals: dict[str, PlaceRecord] = field(default_factory=dict)

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
        self, index: GazetteerIndex, country_names: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._index = index
        # Extra names of countries (aliases, short forms) beyond the index's own.
        self._country_alias: dict[str, str] = {}
        for iso2, names in (country_names or {}).items():
            for name in names:
                self._country_alias[normalize_name(name)] = iso2
        self._memo: dict[str, tuple[PlaceRecord, ...]] = {}
        # Articles repeat the same names under the same context: remember answers.
        self._resolved: dict[tuple[str, tuple[str, ...], bool], Resolution | None] = {}
        self._country_memo: dict[str, str | None] = {}

    def candidates(self, text: str) -> tuple[PlaceRecord, ...]:
        key = normalize_name(text)
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

    def resolve(self, text: str, countries: Sequence[str] = (), *, cued: bool = False) -> Resolution | None:
        """Best record for a mention, or None.

        ``countries`` is the article's context, most relevant first. ``cued`` says
        the grammar already marks the words as a place ("the town of X"), which
        lets small places and near-spellings through.
        """
        memo_key = (text, tuple(countries), cued)
        if memo_key in self._resolved:
            return self._resolved[memo_key]
        if len(self._resolved) > 200_000:
            self._resolved.clear()
        result = self._resolve(text, countries, cued)
        self._resolved[memo_key] = result
        return result

    def _resolve(self, text: str, countries: Sequence[str], cued: bool) -> Resolution | None:
        key = normalize_name(text)
        if len(key) < 2:
            return None
        records = self.candidates(text)
        best = self._rank(records, countries, cued)
        if best is not None:
            return Resolution(best, exact=True)
        if countries and len(key) >= 5:
            near = self._near(key, countries)
            if near is not None:
                return Resolution(near, exact=False)
        return None

    def _rank(
        self, records: Sequence[PlaceRecord], countries: Sequence[str], cued: bool
    ) -> PlaceRecord | None:
        best: PlaceRecord | None = None
        best_score = -math.inf
        for record in records:
            in_context = record.country in countries
            small = record.population < _FOREIGN_MIN_POPULATION and record.feature != CAPITAL
            if record.feature != COUNTRY and not in_context and not cued and small:
                continue
            score = math.log10(record.population + 10) + _FEATURE_RANK.get(record.feature, 0.0)
            if in_context:
                # The first context country is the article's own: a small town
                # there beats a big namesake next door.
                score += 10.0 if record.country == countries[0] else 6.0
            if score > best_score:
                best, best_score = record, score
        return best

    def _near(self, key: str, countries: Sequence[str]) -> PlaceRecord | None:
        best: PlaceRecord | None = None
        best_ratio = _SKELETON_MIN_RATIO
        for other, record in self._index.by_skeleton(skeleton(key)):
            if record.country not in countries or record.feature == COUNTRY:
                continue
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if ratio > best_ratio or (ratio == best_ratio and best and record.population > best.population):
                best, best_ratio = record, ratio
        return best

    def place(self, resolution: Resolution | None, text: str, country: str | None = None) -> Place:
        """The wire ``Place`` for a mention; an unresolved one keeps its text and no id."""
        if resolution is None:
            return Place(id=None, name=text, text=text, country=country, precision="unknown")
        return to_place(resolution.record, text)

    def lookup(self, text: str, countries: Sequence[str] = (), *, cued: bool = False) -> Place | None:
        resolution = self.resolve(text, countries, cued=cued)
        return None if resolution is None else to_place(resolution.record, text)

    def country(self, iso2: str) -> Place | None:
        record = self._index.country(iso2)
        return None if record is None else to_place(record, record.name)

    def country_codes(self) -> Sequence[str]:
        return self._index.country_codes()

    def capital_of(self, iso2: str) -> Place | None:
        record = self._index.capital(iso2)
        return None if record is None else to_place(record, record.name)


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
