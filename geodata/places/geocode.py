"""Place names to points: exact and fuzzy gazetteer matching, region and border phrases, batch geocoding.

Every result says how exact it is (``geo_precision`` 1-4, as in :mod:`geodata.schema`), how sure the match
is (``score``, 100 for an exact key) and where the point comes from. A name that matches nothing well enough
raises :class:`PlaceNotFound` with the closest candidates: nothing is placed silently at a wrong point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from geodata.geo import COUNTRY_NAMES, COUNTRY_WORDS, FOCUS
from geodata.names import is_missing, normalise, normalise_words
from geodata.places.index import (
    COLUMNS,
    TIER_LEARNED,
    GazetteerIndex,
    Learned,
    build_index,
    learned_arrays,
    load_index,
    load_learned,
)
from geodata.settings import Settings

if TYPE_CHECKING:  # pandas and geopandas are imported where needed: a warm single lookup loads neither
    import pandas as pd

    from geodata.places.boundaries import Boundaries
    from geodata.places.gazetteer import Gazetteer


_WORD_TO_ISO = {word: iso for iso, words in COUNTRY_WORDS.items() for word in words}
_COUNTRY_ALT = "|".join(sorted(map(re.escape, _WORD_TO_ISO), key=len, reverse=True))
_COUNTRY_RE = re.compile(rf"\b({_COUNTRY_ALT})s?\b")
_BORDER_RE = re.compile(r"\b(borders?|frontiers?|frontieres?|border ?lands?)\b")
# Words naming an admin unit; region/state mean admin-1, the others admin-2 (tried first, then the other level).
_ADMIN1_WORDS = ("region", "regions", "state")
_UNIT_WORD = r"(?P<word>regions?|state|province|cercle|circle|department|departement|prefecture)"
_REGION_SUFFIX_RE = re.compile(
    rf"^(?:(?:the|la|le|l) )?(?:(?P<country>{_COUNTRY_ALT})s? )?(?:the )?(?P<region>.+?) {_UNIT_WORD}"
    rf"(?: (?:of |in )?(?P<country2>{_COUNTRY_ALT}))?$"
)
_REGION_PREFIX_RE = re.compile(
    rf"^(?:(?:the|la|le|l) )?{_UNIT_WORD} (?:of|de la|de l|de|du|des|d) (?:the )?(?P<region>.+?)"
    rf"(?: (?:in )?(?P<country2>{_COUNTRY_ALT}))?$"
)
# French elision ("cercle d'Ansongo", "province de l'Oudalan"): split it off before the words are normalised.
_ELISION_RE = re.compile(r"\b([dlDL])['’](?=\w)")
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
# (key, country hint, restricted to it) -> (matched key or None, its score, closest names as "Name (ISO2)")
_Pair = tuple[str, "str | None", bool]
_FuzzyMemo = dict[_Pair, tuple["str | None", float, list[str]]]


class _NeedsFuzzy(Exception):
    """Raised inside a batch when a name needs a fuzzy search, so all such names are searched together."""

    def __init__(self, pair: _Pair) -> None:
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
    if is_missing(hint) or not str(hint).strip():
        return None
    text = str(hint).strip()
    if text.upper() in COUNTRY_NAMES:
        return text.upper()
    iso = _WORD_TO_ISO.get(normalise_words(text))
    if iso is None:
        raise ValueError(f"unknown country {hint!r}: give an ISO 3166 alpha-2 code such as ML, BF or NE")
    return iso


class Geocoder:
    """Resolves place names, admin-unit, region and border phrases against one gazetteer index.

    Candidates of a name, best first: the curated supplement, GeoNames, places learned from the store's events,
    admin units (seat or a point inside, precision 3); a country hint ranks its own candidates first, and with
    ``restrict`` only they count. A name with no candidate is matched fuzzily (place names only).
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        boundaries: Boundaries,
        fuzzy_threshold: float = 88.0,
        learned: Learned | pd.DataFrame | None = None,
    ) -> None:
        """Build the index in memory (no disk cache) from ``gazetteer`` and ``boundaries``."""
        self._setup(build_index(gazetteer, boundaries), fuzzy_threshold, learned, lambda: boundaries)
        self._gazetteer = gazetteer

    @classmethod
    def from_index(
        cls,
        index: GazetteerIndex,
        fuzzy_threshold: float = 88.0,
        learned: Learned | pd.DataFrame | None = None,
        boundaries: Callable[[], Boundaries] | None = None,
    ) -> Geocoder:
        """A geocoder over a prebuilt ``index`` plus a ``learned`` layer (:func:`geodata.places.index.learn_places`).

        ``boundaries`` is called only when a border or country phrase needs the polygons (default: bundled).
        """
        geocoder = cls.__new__(cls)
        geocoder._setup(index, fuzzy_threshold, learned, boundaries or _bundled_boundaries)
        geocoder._gazetteer = None
        return geocoder

    @classmethod
    def from_settings(cls, settings: Settings) -> Geocoder:
        """The geocoder for these settings: the cached index for the configured boundaries, the layer learned
        from ``settings.store`` (unless ``settings.learn`` is off) and the fuzzy threshold."""
        index, _ = load_index(settings.boundaries, settings.cache_dir)
        learned = load_learned(settings.store, settings.cache_dir)[0] if settings.learn else None
        override, cache_dir = settings.boundaries, settings.cache_dir

        def boundaries() -> Boundaries:
            from geodata.places.boundaries import Boundaries

            return Boundaries.load(override, cache_dir)

        return cls.from_index(index, settings.fuzzy_threshold, learned, boundaries)

    def _setup(
        self,
        index: GazetteerIndex,
        fuzzy_threshold: float,
        learned: Learned | pd.DataFrame | None,
        boundaries: Callable[[], Boundaries],
    ) -> None:
        self.fuzzy_threshold = float(fuzzy_threshold)
        self._load_boundaries = boundaries
        self._boundaries: Boundaries | None = None
        self._units = index.units
        self._border_cache: dict[tuple[str, str], GeocodeResult] = {}
        column, by_key, positions = index.columns, index.by_key, index.positions
        fuzzy_all, fuzzy_country = index.fuzzy_keys, index.fuzzy_keys_by_country
        self.learned: Learned = learned_arrays(learned)
        if len(self.learned["key"]):
            column, by_key, positions, fuzzy_all, fuzzy_country = _with_learned(index, self.learned)
        self._column = column
        self._by_key = by_key
        self._positions = positions
        self._keys_all = fuzzy_all
        self._keys_by_country = fuzzy_country
        self._unit_keys = {int(level): np.unique(self._units["key"][self._units["level"] == level])
                           for level in np.unique(self._units["level"])}  # fmt: skip

    @property
    def boundaries(self) -> Boundaries:
        """The boundary layers, loaded on first use (border and country phrases only)."""
        if self._boundaries is None:
            self._boundaries = self._load_boundaries()
        return self._boundaries

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer frames (places, names, regions); parsed on first use when built from a cached index."""
        if self._gazetteer is None:
            from geodata.places.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    # ---- public API ---------------------------------------------------------------------------------------

    def geocode(
        self, name: str, country: str | None = None, admin1: str | None = None, *, restrict: bool = False
    ) -> GeocodeResult:
        """Resolve one name (place, admin unit, "X region" / "X province" or "A-B border" phrase).

        ``country`` is a hint (its candidates first); with ``restrict`` answers must lie in that country.
        Raises :class:`PlaceNotFound` with the closest names (of that country when restricted).
        """
        return self._geocode(name, country, admin1, None, restrict)

    def _geocode(
        self, name: str, country: str | None, admin1: str | None, fuzzy: _FuzzyMemo | None, restrict: bool = False
    ) -> GeocodeResult:
        """:meth:`geocode`; with a ``fuzzy`` memo, a name needing a fuzzy search raises :class:`_NeedsFuzzy`."""
        if is_missing(name) or not str(name).strip():
            raise PlaceNotFound("" if is_missing(name) else str(name), [], "empty name")
        name = str(name)
        hint = country_code(country)
        restrict = restrict and hint is not None
        words = normalise_words(_ELISION_RE.sub(r"\1 ", name))
        precision_floor = 1
        near = _NEAR_RE.match(words)
        if near:
            words, precision_floor = near.group("rest"), 2
        prefixed = _PLACE_PREFIX_RE.match(words)
        if prefixed:
            words = prefixed.group("rest")

        if _BORDER_RE.search(words):
            return self._border(name, words, hint, restrict)
        region = _REGION_SUFFIX_RE.match(words) or _REGION_PREFIX_RE.match(words)
        if region:
            result = self._unit(name, region, hint, restrict)
            if result is not None:
                return result
        if words in _WORD_TO_ISO and hint in (None, _WORD_TO_ISO[words]):
            return self._country(name, _WORD_TO_ISO[words])
        result = self._place(name, normalise(words), hint, admin1, fuzzy, restrict)
        if result.geo_precision < precision_floor:
            result = _replace(result, geo_precision=precision_floor, matched_name=f"near {result.matched_name}")
        return result

    def candidates(self, name: str, country: str | None = None, limit: int = 5, *, restrict: bool = False) -> list[str]:
        """The closest gazetteer names as "Name (ISO2)", hinted country first (only it, with ``restrict``)."""
        key = normalise(name) if not is_missing(name) else ""
        if not key:
            return []
        try:
            hint = country_code(country)
        except ValueError:
            hint = None
        pair = (key, hint, restrict and hint is not None)
        return self._fuzzy_search([pair], limit, labels_always=True)[pair][2]

    def geocode_many(
        self,
        names: pd.Series,
        country: pd.Series | None = None,
        admin1: pd.Series | None = None,
        *,
        restrict: bool = False,
    ) -> pd.DataFrame:
        """Geocode a column of names: each distinct (name, country, admin1) is resolved once, then mapped back.

        Returns a frame with the index of ``names``, one column per :class:`GeocodeResult` field and ``error``
        (the not-found message, NA when the name was placed).
        """
        import pandas as pd

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
        deferred: dict[int, _Pair] = {}
        for _ in range(2):  # first pass: exact names and phrases; second: the names that needed a fuzzy search
            for i, (name, hint, region) in enumerate(distinct):
                if rows[i] is not None:
                    continue
                try:
                    result = self._geocode(name, hint or None, region or None, memo, restrict)
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

    def _ranked(self, key: str, hint: str | None, admin1: str | None, restrict: bool = False) -> np.ndarray:
        """Positions of the candidates of ``key``, best first: in the hinted country, in the admin-1 hint, in
        one of our three countries, then by tier (supplement, GeoNames, learned, admin unit) and population.

        Generic admin-1 names ("Sahel", "Nord") count only in the hinted country; ``restrict`` keeps only it."""
        span = self._by_key.get(key)
        if span is None:
            return np.empty(0, dtype=np.int64)
        positions = self._positions[span[0] : span[1]]
        column = self._column
        needs = column["needs_country"][positions]
        gazetteer_country = column["gazetteer_country"][positions]
        in_country = (gazetteer_country == hint) | (column["country_iso2"][positions] == hint)
        keep = ~needs | (gazetteer_country == hint)
        if restrict:
            keep &= in_country
        if not keep.all():
            positions, in_country = positions[keep], in_country[keep]
        if len(positions) <= 1:
            return positions
        weight = 4 * in_country + np.isin(column["country_iso2"][positions], FOCUS)
        if admin1:
            admin_key = normalise(admin1)
            in_admin = (column["admin1_key"][positions] == admin_key) | (column["admin2_key"][positions] == admin_key)
            weight += 2 * in_admin
        order = np.lexsort((-column["population"][positions], column["tier"][positions], -weight))
        return positions[order]

    def _place(
        self, name: str, key: str, hint: str | None, admin1: str | None, fuzzy: _FuzzyMemo | None, restrict: bool
    ) -> GeocodeResult:
        score = 100.0
        positions = self._ranked(key, hint, admin1, restrict)
        if not len(positions):
            pair = (key, hint, restrict)
            if fuzzy is None:
                fuzzy = self._fuzzy_search([pair])
            elif pair not in fuzzy:
                raise _NeedsFuzzy(pair)
            match, score, closest = fuzzy[pair]
            if match is None:
                where = f" in {hint}" if restrict else ""
                raise PlaceNotFound(name, closest, f"no name{where} scores {self.fuzzy_threshold:g}+")
            positions = self._ranked(match, hint, admin1, restrict)
        return self._result(int(positions[0]), score)

    def _fuzzy_search(self, pairs: list[_Pair], limit: int = 5, labels_always: bool = False) -> _FuzzyMemo:
        """For each (key, country hint, restricted): the best key at or above the threshold (hinted country first)
        and its score, or None, plus the ``limit`` closest names as labels. One rapidfuzz ``cdist`` per pool."""
        if not pairs:
            return {}
        width = limit * 2
        enough = np.inf if labels_always else self.fuzzy_threshold
        open_keys = list(dict.fromkeys(key for key, _, restrict in pairs if not restrict))
        everywhere = self._closest(open_keys, self._keys_all, width, enough) if open_keys else {}
        in_country: dict[tuple[str, str | None], list[tuple[str, float]]] = {}
        for hint in {hint for _, hint, _ in pairs if hint in self._keys_by_country}:
            keys = list(dict.fromkeys(key for key, h, _ in pairs if h == hint))
            found = self._closest(keys, self._keys_by_country[hint], width, enough)
            in_country.update({(key, hint): found[key] for key in keys})
        memo: _FuzzyMemo = {}
        for key, hint, restrict in pairs:
            ranked = [*in_country.get((key, hint), []), *([] if restrict else everywhere[key])]
            match = next(((k, sc) for k, sc in ranked if sc >= self.fuzzy_threshold), None)
            if match is None or labels_always:
                labels = self._labels([k for k, _ in ranked], hint, limit, restrict)
                memo[(key, hint, restrict)] = (None, 0.0, labels) if match is None else (match[0], match[1], labels)
            else:
                memo[(key, hint, restrict)] = (match[0], fuzz.ratio(key, match[0]), [])
        return memo

    def _labels(self, keys: list[str], hint: str | None, limit: int, restrict: bool = False) -> list[str]:
        """Distinct "Name (ISO2)" labels of the best place of each key, in order."""
        labels: list[str] = []
        for candidate in keys:
            ranked = self._ranked(candidate, hint, None, restrict)
            if not len(ranked):
                continue
            best = int(ranked[0])
            label = f"{self._column['name'][best]} ({self._column['gazetteer_country'][best]})"
            if label not in labels:
                labels.append(label)
                if len(labels) == limit:
                    break
        return labels

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

    def _unit(self, name: str, match: re.Match, hint: str | None, restrict: bool) -> GeocodeResult | None:
        """An admin-unit phrase -> the unit's seat (or a point inside it) at precision 3; None if no unit is named.

        "X province" / "cercle de X" / "X region": the unit named X at the level the word says, else at the other
        level, else the unit whose seat is X ("Dori province" is Séno), else a fuzzy match of the unit name.
        """
        named = match.group("country") if "country" in match.re.groupindex else None
        named = named or match.group("country2")
        country = _WORD_TO_ISO[named] if named else hint
        if restrict and country != hint:
            raise PlaceNotFound(name, [], f"the phrase names {COUNTRY_NAMES[country]}, not {hint}")
        level = 1 if match.group("word") in _ADMIN1_WORDS else 2
        key = normalise(match.group("region"))
        units = self._units
        in_country = units["gazetteer_country"] == country if country is not None else ~units["needs_country"]
        score, seen, rows = 100.0, None, np.empty(0, dtype=np.int64)
        strategies = [(units["key"] == key) & (units["level"] == lvl) for lvl in (level, 3 - level)]
        strategies += [(units["seat_key"] == key) & (units["level"] == lvl) for lvl in (level, 3 - level)]
        for found in strategies:
            if found.any():
                seen = np.flatnonzero(found) if seen is None else seen
                rows = np.flatnonzero(found & in_country)
                if len(rows):
                    break
        if seen is None:
            for lvl in (level, 3 - level):
                fuzzy = process.extractOne(key, self._unit_keys.get(lvl, []), scorer=fuzz.ratio, processor=None,
                                           score_cutoff=self.fuzzy_threshold)  # fmt: skip
                if fuzzy is not None:
                    score = float(fuzzy[1])
                    found = (units["key"] == fuzzy[0]) & (units["level"] == lvl)
                    seen, rows = np.flatnonzero(found), np.flatnonzero(found & in_country)
                    break
            if seen is None:
                return None
        rows = rows[np.unique(units["position"][rows], return_index=True)[1]]
        if len(rows) > 1 and country is None:
            focus = rows[np.isin(units["gazetteer_country"][rows], FOCUS)]
            rows = focus if len(focus) == 1 else rows
        if len(rows) != 1:
            known = list(dict.fromkeys(f"{units['unit'][i]} ({units['gazetteer_country'][i]})" for i in seen))
            if not len(rows) and country is None:
                reason = "region name needs its country"
            elif not len(rows):
                reason = f"no such region in {country}"
            else:
                reason = "the name fits several units; give the country"
            raise PlaceNotFound(name, known, reason)
        return self._result(int(units["position"][rows[0]]), score)

    def _border(self, name: str, words: str, hint: str | None, restrict: bool = False) -> GeocodeResult:
        """A border phrase naming two countries (or one plus the country hint) -> a point on their border."""
        named = list(dict.fromkeys(_WORD_TO_ISO[m.group(1)] for m in _COUNTRY_RE.finditer(words)))
        if len(named) == 1 and hint is not None and hint != named[0]:
            named.append(hint)
        if len(named) != 2:
            reason = f"a border phrase needs exactly two countries, found {len(named)}"
            raise PlaceNotFound(name, [COUNTRY_NAMES[iso] for iso in named], reason)
        if restrict and hint not in named:
            raise PlaceNotFound(name, [], f"the {named[0]}-{named[1]} border is not in {hint}")
        pair = (named[0], named[1])
        if pair not in self._border_cache:
            import geopandas as gpd

            try:
                lat, lon = self.boundaries.border_point(*pair)
            except (LookupError, ValueError) as problem:
                raise PlaceNotFound(name, [], f"no border between {pair[0]} and {pair[1]}: {problem}") from problem
            point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs="EPSG:4326")
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

    def _result(self, position: int, score: float) -> GeocodeResult:
        column = self._column
        return GeocodeResult(
            latitude=float(column["latitude"][position]),
            longitude=float(column["longitude"][position]),
            geo_precision=int(column["geo_precision"][position]),
            country_iso2=_text(column["country_iso2"][position]),
            admin1=_text(column["admin1"][position]),
            admin2=_text(column["admin2"][position]),
            matched_name=str(column["matched"][position]),
            score=score,
            source=str(column["source"][position]),
        )


def _bundled_boundaries() -> Boundaries:
    from geodata.places.boundaries import Boundaries

    return Boundaries.load()


def _with_learned(
    index: GazetteerIndex, learned: Learned
) -> tuple[dict[str, np.ndarray], dict[str, tuple[int, int]], np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The index's columns, keys and fuzzy pools with the learned places appended (the index is not changed)."""
    start, count = len(index.columns["name"]), len(learned["key"])
    keys, country = learned["key"], learned["country_iso2"]
    added = {
        "place_id": np.array(["learned:" + key for key in keys.tolist()], dtype=object),
        "name": learned["name"],
        "matched": learned["name"],
        "gazetteer_country": country,
        "country_iso2": country,
        "admin1": learned["admin1"],
        "admin2": learned["admin2"],
        "admin1_key": np.array([normalise(v) if v else "" for v in learned["admin1"].tolist()], dtype=object),
        "admin2_key": np.array([normalise(v) if v else "" for v in learned["admin2"].tolist()], dtype=object),
        "latitude": learned["latitude"],
        "longitude": learned["longitude"],
        "geo_precision": np.ones(count, dtype=np.int64),
        "population": np.zeros(count, dtype=np.int64),
        "tier": np.full(count, TIER_LEARNED, dtype=np.int64),
        "needs_country": np.zeros(count, dtype=bool),
        "source": learned["source"],
    }
    columns = {name: np.concatenate([index.columns[name], added[name]]) for name in COLUMNS}
    # Each learned key gets a new span at the end of the positions: its old candidates, then the learned place.
    by_key = dict(index.by_key)
    extra: list[int] = []
    end = len(index.positions)
    for offset, key in enumerate(keys.tolist()):
        old = index.positions[slice(*by_key[key])].tolist() if key in by_key else []
        extra.extend([*old, start + offset])
        by_key[key] = (end, end + len(old) + 1)
        end += len(old) + 1
    positions = np.concatenate([index.positions, np.array(extra, dtype=np.int64)])
    known = set(index.fuzzy_keys.tolist())
    fuzzy_all = np.concatenate([index.fuzzy_keys, np.array(sorted(set(keys.tolist()) - known), dtype=object)])
    by_country = dict(index.fuzzy_keys_by_country)
    for iso in sorted({c for c in country.tolist() if c}):
        pool = by_country.get(iso, np.empty(0, dtype=object))
        have = set(pool.tolist())
        extra = [k for k, c in zip(keys.tolist(), country.tolist(), strict=True) if c == iso and k not in have]
        if extra:
            by_country[iso] = np.concatenate([pool, np.array(extra, dtype=object)])
    return columns, by_key, positions, fuzzy_all, by_country


def _text(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _replace(result: GeocodeResult, **changes: object) -> GeocodeResult:
    return GeocodeResult(**{**asdict(result), **changes})


def _aligned(values: pd.Series | None, names: pd.Series) -> pd.Series:
    import pandas as pd

    if values is None:
        return pd.Series(pd.NA, index=names.index, dtype="string")
    if len(values) != len(names):
        raise ValueError(f"hint column has {len(values)} rows, names have {len(names)}")
    return pd.Series(values.to_numpy(), index=names.index).astype("string")
