"""What the screenshots showed, checked in a real Chromium at 1280×800 and 390×844 on the labelled ACLED and UCDP
store (tests/fixtures/incidents, a point on Bamako): the map's frame leaves a town label's room at its edges, the
filters' placeholders are whole, and on a phone the towns of the war (Gao, Mopti) are named above the points."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.page import ids
from tests.browser.conftest import UI_TIMEOUT_MS
from tests.browser.pages import open_view, wait_until

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A town label beside a point on the frame's edge ("Bamako" at 13.5 px, on either side of its dot) needs this many
# pixels between the point and the map's edge.
LABEL_ROOM_PX = 45

# Once MapLibre has placed the labels: the town names it draws, each event point's x on the map's canvas, the
# canvas width, and the style's layer order (the events' layers must lie under every name layer).
PLACED_JS = """
() => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  const map = gd._fullLayout.map._subplot.map;
  if (!map.isStyleLoaded() || !map.areTilesLoaded() || !map.loaded()) return null;
  const layers = map.getStyle().layers.map(l => l.id);
  const towns = layers.filter(id => id.startsWith("town-labels"));
  const names = map.queryRenderedFeatures({layers: towns}).map(f => f.properties.name);
  const events = gd._fullData.find(t => t.name === "events");
  if (!events || !names.length) return null;
  const xs = Array.from(events.lon.keys()).filter(i => Number.isFinite(events.lon[i]))
    .map(i => map.project([events.lon[i], events.lat[i]]).x);
  return {names: Array.from(new Set(names)), xs: xs, width: map.getCanvas().clientWidth, layers: layers};
}
""".replace("MAP_ID", ids.MAP)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["1280x800", "390x844"])
def sized(browser, request) -> Iterator[object]:
    context = browser.new_context(viewport=request.param, bypass_csp=True)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def placed(page) -> dict:
    page.wait_for_timeout(500)  # MapLibre places labels a frame after the map is idle
    return wait_until(page, PLACED_JS, what="the map's names to be placed").json_value()


def test_names_stay_inside_the_map_and_above_the_points(labelled_server, sized):
    page = sized
    open_view(page, labelled_server.url)
    shown = placed(page)
    # the frame leaves a label's room beside the outermost points (Bamako's point is the westernmost)
    assert min(shown["xs"]) >= LABEL_ROOM_PX, min(shown["xs"])
    assert max(shown["xs"]) <= shown["width"] - LABEL_ROOM_PX, (max(shown["xs"]), shown["width"])
    assert "Bamako" in shown["names"]
    # towns are named above the points, on a phone as on a desktop: the towns of the war are named
    assert {"Gao", "Mopti"} <= set(shown["names"]), sorted(shown["names"])
    layers = shown["layers"]
    first_name = min(layers.index(i) for i in layers if i.endswith("-labels") or i.startswith("town-labels"))
    assert all(layers.index(i) < first_name for i in layers if i.startswith("plotly-trace"))


def test_every_filter_placeholder_is_whole(labelled_server, sized):
    page = sized
    open_view(page, labelled_server.url)
    if page.viewport_size["width"] < 760:
        page.click(f"#{ids.FILTERS_TOGGLE}")  # on a phone the filters are in a drawer
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('.dash-dropdown-placeholder'))
        .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth)
        .map(e => [e.closest('.dash-dropdown').id, e.innerText, e.scrollWidth, e.clientWidth])""")
    assert cut == []
