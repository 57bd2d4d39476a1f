"""Who says so: speakers, stance and the confidence that follows from them.

A speaker is a speech verb ("said", "claimed", "according to") with the source
next to it: a known source (monitors, agencies), an actor, or a noun such as
"residents" or "Rwandan officials". An event takes the nearest speaker before
it, or a closing one (", the army said."). The stance follows from who speaks
about whom: the article's own voice is ``asserted``, a party about itself
``claimed``, anyone else ``reported``.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain import actions as A
from domain.actors import Actor
from domain.mentions import attached, modifier, role_actor
from domain.reading import Mention, Reading
from domain.tokens import word_set
from schemas.common import Source, SourceKind

SPEAKER_CUES = A.SPEECH_WORDS | {"according"}
DENY_WORDS = frozenset(
    k[0] for k, ts in A.TRIGGERS.items() if len(k) == 1 and any(t.shape == "deny" for t in ts)
)
POSSESSIVE = frozenset({"its", "their", "his", "her"})
# Words a source's name never extends back over: "according to local sources".
SOURCE_STOPS = frozenset({"the", "a", "an", "said", "and", "but", "told", "to", "according"})
# Offices that, named without a country ("the authorities", "the defence
# ministry"), are the government of the country the article is about.
OWN_OFFICES = frozenset({"authorities", "ministry"})

# Verbs whose object is an announced event: "announced the liberation of X".
ANNOUNCING = frozenset(
    {"announced", "announces", "announcing", "announce", "declared", "declares", "proclaimed"}
)
RECENT = frozenset({"this", "last", "week", "weekend", "month"})
# Words that may follow the verb of a closing attribution: ", the army said on Saturday."
TAIL_WORDS = word_set(
    """
    on in a statement late early monday tuesday wednesday thursday friday saturday sunday morning evening
    night afternoon yesterday today the that told reporters agency news afp reuters ap
    january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec
    """
)


@dataclass(slots=True)
class Speaker:
    verb: int  # token index of the speech verb
    source: Source
    actor: Actor | None
    final: bool  # ", the army said." at the end of the sentence


# -- speakers ----------------------------------------------------------------------------


def find_speakers(r: Reading) -> list[Speaker]:
    """Every speech verb of the sentence with the source it has."""
    speakers: list[Speaker] = []
    n = r.n
    for i in [i for i, norm in enumerate(r.norms) if norm in SPEAKER_CUES]:
        norm = r.norms[i]
        if norm == "according" and i + 1 < n and r.norms[i + 1] == "to":
            src = _source_near(r, i + 2, forward=True)
            if src:
                speakers.append(Speaker(i, src[0], src[1], final=True))
            continue
        if norm not in A.SPEECH_WORDS:
            continue
        src = _subject_before_apposition(r, i) if i > 2 and r.texts[i - 1] == "," else None
        src = src or _source_near(r, i, forward=False)
        final = False
        if src is None and (i == 0 or not r.word[i - 1] or _pronoun_at(r, i + 1)):
            # Inverted only after a comma or a quote ('..., said the army'), or "and
            # said it had": "footage showed Ukrainian forces had advanced" names
            # what is shown, not who speaks.
            src = _source_near(r, i + 1, forward=True)
        if src is None:
            src = _named_person(r, i)
        if src is None:
            continue
        # ", the army said." / "..., Bloomberg reports."
        tail = [
            k
            for k in range(i + 1, n)
            if r.word[k] and r.norms[k] not in TAIL_WORDS and not r.norms[k].isdigit()
        ]
        final = len(tail) <= 1 and any(t == "," or t in A.QUOTES for t in r.texts[max(0, i - 8) : i])
        # "“We have liberated Goma,” the spokesman said ...": the speaker owns the quote.
        final = final or (r.texts[0] in A.QUOTES and any(t in A.QUOTES for t in r.texts[max(1, i - 10) : i]))
        final = final or _closing_comma(r, i) is not None
        speakers.append(Speaker(i, src[0], src[1], final))
    return speakers


# Words that open an apposition or a relative clause after a speaker's name.
APPOSITION_OPENERS = word_set("a an the which who whose")


def _subject_before_apposition(r: Reading, i: int) -> tuple[Source, Actor | None] | None:
    """ "The TNLA, an armed group of the ethnic Ta'ang, or Palaung, minority,
    said", "The MNLA, which wants a homeland in the north, said": the actor
    before the apposition or relative clause speaks, not a name inside it."""
    if i < 3 or r.texts[i - 1] != ",":
        return None
    for k in range(i - 2, max(0, i - 30), -1):
        text = r.texts[k]
        if text in {";", ".", ":"} or r.norms[k] in A.SPEECH_WORDS:
            return None
        if text != "," or r.norms[k + 1] not in APPOSITION_OPENERS:
            continue
        j = k - 1
        if r.texts[j] == ")" and j >= 2 and r.texts[j - 2] == "(":
            j -= 1  # "Azawad (MNLA), which ...": the short form
        owner = r.owner[j]
        if owner < 0:
            continue
        m = r.mentions[owner]
        if m.kind == "actor" and m.actor is not None and not m.generic:
            actor = m.actor
            return Source(name=actor.name, kind="government" if actor.is_state else "party"), actor
    return None


def _pronoun_at(r: Reading, k: int) -> bool:
    owner = r.owner[k] if k < r.n else -1
    return owner >= 0 and r.mentions[owner].kind == "pronoun"


def _named_person(r: Reading, i: int) -> tuple[Source, Actor | None] | None:
    """ "Yevgeny Prigozhin said": a person the registry does not know still
    speaks, so what follows is not the article's own statement."""
    k = i - 1
    while k >= 0 and r.cap[k] and r.word[k] and r.owner[k] < 0 and i - k <= 3:
        k -= 1
    first = k + 1
    if first == i or (first == 0 and i - first == 1):
        return None  # no name, or one sentence-initial word ("They said")
    return Source(name=r.surface(first, i), kind="unknown"), None


