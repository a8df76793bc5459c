"""General reading rules for real reporting (issue 9, second pass): who is a party, whose dead are victims, what
is no place, dates over a stretch of time, one event per dated place. Every fixture sentence is made up here, in
varied wording, about made-up or well-known places; none comes from the corpus."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text.extract import extract_events
from geodata.text.rules import place_groups


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def events(text: str, geocoder: Geocoder, day: date | None = date(2023, 5, 12)):
    result = extract_events(text, geocoder, document_day=day)
    return result.events.reset_index(drop=True), result.rejected


def pairs(frame) -> list[tuple]:
    return [(row.location, row.group1, row.group2) for row in frame.itertuples()]


# ---------------------------------------------------------------- parties and victims


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May, eleven pupils were killed when an army drone struck a Koranic school in Douentza.",
        "Seven villagers were shot dead by soldiers at the weekly market of Djibo on 3 May.",
        "On 3 May Nigerien troops killed 12 herders near Ayorou, relatives said.",
    ],
)
def test_the_dead_of_a_state_attack_are_civilians_and_no_third_party(sentence: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    assert len(frame) == 1
    assert {frame.loc[0, "group1"], frame.loc[0, "group2"]} == {"State forces", "Civilians"}
    assert frame.loc[0, "event_type"] == "Violence against civilians"


@pytest.mark.parametrize(
    "text",
    [
        "MINUSMA strongly condemns the attack on Ogossagou on 3 May, in which 20 villagers were killed.",
        "The African Union condemned the killing of 15 civilians in Djibo on 3 May.",
        "The UN (OCHA) deplored the deaths of 9 traders on the road near Ansongo on 3 May.",
    ],
)
def test_who_only_condemns_the_violence_is_no_party(text: str, geocoder: Geocoder) -> None:
    frame, _ = events(text, geocoder)
    assert len(frame) == 1
    assert {frame.loc[0, "group1"], frame.loc[0, "group2"]} == {"Other", "Civilians"}
    assert "MINUSMA" not in str(frame.loc[0, "actor1"]) and "Union" not in str(frame.loc[0, "actor1"])
    assert frame.loc[0, "actor1"] == "unidentified armed group"


def test_a_later_attribution_names_the_perpetrator_of_a_civilian_toll(geocoder: Geocoder) -> None:
    text = (
        "Gunmen raided the village of Sobane Da overnight on 3 May.\n\n"
        "According to the Government of Mali, 35 civilians were killed. The authorities attribute the raid to "
        "fighters of Katiba Macina."
    )
    frame, rejected = events(text, geocoder)
    assert pairs(frame) == [("Sobane Da", "JNIM", "Civilians")]
    assert frame.loc[0, "fatalities"] == 35
    assert not rejected["reason"].astype(str).str.startswith("place too vague").any()


@pytest.mark.parametrize(
    ("sentence", "not_places"),
    [
        ("According to the Government of Mali, 132 people were killed.", {"Mali"}),
        ("The Ministry of Defence of Niger said 12 soldiers were killed in Tillia.", {"Niger"}),
        ("The president of Burkina Faso visited the wounded after the attack on Seytenga.", {"Burkina Faso"}),
    ],
)
def test_the_country_of_an_institution_is_no_place(sentence: str, not_places: set[str]) -> None:
    names = {name for group in place_groups(sentence) for name in group.names}
    assert not names & not_places


def test_a_local_officials_town_stays_a_place() -> None:
    groups = place_groups("Forty members of a vigilance committee led by the mayor of Banibangou were killed.")
    assert any("Banibangou" in group.names for group in groups)


# ---------------------------------------------------------------- the headline's place


def test_the_headline_places_the_first_incident_that_names_no_place(geocoder: Geocoder) -> None:
    text = (
        "Live: assault on the army camp in Djibo\n\n"
        "Updated 14 May 2023, 09:00\n\n"
        "Gunmen stormed the camp before dawn on Saturday and killed at least 30 soldiers, security sources said.\n\n"
        "Later on 13 May insurgents ambushed a patrol near Tessit, killing four soldiers."
    )
    frame, _ = events(text, geocoder, day=None)
    assert list(frame["location"]) == ["Djibo", "Tessit"]
    assert frame.loc[0, "date_start"].date() == date(2023, 5, 13) and frame.loc[0, "fatalities"] == 30
    assert frame.loc[0, "place_basis"].startswith("the headline")


@pytest.mark.parametrize(
    "headline",
    ["Sahel security notebook", "Why the army left Djibo", "Attacks in Djibo and Arbinda"],
)
def test_a_headline_without_one_place_tied_to_violence_places_nothing(headline: str, geocoder: Geocoder) -> None:
    text = f"{headline}\n\nPublished 14 May 2023\n\nGunmen killed 30 soldiers on Saturday, officials said."
    frame, rejected = events(text, geocoder, day=None)
    assert frame.empty
    assert list(rejected["reason"]) == ["no place"]


# ---------------------------------------------------------------- words of violence, containers


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May armed men surrounded the market of Djibo and opened fire on traders.",
        "Soldiers fired on a crowd in Djibo on 3 May.",
        "On 3 May gunmen on motorbikes shot at a bus near Djibo.",
        "A village chief was gunned down in Djibo on 3 May.",
    ],
)
def test_firing_on_people_is_violence(sentence: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    assert list(frame["location"]) == ["Djibo"]


def test_a_quarter_of_a_rural_commune_is_the_place_and_the_commune_its_container() -> None:
    sentence = "Gunmen opened fire in Tamou, a quarter of the rural commune of Say, killing six people."
    groups = place_groups(sentence)
    assert groups[0].names == ("Tamou",) and groups[0].role == "event" and "Say" in groups[0].hints
    assert next(g for g in groups if g.names == ("Say",)).role == "container"


# ---------------------------------------------------------------- who searched, who left, who is blamed


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed 40 villagers in Seytenga on 6 May. On 7 May soldiers searched the houses of Seytenga and "
        "found 40 bodies.",
        "Gunmen killed 40 villagers in Seytenga on 6 May. Gendarmes later combed the bush around Seytenga and "
        "retrieved more bodies on 7 May.",
    ],
)
def test_soldiers_who_only_searched_for_the_dead_are_no_party(text: str, geocoder: Geocoder) -> None:
    frame, _ = events(text, geocoder)
    assert "State forces" not in set(frame["group1"]) | set(frame["group2"])


def test_an_army_that_had_left_before_the_attack_is_no_party(geocoder: Geocoder) -> None:
    text = (
        "Armed men killed 21 villagers in Ogossagou on 6 May, a few hours after the army detachment posted in the "
        "village had withdrawn. Local officials suspect the Dan Na Ambassagou militia."
    )
    frame, _ = events(text, geocoder)
    assert pairs(frame) == [("Ogossagou", "Militia", "Civilians")]


@pytest.mark.parametrize(
    "claim",
    [
        "A resident of Mondoro said the attackers there presented themselves as fighters of JNIM.",
        "In Mondoro, witnesses said the assailants identified themselves as members of the ISGS.",
    ],
)
def test_a_claim_by_name_reaches_its_place_even_when_two_places_share_a_point(claim: str, geocoder: Geocoder) -> None:
    text = (
        "BAMAKO, 8 May 2023 — Militants attacked army camps at Boulkessi and Mondoro on Monday, killing soldiers.\n\n"
        f"Officials blamed Ansarul Islam for the attack at Boulkessi. {claim}"
    )
    frame, _ = events(text, geocoder, day=None)
    families = {row.location: {row.group1, row.group2} for row in frame.itertuples()}
    expected = "JNIM" if "JNIM" in claim else "ISGS"
    assert families["Boulkessi"] == {"State forces", "Ansarul Islam"}
    assert families["Mondoro"] == {"State forces", expected}


@pytest.mark.parametrize(
    ("sentence", "violent"),
    [
        ("Fighters seized the army base at Boni.", True),
        ("The group said its men had captured two military posts near Boni.", True),
        ("Rebels took control of the town of Ber on Sunday.", True),
        ("The JNIM says it seized three vehicles and 142 rifles.", False),
        ("Customs officers seized 40 kg of cannabis at the border.", False),
    ],
)
def test_taking_a_base_or_a_town_is_violence_but_seizing_goods_is_not(sentence: str, violent: bool) -> None:
    from geodata.text.rules import event_keyword

    assert (event_keyword(sentence) is not None) == violent


def test_a_group_named_as_taking_the_base_is_the_attacker_the_first_report_left_unnamed(geocoder: Geocoder) -> None:
    text = (
        "BAMAKO, 4 February 2021 — Ten soldiers were killed when militants stormed the army post at Boni on "
        "Wednesday.\n\nA channel close to al-Qaeda said on Telegram that fighters of the GSIM had seized the base "
        "at Boni."
    )
    frame, _ = events(text, geocoder, day=None)
    assert pairs(frame) == [("Boni", "JNIM", "State forces")]  # the attacker first, as the labelling guide says


# ---------------------------------------------------------------- a stretch of time up to the writing


@pytest.mark.parametrize(
    ("sentence", "start", "precision"),
    [
        ("For three weeks fighting between JNIM and the ISGS has raged around Tessit.", date(2023, 4, 21),
         "month"),
        ("Over the past ten days clashes between JNIM and the ISGS have killed dozens near Tessit.",
         date(2023, 5, 2), "month"),
        ("Fighting between JNIM and the ISGS around Tessit has raged for five days.", date(2023, 5, 7), "week"),
        ("At least 40 people have been killed in two weeks of fighting between JNIM and the ISGS near Tessit.",
         date(2023, 4, 28), "month"),
    ],
)
def test_a_stretch_up_to_the_writing_ends_on_the_document_date(sentence: str, start: date, precision: str,
                                                                geocoder: Geocoder) -> None:  # fmt: skip
    frame, _ = events(sentence, geocoder)
    assert len(frame) == 1
    assert (frame.loc[0, "date_start"].date(), frame.loc[0, "date_end"].date()) == (start, date(2023, 5, 12))
    assert frame.loc[0, "date_precision"] == precision


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2020 JNIM besieged Farabougou for two weeks.",
        "The siege of Farabougou lasted for two weeks.",
    ],
)
def test_a_past_stretch_is_not_anchored_on_the_writing(sentence: str, geocoder: Geocoder) -> None:
    frame, rejected = events(sentence, geocoder)
    assert frame.empty or frame.loc[0, "date_end"].date() != date(2023, 5, 12)


# ---------------------------------------------------------------- several places, each with its own date or toll


def test_places_told_in_turn_with_their_own_dates_are_events_of_their_own(geocoder: Geocoder) -> None:
    text = (
        "NIAMEY, 20 March 2022 — ISGS fighters attacked army posts at Tillia on 2 March, then at Banibangou the "
        "following day and at Ayorou on 9 March, before moving on Inatès last week."
    )
    frame, _ = events(text, geocoder, day=None)
    got = {row.location: (row.date_start.date(), row.date_end.date()) for row in frame.itertuples()}
    assert got == {
        "Tillia": (date(2022, 3, 2), date(2022, 3, 2)),
        "Banibangou": (date(2022, 3, 3), date(2022, 3, 3)),
        "Ayorou": (date(2022, 3, 9), date(2022, 3, 9)),
        "Inatès": (date(2022, 3, 7), date(2022, 3, 13)),
    }
    assert set(frame["group1"]) | set(frame["group2"]) == {"ISGS", "State forces"}


def test_places_with_their_own_tolls_each_keep_their_own(geocoder: Geocoder) -> None:
    text = "On 3 May gunmen killed 12 villagers in Tillia, four in Banibangou and nine in Ayorou."
    frame, _ = events(text, geocoder)
    assert dict(zip(frame["location"], frame["fatalities"], strict=True)) == {"Tillia": 12, "Banibangou": 4,
                                                                               "Ayorou": 9}  # fmt: skip


def test_places_sharing_one_date_and_toll_keep_one_total(geocoder: Geocoder) -> None:
    text = "On 3 May gunmen killed 25 villagers in Tillia and Banibangou, officials said."
    frame, _ = events(text, geocoder)
    assert list(frame["location"]) == ["Tillia", "Banibangou"]
    assert frame["fatalities"].tolist()[0] == 25 and frame["fatalities"].isna().tolist()[1]


@pytest.mark.parametrize(
    ("sentence", "family"),
    [
        ("On 3 May the EIGS fought CSP fighters near Ménaka.", "Militia"),
        ("On 3 May CSP-DPA rebels ambushed an army convoy near Kidal.", "Other"),
        ("On 3 May the CSP-PSD attacked the army camp at Bourem.", "Other"),
    ],
)
def test_the_csp_of_2022_is_a_militia_its_rebel_successors_are_not(sentence: str, family: str,
                                                                   geocoder: Geocoder) -> None:  # fmt: skip
    frame, _ = events(sentence, geocoder)
    assert family in {frame.loc[0, "group1"], frame.loc[0, "group2"]}


# ---------------------------------------------------------------- a convoy's destination, fighting that goes on


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May rebels ambushed an army convoy heading for Tinzaouaten, in the Kidal region.",
        "On 3 May JNIM fighters ambushed a supply convoy bound for Djibo.",
        "Gunmen attacked lorries en route to Djibo on 3 May.",
    ],
)
def test_a_convoy_hit_on_its_way_is_placed_near_its_destination_not_its_region(sentence: str,
                                                                               geocoder: Geocoder) -> None:  # fmt: skip
    frame, _ = events(sentence, geocoder)
    assert len(frame) == 1
    assert frame.loc[0, "location"] in ("Tinzaouaten", "Djibo") and frame.loc[0, "geo_precision"] >= 2


def test_fighting_that_resumes_extends_the_incident(geocoder: Geocoder) -> None:
    text = (
        "KIDAL, 30 July 2024 — The fighting began on Thursday, 25 July, when rebels ambushed an army convoy near "
        "Tinzaouaten. A sandstorm halted the fighting on Friday; it resumed until Saturday."
    )
    frame, _ = events(text, geocoder, day=None)
    assert len(frame) == 1
    assert (frame.loc[0, "date_start"].date(), frame.loc[0, "date_end"].date()) == (date(2024, 7, 25),
                                                                                   date(2024, 7, 27))  # fmt: skip


def test_an_assault_that_lasted_hours_still_narrows_to_its_day(geocoder: Geocoder) -> None:
    text = (
        "NIAMEY, Dec 12, 2019 — Niger on Thursday mourned 71 soldiers killed when militants overran the army camp "
        "at Inatès. The ministry said the assault began on Tuesday evening and lasted about three hours."
    )
    frame, _ = events(text, geocoder, day=None)
    assert (frame.loc[0, "date_start"].date(), frame.loc[0, "date_end"].date()) == (date(2019, 12, 10),
                                                                                   date(2019, 12, 10))  # fmt: skip


# ---------------------------------------------------------------- "the town", "there": the paragraph's place


def test_the_town_is_the_place_its_paragraph_is_about_not_the_last_event(geocoder: Geocoder) -> None:
    text = (
        "NIAMEY, 5 May 2021 — Gunmen killed 16 soldiers at Tillia on Tuesday.\n\n"
        "Ayorou has suffered repeatedly this year. In mid-March, gunmen stopped lorries leaving the town's "
        "weekly market and killed 30 traders."
    )
    frame, _ = events(text, geocoder, day=None)
    assert list(frame["location"]) == ["Tillia", "Ayorou"]


def test_there_points_at_the_violence_of_a_time_clause_not_at_the_capital(geocoder: Geocoder) -> None:
    text = (
        "What we know about the raid\n\n"
        "Published 20 June 2024\n\n"
        "Ten days after the raid on Sebba, the authorities in Ouagadougou have said nothing. JNIM claimed on "
        "Sunday that its men had overrun the army post there on 9 June, killing 30 soldiers."
    )
    frame, _ = events(text, geocoder, day=None)
    assert list(frame["location"]) == ["Sebba"]
    assert frame.loc[0, "date_start"].date() == date(2024, 6, 9)


def test_a_capital_standing_for_its_government_is_no_place() -> None:
    groups = place_groups("The junta in Bamako and the authorities in Niamey condemned the killings.")
    assert not {name for group in groups for name in group.names} & {"Bamako", "Niamey"}


# ---------------------------------------------------------------- villages that share a seat's stand-in point


def test_a_second_village_placed_at_the_same_seat_point_is_an_event_of_its_own(geocoder: Geocoder) -> None:
    text = (
        "BAMAKO, 4 July 2024 — At least 21 people were killed on Monday in an attack on the village of Djiguibombo.\n\n"
        "The attackers then moved on to the nearby village of Sokorokanda, where they killed two more people."
    )
    frame, _ = events(text, geocoder, day=None)
    assert dict(zip(frame["location"], frame["fatalities"], strict=True)) == {"Djiguibombo": 21, "Sokorokanda": 2}
    assert frame["date_start"].nunique() == 1  # the second village takes the incident's date
    # both points are Bandiagara's: only their names tell them apart
    assert frame[["latitude", "longitude"]].drop_duplicates().shape[0] == 1


def test_one_village_written_two_ways_stays_one_event(geocoder: Geocoder) -> None:
    text = (
        "NIAMEY, 26 July 2021 — Gunmen killed 14 villagers in the Banibangou commune on Sunday.\n\n"
        "The killings in Banibangou were the third this month."
    )
    frame, _ = events(text, geocoder, day=None)
    assert len(frame) == 1


# ---------------------------------------------------------------- allies against civilians, rivals between them


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May soldiers and VDP militiamen killed 40 Fulani civilians around Djibo, accusing them of hiding "
        "jihadists.",
        "On 3 May the army, backed by Wagner mercenaries, executed 30 villagers in Djibo.",
    ],
)
def test_allies_named_together_before_the_killing_are_one_perpetrator(sentence: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    assert pairs(frame) == [("Djibo", "State forces", "Civilians")]
    assert frame.loc[0, "event_type"] == "Violence against civilians"


def test_rivals_that_fought_and_executed_civilians_stay_a_pair(geocoder: Geocoder) -> None:
    frame, _ = events("In April 2023 JNIM and ISGS fighters battled around Tessit and both executed civilians.",
                      geocoder)  # fmt: skip
    assert {frame.loc[0, "group1"], frame.loc[0, "group2"]} == {"JNIM", "ISGS"}


# ---------------------------------------------------------------- counts of incidents and of the dead


def test_a_count_of_incidents_is_no_place() -> None:
    groups = place_groups("Two attacks claimed by JNIM struck the boat near Banikane and the army post at Bamba.")
    names = {name for group in groups for name in group.names}
    assert "Two" not in names and {"Banikane", "Bamba"} <= names


def test_a_count_of_the_dead_in_its_own_paragraph_continues_the_incident(geocoder: Geocoder) -> None:
    text = (
        "Posted 7 June 2021\n\n"
        "Gunmen attacked the village of Solhan overnight on Saturday.\n\n"
        "The government counted 132 dead on Saturday; a local official later said 160 bodies had been buried."
    )
    frame, rejected = events(text, geocoder, day=None)
    assert list(frame["location"]) == ["Solhan"] and frame.loc[0, "fatalities"] == 132
    assert rejected.empty


# ---------------------------------------------------------------- observers, allies among the dead


def test_a_un_mission_that_only_reports_on_a_strike_is_no_party(geocoder: Geocoder) -> None:
    frame, _ = events("MINUSMA on Tuesday published its inquiry into the air strike on Bounti on 3 May, which killed "
                      "19 guests.", geocoder)  # fmt: skip
    assert "MINUSMA" not in set(frame["actor1"].dropna()) | set(frame["actor2"].dropna())


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May a jihadist attack near Aorema killed six soldiers and at least 34 VDP auxiliaries.",
        "The massacre followed an attack on 3 May near Aorema, in which six gendarmes and at least 12 VDP "
        "auxiliaries were killed.",
    ],
)
def test_soldiers_and_auxiliaries_among_the_dead_face_an_unnamed_attacker(sentence: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    assert frame.loc[0, "group1"] == "Other" and frame.loc[0, "group2"] == "State forces"
    assert frame.loc[0, "event_type"] == "Battles"


@pytest.mark.parametrize(
    "tail",
    [
        "the chief of staff said during a visit on Sunday",
        "the minister said at a press conference on Sunday",
        "officials told reporters in a briefing last Sunday",
    ],
)
def test_the_day_of_a_visit_or_briefing_is_not_the_day_of_the_violence(tail: str, geocoder: Geocoder) -> None:
    text = (f"Round-up, issued Wednesday 13 September 2023\n\nFriday. A suicide attack on the army camp in Gao killed "
            f"ten soldiers, {tail}.")
    frame, _ = events(text, geocoder, day=None)
    assert frame.loc[0, "date_start"].date() == date(2023, 9, 8)


# ---------------------------------------------------------------- a road between two places, dead with no noun


def test_an_attack_between_two_places_is_one_event_on_the_road(geocoder: Geocoder) -> None:
    frame, _ = events("On 3 May gunmen attacked a bus travelling between Tillia and Abala.", geocoder)
    assert list(frame["location"]) == ["Tillia"]
    assert "Abala" in frame.loc[0, "notes"]


def test_villages_listed_after_in_stay_one_event_each(geocoder: Geocoder) -> None:
    frame, _ = events("On 3 May gunmen attacked the villages of Tillia and Abala.", geocoder)
    assert list(frame["location"]) == ["Tillia", "Abala"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 May gunmen on motorcycles attacked a lorry near Abala and set it on fire. The ministry reported at "
        "least 18 dead.",
        "On 3 May gunmen attacked a lorry near Abala, leaving 18 dead.",
    ],
)
def test_the_dead_left_by_unnamed_gunmen_with_no_armed_target_are_civilians(text: str, geocoder: Geocoder) -> None:
    frame, _ = events(text, geocoder)
    assert pairs(frame) == [("Abala", "Other", "Civilians")] and frame.loc[0, "fatalities"] == 18


def test_the_dead_of_an_attack_on_soldiers_are_not_made_civilians(geocoder: Geocoder) -> None:
    frame, _ = events("On 3 May gunmen attacked an army post near Abala, leaving 18 dead.", geocoder)
    assert "Civilians" not in {frame.loc[0, "group1"], frame.loc[0, "group2"]}


# ---------------------------------------------------------------- roads and compass directions


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("On 3 May gunmen attacked a UN convoy on the road to Tessit, south of Ansongo.", "Ansongo"),
        ("On 3 May jihadists ambushed a patrol north-west of Djibo.", "Djibo"),
    ],
)
def test_a_compass_direction_places_the_violence_near_its_town(sentence: str, place: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    assert list(frame["location"]) == [place] and frame.loc[0, "geo_precision"] >= 2


def test_where_a_road_leads_is_a_weak_place() -> None:
    groups = place_groups("Gunmen attacked a lorry in Abala on the road to Tillia.")
    assert groups[0].names == ("Abala",)


# ---------------------------------------------------------------- the document's countries


def test_a_fuzzy_match_abroad_is_not_found_in_a_text_about_the_sahel(geocoder: Geocoder) -> None:
    text = "BAMAKO, 4 May 2023 — Gunmen killed 12 villagers in Bouakee, in central Mali, on Tuesday."
    frame, rejected = events(text, geocoder, day=None)
    assert frame.empty
    assert rejected.loc[0, "reason"].startswith("place not found") and "Bouak" in rejected.loc[0, "candidates"]


def test_a_name_in_several_countries_is_looked_up_in_the_texts_country_first(geocoder: Geocoder) -> None:
    text = "GAO, Mali, 8 September 2023 — JNIM fighters attacked the army position at Bamba on Thursday."
    frame, _ = events(text, geocoder, day=None)
    assert frame.loc[0, "country_iso2"] == "ML" and frame.loc[0, "admin2"] == "Bourem"


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Malian soldiers and Burkinabe troops ... in Mali", ("ML", "BF")),
        ("boats on the Niger river near Gao, Mali", ("ML",)),
        ("Nigerien forces in Niger and Niger's army", ("NE",)),
    ],
)
def test_the_countries_a_text_names(text: str, countries: tuple[str, ...]) -> None:
    from geodata.text.extract import document_countries

    assert document_countries(text) == countries


def test_the_one_settlement_a_title_is_about_places_the_first_incident(geocoder: Geocoder) -> None:
    text = (
        "Field notes from the north\n\n"
        "Four days in Anderamboukane\n\n"
        "Posted 14 May 2023\n\n"
        "The fighting began on Thursday, when ISGS fighters ambushed a militia patrol and killed nine of its men."
    )
    frame, _ = events(text, geocoder, day=None)
    assert list(frame["location"]) == ["Anderamboukane"]
    assert frame.loc[0, "place_basis"].startswith("the headline")


# ---------------------------------------------------------------- two dated incidents in one sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "On 9 June, nineteen people were shot dead in Djibo, and an attack on 20 November was repelled by the "
        "defence forces.",
        "Gunmen killed 19 villagers in Djibo on 9 June; on 20 November an attack on the town was repelled by "
        "soldiers.",
    ],
)
def test_two_dated_incidents_in_one_sentence_are_two_events(sentence: str, geocoder: Geocoder) -> None:
    frame, _ = events(sentence, geocoder)
    got = sorted((row.date_start.date(), row.group1, row.group2) for row in frame.itertuples())
    assert got == [(date(2022, 6, 9), "Other", "Civilians"), (date(2022, 11, 20), "Other", "State forces")]
    assert set(frame["location"]) == {"Djibo"}
    first = frame[frame["date_start"].dt.month == 6].iloc[0]
    assert first["fatalities"] == 19


def test_one_incident_with_a_reporting_date_in_another_clause_stays_one(geocoder: Geocoder) -> None:
    frame, _ = events("Gunmen killed 19 villagers in Djibo on 9 May, and the army said on 10 May that it had "
                      "launched a search.", geocoder)  # fmt: skip
    assert len(frame) == 1


# ---------------------------------------------------------------- "on the 5th", an IED with no one named


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Earlier in April, on the 5th, a bus travelling from Djibo struck an explosive device; 35 passengers were "
         "killed.", date(2023, 4, 5)),
        ("On the 2nd, a bus travelling from Djibo struck an explosive device and 12 passengers were killed.",
         date(2023, 5, 2)),
    ],
)
def test_a_day_of_the_month_takes_the_month_written_before_or_the_documents(sentence: str, day: date,
                                                                           geocoder: Geocoder) -> None:  # fmt: skip
    frame, _ = events(sentence, geocoder)
    assert frame.loc[0, "date_start"].date() == day and frame.loc[0, "date_precision"] == "day"
    assert (frame.loc[0, "group1"], frame.loc[0, "group2"]) == ("Other", "Civilians")


def test_an_ordinal_unit_is_not_a_day() -> None:
    from geodata.text.dates import find_dates

    assert find_dates("The convoy, escorted by the 14th combined-arms regiment, was attacked.", 2022,
                      date(2022, 10, 5)) == []  # fmt: skip
