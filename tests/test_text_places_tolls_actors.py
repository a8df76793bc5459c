"""Issue 18, classes 3-5: places given relative to a named one, tolls given as ranges or competing figures, and
actors under the names real reporting uses. Every sentence is written here in the style of an outlet (wire
rewrite, local press, bulletin, encyclopedia) about well-known places; none is copied from a report."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from geodata.actors import family_of
from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import extract_events
from geodata.text.actors import find_actors
from geodata.text.tolls import find_fatalities


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def one_event(text: str, geocoder: Geocoder, day: date | None = date(2023, 5, 12)):
    result = extract_events(text, geocoder, document_day=day)
    assert len(result.events) == 1, (result.events[["location", "notes"]], result.rejected)
    return result.events.iloc[0]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- class 3: places relative to a named one


def test_a_distance_and_bearing_from_a_town_places_the_point_the_text_describes(geocoder: Geocoder) -> None:
    town = geocoder.geocode("Timbuktu", country="ML")
    event = one_event("Suspected jihadists killed 12 herders on Wednesday in a village about 90 km east of "
                      "Timbuktu, in northern Mali, a local official said.", geocoder)  # fmt: skip
    assert event["geo_precision"] == 2
    assert "90 km east of Timbuktu" in event["geo_note"]
    assert km(town.latitude, town.longitude, event["latitude"], event["longitude"]) == pytest.approx(90, abs=3)
    assert event["longitude"] > town.longitude + 0.7 and abs(event["latitude"] - town.latitude) < 0.1


@pytest.mark.parametrize(
    ("sentence", "town", "relation"),
    [
        ("On 3 May gunmen shot dead seven traders some 30 kilometres from Djibo, Burkina Faso.", "Djibo",
         "30 kilometres from Djibo"),
        ("Seven soldiers were killed on 3 May when their vehicle struck a landmine 25 km outside Gao in Mali.", "Gao",
         "25 km outside Gao"),
    ],
)
def test_a_distance_without_a_bearing_is_placed_at_the_town_near_it(sentence: str, town: str, relation: str,
                                                                     geocoder: Geocoder) -> None:  # fmt: skip
    place = geocoder.geocode(town)
    event = one_event(sentence, geocoder)
    assert event["geo_precision"] == 2
    assert relation in event["geo_note"]
    assert km(place.latitude, place.longitude, event["latitude"], event["longitude"]) < 1


def test_a_village_named_beside_its_distance_from_a_town_is_still_the_village(geocoder: Geocoder) -> None:
    event = one_event("On 20 April soldiers killed 60 civilians in the village of Karma, about 15 km from "
                      "Ouahigouya, Burkina Faso.", geocoder)  # fmt: skip
    assert event["location"] == "Karma"


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May, gunmen attacked a bus on the road between Ouahigouya and Barga in Burkina Faso, killing 8.",
        "On 3 May, gunmen attacked a bus on the Ouahigouya-Barga road in Burkina Faso, killing 8 passengers.",
    ],
)
def test_a_road_between_two_towns_is_placed_near_the_first(sentence: str, geocoder: Geocoder) -> None:
    place = geocoder.geocode("Ouahigouya", country="BF")
    event = one_event(sentence, geocoder)
    assert event["geo_precision"] == 2
    assert "Ouahigouya" in event["geo_note"] and "Barga" in event["geo_note"]
    assert km(place.latitude, place.longitude, event["latitude"], event["longitude"]) < 1


def test_near_the_border_with_a_country_is_a_border_point_with_its_relation(geocoder: Geocoder) -> None:
    event = one_event("Burkina Faso: on 3 May, eleven soldiers were killed in an ambush near the border with "
                      "Niger.", geocoder)  # fmt: skip
    assert event["geo_precision"] == 4
    assert event["geo_note"] == "near the border with Niger"


def test_a_region_is_placed_at_region_level_with_its_relation(geocoder: Geocoder) -> None:
    event = one_event("In Burkina Faso's Nord region, an attack on 3 May killed 11 soldiers.", geocoder)
    assert event["geo_precision"] == 3
    assert event["country_iso2"] == "BF"
    assert "Nord region" in event["geo_note"]


def test_a_place_in_its_own_words_has_no_relation(geocoder: Geocoder) -> None:
    event = one_event("On 3 May gunmen killed 12 villagers in Solhan, Burkina Faso.", geocoder)
    assert event["geo_precision"] == 1
    assert pd.isna(event["geo_note"])


# ---------------------------------------------------------------- class 4: tolls


@pytest.mark.parametrize(
    ("sentence", "best", "low", "high"),
    [
        ("Between 200 and 400 people were killed in the attack.", 200, 200, 400),
        ("Gunmen killed 60 to 136 villagers.", 60, 60, 136),
        ("Dozens of soldiers were killed in the assault.", 24, 24, 99),
        ("Several dozen civilians were killed.", 24, 24, 99),
        ("A dozen soldiers were killed.", 12, 12, 12),
        ("More than a hundred civilians were killed.", 100, 100, None),
        ("Scores of villagers were killed.", 40, 40, None),
        ("The jihadists killed twenty-two gendarmes.", 22, 22, 22),
        ("Hundreds of people were killed.", 200, 200, 999),
    ],
)
def test_ranges_vague_figures_and_number_words(sentence: str, best, low, high) -> None:
    figures = find_fatalities(sentence)
    assert (figures.best, figures.low, figures.high) == (best, low, high)


@pytest.mark.parametrize(
    "sentence",
    [
        "The gunmen killed three people and wounded 12 others.",
        "Three people were killed; 20 were kidnapped and 15 are missing.",
        "Three people died and police arrested 40 suspects.",
    ],
)
def test_wounded_kidnapped_missing_and_arrested_are_never_dead(sentence: str) -> None:
    figures = find_fatalities(sentence)
    assert (figures.best, figures.low, figures.high) == (3, 3, 3)


def test_competing_figures_give_a_range_and_say_whose_figure_is_whose(geocoder: Geocoder) -> None:
    event = one_event("At least 50 people were killed on 3 May in Seytenga, Burkina Faso, officials said, but "
                      "relatives of the victims said more than 100 had died.", geocoder)  # fmt: skip
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (50, 50, 100)
    assert "at least 50 (officials); more than 100 (relatives" in event["notes"]


def test_competing_figures_told_with_according_to(geocoder: Geocoder) -> None:
    event = one_event("On 3 May, gunmen killed 35 civilians in Solhan, Burkina Faso, according to the government, "
                      "while local sources put the toll at 60.", geocoder)  # fmt: skip
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (35, 35, 60)
    assert "35 (the government); 60 (local sources)" in event["notes"]


def test_attackers_losses_claimed_by_the_army_are_kept_apart(geocoder: Geocoder) -> None:
    """The army's claim adds up with the soldiers (different dead, as the README says) but the low figure is the
    toll without it, and notes say which figure is the claim."""
    text = ("Jihadists attacked an army post in Djibo, Burkina Faso, on 3 May, killing 11 soldiers. "
            "The army said it had killed 40 terrorists in its response.")  # fmt: skip
    event = one_event(text, geocoder)
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (51, 11, 51)
    assert "claimed by the state side" in event["notes"] and ": 40" in event["notes"]


def test_an_army_claim_in_the_sentence_of_the_toll_is_its_high_end() -> None:
    figures = find_fatalities("The attack killed 11 soldiers, and the army said it had killed 40 terrorists.")
    assert (figures.best, figures.low, figures.high) == (51, 11, 51)


# ---------------------------------------------------------------- class 5: actors


NAMES = [
    ("the Group for the Support of Islam and Muslims", "JNIM"),
    ("the Support of Islam and Muslims group", "JNIM"),
    ("the Group to Support Islam and Muslims", "JNIM"),
    ("GSIM", "JNIM"),
    ("JNIM", "JNIM"),
    ("Jamaat Nusrat al-Islam wal-Muslimin", "JNIM"),
    ("Jama’at Nusrat al-Islam wal-Muslimeen", "JNIM"),
    ("Katiba Macina", "JNIM"),
    ("Ansar Dine", "JNIM"),
    ("Islamic State Sahel Province", "ISGS"),
    ("ISSP", "ISGS"),
    ("EIGS", "ISGS"),
    ("the Islamic State in the Greater Sahara", "ISGS"),
    ("ISGS", "ISGS"),
    ("the Islamic State's Sahel Province", "ISGS"),
    ("FAMa", "State forces"),
    ("the FDS", "State forces"),
    ("the army", "State forces"),
    ("gendarmes", "State forces"),
    ("the national guard", "State forces"),
    ("Burkinabe troops", "State forces"),
    ("the Malian air force", "State forces"),
    ("VDP", "Militia"),
    ("dozos", "Militia"),
    ("Wagner", "Wagner Group"),
    ("Africa Corps", "Wagner Group"),
    ("Russian mercenaries", "Wagner Group"),
    ("Russian paramilitaries", "Wagner Group"),
    ("Jama'a Nusrat ul-Islam wa al-Muslimin", "JNIM"),
    ("the Volunteers for the Defence of the Fatherland", "Militia"),
    ("Katibat Macina", "JNIM"),
    ("al-Qaida", "JNIM"),
    ("the État islamique au Grand Sahara", "ISGS"),
    ("Russian military instructors", "Wagner Group"),
]


@pytest.mark.parametrize(("name", "family"), NAMES)
def test_actors_under_their_english_french_and_arabic_names(name: str, family: str) -> None:
    found = find_actors(f"On Tuesday {name} attacked the village.")
    assert [a.family for a in found] == [family]


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("On 3 May, a Malian army drone strike killed 8 people at a wedding in Douentza, Mali.", "State forces"),
        ("On 3 May, a Burkinabe drone strike killed 8 people at a market in Djibo, Burkina Faso.", "State forces"),
        ("On 3 May, an air strike by the Nigerien army killed 8 people near Tillia, Niger.", "State forces"),
        # strikes from the air are flown by the states' forces in this region unless the text names another party
        ("On 3 May, a drone strike killed 8 people at a wedding in Douentza, Mali.", "State forces"),
        ("On 3 May, men in army fatigues killed 15 civilians in Djibo, Burkina Faso.", "Other"),
        ("On 3 May, men wearing military uniforms killed 15 civilians in Djibo, Burkina Faso.", "Other"),
        ("On 3 May, unidentified gunmen killed 15 civilians in Djibo, Burkina Faso.", "Other"),
        ("On 3 May, jihadists killed 15 civilians in Djibo, Burkina Faso.", "Other"),
        ("On 3 May, terrorists killed 15 civilians in Djibo, Burkina Faso.", "Other"),
        ("On 3 May, dozos killed 20 Fulani herders near Bankass, Mali.", "Militia"),
        ("On 3 May, VDP auxiliaries killed 20 herders near Djibo, Burkina Faso.", "Militia"),
        ("On 3 May, Africa Corps fighters killed 20 herders near Moura, Mali.", "Wagner Group"),
    ],
)
def test_the_perpetrator_is_who_the_text_names_and_no_guess(text: str, family: str, geocoder: Geocoder) -> None:
    event = one_event(text, geocoder)
    assert event["group1"] == family
    assert event["group2"] == "Civilians"


# Names of armed groups (not the generic words for soldiers) are what importers meet too: one taxonomy.
GROUP_NAMES = [(name, family) for name, family in NAMES if family != "State forces"]


@pytest.mark.parametrize(("name", "family"), GROUP_NAMES)
def test_one_taxonomy_the_text_reader_and_the_alias_table_agree(name: str, family: str) -> None:
    """A group the text reader names is in the same family by the alias table that importers use."""
    named = find_actors(f"On Tuesday {name} attacked the village.")
    assert [a.family for a in named] == [family]
    assert family_of(named[0].name) == family


def test_the_text_reader_takes_group_names_from_the_alias_table() -> None:
    """The spans the reader gives are the words as written (accents, apostrophes, hyphens kept)."""
    sentence = "On Tuesday the Islamic State’s Sahel Province and Jama’at Nusrat al-Islam wal-Muslimin clashed."
    assert [(a.name, a.family) for a in find_actors(sentence)] == [
        ("Islamic State’s Sahel Province", "ISGS"), ("Jama’at Nusrat al-Islam wal-Muslimin", "JNIM")]


def test_an_acronym_is_a_group_only_written_with_a_capital() -> None:
    assert [a.family for a in find_actors("On Tuesday MSA fighters attacked the village.")][0] == "Militia"
    assert "Militia" not in [a.family for a in find_actors("On Tuesday the msa road was attacked by gunmen.")]


def test_an_unknown_village_measured_from_a_town_falls_back_near_the_town(geocoder: Geocoder) -> None:
    """ACLED's way: a village the gazetteer does not know is placed at the named place it is measured from."""
    place = geocoder.geocode("Arbinda", country="BF")
    event = one_event("A convoy was ambushed on 18 August at Wendkouyaga-Nord, some twenty kilometres from Arbinda, "
                      "Burkina Faso, killing 30 soldiers.", geocoder)  # fmt: skip
    assert event["geo_precision"] == 2 and "twenty kilometres from Arbinda" in event["geo_note"]
    assert km(place.latitude, place.longitude, event["latitude"], event["longitude"]) < 1