def source_before(r: Reading, i: int) -> tuple[Source, Actor | None] | None:
    """The source just before a verb that is no speech verb ("the defence ministry denied")."""
    return _source_near(r, i, forward=False)


def _source_near(r: Reading, i: int, *, forward: bool) -> tuple[Source, Actor | None] | None:
    """The speaker next to a speech verb: a known source, an actor, or a noun
    like "residents" (with its demonym: "Rwandan officials")."""
    rng = range(i, min(r.n, i + 5)) if forward else range(i - 1, max(-1, i - 9), -1)
    actor: Actor | None
    for k in rng:
        if r.texts[k] in {",", ";", "."} and not forward and k < i - 1:
            break
        owner = r.owner[k]
        if owner >= 0:
            m = r.mentions[owner]
            if m.kind == "source" and m.source:
                if m.source.kind == "government":
                    # State media speak for the government of the article's country.
                    return m.source, role_actor(r, "government")
                return m.source, None
            if m.kind == "actor" and m.actor and not modifier(r, m) and not (not forward and attached(r, m)):
                actor = m.actor
                return Source(name=actor.name, kind="government" if actor.is_state else "party"), actor
            if m.kind == "pronoun":
                actor = _pronoun_actor(r, m, None)
                if actor is not None:
                    return Source(name=actor.name, kind="government" if actor.is_state else "party"), actor
        noun_kind = r.lexicon.actors.source_kind_of_noun(r.norms[k])
        last = r.ctx.last_speaker
        if r.norms[k] in {"he", "she"} and (k == 0 or not r.word[k - 1]) and last is not None:
            # "He added that ...": the party whose spokesman spoke last.
            return Source(name=last.name, kind="government" if last.is_state else "party"), last
        if r.norms[k] == "statement" and k > 0 and r.norms[k - 1] == "the" and last is not None:
            # "..., the statement said.": the statement of the party that spoke last.
            return Source(name=last.name, kind="government" if last.is_state else "party"), last
        if noun_kind is not None and k > 0 and r.texts[k - 1] == "-":
            noun_kind = None  # "a Ukrainian open-source group": a compound, no speaker
        if noun_kind is not None and r.norms[k] not in {"statement", "command"}:
            start = k
            while (
                start - 1 >= 0
                and r.word[start - 1]
                and r.norms[start - 1]
                not in {"the", "a", "an", "said", "and", "but", "told", "to", "according"}
                and k - start < 3
                and r.owner[start - 1] < 0
            ):
                if r.norms[start - 1] == "s" and start > 1 and r.texts[start - 2] in "'’":
                    break
                start -= 1
            if start >= 2 and r.texts[start - 1] == "-" and r.lexicon.demonyms.get(r.norms[start - 2]):
                start -= 2  # "Russian-installed occupation official": the demonym of a compound
            actor = None
            owner_before = r.owner[start - 1] if start > 0 else -1
            if owner_before < 0 and start > 2 and r.norms[start - 1] == "s":
                owner_before = r.owner[start - 3]
            if owner_before >= 0 and r.mentions[owner_before].kind == "actor":
                possessor = r.mentions[owner_before]
                actor = possessor.actor
                start = possessor.start
            name = r.surface(start, k + 1)
            for w in range(start, k):
                iso2 = r.lexicon.demonyms.get(r.norms[w])
                if iso2:
                    actor = r.lexicon.actors.government_of(iso2, r.ctx.conflict)
            own_office = r.norms[k] in OWN_OFFICES
            if noun_kind in {"official", "party", "government"} and actor is None and own_office:
                # "The ministry said" after "Russia's Defence Ministry said": the same
                # state's office; else the government of the article's country.
                last = r.ctx.last_speaker
                actor = last if last is not None and last.is_state else role_actor(r, "government")
            source_kind: SourceKind = noun_kind
            if noun_kind == "unknown" and any(r.norms[w] == "local" for w in range(start, k)):
                source_kind = "resident"  # "local sources": people on the ground, no party
            if actor is not None and noun_kind in {"official", "party"}:
                source_kind = "government" if actor.is_state else "party"
            return Source(name=name, kind=source_kind), actor
    return None


