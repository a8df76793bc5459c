"""Unseen reporting (issue 18, round 2): what a wire copy without a stamp, a bulletin or a local outlet still
lets the reader pin. Every text here is our own, invented in the manner of such reports."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.dates import weekday_day


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def _spans(result) -> list[tuple[str, date, date]]:
    return sorted((row.location, row.date_start.date(), row.date_end.date()) for row in result.events.itertuples())


def test_a_written_day_that_a_bare_weekday_names_dates_the_report():
    # 12 March 2022 was a Saturday: the report speaks of "Saturday" and writes the day in full once
    text = ("Armed men killed nine traders on Saturday near Tera, officials said. "
            "\"On 12 March 2022, at about noon, a lorry was stopped outside Tera,\" the statement read. "
            "On Thursday, another group was attacked in Gotheye.")  # fmt: skip
    assert weekday_day(text).day == date(2022, 3, 12)
    # no weekday names that day: nothing is guessed
    assert weekday_day(text.replace("Saturday", "Sunday").replace("Thursday", "Monday")) is None
    # a weekday only written beside its own date does not count as a second telling
    assert weekday_day("On Saturday, 12 March 2022, a lorry was stopped outside Tera.") is None
    # a day whose year is borrowed from another sentence is not a written day
    assert weekday_day("In 2021 the town was quiet. On 13 March a lorry was stopped on Sunday.") is None


def test_the_weekdays_of_an_unstamped_report_resolve_against_its_written_day(geocoder):
    text = ("Nine traders killed near Tera\n\n"
            "Armed men killed nine traders on Saturday in Tera, in western Niger, officials said. "
            "\"On 12 March 2022, at about noon, the lorry was stopped in Tera,\" the statement read.\n\n"
            "On Thursday, gunmen killed four herders in Gotheye, a local official said.\n")  # fmt: skip
    result = extract_events(text, geocoder)
    assert ("Gotheye", date(2022, 3, 10), date(2022, 3, 10)) in _spans(result)
    assert ("Tera", date(2022, 3, 12), date(2022, 3, 12)) in _spans(result)


@pytest.mark.parametrize(
    "where",
    ["in Burkina Faso's far northern Sahel region", "in the Sahel region of Burkina Faso",
     "in Burkina's Sahel region"],
)  # fmt: skip
def test_the_burkinabe_sahel_region_is_a_region_not_the_belt(where: str, geocoder) -> None:
    text = f"Gunmen killed seven herders on 3 May 2022 {where}, a security source said."
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Sahel region"]
    assert events.iloc[0]["geo_precision"] == 3 and events.iloc[0]["country_iso2"] == "BF"


def test_the_sahel_belt_alone_places_nothing(geocoder) -> None:
    text = "Gunmen killed seven herders on 3 May 2022 in the Sahel region, where attacks on Burkina Faso are common."
    assert extract_events(text, geocoder).events.empty


def test_a_settlement_named_before_its_word_is_the_place(geocoder) -> None:
    text = "Nine gendarmes died on 2 March 2022 in an attack on the post in the Tera settlement, western Niger."
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Tera"]


def test_a_country_word_near_the_violence_does_not_hide_the_town_of_the_sentence(geocoder) -> None:
    # "coup in Mali" sits by a violence word; Bamako, further away, is where the sentence's own violence was
    text = ("In the capital Bamako, far to the south, soldiers loyal to the leader of last year's military coup in "
            "Mali stormed a guard camp on Friday, 8 February 2013, and at least one person was killed.")  # fmt: skip
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Bamako"]
    # "last year's coup" names an earlier incident in passing: the sentence's day is its own
    assert (events.iloc[0]["date_start"].date(), events.iloc[0]["date_end"].date()) == (
        date(2013, 2, 8), date(2013, 2, 8))  # fmt: skip


def test_last_years_incident_in_passing_does_not_date_the_sentence(geocoder) -> None:
    text = ("BAMAKO, 9 February 2013 (Sahel Wire) - Troops who backed last year's coup attacked a rival unit's "
            "camp in Kati on Friday, killing two people.")  # fmt: skip
    events = extract_events(text, geocoder).events
    assert [(e.location, e.date_start.date()) for e in events.itertuples()] == [("Kati", date(2013, 2, 8))]


def test_a_follow_up_naming_a_finer_place_moves_an_incident_placed_at_a_border(geocoder) -> None:
    text = ("Gunmen killed eight soldiers in an ambush on 4 June 2022 in western Niger, not far from the Malian "
            "border, the ministry said. When the column came under the ambush, it was escorting traders in the "
            "south of the Tillia department.")  # fmt: skip
    events = extract_events(text, geocoder).events
    assert len(events) == 1
    event = events.iloc[0]
    assert event["country_iso2"] == "NE" and event["geo_precision"] < 4
    assert "Tillia" in event["location"]
    # without the follow-up the incident stays at the border
    alone = extract_events(text.split(" When ")[0], geocoder).events
    assert alone.iloc[0]["geo_precision"] == 4


def test_the_town_of_a_mayor_who_speaks_is_the_town_the_sentence_points_at(geocoder) -> None:
    text = ("NIAMEY, 6 June 2022 (Sahel Wire) — The mayor of Tera says at least nine traders were shot dead on "
            "Sunday when gunmen raided the market of the town.")  # fmt: skip
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Tera"]
    # a mayor's words with no pointer at "the town" place nothing by themselves
    quiet = "NIAMEY, 6 June 2022 (Sahel Wire) — The mayor of Tera says nine traders were shot dead on Sunday."
    assert extract_events(quiet, geocoder).events.empty
