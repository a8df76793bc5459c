"""Benchmark: the PostGIS store beside the GeoParquet file: an import of 10,000 new events and a dashboard's cold read.

``python -m bench.bench_store [--sizes 100k,1M] [--store PATH] [--quick] [--pg URL]``. The PostGIS store is a
database of a throwaway cluster (bench/postgis.py; needs PostgreSQL 15 + PostGIS 3 installed) unless
``--pg`` (or ``SCA_BENCH_PG``) names a server whose user may create databases. The import is the pipeline's store
step (read under the writer lock, merge, incident relinking over the whole store, write): the file store rewrites
every row and side file; PostGIS writes only the rows that changed. The cold read is what a dashboard worker does
at start and after each import: every event into memory, then the filter arrays (``EventData``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import psycopg

from bench import timed
from bench.cases import Case, add_case_arguments, cases_from_args
from bench.report import Measure, Result, markdown_table
from dashboard.model.events import EventData
from geodata import incidents, schema
from geodata.store import merge_revisions, open_store

NEW_ROWS = 10_000
RUNS = 2
DEFINITION = {
    "store import of 10,000 new events": "the pipeline's store step for 10,000 new events into the N-event store: "
    "read under the writer lock, merge, relink incidents over the whole store, write (GeoParquet: the whole file "
    "and side files again; PostGIS: one transaction writing the touched rows). Ours = PostGIS, naive = GeoParquet.",
    "store cold read": "every event into memory and the dashboard's filter arrays built (EventData): PostGIS via "
    "COPY in CSV form parsed by pyarrow, beside the GeoParquet file read by pyarrow. Ours = PostGIS.",
}


def new_events(events: pd.DataFrame, run: int, n: int = NEW_ROWS) -> pd.DataFrame:
    """``n`` events like the store's first ones under new ids (an import of new events)."""
    rows = events.iloc[:n].copy()
    rows["event_id"] = [f"bench{run}:{i}" for i in range(len(rows))]
    return schema.conform(rows)


def import_rows(place: str | Path, new: pd.DataFrame) -> dict[str, float]:
    """One import of ``new`` through the store interface; seconds per step."""
    steps: dict[str, float] = {}
    with open_store(place).importing() as tx:
        steps["read"], before = timed(tx.read)
        steps["merge+relink"], (merged, found, result) = timed(lambda: _merge(before, new))
        steps["write"], _ = timed(lambda: (tx.set_incidents(incidents.incident_table(merged, found.links)),
                                           tx.write_events(merged, before), tx.add_revisions(result.revisions)))
    return steps


def _merge(before: pd.DataFrame, new: pd.DataFrame) -> tuple:
    result = merge_revisions(before, new)
    merged, found = incidents.apply(result.merged)
    return merged, found, result


def _server(url: str | None):
    if url:
        return url, None
    from bench.postgis import Cluster

    cluster = Cluster.start()
    return cluster.url(), cluster


def results(case: Case, server: str) -> list[Result]:
    # As an import leaves a store: incidents linked (the synthetic stores are written without).
    events = incidents.apply(open_store(case.store).read())[0]
    folder = Path(tempfile.mkdtemp(prefix="sca-bench-store-"))
    name = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    database = server.rsplit("/", 1)[0] + "/" + name
    try:
        parquet = folder / "events.parquet"
        open_store(parquet).replace(events, {})
        loaded, _ = timed(lambda: open_store(database).replace(events, {}))
        runs = case.runs(RUNS)
        pg_steps = [import_rows(database, new_events(events, run)) for run in range(runs)]
        file_steps = [import_rows(parquet, new_events(events, run)) for run in range(runs)]
        cold_pg = [timed(lambda: EventData.from_frame(open_store(database).snapshot()[1]))[0] for _ in range(runs)]
        cold_file = [timed(lambda: EventData.load(parquet))[0] for _ in range(runs)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def split(steps: list[dict[str, float]]) -> str:
        return ", ".join(f"{k} {v:.1f} s" for k, v in steps[-1].items())

    return [
        Result("store import of 10,000 new events", case.size, Measure.of([sum(s.values()) for s in pg_steps], "s"),
               Measure.of([sum(s.values()) for s in file_steps], "s"),
               note=f"PostGIS: {split(pg_steps)}; GeoParquet: {split(file_steps)}; first COPY of the "
               f"{len(events):,} events into PostGIS {loaded:.1f} s"),
        Result("store cold read", case.size, Measure.of(cold_pg, "s"), Measure.of(cold_file, "s"),
               note="PostGIS COPY + pyarrow CSV beside GeoParquet"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_case_arguments(parser, (100_000,))
    parser.add_argument("--pg", default=os.environ.get("SCA_BENCH_PG"), help="a PostgreSQL server URL to use")
    ns = parser.parse_args(argv)
    server, cluster = _server(ns.pg)
    try:
        print(markdown_table([row for case in cases_from_args(ns) for row in results(case, server)]))
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
