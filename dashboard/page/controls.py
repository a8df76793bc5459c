"""Pure conversions between the page's controls and the view: slider months, play windows, selections.

The callbacks in :mod:`dashboard.callbacks` only wire Dash inputs to these functions, so every rule here is
tested without a browser (tests/test_controls.py).
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from dashboard.model.events import search_key
from dashboard.model.view import View
from dashboard.model.viewport import Viewport
from dashboard.page import ids
from dashboard.page.layout import DEFAULT_WINDOW
from dashboard.render import tables
from dashboard.render.figures import map_revision

if TYPE_CHECKING:
    import pandas as pd

# Control id -> View field, for the filters and display choices the page offers directly.
CONTROLS = {**ids.DROPDOWNS, ids.PRECISION: "precision", ids.MIN_FATALITIES: "min_fatalities", ids.QUERY: "q",
            ids.COLOUR: "colour", ids.MODE: "mode", ids.METRIC: "metric", ids.DEDUPE: "dedupe",
            ids.DISAGREE: "disagree", ids.DATE_START: "start", ids.DATE_END: "end"}
DATE_FIELDS = ("start", "end")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The stores the view is written to, one per part of the page (see part_views).
PART_STORES = (ids.VIEW_STORE, ids.FILTERS_STORE, ids.TIMELINE_STORE, ids.REGIONS_STORE)
# Degrees added around a one-point selection so its box is not empty.
BBOX_PAD = 0.01


def store_view(store: dict | None) -> View:
    """The view kept in the ``view-store`` (the default view before the first update)."""
    query = store.get("query") if isinstance(store, dict) else None
    return View.from_query(query if isinstance(query, str) else "")[0]


def timeline_view(view: View) -> View:
    """What the timeline shows: the view's filters without its dates, so the window sits in its context, in the
    view's colour mode (the timeline stacks by what the map colours by)."""
    return view.filters_only().with_(start=None, end=None, colour=view.colour)


def regions_view(view: View) -> View:
    """What the regions table shows: the view's filters without its region filter, so other regions stay
    visible to click."""
    return view.filters_only().with_(admin1=())


def part_views(view: View, version: str) -> dict[str, dict[str, str]]:
    """The store each part of the page is drawn from, as written to the page: the map from the whole view; the
    counter, events table and export links from its filters; the timeline and the regions table from the views
    above. A slider move changes no timeline store, a colour change no filters store: what did not change is not
    computed, sent or drawn again."""
    parts = {ids.VIEW_STORE: view, ids.FILTERS_STORE: view.filters_only(), ids.TIMELINE_STORE: timeline_view(view),
             ids.REGIONS_STORE: regions_view(view)}
    return {store: {"query": part.to_query(), "version": version} for store, part in parts.items()}


def changed_parts(view: View, version: str, current: dict[str, dict | None]) -> dict[str, dict[str, str]]:
    """The stores of :func:`part_views` whose data differs from ``current`` (what the page holds): only these
    are written, so an unchanged view never sets off a second round of callbacks."""
    return {store: data for store, data in part_views(view, version).items() if current.get(store) != data}


def apply_controls(view: View, values: dict[str, Any], moved: set[str] | None = None) -> tuple[View, list[str]]:
    """``view`` with the controls' ``values`` applied, checked by the same parser as a URL; ``moved`` names the
    controls the user just changed (all of ``values`` by default)."""
    params = view.params()
    for cid, value in values.items():
        field = CONTROLS[cid]
        if isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        params[field] = text
    start, end = params.get("start", ""), params.get("end", "")
    if _DAY.match(start) and _DAY.match(end) and start > end:
        # One end typed past the other (an earlier window typed start first, or a later one end first): the end
        # just set is kept and the other opens, instead of both being dropped as an address's would be.
        fields = {CONTROLS[cid] for cid in (values if moved is None else moved) if cid in CONTROLS}
        for name in DATE_FIELDS:
            if name not in fields:
                del params[name]
    return View.from_query(params)


def open_ends(view: View, data_range: tuple[datetime.date, datetime.date] | None) -> View:
    """``view`` with a start on or before the data's first day, or an end on or after its last, left open: the
    date inputs show those days for an open window, and sending them back must not narrow it."""
    if data_range is None:
        return view
    start = None if view.start is not None and view.start <= data_range[0] else view.start
    end = None if view.end is not None and view.end >= data_range[1] else view.end
    return view.with_(start=start, end=end)


