"""The dashboard view: every filter and display choice as one frozen value that round-trips through a URL.

A view is an address (``?start=2020-01-01&country=ML,BF``) and a set of CLI flags (``--start 2020-01-01
--country ML,BF``); the page, the exports and ``python -m dashboard export`` all start from it. Parsing
never raises: a bad value gives a human message and that parameter falls back to its default.
"""

from __future__ import annotations

import argparse
import datetime
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote

from geodata.schema import DATASETS, GEO_PRECISIONS, GROUPS

VIEW_PARAMS: tuple[str, ...] = (
    "start",
    "end",
    "country",
    "admin1",
    "group",
    "vs",
    "event_type",
    "dataset",
    "min_fatalities",
    "precision",
    "q",
    "bbox",
    "colour",
    "mode",
    "metric",
    "dedupe",
    "disagree",
)
# Parameters that only change how the rows are drawn; the others choose rows.
DISPLAY_PARAMS = ("colour", "mode", "metric")
LIST_PARAMS = ("country", "admin1", "group", "event_type", "dataset", "precision")
COLOURS = ("actor", "type", "dataset")
MODES = ("points", "regions")
METRICS = ("events", "fatalities")
# ``dedupe=incident``: count each incident once (one representative per incident, see geodata/incidents.py).
DEDUPE = ("incident",)
MAX_Q_LENGTH = 200

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_GROUP_KEYS = {g.casefold(): g for g in GROUPS}
_DATASET_KEYS = {d.casefold(): d for d in DATASETS}


@dataclass(frozen=True)
class View:
    """What the user is looking at. Lists are kept sorted and de-duplicated so equal views compare equal."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    country: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    event_type: tuple[str, ...] = ()
    dataset: tuple[str, ...] = ()
    min_fatalities: int | None = None
    precision: tuple[int, ...] = ()
    q: str = ""
    bbox: tuple[float, float, float, float] | None = None
    colour: str = "actor"
    mode: str = "points"
    metric: str = "events"  # what the regions map counts
    dedupe: str = ""  # "incident": one representative per incident instead of every report
    # ``vs=A,B``: events whose two sides are these actor families, in either order (A,A: fighting within A).
    # One family alone is kept (the control is half filled in) but selects nothing until the second is given.
    vs: tuple[str, ...] = ()
    disagree: bool = False  # only events whose incident's reports disagree on the toll or the perpetrator

    def __post_init__(self) -> None:
        for name in LIST_PARAMS:
            values = getattr(self, name)
            if name == "country":
                values = (v.upper() for v in values)
            object.__setattr__(self, name, tuple(sorted(set(values))))
        # A dyad keeps a repeated family (JNIM,JNIM is fighting within JNIM); order does not matter.
        object.__setattr__(self, "vs", tuple(sorted(self.vs)))
        if self.bbox is not None:
            object.__setattr__(self, "bbox", tuple(float(v) for v in self.bbox))

    # -- parsing -----------------------------------------------------------------------------------------

    @classmethod
    def from_query(cls, query: str | Mapping[str, str | Sequence[str]] | None) -> tuple[View, list[str]]:
        """Parse a query string (with or without ``?``), a dict or a werkzeug MultiDict; never raises.

        Returns the view and one message per value that was ignored.
        """
        raw = _raw_values(query)
        values: dict[str, Any] = {}
        messages: list[str] = []
        for name in VIEW_PARAMS:
            if name not in raw:
                continue
            parsed, problems = _PARSERS[name](raw[name])
            messages.extend(f"{name}: {p}" for p in problems)
            if parsed is not None:
                values[name] = parsed
        start, end = values.get("start"), values.get("end")
        if start is not None and end is not None and start > end:
            messages.append(f"start: {start.isoformat()} is after end {end.isoformat()}; both ignored")
            del values["start"], values["end"]
        return cls(**values), messages

    @classmethod
    def from_cli(cls, ns: argparse.Namespace) -> tuple[View, list[str]]:
        """The view given by the flags of :func:`add_view_arguments`, checked exactly like a URL."""
        return view_from_args(ns)

    # -- serialising -------------------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        """The non-default parameters as URL strings, in ``VIEW_PARAMS`` order."""
        out: dict[str, str] = {}
        defaults = View()
        for name in VIEW_PARAMS:
            value = getattr(self, name)
            if value == getattr(defaults, name):
                continue
            if isinstance(value, datetime.date):
                out[name] = value.isoformat()
            elif name == "bbox":
                out[name] = ",".join(_number(v) for v in value)
            elif isinstance(value, bool):
                out[name] = "1"
            elif isinstance(value, tuple):
                out[name] = ",".join(str(v) for v in value)
            else:
                out[name] = str(value)
        return out

    def to_query(self) -> str:
        """Canonical query string (no leading ``?``): fixed order, defaults omitted, commas kept readable."""
        return "&".join(f"{k}={quote(v, safe=',-')}" for k, v in self.params().items())

    def to_args(self) -> list[str]:
        """CLI flags that give the same view through :func:`add_view_arguments`."""
        # ``--flag=value`` so values starting with '-' (a western bbox, a search for "-5") stay values.
        return [f"--{name.replace('_', '-')}={value}" for name, value in self.params().items()]

    def with_(self, **changes: Any) -> View:
        """A copy with ``changes`` applied (lists are normalised again)."""
        return replace(self, **changes)

    def filters_only(self) -> View:
        """The same rows without display choices: two views with equal filters give equal exports."""
        return replace(self, **{name: View.__dataclass_fields__[name].default for name in DISPLAY_PARAMS})

    @property
    def dyad(self) -> tuple[str, str] | None:
        """The two families of ``vs`` when both are given, else None (nothing to filter yet)."""
        return (self.vs[0], self.vs[1]) if len(self.vs) == 2 else None

    @property
    def is_filtered(self) -> bool:
        """True when any row filter is set."""
        return self.filters_only() != View()


# -- raw values ---------------------------------------------------------------------------------------------


# Bound on one address's work: a longer query string is cut (an address the page writes is far shorter).
MAX_QUERY_CHARS = 16_384


def _raw_values(query: str | Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Every parameter's raw strings, whatever the container."""
    raw: dict[str, list[str]] = {}
    if query is None or not isinstance(query, str | Mapping):  # a callback body may send anything: no filters
        return raw
    if isinstance(query, str):
        for key, value in parse_qsl(query.lstrip("?")[:MAX_QUERY_CHARS], keep_blank_values=True):
            raw.setdefault(key, []).append(value)
        return raw
    getlist = getattr(query, "getlist", None)
    for key in query:
        value = getlist(key) if callable(getlist) else query[key]
        if value is None:
            continue
        if isinstance(value, str) or not isinstance(value, Iterable):
            value = [value]
        raw[str(key)] = [str(v) for v in value if v is not None]
    return raw


