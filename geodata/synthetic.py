"""Synthetic events at scale (``dataset=synthetic``): realistic, seeded, and screened like any import.

Events cluster around the gazetteer's places in Mali, Burkina Faso and Niger (weighted by the square root of
their population, capped so the capitals do not dominate, and boosted for the curated supplement's conflict
places), jittered by a few km and redrawn until they fall inside those three countries' polygons. Dates rise
over 2017-2025; actors, families, event types, fatalities (heavy-tailed, some unknown), precisions and sources
look like ACLED's. Every event then goes through :func:`geodata.pipeline.screen`, the validation and boundary
join that real imports use, so country, admin-1 and admin-2 come from the join. Everything is vectorised;
the same ``seed`` gives the same events row for row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from geodata import geo, schema, store
from geodata.actors import family
from geodata.importers.common import Parsed, canonical, empty_problems
from geodata.pipeline import Summary, screen
from geodata.places.boundaries import Boundaries
from geodata.places.gazetteer import Gazetteer
from geodata.settings import Settings

# Shared with the benchmarks' synthetic ACLED export (bench/make_synthetic.py). (actor, ACLED inter type, weight)
ACTORS = (
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group", 30),
    ("Islamic State (Sahel)", "Rebel group", 20),
    ("Islamic State (Greater Sahara)", "Rebel group", 5),
    ("Ansaroul Islam", "Rebel group", 3),
    ("Katiba Macina", "Rebel group", 3),
    ("JNIM: Group for Support of Islam and Muslims and/or Islamic State (Sahel)", "Rebel group", 4),
    ("Military Forces of Mali (2021-)", "State forces", 12),
    ("Military Forces of Burkina Faso (2022-)", "State forces", 10),
    ("Military Forces of Niger (2023-)", "State forces", 6),
    ("Wagner Group", "External/Other forces", 4),
    ("VDP: Volunteers for the Defense of the Homeland", "Political militia", 5),
    ("Dozo Communal Militia (Mali)", "Identity militia", 3),
    ("Dan Na Ambassagou", "Identity militia", 2),
    ("MSA: Movement for the Salvation of Azawad", "Political militia", 2),
    ("Unidentified Armed Group (Mali)", "Political militia", 6),
)
# (ACLED event type, sub-event type, weight)
EVENT_TYPES = (
    ("Battles", "Armed clash", 45),
    ("Violence against civilians", "Attack", 30),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 12),
    ("Explosions/Remote violence", "Air/drone strike", 5),
    ("Strategic developments", "Looting/property destruction", 8),
)
SOURCES = ("Le Monde", "RFI; AFP", "Studio Tamani", "Menastream", "Burkina24", "ActuNiger", "Kibaru")

COUNTRY_NAMES = {iso: geo.COUNTRY_NAMES[iso] for iso in schema.FOCUS}
# The state forces and civilians of the event's own country replace those drawn from ACTORS.
STATE_FORCES = {
    iso: next(actor for actor, kind, _ in ACTORS if kind == "State forces" and f"of {name} (" in actor)
    for iso, name in COUNTRY_NAMES.items()
}
CIVILIANS = {iso: f"Civilians ({name})" for iso, name in COUNTRY_NAMES.items()}
# Every actor name an event can carry: the shared table's, then the civilians.
ACTOR_NAMES = tuple(a[0] for a in ACTORS) + tuple(CIVILIANS.values())
# Mean fatalities by sub-event type (before the heavy tail and the unknowns).
FATALITY_MEAN = {
    "Armed clash": 5.0,
    "Attack": 3.5,
    "Remote explosive/landmine/IED": 2.5,
    "Air/drone strike": 6.0,
    "Looting/property destruction": 0.3,
}

FIRST_DAY = pd.Timestamp("2017-01-01")
LAST_DAY = pd.Timestamp("2025-12-31")
# Events per day grow by this factor from the first to the last day (the Sahel's violence rose every year).
GROWTH = 4.0
DATE_PRECISIONS = (("day", 0.85), ("week", 0.10), ("month", 0.05))
# geo_precision -> (share of events, jitter standard deviation in km around the place).
GEO_PRECISIONS = {1: (0.75, 2.0), 2: (0.20, 8.0), 3: (0.05, 20.0)}
# Share of events whose fatalities are unknown (NA), and of mass-casualty events (20 to 600 dead, Pareto tail).
UNKNOWN_FATALITIES = 0.08
MASS_CASUALTY = 0.005
# Share of known figures given as a range (low <= best <= high, usually wider); the rest have low = best = high.
RANGED = 0.25
# Population beyond which a place draws no more events (the capitals see few attacks), and the weight of the
# curated supplement's places, which are there because conflict reporting names them.
POPULATION_CAP = 100_000
SUPPLEMENT_BOOST = 3.0
KM_PER_DEGREE = 111.32
# Events generated and screened at a time (also the progress bar's step).
CHUNK = 100_000
# Candidates drawn per missing event in a rejection round, and the rounds allowed before giving up.
OVERDRAW = 1.1
MAX_ROUNDS = 50


def synthetic_events(
    n: int, seed: int = 0, *, boundaries: Boundaries | None = None, progress: bool = False
) -> gpd.GeoDataFrame:
    """``n`` canonical events from ``seed``, screened and joined like an import, in store order.

    Store order is ``date_start`` then ``event_id`` (``synthetic:<seed>:<n>``, zero-padded), so the frame equals
    what :func:`geodata.store.read_store` gives back after :func:`write_synthetic`.
    """
    _check(n, seed)
    boundaries = boundaries or Boundaries.load()
    rng = np.random.default_rng(seed)
    places = _places(boundaries)
    precision, start, end = _dates(rng, n)
    width = len(str(n - 1))
    parts = []
    with tqdm(total=n, unit="event", desc="synthetic", disable=None if progress else True, leave=False) as bar:
        for first in range(0, n, CHUNK):
            last = min(first + CHUNK, n)
            number = pc.utf8_lpad(pc.cast(pa.array(np.arange(first, last)), pa.string()), width, "0")
            frame = _events(rng, places, boundaries, precision[first:last], start[first:last], end[first:last])
            frame["event_id"] = _join(f"synthetic:{seed}:", number)
            parts.append(_screened(frame, boundaries, seed))
            bar.update(last - first)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def write_synthetic(n: int, seed: int, settings: Settings) -> Summary:
    """Replace the store at ``settings.store`` with :func:`synthetic_events` (atomically); return the run's Summary."""
    _check(n, seed)
    events = synthetic_events(n, seed, boundaries=Boundaries.load(settings.boundaries, settings.cache_dir),
                              progress=settings.progress)
    store.open_store(settings.store).replace(events, {})
    return Summary(read=n, kept=len(events), store=settings.store, quarantine=settings.quarantine)


