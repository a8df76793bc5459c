"""Place names to points: exact and fuzzy gazetteer matching, region and border phrases, batch geocoding.

Every result says how exact it is (``geo_precision`` 1-4, as in :mod:`geodata.schema`), how sure the match
is (``score``, 100 for an exact key) and where the point comes from. A name that matches nothing well enough
raises :class:`PlaceNotFound` with the closest candidates: nothing is placed silently at a wrong point.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geodata.gazetteer import Gazetteer
from geodata.names import normalise, normalise_words
from geodata.schema import CRS
from geodata.settings import Settings

if TYPE_CHECKING:
    from geodata.boundaries import Boundaries

# Names and adjectives (as normalise_words spells them) that name a country in border and region phrases.
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "ML": ("mali", "malian", "malien", "malienne"),
    "BF": ("burkina faso", "burkina", "burkinabe", "burkinabes"),
    "NE": ("niger", "nigerien", "nigerienne"),
    "MR": ("mauritania", "mauritanie", "mauritanian", "mauritanien"),
    "DZ": ("algeria", "algerie", "algerian", "algerien"),
    "SN": ("senegal", "senegalese", "senegalais"),
    "GN": ("guinea", "guinee", "guinean", "guineen", "guinea conakry"),
    "CI": ("cote divoire", "cote d ivoire", "ivory coast", "ivorian", "ivoirien"),
    "GH": ("ghana", "ghanaian", "ghaneen"),
    "TG": ("togo", "togolese", "togolais"),
    "BJ": ("benin", "beninese", "beninois"),
    "NG": ("nigeria", "nigerian", "nigerian"),
    "TD": ("chad", "chadian", "tchad", "tchadien"),
    "LY": ("libya", "libye", "libyan", "libyen"),
    # Not in our boundaries, listed so "Guinea-Bissau" is not read as Guinea.
    "GW": ("guinea bissau", "guinee bissau"),
}
COUNTRY_NAMES = {
    "ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "MR": "Mauritania", "DZ": "Algeria", "SN": "Senegal",
    "GN": "Guinea", "CI": "Côte d'Ivoire", "GH": "Ghana", "TG": "Togo", "BJ": "Benin", "NG": "Nigeria",
    "TD": "Chad", "LY": "Libya", "GW": "Guinea-Bissau",
}  # fmt: skip
_WORD_TO_ISO = {word: iso for iso, words in COUNTRY_WORDS.items() for word in words}
_COUNTRY_ALT = "|".join(sorted(map(re.escape, _WORD_TO_ISO), key=len, reverse=True))
_COUNTRY_RE = re.compile(rf"\b({_COUNTRY_ALT})s?\b")
_BORDER_RE = re.compile(r"\b(borders?|frontiers?|frontieres?|border ?lands?)\b")
_REGION_WORD = r"(?:region|state|province)"
_REGION_SUFFIX_RE = re.compile(
    rf"^(?:(?:the|la|le) )?(?:(?P<country>{_COUNTRY_ALT})s? )?(?:the )?(?P<region>.+?) {_REGION_WORD}"
    rf"(?: (?:of |in )?(?P<country2>{_COUNTRY_ALT}))?$"
)
_REGION_PREFIX_RE = re.compile(
    rf"^(?:(?:the|la|le) )?{_REGION_WORD} (?:of|de|du|d) (?:the )?(?P<region>.+?)"
    rf"(?: (?:in )?(?P<country2>{_COUNTRY_ALT}))?$"
)
_NEAR_RE = re.compile(r"^(?:near|outside|around|close to|nearby|vicinity of|the vicinity of) (?P<rest>.+)$")
_PLACE_PREFIX_RE = re.compile(r"^(?:the )?(?:town|village|city|commune|locality|hamlet) of (?P<rest>.+)$")


@dataclass(frozen=True)
class GeocodeResult:
    """One resolved name: the point, how exact it is, what it matched and where the point comes from."""

    latitude: float
    longitude: float
    geo_precision: int
    country_iso2: str | None
    admin1: str | None
    admin2: str | None
    matched_name: str
    score: float
    source: str

    def to_dict(self) -> dict:
        """Plain JSON-ready dict of all fields (what ``python -m geodata geocode`` prints)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


