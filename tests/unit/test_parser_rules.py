"""General rules of the parser, each checked on sentences of our own about
other places and wars than the fixtures: regions, judgements of unlikelihood,
background mentions, pronouns, directions, lists, euphemisms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.ids import article_id
from domain.parser import ArticleParser
from schemas.article import Article
from schemas.event import SituationEvent
from services.shared.knowledge import load_parser

WHEN = datetime(2024, 6, 12, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def parser() -> ArticleParser:
    return load_parser()


def parse(parser: ArticleParser, text: str, hint: str | None = None) -> list[SituationEvent]:
    article = Article(article_id=article_id(text), text=text, published_at=WHEN, country_hint=hint)
    return parser.parse(article, WHEN)


def at(events: list[SituationEvent], name: str) -> list[SituationEvent]:
    return [e for e in events if name in {e.place.name, e.place.text}]


# -- regions ----------------------------------------------------------------------------------


def test_settlements_in_a_region_are_not_its_capital(parser: ArticleParser) -> None:
    text = "Ukrainian officials said dozens of villages in the Zaporizhzhia region had been retaken."
    events = parse(parser, text, "UA")
    assert not [e for e in events if e.place.precision == "city" and e.action in {"captured", "recaptured"}]


def test_a_region_word_makes_the_region(parser: ArticleParser) -> None:
    text = "Ukrainian forces recaptured the Kherson region after weeks of fighting."
    events = parse(parser, text, "UA")
    assert events and all(e.place.precision == "region" for e in events)


# -- judgements ---------------------------------------------------------------------------------


def test_a_push_judged_unlikely_is_no_event(parser: ArticleParser) -> None:
    text = "Diplomats consider an RSF push towards Port Sudan, the seat of government, unlikely this year."
    assert not parse(parser, text, "SD")


def test_plans_for_a_push_are_no_event(parser: ArticleParser) -> None:
    text = "The M23 rebels announced plans for a push towards Uvira."
    assert not parse(parser, text, "CD")


def test_a_factual_push_is_kept(parser: ArticleParser) -> None:
    text = "M23 rebels pushed towards Uvira on Monday."
    assert [e for e in parse(parser, text, "CD") if e.action == "advancing"]


# -- background, pronouns, registry -----------------------------------------------------------------


def test_the_fall_of_a_place_as_a_time_reference_is_no_event(parser: ArticleParser) -> None:
    text = "The RSF shelled El Obeid on Monday, two months after the fall of Wad Madani."
    assert not [e for e in parse(parser, text, "SD") if e.place.name.startswith("Wad")]


def test_the_fall_to_a_named_actor_in_a_time_reference_keeps_its_actor(parser: ArticleParser) -> None:
    text = "Days after the fall of Bukavu to the M23, the army regrouped in Uvira."
    hits = [e for e in parse(parser, text, "CD") if e.place.name == "Bukavu" and e.action == "captured"]
    assert hits and hits[0].actor.id == "m23"


def test_the_military_operations_command_is_the_hts_coalition(parser: ArticleParser) -> None:
    text = "The Military Operations Command said on Monday that its fighters had taken Manbij."
    events = [e for e in parse(parser, text, "SY") if e.action in {"captured", "claimed_control"}]
    assert events and all(event.actor.side == "sy-opposition" for event in events)


def test_its_troops_are_the_speakers(parser: ArticleParser) -> None:
    text = "The Sudanese army said it had shelled rebel positions near Bara and that its troops held Kadugli."
    (event,) = [e for e in parse(parser, text, "SD") if e.action == "holds"]
    assert event.actor.side == "sd-gov"


def test_a_past_hold_of_a_part_is_no_current_hold(parser: ArticleParser) -> None:
    text = "Goma has been held by the army since 2013, when troops retook the rebel-held north of the city."
    events = parse(parser, text, "CD")
    assert not [e for e in events if e.action == "holds" and e.actor.id == "m23"]


def test_a_bearing_from_a_place_is_not_the_place(parser: ArticleParser) -> None:
    text = "The Ukrainian army said its troops were holding their lines south of Kupiansk."
    assert not [e for e in parse(parser, text, "UA") if e.action in {"holds", "captured"}]


def test_a_bearing_take_is_a_threat(parser: ArticleParser) -> None:
    text = "Russian forces seized two villages west of Pokrovsk."
    events = parse(parser, text, "UA")
    assert [e.action for e in events if e.place.name == "Pokrovsk"] == ["advancing"]


def test_a_governments_terrorists_are_its_enemy(parser: ArticleParser) -> None:
    text = "The Malian army said terrorists had attacked its camp in Boulkessi."
    (event,) = parse(parser, text, "ML")
    assert event.action == "attacked" and event.actor.side != "ml-gov" and event.actor.id != "ml-gov"


def test_a_country_is_not_what_is_controlled(parser: ArticleParser) -> None:
    text = "The capture of Kidal gives the rebels control of a regional capital in Mali for the first time."
    assert not [e for e in parse(parser, text, "ML") if e.place.precision == "country"]


def test_a_time_in_another_clause_does_not_date_the_event(parser: ArticleParser) -> None:
    text = "Rebels took Gao, the town where the 2012 uprising began, on Friday."
    (event,) = [e for e in parse(parser, text, "ML") if e.action == "captured"]
    assert event.occurred_at.start.year == 2024


def test_a_foreign_force_entering_a_zone_is_an_entry(parser: ArticleParser) -> None:
    text = "Rwandan troops entered the border zone near Goma, the Rwandan army said."
    events = parse(parser, text, "CD")
    assert [e.action for e in events] == ["entered"]


def test_a_ministry_denial(parser: ArticleParser) -> None:
    text = "The defence ministry denied that its forces had withdrawn from Kherson."
    (event,) = parse(parser, text, "UA")
    assert event.action == "denied" and event.place.name == "Kherson"


def test_declaring_a_place_liberated_is_a_claim(parser: ArticleParser) -> None:
    text = 'The M23 said in a statement: "We declare the city of Bukavu liberated."'
    (event,) = parse(parser, text, "CD")
    assert event.action == "claimed_control" and event.actor.id == "m23"


def test_troops_that_fled_a_place_withdrew(parser: ArticleParser) -> None:
    text = "The RSF captured Wad Madani after army troops fled the city."
    assert [e for e in parse(parser, text, "SD") if e.action == "withdrew"]


def test_positions_outside_a_place_after_a_redeployment(parser: ArticleParser) -> None:
    text = "The army said its units had redeployed and taken up positions outside Kidal."
    (event,) = parse(parser, text, "ML")
    assert event.action == "withdrew" and event.place.name == "Kidal"


def test_a_list_of_towns_gives_one_event_each(parser: ArticleParser) -> None:
    text = "Ukrainian troops took the villages of Staromaiorske, Urozhaine and Verbove on Tuesday."
    events = [e for e in parse(parser, text, "UA") if e.action == "captured"]
    assert len(events) == 3


def test_pressing_towards_a_place_is_an_advance(parser: ArticleParser) -> None:
    text = "In North Kivu, M23 rebels pressed south along the main road towards Goma."
    assert [e for e in parse(parser, text, "CD") if e.action == "advancing" and e.place.name == "Goma"]


def test_a_continued_narration_keeps_its_date(parser: ArticleParser) -> None:
    text = "M23 rebels stormed Bukavu yesterday. They captured Bukavu after army troops fled the city."
    events = [e for e in parse(parser, text, "CD") if e.action == "captured"]
    assert events and events[0].occurred_at.start.day == 11


# -- fixture gaps, on other wars ---------------------------------------------------------------------


def test_pushing_a_side_out_of_a_place(parser: ArticleParser) -> None:
    text = "Since March the Ukrainian army has pushed Russian forces out of most of Kherson."
    events = parse(parser, text, "UA")
    by_action = {e.action: e for e in events if e.place.name == "Kherson"}
    assert by_action["recaptured"].actor.id == "ua-gov"
    assert by_action["withdrew"].actor.id == "ru-gov"


def test_still_holding_the_outskirts_is_a_hold_not_an_advance(parser: ArticleParser) -> None:
    text = "M23 still controls the northern outskirts of Goma, residents said."
    events = parse(parser, text, "CD")
    assert [e.action for e in events] == ["holds"]


def test_an_apposition_in_a_sides_hands_is_a_hold(parser: ArticleParser) -> None:
    text = "The RSF shelled Kadugli, the last town in the state in army hands, on Monday."
    holds = [e for e in parse(parser, text, "SD") if e.action == "holds"]
    assert holds and holds[0].place.name == "Kadugli" and holds[0].actor.id == "sd-gov"


def test_un_peacekeepers_are_a_force_of_their_own(parser: ArticleParser) -> None:
    text = "UN peacekeepers withdrew from their base in Tessalit last month."
    (event,) = parse(parser, text, "ML")
    assert event.action == "withdrew" and event.actor.id == "minusma"
    assert event.actor.country != event.place.country


def test_an_army_camp_does_not_make_the_army_the_subject(parser: ArticleParser) -> None:
    text = "The jihadists attacked an army camp at Boulkessi and said they had seized it."
    events = parse(parser, text, "ML")
    assert all(e.actor.side != "ml-gov" for e in events)


def test_a_claim_the_other_side_says_it_still_holds_is_only_a_claim(parser: ArticleParser) -> None:
    text = (
        "The FLA attacked an army base at Tessalit and said it had seized it, "
        "but the army said the camp remained in its hands."
    )
    events = parse(parser, text, "ML")
    assert not [e for e in events if e.action == "captured"]
    assert [e for e in events if e.action == "claimed_control"]
    assert [e for e in events if e.action == "holds" and e.actor.id == "ml-gov"]


def test_a_river_is_not_a_place(parser: ArticleParser) -> None:
    text = "Rebels attacked a camp at Gao on the Niger river."
    assert [e.place.name for e in parse(parser, text, "ML")] == ["Gao"]


def test_an_operation_against_fighters_around_a_place_is_an_attack(parser: ArticleParser) -> None:
    text = "The Malian army said it had launched an operation against jihadists around Boulkessi."
    events = parse(parser, text, "ML")
    assert [e.action for e in events] == ["attacked"] and events[0].actor.id == "ml-gov"


def test_raising_a_flag_in_a_town_is_an_entry(parser: ArticleParser) -> None:
    text = "Footage showed Ukrainian soldiers raising the national flag outside the town hall in Vovchansk."
    events = parse(parser, text, "UA")
    assert [(e.action, e.place.name) for e in events] == [("entered", "Vovchansk")]


def test_sending_fighters_into_a_city_and_towards_another(parser: ArticleParser) -> None:
    text = (
        "After the army left Wad Madani, the RSF moved quickly, sending fighters across the river "
        "into the city and east towards Gedaref."
    )
    events = parse(parser, text, "SD")
    got = {(e.action, e.place.text) for e in events if e.actor.id == "rsf"}
    assert ("entered", "the city") in got
    assert ("advancing", "Gedaref") in got
    assert {e.place.name for e in events if e.action == "entered"} == {"Wad Medani"}


def test_still_resisting_in_a_town_is_a_hold_that_contests_a_claim(parser: ArticleParser) -> None:
    text = (
        "The RSF said on Monday it had taken full control of Babanusa. "
        "The army insisted that its troops were still resisting in the town."
    )
    events = parse(parser, text, "SD")
    assert [e for e in events if e.action == "holds" and e.actor.id == "sd-gov"]
    assert [e for e in events if e.action == "claimed_control" and e.actor.id == "rsf"]
    assert not [e for e in events if e.action == "captured"]


def test_pushing_a_side_from_a_place_by_name(parser: ArticleParser) -> None:
    text = "Malian troops drove the jihadists from Boni on Sunday."
    events = parse(parser, text, "ML")
    assert {e.action for e in events} == {"recaptured", "withdrew"}


def test_an_invaders_repelled_attackers_are_the_defenders(parser: ArticleParser) -> None:
    text = (
        "The Russian defence ministry said its units repelled attacks by enemy assault groups near Vovchansk."
    )
    (event,) = parse(parser, text, "UA")
    assert event.action == "attacked" and event.actor.id == "ua-gov"


def test_a_speaker_inside_a_closed_relative_clause_does_not_speak_for_the_sentence(
    parser: ArticleParser,
) -> None:
    text = "Bukavu, which the M23 said on Friday it had captured, was firmly in rebel hands, AFP reported."
    holds = [e for e in parse(parser, text, "CD") if e.action == "holds"]
    assert holds and holds[0].stance == "reported" and holds[0].occurred_at.text is None


def test_month_day_dates_and_durations() -> None:
    from domain.timeexpr import find_times

    ref = datetime(2024, 12, 7, tzinfo=UTC)
    (date,) = find_times("Ukrainian troops retook the village on October 31.", ref)
    assert date.span.start == datetime(2024, 10, 31, tzinfo=UTC) and date.span.precision == "day"
    (duration,) = find_times("The RSF has besieged the city for almost a year.", ref)
    assert duration.span.precision == "year" and duration.span.start.year == 2023


def test_taking_most_of_a_region_is_not_taking_the_region(parser: ArticleParser) -> None:
    text = "The RSF has since taken most of northern Darfur, including Mellit."
    assert not [e for e in parse(parser, text, "SD") if e.place.precision == "region"]


def test_a_named_building_in_a_city_stands_for_the_city(parser: ArticleParser) -> None:
    text = "Ukrainian troops recaptured the Antonivsky Bridge complex in central Kherson."
    events = parse(parser, text, "UA")
    assert [e.place.name for e in events] == ["Kherson"]


def test_an_unknown_village_in_a_city_area_stays_the_village(parser: ArticleParser) -> None:
    text = "Rebels captured Kafr Basha in western Aleppo."
    events = parse(parser, text, "SY")
    assert events and all(e.place.name != "Aleppo" for e in events)


# -- rules added for claims, junk places, repelled attacks, lists and clauses -------------


def test_an_armed_groups_own_capture_is_also_a_claim_of_control(parser: ArticleParser) -> None:
    text = '"Our fighters have liberated Kadugli," the RSF said in a statement.'
    actions = {e.action for e in at(parse(parser, text, "SD"), "Kadugli")}
    assert "claimed_control" in actions


def test_a_monitors_report_of_a_capture_stays_a_capture(parser: ArticleParser) -> None:
    text = "The Syrian Observatory for Human Rights said rebels had captured Salamiyah."
    actions = {e.action for e in parse(parser, text, "SY")}
    assert "captured" in actions and "claimed_control" not in actions


def test_a_messaging_platform_is_no_place(parser: ArticleParser) -> None:
    text = "The RSF said in a post on Telegram that it had seized the city. It also posted on X."
    assert not [e for e in parse(parser, text, "SD") if e.place.name in {"Telegram", "X"}]


def test_the_city_does_not_point_back_to_a_foreign_venue(parser: ArticleParser) -> None:
    text = (
        "Envoys met in Geneva on Monday. Ukrainian officials said Russian forces had surrounded the city of "
        "Kupiansk. Russian troops entered the city on Tuesday."
    )
    assert not [e for e in parse(parser, text, "UA") if e.place.name == "Geneva"]


def test_seizing_power_and_holding_talks_are_no_control(parser: ArticleParser) -> None:
    text = "The army seized power in Naypyitaw in 2021 and held talks in Yangon with the rebels."
    assert not [e for e in parse(parser, text, "MM") if e.action in {"captured", "holds"}]


def test_the_attacker_of_a_repelled_attack_is_named_in_the_attack(parser: ArticleParser) -> None:
    text = "The Sudanese army said it had beaten back a fresh RSF assault on Kadugli."
    attacks = [e for e in parse(parser, text, "SD") if e.action == "attacked"]
    assert attacks and all(e.actor.id == "rsf" for e in attacks)
    assert not [e for e in parse(parser, text, "SD") if e.action == "captured"]


def test_a_demonym_names_the_attacker_of_repelled_attacks(parser: ArticleParser) -> None:
    text = "Kyiv said its troops had repelled 15 Russian attacks near Toretsk."
    attacks = at(parse(parser, text, "UA"), "Toretsk")
    assert attacks and all(e.actor.country == "RU" for e in attacks)


def test_the_consequent_of_a_condition_is_not_asserted(parser: ArticleParser) -> None:
    text = "Analysts said that if the rebels reach Kosti they could block the highway and threaten Rabak."
    assert not [e for e in parse(parser, text, "SD") if e.place.name in {"Rabak", "Kosti"}]


def test_a_negated_intention_after_regrouping_is_no_withdrawal(parser: ArticleParser) -> None:
    text = "The army said its units were regrouping and would not abandon the people of Walikale."
    assert not at(parse(parser, text, "CD"), "Walikale")


def test_pushing_back_from_the_ground_around_a_town_is_no_loss_of_it(parser: ArticleParser) -> None:
    text = "Ukraine said its forces had pushed Russian troops back from ground around Vuhledar."
    events = at(parse(parser, text, "UA"), "Vuhledar")
    assert not [e for e in events if e.action in {"withdrew", "captured", "recaptured"}]


def test_a_list_after_including_names_the_places(parser: ArticleParser) -> None:
    text = "Government troops pulled out of several towns of Idlib province, including Saraqib and Ariha."
    names = {e.place.text for e in parse(parser, text, "SY") if e.action == "withdrew"}
    assert {"Saraqib", "Ariha"} <= names


def test_fell_to_them_is_a_capture_by_the_side_named_before(parser: ArticleParser) -> None:
    text = "M23 rebels advanced quickly. Sake fell to them on Monday."
    assert [
        e for e in at(parse(parser, text, "CD"), "Sake") if e.action == "captured" and e.actor.id == "m23"
    ]


def test_forces_leaving_a_town_withdrew_but_people_leaving_did_not(parser: ArticleParser) -> None:
    assert [
        e
        for e in parse(parser, "Government forces also left Kadugli on Friday.", "SD")
        if e.action == "withdrew"
    ]
    assert not parse(parser, "Thousands of families left Kadugli on Friday.", "SD")


def test_a_region_naming_its_capital_is_not_the_place_taken(parser: ArticleParser) -> None:
    text = "Paramilitaries overran the Gezira state capital on Monday."
    assert not [e for e in parse(parser, text, "SD") if e.action == "captured"]


def test_an_unknown_named_speakers_capture_disputed_by_the_other_side_is_a_claim(
    parser: ArticleParser,
) -> None:
    text = (
        "Denis Pushilin said the town of Chasiv Yar had been taken by Russian forces. "
        "Ukraine's army denied that Chasiv Yar had fallen."
    )
    assert not [e for e in at(parse(parser, text, "UA"), "Chasiv Yar") if e.action == "captured"]


# -- claims of states, names abroad, anaphors, coordination ------------------------------------


def test_a_states_capture_the_article_calls_a_claim_is_a_claim_of_control(parser: ArticleParser) -> None:
    text = (
        "Russia said on Friday its troops had recaptured Lgov in the Kursk region.\n"
        "Kyiv did not respond to the claim."
    )
    events = at(parse(parser, text, "UA"), "Lgov")
    assert {e.action for e in events} == {"claimed_control"}


def test_a_states_capture_stated_plainly_stays_a_capture(parser: ArticleParser) -> None:
    text = "Sudan's army said on Tuesday it had recaptured Sinja after weeks of fighting."
    events = at(parse(parser, text, "SD"), "Sinja")
    assert {e.action for e in events} == {"recaptured"}


def test_a_states_capture_in_quotes_is_a_claim_of_control(parser: ArticleParser) -> None:
    text = 'A military spokesman told state television that troops had "fully taken over" Hpakant.'
    events = at(parse(parser, text, "MM"), "Hpakant")
    assert events and all(e.action == "claimed_control" for e in events)


def test_a_small_namesake_abroad_does_not_replace_a_local_compound_name(parser: ArticleParser) -> None:
    text = "Rebels said on Monday they had seized Jebel Marra after heavy fighting with the army."
    events = parse(parser, text, "SD")
    assert not [e for e in events if e.place.text == "Jebel"]
    taken = {"captured", "claimed_control"}
    assert [e for e in events if e.place.text == "Jebel Marra" and e.action in taken]


def test_an_abbreviated_month_is_not_a_place(parser: ArticleParser) -> None:
    text = "The rebels captured the border post of Kyaukme on Aug. 12 last year."
    events = parse(parser, text, "MM")
    assert not [e for e in events if e.place.country == "US"]


def test_a_region_mention_keeps_the_name_as_written(parser: ArticleParser) -> None:
    text = "Ukrainian troops launched an incursion into Russia's Belgorod region on Monday."
    events = [e for e in parse(parser, text, "UA") if e.place.precision == "region"]
    assert events and events[0].place.text == "Belgorod"


def test_the_town_is_the_storys_town_not_one_named_in_passing(parser: ArticleParser) -> None:
    text = (
        "Rebels entered the town of Masisi on Monday.\n"
        "Masisi lies on a road leading towards the cities of Butembo and Beni.\n"
        "Government troops had pulled out of the town before dawn, a local official said."
    )
    events = [e for e in parse(parser, text, "CD") if e.action == "withdrew"]
    assert [e.place.text for e in events] == ["the town"] and events[0].place.name == "Masisi"


def test_places_added_after_an_apposition_share_the_event(parser: ArticleParser) -> None:
    text = (
        "Ukrainian forces retook Kupiansk, a rail hub on the Oskil river, "
        "along with the nearby villages of Petropavlivka and Kurylivka."
    )
    places = {e.place.text for e in parse(parser, text, "UA") if e.action == "recaptured"}
    assert {"Kupiansk", "Petropavlivka", "Kurylivka"} <= places


def test_a_name_given_once_as_a_place_stays_a_place(parser: ArticleParser) -> None:
    text = (
        "Fighters entered the town of Nzulo on Sunday.\n"
        'A rebel spokesman said the group had "liberated" Nzulo.'
    )
    events = [e for e in parse(parser, text, "CD") if e.place.name == "Nzulo"]
    assert {"entered"} < {e.action for e in events}


def test_a_participle_of_a_take_verb_is_a_capture(parser: ArticleParser) -> None:
    text = "In North Kivu the rebels have since moved north, taking Kanyabayonga last week."
    events = parse(parser, text, "CD")
    assert [e for e in events if e.action == "captured" and e.place.text == "Kanyabayonga"]


def test_a_compound_head_noun_before_of_is_not_an_anaphor(parser: ArticleParser) -> None:
    text = "Last week jihadists briefly seized the garrison town of Diapaga in eastern Burkina Faso."
    events = parse(parser, text, "BF")
    assert [e for e in events if e.action == "captured" and e.place.text == "Diapaga"]


def test_capitalised_may_after_a_preposition_is_the_month(parser: ArticleParser) -> None:
    text = "In early May the group also attacked an army post at Nampala in central Mali."
    events = parse(parser, text, "ML")
    assert [e for e in events if e.action == "attacked" and e.place.text == "Nampala"]


def test_nominal_assaults_in_a_sector_attack_the_place(parser: ArticleParser) -> None:
    text = "The General Staff reported 14 Russian assaults in the Kupiansk sector over the past day."
    events = parse(parser, text, "UA")
    assert [e for e in events if e.action == "attacked" and e.place.text == "Kupiansk"]


def test_surrounding_as_an_adjective_is_no_siege(parser: ArticleParser) -> None:
    text = "The SDF said it was moving civilians out of Manbij and the surrounding Sajur area."
    events = parse(parser, text, "SY")
    assert not [e for e in events if e.action == "besieging"]


def test_a_relative_after_an_apposition_is_about_its_head(parser: ArticleParser) -> None:
    text = "The RSF has besieged Kadugli, the last big town in the Kordofan region still held by the army."
    holds = [e for e in parse(parser, text, "SD") if e.action == "holds"]
    assert holds and all(e.place.precision != "region" for e in holds)


def test_coordinated_names_before_a_plural_head_are_places(parser: ArticleParser) -> None:
    text = "Kurdish fighters were still holding the Halak and Bustan al-Basha districts of the city."
    places = {e.place.text for e in parse(parser, text, "SY") if e.action == "holds"}
    assert {"Halak", "Bustan al-Basha"} <= places


# -- speakers, persons and seats ------------------------------------------------------------


def test_a_closing_speaker_with_a_dated_tail_speaks(parser: ArticleParser) -> None:
    text = "Ukrainian troops have taken Klishchiivka, Deputy Minister Olena Petrenko said on Sept. 17."
    events = at(parse(parser, text, "UA"), "Klishchiivka")
    assert events and all(e.attributed_to is not None for e in events)


def test_a_role_noun_before_two_capitalised_words_is_a_person(parser: ArticleParser) -> None:
    text = "Russian forces captured Bakhmut. Occupation official Vladimir Saldo disputed the account."
    events = parse(parser, text, "UA")
    assert not [e for e in events if e.place.name.startswith("Volodymyr")]


def test_disputing_the_account_denies_the_claim_just_made(parser: ArticleParser) -> None:
    text = (
        "Ukrainian troops have taken Klishchiivka, Deputy Minister Olena Petrenko said on Sept. 17. "
        "Russian-installed official Denis Pushilin disputed the account."
    )
    events = at(parse(parser, text, "UA"), "Klishchiivka")
    assert [e for e in events if e.action == "denied" and e.actor.side == "ru-gov"]
    assert [e for e in events if e.action == "claimed_control"]


def test_what_footage_showed_is_no_speaker(parser: ArticleParser) -> None:
    text = "The ISW said on Monday that footage showed Ukrainian forces had advanced into Andriivka."
    events = at(parse(parser, text, "UA"), "Andriivka")
    assert events and all(e.attributed_to and e.attributed_to.kind == "monitor" for e in events)


def test_the_centre_of_a_town_named_with_a_hyphen_is_the_town(parser: ArticleParser) -> None:
    text = "M23 rebels seized Walikale-centre on Saturday."
    events = parse(parser, text, "CD")
    assert [e for e in events if e.place.name == "Walikale" and e.action == "captured"]


def test_a_defence_ministry_without_a_country_is_the_articles_government(parser: ArticleParser) -> None:
    text = 'A spokesman for the defence ministry said troops had "recaptured Kafr Nabudah" on Friday.'
    events = at(parse(parser, text, "SY"), "Kafr Nabudah")
    assert [e for e in events if e.action == "claimed_control" and e.stance == "claimed"]


def test_a_security_source_closing_the_sentence_speaks(parser: ArticleParser) -> None:
    text = "Security forces entered Kafr Nabudah on Friday after a day of clashes, a security source said."
    events = at(parse(parser, text, "SY"), "Kafr Nabudah")
    assert events and all(e.attributed_to is not None for e in events)


def test_local_sources_are_people_on_the_ground(parser: ArticleParser) -> None:
    text = "M23 rebels seized Walikale on Saturday, according to local sources."
    events = at(parse(parser, text, "CD"), "Walikale")
    assert events and all(e.attributed_to and e.attributed_to.kind == "resident" for e in events)


def test_an_ambush_near_a_village_attacks_it_and_a_patrol_is_no_hold(parser: ArticleParser) -> None:
    text = "Gunmen ambushed an army patrol near the village of Kafr Nabudah on Monday, killing five soldiers."
    events = at(parse(parser, text, "SY"), "Kafr Nabudah")
    assert {e.action for e in events} == {"attacked"}
    assert events[0].actor.side != "sy-gov"


def test_an_actor_the_subject_is_affiliated_with_is_not_the_subject(parser: ArticleParser) -> None:
    text = "Gunmen loyal to the former army attacked checkpoints around Kafr Nabudah, witnesses said."
    events = at(parse(parser, text, "SY"), "Kafr Nabudah")
    assert events and all(e.actor.side != "sy-gov" for e in events)


def test_the_army_of_a_sahel_article_is_its_countrys(parser: ArticleParser) -> None:
    text = (
        "JNIM fighters attacked Djibo in Burkina Faso, near the border with Mali, Burkinabe officials said. "
        "JNIM said it had taken the town. The army said it had repelled the attack on Djibo."
    )
    article = Article(article_id=article_id(text), text=text, published_at=WHEN)
    events = parser.parse(article, WHEN)
    armies = [e.actor for e in events if e.actor.id in {"ml-gov", "bf-gov"}]
    armies += [e.counterpart for e in events if e.counterpart and e.counterpart.id in {"ml-gov", "bf-gov"}]
    assert armies and all(a.id == "bf-gov" for a in armies)


def test_it_denied_continues_the_last_speaker(parser: ArticleParser) -> None:
    text = (
        "JNIM said it had taken Djibo. The government said the army had full control of Djibo. "
        "It denied that the town had fallen at any point."
    )
    events = parse(parser, text, "BF")
    assert [e for e in events if e.action == "denied" and e.actor.id == "bf-gov"]


def test_a_redeployment_in_provinces_withdraws_from_them(parser: ArticleParser) -> None:
    text = 'The army said its units had carried out a "redeployment" in Idlib and Hama provinces.'
    events = parse(parser, text, "SY")
    assert {e.place.text for e in events if e.action == "withdrew"} >= {"Idlib", "Hama"}


def test_denying_a_take_of_it_points_back_to_the_claim(parser: ArticleParser) -> None:
    text = (
        "The army said on Tuesday that its troops had seized the police headquarters in Bahri. "
        "Residents said the streets were quiet. One man said he had heard gunfire. Shops stayed shut. "
        "The RSF said its fighters were still present and denied that the army had taken it."
    )
    events = at(parse(parser, text, "SD"), "Khartoum North")
    assert [e for e in events if e.action == "denied" and e.actor.id == "rsf"]


def test_a_party_saying_a_place_had_not_fallen_denies_its_fall(parser: ArticleParser) -> None:
    text = (
        "M23 rebels seized Walikale on Saturday, according to local sources. "
        'The government in Kinshasa said on Sunday that Walikale had "not fallen".'
    )
    events = at(parse(parser, text, "CD"), "Walikale")
    assert [e for e in events if e.action == "denied" and e.actor.id == "cd-gov"]
    assert [e for e in events if e.attributed_to and e.attributed_to.name == "local sources"]


def test_a_relative_after_a_capital_of_apposition_is_about_the_city(parser: ArticleParser) -> None:
    text = "The RSF still holds Nyala, the capital of South Darfur, which its fighters overran in October."
    events = parse(parser, text, "SD")
    taken = [e for e in events if e.action == "captured"]
    assert taken and all(e.place.precision != "region" for e in taken)


def test_a_descriptive_unit_name_of_another_war_is_no_actor_here(parser: ArticleParser) -> None:
    text = "The junta's Military Operations Command in Lashio said the town was calm. The TNLA seized Mogok."
    events = parse(parser, text, "MM")
    assert not [e for e in events if e.actor.id == "hts"]


def test_the_group_after_its_name_in_the_same_sentence_is_that_group(parser: ArticleParser) -> None:
    text = "The AA attacked Sittwe. TNLA spokesperson Lway Yay Oo said that the group's forces hold Mogok."
    events = at(parse(parser, text, "MM"), "Mogok")
    assert events and all(e.actor.id == "tnla" for e in events)


def test_the_group_qualified_by_a_name_word_is_the_group_so_named(parser: ArticleParser) -> None:
    text = (
        "The Arakan Army and the Kachin Independence Army made gains in 2024. The Arakan Army took Ann. "
        "Last October the Kachin group seized Pangwa."
    )
    events = at(parse(parser, text, "MM"), "Pangwa")
    assert events and all(e.actor.id == "kia" for e in events)


def test_a_demanded_withdrawal_and_its_rejection_are_no_events(parser: ArticleParser) -> None:
    text = "Moscow has demanded that Ukraine withdraw from the rest of Zaporizhzhia, which Kyiv rejects."
    events = parse(parser, text, "UA")
    assert not [e for e in events if e.action in {"withdrew", "denied"}]


def test_background_after_a_closed_speech_tag_is_the_articles_own(parser: ArticleParser) -> None:
    text = (
        "Russian troops have pushed into the outskirts of Lyman, officials said this week, "
        "months after Ukraine recaptured the city in its counteroffensive."
    )
    events = at(parse(parser, text, "UA"), "Lyman")
    retaken = [e for e in events if e.action == "recaptured"]
    assert retaken and all(e.attributed_to is None for e in retaken)
    assert [e for e in events if e.action == "advancing" and e.attributed_to is not None]


def test_a_relative_clause_takes_the_place_the_main_clause_measures_from(parser: ArticleParser) -> None:
    text = "Siversk lies about 30 km north of Soledar, which Russian forces took in January 2023."
    events = at(parse(parser, text, "UA"), "Soledar")
    assert [e for e in events if e.action == "captured"]
    assert not [e for e in events if e.action == "advancing"]


def test_an_announced_liberation_with_no_side_named_is_a_claim(parser: ArticleParser) -> None:
    text = "In early September, Petrenko announced the liberation of Andriivka in Donetsk Oblast."
    events = at(parse(parser, text, "UA"), "Andriivka")
    assert [e for e in events if e.action == "claimed_control" and e.actor.id == "ua-gov"]


def test_the_ministry_after_a_named_ministry_is_that_states(parser: ArticleParser) -> None:
    text = (
        "Russia's Defence Ministry said on Friday its forces had captured the town of Toretsk, "
        "a claim Kyiv swiftly rejected. "
        'The ministry said its units had "completed the liberation" of the town.'
    )
    events = parse(parser, text, "UA")
    assert not [e for e in events if e.place.name == "Kyiv"]
    assert all(e.actor.id == "ru-gov" for e in events if e.action == "claimed_control")


def test_a_multi_word_name_before_a_border_gate_is_kept_whole(parser: ArticleParser) -> None:
    text = "Last October the KIA seized the Lwel Gyar Yang border gate."
    events = parse(parser, text, "MM")
    assert [e for e in events if e.place.name == "Lwel Gyar Yang" and e.action == "captured"]


def test_a_regions_townships_are_not_the_region(parser: ArticleParser) -> None:
    text = "The Arakan Army took Ann in December after taking almost all of Rakhine State's townships."
    events = parse(parser, text, "MM")
    assert not [e for e in events if e.place.precision == "region" and e.action == "captured"]


def test_a_generic_word_inside_a_units_proper_name_is_no_actor(parser: ArticleParser) -> None:
    text = "Rebels seized Ann, home to the Western Regional Military Command, and took Taungup in December."
    events = parse(parser, text, "MM")
    assert events and all(e.actor.text != "Military" for e in events)


def test_the_rebels_after_a_named_group_are_that_group(parser: ArticleParser) -> None:
    text = "M23 fighters advanced on Walikale on Friday. The rebels entered the town on Saturday."
    events = at(parse(parser, text, "CD"), "Walikale")
    assert [e for e in events if e.action == "entered" and e.actor.id == "m23"]


def test_another_rebel_group_is_not_the_group_named(parser: ArticleParser) -> None:
    text = "HTS fighters captured Hama. Another rebel group has seized the desert city of Palmyra."
    events = at(parse(parser, text, "SY"), "Palmyra")
    assert events and all(e.actor.id != "hts" for e in events)


def test_falling_back_from_a_town_is_a_withdrawal(parser: ArticleParser) -> None:
    text = (
        "M23 seized Walikale on Saturday. The rebels entered the town after soldiers of the FARDC "
        "fell back towards the hills, according to civil society representatives."
    )
    events = at(parse(parser, text, "CD"), "Walikale")
    left = [e for e in events if e.action == "withdrew"]
    assert left and left[0].actor.id == "cd-gov" and left[0].attributed_to is not None


def test_opening_fire_on_people_around_a_town_attacks_it(parser: ArticleParser) -> None:
    text = "In August, jihadists opened fire on civilians digging trenches around the town of Kaya."
    events = at(parse(parser, text, "BF"), "Kaya")
    assert [e for e in events if e.action == "attacked"]


def test_escaping_an_assault_is_no_attack_where_the_survivors_went(parser: ArticleParser) -> None:
    text = "Soldiers who escaped the assault reached the town of Kaya on Monday, a local source said."
    events = at(parse(parser, text, "BF"), "Kaya")
    assert not [e for e in events if e.action == "attacked"]


def test_a_month_last_year_and_a_part_of_a_year_are_dated(parser: ArticleParser) -> None:
    text = "M23 captured Rubaya at the end of April last year. M23 took Sake in early 2023."
    events = parse(parser, text, "CD")
    rubaya = [e for e in events if e.place.name == "Rubaya"]
    sake = [e for e in events if e.place.name == "Sake"]
    assert rubaya and rubaya[0].occurred_at.start == datetime(2023, 4, 1, tzinfo=UTC)
    assert sake and sake[0].occurred_at.start == datetime(2023, 1, 1, tzinfo=UTC)
    assert sake[0].occurred_at.end == datetime(2023, 5, 1, tzinfo=UTC)


def test_within_hours_keeps_the_date_of_the_sentence_before(parser: ArticleParser) -> None:
    text = (
        "Gunmen ambushed a patrol near Kafr Nabudah on Thursday. "
        "Within hours, gunmen had attacked checkpoints around Suqaylabiyah."
    )
    events = parse(parser, text, "SY")
    first = [e for e in events if e.evidence.sentence_index == 0]
    later = [e for e in events if e.evidence.sentence_index == 1]
    assert first and later and later[0].occurred_at.start == first[0].occurred_at.start


def test_the_time_of_an_after_clause_dates_that_clause_only(parser: ArticleParser) -> None:
    text = "Russian troops entered Lyman months after Ukraine recaptured the city in October 2022."
    events = at(parse(parser, text, "UA"), "Lyman")
    entered = [e for e in events if e.action == "entered"]
    retaken = [e for e in events if e.action == "recaptured"]
    assert entered and entered[0].occurred_at.start.year == 2024
    assert retaken and retaken[0].occurred_at.start == datetime(2022, 10, 1, tzinfo=UTC)


def test_assaults_a_side_repelled_were_the_enemys(parser: ArticleParser) -> None:
    text = "Over the past day, Ukrainian troops repelled 14 assaults near Kurakhove, the General Staff said."
    events = at(parse(parser, text, "UA"), "Kurakhove")
    assert events and all(e.actor.id == "ru-gov" for e in events if e.action == "attacked")


def test_driving_a_multi_word_force_out_of_a_town(parser: ArticleParser) -> None:
    text = "Local armed groups drove government security forces out of Shahba, residents said."
    events = at(parse(parser, text, "SY"), "Shahba")
    assert {e.action for e in events} >= {"withdrew"}
    assert [e for e in events if e.action == "withdrew" and e.actor.id == "sy-gov"]


def test_a_party_to_a_summit_between_leaders_is_no_side_of_a_fall(parser: ArticleParser) -> None:
    text = "The fall of Walikale comes weeks after a summit between President Felix Tshisekedi and Kagame."
    events = at(parse(parser, text, "CD"), "Walikale")
    assert all(e.actor.id != "cd-gov" for e in events)


def test_generic_rebels_prefer_a_group_of_their_own_side(parser: ArticleParser) -> None:
    text = (
        "Hayat Tahrir al-Sham fighters entered Saraqib on Monday.\n"
        "Turkish-backed fighters advanced on the Kurdish-led SDF in Manbij.\n"
        "Rebels were pressing towards Khan Shaykhun, a monitor said."
    )
    events = [e for e in parse(parser, text, "SY") if e.place.text == "Khan Shaykhun"]
    assert events and all(e.actor.side == "sy-opposition" for e in events), events


# -- fourth batch: vocabulary of control ------------------------------------------------------


def test_occupying_a_town_is_a_capture_but_the_occupied_town_is_not(parser: ArticleParser) -> None:
    events = parse(parser, "Russian troops occupied Kupiansk in late February.", "UA")
    assert [e for e in events if e.action == "captured" and e.place.text == "Kupiansk"]
    assert not parse(parser, "Residents of occupied Melitopol staged a protest.", "UA")


def test_a_town_occupied_by_a_side_is_its_capture(parser: ArticleParser) -> None:
    events = parse(
        parser, "Vuhledar is now fully occupied by Russian troops, a regional official said.", "UA"
    )
    assert [e for e in events if e.action == "captured" and e.actor.id == "ru-gov"]


def test_control_over_a_place_is_control_of_it(parser: ArticleParser) -> None:
    events = parse(parser, "RSF fighters took control over Nyala after a week of fighting.", "SD")
    assert [e for e in events if e.action == "captured" and e.place.name == "Nyala"]


def test_restoring_control_is_a_recapture_but_restoring_order_is_not(parser: ArticleParser) -> None:
    events = parse(parser, "The army said it had restored control of Sennar on Saturday.", "SD")
    assert [e for e in events if e.action == "recaptured" and e.place.text == "Sennar"]
    assert not parse(parser, "Police restored order in Sennar after the protests.", "SD")


def test_troops_stationed_in_a_town_hold_it(parser: ArticleParser) -> None:
    events = parse(parser, "Hundreds of Ukrainian troops were stationed in Kupiansk last month.", "UA")
    assert [e for e in events if e.action == "holds" and e.actor.id == "ua-gov"]


def test_handing_a_town_back_is_a_withdrawal_and_a_recapture(parser: ArticleParser) -> None:
    events = at(
        parse(parser, "The SAF ceded Wad Madani to the RSF after two days of fighting.", "SD"), "Wad Madani"
    )
    assert {(e.action, e.actor.id) for e in events} == {("captured", "rsf"), ("withdrew", "sd-gov")}
    events = parse(parser, "The MNDAA handed Hsenwi back to the junta under a truce.", "MM")
    assert {e.action for e in events} == {"recaptured", "withdrew"}
    assert not parse(parser, "Two hundred soldiers surrendered to the MNDAA.", "MM")


def test_holding_on_is_a_hold_where_the_fight_was(parser: ArticleParser) -> None:
    text = "Rebels attacked Saraqib on Monday. The army has held out."
    holds = [e for e in parse(parser, text, "SY") if e.action == "holds"]
    assert holds and holds[0].place.name == "Saraqib" and holds[0].actor.id == "sy-gov"
    assert not parse(parser, "Talks were held on Monday in Doha.", "SY")


def test_under_a_demonyms_control_and_in_its_hands_are_holds(parser: ArticleParser) -> None:
    text = "Kherson remained under Ukrainian control. Pokrovsk and Myrnohrad remain in Ukrainian hands."
    holds = [e for e in parse(parser, text, "UA") if e.action == "holds"]
    assert {e.place.name for e in holds} >= {"Kherson", "Pokrovsk", "Myrnohrad"}
    assert all(e.actor.id == "ua-gov" for e in holds)


def test_a_party_saying_a_town_is_now_under_its_control_claims_it(parser: ArticleParser) -> None:
    text = (
        "The RSF said in a statement that its fighters had entered Singa. "
        '"Singa is now under the control of the RSF," the statement said.'
    )
    events = [e for e in parse(parser, text, "SD") if e.evidence.sentence_index == 1]
    assert events and all(e.action == "claimed_control" and e.stance == "claimed" for e in events)


def test_trying_to_storm_a_town_is_an_attack_on_it(parser: ArticleParser) -> None:
    events = parse(parser, "Russian forces are trying to storm Pokrovsk from the east, officials said.", "UA")
    assert [e.action for e in events] == ["attacked"]
    assert not parse(parser, "Russian forces may try to capture Pokrovsk next year.", "UA")
    assert not parse(parser, "A storm hit Pokrovsk on Monday.", "UA")


def test_a_sides_flag_over_a_town(parser: ArticleParser) -> None:
    claimed = parse(parser, "Zelensky said the Ukrainian flag was flying over Kupiansk again.", "UA")
    assert [e.action for e in claimed] == ["claimed_control"] and claimed[0].actor.id == "ua-gov"
    asserted = parse(parser, "The Russian flag now flies over Avdiivka.", "UA")
    assert [e.action for e in asserted] == ["entered"] and asserted[0].actor.id == "ru-gov"


def test_rounds_of_talks_held_in_a_city_are_no_hold(parser: ArticleParser) -> None:
    assert not parse(parser, "TNLA and junta envoys have held two rounds of talks in Muse.", "MM")


def test_attacks_at_positions_held_by_the_other_side(parser: ArticleParser) -> None:
    text = "SNA factions launched attacks at positions held by the SDF (YPG) around Deir Hafer."
    attacks = [e for e in parse(parser, text, "SY") if e.action == "attacked"]
    assert attacks and attacks[0].place.text == "Deir Hafer" and attacks[0].actor.id == "sna"


# -- fourth batch: attribution and modality ----------------------------------------------------


def test_a_speaker_before_an_apposition_speaks(parser: ArticleParser) -> None:
    text = (
        "The RSF, a paramilitary force born of the Janjaweed militias, said its fighters had entered Sinja."
    )
    events = parse(parser, text, "SD")
    assert events and all(e.actor.id == "rsf" and e.stance == "claimed" for e in events)


def test_a_relative_clause_neither_speaks_for_nor_is_the_subject_of_the_main_clause(
    parser: ArticleParser,
) -> None:
    text = "The M23, which UN experts say is backed by Rwandan troops, seized Walikale on Wednesday."
    (event,) = parse(parser, text, "CD")
    assert event.actor.id == "m23" and event.stance == "asserted"


def test_state_media_speak_for_the_government(parser: ArticleParser) -> None:
    events = parse(parser, "State media said the army had recaptured Singa on Saturday.", "SD")
    assert events and events[0].stance == "claimed" and events[0].actor.id == "sd-gov"


def test_military_analysts_are_not_the_military(parser: ArticleParser) -> None:
    events = parse(parser, "Military analysts said Russian troops had captured Toretsk.", "UA")
    assert events and events[0].attributed_to is not None and events[0].attributed_to.kind == "unknown"


def test_an_open_source_group_is_no_anonymous_source(parser: ArticleParser) -> None:
    text = "Maps by DeepState, a Ukrainian open-source group, showed Kupiansk under Russian control."
    assert all(e.attributed_to is None or e.attributed_to.name != "source" for e in parse(parser, text, "UA"))


def test_a_withdrawal_inside_an_offer_is_no_withdrawal(parser: ArticleParser) -> None:
    text = "The SDF commander offered to turn Tabqa into a demilitarised zone, with his fighters redeployed."
    assert not parse(parser, text, "SY")


def test_rejected_accusations_of_an_attack_are_no_denial_of_control(parser: ArticleParser) -> None:
    text = (
        "Shells hit a camp near Minova in an attack that Kinshasa blamed on the M23, "
        "accusations rejected by the rebels."
    )
    events = parse(parser, text, "CD")
    assert not [e for e in events if e.action == "denied" or e.place.name == "Kinshasa"]


# -- fourth batch: places ----------------------------------------------------------------------


def test_a_region_naming_a_stronghold_is_not_what_is_taken(parser: ArticleParser) -> None:
    events = parse(parser, "Russian troops captured the Donbas town of Vuhledar.", "UA")
    assert [e.place.name for e in events] == ["Vuhledar"]


def test_a_region_in_an_apposition_is_not_the_subject(parser: ArticleParser) -> None:
    events = parse(parser, "Kadugli, in South Kordofan, has been besieged by the RSF for months.", "SD")
    assert [e.place.name for e in events] == ["Kadugli"]


def test_places_coordinated_before_a_plural_passive_share_it(parser: ArticleParser) -> None:
    events = parse(parser, "The towns of Pokrovsk and Myrnohrad are encircled by Russian forces.", "UA")
    assert {e.place.name for e in events if e.action == "besieging"} == {"Pokrovsk", "Myrnohrad"}


def test_a_long_relative_clause_does_not_hide_the_subject_place(parser: ArticleParser) -> None:
    text = (
        "Kupiansk, which lies on the Oskil river a few kilometres from the Russian border, "
        "remained in Ukrainian hands."
    )
    events = parse(parser, text, "UA")
    assert [(e.action, e.place.text) for e in events] == [("holds", "Kupiansk")]


def test_the_relative_after_a_distance_in_an_apposition_is_about_the_head(parser: ArticleParser) -> None:
    text = (
        "Government troops attacked Umm Rawaba, a town about 50 km south of the state capital El Obeid "
        "that the RSF had seized in May."
    )
    events = parse(parser, text, "SD")
    assert not [e for e in events if e.place.name == "El Obeid"]
    assert [e for e in events if e.action == "captured" and e.actor.id == "rsf"]


def test_the_relative_after_a_distance_in_the_predicate_is_about_its_place(parser: ArticleParser) -> None:
    text = "Ivanivske lies 5 km east of Chasiv Yar, which Russian forces took in July."
    assert [(e.action, e.place.name) for e in parse(parser, text, "UA")] == [("captured", "Chasiv Yar")]


def test_columns_advancing_where_a_relative_points_advance_on_that_place(parser: ArticleParser) -> None:
    text = "The front has moved to Lashio, where rebel columns were advancing along the highway."
    assert [(e.action, e.place.name) for e in parse(parser, text, "MM")] == [("advancing", "Lashio")]
    assert not parse(parser, "Rebel columns were advancing along the highway.", "MM")


def test_another_name_in_brackets_does_not_end_a_list(parser: ArticleParser) -> None:
    text = "HTS fighters captured Maaret al-Numan (Maarat al-Numan) and Saraqib on Thursday."
    assert len({e.place.text for e in parse(parser, text, "SY")}) == 2


def test_a_bearing_after_a_listed_village_does_not_end_the_list(parser: ArticleParser) -> None:
    text = (
        "Ukrainian forces retook several villages, including Klishchiivka to the south "
        "and Andriivka to the south-west."
    )
    assert {e.place.text for e in parse(parser, text, "UA")} == {"Klishchiivka", "Andriivka"}


def test_a_repeated_of_before_nearby_villages_continues_the_object(parser: ArticleParser) -> None:
    text = (
        "Russia said it had taken control of Avdiivka and of the nearby villages of Lastochkyne and Stepove."
    )
    assert {e.place.text for e in parse(parser, text, "UA")} == {"Avdiivka", "Lastochkyne", "Stepove"}


def test_the_dam_is_the_named_dam_not_the_last_town(parser: ArticleParser) -> None:
    text = (
        "SNA factions attacked the Tishrin Dam on Monday near Manbij. By Tuesday the SDF had retaken the dam."
    )
    retaken = [e for e in parse(parser, text, "SY") if e.action == "recaptured"]
    assert retaken and retaken[0].place.name == "Tishrin Dam"


def test_a_dam_named_after_a_town_is_one_place(parser: ArticleParser) -> None:
    events = parse(parser, "Rebels attacked the Tabqa Dam on Monday. The SDF recaptured the dam.", "SY")
    assert events and all("Tabqa" in e.place.name for e in events)


def test_the_druze_majority_city_points_back(parser: ArticleParser) -> None:
    text = (
        "Government forces left Sweida, leaving the Druze-majority city in the hands of local armed groups."
    )
    holds = [e for e in parse(parser, text, "SY") if e.action == "holds"]
    assert holds and holds[0].place.text == "the Druze-majority city" and holds[0].place.id is not None


def test_an_unknown_plant_lies_in_the_city_of_the_story(parser: ArticleParser) -> None:
    text = (
        "Fighting went on in Kostiantynivka. Russian troops entered the Zavod chemical plant, officials said."
    )
    entered = [e for e in parse(parser, text, "UA") if e.action == "entered"]
    assert entered and entered[0].place.name == "Kostyantynivka"


def test_the_retaking_of_an_unknown_village_names_it(parser: ArticleParser) -> None:
    text = "The army announced the retaking of Umm Sumeima on Sunday."
    assert [e.place.text for e in parse(parser, text, "SD")] == ["Umm Sumeima"]


def test_a_unit_and_a_first_name_are_no_places(parser: ArticleParser) -> None:
    events = parse(
        parser, "The army regained control of the Light Infantry Battalion 99 base near Bhamo.", "MM"
    )
    assert not [e for e in events if e.place.text == "Light"]
    text = 'A fighter, who gave only his first name, Kyaw, said: "We still hold Bhamo."'
    assert not [e for e in parse(parser, text, "MM") if e.place.text == "Kyaw"]


# -- fourth batch: actors ----------------------------------------------------------------------


def test_a_generic_word_of_another_war_yields_to_the_articles_own(parser: ArticleParser) -> None:
    text = "The regime retook Nawnghkio, in a war compared with Syrian battles."
    events = parse(parser, text, "MM")
    assert events and events[0].actor.id == "mm-gov"


def test_an_army_base_does_not_stand_for_the_army(parser: ArticleParser) -> None:
    text = (
        "In March the rebels stormed the army base at Boni, and in April they attacked the camp at Douentza."
    )
    attacks = [e for e in parse(parser, text, "ML") if e.action == "attacked"]
    assert attacks and all(e.actor.id != "ml-gov" for e in attacks)


def test_the_rebels_after_several_days_are_the_named_group(parser: ArticleParser) -> None:
    text = "M23 fighters entered Sake. For several weeks the rebels had besieged Goma."
    sieges = [e for e in parse(parser, text, "CD") if e.action == "besieging"]
    assert sieges and sieges[0].actor.id == "m23"


def test_coordinated_forces_both_withdraw(parser: ArticleParser) -> None:
    text = "Soldiers of the FARDC and Wazalendo self-defence fighters pulled back from Sake."
    assert {e.actor.id for e in parse(parser, text, "CD") if e.action == "withdrew"} == {
        "cd-gov",
        "wazalendo",
    }


def test_a_second_participle_shares_the_subject_of_the_first(parser: ArticleParser) -> None:
    text = "The army pressed north, driving the RSF out of Sinja and, on Sunday, retaking Singa."
    events = [e for e in parse(parser, text, "SD") if e.place.name == "Singa"]
    assert events and events[0].actor.id == "sd-gov"


def test_an_actor_of_a_later_clause_is_not_the_subject_of_a_verb(parser: ArticleParser) -> None:
    text = "Trucks were seen heading towards Homs at dawn, and by noon HTS fighters had entered Hama."
    assert not [e for e in parse(parser, text, "SY") if e.place.name == "Homs"]


def test_tuareg_separatist_rebels_and_the_mnla(parser: ArticleParser) -> None:
    text = "Tuareg separatist rebels seized Tessalit. The MNLA said it had entered Anefis."
    events = parse(parser, text, "ML")
    assert {e.actor.side for e in events} == {"azawad"}


# -- fourth batch: time ------------------------------------------------------------------------


def test_wire_dates_mid_months_weekends_and_year_starts() -> None:
    from domain.timeexpr import find_times

    ref = datetime(2024, 12, 16, tzinfo=UTC)  # a Monday
    (abbr,) = find_times("Rebels took the town on Nov. 3, officials said.", ref)
    assert abbr.span.start == datetime(2024, 11, 3, tzinfo=UTC) and abbr.span.precision == "day"
    (mid,) = find_times("Troops retook it in mid-October.", ref)
    assert mid.span.start == datetime(2024, 10, 1, tzinfo=UTC) and mid.span.precision == "month"
    (weekend,) = find_times("The group withdrew over the weekend.", ref)
    assert weekend.span.start == datetime(2024, 12, 14, tzinfo=UTC)
    (day,) = find_times("Its troops entered the town earlier in the day.", ref)
    assert day.span.start == datetime(2024, 12, 16, tzinfo=UTC)
    (since,) = find_times("They have held it since the beginning of the year.", ref)
    assert since.span.start == datetime(2024, 1, 1, tzinfo=UTC)


# -- fifth batch ---------------------------------------------------------------------------------


def test_a_nominal_attack_before_a_relative_clause_and_a_modal_is_a_prospect(parser: ArticleParser) -> None:
    text = (
        "An offensive on Kalay, where the junta has dug in and can fly in supplies, would cost "
        "the resistance dearly, analysts said."
    )
    assert not [e for e in parse(parser, text, "MM") if e.place.text == "Kalay" and e.action == "attacked"]


def test_a_held_compound_inside_the_object_does_not_end_it(parser: ArticleParser) -> None:
    text = "Army units took full control of the rebel-held town of Kafr Nabl on Monday."
    events = parse(parser, text, "SY")
    assert [e for e in events if e.place.text == "Kafr Nabl" and e.action == "captured"]
    assert not [e for e in events if e.action == "holds"]  # held before it was taken


def test_a_held_compound_after_a_take_verb_is_a_past_hold(parser: ArticleParser) -> None:
    text = "Government troops recaptured the rebel-held village of Kafr Nabl."
    assert {e.action for e in parse(parser, text, "SY")} == {"recaptured"}


def test_a_sponsor_after_backed_by_is_neither_subject_nor_speaker(parser: ArticleParser) -> None:
    text = "Kurdish fighters backed by the United States said they had taken full control of Tabqa."
    events = [e for e in parse(parser, text, "SY") if e.place.text == "Tabqa"]
    assert events and {e.actor.id for e in events} == {"sdf"}
    assert {e.stance for e in events} == {"claimed"}


def test_a_backed_by_phrase_between_commas_is_stepped_over(parser: ArticleParser) -> None:
    text = (
        "Government troops, backed by Russian jets and Iranian-backed militias, retook Palmyra on Thursday."
    )
    events = [e for e in parse(parser, text, "SY") if e.action == "recaptured"]
    assert events and events[0].actor.id == "sy-gov"


def test_an_agency_credit_glued_to_the_text_closes_the_caption_before_it() -> None:
    from domain.sentences import split_sentences

    text = (
        "Rebels ride through Saraqib, Syria, Nov. 30, 2024. REUTERS/Mahmoud HassanoBEIRUT, Dec 1 (Reuters) - "
        "Syrian rebels took Saraqib on Saturday."
    )
    caption, body = split_sentences(text)
    assert caption.caption and caption.text.endswith("2024.")
    assert not body.caption and body.text.startswith("BEIRUT") and "Hassano" not in body.text


def test_an_agency_credit_glued_at_the_start_of_a_line_opens_a_caption() -> None:
    from domain.sentences import split_sentences

    (sentence,) = split_sentences("AFPSoldiers patrol a street in Kidal after the army entered the town")
    assert sentence.caption and sentence.text.startswith("Soldiers patrol")


def test_a_bracketed_credit_glued_to_the_text_closes_the_caption() -> None:
    from domain.sentences import split_sentences

    text = (
        "Troops at the radio building in Omdurman (Photo: army media office)The army said it held the area."
    )
    caption, body = split_sentences(text)
    assert caption.caption and not body.caption and body.text.startswith("The army said")


def test_evacuating_civilians_is_no_withdrawal(parser: ArticleParser) -> None:
    text = "The shelling forced the authorities to evacuate hundreds of residents from Kupiansk on Monday."
    assert not [e for e in parse(parser, text, "UA") if e.action == "withdrew"]
    text = "Ukrainian units evacuated from Kupiansk on Monday."
    assert [e for e in parse(parser, text, "UA") if e.action == "withdrew"]


def test_the_enemy_trying_to_break_into_a_town_attacks_it(parser: ArticleParser) -> None:
    text = '"The enemy is trying to break into Kupiansk from the north," a Ukrainian spokesman said.'
    events = [e for e in parse(parser, text, "UA") if e.place.text == "Kupiansk"]
    assert [e.action for e in events] == ["attacked"] and events[0].actor.id == "ru-gov"


def test_claiming_a_place_is_a_claim_of_control(parser: ArticleParser) -> None:
    events = parse(parser, "Moscow claimed Synkivka on Tuesday.", "UA")
    assert [(e.action, e.stance) for e in events] == [("claimed_control", "claimed")]
    assert not parse(parser, "The RSF claimed responsibility for the shelling of Kadugli.", "SD")


def test_places_listed_after_a_colon_are_the_object(parser: ArticleParser) -> None:
    text = "Russia claimed three more villages on Sunday: Synkivka, Petropavlivka and Kruhliakivka."
    names = {e.place.text for e in parse(parser, text, "UA") if e.action == "claimed_control"}
    assert {"Synkivka", "Petropavlivka", "Kruhliakivka"} <= names


def test_a_thrust_aimed_at_a_place_attacks_it(parser: ArticleParser) -> None:
    text = "The main Russian push was aimed at Hlyboke, just south of the border."
    events = [e for e in parse(parser, text, "UA") if e.action == "attacked"]
    assert events and events[0].place.text == "Hlyboke" and events[0].actor.id == "ru-gov"
    assert not parse(parser, "Most of the criticism was aimed at Kyiv.", "UA")


def test_his_unit_is_the_side_of_the_soldier_who_speaks(parser: ArticleParser) -> None:
    text = "A Ukrainian soldier said his unit had pulled back from Krasnohorivka overnight."
    events = [e for e in parse(parser, text, "UA") if e.action == "withdrew"]
    assert events and events[0].actor.id == "ua-gov"


def test_a_force_coming_under_fire_is_fired_on_by_its_enemy(parser: ArticleParser) -> None:
    text = "Malian troops came under fire near Diafarabe on Sunday."
    events = [e for e in parse(parser, text, "ML") if e.action == "attacked"]
    assert events and events[0].actor.id != "ml-gov"


def test_a_side_declaring_a_place_free_claims_it(parser: ArticleParser) -> None:
    events = parse(parser, "Army chief Burhan declared Wad Madani free on Saturday.", "SD")
    assert [(e.action, e.actor.id) for e in events] == [("claimed_control", "sd-gov")]
    events = parse(parser, '"Bara is free," an army spokesman said on Sunday.', "SD")
    assert [(e.action, e.actor.id) for e in events] == [("claimed_control", "sd-gov")]
    assert not parse(parser, "The road to Bara is free of mines.", "SD")
    assert not parse(parser, "The RSF set free 200 prisoners in Nyala.", "SD")


def test_a_quotation_of_several_sentences_keeps_its_speaker() -> None:
    from domain.sentences import split_sentences

    text = '"We have taken Sake. The road to Goma is open," an M23 spokesman said. Fighting went on.'
    assert [s.text for s in split_sentences(text)] == [
        '"We have taken Sake. The road to Goma is open," an M23 spokesman said.',
        "Fighting went on.",
    ]


def test_heading_back_towards_a_place_is_no_advance(parser: ArticleParser) -> None:
    text = (
        "Pro-government militiamen also pulled out of Afrin, heading back towards Nubl, the Observatory said."
    )
    assert {e.action for e in parse(parser, text, "SY")} == {"withdrew"}


def test_the_way_of_a_retreat_is_no_advance(parser: ArticleParser) -> None:
    text = "The rebels abandoned Kafr Nabl and were heading north towards Idlib on Sunday."
    assert {e.action for e in parse(parser, text, "SY")} == {"withdrew"}
    text = "Rebels captured Saraqib and were heading towards Hama."
    assert "advancing" in {e.action for e in parse(parser, text, "SY")}


def test_a_column_seen_leaving_a_town_withdraws_from_it(parser: ArticleParser) -> None:
    text = (
        "Residents said columns of RSF vehicles were seen on Friday leaving the eastern outskirts of Sinja."
    )
    events = [e for e in parse(parser, text, "SD") if e.action == "withdrew"]
    assert events and events[0].actor.id == "rsf"
    assert not parse(parser, "The RSF shelled Sinja for hours, leaving the market in ruins.", "SD")


def test_a_side_driven_out_of_a_place_withdrew_from_it(parser: ArticleParser) -> None:
    events = parse(parser, "The paramilitaries were pushed out of Bara by the army on Monday.", "SD")
    assert [(e.action, e.actor.id) for e in events] == [("withdrew", "rsf")]


def test_denying_being_driven_out_is_a_denial_of_the_place(parser: ArticleParser) -> None:
    events = parse(parser, "The RSF denied it had been driven out of Bara.", "SD")
    assert [(e.action, e.actor.id) for e in events] == [("denied", "rsf")]


def test_a_verb_coordinated_after_a_list_of_verbs_keeps_the_sentence_subject(parser: ArticleParser) -> None:
    text = (
        "The army retook Sinja in November, broke the RSF siege of El Obeid in February, "
        "and has since pushed the paramilitaries out of Bara."
    )
    events = [e for e in parse(parser, text, "SD") if e.place.text == "Bara" and e.action == "recaptured"]
    assert events and events[0].actor.id == "sd-gov"


def test_a_name_before_a_displacement_camp_is_a_place(parser: ArticleParser) -> None:
    text = "RSF fighters attacked the Abu Shouk displacement camp on Friday."
    assert [e.place.text for e in parse(parser, text, "SD") if e.action == "attacked"] == ["Abu Shouk"]


def test_generic_fighters_coordinated_after_a_named_side_stand_with_it(parser: ArticleParser) -> None:
    text = "The rebels entered Kalehe after Congolese troops and allied militia fighters abandoned the town."
    events = [e for e in parse(parser, text, "CD") if e.action == "withdrew"]
    assert events and events[0].actor.id == "cd-gov"


def test_an_assault_repelled_where_a_place_was_named_attacked_that_place(parser: ArticleParser) -> None:
    text = (
        "Heavy fighting was reported around Kibumba, about 20 km north of Goma, where the army said it "
        "had repelled an M23 assault overnight."
    )
    events = [e for e in parse(parser, text, "CD") if e.action == "attacked"]
    assert [(e.place.text, e.actor.id) for e in events] == [("Kibumba", "m23")]


def test_denying_support_for_a_group_is_no_denial_of_a_place(parser: ArticleParser) -> None:
    text = "The rebels captured Masisi on Saturday. Kigali denies backing the M23 and says it defends itself."
    assert not [e for e in parse(parser, text, "CD") if e.action == "denied"]


def test_a_nominal_capture_as_subject_takes_no_actor_from_its_verb(parser: ArticleParser) -> None:
    text = "Analysts said the fall of Kalehe exposed the weakness of Congo's army."
    assert not [e for e in parse(parser, text, "CD") if e.actor.id == "cd-gov" and e.action == "captured"]


def test_an_apposition_after_the_subject_is_stepped_over(parser: ArticleParser) -> None:
    text = "The TNLA, one of the armed groups fighting the junta, launched an attack on Kyaukme in June."
    events = [e for e in parse(parser, text, "MM") if e.action == "attacked"]
    assert events and events[0].actor.id == "tnla"


def test_its_at_the_start_of_a_sentence_is_the_side_the_last_one_was_about(parser: ArticleParser) -> None:
    text = (
        "The TNLA, one of the armed groups fighting the military, attacked Kyaukme in June. "
        "Its fighters had surrounded the town for weeks."
    )
    events = [e for e in parse(parser, text, "MM") if e.action == "besieging"]
    assert events and events[0].actor.id == "tnla"


def test_peacekeepers_are_never_the_rebels(parser: ArticleParser) -> None:
    text = "The CSP attacked Ber after UN peacekeepers left their base. The rebels then seized Ber."
    events = [e for e in parse(parser, text, "ML") if e.action == "captured"]
    assert events and events[0].actor.id != "minusma"


def test_a_descriptive_alias_stands_for_the_group_the_article_named(parser: ArticleParser) -> None:
    text = (
        "The CSP said its fighters had withdrawn from Anefis. "
        "Kidal has been held by the separatists since 2014."
    )
    events = [e for e in parse(parser, text, "ML") if e.place.name == "Kidal"]
    assert events and events[0].actor.id == "csp"


def test_the_jihadists_are_the_jihadist_group_named_not_the_last_group(parser: ArticleParser) -> None:
    text = (
        "Islamic State fighters shelled Tabqa. The SDF said it had repelled them. "
        "The jihadists attacked Tabqa again on Monday."
    )
    events = [
        e for e in parse(parser, text, "SY") if e.action == "attacked" and "again" in e.evidence.sentence
    ]
    assert events and events[0].actor.id == "is"


def test_militants_linked_to_a_named_group_are_that_group(parser: ArticleParser) -> None:
    text = "Militants linked to al Qaeda attacked the army camp at Diafarabe on Tuesday."
    events = [e for e in parse(parser, text, "ML") if e.action == "attacked"]
    assert events and events[0].actor.id == "jnim"


def test_a_namesake_whose_own_name_it_is_wins_a_near_tie(parser: ArticleParser) -> None:
    found = parser.gazetteer.lookup("Sloviansk", ["UA"])
    assert found is not None and found.name == "Slovyansk"


def test_a_short_name_is_not_a_big_city_abroad_known_by_it(parser: ArticleParser) -> None:
    found = parser.gazetteer.lookup("Ber", ["ML"])
    assert found is None or found.country == "ML"


def test_pushing_on_towards_a_place_and_heading_for_it_are_advances(parser: ArticleParser) -> None:
    text = "Arakan Army fighters have been pushing south towards Gwa, residents said."
    assert [e.action for e in parse(parser, text, "MM")] == ["advancing"]
    text = "The army column left Gao on Monday and is heading for Kidal."
    assert [(e.action, e.place.name) for e in parse(parser, text, "ML")] == [("advancing", "Kidal")]


def test_a_dated_fall_of_a_place_to_a_side(parser: ArticleParser) -> None:
    text = "It came after the fall in January of Paletwa, a town on the Kaladan river, to the Arakan Army."
    events = [e for e in parse(parser, text, "MM") if e.action == "captured"]
    assert [(e.place.text, e.actor.id) for e in events] == [("Paletwa", "aa")]


def test_a_directional_unit_name_is_no_place(parser: ArticleParser) -> None:
    text = "It follows the fall of the Southwestern Command in Pathein to the Arakan Army."
    assert not [e for e in parse(parser, text, "MM") if e.place.text.startswith("Southwestern")]


def test_a_list_item_named_with_its_noun_is_not_an_apposition(parser: ArticleParser) -> None:
    text = "The junta still holds the state capital Sittwe, the island township of Manaung, and Thandwe."
    names = {e.place.text for e in parse(parser, text, "MM") if e.action == "holds"}
    assert names == {"Sittwe", "Manaung", "Thandwe"}


def test_moving_in_where_peacekeepers_left_their_camp(parser: ArticleParser) -> None:
    text = (
        "Clashes broke out around Tessit, near Ansongo, where government troops moved in after the "
        "peacekeepers left their camp."
    )
    events = parse(parser, text, "ML")
    assert {(e.action, e.place.text) for e in events} == {("entered", "Tessit"), ("withdrew", "Tessit")}
    assert {e.actor.id for e in events if e.action == "withdrew"} == {"minusma"}


def test_pushing_back_the_attackers_in_a_place_is_an_attack_on_it_by_them(parser: ArticleParser) -> None:
    text = (
        "The CSP said it had overrun the post at Lere. "
        "The army said it had pushed back the attackers in Lere."
    )
    events = [e for e in parse(parser, text, "ML") if e.action == "attacked"]
    assert [(e.place.text, e.actor.id) for e in events] == [("Lere", "csp")]


def test_the_assault_repelled_is_the_attack_just_told(parser: ArticleParser) -> None:
    text = "The CSP attacked an army camp at Bourem. The army said it had repelled the assault."
    events = [e for e in parse(parser, text, "ML") if e.action == "attacked"]
    assert {e.actor.id for e in events} == {"csp"}


def test_an_assault_repelled_with_only_the_defender_named_is_by_its_opponent(parser: ArticleParser) -> None:
    text = "Ukrainian forces repelled an assault on Kurakhove on Tuesday."
    events = [e for e in parse(parser, text, "UA") if e.action == "attacked"]
    assert events and events[0].actor.id == "ru-gov"


def test_a_take_the_article_calls_an_unconfirmed_claim_is_only_a_claim(parser: ArticleParser) -> None:
    text = "The CSP said it had seized the army camp at Lere, a claim the army did not confirm."
    assert {e.action for e in parse(parser, text, "ML")} == {"claimed_control"}


def test_a_country_named_after_its_river_is_the_river_after_on_the(parser: ArticleParser) -> None:
    text = "Militants attacked a passenger boat on the Niger near Gourma-Rharous on Thursday."
    assert not [e for e in parse(parser, text, "ML") if e.place.precision == "country"]


def test_villages_claimed_in_a_place_are_not_that_place(parser: ArticleParser) -> None:
    assert not parse(parser, "Russia claims more villages in Kharkiv push", "UA")


def test_an_unknown_name_near_a_known_place_is_the_object_not_the_place(parser: ArticleParser) -> None:
    text = "Government forces pressed their assault on rebel-held eastern Ghouta near Damascus."
    assert not [e for e in parse(parser, text, "SY") if e.place.name == "Damascus"]


def test_a_capture_announced_without_its_place_is_a_claim_on_the_place_just_told(
    parser: ArticleParser,
) -> None:
    text = "Turkish troops took Jandaris on Thursday. Erdogan announced the capture in a televised speech."
    events = [e for e in parse(parser, text, "SY") if e.action == "claimed_control"]
    assert [(e.place.text, e.actor.id) for e in events] == [("Jandaris", "tr-gov")]


def test_reaching_the_centre_of_a_place_is_entering_it(parser: ArticleParser) -> None:
    assert [e.action for e in parse(parser, "Rebels reached the heart of Saraqib on Friday.", "SY")] == [
        "entered"
    ]
    text = "The rebels took Saraqib's outskirts. By noon they had reached the town centre."
    assert "entered" in {e.action for e in parse(parser, text, "SY")}


def test_described_rebels_are_the_group_of_their_side_the_article_names(parser: ArticleParser) -> None:
    text = (
        "Tuareg separatist rebels seized Menaka on Friday, residents said. "
        "The National Movement for the Liberation of Azawad (MNLA) said the town had been liberated."
    )
    events = [e for e in parse(parser, text, "ML") if e.action == "captured"]
    assert events and {e.actor.id for e in events} == {"mnla"}


def test_a_person_before_a_spokesman_apposition_is_no_place(parser: ArticleParser) -> None:
    text = '"Operations have ended," Talal Silo, a spokesman for the SDF, said of Tabqa.'
    assert not [e for e in parse(parser, text, "SY") if e.place.text.startswith("Talal")]
    from domain.places import find_places
    from domain.reading import Reading
    from domain.sentences import split_sentences
    from domain.tokens import tokenize

    article = Article(article_id="a", text=text, published_at=WHEN, country_hint="SY")
    sentence = split_sentences(text)[0]
    tokens = tokenize(sentence.text)
    ctx = parser._context(article, [tokens], WHEN)
    reading = Reading(parser.lexicon, ctx, sentence, tokens, WHEN)
    find_places(reading)
    assert not [m for m in reading.mentions if m.kind == "place" and m.text.startswith("Talal")]


def test_a_landmark_of_a_city_stands_for_the_city(parser: ArticleParser) -> None:
    text = (
        "SDF fighters stormed the National Hospital in Tabqa on Monday. "
        "More than half of the city was in SDF hands."
    )
    events = parse(parser, text, "SY")
    assert {e.place.text for e in events if e.action == "attacked"} == {"National Hospital"}
    assert {e.place.name for e in events} <= {"Al-Tabqa"}


def test_a_title_before_a_name_is_no_place(parser: ArticleParser) -> None:
    text = (
        "Kreminna is now occupied, Mayor Oleksandr Striuk said, "
        "after Ukraine ordered its troops to leave the city."
    )
    assert not [e for e in parse(parser, text, "UA") if e.place.text == "Mayor"]


def test_fighters_and_their_families_leaving_is_a_withdrawal_civilians_fleeing_is_not(
    parser: ArticleParser,
) -> None:
    text = "Several hundred members of Islamic State and their families left Tabqa under a deal."
    assert [(e.action, e.actor.id) for e in parse(parser, text, "SY")] == [("withdrew", "is")]
    text = "Islamic State shelled the town and thousands of civilians fled Tabqa."
    assert not [e for e in parse(parser, text, "SY") if e.action == "withdrew"]


def test_soldiers_gone_and_a_retreat_towards_a_place_leave_the_place_just_named(
    parser: ArticleParser,
) -> None:
    text = (
        "A resident of Hpakant said the shelling stopped at dusk. "
        '"Then people said the soldiers were gone," he said. '
        "Another resident said junta troops had retreated south along the road towards Kamaing."
    )
    events = [e for e in parse(parser, text, "MM") if e.action == "withdrew"]
    assert {e.place.text for e in events} == {"Hpakant"}
    text = "Towns are being handed over to local rebels as regime forces withdraw to Damascus."
    assert not [e for e in parse(parser, text, "SY") if e.action == "withdrew"]


def test_an_offensive_in_a_region_is_no_attack_on_the_region(parser: ArticleParser) -> None:
    text = "The alliance launched an offensive in northern Shan State in October."
    assert not [e for e in parse(parser, text, "MM") if e.place.precision == "region"]


def test_a_force_under_attack_between_two_places_attacks_neither(parser: ArticleParser) -> None:
    text = (
        "The militants hold a stretch of the valley between the city of Deir ez-Zor and the border, "
        "where they are under attack from two sides."
    )
    assert not [e for e in parse(parser, text, "SY") if e.action == "attacked"]


def test_a_state_whose_takes_are_called_claims_claims_its_other_takes_too(parser: ArticleParser) -> None:
    text = (
        "Russia claims more villages in Kharkiv push. "
        "Russia said last week that its troops had taken Ocheretyne, north-west of Avdiivka."
    )
    events = [e for e in parse(parser, text, "UA") if e.place.text == "Ocheretyne"]
    assert [e.action for e in events] == ["captured"]  # no claim called by name yet
    text = "Russia claimed Hlyboke on Sunday. Russia said last week that its troops had taken Ocheretyne."
    events = [e for e in parse(parser, text, "UA") if e.place.text == "Ocheretyne"]
    assert [e.action for e in events] == ["claimed_control"]


def test_agreeing_to_leave_or_to_a_withdrawal_is_an_intention(parser: ArticleParser) -> None:
    for text in (
        "Under the deal, the M23 agreed to withdraw from Kiwanja and Rutshuru.",
        "The peacekeepers have agreed to leave their camp in Tessalit by the end of October.",
        "The rebels have agreed to a withdrawal from Kibumba.",
    ):
        assert not [e for e in parse(parser, text, "CD") if e.action == "withdrew"], text
    text = "The rebels completed their withdrawal from Kibumba."
    assert [e.action for e in parse(parser, text, "CD")] == ["withdrew"]


def test_towards_something_other_than_a_place_is_no_advance(parser: ArticleParser) -> None:
    assert not parse(parser, "The government pushed towards talks in Jeddah.", "SD")
    assert not parse(parser, "The army moved towards a ceasefire with the rebels in Doha.", "SD")
    events = parse(parser, "RSF columns were moving towards El Obeid.", "SD")
    assert [e.action for e in events] == ["advancing"]


def test_claiming_a_strike_on_a_place_is_no_claim_of_control(parser: ArticleParser) -> None:
    assert not parse(parser, "The RSF claimed the shelling of Kadugli on Monday.", "SD")


# -- sixth first-sight batch ---------------------------------------------------------------------


def test_a_place_after_residents_of_is_a_place_the_town_can_mean(parser: ArticleParser) -> None:
    text = "Residents of Saraqib told reporters that regime troops pulled out of the town overnight."
    events = parse(parser, text, "SY")
    assert [(e.action, e.place.name) for e in events] == [("withdrew", "Saraqib")]


def test_a_force_that_fled_where_residents_tell_it_left_their_town(parser: ArticleParser) -> None:
    text = "Residents of Singa said RSF fighters had fled east in pickup trucks overnight."
    assert [(e.action, e.place.name) for e in parse(parser, text, "SD")] == [("withdrew", "Singa")]
    text = "Thousands of people fled on Monday, residents of Sake said."
    assert not parse(parser, text, "CD")


def test_the_town_after_a_list_and_a_dated_fall_is_the_story_town(parser: ArticleParser) -> None:
    text = (
        "M23 rebels entered Uvira on Wednesday. "
        "The town had been the provincial seat since the fall of Bukavu in February. "
        "The rebels arrived from the north after taking Sange and Luvungi. "
        "In the afternoon, Congolese troops left their positions in the town and fell back towards Makobola."
    )
    withdrew = [e for e in parse(parser, text, "CD") if e.action == "withdrew"]
    assert [e.place.name for e in withdrew] == ["Uvira"]


def test_two_places_that_fell_fell_to_the_offensive_just_told(parser: ArticleParser) -> None:
    text = (
        "By Friday, HTS fighters had entered Aleppo. "
        "On Saturday, Maarat al-Numan and Khan Sheikhoun fell without a fight, "
        "leaving all of Idlib province outside government control."
    )
    fell = [e for e in parse(parser, text, "SY") if e.evidence.sentence_index == 1]
    assert {e.place.text for e in fell} == {"Maarat al-Numan", "Khan Sheikhoun"}
    assert {e.action for e in fell} == {"captured"} and {e.actor.id for e in fell} == {"hts"}


def test_a_place_that_fell_with_no_side_told_gives_no_event(parser: ArticleParser) -> None:
    assert not parse(parser, "Khan Sheikhoun fell on Saturday.", "SY")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The Arakan Army is pressing on the state capital Sittwe.", "Sittwe"),
        ("The Arakan Army has fought its way to the outskirts of Kyaukpyu.", "Kyaukpyu"),
    ],
)
def test_pressing_on_and_fighting_ones_way_to_a_place_advance_on_it(
    parser: ArticleParser, text: str, place: str
) -> None:
    assert [(e.action, e.place.name) for e in parse(parser, text, "MM")] == [("advancing", place)]


def test_advances_near_and_in_a_place_are_advances(parser: ArticleParser) -> None:
    events = parse(parser, "Russian forces recently made advances near Pokrovsk and Kurakhove.", "UA")
    assert sorted((e.action, e.place.name) for e in events) == [
        ("advancing", "Kurakhove"),
        ("advancing", "Pokrovsk"),
    ]
    events = parse(parser, "Russian forces recently advanced in central Toretsk.", "UA")
    assert [(e.action, e.place.name) for e in events] == [("advancing", "Toretsk")]


def test_an_attack_toward_a_place_beside_a_landmark_is_on_that_place(parser: ArticleParser) -> None:
    text = "Ukrainian forces attacked south of Kupiansk toward Pishchane and Kurylivka on Monday."
    events = parse(parser, text, "UA")
    assert {e.place.text for e in events} == {"Pishchane", "Kurylivka"}
    assert {e.action for e in events} == {"attacked"}


def test_a_blockade_on_a_place_is_a_siege(parser: ArticleParser) -> None:
    events = parse(parser, "JNIM has imposed a blockade on Timbuktu since August.", "ML")
    assert [(e.action, e.place.name, e.actor.id) for e in events] == [("besieging", "Timbuktu", "jnim")]


def test_a_gerund_subject_after_that_is_hypothetical(parser: ArticleParser) -> None:
    text = "Analysts say the army will try to push west, but that retaking Darfur would be far harder."
    assert not parse(parser, text, "SD")
    assert not parse(parser, "The army said retaking Nyala would be hard.", "SD")


@pytest.mark.parametrize(
    ("text", "hint", "actor"),
    [
        ("Turkish troops and their Syrian rebel allies captured Afrin on Sunday.", "SY", "tr-gov"),
        (
            "A column of the Malian army (FAMa) and their Russian allies of the Wagner group took Anefis.",
            "ML",
            "ml-gov",
        ),
        (
            "The SDF moved in after government forces and their Iran-backed allies withdrew from Mayadin.",
            "SY",
            "sy-gov",
        ),
    ],
)
def test_a_side_and_its_allies_act_as_the_side(
    parser: ArticleParser, text: str, hint: str, actor: str
) -> None:
    events = [e for e in parse(parser, text, hint) if e.action in {"captured", "withdrew"}]
    assert events and {e.actor.id for e in events} == {actor}


def test_a_force_that_withdrew_as_another_moved_into_two_places_left_both(parser: ArticleParser) -> None:
    text = (
        "The SDF moved into Albu Kamal and into the city of Mayadin on Friday "
        "after government forces withdrew."
    )
    withdrew = [e for e in parse(parser, text, "SY") if e.action == "withdrew"]
    assert {e.place.text for e in withdrew} == {"Albu Kamal", "Mayadin"}
    assert {e.actor.id for e in withdrew} == {"sy-gov"}


def test_iraqi_militias_and_chin_groups_are_known_sides(parser: ArticleParser) -> None:
    events = parse(parser, "Iraqi militias withdrew from Albu Kamal on Friday.", "SY")
    assert [(e.action, e.actor.id) for e in events] == [("withdrew", "iq-militias")]
    events = parse(parser, "The Chin Brotherhood captured Falam on Sunday.", "MM")
    assert [(e.action, e.actor.id) for e in events] == [("captured", "chin-brotherhood")]
    events = parse(parser, "Kurdish-led forces moved into Deir ez-Zor.", "SY")
    assert [(e.action, e.actor.id) for e in events] == [("entered", "sdf")]


def test_towns_missing_from_cities500_resolve_through_the_supplement(parser: ArticleParser) -> None:
    events = parse(parser, "M23 rebels captured Minova and the AA seized Maungdaw.", "CD")
    minova = [e for e in events if e.place.text == "Minova"]
    assert minova and minova[0].place.id == "place:CD.minova" and minova[0].place.lat is not None
    events = parse(parser, "The Arakan Army captured Kyaukphyu.", "MM")
    assert [e.place.name for e in events] == ["Kyaukpyu"]  # cities500's spelling


def test_a_short_alternate_name_of_a_city_abroad_is_not_it(parser: ArticleParser) -> None:
    events = parse(parser, "Jihadists attacked the army camp at Boni, in the Mopti region, on Friday.", "ML")
    assert [e.place.country for e in events if e.place.text == "Boni"] in ([None], ["ML"])


def test_a_take_the_other_side_says_it_beat_off_is_only_a_claim(parser: ArticleParser) -> None:
    text = (
        "The army said on Saturday it had recaptured Babanusa, killing dozens of RSF fighters. "
        "The RSF said it had repulsed the attack and still controlled the area."
    )
    events = [e for e in parse(parser, text, "SD") if e.place.text == "Babanusa"]
    assert "claimed_control" in {e.action for e in events}
    assert not {"captured", "recaptured"} & {e.action for e in events}


# -- batch 7: grammar of names, lists, retreats and claims ------------------------------------------


def test_an_english_word_between_two_names_does_not_join_them(parser: ArticleParser) -> None:
    events = parse(parser, "M23 rebels seize Rutshuru and Kiwanja as Congo expels Rwanda's envoy", "CD")
    assert {e.place.text for e in events} == {"Rutshuru", "Kiwanja"}


def test_posts_abandoned_in_a_country_are_not_the_whole_country(parser: ArticleParser) -> None:
    text = "The UN mission has been abandoning its camps in northern Mali ahead of its departure."
    assert not [e for e in parse(parser, text, "ML") if e.place.precision == "country"]
    text = "Government troops were abandoning their posts in eastern Syria on Friday."
    assert not [e for e in parse(parser, text, "SY") if e.place.precision == "country"]


def test_an_attack_repelled_before_a_take_is_told_makes_the_take_a_claim(parser: ArticleParser) -> None:
    text = (
        "Malian soldiers fought off an attack by separatist rebels on their base at Bourem, the army said. "
        "The CSP said its fighters had taken control of several army positions in Bourem."
    )
    events = [e for e in parse(parser, text, "ML") if e.place.name == "Bourem"]
    assert {(e.action, e.actor.side) for e in events} >= {
        ("attacked", "azawad"),
        ("claimed_control", "azawad"),
    }
    assert "captured" not in {e.action for e in events}


def test_pulling_back_to_the_outskirts_leaves_the_town_not_where_it_was_told(parser: ArticleParser) -> None:
    text = (
        "General Valerii Zaluzhnyi told reporters in Kyiv that his troops had pulled back to the "
        "northern outskirts of Marinka."
    )
    events = parse(parser, text, "UA")
    assert [(e.action, e.place.text) for e in events] == [("withdrew", "Marinka")]


def test_a_defence_minister_quoted_on_a_liberation_is_a_claim(parser: ArticleParser) -> None:
    text = 'Sergei Shoigu told Vladimir Putin that Russian forces had "fully liberated" Marinka.'
    assert [e.action for e in parse(parser, text, "UA")] == ["claimed_control"]


def test_the_capture_as_a_noun_has_no_object_after_it(parser: ArticleParser) -> None:
    text = "Putin said the capture would give Russian units more room in the Donetsk region."
    assert not parse(parser, text, "UA")


def test_a_group_saying_it_now_controls_places_claims_them(parser: ArticleParser) -> None:
    text = "M23 spokesman Willy Ngoma said the rebels now controlled Rutshuru-centre and Kiwanja."
    events = parse(parser, text, "CD")
    assert {(e.action, e.place.text) for e in events} == {
        ("claimed_control", "Rutshuru"),
        ("claimed_control", "Kiwanja"),
    }


def test_a_town_described_in_apposition_is_a_place_and_its_subject(parser: ArticleParser) -> None:
    text = "Bunagana, a border town on the road to Uganda, has been in M23 hands since June."
    events = parse(parser, text, "CD")
    assert [(e.action, e.place.text, e.actor.id) for e in events] == [("holds", "Bunagana", "m23")]
    text = "In Darfur, the RSF has been besieging El Fasher, the last big city in the region in army hands."
    assert "Darfur" not in {e.place.name for e in parse(parser, text, "SD") if e.action == "holds"}


def test_the_capture_of_towns_with_no_side_named_is_the_offensive_s(parser: ArticleParser) -> None:
    text = (
        "Insurgents led by Hayat Tahrir al-Sham broke into Hama on Thursday. "
        "The fall of Hama followed the capture of the towns of Halfaya and Suran earlier in the week."
    )
    events = [e for e in parse(parser, text, "SY") if e.place.text in {"Halfaya", "Suran"}]
    assert {(e.action, e.actor.id) for e in events} == {("captured", "hts")}
    assert len(events) == 2


def test_a_column_repelled_trying_to_advance_attacked_the_place(parser: ArticleParser) -> None:
    text = "Troops repelled a rebel column that tried to advance on Qamhana, the defence ministry said."
    events = parse(parser, text, "SY")
    assert [(e.action, e.actor.id) for e in events] == [("attacked", "sy-rebels")]


def test_a_retreating_side_heading_somewhere_is_not_advancing(parser: ArticleParser) -> None:
    text = (
        "The army command said its units had redeployed outside Hama. "
        "Residents said army trucks and tanks were seen heading south towards Homs."
    )
    assert not [e for e in parse(parser, text, "SY") if e.place.text == "Homs"]


def test_our_brothers_in_a_quote_are_the_speaker_s_side(parser: ArticleParser) -> None:
    text = (
        "An RSF field commander spoke in a voice message on Telegram. "
        '"Our brothers left Singa in good order," he said.'
    )
    events = [e for e in parse(parser, text, "SD") if e.action == "withdrew"]
    assert [(e.place.text, e.actor.id) for e in events] == [("Singa", "rsf")]


def test_a_state_s_statement_the_other_side_leaves_unanswered_is_a_claim(parser: ArticleParser) -> None:
    text = (
        "The Sudanese army said on Saturday that it had recaptured Singa. "
        "The RSF did not comment on the army's statement."
    )
    assert [e.action for e in parse(parser, text, "SD")] == ["claimed_control"]


def test_a_state_army_first_among_allies_is_the_actor_and_dated_lists_go_on(parser: ArticleParser) -> None:
    text = (
        "The army and allied fighters retook Jebel Moya, a range of hills west of Singa, in early "
        "October, and the town of Dinder, east of the Blue Nile, earlier this month."
    )
    events = parse(parser, text, "SD")
    assert {(e.place.text, e.actor.id) for e in events} == {("Jebel Moya", "sd-gov"), ("Dinder", "sd-gov")}


def test_the_city_a_side_just_seized_abroad_is_the_city_meant(parser: ArticleParser) -> None:
    text = (
        "Islamic State militants seized Palmyra on Wednesday. Its fighters seized Ramadi, the capital of "
        "Iraq's Anbar province, on Sunday, routing Iraqi troops who fled the city."
    )
    withdrew = [e for e in parse(parser, text, "SY") if e.action == "withdrew"]
    assert [e.place.name for e in withdrew] == ["Ramadi"]


def test_a_name_listed_after_camps_is_a_place(parser: ArticleParser) -> None:
    text = (
        "The rebels accuse the army of occupying camps vacated by the UN mission, MINUSMA, "
        "including Ber, which the army took over last month."
    )
    events = parse(parser, text, "ML")
    assert [(e.action, e.place.text, e.actor.id) for e in events] == [("captured", "Ber", "ml-gov")]


def test_advances_by_a_side_near_a_town_are_its_advance_not_a_claim(parser: ArticleParser) -> None:
    text = "Analysts at DeepState confirmed advances by Russian forces on the outskirts of Toretsk."
    events = parse(parser, text, "UA")
    assert [(e.action, e.actor.id) for e in events] == [("advancing", "ru-gov")]


def test_towns_included_in_a_region_or_a_count_share_the_action(parser: ArticleParser) -> None:
    text = (
        "Ukraine still holds part of Russia's Kursk region that it seized in August, "
        "including the town of Sudzha."
    )
    events = parse(parser, text, "UA")
    assert ("holds", "Sudzha", "ua-gov") in {(e.action, e.place.text, e.actor.id) for e in events}
    assert all(e.actor.id == "ua-gov" for e in events)  # "it" is Ukraine, not "Russia's"
    text = "The Arakan Army has captured 14 of the 17 townships, including Maungdaw and Buthidaung."
    events = parse(parser, text, "MM")
    assert {(e.action, e.place.text) for e in events} == {
        ("captured", "Maungdaw"),
        ("captured", "Buthidaung"),
    }


def test_it_after_a_coordinated_says_is_the_sentence_s_subject(parser: ArticleParser) -> None:
    text = (
        "The AA launched its offensive in November, ending a truce with the military, and says it has "
        "since taken the town of Pauktaw."
    )
    events = parse(parser, text, "MM")
    assert events and all(e.actor.id == "aa" for e in events)


def test_a_command_named_after_a_place_is_not_the_place(parser: ArticleParser) -> None:
    text = (
        "Ukraine's military said its troops had withdrawn from the village of Velyka Novosilka. "
        "A spokesman for the Khortytsia group of forces said units had moved to new lines. "
        'Russia\'s defence ministry said its troops had "liberated" the settlement.'
    )
    events = parse(parser, text, "UA")
    assert {e.place.name for e in events} == {"Velyka Novosilka"}  # "the settlement" is the village


# -- eighth batch ---------------------------------------------------------------------------------


def test_a_list_goes_on_past_towns_the_gazetteer_lacks(parser: ArticleParser) -> None:
    text = "The army said jihadists had attacked Kouroukoto, Kita and Bafoulabe at dawn."
    events = parse(parser, text, "ML")
    assert at(events, "Kita") and at(events, "Bafoulabe")
    text = "Gunmen from JNIM raided Kita, Kouroukoto, Bafoulabe and Kenieba overnight."
    events = parse(parser, text, "ML")
    assert at(events, "Bafoulabe") and at(events, "Kenieba")
    assert not at(parse(parser, "JNIM attacked Kouroukoto, a village near Kita.", "ML"), "Kita")


def test_an_infantry_division_is_not_a_place(parser: ArticleParser) -> None:
    events = parse(parser, "The army said it had retaken the 17th Infantry Division base in El Nuhud.", "SD")
    assert events and not at(events, "Infantry")
    assert {e.place.name for e in events} == {"An Nuhud"}


def test_claims_called_untrue_are_denied(parser: ArticleParser) -> None:
    text = 'The RSF said it had captured El Nuhud. An army spokesman said the claims were "untrue".'
    events = parse(parser, text, "SD")
    assert [e for e in events if e.action == "denied" and e.actor.name == "Sudanese Armed Forces"]
    text = "Russia claimed Siversk. Kyiv said the claims were not true and its troops still held Siversk."
    events = parse(parser, text, "UA")
    assert [e for e in events if e.action == "denied" and e.place.name == "Siversk"]
    assert not [
        e for e in events if e.action == "claimed_control" and e.actor.name == "Ukrainian Armed Forces"
    ]


def test_a_dateline_city_is_not_where_a_force_withdrew(parser: ArticleParser) -> None:
    text = (
        "KHARTOUM, Sudan, May 3 (AP) - The RSF said Saturday it had taken over the Um Sumeima oil field "
        "after government troops withdrew from the facility."
    )
    assert not at(parse(parser, text, "SD"), "Khartoum")


def test_towns_in_a_country_including_a_capital_are_that_town_not_the_country(parser: ArticleParser) -> None:
    text = (
        "Gunmen attacked checkpoints in five towns in southern Mali on Sunday, "
        "including the regional capital Sikasso."
    )
    events = parse(parser, text, "ML")
    assert at(events, "Sikasso") and not at(events, "Mali")
    assert not at(parse(parser, "Jihadists attack six towns in central Mali", "ML"), "Mali")


def test_returning_a_town_to_a_side_is_its_recapture(parser: ArticleParser) -> None:
    events = parse(parser, "Under a ceasefire deal, the MNDAA returned Hsenwi to the military in May.", "MM")
    assert {(e.action, e.actor.name) for e in events} == {
        ("recaptured", "Myanmar military (Tatmadaw)"),
        ("withdrew", "Myanmar National Democratic Alliance Army"),
    }
    assert not parse(parser, "Thousands of residents returned to Hsenwi in May.", "MM")


def test_fighting_for_control_of_a_town_is_an_attack_not_a_hold(parser: ArticleParser) -> None:
    text = "The Kachin Independence Army has been fighting junta troops for control of Bhamo since November."
    events = parse(parser, text, "MM")
    assert [(e.action, e.actor.name) for e in events] == [("attacked", "Kachin Independence Army")]


def test_troops_there_fled_from_the_place_named_before(parser: ArticleParser) -> None:
    text = (
        "The KIA said it had captured the town of Mansi, "
        "and that government soldiers there had fled across the river."
    )
    events = parse(parser, text, "MM")
    assert [e for e in events if e.action == "withdrew" and e.actor.name == "Myanmar military (Tatmadaw)"]
    assert not [
        e for e in parse(parser, "Civilians there had fled weeks ago.", "MM") if e.action == "withdrew"
    ]


def test_places_counted_in_a_region_are_not_a_hold_of_the_region(parser: ArticleParser) -> None:
    assert not parse(parser, "The RSF has held all four state capitals in Kordofan for a month.", "SD")
    assert not parse(parser, "The Arakan Army now controls 12 of Rakhine State's 17 townships.", "MM")


def test_still_in_control_of_a_town_is_a_hold(parser: ArticleParser) -> None:
    events = parse(parser, "Ukraine's army said it was still in control of Kupiansk.", "UA")
    assert [(e.action, e.actor.name) for e in events] == [("holds", "Ukrainian Armed Forces")]


def test_a_take_the_same_sentence_calls_rejected_claims_is_a_claim(parser: ArticleParser) -> None:
    text = "Russia said its troops had captured Siversk, claims Ukraine's army rejected on Tuesday."
    events = parse(parser, text, "UA")
    assert {e.action for e in events} == {"claimed_control", "denied"}


def test_he_added_is_the_last_speaker(parser: ArticleParser) -> None:
    text = (
        "Defence minister Andrei Belousov said troops had seized Kupiansk. "
        'He added that Siversk had been "liberated" by the Southern group.'
    )
    events = at(parse(parser, text, "UA"), "Siversk")
    assert events and all(e.actor.name == "Russian Armed Forces" for e in events)


def test_a_side_that_held_the_town_withdrew_from_it(parser: ArticleParser) -> None:
    text = (
        "The military retook Hpakant. "
        "The KIA, which had controlled the town since March, said its fighters had pulled out."
    )
    events = parse(parser, text, "MM")
    assert [e for e in events if e.action == "withdrew" and e.actor.name == "Kachin Independence Army"]


def test_restored_stability_in_quotes_is_a_claimed_recapture(parser: ArticleParser) -> None:
    events = parse(
        parser, 'State television said troops had "restored stability" in Hpakant on Monday.', "MM"
    )
    assert [(e.action, e.actor.name) for e in events] == [("claimed_control", "Myanmar military (Tatmadaw)")]
    assert not parse(parser, "The police restored stability in Mandalay after the protests.", "MM")


def test_an_unknown_state_is_a_region_not_a_town(parser: ArticleParser) -> None:
    text = (
        "About 400 soldiers crossed the border and entered the neighbouring Upper Nile state, "
        "South Sudan said."
    )
    assert not [e for e in parse(parser, text, "SD") if e.action == "entered"]


def test_each_item_of_a_list_may_carry_its_own_date(parser: ArticleParser) -> None:
    events = parse(parser, "Rebels took Saraqeb last month and Hama in December.", "SY")
    assert at(events, "Hamah") and at(events, "Saraqib")
    events = parse(parser, "Rebels took Saraqeb on Monday and residents fled to Idlib.", "SY")
    assert not at(events, "Idlib")


def test_a_town_and_the_town_of_another_are_both_under_siege(parser: ArticleParser) -> None:
    events = parse(parser, "The RSF has kept El Obeid and the town of Dilling under siege for months.", "SD")
    assert {e.place.name for e in events if e.action == "besieging"} >= {"Dilling", "El Obeid"}


def test_denying_losing_territory_denies_no_place(parser: ArticleParser) -> None:
    text = (
        "The TNLA said it had captured Mogok. State media did not mention Mogok, "
        "but the military has previously denied losing territory."
    )
    assert not [e for e in parse(parser, text, "MM") if e.action == "denied"]


def test_islamist_led_rebels_are_the_jihadist_group_of_the_rebels_side(parser: ArticleParser) -> None:
    text = "The Kurdish-led SDF took Raqqa. Islamist-led rebels seized Saraqeb on Monday."
    events = at(parse(parser, text, "SY"), "Saraqib")
    assert events and all(e.actor.name == "Hayat Tahrir al-Sham" for e in events)


def test_the_provincial_capital_of_a_province_taken_is_its_namesake_city(parser: ArticleParser) -> None:
    text = "Local armed factions took control of most of Idlib province, including the provincial capital."
    events = parse(parser, text, "SY")
    assert [
        e
        for e in events
        if e.action == "captured" and e.place.precision == "city" and e.place.name == "Idlib"
    ]
    text = "Rebels seized most of Idlib province, including the provincial capital Maarat al-Numan, in 2015."
    assert not [
        e for e in parse(parser, text, "SY") if e.place.name == "Idlib" and e.place.precision == "city"
    ]


def test_the_capital_of_a_region_is_not_the_region(parser: ArticleParser) -> None:
    text = "Rebels were reported at the gates of the capital of North Kivu after the army pulled back."
    assert not [e for e in parse(parser, text, "CD") if e.place.precision == "region"]
    assert not parse(parser, "The RSF attacked the capital of North Kordofan state on Monday.", "SD")


# -- places the gazetteer lacks -------------------------------------------------------------------


def test_the_unknown_first_name_of_a_list_with_a_known_place_is_a_place(parser: ArticleParser) -> None:
    events = parse(parser, "Gunmen attacked Koubelou and Gao on Thursday, the army said.", "ML")
    hits = [e for e in at(events, "Koubelou") if e.action == "attacked"]
    assert hits and hits[0].place.id is None
    assert [e for e in at(events, "Gao") if e.action == "attacked"]


def test_a_person_before_a_known_place_in_a_list_is_not_a_place(parser: ArticleParser) -> None:
    events = parse(parser, "Fighters ambushed Moussa Traore and Gao residents on Thursday.", "ML")
    assert not [e for e in events if "Moussa" in e.place.name]


def test_a_name_placed_by_distance_and_bearing_is_a_place(parser: ArticleParser) -> None:
    for text in (
        "JNIM fighters raided Tindiamba, 40km east of Mopti, on Saturday.",
        "JNIM fighters raided Tindiamba, about 25 km (15 miles) from Mopti, on Saturday.",
    ):
        hits = [e for e in at(parse(parser, text, "ML"), "Tindiamba") if e.action == "attacked"]
        assert hits and hits[0].place.id is None
    assert not at(parse(parser, "JNIM fighters raided Tindiamba on Saturday.", "ML"), "Tindiamba")


def test_the_commune_of_an_unknown_name_is_a_place(parser: ArticleParser) -> None:
    events = parse(parser, "Jihadists overran the rural commune of Ndoukala on Sunday.", "ML")
    assert [(e.action, e.place.id) for e in at(events, "Ndoukala")] == [("captured", None)]


# -- denials and what a "but" clause adds -----------------------------------------------------------


def test_a_clause_after_but_is_not_part_of_the_denial(parser: ArticleParser) -> None:
    text = (
        "The army denied losing the Kosti base, "
        "but officers said surviving troops had fallen back towards Rabak."
    )
    events = at(parse(parser, text, "SD"), "Kosti")
    assert {e.action for e in events} == {"denied", "withdrew"}
    assert not at(parse(parser, text, "SD"), "Rabak")
    text = "The army denied that its troops had withdrawn from Kosti."
    assert [e.action for e in parse(parser, text, "SD")] == ["denied"]


# -- "the base", "the town" across sentences ------------------------------------------------------


def test_the_base_is_the_place_whose_base_was_named(parser: ArticleParser) -> None:
    text = (
        "The RSF stormed the army's 18th Division base in Kosti on Monday. "
        "Shelling was also reported in Rabak, residents said.\n\n"
        "The army said its troops had withdrawn from the base on Friday."
    )
    withdrawn = [e for e in parse(parser, text, "SD") if e.action == "withdrew"]
    assert [e.place.name for e in withdrawn] == ["Kosti"]


def test_the_base_after_a_place_of_its_own_sentence_is_that_place(parser: ArticleParser) -> None:
    text = "The RSF seized the army base in Kosti. Days later RSF fighters entered Rabak and seized the base."
    events = parse(parser, text, "SD")
    assert [e for e in at(events, "Rabak") if e.action == "captured"]
    assert len([e for e in at(events, "Kosti") if e.action == "captured"]) == 1


def test_the_town_is_the_place_last_called_a_town(parser: ArticleParser) -> None:
    text = (
        "M23 rebels stormed the town of Nyanzale on Monday. Fighting also spread to Goma, residents said.\n\n"
        "Army troops withdrew from the town on Friday."
    )
    withdrawn = [e for e in parse(parser, text, "CD") if e.action == "withdrew"]
    assert [e.place.name for e in withdrawn] == ["Nyanzale"]
