"""The actor registry: who fights whom, under which names, on which side.

Built from plain data (one JSON document per conflict, see docs/actors.md),
handed in already parsed so the domain does no I/O. Besides the parties it
knows the sources statements are attributed to (monitors, agencies, outlets)
and the generic words ("rebels", "government troops", "the junta") that stand
for a side of whichever conflict an article is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.errors import ReferenceDataError
from domain.tokens import word_key
from schemas.common import ActorRef, Source, SourceKind

ActorKind = str  # government, state, armed_group, militia, coalition, peacekeepers
_SOURCE_KINDS: frozenset[str] = frozenset(
    {"party", "government", "monitor", "news_agency", "outlet", "resident", "official", "unknown"}
)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    side: str | None
    country: str | None
    kind: ActorKind
    generic: bool = False
    aliases: tuple[str, ...] = ()
    conflict: str | None = None
    jihadist: bool = False  # what "the jihadists" can stand for (IS, JNIM, HTS)

    @property
    def is_state(self) -> bool:
        return self.kind in {"government", "state"}

    def ref(self, text: str | None, *, generic: bool = False) -> ActorRef:
        return ActorRef(
            id=self.id,
            name=self.name,
            text=text,
            side=self.side,
            country=self.country,
            generic=self.generic or generic,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    name: str
    countries: tuple[str, ...]
    governments: Mapping[str, str]  # ISO2 -> actor id
    opposition: str | None  # the generic actor standing for "the rebels"
    sides: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One way of naming an actor. ``role`` is set for the shared generic words
    ("government" / "opposition") that resolve per conflict instead."""

    actor: Actor | None
    generic: bool
    exact_case: str | None  # surface text required as written (acronyms)
    conflict: str | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class KnownSource:
    name: str
    kind: SourceKind
    aliases: tuple[str, ...] = ()


@dataclass
class ActorRegistry:
    conflicts: tuple[Conflict, ...]
    actors: tuple[Actor, ...]
    sources: tuple[KnownSource, ...]
    alias_index: dict[tuple[str, ...], list[AliasEntry]] = field(default_factory=dict)
    source_index: dict[tuple[str, ...], KnownSource] = field(default_factory=dict)
    source_nouns: dict[str, SourceKind] = field(default_factory=dict)
    max_alias_words: int = 1
    _by_id: dict[tuple[str | None, str], Actor] = field(default_factory=dict)
    _government_sides: dict[str, frozenset[str | None]] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_data(
        cls,
        conflicts: Iterable[Mapping[str, Any]],
        sources: Mapping[str, Any] | None = None,
    ) -> ActorRegistry:
        """Build from parsed JSON documents; raise ``ReferenceDataError`` with the
        offending file's conflict id when a document is malformed."""
        conflict_list: list[Conflict] = []
        actor_list: list[Actor] = []
        aliases: list[tuple[str, AliasEntry]] = []
        for doc in conflicts:
            conflict, actors, entries = _parse_conflict(doc)
            conflict_list.append(conflict)
            actor_list.extend(actors)
            aliases.extend(entries)
        source_list: list[KnownSource] = []
        nouns: dict[str, SourceKind] = {}
        if sources:
            source_list, nouns, shared = _parse_sources(sources)
            aliases.extend(shared)
        registry = cls(tuple(conflict_list), tuple(actor_list), tuple(source_list), source_nouns=nouns)
        for actor in actor_list:
            registry._by_id[(actor.conflict, actor.id)] = actor
            registry._by_id.setdefault((None, actor.id), actor)
        for text, entry in aliases:
            key = word_key(text)
            if key:
                registry.alias_index.setdefault(key, []).append(entry)
                registry.max_alias_words = max(registry.max_alias_words, len(key))
        for source in source_list:
            for name in (source.name, *source.aliases):
                key = word_key(name)
                if key:
                    registry.source_index[key] = source
                    registry.max_alias_words = max(registry.max_alias_words, len(key))
        return registry

    # -- queries ----------------------------------------------------------------

    def conflicts_for(self, countries: Sequence[str]) -> list[Conflict]:
        """Conflicts fought in the given countries, in the order of the countries."""
        found: list[Conflict] = []
        for iso2 in countries:
            for conflict in self.conflicts:
                if iso2 in conflict.countries and conflict not in found:
                    found.append(conflict)
        return found

    def actor(self, actor_id: str, conflict: str | None = None) -> Actor | None:
        return self._by_id.get((conflict, actor_id)) or self._by_id.get((None, actor_id))

    def government_of(self, iso2: str, conflict: Conflict | None = None) -> Actor | None:
        """The state actor of a country, as the given conflict sees it (Russia is
        an ally in Syria and the invader in Ukraine: same id, other side)."""
        conflicts = ([conflict] if conflict else []) + list(self.conflicts)
        for c in conflicts:
            actor_id = c.governments.get(iso2)
            if actor_id:
                return self.actor(actor_id, c.id)
        for c in conflicts:
            for actor in self.actors:
                if actor.conflict == c.id and actor.country == iso2 and actor.is_state:
                    return actor
        return None

    def opposition_of(self, conflict: Conflict) -> Actor | None:
        return self.actor(conflict.opposition, conflict.id) if conflict.opposition else None

    def opponent(self, actor: Actor, conflict: Conflict | None, country: str | None = None) -> Actor | None:
        """The party an actor fights in a conflict: the government for a rebel
        group (that of ``country``, the article's, when the war has several),
        the opposition for the government."""
        if conflict is None:
            return None
        government_sides = self._government_sides.get(conflict.id)
        if government_sides is None:
            # Asked for every event: worked out once per conflict.
            governments = [self.actor(g, conflict.id) for g in set(conflict.governments.values())]
            government_sides = frozenset(g.side for g in governments if g is not None)
            self._government_sides[conflict.id] = government_sides
        primary = conflict.governments.get(conflict.countries[0]) if conflict.countries else None
        if country is not None and country in conflict.countries:
            primary = conflict.governments.get(country, primary)
        if actor.side in government_sides:
            opposition = self.opposition_of(conflict)
            if opposition is None or opposition.side != actor.side:
                return opposition
            # A war between two states: the invader's opponent is the defending government.
        found = self.actor(primary, conflict.id) if primary else None
        return found if found is None or found.side != actor.side else None

    def government_sides(self) -> dict[str, str]:
        """ISO2 -> side id of that country's government, for the alert rules."""
        out: dict[str, str] = {}
        for conflict in self.conflicts:
            for iso2, actor_id in conflict.governments.items():
                actor = self.actor(actor_id, conflict.id)
                if actor and actor.side and iso2 in conflict.countries:
                    out.setdefault(iso2, actor.side)
        return out

    def source_kind_of_noun(self, word: str) -> SourceKind | None:
        return self.source_nouns.get(word)


