"""The event store held in memory once per process in a filter-ready form, and the filter that turns a view into rows.

A view selects *positions*: indices into the date-sorted frame. Dates are found by binary search, categories by
lookup tables on their codes, so no filter copies the frame; only the rows a figure or a table block actually
shows are ever taken out of it.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.model.view import View
from geodata.incidents import representative_order
from geodata.schema import FOCUS, GROUPS, cast_columns
from geodata.store import open_store
from geodata.store.base import is_url

# Low-cardinality text kept as categoricals: small in memory, filtered and grouped by their codes.
CATEGORY_COLUMNS = ("dataset", "country_iso2", "admin1", "group1", "group2", "event_type", "date_precision")
DATE_END = "_date_end"  # date_end, or date_start when date_end is unknown; exports drop it
SEARCH_SOURCES = ("location", "notes", "actor1", "actor2")
# One page interaction asks for the same view from several callbacks (map, counter, table blocks) and for its
# variants without dates (timeline) or regions (region table): the last few selections are kept.
ROWS_CACHE_SIZE = 12
BUILD_HINT = "run `python -m geodata build` (or `make store`) to build it"
MS_PER_DAY = 86_400_000
TEXT_TYPES = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


@dataclass(frozen=True)
class Columns:
    """One numpy array per filtered or grouped field, all in the frame's (date) order.

    Dates are int64 milliseconds; categories are int codes (-1 = missing) with their labels in ``labels``;
    ``region`` codes index ``regions`` (country_iso2, admin1; admin1 may be missing) so per-region sums are
    one ``bincount``.
    """

    start: np.ndarray
    end: np.ndarray
    month: np.ndarray  # months since January 1970 of date_start
    lon: np.ndarray
    lat: np.ndarray
    fatalities: np.ndarray  # float64, NaN when unknown
    precision: np.ndarray  # int8, 0 when unknown
    codes: dict[str, np.ndarray]
    labels: dict[str, pd.Index]
    region: np.ndarray
    regions: pd.DataFrame

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Columns:
        """Arrays of a prepared frame (categoricals already in place)."""
        start = frame["date_start"].to_numpy(dtype="datetime64[ms]").view("int64")
        end = frame[DATE_END].to_numpy(dtype="datetime64[ms]").view("int64")
        month = frame["date_start"].to_numpy(dtype="datetime64[M]").astype("int64").astype("int32")
        codes = {name: frame[name].cat.codes.to_numpy() for name in CATEGORY_COLUMNS}
        labels = {name: frame[name].cat.categories for name in CATEGORY_COLUMNS}
        n_admin1 = len(labels["admin1"]) + 1
        pair = codes["country_iso2"].astype("int64") * n_admin1 + codes["admin1"] + 1
        region, uniques = pd.factorize(pair, sort=True)
        country_code, admin1_code = np.divmod(uniques.astype("int64"), n_admin1)
        regions = pd.DataFrame({
            "country_iso2": _decode(labels["country_iso2"], country_code),
            "admin1": _decode(labels["admin1"], admin1_code - 1),
        })
        return cls(
            start=start,
            end=end,
            month=month,
            lon=frame["longitude"].to_numpy(dtype="float64"),
            lat=frame["latitude"].to_numpy(dtype="float64"),
            fatalities=frame["fatalities"].to_numpy(dtype="float64", na_value=np.nan),
            precision=frame["geo_precision"].fillna(0).to_numpy(dtype="int8"),
            codes=codes,
            labels=labels,
            region=region.astype("int32"),
            regions=regions,
        )

    def lookup(self, name: str, values: tuple[str, ...]) -> np.ndarray:
        """A boolean table indexed by code (with a last False slot for -1): True for the chosen labels."""
        table = np.zeros(len(self.labels[name]) + 1, dtype=bool)
        found = self.labels[name].get_indexer(list(values))
        table[found[found >= 0]] = True
        return table

    def lookup_folded(self, name: str, values: tuple[str, ...]) -> np.ndarray:
        """:meth:`lookup` comparing names without case or accents (labels are few: folded on each call)."""
        table = np.zeros(len(self.labels[name]) + 1, dtype=bool)
        labels = _fold(pa.array(self.labels[name].astype(str), type=pa.large_string())).to_pylist()
        wanted = {search_key(v) for v in values}
        table[:-1] = [label in wanted for label in labels]
        return table


@dataclass(frozen=True)
class IncidentIndex:
    """Which rows report one incident, worked out once per store so that counting incidents once is a selection on
    row positions, never a group-by per request.

    ``code`` numbers the incidents with several reports (-1 for an event alone), ``rank`` orders each incident's
    reports by the representative rule of :mod:`geodata.incidents` (0 = the representative), ``low``/``high``
    are the smallest and largest best fatality figure among the incident's reports (NaN for events alone).
    """

    code: np.ndarray
    rank: np.ndarray
    low: np.ndarray
    high: np.ndarray
    # Per row: how many reports its incident has (1 alone), which datasets report it ("acled, curated"; codes into
    # ``dataset_labels``), and whether those reports disagree on the toll or the perpetrator (actor1's family).
    size: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    datasets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    dataset_labels: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    disagree: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> IncidentIndex:
        n = len(frame)
        code = np.full(n, -1, dtype=np.int32)
        rank = np.zeros(n, dtype=np.int32)
        low = np.full(n, np.nan)
        high = np.full(n, np.nan)
        size = np.ones(n, dtype=np.int32)
        disagree = np.zeros(n, dtype=bool)
        dataset_text = frame["dataset"].astype("string").fillna("?") if n else pd.Series([], dtype="string")
        size = frame["incident_size"].fillna(1).to_numpy(dtype="int64") if n else np.zeros(0, dtype="int64")
        multi = np.flatnonzero(size > 1)
        if len(multi):
            sub = frame.iloc[multi]
            codes = pd.factorize(sub["incident_id"].astype("string").fillna(sub["event_id"].astype("string")))[0]
            order = np.lexsort([*representative_order(sub), codes])
            sorted_codes = codes[order]
            starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
            lengths = np.diff(np.r_[starts, len(order)])
            rank[multi[order]] = np.arange(len(order)) - np.repeat(starts, lengths)
            code[multi] = codes
            best = sub["fatalities"].to_numpy(dtype="float64", na_value=np.nan)
            smallest = np.full(int(codes.max()) + 1, np.inf)
            largest = np.full(int(codes.max()) + 1, -np.inf)
            np.fmin.at(smallest, codes, best)
            np.fmax.at(largest, codes, best)
            low[multi] = np.where(np.isinf(smallest), np.nan, smallest)[codes]
            high[multi] = np.where(np.isinf(largest), np.nan, largest)[codes]
            size[multi] = np.bincount(codes)[codes]
            # Perpetrator: the distinct known actor1 families of an incident's reports.
            family = pd.DataFrame({"code": codes, "family": sub["group1"].astype("string").to_numpy()}).dropna()
            families = np.bincount(family.drop_duplicates()["code"].to_numpy(dtype="int64"),
                                   minlength=int(codes.max()) + 1)
            disagree[multi] = (high[multi] > low[multi]) | (families[codes] > 1)
            reported = pd.DataFrame({"code": codes, "dataset": dataset_text.iloc[multi].to_numpy()})
            joined = (reported.drop_duplicates().sort_values(["code", "dataset"])
                      .groupby("code")["dataset"].agg(", ".join))
            dataset_text = dataset_text.copy()
            dataset_text.iloc[multi] = joined.reindex(np.arange(int(codes.max()) + 1)).to_numpy()[codes]
        datasets, labels = pd.factorize(dataset_text)
        return cls(code=code, rank=rank, low=low, high=high, size=size, datasets=datasets.astype(np.int32),
                   dataset_labels=pd.Index(labels), disagree=disagree)

    def reports_text(self, rows: np.ndarray) -> np.ndarray:
        """'2: acled, curated' per row: how many reports its incident has and from which datasets."""
        names = np.asarray(self.dataset_labels, dtype=object)[self.datasets[rows]]
        return np.char.add(np.char.add(self.size[rows].astype(str), ": "), names.astype(str)).astype(object)

    def representatives(self, rows: np.ndarray) -> np.ndarray:
        """``rows`` (ascending positions) keeping one report per incident: its representative when it is among
        ``rows``, else the best-ranked of its reports that are, so a filter that hides an incident's representative
        still counts the incident once. Order is kept; only incidents missing their representative are sorted."""
        codes = self.code[rows]
        linked = codes >= 0
        if not linked.any():
            return rows
        keep = ~linked
        sub_codes = codes[linked]
        is_rep = self.rank[rows[linked]] == 0
        present = np.zeros(int(self.code.max()) + 1, dtype=bool)
        present[sub_codes[is_rep]] = True
        chosen = is_rep.copy()
        orphans = np.flatnonzero(~present[sub_codes])
        if len(orphans):
            order = orphans[np.lexsort((self.rank[rows[linked][orphans]], sub_codes[orphans]))]
            ordered_codes = sub_codes[order]
            chosen[order[np.r_[True, ordered_codes[1:] != ordered_codes[:-1]]]] = True
        keep[linked] = chosen
        return rows[keep]


@dataclass(frozen=True, eq=False)
class EventData:
    """The store as one date-sorted DataFrame (no geometry; latitude/longitude kept) plus its filter arrays."""

    frame: pd.DataFrame
    columns: Columns
    path: Path | None = None
    # The longest event span, so the window's lower bound can be found by binary search on date_start too.
    max_span_ms: int = 0
    incidents: IncidentIndex | None = None
    # Each dataset's first start and last end per country (see :func:`dataset_coverage`), worked out on loading.
    coverage: pd.DataFrame | None = None
    _recent: OrderedDict[View, np.ndarray] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _per_event: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def per_event(self, name: str, build: Callable[[pd.DataFrame], np.ndarray]) -> np.ndarray:
        """``build(frame)``, one value per event, worked out once per store and kept under ``name``: what every
        map update would otherwise recompute for its rows (the hover text of each event)."""
        values = self._per_event.get(name)
        if values is None:
            values = build(self.frame)
            with self._lock:
                self._per_event[name] = values
        return values

    @classmethod
    def load(cls, path: Path | str) -> EventData:
        """Read the GeoParquet store at ``path`` (geometry column skipped, categories read as dictionaries), or
        the events of a PostGIS store when ``path`` is a ``postgresql://`` URL."""
        if is_url(path):
            return cls.from_frame(open_store(path).read())
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"No event store at {path}: {BUILD_HINT}.")
        try:
            names = pq.read_schema(path).names
            # ParquetFile.read keeps one chunk per row group (read_table splits into 128k-row batches), and taking
            # a table block or a hover's rows from one chunk is ten times faster.
            parquet = pq.ParquetFile(path, read_dictionary=[n for n in CATEGORY_COLUMNS if n in names])
            table = parquet.read(columns=[n for n in names if n != "geometry"])
            # Text straight into the schema's "string" dtype, so casting to the schema copies nothing.
            frame = table.to_pandas(types_mapper=TEXT_TYPES.get)
        except Exception as error:  # pyarrow raises several types for a file that is not Parquet
            raise ValueError(f"{path} is not a readable event store ({error}); {BUILD_HINT} again.") from error
        return cls.from_frame(frame, path=path)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, path: Path | None = None) -> EventData:
        """Prepare any canonical-looking frame (a GeoDataFrame from ``conform`` is fine)."""
        frame = _prepare(frame)
        columns = Columns.from_frame(frame)
        span = int((columns.end - columns.start).max()) if len(frame) else 0
        return cls(frame=frame, columns=columns, path=path, max_span_ms=max(span, 0),
                   incidents=IncidentIndex.from_frame(frame), coverage=dataset_coverage(columns))

    def __len__(self) -> int:
        return len(self.frame)

    # -- filtering ---------------------------------------------------------------------------------------

    def rows(self, view: View) -> np.ndarray:
        """Positions (ascending, so still in date order) of the events in ``view``. Read-only: may be shared."""
        key = view.filters_only()
        rows = self._recent.get(key)
        if rows is None:
            rows = self._select(key)
            rows.flags.writeable = False
            with self._lock:  # the server answers callbacks from several threads
                self._recent[key] = rows
                while len(self._recent) > ROWS_CACHE_SIZE:
                    self._recent.popitem(last=False)
        return rows

    def filter(self, view: View) -> pd.DataFrame:
        """The rows of ``view`` as a DataFrame (a copy of just those rows), still date-sorted."""
        return self.take(self.rows(view))

    def take(self, rows: np.ndarray, columns: list[str] | None = None) -> pd.DataFrame:
        """The events at ``rows`` (positions from :meth:`rows`), optionally only some columns."""
        frame = self.frame if columns is None else self.frame[columns]
        if len(rows) == len(frame) and (len(rows) < 2 or bool(np.all(rows[1:] > rows[:-1]))):
            return frame  # every row, in order: no copy
        return frame.take(rows)

    def _select(self, view: View) -> np.ndarray:
        c = self.columns
        lo, hi = 0, len(self.frame)
        # date_start is sorted: events starting after `end` are cut off, and so are events that start so long
        # before `start` that even the longest span cannot reach it.
        if view.end is not None:
            hi = int(np.searchsorted(c.start, _ms(view.end), side="right"))
        if view.start is not None:
            lo = min(int(np.searchsorted(c.start, _ms(view.start) - self.max_span_ms, side="left")), hi)
        window = slice(lo, hi)
        mask = np.ones(hi - lo, dtype=bool)
        if view.start is not None:
            mask &= c.end[window] >= _ms(view.start)
        for name, column in (("country", "country_iso2"), ("event_type", "event_type"), ("dataset", "dataset")):
            values = getattr(view, name)
            if values:
                mask &= c.lookup(column, values)[c.codes[column][window]]
        if view.admin1:  # region names match without case or accents: "menaka" is Ménaka
            mask &= c.lookup_folded("admin1", view.admin1)[c.codes["admin1"][window]]
        if view.group:
            g1, g2 = c.lookup("group1", view.group), c.lookup("group2", view.group)
            mask &= g1[c.codes["group1"][window]] | g2[c.codes["group2"][window]]
        if view.dyad is not None:
            a, b = view.dyad
            first, second = c.codes["group1"][window], c.codes["group2"][window]
            a1, b1 = c.lookup("group1", (a,))[first], c.lookup("group1", (b,))[first]
            a2, b2 = c.lookup("group2", (a,))[second], c.lookup("group2", (b,))[second]
            mask &= (a1 & b2) | (b1 & a2)
        if view.disagree and self.incidents is not None:
            mask &= self.incidents.disagree[window]
        if view.precision:
            wanted = np.zeros(256, dtype=bool)
            wanted[[p for p in view.precision if 0 < p < 256]] = True
            mask &= wanted[c.precision[window].astype("uint8")]
        if view.min_fatalities is not None:
            with np.errstate(invalid="ignore"):
                mask &= c.fatalities[window] >= view.min_fatalities
        if view.bbox is not None:
            minlon, minlat, maxlon, maxlat = view.bbox
            lon, lat = c.lon[window], c.lat[window]
            mask &= (lon >= minlon) & (lon <= maxlon) & (lat >= minlat) & (lat <= maxlat)
        if view.q:
            needle = search_key(view.q)
            if needle:
                mask &= self._text_matches(needle, lo, hi)
        rows = np.flatnonzero(mask) + lo
        if view.dedupe == "incident" and self.incidents is not None:
            rows = self.incidents.representatives(rows)
        return rows

    def canonical(self, view: View) -> View:
        """``view`` with its region names spelled as the data spells them ("menaka" -> "Ménaka"), so the region
        control shows the name it offers; names the data lacks stay as given."""
        if not view.admin1:
            return view
        labels = [str(label) for label in self.columns.labels["admin1"]]
        spelled = dict(zip(_fold(pa.array(labels, type=pa.large_string())).to_pylist(), labels, strict=True))
        return view.with_(admin1=tuple(spelled.get(search_key(name), name) for name in view.admin1))

    def prepare_search(self) -> None:
        """Build the free-text index now (the app does it in the background after loading)."""
        _ = self._search

    def _text_matches(self, needle: str, lo: int, hi: int) -> np.ndarray:
        """Rows lo..hi whose place, notes or actors contain ``needle`` (already folded)."""
        found = np.zeros(hi - lo, dtype=bool)
        for codes, texts in self._search.values():
            hits = np.append(pc.match_substring(texts, needle).to_numpy(zero_copy_only=False), False)
            found |= hits[codes[lo:hi]]  # code -1 (no text) reads the appended False
        return found

    @cached_property
    def _search(self) -> dict[str, tuple[np.ndarray, pa.Array]]:
        """Per searched column: each row's code and the folded distinct texts. Places and actors repeat a lot,
        so matching their few distinct values is nearly free; only distinct notes are scanned."""
        index = {}
        for name in SEARCH_SOURCES:
            encoded = pc.dictionary_encode(pa.array(self.frame[name], type=pa.large_string()))
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int32")
            index[name] = (codes, _fold(encoded.dictionary))
        return index

    # -- what the controls offer -------------------------------------------------------------------------

    @cached_property
    def _months(self) -> list[datetime.date]:
        if not len(self.frame):
            return []
        first = self.frame["date_start"].iloc[0].to_period("M")
        last = pd.Timestamp(int(self.columns.end.max()), unit="ms").to_period("M")
        return [p.to_timestamp().date() for p in pd.period_range(first, last, freq="M")]

    def months(self) -> list[datetime.date]:
        """First day of every month from the earliest event start to the latest event end."""
        return list(self._months)

    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        """Earliest start and latest end of the data, or None when it is empty."""
        if not len(self.frame):
            return None
        return (pd.Timestamp(int(self.columns.start[0]), unit="ms").date(),
                pd.Timestamp(int(self.columns.end.max()), unit="ms").date())

    @cached_property
    def _options(self) -> dict[str, Any]:
        c = self.columns
        present = {name: _used_labels(c, name) for name in CATEGORY_COLUMNS}
        regions = c.regions.dropna()
        by_country = {str(country): sorted(str(a) for a in group["admin1"])
                      for country, group in regions.groupby("country_iso2")}
        groups = set(present["group1"]) | set(present["group2"])
        precisions = np.flatnonzero(np.bincount(c.precision.astype("uint8"), minlength=1))
        return {
            "country": sorted(present["country_iso2"]),
            "admin1": sorted(present["admin1"]),
            "admin1_by_country": dict(sorted(by_country.items())),
            "group": [g for g in GROUPS if g in groups] + sorted(groups - set(GROUPS)),
            "vs": [g for g in GROUPS if g in groups] + sorted(groups - set(GROUPS)),
            "event_type": sorted(present["event_type"]),
            "dataset": sorted(present["dataset"]),
            "precision": [int(p) for p in precisions if p > 0],
        }

    def options(self) -> dict[str, Any]:
        """Distinct values for each filter control.

        Keys: country, admin1, admin1_by_country ({iso2: [names]}), group (in the canonical family order),
        event_type, dataset, precision (ints).
        """
        return {key: (dict(value) if isinstance(value, dict) else list(value)) for key, value in self._options.items()}


