"""Counting each incident once: ``dedupe=incident`` in the view, the URL, the controls, the filter, the counts, the
exports (route and CLI) and the list of an incident's reports for the event card.

The store is the hand-labelled ACLED and UCDP exports, imported through the real pipeline (so linked at import).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.model.events import EventData, incident_reports, summary
from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import apply_controls, control_value
from dashboard.render.export import export_rows, iter_csv
from geodata import store as geostore
from tests.fixtures.commands import geodata

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "fixtures" / "incidents"
DEDUPE = View(dedupe="incident")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dedupe") / "events.parquet"
    for kind in ("acled", "ucdp"):
        result = geodata("import", kind, str(LABELLED / f"{kind}.csv"), "--store", str(path), "--no-progress")
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def data(store) -> EventData:
    return EventData.load(store)


@pytest.fixture(scope="module")
def events(store) -> pd.DataFrame:
    return geostore.read_store(store)


# -- the view and its address -------------------------------------------------------------------------------------


def test_dedupe_round_trips_through_the_address_and_the_flags():
    view, messages = View.from_query("?country=BF&dedupe=incident")
    assert not messages and view.dedupe == "incident"
    assert view.to_query() == "country=BF&dedupe=incident"
    assert View.from_query(view.to_query())[0] == view
    assert "--dedupe=incident" in view.to_args()
    assert view.filters_only().dedupe == "incident" and DEDUPE.is_filtered
    assert View.from_query("dedupe=INCIDENT")[0] == DEDUPE
    assert View().to_query() == ""


def test_a_bad_dedupe_value_is_explained_and_ignored():
    view, messages = View.from_query("dedupe=yes")
    assert view.dedupe == ""
    assert messages == ["dedupe: 'yes' is not incident; counting every report"]


def test_the_switch_sets_and_shows_the_view():
    view, problems = apply_controls(View(), {ids.DEDUPE: ["incident"]})
    assert not problems and view.dedupe == "incident"
    assert control_value(view, "dedupe") == ["incident"]
    off, _ = apply_controls(view, {ids.DEDUPE: []})
    assert off.dedupe == "" and control_value(off, "dedupe") == []


# -- the filter and the counts ----------------------------------------------------------------------------------------


def test_each_incident_is_counted_once_by_its_representative(data, events):
    rows = data.rows(DEDUPE)
    assert len(rows) == events["incident_id"].nunique() < len(events)
    kept = data.take(rows)
    assert kept["incident_id"].is_unique
    # The representative is the report the incident is named after.
    assert (kept["event_id"] == kept["incident_id"]).all()
    assert np.all(np.diff(rows) > 0)  # still in date order


def test_counts_use_the_representatives_figures(data, events):
    counts = summary(data, data.rows(DEDUPE))
    reps = events.loc[events["event_id"] == events["incident_id"]]
    assert counts["events"] == len(reps)
    assert counts["fatalities"] == int(reps["fatalities"].dropna().sum())
    assert summary(data, data.rows(View()))["events"] == len(events)


def test_a_filter_that_hides_the_representative_still_counts_the_incident(data, events):
    ucdp = data.rows(View(dataset=("ucdp",), dedupe="incident"))
    assert len(ucdp) == (events["dataset"] == "ucdp").sum()
    assert set(data.take(ucdp)["dataset"]) == {"ucdp"}


def test_dedupe_combines_with_other_filters(data):
    view = View(country=("NE",), dedupe="incident")
    kept = data.take(data.rows(view))
    assert set(kept["country_iso2"]) == {"NE"} and kept["incident_id"].is_unique
    assert len(kept) < len(data.rows(View(country=("NE",))))


# -- exports ----------------------------------------------------------------------------------------------------------


def test_export_gives_each_incident_its_range_of_figures(data, events):
    rows = export_rows(data, DEDUPE)
    assert len(rows) == events["incident_id"].nunique()
    figures = events.groupby("incident_id")["fatalities"].agg(["min", "max"])
    multi = rows.loc[rows["incident_size"] > 1].set_index("incident_id")
    assert len(multi) >= 40
    pd.testing.assert_series_equal(multi["fatalities_low"].astype("Float64"),
                                   figures.loc[multi.index, "min"].astype("Float64"), check_names=False)
    pd.testing.assert_series_equal(multi["fatalities_high"].astype("Float64"),
                                   figures.loc[multi.index, "max"].astype("Float64"), check_names=False)
    solhan = multi.loc[multi["location"].str.contains("Solhan")].iloc[0]
    assert (solhan["fatalities"], solhan["fatalities_low"], solhan["fatalities_high"]) == (132, 132, 160)
    # Without dedupe every report keeps its own figures.
    assert export_rows(data, View())["fatalities_high"].isna().sum() == (events["dataset"] == "acled").sum()


def test_csv_export_route_and_cli_honour_dedupe(store, data, events):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    client = create_app(Settings(store=store)).server.test_client()
    response = client.get("/export.csv?dedupe=incident")
    assert response.status_code == 200
    body = response.get_data()
    assert body == "".join(iter_csv(data, DEDUPE)).encode("utf-8")
    parsed = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(parsed) == events["incident_id"].nunique()
    assert {"incident_id", "incident_size", "incident_score"} <= set(parsed[0])
    geojson = client.get("/export.geojson?dedupe=incident").get_json()
    assert len(geojson["features"]) == len(parsed)

    cli = subprocess.run([sys.executable, "-m", "dashboard", "export", "--store", str(store), "--out", "-",
                          "--dedupe", "incident"], cwd=REPO, capture_output=True, check=True)
    assert cli.stdout == body


# -- the event card's list of reports ------------------------------------------------------------------------------


def test_incident_reports_lists_every_report_representative_first(data, events):
    solhan = events.loc[events["location"].str.contains("Solhan", na=False)]
    assert len(solhan) == 2 and solhan["incident_id"].nunique() == 1
    for event_id in solhan["event_id"]:
        reports = incident_reports(data, event_id)
        assert [r["dataset"] for r in reports] == ["acled", "ucdp"]
        assert [r["representative"] for r in reports] == [True, False]
        first, second = reports
        assert first["event_id"] == solhan["incident_id"].iloc[0]
        assert (first["fatalities"], second["fatalities"], second["fatalities_low"], second["fatalities_high"]) == (
            132, 160, 132, 174)
        assert second["source"].startswith("https://en.wikipedia.org/wiki/Solhan")
        assert first["date_start"] == "2021-06-05" and second["date_start"] == "2021-06-04"
        assert 0 < first["incident_score"] <= 1


def test_incident_reports_of_an_event_alone_and_of_an_unknown_id(data, events):
    alone = events.loc[events["incident_size"] == 1, "event_id"].iloc[0]
    reports = incident_reports(data, alone)
    assert [r["event_id"] for r in reports] == [alone] and reports[0]["representative"]
    assert reports[0]["incident_score"] is None
    assert incident_reports(data, "acled:NOPE") == []


def test_the_event_card_lists_each_report_with_its_dataset_source_and_figures(data, events):
    from dashboard.callbacks.card import card_content

    solhan = events.loc[events["location"].str.contains("Solhan", na=False), "event_id"].tolist()
    body = str(card_content(data, solhan[1]))
    assert "Reports of this incident (2)" in body
    for event_id in solhan:
        assert event_id in body
    assert "acled" in body and "ucdp" in body and "fatalities 132" in body and "fatalities 160" in body
    alone = events.loc[events["incident_size"] == 1, "event_id"].iloc[0]
    assert "Reports of this incident" not in str(card_content(data, alone))
    assert card_content(data, "acled:NOPE") is None
