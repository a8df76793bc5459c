"""Benchmark: the PostGIS store beside the GeoParquet file: an import of 10,000 new events and a dashboard's cold read.

``python -m bench.bench_store [--sizes 100k,1M] [--store PATH] [--quick] [--pg URL]``. The PostGIS store is a
database of a throwaway cluster (bench/postgis.py; needs PostgreSQL 15 + PostGIS 3 installed) unless
``--pg`` (or ``SCA_BENCH_PG``) names a server whose user may create databases. The import is the pipeline's store
step (``pipeline.store_step`` under the writer lock): the file store reads, relinks and rewrites everything; PostGIS
reads the incoming ids and the events within the linker's reach, relinks there and writes what changed. After the
imports both stores must hold the same incident columns and incidents table (checked, the run fails otherwise).
Each import run is printed to stderr as it ends (both sides, their ratio, the load at its start) and listed in the
table's notes, as are each cold read and filter change: on a shared machine the runs, not best and median, tell. The
cold read is what a dashboard worker does at start and after each import: every event into memory, then the filter
arrays (``EventData``), PostGIS through ADBC (Arrow) and, for comparison, through COPY in CSV form. The filter change
is the dashboard's render of a view (bench_filter's changes) from the columns each backend loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import psycopg

from bench import load_average, timed
from bench.bench_filter import changes, ours
from bench.cases import Case, add_case_arguments, cases_from_args
from bench.report import Measure, Result, markdown_table
from dashboard.app import map_layers
from dashboard.model.events import EventData
from dashboard.settings import Settings
from geodata import incidents, pipeline, schema
from geodata.store import open_store, postgis

NEW_ROWS = 10_000
RUNS = 2
COMPARED = ("event_id", *incidents.COLUMNS, incidents.NOTE_COLUMN)
DEFINITION = {
    "store import of 10,000 new events": "the pipeline's store step (`pipeline.store_step`) for 10,000 new reports "
    "(dataset upload) of the store's first events, under the writer lock (GeoParquet: read, relink and rewrite "
    "everything; PostGIS: read the incoming ids and the events within the linker's reach, relink there, upsert what "
    "changed, in one transaction). Both stores must then hold the same incidents. Ours = PostGIS, naive = GeoParquet.",
    "store cold read (ADBC)": "every event into memory and the dashboard's filter arrays built (EventData): PostGIS "
    "through ADBC (Arrow), beside the GeoParquet file read by pyarrow; the note gives COPY in CSV form. "
    "Ours = PostGIS.",
    "filter change → figures": "bench_filter's render of a view from the columns each backend loaded (store benchmark "
    "rows: ours = PostGIS, naive = GeoParquet).",
}


def new_events(events: pd.DataFrame, run: int, n: int = NEW_ROWS) -> pd.DataFrame:
    """``n`` reports of the store's first events from another source (dataset ``upload``, new ids): each links to
    the event it repeats, and a second run's copies compete with the first's (equal candidates: neither links), so
    the relinking makes and unmakes incidents."""
    rows = events.iloc[:n].copy()
    rows["event_id"] = [f"bench{run}:{i}" for i in range(len(rows))]
    rows["dataset"] = "upload"
    for column in (*incidents.COLUMNS, incidents.NOTE_COLUMN):
        rows[column] = pd.NA
    return schema.conform(rows)


def import_rows(place: str | Path, new: pd.DataFrame) -> float:
    """One import of ``new`` through the pipeline's store step, commit included; seconds."""
    def step() -> None:
        with open_store(place).importing() as tx:
            pipeline.store_step([new], [], pipeline.Summary(read=len(new)), set(), False, tx)

    return timed(step)[0]


KINDS = ("joins 10,000 incidents", "dissolves them")


def run_line(case: Case, run: int, pg: float, file: float, load: str) -> str:
    """One import run as it happened: both sides' seconds, the ratio and the load when it started."""
    kind = KINDS[run] if run < len(KINDS) else "changes no incident"
    return (f"{case.size} run {run + 1} ({kind}): PostGIS {pg:.2f} s, GeoParquet {file:.2f} s, "
            f"{file / pg:.2f}x, load {load}")


