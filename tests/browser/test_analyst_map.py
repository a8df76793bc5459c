"""The analyst's map in a real Chromium at 1280×800 and 390×844: layout, one palette, offline names, fit, card.

The server holds the 30 sample events. Viewports are set on the browser context itself (not the window), so
the page sees exactly those sizes. Every wait asks "ready yet?" in a try/catch and answers false until then.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from dashboard.page import ids
from dashboard.render import basemap
from dashboard.render.figures import FAMILY_COLOURS, family_labels
from tests.browser.conftest import ARTIFACTS, UI_TIMEOUT_MS, Watched
from tests.browser.pages import EVENT_PIXEL_JS, MAP_JS, css_rgb, map_colours, open_view, wait_for_grid, wait_until
from tests.fixtures.sample_events import sample_events

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The map's first draw with its basemap (glyphs, five GeoJSON sources) takes a while on a busy 2-core machine.
MAP_READY_TIMEOUT_MS = 90_000
CARD_TIMEOUT_MS = 45_000
TOWN_LAYERS = [f"town-labels-{rank}" for rank in (1, 2, 3, 4)]

# The map's MapLibre instance once the style, its sources and the event traces are all drawn; null before.
MAPLIBRE_READY_JS = """
() => {
  try {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
    if (!map || !map.isStyleLoaded() || !map.areTilesLoaded()) return false;
    if (!gd._fullData.some(t => t.customdata && t.customdata.length)) return false;
    return true;
  } catch (e) { return false; }
}
""".replace("MAP_ID", ids.MAP)
# Names MapLibre has actually placed on the canvas, per layer.
RENDERED_LABELS_JS = """
(layers) => {
  try {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    const map = gd._fullLayout.map._subplot.map;
    const out = {};
    map.queryRenderedFeatures({layers: layers}).forEach(f => {
      (out[f.layer.id] = out[f.layer.id] || []).push(f.properties.name);
    });
    return out;
  } catch (e) { return null; }
}
""".replace("MAP_ID", ids.MAP)
BOUNDS_JS = """
() => {
  try {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    const b = gd._fullLayout.map._subplot.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  } catch (e) { return null; }
}
""".replace("MAP_ID", ids.MAP)
LAYOUT_JS = """
() => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
                     const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  return {
    width: window.innerWidth, height: window.innerHeight,
    scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight,
    bodyScrollWidth: document.body.scrollWidth,
    map: box("#MAP_ID"), timeBar: box("#TIME_BAR"), timeline: box("#TIMELINE"), slider: box("#SLIDER"),
    play: box("#PLAY"), tables: box("#TABLES"), grid: box("#GRID"), firstRow: box("#GRID .ag-row"),
    filters: box("#FILTERS"), country: box("#f-country"), footer: box("footer"),
  };
}
""".replace("MAP_ID", ids.MAP).replace("TIME_BAR", ids.TIME_BAR).replace("TIMELINE", ids.TIMELINE).replace(
    "SLIDER", ids.SLIDER).replace("PLAY", ids.PLAY).replace("TABLES", ids.TABLES).replace(
    "GRID", ids.EVENTS_GRID).replace("FILTERS", ids.FILTERS)


@pytest.fixture
def sized(browser, request) -> Iterator[Watched]:
    """A page at the viewport size given by the test's parameter, recording requests and their answers."""
    context = browser.new_context(viewport=request.param, accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    record = Watched(page=page)
    record.responses = []  # type: ignore[attr-defined]
    page.on("request", lambda r: record.requests.append(r.url))
    page.on("response", lambda r: record.responses.append((r.url, r.status)))  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.on("dialog", lambda dialog: (record.dialogs.append(dialog.message), dialog.dismiss()))
    yield record
    context.close()


def open_map(page, url: str, query: str = "") -> None:
    """Open a view and wait until the map's style, basemap sources and event points are drawn."""
    open_view(page, url, query)
    wait_until(page, MAPLIBRE_READY_JS, timeout_ms=MAP_READY_TIMEOUT_MS)


def wait_for_labels(page, layers: list[str]) -> dict[str, list[str]]:
    """The labels rendered on ``layers`` once there are some (glyphs arrive after the style)."""
    handle = wait_until(page,
        f"""(layers) => {{ const got = ({RENDERED_LABELS_JS})(layers);
              return got && Object.keys(got).length ? got : false; }}""",
        arg=layers, timeout_ms=MAP_READY_TIMEOUT_MS)
    return handle.json_value()


def rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))


