"""The geocoder's lookup index, built once from the gazetteer and the boundaries and cached on disk.

Building it (parse GeoNames, join every place to our boundaries, find the seat of every admin unit) takes
seconds; loading the cached copy (:mod:`geodata.places.cache`) takes a few tens of milliseconds and needs
neither geopandas nor the boundary files. The layer learned from a store (:func:`learn_places`) is cached the
same way, keyed by the store file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from geodata.geo import distances_km
from geodata.names import is_missing, normalise, normalise_series, normalise_words
from geodata.places.cache import FORMAT, cached, file_key, fingerprint
from geodata.settings import DATA_DIR

if TYPE_CHECKING:  # imported inside the builders: loading a cached index needs neither pandas nor geopandas
    import pandas as pd

    from geodata.places.boundaries import Boundaries
    from geodata.places.gazetteer import Gazetteer

# A layer of learned places as plain arrays (see learned_arrays): key, name, latitude, longitude, country_iso2,
# admin1, admin2, n_events, event_ids, source.
Learned = dict[str, np.ndarray]
LEARNED_COLUMNS = ("key", "name", "latitude", "longitude", "country_iso2", "admin1", "admin2", "n_events",
                   "event_ids", "source")  # fmt: skip
UNIT_COLUMNS = ("key", "level", "unit", "gazetteer_country", "needs_country", "seat", "seat_key", "position")
_UNIT_DTYPES = {"level": np.int64, "needs_country": bool, "position": np.int64}

SEATS_CSV = DATA_DIR / "admin_seats.csv"

# Tiers of a name's candidates, best first: curated supplement, GeoNames, learned from the store, admin unit.
TIER_SUPPLEMENT, TIER_GEONAMES, TIER_LEARNED, TIER_UNIT = 0, 1, 2, 3
# Datasets whose points came from our own geocoder, from seeds we rebuild, or are invented: never learned from.
NOT_LEARNED = ("seed", "curated", "text", "synthetic")
AMBIGUOUS_KM = 10.0  # a name seen at points farther apart than this is not learned
MAX_POINTS = 200  # a name given at more distinct points than this is not learned (and not compared pairwise)
SEAT_NEAR_DEG = 0.05  # a same-named place this close to a unit (about 5 km) is taken as its seat
LISTED_SEAT_NEAR_DEG = 0.25  # a seat listed in admin_seats.csv may lie this far outside the simplified polygon

# What an admin-2 unit is called in each country; admin-1 units are "region" everywhere.
ADMIN2_WORD = {"BF": "province", "ML": "cercle", "NE": "department"}

COLUMNS = (
    "place_id", "name", "matched", "gazetteer_country", "country_iso2", "admin1", "admin2", "admin1_key",
    "admin2_key", "latitude", "longitude", "geo_precision", "population", "tier", "needs_country", "source",
)  # fmt: skip


@dataclass
class GazetteerIndex:
    """Everything a :class:`geodata.places.geocode.Geocoder` looks names up in, as plain arrays and dicts.

    ``columns``: one array per :data:`COLUMNS` field, one row per candidate (places, then admin units);
    ``by_key``: normalised name -> (start, stop) of its row positions in ``positions``; ``fuzzy_keys`` and
    ``fuzzy_keys_by_country``: the keys fuzzy matching searches (place names only); ``units``: one row per
    (spelling key, admin unit) with its level, seat and row in ``columns``, for "X province" phrases
    (:data:`UNIT_COLUMNS`). Only numpy arrays and plain Python objects: a cached index loads without pandas.
    """

    columns: dict[str, np.ndarray]
    by_key: dict[str, tuple[int, int]]
    positions: np.ndarray
    fuzzy_keys: np.ndarray
    fuzzy_keys_by_country: dict[str, np.ndarray]
    units: dict[str, np.ndarray]


def plain(values: object) -> np.ndarray:
    """An object array of plain Python values: pandas' NA and NaN become None (no pandas needed to unpickle)."""
    array = np.asarray(values, dtype=object)
    return np.array([None if is_missing(v) else v for v in array.tolist()], dtype=object)


