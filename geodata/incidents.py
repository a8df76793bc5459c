"""One incident, many reports: link events of different datasets that describe the same incident.

The rule (deterministic; nothing is deleted, every event only gains ``incident_id``, ``incident_size`` and
``incident_score``):

1. **Candidates** are pairs of events from *different* datasets (two events of one dataset are never linked:
   ACLED records separate events at one place on one day) that pass every hard test:

   - **dates**: their ranges ``date_start..date_end`` overlap or are at most ``DATE_SLACK_DAYS`` (1) day apart,
     so a massacre dated the night before by one source still matches; an event whose range is longer than
     ``MAX_SPAN_DAYS`` (62, about two months) is too vague to link;
   - **place**: both points within the radius of the *less* precise one (``RADIUS_KM``: 7 km for geo precision
     1, 25 km for 2; up to ``ADMIN2_KM`` (80 km) for precision 2 when both name the same admin-2 unit: ours from the
     boundary join, else the source's, e.g. ACLED "Bankass" and UCDP "Bankass cercle"). When either is a
     region-level event (precision 3) the test is the same admin-1 region
     instead, and for a country or border event (precision 4, or unknown) the same country;
   - **actors**: the actor families are the same pair in either order, where a side also matches when it is
     unknown (NA, or ``Other`` for unidentified groups), an ``X and/or Y`` alternative, or an allied family
     (``State forces`` with ``Wagner Group`` or ``Militia``); ``Civilians`` on one side also matches ``Militia``
     or ``State forces`` (village militias and VDP counted as civilians by one source), never an armed group
     such as JNIM or ISGS;
   - **fatalities** do not contradict: each report's range (low..high around best) is compared and the larger
     lower figure may be at most twice the smaller upper figure plus 5. Unknown figures never contradict.
   - **disputed attribution**: a pair whose actors fail the test above is still a candidate when it is plainly one
     incident on whose perpetrator the sources differ: the same single day, both places precise (geo precision 1
     or 2) and at most ``DISPUTED_KM`` (2 km) apart, the same known toll (above 0), one side (the victims) the same
     family in both, one of ``VICTIM_FAMILIES`` (civilians, soldiers, militias), the other side an armed family in
     both, and at least one source itself unsure who did it (an "X and/or Y" perpetrator). Two sources each sure of
     a different group keep two incidents. UCDP's "JNIM vs civilians, Gassiliki, 12 killed" and ACLED's "ISGS
     and/or Ansaroul Islam vs civilians, Gasseliki, 12 killed", 200 m apart on one day, are one incident. Such an
     incident carries ``incident_note`` ("sources differ on the perpetrator: JNIM (UCDP); ISGS/Ansarul Islam
     (ACLED)": each report's perpetrator family, ``X/Y`` for an "and/or" pair, in the schema's family order).

2. **Score** (0..1) of a candidate: 0.40 date + 0.40 place + 0.15 fatalities + 0.05 place names.
   Date: 1 on the same day, 0.6 a day apart, divided by ``1 + log2(widest span in days) / 4`` (a month-wide
   report scores 0.45).
   Place: ``1 - distance / radius`` (half of that for region- or country-level pairs, and half of
   ``1 - distance / ADMIN2_KM`` for two precision-2 reports matched through their admin-2 unit).
   Fatalities: ``1 - |a - b| / (max(a, b) + 5)``, 0.5 when either is unknown.
   Names: rapidfuzz ``token_set_ratio`` of the place names (words like "village" or "commune" removed) / 100,
   so the names only decide between candidates whose other evidence is nearly equal.
   Candidates below ``MIN_SCORE`` (0.45) are dropped.

3. **Links**: an event links to its best candidate in each other dataset, and only when that candidate also
   picks it (mutual best). When an event's best two candidates in one dataset score within ``AMBIGUITY`` (0.02)
   of each other, it links to neither (a region-level report next to several village reports is not guessed).

4. **Incidents** are the connected groups of links, never holding two events of one dataset (should a chain
   bring two together, links are taken best first and one that would join two events of one dataset is
   skipped). ``incident_id`` is the representative's ``event_id`` (an event alone is its own incident),
   ``incident_size`` counts the reports and ``incident_score`` is the best score among an event's links
   (NaN when alone).

5. **Representative** of an incident (what the dashboard counts when it counts incidents once): the most precise
   place (lowest ``geo_precision``), then the most precise date (shortest range), then the dataset order
   ``DATASET_ORDER``, then ``event_id``.

Candidate pairs come from vectorised blocking: events are put in grid cells wider than their radius (0.07° for
two precision-1 events, 0.25° when one is precision 2) and 4-day buckets of their date range, district-level
events in (admin-2, day) blocks and region-level ones in (region, day) blocks; pairs are the equal keys of sorted
integer arrays, so a million events take seconds (``python -m bench.bench_incidents``), never an all-pairs loop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from geodata.store.parquet import Commit

from geodata.geo import distances_km
from geodata.names import normalise_words
from geodata.schema import DATASETS, GROUPS
from geodata.store.base import side_path

DATASET_ORDER = ("acled", "ucdp", "curated", "text", "seed", "upload", "synthetic")
RADIUS_KM = {1: 7.0, 2: 25.0}
# A precision-2 report placed at its district's point (UCDP's "admin-2 unit") may lie this far from the place
# itself: allowed when both reports name the same admin-2 unit.
ADMIN2_KM = 80.0
DATE_SLACK_DAYS = 1
MAX_SPAN_DAYS = 62
# How far a candidate can be, whatever else the rule asks (geodata/relink.py reads only this far around the events
# an import changes): at most REACH_KM apart and DATE_SLACK_DAYS between the date ranges, or, when either event is
# region-level or coarser (geo precision COARSE_PRECISION and up, or unknown), in the same country.
REACH_KM = ADMIN2_KM
COARSE_PRECISION = 3
MIN_SCORE = 0.45
# Reports naming different perpetrators are one incident only when this close, on one day, with one toll.
DISPUTED_KM = 2.0
DISPUTED_NOTE = "sources differ on the perpetrator: "
VICTIM_FAMILIES = ("Civilians", "State forces", "Militia", "Wagner Group")
DATASET_LABELS = {"acled": "ACLED", "ucdp": "UCDP"}
AMBIGUITY = 0.02
WEIGHTS = {"date": 0.40, "place": 0.40, "fatalities": 0.15, "names": 0.05}
# Allied families whose reports may name either (a joint patrol, pro-government militias).
ALLIED = (("State forces", "Wagner Group"), ("State forces", "Militia"), ("Civilians", "Militia"),
          ("Civilians", "State forces"))
UNKNOWN_FAMILIES = ("Other",)
FATALITY_FACTOR = 2.0
FATALITY_MARGIN = 5.0
CELL_DEG = 0.25  # grid cell for pairs with a precision-2 event (wider than its 25 km radius)
FINE_CELL_DEG = 0.07  # grid cell for two precision-1 events (wider than their 7 km radius)
BUCKET_DAYS = 4
MS_PER_DAY = 86_400_000
# Words that say what kind of place a name is, dropped before names are compared.
PLACE_WORDS = re.compile(
    r"\b(village|town|city|commune|cercle|department|departement|province|region|district|area|camp|near|of|"
    r"the|de|du|la|le|les|et|and)\b"
)
COLUMNS = ("incident_id", "incident_size", "incident_score")
NOTE_COLUMN = "incident_note"  # set only where the reports disagree (see the rule's disputed attribution)
USED_COLUMNS = ("event_id", "dataset", "date_start", "date_end", "geo_precision", "latitude", "longitude",
                "country_iso2", "admin1", "group1", "group2", "group1_alt", "group2_alt", "fatalities",
                "fatalities_low", "fatalities_high", "location", "admin2", "source_admin2")


def report_path(store: Path) -> Path:
    """Where the multi-source incidents are listed, next to the store: ``<store>.incidents.csv``."""
    return side_path(Path(store), "incidents")


@dataclass(frozen=True)
class Links:
    """The result of linking: one value per event (in the frame's order) and the kept links."""

    incident_id: pd.Series
    incident_size: pd.Series
    incident_score: pd.Series
    incident_note: pd.Series
    # Per event (frame order), a label of its group before links joining two events of one dataset were dropped:
    # the events whose links and incidents can depend on one another (geodata/relink.py).
    group: np.ndarray
    _events: _Events
    _links: pd.DataFrame
    _incident: np.ndarray

    @cached_property
    def links(self) -> pd.DataFrame:
        """One row per kept link: incident_id, a, b (event ids), datasets, score and why (written on first use)."""
        return _describe(self._events, self._links, self._incident)


# -- preparing the arrays ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Events:
    """The fields the rule needs, as numpy arrays in ``event_id`` order (so results never depend on row order)."""

    ids: np.ndarray
    dataset: np.ndarray  # int codes
    start: np.ndarray  # days since 1970
    end: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    precision: np.ndarray  # 1..4, 4 for unknown
    admin1: np.ndarray  # int codes of (country, admin1), -1 unknown
    admin2: np.ndarray  # int codes of (country, admin-2 name, ours else the source's, cleaned), -1 unknown
    country: np.ndarray  # int codes, -1 unknown
    families: np.ndarray  # (n, 4): group1, group2, group1_alt, group2_alt as codes, -1 unknown
    low: np.ndarray  # float, NaN unknown
    high: np.ndarray
    best: np.ndarray
    names: np.ndarray  # int codes into name_labels, -1 unknown
    name_labels: np.ndarray  # object array of cleaned place names
    linkable: np.ndarray  # bool

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> _Events:
        def text(name: str) -> pd.Series:
            return frame[name].astype("string") if name in frame else pd.Series(pd.NA, index=frame.index,
                                                                                 dtype="string")

        dataset_labels = list(DATASET_ORDER) + [d for d in DATASETS if d not in DATASET_ORDER]
        dataset_codes = _codes(text("dataset"), dataset_labels)
        start = _days(frame["date_start"])
        end = _days(frame["date_end"])
        end = np.where(np.isnan(end), start, end)
        precision = pd.to_numeric(frame["geo_precision"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        precision = np.where(np.isnan(precision), 4, np.clip(precision, 1, 4)).astype(np.int8)
        country = text("country_iso2")
        admin1 = text("admin1")
        country_codes = pd.factorize(country)[0].astype(np.int64)
        admin1_codes, _ = pd.factorize(admin1)
        admin1_key = np.where(admin1_codes >= 0, (country_codes + 1) * (int(admin1_codes.max(initial=0)) + 1)
                              + admin1_codes, -1)
        district_codes, districts = pd.factorize(text("admin2").fillna(text("source_admin2")))
        cleaned = clean_names(pd.Series(districts, dtype=object))  # "Bankass cercle" and "Bankass" are one unit
        admin2_codes = np.append(pd.factorize(cleaned.where(cleaned != ""))[0], -1)[district_codes]
        admin2_key = np.where(admin2_codes >= 0, (country_codes + 1) * (int(admin2_codes.max(initial=0)) + 1)
                              + admin2_codes, -1)
        best = _numbers(frame, "fatalities")
        low = np.fmin(_numbers(frame, "fatalities_low"), best)
        high = np.fmax(_numbers(frame, "fatalities_high"), best)
        low = np.where(np.isnan(low), high, low)
        high = np.where(np.isnan(high), low, high)
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        linkable = ~(np.isnan(start) | np.isnan(lon) | np.isnan(lat)) & (end - start <= MAX_SPAN_DAYS - 1)
        linkable &= dataset_codes >= 0
        name_codes, distinct = pd.factorize(text("location"))
        name_labels = clean_names(pd.Series(distinct, dtype="string")).to_numpy(dtype=object)
        return cls(
            ids=text("event_id").fillna("").to_numpy(dtype=object),
            dataset=dataset_codes,
            start=np.nan_to_num(start).astype(np.int64),
            end=np.nan_to_num(end).astype(np.int64),
            lon=lon,
            lat=lat,
            precision=precision,
            admin1=admin1_key.astype(np.int64),
            admin2=admin2_key.astype(np.int64),
            country=country_codes,
            families=np.column_stack([_family_codes(text(name)) for name in
                                      ("group1", "group2", "group1_alt", "group2_alt")]),
            low=low,
            high=high,
            best=best,
            names=name_codes,
            name_labels=name_labels,
            linkable=linkable,
        )


def _days(values: pd.Series) -> np.ndarray:
    dates = pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[D]")
    days = dates.astype("int64").astype("float64")
    days[np.isnat(dates)] = np.nan
    return days


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _family_codes(values: pd.Series) -> np.ndarray:
    """Actor family codes (positions in ``GROUPS``, -1 unknown; a family outside the schema counts as Other)."""
    codes = _codes(values, list(GROUPS))
    return np.where(codes >= len(GROUPS), GROUPS.index("Other"), codes)


def _codes(values: pd.Series, labels: Sequence[str]) -> np.ndarray:
    """Position of each value in ``labels`` (-1 for NA); values outside ``labels`` get codes after them, in sorted
    order, so a dataset or family the schema does not list still compares equal to itself."""
    codes, distinct = pd.factorize(values)
    known = {label: k for k, label in enumerate(labels)}
    extra = sorted(str(v) for v in distinct if v not in known)
    known.update({label: len(labels) + k for k, label in enumerate(extra)})
    mapping = np.array([known[str(v)] for v in distinct] + [-1], dtype=np.int64)
    return mapping[codes]


def clean_names(names: pd.Series) -> pd.Series:
    """Place names as compared: normalised words without 'village', 'commune', 'region'... (per distinct name)."""
    names = names.astype(object)
    uniques = names.dropna().unique()
    mapping = {name: " ".join(PLACE_WORDS.sub(" ", normalise_words(name)).split()) for name in uniques}
    cleaned = names.map(mapping)
    return cleaned.where(cleaned.notna(), "").astype(object)


def _side_table() -> np.ndarray:
    """``table[a + 1, b + 1]``: whether family codes a and b (-1 unknown) may name the same side."""
    n = len(GROUPS)
    table = np.eye(n + 1, dtype=bool)
    table[0, :] = table[:, 0] = True  # unknown
    for name in UNKNOWN_FAMILIES:
        k = GROUPS.index(name) + 1
        table[k, :] = table[:, k] = True
    for a, b in ALLIED:
        i, j = GROUPS.index(a) + 1, GROUPS.index(b) + 1
        table[i, j] = table[j, i] = True
    return table


_SIDES = _side_table()


def _pair_table() -> np.ndarray:
    """``table[a, b]``: whether main family pairs a and b (codes ``(group1 + 1) * W + group2 + 1``) may name the same
    two sides in either order, looked up once per candidate instead of recomputed."""
    width = len(GROUPS) + 1
    a1, a2 = np.divmod(np.arange(width * width), width)
    first = _SIDES[a1[:, None], a1[None, :]] & _SIDES[a2[:, None], a2[None, :]]
    swapped = _SIDES[a1[:, None], a2[None, :]] & _SIDES[a2[:, None], a1[None, :]]
    return first | swapped


_PAIRS = _pair_table()


# -- candidate pairs ---------------------------------------------------------------------------------------


def _equi_join(left_key: np.ndarray, left: np.ndarray, right_key: np.ndarray,
               right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (left, right) with equal keys, and that key: sorted keys and searchsorted, no Python loop."""
    order = np.argsort(right_key)
    sorted_keys = right_key[order]
    left_order = np.argsort(left_key)  # searching sorted keys walks memory in order: several times faster
    left_key, left = left_key[left_order], left[left_order]
    lo = np.searchsorted(sorted_keys, left_key, side="left")
    hi = np.searchsorted(sorted_keys, left_key, side="right")
    counts = hi - lo
    total = int(counts.sum())
    if not total:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    which = np.repeat(np.arange(len(left_key)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return left[which], right[order[lo[which] + offsets]], left_key[which]


def _buckets(ev: _Events, members: np.ndarray, width: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(event, bucket, first bucket) for each bucket of ``width`` days (default ``BUCKET_DAYS``) that an event's
    range, one day longer at the end, touches: two events whose ranges are at most a day apart share one."""
    width = width or BUCKET_DAYS
    first = ev.start[members] // width
    last = (ev.end[members] + DATE_SLACK_DAYS) // width
    counts = (last - first + 1).astype(np.int64)
    event = np.repeat(members, counts)
    bucket = np.repeat(first, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    return event, bucket, np.repeat(first, counts)


def candidate_pairs(ev: _Events) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of events of different datasets that share a date bucket and a grid cell or a region.

    Each dataset is joined only against the datasets after it, so no same-dataset pair is ever formed.
    """
    n = len(ev.ids)
    everyone = np.flatnonzero(ev.linkable)
    first_bucket = np.zeros(n, dtype=np.int64)
    first_bucket[everyone] = ev.start[everyone] // BUCKET_DAYS
    first_day = np.zeros(n, dtype=np.int64)
    first_day[everyone] = ev.start[everyone]
    fine = everyone[ev.precision[everyone] <= 2]
    coarse = everyone[ev.precision[everyone] >= 3]
    shifts = np.array([(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)])
    pairs_i, pairs_j = [], []

    def keep(i: np.ndarray, j: np.ndarray, shared_bucket: np.ndarray, firsts: np.ndarray = first_bucket) -> None:
        first = shared_bucket == np.maximum(firsts[i], firsts[j])  # each pair once: in its first shared bucket
        pairs_i.append(np.minimum(i, j)[first])
        pairs_j.append(np.maximum(i, j)[first])

    # Point events: own cell on the left, the 3x3 neighbourhood on the right (cells are wider than the radius).
    # Two precision-1 events meet in small cells; a precision-2 event meets every point event in large ones.
    event, bucket, _ = _buckets(ev, fine)
    codes = ev.dataset[event]
    exact = ev.precision[event] == 1
    for cell, left_kind, right_kind in ((FINE_CELL_DEG, exact, exact), (CELL_DEG, ~exact, np.ones_like(exact)),
                                        (CELL_DEG, exact, ~exact)):
        cx = np.floor(ev.lon[event] / cell).astype(np.int64) + 4096
        cy = np.floor(ev.lat[event] / cell).astype(np.int64) + 4096
        cell_key = (bucket * 8192 + cx) * 8192 + cy
        for d in np.flatnonzero(np.bincount(codes[left_kind], minlength=1)):
            left = left_kind & (codes == d)
            right = np.flatnonzero(right_kind & (codes > d))
            if not left.any() or not len(right):
                continue
            right_keys = [(bucket[right] * 8192 + cx[right] + dx) * 8192 + cy[right] + dy for dx, dy in shifts]
            i, j, key = _equi_join(cell_key[left], event[left], np.concatenate(right_keys),
                                   np.tile(event[right], 9))
            keep(i, j, key // (8192 * 8192))

    # Precision-2 events against the point events of another dataset in the same admin-2 unit, by day.
    district = fine[(ev.precision[fine] == 2) & (ev.admin2[fine] >= 0)]
    if len(district):
        width = int(ev.admin2.max()) + 2
        left_event, left_bucket, _ = _buckets(ev, district, 1)
        right_event, right_bucket, _ = _buckets(ev, fine[ev.admin2[fine] >= 0], 1)
        for d in np.flatnonzero(np.bincount(ev.dataset[district])):
            left = ev.dataset[left_event] == d
            right = ev.dataset[right_event] != d
            i, j, key = _equi_join(left_bucket[left] * width + ev.admin2[left_event[left]], left_event[left],
                                   right_bucket[right] * width + ev.admin2[right_event[right]], right_event[right])
            keep(i, j, key // width, first_day)

    # Region- and country-level events against everyone of another dataset in their admin-1 region or country,
    # in one-day buckets (a region holds many events a day).
    if len(coarse):
        by_region = coarse[(ev.precision[coarse] == 3) & (ev.admin1[coarse] >= 0)]
        by_country = np.setdiff1d(coarse, by_region)
        for members, area in ((by_region, ev.admin1), (by_country, ev.country)):
            if not len(members):
                continue
            width = int(max(area.max(), 0)) + 2
            left_event, left_bucket, _ = _buckets(ev, members, 1)
            right_event, right_bucket, _ = _buckets(ev, everyone[area[everyone] >= 0], 1)
            for d in np.flatnonzero(np.bincount(ev.dataset[members])):
                left = ev.dataset[left_event] == d
                right = ev.dataset[right_event] != d
                i, j, key = _equi_join(left_bucket[left] * width + area[left_event[left]], left_event[left],
                                       right_bucket[right] * width + area[right_event[right]], right_event[right])
                keep(i, j, key // width, first_day)
    if not pairs_i:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    key = np.sort(np.concatenate(pairs_i) * n + np.concatenate(pairs_j))
    key = key[np.r_[True, key[1:] != key[:-1]][: len(key)]]  # two region-level events meet from both sides
    return key // n, key % n


# -- the tests and the score -------------------------------------------------------------------------------


def actors_compatible(fam_a: np.ndarray, fam_b: np.ndarray) -> np.ndarray:
    """Rows (group1, group2, group1_alt, group2_alt codes) that may name the same two sides, in either order."""
    width = len(GROUPS) + 1
    result = _PAIRS[(fam_a[:, 0] + 1) * width + fam_a[:, 1] + 1, (fam_b[:, 0] + 1) * width + fam_b[:, 1] + 1]
    alternative = ((fam_a[:, 2:] >= 0) | (fam_b[:, 2:] >= 0)).any(axis=1) & ~result
    if alternative.any():  # only "X and/or Y" rows need the four combinations
        result[alternative] = _with_alternatives(fam_a[alternative], fam_b[alternative])
    return result


def _with_alternatives(fam_a: np.ndarray, fam_b: np.ndarray) -> np.ndarray:

    def side(a_main: int, b_main: int) -> np.ndarray:
        match = np.zeros(len(fam_a), dtype=bool)
        for a in (a_main, a_main + 2):
            for b in (b_main, b_main + 2):
                both = (fam_a[:, a] >= 0) & (fam_b[:, b] >= 0) if (a > 1 or b > 1) else True
                match |= both & _SIDES[fam_a[:, a] + 1, fam_b[:, b] + 1]
        return match

    return (side(0, 0) & side(1, 1)) | (side(0, 1) & side(1, 0))


def fatalities_compatible(low_a: np.ndarray, high_a: np.ndarray, low_b: np.ndarray,
                          high_b: np.ndarray) -> np.ndarray:
    """False only when both figures are known and the larger lower figure exceeds twice the smaller upper + 5."""
    with np.errstate(invalid="ignore"):
        lower = np.fmax(low_a, low_b)
        upper = np.fmin(high_a, high_b)
        contradict = lower > FATALITY_FACTOR * upper + FATALITY_MARGIN
    return ~(contradict & ~np.isnan(lower) & ~np.isnan(upper))


def score_pairs(ev: _Events, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    """The pairs that pass every hard test, with their evidence and score."""
    gap = np.maximum(0, np.maximum(ev.start[i], ev.start[j]) - np.minimum(ev.end[i], ev.end[j]))
    ok = gap <= DATE_SLACK_DAYS
    ok &= fatalities_compatible(ev.low[i], ev.high[i], ev.low[j], ev.high[j])
    compatible = actors_compatible(ev.families[i], ev.families[j])
    disputed = ~compatible & ok
    disputed[disputed] = same_victims_and_toll(ev, i[disputed], j[disputed])
    ok &= compatible | disputed
    i, j, gap, disputed = i[ok], j[ok], gap[ok], disputed[ok]
    distance = distances_km(ev.lat[i], ev.lon[i], ev.lat[j], ev.lon[j])
    close = distance <= DISPUTED_KM
    i, j, gap, distance, disputed = (a[~disputed | close] for a in (i, j, gap, distance, disputed))
    precision = np.maximum(ev.precision[i], ev.precision[j])
    radius = np.where(precision >= 2, RADIUS_KM[2], RADIUS_KM[1])
    coarse = precision >= 3
    same_region = (ev.admin1[i] >= 0) & (ev.admin1[i] == ev.admin1[j])
    same_country = (ev.country[i] >= 0) & (ev.country[i] == ev.country[j])
    region_ok = np.where(precision == 3, same_region | ((ev.admin1[i] < 0) | (ev.admin1[j] < 0)) & same_country,
                         same_country)
    district = (precision == 2) & (distance > radius) & (ev.admin2[i] >= 0) & (ev.admin2[i] == ev.admin2[j])
    ok = np.where(coarse, region_ok, (distance <= radius) | (district & (distance <= ADMIN2_KM)))
    district, disputed = district[ok], disputed[ok]
    i, j, gap, distance, radius, coarse = i[ok], j[ok], gap[ok], distance[ok], radius[ok], coarse[ok]

    span = np.maximum(ev.end[i] - ev.start[i], ev.end[j] - ev.start[j]) + 1
    date = np.where(gap == 0, 1.0, 0.6) / (1 + np.log2(span) / 4)
    coarse_radius = 300.0
    place = np.where(coarse, 0.5 * np.clip(1 - distance / coarse_radius, 0, 1), np.clip(1 - distance / radius, 0, 1))
    place = np.where(district, 0.5 * np.clip(1 - distance / ADMIN2_KM, 0, 1), place)  # same district, far apart
    a, b = ev.best[i], ev.best[j]
    with np.errstate(invalid="ignore"):
        fatal = 1 - np.abs(a - b) / (np.fmax(a, b) + FATALITY_MARGIN)
    fatal = np.where(np.isnan(fatal), 0.5, fatal)
    names = _name_similarity(ev, i, j)
    score = (WEIGHTS["date"] * date + WEIGHTS["place"] * place + WEIGHTS["fatalities"] * fatal
             + WEIGHTS["names"] * names)
    pairs = pd.DataFrame({"i": i, "j": j, "score": np.round(score, 4), "gap_days": gap,
                          "distance_km": np.round(distance, 1), "coarse": coarse, "names": np.round(names * 100),
                          "disputed": disputed})
    return pairs.loc[pairs["score"] >= MIN_SCORE].reset_index(drop=True)


def same_victims_and_toll(ev: _Events, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs that may be one incident whose perpetrator the sources dispute (the distance is the caller's test):
    one single day, precise places, the same known toll above 0, the same victims, armed perpetrators on both
    sides and at least one perpetrator given as "X and/or Y"."""
    one_day = (ev.start[i] == ev.end[i]) & (ev.start[j] == ev.end[j]) & (ev.start[i] == ev.start[j])
    precise = (ev.precision[i] <= 2) & (ev.precision[j] <= 2)
    toll = (ev.best[i] == ev.best[j]) & (ev.best[i] > 0)  # NaN compares unequal: unknown tolls never match
    fam_a, fam_b = ev.families[i], ev.families[j]
    victims = _victims(fam_a, fam_b)
    armed = np.array([g not in ("Civilians", *UNKNOWN_FAMILIES) for g in GROUPS] + [False])
    perp_a, alt_a = _perpetrators(fam_a, victims)
    perp_b, alt_b = _perpetrators(fam_b, victims)
    both_armed = armed[np.where(perp_a >= 0, perp_a, -1)] & armed[np.where(perp_b >= 0, perp_b, -1)]
    unsure = (alt_a >= 0) | (alt_b >= 0)
    return one_day & precise & toll & (victims >= 0) & both_armed & unsure


def _victims(fam_a: np.ndarray, fam_b: np.ndarray) -> np.ndarray:
    """Per row: the family (code) both reports give one side, when it is one of ``VICTIM_FAMILIES`` (group2 first,
    then group1, then crossed); -1 when they share none."""
    eligible = np.array([g in VICTIM_FAMILIES for g in GROUPS] + [False])
    out = np.full(len(fam_a), -1, dtype=np.int64)
    for a, b in ((1, 1), (0, 0), (0, 1), (1, 0)):
        same = (fam_a[:, a] >= 0) & (fam_a[:, a] == fam_b[:, b]) & eligible[fam_a[:, a]] & (out < 0)
        out[same] = fam_a[same, a]
    return out


def _perpetrators(fam: np.ndarray, victims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the family code of the side that is not the victims, and its "and/or" alternative (-1 if none)."""
    first_is_victim = fam[:, 0] == victims
    return np.where(first_is_victim, fam[:, 1], fam[:, 0]), np.where(first_is_victim, fam[:, 3], fam[:, 2])


def _name_similarity(ev: _Events, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """rapidfuzz token_set_ratio / 100 of the cleaned place names, computed once per distinct pair of names."""
    if not len(i):
        return np.empty(0)
    width = len(ev.name_labels) + 1
    pair_codes, distinct = pd.factorize((ev.names[i] + 1) * width + ev.names[j] + 1)
    a, b = np.divmod(np.asarray(distinct, dtype=np.int64), width)
    labels = np.append(ev.name_labels, "")  # code -1 (no name) reads the last, empty, label
    scores = process.cpdist(labels[a - 1], labels[b - 1], scorer=fuzz.token_set_ratio, workers=-1) / 100.0
    return scores[pair_codes]


def mutual_best(ev: _Events, pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs where each event is the other's clear best candidate in the other's dataset."""
    if pairs.empty:
        return pairs
    n = len(pairs)
    src = np.concatenate([pairs["i"].to_numpy(), pairs["j"].to_numpy()])
    dst = np.concatenate([pairs["j"].to_numpy(), pairs["i"].to_numpy()])
    score = np.tile(pairs["score"].to_numpy(), 2)
    pair = np.tile(np.arange(n), 2)
    order = np.lexsort((dst, -score, ev.dataset[dst], src))  # positions follow event_id: ties go by id
    s_src, s_set, s_score = src[order], ev.dataset[dst][order], score[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (s_src[1:] != s_src[:-1]) | (s_set[1:] != s_set[:-1])
    has_next = np.zeros(len(order), dtype=bool)
    has_next[:-1] = ~first[1:]
    next_score = np.append(s_score[1:], -np.inf)
    clear = first & (~has_next | (s_score - next_score >= AMBIGUITY))
    votes = np.bincount(pair[order], weights=clear.astype(float), minlength=n)
    return pairs.loc[votes == 2].reset_index(drop=True)


def _components(n: int, ev: _Events, links: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """Connected groups of links (label = smallest member position); links that would put two events of one
    dataset together are dropped, best first. Also the groups before that (equal to the first when none clash)."""
    label = np.arange(n)
    if links.empty:
        return label, links, label
    i, j = links["i"].to_numpy(), links["j"].to_numpy()
    label = _propagate(label, i, j)
    key = pd.DataFrame({"label": label, "dataset": ev.dataset})
    member = np.zeros(n, dtype=bool)
    member[i] = member[j] = True
    clash_labels = key.loc[member & key.duplicated(["label", "dataset"], keep=False).to_numpy(), "label"].unique()
    if not len(clash_labels):
        return label, links, label
    clashing = np.isin(label[i], clash_labels)
    # The rare groups a chain would join across one dataset: links taken best first (ties by ids).
    sub = links.loc[clashing].assign(a=lambda t: ev.ids[t["i"]], b=lambda t: ev.ids[t["j"]])
    sub = sub.sort_values(["score", "a", "b"], ascending=[False, True, True], kind="stable")
    parent: dict[int, int] = {}
    sets: dict[int, set[int]] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    kept = []
    for index, a, b in zip(sub.index, sub["i"], sub["j"], strict=True):
        ra, rb = root(int(a)), root(int(b))
        da, db = sets.get(ra, {int(ev.dataset[a])}), sets.get(rb, {int(ev.dataset[b])})
        if ra == rb or da & db:
            continue
        parent[rb] = ra
        sets[ra] = da | db
        kept.append(index)
    links = pd.concat([links.loc[~clashing], links.loc[kept]]).sort_index()
    return _propagate(np.arange(n), links["i"].to_numpy(), links["j"].to_numpy()), links, label


def _propagate(label: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Smallest position in each connected group, by repeated minimum along the links (groups are small)."""
    label = label.copy()
    while True:
        low = np.minimum(label[i], label[j])
        before = label.copy()
        np.minimum.at(label, i, low)
        np.minimum.at(label, j, low)
        label = label[label]
        if np.array_equal(label, before):
            return label


# -- public entry points -----------------------------------------------------------------------------------


def representative_order(frame: pd.DataFrame, ids: np.ndarray | None = None) -> list[np.ndarray]:
    """Sort keys (least significant first, for ``np.lexsort``) of the representative rule: geo precision, then
    date span, then dataset order, then event_id (or ``ids``, any array in the same order as the event ids)."""
    precision = pd.to_numeric(frame["geo_precision"], errors="coerce").fillna(9).to_numpy(dtype="float64")
    start, end = _days(frame["date_start"]), _days(frame["date_end"])
    span = np.where(np.isnan(end), 0, end - np.nan_to_num(start))
    span = np.where(np.isnan(start), 1e9, span)
    rank = {name: k for k, name in enumerate(DATASET_ORDER)}
    dataset = frame["dataset"].astype("string").map(rank).fillna(len(rank)).to_numpy(dtype="float64")
    if ids is None:
        ids = frame["event_id"].astype("string").fillna("").to_numpy(dtype=object).astype(str)
    return [ids, dataset, span, precision]


def partners(frame: pd.DataFrame, ids: set[str]) -> set[str]:
    """The ids of the events of ``frame`` that are a candidate of an event whose id is in ``ids`` (a pair that passes
    every test and scores at least MIN_SCORE): the only events whose best candidate in some dataset can change when
    those events come, go or change (geodata/relink.py)."""
    if frame.empty or not ids:
        return set()
    ev = _Events.from_frame(frame[[c for c in USED_COLUMNS if c in frame]].reset_index(drop=True))
    pairs = score_pairs(ev, *candidate_pairs(ev))
    a, b = ev.ids[pairs["i"].to_numpy()].astype(str), ev.ids[pairs["j"].to_numpy()].astype(str)
    mine_a, mine_b = np.isin(a, list(ids)), np.isin(b, list(ids))
    return set(b[mine_a & ~mine_b]) | set(a[mine_b & ~mine_a])


def link(frame: pd.DataFrame) -> Links:
    """Link the events of ``frame`` (canonical columns) into incidents; results are indexed like ``frame``."""
    n = len(frame)
    ids = frame["event_id"].astype("string").fillna("")
    back = pc.sort_indices(pa.array(ids.to_numpy(dtype=object), type=pa.string())).to_numpy() if n else \
        np.empty(0, dtype=np.int64)
    ordered = frame[[c for c in USED_COLUMNS if c in frame]].take(back)  # event_id order: results never depend on
    ev = _Events.from_frame(ordered)  # the order of the rows
    i, j = candidate_pairs(ev)
    pairs = score_pairs(ev, i, j)
    links = mutual_best(ev, pairs)
    label, links, group = _components(n, ev, links)

    # Representative of each group: first by the stated rule.
    keys = representative_order(ordered, ids=np.arange(n))  # rows are in event_id order already
    order = np.lexsort([*keys, label])
    first = np.ones(n, dtype=bool)
    first[1:] = label[order][1:] != label[order][:-1]
    rep_of_label = np.empty(n, dtype=np.int64)
    rep_of_label[label[order][first]] = order[first]
    incident = ev.ids[rep_of_label[label]]
    size = np.bincount(label, minlength=n)[label]
    best = np.full(n, np.nan)
    if not links.empty:
        for side in ("i", "j"):
            np.fmax.at(best, links[side].to_numpy(), links["score"].to_numpy())

    note = _disputed_notes(ev, links, label)

    out_id = np.empty(n, dtype=object)
    out_size = np.empty(n, dtype=np.int64)
    out_score = np.empty(n, dtype="float64")
    out_note = np.empty(n, dtype=object)
    out_group = np.empty(n, dtype=np.int64)
    out_id[back], out_size[back], out_score[back], out_note[back], out_group[back] = incident, size, best, note, group
    index = frame.index
    return Links(
        incident_id=pd.Series(out_id, index=index, dtype="string"),
        incident_size=pd.Series(out_size, index=index, dtype="Int64"),
        incident_score=pd.Series(out_score, index=index, dtype="float64"),
        incident_note=pd.Series(out_note, index=index, dtype="string"),
        group=out_group,
        _events=ev,
        _links=links,
        _incident=incident,
    )


def _disputed_notes(ev: _Events, links: pd.DataFrame, label: np.ndarray) -> np.ndarray:
    """Per event: the incident's note when a kept link disputes the perpetrator, else None.

    Each member's perpetrator is its side other than the victims' family (``X/Y`` with an "and/or" alternative);
    the reports are listed in the schema's family order of their perpetrators, then by dataset order.
    """
    n = len(label)
    note = np.full(n, None, dtype=object)
    if links.empty or not links["disputed"].any():
        return note
    disputed = links.loc[links["disputed"]]
    i, j = disputed["i"].to_numpy(), disputed["j"].to_numpy()
    victim_of_label = np.full(n, -1, dtype=np.int64)
    victim_of_label[label[i]] = _victims(ev.families[i], ev.families[j])
    members = np.flatnonzero(victim_of_label[label] >= 0)
    main, alternative = _perpetrators(ev.families[members], victim_of_label[label[members]])
    names = np.array([*GROUPS, *(["Other"] * 64)], dtype=object)
    labels = np.array(list(DATASET_ORDER) + [d for d in DATASETS if d not in DATASET_ORDER] + ["?"] * 64,
                      dtype=object)
    perpetrator = pd.Series(np.where(main >= 0, names[np.maximum(main, 0)], "unnamed"), dtype="string")
    with_alternative = (alternative >= 0) & (alternative != main)
    perpetrator[with_alternative] = perpetrator[with_alternative] + "/" + names[alternative[with_alternative]]
    dataset = pd.Series(labels[ev.dataset[members]], dtype="string")
    dataset = dataset.map(lambda d: DATASET_LABELS.get(d, d)).astype("string")
    table = pd.DataFrame({"label": label[members], "main": np.where(main >= 0, main, len(GROUPS)),
                          "dataset": ev.dataset[members], "text": perpetrator + " (" + dataset + ")"})
    table = table.sort_values(["label", "main", "dataset"], kind="stable")
    texts = table.groupby("label", sort=False)["text"].agg(lambda parts: "; ".join(dict.fromkeys(parts)))
    note[members] = (DISPUTED_NOTE + texts.reindex(label[members])).to_numpy(dtype=object)
    return note


def _describe(ev: _Events, links: pd.DataFrame, incident: np.ndarray) -> pd.DataFrame:
    """Each kept link with its evidence in words."""
    if links.empty:
        return pd.DataFrame(columns=["incident_id", "a", "b", "score", "why"])
    i, j = links["i"].to_numpy(), links["j"].to_numpy()
    names = np.append(ev.name_labels, "")  # code -1 reads ""
    labels = np.array(list(DATASET_ORDER) + [d for d in DATASETS if d not in DATASET_ORDER] + ["?"] * 64,
                      dtype=object)
    place = np.where(links["coarse"], "same admin-1 region or country (region-level report)",
                     (links["distance_km"].round(1).astype(str) + " km apart").to_numpy(dtype=object))
    day = np.where(links["gap_days"] == 0, "dates overlap", "dates 1 day apart")
    actors = np.where(links["disputed"], "perpetrators differ, same victims and toll", "actors compatible")
    why = (pd.Series(day, dtype="string") + "; " + pd.Series(place, dtype="string")
           + "; " + pd.Series(actors, dtype="string") + "; fatalities " + _figure(ev, i) + " vs " + _figure(ev, j)
           + "; names " + pd.Series(names[ev.names[i]], dtype="string") + " ~ "
           + pd.Series(names[ev.names[j]], dtype="string") + " ("
           + links["names"].astype(int).astype(str).to_numpy() + "/100)")
    return pd.DataFrame({
        "incident_id": incident[i],
        "a": ev.ids[i],
        "b": ev.ids[j],
        "datasets": labels[ev.dataset[i]] + "+" + labels[ev.dataset[j]],
        "score": links["score"].to_numpy(),
        "why": why.to_numpy(dtype=object),
    })


def _figure(ev: _Events, rows: np.ndarray) -> pd.Series:
    best = pd.Series(ev.best[rows], dtype="Float64").round().astype("Int64").astype("string")
    return best.fillna("unknown")


def apply(frame: pd.DataFrame) -> tuple[pd.DataFrame, Links]:
    """``frame`` with the incident columns (re)computed, and the links behind them."""
    result = link(frame)
    out = frame.copy()
    out["incident_id"] = result.incident_id
    out["incident_size"] = result.incident_size
    out["incident_score"] = result.incident_score
    out[NOTE_COLUMN] = result.incident_note
    return out, result


def incident_table(frame: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One row per multi-source incident: id, size, datasets, members, weakest link score, ``incident_note``
    (what the sources disagree on, e.g. the perpetrator; empty when they agree) and why the reports were linked."""
    columns = ["incident_id", "incident_size", "datasets", "members", "score", "incident_note", "why"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    notes = frame[NOTE_COLUMN] if NOTE_COLUMN in frame else pd.Series(pd.NA, index=frame.index)
    multi = frame.loc[frame["incident_size"].fillna(1) > 1, ["incident_id", "event_id", "dataset", "incident_size"]]
    multi = multi.astype({"incident_id": str, "event_id": str, "dataset": str}).assign(incident_note=notes)
    multi = multi.sort_values(["incident_id", "event_id"], kind="stable")
    # Rows of one incident are contiguous once sorted: each group is a slice (no per-group pandas machinery).
    ids, starts, ends = _runs(multi["incident_id"].to_numpy(dtype=object))
    events, datasets = multi["event_id"].to_numpy(dtype=object), multi["dataset"].to_numpy(dtype=object)
    note = multi["incident_note"]
    first_note = note.groupby(multi["incident_id"].to_numpy(), sort=True).first()  # first non-empty, as before
    members = pd.DataFrame({
        "incident_size": multi["incident_size"].iloc[starts].to_numpy(),
        "incident_note": first_note.reindex(ids).to_numpy(),
        "datasets": ["+".join(sorted(set(datasets[a:b]), key=_dataset_rank))
                     for a, b in zip(starts, ends, strict=True)],
        "members": ["; ".join(events[a:b]) for a, b in zip(starts, ends, strict=True)],
    }, index=pd.Index(ids, name="incident_id"))
    members["incident_size"] = members["incident_size"].astype(multi["incident_size"].dtype)
    members["incident_note"] = members["incident_note"].astype(note.dtype)
    ordered = links.sort_values(["incident_id", "a", "b"], kind="stable")
    text = (ordered["a"] + " ~ " + ordered["b"] + ": " + ordered["why"].astype(str)).to_numpy(dtype=object)
    link_ids, first, last = _runs(ordered["incident_id"].to_numpy(dtype=object))
    why = pd.DataFrame({"score": np.minimum.reduceat(ordered["score"].to_numpy(dtype="float64"), first),
                        "why": [" | ".join(text[a:b]) for a, b in zip(first, last, strict=True)]},
                       index=pd.Index(link_ids, name="incident_id"))
    return members.join(why, how="left").reset_index()[columns]


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct values of sorted ``keys`` with the start and end of each one's run."""
    if not len(keys):
        empty = np.empty(0, dtype=np.int64)
        return keys[:0], empty, empty
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(keys)]])
    return keys[starts], starts, ends


def _dataset_rank(name: str) -> int:
    return DATASET_ORDER.index(name) if name in DATASET_ORDER else len(DATASET_ORDER)


def relink(frame: pd.DataFrame, report: Path | None = None, tx: Commit | None = None) -> pd.DataFrame:
    """The pipeline's hook: ``frame`` with fresh incident columns; ``report`` gets the multi-source incidents
    (inside the store's commit ``tx`` when given, so the report and the store land together)."""
    out, result = apply(frame)
    if report is not None:
        write_report(incident_table(out, result.links), report, tx)
    return out


def write_report(table: pd.DataFrame, path: Path, tx: Commit | None = None) -> None:
    """Write the incidents CSV atomically next to the store (staged in ``tx`` when given)."""
    from geodata import safecsv
    from geodata.store.parquet import stage_or_write

    stage_or_write(Path(path), lambda tmp: safecsv.write(table, tmp), tx)


def pair_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Multi-source incidents by pair of datasets (an incident of three datasets counts for each of its pairs)."""
    multi = frame.loc[frame["incident_size"].fillna(1) > 1, ["incident_id", "dataset"]].astype(str)
    counts: dict[str, int] = {}
    groups = multi.drop_duplicates().sort_values("dataset").groupby("incident_id")["dataset"]
    combos = groups.agg(lambda s: tuple(sorted(set(s), key=_dataset_rank)))
    for combo, number in combos.value_counts().items():
        for x in range(len(combo)):
            for y in range(x + 1, len(combo)):
                key = f"{combo[x]}+{combo[y]}"
                counts[key] = counts.get(key, 0) + int(number)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_lines(frame: pd.DataFrame) -> list[str]:
    """What ``python -m geodata incidents`` prints: incidents, multi-source incidents, counts by dataset pair."""
    if frame.empty:
        return ["events 0, incidents 0, multi-source incidents 0"]
    ids = frame["incident_id"].astype("string").fillna(frame["event_id"].astype("string"))
    incidents = int(ids.nunique())
    multi = int(ids[frame["incident_size"].fillna(1).to_numpy() > 1].nunique())
    lines = [f"events {len(frame)}, incidents {incidents}, multi-source incidents {multi}"]
    lines += [f"{pair}: {count}" for pair, count in pair_counts(frame).items()]
    return lines

