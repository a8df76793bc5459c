"""The event card: one event's record as an analyst reads it, as Dash components (pure, no callbacks).

``event_card(row, reports=None)`` takes one event (a mapping of the schema's columns) and, when an incident has
several reports of it, those reports too. Every value is given to React as text, so nothing in the data is ever
interpreted as HTML; only http(s) addresses become links.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from dash import html

from dashboard.render.figures import DATASET_NAMES, FAMILY_COLOURS, OTHER_FAMILY
from dashboard.render.tables import FAMILY_INK
from geodata.schema import GEO_PRECISIONS

# The id of a report's button in the card: a click opens that report's card (dashboard.callbacks.card).
OPEN_REPORT = "open-report"
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$", flags=re.IGNORECASE)
UNKNOWN = "unknown"


def text(value: Any) -> str | None:
    """A cell as display text; None for missing values (NA, NaN, empty)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | datetime.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    out = str(value).strip()
    return out or None


def dates_text(row: Mapping[str, Any]) -> str:
    """'2021-06-05', or '2021-06-01 to 2021-06-30', with the date precision when it is not a day."""
    start, end = text(row.get("date_start")), text(row.get("date_end"))
    when = start or "date unknown"
    if end and end != start:
        when = f"{when} to {end}"
    precision = text(row.get("date_precision"))
    return f"{when} (precision: {precision})" if precision else when


def place_text(row: Mapping[str, Any]) -> str:
    """'Ménaka — Gao, ML'."""
    where = [p for p in (text(row.get("admin1")), text(row.get("country_iso2"))) if p]
    place = text(row.get("location")) or "unnamed place"
    return f"{place} — {', '.join(where)}" if where else place


def geo_precision_text(value: Any) -> str:
    """'1: the place itself', or 'unknown'."""
    level = text(value)
    if level is None:
        return UNKNOWN
    try:
        meaning = GEO_PRECISIONS.get(int(level))
    except ValueError:
        meaning = None
    return f"{level}: {meaning}" if meaning else level


def fatalities_text(row: Mapping[str, Any]) -> str:
    """'12', '12 (reported 10–15)', or 'unknown' (never 0 for unknown)."""
    best, low, high = (text(row.get(k)) for k in ("fatalities", "fatalities_low", "fatalities_high"))
    spread = f"{low}–{high}" if low and high and low != high else None
    if best is None:
        return f"unknown (reported {spread})" if spread else UNKNOWN
    return f"{best} (reported {spread})" if spread else best


def dataset_text(dataset: str | None) -> str:
    """'seed (Bundled sample)': the store's short name with what it means, where the name alone does not say."""
    if dataset is None:
        return UNKNOWN
    name = DATASET_NAMES.get(dataset, dataset)
    return dataset if name.casefold() == dataset.casefold() else f"{dataset} ({name})"


def is_http(url: str | None) -> bool:
    return bool(url) and bool(HTTP_URL.match(url or ""))


def family_chip(family: str | None) -> html.Span:
    name = family or OTHER_FAMILY
    return html.Span(name, className="family-chip", **{"data-family": name},
                     style={"background": FAMILY_COLOURS.get(name, FAMILY_COLOURS[OTHER_FAMILY]),
                            "color": FAMILY_INK.get(name, "#000000")})


def source_link(url: str | None, label: str | None = None) -> html.A | html.Span | None:
    """A link that opens in a new tab for an http(s) address; any other value is shown as plain text."""
    if not url:
        return None
    if is_http(url):
        return html.A(label or url, href=url, target="_blank", rel="noopener noreferrer", className="source-link")
    return html.Span(url, className="source-text")


def _field(name: str, *value: Any) -> list:
    return [html.Dt(name), html.Dd(list(value))]


def _actor(row: Mapping[str, Any], n: int) -> list:
    actor = text(row.get(f"actor{n}"))
    family = text(row.get(f"group{n}"))
    if actor is None and family is None:
        return []
    return [html.Span(actor or "unnamed actor", className="actor-name"), " ", family_chip(family)]


