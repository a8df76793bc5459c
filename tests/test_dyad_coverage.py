"""Issue 24's view filters on a store shaped like the real one: the dyad (vs), sources that disagree, coverage,
region names without accents, and exports and file names that carry all of them."""

from __future__ import annotations

import csv
import datetime
import io
import subprocess
import sys

import pytest

from dashboard.model.events import EventData, coverage_gaps, coverage_text, uncovered_spans
from dashboard.model.view import View
from dashboard.render.export import export_filename, export_rows, iter_csv
from tests.fixtures.dyad_events import (
    ACLED_ENDS,
    DISAGREE,
    JNIM_ISGS_2020,
    dyad_events,
    write_dyad_store,
)


@pytest.fixture(scope="module")
def data() -> EventData:
    return EventData.from_frame(dyad_events())


def ids(data: EventData, query: str) -> list[str]:
    view, messages = View.from_query(query)
    assert messages == []
    return sorted(data.filter(view)["event_id"].astype(str))


def test_vs_parses_two_families_in_either_order_and_round_trips():
    a, _ = View.from_query("vs=JNIM,ISGS")
    b, _ = View.from_query("vs=isgs&vs=jnim")
    assert a == b and a.vs == ("ISGS", "JNIM") and a.dyad == ("ISGS", "JNIM")
    assert a.to_query() == "vs=ISGS,JNIM" and View.from_query(a.to_query())[0] == a
    assert a.to_args() == ["--vs=ISGS,JNIM"]
    same, _ = View.from_query("vs=JNIM,JNIM")
    assert same.dyad == ("JNIM", "JNIM")  # fighting within one family


def test_vs_with_bad_or_too_many_families_says_why():
    view, messages = View.from_query("vs=JNIM,Boko")
    assert view.vs == ("JNIM",) and view.dyad is None
    assert messages == ["vs: 'Boko' is not a known actor family (JNIM, ISGS, Ansarul Islam, Lake Chad jihadists, "
                        "State forces, Wagner Group, Militia, Civilians, Other); ignored"]
    view, messages = View.from_query("vs=JNIM,ISGS,Militia")
    assert view.vs == () and "a dyad is two" in messages[0]


def test_vs_keeps_exactly_the_events_between_the_two_families(data):
    assert ids(data, "start=2020-01-01&end=2020-12-31&vs=JNIM,ISGS") == sorted(JNIM_ISGS_2020)
    assert ids(data, "start=2020-01-01&end=2020-12-31&vs=ISGS,JNIM") == sorted(JNIM_ISGS_2020)
    # "either family involved" is far more than the dyad
    assert len(ids(data, "start=2020-01-01&end=2020-12-31&group=JNIM,ISGS")) > len(JNIM_ISGS_2020)
    assert ids(data, "vs=JNIM,State forces") == ["acled:BF2", "acled:ML5", "ucdp:BF1"]
    assert ids(data, "vs=JNIM") == ids(data, "")  # half a dyad filters nothing yet


def test_disagree_flag_selects_incidents_whose_reports_differ(data):
    assert ids(data, "disagree=1") == sorted(DISAGREE)
    assert View.from_query("disagree=1")[0].to_query() == "disagree=1"
    assert View.from_query("disagree=0")[0] == View()
    assert View.from_query("disagree=maybe")[1] == ["disagree: 'maybe' is not 1 or 0; ignored"]


def test_region_names_match_without_accents_or_case(data):
    menaka = ids(data, "admin1=Ménaka")
    assert len(menaka) == 6
    assert ids(data, "admin1=Menaka") == ids(data, "admin1=MENAKA") == menaka
    assert ids(data, "admin1=menaka,seno") == sorted([*menaka, "ucdp:BF5"])
    assert ids(data, "q=menaka") == ids(data, "q=Ménaka")


def test_coverage_is_known_per_dataset_and_country(data):
    spans = data.coverage.set_index(["dataset", "country_iso2"])
    assert spans.loc[("acled", "ML"), "last"] == datetime.date.fromisoformat(ACLED_ENDS)
    assert spans.loc[("ucdp", "BF"), "first"] == datetime.date(2016, 1, 15)
    assert ("ucdp", "ML") not in spans.index


def test_coverage_note_names_datasets_starting_or_ending_inside_the_window(data):
    view = View.from_query("start=2019-01-01&end=2022-12-31")[0]
    gaps = {g["dataset"]: g for g in coverage_gaps(data, view)}
    assert gaps["acled"]["ends_inside"] and gaps["acled"]["starts_inside"]
    assert gaps["ucdp"]["missing"] == ["ML", "NE"]
    text = coverage_text(coverage_gaps(data, view))
    assert f"ACLED starts 2019-03-02, ends {ACLED_ENDS}" in text
    assert "UCDP GED ends 2022-06-11, has no events for ML, NE" in text
    # a window inside ACLED's span, in Mali only: nothing starts or ends, nothing is missing
    quiet = View.from_query("start=2019-06-01&end=2020-06-01&country=ML&dataset=acled")[0]
    assert coverage_text(coverage_gaps(data, quiet)) == ""


def test_export_carries_reports_and_the_disagree_flag(data):
    rows = export_rows(data, View.from_query("disagree=1")[0]).set_index("event_id")
    assert rows.loc["acled:ML3", "reports"] == 2 and rows.loc["acled:ML3", "report_datasets"] == "acled, curated"
    assert rows.loc["ucdp:BF2", "report_datasets"] == "acled, ucdp"
    assert set(rows["sources_disagree"]) == {1}
    alone = export_rows(data, View()).set_index("event_id").loc["ucdp:BF5"]
    assert (alone["reports"], alone["report_datasets"], alone["sources_disagree"]) == (1, "ucdp", 0)