def dropdown_options(present: list[str], chosen: tuple[str, ...], labels: dict[str, str] | None = None
                     ) -> list[dict[str, str]]:
    """The data's values plus any the address asks for that the data lacks, so the control can show them; each
    searchable without accents or case ("menaka" finds Ménaka), and said in words where ``labels`` has words
    for it (the value stays what the URL carries)."""
    values = list(present) + sorted(set(chosen) - set(present))
    words = labels or {}
    return [{"label": words.get(v, v), "value": v, "search": f"{words.get(v, v)} {search_key(v)}"} for v in values]


def control_value(view: View, field: str, data_range: tuple[datetime.date, datetime.date] | None = None) -> Any:
    """What a control shows for ``field`` of ``view``; an open end of the window shows the data's own first or
    last day (``data_range``), so the date inputs always say which days are shown."""
    value = getattr(view, field)
    if field in DATE_FIELDS:
        if value is None and data_range is not None:
            value = data_range[DATE_FIELDS.index(field)]
        return value.isoformat() if value is not None else ""
    if isinstance(value, tuple):
        return list(value)
    if field == "q":
        return value or ""
    if field == "dedupe":  # a one-option checklist
        return [value] if value else []
    if field == "disagree":  # a one-option checklist
        return ["1"] if value else []
    return value


def slider_value(view: View, months: list[datetime.date]) -> list[int]:
    """Month indexes covering ``view.start``..``view.end`` (the whole range when unset)."""
    last = max(len(months) - 1, 0)
    lo = 0 if view.start is None else _month_index(months, view.start)
    hi = last if view.end is None else _month_index(months, view.end)
    return [min(lo, hi), max(lo, hi)]


def with_months(view: View, months: list[datetime.date], value: list[int] | None) -> View:
    """``view`` with the dates of slider ``value``; the full range means no date filter."""
    indexes = _two_indexes(value)
    if not months or indexes is None:
        return view.with_(start=None, end=None)
    last = len(months) - 1
    lo, hi = sorted(max(0, min(v, last)) for v in indexes)
    start = None if lo == 0 else months[lo]
    end = None if hi == last else month_end(months[hi])
    return view.with_(start=start, end=end)


def _two_indexes(value: Any) -> list[int] | None:
    """A slider value as two whole month indexes, or None when it is not one (a callback body may send anything)."""
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    out = []
    for v in value[:2]:
        if isinstance(v, bool) or not isinstance(v, int | float) or v != v or abs(v) > 1e7:
            return None
        out.append(int(v))
    return out


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


# Up to this many months the slider marks months (the browser shows every 1st, 2nd, 3rd or 6th); beyond, years.
MONTH_MARKS_UP_TO = 36


def slider_marks(months: list[datetime.date]) -> dict[int, str]:
    """Every mark the slider may show: each January ("2019") over long spans, each month ("Mar", January as its
    year) up to MONTH_MARKS_UP_TO months; the first and the last month always, named in full ("Dec 2025") when
    not a January. The browser shows the ends and every 1st/2nd/5th/10th year (or 1st/2nd/3rd/6th month) that
    fits the slider's width (assets/marks.js), so no two labels overlap."""
    if not months:
        return {}
    short = len(months) <= MONTH_MARKS_UP_TO
    marks = {i: str(m.year) if m.month == 1 else f"{m:%b}" for i, m in enumerate(months) if short or m.month == 1}
    for i in {0, len(months) - 1}:
        marks[i] = str(months[i].year) if months[i].month == 1 else f"{months[i]:%b %Y}"
    return dict(sorted(marks.items()))


def _window(window: Any) -> int:
    """A play window in months (the default for anything that is not a whole number up to 1200)."""
    if isinstance(window, int | float) and not isinstance(window, bool) and 1 <= window <= 1200:
        return int(window)
    return DEFAULT_WINDOW


def play_start(value: list[int], window: int | None, n_months: int) -> list[int]:
    """The first play window: ``window`` months from the current start (or the beginning at the end)."""
    size = _window(window)
    lo = value[0] if value[0] + size <= n_months else 0
    return [lo, min(lo + size - 1, max(n_months - 1, 0))]


def play_step(value: list[int], window: int | None, n_months: int) -> list[int] | None:
    """The window one month later, or None when it has reached the last month."""
    size = _window(window)
    lo = value[0] + 1
    if lo + size - 1 > n_months - 1:
        return None
    return [lo, lo + size - 1]


