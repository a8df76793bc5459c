"""The pure rules behind the page's controls: months on the slider, play windows, selections, region clicks."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import (
    apply_controls,
    changed_parts,
    part_views,
    play_start,
    play_step,
    range_text,
    region_click_admin1,
    regions_view,
    selection_bbox,
    slider_marks,
    slider_value,
    timeline_span,
    timeline_view,
    with_months,
)
from dashboard.page.layout import DEFAULT_WINDOW

MONTHS = [dt.date(2019 + (m // 12), m % 12 + 1, 1) for m in range(0, 30)]  # Jan 2019 .. Jun 2021


def test_slider_round_trip_and_full_range_means_no_filter():
    view = with_months(View(), MONTHS, [3, 5])
    assert (view.start, view.end) == (dt.date(2019, 4, 1), dt.date(2019, 6, 30))
    assert slider_value(view, MONTHS) == [3, 5]
    assert with_months(view, MONTHS, [0, len(MONTHS) - 1]).start is None
    assert slider_value(View(), MONTHS) == [0, 29]


def test_play_window_starts_where_the_slider_is_and_stops_at_the_end():
    assert play_start([4, 29], 3, 30) == [4, 6]
    assert play_start([28, 29], 3, 30) == [0, 2]  # no room for a whole window: start over
    assert play_step([4, 6], 3, 30) == [5, 7]
    assert play_step([27, 29], 3, 30) is None
    assert play_start([0, 29], None, 30) == [0, DEFAULT_WINDOW - 1]


def test_slider_marks_name_each_month_of_a_short_span_and_both_ends():
    marks = slider_marks(MONTHS)  # 30 months: every month, Januaries as years, the last month in full
    assert len(marks) == 30
    assert (marks[0], marks[1], marks[12], marks[24], marks[29]) == ("2019", "Feb", "2020", "2021", "Jun 2021")


def test_slider_marks_over_decades_are_januaries_and_the_ends():
    months = [dt.date(1997 + (m + 2) // 12, (m + 2) % 12 + 1, 1) for m in range(12 * 29 - 2)]  # Mar 1997 .. Dec 2025
    marks = slider_marks(months)
    assert marks[0] == "Mar 1997" and marks[len(months) - 1] == "Dec 2025"
    assert sorted(marks.values())[:3] == ["1998", "1999", "2000"] and marks[10] == "1998"
    assert len(marks) == 2 + 28  # the ends and every January from 1998 to 2025
    assert slider_marks([]) == {} and slider_marks(months[:1]) == {0: "Mar 1997"}


def test_timeline_selection_and_zoom_give_month_indexes():
    assert timeline_span({"range": {"x": ["2019-02-14 10:00", "2019-07-20"]}}, None, MONTHS) == [1, 6]
    assert timeline_span(None, {"xaxis.range[0]": "2020-07-31", "xaxis.range[1]": "2020-01-02"}, MONTHS) == [12, 18]
    assert timeline_span(None, {"xaxis.autorange": True}, MONTHS) is None
    assert timeline_span({"range": {"x": ["not a date", "2020"]}}, None, MONTHS) is None


def test_map_selection_bbox_from_box_lasso_or_points():
    box = {"range": {"map": [[-2.5, 15.9], [1.25, 13.1]]}}
    assert selection_bbox(box) == (-2.5, 13.1, 1.25, 15.9)
    lasso = {"lassoPoints": {"map": [[0, 14], [2, 16], [1, 13]]}}
    assert selection_bbox(lasso) == (0, 13, 2, 16)
    one_point = {"points": [{"lon": 2.39609, "lat": 15.91985}]}
    assert selection_bbox(one_point) == pytest.approx((2.3861, 15.9099, 2.4061, 15.9299), abs=1e-4)
    assert selection_bbox({"points": []}) is None and selection_bbox(None) is None


def test_region_click_ignores_catch_all_rows():
    assert region_click_admin1({"rowId": "ML|Gao"}) == "Gao"
    assert region_click_admin1({"rowId": "MR|(outside ML/BF/NE)"}) is None
    assert region_click_admin1(None) is None


def test_controls_go_through_the_url_parser():
    view, problems = apply_controls(View(), {ids.MIN_FATALITIES: -4, "f-country": ["ml", "BF"]})
    assert view.country == ("BF", "ML") and view.min_fatalities is None
    assert problems and "min_fatalities" in problems[0]


def test_a_date_typed_past_the_other_end_keeps_it_and_opens_the_other():
    autumn = View(start=dt.date(2019, 9, 1), end=dt.date(2019, 11, 30))
    view, problems = apply_controls(autumn, {ids.DATE_END: "2019-06-30"})  # an earlier window, end typed first
    assert (view.start, view.end, problems) == (None, dt.date(2019, 6, 30), [])
    view, problems = apply_controls(autumn, {ids.DATE_START: "2020-03-01"})  # a later one, start typed first
    assert (view.start, view.end, problems) == (dt.date(2020, 3, 1), None, [])
    # both typed at once, the wrong way round: nothing to choose between, both are refused as in an address
    view, problems = apply_controls(autumn, {ids.DATE_START: "2020-03-01", ids.DATE_END: "2020-01-01"})
    assert (view.start, view.end) == (None, None) and "after end" in problems[0]


@pytest.mark.parametrize(
    ("view", "text"),
    [(View(), "01 Jan 2019 – 30 Jun 2021"), (View(start=dt.date(2020, 3, 1)), "01 Mar 2020 – 30 Jun 2021")],
)
def test_range_text(view, text):
    assert range_text(view, (dt.date(2019, 1, 1), dt.date(2021, 6, 30))) == text
    assert "empty" in range_text(view, None)


# -- one store per part of the page: only what changed is written, computed and drawn again ------------------

PARTS = (ids.VIEW_STORE, ids.FILTERS_STORE, ids.TIMELINE_STORE, ids.REGIONS_STORE)
YEAR = View(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31), country=("ML",))


def held(view: View, version: str = "v1") -> dict:
    return part_views(view, version)


@pytest.mark.parametrize(
    ("change", "rewritten"),
    [
        ({"start": dt.date(2020, 2, 1)}, {ids.VIEW_STORE, ids.FILTERS_STORE, ids.REGIONS_STORE}),  # slider, Play
        ({"country": ("ML", "NE")}, set(PARTS)),  # a filter
        ({"admin1": ("Gao",)}, {ids.VIEW_STORE, ids.FILTERS_STORE, ids.TIMELINE_STORE}),  # a region click
        ({"bbox": (0.0, 14.0, 2.0, 16.0)}, set(PARTS)),  # a map selection
        ({"colour": "type"}, {ids.VIEW_STORE, ids.TIMELINE_STORE}),  # colours: the map and the timeline's bars
        ({"mode": "regions"}, {ids.VIEW_STORE}),  # another display choice: the map only
        ({}, set()),  # the same view again: nothing
    ],
)
def test_only_the_parts_a_change_touches_are_rewritten(change, rewritten):
    changed = changed_parts(YEAR.with_(**change), "v1", held(YEAR))
    assert set(changed) == rewritten
    assert changed == {store: data for store, data in held(YEAR.with_(**change)).items() if store in rewritten}


def test_new_events_rewrite_every_part_and_a_fresh_page_gets_them_all():
    assert set(changed_parts(YEAR, "v2", held(YEAR, "v1"))) == set(PARTS)
    assert set(changed_parts(YEAR, "v1", {})) == set(PARTS)


def test_each_part_is_drawn_from_a_view_the_address_parser_reads_back():
    view = YEAR.with_(admin1=("Gao",), colour="type", mode="regions")
    stores = part_views(view, "v1")
    assert View.from_query(stores[ids.VIEW_STORE]["query"]) == (view, [])
    assert View.from_query(stores[ids.FILTERS_STORE]["query"])[0] == view.filters_only()
    assert View.from_query(stores[ids.TIMELINE_STORE]["query"])[0] == timeline_view(view)
    # the timeline stacks by what the map colours by
    assert (timeline_view(view).start, timeline_view(view).admin1, timeline_view(view).colour) == (None, ("Gao",),
                                                                                                 "type")
    assert regions_view(view) == view.filters_only().with_(admin1=())
    assert {d["version"] for d in stores.values()} == {"v1"}
