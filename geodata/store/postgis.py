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

from geodata import incidents, safecsv, schema
from geodata.store.base import StoreError, describe, side_place
from geodata.store.parquet import REVISION_COLUMNS, _differs

SCHEMA_VERSION = 2
# Advisory lock keys (any two fixed numbers): one for imports, one for creating or upgrading the schema.
IMPORT_LOCK = 5_120_020_001
SCHEMA_LOCK = 5_120_020_002
CHANNEL = "sca_store_changed"
CONNECT_TIMEOUT_S = 5
WORK_MEM = "64MB"  # per sort or hash of an import's queries (the server's default, 4MB, spilled them to disk)
NULL = "\\N"
ROW = "sca_row"  # the insertion order of the side tables' rows
LATEST = "sca_latest"  # admin differences: written by the latest import that wrote any (older ones read date-sorted)
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


# The day number of the space-time index (days since this date), as relink queries it.
DAY_ZERO = "2000-01-01"


def _space_time(e: str = "") -> str:
    """The indexed shape of an event (columns prefixed ``e``): a line from (longitude, latitude, first day) to
    (longitude, latitude, last day), so its box overlaps a query box of days exactly when the date ranges do."""
    point = f"ST_MakePoint({e}longitude, {e}latitude, ({{}} - DATE '{DAY_ZERO}')::float8)"
    return (f"ST_MakeLine({point.format(f'{e}date_start')}, "
            f"{point.format(f'coalesce({e}date_end, {e}date_start)')})")


def _district(e: str = "") -> str:
    """Whether an event is placed at district precision (2), whose candidates reach farthest (``REACH_KM``)."""
    return f"{e}geo_precision = 2"


def _coarse(e: str = "") -> str:
    """Whether an event is region-level or coarser (as the linker counts an unknown precision)."""
    return f"coalesce({e}geo_precision, 4) >= {incidents.COARSE_PRECISION}"


def _v2(cur: psycopg.Cursor) -> None:
    """Schema version 2: what an import needs to read only the events near its own (geodata/relink.py):
    space-time GiST indexes (longitude, latitude, days) of every event and of the region-level ones, an index on
    incident_id; and the admin differences keep which rows the latest import wrote (see :func:`_order`)."""
    cur.execute(f"CREATE INDEX IF NOT EXISTS events_space_time ON events USING gist ({_space_time()} "
                "gist_geometry_ops_nd)")
    cur.execute(f"CREATE INDEX IF NOT EXISTS events_coarse_space_time ON events USING gist ({_space_time()} "
                f"gist_geometry_ops_nd) WHERE {_coarse()}")
    cur.execute("CREATE INDEX IF NOT EXISTS events_incident ON events (incident_id)")
    cur.execute(f"ALTER TABLE admin_differences ADD COLUMN IF NOT EXISTS {LATEST} boolean NOT NULL DEFAULT true")


