"""The action phrases of a sentence: where ``domain.actions``' phrases occur.

Phrases are matched on the sentence's words with the filler words of
``actions.INNER_SKIP`` left out ("took full control of"), longest first, and
only from words that can start one; a sentence without any phrase's first word
costs one set operation. A match is kept only when its form fits its shape
(``_trigger_fits``): "took" is not "took part", "fell" not "fell silent".
"""

from __future__ import annotations

from domain import actions as A
from domain.reading import Reading
from domain.tokens import word_set


def find_triggers(r: Reading) -> list[tuple[int, int, A.Trigger]]:
    """The action phrases of the sentence as (first token, end token, trigger),
    in sentence order, none overlapping."""
    norms = r.norms
    if A.TRIGGER_FIRST_WORDS.isdisjoint(norms):
        return []  # most sentences: one set operation instead of a scan
    # Words inside a phrase may be "full", "complete"...: phrases are matched
    # over the other words.
    seq, words = r.tokens.words, r.tokens.word_norm
    if not A.INNER_SKIP.isdisjoint(words):
        seq = [i for i in seq if norms[i] not in A.INNER_SKIP]
        words = [norms[i] for i in seq]
    last = len(words) - 1
    starts = [
        p
        for p in [p for p, word in enumerate(words) if word in A.TRIGGER_FIRST_WORDS]
        if words[p] in A.TRIGGER_SINGLES or (p < last and (words[p], words[p + 1]) in A.TRIGGER_PAIRS)
    ]
    out: list[tuple[int, int, A.Trigger]] = []
    p = 0
    for start in starts:
        if start < p:
            continue  # inside the phrase found before
        p = start
        lengths: list[int] = []
        for n in range(1, min(A.MAX_TRIGGER_WORDS, len(seq) - p) + 1):
            if tuple(words[p : p + n]) not in A.TRIGGER_PREFIXES:
                break
            lengths.append(n)
        for n in reversed(lengths):
            found = A.TRIGGERS.get(tuple(words[p : p + n]))
            if not found:
                continue
            a, b = seq[p], seq[p + n - 1]
            if any(r.texts[k] in A.CLAUSE_PUNCT for k in range(a, b + 1)):
                continue
            trig = next((t for t in found if _trigger_fits(r, a, b + 1, t)), None)
            if trig is None:
                continue
            out.append((a, b + 1, trig))
            p += n
            break
    if not DATED_NOUNS.isdisjoint(norms):
        out = _dated_nominals(r, out)
    return out


# Nouns of a take whose "of" may follow a date: "the fall in August of X".
DATED_NOUNS = word_set("fall capture seizure takeover")
DATE_OPENERS = word_set("in on last earlier late early this")
_DATED_TRIGGER = A.Trigger("captured", "noun")


def _dated_nominals(r: Reading, out: list[tuple[int, int, A.Trigger]]) -> list[tuple[int, int, A.Trigger]]:
    """ "the fall in August of the Northeastern Command in Lashio": a nominal take
    whose date stands between the noun and its "of"."""
    taken = {k for a, b, _ in out for k in range(a, b)}
    added = list(out)
    for k in range(r.n - 3):
        if r.norms[k] not in DATED_NOUNS or k in taken or r.norms[k + 1] not in DATE_OPENERS:
            continue
        of = next((j for j in range(k + 2, min(r.n, k + 6)) if r.norms[j] == "of"), None)
        if of is None or any(not r.word[j] or j in taken for j in range(k + 1, of)):
            continue
        added.append((k, of + 1, _DATED_TRIGGER))
    return sorted(added, key=lambda t: t[0]) if len(added) > len(out) else out


