"""The event store held in memory once per process, and the vectorised filter that turns a view into rows."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from dashboard.view import View
from geodata.schema import GROUPS, cast_columns

# Low-cardinality text kept as categoricals: small in memory, fast to match with isin.
CATEGORY_COLUMNS = ("dataset", "country_iso2", "admin1", "group1", "group2", "event_type", "date_precision")
# Helper columns added next to the canonical ones; exports drop them.
DATE_END = "_date_end"  # date_end, or date_start when date_end is unknown
SEARCH = "_search"  # lower-cased, accent-free place + notes + actors for the free-text filter
SEARCH_SOURCES = ("location", "notes", "actor1", "actor2")
# One page interaction asks for the same view from several callbacks (map, counter, table blocks):
# the last few results are kept so each view is filtered once.
FILTER_CACHE_SIZE = 4
BUILD_HINT = "run `python -m geodata build` (or `make store`) to build it"


@dataclass(frozen=True, eq=False)
class EventData:
    """The store as one date-sorted DataFrame (no geometry; latitude/longitude kept) plus what the filters need."""

    frame: pd.DataFrame
    path: Path | None = None
    # The longest event span, so the window lower bound can be found with searchsorted on date_start too.
    max_span: pd.Timedelta = pd.Timedelta(0)
    _recent: OrderedDict[View, pd.DataFrame] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, path: Path | str) -> EventData:
        """Read the GeoParquet store at ``path`` (geometry column skipped)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"No event store at {path}: {BUILD_HINT}.")
        try:
            names = pq.read_schema(path).names
            frame = pd.read_parquet(path, columns=[n for n in names if n != "geometry"])
        except Exception as error:  # pyarrow raises several types for a file that is not Parquet
            raise ValueError(f"{path} is not a readable event store ({error}); {BUILD_HINT} again.") from error
        return cls.from_frame(frame, path=path)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, path: Path | None = None) -> EventData:
        """Prepare any canonical-looking frame (a GeoDataFrame from ``conform`` is fine)."""
        frame = _prepare(frame)
        span = (frame[DATE_END] - frame["date_start"]).max() if len(frame) else pd.NaT
        return cls(frame=frame, path=path, max_span=pd.Timedelta(0) if pd.isna(span) else span)

    def __len__(self) -> int:
        return len(self.frame)

    # -- filtering ---------------------------------------------------------------------------------------

    def filter(self, view: View) -> pd.DataFrame:
        """The rows of ``view``, still date-sorted. Treat the result as read-only: it may be shared."""
        rows = self._recent.get(view)
        if rows is None:
            rows = self._select(view)
            with self._lock:  # the server answers callbacks from several threads
                self._recent[view] = rows
                while len(self._recent) > FILTER_CACHE_SIZE:
                    self._recent.popitem(last=False)
        return rows

    def _select(self, view: View) -> pd.DataFrame:
        frame = self.frame
        lo, hi = 0, len(frame)
        starts = frame["date_start"]
        # date_start is sorted: events starting after `end` are cut off, and so are events that start so long
        # before `start` that even the longest span cannot reach it.
        if view.end is not None:
            hi = int(starts.searchsorted(pd.Timestamp(view.end), side="right"))
        if view.start is not None:
            lo = int(starts.searchsorted(pd.Timestamp(view.start) - self.max_span, side="left"))
        frame = frame.iloc[lo:hi] if (lo, hi) != (0, len(self.frame)) else frame
        mask = np.ones(len(frame), dtype=bool)
        if view.start is not None:
            mask &= (frame[DATE_END] >= pd.Timestamp(view.start)).to_numpy()
        for name, column in (("country", "country_iso2"), ("admin1", "admin1"), ("event_type", "event_type"),
                             ("dataset", "dataset")):
            values = getattr(view, name)
            if values:
                mask &= frame[column].isin(values).to_numpy()
        if view.group:
            mask &= (frame["group1"].isin(view.group) | frame["group2"].isin(view.group)).to_numpy()
        if view.precision:
            mask &= frame["geo_precision"].isin(view.precision).fillna(False).to_numpy(dtype=bool)
        if view.min_fatalities is not None:
            mask &= (frame["fatalities"] >= view.min_fatalities).fillna(False).to_numpy(dtype=bool)
        if view.bbox is not None:
            minlon, minlat, maxlon, maxlat = view.bbox
            lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
            mask &= (lon >= minlon) & (lon <= maxlon) & (lat >= minlat) & (lat <= maxlat)
        if view.q:
            needle = search_key(view.q)
            if needle:
                mask &= frame[SEARCH].str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)
        return frame if mask.all() else frame[mask]

    # -- what the controls offer -------------------------------------------------------------------------

    def months(self) -> list[datetime.date]:
        """First day of every month from the earliest event start to the latest event end."""
        if not len(self.frame):
            return []
        first = self.frame["date_start"].min().to_period("M")
        last = self.frame[DATE_END].max().to_period("M")
        return [p.to_timestamp().date() for p in pd.period_range(first, last, freq="M")]

    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        """Earliest start and latest end of the data, or None when it is empty."""
        if not len(self.frame):
            return None
        return self.frame["date_start"].min().date(), self.frame[DATE_END].max().date()

    def options(self) -> dict[str, Any]:
        """Distinct values for each filter control.

        Keys: country, admin1, admin1_by_country ({iso2: [names]}), group (in the canonical family order),
        event_type, dataset, precision (ints).
        """
        frame = self.frame
        pairs = frame[["country_iso2", "admin1"]].dropna().drop_duplicates()
        by_country = {
            str(country): sorted(str(a) for a in names)
            for country, names in pairs.groupby("country_iso2", observed=True)["admin1"]
        }
        groups = set(_present(frame["group1"])) | set(_present(frame["group2"]))
        return {
            "country": sorted(_present(frame["country_iso2"])),
            "admin1": sorted(_present(frame["admin1"])),
            "admin1_by_country": dict(sorted(by_country.items())),
            "group": [g for g in GROUPS if g in groups] + sorted(groups - set(GROUPS)),
            "event_type": sorted(_present(frame["event_type"])),
            "dataset": sorted(_present(frame["dataset"])),
            "precision": sorted(int(p) for p in frame["geo_precision"].dropna().unique()),
        }


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Event count, sum of known fatalities and how many events have unknown fatalities."""
    fatalities = frame["fatalities"]
    return {
        "events": len(frame),
        "fatalities": int(fatalities.sum(skipna=True)) if len(frame) else 0,
        "unknown_fatalities": int(fatalities.isna().sum()),
    }


def summary_text(frame_or_summary: pd.DataFrame | dict[str, int]) -> str:
    """'N events, M fatalities (U with unknown fatalities)' with thousands separators."""
    counts = frame_or_summary if isinstance(frame_or_summary, dict) else summary(frame_or_summary)
    events = counts["events"]
    return (
        f"{events:,} event{'' if events == 1 else 's'}, {counts['fatalities']:,} fatalities "
        f"({counts['unknown_fatalities']:,} with unknown fatalities)"
    )


def search_key(text: str) -> str:
    """How search text is compared: lower case, accents removed ('Ménaka' finds 'menaka')."""
    return _fold(pd.Series([text], dtype="string")).iloc[0]


def _fold(values: pd.Series) -> pd.Series:
    ascii_only = values.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return ascii_only.str.lower().astype("string")


def _present(values: pd.Series) -> list[str]:
    return [str(v) for v in values.dropna().unique()]


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns in canonical dtypes (no geometry), categoricals, helpers, sorted by start date."""
    out = cast_columns(pd.DataFrame(frame).reset_index(drop=True))
    for name in CATEGORY_COLUMNS:
        out[name] = out[name].astype("category")
    out[DATE_END] = out["date_end"].fillna(out["date_start"])
    text = out[list(SEARCH_SOURCES)].fillna("")
    out[SEARCH] = _fold(text["location"] + "\n" + text["notes"] + "\n" + text["actor1"] + "\n" + text["actor2"])
    out = out.sort_values(["date_start", "event_id"], kind="stable", na_position="last")
    return out.reset_index(drop=True)