# Upgrades in place: MIGRATIONS[n] turns schema n-1 into schema n.
MIGRATIONS = {1: _v1, 2: _v2}


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
        """Version and events from one state, through ADBC (Arrow: about 1.5x faster than COPY in CSV form,
        bench/RESULTS.md), or COPY when the ADBC driver is not installed."""
        self.check()  # the schema is in place (created or upgraded on first use), or one clear line
        try:
            import adbc_driver_postgresql.dbapi as adbc
        except ImportError:
            adbc = None
        if adbc is not None:
            try:
                return read_arrow(self.place)
            except adbc.Error as error:
                raise StoreError(f"PostGIS store {describe(self.place)}: {_reason(error)}") from None
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
                # The neighbour probes sort and hash tens of thousands of rows: in memory, not spilled to disk.
                conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
                # The probes' plans cost enough to be JIT-compiled, which took 1-2 s per probe at 1M (EXPLAIN
                # ANALYZE, bench/RESULTS.md fifth pass) to save far less: off for the import's statements.
                conn.execute("SET LOCAL jit = off")
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
            # Loading a whole store is faster into a bare table: the indexes are built once afterwards (readers
            # wait for this one transaction; ``store copy`` is a one-off).
            indexes = tx.conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' AND "
                                      "schemaname = current_schema() AND indexname <> 'events_pkey'").fetchall()
            for name, _ in indexes:
                tx.conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            _copy_events(tx.conn, schema.conform(events))
            for _, definition in indexes:
                tx.conn.execute(definition)
            tx.conn.execute("ANALYZE events")  # the planner's statistics for the imports' queries
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
        """Write what differs from ``before``: stored events whose incident columns alone moved get those columns
        (a whole relink moves only them), other changed ones are replaced whole, gone ones deleted."""
        gone, rows = touched(before, merged)
        linked_only = _incident_columns_only(before, rows)
        self.update_incidents(rows.loc[linked_only])
        gone = gone.difference(rows.loc[linked_only, "event_id"].astype(str))
        if len(gone):
            self.conn.execute("DELETE FROM events WHERE event_id = ANY(%s)", (list(gone),))
        _copy_events(self.conn, rows.loc[~linked_only])

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
        """Make the incidents table ``table``, rewriting only the incidents whose rows differ (as text, as stored):
        a whole relink (``python -m geodata incidents``) mostly finds the incidents it had."""
        stored = _read_side(self.conn, "incidents")
        columns = [str(c) for c in table.columns]
        if stored.empty or table.empty or "incident_id" not in columns or set(columns) != set(stored.columns):
            self.conn.execute("DELETE FROM incidents")
            _append_text(self.conn, "incidents", table)
            return
        text = pd.read_csv(io.StringIO(safecsv.rows_text(table)), header=None, names=columns, dtype=str,
                           keep_default_na=False)[list(stored.columns)]
        both = text.merge(stored.drop_duplicates(), how="outer", indicator=True)
        differ = sorted(set(both.loc[both["_merge"] != "both", "incident_id"]))
        self.replace_incidents(differ, table.loc[table["incident_id"].astype(str).isin(differ)])

    # -- an import that reads and writes only what it touches (geodata/relink.py, pipeline's local path) ---------

    local = True

    def read_ids(self, ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The stored events with these ids (what the upsert rule compares incoming rows with)."""
        return schema.conform(self.rows(ids))

    def dataset_ids(self, datasets: Sequence[str]) -> list[str]:
        found = self.conn.execute("SELECT event_id FROM events WHERE dataset = ANY(%s)", (list(datasets),))
        return [i for (i,) in found.fetchall()]

    def delete(self, ids: Sequence[str]) -> None:
        if len(ids):
            self.conn.execute("DELETE FROM events WHERE event_id = ANY(%s)", (list(ids),))

    def rows(self, ids: Sequence[str]) -> pd.DataFrame:
        _temp_ids(self.conn, "sca_ids", ids)
        return _read_events(self.conn, geometry=False,
                            where=sql.SQL("event_id IN (SELECT event_id FROM sca_ids)"))

    def members(self, incident_ids: Sequence[str]) -> np.ndarray:
        _temp_ids(self.conn, "sca_ids", incident_ids)
        found = self.conn.execute("SELECT event_id FROM events WHERE incident_id IN "
                                  "(SELECT event_id FROM sca_ids)").fetchall()
        return np.array([i for (i,) in found], dtype=object)

    def near(self, rows: pd.DataFrame) -> np.ndarray:
        """Ids of stored events within the linker's reach of ``rows``, through the space-time indexes: within a box
        of ``RADIUS_KM[1]`` (``REACH_KM`` where either is at district precision) around each point and its days
        widened by DATE_SLACK_DAYS; any distance in the same country
        (or admin-1 region) when either event is region-level. A superset of the candidates (actors are not asked).

        The query boxes are probed in bulk: those of one grid cell (``CELL_DEGREES`` by ``CELL_DAYS``) are merged
        into one box, the index is probed once per cell, and what it finds is checked against each query of the
        cell by plain comparisons (a hash join on the cell), not by one index probe per query."""
        query = _reach(rows).drop_duplicates()
        if query.empty:
            return np.empty(0, dtype=object)
        query = _cells(query)
        boxes = query.groupby("cell", sort=False).agg(
            x0=("x0", "min"), y0=("y0", "min"), z0=("z0", "min"), x1=("x1", "max"), y1=("y1", "max"),
            z1=("z1", "max"), datasets=("dataset", "nunique"), sole=("dataset", "first")).reset_index()
        # A cell whose queries are all of one dataset skips that dataset's events (never a candidate) at the probe,
        # before they are matched to each query: ring 2 of an import asks mostly stored events of one dataset.
        boxes["sole"] = boxes["sole"].where(boxes.pop("datasets") == 1)
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS sca_near (cell int8, days int8, x0 float8, y0 float8, "
                          "x1 float8, y1 float8, cx0 float8, cy0 float8, cx1 float8, cy1 float8, z0 float8, z1 float8, "
                          "d0 date, d1 date, p int, country text, admin1 text, dataset text) ON COMMIT DROP")
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS sca_cells (cell int8, x0 float8, y0 float8, z0 float8, "
                          "x1 float8, y1 float8, z1 float8, sole text) ON COMMIT DROP")
        self.conn.execute("TRUNCATE sca_near, sca_cells")
        for table, frame in (("sca_near", query), ("sca_cells", boxes)):
            with self.conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN (FORMAT csv)") as copy:
                copy.write(_csv_bytes(frame))
            self.conn.execute(f"ANALYZE {table}")
        box = "ST_3DMakeBox(ST_MakePoint({}, {}, {}.z0), ST_MakePoint({}, {}, {}.z1))"
        cell = box.format("c.x0", "c.y0", "c", "c.x1", "c.y1", "c")
        anywhere = box.format(-180, -90, "q", 180, 90, "q")
        # Region-level candidates depend on the days, country, admin-1, precision and dataset only.
        same_region = ("(greatest(coalesce(e.geo_precision, 4), q.p) >= 4 OR q.admin1 IS NULL OR e.admin1 IS NULL "
                       "OR e.admin1 = q.admin1)")
        line = _space_time("e.")
        days = (f"(e.date_start - DATE '{DAY_ZERO}')::float8 AS f0, "
                f"(coalesce(e.date_end, e.date_start) - DATE '{DAY_ZERO}')::float8 AS f1")
        columns = f"e.event_id, e.dataset, e.longitude, e.latitude, e.geo_precision, e.country_iso2, e.admin1, {days}"
        overlap = "e.f0 <= q.z1 AND e.f1 >= q.z0 AND e.dataset <> q.dataset"
        # Each merged box is probed once (a materialised scan of the index per cell, or per span of days for the
        # region-level probes), then every query of the cell checks what it found by comparisons in a hash join.
        regions = ("regions AS (SELECT DISTINCT days, z0, z1, p, country, admin1, dataset FROM sca_near), "
                   "spans AS (SELECT days, min(z0) AS z0, max(z1) AS z1, bool_or(p >= "
                   f"{incidents.COARSE_PRECISION}) AS coarse FROM regions GROUP BY days)")
        region_found = (f"SELECT e.event_id FROM {{0}} e JOIN regions q ON q.days = e.days AND {{1}} AND {overlap} "
                        f"AND e.country_iso2 = q.country AND {same_region} "
                        f"UNION SELECT e.event_id FROM {{0}} e JOIN regions q ON q.days = e.days AND {{1}} "
                        f"AND {overlap} AND q.country IS NULL AND e.country_iso2 IS NULL AND e.admin1 = q.admin1 "
                        f"AND {same_region}")
        parts = [
            # Two precise reports (precision 1) are candidates within RADIUS_KM[1]; one at district precision (2)
            # reaches REACH_KM: each query's large box, and the small one for two precise reports.
            f"WITH found AS MATERIALIZED (SELECT c.cell, {columns} FROM sca_cells c JOIN events e "
            f"ON {line} &&& {cell} AND e.dataset IS DISTINCT FROM c.sole) "
            f"SELECT DISTINCT e.event_id FROM found e JOIN sca_near q ON q.cell = e.cell AND {overlap} "
            f"AND e.longitude BETWEEN q.x0 AND q.x1 AND e.latitude BETWEEN q.y0 AND q.y1 "
            f"AND (q.p = 2 OR {_district('e.')} OR {_coarse('e.')} OR (e.longitude BETWEEN q.cx0 AND q.cx1 "
            f"AND e.latitude BETWEEN q.cy0 AND q.cy1))",
            # Any distance in the same country (or admin-1 region) when the query is region-level ...
            f"WITH {regions}, found AS MATERIALIZED (SELECT q.days, {columns} FROM spans q JOIN events e "
            f"ON q.coarse AND {line} &&& {anywhere}) "
            + region_found.format("found", f"q.p >= {incidents.COARSE_PRECISION}"),
            # ... or the stored event is (through the index of the region-level events only).
            f"WITH {regions}, found AS MATERIALIZED (SELECT q.days, {columns} FROM spans q JOIN events e "
            f"ON {_coarse('e.')} AND {line} &&& {anywhere}) " + region_found.format("found", "true"),
        ]
        found: set[str] = set()
        for part in parts:
            found.update(i for (i,) in self.conn.execute(part).fetchall())
        return np.array(sorted(found), dtype=object)

    def upsert(self, rows: pd.DataFrame) -> None:
        """Write ``rows`` (whole events) through COPY into a temporary table and INSERT ... ON CONFLICT: new ids
        are added, stored ones replaced (extra columns the rows lack become empty, as in a rewrite)."""
        if rows.empty:
            return
        frame = _events_csv_frame(self.conn, rows)
        for name in _extras(self.conn):
            if name not in frame:
                frame[name] = pd.Series(pd.NA, index=frame.index, dtype="string")
        names = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
        self.conn.execute("DROP TABLE IF EXISTS sca_incoming")
        self.conn.execute(sql.SQL("CREATE TEMP TABLE sca_incoming ON COMMIT DROP AS SELECT {} FROM events "
                                  "WITH NO DATA").format(names))
        _copy_csv(self.conn, "sca_incoming", frame)
        updates = sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c))
                                     for c in frame.columns if c != "event_id")
        self.conn.execute(sql.SQL("INSERT INTO events ({0}) SELECT {0} FROM sca_incoming "
                                  "ON CONFLICT (event_id) DO UPDATE SET {1}").format(names, updates))

    def update_incidents(self, rows: pd.DataFrame) -> None:
        """Set the incident columns of the stored events ``rows`` names (COPY into a temporary table, one UPDATE):
        the relinking moves these columns of many events it did not import, and writing only them costs less than
        a whole-row upsert (no text of the other 30 columns to write and parse)."""
        if rows.empty:
            return
        columns = ["event_id", *incidents.COLUMNS, incidents.NOTE_COLUMN]
        frame = schema.cast_columns(rows)[columns]
        names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        self.conn.execute("DROP TABLE IF EXISTS sca_linked")
        self.conn.execute(sql.SQL("CREATE TEMP TABLE sca_linked ON COMMIT DROP AS SELECT {} FROM events "
                                  "WITH NO DATA").format(names))
        _copy_csv(self.conn, "sca_linked", frame)
        sets = sql.SQL(", ").join(sql.SQL("{0} = l.{0}").format(sql.Identifier(c)) for c in columns[1:])
        self.conn.execute(sql.SQL("UPDATE events e SET {} FROM sca_linked l WHERE e.event_id = l.event_id").format(
            sets))

    def replace_incidents(self, replaced: Sequence[str], table: pd.DataFrame) -> None:
        """Drop the incidents table's rows of ``replaced`` incident ids and add ``table`` (read back in id order)."""
        if replaced and "incident_id" in _side_columns(self.conn, "incidents"):
            self.conn.execute("DELETE FROM incidents WHERE incident_id = ANY(%s)", (list(replaced),))
        _append_text(self.conn, "incidents", table)

    def update_admin_differences(self, ids: Sequence[str], report: pd.DataFrame) -> pd.DataFrame:
        """Replace the admin differences of the events ``ids`` by ``report`` (their rows now); the whole report."""
        if "event_id" in _side_columns(self.conn, "admin_differences"):
            self.conn.execute("DELETE FROM admin_differences WHERE event_id = ANY(%s)", (list(ids),))
        # The file store rewrites the report at every import: rows from before it then follow the store's order.
        self.conn.execute(sql.SQL("UPDATE admin_differences SET {0} = false WHERE {0}").format(sql.Identifier(LATEST)))
        _append_text(self.conn, "admin_differences", report)
        return _read_side(self.conn, "admin_differences")

    def difference_counts(self) -> dict[str, int]:
        """What ``boundaries.difference_counts`` gives for the whole store, counted by the server."""
        from geodata.places.boundaries import COMPARED, SOURCE_COUNTRY_KEPT

        counts = [sql.SQL("count(*) FILTER (WHERE {} IS NOT NULL AND {} IS NOT NULL)").format(
            sql.Identifier(ours), sql.Identifier(theirs)) for ours, theirs in COMPARED.values()]
        counts.append(sql.SQL("count(*) FILTER (WHERE starts_with(geo_note, {}))").format(
            sql.Literal(SOURCE_COUNTRY_KEPT)))
        values = self.conn.execute(sql.SQL("SELECT {} FROM events").format(sql.SQL(", ").join(counts))).fetchone()
        return dict(zip([*COMPARED, "kept"], map(int, values), strict=True))


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


def _incident_columns_only(before: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """Which of ``rows`` (from :func:`touched`) are stored events that differ from ``before`` only in the
    incident columns."""
    old = before.drop_duplicates("event_id").set_index("event_id")
    ids = rows["event_id"]
    stored = ids.isin(old.index).to_numpy()
    same = stored.copy()
    if stored.any():
        a, b = old.loc[ids[stored]], rows.loc[stored].set_index("event_id")
        kept = np.ones(int(stored.sum()), dtype=bool)
        for column in [c for c in b.columns if c in a.columns and c != "geometry"
                       and c not in (*incidents.COLUMNS, incidents.NOTE_COLUMN)]:
            kept &= ~_differs(a[column], b[column])
        same[stored] = kept
    return same


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
    _copy_csv(conn, "events", _events_csv_frame(conn, events))


def _events_csv_frame(conn: psycopg.Connection, events: pd.DataFrame) -> pd.DataFrame:
    """``events`` as the events table holds them (canonical columns, then extra ones as text), adding to the table
    any extra column it lacks (once; a short lock)."""
    extras = [str(c) for c in events.columns if c not in schema.DTYPES and c not in ("geometry", "geom")]
    have = set(_extras(conn))
    for name in extras:
        if name not in have:
            conn.execute(sql.SQL("ALTER TABLE events ADD COLUMN {} text").format(sql.Identifier(name)))
    frame = schema.cast_columns(events)
    for name in extras:
        frame[name] = events[name].astype("string").to_numpy()
    return frame


def _copy_csv(conn: psycopg.Connection, table: str, frame: pd.DataFrame) -> None:
    """COPY ``frame`` into ``table`` (its columns by name) in CSV form written by pyarrow (see :func:`_csv_bytes`)."""
    names = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            sql.Identifier(table), names)) as copy:
        copy.write(_csv_bytes(frame))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV for COPY's defaults: nulls unquoted and empty, every text value quoted (so "" is an empty
    text, not a null), days as YYYY-MM-DD, floats in their shortest exact form. Written by pyarrow: about 15x faster
    than ``DataFrame.to_csv`` (bench/RESULTS.md, fourth pass), which was most of an import's upsert."""
    arrays = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            array = pa.array(values, from_pandas=True).cast(pa.date32())
        elif pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
            array = pa.array(values, from_pandas=True)
        else:
            array = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
        arrays.append(array)
    buffer = io.BytesIO()
    pacsv.write_csv(pa.table(arrays, names=[f"c{i}" for i in range(len(arrays))]), buffer,
                    pacsv.WriteOptions(include_header=False))
    return buffer.getvalue()