def dataset_coverage(columns: Columns) -> pd.DataFrame:
    """dataset, country_iso2, first, last (dates): the span each dataset has events for in each country, from the
    filter arrays (no file read). Events without a country count under country_iso2 NA."""
    table = pd.DataFrame({"dataset": columns.codes["dataset"], "country": columns.codes["country_iso2"],
                          "start": columns.start, "end": columns.end})
    spans = table.groupby(["dataset", "country"], sort=True).agg(first=("start", "min"), last=("end", "max"))
    spans = spans.reset_index()
    return pd.DataFrame({
        "dataset": _decode(columns.labels["dataset"], spans["dataset"].to_numpy()),
        "country_iso2": _decode(columns.labels["country_iso2"], spans["country"].to_numpy()),
        "first": pd.to_datetime(spans["first"].to_numpy(), unit="ms").date,
        "last": pd.to_datetime(spans["last"].to_numpy(), unit="ms").date,
    })


# The datasets as the page names them (the store's short names are its own: "seed" says nothing to a reader).
DATASET_NAMES: dict[str, str] = {"acled": "ACLED", "ucdp": "UCDP GED", "curated": "Curated (Wikipedia)",
                                 "text": "Read from texts", "seed": "Bundled sample", "upload": "Uploaded file",
                                 "synthetic": "Synthetic"}
