"""Actor and source mentions, pronouns, and the aliases an article defines.

Names are matched on folded words against the registry's alias and source
index, longest first. Most words cannot start any name; a word is looked at
only when it is a whole name or starts a two-word prefix of one (tables in
``domain.lexicon``). A name that can mean several actors is settled by the
article's conflicts (``_choose``); a generic word ("rebels", "troops") is
sharpened by the word before it ("Russian forces", "Mali's army", a qualifier
the article defined).

An article may define names of its own: "Hayat Tahrir al-Sham (HST)" teaches
"HST", "southern rebels, known as the Southern Operations Room" teaches
"southern rebels". Those hold for the rest of the article only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from domain.actors import Actor, AliasEntry
from domain.lexicon import remember
from domain.places import ANAPHOR_STOP, NAME_CONNECTORS
from domain.reading import Mention, Reading
from domain.tokens import word_key, word_set

POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our", "his", "her"})

SUBJECT_PRONOUNS = frozenset({"it", "they", "we"})

FORCE_NOUNS = word_set(
    """
    forces troops fighters units soldiers men militants army military brigades battalions positions vessels
    ships commanders rebels unit brigade battalion company platoon comrades
    """
)

# What a speaker calls his own side's fighters: "our brothers left Singa".
COMRADE_NOUNS = word_set("brothers heroes boys lads mujahideen")
PRONOUN_STARTS = POSSESSIVE_PRONOUNS | SUBJECT_PRONOUNS | {"the"}

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


# Common words of descriptive unit names ("Military Operations Command",
# "Western Regional Military Command").
DESCRIPTIVE_WORDS = word_set(
    """
    military operations operation command commands department administration regional council forces force
    army front alliance movement coalition committee liberation national defence defense units group
    northern southern eastern western northeastern northwestern southeastern southwestern central the of
    and for
    """
)


# -- actors and sources named ------------------------------------------------------------


def find_actors(r: Reading) -> None:
    """Add the sentence's actor, source and pronoun mentions."""
    words = r.tokens.words
    norms = r.tokens.word_norm
    singles, pairs, firsts = r.lexicon.name_singles, r.lexicon.name_pairs, r.lexicon.name_firsts
    learned_firsts = r.ctx.learned_firsts
    last = len(norms) - 1
    starts = [
        i
        for i in [i for i, norm in enumerate(norms) if norm in firsts or norm in learned_firsts]
        if norms[i] in singles
        or (i < last and (norms[i], norms[i + 1]) in pairs)
        or norms[i] in learned_firsts
    ]
    i = 0
    for start in starts:
        if start < i:
            continue  # inside the name found before
        i = start
        found = _name_at(r, words, norms, i)
        if found is None:
            i += 1
            continue
        n, mention = found
        if mention.generic and _inside_proper_name(r, mention):
            i += n
            continue  # "the junta's Western Regional Military Command": a unit's name
        if mention.generic and mention.end < r.n and r.norms[mention.end] in OBSERVER_NOUNS:
            i += n
            continue  # "military analysts", "military bloggers": observers, not the army
        if norms[i] == "the" and i < last and mention.end < r.n and r.cap[mention.end]:
            # "the military" inside "the Military Operations Command": the longer name wins.
            longer = _name_at(r, words, norms, i + 1)
            if longer is not None and longer[1].end > mention.end:
                i += 1
                n, mention = longer
        if mention.generic and mention.start > 0 and r.norms[mention.start - 1] in POSSESSIVE_PRONOUNS:
            # "its troops" is the actor the pronoun stands for, not the army.
            mention = Mention(
                "pronoun",
                mention.start - 1,
                mention.end,
                r.surface(mention.start - 1, mention.end),
                head=r.norms[mention.start - 1],
            )
            r.add(mention)
            i += n
            continue
        _qualify(r, mention)
        _specific_group(r, mention)
        _named_for_description(r, mention)
        if mention.actor is not None and not mention.generic and _proper_name(mention.text):
            r.ctx.named_ids.setdefault(mention.actor.id, mention.actor)
        if not _merge_into_previous(r, mention):
            r.add(mention)
        i += n
    _find_pronouns(r)


