"""The "Count each incident once" switch in a real Chromium: the counter, the address and the export links follow it.

The store is the hand-labelled ACLED and UCDP exports imported through the real pipeline; the expected counts are
worked out here from the store with pandas.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.page import ids
from geodata import store as geostore
from tests.browser.pages import wait_until

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"

# "Ready yet?" predicates: never throw while the page mounts.
COUNT_JS = """
n => {
  try {
    const el = document.querySelector('#COUNTER');
    const m = el && el.innerText.match(/^\\s*([0-9,]+) event/);
    return Boolean(m) && Number(m[1].replace(/,/g, '')) === n;
  } catch (e) { return false; }
}
""".replace("COUNTER", ids.COUNTER)
CHECKED_JS = """
want => {
  try {
    const box = document.querySelector('#DEDUPE input[type=checkbox]');
    return Boolean(box) && box.checked === want;
  } catch (e) { return false; }
}
""".replace("DEDUPE", ids.DEDUPE)
QUERY_JS = """
want => {
  try { return new URLSearchParams(window.location.search).get('dedupe') === want; } catch (e) { return false; }
}
"""
EXPORT_JS = """
want => {
  try {
    const link = document.querySelector('#EXPORT');
    return Boolean(link) && link.getAttribute('href').includes('dedupe=incident') === want;
  } catch (e) { return false; }
}
""".replace("EXPORT", ids.EXPORT_CSV)


def test_the_switch_counts_each_incident_once(labelled_server, watched):
    events = geostore.read_store(labelled_server.store)
    reports, incidents = len(events), events["incident_id"].nunique()
    assert incidents < reports
    page = watched.page

    page.goto(labelled_server.url + "/")
    wait_until(page, COUNT_JS, arg=reports)
    wait_until(page, CHECKED_JS, arg=False)

    page.get_by_text("Count each incident once").click()
    wait_until(page, COUNT_JS, arg=incidents)
    wait_until(page, QUERY_JS, arg="incident")
    wait_until(page, EXPORT_JS, arg=True)

    # The address restores the switch.
    page.goto(labelled_server.url + "/?dedupe=incident")
    wait_until(page, CHECKED_JS, arg=True)
    wait_until(page, COUNT_JS, arg=incidents)

    page.get_by_text("Count each incident once").click()
    wait_until(page, COUNT_JS, arg=reports)
    wait_until(page, QUERY_JS, arg=None)
    wait_until(page, EXPORT_JS, arg=False)
    assert not watched.errors


def test_each_report_id_in_the_card_opens_that_report(labelled_server, watched):
    """Sources side by side (issue 24): the card of one report lists its incident's other reports, and each id
    opens that report in the card."""
    events = geostore.read_store(labelled_server.store)
    sizes = events.groupby("incident_id")["event_id"].transform("size")
    linked = events[sizes > 1].sort_values(["incident_id", "event_id"])
    first = linked.iloc[0]
    other = linked[(linked["incident_id"] == first["incident_id"]) & (linked["event_id"] != first["event_id"])]
    other_id = str(other["event_id"].iloc[0])
    day = first["date_start"].strftime("%Y-%m-%d")
    page = watched.page
    page.goto(f"{labelled_server.url}/?start={day}&end={day}")
    row = page.locator(f"#{ids.EVENTS_GRID} .ag-row[row-id='{first['event_id']}'] .ag-cell").first
    row.click()
    card = f"#{ids.EVENT_CARD}"
    wait_until(page, "id => { const c = document.querySelector('CARD'); return !c.hidden && c.innerText.includes("
                     "id + ' (shown)'); }".replace("CARD", card), arg=str(first["event_id"]))
    page.locator(f"{card} button.report-open", has_text=other_id).click()
    wait_until(page, "id => document.querySelector('CARD').innerText.includes(id + ' (shown)')".replace("CARD", card),
               arg=other_id)
    assert page.locator(f"{card} button.report-open", has_text=str(first["event_id"])).count() == 1
    assert not watched.errors