def inside(inner: dict, width: int, height: int) -> bool:
    return inner["x"] >= -0.5 and inner["y"] >= -0.5 and inner["x"] + inner["w"] <= width + 0.5 and (
        inner["y"] + inner["h"] <= height + 0.5)


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_desktop_fills_one_screen_with_the_map_first(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url)
    wait_for_grid(page, 30)
    wait_for_labels(page, TOWN_LAYERS)
    box = page.evaluate(LAYOUT_JS)
    assert (box["width"], box["height"]) == (1280, 800)
    share = box["map"]["w"] * box["map"]["h"] / (box["width"] * box["height"])
    assert share >= 0.40, f"the map covers {share:.0%} of the window"
    assert box["scrollWidth"] <= box["width"] and box["bodyScrollWidth"] <= box["width"]
    assert box["scrollHeight"] <= box["height"]  # one screen: nothing to scroll to
    for part in ("timeBar", "timeline", "slider", "play", "tables", "grid", "map", "country", "footer"):
        assert inside(box[part], box["width"], box["height"]), f"{part} is not fully in view: {box[part]}"
    # the table's first columns (start date, place, country, families, deaths) are read without scrolling sideways
    cells = page.eval_on_selector_all(
        f"#{ids.EVENTS_GRID} .ag-row[row-index='0'] .ag-cell",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [e.getAttribute('col-id'), r.x, r.y,"
        " r.width, r.height]; })")
    visible = {col for col, x, y, w, h in cells if x >= box["tables"]["x"] - 1 and x + w <= box["width"] + 0.5
               and y + h <= box["height"]}
    assert {"date_start", "location", "country_iso2", "group1", "fatalities"} <= visible, cells
    order = [col for col, *_ in sorted(cells, key=lambda c: c[1])]
    assert order[:6] == ["date_start", "location", "country_iso2", "group1", "fatalities", "date_end"]
    assert box["timeBar"]["y"] >= box["map"]["y"] + box["map"]["h"] - 1  # docked under the map
    assert box["tables"]["x"] >= box["map"]["x"] + box["map"]["w"] - 1  # beside it
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analyst-1280x800.png"))
    # the filters collapse, and the map takes the room
    page.click(f"#{ids.FILTERS_TOGGLE}")
    wait_until(page,
        f"""(before) => {{ try {{ const r = document.querySelector("#{ids.MAP}").getBoundingClientRect();
              return r.width > before + 100; }} catch (e) {{ return false; }} }}""", arg=box["map"]["w"])
    assert page.locator("#f-country").is_hidden()
    assert sized.errors == []


@pytest.mark.parametrize("sized", [PHONE], indirect=True, ids=["390x844"])
def test_phone_stacks_map_first_with_filters_in_a_drawer(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url)
    wait_for_grid(page, 30)
    box = page.evaluate(LAYOUT_JS)
    assert (box["width"], box["height"]) == (390, 844)
    assert box["scrollWidth"] <= 390 and box["bodyScrollWidth"] <= 390, "something is wider than the screen"
    assert box["map"]["y"] < box["timeBar"]["y"] < box["tables"]["y"] < box["footer"]["y"]
    assert box["map"]["w"] >= 380 and box["map"]["y"] < 10 and box["map"]["h"] >= 300
    assert not inside(box["country"], 390, 844)  # the filters wait in their drawer
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analyst-390x844.png"))
    page.click(f"#{ids.FILTERS_TOGGLE}")
    wait_until(page,
        """() => { try { const r = document.querySelector("#f-country").getBoundingClientRect();
             return r.x >= 0 && r.x + r.width <= window.innerWidth; } catch (e) { return false; } }""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(f"#{ids.FILTERS_CLOSE}")
    wait_until(page,
        """() => { try { return document.querySelector("#f-country").getBoundingClientRect().right <= 0; }
             catch (e) { return false; } }""")
    assert sized.errors == []


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_names_are_drawn_offline_with_glyphs_from_this_server(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "country=NE")
    labels = wait_for_labels(page, [*TOWN_LAYERS, "admin1-labels", "country-labels"])
    towns = {name for layer in TOWN_LAYERS for name in labels.get(layer, [])}
    assert towns, f"no town label rendered: {labels}"
    known = {f["properties"]["name"] for f in json.loads(
        (basemap.BASEMAP_DIR / "towns.geojson").read_text(encoding="utf-8"))["features"]}
    assert towns <= known
    every = {name for names in labels.values() for name in names}
    assert "Tillabéri" in every  # spelled as the gazetteer spells it, accent drawn from our glyphs
    glyphs = [(url, status) for url, status in sized.responses if urlsplit(url).path.startswith("/glyphs/")]
    assert glyphs and all(status == 200 for _, status in glyphs)
    assert all(urlsplit(url).hostname == "127.0.0.1" for url, _ in glyphs)
    outside = [u for u in sized.requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    served = {urlsplit(u).path for u, _ in sized.responses}
    assert {"/basemap/towns.geojson", "/basemap/rivers.geojson", "/boundaries/admin1_labels.geojson"} <= served


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_a_family_has_one_colour_in_map_timeline_and_table(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url)
    wait_for_grid(page, 30)
    drawn = map_colours(page)
    timeline = page.evaluate(
        """id => { const gd = document.querySelector("#" + id + " .js-plotly-plot"); const out = {};
                   gd._fullData.forEach(t => { out[t.name] = t.marker.color; }); return out; }""", ids.TIMELINE)
    families = [f for f in FAMILY_COLOURS if f in drawn["legend"]]
    assert {"JNIM", "ISGS"} <= set(families) and set(families) == set(drawn["legend"])
    for family in families:
        assert drawn["legend"][family].lower() == timeline[family].lower() == FAMILY_COLOURS[family].lower(), family
    # every point is drawn in its family's colour (one trace draws them all, coloured point by point)
    events = sample_events()
    family_of = dict(zip(events["event_id"].astype(str), family_labels(events), strict=True))
    assert sorted(drawn["points"]) == sorted(family_of)
    for event_id, colour in drawn["points"].items():
        assert css_rgb(colour) == rgb(FAMILY_COLOURS[family_of[event_id]]), event_id
    chips = page.eval_on_selector_all(
        f"#{ids.EVENTS_GRID} .family-chip",
        "els => els.map(e => [e.dataset.family, getComputedStyle(e).backgroundColor])")
    assert chips
    for family, background in chips:
        assert background == rgb(FAMILY_COLOURS[family]), family
    legend = page.eval_on_selector_all(f"#{ids.MAP} .legendtext", "els => els.map(e => e.textContent)")
    assert 0 < len(legend) <= 10


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_the_map_frames_burkina_faso_and_follows_a_region_click(sample_server, sized):
    page = sized.page
    events = sample_events()
    bf = events[events["country_iso2"] == "BF"]
    open_map(page, sample_server.url, "country=BF")
    west, south, east, north = wait_until(page, BOUNDS_JS).json_value()
    assert west <= bf["longitude"].min() and east >= bf["longitude"].max()
    assert south <= bf["latitude"].min() and north >= bf["latitude"].max()
    assert east - west < 8, "the map still frames the whole region"
    centre = ((west + east) / 2, (south + north) / 2)
    assert -5.6 < centre[0] < 2.5 and 9.3 < centre[1] < 15.2  # inside Burkina Faso's box
    # a region clicked in the regions tab: the map frames that region's events
    page.goto(sample_server.url + "/")
    wait_until(page, MAPLIBRE_READY_JS, timeout_ms=MAP_READY_TIMEOUT_MS)
    whole = wait_until(page, BOUNDS_JS).json_value()
    page.click(f"#{ids.TAB_REGIONS}")
    page.click(f"#{ids.REGIONS_GRID} .ag-row[row-id='NE|Tillabéri'] .ag-cell[col-id='admin1']")
    wait_until(page, "() => new URLSearchParams(location.search).get('admin1') === 'Tillabéri'")
    tillaberi = events[events["admin1"] == "Tillabéri"]
    framed = wait_until(page,
        f"""(whole) => {{ const b = ({BOUNDS_JS})();
              return b && (b[2] - b[0]) < (whole[2] - whole[0]) / 1.5 && b; }}""",
        arg=whole, timeout_ms=MAP_READY_TIMEOUT_MS).json_value()
    assert framed[0] <= tillaberi["longitude"].min() and framed[2] >= tillaberi["longitude"].max()
    assert framed[1] <= tillaberi["latitude"].min() and framed[3] >= tillaberi["latitude"].max()


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_play_keeps_one_frame(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "country=ML&start=2020-03-01&end=2020-05-31")
    bounds_when_drawn = f"""(wanted) => {{ try {{
        const s = ({MAP_JS})(); const map = document.querySelector("#{ids.MAP} .js-plotly-plot")
          ._fullLayout.map._subplot.map;
        if (!s || JSON.stringify(s.ids.slice().sort()) !== JSON.stringify(wanted) || map.isMoving()) return false;
        return ({BOUNDS_JS})(); }} catch (e) {{ return false; }} }}"""
    page.click(f"#{ids.PLAY}")
    # each Play step draws its own events (so the map did redraw) inside the same frame
    first = wait_until(page, bounds_when_drawn, arg=["acled:7", "ucdp:8"],
                                   timeout_ms=MAP_READY_TIMEOUT_MS).json_value()
    later = wait_until(page, bounds_when_drawn, arg=["ucdp:8"], timeout_ms=MAP_READY_TIMEOUT_MS).json_value()
    page.click(f"#{ids.PLAY}")
    assert later == pytest.approx(first, abs=1e-6)
    ml = sample_events().query("country_iso2 == 'ML'")
    assert first[0] <= ml["longitude"].min() and first[2] >= ml["longitude"].max()  # the whole play's events


def card_text(page) -> str:
    page.wait_for_selector(f"#{ids.EVENT_CARD}:not([hidden])", timeout=CARD_TIMEOUT_MS)
    return page.inner_text(f"#{ids.EVENT_CARD}")


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_a_table_row_click_opens_the_event_card(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "country=BF")
    assert page.locator(f"#{ids.EVENT_CARD}").is_hidden()
    page.click(f"#{ids.EVENTS_GRID} .ag-row[row-id='acled:12'] .ag-cell[col-id='location']")
    wait_until(page,
        f"""() => {{ try {{ return document.querySelector("#{ids.EVENT_CARD}:not([hidden])")
              .innerText.includes("acled:12"); }} catch (e) {{ return false; }} }}""", timeout_ms=CARD_TIMEOUT_MS)
    text = card_text(page)
    row = sample_events().set_index("event_id").loc["acled:12"]
    for expected in ("acled:12", "2021-06-05", "precision: day", "Solhan", "1: the place itself",
                     str(row["actor1"]), "JNIM", "Civilians", str(int(row["fatalities"])), "acled",
                     "<script>alert(1)</script> Solhan massacre"):
        assert expected in text, expected
    links = page.eval_on_selector_all(f"#{ids.EVENT_CARD} a", "els => els.map(a => [a.href, a.rel])")
    assert all(href.startswith(("http://", "https://")) and "noopener" in rel for href, rel in links)
    assert page.locator(f"#{ids.EVENT_CARD} script").count() == 0
    page.screenshot(path=str(ARTIFACTS / "analyst-card.png"))
    page.click(f"#{ids.EVENT_CARD_CLOSE}")
    page.wait_for_selector(f"#{ids.EVENT_CARD}", state="hidden")
    assert sized.dialogs == [] and sized.errors == []


@pytest.mark.parametrize("sized", [DESKTOP], indirect=True, ids=["1280x800"])
def test_a_point_click_opens_the_event_card(sample_server, sized):
    page = sized.page
    open_map(page, sample_server.url, "country=NE")
    target = "acled:11"
    events = sample_events().set_index("event_id")
    assert events.loc[target, "country_iso2"] == "NE"
    x, y = wait_until(page, f"() => ({EVENT_PIXEL_JS})({json.dumps(target)})").json_value()
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    wait_until(page,
        f"""(id) => {{ try {{ const card = document.querySelector("#{ids.EVENT_CARD}:not([hidden])");
              return card.innerText.includes(id); }} catch (e) {{ return false; }} }}""",
        arg=target, timeout_ms=CARD_TIMEOUT_MS)
    text = card_text(page)
    assert str(events.loc[target, "location"]) in text and str(events.loc[target, "actor1"]) in text
    assert sized.errors == []
