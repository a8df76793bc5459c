"""What the browser tests read from and do to the dashboard page (ids come from dashboard.layout)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from dashboard import layout as ids

# Every loaded row of the events grid, once the grid has the rows for its current row count.
GRID_IDS_JS = """
() => {
  const api = window.dash_ag_grid && window.dash_ag_grid.getApi("GRID_ID");
  if (!api) return null;
  const ids = [];
  let loading = false;
  api.forEachNode(node => { if (node.data) ids.push(node.data.event_id); else loading = true; });
  if (loading || ids.length !== api.getDisplayedRowCount()) return null;
  return ids;
}
""".replace("GRID_ID", ids.EVENTS_GRID)

# Points drawn on the map (event traces only, not bins) and the map's centre.
MAP_JS = """
() => {
  const gd = document.querySelector("#MAP_ID .js-plotly-plot");
  if (!gd || !gd._fullData || !gd._fullLayout || !gd._fullLayout.map) return null;
  const skip = new Set(["regions", "selected event"]);
  const ids = [];
  gd._fullData.filter(t => !skip.has(t.name) && !/ bin$/.test(t.name || ""))
    .forEach(t => Array.from(t.customdata || []).forEach(c => ids.push(c[0])));
  return {
    ids: ids,
    traces: gd._fullData.map(t => t.name),
    center: gd._fullLayout.map.center,
    canvas: Boolean(document.querySelector("#MAP_ID canvas.maplibregl-canvas")),
  };
}
""".replace("MAP_ID", ids.MAP)


def open_view(page, base_url: str, query: str = "") -> None:
    """Open the page (``query`` without '?') and wait until the counter, map and events grid show the view."""
    page.goto(f"{base_url}/{'?' + query if query else ''}")
    page.wait_for_selector(f"#{ids.COUNTER}:has-text('event')")
    wait_for_grid(page)
    page.wait_for_function(f"() => {{ const s = ({MAP_JS})(); return s && s.canvas; }}")


def counter_events(page) -> int:
    """The N of 'N events, M fatalities ...'."""
    text = page.inner_text(f"#{ids.COUNTER}")
    match = re.match(r"\s*([\d,]+) events?", text)
    assert match, f"counter reads {text!r}"
    return int(match.group(1).replace(",", ""))


def wait_for_counter_change(page, before: str) -> str:
    page.wait_for_function(
        "prev => { const t = document.querySelector('#COUNTER').innerText; return t && t !== prev; }".replace(
            "COUNTER", ids.COUNTER
        ),
        arg=before,
    )
    return page.inner_text(f"#{ids.COUNTER}")


def wait_for_count(page, n: int) -> None:
    """Wait until the counter reads ``n`` events (the URL is written before the counter is redrawn)."""
    page.wait_for_function(
        (
            "n => { const m = document.querySelector('#COUNTER').innerText.match(/^\\s*([0-9,]+) event/);"
            " return m && Number(m[1].replace(/,/g, '')) === n; }"
        ).replace("COUNTER", ids.COUNTER),
        arg=n,
    )


def wait_for_grid(page, expected: int | None = None) -> list[str]:
    """The event ids in the events grid, after its rows have arrived (and, if given, there are ``expected``)."""
    if expected is None:
        handle = page.wait_for_function(f"({GRID_IDS_JS})()")
    else:
        handle = page.wait_for_function(
            f"n => {{ const ids = ({GRID_IDS_JS})(); return ids && ids.length === n ? ids : null; }}", arg=expected
        )
    return list(handle.json_value())


def map_state(page) -> dict:
    return page.evaluate(f"({MAP_JS})()")


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_query(page, name: str) -> list[str]:
    """Wait until the page address carries ``name`` and return its values."""
    page.wait_for_function("name => new URLSearchParams(window.location.search).has(name)", arg=name)
    return query_of(page)[name]


def note_cell_text(page, event_id: str) -> str:
    """The events grid's notes cell of one event, scrolled into view, as the user reads it."""
    page.evaluate("id => window.dash_ag_grid.getApi(id).ensureColumnVisible('notes')", ids.EVENTS_GRID)
    return page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='{event_id}'] .ag-cell[col-id='notes']").inner_text()
