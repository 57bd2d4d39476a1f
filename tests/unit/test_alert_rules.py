"""Alert rules, their settings, and the geometry and confidence they rest on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest

from domain.alert_rules import (
    SEVERITY,
    AlertLedger,
    AlertRules,
    control_changed,
    distance_to,
    hostile,
    is_foreign,
    refine,
    side_of,
    threat,
)
from domain.confidence import StanceWeights, control_confidence, evidence_weight, is_self_serving, noisy_or
from domain.errors import ConfigurationError
from domain.geo import distance_km, haversine_km, same_place
from schemas import ActorRef, AlertKind, Place, Source
from tests.unit.test_fold import (
    DAMASCUS,
    DARAA,
    GOV,
    HAMA,
    HOMS,
    HTS,
    MILITARY,
    REBELS,
    RULES,
    RUSSIA,
    SOHR,
    SOR,
    THURSDAY,
    ZAKYAH,
    make_event,
    miles,
)

# --- settings -----------------------------------------------------------------------------------------


def test_defaults_are_documented_values() -> None:
    rules = AlertRules()
    assert rules.capital_threat_km == 50.0
    assert rules.threat_ttl == timedelta(days=3)
    assert rules.realert_window <= rules.threat_ttl
    assert rules.government_side("SY") is None
    assert RULES.government_side("SY") == "sy-gov" and RULES.government_side(None) is None
    assert RULES.government_side("sy") == "sy-gov" and RULES.capital("sy") == DAMASCUS


@pytest.mark.parametrize(
    "bad",
    [
        {"capital_threat_km": -1.0},
        {"threat_ttl": timedelta(0)},
        {"contest_ttl": timedelta(hours=-1)},
        {"realert_window": timedelta(seconds=-1)},
        {"weights": StanceWeights(asserted=1.5)},
    ],
)
def test_impossible_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        AlertRules(**bad)  # type: ignore[arg-type]


def test_rules_are_frozen() -> None:
    with pytest.raises(AttributeError):
        RULES.capital_threat_km = 10.0  # type: ignore[misc]


# --- sides ----------------------------------------------------------------------------------------------


def test_sides_and_hostility() -> None:
    assert side_of(HTS) == side_of(REBELS) == "sy-opposition"
    assert not hostile(HTS, SOR) and hostile(HTS, GOV)
    assert side_of(RUSSIA) == "actor:ru"
    nameless = ActorRef(id=None, name="Local Militia")
    assert side_of(nameless) == "name:local-militia"
    assert refine(REBELS, HTS) == HTS and refine(HTS, REBELS) == HTS and refine(HTS, SOR) == HTS


def test_foreign_force() -> None:
    assert is_foreign(make_event("withdrew", HAMA, RUSSIA))
    assert not is_foreign(make_event("withdrew", HAMA, GOV))
    assert not is_foreign(make_event("withdrew", HAMA, ActorRef(id="x", name="X")))


# --- capital threat -------------------------------------------------------------------------------------


def test_distance_from_stated_distance_to_the_capital() -> None:
    event = make_event("advancing", ZAKYAH, SOR, distance=miles(16, DAMASCUS, "16 miles from Damascus"))
    assert distance_to(event, DAMASCUS) == pytest.approx(25.75)


def test_distance_when_the_capital_is_named_by_an_unresolved_mention() -> None:
    the_capital = Place(id=None, name="Damascus", text="the capital", country="SY")
    event = make_event("advancing", ZAKYAH, SOR, distance=miles(6, the_capital, "six miles from the capital"))
    assert distance_to(event, DAMASCUS) == pytest.approx(9.66)


def test_distance_from_coordinates_and_from_a_third_place() -> None:
    near = Place(id="geonames:1", name="Douma", text="Douma", lat=33.5711, lon=36.4026, country="SY")
    assert distance_to(make_event("attacked", near, HTS), DAMASCUS) == pytest.approx(12.1, abs=0.5)
    assert distance_to(make_event("attacked", DAMASCUS, HTS), DAMASCUS) == 0.0
    nowhere = Place(id=None, name="Somewhere", text="somewhere", country="SY")
    assert distance_to(make_event("attacked", nowhere, HTS), DAMASCUS) is None
    via = make_event("attacked", nowhere, HTS, distance=miles(3, near, "3 miles from Douma"))
    bound = distance_to(via, DAMASCUS)
    assert bound is not None and bound == pytest.approx(3 * 1.609344 + 12.1, abs=0.5)


# --- identity and deduplication -----------------------------------------------------------------------


def test_control_changed_id_ignores_previous_controller_and_same_side_refinement() -> None:
    hts = make_event("captured", HAMA, HTS, when=THURSDAY)
    rebels = make_event("captured", HAMA, REBELS, when=THURSDAY, sentence=3)
    a = control_changed(HAMA, HTS, GOV, THURSDAY, hts).alert
    b = control_changed(HAMA, REBELS, None, THURSDAY + timedelta(hours=5), rebels).alert
    assert a.alert_id == b.alert_id
    assert control_changed(HAMA, GOV, HTS, THURSDAY, hts).alert.alert_id != a.alert_id
    assert control_changed(DARAA, HTS, GOV, THURSDAY, hts).alert.alert_id != a.alert_id
    assert a.message == "Hama: control passed from Syrian government to Hayat Tahrir al-Sham"
    assert b.message == "Hama: control passed to rebels"


def test_every_kind_has_a_severity() -> None:
    assert SEVERITY["control_changed"] == "critical"
    assert SEVERITY["force_posture"] == "info"
    # Every kind the contract allows, so a new kind cannot ship without a severity.
    assert set(SEVERITY) == set(get_args(AlertKind))


def test_ledger_says_each_thing_once() -> None:
    event = make_event("besieging", HOMS, HTS, when=THURSDAY)
    first = threat(HOMS, event, GOV, None)
    ledger, said = AlertLedger().admit([first, first], (), RULES)
    assert said == [first.alert] and ledger.ids == {first.alert.alert_id}
    again, said = ledger.admit([first], (), RULES)
    assert said == [] and again is ledger
    # the same threat re-dated by a late report within the window is not news
    earlier = threat(HOMS, make_event("besieging", HOMS, HTS, when=THURSDAY - timedelta(days=1)), GOV, None)
    assert ledger.admit([earlier], (), RULES)[1] == []
    later = threat(HOMS, make_event("besieging", HOMS, HTS, when=THURSDAY + timedelta(days=4)), GOV, None)
    assert ledger.admit([later], (), RULES)[1] == [later.alert]


def test_ledger_recognises_a_tenure_already_alerted() -> None:
    event = make_event("captured", HAMA, HTS)
    d = [datetime(2024, 12, day, tzinfo=UTC) for day in range(1, 10)]
    said = control_changed(HAMA, HTS, GOV, d[4], event)
    ledger, _ = AlertLedger().admit([said], [("sy-opposition", d[4])], RULES)
    # re-derived: the same tenure now starts earlier
    revised = control_changed(HAMA, HTS, GOV, d[3], event)
    assert ledger.admit([revised], [("sy-gov", d[1]), ("sy-opposition", d[3])], RULES)[1] == []
    # a new tenure after the government took it back is news
    back = control_changed(HAMA, HTS, GOV, d[7], event)
    history = [("sy-opposition", d[4]), ("sy-gov", d[6]), ("sy-opposition", d[7])]
    assert ledger.admit([back], history, RULES)[1] == [back.alert]


# --- geometry ---------------------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1.0)  # London–Paris
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015.1, abs=1.0)  # half the equator
    assert haversine_km(33.5, 36.3, 33.5, 36.3) == 0.0
    assert distance_km(HOMS, DAMASCUS) == pytest.approx(140, abs=10)
    assert distance_km(ZAKYAH, DAMASCUS) is None


def test_same_place() -> None:
    assert same_place(DAMASCUS, DAMASCUS.model_copy(update={"text": "the capital"}))
    assert not same_place(DAMASCUS, HOMS)
    assert same_place(Place(id=None, name="Damascus", text="x", country="SY"), DAMASCUS)
    assert not same_place(Place(id=None, name="Damascus", text="x", country="US"), DAMASCUS)


# --- confidence ------------------------------------------------------------------------------------------


def test_stance_weights_order_sources() -> None:
    w = StanceWeights()
    monitor = make_event("captured", HAMA, HTS, stance="reported", source=SOHR, confidence=1.0)
    asserted = make_event("captured", HAMA, HTS, confidence=1.0)
    boast = make_event("captured", HAMA, HTS, stance="claimed", confidence=1.0)
    own_tv = make_event("holds", HOMS, GOV, stance="reported", source=MILITARY, confidence=1.0)
    admission = make_event("captured", HAMA, HTS, stance="reported", source=MILITARY, confidence=1.0)
    weights = [evidence_weight(e, w, "sy-gov") for e in (monitor, asserted, admission, boast)]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == 4
    assert is_self_serving(own_tv, "sy-gov") and not is_self_serving(admission, "sy-gov")
    assert is_self_serving(
        make_event("holds", HOMS, SOR, stance="reported", source=Source(name="SOR", kind="party")), "sy-gov"
    )
    assert evidence_weight(monitor.model_copy(update={"confidence": 0.5}), w, None) == pytest.approx(0.45)


def test_confidence_function() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert control_confidence([0.8], []) == 0.8
    assert control_confidence([0.8], [1.0]) == 0.4  # doubt at most halves
    assert control_confidence([], [0.5]) == 0.0
    assert control_confidence([0.9] * 50, []) <= 1.0


def test_processor_settings_are_the_rules_defaults_and_override_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.shared.rules import build_rules
    from services.shared.settings import ProcessorSettings

    rules = build_rules(ProcessorSettings())
    defaults = AlertRules()
    assert (
        rules.capital_threat_km,
        rules.threat_ttl,
        rules.contest_ttl,
        rules.realert_window,
        rules.weights,
    ) == (
        defaults.capital_threat_km,
        defaults.threat_ttl,
        defaults.contest_ttl,
        defaults.realert_window,
        defaults.weights,
    )
    assert rules.capital("SY") is not None and rules.government_side("SY") == "sy-gov"
    monkeypatch.setenv("SITREP_CAPITAL_THREAT_KM", "20")
    monkeypatch.setenv("SITREP_WEIGHT_SELF_CLAIM", "0.25")
    monkeypatch.setenv("SITREP_THREAT_TTL_HOURS", "24")
    tuned = build_rules(ProcessorSettings())
    assert (tuned.capital_threat_km, tuned.weights.self_claim, tuned.threat_ttl) == (
        20.0,
        0.25,
        timedelta(days=1),
    )