def _require(doc: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in doc:
        raise ReferenceDataError(f"{where}: missing '{key}'")
    return doc[key]


def _parse_conflict(doc: Mapping[str, Any]) -> tuple[Conflict, list[Actor], list[tuple[str, AliasEntry]]]:
    cid = str(_require(doc, "conflict", "conflict file"))
    where = f"conflict '{cid}'"
    countries = tuple(str(c) for c in _require(doc, "countries", where))
    governments = {str(k): str(v) for k, v in dict(_require(doc, "governments", where)).items()}
    actors: list[Actor] = []
    entries: list[tuple[str, AliasEntry]] = []
    for raw in _require(doc, "actors", where):
        try:
            actor = Actor(
                id=str(raw["id"]),
                name=str(raw["name"]),
                side=raw.get("side"),
                country=raw.get("country"),
                kind=str(raw.get("kind", "armed_group")),
                generic=bool(raw.get("generic", False)),
                aliases=tuple(raw.get("aliases", ())),
                conflict=cid,
                jihadist=bool(raw.get("jihadist", False)),
            )
        except (KeyError, TypeError) as err:
            raise ReferenceDataError(f"{where}: malformed actor {raw!r}") from err
        actors.append(actor)
        for alias in (actor.name, *actor.aliases):
            entries.append((alias, AliasEntry(actor, actor.generic, _exact_case(alias), cid)))
        for ref in raw.get("references", ()):
            entries.append((str(ref), AliasEntry(actor, True, _exact_case(str(ref)), cid)))
    ids = {a.id for a in actors}
    for iso2, gov in governments.items():
        if gov not in ids:
            raise ReferenceDataError(
                f"{where}: government of {iso2} is '{gov}', which is not among its actors"
            )
    opposition = doc.get("opposition")
    if opposition is not None and opposition not in ids:
        raise ReferenceDataError(f"{where}: opposition '{opposition}' is not among its actors")
    conflict = Conflict(
        id=cid,
        name=str(doc.get("name", cid)),
        countries=countries,
        governments=governments,
        opposition=opposition,
        sides={str(k): str(v) for k, v in dict(doc.get("sides", {})).items()},
    )
    return conflict, actors, entries


def _parse_sources(
    doc: Mapping[str, Any],
) -> tuple[list[KnownSource], dict[str, SourceKind], list[tuple[str, AliasEntry]]]:
    sources: list[KnownSource] = []
    for raw in doc.get("sources", ()):
        kind = str(raw.get("kind", "unknown"))
        if kind not in _SOURCE_KINDS:
            raise ReferenceDataError(f"sources: unknown kind '{kind}' for {raw.get('name')!r}")
        sources.append(KnownSource(str(raw["name"]), kind, tuple(raw.get("aliases", ()))))  # type: ignore[arg-type]
    nouns: dict[str, SourceKind] = {}
    for noun, kind in dict(doc.get("nouns", {})).items():
        if kind not in _SOURCE_KINDS:
            raise ReferenceDataError(f"sources: unknown kind '{kind}' for noun {noun!r}")
        nouns[str(noun)] = kind
    shared: list[tuple[str, AliasEntry]] = []
    for role in ("government", "opposition"):
        for ref in doc.get("generic", {}).get(role, ()):
            shared.append((str(ref), AliasEntry(None, True, None, None, role=role)))
    return sources, nouns, shared


def _exact_case(alias: str) -> str | None:
    """Acronyms (HTS, RSF, AA) must appear as written: "aa" or "Rsf" in running
    text is not the actor."""
    letters = [c for c in alias if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(alias) <= 8:
        return alias
    return None


def source_of(known: KnownSource) -> Source:
    return Source(name=known.name, kind=known.kind)