# Datasets that record every event they find in a country (not picked events like seed, curated or text): only
# for these does "no events for BF" mean the country is not covered.
SYSTEMATIC = ("acled", "ucdp", "synthetic")


def coverage_gaps(data: EventData, view: View) -> list[dict[str, Any]]:
    """Per dataset the view can show (its dataset and country filters): where its coverage starts or ends inside
    the window (the view's dates, else the data's), and which chosen countries it has no event for.

    Each item: dataset, name, first, last (dates), starts_inside, ends_inside (bools), missing (country codes).
    """
    bounds = data.date_range()
    if bounds is None or data.coverage is None or data.coverage.empty:
        return []
    start, end = view.start or bounds[0], view.end or bounds[1]
    spans = data.coverage
    if view.country:
        spans = spans[spans["country_iso2"].isin(view.country)]
    if view.dataset:
        spans = spans[spans["dataset"].isin(view.dataset)]
    present = set(data.coverage["country_iso2"].dropna()) & set(FOCUS)
    chosen = set(view.country) & present if view.country else present
    gaps = []
    # Systematic datasets first: where they stop matters most to a count; picked ones after.
    order = sorted(spans["dataset"].dropna().unique(), key=lambda d: (d not in SYSTEMATIC, str(d)))
    for dataset in order:
        group = spans[spans["dataset"] == dataset]
        first, last = min(group["first"]), max(group["last"])
        missing = sorted(chosen - set(group["country_iso2"].dropna())) if dataset in SYSTEMATIC else []
        gap = {"dataset": str(dataset), "name": DATASET_NAMES.get(str(dataset), str(dataset)), "first": first,
               "last": last, "starts_inside": start < first <= end, "ends_inside": start <= last < end,
               "missing": missing}
        if gap["starts_inside"] or gap["ends_inside"] or missing:
            gaps.append(gap)
    return gaps


