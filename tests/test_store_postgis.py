"""The store interface against both backends, and PostGIS against a real PostgreSQL 15 + PostGIS 3 cluster started
for the session (bench/postgis.py): same summaries and exports as GeoParquet, a layer QGIS can open,
concurrent and killed imports, copying between backends, clear one-line errors, dashboards that follow imports."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest

from bench.postgis import PASSWORD
from bench.servers import free_port
from dashboard import cli as dashboard_cli
from geodata import cli, schema
from geodata.places.index import read_learned
from geodata.store import SIDE_TABLES, StoreError, open_store
from geodata.store.postgis import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
ACLED = FIXTURES / "pipeline_acled.csv"  # read 9: kept 4, duplicate 1, quarantined 4
UCDP = FIXTURES / "ucdp_ged.csv"  # read 8: kept 7, quarantined 1
ACLED_MORE = FIXTURES / "acled_current.csv"
ENV = {**os.environ, "SCA_PROGRESS": "false", "PYTHONPATH": str(REPO)}


def run(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    """``python -m geodata ARGV`` in this process (the imports are the same code; no interpreter start-up)."""
    code = cli.main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def geodata(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geodata", *args], cwd=REPO, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(params=["parquet", "postgis"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store of each backend."""
    if request.param == "parquet":
        return str(tmp_path / "events.parquet")
    cluster = request.getfixturevalue("postgis")
    return cluster.url(cluster.database())


def ids(place: str) -> list[str]:
    return sorted(open_store(place).read(["event_id"])["event_id"].astype(str))


# --- the contract, both backends -------------------------------------------------------------------------------

def test_store_contract_imports_side_tables_versions_and_rollback(place, capsys):
    store = open_store(place)
    assert store.read().empty
    code, out, _ = run(["import", "acled", str(ACLED), "--store", place, "--no-progress"], capsys)
    assert code == 0 and out.splitlines()[0] == "read 9, kept 4, updated 0, duplicates 1, quarantined 4"
    first = store.version()
    events = store.read()
    assert len(events) == 4 and events.crs.to_epsg() == 4326
    assert list(events.columns[: len(schema.COLUMN_NAMES)]) == list(schema.COLUMN_NAMES)
    assert events["date_start"].is_monotonic_increasing
    quarantine = store.side("quarantine")
    assert len(quarantine) == 4 and list(quarantine.columns[-3:]) == ["reason", "source_file", "source_row"]
    assert len(store.side("admin_differences")) == 1

    code, out, _ = run(["import", "acled", str(ACLED), "--store", place, "--no-progress"], capsys)
    assert out.splitlines()[0] == "read 9, kept 0, updated 0, duplicates 5, quarantined 4"
    assert len(store.side("quarantine")) == 4, "identical quarantined rows are not repeated"
    assert store.version() != first

    # An import that fails part-way writes nothing: events, side tables and version stay.
    version, before = store.version(), store.read()
    with pytest.raises(RuntimeError), store.importing() as tx:
        tx.write_events(schema.empty_events(), tx.read())
        tx.add_revisions(pd.DataFrame({"event_id": ["x"], "field": ["f"], "old": ["1"], "new": ["2"],
                                       "old_timestamp": [""], "new_timestamp": [""]}))
        raise RuntimeError("stop")
    pd.testing.assert_frame_equal(store.read(), before)
    assert store.version() == version and store.side("revisions").empty


# --- PostGIS beside GeoParquet -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def both(postgis, tmp_path_factory) -> dict:
    """The same four imports into a GeoParquet store and a PostGIS store."""
    folder = tmp_path_factory.mktemp("both")
    stores = {"parquet": str(folder / "events.parquet"), "postgis": postgis.url(postgis.database())}
    printed = {}
    for name, place in stores.items():
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            for kind, path in (("acled", ACLED), ("ucdp", UCDP), ("acled", ACLED_MORE), ("ucdp", UCDP)):
                assert cli.main(["import", kind, str(path), "--store", place, "--no-progress"]) == 0
        printed[name] = out.getvalue().splitlines()
    return {"stores": stores, "folder": folder, "printed": printed}


def test_imports_print_the_same_summaries_on_both_backends(both):
    printed = both["printed"]
    assert printed["postgis"] == printed["parquet"]
    assert printed["postgis"][0] == "read 9, kept 4, updated 0, duplicates 1, quarantined 4"
    assert "read 8, kept 0, updated 0, duplicates 7, quarantined 1" in printed["postgis"]


