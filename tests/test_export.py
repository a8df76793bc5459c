"""Exports: formula-safe CSV, valid GeoJSON, and the CLI writing the same bytes as the streaming functions."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.render.export import (
    EXPORT_COLUMNS,
    REPORT_COLUMNS,
    export_filename,
    export_rows,
    iter_csv,
    iter_geojson,
    json_numbers,
    json_values,
    neutralise_formulas,
)
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
    assert tuple(rows.columns) == EXPORT_COLUMNS == (*(c for c in COLUMN_NAMES if c != "geometry"), *REPORT_COLUMNS)
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


TRICKY_TEXT = [
    'say "hello"',
    "back\\slash and a final backslash \\",
    "line one\nline two\r\nline three\rend",
    "tab\there",
    "<script>alert('x')</script> and </SCRIPT>",
    "Ségou — «guillemets», 北京, emoji 😀🇲🇱",
    "controls \x00 \x01 \x08 \x0c \x1f \x7f and separators \u2028 \u2029",
    '","geo_precision":"{"type":"Feature"}},{"geometry":null',  # looks like the JSON around it
    "",
]


@pytest.fixture(scope="module")
def tricky() -> EventData:
    """Eleven events whose text, numbers and dates each exercise a JSON edge case."""
    frame = sample_events().iloc[:11].copy()
    texts = [*TRICKY_TEXT, None, "=1+1"]
    frame["notes"] = texts
    frame["actor2"] = texts[::-1]
    frame["location"] = [t if t is None else t[:12] for t in texts]
    frame["fatalities"] = pd.array([None, 0, 3, None, 2**40, 1, None, 5, 6, 7, 8], dtype="Int64")
    frame["date_end"] = frame["date_start"].where(np.arange(11) % 3 != 0)  # NaT every third event
    frame["latitude"] = [14.123456789012345, 17.0, -0.0, 1e-7, 15.5571, np.nan, 13.0, 14.5, 15.25, 16.0, 12.0]
    frame["longitude"] = [-5.98679, -4.0, 0.1, 2.5, np.nan, np.nan, 1.0, -1.5, 0.25, 3.0, -2.0]
    return EventData.from_frame(frame)


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, which are not JSON."""

    def refuse(token: str):
        raise ValueError(f"{token} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def expected_properties(rows: pd.DataFrame) -> list[dict]:
    """What each feature's properties must hold, worked out from the frame without the export code."""
    out = []
    for record in rows.to_dict("records"):
        props = {}
        for name in EXPORT_COLUMNS:
            value = record[name]
            if pd.isna(value):
                props[name] = None
            elif isinstance(value, pd.Timestamp):
                props[name] = value.date().isoformat()
            elif isinstance(value, (int, np.integer)):
                props[name] = int(value)
            elif isinstance(value, (float, np.floating)):
                props[name] = float(value)
            else:
                props[name] = str(value)
        out.append(props)
    return out


def assert_geojson_matches(text: str, rows: pd.DataFrame) -> None:
    collection = strict_json(text)
    assert list(collection) == ["type", "features"] and collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(rows)
    for feature, props, (lon, lat) in zip(features, expected_properties(rows),
                                          zip(rows["longitude"], rows["latitude"], strict=True), strict=True):
        assert list(feature) == ["type", "geometry", "properties"] and feature["type"] == "Feature"
        assert feature["properties"] == props
        assert list(feature["properties"]) == list(EXPORT_COLUMNS)
        for name, value in props.items():  # == would let 7 pass for 7.0 and True for 1
            assert type(feature["properties"][name]) is type(value), name
        if pd.isna(lon) or pd.isna(lat):
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
            assert all(type(v) is float for v in feature["geometry"]["coordinates"])


def test_geojson_properties_and_coordinates_equal_the_filtered_frame(data, tricky):
    for events, view in ((tricky, View()), (data, View()), (data, View(country=("ML",), min_fatalities=10)),
                         (data, View(q="ménaka"))):
        rows = export_rows(events, view)
        assert len(rows) > 0
        assert_geojson_matches("".join(iter_geojson(events, view)), rows)


def test_geojson_text_survives_escaping_exactly(tricky):
    text = "".join(iter_geojson(tricky, View()))
    notes = [f["properties"]["notes"] for f in strict_json(text)["features"]]
    assert sorted(notes, key=str) == sorted([*TRICKY_TEXT, None, "=1+1"], key=str)
    assert "</" not in text  # safe to inline in an HTML <script>
    body = text.removesuffix("\n")  # the one raw line break ends the file
    assert not any(chr(c) in body for c in range(0x20))  # control characters are all escaped
    assert all(e in body for e in ("\\n", "\\r", "\\t", "\\u0000", "\\u001f", '\\"', "\\\\"))
    assert "😀" in text and "Ségou" in text  # non-ASCII kept as UTF-8 text, like the CSV


def test_geojson_na_dates_numbers_and_missing_points(tricky):
    features = strict_json("".join(iter_geojson(tricky, View())))["features"]
    props = [f["properties"] for f in features]
    rows = export_rows(tricky, View())
    assert [p["fatalities"] for p in props] == [None if pd.isna(v) else int(v) for v in rows["fatalities"]]
    assert 2**40 in [p["fatalities"] for p in props]
    assert sum(p["date_end"] is None for p in props) == 4
    assert all(p["date_start"] and len(p["date_start"]) == 10 for p in props)  # YYYY-MM-DD, no time
    missing = [f for f in features if f["properties"]["longitude"] is None or f["properties"]["latitude"] is None]
    assert len(missing) == 2 and all(f["geometry"] is None for f in missing)  # kept, with a null geometry
    lats = {f["properties"]["latitude"] for f in features}
    assert {14.123456789012345, 17.0, 1e-7} <= lats  # exact round trip, whole numbers stay floats


def test_json_numbers_read_back_exactly():
    values = pd.Series([17.0, -0.0, 1e-7, 1e10, 123456789.125, 1e300, 5e-324, np.nan, np.inf, -np.inf,
                        *np.random.default_rng(7).uniform(-180, 180, 2_000)])
    back = [json.loads(t) for t in json_numbers(values).to_pylist()]
    for value, read in zip(values, back, strict=True):
        if np.isfinite(value):
            assert type(read) is float and read == value and np.signbit(read) == np.signbit(value)
        else:
            assert read is None


def test_json_values_of_every_column_kind():
    texts = pd.concat([pd.Series(TRICKY_TEXT[:4], dtype="string"), pd.Series([None, *TRICKY_TEXT[4:]], dtype="string")],
                      ignore_index=True)  # two Arrow chunks, as a concatenated column can be
    columns = {
        "text": texts,
        "distinct text": pd.Series([f"id {i}" for i in range(len(texts))], dtype="string"),
        "categories": texts.astype("category"),
        "dates": pd.Series(pd.to_datetime(["2020-02-29", None, "1999-12-31"] * 4)[: len(texts)]),
        "ints": pd.Series([None, 0, -3, 2**53, *range(len(texts) - 4)], dtype="Int64"),
    }
    for kind, values in columns.items():
        read = [json.loads(t) for t in json_values(values).to_pylist()]
        expected = [None if pd.isna(v) else v.date().isoformat() if kind == "dates" else v for v in values]
        assert read == expected, kind


@pytest.mark.parametrize("chunk_rows", [1, 7, 50_000])
def test_geojson_chunk_boundaries_do_not_change_the_text(data, tricky, chunk_rows):
    for events in (data, tricky):
        reference = "".join(iter_geojson(events, View(), chunk_rows=3))
        chunks = list(iter_geojson(events, View(), chunk_rows=chunk_rows))
        assert "".join(chunks) == reference
        assert len(chunks) == 2 + -(-len(events) // chunk_rows)  # head, one per chunk of rows, tail
        assert_geojson_matches("".join(chunks), export_rows(events, View()))


def test_empty_views_give_an_empty_feature_collection(data, tricky, tmp_path):
    empty = EventData.load(write_sample_store(tmp_path / "empty.parquet", empty_events()))
    for events, view in ((data, View(country=("TD",))), (tricky, View(min_fatalities=10**13)), (empty, View())):
        for chunk_rows in (1, 50_000):
            text = "".join(iter_geojson(events, view, chunk_rows=chunk_rows))
            assert strict_json(text) == {"type": "FeatureCollection", "features": []}


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


def test_the_stream_equals_the_whole_view_exported_in_memory(data):
    """Streaming a chunk at a time changes nothing: the records read back equal pandas writing the whole view
    at once (the text differs only where pandas writes "" for a missing value or 16.0 for 16)."""
    for view in (View(), View(country=("ML", "BF"), min_fatalities=1), View(q="menaka")):
        in_memory = neutralise_formulas(export_rows(data, view)).to_csv(
            index=False, lineterminator="\r\n", date_format="%Y-%m-%d", quoting=csv.QUOTE_NONNUMERIC)
        streamed = "".join(iter_csv(data, view, chunk_rows=4))
        pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(streamed), keep_default_na=False),
                                      pd.read_csv(io.StringIO(in_memory), keep_default_na=False))
        assert streamed == "".join(iter_csv(data, view, chunk_rows=10_000))  # and chunking never changes a byte
