"""Region summary and AG Grid row blocks from the sample events."""

from __future__ import annotations

import json

import numpy as np

from dashboard.model.aggregate import region_totals
from dashboard.model.view import View
from dashboard.render import tables
from dashboard.render.figures import FAMILY_COLOURS
from dashboard.render.tables import GRID_COLUMNS, GRID_FIELDS, NO_REGION, OUTSIDE, grid_rows, region_summary

ALL = np.arange(30)


def test_region_summary_counts_and_dates(data):
    table = region_summary(region_totals(data, data.rows(View()))).set_index(["country_iso2", "admin1"])
    assert table["events"].sum() == 30
    assert list(table["events"]) == sorted(table["events"], reverse=True)
    tillaberi = table.loc[("NE", "Tillabéri")]
    assert tillaberi["events"] == 7
    assert str(tillaberi["first_date"].date()) == "2017-10-04"
    assert str(tillaberi["last_date"].date()) == "2023-08-15"
    gao = table.loc[("ML", "Gao")]
    assert gao["unknown_fatalities"] == 1
    assert gao["fatalities"] == 50 + 20 + 64
    assert table.loc[("MR", OUTSIDE), "events"] == 1
    assert table.loc[("ML", NO_REGION), "events"] == 1
    assert table.loc[("ML", "Timbuktu"), "last_date"].day == 31  # the end of a month-long event


def test_region_summary_of_nothing_is_an_empty_table(data):
    table = region_summary(region_totals(data, data.rows(View(country=("TD",)))))
    assert len(table) == 0
    assert list(table.columns) == ["country_iso2", "admin1", "events", "fatalities", "unknown_fatalities",
                                   "first_date", "last_date"]


def test_grid_rows_are_json_safe_blocks_with_a_total(data):
    rows, total = grid_rows(data, ALL, 0, 10)
    assert total == 30 and len(rows) == 10
    assert list(rows[0]) == list(GRID_FIELDS)
    json.dumps(rows, allow_nan=False)
    first = rows[0]
    assert first["event_id"] == "curated:1" and first["date_start"] == "2017-10-04"
    assert isinstance(first["fatalities"], int) and isinstance(first["geo_precision"], int)
    last, _ = grid_rows(data, ALL, 25, 100)
    assert len(last) == 5
    assert last[-1]["date_end"] is None and last[-1]["source_url"] is None
    assert grid_rows(data, ALL, 40, 50) == ([], 30)


def test_grid_sort_model(data):
    rows, _ = grid_rows(data, ALL, 0, 30, [{"colId": "fatalities", "sort": "desc"}])
    assert [r["fatalities"] for r in rows[:2]] == [500, 141]
    assert all(r["fatalities"] is None for r in rows[-5:])  # unknown last
    two_keys = [{"colId": "admin1", "sort": "asc"}, {"colId": "date_start", "sort": "desc"}]
    rows, _ = grid_rows(data, ALL, 0, 30, two_keys)
    gao = [r["date_start"] for r in rows if r["admin1"] == "Gao"]
    assert rows[0]["admin1"] == "Gao" and gao == sorted(gao, reverse=True)
    unsorted, _ = grid_rows(data, ALL, 0, 30, [{"colId": "not_a_column", "sort": "asc"}])
    assert unsorted == grid_rows(data, ALL, 0, 30)[0]


def test_grid_rows_carry_reports_and_ignore_filter_models(data):
    """The table has no filters of its own (issue 24): what it lists is the view, as the counter says."""
    from dashboard.model.events import EventData
    from tests.fixtures.dyad_events import dyad_events

    dyad = EventData.from_frame(dyad_events())
    rows, total = grid_rows(dyad, dyad.rows(View()), 0, 100)
    by_id = {r["event_id"]: r for r in rows}
    assert total == len(rows) == 14
    assert by_id["acled:ML3"]["reports"] == "2: acled, curated ⚠ disagree"
    assert by_id["ucdp:BF2"]["reports"] == "2: acled, ucdp ⚠ disagree"  # same toll, another perpetrator
    assert by_id["ucdp:BF5"]["reports"] == "1: ucdp"
    assert by_id["acled:ML1"]["source_admin1"] == "Gao" and by_id["acled:ML1"]["admin1"] == "Ménaka"
    assert tables.grid_request({"startRow": 0, "endRow": 10,
                                "filterModel": {"fatalities": {"type": "greaterThan", "filter": 10}}}) == (0, 10, [])


def test_grid_columns_render_text_and_link_sources():
    fields = [c["field"] for c in GRID_COLUMNS]
    assert fields == list(GRID_FIELDS)
    link = next(c for c in GRID_COLUMNS if c["field"] == "source_url")
    assert link["cellRenderer"] == "SourceLink"
    assert not any("dangerously_allow_code" in c or c.get("cellRenderer") not in (None, "SourceLink", "FamilyChips")
                   for c in GRID_COLUMNS)
    # what an analyst reads first comes first: when, where, who, the toll, then when it ended
    assert fields[:6] == ["date_start", "location", "country_iso2", "group1", "fatalities", "date_end"]
    headers = {c["field"]: c["headerName"] for c in GRID_COLUMNS}
    assert (headers["date_start"], headers["date_end"], headers["country_iso2"]) == ("Start", "End", "Country")
    chips = next(c for c in GRID_COLUMNS if c["field"] == "group1")
    assert chips["cellRenderer"] == "FamilyChips" and chips["headerName"] == "Actor families"
    assert chips["cellRendererParams"]["colours"] == FAMILY_COLOURS
    assert set(chips["cellRendererParams"]["ink"].values()) <= {"#000000", "#ffffff"}
    assert chips["cellRendererParams"]["ink"]["ISGS"] == "#ffffff"  # white on the black chip
    assert all(c["filter"] is False for c in GRID_COLUMNS)  # one set of filters: the sidebar's