def test_the_export_and_side_tables_are_the_same_from_both(both, capsys):
    exports = {}
    for name, place in both["stores"].items():
        out = both["folder"] / f"{name}.csv"
        assert dashboard_cli.main(["export", "--store", place, "--out", str(out)]) == 0
        exports[name] = out.read_bytes()
    assert exports["postgis"] == exports["parquet"] and exports["parquet"].count(b"\n") > 10
    parquet, postgis = (open_store(p) for p in both["stores"].values())
    for name in SIDE_TABLES:
        a, b = parquet.side(name), postgis.side(name)
        assert (a.empty and b.empty) or a.equals(b), name
    # The geocoder learns the same place names from either store.
    learned = [read_learned(place) for place in both["stores"].values()]
    assert len(learned[0]) > 0
    pd.testing.assert_frame_equal(learned[0], learned[1])


def test_ogrinfo_lists_an_events_layer_of_points_in_epsg_4326(both, postgis):
    database = both["stores"]["postgis"].rsplit("/", 1)[1]
    count = len(open_store(both["stores"]["postgis"]).read(["event_id"]))
    info = subprocess.run(["ogrinfo", "-ro", "-so", f"PG:host=127.0.0.1 port={postgis.port} dbname={database} "
                           f"user=postgres password={PASSWORD}", "events"], capture_output=True, text=True,
                          timeout=60)
    assert info.returncode == 0, info.stderr
    assert "Geometry: Point" in info.stdout
    assert f"Feature Count: {count}" in info.stdout and count == 17
    assert 'ID["EPSG",4326]' in info.stdout


def test_store_copy_both_ways_keeps_events_side_tables_and_export(both, postgis, capsys):
    parquet_place = both["stores"]["parquet"]
    into_db = postgis.url(postgis.database())
    code, out, _ = run(["store", "copy", parquet_place, into_db], capsys)
    assert code == 0 and out.startswith("copied 17 events (5 quarantine, 0 revisions, 2 admin differences")
    back = str(both["folder"] / "back.parquet")
    code, out, _ = run(["store", "copy", into_db, back], capsys)
    assert code == 0, out
    original, copied, returned = open_store(parquet_place), open_store(into_db), open_store(back)
    pd.testing.assert_frame_equal(copied.read(), original.read())
    pd.testing.assert_frame_equal(returned.read(), original.read())
    for name in SIDE_TABLES:
        for other in (copied, returned):
            a, b = original.side(name), other.side(name)
            assert (a.empty and b.empty) or a.equals(b), name
    assert len(returned.side("quarantine")) == 5
    exports = []
    for place in (parquet_place, back):
        out_file = both["folder"] / f"copy-{len(exports)}.csv"
        assert dashboard_cli.main(["export", "--store", place, "--out", str(out_file)]) == 0
        exports.append(out_file.read_bytes())
    assert exports[0] == exports[1]


# --- transactions: concurrent and killed imports -------------------------------------------------------------

def test_two_imports_at_once_from_two_processes_both_land(postgis):
    place = postgis.url(postgis.database())
    open_store(place).read()  # schema in place, so both processes race on the import itself
    runs = [geodata("import", "acled", str(ACLED), "--store", place, "--no-progress"),
            geodata("import", "ucdp", str(UCDP), "--store", place, "--no-progress")]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0].startswith("read 9, kept 4,") and outputs[1][0].startswith("read 8, kept 7,")
    store = open_store(place)
    assert len(ids(place)) == 11 and store.version() == "2"
    assert len(store.side("quarantine")) == 5


def test_an_import_killed_mid_transaction_leaves_the_events_and_the_next_works(postgis, tmp_path, capsys):
    place = postgis.url(postgis.database())
    assert run(["import", "acled", str(ACLED), "--store", place, "--no-progress"], capsys)[0] == 0
    store = open_store(place)
    before, version, quarantine = store.read(), store.version(), store.side("quarantine")
    marker = tmp_path / "inside"
    child = subprocess.Popen([sys.executable, "-m", "tests.fixtures.stalled_import", str(marker), "import", "ucdp",
                              str(UCDP), "--store", place, "--no-progress"], cwd=REPO, env=ENV,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), child.stderr.read() if child.poll() is not None else "the import never got there"
    # Inside its transaction, the import has written its events: readers still see the state before it.
    pd.testing.assert_frame_equal(store.read(), before)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    pd.testing.assert_frame_equal(store.read(), before)
    assert store.version() == version and store.side("quarantine").equals(quarantine)

    code, out, _ = run(["import", "ucdp", str(UCDP), "--store", place, "--no-progress"], capsys)
    assert code == 0 and out.startswith("read 8, kept 7,")  # the advisory lock went with the killed session
    assert len(ids(place)) == 11


# --- errors: one line, non-zero exit, never a traceback ---------------------------------------------------------

@pytest.fixture(scope="module")
def analyst(postgis) -> str:
    """A database owned by a user who may create tables but not add PostGIS; its URL as that user."""
    postgis.execute("CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw'")
    return postgis.url(postgis.database(owner="analyst"), user="analyst", password="analyst-pw")


