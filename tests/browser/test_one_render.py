"""One render per change, in a real Chromium: each user action sends each callback once, and only the callbacks
whose part of the page changed; layout events that are not user actions (the timeline's autosize) send nothing.

Every callback request the page sends is recorded with its `output` field (tests/browser/pages.py RECORD_JS) and
counted once the page has settled: the map has drawn the view, nothing is loading and no request for a second.
Callbacks other modules add (an event card, say) may also be sent, but none of them twice.
"""

from __future__ import annotations

import pytest

from dashboard.page import ids
from tests.browser.pages import (
    counts_by_output,
    draws,
    forget_callbacks,
    open_view,
    output_name,
    record_callbacks,
    settle,
    wait_for_query,
    wait_until,
)

VIEW = f"{ids.URL}.search"  # the view callback: controls and address -> the view stores
MAP = f"{ids.MAP}.figure"
PARTS = f"{ids.TIMELINE}.figure"  # timeline, counter, range text, empty state, export links, regions table
ROWS = f"{ids.EVENTS_GRID}.getRowsResponse"  # a block of the events table
FLOW = {VIEW, MAP, PARTS, ROWS}
YEAR = "start=2021-01-01&end=2021-12-31"
COUNTRY = next(cid for cid, field in ids.DROPDOWNS.items() if field == "country")

# A prop of a component as the Dash renderer holds it.
PROP_JS = """
([id, prop]) => {
  const stores = window.dash_stores, state = stores && stores[stores.length - 1].getState();
  const path = state && state.paths.strs[id];
  return path ? path.reduce((node, key) => node[key], state.layout).props[prop] : undefined;
}
"""


def assert_once_each(callbacks: list[dict], expected: set[str]) -> dict[str, int]:
    """No callback was sent twice, and of the view's flow exactly ``expected`` were sent."""
    counts = counts_by_output(callbacks)
    assert all(n == 1 for n in counts.values()), f"sent more than once: {counts}"
    assert {name for name in counts if name in FLOW} == expected, counts
    assert all(c["status"] in (200, 204) for c in callbacks), callbacks
    return counts


def only(callbacks: list[dict], name: str) -> dict:
    return next(c for c in callbacks if output_name(c["output"]) == name)


@pytest.fixture
def page(sample_server, watched):
    """A page recording its callbacks, opened on one year and settled."""
    page = watched.page
    record_callbacks(page)
    open_view(page, sample_server.url, YEAR)
    settle(page)
    return page


def test_page_load_draws_with_the_page_and_the_timeline_autosize_sends_nothing(sample_server, watched):
    page = watched.page
    record_callbacks(page)
    open_view(page, sample_server.url, YEAR)
    callbacks = settle(page)
    # The layout came with the address's view drawn (dashboard/page/opening.py): the view callback finds nothing to
    # change, the map and the other parts are not even asked (no initial call), and only the events table sends
    # rows (its first block).
    assert_once_each(callbacks, {VIEW, ROWS})
    view = only(callbacks, VIEW)
    assert view["changed"] == [f"{ids.URL}.search"]
    for name in (VIEW,):
        assert (only(callbacks, name)["status"], only(callbacks, name)["wrote"]) == (204, []), name
    assert page.evaluate(f"({PROP_JS})", [ids.VIEW_STORE, "data"])["query"] == YEAR
    assert {d["view"] for d in draws(page)} == {YEAR}  # the map only ever drew the address's view
    # labels appear at once rather than fading in over frames (assets/flow.js)
    fade = "() => document.querySelector('#MAP .js-plotly-plot')._fullLayout.map._subplot.map._fadeDuration"
    assert page.evaluate(fade.replace("MAP", ids.MAP)) == 0
    # A resize to the same size is skipped (assets/flow.js quietResize); an autosize relayout the timeline does
    # report is passed on to nobody: it is not a zoom.
    page.evaluate(f"() => Plotly.relayout(document.querySelector('#{ids.TIMELINE} .js-plotly-plot'), "
                  "{autosize: true})")
    wait_until(page, f"() => ({PROP_JS})(['{ids.TIMELINE}', 'relayoutData'])", what="the timeline's relayout")
    settle(page)
    assert page.evaluate(f"({PROP_JS})", [ids.TIMELINE_ZOOM, "data"]) is None
    assert watched.errors == []


