"""Issue 21, real-data loose ends: numeric ACLED dates, Lake Chad jihadists, older admin units, disputed
attribution and the command line's header cap, on files of our own making laid out like the real ones."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.callbacks.card import card_content
from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.page.layout import _colour_legends
from dashboard.render.card import event_card
from dashboard.render.export import export_rows
from dashboard.render.figures import FAMILY_COLOURS
from geodata import actors, incidents, schema, store
from geodata.importers import HeaderTooWideError, read_acled
from geodata.importers.common import MAX_COLUMNS
from geodata.places.boundaries import admin_lineage, difference_lines, source_differences
from geodata.schema import GROUPS
from tests.fixtures.commands import geodata

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
# Laid out like the World Bank's ACLED re-export for Niger (day, month, year columns; event_date 15-05-2024; no
# iso, timestamp or assoc_actor columns); rows, ids and notes are ours.
NIGER = FIXTURES / "acled_niger_dayfirst.csv"
# The same layout without day and month columns and with days 1-12 only: nothing shows which comes first.
AMBIGUOUS = FIXTURES / "acled_niger_ambiguous.csv"
SUMMARY = re.compile(r"^read (\d+), kept (\d+), updated (\d+), duplicates (\d+), quarantined (\d+)$", re.M)


@pytest.fixture(scope="module")
def niger(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The Niger-style file imported by the command line into a fresh store."""
    path = tmp_path_factory.mktemp("niger") / "events.parquet"
    return geodata("import", "acled", str(NIGER), "--store", str(path), "--no-progress"), path


def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, ...]:
    match = SUMMARY.search(result.stdout)
    assert match, result.stdout + result.stderr
    read, kept, updated, duplicates, quarantined = map(int, match.groups())
    assert read == kept + updated + duplicates + quarantined
    return read, kept, updated, duplicates, quarantined


# ------------------------------------------------------------------------------------- 1. numeric dates


def test_the_niger_layout_imports_with_its_day_first_dates(niger):
    result, path = niger
    assert result.returncode == 0, result.stderr
    assert counts(result) == (33, 32, 0, 0, 1)
    assert "event_date is numeric ('15-05-2024'): read day-first as the file shows" in result.stderr
    events = store.read_store(path).set_index("event_id")
    raw = pd.read_csv(NIGER, dtype=str).set_index("event_id_cnty")
    kept = raw.loc[[i.removeprefix("acled:") for i in events.index]]
    # every day read as the day, including days 1-12: never as a month
    expected = pd.to_datetime(kept["year"] + "-" + kept["month"] + "-" + kept["day"]).to_numpy()
    assert (events["date_start"].to_numpy() == expected).all()
    assert events.loc["acled:NIRF0001", "date_start"] == pd.Timestamp("2024-05-15")
    assert events.loc["acled:NIRF0002", "date_start"] == pd.Timestamp("2024-05-03")  # 03-05: 3 May, not 5 March
    assert events.loc["acled:NIRF0003", "date_start"] == pd.Timestamp("2019-01-04")
    # post-2022 names keep their families
    assert events.loc["acled:NIRF0001", ["group1", "group2"]].tolist() == ["ISGS", "State forces"]
    assert events.loc["acled:NIRF0032", "group2"] == "Wagner Group"


def test_a_date_in_another_year_than_its_year_column_is_quarantined_naming_file_row_and_field(niger):
    result, path = niger
    quarantine = pd.read_csv(path.with_name("events.quarantine.csv"), dtype=str)
    assert quarantine["event_id_cnty"].tolist() == ["NIRF0033"]
    row = quarantine.iloc[0]
    assert row["source_file"] == NIGER.name and row["source_row"] == "33"
    assert row["reason"] == "event_date: '20-02-2024' is in 2024 but the year column says 2023"
    assert f"{NIGER.name} row 33: event_date:" in result.stderr


def test_the_file_without_day_and_month_columns_is_still_read_day_first(tmp_path):
    plain = tmp_path / "no_day_month.csv"
    pd.read_csv(NIGER, dtype=str, keep_default_na=False).drop(columns=["day", "month"]).to_csv(plain, index=False)
    parsed = read_acled(plain, progress=False)
    assert parsed.problems.tolist() == ["event_date: '20-02-2024' is in 2024 but the year column says 2023"]
    assert parsed.events.loc[2, "date_start"] == pd.Timestamp("2024-05-03")
    assert parsed.events.loc[1, "date_start"] == pd.Timestamp("2024-05-15")