def _temp_ids(conn: psycopg.Connection, name: str, ids: Sequence[str]) -> None:
    """A temporary one-column table ``name`` (event_id text) holding ``ids``, for this transaction."""
    conn.execute(sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (event_id text) ON COMMIT DROP").format(
        sql.Identifier(name)))
    conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(name)))
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} (event_id) FROM STDIN").format(sql.Identifier(name))) as copy:
        for value in ids:
            copy.write_row((str(value),))
    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))


KM_PER_DEGREE = 110.0  # a little under a degree of latitude (110.57-111.69 km), so the box errs wide


def _reach(rows: pd.DataFrame) -> pd.DataFrame:
    """One query row per linkable event of ``rows`` for :meth:`PostgisImport.near`: a lon/lat box of REACH_KM
    around it (wider towards the poles), its day range widened by DATE_SLACK_DAYS as index days, its precision
    class, country, admin-1 and dataset."""
    start = pd.to_datetime(rows["date_start"], errors="coerce")
    end = pd.to_datetime(rows["date_end"], errors="coerce").fillna(start)
    lon = pd.to_numeric(rows["longitude"], errors="coerce")
    lat = pd.to_numeric(rows["latitude"], errors="coerce")
    dataset = rows["dataset"].astype("string")
    span = (end - start).dt.days
    linkable = (start.notna() & lon.notna() & lat.notna() & dataset.notna()
                & (span <= incidents.MAX_SPAN_DAYS - 1)).fillna(False).to_numpy(dtype=bool)
    rows, start, end, lon, lat = (x[linkable] for x in (rows, start, end, lon, lat))
    dlat = incidents.REACH_KM / KM_PER_DEGREE + 0.01
    dlon = dlat / np.cos(np.radians(np.minimum(np.abs(lat) + dlat, 89.0)))
    clat = incidents.RADIUS_KM[1] / KM_PER_DEGREE + 0.01
    clon = clat / np.cos(np.radians(np.minimum(np.abs(lat) + clat, 89.0)))
    zero = pd.Timestamp(DAY_ZERO)
    precision = pd.to_numeric(rows["geo_precision"], errors="coerce").fillna(4).clip(1, 4).astype("int64")
    return pd.DataFrame({
        "x0": lon - dlon, "y0": lat - dlat, "x1": lon + dlon, "y1": lat + dlat,
        "cx0": lon - clon, "cy0": lat - clat, "cx1": lon + clon, "cy1": lat + clat,
        "z0": (start - zero).dt.days - incidents.DATE_SLACK_DAYS,
        "z1": (end - zero).dt.days + incidents.DATE_SLACK_DAYS,
        "d0": start, "d1": end, "p": precision,
        "country": rows["country_iso2"].astype("string"), "admin1": rows["admin1"].astype("string"),
        "dataset": rows["dataset"].astype("string"),
    })


