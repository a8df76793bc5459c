"""Name normalisation shared by the gazetteer, the actor table and the text rules.

Two spellings that differ only by case, diacritics, hyphens, apostrophes or spacing get one key.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by callers of normalise_series only: a warm geocode never loads it
    import pandas as pd

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """Key for matching: 'Fada N’Gourma' and 'fada-ngourma' both give 'fadangourma'."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").casefold()
    return _NON_ALNUM.sub("", ascii_only)


def normalise_words(name: str) -> str:
    """Like :func:`normalise` but keeps single spaces between words, for phrase matching."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").casefold()
    ascii_only = re.sub(r"['’`]", "", ascii_only)
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def normalise_series(names: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise` over a Series (NA stays NA); computed once per distinct value."""
    uniques = names.dropna().unique()
    keys = {value: normalise(value) for value in uniques}
    return names.map(keys).astype("string")


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT, without importing pandas (for the geocoder's warm path)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NAType", "NaTType")
