"""The page: filters, map, time controls, linked tables, exports, upload and credits.

Only structure lives here; the values of the controls come from the URL through the callbacks.
Component ids are module constants so callbacks and browser tests name the same things.
"""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import tables
from dashboard.view import COLOURS, METRICS, MODES
from geodata.schema import GEO_PRECISIONS

URL = "url"
VIEW_STORE = "view-store"
SELECTED_EVENT = "selected-event"
VIEWPORT = "map-viewport"  # {"rev": the map's uirevision, "relayout": its relayoutData} from the browser
MESSAGES = "messages"
COUNTER = "counter"
EMPTY = "empty-state"
MAP = "map"
TIMELINE = "timeline"
SLIDER = "date-slider"
RANGE_TEXT = "range-text"
PLAY = "play"
PLAY_INTERVAL = "play-interval"
PLAY_SPEED = "play-speed"
PLAY_WINDOW = "play-window"
CLEAR_BBOX = "clear-bbox"
EVENTS_GRID = "events-grid"
REGIONS_GRID = "regions-grid"
EXPORT_CSV = "export-csv"
EXPORT_GEOJSON = "export-geojson"
UPLOAD_FILE = "upload-file"
UPLOAD_PICKER = "upload-picker"
UPLOAD_PICKER_READY = "upload-picker-ready"
UPLOAD_KIND = "upload-kind"
UPLOAD_BUTTON = "upload-button"
UPLOAD_STATUS = "upload-status"
UPLOAD_RESULT = "upload-result"
GRID_PURGED = "grid-purged"
# What each part of the page is drawn from (see dashboard.controls.part_views): written only when it changes.
FILTERS_STORE = "filters-store"
TIMELINE_STORE = "timeline-store"
REGIONS_STORE = "regions-store"
GRID_REQUEST = "grid-request"  # the events grid's block request, passed on once the view exists
TIMELINE_ZOOM = "timeline-zoom"  # the timeline's x range when the user zooms it (not its autosize)
PLAY_TICK = "play-tick"  # a Play step, sent only once the last step's map has drawn

# Filter controls and the View field each one sets.
DROPDOWNS = {
    "f-country": "country",
    "f-admin1": "admin1",
    "f-group": "group",
    "f-type": "event_type",
    "f-dataset": "dataset",
}
PRECISION = "f-precision"
MIN_FATALITIES = "f-min-fatalities"
QUERY = "f-q"
COLOUR = "colour"
MODE = "mode"
METRIC = "metric"

# Plotly's "Share chart" button uploads to Plotly Cloud: an offline atlas never offers that.
GRAPH_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendChartToCloud"]}

# Play speed (milliseconds per step) and window (months) choices.
SPEEDS = {"Slow": 2000, "Normal": 1000, "Fast": 400}
DEFAULT_SPEED = SPEEDS["Normal"]
WINDOWS = (1, 3, 6, 12)
DEFAULT_WINDOW = 3

COLOUR_LABELS = {"actor": "Actor family", "type": "Event type"}
MODE_LABELS = {"points": "Events", "regions": "Regions"}
METRIC_LABELS = {"events": "events", "fatalities": "fatalities"}
DROPDOWN_LABELS = {
    "f-country": "Country",
    "f-admin1": "Admin-1 region",
    "f-group": "Actor family",
    "f-type": "Event type",
    "f-dataset": "Dataset",
}

REGION_COLUMNS = [
    {"field": "country_iso2", "headerName": "Country", "width": 100},
    {"field": "admin1", "headerName": "Region", "flex": 1},
    {"field": "events", "headerName": "Events", "width": 110, "sort": "desc"},
    {"field": "fatalities", "headerName": "Fatalities", "width": 120},
    {"field": "unknown_fatalities", "headerName": "Unknown toll", "width": 130},
    {"field": "first_date", "headerName": "First", "width": 120},
    {"field": "last_date", "headerName": "Last", "width": 120},
]

