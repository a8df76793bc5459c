"""Issue 21, real-data loose ends: numeric ACLED dates, Lake Chad jihadists, older admin units, disputed
attribution and the command line's header cap, on files of our own making laid out like the real ones."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata import store
from geodata.importers import HeaderTooWideError, read_acled
from geodata.importers.common import MAX_COLUMNS
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
# Laid out like the World Bank's ACLED re-export for Niger (day, month, year columns; event_date 15-05-2024; no
# iso, timestamp or assoc_actor columns); rows, ids and notes are ours.
NIGER = FIXTURES / "acled_niger_dayfirst.csv"
# The same layout without day and month columns and with days 1-12 only: nothing shows which comes first.
AMBIGUOUS = FIXTURES / "acled_niger_ambiguous.csv"
SUMMARY = re.compile(r"^read (\d+), kept (\d+), updated (\d+), duplicates (\d+), quarantined (\d+)$", re.M)


@pytest.fixture(scope="module")
def niger(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The Niger-style file imported by the command line into a fresh store."""
    path = tmp_path_factory.mktemp("niger") / "events.parquet"
    return geodata("import", "acled", str(NIGER), "--store", str(path), "--no-progress"), path


def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, ...]:
    match = SUMMARY.search(result.stdout)
    assert match, result.stdout + result.stderr
    read, kept, updated, duplicates, quarantined = map(int, match.groups())
    assert read == kept + updated + duplicates + quarantined
    return read, kept, updated, duplicates, quarantined


# ------------------------------------------------------------------------------------- 1. numeric dates


def test_the_niger_layout_imports_with_its_day_first_dates(niger):
    result, path = niger
    assert result.returncode == 0, result.stderr
    assert counts(result) == (33, 32, 0, 0, 1)
    assert "event_date is numeric ('15-05-2024'): read day-first as the file shows" in result.stderr
    events = store.read_store(path).set_index("event_id")
    raw = pd.read_csv(NIGER, dtype=str).set_index("event_id_cnty")
    kept = raw.loc[[i.removeprefix("acled:") for i in events.index]]
    # every day read as the day, including days 1-12: never as a month
    expected = pd.to_datetime(kept["year"] + "-" + kept["month"] + "-" + kept["day"]).to_numpy()
    assert (events["date_start"].to_numpy() == expected).all()
    assert events.loc["acled:NIRF0001", "date_start"] == pd.Timestamp("2024-05-15")
    assert events.loc["acled:NIRF0002", "date_start"] == pd.Timestamp("2024-05-03")  # 03-05: 3 May, not 5 March
    assert events.loc["acled:NIRF0003", "date_start"] == pd.Timestamp("2019-01-04")
    # post-2022 names keep their families
    assert events.loc["acled:NIRF0001", ["group1", "group2"]].tolist() == ["ISGS", "State forces"]
    assert events.loc["acled:NIRF0032", "group2"] == "Wagner Group"


def test_a_date_in_another_year_than_its_year_column_is_quarantined_naming_file_row_and_field(niger):
    result, path = niger
    quarantine = pd.read_csv(path.with_name("events.quarantine.csv"), dtype=str)
    assert quarantine["event_id_cnty"].tolist() == ["NIRF0033"]
    row = quarantine.iloc[0]
    assert row["source_file"] == NIGER.name and row["source_row"] == "33"
    assert row["reason"] == "event_date: '20-02-2024' is in 2024 but the year column says 2023"
    assert f"{NIGER.name} row 33: event_date:" in result.stderr


def test_the_file_without_day_and_month_columns_is_still_read_day_first(tmp_path):
    plain = tmp_path / "no_day_month.csv"
    pd.read_csv(NIGER, dtype=str, keep_default_na=False).drop(columns=["day", "month"]).to_csv(plain, index=False)
    parsed = read_acled(plain, progress=False)
    assert parsed.problems.tolist() == ["event_date: '20-02-2024' is in 2024 but the year column says 2023"]
    assert parsed.events.loc[2, "date_start"] == pd.Timestamp("2024-05-03")
    assert parsed.events.loc[1, "date_start"] == pd.Timestamp("2024-05-15")


