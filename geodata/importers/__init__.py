"""Readers for event files: ACLED and UCDP GED exports and our curated CSV, each into canonical events."""

from geodata.importers.acled import read_acled
from geodata.importers.common import (
    EncodingError,
    HeaderTooWideError,
    MalformedCSVError,
    MissingColumnsError,
    Parsed,
)
from geodata.importers.curated import read_curated
from geodata.importers.ucdp import read_ucdp

__all__ = [
    "EncodingError",
    "HeaderTooWideError",
    "MalformedCSVError",
    "MissingColumnsError",
    "Parsed",
    "read_acled",
    "read_curated",
    "read_ucdp",
]