# People a generic word can qualify without being that side: "military analysts".
OBSERVER_NOUNS = word_set(
    """
    analyst analysts expert experts observer observers blogger bloggers historian historians commentator
    commentators correspondent correspondents
    """
)

# Words that introduce another group than the one the article is about.
NEW_GROUP_WORDS = word_set("another other others a an some several various local different rival second new")


def _specific_group(r: Reading, m: Mention) -> None:
    """ "The rebels", "jihadists" after the article named M23 or JNIM: the generic
    word for an armed group stands for the group the article is about (the last
    armed group it named, not on the government's side)."""
    if not m.generic or m.actor is None or m.actor.is_state or not m.actor.generic:
        return
    k = m.start - 1
    while (
        k >= 0
        and r.word[k]
        and r.norms[k] not in NEW_GROUP_WORDS
        and r.norms[k] not in {"the", "these", "those"}
        and k >= m.start - 2
        and not r.cap[k]
    ):
        k -= 1
    # ("For several days the rebels": "the" opens the phrase; "several" is not in it.)
    if k >= 0 and r.norms[k] in NEW_GROUP_WORDS and k >= m.start - 3:
        return  # "another rebel group", "a local militia", "other armed groups": not the one named
    gov = role_actor(r, "government")
    here = [x.actor for x in r.mentions if x.end <= m.start and x.kind == "actor" and x.actor is not None]
    candidates = [
        actor
        for actor in [*reversed(here), *reversed(r.ctx.actor_history)]
        if not actor.is_state
        and not actor.generic
        and actor.kind not in NEUTRAL_KINDS
        and (gov is None or actor.side != gov.side)
        and (r.ctx.conflict is None or actor.conflict == r.ctx.conflict.id)
    ]
    if r.norms[m.end - 1] in JIHADIST_WORDS:
        # "the jihadists": the jihadist group named last (Islamic State, not the
        # SDF fighting it); none named, the word stays the war's generic one.
        jihadists = [
            actor
            for actor in [*reversed(here), *reversed(r.ctx.actor_history)]
            if actor.jihadist and not actor.generic and not actor.is_state
        ]
        if jihadists:
            m.actor = jihadists[0]
        return
    # A group of the generic word's own side first ("rebels" in Syria: HTS
    # before the SDF named in between); any other armed group only when the
    # article named none of that side ("the rebels" after M23 in Congo).
    side = m.actor.side
    chosen = next((a for a in candidates if side is not None and a.side == side), None)
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is not None:
        m.actor = chosen


JIHADIST_WORDS = word_set("jihadists jihadist islamists islamist")

# Head nouns of descriptive aliases ("Tuareg separatists", "Kurdish fighters").
DESCRIPTIVE_HEADS = word_set(
    "rebels separatists fighters militants jihadists insurgents militia militias forces gunmen"
)


def _named_for_description(r: Reading, m: Mention) -> None:
    """ "the separatists" after the article named the CSP: a registry alias that
    only describes a side ("Tuareg rebels", "separatists") stands for the group
    of that side the article named last, not for the group the registry files
    it under (the alliance of another year)."""
    actor = m.actor
    if m.kind != "actor" or actor is None or actor.is_state or actor.generic:
        return
    if r.norms[m.end - 1] not in DESCRIPTIVE_HEADS or any(
        r.texts[k].isupper() and len(r.texts[k]) > 1 for k in range(m.start, m.end)
    ):
        return
    here = [x.actor for x in r.mentions if x.end <= m.start and x.kind == "actor" and x.actor is not None]
    for other in [*reversed(here), *reversed(r.ctx.actor_history)]:
        if other.side == actor.side and other.id != actor.id and not other.generic and not other.is_state:
            m.actor = other
            return
        if other.id == actor.id:
            return


NAME_FUNCTION_WORDS = word_set("of the for and al el wal de du des la le")


@functools.lru_cache(maxsize=8192)
def _proper_name(text: str) -> bool:
    """True when a surface names a group by its proper name ("MNLA", "the
    National Movement for the Liberation of Azawad", "Arakan Army"), not by a
    description ("Tuareg separatist rebels", "the separatists")."""
    words = [w for w in text.replace("-", " ").split() if w.strip("'’()").isalpha()]
    if any(sum(c.isupper() for c in w) >= 2 for w in words):
        return True  # an acronym
    content = [w for w in words if w.lower() not in NAME_FUNCTION_WORDS]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