def test_out_of_a_town_and_a_road_to_a_place_without_a_name(geocoder: Geocoder) -> None:
    event = one_event("BURKINA FASO: on 23 December a convoy of traders was attacked some twenty kilometres out of "
                      "Ouahigouya, killing 21.", geocoder)  # fmt: skip
    assert event["location"] == "Ouahigouya" and event["geo_precision"] == 2
    event = one_event("On 6 November gunmen ambushed a convoy of buses on the road between Fada N'Gourma and the "
                      "company's gold mine in Burkina Faso, killing 37 people.", geocoder)  # fmt: skip
    assert event["location"] == "Fada N'Gourma" and event["geo_precision"] == 2
    assert event["geo_note"].startswith("on the road between Fada N'Gourma")


def test_a_groups_own_statement_that_its_fighters_killed_names_the_perpetrator(geocoder: Geocoder) -> None:
    text = ("Twenty-three Nigerien soldiers were killed on 20 March in an ambush near Bankilare, Niger.\n\n"
            "The Islamic State said through its news agency that its fighters had killed 30 soldiers in the ambush.")
    event = one_event(text, geocoder)
    assert (event["group1"], event["group2"]) == ("ISGS", "State forces")


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("At least 21 people, including two attackers, were killed when gunmen stormed the hotel.", (21, 21, None)),
        ("Thirty people, most of them women, died in the raid.", (30, 30, 30)),
    ],
)
def test_a_figure_with_an_appositive_before_its_death_verb(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


def test_soldiers_who_only_recovered_the_bodies_or_responded_do_not_become_the_gunmen(geocoder: Geocoder) -> None:
    text = ("On Friday gunmen attacked a hotel in Sevare, Mali, and took hostages.\n\n"
            "At least thirteen bodies were recovered by the Malian armed forces after the siege.\n\n"
            "General Keita of the Malian army said soldiers had sealed off the area.")  # fmt: skip
    event = one_event(text, geocoder, day=date(2015, 8, 9))
    assert event["group1"] == "Other" and event["actor1"] == "gunmen"


def test_dead_mostly_of_one_kind_are_that_kind(geocoder: Geocoder) -> None:
    text = ("On Tuesday more than 70 people, most of them trainee gendarmes, were killed in an attack on the "
            "gendarmerie school in Bamako, Mali. JNIM claimed the attack.")  # fmt: skip
    event = one_event(text, geocoder, day=date(2024, 9, 19))
    assert (event["group1"], event["group2"]) == ("JNIM", "State forces")


@pytest.mark.parametrize(
    ("sentence", "families"),
    [
        ("As per reports, the army base in Djibo came under attack on Sunday, with hundreds of JNIM fighters "
         "entering it.", ["JNIM", "State forces"]),
        ("Al-Qaeda-linked jihadists attacked the resort.", ["JNIM"]),
        ("MUJAO, the Movement for Oneness and Jihad in West Africa, attacked the checkpoint.", ["JNIM"]),
    ],
)
def test_named_group_first_and_a_force_named_by_its_base_is_the_target(sentence: str, families: list) -> None:
    from geodata.text.actors import order_actors

    ordered = order_actors(sentence, find_actors(sentence), "Battles")
    assert [a.family for a in ordered] == families
    for actor in ordered:
        if actor.family != "State forces":
            assert family_of(actor.name) == actor.family


def test_every_figure_of_an_including_list_is_part_of_the_toll_not_a_rival() -> None:
    found = find_fatalities("A rights group counted 136 civilians, including 50 women and 21 children, killed on "
                            "20 April in the village.")  # fmt: skip
    assert (found.best, found.low, found.high) == (136, 136, 136)


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May gunmen ambushed a convoy on the road connecting Fada N'Gourma and Kompienga, Burkina Faso, "
        "killing 4 gendarmes.",
        "On 3 May gunmen ambushed a convoy on the highway linking Fada N'Gourma to Kompienga, Burkina Faso, "
        "killing 4 gendarmes.",
    ],
)
def test_a_road_linking_two_towns_is_near_the_first(sentence: str, geocoder: Geocoder) -> None:
    event = one_event(sentence, geocoder)
    assert event["location"] == "Fada N'Gourma" and event["geo_precision"] == 2
    assert "Kompienga" in event["geo_note"]