def test_month_first_files_are_read_month_first(tmp_path):
    raw = pd.read_csv(NIGER, dtype=str, keep_default_na=False).drop(columns=["day", "month"])
    parts = raw["event_date"].str.split("-", expand=True)
    raw["event_date"] = parts[1] + "/" + parts[0] + "/" + parts[2]
    flipped = tmp_path / "month_first.csv"
    raw.to_csv(flipped, index=False)
    parsed = read_acled(flipped, progress=False)
    assert parsed.events.loc[1, "date_start"] == pd.Timestamp("2024-05-15")
    assert parsed.events.loc[2, "date_start"] == pd.Timestamp("2024-05-03")
    assert any("read month-first as the file shows" in notice for notice in parsed.notices)


def test_an_ambiguous_file_quarantines_only_the_rows_it_cannot_read(tmp_path):
    store_path = tmp_path / "events.parquet"
    result = geodata("import", "acled", str(AMBIGUOUS), "--store", str(store_path), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert counts(result) == (8, 1, 0, 0, 7)
    kept = store.read_store(store_path)
    assert kept["event_id"].tolist() == ["acled:NIRA0011"]  # 07-07-2023 reads the same either way
    assert kept["date_start"].tolist() == [pd.Timestamp("2023-07-07")]
    quarantine = pd.read_csv(store_path.with_name("events.quarantine.csv"), dtype=str)
    assert quarantine["source_row"].tolist() == ["1", "2", "3", "4", "5", "7", "8"]
    assert (quarantine["source_file"] == AMBIGUOUS.name).all()
    assert quarantine["reason"].str.startswith("event_date: '").all()
    assert quarantine["reason"].str.contains("could be day-first or month-first").all()


def test_day_and_month_columns_that_fit_neither_order_are_a_problem(tmp_path):
    raw = pd.read_csv(NIGER, dtype=str, keep_default_na=False)
    raw.loc[1, "day"] = "4"  # row 2 says 03-05-2024
    odd = tmp_path / "odd.csv"
    raw.to_csv(odd, index=False)
    parsed = read_acled(odd, progress=False)
    assert parsed.problems.loc[2] == "event_date: '03-05-2024' is not day 4, month 5 in either order, as the day " \
        "and month columns say"
    assert pd.isna(parsed.events.loc[2, "date_start"])


# ------------------------------------------------------------------------------------- 2. Lake Chad jihadists

LAKE_CHAD = "Lake Chad jihadists"


def test_every_boko_haram_and_iswap_row_is_in_its_own_family(niger):
    _, path = niger
    events = store.read_store(path)
    lake_chad_names = events["actor1"].str.contains("Boko Haram|ISWAP|Lake Chad", regex=True)
    assert lake_chad_names.sum() == 11
    assert (events.loc[lake_chad_names, "group1"] == LAKE_CHAD).all()
    pairs = events["actor1"].str.contains(" and/or ")
    assert (events.loc[pairs & lake_chad_names, "group1_alt"] == LAKE_CHAD).all()
    assert events.loc[events["actor2"].str.contains("ISWAP").fillna(False), "group2"].eq(LAKE_CHAD).all()
    # the Sahel branch's names stay ISGS, the West Africa "Greater Sahara Faction" included
    sahel = events["actor1"].str.contains(r"Sahel|Greater Sahara", regex=True)
    assert sahel.sum() == 10 and (events.loc[sahel, "group1"] == "ISGS").all()
    # Other is left to protesters, rioters and unidentified gunmen
    assert set(events.loc[events["group1"].eq("Other"), "actor1"]) == {
        "Protesters (Niger)", "Unidentified Armed Group (Niger)", "Rioters (Niger)"}


def test_a_branchless_islamic_state_name_takes_its_family_from_where_the_event_is():
    frame = pd.DataFrame({
        "actor1": ["Islamic State West Africa Province (ISWAP)", "Islamic State West Africa Province (ISWAP)", "IS",
                   "IS", "Islamic State (West Africa) - Lake Chad Faction", "Islamic State (Sahel)",
                   "JNIM and/or Islamic State West Africa Province"],
        "actor2": ["Civilians (Niger)", None, "Government of Niger", "Government of Niger", None, None, None],
        "longitude": [1.45, 12.6, 13.3, 1.2, 2.0, 13.0, 1.5],
    })  # fmt: skip
    frame["group1"] = actors.family(frame["actor1"])
    frame["group2"] = actors.family(frame["actor2"])
    frame["group1_alt"] = actors.alternative_families(frame["actor1"])
    out = actors.regional_families(frame)
    # an ISWAP claim of a Tillaberi attack is the Sahel branch; UCDP's "IS" in Diffa is the Lake Chad branch
    assert out["group1"].tolist() == ["ISGS", LAKE_CHAD, LAKE_CHAD, "ISGS", LAKE_CHAD, "ISGS", "JNIM"]
    assert out["group1_alt"].tolist()[-1] == "ISGS"
    assert out.loc[[0, 2], "group2"].tolist() == ["Civilians", "State forces"] and pd.isna(out.loc[1, "group2"])


def _linear(colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# Machado, Oliveira & Fernandes (2009) full-severity simulation matrices, applied in linear RGB.
CVD = {
    "normal vision": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}  # fmt: skip


def test_the_lake_chad_colour_stays_distinct_from_every_family_under_colour_blindness():
    from dashboard.render.figures import CLASH_RING

    assert tuple(FAMILY_COLOURS) == GROUPS and LAKE_CHAD in GROUPS
    others = {f: c for f, c in FAMILY_COLOURS.items() if f != LAKE_CHAD} | {"clash ring": CLASH_RING[1][0]}
    ours = FAMILY_COLOURS[LAKE_CHAD]
    for vision, matrix in CVD.items():
        for family, colour in others.items():
            distance = np.linalg.norm(_lab(matrix @ _linear(ours)) - _lab(matrix @ _linear(colour)))
            # CIE76 distance of 20 is an obvious difference (the Okabe-Ito palette's own closest pair is 8.5)
            assert distance >= 20, (vision, family, distance)


def test_the_family_is_in_the_legend_the_filter_and_the_export(niger):
    _, path = niger
    legend = str(_colour_legends())
    assert LAKE_CHAD in legend and FAMILY_COLOURS[LAKE_CHAD] in legend
    data = EventData.load(path)
    assert LAKE_CHAD in data.options()["group"]
    view, messages = View.from_query("group=Lake Chad jihadists")
    assert messages == [] and view.group == (LAKE_CHAD,)
    rows = export_rows(data, view)
    assert len(rows) == 11 and ((rows["group1"] == LAKE_CHAD) | (rows["group2"] == LAKE_CHAD)).all()


# ------------------------------------------------------------------------------------- 3. older admin units


def test_the_report_tells_older_units_from_real_differences(tmp_path):
    raw = pd.read_csv(NIGER, dtype=str, keep_default_na=False)
    raw.loc[raw["event_id_cnty"] == "NIRF0013", "admin2"] = "Tera"  # an Ouallam point the source puts in Téra
    edited = tmp_path / "niger_edited.csv"
    raw.to_csv(edited, index=False)
    store_path = tmp_path / "events.parquet"
    result = geodata("import", "acled", str(edited), "--store", str(store_path), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert ("admin-2 differs for 1 of 32 events (3.1%): Ouallam for Tera 1; source uses older units for 5 (15.6%): "
            "Ayérou for Tillaberi 2, ") in result.stdout
    report = pd.read_csv(store_path.with_name("events.admin1-disagreements.csv"), dtype=str).set_index("event_id")
    assert list(report.columns[:3]) == ["location", "kinds", "relation"]
    assert report.loc["acled:NIRF0013", "relation"] == "differs"
    older = report.index[report["relation"] == "older unit"]
    assert sorted(older) == ["acled:NIRF0008", "acled:NIRF0009", "acled:NIRF0010", "acled:NIRF0026", "acled:NIRF0027"]
    assert report.loc[older, "source_admin2"].tolist() == ["Tillaberi", "Say", "Filingue", "Diffa", "Tillaberi"]


def test_menaka_for_gao_is_an_older_unit_and_a_unit_it_never_contained_differs():
    frame = pd.DataFrame({
        "event_id": ["a", "b", "c", "d"],
        "location": ["Menaka", "Anderamboukane", "Gao", "Bosso"],
        "country_iso2": ["ML", "ML", "ML", "NE"],
        "admin1": ["Ménaka", "Ménaka", "Gao", "Diffa"],
        "admin2": ["Menaka", "Menaka", "Gao", "Bosso"],
        "source_country_iso2": ["ML", "ML", "ML", "NE"],
        "source_admin1": ["Gao", "Kidal", "Ménaka", "Diffa"],
        "source_admin2": ["Menaka", "Anderamboukane", "Menaka", "N'Guigmi"],
    })  # fmt: skip
    report = source_differences(frame).set_index("event_id")
    # Ménaka region was carved out of Gao: naming Gao is older; the reverse, Kidal, or the wrong department differ
    assert report["relation"].to_dict() == {"a": "older unit", "b": "differs", "c": "differs", "d": "differs"}
    lines = difference_lines(frame, report.reset_index())
    assert lines[0] == ("admin-1 differs for 2 of 4 events (50.0%): Ménaka for Kidal 1, Gao for Ménaka 1; "
                        "source uses older units for 1 (25.0%): Ménaka for Gao 1")


def test_the_lineage_names_units_of_our_frame_and_has_a_source_for_each_row():
    from geodata.places.boundaries import Boundaries, admin_key

    table = pd.read_csv(REPO / "geodata" / "data" / "admin_lineage.csv", dtype=str)
    assert table["source"].str.startswith("https://").all()
    units = Boundaries.load(None, None).units
    ours = {(c, admin_key(n)) for c, n in zip(units["country_iso2"], units["admin2"], strict=True)}
    ours |= {(c, admin_key(n)) for c, n in zip(units["country_iso2"], units["admin1"], strict=True)}
    for row in table.itertuples():
        assert (row.country_iso2, admin_key(row.newer)) in ours, row.newer
    assert ("NE", 2, "diffa", "bosso") in admin_lineage() and ("ML", 1, "gao", "menaka") in admin_lineage()


# ------------------------------------------------------------------------------------- 4. disputed attribution

LABELLED = FIXTURES / "incidents"
GASSILIKI_NOTE = "sources differ on the perpetrator: JNIM (UCDP); ISGS/Ansarul Islam (ACLED)"


@pytest.fixture(scope="module")
def gassiliki(tmp_path_factory) -> Path:
    """The issue's pair as two one-row exports (our rows, in the labelled fixtures' layout), imported in turn."""
    folder = tmp_path_factory.mktemp("gassiliki")
    acled = pd.read_csv(LABELLED / "acled.csv", dtype=str, keep_default_na=False).head(1)
    acled = acled.assign(event_id_cnty="BFO1368", latitude="13.9705", longitude="-0.8625", fatalities="12",
                         actor1="Islamic State (Greater Sahara) and/or Ansaroul Islam")
    ucdp = pd.read_csv(LABELLED / "ucdp.csv", dtype=str, keep_default_na=False).head(1)
    ucdp = ucdp.assign(id="276714", latitude="13.972", longitude="-0.861", best="12", low="12", high="12")
    path = folder / "events.parquet"
    for kind, frame in (("acled", acled), ("ucdp", ucdp)):
        frame.to_csv(folder / f"{kind}.csv", index=False)
        result = geodata("import", kind, str(folder / f"{kind}.csv"), "--store", str(path), "--no-progress")
        assert result.returncode == 0, result.stderr
    return path


def test_the_gassiliki_pair_is_one_incident_marked_with_the_disputed_perpetrator(gassiliki):
    events = store.read_store(gassiliki).set_index("event_id")
    pair = events.loc[["acled:BFO1368", "ucdp:276714"]]
    assert pair["group1"].tolist() == ["ISGS", "JNIM"] and pair["group1_alt"].iloc[0] == "Ansarul Islam"
    assert pair["incident_id"].nunique() == 1 and (pair["incident_size"] == 2).all()
    assert pair["incident_note"].tolist() == [GASSILIKI_NOTE, GASSILIKI_NOTE]
    # counted once
    assert incidents.summary_lines(events.reset_index())[0] == "events 2, incidents 1, multi-source incidents 1"
    report = pd.read_csv(gassiliki.parent / "events.incidents.csv")
    assert list(report.columns) == [
        "incident_id", "incident_size", "datasets", "members", "score", "incident_note", "why",
    ]
    assert report["incident_note"].iloc[0] == GASSILIKI_NOTE
    assert "perpetrators differ, same victims and toll" in report["why"].iloc[0]


def test_the_event_card_shows_the_note(gassiliki):
    card = str(card_content(EventData.load(gassiliki), "ucdp:276714"))
    assert GASSILIKI_NOTE in card and "Reports of this incident (2)" in card
    assert "sources differ" not in str(event_card({"event_id": "acled:X", "incident_note": None}))


def _pair(**changes) -> pd.DataFrame:
    base = {"date_start": "2019-01-10", "date_end": "2019-01-10", "geo_precision": 1, "latitude": 13.9705,
            "longitude": -0.8625, "group2": "Civilians", "fatalities": 12, "location": "Gasseliki",
            "country_iso2": "BF", "admin1": "Sahel"}
    acled = {**base, "event_id": "acled:A", "dataset": "acled", "group1": "ISGS", "group1_alt": "Ansarul Islam"}
    ucdp = {**base, "event_id": "ucdp:U", "dataset": "ucdp", "group1": "JNIM", "latitude": 13.972,
            "longitude": -0.861, **changes}
    return schema.conform(pd.DataFrame([acled, ucdp]))


@pytest.mark.parametrize("changes, one", [
    ({}, True),
    ({"fatalities": 11}, False),  # another toll
    ({"latitude": 14.0}, False),  # 3 km apart
    ({"date_start": "2019-01-11", "date_end": "2019-01-11"}, False),  # another day
    ({"group2": "State forces"}, False),  # other victims
])  # fmt: skip
def test_a_disputed_perpetrator_links_only_one_day_one_place_one_toll_one_kind_of_victim(changes, one):
    out, _ = incidents.apply(_pair(**changes))
    assert (out["incident_id"].nunique() == 1) == one
    assert bool(out["incident_note"].notna().all()) == one


def test_two_sources_each_sure_of_a_different_group_stay_two_incidents():
    frame = _pair()
    frame["group1_alt"] = pd.NA
    out, _ = incidents.apply(frame)
    assert out["incident_id"].nunique() == 2 and out["incident_note"].isna().all()


# ------------------------------------------------------------------------------------- 5. header cap


def wide_header(path: Path, columns: int) -> Path:
    """An ACLED-looking file whose header has ``columns`` columns (the real ones among them) and one row."""
    names = ["event_id_cnty", "event_date", *(f"c{i % 100}" for i in range(columns - 2))]
    path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n", encoding="utf-8")
    return path


def test_the_command_line_refuses_a_header_of_40000_columns_with_the_upload_limit(tmp_path):
    wide = wide_header(tmp_path / "wide.csv", 40_000)
    store = tmp_path / "events.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "geodata", "import", "acled", str(wide), "--store", str(store), "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "wide.csv: the header row has 40,000 columns, more than the 500" in result.stderr
    assert "nothing was imported" in result.stderr
    assert not store.exists()


@pytest.mark.parametrize("columns, refused", [(MAX_COLUMNS, False), (MAX_COLUMNS + 1, True)])
def test_the_header_cap_is_the_upload_routes_own(tmp_path, columns, refused):
    from dashboard.web import upload

    assert upload.MAX_COLUMNS == MAX_COLUMNS
    path = wide_header(tmp_path / "edge.csv", columns)
    if refused:
        with pytest.raises(HeaderTooWideError, match=f"{columns:,} columns"):
            read_acled(path, progress=False)
    else:  # not refused for its width: refused later for the ACLED columns it lacks
        with pytest.raises(ValueError, match="missing required column"):
            read_acled(path, progress=False)


def test_a_header_line_longer_than_the_byte_bound_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("event_id_cnty," + "x" * 300_000 + "\n1,2\n", encoding="utf-8")
    with pytest.raises(HeaderTooWideError, match="longer than 256 KB"):
        read_acled(path, progress=False)