def _trigger_fits(r: Reading, a: int, b: int, trig: A.Trigger) -> bool:
    norm = r.norms[a]
    nxt = r.norms[b] if b < r.n else ""
    prev = r.norms[a - 1] if a > 0 else ""
    if trig.shape == "compound":
        return a >= 2 and r.texts[a - 1] == "-"
    if trig.shape == "withdraw" and norm in {"pulled", "pulls", "pull", "pulling"} and b - a == 1:
        return "out" in r.norms[b : b + 4]
    if trig.action == "attacked" and b - a == 1 and nxt in A.ATTACK_COMPOUNDS:
        return False  # "enemy assault groups", "attack helicopters": a modifier
    if norm in {"aimed", "directed"} and trig.shape == "noun":
        # "a second thrust was aimed at X": only after a noun of attack.
        k = a - 1
        while k >= 0 and a - k <= 3 and r.norms[k] in A.BE_WORDS | {"also", "mainly", "chiefly"}:
            k -= 1
        return k >= 0 and r.norms[k] in AIMED_ATTACKS
    if trig.action == "claimed_control" and trig.shape == "verb":
        return _claims_a_place(r, a, b)
    if trig.shape == "send":
        return any(r.norms[k] in A.SENT_FORCES for k in range(b, min(r.n, b + 3)))
    if trig.shape == "hands":
        return in_hands(r, a, b) is not None
    if trig.shape == "oust":
        return ousted(r, b) is not None or passive_ousted(r, a, b) is not None
    if trig.shape == "cede":
        return ceded(r, b) is not None
    if trig.shape == "hold_on":
        # "the SDF has held on.": holding out, with no object of its own (not
        # "held on Sunday", "hold out hope").
        return b >= r.n or r.texts[b] in A.CLAUSE_PUNCT or nxt in {"despite", "against", "and", "but"}
    if trig.shape == "flag":
        return flag_place(r, a, b) is not None
    if trig.shape == "free":
        return freed_place(r, a, b) is not None
    if trig.shape == "reach":
        return reached_inside(r, b) is not None
    if trig.shape == "announced":
        return announced_take(r, a, b)
    if norm in {"advancing", "advanced"} and b - a == 1 and trig.action == "advancing":
        # Without "on"/"towards": only where a relative "where" names the place
        # ("Hsipaw, where regime columns were advancing along the highway").
        return _where_before(r, a)
    if norm in {"storm", "storms"} and b - a == 1:
        # "trying to storm X", "rebels storm the town"; not "a storm", "Storm Shadow".
        subject = a > 0 and r.owner[a - 1] >= 0 and r.mentions[r.owner[a - 1]].kind in {"actor", "pronoun"}
        return r.texts[a].islower() and (prev == "to" or prev in A.MODALS or subject)
    if norm in OCCUPY_VERBS and b - a == 1 and not _occupy_is_verb(r, a, b):
        return False  # "the occupied territories", "in occupied Melitopol": an adjective
    if norm in RESTORE_VERBS and b - a == 1 and not _place_follows(r, b):
        return False  # "restored Kyaukme", not "restored order", "restored power"
    if norm in A.MOTION_TOWARDS and b - a == 1:
        to = towards(r, b)
        # "heading back towards Nubl": a return to one's own lines, no advance.
        return to is not None and not any(r.norms[k] in {"back", "home"} for k in range(b, to))
    if trig.shape == "withdraw" and norm == "gone":
        # "the soldiers were gone": a force's absence, said after its subject.
        k = a - 1
        while k > 0 and r.norms[k] in A.PASSIVE_SKIP:
            k -= 1
        return (
            k > 0
            and r.norms[k] in {"were", "was", "had", "have", "has", "are", "is"}
            and r.owner[k - 1] >= 0
            and r.mentions[r.owner[k - 1]].kind in {"actor", "pronoun"}
        )
    if trig.shape == "withdraw" and _civilians_moved(r, b):
        return False  # "forced Kyiv to evacuate thousands of civilians from X": no force leaves
    if trig.shape == "withdraw" and norm in {
        "fled",
        "flee",
        "flees",
        "fleeing",
        "left",
        "leave",
        "leaves",
        "leaving",
    }:
        # "regime troops fled the city"; not "thousands of people fled Homs".
        k = a - 1
        there = False  # "the last junta troops there had fled": the place named before
        while k > 0 and (r.norms[k] in A.PASSIVE_SKIP | {"had", "have", "has"} or r.norms[k] == "there"):
            there = there or r.norms[k] == "there"
            k -= 1  # "government forces also left X", "troops had fled the town"
        by_force = k >= 0 and r.owner[k] >= 0 and r.mentions[r.owner[k]].kind in {"actor", "pronoun"}
        if not by_force:
            # "columns of RSF vehicles had been seen since Tuesday night leaving X",
            # "several hundred members of Islamic State and their families left the city"
            by_force = _force_in_clause(r, a)
        named_before = there and any(m.kind in {"place", "anaphor"} and m.end <= k for m in r.mentions)
        return by_force and (_place_follows(r, b) or _residents_place(r, a) is not None or named_before)
    if (
        trig.shape == "subject"
        and r.norms[b - 1] in {"fell", "falls", "fallen"}  # also "had fallen back"
        and nxt in {"to", "back", "short", "silent"}
    ):
        return False
    if b - a == 1 and trig.shape == "verb" and _object_is_not_a_place(r, a, b, trig):
        return False
    if b - a == 1 and trig.shape == "verb" and norm in TAKE_NOUNS and prev in DETERMINERS:
        # "Putin said the capture would give units room in the Donetsk region":
        # a noun, whose place would follow "of", not the verb's object.
        return False
    takes = norm in {"took", "take", "takes", "taking", "taken"} and b - a == 1
    if takes and (nxt in A.TAKE_OBJECT_STOP or r.texts[b - 1].lower() != norm):
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
    if norm in {"surrounding", "encircling"} and b - a == 1 and prev in {"the", "its", "their", "and"}:
        return False  # "the surrounding Shahba area": an adjective
    if r.owner[a] >= 0:
        return False
    return not (a > 0 and r.texts[a - 1] == "-" and trig.shape != "compound")


