"""The Host allow-list, asset paths, caching and refusal bodies, on real ``python -m dashboard`` servers on
127.0.0.1 (issue 23): a foreign Host gets neither the page's upload token nor an export, unknown asset paths are
a 404 without a traceback, the layout, exports and uploads are ``no-store``, and a 400 stays short."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.settings import Settings
from dashboard.web.security import host_refusal
from tests.fixtures.app_server import AppServer, start_server
from tests.fixtures.sample_events import write_sample_store

TEAM_HOSTS = "atlas.example.org, Team-Atlas:8443"
REFUSAL = "This atlas does not answer to the host"
# Every kind of route: the page, the layout (carries the token), both exports, uploads, Dash's scripts, our
# assets, boundary layers, the basemap and its glyphs.
PATHS = ["/", "/_dash-layout", "/_dash-dependencies", "/export.csv", "/export.geojson?country=ML",
         "/upload/job-1", "/assets/style.css", "/_dash-component-suites/plotly/package_data/plotly.min.js",
         "/boundaries/admin1.geojson", "/basemap/style.json", "/glyphs/Noto%20Sans%20Regular/0-255.pbf", "/nothing"]


@dataclass
class Server:
    """A running app (tests.fixtures.app_server) and requests to it with any ``Host`` header."""

    app: AppServer

    @property
    def host(self) -> str:
        return self.app.host

    @property
    def port(self) -> int:
        return self.app.port

    @property
    def log(self) -> Path:
        return self.app.log

    def request(self, path: str, host: str | None = None, method: str = "GET", body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request with exactly the ``Host`` header given (default: the address and port)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", f"{self.host}:{self.port}" if host is None else host)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def _start(directory: Path, host: str, env: dict[str, str]) -> Server:
    store = write_sample_store(directory / "events.parquet")
    return Server(start_server(store, directory / "server.log", env, host=host))


def _stop(server: Server) -> None:
    server.app.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on 127.0.0.1 with a team's names configured (uploads on: loopback)."""
    running = _start(tmp_path_factory.mktemp("hosts"), "127.0.0.1",
                     {"SCA_ALLOWED_HOSTS": TEAM_HOSTS, "SCA_UPLOAD_LIMIT_MB": "1"})
    yield running
    _stop(running)


def _token(layout: bytes) -> str | None:
    match = re.search(rb'"data-csrf":\s*"([^"]+)"', layout)
    return match.group(1).decode() if match else None


def test_the_own_names_get_the_page_the_token_and_exports(server):
    for host in (f"127.0.0.1:{server.port}", "127.0.0.1", f"localhost:{server.port}", "LOCALHOST.",
                 f"[::1]:{server.port}", "atlas.example.org", "atlas.example.org:443", f"team-atlas:{server.port}"):
        status, _, layout = server.request("/_dash-layout", host)
        assert status == 200 and _token(layout), host
        status, _, rows = server.request("/export.csv?country=NE", host)
        assert status == 200 and rows.count(b"\r\n") == 1 + 8, host


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost.evil.example",
    "atlas.example.org.evil.example", "evil.example:{port}@127.0.0.1", "127.0.0.2:{port}", "[::2]:{port}",
    "a b", "", "x" * 5000,
])
def test_a_foreign_host_gets_400_on_every_route(server, host):
    host = host.format(port=server.port)
    for path in PATHS:
        status, headers, body = server.request(path, host)
        assert status == 400, (host[:40], path, status)
        assert body.decode().startswith(REFUSAL) and b"csrf" not in body and b"event_id" not in body
        assert len(body) < 1000 and headers["content-type"] == "text/plain; charset=utf-8"
    token = _token(server.request("/_dash-layout")[2])
    status, _, body = server.request("/upload?name=a.csv&wait=1", host, "POST", b"event_id_cnty\n", headers={
        "X-CSRF-Token": token, "Origin": f"http://{host}", "Content-Type": "application/octet-stream"})
    assert status == 400 and body.decode().startswith(REFUSAL)


def test_the_address_the_server_listens_on_is_allowed(tmp_path):
    """On 127.0.0.2 (a loopback address, not one of the default names) the atlas answers to that address too."""
    other = _start(tmp_path, "127.0.0.2", {"SCA_ALLOWED_HOSTS": ""})
    try:
        assert other.request("/_dash-layout")[0] == 200
        assert other.request("/_dash-layout", f"localhost:{other.port}")[0] == 200
        assert other.request("/_dash-layout", "127.0.0.3")[0] == 400
        assert other.request("/_dash-layout", "atlas.example.org")[0] == 400
    finally:
        _stop(other)


