"""Component ids of the page, as module constants, so the layout, the callbacks and the browser tests name the
same things."""

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
# The analyst's map (issue 10): the event card, the filters panel toggle and the tables' tabs.
EVENT_CARD = "event-card"
EVENT_CARD_BODY = "event-card-body"
EVENT_CARD_CLOSE = "event-card-close"
FILTERS = "filters"
FILTERS_TOGGLE = "filters-toggle"
FILTERS_CLOSE = "filters-close"
TABLES = "tables-panel"
TAB_EVENTS = "tab-events"
TAB_REGIONS = "tab-regions"
TIME_BAR = "time-bar"
# What each part of the page is drawn from (see dashboard.page.controls.part_views): written only when it changes.
FILTERS_STORE = "filters-store"
TIMELINE_STORE = "timeline-store"
REGIONS_STORE = "regions-store"
GRID_REQUEST = "grid-request"  # the events grid's block request, passed on once the view exists
TIMELINE_ZOOM = "timeline-zoom"  # the timeline's x range when the user zooms it (not its autosize)
PLAY_TICK = "play-tick"  # a Play step, sent only once the last step's map has drawn
# Exact dates of the view's window (the same `start`/`end` as the slider), for keyboards and phones.
DATE_START = "date-start"
DATE_END = "date-end"
COLOUR_MODE = "colour-mode"  # the colour mode the page's legends and chips follow (set on <body> by assets/app.js)
MAP_KEY = "map-key"
TIMELINE_WINDOW = "timeline-window"  # the window last shaded on the timeline (assets/app.js)

# Filter controls and the View field each one sets.
DROPDOWNS = {
    "f-country": "country",
    "f-admin1": "admin1",
    "f-group": "group",
    "f-vs": "vs",
    "f-type": "event_type",
    "f-dataset": "dataset",
}
PRECISION = "f-precision"
MIN_FATALITIES = "f-min-fatalities"
QUERY = "f-q"
COLOUR = "colour"
MODE = "mode"
METRIC = "metric"
DEDUPE = "dedupe"  # checklist: "Count each incident once" (the view's dedupe=incident)
DISAGREE = "f-disagree"  # checklist: only incidents whose sources disagree (the view's disagree=1)
COVERAGE_NOTE = "coverage-note"  # which datasets start or end inside the window (issue 24)
