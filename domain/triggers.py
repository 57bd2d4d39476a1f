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
    if (
        trig.shape == "subject"
        and norm in {"fell", "falls", "fallen"}
        and nxt in {"to", "back", "short", "silent"}
    ):
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
    if r.owner[a] >= 0:
        return False
    return not (a > 0 and r.texts[a - 1] == "-" and trig.shape != "compound")
