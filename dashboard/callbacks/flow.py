"""Thin callbacks: read the view from the URL or the controls, call the pure functions, return.

One callback owns the view (Dash's same-callback circular pattern): the URL and every control are both
its inputs and its outputs, so opening an address sets the controls and moving a control writes the address,
with no chain of callbacks that could loop. It writes the view to one store per part of the page
(``controls.part_views``: the map's whole view, the filters, the timeline's and the regions table's views), each
only when it changes, so a user action computes, sends and draws each output once and leaves the rest alone.
What must not reach the server (the timeline's autosize, the grid's request before the view exists, a Play
step while the last one is drawing) is filtered in the browser by ``assets/flow.js``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dash
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import (
    CONTROLS,
    PART_STORES,
    apply_controls,
    changed_parts,
    control_value,
    map_viewport,
    needs_viewport,
    open_ends,
    play_start,
    play_step,
    region_click_admin1,
    selection_bbox,
    slider_value,
    store_view,
    timeline_span,
    with_months,
)
from dashboard.page.opening import PART_OUTPUTS, address_props, part_props
from dashboard.render import parts, tables
from dashboard.web.guard import guarded

# What the view callback writes: the address, every control, the slider, the filters' options, the messages,
# the view's stores and Play's state.
VIEW_OUTPUTS = [(ids.URL, "search"), *[(cid, "value") for cid in CONTROLS], (ids.SLIDER, "value"),
                (ids.SLIDER, "max"), (ids.SLIDER, "marks"), *[(cid, "options") for cid in ids.DROPDOWNS],
                (ids.MESSAGES, "children"), *[(store, "data") for store in PART_STORES],
                (ids.PLAY_INTERVAL, "disabled"), (ids.PLAY, "children")]

# What the view-parts callback writes, timeline first (dashboard.page.opening.PART_OUTPUTS).
PARTS_DRAWN = [prop for props in PART_OUTPUTS.values() for prop in props]

if TYPE_CHECKING:
    from dashboard.model.source import EventSource
    from dashboard.settings import Settings


def register(app: dash.Dash, source: EventSource, layers: object, settings: Settings) -> None:
    """Attach every callback of the page to ``app``."""
    @app.callback(
        *[Output(cid, prop) for cid, prop in VIEW_OUTPUTS],
        Input(ids.URL, "search"),
        *[Input(cid, "value") for cid in CONTROLS],
        Input(ids.SLIDER, "value"),
        Input(ids.TIMELINE, "selectedData"),
        Input(ids.TIMELINE_ZOOM, "data"),
        Input(ids.MAP, "selectedData"),
        Input(ids.REGIONS_GRID, "cellClicked"),
        Input(ids.CLEAR_BBOX, "n_clicks"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.PLAY_TICK, "data"),
        Input(ids.UPLOAD_RESULT, "data"),
        State(ids.PLAY_WINDOW, "value"),
        State(ids.PLAY_INTERVAL, "disabled"),
        *[State(store, "data") for store in PART_STORES],
    )
    @guarded
    def update_view(search: str | None, *args: Any) -> tuple:
        """URL, controls and play state -> the one view, written back to the URL and the controls; every output
        that would not change is left alone, so nothing downstream runs again for nothing. On page load the page
        usually holds its address's view already (dashboard.page.opening), and nothing is written."""
        control_values = dict(zip(CONTROLS, args[: len(CONTROLS)], strict=True))
        (slider, timeline_selected, timeline_zoom, map_selected, region_click, _clear, _play, _tick,
         upload, window, paused, *held) = args[len(CONTROLS):]
        data = source.get()
        months = data.months()
        view, messages = View.from_query(search or "")
        view = data.canonical(view)  # "admin1=menaka" shows as the region control's Ménaka
        triggered = {t["prop_id"].rsplit(".", 1)[0] for t in ctx.triggered} if ctx.triggered_id else set()
        from_url = not triggered or ids.URL in triggered or ids.UPLOAD_RESULT in triggered
        playing = not paused

        url_view = view
        problems: list[str] = []
        if not from_url:
            view, problems = apply_controls(view, {c: control_values[c] for c in CONTROLS if c in triggered})
            if ids.DATE_START in triggered or ids.DATE_END in triggered:
                view = open_ends(view, data.date_range())
            if ids.SLIDER in triggered:
                view = with_months(view, months, slider)
            if ids.TIMELINE in triggered or ids.TIMELINE_ZOOM in triggered:
                props = ctx.triggered_prop_ids
                span = timeline_span(timeline_selected if f"{ids.TIMELINE}.selectedData" in props else None,
                                     timeline_zoom if f"{ids.TIMELINE_ZOOM}.data" in props else None, months)
                if span is not None:
                    view = with_months(view, months, span)
            if ids.MAP in triggered:
                view = view.with_(bbox=selection_bbox(map_selected))
            if ids.CLEAR_BBOX in triggered:
                view = view.with_(bbox=None)
            if ids.REGIONS_GRID in triggered and region_click_admin1(region_click):
                view = view.with_(admin1=(region_click_admin1(region_click),))
            if ids.PLAY in triggered:
                playing = not playing
                if playing:
                    view = with_months(view, months, play_start(slider_value(view, months), window, len(months)))
            if ids.PLAY_TICK in triggered and playing:
                step = play_step(slider_value(view, months), window, len(months))
                if step is None:
                    playing = False
                else:
                    view = with_months(view, months, step)

        changed = changed_parts(view, source.version, dict(zip(PART_STORES, held, strict=True)))
        if not changed and not problems and playing == (not paused) and ids.UPLOAD_RESULT not in triggered:
            # nothing the page shows would change: a same-value write, a click on nothing, or a page load whose
            # layout already holds this address's view (dashboard.page.opening)
            raise PreventUpdate
        if from_url:
            out = address_props(data, view, messages, source.version, source.problem)
            out = {key: value for key, value in out.items() if key[1] != "data" or key[0] in changed}
        else:
            shown = slider_value(view, months)
            data_range = data.date_range()
            out = {(cid, "value"): value for cid, value in
                   ((cid, control_value(view, field, data_range)) for cid, field in CONTROLS.items())
                   if value != control_values[cid]}
            if shown != slider:
                out[(ids.SLIDER, "value")] = shown
            if problems or view != url_view:
                notes = [source.problem, *problems] if source.problem else problems
                out[(ids.MESSAGES, "children")] = [html.P(m) for m in notes]
            out.update({(store, "data"): data_ for store, data_ in changed.items()})
            query = view.to_query()
            new_search = f"?{query}" if query else ""
            if view != url_view and new_search != (search or ""):
                out[(ids.URL, "search")] = new_search
        out[(ids.PLAY_INTERVAL, "disabled")] = not playing
        out[(ids.PLAY, "children")] = "Pause" if playing else "Play"
        return tuple(out.get(key, no_update) for key in VIEW_OUTPUTS)

    @app.callback(
        Output(ids.MAP, "figure"),
        Input(ids.VIEW_STORE, "data"),
        Input(ids.SELECTED_EVENT, "data"),
        Input(ids.VIEWPORT, "data"),
        State(ids.PLAY_INTERVAL, "disabled"),
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
        *[Input(store, "data") for store in PART_OUTPUTS],
        prevent_initial_call=True,  # the page came with them (dashboard.page.opening)
    )
    @guarded
    def draw_view(*held: dict | None) -> tuple:
        """Everything else the view decides, each part only when its store changed: timeline; counter, range
        text, empty state and export links; the regions table. On page load the page came with them."""
        if ctx.triggered_id is None:
            raise PreventUpdate
        changed = {t.rsplit(".", 1)[0] for t in ctx.triggered_prop_ids}
        data = source.get()
        out: dict = {}
        for store, stored in zip(PART_OUTPUTS, held, strict=True):
            if store in changed:
                out.update(part_props(data, store, store_view(stored)))
        return tuple(out.get(key, no_update) for key in PARTS_DRAWN)

    @app.callback(
        Output(ids.EVENTS_GRID, "getRowsResponse"),
        Input(ids.GRID_REQUEST, "data"),
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

    @app.callback(
        Output(ids.SELECTED_EVENT, "data"),
        Input(ids.EVENTS_GRID, "cellClicked"),
        prevent_initial_call=True,
    )
    @guarded
    def select_event(click: dict | None) -> str | None:
        """The event whose row was clicked, for the map to highlight and centre on."""
        return click.get("rowId") if click else None

    @app.callback(
        Output(ids.UPLOAD_STATUS, "children"),
        Input(ids.UPLOAD_RESULT, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def show_upload(result: dict | None) -> list:
        """The import's summary line, how it differs from the source, and the first quarantine reasons, or why
        nothing was imported (always as text)."""
        if not result:
            return no_update
        children: list = [html.P(str(result.get("message", "")), className="ok" if result.get("ok") else "error")]
        for key in ("notes", "reasons"):
            lines = result.get(key) or []
            if isinstance(lines, list) and lines:
                children.append(html.Ul([html.Li(str(line)) for line in lines], className=key))
        return children

    app.clientside_callback(
        ClientsideFunction("sca", "purgeGrid"),
        Output(ids.GRID_PURGED, "data"),
        Input(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sca", "gridRequest"),
        Output(ids.GRID_REQUEST, "data"),
        Input(ids.EVENTS_GRID, "getRowsRequest"),
        State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sca", "colourMode"),
        Output(ids.COLOUR_MODE, "data"),
        Input(ids.COLOUR, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("sca", "timelineWindow"),
        Output(ids.TIMELINE_WINDOW, "data"),
        Input(ids.VIEW_STORE, "data"),
        Input(ids.TIMELINE, "figure"),
    )
    app.clientside_callback(
        ClientsideFunction("sca", "timelineZoom"),
        Output(ids.TIMELINE_ZOOM, "data"),
        Input(ids.TIMELINE, "relayoutData"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sca", "viewport"),
        Output(ids.VIEWPORT, "data"),
        Input(ids.MAP, "relayoutData"),
        State(ids.MAP, "figure"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sca", "pollEvery"),
        Output(ids.PLAY_INTERVAL, "interval"),
        Input(ids.PLAY_SPEED, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("sca", "playTick"),
        Output(ids.PLAY_TICK, "data"),
        Input(ids.PLAY_INTERVAL, "n_intervals"),
        State(ids.PLAY_SPEED, "value"),
        State(ids.PLAY, "n_clicks"),
        State(ids.VIEW_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sca", "mountPicker"),
        Output(ids.UPLOAD_PICKER_READY, "data"),
        Input(ids.UPLOAD_KIND, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("sca", "upload"),
        Output(ids.UPLOAD_RESULT, "data"),
        Input(ids.UPLOAD_BUTTON, "n_clicks"),
        State(ids.UPLOAD_KIND, "value"),
        prevent_initial_call=True,
    )
