"""Everything the page shows for one view, as pure functions the callbacks and the benchmarks both call.

The map is chosen here: points when at most ``max_points`` events are in and around the map's view,
aggregated bins otherwise, so the browser never receives more than about ``max_points`` markers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dashboard.model import aggregate
from dashboard.model.events import (
    EventData,
    coverage_gaps,
    coverage_text,
    event_position,
    summary,
    summary_text,
    uncovered_spans,
)
from dashboard.model.view import View
from dashboard.model.viewport import Viewport
from dashboard.page.controls import needs_viewport, range_text, region_rows, regions_view, timeline_view
from dashboard.render import figures, tables
from dashboard.render.figures import BoundaryLayers

FIRST_BLOCK = 100  # rows in the events table's first block (AG Grid's cacheBlockSize)
FRAME_SAMPLE = 50_000  # most events read to frame the map
# Up to this many events in the store each event's hover text is worked out once and kept (about 8 MB); beyond,
# only the rows a map draws get theirs (a million kept strings would cost memory every worker pays for).
HOVER_CACHE_MAX = 200_000
# The columns a points map reads (colours, sizes, opacity, hovers): copying only these for a view's rows, not
# the store's 35 (notes above all), is most of what taking the rows costs.
MAP_COLUMNS = ["event_id", "dataset", "date_start", "date_end", "date_precision", "event_type", "group1", "group2",
               "fatalities", "location", "latitude", "longitude", "geo_precision", "country_iso2", "admin1"]
FULL_HOVER_CACHE_MAX = 60_000  # the full hover card is eight texts an event: kept up to ACLED's Sahel size


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
    rows = data.rows(view)
    block, count = tables.grid_rows(data, rows, 0, FIRST_BLOCK)
    return ViewParts(
        map=map_for(data, view, layers, style=style, max_points=max_points, viewport=viewport,
                    selected_id=selected_id),
        timeline=timeline_for(data, view),
        counter=summary_text(summary(data, rows)),
        range_text=range_text(view, data.date_range()),
        region_rows=region_rows_for(data, view),
        first_block=block,
        count=count,
    )


def map_for(data: EventData, view: View, layers: BoundaryLayers, *, style: str = figures.OFFLINE,
            max_points: int = figures.MAX_POINTS, viewport: Viewport | None = None,
            selected_id: str | None = None, steady: bool = False) -> go.Figure:
    """The map the view asks for: regions (``mode=regions``), points, or bins when too many are in sight.

    ``viewport`` is where the user has panned and zoomed to; without it the map frames the view's events, or,
    when ``steady`` (Play), the events of the whole play (the view without its dates), so it does not jump.
    """
    rows = data.rows(view)
    frame_to = frame_for(data, view.with_(start=None, end=None) if steady else view)
    if view.mode == "regions":
        return figures.regions_figure(aggregate.region_totals(data, rows), view, layers, style=style,
                                      viewport=viewport, frame_to=frame_to)
    if len(rows) <= max_points:
        return figures.map_figure(data.take(rows, MAP_COLUMNS), view, layers, style=style, selected_id=selected_id,
                                  viewport=viewport, frame_to=frame_to, short=short_hovers(data, rows))
    port = viewport or _opening_viewport(data, view, selected_id, frame_to)
    near = aggregate.within(data.columns, rows, port.padded())
    if len(near) <= max_points:
        note = f"Showing the {len(near):,} events in and around the map's view of {len(rows):,}."
        return figures.map_figure(data.take(near, MAP_COLUMNS), view, layers, style=style, selected_id=selected_id,
                                  note=note, viewport=viewport or port, short=short_hovers(data, near))
    bins, cell = aggregate.bounded_bins(data.columns, near, aggregate.bin_size(port.zoom), max_points)
    return figures.bins_figure(bins, cell, view, layers, total=len(rows), max_points=max_points, viewport=port,
                               style=style, selected_id=selected_id)


def short_hovers(data: EventData, rows: np.ndarray) -> np.ndarray | None:
    """The hovers of ``rows`` (one-line for views too big for full hovers), from each event's hover worked out
    once per store: building them was a third to a half of a map's server time (issue 19)."""
    if len(rows) <= figures.FULL_HOVER_POINTS:
        return data.per_event("full_hover", figures.hover_data)[rows] if len(data) <= FULL_HOVER_CACHE_MAX else None
    return data.per_event("short_hover", figures.short_hover)[rows] if len(data) <= HOVER_CACHE_MAX else None


