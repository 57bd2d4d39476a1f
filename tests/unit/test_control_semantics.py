"""docs/control-semantics.md's table, recomputed: the documented semantics are
the fold's, row by row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.fold import replay
from schemas import SituationEvent, Source
from tests.conftest import ROOT
from tests.unit.test_fold import GOV, HAMA, HTS, MILITARY, RULES, SOHR, make_event

DOC = ROOT / "docs" / "control-semantics.md"
HTS_ITSELF = Source(name="Hayat Tahrir al-Sham", kind="party")


def day(d: int) -> datetime:
    return datetime(2024, 12, d, tzinfo=UTC)


CAPTURE = make_event(
    "captured",
    HAMA,
    HTS,
    when=day(5),
    counterpart=GOV,
    stance="reported",
    source=SOHR,
    confidence=1.0,
    article="m",
)
CLAIM = make_event(
    "claimed_control",
    HAMA,
    HTS,
    when=day(5),
    stance="claimed",
    source=HTS_ITSELF,
    confidence=1.0,
    article="c",
)
DENIAL = make_event(
    "denied", HAMA, GOV, when=day(5), stance="denied", source=MILITARY, confidence=1.0, article="d"
)
OUTLET_1 = make_event("captured", HAMA, HTS, when=day(5), counterpart=GOV, confidence=1.0, article="o1")
OUTLET_2 = make_event("captured", HAMA, HTS, when=day(5), counterpart=GOV, confidence=1.0, article="o2")
ADVANCE = make_event("advancing", HAMA, HTS, when=day(4), counterpart=GOV, confidence=1.0, article="t")
HELD = make_event(
    "holds", HAMA, GOV, when=day(1), stance="reported", source=SOHR, confidence=1.0, article="h1"
)
STILL_HELD = make_event(
    "holds", HAMA, GOV, when=day(9), stance="reported", source=SOHR, confidence=1.0, article="h2"
)
INSIDE = make_event(
    "entered", HAMA, HTS, when=day(4), stance="reported", source=SOHR, confidence=1.0, article="e"
)
OLD_NEWS = make_event("holds", HAMA, GOV, when=day(1), confidence=1.0, article="old")
WITHDREW = make_event(
    "withdrew", HAMA, GOV, when=day(5), stance="reported", source=SOHR, confidence=1.0, article="w"
)

SITUATIONS: dict[str, list[SituationEvent]] = {
    "a monitor (SOHR) reports HTS captured Hama": [CAPTURE],
    "HTS claims control of Hama, nobody confirms": [CLAIM],
    "HTS claims control, the army denies it": [CLAIM, DENIAL],
    "claim and denial, then a monitor reports the capture": [CLAIM, DENIAL, CAPTURE],
    "one outlet asserts the capture": [OUTLET_1],
    "two independent outlets assert the capture": [OUTLET_1, OUTLET_2],
    "the same article twice": [OUTLET_1, OUTLET_1],
    "only an advance on Hama is known (holder presumed)": [ADVANCE],
    "a monitor reports the government holds Hama": [HELD],
    "held, then HTS advances on it": [HELD, ADVANCE],
    "held, advance on the 4th, still held on the 9th (threat_ttl 3 days)": [HELD, ADVANCE, STILL_HELD],
    "held, a monitor reports HTS fighters inside": [HELD, INSIDE],
    "captured on the 5th; an older article (1st) says the army holds it": [CAPTURE, OLD_NEWS],
    "held, a monitor reports the army withdrew (nobody else named)": [HELD, WITHDREW],
}


def documented_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[0] not in ("situation", "---"):
            rows[cells[0]] = cells[1:]
    return rows


def test_every_documented_situation_is_computed() -> None:
    assert set(documented_rows()) == set(SITUATIONS)


@pytest.mark.parametrize("situation", sorted(SITUATIONS))
def test_documented_row_is_what_the_fold_gives(situation: str) -> None:
    status, controller, confidence, alerts = documented_rows()[situation]
    views, produced = replay(SITUATIONS[situation], RULES)
    (view,) = views.values()
    state = view.state
    assert state.status == status
    assert (state.controller.id if state.controller else "") == controller
    assert f"{state.confidence:.3f}" == confidence
    assert ", ".join(a.kind for a in produced) == alerts