def test_page_load_without_a_referrer_draws_the_address_once(sample_server, watched):
    """A browser that sends no Referer gets the default view with the page; the view callback then writes the
    address's view and the map, timeline and tables are drawn for it, each once."""
    page = watched.page

    def without_referrer(route):  # the page as a browser that never sends a Referer would load it
        body = route.fetch().text().replace("<head>", '<head><meta name="referrer" content="no-referrer">', 1)
        route.fulfill(body=body, content_type="text/html")

    page.route(lambda url: url.split("?")[0].rstrip("/") == sample_server.url, without_referrer)
    record_callbacks(page)
    open_view(page, sample_server.url, YEAR)
    wait_until(page, f"() => ({PROP_JS})(['{ids.VIEW_STORE}', 'data']).query === '{YEAR}'",
               what="the view store to hold the address's view")
    callbacks = settle(page)
    assert_once_each(callbacks, FLOW)
    wrote = set(only(callbacks, VIEW)["wrote"])
    assert {f"{s}.data" for s in (ids.VIEW_STORE, ids.FILTERS_STORE, ids.REGIONS_STORE)} <= wrote
    assert f"{ids.TIMELINE_STORE}.data" not in wrote  # the timeline shows no dates: the default one stands
    assert only(callbacks, MAP)["view"] == YEAR
    assert draws(page)[-1]["view"] == YEAR
    assert watched.errors == []


def test_a_filter_change_sends_each_callback_once(page):
    forget_callbacks(page)
    page.click(f"#{COUNTRY}")
    page.get_by_role("option", name="ML").click()
    page.keyboard.press("Escape")
    assert wait_for_query(page, "country") == ["ML"]
    callbacks = settle(page)
    assert_once_each(callbacks, FLOW)
    assert only(callbacks, VIEW)["changed"] == [f"{COUNTRY}.value"]
    assert {"timeline.figure", "counter.children", "regions-grid.rowData"} <= set(only(callbacks, PARTS)["wrote"])


def test_a_slider_move_sends_each_callback_once_and_leaves_the_timeline_alone(page):
    forget_callbacks(page)
    handle = page.locator(f"#{ids.SLIDER} [role=slider]").first
    handle.focus()
    handle.press("ArrowRight")
    wait_until(page, "() => new URLSearchParams(location.search).get('start') === '2021-02-01'")
    callbacks = settle(page)
    assert_once_each(callbacks, FLOW)
    wrote = set(only(callbacks, PARTS)["wrote"])
    assert {"counter.children", "range-text.children", "export-csv.href", "regions-grid.rowData"} <= wrote
    # The timeline shows every month whatever the dates: it is not computed, sent or drawn again.
    assert "timeline.figure" not in wrote


def test_a_colour_choice_redraws_the_map_and_the_timeline_only(page):
    forget_callbacks(page)
    page.click(f"#{ids.COLOUR} input[value='type']")
    assert wait_for_query(page, "colour") == ["type"]
    callbacks = settle(page)
    assert_once_each(callbacks, {VIEW, MAP, PARTS})
    # the timeline stacks by the new colours; the counter, exports and regions table are not sent again
    assert set(only(callbacks, PARTS)["wrote"]) == {"timeline.figure"}


def test_a_map_selection_sends_each_callback_once(page):
    forget_callbacks(page)
    graph = page.locator(f"#{ids.MAP} .js-plotly-plot")
    graph.hover()
    page.click(f"#{ids.MAP} .modebar-btn[data-val='select']")
    box = graph.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.40, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.75, steps=12)
    page.mouse.up()
    wait_for_query(page, "bbox")
    callbacks = settle(page)
    assert_once_each(callbacks, FLOW)
    assert only(callbacks, VIEW)["changed"] == [f"{ids.MAP}.selectedData"]


def test_a_region_click_sends_each_callback_once_and_keeps_the_regions_table(page):
    page.click(f"#{ids.TAB_REGIONS}")  # the regions table is the second tab beside the map
    cell = f"#{ids.REGIONS_GRID} .ag-row .ag-cell[col-id='admin1']"
    # The tab shows the grid on the next frame: read the region once its cell is drawn with its name.
    region = wait_until(page, "sel => { const c = document.querySelector(sel); return c && c.offsetParent"
                              " && c.innerText.trim(); }", arg=cell, what="the regions tab's first row").json_value()
    forget_callbacks(page)
    row = page.locator(cell).first
    row.click()
    assert wait_for_query(page, "admin1") == [region]
    callbacks = settle(page)
    assert_once_each(callbacks, FLOW)
    assert "regions-grid.rowData" not in only(callbacks, PARTS)["wrote"]


