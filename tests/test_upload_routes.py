"""Uploads through the real app's routes (Flask's test client): who may write, bounded headers, queued imports,
clear answers for odd names and unwritable stores, security headers, one charset, the schema check at start."""

from __future__ import annotations

import codecs
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest

from dashboard.app import create_app
from dashboard.model.startup import StoreSchemaError
from dashboard.settings import Settings
from dashboard.web import import_jobs
from dashboard.web.upload import MAX_COLUMNS
from tests.fixtures.sample_events import write_sample_store

REPO = Path(__file__).resolve().parents[1]
ACLED = REPO / "tests" / "browser" / "acled_upload.csv"
TOKEN = "s3cret-upload-token"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_sample_store(tmp_path / "events.parquet")


def make_client(store: Path, **settings):
    app = create_app(Settings(store=store, upload_limit_mb=1, **settings))
    return app.server.test_client()


@pytest.fixture
def client(store: Path):
    return make_client(store)


def page_token(client) -> str:
    """The upload permission the page holds (in the layout Dash fetches from the same origin)."""
    layout = client.get("/_dash-layout").get_data(as_text=True)
    found = re.search(r'"data-csrf":\s*"([^"]+)"', layout)
    assert found, "the page has no upload form"
    return found.group(1)


def post(client, path: Path | None, name: str, kind: str = "auto", body: bytes | None = None, wait: bool = True,
         headers: dict | None = None, **kwargs):
    """An upload as the page sends it (same origin, its CSRF token), waiting for the queued import to finish."""
    data = path.read_bytes() if body is None else body
    headers = {"Origin": "http://localhost", "X-CSRF-Token": page_token(client)} if headers is None else headers
    query = f"name={name}&kind={kind}" + ("&wait=1" if wait else "")
    return client.post(f"/upload?{query}", data=data, content_type="application/octet-stream", headers=headers,
                       **kwargs)


# --- who may write ------------------------------------------------------------------------------------------


def test_upload_adds_an_acled_file_to_the_store(client, store):
    response = post(client, ACLED, "acled_upload.csv")
    result = json.loads(response.data)
    assert response.status_code == 200, result
    assert result["ok"] and result["kind"] == "acled" and result["new"] == 3
    assert result["message"] == "acled_upload.csv (ACLED): read 3, kept 3, updated 0, duplicates 0, quarantined 0"
    assert b"acled:MLI9101" in client.get("/export.csv?q=onerror").data
    again = json.loads(post(client, ACLED, "acled_upload.csv").data)
    assert again["message"].endswith("read 3, kept 0, updated 0, duplicates 3, quarantined 0")


@pytest.mark.parametrize(
    "headers, words",
    [
        ({}, "permission is missing"),  # a cross-site form: no token
        ({"Origin": "https://evil.example", "X-CSRF-Token": "PAGE"}, "only from this atlas's own page"),
        ({"Origin": "null", "X-CSRF-Token": "PAGE"}, "only from this atlas's own page"),
        ({"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": "PAGE"}, "only from this atlas's own page"),
        ({"Origin": "http://localhost", "X-CSRF-Token": "forged.token.value"}, "permission is missing"),
        ({"Authorization": "Bearer wrong"}, "token is wrong"),
    ],
)
def test_writes_without_permission_are_refused_and_change_nothing(client, store, headers, words):
    before = store.read_bytes()
    headers = {k: page_token(client) if v == "PAGE" else v for k, v in headers.items()}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/octet-stream"):
        response = client.post("/upload?name=a.csv&wait=1", data=ACLED.read_bytes(), content_type=content_type,
                               headers=headers)
        assert response.status_code == 403, response.data
        assert words in json.loads(response.data)["message"]
    assert store.read_bytes() == before