# ---- building ---------------------------------------------------------------------------------------------


def build_index(gazetteer: Gazetteer, boundaries: Boundaries, seats: Path = SEATS_CSV) -> GazetteerIndex:
    """The index of ``gazetteer`` joined to ``boundaries``, with every admin unit of the boundaries and its seat."""
    import pandas as pd

    places = _joined_places(gazetteer.places, boundaries)
    names = gazetteer.names.assign(pos=gazetteer.names["place_id"].map(
        pd.Series(np.arange(len(places)), index=places["place_id"])).to_numpy())  # fmt: skip
    units = _units(gazetteer, boundaries, places, names, seats)

    unit_rows = units.drop_duplicates("unit_id").reset_index(drop=True)
    unit_rows["position"] = np.arange(len(places), len(places) + len(unit_rows))
    units = units.merge(unit_rows[["unit_id", "position"]], on="unit_id")
    table = pd.concat([places, unit_rows.assign(place_id="unit:" + unit_rows["unit_id"])[list(COLUMNS)]],
                      ignore_index=True)  # fmt: skip
    columns = {name: plain(table[name]) for name in COLUMNS}
    for name, dtype in (("latitude", float), ("longitude", float), ("population", np.int64), ("tier", np.int64),
                        ("geo_precision", np.int64), ("needs_country", bool)):  # fmt: skip
        columns[name] = columns[name].astype(dtype)

    bare = units[["key", "position"]]  # generic admin-1 names are flagged needs_country: they need a country hint
    pairs = pd.concat([names[["key", "pos"]], bare.rename(columns={"position": "pos"})], ignore_index=True)
    pairs = pairs.drop_duplicates()
    by_key, positions = _group_spans(pairs["key"].to_numpy(dtype=object), pairs["pos"].to_numpy(dtype=np.int64))

    country = names["pos"].map(places["gazetteer_country"])
    fuzzy = pd.DataFrame({"key": names["key"].to_numpy(), "country": country.to_numpy()}).drop_duplicates()
    return GazetteerIndex(
        columns=columns,
        by_key=by_key,
        positions=positions,
        fuzzy_keys=fuzzy["key"].drop_duplicates().to_numpy(dtype=object),
        fuzzy_keys_by_country={iso: g["key"].to_numpy(dtype=object) for iso, g in fuzzy.groupby("country")},
        units={name: units[name].to_numpy(dtype=_UNIT_DTYPES[name]) if name in _UNIT_DTYPES else plain(units[name])
               for name in UNIT_COLUMNS},
    )


def _group_spans(keys: np.ndarray, positions: np.ndarray) -> tuple[dict[str, tuple[int, int]], np.ndarray]:
    """key -> (start, stop) in the returned positions array (plain ints: a dict of 60k small arrays would take
    a quarter of a second to unpickle)."""
    order = np.argsort(keys, kind="stable")
    keys, positions = keys[order], positions[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=int)
    stops = np.r_[starts[1:], len(keys)].astype(int)
    return dict(zip(keys[starts].tolist(), zip(starts.tolist(), stops.tolist(), strict=True), strict=True)), positions


def _group_positions(keys: np.ndarray, positions: np.ndarray) -> dict[str, np.ndarray]:
    """key -> its positions, from parallel arrays (one sort, one split: no per-key pandas groupby)."""
    order = np.argsort(keys, kind="stable")
    keys, positions = keys[order], positions[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=int)
    return dict(zip(keys[starts].tolist(), np.split(positions, starts[1:]), strict=True))


