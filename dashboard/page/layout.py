"""The page: filters, map, time controls, linked tables, exports, upload and credits.

Only structure lives here; the values of the controls come from the URL through the callbacks.
Component ids live in :mod:`dashboard.page.ids` so the callbacks and browser tests name the same things.
"""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard.model.view import COLOURS, METRICS, MODES
from dashboard.page import ids
from dashboard.render import tables
from dashboard.render.figures import CLASH_LABEL, CLASH_RING, SELECTED_RING, marker_sizes, palette
from geodata.schema import GEO_PRECISIONS

# Plotly's "Share chart" button uploads to Plotly Cloud: an offline atlas never offers that.
GRAPH_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendChartToCloud"]}

# Play speed (milliseconds per step) and window (months) choices.
SPEEDS = {"Slow": 2000, "Normal": 1000, "Fast": 400}
DEFAULT_SPEED = SPEEDS["Normal"]
WINDOWS = (1, 3, 6, 12)
DEFAULT_WINDOW = 3

COLOUR_LABELS = {"actor": "Actor family", "type": "Event type", "dataset": "Dataset"}
# What the legend says each colour mode colours by.
COLOUR_HINTS = {"actor": "Points take the colour of the first actor's family.",
                "type": "Points take the colour of their event type.",
                "dataset": "Points take the colour of the dataset that reports them."}
# The datasets' names as the page says them (the store's short names stay in brackets).
DATASET_LABELS = {"seed": "Bundled sample events (seed)", "curated": "Hand-checked from Wikipedia (curated)",
                  "text": "Extracted from a text (text)", "acled": "ACLED", "ucdp": "UCDP GED",
                  "synthetic": "Synthetic test events (synthetic)", "upload": "Uploaded file (upload)"}
# Fatalities the map key shows as sizes.
SIZE_KEY = (1, 10, 100)
MODE_LABELS = {"points": "Events", "regions": "Regions"}
METRIC_LABELS = {"events": "events", "fatalities": "fatalities"}
DROPDOWN_LABELS = {
    "f-country": "Country",
    "f-admin1": "Admin-1 region",
    "f-group": "Actor family",
    "f-vs": "Fighting between",
    "f-type": "Event type",
    "f-dataset": "Dataset",
}

COVERAGE_HINT = ("Fewer events where a dataset starts or stops are missing reports, not less violence; "
                 "the timeline shades what each source does not cover.")
# Placeholders fit the control at 1280x800 whole (the control's title says the rest).
DROPDOWN_PLACEHOLDERS = {"f-vs": "e.g. JNIM, ISGS"}
DROPDOWN_TITLES = {
    "f-group": "Events where any of these families is one of the two sides",
    "f-vs": "Events whose two sides are these two families, in either order",
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
    ("Boundaries, rivers, lakes, towns: ", "Natural Earth", "https://www.naturalearthdata.com/", " (public domain), "),
    ("", "geoBoundaries", "https://www.geoboundaries.org/",
     " (Runfola et al. 2020; Mali cercles OCHA/DNCT, CC BY 4.0; Niger departments City Population, CC BY 3.0). "),
    ("Places: ", "GeoNames", "https://www.geonames.org/", " (CC BY 4.0); villages: coordinates from "),
    ("", "Wikipedia", "https://www.wikipedia.org/", " articles (CC BY-SA). "),
    ("Labels: ", "Noto Sans", "https://notofonts.github.io/", " (SIL OFL) via "),
    ("", "tileserver-gl-styles", "https://github.com/maptiler/tileserver-gl-styles", ". "),
    ("Events: ", "ACLED", "https://acleddata.com/", ", "),
    ("", "UCDP GED", "https://ucdp.uu.se/", "; curated events cite "),
    ("", "Wikipedia", "https://www.wikipedia.org/", " (CC BY-SA) and their sources."),
]