CREDITS = [
    ("Boundaries: ", "Natural Earth", "https://www.naturalearthdata.com/", " (public domain). "),
    ("Places: ", "GeoNames", "https://www.geonames.org/", " (CC BY 4.0). "),
    ("Events: ", "ACLED", "https://acleddata.com/", " and "),
    ("", "UCDP GED", "https://ucdp.uu.se/", " (each event links its dataset's source); curated events cite "),
    ("", "Wikipedia", "https://www.wikipedia.org/", " and the pages linked in their source column (CC BY-SA)."),
]


def build_layout(options: dict, upload_limit_mb: int) -> html.Div:
    """The whole page. ``options`` is ``EventData.options()``; the callbacks refresh it after an upload."""
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=URL, refresh=False),
            dcc.Store(id=VIEW_STORE),
            dcc.Store(id=SELECTED_EVENT),
            dcc.Store(id=VIEWPORT),
            dcc.Store(id=UPLOAD_RESULT),
            dcc.Store(id=GRID_PURGED),
            dcc.Store(id=UPLOAD_PICKER_READY),
            *[dcc.Store(id=i) for i in (FILTERS_STORE, TIMELINE_STORE, REGIONS_STORE, GRID_REQUEST, TIMELINE_ZOOM,
                                        PLAY_TICK)],
            dcc.Interval(id=PLAY_INTERVAL, interval=DEFAULT_SPEED, disabled=True),
            html.Header(
                className="header",
                children=[
                    html.H1("Sahel Conflict Atlas"),
                    html.P("Armed-conflict events in Mali, Burkina Faso and Niger: JNIM, ISGS and the states.",
                           className="subtitle"),
                ],
            ),
            html.Div(id=MESSAGES, className="messages", role="alert"),
            html.Div(
                className="body",
                children=[
                    html.Aside(className="filters", children=_filters(options)),
                    html.Main(className="content", children=[*_map_panel(), *_time_panel(), *_tables_panel()]),
                ],
            ),
            _upload_panel(upload_limit_mb),
            html.Footer(className="footer", children=_credits()),
        ],
    )


def _filters(options: dict) -> list:
    dropdowns = [
        html.Label(
            [
                DROPDOWN_LABELS[cid],
                dcc.Dropdown(id=cid, options=options.get(field, []), multi=True, placeholder="All"),
            ],
            className="control",
        )
        for cid, field in DROPDOWNS.items()
    ]
    return [
        html.H2("Filters"),
        *dropdowns,
        html.Label(
            ["Minimum fatalities", dcc.Input(id=MIN_FATALITIES, type="number", min=0, step=1, debounce=True)],
            className="control",
        ),
        html.Fieldset(
            [
                html.Legend("Geo precision"),
                dcc.Checklist(
                    id=PRECISION,
                    options=[{"label": f"{k}: {text}", "value": k} for k, text in GEO_PRECISIONS.items()],
                    value=[],
                ),
            ],
            className="control",
        ),
        html.Label(
            ["Search text", dcc.Input(id=QUERY, type="text", debounce=0.6, placeholder="place, actor, notes")],
            className="control",
        ),
        html.A("Reset all filters", href="/", className="reset"),
    ]


def _map_panel() -> list:
    return [
        html.Div(
            className="toolbar",
            children=[
                html.Div(
                    [
                        html.Span("Colour by ", className="label"),
                        dcc.RadioItems(
                            id=COLOUR, options=[{"label": COLOUR_LABELS[c], "value": c} for c in COLOURS],
                            value="actor", inline=True,
                        ),
                    ]
                ),
                html.Div(
                    [
                        html.Span("Show ", className="label"),
                        dcc.RadioItems(
                            id=MODE, options=[{"label": MODE_LABELS[m], "value": m} for m in MODES],
                            value="points", inline=True,
                        ),
                    ]
                ),
                html.Div(
                    [
                        html.Span("Regions by ", className="label"),
                        dcc.RadioItems(
                            id=METRIC, options=[{"label": METRIC_LABELS[m], "value": m} for m in METRICS],
                            value="events", inline=True,
                        ),
                    ]
                ),
                html.Button("Clear map selection", id=CLEAR_BBOX, n_clicks=0, className="secondary"),
            ],
        ),
        html.Div(id=COUNTER, className="counter", role="status"),
        html.Div(
            className="map-wrap",
            children=[
                dcc.Graph(
                    id=MAP,
                    className="map",
                    config={**GRAPH_CONFIG, "scrollZoom": True},
                    style={"height": "520px"},
                ),
                html.Div(id=EMPTY, className="empty-state", hidden=True, children="No events match this view."),
            ],
        ),
    ]


