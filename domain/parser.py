"""The article parser: English news prose in, ``SituationEvent``s out.

A rule-based reader. Before the first sentence, the article's countries and
conflicts are settled by vote (demonyms, country names, actors named); then
each sentence is read in passes over its tokens:

1. mentions: actors, sources and pronouns (``domain.mentions``), places and
   phrases pointing back to one (``domain.places``);
2. action phrases (``domain.triggers``, vocabulary in ``domain.actions``) and
   stated distances;
3. for each phrase, unless the sentence does not assert it
   (``domain.modality``: conditions, modals, negations, questions), its place,
   actor, counterpart and time (``domain.events``), and who says so
   (``domain.attribution``).

A sentence with no action phrase and no distance stops after step 1: its
mentions still feed what later sentences point back to (``domain.reading``).
After the last sentence a group the article only described ("Tuareg
separatist rebels") becomes the group of that side it names ("the MNLA"); a
party's claim that the article shows disputed by the other side, or calls a
claim, is kept only as a claim (``claimed_control``), as are the other takes
of a state whose word the article calls a claim; and drafts become
``SituationEvent``s with ids and confidence.

Names are looked up through ``domain.lexicon``, which keeps the tables and
bounded memories that make that cheap. Pure: no I/O, no clock; the reference
time comes in with the call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime

from domain import actions as A
from domain.actors import Actor, ActorRegistry
from domain.attribution import confidence, find_speakers
from domain.events import denial, distance_advances, event, find_distances, negated_take
from domain.gazetteer import Gazetteer, normalize_name
from domain.ids import article_id as content_article_id
from domain.ids import event_id, place_key
from domain.lexicon import Lexicon
from domain.mentions import find_actors, learn_aliases
from domain.modality import attempted, irrealis
from domain.places import find_places, mark_destinations
from domain.reading import ArticleContext, Draft, Reading, remember
from domain.sentences import split_sentences
from domain.timeexpr import article_day
from domain.tokens import Tokens, tokenize
from domain.triggers import find_triggers
from schemas.article import Article
from schemas.common import ensure_aware
from schemas.event import Evidence, SituationEvent

__all__ = ["ArticleParser", "confidence"]

CONTESTABLE = A.TAKE_ACTIONS | {"holds"}


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
        self.lexicon = Lexicon(gazetteer, actors, demonyms)

    # -- entry point -------------------------------------------------------------

    def parse(self, article: Article, reference_time: datetime) -> list[SituationEvent]:
        reference = ensure_aware(article.published_at or reference_time)
        text = article.text
        art_id = article.article_id or content_article_id(text)
        sentences = split_sentences(text)
        tokenized = [tokenize(s.text) for s in sentences]
        ctx = self._context(article, tokenized, reference)
        drafts: list[Draft] = []
        for sentence, tokens in zip(sentences, tokenized, strict=True):
            drafts.extend(read(Reading(self.lexicon, ctx, sentence, tokens, reference)))
        if ctx.named_ids:
            drafts = _named_sides(drafts, ctx.named_ids)
        claim_refs = [
            s.index for s, tokens in zip(sentences, tokenized, strict=True) if refers_to_claim(tokens)
        ]
        if claim_refs:
            drafts = _called_claims(drafts, claim_refs)
        drafts = _claimants(drafts)
        return self._finish(art_id, drafts, reference, article)

    # -- article context -----------------------------------------------------------

    def _context(self, article: Article, tokenized: Sequence[Tokens], reference: datetime) -> ArticleContext:
        """The article's countries, most voted first, and the conflicts fought there."""
        votes: dict[str, float] = {}
        if article.country_hint:
            votes[article.country_hint.upper()] = 1000.0
        for tokens in tokenized:
            self._vote(tokens, votes)
        countries = [c for c, _ in sorted(votes.items(), key=lambda kv: -kv[1])]
        conflicts = self.lexicon.actors.conflicts_for(countries)
        return ArticleContext(
            countries=countries,
            conflict=conflicts[0] if conflicts else None,
            conflicts=conflicts,
            day=article_day(reference),
            country_key=tuple(countries),
            conflict_key=tuple(c.id for c in conflicts),
        )

    def _vote(self, tokens: Tokens, votes: dict[str, float]) -> None:
        """One sentence's votes: a demonym or a country's name counts 1 for the
        country, a named actor 0.5 for its conflict's first country."""
        lexicon = self.lexicon
        demonyms, alias_votes, prefixes = lexicon.demonyms, lexicon.alias_votes, lexicon.name_prefixes
        singles, pairs, firsts = lexicon.name_singles, lexicon.name_pairs, lexicon.name_firsts
        words = tokens.word_norm
        last = len(words) - 1
        starts = [
            i
            for i in [i for i, word in enumerate(words) if word in firsts or word in demonyms]
            if words[i] in singles or words[i] in demonyms or (i < last and (words[i], words[i + 1]) in pairs)
        ]
        for i in starts:
            iso = demonyms.get(words[i])
            if iso:
                votes[iso] = votes.get(iso, 0.0) + 1.0
            # The longest registry name starting here votes.
            longest: tuple[str, ...] = ()
            for n in range(1, min(lexicon.actors.max_alias_words, len(words) - i) + 1):
                key = tuple(words[i : i + n])
                if key not in prefixes:
                    break
                longest = alias_votes.get(key, longest)
            for iso2 in longest:
                votes[iso2] = votes.get(iso2, 0.0) + 0.5
        known = lexicon.countries
        for text in [t for t, cap, w in zip(tokens.text, tokens.cap, tokens.word, strict=True) if cap and w]:
            iso = known[text] if text in known else lexicon.country_of_name(text)
            if iso:
                votes[iso] = votes.get(iso, 0.0) + 1.0

    # -- after the last sentence -----------------------------------------------------

    def _finish(
        self, art_id: str, drafts: list[Draft], reference: datetime, article: Article
    ) -> list[SituationEvent]:
        denials: dict[str, list[Draft]] = {}
        kept: dict[str, list[Draft]] = {}
        for d in drafts:
            if d.action == "denied":
                denials.setdefault(normalize_name(d.place.name), []).append(d)
                denials.setdefault(place_key(d.place), []).append(d)
            elif d.action == "holds" and d.stance == "claimed":
                # The other side's word that it still holds the place contests a claimed take.
                kept.setdefault(normalize_name(d.place.name), []).append(d)
                kept.setdefault(place_key(d.place), []).append(d)
        repelled: dict[str, list[Draft]] = {}
        for d in drafts:
            if d.action == "attacked" and d.source is not None and _says_repelled(d.sentence.text):
                # "The RSF said it had repulsed the attack": the other side's word of an attack beaten off.
                repelled.setdefault(place_key(d.place), []).append(d)
        events: list[SituationEvent] = []
        seen: set[str] = set()
        for d in drafts:
            if _vouched_by_party(d) and d.action in CONTESTABLE:
                take = d.action in A.TAKE_ACTIONS
                if (
                    _disputed(d, denials)
                    or (take and kept and _disputed(d, kept))
                    or (take and repelled and _repelled_later(d, repelled.get(place_key(d.place), ())))
                ):
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


