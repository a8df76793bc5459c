"""The callbacks that run in the browser (``window.dash_clientside.sca`` in ``assets/app.js``), as one table.

Each row names the function and what it writes and reads; they keep what must not reach the server (the grid's
request before the view exists, the timeline's autosize, a Play step while the last one is drawing) in the page.
"""

from __future__ import annotations

from typing import NamedTuple

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.page import ids


class Clientside(NamedTuple):
    """One browser-side callback: ``function`` of ``assets/app.js`` writes ``output`` from ``inputs``."""

    function: str
    output: tuple[str, str]
    inputs: tuple[tuple[str, str], ...]
    states: tuple[tuple[str, str], ...] = ()
    initial_call: bool = True


CLIENTSIDE = (
    Clientside("purgeGrid", (ids.GRID_PURGED, "data"), ((ids.FILTERS_STORE, "data"),), initial_call=False),
    Clientside("gridRequest", (ids.GRID_REQUEST, "data"), ((ids.EVENTS_GRID, "getRowsRequest"),),
               ((ids.FILTERS_STORE, "data"),), initial_call=False),
    Clientside("colourMode", (ids.COLOUR_MODE, "data"), ((ids.COLOUR, "value"),)),
    Clientside("timelineWindow", (ids.TIMELINE_WINDOW, "data"), ((ids.VIEW_STORE, "data"), (ids.TIMELINE, "figure"))),
    Clientside("timelineZoom", (ids.TIMELINE_ZOOM, "data"), ((ids.TIMELINE, "relayoutData"),), initial_call=False),
    Clientside("viewport", (ids.VIEWPORT, "data"), ((ids.MAP, "relayoutData"),), ((ids.MAP, "figure"),),
               initial_call=False),
    Clientside("pollEvery", (ids.PLAY_INTERVAL, "interval"), ((ids.PLAY_SPEED, "value"),)),
    Clientside("playTick", (ids.PLAY_TICK, "data"), ((ids.PLAY_INTERVAL, "n_intervals"),),
               ((ids.PLAY_SPEED, "value"), (ids.PLAY, "n_clicks"), (ids.VIEW_STORE, "data")), initial_call=False),
    Clientside("mountPicker", (ids.UPLOAD_PICKER_READY, "data"), ((ids.UPLOAD_KIND, "value"),)),
    Clientside("upload", (ids.UPLOAD_RESULT, "data"), ((ids.UPLOAD_BUTTON, "n_clicks"),),
               ((ids.UPLOAD_KIND, "value"),), initial_call=False),
)


def register(app: dash.Dash) -> None:
    """Attach every row of :data:`CLIENTSIDE` to ``app``."""
    for row in CLIENTSIDE:
        app.clientside_callback(
            ClientsideFunction("sca", row.function),
            Output(*row.output),
            *[Input(*dependency) for dependency in row.inputs],
            *[State(*dependency) for dependency in row.states],
            prevent_initial_call=not row.initial_call,
        )
