"""One colour mode for the page, in colours that stay apart under colour-vision deficiencies (issue 24).

Distinctness is checked with a real simulation: the Machado, Oliveira & Fernandes (2009) matrices for full
protanopia, deuteranopia and tritanopia applied in linear RGB, then the CIE76 colour difference (ΔE*ab) in CIELAB.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from dashboard.model import aggregate
from dashboard.model.events import EventData
from dashboard.model.view import COLOURS, View
from dashboard.render.figures import (
    DATASET_COLOURS,
    DATASET_NAMES,
    EVENT_TYPE_COLOURS,
    FAMILY_COLOURS,
    HOVER_CHARS,
    SELECTED_RING,
    colour_labels,
    map_figure,
    palette,
    timeline_figure,
)
from dashboard.render.parts import timeline_for
from tests.fixtures.map_traces import legend_entries, point_traces, shown_colours
from tests.fixtures.sample_events import sample_events

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
    "normal vision": np.eye(3).tolist(),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
D65 = np.array([0.95047, 1.0, 1.08883])
MIN_DELTA_E = 10.0  # about the difference of two clearly different map colours at a glance


def linear_rgb(colour: str) -> np.ndarray:
    channels = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ np.clip(linear, 0, 1) / D65
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_difference(a: str, b: str, vision: str) -> float:
    """ΔE*ab between two colours as a viewer with ``vision`` sees them."""
    matrix = np.array(MACHADO[vision])
    return float(np.linalg.norm(lab(matrix @ linear_rgb(a)) - lab(matrix @ linear_rgb(b))))


def test_the_simulation_tells_the_old_riots_and_protests_apart_only_with_normal_vision():
    """The colours the issue found indistinct: the check below can fail."""
    old_riots, old_protests = "#8c564b", "#2e8b57"
    assert seen_difference(old_riots, old_protests, "normal vision") > 50
    assert seen_difference(old_riots, old_protests, "deuteranopia") < MIN_DELTA_E


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("mode", ["type", "dataset"])
def test_every_pair_of_a_modes_colours_stays_apart(mode, vision):
    colours = palette(mode)
    worst = min(combinations(colours, 2), key=lambda p: seen_difference(colours[p[0]], colours[p[1]], vision))
    assert seen_difference(colours[worst[0]], colours[worst[1]], vision) >= MIN_DELTA_E, (mode, vision, worst)


def test_riots_and_protests_are_far_apart_under_deuteranopia():
    assert seen_difference(EVENT_TYPE_COLOURS["Riots"], EVENT_TYPE_COLOURS["Protests"], "deuteranopia") > 30


@pytest.mark.parametrize("vision", list(MACHADO))
def test_the_picked_event_ring_is_no_familys_colour(vision):
    used = {*FAMILY_COLOURS.values(), *EVENT_TYPE_COLOURS.values(), *DATASET_COLOURS.values()}
    assert SELECTED_RING.upper() not in {c.upper() for c in used}
    assert min(seen_difference(SELECTED_RING, c, vision) for c in FAMILY_COLOURS.values()) >= MIN_DELTA_E


@pytest.fixture(scope="module")
def data() -> EventData:
    return EventData.from_frame(sample_events())


@pytest.mark.parametrize("mode", COLOURS)
def test_map_and_timeline_colour_by_the_same_mode(data, mode):
    view = View(colour=mode)
    figure = map_figure(data.frame, view, None)
    points = legend_entries(figure)
    bars = {t.name: t.marker.color for t in timeline_for(data, view).data}
    assert points and points == bars  # same names, same colours: every event is drawn in both
    assert all(palette(mode)[name] == colour for name, colour in points.items())
    (trace,) = point_traces(figure)
    labels_by_id = dict(zip(data.frame["event_id"].astype(str), colour_labels(data.frame, mode), strict=True))
    assert shown_colours(trace) == [palette(mode)[labels_by_id[row[0]]] for row in trace.customdata]
    column = {"actor": "group1", "type": "event_type", "dataset": "dataset"}[mode]
    labels = colour_labels(data.frame, mode)
    assert set(points) == set(labels)
    named = data.frame[column].astype("string")
    if mode == "dataset":
        named = named.map(DATASET_NAMES)
    assert (labels == named).sum() >= len(data.frame) - 5


def test_colour_by_dataset_colours_each_dataset(data):
    figure = map_figure(data.frame, View(colour="dataset"), None)
    names = {colour: name for name, colour in legend_entries(figure).items()}
    counts = {name: 0 for name in names.values()}
    for trace in point_traces(figure):
        for colour in shown_colours(trace):
            counts[names[colour]] += 1
    assert counts == data.frame["dataset"].astype(str).map(DATASET_NAMES).value_counts().to_dict()
    assert "Bundled sample" in counts and "seed" not in counts  # said in words, not the store's short name


def test_the_timeline_axis_runs_from_the_first_to_the_last_month_of_the_data(data):
    figure = timeline_for(data, View(country=("NE",)))
    months = data.months()
    assert figure.layout.meta["months"] == [months[0].isoformat(), months[-1].isoformat()]
    lo, hi = (pd.Timestamp(x) for x in figure.layout.xaxis.range)
    assert lo <= pd.Timestamp(months[0]) and hi >= pd.Timestamp(months[-1]) + pd.Timedelta(days=27)
    # bars span their month, so the window's shading (exact days) covers exactly its months' bars
    assert {t.xperiod for t in figure.data} == {"M1"} and {t.xperiodalignment for t in figure.data} == {"middle"}


def test_the_hover_is_compact_whatever_the_source_writes():
    frame = sample_events().iloc[:3].copy()
    frame["actor1"] = "Unidentified Armed Group (Burkina Faso) and/or Militia (Koglweogo) and/or Others"
    frame["location"] = "Kantchari (Kantchari department, Tapoa province, Est region) near the border"
    frame["source"] = "Le Faso; Burkina24; Agence d'Information du Burkina; Radio Omega; Sidwaya; AIB; AFP"
    frame["event_type"] = "Explosions/Remote violence"
    frame["date_end"] = frame["date_start"] + pd.Timedelta(days=40)
    data = EventData.from_frame(frame)
    rows = [row for t in point_traces(map_figure(data.frame, View(), None)) for row in t.customdata]
    assert len(rows) == 3
    for row in rows:
        lines = row[1:]
        assert max(len(line) for line in lines) <= HOVER_CHARS + 6, lines
        assert not any("and/or" in line or "Burkina24" in line for line in lines)  # long text is the card's
        assert row[2].startswith("Kantchari") and "…" in row[2]
        assert " – " in row[1]  # start and end dates


def test_monthly_counts_by_each_colour_column(data):
    rows = data.rows(View())
    for column in aggregate.COLOUR_COLUMNS.values():
        table = aggregate.monthly_counts(data, rows, column)
        assert int(table.to_numpy().sum()) == len(rows)
    types = aggregate.monthly_counts(data, rows, "event_type")
    expected = data.frame["event_type"].astype(str).value_counts().to_dict()
    assert {k: int(v) for k, v in types.sum().items() if k in expected} == expected
    assert timeline_figure(types, View(colour="type"), (dt.date(2019, 1, 1), dt.date(2024, 12, 1))).data