# Take verbs that are also nouns, and what makes them nouns: "the capture", "its recapture".
TAKE_NOUNS = word_set("capture captures recapture recaptures retake takeover")
DETERMINERS = word_set("the a an this that its their his her our whose")


# What a one-word take or hold verb can have as object that no place is: "seized
# power", "captured weapons", "held talks", "holding hostages".
SEIZE_OBJECT_STOP = word_set(
    """
    power weapons arms ammunition vehicles tanks equipment soldiers fighters troops prisoners hostages
    drugs documents assets goods cargo shipment shipments fuel aid money officers servicemen
    """
)
HOLD_OBJECT_STOP = word_set(
    """
    talks meeting meetings election elections hostage hostages prisoner prisoners captive captives
    responsible accountable power office rally rallies protest protests discussions negotiations
    consultations conference funeral ceremony ceremonies vote referendum hearing summit news briefing
    """
)
SEIZE_VERBS = word_set("seized seize seizes seizing captured capture captures capturing")
HOLD_VERBS = word_set("held hold holds holding")
# "killed or captured", "wounded and captured": people taken, not a place.
CASUALTY_VERBS = word_set("killed wounded injured kidnapped abducted detained arrested")


# Words between a verb and the head of its object: "held several rounds of talks".
OBJECT_FILLERS = word_set(
    "a an the several two three four many further new more direct fresh rounds round of"
)


def _object_is_not_a_place(r: Reading, a: int, b: int, trig: A.Trigger) -> bool:
    norm = r.norms[a]
    nxt = r.norms[b] if b < r.n else ""
    if trig.action == "captured" and norm in SEIZE_VERBS:
        if nxt in SEIZE_OBJECT_STOP:
            return True
        return a >= 2 and r.norms[a - 1] in {"or", "and"} and r.norms[a - 2] in CASUALTY_VERBS
    if trig.action != "holds" or norm not in HOLD_VERBS:
        return False
    k = b
    while k < r.n and k < b + 4 and r.norms[k] in OBJECT_FILLERS and r.norms[k] not in HOLD_OBJECT_STOP:
        k += 1  # "held two rounds of talks", "holding a news conference"
    return k < r.n and r.norms[k] in HOLD_OBJECT_STOP


OCCUPY_VERBS = word_set("occupied occupy occupies occupying")
RESTORE_VERBS = word_set("restored restore restores restoring")


def _occupy_is_verb(r: Reading, a: int, b: int) -> bool:
    """ "M23 rebels occupy X", "the town is now fully occupied by", "troops have
    been occupying X": a verb after its subject, an auxiliary or before "by";
    not the adjective of "the occupied territories" or "in occupied X"."""
    if b < r.n and r.norms[b] == "by":
        return True
    k = a - 1
    while k >= 0 and (r.norms[k] in A.PASSIVE_SKIP or r.norms[k] in A.INNER_SKIP):
        k -= 1
    if k < 0:
        return False
    if r.owner[k] >= 0:
        return r.mentions[r.owner[k]].kind in {"actor", "pronoun"}
    return r.norms[k] in A.BE_WORDS or r.norms[k] in {"had", "has", "have", "to"}


# Who is moved out of a place when no force withdraws: "evacuated residents from X".
CIVILIAN_NOUNS = word_set(
    """
    civilians civilian residents people inhabitants families children women wounded patients refugees
    villagers citizens nationals diplomats staff population
    """
)


