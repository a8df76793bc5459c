"""Benchmark: joining the store's N event points to country/admin-1/admin-2 against a per-point shapely loop.

``python -m bench.bench_join [--sizes 1000000] [--store PATH] [--quick]``. Ours is ``Boundaries.join`` (one
``geopandas.sjoin`` on prepared tiles); the naive loop tests every point against every unit polygon, on a sample,
extrapolated to N.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bench import timed
from bench.cases import Case, run_alone
from bench.report import Measure, Result, Target
from geodata.places.boundaries import Boundaries

FULL_RUNS = 3
SAMPLE = 2_000
TARGET_S = Target("<", 3, "s")
DEFINITION = {
    "admin-1 join": "the store's N event points joined to country, admin-1 and admin-2: ours = `Boundaries.join` "
    "(vectorised `geopandas.sjoin`); naive = each point tested against each unit polygon with shapely, timed on "
    f"{SAMPLE:,} points and extrapolated to N (~).",
}


def event_points(store: Path) -> gpd.GeoDataFrame:
    """The store's events as bare points (event_id, latitude, longitude, geometry)."""
    frame = pd.read_parquet(store, columns=["event_id", "latitude", "longitude"])
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
                            crs="EPSG:4326")


def naive_join(bounds: Boundaries, points: gpd.GeoDataFrame) -> list[str | None]:
    """The slow reference: every point against every unit polygon, unprepared (what the join replaces)."""
    polygons = list(zip(bounds.units["admin1"], bounds.units.geometry, strict=True))
    return [next((name for name, polygon in polygons if polygon.contains(point)), None) for point in points.geometry]


def results(case: Case) -> list[Result]:
    bounds = Boundaries.load()
    points = event_points(case.store)
    bounds.join(points.iloc[:100])  # builds the join layer once, as any long-lived process would
    runs = [timed(lambda: bounds.join(points)) for _ in range(case.runs(FULL_RUNS))]
    joined = runs[-1][1]

    sample = points.iloc[:SAMPLE]
    naive_seconds, naive = timed(lambda: naive_join(bounds, sample))
    agree = pd.Series(naive, dtype="string").equals(joined["admin1"].iloc[:SAMPLE].reset_index(drop=True))
    return [Result("admin-1 join of N points", case.size, Measure.of([s for s, _ in runs], "s"),
                   Measure.of([naive_seconds * len(points) / len(sample)], "s", extrapolated=True),
                   TARGET_S if case.at_scale else None,
                   note=f"naive on {len(sample):,} points; same admin-1 on them: {'yes' if agree else 'NO'}")]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
