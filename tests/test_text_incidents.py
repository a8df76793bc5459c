"""One incident told in several sentences (issue 18): a lead that places it only at a region and a detail that
names the settlement are one event, at the settlement; region phrases written "the region of X". Every text
here is our own, written in the manner of wire copy and local press."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.rules import place_groups

TUESDAY = date(2024, 3, 12)


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def test_the_region_of_a_town_is_the_region_not_the_town():
    groups = place_groups("Nine herders were shot dead on Friday in the region of Timbuktu, a local official said.")
    assert [(g.kind, g.queries) for g in groups] == [("region", ("Timbuktu region",))]


def test_a_settlement_named_after_a_nearby_locality_is_the_place():
    groups = place_groups("Gunmen killed four traders in a nearby locality, Gossi, before dawn.")
    assert [g.names for g in groups if g.role == "event"][:1] == [("Gossi",)]


def test_a_region_lead_and_a_village_detail_of_the_same_day_are_one_event(geocoder):
    text = (
        "Eleven civilians were killed on Sunday in an attack in the Tillaberi region, the governor said.\n\n"
        "Assailants on motorbikes opened fire on the weekly market of Ayorou on Sunday morning, "
        "a local official said.\n"
    )
    events = extract_events(text, geocoder, document_day=TUESDAY).events
    assert list(events["location"]) == ["Ayorou"]
    event = events.iloc[0]
    assert event["date_start"].date() == date(2024, 3, 10) and event["fatalities"] == 11
    assert "governor" in event["notes"]  # the lead's words stay with the incident


def test_a_region_event_of_a_month_stays_beside_a_village_event(geocoder):
    text = (
        "In March 2024, armed groups killed dozens of people in the Tillaberi region, a monitor said. "
        "On 10 March 2024, gunmen killed six traders in Ayorou.\n"
    )
    events = extract_events(text, geocoder).events
    assert sorted(events["geo_precision"]) == [1, 3]


def test_a_region_event_of_the_same_day_in_another_region_stays(geocoder):
    text = (
        "On 10 March 2024, gunmen killed nine soldiers in the Tahoua region. "
        "On 10 March 2024, an ambush killed six traders in Ayorou.\n"
    )
    events = extract_events(text, geocoder).events
    assert len(events) == 2


def test_a_follow_up_names_the_settlement_of_a_region_level_lead(geocoder):
    text = (
        "At least six people were killed on Sunday in the region of Timbuktu, in an ambush blamed on jihadists.\n"
        "\"Six civilians were shot dead in a nearby locality, Gossi,\" an administrative source said.\n"
    )
    events = extract_events(text, geocoder, document_day=TUESDAY).events
    assert list(events["location"]) == ["Gossi"]
    assert events.iloc[0]["date_start"].date() == date(2024, 3, 10)


def test_an_ambush_between_two_villages_is_one_place_on_the_way():
    groups = place_groups("The patrol was ambushed between the villages of Kerbo and Sona on Friday.")
    assert [(g.names, g.route) for g in groups] == [(("Kerbo", "Sona"), True)]


def test_a_list_of_villages_after_the_plural_word_is_one_group():
    groups = place_groups("Gunmen killed twelve people in the villages of Kerbo and Sona overnight.")
    assert [(g.names, g.route) for g in groups] == [(("Kerbo", "Sona"), False)]


def test_a_yardstick_or_background_year_does_not_date_the_incident(geocoder):
    text = (
        "Gunmen killed forty villagers in Dori, in Burkina Faso, on 3 May 2024, the governor said.\n\n"
        "It was the deadliest attack in the region since armed groups (some of them linked to al-Qaeda) began to "
        "spread across the north of the country in 2015.\n\n"
        "The raid was one of the worst in the history of the country, which has been fighting an insurgency that "
        "spilled over from neighbouring Mali in 2015.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert [(e.date_start.date(), e.date_end.date()) for e in events.itertuples()] == [
        (date(2024, 5, 3), date(2024, 5, 3))
    ]


def test_the_day_inside_what_an_official_told_is_the_incident_day(geocoder):
    text = ("A local official told reporters that late Monday about fifty gunmen attacked the village of Titao, "
            "in Burkina Faso, killing seven people.\n")
    events = extract_events(text, geocoder, document_day=date(2024, 3, 13)).events  # a Wednesday
    assert [(e.date_start.date(), e.date_end.date()) for e in events.itertuples()] == [
        (date(2024, 3, 11), date(2024, 3, 11))
    ]


def test_a_homonym_far_from_the_place_the_text_measures_it_from_goes_to_that_place(geocoder):
    # the gazetteer's Loumbila lies near Ouagadougou, about 160 km from Ouahigouya
    text = ("On 4 January 2021 gunmen attacked the village of Loumbila, some 35 kilometers from Ouahigouya, "
            "in northern Burkina Faso, killing six people.\n")
    event = extract_events(text, geocoder).events.iloc[0]
    assert event["location"] == "Loumbila" and event["admin1"] == "Nord" and event["geo_precision"] == 2
    assert "too far from Ouahigouya" in event["geo_note"]
    near = ("On 4 January 2021 gunmen attacked the village of Loumbila, some 20 kilometers from Ouagadougou, "
            "in Burkina Faso, killing six people.\n")
    assert extract_events(near, geocoder).events.iloc[0]["geo_precision"] == 1  # the gazetteer's Loumbila fits


def test_a_lead_without_a_date_takes_the_days_a_later_sentence_tells(geocoder):
    text = (
        "Soldiers and allied militiamen killed at least twenty villagers in two villages of the Mopti region, "
        "a rights group said.\n"
        "The attacks occurred on October 2 in Kwerbakoura village, where twelve men were killed, and on "
        "October 9 in Zunaweré village, where eight people died.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2025, 11, 19)).events
    assert len(events) == 1
    event = events.iloc[0]
    assert (event["date_start"].date(), event["date_end"].date()) == (date(2025, 10, 2), date(2025, 10, 9))
    assert event["geo_precision"] == 3 and "tells when" in event["date_basis"]


def test_the_year_a_conflict_broke_out_dates_nothing(geocoder):
    text = (
        "Insurgents attacked the town of Diffa at dusk on Friday, aboard a dozen vehicles.\n\n"
        "The insurgency broke out in north-eastern Nigeria in 2009, but its violence spills over into Niger.\n\n"
        "Gunmen killed four soldiers in Diffa, officials said.\n"
    )
    events = extract_events(text, geocoder).events  # no document date: "Friday" cannot be dated
    assert events.empty or not (events["date_start"].dt.year == 2009).any()


def test_the_same_outpost_is_the_place_of_the_incident_told_before(geocoder):
    text = (
        "On 21 October 2017 gunmen attacked a gendarmerie outpost in Ayorou, in Niger, killing thirteen.\n"
        "A similar raid had been carried out on the same outpost in May 2017.\n"
    )
    events = extract_events(text, geocoder).events
    assert sorted((e.location, e.date_start.month) for e in events.itertuples()) == [("Ayorou", 5), ("Ayorou", 10)]


def test_a_trend_and_a_group_s_birth_are_no_incidents(geocoder):
    text = (
        "Five gendarmes were killed on Thursday in an attack on their post in Djibo, in Burkina Faso.\n\n"
        "The country has been battling a growing wave of attacks over the last four years, first in the Sahel "
        "region.\n\n"
        "Attacks have spread to the East region as well.\n\n"
        "Most are blamed on Ansarul Islam, which emerged in the north in December 2016 and killed many.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2019, 3, 29)).events
    assert list(events["location"]) == ["Djibo"]


def test_a_day_just_after_the_document_date_keeps_its_year():
    from geodata.text.dates import find_dates

    anchor = date(2023, 7, 14)
    assert [(m.start, m.end) for m in find_dates("Gunmen attacked the post on Friday, July 15.", None, anchor)] == [
        (date(2023, 7, 15), date(2023, 7, 15))
    ]  # the page's stamp is a day early; a year back would be a worse guess
    assert [m.start for m in find_dates("Gunmen attacked the post on July 20.", None, anchor)] == [date(2022, 7, 20)]



def test_a_row_borrowing_both_place_and_date_is_the_incident_told_again():
    from geodata.text.extract import _retold

    first = {"location": "Kaya", "date_basis": "document date 2024-10-05 (--date)", "place_basis": "sentence"}
    borrowed = {"location": "Kaya", "fatalities": 300, "fatalities_low": None, "notes": "JNIM said it killed 300.",
                "date_basis": "the date of sentence 2", "place_basis": "sentence 2 (the paragraph before)"}
    assert _retold(first, borrowed)  # its toll is a figure of the same incident, not a second one
    assert not _retold(first, {**borrowed, "notes": "Another attack killed 300."})
    assert not _retold(first, {**borrowed, "place_basis": "sentence"})  # a place of its own, a toll of its own


def test_an_incident_going_on_into_the_next_day_is_one_event_over_both_days(geocoder):
    text = ("Gunmen attacked a guesthouse in Sevare, in central Mali, on 7 August 2015, taking several hostages. "
            "The attackers were killed by troops who stormed the building on Saturday.\n")
    events = extract_events(text, geocoder, document_day=date(2015, 8, 9)).events
    assert [(e.date_start.date(), e.date_end.date()) for e in events.itertuples()] == [
        (date(2015, 8, 7), date(2015, 8, 8))
    ]
    again = text.replace("The attackers were killed", "In another attack, two attackers were killed")
    assert len(extract_events(again, geocoder, document_day=date(2015, 8, 9)).events) == 2


def test_a_region_lead_of_this_week_gives_way_to_the_village_detail(geocoder):
    text = (
        "Ten soldiers were killed this week in an ambush in the Tillaberi region, the army said.\n\n"
        "The patrol was attacked on Monday near Ayorou, the army added.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 3, 14)).events  # a Thursday
    assert list(events["location"]) == ["Ayorou"]


@pytest.mark.parametrize(
    "analysis",
    [
        "Jihadists are known to be active around Gao, where convoys are often attacked, analysts say.",
        "Not only are militants active near Ansongo, but army offensives have fuelled ethnic militias, experts said.",
        "The group has tightened its grip on the villages around Gao, attacking the roads.",
    ],
)
def test_analysis_and_presence_without_a_date_are_no_incident(geocoder: Geocoder, analysis: str) -> None:
    text = f"Gunmen killed 12 villagers in an attack on Ansongo on Monday, officials said.\n\n{analysis}\n"
    events = extract_events(text, geocoder, document_day=TUESDAY).events
    assert list(events["location"]) == ["Ansongo"]