def _civilians_moved(r: Reading, b: int) -> bool:
    """True when the object of a departure verb is civilians: "evacuate thousands of
    civilians from", "pulled out residents"."""
    for k in range(b, min(r.n, b + 5)):
        if r.norms[k] in CIVILIAN_NOUNS:
            return True
        if r.owner[k] >= 0 or r.texts[k] in A.CLAUSE_PUNCT or r.norms[k] in {"from", "out"}:
            return False
    return False


# Attacks that can be "aimed at" a place.
AIMED_ATTACKS = word_set(
    "thrust thrusts push pushes offensive offensives assault assaults attack attacks drive advance"
)

# What "claimed" has for object when no place is claimed: "claimed responsibility".
CLAIM_OBJECT_STOP = word_set(
    """
    responsibility credit victory victories success successes lives life that to attack attacks
    killing killings kill killed downing shooting shelling bombing bombings strike strikes raid raids
    ambush blast blasts explosion explosions destruction sinking assassination abduction kidnapping
    """
)
CLAIM_DETERMINERS = word_set("the its their these those such his her our")
CLAIMED_CONTAINERS = word_set("villages towns settlements localities areas positions hamlets")


def _claims_a_place(r: Reading, a: int, b: int) -> bool:
    """ "Russia claimed Ocheretyne", "claimed five villages: X, Y": a verb whose
    object is a place (not "claimed responsibility", "the claims of")."""
    prev = r.norms[a - 1] if a > 0 else ""
    if prev in CLAIM_DETERMINERS or prev == "s" or (r.norms[a] == "claims" and prev in {"", ",", "and"}):
        return False  # "Russia's claims", "the claims", a noun
    k = b
    steps = 0
    container = False
    while k < r.n and steps < 8:
        if r.norms[k] in CLAIM_OBJECT_STOP:
            return False
        container = container or r.norms[k] in CLAIMED_CONTAINERS
        owner = r.owner[k]
        if owner >= 0:
            # ("claims more villages in Kharkiv push": villages somewhere, not Kharkiv)
            located = container and r.norms[k - 1] in {"in", "near", "around", "outside", "of"}
            return r.mentions[owner].kind in {"place", "anaphor"} and not located
        if r.texts[k] in A.CLAUSE_PUNCT and r.texts[k] != ":":
            return False
        k += 1
        steps += 1
    return False


def _where_before(r: Reading, a: int) -> bool:
    """True when the clause of the word at ``a`` opens with ", where"."""
    for k in range(a - 1, max(-1, a - 9), -1):
        if r.texts[k] in A.CLAUSE_PUNCT:
            return False
        if r.norms[k] == "where":
            return k > 0 and r.texts[k - 1] == ","
    return False


def towards(r: Reading, k: int) -> int | None:
    """Where "towards" follows a motion verb in its clause, within a few words."""
    for j in range(k, min(r.n, k + 9)):
        if r.texts[j] in A.CLAUSE_PUNCT or r.norms[j] in A.OBJECT_STOP - A.TOWARDS:
            return None
        if r.norms[j] in A.TOWARDS:
            return j
    return None


# A force's own post, left: "left their camp", "abandoned its positions".
OWN_POSTS = word_set("camp camps base bases positions position barracks garrison post posts")


def _force_in_clause(r: Reading, a: int) -> bool:
    """True when a side is named earlier in the clause of the participle at ``a``."""
    for k in range(a - 1, max(-1, a - 14), -1):
        if r.texts[k] in A.CLAUSE_PUNCT or r.norms[k] in A.SPEECH_WORDS:
            return False
        if r.norms[k] in CIVILIAN_NOUNS and not (k > 0 and r.norms[k - 1] in {"their", "its", "his"}):
            return False  # ("thousands of civilians fled X": no force; but "fighters and their families")
        owner = r.owner[k]
        if owner >= 0 and r.mentions[owner].kind == "actor":
            return True
    return False


# Who tells what happened in a place they live in: "residents of X", "X residents".
RESIDENT_NOUNS = word_set("residents resident inhabitants villagers locals witnesses")


def _residents_place(r: Reading, a: int) -> int | None:
    """Index of the place whose residents tell the clause at ``a`` ("Residents of
    Jebel Aulia said RSF fighters had fled"): where a force they saw leave left."""
    for m in r.mentions:
        if m.kind != "place" or m.end > a or m.place is None or m.place.precision in {"country", "region"}:
            continue
        before = (
            m.start >= 2 and r.norms[m.start - 1] in {"of", "in"} and r.norms[m.start - 2] in RESIDENT_NOUNS
        )
        after = m.end < r.n and r.norms[m.end] in RESIDENT_NOUNS
        if before or after:
            return m.start
    return None