def test_a_listener_name_copied_from_the_host_header_is_not_trusted():
    """gunicorn on a unix socket sets SERVER_NAME from the request's own Host: that must not allow it."""
    settings = Settings(host="127.0.0.1")
    assert host_refusal(settings, {"HTTP_HOST": "evil.example:80", "SERVER_NAME": "evil.example"})
    assert host_refusal(settings, {"HTTP_HOST": "10.0.0.5:8050", "SERVER_NAME": "10.0.0.5"}) is None  # TCP bind
    assert host_refusal(Settings(host="atlas.lan"), {"HTTP_HOST": "Atlas.lan:80", "SERVER_NAME": "10.0.0.5"}) is None
    assert host_refusal(settings, {"SERVER_NAME": "127.0.0.1"}) is None  # HTTP/1.0, no Host: the listener itself


def test_team_names_are_read_into_the_settings():
    settings = Settings.from_env({"SCA_ALLOWED_HOSTS": " Atlas.Example.org:8443, team ,[::2]:80,, intra. "})
    assert settings.allowed_host_names() == ("atlas.example.org", "team", "::2", "intra")
    assert Settings.from_env({}).allowed_host_names() == ()


BAD_ASSETS = [
    "/_dash-component-suites/dash/__init__.py", "/_dash-component-suites/dash/dash.py",
    "/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/dcc/nope.v1_0_0m1.js",
    "/_dash-component-suites/dash/deps/react@18.v4_0_0m1.min.js", "/_dash-component-suites/dash/%00.js",
    "/_dash-component-suites/dash/..%2f..%2fsettings.py", "/_dash-component-suites/plotly/x",
    "/_dash-component-suites/dash_ag_grid/" + "a/" * 400 + "x.js", "/assets/nope.css", "/assets/..%2fapp.py",
    "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/x%00.js",
]


def test_unknown_asset_paths_are_404_without_a_traceback(server):
    before = server.log.stat().st_size
    for path in BAD_ASSETS:
        status, headers, body = server.request(path)
        assert status == 404, (path, status, body[:200])
        assert headers["content-type"].count("charset") == 1
    assert server.request("/assets/style.css")[0] == 200
    assert server.request("/_dash-component-suites/plotly/package_data/plotly.min.js")[0] == 200
    time.sleep(0.5)  # let the server's log reach the file
    logged = server.log.read_bytes()[before:]
    assert b"Traceback" not in logged and b"Exception" not in logged
    assert len(logged) < 300 * (len(BAD_ASSETS) + 2), logged[:2000]  # access-log lines only


def test_layout_exports_and_uploads_are_never_cached(server):
    for path in ("/_dash-layout", "/export.csv", "/export.geojson?country=ML", "/export.csv?start=x",
                 "/upload/no-such-job"):
        status, headers, _ = server.request(path)
        assert "no-store" in headers.get("cache-control", ""), (path, status, headers)
    status, headers, _ = server.request("/upload?name=a.csv", method="POST", body=b"x")  # no token: refused
    assert status == 403 and "no-store" in headers["cache-control"]
    status, headers, _ = server.request("/assets/style.css")
    assert status == 200 and "no-store" not in headers.get("cache-control", "")


def test_a_400_lists_a_few_bad_values_and_stays_short(server):
    query = "country=" + ",".join(f"X{i}" for i in range(8000)) + "&start=" + "y" * 14000
    assert len(query) > 60_000
    for path in (f"/export.csv?{query}", f"/export.geojson?{query}"):
        status, headers, body = server.request(path)
        text = body.decode()
        assert status == 400 and len(body) < 10_000, len(body)
        assert "'X0' is not a two-letter country code" in text and "X4000" not in text
        assert re.search(r"and \d+ more problems", text), text[-200:]
        assert headers["content-type"] == "text/plain; charset=utf-8"


def test_every_refusal_names_one_charset(server):
    for path in ("/export.csv?start=x", "/boundaries/nope.geojson", "/basemap/nope.geojson",
                 "/glyphs/x/1-2.pbf", "/_dash-component-suites/dash/__init__.py", "/upload/nope"):
        status, headers, _ = server.request(path)
        assert status >= 400 and headers["content-type"].count("charset") <= 1, (path, headers["content-type"])
    status, headers, body = server.request("/_dash-update-component", method="POST", body=b"{not json",
                                           headers={"Content-Type": "application/json"})
    assert status == 400 and headers["content-type"].count("charset") == 1
    json.dumps(body.decode())  # a line of text, not a page
