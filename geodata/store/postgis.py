"""The PostGIS backend: events in a table with a ``geometry(Point, 4326)`` column, side tables beside it.

An import is one transaction holding an advisory lock (imports from any host run one after the other, none is
lost; readers are never blocked): it reads the events, and writes back only the rows that changed, the side
tables and a new store version, and tells listeners with NOTIFY. Columns move through COPY in CSV form, which
pandas and pyarrow write and parse in bulk. The schema is created on first use and upgraded in place.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Iterator, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import errors, sql

from geodata import safecsv, schema
from geodata.store.base import StoreError, describe, side_place
from geodata.store.parquet import REVISION_COLUMNS, _differs

SCHEMA_VERSION = 1
# Advisory lock keys (any two fixed numbers): one for imports, one for creating or upgrading the schema.
IMPORT_LOCK = 5_120_020_001
SCHEMA_LOCK = 5_120_020_002
CHANNEL = "sca_store_changed"
CONNECT_TIMEOUT_S = 5
NULL = "\\N"
ROW = "sca_row"  # the insertion order of the side tables' rows
SIDE = {"quarantine": "quarantine", "revisions": "revisions", "admin_differences": "admin_differences",
        "incidents": "incidents"}
TAIL = ("reason", "source_file", "source_row")  # quarantine columns kept last, as in the CSV

SQL_TYPES = {"string": "text", "datetime64[ms]": "date", "Int64": "bigint", "float64": "double precision"}
ARROW_TYPES = {"string": pa.string(), "datetime64[ms]": pa.date32(), "Int64": pa.int64(), "float64": pa.float64()}


def _events_ddl() -> str:
    columns = ",\n  ".join(
        f"{name} {SQL_TYPES[dtype]}" + (" PRIMARY KEY" if name == "event_id" else "")
        for name, dtype in schema.DTYPES.items()
    )
    return (f"CREATE TABLE IF NOT EXISTS events (\n  {columns},\n"
            "  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326))"
            " STORED\n)")


def _v1(cur: psycopg.Cursor) -> None:
    """Schema version 1: events (+ GiST and date indexes), the side tables and the store version row."""
    cur.execute(_events_ddl())
    cur.execute("CREATE INDEX IF NOT EXISTS events_geom ON events USING gist (geom)")
    cur.execute("CREATE INDEX IF NOT EXISTS events_date ON events (date_start, event_id)")
    cur.execute(f"CREATE TABLE IF NOT EXISTS quarantine ({ROW} bigserial PRIMARY KEY, reason text, "
                "source_file text, source_row text)")
    revision_columns = ", ".join(f"{c} text" for c in REVISION_COLUMNS)
    cur.execute(f"CREATE TABLE IF NOT EXISTS revisions ({ROW} bigserial PRIMARY KEY, {revision_columns})")
    cur.execute(f"CREATE TABLE IF NOT EXISTS admin_differences ({ROW} bigserial PRIMARY KEY)")
    cur.execute(f"CREATE TABLE IF NOT EXISTS incidents ({ROW} bigserial PRIMARY KEY)")
    cur.execute("CREATE TABLE IF NOT EXISTS store_version (id int PRIMARY KEY CHECK (id = 1), version bigint "
                "NOT NULL, changed_at timestamptz NOT NULL DEFAULT now())")
    cur.execute("INSERT INTO store_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")


# Upgrades in place: MIGRATIONS[n] turns schema n-1 into schema n.
MIGRATIONS = {1: _v1}


def _reason(error: BaseException) -> str:
    """The useful part of a driver error, on one line."""
    text = " ".join(str(error).split())
    for marker in ("FATAL: ", "ERROR: "):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.removeprefix("connection failed: ").removeprefix("connection is bad: ")


class PostgisStore:
    """A PostGIS database as the event store (``postgresql://user:password@host:port/dbname``)."""

    def __init__(self, url: str) -> None:
        self.place = url
        self._reader: psycopg.Connection | None = None
        self._reader_pid = 0
        self._lock = threading.Lock()
        self._ready = False

    # -- connections -----------------------------------------------------------------------------------------

    def connect(self) -> psycopg.Connection:
        """A new connection (autocommit: transactions are opened explicitly) with the schema in place; StoreError
        with one line when that cannot be."""
        try:
            conn = psycopg.connect(self.place, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"cannot open the PostGIS store {describe(self.place)}: {_reason(error)}") from None
        try:
            if not self._ready:
                self._ensure_schema(conn)
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """This process's reading connection (one per process: a forked worker opens its own)."""
        with self._lock:
            if self._reader is None or self._reader.closed or self._reader_pid != os.getpid():
                self._reader = self.connect()
                self._reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                self._reader_pid = os.getpid()
            try:
                yield self._reader
            except psycopg.OperationalError as error:  # the server went away: the next call reconnects
                self._reader.close()
                raise StoreError(f"lost the PostGIS store {describe(self.place)}: {_reason(error)}") from None
            except psycopg.Error as error:
                raise StoreError(f"PostGIS store {describe(self.place)}: {_reason(error)}") from None

    def _ensure_schema(self, conn: psycopg.Connection) -> None:
        """Create or upgrade the schema (under an advisory lock); refuse a schema newer than this code."""
        try:
            current = self._schema_version(conn)
            if current == SCHEMA_VERSION:
                return
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                current = self._schema_version(conn)
                if current < SCHEMA_VERSION:
                    self._ensure_postgis(cur)
                    cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)")
                    for number in range(current + 1, SCHEMA_VERSION + 1):
                        MIGRATIONS[number](cur)
                    cur.execute("DELETE FROM schema_version")
                    cur.execute("INSERT INTO schema_version (version) VALUES (%s)", (SCHEMA_VERSION,))
        except StoreError:
            raise
        except errors.InsufficientPrivilege as error:
            raise StoreError(f"the PostGIS store {describe(self.place)} cannot be set up by this user "
                             f"({_reason(error)}): a database administrator must create its tables or grant "
                             "CREATE on schema public") from None
        except psycopg.Error as error:
            raise StoreError(f"cannot set up the PostGIS store {describe(self.place)}: {_reason(error)}") from None
        if current > SCHEMA_VERSION:
            raise StoreError(f"the PostGIS store {describe(self.place)} has schema version {current}, newer than this "
                             f"version of the atlas knows ({SCHEMA_VERSION}): upgrade the atlas to use it")

    @staticmethod
    def _schema_version(conn: psycopg.Connection) -> int:
        if not conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]:
            return 0
        return int(conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    def _ensure_postgis(self, cur: psycopg.Cursor) -> None:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        if cur.fetchone():
            return
        database = cur.connection.info.dbname
        try:
            with cur.connection.transaction():
                cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except errors.InsufficientPrivilege:
            raise StoreError(f"the database {database!r} of {describe(self.place)} has no PostGIS and this user may "
                             f"not add it: a database administrator must run `CREATE EXTENSION postgis;` in "
                             f"database {database!r}") from None
        except (errors.UndefinedFile, errors.FeatureNotSupported, errors.UndefinedObject) as error:
            raise StoreError(f"the server of {describe(self.place)} has no PostGIS installed ({_reason(error)}): "
                             "install PostGIS 3 on it (Debian: postgresql-15-postgis-3)") from None

    # -- reading ---------------------------------------------------------------------------------------------

    def exists(self) -> bool:
        with self._reading() as conn:
            return conn.execute("SELECT to_regclass('events') IS NOT NULL").fetchone()[0]

    def check(self) -> None:
        with self._reading() as conn:
            conn.execute("SELECT 1 FROM events LIMIT 0")

    def read(self, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        with self._reading() as conn, conn.transaction():
            events = _read_events(conn)
        return events if columns is None else events[list(columns)]

    def snapshot(self) -> tuple[str, pd.DataFrame]:
        with self._reading() as conn, conn.transaction():  # REPEATABLE READ: version and rows from one state
            version = conn.execute("SELECT version FROM store_version WHERE id = 1").fetchone()[0]
            return str(version), _read_events(conn, geometry=False)

    def version(self) -> str | None:
        with self._reading() as conn:
            return str(conn.execute("SELECT version FROM store_version WHERE id = 1").fetchone()[0])

    def side(self, name: str) -> pd.DataFrame:
        with self._reading() as conn:
            return _read_side(conn, SIDE[name])

    def side_place(self, name: str) -> str:
        return side_place(self.place, SIDE[name])

    # -- writing ---------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def importing(self) -> Iterator[PostgisImport]:
        conn = self.connect()
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (IMPORT_LOCK,))
                tx = PostgisImport(conn)
                yield tx
                _bump_version(conn)
        except psycopg.Error as error:
            raise StoreError(f"the import into {describe(self.place)} failed and was rolled back: "
                             f"{_reason(error)}") from None
        finally:
            conn.close()

    def replace(self, events: gpd.GeoDataFrame, sides: dict[str, pd.DataFrame]) -> None:
        with self.importing() as tx:
            tx.conn.execute("DELETE FROM events")
            _copy_events(tx.conn, schema.conform(events))
            for name, table in sides.items():
                tx.conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(SIDE[name])))
                _append_text(tx.conn, SIDE[name], table)


