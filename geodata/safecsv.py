"""The one CSV writer for every file we produce (export, quarantine, revisions, admin differences, incidents).

Spreadsheets run a cell as a formula (OWASP "CSV injection") when, after characters they strip or ignore, it
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, or a full-width or small-form variant of them
(``＝``, ``＋``, ``－``, ``＠``, ``﹦``, ``﹢``, ``﹣``, ``−``). Ignored leads are spaces, controls, quotes and every
invisible or format character (the Unicode Cf category: BOM, soft hyphen, Arabic letter mark, Mongolian vowel
separator, zero-width characters, word joiner, bidi marks...). Such cells get a leading ``'``; so does every line
inside a cell (after a CR, LF or other line break) that starts the same way, so no physical line of a file does.

Files are UTF-8 (no BOM), RFC 4180: text is always quoted (a CR or LF inside a cell can never split a row),
numbers never, a missing value is an empty field, lines end with CRLF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

EOL = "\r\n"
ENCODING = "utf-8"

# Unicode 14-15's format characters (category Cf); tests/test_safecsv.py checks this covers unicodedata's list.
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Other characters a reader may show as nothing: Hangul fillers, combining grapheme joiner, variation selectors.
INVISIBLE_CHARS = "\u034f\u115f\u1160\u180b-\u180d\u3164\ufe00-\ufe0f\uffa0"
# Line breaks as str.splitlines and spreadsheet importers see them.
BREAK_CHARS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
# Spaces, controls and quotes that may come before a formula's lead.
SPACE_CHARS = (
    "\x00-\x09\x0e-\x1b\x1f\x20\x7f-\x84\x86-\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
    "'\"\u2018\u2019\u201c\u201d\uff02\uff07"
)
LEAD_CHARS = "=+\\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\u2212\u207a\u208a\u207c\u208c"

# A cell or line that already starts with our ``'`` is safe as it is: writing never prefixes twice, so files
# read back and written again (the quarantine and revisions are appended to) do not change.
_SKIP = f"{SPACE_CHARS}{FORMAT_CHARS}{INVISIBLE_CHARS}"
_FIRST = _SKIP.replace("'", "")
_LINE_LEADS = LEAD_CHARS.replace("\r", "")
FORMULA_START = f"^(?:[{LEAD_CHARS}]|[{_FIRST}{BREAK_CHARS}][{_SKIP}{BREAK_CHARS}]*[{LEAD_CHARS}])"
# A line inside a cell that starts like a formula: the break, then what the line starts with (CR is a break).
LINE_START = f"([{BREAK_CHARS}])([{_LINE_LEADS}]|[{_FIRST}][{_SKIP}]*[{_LINE_LEADS}])"
_HAS_BREAK = f"[{BREAK_CHARS}]"
# Header names (ours, or an uploaded file's) are quoted only when they must be.
_HEADER_QUOTE = re.compile(f'[",{BREAK_CHARS}]|^\\s|\\s$')


def risky(text: pd.Series) -> pd.Series:
    """Boolean mask of text cells that start like a formula (missing values are not risky)."""
    return text.astype("string").str.contains(FORMULA_START, regex=True).fillna(False).astype(bool)


def neutralise_text(text: pd.Series) -> pd.Series:
    """``text`` (as pandas strings) with a ``'`` before each risky cell and each risky line inside a cell."""
    text = text.astype("string")
    mask = risky(text)
    if mask.any():
        text = text.mask(mask, "'" + text)
    broken = text.str.contains(_HAS_BREAK, regex=True).fillna(False).astype(bool)
    if broken.any():
        text = text.mask(broken, text[broken].str.replace(LINE_START, r"\1'\2", regex=True))
    return text


def _is_text(values: pd.Series) -> bool:
    return (pd.api.types.is_string_dtype(values) or values.dtype == object
            or isinstance(values.dtype, pd.CategoricalDtype))


def neutralise(frame: pd.DataFrame, columns: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (in ``columns``, default all) are neutralised (see the module)."""
    out = frame.copy()
    for name in out.columns if columns is None else [c for c in columns if c in out]:
        if _is_text(out[name]):
            text = out[name].astype("string")
            safe = neutralise_text(text)
            if not safe.equals(text):
                out[name] = safe
    return out


def _as_written(values: pd.Series) -> pd.Series:
    """One column as the writer takes it: numbers and booleans as they are, dates as ISO text, the rest text."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        whole_days = bool((dates.dropna() == dates.dropna().dt.normalize()).all())
        return dates.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M:%S").astype("string")
    return neutralise_text(values.astype("string"))


def header_names(columns: Iterable[object]) -> list[str]:
    """Column names as the header row writes them: neutralised like cells (an uploaded file names its own)."""
    return neutralise_text(pd.Series([str(c) for c in columns], dtype="string")).tolist()


def header_line(columns: Iterable[object]) -> str:
    """The header row: names neutralised like cells, quoted where they must be."""
    names = header_names(columns)
    quoted = ['"' + n.replace('"', '""') + '"' if _HEADER_QUOTE.search(n) else n for n in names]
    return ",".join(quoted) + EOL


def rows_text(frame: pd.DataFrame) -> str:
    """The rows of ``frame`` (no header) as CSV text; written by pyarrow, which quotes every text value."""
    if frame.empty:
        return ""
    arrays = [pa.array(_as_written(frame.iloc[:, i]), from_pandas=True) for i in range(frame.shape[1])]
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(frame.shape[1])])
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed", eol=EOL))
    return buffer.getvalue().decode(ENCODING)


def csv_text(frame: pd.DataFrame) -> str:
    """The whole of ``frame`` (header, then rows; the index is not written) as CSV text."""
    return header_line(frame.columns) + rows_text(frame)


def write(frame: pd.DataFrame, path: Path | str) -> None:
    """Write ``frame`` to ``path`` as UTF-8 CSV (callers make it atomic: store.stage_or_write, _atomic_write)."""
    Path(path).write_bytes(csv_text(frame).encode(ENCODING))
