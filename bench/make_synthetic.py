"""Write a synthetic ACLED-format CSV of N rows (seeded) for benchmarks and manual tests of the pipeline.

Rows look like a current ACLED export: real place names and points from ``places_reference.csv``
(jittered by up to ~5 km), real actor names (including ``X and/or Y`` actors), all three date
layouts and time precisions, blank fatalities, notes with commas and line breaks. ``bad_share`` of the
rows carry one parse error each (impossible date, text latitude, word fatalities) so the quarantine
path is exercised too. Ids are ``SYN<n>`` so they never collide with real ACLED ids.

``python -m bench.make_synthetic N OUT.csv [--seed S] [--bad-share F]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.geo import COUNTRIES
from geodata.synthetic import ACTORS, EVENT_TYPES, SOURCES  # the tables shared with `python -m geodata synthetic`

PLACES = Path(__file__).resolve().parents[1] / "geodata" / "data" / "places_reference.csv"
ISO_NUMERIC = {iso: COUNTRIES[iso].numeric for iso in ("ML", "BF", "NE", "MR")}
COUNTRY = {iso: COUNTRIES[iso].name for iso in ISO_NUMERIC}
COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
CIVILIANS = {code: f"Civilians ({name})" for code, name in COUNTRY.items()}


def _pick(rng: np.random.Generator, options: tuple, n: int) -> np.ndarray:
    weights = np.array([o[-1] for o in options], dtype=float)
    return rng.choice(len(options), size=n, p=weights / weights.sum())


def synthetic_acled(n: int, seed: int = 0, bad_share: float = 0.0) -> pd.DataFrame:
    """An ACLED-format frame of ``n`` rows, all text, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    places = pd.read_csv(PLACES, dtype={"country_iso2": str}, keep_default_na=False)
    places = places[places["country_iso2"].isin(COUNTRY)].reset_index(drop=True)
    where = places.iloc[rng.integers(0, len(places), n)].reset_index(drop=True)
    country = where["country_iso2"].to_numpy()

    days = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    layout = rng.choice(3, size=n, p=[0.8, 0.1, 0.1])
    dates = np.select(
        [layout == 0, layout == 1],
        [days.strftime("%Y-%m-%d"), days.strftime("%d %B %Y")],
        days.strftime("%d-%b-%y"),
    )

    actor_names = np.array([a[0] for a in ACTORS])
    actor_types = np.array([a[1] for a in ACTORS])
    first, second = _pick(rng, ACTORS, n), _pick(rng, ACTORS, n)
    kind = _pick(rng, EVENT_TYPES, n)
    event_type = np.array([e[0] for e in EVENT_TYPES])[kind]
    sub_event_type = np.array([e[1] for e in EVENT_TYPES])[kind]
    against_civilians = event_type == "Violence against civilians"
    actor2 = np.where(against_civilians, pd.Series(country).map(CIVILIANS).to_numpy(), actor_names[second])
    inter2 = np.where(against_civilians, "Civilians", actor_types[second])

    fatalities = rng.poisson(4, n).astype(str)
    fatalities[rng.random(n) < 0.08] = ""
    jitter = rng.uniform(-0.05, 0.05, (2, n))
    latitude = (where["latitude"].to_numpy() + jitter[0]).round(4).astype(str)
    longitude = (where["longitude"].to_numpy() + jitter[1]).round(4).astype(str)
    location = where["name"].to_numpy()
    notes = np.char.add(np.char.add("On ", dates.astype(str)), np.char.add(", fighting near ", location.astype(str)))
    notes = np.where(rng.random(n) < 0.05, np.char.add(notes, ".\nCasualties unconfirmed, sources differ."), notes)

    frame = pd.DataFrame(
        {
            "event_id_cnty": np.char.add("SYN", np.arange(1, n + 1).astype(str)),
            "event_date": dates,
            "year": days.year.astype(str),
            "time_precision": rng.choice(["1", "2", "3"], size=n, p=[0.85, 0.1, 0.05]),
            "disorder_type": "Political violence",
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": actor_names[first],
            "assoc_actor_1": "",
            "inter1": actor_types[first],
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": inter2,
            "interaction": np.char.add(np.char.add(actor_types[first], "-"), inter2.astype(str)),
            "civilian_targeting": np.where(against_civilians, "Civilian targeting", ""),
            "iso": pd.Series(country).map(ISO_NUMERIC).astype(str).to_numpy(),
            "region": "Western Africa",
            "country": pd.Series(country).map(COUNTRY).to_numpy(),
            "admin1": where["admin1"].to_numpy(),
            "admin2": "",
            "admin3": "",
            "location": location,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": rng.choice(["1", "2", "3"], size=n, p=[0.7, 0.25, 0.05]),
            "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
            "source_scale": "National",
            "notes": notes,
            "fatalities": fatalities,
            "tags": "",
            "timestamp": "1700000000",
        },
        columns=COLUMNS,
    )
    if bad_share > 0:
        bad = np.flatnonzero(rng.random(n) < bad_share)
        which = rng.integers(0, 3, bad.size)
        frame.loc[bad[which == 0], "event_date"] = "31 February 2022"
        frame.loc[bad[which == 1], "latitude"] = "15 N"
        frame.loc[bad[which == 2], "fatalities"] = "dozens"
    return frame


def write_synthetic_acled(path: Path, n: int, seed: int = 0, bad_share: float = 0.0) -> Path:
    """Write :func:`synthetic_acled` as a UTF-8 CSV at ``path`` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    synthetic_acled(n, seed, bad_share).to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-share", type=float, default=0.0, help="share of rows with one parse error")
    args = parser.parse_args(argv)
    path = write_synthetic_acled(args.out, args.rows, args.seed, args.bad_share)
    print(f"wrote {args.rows} rows to {path}")


if __name__ == "__main__":
    main()
