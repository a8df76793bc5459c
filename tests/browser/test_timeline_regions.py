"""Timeline span selection, regions mode, colour by type, Play's end and bad addresses in a real Chromium.

Expected rows and counts are computed here from the 30 sample events with plain pandas, not through the app's
own filter, so a wrong filter, a wrong month bound or a wrong region count in the app fails these tests.
"""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs

import pandas as pd
import pytest

from dashboard.page import ids
from dashboard.render.figures import CLASH_LABEL, EVENTS_LABEL
from tests.browser.pages import (
    MAP_JS,
    counter_events,
    drag_timeline,
    map_state,
    open_view,
    query_of,
    wait_for_count,
    wait_for_grid,
    wait_for_map_ids,
    wait_for_query,
    wait_for_url_param,
    wait_until,
)
from tests.fixtures.sample_events import sample_events

# A prop of a component as the Dash renderer holds it (what the component was last given).
PROP_JS = """
([id, prop]) => {
  const state = window.dash_stores && window.dash_stores[0].getState();
  const path = state && state.paths.strs[id];
  if (!path) return undefined;
  return path.reduce((node, key) => node[key], state.layout).props[prop];
}
"""

# The regions grid's rows as {row_id: events}, once the grid holds them.
REGION_ROWS_JS = """
() => {
  const api = window.dash_ag_grid && window.dash_ag_grid.getApi("GRID_ID");
  if (!api) return null;
  const rows = {};
  api.forEachNode(node => { rows[node.data.row_id] = node.data.events; });
  return Object.keys(rows).length ? rows : null;
}
""".replace("GRID_ID", ids.REGIONS_GRID)

# The map's first trace when it is a choropleth: its locations, values (decoded by Plotly from the typed array
# the figure carries) and the map's notes.
CHOROPLETH_JS = """
() => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  if (!gd || !gd._fullData || !gd._fullData.length || gd._fullData[0].type !== "choroplethmap") return null;
  const t = gd._fullData[0];
  return {types: gd._fullData.map(d => d.type), locations: Array.from(t.locations), z: Array.from(t.z),
          notes: (gd.layout.annotations || []).map(a => a.text)};
}
""".replace("MAP_ID", ids.MAP)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The server's 30 events as plain columns, to compute what each view must show."""
    frame = pd.DataFrame(sample_events().drop(columns="geometry"))
    frame["last_day"] = frame["date_end"].fillna(frame["date_start"])
    return frame


def ids_between(sample: pd.DataFrame, start: str, end: str) -> list[str]:
    """Events overlapping [start, end] (a multi-day event counts if any of its days is inside)."""
    inside = (sample["date_start"] <= pd.Timestamp(end)) & (sample["last_day"] >= pd.Timestamp(start))
    return sorted(sample.loc[inside, "event_id"])


def month_index(sample: pd.DataFrame, day: str) -> int:
    """Slider position of the month holding ``day``: months counted from the first event's month."""
    first = sample["date_start"].min()
    date = datetime.date.fromisoformat(day)
    return (date.year - first.year) * 12 + date.month - first.month


def slider_values(page) -> list[int]:
    return [int(v) for v in page.eval_on_selector_all(
        f"#{ids.SLIDER} [role=slider]", "els => els.map(e => e.getAttribute('aria-valuenow'))")]


def dash_prop(page, component: str, prop: str):
    return page.evaluate(f"({PROP_JS})", [component, prop])


# The map's traces that are not legend entries.
NOT_ENTRIES = json.dumps(["regions", "frame", EVENTS_LABEL, CLASH_LABEL])


def map_trace_names(page) -> set[str]:
    """The names of the map's traces: the legend's entries (the events are one trace, named EVENTS_LABEL)."""
    return set(map_state(page)["traces"]) - {"regions", EVENTS_LABEL}


def test_dragging_a_span_on_the_timeline_sets_the_dates_slider_counter_and_table(sample_server, watched, sample):
    page = watched.page
    open_view(page, sample_server.url)
    assert slider_values(page) == [0, month_index(sample, "2023-12-01")]
    # A real mouse drag in the chart's own select mode (dragmode="select", horizontal), mid-February 2020 to
    # mid-July 2021.
    drag_timeline(page, "2020-02-15", "2021-07-15")
    wait_for_url_param(page, "end", "2021-07-31")
    assert query_of(page)["start"] == ["2020-02-01"]  # whole months, from the first day to the last
    wanted = ids_between(sample, "2020-02-01", "2021-07-31")
    assert 0 < len(wanted) < 30
    wait_for_count(page, len(wanted))
    page.wait_for_selector(f"#{ids.RANGE_TEXT}:has-text('01 Feb 2020 – 31 Jul 2021')")
    assert slider_values(page) == [month_index(sample, "2020-02-01"), month_index(sample, "2021-07-01")]
    assert sorted(wait_for_grid(page, len(wanted))) == wanted
    wait_for_map_ids(page, wanted)
    assert watched.errors == []


