"""Callbacks that draw the parts of the page from the view's stores: the map, the timeline and counters, the
regions table, and the events table's row blocks. Each reads its store and calls the pure builders of
:mod:`dashboard.render.parts` and :mod:`dashboard.page.opening`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dash
from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.page import ids
from dashboard.page.controls import map_viewport, needs_viewport, store_view
from dashboard.page.opening import PART_OUTPUTS, part_props
from dashboard.render import parts, tables
from dashboard.web.guard import guarded

if TYPE_CHECKING:
    from dashboard.model.source import EventSource
    from dashboard.render.figures import BoundaryLayers
    from dashboard.settings import Settings

# What the view-parts callback writes, timeline first (dashboard.page.opening.PART_OUTPUTS).
PARTS_DRAWN = [prop for props in PART_OUTPUTS.values() for prop in props]


def register(app: dash.Dash, source: EventSource, layers: BoundaryLayers, settings: Settings) -> None:
    """Attach the map, the view's other parts, the events table's blocks and the table's row selection."""
    @app.callback(
        Output(ids.MAP, "figure"),
        inputs={"store": Input(ids.VIEW_STORE, "data"), "selected": Input(ids.SELECTED_EVENT, "data"),
                "seen": Input(ids.VIEWPORT, "data"), "paused": State(ids.PLAY_INTERVAL, "disabled")},
        # The page came with its map (dashboard.page.opening): a request on load would only answer "nothing new", and
        # on a busy server it queues before the events table's first block (issue 19).
        prevent_initial_call=True,
    )
    @guarded
    def draw_map(store: dict | None, selected: str | None, seen: dict | None, paused: bool | None) -> object:
        """The map for the view: points, bins where too many are in sight, or a regions choropleth. While Play
        runs the map keeps one frame (steady). On page load the page came with its map (dashboard.page.opening): only
        a view the view callback wrote since is drawn."""
        if ctx.triggered_id is None:
            raise PreventUpdate
        view = store_view(store)
        data = source.get()
        viewport = map_viewport(seen, view, selected)
        if ctx.triggered_id == ids.VIEWPORT and not needs_viewport(view, len(data.rows(view)), settings.max_points):
            raise PreventUpdate  # every event is already drawn: panning and zooming change nothing
        return parts.map_with_meta(data, view, layers, style=settings.map_style, max_points=settings.max_points,
                                  viewport=viewport, selected_id=selected, steady=paused is False)

    @app.callback(
        *[Output(cid, prop) for cid, prop in PARTS_DRAWN],
        inputs={"held": {store: Input(store, "data") for store in PART_OUTPUTS}},
        prevent_initial_call=True,  # the page came with them (dashboard.page.opening)
    )
    @guarded
    def draw_view(held: dict[str, Any]) -> tuple:
        """Everything else the view decides, each part only when its store changed: timeline; counter, range
        text, empty state and export links; the regions table. On page load the page came with them."""
        if ctx.triggered_id is None:
            raise PreventUpdate
        changed = {t.rsplit(".", 1)[0] for t in ctx.triggered_prop_ids}
        data = source.get()
        out: dict = {}
        for store in PART_OUTPUTS:
            if store in changed:
                view = store_view(held[store])
                if store == ids.TIMELINE_STORE:  # its window comes shaded: the view's dates (the filters' store)
                    dates = store_view(held[ids.FILTERS_STORE])
                    view = view.with_(start=dates.start, end=dates.end)
                out.update(part_props(data, store, view))
        return tuple(out.get(key, no_update) for key in PARTS_DRAWN)

    @app.callback(
        Output(ids.EVENTS_GRID, "getRowsResponse"),
        inputs={"asked": Input(ids.GRID_REQUEST, "data")},
        prevent_initial_call=True,
    )
    @guarded
    def grid_rows(asked: dict | None) -> dict:
        """One block of the events table: only the rows the grid asks for leave the server. The browser passes
        the grid's request on with the filters it is for, once they exist (assets/app.js ``gridRequest``)."""
        request = (asked or {}).get("request")
        if not request:
            raise PreventUpdate
        data = source.get()
        rows, count = tables.grid_rows(data, data.rows(store_view(asked)), request.get("startRow", 0),
                                       request.get("endRow", 100), request.get("sortModel"))
        return {"rowData": rows, "rowCount": count}

    app.callback(Output(ids.SELECTED_EVENT, "data"), inputs={"click": Input(ids.EVENTS_GRID, "cellClicked")},
                 prevent_initial_call=True)(guarded(select_event))


def select_event(click: dict | None) -> str | None:
    """The event whose row was clicked, for the map to highlight and centre on."""
    return click.get("rowId") if click else None
