"""Dates written in English prose ("November 3, 2022", "early 2020", "2019 and 2020") as day spans.

Every mention becomes a :class:`DateMention`: first and last possible day plus a precision from
``schema.DATE_PRECISIONS``. Documented choices:

- ``D Month YYYY`` / ``Month D, YYYY`` -> that day (``day``); ``D-D Month YYYY`` -> the days (``day``).
- ``Month YYYY`` (also ``early/late Month YYYY``) -> the whole month (``month``).
- ``early YYYY`` = Jan 1-Apr 30, ``mid YYYY`` = May 1-Aug 31, ``late YYYY`` = Sep 1-Dec 31 (thirds of the
  year; also "the beginning/start/end of YYYY"), precision ``quarter``: the schema has no "third", and
  ``quarter`` is its only value between month and year; the exact span is in the dates.
- ``YYYY and YYYY`` / ``between YYYY and YYYY`` / ``from YYYY to YYYY`` / ``YYYY-YYYY`` -> both years whole (``year``).
- a bare ``YYYY`` -> the whole year (``year``).
- a month or day without a year ("in December", "on 3 December") takes the nearest year written before it in
  the same sentence, else the caller's ``context_year``; with neither it is left unresolved (``start`` None).
Month names must be capitalised, so the verb "may" or "march" is never a date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH = (
    r"(?P<{g}>(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z]))"
)
_YEAR = r"(?<![\d,.])(?P<{g}>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|and)\s*"


# Most specific first: a span claimed by an earlier pattern is not matched again by a later one.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "day_range",
            rf"\b{_DAY.format(g='d1')}{_DASH}{_DAY.format(g='d2')}\s+{_MONTH.format(g='m')},?\s+"
            rf"{_YEAR.format(g='y')}",
        ),
        (
            "day_range",
            rf"\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d1')}{_DASH}{_DAY.format(g='d2')},?\s+"
            rf"{_YEAR.format(g='y')}",
        ),
        ("day", rf"\b{_DAY.format(g='d')}\s+{_MONTH.format(g='m')},?\s+{_YEAR.format(g='y')}"),
        ("day", rf"\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d')}(?![\d:]),?\s+{_YEAR.format(g='y')}"),
        ("month", rf"\b(?:(?i:early|mid|late)[\s-]+)?{_MONTH.format(g='m')}\s+(?:of\s+)?{_YEAR.format(g='y')}"),
        (
            "third",
            r"\b(?P<part>(?i:early|mid|late|the\s+(?:beginning|start|end|middle)\s+of))[\s-]*" + _YEAR.format(g="y"),
        ),
        (
            "years",
            r"\b(?:between\s+|from\s+)?"
            + _YEAR.format(g="y1")
            + r"\s*(?:-|–|—|to|and|until)\s*"
            + _YEAR.format(g="y2"),
        ),
        ("year", r"\b" + _YEAR.format(g="y")),
        ("day_no_year", rf"\b{_DAY.format(g='d')}\s+{_MONTH.format(g='m')}\b"),
        ("day_no_year", rf"\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d')}\b(?![\d:])"),
        ("month_no_year", rf"\b(?:(?i:early|mid|late)[\s-]+)?{_MONTH.format(g='m')}"),
    )
)

_THIRDS = {"early": (1, 4), "beginning": (1, 4), "start": (1, 4), "mid": (5, 8), "middle": (5, 8),
           "late": (9, 12), "end": (9, 12)}  # fmt: skip

# Phrases pointing back at the previous sentence's date: the whole date, or only its year.
_SAME_DATE = re.compile(
    r"\b(?:(?:that|this|the)\s+same\s+(?:issue|time|day|week|month|period|publication|attack|incident)"
    r"|(?:at|around|about)\s+(?:that|this|the\s+same)\s+time|the\s+same\s+day|that\s+day|on\s+the\s+same\s+date)\b",
    re.IGNORECASE,
)
_SAME_YEAR = re.compile(
    r"\b(?:(?:that|this|the)\s+same\s+year|later\s+that\s+year|earlier\s+that\s+year)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DateMention:
    """One date written in a sentence; ``start``/``end`` are None when it lacks a year and none is known."""

    text: str
    span: tuple[int, int]
    start: date | None
    end: date | None
    precision: str

    @property
    def resolved(self) -> bool:
        """True when the mention has concrete days."""
        return self.start is not None


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, found: re.Match[str], year: int | None) -> tuple[date | None, date | None, str] | None:
    """Days and precision of one match; None when the match is not a real date (e.g. "31 February")."""
    groups = found.groupdict()
    if kind == "year":
        y = int(groups["y"])
        return date(y, 1, 1), date(y, 12, 31), "year"
    if kind == "years":
        y1, y2 = sorted((int(groups["y1"]), int(groups["y2"])))
        return date(y1, 1, 1), date(y2, 12, 31), "year"
    if kind == "third":
        part = groups["part"].split()[-2] if groups["part"].lower().startswith("the") else groups["part"]
        first, last = _THIRDS[part.lower()]
        y = int(groups["y"])
        return date(y, first, 1), _month_span(y, last)[1], "quarter"
    if "y" in groups and groups["y"] is not None:
        year = int(groups["y"])
    month = _month(groups["m"])
    if year is None:
        return None, None, "month" if kind in ("month", "month_no_year") else "day"
    if kind in ("month", "month_no_year"):
        start, end = _month_span(year, month)
        return start, end, "month"
    if kind == "day_range":
        start, end = _day(year, month, int(groups["d1"])), _day(year, month, int(groups["d2"]))
        if start is None or end is None or end < start:
            return None
        return start, end, "day"
    day = _day(year, month, int(groups["d"]))
    return (day, day, "day") if day else None


def find_dates(sentence: str, context_year: int | None = None) -> list[DateMention]:
    """Every date mention in ``sentence``, left to right.

    A month or day without a year takes the nearest year written before it in the sentence, else
    ``context_year``; with neither its ``start``/``end`` stay None.
    """
    taken: list[tuple[int, int]] = []
    raw: list[tuple[str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for found in pattern.finditer(sentence):
            if any(found.start() < end and start < found.end() for start, end in taken):
                continue
            taken.append(found.span())
            raw.append((kind, found))
    raw.sort(key=lambda item: item[1].start())
    mentions: list[DateMention] = []
    last_year: int | None = None
    for kind, found in raw:
        year = None
        if kind.endswith("no_year"):
            year = last_year if last_year is not None else context_year
        days = _resolve(kind, found, year)
        if days is None:
            continue
        start, end, precision = days
        mentions.append(DateMention(found.group(0), found.span(), start, end, precision))
        if end is not None and not kind.endswith("no_year"):
            last_year = end.year
    return mentions


def years_in(sentence: str) -> list[int]:
    """The years written in ``sentence``, left to right (for the year context of later sentences)."""
    return [int(found.group("y")) for found in re.finditer(r"\b" + _YEAR.format(g="y"), sentence)]


def refers_to_previous_date(sentence: str) -> str | None:
    """``"date"`` for "that same issue"/"around this same time", ``"year"`` for "that same year", else None."""
    if _SAME_DATE.search(sentence):
        return "date"
    if _SAME_YEAR.search(sentence):
        return "year"
    return None


def year_span(year: int) -> tuple[date, date]:
    """First and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)
