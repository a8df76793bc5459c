"""Tables from filtered events: the per-region summary and row blocks for AG Grid's infinite row model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.events import EventData
from dashboard.render.figures import FAMILY_COLOURS
from geodata.schema import FOCUS

OUTSIDE = "(outside ML/BF/NE)"
NO_REGION = "(region unknown)"

# What an analyst reads first comes first: date, place, country, actor families, fatalities, source.
GRID_FIELDS: tuple[str, ...] = (
    "date_start", "location", "country_iso2", "group1", "fatalities", "date_end", "source", "reports", "event_type",
    "actor1", "actor2", "admin1", "source_admin1", "group2", "geo_precision", "dataset", "source_url", "notes",
    "event_id",
)
# Columns worked out from the store's incident index, not read from the frame: "2: acled, curated ⚠ disagree".
REPORT_FIELDS = ("reports",)
FRAME_FIELDS = tuple(f for f in GRID_FIELDS if f not in REPORT_FIELDS)
_HEADERS = {
    "event_id": "Event", "date_start": "Start", "date_end": "End", "location": "Place", "country_iso2": "Country",
    "admin1": "Region", "group1": "Actor families", "group2": "Family 2", "actor1": "Actor 1", "actor2": "Actor 2",
    "event_type": "Type", "fatalities": "Deaths", "geo_precision": "Geo precision", "dataset": "Dataset",
    "source": "Source", "source_url": "Link", "notes": "Notes", "reports": "Reports",
    "source_admin1": "Source's region",
}
# Start date, place, country, actor families and fatalities fit the tables panel of a 1280-pixel screen whole
# (about 380 pixels, assets/style.css) beside a map of at least 40% of the window; the end date comes next. A
# long place name and a second family chip wrap onto the row's next lines instead of being cut (issue 19).
_WIDTHS = {"event_id": 130, "date_start": 72, "date_end": 78, "country_iso2": 58, "fatalities": 52,
           "geo_precision": 110, "dataset": 100, "source_url": 90, "notes": 420, "location": 80, "group1": 112,
           "source": 160, "reports": 130, "source_admin1": 120}
WRAPPED = ("location", "group1")  # up to three lines a row (the grid's rowHeight, dashboard.page.layout)


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


FAMILY_INK = {family: _ink(colour) for family, colour in FAMILY_COLOURS.items()}


def _column_def(field: str) -> dict[str, Any]:
    # No column filters: the sidebar's filters are the one set, so the counter, map and exports always agree
    # with the table (issue 24).
    definition: dict[str, Any] = {"field": field, "headerName": _HEADERS[field], "sortable": field not in REPORT_FIELDS,
                                  "resizable": True, "filter": False}
    if field in _WIDTHS:
        definition["width"] = _WIDTHS[field]
    if field in WRAPPED:
        definition["cellClass"] = "wrapped-cell"
    if field == "source_url":
        # Rendered by the SourceLink function in assets/ (an <a> with rel="noopener", http(s) addresses only).
        definition["cellRenderer"] = "SourceLink"
        definition["sortable"] = False
    if field == "notes":
        definition["tooltipField"] = "notes"
    if field == "group1":
        # Rendered by FamilyChips in assets/: one chip per family (actor1's, then actor2's) in the map's colours.
        definition["cellRenderer"] = "FamilyChips"
        definition["cellRendererParams"] = {"colours": FAMILY_COLOURS, "ink": FAMILY_INK}
    if field in ("source", "location", "actor1", "actor2"):
        definition["tooltipField"] = field
    if field == "country_iso2":
        definition["headerTooltip"] = "Country (ISO 3166 code)"
    if field == "reports":
        definition["headerTooltip"] = ("How many sources report this incident, and which; ⚠ when they disagree on "
                                       "the toll or the perpetrator")
        definition["tooltipField"] = "reports"
    if field == "source_admin1":
        definition["headerTooltip"] = "The region as the source names it (the atlas's Region is the point's)"
    return definition


# columnDefs for dash-ag-grid (rowModelType="infinite"). Cells are plain text: no HTML is ever interpreted.
GRID_COLUMNS: list[dict[str, Any]] = [_column_def(f) for f in GRID_FIELDS]


def region_summary(totals: pd.DataFrame) -> pd.DataFrame:
    """Per (country_iso2, admin1) from ``aggregate.region_totals``: events, known fatalities, unknown_fatalities,
    first_date, last_date, sorted by events, most first.

    Events with no admin-1 are labelled ``(region unknown)`` inside ML/BF/NE and ``(outside ML/BF/NE)`` elsewhere.
    """
    country = totals["country_iso2"].astype("string").fillna("??")
    label = pd.Series(np.where(country.isin(FOCUS).to_numpy(), NO_REGION, OUTSIDE), index=totals.index,
                      dtype="string")
    table = totals.assign(country_iso2=country, admin1=totals["admin1"].astype("string").fillna(label))
    table = table[["country_iso2", "admin1", "events", "fatalities", "unknown_fatalities", "first_date", "last_date"]]
    table = table.sort_values(["events", "country_iso2", "admin1"], ascending=[False, True, True], kind="stable")
    return table.reset_index(drop=True)


# Bounds on one grid request: rows per block (AG Grid asks for 100) and sort keys (each column once).
MAX_BLOCK_ROWS = 500
MAX_SORT_KEYS = len(GRID_FIELDS)


def grid_request(request: Any) -> tuple[int, int, list[dict[str, str]]] | None:
    """AG Grid's ``getRowsRequest`` checked and bounded: (start, end, sort model), or None when it is not a request
    the grid would send. At most :data:`MAX_BLOCK_ROWS` rows and :data:`MAX_SORT_KEYS` distinct sort columns are
    kept. A filter model is ignored: the table has no filters of its own (the sidebar's are the view's)."""
    if not isinstance(request, Mapping):
        return None
    start, end = _whole(request.get("startRow", 0)), _whole(request.get("endRow", 100))
    if start is None or end is None:
        return None
    start = max(start, 0)
    end = min(max(end, start), start + MAX_BLOCK_ROWS)
    sort_model: list[dict[str, str]] = []
    raw_sort = request.get("sortModel")
    for item in raw_sort if isinstance(raw_sort, list | tuple) else []:
        if isinstance(item, Mapping) and item.get("colId") in FRAME_FIELDS \
                and item["colId"] not in {s["colId"] for s in sort_model}:
            sort_model.append({"colId": item["colId"], "sort": "desc" if item.get("sort") == "desc" else "asc"})
        if len(sort_model) >= MAX_SORT_KEYS:
            break
    return start, end, sort_model


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or abs(value) > 1e15:
        return None
    return int(value)


def grid_rows(data: EventData, rows: np.ndarray, start_row: int, end_row: int,
              sort_model: Sequence[Mapping[str, Any]] | None = None) -> tuple[list[dict[str, Any]], int]:
    """One block of the view's ``rows`` for AG Grid's infinite model, after its sort, and the total count. Only the
    columns a sort needs are read for the whole view; the block's own rows are the only ones turned into JSON.
    The request is bounded first (:func:`grid_request`)."""
    checked = grid_request({"startRow": start_row, "endRow": end_row, "sortModel": sort_model})
    if checked is None:
        return [], len(rows)
    start_row, end_row, sort_model = checked
    by = [s["colId"] for s in sort_model]
    if by:
        ascending = [s["sort"] != "desc" for s in sort_model]
        keys = pd.DataFrame({f: _sort_key(data.frame[f].take(rows)).to_numpy() for f in by})
        order = keys.sort_values(by, ascending=ascending, kind="stable", na_position="last").index
        rows = rows[order.to_numpy()]
    block = rows[start_row:end_row]
    records = json_records(data.take(block, list(FRAME_FIELDS)), FRAME_FIELDS)
    reports = report_cells(data, block)
    return [{f: reports[i] if f == "reports" else record[f] for f in GRID_FIELDS}
            for i, record in enumerate(records)], len(rows)


def report_cells(data: EventData, rows: np.ndarray) -> list[str]:
    """The reports cell of each of ``rows``: "2: acled, curated", with "⚠ disagree" when the reports differ on
    the toll or the perpetrator."""
    index = data.incidents
    if index is None or not len(index.size):
        return ["1: " + str(d) for d in data.frame["dataset"].take(rows)]
    text = index.reports_text(rows).astype(str)
    return np.where(index.disagree[rows], np.char.add(text, " ⚠ disagree"), text).tolist()


def json_records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts: dates as YYYY-MM-DD, integers as int, missing values as None."""
    out = {}
    for name in columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        values = values.astype(object)
        out[name] = values.where(values.notna(), None).tolist()
    ints = [n for n in columns if pd.api.types.is_integer_dtype(frame[n])]
    for name in ints:
        out[name] = [None if v is None else int(v) for v in out[name]]
    return [dict(zip(columns, row, strict=True)) for row in zip(*(out[c] for c in columns), strict=True)]


def _sort_key(values: pd.Series) -> pd.Series:
    """Categoricals sort by their text, not by category code."""
    return values.astype("string") if isinstance(values.dtype, pd.CategoricalDtype) else values
