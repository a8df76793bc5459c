"""Uploading files through the page, against its own app server and store (uploads change the store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.page import ids
from tests.browser.conftest import AppServer, serve_sample
from tests.browser.pages import assert_note_is_inert, counter_events, open_view, wait_for_count, wait_for_grid

HERE = Path(__file__).resolve().parent
ACLED = HERE / "acled_upload.csv"  # three ACLED rows in ML, BF and NE; one note is an <img onerror> payload


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """This module's own copy of the sample events (its uploads change the store the others share otherwise)."""
    yield from serve_sample(tmp_path_factory)


def upload(page, path: Path) -> str:
    page.wait_for_selector(f"#{ids.UPLOAD_FILE}", state="attached")
    page.set_input_files(f"#{ids.UPLOAD_FILE}", str(path))
    page.click(f"#{ids.UPLOAD_BUTTON}")
    page.wait_for_selector(f"#{ids.UPLOAD_STATUS} p.ok, #{ids.UPLOAD_STATUS} p.error")
    return page.inner_text(f"#{ids.UPLOAD_STATUS}")


def test_a_wrong_file_changes_nothing_and_says_why(sample_server, watched, tmp_path):
    page = watched.page
    open_view(page, sample_server.url)
    picture = tmp_path / "map.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    store_before = sample_server.store.read_bytes()
    message = upload(page, picture)
    assert "'map.png' is not a CSV file" in message and "nothing was imported" in message
    not_an_export = tmp_path / "shopping.csv"
    not_an_export.write_text("item,price\nbread,2\n", encoding="utf-8")
    page.click(f"#{ids.UPLOAD_BUTTON}")  # same input, new file below
    page.set_input_files(f"#{ids.UPLOAD_FILE}", str(not_an_export))
    page.click(f"#{ids.UPLOAD_BUTTON}")
    page.wait_for_selector(f"#{ids.UPLOAD_STATUS} p.error:has-text('shopping.csv')")
    assert "neither an ACLED export" in page.inner_text(f"#{ids.UPLOAD_STATUS}")
    too_big = tmp_path / "huge.csv"
    too_big.write_bytes(b"event_id_cnty\n" + b"x" * (1 << 20))  # the test server's limit is 1 MB
    page.set_input_files(f"#{ids.UPLOAD_FILE}", str(too_big))
    page.click(f"#{ids.UPLOAD_BUTTON}")
    page.wait_for_selector(f"#{ids.UPLOAD_STATUS} p.error:has-text('upload limit of 1 MB')")
    assert counter_events(page) == 30
    assert sample_server.store.read_bytes() == store_before


def test_uploading_an_acled_file_adds_its_events_and_keeps_html_as_text(sample_server, watched):
    page = watched.page
    open_view(page, sample_server.url)
    assert counter_events(page) == 30
    message = upload(page, ACLED)
    assert "acled_upload.csv (ACLED): read 3, kept 3, updated 0, duplicates 0, quarantined 0" in message
    wait_for_count(page, 33)
    ids_shown = wait_for_grid(page, 33)
    assert {"acled:MLI9101", "acled:BFO9102", "acled:NIG9103"} <= set(ids_shown)
    # the slider now reaches the new months (its year marks give way to the timeline's axis, but are there)
    assert "2024" in page.eval_on_selector(f"#{ids.SLIDER}", "e => e.textContent")
    # The new event's note is an <img onerror> payload: it must show as text and run nothing.
    open_view(page, sample_server.url, "q=onerror")
    wait_for_grid(page, 1)
    assert_note_is_inert(page, watched, "acled:MLI9101", "<img src=x onerror=alert('uploaded')> clash near Ansongo",
                         "img")
