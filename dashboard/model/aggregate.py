"""Group-bys on codes: monthly counts by family, per-region totals and map bins of the selected rows.

Each is one ``np.bincount`` (or ``ufunc.at``) over small integer keys, so a million events take milliseconds
and no string is compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.model.events import Columns, EventData
from dashboard.model.viewport import Viewport
from geodata.schema import GROUPS

UNKNOWN_FAMILY = "Unknown actor"
MONTH_ZERO = np.datetime64("1970-01", "M")
MAX_DENSE_BINS = 4_000_000


# What the timeline stacks by in each colour mode of the view (dashboard.model.view.COLOURS).
COLOUR_COLUMNS = {"actor": "group1", "type": "event_type", "dataset": "dataset"}


def monthly_by_family(data: EventData, rows: np.ndarray) -> pd.DataFrame:
    """Events per month of ``date_start`` (index, first days) and actor1 family (columns, canonical order)."""
    return monthly_counts(data, rows, "group1")


def monthly_counts(data: EventData, rows: np.ndarray, column: str) -> pd.DataFrame:
    """Events per month of ``date_start`` (index, first days) and value of the categorical ``column`` (columns;
    families in canonical order; a missing value is the column 'Unknown actor')."""
    c = data.columns
    families = list(c.labels[column].astype(str)) + [UNKNOWN_FAMILY]
    if not len(rows):
        return pd.DataFrame(index=pd.DatetimeIndex([], name="month"))
    month = c.month[rows]
    first, last = int(month.min()), int(month.max())
    family = np.where(c.codes[column][rows] < 0, len(families) - 1, c.codes[column][rows])
    counts = np.bincount((month - first) * len(families) + family, minlength=(last - first + 1) * len(families))
    months = pd.DatetimeIndex((MONTH_ZERO + np.arange(first, last + 1)).astype("datetime64[ms]"), name="month")
    table = pd.DataFrame(counts.reshape(-1, len(families)), index=months, columns=families)
    table = table.loc[:, table.sum() > 0]
    order = [g for g in GROUPS if g in table.columns] + sorted(set(table.columns) - set(GROUPS))
    return table[order]


def region_totals(data: EventData, rows: np.ndarray) -> pd.DataFrame:
    """Per (country_iso2, admin1) with any selected event: events, known fatalities, unknown_fatalities,
    first_date, last_date. admin1 is NA for events outside every region."""
    c = data.columns
    n = len(c.regions)
    region = c.region[rows]
    fatalities = c.fatalities[rows]
    unknown = np.isnan(fatalities)
    events = np.bincount(region, minlength=n)
    first = np.full(n, np.iinfo("int64").max)
    last = np.full(n, np.iinfo("int64").min)
    np.minimum.at(first, region, c.start[rows])
    np.maximum.at(last, region, c.end[rows])
    table = c.regions.assign(
        events=events,
        fatalities=np.bincount(region, weights=np.where(unknown, 0.0, fatalities), minlength=n).astype("int64"),
        unknown_fatalities=np.bincount(region, weights=unknown, minlength=n).astype("int64"),
        first_date=first.astype("datetime64[ms]"),
        last_date=last.astype("datetime64[ms]"),
    )
    return table[events > 0].reset_index(drop=True)


def bin_size(zoom: float) -> float:
    """Square bins of about 8 screen pixels at ``zoom``, snapped to a power of two degrees (0.25° at zoom 4.2).
    ``zoom`` is clamped to the map's 0..22, so a made-up zoom never overflows."""
    zoom = float(np.clip(zoom if np.isfinite(zoom) else 0.0, 0.0, 22.0))
    return float(2.0 ** np.round(np.log2(5.6 * 2.0 ** -zoom)))


def bounded_bins(columns: Columns, rows: np.ndarray, cell: float, max_bins: int) -> tuple[pd.DataFrame, float]:
    """:func:`grid_bins`, with the cell doubled until at most ``max_bins`` bins are occupied, so the map payload
    stays under its bound for any viewport (a made-up zoom with wide corners would otherwise send one bin per
    event). Returns the bins and the cell size used."""
    bins = grid_bins(columns, rows, cell)
    while len(bins) > max(max_bins, 1) and cell < 180:
        cell *= 2
        bins = grid_bins(columns, rows, cell)
    return bins, cell


def grid_bins(columns: Columns, rows: np.ndarray, cell: float) -> pd.DataFrame:
    """Selected events per ``cell``-degree square: centre lon/lat, events, known fatalities, unknown count.

    Bins are aligned to multiples of ``cell`` so the same event always falls in the same bin.
    """
    lon, lat = columns.lon[rows], columns.lat[rows]
    located = ~(np.isnan(lon) | np.isnan(lat))
    x = np.floor(lon[located] / cell).astype("int64")
    y = np.floor(lat[located] / cell).astype("int64")
    fatalities = columns.fatalities[rows][located]
    unknown = np.isnan(fatalities)
    if not len(x):
        return pd.DataFrame({name: np.empty(0, "float64" if name in ("lon", "lat") else "int64")
                             for name in ("lon", "lat", "events", "fatalities", "unknown_fatalities")})
    x0, y0 = int(x.min()), int(y.min())
    height = int(y.max()) - y0 + 1
    key = (x - x0) * height + (y - y0)
    size = (int(x.max()) - x0 + 1) * height
    weights = {"events": None, "fatalities": np.where(unknown, 0.0, fatalities), "unknown_fatalities": unknown}
    if size <= MAX_DENSE_BINS:  # a dense bincount over the bounding grid: no sort needed
        sums = {name: np.bincount(key, weights=w, minlength=size) for name, w in weights.items()}
        occupied = np.flatnonzero(sums["events"])
        sums = {name: values[occupied] for name, values in sums.items()}
    else:
        occupied, inverse = np.unique(key, return_inverse=True)
        sums = {name: np.bincount(inverse, weights=w, minlength=len(occupied)) for name, w in weights.items()}
    bx, by = np.divmod(occupied, height)
    return pd.DataFrame({
        "lon": (bx + x0 + 0.5) * cell,
        "lat": (by + y0 + 0.5) * cell,
        **{name: values.astype("int64") for name, values in sums.items()},
    })


def within(columns: Columns, rows: np.ndarray, viewport: Viewport) -> np.ndarray:
    """The rows whose point lies inside ``viewport`` (longitudes wrap when it spans the antimeridian)."""
    lon, lat = columns.lon[rows], columns.lat[rows]
    inside = (lat >= viewport.south) & (lat <= viewport.north)
    if viewport.east - viewport.west >= 360:
        return rows[inside]
    west = (viewport.west + 180) % 360 - 180
    east = west + (viewport.east - viewport.west)
    shifted = np.where(lon < west, lon + 360, lon)
    return rows[inside & (shifted <= east)]