def test_regions_mode_draws_a_choropleth_matching_the_regions_table(sample_server, watched, sample):
    page = watched.page
    open_view(page, sample_server.url)
    assert page.evaluate(f"({CHOROPLETH_JS})()") is None
    page.click(f"#{ids.MODE} input[value='regions']")
    assert wait_for_query(page, "mode") == ["regions"]
    drawn = wait_until(page, CHOROPLETH_JS, what="the regions choropleth").json_value()
    assert drawn["types"] == ["choroplethmap"]  # no event points while regions are shown
    on_map = dict(zip(drawn["locations"], drawn["z"], strict=True))
    table = wait_until(page, REGION_ROWS_JS, what="the regions table's rows").json_value()
    # The regions table counts every event of the view by region, computed here without the app.
    known = sample.dropna(subset=["admin1"])
    expected = (known["country_iso2"] + "|" + known["admin1"]).value_counts().to_dict()
    assert {k: v for k, v in table.items() if "|(" not in k} == expected
    # Every region the bundled boundaries draw shows the table's count (0 where the table has no row); the
    # rest of the table's events are the ones the map says it leaves out.
    assert {k: on_map[k] for k in table if k in on_map} == {k: v for k, v in table.items() if k in on_map}
    assert all(z == 0 for k, z in on_map.items() if k not in table)
    assert sum(on_map.values()) >= 20  # Gao, Mopti, Tillabéri ... are drawn
    left_out = sum(v for k, v in table.items() if k not in on_map)
    assert drawn["notes"] == [f"{left_out} events outside the mapped regions not shown"]
    assert counter_events(page) == 30
    page.click(f"#{ids.MODE} input[value='points']")
    wait_for_url_param(page, "mode", None)
    # Plotly replaces the figure's data before it has drawn the new traces: wait for both.
    wait_until(
        page,
        f"""() => {{ const s = ({MAP_JS})(), gd = document.querySelector("#{ids.MAP} .js-plotly-plot");
              return s && s.ids.length === 30 && gd._fullData.every(t => t.type === "scattermap"); }}""",
        what="the 30 event points to be drawn again",
    )
    assert page.evaluate(f"({CHOROPLETH_JS})()") is None
    wait_for_map_ids(page, sorted(sample["event_id"]))


def test_an_address_with_regions_and_type_colours_restores_both_radios(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "mode=regions&colour=type")
    assert page.is_checked(f"#{ids.MODE} input[value='regions']")
    assert page.is_checked(f"#{ids.COLOUR} input[value='type']")
    assert not page.is_checked(f"#{ids.MODE} input[value='points']")
    assert not page.is_checked(f"#{ids.COLOUR} input[value='actor']")
    assert wait_until(page, CHOROPLETH_JS, what="the regions choropleth").json_value()["types"] == ["choroplethmap"]


def test_regions_by_fatalities_colours_regions_by_their_known_toll(sample_server, watched, sample):
    page = watched.page
    open_view(page, sample_server.url, "mode=regions")
    page.click(f"#{ids.METRIC} input[value='fatalities']")
    assert wait_for_query(page, "metric") == ["fatalities"]
    # The trace is named after what it counts: wait until the fatalities choropleth is the one drawn.
    wait_until(
        page,
        f"() => {{ const gd = document.querySelector('#{ids.MAP} .js-plotly-plot');"
        " return gd && gd._fullData.length > 0 && gd._fullData[0].name === 'fatalities'; }",
        what="the fatalities choropleth",
    )
    drawn = page.evaluate(f"({CHOROPLETH_JS})()")
    on_map = dict(zip(drawn["locations"], drawn["z"], strict=True))
    known = sample.dropna(subset=["admin1"])
    toll = known.groupby(known["country_iso2"] + "|" + known["admin1"])["fatalities"].sum().to_dict()
    assert {k: z for k, z in on_map.items() if z} == {k: v for k, v in toll.items() if k in on_map and v}
    assert page.is_checked(f"#{ids.METRIC} input[value='fatalities']")


