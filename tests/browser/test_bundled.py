"""The dashboard on the bundled events (what `make run` serves), in headless Chromium with no network."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from dashboard.model.events import EventData
from dashboard.page import ids
from tests.browser.conftest import ARTIFACTS, REPO, AppServer, start_server
from tests.browser.pages import MAP_JS, counter_events, open_view, wait_for_grid, wait_for_map_ids, wait_until

# The bundled store holds more events than the grid's first block (100): the table loads the rest as the user
# scrolls. "Every row ready" therefore scrolls to the first row not yet loaded and asks again until all are in.
ALL_GRID_IDS_JS = """
n => {
  const api = window.dash_ag_grid && window.dash_ag_grid.getApi("GRID_ID");
  if (!api) return null;
  const ids = [];
  let loading = false;
  api.forEachNode(node => { if (node.data) ids.push(node.data.event_id); else loading = true; });
  if (loading) return null;
  if (ids.length < n) { api.ensureIndexVisible(ids.length, "bottom"); return null; }
  return ids.length === n ? ids : null;
}
""".replace("GRID_ID", ids.EVENTS_GRID)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, EventData]]:
    """`python -m geodata build` into a fresh store, then the real app serving it."""
    directory = tmp_path_factory.mktemp("bundled")
    store = directory / "events.parquet"
    built = subprocess.run(
        [sys.executable, "-m", "geodata", "build", "--store", str(store)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    server = start_server(store, directory / "server.log")
    yield server, EventData.load(store)
    server.stop()


def test_bundled_events_load_offline_on_map_and_table(bundled, watched):
    server, events = bundled
    everything = sorted(events.frame["event_id"].astype(str))
    assert {"seed", "curated"} <= set(events.frame["dataset"].astype(str))
    assert len(everything) > 100  # more than the grid's first block: the test must see the table load the rest
    page = watched.page
    page.goto(server.url)
    page.wait_for_selector(f"#{ids.COUNTER}:has-text('event')")
    wait_until(page, f"() => {{ const s = ({MAP_JS})(); return s && s.canvas; }}", what="the map's canvas")
    assert counter_events(page) == len(everything)
    wait_for_map_ids(page, everything)
    grid = wait_until(page, ALL_GRID_IDS_JS, arg=len(everything), what=f"all {len(everything)} rows in the grid")
    assert sorted(grid.json_value()) == everything
    page.wait_for_timeout(500)  # let the tile-free style finish drawing for the screenshot
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-bundled.png"))
    outside = [u for u in watched.requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert watched.errors == []


def test_a_seed_place_is_found_by_search(bundled, watched):
    server, events = bundled
    page = watched.page
    open_view(page, server.url, "q=Fassala")
    fassala = events.frame[events.frame["location"].str.contains("Fassala", na=False)]
    assert len(fassala) >= 1
    assert counter_events(page) == len(fassala)
    assert sorted(wait_for_grid(page, len(fassala))) == sorted(fassala["event_id"].astype(str))
    assert page.input_value(f"#{ids.QUERY}") == "Fassala"
