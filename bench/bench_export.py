"""Benchmark: the streamed CSV and GeoJSON exports of a 1,000,000-event view against the naive ways.

``python -m bench.bench_export [--rows N] [--sample N] [--seed N]``. The events are synthetic (seeded) but
realistic: real places and actor names, unknown fatalities and end dates, notes with quotes, backslashes,
line breaks, HTML, formula starts and non-ASCII text. The naive ways (a per-row ``json.dumps`` loop,
``GeoDataFrame.to_json`` on the whole frame, ``DataFrame.to_csv`` on the whole frame) run on a sample and are
extrapolated. Target: a million-row GeoJSON export in a few seconds on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load_average
from bench.make_synthetic import ACTORS, EVENT_TYPES, PLACES, SOURCES  # noqa: E402
from dashboard.events import EventData  # noqa: E402
from dashboard.export import EXPORT_COLUMNS, export_rows, iter_csv, iter_geojson  # noqa: E402
from dashboard.tables import json_records  # noqa: E402
from dashboard.view import View  # noqa: E402
from geodata.schema import conform  # noqa: E402

COUNTRIES = ("ML", "BF", "NE", "MR")
GROUP_OF = {
    "JNIM: Group for Support of Islam and Muslims": "JNIM",
    "Katiba Macina": "JNIM",
    "Islamic State (Sahel)": "ISGS",
    "Islamic State (Greater Sahara)": "ISGS",
    "Ansaroul Islam": "Ansarul Islam",
    "Wagner Group": "Wagner Group",
}
# Awkward notes mixed into the plain ones, so the exports' escaping and formula guard do real work.
AWKWARD_NOTES = (
    'Sources disagree: "heavy losses" vs \\"none\\"',
    "Attack near Ménaka — «guillemets», 😀 and tabs\tinside",
    "First report.\nSecond report,\r\nwith CRLF",
    "<script>alert(1)</script> copied from a web page",
    '=HYPERLINK("http://evil.example/x","click")',
    "-5 dead initially, revised upwards",
    "Control \x01 character and a backslash \\ in the middle",
)


def synthetic_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` canonical events (through ``conform``), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    places = pd.read_csv(PLACES, dtype={"country_iso2": str}, keep_default_na=False)
    places = places[places["country_iso2"].isin(COUNTRIES)].reset_index(drop=True)
    where = places.iloc[rng.integers(0, len(places), n)].reset_index(drop=True)
    actors = np.array([a[0] for a in ACTORS])
    first, second = rng.integers(0, len(actors), (2, n))
    groups = np.array([GROUP_OF.get(a, "State forces" if t == "State forces" else "Militia") for a, t, _ in ACTORS])
    kind = rng.integers(0, len(EVENT_TYPES), n)
    start = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    span = pd.to_timedelta(np.where(rng.random(n) < 0.9, 0, rng.integers(1, 30, n)), unit="D")
    end = pd.Series(start + span).mask(rng.random(n) < 0.03)
    fatalities = pd.Series(rng.poisson(4, n)).mask(rng.random(n) < 0.08)
    jitter = rng.uniform(-0.05, 0.05, (2, n))
    notes = pd.Series(where["name"]).radd("Fighting near ").to_numpy(dtype=object)
    awkward = rng.random(n) < 0.05
    notes[awkward] = np.array(AWKWARD_NOTES, dtype=object)[rng.integers(0, len(AWKWARD_NOTES), int(awkward.sum()))]
    frame = pd.DataFrame(
        {
            "event_id": np.char.add("bench:", np.arange(n).astype(str)),
            "dataset": rng.choice(["acled", "ucdp", "text", "curated"], n, p=[0.7, 0.2, 0.05, 0.05]),
            "date_start": start,
            "date_end": end,
            "date_precision": rng.choice(["day", "week", "month"], n, p=[0.85, 0.1, 0.05]),
            "event_type": np.array([e[0] for e in EVENT_TYPES])[kind],
            "sub_event_type": np.array([e[1] for e in EVENT_TYPES])[kind],
            "actor1": actors[first],
            "actor2": actors[second],
            "group1": groups[first],
            "group2": groups[second],
            "fatalities": fatalities,
            "fatalities_low": fatalities,
            "fatalities_high": fatalities + rng.integers(0, 5, n),
            "location": where["name"],
            "latitude": (where["latitude"].to_numpy() + jitter[0]).round(5),
            "longitude": (where["longitude"].to_numpy() + jitter[1]).round(5),
            "geo_precision": rng.choice([1, 2, 3, 4], n, p=[0.6, 0.3, 0.07, 0.03]),
            "country_iso2": where["country_iso2"],
            "admin1": where["admin1"].replace("", None),
            "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
            "source_url": None,
            "notes": notes,
        }
    )
    return conform(frame)


def previous_geojson(rows: pd.DataFrame) -> str:
    """The naive way (what ``iter_geojson`` did before): one dict per row, then ``json.dumps``."""
    features = [
        {
            "type": "Feature",
            "geometry": None if pd.isna(lon) or pd.isna(lat) else {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        }
        for properties, lon, lat in zip(
            json_records(rows, EXPORT_COLUMNS), rows["longitude"].tolist(), rows["latitude"].tolist(), strict=True
        )
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def geopandas_geojson(rows: pd.DataFrame) -> str:
    """The textbook way: a GeoDataFrame with dates as text, ``to_json()`` on the whole frame."""
    frame = rows.assign(**{n: rows[n].dt.strftime("%Y-%m-%d") for n in ("date_start", "date_end")})
    geometry = gpd.points_from_xy(rows["longitude"], rows["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry).to_json(drop_id=True, ensure_ascii=False)


def pandas_csv(rows: pd.DataFrame) -> str:
    """The textbook CSV: ``DataFrame.to_csv`` on the whole frame, one string."""
    return rows.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n")


def consume(chunks: Iterable[str]) -> dict[str, float]:
    """Wall and CPU seconds to encode every chunk as UTF-8 (what the CLI and HTTP do), total and peak bytes."""
    wall, cpu = time.perf_counter(), time.process_time()
    total = peak = count = 0
    first = None
    for chunk in chunks:
        size = len(chunk.encode("utf-8"))
        total, peak, count = total + size, max(peak, size), count + 1
        if count == 2:  # the first chunk of rows, after the header
            first = time.perf_counter() - wall
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "bytes": total, "peak": peak,
            "chunks": count, "first": first or 0.0}


def timed(make: Callable[[], str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of ``make()`` plus encoding its one string; and its size in bytes."""
    wall, cpu = time.perf_counter(), time.process_time()
    size = len(make().encode("utf-8"))
    return time.perf_counter() - wall, time.process_time() - cpu, size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows given to the naive ways")
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    data = EventData.from_frame(synthetic_events(args.rows, args.seed))
    print(f"events: {len(data):,} synthetic (seed {args.seed}), built in {time.perf_counter() - start:.1f} s; "
          f"load average {load_average()}", flush=True)
    view = View()
    sample_rows = export_rows(data, view).sample(min(args.sample, len(data)), random_state=args.seed)
    sample = EventData.from_frame(sample_rows)
    scale = len(data) / len(sample)

    results = {}
    for label, make in (("iter_csv", iter_csv), ("iter_geojson", iter_geojson)):
        run = consume(make(data, view))
        results[label] = run["wall"]
        print(f"{label + ':':22s}{run['wall']:7.2f} s wall ({run['cpu']:5.2f} s CPU) for {len(data):,} rows; "
              f"{run['bytes'] / 1e6:,.0f} MB in {run['chunks']:.0f} chunks, largest {run['peak'] / 1e6:.1f} MB, "
              f"first rows after {run['first']:.2f} s", flush=True)

    naive = {}
    for label, make in (
        ("DataFrame.to_csv", lambda: pandas_csv(export_rows(sample, view))),
        ("row dicts+json.dumps", lambda: previous_geojson(export_rows(sample, view))),
        ("GeoDataFrame.to_json", lambda: geopandas_geojson(export_rows(sample, view))),
    ):
        wall, cpu, size = timed(make)
        naive[label] = wall * scale
        print(f"{label + ':':22s}{wall * scale:7.2f} s wall ({cpu * scale:5.2f} s CPU) extrapolated from "
              f"{len(sample):,} rows; one string of {size * scale / 1e6:,.0f} MB for all rows", flush=True)

    same = json.loads("".join(iter_geojson(sample, view))) == json.loads(previous_geojson(export_rows(sample, view)))
    print(f"speed-up CSV:          {naive['DataFrame.to_csv'] / results['iter_csv']:5.1f} x over DataFrame.to_csv")
    print(f"speed-up GeoJSON:      {naive['row dicts+json.dumps'] / results['iter_geojson']:5.1f} x over row dicts + "
          f"json.dumps, {naive['GeoDataFrame.to_json'] / results['iter_geojson']:5.1f} x over GeoDataFrame.to_json")
    print(f"GeoJSON on the sample parses equal to the naive way's: {same}; load average {load_average()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
