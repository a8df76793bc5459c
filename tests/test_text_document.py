"""The document reader (issue 18, classes 1, 2 and 6): dates and places carried from the headline, the dateline
and earlier sentences into sentences that do not repeat them. Every text here is our own, written in the
manner of wire copy, local press and bulletins."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.dates import document_date, find_dates

THURSDAY = date(2023, 5, 11)


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def days(sentence: str, anchor: date | None = THURSDAY) -> list[tuple[date, date, str]]:
    return [(m.start, m.end, m.precision) for m in find_dates(sentence, None, anchor)]


def test_nights_and_vague_recent_days_against_the_document_date():
    assert days("Gunmen raided the market overnight Sunday to Monday.") == [
        (date(2023, 5, 7), date(2023, 5, 8), "day")
    ]
    assert days("The camp was shelled on the night of Saturday into Sunday.") == [
        (date(2023, 5, 6), date(2023, 5, 7), "day")
    ]
    assert days("Fighting went on from Friday to Sunday.") == [(date(2023, 5, 5), date(2023, 5, 7), "week")]
    assert days("Residents said the raid took place a few days ago.") == [
        (date(2023, 5, 4), date(2023, 5, 10), "week")
    ]
    assert days("A few days ago armed men burnt the school.", None) == [(None, None, "day")]  # never guessed


def test_a_dateline_in_capitals_with_its_agency_glued_on():
    text = "NIAMEY, MARCH 14, 2022(NSA) -Armed men killed nine traders on Saturday near Tera, officials said."
    assert document_date(text).day == date(2022, 3, 14)


def test_a_sentence_without_a_date_takes_the_day_of_the_sentence_before(geocoder):
    text = (
        "Traders killed on the road to Tera\n\n"
        "NIAMEY, 14 March 2022 (Sahel Wire) - Armed men stopped a lorry on 12 March outside Tera. "
        "The assailants shot dead nine traders in Tera before fleeing towards the border, a local official said.\n"
    )
    result = extract_events(text, geocoder)
    assert len(result.events) == 1
    event = result.events.iloc[0]
    assert (event["date_start"].date(), event["date_end"].date()) == (date(2022, 3, 12), date(2022, 3, 12))
    assert event["location"] == "Tera" and event["fatalities"] == 9


def test_a_second_place_in_the_paragraph_keeps_the_paragraph_day_not_its_year(geocoder):
    text = (
        "On 12 March 2022, armed men ambushed an army patrol near Tera, killing four soldiers. "
        "In Gotheye, the same fighters burnt the market and killed three shopkeepers.\n"
    )
    events = extract_events(text, geocoder).events.set_index("location")
    assert set(events.index) == {"Tera", "Gotheye"}
    assert events.loc["Gotheye", "date_start"].date() == events.loc["Gotheye", "date_end"].date() == date(2022, 3, 12)
    assert events.loc["Gotheye", "date_basis"] == "the date of sentence 1"


def test_a_stored_page_date_stamp_glued_to_the_first_words(geocoder):
    text = "date 2022-03-14 ARMED men killed nine traders in Tera on Saturday, the mayor said.\n"
    assert document_date(text).day == date(2022, 3, 14)
    event = extract_events(text, geocoder).events.iloc[0]
    assert event["date_start"].date() == date(2022, 3, 12) and event["location"] == "Tera"
    assert "2022-03-14" not in event["notes"]


def test_a_yardstick_year_is_not_the_day_of_the_violence(geocoder):
    text = "In early June, the village of Tera saw the deadliest attack the region had known since 2015.\n"
    event = extract_events(text, geocoder, document_day=date(2021, 6, 20)).events.iloc[0]
    assert (event["date_start"].date(), event["date_end"].date()) == (date(2021, 6, 1), date(2021, 6, 30))


def test_only_the_reporting_day_dates_the_violence_to_the_week_before_it(geocoder):
    text = "At least 30 villagers have been killed by gunmen in Tera, a regional official said late Sunday.\n"
    event = extract_events(text, geocoder, document_day=date(2023, 4, 25)).events.iloc[0]
    assert (event["date_start"].date(), event["date_end"].date()) == (date(2023, 4, 17), date(2023, 4, 23))
    assert event["date_precision"] == "week" and event["fatalities"] == 30


def test_the_lead_dates_a_later_sentence_that_places_the_story(geocoder):
    text = (
        "Worshippers killed in mosque attack\n\n"
        "Forty worshippers were killed in an attack on a mosque in Niger on Friday, the government said.\n\n"
        "Officials said the wounded were taken to hospital.\n\n"
        "The attack took place in Gotheye, in the west of the country. "
        "The attack comes a month after gunmen killed 12 soldiers in Tera.\n"
    )
    result = extract_events(text, geocoder, document_day=date(2025, 3, 23))
    events = result.events.set_index("location")
    assert list(events.index) == ["Gotheye"]
    assert events.loc["Gotheye", "date_start"].date() == date(2025, 3, 21)
    assert events.loc["Gotheye", "date_basis"].startswith("the lead's date")
    # the recap without a date of its own is held back, with its reason
    assert "comes a month after" in " ".join(result.rejected["sentence"])


def test_the_headline_place_gives_way_to_the_villages_the_text_names(geocoder):
    text = (
        "Dozens of herders killed in Tillabéri raid\n\n"
        "Published: Wednesday 10 March 2021\n\n"
        "Some forty herders were killed on Monday when armed men on motorbikes raided two hamlets, officials said.\n\n"
        "Up to 25 people died in Tchoma Bangou and 15 in Zaroumdareye, a councillor said; a first count had given "
        "12 dead in Tchoma Bangou.\n"
    )
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Tchoma Bangou", "Zaroumdareye"]
    assert list(events["fatalities"]) == [25, 15]
    assert set(events["date_start"].dt.date) == {date(2021, 3, 8)}
    assert "Some forty herders" in events["notes"].iloc[0]  # the lead's words stay with the event


def test_the_undated_lead_of_a_dated_report_is_of_the_week_before_it(geocoder):
    text = (
        "Convoy ambush kills 20 in eastern Burkina\n\n"
        "Posted: 9 November 2019\n\n"
        "An attack on a convoy of buses carrying mine workers near Fada N'Gourma left 20 people dead. "
        "A bomb hit the escort vehicle before gunmen opened fire on the buses.\n\n"
        "Insurgents have killed hundreds of people in the region since 2015.\n"
    )
    result = extract_events(text, geocoder)
    assert len(result.events) == 1
    event = result.events.iloc[0]
    assert (event["date_start"].date(), event["date_end"].date()) == (date(2019, 11, 3), date(2019, 11, 9))
    assert event["date_precision"] == "week" and "a report's lead" in event["date_basis"]
    # the habit is no event of that week
    assert "since 2015" in " ".join(result.rejected["sentence"])
    # a history (no document date) is never dated this way
    assert extract_events(text.replace("Posted: 9 November 2019\n\n", ""), geocoder).events.empty


def test_the_named_camp_the_story_is_about_and_the_yardstick_since_clause(geocoder):
    text = (
        "Soldiers killed at Tera army camp\n\n"
        "Published 14 March 2022\n\n"
        "On the evening of 12 March, the Tera military camp was attacked by an armed group. "
        "The assault on the town of Tera is the deadliest on the army since the forces began fighting militants "
        "in 2015.\n"
    )
    events = extract_events(text, geocoder).events
    assert list(events["location"]) == ["Tera"]
    assert events.iloc[0]["date_start"].date() == events.iloc[0]["date_end"].date() == date(2022, 3, 12)


def test_statement_days_are_the_reporting_not_the_violence(geocoder):
    text = (
        "Gunmen killed 14 herders in Tera, the regional governor said in a statement sent to reporters on Friday. "
        "In a Thursday statement, ISGS said its fighters carried out the attack in Tera.\n"
    )
    event = extract_events(text, geocoder, document_day=date(2022, 3, 19)).events.iloc[0]
    assert event["date_precision"] == "week" and event["date_end"].date() == date(2022, 3, 18)
    assert event["group1"] == "ISGS"


def test_a_year_in_a_sentence_about_the_story_yields_to_the_story_day(geocoder):
    text = (
        "NIAMEY, 24 May 2013 - A car bomb killed 20 soldiers at the barracks in Agadez on Thursday. "
        "The coordinated dawn assaults on the mine at Arlit and the barracks in Agadez were claimed by a jihadist "
        "group in revenge for an offensive this year.\n"
    )
    events = extract_events(text, geocoder).events.set_index("location")
    assert events.loc["Arlit", "date_start"].date() == events.loc["Arlit", "date_end"].date() == date(2013, 5, 23)


def test_days_counted_from_the_story_and_a_page_date_run_into_the_text(geocoder):
    text = (
        "Army camp attacked in Tera\n"
        "March 21, 2022Gunmen attacked the army camp in Tera on Saturday, killing five soldiers. "
        "Two days earlier, jihadists had killed three traders in Gotheye. "
        "The next day, a mine killed two gendarmes near Ayorou.\n"
    )
    assert document_date(text).day == date(2022, 3, 21)
    events = extract_events(text, geocoder).events.set_index("location")
    assert events.loc["Tera", "date_start"].date() == date(2022, 3, 19)
    assert events.loc["Gotheye", "date_start"].date() == date(2022, 3, 17)
    assert events.loc["Ayorou", "date_start"].date() == date(2022, 3, 18)
    assert days("Eight days ago, gunmen stormed a hotel.") == [(date(2023, 5, 3), date(2023, 5, 3), "day")]


def test_a_weekday_beside_a_day_without_a_year_pins_one_of_the_years_the_text_writes(geocoder):
    sentence = "Gunmen opened fire on diners at a cafe in Ouagadougou on the evening of Sunday, August 13."
    assert days(sentence, None) == [(None, None, "day")]  # no year anywhere: held back, never guessed
    pinned = [(m.start, m.precision) for m in find_dates(sentence, None, None, [2016])]
    assert pinned == [(date(2017, 8, 13), "day")]  # 2016 written in the text; 13 August 2017 was a Sunday
    text = (
        "Cafe attack in the capital\n\n"
        f"{sentence} At least 18 people were killed.\n\n"
        "The city was attacked in January 2016, when gunmen killed 30 people at a hotel.\n"
    )
    events = extract_events(text, geocoder).events
    assert date(2017, 8, 13) in set(events["date_start"].dt.date)


def test_a_month_this_year_and_a_recap_that_keeps_its_own_place(geocoder):
    text = (
        "Gunmen killed nine soldiers in Tera on Tuesday, the army said. "
        "In August this year, the army suffered 24 dead in an assault on a base in Arbinda. "
        "Eight days ago, gunmen attacked a hotel in the capital, taking scores hostage and killing 19.\n"
    )
    result = extract_events(text, geocoder, document_day=date(2022, 11, 10))
    events = result.events.set_index("location")
    assert (events.loc["Arbinda", "date_start"].date(), events.loc["Arbinda", "date_end"].date()) == (
        date(2022, 8, 1), date(2022, 8, 31)
    )
    assert list(events.index).count("Tera") == 1  # the recap is not placed where the story is
    assert "Eight days ago" in " ".join(result.rejected["sentence"])


def test_a_stamp_line_with_a_time_ago_note():
    text = "Hotel siege over in the capital\n\n20 Nov, 2015 10:53 / Updated 8 years ago\n\nAt least 21 people died.\n"
    assert document_date(text).day == date(2015, 11, 20)


def test_a_photo_credit_run_into_the_prose_ends_the_caption(geocoder):
    text = (
        "A man reads a newspaper in Niamey on 7 March 2022 about the killings in Tera. © 2022 A. NAME/AFP via Getty "
        "Images Just after dawn on 5 March, armed men stormed a market outside Tera, killing 30 traders.\n"
    )
    events = extract_events(text, geocoder).events
    stormed = events[events["notes"].str.contains("stormed")].iloc[0]
    assert stormed["location"] == "Tera" and stormed["fatalities"] == 30
    assert stormed["date_start"].date() == date(2022, 3, 5) and "Getty" not in stormed["notes"]


@pytest.mark.parametrize(
    "stamp",
    ["14.03.2022", "2022-03-14T09:30:00+00:00", "2022-03-14 09:30 GMT", "14/03/2022 09:30", "Mon 14 Mar 2022 | 09:30",
     "PUBLISHED 14 MARCH 2022", "14 MARCH 2022 - 09:30", "2022/03/14", "Written by Staff Reporter on 14 March 2022",
     "14/03/2022 · Security · with agencies", "Monday 14 March 2022 | Africa desk"],
)
def test_a_line_that_only_stamps_the_text_in_numeric_and_machine_formats(stamp):
    text = f"Nine traders killed near Tera\n{stamp}\n\nArmed men killed nine traders near Tera on Saturday.\n"
    assert document_date(text).day == date(2022, 3, 14)


@pytest.mark.parametrize(
    "line", ["Updated 3 years ago", "© 2022 Sahel Wire. All rights reserved.", "Copyright 2022 Sahel Wire"]
)
def test_a_time_ago_note_or_a_copyright_line_does_not_date_the_text(line):
    text = f"Nine traders killed near Tera\n{line}\n\nArmed men killed nine traders on Saturday.\n"
    assert document_date(text) is None


def test_an_infobox_copied_without_its_cells_gives_the_incident(geocoder):
    glued = (
        "Tera market attack\n\nArmed men raided the weekly market of Tera and killed nine traders.[1]\n\n"
        "Tera market attack\nPart of the insurgency in Niger\nDate14 March 2022\nTera, Tillaberi Region, Niger\n"
        "Result Attackers withdrew\n"
    )
    spaced = glued.replace("Date14 March 2022\nTera,", "Date 12–14 March 2022\nLocation Tera,")
    for text, start in ((glued, date(2022, 3, 14)), (spaced, date(2022, 3, 12))):
        result = extract_events(text, geocoder)
        events = result.events
        assert (events["location"] == "Tera").any()
        tera = events[events["location"] == "Tera"].iloc[0]
        assert tera["date_start"].date() == start and tera["date_end"].date() == date(2022, 3, 14)
        assert not (events["date_end"] - events["date_start"]).dt.days.gt(31).any()  # no year-long event left over


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("The week before,", date(2021, 3, 5), date(2021, 3, 11)),
        ("The following week,", date(2021, 3, 13), date(2021, 3, 19)),
        ("The following morning,", date(2021, 3, 13), date(2021, 3, 13)),
        ("The following Sunday,", date(2021, 3, 14), date(2021, 3, 14)),
        ("On the previous Monday,", date(2021, 3, 8), date(2021, 3, 8)),
        ("Earlier that month,", date(2021, 3, 1), date(2021, 3, 12)),
        ("Later that month,", date(2021, 3, 12), date(2021, 3, 31)),
    ],
)
def test_weeks_weekdays_and_months_counted_from_the_story_day(geocoder, opening, start, end):
    text = (f"Armed men shot dead eleven herders at Gorom-Gorom on Friday 12 March 2021, the mayor said.\n\n"
            f"{opening} an ambush near Dori killed four soldiers.\n")  # fmt: skip
    for day in (None, date(2021, 3, 30)):  # the story's day counts, with or without the document's date
        events = extract_events(text, geocoder, document_day=day).events
        dori = events[events["location"] == "Dori"].iloc[0]
        assert (dori["date_start"].date(), dori["date_end"].date()) == (start, end)


def test_the_year_of_a_prize_title_dates_nothing(geocoder):
    text = (
        "Gunmen killed nine herders at Gorom-Gorom on 4 May, said Amina Sow, winner of the 2019 Sahel Rights Prize. "
        "A rival count was given by the 2020 Global Peace Index team.\n"
    )
    assert [m for m in find_dates(text) if m.precision == "year"] == []
    events = extract_events(text, geocoder).events
    assert events.empty or not (events["date_start"].dt.year.isin([2019, 2020])).any()  # no year taken from a title
    assert extract_events(text, geocoder).rejected["reason"].str.contains("date").any()


def test_a_follow_up_that_recalls_an_earlier_attack_keeps_the_story_day(geocoder):
    text = (
        "Armed men killed 30 villagers in Gorom-Gorom on 20 April 2023, a rights group said. "
        "The killings came after an ambush on 15 April in which eight soldiers died.\n"
    )
    events = extract_events(text, geocoder).events
    gorom = events[events["location"] == "Gorom-Gorom"].iloc[0]
    assert gorom["date_start"].date() == date(2023, 4, 20) == gorom["date_end"].date()


def test_a_night_named_by_its_weekday_or_by_the_day_it_was_reported(geocoder):
    assert days("Gunmen raided the hamlet overnight Saturday, a councillor said.") == [
        (date(2023, 5, 6), date(2023, 5, 7), "day")
    ]
    text = "Armed men overran the gendarmerie post of Dori overnight, killing six, the governor said on Thursday.\n"
    dori = extract_events(text, geocoder, document_day=THURSDAY).events.iloc[0]
    assert (dori["date_start"].date(), dori["date_end"].date()) == (date(2023, 5, 10), THURSDAY)
    assert "night before it was reported" in dori["date_basis"]


def test_the_day_an_authority_confirmed_the_dead_is_not_the_day_of_the_ambush(geocoder):
    text = ("The governor confirmed, Friday, 12 May, the death of 19 traders near Dori in an ambush which took place "
            "on Tuesday, 9 May.\n")  # fmt: skip
    dori = extract_events(text, geocoder, document_day=date(2023, 5, 13)).events.iloc[0]
    assert dori["date_start"].date() == date(2023, 5, 9) == dori["date_end"].date()


def test_an_undated_text_carries_its_lead_day_to_the_same_story_only(geocoder):
    headline = ("Gunmen kill twelve traders in Dori on 12 March 2021\n\nWitnesses said the men came at dawn.\n\n"
                "Twelve traders were killed at the cattle market in Dori.\n")  # fmt: skip
    dori = extract_events(headline, geocoder).events.iloc[0]
    assert dori["date_start"].date() == date(2021, 3, 12) == dori["date_end"].date()
    story = ("On 12 March 2021, gunmen on motorcycles raided the market of Dori, killing twelve traders.\n\n"
             "Shops stayed shut.\n\nThe attackers killed four herders at Arbinda as they withdrew.\n")  # fmt: skip
    arbinda = extract_events(story, geocoder).events.set_index("location").loc["Arbinda"]
    assert arbinda["date_start"].date() == date(2021, 3, 12)
    history = story.replace("Shops stayed shut.", "On 2 May 2021, soldiers retook the road to Gorom-Gorom.")
    events = extract_events(history, geocoder).events.set_index("location")
    assert events.loc["Arbinda", "date_start"].date() != date(2021, 3, 12)  # another day was told since


def test_a_clock_time_ends_a_sentence_unless_a_day_or_zone_follows_it():
    from geodata.text.sentences import split_sentences

    def pieces(text: str) -> list[str]:
        return [sentence.text for sentence in split_sentences(text)]

    assert pieces("Gunmen hit the post at 4:45 a.m. The garrison has since been reinforced.") == [
        "Gunmen hit the post at 4:45 a.m.", "The garrison has since been reinforced."]
    assert len(pieces("Gunmen hit the post at 4 a.m. Friday and left at 6 p.m. GMT, a source said.")) == 1
    assert len(pieces("The U.N. Security Council met on Friday.")) == 1


def test_each_line_of_a_dated_timeline_is_an_incident_of_its_own_year(geocoder):
    """Timeline lines carry no closing stop: each date-led line starts a sentence, never run into the line
    before it (which would give one incident the other's year)."""
    text = (
        "Rocket fire hits army camp\n\n"
        "Three soldiers were killed on Saturday when rockets struck the army camp in Tessalit, the army said.\n\n"
        "Key dates\n"
        "April 2016: jihadists raid the gendarmerie post in Boni\n"
        "September 2018: gunmen ambush a convoy near Douentza, killing seven traders\n"
        "2019: suicide bombers strike the barracks in Gao\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 6, 10)).events
    starts = dict(zip(events["location"], events["date_start"].dt.date, strict=True))
    assert starts["Boni"] == date(2016, 4, 1)
    assert starts["Douentza"] == date(2018, 9, 1)
    assert starts["Gao"] == date(2019, 1, 1)
    douentza = events[events["location"] == "Douentza"].iloc[0]
    assert douentza["fatalities"] == 7 and douentza["actor1"] == "gunmen"


def test_the_infobox_perpetrator_names_the_gunmen_of_the_prose_event_of_its_incident(geocoder):
    """A wiki page's prose tells its incident again with "gunmen" at the place the infobox names: the infobox's
    perpetrator row says who they were (same place, same day), while the prose keeps its own toll."""
    text = (
        "2019 hamlet raids\n"
        "2019 hamlet raids | |\n"
        "---|---|\n"
        "Location | Two hamlets, Bankass Cercle, Mali |\n"
        "Date | March 3, 2019 |\n"
        "Target | herders |\n"
        "Deaths | 12 |\n"
        "Perpetrator | JNIM (suspected) |\n"
        "On March 3, 2019, gunmen raided two hamlets in Mali's Bankass Cercle, killing eleven herders.\n"
        "The survivors fled towards the town.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2021, 6, 10)).events
    prose = events[events["fatalities"] == 11]
    assert len(prose) == 1
    assert prose.iloc[0]["group1"] == "JNIM" and prose.iloc[0]["group2"] == "Civilians"
