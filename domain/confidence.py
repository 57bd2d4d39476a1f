"""How much Sitrep believes a control state: a documented function, not a constant.

Evidence weight of one event
----------------------------
``weight(e) = stance_weight(e) × e.confidence`` where ``e.confidence`` is the
parser's confidence that it read the sentence right, and ``stance_weight`` says
how far the *source* is to be believed:

====================================================  =======
who says it                                           default
====================================================  =======
a neutral third party: ``reported`` by a monitor or     0.90
news agency (Syrian Observatory, Reuters)
the article itself states it (``asserted``)             0.80
``reported`` by another source (outlet, official,       0.70
resident, unknown), or by a government about a side
other than its own (an admission is no boast)
a party about itself: ``claimed``, ``denied``, or       0.40
``reported`` by a party / by the government about
its own forces; every claimed_control or denied
a presumption, not a statement: the counterpart of      0.30
an attack is presumed to hold the place attacked
====================================================  =======

Confidence of a state
---------------------
Independent pieces of evidence combine by noisy-OR, so each new report raises
belief with diminishing returns and no pile of weak reports reaches 1::

    support = 1 − Π (1 − wᵢ)   over evidence for the current controller
    doubt   = 1 − Π (1 − wⱼ)   over evidence against it (its own withdrawal,
                               a rival's claim, a denial, a rival inside)
    confidence = support × (1 − doubt / 2)

Doubt at most halves the confidence: contrary reports make a holding uncertain,
but they do not by themselves hand the place to anyone. Results are rounded to
4 decimals so that float noise never makes two equal views compare unequal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemas.event import SituationEvent

NEUTRAL_KINDS = frozenset({"monitor", "news_agency"})
PARTY_KINDS = frozenset({"party", "government"})
SELF_ACTIONS = frozenset({"claimed_control", "denied"})


@dataclass(frozen=True, slots=True)
class StanceWeights:
    """Belief in a statement by who makes it (see the module docstring)."""

    neutral_report: float = 0.9
    asserted: float = 0.8
    reported: float = 0.7
    self_claim: float = 0.4
    presumed: float = 0.3


def is_self_serving(event: SituationEvent, government_side: str | None) -> bool:
    """Whether the statement comes from a party to the fight about itself.

    A claim of control and a denial are a party's word by nature, whoever relays
    them. A government source speaking about another side (conceding a loss) is
    not self-serving; a government source speaking about its own forces is.
    """
    if event.stance in ("claimed", "denied") or event.action in SELF_ACTIONS:
        return True
    source = event.attributed_to
    if event.stance != "reported" or source is None or source.kind not in PARTY_KINDS:
        return False
    if source.kind == "government" and government_side is not None:
        return event.actor.side == government_side
    return True


def evidence_weight(event: SituationEvent, weights: StanceWeights, government_side: str | None) -> float:
    """``stance_weight(event) × event.confidence``."""
    if is_self_serving(event, government_side):
        base = weights.self_claim
    elif event.stance == "asserted":
        base = weights.asserted
    elif event.attributed_to is not None and event.attributed_to.kind in NEUTRAL_KINDS:
        base = weights.neutral_report
    else:
        base = weights.reported
    return base * event.confidence


def noisy_or(weights: Iterable[float]) -> float:
    """Probability that at least one of independent pieces of evidence is right."""
    disbelief = 1.0
    for w in weights:
        disbelief *= 1.0 - w
    return 1.0 - disbelief


def control_confidence(support: Iterable[float], doubt: Iterable[float]) -> float:
    """``support × (1 − doubt / 2)``, rounded to 4 decimals, within [0, 1]."""
    value = noisy_or(support) * (1.0 - noisy_or(doubt) / 2.0)
    return round(min(1.0, max(0.0, value)), 4)
