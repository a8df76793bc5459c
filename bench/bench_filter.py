"""Benchmark: a filter change turned into everything the page shows, server-side, and the map's payload.

``python -m bench.bench_filter [--sizes 100000] [--store PATH] [--quick]``. Ours is ``render_view`` (map, timeline,
counter, region rows, the table's first block) with the app's boundary layers and settings, plus the JSON of its
map and timeline; the naive way is a pandas mask on the whole frame plus ``px.scatter_map`` of every filtered row
plus its JSON.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd

from bench import timed
from bench.cases import Case, run_alone
from bench.naive import naive_frame, naive_map, naive_mask
from bench.report import Measure, Result, Target, number
from dashboard.app import map_layers
from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.render.figures import BoundaryLayers
from dashboard.render.parts import render_view
from dashboard.settings import Settings

DEFINITION = {
    "filter change → figures": "one filter change, server-side: ours = `render_view` (map, timeline, counter, "
    "region rows, table's first block) + JSON of map and timeline; naive = pandas mask on the whole frame + "
    "`px.scatter_map` of every filtered row + JSON. Changes: a country, then a 3-month window, then an actor "
    "family, then a year for that family; each run uses other countries, months and years, so no view repeats. "
    "Every change is one sample; the target is checked on the worst.",
    "map payload": "bytes of the map figure's JSON (what the callback sends): for the whole store (the first "
    "page) and for the heaviest view of the filter changes.",
}
COUNTRIES = ("ML", "BF", "NE")
FAMILIES = ("JNIM", "ISGS")
FIRST_YEAR, YEARS = 2018, 7  # the synthetic events span 2017-2025
FULL_RUNS, FULL_NAIVE_RUNS, NAIVE_RUNS_AT_SCALE = 5, 3, 2
TARGET_MS = Target("<", 150, "ms", label="every change < 150 ms")
TARGET_FIRST_MB = Target("<", 1.0, "MB")
TARGET_ANY_MB = Target("<", 1.5, "MB")


def changes(run: int) -> list[View]:
    """The filter changes of run ``run``: country, 3-month window, family, then a year for the family."""
    country, family = COUNTRIES[run % len(COUNTRIES)], FAMILIES[run % len(FAMILIES)]
    year = FIRST_YEAR + run % YEARS
    first = datetime.date(year, 1 + (3 * run) % 12, 1)
    window = {"start": first, "end": (pd.Timestamp(first) + pd.offsets.MonthEnd(3)).date()}
    return [
        View(country=(country,)),
        View(country=(country,), **window),
        View(country=(country,), group=(family,), **window),
        View(group=(family,), start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)),
    ]


def ours(data: EventData, layers: BoundaryLayers, settings: Settings, view: View) -> int:
    """Render ``view`` as the app does and encode its map and timeline; the map's JSON size in bytes."""
    parts = render_view(data, view, layers, style=settings.map_style, max_points=settings.max_points)
    parts.timeline.to_json().encode()
    return len(parts.map.to_json().encode())


def naive(frame: pd.DataFrame, view: View) -> int:
    """The naive figure for ``view`` from the whole frame, encoded; its size in bytes."""
    return len(naive_map(frame[naive_mask(frame, view)]).to_json().encode())


def run_changes(runs: int, work: Callable[[View], int]) -> tuple[list[tuple[float, View]], dict[View, int]]:
    """Time ``work`` on every change of ``runs`` runs: (milliseconds, view) per change, and bytes per view."""
    timings, sizes = [], {}
    for run in range(runs):
        for view in changes(run):
            seconds, size = timed(partial(work, view))
            timings.append((seconds * 1000, view))
            sizes.setdefault(view, size)
    return timings, sizes


def results(case: Case) -> list[Result]:
    settings = Settings(store=case.store)
    data, layers = EventData.load(case.store), map_layers(settings)
    frame = naive_frame(case.store)
    ours(data, layers, settings, changes(YEARS)[0])  # warm-up: imports, caches of plotly's validators

    ours_timed, our_bytes = run_changes(case.runs(FULL_RUNS), partial(ours, data, layers, settings))
    naive_runs = case.runs(NAIVE_RUNS_AT_SCALE if case.at_scale else FULL_NAIVE_RUNS)
    naive_timed, naive_bytes = run_changes(naive_runs, partial(naive, frame))
    our_ms, naive_ms = [ms for ms, _ in ours_timed], [ms for ms, _ in naive_timed]
    (our_worst, worst_view), (naive_worst, naive_worst_view) = (max(t, key=lambda pair: pair[0])
                                                                for t in (ours_timed, naive_timed))

    everything = View()
    first_ours, first_naive = ours(data, layers, settings, everything), naive(frame, everything)
    heaviest = max(changes(0), key=lambda v: our_bytes[v])
    at_scale = case.at_scale
    return [
        Result("filter change → figures", case.size, Measure.of(our_ms, "ms"), Measure.of(naive_ms, "ms"),
               TARGET_MS if at_scale else None, checked=max(our_ms),
               note=f"worst change {number(our_worst)} ms ours ({worst_view.to_query()}), {number(naive_worst)} ms "
                    f"naive ({naive_worst_view.to_query()}); {len(our_ms)} changes ours, {len(naive_ms)} naive"),
        Result("map payload, whole store", case.size, Measure.of([first_ours / 1e6], "MB"),
               Measure.of([first_naive / 1e6], "MB"), TARGET_FIRST_MB if at_scale else None,
               note=f"{len(data):,} events"),
        Result("map payload, heaviest change", case.size, Measure.of([our_bytes[heaviest] / 1e6], "MB"),
               Measure.of([naive_bytes[heaviest] / 1e6], "MB"), TARGET_ANY_MB if at_scale else None,
               note=f"{len(data.rows(heaviest)):,} events: {heaviest.to_query()}"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