def test_a_table_row_click_redraws_the_map_only(page):
    forget_callbacks(page)
    before = len(draws(page))
    page.locator(f"#{ids.EVENTS_GRID} .ag-row .ag-cell[col-id='location']").first.click()
    wait_until(
        page,
        "() => { const gd = document.querySelector('#map .js-plotly-plot');"
        " return Boolean(gd && gd.data && gd.data.some(t => t.name === 'selected event')); }")
    callbacks = settle(page)
    assert_once_each(callbacks, {MAP})
    # recorded once MapLibre is idle with the new figure, which may come after the callbacks have settled
    wait_until(page, "n => window.__record.draws.length > n", arg=before, what="the map to draw the selection")


def test_play_sends_one_round_per_step_and_waits_for_each_step_to_be_drawn(page):
    forget_callbacks(page)
    speed = page.evaluate(f"({PROP_JS})", [ids.PLAY_SPEED, "value"])
    page.click(f"#{ids.PLAY}")
    steps = 3
    wait_until(
        page,
        """([n, tick]) => { try { return window.__record.callbacks.filter(
               c => c.changed.includes(tick) && c.end !== null).length >= n; } catch (e) { return false; } }""",
        arg=[steps, f"{ids.PLAY_TICK}.data"], timeout_ms=120_000)
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Play')")
    callbacks = settle(page)
    drawn = draws(page)
    rounds = [c for c in callbacks if output_name(c["output"]) == VIEW]
    # The press, each step and the pause: one view request each; each view but the pause's is drawn once.
    ticks = [c for c in rounds if f"{ids.PLAY_TICK}.data" in c["changed"]]
    assert len(ticks) >= steps and len(rounds) == len(ticks) + 2
    maps = [c for c in callbacks if output_name(c["output"]) == MAP]
    # A step still on its way when the pause is pressed is superseded (Dash keeps only the newest answer of a
    # callback): its window is never shown, so it is never drawn. Only the last step can be caught so.
    pause = rounds[-1]
    superseded = [t for t in ticks if t["end"] is None or t["end"] > pause["start"]]
    assert superseded in ([], ticks[-1:]), (superseded, pause)
    assert len(maps) == len(rounds) - 1 - len(superseded)
    assert len({m["view"] for m in maps}) == len(maps)  # every step a new window, none drawn twice
    for name in (PARTS, ROWS):
        assert sum(output_name(c["output"]) == name for c in callbacks) == len(maps)
    # A step is sent only once the map has drawn the step before it, and not sooner than the speed says.
    for before, tick in zip(maps, ticks, strict=False):
        shown = [d["t"] for d in drawn if d["view"] == before["view"]]
        assert shown and min(shown) <= tick["start"], (before, tick, drawn)
    for a, b in zip(ticks, ticks[1:], strict=False):  # the timer polls every 100 ms and keeps to the schedule
        assert b["start"] - a["start"] >= speed - 100 - 50


# Counts the frames MapLibre really draws (assets/flow.js holdFrames wraps the painter; its inner draw is counted)
# and the map's Plotly afterplots, from now on.
COUNT_FRAMES_JS = """
() => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  const painter = gd._fullLayout.map._subplot.map.painter;
  const state = window.__frames = {drawn: 0, afterplots: 0};
  const draw = painter.render.draw;
  painter.render.draw = function () { state.drawn += 1; return draw.apply(this, arguments); };
  gd.on("plotly_afterplot", () => { state.afterplots += 1; });
  return true;
}
""".replace("MAP_ID", ids.MAP)


def test_a_filter_change_draws_the_map_in_few_frames_and_a_same_size_resize_redraws_nothing(page):
    """Issue 19: a new figure's sources come back from MapLibre's workers one by one, and each drew a frame
    (7-8 per filter change at 10,000 events); the page now draws once they are all in. Dash's responsive graphs
    ask Plotly to resize whenever the page's layout moves, and Plotly redrew the whole map even at the same size."""
    assert page.evaluate(COUNT_FRAMES_JS)
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")  # the graphs' size has not changed
    page.wait_for_timeout(600)
    assert page.evaluate("() => window.__frames") == {"drawn": 0, "afterplots": 0}
    forget_callbacks(page)
    page.click(f"#{COUNTRY}")
    page.get_by_role("option", name="ML").click()
    page.keyboard.press("Escape")
    assert wait_for_query(page, "country") == ["ML"]
    settle(page)
    frames = page.evaluate("() => window.__frames")
    # one frame once the points are in, the new camera's basemap tiles, and the recorder's own repaint (RECORD_JS)
    assert frames["afterplots"] == 1 and 1 <= frames["drawn"] <= 4, frames
    assert "country=ML" in draws(page)[-1]["view"]