def test_colour_by_event_type_names_the_map_traces_after_event_types(sample_server, watched, sample):
    page = watched.page
    open_view(page, sample_server.url)
    by_actor = map_trace_names(page)
    assert {"JNIM", "ISGS", CLASH_LABEL} <= by_actor  # points take actor1's family; JNIM-ISGS clashes are ringed
    wanted = set(sample["event_type"].dropna())
    assert by_actor.isdisjoint(set(sample["event_type"]))
    page.click(f"#{ids.COLOUR} input[value='type']")
    assert wait_for_query(page, "colour") == ["type"]
    wait_until(
        page,
        f"""names => {{ const s = ({MAP_JS})(); if (!s) return false;
              const got = Array.from(new Set(s.traces.filter(t => !NOT_ENTRIES.includes(t)))).sort();
              return JSON.stringify(got) === JSON.stringify(names); }}""".replace("NOT_ENTRIES", NOT_ENTRIES),
        arg=sorted(wanted),
        what=f"the map's traces to be {sorted(wanted)}",
    )
    legend = set(page.eval_on_selector_all(f"#{ids.MAP} .legendtext", "els => els.map(e => e.textContent)"))
    assert legend == wanted  # the clash ring is in the page's map key, drawn as a ring (Plotly's would be a dot)
    assert CLASH_LABEL in page.inner_text(f"#{ids.MAP_KEY}")
    wait_for_map_ids(page, sorted(sample["event_id"]))  # same events, new colours
    assert counter_events(page) == 30


def test_play_stops_by_itself_when_the_window_reaches_the_last_month(sample_server, watched, sample):
    page = watched.page
    last = month_index(sample, "2023-12-01")
    open_view(page, sample_server.url, "start=2023-08-01&end=2023-10-31")
    assert slider_values(page) == [last - 4, last - 2]
    assert dash_prop(page, ids.PLAY_INTERVAL, "disabled") is True
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Pause')")
    second = wait_until(
        page,
        "() => new URLSearchParams(location.search).get('end') === '2023-11-30' && location.search",
        what="Play's second window (end 2023-11-30)",
    ).json_value()
    assert parse_qs(second.lstrip("?"))["start"] == ["2023-09-01"]
    # The window's end reaches the data's last month (no end in the address: it is the whole range's end) ...
    wait_for_url_param(page, "start", "2023-10-01")
    # ... and the next tick finds no later window: the button says Play again and the timer is off.
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Play')")
    assert "end" not in query_of(page)
    assert slider_values(page) == [last - 2, last]
    assert dash_prop(page, ids.PLAY_INTERVAL, "disabled") is True
    wanted = ids_between(sample, "2023-10-01", "2023-12-31")
    wait_for_count(page, len(wanted))
    assert sorted(wait_for_grid(page, len(wanted))) == wanted
    # Nothing can be waited for when nothing should happen: watch for two more timer periods.
    url, ticks = page.url, dash_prop(page, ids.PLAY_INTERVAL, "n_intervals")
    page.wait_for_timeout(2 * dash_prop(page, ids.PLAY_INTERVAL, "interval") + 300)
    assert page.url == url
    assert dash_prop(page, ids.PLAY_INTERVAL, "n_intervals") == ticks
    assert page.inner_text(f"#{ids.PLAY}") == "Play"


def test_bad_address_values_are_reported_and_the_good_ones_applied(sample_server, watched, sample):
    page = watched.page
    responses: list[tuple[int, str]] = []
    page.on("response", lambda response: responses.append((response.status, response.url)))
    open_view(page, sample_server.url, "start=2020-13-01&min_fatalities=-3&precision=9&country=ML")
    messages = page.inner_text(f"#{ids.MESSAGES}")
    assert "start: '2020-13-01' is not a date" in messages
    assert "min_fatalities: '-3' is not a whole number" in messages
    assert "precision: '9' is not a geo precision" in messages
    assert "country" not in messages
    wanted = sorted(sample.loc[sample["country_iso2"] == "ML", "event_id"])
    assert counter_events(page) == len(wanted) == 14
    assert sorted(wait_for_grid(page, len(wanted))) == wanted
    wait_for_map_ids(page, wanted)
    assert query_of(page)["country"] == ["ML"]
    assert "ML" in page.inner_text("#f-country")
    assert page.input_value(f"#{ids.MIN_FATALITIES}") == ""
    assert page.eval_on_selector_all(f"#{ids.PRECISION} input:checked", "els => els.length") == 0
    assert responses and [r for r in responses if r[0] >= 500] == []
    assert any("_dash-update-component" in url and status == 200 for status, url in responses)
    assert watched.errors == []
    assert "Traceback" not in sample_server.log.read_text(errors="replace")