def event_card(row: Mapping[str, Any], reports: Sequence[Mapping[str, Any]] | None = None) -> list:
    """The card's body for one event ``row`` (schema columns; missing ones are fine), and ``reports``, the other
    reports of the same incident when known, each listed with its id, date, source and link."""
    event_id = text(row.get("event_id")) or "event without id"
    kinds = [t for t in (text(row.get("event_type")), text(row.get("sub_event_type"))) if t]
    kind = " · ".join(dict.fromkeys(kinds))  # ACLED often repeats the type as its sub-type
    actors = [a for a in (_actor(row, 1), _actor(row, 2)) if a]
    actor_items = [html.Li(a) for a in actors] or [html.Li("not given")]
    url = text(row.get("source_url"))
    source = text(row.get("source"))
    notes = text(row.get("notes"))
    fields = [
        *_field("Dates", dates_text(row)),
        *_field("Place", place_text(row)),
        *_source_region(row),
        *_field("Geo precision", geo_precision_text(row.get("geo_precision"))),
        *_field("Actors", html.Ul(actor_items, className="actors")),
        *_field("Fatalities", fatalities_text(row)),
        *_field("Dataset", dataset_text(text(row.get("dataset")))),
        *_field("Source", *[part for part in (source or ("" if url else "not given"),
                                              " " if source and url else "",
                                              source_link(url, "open source ↗" if source else None)) if part]),
    ]
    body: list = [
        html.H3(place_text(row).split(" — ")[0], className="card-title"),
        html.P([html.Span(event_id, className="event-id"), f" · {kind}" if kind else ""], className="card-meta"),
        html.Dl(fields, className="card-fields"),
    ]
    if notes:
        body += [html.H4("Citing sentence / notes"), html.Blockquote(notes, className="card-notes")]
    if reports:
        body += [html.H4(f"Reports of this incident ({len(reports)})")]
    note = text(row.get("incident_note"))
    if note:  # the reports disagree: e.g. "sources differ on the perpetrator: JNIM (UCDP); ISGS (ACLED)"
        body += [html.P(note, className="card-incident-note")]
    if reports:
        body += [html.Ul([_report(r, shown=text(r.get("event_id")) == event_id) for r in reports],
                         className="card-reports")]
    return body


def _source_region(row: Mapping[str, Any]) -> list:
    """The region as the source names it (ACLED's "Gao" for the atlas's Ménaka) and the geo note saying why they
    differ, when the record has them."""
    own, note = text(row.get("source_admin1")), text(row.get("geo_note"))
    out = []
    if own:
        out += _field("Source's region", own)
    if note:
        out += _field("Geo note", note)
    return out


def report_button(event_id: str) -> html.Button:
    """A report's id as a button that opens that report in the card."""
    return html.Button(event_id, id={"type": OPEN_REPORT, "index": event_id}, n_clicks=0,
                       className="event-id report-open", title=f"Show report {event_id} in this card")


def _report(row: Mapping[str, Any], shown: bool = False) -> html.Li:
    """One report of the incident: id (a button opening it, unless it is the one ``shown``), dataset, date,
    fatalities and source (the counted one marked)."""
    counted = " (counted)" if row.get("representative") else ""
    event_id = text(row.get("event_id"))
    label = (html.Span([event_id, " (shown)"], className="event-id") if shown or event_id is None
             else report_button(event_id)) if event_id else html.Span("report", className="event-id")
    dataset = text(row.get("dataset"))
    parts: list = [label, counted, " · ", DATASET_NAMES.get(dataset, dataset) if dataset else UNKNOWN, " · ",
                   dates_text(row), " · ",
                   f"fatalities {fatalities_text(row)}", " · ", text(row.get("source")) or "source not given"]
    link = source_link(text(row.get("source_url")), "↗")
    if link is not None:
        parts += [" ", link]
    return html.Li(parts)