def _joined_places(places: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """The gazetteer's places with the country/admin1/admin2 of our boundaries, joined once for all."""
    import geopandas as gpd
    import pandas as pd

    points = gpd.GeoDataFrame(
        {"place_id": places.index.to_numpy()},
        geometry=gpd.points_from_xy(places["longitude"], places["latitude"]),
        crs="EPSG:4326",
    )
    joined = boundaries.join(points).drop_duplicates("place_id").set_index("place_id").reindex(places.index)
    out = places.reset_index()
    out["gazetteer_country"] = out["country_iso2"]
    out["country_iso2"] = joined["country_iso2"].astype("string").to_numpy()
    out["country_iso2"] = out["country_iso2"].fillna(out["gazetteer_country"])
    for column in ("admin1", "admin2"):
        values = joined[column] if column in joined.columns else pd.Series(pd.NA, index=joined.index)
        out[column] = values.astype("string").to_numpy()
        out[f"{column}_key"] = out[column].map(normalise, na_action="ignore").fillna("").astype(object)
    out["matched"] = out["name"]
    out["tier"] = np.where(out["supplement"], TIER_SUPPLEMENT, TIER_GEONAMES)
    out["needs_country"] = False
    url = out["source_url"].astype(object)
    out["source"] = np.where(pd.isna(url), out["source"].astype(object), out["source"].astype(object) + "; " + url)
    return out[list(COLUMNS)]


def _units(
    gazetteer: Gazetteer, boundaries: Boundaries, places: pd.DataFrame, names: pd.DataFrame, seats: Path
) -> pd.DataFrame:
    """One row per (spelling key, admin unit): admin-1 regions (regions.csv capitals first) and admin-2 units."""
    import pandas as pd
    import shapely

    regions = gazetteer.regions
    polygons = {(1, r.country_iso2, normalise(r.admin1)): r.geometry for r in boundaries.admin1.itertuples()}
    level2 = boundaries.units[boundaries.units["admin2"].notna()]
    polygons.update({(2, r.country_iso2, normalise(r.admin2)): r.geometry for r in level2.itertuples()})
    admin1_of = {(r.country_iso2, normalise(r.admin2)): r.admin1 for r in level2.itertuples()}

    listed = _read_seats(seats)
    by_key = _group_positions(names["key"].to_numpy(dtype=object), names["pos"].to_numpy(dtype=np.int64))
    lon, lat = places["longitude"].to_numpy(float), places["latitude"].to_numpy(float)
    country = places["gazetteer_country"].to_numpy(object)
    order = np.lexsort((-places["population"].to_numpy(np.int64), places["tier"].to_numpy(np.int64)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))

    def seat_position(seat_key: str, iso: str, shape: object | None, near: float) -> int | None:
        found = by_key.get(seat_key)
        if found is None:
            return None
        found = found[country[found] == iso]
        if shape is not None and len(found):
            found = found[shapely.distance(shape, shapely.points(lon[found], lat[found])) <= near]
        return int(found[np.argmin(rank[found])]) if len(found) else None

    rows, covered = _region_rows(regions, places)

    for (level, iso, unit_key), shape in polygons.items():
        if (level, iso, unit_key) in covered:
            continue
        unit = _unit_name(boundaries, level, iso, unit_key)
        admin1 = unit if level == 1 else admin1_of[(iso, unit_key)]
        word = "region" if level == 1 else ADMIN2_WORD.get(iso, "admin-2 unit")
        seat_name, line = listed.get((level, iso, unit_key), (None, None))
        keys = {unit_key, *(k[2] for k, (_, other) in listed.items() if line is not None and other == line)}
        position = None
        if seat_name is not None:
            position = seat_position(normalise(seat_name), iso, shape, LISTED_SEAT_NEAR_DEG)
            provenance = "seat listed in geodata/data/admin_seats.csv; seat: "
        if position is None:
            position = seat_position(unit_key, iso, shape, SEAT_NEAR_DEG)
            provenance = "seat: the same-named place in the unit: "
        needs_country = level == 1 and unit_key in set(regions.loc[regions["needs_country"], "key"])
        if position is not None:
            seat = str(places["name"].iat[position])
            label = f"{unit} {word} (seat {seat})"
            rows.extend(_unit_row(places, position, shape, level, iso, unit, admin1, key, needs_country,
                                  f"boundaries: {unit} ({iso} admin-{level}); {provenance}", label)
                        for key in keys)  # fmt: skip
        else:
            rows.extend(_unseated_row(shape, level, iso, unit_key, unit, admin1, word, key, needs_country)
                        for key in keys)
    units = pd.DataFrame(rows)
    for column in ("admin1_key", "admin2_key"):
        units[column] = units[column[:6]].map(lambda v: normalise(v) if isinstance(v, str) else "")
    units["geo_precision"] = 3
    units["population"] = 0
    units["tier"] = TIER_UNIT
    return units


def _region_rows(regions: pd.DataFrame, places: pd.DataFrame) -> tuple[list[dict[str, object]], set]:
    """The admin-1 regions of regions.csv, each at its capital under every spelling; and the (1, iso, key) covered."""
    rows: list[dict[str, object]] = []
    covered: set[tuple[int, str, str]] = set()
    for region in regions.drop_duplicates(["country_iso2", "region"]).itertuples():
        position = int(np.flatnonzero(places["place_id"].to_numpy() == region.place_id)[0])
        unit_key = normalise(region.region)
        spellings = regions.loc[(regions["country_iso2"] == region.country_iso2) & (regions["region"] == region.region)]
        covered.update((1, region.country_iso2, key) for key in {unit_key, *spellings["key"]})
        rows.extend(
            _unit_row(places, position, None, 1, region.country_iso2, region.region, region.region, key,
                      bool(spelled.needs_country), "region table geodata/data/regions.csv; capital: ",
                      f"{region.region} region (capital {region.capital})")
            for key, spelled in zip(spellings["key"], spellings.itertuples(), strict=True)
        )  # fmt: skip
    return rows, covered


def _unseated_row(shape: object, level: int, iso: str, unit_key: str, unit: str, admin1: str, word: str, key: str,
                  needs_country: bool) -> dict[str, object]:  # fmt: skip
    """A unit with no known seat, placed at a point inside its polygon."""
    import shapely

    point = shapely.point_on_surface(shape)
    return {
        "unit_id": f"{iso}:{level}:{unit_key}", "key": key, "level": level, "unit": unit,
        "name": unit, "matched": f"{unit} {word} (no seat known: a point inside the unit)",
        "gazetteer_country": iso, "country_iso2": iso, "admin1": admin1,
        "admin2": unit if level == 2 else None, "latitude": float(point.y), "longitude": float(point.x),
        "seat": None, "seat_key": "", "needs_country": needs_country,
        "source": f"boundaries: representative point of {unit} ({iso} admin-{level})",
    }  # fmt: skip


def _unit_row(places: pd.DataFrame, position: int, shape: object | None, level: int, iso: str, unit: str,
              admin1: str, key: str, needs_country: bool, provenance: str, label: str) -> dict[str, object]:
    """A unit placed at the seat at ``position``: the seat's point, the seat's joined admin units."""
    seat = places.iloc[position]
    return {
        "unit_id": f"{iso}:{level}:{normalise(unit)}", "key": key, "level": level, "unit": unit, "name": unit,
        "matched": label, "gazetteer_country": iso, "country_iso2": seat["country_iso2"],
        "admin1": seat["admin1"], "admin2": seat["admin2"], "latitude": float(seat["latitude"]),
        "longitude": float(seat["longitude"]), "seat": str(seat["name"]), "seat_key": normalise(seat["name"]),
        "needs_country": needs_country, "source": provenance + str(seat["source"]),
    }  # fmt: skip


def _unit_name(boundaries: Boundaries, level: int, iso: str, unit_key: str) -> str:
    frame = boundaries.admin1 if level == 1 else boundaries.units
    column = "admin1" if level == 1 else "admin2"
    names = frame.loc[frame["country_iso2"] == iso, column].dropna()
    return str(names[normalise_series(names.astype("string")) == unit_key].iloc[0])


def _read_seats(path: Path) -> dict[tuple[int, str, str], tuple[str, int]]:
    """(level, country, unit key) -> (seat name, CSV line), from admin_seats.csv (``unit`` may list spellings
    with ``|``: each is also a name of the unit)."""
    import pandas as pd

    from geodata.places.gazetteer import GazetteerError

    try:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from exc
    missing = [c for c in ("country_iso2", "level", "unit", "seat", "source_url") if c not in frame.columns]
    if missing:
        raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}")
    bad = ~frame["level"].isin(["1", "2"])
    if bad.any():
        raise GazetteerError(f"{path}: line(s) {', '.join(str(i + 2) for i in frame.index[bad][:10])}: "
                             "field 'level' is not 1 or 2")  # fmt: skip
    out: dict[tuple[int, str, str], tuple[str, int]] = {}
    for line, row in enumerate(frame.itertuples(), start=2):
        for spelling in str(row.unit).split("|"):
            out[(int(row.level), str(row.country_iso2), normalise(spelling))] = (str(row.seat), line)
    return out


