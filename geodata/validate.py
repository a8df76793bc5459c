"""Row checks that decide what goes to the quarantine instead of the store, and why.

Every check is a vectorised mask over the whole frame; each failing row gets a reason naming the field
and its value, so the quarantine CSV tells the analyst exactly what to fix.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# The longest text one field may hold, in UTF-8 bytes. A longer field would be sent to every visitor whose table
# block holds it (a 50 MB note made each first block 52 MB): its row is quarantined with the field and size.
MAX_FIELD_BYTES = 16_384
# ACLED starts in 1997 and UCDP GED in 1989: anything earlier is a typo, not history.
EARLIEST = pd.Timestamp("1989-01-01")


def check_fields(events: pd.DataFrame, today: dt.date | None = None) -> pd.Series:
    """Reasons (indexed like ``events``, only failing rows) for bad dates and coordinates.

    Expects canonical dtypes (see :func:`geodata.schema.conform`).
    """
    latest = pd.Timestamp(today or dt.date.today())
    lat, lon = events["latitude"], events["longitude"]
    start, end = events["date_start"], events["date_end"]
    checks: list[tuple[pd.Series, pd.Series | str]] = [
        (start.isna(), "date_start: missing or not a date"),
        (start.notna() & (start < EARLIEST), "date_start: " + _text(start) + " is before 1989"),
        (start.notna() & (start > latest), "date_start: " + _text(start) + " is in the future"),
        (end.notna() & start.notna() & (end < start), "date_end: " + _text(end) + " is before date_start"),
        (lat.isna() | lon.isna(), "latitude/longitude: missing"),
        (
            lat.notna() & lon.notna() & ((lat.abs() > 90) | (lon.abs() > 180)),
            "latitude/longitude: (" + _text(lat) + ", " + _text(lon) + ") out of range",
        ),
    ]
    checks.extend(_size_checks(events))
    return _collect(events.index, checks)


def _size_checks(events: pd.DataFrame) -> list[tuple[pd.Series, str]]:
    """One check per text column: longer than :data:`MAX_FIELD_BYTES` bytes (lengths measured only for the few
    values that could be, so the common case is one vectorised ``str.len``)."""
    checks = []
    for name in events.columns:
        values = events[name]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object) or name == "geometry":
            continue
        text = values.astype("string")
        candidates = text.str.len().fillna(0) > MAX_FIELD_BYTES // 4
        if not candidates.any():
            continue
        size = pd.Series(0, index=events.index)
        size[candidates] = text[candidates].map(lambda v: len(v.encode("utf-8")), na_action="ignore")
        too_long = size > MAX_FIELD_BYTES
        if too_long.any():
            checks.append((too_long, f"{name}: longer than {MAX_FIELD_BYTES:,} bytes (" + size.map("{:,}".format)
                           + " bytes); shorten it"))
    return checks


def check_coverage(events: pd.DataFrame, swapped_inside: pd.Series) -> pd.Series:
    """Reasons for points the boundary join left without a country.

    ``swapped_inside`` says, per row, whether the point with latitude and longitude exchanged is where the row
    says (in the country it names, or in the covered area when it names none): then the row is flagged as
    swapped rather than merely outside. The country the row names is quoted when there is one.
    """
    outside = events["country_iso2"].isna() & events["latitude"].notna() & events["longitude"].notna()
    where = "(" + _text(events["latitude"]) + ", " + _text(events["longitude"]) + ")"
    named = events["source_country_iso2"] if "source_country_iso2" in events else pd.Series(pd.NA, index=events.index)
    says = (" (the row says " + named.astype("string") + ")").fillna("").astype(str)
    target = ("in " + named.astype("string")).fillna("in the covered area").astype(str)
    swapped = "latitude/longitude: " + where + " look swapped (the swapped point is " + target + ")"
    beyond = "latitude/longitude: " + where + " is outside Mali, Burkina Faso, Niger and their neighbours" + says
    checks = [(outside & swapped_inside, swapped), (outside & ~swapped_inside, beyond)]
    return _collect(events.index, checks)


def combine(*reasons: pd.Series) -> pd.Series:
    """Join several reason Series (same index space) into one, '; '-separated per row."""
    parts = [r.dropna().astype(str) for r in reasons if r is not None and len(r)]
    if not parts:
        return pd.Series(dtype="string")
    stacked = pd.concat(parts)
    return stacked.groupby(level=0, sort=True).agg("; ".join).astype("string")


def _collect(index: pd.Index, checks: list[tuple[pd.Series, pd.Series | str]]) -> pd.Series:
    out = pd.Series(pd.NA, index=index, dtype="string")
    for mask, message in checks:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            continue
        text = message[mask] if isinstance(message, pd.Series) else pd.Series(message, index=index[mask])
        out[mask] = np.where(out[mask].isna(), text, out[mask] + "; " + text)
    return out.dropna()


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("NA").astype(str)
    return values.astype("string").fillna("NA").astype(str)
