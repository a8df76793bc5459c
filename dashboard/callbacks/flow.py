"""The view callback: the URL and every control in, the one view out, written back to the URL and the controls.

One callback owns the view (Dash's same-callback circular pattern): the URL and every control are both
its inputs and its outputs, so opening an address sets the controls and moving a control writes the address,
with no chain of callbacks that could loop. It writes the view to one store per part of the page
(``controls.part_views``: the map's whole view, the filters, the timeline's and the regions table's views), each
only when it changes, so a user action computes, sends and draws each output once and leaves the rest alone
(the parts are drawn by :mod:`dashboard.callbacks.draw`). What must not reach the server (the timeline's autosize,
the grid's request before the view exists, a Play step while the last one is drawing) is filtered in the browser
by ``assets/flow.js``. The rules themselves are the pure functions of :mod:`dashboard.page.controls`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dash
from dash import Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import (
    CONTROLS,
    PART_STORES,
    apply_controls,
    changed_parts,
    control_value,
    open_ends,
    play_start,
    play_step,
    region_click_admin1,
    selection_bbox,
    slider_value,
    timeline_span,
    with_months,
)
from dashboard.page.opening import address_props
from dashboard.web.guard import guarded

if TYPE_CHECKING:
    from dashboard.model.events import EventData
    from dashboard.model.source import EventSource

# What the view callback writes: the address, every control, the slider, the filters' options, the messages,
# the view's stores and Play's state.
VIEW_OUTPUTS = [(ids.URL, "search"), *[(cid, "value") for cid in CONTROLS], (ids.SLIDER, "value"),
                (ids.SLIDER, "max"), (ids.SLIDER, "marks"), *[(cid, "options") for cid in ids.DROPDOWNS],
                (ids.MESSAGES, "children"), *[(store, "data") for store in PART_STORES],
                (ids.PLAY_INTERVAL, "disabled"), (ids.PLAY, "children")]

# What it reads, by name (Dash's dict form): the callback is called with these keywords, which fill ViewInputs.
VIEW_INPUTS = {
    "search": Input(ids.URL, "search"),
    "controls": {cid: Input(cid, "value") for cid in CONTROLS},
    "slider": Input(ids.SLIDER, "value"),
    "timeline_selected": Input(ids.TIMELINE, "selectedData"),
    "timeline_zoom": Input(ids.TIMELINE_ZOOM, "data"),
    "map_selected": Input(ids.MAP, "selectedData"),
    "region_click": Input(ids.REGIONS_GRID, "cellClicked"),
    "clear": Input(ids.CLEAR_BBOX, "n_clicks"),
    "play": Input(ids.PLAY, "n_clicks"),
    "tick": Input(ids.PLAY_TICK, "data"),
    "upload": Input(ids.UPLOAD_RESULT, "data"),
    "window": State(ids.PLAY_WINDOW, "value"),
    "paused": State(ids.PLAY_INTERVAL, "disabled"),
    "held": {store: State(store, "data") for store in PART_STORES},
}


@dataclass(frozen=True)
class ViewInputs:
    """The view callback's inputs by name (the keys of :data:`VIEW_INPUTS`)."""

    search: str | None
    controls: dict[str, Any]  # control id -> its value
    slider: Any
    timeline_selected: Any
    timeline_zoom: Any
    map_selected: Any
    region_click: Any
    clear: Any
    play: Any
    tick: Any
    upload: Any
    window: Any
    paused: bool | None
    held: dict[str, Any]  # part store id -> the view it holds


def register(app: dash.Dash, source: EventSource) -> None:
    """Attach the view callback to ``app``."""

    @app.callback(*[Output(cid, prop) for cid, prop in VIEW_OUTPUTS], inputs=VIEW_INPUTS)
    @guarded
    def update_view(**given: Any) -> tuple:
        """URL, controls and play state -> the one view, written back to the URL and the controls; every output
        that would not change is left alone, so nothing downstream runs again for nothing. On page load the page
        usually holds its address's view already (dashboard.page.opening), and nothing is written."""
        out = view_outputs(source, ViewInputs(**given), _triggered())
        return tuple(out.get(key, no_update) for key in VIEW_OUTPUTS)


def _triggered() -> set[str]:
    """The ids of the components whose change called this callback (none on page load)."""
    return {t["prop_id"].rsplit(".", 1)[0] for t in ctx.triggered} if ctx.triggered_id else set()


