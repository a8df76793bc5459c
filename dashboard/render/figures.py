"""Pure figure builders: (filtered events, view, boundary layers) -> Plotly figure. No Dash, no I/O.

Maps use Plotly's MapLibre traces (``go.Scattermap``, ``go.Choroplethmap``). The offline style is our own
(:mod:`dashboard.render.basemap`), named by its address on this app: towns, regions, countries, rivers and lakes with
their names, glyphs served locally, so nothing is fetched beyond 127.0.0.1. Boundaries come from the bundled
shapefiles as GeoJSON line layers. One colour per actor family (``FAMILY_COLOURS``) everywhere.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from dashboard.model.events import DATASET_NAMES, event_position
from dashboard.model.view import View
from dashboard.model.viewport import Viewport
from dashboard.render import basemap
from geodata.schema import FOCUS

OFFLINE = "offline"
# Our own style with names (dashboard.render.basemap), by the address this app serves it at: MapLibre fetches it once,
# and every layer and glyph it names is served by this app too.
BASEMAP_STYLE: str = basemap.STYLE_URL
# A style that fetches nothing at all (no names): what the naive benchmark app draws on.
OFFLINE_STYLE: dict[str, Any] = {
    "version": 8,
    "name": "sca-blank",
    # Plotly drops an empty "sources" object, and MapLibre then rejects the style; one empty GeoJSON source keeps
    # the style valid without fetching anything.
    "sources": {"empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": basemap.PAPER}}],
}
# One colour per actor family, everywhere (map, timeline, table chips, legends): the Okabe-Ito palette, safe for
# the common colour-vision deficiencies, with grey for the catch-all family and a dark brown (Paul Tol's #661100)
# for the Lake Chad jihadists, the colour furthest from all the others under simulated protanopia, deuteranopia
# and tritanopia (tests/test_real_data.py).
FAMILY_COLOURS: dict[str, str] = {
    "JNIM": "#0072B2",
    "ISGS": "#000000",
    "Ansarul Islam": "#56B4E9",
    "Lake Chad jihadists": "#661100",
    "State forces": "#009E73",
    "Wagner Group": "#D55E00",
    "Militia": "#E69F00",
    "Civilians": "#CC79A7",
    "Other": "#8C8C8C",
}
OTHER_FAMILY = "Other"
# JNIM against ISGS, the war this atlas is about: a yellow ring with a dark edge under the point, a fixed number
# of pixels wider than it, so these clashes stand out at any zoom whatever the point's family colour.
CLASH_LABEL = "JNIM–ISGS clash"
# Stretches of the timeline a source has no events for: a light grey band under the bars.
UNCOVERED_FILL = "rgba(120,120,120,0.16)"
# The view's window on the timeline (assets/app.js shadeWindow draws the same on a slider move).
WINDOW_FILL, WINDOW_LINE = "rgba(31, 111, 139, 0.14)", "#1f6f8b"
CLASH_RING = (("#222222", 7), ("#F0E442", 4))
# Event types in Paul Tol's "bright" scheme, and datasets in his "vibrant" one: both published as distinct under
# the common colour-vision deficiencies (tests/test_figures.py checks them with a CVD simulation), and neither
# shares a colour with the families, so a colour never means two things on one page.
EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#EE6677",
    "Violence against civilians": "#AA3377",
    "Explosions/Remote violence": "#CCBB44",
    "Strategic developments": "#4477AA",
    "Riots": "#228833",
    "Protests": "#66CCEE",
}
DATASET_COLOURS: dict[str, str] = {
    "acled": "#0077BB",
    "ucdp": "#EE7733",
    "curated": "#009988",
    "text": "#33BBEE",
    "seed": "#EE3377",
    "upload": "#CC3311",
    "synthetic": "#332288",  # Tol's indigo: his vibrant scheme has six colours and grey
}
OTHER_COLOUR = "#BBBBBB"  # event types and datasets the tables above do not name
# What each colour mode of the view colours points by (dashboard.model.view.COLOURS), and its fixed colours in order.
COLOUR_TABLES: dict[str, dict[str, str]] = {"actor": FAMILY_COLOURS, "type": EVENT_TYPE_COLOURS,
                                            "dataset": DATASET_COLOURS}
# The picked event: a violet ring round a white one round the point; no family, type or dataset is violet.
SELECTED_RING = "#7F00FF"
OTHER_TYPES = "Other types"
OTHER_LABELS = {"actor": OTHER_FAMILY, "type": OTHER_TYPES, "dataset": "Other datasets"}
UNKNOWN_SIZE = 6  # fatalities unknown: a small fixed-size point in its family's colour
MIN_SIZE, MAX_SIZE = 5.0, 34.0
FADED_OPACITY, FULL_OPACITY = 0.35, 0.85
NO_EVENTS = "No events match this view"
DEFAULT_CENTER = {"lon": -0.5, "lat": 15.5}
DEFAULT_ZOOM = 4.2
SELECTED_ZOOM = 7.0  # the map centres on an event picked in the table at this zoom
REGION_ID_SEPARATOR = "|"
SELECTED_LABEL = "selected event"
FRAME = "frame"  # the invisible trace the map is fitted to
EVENTS_LABEL = "events"  # the one trace drawing every event (its legend entries are empty traces)
MIN_FRAME_SPAN = 1.0  # degrees: a frame around one town still shows its surroundings
# Share of the frame's width (height) added on each side, so a point on its edge keeps room for the town name
# beside it (Plotly's own fit pads 20 pixels, less than "Bamako" at 13.5 px): about 50 pixels on a phone, 75 at
# 1280x800.
FRAME_MARGIN = (0.10, 0.05)
MAP_PIXELS = (600, 500)  # a small desktop map, for the fits made on the server (better too wide than cut)
# Above this many events in sight the map shows aggregated bins instead of points (SCA_MAX_POINTS).
MAX_POINTS = 20_000


@dataclass(frozen=True)
class BoundaryLayers:
    """Boundaries ready for the maps: simplified GeoJSON and region label points, computed once."""

    focus: dict[str, Any]  # admin-0 outlines of ML, BF, NE
    neighbours: dict[str, Any]  # admin-0 outlines of the other countries
    admin1: dict[str, Any]  # admin-1 polygons; feature id and properties.region_id = "ML|Gao"
    labels: pd.DataFrame  # region_id, name, lon, lat: where region hovers sit
    region_ids: tuple[str, ...]
    admin1_labels: dict[str, Any]  # points inside each admin-1 region, properties.name = its name ("Tillabéri")
    country_labels: dict[str, Any]  # points inside each country, properties.name and .focus (ML, BF, NE)
    # When set, figures refer to each layer by this address ({"admin1": "/boundaries/admin1.geojson", ...})
    # instead of carrying it: the browser fetches each once and caches it, and every update is 150 KB smaller.
    urls: dict[str, str] | None = None

    LAYERS = ("focus", "neighbours", "admin1", "admin1_labels", "country_labels")

    def source(self, name: str) -> dict[str, Any] | str:
        """Layer ``name`` as figures should refer to it: its address if served, else the GeoJSON itself."""
        return self.urls[name] if self.urls else getattr(self, name)

    def served_at(self, prefix: str) -> BoundaryLayers:
        """These layers, referred to as ``<prefix><name>.geojson`` (see ``dashboard.web.routes``)."""
        return dataclasses.replace(self, urls={name: f"{prefix}{name}.geojson" for name in self.LAYERS})


def region_id(country: pd.Series, admin1: pd.Series) -> pd.Series:
    """'ML|Gao' keys joining events to admin-1 polygons (NA when either part is missing)."""
    return country.astype("string") + REGION_ID_SEPARATOR + admin1.astype("string")


def boundary_layers(boundaries: Any, tolerance: float = 0.01) -> BoundaryLayers:
    """Turn ``boundaries`` (``.admin0``: country_iso2, name; ``.admin1``: country_iso2, admin1) into map layers.

    Geometry is simplified by ``tolerance`` degrees and rounded to 1e-4 so every callback ships a small map.
    """
    admin0 = boundaries.admin0.to_crs("EPSG:4326")
    admin1 = boundaries.admin1.to_crs("EPSG:4326")
    names0 = dict(zip(admin0["country_iso2"].astype(str), admin0.get("name", admin0["country_iso2"]).astype(str),
                      strict=True))
    ids = region_id(admin1["country_iso2"], admin1["admin1"]).astype(str)
    points = admin1.geometry.representative_point()
    labels = pd.DataFrame(
        {
            "region_id": ids.to_numpy(),
            "name": (admin1["admin1"].astype(str) + ", " + admin1["country_iso2"].astype(str).map(names0)).to_numpy(),
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
        }
    )
    is_focus = admin0["country_iso2"].isin(FOCUS)
    countries = admin0.geometry.representative_point()
    return BoundaryLayers(
        focus=_geojson(admin0[is_focus].geometry, admin0[is_focus]["country_iso2"], tolerance),
        neighbours=_geojson(admin0[~is_focus].geometry, admin0[~is_focus]["country_iso2"], tolerance),
        admin1=_geojson(admin1.geometry, ids, tolerance),
        labels=labels,
        region_ids=tuple(ids),
        admin1_labels=_points(points, admin1["admin1"].astype(str), admin1["country_iso2"].isin(FOCUS)),
        country_labels=_points(countries, admin0["country_iso2"].astype(str).map(names0), is_focus),
    )


def _points(points: Any, names: pd.Series, focus: pd.Series) -> dict[str, Any]:
    """Label points as GeoJSON: properties.name (as in our boundaries) and properties.focus."""
    features = [
        {"type": "Feature", "properties": {"name": name, "focus": bool(f)},
         "geometry": {"type": "Point", "coordinates": [round(float(p.x), 4), round(float(p.y), 4)]}}
        for name, f, p in zip(names, focus, points, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _geojson(geometry: Any, ids: pd.Series, tolerance: float) -> dict[str, Any]:
    shapes = shapely.set_precision(shapely.simplify(geometry.to_numpy(), tolerance, preserve_topology=True), 1e-4)
    features = [
        {"type": "Feature", "id": key, "properties": {"region_id": key}, "geometry": json.loads(shapely.to_geojson(g))}
        for key, g in zip(ids.astype(str), shapes, strict=True)
        if g is not None and not g.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _map_layout(layers: BoundaryLayers | None, style: str, center: dict[str, float] | None, zoom: float | None,
                uirevision: str) -> dict[str, Any]:
    """The map subplot: our offline style (or an online one), boundary lines below the events, and the view.
    On our style the boundaries are layers of the style, so they load with the basemap.

    Without ``center`` and ``zoom`` Plotly fits the map to the figure's points (``fitbounds``); the figures
    add a transparent frame trace so that fit is the frame they chose (see :func:`frame_trace`).
    """
    map_layers = []
    if layers is not None and style != OFFLINE:  # our own style draws the boundaries itself (dashboard.render.basemap)
        map_layers = [
            {"sourcetype": "geojson", "source": layers.source(name), "type": "line", "below": "traces",
             "color": colour, "line": {"width": width}}
            for name, colour, width in basemap.BOUNDARY_LINES
        ]
    position: dict[str, Any] = {"fitbounds": "locations"}
    if center is not None and zoom is not None:
        position = {"center": center, "zoom": zoom, "fitbounds": False}
    return {
        "map": {
            "style": BASEMAP_STYLE if style == OFFLINE else style,
            **position,
            "layers": map_layers,
            "uirevision": uirevision,
        },
        "uirevision": uirevision,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "legend": {"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.88)", "itemsizing": "constant",
                   "bordercolor": "#d8d2c4", "borderwidth": 1, "font": {"size": 11}, "tracegroupgap": 2},
        "hoverlabel": {"align": "left"},
    }


def _below(style: str) -> dict[str, str]:
    """On our style, event traces go just under the label layers, so names stay readable above the points."""
    return {"below": basemap.LABELS_START} if style == OFFLINE else {}


def frame_box(lon: np.ndarray, lat: np.ndarray, min_span: float = MIN_FRAME_SPAN
              ) -> tuple[float, float, float, float] | None:
    """minlon, minlat, maxlon, maxlat around the located points, at least ``min_span`` degrees each way, with a
    :data:`FRAME_MARGIN` on each side so the map's edge never cuts the name of a town a point sits on."""
    located = ~(np.isnan(lon) | np.isnan(lat))
    if not located.any():
        return None
    x, y = lon[located], lat[located]
    west, east, south, north = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    if east - west < min_span:
        mid = (east + west) / 2
        west, east = mid - min_span / 2, mid + min_span / 2
    if north - south < min_span:
        mid = (north + south) / 2
        south, north = mid - min_span / 2, mid + min_span / 2
    across, down = (east - west) * FRAME_MARGIN[0], (north - south) * FRAME_MARGIN[1]
    return west - across, max(south - down, -85.0), east + across, min(north + down, 85.0)