def test_a_script_uploads_with_the_bearer_token(store):
    client = make_client(store, upload_token=TOKEN)
    response = post(client, ACLED, "acled_upload.csv", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and json.loads(response.data)["new"] == 3


def test_uploads_off_removes_the_route_and_the_form(store):
    for settings in ({"uploads": "off"}, {"upload_limit_mb": 0}):
        app = create_app(Settings(store=store, **{"upload_limit_mb": 1, **settings}))
        client = app.server.test_client()
        assert client.post("/upload?name=a.csv", data=b"x").status_code in (404, 405)
        layout = client.get("/_dash-layout").get_data(as_text=True)
        assert "data-csrf" not in layout and "upload-button" not in layout


def test_uploads_are_off_by_default_on_a_non_loopback_listener_unless_a_token_is_set(store):
    public = {"SERVER_NAME": "0.0.0.0"}
    client = make_client(store)
    layout = client.get("/_dash-layout", environ_overrides=public).get_data(as_text=True)
    assert "data-csrf" not in layout
    response = client.post("/upload?name=a.csv", data=ACLED.read_bytes(), environ_overrides=public,
                           content_type="application/octet-stream")
    assert response.status_code == 403 and "SCA_UPLOAD_TOKEN" in json.loads(response.data)["message"]

    with_token = make_client(store, upload_token=TOKEN)
    assert "data-csrf" in with_token.get("/_dash-layout", environ_overrides=public).get_data(as_text=True)
    response = with_token.post("/upload?name=a.csv&wait=1", data=ACLED.read_bytes(), environ_overrides=public,
                               content_type="application/octet-stream", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200

    forced = make_client(store, uploads="on")
    assert "data-csrf" in forced.get("/_dash-layout", environ_overrides=public).get_data(as_text=True)


def test_the_queue_answers_at_once_and_the_page_polls_for_the_result(client, store):
    response = post(client, ACLED, "acled_upload.csv", wait=False)
    assert response.status_code == 202
    pending = json.loads(response.data)
    assert pending["state"] in ("queued", "waiting", "running") and pending["poll"].startswith("/upload/")
    deadline = time.monotonic() + 120
    while True:
        answer = client.get(pending["poll"])
        if answer.status_code != 202 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    result = json.loads(answer.data)
    assert answer.status_code == 200 and result["state"] == "done" and result["new"] == 3
    assert client.get("/upload/..%2Fetc").status_code in (200, 404)  # Dash's page, never a file
    assert b"root:" not in client.get("/upload/..%2F..%2F..%2Fetc%2Fpasswd").data
    assert client.get("/upload/abc").status_code == 404
    assert client.get("/upload/1-nosuchjob").status_code == 404


# --- bounded, clear answers ---------------------------------------------------------------------------------


def test_upload_quarantine_reasons_name_the_uploaded_file(client, store):
    result = json.loads(post(client, REPO / "tests" / "fixtures" / "pipeline_acled.csv", "my export.csv").data)
    assert result["ok"] and result["message"].endswith("read 9, kept 4, updated 0, duplicates 1, quarantined 4")
    assert result["reasons"][0].startswith("my export.csv row 5: event_date")
    quarantine = store.parent / "events.quarantine.csv"
    assert "my export.csv" in quarantine.read_text(encoding="utf-8")


def test_upload_over_the_limit_is_refused_and_changes_nothing(client, store):
    before = store.read_bytes()
    response = post(client, None, "big.csv", body=b"event_id_cnty\n" + b"x" * (1 << 20))
    assert response.status_code == 413
    assert "upload limit of 1 MB" in json.loads(response.data)["message"]
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    "name, body, words",
    [
        ("events.xlsx", b"PK\x03\x04 not a csv", "is not a CSV file"),
        ("binary.csv", b"\x00\x01\x02event_id_cnty", "binary data"),
        ("other.csv", b"name,value\na,1\n", "neither an ACLED export"),
        ("empty.csv", b"", "empty"),
        ("acled_missing.csv", b"event_id_cnty,event_date\nMLI1,2022-01-01\n", "acled_missing.csv"),
    ],
)
def test_upload_of_a_wrong_file_says_why_and_changes_nothing(client, store, name, body, words):
    before = store.read_bytes()
    response = post(client, None, name, body=body)
    result = json.loads(response.data)
    assert response.status_code == 400 and not result["ok"]
    assert words in result["message"]
    assert store.read_bytes() == before


def test_upload_kind_can_be_chosen(client, store):
    # Forcing UCDP on an ACLED file fails on UCDP's missing columns, naming the uploaded file.
    result = json.loads(post(client, ACLED, "acled_upload.csv", kind="ucdp").data)
    assert not result["ok"] and "acled_upload.csv" in result["message"]
    assert "upload-" not in result["message"]  # the temporary file's name never leaks
    odd = post(client, ACLED, "acled_upload.csv", kind="<script>")
    assert odd.status_code == 400 and "choose ACLED or UCDP" in json.loads(odd.data)["message"]


@pytest.mark.parametrize("columns, words", [(20_000, "20,001 columns"), (80_000, "longer than 256 KB and more than")])
def test_a_header_of_many_columns_is_refused_at_once(client, store, columns, words):
    header = ",".join(f"c{i}" for i in range(columns)).encode() + b",event_id_cnty\n1,2\n"
    started = time.monotonic()
    response = post(client, None, "wide.csv", body=header)
    assert time.monotonic() - started < 10  # one linear pass, not minutes (bench figures live in bench/)
    message = json.loads(response.data)["message"]
    assert response.status_code == 400 and words in message and str(MAX_COLUMNS) in message


@pytest.mark.parametrize("name", ["a%00.csv", "..%2F..%2Fetc%2Fpasswd.csv", "%E2%80%AE" + "x" * 300 + ".csv",
                                  "C%3A%5Cdata%5Cexport.csv", "%0d%0aSet-Cookie%3A%20x.csv"])
def test_odd_upload_names_are_sanitised_not_a_500(client, store, name):
    response = post(client, ACLED, name)
    result = json.loads(response.data)
    assert response.status_code == 200, result
    shown = result["message"].split(" (ACLED)")[0]
    assert "\x00" not in shown and "/" not in shown and "\\" not in shown and "\n" not in shown
    assert len(shown.encode("utf-8")) <= 130


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom_uploads_import_like_the_command_line(client, store, encoding):
    text = ACLED.read_text(encoding="utf-8")
    body = text.encode(encoding)
    if encoding == "utf-16":
        assert body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    result = json.loads(post(client, None, "wide-chars.csv", body=body).data)
    assert result["ok"] and result["new"] == 3, result


def test_a_read_only_store_gives_a_clear_503(tmp_path):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available to make a read-only folder")
    folder = tmp_path / "ro"
    folder.mkdir()
    store = write_sample_store(folder / "events.parquet")
    client = make_client(store)
    token = page_token(client)
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make {folder} immutable: {made.stderr.decode().strip()}")
    try:
        response = post(client, ACLED, "acled_upload.csv", headers={"Origin": "http://localhost",
                                                                    "X-CSRF-Token": token})
        result = json.loads(response.data)
        assert response.status_code == 503 and "cannot be written" in result["message"]
        assert "nothing was imported" in result["message"] and "<html" not in result["message"]
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


# --- headers and the start-up check -------------------------------------------------------------------------


def test_security_headers_and_one_charset(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'sha256-" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    export = client.get("/export.csv")
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/export.geojson").headers["Content-Type"] == "application/geo+json; charset=utf-8"


def test_a_store_with_the_wrong_columns_is_refused_at_start(tmp_path):
    store = write_sample_store(tmp_path / "events.parquet")
    frame = gpd.read_parquet(store).drop(columns=["date_start", "group1"])
    frame.to_parquet(store)
    with pytest.raises(StoreSchemaError, match="date_start, group1"):
        create_app(Settings(store=store))
    cli = subprocess.run([sys.executable, "-m", "dashboard", "--store", str(store), "--port", "1"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 2 and "date_start, group1" in cli.stderr and "Traceback" not in cli.stderr


def test_debug_is_refused_on_a_public_host_and_loud_on_loopback(tmp_path):
    store = write_sample_store(tmp_path / "events.parquet")
    refused = subprocess.run([sys.executable, "-m", "dashboard", "--store", str(store), "--host", "0.0.0.0",
                              "--debug"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--debug is refused" in refused.stderr


def test_stale_upload_folders_are_removed_at_start(store, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = import_jobs.uploads_root() / f"{import_jobs.FOLDER_PREFIX}{dead.stdout.strip()}-stale1234"
    stale.mkdir(exist_ok=True)
    (stale / "big.csv").write_bytes(b"x" * 100)
    mine = import_jobs.new_folder()  # this process is alive: its folder stays
    try:
        make_client(store)
        assert not stale.exists() and mine.exists()
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


def test_a_page_token_is_good_on_every_worker_of_the_host(store):
    """Two app processes (gunicorn workers without --preload) share the host's secret: a page served by one
    may upload through the other."""
    first, second = make_client(store), make_client(store)
    headers = {"Origin": "http://localhost", "X-CSRF-Token": page_token(first)}
    response = post(second, ACLED, "acled_upload.csv", headers=headers)
    assert response.status_code == 200, response.data