# How many sentences after a state's own word of a capture "the claim" may refer to it.
CLAIM_REFERENCE_SENTENCES = 3
OWN_TAKES = frozenset({"captured", "recaptured"})


def refers_to_claim(tokens: Tokens) -> bool:
    """True when the sentence points back to a claim: "did not comment on the
    claim", "rejected the Russian claims", "could not verify claims made by
    either side" (not "the claim that ...", which states its own content, nor
    "the group's claim", which names whose)."""
    norms = tokens.norm
    if _unanswered_statement(norms):
        return True
    if A.CLAIM_NOUNS.isdisjoint(norms):
        return False
    for k, norm in enumerate(norms):
        if norm not in A.CLAIM_NOUNS:
            continue
        if k + 1 < len(norms) and norms[k + 1] in {"that", "to", "of", "by"}:
            continue
        j = k - 1
        while j >= 0 and k - j <= 3 and tokens.word[j] and norms[j] not in A.CLAIM_DETERMINERS:
            j -= 1
        if j >= 0 and norms[j] in A.CLAIM_DETERMINERS and all(tokens.word[x] for x in range(j, k)):
            return True
        if k + 1 < len(norms) and norms[k + 1] in {"made"}:
            return True
        if (
            k > 0
            and (norms[k - 1] == "a" or norms[k - 1] == ",")
            and any(norms[x] in DOUBTING_WORDS for x in range(k + 1, min(len(norms), k + 7)))
        ):
            return True  # "..., a claim the army did not confirm", "..., claims Kyiv rejected"
    return False


