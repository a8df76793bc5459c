""""Export exactly what you filtered", audited in a real Chromium: for each way a user narrows the view, the rows
the counter counts, the events grid lists (every block), the map draws, the CSV button downloads and the export
route gives for the page's own address are one set, and the export link carries the view's address.

The store is the hand-labelled ACLED and UCDP exports (tests/fixtures/incidents) imported through the real
pipeline: accents (Ménaka, Tillabéri), linked reports, three countries, two event types, precisions 1 to 3.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from dashboard.model.view import View
from dashboard.page import ids
from dashboard.render.export import EXPORT_COLUMNS
from tests.browser.conftest import AppServer
from tests.browser.pages import (
    counter_events,
    drag_timeline,
    open_view,
    pick,
    query_of,
    wait_for_map_ids,
    wait_settled,
    wait_until,
)
from tests.fixtures.app_server import serve_store
from tests.fixtures.decades_events import write_decades_store

TOTAL = 91  # events in the two labelled files together

# The event ids of rows ``first``..``last`` of the events grid, once they have their data: the grid is scrolled to
# them first (its infinite row model loads a block of rows only when it is in sight). Null until then.
GRID_BLOCK_JS = """
([id, first, last]) => {
  const api = window.dash_ag_grid.getApi(id);
  api.ensureIndexVisible(first, "top");  // a block loads whole once one of its rows is in sight
  const ids = [];
  for (let i = first; i <= last; i++) {
    const node = api.getDisplayedRowAtIndex(i);
    if (!node || !node.data) return null;
    ids.push(node.data.event_id);
  }
  return ids;
}
"""
GRID_COUNT_JS = "id => { const api = window.dash_ag_grid.getApi(id); return api && {n: api.getDisplayedRowCount()}; }"


@pytest.fixture(scope="module")
def decades_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """348 events (tests/fixtures/decades_events.py): more than three blocks of the events grid."""
    yield from serve_store(tmp_path_factory.mktemp("decades"), write_decades_store)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def grid_ids(page) -> list[str]:
    """Every event id the events grid lists, block by block (the grid shows each block in turn), and no id twice."""
    count = wait_until(page, GRID_COUNT_JS, arg=ids.EVENTS_GRID, what="the events grid").json_value()["n"]
    block = int(page.evaluate("id => window.dash_ag_grid.getApi(id).getGridOption('cacheBlockSize')",
                              ids.EVENTS_GRID) or 100)
    shown: list[str] = []
    for first in range(0, count, block):
        last = min(first + block, count) - 1
        shown += wait_until(page, GRID_BLOCK_JS, arg=[ids.EVENTS_GRID, first, last],
                            what=f"rows {first}-{last} of the events grid").json_value()
    page.evaluate("id => window.dash_ag_grid.getApi(id).ensureIndexVisible(0)", ids.EVENTS_GRID)
    assert len(set(shown)) == len(shown) == count, (len(set(shown)), len(shown), count)
    return sorted(shown)


def map_drag(page, dragmode: str, corners: tuple[float, float, float, float]) -> None:
    """A real mouse drag over the map in Plotly's ``dragmode``, corners as fractions of the map."""
    graph = page.locator(f"#{ids.MAP} .js-plotly-plot")
    graph.hover()
    page.click(f"#{ids.MAP} .modebar-btn[data-val='{dragmode}']")
    box = graph.bounding_box()
    fx0, fy0, fx1, fy1 = corners
    x0, y0 = box["x"] + box["width"] * fx0, box["y"] + box["height"] * fy0
    x1, y1 = box["x"] + box["width"] * fx1, box["y"] + box["height"] * fy1
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=12)
    page.mouse.up()


def slider_start(page) -> None:
    thumb = page.locator(f"#{ids.SLIDER} [role=slider]").first
    thumb.focus()
    thumb.press("PageUp")  # ten months on
    thumb.press("PageUp")


def date_inputs(page) -> None:
    page.fill(f"#{ids.DATE_START}", "2019-01-01")
    page.fill(f"#{ids.DATE_END}", "2020-12-31")


def earlier_dates(page) -> None:
    """Type a window before the one shown (from 2019-09..2019-11): its end comes before the old start for a
    moment, and the typed window must still be the view, not no dates at all."""
    page.fill(f"#{ids.DATE_START}", "2019-01-01")
    page.fill(f"#{ids.DATE_END}", "2019-06-30")
    wait_until(page, """() => { const q = new URLSearchParams(location.search);
        return q.get('start') === '2019-01-01' && q.get('end') === '2019-06-30'; }""",
               what="the address to hold the typed window")


def legend_entry(name: str) -> Callable:
    """A click on the map legend's entry ``name`` (a family, an event type or a dataset, by the colour mode)."""
    def click(page) -> None:
        page.locator(f"#{ids.MAP} .legend .traces", has_text=name).locator(".legendtoggle").click()
    return click


