"""The event store (one GeoParquet file) and its quarantine CSV, both written atomically."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata import schema


def read_store(path: Path) -> gpd.GeoDataFrame:
    """The stored events, or an empty canonical frame when the store does not exist yet."""
    if not Path(path).exists():
        return schema.empty_events()
    return schema.conform(gpd.read_parquet(path))


def write_store(events: gpd.GeoDataFrame, path: Path) -> None:
    """Write the store sorted by ``date_start`` through a temporary file and an atomic rename.

    A crash before the rename leaves the previous store untouched.
    """
    ordered = schema.conform(events).sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    _atomic_write(Path(path), lambda tmp: ordered.to_parquet(tmp, index=False))


def merge(existing: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Add ``new`` rows whose ``event_id`` the store lacks; return the merged frame and a mask of duplicates.

    The mask (indexed like ``new``) marks rows already in the store or repeated earlier in ``new``: the first
    copy wins, so re-importing a file changes nothing.
    """
    ids = new["event_id"]
    duplicate = ids.isin(existing["event_id"]) | ids.duplicated(keep="first")
    fresh = new.loc[~duplicate]
    if existing.empty:
        merged = fresh
    elif fresh.empty:
        merged = existing
    else:
        merged = pd.concat([existing, fresh], ignore_index=True)
    return schema.conform(merged), duplicate


# Columns a revision may change; the boundary-join results follow from the point and are not compared.
DERIVED = ("country_iso2", "admin1", "admin2", "geo_note")
REVISION_COLUMNS = ("event_id", "field", "old", "new", "old_timestamp", "new_timestamp")


@dataclass
class Merge:
    """The merged store and what happened to each incoming row (masks indexed like the incoming frame)."""

    merged: gpd.GeoDataFrame
    duplicate: pd.Series
    updated: pd.Series
    revisions: pd.DataFrame
    # Incoming rows whose values differ from the stored copy but were not applied (UCDP without ``update``).
    differing: pd.Series


