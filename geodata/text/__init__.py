"""Events from English reporting: one entry point for reading texts and scoring the reader.

``extract_events`` reads one document into cited events and held-back sentences (``extract``, with ``dates``,
``actors``, ``tolls`` and ``rules`` reading single sentences); ``evaluate`` scores the reader on a labelled folder
(``scoring``).
"""

from geodata.text.extract import BASIS_COLUMNS, REJECTED_COLUMNS, Extraction, extract_events, split_sentences
from geodata.text.scoring import Score, evaluate, read_gold

__all__ = [
    "BASIS_COLUMNS", "REJECTED_COLUMNS", "Extraction", "Score", "evaluate", "extract_events", "read_gold",
    "split_sentences",
]  # fmt: skip
