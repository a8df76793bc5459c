"""Benchmark: the streamed CSV and GeoJSON exports of a whole store against the textbook one-string ways.

``python -m bench.bench_export [--sizes 1000000] [--store PATH] [--quick]``. Ours is what ``/export.csv`` and
``/export.geojson`` stream (``iter_csv``, ``iter_geojson``), encoded to UTF-8 chunk by chunk; the naive ways are
``DataFrame.to_csv`` and ``GeoDataFrame.to_json`` on the whole view, timed on at most ``NAIVE_ROWS`` rows and
extrapolated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import geopandas as gpd
import pandas as pd

from bench import timed
from bench.cases import Case, run_alone
from bench.report import Measure, Result, Target
from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.render.export import export_rows, iter_csv, iter_geojson

FULL_RUNS = 3
NAIVE_ROWS = 200_000
TARGET_ROWS_S = Target(">=", 200_000, "rows/s")
DEFINITION = {
    "export": "every event of the store (the view with no filters), as the routes stream it, UTF-8 encoded chunk "
    "by chunk: ours = `iter_csv` / `iter_geojson`; naive = `DataFrame.to_csv` / `GeoDataFrame.to_json` building one "
    f"string of the whole view (timed on at most {NAIVE_ROWS:,} rows, extrapolated ~ beyond).",
}


def pandas_csv(rows: pd.DataFrame) -> str:
    """The textbook CSV: ``DataFrame.to_csv`` on the whole frame, one string."""
    return rows.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n")


def geopandas_geojson(rows: pd.DataFrame) -> str:
    """The textbook GeoJSON: a GeoDataFrame with dates as text, ``to_json()`` on the whole frame."""
    frame = rows.assign(**{n: rows[n].dt.strftime("%Y-%m-%d") for n in ("date_start", "date_end")})
    geometry = gpd.points_from_xy(rows["longitude"], rows["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry).to_json(drop_id=True, ensure_ascii=False)


def stream(chunks: Iterable[str]) -> dict[str, float]:
    """Seconds to encode every chunk as UTF-8 (what the route does), seconds to the first rows, largest chunk."""
    start = time.perf_counter()
    first = peak = 0.0
    for count, chunk in enumerate(chunks):
        peak = max(peak, len(chunk.encode("utf-8")))
        if count == 1:  # the first chunk of rows, after the header
            first = time.perf_counter() - start
    return {"seconds": time.perf_counter() - start, "first": first, "peak": peak}


def compare(case: Case, data: EventData, label: str, ours: Callable, naive: Callable[[pd.DataFrame], str]) -> Result:
    """Rows/s of ``ours`` streaming every event, ``case.runs`` times, beside ``naive`` on a sample."""
    view = View()
    runs = [stream(ours(data, view)) for _ in range(case.runs(FULL_RUNS))]
    rows = export_rows(data, view)
    sample = rows if len(rows) <= NAIVE_ROWS else rows.sample(NAIVE_ROWS, random_state=0)
    naive_seconds, _ = timed(lambda: naive(sample).encode("utf-8"))
    last = runs[-1]
    return Result(f"{label} export", case.size, Measure.of([len(data) / r["seconds"] for r in runs], "rows/s"),
                  Measure.of([len(sample) / naive_seconds], "rows/s", extrapolated=len(sample) < len(rows)),
                  TARGET_ROWS_S if case.at_scale and label == "CSV" else None,
                  note=f"first rows after {last['first']:.2f} s, largest chunk {last['peak'] / 1e6:.1f} MB")


def results(case: Case) -> list[Result]:
    data = EventData.load(case.store)
    return [compare(case, data, "CSV", iter_csv, pandas_csv),
            compare(case, data, "GeoJSON", iter_geojson, geopandas_geojson)]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