def _place_follows(r: Reading, k: int) -> bool:
    """ "fled the city", "fled from Goma": the verb has a place of its own."""
    for j in range(k, min(r.n, k + 7)):
        if r.owner[j] >= 0:
            return r.mentions[r.owner[j]].kind in {"place", "anaphor"}
        if r.norms[j] in {"its", "their"} and j + 1 < r.n and r.norms[j + 1] in OWN_POSTS:
            return True  # "the peacekeepers left their camp": the place the sentence is about
        ring = r.norms[j] in A.PERIPHERY_NOUNS or r.norms[j] in A.PERIPHERY_MODIFIERS or r.norms[j] == "of"
        if r.norms[j] not in {"the", "from", "a"} and r.texts[j] not in A.QUOTES and not ring:
            return False  # ("left the southern outskirts of the city": its ring is the place)
    return False


def ousted(r: Reading, k: int) -> tuple[int, int] | None:
    """ "pushed [the paramilitaries] out of X", "drove [the RSF] from X": the
    actor mention's index and the token after "out of"/"from"."""
    j = k
    while j < r.n and r.norms[j] in {"the", "a"}:
        j += 1
    if j >= r.n or r.owner[j] < 0:
        return None
    m = r.mentions[r.owner[j]]
    if m.kind not in {"actor", "pronoun"}:
        return None
    j = m.end
    while j < r.n and r.owner[j] >= 0 and r.mentions[r.owner[j]].kind == "actor":
        m = r.mentions[r.owner[j]]  # "government security forces": the head of the phrase
        j = m.end
    if j < r.n and r.norms[j] == "back":
        j += 1
    if j + 1 < r.n and r.norms[j] == "out" and r.norms[j + 1] == "of":
        return r.owner[m.start], j + 2
    if j < r.n and r.norms[j] == "from":
        return r.owner[m.start], j + 1
    return None


def passive_ousted(r: Reading, a: int, b: int) -> int | None:
    """ "had been driven out of X", "were pushed back from Y": where the place
    phrase after "out of"/"from" starts, when the verb is a passive (its subject
    is the side pushed out); None otherwise."""
    k = a - 1
    while k >= 0 and r.norms[k] in A.PASSIVE_SKIP:
        k -= 1
    if k < 0 or r.norms[k] not in A.BE_WORDS:
        return None
    j = b
    if j < r.n and r.norms[j] == "back":
        j += 1
    if j + 1 < r.n and r.norms[j] == "out" and r.norms[j + 1] == "of":
        return j + 2
    if j < r.n and r.norms[j] == "from":
        return j + 1
    return None


# A demonym holds the place: "in Ukrainian hands", "under Russian control".
DEMONYM_HOLDER = -2


def in_hands(r: Reading, a: int, b: int) -> int | None:
    """The actor mention's index in "in army hands", "in the army's hands",
    "in the hands of the RSF", "under RSF control", "under the control of the
    army" (-1 for "in its hands", ``DEMONYM_HOLDER`` for "in Ukrainian hands",
    "under Russian control"); None when the phrase is no such thing."""
    prep = "in" if r.norms[a] == "hands" else "under"
    k = a - 1
    if k >= 1 and r.norms[k] in {"its", "their"} and r.norms[k - 1] == prep:
        return -1  # "in its hands": whoever "its" stands for
    if k >= 1 and r.norms[k] == "s" and r.texts[k - 1] in "'’":
        k -= 2
    if k >= 0 and r.owner[k] >= 0:
        m = r.mentions[r.owner[k]]
        j = m.start - 1
        while j >= 0 and r.norms[j] in {"the", "its"}:
            j -= 1
        if m.kind in {"actor", "pronoun"} and j >= 0 and r.norms[j] == prep:
            return r.owner[k]
    if k >= 1 and r.owner[k] < 0 and r.norms[k - 1] == prep and r.norms[k] in r.lexicon.demonyms:
        return DEMONYM_HOLDER
    of = b - 1 if r.norms[b - 1] == "of" else b
    if a >= 2 and r.norms[a - 1] == "the" and r.norms[a - 2] == prep and of + 1 < r.n and r.norms[of] == "of":
        holder = r.mention_after(of + 1, ("actor",), 3)  # "in the hands of local armed groups"
        if holder is not None:
            return r.owner[holder.start]
    return None