def uncovered_spans(data: EventData, view: View) -> list[tuple[str, datetime.date, datetime.date]]:
    """(dataset name, first day, last day) of every stretch of the data's range that a systematic dataset the view
    can show (its dataset and country filters) has no events for: before its first and after its last event. The
    timeline shades these so a drop where a source stops is not read as less violence."""
    bounds = data.date_range()
    if bounds is None or data.coverage is None:
        return []
    spans = data.coverage[data.coverage["dataset"].isin(SYSTEMATIC)]
    if view.country:
        spans = spans[spans["country_iso2"].isin(view.country)]
    if view.dataset:
        spans = spans[spans["dataset"].isin(view.dataset)]
    out = []
    for dataset, group in spans.groupby("dataset", sort=True):
        name = DATASET_NAMES.get(str(dataset), str(dataset))
        first, last = min(group["first"]), max(group["last"])
        if first > bounds[0]:
            out.append((name, bounds[0], first - datetime.timedelta(days=1)))
        if last < bounds[1]:
            out.append((name, last + datetime.timedelta(days=1), bounds[1]))
    return out


def coverage_text(gaps: list[dict[str, Any]]) -> str:
    """'Coverage: ACLED ends 2020-08-01; UCDP GED starts 2016-01-05, has no events for ML, NE.' or '' (the page
    says why it matters in the note's tooltip: fewer events where a dataset stops are missing reports)."""
    parts = []
    for gap in gaps:
        said = []
        if gap["starts_inside"] and gap["ends_inside"] and gap["first"] == gap["last"]:
            said.append(f"starts and ends {gap['first'].isoformat()}")
        else:
            if gap["starts_inside"]:
                said.append(f"starts {gap['first'].isoformat()}")
            if gap["ends_inside"]:
                said.append(f"ends {gap['last'].isoformat()}")
        if gap["missing"]:
            said.append(f"has no events for {', '.join(gap['missing'])}")
        parts.append(f"{gap['name']} {', '.join(said)}")
    if not parts:
        return ""
    return "Coverage: " + "; ".join(parts) + "."