def _scattermap(**props: Any) -> dict[str, Any]:
    """A scattermap trace as a dict: a map's traces go into one ``go.Figure(data=...)``, checked once, where a
    ``go.Scattermap`` each, added one by one, was checked and deep-copied twice (a third of a map's server time)."""
    return {"type": "scattermap", **props}


def frame_trace(box: tuple[float, float, float, float]) -> dict[str, Any]:
    """Two invisible corner points: with no centre and zoom given, Plotly fits the map to them in the browser,
    at whatever size the map has (phone or desktop)."""
    west, south, east, north = box
    return _scattermap(lon=[west, east], lat=[south, north], mode="markers", name=FRAME, showlegend=False,
                         hoverinfo="skip", marker={"size": 1, "opacity": 0})


def fit_position(box: tuple[float, float, float, float], pixels: tuple[int, int] = MAP_PIXELS
                 ) -> tuple[dict[str, float], float]:
    """Centre and zoom showing ``box`` in a map of about ``pixels`` (Web Mercator), for the maps Plotly cannot
    fit itself (choropleths, bins that depend on the viewport)."""
    west, south, east, north = box
    def merc(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2)))
    width = max(east - west, 1e-3) / 360.0
    height = max(merc(north) - merc(south), 1e-5) / (2 * np.pi)
    zoom = float(np.log2(min(pixels[0] / (512 * width), pixels[1] / (512 * height))) - 0.25)
    centre_lat = float(np.degrees(2 * np.arctan(np.exp((merc(north) + merc(south)) / 2)) - np.pi / 2))
    return {"lon": (west + east) / 2, "lat": centre_lat}, float(np.clip(zoom, 1.0, 11.0))


