"""The in-memory store and the view filter, on the 30-event sample written as a real GeoParquet file."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.model.events import EventData, summary, summary_text
from dashboard.model.view import View
from tests.fixtures.sample_events import sample_events, write_sample_store

D = datetime.date


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> EventData:
    return EventData.load(write_sample_store(tmp_path_factory.mktemp("store") / "events.parquet"))


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["event_id"].astype(str))


def numbers(frame: pd.DataFrame) -> set[int]:
    return {int(i.split(":")[1]) for i in ids(frame)}


def test_load_keeps_every_event_sorted_with_categoricals_and_no_geometry(data):
    frame = data.frame
    assert len(frame) == 30 and len(data) == 30
    assert "geometry" not in frame
    assert frame["date_start"].is_monotonic_increasing
    for name in ("dataset", "country_iso2", "admin1", "group1", "group2", "event_type", "date_precision"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert frame["fatalities"].dtype == "Int64"
    assert frame["fatalities"].isna().sum() == 5
    assert frame.loc[frame["event_id"] == "seed:3", "longitude"].item() == pytest.approx(1.31667)
    assert data.path is not None and EventData.load(data.path).frame.equals(frame)


def test_missing_store_says_how_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"python -m geodata build"):
        EventData.load(tmp_path / "none.parquet")


def test_a_file_that_is_not_parquet_is_a_clear_error(tmp_path):
    bad = tmp_path / "events.parquet"
    bad.write_text("event_id,date_start\n1,2020-01-01\n")
    with pytest.raises(ValueError, match="not a readable event store"):
        EventData.load(bad)


def test_default_view_returns_everything(data):
    assert len(data.filter(View())) == 30
    assert len(data.filter(View(colour="type", mode="regions"))) == 30


def test_date_window_uses_overlap(data):
    # ucdp:15 runs 2022-03-08..12, acled:16 runs 2022-03-23..31; both overlap 10..25 March.
    window = data.filter(View(start=D(2022, 3, 10), end=D(2022, 3, 25)))
    assert ids(window) == {"ucdp:15", "acled:16"}
    # acled:7 spans all of May 2020 (month precision): a window inside it still finds it.
    assert ids(data.filter(View(start=D(2020, 5, 10), end=D(2020, 5, 12)))) == {"acled:7"}
    # the boundary days are included
    assert ids(data.filter(View(start=D(2022, 3, 31), end=D(2022, 3, 31)))) == {"acled:16"}
    assert ids(data.filter(View(start=D(2022, 3, 13), end=D(2022, 3, 22)))) == set()


def test_open_ended_windows(data):
    assert numbers(data.filter(View(start=D(2023, 9, 1)))) == {29, 30}
    assert numbers(data.filter(View(end=D(2019, 12, 10)))) == {1, 2, 3}


def test_missing_end_date_counts_as_the_start_day(data):
    assert ids(data.filter(View(start=D(2023, 12, 1), end=D(2023, 12, 1)))) == {"upload:30"}
    assert ids(data.filter(View(start=D(2023, 12, 2)))) == set()


def test_country_and_admin1(data):
    assert numbers(data.filter(View(country=("NE",)))) == {1, 3, 4, 9, 10, 11, 26, 28}
    assert numbers(data.filter(View(country=("MR",)))) == {25}
    assert numbers(data.filter(View(admin1=("Séno", "Yagha")))) == {12, 13, 17, 27}
    assert len(data.filter(View(country=("TD",)))) == 0


def test_group_matches_either_side(data):
    wagner = numbers(data.filter(View(group=("Wagner Group",))))
    assert wagner == {16, 23, 30}  # 23 and 30 have Wagner as actor2 / actor1
    militia = numbers(data.filter(View(group=("Militia",))))
    assert militia == {15, 24}


def test_event_type_dataset_and_precision(data):
    assert numbers(data.filter(View(event_type=("Explosions/Remote violence",)))) == {19}
    assert numbers(data.filter(View(dataset=("ucdp", "synthetic")))) == {8, 15, 23, 27}
    assert numbers(data.filter(View(precision=(4,)))) == {7, 20}
    assert len(data.filter(View(precision=(1, 2, 3, 4)))) == 30


def test_min_fatalities_excludes_unknown(data):
    at_least_100 = data.filter(View(min_fatalities=100))
    assert numbers(at_least_100) == {10, 11, 12, 16, 18}
    zero = data.filter(View(min_fatalities=0))
    assert len(zero) == 25  # the 5 events with unknown fatalities are out, the known zero (26) is in
    assert 26 in numbers(zero)


def test_bbox_on_longitude_and_latitude(data):
    western = data.filter(View(bbox=(-7.0, 13.0, -5.0, 16.0)))
    assert numbers(western) == {23, 24, 25}
    assert len(data.filter(View(bbox=(10.0, 0.0, 20.0, 5.0)))) == 0


def test_free_text_is_case_and_accent_insensitive_over_place_notes_and_actors(data):
    assert numbers(data.filter(View(q="menaka"))) == {15}
    assert numbers(data.filter(View(q="MÉNAKA"))) == {15}
    assert numbers(data.filter(View(q="hyperlink"))) == {6}  # in notes
    assert numbers(data.filter(View(q="dozo"))) == {24}  # in actor1 and notes
    assert numbers(data.filter(View(q="mauritanian army"))) == {25}  # only in actor2
    assert numbers(data.filter(View(q="<script>"))) == {12}  # literal, not a regex
    assert numbers(data.filter(View(q="(ansongo"))) == {2}  # regex characters are plain text


def test_filters_combine(data):
    view = View(start=D(2021, 1, 1), end=D(2022, 12, 31), country=("BF",), group=("JNIM",), min_fatalities=50)
    assert numbers(data.filter(view)) == {12, 13, 14, 17}
    assert len(data.filter(view.with_(q="solhan"))) == 1


def test_filter_result_stays_sorted(data):
    result = data.filter(View(country=("ML",), start=D(2020, 1, 1)))
    assert result["date_start"].is_monotonic_increasing


def test_months_cover_the_data(data):
    months = data.months()
    assert months[0] == D(2017, 10, 1)
    assert months[-1] == D(2023, 12, 1)
    assert len(months) == 75
    assert data.date_range() == (D(2017, 10, 4), D(2023, 12, 1))


def test_options_list_distinct_values(data):
    options = data.options()
    assert options["country"] == ["BF", "ML", "MR", "NE"]
    assert options["admin1_by_country"]["BF"] == ["Oudalan", "Soum", "Séno", "Yagha"]
    assert "MR" not in options["admin1_by_country"]
    assert options["group"][:3] == ["JNIM", "ISGS", "Ansarul Islam"]
    assert options["precision"] == [1, 2, 3, 4]
    assert "synthetic" in options["dataset"]
    assert "Strategic developments" in options["event_type"]


def test_summary_counts_known_and_unknown_fatalities(data):
    counts = summary(data, data.rows(View()))
    assert counts == {"events": 30, "fatalities": int(sample_events()["fatalities"].sum()), "unknown_fatalities": 5}
    assert summary_text(counts) == f"30 events, {counts['fatalities']:,} fatalities (5 with unknown fatalities)"
    empty = summary(data, data.rows(View(country=("TD",))))
    assert empty == {"events": 0, "fatalities": 0, "unknown_fatalities": 0}
    assert summary_text(empty) == "0 events, 0 fatalities (0 with unknown fatalities)"
    assert summary_text(summary(data, data.rows(View(q="menaka")))).startswith("1 event, 0 fatalities (1 with")


def test_from_frame_accepts_a_conformed_geodataframe_and_an_empty_store(tmp_path):
    assert len(EventData.from_frame(sample_events())) == 30
    from geodata.schema import empty_events

    empty = EventData.load(write_sample_store(tmp_path / "empty.parquet", empty_events()))
    assert len(empty.filter(View(start=D(2020, 1, 1), q="x", bbox=(0.0, 0.0, 1.0, 1.0)))) == 0
    assert empty.months() == [] and empty.date_range() is None
    assert empty.options()["country"] == []


def test_each_view_is_filtered_once_and_the_memory_is_bounded():
    data = EventData.from_frame(sample_events())
    view = View(country=("ML",))
    first = data.rows(view)
    assert data.rows(view) is first
    assert data.rows(view.with_(colour="type", mode="regions")) is first  # display choices select the same rows
    assert not first.flags.writeable
    for n in range(20):
        data.rows(View(min_fatalities=n))
    assert data.rows(view) is not first
    assert np.array_equal(data.rows(view), first)


def test_rows_are_positions_in_date_order_and_take_copies_only_those(data):
    rows = data.rows(View(country=("BF",)))
    assert np.all(np.diff(rows) > 0)
    taken = data.take(rows, ["event_id", "country_iso2"])
    assert list(taken.columns) == ["event_id", "country_iso2"] and (taken["country_iso2"] == "BF").all()
    assert data.take(np.arange(len(data))) is data.frame
    reversed_rows = data.take(np.arange(len(data))[::-1])
    assert reversed_rows["event_id"].tolist() == data.frame["event_id"].tolist()[::-1]
