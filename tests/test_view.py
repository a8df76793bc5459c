"""The view parser: every parameter, valid and invalid, URL and CLI forms."""

from __future__ import annotations

import argparse
import datetime

import pytest
from werkzeug.datastructures import MultiDict

from dashboard.model.view import VIEW_PARAMS, View, add_view_arguments, view_from_args

D = datetime.date


def parse(query):
    return View.from_query(query)


def test_empty_query_is_the_default_view():
    for query in ("", "?", {}, None, MultiDict()):
        assert parse(query) == (View(), [])
    assert View().to_query() == ""
    assert View().to_args() == []


def test_every_parameter_parses():
    view, messages = parse(
        "?start=2020-01-01&end=2022-12-31&country=ml,BF&admin1=Gao,Mopti&group=jnim,ISGS&event_type=Battles"
        "&dataset=acled,UCDP&min_fatalities=5&precision=1,2&q=%20Ménaka%20%20attack%20&bbox=-6,13,4.5,18"
        "&colour=type&mode=regions&metric=fatalities"
    )
    assert messages == []
    assert view == View(
        start=D(2020, 1, 1), end=D(2022, 12, 31), country=("BF", "ML"), admin1=("Gao", "Mopti"),
        group=("ISGS", "JNIM"), event_type=("Battles",), dataset=("acled", "ucdp"), min_fatalities=5,
        precision=(1, 2), q="Ménaka attack", bbox=(-6.0, 13.0, 4.5, 18.0), colour="type", mode="regions",
        metric="fatalities",
    )


def test_unknown_parameters_are_ignored_silently():
    assert parse("foo=1&country=NE&_=123") == (View(country=("NE",)), [])


@pytest.mark.parametrize(
    ("query", "param", "fragment"),
    [
        ("start=2020-13-01", "start", "'2020-13-01' is not a date (YYYY-MM-DD)"),
        ("start=2020-02-30", "start", "is not a date"),
        ("end=yesterday", "end", "'yesterday' is not a date"),
        ("end=20200101", "end", "is not a date"),
        ("country=Mali", "country", "'Mali' is not a two-letter country code"),
        ("country=M1", "country", "'M1' is not a two-letter"),
        ("group=Al-Qaeda", "group", "'Al-Qaeda' is not a known actor family"),
        ("dataset=gdelt", "dataset", "'gdelt' is not a known dataset"),
        ("min_fatalities=-1", "min_fatalities", "'-1' is not a whole number of at least 0"),
        ("min_fatalities=2.5", "min_fatalities", "'2.5' is not a whole number"),
        ("min_fatalities=ten", "min_fatalities", "'ten' is not a whole number"),
        ("precision=5", "precision", "'5' is not a geo precision (1, 2, 3 or 4)"),
        ("precision=0", "precision", "'0' is not a geo precision"),
        ("precision=x", "precision", "'x' is not a geo precision"),
        ("bbox=1,2,3", "bbox", "(4 numbers)"),
        ("bbox=a,b,c,d", "bbox", "(4 numbers)"),
        ("bbox=1,2,3,4,5", "bbox", "(4 numbers)"),
        ("bbox=5,10,1,12", "bbox", "the minimum must be below the maximum"),
        ("bbox=1,12,5,10", "bbox", "the minimum must be below the maximum"),
        ("bbox=-200,10,1,12", "bbox", "longitudes must be within -180..180"),
        ("bbox=1,-91,2,12", "bbox", "latitudes must be within -90..90"),
        ("bbox=nan,1,2,3", "bbox", "finite numbers"),
        ("colour=rainbow", "colour", "'rainbow' is not one of actor, type, dataset; using actor"),
        ("mode=heatmap", "mode", "'heatmap' is not one of points, regions; using points"),
        ("metric=deaths", "metric", "'deaths' is not one of events, fatalities; using events"),
    ],
)
def test_invalid_value_gives_a_message_and_the_default(query, param, fragment):
    view, messages = parse(query)
    assert view == View()
    assert len(messages) == 1
    assert messages[0].startswith(f"{param}: ")
    assert fragment in messages[0]


def test_invalid_items_are_dropped_and_valid_ones_kept():
    view, messages = parse("country=ML,Mali,bf&precision=1,9,3&group=JNIM,nobody")
    assert view.country == ("BF", "ML")
    assert view.precision == (1, 3)
    assert view.group == ("JNIM",)
    assert len(messages) == 3


def test_start_after_end_drops_both():
    view, messages = parse("start=2022-01-01&end=2021-01-01&country=ML")
    assert view == View(country=("ML",))
    assert messages == ["start: 2022-01-01 is after end 2021-01-01; both ignored"]


