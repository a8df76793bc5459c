"""Real-format exports through the pipeline: HXL row, pre-2019 ACLED layout and old types, newer revisions,
border points with the source's country, UCDP "X region" names and --update, precise quarantine reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geodata import store
from geodata.importers import read_acled
from geodata.pipeline import import_file
from geodata.settings import Settings
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
OLD = FIXTURES / "acled_2019_old_layout.csv"
HDX = FIXTURES / "acled_hdx_2020.csv"
GED = FIXTURES / "ucdp_ged_25_1_extract.csv"
GED_REVISED = FIXTURES / "ucdp_ged_25_1_revised.csv"
SUMMARY = re.compile(r"^read (\d+), kept (\d+), updated (\d+), duplicates (\d+), quarantined (\d+)$", re.M)


def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, store=tmp_path / "events.parquet", progress=False)


def counts(summary) -> tuple[int, int, int, int, int]:
    assert summary.read == summary.kept + summary.updated + summary.duplicates + summary.quarantined
    match = SUMMARY.fullmatch(summary.line())
    assert match, summary.line()
    return tuple(map(int, match.groups()))


@pytest.fixture
def old_store(tmp_path: Path) -> Settings:
    config = settings(tmp_path)
    summary = import_file("acled", OLD, config)
    assert counts(summary) == (11, 9, 0, 0, 2)
    return config


def by_id(config: Settings) -> pd.DataFrame:
    return store.read_store(config.store).set_index("event_id")


def test_hxl_row_is_metadata_not_a_record():
    parsed = read_acled(HDX, progress=False)
    assert parsed.n_read == 8 and len(parsed.raw) == 8
    assert not parsed.raw.iloc[:, 2].str.startswith("#").any()
    assert any("HXL hashtag row" in notice and "#x_data_id" in notice for notice in parsed.notices)
    assert parsed.problems.empty
    # Row numbers stay the file's record numbers (the HXL row is record 1).
    assert parsed.raw.index[0] == 2


def test_old_acled_types_are_mapped_and_the_original_kept():
    events = read_acled(OLD, progress=False).events.set_index("event_id")
    expected = {
        "acled:MLI2612": ("Battles", "Armed clash", "Battle-No change of territory"),
        "acled:MLI2700": ("Explosions/Remote violence", None, "Remote violence"),
        "acled:MLI2701": ("Protests", "Peaceful protest", "Riots/Protests"),
        "acled:MLI2702": ("Riots", None, "Riots/Protests"),
        "acled:MLI2703": ("Strategic developments", None, "Strategic development"),
        "acled:MLI2704": ("Strategic developments", "Headquarters or base established", "Headquarters or base "
                          "established"),
        "acled:MLI2705": ("Battles", "Government regains territory", "Battle-Government regains territory"),
        "acled:MLI2706": ("Violence against civilians", None, "Violence against civilians"),
        "acled:MLI2707": ("Battles", "Non-state actor overtakes territory", "Battle-Non-state actor overtakes "
                          "territory"),
        "acled:MLI2708": ("Strategic developments", "Non-violent transfer of territory", "Non-violent transfer "
                          "of territory"),
    }
    for event_id, (kind, sub, original) in expected.items():
        row = events.loc[event_id]
        got = (row["event_type"], None if pd.isna(row["sub_event_type"]) else row["sub_event_type"],
               row["source_event_type"])
        assert got == (kind, sub, original), event_id
    assert events.loc["acled:MLI2612", "source_timestamp"] == 1549386432
    assert pd.isna(events.loc["acled:MLI2705", "source_timestamp"])
    assert events.loc["acled:CMR1201", "source_country_iso2"] == "CM"
    current = read_acled(HDX, progress=False).events.set_index("event_id")
    assert current.loc["acled:MLI2700", "event_type"] == current.loc["acled:MLI2700", "source_event_type"]


def test_border_point_keeps_the_source_country_and_far_point_is_reported(old_store):
    events = by_id(old_store)
    tin = events.loc["acled:MLI2704"]  # Tin Zaouaten: the point is 0.3 km inside Algeria
    assert (tin["country_iso2"], tin["admin1"], tin["admin2"]) == ("ML", "Kidal", "Abeibara")
    assert tin["geo_note"].startswith("source's country kept (Mali): the point lies in Algeria, 0.")
    far = events.loc["acled:MLI2708"]  # a Mali row 150 km inside Algeria: our join, reported
    assert far["country_iso2"] == "DZ" and pd.isna(far["admin1"])
    assert "source says Mali" in far["geo_note"]
    report = pd.read_csv(old_store.admin1_report, dtype=str, keep_default_na=False).set_index("event_id")
    assert report.loc["acled:MLI2708", "kinds"] == "country"
    assert "Mali" in report.loc["acled:MLI2708", "reason"]
    assert "acled:MLI2704" not in report.index
    # Tombouctou/Timbuktu, Menaka/Ménaka, Inekar (a 2016 cercle inside the former Ménaka cercle): not differences.
    assert set(report.index) == {"acled:MLI2708"}


def test_precise_quarantine_reasons(old_store):
    quarantine = pd.read_csv(old_store.quarantine, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    assert set(quarantine.index) == {"MLI2707", "CMR1201"}
    # Kerawa lies in Cameroon, the country the row names: outside the covered area, not swapped.
    kerawa = quarantine.loc["CMR1201", "reason"]
    assert "is outside Mali, Burkina Faso, Niger and their neighbours (the row says CM)" in kerawa
    assert "swapped" not in kerawa
    assert "look swapped (the swapped point is in ML)" in quarantine.loc["MLI2707", "reason"]


def test_newer_revisions_replace_stored_events_and_are_logged(old_store):
    before = by_id(old_store)
    summary = import_file("acled", HDX, old_store)
    # 8 records (HXL row not counted): 3 new, 3 newer revisions, 2 stored copies stay (equal and older timestamp).
    assert counts(summary) == (8, 3, 3, 2, 0)
    events = by_id(old_store)
    assert len(events) == len(before) + 3
    assert events.loc["acled:MLI2612", "fatalities"] == 3
    assert events.loc["acled:MLI2700", "event_type"] == "Explosions/Remote violence"
    assert events.loc["acled:MLI2700", "actor2"] == "Military Forces of Mali (2013-2021)"
    assert events.loc["acled:MLI2705", "source_timestamp"] == 1582156800  # a timestamp beats none
    assert events.loc["acled:MLI2706", "fatalities"] == 1  # equal timestamp: the stored copy stays
    assert events.loc["acled:MLI2703", "source_timestamp"] == 1549386432  # older: stays

    log = pd.read_csv(old_store.revisions, dtype=str, keep_default_na=False)
    assert list(log.columns) == ["event_id", "field", "old", "new", "old_timestamp", "new_timestamp"]
    fatal = log[(log["event_id"] == "acled:MLI2612") & (log["field"] == "fatalities")]
    assert fatal[["old", "new", "old_timestamp", "new_timestamp"]].values.tolist() == [
        ["2", "3", "1549386432", "1582156800"]
    ]
    assert set(log["event_id"]) == {"acled:MLI2612", "acled:MLI2700", "acled:MLI2705"}
    assert log.loc[log["event_id"] == "acled:MLI2705", "old_timestamp"].eq("").all()

    # Re-importing the same file changes nothing.
    stored = store.read_store(old_store.store).drop(columns="geometry")
    logged = old_store.revisions.read_bytes()
    again = import_file("acled", HDX, old_store)
    assert counts(again) == (8, 0, 0, 8, 0)
    pd.testing.assert_frame_equal(store.read_store(old_store.store).drop(columns="geometry"), stored)
    assert old_store.revisions.read_bytes() == logged


def test_niger_border_point_and_report_lines(old_store):
    summary = import_file("acled", HDX, old_store)
    events = by_id(old_store)
    diffa = events.loc["acled:NIG3001"]  # 2 km inside Nigeria, the source says Niger
    assert (diffa["country_iso2"], diffa["admin1"], diffa["admin2"]) == ("NE", "Diffa", "Diffa")
    assert diffa["geo_note"].startswith("source's country kept (Niger): the point lies in Nigeria")
    assert events.loc["acled:NIG3002", "admin1"] == "Tillabéri"  # Tillabery in the file: same region
    report = pd.read_csv(old_store.admin1_report, dtype=str, keep_default_na=False).set_index("event_id")
    assert set(report.index) == {"acled:MLI2708", "acled:NIG3003"}
    assert report.loc["acled:NIG3003", "reason"] == "admin-1: ours Dosso, source Tillabery"
    lines = summary.differences
    assert any(re.fullmatch(r"country differs for 1 of \d+ events \(\d+\.\d%\): DZ for ML 1", line) for line in lines)
    assert any(re.fullmatch(r"admin-1 differs for 1 of \d+ events \(\d+\.\d%\): Dosso for Tillabery 1", line)
               for line in lines), lines
    assert any(line.startswith("source's country kept for 2 events within 10 km") for line in lines), lines


def test_ucdp_region_names_agree_and_update_needs_the_flag(tmp_path):
    config = settings(tmp_path)
    assert counts(import_file("ucdp", GED, config)) == (7, 7, 0, 0, 0)
    events = by_id(config)
    assert events.loc["ucdp:512005", "source_country_iso2"] == "ML"  # from country_id 432
    report = pd.read_csv(config.admin1_report, dtype=str, keep_default_na=False)
    # "Sahel region", "Région de Ségou", "Tombouctou region", "Tillabéri region", "Soum province": all agree.
    assert report["event_id"].tolist() == ["ucdp:512004"]
    assert report["reason"].tolist() == ["admin-1: ours Sahel, source Nord region"]

    without = import_file("ucdp", GED_REVISED, config)
    assert counts(without) == (7, 0, 0, 7, 0)
    assert any("--update" in notice for notice in without.notices)
    assert by_id(config).loc["ucdp:512001", "fatalities"] == 12
    assert not config.revisions.exists()

    result = geodata("import", "ucdp", str(GED_REVISED), "--update", "--store", str(config.store), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "read 7, kept 0, updated 1, duplicates 6, quarantined 0" in result.stdout
    assert by_id(config).loc["ucdp:512001", "fatalities"] == 14
    log = pd.read_csv(config.revisions, dtype=str, keep_default_na=False)
    assert log[["event_id", "field", "old", "new"]].values.tolist() == [
        ["ucdp:512001", "fatalities", "12", "14"],
        ["ucdp:512001", "fatalities_high", "15", "18"],
    ]


def test_an_upload_shows_the_differences_from_the_source_beside_its_summary(tmp_path):
    from dashboard.web.upload import import_upload

    result = import_upload(GED, "ged.csv", "ucdp", settings(tmp_path))
    assert result.ok and result.message.endswith("read 7, kept 7, updated 0, duplicates 0, quarantined 0")
    assert any(note.startswith("admin-1 differs for 1 of 7 events") for note in result.notes)
    assert result.as_dict()["notes"] == result.notes
