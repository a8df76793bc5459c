"""The synthetic generator: deterministic, valid, inside Mali/Burkina Faso/Niger, and written by the real CLI.

Points are checked against the bundled admin-1 shapefile read directly with geopandas, not through the
generator's own boundary code. Sizes are small (a few thousand events): these are not timings.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geodata import schema, store, validate
from geodata.actors import family
from geodata.synthetic import synthetic_events
from tests.fixtures.commands import geodata
from tests.fixtures.sample_events import write_sample_store

REPO = Path(__file__).resolve().parent.parent
ADMIN1_SHP = REPO / "geodata" / "data" / "boundaries" / "admin1.shp"
N = 3000
SEED = 7


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return synthetic_events(N, SEED)




def test_same_seed_same_events_other_seed_different(events):
    pd.testing.assert_frame_equal(synthetic_events(N, SEED), events)
    other = synthetic_events(N, SEED + 1)
    assert not other["latitude"].equals(events["latitude"])
    assert not other["event_id"].equals(events["event_id"])


def test_events_pass_validation_with_the_full_schema(events):
    assert len(events) == N
    assert validate.check_fields(events).empty
    assert validate.check_coverage(events, pd.Series(False, index=events.index)).empty
    assert dict(schema.cast_columns(events).dtypes.astype(str)) == schema.DTYPES
    pd.testing.assert_frame_equal(schema.conform(events), events)
    assert list(events.columns) == [*schema.COLUMN_NAMES, "geometry"]
    assert (events["dataset"] == "synthetic").all()
    assert events["event_id"].is_unique and events["event_id"].str.startswith(f"synthetic:{SEED}:").all()
    required = ["event_id", "date_start", "date_end", "date_precision", "event_type", "sub_event_type", "actor1",
                "actor2", "group1", "group2", "location", "geo_precision", "country_iso2", "admin1", "source", "notes"]
    assert events[required].notna().all().all()


def test_store_order_is_date_then_id(events):
    ordered = events.sort_values(["date_start", "event_id"], kind="stable")
    assert ordered.index.equals(events.index)


def test_points_fall_inside_the_three_countries_and_admin1_is_the_join(events):
    regions = gpd.read_file(ADMIN1_SHP)
    regions = regions[regions["iso2"].isin(["ML", "BF", "NE"])]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(events["longitude"], events["latitude"]), crs=schema.CRS)
    hits = gpd.sjoin(points, regions.to_crs(schema.CRS), how="left", predicate="intersects")
    hits = hits[~hits.index.duplicated()]
    assert hits["iso2"].notna().all(), events.loc[hits["iso2"].isna(), ["location", "latitude", "longitude"]]
    assert events["country_iso2"].isin(["ML", "BF", "NE"]).all()
    assert (hits["iso2"].to_numpy() == events["country_iso2"].to_numpy()).all()
    assert (hits["admin1"].to_numpy() == events["admin1"].to_numpy()).all()


def test_dates_fatalities_actors_and_types_look_real(events):
    assert events["date_start"].min() >= pd.Timestamp("2017-01-01")
    assert events["date_end"].max() <= pd.Timestamp("2025-12-31")
    assert (events["date_end"] >= events["date_start"]).all()
    assert set(events["date_precision"]) == {"day", "week", "month"}
    day = events["date_precision"] == "day"
    assert (events.loc[day, "date_end"] == events.loc[day, "date_start"]).all()
    assert (events.loc[~day, "date_end"] > events.loc[~day, "date_start"]).all()
    years = events["date_start"].dt.year.value_counts()
    assert years[2025] > years[2017]

    unknown = events["fatalities"].isna()
    assert 0.04 < unknown.mean() < 0.12
    assert (events["fatalities_low"].isna() == unknown).all() and (events["fatalities_high"].isna() == unknown).all()
    known = events[~unknown]
    assert (known["fatalities_low"] <= known["fatalities"]).all()
    assert (known["fatalities"] <= known["fatalities_high"]).all()

    assert set(events["geo_precision"]) == {1, 2, 3}
    assert events["event_type"].nunique() >= 4
    assert events["group1"].nunique() >= 5 and "Civilians" in set(events["group2"])
    assert events["group1"].equals(family(events["actor1"]))
    assert events["group2"].equals(family(events["actor2"]))
    assert events["location"].nunique() > 50


def test_cli_replaces_the_store_with_readable_events(tmp_path):
    path = write_sample_store(tmp_path / "events.parquet")
    result = geodata("synthetic", "--events", "1200", "--seed", "3", "--store", str(path), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^read 1200, kept 1200, updated 0, duplicates 0, quarantined 0$", result.stdout, re.M)
    written = store.read_store(path)
    assert len(written) == 1200 and (written["dataset"] == "synthetic").all()
    pd.testing.assert_frame_equal(written, synthetic_events(1200, 3))
    again = tmp_path / "again.parquet"
    store.write_store(synthetic_events(1200, 3), again)
    assert again.read_bytes() == path.read_bytes()  # same seed, same store file, byte for byte


@pytest.mark.parametrize("count", ["0", "-5"])
def test_cli_refuses_a_count_below_one(tmp_path, count):
    path = tmp_path / "events.parquet"
    result = geodata("synthetic", "--events", count, "--store", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and count in result.stderr
    assert not path.exists()


def test_refuses_a_negative_seed():
    with pytest.raises(ValueError, match="seed"):
        synthetic_events(10, -1)