def _runs(values: list[float], digits: int = 2) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def same_incidents(parquet: Path, database: str) -> None:
    """The incident columns and the incidents table of both stores are equal, or the benchmark fails."""
    a, b = (open_store(p).read(list(COMPARED)).sort_values("event_id").reset_index(drop=True)
            for p in (parquet, database))
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b), check_dtype=False)
    tables = [open_store(p).side("incidents") for p in (parquet, database)]
    if not ((tables[0].empty and tables[1].empty) or tables[0].equals(tables[1])):
        raise AssertionError("the incidents tables differ between GeoParquet and PostGIS")


def _server(url: str | None):
    if url:
        return url, None
    from bench.postgis import Cluster

    cluster = Cluster.start()
    return cluster.url(), cluster


def filter_ms(data: EventData, layers, settings: Settings) -> list[float]:  # noqa: ANN001 - plotly layers
    ours(data, layers, settings, changes(0)[0])  # warm-up
    return [timed(lambda view=view: ours(data, layers, settings, view))[0] * 1000 for view in changes(0)]


def results(case: Case, server: str) -> list[Result]:
    # As an import leaves a store: incidents linked (the synthetic stores are written without).
    events, found = incidents.apply(open_store(case.store).read())
    folder = Path(tempfile.mkdtemp(prefix="sca-bench-store-"))
    name = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    database = server.rsplit("/", 1)[0] + "/" + name
    loads = [load_average()]
    try:
        parquet = folder / "events.parquet"
        open_store(parquet).replace(events, {"incidents": incidents.incident_table(events, found.links)})
        loaded, _ = timed(lambda: open_store(database).replace(events, {"incidents": open_store(parquet).side(
            "incidents")}))
        runs = case.runs(RUNS)
        pg_import, file_import, each = [], [], []
        for run in range(runs):  # alternating, so both sides see the same load
            load = load_average()
            pg_import.append(import_rows(database, new_events(events, run)))
            file_import.append(import_rows(parquet, new_events(events, run)))
            each.append(run_line(case, run, pg_import[-1], file_import[-1], load))
            print(each[-1], file=sys.stderr, flush=True)
        same_incidents(parquet, database)
        loads.append(load_average())
        cold_adbc, cold_copy, cold_file = [], [], []
        for _ in range(runs):
            cold_adbc.append(timed(lambda: EventData.from_frame(postgis.read_arrow(database)[1]))[0])
            cold_copy.append(timed(lambda: EventData.from_frame(open_store(database).snapshot()[1]))[0])
            cold_file.append(timed(lambda: EventData.load(parquet))[0])
        settings = Settings(store=parquet)
        layers = map_layers(settings)
        filter_pg = filter_ms(EventData.from_frame(open_store(database).snapshot()[1]), layers, settings)
        filter_file = filter_ms(EventData.load(parquet), layers, settings)
        loads.append(load_average())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    load = f"load average {' / '.join(loads)}"
    return [
        Result("store import of 10,000 new events", case.size, Measure.of(pg_import, "s"),
               Measure.of(file_import, "s"),
               note=f"{'; '.join(each)}; same incident columns and incidents table after the imports (checked); "
               f"{load}; first COPY of the {len(events):,} events into PostGIS {loaded:.1f} s"),
        Result("store cold read (ADBC)", case.size, Measure.of(cold_adbc, "s"), Measure.of(cold_file, "s"),
               note=f"PostGIS via ADBC (Arrow) beside GeoParquet, each run: {_runs(cold_adbc)} s vs "
               f"{_runs(cold_file)} s; via COPY in CSV form + pyarrow: {_runs(cold_copy)} s"),
        Result("filter change → figures", case.size, Measure.of(filter_pg, "ms"), Measure.of(filter_file, "ms"),
               note=f"{len(filter_pg)} changes, columns loaded from PostGIS beside from GeoParquet, each: "
               f"{_runs(filter_pg, 0)} ms vs {_runs(filter_file, 0)} ms"),
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
