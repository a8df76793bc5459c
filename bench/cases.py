"""What a benchmark runs on: a store of N events (synthetic, generated once per N and seed) and how many runs."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from bench.report import Result, events_label, markdown_table

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("SCA_BENCH_CACHE") or Path.home() / ".cache" / "sca-bench")
SIZES = (10_000, 50_000, 100_000, 1_000_000)
AT_SCALE = 1_000_000  # the targets are stated for a million events
# The one-year window the browser benchmark also opens on the largest store (issue 19: an analyst's year of the
# million, about 110,000 events of the synthetic 2017–2025 store).
WINDOW = ("2020-01-01", "2020-12-31")


@dataclass(frozen=True)
class Case:
    """One store to measure on."""

    store: Path
    events: int
    quick: bool = False
    window: tuple[str, str] | None = None  # (start, end): the page opens on these dates (browser benchmark only)

    def runs(self, full: int) -> int:
        """``full`` runs, or one with ``--quick``."""
        return 1 if self.quick else full

    @property
    def at_scale(self) -> bool:
        return self.events >= AT_SCALE

    @property
    def size(self) -> str:
        label = events_label(self.events)
        return f"{label}, {self.window[0][:4]} window" if self.window else label

    @property
    def query(self) -> str:
        """The page's address for this case ("" or "start=…&end=…")."""
        return f"start={self.window[0]}&end={self.window[1]}" if self.window else ""


def synthetic_store(events: int, seed: int = 0) -> Path:
    """The store ``python -m geodata synthetic`` writes for ``events`` and ``seed``, generated once and cached; a
    cached copy of an older format (a canonical column missing) is built again, not served to a failing app."""
    path = CACHE / f"syn_{events}_seed{seed}_{generator_version()}.parquet"
    if path.is_file() and stale_columns(path):
        print(f"{path}: an older store format (no {', '.join(stale_columns(path))}): building it again",
              file=sys.stderr)
        path.unlink()
    if not path.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as directory:
            out = Path(directory) / "events.parquet"
            command = [sys.executable, "-m", "geodata", "synthetic", "--events", str(events), "--seed", str(seed),
                       "--store", str(out)]
            subprocess.run(command, cwd=REPO, check=True, stdout=sys.stderr)  # stdout is for the table
            os.replace(out, path)
    return path


def generator_version() -> str:
    """A short hash of geodata's sources: a changed generator or join writes new stores instead of reusing old ones."""
    digest = hashlib.sha256()
    for source in sorted((REPO / "geodata").rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def stale_columns(store: Path) -> list[str]:
    """The canonical columns the store at ``store`` lacks (none for a store this version serves)."""
    from dashboard.model.startup import missing_columns

    return missing_columns(store)


def checked_store(store: Path) -> Path:
    """``store`` (a ``--store`` argument) when this version can serve it; else a clear stop before any benchmark
    runs, naming the file and its missing columns (an app started on it would only fail row by row)."""
    if not store.is_file():
        raise SystemExit(f"--store {store}: no such file")
    missing = stale_columns(store)
    if missing:
        raise SystemExit(f"--store {store}: an older store format, without the column(s) {', '.join(missing)}; "
                         "rebuild it (python -m geodata synthetic / build) or leave --store out to use --sizes")
    return store


def count_events(store: Path) -> int:
    return pq.ParquetFile(store).metadata.num_rows


def sizes_argument(text: str) -> tuple[int, ...]:
    """'10000,100000' or '10k,1M' -> (10000, 100000)."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        sizes.append(int(float(part[:-1]) * scale[part[-1]]) if part[-1] in scale else int(part))
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError(f"expected positive event counts such as 10000,100000, got {text!r}")
    return tuple(sizes)


def add_case_arguments(parser: argparse.ArgumentParser, sizes: Sequence[int] = SIZES) -> None:
    """--sizes, --store, --seed and --quick: which stores to measure on and how many runs."""
    parser.add_argument("--sizes", type=sizes_argument, default=tuple(sizes),
                        help=f"event counts of the synthetic stores (default {','.join(map(str, sizes))})")
    parser.add_argument("--store", type=Path, action="append",
                        help="measure this store instead of synthetic ones (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic stores (default 0)")
    parser.add_argument("--quick", action="store_true", help="one run of each figure")


def cases_from_args(ns: argparse.Namespace) -> list[Case]:
    """The cases the parsed arguments ask for, smallest store first."""
    stores = [checked_store(Path(s)) for s in ns.store] if ns.store else [synthetic_store(n, ns.seed)
                                                                           for n in ns.sizes]
    return sorted((Case(Path(s), count_events(Path(s)), ns.quick) for s in stores), key=lambda c: c.events)


def window_case(cases: Sequence[Case]) -> Case | None:
    """The largest store opened on :data:`WINDOW`, when it is at scale (a million events or more)."""
    largest = max(cases, key=lambda c: c.events, default=None)
    return dataclasses.replace(largest, window=WINDOW) if largest is not None and largest.at_scale else None


def run_alone(results: Callable[[Case], list[Result]], description: str, argv: Sequence[str] | None = None,
              sizes: Sequence[int] = (100_000,)) -> int:
    """``python -m bench.bench_x``: one benchmark on its own, printing its rows of the table."""
    parser = argparse.ArgumentParser(description=description)
    add_case_arguments(parser, sizes)
    ns = parser.parse_args(argv)
    print(markdown_table([row for case in cases_from_args(ns) for row in results(case)]))
    return 0
