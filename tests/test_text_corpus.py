"""The own corpus (seeds/corpus: texts written for the project in the styles of wire copy, local press,
encyclopedias and bulletins, with gold events written before extraction) scored in CI: a regression in the text
reader shows here as a fall below the level it reached. Cheap: one extraction per text, a few seconds."""

from __future__ import annotations

import time

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import evaluate

# The level reached when this floor was set (issue 18); raise it when the reader gets better, never lower it.
F1_FLOOR = 0.78
PRECISION_FLOOR = 0.83
RECALL_FLOOR = 0.74
ACTORS_FLOOR = 0.95
TOLL_FLOOR = 0.80


def test_own_corpus_stays_at_or_above_its_floor():
    settings = Settings()
    started = time.perf_counter()
    score = evaluate(settings.seeds_dir / "corpus", Geocoder.from_settings(settings))
    seconds = time.perf_counter() - started
    report = "\n".join(score.lines())
    assert score.texts >= 60 and score.gold >= 100, report
    assert round(score.f1, 2) >= F1_FLOOR, report
    assert round(score.precision, 2) >= PRECISION_FLOOR and round(score.recall, 2) >= RECALL_FLOOR, report
    assert round(score.actors, 2) >= ACTORS_FLOOR and round(score.toll, 2) >= TOLL_FLOOR, report
    assert seconds < 60, f"the own corpus took {seconds:.0f} s to score"