# Forces no "rebels" or "jihadists" can stand for: peacekeepers, observers.
NEUTRAL_KINDS = frozenset({"peacekeepers", "observers", "monitors"})


def _inside_proper_name(r: Reading, m: Mention) -> bool:
    """A capitalised generic word ("Military") between other capitalised words
    of a name that is not the registry's ("Western Regional Military Command")."""
    if m.end - m.start != 1 or not r.cap[m.start] or m.start == 0:
        return False
    prev, nxt = m.start - 1, m.end
    return (
        nxt < r.n
        and r.cap[nxt]
        and r.word[nxt]
        and r.owner[nxt] < 0
        and r.cap[prev]
        and r.word[prev]
        and r.norms[prev] not in r.lexicon.demonyms
    )


def _name_at(r: Reading, words: list[int], norms: list[str], i: int) -> tuple[int, Mention] | None:
    """The longest actor or source name starting at word ``i``, and its length
    in words."""
    reg = r.lexicon.actors
    prefixes = r.lexicon.name_prefixes
    learned_prefixes = r.ctx.learned_prefixes
    # Lengths at which some name ends, found by extending while a name
    # still starts with these words; tried longest first.
    lengths: list[int] = []
    for n in range(1, min(reg.max_alias_words, len(words) - i) + 1):
        key = tuple(norms[i : i + n])
        if key not in prefixes and key not in learned_prefixes:
            break
        lengths.append(n)
    for n in reversed(lengths):
        key = tuple(norms[i : i + n])
        learned = r.ctx.learned.get(key)
        source = reg.source_index.get(key)
        entries = reg.alias_index.get(key)
        if learned is None and source is None and not entries:
            continue
        if not r.span_ok(words[i], words[i + n - 1]):
            continue
        a, b = words[i], words[i + n - 1] + 1
        surface = r.surface(a, b)
        if learned is not None and (not _all_caps(surface) or surface.isupper()):
            return n, Mention("actor", a, b, surface, actor=learned)
        if entries:
            choice = _choose(r, key, entries, surface)
            if choice is not None:
                return n, Mention("actor", a, b, surface, actor=choice[0], generic=choice[1])
        if source is not None and (not _all_caps(surface) or surface == surface.upper()):
            return n, Mention("source", a, b, surface, source=r.lexicon.source(source))
    return None


def _choose(
    r: Reading, name: tuple[str, ...], entries: Sequence[AliasEntry], surface: str
) -> tuple[Actor, bool] | None:
    """Which of the actors a name can mean this article means, and whether as
    a generic word."""
    # The choice depends on the words and the article's conflicts only, and
    # the same names come back article after article.
    key = (name, surface, r.ctx.conflict_key)
    choices = r.lexicon.choices
    if key in choices:
        return choices[key]
    choice = _rank_entries(r, entries, surface)
    remember(choices, key, choice)
    return choice


def _rank_entries(r: Reading, entries: Sequence[AliasEntry], surface: str) -> tuple[Actor, bool] | None:
    conflict = r.ctx.conflict
    ids = {c.id for c in r.ctx.conflicts}
    best: tuple[int, Actor, bool] | None = None
    descriptive = all(w in DESCRIPTIVE_WORDS for w in surface.lower().split())
    for e in entries:
        if e.exact_case and surface.replace(" ", "") != e.exact_case.replace(" ", ""):
            continue
        if e.role:
            actor = role_actor(r, e.role)
            rank = 2
        elif e.conflict == (conflict.id if conflict else None):
            actor, rank = e.actor, 0
        elif e.conflict in ids and not descriptive:
            # A generic word of another war the article touches ("regime" in
            # Syria) yields to the shared word of the article's own war.
            actor, rank = e.actor, 3 if e.generic else 1
        elif not e.generic and not descriptive:
            # A distinctive name from another war ("Wagner") is still that actor;
            # a descriptive one ("Military Operations Command") is not.
            actor, rank = e.actor, 4
        else:
            continue
        if actor is None:
            continue
        if best is None or rank < best[0]:
            best = (rank, actor, e.generic)
    return None if best is None else (best[1], best[2])


