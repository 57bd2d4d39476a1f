"""What a sentence does not assert: conditions, modals, negations, intentions.

An action phrase is dropped when, looking back within its clause, a modal
("could", "would"), a condition ("if", "unless"), a negation or an intention
("aim to", "in order to") governs it, or when it is a noun or gerund whose
clause is hypothetical ("Seizing Homs would cut off Damascus"). Verbs that
report facts before "to" ("continued to capture", "allowed ... to retreat")
do not make it hypothetical.
"""

from __future__ import annotations

from domain import actions as A
from domain.reading import Reading
from domain.tokens import word_set

CLAUSE_OPENERS = word_set("but and because after since while as when although though")

# Judgements that make a nominal action a prospect, not a fact: "consider a push
# towards X unlikely", "a capture of X is impossible".
JUDGEMENTS = word_set("unlikely impossible improbable possible likely doubtful remote conceivable")

# Nouns and verbs of intention before a nominal action: "plans for a push on X".
NOMINAL_INTENT = word_set(
    """
    plan plans planned planning aim aims aimed hope hopes hoped intend intends intention intentions
    prospect prospects threat threats goal goals ambition ambitions bid expected expect fear fears feared
    agreed agree agrees accepted accept accepts committed demanded demand demands called calls
    """
)
# Verbs whose "that" clause is a demand (subjunctive), never a report.
DEMAND_VERBS = word_set(
    """
    demanded demand demands demanding urged urge urges requested request requests proposed
    propose proposes
    """
)
NOUN_LINKS = word_set("for of a an the to any new possible")


def irrealis(r: Reading, start: int, end: int, trig: A.Trigger) -> bool:
    """True when the trigger sits under a modal, a condition, a negation or an
    intention, or is a noun or gerund whose clause is hypothetical ("Seizing
    Homs ... would cut off Damascus", "the fall of Avdiivka would open")."""
    k = start - 1
    steps = 0
    while k >= 0 and steps < 8:
        text = r.texts[k]
        norm = r.norms[k]
        if text in {";", ":", "(", ")", "—"} or (text == "," and steps > 2):
            if text == "," and r.norms[k + 1] == "with" and _clause_unreal(r, k):
                return True  # "offered to turn X into a zone, with his fighters redeployed"
            break
        if norm in CLAUSE_OPENERS and steps > 1:
            break
        if (norm in A.MODALS or norm in A.CONDITIONALS or norm in A.NEGATIONS) and not (
            norm == "may" and r.cap[k] and k > 0  # "In late May": the month, not the modal
        ):
            return True
        if norm == "t" and k > 0 and r.texts[k - 1] in "'’":
            return True  # didn't, couldn't
        if (
            norm == "to"
            and all(r.norms[x] in {"have", "also", "be", "been", "fully", "now"} for x in range(k + 1, start))
            and _irrealis_infinitive(r, k, trig)
        ):
            return True
        if norm in A.INTENT_WORDS and steps <= 1 and norm not in {"set", "fighting", "fight"}:
            return True
        if norm == "that" and k > 0 and r.norms[k - 1] in DEMAND_VERBS:
            return True  # "demanded that Ukraine withdraw from X": a demand, not a fact
        if (
            norm in NOMINAL_INTENT
            and _nominal(r, start, trig)
            and all(r.norms[x] in NOUN_LINKS for x in range(k + 1, start))
        ):
            return True  # "plans for a push on X", "hopes of a capture of X"
        k -= 1
        steps += 1
    if _conditional_consequent(r, start):
        return True
    if trig.action == "attacked" and _escaped(r, start):
        return True
    gerund_or_noun = _nominal(r, start, trig) or (
        r.norms[start].endswith("ing")
        and (
            start == 0
            or r.texts[start - 1] in {",", "“", '"'}
            # "analysts say that retaking Darfur would be far harder": a gerund subject
            or r.norms[start - 1] in {"that", "but"}
            or r.norms[start - 1] in A.SPEECH_WORDS
        )
    )
    if gerund_or_noun:
        k = end
        steps = 0
        while k < r.n and steps < 14:
            norm = r.norms[k]
            close = _relative_close(r, k)
            if close is not None:
                # "An assault on X, where the regime has massed troops, would be
                # costlier": the relative clause is stepped over to the main verb.
                k = close + 1
                continue
            if norm in {"which", "who", "that", "and", "but", ";", "said", "says"}:
                break
            if norm in A.MODALS or norm in JUDGEMENTS:
                return True  # "consider a push towards X unlikely"
            k += 1
            steps += 1
    return False


RELATIVE_WORDS = word_set("where which who whose")
# How far a relative clause between commas may run.
RELATIVE_CLAUSE_TOKENS = 30


