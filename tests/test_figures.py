"""Figures are pure: sample events + a view + boundary layers in, a Plotly figure out."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.aggregate import monthly_by_family, region_totals
from dashboard.events import EventData
from dashboard.figures import (
    DYAD_COLOURS,
    FADED_OPACITY,
    FAMILY_COLOURS,
    FULL_OPACITY,
    NO_EVENTS,
    OFFLINE_STYLE,
    UNKNOWN_LABEL,
    boundary_layers,
    dyad_labels,
    map_figure,
    marker_sizes,
    region_counts,
    regions_figure,
    timeline_figure,
)
from dashboard.view import View
from geodata.boundaries import Boundaries
from tests.fixtures.sample_events import sample_events


def point_traces(figure):
    return [t for t in figure.data if t.type == "scattermap" and t.name not in ("regions", "selected event")]


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
    shown = [row[0] for t in traces for row in t.customdata]
    assert sorted(shown) == sorted(data.frame["event_id"].astype(str))
    assert all(t.type == "scattermap" for t in figure.data)  # MapLibre, not the deprecated scattermapbox
    assert "%{customdata[0]}" in traces[0].hovertemplate


def test_unknown_fatalities_get_their_own_visible_marker(data, layers):
    traces = {t.name: t for t in point_traces(map_figure(data.frame, View(), layers))}
    unknown = traces[UNKNOWN_LABEL]
    assert len(unknown.lat) == 5
    assert min(unknown.marker.size) > 0
    assert {row[4] for row in unknown.customdata} == {"unknown"}
    for name, trace in traces.items():
        if name != UNKNOWN_LABEL:
            assert "unknown" not in {row[4] for row in trace.customdata}
            assert min(trace.marker.size) > 0


def test_size_grows_with_the_square_root_and_is_clamped():
    sizes = marker_sizes(pd.Series([0, 1, 100, 400, 100_000, pd.NA], dtype="Int64"))
    assert sizes[0] < sizes[1] < sizes[2] < sizes[3] == sizes[4]
    assert sizes[2] - sizes[0] == pytest.approx(10 * (sizes[1] - sizes[0]))  # square root: 100 deaths, 10x of 1
    assert sizes[5] > 0


def test_imprecise_locations_are_faded_and_say_so(data, layers):
    precision = dict(zip(data.frame["event_id"].astype(str), data.frame["geo_precision"].astype(int), strict=True))
    seen = set()
    for trace in point_traces(map_figure(data.frame, View(), layers)):
        for row, opacity in zip(trace.customdata, trace.marker.opacity, strict=True):
            level = precision[row[0]]
            assert opacity == (FADED_OPACITY if level >= 3 else FULL_OPACITY)
            assert row[5].startswith(f"{level} (")
            seen.add(level)
    assert seen == {1, 2, 3, 4}


def test_colour_by_actor_dyad_or_by_event_type(data, layers):
    by_actor = {t.name: t for t in point_traces(map_figure(data.frame, View(colour="actor"), layers))}
    assert "JNIM vs ISGS" in by_actor
    assert by_actor["JNIM vs ISGS"].marker.color == DYAD_COLOURS["JNIM vs ISGS"]
    # ISGS attacking JNIM and JNIM attacking ISGS are one dyad
    assert len(by_actor["JNIM vs ISGS"].lat) == 2 and "ISGS vs JNIM" not in by_actor
    by_type = {t.name for t in point_traces(map_figure(data.frame, View(colour="type"), layers))}
    assert by_type == {"Battles", "Violence against civilians", "Explosions/Remote violence", UNKNOWN_LABEL}
    # a colour does not depend on which other events are in view
    few = {t.name: t for t in point_traces(map_figure(data.filter(View(q="talataye")), View(), layers))}
    assert few["JNIM vs ISGS"].marker.color == DYAD_COLOURS["JNIM vs ISGS"]


def test_dyad_labels_order_families_and_keep_lone_actors(data):
    labels = dict(zip(data.frame["event_id"].astype(str), dyad_labels(data.frame), strict=True))
    assert labels["acled:7"] == labels["acled:6"] == "JNIM vs ISGS"
    assert labels["ucdp:8"] == "Other vs Civilians"
    assert labels["acled:20"] == "JNIM"


def test_offline_style_fetches_nothing(data, layers):
    figure = map_figure(data.frame, View(), layers)
    style = figure.layout.map.style
    assert style == OFFLINE_STYLE
    assert not {"glyphs", "sprite"} & set(style)
    assert all(set(source) == {"type", "data"} for source in style["sources"].values())  # inline data, no URLs
    strings = list(walk_strings(figure.to_plotly_json()))
    assert not [s for s in strings if "http" in s.lower()]
    assert all(layer.type == "line" and layer.sourcetype == "geojson" for layer in figure.layout.map.layers)
    assert all(t.mode == "markers" for t in figure.data)  # no text drawn: MapLibre would fetch glyphs
    online = map_figure(data.frame, View(), layers, style="open-street-map")
    assert online.layout.map.style == "open-street-map"


def test_boundaries_are_drawn_below_the_points(data, layers):
    map_layers = map_figure(data.frame, View(), layers).layout.map.layers
    assert len(map_layers) == 3
    assert all(layer.below == "traces" for layer in map_layers)
    sources = [layer.source for layer in map_layers]
    assert layers.admin1 in sources and layers.focus in sources


def test_served_layers_are_referred_to_by_address(data, layers):
    served = layers.served_at("/boundaries/")
    map_layers = map_figure(data.frame, View(), served).layout.map.layers
    assert sorted(layer.source for layer in map_layers) == [
        "/boundaries/admin1.geojson", "/boundaries/focus.geojson", "/boundaries/neighbours.geojson"]
    totals = region_totals(data, data.rows(View()))
    assert regions_figure(totals, View(mode="regions"), served).data[0].geojson == "/boundaries/admin1.geojson"


def test_region_names_are_in_hovers(data, layers):
    regions = next(t for t in map_figure(data.frame, View(), layers).data if t.name == "regions")
    assert "Tillabéri, Niger" in regions.text
    assert len(regions.lat) == len(layers.region_ids)


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
    selected = [t for t in figure.data if t.name == "selected event"]
    assert len(selected) == 2 and selected[0].customdata[0][0] == "seed:3"
    assert selected[0].marker.size > selected[1].marker.size
    assert figure.layout.map.center.lat == pytest.approx(15.23333)
    assert figure.layout.map.zoom == 7
    assert not [t for t in map_figure(data.frame, View(), layers, selected_id="nope:1").data
                if t.name == "selected event"]


def test_user_zoom_survives_filter_changes_but_not_a_new_selection(data, layers):
    a = map_figure(data.frame, View(), layers).layout.uirevision
    b = map_figure(data.filter(View(country=("ML",))), View(country=("ML",)), layers).layout.uirevision
    c = map_figure(data.frame, View(), layers, selected_id="seed:3").layout.uirevision
    assert a == b != c


def test_bbox_view_centres_the_map(data, layers):
    figure = map_figure(data.frame, View(bbox=(-6.0, 13.0, -2.0, 16.0)), layers)
    assert figure.layout.map.center.lon == pytest.approx(-4.0)
    assert figure.layout.map.center.lat == pytest.approx(14.5)


def test_hover_text_is_shown_literally(layers):
    frame = sample_events().iloc[:1].copy()
    frame["actor1"] = "<b>bold</b> & co"
    frame["location"] = "<img src=x onerror=alert(1)>"
    trace = point_traces(map_figure(EventData.from_frame(frame).frame, View(), layers))[0]
    row = trace.customdata[0]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in row[3]
    assert "<img" not in row[2] and "&lt;img" in row[2]


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
    assert {t.name: t.marker.color for t in figure.data}["Wagner Group"] == FAMILY_COLOURS["Wagner Group"]
    jnim = next(t for t in figure.data if t.name == "JNIM")
    june_2022 = [y for x, y in zip(jnim.x, jnim.y, strict=True) if pd.Timestamp(x) == pd.Timestamp("2022-06-01")]
    assert june_2022 == [2]


def test_real_bundled_boundaries_become_small_geojson_layers():
    layers = boundary_layers(Boundaries.load())
    assert {f["id"] for f in layers.focus["features"]} == {"ML", "BF", "NE"}
    assert len(layers.neighbours["features"]) >= 5
    assert len(layers.region_ids) == len(set(layers.region_ids)) == len(layers.admin1["features"])
    assert all(r.split("|")[0] in {"ML", "BF", "NE"} for r in layers.region_ids)
    assert len(json.dumps(layers.admin1)) < 1_000_000
    points = layers.labels
    assert points["lon"].between(-13, 16).all() and points["lat"].between(4, 26).all()
