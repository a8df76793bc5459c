"""Issue 19 in a real Chromium, on a store spanning 1997–2025: slider labels that never overlap from 360 to 2560
pixels, the phone's legend off the map, and the desktop table's first five columns whole.

Each check measures boxes the browser laid out (getBoundingClientRect), at the sizes the issue names.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.page import ids
from tests.browser.conftest import ARTIFACTS, UI_TIMEOUT_MS, AppServer
from tests.browser.pages import MAP_JS, TIMELINE_JS, wait_settled, wait_until
from tests.fixtures.app_server import serve_store
from tests.fixtures.decades_events import LONG_PLACE, write_decades_store

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = (360, 390, 600, 768, 1024, 1280, 1600, 1920, 2560)

# The slider's labels as shown: text and box of each visible one, left to right, with the page's width.
LABELS_JS = """
() => {
  const marks = [...document.querySelectorAll("#SLIDER .dash-slider-mark")];
  if (!marks.length) return null;
  const shown = marks.filter(m => getComputedStyle(m).visibility !== "hidden" && m.getClientRects().length)
    .map(m => { const r = m.getBoundingClientRect();
                return {text: m.textContent.trim(), left: r.left, right: r.right}; })
    .sort((a, b) => a.left - b.left);
  return {shown: shown, all: marks.length, width: document.documentElement.clientWidth};
}
""".replace("SLIDER", ids.SLIDER)
# Labels fitted: the first and last shown, none overlapping or touching another (2 px apart at least), all inside
# the window. Returns the labels once so, null before (the fit runs on the next frame after a resize).
FITTED_JS = """
() => {
  const s = (LABELS)();
  if (!s || s.shown.length < 2) return null;
  const texts = s.shown.map(l => l.text);
  if (texts[0] !== "1997" || texts[texts.length - 1] !== "Dec 2025") return null;
  for (let i = 1; i < s.shown.length; i++) if (s.shown[i].left < s.shown[i - 1].right + 2) return null;
  if (s.shown[0].left < 0 || s.shown[s.shown.length - 1].right > s.width) return null;
  return s;
}
""".replace("LABELS", LABELS_JS)


@pytest.fixture(scope="module")
def decades_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    yield from serve_store(tmp_path_factory.mktemp("decades"), write_decades_store)


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(viewport: dict[str, int]):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def open_page(page, base_url: str) -> None:
    """Open the page and wait until its counter, map canvas and timeline are drawn and no callback is pending
    (the events grid holds more rows than its first block, so its rows are not awaited here)."""
    page.goto(base_url + "/")
    wait_until(page, "() => /event/.test(document.querySelector('#COUNTER').innerText)".replace("COUNTER", ids.COUNTER),
               what="the counter to show the view")
    wait_until(page, f"() => {{ const s = ({MAP_JS})(); return s && s.canvas; }}", what="the map's canvas")
    wait_until(page, TIMELINE_JS, what="the timeline's axes")
    wait_settled(page)


def fitted_labels(page) -> dict:
    """The fitted labels once they hold still: a resize can be followed by a relayout (the slider lined up with
    the timeline) and a second fit, so the same labels must be read twice, half a second apart."""
    try:
        for _ in range(20):
            first = wait_until(page, FITTED_JS, what="the slider's labels to fit", timeout_ms=15_000).json_value()
            page.wait_for_timeout(500)
            again = page.evaluate(f"({FITTED_JS})()")
            if again is not None and again["shown"] == first["shown"]:
                return again
        raise AssertionError("the slider's labels never held still for half a second")
    except AssertionError as error:
        raise AssertionError(f"{error}; labels shown: {page.evaluate(f'({LABELS_JS})()')}") from None


def test_slider_labels_fit_every_width_from_360_to_2560(decades_server: AppServer, new_page) -> None:
    page = new_page(DESKTOP)
    open_page(page, decades_server.url)
    steps = {}
    for width in WIDTHS:  # one page, resized: the fit is redone on every resize
        page.set_viewport_size({"width": width, "height": 844 if width < 760 else 800})
        shown = fitted_labels(page)
        years = [int(t["text"]) for t in shown["shown"][1:-1]]
        assert years, f"at {width} px only the ends are labelled: {shown['shown']}"
        gaps = {b - a for a, b in zip(years, years[1:], strict=False)}
        assert len(gaps) <= 1 and gaps <= {1, 2, 5, 10}, f"at {width} px the years shown are {years}"
        step = gaps.pop() if gaps else None
        if step:
            assert all(y % step == 0 for y in years), f"at {width} px the years shown are {years}"
        steps[width] = step
    assert (steps[2560] or 99) < (steps[360] or 99), f"the step does not follow the width: {steps}"
    assert steps[2560] in (1, 2), f"2560 px leaves room for every year or every other one: {steps}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_slider_labels_fit_at_the_issue_sizes(decades_server: AppServer, new_page, viewport) -> None:
    page = new_page(viewport)
    open_page(page, decades_server.url)
    shown = fitted_labels(page)["shown"]
    assert len(shown) >= 4, f"at {viewport['width']} px the slider names too few years: {shown}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"readable_{viewport['width']}x{viewport['height']}.png"))


# What covers the map (the graph's box): Plotly's legend, the map key and anything else drawn over it, as the share
# of the map's area each visible one covers.
COVER_JS = """
() => {
  const map = document.querySelector("#MAP_ID");
  const m = map && map.getBoundingClientRect();
  if (!m || !m.width) return null;
  const overlays = [...document.querySelectorAll("#MAP_ID g.legend, .map-key, .map-wrap > :not(#MAP_ID)")]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden"
            && getComputedStyle(e).display !== "none");
  const out = {};
  overlays.forEach(e => {
    const r = e.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, m.right) - Math.max(r.left, m.left));
    const h = Math.max(0, Math.min(r.bottom, m.bottom) - Math.max(r.top, m.top));
    const name = e.id || e.getAttribute("class") || e.tagName;
    out[name] = (out[name] || 0) + (w * h) / (m.width * m.height);
  });
  return {covered: out, map: [m.left, m.top, m.width, m.height]};
}
""".replace("MAP_ID", ids.MAP)


def test_phone_legend_leaves_the_map(decades_server: AppServer, new_page) -> None:
    page = new_page(PHONE)
    open_page(page, decades_server.url)
    found = page.evaluate(f"({COVER_JS})()")
    share = sum(found["covered"].values())
    assert share <= 0.10, f"at 390×844 the legend and key cover {share:.1%} of the map: {found}"
    # the colours are still named, in a strip under the map
    strip = page.locator(f"#{ids.MAP_KEY} .strip-legend[data-colour='actor']")
    assert strip.is_visible()
    assert "JNIM" in strip.inner_text() and "ISGS" in strip.inner_text()
    box, map_box = strip.bounding_box(), page.locator(f"#{ids.MAP}").bounding_box()
    assert box["y"] >= map_box["y"] + map_box["height"] - 1, "the strip sits under the map"
    # and on a desktop Plotly's legend names them over the map, as before (the strip is a phone's)
    page.set_viewport_size(DESKTOP)
    wait_until(page, "() => document.querySelector('#MAP_ID g.legend').getClientRects().length > 0"
               .replace("MAP_ID", ids.MAP), what="Plotly's legend on the desktop map")
    assert not strip.is_visible()


# Each of the table's first columns against the grid's scrolling viewport: [header, left, right] and the viewport's
# left and right edges, and how far it is scrolled sideways.
COLUMNS_JS = """
() => {
  const grid = document.querySelector("#GRID_ID");
  const port = grid && grid.querySelector(".ag-body-viewport .ag-center-cols-viewport, .ag-center-cols-viewport");
  const cells = grid ? [...grid.querySelectorAll(".ag-header-row-column .ag-header-cell")] : [];
  if (!port || !cells.length) return null;
  const v = port.getBoundingClientRect();
  return {
    viewport: [v.left, v.right], scrolled: port.scrollLeft,
    columns: cells.map(c => { const r = c.getBoundingClientRect();
                              return [c.getAttribute("col-id"), r.left, r.right]; }).sort((a, b) => a[1] - b[1]),
  };
}
""".replace("GRID_ID", ids.EVENTS_GRID)
FIVE = ("date_start", "location", "country_iso2", "group1", "fatalities")


def test_desktop_table_shows_date_place_country_families_fatalities_whole(decades_server: AppServer,
                                                                           new_page) -> None:
    page = new_page(DESKTOP)
    open_page(page, decades_server.url)
    found = wait_until(page, COLUMNS_JS, what="the events grid's header").json_value()
    left, right = found["viewport"]
    columns = {cid: (a, b) for cid, a, b in found["columns"]}
    assert found["scrolled"] == 0
    for cid in FIVE:
        assert cid in columns, f"column {cid} missing: {found['columns']}"
        a, b = columns[cid]
        assert left - 0.5 <= a and b <= right + 0.5, \
            f"{cid} spans {a:.0f}–{b:.0f}, the grid shows {left:.0f}–{right:.0f}"
    # and what they hold is whole: no cell of the five cuts its text or a family chip (an ellipsis, a clipped
    # second line), in the rows drawn, which include a long place name and two long family chips
    cut = wait_until(page, CUT_CELLS_JS, arg=[list(FIVE), LONG_PLACE], what="the long row in the events grid")
    assert cut.json_value()["cut"] == [], cut.json_value()


# Every drawn cell of the given columns whose content reaches outside the cell's box (a Range over its text and each
# family chip, against the cell's inner box): [row id, column, text]; null until a row holding ``place`` is drawn.
CUT_CELLS_JS = """
([columns, place]) => {
  const grid = document.querySelector("#GRID_ID");
  const rows = grid ? [...grid.querySelectorAll(".ag-center-cols-container .ag-row")] : [];
  if (!rows.some(r => r.innerText.includes(place))) return null;
  const cut = [];
  rows.forEach(row => columns.forEach(col => {
    const cell = row.querySelector(`.ag-cell[col-id="${col}"]`);
    if (!cell) { cut.push([row.getAttribute("row-id"), col, "missing"]); return; }
    const box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    const inner = {left: box.left + parseFloat(style.paddingLeft) - 1, top: box.top - 1, bottom: box.bottom + 1,
                   right: box.right - parseFloat(style.paddingRight) + 1};
    const range = document.createRange();
    range.selectNodeContents(cell);
    const chips = [...cell.querySelectorAll(".family-chip")].map(c => c.getBoundingClientRect());
    const parts = [...range.getClientRects(), ...chips];
    const out = parts.some(r => r.width > 0 && (r.left < inner.left || r.right > inner.right || r.top < inner.top
                                              || r.bottom > inner.bottom));
    const ellipsed = [...cell.querySelectorAll("*"), cell].some(e => e.scrollWidth > e.clientWidth + 1
                                                                && getComputedStyle(e).overflow !== "visible");
    if (out || ellipsed) cut.push([row.getAttribute("row-id"), col, cell.innerText]);
  }));
  return {cut: cut, rows: rows.length};
}
""".replace("GRID_ID", ids.EVENTS_GRID)
