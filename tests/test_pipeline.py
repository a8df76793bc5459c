"""The pipeline end to end through its command line: build, import, extract, geocode.

Each test runs ``python -m geodata`` as a real subprocess on real files and reads the store it wrote.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from geodata import schema, store
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^read (\d+), kept (\d+), duplicates (\d+), quarantined (\d+)$", re.M)




def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, int, int, int]:
    match = SUMMARY.search(result.stdout)
    assert match, f"no summary line in {result.stdout!r} / {result.stderr!r}"
    read, kept, dup, quarantined = map(int, match.groups())
    assert read == kept + dup + quarantined
    return read, kept, dup, quarantined


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "events.parquet"
    result = geodata("build", "--store", str(path))
    assert result.returncode == 0, result.stderr
    counts(result)
    return path


def test_build_places_the_seed_and_curated_events(built):
    events = store.read_store(built)
    assert set(events["dataset"]) == {"seed", "curated"}
    curated = events[events["dataset"] == "curated"]
    listed = pd.read_csv(REPO / "seeds" / "curated_events.csv", dtype=str)
    assert len(listed) >= 100  # the default map opens on at least 100 documented events
    assert sorted(curated["event_id"]) == sorted(listed["event_id"])  # every curated row is kept
    assert events["event_id"].is_unique
    assert events["date_start"].is_monotonic_increasing
    seed = events[events["dataset"] == "seed"]
    placed = " ".join(seed["location"].dropna())
    for place in ("Fassala", "Farabougou", "Menaka", "Tchoma Bangou", "Zaroumdareye"):
        assert place.lower() in placed.lower(), f"{place} not placed from the seed: {placed}"
    assert seed["notes"].notna().all() and seed["source"].str.contains(r"\[\d+\]").all()
    fassala = seed[seed["location"].str.contains("Fassala", na=False)].iloc[0]
    assert fassala["country_iso2"] == "MR" and pd.isna(fassala["admin1"])


def test_build_twice_gives_the_same_store(built, tmp_path):
    again = tmp_path / "events.parquet"
    geodata("build", "--store", str(again))
    first = store.read_store(built).drop(columns="geometry")
    second = store.read_store(again).drop(columns="geometry")
    pd.testing.assert_frame_equal(first, second)


def test_import_acled_accounts_for_every_row_and_is_idempotent(built, tmp_path):
    path = tmp_path / "events.parquet"
    path.write_bytes(built.read_bytes())
    before = len(store.read_store(path))

    first = geodata("import", "acled", str(FIXTURES / "pipeline_acled.csv"), "--store", str(path))
    assert first.returncode == 0, first.stderr
    assert counts(first) == (9, 4, 1, 4)
    events = store.read_store(path)
    assert len(events) == before + 4
    menaka = events.set_index("event_id").loc["acled:MLI1001"]
    assert (menaka["country_iso2"], menaka["admin1"], menaka["source_admin1"]) == ("ML", "Gao", "Menaka")
    assert events.set_index("event_id").loc["acled:MRT3001", "country_iso2"] == "MR"
    assert pd.isna(events.set_index("event_id").loc["acled:MRT3001", "fatalities"])

    quarantine = pd.read_csv(tmp_path / "events.quarantine.csv", dtype=str, keep_default_na=False)
    by_id = quarantine.set_index("event_id_cnty")
    assert set(by_id.index) == {"NER4001", "NER4002", "NER4003", "NER4004"}
    assert "event_date" in by_id.loc["NER4001", "reason"]
    assert "latitude/longitude: missing" in by_id.loc["NER4002", "reason"]
    assert "swapped" in by_id.loc["NER4003", "reason"]
    assert "outside" in by_id.loc["NER4004", "reason"]
    assert (quarantine["source_file"] == "pipeline_acled.csv").all()
    assert by_id.loc["NER4001", "event_date"] == "31 February 2022"  # the original row, untouched
    assert "pipeline_acled.csv row 5" in first.stderr

    report = pd.read_csv(tmp_path / "events.admin1-disagreements.csv", dtype=str)
    assert set(report["event_id"]) == {"acled:MLI1001", "acled:MLI1005"}  # Menaka in NE's Gao; Niono in Ségou
    assert "admin-1 differs from the source's for 2 stored events" in first.stderr

    stored = store.read_store(path).drop(columns="geometry")
    quarantined = (tmp_path / "events.quarantine.csv").read_bytes()
    second = geodata("import", "acled", str(FIXTURES / "pipeline_acled.csv"), "--store", str(path))
    assert counts(second) == (9, 0, 5, 4)
    pd.testing.assert_frame_equal(store.read_store(path).drop(columns="geometry"), stored)
    assert (tmp_path / "events.quarantine.csv").read_bytes() == quarantined


def test_missing_columns_are_named_and_nothing_is_written(tmp_path):
    bad = tmp_path / "not_acled.csv"
    bad.write_text("event_id_cnty,event_date\nX1,2020-01-01\n", encoding="utf-8")
    path = tmp_path / "events.parquet"
    result = geodata("import", "acled", str(bad), "--store", str(path))
    assert result.returncode == 2
    assert "not_acled.csv" in result.stderr and "latitude" in result.stderr
    assert not path.exists()


def test_extract_text_file_cites_sentences(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text(
        "[4] On March 15, 2021, ISGS fighters attacked soldiers in Tessit, killing 33.\n\n"
        "[5] In May 2021, JNIM militants clashed with ISGS near Xyzzyville, leaving about 20 dead.\n",
        encoding="utf-8",
    )
    path = tmp_path / "events.parquet"
    result = geodata("extract", str(text), "--store", str(path))
    assert result.returncode == 0, result.stderr
    read, kept, _, quarantined = counts(result)
    assert kept >= 1 and quarantined >= 1
    events = store.read_store(path)
    tessit = events[events["location"].str.contains("Tessit", na=False)].iloc[0]
    assert tessit["dataset"] == "text" and tessit["event_id"].startswith("text:report")
    assert tessit["date_start"] == pd.Timestamp("2021-03-15") and tessit["fatalities"] == 33
    assert "[4]" in tessit["source"]
    quarantine = pd.read_csv(tmp_path / "events.quarantine.csv", dtype=str, keep_default_na=False)
    assert quarantine["reason"].str.contains("Xyzzyville").any()


def test_geocode_cli_prints_json_and_fails_on_unknown():
    result = geodata("geocode", "Menaka", "Gao")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["country_iso2"] for r in lines] == ["ML", "ML"]
    assert set(lines[0]) >= {
        "latitude", "longitude", "geo_precision", "country_iso2", "admin1", "admin2", "matched_name", "score", "source"
    }
    burkina = json.loads(geodata("geocode", "Gao", "--country", "BF").stdout)
    assert burkina["country_iso2"] == "BF"
    missing = geodata("geocode", "Xyzzyville")
    assert missing.returncode == 1 and "closest" in missing.stderr


def test_import_ucdp_maps_fatalities_and_is_idempotent(tmp_path):
    path = tmp_path / "events.parquet"
    ged = str(FIXTURES / "ucdp_ged.csv")
    first = geodata("import", "ucdp", ged, "--store", str(path))
    assert first.returncode == 0, first.stderr
    assert counts(first) == (8, 7, 0, 1)
    assert "ucdp_ged.csv row 8: date_start: '2020-02-30 00:00:00.000' is not a valid date" in first.stderr
    events = store.read_store(path).set_index("event_id")
    clash = events.loc["ucdp:302"]
    assert (clash["group1"], clash["group2"]) == ("ISGS", "JNIM")
    assert (clash["fatalities"], clash["fatalities_low"], clash["fatalities_high"]) == (20, 12, 40)
    assert (clash["date_precision"], clash["geo_precision"]) == ("week", 2)
    assert (clash["country_iso2"], clash["admin1"], clash["source_admin1"]) == ("ML", "Gao", "Menaka region")
    assert counts(geodata("import", "ucdp", ged, "--store", str(path))) == (8, 0, 7, 1)
    assert len(store.read_store(path)) == 7


def test_import_acled_quarantines_rows_with_the_wrong_number_of_fields(tmp_path):
    """A row with extra fields (an unquoted comma) or missing ones goes to the quarantine; the rest imports."""
    path = tmp_path / "events.parquet"
    source = FIXTURES / "acled_ragged.csv"
    result = geodata("import", "acled", str(source), "--store", str(path))
    assert result.returncode == 0, result.stderr
    assert counts(result) == (4, 2, 0, 2)
    assert set(store.read_store(path)["event_id"]) == {"acled:MLI7001", "acled:MLI7004"}
    assert "acled_ragged.csv row 2: row has 33 fields, the header has 31" in result.stderr

    quarantine = pd.read_csv(tmp_path / "events.quarantine.csv", dtype=str, keep_default_na=False)
    by_id = quarantine.set_index("event_id_cnty")
    assert set(by_id.index) == {"BFO7002", "NER7003"}
    assert by_id.loc["BFO7002", "reason"].startswith("row has 33 fields, the header has 31")
    assert by_id.loc["NER7003", "reason"] == "row has 28 fields, the header has 31"
    assert by_id["source_row"].tolist() == ["2", "3"]
    original = source.read_text(encoding="utf-8").splitlines()[3]
    columns = pd.read_csv(source, nrows=0).columns
    assert ",".join(quarantine.loc[0, columns]) == original  # the row's text, exactly


def test_an_import_waits_for_the_store_lock_and_loses_nothing(tmp_path):
    """Another worker holds the lock and writes the store; an import started meanwhile must wait and merge into
    that store, not into what it would have read before (without the lock, one write would lose the other)."""
    import threading
    import time

    from geodata.pipeline import import_file
    from geodata.settings import Settings

    settings = Settings(store=tmp_path / "events.parquet", progress=False)
    result = {}
    with store.locked(settings.store):
        worker = threading.Thread(target=lambda: result.update(
            summary=import_file("ucdp", FIXTURES / "ucdp_ged.csv", settings)))
        worker.start()
        time.sleep(3)  # long enough for an unlocked import to have read the empty store and written
        other = store.read_store(settings.store)
        store.write_store(schema.conform(pd.DataFrame({
            "event_id": ["other:1"], "dataset": ["acled"], "date_start": ["2021-01-02"], "latitude": [14.83],
            "longitude": [1.8125], "geo_precision": [1]})) if other.empty else other, settings.store)
    worker.join(timeout=120)
    stored = store.read_store(settings.store)
    assert "other:1" in set(stored["event_id"])
    assert len(stored) == 1 + result["summary"].kept and result["summary"].kept > 0