def _empty_annotation(text: str = NO_EVENTS) -> dict[str, Any]:
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
            "font": {"size": 16, "color": "#444"}, "bgcolor": "rgba(255,255,255,0.8)"}


# -- points map -------------------------------------------------------------------------------------------


def family_labels(frame: pd.DataFrame) -> pd.Series:
    """The family of each event's actor1 (``group1``); missing or unknown families are 'Other'."""
    families = frame["group1"].astype("string")
    return families.where(families.isin(list(FAMILY_COLOURS)), OTHER_FAMILY).fillna(OTHER_FAMILY)


def is_clash(frame: pd.DataFrame) -> np.ndarray:
    """JNIM against ISGS, whichever of them is actor1."""
    g1, g2 = frame["group1"].astype("string"), frame["group2"].astype("string")
    clash = ((g1 == "JNIM") & (g2 == "ISGS")) | ((g1 == "ISGS") & (g2 == "JNIM"))
    return clash.fillna(False).to_numpy(dtype=bool)


def colour_labels(frame: pd.DataFrame, colour: str) -> pd.Series:
    """What each event is coloured by in ``colour`` mode: actor1's family, its event type or its dataset; a name
    the mode's table does not know is its catch-all ('Other', 'Other types', 'Other datasets')."""
    if colour not in ("type", "dataset"):
        return family_labels(frame)
    values = frame["event_type" if colour == "type" else "dataset"].astype("string")
    if colour == "dataset":
        values = values.map(DATASET_NAMES).astype("string")
    known = values.isin(list(palette(colour))).fillna(False)
    return values.where(known, OTHER_LABELS[colour]).fillna(OTHER_LABELS[colour])


