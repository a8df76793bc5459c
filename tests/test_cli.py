"""``python -m dashboard`` serves the app on the given host and port (a real process on 127.0.0.1)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.servers import free_port
from dashboard.cli import build_parser, export_format
from tests.fixtures.sample_events import write_sample_store

REPO = Path(__file__).resolve().parents[1]



def get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def test_serve_command_starts_the_app(tmp_path):
    store = write_sample_store(tmp_path / "events.parquet")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        page = None
        deadline = time.monotonic() + 90  # a readiness wait, not a speed check
        while page is None and time.monotonic() < deadline and server.poll() is None:
            page = get(f"http://127.0.0.1:{port}/")
            time.sleep(0.3)
        assert page is not None, server.stdout.read().decode() if server.poll() is not None else "no answer"
        assert b"<html" in page.lower()
        csv_text = get(f"http://127.0.0.1:{port}/export.csv?country=NE")
        assert csv_text is not None and csv_text.count(b"\r\n") == 1 + 8
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_parser_defaults_and_formats():
    ns = build_parser().parse_args([])
    assert ns.command is None and ns.store is None and ns.debug is None
    ns = build_parser().parse_args(["--store", "a.parquet", "export", "--out", "x.geojson", "--country", "ML"])
    assert str(ns.store) == "a.parquet" and ns.view_country == "ML"
    ns = build_parser().parse_args(["export", "--store", "b.parquet", "--out", "x"])
    assert str(ns.store) == "b.parquet"
    assert export_format("x.geojson", None) == "geojson"
    assert export_format("x.json", None) == "geojson"
    assert export_format("x.txt", None) == "csv"
    assert export_format("-", "geojson") == "geojson"
