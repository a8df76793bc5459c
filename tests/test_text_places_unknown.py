"""Issue 18: villages the gazetteer lacks. A village named with the town or admin-2 unit the text puts it in ("X,
a hamlet in the department of Z", "X (Z department)") is placed there at precision 2 with a geo_note, rather than
dropped; a village with only a region or a country beside it is still refused. The village names below are
invented (checked absent from the gazetteer); every sentence is written here, none is copied from a report."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geodata.places.geocode import Geocoder, PlaceNotFound
from geodata.settings import Settings
from geodata.text import extract_events

DAY = date(2022, 3, 14)
INVENTED = ("Kourbaga", "Zelmatoura", "Tamakoulé", "Gourmabé")


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def test_the_invented_villages_are_not_in_the_gazetteer(geocoder: Geocoder) -> None:
    for name in INVENTED:
        for country in ("ML", "NE", "BF"):
            with pytest.raises(PlaceNotFound):
                geocoder.geocode(name, country=country)


def test_an_unknown_village_in_a_named_region_is_not_placed_at_the_region_capital(geocoder: Geocoder) -> None:
    # a region's capital lies 100-250 km from its villages: too far to stand for the village (MAX_UNIT_PRECISION)
    text = "On Saturday, jihadists overran the army post in Zelmatoura, in Mali's Ménaka region, killing 19 soldiers."
    result = extract_events(text, geocoder, document_day=DAY)
    assert result.events.empty
    assert list(result.rejected["reason"]) == ["place not found"] and result.rejected.iloc[0]["name"] == "Zelmatoura"


def test_an_unknown_village_in_a_named_department_is_placed_at_its_seat_precision_2(geocoder: Geocoder) -> None:
    text = "Gunmen on motorbikes killed eleven herders on Sunday at Tamakoulé, a hamlet in the department of Tillia."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    seat = geocoder.geocode("Tillia", country="NE")
    assert event["location"] == "Tamakoulé"
    assert (event["latitude"], event["longitude"]) == (seat.latitude, seat.longitude)
    assert event["geo_precision"] == 2 and event["admin2"] == "Tillia"
    assert "town or district" in event["geo_note"] and "Tillia" in event["geo_note"]


def test_several_unknown_villages_of_one_unit_are_each_an_event_there(geocoder: Geocoder) -> None:
    text = "Attackers burned the villages of Kourbaga and Tamakoulé (Tillia department) on Monday, killing 7."
    events = extract_events(text, geocoder, document_day=DAY).events
    assert sorted(events["location"]) == ["Kourbaga", "Tamakoulé"]
    assert set(events["geo_precision"]) == {2} and set(events["admin2"]) == {"Tillia"}
    # one toll for both villages is neither village's (the labelling GUIDE's way); the notes keep it, never twice
    assert events["fatalities"].isna().all() and "toll 7 for all 2 places" in events.iloc[0]["notes"]
    assert events["geo_note"].str.contains("not in the gazetteer").all()


def test_a_country_beside_an_unknown_village_is_not_a_unit_to_place_it_at(geocoder: Geocoder) -> None:
    result = extract_events("Gunmen killed nine civilians on Tuesday in Gourmabé, central Mali.", geocoder,
                            document_day=DAY)  # fmt: skip
    assert result.events.empty
    assert list(result.rejected["reason"]) == ["place not found"]
    assert result.rejected.iloc[0]["name"] == "Gourmabé"


def test_a_known_place_of_the_sentence_wins_over_the_fallback(geocoder: Geocoder) -> None:
    text = "On Friday gunmen killed six people in Djibo and attacked Kourbaga, a village of the Sahel region."
    events = extract_events(text, geocoder, document_day=DAY).events
    assert list(events["location"]) == ["Djibo"]
    assert events.iloc[0]["geo_precision"] == 1 and pd.isna(events.iloc[0].get("geo_note", pd.NA))


def test_a_placing_holds_for_later_mentions_of_the_village_in_the_document(geocoder: Geocoder) -> None:
    text = (
        "Gunmen killed eleven herders on Sunday at Tamakoulé, a hamlet in the department of Tillia.\n\n"
        "On Wednesday, gunmen returned to Tamakoulé and killed four more people."
    )
    events = extract_events(text, geocoder, document_day=DAY).events
    assert list(events["location"]) == ["Tamakoulé", "Tamakoulé"]
    assert set(events["admin2"]) == {"Tillia"} and set(events["geo_precision"]) == {2}
    assert list(events["fatalities"]) == [11, 4]
    # another document knows nothing of it
    alone = extract_events("On Wednesday, gunmen killed four people in Tamakoulé.", geocoder, document_day=DAY)
    assert alone.events.empty and list(alone.rejected["reason"]) == ["place not found"]


def test_a_unit_written_with_its_country_places_an_unknown_village_at_its_seat(geocoder: Geocoder) -> None:
    text = "Armed men killed 21 villagers on Thursday in Kourbaga, a Dogon village in Mali's Bankass Cercle."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    seat = geocoder.geocode("Bankass", country="ML")
    assert event["location"] == "Kourbaga" and event["geo_precision"] == 2 and event["admin2"] == "Bankass"
    assert (event["latitude"], event["longitude"]) == (seat.latitude, seat.longitude)
    assert "Bankass Cercle" in event["geo_note"]


def test_a_fuzzy_match_on_part_of_a_longer_name_is_not_the_village(geocoder: Geocoder) -> None:
    # the geocoder alone takes the unknown Sirakorola for Sirakoro Méguétana, a village about 110 km away
    assert geocoder.geocode("Sirakorola", country="ML").matched_name == "Sirakoro Méguétana"
    text = "On Friday, jihadists attacked the army post at Sirakorola in Mali, killing three soldiers."
    result = extract_events(text, geocoder, document_day=DAY)
    assert result.events.empty
    assert "part of a longer name" in result.rejected.iloc[0]["candidates"]
    # a misspelling of the same length is still read as the town ("Ouagadougo")
    town = extract_events("Gunmen killed four people in Ouagadougo on Friday.", geocoder, document_day=DAY).events
    assert list(town["location"]) == ["Ouagadougo"] and town.iloc[0]["country_iso2"] == "BF"


def test_an_unnamed_village_in_a_cercle_written_circle_is_placed_at_its_seat(geocoder: Geocoder) -> None:
    # English wire copy writes Mali's cercles as "Circle"
    text = "Gunmen killed 12 civilians on Thursday in a village in the Bankass Circle, in Mali's Mopti region."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    assert event["location"] == "the Bankass Circle" and event["geo_precision"] == 2 and event["admin2"] == "Bankass"
    assert event["fatalities"] == 12


def test_a_settlement_called_or_known_as_a_name_is_a_place(geocoder: Geocoder) -> None:
    text = "Gunmen stormed a village called Solhan before dawn on Saturday and killed 132 people."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    assert event["location"] == "Solhan" and event["geo_precision"] == 1 and event["country_iso2"] == "BF"
    unknown = "On Sunday, jihadists raided a hamlet known as Kourbaga in the department of Tillia, killing five."
    event = extract_events(unknown, geocoder, document_day=DAY).events.iloc[0]
    assert event["location"] == "Kourbaga" and event["geo_precision"] == 2 and event["admin2"] == "Tillia"
    # "a man called X" stays a person
    person = "A herder called Tillia told reporters that gunmen killed five people on Friday."
    assert extract_events(person, geocoder, document_day=DAY).events.empty


def test_an_unknown_village_listed_with_a_known_one_is_placed_near_it(geocoder: Geocoder) -> None:
    text = "On Sunday gunmen attacked the villages of Kourbaga, Djibo and Tamakoulé, killing 20 people."
    events = extract_events(text, geocoder, document_day=DAY).events
    assert list(events["location"]) == ["Kourbaga", "Djibo", "Tamakoulé"]  # one event per village, as ACLED does
    djibo = events.set_index("location").loc["Djibo"]
    assert djibo["geo_precision"] == 1
    for name in ("Kourbaga", "Tamakoulé"):
        row = events.set_index("location").loc[name]
        assert (row["latitude"], row["longitude"]) == (djibo["latitude"], djibo["longitude"])
        assert row["geo_precision"] == 2
        assert row["geo_note"] == f"{name} is not in the gazetteer: placed near Djibo, listed with it"
    # names joined without a settlement word are not a list of villages: the unknown one stays unplaced
    loose = extract_events("On Sunday gunmen attacked Kourbaga and Djibo, killing 20 people.", geocoder,
                           document_day=DAY)  # fmt: skip
    assert list(loose.events["location"]) == ["Djibo"] and "Kourbaga" in set(loose.rejected["name"])


def test_an_exact_homonym_in_a_country_the_text_never_names_is_not_the_village(geocoder: Geocoder) -> None:
    # the gazetteer's Soro is in Côte d'Ivoire; a report on Burkina Faso means a Burkinabe village it lacks
    assert geocoder.geocode("Soro").country_iso2 == "CI"
    text = "Burkina Faso: soldiers killed 179 villagers in Soro on Sunday, survivors said."
    result = extract_events(text, geocoder, document_day=DAY)
    assert result.events.empty
    assert "a country the text never names" in result.rejected.iloc[0]["candidates"]
    # the same name in a report that names Côte d'Ivoire is that place
    ivorian = extract_events("Ivorian police said gunmen killed three traders in Soro on Sunday, near Burkina Faso.",
                             geocoder, document_day=DAY).events  # fmt: skip
    assert list(ivorian["country_iso2"]) == ["CI"]


def test_an_unknown_village_at_its_province_beats_the_border_named_after_it(geocoder: Geocoder) -> None:
    # the province's seat (precision 2) says more about where the village lies than "the border with Mali"
    text = ("On Friday, some forty gunmen overran the army post in Kourbaga, Soum Province, Burkina Faso, about 25 km "
            "from the border with Mali, killing 9 soldiers.")  # fmt: skip
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    seat = geocoder.geocode("Soum Province", country="BF")
    assert event["location"] == "Kourbaga" and event["geo_precision"] == 2
    assert (event["latitude"], event["longitude"]) == (seat.latitude, seat.longitude)
    assert "Soum Province" in event["geo_note"]


def test_a_known_town_named_after_an_unknown_village_in_its_province_still_wins(geocoder: Geocoder) -> None:
    text = "On Friday gunmen attacked Kourbaga, Soum Province, and then the town of Djibo, killing 9 soldiers."
    events = extract_events(text, geocoder, document_day=DAY).events
    assert "Djibo" in set(events["location"]) and "Kourbaga" not in set(events["location"])


def test_a_misspelling_is_trusted_only_inside_the_regions_the_text_names(geocoder: Geocoder) -> None:
    # "Kouttiala" scores 94 against Koutiala (Sikasso region): in a report on the Bankass cercle (Mopti region) it
    # is a village the gazetteer lacks, not that town 250 km away; in a report on the Sikasso region it is the town
    elsewhere = "On Sunday gunmen raided the village of Kouttiala in the Bankass cercle of Mali, killing four."
    result = extract_events(elsewhere, geocoder, document_day=DAY)
    assert "Koutiala" not in set(result.events.get("location", pd.Series(dtype=str)))
    assert all(abs(lat - 12.39) > 0.5 for lat in result.events.get("latitude", []))
    inside = "On Sunday gunmen raided Kouttiala, a town of Mali's Sikasso region, killing four."
    event = extract_events(inside, geocoder, document_day=DAY).events.iloc[0]
    town = geocoder.geocode("Koutiala", country="ML")
    assert (event["latitude"], event["longitude"]) == (town.latitude, town.longitude)


def test_villages_named_before_their_plural_noun_are_each_placed_at_the_unit_after_them(geocoder: Geocoder) -> None:
    text = "The raid on Sunday hit both Kourbaga and Tamakoulé villages in the Bankass cercle, killing nine."
    events = extract_events(text, geocoder, document_day=DAY).events
    seat = geocoder.geocode("Bankass cercle", country="ML")
    assert sorted(events["location"]) == ["Kourbaga", "Tamakoulé"]
    assert set(events["geo_precision"]) == {2}
    assert set(zip(events["latitude"], events["longitude"], strict=True)) == {(seat.latitude, seat.longitude)}


def test_peoples_named_before_villages_are_no_places() -> None:
    from geodata.text.rules import _BEFORE_SETTLEMENT_NOUN

    assert _BEFORE_SETTLEMENT_NOUN.search("Fires spread through Fulani and Dogon villages after the raid.") is None
    found = _BEFORE_SETTLEMENT_NOUN.search("Fires spread through the Kourbaga and Tamakoulé villages after the raid.")
    assert found is not None and found.group("names") == "Kourbaga and Tamakoulé"


def test_a_road_end_far_from_the_other_is_a_homonym_not_the_place(geocoder: Geocoder) -> None:
    # the gazetteer's only Boni lies in Mali, some 470 km from Torodi (Niger): no road in a report on Niger joins them
    text = "On Monday an army convoy driving between Boni and Torodi in Niger was ambushed, killing six soldiers."
    result = extract_events(text, geocoder, document_day=DAY)
    event = result.events.iloc[0]
    assert event["location"] == "Torodi" and event["country_iso2"] == "NE"
    assert "Boni" in str(result.rejected.iloc[0]["name"])


def test_the_two_ends_of_a_short_road_are_both_kept(geocoder: Geocoder) -> None:
    from geodata.text.places import PlaceLookup
    from geodata.text.rules import place_groups

    text = "On Monday a convoy driving between Djibo and Arbinda in Burkina Faso was ambushed, killing six soldiers."
    lookup = PlaceLookup(geocoder, ("BF",), text)
    found, tried, _ = lookup.first_group([g for g in place_groups(text) if g.role == "event"], text)
    assert [name for name, _ in found] == ["Djibo", "Arbinda"] and tried == []


def test_an_unknown_village_said_to_be_near_a_town_is_placed_near_that_town(geocoder: Geocoder) -> None:
    # ACLED's nearest named place, precision 2: the town named beside the village stands in for it
    text = "Gunmen killed five herders on Sunday in Kourbaga, a village near Djibo, the governor said."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    town = geocoder.geocode("Djibo", country="BF")
    assert event["geo_precision"] == 2
    assert (event["latitude"], event["longitude"]) == (town.latitude, town.longitude)


def test_a_known_village_near_a_town_keeps_its_own_point(geocoder: Geocoder) -> None:
    text = "Gunmen killed five herders on Sunday in Arbinda, a town near Djibo, the governor said."
    event = extract_events(text, geocoder, document_day=DAY).events.iloc[0]
    assert event["location"] == "Arbinda" and event["geo_precision"] == 1


def test_unknown_villages_go_near_the_town_a_later_sentence_says_the_attack_happened_near(geocoder: Geocoder) -> None:
    text = ("Gunmen on Sunday raided the villages of Kourbaga and Tamakoulé, killing 12 herders, the governor said.\n\n"
            "Residents fled towards the provincial capital.\n\n"
            "The latest attacks took place close to the town of Arbinda, long under blockade.")  # fmt: skip
    events = extract_events(text, geocoder, document_day=DAY).events
    town = geocoder.geocode("Arbinda", country="BF")
    villages = events[events["location"].isin(["Kourbaga", "Tamakoulé"])]
    assert sorted(villages["location"]) == ["Kourbaga", "Tamakoulé"]
    assert set(villages["geo_precision"]) == {2}
    assert set(zip(villages["latitude"], villages["longitude"], strict=True)) == {(town.latitude, town.longitude)}
    assert villages["geo_note"].str.contains("placed near Arbinda").all()


def test_unknown_names_not_called_villages_are_not_moved_to_where_an_attack_happened(geocoder: Geocoder) -> None:
    # "Kourbaga" here is no village the text names as one: it stays a place not found
    text = ("Gunmen on Sunday killed 12 herders at Kourbaga, the governor said.\n\n"
            "The latest attacks took place close to the town of Arbinda, long under blockade.")  # fmt: skip
    result = extract_events(text, geocoder, document_day=DAY)
    assert "Kourbaga" not in set(result.events.get("location", pd.Series(dtype=str)))
    assert "Kourbaga" in set(result.rejected["name"].astype(str))