def legend_filter(name: str, colour: str) -> dict[str, str] | None:
    """The filter value of a legend entry in ``colour`` mode ({"filter": "acled"} for "ACLED"), None for the
    catch-alls ("Other types", "Other datasets"), which no filter value names."""
    if colour == "dataset":
        value = {label: key for key, label in DATASET_NAMES.items()}.get(name)
        return {"filter": value} if value else None
    if colour == "type" and name == OTHER_LABELS["type"]:
        return None
    return {"filter": name}


def palette(colour: str) -> dict[str, str]:
    """The legend of a colour mode: every name in its fixed order with its colour, the catch-all last. The map,
    the timeline and the page's legends are all drawn from this, so one colour means one thing on the page."""
    if colour not in ("type", "dataset"):
        return dict(FAMILY_COLOURS)
    names = DATASET_NAMES if colour == "dataset" else {}
    return {**{names.get(k, k): c for k, c in COLOUR_TABLES[colour].items()}, OTHER_LABELS[colour]: OTHER_COLOUR}


def category_colour(label: str, colour: str) -> str:
    """The fixed colour of ``label`` in ``colour`` mode (the catch-all's colour for names it does not know)."""
    return palette(colour).get(label, OTHER_COLOUR)


def legend_entries(labels: pd.Series, colour: str) -> list[tuple[str, str]]:
    """(name, colour) per legend entry present in ``labels`` (from :func:`colour_labels`), in the mode's fixed
    order, so the legend never has more than ten entries."""
    present = set(labels.unique())
    return [(plain_label(name), c) for name, c in palette(colour).items() if name in present]


def palette_codes(labels: pd.Series, colour: str) -> tuple[np.ndarray, list[list[Any]]]:
    """Each label's index in the mode's palette (uint8) and a stepped colour scale giving index ``k`` exactly the
    palette's ``k``-th colour (with cmin -0.5, cmax len(palette) - 0.5): one trace draws every family in its own
    colour, whichever families are in view."""
    colours = palette(colour)
    codes = pd.Categorical(labels, categories=list(colours)).codes
    n = len(colours)
    scale = [[round(k / n + edge / n, 6), c] for k, c in enumerate(colours.values()) for edge in (0, 1)]
    return np.where(codes < 0, n - 1, codes).astype("uint8"), scale


def marker_sizes(fatalities: pd.Series) -> np.ndarray:
    """Marker diameter from fatalities on a square-root scale, clamped; unknown gets ``UNKNOWN_SIZE``."""
    values = fatalities.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    sizes = np.clip(MIN_SIZE + 2.0 * np.sqrt(np.clip(values, 0, None)), MIN_SIZE, MAX_SIZE)
    return np.where(np.isnan(sizes), UNKNOWN_SIZE, sizes)


HOVER_FIELDS = ("event_id", "dates", "place", "families", "type", "fatalities")
# A compact hover (date, place, families, type, fatalities), each line cut to HOVER_CHARS characters, so the box
# fits a phone's map whatever the source's actor names or source strings; the long text is in the event card.
POINT_HOVER = (
    "<b>%{customdata[2]}</b><br>%{customdata[1]}<br>%{customdata[3]}<br>%{customdata[4]}<br>"
    "Fatalities: %{customdata[5]}<extra></extra>"
)
# Two lines from two arrays: a "<br>" inside every text would cost 14 bytes a point once JSON-escaped.
SHORT_HOVER = "%{text}<br>%{customdata}<extra></extra>"
HOVER_CHARS = 34
# Up to this many points carry the full hover card; bigger views get a one-line hover (date, place, fatalities)
# so 20,000 points stay near 1 MB of JSON instead of 5 MB.
FULL_HOVER_POINTS = 2_000


def _cut(text: pd.Series, limit: int = HOVER_CHARS) -> pd.Series:
    """``text`` cut to ``limit`` characters with an ellipsis (a hover line never outgrows the map)."""
    return text.where(text.str.len() <= limit, text.str.slice(0, limit - 1) + "…")


def short_hover(frame: pd.DataFrame) -> np.ndarray:
    """Per event (escaped) its two hover lines, '2020-03-14 · Ménaka' and '12 dead': the hover of large point
    views (``SHORT_HOVER``: the first as the trace's text, the second as its customdata)."""
    start = frame["date_start"].dt.strftime("%Y-%m-%d").astype("string").fillna("date unknown")
    place = _cut(frame["location"].astype("string").fillna("unnamed place"), HOVER_CHARS - 12)
    toll = (frame["fatalities"].astype("string") + " dead").fillna("toll unknown")
    lines = [_escape(start + " · " + place), toll]
    return np.column_stack([c.to_numpy(dtype=object) for c in lines]) if len(frame) else np.empty((0, 2), object)


