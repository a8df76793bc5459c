"""The one canonical event schema: every importer maps its source into these columns.

The store, the dashboard and the exports all rely on the names, dtypes and meanings below.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geodata.geo import CRS, FOCUS, NEIGHBOURS

COUNTRIES = FOCUS + NEIGHBOURS

DATASETS = ("seed", "curated", "text", "acled", "ucdp", "synthetic", "upload")
DATE_PRECISIONS = ("day", "week", "month", "quarter", "year")
GROUPS = (
    "JNIM",
    "ISGS",
    "Ansarul Islam",
    "Lake Chad jihadists",
    "State forces",
    "Wagner Group",
    "Militia",
    "Civilians",
    "Other",
)
GEO_PRECISIONS = {
    1: "the place itself",
    2: "near the place or its district",
    3: "admin-1 region",
    4: "country or border area",
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its pandas dtype and what it means."""

    name: str
    dtype: str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "string", "unique id prefixed by its source: acled:MLI123, ucdp:456, seed:3, curated:7"),
    Column("dataset", "string", "where the event came from: " + " | ".join(DATASETS)),
    Column("date_start", "datetime64[ms]", "first day the event may have happened"),
    Column("date_end", "datetime64[ms]", "last day the event may have happened"),
    Column("date_precision", "string", "how exact the dates are: " + " | ".join(DATE_PRECISIONS)),
    Column("event_type", "string", "ACLED-style event type (Battles, Violence against civilians, ...)"),
    Column("sub_event_type", "string", "finer event type, as the source gives it"),
    Column("actor1", "string", "first actor, as the source names it"),
    Column("actor2", "string", "second actor, as the source names it"),
    Column("group1", "string", "actor1's normalised family: " + ", ".join(GROUPS)),
    Column("group2", "string", "actor2's normalised family: " + ", ".join(GROUPS)),
    Column("fatalities", "Int64", "best fatality figure; NA when unknown (never 0 for unknown)"),
    Column("fatalities_low", "Int64", "lowest reported fatality figure, NA when unknown"),
    Column("fatalities_high", "Int64", "highest reported fatality figure, NA when unknown"),
    Column("location", "string", "place name as the source gives it"),
    Column("latitude", "float64", "WGS84 latitude of the event point"),
    Column("longitude", "float64", "WGS84 longitude of the event point"),
    Column("geo_precision", "Int64", "1 the place, 2 near it or its district, 3 admin-1 region, 4 country or border"),
    Column("country_iso2", "string", "ISO 3166-1 alpha-2 country of the point, from our boundary join"),
    Column("admin1", "string", "admin-1 region of the point, from our boundary join (NA outside ML/BF/NE)"),
    Column("admin2", "string", "admin-2 unit of the point when the boundary file has that level"),
    Column("source_admin1", "string", "admin-1 as the source gave it, kept for comparison"),
    Column("source", "string", "who reported it (the text's reference number, ACLED's sources, UCDP's article)"),
    Column("source_url", "string", "public address of the source, when known"),
    Column("notes", "string", "the source's description; for text events, the sentence itself"),
    Column("source_country_iso2", "string", "country the source names for the event (ACLED iso/country, UCDP country)"),
    Column("source_admin2", "string", "admin-2 as the source gave it, kept for comparison"),
    Column("source_event_type", "string", "event type exactly as the source gave it (old ACLED types are mapped)"),
    Column("source_timestamp", "Int64", "the source's revision time (ACLED timestamp, Unix seconds); newer replaces"),
    Column("geo_note", "string", "why country/admin units are not simply the point's (border rule), else NA"),
    # Incidents (geodata/incidents.py): reports of one incident in different datasets share an incident_id.
    Column("incident_note", "string", "what the incident's reports disagree on (sources differ on the perpetrator: "
           "JNIM (UCDP); ISGS/Ansarul Islam (ACLED)); NA when they agree"),
    Column("incident_id", "string", "the incident of this report: its representative's event_id (its own when alone)"),
    Column("incident_size", "Int64", "how many reports (events of different datasets) the incident has"),
    Column("incident_score", "float64", "score (0-1) of the event's best link to another report; NaN when alone"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
DTYPES: dict[str, str] = {c.name: c.dtype for c in COLUMNS}
DATE_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype.startswith("datetime"))
TEXT_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == "string")


# Any column beyond the canonical ones (an importer's or the text extractor's extras, e.g. ``date_basis``), as every
# store reads it back: text with NA for missing values (PostGIS keeps such columns as text).
EXTRA_DTYPE = "string"


def read_dtypes(columns: Iterable[str]) -> dict[str, str]:
    """The dtype of each of ``columns`` as every store's reader returns it: DTYPES for the canonical columns,
    EXTRA_DTYPE for the others (the geometry aside). The one place both backends take their dtypes from."""
    return {str(c): DTYPES.get(str(c), EXTRA_DTYPE) for c in columns if c != "geometry"}


def as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column in its :func:`read_dtypes` dtype (columns already so are left as they are): what
    both store backends' readers return, so a GeoParquet and a PostGIS store of the same events read equal."""
    for name, dtype in read_dtypes(frame.columns).items():
        if frame[name].dtype != pd.api.types.pandas_dtype(dtype):
            frame[name] = _cast(frame[name], dtype)
    return frame


def empty_events() -> gpd.GeoDataFrame:
    """An event frame with every canonical column and no rows."""
    return conform(pd.DataFrame({name: [] for name in COLUMN_NAMES}))


def conform(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` with the canonical columns first, in canonical dtypes, and a point geometry.

    Missing canonical columns are added as NA; extra columns are kept after them. The geometry is
    rebuilt from ``longitude``/``latitude`` so it can never disagree with them.
    """
    out = cast_columns(frame)
    extras = [c for c in frame.columns if c not in DTYPES and c != "geometry"]
    for name in extras:
        out[name] = frame[name]
    geometry = gpd.points_from_xy(out["longitude"], out["latitude"], crs=CRS)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=CRS)


def cast_columns(frame: pd.DataFrame, keep: Collection[str] = ()) -> pd.DataFrame:
    """Only the canonical columns of ``frame``, in canonical order and dtypes (missing ones as NA), same index.

    Columns named in ``keep`` are passed through as they are (e.g. text already read as categoricals).
    """
    out = pd.DataFrame(index=frame.index)
    for column in COLUMNS:
        values = frame[column.name] if column.name in frame else pd.Series(pd.NA, index=frame.index)
        out[column.name] = values if column.name in keep else _cast(values, column.dtype)
    return out


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime"):
        return pd.to_datetime(values, errors="coerce").astype(dtype).dt.normalize()
    if dtype == "Int64":
        return pd.to_numeric(values, errors="coerce").round().astype("Int64")
    if dtype == "float64":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    return values.astype("string")
