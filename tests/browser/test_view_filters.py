"""Issue 24 in a real Chromium against a store shaped like the analyst's (tests/fixtures/dyad_events.py): one set of
filters that the counter, table and CSV link all follow; the JNIM-vs-ISGS dyad; the coverage note; "Menaka"
finding Ménaka; the card naming the source's own region."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from dashboard.page import ids
from tests.browser.conftest import AppServer
from tests.browser.pages import (
    counter_events,
    open_view,
    pick,
    wait_for_count,
    wait_for_grid,
    wait_for_url_param,
    wait_settled,
    wait_until,
)
from tests.fixtures.app_server import serve_store
from tests.fixtures.dyad_events import ACLED_ENDS, JNIM_ISGS_2020, MENAKA_NOTE, write_dyad_store


@pytest.fixture(scope="module")
def dyad_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    yield from serve_store(tmp_path_factory.mktemp("dyad"), write_dyad_store)


def csv_ids(page, base_url: str) -> list[str]:
    """The event ids of the file the page's CSV button downloads (its href, fetched as the browser would)."""
    href = page.get_attribute(f"#{ids.EXPORT_CSV}", "href")
    response = page.request.get(base_url + href)
    assert response.ok, response.status
    return sorted(r["event_id"] for r in csv.DictReader(io.StringIO(response.text())))


def test_the_table_has_no_filters_of_its_own_and_minimum_fatalities_applies_without_enter(dyad_server, watched):
    page = watched.page
    open_view(page, dyad_server.url)
    # one set of filters: no column offers a filter, so the table never lists fewer rows than the counter says
    no_filters = wait_until(page, """id => { const api = window.dash_ag_grid.getApi(id);
        return api.getColumnDefs().length > 0 && api.getColumnDefs().every(c => c.filter === false); }""",
                            arg=ids.EVENTS_GRID, what="the grid's columns")
    assert no_filters.json_value() is True
    assert page.locator(f"#{ids.EVENTS_GRID} .ag-header-cell-filter-button, .ag-floating-filter").count() == 0
    total = counter_events(page)
    assert total == 14 and len(csv_ids(page, dyad_server.url)) == 14
    page.fill(f"#{ids.MIN_FATALITIES}", "10")  # no Enter, no blur: the input applies after a pause
    wait_for_url_param(page, "min_fatalities", "10")
    wait_for_count(page, 10)
    assert len(wait_for_grid(page, 10)) == 10
    assert "min_fatalities=10" in page.get_attribute(f"#{ids.EXPORT_CSV}", "href")
    assert len(csv_ids(page, dyad_server.url)) == 10


def test_fighting_between_jnim_and_isgs_filters_the_page_and_the_export(dyad_server, watched):
    page = watched.page
    open_view(page, dyad_server.url, "start=2020-01-01&end=2020-12-31")
    assert counter_events(page) == 10
    pick(page, "f-vs", "JNIM")
    pick(page, "f-vs", "ISGS")
    wait_for_url_param(page, "vs", "ISGS,JNIM")
    wait_for_count(page, len(JNIM_ISGS_2020))
    assert sorted(wait_for_grid(page, len(JNIM_ISGS_2020))) == sorted(JNIM_ISGS_2020)
    assert csv_ids(page, dyad_server.url) == sorted(JNIM_ISGS_2020)
    # the address the issue names gives exactly those events too
    response = page.request.get(f"{dyad_server.url}/export.csv?start=2020-01-01&end=2020-12-31&vs=JNIM,ISGS")
    assert sorted(r["event_id"] for r in csv.DictReader(io.StringIO(response.text()))) == sorted(JNIM_ISGS_2020)
    assert "vs-ISGS+JNIM" in response.headers["content-disposition"]
    assert watched.errors == []


def test_coverage_note_names_where_acled_ends(dyad_server, watched):
    page = watched.page
    open_view(page, dyad_server.url, "start=2019-01-01&end=2022-12-31")
    note = page.inner_text(f"#{ids.COVERAGE_NOTE}")
    assert f"ACLED starts 2019-03-02, ends {ACLED_ENDS}" in note
    assert "UCDP GED ends 2022-06-11, has no events for ML, NE" in note
    # the timeline shades what ACLED does not cover, beside the window's own shading
    shaded = wait_until(page, """id => { const gd = document.querySelector("#" + id + " .js-plotly-plot");
        const names = (gd.layout.shapes || []).map(s => s.name);
        return names.includes("no ACLED") && names.includes("window") ? gd.layout.shapes
            .filter(s => s.name === "no ACLED").map(s => [String(s.x0).slice(0, 10), String(s.x1).slice(0, 10)])
            : null; }""", arg=ids.TIMELINE, what="the timeline to shade ACLED's gaps and the window").json_value()
    assert ["2020-08-02", "2022-06-12"] in shaded
    open_view(page, dyad_server.url, "start=2019-06-01&end=2020-06-01&country=ML&dataset=acled")
    wait_until(page, "id => document.getElementById(id).innerText.trim() === ''", arg=ids.COVERAGE_NOTE,
               what="the coverage note to be empty inside ACLED's span")


