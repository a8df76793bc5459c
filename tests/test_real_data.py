"""Issue 21, real-data loose ends: numeric ACLED dates, Lake Chad jihadists, older admin units, disputed
attribution and the command line's header cap, on files of our own making laid out like the real ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geodata.importers import HeaderTooWideError, read_acled
from geodata.importers.common import MAX_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


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
