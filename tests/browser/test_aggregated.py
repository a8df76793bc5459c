"""Above SCA_MAX_POINTS events in sight the map draws bins; zooming in with the mouse brings single events back.

The server holds the 30 sample events with ``SCA_MAX_POINTS=8``, so the whole region is aggregated and a
zoom onto the Tillabéri cluster (5 events in and around the view) is not.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.page import ids
from tests.browser.conftest import AppServer, start_server
from tests.browser.pages import map_state, open_view, wait_for_count, wait_until
from tests.fixtures.sample_events import write_sample_store

MAX_POINTS = 8
# What the map draws: bins (name, per-bin event counts), points (event ids), the note and the zoom.
DRAWN_JS = """
() => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  if (!gd || !gd._fullData || !gd._fullLayout || !gd._fullLayout.map) return null;
  const bins = gd._fullData.filter(t => / bin$/.test(t.name || ""));
  const points = gd._fullData.filter(t => t.name !== "regions" && !/ bin$/.test(t.name || ""));
  const counts = [];
  bins.forEach(t => Array.from(t.customdata || []).forEach(c => counts.push(Number(c[0]))));
  const ids = [];
  points.forEach(t => Array.from(t.customdata || []).forEach(c => ids.push(c[0])));
  return {
    bins: bins.length, counts: counts, ids: ids,
    notes: (gd.layout.annotations || []).map(a => a.text),
    zoom: gd._fullLayout.map.zoom,
  };
}
""".replace("MAP_ID", ids.MAP)
PIXEL_JS = """
([lon, lat]) => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  const map = gd._fullLayout.map._subplot.map;
  const point = map.project([lon, lat]);
  const box = map.getCanvas().getBoundingClientRect();
  return [box.left + point.x, box.top + point.y];
}
""".replace("MAP_ID", ids.MAP)


@pytest.fixture(scope="module")
def small_limit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    directory = tmp_path_factory.mktemp("aggregated")
    store = write_sample_store(directory / "events.parquet")
    server = start_server(store, directory / "server.log", env={"SCA_MAX_POINTS": str(MAX_POINTS)})
    yield server
    server.stop()


def drawn(page) -> dict:
    return wait_until(page, DRAWN_JS, what="the map's drawn state").json_value()


def wait_drawn(page, condition: str) -> dict:
    """Wait until ``condition`` (JS over the DRAWN_JS state ``s``) holds, and return that state."""
    handle = wait_until(page, f"() => {{ const s = ({DRAWN_JS})(); return s && ({condition}) ? s : null; }}",
                        what=f"the map to be drawn with {condition}")
    return handle.json_value()


def zoom(page, done, out: bool = False) -> None:
    """Real wheel events over the mouse position, one notch at a time, each given time to settle (the map
    reports its viewport once it is still), until ``done(zoom)``."""
    for _ in range(10):
        page.mouse.wheel(0, 1500 if out else -1500)
        page.wait_for_timeout(1200)
        if done(drawn(page)["zoom"]):
            return
    raise AssertionError(f"the map did not reach the zoom wanted; it is at {drawn(page)['zoom']}")


def test_whole_region_is_binned_and_the_bins_hold_every_event(small_limit_server, watched):
    page = watched.page
    open_view(page, small_limit_server.url)
    state = wait_drawn(page, "s.bins === 1")
    assert sum(state["counts"]) == 30
    assert state["ids"] == []
    assert any(note.startswith("Aggregated: 30 events") for note in state["notes"])
    assert watched.errors == []


def test_zooming_in_brings_single_events_back_and_zooming_out_bins_them_again(small_limit_server, watched):
    page = watched.page
    open_view(page, small_limit_server.url)
    wait_drawn(page, "s.bins === 1")
    x, y = page.evaluate(f"({PIXEL_JS})", [1.6, 15.0])
    page.mouse.move(x, y)
    zoom(page, lambda level: level >= 8.8)
    state = wait_drawn(page, "s.bins === 0 && s.ids.length > 0")
    assert {"curated:1", "seed:3", "acled:10"} <= set(state["ids"])
    assert len(state["ids"]) <= MAX_POINTS
    assert any("in and around the map's view" in note for note in state["notes"])
    zoom(page, lambda level: level <= 5, out=True)
    state = wait_drawn(page, "s.bins === 1")
    assert sum(state["counts"]) == 30
    assert "map" not in page.url.split("?")[-1]  # where the user looks is not part of the view's address
    assert watched.errors == []


def test_a_view_below_the_limit_is_drawn_as_points(small_limit_server, watched):
    page = watched.page
    open_view(page, small_limit_server.url, "country=NE")
    wait_for_count(page, 8)
    state = wait_drawn(page, "s.bins === 0 && s.ids.length === 8")
    assert state["notes"] == []
    assert len(map_state(page)["ids"]) == 8
