"""The event store (one GeoParquet file) and its side files (quarantine CSV, reports), committed together.

An import stages every file it writes as a temporary beside its target, then writes a journal naming them and
renames them into place, the store last (:func:`commit`). A process killed at any point leaves the old state
(journal not yet written: the temporaries are removed by :func:`recover`) or the new one (journal written:
:func:`recover` finishes the renames). Every import recovers under the store lock before it reads.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata import safecsv, schema
from geodata.store.base import control_path, side_path


def read_store(path: Path) -> gpd.GeoDataFrame:
    """The stored events, or an empty canonical frame when the store does not exist yet."""
    if not Path(path).exists():
        return schema.empty_events()
    return schema.as_read(schema.conform(gpd.read_parquet(path)))


def write_store(events: gpd.GeoDataFrame, path: Path, tx: Commit | None = None) -> None:
    """Write the store sorted by ``date_start`` through a temporary file and an atomic rename.

    A crash before the rename leaves the previous store untouched.
    """
    ordered = schema.conform(events).sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    _atomic_write(Path(path), lambda tmp: ordered.to_parquet(tmp, index=False), tx)


# Columns a revision does not compare: the boundary-join results follow from the point, and the incident
# columns are recomputed over the whole store after every merge (geodata/incidents.py).
DERIVED = ("country_iso2", "admin1", "admin2", "geo_note", "incident_id", "incident_size", "incident_score",
           "incident_note")
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
    candidate = np.ones(len(new), dtype=bool)
    repeated = ids.duplicated(keep=False).to_numpy()
    if repeated.any():  # only ids repeated within the file need ordering by timestamp
        order = pd.DataFrame({"id": ids[repeated].to_numpy(), "ts": stamp[repeated].fillna(-1).to_numpy(dtype="int64"),
                              "pos": np.flatnonzero(repeated)})
        order = order.sort_values(["id", "ts", "pos"], ascending=[True, False, True], kind="stable")
        candidate[repeated] = False
        candidate[order.drop_duplicates("id", keep="first")["pos"].to_numpy()] = True

    stored_ids = existing["event_id"]
    first = ~stored_ids.duplicated(keep="first").to_numpy()
    stored_first = existing.iloc[np.flatnonzero(first)]
    where = pd.Index(stored_ids.to_numpy()[first]).get_indexer(ids.to_numpy())
    in_store = (where >= 0) & candidate
    at = where[in_store]
    old_ts = pd.array(stored_first["source_timestamp"].to_numpy()[at], dtype="Int64")
    new_ts = pd.array(stamp.to_numpy()[in_store], dtype="Int64")
    newer = _mask(pd.Series(new_ts).notna() & (pd.Series(old_ts).isna() | (pd.Series(new_ts) > pd.Series(old_ts))))
    undated = _mask(pd.Series(new_ts).isna() & pd.Series(old_ts).isna())
    # Values are compared only where they can matter (newer revisions, rows without timestamps): re-importing a
    # dated export compares nothing.
    look = newer | undated
    positions = np.flatnonzero(in_store)
    old = stored_first.iloc[at[look]]
    incoming = new.iloc[positions[look]]
    compared = [c for c in schema.COLUMN_NAMES if c not in DERIVED and c != "event_id"]
    changed = {column: _differs(old[column], incoming[column]) for column in compared}
    any_change = np.logical_or.reduce(list(changed.values())) if len(incoming) else np.zeros(0, dtype=bool)
    replace_sub = newer[look] | (undated[look] & any_change & update)
    differing = np.zeros(len(new), dtype=bool)
    differing[positions[look][undated[look] & any_change & (not update)]] = True
    updated = np.zeros(len(new), dtype=bool)
    updated[positions[look][replace_sub]] = True
    fresh = candidate & (where < 0)
    duplicate = ~(fresh | updated)
    revisions = _revision_rows(
        old.iloc[np.flatnonzero(replace_sub)].reset_index(drop=True),
        incoming.iloc[np.flatnonzero(replace_sub)].reset_index(drop=True),
        {c: pd.Series(m[replace_sub]) for c, m in changed.items()},
    )

    replaced_ids = ids.to_numpy()[updated]
    keep = existing.loc[~existing["event_id"].isin(replaced_ids).to_numpy()] if updated.any() else existing
    added = (new.iloc[np.flatnonzero(updated)], new.iloc[np.flatnonzero(fresh)])
    parts = [frame for frame in (keep, *added) if len(frame)]
    merged = pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts[0] if parts else existing.iloc[:0])
    mask = {name: pd.Series(values, index=new.index) for name, values in
            (("duplicate", duplicate), ("updated", updated), ("differing", differing))}
    return Merge(schema.conform(merged), mask["duplicate"], mask["updated"], revisions, mask["differing"])


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Per row, whether two aligned columns differ (NA equals NA; text compared when the dtypes differ)."""
    a, b = old.reset_index(drop=True), new.reset_index(drop=True)
    if a.dtype != b.dtype:
        a, b = a.astype("string"), b.astype("string")
    a_na, b_na = a.isna().to_numpy(), b.isna().to_numpy()
    unequal = (a != b).fillna(False).to_numpy(dtype=bool)
    return (unequal & ~(a_na | b_na)) | (a_na ^ b_na)


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


