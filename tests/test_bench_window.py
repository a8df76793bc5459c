"""The browser benchmark's one-year window (issue 19): which store it opens, and the naive app opened on it."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench import cases
from bench.cases import WINDOW, Case, checked_store, count_events, stale_columns, window_case
from bench.naive_app import create_app
from bench.servers import naive_app
from dashboard.page.ids import MAP, SLIDER
from tests.fixtures.sample_events import write_sample_store


def test_the_window_is_opened_on_the_largest_store_at_scale_only():
    small, big = Case(Path("a"), 10_000), Case(Path("b"), 1_000_000)
    assert window_case([small]) is None
    found = window_case([small, big])
    assert found is not None and found.store == Path("b") and found.window == WINDOW
    assert found.query == f"start={WINDOW[0]}&end={WINDOW[1]}"
    assert found.size == "1,000,000 events, 2020 window" and big.size == "1,000,000 events" and big.query == ""
    assert naive_app(Path("b"), 8000, WINDOW)[-4:] == ["--start", WINDOW[0], "--end", WINDOW[1]]


def test_the_naive_app_opens_on_the_window_with_its_events_only(tmp_path):
    store = write_sample_store(tmp_path / "events.parquet")  # 2017-2023
    whole, year = create_app(store), create_app(store, ("2020-01-01", "2020-12-31"))

    def part(app, cid):
        return next(c for c in app.layout.children if getattr(c, "id", None) == cid)

    points = [sum(len(t.lat) for t in part(app, MAP).figure.data) for app in (whole, year)]
    assert points[0] == 30 and 0 < points[1] < 30
    lo, hi = part(year, SLIDER).value
    assert hi - lo == 11 and part(whole, SLIDER).value == [0, part(whole, SLIDER).max]


def test_a_store_of_an_older_format_is_refused_up_front_naming_its_missing_column(tmp_path):
    """The 100k row of issue 19's third pass failed inside the app on a cached store without ``incident_note``:
    given as --store it is now refused before any benchmark runs; a current store passes."""
    current = write_sample_store(tmp_path / "events.parquet")
    assert checked_store(current) == current and stale_columns(current) == []
    old = tmp_path / "old.parquet"
    pq.write_table(pq.read_table(current).drop(["incident_note"]), old)
    assert stale_columns(old) == ["incident_note"]
    with pytest.raises(SystemExit, match=r"old\.parquet: an older store format, without the column\(s\) incident_note"):
        checked_store(old)
    with pytest.raises(SystemExit, match="no such file"):
        checked_store(tmp_path / "missing.parquet")


def test_a_cached_synthetic_store_of_an_older_format_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setattr(cases, "CACHE", tmp_path)
    fresh = cases.synthetic_store(40, seed=3)
    assert stale_columns(fresh) == [] and count_events(fresh) == 40
    pq.write_table(pq.read_table(fresh).drop(["incident_note"]), fresh)  # as a cache from an older version left it
    rebuilt = cases.synthetic_store(40, seed=3)
    assert rebuilt == fresh and stale_columns(rebuilt) == [] and count_events(rebuilt) == 40