def _time_panel() -> list:
    return [
        html.Div(
            className="time-controls",
            children=[
                html.Button("Play", id=PLAY, n_clicks=0, className="play"),
                html.Label(
                    [
                        "Window",
                        dcc.Dropdown(
                            id=PLAY_WINDOW,
                            options=[{"label": f"{w} month{'s' if w > 1 else ''}", "value": w} for w in WINDOWS],
                            value=DEFAULT_WINDOW, clearable=False, searchable=False,
                        ),
                    ],
                    className="inline-control",
                ),
                html.Label(
                    [
                        "Speed",
                        dcc.Dropdown(
                            id=PLAY_SPEED,
                            options=[{"label": name, "value": ms} for name, ms in SPEEDS.items()],
                            value=DEFAULT_SPEED, clearable=False, searchable=False,
                        ),
                    ],
                    className="inline-control",
                ),
                html.Span(id=RANGE_TEXT, className="range-text", role="status"),
            ],
        ),
        dcc.RangeSlider(id=SLIDER, min=0, max=0, step=1, value=[0, 0], allowCross=False,
                        allow_direct_input=False, updatemode="mouseup"),
        dcc.Graph(id=TIMELINE, className="timeline", config=GRAPH_CONFIG, style={"height": "220px"}),
    ]


def _tables_panel() -> list:
    return [
        html.Div(
            className="exports",
            children=[
                html.A("Download CSV", id=EXPORT_CSV, href="/export.csv", className="button", download=""),
                html.A("Download GeoJSON", id=EXPORT_GEOJSON, href="/export.geojson", className="button",
                       download=""),
            ],
        ),
        html.H2("Events"),
        dag.AgGrid(
            id=EVENTS_GRID,
            columnDefs=tables.GRID_COLUMNS,
            rowModelType="infinite",
            getRowId="params.data.event_id",
            defaultColDef={"resizable": True, "sortable": True},
            dashGridOptions={
                "cacheBlockSize": 100,
                "maxBlocksInCache": 20,
                "infiniteInitialRowCount": 1,
                "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            },
            style={"height": "420px"},
        ),
        html.H2("Admin-1 regions"),
        html.P("Events in the current view by region, whatever the region filter; click a region to show only it.",
               className="hint"),
        dag.AgGrid(
            id=REGIONS_GRID,
            columnDefs=REGION_COLUMNS,
            rowData=[],
            getRowId="params.data.row_id",
            defaultColDef={"resizable": True, "sortable": True},
            style={"height": "300px"},
        ),
    ]


def _upload_panel(upload_limit_mb: int) -> html.Section:
    return html.Section(
        className="upload",
        children=[
            html.H2("Add events from a file"),
            html.P(f"An ACLED or UCDP GED export saved as CSV, at most {upload_limit_mb} MB. The type is read from "
                   "the header unless you choose it.", className="hint"),
            html.Div(
                className="upload-row",
                children=[
                    # Dash has no file <input>; assets/app.js puts a plain one here so the file is posted as is.
                    html.Div(id=UPLOAD_PICKER, className="upload-picker"),
                    dcc.Dropdown(
                        id=UPLOAD_KIND,
                        options=[{"label": "Detect from header", "value": "auto"},
                                 {"label": "ACLED", "value": "acled"}, {"label": "UCDP GED", "value": "ucdp"}],
                        value="auto", clearable=False, searchable=False, className="upload-kind",
                    ),
                    html.Button("Import", id=UPLOAD_BUTTON, n_clicks=0),
                ],
            ),
            html.Div(id=UPLOAD_STATUS, className="upload-status", role="status",
                     **{"data-limit-bytes": str(upload_limit_mb * (1 << 20))}),
        ],
    )


def _credits() -> list:
    parts: list = []
    for before, name, href, after in CREDITS:
        parts += [before, html.A(name, href=href, rel="noopener noreferrer"), after]
    return [html.P(parts)]
