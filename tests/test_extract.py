"""Text extraction: the phrase rules one by one, then the seed text and a made-up article through the real geocoder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geodata import schema
from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text.actors import find_actors, names_a_pair, order_actors
from geodata.text.dates import find_dates, refers_to_previous_date
from geodata.text.extract import REJECTED_COLUMNS, extract_events, split_sentences
from geodata.text.numbers import parse_number
from geodata.text.rules import event_keyword, event_type, place_groups
from geodata.text.tolls import Fatalities, find_fatalities

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "jnim_isgs_war.txt"
ARTICLE = Path(__file__).parent / "fixtures" / "article.txt"


def first_date(sentence: str, context_year: int | None = None) -> tuple[date | None, date | None, str]:
    mentions = find_dates(sentence, context_year)
    assert mentions, f"no date found in {sentence!r}"
    return mentions[0].start, mentions[0].end, mentions[0].precision


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("By early 2020, the clashes had spread", date(2020, 1, 1), date(2020, 4, 30), "quarter"),
        ("mid-2021", date(2021, 5, 1), date(2021, 8, 31), "quarter"),
        ("ISGS' loss in late 2020 as the group", date(2020, 9, 1), date(2020, 12, 31), "quarter"),
        ("until the May 2020 issue of Al-Naba", date(2020, 5, 1), date(2020, 5, 31), "month"),
        ("the siege of Farabougou in October 2020.", date(2020, 10, 1), date(2020, 10, 31), "month"),
        ("intensified in December 2022 during fighting", date(2022, 12, 1), date(2022, 12, 31), "month"),
        ("This truce broke on November 3, 2022, when", date(2022, 11, 3), date(2022, 11, 3), "day"),
        ("on 3 November 2022 an attack", date(2022, 11, 3), date(2022, 11, 3), "day"),
        ("on April 18, 2020.", date(2020, 4, 18), date(2020, 4, 18), "day"),
        ("Oct. 5, 2021", date(2021, 10, 5), date(2021, 10, 5), "day"),
        ("between 6 and 22 October 2020", date(2020, 10, 6), date(2020, 10, 22), "day"),
        ("the group was founded in 2019.", date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("as intense as those of 2019 and 2020", date(2019, 1, 1), date(2020, 12, 31), "year"),
        ("from 2015 to 2017", date(2015, 1, 1), date(2017, 12, 31), "year"),
    ],
)
def test_date_phrases(phrase, start, end, precision):
    assert first_date(phrase) == (start, end, precision)


def test_bare_month_takes_the_year_written_before_it_else_the_context_year():
    assert first_date("In 2021, on 3 May, fighters attacked", None)[1:] == (date(2021, 12, 31), "year")
    assert find_dates("In 2021, on 3 May, fighters attacked")[1].start == date(2021, 5, 3)
    assert first_date("In December, JNIM attacked", 2019) == (date(2019, 12, 1), date(2019, 12, 31), "month")
    unresolved = find_dates("In December, JNIM attacked")
    assert len(unresolved) == 1 and not unresolved[0].resolved


def test_words_that_only_look_like_dates_are_not_dates():
    assert find_dates("Fighters may march on the town with 1,2020 rifles.") == []
    assert find_dates("on 31 February 2022") == []  # not a day; the words are not read as a month either


def test_phrases_pointing_at_the_previous_date():
    assert refers_to_previous_date("In that same issue of al-Naba, ISGS claimed") == "date"
    assert refers_to_previous_date("Around this same time, JNIM attempted") == "date"
    assert refers_to_previous_date("Later that year the army returned") == "year"
    assert refers_to_previous_date("JNIM attacked Djibo.") is None


# ---------------------------------------------------------------- fatalities


@pytest.mark.parametrize(
    ("words", "value"),
    [("forty", 40), ("forty-two", 42), ("seventy", 70), ("two hundred and fifty", 250), ("1,200", 1200), ("12", 12)],
)
def test_number_words(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("sentence", "best", "low", "high"),
    [
        ("ISGS announced the killing of forty JNIM fighters in Mali's Menaka region.", 40, 40, 40),
        ("About 30 people were killed.", 30, 30, 30),
        ("Over seventy civilians were killed.", 70, 70, None),
        ("Fighting killed dozens of fighters.", 24, 24, 99),
        ("Between 20 and 30 soldiers were killed.", 20, 20, 30),
        ("The attack killed 20 to 30 soldiers.", 20, 20, 30),
        ("Up to 50 people were killed.", 50, None, 50),
        ("A dozen soldiers died.", 12, 12, 12),
        # a sum: "dozens" is 24 to 99 (best 24), "over seventy" has no ceiling: 94, open-ended
        (
            "The clashes between the two groups intensified in December 2022 during fighting that killed dozens of "
            "fighters on either side across several battles along with over seventy civilians.",
            94,
            94,
            None,
        ),
        ("Gunmen killed 10 soldiers and 5 civilians.", 15, 15, 15),
        ("JNIM ambushed a convoy, killing at least 12 soldiers and wounding 9 others.", 12, 12, None),
        ("The raid killed 30 people, including 20 soldiers.", 30, 30, 30),
        ("Clashes in early 2022 left dozens of fighters dead.", 24, 24, 99),
    ],
)
def test_fatality_figures(sentence, best, low, high):
    dates = [m.span for m in find_dates(sentence)]
    figures = find_fatalities(sentence, dates)
    assert (figures.best, figures.low, figures.high) == (best, low, high)


def test_no_death_words_or_no_figure_means_unknown_not_zero():
    assert find_fatalities("ISGS kidnapped 20 villagers near Menaka.") == Fatalities(None, None, None)
    assert find_fatalities("The two groups fought in 2022.").best is None
    assert find_fatalities("Many people were killed.").low is None


# ---------------------------------------------------------------- actors and event types


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("JNIM", "JNIM"),
        ("GSIM", "JNIM"),
        ("the Group for Support of Islam and Muslims", "JNIM"),
        ("Jama'at Nasr al-Islam wal Muslimin", "JNIM"),
        ("Katiba Macina", "JNIM"),
        ("ISGS", "ISGS"),
        ("the Islamic State in the Greater Sahara", "ISGS"),
        ("IS Sahel", "ISGS"),
        ("Islamic State Sahel Province", "ISGS"),
        ("ISIS", "ISGS"),
        ("the Islamic State", "ISGS"),
        ("EIGS", "ISGS"),
        ("Ansarul Islam", "Ansarul Islam"),
        ("the Malian army", "State forces"),
        ("FAMa", "State forces"),
        ("Burkinabe soldiers", "State forces"),
        ("Nigerien soldiers", "State forces"),
        ("the junta", "State forces"),
        ("the Wagner Group", "Wagner Group"),
        ("dozo hunters", "Militia"),
        ("VDP", "Militia"),
        ("the MSA", "Militia"),
        ("GATIA", "Militia"),
        ("Dan Na Ambassagou", "Militia"),
        ("pro-government militias", "Militia"),
        ("civilians", "Civilians"),
    ],
)
def test_actor_names_and_their_families(name, family):
    found = find_actors(f"Fighting involved {name} near the town.")
    assert [a.family for a in found] == [family]


def test_actor_order_puts_the_agent_of_by_first_and_civilians_second():
    sentence = "Twenty VDP volunteers were killed by ISGS militants outside Gorom-Gorom."
    ordered = order_actors(sentence, find_actors(sentence), "Battles")
    assert [a.family for a in ordered] == ["ISGS", "Militia"]
    sentence = "Civilians fled when JNIM fighters massacred villagers."
    ordered = order_actors(sentence, find_actors(sentence), "Violence against civilians")
    assert [a.family for a in ordered] == ["JNIM", "Civilians"]
    assert find_actors("This is a test; is it?") == []  # lower-case "is" is not IS


def test_pair_pointers():
    assert names_a_pair("The clashes between the two groups intensified")
    assert names_a_pair("Both groups ignored each other")
    assert not names_a_pair("JNIM attacked Djibo")


@pytest.mark.parametrize(
    ("sentence", "families", "kind"),
    [
        ("The clashes had spread to Fassala.", [], "Battles"),
        ("JNIM broke the siege of Farabougou.", ["JNIM"], "Battles"),
        ("ISGS fighters ambushed soldiers.", ["ISGS", "State forces"], "Battles"),
        ("The Tchoma Bangou and Zaroumdareye massacres", [], "Violence against civilians"),
        ("Gunmen attacked villagers.", ["Civilians"], "Violence against civilians"),
        ("An IED killed four soldiers.", ["State forces"], "Explosions/Remote violence"),
        ("A drone strike hit the market.", [], "Explosions/Remote violence"),
    ],
)
def test_event_types(sentence, families, kind):
    assert event_keyword(sentence) is not None
    assert event_type(sentence, families)[0] == kind


def test_sentences_without_violence_words_are_not_events():
    assert event_keyword("JNIM attempted to improve its image among the people it governed.") is None


# ---------------------------------------------------------------- place phrases


def groups(sentence: str) -> list[tuple[str, tuple[str, ...]]]:
    spans = [m.span for m in find_dates(sentence)]
    return [(g.kind, g.names) for g in place_groups(sentence, spans)]


def test_place_phrases_in_order_settlement_region_border_country():
    sentence = "By early 2020, the clashes had spread to Fassala on the Malian-Mauritanian border."
    assert groups(sentence) == [("name", ("Fassala",)), ("border", ("the Malian-Mauritanian border",))]
    assert groups("ISGS announced the killing of forty JNIM fighters in Mali's Menaka region.") == [
        ("region", ("Mali's Menaka region",))
    ]
    assert groups("ISGS fought Ansarul Islam near the Ghanaian border with Burkina Faso.") == [
        ("border", ("the Ghanaian border with Burkina Faso",))
    ]
    assert groups("The offensive in Menaka saw defections in Mali, Niger, and Burkina Faso.") == [
        ("name", ("Menaka",)),
        ("country", ("Mali", "Niger", "Burkina Faso")),
    ]


def test_coordinated_names_before_an_event_noun_form_one_group():
    sentence = "The aforementioned Tchoma Bangou and Zaroumdareye massacres also sparked backlash."
    assert groups(sentence) == [("name", ("Tchoma Bangou", "Zaroumdareye"))]


def test_near_is_passed_to_the_geocoder_and_actors_months_media_are_not_places():
    found = place_groups("JNIM fighters ambushed a convoy near Djibo in March.")
    assert [(g.names, g.queries) for g in found] == [(("Djibo",), ("near Djibo",))]
    assert groups("ISGS accused JNIM in the May 2020 issue of Al-Naba, attacking Katiba Macina.") == []


# ---------------------------------------------------------------- sentences


def test_sentences_keep_their_paragraph_reference_and_drop_inline_marks():
    text = "Title\n\n[37][38] Gen. Smith said fighters attacked Djibo. The army left.[4]\n\nNo reference here."
    sentences = split_sentences(text)
    assert [(s.number, s.reference, s.paragraph) for s in sentences] == [
        (1, "", 1),
        (2, "[37][38]", 2),
        (3, "[37][38][4]", 2),
        (4, "", 3),
    ]
    assert sentences[1].text == "Gen. Smith said fighters attacked Djibo."
    assert sentences[2].text == "The army left."


# ---------------------------------------------------------------- the seed text, through the real geocoder


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


@pytest.fixture(scope="module")
def seed(geocoder):
    result = extract_events(SEED.read_text(encoding="utf-8"), geocoder, dataset="seed", id_prefix="seed",
                            source_name=SEED.name)  # fmt: skip
    return result


def event_at(events: pd.DataFrame, location_part: str, source_part: str = "") -> pd.Series:
    rows = events[events["location"].str.contains(location_part) & events["source"].str.contains(source_part,
                                                                                                  regex=False)]
    assert len(rows) == 1, f"expected one event at {location_part!r} {source_part!r}, got {rows}"
    return rows.iloc[0]


def test_seed_events_have_canonical_columns_unique_ids_and_cite_their_sentence(seed):
    events = seed.events
    assert list(events.columns[: len(schema.COLUMN_NAMES)]) == list(schema.COLUMN_NAMES)
    assert all(str(events[c].dtype) == schema.DTYPES[c] for c in schema.COLUMN_NAMES)
    assert events["event_id"].is_unique and events["event_id"].str.match(r"^seed:\d+(-[a-z])?$").all()
    assert (events["dataset"] == "seed").all()
    text = SEED.read_text(encoding="utf-8")
    assert all(note in text for note in events["notes"])
    assert events["source"].str.match(r"^jnim_isgs_war\.txt (\[\d+\])+$").all()
    assert events[["latitude", "longitude", "geo_precision", "country_iso2"]].notna().all().all()
    assert set(events["group1"].dropna()) | set(events["group2"].dropna()) <= set(schema.GROUPS)
    assert not (events["fatalities"] == 0).any()
    assert seed.n_sentences == len(split_sentences(text))
    assert list(seed.rejected.columns) == list(REJECTED_COLUMNS)


def test_seed_fassala(seed):
    event = event_at(seed.events, "Fassala")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2020-01-01"), pd.Timestamp("2020-04-30"), "quarter",
    )  # fmt: skip
    assert (event["group1"], event["group2"], event["event_type"]) == ("JNIM", "ISGS", "Battles")
    assert event["country_iso2"] == "MR" and event["geo_precision"] == 1
    assert event["latitude"] == pytest.approx(15.557, abs=0.01)
    assert event["longitude"] == pytest.approx(-5.516, abs=0.01)
    assert event["source"] == "jnim_isgs_war.txt [25]"
    assert pd.isna(event["fatalities"])


def test_seed_farabougou(seed):
    event = event_at(seed.events, "Farabougou")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2020-10-01"), pd.Timestamp("2020-10-31"), "month",
    )  # fmt: skip
    assert event["group1"] == "JNIM" and event["event_type"] == "Battles" and event["country_iso2"] == "ML"


def test_seed_menaka_november_2022(seed):
    event = event_at(seed.events, "Menaka region", "[37][38]")
    assert event["location"] == "Mali's Menaka region"
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2022-11-03"), pd.Timestamp("2022-11-03"), "day",
    )  # fmt: skip
    assert (event["group1"], event["group2"]) == ("ISGS", "JNIM")
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (40, 40, 40)
    assert event["geo_precision"] == 3 and event["country_iso2"] == "ML"
    assert event["source"] == "jnim_isgs_war.txt [37][38]"
    assert event["notes"].startswith("This truce broke on November 3, 2022")


def test_seed_december_2022_takes_the_place_of_the_sentence_sharing_its_reference(seed):
    event = event_at(seed.events, "Menaka region", "[37][39]")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2022-12-01"), pd.Timestamp("2022-12-31"), "month",
    )  # fmt: skip
    assert {event["group1"], event["group2"]} == {"JNIM", "ISGS"}
    assert event["fatalities"] == 94 and event["fatalities_low"] == 94 and pd.isna(event["fatalities_high"])
    assert event["geo_precision"] == 3
    assert "shared reference [37]" in event["place_basis"]


def test_seed_menaka_offensive_takes_the_year_of_the_sentence_before(seed):
    event = event_at(seed.events, "Menaka", "[36]")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"), "year",
    )  # fmt: skip
    assert event["date_basis"] == "year context 2022"


def test_seed_tchoma_bangou_and_zaroumdareye_are_two_events_in_the_narrative_bracket(seed):
    tchoma, zaroum = event_at(seed.events, "Tchoma Bangou"), event_at(seed.events, "Zaroumdareye")
    assert tchoma["event_id"].endswith("-a") and zaroum["event_id"].endswith("-b")
    assert tchoma["event_id"][:-2] == zaroum["event_id"][:-2]
    for event in (tchoma, zaroum):
        assert event["event_type"] == "Violence against civilians" and event["country_iso2"] == "NE"
        assert (event["date_start"], event["date_end"], event["date_precision"]) == (
            pd.Timestamp("2020-01-01"), pd.Timestamp("2022-12-31"), "year",
        )  # fmt: skip
        assert event["date_basis"] == "narrative bracket 2020-2022"
        assert event["group2"] == "Civilians"


def test_seed_ghana_border_battle_takes_the_date_of_that_same_issue(seed):
    event = event_at(seed.events, "Ghanaian border", "[18]")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == (
        pd.Timestamp("2020-05-01"), pd.Timestamp("2020-05-31"), "month",
    )  # fmt: skip
    assert (event["group1"], event["group2"]) == ("ISGS", "Ansarul Islam")
    assert event["geo_precision"] == 4


def test_seed_sentences_that_cannot_be_placed_are_rejected_with_reasons(seed):
    rejected = seed.rejected.set_index("source")
    kouffa = rejected.loc["jnim_isgs_war.txt [19]"]
    assert kouffa["reason"] == "place not found" and "Kouffa" in kouffa["name"] and kouffa["candidates"]
    assert rejected.loc["jnim_isgs_war.txt [34]", "reason"] == "no place"
    vague = seed.rejected[seed.rejected["reason"].str.startswith("place too vague")]
    assert len(vague) == 1 and "Burkina Faso" in vague.iloc[0]["reason"]
    placed = set(seed.events["notes"])
    assert not set(seed.rejected["sentence"]) & placed


# ---------------------------------------------------------------- generality: a made-up article


@pytest.fixture(scope="module")
def article(geocoder):
    return extract_events(ARTICLE.read_text(encoding="utf-8"), geocoder, id_prefix=f"text:{ARTICLE.stem}",
                          source_name=ARTICLE.name)  # fmt: skip


def test_article_places_and_dates(article):
    events = article.events
    assert events["event_id"].str.startswith("text:article:").all() and (events["dataset"] == "text").all()
    djibo = event_at(events, "Djibo")
    assert (djibo["date_start"], djibo["date_precision"], djibo["geo_precision"]) == (
        pd.Timestamp("2021-03-14"), "day", 2,
    )  # fmt: skip
    assert (djibo["group1"], djibo["group2"], djibo["fatalities"], djibo["fatalities_low"]) == (
        "JNIM", "State forces", 12, 12,
    )  # fmt: skip
    assert pd.isna(djibo["fatalities_high"]) and djibo["country_iso2"] == "BF"

    solhan = event_at(events, "Solhan")
    assert solhan["event_type"] == "Violence against civilians" and solhan["group2"] == "Civilians"
    assert (solhan["fatalities_low"], solhan["fatalities_high"]) == (130, 160) and solhan["fatalities"] == 130
    assert solhan["date_start"] == pd.Timestamp("2021-06-05")

    tillaberi = event_at(events, "Tillabéri")
    assert (tillaberi["date_start"], tillaberi["date_end"], tillaberi["date_precision"]) == (
        pd.Timestamp("2021-12-01"), pd.Timestamp("2021-12-31"), "month",
    )  # fmt: skip
    assert (tillaberi["group1"], tillaberi["group2"], tillaberi["fatalities"]) == ("ISGS", "State forces", 30)
    assert tillaberi["geo_precision"] == 3 and tillaberi["country_iso2"] == "NE"

    ansongo = event_at(events, "Ansongo")
    assert (ansongo["date_precision"], ansongo["fatalities_low"], ansongo["geo_precision"]) == ("quarter", 24, 2)

    gorom = event_at(events, "Gorom-Gorom")
    assert (gorom["group1"], gorom["group2"], gorom["fatalities"]) == ("ISGS", "Militia", 20)

    ied = events[events["event_type"] == "Explosions/Remote violence"]
    assert len(ied) == 1 and ied.iloc[0]["location"] == "Tessit" and ied.iloc[0]["fatalities"] == 4


def test_article_two_groups_are_the_pair_named_just_before_and_two_places_make_two_events(article):
    pair = article.events[article.events["location"].isin(["Tessit", "Talataye"])]
    pair = pair[pair["event_type"] == "Battles"].sort_values("event_id")
    assert list(pair["event_id"].str[-2:]) == ["-a", "-b"]
    assert (pair["group1"] == "JNIM").all() and (pair["group2"] == "ISGS").all()
    assert pair.iloc[0]["fatalities"] == 22 and pd.isna(pair.iloc[1]["fatalities"])


def test_article_unknown_place_and_undated_sentence_are_rejected(article):
    rejected = article.rejected.set_index("name")
    unknown = rejected.loc["Kwarantala"]
    assert unknown["reason"] == "place not found" and unknown["source"] == "article.txt [5][6]"
    assert len(unknown["candidates"].split("; ")) >= 1
    assert rejected.loc["Dori", "reason"] == "no date"
    assert not article.events["notes"].str.contains("Kwarantala|Dori").any()
