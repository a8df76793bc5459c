"""The event store: one interface, two backends (a GeoParquet file with side files, or a PostGIS database).

``open_store(location)`` picks the backend: a ``postgresql://`` URL is PostGIS, anything else a GeoParquet path.
The file backend's functions are re-exported here, so ``from geodata import store`` keeps working; they are
loaded on first use, so parsing ``--store`` does not load pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geodata.store.base import SIDE_TABLES, EventStore, Import, StoreError, describe, is_url, location  # noqa: F401

if TYPE_CHECKING:
    from geodata.store.parquet import (  # noqa: F401
        DERIVED,
        REVISION_COLUMNS,
        STORE_MODE,
        Commit,
        Merge,
        append_quarantine,
        append_revisions,
        commit,
        journal_path,
        locked,
        merge_revisions,
        read_store,
        recover,
        recover_if_idle,
        stage_or_write,
        write_store,
    )

# The file backend's public names, as they were before the store became a package.
PARQUET_NAMES = ("DERIVED", "REVISION_COLUMNS", "STORE_MODE", "Commit", "Merge",
                 "append_quarantine", "append_revisions", "commit", "journal_path", "locked",
                 "merge_revisions", "read_store", "recover", "recover_if_idle", "stage_or_write", "write_store")


def __getattr__(name: str) -> object:
    if name in PARQUET_NAMES:
        from geodata.store import parquet

        return getattr(parquet, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(place: str | Path) -> EventStore:
    """The store at ``place``: PostGIS for a ``postgresql://`` URL, else the GeoParquet file at that path."""
    if is_url(place):
        from geodata.store.postgis import PostgisStore

        return PostgisStore(str(place))
    from geodata.store.parquet import ParquetStore

    return ParquetStore(Path(place))