def hover_data(frame: pd.DataFrame) -> np.ndarray:
    """customdata rows in ``HOVER_FIELDS`` order, each line short (see :data:`POINT_HOVER`); event_id first so the
    app can link a click to the table and the card."""
    start = frame["date_start"].dt.strftime("%Y-%m-%d").astype("string")
    end = frame["date_end"].dt.strftime("%Y-%m-%d").astype("string")
    dates = start.where(end.isna() | (end == start), start + " – " + end).fillna("date unknown")
    region = frame["admin1"].astype("string")
    place = frame["location"].astype("string").fillna("unnamed place")
    where = region.where(region.isna(), ", " + region).fillna("") + ", " + frame["country_iso2"].astype(
        "string").fillna("?")
    place = _cut(place, HOVER_CHARS - 10) + where
    family1 = frame["group1"].astype("string").fillna("unknown actor")
    family2 = frame["group2"].astype("string")
    families = family1.where(family2.isna(), family1 + " vs " + family2)
    fatalities = frame["fatalities"].astype("string").fillna("unknown")
    event_type = frame["event_type"].astype("string").fillna("type not given")
    columns = [frame["event_id"].astype("string"), dates, _cut(place, HOVER_CHARS + 6), _cut(families),
               _cut(event_type), fatalities]
    escaped = [_escape(c.fillna("")) for c in columns]
    return np.column_stack([c.to_numpy(dtype=object) for c in escaped]) if len(frame) else np.empty((0, 6), object)


def _escape(text: pd.Series) -> pd.Series:
    """Hover text is rendered by Plotly's pseudo-HTML; show data characters literally."""
    return text.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False).str.replace(
        ">", "&gt;", regex=False
    )


def plain_label(text: object) -> str:
    """A label drawn from data (legend entry, trace name, title) as literal text: Plotly renders a subset of HTML
    in trace names, so ``<a href=...>`` in an event type would become a live link in the legend."""
    return html.escape(str(text), quote=False)


def map_figure(frame: pd.DataFrame, view: View, layers: BoundaryLayers | None, *, style: str = OFFLINE,
               selected_id: str | None = None, note: str | None = None, viewport: Viewport | None = None,
               frame_to: tuple[float, float, float, float] | None = None,
               short: np.ndarray | None = None) -> go.Figure:
    """Events as points coloured by the family of actor1 (or by event type or dataset, ``view.colour``), sized by
    fatalities, faded when imprecise; JNIM–ISGS clashes ringed. ``short``: the rows' hovers when already known
    (:func:`hover_data` rows up to FULL_HOVER_POINTS events, else :func:`short_hover`).

    ``frame`` holds at most a few tens of thousands of events (see ``dashboard.render.parts``); ``note`` is shown at
    the bottom (e.g. that only the events in sight are drawn). Where the map looks: ``viewport`` (the user has
    moved the map: it stays there), else the selected event, else the browser fits it to ``frame_to`` (by default
    the events drawn).
    """
    traces: list[dict[str, Any]] = []  # made into one figure at the end: Plotly checks them once (issue 19)
    below = _below(style)
    labels = colour_labels(frame, view.colour)
    sizes = np.round(marker_sizes(frame["fatalities"])).astype("uint8")  # one byte a point in the figure's JSON
    opacity = np.where(frame["geo_precision"].fillna(1).to_numpy(dtype=float) >= 3, FADED_OPACITY, FULL_OPACITY)
    full = len(frame) <= FULL_HOVER_POINTS
    known = short is not None and len(short) == len(frame)
    hover = (short if known else hover_data(frame)) if full else (short if known else short_hover(frame))
    lon, lat = frame["longitude"].to_numpy(dtype="float32"), frame["latitude"].to_numpy(dtype="float32")
    center, zoom = (viewport.center, viewport.zoom) if viewport is not None else (None, None)
    chosen = event_position(frame, selected_id) if selected_id is not None else None
    clash = is_clash(frame)
    if clash.any():  # the rings go first, under every point
        # Plotly's legend could only show the ring as a dot: the page's map key draws it as drawn here. The outer
        # ring answers hover and clicks for its event: with the event's own hover (event id first, which the card
        # reads) in a view small enough for full hovers, else with its name only (no second copy of every text;
        # a click finds the event by its point, dashboard.callbacks.card.clicked_event).
        for (colour, extra), outer in zip(CLASH_RING, (True, False), strict=True):
            if not outer:
                answers: dict[str, Any] = {"hoverinfo": "skip"}
            elif full:
                answers = {"customdata": hover[clash], "hovertemplate": POINT_HOVER}
            else:
                answers = {"hovertemplate": f"{CLASH_LABEL}<extra></extra>"}
            traces.append(_scattermap(
                lon=lon[clash], lat=lat[clash], mode="markers", name=CLASH_LABEL, legendgroup=CLASH_LABEL,
                showlegend=False, **below, **answers,
                marker={"size": sizes[clash] + np.uint8(extra), "color": colour, "opacity": 1.0},
            ))
    if len(frame):
        traces.append(_points_trace(labels, view.colour, lon, lat, sizes, opacity, hover, full, below))
    for name, colour in legend_entries(labels, view.colour):
        traces.append(_legend_entry(name, colour, meta=legend_filter(name, view.colour)))
    if chosen is not None:
        traces.extend(_selected_rings(frame.iloc[chosen : chosen + 1], (float(lon[chosen]), float(lat[chosen])),
                                      float(sizes[chosen]), category_colour(str(labels.iloc[chosen]), view.colour),
                                      below))
        if viewport is None:
            center = {"lon": float(frame["longitude"].iloc[chosen]), "lat": float(frame["latitude"].iloc[chosen])}
            zoom = SELECTED_ZOOM
    box = None
    if center is None:
        box = frame_to or frame_box(lon.astype("float64"), lat.astype("float64"))
        if box is None:
            center, zoom = map_position(view)
    if box is not None:
        traces.append(frame_trace(box))
    elif not len(frame):  # an empty view still needs one trace, or Plotly draws no map (no basemap, no names)
        traces.append(_scattermap(lon=[], lat=[], mode="markers", name=FRAME, showlegend=False, hoverinfo="skip"))
    layout = _map_layout(layers, style, center, zoom, map_revision(view, selected_id))
    if not len(frame):
        layout["annotations"] = [_empty_annotation()]
    elif note:
        layout["annotations"] = [_note(note)]
    return go.Figure(data=traces, layout=layout)