def _check(n: int, seed: int) -> None:
    """Refuse a count or seed the generator cannot honour, with a message naming the value."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n <= 0:
        raise ValueError(f"the number of synthetic events must be a whole number of at least 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"the seed must be a whole number >= 0, got {seed!r}")


def _places(boundaries: Boundaries) -> pd.DataFrame:
    """The gazetteer's places inside ML/BF/NE (by the join), one row per place, with a draw ``weight`` summing to 1.

    A supplement row naming a GeoNames place replaces it rather than doubling its weight. The village tier is left
    out, so the synthetic draw does not shift when villages are added.
    """
    places = Gazetteer.load(villages=None).places
    places = places[places["country_iso2"].isin(schema.FOCUS)]
    curated = places.loc[places["supplement"], "geonameid"].dropna()
    places = places[places["supplement"] | ~places["geonameid"].isin(curated)]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(places["longitude"], places["latitude"]), crs=schema.CRS)
    joined = boundaries.join(points)
    inside = joined["country_iso2"].isin(schema.FOCUS).to_numpy() & joined["admin1"].notna().to_numpy()
    places = places[inside].reset_index(drop=True)
    weight = np.sqrt(np.clip(places["population"].to_numpy(dtype=float), 500, POPULATION_CAP))
    weight *= np.where(places["supplement"].to_numpy(dtype=bool), SUPPLEMENT_BOOST, 1.0)
    return places.assign(weight=weight / weight.sum())


def _dates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(date_precision code in :data:`DATE_PRECISIONS`, date_start, date_end) for ``n`` events, sorted by start.

    Day density grows exponentially by :data:`GROWTH` over 2017-2025 (inverse-CDF draw); a week spans 7 days,
    a month its calendar month, both within the period.
    """
    span = (LAST_DAY - FIRST_DAY).days
    rate = math.log(GROWTH)
    position = np.log1p(rng.random(n) * (GROWTH - 1.0)) / rate
    day = FIRST_DAY.to_datetime64().astype("datetime64[D]") + np.floor(position * (span + 1)).astype("int64")
    labels = [label for label, _ in DATE_PRECISIONS]
    precision = rng.choice(len(labels), size=n, p=[share for _, share in DATE_PRECISIONS])
    week, month = precision == labels.index("week"), precision == labels.index("month")
    last = LAST_DAY.to_datetime64().astype("datetime64[D]")
    start = np.where(week, np.minimum(day, last - 6), day)
    start = np.where(month, day.astype("datetime64[M]").astype("datetime64[D]"), start)
    end = np.where(week, start + 6, start)
    end = np.where(month, (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1, end)
    order = np.argsort(start, kind="stable")
    return precision[order], start[order], end[order]


def _points(
    rng: np.random.Generator, places: pd.DataFrame, boundaries: Boundaries, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(place row, geo_precision, latitude, longitude) of ``n`` points, redrawn until inside ML/BF/NE.

    A point the boundary join puts outside the three countries is dropped and a new place and jitter drawn.
    """
    weights = places["weight"].to_numpy()
    codes = np.array(list(GEO_PRECISIONS))
    shares = np.array([share for share, _ in GEO_PRECISIONS.values()])
    sigma_km = np.array([km for _, km in GEO_PRECISIONS.values()])
    place_lat, place_lon = places["latitude"].to_numpy(), places["longitude"].to_numpy()
    kept: list[tuple[np.ndarray, ...]] = []
    missing = n
    for _ in range(MAX_ROUNDS):
        size = math.ceil(missing * OVERDRAW) + 16
        place = rng.choice(len(places), size=size, p=weights)
        level = rng.choice(len(codes), size=size, p=shares / shares.sum())
        offset = rng.standard_normal((2, size)) * sigma_km[level] / KM_PER_DEGREE
        lat = np.round(place_lat[place] + offset[0], 5)
        lon = np.round(place_lon[place] + offset[1] / np.cos(np.radians(place_lat[place])), 5)
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=schema.CRS)
        joined = boundaries.join(points)
        inside = joined["country_iso2"].isin(schema.FOCUS).to_numpy() & joined["admin1"].notna().to_numpy()
        take = np.flatnonzero(inside)[:missing]
        kept.append((place[take], codes[level[take]], lat[take], lon[take]))
        missing -= take.size
        if missing == 0:
            place, precision, lat, lon = (np.concatenate(column) for column in zip(*kept, strict=True))
            return place, precision, lat, lon
    raise RuntimeError(f"could not place {missing} synthetic events inside {', '.join(schema.FOCUS)}")


def _events(
    rng: np.random.Generator,
    places: pd.DataFrame,
    boundaries: Boundaries,
    precision: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> pd.DataFrame:
    """One chunk of canonical events (no ids yet, no admin fields: the screen's join adds them)."""
    n = len(start)
    place, geo_precision, lat, lon = _points(rng, places, boundaries, n)
    country = places["country_iso2"].map({iso: i for i, iso in enumerate(schema.FOCUS)}).to_numpy()[place]
    kind = _pick(rng, EVENT_TYPES, n)
    sub_event_type = _take([e[1] for e in EVENT_TYPES], kind)
    actor1, actor2 = _actors(rng, country, kind)
    best, low, high = _fatalities(rng, kind)
    location = _take(places["name"].tolist(), place)
    families = family(pd.Series(ACTOR_NAMES, dtype="string")).tolist()
    names1, names2 = _take(ACTOR_NAMES, actor1), _take(ACTOR_NAMES, actor2)
    count = pc.cast(pa.array(np.nan_to_num(best).astype(np.int64)), pa.string())
    known = pc.binary_join_element_wise(count, " fatalities.", "")
    toll = pc.if_else(pa.array(np.isnan(best)), "Fatalities unknown.", known)
    notes = _join(sub_event_type, " near ", location, ": ", names1, " against ", names2, ". ", toll)
    return canonical(
        {
            "dataset": _take(["synthetic"], np.zeros(n, dtype=np.int64)),
            "date_start": pd.Series(start),
            "date_end": pd.Series(end),
            "date_precision": _take([label for label, _ in DATE_PRECISIONS], precision),
            "event_type": _take([e[0] for e in EVENT_TYPES], kind),
            "sub_event_type": sub_event_type,
            "actor1": names1,
            "actor2": names2,
            "group1": _take(families, actor1),
            "group2": _take(families, actor2),
            "fatalities": pd.Series(best),
            "fatalities_low": pd.Series(low),
            "fatalities_high": pd.Series(high),
            "location": location,
            "latitude": pd.Series(lat),
            "longitude": pd.Series(lon),
            "geo_precision": pd.Series(geo_precision),
            "source": _take(SOURCES, rng.integers(0, len(SOURCES), n)),
            "notes": notes,
        },
        pd.RangeIndex(n),
    )


def _take(vocabulary: Sequence[str], codes: np.ndarray) -> pd.Series:
    """``vocabulary[codes]`` as a ``string`` column, built in Arrow: no Python string object per row."""
    return pd.Series(pd.arrays.ArrowStringArray(pc.take(pa.array(vocabulary, pa.large_string()), pa.array(codes))))


def _join(*parts: pd.Series | pa.Array | str) -> pd.Series:
    """Row-wise concatenation of string columns and constants, in Arrow."""
    arrays = [
        pa.scalar(part, pa.large_string()) if isinstance(part, str) else pc.cast(pa.array(part), pa.large_string())
        for part in parts
    ]
    return pd.Series(pd.arrays.ArrowStringArray(pc.binary_join_element_wise(*arrays, pa.scalar("", pa.large_string()))))


def _pick(rng: np.random.Generator, options: tuple[tuple, ...], n: int) -> np.ndarray:
    """``n`` row numbers of ``options`` drawn by their last field, the weight."""
    weights = np.array([option[-1] for option in options], dtype=float)
    return rng.choice(len(options), size=n, p=weights / weights.sum())


def _actors(rng: np.random.Generator, country: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes in :data:`ACTOR_NAMES` of (actor1, actor2): two different actors, state forces the event country's.

    ``country`` indexes ``schema.FOCUS`` and ``kind`` :data:`EVENT_TYPES`. State forces never fight state forces;
    air and drone strikes are flown by the state against a non-state actor; attacks and looting target the
    country's civilians.
    """
    n = len(country)
    state = np.array([a[1] == "State forces" for a in ACTORS])
    non_state = np.flatnonzero(~state)
    first, second = _pick(rng, ACTORS, n), _pick(rng, ACTORS, n)
    second = np.where(second == first, (first + rng.integers(1, len(ACTORS), n)) % len(ACTORS), second)
    rebel = non_state[_pick(rng, tuple(ACTORS[i] for i in non_state), n)]
    second = np.where(state[first] & state[second], rebel, second)
    own_forces = np.array([ACTOR_NAMES.index(STATE_FORCES[iso]) for iso in schema.FOCUS])[country]
    civilians = np.array([ACTOR_NAMES.index(CIVILIANS[iso]) for iso in schema.FOCUS])[country]
    sub_event_type = np.array([e[1] for e in EVENT_TYPES])[kind]
    strike = sub_event_type == "Air/drone strike"
    actor1 = np.where(state[first] | strike, own_forces, first)
    actor2 = np.where(strike, np.where(state[first], second, first), np.where(state[second], own_forces, second))
    targets_civilians = np.isin(sub_event_type, ["Attack", "Looting/property destruction"])
    return actor1, np.where(targets_civilians, civilians, actor2)


def _fatalities(rng: np.random.Generator, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(best, low, high) as floats with NaN for unknown: negative binomial by event type, a rare mass-casualty tail.

    About :data:`UNKNOWN_FATALITIES` of the figures are unknown; :data:`RANGED` of the known ones carry a range.
    """
    n = len(kind)
    mean = np.array([FATALITY_MEAN[e[1]] for e in EVENT_TYPES])[kind]
    dispersion = 0.6
    best = rng.negative_binomial(dispersion, dispersion / (dispersion + mean)).astype(float)
    mass = rng.random(n) < MASS_CASUALTY
    best = np.where(mass, np.minimum(20 + np.floor(30 * rng.pareto(1.5, n)), 600), best)
    ranged = rng.random(n) < RANGED
    low = np.where(ranged, best - rng.binomial(best.astype(np.int64), 0.3), best)
    high = np.where(ranged, best + rng.poisson(0.5 * best + 1), best)
    unknown = rng.random(n) < UNKNOWN_FATALITIES
    best, low, high = (np.where(unknown, np.nan, column) for column in (best, low, high))
    return best, low, high


def _screened(events: pd.DataFrame, boundaries: Boundaries, seed: int) -> gpd.GeoDataFrame:
    """The chunk through the importers' validation and boundary join; any quarantined row is a generator bug."""
    parsed = Parsed(
        path=Path(f"synthetic-seed-{seed}"), events=events, raw=events, problems=empty_problems(), n_read=len(events)
    )
    good, bad = screen(parsed, boundaries)
    if len(bad):
        raise RuntimeError(f"synthetic events failed validation ({len(bad)} rows), first: {bad['reason'].iloc[0]}")
    return good
