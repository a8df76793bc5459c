"""What a view shows: group-bys on codes, the points-or-bins map choice, viewports, and the whole render."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from dash._utils import to_json

from dashboard.model import aggregate
from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.model.viewport import Viewport
from dashboard.page.controls import map_viewport, needs_viewport
from dashboard.render import parts
from dashboard.render.figures import map_revision
from tests.fixtures.sample_events import sample_events

D = datetime.date


@pytest.fixture(scope="module")
def many() -> EventData:
    """60,000 events: the 30 sample events repeated with small seeded offsets, for limits and payloads."""
    rng = np.random.default_rng(7)
    frame = pd.concat([sample_events()] * 2000, ignore_index=True)
    frame["event_id"] = [f"many:{i}" for i in range(len(frame))]
    frame["longitude"] += rng.uniform(-0.2, 0.2, len(frame))
    frame["latitude"] += rng.uniform(-0.2, 0.2, len(frame))
    return EventData.from_frame(frame)


def traces(figure, kind: str) -> list:
    if kind == "bins":
        return [t for t in figure.data if (t.name or "").endswith(" bin")]
    extras = ("regions", "selected event", "frame", "JNIM–ISGS clash")  # not the events themselves
    return [t for t in figure.data if t.name not in extras and not t.name.endswith(" bin")
            and t.visible != "legendonly"]  # legend entries draw nothing


# -- group-bys on codes --------------------------------------------------------------------------------------


def test_monthly_counts_match_a_pandas_crosstab(data):
    rows = data.rows(View(country=("ML", "BF")))
    table = aggregate.monthly_by_family(data, rows)
    frame = data.take(rows)
    expected = pd.crosstab(frame["date_start"].dt.to_period("M").dt.to_timestamp(),
                           frame["group1"].astype("string").fillna("Unknown actor"))
    assert table.to_numpy().sum() == len(rows)
    for family in expected.columns:
        got = table[family][table[family] > 0]
        want = expected[family][expected[family] > 0]
        assert list(got.index) == list(want.index) and list(got) == list(want)
    assert list(table.columns[:2]) == ["JNIM", "ISGS"]
    assert aggregate.monthly_by_family(data, rows[:0]).empty


def test_region_totals_match_a_pandas_groupby(data):
    rows = data.rows(View())
    totals = aggregate.region_totals(data, rows).set_index(["country_iso2", "admin1"])
    frame = data.frame
    gao = frame[frame["admin1"] == "Gao"]
    assert totals.loc[("ML", "Gao"), "events"] == len(gao)
    assert totals.loc[("ML", "Gao"), "fatalities"] == gao["fatalities"].sum()
    assert totals.loc[("ML", "Gao"), "unknown_fatalities"] == gao["fatalities"].isna().sum()
    assert totals.loc[("ML", "Gao"), "first_date"] == gao["date_start"].min()
    assert totals["events"].sum() == 30


def test_bins_hold_every_located_event_once_and_align_to_the_cell(data):
    rows = data.rows(View())
    bins = aggregate.grid_bins(data.columns, rows, 0.25)
    assert bins["events"].sum() == 30
    assert bins["fatalities"].sum() == data.frame["fatalities"].sum()
    assert bins["unknown_fatalities"].sum() == 5
    assert np.allclose((bins["lon"] / 0.25 - 0.5) % 1, 0) and np.allclose((bins["lat"] / 0.25 - 0.5) % 1, 0)
    # the same two events at one place (Djibo: ucdp:8 and text:18) share a bin
    assert bins["events"].max() >= 2
    coarse = aggregate.grid_bins(data.columns, rows, 4.0)
    assert len(coarse) < len(bins) and coarse["events"].sum() == 30


def test_bin_size_follows_the_zoom():
    assert aggregate.bin_size(4.2) == 0.25
    assert aggregate.bin_size(5.2) == 0.125
    assert aggregate.bin_size(10) < aggregate.bin_size(6) < aggregate.bin_size(3)


# -- viewports -----------------------------------------------------------------------------------------------


def test_viewport_from_relayout_data():
    relayout = {
        "map.center": {"lon": 1.0, "lat": 15.0}, "map.zoom": 8.5, "map.bearing": 0, "map.pitch": 0,
        "map._derived": {"coordinates": [[0.0, 16.0], [2.0, 16.0], [2.0, 14.0], [0.0, 14.0]]},
    }
    port = Viewport.from_relayout(relayout)
    assert port == Viewport(8.5, 0.0, 14.0, 2.0, 16.0, 1.0, 15.0)
    assert port.padded(0.5) == Viewport(8.5, -1.0, 13.0, 3.0, 17.0, 1.0, 15.0)
    assert Viewport.from_relayout({"map.center": {"lon": 1, "lat": 2}}) is None  # a pan without zoom data
    assert Viewport.from_relayout({"autosize": True}) is None
    assert Viewport.from_relayout(None) is None


def test_viewport_around_a_centre_shrinks_as_the_zoom_grows():
    wide = Viewport.around({"lon": 0.0, "lat": 15.0}, 4.2)
    close = Viewport.around({"lon": 0.0, "lat": 15.0}, 9.0)
    assert wide.west < close.west < 0 < close.east < wide.east
    assert close.south < 15 < close.north


def test_a_reported_viewport_counts_only_for_the_map_it_came_from():
    view = View(country=("ML",))
    relayout = {"map.center": {"lon": 1.0, "lat": 15.0}, "map.zoom": 8.0,
                "map._derived": {"coordinates": [[0.0, 16.0], [2.0, 16.0], [2.0, 14.0], [0.0, 14.0]]}}
    seen = {"rev": map_revision(view, None), "relayout": relayout}
    assert map_viewport(seen, view.with_(event_type=("Battles",)), None).zoom == 8.0  # filters keep the map
    assert map_viewport(seen, view.with_(bbox=(0.0, 14.0, 1.0, 15.0)), None) is None  # a selection re-centres
    assert map_viewport(seen, view, "acled:6") is None
    assert map_viewport(None, view, None) is None
    assert needs_viewport(View(), 30, 10) and not needs_viewport(View(), 30, 30)
    assert not needs_viewport(View(mode="regions"), 30, 10)


def test_within_keeps_the_rows_inside_the_bounds(data):
    rows = data.rows(View())
    inside = aggregate.within(data.columns, rows, Viewport(8, 1.0, 14.5, 2.0, 15.5, 1.5, 15.0))
    assert set(data.take(inside)["event_id"]) == {"curated:1", "seed:3", "acled:10"}


# -- the map: points or bins ---------------------------------------------------------------------------------


def test_the_map_is_aggregated_above_the_limit_and_points_below(data, layers):
    binned = parts.map_for(data, View(), layers, max_points=10)
    assert len(traces(binned, "bins")) == 1 and traces(binned, "points") == []
    counts = traces(binned, "bins")[0].customdata
    assert int(np.asarray(counts)[:, 0].sum()) == 30  # the bins' counts sum to the filtered count
    assert binned.layout.annotations[0].text.startswith("Aggregated: 30 events in ")
    assert traces(binned, "bins")[0].marker.colorbar.title.text == "events per bin"  # the legend
    fatalities = parts.map_for(data, View(metric="fatalities"), layers, max_points=10)
    assert traces(fatalities, "bins")[0].name.startswith("fatalities per ")
    points = parts.map_for(data, View(), layers, max_points=30)
    assert traces(points, "bins") == [] and sum(len(t.lon) for t in traces(points, "points")) == 30
    few = parts.map_for(data, View(country=("NE",)), layers, max_points=10)  # filtered below the limit
    assert sum(len(t.lon) for t in traces(few, "points")) == 8


def test_bins_of_a_filtered_view_sum_to_its_count(many, layers):
    view = View(country=("ML", "BF"), start=D(2019, 1, 1), end=D(2022, 12, 31))
    figure = parts.map_for(many, view, layers, max_points=1000)
    assert int(np.asarray(traces(figure, "bins")[0].customdata)[:, 0].sum()) == len(many.rows(view))


def test_zooming_in_brings_points_back(many, layers):
    zoomed_out = parts.map_for(many, View(), layers, max_points=5000)
    assert traces(zoomed_out, "bins")
    close = Viewport.around({"lon": 1.6, "lat": 15.0}, 11.0)
    zoomed_in = parts.map_for(many, View(), layers, max_points=5000, viewport=close)
    shown = traces(zoomed_in, "points")
    assert shown and not traces(zoomed_in, "bins")
    lon = np.concatenate([np.asarray(t.lon) for t in shown])
    padded = close.padded()
    assert 0 < len(lon) <= 5000 and ((lon >= padded.west) & (lon <= padded.east)).all()
    assert "in and around the map's view" in zoomed_in.layout.annotations[0].text
    assert zoomed_in.layout.map.zoom == pytest.approx(11.0)  # drawn where the user is, not where the view opens


def test_points_and_bins_payloads_stay_small(many, layers):
    limit = 20_000
    wide = parts.map_for(many, View(), layers, max_points=limit)
    assert len(to_json(wide)) < 300_000
    many_points = parts.map_for(many, View(start=D(2017, 1, 1), end=D(2020, 12, 31)), layers, max_points=limit)
    count = sum(len(t.lon) for t in traces(many_points, "points"))
    assert 10_000 < count <= limit
    assert len(to_json(many_points)) / count < 80  # bytes a point: the 1.5 MB budget allows 75 at 20,000


def test_the_map_frames_the_views_events_and_play_keeps_one_frame(data, layers):
    def frame(figure):
        trace = next(t for t in figure.data if t.name == "frame")
        return (min(trace.lon), min(trace.lat), max(trace.lon), max(trace.lat))

    bf = data.filter(View(country=("BF",)))
    west, south, east, north = frame(parts.map_for(data, View(country=("BF",)), layers))
    assert west <= bf["longitude"].min() and east >= bf["longitude"].max()
    assert south <= bf["latitude"].min() and north >= bf["latitude"].max()
    assert east - west < 8 and north - south < 8  # Burkina Faso, not the whole region
    # Play: every window of the same filters gets the frame of the whole play, so the map holds still
    windows = [View(country=("BF",), start=D(y, 1, 1), end=D(y, 3, 31)) for y in (2021, 2022, 2023)]
    frames = {frame(parts.map_for(data, w, layers, steady=True)) for w in windows}
    assert frames == {(west, south, east, north)}
    # a user who moved the map keeps it: no frame, their centre and zoom
    moved = Viewport.around({"lon": 0.0, "lat": 14.0}, 6.0)
    kept = parts.map_for(data, View(country=("BF",)), layers, viewport=moved)
    assert "frame" not in {t.name for t in kept.data} and kept.layout.map.zoom == 6.0
    # regions are centred by the server on the same frame
    regions = parts.map_for(data, View(country=("BF",), mode="regions"), layers)
    assert west < regions.layout.map.center.lon < east


def test_render_view_gives_every_part_of_the_page(data, layers):
    shown = parts.render_view(data, View(country=("BF",)), layers)
    assert shown.count == len(data.rows(View(country=("BF",)))) == len(shown.first_block)
    assert shown.counter.startswith(f"{shown.count} events")
    assert {r["country_iso2"] for r in shown.region_rows} == {"BF"}
    assert sum(int(np.sum(t.y)) for t in shown.timeline.data) == shown.count