def timeline_span(selected: dict | None, relayout: dict | None, months: list[datetime.date]) -> list[int] | None:
    """Month indexes of the x range the user selected or zoomed to on the timeline, if any."""
    x_range = None
    selected = selected if isinstance(selected, dict) else None
    relayout = relayout if isinstance(relayout, dict) else None
    if selected and isinstance(selected.get("range"), dict) and selected["range"].get("x"):
        x_range = selected["range"]["x"]
    elif relayout:
        if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
            x_range = [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]]
        elif isinstance(relayout.get("xaxis.range"), list):
            x_range = relayout["xaxis.range"]
    if not isinstance(x_range, list | tuple) or len(x_range) < 2 or not months:
        return None
    try:
        a, b = (datetime.date.fromisoformat(str(x)[:10]) for x in x_range[:2])
    except ValueError:
        return None
    return sorted([_month_index(months, a), _month_index(months, b)])


def selection_bbox(selected: dict | None) -> tuple[float, float, float, float] | None:
    """minlon,minlat,maxlon,maxlat of a map box/lasso selection (its drawn range, else its points)."""
    if not isinstance(selected, dict):
        return None
    try:
        return _selection_bbox(selected)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None  # not the shape Plotly sends: no selection


def _selection_bbox(selected: dict) -> tuple[float, float, float, float] | None:
    lons: list[float] = []
    lats: list[float] = []
    ranges = selected.get("range") or {}
    lasso = selected.get("lassoPoints") or {}
    for key in ("map", "mapbox", "geo"):
        if ranges.get(key):
            (lon0, lat0), (lon1, lat1) = ranges[key][:2]
            lons, lats = [lon0, lon1], [lat0, lat1]
            break
        if lasso.get(key):
            lons = [p[0] for p in lasso[key]]
            lats = [p[1] for p in lasso[key]]
            break
    if not lons:
        points = [p for p in selected.get("points") or [] if "lon" in p and "lat" in p]
        lons = [p["lon"] for p in points]
        lats = [p["lat"] for p in points]
    lons = [float(v) for v in lons]
    lats = [float(v) for v in lats]
    if not lons or not all(math.isfinite(v) for v in lons + lats):
        return None
    minlon, maxlon = min(lons), max(lons)
    minlat, maxlat = min(lats), max(lats)
    if maxlon - minlon < BBOX_PAD:
        minlon, maxlon = minlon - BBOX_PAD, maxlon + BBOX_PAD
    if maxlat - minlat < BBOX_PAD:
        minlat, maxlat = minlat - BBOX_PAD, maxlat + BBOX_PAD
    return (round(max(minlon, -180.0), 4), round(max(minlat, -90.0), 4),
            round(min(maxlon, 180.0), 4), round(min(maxlat, 90.0), 4))


def region_rows(totals: pd.DataFrame) -> list[dict]:
    """The admin-1 summary (from ``aggregate.region_totals``) as grid rows, each with a ``row_id`` ("ML|Gao")
    the click handler reads back."""
    regions = tables.region_summary(totals)
    rows = tables.json_records(regions, list(regions.columns))
    for row in rows:
        row["row_id"] = f"{row['country_iso2']}|{row['admin1']}"
    return rows


def map_viewport(seen: dict | None, view: View, selected_id: str | None) -> Viewport | None:
    """The viewport the browser reported, if it belongs to the map now drawn (same revision); a new map
    selection or picked event re-centres the map, so an older viewport no longer applies."""
    if not isinstance(seen, dict) or seen.get("rev") != map_revision(view, selected_id):
        return None
    return Viewport.from_relayout(seen.get("relayout"))


def needs_viewport(view: View, count: int, max_points: int) -> bool:
    """Whether what the map draws depends on where the user looks: only points views too big to draw whole."""
    return view.mode == "points" and count > max_points


def region_click_admin1(click: dict | None) -> str | None:
    """The admin-1 name of a clicked region row; None for the '(region unknown)'-style catch-all rows."""
    row_id = str((click if isinstance(click, dict) else {}).get("rowId") or "")[:500]
    name = row_id.split("|", 1)[-1] if "|" in row_id else ""
    return name if name and not name.startswith("(") else None


def range_text(view: View, data_range: tuple[datetime.date, datetime.date] | None) -> str:
    """'Mar 2019 – May 2019' for the view's dates, falling back to the data's own range."""
    if data_range is None:
        return "No dates: the store is empty"
    start = view.start or data_range[0]
    end = view.end or data_range[1]
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def _month_index(months: list[datetime.date], day: datetime.date) -> int:
    if not months:
        return 0
    return max(0, min(bisect_right(months, day) - 1, len(months) - 1))
