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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10}  # fmt: skip
_SMALL = "|".join(_SMALL_NUMBERS)
# "Thursday, 3 March 2022" is one date, not a weekday plus a date: the weekday then yields to the date.
_NOT_BEFORE_DATE = (
    r"(?!,?\s+(?:the\s+)?[0-3]?\d(?:st|nd|rd|th)?\b|,?\s+(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b)"
)


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
            "edge",
            r"\b(?i:the\s+(?:very\s+)?(?P<edge>beginning|start|end|close)\s+of(?:\s+the\s+year)?)\s+"
            + _YEAR.format(g="y"),
        ),
        (
            "third",
            r"\b(?P<part>(?i:early|mid|late|the\s+middle\s+of))[\s-]*" + _YEAR.format(g="y"),
        ),
        (
            "years",
            r"\b(?:between\s+|from\s+)?"
            + _YEAR.format(g="y1")
            + r"\s*(?:-|–|—|to|and|until)\s*"
            + _YEAR.format(g="y2"),
        ),
        ("year", r"\b" + _YEAR.format(g="y")),
        # "overnight Sunday to Monday", "the night of Saturday into Sunday", "Sunday night to Monday": both days
        ("rel_overnight", r"\b(?:(?i:overnight|during\s+the\s+night|(?:on\s+)?the\s+night)\s+"
                          r"(?:(?i:of|from|between)\s+)?)?"
                          rf"{_WEEKDAY}(?:\s+(?i:night))?\s+(?i:to|into|and|-|–)\s+"
                          r"(?P<wd2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
        # "overnight Thursday", "overnight on Saturday": that weekday's night, into the next day
        ("rel_night", rf"\b(?i:overnight)\s+(?:(?i:on|from)\s+)?{_WEEKDAY}\b"),
        ("rel_since", rf"\b(?i:since)\s+(?:(?i:last)\s+)?{_WEEKDAY}\b"),
        # "the following Sunday", "the previous Monday": counted from the story's day (by the caller), not the writing
        ("story_weekday", rf"\b(?i:the)\s+(?i:following|next|previous|preceding)\s+{_WEEKDAY}\b"),
        ("rel_weekday", rf"\b(?:(?P<mod>(?i:last|this|past))\s+)?{_WEEKDAY}(?:['’]s)?\b{_NOT_BEFORE_DATE}"),
        ("rel_days_ago", rf"\b(?P<n>\d|(?i:{_SMALL}))\s+(?i:days\s+ago)\b"),
        ("rel_few_days", r"\b(?i:(?:a\s+few|several|a\s+couple\s+of|some)\s+days\s+(?:ago|earlier|before))\b"),
        ("rel_day", r"\b(?P<which>(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+morning"
                    r"|this\s+afternoon|this\s+evening|last\s+night))\b"),
        ("rel_weekend", r"\b(?i:(?:the|a|last|this|over\s+the)\s+weekend)\b"),
        ("rel_for", r"\b(?i:(?:for|over|in|during|after)\s+(?:the\s+(?:past|last|previous)\s+)?)"
                    rf"(?P<n>\d{{1,2}}|{_SMALL}|a|one)\s+(?P<unit>(?i:days?|weeks?|months?))\b"),
        ("rel_week", r"\b(?P<which>(?i:earlier\s+this|this|last|past|previous|the\s+past|the\s+previous))\s+"
                     r"(?P<unit>(?i:week(?:end)?|month|year))\b"),
        ("range_no_year", rf"\b(?:(?i:between)\s+)?{_DAY.format(g='d1')}{_DASH}{_DAY.format(g='d')}\s+"
                          rf"{_MONTH.format(g='m')}\b"),
        ("range_no_year", rf"\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d1')}{_DASH}{_DAY.format(g='d')}\b(?![\d:])"),
        ("day_no_year", rf"\b{_DAY.format(g='d')}\s+{_MONTH.format(g='m')}\b"),
        ("day_no_year", rf"\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d')}\b(?![\d:])"),
        ("month_no_year", rf"\b(?:(?i:early|mid|late)[\s-]+)?{_MONTH.format(g='m')}"),
        # "in September, on the 5th,": a day of the month written just before (or of the document's month)
        ("ordinal_day", r"\b(?i:on\s+)?(?i:the)\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)(?=\s*[,.;:)]|\s*$)"),
    )
)

