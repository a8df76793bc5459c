"""The event card is a pure function of one record: every field an analyst needs, all of it as text."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from dash import html

from dashboard.callbacks.card import clicked_event, event_row
from dashboard.model.view import View
from dashboard.render.card import OPEN_REPORT, event_card, fatalities_text
from dashboard.render.figures import FAMILY_COLOURS


def components(node):
    """Every component in a tree of Dash components."""
    if isinstance(node, list | tuple):
        for child in node:
            yield from components(child)
    elif hasattr(node, "to_plotly_json"):
        yield node
        yield from components(getattr(node, "children", None))


def all_text(body) -> str:
    parts = []

    def walk(node):
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "to_plotly_json"):
            walk(getattr(node, "children", None))

    walk(body)
    return " ".join(parts)


ROW = {
    "event_id": "acled:BFA123", "dataset": "acled", "date_start": "2021-06-04", "date_end": "2021-06-05",
    "date_precision": "day", "event_type": "Violence against civilians", "sub_event_type": "Attack",
    "actor1": "JNIM: Group for Support of Islam and Muslims", "actor2": "Civilians (Burkina Faso)",
    "group1": "JNIM", "group2": "Civilians", "fatalities": 132, "fatalities_low": 114, "fatalities_high": 160,
    "location": "Solhan", "admin1": "Sahel", "country_iso2": "BF", "geo_precision": 1,
    "source": "Reuters; AFP", "source_url": "https://example.org/solhan",
    "notes": "On 5 June 2021, gunmen killed at least 132 people in Solhan.",
}


def test_the_card_shows_every_field_of_the_record():
    body = event_card(ROW)
    text = all_text(body)
    for expected in ("acled:BFA123", "2021-06-04 to 2021-06-05 (precision: day)", "Solhan — Sahel, BF",
                     "1: the place itself", "JNIM: Group for Support of Islam and Muslims", "Civilians (Burkina Faso)",
                     "132 (reported 114–160)", "acled", "Reuters; AFP", "gunmen killed at least 132"):
        assert expected in text, expected
    chips = [c for c in components(body) if "family-chip" in (getattr(c, "className", "") or "")]
    assert [c.children for c in chips] == ["JNIM", "Civilians"]
    assert chips[0].style["background"] == FAMILY_COLOURS["JNIM"]
    links = [c for c in components(body) if isinstance(c, html.A)]
    assert [a.href for a in links] == ["https://example.org/solhan"]
    assert links[0].rel == "noopener noreferrer" and links[0].target == "_blank"


def test_unknown_fatalities_say_unknown_never_zero():
    assert fatalities_text({"fatalities": None}) == "unknown"
    assert fatalities_text({"fatalities": pd.NA, "fatalities_low": 3, "fatalities_high": 9}) == "unknown (reported 3–9)"
    assert fatalities_text({"fatalities": 0}) == "0"
    assert fatalities_text({"fatalities": 7, "fatalities_low": 7, "fatalities_high": 7}) == "7"
    assert "Fatalities" in all_text(event_card({"event_id": "x:1"})) and "unknown" in all_text(event_card({}))


def test_only_http_addresses_become_links_and_markup_stays_text():
    hostile = {**ROW, "source_url": "javascript:alert(1)", "notes": "<img src=x onerror=alert(1)>",
               "location": "<b>Solhan</b>"}
    body = event_card(hostile)
    assert not [c for c in components(body) if isinstance(c, html.A)]
    text = all_text(body)
    assert "javascript:alert(1)" in text and "<img src=x onerror=alert(1)>" in text and "<b>Solhan</b>" in text
    # Dash sends children as JSON strings: React renders them as text, nothing here is HTML
    serialised = json.dumps([c.to_plotly_json() for c in components(body)], default=str)
    assert "dangerouslySetInnerHTML" not in serialised
    assert not [c for c in components(body) if type(c).__name__ in ("Iframe", "Script")]


def test_an_incident_lists_its_reports():
    reports = [{"event_id": "acled:1", "date_start": "2021-06-05", "source": "AFP", "source_url": "https://a.example/x"},
               {"event_id": "ucdp:2", "date_start": "2021-06-05", "source": "UCDP", "source_url": "ftp://nope"}]
    body = event_card(ROW, reports=reports)
    text = all_text(body)
    assert "Reports of this incident (2)" in text and "acled:1" in text and "ucdp:2" in text
    hrefs = [c.href for c in components(body) if isinstance(c, html.A)]
    assert "https://a.example/x" in hrefs and "ftp://nope" not in hrefs
    assert "Reports of this incident" not in all_text(event_card(ROW))
    # each other report's id is a button that opens that report; the one shown says so
    buttons = [c.id for c in components(body) if isinstance(c, html.Button)]
    assert buttons == [{"type": OPEN_REPORT, "index": "acled:1"}, {"type": OPEN_REPORT, "index": "ucdp:2"}]
    shown = event_card({**ROW, "event_id": "acled:1"}, reports=reports)
    assert [c.id["index"] for c in components(shown) if isinstance(c, html.Button)] == ["ucdp:2"]
    assert "acled:1" in all_text(shown) and "(shown)" in all_text(shown)


def test_a_click_names_its_event_by_id_or_by_its_point(data):
    rows = data.rows(View())
    assert clicked_event(data, rows, {"points": [{"customdata": ["acled:12", "x"], "lon": 0, "lat": 0}]}) == "acled:12"
    event = data.frame[data.frame["event_id"] == "seed:3"].iloc[0]
    point = {"points": [{"lon": float(np.float32(event["longitude"])), "lat": float(np.float32(event["latitude"]))}]}
    assert clicked_event(data, rows, point) in set(
        data.frame.loc[(data.frame["longitude"] == event["longitude"])
                       & (data.frame["latitude"] == event["latitude"]), "event_id"])
    assert clicked_event(data, rows, {"points": [{"lon": 100.0, "lat": 50.0}]}) is None
    assert clicked_event(data, rows, None) is None and clicked_event(data, rows, {"points": ["junk"]}) is None


def test_event_row_reads_the_stored_record(data):
    row = event_row(data, "acled:12")
    assert row["location"] == "Solhan" and row["date_start"] == "2021-06-05"
    assert "fatalities_low" in row and "sub_event_type" in row
    assert event_row(data, "nope:1") is None
    assert "Solhan" in all_text(event_card(row))


def test_the_card_shows_the_source_region_and_the_geo_note():
    from dashboard.model.events import EventData
    from tests.fixtures.dyad_events import MENAKA_NOTE, dyad_events

    data = EventData.from_frame(dyad_events())
    text = all_text(event_card(event_row(data, "acled:ML1")))
    assert "Ménaka — Ménaka, ML" in text and "Source's region Gao" in text and MENAKA_NOTE in text
    assert "Source's region" not in all_text(event_card(ROW)) and "Geo note" not in all_text(event_card(ROW))
