"""Issue 24, part B, in a real Chromium at 1280×800 and 390×844: a compact hover that fits the map, the keyboard
(the table is one Tab stop, Escape closes the card and gives focus back, slider handles say dates, date inputs),
one colour mode for map, timeline, legends and chips, the window shaded on the timeline under the slider, and the
card in view on a phone.

The server holds the 30 sample events, three of them rewritten with ACLED-length actor names, a long place name
and a UCDP-style source string (what made the hover boxes wider than the map).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from dashboard.page import ids
from dashboard.render.figures import colour_labels, palette
from tests.browser.conftest import ARTIFACTS, UI_TIMEOUT_MS, AppServer, Watched, start_server
from tests.browser.pages import (
    EVENT_PIXEL_JS,
    css_rgb,
    map_colours,
    open_view,
    wait_for_grid,
    wait_for_url_param,
    wait_settled,
    wait_until,
)
from tests.fixtures.sample_events import sample_events, write_sample_store

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAP_READY_TIMEOUT_MS = 90_000
LONG_ACTOR = ("Unidentified Armed Group (Burkina Faso) and/or Militia (Koglweogo) and/or "
              "Dozo Communal Militia (Mali)")
LONG_PLACE = "Kantchari (Tapoa province, Est region, near the Niger and Benin borders)"
UCDP_SOURCE = ("Agence France Presse,2019-06-12;Le Faso,2019-06-13;Reuters News,2019-06-12;"
               "Burkina24,2019-06-14;BBC Monitoring Africa,2019-06-15")

# The hover box Plotly shows over the map, and the map's box.
HOVER_BOX_JS = """
() => {
  const box = document.querySelector("#MAP_ID .hoverlayer .hovertext");
  if (!box) return null;
  const r = box.getBoundingClientRect(), m = document.querySelector("#MAP_ID").getBoundingClientRect();
  return {text: box.textContent, left: r.left, right: r.right, width: r.width, mapLeft: m.left, mapRight: m.right,
          mapWidth: m.width};
}
""".replace("MAP_ID", ids.MAP)
# Colours each part of the page shows: map traces, timeline bars, the visible legends' swatches.
COLOURS_JS = """
([mapId, timelineId]) => {
  const traces = id => { const gd = document.querySelector("#" + id + " .js-plotly-plot"); const out = {};
    gd._fullData.forEach(t => { out[t.name] = t.marker.color; }); return out; };
  const legend = sel => { const out = {}; document.querySelectorAll(sel).forEach(ul => {
    if (!ul.getClientRects().length) return;
    ul.querySelectorAll("li").forEach(li => { const s = li.querySelector(".swatch");
      out[li.textContent.trim()] = getComputedStyle(s).backgroundColor; }); }); return out; };
  return {timeline: traces(timelineId), side: legend(".family-legend .legend-list"),
          strip: legend(".timeline-legend"), body: document.body.getAttribute("data-colour")};
}
"""


def rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture(scope="module")
def long_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on the sample events, three with source-length names (JNIM events, so they are drawn)."""
    events = sample_events()
    long = events.index[:3]
    events.loc[long, "actor1"] = LONG_ACTOR
    events.loc[long, "actor2"] = LONG_ACTOR
    events.loc[long, "location"] = LONG_PLACE
    events.loc[long, "source"] = UCDP_SOURCE
    directory = tmp_path_factory.mktemp("long-store")
    server = start_server(write_sample_store(directory / "events.parquet", events), directory / "server.log")
    server.long_ids = list(events.loc[long, "event_id"].astype(str))  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture
def sized(browser, request) -> Iterator[Watched]:
    """A page at the viewport size given by the test's parameter (on the context, so the page sees it)."""
    context = browser.new_context(viewport=request.param, bypass_csp=True, has_touch=request.param == PHONE)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    record = Watched(page=page)
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    yield record
    context.close()


def open_map(page, url: str, query: str = "") -> None:
    open_view(page, url, query)
    wait_until(page, "() => { const gd = document.querySelector('#MAP_ID .js-plotly-plot');"
                     " const m = gd._fullLayout.map._subplot.map; return m.isStyleLoaded() && m.areTilesLoaded(); }"
               .replace("MAP_ID", ids.MAP), what="the map's style and tiles", timeout_ms=MAP_READY_TIMEOUT_MS)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# -- hover ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sized", [DESKTOP, PHONE], indirect=True, ids=["1280x800", "390x844"])