def merge_revisions(existing: gpd.GeoDataFrame, new: gpd.GeoDataFrame, *, update: bool = False) -> Merge:
    """Merge ``new`` into ``existing``, replacing stored events by newer revisions.

    Per event_id: a row with a newer ``source_timestamp`` replaces the stored one (a row with a timestamp beats one
    without; equal or older: the stored copy stays, so re-importing changes nothing). Rows without any timestamp
    (UCDP) whose values differ replace the stored ones only with ``update``. Within ``new`` the newest copy of an id
    is the candidate (the first one at equal timestamps); the others are duplicates. ``revisions`` lists each
    replaced value (see :data:`REVISION_COLUMNS`). Vectorised over rows; loops only over columns.
    """
    ids = new["event_id"]
    stamp = new["source_timestamp"].astype("Int64")
    order = pd.DataFrame({"id": ids, "ts": stamp.fillna(-1).astype("int64"), "pos": range(len(new))})
    newest = order.sort_values(["id", "ts", "pos"], ascending=[True, False, True], kind="stable")
    candidate = pd.Series(False, index=new.index)
    candidate.iloc[newest.drop_duplicates("id", keep="first")["pos"].to_numpy()] = True

    stored = existing.drop_duplicates("event_id", keep="first").set_index("event_id")
    in_store = ids.isin(stored.index) & candidate
    old = stored.reindex(ids[in_store])
    old.index = ids.index[in_store]
    incoming = new.loc[in_store]
    old_ts, new_ts = old["source_timestamp"].astype("Int64"), incoming["source_timestamp"].astype("Int64")
    newer = _mask(new_ts.notna() & (old_ts.isna() | (new_ts > old_ts)))
    undated = _mask(new_ts.isna() & old_ts.isna())
    # Values are compared only where they can matter (newer revisions, rows without timestamps): re-importing a
    # dated export compares nothing.
    compared = [c for c in schema.COLUMN_NAMES if c not in DERIVED and c != "event_id"]
    look = newer | undated
    changed = {}
    for column in compared:
        differs = np.zeros(len(incoming), dtype=bool)
        differs[look] = _differs(old[column][look], incoming[column][look])
        changed[column] = pd.Series(differs, index=incoming.index)
    any_change = np.logical_or.reduce([m.to_numpy() for m in changed.values()]) if len(incoming) else newer
    replace = newer | (undated & any_change & update)
    differing = pd.Series(False, index=new.index)
    differing[incoming.index[undated & any_change & (not update)]] = True

    updated = pd.Series(False, index=new.index)
    updated[incoming.index[replace]] = True
    fresh = candidate & ~ids.isin(stored.index)
    duplicate = ~(fresh | updated)
    revisions = _revision_rows(old[replace], incoming[replace], {c: m[replace] for c, m in changed.items()})

    keep = existing.loc[~existing["event_id"].isin(ids[updated])]
    parts = [frame for frame in (keep, new.loc[updated], new.loc[fresh]) if len(frame)]
    merged = pd.concat(parts, ignore_index=True) if parts else existing.iloc[:0]
    return Merge(schema.conform(merged), duplicate, updated, revisions, differing)


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Per row, whether two values differ (NA equals NA; compared as text so dtypes never matter)."""
    a, b = old.astype("string").to_numpy(dtype=object), new.astype("string").to_numpy(dtype=object)
    a_na, b_na = pd.isna(a), pd.isna(b)
    same = np.zeros(len(a), dtype=bool)
    both = ~a_na & ~b_na
    same[both] = a[both] == b[both]
    return ~(same | (a_na & b_na))


def _mask(values: pd.Series) -> np.ndarray:
    """A nullable boolean Series as a plain numpy mask (NA is False)."""
    return values.fillna(False).to_numpy(dtype=bool)


def _revision_rows(old: pd.DataFrame, new: pd.DataFrame, changed: dict[str, pd.Series]) -> pd.DataFrame:
    """Long table of (event_id, field, old, new, old_timestamp, new_timestamp), one row per replaced value."""
    rows = []
    for column, mask in changed.items():
        if not mask.any():
            continue
        where = mask.index[mask.to_numpy()]
        rows.append(pd.DataFrame({
            "event_id": new.loc[where, "event_id"].astype("string"),
            "field": column,
            "old": _as_text(old.loc[where, column]),
            "new": _as_text(new.loc[where, column]),
            "old_timestamp": old.loc[where, "source_timestamp"].astype("string"),
            "new_timestamp": new.loc[where, "source_timestamp"].astype("string"),
        }))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in REVISION_COLUMNS})
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["event_id", "field"], kind="stable").reset_index(drop=True)


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype("string")
    return values.astype("string")


def append_revisions(rows: pd.DataFrame, path: Path) -> int:
    """Add replaced values to the revisions CSV at ``path`` (``<store>.revisions.csv``); return how many.

    Written like the quarantine (same atomic path), so it can join the store's commit.
    """
    path = Path(path)
    if rows.empty:
        return 0
    rows = rows[list(REVISION_COLUMNS)].astype("string").fillna("")
    added = len(rows)
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        rows = pd.concat([old, rows], ignore_index=True)
    _atomic_write(path, lambda tmp: rows.to_csv(tmp, index=False, encoding="utf-8"))
    return added


def append_quarantine(rows: pd.DataFrame, path: Path) -> int:
    """Add quarantined rows to the CSV at ``path`` (columns are the union); return how many were new.

    Rows identical to ones already there are not repeated, so re-importing a file adds nothing.
    """
    path = Path(path)
    if rows.empty:
        return 0
    rows = rows.astype("string")
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        old = old.astype("string")
        combined = pd.concat([old, rows], ignore_index=True)
    else:
        old = None
        combined = rows.reset_index(drop=True)
    combined = combined.fillna("")
    before = 0 if old is None else len(old.drop_duplicates())
    combined = combined.drop_duplicates(keep="first")
    # Keep the reason and where-from columns at the end, after the original row's own columns.
    tail = [c for c in ("reason", "source_file", "source_row") if c in combined]
    combined = combined[[c for c in combined.columns if c not in tail] + tail]
    _atomic_write(path, lambda tmp: combined.to_csv(tmp, index=False, encoding="utf-8"))
    return len(combined) - before


STORE_MODE = 0o644


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<store>.lock`` while reading, merging and replacing the store, so two
    imports at once (two upload workers, or hosts sharing the file) run one after the other."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); a store is read by app workers that may run as another user.
        os.chmod(tmp, STORE_MODE)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
