"""What the browser tests read from and do to the dashboard page (ids come from dashboard.page.layout)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.chromium import RECORD_JS  # the recorder the browser benchmark uses too
from dashboard.page import ids
from dashboard.render.figures import CLASH_LABEL, EVENTS_LABEL, SELECTED_LABEL
from tests.browser.conftest import UI_TIMEOUT_MS as UI_WAIT_MS

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
  const skip = new Set(["regions", "selected event", "CLASH_NAME"]);
  const ids = new Set();  // rings and the picked event's marker repeat their events' ids
  gd._fullData.filter(t => !skip.has(t.name) && !/ bin$/.test(t.name || ""))
    .forEach(t => Array.from(t.customdata || []).forEach(c => ids.add(c[0])));
  return {
    ids: Array.from(ids),
    traces: gd._fullData.map(t => t.name),
    center: gd._fullLayout.map.center,
    canvas: Boolean(document.querySelector("#MAP_ID canvas.maplibregl-canvas")),
  };
}
""".replace("MAP_ID", ids.MAP).replace("CLASH_NAME", CLASH_LABEL)


# The timeline chart, once Plotly has laid out its axes.
TIMELINE_JS = """
() => {
  const gd = document.querySelector("#TIMELINE_ID .js-plotly-plot");
  return Boolean(gd && gd._fullLayout && gd._fullLayout.xaxis && gd._fullLayout.xaxis._length > 0);
}
""".replace("TIMELINE_ID", ids.TIMELINE)


def wait_until(page, predicate: str, *, what: str | None = None, arg=None, timeout_ms: int = UI_WAIT_MS):
    """Poll the JS function ``predicate`` (given ``arg``) until it returns something truthy, and return its handle.

    A predicate that throws (a grid or figure still mounting) counts as "not yet", never as a failure; on time-out
    the error says what was awaited and what the page showed then.
    """
    what = what or " ".join(predicate.split())[:120]
    guarded = f"arg => {{ try {{ return ({predicate})(arg); }} catch (error) {{ return null; }} }}"
    try:
        return page.wait_for_function(guarded, arg=arg, timeout=timeout_ms, polling=100)
    except PlaywrightTimeout as error:
        raise AssertionError(
            f"waited {timeout_ms / 1000:.0f} s for {what}; the page at {page.url} never got there"
        ) from error


def wait_for_url_param(page, name: str, value: str | None, *, timeout_ms: int = UI_WAIT_MS) -> None:
    """Wait until the page address has ``name=value`` (``value`` None: until it has no ``name``)."""
    wait_until(
        page,
        "([n, v]) => { const q = new URLSearchParams(location.search);"
        " return v === null ? !q.has(n) : q.get(n) === v; }",
        arg=[name, value],
        what=f"the address to have {name}={value}" if value is not None else f"the address to lose {name}",
        timeout_ms=timeout_ms,
    )


# True once the Dash renderer has had no callback queued or running, and nothing marked loading, for half a second
# (a page that has shown its view may still be running a follow-up callback that would redraw the map).
SETTLED_JS = """
() => {
  const now = performance.now();
  const state = window.dash_stores && window.dash_stores[0].getState();
  const c = state && state.callbacks;
  const busy = !c || ["requested", "prioritized", "blocked", "executing", "watched", "executed", "stored"]
    .some(k => (c[k] || []).length > 0) || document.querySelector("[data-dash-is-loading='true']") !== null;
  if (busy || window.__scaQuietSince === undefined) { window.__scaQuietSince = busy ? undefined : now; return false; }
  return now - window.__scaQuietSince > 500;
}
"""


def wait_settled(page, what: str = "the page to settle") -> None:
    """Wait until no Dash callback has been pending for half a second, so a user action is not lost in a redraw."""
    wait_until(page, SETTLED_JS, what=what)


def wait_for_map_ids(page, expected: list[str]) -> None:
    """Wait until the map's event points are exactly ``expected`` (the map is drawn by its own callback)."""
    try:
        wait_until(
            page,
            "want => { const s = (MAP)(); return s && JSON.stringify(s.ids.slice().sort()) === JSON.stringify(want); }"
            .replace("MAP", MAP_JS),
            arg=sorted(expected),
            what=f"the map to draw {len(expected)} events",
        )
    except AssertionError as error:
        shown = (map_state(page) or {}).get("ids")
        raise AssertionError(f"{error}; it draws {sorted(shown) if shown is not None else 'nothing'}") from None


def open_view(page, base_url: str, query: str = "") -> None:
    """Open the page (``query`` without '?'), wait until the counter, map, timeline and events grid show it and
    no callback is pending any more."""
    page.goto(f"{base_url}/{'?' + query if query else ''}")
    wait_until(
        page,
        "() => /event/.test(document.querySelector('#COUNTER').innerText)".replace("COUNTER", ids.COUNTER),
        what="the counter to show the view",
    )
    wait_for_grid(page)
    wait_until(page, f"() => {{ const s = ({MAP_JS})(); return s && s.canvas; }}", what="the map's canvas")
    wait_until(page, TIMELINE_JS, what="the timeline's axes")
    wait_settled(page)