def test_a_region_of_another_country_of_the_text_is_found_there(geocoder: Geocoder) -> None:
    text = ("JNIM attacked the army camp at Boulkessi, Mali, on 1 June, killing 30 Malian soldiers; the Malian army "
            "said it repelled the attack. In Mali the army is stretched.\n\n"
            "And in Niger, more than 100 soldiers were killed in an attack in the Tahoua region on 24 May, security "
            "sources said.")  # fmt: skip
    result = extract_events(text, geocoder, document_day=date(2025, 6, 3))
    tahoua = result.events[result.events["location"].str.contains("Tahoua")]
    assert len(tahoua) == 1 and tahoua.iloc[0]["country_iso2"] == "NE" and tahoua.iloc[0]["geo_precision"] == 3


def test_who_only_speaks_is_no_party_and_a_groups_own_word_claims(geocoder: Geocoder) -> None:
    text = ("On 23 May a suicide bomber killed 19 soldiers at the army barracks in Agadez, Niger, according to a "
            "military source.\n\nThe jihadist Mujao group said it had carried out the attack.")  # fmt: skip
    event = one_event(text, geocoder)
    assert (event["group1"], event["group2"]) == ("JNIM", "State forces")


def test_a_lead_that_names_only_the_country_gives_its_toll_to_the_event_placed_later(geocoder: Geocoder) -> None:
    text = ("Forty-four people were killed on Friday in an attack on a mosque in Niger, the authorities said.\n\n"
            "The attack took place in Fambita, in the Tillaberi region.")  # fmt: skip
    event = one_event(text, geocoder, day=date(2025, 3, 22))
    assert event["location"] == "Fambita"
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (44, 44, 44)


