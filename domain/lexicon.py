"""Everything the parser looks names up in, arranged for looking up fast.

The reference data (gazetteer, actor registry, demonyms) comes in once per
process; every article then asks it the same kinds of questions many times per
sentence. This module keeps the tables that let most words be rejected with one
set lookup (which words can start an actor's name), and remembers answers that
do not depend on the article's text (what "Homs" is in an article about Syria,
what "regime forces" means in one about Syria and Turkey). The memories are
bounded, so a worker's memory does not grow with the number of articles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from domain.actors import Actor, ActorRegistry, KnownSource
from domain.gazetteer import Gazetteer
from domain.places import NOT_PLACES
from schemas.common import Place, Source

# Below this population a place is small: a namesake abroad needs more evidence.
WEAK_POPULATION = 100_000
STRONG_FEATURES = frozenset({"PPLC", "PCLI", "ADM1"})

# Entries per memory; past it the memory starts again from empty.
_MAX_REMEMBERED = 100_000

Name = tuple[str, ...]  # the folded words of a name, as ``domain.tokens.word_key`` gives them


class Lexicon:
    def __init__(
        self, gazetteer: Gazetteer, actors: ActorRegistry, demonyms: Mapping[str, str] | None = None
    ) -> None:
        self.gazetteer = gazetteer
        self.actors = actors
        # folded demonym -> ISO2 ("congolese" -> "CD")
        self.demonyms = {k.lower(): v for k, v in (demonyms or {}).items()}
        self.not_place_words = NOT_PLACES | frozenset(self.demonyms)

        names = (*actors.alias_index, *actors.source_index)
        # Every prefix of a registry name: a scan extends a candidate name one
        # word at a time and stops as soon as no name starts that way, instead
        # of trying every length up to the longest alias.
        self.name_prefixes = frozenset(key[:n] for key in names for n in range(1, len(key) + 1))
        # Which words can start a name: those that are a whole name, and pairs
        # of words that begin a longer one. Most words of a sentence ("the",
        # "is") fail this and are not looked at again.
        self.name_firsts = frozenset(key[0] for key in names)
        self.name_singles = frozenset(key[0] for key in names if len(key) == 1)
        self.name_pairs = frozenset(key[:2] for key in names if len(key) > 1)
        # What a registry name counts towards the article's countries: the
        # first country of the conflict of each named (not generic) actor it
        # can mean.
        # A group that fights across the borders of a war of several countries
        # (JNIM in Mali, Burkina Faso and Niger) counts for each of them: it
        # says which war, not which of its countries the article is about.
        first_country = {c.id: c.countries[0] for c in actors.conflicts if c.countries}
        all_countries = {c.id: tuple(c.countries) for c in actors.conflicts if c.countries}
        self.alias_votes: dict[Name, tuple[str, ...]] = {
            key: tuple(
                iso2
                for e in entries
                if e.actor and not e.generic and e.conflict and e.conflict in first_country
                for iso2 in ((first_country[e.conflict],) if e.actor.is_state else all_countries[e.conflict])
            )
            for key, entries in actors.alias_index.items()
            if entries
        }

        # Which actor a name means, for a name, its surface and the article's
        # conflicts (see ``domain.mentions``).
        self.choices: dict[tuple[Name, str, tuple[str, ...]], tuple[Actor, bool] | None] = {}
        self._places: dict[tuple[str, tuple[str, ...], bool], Place | None] = {}
        # Keys of ``_places`` whose answer is weak evidence abroad: a near spelling,
        # or a small place (not a capital, region or country).
        self._weak: set[tuple[str, tuple[str, ...], bool]] = set()
        self._near: set[tuple[str, tuple[str, ...], bool]] = set()  # near spellings among them
        self._regions: dict[tuple[str, tuple[str, ...]], Place | None] = {}
        self.countries: dict[str, str | None] = {}
        self._sources: dict[KnownSource, Source] = {}

    def place(self, text: str, countries: tuple[str, ...], *, cued: bool) -> Place | None:
        """The place a name stands for in an article about ``countries``.

        Names and contexts repeat from article to article, and building the
        ``Place`` costs more than the (memoized) gazetteer query: both are
        remembered."""
        key = (text, countries, cued)
        places = self._places
        if key in places:
            return places[key]
        resolution = self.gazetteer.resolve(text, countries, cued=cued)
        place = None if resolution is None else self.gazetteer.place(resolution, text)
        if resolution is not None:
            record = resolution.record
            if not resolution.exact or (
                record.population < WEAK_POPULATION and record.feature not in STRONG_FEATURES
            ):
                if len(self._weak) >= _MAX_REMEMBERED:
                    self._weak.clear()
                    self._near.clear()
                self._weak.add(key)
                if not resolution.exact:
                    self._near.add(key)
        remember(places, key, place)
        return place

    def weak_place(self, text: str, countries: tuple[str, ...], *, cued: bool) -> bool:
        """True when ``place`` resolved the name only to a near spelling or to a
        small place: too little to believe it lies outside the war's theatre."""
        return (text, countries, cued) in self._weak

    def near_spelling(self, text: str, countries: tuple[str, ...], *, cued: bool) -> bool:
        """True when ``place`` resolved the name only through a near spelling."""
        return (text, countries, cued) in self._near

    def region(self, text: str, countries: tuple[str, ...]) -> Place | None:
        """The first-level region a name with its region word denotes ("Kharkiv
        region", "Idlib province"), for an article about ``countries``."""
        key = (text, countries)
        regions = self._regions
        if key in regions:
            return regions[key]
        place = self.gazetteer.region(text, countries)
        remember(regions, key, place)
        return place

    def country_of_name(self, text: str) -> str | None:
        """ISO2 when the word names a country; asked for every capitalised word."""
        if text in self.countries:
            return self.countries[text]
        iso2 = self.gazetteer.country_of_name(text)
        remember(self.countries, text, iso2)
        return iso2

    def source(self, known: KnownSource) -> Source:
        source = self._sources.get(known)
        if source is None:
            source = self._sources[known] = Source(name=known.name, kind=known.kind)
        return source


K = TypeVar("K")
V = TypeVar("V")


def remember(memory: dict[K, V], key: K, value: V) -> None:
    if len(memory) >= _MAX_REMEMBERED:
        memory.clear()
    memory[key] = value
