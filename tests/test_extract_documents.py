"""Extraction from whole documents: document dates, the place of the violence, one incident one event, actor
forms, competing tolls, and the corpus score. Fixtures are made-up texts written in the styles of real reporting
(wire copy with a dateline, an updated report, a note with no date, an encyclopedia article with an infobox)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text.actors import find_actors
from geodata.text.dates import document_date, find_dates, stamp_lines
from geodata.text.extract import RELATIVE_WITHOUT_ANCHOR, extract_events, read_layout, split_sentences
from geodata.text.rules import place_groups, reference_spans
from geodata.text.scoring import evaluate, read_gold
from geodata.text.tolls import find_fatalities
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
ANCHOR = date(2020, 4, 19)  # a Sunday


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


def extract(name: str, geocoder: Geocoder, **options):
    path = FIXTURES / name
    return extract_events(path.read_text(encoding="utf-8"), geocoder, id_prefix=f"text:{path.stem}",
                          source_name=path.name, **options)  # fmt: skip


def first(sentence: str, anchor: date | None = ANCHOR, context_year: int | None = None):
    mention = find_dates(sentence, context_year, anchor)[0]
    return mention.start, mention.end, mention.precision


# ---------------------------------------------------------------- the document's date


@pytest.mark.parametrize(
    ("text", "day", "basis"),
    [
        ("Title\n\nBAMAKO, March 3 (Agency) - Gunmen killed ten people.\n\nPublished 5 March 2021", date(2021, 3, 3),
         "dateline and its published"),
        ("NIAMEY, 12 May 2021 — Soldiers were killed.", date(2021, 5, 12), "dateline"),
        ("OUAGADOUGOU, Burkina Faso, Jan. 5, 2022 (AP) — An attack.", date(2022, 1, 5), "dateline"),
        ("Report\nLast updated on September 10th, 2022\n\nFighting went on.", date(2022, 9, 10), "Last updated line"),
        ("Posted: 2022-09-10 14:00\n\nFighting went on.", date(2022, 9, 10), "Posted line"),
        ("Tue Aug 20, 2019 | 11:02 GMT\n\nGAO, Aug 20 (Wire) - Clashes.", date(2019, 8, 20), "dateline and its date"),
        ("Field notes\nJune 17, 2019 · 6 min read\n\nThe raid came on Sunday.", date(2019, 6, 17), "Date line"),
        ("Bulletin\nReporting period: July 2021 – February 2022 (as of 28 February 2022)\n\nx", date(2022, 2, 28),
         "As of line"),
        ("Headline\n\nPublished on: 17/06/2024 - 04:16\n\nText.", date(2024, 6, 17), "Published line"),
        ("Headline\n\n21/08/2025\n\nText.", date(2025, 8, 21), "Date line"),
        ("Security Brief no. 14 — 19 February 2022\n\nText.", date(2022, 2, 19), "Date line"),
        ("Round-up\nWeek of 7–13 September 2023 — issued Wednesday 13 September\n\nx", date(2023, 9, 13),
         "Issued"),
    ],
)  # fmt: skip
def test_document_date_from_dateline_or_stamp_line(text, day, basis):
    found = document_date(text)
    assert found is not None and found.day == day and found.basis.startswith(basis)


def test_no_document_date_when_the_text_gives_none():
    assert document_date("A note on Gao\n\nOn Thursday militants ambushed a convoy.") is None
    # an infobox date is the incident's, not the document's
    assert document_date("Battle of X\n\nDate: | 18 November 2019 |\nLocation: | Tabankort |\n\nText.") is None


def test_stamp_lines_and_datelines_are_not_prose():
    text = "Headline\nPublished 7 June 2021\n\nNIAMEY, 12 May 2021 — Gunmen attacked Tera.\n\nDate: | 1 May 2021 |"
    layout = read_layout(text)
    assert "Published" not in layout.prose and "NIAMEY" not in layout.prose and "Date:" not in layout.prose
    assert "Gunmen attacked Tera." in layout.prose
    assert layout.infobox == {"date": "1 May 2021"}
    assert [s.day for s in stamp_lines(text)] == [date(2021, 6, 7)]


# ---------------------------------------------------------------- relative dates


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("fighters attacked the camp on Thursday", date(2020, 4, 16), date(2020, 4, 16), "day"),
        ("clashes on Sunday", date(2020, 4, 19), date(2020, 4, 19), "day"),  # the anchor day itself
        ("last Sunday", date(2020, 4, 12), date(2020, 4, 12), "day"),
        ("fighting since Tuesday", date(2020, 4, 14), date(2020, 4, 19), "week"),
        ("this week", date(2020, 4, 13), date(2020, 4, 19), "week"),
        ("last week", date(2020, 4, 6), date(2020, 4, 12), "week"),
        ("a weekend attack", date(2020, 4, 18), date(2020, 4, 19), "week"),
        ("yesterday", date(2020, 4, 18), date(2020, 4, 18), "day"),
        ("three days ago", date(2020, 4, 16), date(2020, 4, 16), "day"),
        ("earlier this month", date(2020, 4, 1), date(2020, 4, 19), "month"),
        ("last month", date(2020, 3, 1), date(2020, 3, 31), "month"),
        ("last year", date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("on July 8", date(2019, 7, 8), date(2019, 7, 8), "day"),  # after the anchor: the year before
        ("on 3 April", date(2020, 4, 3), date(2020, 4, 3), "day"),
        ("in March", date(2020, 3, 1), date(2020, 3, 31), "month"),
    ],
)
def test_relative_words_resolved_against_the_document_date(phrase, start, end, precision):
    assert first(phrase) == (start, end, precision)


def test_relative_words_without_a_document_date_stay_unresolved():
    for phrase in ("on Thursday", "since Tuesday", "this week", "8 July", "yesterday"):
        mention = find_dates(phrase)[0]
        assert mention.relative and not mention.resolved


def test_precision_matches_the_span():
    assert first("At the start of 2021 the group turned west", None) == (date(2021, 1, 1), date(2021, 1, 31), "month")
    assert first("by the end of 2022", None) == (date(2022, 12, 1), date(2022, 12, 31), "month")
    assert first("Thursday, 3 March 2022", None) == (date(2022, 3, 3), date(2022, 3, 3), "day")
    assert [m.text for m in find_dates("Mirage 2000 jets struck in 2021")] == ["2021"]


# ---------------------------------------------------------------- the place of the violence


def event_places(sentence: str) -> list[tuple[str, tuple[str, ...]]]:
    spans = [m.span for m in find_dates(sentence)]
    return [(g.role, g.names) for g in place_groups(sentence, spans)]


def test_time_and_comparison_clauses_hold_references_not_the_place():
    sentence = (
        "On 2 May, a week before the massacres in Tillia, gunmen killed 30 people at Tera and Dargol, in the "
        "neighbouring Tillabéri Region."
    )
    found = event_places(sentence)
    assert found[0] == ("event", ("Tera", "Dargol"))
    assert ("reference", ("Tillia",)) in found and ("container", ("Tillabéri Region",)) in found
    assert event_places("The raid on Djibo was deadlier than in Arbinda.")[0] == ("event", ("Djibo",))
    assert event_places("It was the worst since the Solhan massacre, with 20 killed in Sebba.")[0] == (
        "event", ("Sebba",),
    )  # fmt: skip
    # a clause with its own violence verb is not a reference: "after gunmen attacked Inates"
    assert not reference_spans("Soldiers pursued them after gunmen attacked Inates.")


def test_the_place_tied_to_the_violence_wins():
    assert event_places("Residents of Gao said gunmen attacked Ansongo.")[0] == ("event", ("Ansongo",))
    assert event_places("Fighters from Menaka ambushed soldiers in Tessit.")[0] == ("event", ("Tessit",))
    assert event_places("Boni was attacked on Wednesday, officials in Mopti said.")[0] == ("event", ("Boni",))
    assert event_places("the Solhan massacre shocked the country")[0] == ("event", ("Solhan",))
    found = event_places("Bodies were found in the village of Karma, about 15 km from Ouahigouya.")
    # issue 18: the town a village is measured from is its fallback (near it, precision 2), never before the village
    assert found[0] == ("event", ("Karma",)) and found[-1] == ("event", ("Ouahigouya",))
    assert event_places("The bodies of 30 soldiers were buried at Gao on Tuesday.") == [("reference", ("Gao",))]
    found = event_places("Attacks killed 30 people in Kwara, said Ali Maiga, an official from Ansongo.")
    assert found[0] == ("event", ("Kwara",)) and ("reference", ("Ansongo",)) in found


def test_containers_narrow_the_search_and_are_not_places():
    groups = place_groups("Gunmen killed 141 people in Tillia, Tahoua Region, Niger.")
    assert [(g.role, g.names) for g in groups] == [("event", ("Tillia",)), ("container", ("Tahoua Region",))]
    assert groups[0].hints == ("Tahoua Region",)


def test_possessives_person_names_and_hashtags():
    assert event_places("Africa’s deadliest attack was condemned by Abdoul Hakoum's allies.") == []
    assert event_places("The attack was led by commander Amadou Koufa, according to Moussa Ag.") == []
    assert event_places("Gunmen hit #Solhan overnight, killing dozens.")[0] == ("event", ("Solhan",))


# ---------------------------------------------------------------- actors and fatalities


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("EIGS", "ISGS"), ("EI-Sahel", "ISGS"), ("État islamique au Grand Sahara", "ISGS"),
        ("ISIS in the Sahara", "ISGS"), ("#ISGS", "ISGS"), ("Islamic State Sahel Province", "ISGS"),
        ("GSIM", "JNIM"), ("JNIM/GSIM", "JNIM"),
        ("Jama’at Nusrat al-Islam wal-Muslimin", "JNIM"), ("Jamaʼat Nusrat al-Islam wal-Muslimin", "JNIM"),
        ("Jama`at Nusrat al-Islam wal-Muslimin", "JNIM"), ("Katiba Macina", "JNIM"), ("Ansarul Islam", "Ansarul Islam"),
        ("FAMa", "State forces"), ("VDP", "Militia"), ("MSA", "Militia"), ("GATIA", "Militia"),
        ("Wagner", "Wagner Group"), ("Africa Corps", "Wagner Group"), ("unidentified gunmen", "Other"),
    ],
)  # fmt: skip
def test_actor_forms_of_reporting(name, family):
    assert [a.family for a in find_actors(f"Fighting involved {name} near the town.")] == [family]


def test_unnamed_gunmen_yield_to_a_named_group():
    assert [a.family for a in find_actors("JNIM militants attacked the post.")] == ["JNIM"]


@pytest.mark.parametrize(
    ("sentence", "best", "low", "high"),
    [
        ("Residents said 45 people were killed, but the army put the toll at 30.", 30, 30, 45),
        ("Local sources counted 45 dead; officials said 30 people died.", 30, 30, 45),
        ("Gunmen killed several dozen civilians.", 24, 24, 99),
        ("Over 60 villagers were killed.", 60, 60, None),
        ("A dozen soldiers died.", 12, 12, 12),
        ("The raid killed dozens.", 24, 24, 99),
        ("Twelve soldiers were killed, 9 wounded and 40 other fighters were captured.", 12, 12, 12),
        ("Hundreds of militants overran the camp and killed 71 soldiers.", 71, 71, 71),
        ("Soldiers killed 63 attackers and lost 25 men, who were killed in the assault.", 88, 88, 88),
    ],
)
def test_fatalities_competing_vague_and_not_deaths(sentence, best, low, high):
    figures = find_fatalities(sentence)
    assert (figures.best, figures.low, figures.high) == (best, low, high)


# ---------------------------------------------------------------- whole documents through the real geocoder


def test_wire_report_thursday_is_the_latest_thursday_before_the_dateline(geocoder):
    result = extract("wire_weekday.txt", geocoder)
    assert len(result.events) == 1
    event = result.events.iloc[0]
    assert event["location"] == "Djibo" and event["date_start"] == pd.Timestamp("2021-03-11")  # not "said on Friday"
    assert event["date_basis"].startswith("document date 2021-03-14 (dateline)")
    assert (event["group1"], event["group2"]) == ("ISGS", "State forces")  # the claim names the group
    assert (event["fatalities"], event["fatalities_low"]) == (12, 12)  # wounded and captured are not deaths
    assert "claimed the attack" in event["notes"]  # the follow-ups are folded into the event


def test_updated_report_since_tuesday_earlier_this_month_and_competing_tolls(geocoder):
    events = extract("update_relative.txt", geocoder).events.set_index("location")
    tessit = events.loc["Tessit"]
    assert (tessit["date_start"], tessit["date_end"], tessit["date_precision"]) == (
        pd.Timestamp("2022-09-06"), pd.Timestamp("2022-09-10"), "week",
    )  # fmt: skip
    assert {tessit["group1"], tessit["group2"]} == {"ISGS", "JNIM"}
    assert (tessit["fatalities"], tessit["fatalities_low"], tessit["fatalities_high"]) == (30, 30, 45)
    talataye = events.loc["Talataye"]
    assert (talataye["date_start"], talataye["date_end"], talataye["date_precision"]) == (
        pd.Timestamp("2022-09-01"), pd.Timestamp("2022-09-10"), "month",
    )  # fmt: skip
    assert (talataye["group1"], talataye["group2"], talataye["fatalities_low"]) == ("ISGS", "Civilians", 24)


def test_relative_dates_without_a_document_date_are_quarantined_never_guessed(geocoder):
    result = extract("no_anchor.txt", geocoder)
    assert result.events.empty
    assert list(result.rejected["reason"]) == [RELATIVE_WITHOUT_ANCHOR] * 2
    anchored = extract("no_anchor.txt", geocoder, document_day=date(2021, 7, 20))  # a Tuesday
    dates = dict(zip(anchored.events["location"], anchored.events["date_start"], strict=True))
    assert dates == {"Ansongo": pd.Timestamp("2021-07-15"), "Tessit": pd.Timestamp("2021-07-08")}


def test_infobox_and_body_give_one_event_and_a_time_clause_place_is_never_used(geocoder):
    result = extract("infobox_article.txt", geocoder)
    assert len(result.events) == 2  # the massacre, and the Tadaryat killing placed at Tadaryat, not Solhan
    tadaryat_event = result.events.iloc[1]
    assert tadaryat_event["location"] == "Tadaryat" and tadaryat_event["date_start"] == pd.Timestamp("2021-06-01")
    event = result.events.iloc[0]
    assert event["location"] == "Solhan" and event["event_id"] == "text:infobox_article:infobox"
    assert (event["date_start"], event["date_end"]) == (pd.Timestamp("2021-06-04"), pd.Timestamp("2021-06-05"))
    assert (event["group1"], event["group2"]) == ("JNIM", "Civilians")
    assert event["fatalities"] == 160 and "The attacks killed 160 people" in event["notes"]
    rejected = result.rejected.set_index("sentence_number")
    assert 6 not in rejected.index  # killed "at Tadaryat", "four days before the massacre in Solhan": Tadaryat
    assert rejected.loc[7, "reason"] == "no place"  # "The Sahel’s", "Abdoul Hakim's" are no places


def test_a_tied_place_that_is_unknown_is_quarantined_not_replaced_by_a_loose_one(geocoder):
    text = "GAO, 3 May 2022 — Gunmen killed 30 villagers in Kwarantala on Monday, said a resident of Ansongo."
    result = extract_events(text, geocoder)
    assert result.events.empty
    assert result.rejected.iloc[0]["reason"] == "place not found" and result.rejected.iloc[0]["name"] == "Kwarantala"


def test_a_round_up_day_heading_dates_its_items(geocoder):
    text = "Round-up\nIssued 13 September 2023\n\nThursday. Gunmen attacked the army post at Ansongo, killing 4."
    event = extract_events(text, geocoder).events.iloc[0]
    assert (event["location"], event["date_start"]) == ("Ansongo", pd.Timestamp("2023-09-07"))


def test_a_later_claim_names_the_unnamed_perpetrator(geocoder):
    text = (
        "NIAMEY, 5 May 2021 — Gunmen killed 16 soldiers at Banibangou on Tuesday.\n\n"
        "Officials gave no further details.\n\n"
        "On Thursday the Islamic State Sahel Province claimed responsibility in a statement."
    )
    event = extract_events(text, geocoder).events.iloc[0]
    assert {event["group1"], event["group2"]} == {"ISGS", "State forces"}
    nobody = text.replace("the Islamic State Sahel Province claimed", "no group had claimed it; JNIM denied")
    event = extract_events(nobody, geocoder).events.iloc[0]
    assert {event["group1"], event["group2"]} == {"Other", "State forces"}


def test_negated_violence_is_not_an_event_and_unnamed_attackers_of_soldiers_are_other(geocoder):
    assert extract_events("Bamako had not been attacked since 2015.", geocoder).rejected.empty
    text = "GAO, 28 March 2022 — On Saturday a soldier was killed in an attack on an army checkpoint at Ansongo."
    event = extract_events(text, geocoder).events.iloc[0]
    assert (event["group1"], event["group2"]) == ("Other", "State forces")
    assert event["date_start"] == pd.Timestamp("2022-03-26")
    assert [a.family for a in find_actors("Its men attacked a convoy of the UN mission, MINUSMA.")] == ["Other"]


def test_headings_and_bullets():
    text = "KEY INCIDENTS\n• 25 July 2021 – Gunmen killed 14 civilians in Banibangou\n• 2 Nov 2021 – An attack on Tera"
    sentences = split_sentences(text)
    assert [(s.heading, s.paragraph) for s in sentences] == [(True, 1), (False, 2), (False, 3)]


# ---------------------------------------------------------------- the score


def test_evaluate_scores_a_small_corpus(geocoder, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("wire_weekday.txt", "update_relative.txt", "no_anchor.txt"):
        (corpus / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    gold = pd.DataFrame(
        [
            ["wire_weekday", "2021-03-11", "2021-03-11", "Djibo", 14.1, -1.63, "BF", "", 1, "ISGS", "State forces", 12],
            ["update_relative", "2022-09-06", "2022-09-09", "Tessit", 15.22, -0.30, "ML", "", 1, "JNIM", "ISGS", 30],
            ["update_relative", "2022-09-03", "2022-09-03", "Talataye", 16.53, 1.53, "ML", "", 1, "ISGS", "Civilians",
             30],
            ["no_anchor", "2021-07-15", "2021-07-15", "Ansongo", 15.66, 0.5, "ML", "", 1, "Other", "State forces", 7],
        ],
        columns=["text_id", "date_start", "date_end", "location", "latitude", "longitude", "country_iso2", "admin2",
                 "geo_precision", "actor1_family", "actor2_family", "fatalities"],
    )  # fmt: skip
    gold.to_csv(corpus / "gold.csv", index=False)
    assert len(read_gold(corpus / "gold.csv")) == 4
    score = evaluate(corpus, geocoder)
    assert (score.texts, score.gold, score.extracted, score.matched) == (3, 4, 3, 3)
    lines = score.lines()
    assert lines[-1] == "events: precision 1.00, recall 0.75, F1 0.86 on 3 texts, actors 0.67, toll 0.67"
    assert "  place: 0.75 (3/4)" in lines and "events placed where the text ties no violence: 0" in lines

    result = geodata("evaluate", str(corpus))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == lines[-1]


def test_evaluate_names_a_bad_gold_row(tmp_path):
    (tmp_path / "a.txt").write_text("Nothing.", encoding="utf-8")
    (tmp_path / "gold.csv").write_text("text_id,date_start,latitude,longitude,actor1_family\na,3 May,1,1,JNIM\n")
    result = geodata("evaluate", str(tmp_path))
    assert result.returncode == 2 and "gold.csv row 2: date_start '3 May' is not YYYY-MM-DD" in result.stderr


def test_extract_date_flag_anchors_relative_dates(tmp_path):
    store = tmp_path / "events.parquet"
    result = geodata("extract", str(FIXTURES / "no_anchor.txt"), "--date", "2021-07-20", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("quarantined 0")
    bad = geodata("extract", str(FIXTURES / "no_anchor.txt"), "--date", "20/07/2021", "--store", str(store))
    assert bad.returncode == 2 and "not a day written YYYY-MM-DD" in bad.stderr


@pytest.mark.parametrize(
    ("box", "deaths"),
    [
        # a flattened box: "Casualties and losses" alone, each side's losses on the lines below it
        ("Casualties and losses\n21 killed\n6 wounded\n3 killed[4]\n", "24"),
        ("Casualties and losses\n50-70 killed[2][3]\n  • 12 captured\n5 killed\n", "55–75"),
        # a mirror's numbered rows: the sides summed, the overall row only when no side gives a toll
        ("Casualties1: | 7 killed 3 wounded |\nCasualties2: | 18 killed[1] |\nCasualties3: | 20 killed overall |\n",
         "25"),
        ("Casualties1: | 9 wounded |\nCasualties2: | 30 killed overall |\n", "30"),
    ],
)
def test_casualty_rows_by_side_are_summed_as_the_page_sums_them(box: str, deaths: str) -> None:
    text = (
        "Battle of Tinfara\n"
        "Date 4–5 May 2014\n"
        f"Location Tessalit, Mali\n{box}\n"
        "The battle for the Tinfara wells was fought near Tessalit between rebels and the army in May 2014.\n"
    )
    layout = read_layout(text)
    assert layout.infobox["deaths"] == deaths
    assert "killed" not in layout.prose  # the rows are the box's, not prose sentences