def map_with_meta(data: EventData, view: View, layers: BoundaryLayers, *, style: str = figures.OFFLINE,
                  max_points: int = figures.MAX_POINTS, viewport: Viewport | None = None,
                  selected_id: str | None = None, steady: bool = False) -> go.Figure:
    """:func:`map_for`, with ``layout.meta`` telling the browser which view it shows (Play waits until it is
    drawn) and whether panning changes what it draws (only then does the browser report where the user looks)."""
    figure = map_for(data, view, layers, style=style, max_points=max_points, viewport=viewport,
                     selected_id=selected_id, steady=steady)
    follows = needs_viewport(view, len(data.rows(view)), max_points)
    figure.update_layout(meta={"view": view.to_query(), "viewport": follows})
    return figure


def summary_parts(data: EventData, view: View) -> tuple[str, str, bool, str, str, str]:
    """The counter, the range text, whether the empty-state note is hidden, the two export links of the view's
    filters, and the coverage note (datasets starting or ending inside the window)."""
    counts = summary(data, data.rows(view))
    suffix = f"?{view.to_query()}" if view.to_query() else ""
    return (summary_text(counts), range_text(view, data.date_range()), counts["events"] > 0,
            f"/export.csv{suffix}", f"/export.geojson{suffix}", coverage_text(coverage_gaps(data, view)))


def timeline_for(data: EventData, view: View) -> go.Figure:
    """The monthly timeline of ``controls.timeline_view(view)`` (no dates): drawn from that alone, so the page
    redraws it only when that changes (not on a slider move or a Play step). The window of ``view``'s dates comes
    shaded."""
    shown = timeline_view(view)
    months = data.months()
    column = aggregate.COLOUR_COLUMNS.get(shown.colour, "group1")
    return figures.timeline_figure(aggregate.monthly_counts(data, data.rows(shown), column), shown,
                                   (months[0], months[-1]) if months else None,
                                   uncovered=uncovered_spans(data, shown), window=(view.start, view.end))


def region_rows_for(data: EventData, view: View) -> list[dict[str, Any]]:
    """The region table of ``controls.regions_view(view)`` (no region filter), so other regions stay visible
    to click, and a region click does not redraw it."""
    return region_rows(aggregate.region_totals(data, data.rows(regions_view(view))))


def frame_for(data: EventData, view: View) -> tuple[float, float, float, float] | None:
    """The box around the view's events (None when it has none): where the map is fitted. Above
    ``FRAME_SAMPLE`` events an even sample of them decides (a million events would cost milliseconds per change
    for a box the sample already gives)."""
    rows = data.rows(view)
    if not len(rows):
        return None
    if view.bbox is not None:
        return view.bbox
    if len(rows) > FRAME_SAMPLE:
        rows = rows[:: -(-len(rows) // FRAME_SAMPLE)]
    return figures.frame_box(data.columns.lon[rows], data.columns.lat[rows])


def _opening_viewport(data: EventData, view: View, selected_id: str | None,
                      frame_to: tuple[float, float, float, float] | None = None) -> Viewport:
    """Where the map opens: on the selected event if there is one, else around the view's events, else the
    view's selection or the region."""
    if selected_id is not None:
        row = event_position(data.frame, selected_id)
        if row is not None and not np.isnan(data.columns.lon[row]):
            center = {"lon": float(data.columns.lon[row]), "lat": float(data.columns.lat[row])}
            return Viewport.around(center, figures.SELECTED_ZOOM)
    if frame_to is not None:
        return Viewport.around(*figures.fit_position(frame_to))
    return Viewport.around(*figures.map_position(view))