def ceded(r: Reading, k: int) -> tuple[int, int] | None:
    """ "handed Lashio back to the junta", "ceded the town to the rebels": the
    token where the object starts and the receiving actor mention's index (the
    object must hold a place and the receiver follow "to" in the clause)."""
    place_seen = False
    for j in range(k, min(r.n, k + 20)):
        owner = r.owner[j]
        if owner >= 0 and r.mentions[owner].kind in {"place", "anaphor"}:
            place_seen = True
        if r.texts[j] in {";", "."} or (not place_seen and r.texts[j] in A.CLAUSE_PUNCT):
            return None
        if r.norms[j] == "to":
            if not place_seen:
                return None
            m = r.mention_after(j + 1, ("actor", "pronoun"), 3)
            return (k, r.owner[m.start]) if m is not None else None
    return None


FLAG_LINKS = word_set(
    "is was were has had have been now already again still flies flew flying raised hoisted"
)


def flag_place(r: Reading, a: int, b: int) -> int | None:
    """ "the Ukrainian flag was already in Lyman", "the Russian flag now flies
    over X": where the place's mention starts, when a side's flag (a demonym or
    an actor before "flag") is said to be in or over it."""
    k = a - 1
    if k < 0 or not (
        r.norms[k] in r.lexicon.demonyms or (r.owner[k] >= 0 and r.mentions[r.owner[k]].kind == "actor")
    ):
        return None
    j = b
    while j < r.n and j < b + 5 and (r.norms[j] in FLAG_LINKS or r.texts[j] in A.QUOTES):
        j += 1
    if j + 1 >= r.n or r.norms[j] not in {"in", "over", "above"}:
        return None
    j += 1
    if r.owner[j] >= 0 and r.mentions[r.owner[j]].kind in {"place", "anaphor"}:
        return j
    return None


FREE_LINKS = word_set("is was are now completely fully totally finally entirely been has")


def _free_ends(r: Reading, b: int) -> bool:
    """True when "free" ends its phrase: punctuation, a quote, a time or a place
    after it ("declared the city free on Wednesday"), not "free of", "free elections"."""
    if r.texts[b] in A.CLAUSE_PUNCT or r.texts[b] in A.QUOTES or r.norms[b] in {"after", "on", "in", "at"}:
        return True
    return r.owner[b] >= 0 or not r.word[b]


def freed_place(r: Reading, a: int, b: int) -> tuple[int, int] | None:
    """ "declared the city free", "Khartoum is free": the index of the place's
    mention and of the declaring verb (-1 for a plain "X is free"); None when
    "free" says something else ("free of mines", "set free", "free elections")."""
    if b < r.n and not _free_ends(r, b):
        return None
    k = a - 1
    linked = False
    while k >= 0 and r.norms[k] in FREE_LINKS:
        linked = linked or r.norms[k] in A.BE_WORDS
        k -= 1
    if k < 0 or r.owner[k] < 0:
        return None
    m = r.mentions[r.owner[k]]
    if m.kind not in {"place", "anaphor"}:
        return None
    j = m.start - 1
    if j >= 0 and r.norms[j] in A.DECLARE_VERBS:
        return r.owner[k], j
    return (r.owner[k], -1) if linked else None


CENTRE_WORDS = word_set("centre center heart middle")
ANNOUNCING_WORDS = word_set("announced announces announcing announce declared proclaimed hailed celebrated")


def reached_inside(r: Reading, b: int) -> int | None:
    """Where the place starts in "reached the town centre", "reached the heart of
    X" (inside it, not its edge), or None."""
    k = b
    if k < r.n and r.norms[k] == "the":
        k += 1
    if k + 1 < r.n and r.norms[k] in CENTRE_WORDS and r.norms[k + 1] == "of":
        named = (k + 2 < r.n and r.owner[k + 2] >= 0) or (k + 3 < r.n and r.norms[k + 2] == "the")
        return k + 2 if named else None
    owner = r.owner[b] if b < r.n else -1
    if owner < 0:
        return None
    m = r.mentions[owner]
    centre = r.norms[m.end - 1] in CENTRE_WORDS or (m.end < r.n and r.norms[m.end] in CENTRE_WORDS)
    if m.kind in {"place", "anaphor"} and centre:
        return m.start  # "reached the town centre", "reached the Afrin centre"
    return None


def announced_take(r: Reading, a: int, b: int) -> bool:
    """ "announced the capture in a speech": a take announced with no "of X"."""
    if b < r.n and r.norms[b] in {"of", "to", "by"}:
        return False
    return a >= 2 and r.norms[a - 1] == "the" and r.norms[a - 2] in ANNOUNCING_WORDS
