"""Benchmark: linking reports of one incident (geodata/incidents.py): accuracy on the hand-labelled pairs and the
time to link N events, beside the naive all-pairs way.

``python -m bench.bench_incidents [--events 1000000] [--quick]`` prints:

- precision and recall on the hand-labelled ACLED/UCDP pairs (``tests/fixtures/incidents``), read through the
  real importers, screened and joined like any import (target: at least 0.9 each);
- the time to link N synthetic events (default 1,000,000: about 70% "acled", 30% "ucdp", of which most are
  perturbed second reports of an ACLED event: jittered points, dates a day off, other fatality figures, other
  spellings, some region-level), with precision and recall against the known truth (target: under 30 s);
- the naive way, every pair of events compared with the same tests, timed on a sample and extrapolated (~).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geodata import incidents, schema
from geodata.geo import distance_km

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "fixtures" / "incidents"
TARGET_S = 30.0
TARGET_ACCURACY = 0.9
NAIVE_SAMPLE = 2_000
FAMILIES = ("JNIM", "ISGS", "Ansarul Islam", "State forces", "Wagner Group", "Militia", "Civilians", "Other")
SECOND_REPORTS = 0.8  # share of "ucdp" events that are second reports of an "acled" event


def synthetic_pairs(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """``n`` events in two datasets and, for each, the position of the event it truly reports (-1 when alone)."""
    rng = np.random.default_rng(seed)
    n_ucdp = int(n * 0.3)
    n_acled = n - n_ucdp
    n_copies = int(n_ucdp * SECOND_REPORTS)
    places = 4_000
    weight = 1 / np.arange(1, places + 1) ** 0.8
    centre_lon = rng.uniform(-11.5, 15.5, places)
    centre_lat = rng.uniform(10.5, 24.5, places)
    place = rng.choice(places, size=n, p=weight / weight.sum())
    lon = centre_lon[place] + rng.normal(0, 0.03, n)
    lat = centre_lat[place] + rng.normal(0, 0.03, n)
    day = rng.integers(np.datetime64("2017-01-01").astype(int), np.datetime64("2025-12-31").astype(int), n)
    span = np.where(rng.random(n) < 0.1, 6, 0)
    span = np.where(rng.random(n) < 0.03, 29, span)
    precision = rng.choice([1, 2, 3], size=n, p=[0.75, 0.2, 0.05])
    g1 = rng.choice(len(FAMILIES), size=n, p=[0.3, 0.2, 0.05, 0.2, 0.05, 0.1, 0.0, 0.1])
    g2 = rng.choice(len(FAMILIES), size=n, p=[0.1, 0.1, 0.0, 0.3, 0.0, 0.1, 0.3, 0.1])
    fatalities = rng.poisson(4, n).astype(float)
    fatalities[rng.random(n) < 0.08] = np.nan
    names = np.array([f"Place {k}" for k in range(places)], dtype=object)[place]

    truth = np.full(n, -1)
    copies = np.arange(n_acled, n_acled + n_copies)
    source = rng.choice(n_acled, size=n_copies, replace=False)
    truth[copies], truth[source] = source, copies
    lon[copies] = lon[source] + rng.normal(0, 0.012, n_copies)
    lat[copies] = lat[source] + rng.normal(0, 0.012, n_copies)
    day[copies] = day[source] + rng.choice([-1, 0, 0, 0, 0, 0, 1], n_copies)
    span[copies] = span[source]
    precision[copies] = np.where(rng.random(n_copies) < 0.1, 3, precision[source])
    g1[copies], g2[copies] = g1[source], g2[source]
    swap = rng.random(n_copies) < 0.3
    g1[copies[swap]], g2[copies[swap]] = g2[source[swap]], g1[source[swap]]
    fatalities[copies] = fatalities[source] + rng.integers(-1, 3, n_copies)
    names[copies] = np.where(rng.random(n_copies) < 0.5, names[source] + " village", names[source])

    region = (np.floor(lon / 3) * 100 + np.floor(lat / 3)).astype(int).astype(str)
    start = (day.astype("datetime64[D]")).astype("datetime64[ms]")
    frame = pd.DataFrame({
        "event_id": np.concatenate([[f"acled:{k:07d}" for k in range(n_acled)],
                                    [f"ucdp:{k:07d}" for k in range(n_ucdp)]]),
        "dataset": np.repeat(["acled", "ucdp"], [n_acled, n_ucdp]),
        "date_start": start,
        "date_end": start + (span * 86_400_000).astype("timedelta64[ms]"),
        "group1": pd.Categorical.from_codes(g1, FAMILIES).astype(str),
        "group2": pd.Categorical.from_codes(g2, FAMILIES).astype(str),
        "fatalities": pd.array(np.clip(fatalities, 0, None), dtype="Int64"),
        "location": names,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": precision,
        "country_iso2": np.where(lon < 4, "ML", "NE"),
        "admin1": region,
    })
    return frame, truth


def synthetic_accuracy(frame: pd.DataFrame, truth: np.ndarray, incident_id: pd.Series) -> tuple[float, float]:
    """Precision and recall of the linked pairs against the generated truth."""
    ids = incident_id.to_numpy(dtype=object)
    size = pd.Series(ids).map(pd.Series(ids).value_counts()).to_numpy()
    linked = size > 1
    has_truth = truth >= 0
    correct = has_truth & linked & (ids == ids[np.where(has_truth, truth, 0)])
    precision = correct.sum() / max(linked.sum(), 1)
    recall = correct.sum() / max(has_truth.sum(), 1)
    return float(precision), float(recall)


def labelled_accuracy(directory: Path = LABELLED) -> dict[str, float]:
    """Precision and recall of the linker on the hand-labelled pairs, through the real importers and boundaries."""
    from geodata.importers.acled import read_acled
    from geodata.importers.ucdp import read_ucdp
    from geodata.pipeline import screen
    from geodata.places.boundaries import Boundaries

    boundaries = Boundaries.load()
    parts = []
    for reader, name in ((read_acled, "acled.csv"), (read_ucdp, "ucdp.csv")):
        good, bad = screen(reader(directory / name, progress=False), boundaries)
        if len(bad):
            raise ValueError(f"{name}: {len(bad)} rows quarantined: {bad['reason'].tolist()[:3]}")
        parts.append(good)
    events = schema.conform(pd.concat(parts, ignore_index=True))
    linked, _ = incidents.apply(events)
    incident = dict(zip(linked["event_id"], linked["incident_id"], strict=True))
    labels = pd.read_csv(directory / "labels.csv", dtype=str, comment="#")
    same = labels["same"].astype(int).to_numpy() == 1
    predicted = np.array([incident[a] == incident[b] for a, b in zip(labels["a"], labels["b"], strict=True)])
    tp = int((same & predicted).sum())
    return {
        "pairs": len(labels),
        "positives": int(same.sum()),
        "precision": tp / max(int(predicted.sum()), 1),
        "recall": tp / max(int(same.sum()), 1),
        "false_links": [f"{a}~{b}" for a, b, s, p in zip(labels["a"], labels["b"], same, predicted, strict=True)
                        if p and not s],
        "missed": [f"{a}~{b}" for a, b, s, p in zip(labels["a"], labels["b"], same, predicted, strict=True)
                   if s and not p],
    }


def naive_link_pairs(frame: pd.DataFrame) -> int:
    """The slow reference: every pair of events compared with the date, place and dataset tests in a Python double
    loop (no blocking); returns how many pairs pass them."""
    ev = incidents._Events.from_frame(frame)
    rows = list(zip(ev.dataset.tolist(), ev.start.tolist(), ev.end.tolist(), ev.lat.tolist(), ev.lon.tolist(),
                    ev.precision.tolist(), strict=True))
    found = 0
    for a, (da, sa, ea, lat_a, lon_a, pa) in enumerate(rows):
        for db, sb, eb, lat_b, lon_b, pb in rows[a + 1:]:
            if da == db or max(sa, sb) - min(ea, eb) > incidents.DATE_SLACK_DAYS:
                continue
            distance = distance_km(lat_a, lon_a, lat_b, lon_b)
            if distance <= incidents.RADIUS_KM[2 if max(pa, pb) >= 2 else 1]:
                found += 1
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_incidents", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events to link (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="one run of each, 100,000 events, small naive sample")
    parser.add_argument("--out", type=Path, help="also write the lines, with the machine, to this Markdown file")
    args = parser.parse_args(argv)
    events = 100_000 if args.quick and args.events == 1_000_000 else args.events

    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    labelled = labelled_accuracy()
    say(f"hand-labelled pairs: {labelled['pairs']} ({labelled['positives']} same incident); "
          f"precision {labelled['precision']:.3f}, recall {labelled['recall']:.3f} (target >= {TARGET_ACCURACY})")
    for name in ("false_links", "missed"):
        if labelled[name]:
            say(f"  {name.replace('_', ' ')}: {', '.join(labelled[name])}")

    frame, truth = synthetic_pairs(events)
    runs, cpu = [], []
    for _ in range(1 if args.quick else 3):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = incidents.link(frame)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    precision, recall = synthetic_accuracy(frame, truth, result.incident_id)
    multi = int((result.incident_size > 1).sum())
    verdict = "meets" if (events < 1_000_000 or min(runs) < TARGET_S) else "MISSES"
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    say(f"link {events:,} events: best {min(runs):.1f} s, median {float(np.median(runs)):.1f} s over {len(runs)} "
          f"run(s) (CPU {min(cpu):.1f} s; load average {load} on {os.cpu_count()} cores); {multi:,} events in "
          f"multi-source incidents; synthetic truth precision {precision:.3f}, "
          f"recall {recall:.3f}; {verdict} the target of {TARGET_S:.0f} s for 1,000,000")

    sample_size = 500 if args.quick else NAIVE_SAMPLE
    sample = frame.sample(sample_size, random_state=0).reset_index(drop=True)
    started = time.perf_counter()
    naive_link_pairs(sample)
    naive = time.perf_counter() - started
    started = time.perf_counter()
    incidents.link(sample)
    ours = time.perf_counter() - started
    scale = (events / sample_size) ** 2
    say(f"naive all-pairs on {sample_size:,} events: {naive:.1f} s (ours {ours:.2f} s); "
          f"extrapolated to {events:,}: ~{naive * scale:,.0f} s ({naive * scale / 3600:,.1f} h)")
    if args.out:
        from bench.machine import describe

        machine = "\n".join(f"- {key}: {value}" for key, value in describe().items())
        command = "python -m bench.bench_incidents" + (" --quick" if args.quick else "")
        args.out.write_text(f"# Incident linking benchmark\n\nWritten by `{command}`; rerun it to refresh this "
                            f"file.\n\n{machine}\n\n```\n" + "\n".join(lines) + "\n```\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