def build_layout(options: dict, upload_limit_mb: int, upload_csrf: str | None = "") -> html.Div:
    """The whole page. ``options`` is ``EventData.options()``; the callbacks refresh it after an upload.
    ``upload_csrf`` is this page's upload permission (dashboard/web/security.py); None leaves the upload form out.

    One screen at 1280×800 and up: filters in a collapsible side panel, the map as the main area, the tables
    (tabs) beside it and the time bar docked under both; on a phone everything stacks and the filters become a
    drawer. The layout itself is in assets/style.css; assets/app.js toggles the panel and the tabs.
    """
    return html.Div(
        className="page",
        id="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW_STORE),
            dcc.Store(id=ids.SELECTED_EVENT),
            dcc.Store(id=ids.VIEWPORT),
            dcc.Store(id=ids.UPLOAD_RESULT),
            dcc.Store(id=ids.GRID_PURGED),
            dcc.Store(id=ids.UPLOAD_PICKER_READY),
            *[dcc.Store(id=i) for i in (ids.FILTERS_STORE, ids.TIMELINE_STORE, ids.REGIONS_STORE, ids.GRID_REQUEST,
                                        ids.TIMELINE_ZOOM,
                                        ids.PLAY_TICK, ids.COLOUR_MODE, ids.TIMELINE_WINDOW)],
            dcc.Interval(id=ids.PLAY_INTERVAL, interval=DEFAULT_SPEED, disabled=True),
            html.Aside(id=ids.FILTERS, className="filters", children=[
                html.Div(className="filters-head", children=[
                    html.H1("Sahel Conflict Atlas"),
                    html.Button("×", id=ids.FILTERS_CLOSE, className="icon-button", title="Hide the filters",
                                **{"aria-label": "Hide the filters"}),
                ]),
                html.P("Armed-conflict events in Mali, Burkina Faso and Niger: JNIM, ISGS and the states.",
                       className="subtitle"),
                html.Div(id=ids.MESSAGES, className="messages", role="alert"),
                *_filters(options),
                *_display_controls(),
                _upload_panel(upload_limit_mb, upload_csrf) if upload_csrf is not None else html.Div(hidden=True),
            ]),
            html.Main(className="map-area", children=_map_panel()),
            html.Section(id=ids.TABLES, className="tables-panel", children=_tables_panel(), **{"data-tab": "events"}),
            html.Section(id=ids.TIME_BAR, className="time-bar", children=_time_panel()),
            html.Footer(className="footer", children=_credits()),
        ],
    )


def _filters(options: dict) -> list:
    dropdowns = [
        html.Label(
            [
                DROPDOWN_LABELS[cid],
                dcc.Dropdown(id=cid, multi=True, placeholder=DROPDOWN_PLACEHOLDERS.get(cid, "All"), options=[
                    {"label": DATASET_LABELS.get(str(v), str(v)), "value": v} for v in options.get(field, [])
                ] if field == "dataset" else options.get(field, [])),
            ],
            className="control",
            title=DROPDOWN_TITLES.get(cid),
        )
        for cid, field in ids.DROPDOWNS.items()
    ]
    return [
        html.H2("Filters"),
        *dropdowns,
        html.Label(
            ["Minimum fatalities", dcc.Input(id=ids.MIN_FATALITIES, type="number", min=0, step=1, debounce=0.6)],
            className="control",
        ),
        html.Fieldset(
            [
                html.Legend("Geo precision"),
                dcc.Checklist(
                    id=ids.PRECISION,
                    options=[{"label": f"{k}: {text}", "value": k} for k, text in GEO_PRECISIONS.items()],
                    value=[],
                ),
            ],
            className="control",
        ),
        html.Label(
            ["Search text", dcc.Input(id=ids.QUERY, type="text", debounce=0.6, placeholder="place, actor, notes")],
            className="control",
        ),
        html.Fieldset(
            [
                html.Legend("Reports of one incident"),
                dcc.Checklist(id=ids.DEDUPE, options=[{"label": "Count each incident once", "value": "incident"}],
                              value=[]),
                dcc.Checklist(id=ids.DISAGREE, value=[], options=[
                    {"label": "Only where sources disagree (toll or perpetrator)", "value": "1"}]),
            ],
            className="control",
        ),
        html.A("Reset all filters", href="/", className="reset"),
        html.Div(className="family-legend", children=_colour_legends()),
    ]


def _colour_legends() -> list:
    """One legend per colour mode, in the map's colours; the page shows the chosen mode's (assets/style.css)."""
    return [html.H2("Colours"), *[
        html.Div(className="mode-legend", **{"data-colour": mode}, children=[
            html.P(COLOUR_HINTS[mode], className="hint"),
            html.Ul([html.Li([html.Span(className="swatch", style={"background": colour}), name])
                     for name, colour in palette(mode).items()], className="legend-list"),
        ]) for mode in COLOURS]]


