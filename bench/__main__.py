"""``python -m bench`` (``make bench``): every benchmark, ours beside the naive way, on synthetic stores of 10k, 50k,
100k and 1M events (the browser's also on one year of the 1M); prints one table and writes it, with the machine,
to bench/RESULTS.md."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from bench import (
    bench_browser,
    bench_coldstart,
    bench_export,
    bench_extract,
    bench_filter,
    bench_geocode,
    bench_join,
    bench_load,
    load_average,
)
from bench.cases import Case, add_case_arguments, cases_from_args, window_case
from bench.machine import describe
from bench.report import Result, markdown_table

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
# Sections measured by hand sit below this line in RESULTS.md; a run rewrites what is above it and keeps them.
HAND_WRITTEN = "<!-- Sections below are measured by hand; python -m bench keeps them as they are. -->"
# Run on every store, smallest first; geocoding does not depend on the store and runs once; the load test runs on
# the largest store.
PER_STORE: tuple[ModuleType, ...] = (bench_filter, bench_browser, bench_coldstart, bench_join, bench_export)
ONCE, ON_LARGEST = bench_geocode, bench_load
ALL = (*PER_STORE, ONCE, bench_extract, ON_LARGEST)
NOTES = """\
"best / median" are the best and the median of the runs (one figure: one run; the notes say how many where it
matters); "~" marks a figure extrapolated from a sample. Gain = naive median ÷ our median (for rows/s, ours ÷ naive).
Targets are the issue's, for 1,000,000 events, checked on our median unless they say otherwise (filter change: the
worst change; load: p95 and the error count). "load avg" is the machine's 1/5/15-minute load average when the row
was measured: the machine is shared and often busy (other work ran beside these runs), so a high load means
slower figures for both sides; compare ours with the naive way of the same row (measured in the same run, minutes
apart), not with figures of another run."""


def name(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1].removeprefix("bench_")


def run(module: ModuleType, case: Case) -> list[Result]:
    """One benchmark on one store; a failure becomes a row saying so, and the others still run."""
    where = "" if module in (ONCE, bench_extract) else f" on {case.size} ({case.store})"
    print(f"== {name(module)}{where}; load average {load_average()}", file=sys.stderr, flush=True)
    try:
        rows = module.results(case)
    except Exception as error:  # a broken benchmark must not hide the others' figures
        traceback.print_exc()
        rows = [Result(name(module), case.size, f"FAILED: {type(error).__name__}: {error}"[:200])]
    print(markdown_table(rows), file=sys.stderr, flush=True)
    return rows


def grouped(measured: dict[tuple[ModuleType, Case], list[Result]], modules: Sequence[ModuleType],
            cases: Sequence[Case]) -> list[Result]:
    """The table's order: benchmark by benchmark, each of its rows for every size in turn (smallest first)."""
    rows = []
    for module in modules:
        per_case = [measured.get((module, case), []) for case in cases]
        for position in range(max(map(len, per_case), default=0)):
            rows += [found[position] for found in per_case if position < len(found)]
    return rows


def definitions(modules: Sequence[ModuleType]) -> str:
    return "\n".join(f"- **{title}**: {text}" for module in modules for title, text in module.DEFINITION.items())


def results_markdown(rows: Sequence[Result], machine: dict[str, str], command: str,
                     modules: Sequence[ModuleType]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}`; rerun it (or `make bench`) to refresh this file. See the README's Benchmarks "
        "section for the flags.",
        "",
        "## Machine",
        "",
        *(f"- {label}: {value}" for label, value in machine.items()),
        "",
        "## Results",
        "",
        markdown_table(rows),
        "",
        NOTES,
        "",
        "## What each row measures",
        "",
        definitions(modules),
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    add_case_arguments(parser)
    parser.add_argument("--only", type=lambda text: set(text.split(",")),
                        help=f"comma-separated benchmarks to run, of: {', '.join(name(m) for m in ALL)}")
    parser.add_argument("--skip-browser", action="store_true", help="no headless Chromium")
    parser.add_argument("--skip-load", action="store_true", help="no load test")
    parser.add_argument("--browser-window-at-scale", action="store_true",
                        help="on stores of a million events or more, the browser benchmark opens only the one-year "
                             "window (the naive page of a whole million takes minutes a load)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"Markdown file to write (default {RESULTS})")
    ns = parser.parse_args(argv)
    wanted = [m for m in ALL if (ns.only is None or name(m) in ns.only)
              and not (ns.skip_browser and m is bench_browser) and not (ns.skip_load and m is bench_load)]
    if ns.only and ns.only - {name(m) for m in ALL}:
        parser.error(f"unknown benchmarks: {', '.join(sorted(ns.only - {name(m) for m in ALL}))}")

    machine = describe()
    cases = cases_from_args(ns)
    plan: list[tuple[ModuleType, Case]] = [(m, c) for c in cases for m in PER_STORE if m in wanted
                                           and not (ns.browser_window_at_scale and m is bench_browser and c.at_scale)]
    window = window_case(cases)  # the browser benchmark also opens the largest store on one year
    if window is not None and bench_browser in wanted:
        plan.append((bench_browser, window))
    plan += [(m, case) for m, case in ((ONCE, cases[0]), (bench_extract, cases[0]), (ON_LARGEST, cases[-1]))
             if m in wanted]
    measured = {(module, case): run(module, case) for module, case in plan}
    rows = grouped(measured, wanted, [*cases, *([window] if window is not None else [])])

    table = markdown_table(rows)
    print(table)
    command = " ".join(["python -m bench", *(sys.argv[1:] if argv is None else argv)])
    previous = ns.out.read_text() if ns.out.exists() else ""
    kept = previous[previous.index(HAND_WRITTEN):] if HAND_WRITTEN in previous else ""
    ns.out.write_text(results_markdown(rows, machine, command, wanted) + ("\n" + kept if kept else ""))
    print(f"\nwritten to {ns.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
