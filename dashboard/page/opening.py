"""The page as first served for an address: every prop the callbacks would set for its view, drawn with the page.

Opening an address would otherwise cost two rounds of callbacks before anything shows (the view from the URL,
then the map, timeline and tables from the view) while the browser waits. Instead the page's layout already holds
the view's stores, controls, map, timeline, counter and regions table for the address it was loaded from, so the
map starts drawing as soon as the scripts run; the view callback then finds nothing to change. The layout request
does not carry the address, so it is read from the request's ``Referer`` (sent in full to the same origin, see
``dashboard.web.security``); without one the page opens on the default view and the view callback corrects it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dash import html

from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import (
    CONTROLS,
    control_value,
    dropdown_options,
    part_views,
    slider_marks,
    slider_value,
)
from dashboard.page.layout import DATASET_LABELS
from dashboard.render import parts

if TYPE_CHECKING:
    from dash.development.base_component import Component

    from dashboard.model.events import EventData
    from dashboard.render.figures import BoundaryLayers
    from dashboard.settings import Settings

Prop = tuple[str, str]  # (component id, property)


def address_props(data: EventData, view: View, messages: Iterable[str], version: str,
                  problem: str | None = None) -> dict[Prop, Any]:
    """What the view callback writes when the address is opened: every control, the slider, the filters'
    options, the messages and the view's stores."""
    months = data.months()
    options = data.options()
    notes = [problem, *messages] if problem else list(messages)
    return {
        **{(cid, "value"): control_value(view, field, data.date_range()) for cid, field in CONTROLS.items()},
        (ids.SLIDER, "value"): slider_value(view, months),
        (ids.SLIDER, "max"): max(len(months) - 1, 0),
        (ids.SLIDER, "marks"): slider_marks(months),
        **{(cid, "options"): dropdown_options(options.get(field, []), getattr(view, field),
                                              DATASET_LABELS if field == "dataset" else None)
           for cid, field in ids.DROPDOWNS.items()},
        (ids.MESSAGES, "children"): [html.P(m) for m in notes],
        **{(store, "data"): data_ for store, data_ in part_views(view, version).items()},
    }


# What the page draws from each part store (``controls.part_views``) but the map's, timeline first: the outputs of
# the view-parts callback (``dashboard.callbacks.draw``), in this order.
PART_OUTPUTS: dict[str, tuple[Prop, ...]] = {
    ids.TIMELINE_STORE: ((ids.TIMELINE, "figure"),),
    ids.FILTERS_STORE: ((ids.COUNTER, "children"), (ids.RANGE_TEXT, "children"), (ids.EMPTY, "hidden"),
                        (ids.EXPORT_CSV, "href"), (ids.EXPORT_GEOJSON, "href"), (ids.COVERAGE_NOTE, "children")),
    ids.REGIONS_STORE: ((ids.REGIONS_GRID, "rowData"),),
}


def part_props(data: EventData, store: str, view: View) -> dict[Prop, Any]:
    """What part ``store`` holding ``view`` draws: the timeline; the counter, range text, empty state, export
    links and coverage note; or the regions table."""
    if store == ids.TIMELINE_STORE:
        values: tuple = (parts.timeline_for(data, view),)
    elif store == ids.FILTERS_STORE:
        values = parts.summary_parts(data, view)
    else:
        values = (parts.region_rows_for(data, view),)
    return dict(zip(PART_OUTPUTS[store], values, strict=True))


def drawn_props(data: EventData, view: View, layers: BoundaryLayers, settings: Settings) -> dict[Prop, Any]:
    """What the map and view callbacks draw for ``view``: the map and every part of :data:`PART_OUTPUTS`."""
    props: dict[Prop, Any] = {
        (ids.MAP, "figure"): parts.map_with_meta(data, view, layers, style=settings.map_style,
                                                max_points=settings.max_points),
    }
    for store in PART_OUTPUTS:
        props.update(part_props(data, store, view))
    return props


def address_query(referrer: str | None, path: str = "/") -> str:
    """The query string of the page that asked for its layout (its ``Referer``), when that page is the atlas
    at ``path``; "" otherwise."""
    if not referrer:
        return ""
    address = urlsplit(referrer)
    return address.query if (address.path or "/") == path else ""


def with_props(layout: Component, props: dict[Prop, Any]) -> Component:
    """``layout`` with each (id, prop) of ``props`` set on the component of that id (ids it lacks are skipped,
    such as the upload form's when uploads are off)."""
    by_id: dict[str, dict[str, Any]] = {}
    for (cid, prop), value in props.items():
        by_id.setdefault(cid, {})[prop] = value
    for component in layout._traverse():
        for prop, value in by_id.get(getattr(component, "id", None), {}).items():
            setattr(component, prop, value)
    return layout