# A stretch up to the writing needs the present perfect: "for three weeks X has been the scene of fighting".
_PERFECT = re.compile(r"\b(?:has|have|['’]ve)\s+(?:\w+\s+)?(?:been|\w+ed|\w+en|fought|lost|seen|held)\b", re.IGNORECASE)

_THIRDS = {"early": (1, 4), "beginning": (1, 4), "start": (1, 4), "mid": (5, 8), "middle": (5, 8),
           "late": (9, 12), "end": (9, 12)}  # fmt: skip

# Phrases pointing back at the previous sentence's date: the whole date, or only its year.
_SAME_DATE = re.compile(
    r"\b(?:(?:that|this|the)\s+same\s+(?:issue|time|day|week|month|period|publication|attack|incident)"
    r"|(?:at|around|about)\s+(?:that|this|the\s+same)\s+time|the\s+same\s+day|that\s+day|on\s+the\s+same\s+date"
    r"|(?:on\s+)?the\s+(?:day|night|morning|evening)\s+of\s+the\s+(?:attack|massacre|raid|ambush|assault|battle))\b",
    re.IGNORECASE,
)
_SAME_YEAR = re.compile(
    r"\b(?:(?:that|this|the)\s+same\s+year|later\s+that\s+year|earlier\s+that\s+year)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DateMention:
    """One date written in a sentence; ``start``/``end`` are None when it lacks a year and none is known.

    ``relative`` is True when the words need the document date ("on Thursday", "last week", "8 July"
    without a year): resolved from it when known, else left unresolved.
    """

    text: str
    span: tuple[int, int]
    start: date | None
    end: date | None
    precision: str
    relative: bool = False

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
    if kind == "edge":
        y = int(groups["y"])
        month = 1 if groups["edge"].lower() in ("beginning", "start") else 12
        start, end = _month_span(y, month)
        return start, end, "month"
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
    if kind == "range_no_year":
        start, end = _day(year, month, int(groups["d1"])), _day(year, month, int(groups["d"]))
        if start is None or end is None or end < start:
            return None
        return start, end, "day"
    if kind == "day_range":
        start, end = _day(year, month, int(groups["d1"])), _day(year, month, int(groups["d2"]))
        if start is None or end is None or end < start:
            return None
        return start, end, "day"
    day = _day(year, month, int(groups["d"]))
    return (day, day, "day") if day else None


def find_dates(
    sentence: str, context_year: int | None = None, anchor: date | None = None, document_years: Sequence[int] = ()
) -> list[DateMention]:
    """Every date mention in ``sentence``, left to right.

    A month or day without a year takes the nearest year written before it in the sentence, else the latest
    such day on or before the document date ``anchor`` (a dated document speaks of its recent past), else
    ``context_year``; with none of them its ``start``/``end`` stay None. Words relative to the writing ("on
    Thursday", "yesterday", "this week", "since Tuesday", "earlier this month", "last year") are resolved
    against ``anchor`` only.
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
        relative = False
        if kind == "story_weekday":
            continue
        if kind == "rel_for" and (last_year is not None or not _PERFECT.search(sentence)):
            continue  # "fought for two weeks in 2020", "the siege lasted for ten days": not up to the writing
        if kind == "ordinal_day":
            months = [m for m in mentions if m.start is not None and m.precision in ("month", "day")]
            base = months[-1].start if months else anchor
            if base is None:
                continue
            day = _day(base.year, base.month, int(found.group("d")))
            if day is None:
                continue
            mentions.append(DateMention(found.group(0), found.span(), day, day, "day", not months))
            continue
        if kind.startswith("rel_"):
            relative = True
            days = relative_days(kind, found.groupdict(), anchor)
            if days is None and anchor is not None:
                continue
            days = days or (None, None, "day")
        else:
            year = None
            if kind.endswith("no_year"):
                year = last_year
                if year is None and anchor is not None:  # a dated document speaks of its own recent past
                    relative = True
                    year = _year_before(anchor, _month(found.group("m")), found.groupdict().get("d"))
                elif year is None:
                    year = context_year
                    relative = year is None
                if kind == "day_no_year" and anchor is None:  # "on Monday (2 June)": the weekday pins the year
                    pinned = _weekday_year(sentence, found, context_year, document_years)
                    year, relative = (pinned, False) if pinned is not None else (year, relative)
            days = _resolve(kind, found, year)
        if days is None or (kind in ("year", "years") and _not_a_year(sentence, found.start())):
            continue
        start, end, precision = days
        mentions.append(DateMention(found.group(0), found.span(), start, end, precision, relative))
        if end is not None and not kind.endswith("no_year") and not relative:
            last_year = end.year
    return mentions


_YEAR_LEADS = frozenset(
    "in by since until till from during before after early late mid of throughout spring summer autumn fall winter"
    " end start the and or to between around about circa c".split()
)


# A year in the title of a prize, index or games ("winner of the 2022 Rights Defenders Prize", "the 2023 Global
# Peace Index"): it dates the title, not anything in the story, and lends its year to nothing.
_TITLE_YEAR = re.compile(
    r"^\d{4}\s+(?:[A-Z][\w'’-]*\s+){0,4}(?:Prize|Award|Index|Report|Games|Cup|Olympics|Summit|Festival|Forum)\b"
)


def _not_a_year(sentence: str, start: int) -> bool:
    """"Mirage 2000 jets", "Resolution 2085": a number after a capitalised name word is not a year; nor is the
    year of a prize's or an index's title."""
    if _TITLE_YEAR.match(sentence[start:]):
        return True
    before = re.search(r"([A-Za-zÀ-ÿ]+)[\s-]+$", sentence[:start])
    if before is None or not before.group(1)[0].isupper():
        return False
    word = before.group(1).lower()
    return word not in _YEAR_LEADS and word not in MONTHS


_WEEKDAY_BEFORE = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\W{1,3}$")
_WEEKDAY_AFTER = re.compile(r"^\W{1,3}(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _weekday_year(sentence: str, found: re.Match[str], context_year: int | None,
                  document_years: Sequence[int]) -> int | None:  # fmt: skip
    """The year a weekday written beside a day without a year pins ("on Sunday, August 13", "on Monday (2 June)"),
    among the years around it: the context year, else a year the document writes or the one after it (a report
    recalls last year's events). None without a weekday beside the day or when no such year agrees."""
    weekday = _WEEKDAY_BEFORE.search(sentence[: found.start()]) or _WEEKDAY_AFTER.search(sentence[found.end() :])
    if weekday is None:
        return None
    wanted = WEEKDAYS.index(weekday.group("wd").lower())
    month, day = _month(found.group("m")), int(found.group("d"))
    candidates = [context_year] if context_year else []
    candidates += sorted({y + step for y in document_years for step in (0, 1)}, reverse=True)
    for year in candidates:
        pinned = _day(year, month, day)
        if pinned is not None and pinned.weekday() == wanted:
            return year
    return None


def _year_before(anchor: date | None, month: int, day: str | None) -> int | None:
    """The year that puts ``day month`` (or the month) on or before ``anchor``: its year, else the one before. A
    day up to :data:`ANCHOR_SLACK_DAYS` after the anchor keeps the anchor's year: a document's date is often a day
    or two early (time zones, a page stamped at its first version), a year back is a far worse guess."""
    if anchor is None:
        return None
    first = _day(anchor.year, month, int(day)) if day else date(anchor.year, month, 1)
    return anchor.year if first is None or first <= anchor + timedelta(days=ANCHOR_SLACK_DAYS) else anchor.year - 1


ANCHOR_SLACK_DAYS = 2


def relative_days(kind: str, groups: dict[str, str | None], anchor: date | None) -> tuple[date, date, str] | None:
    """Days of a phrase relative to the document date ``anchor`` (None without one).

    "on Thursday" -> the latest Thursday on or before the anchor ("last Thursday": strictly before);
    "overnight Sunday to Monday", "from Friday to Sunday" -> those days (the last on or before the anchor);
    "overnight Thursday" -> Thursday and Friday; "a few days ago" -> the seven days before the anchor (``week``);
    "since Tuesday" -> that Tuesday to the anchor (``week``); "yesterday", "N days ago" -> that day;
    "this week" -> Monday to the anchor, "last week" -> the Monday-Sunday before (``week``); "this/earlier
    this month" -> the 1st to the anchor, "last month" -> that month (``month``); "this year" -> 1 January
    to the anchor, "last year" -> that year (``year``). "the past week/month" -> the 7/31 days to the anchor.
    """
    if anchor is None:
        return None
    if kind == "rel_overnight":  # the night from the first weekday (on or before the anchor) into the next
        first, second = WEEKDAYS.index(groups["wd"].lower()), WEEKDAYS.index(groups["wd2"].lower())
        end = anchor - timedelta(days=(anchor.weekday() - second) % 7)
        return end - timedelta(days=(second - first) % 7), end, "day" if (second - first) % 7 <= 1 else "week"
    if kind == "rel_few_days":  # "a few days ago": the week before the anchor
        return anchor - timedelta(days=7), anchor - timedelta(days=1), "week"
    if kind == "rel_night":  # the night of the weekday (on or before the anchor) runs into the next day
        day = anchor - timedelta(days=(anchor.weekday() - WEEKDAYS.index(groups["wd"].lower())) % 7)
        return day, day + timedelta(days=1), "day"
    if kind in ("rel_weekday", "rel_since"):
        weekday = WEEKDAYS.index(groups["wd"].lower())
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and (groups.get("mod") or "").lower() == "last":
            back = 7
        day = anchor - timedelta(days=back)
        return (day, anchor, "week") if kind == "rel_since" else (day, day, "day")
    if kind == "rel_weekend":  # the Saturday and Sunday on or before the anchor
        saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
        return saturday, min(saturday + timedelta(days=1), anchor), "week"
    if kind == "rel_for":  # "for three weeks ... has been", "in ten days of fighting have killed": up to the anchor
        word = groups["n"].lower()
        count = int(word) if word.isdigit() else 1 if word in ("a", "one") else _SMALL_NUMBERS[word]
        unit = groups["unit"].lower().rstrip("s")
        days = count * {"day": 1, "week": 7, "month": 30}[unit]
        precision = "day" if days <= 1 else "week" if days <= 7 else "month" if days <= 31 else "quarter" \
            if days <= 92 else "year"
        return anchor - timedelta(days=days), anchor, precision
    if kind == "rel_days_ago":
        word = groups["n"].lower()
        day = anchor - timedelta(days=int(word) if word.isdigit() else _SMALL_NUMBERS[word])
        return day, day, "day"
    if kind == "rel_day":
        which = re.sub(r"\s+", " ", groups["which"].lower())
        back = 2 if which.startswith("the day before") else 1 if which in ("yesterday", "last night") else 0
        day = anchor - timedelta(days=back)
        return day, day, "day"
    which = re.sub(r"\s+", " ", groups["which"].lower()).removeprefix("the ")
    unit = groups["unit"].lower()
    this = which in ("this", "earlier this")
    if unit in ("week", "weekend"):
        if which in ("past", "previous") and unit == "week":
            return anchor - timedelta(days=7), anchor, "week"
        monday = anchor - timedelta(days=anchor.weekday()) - (timedelta(0) if this else timedelta(days=7))
        if unit == "weekend":
            return monday + timedelta(days=5), min(monday + timedelta(days=6), anchor), "week"
        return monday, min(monday + timedelta(days=6), anchor), "week"
    if unit == "month":
        if which in ("past", "previous") and not this:
            return anchor - timedelta(days=31), anchor, "month"
        if this:
            return anchor.replace(day=1), anchor, "month"
        last = anchor.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last, "month"
    if this:
        return date(anchor.year, 1, 1), anchor, "year"
    if which in ("past", "previous"):
        return anchor - timedelta(days=365), anchor, "year"
    return date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 31), "year"


# A year that measures the incident, not dates it: "the deadliest since the insurgency began in 2015", "a country
# which has been fighting an insurgency that spilled over in 2015" (a yardstick, a background stretch).
_YARDSTICK_YEAR = re.compile(
    r"\b(?:(?:ever\s+)?since|(?:which|that|who)\s+(?:has|have)(?:\s+(?:long|been|also))?\s+\w+(?:ed|ing|en)\b"
    # "the insurgency broke out in the northeast of Nigeria in 2000": the conflict's origin, not an incident
    r"|(?:insurgency|rebellion|conflict|war|crisis|uprising)\s+(?:\w+\s+)?(?:broke\s+out|began|started|erupted)\b"
    # "the group, which emerged near the border in December 2016": a group's birth, not an incident
    r"|\b(?:emerged|was\s+(?:founded|formed|created|set\s+up|established))\b)"
    r"[^.;:!?]{0,200}$",
    re.IGNORECASE,
)


def measures_the_incident(before: str) -> bool:
    """True when a date written right after ``before`` is a yardstick's or a background stretch's ("the worst
    since the insurgency began in 2015"), not the incident's."""
    return _YARDSTICK_YEAR.search(before) is not None


def years_in(sentence: str, story_only: bool = False) -> list[int]:
    """The years written in ``sentence``, left to right (for the year context of later sentences); with
    ``story_only``, not those of a yardstick or a background stretch ("the worst since ... in 2015")."""
    return [
        int(found.group("y"))
        for found in re.finditer(r"\b" + _YEAR.format(g="y"), sentence)
        if not _not_a_year(sentence, found.start())
        and not (story_only and _YARDSTICK_YEAR.search(sentence[: found.start()]))
    ]


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


# ---------------------------------------------------------------- the document's own date

_ISO_DAY = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")
# A machine stamp: an ISO day with its time and zone ("2019-03-12T10:45:00+00:00", "2019-03-12 10:45").
_ISO_STAMP = re.compile(
    _ISO_DAY.pattern + r"(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d\d:?\d\d|UTC|GMT))?)?"
)

_STAMP_LINE = re.compile(
    r"^\s*(?P<word>(?:first\s+)?published|posted|issued|released|(?:last\s+)?updated|last\s+modified|modified"
    r"|date\s+published)\b\s*(?:on|at|:)?\s*(?P<rest>[^|\n]{4,120})$",
    re.IGNORECASE | re.MULTILINE,
)
_STAMP_WORD = re.compile(r"\b(?:published|posted|issued|released|updated|written)\b", re.IGNORECASE)
# A header line ending in a date: "Sahel Conflict Brief no. 14 — 19 February 2022", "DAKAR (AP) — May 12, 2025".
_TRAILING_DATE = re.compile(r"(?:—|–|\s-|\||·)\s*(?P<date>[^—–|·]{6,30}?)\s*$")
# ... or opening it, before a section or a byline: "10/08/2021 · Security · with agencies", "12 May 2021 | World".
_OPENING_DATE = re.compile(r"^\s*(?P<date>[^—–|·]{6,30}?)\s*(?:—|–|\s-\s|\||·)")
_AS_OF = re.compile(r"\b(?:as\s+(?:of|at)|situation\s+on)\s+(?P<rest>.{4,40})", re.IGNORECASE)
# What may stand beside the date on a line that only stamps the text: "Tue Aug 20, 2019 | 11:02 GMT",
# "June 17, 2019 · 6 min read", "Ouagadougou, 28 April 2023".
_STAMP_NOISE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?\b|\b\d{1,2}[:.h]\d\d\b|\b(?:a\.?m|p\.?m)\b\.?|\b(?:UTC|GMT|WAT|CET"
    r"|CEST|local\s+time)\b|\b\d+\s+min(?:ute)?s?\s+read\b|\bupdated\b|\bat\b"
    r"|\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",  # "/ Updated 8 years ago"
    re.IGNORECASE,
)
# "BAMAKO, March 3 (Agency) -", "NIAMEY, 12 May 2021 —", "OUAGADOUGOU, Burkina Faso, Jan. 5 (AP) —",
# "Gao (Mali), 4 June 2022 -": a place, a date, an optional agency, then a dash, at the start of a paragraph.
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][A-Za-zÀ-ÿ'’.-]*(?:\s+[A-ZÀ-Ý][A-Za-zÀ-ÿ'’.-]*){0,3}(?:\s*\([^)]{1,30}\))?"
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?),\s+(?P<date>[^()\n]{3,40}?)\s*"
    r"(?:\((?P<agency>[^)\n]{1,40})\)\s*(?:-+|–|—|:)\s*|(?:-+|–|—|:)(?:\s+|$))"
)
# A dateline without a date: a place in capitals, an optional agency, a dash ("OUAGADOUGOU — Gunmen ...").
_PLACE_DATELINE = re.compile(r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý'’. -]{2,40}?)\s*(?:\([^)\n]{1,40}\)\s*)?(?:--?|–|—)\s+")


@dataclass(frozen=True)
class DocumentDate:
    """The day a text was written, and where that was read ("dateline", "Published line", "--date")."""

    day: date
    basis: str


_NUMERIC_DAY = re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/])")


