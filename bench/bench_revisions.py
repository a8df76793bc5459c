"""Benchmark: merging a re-export of the store's N events (1% revised, newer timestamps) against a per-row loop.

``python -m bench.bench_revisions [--sizes 1000000] [--store PATH] [--quick]``. Ours is ``store.merge_revisions``
(index lookups; values compared only where a revision can apply) followed by the difference report
(``boundaries.source_differences``); the naive loop walks the incoming rows with a dict of stored rows and compares
field by field, on a sample, extrapolated to N.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bench import timed
from bench.cases import Case, run_alone
from bench.report import Measure, Result
from geodata import schema, store
from geodata.places.boundaries import source_differences

FULL_RUNS = 3
SAMPLE = 20_000
REVISED_SHARE = 0.01
DEFINITION = {
    "revisions merge": "the store's N events imported again as a newer export (every row a newer `timestamp`, "
    f"{REVISED_SHARE:.0%} with a changed fatality count): ours = `store.merge_revisions` + `source_differences`; "
    f"naive = a per-row loop over a dict of stored rows comparing every field, timed on {SAMPLE:,} rows and "
    "extrapolated to N (~).",
}


def newer_export(events: pd.DataFrame) -> pd.DataFrame:
    """The same events with newer timestamps and every hundredth fatality count revised."""
    newer = events.copy()
    newer["source_timestamp"] = pd.array(np.full(len(newer), 1_700_000_000), dtype="Int64")
    revised = np.arange(len(newer)) % round(1 / REVISED_SHARE) == 0
    newer.loc[revised, "fatalities"] = newer.loc[revised, "fatalities"].fillna(0) + 1
    return schema.conform(newer)


def naive_merge(existing: pd.DataFrame, new: pd.DataFrame) -> int:
    """The slow reference: one dict lookup and a field-by-field comparison per incoming row."""
    stored = {row["event_id"]: row for row in existing.to_dict("records")}
    columns = [c for c in schema.COLUMN_NAMES if c not in store.DERIVED]
    changed = 0
    for row in new.to_dict("records"):
        old = stored.get(row["event_id"])
        if old is None:
            stored[row["event_id"]] = row
            continue
        for column in columns:
            if str(old[column]) != str(row[column]):
                changed += 1
        stored[row["event_id"]] = row
    return changed


def results(case: Case) -> list[Result]:
    existing = store.read_store(case.store)
    new = newer_export(existing)
    runs = [timed(lambda: (store.merge_revisions(existing, new), source_differences(existing)))
            for _ in range(case.runs(FULL_RUNS))]
    merge = runs[-1][1][0]
    sample_seconds, _ = timed(lambda: naive_merge(existing.iloc[:SAMPLE], new.iloc[:SAMPLE]))
    share = len(new) / min(SAMPLE, len(new))
    return [Result("revisions merge of N events", case.size, Measure.of([s for s, _ in runs], "s"),
                   Measure.of([sample_seconds * share], "s", extrapolated=True), None,
                   note=f"{int(merge.updated.sum()):,} updated, {len(merge.revisions):,} values logged")]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