def closed_port() -> int:
    return free_port()  # nothing listens on it once the probe socket is closed


def test_bad_urls_missing_rights_and_newer_schemas_are_one_clear_line(postgis, analyst, capsys):
    newer = postgis.url(postgis.database())
    open_store(newer).read()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    cases = {
        postgis.url(newer.rsplit("/", 1)[1], password="not-the-password"):
            'password authentication failed for user "postgres"',
        f"postgresql://postgres:{PASSWORD}@127.0.0.1:{closed_port()}/atlas": "Connection refused",
        f"postgresql://postgres:{PASSWORD}@127.0.0.1:port/atlas": 'invalid integer value "port"',
        analyst: "a database administrator must run `CREATE EXTENSION postgis;` in database",
        newer: f"has schema version 99, newer than this version of the atlas knows ({SCHEMA_VERSION})",
    }
    for place, expected in cases.items():
        code, out, err = run(["import", "acled", str(ACLED), "--store", place, "--no-progress"], capsys)
        assert code == 2 and out == "" and err.count("\n") == 1, (place, err)
        assert err.startswith("error: ") and expected in err, err
        assert PASSWORD not in err and "analyst-pw" not in err and "not-the-password" not in err
        assert "Traceback" not in err and ("://postgres:***@" in err or "://analyst:***@" in err)
        # The dashboard refuses to start with the same line.
        assert dashboard_cli.main(["--store", place, "--port", "1"]) == 2
        assert capsys.readouterr().err == err
    with pytest.raises(StoreError, match="newer than this version"):
        open_store(newer).read()


# --- dashboards follow imports -----------------------------------------------------------------------------------

