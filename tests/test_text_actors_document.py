"""Who did it, read across the document (issue 18): a group speaking of its deed as "it", general blame that is no
one incident's attribution, strikes from the air, the VDP as "the army's auxiliaries", the source of a report, the
Islamic State's West Africa name in the Sahel. All texts are our own."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.actors import find_actors, order_actors


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def families(sentence: str, kind: str = "Battles") -> list[str]:
    return [a.family for a in order_actors(sentence, find_actors(sentence), kind)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("IS-linked fighters overran a gendarmerie post near Tera.", ["ISGS", "State forces"]),
        ("The ambush near Ayorou was claimed by IS on Friday.", ["ISGS"]),
        ("Airstrikes hit an insurgent camp near Boni.", ["State forces"]),
        ("Soldiers and VDP, the army's civilian auxiliaries, were ambushed near Titao.", ["Other", "State forces",
                                                                                          "Militia"]),
        ("A convoy of the VDP came under fire near Kaya, according to the army.", ["Other", "Militia"]),
    ],
)
def test_sides_named_the_way_reporting_names_them(sentence: str, expected: list[str]) -> None:
    assert families(sentence)[: len(expected)] == expected


def test_a_headline_in_capitals_names_no_islamic_state() -> None:
    assert find_actors("TOWN IS QUIET AFTER CLASHES") == []


def test_a_group_speaking_of_its_deed_as_it_is_the_group_named_before(geocoder: Geocoder) -> None:
    text = (
        "JNIM says it overran a camp in the north\n\n"
        "The JNIM group said in a message on Monday that its fighters had taken the army camp at Léré.\n\n"
        "On 14 March, it said it had attacked a post in Niono, killing 12 soldiers.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 3, 18)).events
    niono = events[events["location"] == "Niono"].iloc[0]
    assert (niono["group1"], niono["group2"]) == ("JNIM", "State forces")


def test_the_army_speaking_as_it_is_not_a_group(geocoder: Geocoder) -> None:
    text = (
        "Soldiers hold the line in the centre\n\n"
        "The army pushed back an assault on Macina on 2 May, a statement said.\n\n"
        "On 4 May, it said it had killed 20 assailants near Ké-Macina.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert "JNIM" not in set(events["group1"].dropna())


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("Gunmen raid a gendarmerie post in the west\n\n"
                     "Unidentified gunmen attacked the gendarmerie post of Ayorou on Sunday, 9 June, killing three "
                     "gendarmes.\n\n"
                     "Analysts say the Islamic State in the Greater Sahara has increasingly been blamed for such "
                     "attacks.\n", date(2024, 6, 11), id="blame for attacks in general"),
        pytest.param("Gunmen attacked a gendarmerie post in Téra on Monday, 3 June, killing four gendarmes.\n\n"
                     "An army statement said the assailants came on motorbikes.\n\n"
                     "The army often carries out air strikes on JNIM bases in the area.\n",
                     date(2024, 6, 5), id="a background sentence after the incident"),
    ],
)
def test_a_group_named_only_in_general_is_no_party_of_the_incident(geocoder: Geocoder, text: str, day: date) -> None:
    events = extract_events(text, geocoder, document_day=day).events
    assert list(events["group1"]) == ["Other"]


def test_the_attacker_left_unnamed_when_every_side_named_was_hit(geocoder: Geocoder) -> None:
    """The first sentence names no side; the next says gendarmes and VDP were attacked: no one named attacked."""
    text = (
        "Attack in the Sahel region\n\n"
        "The attack took place on Monday, 6 May, at Arbinda, according to an army statement.\n\n"
        "It spoke of an attack against gendarmes and VDP, auxiliaries of the army, stationed in the town.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 5, 8)).events
    assert list(events["group1"]) == ["Other"]
    assert events.iloc[0]["group2"] in ("State forces", "Militia")


def test_an_attack_by_no_side_named_is_an_unidentified_armed_group_s(geocoder: Geocoder) -> None:
    """A violent event whose text names no side at all: ACLED's "unidentified armed group" (Other), never blank."""
    text = "An attack hit the villages of Boni and Hombori in central Mali on 3 May, the governor said.\n"
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert len(events) == 2
    assert list(events["group1"]) == ["Other", "Other"]
    assert list(events["actor1"]) == ["unidentified armed group"] * 2


def test_a_drone_strike_with_no_side_named_is_the_state_s(geocoder: Geocoder) -> None:
    text = "Drone strikes on a market near Kidal on 3 March killed at least nine people, residents said.\n"
    events = extract_events(text, geocoder, document_day=date(2024, 3, 5)).events
    assert (events.iloc[0]["group1"], events.iloc[0]["group2"]) == ("State forces", "Civilians")


