"""Checks before the app serves anything: the store has the canonical columns, and no import was left half done."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from geodata import store as event_store
from geodata.schema import COLUMN_NAMES


class StoreSchemaError(ValueError):
    """The store file is not an event store this version can serve; the message names the missing columns."""


def missing_columns(path: Path) -> list[str]:
    """Canonical columns the Parquet file at ``path`` lacks (its schema is read, not its rows)."""
    names = set(pq.read_schema(path).names)
    return [name for name in COLUMN_NAMES if name not in names]


def check_store(path: Path | str) -> None:
    """Finish or roll back an interrupted import, then refuse a store without the canonical columns.

    A missing store is fine (the page says so and an upload creates it); an unreadable one or one with the
    wrong columns stops the start with a message naming the file and the columns.
    """
    if event_store.is_url(path):
        event_store.open_store(path).check()  # StoreError: unreachable, no rights, a newer schema
        return
    path = Path(path)
    event_store.recover_if_idle(path)
    if not path.exists():
        return
    try:
        missing = missing_columns(path)
    except Exception as error:  # noqa: BLE001 - pyarrow raises several types for a file that is not Parquet
        raise StoreSchemaError(f"{path} is not a readable event store ({error}); rebuild it with "
                               "`python -m geodata build` or point SCA_STORE at the right file.") from None
    if missing:
        raise StoreSchemaError(
            f"{path} is not an event store of this version: it lacks the column(s) {', '.join(missing)}. "
            "Rebuild it with `python -m geodata build` (or re-import its sources), or point SCA_STORE elsewhere."
        )