RESULT_FIELDS = tuple(f.name for f in fields(GeocodeResult))


_CDIST_CHUNK = 500  # names scored against the whole pool at once: 500 x 13k float32 scores is about 26 MB
# (key, country hint) -> (matched key or None, its score, closest names as "Name (ISO2)")
_FuzzyMemo = dict[tuple[str, "str | None"], tuple["str | None", float, list[str]]]


_ROW_COLUMNS = ("name", "gazetteer_country", "latitude", "longitude", "geo_precision", "country_iso2", "admin1",
                "admin2", "source", "source_url")  # fmt: skip


class _NeedsFuzzy(Exception):
    """Raised inside a batch when a name needs a fuzzy search, so all such names are searched together."""

    def __init__(self, pair: tuple[str, str | None]) -> None:
        super().__init__(pair)
        self.pair = pair


class PlaceNotFound(LookupError):
    """No place matches well enough; ``candidates`` are the closest names, e.g. ``["Fassala (MR)", ...]``."""

    def __init__(self, name: str, candidates: list[str], reason: str | None = None) -> None:
        self.name = name
        self.candidates = list(candidates)
        self.reason = reason
        message = f"place not found: {name!r}"
        if reason:
            message += f" ({reason})"
        message += f"; closest: {', '.join(self.candidates)}" if self.candidates else "; no close candidate"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


def country_code(hint: str | None) -> str | None:
    """ISO2 code for a country hint given as a code ("ML"), a name ("Mali") or an adjective; None if empty."""
    if hint is None or pd.isna(hint) or not str(hint).strip():
        return None
    text = str(hint).strip()
    if text.upper() in COUNTRY_NAMES:
        return text.upper()
    iso = _WORD_TO_ISO.get(normalise_words(text))
    if iso is None:
        raise ValueError(f"unknown country {hint!r}: give an ISO 3166 alpha-2 code such as ML, BF or NE")
    return iso


