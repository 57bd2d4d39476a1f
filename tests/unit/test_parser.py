"""The article parser against its contract: the seed article, modality, time,
distance, captions, ids and confidence, and our own labelled fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.ids import article_id, event_id, place_key
from domain.parser import ArticleParser, confidence
from domain.sentences import split_sentences
from domain.timeexpr import find_times
from schemas.article import Article
from schemas.event import SituationEvent
from services.shared.knowledge import load_parser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_PUBLISHED = datetime(2024, 12, 7, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def parser() -> ArticleParser:
    return load_parser()


def parse(
    parser: ArticleParser, text: str, when: datetime = SEED_PUBLISHED, hint: str | None = None
) -> list[SituationEvent]:
    article = Article(article_id=article_id(text), text=text, published_at=when, country_hint=hint)
    return parser.parse(article, when)


def find(events: list[SituationEvent], place: str, action: str) -> list[SituationEvent]:
    return [e for e in events if e.action == action and place in {e.place.name, e.place.text}]


@pytest.fixture(scope="module")
def seed(parser: ArticleParser) -> list[SituationEvent]:
    return parse(parser, (FIXTURES / "seed_syria_2024-12-07.txt").read_text("utf-8"))


# -- the seed article (system tests depend on these) ------------------------------------------


def test_seed_hama_captured_by_hts_from_the_learned_alias(seed: list[SituationEvent]) -> None:
    hits = [e for e in find(seed, "Hamah", "captured") if e.actor.id == "hts"]
    assert hits, "HST captured the key city of Hama"
    event = hits[0]
    assert event.actor.text == "HST" and event.actor.name == "Hayat Tahrir al-Sham"
    assert event.occurred_at.text == "Thursday"
    assert event.occurred_at.start == datetime(2024, 12, 5, tzinfo=UTC)
    assert event.counterpart is not None and event.counterpart.id == "sy-gov"


def test_seed_daraa_captured_by_the_southern_operations_room(seed: list[SituationEvent]) -> None:
    hits = [e for e in find(seed, "Dara", "captured") if e.actor.id == "sy-sor"]
    assert hits and hits[0].actor.name == "Southern Operations Room"
    assert hits[0].actor.text == "Southern militants"
    assert hits[0].occurred_at.precision == "part_of_day"


def test_seed_zakyah_is_a_claim(seed: list[SituationEvent]) -> None:
    (event,) = find(seed, "Zakiyah", "claimed_control")
    assert event.actor.id == "sy-sor" and event.stance == "claimed"
    assert event.place.text == "Zakyah"
    assert event.distance is not None and event.distance.value == 16 and event.distance.unit == "mi"


def test_seed_damascus_threatened_not_taken(seed: list[SituationEvent]) -> None:
    advancing = find(seed, "Damascus", "advancing")
    assert advancing
    distance = advancing[0].distance
    assert distance is not None and distance.value == 6 and distance.unit == "mi"
    assert distance.km == pytest.approx(9.66, abs=0.01)
    assert distance.reference is not None and distance.reference.name == "Damascus"
    assert advancing[0].actor.generic
    assert not find(seed, "Damascus", "captured")


def test_seed_homs_advanced_on_and_besieged_not_captured(seed: list[SituationEvent]) -> None:
    assert any(e.actor.id == "hts" for e in find(seed, "Homs", "advancing"))
    (siege,) = find(seed, "Homs", "besieging")
    assert siege.actor.id == "hts" and siege.stance == "claimed"
    assert siege.occurred_at.text == "late on Friday"
    assert not find(seed, "Homs", "captured")


def test_seed_russia_withdrew_from_tartus_and_government_denied(seed: list[SituationEvent]) -> None:
    (tartus,) = find(seed, "Tartus", "withdrew")
    assert tartus.actor.id == "ru-gov" and tartus.actor.country == "RU"
    denied = find(seed, "Damascus", "denied")
    assert denied and denied[0].actor.id == "sy-gov" and denied[0].stance == "denied"
    assert not find(seed, "Khmeimim", "withdrew")


def test_seed_captions_are_marked_and_credits_stripped(seed: list[SituationEvent]) -> None:
    caption = [e for e in seed if e.evidence.caption]
    assert caption
    for event in caption:
        assert not event.evidence.sentence.startswith(("Getty", "AFP", "Reuters"))
        assert "[/caption]" not in event.evidence.sentence


def test_seed_monitor_report_is_reported(seed: list[SituationEvent]) -> None:
    (event,) = [e for e in find(seed, "Damascus", "withdrew") if e.attributed_to]
    assert event.stance == "reported"
    assert event.attributed_to is not None and event.attributed_to.kind == "monitor"


def test_event_ids_and_evidence_follow_the_contract(seed: list[SituationEvent]) -> None:
    text = (FIXTURES / "seed_syria_2024-12-07.txt").read_text("utf-8")
    assert len({e.event_id for e in seed}) == len(seed)
    for e in seed:
        assert e.article_id == article_id(text)
        assert e.event_id == event_id(
            e.article_id, e.evidence.sentence_index, e.action, place_key(e.place), e.actor.id or e.actor.name
        )
        assert text[e.evidence.char_start : e.evidence.char_end] == e.evidence.sentence
        assert e.published_at == SEED_PUBLISHED


def test_parsing_is_deterministic(parser: ArticleParser, seed: list[SituationEvent]) -> None:
    again = parse(parser, (FIXTURES / "seed_syria_2024-12-07.txt").read_text("utf-8"))
    assert [e.model_dump() for e in again] == [e.model_dump() for e in seed]


# -- modality -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Seizing Homs, a key crossroads, would cut off Damascus from the coast.",
        "Analysts said that if Goma falls, the rebels could advance towards Bukavu.",
        "Fighters parade in Hama as they aim to overthrow the government in Damascus.",
        "The group did not capture any territory in Bamako.",
        "The army said the attackers trying to take Sennar were repelled.",
        "Russian troops are not expected to reach Pokrovsk for months.",
        "The fall of Avdiivka would open the road to Pokrovsk.",
        "Will the rebels capture Homs?",
        "Kinshasa's troops have not retaken a single town from the M23.",
        "The RSF vowed to seize El Obeid.",
        "The rebels are unlikely to be able to hold Aleppo.",
    ],
)
def test_no_capture_from_hypotheticals_negations_and_questions(parser: ArticleParser, sentence: str) -> None:
    events = parse(parser, sentence)
    assert not [e for e in events if e.action in {"captured", "recaptured", "entered", "claimed_control"}], (
        events
    )


def test_a_denial_is_a_denied_event(parser: ArticleParser) -> None:
    events = parse(parser, "Congo's government denied that Goma had fallen to the M23.", hint="CD")
    assert [(e.action, e.place.name, e.actor.id, e.stance) for e in events] == [
        ("denied", "Goma", "cd-gov", "denied")
    ]


def test_a_disputed_claim_is_only_a_claim(parser: ArticleParser) -> None:
    text = (
        "The Arakan Army said it had captured Sittwe on Sunday.\n"
        "The junta denied the report, saying its troops still held their positions."
    )
    events = parse(parser, text, hint="MM")
    assert [e.action for e in find(events, "Sittwe", "claimed_control")] == ["claimed_control"]
    assert not find(events, "Sittwe", "captured")
    assert find(events, "Sittwe", "denied")[0].actor.id == "mm-gov"


def test_a_repelled_attack_is_the_opponents_attack(parser: ArticleParser) -> None:
    events = parse(
        parser, "Ukrainian officials said their troops repelled an attack near Bakhmut.", hint="UA"
    )
    (event,) = events
    assert event.action == "attacked" and event.actor.id == "ru-gov" and event.stance == "reported"


# -- the edge of a place is not the place ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "hint", "place", "actor", "stance"),
    [
        (
            "Russian forces captured the northern outskirts of Kharkiv on Tuesday.",
            "UA",
            "Kharkiv",
            "ru-gov",
            "asserted",
        ),
        ("Russian troops seized several villages near Bakhmut.", "UA", "Bakhmut", "ru-gov", "asserted"),
        ("The RSF said it had taken control of the suburbs of Khartoum.", "SD", "Khartoum", "rsf", "claimed"),
        ("M23 rebels took the approaches to Goma after days of fighting.", "CD", "Goma", "m23", "asserted"),
        ("Ukrainian forces recaptured villages close to Kupiansk.", "UA", "Kupiansk", "ua-gov", "asserted"),
        ("Russian forces now hold the surroundings of Avdiivka.", "UA", "Avdiivka", "ru-gov", "asserted"),
        ("The suburbs of Kyiv were captured by Russian troops.", "UA", "Kyiv", "ru-gov", "asserted"),
        ("HTS fighters seized Aleppo's western suburbs.", "SY", "Aleppo", "hts", "asserted"),
        ("Hayat Tahrir al-Sham captured the Idlib countryside.", "SY", "Idlib", "hts", "asserted"),
        (
            "The Arakan Army said it had seized the heights overlooking Sittwe.",
            "MM",
            "Sittwe",
            "aa",
            "claimed",
        ),
    ],
)
def test_taking_the_surroundings_of_a_place_is_an_advance_on_it(
    parser: ArticleParser, sentence: str, hint: str, place: str, actor: str, stance: str
) -> None:
    events = parse(parser, sentence, hint=hint)
    at_place = [e for e in events if place in {e.place.name, e.place.text}]
    assert [e.action for e in at_place] == ["advancing"], events
    assert at_place[0].actor.id == actor and at_place[0].stance == stance


def test_a_claim_to_the_countryside_around_a_city_stays_a_claimed_advance(parser: ArticleParser) -> None:
    events = parse(
        parser,
        "Mandalay is now facing an attack from the north with PDF fighters claiming to control "
        "countryside around the city.",
        hint="MM",
    )
    assert not [e for e in events if e.action in {"claimed_control", "captured", "holds"}]
    (advance,) = find(events, "Mandalay", "advancing")
    assert advance.stance == "claimed" and advance.attributed_to is not None


def test_taking_a_place_and_its_surroundings_is_still_taking_the_place(parser: ArticleParser) -> None:
    events = parse(parser, "Russian forces captured Avdiivka and villages around it.", hint="UA")
    assert [e.action for e in events] == ["captured"]


def test_a_facility_or_a_named_village_near_a_place_is_not_its_surroundings(parser: ArticleParser) -> None:
    post = parse(parser, "M23 rebels captured the town of Sake near Goma.", hint="CD")
    assert [(e.action, e.place.name) for e in post] == [("captured", "Sake")]
    airport = parse(parser, "The RSF seized the airport outside Nyala.", hint="SD")
    assert [e.action for e in airport] == ["captured"]


@pytest.mark.parametrize(
    ("sentence", "hint", "place"),
    [
        ("Russian forces withdrew from villages around Kherson.", "UA", "Kherson"),
        ("Russian forces withdrew from the Kherson countryside.", "UA", "Kherson"),
    ],
)
def test_a_withdrawal_from_the_surroundings_stays_a_withdrawal(
    parser: ArticleParser, sentence: str, hint: str, place: str
) -> None:
    events = parse(parser, sentence, hint=hint)
    assert [(e.action, e.place.text) for e in events] == [("withdrew", place)]


def test_a_defender_on_the_edge_of_its_place_still_holds_it(parser: ArticleParser) -> None:
    events = parse(parser, "Ukrainian troops are defending the approaches to Kyiv.", hint="UA")
    assert [(e.action, e.place.name, e.actor.id) for e in events] == [("holds", "Kyiv", "ua-gov")]


# -- display names -------------------------------------------------------------------------------


def test_place_names_are_ascii_whatever_the_article_wrote(parser: ArticleParser) -> None:
    a = parse(parser, "HTS captured the city of Hama.", hint="SY")
    b = parse(parser, "HTS captured the city of Ḩamāh.", hint="SY")
    assert [(e.place.name, e.place.text) for e in a] == [("Hamah", "Hama")]
    assert [(e.place.id, e.place.name, e.place.text) for e in b] == [(a[0].place.id, "Hamah", "Ḩamāh")]


# -- time, distance, sentences ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("on Thursday", datetime(2024, 12, 5, tzinfo=UTC), "day"),
        ("late on Friday", datetime(2024, 12, 6, 18, tzinfo=UTC), "part_of_day"),
        ("a week ago", datetime(2024, 11, 29, tzinfo=UTC), "week"),
        ("last month", datetime(2024, 11, 1, tzinfo=UTC), "month"),
        ("in December 2023", datetime(2023, 12, 1, tzinfo=UTC), "month"),
        ("on Saturday", datetime(2024, 12, 7, tzinfo=UTC), "day"),
        ("overnight", datetime(2024, 12, 6, 18, tzinfo=UTC), "part_of_day"),
        ("last week", datetime(2024, 11, 25, tzinfo=UTC), "week"),
        ("earlier in the year", datetime(2024, 1, 1, tzinfo=UTC), "year"),
        ("last August", datetime(2024, 8, 1, tzinfo=UTC), "month"),
    ],
)
def test_time_expressions(text: str, start: datetime, precision: str) -> None:
    (found,) = find_times(f"It happened {text}.", SEED_PUBLISHED)
    assert found.span.start == start and found.span.precision == precision
    assert found.span.end > found.span.start


def test_times_resolve_in_utc_from_any_zone() -> None:
    reference = datetime(2024, 12, 7, 1, tzinfo=timezone(timedelta(hours=3)))  # 6 Dec 22:00 UTC
    (found,) = find_times("on Thursday", reference)
    assert found.span.start == datetime(2024, 12, 5, tzinfo=UTC)


def test_kilometre_distance_with_bearing(parser: ArticleParser) -> None:
    events = parse(parser, "The M23 captured the town of Sake, 27km west of Goma, last week.", hint="CD")
    (event,) = events
    assert event.distance is not None
    assert (event.distance.km, event.distance.unit, event.distance.bearing) == (27, "km", "west")
    assert event.distance.reference is not None and event.distance.reference.name == "Goma"


def test_unresolvable_place_is_kept_without_id(parser: ArticleParser) -> None:
    (event,) = parse(parser, "JNIM has been besieging the town of Boulkessi for months.", hint="ML")
    assert event.place.id is None and event.place.name == "Boulkessi" and event.action == "besieging"


def test_caption_credit_glued_to_text() -> None:
    (sentence,) = split_sentences("GettyA rebel fighter stands in Hama[/caption]")
    assert sentence.caption and sentence.text == "A rebel fighter stands in Hama"


def test_naive_reference_time_is_rejected(parser: ArticleParser) -> None:
    article = Article(article_id="a", text="Rebels captured Hama.")
    with pytest.raises(ValueError, match="timezone-aware"):
        parser.parse(article, datetime(2024, 12, 7))  # noqa: DTZ001 - the point of the test


def test_confidence_depends_on_how_it_was_said() -> None:
    asserted = confidence("asserted", None, generic_actor=False, caption=False, resolved_place=True)
    claimed = confidence("claimed", "party", generic_actor=False, caption=False, resolved_place=True)
    monitor = confidence("reported", "monitor", generic_actor=False, caption=False, resolved_place=True)
    resident = confidence("reported", "resident", generic_actor=False, caption=False, resolved_place=True)
    caption = confidence("asserted", None, generic_actor=True, caption=True, resolved_place=False)
    assert asserted > monitor > resident > claimed > 0
    assert asserted - caption == pytest.approx(0.3)


# Our own labelled articles are scored in test_fixture_scores.py with the project's scorer.
