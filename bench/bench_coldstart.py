"""Benchmark: cold start, from a fresh process to an app able to answer, beyond Python's imports.

``python -m bench.bench_coldstart [--sizes 100000] [--store PATH] [--quick]``. Each run is a new interpreter that
times its imports, then ``create_app``: ours reads the store into its filter-ready form and loads the boundary
layers; the naive app reads the store with pandas and draws its first map of every event.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.cases import REPO, Case, run_alone
from bench.report import Measure, Result, Target

FULL_RUNS, NAIVE_RUNS_AT_SCALE = 3, 2
TARGET_S = Target("<", 3, "s")
DEFINITION = {
    "cold start": "a new interpreter per run: seconds in `create_app` after the imports (timed separately, in the "
    "notes): ours = `dashboard.app.create_app(Settings(store=…))`; naive = `bench.naive_app.create_app` (pandas read "
    "+ first map of every event).",
}


def cold_start(kind: str, store: Path) -> dict[str, float]:
    """Measure ``kind`` in a new interpreter (``bench.coldstart_child``); its figures plus the process's wall time."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "bench.coldstart_child", kind, str(store)], cwd=REPO,
                         check=True, capture_output=True, text=True)
    return {**json.loads(out.stdout.splitlines()[-1]), "process": time.perf_counter() - start}


def results(case: Case) -> list[Result]:
    runs = {"ours": case.runs(FULL_RUNS), "naive": case.runs(NAIVE_RUNS_AT_SCALE if case.at_scale else FULL_RUNS)}
    measured = {kind: [cold_start(kind, case.store) for _ in range(count)] for kind, count in runs.items()}

    def seconds(kind: str, key: str) -> list[float]:
        return [run[key] for run in measured[kind]]

    def median(kind: str, key: str) -> float:
        return Measure.of(seconds(kind, key), "s").median

    note = (f"imports {median('ours', 'imports'):.1f} s ours, {median('naive', 'imports'):.1f} s naive; whole process "
            f"{median('ours', 'process'):.1f} s ours, {median('naive', 'process'):.1f} s naive")
    return [Result("cold start beyond imports", case.size, Measure.of(seconds("ours", "create_app"), "s"),
                   Measure.of(seconds("naive", "create_app"), "s"), TARGET_S if case.at_scale else None, note=note)]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