def role_actor(r: Reading, role: str, iso2: str | None = None) -> Actor | None:
    reg = r.lexicon.actors
    conflict = r.ctx.conflict
    if iso2:
        found = reg.conflicts_for([iso2])
        conflict = found[0] if found else conflict
    if conflict is None:
        return None
    if role == "government":
        # "the army" in an article about Burkina Faso is Burkina Faso's, not the
        # army of the conflict's first country.
        main = r.ctx.countries[0] if r.ctx.countries else None
        country = iso2 or (
            main if main in conflict.countries else (conflict.countries[0] if conflict.countries else None)
        )
        return reg.government_of(country, conflict) if country else None
    return reg.opposition_of(conflict)


def _qualify(r: Reading, m: Mention) -> None:
    """Sharpen a generic mention by the word before it: a demonym ("Russian
    forces"), a country's possessive ("Mali's army") or a qualifier the
    article defined ("southern rebels" = Southern Operations Room)."""
    if m.actor is None or not m.generic:
        return
    prev = m.start - 1
    if prev >= 0 and r.texts[prev] in "'’" and prev - 1 >= 0:
        prev -= 1
    if prev > 0 and r.norms[prev] == "s" and r.texts[prev - 1] in "'’":
        prev -= 2
    if prev < 0 or not r.word[prev]:
        return
    word = r.norms[prev]
    if word == "led" and prev >= 2 and r.texts[prev - 1] == "-" and r.norms[prev - 2] in LEADING_JIHADISTS:
        # "Islamist-led rebels": the jihadist group of the rebels' own side (HTS).
        led = _jihadist_of_side(r, m.actor)
        if led is not None:
            m.actor, m.start = led, prev - 2
            m.text = r.surface(prev - 2, m.end)
        return
    qualified = r.ctx.qualifiers.get(word)
    if qualified is not None and m.actor.side == qualified.side:
        m.actor, m.generic, m.start = qualified, True, prev
        m.text = r.surface(prev, m.end)
        return
    iso2 = r.lexicon.demonyms.get(word) or (r.lexicon.country_of_name(r.texts[prev]) if r.cap[prev] else None)
    if iso2 is None:
        return
    conflict = r.ctx.conflict
    is_government_word = conflict is not None and m.actor.id in conflict.governments.values()
    if is_government_word or m.actor.is_state:
        actor = r.lexicon.actors.government_of(iso2, conflict)
    else:
        actor = role_actor(r, "opposition", iso2)
    if actor is not None:
        m.actor, m.start = actor, prev
        m.text = r.surface(prev, m.end)


LEADING_JIHADISTS = frozenset({"islamist", "jihadist"})


def _jihadist_of_side(r: Reading, actor: Actor) -> Actor | None:
    """The one jihadist group of a generic actor's side in the article's war."""
    conflict = r.ctx.conflict
    if conflict is None or actor.side is None:
        return None
    found = [
        a
        for a in r.lexicon.actors.actors
        if a.jihadist and a.side == actor.side and a.conflict == conflict.id and a.id != actor.id
    ]
    return found[0] if len(found) == 1 else None


def _merge_into_previous(r: Reading, m: Mention) -> bool:
    """ "HST rebels", "M23 rebels", "Russia's forces": a named actor followed by
    a generic noun is one mention of the named actor."""
    if not m.generic or not r.mentions:
        return False
    last = r.mentions[-1]
    if last.kind != "actor" or last.generic or last.actor is None:
        return False
    gap = m.start - last.end
    possessive = gap == 2 and r.texts[last.end] in "'’" and r.norms[last.end + 1] == "s"
    # "Wazalendo self-defence fighters": a compound adjective between the name and the noun.
    compound = gap == 3 and r.texts[last.end + 1] == "-" and not r.cap[last.end] and r.word[last.end + 2]
    if gap != 0 and not possessive and not compound:
        return False
    for k in range(last.end, m.end):
        r.owner[k] = len(r.mentions) - 1
    last.end = m.end
    last.text = r.surface(last.start, last.end)
    return True


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# -- pronouns and "the group" ------------------------------------------------------------


