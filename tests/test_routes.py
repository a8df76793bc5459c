"""The app's plain HTTP routes through Flask's test client on the real app: exports and boundary layers
(uploads: tests/test_upload_routes.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.fixtures.sample_events import write_sample_store

REPO = Path(__file__).resolve().parents[1]
VIEWS = [
    "",
    "country=ML,BF&min_fatalities=10",
    "start=2021-01-01&end=2022-12-31&group=JNIM&q=massacre",
    "bbox=-6,13,1,16&precision=1,2",
]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_sample_store(tmp_path / "events.parquet")


@pytest.fixture
def client(store: Path):
    app = create_app(Settings(store=store, upload_limit_mb=1))
    return app.server.test_client()


def cli_export(store: Path, query: str, fmt: str) -> bytes:
    """What `python -m dashboard export` writes for the same view."""
    from dashboard.model.view import View

    view, messages = View.from_query(query)
    assert not messages
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--store", str(store), "--out", "-", "--format", fmt,
         *view.to_args()],
        cwd=REPO, capture_output=True, check=True,
    )
    return result.stdout


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_route_sends_the_same_bytes_as_the_cli(client, store, fmt):
    for query in VIEWS:
        response = client.get(f"/export.{fmt}?{query}")
        assert response.status_code == 200, response.data
        assert response.data == cli_export(store, query, fmt), query
        assert "attachment; filename=\"sahel-events_" in response.headers["Content-Disposition"]
        assert response.headers["Content-Disposition"].endswith(f'.{fmt}"')


def test_export_route_streams_a_view_that_has_rows(client):
    text = client.get("/export.csv?country=BF").data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert text.startswith("event_id,dataset,")
    assert len(rows) == 7 and {r["country_iso2"] for r in rows} == {"BF"}


@pytest.mark.parametrize(
    "query, words",
    [
        ("min_fatalities=lots", "not a whole number"),
        ("start=2022-13-45", "not a date"),
        ("bbox=1,2,3", "4 numbers"),
        ("start=2023-01-01&end=2020-01-01", "is after end"),
    ],
)
def test_bad_export_parameters_get_a_message_not_a_500(client, query, words):
    response = client.get(f"/export.csv?{query}")
    assert response.status_code == 400
    assert words in response.data.decode("utf-8")
    assert response.mimetype == "text/plain"


def test_boundary_layers_are_served_once_for_the_maps_to_refer_to(client):
    response = client.get("/boundaries/admin1.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert response.cache_control.max_age and response.cache_control.public
    layer = json.loads(response.data)
    assert layer["type"] == "FeatureCollection" and {f["id"].split("|")[0] for f in layer["features"]} == {
        "ML", "BF", "NE"}
    assert client.get("/boundaries/focus.geojson").status_code == 200
    missing = client.get("/boundaries/rivers.geojson")
    assert missing.status_code == 404 and b"focus, neighbours, admin1" in missing.data
