"""Benchmark: how long ``python -m geodata import acled`` takes to refuse a header of 40,000 columns (issue 21).

A fresh process per run, whole wall time (Python start-up and imports included), best and median of the runs.
The refusal comes from ``geodata.importers.common.check_header`` on the file's first bytes, before pandas reads
anything. ``python -m bench.bench_header_cap [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cases import REPO

COLUMNS = 40_000


def measure(runs: int) -> list[float]:
    """Wall seconds of each refused import of a 40,000-column header."""
    with tempfile.TemporaryDirectory() as folder:
        wide = Path(folder) / "wide.csv"
        names = ["event_id_cnty", "event_date", *(f"c{i % 100}" for i in range(COLUMNS - 2))]
        wide.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n", encoding="utf-8")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "geodata", "import", "acled", str(wide), "--store",
                 str(Path(folder) / "events.parquet"), "--no-progress"],
                cwd=REPO, capture_output=True, text=True,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
            if result.returncode == 0 or "40,000 columns" not in result.stderr:
                raise SystemExit(f"not refused as expected: {result.stderr}")
        from geodata.importers import HeaderTooWideError, read_acled

        started = time.perf_counter()
        try:
            read_acled(wide, progress=False)
        except HeaderTooWideError:
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    *times, in_process = measure(parser.parse_args().runs)
    print(f"40,000-column header refused by the CLI: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"({len(times)} runs, whole process); by read_acled in a warm process: {1000 * in_process:.1f} ms")


if __name__ == "__main__":
    main()