def _points_trace(labels: pd.Series, colour: str, lon: np.ndarray, lat: np.ndarray, sizes: np.ndarray,
                  opacity: np.ndarray, hover: np.ndarray, full: bool, below: dict[str, Any]) -> dict[str, Any]:
    """Every event in one trace, in the palette's order (so families stack as separate traces did, later entries
    on top). Each scattermap trace is a MapLibre source (four sources and layers) that is parsed, tiled and redrawn
    on its own whenever the figure changes: one trace for the events, where there was one per family (issue 19).
    A point's colour is its entry's index on a stepped colour scale (one byte a point), its opacity its precision."""
    codes, scale = palette_codes(labels, colour)
    rows = np.argsort(codes, kind="stable")
    levels = opacity[rows]
    return _scattermap(
        lon=lon[rows], lat=lat[rows], mode="markers", name=EVENTS_LABEL, showlegend=False, **below,
        marker={"size": sizes[rows], "color": codes[rows], "colorscale": scale, "cmin": -0.5,
                "cmax": len(scale) / 2 - 0.5, "showscale": False, "sizemode": "diameter",
                "opacity": float(levels[0]) if (levels == levels[0]).all() else levels.astype("float32")},
        **({"customdata": hover[rows], "hovertemplate": POINT_HOVER} if full
           else {"text": hover[rows, 0], "customdata": hover[rows, 1], "hovertemplate": SHORT_HOVER}),
    )


def _legend_entry(name: str, colour: str, meta: dict[str, str] | None) -> dict[str, Any]:
    """An entry of Plotly's legend that draws nothing on the map: a trace shown in the legend only, so MapLibre
    gets no source for it to update (assets/style.css keeps the entry at full strength; a click on it filters
    the view, assets/legend.js)."""
    # One point with no position: Plotly hides a trace with no points from the legend too, and draws none.
    return _scattermap(lon=[None], lat=[None], mode="markers", name=name, legendgroup=name, showlegend=True,
                       visible="legendonly", meta=meta, hoverinfo="skip",
                       marker={"size": 10, "color": colour, "opacity": 1.0})


def _selected_rings(event: pd.DataFrame, at: tuple[float, float], size: float, own: str, below: dict[str, Any]
                    ) -> list[dict[str, Any]]:
    """The selected event (a one-row frame, drawn at ``at``) again on top, ringed: the ring, a white gap, its own
    colour."""
    lon, lat = at
    return [_scattermap(lon=[lon], lat=[lat], mode="markers", name=SELECTED_LABEL, legendgroup="selected",
                        showlegend=extra == 12, **below,
                        marker={"size": max(size, MIN_SIZE) + extra, "color": colour, "opacity": 1.0},
                        customdata=hover_data(event), hovertemplate=POINT_HOVER)
            for extra, colour in ((12, SELECTED_RING), (7, "#ffffff"), (0, own))]