def test_two_dashboards_on_one_postgis_store_show_a_cli_import_within_10_s(postgis, tmp_path):
    place = postgis.url(postgis.database())
    assert cli.main(["import", "acled", str(ACLED), "--store", place, "--no-progress"]) == 0
    ports = [closed_port(), closed_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "dashboard", "--store", place, "--port", str(port)],
                                cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for port in ports]
    try:
        def rows(port: int) -> int | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/export.csv", timeout=5) as answer:
                    return len(pd.read_csv(io.BytesIO(answer.read()), dtype=str))
            except OSError:
                return None

        deadline = time.monotonic() + 60
        while any(rows(port) is None for port in ports) and time.monotonic() < deadline:
            assert all(server.poll() is None for server in servers), servers[0].stderr.read()
            time.sleep(0.3)
        assert [rows(port) for port in ports] == [4, 4]

        done = subprocess.run([sys.executable, "-m", "geodata", "import", "ucdp", str(UCDP), "--store", place,
                               "--no-progress"], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        imported = time.monotonic()
        while any(rows(port) != 11 for port in ports) and time.monotonic() - imported < 10:
            time.sleep(0.2)
        assert [rows(port) for port in ports] == [11, 11], "the dashboards did not follow the import within 10 s"
    finally:
        for server in servers:
            server.kill()
            server.wait(timeout=30)


def test_an_upload_through_the_page_imports_into_postgis(postgis):
    import json
    import re

    from dashboard.app import create_app
    from dashboard.settings import Settings

    place = postgis.url(postgis.database())
    client = create_app(Settings(store=place, upload_limit_mb=1)).server.test_client()
    token = re.search(r'"data-csrf":\s*"([^"]+)"', client.get("/_dash-layout").get_data(as_text=True)).group(1)
    response = client.post("/upload?name=pipeline_acled.csv&kind=acled&wait=1", data=ACLED.read_bytes(),
                           content_type="application/octet-stream",
                           headers={"Origin": "http://localhost", "X-CSRF-Token": token})
    result = json.loads(response.data)
    assert response.status_code == 200 and result["ok"], result
    assert len(ids(place)) == 4 and len(open_store(place).side("quarantine")) == 4


# --- an import touches only what it changes ------------------------------------------------------------------------

KM = 1 / 111.0  # about a kilometre of latitude, in degrees


def event(event_id: str, dataset: str, km_north: float, day: str = "2022-03-01", fatalities: int = 5,
          timestamp: int | None = None, km_east: float = 0.0) -> dict:
    """One precise report of JNIM against civilians near Mopti, ``km_north`` km north of a fixed point."""
    return {"event_id": event_id, "dataset": dataset, "date_start": day, "date_end": day, "date_precision": "day",
            "event_type": "Violence against civilians", "group1": "JNIM", "group2": "Civilians",
            "fatalities": fatalities, "latitude": 14.0 + km_north * KM, "longitude": -4.0 + km_east * KM,
            "geo_precision": 1, "country_iso2": "ML", "admin1": "Mopti", "location": f"Place {event_id[-2:]}",
            "source_timestamp": timestamp}


def linked_events(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from geodata import incidents

    events, found = incidents.apply(schema.conform(pd.DataFrame(rows)))
    return events, incidents.incident_table(events, found.links)


def import_events(place: str, rows: list[dict]) -> None:
    """The pipeline's store step for ``rows`` (already screened), as every import runs it."""
    from geodata import pipeline

    new = schema.conform(pd.DataFrame(rows))
    with open_store(place).importing() as tx:
        pipeline.store_step([new], [], pipeline.Summary(read=len(new)), set(), False, tx)


def incident_columns(place: str) -> pd.DataFrame:
    frame = open_store(place).read(["event_id", "incident_id", "incident_size", "incident_score", "incident_note"])
    return pd.DataFrame(frame).sort_values("event_id").reset_index(drop=True)


def test_a_postgis_import_relinks_only_around_its_events_and_equals_a_whole_store_relink(postgis, tmp_path):
    stored = [
        event("acled:A1", "acled", 0, fatalities=10), event("ucdp:U1", "ucdp", 0, fatalities=3),  # incident 1
        event("acled:A2", "acled", 10, fatalities=3), event("ucdp:U2", "ucdp", 10, fatalities=10),  # incident 2
        event("acled:A3", "acled", 40, day="2022-03-05"),  # alone
        event("acled:A8", "acled", 300), event("ucdp:U8", "ucdp", 300.5),  # far away: never touched
        event("acled:A9", "acled", 200, timestamp=1), event("ucdp:U9", "ucdp", 200.5),  # broken by a revision
    ]
    incoming = [
        event("upload:N1", "upload", 0.5, fatalities=10),  # joins incident 1
        # Halfway between incidents 1 and 2, closest in toll to A1 and U2: it links both, and the chain would hold
        # two ACLED and two UCDP reports, so the linker keeps the best links that hold one of each.
        event("text:T1", "text", 5, fatalities=10),
        event("upload:N3", "upload", 40.5, day="2022-03-05"),  # makes a new incident with A3
        event("acled:A9", "acled", 200, timestamp=2, km_east=150),  # a newer revision, 150 km away from U9
    ]
    events, table = linked_events(stored)
    assert events.set_index("event_id").loc["acled:A9", "incident_id"] == "acled:A9"
    assert events.set_index("event_id").loc["ucdp:U9", "incident_id"] == "acled:A9"
    places = {"parquet": str(tmp_path / "events.parquet"), "postgis": postgis.url(postgis.database())}
    for place in places.values():
        open_store(place).replace(events, {"incidents": table})
    with psycopg.connect(places["postgis"]) as conn:
        untouched = dict(conn.execute("SELECT event_id, xmin::text FROM events WHERE event_id IN "
                                      "('acled:A8', 'ucdp:U8')").fetchall())
    for place in places.values():
        import_events(place, incoming)

    # GeoParquet relinks the whole store; PostGIS only around the incoming events: the same incidents.
    relinked, local = incident_columns(places["parquet"]), incident_columns(places["postgis"])
    pd.testing.assert_frame_equal(local, relinked, check_dtype=False)
    assert open_store(places["postgis"]).side("incidents").equals(open_store(places["parquet"]).side("incidents"))
    after = relinked.set_index("event_id")["incident_id"]
    assert after["upload:N1"] == after["acled:A1"] == after["ucdp:U1"], "N1 joins incident 1"
    assert after["text:T1"] in (after["acled:A1"], after["ucdp:U2"]), "T1 joins incident 1 or 2"
    assert after["upload:N3"] == after["acled:A3"], "N3 and A3 are a new incident"
    assert after["acled:A9"] == "acled:A9" and after["ucdp:U9"] == "ucdp:U9", "the revision broke incident 9"
    assert after["acled:A8"] == after["ucdp:U8"] == "acled:A8", "incident 8 keeps its id"
    assert set(after.unique()) != set(events["incident_id"]), "the import changed incidents"
    with psycopg.connect(places["postgis"]) as conn:
        now = dict(conn.execute("SELECT event_id, xmin::text FROM events WHERE event_id IN "
                                "('acled:A8', 'ucdp:U8')").fetchall())
    assert now == untouched, "rows whose incident columns did not change are not written"


def test_the_incidents_command_relinks_the_whole_store_and_writes_only_what_moved(postgis, tmp_path, capsys):
    """``python -m geodata incidents`` relinks every event (its meaning: check the whole store), but a PostGIS
    store is written only where incidents moved: here the two events whose incident columns were stale."""
    stored = [event("acled:A1", "acled", 0, fatalities=10), event("ucdp:U1", "ucdp", 0, fatalities=3),
              event("acled:A2", "acled", 10, fatalities=3), event("ucdp:U2", "ucdp", 10, fatalities=10),
              event("acled:A8", "acled", 300), event("ucdp:U8", "ucdp", 300.5), event("acled:A3", "acled", 40)]
    events, table = linked_events(stored)
    stale = events.copy()
    moved = stale["event_id"].isin(["acled:A2", "ucdp:U2"])
    assert (stale.loc[moved, "incident_size"] == 2).all()
    stale.loc[moved, "incident_id"] = stale.loc[moved, "event_id"]
    stale.loc[moved, "incident_size"] = 1
    stale.loc[moved, "incident_score"] = np.nan
    stale_table = table.loc[~table["incident_id"].isin(events.loc[moved, "incident_id"])]
    places = {"parquet": str(tmp_path / "events.parquet"), "postgis": postgis.url(postgis.database())}
    for place in places.values():
        open_store(place).replace(stale, {"incidents": stale_table})
    with psycopg.connect(places["postgis"]) as conn:
        rows_before = dict(conn.execute("SELECT event_id, xmin::text FROM events").fetchall())
        table_before = dict(conn.execute("SELECT incident_id, sca_row FROM incidents").fetchall())
    outputs = [run(["incidents", "--store", place], capsys) for place in places.values()]
    assert outputs[0][0] == outputs[1][0] == 0 and outputs[0][1] == outputs[1][1]
    relinked = incident_columns(places["parquet"])
    pd.testing.assert_frame_equal(incident_columns(places["postgis"]), relinked, check_dtype=False)
    pd.testing.assert_frame_equal(relinked, pd.DataFrame(events[relinked.columns]).sort_values("event_id")
                                  .reset_index(drop=True), check_dtype=False)
    assert open_store(places["postgis"]).side("incidents").equals(open_store(places["parquet"]).side("incidents"))
    with psycopg.connect(places["postgis"]) as conn:
        rows_after = dict(conn.execute("SELECT event_id, xmin::text FROM events").fetchall())
        table_after = dict(conn.execute("SELECT incident_id, sca_row FROM incidents").fetchall())
    assert {i for i in rows_after if rows_after[i] != rows_before.get(i)} == {"acled:A2", "ucdp:U2"}
    assert len(table_after) == len(table_before) + 1
    assert all(table_after[i] == row for i, row in table_before.items()), "unchanged incidents keep their rows"


def test_a_schema_1_store_is_upgraded_in_place_and_keeps_its_events(postgis, capsys):
    place = postgis.url(postgis.database())
    assert run(["import", "acled", str(ACLED), "--store", place, "--no-progress"], capsys)[0] == 0
    before = open_store(place).read()
    with psycopg.connect(place, autocommit=True) as conn:  # as schema 1 left it
        for index in ("events_space_time", "events_coarse_space_time", "events_incident"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("ALTER TABLE admin_differences DROP COLUMN sca_latest")
        conn.execute("UPDATE schema_version SET version = 1")
    store = open_store(place)
    pd.testing.assert_frame_equal(store.read(), before)
    with psycopg.connect(place) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {name for (name,) in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")}
        assert {"events_space_time", "events_coarse_space_time", "events_incident"} <= indexes
    code, out, _ = run(["import", "ucdp", str(UCDP), "--store", place, "--no-progress"], capsys)
    assert code == 0 and out.splitlines()[0] == "read 8, kept 7, updated 0, duplicates 0, quarantined 1"
    assert len(open_store(place).side("admin_differences")) == 2


def test_a_candidate_whose_own_best_is_not_read_yet_does_not_link(postgis, tmp_path):
    """The relinking reads no second ring (the candidates of its events' candidates): a candidate read without its
    own candidates may look linked, and is then relinked with them. Here U1 is A1's only UCDP candidate but picks
    A2, 5 km from it and 11 km from A1, which the import's neighbourhood does not reach at first."""
    stored = [event("acled:A1", "acled", 3), event("ucdp:U1", "ucdp", 9), event("acled:A2", "acled", 14)]
    incoming = [event("upload:N1", "upload", 0)]  # 3 km from A1, 9 km from U1: only A1 is its candidate
    events, table = linked_events(stored)
    before = events.set_index("event_id")["incident_id"]
    assert before["ucdp:U1"] == before["acled:A2"] != before["acled:A1"], "U1 picks A2, not A1"
    places = {"parquet": str(tmp_path / "events.parquet"), "postgis": postgis.url(postgis.database())}
    for place in places.values():
        open_store(place).replace(events, {"incidents": table})
        import_events(place, incoming)
    relinked = incident_columns(places["parquet"])
    pd.testing.assert_frame_equal(incident_columns(places["postgis"]), relinked, check_dtype=False)
    assert open_store(places["postgis"]).side("incidents").equals(open_store(places["parquet"]).side("incidents"))
    after = relinked.set_index("event_id")["incident_id"]
    assert after["upload:N1"] == after["acled:A1"] != after["ucdp:U1"] == after["acled:A2"]


@pytest.mark.parametrize(("spread_km", "rebuild", "precisions"), [
    (150, False, (1, 1, 2, 3, 4)), (40, False, (1, 1, 2, 3, 4)), (12, False, (1, 1, 2, 3, 4)),
    (40, True, (1, 1, 2, 3, 4)), (400, False, (1, 1, 2)), (250, True, (2, 2, 2))],
    ids=["sparse import", "dense import", "very dense import", "dense rebuild dropping seed events",
         "wide import, precise events", "wide rebuild, precise events"])
def test_bulk_probes_across_grid_cells_and_region_level_events_equal_a_whole_store_relink(
        postgis, tmp_path, spread_km, rebuild, precisions):
    """The neighbour probes merge query boxes by grid cell (postgis.CELL_DEGREES by CELL_DAYS) and check each
    query in SQL: events scattered over several cells and day spans, at every precision (region-level ones too),
    sparse or dense, still relink exactly as a relink of the whole store does; so does a rebuild of one dataset
    (``build``'s ``replace``) that deletes some of its stored events, replaces others and adds new ones. In the
    wide import (precise events only, 800 km across) the relinking reads a part of the store, not all of it, so
    reading too little (a candidate of an event of interest, or a group's member) shows as a difference."""
    from geodata import pipeline
    from geodata.store.postgis import CELL_DAYS, CELL_DEGREES

    rng = np.random.default_rng(7 + spread_km)

    def scattered(prefix: str, datasets: list[str], n: int) -> list[dict]:
        rows = []
        for i in range(n):
            dataset = datasets[i % len(datasets)]
            day = (pd.Timestamp("2022-03-01") + pd.Timedelta(days=int(rng.integers(0, 3 * CELL_DAYS)))).date()
            row = event(f"{dataset}:{prefix}{i}", dataset, float(rng.uniform(-spread_km, spread_km)), day=str(day),
                        fatalities=int(rng.integers(0, 20)), km_east=float(rng.uniform(-spread_km, spread_km)))
            row["geo_precision"] = int(rng.choice(precisions))
            row["admin1"] = str(rng.choice(["Mopti", "Segou"]))
            rows.append(row)
        return rows

    assert 300 * KM > CELL_DEGREES, "the events span more than one grid cell"
    stored = scattered("S", ["acled", "ucdp", "seed"] if rebuild else ["acled", "ucdp"], 240)
    if rebuild:  # a third of the stored seed events come back (moved, other tolls), the rest are dropped
        again = [row for row in stored if row["dataset"] == "seed"][::3]
        incoming = [{**row, "latitude": row["latitude"] + 3 * KM, "fatalities": row["fatalities"] + 1}
                    for row in again] + scattered("N", ["seed"], 20)
    else:
        incoming = scattered("N", ["upload", "text"], 40)
    events, table = linked_events(stored)
    places = {"parquet": str(tmp_path / "events.parquet"), "postgis": postgis.url(postgis.database())}
    lines, read = [], []
    for place in places.values():
        open_store(place).replace(events, {"incidents": table})
        new = schema.conform(pd.DataFrame(incoming))
        with open_store(place).importing() as tx:
            if getattr(tx, "local", False):  # count the stored events the relinking reads
                rows = tx.rows
                tx.rows = lambda wanted, rows=rows: read.extend(wanted) or rows(wanted)
            summary = pipeline.store_step([new], [], pipeline.Summary(read=len(new)), {"seed"} if rebuild else set(),
                                          False, tx)
        lines.append([summary.line(), *summary.differences])
    if spread_km >= 400:
        assert 0 < len(set(read)) < 0.8 * len(stored), "the relinking read a part of the store"
    assert lines[0] == lines[1]
    relinked, local = incident_columns(places["parquet"]), incident_columns(places["postgis"])
    pd.testing.assert_frame_equal(local, relinked, check_dtype=False)
    for name in ("incidents", "admin_differences"):
        a, b = (open_store(place).side(name) for place in (places["postgis"], places["parquet"]))
        assert list(a.columns) == list(b.columns) and (a.empty and b.empty or a.equals(b)), name
    assert relinked["incident_size"].astype(float).max() > 1, "some incidents were linked"
    incoming_ids = {row["event_id"] for row in incoming}
    joined = relinked.loc[relinked["event_id"].isin(incoming_ids), "incident_size"].astype(float)
    assert (joined > 1).any(), "some incoming events joined incidents"
    if rebuild:
        dropped = {row["event_id"] for row in stored if row["dataset"] == "seed"} - incoming_ids
        assert set(ids(places["postgis"])) == set(ids(places["parquet"])) == {
            row["event_id"] for row in stored + incoming} - dropped
        was = events.set_index("event_id")["incident_size"].astype(float)
        assert (was[sorted(dropped)] > 1).any(), "some dropped events were in incidents"


def test_bulk_probes_find_every_event_a_probe_per_query_finds(postgis):
    """``near`` probes the index once per grid cell of merged query boxes and checks each query in SQL: it finds
    every event that the rule it stands for (the query's reach box and days, or its region when either report is
    region-level), checked here pair by pair over a dense store, finds."""
    from geodata.store.postgis import _reach

    rng = np.random.default_rng(11)
    rows = []
    for i in range(600):
        dataset = ("acled", "ucdp", "upload")[i % 3]
        day = (pd.Timestamp("2022-03-01") + pd.Timedelta(days=int(rng.integers(0, 30)))).date()
        row = event(f"{dataset}:P{i}", dataset, float(rng.uniform(-120, 120)), day=str(day),
                    km_east=float(rng.uniform(-120, 120)))
        row["geo_precision"] = int(rng.choice([1, 1, 2, 3, 4]))
        row["admin1"] = rng.choice(["Mopti", "Segou", None])
        row["country_iso2"] = rng.choice(["ML", "ML", "ML", None])
        rows.append(row)
    stored = schema.conform(pd.DataFrame(rows))
    url = postgis.url(postgis.database())
    open_store(url).replace(stored, {})
    asked = pd.DataFrame(stored.drop(columns="geometry").iloc[::4])
    with open_store(url).importing() as tx:
        found = set(tx.near(asked))

    q = _reach(asked).reset_index(drop=True).add_prefix("q_")
    e = pd.DataFrame(stored.drop(columns="geometry")).reset_index(drop=True)
    pairs = q.merge(e, how="cross")
    first = (pd.to_datetime(pairs["date_start"]) - pd.Timestamp("2000-01-01")).dt.days
    last = (pd.to_datetime(pairs["date_end"]).fillna(pd.to_datetime(pairs["date_start"]))
            - pd.Timestamp("2000-01-01")).dt.days
    days = (first <= pairs["q_z1"]) & (last >= pairs["q_z0"]) & (pairs["dataset"] != pairs["q_dataset"])
    p = pairs["geo_precision"].astype(float).fillna(4)
    lon, lat = pairs["longitude"], pairs["latitude"]
    in_box = lon.between(pairs["q_x0"], pairs["q_x1"]) & lat.between(pairs["q_y0"], pairs["q_y1"])
    close = lon.between(pairs["q_cx0"], pairs["q_cx1"]) & lat.between(pairs["q_cy0"], pairs["q_cy1"])
    placed = in_box & ((pairs["q_p"] == 2) | (p == 2) | (p >= 3) | close)
    same_country = (pairs["country_iso2"] == pairs["q_country"]).fillna(False).astype(bool) | (
        pairs["q_country"].isna() & pairs["country_iso2"].isna()
        & (pairs["admin1"] == pairs["q_admin1"]).fillna(False).astype(bool))
    same_admin1 = ((np.maximum(p, pairs["q_p"]) >= 4) | pairs["q_admin1"].isna() | pairs["admin1"].isna()
                   | (pairs["admin1"] == pairs["q_admin1"]).fillna(False).astype(bool))
    region = ((pairs["q_p"] >= 3) | (p >= 3)) & same_country & same_admin1
    expected = set(pairs.loc[days & (placed | region), "event_id"])
    assert len(asked) > 100 and len(expected) > 100
    assert expected <= found, f"missed {sorted(expected - found)[:5]}"
    assert len(found) < len(stored), "the probes select, they do not return the whole store"


def relink_both(postgis, tmp_path: Path, stored: list[dict], incoming: list[dict]) -> tuple[pd.DataFrame, set]:
    """``incoming`` imported into a GeoParquet and a PostGIS store of ``stored`` (linked): the incident columns
    (checked equal between the two, as are the incidents tables) and the ids PostGIS asked the neighbours of."""
    from geodata import pipeline

    events, table = linked_events(stored)
    places = {"parquet": str(tmp_path / "events.parquet"), "postgis": postgis.url(postgis.database())}
    asked: set[str] = set()
    for place in places.values():
        open_store(place).replace(events, {"incidents": table})
        new = schema.conform(pd.DataFrame(incoming))
        with open_store(place).importing() as tx:
            if getattr(tx, "local", False):
                near = tx.near
                tx.near = lambda rows, near=near: asked.update(rows["event_id"].astype(str)) or near(rows)
            pipeline.store_step([new], [], pipeline.Summary(read=len(new)), set(), False, tx)
    relinked = incident_columns(places["parquet"])
    pd.testing.assert_frame_equal(incident_columns(places["postgis"]), relinked, check_dtype=False)
    assert open_store(places["postgis"]).side("incidents").equals(open_store(places["parquet"]).side("incidents"))
    return relinked.set_index("event_id")["incident_id"], asked


def test_a_dissolved_pair_is_relinked_without_reading_the_partners_candidates(postgis, tmp_path):
    """The benchmark's second import in small: a second upload of A1 makes A1's best upload candidate ambiguous, so
    the incident {A1, N1} dissolves. Only the events whose candidates changed (the new one and A1) are asked for
    their neighbours; N1's candidates are not read (its best is unchanged, and it links to nothing now), yet every
    event ends as a whole relink leaves it."""
    stored = [event("acled:A1", "acled", 0), event("upload:N1", "upload", 0.5), event("ucdp:U5", "ucdp", 60),
              event("acled:A5", "acled", 60.5)]
    stored_ids, _ = linked_events(stored)
    assert stored_ids.set_index("event_id").loc["upload:N1", "incident_id"] == "acled:A1"
    after, asked = relink_both(postgis, tmp_path, stored, [event("upload:N2", "upload", 0.5)])
    assert after["acled:A1"] == "acled:A1" and after["upload:N1"] == "upload:N1" and after["upload:N2"] == "upload:N2"
    assert after["ucdp:U5"] == after["acled:A5"], "far away: untouched"
    assert asked == {"upload:N2", "acled:A1"}, "the dissolved pair's other member was not asked"


def test_an_event_linked_only_among_what_was_read_is_asked_and_relinked(postgis, tmp_path):
    """U2 moves away (a revision), so A1's best UCDP report becomes U1, 6.4 km off. Among what is read first, U1
    (whose candidates are not read: the move changes none of them) then looks linked to A1, but its true best is A3,
    1.3 km from it and out of the moved event's reach. A stored single report that looks linked is asked for its
    neighbours, which reads A3; A3 looks linked to U1 until its stored partner U3 is read. The end equals a whole
    relink: A1, U1 and U2 alone, {A3, U3} kept."""
    stored = [event("ucdp:U2", "ucdp", 0, timestamp=1), event("acled:A1", "acled", 0.8),
              event("ucdp:U1", "ucdp", 7.2), event("acled:A3", "acled", 8.5), event("ucdp:U3", "ucdp", 9.0)]
    before = linked_events(stored)[0].set_index("event_id")["incident_id"]
    assert before["ucdp:U2"] == before["acled:A1"] and before["acled:A3"] == before["ucdp:U3"]
    assert before["ucdp:U1"] == "ucdp:U1", "U1's best (A3) prefers U3"
    after, asked = relink_both(postgis, tmp_path, stored, [event("ucdp:U2", "ucdp", 0, timestamp=2, km_east=150)])
    assert after["acled:A1"] == "acled:A1" and after["ucdp:U1"] == "ucdp:U1" and after["ucdp:U2"] == "ucdp:U2"
    assert after["acled:A3"] == after["ucdp:U3"]
    assert {"ucdp:U2", "acled:A1", "ucdp:U1"} <= asked, "U1 looked linked to A1, so it was asked"


def test_a_build_with_text_events_reads_back_the_same_frame_from_both_backends(postgis, tmp_path, capsys):
    """``build`` stores the extractor's extra text columns (date_basis, place_basis) beside the canonical ones: both
    backends read every column back in one set of dtypes (schema.read_dtypes), so the frames are equal as frames,
    dtypes included, from ``read`` and from the dashboard's ``snapshot``."""
    places = [str(tmp_path / "events.parquet"), postgis.url(postgis.database())]
    for place in places:
        code, _, _ = run(["build", "--store", place, "--no-progress"], capsys)
        assert code == 0
    parquet, database = (open_store(place) for place in places)
    events = parquet.read()
    assert {"date_basis", "place_basis"} <= set(events.columns), "text events carry their extra columns"
    assert (events["dataset"] == "seed").any() and events["date_basis"].notna().any(), "the seed texts were read"
    pd.testing.assert_frame_equal(pd.DataFrame(database.read()), pd.DataFrame(events))
    pd.testing.assert_frame_equal(database.snapshot()[1], pd.DataFrame(parquet.snapshot()[1]).drop(columns="geometry"))
    for name, dtype in schema.read_dtypes(events.columns).items():
        assert events[name].dtype == pd.api.types.pandas_dtype(dtype), name
