"""Geocode 100k names with ``geocode_many`` versus calling ``geocode`` per name (measured on a sample).

Names are sampled with replacement from the gazetteer's own spellings, plus misspellings and unknown names,
with a seeded generator; half carry their country as a hint. ``python -m bench.bench_geocode [N]``.
"""

from __future__ import annotations

import string
import sys
import time

import numpy as np
import pandas as pd

from geodata.boundaries import Boundaries
from geodata.gazetteer import Gazetteer
from geodata.geocode import Geocoder, PlaceNotFound

SEED = 20240601
TOTAL = 100_000
NAIVE_SAMPLE = 3_000
MISSPELLED_SHARE = 0.07
UNKNOWN_SHARE = 0.03


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


def main(total: int = TOTAL) -> None:
    started = time.perf_counter()
    geocoder = Geocoder(Gazetteer.load(), Boundaries.load())
    load_s = time.perf_counter() - started
    rng = np.random.default_rng(SEED)
    names, hints = sample_names(geocoder.gazetteer, total, rng)
    distinct = len(pd.MultiIndex.from_arrays([names.fillna(""), hints.fillna("")]).unique())

    started = time.perf_counter()
    batch = geocoder.geocode_many(names, hints)
    batch_s = time.perf_counter() - started

    sample = min(NAIVE_SAMPLE, total)
    started = time.perf_counter()
    loop_rows = []
    for name, hint in zip(names[:sample], hints[:sample], strict=True):
        try:
            loop_rows.append(geocoder.geocode(name, None if pd.isna(hint) else hint).to_dict())
        except PlaceNotFound:
            loop_rows.append(None)
    naive_s = (time.perf_counter() - started) * total / sample

    same = all(
        (row is None and pd.notna(err)) or (row is not None and row["latitude"] == lat and row["longitude"] == lon)
        for row, lat, lon, err in zip(
            loop_rows, batch["latitude"][:sample], batch["longitude"][:sample], batch["error"][:sample], strict=True
        )
    )
    placed = batch["error"].isna()
    exact = placed & (batch["score"] == 100)
    print(f"gazetteer + boundaries + join, first load: {load_s:.1f} s")
    print(f"{total:,} names, {distinct:,} distinct (name, country) pairs")
    print(
        f"placed {placed.sum():,} ({exact.sum():,} exact, {(placed & ~exact).sum():,} fuzzy), "
        f"not found {(~placed).sum():,}"
    )
    print(f"geocode_many:            {batch_s:7.2f} s  ({total / batch_s:,.0f} names/s)")
    print(f"geocode per name (loop): {naive_s:7.2f} s  (extrapolated from {sample:,} names)")
    print(f"ratio loop / geocode_many: {naive_s / batch_s:.1f}x; same points on the sample: {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else TOTAL)
