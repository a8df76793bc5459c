"""Pure safety rules: formula prefixes (and their Unicode variants), bounded grid requests, clamped viewports,
oversized fields quarantined, escaped legend names, upload names sanitised."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.model.viewport import Viewport
from dashboard.render import figures, tables
from dashboard.web.upload import MAX_NAME_BYTES, safe_name
from geodata import safecsv, schema, validate
from tests.fixtures.sample_events import sample_events


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\ufeff=1+1", "\u200b=1+1",
                                  "\u00ad=1", "\u061c=1", "\u180e=1", "\u2060=1", "\u2064+1", '"=1+1', " =1",
                                  "\u00a0=1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20x", "\ufe661",
                                  "\u22121", "\u200b\ufeff'\uff1dcmd"])
def test_cells_that_start_like_a_formula_are_prefixed(cell):
    frame = pd.DataFrame({"notes": [cell]}, dtype="string")
    assert safecsv.neutralise(frame)["notes"].iloc[0] == "'" + cell


@pytest.mark.parametrize("cell", ["Ménaka", "1+1", "a=b", "", "It's", "(=)", "\u200bMopti"])
def test_ordinary_cells_are_left_alone(cell):
    frame = pd.DataFrame({"notes": [cell, None]}, dtype="string")
    out = safecsv.neutralise(frame)
    assert out["notes"].iloc[0] == cell and out["notes"].isna().iloc[1]


def test_the_export_uses_the_same_rule():
    from dashboard.render.export import neutralise_formulas

    frame = pd.DataFrame({"notes": ["\ufeff=HYPERLINK(\"x\")", "ok"]}, dtype="string")
    assert neutralise_formulas(frame)["notes"].tolist() == ["'\ufeff=HYPERLINK(\"x\")", "ok"]


@pytest.fixture(scope="module")
def data() -> EventData:
    return EventData.from_frame(sample_events())


def test_grid_requests_are_bounded(data):
    rows = data.rows(View())
    block, count = tables.grid_rows(data, rows, 0, 10**12)
    assert count == len(rows) and len(block) <= tables.MAX_BLOCK_ROWS
    checked = tables.grid_request({"startRow": 0, "endRow": 10**12,
                                   "sortModel": [{"colId": "notes", "sort": "asc"}] * 200 + [{"colId": "x"}],
                                   "filterModel": {"notes": {"operator": "OR", "conditions": [
                                       {"filterType": "text", "type": "contains", "filter": "a" * 10_000}] * 1000}}})
    start, end, sort_model = checked  # the table has no filters of its own: a filter model is dropped
    assert end - start == tables.MAX_BLOCK_ROWS
    assert sort_model == [{"colId": "notes", "sort": "asc"}]


@pytest.mark.parametrize("request_", [None, [], "x", {"startRow": "abc"}, {"startRow": None},
                                      {"startRow": float("nan")}, {"endRow": float("inf")}])
def test_requests_the_grid_never_sends_are_refused(request_):
    assert tables.grid_request(request_) is None


@pytest.mark.parametrize("sort_model", ["desc", [1], None, [{"colId": ["x"]}], [{"colId": "reports"}]])
def test_odd_sort_models_are_ignored(data, sort_model):
    block, count = tables.grid_rows(data, data.rows(View()), 0, 10, sort_model)
    assert count == 30 and len(block) == 10


@pytest.mark.parametrize("zoom", [-1e6, 1e6, 30, float("nan"), float("inf")])
def test_a_made_up_zoom_is_clamped(zoom):
    relayout = {"map.zoom": zoom, "map.center": {"lon": 0, "lat": 15},
                "map._derived": {"coordinates": [[-5, 20], [5, 20], [5, 10], [-5, 10]]}}
    viewport = Viewport.from_relayout(relayout)
    assert viewport is None or 0 <= viewport.zoom <= 22
    assert 0 <= Viewport.around({"lon": 0, "lat": 15}, zoom if np.isfinite(zoom) else 0).zoom <= 22


def test_an_oversized_field_is_quarantined_with_its_reason():
    events = schema.conform(sample_events().head(3).assign(notes=["short", "x" * 20_000, "é" * 9_000]))
    reasons = validate.check_fields(events)
    assert list(reasons.index) == [1, 2]
    assert "notes: longer than 16,384 bytes (20,000 bytes)" in reasons.loc[1]
    assert "(18,000 bytes)" in reasons.loc[2]


def test_field_checks_stay_linear_on_many_rows():
    events = schema.conform(pd.concat([sample_events()] * 2000, ignore_index=True))
    started = time.perf_counter()
    validate.check_fields(events)
    assert time.perf_counter() - started < 5


def test_legend_names_from_data_are_text_not_markup():
    events = sample_events()
    events["event_type"] = events["event_type"].astype("string")
    events.loc[events.index[:4], "event_type"] = '<a href="https://evil.example/phish">phish</a>'
    events.loc[events.index[4:8], "event_type"] = "<b>bold</b>"
    figure = figures.map_figure(events, View(colour="type"), None)
    names = {trace.name for trace in figure.data}
    # a type the palette does not name is one of the "Other types"; the hover says it, escaped
    assert "Other types" in names
    assert not any("<a" in (name or "") or "<b>" in (name or "") for name in names)
    hovers = {row[4] for trace in figure.data if trace.customdata is not None for row in trace.customdata}
    assert "&lt;b&gt;bold&lt;/b&gt;" in hovers
    text = json.dumps(figure.to_plotly_json()["data"], default=str)
    assert "<a href" not in text and "<b>bold" not in text


def test_timeline_trace_names_never_carry_markup_from_data():
    # The timeline stacks the fixed names of the colour mode: a name from the data that is not one of them is
    # counted as the mode's catch-all, so no markup from the data reaches a trace name or hover.
    monthly = pd.DataFrame({"<i>x</i>": [1, 2]}, index=pd.to_datetime(["2020-01-01", "2020-02-01"]))
    for colour, catch_all in (("actor", "Other"), ("type", "Other types"), ("dataset", "Other datasets")):
        figure = figures.timeline_figure(monthly, View(colour=colour))
        assert [trace.name for trace in figure.data] == [catch_all]
        assert "<i>" not in json.dumps(figure.to_plotly_json()["data"], default=str)


@pytest.mark.parametrize("given, expected", [("a\x00.csv", "a_.csv"), ("../../etc/passwd", "passwd"),
                                             ("C:\\data\\export.csv", "export.csv"), ("", "upload.csv"),
                                             ("..", "upload.csv"), ("a\r\nb.csv", "a_b.csv")])
def test_upload_names_are_sanitised(given, expected):
    assert safe_name(given) == expected


def test_long_upload_names_keep_their_suffix_within_the_bound():
    name = safe_name("é" * 300 + ".csv")
    assert name.endswith(".csv") and len(name.encode("utf-8")) <= MAX_NAME_BYTES


def test_the_host_secret_is_shared_by_processes_and_refused_when_others_can_read_it(tmp_path):
    from dashboard.web.security import host_secret

    first = host_secret(tmp_path)
    assert first == host_secret(tmp_path) and len(first) >= 32
    (secret_file,) = tmp_path.glob("sca-secret-*")
    secret_file.chmod(0o644)
    assert host_secret(tmp_path) != first


def test_a_store_held_by_another_import_gives_up_with_a_timeout(tmp_path):
    import subprocess
    import sys

    from dashboard.web.import_jobs import import_lock

    store = tmp_path / "events.parquet"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; h = open(sys.argv[1], 'a'); fcntl.flock(h, fcntl.LOCK_EX); print('held', flush=True);"
        " time.sleep(30)"), str(store.with_name(store.name + ".import.lock"))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError), import_lock(store, wait_s=0.5):
            pass
    finally:
        holder.kill()
        holder.wait()
    with import_lock(store, wait_s=5):  # released with its holder's death: never left held
        pass
