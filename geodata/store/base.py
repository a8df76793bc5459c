"""What every event store offers, whichever backend holds it: where it is, and the one interface the pipeline,
the CLI and the dashboard use (read the events or a side table, import as one unit, replace everything)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI parses --store with this module: no pandas at start-up
    import geopandas as gpd
    import numpy as np
    import pandas as pd

# The side tables an import writes beside the events (one CSV each in the file backend, one table in PostGIS).
SIDE_TABLES = ("quarantine", "revisions", "admin_differences", "incidents")
URL_SCHEMES = ("postgresql://", "postgres://")


SIDE_SUFFIXES = {"quarantine": ".quarantine.csv", "revisions": ".revisions.csv",
                 "admin_differences": ".admin1-disagreements.csv", "incidents": ".incidents.csv"}


def side_path(store: Path, name: str) -> Path:
    """The side file ``name`` of the file store at ``store``: ``<store name><suffix>`` in the same folder."""
    store = Path(store)
    return store.parent / f"{store.stem}{SIDE_SUFFIXES[name]}"


def control_path(store: Path, suffix: str) -> Path:
    """A file the file backend keeps for itself beside ``store`` (``.lock``, ``.journal``): ``<store file
    name><suffix>``, so two stores of one stem never share a lock. Side tables are named by :func:`side_path`."""
    store = Path(store)
    return store.with_name(store.name + suffix)


def side_place(store: str | Path, name: str) -> str | Path:
    """Where a side table of ``store`` is, for messages: its file, or ``<url> table <name>`` for PostGIS."""
    return f"{describe(store)} table {name}" if is_url(store) else side_path(Path(store), name)


class StoreError(ValueError):
    """A store that cannot be used (no server, wrong password, no PostGIS rights, a newer schema): the message is
    one line for the user, never a traceback."""


def is_url(location: object) -> bool:
    """Whether ``location`` names a PostGIS database (a libpq URL) rather than a GeoParquet file."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def location(value: str | Path) -> str | Path:
    """A ``--store``/``SCA_STORE`` value as the settings keep it: a URL stays text, anything else is a path."""
    text = str(value)
    return text if text.startswith(URL_SCHEMES) else Path(value)


def describe(place: str | Path) -> str:
    """``place`` fit to print: the password of a URL is never shown."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(place))


class Import(Protocol):
    """One import in progress: everything it writes lands together when the block ends, or nothing does.

    ``local`` says whether the backend also offers :class:`LocalImport` (read and write only what an import touches).
    """

    local: bool

    def read(self) -> gpd.GeoDataFrame:
        """The events as they are now (the import holds the store's writer lock, so none can change under it)."""

    def write_events(self, merged: gpd.GeoDataFrame, before: gpd.GeoDataFrame) -> None:
        """Make the events ``merged`` (``before`` is what :meth:`read` gave, so a backend may write only changes)."""

    def add_quarantine(self, rows: pd.DataFrame) -> int:
        """Add quarantined rows (not repeating identical ones); how many were new."""

    def add_revisions(self, rows: pd.DataFrame) -> int:
        """Log replaced values; how many."""

    def set_admin_differences(self, report: pd.DataFrame) -> None:
        """Replace the report of events whose admin units differ from their source's."""

    def set_incidents(self, table: pd.DataFrame) -> None:
        """Replace the list of multi-source incidents."""


class LocalImport(Import, Protocol):
    """An import that reads only the stored rows it needs and writes only what changed (PostGIS): the pipeline's
    local path (geodata/pipeline.py ``store_step``) and the relinking around the changed events (geodata/relink.py)."""

    def read_ids(self, ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The stored events with these ids."""

    def dataset_ids(self, datasets: Sequence[str]) -> list[str]:
        """The ids of the stored events of these datasets (what a rebuild of them drops first)."""

    def delete(self, ids: Sequence[str]) -> None:
        """Delete the stored events with these ids."""

    def rows(self, ids: Sequence[str]) -> pd.DataFrame:
        """The stored events with these ids, every column, no geometry needed."""

    def near(self, rows: pd.DataFrame) -> np.ndarray:
        """Ids of stored events within the incident linker's reach of ``rows`` (a superset of their candidates)."""

    def members(self, incident_ids: Sequence[str]) -> np.ndarray:
        """Ids of stored events in these incidents."""

    def upsert(self, rows: pd.DataFrame) -> None:
        """Add or replace these whole events."""

    def update_incidents(self, rows: pd.DataFrame) -> None:
        """Set the incident columns of stored events (``rows``: event_id and those columns only)."""

    def replace_incidents(self, replaced: Sequence[str], table: pd.DataFrame) -> None:
        """Replace the incidents table's rows of the ``replaced`` incident ids by ``table``."""

    def update_admin_differences(self, ids: Sequence[str], report: pd.DataFrame) -> pd.DataFrame:
        """Replace the admin differences of the events ``ids`` by ``report``; the whole report after."""

    def difference_counts(self) -> dict[str, int]:
        """``boundaries.difference_counts`` over the whole store."""


class EventStore(Protocol):
    """An event store: a GeoParquet file with side files, or a PostGIS database."""

    place: str | Path

    def exists(self) -> bool:
        """Whether the store holds an event table (an empty new store reads as no events)."""

    def check(self) -> None:
        """Raise :class:`StoreError` when the store cannot be served (unreachable, foreign columns, newer schema)."""

    def read(self, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The events, sorted by date_start then event_id (canonical columns; only ``columns`` when given)."""

    def snapshot(self) -> tuple[str, pd.DataFrame]:
        """The store's version and its events, read together from one consistent state."""

    def version(self) -> str | None:
        """Changes with every import (None while there is no store); cheap enough to ask on every request."""

    def side(self, name: str) -> pd.DataFrame:
        """One side table (:data:`SIDE_TABLES`) as text columns, as its CSV reads with ``dtype=str``."""

    def side_place(self, name: str) -> str | Path:
        """Where a side table is, for messages (a file path, or ``<url> table <name>``)."""

    def importing(self) -> AbstractContextManager[Import]:
        """Hold the writer lock and collect one import's writes; they commit together when the block ends."""

    def replace(self, events: gpd.GeoDataFrame, sides: dict[str, pd.DataFrame]) -> None:
        """Replace the whole store: events and every side table given (``store copy``, synthetic stores)."""
