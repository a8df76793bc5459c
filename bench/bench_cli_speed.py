"""Benchmark: the command line's own start-up, ``geocode Ménaka`` and ``extract`` of a 2 KB text, per fresh process.

Ours: the geocoder index (and the layer learned from the store) read from the warm disk cache. Naive: what every
call did before the cache, rebuilding the index in the process (a fresh empty cache directory per run, which is
exactly that work plus writing the file). Whole-process wall time and peak resident memory.
``python -m bench.bench_cli_speed [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.cases import REPO, Case
from bench.report import Measure, Result, Target, markdown_table

FULL_RUNS = 3
FIXTURE = REPO / "tests" / "fixtures" / "acled_learned_places.csv"
DEFINITION = {
    "cli geocode": "a new `python -m geodata geocode Ménaka` process per run, whole wall time (imports included): "
    "ours = index and learned layer from the warm disk cache; naive = a fresh cache directory per run, so the "
    "gazetteer is parsed and joined again (what every call did before); peak RSS in the notes.",
    "cli extract 2 KB": "a new `python -m geodata extract` process per run on a 2 KB English text (our own sentences) "
    "into a small store (the learned-places ACLED fixture), a fresh copy per run; same ours / naive as above.",
}
# Our own sentences with facts from seeds/ and the curated events (places, dates, figures); about 2 KB.
SENTENCES = (
    "On 2 January 2021, ISGS fighters killed about 100 civilians in Tchoma Bangou and Zaroumdareye.",
    "On 5 June 2021, gunmen attacked Solhan and killed at least 160 people.",
    "On 21 March 2021, Islamic State fighters attacked camps near Intazayane, killing 141 civilians.",
    "On 16 December 2016, Ansarul Islam fighters attacked an army post in Nassoumbou, killing 12 soldiers.",
    "In October 2020, JNIM fighters besieged Farabougou for several weeks.",
    "On 15 March 2021, ISGS fighters killed 66 people in Darey-Daye and Chinégodar.",
    "On 4 August 2019, JNIM and ISGS fighters clashed near Ménaka, leaving 20 dead.",
    "Refugees from Mali reached Fassala in Mauritania in February 2022.",
    "On 11 June 2022, jihadists attacked Seytenga and killed 86 civilians.",
    "On 26 May 2022, militants attacked Madjoari and killed 50 civilians.",
    "On 9 November 2019, JNIM fighters ambushed a convoy near Boungou, killing 39 people.",
)


def text_of(size: int = 2048) -> str:
    """The sentences repeated (with new days) to ``size`` bytes, one per line."""
    lines, day = [], 0
    while sum(len(line) + 1 for line in lines) < size:
        line = SENTENCES[day % len(SENTENCES)]
        lines.append(line)
        day += 1
    return "\n".join(lines)[:size]


def run(args: list[str], cache: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds of ``python -m geodata ARGS`` with ``SCA_CACHE_DIR=cache``.

    CPU time (user + system) is printed beside wall time: on this shared 2-core machine it is what the process
    would take alone."""
    child = ("import resource, runpy, sys\n"
             f"sys.argv = ['geodata', *{args!r}]\n"
             "try:\n    runpy.run_module('geodata', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "use = resource.getrusage(resource.RUSAGE_SELF)\n"
             "print(use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr)\n")  # fmt: skip
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", child], cwd=REPO, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SCA_CACHE_DIR": str(cache)})
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"geodata {' '.join(args)} failed: {out.stderr}")
    rss, cpu = out.stderr.strip().splitlines()[-1].split()
    return seconds, int(rss) // 1024, float(cpu)


def measure(runs: int = FULL_RUNS) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="sca-cli-bench-") as folder:
        work = Path(folder)
        base = work / "base.parquet"
        warm = work / "cache"
        subprocess.run([sys.executable, "-m", "geodata", "import", "acled", str(FIXTURE), "--store", str(base),
                        "--no-progress"], cwd=REPO, check=True, capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SCA_CACHE_DIR": str(warm)})
        text = work / "report.txt"
        text.write_text(text_of(), encoding="utf-8")

        def extract(cache: Path, i: int) -> tuple[float, int, float]:
            store = work / f"run{i}.parquet"
            shutil.copy(base, store)
            return run(["extract", str(text), "--store", str(store), "--no-progress"], cache)

        geocode = ["geocode", "Ménaka", "--store", str(base)]
        run(geocode, warm)  # warm the cache for this store
        extract(warm, -1)
        ours_geo = [run(geocode, warm) for _ in range(runs)]
        naive_geo = [run(geocode, work / f"cold-g{i}") for i in range(runs)]
        ours_ext = [extract(warm, i) for i in range(runs)]
        naive_ext = [extract(work / f"cold-e{i}", runs + i) for i in range(runs)]

    def seconds(rows: list[tuple[float, int, float]]) -> Measure:
        return Measure.of([s for s, _, _ in rows], "s")

    def notes(ours: list[tuple[float, int, float]], naive: list[tuple[float, int, float]]) -> str:
        cpu = [Measure.of([c for _, _, c in rows], "s").median for rows in (ours, naive)]
        rss = [max(mb for _, mb, _ in rows) for rows in (ours, naive)]
        return f"peak RSS {rss[0]} MB ours, {rss[1]} MB naive; CPU {cpu[0]:.2f} s ours, {cpu[1]:.2f} s naive"

    size = f"{len(text_of().encode())} B text"
    return [
        Result("cli geocode Ménaka (whole process)", "1 name", seconds(ours_geo), seconds(naive_geo),
               Target("<", 1.5, "s", "about 1 s"), note=notes(ours_geo, naive_geo)),
        Result("cli extract 2 KB (whole process)", size, seconds(ours_ext), seconds(naive_ext),
               Target("<", 2, "s", "< 2 s, < 300 MB"),
               note=notes(ours_ext, naive_ext)),
    ]  # fmt: skip


def results(case: Case) -> list[Result]:
    return measure(case.runs(FULL_RUNS))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=FULL_RUNS, help=f"runs of each (default {FULL_RUNS})")
    parser.add_argument("--quick", action="store_true", help="one run of each")
    args = parser.parse_args(argv)
    print(markdown_table(measure(1 if args.quick else args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