def summary(data: EventData, rows: np.ndarray) -> dict[str, int]:
    """Event count, sum of known fatalities and how many events have unknown fatalities."""
    fatalities = data.columns.fatalities[rows]
    unknown = np.isnan(fatalities)
    return {
        "events": len(rows),
        "fatalities": int(fatalities[~unknown].sum()),
        "unknown_fatalities": int(unknown.sum()),
    }


def summary_text(counts: dict[str, int]) -> str:
    """'N events, M fatalities (U with unknown fatalities)' with thousands separators."""
    events = counts["events"]
    return (
        f"{events:,} event{'' if events == 1 else 's'}, {counts['fatalities']:,} fatalities "
        f"({counts['unknown_fatalities']:,} with unknown fatalities)"
    )


def search_key(text: str) -> str:
    """How search text is compared: lower case, accents removed ('Ménaka' finds 'menaka')."""
    return _fold(pa.array([text], type=pa.large_string()))[0].as_py()


def _fold(text: pa.Array) -> pa.Array:
    """Lower case without accents. Arrow lowers everything; only non-ASCII strings go through Python's NFKD."""
    lower = pc.utf8_lower(text)
    non_ascii = np.flatnonzero(~pc.string_is_ascii(lower).to_numpy(zero_copy_only=False))
    if not len(non_ascii):
        return lower
    folded = pd.Series(lower.take(pa.array(non_ascii)).to_pylist(), dtype="string")
    folded = folded.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    values = lower.to_numpy(zero_copy_only=False).astype(object)
    values[non_ascii] = folded.to_numpy(dtype=object)
    return pa.array(values, type=pa.large_string())


