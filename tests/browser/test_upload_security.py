"""The page under its Content-Security-Policy in real Chromium: it renders, callbacks run, nothing is blocked;
labels from data stay text in the legend; a page on another origin cannot write to the store."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest

from dashboard.page import ids
from tests.browser.conftest import UI_TIMEOUT_MS, AppServer, Watched, start_server
from tests.browser.pages import wait_until
from tests.fixtures.sample_events import sample_events, write_sample_store

PHISH = '<a href="https://evil.example/phish">phish</a>'
BOLD = "<b>bold</b>"

# Every CSP violation the page reports, collected from the moment the document starts.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""
COUNTER_READY = """
() => { try {
  const t = document.querySelector("#COUNTER").innerText;
  return /\\d+ events?/.test(t) ? t : false;
} catch (e) { return false; } }
""".replace("COUNTER", ids.COUNTER)
COUNTER_CHANGED = """
prev => { try {
  const t = document.querySelector("#COUNTER").innerText;
  return /\\d+ events?/.test(t) && t !== prev;
} catch (e) { return false; } }
""".replace("COUNTER", ids.COUNTER)
GRID_READY = """
() => { try {
  const api = window.dash_ag_grid && window.dash_ag_grid.getApi("GRID");
  if (!api) return false;
  let rows = 0;
  api.forEachNode(n => { if (n.data) rows += 1; });
  return rows > 0 ? rows : false;
} catch (e) { return false; } }
""".replace("GRID", ids.EVENTS_GRID)
LEGEND_READY = """
() => { try {
  const legend = document.querySelector("#MAP .legend");
  return legend && legend.textContent.includes("Other types") ? legend.textContent : false;
} catch (e) { return false; } }
""".replace("MAP", ids.MAP)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[AppServer]:
    """The app on a store whose event types are HTML."""
    directory = tmp_path_factory.mktemp("hostile")
    events = sample_events()
    events["event_type"] = events["event_type"].astype("string")
    events.loc[events.index[:3], "event_type"] = PHISH
    events.loc[events.index[3:6], "event_type"] = BOLD
    store = write_sample_store(directory / "events.parquet", events)
    server = start_server(store, directory / "server.log", env={"SCA_UPLOAD_LIMIT_MB": "1"})
    yield server
    server.stop()


@pytest.fixture
def strict(browser) -> Iterator[Watched]:
    """A page that keeps the app's CSP (the shared ``watched`` page bypasses it for the helpers' predicates)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.set_default_timeout(UI_TIMEOUT_MS)
    record = Watched(page=context.new_page())
    record.page.on("pageerror", lambda error: record.errors.append(str(error)))
    yield record
    context.close()


def test_the_page_renders_and_runs_its_callbacks_under_the_csp(hostile_server, strict):
    watched = strict
    page = watched.page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    response = page.goto(f"{hostile_server.url}/?colour=type")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-eval'" not in csp
    wait_until(page, COUNTER_READY)
    wait_until(page, GRID_READY)
    legend = wait_until(page, LEGEND_READY).json_value()
    # types the palette does not name are "Other types" in the legend; the hover says them as escaped text
    assert "phish" not in legend
    hovers = page.evaluate(f"""() => document.querySelector("#{ids.MAP} .js-plotly-plot")._fullData
        .flatMap(t => Array.from(t.customdata || []).map(c => c[4]))""")
    assert html.escape(BOLD, quote=False) in hovers
    assert any(h.startswith(html.escape(PHISH, quote=False)[:30]) for h in hovers)  # cut to fit, still escaped
    assert not any("<a" in h or "<b>" in h for h in hovers)
    assert page.locator(f"#{ids.MAP} .legend a").count() == 0
    assert page.locator(f"#{ids.MAP} .legend b").count() == 0

    before = page.inner_text(f"#{ids.COUNTER}")
    page.goto(f"{hostile_server.url}/?colour=type&country=ML")  # a new view: the view callback runs
    wait_until(page, COUNTER_CHANGED, arg=before)
    wait_until(page, GRID_READY)
    page.wait_for_timeout(500)
    violations = page.evaluate("() => window.__csp")
    assert violations == [], violations
    assert not [line for line in console if "Content Security Policy" in line or "Refused to" in line], console
    assert watched.errors == []


def test_a_page_on_another_origin_cannot_write_to_the_store(hostile_server, watched):
    page = watched.page
    before = hostile_server.store.read_bytes()
    body = "event_id_cnty,event_date\nMLI1,2022-01-01\n"
    attacker = f"""<html><body>
      <form id="f" method="POST" enctype="text/plain" action="{hostile_server.url}/upload?name=x.csv&wait=1">
        <input name="{body}" value="">
      </form>
      <script>document.getElementById("f").submit();</script></body></html>"""
    page.route("http://evil.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=attacker if route.request.url.endswith("/form") else "<p>hi</p>"))
    with page.expect_response(lambda r: "/upload" in r.url) as answered:
        page.goto("http://evil.example/form")
    response = answered.value
    assert response.status == 403
    assert "own page" in json.loads(response.text())["message"]
    page.goto("http://evil.example/fetch")
    # A script's fetch cannot add our page's token; Chromium may block it outright (private network access).
    kind = page.evaluate("""async url => { try {
        const r = await fetch(url + "/upload?name=y.csv&wait=1", {method: "POST", body: "event_id_cnty\\nx",
                                                                  mode: "no-cors"});
        return r.type; } catch (e) { return "blocked"; } }""", hostile_server.url)
    assert kind in ("opaque", "blocked")
    page.wait_for_timeout(500)
    assert hostile_server.store.read_bytes() == before


def test_with_uploads_off_the_page_has_no_form_and_still_works(tmp_path, strict):
    store = write_sample_store(tmp_path / "events.parquet")
    server = start_server(store, tmp_path / "server.log", env={"SCA_UPLOADS": "off"})
    try:
        page = strict.page
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.goto(server.url + "/")
        wait_until(page, COUNTER_READY)
        wait_until(page, GRID_READY)
        assert page.locator(f"#{ids.UPLOAD_BUTTON}").count() == 0
        assert page.locator(f"#{ids.UPLOAD_STATUS}").count() == 0
        page.wait_for_timeout(500)
        assert strict.errors == []
        assert not [line for line in console if line.startswith("error") and "GL Driver" not in line], console
    finally:
        server.stop()
