"""Benchmark: geocoding 100k names with ``geocode_many`` versus calling ``geocode`` per name (on a sample).

Within ``python -m bench`` it also runs :mod:`bench.bench_cli_speed` (the CLI's start-up with the cached index).

Names are sampled with replacement from the gazetteer's own spellings, plus misspellings and unknown names,
with a seeded generator; half carry their country as a hint. ``python -m bench.bench_geocode [--names N] [--quick]``.
"""

from __future__ import annotations

import argparse
import string
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bench import bench_cli_speed, timed
from bench.cases import Case
from bench.report import Measure, Result, markdown_table
from geodata.places.boundaries import Boundaries
from geodata.places.gazetteer import Gazetteer
from geodata.places.geocode import Geocoder, PlaceNotFound

SEED = 20240601
TOTAL = 100_000
NAIVE_SAMPLE = 3_000
MISSPELLED_SHARE = 0.07
UNKNOWN_SHARE = 0.03
FULL_RUNS = 3
DEFINITION = {
    "geocode": f"{TOTAL:,} names (gazetteer spellings, {MISSPELLED_SHARE:.0%} misspelt, {UNKNOWN_SHARE:.0%} unknown, "
    "half with a country hint): ours = `Geocoder.geocode_many`; naive = one `Geocoder.geocode` call per name, "
    f"timed on {NAIVE_SAMPLE:,} names and extrapolated (~).",
    **bench_cli_speed.DEFINITION,
}


def misspell(name: str, rng: np.random.Generator) -> str:
    """Double one letter or swap two neighbours: the typos reporters' spellings actually show."""
    if len(name) < 4:
        return name + name[-1]
    i = int(rng.integers(1, len(name) - 1))
    if rng.random() < 0.5:
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def sample_names(gazetteer: Gazetteer, total: int, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """``total`` names and country hints (NA for half of them)."""
    spellings = gazetteer.names[["name", "place_id"]].drop_duplicates("name")
    country = spellings["place_id"].map(gazetteer.places["country_iso2"])
    picks = rng.integers(0, len(spellings), total)
    names = spellings["name"].to_numpy(dtype=object)[picks]
    hints = country.to_numpy(dtype=object)[picks]

    kind = rng.random(total)
    typo = kind < MISSPELLED_SHARE
    pool = rng.choice(spellings["name"].to_numpy(dtype=object), 2_000)
    typos = np.array([misspell(str(n), rng) for n in pool], dtype=object)
    names[typo] = typos[rng.integers(0, len(typos), typo.sum())]
    unknown = (kind >= MISSPELLED_SHARE) & (kind < MISSPELLED_SHARE + UNKNOWN_SHARE)
    letters = np.array(list(string.ascii_lowercase))
    strangers = np.array(["Q" + "".join(rng.choice(letters, 9)) for _ in range(500)], dtype=object)
    names[unknown] = strangers[rng.integers(0, len(strangers), unknown.sum())]
    hints[rng.random(total) < 0.5] = None
    return pd.Series(names, dtype="string"), pd.Series(hints, dtype="string")


def measure(total: int = TOTAL, runs: int = FULL_RUNS) -> Result:
    """``geocode_many`` on ``total`` names, ``runs`` times, beside a ``geocode`` call per name on a sample."""
    geocoder = Geocoder(Gazetteer.load(), Boundaries.load())
    names, hints = sample_names(geocoder.gazetteer, total, np.random.default_rng(SEED))
    batches = [timed(lambda: geocoder.geocode_many(names, hints)) for _ in range(runs)]
    batch = batches[-1][1]

    sample = min(NAIVE_SAMPLE, total)
    naive_seconds, loop_rows = timed(lambda: geocode_each(geocoder, names[:sample], hints[:sample]))
    same = all(
        (row is None and pd.notna(err)) or (row is not None and row["latitude"] == lat and row["longitude"] == lon)
        for row, lat, lon, err in zip(
            loop_rows, batch["latitude"][:sample], batch["longitude"][:sample], batch["error"][:sample], strict=True
        )
    )
    placed = batch["error"].isna()
    exact = placed & (batch["score"] == 100)
    note = (f"{exact.sum():,} exact, {(placed & ~exact).sum():,} fuzzy, {(~placed).sum():,} not found; naive on "
            f"{sample:,} names; same points on them: {'yes' if same else 'NO'}")
    return Result(f"geocode {total:,} names", f"{total:,} names",
                  Measure.of([seconds for seconds, _ in batches], "s"),
                  Measure.of([naive_seconds * total / sample], "s", extrapolated=True), note=note)


def geocode_each(geocoder: Geocoder, names: pd.Series, hints: pd.Series) -> list[dict | None]:
    """The naive way: one ``geocode`` call per name (None where it is not found)."""
    rows: list[dict | None] = []
    for name, hint in zip(names, hints, strict=True):
        try:
            rows.append(geocoder.geocode(name, None if pd.isna(hint) else hint).to_dict())
        except PlaceNotFound:
            rows.append(None)
    return rows


def results(case: Case) -> list[Result]:
    return [measure(TOTAL, case.runs(FULL_RUNS)), *bench_cli_speed.results(case)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=TOTAL, help=f"names to geocode (default {TOTAL:,})")
    parser.add_argument("--quick", action="store_true", help="one run")
    args = parser.parse_args(argv)
    print(markdown_table([measure(args.names, 1 if args.quick else FULL_RUNS)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