def append_revisions(rows: pd.DataFrame, path: Path, tx: Commit | None = None) -> int:
    """Add replaced values to the revisions CSV at ``path`` (``<store>.revisions.csv``); return how many.

    Written like the quarantine, and like it part of the store's commit when ``tx`` is given. Old and new
    values come from the source, so formula-like cells get the same prefix as in the export.
    """
    path = Path(path)
    if rows.empty:
        return 0
    rows = safecsv.neutralise(rows[list(REVISION_COLUMNS)].astype("string")).fillna("")
    added = len(rows)
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        rows = pd.concat([old, rows], ignore_index=True)
    _atomic_write(path, lambda tmp: safecsv.write(rows, tmp), tx)
    return added


def append_quarantine(rows: pd.DataFrame, path: Path, tx: Commit | None = None) -> int:
    """Add quarantined rows to the CSV at ``path`` (columns are the union); return how many were new.

    Rows identical to ones already there are not repeated, so re-importing a file adds nothing. Cells that
    would run as a spreadsheet formula get a leading ``'``, as in the export (geodata/safecsv.py).
    """
    path = Path(path)
    if rows.empty:
        return 0
    rows = safecsv.neutralise(rows.astype("string")).set_axis(safecsv.header_names(rows.columns), axis=1)
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
    _atomic_write(path, lambda tmp: safecsv.write(combined, tmp), tx)
    return len(combined) - before


STORE_MODE = 0o644


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<store>.lock`` while reading, merging and replacing the store, so two
    imports at once (two upload workers, or hosts sharing the file) run one after the other."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _flock(path, wait=True):
        recover(path)
        yield


@contextlib.contextmanager
def _flock(store: Path, wait: bool) -> Iterator[bool]:
    """Hold ``<store>.lock`` exclusively: waiting for it, or (``wait`` False) yielding False at once when another
    process holds it."""
    with file_lock(control_path(store, ".lock"), None if wait else 0) as held:
        yield held


@contextlib.contextmanager
def file_lock(path: Path, wait_s: float | None = None) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``path`` (made if missing): waiting as long as it takes (``wait_s`` None),
    or at most ``wait_s`` seconds, then yielding False while another process still holds it. The one lock helper
    (the store's lock, the dashboard's import lock); the lock dies with its holder, so it is never left held."""
    with open(path, "a") as handle:
        if wait_s is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(min(0.2, max(deadline - time.monotonic(), 0.0)))
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write(path: Path, write: Callable[[Path], None], tx: Commit | None = None) -> None:
    """Write ``path`` through a temporary and a rename; inside a :class:`Commit`, only stage it."""
    if tx is not None:
        tx.stage(path, write)
        return
    tmp = _staged(Path(path), write)
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _staged(path: Path, write: Callable[[Path], None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); a store is read by app workers that may run as another user.
        os.chmod(tmp, STORE_MODE)
        _fsync(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


# --- committing several files together --------------------------------------------------------------

def journal_path(store: Path) -> Path:
    return control_path(store, ".journal")


class Commit:
    """Files staged for one commit: (temporary, target) pairs, applied with the store last."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self.staged: list[tuple[Path, Path]] = []

    def stage(self, path: Path, write: Callable[[Path], None]) -> None:
        self.staged = [(t, p) for t, p in self.staged if p != Path(path)] + [(_staged(Path(path), write), Path(path))]

    def discard(self) -> None:
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []

    def apply(self) -> None:
        """Journal, then rename every staged file into place (side files first, the store last)."""
        if not self.staged:
            return
        ordered = sorted(self.staged, key=lambda pair: pair[1] == self.store)
        journal = journal_path(self.store)
        _write_json_atomic(journal, [[str(tmp), str(target)] for tmp, target in ordered])
        for tmp, target in ordered:
            os.replace(tmp, target)
        _fsync_dir(self.store.parent)
        journal.unlink()
        _fsync_dir(self.store.parent)
        self.staged = []


@contextlib.contextmanager
def commit(store: Path) -> Iterator[Commit]:
    """Stage files inside the block; on leaving it they replace their targets together (all or none survive
    a crash). The caller holds :func:`locked`."""
    tx = Commit(store)
    try:
        yield tx
    except BaseException:
        tx.discard()
        raise
    tx.apply()