def bins_figure(bins: pd.DataFrame, cell: float, view: View, layers: BoundaryLayers | None, *, total: int,
                max_points: int, viewport: Viewport, style: str = OFFLINE, selected_id: str | None = None) -> go.Figure:
    """The aggregated layer: one square-ish marker per ``cell``-degree bin, coloured by ``view.metric`` on a log
    scale with a colour bar as its legend, and a note saying the map is aggregated and how to see events."""
    figure = go.Figure()
    metric = view.metric
    values = bins[metric].to_numpy()
    pixels = max(cell * 512 * 2.0**viewport.zoom / 360.0, 3.0)
    top = max(int(values.max()) if len(values) else 1, 1)
    ticks = [10**k for k in range(int(np.log10(top)) + 1)]
    figure.add_trace(go.Scattermap(
        lon=bins["lon"].to_numpy(dtype="float32"), lat=bins["lat"].to_numpy(dtype="float32"), mode="markers",
        name=f"{metric} per {cell:g}° bin", showlegend=True, **_below(style),
        marker={
            "size": pixels, "opacity": 0.8, "color": np.log10(1 + values).astype("float32"),
            "colorscale": "YlOrRd", "cmin": 0, "cmax": float(np.log10(1 + top)),
            "colorbar": {"title": {"text": f"{metric} per bin"}, "thickness": 12, "tickvals": np.log10(1 + np.array(
                ticks, dtype=float)).tolist(), "ticktext": [f"{t:,}" for t in ticks], "x": 0.99, "xanchor": "right"},
        },
        customdata=bins[["events", "fatalities", "unknown_fatalities"]].to_numpy(dtype="int32"),
        hovertemplate="%{customdata[0]:,} events<br>%{customdata[1]:,} fatalities"
                      " (%{customdata[2]:,} events with unknown fatalities)<extra>" + f"{cell:g}° bin</extra>",
    ))
    figure.update_layout(_map_layout(layers, style, viewport.center, viewport.zoom, map_revision(view, selected_id)))
    shown = int(bins["events"].sum())
    where = "" if shown == total else f" ({shown:,} of {total:,} in and around the map's view)"
    figure.add_annotation(_note(
        f"Aggregated: {shown:,} events{where} in {len(bins):,} bins of {cell:g}°. Zoom in or filter to fewer than "
        f"{max_points:,} events in sight to see single events."))
    return figure


def _note(text: str) -> dict[str, Any]:
    return {**_empty_annotation(text), "y": 0.02, "font": {"size": 12, "color": "#444"}}


def map_position(view: View) -> tuple[dict[str, float], float]:
    """Centre and zoom the map opens at: the whole region, or the view's map selection."""
    if view.bbox is None:
        return dict(DEFAULT_CENTER), DEFAULT_ZOOM
    minlon, minlat, maxlon, maxlat = view.bbox
    span = max(maxlon - minlon, (maxlat - minlat) * 1.4, 1e-3)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.3, 1.0, 12.0))
    return {"lon": (minlon + maxlon) / 2, "lat": (minlat + maxlat) / 2}, zoom


def _position(view: View, viewport: Viewport | None, frame_to: tuple[float, float, float, float] | None = None
              ) -> tuple[dict[str, float], float]:
    """Where the user left the map if known (Plotly's uirevision alone does not hold a map's zoom across
    updates), else around ``frame_to``, else where the view opens it."""
    if viewport is not None:
        return viewport.center, viewport.zoom
    return fit_position(frame_to) if frame_to is not None else map_position(view)


def map_revision(view: View, selected_id: str | None) -> str:
    """Unchanged while only filters change, so the user's pan and zoom survive; new bbox/selection re-centres."""
    return f"map|{view.bbox}|{selected_id}"


# -- regions map ------------------------------------------------------------------------------------------


def region_counts(totals: pd.DataFrame, region_ids: tuple[str, ...] = ()) -> pd.DataFrame:
    """Events, known fatalities and unknown-fatality events per 'ML|Gao' region (from
    ``aggregate.region_totals``); listed regions with no event are 0, events outside every region are left out."""
    keyed = totals.assign(region_id=region_id(totals["country_iso2"], totals["admin1"])).dropna(subset=["region_id"])
    grouped = keyed.set_index("region_id")[["events", "fatalities", "unknown_fatalities"]]
    index = pd.Index(sorted(set(region_ids) | set(grouped.index.astype(str))), name="region_id")
    return grouped.reindex(index, fill_value=0).astype("int64").reset_index()


def regions_figure(totals: pd.DataFrame, view: View, layers: BoundaryLayers, *, style: str = OFFLINE,
                   viewport: Viewport | None = None, frame_to: tuple[float, float, float, float] | None = None
                   ) -> go.Figure:
    """Choropleth of events (or known fatalities, ``view.metric``) per admin-1 region; empty regions show 0.
    The map opens around ``frame_to`` (the view's events) unless the user has moved it (``viewport``)."""
    metric = view.metric
    counts = region_counts(totals, layers.region_ids)
    counts = counts[counts["region_id"].isin(layers.region_ids)]
    names = counts["region_id"].map(dict(zip(layers.labels["region_id"], layers.labels["name"], strict=True)))
    custom = np.column_stack([
        _escape(names.astype("string").fillna("")).to_numpy(dtype=object),
        counts["events"].to_numpy(), counts["fatalities"].to_numpy(), counts["unknown_fatalities"].to_numpy(),
    ]) if len(counts) else np.empty((0, 4), object)
    figure = go.Figure(go.Choroplethmap(
        geojson=layers.source("admin1"), featureidkey="properties.region_id", locations=counts["region_id"],
        z=counts[metric], zmin=0, colorscale="YlOrRd", marker={"opacity": 0.75, "line": {"width": 0.5}},
        colorbar={"title": {"text": metric}, "thickness": 12}, customdata=custom, name=metric, **_below(style),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} events<br>%{customdata[2]} fatalities"
                      " (%{customdata[3]} events with unknown fatalities)<extra></extra>",
    ))
    center, zoom = _position(view, viewport, frame_to)
    figure.update_layout(_map_layout(layers, style, center, zoom, map_revision(view, None)))
    total = int(totals["events"].sum())
    outside = total - int(counts["events"].sum())
    if not total:
        figure.add_annotation(_empty_annotation())
    elif outside:
        figure.add_annotation({**_empty_annotation(f"{outside:,} events outside the mapped regions not shown"),
                               "y": 0.02, "font": {"size": 12, "color": "#444"}})
    return figure


