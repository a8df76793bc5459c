"""Numeric dates such as ``15-05-2024`` or ``05/15/2024``: day-first or month-first, decided by the file itself.

A value like ``05-03-2024`` reads as 5 March or 3 May; nothing in the value says which. The file can:

- a first number above 12 anywhere in the file (``15-05-2024``), and never a second one, proves it day-first;
  a second number above 12, and never a first one, proves it month-first;
- its ``day`` and ``month`` columns (some re-exports carry them) settle each row they fill, and count as proof
  for the file's other rows in the same way.

A row is read only when its own value allows one reading (one number above 12, both numbers equal, or its day
and month columns) or the file proves its order. It is a problem, so the pipeline quarantines it naming file, row
and field, when it stays ambiguous, when neither order gives the day and month its columns say, or when the date
falls in another year than its ``year`` column says.
"""

from __future__ import annotations

import pandas as pd

from geodata.importers.common import join_problems

# d-m-yyyy or m-d-yyyy with -, / or . between the parts.
NUMERIC_DATE = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


def numeric_mask(text: pd.Series) -> pd.Series:
    """Which values are written as numeric dates (``15-05-2024``, ``5/15/2024``)."""
    return text.astype("string").str.strip().str.fullmatch(NUMERIC_DATE).fillna(False).astype(bool)


def file_order(text: pd.Series, day: pd.Series | None = None, month: pd.Series | None = None) -> str | None:
    """``"day-first"`` or ``"month-first"`` when the file's numeric dates (and day/month columns) prove it."""
    a, b, _ = _parts(text)
    says_dm, says_md, _ = _column_readings(a, b, day, month)
    evidence_dm = ((a > 12) | (says_dm & ~says_md)).fillna(False)
    evidence_md = ((b > 12) | (says_md & ~says_dm)).fillna(False)
    if evidence_dm.any() and not evidence_md.any():
        return DAY_FIRST
    if evidence_md.any() and not evidence_dm.any():
        return MONTH_FIRST
    return None


def parse_numeric_dates(
    text: pd.Series,
    field_name: str,
    *,
    day: pd.Series | None = None,
    month: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series, str | None]:
    """(datetime64[ns] Series, problems, the file's order or None) for numeric dates; other values stay NaT.

    ``day``/``month`` are the file's own columns (text), when it has them.
    """
    stripped = text.astype("string").str.strip()
    a, b, year = _parts(text)
    order = file_order(text, day, month)
    says_dm, says_md, has_columns = _column_readings(a, b, day, month)

    day_first = pd.Series(pd.NA, index=text.index, dtype="boolean")
    day_first[(a > 12).fillna(False) | (a == b).fillna(False)] = True
    day_first[(b > 12).fillna(False) & ~(a > 12).fillna(False)] = False
    if order is not None:
        day_first = day_first.fillna(order == DAY_FIRST)
    day_first[says_dm] = True
    day_first[says_md & ~says_dm] = False
    numeric = a.notna()
    contradicts = numeric & has_columns & ~says_dm & ~says_md
    ambiguous = numeric & day_first.isna() & ~contradicts

    chosen = numeric & day_first.notna() & ~contradicts
    d = a.where(day_first.fillna(False), b)
    m = b.where(day_first.fillna(False), a)
    frame = pd.DataFrame({"year": year[chosen], "month": m[chosen], "day": d[chosen]}).astype("int64")
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    dates[chosen] = pd.to_datetime(frame, errors="coerce").astype("datetime64[ns]")
    invalid = chosen & dates.isna()

    quoted = field_name + ": '" + stripped.astype(str) + "' "
    problems = [
        (quoted[ambiguous] + "could be day-first or month-first and nothing in the file says which (no day above "
         "12 in one position, no day and month columns)").astype(object),
        (quoted[contradicts] + "is not day " + _text(day).reindex(text.index)[contradicts] + ", month "
         + _text(month).reindex(text.index)[contradicts] + " in either order, as the day and month columns say"
         ).astype(object),
        (quoted[invalid] + "is not a valid date").astype(object),
    ]  # fmt: skip
    return dates, join_problems(problems), order


def year_problems(dates: pd.Series, text: pd.Series, year: pd.Series, field_name: str) -> pd.Series:
    """Rows whose parsed date lies in another year than the file's ``year`` column says (blank year: no check)."""
    stated = pd.to_numeric(year.astype("string").str.strip(), errors="coerce")
    wrong = (dates.notna() & stated.notna() & (dates.dt.year != stated)).fillna(False).astype(bool)
    stripped = text.astype("string").str.strip().astype(str)
    return (
        field_name + ": '" + stripped[wrong] + "' is in " + dates[wrong].dt.year.astype(str)
        + " but the year column says " + stated[wrong].astype("int64").astype(str)
    ).astype(object)  # fmt: skip


def _parts(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    parts = text.astype("string").str.strip().str.extract(NUMERIC_DATE)
    a, b, y = (pd.to_numeric(parts[i], errors="coerce").astype("Int64") for i in range(3))
    return a, b, y


def _column_readings(
    a: pd.Series, b: pd.Series, day: pd.Series | None, month: pd.Series | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per row: whether the day/month columns say day-first (a is the day), month-first, and whether both are
    numbers at all (a month written as a word settles nothing)."""
    if day is None or month is None:
        false = pd.Series(False, index=a.index)
        return false, false, false
    d = pd.to_numeric(day.astype("string").str.strip(), errors="coerce").astype("Int64")
    m = pd.to_numeric(month.astype("string").str.strip(), errors="coerce").astype("Int64")
    says_dm = ((a == d) & (b == m)).fillna(False).astype(bool)
    says_md = ((a == m) & (b == d)).fillna(False).astype(bool)
    return says_dm, says_md, (d.notna() & m.notna()).fillna(False).astype(bool)


def _text(column: pd.Series | None) -> pd.Series:
    return pd.Series(dtype=str) if column is None else column.astype("string").str.strip().astype(str)