_SLASHED_ISO = re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])")  # 2019/03/12


def _full_day(words: str) -> date | None:
    iso = _ISO_DAY.search(words) or _SLASHED_ISO.search(words)
    if iso:
        return _day(int(iso["y"]), int(iso["m"]), int(iso["d"]))
    words = calendar_case(words)  # "PUBLISHED 12 MARCH 2019"
    numeric = _NUMERIC_DAY.search(words)  # 17/06/2024: day first, as written in the region (06/17/2024 if not)
    if numeric:
        a, b, y = int(numeric["a"]), int(numeric["b"]), int(numeric["y"])
        return _day(y, b, a) if b <= 12 else _day(y, a, b)
    return next((m.start for m in find_dates(words) if m.precision == "day" and m.start == m.end), None)


def calendar_case(words: str) -> str:
    """Month names written in capitals, as datelines do ("JANUARY 5, 2021"), in the case the date rules read."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize() if m.group(0).lower() in MONTHS else m.group(0),
                  words)  # fmt: skip


def dateline(paragraph: str) -> re.Match[str] | None:
    """The dateline opening ``paragraph`` ("BAMAKO, March 3 (Reuters) - ", "OUAGADOUGOU — "), when its date
    part is a date (or it is a place in capitals and a dash)."""
    found = DATELINE.match(paragraph)
    if found is not None:
        words = calendar_case(found.group("date").strip())
        if _ISO_DAY.fullmatch(words) or any(m.span == (0, len(words)) for m in find_dates(words)):
            return found
    found = _PLACE_DATELINE.match(paragraph)
    return found if found is not None and found.group("place").strip().isupper() else None


@dataclass(frozen=True)
class Stamp:
    """A line that dates the text: where it starts, what it says it is ("Published", "date line") and the day."""

    start: int
    end: int
    word: str
    day: date


def _head_lines(text: str, count: int) -> Iterator[tuple[int, int, str]]:
    """The first ``count`` non-blank lines of ``text``: (their rank from 1, where each starts, the line)."""
    position, seen = 0, 0
    for line in text.replace("\r\n", "\n").split("\n"):
        here, position = position, position + len(line) + 1
        if not line.strip():
            continue
        seen += 1
        if seen > count:
            return
        yield seen, here, line


def stamp_lines(text: str, head_lines: int = 8) -> list[Stamp]:
    """Lines that stamp the text: "Published 10 September 2022", "Last updated on September 10th, 2022",
    "Issued: 30 August 2024" anywhere, and, among its first ``head_lines`` lines, a line that is only a date
    (with a weekday, a time, a zone, "6 min read" or a place: "Ouagadougou, 28 April 2023")."""
    stamps = []
    for found in _STAMP_LINE.finditer(text):
        day = _full_day(found.group("rest"))
        if day is not None:
            line_start = text.rfind("\n", 0, found.start("word")) + 1  # not the blank line ^\s* ran over
            stamps.append(Stamp(line_start, found.end(), " ".join(found["word"].split()).capitalize(), day))
    for seen, here, written in _head_lines(text, head_lines):
        line = calendar_case(written)  # "12 MARCH 2019 | 10:45": months in capitals, as page heads set them
        infobox = re.match(r"^\s*\|?\s*(?:date|dates|date of attack)\s*(?::|\|)", line, re.IGNORECASE)
        if len(line) > 120 or infobox or any(s.start <= here < s.end for s in stamps):
            continue
        as_of = _AS_OF.search(line)
        if as_of and _full_day(as_of.group("rest")):
            stamps.append(Stamp(here, here + len(line), "As of", _full_day(as_of.group("rest"))))
            continue
        keyword = _STAMP_WORD.search(line)
        if keyword:
            after = [m for m in find_dates(line) if m.span[0] >= keyword.end() and m.precision == "day" and m.start]
            if after:
                word = " ".join(keyword.group(0).split()).capitalize()
                stamps.append(Stamp(here, here + len(line), word, after[0].start))
                continue
        edges = [m.group("date") for m in (_TRAILING_DATE.search(line), _OPENING_DATE.search(line)) if m]
        edge = next((words for words in edges if _full_day(words) and _only_a_date(words)), None)
        if edge and seen <= 4:
            stamps.append(Stamp(here, here + len(line), "Date line", _full_day(edge)))
            continue
        if len(line) > 80:
            continue
        day = _full_day(line)
        if day is None:
            continue
        rest = _STAMP_NOISE.sub(" ", _NUMERIC_DAY.sub(" ", _SLASHED_ISO.sub(" ", _ISO_STAMP.sub(" ", line))))
        for mention in find_dates(rest):
            rest = rest.replace(mention.text, " ")
        if len(re.findall(r"[A-Za-zÀ-ÿ]+", rest)) <= 2 and not re.search(r"\d", rest):
            stamps.append(Stamp(here, here + len(line), "Date line", day))
    return sorted(stamps, key=lambda stamp: stamp.start)


def _only_a_date(words: str) -> bool:
    """True when ``words`` are a date and nothing else but a weekday, a time or a zone ("Tue 10/08/2021 09:30")."""
    rest = _STAMP_NOISE.sub(" ", _NUMERIC_DAY.sub(" ", _SLASHED_ISO.sub(" ", _ISO_STAMP.sub(" ", words))))
    for mention in find_dates(rest):
        rest = rest.replace(mention.text, " ")
    return not re.search(r"[A-Za-zÀ-ÿ]{3,}|\d", rest)


# "date 2023-04-25 AT least 60 people ...": a stored page's stamp glued before its first words
_DATE_PREFIX = re.compile(
    r"^\s*date\s+(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"
    r"(?:\s+[0-3]?\d\s+[A-Z][a-z]{2,8}\.?,?\s+(?:19|20)\d\d\b)?[ \t]*"
)


def date_prefix(text: str) -> re.Match[str] | None:
    """A "date YYYY-MM-DD" stamp opening the text (stored pages carry one), with the words it stands before."""
    found = _DATE_PREFIX.match(text)
    return found if found is not None and _day(int(found["y"]), int(found["m"]), int(found["d"])) else None


def document_date(text: str) -> DocumentDate | None:
    """The day ``text`` was written, read from (first found wins) a dateline with a full date; a "date
    YYYY-MM-DD" stamp opening the text; a dateline's day
    and month with the year of a stamp line (the latest such day on or before it); a "Published/Posted/Issued"
    line or a line that is only a date near the top; else an "Updated ..." line. None when the text says none of
    these: relative words are then never resolved by guess."""
    stamps = stamp_lines(text)
    first = [s for s in stamps if not re.match(r"(?i)(?:last\s+)?updated|(?:last\s+)?modified", s.word)]
    stamp = next(iter(first or stamps), None)
    prefix = date_prefix(text)
    if prefix is not None:
        text = text[prefix.end() :]
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))[:6]:
        found = dateline(paragraph.strip())
        if found is None or "date" not in found.re.groupindex:
            continue
        words = calendar_case(found.group("date"))
        day = _full_day(words)
        if day is not None:
            return DocumentDate(day, "dateline")
        if stamp is not None:
            mention = next(iter(find_dates(words, None, stamp.day)), None)
            if mention and mention.start and mention.precision == "day":
                return DocumentDate(mention.start, f"dateline and its {stamp.word.lower()}")
    if prefix is not None:
        return DocumentDate(date(int(prefix["y"]), int(prefix["m"]), int(prefix["d"])), "date stamp")
    if stamp is not None:
        return DocumentDate(stamp.day, stamp.word if stamp.word == "Date line" else f"{stamp.word} line")
    return _leading_date(text)


# a weekday not written beside a day of its own ("on Thursday", not "Thursday, 4 November" nor "Friday July 7")
_BARE_WEEKDAY = re.compile(
    r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!,?\s*(?:\d|[A-Z][a-z]+\s+\d))"
)


def weekday_day(text: str) -> DocumentDate | None:
    """For a text with no date of its own: its latest fully written day, when a bare weekday elsewhere in it names
    that day's weekday ("on Thursday ... On November 4, 2021, at 4.30 p.m."): the report was written around the
    incident it dates twice, so its other weekdays and yearless days are read against that day. None otherwise."""
    days = [m.start for m in find_dates(text) if m.precision == "day" and m.start == m.end and not m.relative
            and re.search(r"(?:19|20)\d\d", m.text)]  # written with its year, not borrowed from another
    if not days:
        return None
    latest = max(days)
    named = {WEEKDAYS.index(m.group("wd").lower()) for m in _BARE_WEEKDAY.finditer(text)}
    if latest.weekday() not in named:
        return None
    return DocumentDate(latest, "the latest day it writes, which its weekdays name")


def _leading_date(text: str) -> DocumentDate | None:
    found = leading_date(text)
    return DocumentDate(found[2], "date opening a line") if found else None


def leading_date(text: str, head_lines: int = 4) -> tuple[int, int, date] | None:
    """A full date opening one of the first lines ("August 15, 2017On Monday night", "[February 08, 2013] GAO,
    Mali (AP) --"): the page's date stamp run into its first words. (start, end) of the date (and its brackets) in
    ``text``, and the day."""
    for _, here, line in _head_lines(text, head_lines):
        lead = len(line) - len(line.lstrip())
        bracket = line[lead : lead + 1] in ("[", "(")
        words = line.strip()[1:] if bracket else line.strip()
        mentions = find_dates(words[:40])
        first = mentions[0] if mentions else None
        if first and first.span[0] == 0 and first.precision == "day" and first.start and not first.relative:
            end = here + lead + bracket + first.span[1]
            closed = bracket and text[end : end + 1] in ("]", ")")
            if bracket and not closed:
                continue
            return here + lead, end + closed, first.start
    return None
