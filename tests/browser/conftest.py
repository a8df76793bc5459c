"""Real app servers on 127.0.0.1 and a real headless Chromium (Debian's /usr/bin/chromium) for the browser tests.

The modules that only read the 30 sample events share one ``python -m dashboard``; a module that uploads, or
needs another store or settings, starts its own on a free port, so it never changes what another module sees.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.fixtures.app_server import REPO, AppServer, start_server
from tests.fixtures.commands import geodata
from tests.fixtures.sample_events import write_sample_store

ARTIFACTS = REPO / "tests" / "artifacts"
LABELLED = REPO / "tests" / "fixtures" / "incidents"  # hand-labelled ACLED and UCDP exports
# How long a browser action or wait may take: generous, because CI shares its two cores with other work.
UI_TIMEOUT_MS = 60_000



def serve_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A fixture body: the app serving a fresh copy of the 30 sample events until the fixture's scope ends."""
    directory = tmp_path_factory.mktemp("store")
    store = write_sample_store(directory / "events.parquet")
    server = start_server(store, directory / "server.log", env={"SCA_UPLOAD_LIMIT_MB": "1"})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The 30 sample events, one server for every module that only reads them (a server start costs seconds on a
    busy machine); a module that changes the store overrides this with its own (test_upload.py)."""
    yield from serve_sample(tmp_path_factory)


@pytest.fixture(scope="session")
def labelled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The hand-labelled ACLED and UCDP exports imported through the real pipeline, served once for every module
    that only reads them (export, incidents, map names)."""
    directory = tmp_path_factory.mktemp("labelled-store")
    store = directory / "events.parquet"
    for kind in ("acled", "ucdp"):
        result = geodata("import", kind, str(LABELLED / f"{kind}.csv"), "--store", str(store), "--no-progress")
        assert result.returncode == 0, result.stderr
    server = start_server(store, directory / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page plus everything it did that a test may want to check."""

    page: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or urlsplit(u).scheme for u in self.requests}


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    """A fresh browser context and page recording requests, dialogs and uncaught errors."""
    # The helpers' expression predicates are evaluated by Playwright like eval(), which the app's CSP forbids;
    # the CSP itself is tested without this bypass in test_upload_security.py.
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    record = Watched(page=page)
    page.on("request", lambda request: record.requests.append(request.url))

    def on_dialog(dialog) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    yield record
    context.close()
