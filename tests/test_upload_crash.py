"""Nothing lost in a crash: an import killed (a real SIGKILL) at every point of its commit leaves, once recovered,
either the old store and quarantine or the new ones, whole, and no temporary files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from geodata import store as event_store
from tests.fixtures.sample_events import write_sample_store

REPO = Path(__file__).resolve().parents[1]
# Python started with this folder on its path runs its sitecustomize: SCA_TEST_CRASH_AT=<point> kills it there.
CRASH_HOOK = {"PYTHONPATH": os.pathsep.join([str(REPO / "tests" / "fixtures" / "crash_points"), str(REPO)])}
CRASH_AT = "SCA_TEST_CRASH_AT"
SOURCE = REPO / "tests" / "fixtures" / "pipeline_acled.csv"  # read 9: kept 4, duplicate 1, quarantined 4


def run_import(store: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCA_PROGRESS": "false", **CRASH_HOOK}
    env.pop(CRASH_AT, None)
    if crash_at:
        env[CRASH_AT] = crash_at
    return subprocess.run([sys.executable, "-m", "geodata", "import", "acled", str(SOURCE), "--store", str(store),
                           "--no-progress"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def state(store: Path) -> tuple[frozenset[str], int, bool]:
    """(event ids in the store, rows in the quarantine, whether the admin-1 report exists)."""
    ids = frozenset(pd.read_parquet(store, columns=["event_id"])["event_id"].astype(str))
    quarantine = store.with_name("events.quarantine.csv")
    rows = len(pd.read_csv(quarantine, dtype=str)) if quarantine.exists() else 0
    return ids, rows, store.with_name("events.admin1-disagreements.csv").exists()


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> tuple[tuple, tuple]:
    """The state before the import and after an uninterrupted one."""
    folder = tmp_path_factory.mktemp("clean")
    store = write_sample_store(folder / "events.parquet")
    before = state(store)
    done = run_import(store)
    assert done.returncode == 0, done.stderr
    after = state(store)
    assert after[1] == 4 and len(after[0]) == len(before[0]) + 4
    return before, after


@pytest.mark.parametrize("point", ["staged", "journal", "replaced-1", "replaced-2", "replaced-3", "committed"])
def test_a_kill_at_any_point_leaves_old_or_new_state_whole(tmp_path, states, point):
    before, after = states
    store = write_sample_store(tmp_path / "events.parquet")
    killed = run_import(store, crash_at=point)
    assert killed.returncode == -signal.SIGKILL, (point, killed.returncode, killed.stderr[-2000:])

    create_app(Settings(store=store))  # the app's start recovers (as every import does under the lock)
    assert not event_store.journal_path(store).exists()
    assert not list(tmp_path.glob(".*.tmp")), "stale temporary files were left"
    expected = before if point == "staged" else after
    assert state(store) == expected, point

    again = run_import(store)  # the lock was not left held, and importing again changes nothing more
    assert again.returncode == 0, again.stderr
    assert state(store)[:2] == after[:2]


def test_every_staged_file_of_one_commit_lands_together(tmp_path):
    """Killed between renames, the files already moved and the ones still staged are finished by recovery."""
    store = write_sample_store(tmp_path / "events.parquet")
    killed = run_import(store, crash_at="replaced-1")
    assert killed.returncode == -signal.SIGKILL
    journal = event_store.journal_path(store)
    assert journal.exists() and list(tmp_path.glob(".events*.tmp"))
    done = event_store.recover(store)
    assert any(step.startswith("finished") for step in done)
    assert not journal.exists() and not list(tmp_path.glob(".events*.tmp"))


def test_quarantined_cells_are_as_safe_to_open_as_the_export(tmp_path):
    store = write_sample_store(tmp_path / "events.parquet")
    bad = tmp_path / "formulas.csv"
    text = SOURCE.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    rows = []
    for i, prefix in enumerate(["=1+1", "\ufeff=1+1", "\u200b+1", "'=cmd", "\uff1dSUM(A1)", "@x", "-2+3"]):
        row = dict.fromkeys(header, "")
        row.update({"event_id_cnty": f"MLI77{i}", "event_date": "not a date", "notes": prefix,
                    "country": "Mali", "latitude": "15", "longitude": "0"})
        rows.append(row)
    pd.DataFrame(rows, columns=header).to_csv(bad, index=False)
    result = subprocess.run([sys.executable, "-m", "geodata", "import", "acled", str(bad), "--store", str(store),
                             "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    quarantine = pd.read_csv(store.with_name("events.quarantine.csv"), dtype=str, keep_default_na=False)
    notes = quarantine.loc[quarantine["event_id_cnty"].str.startswith("MLI77"), "notes"].tolist()
    assert len(notes) == 7 and all(n.startswith("'") for n in notes), notes
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.parametrize("point, committed", [("staged", False), ("replaced-1", True)])
def test_an_upload_killed_mid_import_answers_503_and_leaves_the_store_whole(tmp_path, monkeypatch, states, point,
                                                                           committed):
    import json
    import re

    before, after = states
    store = write_sample_store(tmp_path / "events.parquet")
    client = create_app(Settings(store=store, upload_limit_mb=1)).server.test_client()
    token = re.search(r'"data-csrf":\s*"([^"]+)"', client.get("/_dash-layout").get_data(as_text=True)).group(1)
    monkeypatch.setenv("PYTHONPATH", CRASH_HOOK["PYTHONPATH"])  # the import's child process inherits both and
    monkeypatch.setenv(CRASH_AT, point)  # is killed there
    response = client.post("/upload?name=pipeline_acled.csv&kind=acled&wait=1", data=SOURCE.read_bytes(),
                           content_type="application/octet-stream",
                           headers={"Origin": "http://localhost", "X-CSRF-Token": token})
    result = json.loads(response.data)
    assert response.status_code == 503 and "stopped before it finished" in result["message"]
    assert not event_store.journal_path(store).exists() and not list(tmp_path.glob(".*.tmp"))
    assert state(store) == (after if committed else before)
