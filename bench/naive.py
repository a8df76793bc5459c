"""The naive way, as a Dash tutorial writes it: the whole store in pandas, a boolean mask per change, and every
filtered point through ``plotly.express.scatter_map``. The benchmarks measure ours beside this."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard.model.view import View
from dashboard.render.figures import DEFAULT_CENTER, DEFAULT_ZOOM, OFFLINE_STYLE

HOVER = ["date_start", "event_type", "fatalities"]


def naive_frame(store: Path) -> pd.DataFrame:
    """The store as one DataFrame, every column, as ``pd.read_parquet`` gives it."""
    return pd.read_parquet(store)


def naive_mask(frame: pd.DataFrame, view: View) -> pd.Series:
    """A boolean mask over the whole frame for the view's dates, countries, families and event types."""
    mask = pd.Series(True, index=frame.index)
    if view.start is not None:
        mask &= frame["date_start"] >= pd.Timestamp(view.start)
    if view.end is not None:
        mask &= frame["date_start"] <= pd.Timestamp(view.end)
    if view.country:
        mask &= frame["country_iso2"].isin(view.country)
    if view.group:
        mask &= frame["group1"].isin(view.group) | frame["group2"].isin(view.group)
    if view.event_type:
        mask &= frame["event_type"].isin(view.event_type)
    return mask


def naive_map(rows: pd.DataFrame) -> go.Figure:
    """Every row as a point, coloured by actor family, with the usual hover; drawn on the same offline style."""
    figure = px.scatter_map(rows, lat="latitude", lon="longitude", color="group1", hover_name="location",
                            hover_data=HOVER, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM)
    figure.update_layout(map_style=OFFLINE_STYLE, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return figure