def test_the_hover_of_a_long_named_event_fits_inside_the_map(long_server, sized):
    page = sized.page
    open_map(page, long_server.url)
    for event_id in long_server.long_ids:
        where = wait_until(page, EVENT_PIXEL_JS, arg=event_id, what=f"{event_id}'s point").json_value()
        page.mouse.move(1, 1)
        page.mouse.move(where[0], where[1])
        box = wait_until(page, f"() => {{ const b = ({HOVER_BOX_JS})(); return b && b.text.includes('Kantchari')"
                               " ? b : null; }", what=f"the hover of {event_id}").json_value()
        assert box["left"] >= box["mapLeft"] - 0.5 and box["right"] <= box["mapRight"] + 0.5, box
        assert box["width"] <= min(box["mapWidth"], 320), box
        assert "and/or" not in box["text"] and "Burkina24" not in box["text"]  # the long text is the card's
        assert re.search(r"\d{4}-\d{2}-\d{2}", box["text"]) and "Fatalities" in box["text"]
    assert sized.errors == []


# -- keyboard -------------------------------------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return {id: a.id, tag: a.tagName, text: (a.innerText || "").slice(0, 40), role: a.getAttribute("role"),
                inGrid: Boolean(a.closest("#GRID")), inCard: Boolean(a.closest("#CARD")),
                col: a.getAttribute("col-id"),
                row: a.closest(".ag-row") && a.closest(".ag-row").getAttribute("row-id")};
      }""".replace("GRID", ids.EVENTS_GRID).replace("CARD", ids.EVENT_CARD))


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_the_table_is_one_tab_stop_and_play_and_the_slider_follow(long_server, sized):
    page = sized.page
    open_map(page, long_server.url)
    page.focus(f"#{ids.EXPORT_GEOJSON}")
    page.keyboard.press("Tab")
    assert focused(page)["inGrid"], focused(page)
    page.keyboard.press("ArrowDown")  # arrows move inside the table
    inside = focused(page)
    assert inside["inGrid"] and inside["row"], inside
    page.keyboard.press("ArrowDown")
    assert focused(page)["row"] != inside["row"]
    reached = []
    for _ in range(16):
        page.keyboard.press("Tab")
        here = focused(page)
        assert not here["inGrid"], f"Tab stayed in the table: {reached}"
        reached.append(here["id"] or here["role"] or here["tag"])
        if here["role"] == "slider":
            break
    assert ids.PLAY in reached and reached.index(ids.PLAY) <= 2, reached
    # the date inputs take a stop per part (month, day, year) in Chromium; the slider still comes within a few
    assert reached[-1] == "slider" and len(reached) <= 14, reached
    # Shift+Tab walks back: into the table from the control after it, and out of it in one more press
    page.focus(f"#{ids.FILTERS_TOGGLE}")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["inGrid"], focused(page)
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == ids.EXPORT_GEOJSON, focused(page)
    assert sized.errors == []


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_escape_closes_the_card_and_focus_returns_to_the_row(long_server, sized):
    page = sized.page
    open_map(page, long_server.url)
    ids_shown = wait_for_grid(page, 30)
    cell = page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='{ids_shown[1]}'] .ag-cell[col-id='location']")
    cell.click()
    wait_until(page, f"() => !document.querySelector('#{ids.EVENT_CARD}').hidden", what="the card to open")
    wait_until(page, f"() => document.activeElement.closest('#{ids.EVENT_CARD}') !== null",
               what="focus to move into the card")
    page.keyboard.press("Escape")
    wait_until(page, f"() => document.querySelector('#{ids.EVENT_CARD}').hidden", what="Escape to close the card")
    back = focused(page)
    assert back["inGrid"] and back["row"] == ids_shown[1], back
    # Enter on a focused row opens its card too, and Escape again gives the row back
    page.keyboard.press("ArrowDown")
    row = focused(page)["row"]
    page.keyboard.press("Enter")
    wait_until(page, f"() => !document.querySelector('#{ids.EVENT_CARD}').hidden", what="Enter to open the card")
    wait_until(page, "id => document.querySelector('#CARD').innerText.includes(id)".replace("CARD", ids.EVENT_CARD),
               arg=row, what=f"the card to show {row}")
    page.keyboard.press("Escape")
    wait_until(page, f"() => document.querySelector('#{ids.EVENT_CARD}').hidden")
    assert focused(page)["row"] == row
    assert sized.errors == []


HANDLES_JS = """() => Array.from(document.querySelectorAll(".time-bar .slider [role='slider']")).map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.getAttribute("aria-valuetext"), now: Number(t.getAttribute("aria-valuenow")), x: r.x + r.width / 2};
})"""
DATE_TEXT = re.compile(r"^(From|To) \d{1,2} [A-Z][a-z]+ \d{4}$")


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_slider_handles_announce_dates_and_the_date_inputs_set_the_window(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "start=2021-01-01&end=2021-12-31")
    handles = wait_until(page, f"() => {{ const h = ({HANDLES_JS})(); return h.length === 2 && h[0].text && h; }}",
                         what="the slider handles' date texts").json_value()
    assert [h["text"] for h in handles] == ["From 1 January 2021", "To 31 December 2021"]
    assert all(DATE_TEXT.match(h["text"]) for h in handles)
    # the table follows the window: it starts in 2021, not at the data's first year
    wait_for_grid(page)
    first_day = page.evaluate("id => window.dash_ag_grid.getApi(id).getDisplayedRowAtIndex(0).data.date_start",
                              ids.EVENTS_GRID)
    assert "2021-01-01" <= first_day <= "2021-12-31"
    assert page.input_value(f"#{ids.DATE_START}") == "2021-01-01"
    assert page.input_value(f"#{ids.DATE_END}") == "2021-12-31"
    page.focus(f"#{ids.SLIDER} [role='slider']")
    page.keyboard.press("ArrowRight")
    wait_for_url_param(page, "start", "2021-02-01")
    wait_until(page, f"() => ({HANDLES_JS})()[0].text === 'From 1 February 2021'", what="the handle's new date")
    wait_until(page, f"() => document.querySelector('#{ids.DATE_START}').value === '2021-02-01'")
    # an exact day typed in the date input is the view's start (the slider follows to its month)
    page.fill(f"#{ids.DATE_START}", "2021-03-05")
    page.press(f"#{ids.DATE_START}", "Tab")
    wait_for_url_param(page, "start", "2021-03-05")
    wait_until(page, f"() => ({HANDLES_JS})()[0].text === 'From 5 March 2021'", what="the handle to say 5 March")
    assert sized.errors == []


# -- one colour mode ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
@pytest.mark.parametrize("mode", ["actor", "type", "dataset"])
def test_map_timeline_legends_and_chips_follow_one_colour_mode(sample_server, sized, mode):
    page = sized.page
    open_map(page, sample_server.url)
    if mode != "actor":
        page.click(f"#{ids.COLOUR} input[value='{mode}']")
        wait_for_url_param(page, "colour", mode)
        wait_until(page, f"""() => {{ const gd = document.querySelector("#{ids.TIMELINE} .js-plotly-plot");
                               return gd.layout.meta && gd.layout.meta.colour === "{mode}"; }}""",
                   what="the timeline to stack by the new colours")
        wait_settled(page)
    seen = page.evaluate(COLOURS_JS, [ids.MAP, ids.TIMELINE])
    drawn = map_colours(page)
    expected = palette(mode)
    assert seen["body"] == mode
    legend = drawn["legend"]
    assert legend and set(legend) <= set(expected)
    for name, colour in legend.items():
        assert colour.lower() == expected[name].lower() == seen["timeline"][name].lower(), name
    # each point in its own name's colour, whatever the mode
    events = sample_events()
    label_of = dict(zip(events["event_id"].astype(str), colour_labels(events, mode), strict=True))
    assert sorted(drawn["points"]) == sorted(label_of)
    for event_id, colour in drawn["points"].items():
        assert css_rgb(colour) == rgb(expected[label_of[event_id]]), event_id
    assert set(legend) == set(label_of.values())
    assert seen["timeline"].keys() <= expected.keys()
    # the legends shown are the mode's (every name it can colour, in its colours), in the sidebar and the strip
    for legend in (seen["side"], seen["strip"]):
        assert legend == {name: rgb(colour) for name, colour in expected.items()}
    chips = page.eval_on_selector_all(f"#{ids.EVENTS_GRID} .family-chip",
                                      "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert chips
    if mode == "actor":
        assert set(chips) <= {rgb(c) for c in expected.values()}
    else:  # a family colour would mean a type or a dataset on this page: the chips are neutral
        assert set(chips) == {"rgb(255, 255, 255)"}
    shot(page, f"colour-{mode}-1280x800.png")
    assert sized.errors == []


def test_the_picked_event_and_the_clash_ring_are_drawn_in_the_map_key(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url)
    key = page.locator(f"#{ids.MAP_KEY}")
    assert key.is_visible()
    assert "JNIM–ISGS clash" in key.inner_text() and "dead" in key.inner_text()
    ring = page.eval_on_selector(".map-key .key-ring", "e => [getComputedStyle(e).borderTopStyle, "
                                 "getComputedStyle(e).borderRadius]")
    assert ring[0] == "solid" and ring[1] == "50%"  # a ring, as the map draws it (not a dot)
    sizes = page.eval_on_selector_all(".map-key .sizes .key-size", "els => els.map(e => e.offsetWidth)")
    assert len(sizes) == 3 and sizes == sorted(sizes) and sizes[0] < sizes[-1]


# -- timeline -------------------------------------------------------------------------------------------------


WINDOW_JS = """() => {
  const gd = document.querySelector("#TIMELINE_ID .js-plotly-plot");
  const shape = (gd.layout.shapes || []).find(s => s.name === "window");
  if (!shape) return null;
  const ax = gd._fullLayout.xaxis, left = gd.getBoundingClientRect().left;
  const px = d => left + ax._offset + ax.l2p(ax.d2l(d));
  const mid = d => { const t = new Date(d + "T00:00:00Z"); const n = new Date(Date.UTC(t.getUTCFullYear(),
    t.getUTCMonth() + 1, 1)); return (px(d) + px(n.toISOString().slice(0, 10))) / 2; };
  const months = gd.layout.meta.months;
  return {x0: shape.x0, x1: shape.x1, first: mid(months[0]), last: mid(months[1]), start: mid(shape.x0),
          endMonth: shape.x1};
}""".replace("TIMELINE_ID", ids.TIMELINE)


@pytest.mark.parametrize("sized", [DESKTOP, PHONE], indirect=True, ids=["1280x800", "390x844"])
def test_the_timeline_shades_the_window_under_a_slider_on_its_time_axis(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "start=2021-01-01&end=2021-12-31")
    shaded = wait_until(page, WINDOW_JS, what="the window's shading on the timeline").json_value()
    assert (shaded["x0"], shaded["x1"]) == ("2021-01-01", "2022-01-01")
    # the slider's ends sit over the first and last months' bars; its start handle over January 2021's
    wait_until(page, f"""(want) => {{ const h = ({HANDLES_JS})(); return h.length === 2 &&
                         Math.abs(h[0].x - want) < 4; }}""", arg=shaded["start"],
               what="the start handle over January 2021's bar")
    page.focus(f"#{ids.SLIDER} [role='slider']")
    page.keyboard.press("Home")
    wait_until(page, "() => !new URLSearchParams(location.search).has('start')")
    first_month = page.evaluate(
        f"() => document.querySelector('#{ids.TIMELINE} .js-plotly-plot').layout.meta.months[0]")
    first = wait_until(page, f"(m) => {{ const w = ({WINDOW_JS})(); return w && w.x0 === m && w; }}", arg=first_month,
                       what="the shading to start at the first month").json_value()
    assert first["x1"] == "2022-01-01"
    wait_until(page, f"""(want) => {{ const h = ({HANDLES_JS})(); return Math.abs(h[0].x - want) < 4; }}""",
               arg=first["first"], what="the start handle over the first month's bar")
    shot(page, f"timeline-window-{page.viewport_size['width']}.png")
    assert sized.errors == []


# -- phone ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_a_table_tap_on_a_phone_opens_the_card_in_view(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url)
    ids_shown = wait_for_grid(page, 30)
    cell = page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='{ids_shown[2]}'] .ag-cell[col-id='location']")
    cell.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 200  # the table is below the map
    cell.tap()
    wait_until(page, f"""() => {{ const c = document.querySelector("#{ids.EVENT_CARD}");
                          if (c.hidden) return false; const r = c.getBoundingClientRect();
                          return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.height > 50; }}""",
               what="the card to open inside the screen")
    assert ids_shown[2] in page.inner_text(f"#{ids.EVENT_CARD}")
    # the filters panel never scrolls sideways (the upload input fits)
    page.click(f"#{ids.FILTERS_TOGGLE}")
    overflow = page.eval_on_selector(f"#{ids.FILTERS}", "e => e.scrollWidth - e.clientWidth")
    assert overflow <= 0
    shot(page, "phone-card-390x844.png")
    assert sized.errors == []


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_the_filters_panel_never_scrolls_sideways_and_says_what_seed_means(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url)
    overflow = page.eval_on_selector(f"#{ids.FILTERS}", "e => e.scrollWidth - e.clientWidth")
    assert overflow <= 0
    page.click("#f-dataset")
    wait_until(page, "() => document.body.innerText.includes('Bundled sample events (seed)')",
               what="the dataset options said in words")
    assert "Play window" in page.inner_text(f"#{ids.TIME_BAR}")
    headers = page.eval_on_selector_all(f"#{ids.EVENTS_GRID} .ag-header-cell-text", "els => els.map(e => e.innerText)")
    assert headers[:6] == ["Start", "Place", "Country", "Actor families", "Deaths", "End"]
    shot(page, "page-1280x800.png")
    assert sized.errors == []