def test_same_start_and_end_is_one_day():
    assert parse("start=2021-06-05&end=2021-06-05")[0] == View(start=D(2021, 6, 5), end=D(2021, 6, 5))


def test_lists_accept_repeats_commas_and_blanks_and_are_deduplicated():
    view, _ = parse("country=ML&country=bf,,NE, ml&admin1=Gao&admin1=Gao")
    assert view.country == ("BF", "ML", "NE")
    assert view.admin1 == ("Gao",)
    assert parse("country=")[0] == View()


def test_group_and_dataset_names_are_case_insensitive_but_canonical():
    view, messages = parse("group=state%20FORCES,ansarul%20islam&dataset=Seed")
    assert messages == []
    assert view.group == ("Ansarul Islam", "State forces")
    assert view.dataset == ("seed",)


def test_zero_min_fatalities_is_kept():
    assert parse("min_fatalities=0")[0].min_fatalities == 0
    assert parse("min_fatalities=0")[0].to_query() == "min_fatalities=0"


def test_long_search_text_is_cut_with_a_message():
    view, messages = parse({"q": "x" * 500})
    assert view.q == "x" * 200
    assert messages == ["q: search text longer than 200 characters; cut"]


def test_mapping_and_multidict_inputs():
    expected = View(country=("BF", "ML"), start=D(2020, 1, 1))
    assert parse({"country": "ML,BF", "start": "2020-01-01"})[0] == expected
    assert parse({"country": ["ML", "BF"], "start": ["2020-01-01"]})[0] == expected
    assert parse(MultiDict([("country", "ML"), ("country", "BF"), ("start", "2020-01-01")]))[0] == expected


def test_a_repeated_single_value_takes_the_last():
    assert parse("start=2019-01-01&start=2020-01-01")[0].start == D(2020, 1, 1)


VIEWS = [
    View(),
    View(start=D(2020, 1, 1)),
    View(end=D(2023, 12, 31), colour="type"),
    View(country=("NE", "ML"), admin1=("Tillabéri", "Gao"), group=("Ansarul Islam", "JNIM")),
    View(event_type=("Violence against civilians", "Explosions/Remote violence"), dataset=("acled",)),
    View(min_fatalities=0, precision=(4, 1), mode="regions", metric="fatalities"),
    View(q="=HYPERLINK(\"x\") & <b>Ménaka</b> 50%", bbox=(-5.5, 10.25, 4.0, 16.0)),
    View(q="-5 dead", bbox=(-17.0, 9.0, -11.0, 12.0)),
]


@pytest.mark.parametrize("view", VIEWS)
def test_query_round_trip(view):
    query = view.to_query()
    assert not query.startswith("?")
    assert View.from_query(query) == (view, [])
    assert View.from_query("?" + query) == (view, [])


@pytest.mark.parametrize("view", VIEWS)
def test_cli_args_round_trip(view):
    parser = argparse.ArgumentParser()
    add_view_arguments(parser)
    assert view_from_args(parser.parse_args(view.to_args())) == (view, [])
    assert View.from_cli(parser.parse_args(view.to_args())) == (view, [])


def test_query_is_canonical_ordered_and_readable():
    a = View(country=("ML", "BF"), start=D(2020, 1, 1), mode="regions")
    b = View(mode="regions", start=D(2020, 1, 1), country=("BF", "ML", "BF"))
    assert a == b
    assert a.to_query() == b.to_query() == "start=2020-01-01&country=BF,ML&mode=regions"
    names = [part.split("=")[0] for part in VIEWS[3].to_query().split("&")]
    assert names == sorted(names, key=VIEW_PARAMS.index)


def test_with_changes_and_normalises():
    view = View(country=("ML",)).with_(country=["ne", "bf"], start=D(2021, 1, 1))
    assert view.country == ("BF", "NE")
    assert view.start == D(2021, 1, 1)
    assert view.filters_only() == view
    assert view.with_(colour="type", mode="regions", metric="fatalities").filters_only() == view
    assert not View(colour="type").is_filtered
    assert View(q="x").is_filtered


def test_cli_flags_are_checked_like_the_url():
    parser = argparse.ArgumentParser()
    add_view_arguments(parser)
    ns = parser.parse_args(["--start", "2020-01-01", "--country", "ml,XYZ", "--min-fatalities", "3", "-q", "Gao",
                            "--bbox=-6,13,4,18", "--event-type", "Battles"])
    view, messages = view_from_args(ns)
    assert view == View(start=D(2020, 1, 1), country=("ML",), min_fatalities=3, q="Gao",
                        bbox=(-6.0, 13.0, 4.0, 18.0), event_type=("Battles",))
    assert messages == ["country: 'XYZ' is not a two-letter country code (ISO 3166-1 alpha-2); ignored"]
