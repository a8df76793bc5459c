"""Callbacks of the event card: a click on a map point or a table row opens the card for that event.

Kept apart from :mod:`dashboard.callbacks.flow` (the view flow); the card's content is the pure
:func:`dashboard.render.card.event_card`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dash
import numpy as np
from dash import ALL, Input, Output, State, ctx, no_update

from dashboard.model.events import event_position, incident_reports
from dashboard.page import ids
from dashboard.page.controls import store_view
from dashboard.render.card import OPEN_REPORT, event_card
from dashboard.render.tables import json_records
from dashboard.web.guard import guarded
from geodata.schema import COLUMN_NAMES

if TYPE_CHECKING:
    from dashboard.model.events import EventData
    from dashboard.model.source import EventSource

MAX_ID_LENGTH = 200


def event_row(data: EventData, event_id: str) -> dict[str, Any] | None:
    """The stored record of ``event_id`` as a JSON-safe dict, or None."""
    row = event_position(data.frame, event_id)
    if row is None:
        return None
    return json_records(data.take(np.array([row]), list(COLUMN_NAMES)), COLUMN_NAMES)[0]


def card_content(data: EventData, event_id: str) -> list | None:
    """The card's body for ``event_id``, listing every report of its incident when it has several; None when
    the id is unknown."""
    row = event_row(data, event_id)
    if row is None:
        return None
    reports = incident_reports(data, event_id)
    return event_card(row, reports if len(reports) > 1 else None)


def clicked_event(data: EventData, rows: np.ndarray, click: dict | None) -> str | None:
    """The event id of a map click: from the point's customdata, or (large views carry no ids) the latest event of
    the view drawn at exactly that point."""
    points = (click or {}).get("points") or []
    if not points or not isinstance(points[0], dict):
        return None
    point = points[0]
    custom = point.get("customdata")
    if isinstance(custom, list) and custom and isinstance(custom[0], str):
        return custom[0][:MAX_ID_LENGTH]
    try:
        lon, lat = np.float32(point["lon"]), np.float32(point["lat"])
    except (KeyError, TypeError, ValueError):
        return None
    c = data.columns
    here = rows[(c.lon[rows].astype("float32") == lon) & (c.lat[rows].astype("float32") == lat)]
    if not len(here):
        return None
    return str(data.frame["event_id"].iloc[int(here[-1])])  # rows are in date order: the latest


def register(app: dash.Dash, source: EventSource) -> None:
    """Attach the card's callback to ``app``."""

    @app.callback(
        Output(ids.EVENT_CARD_BODY, "children"),
        Output(ids.EVENT_CARD, "hidden"),
        inputs={"click": Input(ids.MAP, "clickData"), "selected": Input(ids.SELECTED_EVENT, "data"),
                "close": Input(ids.EVENT_CARD_CLOSE, "n_clicks"),
                "reports": Input({"type": OPEN_REPORT, "index": ALL}, "n_clicks"),
                "store": State(ids.VIEW_STORE, "data")},
        prevent_initial_call=True,
    )
    @guarded
    def show_card(click: dict | None, selected: Any, close: int | None, reports: list | None,
                  store: dict | None) -> tuple:
        """Open the card on the clicked point or table row, or on one of its incident's reports; close it on its
        button."""
        if ctx.triggered_id == ids.EVENT_CARD_CLOSE:
            return no_update, True
        data = source.get()
        if isinstance(ctx.triggered_id, dict):  # a report's button in the card (new buttons fire with 0 clicks)
            if not (ctx.triggered and ctx.triggered[0].get("value")):
                return no_update, no_update
            event_id = str(ctx.triggered_id.get("index", ""))[:MAX_ID_LENGTH] or None
        elif ctx.triggered_id == ids.MAP:
            event_id = clicked_event(data, data.rows(store_view(store)), click)
        else:
            event_id = selected[:MAX_ID_LENGTH] if isinstance(selected, str) else None
        body = card_content(data, event_id) if event_id else None
        if body is None:
            return no_update, no_update
        return body, False