class Geocoder:
    """Resolves place names, region phrases and border phrases against one gazetteer and one boundary set."""

    def __init__(self, gazetteer: Gazetteer, boundaries: Boundaries, fuzzy_threshold: float = 88.0) -> None:
        self.gazetteer = gazetteer
        self.boundaries = boundaries
        self.fuzzy_threshold = float(fuzzy_threshold)
        self._places = self._joined_places(gazetteer.places, boundaries)
        # Plain arrays per column: a single-name lookup must not pay for pandas indexing.
        self._column = {name: self._places[name].to_numpy(dtype=object) for name in self._places.columns}
        self._position = {place_id: i for i, place_id in enumerate(self._column["place_id"])}
        self._by_key = self._positions_by_key(gazetteer.names, self._places)
        self._keys_all = np.array(list(self._by_key), dtype=object)
        self._keys_by_country = {
            iso: np.array(keys, dtype=object)
            for iso, keys in self._keys_of_countries(gazetteer.names, self._places).items()
        }
        self._regions = gazetteer.regions
        self._region_keys = gazetteer.regions["key"].drop_duplicates().to_numpy(dtype=object)
        self._border_cache: dict[tuple[str, str], GeocodeResult] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Geocoder:
        """The geocoder for these settings: our gazetteer, the configured boundaries and fuzzy threshold."""
        from geodata.boundaries import Boundaries

        return cls(Gazetteer.load(), Boundaries.load(settings.boundaries), settings.fuzzy_threshold)

    # ---- building -------------------------------------------------------------------------------------------

    @staticmethod
    def _joined_places(places: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
        """The gazetteer's places with the country/admin1/admin2 of our boundaries, joined once for all."""
        points = gpd.GeoDataFrame(
            {"place_id": places.index.to_numpy()},
            geometry=gpd.points_from_xy(places["longitude"], places["latitude"]),
            crs=CRS,
        )
        joined = boundaries.join(points)
        joined = joined.drop_duplicates("place_id").set_index("place_id").reindex(places.index)
        out = places.reset_index()
        out["gazetteer_country"] = out["country_iso2"]
        out["country_iso2"] = joined["country_iso2"].astype("string").to_numpy()
        out["country_iso2"] = out["country_iso2"].fillna(out["gazetteer_country"])
        for column in ("admin1", "admin2"):
            values = joined[column] if column in joined.columns else pd.Series(pd.NA, index=joined.index)
            out[column] = values.astype("string").to_numpy()
            out[f"{column}_key"] = out[column].map(normalise, na_action="ignore").fillna("").astype(object)
        return out

    @staticmethod
    def _positions_by_key(names: pd.DataFrame, places: pd.DataFrame) -> dict[str, np.ndarray]:
        """key -> positions of its places in ``places``, best first (supplement rows, then population)."""
        position = pd.Series(np.arange(len(places)), index=places["place_id"])
        table = names.assign(pos=names["place_id"].map(position).to_numpy())
        table = table.assign(
            supplement=places["supplement"].to_numpy()[table["pos"]],
            population=places["population"].to_numpy()[table["pos"]],
        ).sort_values(["key", "supplement", "population"], ascending=[True, False, False], kind="stable")
        return {key: group["pos"].to_numpy() for key, group in table.groupby("key", sort=False)}

    @staticmethod
    def _keys_of_countries(names: pd.DataFrame, places: pd.DataFrame) -> dict[str, list[str]]:
        country = names["place_id"].map(places.set_index("place_id")["gazetteer_country"])
        table = pd.DataFrame({"key": names["key"].to_numpy(), "country": country.to_numpy()}).drop_duplicates()
        return {iso: group["key"].tolist() for iso, group in table.groupby("country")}

    # ---- public API ---------------------------------------------------------------------------------------

    def geocode(self, name: str, country: str | None = None, admin1: str | None = None) -> GeocodeResult:
        """Resolve one name (place, "X region" or "A-B border" phrase); raises :class:`PlaceNotFound`."""
        return self._geocode(name, country, admin1, None)

    def _geocode(self, name: str, country: str | None, admin1: str | None, fuzzy: _FuzzyMemo | None) -> GeocodeResult:
        """:meth:`geocode`; with a ``fuzzy`` memo, a name needing a fuzzy search raises :class:`_NeedsFuzzy`."""
        if name is None or pd.isna(name) or not str(name).strip():
            raise PlaceNotFound("" if name is None or pd.isna(name) else str(name), [], "empty name")
        name = str(name)
        hint = country_code(country)
        words = normalise_words(name)
        precision_floor = 1
        near = _NEAR_RE.match(words)
        if near:
            words, precision_floor = near.group("rest"), 2
        prefixed = _PLACE_PREFIX_RE.match(words)
        if prefixed:
            words = prefixed.group("rest")

        if _BORDER_RE.search(words):
            return self._border(name, words, hint)
        region = _REGION_SUFFIX_RE.match(words) or _REGION_PREFIX_RE.match(words)
        if region:
            result = self._region(name, region, hint)
            if result is not None:
                return result
        if words in _WORD_TO_ISO and hint in (None, _WORD_TO_ISO[words]):
            return self._country(name, _WORD_TO_ISO[words])
        result = self._place(name, normalise(words), hint, admin1, fuzzy)
        if result.geo_precision < precision_floor:
            result = _replace(result, geo_precision=precision_floor, matched_name=f"near {result.matched_name}")
        return result

    def candidates(self, name: str, country: str | None = None, limit: int = 5) -> list[str]:
        """The closest gazetteer names as "Name (ISO2)", hinted country first; for 'not found' messages."""
        key = normalise(name) if name is not None and not pd.isna(name) else ""
        if not key:
            return []
        try:
            hint = country_code(country)
        except ValueError:
            hint = None
        return self._fuzzy_search([(key, hint)], limit, labels_always=True)[(key, hint)][2]

    def geocode_many(
        self, names: pd.Series, country: pd.Series | None = None, admin1: pd.Series | None = None
    ) -> pd.DataFrame:
        """Geocode a column of names: each distinct (name, country, admin1) is resolved once, then mapped back.

        Returns a frame with the index of ``names``, one column per :class:`GeocodeResult` field and ``error``
        (the not-found message, NA when the name was placed).
        """
        frame = pd.DataFrame(
            {
                "name": names.astype("string"),
                "country": _aligned(country, names),
                "admin1": _aligned(admin1, names),
            }
        ).fillna("")
        codes, distinct = pd.MultiIndex.from_frame(frame).factorize()
        memo: _FuzzyMemo = {}
        rows: list[tuple | None] = [None] * len(distinct)
        deferred: dict[int, tuple[str, str | None]] = {}
        for _ in range(2):  # first pass: exact names and phrases; second: the names that needed a fuzzy search
            for i, (name, hint, region) in enumerate(distinct):
                if rows[i] is not None:
                    continue
                try:
                    result = self._geocode(name, hint or None, region or None, memo)
                    rows[i] = (*(getattr(result, field) for field in RESULT_FIELDS), pd.NA)
                except _NeedsFuzzy as needs:
                    deferred[i] = needs.pair
                except (PlaceNotFound, ValueError) as problem:
                    rows[i] = (*(None for _ in RESULT_FIELDS), str(problem))
            memo.update(self._fuzzy_search(list(dict.fromkeys(deferred.values()))))
            deferred.clear()
        solved = pd.DataFrame(rows, columns=[*RESULT_FIELDS, "error"])
        out = solved.take(codes)
        out.index = names.index
        return out.astype(
            {
                "latitude": "float64",
                "longitude": "float64",
                "geo_precision": "Int64",
                "country_iso2": "string",
                "admin1": "string",
                "admin2": "string",
                "matched_name": "string",
                "score": "float64",
                "source": "string",
                "error": "string",
            }
        )

    # ---- resolution ---------------------------------------------------------------------------------------

    def _ranked(self, key: str, hint: str | None, admin1: str | None) -> np.ndarray:
        """Positions of the places of ``key``: country hint first, then admin-1 hint, then the key's own order."""
        positions = self._by_key[key]
        if len(positions) == 1 or (hint is None and not admin1):
            return positions
        column = self._column
        weight = np.zeros(len(positions), dtype=int)
        if hint is not None:
            in_country = (column["gazetteer_country"][positions] == hint) | (column["country_iso2"][positions] == hint)
            weight += 2 * in_country
        if admin1:
            admin_key = normalise(admin1)
            weight += (column["admin1_key"][positions] == admin_key) | (column["admin2_key"][positions] == admin_key)
        return positions[np.argsort(-weight, kind="stable")]

    def _place(
        self, name: str, key: str, hint: str | None, admin1: str | None, fuzzy: _FuzzyMemo | None
    ) -> GeocodeResult:
        score = 100.0
        if key not in self._by_key:
            pair = (key, hint)
            if fuzzy is None:
                fuzzy = self._fuzzy_search([pair])
            elif pair not in fuzzy:
                raise _NeedsFuzzy(pair)
            match, score, closest = fuzzy[pair]
            if match is None:
                raise PlaceNotFound(name, closest, f"no name scores {self.fuzzy_threshold:g}+")
            key = match
        place = self._row(self._ranked(key, hint, admin1)[0])
        return self._result(place, place["name"], int(place["geo_precision"]), score, _place_source(place))

    def _fuzzy_search(
        self, pairs: list[tuple[str, str | None]], limit: int = 5, labels_always: bool = False
    ) -> _FuzzyMemo:
        """For each (key, country hint): the best key at or above the threshold (hinted country first) and its
        score, or None, plus the ``limit`` closest names as labels. One rapidfuzz ``cdist`` per pool."""
        if not pairs:
            return {}
        width = limit * 2
        enough = np.inf if labels_always else self.fuzzy_threshold
        everywhere = self._closest(list(dict.fromkeys(key for key, _ in pairs)), self._keys_all, width, enough)
        in_country: dict[tuple[str, str | None], list[tuple[str, float]]] = {}
        for hint in {hint for _, hint in pairs if hint in self._keys_by_country}:
            keys = list(dict.fromkeys(key for key, h in pairs if h == hint))
            found = self._closest(keys, self._keys_by_country[hint], width, enough)
            in_country.update({(key, hint): found[key] for key in keys})
        memo: _FuzzyMemo = {}
        for key, hint in pairs:
            ranked = [*in_country.get((key, hint), []), *everywhere[key]]
            match = next(((k, sc) for k, sc in ranked if sc >= self.fuzzy_threshold), None)
            if match is None or labels_always:
                labels = self._labels([k for k, _ in ranked], hint, limit)
                memo[(key, hint)] = (None, 0.0, labels) if match is None else (match[0], match[1], labels)
            else:
                memo[(key, hint)] = (match[0], fuzz.ratio(key, match[0]), [])
        return memo

    def _labels(self, keys: list[str], hint: str | None, limit: int) -> list[str]:
        """Distinct "Name (ISO2)" labels of the best place of each key, in order."""
        labels: list[str] = []
        for candidate in keys:
            best = self._position_of_best(candidate, hint)
            label = f"{self._column['name'][best]} ({self._column['gazetteer_country'][best]})"
            if label not in labels:
                labels.append(label)
                if len(labels) == limit:
                    break
        return labels

    def _position_of_best(self, key: str, hint: str | None) -> int:
        return int(self._ranked(key, hint, None)[0])

    @staticmethod
    def _closest(keys: list[str], pool: np.ndarray, width: int, enough: float) -> dict[str, list[tuple[str, float]]]:
        """For each key, the best pool key alone if it scores ``enough``, else the ``width`` best (ties: pool order)."""
        out: dict[str, list[tuple[str, float]]] = {}
        width = min(width, len(pool))
        for start in range(0, len(keys), _CDIST_CHUNK):
            chunk = keys[start : start + _CDIST_CHUNK]
            scores = process.cdist(chunk, pool, scorer=fuzz.ratio, processor=None, dtype=np.float32)
            best = scores.argmax(axis=1)
            best_score = scores[np.arange(len(chunk)), best]
            short = np.flatnonzero(best_score < enough)
            top = np.argpartition(-scores[short], width - 1, axis=1)[:, :width] if width < len(pool) else None
            for row, key in enumerate(chunk):
                out[key] = [(pool[best[row]], float(best_score[row]))]
            for j, row in enumerate(short):
                picks = top[j] if top is not None else np.arange(len(pool))
                order = np.lexsort((picks, -scores[row, picks]))
                out[chunk[row]] = [(pool[i], float(scores[row, i])) for i in picks[order]]
        return out

    def _region(self, name: str, match: re.Match, hint: str | None) -> GeocodeResult | None:
        """An admin-1 phrase -> the region's capital at precision 3; None when the words name no region."""
        named = match.group("country") if "country" in match.re.groupindex else None
        named = named or match.group("country2")
        country = _WORD_TO_ISO[named] if named else hint
        key = normalise(match.group("region"))
        score = 100.0
        rows = self._regions[self._regions["key"] == key]
        if rows.empty:
            fuzzy = process.extractOne(
                key, self._region_keys, scorer=fuzz.ratio, processor=None, score_cutoff=self.fuzzy_threshold
            )
            if fuzzy is None:
                return None
            key, score = fuzzy[0], float(fuzzy[1])
            rows = self._regions[self._regions["key"] == key]
        if country is not None:
            rows = rows[rows["country_iso2"] == country]
        else:
            rows = rows[~rows["needs_country"]]
        if len(rows) != 1:
            same = self._regions[self._regions["key"] == key]
            known = same["region"] + " (" + same["country_iso2"] + ")"
            reason = "region name needs its country" if country is None else f"no such region in {country}"
            raise PlaceNotFound(name, known.drop_duplicates().tolist(), reason)
        row = rows.iloc[0]
        capital = self._row(self._position[row["place_id"]])
        return self._result(
            capital,
            f"{row['region']} region (capital {row['capital']})",
            3,
            score,
            f"region table geodata/data/regions.csv; capital: {_place_source(capital)}",
        )

    def _border(self, name: str, words: str, hint: str | None) -> GeocodeResult:
        """A border phrase naming two countries (or one plus the country hint) -> a point on their border."""
        named = list(dict.fromkeys(_WORD_TO_ISO[m.group(1)] for m in _COUNTRY_RE.finditer(words)))
        if len(named) == 1 and hint is not None and hint != named[0]:
            named.append(hint)
        if len(named) != 2:
            reason = f"a border phrase needs exactly two countries, found {len(named)}"
            raise PlaceNotFound(name, [COUNTRY_NAMES[iso] for iso in named], reason)
        pair = (named[0], named[1])
        if pair not in self._border_cache:
            try:
                lat, lon = self.boundaries.border_point(*pair)
            except (LookupError, ValueError) as problem:
                raise PlaceNotFound(name, [], f"no border between {pair[0]} and {pair[1]}: {problem}") from problem
            point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs=CRS)
            where = self.boundaries.join(point).iloc[0]
            self._border_cache[pair] = GeocodeResult(
                latitude=float(lat),
                longitude=float(lon),
                geo_precision=4,
                country_iso2=_text(where.get("country_iso2")),
                admin1=_text(where.get("admin1")),
                admin2=_text(where.get("admin2")),
                matched_name=f"{COUNTRY_NAMES[pair[0]]}–{COUNTRY_NAMES[pair[1]]} border",
                score=100.0,
                source=f"boundaries: point on the {pair[0]}-{pair[1]} border",
            )
        return self._border_cache[pair]

    def _country(self, name: str, iso: str) -> GeocodeResult:
        """A bare country name -> a point inside that country at precision 4."""
        shapes = self.boundaries.admin0[self.boundaries.admin0["country_iso2"] == iso]
        if shapes.empty:
            raise PlaceNotFound(name, [], f"{COUNTRY_NAMES[iso]} is outside our boundaries")
        point = shapes.geometry.union_all().representative_point()
        return GeocodeResult(
            latitude=float(point.y),
            longitude=float(point.x),
            geo_precision=4,
            country_iso2=iso,
            admin1=None,
            admin2=None,
            matched_name=f"{COUNTRY_NAMES[iso]} (country)",
            score=100.0,
            source=f"boundaries: representative point of {iso}",
        )

    def _row(self, position: int) -> dict[str, object]:
        return {name: self._column[name][position] for name in _ROW_COLUMNS}

    @staticmethod
    def _result(place: dict[str, object], matched: str, precision: int, score: float, source: str) -> GeocodeResult:
        return GeocodeResult(
            latitude=float(place["latitude"]),
            longitude=float(place["longitude"]),
            geo_precision=precision,
            country_iso2=_text(place["country_iso2"]),
            admin1=_text(place["admin1"]),
            admin2=_text(place["admin2"]),
            matched_name=str(matched),
            score=score,
            source=source,
        )


def _place_source(place: dict[str, object]) -> str:
    url = place["source_url"]
    return str(place["source"]) if pd.isna(url) else f"{place['source']}; {url}"


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _replace(result: GeocodeResult, **changes: object) -> GeocodeResult:
    return GeocodeResult(**{**asdict(result), **changes})


def _aligned(values: pd.Series | None, names: pd.Series) -> pd.Series:
    if values is None:
        return pd.Series(pd.NA, index=names.index, dtype="string")
    if len(values) != len(names):
        raise ValueError(f"hint column has {len(values)} rows, names have {len(names)}")
    return pd.Series(values.to_numpy(), index=names.index).astype("string")