# ---- the layer learned from a store ----------------------------------------------------------------------


def learn_places(events: pd.DataFrame) -> pd.DataFrame:
    """Place names learned from stored events: one row per name key seen only within 10 km.

    Uses the events with ``geo_precision`` 1 and a ``location``, except datasets in :data:`NOT_LEARNED`.
    A name whose points lie more than :data:`AMBIGUOUS_KM` apart (anywhere, any country) is ambiguous and left
    out. The learned point is the one most events give; ``source`` reads ``acled:BFO1234 +3 events``.
    UCDP-style names ending in "village" or "town" are also learned without that word.
    """
    import pandas as pd

    columns = ["key", "name", "latitude", "longitude", "country_iso2", "admin1", "admin2", "n_events",
               "event_ids", "source"]  # fmt: skip
    usable = events["geo_precision"].eq(1).fillna(False) & events["location"].notna()
    usable &= ~events["dataset"].isin(NOT_LEARNED).fillna(False) & events["latitude"].notna()
    rows = events.loc[usable.to_numpy(), ["event_id", "location", "latitude", "longitude", "country_iso2",
                                          "admin1", "admin2"]].reset_index(drop=True)  # fmt: skip
    if rows.empty:
        return pd.DataFrame(columns=columns)
    location = rows["location"].astype("string").str.strip()
    words = location.map(normalise_words, na_action="ignore")
    stripped = words.str.extract(r"^(.+?) (?:village|town|city|hamlet|locality)$", expand=False)
    rows = pd.concat([rows.assign(key=normalise_series(location), name=location),
                      rows.assign(key=stripped.str.replace(" ", "", regex=False),
                                  name=location.str.replace(r"(?i)\s+(village|town|city|hamlet|locality)$", "",
                                                            regex=True))[stripped.notna().to_numpy()]],
                     ignore_index=True)  # fmt: skip
    rows = rows[rows["key"].str.len() >= 2]

    points = rows.drop_duplicates(["key", "latitude", "longitude"])[["key", "latitude", "longitude"]]
    # Every pair of a name's distinct points is compared; a name at more than MAX_POINTS points is not a village.
    spots = points.groupby("key")["key"].transform("size")
    points = points[(spots <= MAX_POINTS).to_numpy()]
    pairs = points.merge(points, on="key")
    spread = pairs.assign(km=distances_km(pairs["latitude_x"], pairs["longitude_x"], pairs["latitude_y"],
                                 pairs["longitude_y"])).groupby("key")["km"].max()  # fmt: skip
    clear = spread.index[spread <= AMBIGUOUS_KM]
    rows = rows[rows["key"].isin(clear)]
    if rows.empty:
        return pd.DataFrame(columns=columns)

    counted = rows.groupby(["key", "latitude", "longitude"], sort=False).size().rename("n").reset_index()
    best = counted.sort_values(["key", "n"], ascending=[True, False], kind="stable").drop_duplicates("key")
    first = rows.drop_duplicates(["key", "latitude", "longitude"])
    learned = best.merge(first, on=["key", "latitude", "longitude"], how="left")
    ids = rows.groupby("key", sort=False)["event_id"].agg(lambda s: tuple(dict.fromkeys(s.astype(str))))
    learned["event_ids"] = learned["key"].map(ids).map(tuple)
    learned["n_events"] = learned["event_ids"].map(len)
    more = learned["n_events"] - 1
    suffix = np.where(more == 0, "", " +" + more.astype(str) + np.where(more == 1, " event", " events"))
    learned["source"] = learned["event_ids"].map(lambda t: t[0]) + suffix
    return learned[columns].reset_index(drop=True)


