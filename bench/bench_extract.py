"""Benchmark: text extraction scored on the labelled corpus (``python -m geodata evaluate``), and its time.

``python -m bench.bench_extract [--corpus DIR]``; ``make bench`` runs it once, beside the store benchmarks.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench import timed
from bench.cases import Case
from bench.report import Measure, Result, Target, markdown_table
from geodata.places.boundaries import Boundaries
from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import evaluate

CORPUS = Settings().seeds_dir / "corpus"
DEFINITION = {
    "extract F1": "events extracted from the labelled corpus (`seeds/corpus`: texts + gold.csv) matched one to one "
    "with the gold events (same place within 10 km or same admin-2 for region-level events, overlapping dates, same "
    "pair of actor families): F1 of precision and recall, as `python -m geodata evaluate` prints it; the notes give "
    "P, R, the events placed where the text ties no violence and the seconds the whole corpus took. A score has no "
    "naive way beside it.",
}


def measure(corpus: Path = CORPUS) -> Result:
    """Score the corpus once (the extraction is deterministic) and time it."""
    settings = Settings.from_env()
    geocoder = Geocoder.from_settings(settings)
    boundaries = Boundaries.load(settings.boundaries, settings.cache_dir)
    seconds, score = timed(lambda: evaluate(corpus, geocoder, boundaries))
    note = (f"precision {score.precision:.2f}, recall {score.recall:.2f}; {score.matched}/{score.gold} gold events "
            f"matched, {score.extracted} extracted, {len(score.untied)} placed where the text ties no violence; "
            f"{seconds:.1f} s")  # fmt: skip
    return Result("extract F1", f"{score.texts} texts", Measure.of([round(score.f1, 2)], "F1"),
                  target=Target(">=", 0.85, "F1", "F1 ≥ 0.85"), note=note)  # fmt: skip


def results(case: Case) -> list[Result]:
    return [measure()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus folder (default {CORPUS})")
    args = parser.parse_args(argv)
    print(markdown_table([measure(args.corpus)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