# "The RSF did not comment on the army's statement": the other side left the
# statement unanswered, so it stays that side's word.
STATEMENT_NOUNS = frozenset({"statement", "statements", "announcement", "announcements"})
UNANSWERED_VERBS = frozenset({"comment", "commented", "confirm", "confirmed", "respond", "responded"})


def _unanswered_statement(norms: Sequence[str]) -> bool:
    if STATEMENT_NOUNS.isdisjoint(norms):
        return False
    for k, norm in enumerate(norms):
        if norm in UNANSWERED_VERBS and any(norms[j] in A.NEGATIONS for j in range(max(0, k - 3), k)):
            return any(norms[j] in STATEMENT_NOUNS for j in range(k + 1, min(len(norms), k + 7)))
    return False


# What makes "a claim" one the article doubts: "a claim the army did not confirm".
DOUBTING_WORDS = frozenset(
    {"not", "denied", "rejected", "disputed", "dismissed", "unverified", "unconfirmed"}
)


def _called_claims(drafts: list[Draft], claim_refs: Sequence[int]) -> list[Draft]:
    """A state's own word of its capture that the article then calls a claim is
    a claim of control, not a capture the article stands by."""
    out: list[Draft] = []
    for d in drafts:
        if (
            d.stance == "claimed"
            and d.action in OWN_TAKES
            and d.actor_obj is not None
            and d.actor_obj.is_state
            and any(
                d.sentence.index < k <= d.sentence.index + CLAIM_REFERENCE_SENTENCES
                or (k == d.sentence.index and _doubted_in(d.sentence.text))
                for k in claim_refs
            )
        ):
            d = dataclasses.replace(d, action="claimed_control")
        elif (
            d.stance == "claimed"
            and d.action in OWN_TAKES
            and d.actor_obj is not None
            and not d.actor_obj.is_state
            and d.sentence.index in claim_refs
            and _doubted_in(d.sentence.text)
        ):
            continue  # "the CSP said it had seized X, a claim the army did not confirm": only the claim
        out.append(d)
    return out


def _doubted_in(text: str) -> bool:
    words = text.lower().split()
    return any(w.strip(",.;") in DOUBTING_WORDS for w in words)


def _claimants(drafts: list[Draft]) -> list[Draft]:
    """A state whose word of a take the article already treats as a claim
    ("Russia claims more villages", "could not verify the claims") claims its
    other takes too: "Russia said last week its troops had taken X" is one more."""
    claimants = {
        d.actor_obj.id
        for d in drafts
        if d.action == "claimed_control"
        and d.stance == "claimed"
        and d.actor_obj is not None
        and d.actor_obj.is_state
        and _says_claim(d.sentence.text)
    }
    if not claimants:
        return drafts
    return [
        dataclasses.replace(d, action="claimed_control")
        if d.stance == "claimed"
        and d.action in OWN_TAKES
        and d.actor_obj is not None
        and d.actor_obj.id in claimants
        else d
        for d in drafts
    ]


def _says_claim(text: str) -> bool:
    """True when a sentence calls something a claim in so many words."""
    return any(w.strip(",.;:\"'“”") in A.CLAIM_WORDS for w in text.lower().split())


def _named_sides(drafts: list[Draft], named: Mapping[str, Actor]) -> list[Draft]:
    """A group the article only described ("Tuareg separatist rebels", which the
    registry files under a later alliance) is the group of that side the article
    names ("the MNLA"), when it names one and never this one."""
    by_side: dict[str, Actor] = {}
    for group in named.values():
        if group.side is not None and not group.is_state:
            by_side.setdefault(group.side, group)
    out: list[Draft] = []
    for d in drafts:
        described = d.actor_obj
        if (
            described is not None
            and not described.is_state
            and not described.generic
            and described.id not in named
            and described.side in by_side
        ):
            other = by_side[described.side]
            d = dataclasses.replace(
                d, actor=other.ref(d.actor.text, generic=d.actor.generic), actor_obj=other
            )
        out.append(d)
    return out


