"""UCDP Georeferenced Event Dataset (GED) CSV -> canonical events.

Required columns: id, type_of_violence, side_a, side_b, where_prec, where_coordinates, adm_1, latitude,
longitude, country, date_prec, date_start, date_end, best, low, high. Optional (NA when absent):
dyad_name, adm_2, source_article. The other ~30 GED columns are kept in ``raw`` only.

Mappings (UCDP codebook -> ours):
- date_prec 1 exact day -> day; 2 within 2-6 days and 3 within a week -> week; 4 within a month -> month;
  5 within the calendar year -> year. UCDP's own date_start/date_end are the range (time of day dropped).
- where_prec 1 exact place -> 1; 2 within 25 km of a place and 3 the admin-2 unit -> 2; 4 the admin-1
  unit -> 3; 5 a larger area, 6 the country, 7 airspace or waters -> 4.
- type_of_violence 1 state-based and 2 non-state -> event_type "Battles"; 3 one-sided -> "Violence
  against civilians"; sub_event_type keeps UCDP's own term ("State-based conflict", ...).
- actor1 = side_a, actor2 = side_b (families via :mod:`geodata.actors`; UCDP's "IS" here is ISGS).
- best/low/high -> fatalities/_low/_high; source = source_article, kept whole; notes = dyad_name.
- source_admin1 = adm_1 as written ("Mopti region"): the pipeline's comparison normalises it.
- source_country_iso2 from ``country`` (English name), else ``country_id`` (Gleditsch-Ward number, 432 = Mali).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.importers.common import (
    Parsed,
    actor_columns,
    blank_to_na,
    canonical,
    iso2_from_name,
    join_problems,
    parse_dates,
    parse_numbers,
    read_columns,
)

REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
)
OPTIONAL = ("dyad_name", "adm_2", "source_article", "country_id")
# UCDP's country_id is the Gleditsch-Ward number, not ISO: those of the covered countries.
GW_CODES = {
    "432": "ML", "439": "BF", "436": "NE", "435": "MR", "615": "DZ", "433": "SN", "438": "GN",
    "437": "CI", "452": "GH", "461": "TG", "434": "BJ", "475": "NG", "483": "TD", "620": "LY",
}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
DATE_PRECISIONS = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
WHERE_PRECISIONS = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 4}
VIOLENCE = {
    "1": ("Battles", "State-based conflict"),
    "2": ("Battles", "Non-state conflict"),
    "3": ("Violence against civilians", "One-sided violence"),
}


def read_ucdp(path: Path, *, progress: bool = True) -> Parsed:
    """Read a UCDP GED CSV; bad values become NA plus an entry in ``problems`` (the row is kept)."""
    path = Path(path)
    table, text = read_columns(path, required=REQUIRED, optional=OPTIONAL, kind="UCDP GED", progress=progress)
    raw = table.raw

    event_id = blank_to_na(text["id"])
    start, start_problems = parse_dates(text["date_start"], DATE_FORMATS, "date_start")
    end, end_problems = parse_dates(text["date_end"], DATE_FORMATS, "date_end")
    precision, precision_problems = _coded(text["date_prec"], DATE_PRECISIONS, "date_prec")
    geo_precision, geo_problems = _coded(text["where_prec"], WHERE_PRECISIONS, "where_prec")
    violence = text["type_of_violence"].astype("string").str.strip()
    event_type, violence_problems = _coded(violence, {k: v[0] for k, v in VIOLENCE.items()}, "type_of_violence")
    sub_event_type = violence.map({k: v[1] for k, v in VIOLENCE.items()}).astype("string")
    latitude, latitude_problems = parse_numbers(text["latitude"], "latitude")
    longitude, longitude_problems = parse_numbers(text["longitude"], "longitude")
    best, best_problems = parse_numbers(text["best"], "best", whole=True)
    low, low_problems = parse_numbers(text["low"], "low", whole=True)
    high, high_problems = parse_numbers(text["high"], "high", whole=True)
    actor1, actor2 = blank_to_na(text["side_a"]), blank_to_na(text["side_b"])
    country = blank_to_na(text["country"])

    problems = join_problems(
        [
            table.problems,
            pd.Series("id: is empty", index=raw.index[event_id.isna()], dtype=object),
            start_problems,
            end_problems,
            precision_problems,
            geo_problems,
            violence_problems,
            latitude_problems,
            longitude_problems,
            best_problems,
            low_problems,
            high_problems,
        ]
    )
    events = canonical(
        {
            "event_id": "ucdp:" + event_id,
            "dataset": "ucdp",
            "date_start": start.dt.normalize(),
            "date_end": end.dt.normalize(),
            "date_precision": precision,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            **actor_columns(actor1, actor2),
            "fatalities": best,
            "fatalities_low": low,
            "fatalities_high": high,
            "location": blank_to_na(text["where_coordinates"]),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": geo_precision,
            "source_admin1": blank_to_na(text["adm_1"]),
            "source": blank_to_na(text["source_article"]),
            "notes": blank_to_na(text["dyad_name"]),
            "source_country": country,
            "source_country_iso2": iso2_from_name(country).fillna(_gw_country(text["country_id"])),
            "source_admin2": blank_to_na(text["adm_2"]),
        },
        raw.index,
    )
    return Parsed(path=path, events=events, raw=raw, problems=problems, n_read=len(raw), notices=table.notices)


def _gw_country(codes: pd.Series) -> pd.Series:
    """ISO alpha-2 of a Gleditsch-Ward country number (``432`` -> ML), NA when unknown."""
    number = pd.to_numeric(codes.astype("string").str.strip(), errors="coerce").astype("Int64")
    return number.astype("string").map(GW_CODES).astype("string")


def _coded(values: pd.Series, mapping: dict[str, object], field_name: str) -> tuple[pd.Series, pd.Series]:
    """Map a code column through ``mapping``; codes outside it are NA and a problem naming the allowed ones."""
    code = values.astype("string").str.strip()
    mapped = code.map(mapping)
    bad = mapped.isna()
    allowed = ", ".join(mapping)
    problems = (field_name + ": '" + code[bad].fillna("") + f"' is not one of {allowed}").astype(object)
    return mapped, problems