def _relative_close(r: Reading, k: int) -> int | None:
    """The comma closing a relative clause that opens at the comma ``k`` (", where
    ... ,"), or None when none opens there or it does not close in the sentence."""
    if r.texts[k] != "," or k + 1 >= r.n or r.norms[k + 1] not in RELATIVE_WORDS:
        return None
    for j in range(k + 2, min(r.n, k + RELATIVE_CLAUSE_TOKENS)):
        text = r.texts[j]
        if text in {";", ".", ":", "—"}:
            return None
        if text == ",":
            return j
    return None


def _clause_unreal(r: Reading, comma: int) -> bool:
    """True when the clause ending at ``comma`` is a plan, condition or
    negation: an absolute "with X redeployed" after it shares its mood."""
    for k in range(comma - 1, max(-1, comma - 15), -1):
        norm = r.norms[k]
        if r.texts[k] in A.CLAUSE_PUNCT:
            return False
        if norm in A.MODALS or norm in A.CONDITIONALS or norm in A.NEGATIONS:
            return True
        if norm == "to" and k > 0 and r.norms[k - 1] in A.INTENT_WORDS:
            return True
    return False


# "soldiers who escaped the assault reached the town of X": the attack was
# elsewhere; the place after it is where the survivors went.
ESCAPE_VERBS = word_set("escaped escaping escape fled fleeing flee survived surviving survive")


def _escaped(r: Reading, start: int) -> bool:
    k = start - 1
    while k >= 0 and r.norms[k] in {"the", "a", "an", "this", "that"}:
        k -= 1
    return k >= 0 and k < start - 1 and r.norms[k] in ESCAPE_VERBS


CONSEQUENT_BREAKS = word_set("but while whereas although though meanwhile")


def _conditional_consequent(r: Reading, start: int) -> bool:
    """True when the phrase is in the consequent of a condition stated earlier
    in the sentence: "if the rebels push on to X they could cut the road and
    threaten Y" (a modal after "if", before the phrase, however far back)."""
    modal = False
    for k in range(start - 1, -1, -1):
        norm = r.norms[k]
        if r.texts[k] in {";", "—"} or norm in CONSEQUENT_BREAKS:
            return False
        if norm in A.MODALS:
            modal = True
        elif norm in {"if", "unless"}:
            return modal
    return False


def _irrealis_infinitive(r: Reading, to: int, trig: A.Trigger) -> bool:
    """ "aim to overthrow" is a plan; "continued to capture", "allowed government
    forces to retreat" and "claim to hold" report facts."""
    for k in range(to - 1, max(-1, to - 5), -1):
        norm = r.norms[k]
        if norm in A.INTENT_WORDS and not (trig.action == "holds" and norm in A.MOTION_WORDS):
            return True
        if norm in A.FACTIVE_BEFORE_TO or (trig.action == "holds" and norm in A.MOTION_WORDS):
            return False
        if norm == "in" and k + 1 < to and r.norms[k + 1] == "order":
            return True
        if r.texts[k] in A.CLAUSE_PUNCT:
            break
    return True


def _nominal(r: Reading, start: int, trig: A.Trigger) -> bool:
    """The phrase is used as a noun: its shape says so, or a determiner comes
    before it ("a push towards X", "a KNLA push", "the army's advance")."""
    if trig.shape == "noun":
        return True
    k = start - 1
    if k >= 0 and r.owner[k] >= 0 and r.mentions[r.owner[k]].kind == "actor":
        k = r.mentions[r.owner[k]].start - 1
    return k >= 0 and r.norms[k] in {"a", "an", "any"}


# Verbs of a real attempt: "trying to storm X" is an attack on X under way.
ATTEMPT_WORDS = word_set("trying tried try tries attempting attempted attempt attempts seeking sought")
# What an attempt can be an attempt at: taking, assaulting or advancing on a place
# ("a column that tried to advance on X" attacked X).
ATTEMPTED_ACTIONS = frozenset({"captured", "recaptured", "entered", "attacked", "advancing"})


def attempted(r: Reading, start: int, trig: A.Trigger) -> bool:
    """True when a take or an attack is the object of an attempt the sentence
    asserts: "Russian forces are trying to storm X", "the rebels attempted to
    retake Y" (not "may try to retake", "did not try to enter")."""
    if trig.action not in ATTEMPTED_ACTIONS or trig.shape != "verb":
        return False
    if start < 2 or r.norms[start - 1] != "to" or r.norms[start - 2] not in ATTEMPT_WORDS:
        return False
    verb = start - 2
    return not irrealis(r, verb, verb + 1, A.Trigger("attacked", "verb"))