def test_a_border_level_lead_gives_way_to_the_town_the_text_names_and_tolls_compete(geocoder: Geocoder) -> None:
    text = ("Dozens of soldiers were killed in an attack on a military camp in western Niger near the border with "
            "Mali on Tuesday, a security source said.\n\n"
            "The attack in the town of Inates in the Tillaberi region killed more than 60, the source said. Local "
            "media put the death toll at more than 70. The defence ministry later said that 71 soldiers were "
            "killed.")  # fmt: skip
    event = one_event(text, geocoder, day=date(2019, 12, 12))
    assert event["location"] == "Inates" and event["geo_precision"] <= 2
    assert 60 <= event["fatalities"] <= 71 and event["fatalities_high"] in (71, 99)


def test_the_group_that_claims_the_attack_is_its_perpetrator(geocoder: Geocoder) -> None:
    text = ("The attack in the town of Inates, Niger, on Tuesday is the deadliest on the military since the armed "
            "forces began fighting Islamist militants in 2015; 71 soldiers were killed.\n\n"
            "In a statement on Thursday, the Islamic State claimed the attack.")  # fmt: skip
    event = one_event(text, geocoder, day=date(2019, 12, 12))
    assert (event["group1"], event["group2"]) == ("ISGS", "State forces")


def test_the_displaced_go_somewhere_but_their_attack_is_still_placed() -> None:
    from geodata.text.rules import place_groups

    groups = place_groups("100 people were killed, 25 wounded, and over 1,000 displaced on January 2 following "
                          "attacks on two villages of Tchoma Bangou and Zaroumdareye.")  # fmt: skip
    assert groups[0].role == "event" and groups[0].names == ("Tchoma Bangou", "Zaroumdareye")
    groups = place_groups("Gunmen killed 12 people and 3,000 were displaced to Djibo.")
    assert [g.role for g in groups] == ["reference"]