def _last(values: list[str]) -> str:
    return values[-1].strip() if values else ""


def _items(values: list[str]) -> list[str]:
    """Comma-separated lists, possibly repeated (``country=ML&country=BF,NE``), stripped, empties dropped."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


# -- one parser per parameter: raw strings -> (value or None for the default, problems) --------------------


def _parse_date(values: list[str]) -> tuple[datetime.date | None, list[str]]:
    text = _last(values)
    if not text:
        return None, []
    if _DATE.match(text):
        try:
            return datetime.date.fromisoformat(text), []
        except ValueError:
            pass
    return None, [f"{text!r} is not a date (YYYY-MM-DD); ignored"]


def _parse_country(values: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    good, problems = [], []
    for item in _items(values):
        code = item.upper()
        if _ISO2.match(code):
            good.append(code)
        else:
            problems.append(f"{item!r} is not a two-letter country code (ISO 3166-1 alpha-2); ignored")
    return tuple(good), problems


def _parse_text_list(values: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    return tuple(_items(values)), []


def _known(choices: dict[str, str], what: str):
    def parse(values: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
        good, problems = [], []
        for item in _items(values):
            if item.casefold() in choices:
                good.append(choices[item.casefold()])
            else:
                problems.append(f"{item!r} is not a known {what} ({', '.join(choices.values())}); ignored")
        return tuple(good), problems

    return parse


def _parse_min_fatalities(values: list[str]) -> tuple[int | None, list[str]]:
    text = _last(values)
    if not text:
        return None, []
    if re.fullmatch(r"\+?\d{1,9}", text):
        return int(text), []
    return None, [f"{text!r} is not a whole number of at least 0; ignored"]


def _parse_precision(values: list[str]) -> tuple[tuple[int, ...] | None, list[str]]:
    good, problems = [], []
    for item in _items(values):
        if item.isdigit() and int(item) in GEO_PRECISIONS:
            good.append(int(item))
        else:
            problems.append(f"{item!r} is not a geo precision (1, 2, 3 or 4); ignored")
    return tuple(good), problems


def _parse_q(values: list[str]) -> tuple[str | None, list[str]]:
    text = " ".join(_last(values).split())
    if len(text) > MAX_Q_LENGTH:
        return text[:MAX_Q_LENGTH], [f"search text longer than {MAX_Q_LENGTH} characters; cut"]
    return text, []


def _parse_bbox(values: list[str]) -> tuple[tuple[float, float, float, float] | None, list[str]]:
    text = _last(values)
    if not text:
        return None, []
    wrong = f"{text!r} is not minlon,minlat,maxlon,maxlat"
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        return None, [f"{wrong} (4 numbers); ignored"]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None, [f"{wrong} (4 numbers); ignored"]
    if not all(math.isfinite(n) for n in numbers):
        return None, [f"{wrong} (finite numbers); ignored"]
    minlon, minlat, maxlon, maxlat = numbers
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180):
        return None, [f"{wrong}: longitudes must be within -180..180; ignored"]
    if not (-90 <= minlat <= 90 and -90 <= maxlat <= 90):
        return None, [f"{wrong}: latitudes must be within -90..90; ignored"]
    if not (minlon < maxlon and minlat < maxlat):
        return None, [f"{wrong}: the minimum must be below the maximum; ignored"]
    return (minlon, minlat, maxlon, maxlat), []


_parse_groups = _known(_GROUP_KEYS, "actor family")


def _parse_vs(values: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    """Two actor families (either order; the same one twice means fighting within it)."""
    good, problems = _parse_groups(values)
    if len(good) > 2:
        return (), [*problems, f"{','.join(good)} names {len(good)} families; a dyad is two (A,B): ignored"]
    return good, problems


def _parse_flag(values: list[str]) -> tuple[bool | None, list[str]]:
    text = _last(values).lower()
    if text in ("", "0", "false", "no"):
        return None, []
    if text in ("1", "true", "yes"):
        return True, []
    return None, [f"{_last(values)!r} is not 1 or 0; ignored"]


def _choice(choices: tuple[str, ...], otherwise: str | None = None):
    """A parser of one of ``choices``; anything else is refused, saying ``otherwise`` (by default: the first
    choice is used)."""
    def parse(values: list[str]) -> tuple[str | None, list[str]]:
        text = _last(values).lower()
        if not text:
            return None, []
        if text in choices:
            return text, []
        if otherwise is not None:
            return None, [f"{_last(values)!r} is not {' or '.join(choices)}; {otherwise}"]
        return None, [f"{_last(values)!r} is not one of {', '.join(choices)}; using {choices[0]}"]

    return parse


_parse_dedupe = _choice(DEDUPE, "counting every report")


_PARSERS = {
    "start": _parse_date,
    "end": _parse_date,
    "country": _parse_country,
    "admin1": _parse_text_list,
    "group": _parse_groups,
    "event_type": _parse_text_list,
    "dataset": _known(_DATASET_KEYS, "dataset"),
    "min_fatalities": _parse_min_fatalities,
    "precision": _parse_precision,
    "q": _parse_q,
    "bbox": _parse_bbox,
    "colour": _choice(COLOURS),
    "mode": _choice(MODES),
    "metric": _choice(METRICS),
    "dedupe": _parse_dedupe,
    "vs": _parse_vs,
    "disagree": _parse_flag,
}


def _number(value: float) -> str:
    """Shortest exact text for a float: 2.0 -> '2', -5.5 -> '-5.5'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- command line -------------------------------------------------------------------------------------------