def counter_events(page) -> int:
    """The N of 'N events, M fatalities ...'."""
    text = page.inner_text(f"#{ids.COUNTER}")
    match = re.match(r"\s*([\d,]+) events?", text)
    assert match, f"counter reads {text!r}"
    return int(match.group(1).replace(",", ""))


def wait_for_counter_change(page, before: str) -> str:
    wait_until(
        page,
        "prev => { const t = document.querySelector('#COUNTER').innerText; return t && t !== prev; }".replace(
            "COUNTER", ids.COUNTER
        ),
        arg=before,
        what=f"the counter to change from {before!r}",
    )
    return page.inner_text(f"#{ids.COUNTER}")


def wait_for_count(page, n: int) -> None:
    """Wait until the counter reads ``n`` events (the URL is written before the counter is redrawn)."""
    wait_until(
        page,
        (
            "n => { const m = document.querySelector('#COUNTER').innerText.match(/^\\s*([0-9,]+) event/);"
            " return m && Number(m[1].replace(/,/g, '')) === n; }"
        ).replace("COUNTER", ids.COUNTER),
        arg=n,
        what=f"the counter to read {n} events",
    )


def wait_for_grid(page, expected: int | None = None) -> list[str]:
    """The event ids in the events grid, after its rows have arrived (and, if given, there are ``expected``)."""
    if expected is None:
        handle = wait_until(page, GRID_IDS_JS, what="the events grid's rows")
    else:
        handle = wait_until(
            page,
            "n => { const ids = (GRID)(); return ids && ids.length === n ? ids : null; }".replace("GRID", GRID_IDS_JS),
            arg=expected,
            what=f"the events grid to hold {expected} rows",
        )
    return list(handle.json_value())


def map_state(page) -> dict:
    return page.evaluate(f"({MAP_JS})()")


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_query(page, name: str) -> list[str]:
    """Wait until the page address carries ``name`` and return its values."""
    wait_until(page, "name => new URLSearchParams(window.location.search).has(name)", arg=name,
               what=f"the address to carry {name}")
    return query_of(page)[name]


def note_cell_text(page, event_id: str) -> str:
    """The events grid's notes cell of one event, scrolled into view, as the user reads it."""
    wait_until(
        page,
        "id => { window.dash_ag_grid.getApi(id).ensureColumnVisible('notes'); return true; }",
        arg=ids.EVENTS_GRID,
        what="the events grid to scroll to its notes column",
    )
    return page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='{event_id}'] .ag-cell[col-id='notes']").inner_text()


def assert_note_is_inert(page, watched, event_id: str, note: str, tag: str) -> None:
    """The event's note shows in the grid as exactly ``note`` (markup as text): no ``tag`` element in the grid,
    no dialog opened and no script error, a moment after it drew."""
    assert note_cell_text(page, event_id) == note
    assert page.locator(f"#{ids.EVENTS_GRID} {tag}").count() == 0
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert watched.errors == []


# -- callback requests and draws, to count what one user action costs ---------------------------------------

# The page has settled after a recorded action: the map has drawn the view the page holds, no callback is on its
# way or running, and nothing has happened for `quiet` ms. Answers "not yet" (false) while the page is mounting.
RECORDED_SETTLED_JS = """
quiet => {
  try {
    const rec = window.__record, stores = window.dash_stores;
    if (!rec || !stores || !stores.length) return false;
    const dash = stores[stores.length - 1].getState();
    if (dash.isLoading || rec.callbacks.some(c => c.end === null)) return false;
    const path = dash.paths.strs["VIEW_STORE"];
    const held = path && path.reduce((node, key) => node[key], dash.layout).props.data;
    if (!held) return false;
    const drawn = rec.draws.filter(d => d.view === held.query);
    if (!drawn.length) return false;
    const last = Math.max(...rec.callbacks.map(c => c.end), ...rec.draws.map(d => d.t));
    return performance.now() - last >= quiet;
  } catch (e) {
    return false;
  }
}
""".replace("VIEW_STORE", ids.VIEW_STORE)

SETTLE_QUIET_MS = 1000  # "settled": nothing for this long
SETTLE_TIMEOUT_MS = 120_000  # generous: a shared, loaded 2-core machine draws WebGL in software


def record_callbacks(page) -> None:
    """Record the page's callback requests and map draws from its next navigation on (call before ``goto``)."""
    page.add_init_script(RECORD_JS)


def settle(page, quiet_ms: int = SETTLE_QUIET_MS) -> list[dict]:
    """Wait until the page has settled (see RECORDED_SETTLED_JS); every callback request recorded so far."""
    wait_until(page, RECORDED_SETTLED_JS, arg=quiet_ms, timeout_ms=SETTLE_TIMEOUT_MS, what="the page to settle")
    return recorded(page)


