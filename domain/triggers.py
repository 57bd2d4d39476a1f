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
    return out


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
    if trig.shape == "send":
        return any(r.norms[k] in A.SENT_FORCES for k in range(b, min(r.n, b + 3)))
    if trig.shape == "hands":
        return in_hands(r, a, b) is not None
    if trig.shape == "oust":
        return ousted(r, b) is not None
    if norm in A.MOTION_TOWARDS and b - a == 1:
        return towards(r, b) is not None
    if trig.shape == "withdraw" and norm in {"fled", "flee", "flees", "fleeing", "left", "leave", "leaves"}:
        # "regime troops fled the city"; not "thousands of people fled Homs".
        k = a - 1
        while k > 0 and r.norms[k] in A.PASSIVE_SKIP | {"had", "have", "has"}:
            k -= 1  # "government forces also left X", "troops had fled the town"
        by_force = k >= 0 and r.owner[k] >= 0 and r.mentions[r.owner[k]].kind in {"actor", "pronoun"}
        return by_force and _place_follows(r, b)
    if (
        trig.shape == "subject"
        and norm in {"fell", "falls", "fallen"}
        and nxt in {"to", "back", "short", "silent"}
    ):
        return False
    if b - a == 1 and trig.shape == "verb" and _object_is_not_a_place(r, a, b, trig):
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


def _object_is_not_a_place(r: Reading, a: int, b: int, trig: A.Trigger) -> bool:
    norm = r.norms[a]
    nxt = r.norms[b] if b < r.n else ""
    if trig.action == "captured" and norm in SEIZE_VERBS:
        if nxt in SEIZE_OBJECT_STOP:
            return True
        return a >= 2 and r.norms[a - 1] in {"or", "and"} and r.norms[a - 2] in CASUALTY_VERBS
    return trig.action == "holds" and norm in HOLD_VERBS and nxt in HOLD_OBJECT_STOP


def towards(r: Reading, k: int) -> int | None:
    """Where "towards" follows a motion verb in its clause, within a few words."""
    for j in range(k, min(r.n, k + 9)):
        if r.texts[j] in A.CLAUSE_PUNCT or r.norms[j] in A.OBJECT_STOP - A.TOWARDS:
            return None
        if r.norms[j] in A.TOWARDS:
            return j
    return None


def _place_follows(r: Reading, k: int) -> bool:
    """ "fled the city", "fled from Goma": the verb has a place of its own."""
    for j in range(k, min(r.n, k + 4)):
        if r.owner[j] >= 0:
            return r.mentions[r.owner[j]].kind in {"place", "anaphor"}
        if r.norms[j] not in {"the", "from", "a"}:
            return False
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


def in_hands(r: Reading, a: int, b: int) -> int | None:
    """The actor mention's index in "in army hands", "in the army's hands",
    "in the hands of the RSF" (-1 for "in its hands"); None when the phrase is
    no such thing."""
    k = a - 1
    if k >= 1 and r.norms[k] in {"its", "their"} and r.norms[k - 1] == "in":
        return -1  # "in its hands": whoever "its" stands for
    if k >= 1 and r.norms[k] == "s" and r.texts[k - 1] in "'’":
        k -= 2
    if k >= 0 and r.owner[k] >= 0:
        m = r.mentions[r.owner[k]]
        j = m.start - 1
        while j >= 0 and r.norms[j] in {"the", "its"}:
            j -= 1
        if m.kind in {"actor", "pronoun"} and j >= 0 and r.norms[j] == "in":
            return r.owner[k]
    if a >= 2 and r.norms[a - 1] == "the" and r.norms[a - 2] == "in" and b + 1 < r.n and r.norms[b] == "of":
        j = b + 1
        while j < r.n and r.norms[j] == "the":
            j += 1
        if j < r.n and r.owner[j] >= 0 and r.mentions[r.owner[j]].kind == "actor":
            return r.owner[j]
    return None
