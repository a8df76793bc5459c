"""The one CSV writer (geodata/safecsv.py): formula leads behind any invisible character, line breaks in cells,
quoting, idempotence. The end-to-end test of every side file is tests/test_side_files.py."""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata

import pandas as pd
import pytest

from geodata import safecsv

HOSTILE = [
    "=1+1", "+SUM(1,2)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x.example","x")', "=cmd|' /C calc'!A0",
    "\r=1+1", "\n=1+1", "\r\n=1+1", "a\r=1+1", "a\n@SUM(1)", "ok\r\n\u200b=2", "\t=1", "\ufeff=1", "\u00ad=1",
    "\u061c=1", "\u180e=1", "\u2060=1", "\u2064=1", "\U000e0001=1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20x",
    '"=1', "'=1", "\u200b'=1", "a,b", 'q"uote', "Ménaka", "", None,
]
# What a reader may skip before a lead, then the lead: used to check every cell and every physical line.
LEADS = re.compile(f"^[{safecsv._SKIP}{safecsv.BREAK_CHARS}]*[{safecsv.LEAD_CHARS}]")


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula: a lead behind skippable characters, and not our
    own ``'`` first (which makes the rest plain text)."""
    return not text.startswith("'") and bool(LEADS.match(text))


def _format_chars() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")


def test_every_format_character_is_in_the_list():
    listed = re.compile(f"[{safecsv.FORMAT_CHARS}]")
    missing = [f"U+{ord(c):04X}" for c in _format_chars() if not listed.match(c)]
    assert not missing, f"Cf characters missing from safecsv.FORMAT_CHARS: {missing}"


def test_a_lead_behind_any_format_character_is_prefixed():
    cells = pd.Series([c + "=1" for c in _format_chars()] + [c + "\uff0b1" for c in "\u00ad\u061c\u180e\u2060"],
                      dtype="string")
    out = safecsv.neutralise_text(cells)
    assert out.str.startswith("'").all(), out[~out.str.startswith("'")].tolist()


@pytest.mark.parametrize("cell", ["\r=1", "\n+1", "x\r=1", "x\n-1", "x\u2028@1", "x\r\n\u200b=1"])
def test_every_line_inside_a_cell_is_neutralised(cell):
    out = safecsv.neutralise_text(pd.Series([cell], dtype="string")).iloc[0]
    assert out.replace("'", "") == cell.replace("'", "")
    assert not any(starts_like_formula(line) for line in out.splitlines()), out


def test_neutralising_twice_changes_nothing():
    once = safecsv.neutralise_text(pd.Series(HOSTILE, dtype="string"))
    pd.testing.assert_series_equal(safecsv.neutralise_text(once), once)
    assert once.iloc[HOSTILE.index("'=1")] == "'=1"  # already led by a quote: safe as it is
    assert once.iloc[HOSTILE.index("Ménaka")] == "Ménaka" and pd.isna(once.iloc[-1])


def test_written_text_reads_back_cell_for_cell_and_no_line_starts_like_a_formula():
    frame = pd.DataFrame({"text": HOSTILE, "number": range(len(HOSTILE)), "=cmd": 1.5,
                          "when": pd.Timestamp("2024-01-02")})
    text = safecsv.csv_text(frame)
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0] == ["text", "number", "'=cmd", "when"]
    assert len(records) == len(HOSTILE) + 1
    expected = safecsv.neutralise_text(pd.Series(HOSTILE, dtype="string")).fillna("").tolist()
    assert [r[0] for r in records[1:]] == expected
    assert [r[1] for r in records[1:]] == [str(i) for i in range(len(HOSTILE))]
    assert {r[3] for r in records[1:]} == {"2024-01-02"}
    bad = [line for line in re.split(f"[{safecsv.BREAK_CHARS}]", text) if starts_like_formula(line.lstrip('"'))]
    assert not bad, bad
    for cell in (c for r in records for c in r):
        assert not starts_like_formula(cell), cell


def test_a_bare_cr_never_splits_a_record():
    text = safecsv.csv_text(pd.DataFrame({"a": ["\r=1+1", "x\ry"], "b": ["after", "z"]}))
    assert text == 'a,b\r\n"\'\r\'=1+1","after"\r\n"x\ry","z"\r\n'
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "b"], ["'\r'=1+1", "after"], ["x\ry", "z"]]


def test_an_empty_frame_is_its_header():
    assert safecsv.csv_text(pd.DataFrame(columns=["a", "b"])) == "a,b\r\n"