def _says_repelled(text: str) -> bool:
    return any(w.strip(",.;:\"'“”") in A.REPEL_WORDS for w in text.lower().split())


def _repelled_later(claim: Draft, attacks: Sequence[Draft]) -> bool:
    """True when, beside a party's word that it took a place, the other side says it
    beat off that party's attack there ("The army said it had recaptured X. The
    RSF said it had repulsed the attack", or the other way round: "The army said
    it repelled an attack on X. The CSP said it had taken X"): the take is only
    a claim."""
    return any(
        a.sentence.index != claim.sentence.index
        and a.actor.side is not None
        and a.actor.side == claim.actor.side
        and a.source is not None
        and a.source.name != claim.actor.name
        for a in attacks
    )


def _vouched_by_party(d: Draft) -> bool:
    """True when the statement is a party's own word, or that of a speaker the
    article does not place on any side ("Prigozhin said"): a statement the
    other side disputes is then only a claim."""
    return d.stance == "claimed" or (
        d.stance == "reported" and d.source is not None and d.source.kind == "unknown"
    )


def _disputed(claim: Draft, denials: Mapping[str, list[Draft]]) -> bool:
    """True when another side denies or contests the claim at its place (by id,
    else by name: the name is folded only when the id finds nothing)."""
    side = claim.actor.side
    if _other_side(denials.get(place_key(claim.place), ()), side):
        return True
    return bool(denials) and _other_side(denials.get(normalize_name(claim.place.name), ()), side)


def _other_side(drafts: Sequence[Draft], side: str | None) -> bool:
    return any(not (side and d.actor.side and side == d.actor.side) for d in drafts)


def _contrast_between(r: Reading, a: int, b: int) -> bool:
    """True when a contrastive clause (", but", "; but") begins between ``a`` and ``b``."""
    return any(r.norms[k] == "but" and r.texts[k - 1] in {",", ";"} for k in range(a + 1, b))


def read(r: Reading) -> list[Draft]:
    """The events one sentence states, in the passes described above."""
    if not r.n:
        return []
    find_actors(r)
    learn_aliases(r)
    find_places(r)
    phrases = find_triggers(r)
    distances = find_distances(r)
    if not phrases and not distances:
        # Nothing happens here; the mentions above still feed the context.
        remember(r, [])
        return []
    mark_destinations(r)
    speakers = find_speakers(r)
    drafts: list[Draft] = []
    question = r.sentence.text.rstrip().endswith("?")
    denial_at: int | None = None
    unreal_control = False  # a control phrase before was only a demand, plan or condition
    for start, end, trig in phrases:
        if denial_at is not None and start > denial_at:
            if not _contrast_between(r, denial_at, start):
                continue  # what follows a denial is what is denied
            # "denied losing the base, but officers said troops had fallen back":
            # the clause after "but" is not denied.
            denial_at = None
        if trig.shape == "deny":
            denial_at = start
            if unreal_control and not drafts:
                continue  # "demanded that Ukraine withdraw from X, which Kyiv rejects": no claim denied
            draft = denial(r, start, end, phrases, speakers, drafts)
            if draft:
                drafts.append(draft)
            continue
        if question or irrealis(r, start, end, trig):
            unreal_control = unreal_control or trig.action in A.CONTROL_ACTIONS
            negated = None if question else negated_take(r, start, end, trig, speakers)
            if negated is not None:
                drafts.append(negated)
            elif not question and attempted(r, start, trig):
                # "Russian forces are trying to storm X": the attempt is an attack on X.
                drafts.extend(
                    event(r, start, end, A.Trigger("attacked", trig.shape), speakers, distances, drafts)
                )
            continue
        drafts.extend(event(r, start, end, trig, speakers, distances, drafts))
    drafts.extend(distance_advances(r, distances, speakers, drafts))
    remember(r, drafts)
    party_speakers = [s.actor for s in speakers if s.actor is not None]
    if party_speakers:
        r.ctx.last_speaker = party_speakers[-1]
    return drafts