def _find_pronouns(r: Reading) -> None:
    n = r.n
    for i in [i for i, norm in enumerate(r.norms) if norm in PRONOUN_STARTS]:
        if r.owner[i] >= 0 or not r.word[i]:
            continue
        norm = r.norms[i]
        if (
            norm in POSSESSIVE_PRONOUNS
            and i + 1 < n
            and (r.norms[i + 1] in FORCE_NOUNS or (norm == "our" and r.norms[i + 1] in COMRADE_NOUNS))
        ):
            r.add(Mention("pronoun", i, i + 2, r.surface(i, i + 2), head=norm))
        elif norm in SUBJECT_PRONOUNS:
            if (
                norm == "it"
                and i + 1 < n
                and r.norms[i + 1] in {"is", "was", "has", "had", "seems", "remains"}
                and i + 2 < n
                and r.norms[i + 2] in {"the", "a", "an", "not", "unclear", "clear", "been"}
            ):
                continue  # "It was the first attack", "It is not yet clear"
            r.add(Mention("pronoun", i, i + 1, r.texts[i], head=norm))
        elif norm == "the" and i + 1 < n and r.norms[i + 1] in DEFINITE_GROUP_NOUNS:
            actor = _recent_group(r, DEFINITE_GROUP_NOUNS[r.norms[i + 1]], i)
            if actor is not None:
                r.add(Mention("actor", i, i + 2, r.surface(i, i + 2), actor=actor))
        elif (
            norm == "the"
            and i + 2 < n
            and r.cap[i + 1]
            and r.owner[i + 1] < 0
            and r.norms[i + 2] in DEFINITE_GROUP_NOUNS
            and r.owner[i + 2] < 0
        ):
            # "the Kachin group": the group named last whose name has that word.
            actor = _recent_group(r, DEFINITE_GROUP_NOUNS[r.norms[i + 2]], i, qualifier=r.norms[i + 1])
            if actor is not None:
                r.add(Mention("actor", i, i + 3, r.surface(i, i + 3), actor=actor))


def _recent_group(r: Reading, head: str, at: int, qualifier: str | None = None) -> Actor | None:
    """The group named last: earlier in the sentence ("KIA spokesperson ... the
    group's forces"), else in the sentences before."""
    here = [m.actor for m in sorted(r.mentions, key=lambda m: m.start) if m.end <= at and m.actor is not None]
    for actor in [*reversed(here), *reversed(r.ctx.actor_history)]:
        if actor.generic or actor.is_state:
            continue
        if head and not actor.name.lower().rstrip(")").split("(")[0].strip().endswith(head):
            continue
        if qualifier and not any(qualifier in name.lower().split() for name in (actor.name, *actor.aliases)):
            continue
        return actor
    return None


# -- names the article defines -----------------------------------------------------------


def learn_aliases(r: Reading) -> None:
    """Learn the names this sentence defines for the rest of the article."""
    n = r.n
    if "(" not in r.texts and "known" not in r.norms:
        return  # the only two ways a sentence defines a name
    for i in [i for i, norm in enumerate(r.norms) if norm in ("(", "known")]:
        # "Hayat Tahrir al-Sham (HST)": the bracketed short form names the
        # actor just before it, whatever the registry calls it.
        if r.texts[i] == "(" and i + 2 < n and r.texts[i + 2] == ")" and r.word[i + 1]:
            abbr = r.texts[i + 1]
            if not (abbr[0].isupper() and 2 <= len(abbr) <= 10):
                continue
            owner = r.owner[i - 1] if i > 0 else -1
            if owner >= 0 and r.mentions[owner].actor is not None:
                actor = r.mentions[owner].actor
                assert actor is not None
                _learn(r, (abbr.lower(),), actor)
            elif owner < 0:
                actor = _adhoc_actor(r, i, abbr)
                if actor is not None:
                    _learn(r, (abbr.lower(),), actor)
        # "southern rebels, who are known as the Southern Operations Room"
        if r.norms[i] == "known" and i + 1 < n and r.norms[i + 1] == "as":
            target = r.mention_after(i + 2, kinds=("actor",), limit=3)
            generic = r.mention_before(i, kinds=("actor",), limit=6)
            if target and generic and target.actor and generic.generic and not target.generic:
                # Learn "<qualifier> <generic noun>" and the qualifier itself, so
                # "southern rebels" also covers "southern militants".
                q = generic.start - 1
                if (
                    q >= 0
                    and r.word[q]
                    and r.owner[q] < 0
                    and r.norms[q] not in ANAPHOR_STOP
                    and r.norms[q] not in {"but", "when", "while", "so", "then", "now"}
                ):
                    qualifier = r.norms[q]
                    _learn(r, (qualifier, *word_key(generic.text)), target.actor)
                    r.ctx.qualifiers.setdefault(qualifier, target.actor)
                    generic.actor, generic.generic = target.actor, False