def precision(page) -> None:
    page.get_by_label("1: ", exact=False).first.check()


def search_text(page) -> None:
    page.fill(f"#{ids.QUERY}", "Tillab")


def region_row(page) -> None:
    page.click(f"#{ids.TAB_REGIONS}")
    page.click(f"#{ids.REGIONS_GRID} .ag-row[row-id='NE|Tillabéri'] .ag-cell[col-id='admin1']")
    page.click(f"#{ids.TAB_EVENTS}")


def play(page) -> None:
    """Play from a three-month window in the busy autumn of 2019, paused after its first step or two."""
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Pause')")
    wait_until(page, "() => new URLSearchParams(location.search).get('start') !== '2019-09-01'",
               what="Play's next window")
    page.click(f"#{ids.PLAY}")
    page.wait_for_selector(f"#{ids.PLAY}:has-text('Play')")


# Each way a user narrows the view: what they do, and the address parameter it must set.
NARROWING: dict[str, tuple[Callable, str]] = {
    "slider": (slider_start, "start"),
    "date inputs": (date_inputs, "end"),
    "date inputs, an earlier window": (earlier_dates, "end"),
    "timeline span": (lambda page: drag_timeline(page, "2019-02-15", "2021-07-15"), "end"),
    "country": (lambda page: pick(page, "f-country", "BF"), "country"),
    "admin1": (lambda page: pick(page, "f-admin1", "Menaka"), "admin1"),
    "region row": (region_row, "admin1"),
    "actor family": (lambda page: pick(page, "f-group", "ISGS"), "group"),
    "map legend": (legend_entry("JNIM"), "group"),
    "map legend, coloured by type": (legend_entry("Battles"), "event_type"),
    "map legend, coloured by dataset": (legend_entry("UCDP GED"), "dataset"),
    "fighting between": (lambda page: (pick(page, "f-vs", "JNIM"), pick(page, "f-vs", "State")), "vs"),
    "event type": (lambda page: pick(page, "f-type", "Battles"), "event_type"),
    "dataset": (lambda page: pick(page, "f-dataset", "UCDP"), "dataset"),
    "min fatalities": (lambda page: page.fill(f"#{ids.MIN_FATALITIES}", "10"), "min_fatalities"),
    "precision": (precision, "precision"),
    "search text": (search_text, "q"),
    "count incidents once": (lambda page: page.get_by_text("Count each incident once").click(), "dedupe"),
    "sources disagree": (lambda page: page.get_by_label("Only where sources disagree (toll or perpetrator)").check(),
                         "disagree"),
    "map box": (lambda page: map_drag(page, "select", (0.35, 0.2, 0.75, 0.8)), "bbox"),
    "play": (play, "start"),
}
# Where a case starts (all events unless named here).
AUTUMN_2019 = "start=2019-09-01&end=2019-11-30"
OPENING = {"play": AUTUMN_2019, "date inputs, an earlier window": AUTUMN_2019,
           "map legend, coloured by type": "colour=type", "map legend, coloured by dataset": "colour=dataset"}


@pytest.mark.parametrize("how", list(NARROWING))
def test_each_narrowing_control_narrows_table_map_counter_and_both_exports_alike(labelled_server, watched, how):
    page = watched.page
    server = labelled_server.url
    open_view(page, server, OPENING.get(how, ""))
    if "start" not in OPENING.get(how, ""):
        assert counter_events(page) == TOTAL
    act, param = NARROWING[how]
    act(page)
    wait_until(page, "p => new URLSearchParams(location.search).has(p)", arg=param,
               what=f"the address to carry {param}")
    wait_settled(page)
    page_query = urlsplit(page.url).query
    view, problems = View.from_query(page_query)
    assert problems == []

    counted = counter_events(page)
    shown = grid_ids(page)
    assert 0 < counted < TOTAL, f"{how} did not narrow the view ({counted} of {TOTAL})"
    assert len(shown) == counted
    wait_for_map_ids(page, shown)

    # the link carries the view's address: its filters, exactly
    href = page.get_attribute(f"#{ids.EXPORT_CSV}", "href")
    link_view, problems = View.from_query(urlsplit(href).query)
    assert problems == [] and link_view == view.filters_only()
    assert page.get_attribute(f"#{ids.EXPORT_GEOJSON}", "href") == href.replace("/export.csv", "/export.geojson")

    # the file the CSV button downloads, as a user gets it
    with page.expect_download() as download:
        page.click(f"#{ids.EXPORT_CSV}")
    downloaded = download.value.path().read_bytes().decode("utf-8")
    assert sorted(r["event_id"] for r in csv_rows(downloaded)) == shown
    # the export route for the page's own address (display choices and all)
    response = page.request.get(f"{server}/export.csv?{page_query}")
    assert response.ok
    assert sorted(r["event_id"] for r in csv_rows(response.text())) == shown
    # the GeoJSON link has the same events
    features = page.request.get(server + page.get_attribute(f"#{ids.EXPORT_GEOJSON}", "href")).json()["features"]
    assert sorted(f["properties"]["event_id"] for f in features) == shown
    # the file name carries the view's filters
    name = download.value.suggested_filename
    assert name.startswith("sahel-events_") and name.endswith(".csv")
    for key in view.filters_only().params():
        if key not in ("start", "end"):
            assert f"_{key}-" in name, (key, name)
    assert watched.errors == []