def recover(store: Path) -> list[str]:
    """Finish an interrupted commit (its journal lists what is left to rename) and remove stale temporaries;
    returns what it did. Call with the store lock held (:func:`locked` does)."""
    store = Path(store)
    done: list[str] = []
    journal = journal_path(store)
    journal.with_name(journal.name + ".writing").unlink(missing_ok=True)
    if journal.exists():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            pairs = []  # never written whole (it is written atomically), so nothing was renamed yet
        for tmp, target in pairs:
            if Path(tmp).exists():
                os.replace(tmp, target)
                done.append(f"finished {Path(target).name}")
        journal.unlink()
        _fsync_dir(store.parent)
    if store.parent.is_dir():
        for stale in store.parent.glob(f".{store.stem}*.tmp"):
            stale.unlink(missing_ok=True)
            done.append(f"removed {stale.name}")
        for stale in store.parent.glob(".sca-probe-*.tmp"):
            stale.unlink(missing_ok=True)
    return done


def recover_if_idle(store: Path) -> list[str]:
    """:func:`recover` unless an import holds the lock (it recovers itself) or the folder is read-only."""
    store = Path(store)
    try:
        with _flock(store, wait=False) as held:
            return recover(store) if held else []
    except OSError:
        return []


def _write_json_atomic(path: Path, value: object) -> None:
    tmp = path.with_name(path.name + ".writing")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage_or_write(path: Path, write: Callable[[Path], None], tx: Commit | None = None) -> None:
    """Write a side file of the store atomically, or stage it in ``tx`` (e.g. ``<store>.revisions.csv``)."""
    _atomic_write(Path(path), write, tx)


# --- the file backend behind the store interface (geodata/store/base.py) -----------------------------------------

def _csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A side table as its CSV reads back (every cell text), so both backends hand out the same values."""
    import io

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype=str, keep_default_na=False) if buffer.getvalue().strip() else pd.DataFrame()


class ParquetStore:
    """One GeoParquet file and its side CSVs, committed together by the journal above; the default store."""

    def __init__(self, path: Path) -> None:
        self.place = Path(path)

    def exists(self) -> bool:
        return self.place.exists()

    def check(self) -> None:
        return None  # the dashboard checks the file's columns itself (dashboard/model/startup.py)

    def read(self, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        events = read_store(self.place)
        return events if columns is None else events[list(columns)]

    def snapshot(self) -> tuple[str, pd.DataFrame]:
        return self.version() or "missing", self.read()

    def version(self) -> str | None:
        try:
            stat = self.place.stat()
        except OSError:
            return None
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def side(self, name: str) -> pd.DataFrame:
        path = side_path(self.place, name)
        if not path.exists():
            return pd.DataFrame()
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")

    def side_place(self, name: str) -> Path:
        return side_path(self.place, name)

    @contextlib.contextmanager
    def importing(self) -> Iterator[ParquetImport]:
        with locked(self.place), commit(self.place) as tx:
            yield ParquetImport(self.place, tx)

    def replace(self, events: gpd.GeoDataFrame, sides: dict[str, pd.DataFrame]) -> None:
        with locked(self.place), commit(self.place) as tx:
            write_store(events, self.place, tx)
            for name, table in sides.items():
                if table.columns.empty:  # nothing to say (no such table at the source)
                    continue
                text = table.astype("string").fillna("")
                stage_or_write(side_path(self.place, name),
                               lambda tmp, text=text: safecsv.write(text, tmp), tx)


class ParquetImport:
    """An import into the file store: every file it writes is staged in one :class:`Commit`."""

    local = False  # reads and rewrites the whole file

    def __init__(self, path: Path, tx: Commit) -> None:
        self.path, self.tx = path, tx

    def read(self) -> gpd.GeoDataFrame:
        return read_store(self.path)

    def write_events(self, merged: gpd.GeoDataFrame, before: gpd.GeoDataFrame) -> None:
        write_store(merged, self.path, self.tx)

    def add_quarantine(self, rows: pd.DataFrame) -> int:
        return append_quarantine(rows, side_path(self.path, "quarantine"), self.tx)

    def add_revisions(self, rows: pd.DataFrame) -> int:
        return append_revisions(rows, side_path(self.path, "revisions"), self.tx)

    def set_admin_differences(self, report: pd.DataFrame) -> None:
        stage_or_write(side_path(self.path, "admin_differences"),
                       lambda tmp: safecsv.write(report, tmp), self.tx)

    def set_incidents(self, table: pd.DataFrame) -> None:
        stage_or_write(side_path(self.path, "incidents"),
                       lambda tmp: safecsv.write(table, tmp), self.tx)