def _learn(r: Reading, key: tuple[str, ...], actor: Actor) -> None:
    r.ctx.learned[key] = actor
    r.ctx.learned_prefixes.update(key[:n] for n in range(1, len(key) + 1))
    r.ctx.learned_firsts.add(key[0])


def _adhoc_actor(r: Reading, paren: int, abbr: str) -> Actor | None:
    """An actor the registry does not know, defined in the text as
    "Long Name (ABBR)"; kept for this article only, without an id."""
    words: list[int] = []
    k = paren - 1
    while k >= 0 and len(words) < 8:
        norm = r.norms[k]
        if r.word[k] and (r.cap[k] or norm in NAME_CONNECTORS or norm in {"for", "and", "wal"}):
            words.append(k)
        elif r.texts[k] not in "-'’":
            break
        k -= 1
    if not words:
        return None
    name = r.surface(min(words), paren)
    initials = "".join(r.texts[w][0] for w in sorted(words) if r.cap[w])
    if not initials or abbr[0].upper() != initials[0]:
        return None
    conflict = r.ctx.conflict
    return Actor(
        id="",
        name=name,
        side=None,
        country=r.ctx.countries[0] if r.ctx.countries else None,
        kind="armed_group",
        conflict=conflict.id if conflict else None,
    )


# Nouns for a place an actor's name can qualify: "the army base at X".
MODIFIED_PLACES = frozenset(
    {
        "camp",
        "camps",
        "base",
        "bases",
        "post",
        "posts",
        "checkpoint",
        "checkpoints",
        "barracks",
        "outpost",
        "outposts",
        "headquarters",
        "capital",
    }
)
# Nouns an actor's name can qualify: "an army camp", "rebel positions".
MODIFIED_NOUNS = MODIFIED_PLACES | {"position", "positions", "convoy", "convoys", "lines", "garrison"}


def modifier(r: Reading, m: Mention) -> bool:
    """True when an actor's name only qualifies a noun ("an army camp"): it is
    then nobody's subject nor what a pronoun stands for."""
    if m.kind != "actor" or m.end >= r.n or r.norms[m.end] not in MODIFIED_NOUNS:
        return False
    # "an army camp"; a longer name only before a place it names ("the army base at
    # X", "the former Islamic State capital"), not before a force ("the army garrison").
    return m.end - m.start == 1 or r.norms[m.end] in MODIFIED_PLACES


# "gunmen affiliated with disbanded army units": the actor after these words
# qualifies the noun before them, which is the subject.
ATTACHING = frozenset(
    {
        ("affiliated", "with"),
        ("loyal", "to"),
        ("linked", "to"),
        ("allied", "with"),
        ("tied", "to"),
        ("backed", "by"),
        ("supported", "by"),
        ("armed", "by"),
        ("trained", "by"),
        ("funded", "by"),
    }
)


def attached(r: Reading, m: Mention) -> bool:
    """True when an actor only says whom the subject before it belongs to."""
    k = m.start - 1
    while k > m.start - 4 and k >= 1:
        if (r.norms[k - 1], r.norms[k]) in ATTACHING:
            owners = [r.owner[x] for x in range(max(0, k - 4), k - 1)]
            return any(o >= 0 and r.mentions[o].kind == "actor" for o in owners)
        if not r.word[k] or r.cap[k]:
            return False
        k -= 1
    return False