def test_the_map_offers_only_the_selection_the_view_can_hold(labelled_server, watched):
    """A map selection becomes the view's ``bbox``: a box is kept exactly, a lasso would be widened to its box (rows
    outside the drawn shape in the table and the file), so the map's tools offer a box and no lasso."""
    page = watched.page
    open_view(page, labelled_server.url)
    page.locator(f"#{ids.MAP} .js-plotly-plot").hover()
    tools = page.eval_on_selector_all(f"#{ids.MAP} .modebar-btn", "els => els.map(e => e.getAttribute('data-val'))")
    assert "select" in tools and "lasso" not in tools


def test_sorting_the_grid_and_zooming_the_map_narrow_nothing(labelled_server, watched):
    """The grid sorts but never filters, and where the map looks is not a filter: neither changes the rows."""
    page = watched.page
    open_view(page, labelled_server.url, "country=ML,NE")
    before = grid_ids(page)
    page.click(f"#{ids.EVENTS_GRID} .ag-header-cell[col-id='fatalities'] .ag-header-cell-label")
    wait_until(page, """id => window.dash_ag_grid.getApi(id).getColumnState()
        .some(c => c.colId === 'fatalities' && c.sort)""", arg=ids.EVENTS_GRID, what="the grid to sort")
    graph = page.locator(f"#{ids.MAP} .js-plotly-plot")
    graph.hover()
    page.mouse.wheel(0, -600)
    wait_settled(page)
    assert "bbox" not in query_of(page)
    assert grid_ids(page) == before and counter_events(page) == len(before)
    response = page.request.get(labelled_server.url + page.get_attribute(f"#{ids.EXPORT_CSV}", "href"))
    assert sorted(r["event_id"] for r in csv_rows(response.text())) == before


def test_the_csv_opens_as_the_readme_says(labelled_server, watched):
    """UTF-8 without a BOM, CRLF, the canonical header order, accents intact, commas and quotes kept in notes."""
    page = watched.page
    open_view(page, labelled_server.url, "country=NE,ML")
    with page.expect_download() as download:
        page.click(f"#{ids.EXPORT_CSV}")
    raw = download.value.path().read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    header = text.split("\r\n", 1)[0]
    assert header == ",".join(EXPORT_COLUMNS)
    rows = csv_rows(text)
    places = {r["admin1"] for r in rows}
    assert {"Ménaka", "Tillabéri"} <= places
    assert any("," in r["notes"] for r in rows) and all(r["event_id"] for r in rows)


def test_a_note_with_commas_quotes_and_a_tab_downloads_as_written(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url, "q=supply+convoy")
    with page.expect_download() as download:
        page.click(f"#{ids.EXPORT_CSV}")
    rows = csv_rows(download.value.path().read_bytes().decode("utf-8"))
    assert [r["notes"] for r in rows] == ['IED on a supply convoy,\tcommas, quotes "here"']
    assert download.value.suggested_filename.endswith("_q-supply-convoy.csv")


def test_every_block_of_a_sorted_grid_is_in_the_download(decades_server, watched):
    """More rows than one block of the grid (100), sorted by a column: every block together is the downloaded file."""
    page = watched.page
    # pages.open_view waits for every row of the grid to be loaded, which a view of more than a block never is
    page.goto(f"{decades_server.url}/?country=ML,BF")
    wait_until(page, "id => /event/.test(document.getElementById(id).innerText)", arg=ids.COUNTER,
               what="the counter")
    grid_ids(page)
    page.click(f"#{ids.EVENTS_GRID} .ag-header-cell[col-id='fatalities'] .ag-header-cell-label")
    wait_until(page, """id => window.dash_ag_grid.getApi(id).getColumnState()
        .some(c => c.colId === 'fatalities' && c.sort)""", arg=ids.EVENTS_GRID, what="the grid to sort")
    wait_settled(page)
    shown = grid_ids(page)
    assert len(shown) > 200 and len(shown) == counter_events(page)
    with page.expect_download() as download:
        page.click(f"#{ids.EXPORT_CSV}")
    rows = csv_rows(download.value.path().read_bytes().decode("utf-8"))
    assert sorted(r["event_id"] for r in rows) == shown