def _map_key() -> html.Div:
    """What the map draws besides colours: the clash ring and the picked event as drawn (rings round the point),
    point sizes for fatalities, and faded points."""
    ring_dark, ring = (c for c, _ in CLASH_RING)
    sizes = marker_sizes(pd.Series(SIZE_KEY, dtype="Float64"))
    return html.Div(id=ids.MAP_KEY, className="map-key", **{"aria-label": "Map key"}, children=[
        # On a phone the key is a strip under the map, and it names the colours too (Plotly's legend would cover
        # the map there): the chosen colour mode's names, as the timeline's legend lists them.
        *[html.Ul([html.Li([html.Span(className="swatch", style={"background": colour}), name])
                   for name, colour in palette(mode).items()], className="strip-legend mode-legend",
                  **{"aria-label": f"Map colours: {COLOUR_LABELS[mode].lower()}", "data-colour": mode})
          for mode in COLOURS],
        html.Span(className="key-item", children=[
            html.Span(className="key-ring", style={"borderColor": ring, "outlineColor": ring_dark}), CLASH_LABEL]),
        html.Span(className="key-item", children=[
            html.Span(className="key-ring selected", style={"borderColor": "#ffffff", "outlineColor": SELECTED_RING}),
            "picked event"]),
        html.Span(className="key-item sizes", children=[
            *[html.Span(className="key-size", style={"width": f"{d:.0f}px", "height": f"{d:.0f}px"})
              for d in sizes],
            f"{', '.join(str(n) for n in SIZE_KEY)} dead"]),
        html.Span(className="key-item", children=[html.Span(className="key-size faded"), "approximate place"]),
    ])


def _display_controls() -> list:
    return [
        html.H2("Display"),
        html.Div(className="control", children=[
            html.Span("Colour by", className="label"),
            dcc.RadioItems(id=ids.COLOUR, options=[{"label": COLOUR_LABELS[c], "value": c} for c in COLOURS],
                           value="actor", inline=True),
        ]),
        html.Div(className="control", children=[
            html.Span("Show", className="label"),
            dcc.RadioItems(id=ids.MODE, options=[{"label": MODE_LABELS[m], "value": m} for m in MODES],
                           value="points", inline=True),
        ]),
        html.Div(className="control", children=[
            html.Span("Regions by", className="label"),
            dcc.RadioItems(id=ids.METRIC, options=[{"label": METRIC_LABELS[m], "value": m} for m in METRICS],
                           value="events", inline=True),
        ]),
        html.Button("Clear map selection", id=ids.CLEAR_BBOX, n_clicks=0, className="secondary"),
    ]


def _map_panel() -> list:
    return [
        html.Div(
            className="map-wrap",
            children=[
                dcc.Graph(
                    id=ids.MAP,
                    className="map",
                    # A box selection is the view's bbox exactly; a lasso would be widened to its box, so the
                    # table and the export would hold points outside the drawn shape: the map offers boxes only.
                    config={**GRAPH_CONFIG, "scrollZoom": True,
                            "modeBarButtonsToRemove": [*GRAPH_CONFIG["modeBarButtonsToRemove"], "lasso2d"]},
                    responsive=True,
                    style={"height": "100%", "width": "100%"},
                ),
                html.Div(id=ids.EMPTY, className="empty-state", hidden=True, children="No events match this view."),
                html.Div(id=ids.EVENT_CARD, className="event-card", hidden=True, role="dialog", tabIndex="-1",
                         **{"aria-label": "Event details (Escape closes it)"}, children=[
                             html.Button("×", id=ids.EVENT_CARD_CLOSE, n_clicks=0, className="icon-button card-close",
                                         title="Close", **{"aria-label": "Close the event card"}),
                             html.Div(id=ids.EVENT_CARD_BODY),
                         ]),
            ],
        ),
        _map_key(),  # over the map's bottom-left corner on a desktop, a strip under the map on a phone
    ]


