"""Exports: formula-safe CSV, valid GeoJSON, and the CLI writing the same bytes as the streaming functions."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.events import EventData
from dashboard.export import EXPORT_COLUMNS, export_filename, export_rows, iter_csv, iter_geojson
from dashboard.view import View
from geodata.schema import COLUMN_NAMES, empty_events
from tests.fixtures.sample_events import sample_events, write_sample_store

REPO = Path(__file__).resolve().parents[1]
D = datetime.date


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return write_sample_store(tmp_path_factory.mktemp("export") / "events.parquet")


@pytest.fixture(scope="module")
def data(store) -> EventData:
    return EventData.load(store)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["event_id"]: r for r in rows}


def test_export_rows_are_the_filtered_rows_in_canonical_columns(data):
    view = View(country=("ML",), start=D(2021, 1, 1))
    rows = export_rows(data, view)
    assert tuple(rows.columns) == EXPORT_COLUMNS == tuple(c for c in COLUMN_NAMES if c != "geometry")
    assert list(rows["event_id"]) == list(data.filter(view)["event_id"])
    assert rows["country_iso2"].dtype == "string" and rows["fatalities"].dtype == "Int64"


def test_csv_has_a_header_and_one_record_per_filtered_event(data):
    for view in (View(), View(country=("BF",)), View(min_fatalities=100), View(q="menaka")):
        rows = read_csv("".join(iter_csv(data, view)))
        assert len(rows) == len(data.filter(view))
        assert list(rows[0]) == list(EXPORT_COLUMNS)


def test_empty_view_exports_only_the_header(data):
    text = "".join(iter_csv(data, View(country=("TD",))))
    assert text == ",".join(EXPORT_COLUMNS) + "\r\n"
    collection = json.loads("".join(iter_geojson(data, View(country=("TD",)))))
    assert collection == {"type": "FeatureCollection", "features": []}


def test_formula_cells_are_neutralised(data):
    rows = by_id(read_csv("".join(iter_csv(data, View()))))
    assert rows["acled:6"]["notes"] == "'=HYPERLINK(\"http://evil.example/x\",\"click\")"
    assert rows["ucdp:8"]["notes"] == "'-5 dead initially, revised to 24"
    assert rows["acled:14"]["notes"] == "'+ gendarmerie post overrun, 53 dead"
    assert rows["ucdp:15"]["notes"] == "'@ISGS offensive around Ménaka\nmany displaced"
    assert rows["acled:22"]["notes"] == "'\rCarriage-return start; soldiers ambushed"
    # text that merely contains those characters is left alone
    assert rows["acled:19"]["notes"] == "IED on a supply convoy,\tcommas, quotes \"here\""
    assert rows["acled:12"]["notes"] == "<script>alert(1)</script> Solhan massacre"


def test_tab_start_is_neutralised_in_any_text_column(data):
    frame = sample_events().iloc[:2].copy()
    frame["actor2"] = ["\tJNIM", "Civilians"]
    frame["location"] = ["@home", "Gao"]
    rows = read_csv("".join(iter_csv(EventData.from_frame(frame), View())))
    assert rows[0]["actor2"] == "'\tJNIM" and rows[0]["location"] == "'@home"
    assert rows[1]["actor2"] == "Civilians" and rows[1]["location"] == "Gao"


def test_numbers_stay_numbers(data):
    text = "".join(iter_csv(data, View(country=("MR", "ML"))))
    rows = by_id(read_csv(text))
    assert rows["acled:25"]["longitude"] == "-5.516"
    assert rows["acled:24"]["longitude"] == "-5.98679"
    assert rows["acled:24"]["fatalities"] == "7"
    assert rows["acled:5"]["fatalities"] == ""  # unknown is empty, never 0
    assert rows["acled:5"]["date_end"] == "2020-03-05"
    assert ",-5.516," in text  # not quoted, not prefixed
    assert '"Fassala",15.5571,-5.516,1,"MR",,,' in text  # text quoted, numbers bare, missing values empty
    assert ',"2020-05-01","2020-05-31","month",' in "".join(iter_csv(data, View(q="gourma")))
    assert rows["upload:30"]["date_end"] == "" and rows["upload:30"]["source_url"] == ""


def test_unicode_commas_and_newlines_survive(data):
    frame = pd.read_csv(io.StringIO("".join(iter_csv(data, View()))), dtype=str, keep_default_na=False)
    assert len(frame) == 30
    notes = dict(zip(frame["event_id"], frame["notes"], strict=True))
    assert notes["ucdp:23"] == "Attaque près de Ségou — français, «guillemets»"
    assert "\n" in notes["ucdp:15"]


def test_chunks_do_not_change_the_bytes(data):
    whole = "".join(iter_csv(data, View()))
    chunks = list(iter_csv(data, View(), chunk_rows=7))
    assert len(chunks) == 1 + 5  # header + ceil(30 / 7)
    assert "".join(chunks) == whole
    assert "".join(iter_geojson(data, View(), chunk_rows=4)) == "".join(iter_geojson(data, View()))


def test_geojson_is_a_valid_feature_collection(data):
    view = View(country=("ML", "MR"))
    collection = json.loads("".join(iter_geojson(data, view, chunk_rows=3)))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(data.filter(view))
    for feature in features:
        assert feature["type"] == "Feature"
        assert list(feature["properties"]) == list(EXPORT_COLUMNS)
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert (lon, lat) == (feature["properties"]["longitude"], feature["properties"]["latitude"])
    props = {f["properties"]["event_id"]: f["properties"] for f in features}
    assert props["acled:5"]["fatalities"] is None and props["acled:5"]["date_start"] == "2020-03-02"
    assert props["acled:6"]["notes"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet
    assert props["acled:24"]["fatalities"] == 7 and props["acled:25"]["longitude"] == -5.516


def test_export_filename_carries_the_date_range(data):
    assert export_filename(View(start=D(2020, 1, 1), end=D(2022, 12, 31)), "csv") == (
        "sahel-events_2020-01-01_2022-12-31.csv")
    assert export_filename(View(), "geojson") == "sahel-events_all.geojson"
    assert export_filename(View(start=D(2021, 5, 1)), "csv") == "sahel-events_2021-05-01_all.csv"
    assert export_filename(View(), "csv", data) == "sahel-events_2017-10-04_2023-12-01.csv"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *args], cwd=REPO, capture_output=True,
                          timeout=120)


def test_cli_writes_the_same_bytes_as_the_stream(store, data, tmp_path):
    view = View(start=D(2020, 1, 1), end=D(2023, 6, 30), country=("ML", "BF", "MR"), group=("JNIM",),
                bbox=(-6.5, 12.0, 4.0, 17.0), precision=(1, 2, 3))
    out = tmp_path / "events.csv"
    result = run_cli("--store", str(store), "--out", str(out), *view.to_args())
    assert result.returncode == 0, result.stderr.decode()
    expected = "".join(iter_csv(data, view)).encode("utf-8")
    assert out.read_bytes() == expected
    assert len(read_csv(expected.decode())) == len(data.filter(view)) > 3

    geo = tmp_path / "events.geojson"  # the format follows the suffix
    result = run_cli("--store", str(store), "--out", str(geo), "-q", "ménaka", "--min-fatalities", "0")
    assert result.returncode == 0, result.stderr.decode()
    assert geo.read_bytes() == "".join(iter_geojson(data, View(q="ménaka", min_fatalities=0))).encode("utf-8")


def test_cli_to_stdout_and_explicit_format(store, data):
    result = run_cli("--store", str(store), "--out", "-", "--format", "geojson", "--country", "ne")
    assert result.returncode == 0
    assert result.stdout == "".join(iter_geojson(data, View(country=("NE",)))).encode("utf-8")


def test_cli_refuses_an_invalid_view(store, tmp_path):
    out = tmp_path / "bad.csv"
    result = run_cli("--store", str(store), "--out", str(out), "--start", "2020-13-01", "--precision", "7")
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "start: '2020-13-01' is not a date" in err and "precision: '7'" in err
    assert not out.exists()


def test_cli_explains_a_missing_store(tmp_path):
    result = run_cli("--store", str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "python -m geodata build" in result.stderr.decode()


def test_export_of_an_empty_store(tmp_path):
    data = EventData.load(write_sample_store(tmp_path / "empty.parquet", empty_events()))
    assert "".join(iter_csv(data, View())) == ",".join(EXPORT_COLUMNS) + "\r\n"
    assert export_filename(View(), "csv", data) == "sahel-events_all.csv"
