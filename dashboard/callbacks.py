"""Thin callbacks: read the view from the URL or the controls, call the pure functions, return.

One callback owns the view (Dash's same-callback circular pattern): the URL and every control are both
its inputs and its outputs, so opening an address sets the controls and moving a control writes the address,
with no chain of callbacks that could loop. Everything drawn from the view hangs off the ``view-store``.
"""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

import dash
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from dashboard import figures, tables
from dashboard import layout as ids
from dashboard.events import summary_text
from dashboard.view import View

if TYPE_CHECKING:
    from dashboard.app import EventSource
    from dashboard.settings import Settings

# Control id -> View field, for the filters and display choices the page offers directly.
CONTROLS = {**ids.DROPDOWNS, ids.PRECISION: "precision", ids.MIN_FATALITIES: "min_fatalities", ids.QUERY: "q",
            ids.COLOUR: "colour", ids.MODE: "mode"}
# Degrees added around a one-point selection so its box is not empty.
BBOX_PAD = 0.01


def register(app: dash.Dash, source: EventSource, layers: object, settings: Settings) -> None:
    """Attach every callback of the page to ``app``."""
    control_outputs = [Output(cid, "value") for cid in CONTROLS]
    option_outputs = [Output(cid, "options") for cid in ids.DROPDOWNS]

    @app.callback(
        Output(ids.URL, "search"),
        *control_outputs,
        Output(ids.SLIDER, "value"),
        Output(ids.SLIDER, "max"),
        Output(ids.SLIDER, "marks"),
        *option_outputs,
        Output(ids.MESSAGES, "children"),
        Output(ids.VIEW_STORE, "data"),
        Output(ids.PLAY_INTERVAL, "disabled"),
        Output(ids.PLAY, "children"),
        Input(ids.URL, "search"),
        *[Input(cid, "value") for cid in CONTROLS],
        Input(ids.SLIDER, "value"),
        Input(ids.TIMELINE, "selectedData"),
        Input(ids.TIMELINE, "relayoutData"),
        Input(ids.MAP, "selectedData"),
        Input(ids.REGIONS_GRID, "cellClicked"),
        Input(ids.CLEAR_BBOX, "n_clicks"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.PLAY_INTERVAL, "n_intervals"),
        Input(ids.UPLOAD_RESULT, "data"),
        State(ids.PLAY_WINDOW, "value"),
        State(ids.PLAY_INTERVAL, "disabled"),
    )
    def update_view(search: str | None, *args: Any) -> tuple:
        """URL, controls and play state -> the one view, written back to the URL and the controls."""
        control_values = dict(zip(CONTROLS, args[: len(CONTROLS)], strict=True))
        (slider, timeline_selected, timeline_relayout, map_selected, region_click, _clear, _play, _tick,
         upload, window, paused) = args[len(CONTROLS):]
        data = source.get()
        months = data.months()
        view, messages = View.from_query(search or "")
        triggered = {t["prop_id"].rsplit(".", 1)[0] for t in ctx.triggered} if ctx.triggered_id else set()
        from_url = not triggered or ids.URL in triggered or ids.UPLOAD_RESULT in triggered
        playing = not paused

        url_view = view
        problems: list[str] = []
        if not from_url:
            view, problems = apply_controls(view, {c: control_values[c] for c in CONTROLS if c in triggered})
            if ids.SLIDER in triggered:
                view = with_months(view, months, slider)
            if ids.TIMELINE in triggered:
                props = ctx.triggered_prop_ids
                span = timeline_span(timeline_selected if f"{ids.TIMELINE}.selectedData" in props else None,
                                     timeline_relayout if f"{ids.TIMELINE}.relayoutData" in props else None, months)
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
            if ids.PLAY_INTERVAL in triggered and playing:
                step = play_step(slider_value(view, months), window, len(months))
                if step is None:
                    playing = False
                else:
                    view = with_months(view, months, step)

        if view != url_view:
            messages = problems  # the address is rewritten, so its old complaints no longer apply
        if source.problem:
            messages = [source.problem, *messages]
        query = view.to_query()
        new_search = f"?{query}" if query else ""
        controls = [control_value(view, field) for field in CONTROLS.values()]
        refresh_options = from_url
        options = data.options() if refresh_options else None
        return (
            no_update if new_search == (search or "") or view == url_view else new_search,
            *controls,
            slider_value(view, months),
            max(len(months) - 1, 0) if refresh_options else no_update,
            year_marks(months) if refresh_options else no_update,
            *([dropdown_options(options.get(field, []), getattr(view, field)) for field in ids.DROPDOWNS.values()]
              if options else [no_update] * len(ids.DROPDOWNS)),
            [html.P(m) for m in messages],
            {"query": query, "version": source.version},
            not playing,
            "Pause" if playing else "Play",
        )

    @app.callback(
        Output(ids.MAP, "figure"),
        Input(ids.VIEW_STORE, "data"),
        Input(ids.SELECTED_EVENT, "data"),
    )
    def draw_map(store: dict | None, selected: str | None) -> object:
        """The map for the view: points (with the clicked event highlighted) or a regions choropleth."""
        view = store_view(store)
        frame = source.get().filter(view)
        if view.mode == "regions":
            return figures.regions_figure(frame, view, layers, style=settings.map_style)
        return figures.map_figure(frame, view, layers, style=settings.map_style, selected_id=selected)

    @app.callback(
        Output(ids.TIMELINE, "figure"),
        Output(ids.COUNTER, "children"),
        Output(ids.RANGE_TEXT, "children"),
        Output(ids.EMPTY, "hidden"),
        Output(ids.EXPORT_CSV, "href"),
        Output(ids.EXPORT_GEOJSON, "href"),
        Output(ids.REGIONS_GRID, "rowData"),
        Input(ids.VIEW_STORE, "data"),
    )
    def draw_view(store: dict | None) -> tuple:
        """Everything else the view decides: timeline, counter, range text, empty state, export links, regions."""
        view = store_view(store)
        data = source.get()
        frame = data.filter(view)
        suffix = f"?{view.filters_only().to_query()}" if view.filters_only().to_query() else ""
        return (
            figures.timeline_figure(data.filter(view.with_(start=None, end=None)), view),
            summary_text(frame),
            range_text(view, data.date_range()),
            len(frame) > 0,
            f"/export.csv{suffix}",
            f"/export.geojson{suffix}",
            region_rows(data.filter(view.with_(admin1=()))),
        )

    @app.callback(
        Output(ids.EVENTS_GRID, "getRowsResponse"),
        Input(ids.EVENTS_GRID, "getRowsRequest"),
        State(ids.VIEW_STORE, "data"),
    )
    def grid_rows(request: dict | None, store: dict | None) -> dict:
        """One block of the events table: only the rows the grid asks for leave the server."""
        if not request:
            return no_update
        frame = source.get().filter(store_view(store))
        rows, count = tables.grid_rows(frame, request.get("startRow", 0), request.get("endRow", 100),
                                       request.get("sortModel"), request.get("filterModel"))
        return {"rowData": rows, "rowCount": count}

    @app.callback(
        Output(ids.SELECTED_EVENT, "data"),
        Input(ids.EVENTS_GRID, "cellClicked"),
        prevent_initial_call=True,
    )
    def select_event(click: dict | None) -> str | None:
        """The event whose row was clicked, for the map to highlight and centre on."""
        return click.get("rowId") if click else None

    @app.callback(
        Output(ids.UPLOAD_STATUS, "children"),
        Input(ids.UPLOAD_RESULT, "data"),
        prevent_initial_call=True,
    )
    def show_upload(result: dict | None) -> list:
        """The import's summary line and first reasons, or why nothing was imported (always as text)."""
        if not result:
            return no_update
        reasons = result.get("reasons") or []
        children: list = [html.P(str(result.get("message", "")), className="ok" if result.get("ok") else "error")]
        if reasons:
            children.append(html.Ul([html.Li(str(r)) for r in reasons]))
        return children

    app.clientside_callback(
        ClientsideFunction("sca", "purgeGrid"),
        Output(ids.GRID_PURGED, "data"),
        Input(ids.VIEW_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("sca", "speed"),
        Output(ids.PLAY_INTERVAL, "interval"),
        Input(ids.PLAY_SPEED, "value"),
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


# -- small pure helpers the callbacks share (tested through the browser and tests/test_routes.py) ---------------


def store_view(store: dict | None) -> View:
    """The view kept in the ``view-store`` (the default view before the first update)."""
    return View.from_query((store or {}).get("query", ""))[0]


def apply_controls(view: View, values: dict[str, Any]) -> tuple[View, list[str]]:
    """``view`` with the changed controls applied, checked by the same parser as a URL."""
    params = view.params()
    for cid, value in values.items():
        field = CONTROLS[cid]
        if isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        params[field] = text
    return View.from_query(params)


def dropdown_options(present: list[str], chosen: tuple[str, ...]) -> list[str]:
    """The data's values plus any the address asks for that the data lacks, so the control can show them."""
    return list(present) + sorted(set(chosen) - set(present))


def control_value(view: View, field: str) -> Any:
    """What a control shows for ``field`` of ``view``."""
    value = getattr(view, field)
    if isinstance(value, tuple):
        return list(value)
    if field == "q":
        return value or ""
    return value


def slider_value(view: View, months: list[datetime.date]) -> list[int]:
    """Month indexes covering ``view.start``..``view.end`` (the whole range when unset)."""
    last = max(len(months) - 1, 0)
    lo = 0 if view.start is None else _month_index(months, view.start)
    hi = last if view.end is None else _month_index(months, view.end)
    return [min(lo, hi), max(lo, hi)]


def with_months(view: View, months: list[datetime.date], value: list[int] | None) -> View:
    """``view`` with the dates of slider ``value``; the full range means no date filter."""
    if not months or not value:
        return view.with_(start=None, end=None)
    last = len(months) - 1
    lo, hi = sorted(max(0, min(int(v), last)) for v in value[:2])
    start = None if lo == 0 else months[lo]
    end = None if hi == last else month_end(months[hi])
    return view.with_(start=start, end=end)


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def year_marks(months: list[datetime.date]) -> dict[int, str]:
    """A mark at every January, labelled with the year (and at the first month unless a January follows soon)."""
    return {i: str(m.year) for i, m in enumerate(months) if m.month == 1 or (i == 0 and m.month <= 6)}


def play_start(value: list[int], window: int | None, n_months: int) -> list[int]:
    """The first play window: ``window`` months from the current start (or the beginning at the end)."""
    size = max(1, int(window or ids.DEFAULT_WINDOW))
    lo = value[0] if value[0] + size <= n_months else 0
    return [lo, min(lo + size - 1, max(n_months - 1, 0))]


def play_step(value: list[int], window: int | None, n_months: int) -> list[int] | None:
    """The window one month later, or None when it has reached the last month."""
    size = max(1, int(window or ids.DEFAULT_WINDOW))
    lo = value[0] + 1
    if lo + size - 1 > n_months - 1:
        return None
    return [lo, lo + size - 1]


def timeline_span(selected: dict | None, relayout: dict | None, months: list[datetime.date]) -> list[int] | None:
    """Month indexes of the x range the user selected or zoomed to on the timeline, if any."""
    x_range = None
    if selected and isinstance(selected.get("range"), dict) and selected["range"].get("x"):
        x_range = selected["range"]["x"]
    elif relayout:
        if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
            x_range = [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]]
        elif isinstance(relayout.get("xaxis.range"), list):
            x_range = relayout["xaxis.range"]
    if not x_range or not months:
        return None
    try:
        a, b = (datetime.date.fromisoformat(str(x)[:10]) for x in x_range[:2])
    except ValueError:
        return None
    return sorted([_month_index(months, a), _month_index(months, b)])


def selection_bbox(selected: dict | None) -> tuple[float, float, float, float] | None:
    """minlon,minlat,maxlon,maxlat of a map box/lasso selection (its drawn range, else its points)."""
    if not selected:
        return None
    lons: list[float] = []
    lats: list[float] = []
    ranges = selected.get("range") or {}
    lasso = selected.get("lassoPoints") or {}
    for key in ("map", "mapbox", "geo"):
        if ranges.get(key):
            (lon0, lat0), (lon1, lat1) = ranges[key][:2]
            lons, lats = [lon0, lon1], [lat0, lat1]
            break
        if lasso.get(key):
            lons = [p[0] for p in lasso[key]]
            lats = [p[1] for p in lasso[key]]
            break
    if not lons:
        points = [p for p in selected.get("points") or [] if "lon" in p and "lat" in p]
        lons = [p["lon"] for p in points]
        lats = [p["lat"] for p in points]
    if not lons:
        return None
    minlon, maxlon = min(lons), max(lons)
    minlat, maxlat = min(lats), max(lats)
    if maxlon - minlon < BBOX_PAD:
        minlon, maxlon = minlon - BBOX_PAD, maxlon + BBOX_PAD
    if maxlat - minlat < BBOX_PAD:
        minlat, maxlat = minlat - BBOX_PAD, maxlat + BBOX_PAD
    return (round(max(minlon, -180.0), 4), round(max(minlat, -90.0), 4),
            round(min(maxlon, 180.0), 4), round(min(maxlat, 90.0), 4))


def region_rows(frame) -> list[dict]:
    """The admin-1 summary as grid rows, each with a ``row_id`` ("ML|Gao") the click handler reads back."""
    regions = tables.region_summary(frame)
    rows = tables.json_records(regions, list(regions.columns))
    for row in rows:
        row["row_id"] = f"{row['country_iso2']}|{row['admin1']}"
    return rows


def region_click_admin1(click: dict | None) -> str | None:
    """The admin-1 name of a clicked region row; None for the '(region unknown)'-style catch-all rows."""
    row_id = str((click or {}).get("rowId") or "")
    name = row_id.split("|", 1)[-1] if "|" in row_id else ""
    return name if name and not name.startswith("(") else None


def range_text(view: View, data_range: tuple[datetime.date, datetime.date] | None) -> str:
    """'Mar 2019 – May 2019' for the view's dates, falling back to the data's own range."""
    if data_range is None:
        return "No dates: the store is empty"
    start = view.start or data_range[0]
    end = view.end or data_range[1]
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def _month_index(months: list[datetime.date], day: datetime.date) -> int:
    if not months:
        return 0
    return max(0, min(bisect_right(months, day) - 1, len(months) - 1))
