"""Figures are pure: sample events + a view + boundary layers in, a Plotly figure out."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.model.aggregate import monthly_by_family, region_totals
from dashboard.model.events import EventData
from dashboard.model.view import COLOURS, View
from dashboard.render import basemap
from dashboard.render.figures import (
    BASEMAP_STYLE,
    CLASH_LABEL,
    EVENT_TYPE_COLOURS,
    EVENTS_LABEL,
    FADED_OPACITY,
    FAMILY_COLOURS,
    FRAME,
    FRAME_MARGIN,
    FULL_OPACITY,
    HOVER_FIELDS,
    NO_EVENTS,
    POINT_HOVER,
    SELECTED_LABEL,
    UNKNOWN_SIZE,
    boundary_layers,
    family_labels,
    fit_position,
    frame_box,
    map_figure,
    marker_sizes,
    palette,
    region_counts,
    regions_figure,
    timeline_figure,
)
from dashboard.render.parts import frame_for
from geodata.places.boundaries import Boundaries
from geodata.schema import GROUPS
from tests.fixtures.map_traces import legend_entries, point_traces, shown_colours
from tests.fixtures.sample_events import sample_events


def walk_strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from walk_strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from walk_strings(value)
    elif isinstance(node, str):
        yield node


def test_every_event_is_one_point_carrying_its_id(data, layers):
    figure = map_figure(data.frame, View(), layers)
    traces = point_traces(figure)
    assert [t.name for t in traces] == [EVENTS_LABEL]  # one trace draws every event (issue 19)
    shown = [row[0] for t in traces for row in t.customdata]
    assert sorted(shown) == sorted(data.frame["event_id"].astype(str))
    assert all(t.type == "scattermap" for t in figure.data)  # MapLibre, not the deprecated scattermapbox
    assert traces[0].hovertemplate == POINT_HOVER and len(traces[0].customdata[0]) == len(HOVER_FIELDS)


def test_unknown_fatalities_keep_their_family_colour_at_a_fixed_visible_size(data, layers):
    unknown_ids = set(data.frame.loc[data.frame["fatalities"].isna(), "event_id"].astype(str))
    assert len(unknown_ids) == 5
    families = dict(zip(data.frame["event_id"].astype(str), family_labels(data.frame), strict=True))
    seen = set()
    for trace in point_traces(map_figure(data.frame, View(), layers)):
        for row, size, colour in zip(trace.customdata, trace.marker.size, shown_colours(trace), strict=True):
            assert colour == FAMILY_COLOURS[families[row[0]]]
            if row[0] in unknown_ids:
                assert row[5] == "unknown" and size == UNKNOWN_SIZE
                seen.add(row[0])
            else:
                assert row[5] != "unknown" and size > 0
    assert seen == unknown_ids


def test_size_grows_with_the_square_root_and_is_clamped():
    sizes = marker_sizes(pd.Series([0, 1, 100, 400, 100_000, pd.NA], dtype="Int64"))
    assert sizes[0] < sizes[1] < sizes[2] < sizes[3] == sizes[4]
    assert sizes[2] - sizes[0] == pytest.approx(10 * (sizes[1] - sizes[0]))  # square root: 100 deaths, 10x of 1
    assert sizes[5] > 0


def test_imprecise_locations_are_faded_and_say_so(data, layers):
    precision = dict(zip(data.frame["event_id"].astype(str), data.frame["geo_precision"].astype(int), strict=True))
    seen = set()
    traces = point_traces(map_figure(data.frame, View(), layers))
    for trace in traces:
        levels = np.broadcast_to(np.asarray(trace.marker.opacity, dtype=float), (len(trace.customdata),))
        for row, shown in zip(trace.customdata, levels, strict=True):
            level = precision[row[0]]
            assert shown == pytest.approx(FADED_OPACITY if level >= 3 else FULL_OPACITY)
            seen.add(level)
    assert seen == {1, 2, 3, 4}
    # one trace: precision is shown by each point's opacity, not by a second trace
    assert len(traces) == 1 and np.ndim(traces[0].marker.opacity) == 1


def test_points_take_the_colour_of_actor1s_family_and_the_legend_stays_short(data, layers):
    figure = map_figure(data.frame, View(colour="actor"), layers)
    (trace,) = point_traces(figure)
    families = dict(zip(data.frame["event_id"].astype(str), data.frame["group1"].astype(str), strict=True))
    colours = shown_colours(trace)
    assert colours == [FAMILY_COLOURS[families[row[0]]] for row in trace.customdata]
    # drawn in the palette's order, so the families stack as they always have (later ones on top)
    order = [list(FAMILY_COLOURS.values()).index(c) for c in colours]
    assert order == sorted(order)
    legend = legend_entries(figure)
    assert legend == {f: FAMILY_COLOURS[f] for f in GROUPS if f in set(families.values())}  # the same order
    entries = [t for t in figure.data if t.name in legend]
    # they draw nothing: shown in the legend only, so MapLibre has no source of theirs to update
    assert all(t.visible == "legendonly" and t.meta == {"filter": t.name} for t in entries)
    assert all(all(x is None for x in t.lon) for t in entries)  # one point with no position: Plotly lists it
    shown = [t.name for t in map_figure(data.frame, View(), layers, selected_id="seed:3").data
             if t.showlegend is not False and t.name != FRAME]
    assert len(shown) <= 10 and len(set(shown)) == len(shown)
    # a colour does not depend on which other events are in view
    view = View(q="talataye")
    few = map_figure(data.filter(view), view, layers)
    few_families = family_labels(data.filter(view))
    assert shown_colours(point_traces(few)[0]) == [FAMILY_COLOURS[f] for f in few_families.sort_values(
        key=lambda s: s.map(list(FAMILY_COLOURS).index), kind="stable")]
    assert legend_entries(few) == {f: FAMILY_COLOURS[f] for f in GROUPS if f in set(few_families)}


def test_the_palette_is_one_fixed_colour_per_family():
    assert tuple(FAMILY_COLOURS) == GROUPS
    assert len(set(FAMILY_COLOURS.values())) == len(GROUPS)
    frame = pd.DataFrame({"group1": ["JNIM", None, "Somebody", "Militia"]})
    assert list(family_labels(frame)) == ["JNIM", "Other", "Other", "Militia"]


def test_jnim_isgs_clashes_are_ringed_whoever_is_actor1(data, layers):
    figure = map_figure(data.frame, View(), layers)
    rings = [t for t in figure.data if t.name == CLASH_LABEL]
    # Plotly's legend would draw the ring as a dot: the page's map key draws it (dashboard.page.layout)
    assert len(rings) == 2 and [t.showlegend for t in rings] == [False, False]
    clash = data.frame[((data.frame["group1"] == "JNIM") & (data.frame["group2"] == "ISGS"))
                       | ((data.frame["group1"] == "ISGS") & (data.frame["group2"] == "JNIM"))]
    assert len(clash) >= 2 and set(clash["group1"]) == {"JNIM", "ISGS"}
    assert sorted(zip(rings[0].lon, rings[0].lat, strict=True)) == sorted(
        zip(clash["longitude"].astype("float32"), clash["latitude"].astype("float32"), strict=True))
    # wider than the point they ring, in screen pixels, so they show at any zoom
    points = {(round(lo, 4), round(la, 4)): s for t in point_traces(figure)
              for lo, la, s in zip(t.lon, t.lat, t.marker.size, strict=True)}
    for lo, la, outer, inner in zip(rings[0].lon, rings[0].lat, rings[0].marker.size, rings[1].marker.size,
                                    strict=True):
        assert outer > inner > points[(round(lo, 4), round(la, 4))]
    assert figure.data.index(rings[0]) < min(figure.data.index(t) for t in point_traces(figure))
    # the outer ring is hoverable and clickable: it carries its event's hover, event id first (the card reads it)
    assert rings[0].hoverinfo != "skip" and sorted(c[0] for c in rings[0].customdata) == sorted(clash["event_id"])
    assert rings[1].hoverinfo == "skip"
    # event-type colouring keeps its own palette, and the rings
    by_type = map_figure(data.frame, View(colour="type"), layers)
    types = legend_entries(by_type)
    assert types == {name: EVENT_TYPE_COLOURS[name] for name in types}
    assert set(types) == set(data.frame["event_type"].dropna())
    kinds = dict(zip(data.frame["event_id"].astype(str), data.frame["event_type"], strict=True))
    (trace,) = point_traces(by_type)
    assert shown_colours(trace) == [EVENT_TYPE_COLOURS[kinds[row[0]]] for row in trace.customdata]
    assert CLASH_LABEL in {t.name for t in by_type.data}


def test_offline_style_draws_names_from_our_own_served_files(data, layers):
    figure = map_figure(data.frame, View(), layers)
    assert figure.layout.map.style == BASEMAP_STYLE == "/basemap/style.json"  # by address: 30 bytes an update
    style = basemap.offline_style()
    assert style["glyphs"] == "/glyphs/{fontstack}/{range}.pbf"
    assert "sprite" not in style
    # every source is an address on this server, never inline data and never another host
    assert all(src["type"] == "geojson" and src["data"].startswith("/") for src in style["sources"].values())
    strings = list(walk_strings(figure.to_plotly_json()))
    assert not [s for s in strings if "http" in s.lower()]
    symbols = [layer for layer in style["layers"] if layer["type"] == "symbol"]
    assert {layer["source"] for layer in symbols} >= {"towns", "rivers", "admin1-labels", "country-labels"}
    assert all(layer["layout"]["text-font"] == [basemap.FONT] for layer in symbols)
    assert not [layer for layer in style["layers"] if "icon-image" in layer.get("layout", {})]  # icons are fetched
    # events are drawn under the labels so names stay readable
    assert all(t.below == basemap.LABELS_START for t in point_traces(figure))
    assert all(t.mode == "markers" for t in figure.data)
    online = map_figure(data.frame, View(), layers, style="open-street-map")
    assert online.layout.map.style == "open-street-map"
    assert not [t for t in online.data if t.below]  # an online style has no layer of ours to sit under


def test_boundaries_are_drawn_below_the_points(data, layers):
    # On our style the boundary lines are layers of the style itself, so they load with the basemap; the events
    # are drawn just under the labels, above them.
    style = basemap.offline_style()
    order = [layer["id"] for layer in style["layers"]]
    lines = [layer for layer in style["layers"] if layer.get("source") in ("admin1", "neighbours", "focus")]
    assert [layer["type"] for layer in lines] == ["line"] * 3
    assert all(order.index(layer["id"]) < order.index(basemap.LABELS_START) for layer in lines)
    assert {name: style["sources"][name]["data"] for name in ("admin1", "neighbours", "focus")} == {
        "admin1": "/boundaries/admin1.geojson", "neighbours": "/boundaries/neighbours.geojson",
        "focus": "/boundaries/focus.geojson"}
    assert not map_figure(data.frame, View(), layers).layout.map.layers  # the figure carries none of its own
    # An online style has no boundaries of ours: the figure brings them, below its traces.
    map_layers = map_figure(data.frame, View(), layers, style="open-street-map").layout.map.layers
    assert len(map_layers) == 3
    assert all(layer.below == "traces" for layer in map_layers)
    sources = [layer.source for layer in map_layers]
    assert layers.admin1 in sources and layers.focus in sources


def test_served_layers_are_referred_to_by_address(data, layers):
    served = layers.served_at("/boundaries/")
    map_layers = map_figure(data.frame, View(), served, style="open-street-map").layout.map.layers
    assert sorted(layer.source for layer in map_layers) == [
        "/boundaries/admin1.geojson", "/boundaries/focus.geojson", "/boundaries/neighbours.geojson"]
    totals = region_totals(data, data.rows(View()))
    assert regions_figure(totals, View(mode="regions"), served).data[0].geojson == "/boundaries/admin1.geojson"


def test_the_offline_style_changes_paint_at_once(data, layers):
    """MapLibre animates paint changes over 300 ms by default, drawing a frame each time; a software-WebGL frame
    costs tens of milliseconds, so a new view is drawn in one go instead."""
    assert basemap.offline_style()["transition"] == {"duration": 0, "delay": 0}


def test_region_and_country_names_are_label_points(layers):
    names = {f["properties"]["name"] for f in layers.admin1_labels["features"]}
    assert {"Tillabéri", "Gao", "Soum"} <= names
    assert len(layers.admin1_labels["features"]) == len(layers.region_ids)
    countries = {f["properties"]["name"]: f["properties"]["focus"] for f in layers.country_labels["features"]}
    assert countries["Mali"] is True and countries.get("Niger") is True


def test_without_a_user_position_the_map_is_fitted_to_the_events(data, layers):
    figure = map_figure(data.frame, View(), layers)
    frame = next(t for t in figure.data if t.name == FRAME)
    assert figure.layout.map.center.lon is None and figure.layout.map.zoom is None
    assert figure.layout.map.fitbounds == "locations"
    assert frame.marker.opacity == 0 and frame.hoverinfo == "skip" and frame.showlegend is False
    lon, lat = data.frame["longitude"], data.frame["latitude"]
    # the events' box, with a town label's room on each side (FRAME_MARGIN)
    across, down = (lon.max() - lon.min()) * FRAME_MARGIN[0], (lat.max() - lat.min()) * FRAME_MARGIN[1]
    assert min(frame.lon) == pytest.approx(lon.min() - across, abs=1e-4)
    assert max(frame.lon) == pytest.approx(lon.max() + across, abs=1e-4)
    assert min(frame.lat) == pytest.approx(lat.min() - down, abs=1e-4)
    assert max(frame.lat) == pytest.approx(lat.max() + down, abs=1e-4)
    # a given frame (Play's whole span) wins over the events drawn
    steady = map_figure(data.filter(View(q="solhan")), View(), layers, frame_to=(-6.0, 10.0, 4.0, 20.0))
    assert list(next(t for t in steady.data if t.name == FRAME).lon) == [-6.0, 4.0]


def test_a_frame_is_never_smaller_than_a_degree_and_fits_on_the_server_when_needed():
    assert frame_box(np.array([1.0]), np.array([14.0])) == pytest.approx((0.4, 13.45, 1.6, 14.55))
    assert frame_box(np.array([np.nan]), np.array([np.nan])) is None
    (center, zoom_bf) = fit_position((-5.5, 9.4, 2.4, 15.1))
    assert center["lon"] == pytest.approx(-1.55) and 9.4 < center["lat"] < 15.1
    _, zoom_region = fit_position((-12.0, 9.0, 16.0, 25.0))
    assert zoom_region < zoom_bf < 8


def test_empty_view_gives_a_figure_with_a_message(data, layers):
    empty = data.filter(View(country=("TD",)))
    for figure in (
        map_figure(empty, View(), layers),
        map_figure(empty, View(colour="type"), layers, selected_id="acled:6"),
        regions_figure(region_totals(data, data.rows(View(country=("TD",)))), View(mode="regions"), layers),
        timeline_figure(monthly_by_family(data, data.rows(View(country=("TD",)))), View()),
    ):
        assert [a.text for a in figure.layout.annotations] == [NO_EVENTS]
        json.dumps(figure.to_plotly_json(), default=str)


def test_selected_event_is_highlighted_and_centred(data, layers):
    figure = map_figure(data.frame, View(), layers, selected_id="seed:3")
    selected = [t for t in figure.data if t.name == SELECTED_LABEL]
    assert len(selected) == 3 and selected[0].customdata[0][0] == "seed:3"
    assert selected[0].marker.size > selected[1].marker.size > selected[2].marker.size
    assert FRAME not in {t.name for t in figure.data}  # centred on the event, not fitted
    assert figure.layout.map.center.lat == pytest.approx(15.23333)
    assert figure.layout.map.zoom == 7
    assert not [t for t in map_figure(data.frame, View(), layers, selected_id="nope:1").data
                if t.name == "selected event"]


def test_user_zoom_survives_filter_changes_but_not_a_new_selection(data, layers):
    a = map_figure(data.frame, View(), layers).layout.uirevision
    b = map_figure(data.filter(View(country=("ML",))), View(country=("ML",)), layers).layout.uirevision
    c = map_figure(data.frame, View(), layers, selected_id="seed:3").layout.uirevision
    assert a == b != c


def test_a_map_selection_is_the_frame(data, layers):
    view = View(bbox=(-6.0, 13.0, -2.0, 16.0))
    figure = map_figure(data.filter(view), view, layers, frame_to=frame_for(data, view))
    frame = next(t for t in figure.data if t.name == FRAME)
    assert list(frame.lon) == [-6.0, -2.0] and list(frame.lat) == [13.0, 16.0]
    # a choropleth cannot be fitted by Plotly: the server centres it on the frame
    regions = regions_figure(region_totals(data, data.rows(view)), view.with_(mode="regions"), layers,
                             frame_to=view.bbox)
    assert regions.layout.map.center.lon == pytest.approx(-4.0) and regions.layout.map.zoom > 5


def test_hover_text_is_shown_literally(layers):
    frame = sample_events().iloc[:1].copy()
    frame["actor1"] = "<b>bold</b> & co"
    frame["location"] = "<img src=x onerror=alert(1)>"
    trace = point_traces(map_figure(EventData.from_frame(frame).frame, View(), layers))[0]
    row = trace.customdata[0]
    assert "<img" not in row[2] and "&lt;img" in row[2]
    frame["event_type"] = "<b>Raid</b> & co"
    row = point_traces(map_figure(EventData.from_frame(frame).frame, View(), layers))[0].customdata[0]
    assert "<b>" not in row[4] and row[4].startswith("&lt;b&gt;Raid")


def test_regions_count_events_and_fatalities_with_zeros(data, layers):
    totals = region_totals(data, data.rows(View()))
    counts = region_counts(totals, layers.region_ids).set_index("region_id")
    assert counts.loc["NE|Niamey", "events"] == 0
    assert counts.loc["NE|Tillabéri", "events"] == 7
    assert counts.loc["ML|Gao", "unknown_fatalities"] == 1
    figure = regions_figure(totals, View(mode="regions"), layers)
    trace = figure.data[0]
    assert trace.type == "choroplethmap" and trace.featureidkey == "properties.region_id"
    z = dict(zip(trace.locations, trace.z, strict=True))
    assert set(z) == set(layers.region_ids)
    assert z["NE|Niamey"] == 0 and z["NE|Tillabéri"] == 7
    feature_ids = {f["properties"]["region_id"] for f in trace.geojson["features"]}
    assert set(trace.locations) <= feature_ids
    assert "2 events outside the mapped regions" in figure.layout.annotations[0].text
    deaths = dict(zip(*(lambda t: (t.locations, t.z))(
        regions_figure(totals, View(mode="regions", metric="fatalities"), layers).data[0]), strict=True))
    tillaberi = data.frame[data.frame["admin1"] == "Tillabéri"]["fatalities"].sum()
    assert deaths["NE|Tillabéri"] == tillaberi


def test_timeline_stacks_events_per_month_by_family(data):
    figure = timeline_figure(monthly_by_family(data, data.rows(View())), View())
    assert figure.layout.barmode == "stack"
    assert figure.layout.dragmode == "select" and figure.layout.selectdirection == "h"
    assert sum(int(np.sum(t.y)) for t in figure.data) == 30
    names = [t.name for t in figure.data]
    assert names[:2] == ["JNIM", "ISGS"]
    assert {t.name: t.marker.color for t in figure.data} == {n: FAMILY_COLOURS[n] for n in names}
    jnim = next(t for t in figure.data if t.name == "JNIM")
    june_2022 = [y for x, y in zip(jnim.x, jnim.y, strict=True) if pd.Timestamp(x) == pd.Timestamp("2022-06-01")]
    assert june_2022 == [2]


def test_the_timeline_families_are_named_by_the_pages_own_legend(data):
    """Plotly's legend costs the timeline a second layout pass on every draw; the page names the families in the
    same colours above it instead."""
    from dashboard.page.ids import TIMELINE
    from dashboard.page.layout import build_layout

    assert timeline_figure(monthly_by_family(data, data.rows(View())), View()).layout.showlegend is False
    page = build_layout(data.options(), 1, None)
    timeline = next(c for c in page._traverse() if getattr(c, "id", None) == TIMELINE)
    box = next(c for c in page._traverse() if isinstance(getattr(c, "children", None), list) and timeline in c.children)
    legends = {c.to_plotly_json()["props"]["data-colour"]: c for c in box.children
               if "timeline-legend" in getattr(c, "className", "")}
    assert set(legends) == set(COLOURS)
    for mode, legend in legends.items():
        shown = {item.children[1]: item.children[0].style["background"] for item in legend.children}
        assert shown == palette(mode) and list(shown) == list(palette(mode))
    assert list(palette("actor")) == list(FAMILY_COLOURS)


def test_real_bundled_boundaries_become_small_geojson_layers():
    layers = boundary_layers(Boundaries.load())
    assert {f["id"] for f in layers.focus["features"]} == {"ML", "BF", "NE"}
    assert len(layers.neighbours["features"]) >= 5
    assert len(layers.region_ids) == len(set(layers.region_ids)) == len(layers.admin1["features"])
    assert all(r.split("|")[0] in {"ML", "BF", "NE"} for r in layers.region_ids)
    assert len(json.dumps(layers.admin1)) < 1_000_000
    points = layers.labels
    assert points["lon"].between(-13, 16).all() and points["lat"].between(4, 26).all()


def test_event_type_names_from_the_data_are_shown_literally_in_the_legend(layers):
    frame = sample_events().iloc[:2].copy()
    frame["event_type"] = ["<b>Raid</b> & co", "Battles"]
    names = set(legend_entries(map_figure(EventData.from_frame(frame).frame, View(colour="type"), layers)))
    # a type the palette does not name is one of the "Other types" (the page's legend names every colour)
    assert names == {"Other types", "Battles"}


def test_a_timeline_comes_with_the_views_window_shaded_as_the_page_shades_it(data):
    """The page shades the window on a slider move (assets/app.js shadeWindow); a timeline the server sends carries
    the same shape, so the page does not draw the timeline a second time only to add it (issue 19)."""
    import datetime as dt

    from dashboard.render.parts import timeline_for

    def windows(view):
        return [(s.x0, s.x1) for s in timeline_for(data, view).layout.shapes if s.name == "window"]

    assert windows(View()) == []  # the whole range is not shaded
    assert windows(View(start=dt.date(2021, 3, 5), end=dt.date(2022, 6, 30))) == [("2021-03-05", "2022-07-01")]
    first, last = data.months()[0], data.months()[-1]
    open_end = windows(View(start=dt.date(2021, 3, 5)))
    assert open_end == [("2021-03-05", (pd.Timestamp(last) + pd.offsets.MonthBegin(1)).strftime("%Y-%m-%d"))]
    assert windows(View(end=dt.date(2022, 6, 30))) == [(pd.Timestamp(first).strftime("%Y-%m-%d"), "2022-07-01")]
    shape = next(s for s in timeline_for(data, View(start=dt.date(2021, 3, 5))).layout.shapes if s.name == "window")
    assert (shape.fillcolor, shape.line.color, shape.layer) == ("rgba(31, 111, 139, 0.14)", "#1f6f8b", "below")