# -- timeline ---------------------------------------------------------------------------------------------


def window_shapes(window: tuple[Any, Any], axis: Sequence[str]) -> list[dict[str, Any]]:
    """The shaded window on the timeline (none for the whole range): from its first day to the day after its last,
    an open end at the axis's end, as assets/app.js ``shadeWindow`` draws it (the page compares the two)."""
    start, end = window
    if start is None and end is None:
        return []
    x0 = pd.Timestamp(start).strftime("%Y-%m-%d") if start is not None else axis[0]
    x1 = (pd.Timestamp(end) + pd.Timedelta(days=1)).strftime("%Y-%m-%d") if end is not None else axis[1]
    return [{"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
             "fillcolor": WINDOW_FILL, "line": {"color": WINDOW_LINE, "width": 1}, "layer": "below",
             "name": "window"}]


def timeline_figure(monthly: pd.DataFrame, view: View, months: tuple[Any, Any] | None = None,
                    uncovered: Sequence[tuple[str, Any, Any]] = (),
                    window: tuple[Any, Any] | None = None) -> go.Figure:
    """Events per month (``aggregate.monthly_counts`` of the view's colour mode), stacked in the map's colours (a
    name the mode does not know counts as its catch-all, as on the map); drag to pick a span. The names are given
    by the page's own legend over the timeline (dashboard.page.layout): Plotly's would cost a second layout pass.

    ``months`` (the data's first and last month, the date slider's two ends) fixes the x axis from the first day
    of the one to the last day of the other, and is kept in ``layout.meta.months``: the page lines the slider's
    ends up with those two months' bars (assets/app.js) and shades the view's window on this axis, so the two
    share one time axis.

    ``uncovered`` (name, first day, last day) are stretches a source has no events for (``events.uncovered_spans``):
    each is a grey band under the bars and labelled "no ACLED", so missing data is not read as less violence.

    ``window`` (the view's first and last day, either None when open) is shaded as the page shades it on a slider
    move (assets/app.js ``shadeWindow``): drawn with the bars, the page finds it there and does not draw the
    timeline a second time only to add it (issue 19)."""
    traces: list[dict[str, Any]] = []  # one go.Figure of dicts at the end: Plotly checks them once (issue 19)
    annotations: list[dict[str, Any]] = []
    colours = palette(view.colour)
    catch_all = OTHER_LABELS.get(view.colour, OTHER_FAMILY)
    if len(monthly):
        shown = [DATASET_NAMES.get(c, c) if view.colour == "dataset" else c for c in monthly.columns]
        names = pd.Index([c if c in colours else catch_all for c in shown])
        monthly = monthly.T.groupby(names, sort=False).sum().T
        for name in [f for f in colours if f in monthly.columns]:
            traces.append(dict(
                type="bar", x=monthly.index, y=monthly[name].to_numpy(), name=name, legendgroup=name,
                xperiod="M1", xperiodalignment="middle",  # a bar spans its month, as the window's shading does
                marker={"color": colours[name], "line": {"width": 0}},
                hovertemplate="%{x|%b %Y}: %{y} events<extra>" + plain_label(name) + "</extra>",
            ))
    else:
        annotations.append(_empty_annotation())
    xaxis: dict[str, Any] = {"type": "date", "title": None}
    meta: dict[str, Any] = {"colour": view.colour}
    if months is not None:
        first, last = (pd.Timestamp(m) for m in months)
        xaxis["range"] = [first.strftime("%Y-%m-%d"), (last + pd.offsets.MonthBegin(1)).strftime("%Y-%m-%d")]
        meta["months"] = [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]
    shapes = [] if months is None or window is None else window_shapes(window, xaxis["range"])
    for i, (name, first, last) in enumerate(uncovered):
        x0 = pd.Timestamp(first).strftime("%Y-%m-%d")
        x1 = (pd.Timestamp(last) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=x0, x1=x1, y0=0, y1=1, layer="below",
                           line={"width": 0}, fillcolor=UNCOVERED_FILL, name=f"no {plain_label(name)}"))
        annotations.append(dict(x=x0, xref="x", y=1 - 0.14 * (i % 3), yref="paper", yanchor="top", xanchor="left",
                                text=f"no {plain_label(name)}", showarrow=False, font={"size": 10, "color": "#5b5b5b"}))
    return go.Figure(data=traces, layout=dict(
        barmode="stack", dragmode="select", selectdirection="h", bargap=0.1, showlegend=False,
        margin={"l": 40, "r": 8, "t": 22, "b": 20},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 11},
                "itemclick": False, "itemdoubleclick": False},
        xaxis=xaxis, yaxis={"title": "events", "fixedrange": True},
        uirevision="timeline", plot_bgcolor="#ffffff", meta=meta, shapes=shapes, annotations=annotations,
    ))