def test_two_regions_with_their_own_dates_are_two_events(geocoder: Geocoder) -> None:
    text = ("In Niger, more than 100 soldiers were killed in two attacks in the Tahoua region on May 24 and the Dosso "
            "region on May 26, security sources said.")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2025, 6, 2)).events
    assert sorted(events["date_start"].dt.day) == [24, 26]
    assert (events["geo_precision"] == 3).all() and (events["country_iso2"] == "NE").all()


def test_a_colon_list_of_the_towns_attacked_gives_one_event_per_town(geocoder: Geocoder) -> None:
    text = ("Armed men struck five towns: Djibo, Arbinda and Kaya, in coordinated raids on Sunday, the "
            "army said in a statement.")  # fmt: skip
    result = extract_events(text, geocoder, document_day=date(2022, 3, 9))
    assert sorted(result.events["location"]) == ["Arbinda", "Djibo", "Kaya"], result.rejected
    assert set(result.events["date_start"].dt.date) == {date(2022, 3, 6)}


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("At least three police officers were killed and four civilians were wounded in the raid.", (3, 3, None)),
        ("The raid on the post resulted in at least twenty-one fatalities and nine injuries.", (21, 21, None)),
        ("A self-defence unit lost 25 members in the ambush near the village, the army said.", (25, 25, 25)),
        ("A spokesman for the mission said a peacekeeper was killed when the convoy came under fire.", (1, 1, 1)),
        ("One soldier was wounded and a civilian died later in hospital.", (1, 1, 1)),
    ],
)
def test_tolls_written_as_fatalities_losses_compound_and_singular_nouns(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


@pytest.mark.parametrize(
    "sentence",
    ["The army lost control of the town, and 3 soldiers were wounded in the fighting.",
     "Two soldiers were wounded and a civilian was abducted during the attack."],
)
def test_lost_ground_and_the_wounded_are_no_toll(sentence: str) -> None:
    assert find_fatalities(sentence) == find_fatalities("")


def test_a_follow_up_with_armed_dead_and_wounded_civilians_stays_one_event(geocoder: Geocoder) -> None:
    text = ("Militants attacked a police station in Ayorou, Niger, late on Tuesday, 9 May. At least three police "
            "personnel were killed and five civilians were wounded in the attack, a security source said.")  # fmt: skip
    event = one_event(text, geocoder)
    assert event["location"] == "Ayorou" and event["fatalities"] == 3


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("A Chadian peacekeeper and a Malian soldier were killed when the camp was shelled.", (2, 2, 2)),
        ("Gunmen stormed the hotel, killing two tourists, a Malian guard and a driver, the minister said.", (4, 4, 4)),
        ("At least 12 soldiers and a civilian were killed in the ambush.", (13, 13, None)),
        ("Three soldiers from Chad and a civilian driver were killed when the camp was shelled.", (4, 4, 4)),
        ("Gunmen killed six miners together with a trader and a driver.", (8, 8, 8)),
        ("The raid killed three soldiers, and a civilian was wounded.", (3, 3, 3)),
        ("Two civilians were killed and a soldier was wounded.", (2, 2, 2)),
        ("Gunmen killed seven people, including four guards, a gendarme and a civilian.", (7, 7, 7)),
    ],
)
def test_dead_counted_one_by_one_with_the_article(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


def test_eastern_burkina_faso_is_the_est_region_at_region_level(geocoder: Geocoder) -> None:
    event = one_event("At least eight people were killed and several wounded after an ambush on a bus carrying "
                      "workers of a Canadian mining firm in eastern Burkina Faso, two sources said on Thursday.",
                      geocoder)  # fmt: skip
    assert event["location"] == "Est region" and event["country_iso2"] == "BF"
    assert event["geo_precision"] == 3 and "eastern Burkina Faso" in event["geo_note"]
    assert event["fatalities"] == 8 and event["date_start"].date() <= date(2023, 5, 11) <= event["date_end"].date()


def test_northern_mali_stays_too_vague_and_an_earlier_attack_stays_a_reference(geocoder: Geocoder) -> None:
    vague = extract_events("Five soldiers were killed on Monday in an ambush in northern Mali, the army said.",
                           geocoder, document_day=date(2023, 5, 12))  # fmt: skip
    assert vague.events.empty and len(vague.rejected) == 1
    event = one_event("Gunmen killed nine villagers in Djibo on Monday, a week after the attack on a convoy near "
                      "Arbinda.", geocoder)  # fmt: skip
    assert event["location"] == "Djibo"


def test_the_dead_of_an_incident_a_time_clause_recalls_are_not_the_toll() -> None:
    recalled = find_fatalities("Soldiers repelled an assault on their camp in Gao on Sunday, two days after an "
                               "ambush near Ansongo left at least 20 soldiers dead.")  # fmt: skip
    assert recalled == find_fatalities("")
    own = find_fatalities("At least nine people were killed and 14 wounded after an attack on a bus near Kaya.")
    assert (own.best, own.low) == (9, 9)


def test_a_bare_figure_before_a_road_phrase_is_the_toll_on_that_road(geocoder: Geocoder) -> None:
    text = "Gunmen struck again on 3 May, killing five in Kaya and four on the road between Djibo and Arbinda."
    result = extract_events(text, geocoder, document_day=date(2023, 5, 12))
    tolls = dict(zip(result.events["location"], result.events["fatalities"], strict=True))
    assert tolls == {"Kaya": 5, "Djibo": 4}, result.events[["location", "fatalities", "notes"]]


@pytest.mark.parametrize(
    ("sentence", "town"),
    [
        ("Gunmen holding guests inside a hotel in Mali's capital, Bamako, killed 14 people on Friday.", "Bamako"),
        ("Attackers opened fire on a cafe in the Burkinabe capital Ouagadougou on Friday, killing nine.",
         "Ouagadougou"),
    ],
)
def test_the_capital_named_in_apposition_is_the_place(sentence: str, town: str, geocoder: Geocoder) -> None:
    assert one_event(sentence, geocoder)["location"] == town
