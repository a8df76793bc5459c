"""The store and quarantine files: atomic writes, deduplication, quarantine union; row checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodata import schema, store, validate


def _events(ids: list[str], **columns: list) -> pd.DataFrame:
    n = len(ids)
    base = {
        "event_id": ids,
        "dataset": ["acled"] * n,
        "date_start": ["2021-01-02"] * n,
        "date_end": ["2021-01-02"] * n,
        "latitude": [14.83] * n,
        "longitude": [1.8125] * n,
        "geo_precision": [1] * n,
    }
    base.update(columns)
    return schema.conform(pd.DataFrame(base))


def test_store_round_trip_sorted_by_date(tmp_path):
    path = tmp_path / "events.parquet"
    events = _events(["b", "a", "c"], date_start=["2022-05-01", "2020-01-01", "2021-03-04"])
    store.write_store(events, path)
    back = store.read_store(path)
    assert back["event_id"].tolist() == ["a", "c", "b"]
    assert back.crs.to_epsg() == 4326
    assert back["fatalities"].dtype == "Int64"
    assert back["fatalities"].isna().all()


def test_missing_store_reads_as_empty(tmp_path):
    empty = store.read_store(tmp_path / "nope.parquet")
    assert empty.empty and list(empty.columns[: len(schema.COLUMN_NAMES)]) == list(schema.COLUMN_NAMES)


def test_failed_write_keeps_previous_store(tmp_path):
    path = tmp_path / "events.parquet"
    store.write_store(_events(["a"]), path)
    before = path.read_bytes()
    broken = _events(["x", "y"]).assign(extra=[{"a": 1}, object()])  # pyarrow cannot serialise this
    with pytest.raises(ValueError):  # pyarrow.ArrowInvalid
        store.write_store(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.parquet"]


def test_merge_counts_duplicates_in_store_and_in_file():
    existing = _events(["acled:1", "acled:2"])
    new = _events(["acled:2", "acled:3", "acled:3"])
    result = store.merge_revisions(existing, new)
    assert sorted(result.merged["event_id"]) == ["acled:1", "acled:2", "acled:3"]
    assert result.duplicate.tolist() == [True, False, True]


def test_merge_revisions_newer_timestamp_wins_and_is_logged(tmp_path):
    existing = _events(["acled:1", "acled:2", "acled:3", "acled:4"], fatalities=[2, 5, 7, 1],
                       source_timestamp=[100, 100, None, 100])
    new = _events(
        ["acled:1", "acled:2", "acled:3", "acled:4", "acled:5", "acled:5", "acled:5"],
        fatalities=[3, 6, 7, 9, 1, 2, 3],
        source_timestamp=[200, 100, 50, 90, 10, 30, 20],
    )
    result = store.merge_revisions(existing, new)
    # 1: newer; 2: equal timestamp, stays; 3: a timestamp beats none; 4: older, stays; 5: newest copy in the file.
    assert result.updated.tolist() == [True, False, True, False, False, False, False]
    assert result.duplicate.tolist() == [False, True, False, True, True, False, True]
    merged = result.merged.set_index("event_id")
    assert merged["fatalities"].to_dict() == {"acled:1": 3, "acled:2": 5, "acled:3": 7, "acled:4": 1, "acled:5": 2}
    log = result.revisions
    assert log.fillna("").values.tolist() == [
        ["acled:1", "fatalities", "2", "3", "100", "200"],
        ["acled:1", "source_timestamp", "100", "200", "100", "200"],
        ["acled:3", "source_timestamp", "", "50", "", "50"],
    ]
    path = tmp_path / "events.revisions.csv"
    assert store.append_revisions(log, path) == 3
    assert store.append_revisions(log.iloc[:0], path) == 0
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(store.REVISION_COLUMNS) and len(back) == 3
    assert back.loc[2].tolist() == ["acled:3", "source_timestamp", "", "50", "", "50"]


def test_merge_revisions_undated_rows_replace_only_with_update():
    existing = _events(["ucdp:1", "ucdp:2"], fatalities=[4, 4])
    new = _events(["ucdp:1", "ucdp:2"], fatalities=[4, 8])
    kept = store.merge_revisions(existing, new)
    assert kept.updated.tolist() == [False, False] and kept.differing.tolist() == [False, True]
    assert kept.merged.set_index("event_id").loc["ucdp:2", "fatalities"] == 4 and kept.revisions.empty
    replaced = store.merge_revisions(existing, new, update=True)
    assert replaced.updated.tolist() == [False, True] and replaced.duplicate.tolist() == [True, False]
    assert replaced.merged.set_index("event_id").loc["ucdp:2", "fatalities"] == 8
    log = replaced.revisions[["event_id", "field", "old", "new"]]
    assert log.values.tolist() == [["ucdp:2", "fatalities", "4", "8"]]


def test_quarantine_union_of_columns_and_no_repeats(tmp_path):
    path = tmp_path / "q.csv"
    first = pd.DataFrame({"event_date": ["bad"], "reason": ["event_date: 'bad' is not a date"]})
    second = pd.DataFrame({"id": ["7"], "reason": ["latitude/longitude: missing"]})
    assert store.append_quarantine(first, path) == 1
    assert store.append_quarantine(second, path) == 1
    assert store.append_quarantine(first, path) == 0
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == 2
    assert list(back.columns) == ["event_date", "id", "reason"]


def test_field_checks_name_the_field_and_value():
    events = _events(
        ["ok", "nodate", "old", "future", "backwards", "nolat", "range"],
        date_start=["2021-01-02", None, "1900-01-01", "2999-01-01", "2021-05-01", "2021-01-02", "2021-01-02"],
        date_end=["2021-01-02", None, "1900-01-01", "2999-01-01", "2021-04-01", "2021-01-02", "2021-01-02"],
        latitude=[14.8, 14.8, 14.8, 14.8, 14.8, None, 95.0],
    )
    reasons = validate.check_fields(events, today=dt.date(2026, 1, 1))
    assert set(reasons.index) == {1, 2, 3, 4, 5, 6}
    assert "date_start: missing" in reasons[1]
    assert "1900-01-01 is before 1989" in reasons[2]
    assert "in the future" in reasons[3]
    assert "date_end: 2021-04-01 is before date_start" in reasons[4]
    assert reasons[5] == "latitude/longitude: missing"
    assert "(95.0, 1.8125) out of range" in reasons[6]


def test_coverage_check_tells_swapped_from_outside():
    events = _events(["in", "swapped", "away"], latitude=[14.8, 1.8, 48.8], longitude=[1.8, 14.8, 2.3])
    events["country_iso2"] = pd.array(["NE", None, None], dtype="string")
    reasons = validate.check_coverage(events, pd.Series([False, True, False], index=events.index))
    assert list(reasons.index) == [1, 2]
    assert "look swapped" in reasons[1]
    assert "outside Mali, Burkina Faso, Niger" in reasons[2]


def test_combine_joins_reasons_per_row():
    a = pd.Series(["x"], index=[3])
    b = pd.Series(["y", "z"], index=[3, 5])
    combined = validate.combine(a, b)
    assert combined.to_dict() == {3: "x; y", 5: "z"}


def test_written_files_are_readable_by_other_users(tmp_path):
    path = tmp_path / "events.parquet"
    store.write_store(_events(["a"]), path)
    assert path.stat().st_mode & 0o777 == store.STORE_MODE == 0o644