def view_outputs(source: EventSource, given: ViewInputs, triggered: set[str]) -> dict[tuple[str, str], Any]:
    """What the view callback writes, by (component id, prop), for ``given`` inputs after ``triggered`` changed;
    raises PreventUpdate when nothing the page shows would change."""
    data = source.get()
    view, messages = View.from_query(given.search or "")
    view = data.canonical(view)  # "admin1=menaka" shows as the region control's Ménaka
    from_url = not triggered or ids.URL in triggered or ids.UPLOAD_RESULT in triggered
    url_view, problems, playing = view, [], not given.paused
    if not from_url:
        view, problems, playing = controls_view(data, view, given, triggered)
    changed = changed_parts(view, source.version, given.held)
    if not changed and not problems and playing == (not given.paused) and ids.UPLOAD_RESULT not in triggered:
        # nothing the page shows would change: a same-value write, a click on nothing, or a page load whose
        # layout already holds this address's view (dashboard.page.opening)
        raise PreventUpdate
    if from_url:
        out = address_props(data, view, messages, source.version, source.problem)
        out = {key: value for key, value in out.items() if key[1] != "data" or key[0] in changed}
    else:
        out = _written_back(data, view, url_view, given, problems, source.problem)
        out.update({(store, "data"): held for store, held in changed.items()})
    out[(ids.PLAY_INTERVAL, "disabled")] = not playing
    out[(ids.PLAY, "children")] = "Pause" if playing else "Play"
    return out


def controls_view(data: EventData, view: View, given: ViewInputs, triggered: set[str]
                  ) -> tuple[View, list[str], bool]:
    """The view after the controls in ``triggered`` changed, the problems with their values, and whether Play
    runs now."""
    months = data.months()
    applied = {c: given.controls[c] for c in CONTROLS if c in triggered}
    if applied.keys() & {ids.DATE_START, ids.DATE_END}:
        # Both date inputs as the page shows them: the other one's change may be in a request Dash dropped for
        # this newer one, so the address does not hold it yet (typing "From" then "to" kept only "to").
        applied.update({c: given.controls[c] for c in (ids.DATE_START, ids.DATE_END)})
    view, problems = apply_controls(view, applied, moved=triggered)
    if ids.DATE_START in triggered or ids.DATE_END in triggered:
        view = open_ends(view, data.date_range())
    if ids.SLIDER in triggered:
        view = with_months(view, months, given.slider)
    if ids.TIMELINE in triggered or ids.TIMELINE_ZOOM in triggered:
        props = ctx.triggered_prop_ids
        span = timeline_span(given.timeline_selected if f"{ids.TIMELINE}.selectedData" in props else None,
                             given.timeline_zoom if f"{ids.TIMELINE_ZOOM}.data" in props else None, months)
        if span is not None:
            view = with_months(view, months, span)
    if ids.MAP in triggered:
        view = view.with_(bbox=selection_bbox(given.map_selected))
    if ids.CLEAR_BBOX in triggered:
        view = view.with_(bbox=None)
    if ids.REGIONS_GRID in triggered and region_click_admin1(given.region_click):
        view = view.with_(admin1=(region_click_admin1(given.region_click),))
    playing = not given.paused
    if ids.PLAY in triggered:
        playing = not playing
        if playing:
            view = with_months(view, months, play_start(slider_value(view, months), given.window, len(months)))
    if ids.PLAY_TICK in triggered and playing:
        step = play_step(slider_value(view, months), given.window, len(months))
        if step is None:
            playing = False
        else:
            view = with_months(view, months, step)
    return view, problems, playing


def _written_back(data: EventData, view: View, url_view: View, given: ViewInputs, problems: list[str],
                  problem: str | None) -> dict[tuple[str, str], Any]:
    """After a control changed: the controls, slider, messages and address that now differ from what the page
    shows."""
    months = data.months()
    shown = slider_value(view, months)
    data_range = data.date_range()
    out: dict[tuple[str, str], Any] = {
        (cid, "value"): value for cid, value in
        ((cid, control_value(view, field, data_range)) for cid, field in CONTROLS.items())
        if value != given.controls[cid]}
    if shown != given.slider:
        out[(ids.SLIDER, "value")] = shown
    if problems or view != url_view:
        out[(ids.MESSAGES, "children")] = [html.P(m) for m in ([problem, *problems] if problem else problems)]
    query = view.to_query()
    new_search = f"?{query}" if query else ""
    if view != url_view and new_search != (given.search or ""):
        out[(ids.URL, "search")] = new_search
    return out
