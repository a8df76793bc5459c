"""Tolls in English reporting: counts in words, joined figures, zero tolls, a bomber's own death, the state's
claims beside the victims' toll. Own-written sentences; the real geocoder where an event is extracted."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text.extract import extract_events
from geodata.text.tolls import find_fatalities


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("More than two dozen gendarmes were killed near the post.", (25, 25, None)),  # beyond a round count
        ("Three dozen herders were killed at the wells.", (36, 36, 36)),
        ("Half a dozen guards were killed at the gate.", (6, 6, 6)),
        ("The raiders withdrew after killing two dozen villagers.", (24, 24, 24)),
        ("By Friday the death toll had risen to 57, the mayor said.", (57, 57, 57)),
        ("The toll now stands at 19.", (19, 19, 19)),
        ("Eight soldiers and two volunteers were killed when the convoy hit a mine.", (10, 10, 10)),
        # where the dead served or came from stands between them and their verb
        ("At least 14 gendarmes in northern Burkina were killed and three went missing.", (14, 14, None)),
        ("Nine herders from Tin-Akoff were killed at the wells.", (9, 9, 9)),
        ("Nine herders from Tin-Akoff were wounded at the wells.", (None, None, None)),
        # single dead named before a figure count too
        ("A policeman and six passengers were killed when the bus was stopped.", (7, 7, 7)),
        ("The raiders burned the granary, killing a herder and three children.", (4, 4, 4)),
        ("The raiders burned the granary, wounding a herder and three children.", (None, None, None)),
        ("Four gendarmes, two customs officers and a driver were killed at the checkpoint.", (7, 7, 7)),
        ("Eight soldiers and two volunteers were wounded when the convoy hit a mine.", (None, None, None)),
        ("The raid on the market claimed 31 lives.", (31, 31, 31)),
        ("The ambush cost nine lives, according to the prefect.", (9, 9, 9)),
        ("Gunmen opened fire on the bus, killing four foreigners and their driver.", (4, 4, 4)),
    ],
)
def test_counts_in_words_joined_figures_and_lives(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


def test_twenty_killed_and_sixteen_wounded_when_bombers_struck_is_twenty() -> None:
    """A wounded count is no toll even when a word for people follows a few words later."""
    found = find_fatalities("At least 12 soldiers were killed and 9 injured when suicide bombers struck the camp.")
    assert (found.best, found.low, found.high) == (12, 12, None)


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("No one was killed in the blast, the governor said.", (0, 0, 0)),
        ("There were no casualties, according to the army.", (0, 0, 0)),
        ("Nobody has claimed the attack.", (None, None, None)),
        ("There were no casualties among the soldiers, while 14 assailants were killed.", (14, 14, 14)),
    ],
)
def test_a_text_that_says_nobody_died_gives_zero(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


def test_a_suicide_bomber_who_died_alone_is_the_toll() -> None:
    alone = find_fatalities("A suicide bomber on a motorbike blew himself up at the checkpoint on Sunday.")
    assert (alone.best, alone.low, alone.high) == (1, 1, 1)
    others = find_fatalities("A suicide bomber blew himself up at the checkpoint, killing three gendarmes.")
    assert (others.best, others.low, others.high) == (3, 3, 3)


def test_the_attackers_the_army_says_it_killed_add_to_the_best_and_high_figures(geocoder: Geocoder) -> None:
    """Victims' toll 6 in the lead; the army's claim of 3 attackers killed: best 9 and high 9, low stays 6."""
    text = ("Gunmen attacked a hotel in Sévaré on Saturday, killing six guests. A rescue force was sent to the scene, "
            "and the incident was over on Saturday evening; an army spokesman stated that three assailants had been "
            "killed.")  # fmt: skip
    event = extract_events(text, geocoder, document_day=date(2016, 3, 7)).events.iloc[0]
    assert (event["fatalities_low"], event["fatalities"], event["fatalities_high"]) == (6, 9, 9)


def test_a_headline_that_repeats_the_town_is_one_place_and_keeps_its_toll(geocoder: Geocoder) -> None:
    """"Gun attack" in headline case is no place; the town named three times is one place with the lead's toll."""
    text = ("Mali: Attack on army post in Gao kills five\n"
            "Gun attack on army post in Gao leaves five dead on Tuesday, March 8\n"
            "Gunmen attacked an army post in Gao on Tuesday, March 8, killing five soldiers.\n")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2016, 3, 9)).events
    assert list(events["location"]) == ["Gao"]
    assert events.iloc[0]["fatalities"] == 5


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        # nationals in the plural are people; figures joined before the death word add up
        ("In the ambush six Nigeriens, three Chadians and 14 assailants were killed.", (23, 23, 23)),
        ("At least 31 Burkinabe soldiers were killed at the post.", (31, 31, None)),
        # a communiqué's words for death
        ("The ambush resulted in the loss of seven of our brave comrades.", (7, 7, 7)),
        ("Twelve attackers were neutralised by the air force.", (12, 12, 12)),
        # a short complement before the join
        ("At least 9 members of the village vigilance committee and two herders were killed.", (11, 11, None)),
        # a subset after a comma is no rival; after the kill verb it is the toll
        ("Gunmen stopped the bus, killing 23 of them, including the driver.", (23, 23, 23)),
        ("The prefect said 40 people died, ten of them children.", (40, 40, 40)),
        # a bomber who killed only himself
        ("The bomber, a young man from the region, killed only himself.", (1, 1, 1)),
    ],
)
def test_nationals_communique_words_complements_and_subsets(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


@pytest.mark.parametrize(
    "sentence",
    [
        "The attack hit Kobe, where armed groups have killed hundreds of villagers this year.",
        "The force has lost more soldiers than any other in recent years, with 58 peacekeepers killed.",
        "Since 2015 jihadists have killed more than 2,000 people in the region.",
    ],
)
def test_a_count_over_a_period_is_no_toll_of_the_incident(sentence: str) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == (None, None, None)


def test_a_toll_raised_in_the_next_sentence_is_the_best_figure(geocoder: Geocoder) -> None:
    """The first count stays the low end; the update is the best and high figure."""
    text = ("Gunmen attacked Arbinda on Monday, killing 14 people. The toll later rose to 22, the mayor's office said.")
    event = extract_events(text, geocoder, document_day=date(2023, 5, 10)).events.iloc[0]
    assert (event["fatalities_low"], event["fatalities"], event["fatalities_high"]) == (14, 22, 22)


def test_dead_named_one_by_one_are_of_their_side() -> None:
    """"A peacekeeper and a soldier were killed": the state side's dead, not people (civilians)."""
    from geodata.text.tolls import death_figures

    figures = death_figures("A UN peacekeeper and a Malian soldier were killed in the attack on the camp.")
    assert [(f.category, f.figures.best) for f in figures] == [("state", 2)]


@pytest.mark.parametrize(
    ("sentence", "best"),
    [
        ("Last week, 17 traders returning from the cattle market of Djibo in a lorry were shot dead by gunmen.", 17),
        ("Some 8 women walking to the wells outside the village were killed by an explosive device.", 8),
        ("Six herders heading for the pastures were wounded by armed men.", None),
    ],
)
def test_what_the_victims_were_doing_stands_between_the_figure_and_its_verb(sentence: str, best: int | None) -> None:
    assert find_fatalities(sentence).best == best


def test_a_period_after_the_figure_counts_even_when_it_is_masked_as_a_date() -> None:
    sentence = "The raid hit Boni on Tuesday, in a district where armed men have killed hundreds of herders this year."
    year = sentence.index("this year")
    assert find_fatalities(sentence, [(year, year + len("this year"))]).best is None
    dated = "In May this year, 31 gendarmes were killed in an assault on their post at Boni."
    may = dated.index("May this year")
    assert find_fatalities(dated, [(may, may + len("May this year"))]).best == 31


@pytest.mark.parametrize(
    ("follow_up", "best"),
    [
        # the same dead told again by another source: a rival figure, whatever "further" or "also" say elsewhere
        ("A hospital source reported eight deaths, without giving further details.", 8),
        ("The regional governor also said eight civilians were killed.", 8),
        # dead beyond those already told: added
        ("Another three villagers were killed as they fled.", 11),
        ("Three more villagers were killed in the fields.", 11),
        ("In addition to the three assailants killed, the army lost a vehicle.", 11),
        ("A teacher was also killed.", 9),
    ],
)
def test_a_follow_up_toll_adds_only_when_its_figure_says_more(geocoder: Geocoder, follow_up: str, best: int) -> None:
    text = f"Gunmen killed eight civilians in an attack on Boni on 3 May. {follow_up}\n"
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert len(events) == 1 and events.iloc[0]["fatalities"] == best


@pytest.mark.parametrize(
    "sentence",
    ["Two helicopters then executed three strikes on the fleeing column.", "The blast left four trucks burnt out.",
     "The convoy was ambushed and the raiders left two hours later."],
)
def test_a_kill_verb_s_figure_of_things_is_no_toll(sentence: str) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == (None, None, None)


def test_the_same_figure_of_the_same_dead_told_again_is_not_added(geocoder: Geocoder) -> None:
    text = ("Jihadists attacked the army post at Boni on 3 May; the ministry said 40 assailants were killed."
            " At least 12 soldiers were killed in the assault. 40 assailants were also killed, it added.\n")
    event = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events.iloc[0]
    assert event["fatalities"] == 52


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("The imam, who was killed along with three other men, was buried on Friday.", (4, 4, 4)),
        ("A nurse was shot dead together with two others at the clinic.", (3, 3, 3)),
        ("Four of the drivers were killed together with a soldier and a trader.", (6, 6, 6)),
        ("More than a dozen herders were killed at the wells.", (13, 13, None)),
        ("At least a dozen herders were killed at the wells.", (12, 12, None)),
        ("More than 40 herders were killed at the wells.", (40, 40, None)),
    ],
)
def test_dead_counted_with_others_and_beyond_a_dozen(sentence: str, figures: tuple) -> None:
    found = find_fatalities(sentence)
    assert (found.best, found.low, found.high) == figures


