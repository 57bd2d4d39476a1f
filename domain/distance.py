"""Stated distances: "six miles from the capital", "27km west of Goma".

Only the numbers, the unit and the bearing are read here; which place the
distance is measured from is settled by the parser, which knows the places.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from domain.geo import KM_PER_MILE
from domain.tokens import WORD_NUMBERS as _WORD_NUMBERS

_BEARINGS = r"(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?"
# Every gap is at most one space: bounded repetition keeps matching linear in
# the input, whatever whitespace an adversarial text contains.
_DISTANCE = re.compile(
    rf"""\b(?P<value>\d+(?:[.,]\d+)?|{"|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))})
        [ ]?-?[ ]?(?P<unit>km|kms|kilometres|kilometers|kilometre|kilometer|miles|mile|mi)\b
        (?:[ ]?\([^)]{{0,20}}\))?
        [ ]?[(,]?[ ]?(?:(?P<bearing>{_BEARINGS})[ ])?
        (?P<prep>from|of|outside|away[ ]from|short[ ]of)\b""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class DistanceMention:
    start: int  # character offsets within the sentence
    end: int  # end of the preposition: the reference place follows
    value: float
    unit: str  # "km" or "mi"
    km: float
    bearing: str | None
    text: str


_HINT = re.compile(r"km|mile|kilomet|\bmi\b", re.IGNORECASE)


def _may_hold_distance(text: str, words: Collection[str] | None) -> bool:
    """Whether the text names a unit at all: most sentences do not. In ASCII
    text plain substring tests say the same as ``_HINT``, faster."""
    if words is None or not text.isascii():
        return _HINT.search(text) is not None
    lowered = text.lower()
    return "km" in lowered or "mile" in lowered or "kilomet" in lowered or "mi" in words


def find_distances(text: str, words: Collection[str] | None = None) -> list[DistanceMention]:
    """Distances stated in a sentence. ``words``: its folded words, when the
    caller has them already."""
    out: list[DistanceMention] = []
    if not _may_hold_distance(text, words):
        return out
    for m in _DISTANCE.finditer(text):
        raw = m.group("value").lower().replace(",", ".")
        value = float(raw) if raw[0].isdigit() else float(_WORD_NUMBERS[raw])
        unit = "mi" if m.group("unit").lower().startswith("mi") else "km"
        km = round(value * KM_PER_MILE, 2) if unit == "mi" else value
        bearing = m.group("bearing").lower() if m.group("bearing") else None
        out.append(DistanceMention(m.start(), m.end(), value, unit, km, bearing, m.group(0)))
    return out