def _time_panel() -> list:
    return [
        html.Div(
            className="time-controls",
            children=[
                html.Button("☰ Filters", id=ids.FILTERS_TOGGLE, className="secondary filters-toggle",
                            title="Show or hide the filters", **{"aria-controls": ids.FILTERS}),
                html.Button("Play", id=ids.PLAY, n_clicks=0, className="play"),
                html.Label(
                    [
                        "Play window",
                        dcc.Dropdown(
                            id=ids.PLAY_WINDOW,
                            options=[{"label": f"{w} month{'s' if w > 1 else ''}", "value": w} for w in WINDOWS],
                            value=DEFAULT_WINDOW, clearable=False, searchable=False,
                        ),
                    ],
                    className="inline-control",
                    title="How many months each step of Play shows",
                ),
                html.Label(
                    [
                        "Speed",
                        dcc.Dropdown(
                            id=ids.PLAY_SPEED,
                            options=[{"label": name, "value": ms} for name, ms in SPEEDS.items()],
                            value=DEFAULT_SPEED, clearable=False, searchable=False,
                        ),
                    ],
                    className="inline-control",
                ),
                html.Div(className="dates", children=[
                    html.Label(["From", dcc.Input(id=ids.DATE_START, type="date", debounce=1.0)],
                               className="date-input"),
                    html.Label(["to", dcc.Input(id=ids.DATE_END, type="date", debounce=1.0)], className="date-input"),
                ]),
                html.Span(id=ids.RANGE_TEXT, className="range-text", role="status"),
            ],
        ),
        # The slider over the timeline, its two ends lined up with the timeline's first and last month
        # (assets/app.js), so both share one time axis.
        html.Div(className="slider", children=dcc.RangeSlider(
            id=ids.SLIDER, min=0, max=0, step=1, value=[0, 0], allowCross=False, allow_direct_input=False,
            updatemode="mouseup")),
        html.Div(className="timeline", children=[
            dcc.Graph(id=ids.TIMELINE, config=GRAPH_CONFIG, responsive=True, style={"height": "100%", "width": "100%"}),
            *[html.Ul([html.Li([html.Span(className="swatch", style={"background": colour}), name])
                       for name, colour in palette(mode).items()], className="timeline-legend mode-legend",
                      **{"aria-label": f"Timeline colours: {COLOUR_LABELS[mode].lower()}", "data-colour": mode})
              for mode in COLOURS],
        ]),
    ]


def _tables_panel() -> list:
    return [
        html.Div(id=ids.COUNTER, className="counter", role="status"),
        html.P(id=ids.COVERAGE_NOTE, className="coverage-note", role="note", tabIndex=0, title=COVERAGE_HINT),
        html.Div(
            className="tables-head",
            children=[
                html.Div(className="tabs", role="tablist", children=[
                    html.Button("Events", id=ids.TAB_EVENTS, className="tab", role="tab", **{"data-tab": "events"}),
                    html.Button("Admin-1 regions", id=ids.TAB_REGIONS, className="tab", role="tab",
                                **{"data-tab": "regions"}),
                ]),
                html.Div(className="exports", children=[
                    html.A("CSV", id=ids.EXPORT_CSV, href="/export.csv", className="button", download="",
                           title="Download the filtered events as CSV"),
                    html.A("GeoJSON", id=ids.EXPORT_GEOJSON, href="/export.geojson", className="button", download="",
                           title="Download the filtered events as GeoJSON"),
                ]),
            ],
        ),
        html.Div(className="tab-page events-page", children=[
            dag.AgGrid(
                id=ids.EVENTS_GRID,
                columnDefs=tables.GRID_COLUMNS,
                rowModelType="infinite",
                getRowId="params.data.event_id",
                defaultColDef={"resizable": True, "sortable": True},
                dashGridOptions={
                    "cacheBlockSize": 100,
                    "maxBlocksInCache": 20,
                    "infiniteInitialRowCount": 1,
                    "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
                    "tooltipShowDelay": 300,
                    "rowHeight": 50,  # three lines: a long place name or a second family chip wraps
                    "headerHeight": 34,
                    "suppressMenuHide": False,  # filter buttons appear on hover: narrow columns keep their titles
                },
                style={"height": "100%"},
            ),
        ]),
        html.Div(className="tab-page regions-page", children=[
            html.P("Events in the current view by region, whatever the region filter; click a region to show "
                   "only it.", className="hint"),
            dag.AgGrid(
                id=ids.REGIONS_GRID,
                columnDefs=REGION_COLUMNS,
                rowData=[],
                getRowId="params.data.row_id",
                defaultColDef={"resizable": True, "sortable": True},
                style={"height": "100%"},
            ),
        ]),
    ]


def _upload_panel(upload_limit_mb: int, csrf: str = "") -> html.Section:
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
                    html.Div(id=ids.UPLOAD_PICKER, className="upload-picker"),
                    dcc.Dropdown(
                        id=ids.UPLOAD_KIND,
                        options=[{"label": "Detect from header", "value": "auto"},
                                 {"label": "ACLED", "value": "acled"}, {"label": "UCDP GED", "value": "ucdp"}],
                        value="auto", clearable=False, searchable=False, className="upload-kind",
                    ),
                    html.Button("Import", id=ids.UPLOAD_BUTTON, n_clicks=0),
                ],
            ),
            html.Div(id=ids.UPLOAD_STATUS, className="upload-status", role="status",
                     **{"data-limit-bytes": str(upload_limit_mb * (1 << 20)), "data-csrf": csrf}),
        ],
    )


def _credits() -> list:
    parts: list = []
    for before, name, href, after in CREDITS:
        parts += [before, html.A(name, href=href, rel="noopener noreferrer"), after]
    return [html.P(parts)]