def test_menaka_finds_menaka_and_the_card_names_the_source_region(dyad_server, watched):
    page = watched.page
    open_view(page, dyad_server.url)
    pick(page, "f-admin1", "Menaka")
    wait_for_url_param(page, "admin1", "Ménaka")
    wait_for_count(page, 6)
    wait_settled(page)
    page.click(f"#{ids.EVENTS_GRID} .ag-row[row-id='acled:ML1'] .ag-cell[col-id='location']")
    wait_until(page, "id => !document.getElementById(id).hidden", arg=ids.EVENT_CARD, what="the event card to open")
    wait_until(page, "id => /Source's region/.test(document.getElementById(id).innerText)", arg=ids.EVENT_CARD,
               what="the card to show the source's region")
    card = page.inner_text(f"#{ids.EVENT_CARD}")
    assert "Gao" in card and MENAKA_NOTE in card
    # typed into the address without the accent, the region is found as well
    open_view(page, dyad_server.url, "admin1=menaka")
    assert counter_events(page) == 6
    assert "Ménaka" in page.inner_text("#f-admin1")  # the control spells it as the data does
    assert watched.errors == []


def test_the_map_legend_filters_the_whole_view(dyad_server, watched):
    page = watched.page
    open_view(page, dyad_server.url, "start=2020-01-01&end=2020-12-31")
    before = page.get_attribute(f"#{ids.EXPORT_CSV}", "href")
    entry = page.locator(f"#{ids.MAP} .legend .traces", has_text="ISGS").locator(".legendtoggle")
    entry.click()
    wait_for_url_param(page, "group", "ISGS")
    isgs = ["acled:ML2", "acled:ML3", "curated:1", "acled:BF1", "ucdp:BF2", "acled:NE1", "acled:ML4", "ucdp:BF3"]
    wait_for_count(page, len(isgs))
    assert sorted(wait_for_grid(page, len(isgs))) == sorted(isgs)
    assert page.get_attribute(f"#{ids.EXPORT_CSV}", "href") != before
    assert csv_ids(page, dyad_server.url) == sorted(isgs)
    wait_settled(page)
    page.locator(f"#{ids.MAP} .legend .traces", has_text="ISGS").locator(".legendtoggle").click()
    wait_for_url_param(page, "group", None)
    wait_for_count(page, 10)


# Where on the screen a clash ring's edge is: the map projects the ring's point, and the ring reaches a few
# pixels beyond the point it rings (dashboard.render.figures.CLASH_RING).
RING_EDGE_JS = """
name => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  const map = gd._fullLayout.map._subplot.map;
  const ring = gd._fullData.find(t => t.name === name);
  if (!ring || !ring.lon.length) return null;
  const p = map.project([ring.lon[0], ring.lat[0]]);
  const box = gd.querySelector("canvas.maplibregl-canvas").getBoundingClientRect();
  return {x: box.left + p.x + ring.marker.size[0] / 2 - 1.5, y: box.top + p.y, id: ring.customdata[0][0]};
}
""".replace("MAP_ID", ids.MAP)


def test_a_clash_ring_hovers_and_opens_its_event(dyad_server, watched):
    from dashboard.render.figures import CLASH_LABEL

    page = watched.page
    open_view(page, dyad_server.url, "start=2020-01-01&end=2020-12-31&vs=JNIM,ISGS&country=BF")
    edge = wait_until(page, RING_EDGE_JS, arg=CLASH_LABEL, what="a clash ring on the map").json_value()
    page.evaluate("""() => { const gd = document.querySelector("#MAP_ID .js-plotly-plot");
        gd.on("plotly_hover", e => { window.__hovered = e.points[0].data.name; });
        gd.on("plotly_click", e => { window.__clicked = e.points[0].data.name; }); }""".replace("MAP_ID", ids.MAP))
    page.mouse.move(edge["x"], edge["y"])
    hovered = wait_until(page, "() => window.__hovered", what="a hover on the ring's edge").json_value()
    assert hovered == CLASH_LABEL  # the ring itself answers, not only the point it rings
    page.mouse.click(edge["x"], edge["y"])
    assert wait_until(page, "() => window.__clicked", what="a click on the ring").json_value() == CLASH_LABEL
    wait_until(page, "id => !document.getElementById(id).hidden", arg=ids.EVENT_CARD, what="the event card to open")
    wait_until(page, "([id, event]) => document.getElementById(id).innerText.includes(event)",
               arg=[ids.EVENT_CARD, edge["id"]], what=f"the card to show {edge['id']}")


def test_sources_that_disagree_are_flagged_filtered_and_exported(dyad_server, watched):
    from tests.fixtures.dyad_events import DISAGREE

    page = watched.page
    open_view(page, dyad_server.url)
    wait_until(page, "id => { window.dash_ag_grid.getApi(id).ensureColumnVisible('reports'); return true; }",
               arg=ids.EVENTS_GRID, what="the events grid to scroll to its reports column")
    cell = page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='acled:ML3'] .ag-cell[col-id='reports']")
    assert cell.inner_text() == "2: acled, curated ⚠ disagree"
    page.get_by_label("Only where sources disagree (toll or perpetrator)").check()
    wait_for_url_param(page, "disagree", "1")
    wait_for_count(page, len(DISAGREE))
    assert sorted(wait_for_grid(page, len(DISAGREE))) == sorted(DISAGREE)
    response = page.request.get(dyad_server.url + page.get_attribute(f"#{ids.EXPORT_CSV}", "href"))
    table = list(csv.DictReader(io.StringIO(response.text())))
    assert sorted(r["event_id"] for r in table) == sorted(DISAGREE)
    assert {r["sources_disagree"] for r in table} == {"1"} and "disagree-1" in response.headers["content-disposition"]
