"""ACLED, UCDP GED and curated importers on real files with the awkward cases of real exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geodata.importers import (
    EncodingError,
    MalformedCSVError,
    MissingColumnsError,
    read_acled,
    read_curated,
    read_ucdp,
)
from geodata.schema import COLUMN_NAMES, DTYPES, GROUPS, conform

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def _check_shape(parsed) -> None:
    """Canonical columns in canonical dtypes; events, raw and problems share the 1-based row index."""
    events = parsed.events
    assert list(events.columns[: len(COLUMN_NAMES)]) == list(COLUMN_NAMES)
    for name in COLUMN_NAMES:
        assert str(events[name].dtype) == DTYPES[name], name
    assert events.index.equals(parsed.raw.index)
    assert list(events.index) == list(range(1, parsed.n_read + 1))
    assert set(parsed.problems.index) <= set(events.index)
    assert all(dtype == "str" or str(dtype).startswith("str") for dtype in parsed.raw.dtypes.astype(str))
    conform(events)  # builds the geometry without complaint


# ------------------------------------------------------------------------------------------------- ACLED


def test_acled_current_format() -> None:
    parsed = read_acled(FIXTURES / "acled_current.csv", progress=False)
    _check_shape(parsed)
    events = parsed.events.set_index("event_id")
    assert parsed.n_read == 6
    assert parsed.problems.empty and parsed.notices == []
    assert (events["dataset"] == "acled").all()
    # BOM: the first header cell is read as event_id_cnty; ids get the source prefix.
    assert list(events.index) == [
        f"acled:{i}" for i in ("MLI10001", "BFO20002", "NIG30003", "MLI10004", "MLI10005", "MLI10006")
    ]
    # Quoted notes with commas and an embedded CRLF survive whole.
    notes = events.loc["acled:MLI10001", "notes"]
    assert "Boni, Douentza cercle.\r\nThe army said 5 soldiers were killed, several wounded." in notes
    assert events.loc["acled:MLI10001", "source"] == "Le Monde; RFI"
    # Three date formats and three time precisions.
    day = events.loc["acled:MLI10001"]
    assert (day["date_start"], day["date_end"], day["date_precision"]) == (
        _day("2022-11-03"),
        _day("2022-11-03"),
        "day",
    )
    week = events.loc["acled:BFO20002"]  # '03 November 2022', precision 2: the week around it
    assert (week["date_start"], week["date_end"], week["date_precision"]) == (
        _day("2022-10-31"),
        _day("2022-11-06"),
        "week",
    )
    month = events.loc["acled:NIG30003"]  # '03-Nov-22', precision 3: the whole month
    assert (month["date_start"], month["date_end"], month["date_precision"]) == (
        _day("2022-11-01"),
        _day("2022-11-30"),
        "month",
    )
    # Blank fatalities are unknown, not zero; a written 0 stays 0.
    assert pd.isna(events.loc["acled:NIG30003", "fatalities"])
    assert events.loc["acled:MLI10005", "fatalities"] == 0
    assert events.loc["acled:MLI10001", "fatalities"] == 5
    assert events["fatalities_low"].isna().all() and events["fatalities_high"].isna().all()
    # Families, including the combined 'X and/or Y' actor and Katiba Macina.
    assert events["group1"].tolist() == ["JNIM", "Ansarul Islam", "ISGS", "JNIM", "JNIM", "ISGS"]
    assert events["group2"].tolist() == ["State forces", "Civilians", "Civilians", "State forces", "Militia", "Militia"]
    assert events.loc["acled:MLI10004", "group1_alt"] == "ISGS"
    assert events["group1_alt"].drop("acled:MLI10004").isna().all()
    # Points, precision, the file's own geography kept for comparison.
    assert events.loc["acled:MLI10001", ["latitude", "longitude"]].tolist() == [15.0167, -1.9667]
    assert events["geo_precision"].tolist() == [1, 2, 3, 1, 2, 3]
    assert events["source_admin1"].tolist() == ["Mopti", "Sahel", "Tillaberi", "Gao", "Segou", "Menaka"]
    assert events["source_country_iso2"].tolist() == ["ML", "BF", "NE", "ML", "ML", "ML"]
    assert events["country_iso2"].isna().all() and events["admin1"].isna().all()
    assert events["inter2"].tolist() == [
        "State forces",
        "Civilians",
        "Civilians",
        "State forces",
        "Identity militia",
        "Political militia",
    ]
    assert events["source_url"].isna().all()
    # raw is the file's text, untouched.
    assert parsed.raw.loc[2, "event_date"] == "03 November 2022"
    assert parsed.raw.loc[3, "fatalities"] == ""
    assert parsed.raw.columns[0] == "event_id_cnty"


def test_acled_old_format_with_numeric_inter_codes() -> None:
    parsed = read_acled(FIXTURES / "acled_old.csv", progress=False)
    _check_shape(parsed)
    assert parsed.problems.empty
    assert parsed.notices == []  # the optional columns we use are all there
    events = parsed.events
    assert events["inter1"].tolist() == ["Rebel group", "Political militia", "Protesters", "Identity militia"]
    assert events["inter2"].tolist()[:2] == ["State forces", "Civilians"]
    assert pd.isna(events["inter2"].iloc[2])  # code 0: no second actor
    assert pd.isna(events["actor2"].iloc[2]) and pd.isna(events["group2"].iloc[2])
    assert events["group1"].tolist() == ["ISGS", "Other", "Other", "Militia"]
    assert events["date_start"].iloc[0] == _day("2019-10-04")
    assert (events["date_start"].iloc[2], events["date_end"].iloc[2]) == (_day("2019-10-03"), _day("2019-10-09"))
    assert "iso3" in parsed.raw.columns and "disorder_type" not in parsed.raw.columns


def test_acled_without_optional_columns_gives_a_notice(tmp_path: Path) -> None:
    source = pd.read_csv(FIXTURES / "acled_old.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "slim.csv"
    source.drop(columns=["notes", "inter1", "inter2", "admin2"]).to_csv(path, index=False)
    parsed = read_acled(path, progress=False)
    assert parsed.notices == ["slim.csv has no inter1, inter2, admin2, notes column(s): left empty"]
    assert parsed.events["notes"].isna().all() and parsed.events["inter1"].isna().all()
    assert parsed.n_read == 4


def test_acled_cp1252_file_is_decoded_with_a_notice() -> None:
    parsed = read_acled(FIXTURES / "acled_cp1252.csv", progress=False)
    assert b"M\xe9naka" in (FIXTURES / "acled_cp1252.csv").read_bytes()
    assert parsed.notices == ["acled_cp1252.csv is not UTF-8: decoded as cp1252"]
    assert parsed.events["source_admin1"].iloc[0] == "Ménaka"
    assert parsed.raw.loc[1, "notes"] == "Attaque près de Ménaka, région de Ménaka."
    assert parsed.problems.empty


def test_file_neither_utf8_nor_cp1252_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "acled_cp1252.csv").read_bytes().replace(b"M\xe9naka", b"M\x81naka")
    path = tmp_path / "broken.csv"
    path.write_bytes(text)
    with pytest.raises(EncodingError, match="broken.csv: is neither UTF-8 nor cp1252"):
        read_acled(path, progress=False)


def test_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(EncodingError, match="export.csv: is a zip archive or Excel workbook"):
        read_acled(path, progress=False)


def test_semicolon_separated_export(tmp_path: Path) -> None:
    source = pd.read_csv(FIXTURES / "acled_old.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "excel.csv"
    source.to_csv(path, index=False, sep=";")
    parsed = read_acled(path, progress=False)
    assert parsed.notices == ["excel.csv is separated by ';', not commas"]
    assert parsed.events["event_id"].tolist() == ["acled:MLI3001", "acled:BFO4002", "acled:NIG5003", "acled:MLI3004"]


def test_acled_missing_required_columns() -> None:
    with pytest.raises(MissingColumnsError) as caught:
        read_acled(FIXTURES / "acled_missing_column.csv", progress=False)
    assert caught.value.missing == ["latitude", "fatalities"]
    assert caught.value.path.name == "acled_missing_column.csv"
    assert "acled_missing_column.csv" in str(caught.value) and "latitude, fatalities" in str(caught.value)


def test_acled_bad_rows_are_kept_and_explained() -> None:
    parsed = read_acled(FIXTURES / "acled_bad_rows.csv", progress=False)
    _check_shape(parsed)
    assert parsed.n_read == 5 and len(parsed.events) == 5
    problems = parsed.problems.to_dict()
    assert set(problems) == {2, 3, 4, 5}
    assert problems[2].startswith("event_date: 'yesterday' is not a date in a known format")
    assert problems[3] == "event_date: '31 February 2022' is not a valid date"
    assert problems[4] == "latitude: '15°55'N' is not a number; fatalities: 'many' is not a number"
    assert problems[5] == "time_precision: '7' is not 1, 2 or 3; geo_precision: '5' is not 1, 2 or 3"
    # The raw rows are there exactly, the parsed values are NA where they were bad.
    assert parsed.raw.loc[3, "event_date"] == "31 February 2022"
    assert parsed.raw.loc[4, "latitude"] == "15°55'N"
    assert pd.isna(parsed.events.loc[3, "date_start"]) and pd.isna(parsed.events.loc[4, "latitude"])
    assert parsed.events.loc[4, "longitude"] == 2.4022
    # A blank point is the pipeline's business, not a parse problem.
    assert pd.isna(parsed.events.loc[5, "latitude"]) and "latitude" not in problems[5]


def test_rows_with_the_wrong_number_of_fields_are_kept_and_flagged() -> None:
    # Row 2 has an unquoted "a, b, c" in its notes (33 fields), row 3 stops after its notes (28 fields),
    # row 1 has a quoted note over two lines: 5 physical lines after the header, 4 records.
    path = FIXTURES / "acled_ragged.csv"
    parsed = read_acled(path, progress=False)
    _check_shape(parsed)
    assert parsed.n_read == 4
    assert parsed.raw["event_id_cnty"].tolist() == ["MLI7001", "BFO7002", "NER7003", "MLI7004"]
    assert set(parsed.problems.index) == {2, 3}
    assert parsed.problems[2].startswith("row has 33 fields, the header has 31; ")  # then the shifted fatalities
    assert parsed.problems[3] == "row has 28 fields, the header has 31"
    assert parsed.raw.loc[1, "notes"] == "IS Sahel claims an attack on JNIM,\na note on two lines"
    assert parsed.events.loc[[1, 4], "fatalities"].tolist() == [40, 12]
    # The ragged rows keep their exact text: the overflow is folded into the last column.
    lines = path.read_text(encoding="utf-8").splitlines()
    assert ",".join(parsed.raw.loc[2]) == lines[3]
    assert ",".join(parsed.raw.loc[3]).rstrip(",") == lines[4]
    assert parsed.raw.loc[3, ["fatalities", "tags", "timestamp"]].tolist() == ["", "", ""]
    assert parsed.notices == [
        "acled_ragged.csv: 2 row(s) do not have the header's 31 fields: read record by record and flagged"
    ]


def test_ragged_file_is_numbered_like_a_clean_one(tmp_path: Path) -> None:
    """The record-by-record path gives the same rows and numbers as the fast path, blank lines included."""
    text = (FIXTURES / "acled_current.csv").read_text(encoding="utf-8-sig")
    header, body = text.split("\n", 1)
    clean = header + "\n\n" + body.replace("\nBFO", "\n   \n\nBFO")
    (tmp_path / "clean.csv").write_text(clean, encoding="utf-8")
    last = body.strip().splitlines()[-1]
    (tmp_path / "ragged.csv").write_text(clean.rstrip("\n") + "\n" + last + ",extra\n", encoding="utf-8")
    fast = read_acled(tmp_path / "clean.csv", progress=False)
    slow = read_acled(tmp_path / "ragged.csv", progress=False)
    n = fast.n_read
    assert n == 6 and slow.n_read == n + 1
    pd.testing.assert_frame_equal(slow.raw.loc[1:n], fast.raw)
    pd.testing.assert_frame_equal(slow.events.loc[1:n], fast.events)
    assert slow.problems.drop(n + 1).equals(fast.problems)
    assert slow.problems[n + 1].startswith("row has 32 fields, the header has 31")


def test_first_row_too_long_is_not_taken_as_an_index(tmp_path: Path) -> None:
    """pandas would silently use the first fields as an index when the first record is the long one."""
    lines = (FIXTURES / "acled_old.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += ",one,more"
    path = tmp_path / "first.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = read_acled(path, progress=False)
    clean = read_acled(FIXTURES / "acled_old.csv", progress=False)
    assert parsed.problems[1].startswith("row has ")
    assert parsed.raw["event_id_cnty"].tolist() == clean.raw["event_id_cnty"].tolist()
    pd.testing.assert_frame_equal(parsed.raw.loc[2:], clean.raw.loc[2:])


@pytest.mark.parametrize("ragged", [False, True])
def test_a_quote_never_closed_refuses_the_file_naming_the_line(tmp_path: Path, ragged: bool) -> None:
    """Without a ragged row pandas meets the quote first; with one (line 4), the csv reader does. Either way
    the message gives the physical line (counting the one inside the quoted note)."""
    lines = ["event_id_cnty,location,notes", 'MLI1,Gao,"two', 'lines"', "MLI2,Gao,ok" + (",extra" if ragged else "")]
    lines += [f"MLI{i},Gao,ok" for i in range(3, 9)] + ['MLI9,Gao,"never closed', "MLI10,Gao,ok"]
    path = tmp_path / "unclosed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from geodata.importers.common import read_text_table

    with pytest.raises(MalformedCSVError, match="unclosed.csv: malformed CSV: a quoted field starting on line 11 is"):
        read_text_table(path, required=["event_id_cnty"], kind="ACLED", progress=False, chunk_rows=2)


def test_ragged_rows_in_a_cp1252_file(tmp_path: Path) -> None:
    from geodata.importers.common import read_text_table

    lines = ["event_id_cnty,location,notes"] + [f"MLI{i},Gao,ok" for i in range(1, 6)]
    lines += ["MLI6,M\xe9naka,attack, two dead", "MLI7,Gao"]
    path = tmp_path / "late.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    table = read_text_table(path, required=["event_id_cnty"], kind="ACLED", progress=False, chunk_rows=2)
    raw = table.raw
    assert table.notices[0] == "late.csv is not UTF-8: decoded as cp1252"
    assert raw.loc[6].tolist() == ["MLI6", "Ménaka", "attack, two dead"] and len(raw) == 7
    assert table.problems.to_dict() == {
        6: "row has 4 fields, the header has 3",
        7: "row has 2 fields, the header has 3",
    }


def test_ucdp_ragged_row_is_flagged(tmp_path: Path) -> None:
    lines = (FIXTURES / "ucdp_ged.csv").read_text(encoding="utf-8").splitlines()
    lines[3] += ",stray"
    path = tmp_path / "ged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = read_ucdp(path, progress=False)
    clean = read_ucdp(FIXTURES / "ucdp_ged.csv", progress=False)
    assert parsed.n_read == clean.n_read
    assert parsed.problems[3].startswith("row has ") and ", the header has " in parsed.problems[3]
    assert parsed.problems.drop(3).equals(clean.problems.drop(3, errors="ignore"))


def test_chunked_read_numbers_rows_across_chunks(tmp_path: Path) -> None:
    from geodata.importers.common import read_text_table

    source = pd.read_csv(FIXTURES / "acled_old.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "many.csv"
    pd.concat([source] * 5, ignore_index=True).to_csv(path, index=False)
    raw = read_text_table(path, required=["event_id_cnty"], kind="ACLED", progress=False, chunk_rows=3).raw
    assert list(raw.index) == list(range(1, 21))
    assert raw["event_id_cnty"].tolist() == source["event_id_cnty"].tolist() * 5


# -------------------------------------------------------------------------------------------------- UCDP


def test_ucdp_ged() -> None:
    parsed = read_ucdp(FIXTURES / "ucdp_ged.csv", progress=False)
    _check_shape(parsed)
    events = parsed.events
    assert parsed.n_read == 8
    assert events["event_id"].tolist()[:3] == ["ucdp:301", "ucdp:302", "ucdp:303"]
    assert (events["dataset"] == "ucdp").all()
    good = events.loc[1:7]
    assert good["date_start"].tolist()[:2] == [_day("2020-04-18"), _day("2020-04-14")]
    assert good["date_end"].tolist()[:2] == [_day("2020-04-18"), _day("2020-04-18")]
    # date_prec 1..5 and where_prec 1..7 mapped.
    assert good["date_precision"].tolist() == ["day", "week", "week", "month", "year", "day", "day"]
    assert good["geo_precision"].tolist() == [1, 2, 2, 3, 4, 4, 4]
    assert good["event_type"].tolist() == [
        "Battles",
        "Battles",
        "Violence against civilians",
        "Battles",
        "Violence against civilians",
        "Battles",
        "Battles",
    ]
    assert good["sub_event_type"].iloc[2] == "One-sided violence"
    assert good[["fatalities", "fatalities_low", "fatalities_high"]].iloc[1].tolist() == [20, 12, 40]
    # UCDP's 'IS' and 'IS Sahel' in this region are ISGS.
    assert good["group1"].tolist() == ["State forces", "ISGS", "ISGS", "State forces", "ISGS", "State forces", "ISGS"]
    assert good["group2"].tolist() == ["JNIM", "JNIM", "Civilians", "Ansarul Islam", "Civilians", "ISGS", "JNIM"]
    assert events["actor1"].iloc[1] == "IS" and events["actor2"].iloc[1] == "JNIM"
    assert events["source"].iloc[0] == "AFP,2020-04-20"
    assert events["notes"].iloc[0] == "Government of Mali - JNIM"
    assert events["location"].iloc[0] == "Boni town"
    assert events["source_admin1"].iloc[0] == "Mopti region" and pd.isna(events["source_admin1"].iloc[4])
    assert good["source_country_iso2"].tolist() == ["ML", "ML", "NE", "BF", "BF", "NE", "ML"]
    assert parsed.raw.loc[1, "date_start"] == "2020-04-18 00:00:00.000"
    # The last row is wrong in every way: each field is named.
    assert list(parsed.problems.index) == [8]
    reasons = parsed.problems[8].split("; ")
    assert reasons[0] == "date_start: '2020-02-30 00:00:00.000' is not a valid date"
    assert reasons[1].startswith("date_end: '08/02/2020' is not a date in a known format")
    assert reasons[2:] == [
        "date_prec: '9' is not one of 1, 2, 3, 4, 5",
        "where_prec: '8' is not one of 1, 2, 3, 4, 5, 6, 7",
        "type_of_violence: '4' is not one of 1, 2, 3",
        "latitude: 'north' is not a number",
        "best: 'a few' is not a number",
    ]


def test_ucdp_missing_columns() -> None:
    with pytest.raises(MissingColumnsError, match="ucdp_missing_column.csv: missing required column") as caught:
        read_ucdp(FIXTURES / "ucdp_missing_column.csv", progress=False)
    assert caught.value.missing == ["date_prec", "best"]


def test_acled_file_given_to_ucdp_reader_is_refused() -> None:
    with pytest.raises(MissingColumnsError) as caught:
        read_ucdp(FIXTURES / "acled_current.csv", progress=False)
    assert "side_a" in caught.value.missing and "UCDP GED" in str(caught.value)


# ----------------------------------------------------------------------------------------------- curated


def test_curated_seed_file() -> None:
    parsed = read_curated(REPO / "seeds" / "curated_events.csv")
    _check_shape(parsed)
    events = parsed.events
    rows = len(pd.read_csv(REPO / "seeds" / "curated_events.csv", dtype=str))
    assert rows >= 100 and parsed.n_read == rows and parsed.problems.empty and parsed.notices == []
    assert events["event_id"].tolist() == [f"curated:{i}" for i in range(1, rows + 1)]
    assert (events["dataset"] == "curated").all()
    assert events["notes"].iloc[0].startswith("An ambush near Tongo Tongo")
    assert events["source"].iloc[0] == "de.wikipedia.org"
    assert events["source_url"].iloc[0] == "http://de.wikipedia.org./wiki/Tongo_Tongo"
    djibo = events.set_index("event_id").loc["curated:11"]  # empty date_end: placed on its start date
    assert djibo["date_start"] == djibo["date_end"] == _day("2022-02-16")
    assert (events["date_end"] >= events["date_start"]).all()
    assert events.set_index("event_id").loc["curated:12", "date_precision"] == "month"
    assert events["group1"].iloc[0] == "ISGS" and events["group2"].iloc[0] == "State forces"
    first = events.head(17)  # the original hand-checked rows; later rows come with the labelled corpus
    assert set(first["group1"]) <= {"JNIM", "ISGS", "Other"}
    assert set(events["group1"]) | set(events["group2"]) <= set(GROUPS)
    farabougou = events.set_index("event_id").loc["curated:5"]
    assert pd.isna(farabougou["fatalities"]) and farabougou["fatalities_low"] == 20
    assert first["source_country_iso2"].value_counts().to_dict() == {"NE": 6, "ML": 8, "BF": 3}
    assert set(events["source_country_iso2"]) == {"ML", "BF", "NE"}


def test_curated_bad_values(tmp_path: Path) -> None:
    lines = (REPO / "seeds" / "curated_events.csv").read_text(encoding="utf-8").splitlines()[:3]
    lines[2] = lines[2].replace("2019-11-01,2019-11-01,day", "2019-11-01,2019-11-31,daily")
    path = tmp_path / "curated.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = read_curated(path)
    assert parsed.problems.to_dict() == {
        2: "date_end: '2019-11-31' is not a valid date; date_precision: 'daily' is not one of "
        "day, week, month, quarter, year"
    }


def test_cp1252_byte_after_the_first_chunk_restarts_as_cp1252(tmp_path: Path) -> None:
    from geodata.importers.common import read_text_table

    lines = ["event_id_cnty,location"] + [f"MLI{i},Gao" for i in range(1, 8)] + ["MLI8,M\xe9naka"]
    path = tmp_path / "late.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    table = read_text_table(path, required=["event_id_cnty"], kind="ACLED", progress=False, chunk_rows=2)
    raw, notices = table.raw, table.notices
    assert notices == ["late.csv is not UTF-8: decoded as cp1252"]
    assert raw.loc[8, "location"] == "Ménaka" and len(raw) == 8


def test_progress_bar_path_reads_the_same(capsys) -> None:
    quiet = read_acled(FIXTURES / "acled_current.csv", progress=False)
    shown = read_acled(FIXTURES / "acled_current.csv", progress=True)
    pd.testing.assert_frame_equal(quiet.events, shown.events)
    pd.testing.assert_frame_equal(quiet.raw, shown.raw)
