"""CSV cells a spreadsheet would run as a formula (OWASP "CSV injection"), shared by the export and the quarantine.

A cell is risky when, after any spaces, invisible characters (BOM U+FEFF, zero-width U+200B-U+200D, word joiner)
or quotes, it starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, or a full-width or small-form
variant of them (``＝``, ``＋``, ``－``, ``＠``, ``﹦``, ``﹢``, ``﹣``, ``−``): spreadsheets strip or normalise those
before deciding. Risky cells get a leading ``'``.
"""

from __future__ import annotations

import pandas as pd

_LEADING = r"[\s\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff'\"\u2018\u2019\u201c\u201d\uff02\uff07]*"
_FORMULA = r"[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\u2212\u207a\u208a\u207c\u208c]"
FORMULA_START = "^" + _LEADING + _FORMULA


def risky(text: pd.Series) -> pd.Series:
    """Boolean mask of text cells that start like a formula (missing values are not risky)."""
    return text.astype("string").str.contains(FORMULA_START, regex=True).fillna(False).astype(bool)


def neutralise(frame: pd.DataFrame, columns: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` whose risky text cells (in ``columns``, default all) start with ``'``."""
    out = frame.copy()
    for name in out.columns if columns is None else [c for c in columns if c in out]:
        values = out[name]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object
                or isinstance(values.dtype, pd.CategoricalDtype)):
            continue
        text = values.astype("string")
        mask = risky(text)
        if mask.any():
            out[name] = text.mask(mask, "'" + text)
    return out
