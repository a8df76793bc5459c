"""One view -> rows -> CSV or GeoJSON text, streamed in chunks; the HTTP routes and the CLI both use these.

CSV goes through the one CSV writer (geodata/safecsv.py): cells that a spreadsheet would run as a formula get a
leading ``'`` (OWASP "CSV injection"), text is always quoted, numbers are never touched.
GeoJSON is written column by column with Arrow string kernels, never by ``json.dumps`` on one dict per row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.model.events import EventData
from dashboard.model.view import View
from geodata import safecsv
from geodata.schema import COLUMN_NAMES, DATE_COLUMNS, TEXT_COLUMNS

# What an export adds to the canonical columns, from the store's incident index: how many reports the incident
# has, which datasets report it, and whether they disagree (1) or not (0) on the toll or the perpetrator
# (actor1's family).
REPORT_COLUMNS: tuple[str, ...] = ("reports", "report_datasets", "sources_disagree")
EXPORT_COLUMNS: tuple[str, ...] = (*(c for c in COLUMN_NAMES if c != "geometry"), *REPORT_COLUMNS)
CANONICAL_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMN_NAMES if c != "geometry")
FORMATS = ("csv", "geojson")
CHUNK_ROWS = 50_000
# A GeoJSON row is ~3x a CSV row; 20,000 features are ~15 MB of text per chunk.
GEOJSON_CHUNK_ROWS = 20_000
FILE_STEM = "sahel-events"
MAX_STEM = 200  # file names stay under the 255 bytes every common file system allows
FORMULA_START = safecsv.FORMULA_START  # also catches BOM/zero-width/quote-led and full-width variants
# RFC 4180 line ends.
CSV_EOL = safecsv.EOL
# JSON strings: what must be escaped (RFC 8259), plus "</" so the text is safe inside an HTML <script>.
JSON_RISKY = r'[\\"\x00-\x1f]|</'
JSON_CONTROL = r"[\x00-\x1f]"
JSON_ESCAPES = (
    ("\\", "\\\\"),
    ('"', '\\"'),
    ("\n", "\\n"),
    ("\r", "\\r"),
    ("\t", "\\t"),
    ("\b", "\\b"),
    ("\f", "\\f"),
    ("</", "<\\/"),
)
NULL = pa.scalar("null", pa.large_string())
EMPTY = pa.scalar("", pa.large_string())


def export_rows(data: EventData, view: View) -> pd.DataFrame:
    """The view's events in canonical columns and dtypes (categoricals back to text), date-sorted."""
    rows = data.rows(view)
    frame = _categories_as_text(data.take(rows, list(CANONICAL_COLUMNS)))
    return _with_reports(data, rows, _incident_figures(data, view, rows, frame))


def _with_reports(data: EventData, rows: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (the events at ``rows``) with :data:`REPORT_COLUMNS` appended."""
    index = data.incidents
    if index is None or not len(index.size):
        size, names = np.ones(len(rows), dtype="int64"), frame["dataset"].astype("string").to_numpy()
        disagree = np.zeros(len(rows), dtype=bool)
    else:
        size = index.size[rows].astype("int64")
        names = pd.array(np.asarray(index.dataset_labels, dtype=object)[index.datasets[rows]], dtype="string")
        disagree = index.disagree[rows]
    return frame.assign(reports=pd.array(size, dtype="Int64"), report_datasets=pd.array(names, dtype="string"),
                        sources_disagree=pd.array(disagree.astype("int64"), dtype="Int64"))


def _incident_figures(data: EventData, view: View, rows: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """With ``dedupe=incident`` each linked row stands for its incident: fatalities_low and fatalities_high become
    the smallest and largest best figure among the incident's reports (best stays the representative's)."""
    index = data.incidents
    if view.dedupe != "incident" or index is None or not len(rows):
        return frame
    linked = index.code[rows] >= 0
    if not linked.any():
        return frame
    out = frame.copy()
    for name, figures in (("fatalities_low", index.low), ("fatalities_high", index.high)):
        own = out[name].to_numpy(dtype="float64", na_value=np.nan)
        out[name] = pd.array(np.where(linked, figures[rows], own), dtype="Float64").astype("Int64")
    return out


def _chunks(data: EventData, view: View, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The view's rows in export columns, ``chunk_rows`` at a time: only one chunk is ever copied out of the
    store, so memory does not grow with the number of rows exported."""
    rows = data.rows(view)
    for start in range(0, len(rows), chunk_rows):
        chunk = rows[start : start + chunk_rows]
        frame = _categories_as_text(data.frame[list(CANONICAL_COLUMNS)].take(chunk))
        yield _with_reports(data, chunk, _incident_figures(data, view, chunk, frame))