EVENT_COLUMNS_READ = ["event_id", "dataset", "location", "latitude", "longitude", "geo_precision", "country_iso2",
                      "admin1", "admin2"]


def read_learned(store: Path | str) -> pd.DataFrame:
    """:func:`learn_places` of the store file (only the columns it needs are read); empty if there is no store."""
    import pandas as pd

    from geodata.store import is_url, open_store

    if is_url(store):  # a PostGIS store: the same columns, read through the store
        events = open_store(store).read(EVENT_COLUMNS_READ)
        keep = (events["geo_precision"] == 1).fillna(False) & ~events["dataset"].isin(list(NOT_LEARNED))
        return learn_places(pd.DataFrame(events.loc[keep.to_numpy()]))
    store = Path(store)
    if not store.exists():
        return learn_places(pd.DataFrame(columns=["event_id", "dataset", "location", "latitude", "longitude",
                                                  "geo_precision", "country_iso2", "admin1", "admin2"]))
    import pyarrow.parquet as pq

    wanted = ["event_id", "dataset", "location", "latitude", "longitude", "geo_precision", "country_iso2",
              "admin1", "admin2"]  # fmt: skip
    present = set(pq.read_schema(store).names)
    filters = [("geo_precision", "=", 1)] if "geo_precision" in present else []
    filters += [("dataset", "not in", list(NOT_LEARNED))] if "dataset" in present else []
    table = pq.read_table(store, columns=[c for c in wanted if c in present], filters=filters or None).to_pandas()
    for column in wanted:
        if column not in table:
            table[column] = pd.NA
    return learn_places(table)


