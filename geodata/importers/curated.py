"""Our hand-checked ``seeds/curated_events.csv`` -> canonical events (dataset "curated").

Every column of its header is required. Choices:
- event_id is kept as written (``curated:7``); dataset is "curated"; notes = summary.
- source = the site name of source_url: its host without ``www.`` or a trailing dot
  (``http://de.wikipedia.org./wiki/...`` -> ``de.wikipedia.org``); source_url is kept whole.
- An empty date_end means the source dates only the start (e.g. a blockade that "began" that day): the
  event is placed on date_start (date_end = date_start) rather than left open-ended, so date filters
  and timelines can place it; the notes say what happened after.
- date_precision must be one of ``schema.DATE_PRECISIONS``; the file's country_iso2 is kept as
  source_country_iso2 (the pipeline derives country_iso2 from the point).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.importers.common import (
    Parsed,
    actor_columns,
    blank_to_na,
    canonical,
    columns_by_key,
    join_problems,
    parse_dates,
    parse_numbers,
    read_text_table,
)
from geodata.schema import DATE_PRECISIONS

COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "actor1",
    "actor2",
    "location",
    "country_iso2",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "source_url",
    "summary",
)


def read_curated(path: Path) -> Parsed:
    """Read the curated events CSV; bad values become NA plus an entry in ``problems``."""
    path = Path(path)
    table = read_text_table(path, required=COLUMNS, kind="curated events", progress=False)
    raw = table.raw
    text = columns_by_key(raw)

    event_id = blank_to_na(text["event_id"])
    start, start_problems = parse_dates(text["date_start"], ("%Y-%m-%d",), "date_start")
    end, end_problems = parse_dates(text["date_end"], ("%Y-%m-%d",), "date_end", required=False)
    precision = blank_to_na(text["date_precision"])
    precision_bad = ~precision.isin(DATE_PRECISIONS).fillna(False)
    numbers = {}
    number_problems = []
    for name, whole in (
        ("latitude", False),
        ("longitude", False),
        ("geo_precision", True),
        ("fatalities", True),
        ("fatalities_low", True),
        ("fatalities_high", True),
    ):
        numbers[name], found = parse_numbers(text[name], name, whole=whole)
        number_problems.append(found)
    actor1, actor2 = blank_to_na(text["actor1"]), blank_to_na(text["actor2"])
    source_url = blank_to_na(text["source_url"])

    problems = join_problems(
        [
            table.problems,
            pd.Series("event_id: is empty", index=raw.index[event_id.isna()], dtype=object),
            start_problems,
            end_problems,
            (
                "date_precision: '"
                + precision[precision_bad].fillna("")
                + "' is not one of "
                + ", ".join(DATE_PRECISIONS)
            ).astype(object),
            *number_problems,
        ]
    )
    events = canonical(
        {
            "event_id": event_id,
            "dataset": "curated",
            "date_start": start,
            "date_end": end.fillna(start),
            "date_precision": precision.where(~precision_bad),
            "event_type": blank_to_na(text["event_type"]),
            **actor_columns(actor1, actor2),
            **numbers,
            "location": blank_to_na(text["location"]),
            "source": site_name(source_url),
            "source_url": source_url,
            "notes": blank_to_na(text["summary"]),
            "source_country_iso2": blank_to_na(text["country_iso2"]).str.upper(),
        },
        raw.index,
    )
    return Parsed(path=path, events=events, raw=raw, problems=problems, n_read=len(raw), notices=table.notices)


def site_name(urls: pd.Series) -> pd.Series:
    """Host of each URL, lower-case, without ``www.`` or the trailing dot; NA when there is no URL."""
    host = urls.astype("string").str.extract(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)", expand=False)
    return host.str.lower().str.rstrip(".").str.replace(r"^www\.", "", regex=True).astype("string")