def test_vs_csv_has_exactly_the_dyad(data):
    view = View.from_query("start=2020-01-01&end=2020-12-31&vs=JNIM,ISGS")[0]
    table = list(csv.DictReader(io.StringIO("".join(iter_csv(data, view)))))
    assert sorted(r["event_id"] for r in table) == sorted(JNIM_ISGS_2020)
    assert all({r["group1"], r["group2"]} == {"JNIM", "ISGS"} for r in table)


def test_file_name_carries_every_filter(data):
    view = View.from_query("start=2019-01-01&end=2020-12-31&admin1=Ménaka&min_fatalities=10&vs=JNIM,ISGS"
                           "&disagree=1&colour=type")[0]
    assert export_filename(view, "csv", data) == (
        "sahel-events_2019-01-01_2020-12-31_admin1-Menaka_vs-ISGS+JNIM_min_fatalities-10_disagree-1.csv")
    odd = View.from_query("q=a/b \\ c:*?&bbox=-5,10,2,16")[0]
    name = export_filename(odd, "geojson")
    assert name == "sahel-events_all_q-a-b-c_bbox--5+10+2+16.geojson"
    assert len(export_filename(View(q="x" * 200, admin1=tuple("r" * 3)), "csv")) <= 204


def test_cli_export_vs_flag_writes_the_dyad(tmp_path):
    store = write_dyad_store(tmp_path / "events.parquet")
    out = tmp_path / "dyad.csv"
    done = subprocess.run([sys.executable, "-m", "dashboard", "export", "--store", str(store), "--out", str(out),
                           "--start", "2020-01-01", "--end", "2020-12-31", "--vs", "ISGS,JNIM"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["event_id"] for r in table) == sorted(JNIM_ISGS_2020)
    assert "wrote 6 events" in done.stderr and "vs-ISGS+JNIM" in done.stderr
    bad = subprocess.run([sys.executable, "-m", "dashboard", "export", "--store", str(store), "--out", "-",
                          "--vs", "JNIM,Nobody"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "'Nobody' is not a known actor family" in bad.stderr


def test_timeline_shades_what_each_systematic_source_does_not_cover(data):
    from dashboard.render.parts import timeline_for

    spans = uncovered_spans(data, View())
    assert ("ACLED", datetime.date(2020, 8, 2), datetime.date(2022, 6, 11)) in spans
    assert ("ACLED", datetime.date(2016, 1, 15), datetime.date(2019, 3, 1)) in spans
    assert ("UCDP GED", datetime.date(2016, 1, 15), datetime.date(2022, 6, 11)) not in spans  # UCDP spans it all
    assert not any(name == "curated" for name, _, _ in spans)  # picked events have no coverage to speak of
    figure = timeline_for(data, View())
    shaded = {(s.name, s.x0, s.x1) for s in figure.layout.shapes}
    assert ("no ACLED", "2020-08-02", "2022-06-12") in shaded
    assert "no ACLED" in {a.text for a in figure.layout.annotations}
    only_ucdp = timeline_for(data, View(dataset=("ucdp",)))
    assert not only_ucdp.layout.shapes


def test_map_legend_entries_name_the_filter_a_click_sets(data):
    from dashboard.render.figures import map_figure

    for colour, expected in (("actor", {"JNIM": "JNIM", "ISGS": "ISGS"}), ("dataset", {"ACLED": "acled",
                                                                                        "UCDP GED": "ucdp"})):
        figure = map_figure(data.frame, View(colour=colour), None)
        filters = {t.name: t.meta["filter"] for t in figure.data if t.showlegend and t.meta}
        assert expected.items() <= filters.items()
        # every filter value a legend click would set is one the address accepts
        param = {"actor": "group", "dataset": "dataset"}[colour]
        for value in filters.values():
            assert View.from_query({param: value})[1] == []


def test_a_dataset_of_one_day_is_said_once(data):
    view = View.from_query("start=2019-01-01&end=2022-12-31")[0]
    assert "Curated (Wikipedia) starts and ends 2020-02-14" in coverage_text(coverage_gaps(data, view))


def test_clash_rings_of_a_large_view_answer_hover_with_their_name_only(data, monkeypatch):
    from dashboard.render import figures

    monkeypatch.setattr(figures, "FULL_HOVER_POINTS", 0)  # as if the view had more events than full hovers allow
    rings = [t for t in figures.map_figure(data.frame, View(), None).data if t.name == figures.CLASH_LABEL]
    assert rings[0].hovertemplate == f"{figures.CLASH_LABEL}<extra></extra>" and rings[0].customdata is None
    assert rings[0].text is None and rings[1].hoverinfo == "skip"


def test_region_names_are_spelled_as_the_data_spells_them_for_the_controls(data):
    from dashboard.page import ids
    from dashboard.page.opening import address_props

    view = data.canonical(View.from_query("admin1=menaka,SENO,Atlantis")[0])
    assert view.admin1 == ("Atlantis", "Ménaka", "Séno")
    props = address_props(data, view, [], "v1")
    assert props[("f-admin1", "value")] == ["Atlantis", "Ménaka", "Séno"]
    assert {"label": "Ménaka", "value": "Ménaka", "search": "Ménaka menaka"} in props[("f-admin1", "options")]
    assert props[(ids.MESSAGES, "children")] == []