# The grid whose cells merge query boxes for one index probe each (PostgisImport.near): a cell a little wider than
# a reach box (2 x 0.74 degrees), so a merged box stays a few query boxes in size while one probe serves every query
# of its cell (1 and 3 degrees measured slower at 100k).
CELL_DEGREES = 2.0
CELL_DAYS = 8


def _cells(query: pd.DataFrame) -> pd.DataFrame:
    """``query`` (from :func:`_reach`) with first columns ``cell``, the grid cell of its box's lower corner, and
    ``days``, the span of CELL_DAYS its first day falls in (the region-level probes' cell)."""
    x = np.floor(query["x0"].to_numpy(dtype=float) / CELL_DEGREES).astype(np.int64) + 1024
    y = np.floor(query["y0"].to_numpy(dtype=float) / CELL_DEGREES).astype(np.int64) + 1024
    z = np.floor(query["z0"].to_numpy(dtype=float) / CELL_DAYS).astype(np.int64) + (1 << 20)
    out = query.copy()
    out.insert(0, "cell", (z * 2048 + y) * 2048 + x)
    out.insert(1, "days", z)
    return out


def _read_events(conn: psycopg.Connection, geometry: bool = True,
                 where: sql.Composable | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
    """Every event (or those ``where`` selects), date-sorted, through COPY TO in CSV form parsed by pyarrow (extra
    columns as text); without ``geometry``, the columns as pyarrow typed them (already the canonical dtypes), with
    no point column built."""
    buffer = io.BytesIO()
    columns = [*schema.COLUMN_NAMES, *_extras(conn)]
    types = {c: ARROW_TYPES[schema.DTYPES[c]] if c in schema.DTYPES else pa.string() for c in columns}
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    query = sql.SQL("COPY (SELECT {} FROM events {} ORDER BY date_start, event_id) TO STDOUT (FORMAT csv, NULL {})")
    where = sql.SQL("WHERE ") + where if where is not None else sql.SQL("")
    with conn.cursor() as cur, cur.copy(query.format(names, where, sql.Literal(NULL))) as copy:
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
    return schema.as_read(schema.conform(frame) if geometry else frame)


def read_arrow(url: str) -> tuple[str, pd.DataFrame]:
    """The store's version and every event (no geometry), date-sorted, as Arrow through ADBC
    (``adbc-driver-postgresql``, the server's binary protocol; no text parsing). One statement, so the version
    and the rows come from one snapshot. What the dashboard loads at start and after each import."""
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT attname FROM pg_attribute WHERE attrelid = 'events'::regclass AND attnum > 0 "
                    "AND NOT attisdropped ORDER BY attnum")
        have = [name for (name,) in cur.fetchall()]
        canonical = {*schema.COLUMN_NAMES, "geom"}
        columns = [*schema.COLUMN_NAMES, *(c for c in have if c not in canonical)]
        names = ", ".join(f'"{c}"' for c in columns)
        cur.execute(f"SELECT (SELECT version FROM store_version WHERE id = 1) AS sca_version, {names} FROM events "
                    "ORDER BY date_start, event_id")
        table = cur.fetch_arrow_table()
        if not table.num_rows:
            cur.execute("SELECT version FROM store_version WHERE id = 1")
            version = cur.fetchone()[0]
            return str(version), pd.DataFrame(schema.empty_events().drop(columns="geometry"))
    version = table.column("sca_version")[0].as_py()
    table = table.drop_columns(["sca_version"])
    strings = pd.StringDtype("pyarrow")
    frame = table.to_pandas(date_as_object=False, types_mapper={pa.string(): strings, pa.large_string(): strings,
                                                                pa.int64(): pd.Int64Dtype()}.get)
    return str(version), schema.as_read(frame)