# -- stance ------------------------------------------------------------------------------


def speaker_for(r: Reading, at: int, speakers: list[Speaker]) -> Speaker | None:
    before = [s for s in speakers if s.verb < at and not _tag_closed(r, s, at)]
    if before and not _in_closed_relative(r, before[-1], at):
        return before[-1]
    after = [s for s in speakers if s.verb > at and s.final]
    return after[0] if after else None


def _tag_closed(r: Reading, speaker: Speaker, at: int) -> bool:
    """ "..., the city's administration said this week, 34 months after Ukraine
    recaptured the city": a speech tag closed by a comma speaks for what came
    before it, not for the article's own background after it."""
    comma = _closing_comma(r, speaker.verb)
    return comma is not None and comma < at


def _closing_comma(r: Reading, verb: int) -> int | None:
    """The comma that closes a mid-sentence speech tag (", X said this week,")."""
    k = verb + 1
    while (
        k < r.n
        and k - verb <= 4
        and (r.norms[k] in TAIL_WORDS or r.norms[k].isdigit() or r.norms[k] in RECENT)
    ):
        k += 1
    if k >= r.n or r.texts[k] != "," or verb == 0:
        return None
    # The tag itself follows a comma or a quote: the statement came before it.
    if not any(t == "," or t in A.QUOTES for t in r.texts[max(0, verb - 8) : verb]):
        return None
    return k


def _in_closed_relative(r: Reading, speaker: Speaker, at: int) -> bool:
    """ "Saraqib, which the command said it had captured, was in rebel hands,
    Reuters reported", "The M23, which UN experts say is backed by Rwanda,
    seized X": a speaker inside a relative clause closed before the phrase
    does not speak for it."""
    opener = next(
        (k for k in range(speaker.verb - 1, max(-1, speaker.verb - 8), -1) if r.norms[k] in {"which", "who"}),
        None,
    )
    return opener is not None and "," in r.texts[speaker.verb : at]


def stance_of(r: Reading, at: int, actor: Actor, speakers: list[Speaker]) -> tuple[str, Source | None, bool]:
    claim_verb = any(r.norms[k] in A.CLAIM_WORDS for k in range(max(0, at - 12), at)) and not any(
        r.norms[k] in {"responsibility"} for k in range(max(0, at - 6), at)
    )
    # "Maliar announced the liberation of Urozhaine": an announced take is a claim.
    claim_verb = claim_verb or (at >= 2 and r.norms[at - 1] == "the" and r.norms[at - 2] in ANNOUNCING)
    speaker = speaker_for(r, at, speakers)
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


# -- who "they" and "troops" are ---------------------------------------------------------