def load_index(
    boundaries: Path | None, cache_dir: Path | None, *, supplement: Path | None = None, regions: Path | None = None
) -> tuple[GazetteerIndex, bool]:
    """The index for these inputs (default gazetteer files, optional boundary override) and whether it was cached."""

    def build() -> GazetteerIndex:
        from geodata.places.boundaries import Boundaries
        from geodata.places.gazetteer import REGIONS_CSV, SUPPLEMENT_CSV, Gazetteer

        gazetteer = Gazetteer.load(supplement or SUPPLEMENT_CSV, regions or REGIONS_CSV)
        return build_index(gazetteer, Boundaries.load(boundaries))

    key = fingerprint("index", file_key(boundaries), file_key(supplement), file_key(regions))
    return cached(cache_dir, "gazetteer", key, build)


def learned_arrays(learned: pd.DataFrame | Learned | None) -> Learned:
    """A learned layer (:func:`learn_places`' frame, or arrays already) as :data:`Learned` plain arrays."""
    if learned is None:
        return {name: np.empty(0, dtype=object) for name in LEARNED_COLUMNS}
    out: Learned = {}
    for name in LEARNED_COLUMNS:
        values = learned[name]
        if name in ("latitude", "longitude"):
            out[name] = np.asarray(values, dtype=float)
        elif name == "n_events":
            out[name] = np.asarray(values, dtype=np.int64)
        elif name == "event_ids":
            out[name] = np.array([tuple(str(i) for i in ids) for ids in list(values)] + [()], dtype=object)[:-1]
        else:
            out[name] = plain(values)
    return out


def load_learned(store: Path | str, cache_dir: Path | None) -> tuple[Learned, bool]:
    """The layer learned from ``store`` as plain arrays (cached per store path, size and modification time; per
    database and store version for PostGIS)."""
    if isinstance(store, str) and store.startswith(("postgresql://", "postgres://")):  # geodata.store loads pandas
        from geodata.store import describe, open_store

        key: object = f"{describe(store)}@{open_store(store).version()}"
    else:
        key = file_key(store)
    digest = hashlib.sha256(
        f"{FORMAT}; {key}; {Path(__file__).read_bytes()!r}".encode()
    ).hexdigest()[:20]
    return cached(cache_dir, "learned", digest, lambda: learned_arrays(read_learned(store)))
