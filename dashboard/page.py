"""Everything the page shows for one view, as one pure function the callbacks and the benchmarks both call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard import figures, tables
from dashboard.controls import range_text, region_rows
from dashboard.events import EventData, summary_text
from dashboard.figures import BoundaryLayers, Viewport
from dashboard.view import View

FIRST_BLOCK = 100  # rows in the events table's first block (AG Grid's cacheBlockSize)


@dataclass(frozen=True)
class ViewParts:
    """The outputs of one view: map, timeline, counter, range text, region rows and the table's first block."""

    map: go.Figure
    timeline: go.Figure
    counter: str
    range_text: str
    region_rows: list[dict[str, Any]]
    first_block: list[dict[str, Any]]
    count: int


def render_view(data: EventData, view: View, layers: BoundaryLayers, *, style: str = figures.OFFLINE,
                max_points: int = figures.MAX_POINTS, viewport: Viewport | None = None,
                selected_id: str | None = None) -> ViewParts:
    """Filter ``data`` by ``view`` and build every figure and table the page shows for it."""
    frame = data.filter(view)
    block, count = tables.grid_rows(frame, 0, FIRST_BLOCK)
    return ViewParts(
        map=figures.view_figure(frame, view, layers, style=style, selected_id=selected_id, max_points=max_points,
                                viewport=viewport),
        timeline=figures.timeline_figure(data.filter(view.with_(start=None, end=None)), view),
        counter=summary_text(frame),
        range_text=range_text(view, data.date_range()),
        region_rows=region_rows(data.filter(view.with_(admin1=()))),
        first_block=block,
        count=count,
    )
