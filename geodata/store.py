"""The event store (one GeoParquet file) and its quarantine CSV, both written atomically."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
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