def recorded(page) -> list[dict]:
    return page.evaluate("() => window.__record.callbacks")


def draws(page) -> list[dict]:
    return page.evaluate("() => window.__record.draws")


def forget_callbacks(page) -> None:
    """Start counting afresh (before a user action)."""
    page.evaluate("() => { window.__record.callbacks.length = 0; }")


def output_name(output: str) -> str:
    """A callback's `output` field by its first output: 'map.figure', or 'url.search' for '..url.search...…..'."""
    return output[2:].split("...", 1)[0] if output.startswith("..") else output


def counts_by_output(callbacks: list[dict]) -> dict[str, int]:
    """How many requests each callback (named by :func:`output_name`) was sent."""
    counts: dict[str, int] = {}
    for entry in callbacks:
        name = output_name(entry["output"] or "")
        counts[name] = counts.get(name, 0) + 1
    return counts


# Where an event's point of the map's traces is on the page: [x, y] in pixels, or null (also while the map's
# style loads).
EVENT_PIXEL_JS = """
(eventId) => {
  try {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    const map = gd._fullLayout.map._subplot.map;
    if (!map.isStyleLoaded()) return null;
    for (const t of gd._fullData) {
      const rows = Array.from(t.customdata || []);
      const i = rows.findIndex(c => c[0] === eventId);
      if (i >= 0 && t.name !== "selected event") {
        const p = map.project([t.lon[i], t.lat[i]]);
        const box = map.getCanvas().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
      }
    }
    return null;
  } catch (e) { return null; }
}
""".replace("MAP_ID", ids.MAP)


# What the map draws in which colour: the legend's entries ({name: colour}) and every event point as MapLibre was
# handed it ({event id: colour}), read from the source of the trace drawing the events (its GeoJSON features, one
# per located point in the trace's order, each with the colour Plotly computed for it); null until it is there.
MAP_COLOURS_JS = """
async () => {
  try {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    const map = gd._fullLayout.map._subplot.map;
    const legend = {}, points = {};
    gd._fullData.forEach(t => { if (t.showlegend && t.name !== "SELECTED_NAME" && typeof t.marker.color === "string")
      legend[t.name] = t.marker.color; });
    const t = gd._fullData.find(t => t.name === "EVENTS_NAME");
    if (!t) return null;
    const data = await map.getSource("source-" + t.uid + "-circle").getData();
    const located = Array.from(t.lon.keys()).filter(i => Number.isFinite(t.lon[i]) && Number.isFinite(t.lat[i]));
    if (data.features.length !== located.length) return null;
    located.forEach((i, k) => { points[t.customdata[i][0]] = data.features[k].properties.mcc; });
    return {legend: legend, points: points};
  } catch (e) { return null; }
}
""".replace("MAP_ID", ids.MAP).replace("EVENTS_NAME", EVENTS_LABEL).replace("SELECTED_NAME", SELECTED_LABEL)


def map_colours(page) -> dict:
    """The map's legend entries and each event point's colour as drawn (:data:`MAP_COLOURS_JS`), once drawn."""
    return wait_until(page, MAP_COLOURS_JS, what="the map's event points").json_value()


def css_rgb(colour: str) -> str:
    """'#0072B2' or 'rgb(0,114,178)' as CSS computes it: 'rgb(0, 114, 178)'."""
    colour = colour.strip()
    if colour.startswith("#"):
        value = colour.lstrip("#")
        return "rgb({}, {}, {})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))
    parts = re.findall(r"[\d.]+", colour)[:3]
    return "rgb({}, {}, {})".format(*(int(round(float(p))) for p in parts))


def pick(page, control: str, typed: str) -> None:
    """Type into a dropdown's search box and take the first option it offers (as a keyboard user does)."""
    page.click(f"#{control}")
    search = page.locator(".dash-dropdown-search")
    search.fill(typed)
    wait_until(page, "() => document.querySelectorAll('.dash-dropdown-option').length > 0",
               what=f"the {control} dropdown to offer something for {typed!r}")
    search.press("Enter")
    page.keyboard.press("Escape")


def drag_timeline(page, start: str, end: str) -> None:
    """A real mouse drag on the timeline's bars, in its own select mode, from the day ``start`` to ``end``."""
    spot = page.evaluate(
        """([a, b]) => {
          const gd = document.querySelector('#TIMELINE .js-plotly-plot');
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
          return {x0: box.x + xa._offset + xa.d2p(a), x1: box.x + xa._offset + xa.d2p(b),
                  y0: box.y + ya._offset + ya._length * 0.3, y1: box.y + ya._offset + ya._length * 0.7};
        }""".replace("TIMELINE", ids.TIMELINE),
        [start, end],
    )
    page.mouse.move(spot["x0"], spot["y0"])
    page.mouse.down()
    page.mouse.move(spot["x1"], spot["y1"], steps=12)
    page.mouse.up()
