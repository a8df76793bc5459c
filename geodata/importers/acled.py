"""ACLED CSV exports (current and pre-2023 layouts) -> canonical events.

Required columns (anything else may be absent and is then NA, with a notice): event_id_cnty, event_date,
time_precision, event_type, actor1, country, admin1, location, latitude, longitude, geo_precision,
fatalities. The two precision codes are required because without them a month-wide date or a
region-wide point would be shown as exact.

Choices:
- event_date may be ``2022-11-03``, ``03 November 2022`` or ``03-Nov-22`` (formats tried in turn), or numeric
  day-first / month-first (``15-05-2024``) when the file proves which (:mod:`geodata.importers.numeric_dates`:
  a number above 12 in one position across the file, or its ``day``/``month`` columns); a row whose numeric date
  stays ambiguous, or any date in another year than the file's ``year`` column, is quarantined with its reason.
- time_precision 1 -> day (start = end = event_date); 2 -> week: ACLED puts the date in the middle of
  the reported week, so the range is event_date +- 3 days; 3 -> month: the whole calendar month that
  contains event_date.
- geo_precision 1/2/3 carries over (ACLED's 3, "region", is our 3 "admin-1 region").
- fatalities: ACLED's one conservative figure; blank -> NA (never 0). fatalities_low/high stay NA:
  ACLED reports no range.
- inter1/inter2 are kept as extra text columns; old numeric codes (1..8) become ACLED's current words,
  0 (no second actor) becomes NA.
- actor families come from :mod:`geodata.actors`; for ``X and/or Y`` the group is X's and the extra
  columns group1_alt/group2_alt hold Y's.
- country_iso2 and admin1 are left for the pipeline's boundary join; the file's values are kept in
  source_country, source_country_iso2 (from the numeric ``iso``, else the ``country`` name), source_admin1 and
  source_admin2.
- event types of the pre-2019 taxonomy ("Battle-No change of territory", "Remote violence", "Riots/Protests",
  "Strategic development", ...) are mapped to the current ones (:func:`current_event_types`); the file's own
  value is kept in source_event_type.
- timestamp (ACLED's revision time, Unix seconds) -> source_timestamp: the store keeps the newest revision.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.importers import numeric_dates
from geodata.importers.common import (
    Parsed,
    actor_columns,
    blank_to_na,
    canonical,
    columns_by_key,
    iso2_from_name,
    iso2_from_numeric,
    join_problems,
    parse_dates,
    parse_numbers,
    read_columns,
)

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)
OPTIONAL = ("sub_event_type", "actor2", "inter1", "inter2", "iso", "admin2", "source", "notes", "timestamp")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y")
TIME_PRECISIONS = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISIONS = ("1", "2", "3")
# ACLED's crosswalk from the event types used until March 2019 to the current (event type, sub-event type);
# keys are lower-case. "Riots/Protests" is split by the actors' inter codes (see :func:`current_event_types`).
OLD_EVENT_TYPES = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "remote violence": ("Explosions/Remote violence", None),
    "violence against civilians": ("Violence against civilians", None),
    "strategic development": ("Strategic developments", None),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}
RIOTS_PROTESTS = "riots/protests"
INTER_CODES = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}


def read_acled(path: Path, *, progress: bool = True) -> Parsed:
    """Read an ACLED export; bad values become NA plus an entry in ``problems`` (the row is kept)."""
    path = Path(path)
    table, text = read_columns(path, required=REQUIRED, optional=OPTIONAL, kind="ACLED", progress=progress)
    raw = table.raw

    event_id = blank_to_na(text["event_id_cnty"])
    dates, date_problems = _event_dates(path, text["event_date"], columns_by_key(raw), table.notices)
    precision, start, end, precision_problems = _date_range(dates, text["time_precision"])
    latitude, latitude_problems = parse_numbers(text["latitude"], "latitude")
    longitude, longitude_problems = parse_numbers(text["longitude"], "longitude")
    fatalities, fatality_problems = parse_numbers(text["fatalities"], "fatalities", whole=True)
    geo_code = text["geo_precision"].astype("string").str.strip()
    geo_bad = ~geo_code.isin(GEO_PRECISIONS)
    actor1, actor2 = blank_to_na(text["actor1"]), blank_to_na(text["actor2"])
    inter1, inter2 = inter_text(text["inter1"]), inter_text(text["inter2"])
    source_event_type = blank_to_na(text["event_type"])
    event_type, sub_event_type = current_event_types(
        source_event_type, blank_to_na(text["sub_event_type"]), inter1, inter2, actor2
    )
    timestamp, timestamp_problems = parse_numbers(text["timestamp"], "timestamp", whole=True)
    country_iso2 = iso2_from_numeric(text["iso"]).fillna(iso2_from_name(text["country"]))

    problems = join_problems(
        [
            table.problems,
            pd.Series("event_id_cnty: is empty", index=raw.index[event_id.isna()], dtype=object),
            date_problems,
            precision_problems,
            ("geo_precision: '" + geo_code[geo_bad] + "' is not 1, 2 or 3").astype(object),
            latitude_problems,
            longitude_problems,
            fatality_problems,
            timestamp_problems,
        ]
    )
    events = canonical(
        {
            "event_id": "acled:" + event_id,
            "dataset": "acled",
            "date_start": start,
            "date_end": end,
            "date_precision": precision,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            **actor_columns(actor1, actor2),
            "fatalities": fatalities,
            "location": blank_to_na(text["location"]),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": pd.to_numeric(geo_code.where(~geo_bad), errors="coerce"),
            "source_admin1": blank_to_na(text["admin1"]),
            "source": blank_to_na(text["source"]),
            "notes": blank_to_na(text["notes"]),
            "inter1": inter1,
            "inter2": inter2,
            "source_country": blank_to_na(text["country"]),
            "source_country_iso2": country_iso2,
            "source_admin2": blank_to_na(text["admin2"]),
            "source_event_type": source_event_type,
            "source_timestamp": timestamp,
        },
        raw.index,
    )
    return Parsed(path=path, events=events, raw=raw, problems=problems, n_read=len(raw), notices=table.notices)


def _event_dates(
    path: Path, event_date: pd.Series, columns: dict[str, pd.Series], notices: list[str]
) -> tuple[pd.Series, pd.Series]:
    """Dates of ``event_date`` in the named formats or numeric (order proven by the file), checked against
    ``year``; adds a notice saying which order a numeric file was read in.

    Parsed once per distinct (event_date, day, month): a file of a million rows holds a few thousand dates.
    """
    blank = pd.Series("", index=event_date.index, dtype="string")
    day, month = columns.get("day"), columns.get("month")
    key = pd.DataFrame({"date": event_date, "day": blank if day is None else day,
                        "month": blank if month is None else month}).astype("string").fillna("")
    codes, _ = pd.factorize(key["date"] + "\x1f" + key["day"] + "\x1f" + key["month"])
    _, first = np.unique(codes, return_index=True)
    distinct = key.iloc[first].set_axis(pd.RangeIndex(len(first)))

    dates, problems = parse_dates(distinct["date"], DATE_FORMATS, "event_date")
    numeric = pd.Series(False, index=distinct.index)
    unread = dates.isna()
    if unread.any():  # only values no named format reads are tried as numbers
        numeric[unread] = numeric_dates.numeric_mask(distinct["date"][unread])
        problems = problems.drop(index=numeric.index[numeric], errors="ignore")
    found, numeric_problems, order = numeric_dates.parse_numeric_dates(
        distinct["date"][numeric], "event_date", day=distinct["day"][numeric] if day is not None else None,
        month=distinct["month"][numeric] if month is not None else None,
    )  # fmt: skip
    dates[numeric] = found
    if numeric.any():
        read = f"read {order} as the file shows" if order else "the file does not show day-first or month-first"
        example = distinct["date"][numeric].iloc[0].strip()
        notices.append(f"{path.name}: event_date is numeric ({example!r}): {read}")
    per_distinct = join_problems([problems, numeric_problems])
    row_dates = pd.Series(dates.to_numpy()[codes], index=event_date.index, dtype="datetime64[ns]")
    row_problems = pd.Series(per_distinct.reindex(codes).to_numpy(), index=event_date.index).dropna()
    checks = [row_problems]
    if "year" in columns:
        checks.append(numeric_dates.year_problems(row_dates, event_date, columns["year"], "event_date"))
    return row_dates, join_problems(checks)


def current_event_types(
    event_type: pd.Series, sub_event_type: pd.Series, inter1: pd.Series, inter2: pd.Series, actor2: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """(event_type, sub_event_type) in ACLED's current taxonomy; current types pass through unchanged.

    Old types follow ACLED's 2019 crosswalk (OLD_EVENT_TYPES). "Riots/Protests" becomes Riots when either actor
    is Rioters, else Protests (sub-event "Peaceful protest" without a second actor, "Protest with intervention"
    with one). A sub-event type the file gives is kept; where the crosswalk has none it stays NA.
    """
    key = event_type.str.strip().str.lower()
    old = key.map({k: v[0] for k, v in OLD_EVENT_TYPES.items()}).astype("string")
    old_sub = key.map({k: v[1] for k, v in OLD_EVENT_TYPES.items()}).astype("string")
    riots_protests = key.eq(RIOTS_PROTESTS).fillna(False)
    rioters = (inter1.eq("Rioters") | inter2.eq("Rioters")).fillna(False)
    split = pd.Series(pd.NA, index=event_type.index, dtype="string")
    split[riots_protests & rioters] = "Riots"
    split[riots_protests & ~rioters] = "Protests"
    protest_sub = pd.Series("Peaceful protest", index=event_type.index, dtype="string").where(
        actor2.isna(), "Protest with intervention"
    )
    split_sub = protest_sub.where(split.eq("Protests").fillna(False))
    types = split.fillna(old).fillna(event_type)
    subs = sub_event_type.fillna(split_sub).fillna(old_sub)
    return types.astype("string"), subs.astype("string")


def inter_text(values: pd.Series) -> pd.Series:
    """ACLED actor-type column as words: numeric codes of old exports mapped, words kept, 0/blank -> NA."""
    text = blank_to_na(values)
    words = {value: _inter_word(value) for value in text.dropna().unique()}
    return text.map(words).astype("string")


def _inter_word(value: str) -> str | None:
    if re.fullmatch(r"\d+(\.0*)?", value):
        code = str(int(float(value)))
        return None if code == "0" else INTER_CODES.get(code, value)
    return value


def _date_range(dates: pd.Series, time_precision: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(date_precision, date_start, date_end, problems) from event_date and ACLED's time_precision."""
    code = time_precision.astype("string").str.strip()
    precision = code.map(TIME_PRECISIONS).astype("string")
    bad = precision.isna()
    problems = ("time_precision: '" + code[bad] + "' is not 1, 2 or 3").astype(object)
    week = precision.eq("week").fillna(False)
    month = precision.eq("month").fillna(False)
    start, end = dates.copy(), dates.copy()
    three_days = pd.Timedelta(days=3)
    start[week], end[week] = dates[week] - three_days, dates[week] + three_days
    months = dates[month].dt.to_period("M")
    start[month] = months.dt.start_time.astype("datetime64[ns]")
    end[month] = months.dt.end_time.dt.normalize().astype("datetime64[ns]")
    return precision, start, end, problems