_FLAGS = {name: "--" + name.replace("_", "-") for name in VIEW_PARAMS}
_FLAGS["q"] = "-q"
_HELP = {
    "start": "first day, YYYY-MM-DD (events overlapping the window are kept)",
    "end": "last day, YYYY-MM-DD",
    "country": "ISO2 country codes, comma-separated (ML,BF,NE)",
    "admin1": "admin-1 region names, comma-separated",
    "group": "actor families, comma-separated (" + ", ".join(GROUPS) + ")",
    "event_type": "event types, comma-separated",
    "dataset": "datasets, comma-separated (" + ", ".join(DATASETS) + ")",
    "min_fatalities": "keep events with at least this many known fatalities",
    "precision": "geo precisions 1-4, comma-separated",
    "q": "free text searched in place, notes and actors",
    "bbox": "minlon,minlat,maxlon,maxlat",
    "colour": "map colours: actor, type or dataset",
    "mode": "map mode: points or regions",
    "metric": "what the regions map counts: events or fatalities",
    "vs": "two actor families fighting each other, either order (JNIM,ISGS)",
    "disagree": "1: only events whose reports disagree on the toll or the perpetrator",
    "dedupe": "'incident' counts each incident once: one representative of its linked reports",
}


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one flag per view parameter; values stay strings so they are checked exactly like URL values."""
    for name in VIEW_PARAMS:
        flags = [_FLAGS[name]] + (["--q"] if name == "q" else [])
        # A value starting with '-' (a western bbox) must be written --bbox=-5,10,2,16.
        parser.add_argument(*flags, dest=f"view_{name}", metavar=name.upper(), help=_HELP[name])


def view_from_args(ns: argparse.Namespace) -> tuple[View, list[str]]:
    """The view given by parsed :func:`add_view_arguments` flags, and messages for ignored values."""
    values = {name: getattr(ns, f"view_{name}") for name in VIEW_PARAMS if getattr(ns, f"view_{name}", None)}
    return View.from_query(values)