def actor_of(r: Reading, m: Mention | None, speakers: list[Speaker], at: int) -> Actor | None:
    if m is None:
        return None
    if m.kind == "pronoun":
        return _pronoun_actor(r, m, speaker_for(r, at, speakers))
    if m.actor is not None and m.generic and m.actor.is_state and _bare_force_noun(r, m):
        speaker = speaker_for(r, at, speakers)
        if speaker is not None and speaker.actor is not None:
            return speaker.actor
    return m.actor


def _pronoun_actor(r: Reading, m: Mention, speaker: Speaker | None) -> Actor | None:
    if m.head in {"we", "our"} and speaker is not None and speaker.actor is not None:
        return speaker.actor
    if m.head in POSSESSIVE and speaker is not None and speaker.actor is not None and speaker.verb < m.start:
        # "the army said ... its troops": the speaker's own, not the last side named
        return speaker.actor
    if (
        m.start == 0
        and m.head in {"it", "they"}
        and r.ctx.last_speaker is not None
        and m.end < r.n
        and (r.norms[m.end] in A.SPEECH_WORDS or r.norms[m.end] in DENY_WORDS)
    ):
        return r.ctx.last_speaker  # "... the government said. It denied that ...": the same speaker
    if (
        m.head in {"it", "its", "they", "their"}
        and m.start <= 6
        and r.ctx.last_subject is not None
        and not any(x.kind in {"actor", "pronoun", "source"} and x.start < m.start for x in r.mentions)
    ):
        # "The AA, one of ... fighting the military, launched X. Its fighters
        # had surrounded the town": the side the last sentence was about.
        return r.ctx.last_subject
    opener = _coordinated_speaker(r, m)
    if opener is not None:
        return opener
    before = r.mention_before(m.start, kinds=("actor",), limit=30)
    while before is not None and (
        modifier(r, before)
        or attached(r, before)
        or (m.head in SINGULAR and _plural_generic(r, before))
        or _owns_place(r, before)
    ):
        # ("troops of its group had liberated X, a day after it claimed Y": "it" is
        # not the troops.)
        before = r.mention_before(before.start, kinds=("actor",), limit=30)
    if before is not None and before.actor is not None:
        return before.actor
    if speaker is not None and speaker.actor is not None:
        return speaker.actor
    if m.head in POSSESSIVE and speaker is not None and speaker.verb < m.start:
        return None  # "the command said its fighters ...": the speaker's own, whoever it is
    for k in range(m.start - 1, -1, -1):
        owner = r.owner[k]
        if owner >= 0 and r.mentions[owner].kind == "source":
            return None  # a source that is no party speaks: its pronoun is not the last actor's
    return r.ctx.actor_history[-1] if r.ctx.actor_history else None


SINGULAR = frozenset({"it", "its"})


def _coordinated_speaker(r: Reading, m: Mention) -> Actor | None:
    """The subject of the sentence for a pronoun right after a speech verb
    coordinated with its first verb: "The AA launched its offensive in
    November, ending a truce with the military, and says it has since taken X"."""
    k = m.start - 1
    if k < 1 or r.norms[k] not in A.SPEECH_WORDS or r.norms[k - 1] != "and":
        return None
    first = next((x for x in r.mentions if x.kind == "actor"), None)
    if first is None or first.actor is None or first.start > 2 or first.end >= k:
        return None
    return first.actor


def _owns_place(r: Reading, m: Mention) -> bool:
    """True when the actor only says whose a place is: "Russia's Kursk region"."""
    k = m.end
    if k + 2 >= r.n or r.texts[k] not in "'’" or r.norms[k + 1] != "s":
        return False
    owner = r.owner[k + 2]
    return owner >= 0 and r.mentions[owner].kind == "place"


def _plural_generic(r: Reading, m: Mention) -> bool:
    """A generic plural ("troops", "rebels", "fighters"), which "it" never stands for."""
    last = r.norms[m.end - 1]
    return m.generic and m.end - m.start == 1 and last.endswith("s") and not last.endswith("ss")


def _bare_force_noun(r: Reading, m: Mention) -> bool:
    return m.end - m.start == 1 and r.norms[m.start] in {"troops", "forces", "soldiers", "units"}


# -- confidence --------------------------------------------------------------------------


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