def test_the_islamic_state_west_africa_name_in_the_sahel_is_the_sahel_branch(geocoder: Geocoder) -> None:
    text = ("Fighters of the Islamic State West Africa Province killed 11 soldiers in an ambush near Tera, Niger,"
            " on 2 April.\n")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2021, 4, 5)).events
    assert events.iloc[0]["group1"] == "ISGS"


def test_one_toll_for_attacks_on_several_villages_is_no_one_village_s(geocoder: Geocoder) -> None:
    text = "On 3 May, gunmen raided the villages of Boni and Hombori in central Mali, killing 40 people in all.\n"
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert list(events["location"]) == ["Boni", "Hombori"]
    assert events["fatalities"].isna().all()
    assert "for all 2 places together" in events.iloc[0]["notes"]


def test_a_toll_on_the_road_between_two_towns_stays_the_incident_s(geocoder: Geocoder) -> None:
    text = "On 3 May, gunmen ambushed a bus on the road between Boni and Hombori in central Mali, killing 11 people.\n"
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert len(events) == 1 and events.iloc[0]["fatalities"] == 11


def test_an_undated_lead_gives_its_toll_to_the_incident_told_next(geocoder: Geocoder) -> None:
    text = (
        "Gunmen have killed 23 villagers in an attack on a village in western Niger, officials said.\n\n"
        "The raid took place on Sunday in Banibangou, near the border with Mali.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2024, 6, 12)).events
    assert list(events["location"]) == ["Banibangou"] and events.iloc[0]["fatalities"] == 23
    assert "toll from the lead" in events.iloc[0]["notes"]


def test_a_toll_for_an_ambush_between_two_villages_stays_on_the_first(geocoder: Geocoder) -> None:
    text = "On 3 May, gunmen ambushed soldiers between the villages of Boni and Hombori, killing 9 of them.\n"
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert events.iloc[0]["fatalities"] == 9


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the speaker of a trailing attribution is no party; a speaker who acts is
        ("A gendarme and two herders were killed near Téra on Friday, the army announced on Saturday.",
         ["Other", "State forces"]),
        ("The army said it killed 20 assailants near Téra.", ["State forces", "Other"]),
        ("Up to 40 villagers were shot dead by gunmen, the radio reported, citing a French government memo.",
         ["Other", "Civilians", None]),
        # the dead listed after "including" were hit
        ("Gunmen stormed the camp, killing nine people, including four guards and a soldier.", ["Other",
                                                                                                "State forces"]),
    ],
)
def test_speakers_and_listed_dead(sentence: str, expected: list[str | None]) -> None:
    """None: no further side named."""
    assert [*families(sentence), None][: len(expected)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The region is home to armed groups linked to al-Qaeda and the Islamic State.",
        "Paris often strikes militants tied to JNIM and the ISGS in the border area.",
    ],
)
def test_rival_groups_listed_together_describe_the_region_not_a_party(sentence: str) -> None:
    assert not {a.family for a in find_actors(sentence)} & {"JNIM", "ISGS"}


def test_the_group_s_spokesman_taking_credit_is_the_group_named_before(geocoder: Geocoder) -> None:
    text = (
        "Convoy burnt in the west\n\n"
        "A source close to the JNIM said its men had burnt 30 lorries.\n\n"
        "In an audio message, the group's spokesman took credit for the ambush near Diéma on 7 May, and said the"
        " soldiers escorting the lorries had fled.\n"
    )
    events = extract_events(text, geocoder, document_day=date(2025, 5, 9)).events
    assert events.iloc[0]["group1"] == "JNIM"


@pytest.mark.parametrize(
    "sentence",
    [
        "The curfew in the Tahoua region followed an increase in attacks on herders in March 2021.",
        "Officials warned of the threat of attacks on markets around Kaya in May 2022.",
        "The group threatened to attack convoys on the Gao road in June 2023.",
    ],
)
def test_a_trend_or_a_threat_of_violence_is_no_incident(sentence: str, geocoder: Geocoder) -> None:
    assert extract_events(sentence + "\n", geocoder, document_day=date(2023, 7, 1)).events.empty


def test_a_dated_attack_beside_a_trend_word_is_still_an_incident(geocoder: Geocoder) -> None:
    text = "Gunmen killed six herders near Kaya on 4 May 2022, a rise in violence the governor deplored.\n"
    assert list(extract_events(text, geocoder, document_day=date(2022, 5, 6)).events["location"]) == ["Kaya"]


def test_a_hedged_attribution_names_the_attacker_left_unnamed(geocoder: Geocoder) -> None:
    text = ("Gunmen attacked the army camp at Ansongo on 4 June, killing nine soldiers.\n\n"
            "The assailants were probably fighters of the ISGS, a security source said.\n")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2024, 6, 6)).events
    assert list(events["group1"]) == ["ISGS"]
