"""``python -m geodata evaluate DIR`` on a folder with ``labels.csv``: one-to-one matching within the label's
tolerance, one day of date slack, no whole-year guess for a day, ``--date-from-labels``, actors and toll shares.
The texts are our own, written for these tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geodata.places.geocode import Geocoder
from geodata.settings import Settings
from geodata.text import evaluate
from geodata.text.scoring import LABEL_COLUMNS, match_labels, read_labels
from tests.fixtures.commands import geodata

HEADER = ",".join(LABEL_COLUMNS)
TEXTS = {
    # a weekday only: an event only when the publication day is known
    "weekday.txt": "Gunmen kill villagers in Burkina\n\nArmed men killed 14 civilians on Tuesday in the town of "
    "Djibo, a local official said.\n",
    # a year only: a whole-year range, too wide for a label that pins a day
    "year.txt": "Soldiers were killed in an ambush near Tessit in 2022, the army said.\n",
    "none.txt": "Aid groups warn of hunger in the Sahel as the lean season begins.\n",
}
LABELS = f"""{HEADER}
weekday.txt,2023-05-11,1,2023-05-09,2023-05-09,Djibo,BF,14.0986,-1.6267,0,Other,Civilians,10,20
year.txt,2022-08-10,1,2022-08-07,2022-08-07,near Tessit,ML,15.2167,-0.3,25,Other,State forces,,
none.txt,2023-06-01,0,,,,,,,,,,,
"""


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_settings(Settings())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "labels.csv").write_text(LABELS, encoding="utf-8")
    return tmp_path


def test_labels_folder_with_and_without_publication_dates(folder, geocoder):
    plain = evaluate(folder, geocoder)
    assert (plain.texts, plain.gold, plain.extracted, plain.matched) == (3, 2, 1, 0)
    assert plain.lines()[-1] == "events: precision 0.00, recall 0.00, F1 0.00 on 3 texts, actors 0.00, toll 0.00"
    assert any("year: Tessit 2022-01-01..2022-12-31" in line for line in plain.false_events)

    dated = evaluate(folder, geocoder, date_from_labels=True)
    assert (dated.gold, dated.extracted, dated.matched) == (2, 2, 1)
    assert dated.lines()[-1] == "events: precision 0.50, recall 0.50, F1 0.50 on 3 texts, actors 1.00, toll 1.00"


def test_evaluate_command_on_a_labels_folder(folder):
    result = geodata("evaluate", str(folder), "--date-from-labels")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "events: precision 0.50, recall 0.50, F1 0.50 on 3 texts, actors 1.00, toll 1.00"
    )
    assert "year #1: near Tessit 2022-08-07..2022-08-07 Other/State forces; nearest extracted 0 km" in result.stdout


def test_unlabelled_texts_are_named_and_not_scored(folder, geocoder):
    (folder / "later.txt").write_text("Gunmen killed 3 people in Djibo on 2 May 2023.\n", encoding="utf-8")
    score = evaluate(folder, geocoder)
    assert score.texts == 3 and "texts without labels, not scored: later.txt" in score.lines()


def _labels(rows: list[list]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date_start", "date_end", "lat", "lon", "tolerance_km"])
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _events(rows: list[list]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date_start", "date_end", "latitude", "longitude"])
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_match_rules_tolerance_slack_span_and_one_to_one():
    labels = _labels([["2021-03-10", "2021-03-10", 14.0, -1.6, 0], ["2021-03-10", "2021-03-10", 14.0, -1.6, 50]])
    # 0.3 degrees of latitude is ~33 km: outside 0 + 10 km, inside 50 + 10 km
    far = _events([["2021-03-10", "2021-03-10", 14.3, -1.6]])
    assert match_labels(labels, far)[0] == [(1, 0)]
    # one day of slack either side, two days is too many
    assert match_labels(labels[:1], _events([["2021-03-11", "2021-03-11", 14.0, -1.6]]))[0] == [(0, 0)]
    assert match_labels(labels[:1], _events([["2021-03-12", "2021-03-12", 14.0, -1.6]]))[0] == []
    # the extracted span may be at most the label's span + 31 days
    assert match_labels(labels[:1], _events([["2021-03-01", "2021-03-31", 14.0, -1.6]]))[0] == [(0, 0)]
    assert match_labels(labels[:1], _events([["2021-02-20", "2021-03-31", 14.0, -1.6]]))[0] == []
    # each event matches at most one label, each label at most one event; untied events are listed
    two = _events([["2021-03-10", "2021-03-10", 14.0, -1.6], ["2021-03-10", "2021-03-10", 16.0, 0.0]])
    matches, untied, _ = match_labels(labels, two)
    assert len(matches) == 1 and untied == [1]


def test_bad_label_rows_are_named(tmp_path):
    (tmp_path / "a.txt").write_text("Nothing.", encoding="utf-8")
    (tmp_path / "labels.csv").write_text(f"{HEADER}\na.txt,2023-01-01,1,3 May,,X,ML,14,-1,0,Other,,,\n")
    result = geodata("evaluate", str(tmp_path))
    assert result.returncode == 2 and "labels.csv row 2: date_start '3 May' is not YYYY-MM-DD" in result.stderr
    (tmp_path / "labels.csv").write_text(f"{HEADER}\na.txt,2023-01-01,1,2023-01-01,,X,ML,,-1,0,Other,,,\n")
    with pytest.raises(ValueError, match="row 2: lat .* is missing for an event"):
        read_labels(tmp_path / "labels.csv")
    (tmp_path / "labels.csv").write_text(f"{HEADER}\nb.txt,2023-01-01,0,,,,,,,,,,,\n")
    result = geodata("evaluate", str(tmp_path))
    assert result.returncode == 2 and "labelled events for texts that are not in" in result.stderr


def test_date_from_labels_needs_labels(tmp_path):
    (tmp_path / "a.txt").write_text("Nothing.", encoding="utf-8")
    (tmp_path / "gold.csv").write_text("text_id,date_start,latitude,longitude,actor1_family\n")
    result = geodata("evaluate", str(tmp_path), "--date-from-labels")
    assert result.returncode == 2 and "--date-from-labels needs" in result.stderr