def test_month_first_files_are_read_month_first(tmp_path):
    raw = pd.read_csv(NIGER, dtype=str, keep_default_na=False).drop(columns=["day", "month"])
    parts = raw["event_date"].str.split("-", expand=True)
    raw["event_date"] = parts[1] + "/" + parts[0] + "/" + parts[2]
    flipped = tmp_path / "month_first.csv"
    raw.to_csv(flipped, index=False)
    parsed = read_acled(flipped, progress=False)
    assert parsed.events.loc[1, "date_start"] == pd.Timestamp("2024-05-15")
    assert parsed.events.loc[2, "date_start"] == pd.Timestamp("2024-05-03")
    assert any("read month-first as the file shows" in notice for notice in parsed.notices)


def test_an_ambiguous_file_quarantines_only_the_rows_it_cannot_read(tmp_path):
    store_path = tmp_path / "events.parquet"
    result = geodata("import", "acled", str(AMBIGUOUS), "--store", str(store_path), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert counts(result) == (8, 1, 0, 0, 7)
    kept = store.read_store(store_path)
    assert kept["event_id"].tolist() == ["acled:NIRA0011"]  # 07-07-2023 reads the same either way
    assert kept["date_start"].tolist() == [pd.Timestamp("2023-07-07")]
    quarantine = pd.read_csv(store_path.with_name("events.quarantine.csv"), dtype=str)
    assert quarantine["source_row"].tolist() == ["1", "2", "3", "4", "5", "7", "8"]
    assert (quarantine["source_file"] == AMBIGUOUS.name).all()
    assert quarantine["reason"].str.startswith("event_date: '").all()
    assert quarantine["reason"].str.contains("could be day-first or month-first").all()


def test_day_and_month_columns_that_fit_neither_order_are_a_problem(tmp_path):
    raw = pd.read_csv(NIGER, dtype=str, keep_default_na=False)
    raw.loc[1, "day"] = "4"  # row 2 says 03-05-2024
    odd = tmp_path / "odd.csv"
    raw.to_csv(odd, index=False)
    parsed = read_acled(odd, progress=False)
    assert parsed.problems.loc[2] == "event_date: '03-05-2024' is not day 4, month 5 in either order, as the day " \
        "and month columns say"
    assert pd.isna(parsed.events.loc[2, "date_start"])


# ------------------------------------------------------------------------------------- 5. header cap


def wide_header(path: Path, columns: int) -> Path:
    """An ACLED-looking file whose header has ``columns`` columns (the real ones among them) and one row."""
    names = ["event_id_cnty", "event_date", *(f"c{i % 100}" for i in range(columns - 2))]
    path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n", encoding="utf-8")
    return path


def test_the_command_line_refuses_a_header_of_40000_columns_with_the_upload_limit(tmp_path):
    wide = wide_header(tmp_path / "wide.csv", 40_000)
    store = tmp_path / "events.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "geodata", "import", "acled", str(wide), "--store", str(store), "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "wide.csv: the header row has 40,000 columns, more than the 500" in result.stderr
    assert "nothing was imported" in result.stderr
    assert not store.exists()


@pytest.mark.parametrize("columns, refused", [(MAX_COLUMNS, False), (MAX_COLUMNS + 1, True)])
def test_the_header_cap_is_the_upload_routes_own(tmp_path, columns, refused):
    from dashboard import upload

    assert upload.MAX_COLUMNS == MAX_COLUMNS
    path = wide_header(tmp_path / "edge.csv", columns)
    if refused:
        with pytest.raises(HeaderTooWideError, match=f"{columns:,} columns"):
            read_acled(path, progress=False)
    else:  # not refused for its width: refused later for the ACLED columns it lacks
        with pytest.raises(ValueError, match="missing required column"):
            read_acled(path, progress=False)


def test_a_header_line_longer_than_the_byte_bound_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("event_id_cnty," + "x" * 300_000 + "\n1,2\n", encoding="utf-8")
    with pytest.raises(HeaderTooWideError, match="longer than 256 KB"):
        read_acled(path, progress=False)
