"""The article parser: English news prose in, ``SituationEvent``s out.

A rule-based reader, sentence by sentence:

1. find the actors (registry aliases, aliases the article defines itself,
   generic words mapped to a side), the sources, the places (gazetteer, with
   the article's country context) and the time and distance expressions;
2. find the action phrases (``domain.actions``) and, by the shape of each,
   attach its place and its actor;
3. drop what the sentence does not assert: conditionals, modals, intentions,
   negations, questions, what a denial denies;
4. qualify the rest with who says so (stance, attribution) and when.

After the last sentence a party's claim that the article shows disputed by the
other side is kept only as a claim (``claimed_control``).

Pure: no I/O, no clock; the reference time comes in with the call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain import actions as A
from domain.actions import word_set
from domain.actors import Actor, ActorRegistry, AliasEntry, Conflict
from domain.distance import DistanceMention, find_distances
from domain.gazetteer import Gazetteer, normalize_name
from domain.ids import article_id as content_article_id
from domain.ids import event_id, place_key
from domain.sentences import Sentence, split_sentences
from domain.timeexpr import article_day, find_times
from domain.tokens import Token, tokenize, word_key
from schemas.article import Article
from schemas.common import ActorRef, Place, Source, SourceKind, TimeSpan, ensure_aware
from schemas.event import Distance, Evidence, SituationEvent

# Nouns that name a settlement or a facility in "the town of X", "the X camp".
SETTLEMENT_NOUNS = word_set(
    """
    city town village hub settlement locality capital port suburb district enclave stronghold hamlet
    municipality outpost crossing area neighbourhood neighborhood junction centre center
    """
)
REGION_NOUNS = word_set(
    """
    region province state governorate oblast county territory division
    """
)
FACILITY_NOUNS = word_set(
    """
    airport base camp plant headquarters barracks garrison checkpoint bridge dam airbase airfield compound
    prison palace hospital refinery mine station port centre center market streets outskirts positions
    position post
    """
)
ANAPHOR_HEADS = word_set(
    """
    city town village capital port enclave hub settlement airport base camp plant headquarters barracks
    garrison airbase airfield compound palace
    """
)
# Words that introduce a new referent rather than point back: "the last village",
# "the next town", "the nearby city".
NEW_REFERENT = word_set(
    """
    last first next nearby neighbouring neighboring other another same second third few several many some
    smaller small new only main rebel army military
    """
)
ANAPHOR_STOP = word_set(
    """
    of and or to on in at the a an by for from with into near as that which who its their his her whole
    entire
    """
)
PLACE_CUE_NOUNS = SETTLEMENT_NOUNS | REGION_NOUNS | FACILITY_NOUNS
PLACE_PREPOSITIONS = word_set(
    """
    near in into outside around from at towards toward of entered captured seized took retook recaptured
    overran on
    """
)
ARTICLE_PREFIXES = word_set(
    """
    al el ad ar as at az ez ash an ed es adh ath
    """
)
NAME_CONNECTORS = word_set(
    """
    of de du la le des del al el ez es as ad az ar an at ash bin ibn abu wad umm um dar ban
    """
)
COMPOUND_SUFFIXES = word_set(
    """
    backed led based allied aligned linked run supported dominated affiliated born style era made funded
    armed trained owned speaking bound
    """
)
HELD_SUFFIXES = frozenset({"held", "controlled", "occupied"})
TITLES = word_set(
    """
    president general gen mr mrs ms dr minister commander spokesman spokeswoman spokesperson colonel col lt
    major captain leader chief prime senior sheikh emir king prince pope secretary envoy lieutenant sergeant
    brigadier marshal admiral ambassador governor mayor dictator ally sen rep st
    """
)
NOT_PLACES = word_set(
    """
    the a an but and or in on at it its it's this that these those since after before meanwhile further
    another yesterday today earlier later inside ahead hours satellite footage analysts residents while when
    where if however although as with from by for to of we they he she our their his her there here some
    many most more several both all one two three islamist islamic muslim christian kurdish arab sunni shia
    shiite alawite druze jihadist state army forces government military rebels rebel police national
    liberation front operation operations room command ministry defence defense council mission group
    alliance movement party union office news agency observatory human rights civil war north south east
    west northern southern eastern western central new old great upper lower city town village region
    province air base naval airport january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday getty reuters afp ap epa
    images photo video caption un us eu nato kremlin pentagon white house mediterranean red sea river lake
    mount valley desert coast border countryside centre center parliament court general president minister
    senior spokesman officials official authorities witnesses statement sources military's according
    saturday's friday's anti pro brotherhood global world international democratic republic people peoples
    popular african corps support rapid special revolutionary guard guards federal security troops fighters
    militants militia jihadists insurgents thousands hundreds dozens
    """
)
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our"})
SUBJECT_PRONOUNS = frozenset({"it", "they", "we"})
FORCE_NOUNS = word_set(
    """
    forces troops fighters units soldiers men militants army military brigades battalions positions vessels
    ships commanders rebels
    """
)
DEFINITE_GROUP_NOUNS = {
    "group": "",
    "alliance": "alliance",
    "movement": "movement",
    "militia": "",
    "organisation": "",
    "organization": "",
    "coalition": "alliance",
    "faction": "",
}
DENIAL_OBJECT_NOUNS = word_set(
    """
    claim claims report reports reported allegation allegations accusation accusations rumours rumors
    statement
    """
)
ATTACK_ACTIONS = frozenset({"attacked"})
CLAUSE_OPENERS = word_set("but and because after since while as when although though")
NATURAL_FEATURES = word_set(
    """
    river lake mountains mountain hills valley sea desert basin delta gulf bay plain plateau strait canal
    forest countryside
    """
)
# Words that may follow the verb of a closing attribution: ", the army said on Saturday."
TAIL_WORDS = word_set(
    """
    on in a statement late early monday tuesday wednesday thursday friday saturday sunday morning evening
    night afternoon yesterday today the that told reporters agency news afp reuters ap
    """
)


@dataclass(slots=True)
class Mention:
    kind: str  # actor, pronoun, definite, source, place, anaphor
    start: int  # token indices [start, end)
    end: int
    text: str
    actor: Actor | None = None
    generic: bool = False
    place: Place | None = None
    head: str | None = None
    source: Source | None = None
    destination: bool = False  # place after "to"/"towards": where someone goes, not what they take
    reference: bool = False  # place a distance is measured from


@dataclass(slots=True)
class Speaker:
    verb: int  # token index of the speech verb
    source: Source
    actor: Actor | None
    final: bool  # ", the army said." at the end of the sentence


@dataclass(slots=True)
class Draft:
    """An event before ids and confidence are fixed."""

    sentence: Sentence
    trigger_at: int
    action: str
    place: Place
    actor: ActorRef
    actor_obj: Actor | None
    counterpart: ActorRef | None
    stance: str
    source: Source | None
    when: TimeSpan
    distance: Distance | None = None


@dataclass
class _Context:
    countries: list[str]
    conflict: Conflict | None
    conflicts: list[Conflict]
    learned: dict[tuple[str, ...], Actor] = field(default_factory=dict)
    learned_first: set[str] = field(default_factory=set)
    qualifiers: dict[str, Actor] = field(default_factory=dict)
    place_history: list[tuple[Place, str | None]] = field(default_factory=list)
    actor_history: list[Actor] = field(default_factory=list)
    last_event_places: list[Place] = field(default_factory=list)
    claims: list[Draft] = field(default_factory=list)


def confidence(
    stance: str,
    source_kind: str | None,
    *,
    generic_actor: bool,
    caption: bool,
    resolved_place: bool,
) -> float:
    """How much to trust one event, from how it was said.

    Starts from the stance (the article's own statement 0.8, a third party's
    report 0.7, a party's claim about itself 0.5, a denial 0.5), moves by the
    kind of source (monitors and agencies +0.05, unnamed residents or sources
    -0.05), and drops 0.1 each for a generic actor ("rebels"), an image
    caption and a place the gazetteer could not resolve. Clamped to [0.05, 0.95].
    """
    value = {"asserted": 0.8, "reported": 0.7, "claimed": 0.5, "denied": 0.5}.get(stance, 0.5)
    value += {
        "monitor": 0.05,
        "news_agency": 0.05,
        "outlet": 0.0,
        "official": 0.0,
        "government": 0.0,
        "party": 0.0,
        "resident": -0.05,
        "unknown": -0.05,
    }.get(source_kind or "", 0.0)
    if generic_actor:
        value -= 0.1
    if caption:
        value -= 0.1
    if not resolved_place:
        value -= 0.1
    return round(min(0.95, max(0.05, value)), 3)


class ArticleParser:
    """Turns one ``Article`` into the control events it states."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        actors: ActorRegistry,
        parser_version: str,
        demonyms: Mapping[str, str] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.actors = actors
        self.parser_version = parser_version
        # folded demonym -> ISO2 ("congolese" -> "CD")
        self.demonyms = {k.lower(): v for k, v in (demonyms or {}).items()}
        self._alias_first = frozenset(k[0] for k in actors.alias_index)
        self._source_first = frozenset(k[0] for k in actors.source_index)

    # -- entry point -------------------------------------------------------------

    def parse(self, article: Article, reference_time: datetime) -> list[SituationEvent]:
        reference = ensure_aware(article.published_at or reference_time)
        text = article.text
        art_id = article.article_id or content_article_id(text)
        sentences = split_sentences(text)
        tokenized = [tokenize(s.text, s.start) for s in sentences]
        ctx = self._context(article, tokenized)
        drafts: list[Draft] = []
        for sentence, tokens in zip(sentences, tokenized, strict=True):
            drafts.extend(_SentenceReader(self, ctx, sentence, tokens, reference).read())
        return self._finish(art_id, drafts, reference, article)

    # -- article context -----------------------------------------------------------

    def _context(self, article: Article, tokenized: Sequence[list[Token]]) -> _Context:
        votes: dict[str, float] = {}
        if article.country_hint:
            votes[article.country_hint.upper()] = 1000.0
        index = self.actors.alias_index
        for tokens in tokenized:
            words = [t.norm for t in tokens if t.is_word]
            for i, word in enumerate(words):
                iso = self.demonyms.get(word)
                if iso:
                    votes[iso] = votes.get(iso, 0.0) + 1.0
                if word in self._alias_first:
                    for n in range(min(self.actors.max_alias_words, len(words) - i), 0, -1):
                        entries = index.get(tuple(words[i : i + n]))
                        if entries:
                            for entry in entries:
                                if entry.actor and not entry.generic and entry.conflict:
                                    for conflict in self.actors.conflicts:
                                        if conflict.id == entry.conflict and conflict.countries:
                                            iso2 = conflict.countries[0]
                                            votes[iso2] = votes.get(iso2, 0.0) + 0.5
                            break
            for tok in tokens:
                if tok.is_cap and tok.is_word:
                    iso = self.gazetteer.country_of_name(tok.text)
                    if iso:
                        votes[iso] = votes.get(iso, 0.0) + 1.0
        countries = [c for c, _ in sorted(votes.items(), key=lambda kv: -kv[1])]
        conflicts = self.actors.conflicts_for(countries)
        return _Context(
            countries=countries, conflict=conflicts[0] if conflicts else None, conflicts=conflicts
        )

    # -- after the last sentence -----------------------------------------------------

    def _finish(
        self, art_id: str, drafts: list[Draft], reference: datetime, article: Article
    ) -> list[SituationEvent]:
        denials: dict[str, list[Draft]] = {}
        for d in drafts:
            if d.action == "denied":
                denials.setdefault(normalize_name(d.place.name), []).append(d)
                denials.setdefault(place_key(d.place), []).append(d)
        events: list[SituationEvent] = []
        seen: set[str] = set()
        for d in drafts:
            if d.stance == "claimed" and d.action in A.TAKE_ACTIONS | {"holds"} and _disputed(d, denials):
                d.action = "claimed_control"
            key = place_key(d.place)
            eid = event_id(art_id, d.sentence.index, d.action, key, d.actor.id or d.actor.name)
            if eid in seen:
                continue
            seen.add(eid)
            events.append(
                SituationEvent(
                    event_id=eid,
                    article_id=art_id,
                    action=d.action,
                    place=d.place,
                    actor=d.actor,
                    counterpart=d.counterpart,
                    stance=d.stance,
                    attributed_to=d.source,
                    occurred_at=d.when,
                    published_at=article.published_at,
                    distance=d.distance,
                    confidence=confidence(
                        d.stance,
                        d.source.kind if d.source else None,
                        generic_actor=d.actor.generic,
                        caption=d.sentence.caption,
                        resolved_place=d.place.id is not None,
                    ),
                    evidence=Evidence(
                        sentence=d.sentence.text,
                        sentence_index=d.sentence.index,
                        char_start=d.sentence.start,
                        char_end=d.sentence.end,
                        caption=d.sentence.caption,
                    ),
                    parser_version=self.parser_version,
                )
            )
        return events


def _same_place(a: Place, b: Place) -> bool:
    return place_key(a) == place_key(b) or normalize_name(a.name) == normalize_name(b.name)


def _disputed(claim: Draft, denials: Mapping[str, list[Draft]]) -> bool:
    near = denials.get(place_key(claim.place), []) + denials.get(normalize_name(claim.place.name), [])
    for denial in near:
        if claim.actor.side and denial.actor.side and claim.actor.side == denial.actor.side:
            continue
        return True
    return False


class _SentenceReader:
    """Reads one sentence against the article's running context."""

    def __init__(
        self,
        parser: ArticleParser,
        ctx: _Context,
        sentence: Sentence,
        tokens: list[Token],
        reference: datetime,
    ) -> None:
        self.p = parser
        self.ctx = ctx
        self.sentence = sentence
        self.tokens = tokens
        self.reference = reference
        self.mentions: list[Mention] = []
        self.owner: list[int] = [-1] * len(tokens)  # token -> mention index
        self.norms = [t.norm for t in tokens]

    # -- driver ------------------------------------------------------------------------

    def read(self) -> list[Draft]:
        if not self.tokens:
            return []
        self._find_actors()
        self._learn_aliases()
        self._find_places()
        triggers = self._find_triggers()
        distances = self._find_distances()
        if not triggers and not distances:
            # Nothing happens here; the mentions above still feed the context.
            self._remember([])
            return []
        self._mark_destinations()
        times = [(self._token_at(m.start), m.span) for m in find_times(self.sentence.text, self.reference)]
        speakers = self._find_speakers()
        drafts: list[Draft] = []
        question = self.sentence.text.rstrip().endswith("?")
        denial_at: int | None = None
        for start, end, trig in triggers:
            if denial_at is not None and start > denial_at:
                break  # what follows a denial is what is denied
            if trig.shape == "deny":
                denial_at = start
                draft = self._denial(start, end, triggers, speakers, times, drafts)
                if draft:
                    drafts.append(draft)
                continue
            if question or self._irrealis(start, end, trig):
                continue
            drafts.extend(self._event(start, end, trig, speakers, times, distances, drafts))
        drafts.extend(self._distance_advances(distances, speakers, times, drafts))
        self._remember(drafts)
        return drafts

    # -- mentions: actors ---------------------------------------------------------------

    def _words(self) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.is_word]

    def _span_ok(self, a: int, b: int) -> bool:
        """Tokens a..b (inclusive) form one name: only hyphens, apostrophes, dots
        and slashes between the words."""
        return all(self.tokens[k].is_word or self.tokens[k].text in "-'’./" for k in range(a, b + 1))

    def _add(self, mention: Mention) -> None:
        if any(self.owner[k] >= 0 for k in range(mention.start, mention.end)):
            return
        self.mentions.append(mention)
        for k in range(mention.start, mention.end):
            self.owner[k] = len(self.mentions) - 1

    def _surface(self, a: int, b: int) -> str:
        return self.sentence.text[
            self.tokens[a].start - self.sentence.start : self.tokens[b - 1].end - self.sentence.start
        ]

    def _find_actors(self) -> None:
        reg = self.p.actors
        words = self._words()
        norms = [self.norms[i] for i in words]
        i = 0
        while i < len(words):
            found = None
            first = norms[i]
            known_first = first in self.p._alias_first or first in self.p._source_first
            if known_first or first in self.ctx.learned_first:
                for n in range(min(reg.max_alias_words, len(words) - i), 0, -1):
                    key = tuple(norms[i : i + n])
                    learned = self.ctx.learned.get(key)
                    source = reg.source_index.get(key)
                    entries = reg.alias_index.get(key)
                    if learned is None and source is None and not entries:
                        continue
                    if not self._span_ok(words[i], words[i + n - 1]):
                        continue
                    a, b = words[i], words[i + n - 1] + 1
                    surface = self._surface(a, b)
                    if learned is not None and (not _all_caps(surface) or surface.isupper()):
                        found = (n, Mention("actor", a, b, surface, actor=learned))
                        break
                    if entries:
                        choice = self._choose(entries, surface)
                        if choice is not None:
                            found = (n, Mention("actor", a, b, surface, actor=choice[0], generic=choice[1]))
                            break
                    if source is not None and (not _all_caps(surface) or surface == surface.upper()):
                        known = Source(name=source.name, kind=source.kind)
                        found = (n, Mention("source", a, b, surface, source=known))
                        break
            if found is None:
                i += 1
                continue
            n, mention = found
            if mention.generic and mention.start > 0 and self.norms[mention.start - 1] in POSSESSIVE_PRONOUNS:
                # "its troops" is the actor the pronoun stands for, not the army.
                mention = Mention(
                    "pronoun",
                    mention.start - 1,
                    mention.end,
                    self._surface(mention.start - 1, mention.end),
                    head=self.norms[mention.start - 1],
                )
                self._add(mention)
                i += n
                continue
            self._qualify(mention)
            if not self._merge_into_previous(mention):
                self._add(mention)
            i += n
        self._find_pronouns()

    def _merge_into_previous(self, m: Mention) -> bool:
        """ "HST rebels", "M23 rebels", "Russia's forces": a named actor followed by
        a generic noun is one mention of the named actor."""
        if not m.generic or not self.mentions:
            return False
        last = self.mentions[-1]
        if last.kind != "actor" or last.generic or last.actor is None:
            return False
        gap = m.start - last.end
        possessive = gap == 2 and self.tokens[last.end].text in "'’" and self.norms[last.end + 1] == "s"
        if gap != 0 and not possessive:
            return False
        for k in range(last.end, m.end):
            self.owner[k] = len(self.mentions) - 1
        last.end = m.end
        last.text = self._surface(last.start, last.end)
        return True

    def _choose(self, entries: Sequence[AliasEntry], surface: str) -> tuple[Actor, bool] | None:
        conflict = self.ctx.conflict
        ids = {c.id for c in self.ctx.conflicts}
        best: tuple[int, Actor, bool] | None = None
        for e in entries:
            if e.exact_case and surface.replace(" ", "") != e.exact_case.replace(" ", ""):
                continue
            if e.role:
                actor = self._role_actor(e.role)
                rank = 2
            elif e.conflict == (conflict.id if conflict else None):
                actor, rank = e.actor, 0
            elif e.conflict in ids:
                actor, rank = e.actor, 1
            elif not e.generic:
                actor, rank = e.actor, 3
            else:
                continue
            if actor is None:
                continue
            if best is None or rank < best[0]:
                best = (rank, actor, e.generic)
        return None if best is None else (best[1], best[2])

    def _role_actor(self, role: str, iso2: str | None = None) -> Actor | None:
        reg = self.p.actors
        conflict = self.ctx.conflict
        if iso2:
            found = reg.conflicts_for([iso2])
            conflict = found[0] if found else conflict
        if conflict is None:
            return None
        if role == "government":
            country = iso2 or (conflict.countries[0] if conflict.countries else None)
            return reg.government_of(country, conflict) if country else None
        return reg.opposition_of(conflict)

    def _qualify(self, m: Mention) -> None:
        """Sharpen a generic mention by the word before it: a demonym ("Russian
        forces"), a country's possessive ("Mali's army") or a qualifier the
        article defined ("southern rebels" = Southern Operations Room)."""
        if m.actor is None or not m.generic:
            return
        prev = m.start - 1
        if prev >= 0 and self.tokens[prev].text in "'’" and prev - 1 >= 0:
            prev -= 1
        if prev > 0 and self.norms[prev] == "s" and self.tokens[prev - 1].text in "'’":
            prev -= 2
        if prev < 0 or not self.tokens[prev].is_word:
            return
        word = self.norms[prev]
        qualified = self.ctx.qualifiers.get(word)
        if qualified is not None and m.actor.side == qualified.side:
            m.actor, m.generic, m.start = qualified, True, prev
            m.text = self._surface(prev, m.end)
            return
        iso2 = self.p.demonyms.get(word) or (
            self.p.gazetteer.country_of_name(self.tokens[prev].text) if self.tokens[prev].is_cap else None
        )
        if iso2 is None:
            return
        conflict = self.ctx.conflict
        is_government_word = conflict is not None and m.actor.id in conflict.governments.values()
        if is_government_word or m.actor.is_state:
            actor = self.p.actors.government_of(iso2, conflict)
        else:
            actor = self._role_actor("opposition", iso2)
        if actor is not None:
            m.actor, m.start = actor, prev
            m.text = self._surface(prev, m.end)

    def _find_pronouns(self) -> None:
        n = len(self.tokens)
        for i, tok in enumerate(self.tokens):
            if self.owner[i] >= 0 or not tok.is_word:
                continue
            norm = self.norms[i]
            if norm in POSSESSIVE_PRONOUNS and i + 1 < n and self.norms[i + 1] in FORCE_NOUNS:
                self._add(Mention("pronoun", i, i + 2, self._surface(i, i + 2), head=norm))
            elif norm in SUBJECT_PRONOUNS:
                if (
                    norm == "it"
                    and i + 1 < n
                    and self.norms[i + 1] in {"is", "was", "has", "had", "seems", "remains"}
                    and i + 2 < n
                    and self.norms[i + 2] in {"the", "a", "an", "not", "unclear", "clear", "been"}
                ):
                    continue  # "It was the first attack", "It is not yet clear"
                self._add(Mention("pronoun", i, i + 1, tok.text, head=norm))
            elif norm == "the" and i + 1 < n and self.norms[i + 1] in DEFINITE_GROUP_NOUNS:
                actor = self._recent_group(DEFINITE_GROUP_NOUNS[self.norms[i + 1]])
                if actor is not None:
                    self._add(Mention("actor", i, i + 2, self._surface(i, i + 2), actor=actor))

    def _recent_group(self, head: str) -> Actor | None:
        for actor in reversed(self.ctx.actor_history):
            if actor.generic or actor.is_state:
                continue
            if head and not actor.name.lower().rstrip(")").split("(")[0].strip().endswith(head):
                continue
            return actor
        return None

    # -- aliases the article defines ----------------------------------------------------

    def _learn_aliases(self) -> None:
        toks = self.tokens
        n = len(toks)
        for i, tok in enumerate(toks):
            # "Hayat Tahrir al-Sham (HST)": the bracketed short form names the
            # actor just before it, whatever the registry calls it.
            if tok.text == "(" and i + 2 < n and toks[i + 2].text == ")" and toks[i + 1].is_word:
                abbr = toks[i + 1].text
                if not (abbr[0].isupper() and 2 <= len(abbr) <= 10):
                    continue
                owner = self.owner[i - 1] if i > 0 else -1
                if owner >= 0 and self.mentions[owner].actor is not None:
                    actor = self.mentions[owner].actor
                    assert actor is not None
                    self._learn((abbr.lower(),), actor)
                elif owner < 0:
                    actor = self._adhoc_actor(i, abbr)
                    if actor is not None:
                        self._learn((abbr.lower(),), actor)
            # "southern rebels, who are known as the Southern Operations Room"
            if tok.norm == "known" and i + 1 < n and self.norms[i + 1] == "as":
                target = self._mention_after(i + 2, kinds=("actor",), limit=3)
                generic = self._mention_before(i, kinds=("actor",), limit=6)
                if target and generic and target.actor and generic.generic and not target.generic:
                    # Learn "<qualifier> <generic noun>" and the qualifier itself, so
                    # "southern rebels" also covers "southern militants".
                    q = generic.start - 1
                    if (
                        q >= 0
                        and self.tokens[q].is_word
                        and self.owner[q] < 0
                        and self.norms[q] not in ANAPHOR_STOP
                        and self.norms[q] not in {"but", "when", "while", "so", "then", "now"}
                    ):
                        qualifier = self.norms[q]
                        self._learn((qualifier, *word_key(generic.text)), target.actor)
                        self.ctx.qualifiers.setdefault(qualifier, target.actor)
                        generic.actor, generic.generic = target.actor, False

    def _learn(self, key: tuple[str, ...], actor: Actor) -> None:
        self.ctx.learned[key] = actor
        self.ctx.learned_first.add(key[0])

    def _adhoc_actor(self, paren: int, abbr: str) -> Actor | None:
        """An actor the registry does not know, defined in the text as
        "Long Name (ABBR)"; kept for this article only, without an id."""
        words: list[int] = []
        k = paren - 1
        while k >= 0 and len(words) < 8:
            t = self.tokens[k]
            if t.is_word and (t.is_cap or t.norm in NAME_CONNECTORS or t.norm in {"for", "and", "wal"}):
                words.append(k)
            elif t.text not in "-'’":
                break
            k -= 1
        if not words:
            return None
        name = self._surface(min(words), paren)
        initials = "".join(self.tokens[w].text[0] for w in sorted(words) if self.tokens[w].is_cap)
        if not initials or abbr[0].upper() != initials[0]:
            return None
        conflict = self.ctx.conflict
        return Actor(
            id="",
            name=name,
            side=None,
            country=self.ctx.countries[0] if self.ctx.countries else None,
            kind="armed_group",
            conflict=conflict.id if conflict else None,
        )

    # -- mentions: places ---------------------------------------------------------------

    def _cued(self, start: int) -> str | None:
        """The noun or preposition that marks the words at ``start`` as a place."""
        k = start - 1
        if k >= 0 and self.norms[k] in {"the"}:
            k -= 1
        if k >= 1 and self.norms[k] == "of" and self.norms[k - 1] in PLACE_CUE_NOUNS:
            return self.norms[k - 1]
        if k >= 0 and self.norms[k] in PLACE_PREPOSITIONS and self.norms[k] != "of":
            return self.norms[k]
        return None

    def _find_places(self) -> None:
        toks = self.tokens
        n = len(toks)
        countries = self.ctx.countries
        i = 0
        while i < n:
            if self.owner[i] >= 0 or not toks[i].is_word or not self._name_start(i):
                i += 1
                continue
            end = self._name_end(i)
            placed = False
            # Longest run of the name the gazetteer knows, from its left edge.
            for j in range(end, i, -1):
                if not toks[j - 1].is_word:
                    continue
                text = self._surface(i, j)
                if self._not_place(i, j) or self._natural_feature(i, j):
                    continue
                cue = self._cued(i)
                resolution = self.p.gazetteer.resolve(text, countries, cued=cue is not None)
                if resolution is None:
                    continue
                place = self.p.gazetteer.place(resolution, text)
                head = self._head_after(j) or (cue if cue in PLACE_CUE_NOUNS else None)
                self._add(Mention("place", i, j, text, place=place, head=head))
                i = j
                placed = True
                break
            if placed:
                continue
            cue = self._cued(i)
            post = self._head_after(end)
            if (cue or post) and not self._not_place(i, end) and (cue in PLACE_CUE_NOUNS or post or cue):
                text = self._surface(i, end)
                country = countries[0] if countries else None
                place = Place(id=None, name=text, text=text, country=country, precision="unknown")
                self._add(
                    Mention(
                        "place",
                        i,
                        end,
                        text,
                        place=place,
                        head=post or (cue if cue in PLACE_CUE_NOUNS else None),
                    )
                )
            i = end
        self._metonymy()
        self._find_anaphors()

    def _metonymy(self) -> None:
        """ "Moscow said", "Kyiv dismissed": a capital or country that speaks or
        denies is its government, not a place."""
        for m in self.mentions:
            if (
                m.kind != "place"
                or m.place is None
                or not (m.place.is_capital or m.place.precision == "country")
            ):
                continue
            if m.end < len(self.tokens) and (
                self.norms[m.end] in A.SPEECH_WORDS
                or self.norms[m.end]
                in {"denied", "dismissed", "rejected", "insisted", "warned", "accused", "responded"}
            ):
                gov = self.p.actors.government_of(m.place.country or "", self.ctx.conflict)
                if gov is not None:
                    m.kind, m.actor, m.place = "actor", gov, None

    def _name_start(self, i: int) -> bool:
        tok = self.tokens[i]
        if tok.is_cap:
            return True
        # "as-Suwayda", "al-Jazira": a lower-case article glued to a name.
        return (
            tok.norm in ARTICLE_PREFIXES
            and i + 2 < len(self.tokens)
            and self.tokens[i + 1].text == "-"
            and self.tokens[i + 2].is_cap
        )

    def _name_end(self, i: int) -> int:
        """End (exclusive) of the run of name words starting at ``i``."""
        toks = self.tokens
        n = len(toks)
        j = i + 1
        while j < n:
            t = toks[j]
            if self.owner[j] >= 0:
                break
            if t.text in "-'’" and j + 1 < n and toks[j + 1].is_word and self.owner[j + 1] < 0:
                nxt = toks[j + 1]
                if nxt.norm in COMPOUND_SUFFIXES or nxt.norm in HELD_SUFFIXES:
                    break
                if t.text in "'’" and nxt.norm == "s":
                    break
                j += 2
                continue
            if t.is_word and t.is_cap:
                j += 1
                continue
            if (
                t.is_word
                and t.norm in NAME_CONNECTORS
                and j + 1 < n
                and (toks[j + 1].is_cap or toks[j + 1].text == "-")
                and self.owner[j + 1] < 0
            ):
                j += 1
                continue
            break
        # Drop a trailing name word that is really a generic noun ("Homs countryside").
        while j - 1 > i and not toks[j - 1].is_word:
            j -= 1
        return j

    def _not_place(self, i: int, j: int) -> bool:
        words = [self.norms[k] for k in range(i, j) if self.tokens[k].is_word]
        if not words:
            return True
        if len(words) == 1 and (words[0] in NOT_PLACES or words[0] in self.p.demonyms):
            return True
        if all(w in NOT_PLACES or w in self.p.demonyms for w in words):
            return True
        prev = i - 1
        if prev >= 0 and self.norms[prev] in TITLES:
            return True  # "President Bashar al-Assad"
        # "the West Darfur capital", "the Kokang capital": the name qualifies another place.
        if j < len(self.tokens) and self.norms[j] == "capital":
            return True
        # "Rwanda-backed", "Turkish-led": a modifier, not a place.
        if j + 1 < len(self.tokens) and self.tokens[j].text == "-" and self.norms[j + 1] in COMPOUND_SUFFIXES:
            return True
        # A sentence-initial capital word is often just the first word.
        return bool(i == 0 and len(words) == 1 and len(words[0]) <= 3)

    def _natural_feature(self, i: int, j: int) -> bool:
        """ "the Dnipro river", "the west bank of the Dnipro": a river, not the city."""
        if (
            j < len(self.tokens)
            and self.norms[j] in NATURAL_FEATURES
            and self.norms[j] not in A.PERIPHERY_NOUNS  # "the Homs countryside" names Homs's ring
        ):
            return True
        k = i - 1 - (i > 0 and self.norms[i - 1] == "the")
        return k >= 1 and self.norms[k] == "of" and self.norms[k - 1] in {"bank", "banks", "shore", "shores"}

    def _head_after(self, j: int) -> str | None:
        """The noun right after a name that says what it is: "the Zamzam camp"."""
        if j < len(self.tokens) and self.norms[j] in PLACE_CUE_NOUNS and not self.tokens[j].is_cap:
            return self.norms[j]
        return None

    def _find_anaphors(self) -> None:
        toks = self.tokens
        n = len(toks)
        for i in range(n):
            if self.norms[i] != "the" or self.owner[i] >= 0:
                continue
            j = i + 1
            while (
                j < n
                and j < i + 4
                and toks[j].is_word
                and (not toks[j].is_cap or self.norms[j] in self.p.demonyms)
                and self.norms[j] not in ANAPHOR_HEADS
                and self.norms[j] not in ANAPHOR_STOP
                and self.norms[j] not in A.TRIGGER_FIRST_WORDS
                and self.owner[j] < 0
            ):
                j += 1
            if j >= n or self.norms[j] not in ANAPHOR_HEADS or toks[j].is_cap:
                continue
            if any(self.norms[k] in NEW_REFERENT for k in range(i + 1, j)):
                continue
            head = self.norms[j]
            # "the capital of al-Jazira state", "the town of Sake": a name follows.
            if j + 1 < n and self.norms[j + 1] == "of" and j + 2 < n:
                nxt = j + 2 + (self.norms[j + 2] == "the")
                if nxt < n and (toks[nxt].is_cap or self.owner[nxt] >= 0):
                    continue
            if j + 1 < n and (self.owner[j + 1] >= 0 or toks[j + 1].is_cap):
                continue  # "Mali's capital Bamako", "the Zamzam camp" handled as names
            end = j + 1
            if j + 1 < n and self.norms[j + 1] in {"centre", "center", "streets", "outskirts"}:
                end = j + 2
            if self.owner[j] >= 0:
                continue
            if head == "capital" and j > i + 1:
                continue  # "the Kokang capital", "the state capital": not the country's

            self._add(Mention("anaphor", i, end, self._surface(i, end), head=head))

    def _resolve_anaphor(self, m: Mention, before: int) -> Place | None:
        head = m.head or ""
        if head == "capital":
            for iso2 in self.ctx.countries[:1]:
                cap = self.p.gazetteer.capital_of(iso2)
                if cap is not None:
                    return cap.model_copy(update={"text": m.text})
            return None
        if m.end < len(self.tokens) and self.norms[m.end] in {"in", "at", "near", "outside", "of"}:
            k = m.end + 1
            while k < min(len(self.tokens), m.end + 7):
                owner = self.owner[k]
                if owner >= 0:
                    nxt = self.mentions[owner]
                    if nxt.kind == "place" and nxt.place is not None and nxt.place.precision != "country":
                        return nxt.place.model_copy(update={"text": m.text})
                    k = nxt.end
                    continue
                if self.tokens[k].text in A.CLAUSE_PUNCT:
                    break
                k += 1
        candidates: list[tuple[Place, str | None]] = list(self.ctx.place_history)
        for other in self.mentions:
            if (
                other.kind == "place"
                and other.end <= before
                and other.place is not None
                and not other.reference
            ):
                candidates.append((other.place, other.head))
        for place, phead in reversed(candidates):
            if place.precision in {"country", "region"} or phead in REGION_NOUNS:
                continue
            if head in SETTLEMENT_NOUNS and phead in SETTLEMENT_NOUNS and phead != head:
                continue  # "the town" is not the city named just before
            if phead in FACILITY_NOUNS and phead not in SETTLEMENT_NOUNS and phead != head:
                continue
            return place.model_copy(update={"text": m.text})
        return None

    def _mark_destinations(self) -> None:
        for m in self.mentions:
            if m.kind in {"place", "anaphor"}:
                k = m.start - 1
                while k >= 0 and self.norms[k] in {"the", "back"}:
                    k -= 1
                if k >= 0 and self.norms[k] in {"to", "towards", "toward"}:
                    m.destination = True

    # -- distances, times, speakers -----------------------------------------------------

    def _token_at(self, offset: int) -> int:
        absolute = offset + self.sentence.start
        for i, t in enumerate(self.tokens):
            if t.end > absolute:
                return i
        return len(self.tokens) - 1

    def _find_distances(self) -> list[tuple[int, int, DistanceMention, Mention | None]]:
        out: list[tuple[int, int, DistanceMention, Mention | None]] = []
        for d in find_distances(self.sentence.text):
            first = self._token_at(d.start)
            last = self._token_at(d.end - 1) + 1
            ref = self._mention_after(last, kinds=("place", "anaphor"), limit=3)
            if ref is not None:
                ref.reference = True
            out.append((first, last, d, ref))
        return out

    def _find_speakers(self) -> list[Speaker]:
        speakers: list[Speaker] = []
        n = len(self.tokens)
        for i, norm in enumerate(self.norms):
            if norm == "according" and i + 1 < n and self.norms[i + 1] == "to":
                src = self._source_near(i + 2, forward=True)
                if src:
                    speakers.append(Speaker(i, src[0], src[1], final=True))
                continue
            if norm not in A.SPEECH_WORDS:
                continue
            src = self._source_near(i, forward=False)
            final = False
            if src is None:
                src = self._source_near(i + 1, forward=True)
            if src is None:
                continue
            # ", the army said." / "..., Bloomberg reports."
            tail = [t for t in self.tokens[i + 1 :] if t.is_word and t.norm not in TAIL_WORDS]
            final = len(tail) <= 1 and any(
                t.text == "," or t.text in A.QUOTES for t in self.tokens[max(0, i - 8) : i]
            )
            # "“We have liberated Goma,” the spokesman said ...": the speaker owns the quote.
            final = final or (
                self.tokens[0].text in A.QUOTES
                and any(t.text in A.QUOTES for t in self.tokens[max(1, i - 10) : i])
            )
            speakers.append(Speaker(i, src[0], src[1], final))
        return speakers

    def _source_near(self, i: int, *, forward: bool) -> tuple[Source, Actor | None] | None:
        """The speaker next to a speech verb: a known source, an actor, or a noun
        like "residents" (with its demonym: "Rwandan officials")."""
        rng = range(i, min(len(self.tokens), i + 5)) if forward else range(i - 1, max(-1, i - 9), -1)
        actor: Actor | None
        for k in rng:
            tok = self.tokens[k]
            if tok.text in {",", ";", "."} and not forward and k < i - 1:
                break
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind == "source" and m.source:
                    return m.source, None
                if m.kind == "actor" and m.actor:
                    actor = m.actor
                    return Source(name=actor.name, kind="government" if actor.is_state else "party"), actor
                if m.kind == "pronoun":
                    actor = self._pronoun_actor(m, None)
                    if actor is not None:
                        return Source(
                            name=actor.name, kind="government" if actor.is_state else "party"
                        ), actor
            noun_kind = self.p.actors.source_kind_of_noun(tok.norm)
            if noun_kind is not None and tok.norm not in {"statement", "command"}:
                start = k
                while (
                    start - 1 >= 0
                    and self.tokens[start - 1].is_word
                    and self.norms[start - 1] not in {"the", "a", "an", "said", "and", "but", "told"}
                    and k - start < 3
                    and self.owner[start - 1] < 0
                ):
                    if self.norms[start - 1] == "s" and start > 1 and self.tokens[start - 2].text in "'’":
                        break
                    start -= 1
                actor = None
                owner_before = self.owner[start - 1] if start > 0 else -1
                if owner_before < 0 and start > 2 and self.tokens[start - 1].norm == "s":
                    owner_before = self.owner[start - 3]
                if owner_before >= 0 and self.mentions[owner_before].kind == "actor":
                    possessor = self.mentions[owner_before]
                    actor = possessor.actor
                    start = possessor.start
                name = self._surface(start, k + 1)
                for w in range(start, k):
                    iso2 = self.p.demonyms.get(self.norms[w])
                    if iso2:
                        actor = self.p.actors.government_of(iso2, self.ctx.conflict)
                if noun_kind in {"official", "party"} and actor is None and self.norms[k] == "authorities":
                    actor = self._role_actor("government")
                source_kind: SourceKind = noun_kind
                if actor is not None and noun_kind in {"official", "party"}:
                    source_kind = "government" if actor.is_state else "party"
                return Source(name=name, kind=source_kind), actor
        return None

    # -- triggers -------------------------------------------------------------------------

    def _find_triggers(self) -> list[tuple[int, int, A.Trigger]]:
        seq = [i for i, t in enumerate(self.tokens) if t.is_word and self.norms[i] not in A.INNER_SKIP]
        out: list[tuple[int, int, A.Trigger]] = []
        p = 0
        while p < len(seq):
            first = self.norms[seq[p]]
            if first not in A.TRIGGER_FIRST_WORDS:
                p += 1
                continue
            matched = False
            for n in range(min(A.MAX_TRIGGER_WORDS, len(seq) - p), 0, -1):
                key = tuple(self.norms[seq[k]] for k in range(p, p + n))
                found = A.TRIGGERS.get(key)
                if not found:
                    continue
                a, b = seq[p], seq[p + n - 1]
                if any(self.tokens[k].text in A.CLAUSE_PUNCT for k in range(a, b + 1)):
                    continue
                for trig in found:
                    if self._trigger_fits(a, b + 1, trig):
                        out.append((a, b + 1, trig))
                        break
                else:
                    continue
                p += n
                matched = True
                break
            if not matched:
                p += 1
        return out

    def _trigger_fits(self, a: int, b: int, trig: A.Trigger) -> bool:
        norm = self.norms[a]
        nxt = self.norms[b] if b < len(self.tokens) else ""
        prev = self.norms[a - 1] if a > 0 else ""
        if trig.shape == "compound":
            return a >= 2 and self.tokens[a - 1].text == "-"
        if trig.shape == "withdraw" and norm in {"pulled", "pulls", "pull", "pulling"} and b - a == 1:
            return "out" in self.norms[b : b + 4]
        if (
            trig.shape == "subject"
            and norm in {"fell", "falls", "fallen"}
            and nxt in {"to", "back", "short", "silent"}
        ):
            return False
        takes = norm in {"took", "take", "takes", "taking", "taken"} and b - a == 1
        if takes and (nxt in A.TAKE_OBJECT_STOP or self.tokens[b - 1].text.lower() != norm):
            return False
        if (
            trig.shape == "verb"
            and trig.action == "holds"
            and norm == "control"
            and prev in {"of", "the", "under"}
        ):
            return False
        if trig.shape == "state" and trig.action == "holds" and prev == "not":
            return False
        if self.owner[a] >= 0:
            return False
        return not (a > 0 and self.tokens[a - 1].text == "-" and trig.shape != "compound")

    def _irrealis_infinitive(self, to: int, trig: A.Trigger) -> bool:
        """ "aim to overthrow" is a plan; "continued to capture", "allowed government
        forces to retreat" and "claim to hold" report facts."""
        for k in range(to - 1, max(-1, to - 5), -1):
            norm = self.norms[k]
            if norm in A.INTENT_WORDS and not (trig.action == "holds" and norm in A.MOTION_WORDS):
                return True
            if norm in A.FACTIVE_BEFORE_TO or (trig.action == "holds" and norm in A.MOTION_WORDS):
                return False
            if norm == "in" and k + 1 < to and self.norms[k + 1] == "order":
                return True
            if self.tokens[k].text in A.CLAUSE_PUNCT:
                break
        return True

    def _irrealis(self, start: int, end: int, trig: A.Trigger) -> bool:
        """True when the trigger sits under a modal, a condition, a negation or an
        intention, or is a noun or gerund whose clause is hypothetical ("Seizing
        Homs ... would cut off Damascus", "the fall of Avdiivka would open")."""
        k = start - 1
        steps = 0
        while k >= 0 and steps < 8:
            tok = self.tokens[k]
            norm = self.norms[k]
            if tok.text in {";", ":", "(", ")", "—"} or (tok.text == "," and steps > 2):
                break
            if norm in CLAUSE_OPENERS and steps > 1:
                break
            if norm in A.MODALS or norm in A.CONDITIONALS or norm in A.NEGATIONS:
                return True
            if norm == "t" and k > 0 and self.tokens[k - 1].text in "'’":
                return True  # didn't, couldn't
            if (
                norm == "to"
                and all(
                    self.norms[x] in {"have", "also", "be", "been", "fully", "now"}
                    for x in range(k + 1, start)
                )
                and self._irrealis_infinitive(k, trig)
            ):
                return True
            if norm in A.INTENT_WORDS and steps <= 1 and norm not in {"set", "fighting", "fight"}:
                return True
            k -= 1
            steps += 1
        gerund_or_noun = trig.shape in {"noun"} or (
            self.norms[start].endswith("ing")
            and (start == 0 or self.tokens[start - 1].text in {",", "“", '"'})
        )
        if gerund_or_noun:
            for k in range(end, min(len(self.tokens), end + 14)):
                norm = self.norms[k]
                if norm in {"which", "who", "that", "and", "but", ";", "said", "says"}:
                    break
                if norm in A.MODALS:
                    return True
        return False

    # -- events -----------------------------------------------------------------------------

    def _event(
        self,
        start: int,
        end: int,
        trig: A.Trigger,
        speakers: list[Speaker],
        times: list[tuple[int, TimeSpan]],
        distances: list[tuple[int, int, DistanceMention, Mention | None]],
        drafts: list[Draft],
    ) -> list[Draft]:
        shape = trig.shape
        action = trig.action
        passive = self._passive(start, end) if shape == "verb" else False
        places: list[Mention] = []
        actor_m: Mention | None = None
        counterpart: Actor | None = None
        if shape == "verb" and not passive:
            places = self._objects(end)
            if not places:
                places = self._relative_antecedent(start)
            actor_m = self._subject(start)
            if action == "captured" and self.norms[start].startswith("lib") and not places:
                return []
        elif shape == "verb" and passive:
            places = self._subject_places(start)
            actor_m = (
                self._agent(end, "by") or self._subject(start) or self._mention_after(end, ("actor",), 12)
            )
        elif shape == "noun":
            places = self._objects(end)
            actor_m = self._agent(end, "by") or self._possessor(start) or self._subject(start)
            if self.norms[start] in {"fall", "capture", "seizure"}:
                actor_m = self._agent_after(end, "to") or actor_m
        elif shape == "subject":
            places = self._subject_places(start)
            actor_m = self._agent(end, "by") or self._agent_after(end, "to")
            if actor_m is None and action == "attacked":
                actor_m = self._mention_after(end, ("actor",), 10) or self._subject(start)
        elif shape == "fell_to":
            places = self._subject_places(start)
            actor_m = self._agent_after(start, "to")
        elif shape == "lost":
            places = self._objects(end)
            actor_m = self._agent_after(end, "to", limit=16)
            subject = self._subject(start)
            if subject is not None and subject.actor is not None:
                counterpart = subject.actor
            if actor_m is None:
                return []
        elif shape == "compound":
            places = self._objects(end, limit=5)
            actor_m = self._compound_actor(start)
        elif shape == "stronghold":
            places = self._subject_places(start, coordinated=True)
            actor_m = self._agent_after(start, "of", limit=2) or self._mention_after(end, ("actor",), 4)
        elif shape == "withdraw":
            places = self._withdraw_places(start, end, drafts)
            actor_m = (
                self._subject(start)
                or self._agent_after(end, "of", limit=2)
                or self._mention_after(end, ("actor",), 4)
            )
        elif shape == "state":
            places = []
            actor_m = self._subject(start)
        if action == "attacked" and shape == "state" and self._passive(start, end):
            actor_m = self._subject(start)  # "the attackers were repelled"
        elif action == "attacked" and self._repelled(start):
            repeller = self._subject(start)
            opponent = None
            if repeller is not None:
                repeller_actor = self._actor_of(repeller, speakers, start)
                if repeller_actor is not None:
                    opponent = self.p.actors.opponent(repeller_actor, self.ctx.conflict)
            if opponent is not None:
                actor_m = Mention("actor", start, start, opponent.name, actor=opponent)
        # "captured the outskirts of X": the actor is at X's edge, not in it.
        edge = (
            action in A.PERIPHERY_ACTIONS
            and self.norms[start] not in A.DEFENCE_WORDS
            and bool(places)
            and self._periphery(places[0], end)
        )
        resolved = self._resolve_places(places, start)
        if not resolved and shape == "state" and not any(m.kind == "place" for m in self.mentions):
            resolved = list(self.ctx.last_event_places[:1])
        if shape == "state" and action == "holds":
            speaker = self._speaker_for(start, speakers)
            holder = speaker.actor if speaker and speaker.actor else self._role_actor("government")
            if holder is not None:
                actor_m = Mention(
                    "actor", start, start, speaker.source.name if speaker else holder.name, actor=holder
                )
        if not resolved:
            return []
        actor = self._actor_of(actor_m, speakers, start) if actor_m else None
        generic = bool(actor_m and actor_m.generic)
        if actor is None and actor_m is None and shape in {"subject", "verb", "noun"}:
            fallback = self._any_actor(start)
            if fallback is not None:
                actor_m = fallback
                actor = self._actor_of(fallback, speakers, start)
                generic = fallback.generic
        if actor is None:
            return []
        stance, source, claim_verb = self._stance(start, actor, speakers)
        if claim_verb and action in A.CONTROL_ACTIONS - {"withdrew"}:
            action = "claimed_control"
        if edge and action in A.PERIPHERY_ACTIONS:
            action = "advancing"  # stance and attribution stay: a claim stays a claim
        if counterpart is None:
            counterpart = self._explicit_counterpart(end) or self.p.actors.opponent(actor, self.ctx.conflict)
        when = self._when(start, times)
        out: list[Draft] = []
        for place in resolved:
            out.append(
                Draft(
                    sentence=self.sentence,
                    trigger_at=start,
                    action=action,
                    place=place,
                    actor=actor.ref(actor_m.text if actor_m else None, generic=generic)
                    if actor.id
                    else _adhoc_ref(actor, actor_m.text if actor_m else None),
                    actor_obj=actor,
                    counterpart=_counterpart_ref(counterpart, actor),
                    stance=stance,
                    source=source,
                    when=when,
                    distance=self._distance_for(place, distances),
                )
            )
        return out

    def _passive(self, start: int, end: int) -> bool:
        if self.norms[start].endswith("ing"):
            return False  # progressive: "are advancing on"
        if end < len(self.tokens) and self.norms[end] == "by":
            return True
        k = start - 1
        while k >= 0 and self.norms[k] in A.PASSIVE_SKIP:
            k -= 1
        if k >= 0 and self.norms[k] in A.BE_WORDS:
            if self.norms[k] == "s" and k > 0 and self.norms[k - 1] == "it":
                return True
            return self.norms[k] != "s" or self.tokens[k - 1].text in "'’"
        return False

    def _objects(self, end: int, limit: int = 16) -> list[Mention]:
        """The place the trigger acts on: the first place in its object, with any
        places coordinated with it ("Daraa and as-Suwayda")."""
        found: list[Mention] = []
        k = end
        steps = 0
        while k < len(self.tokens) and steps < limit:
            tok = self.tokens[k]
            norm = self.norms[k]
            if tok.text in A.QUOTES:
                k += 1
                continue
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind in {"place", "anaphor"} and not m.reference and not self._possessive_after(m):
                    found.append(m)
                    found.extend(self._coordinated(m))
                    return found
                if m.kind == "place" and self._possessive_after(m):
                    k = m.end
                    steps += 1
                    continue
                if m.kind in {"actor", "source", "pronoun"} and steps == 0:
                    k = m.end
                    steps += 1
                    continue
                k = m.end
                steps += 1
                continue
            if (
                tok.text == ","
                and k > end
                and self.norms[k - 1] in SETTLEMENT_NOUNS
                and k + 1 < len(self.tokens)
            ):
                owner_next = self.owner[k + 1]
                if owner_next >= 0 and self.mentions[owner_next].kind == "place":
                    k += 1  # "the state capital, Sittwe"
                    continue
            if norm == "to" and k > end and self.norms[k - 1] in A.PERIPHERY_BEFORE_TO:
                k += 1  # "the approaches to Bakhmut", "villages close to Kupiansk"
                steps += 1
                continue
            if tok.text in A.CLAUSE_PUNCT or norm in A.OBJECT_STOP:
                return found
            if steps > 0 and norm not in {"control", "hold"} and A.TRIGGERS.get((norm,)):
                return found  # another action starts: its object is not ours
            k += 1
            steps += 1
        return found

    def _periphery(self, m: Mention, end: int) -> bool:
        """True when the place mention ``m`` is named only as the ring around
        what the trigger acts on: "(the northern) outskirts of X", "countryside
        around the city", "villages near X", "the approaches to X", "Kharkiv's
        suburbs", "the city outskirts". ``end`` is the end of the trigger: an
        object is searched back to it, a subject a few words back."""
        norms = self.norms
        if m.kind == "anaphor" and any(norms[k] in A.PERIPHERY_NOUNS for k in range(m.start, m.end)):
            return True
        # Before the mention: the object's own words, up to a coordination or a clause break.
        lo = end if m.start >= end else max(0, m.start - 8)
        k = m.start - 1
        while k >= lo:
            tok = self.tokens[k]
            norm = norms[k]
            if self.owner[k] >= 0 or tok.text in A.CLAUSE_PUNCT or norm in {"and", "or"}:
                break
            if norm in A.PERIPHERY_NOUNS:
                return True
            if norm in A.PERIPHERY_PREPOSITIONS or (
                norm == "to" and k > lo and norms[k - 1] in A.PERIPHERY_BEFORE_TO
            ):
                # "villages around X", "areas close to X"; not "an army post near X",
                # "an attack near the village of X", "near-total control of X".
                if k + 1 < len(self.tokens) and self.tokens[k + 1].text == "-":
                    return False
                if norm == "to" and norms[k - 1] in A.PERIPHERY_NOUNS:
                    return True  # "the approaches to X"
                head = k - 2 if norm == "to" else k - 1
                while head > lo and norms[head] in {"immediately", "just", "directly", "very"}:
                    head -= 1
                return head >= lo and (norms[head] in A.PERIPHERY_AREAS or norms[head] in A.PERIPHERY_NOUNS)
            k -= 1
        # After it: "Kharkiv's northern suburbs", "the Kyiv suburbs", "Idlib countryside".
        k = m.end
        n = len(self.tokens)
        if k + 1 < n and self.tokens[k].text in "'’" and norms[k + 1] == "s":
            k += 2
        skipped = 0
        while k < n and skipped < 3 and (norms[k] in A.PERIPHERY_MODIFIERS or self.tokens[k].text == "-"):
            k += 1
            skipped += 1
        return k < n and norms[k] in A.PERIPHERY_NOUNS

    def _coordinated(self, m: Mention) -> list[Mention]:
        """Places listed after ``m``: "Daraa and as-Suwayda", "Nyala, Sudan's
        second-largest city, and Zalingei" (an apposition is stepped over)."""
        out: list[Mention] = []
        k = m.end
        n = len(self.tokens)
        while k < n:
            if self.norms[k] == "and" or (self.norms[k] == "," and k + 1 < n and self.norms[k + 1] == "and"):
                k += 1 if self.norms[k] == "and" else 2
            elif self.norms[k] == ",":
                # An apposition: skip to its closing comma, then expect "and".
                close = next((x for x in range(k + 1, min(n, k + 10)) if self.norms[x] == ","), None)
                if close is None or close + 2 >= n or self.norms[close + 1] != "and":
                    break
                k = close + 2
            else:
                break
            owner = self.owner[k] if k < n else -1
            if owner < 0:
                break
            nxt = self.mentions[owner]
            if nxt.kind != "place" or nxt.reference or self._possessive_after(nxt):
                break
            out.append(nxt)
            k = nxt.end
        return out

    def _group_of(self, m: Mention) -> list[Mention]:
        """A place with those coordinated with it on either side ("in Daraa and as-Suwayda")."""
        first = m
        while True:
            j = first.start - 1
            if j < 1 or self.norms[j] not in {"and", ","}:
                break
            owner = self.owner[j - 1]
            if owner < 0 or self.mentions[owner].kind != "place" or self.mentions[owner].reference:
                break
            first = self.mentions[owner]
        return [first, *self._coordinated(first)]

    def _possessive_after(self, m: Mention) -> bool:
        k = m.end
        return (
            k + 1 < len(self.tokens)
            and self.tokens[k].text in "'’"
            and self.norms[k + 1] == "s"
            and m.kind == "place"
            and not (k + 2 < len(self.tokens) and self.norms[k + 2] in {"capital"})
            and m.place is not None
            and (
                m.place.precision == "country"
                or (k + 2 < len(self.tokens) and self.norms[k + 2] in {"border"})
            )
        )

    def _relative_antecedent(self, start: int) -> list[Mention]:
        """ "..., which Kyiv recaptured": the place the relative pronoun stands for."""
        for k in range(start - 1, max(-1, start - 4), -1):
            if self.norms[k] in {"which", "that"}:
                before = self._mention_before(k, kinds=("place", "anaphor"), limit=12)
                return [before] if before else []
            if self.tokens[k].text in A.CLAUSE_PUNCT:
                break
        if (start > 0 and self.norms[start - 1] == "it") or (start > 1 and self.norms[start - 2] == "it"):
            return []
        return []

    def _subject_places(self, start: int, *, coordinated: bool = False) -> list[Mention]:
        """The place that is the subject: "Goma fell", "Hama after it was captured",
        "Latakia and Tartus, strongholds of the government"."""
        out: list[Mention] = []
        k = start - 1
        crossed = 0
        while k >= 0:
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind in {"place", "anaphor"} and not m.reference and not m.destination:
                    out.append(m)
                    if not coordinated:
                        return out
                    j = m.start - 1
                    while j >= 0 and self.norms[j] in {"and", ","}:
                        j -= 1
                    if j < 0 or self.owner[j] < 0 or self.mentions[self.owner[j]].kind != "place":
                        return out
                    k = j
                    continue
                k = m.start - 1
                continue
            if self.norms[k] in {"it", "which"}:
                crossed = 0  # a pronoun subject: its antecedent can be further back
            elif self.tokens[k].text in {";", ":"} or (self.tokens[k].text == "," and crossed > 8):
                break
            crossed += 1
            if crossed > 14:
                break
            k -= 1
        return out

    def _withdraw_places(self, start: int, end: int, drafts: list[Draft]) -> list[Mention]:
        """Where a force withdrew from: "from X", "out of X", else the place the
        sentence has it in ("forces in Daraa ... redeployment") or the place an
        opponent took in the same sentence. Never where it withdrew to."""
        norm = self.norms[start]
        k = end
        steps = 0
        while k < len(self.tokens) and steps < 10:
            n = self.norms[k]
            if self.tokens[k].text in A.QUOTES:
                k += 1
                continue
            if n in {"to", "towards", "toward", "into"}:
                break
            if n in {"from", "of"} or (n == "out" and k + 1 < len(self.tokens) and self.norms[k + 1] == "of"):
                after = self._objects(k + 1 if n != "out" else k + 2, limit=8)
                if after:
                    return after
            owner = self.owner[k]
            if (
                owner >= 0
                and self.mentions[owner].kind in {"place", "anaphor"}
                and norm in {"abandoned", "abandon", "abandoning", "evacuated", "evacuate", "vacated"}
            ):
                return [self.mentions[owner]]
            if self.tokens[k].text in A.CLAUSE_PUNCT or (n in A.OBJECT_STOP and n not in {"with"}):
                break
            k += 1
            steps += 1
        for d in drafts:
            if d.action in {"captured", "recaptured"}:
                return [Mention("place", d.trigger_at, d.trigger_at, d.place.text, place=d.place)]
        before = [
            m
            for m in self.mentions
            if m.end <= start
            and m.kind in {"place", "anaphor"}
            and not m.destination
            and not m.reference
            and not (m.place is not None and m.place.precision == "country")
        ]
        if before:
            return self._group_of(before[-1])
        return []

    def _resolve_places(self, places: list[Mention], at: int) -> list[Place]:
        out: list[Place] = []
        for m in places:
            place = self._resolve_anaphor(m, m.start) if m.kind == "anaphor" else m.place
            if place is not None and all(not _same_place(place, o) for o in out):
                out.append(place)
        return out

    # -- actors of a trigger -------------------------------------------------------------

    def _subject(self, start: int) -> Mention | None:
        """The nearest actor before the trigger in its clause (or the sentence,
        when the clause has none)."""
        k = start - 1
        steps = 0
        crossed_clause = False
        while k >= 0 and steps < 30:
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind in {"actor", "pronoun"} and not (
                    m.kind == "pronoun" and m.head == "it" and self._it_is_place(m)
                ):
                    return m
                # Capital or country as the government: "which Kyiv recaptured".
                adjacent = m.kind == "place" and m.end >= start - 1 and not crossed_clause
                if (
                    adjacent
                    and m.place is not None
                    and (m.place.precision == "country" or m.place.is_capital)
                ):
                    gov = self.p.actors.government_of(m.place.country or "", self.ctx.conflict)
                    if gov is not None:
                        return Mention("actor", m.start, m.end, m.text, actor=gov)
                k = m.start - 1
                steps += 1
                continue
            if self.tokens[k].text in {",", ";", "—"}:
                crossed_clause = True
            k -= 1
            steps += 1
        return None

    def _it_is_place(self, m: Mention) -> bool:
        nxt = m.end
        while nxt < len(self.tokens) and self.norms[nxt] in A.PASSIVE_SKIP:
            nxt += 1
        return (
            nxt < len(self.tokens)
            and self.norms[nxt] in {"was", "is", "had", "has"}
            and (
                nxt + 1 < len(self.tokens)
                and self.norms[nxt + 1] in {"captured", "taken", "seized", "fallen", "been"}
            )
        )

    def _agent(self, end: int, prep: str) -> Mention | None:
        k = end
        steps = 0
        while k < len(self.tokens) and steps < 6:
            if self.norms[k] == prep:
                return self._mention_after(k + 1, ("actor", "pronoun"), 4)
            if self.tokens[k].text in A.CLAUSE_PUNCT:
                return None
            k += 1
            steps += 1
        return None

    def _agent_after(self, start: int, prep: str, limit: int = 8) -> Mention | None:
        k = start
        steps = 0
        while k < len(self.tokens) and steps < limit:
            if self.norms[k] == prep:
                return self._mention_after(k + 1, ("actor",), 5)
            if self.tokens[k].text in {";", "."}:
                return None
            k += 1
            steps += 1
        return None

    def _possessor(self, start: int) -> Mention | None:
        """ "HTS’ sweep", "the RSF assault", "the rebel advance"."""
        k = start - 1
        while k >= 0 and (
            self.tokens[k].text in "'’"
            or self.norms[k] in {"s", "a", "an", "the", "its", "their", "lightning", "latest", "new", "major"}
        ):
            k -= 1
        if k >= 0 and self.owner[k] >= 0:
            m = self.mentions[self.owner[k]]
            if m.kind in {"actor", "pronoun"}:
                return m
        return None

    def _compound_actor(self, start: int) -> Mention | None:
        """ "Russian-occupied": the first half names the holder."""
        k = start - 2
        if k < 0:
            return None
        if self.owner[k] >= 0 and self.mentions[self.owner[k]].kind == "actor":
            return self.mentions[self.owner[k]]
        word = self.norms[k]
        iso2 = self.p.demonyms.get(word)
        if iso2:
            gov = self.p.actors.government_of(iso2, self.ctx.conflict)
            if gov:
                return Mention("actor", k, k + 1, self.tokens[k].text, actor=gov)
        for entry in self.p.actors.alias_index.get((word,), []):
            if entry.role:
                actor = self._role_actor(entry.role)
                if actor:
                    return Mention("actor", k, k + 1, self.tokens[k].text, actor=actor, generic=True)
        return None

    def _any_actor(self, start: int) -> Mention | None:
        before = self._mention_before(start, kinds=("actor",), limit=40)
        return before or self._mention_after(start, ("actor",), 20)

    def _mention_after(self, i: int, kinds: Sequence[str], limit: int) -> Mention | None:
        k = i
        steps = 0
        while k < len(self.tokens) and steps < limit:
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind in kinds:
                    return m
                k = m.end
            else:
                k += 1
            steps += 1
        return None

    def _mention_before(self, i: int, kinds: Sequence[str], limit: int) -> Mention | None:
        k = i - 1
        steps = 0
        while k >= 0 and steps < limit:
            owner = self.owner[k]
            if owner >= 0:
                m = self.mentions[owner]
                if m.kind in kinds:
                    return m
                k = m.start - 1
            else:
                k -= 1
            steps += 1
        return None

    def _pronoun_actor(self, m: Mention, speaker: Speaker | None) -> Actor | None:
        if m.head in {"we", "our"} and speaker is not None and speaker.actor is not None:
            return speaker.actor
        before = self._mention_before(m.start, kinds=("actor",), limit=30)
        if before is not None and before.actor is not None:
            return before.actor
        if speaker is not None and speaker.actor is not None:
            return speaker.actor
        for k in range(m.start - 1, -1, -1):
            owner = self.owner[k]
            if owner >= 0 and self.mentions[owner].kind == "source":
                break
        return self.ctx.actor_history[-1] if self.ctx.actor_history else None

    def _actor_of(self, m: Mention | None, speakers: list[Speaker], at: int) -> Actor | None:
        if m is None:
            return None
        if m.kind == "pronoun":
            return self._pronoun_actor(m, self._speaker_for(at, speakers))
        if m.actor is not None and m.generic and m.actor.is_state and self._bare_force_noun(m):
            speaker = self._speaker_for(at, speakers)
            if speaker is not None and speaker.actor is not None:
                return speaker.actor
        return m.actor

    def _bare_force_noun(self, m: Mention) -> bool:
        return m.end - m.start == 1 and self.norms[m.start] in {"troops", "forces", "soldiers", "units"}

    def _repelled(self, start: int) -> bool:
        if self.norms[start] in A.REPEL_WORDS:
            return True
        return any(self.norms[k] in A.REPEL_WORDS for k in range(max(0, start - 4), start))

    def _explicit_counterpart(self, end: int) -> Actor | None:
        """ "retook Kidal from Tuareg separatists"."""
        k = end
        steps = 0
        while k < len(self.tokens) and steps < 12:
            if self.norms[k] == "from":
                m = self._mention_after(k + 1, ("actor",), 3)
                return m.actor if m else None
            if self.tokens[k].text in {";", "."}:
                break
            k += 1
            steps += 1
        return None

    # -- stance, time, distance ------------------------------------------------------------

    def _speaker_for(self, at: int, speakers: list[Speaker]) -> Speaker | None:
        before = [s for s in speakers if s.verb < at]
        if before:
            return before[-1]
        after = [s for s in speakers if s.verb > at and s.final]
        return after[0] if after else None

    def _stance(self, at: int, actor: Actor, speakers: list[Speaker]) -> tuple[str, Source | None, bool]:
        claim_verb = any(self.norms[k] in A.CLAIM_WORDS for k in range(max(0, at - 12), at)) and not any(
            self.norms[k] in {"responsibility"} for k in range(max(0, at - 6), at)
        )
        speaker = self._speaker_for(at, speakers)
        if speaker is None:
            if claim_verb:
                return (
                    "claimed",
                    Source(name=actor.name, kind="party" if not actor.is_state else "government"),
                    True,
                )
            return "asserted", None, False
        if speaker.actor is not None and (
            speaker.actor is actor or (speaker.actor.side is not None and speaker.actor.side == actor.side)
        ):
            return "claimed", speaker.source, claim_verb
        return "reported", speaker.source, claim_verb

    def _when(self, at: int, times: list[tuple[int, TimeSpan]]) -> TimeSpan:
        if not times:
            return article_day(self.reference)
        best = min(times, key=lambda t: abs(t[0] - at) + (0 if t[0] > at else 1))
        return best[1]

    def _distance_for(
        self, place: Place, distances: list[tuple[int, int, DistanceMention, Mention | None]]
    ) -> Distance | None:
        for first, _last, d, ref in distances:
            before = self._mention_before(first, kinds=("place", "anaphor"), limit=6)
            if before is None or (before.place is None and before.kind == "place"):
                continue
            if before.place is not None and _same_place(before.place, place):
                return self._distance(d, ref)
        return None

    def _distance(self, d: DistanceMention, ref: Mention | None) -> Distance:
        ref_place = None
        text = d.text
        if ref is not None:
            ref_place = self._resolve_anaphor(ref, ref.start) if ref.kind == "anaphor" else ref.place
            text = f"{d.text} {ref.text}"
        return Distance(
            km=d.km,
            value=d.value,
            unit=d.unit,
            bearing=d.bearing,
            reference=ref_place,
            text=text,
        )

    def _distance_advances(
        self,
        distances: list[tuple[int, int, DistanceMention, Mention | None]],
        speakers: list[Speaker],
        times: list[tuple[int, TimeSpan]],
        drafts: list[Draft],
    ) -> list[Draft]:
        """ "Rebels are now just six miles from the capital": an actor stated to be
        near a place is advancing on it."""
        out: list[Draft] = []
        for first, _last, d, ref in distances:
            if ref is None:
                continue
            k = first - 1
            copula = False
            steps = 0
            while k >= 0 and steps < 5:
                if self.norms[k] in {
                    "are",
                    "is",
                    "were",
                    "was",
                    "within",
                    "reached",
                    "came",
                    "got",
                    "stood",
                    "stand",
                    "now",
                    "just",
                    "only",
                    "be",
                }:
                    copula = copula or self.norms[k] in {
                        "are",
                        "is",
                        "were",
                        "was",
                        "within",
                        "reached",
                        "came",
                        "got",
                        "stood",
                        "stand",
                        "be",
                    }
                    k -= 1
                    steps += 1
                    continue
                break
            if not copula or self._irrealis(first, first + 1, A.Trigger("advancing", "verb")):
                continue
            subject = self._subject(first)
            actor = self._actor_of(subject, speakers, first)
            place = self._resolve_anaphor(ref, ref.start) if ref.kind == "anaphor" else ref.place
            if actor is None or place is None or subject is None:
                continue
            stance, source, _ = self._stance(first, actor, speakers)
            out.append(
                Draft(
                    sentence=self.sentence,
                    trigger_at=first,
                    action="advancing",
                    place=place,
                    actor=actor.ref(subject.text, generic=subject.generic)
                    if actor.id
                    else _adhoc_ref(actor, subject.text),
                    actor_obj=actor,
                    counterpart=_counterpart_ref(self.p.actors.opponent(actor, self.ctx.conflict), actor),
                    stance=stance,
                    source=source,
                    when=self._when(first, times),
                    distance=self._distance(d, ref),
                )
            )
        return out

    # -- denials ----------------------------------------------------------------------------

    def _denial(
        self,
        start: int,
        end: int,
        triggers: list[tuple[int, int, A.Trigger]],
        speakers: list[Speaker],
        times: list[tuple[int, TimeSpan]],
        drafts: list[Draft],
    ) -> Draft | None:
        """A denial of a control statement: by whom, about which place. A denial
        of an attack ("denied shelling the camp") is not about control."""
        later = [t for t in triggers if t[0] > start]
        if later and all(t[2].action in ATTACK_ACTIONS for t in later):
            return None
        if self._irrealis(start, end, A.Trigger("denied", "deny")):
            return None
        controls = [t for t in later if t[2].action in A.CONTROL_ACTIONS]
        window = range(end, min(len(self.tokens), end + 4))
        has_object_noun = any(self.norms[k] in DENIAL_OBJECT_NOUNS for k in window)
        if not controls and any(self.norms[k] == "that" for k in window):
            return None  # "denied reports that its fighters had shelled the camp": not about control
        places: list[Place] = []
        after = self._mention_after(end, ("place", "anaphor"), 20)
        if after is not None and (controls or has_object_noun):
            places = self._resolve_places([after], end)
        if not places:
            # "entered Krynky ..., a claim that Ukraine's southern command rejected"
            claimed_here = [d for d in drafts if d.action in A.CONTROL_ACTIONS]
            if claimed_here and not controls:
                places = [claimed_here[-1].place]
        if not places:
            before = [
                m
                for m in self.mentions
                if m.end <= start and m.kind in {"place", "anaphor"} and not m.reference
            ]
            if (
                before
                and not controls
                and (self.norms[start] in {"rejected", "rejects", "disputed"} or has_object_noun)
            ):
                places = self._resolve_places([before[-1]], start)
        if not places and (has_object_noun or controls) and self.ctx.claims:
            places = [self.ctx.claims[-1].place]
        if not places:
            return None
        subject = self._subject(start)
        actor = self._actor_of(subject, speakers, start) if subject else None
        if actor is None:
            return None
        return Draft(
            sentence=self.sentence,
            trigger_at=start,
            action="denied",
            place=places[0],
            actor=actor.ref(subject.text if subject else None, generic=bool(subject and subject.generic))
            if actor.id
            else _adhoc_ref(actor, subject.text if subject else None),
            actor_obj=actor,
            counterpart=_counterpart_ref(self.p.actors.opponent(actor, self.ctx.conflict), actor),
            stance="denied",
            source=Source(name=actor.name, kind="government" if actor.is_state else "party"),
            when=self._when(start, times),
        )

    # -- discourse ------------------------------------------------------------------------

    def _remember(self, drafts: list[Draft]) -> None:
        for m in self.mentions:
            if (
                m.kind == "place"
                and m.place is not None
                and m.place.precision != "country"
                and not m.destination
            ):
                self.ctx.place_history.append((m.place, m.head))
            elif m.kind == "actor" and m.actor is not None:
                self.ctx.actor_history.append(m.actor)
        for d in drafts:
            if d.actor_obj is not None:
                self.ctx.actor_history.append(d.actor_obj)
            if d.stance in {"claimed", "reported"} and d.action in A.CONTROL_ACTIONS:
                self.ctx.claims.append(d)
        if drafts:
            self.ctx.last_event_places = [d.place for d in drafts]
        if len(self.ctx.place_history) > 64:
            del self.ctx.place_history[:-64]
        if len(self.ctx.actor_history) > 64:
            del self.ctx.actor_history[:-64]


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _adhoc_ref(actor: Actor, text: str | None) -> ActorRef:
    return ActorRef(id=None, name=actor.name, text=text, side=actor.side, country=actor.country)


def _counterpart_ref(counterpart: Actor | None, actor: Actor) -> ActorRef | None:
    if counterpart is None or counterpart.id == actor.id:
        return None
    return counterpart.ref(None)
