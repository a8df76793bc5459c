"""The dashboard in a real headless Chromium against a real app server on 127.0.0.1 (30 sample events)."""

from __future__ import annotations

import csv
import datetime
import io
import math
from urllib.parse import urlsplit

import pandas as pd
import pytest

from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.page import ids
from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import (
    assert_note_is_inert,
    counter_events,
    map_state,
    open_view,
    query_of,
    wait_for_count,
    wait_for_counter_change,
    wait_for_grid,
    wait_for_map_ids,
    wait_for_query,
    wait_for_url_param,
    wait_settled,
    wait_until,
)
from tests.fixtures.sample_events import sample_events


@pytest.fixture(scope="module")
def events() -> EventData:
    """The same events the server holds, to say which rows a view must show."""
    return EventData.from_frame(sample_events())


def expected_ids(events: EventData, query: str) -> list[str]:
    view, messages = View.from_query(query)
    assert not messages
    return sorted(events.filter(view)["event_id"].astype(str))


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "blob":
        parts = urlsplit(url[len("blob:"):])
    return parts.hostname == "127.0.0.1"


def test_page_loads_offline_with_every_event_on_the_map(sample_server, watched, events):
    page = watched.page
    open_view(page, sample_server.url)
    everything = expected_ids(events, "")
    assert counter_events(page) == len(everything) == 30
    assert "fatalities" in page.inner_text(f"#{ids.COUNTER}")
    wait_for_map_ids(page, everything)
    assert sorted(wait_for_grid(page, 30)) == everything
    page.wait_for_timeout(500)  # let the map tiles-free style finish drawing for the screenshot
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    assert watched.requests, "no requests were recorded"
    assert [u for u in watched.requests if not is_local(u)] == []
    assert "Natural Earth" in page.inner_text("footer") and "GeoNames" in page.inner_text("footer")
    assert watched.errors == []


def test_moving_the_slider_changes_the_table_and_the_counter(sample_server, watched, events):
    page = watched.page
    open_view(page, sample_server.url)
    start_thumb = page.locator(f"#{ids.SLIDER} [role=slider]").first
    start_thumb.focus()
    start_thumb.press("PageUp")  # the start handle jumps ten months on
    start = wait_for_query(page, "start")[0]
    wanted = expected_ids(events, urlsplit(page.url).query)
    assert start > "2017-10-01" and 0 < len(wanted) < 30
    wait_for_count(page, len(wanted))
    assert sorted(wait_for_grid(page, len(wanted))) == wanted
    wait_for_map_ids(page, wanted)


def test_play_moves_a_three_month_window_through_time(sample_server, watched, events):
    page = watched.page
    open_view(page, sample_server.url, "start=2021-01-01&end=2021-12-31")
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Pause')")
    wait_for_url_param(page, "start", "2021-02-01")
    assert query_of(page)["end"] == ["2021-04-30"]
    wait_for_url_param(page, "start", "2021-03-01")
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Play')")
    # Paused (a busy machine may have taken one more step first): the text under the slider names the window
    # the address holds, three whole months from its start.
    wait_settled(page)
    start = datetime.date.fromisoformat(query_of(page)["start"][0])
    assert start >= datetime.date(2021, 3, 1)
    end = (pd.Timestamp(start) + pd.DateOffset(months=3) - pd.Timedelta(days=1)).date()
    query = query_of(page)
    if "end" in query:
        assert query["end"] == [end.isoformat()]
    else:  # the window reached the data's last month (a very slow machine may get there): no end in the address
        assert end >= events.frame["date_start"].max().date().replace(day=1)
    page.wait_for_selector(f"#{ids.RANGE_TEXT}:has-text('{start:%d %b %Y}')")


def test_clicking_a_table_row_highlights_and_centres_the_event(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "country=BF")
    assert "selected event" not in map_state(page)["traces"]
    page.click(f"#{ids.EVENTS_GRID} .ag-row[row-id='acled:12'] .ag-cell[col-id='location']")
    wait_until(page, "() => document.querySelector('#map .js-plotly-plot').data.some(t => t.name === 'selected event')",
               what="the selected event's marker on the map")
    state = map_state(page)
    assert math.isclose(state["center"]["lon"], 0.45722, abs_tol=1e-4)
    assert math.isclose(state["center"]["lat"], 13.37611, abs_tol=1e-4)


