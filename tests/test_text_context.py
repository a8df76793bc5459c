"""The document walk carries context the way a reader does (issue 18): a date that names the violence is its date
even after a claim, a place named beside "also" is a second incident, anaphors ("the same road") point at the
place already told, and a re-telling of an incident is not a new event. All texts are our own."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.dates import document_date


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def test_a_date_naming_the_attack_after_a_claim_is_the_attack_date(geocoder):
    text = (
        "Niger extends curfew in the west\n\n"
        "The curfew in the Tillabéri region stays in force until December 2021. "
        "ISGS later claimed responsibility for a March 2 attack on soldiers in Tera that killed 11 of them.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 4, 10)).events
    assert list(events["location"]) == ["Tera"]
    event = events.iloc[0]
    assert event["date_start"].date() == event["date_end"].date() == date(2021, 3, 2)


def test_a_place_that_was_also_targeted_is_an_incident_of_its_own(geocoder):
    text = (
        "Gunmen killed seven soldiers in an ambush near Ménaka on Tuesday, the army said.\n\n"
        "A gendarmerie post in Ansongo, further west in the Gao region, was also targeted.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2022, 6, 9)).events
    assert list(events["location"]) == ["Ménaka", "Ansongo"]
    assert set(events["date_start"].dt.date) == {date(2022, 6, 7)}
    assert events.iloc[1]["fatalities"] is pd.NA  # the seven dead are Ménaka's


def test_an_incident_told_again_with_other_actors_is_one_event(geocoder):
    text = (
        "Douentza was hit by a night of fighting between jihadists and residents who killed four of them, a local "
        "official said on Sunday.\n\n"
        "Gunmen of the MUJAO attacked Douentza late Saturday and were pushed back by Malian soldiers, he said.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2013, 3, 31)).events
    assert list(events["location"]) == ["Douentza"]
    event = events.iloc[0]
    assert event["date_start"].date() == event["date_end"].date() == date(2013, 3, 30)  # the retelling's day
    assert event["fatalities"] == 4


def test_a_second_attack_at_the_same_place_stays_an_event_of_its_own(geocoder):
    text = (
        "A suicide bomber blew himself up at a checkpoint in Gao on Friday, wounding one soldier.\n\n"
        "A second suicide bomber struck the same checkpoint in Gao on Saturday.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2013, 2, 10)).events
    assert sorted(events["date_start"].dt.date) == [date(2013, 2, 8), date(2013, 2, 9)]


def test_the_same_road_points_at_the_incident_told_before(geocoder):
    text = (
        "Gunmen ambushed a bus carrying miners near Diapaga on Tuesday, killing eleven of them, officials said.\n\n"
        "The company suspended its night convoys on Wednesday.\n\n"
        "In March a customs patrol was attacked on the same road, leaving four officers dead.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 9, 16)).events
    assert len(events) == 2
    first, second = events.iloc[0], events.iloc[1]
    assert second["location"] == first["location"] and second["fatalities"] == 4
    assert (second["date_start"].date(), second["date_end"].date()) == (date(2021, 3, 1), date(2021, 3, 31))
    assert "the same road" in second["place_basis"]


def test_the_same_region_takes_the_last_incident_at_region_precision(geocoder):
    text = (
        "Armed men killed 23 villagers in Barsalogho on Sunday, a local official said.\n\n"
        "Three days before, on 9 May, twelve soldiers were killed in an ambush in the same region.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2023, 5, 16)).events
    assert len(events) == 2
    second = events.iloc[1]
    assert second["date_start"].date() == date(2023, 5, 9) and second["geo_precision"] >= 3


def test_comes_a_week_after_dates_the_recalled_incident_back_from_the_story(geocoder):
    text = (
        "Gunmen killed nine soldiers in an ambush near Kaya on 14 March, the army said.\n\n"
        "The attack comes a week after jihadists killed twelve villagers in Barsalogho.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2022, 3, 16)).events
    assert list(events["location"]) == ["Kaya", "Barsalogho"]
    recalled = events.iloc[1]
    assert (recalled["date_start"].date(), recalled["date_end"].date()) == (date(2022, 3, 6), date(2022, 3, 8))
    assert "a week after" in recalled["date_basis"]


def test_an_existential_there_points_at_no_place(geocoder):
    text = (
        "Gunmen stormed a hotel in Bamako on Friday and killed 20 guests, officials said.\n\n"
        "Two more bodies were found, and on 22 November the embassy said there were French citizens among "
        "those killed.\n"
    )
    result = extract_events(text, geocoder, document_day=date(2015, 11, 23))
    assert list(result.events["location"]) == ["Bamako"]
    assert result.events.iloc[0]["date_start"].date() == date(2015, 11, 20)


def test_background_takes_no_date_from_the_sentence_before(geocoder):
    text = (
        "French and Malian troops drove the jihadists out of Gao on 26 January 2013. "
        "Since then the town has been hit repeatedly by suicide bombers and rocket attacks.\n"
    )
    result = extract_events(text, geocoder)
    assert result.events.empty
    assert list(result.rejected["reason"]) == ["no date"]


def test_a_yardstick_since_clause_is_not_background(geocoder):
    text = (
        "Jihadists attacked the army camp in Ménaka on Tuesday, killing 20 soldiers. "
        "The attack on the camp in Ménaka is the deadliest on the army since the fighting began in 2012.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2022, 6, 9)).events
    assert list(events["location"]) == ["Ménaka"]
    assert events.iloc[0]["date_start"].date() == date(2022, 6, 7)


def test_on_this_road_points_at_the_incident_told_before(geocoder):
    text = (
        "Gunmen ambushed a lorry near Diapaga on Tuesday, killing six traders, officials said.\n\n"
        "In early March, nine herders were shot dead by suspected jihadists on this road.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 9, 16)).events
    assert len(events) == 2
    assert events.iloc[1]["location"] == events.iloc[0]["location"] and events.iloc[1]["fatalities"] == 9
    assert "this road" in events.iloc[1]["place_basis"]


def test_a_bulletin_date_in_the_headline_is_not_the_day_of_the_violence(geocoder):
    text = (
        "Mali - Soldiers killed in attack on Boulkessi camp (Humanitarian Daily Flash of 3 October 2019)\n\n"
        "On the night of 30 September, the Boulkessi military camp was attacked by an armed group.\n\n"
        "Twenty-five soldiers were killed in Mali, the defence ministry confirmed.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2019, 10, 3)).events
    assert len(events) == 1
    event = events.iloc[0]
    assert event["date_start"].date() == event["date_end"].date() == date(2019, 9, 30)
    assert event["fatalities"] == 25


def test_the_place_attack_speaks_of_the_incident_told_before(geocoder):
    text = (
        "Jihadists attacked the army camp in Ménaka on Monday (6 June), killing nine soldiers, the army said. "
        "The Ménaka attack was the group's second in two days, following Saturday's raid on a convoy.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2022, 6, 8)).events
    assert list(events["location"]) == ["Ménaka"]
    assert events.iloc[0]["date_start"].date() == events.iloc[0]["date_end"].date() == date(2022, 6, 6)
    assert "second in two days" in events.iloc[0]["notes"]


def test_a_bracketed_page_date_before_the_dateline_dates_the_document(geocoder):
    text = (
        "Share this story\n\nBomber strikes army post in Gao\n\n"
        "[March 14, 2013]  GAO, Mali (AP) -- A suicide bomber blew himself up at an army post in Gao on Wednesday, "
        "killing two soldiers.\n"
    )
    assert document_date(text).day == date(2013, 3, 14)
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Gao"]
    assert events.iloc[0]["date_start"].date() == date(2013, 3, 13)


def test_an_attack_that_echoed_an_earlier_massacre_dates_the_recalled_one(geocoder):
    text = (
        "Gunmen on motorbikes killed 31 traders returning from the market of Téra on Monday, officials said.\n\n"
        "Monday's attack echoed a January massacre that left 40 people dead in Bankilaré.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 3, 17)).events
    recalled = events[events["fatalities"] == 40].iloc[0]
    assert (recalled["date_start"].date(), recalled["date_end"].date()) == (date(2021, 1, 1), date(2021, 1, 31))


def test_who_was_hit_in_a_list_of_villages_holds_for_each_village(geocoder):
    text = (
        "Gao, 3 May 2021\n\n"
        "The governor condemned the attacks of the night of 1 to 2 May 2021 against the villages of Boni, Hombori "
        "and Douentza.\n\n"
        "Forty-one civilians were killed, he said, and he blamed the Katiba Macina.\n"
    )
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Boni", "Hombori", "Douentza"]
    assert set(zip(events["group1"], events["group2"], strict=True)) == {("JNIM", "Civilians")}
    assert events.iloc[0]["fatalities"] == 41  # the toll stays on the first village told, as the labels count it
    assert events.iloc[1:]["fatalities"].isna().all()


def test_a_placeless_lead_gives_its_toll_to_the_incident_placed_after_it(geocoder):
    text = (
        "At least 27 soldiers were killed on Tuesday in an ambush by armed men in the north of the country, the "
        "army said.\n\n"
        "A supply convoy was attacked on Tuesday near Hombori, in the Mopti region, the statement said.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2022, 3, 10)).events
    convoy = events[events["location"] == "Hombori"].iloc[0]
    assert convoy["fatalities"] == 27
    assert "toll from the lead, which names no place" in convoy["notes"]


def test_soldiers_killed_by_no_one_named_are_the_target_of_an_unidentified_group(geocoder):
    text = (
        "Fourteen gendarmes were killed on Sunday in a new attack in the country's west, the minister said.\n\n"
        "The ambush took place between the villages of Hombori and Boni, officials added.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2019, 5, 14)).events
    first = events.iloc[0]
    assert first["location"] == "Hombori" and first["fatalities"] == 14  # the toll on the first place told
    assert (first["group1"], first["group2"]) == ("Other", "State forces")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("A supply convoy was attacked on Tuesday near Hombori, in the Mopti region, the statement "
                     "said.\n\n"
                     "Elsewhere, 12 herders were killed on Tuesday by armed men, residents said.\n",
                     date(2022, 3, 10), id="a toll told after the incident is not its lead"),
        pytest.param("At least 33 people were killed on Monday in two attacks by armed men, the government said.\n\n"
                     "A bus was attacked on Monday near Hombori, in the Mopti region, officials said.\n",
                     date(2022, 3, 10), id="the toll of several attacks goes to none of them"),
        pytest.param("BAMAKO, 28 March 2022 - More than 60 fighters have been killed in three weeks of fighting "
                     "between the ISGS and the MSA, a first count says.\n\n"
                     "The ISGS fought the MSA at Hombori on 8 March, the movement said.\n",
                     None, id="the toll of weeks of fighting is no one day's toll"),
    ],
)
def test_a_placeless_toll_that_is_not_the_incident_s_stays_off_it(geocoder, text, day):
    events = extract_events(text, geocoder, document_day=day).events
    assert events[events["location"] == "Hombori"]["fatalities"].isna().all()


def test_a_placeless_lead_belongs_to_the_incident_told_next_only(geocoder):
    text = (
        "A suicide bomber blew himself up on Saturday near a checkpoint, wounding two soldiers, the army said.\n\n"
        "On Friday, a bomber had struck near Hombori, killing four soldiers.\n\n"
        "On Saturday, gunmen also attacked a patrol near Boni, the army said.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2013, 2, 10)).events
    assert events[events["location"] == "Boni"]["fatalities"].isna().all()


@pytest.mark.parametrize("habit", ["continue to attack convoys and posts", "regularly attack convoys and posts"])
def test_a_groups_ongoing_habit_names_no_perpetrator_of_the_incident(geocoder, habit):
    text = (
        "Gunmen attacked a UN camp in Hombori on Monday, killing two peacekeepers, the mission said.\n"
        f"Jihadists of the Katiba Macina {habit} in the region.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2017, 8, 16)).events
    assert events.iloc[0]["group1"] == "Other"


def test_the_dead_counted_the_next_morning_are_the_last_incidents_toll(geocoder):
    text = (
        "Armed men stormed the village of Hombori on Tuesday evening, the mayor said.\n\n"
        '"This morning we counted 23 dead and the search goes on," he added.\n'
    )
    events = extract_events(text, geocoder, document_day=date(2023, 2, 15)).events
    assert len(events) == 1 and events.iloc[0]["fatalities"] == 23