def _ms(day: datetime.date) -> int:
    return (day - datetime.date(1970, 1, 1)).days * MS_PER_DAY


def _decode(labels: pd.Index, codes: np.ndarray) -> pd.Series:
    """Category labels for codes, NA for -1."""
    return pd.Series(pd.Categorical.from_codes(codes, categories=labels)).astype("string")


def _used_labels(columns: Columns, name: str) -> list[str]:
    counts = np.bincount(columns.codes[name] + 1, minlength=len(columns.labels[name]) + 1)[1:]
    return [str(label) for label in columns.labels[name][counts > 0]]


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns in canonical dtypes (no geometry), categoricals, the end-date helper, sorted by start."""
    frame = pd.DataFrame(frame).reset_index(drop=True)
    # Categories read as dictionaries stay categorical; casting them to text and back would cost seconds at 1M.
    ready = [n for n in CATEGORY_COLUMNS if n in frame and isinstance(frame[n].dtype, pd.CategoricalDtype)]
    out = cast_columns(frame, keep=ready)
    for name in CATEGORY_COLUMNS:
        if not isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].astype("category")
        used = np.bincount(out[name].cat.codes.to_numpy() + 1, minlength=len(out[name].cat.categories) + 1)[1:]
        if not used.all():  # the filter options list only values some event has
            out[name] = out[name].cat.remove_unused_categories()
    out[DATE_END] = out["date_end"].fillna(out["date_start"])
    if not out["date_start"].is_monotonic_increasing or out["date_start"].hasnans:
        # Stores written by the pipeline are already in this order; anything else is sorted once here.
        out = out.sort_values(["date_start", "event_id"], kind="stable", na_position="last").reset_index(drop=True)
    return out


REPORT_FIELDS = ("event_id", "dataset", "source", "source_url", "date_start", "date_end", "location", "fatalities",
                 "fatalities_low", "fatalities_high", "geo_precision", "incident_score")


def event_position(frame: pd.DataFrame, event_id: str) -> int | None:
    """Where the event ``event_id`` is in ``frame`` (its first row), or None: the one lookup of an event by id."""
    found = np.flatnonzero((frame["event_id"] == event_id).fillna(False).to_numpy(dtype=bool))
    return int(found[0]) if len(found) else None


def incident_reports(data: EventData, event_id: str) -> list[dict[str, Any]]:
    """Every report of the incident that ``event_id`` belongs to, representative first, for the event card: its
    dataset, source and figures (``representative`` marks the one counted when incidents are counted once).

    An event alone gives a list of itself; an unknown id gives an empty list.
    """
    row = event_position(data.frame, event_id)
    if row is None:
        return []
    index = data.incidents
    if index is None or index.code[row] < 0:
        rows = np.array([row])
    else:
        rows = np.flatnonzero(index.code == index.code[row])
        rows = rows[np.argsort(index.rank[rows], kind="stable")]
    table = data.frame.iloc[rows][list(REPORT_FIELDS)]
    reports = []
    for position, record in enumerate(table.astype(object).where(table.notna(), None).to_dict("records")):
        for name in ("date_start", "date_end"):
            if record[name] is not None:
                record[name] = pd.Timestamp(record[name]).date().isoformat()
        for name in ("fatalities", "fatalities_low", "fatalities_high", "geo_precision"):
            if record[name] is not None:
                record[name] = int(record[name])
        if record["incident_score"] is not None:
            record["incident_score"] = float(record["incident_score"])
        record = {key: (str(value) if isinstance(value, str) else value) for key, value in record.items()}
        record["representative"] = position == 0
        reports.append(record)
    return reports