class PostgisImport:
    """One import's writes, all inside the transaction :meth:`PostgisStore.importing` opened."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def read(self) -> gpd.GeoDataFrame:
        return _read_events(self.conn)

    def write_events(self, merged: gpd.GeoDataFrame, before: gpd.GeoDataFrame) -> None:
        gone, rows = touched(before, merged)
        if len(gone):
            self.conn.execute("DELETE FROM events WHERE event_id = ANY(%s)", (list(gone),))
        _copy_events(self.conn, rows)

    def add_quarantine(self, rows: pd.DataFrame) -> int:
        if rows.empty:
            return 0
        rows = safecsv.neutralise(rows.astype("string")).fillna("")
        old = _read_side(self.conn, "quarantine")
        combined = pd.concat([old, rows], ignore_index=True).fillna("")
        fresh = ~combined.duplicated(keep="first").to_numpy()[len(old):]
        new = rows.loc[fresh]
        _append_text(self.conn, "quarantine", new)
        return len(new)

    def add_revisions(self, rows: pd.DataFrame) -> int:
        if rows.empty:
            return 0
        rows = safecsv.neutralise(rows[list(REVISION_COLUMNS)].astype("string")).fillna("")
        _append_text(self.conn, "revisions", rows)
        return len(rows)

    def set_admin_differences(self, report: pd.DataFrame) -> None:
        self.conn.execute("DELETE FROM admin_differences")
        _append_text(self.conn, "admin_differences", report)

    def set_incidents(self, table: pd.DataFrame) -> None:
        self.conn.execute("DELETE FROM incidents")
        _append_text(self.conn, "incidents", table)


def touched(before: pd.DataFrame, merged: pd.DataFrame) -> tuple[pd.Index, pd.DataFrame]:
    """What an import changes: the ids to delete (gone, or replaced) and the rows to write (new or changed).

    Compared per column over the ids in both (vectorised), so an import of 10,000 rows into a million writes
    those rows and the events whose incident columns moved, not the million.
    """
    old = before.drop_duplicates("event_id").set_index("event_id")
    new = merged.drop_duplicates("event_id").set_index("event_id")
    common = new.index.intersection(old.index)
    changed = np.zeros(len(common), dtype=bool)
    if len(common):
        a, b = old.loc[common], new.loc[common]
        for column in [c for c in new.columns if c in old.columns and c != "geometry"]:
            changed |= _differs(a[column], b[column])
    rewritten = common[changed]
    gone = old.index.difference(new.index).append(rewritten)
    rows = new.loc[new.index.difference(old.index).append(rewritten)].reset_index()
    return gone, rows


def _bump_version(conn: psycopg.Connection) -> None:
    conn.execute("UPDATE store_version SET version = version + 1, changed_at = now() WHERE id = 1")
    conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(CHANNEL)))


def _extras(conn: psycopg.Connection) -> list[str]:
    """The events table's columns beyond the canonical ones (importers' extras such as group1_alt), as text."""
    canonical = {*schema.COLUMN_NAMES, "geom"}
    return [c for c in _side_columns(conn, "events") if c not in canonical]


def _copy_events(conn: psycopg.Connection, events: pd.DataFrame) -> None:
    """COPY ``events`` (canonical columns, then any extra ones as text) into the events table in CSV form."""
    if events.empty:
        return
    extras = [str(c) for c in events.columns if c not in schema.DTYPES and c not in ("geometry", "geom")]
    have = set(_extras(conn))
    for name in extras:
        if name not in have:  # a new kind of column: added once (a short lock on the table)
            conn.execute(sql.SQL("ALTER TABLE events ADD COLUMN {} text").format(sql.Identifier(name)))
    frame = schema.cast_columns(events)
    for name in extras:
        frame[name] = events[name].astype("string").to_numpy()
    text = frame.to_csv(index=False, header=False, na_rep=NULL, date_format="%Y-%m-%d")
    names = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY events ({}) FROM STDIN (FORMAT csv, NULL {})").format(
            names, sql.Literal(NULL))) as copy:
        copy.write(text)


def _read_events(conn: psycopg.Connection, geometry: bool = True) -> gpd.GeoDataFrame | pd.DataFrame:
    """Every event, date-sorted, through COPY TO in CSV form parsed by pyarrow (extra columns as text); without
    ``geometry``, the columns as pyarrow typed them (already the canonical dtypes), with no point column built."""
    buffer = io.BytesIO()
    columns = [*schema.COLUMN_NAMES, *_extras(conn)]
    types = {c: ARROW_TYPES[schema.DTYPES[c]] if c in schema.DTYPES else pa.string() for c in columns}
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    query = sql.SQL("COPY (SELECT {} FROM events ORDER BY date_start, event_id) TO STDOUT (FORMAT csv, NULL {})")
    with conn.cursor() as cur, cur.copy(query.format(names, sql.Literal(NULL))) as copy:
        for chunk in copy:
            buffer.write(chunk)
    if not buffer.tell():
        return schema.empty_events() if geometry else pd.DataFrame(schema.empty_events().drop(columns="geometry"))
    buffer.seek(0)
    table = pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=columns, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[NULL], strings_can_be_null=True,
                                             quoted_strings_can_be_null=False),
    )
    frame = table.to_pandas(date_as_object=False, types_mapper={pa.string(): pd.StringDtype("pyarrow"),
                                                                         pa.int64(): pd.Int64Dtype()}.get)
    return schema.conform(frame) if geometry else frame


def _side_columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT "
                        "attisdropped ORDER BY attnum", (table,)).fetchall()
    return [name for (name,) in rows if name != ROW]


def _read_side(conn: psycopg.Connection, table: str) -> pd.DataFrame:
    """A side table as text columns ("" for empty), in insertion order, as its CSV reads with ``dtype=str``."""
    columns = _side_columns(conn, table)
    if table == "quarantine":
        columns = [c for c in columns if c not in TAIL] + [c for c in TAIL if c in columns]
    query = sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(table), sql.Identifier(ROW))
    rows = conn.execute(query).fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    return frame.astype(str)


def _append_text(conn: psycopg.Connection, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame`` to a side table as text (as its CSV would hold it), adding any column it lacks."""
    if frame.columns.empty:
        return
    columns = [str(c) for c in frame.columns]
    have = set(_side_columns(conn, table))
    for name in columns:
        if name not in have:
            conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} text").format(sql.Identifier(table),
                                                                             sql.Identifier(name)))
    if frame.empty:
        return
    text = frame.to_csv(index=False, header=False)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({}))").format(
            sql.Identifier(table), names, names)) as copy:
        copy.write(text)
