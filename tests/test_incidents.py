"""Linking reports of one incident (geodata/incidents.py): each criterion of the rule, determinism, nothing deleted,
the hand-labelled ACLED/UCDP pairs through the real importers, the pipeline hook and ``python -m geodata incidents``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodata import incidents, schema, store
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
LABELLED = FIXTURES / "incidents"

BASE = {
    "date_start": "2019-01-10", "date_end": "2019-01-10", "date_precision": "day", "geo_precision": 1,
    "latitude": 13.96, "longitude": -0.87, "group1": "JNIM", "group2": "Civilians", "fatalities": 12,
    "location": "Gasseliki", "country_iso2": "BF", "admin1": "Soum",
}


def events(*changes: dict) -> pd.DataFrame:
    """An ACLED event and, for each ``changes``, a report of another dataset that differs by those fields."""
    rows = [{**BASE, "event_id": "acled:BFO1", "dataset": "acled"}]
    for k, change in enumerate(changes):
        rows.append({**BASE, "event_id": f"ucdp:{k + 1}", "dataset": "ucdp", **change})
    return schema.conform(pd.DataFrame(rows))


def linked(frame: pd.DataFrame, a: str = "acled:BFO1", b: str = "ucdp:1") -> bool:
    out, _ = incidents.apply(frame)
    ids = dict(zip(out["event_id"], out["incident_id"], strict=True))
    return ids[a] == ids[b]


# -- each criterion ---------------------------------------------------------------------------------------------


def test_the_same_attack_in_two_datasets_is_one_incident():
    frame = events({"location": "Gassiliki village", "latitude": 13.972, "longitude": -0.861, "fatalities": 13,
                    "fatalities_low": 12, "fatalities_high": 14})
    out, result = incidents.apply(frame)
    assert out["incident_id"].tolist() == ["acled:BFO1", "acled:BFO1"]
    assert out["incident_size"].tolist() == [2, 2]
    assert (out["incident_score"] > incidents.MIN_SCORE).all()
    assert len(result.links) == 1 and "1.7 km apart" in result.links["why"].iloc[0]


def test_two_events_of_one_dataset_are_never_merged():
    frame = events({"dataset": "acled", "event_id": "acled:BFO2"})
    assert not linked(frame, "acled:BFO1", "acled:BFO2")
    out, _ = incidents.apply(frame)
    assert out["incident_id"].tolist() == ["acled:BFO1", "acled:BFO2"]
    assert out["incident_size"].tolist() == [1, 1]
    assert out["incident_score"].isna().all()


def test_dates_must_overlap_allowing_one_day():
    assert linked(events({"date_start": "2019-01-09", "date_end": "2019-01-09"}))  # the night before
    assert not linked(events({"date_start": "2019-01-08", "date_end": "2019-01-08"}))
    # A week-long range that contains the day overlaps it.
    assert linked(events({"date_start": "2019-01-07", "date_end": "2019-01-13", "date_precision": "week"}))
    # A month-wide report (a siege "in October") links to the day inside it; a whole year is too vague to link.
    assert linked(events({"date_start": "2019-01-01", "date_end": "2019-01-31", "date_precision": "month"}))
    assert not linked(events({"date_start": "2019-01-01", "date_end": "2019-12-31", "date_precision": "year"}))


def test_distance_grows_with_geo_precision():
    eleven_km_north = {"latitude": 13.96 + 0.1}
    assert not linked(events(eleven_km_north))  # precision 1: a few km
    assert linked(events({**eleven_km_north, "geo_precision": 2}))  # near the place: 25 km
    far = {"latitude": 14.9, "longitude": -0.2}  # ~125 km away
    assert not linked(events({**far, "geo_precision": 2}))
    assert linked(events({**far, "geo_precision": 3}))  # the admin-1 region: same admin1 is enough
    assert not linked(events({**far, "geo_precision": 3, "admin1": "Oudalan"}))


def test_a_district_level_report_links_within_its_admin2_unit():
    # UCDP places an "admin-2 unit" event at the district's point, here 40 km from the village ACLED names.
    district = {"geo_precision": 2, "latitude": 13.96 + 0.36, "location": "Soum province"}
    assert not linked(events(district))
    frame = events(district).assign(source_admin2=["Djibo", "Djibo department"])
    assert linked(frame)
    frame = events(district).assign(source_admin2=["Djibo", "Arbinda department"])
    assert not linked(frame)
    too_far = events({**district, "latitude": 13.96 + 0.9}).assign(source_admin2=["Djibo", "Djibo"])
    assert not linked(too_far)


def test_actor_families_must_be_compatible():
    assert linked(events({"group1": "Civilians", "group2": "JNIM"}))  # either order
    assert linked(events({"group1": pd.NA}))  # one side unknown
    assert linked(events({"group1": "Other"}))  # an unidentified group
    assert not linked(events({"group1": "ISGS"}))
    assert not linked(events({"group1": "State forces", "group2": "ISGS"}))
    assert not linked(events({"group1": "ISGS", "group2": "JNIM"}))  # Civilians never stand for an armed group
    assert linked(events({"group2": "Militia"}))  # a village militia counted as civilians by one source
    # ACLED's "X and/or Y" keeps Y's family as an alternative.
    assert linked(events({"group1": "ISGS"}).assign(group1_alt=["ISGS", pd.NA]))


def test_fatality_figures_must_not_contradict():
    assert linked(events({"fatalities": 20}))
    assert linked(events({"fatalities": pd.NA}))
    assert not linked(events({"fatalities": 60}))
    assert not linked(events({"fatalities": 0, "fatalities_low": 0, "fatalities_high": 0}))
    # A range that reaches the other figure does not contradict it.
    assert linked(events({"fatalities": 60, "fatalities_low": 10, "fatalities_high": 60}))


def test_place_names_break_a_tie_between_two_equal_candidates():
    # Two UCDP reports at the same distance and with the same figures: only the name tells them apart.
    west = {"longitude": -0.87 - 0.03, "location": "Gassiliki village"}
    east = {"longitude": -0.87 + 0.03, "location": "Koulpelogo"}
    frame = events(west, east)
    assert linked(frame, "acled:BFO1", "ucdp:1")
    assert not linked(frame, "acled:BFO1", "ucdp:2")


def test_a_region_level_report_among_several_candidates_is_not_guessed():
    region = {"geo_precision": 3, "latitude": 14.3, "longitude": -1.2, "location": "Soum province"}
    twin = {**BASE, "event_id": "acled:BFO2", "dataset": "acled", "latitude": 13.8, "location": "Gasseliki"}
    frame = schema.conform(pd.concat([events(region), pd.DataFrame([twin])], ignore_index=True))
    out, _ = incidents.apply(frame)
    assert (out["incident_size"] == 1).all()
    # With a distinguishing toll, the region-level report links to the matching village report only.
    frame.loc[frame["event_id"] == "acled:BFO2", "fatalities"] = 3
    frame.loc[frame["event_id"] == "ucdp:1", "fatalities"] = 3
    assert linked(frame, "acled:BFO2", "ucdp:1") and not linked(frame, "acled:BFO1", "ucdp:1")


def test_a_chain_never_puts_two_events_of_one_dataset_in_an_incident():
    text = {"dataset": "text", "event_id": "text:1"}
    twin = {"dataset": "acled", "event_id": "acled:BFO2", "latitude": 13.96 + 0.05, "geo_precision": 2}
    frame = events({"latitude": 13.96 + 0.03, "geo_precision": 2}, {**text, "latitude": 13.96 + 0.04,
                                                                    "geo_precision": 2}, twin)
    out, _ = incidents.apply(frame)
    for _, members in out.groupby("incident_id"):
        assert members["dataset"].is_unique
    assert out.groupby("incident_id")["incident_size"].first().sum() == len(out)


def test_representative_is_the_most_precise_place_then_date_then_dataset():
    frame = events({"geo_precision": 1, "latitude": 13.962},  # ucdp, equally precise: acled wins on dataset order
                   {"dataset": "text", "event_id": "text:1", "geo_precision": 2, "latitude": 13.97})
    out, _ = incidents.apply(frame)
    assert set(out["incident_id"]) == {"acled:BFO1"}
    frame.loc[frame["event_id"] == "acled:BFO1", "geo_precision"] = 2
    out, _ = incidents.apply(frame)
    assert set(out["incident_id"]) == {"ucdp:1"}  # now the most precise place


# -- determinism and nothing deleted ----------------------------------------------------------------------------


def test_relinking_is_deterministic_and_independent_of_row_order():
    frame = labelled_events()
    first, _ = incidents.apply(frame)
    shuffled = frame.sample(frac=1.0, random_state=3)
    second, _ = incidents.apply(shuffled)
    again, _ = incidents.apply(first)
    for other in (second.loc[first.index], again):
        pd.testing.assert_series_equal(first["incident_id"], other["incident_id"])
        pd.testing.assert_series_equal(first["incident_size"], other["incident_size"])
        pd.testing.assert_series_equal(first["incident_score"], other["incident_score"])


def test_linking_keeps_every_row_and_column():
    frame = labelled_events()
    out, _ = incidents.apply(frame)
    assert len(out) == len(frame)
    pd.testing.assert_frame_equal(out.drop(columns=list(incidents.COLUMNS)),
                                  frame.drop(columns=list(incidents.COLUMNS)))
    sizes = out.groupby("incident_id")["event_id"].count()
    assert (out["incident_size"].to_numpy() == sizes.loc[out["incident_id"]].to_numpy()).all()
    alone = out["incident_size"] == 1
    assert (out.loc[alone, "incident_id"] == out.loc[alone, "event_id"]).all()


# -- accuracy on the hand-labelled pairs --------------------------------------------------------------------------


def labelled_events() -> pd.DataFrame:
    from geodata.importers.acled import read_acled
    from geodata.importers.ucdp import read_ucdp
    from geodata.pipeline import screen
    from geodata.places.boundaries import Boundaries

    boundaries = Boundaries.load()
    parts = [screen(read_acled(LABELLED / "acled.csv", progress=False), boundaries)[0],
             screen(read_ucdp(LABELLED / "ucdp.csv", progress=False), boundaries)[0]]
    return schema.conform(pd.concat(parts, ignore_index=True))


def test_labelled_pairs_reach_the_precision_and_recall_targets():
    from bench.bench_incidents import labelled_accuracy

    result = labelled_accuracy(LABELLED)
    assert result["pairs"] >= 100
    labels = pd.read_csv(LABELLED / "labels.csv")
    assert 30 <= labels["same"].sum() <= len(labels) - 30  # both kinds well represented
    assert result["precision"] >= 0.9, result["false_links"]
    assert result["recall"] >= 0.9, result["missed"]


def test_labelled_hard_cases_are_there():
    labels = pd.read_csv(LABELLED / "labels.csv")
    kinds = set(labels["incidents"])
    # Same night, same district, different villages; two events in one village on one day; region-level UCDP.
    for pair in ("pissele / bool-kiiba", "yirgou-chief / yirgou-reprisal", "arbinda-base / arbinda-civilians",
                 "ogossagou-2020 / mondoro-2020", "solhan / tadaryat"):
        assert pair in kinds or " / ".join(reversed(pair.split(" / "))) in kinds, pair
    ucdp = pd.read_csv(LABELLED / "ucdp.csv")
    assert (ucdp["where_prec"] >= 4).sum() >= 3
    assert ((pd.to_datetime(ucdp["date_start"]).dt.normalize() != pd.to_datetime(ucdp["date_end"]).dt.normalize())
            .sum() >= 3)


# -- the pipeline and the command line -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("incidents") / "events.parquet"
    for kind, name in (("acled", "acled.csv"), ("ucdp", "ucdp.csv")):
        result = geodata("import", kind, str(LABELLED / name), "--store", str(path), "--no-progress")
        assert result.returncode == 0, result.stderr
    return path


def test_every_import_links_and_writes_the_incidents_csv(imported):
    events = store.read_store(imported)
    assert len(events) == 91  # every row of both files is kept
    assert list(schema.COLUMN_NAMES[-3:]) == list(incidents.COLUMNS)
    pair = events.set_index("event_id").loc[["acled:BFO0001", "ucdp:480001"], "incident_id"]
    assert pair.nunique() == 1, pair  # Gasseliki / Gassiliki village
    report = pd.read_csv(imported.parent / "events.incidents.csv")
    assert list(report.columns) == [
        "incident_id", "incident_size", "datasets", "members", "score", "incident_note", "why",
    ]
    assert len(report) == events.loc[events["incident_size"] > 1, "incident_id"].nunique() >= 40
    row = report.loc[report["members"].str.contains("acled:BFO0001")].iloc[0]
    assert row["datasets"] == "acled+ucdp" and "ucdp:480001" in row["members"] and "km apart" in row["why"]


def test_incidents_command_prints_a_summary_and_gives_the_same_incidents(imported, tmp_path):
    path = tmp_path / "events.parquet"
    shutil.copy(imported, path)
    before = store.read_store(path)
    result = geodata("incidents", "--store", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    match = re.fullmatch(r"events (\d+), incidents (\d+), multi-source incidents (\d+)", lines[0])
    assert match, result.stdout
    n_events, n_incidents, n_multi = map(int, match.groups())
    assert n_events == len(before) == 91
    assert n_incidents == before["incident_id"].nunique()
    assert n_multi == before.loc[before["incident_size"] > 1, "incident_id"].nunique()
    assert lines[1] == f"acled+ucdp: {n_multi}"
    after = store.read_store(path)
    pd.testing.assert_frame_equal(before, after)  # nothing deleted, the same incidents
    assert (path.parent / "events.incidents.csv").read_bytes() == (imported.parent / "events.incidents.csv"
                                                                     ).read_bytes()


def test_incidents_command_without_a_store_says_so(tmp_path):
    result = geodata("incidents", "--store", str(tmp_path / "missing.parquet"))
    assert result.returncode == 2
    assert "no event store" in result.stderr


def test_summary_counts_each_pair_of_datasets():
    frame = events({"latitude": 13.962}, {"dataset": "text", "event_id": "text:1", "latitude": 13.961})
    out, _ = incidents.apply(frame)
    assert incidents.summary_lines(out) == [
        "events 3, incidents 1, multi-source incidents 1", "acled+text: 1", "acled+ucdp: 1", "ucdp+text: 1"]
    assert np.isfinite(out["incident_score"]).all()