def test_clicking_a_region_filters_to_it(sample_server, watched, events):
    page = watched.page
    open_view(page, sample_server.url)
    before = page.inner_text(f"#{ids.COUNTER}")
    page.click(f"#{ids.TAB_REGIONS}")  # the regions table is the second tab beside the map
    page.click(f"#{ids.REGIONS_GRID} .ag-row[row-id='ML|Mopti'] .ag-cell[col-id='admin1']")
    assert wait_for_query(page, "admin1") == ["Mopti"]
    wait_for_counter_change(page, before)
    wanted = expected_ids(events, "admin1=Mopti")
    wait_for_count(page, len(wanted))
    assert len(wanted) == 5
    assert sorted(wait_for_grid(page, len(wanted))) == wanted
    assert "Mopti" in page.inner_text("#f-admin1")


def test_box_selection_on_the_map_narrows_the_table_and_sets_bbox(sample_server, watched, events):
    page = watched.page
    open_view(page, sample_server.url)
    graph = page.locator(f"#{ids.MAP} .js-plotly-plot")
    graph.hover()
    page.click(f"#{ids.MAP} .modebar-btn[data-val='select']")
    box = graph.bounding_box()
    # A real mouse drag over the middle of the WebGL map, in plotly's box-select mode.
    x0, y0 = box["x"] + box["width"] * 0.40, box["y"] + box["height"] * 0.25
    x1, y1 = box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.75
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=12)
    page.mouse.up()
    bbox = wait_for_query(page, "bbox")[0]
    wanted = expected_ids(events, f"bbox={bbox}")
    assert 0 < len(wanted) < 30
    wait_for_count(page, len(wanted))
    assert sorted(wait_for_grid(page, len(wanted))) == wanted


def test_downloaded_csv_has_exactly_the_table_rows(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "country=BF,NE&min_fatalities=10")
    shown = sorted(wait_for_grid(page))
    assert 0 < len(shown) < 30
    with page.expect_download() as download:
        page.click(f"#{ids.EXPORT_CSV}")
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["event_id"] for r in rows) == shown
    assert download.value.suggested_filename.endswith(".csv")


def test_an_address_with_filters_restores_the_controls(sample_server, watched, events):
    page = watched.page
    query = "country=BF&group=JNIM&min_fatalities=50&precision=1,2&q=massacre&colour=type"
    open_view(page, sample_server.url, query + "&dataset=nope")
    assert "BF" in page.inner_text("#f-country")
    assert "JNIM" in page.inner_text("#f-group")
    assert page.input_value(f"#{ids.MIN_FATALITIES}") == "50"
    assert page.input_value(f"#{ids.QUERY}") == "massacre"
    checked = page.eval_on_selector_all(f"#{ids.PRECISION} input:checked", "els => els.map(e => e.value)")
    assert sorted(checked) == ["1", "2"]
    assert page.is_checked(f"#{ids.COLOUR} input[value='type']")
    assert "dataset: 'nope'" in page.inner_text(f"#{ids.MESSAGES}")
    wanted = expected_ids(events, query)
    assert counter_events(page) == len(wanted) > 0
    assert sorted(wait_for_grid(page, len(wanted))) == wanted


def test_html_in_a_note_is_shown_as_text_and_never_runs(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "q=solhan")
    wait_for_grid(page, 1)
    assert_note_is_inert(page, watched, "acled:12", "<script>alert(1)</script> Solhan massacre", "script")


def test_a_view_without_events_says_so(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "q=nothing-matches-this")
    page.wait_for_selector(f"#{ids.EMPTY}:not([hidden])")
    assert "No events match this view" in page.inner_text(f"#{ids.EMPTY}")
    assert counter_events(page) == 0
    wait_for_map_ids(page, [])