def _side_columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT "
                        "attisdropped ORDER BY attnum", (table,)).fetchall()
    return [name for (name,) in rows if name not in (ROW, LATEST)]


def _read_side(conn: psycopg.Connection, table: str) -> pd.DataFrame:
    """A side table as text columns ("" for empty), in the order its CSV would hold the rows (see :func:`_order`),
    as the CSV reads with ``dtype=str``."""
    columns = _side_columns(conn, table)
    if table == "quarantine":
        columns = [c for c in columns if c not in TAIL] + [c for c in TAIL if c in columns]
    query = sql.SQL("SELECT {} FROM {} AS side {}").format(
        sql.SQL(", ").join(sql.SQL("side.{}").format(sql.Identifier(c)) for c in columns), sql.Identifier(table),
        _order(table, columns))
    rows = conn.execute(query).fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    return frame.astype(str)


def _order(table: str, columns: list[str]) -> sql.Composable:
    """The row order of a side table as the file store writes it: the incidents by incident_id (the linker lists
    them so); the admin differences as the last import's merge left them, i.e. rows of earlier imports in the
    store's order (date_start, event_id) and then the latest import's rows as written; others as appended.
    Ids compare in code point order (COLLATE "C"), as Python sorts them."""
    row = sql.SQL("side.{}").format(sql.Identifier(ROW))
    if table == "incidents" and "incident_id" in columns:
        return sql.SQL('ORDER BY side.incident_id COLLATE "C", {}').format(row)
    if table == "admin_differences" and "event_id" in columns:
        return sql.SQL('LEFT JOIN events e ON e.event_id = side.event_id ORDER BY side.{latest}, '
                       'CASE WHEN NOT side.{latest} THEN e.date_start END NULLS LAST, '
                       'CASE WHEN NOT side.{latest} THEN e.event_id END COLLATE "C", {row}').format(
            latest=sql.Identifier(LATEST), row=row)
    return sql.SQL("ORDER BY {}").format(row)


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
    text = safecsv.rows_text(frame)  # each value as the file store writes it (floats, dates)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({}))").format(
            sql.Identifier(table), names, names)) as copy:
        copy.write(text)
