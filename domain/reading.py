"""One sentence being read: its tokens, the mentions found in them, and what
the article said before it.

A sentence is read in passes (``domain.parser.read``): mentions first
(``domain.mentions``, ``domain.places``), then action phrases
(``domain.triggers``), then for each phrase its place, actor and qualifiers
(``domain.events``, ``domain.modality``, ``domain.attribution``). The passes
share a ``Reading``: the tokens as parallel lists, the mentions found so far,
and ``owner``, which says for every token the mention it belongs to, so that a
later pass steps over a whole name at once and two mentions never overlap.

Positions are token indices throughout; ``surface`` turns a span back into the
text as written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from domain import actions as A
from domain.actors import Actor, Conflict
from domain.sentences import Sentence
from domain.tokens import Tokens
from schemas.common import ActorRef, Place, Source, TimeSpan
from schemas.event import Distance

if TYPE_CHECKING:
    from domain.lexicon import Lexicon

# How many places and actors the article remembers for "the city" and "they".
_HISTORY = 64


@dataclass(slots=True)
class Mention:
    """A span of tokens that names something: an actor, a source, a pronoun, a
    place, or a phrase pointing back to a place ("the city")."""

    kind: str  # actor, pronoun, source, place, anaphor
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
    facility: str | None = None  # kind of facility named with the place ("the base in X"): "the base" later


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
class ArticleContext:
    """What the article has said so far that later sentences lean on: its
    countries and conflicts, the aliases it defined, the places and actors
    recently named (for "the city", "they"), the claims made."""

    countries: list[str]
    conflict: Conflict | None
    conflicts: list[Conflict]
    day: TimeSpan  # the publication day: when an event states no time of its own
    country_key: tuple[str, ...]  # ``countries``, hashable
    conflict_key: tuple[str, ...]  # ids of ``conflicts``
    learned: dict[tuple[str, ...], Actor] = field(default_factory=dict)
    learned_prefixes: set[tuple[str, ...]] = field(default_factory=set)
    learned_firsts: set[str] = field(default_factory=set)
    qualifiers: dict[str, Actor] = field(default_factory=dict)
    # (place, head noun, minor): minor places were only named in passing (a later
    # member of a list, where a road leads, a nearby village), not as a subject.
    place_history: list[tuple[Place, str | None, bool]] = field(default_factory=list)
    # (place, facility kind, sentence index): the places whose base, camp or
    # airport was named ("the 22nd Division's base in Babanusa"), for "the base".
    facility_history: list[tuple[Place, str, int]] = field(default_factory=list)
    actor_history: list[Actor] = field(default_factory=list)
    last_event_places: list[Place] = field(default_factory=list)
    claims: list[Draft] = field(default_factory=list)
    # The events of the last sentence that stated one, with its index: a next
    # sentence continuing the same narration about the same place keeps its date.
    last_dated: tuple[int, list[Draft]] = (-1, [])
    # The side of the last take the article told, with its sentence: "the
    # capture of X" with no side named is most likely its.
    last_taker: tuple[int, Actor | None] = (-1, None)
    # Where each side last withdrew (actor id -> sentence index), and last took.
    withdrawn_at: dict[str, int] = field(default_factory=dict)
    took_at: dict[str, int] = field(default_factory=dict)
    # The party that spoke last ("the government said ..."): "It denied ..." next
    # continues its statement.
    last_speaker: Actor | None = None
    # The side the last sentence was about (its opening subject, else the actor
    # of its first event): "Its fighters ..." at the start of the next one.
    last_subject: Actor | None = None
    # The last attack the article told: "the assault" a later sentence repelled.
    last_attack: Draft | None = None
    # The places the sentence before was about: its events', else the places it named.
    prev_places: list[Place] = field(default_factory=list)
    # The groups the article calls by their proper names ("MNLA"), first named first.
    named_ids: dict[str, Actor] = field(default_factory=dict)


class Reading:
    """The state of one sentence while it is read."""

    def __init__(
        self,
        lexicon: Lexicon,
        ctx: ArticleContext,
        sentence: Sentence,
        tokens: Tokens,
        reference: datetime,
    ) -> None:
        self.lexicon = lexicon
        self.ctx = ctx
        self.sentence = sentence
        self.tokens = tokens
        self.texts = tokens.text
        self.norms = tokens.norm
        self.word = tokens.word
        self.cap = tokens.cap
        self.n = len(tokens)
        self.reference = reference
        self.mentions: list[Mention] = []
        self.owner: list[int] = [-1] * self.n  # token -> index in ``mentions``, -1 for none
        self.times: list[tuple[int, TimeSpan]] | None = None  # read when first needed

    def span_ok(self, a: int, b: int) -> bool:
        """Tokens a..b (inclusive) form one name: only hyphens, apostrophes, dots
        and slashes between the words."""
        if a == b:
            return True
        return all(self.word[k] or self.texts[k] in "-'’./" for k in range(a, b + 1))

    def add(self, mention: Mention) -> None:
        """Keep a mention unless it overlaps one found before."""
        start, end = mention.start, mention.end
        span = self.owner[start:end]
        if span and max(span) >= 0:
            return
        self.mentions.append(mention)
        self.owner[start:end] = [len(self.mentions) - 1] * (end - start)

    def surface(self, a: int, b: int) -> str:
        """The text of tokens [a, b) as written."""
        starts = self.tokens.start
        return self.sentence.text[starts[a] : starts[b - 1] + len(self.texts[b - 1])]

    def token_at(self, offset: int) -> int:
        """The token holding (or first after) character ``offset`` of the sentence."""
        k = bisect_right(self.tokens.start, offset) - 1
        if k >= 0 and self.tokens.end(k) > offset:
            return k
        return min(k + 1, self.n - 1)

    def mention_after(self, i: int, kinds: Sequence[str], limit: int) -> Mention | None:
        k = i
        steps = 0
        while k < self.n and steps < limit:
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

    def mention_before(self, i: int, kinds: Sequence[str], limit: int) -> Mention | None:
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


# Words before a place that name it in passing: "towards the cities of X",
# "the nearby villages of X".
_PASSING_WORDS = frozenset({"towards", "toward", "nearby", "neighbouring", "neighboring", "leading"})
# A place in a clause that dates something else: "after taking X", "since the fall of X".
_DATING_WORDS = frozenset({"after", "since", "following"})
_DATING_TAKES = frozenset(
    {
        "fall",
        "capture",
        "seizure",
        "loss",
        "takeover",
        "taking",
        "capturing",
        "seizing",
        "retaking",
        "recapture",
    }
)


def minor_mention(r: Reading, m: Mention) -> bool:
    """True when a place is named in passing: a member of a list ("X and Y"),
    after "towards", "nearby" ("a road leading towards the cities of X and Y",
    "along with the nearby villages of X"), or in a clause dating something else
    ("after taking X", "since the fall of X")."""
    k = m.start - 1
    if k >= 1 and r.norms[k] in {"and", "or", ","}:
        owner = r.owner[k - 1]
        if owner >= 0 and r.mentions[owner].kind == "place":
            return True
    if m.end + 1 < r.n and r.norms[m.end] in {"and", "or"}:
        owner = r.owner[m.end + 1]
        if owner >= 0 and r.mentions[owner].kind == "place":
            return True  # the first of "X and Y": "the town" after it is neither
    steps = 0
    while k >= 0 and steps < 5 and r.word[k] and not r.cap[k]:
        if r.norms[k] in _PASSING_WORDS:
            return True
        if r.norms[k] in _DATING_WORDS and any(r.norms[j] in _DATING_TAKES for j in range(k + 1, m.start)):
            return True
        k -= 1
        steps += 1
    return False


def remember(r: Reading, drafts: list[Draft]) -> None:
    """Hand what the sentence named and stated on to the sentences after it."""
    opening: Actor | None = None  # the side named at the sentence's start
    named_side = False
    for m in r.mentions:
        if (
            m.kind == "place"
            and m.place is not None
            and m.place.precision != "country"
            and not m.destination
            and not m.reference  # "250km north-east of Lashio": a landmark, not the story's place
        ):
            r.ctx.place_history.append((m.place, m.head, minor_mention(r, m)))
            if m.facility is not None:
                r.ctx.facility_history.append((m.place, m.facility, r.sentence.index))
        elif m.kind == "actor" and m.actor is not None:
            r.ctx.actor_history.append(m.actor)
            named_side = True
            if opening is None and m.start <= 4 and not m.actor.generic:
                opening = m.actor
    for d in drafts:
        if d.actor_obj is not None:
            r.ctx.actor_history.append(d.actor_obj)
        if d.stance in {"claimed", "reported"} and d.action in A.CONTROL_ACTIONS:
            r.ctx.claims.append(d)
    if drafts:
        r.ctx.last_event_places = [d.place for d in drafts]
    if drafts:
        r.ctx.prev_places = [d.place for d in drafts]
        for d in drafts:
            if d.action == "attacked" and d.stance == "asserted":
                r.ctx.last_attack = d
    else:
        r.ctx.prev_places = [
            m.place
            for m in r.mentions
            if m.kind == "place"
            and m.place is not None
            and m.place.precision == "city"
            and not m.destination
            and not m.reference
        ]
    if opening is not None:
        r.ctx.last_subject = opening
    elif drafts and drafts[0].actor_obj is not None:
        r.ctx.last_subject = drafts[0].actor_obj
    elif named_side:
        r.ctx.last_subject = None
    r.ctx.last_dated = (r.sentence.index, [d for d in drafts if d.when.text is not None])
    for d in drafts:
        if d.action in A.TAKE_ACTIONS and d.actor_obj is not None and not d.actor.generic:
            r.ctx.last_taker = (r.sentence.index, d.actor_obj)
        if d.actor_obj is not None and d.actor_obj.id:
            if d.action == "withdrew":
                r.ctx.withdrawn_at[d.actor_obj.id] = r.sentence.index
            elif d.action in A.TAKE_ACTIONS:
                r.ctx.took_at[d.actor_obj.id] = r.sentence.index
    if len(r.ctx.place_history) > _HISTORY:
        del r.ctx.place_history[:-_HISTORY]
    if len(r.ctx.facility_history) > _HISTORY:
        del r.ctx.facility_history[:-_HISTORY]
    if len(r.ctx.actor_history) > _HISTORY:
        del r.ctx.actor_history[:-_HISTORY]