def _categories_as_text(rows: pd.DataFrame) -> pd.DataFrame:
    categories = [c for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)]
    return rows.astype({c: "string" for c in categories}) if categories else rows


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells starting like a spreadsheet formula are prefixed with ``'`` (geodata/safecsv.py)."""
    return safecsv.neutralise(frame, TEXT_COLUMNS)


def iter_csv(data: EventData, view: View, chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """CSV text of the view (RFC 4180, encode as UTF-8): the header, then one string per chunk of rows.

    Written by pyarrow (five times faster than ``DataFrame.to_csv``): text is always quoted, numbers never,
    and a missing value is an empty field. Only one chunk at a time is ever turned into text.
    """
    yield safecsv.header_line(EXPORT_COLUMNS)
    for rows in _chunks(data, view, chunk_rows):
        chunk = rows.copy()
        for name in DATE_COLUMNS:
            chunk[name] = chunk[name].dt.strftime("%Y-%m-%d")
        yield safecsv.rows_text(chunk)  # the one CSV writer: neutralises every text cell, quotes all text


def iter_geojson(data: EventData, view: View, chunk_rows: int = GEOJSON_CHUNK_ROWS) -> Iterator[str]:
    """A GeoJSON FeatureCollection of the view: points from longitude/latitude, canonical columns as properties.

    Each chunk of rows becomes one string, built column by column with Arrow string kernels (no per-row
    Python): about 10 times faster than ``GeoDataFrame.to_json`` (``python -m bench.bench_export``). Events
    without both coordinates get a null geometry (valid GeoJSON) and keep their properties.
    """
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for rows in _chunks(data, view, chunk_rows):
        features = _features_utf8(rows)
        yield separator + str(features[:-1], "utf-8")  # every feature ends with a comma; the last one's is cut
        separator = ","
    yield "]}\n"


def _features_utf8(rows: pd.DataFrame) -> pa.Buffer:
    """UTF-8 text of one GeoJSON Feature per row, each followed by a comma."""
    numbers = {name: json_numbers(rows[name]) for name in ("longitude", "latitude")}
    lon, lat = numbers["longitude"], numbers["latitude"]
    located = pc.and_(pc.not_equal(lon, NULL), pc.not_equal(lat, NULL))
    point = pc.if_else(located, _join('{"type":"Point","coordinates":[', lon, ",", lat, "]}"), NULL)
    parts: list[Any] = ['{"type":"Feature","geometry":', point, ',"properties":{']
    for i, name in enumerate(rows.columns):
        value = numbers[name] if name in numbers else json_values(rows[name])
        parts += [("," if i else "") + json.dumps(name) + ":", value]
    parts.append("}},")
    features = _join(*parts)
    offsets = np.frombuffer(features.buffers()[1], dtype=np.int64)
    first, last = offsets[features.offset], offsets[features.offset + len(features)]
    return features.buffers()[2][first:last]


def _join(*parts: Any) -> pa.Array:
    """Element-wise concatenation of string arrays and literals; adjacent literals are merged first."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    literals = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in merged]
    return pc.binary_join_element_wise(*literals, EMPTY)


def json_values(values: pd.Series) -> pa.Array:
    """Each value as JSON text (Arrow large_string, never null): dates as "YYYY-MM-DD", integers bare, NA null."""
    if pd.api.types.is_datetime64_any_dtype(values):
        days = pa.array(values.to_numpy().astype("datetime64[D]"), from_pandas=True)
        return _per_distinct(pc.dictionary_encode(days), lambda d: _quoted(pc.cast(d, pa.large_string())))
    if pd.api.types.is_float_dtype(values):
        return json_numbers(values)
    if pd.api.types.is_integer_dtype(values):
        return pc.fill_null(pc.cast(_arrow(values), pa.large_string()), NULL)
    array = _arrow(values)
    if not isinstance(array, pa.DictionaryArray):
        text = pc.cast(array, pa.large_string())
        array = pc.dictionary_encode(text)
        if 2 * len(array.dictionary) > len(array):  # mostly distinct (ids, notes): encoding would not pay
            return json_strings(text)
    # Few distinct values (a categorical, actor names, places): each is escaped once.
    return _per_distinct(array, lambda d: json_strings(pc.cast(d, pa.large_string())))


def _per_distinct(encoded: pa.DictionaryArray, to_json: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """JSON text of each distinct value worked out once, then picked by index; NA as null."""
    return pc.fill_null(pc.take(to_json(encoded.dictionary), encoded.indices), NULL)


def json_numbers(values: pd.Series) -> pa.Array:
    """Floats as the shortest text that reads back exactly (15.5571, 17.0); NaN, infinities and NA as null."""
    floats = values.to_numpy(dtype="float64", na_value=np.nan)
    text = pc.cast(pa.array(floats), pa.large_string())
    # Arrow writes 17.0 as "17" (and 1e10 as "1e+10", which reads back as a float already).
    with np.errstate(invalid="ignore"):
        whole = pc.and_(pa.array(floats == np.trunc(floats)), pc.invert(pc.match_substring(text, "e")))
    text = pc.if_else(whole, _join(text, ".0"), text)
    return pc.if_else(np.isfinite(floats), text, NULL)


def json_strings(text: pa.Array) -> pa.Array:
    """JSON string literals (null for NA); only the values that need escaping go through the escape passes."""
    risky = pc.fill_null(pc.match_substring_regex(text, JSON_RISKY), False)
    if pc.any(risky).as_py():
        escaped = pc.filter(text, risky)
        for char, escape in JSON_ESCAPES:
            escaped = pc.replace_substring(escaped, char, escape)
        if pc.any(pc.match_substring_regex(escaped, JSON_CONTROL)).as_py():
            for code in range(0x20):
                escaped = pc.replace_substring(escaped, chr(code), f"\\u{code:04x}")
        text = pc.replace_with_mask(text, risky, escaped)
    return _quoted(text)


def _arrow(values: pd.Series) -> pa.Array:
    """The values as one Arrow array (a pandas column may hold several chunks)."""
    array = pa.array(values, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _quoted(text: pa.Array) -> pa.Array:
    return pc.fill_null(_join('"', text, '"'), NULL)


def iter_export(data: EventData, view: View, fmt: str) -> Iterator[str]:
    """The chunks of ``fmt`` ('csv' or 'geojson') for the view."""
    if fmt == "csv":
        return iter_csv(data, view)
    if fmt == "geojson":
        return iter_geojson(data, view)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def export_filename(view: View, fmt: str, data: EventData | None = None) -> str:
    """``sahel-events_<start>_<end>[_<filter>-<value>...].<fmt>``: unset ends come from ``data``'s dates, else
    ``all``; then every other row filter of the view in URL order (``_vs-ISGS+JNIM_min_fatalities-10``), reduced
    to letters, digits, '.', '+' and '-' so any file system takes it, and cut to a length every one allows."""
    bounds = data.date_range() if data is not None else None
    start = view.start or (bounds[0] if bounds else None)
    end = view.end or (bounds[1] if bounds else None)
    if start is None and end is None:
        stem = f"{FILE_STEM}_all"
    else:
        stem = f"{FILE_STEM}_{start.isoformat() if start else 'all'}_{end.isoformat() if end else 'all'}"
    params = view.filters_only().params()
    for name, value in params.items():
        if name in ("start", "end"):
            continue
        text = unicodedata.normalize("NFKD", value.replace(",", "+")).encode("ascii", "ignore").decode("ascii")
        text = re.sub(r"[^0-9A-Za-z.+-]+", "-", re.sub(r"^[^0-9A-Za-z.+-]+|[^0-9A-Za-z.+-]+$", "", text))
        stem += f"_{name}-{text}"
    return f"{stem[:MAX_STEM]}.{fmt}"