def test_an_earlier_count_of_soldiers_and_civilians_widens_the_toll_and_is_no_event_of_its_own(
        geocoder: Geocoder) -> None:  # fmt: skip
    text = ("At least 15 soldiers and 5 civilians were killed in an attack on the army camp at Ansongo on 4 June."
            " An initial army report gave 6 soldiers and 2 civilians killed.\n")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2024, 6, 6)).events
    assert len(events) == 1
    assert (events.iloc[0]["fatalities"], events.iloc[0]["fatalities_low"]) == (20, 8)


@pytest.mark.parametrize(
    ("sentence", "best"),
    [
        ("The massacre of 31 herders at the wells on Monday shocked the region.", 31),
        ("The killing of nine traders near the market was condemned by the governor.", 9),
        ("Gunmen stormed the camp on Friday and at least one person was killed, witnesses said.", 1),
    ],
)
def test_dead_named_by_the_deed_and_one_person(sentence: str, best: int) -> None:
    assert find_fatalities(sentence).best == best


@pytest.mark.parametrize(
    ("sentence", "best"),
    [
        ("Four gendarmes, one rebel, and one herder were slain in the fighting.", 6),
        ("Two soldiers, a gunman and a nurse were killed at the checkpoint.", 4),
        ("A catechist was killed in the raid.", 1),
    ],
)
def test_single_dead_of_every_kind_count_one_each(sentence: str, best: int) -> None:
    assert find_fatalities(sentence).best == best


def test_a_toll_split_by_place_gives_each_told_place_its_own(geocoder: Geocoder) -> None:
    """The first sentence's toll is for both villages (none of each); a later split gives each its figure, which a
    vaguer count for the whole raid no longer overrides."""
    text = ("On 3 May, gunmen raided the villages of Boni and Hombori in central Mali, killing 40 civilians."
            " The governor said that 30 people had died in Boni and 10 in Hombori."
            " Dozens of people were killed in the raid, residents said.\n")  # fmt: skip
    events = extract_events(text, geocoder, document_day=date(2024, 5, 6)).events
    assert dict(zip(events["location"], events["fatalities"], strict=True)) == {"Boni": 30, "Hombori": 10}


def test_dead_who_have_died_count() -> None:
    assert find_fatalities("Twelve soldiers have died of their wounds since the ambush.").best == 12
