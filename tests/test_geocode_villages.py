"""The village tier (data/places_villages.csv): sourced points, in their country, found by the geocoder, off the map."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geodata.places.boundaries import Boundaries
from geodata.places.gazetteer import SUPPLEMENT_CSV, VILLAGE_PREFIX, VILLAGES_CSV, Gazetteer
from geodata.places.geocode import Geocoder
from geodata.rebuild.basemap import towns
from tests.fixtures.places import km_between

VILLAGES = pd.read_csv(VILLAGES_CSV, dtype="string", keep_default_na=False)


def test_every_village_row_is_sourced_and_carries_its_own_point() -> None:
    assert len(VILLAGES) >= 15
    assert VILLAGES["source_url"].str.match(r"https?://\S+$").all(), VILLAGES.loc[
        ~VILLAGES["source_url"].str.match(r"https?://\S+$"), "name"].tolist()
    assert (VILLAGES["source"].str.len() > 10).all()
    assert VILLAGES["kind"].isin(["village", "commune", "camp"]).all()
    assert VILLAGES["country_iso2"].isin(["ML", "BF", "NE"]).all()
    assert VILLAGES["geo_precision"].isin(["1", "2"]).all()
    # Each point was read off the page (no GeoNames fallback), and each name appears once.
    assert (VILLAGES["latitude"] != "").all() and (VILLAGES["longitude"] != "").all()
    assert not VILLAGES["name"].duplicated().any()
    # A village is not listed twice across the two curated files.
    supplement = pd.read_csv(SUPPLEMENT_CSV, dtype="string", keep_default_na=False)
    assert not set(VILLAGES["name"]) & set(supplement["name"])


def test_every_village_lies_in_its_country(boundaries: Boundaries) -> None:
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(VILLAGES["longitude"].astype(float), VILLAGES["latitude"].astype(float)),
        crs="EPSG:4326",
    )
    joined = boundaries.join(points)
    wrong = VILLAGES.loc[joined["country_iso2"].to_numpy() != VILLAGES["country_iso2"].to_numpy(), "name"]
    assert wrong.empty, wrong.tolist()


@pytest.mark.parametrize(
    ("spelling", "country", "name"),
    [
        ("Sagho", "BF", "Sagho"),
        ("Guendbila", "BF", "Guiendbila"),
        ("Foubé", "BF", "Foubé"),
        ("Dioura", "ML", "Dioura"),
        ("Toguéré Koumbé", "ML", "Toguéré Coumbé"),
        ("Tamou", "NE", "Tamou"),
        ("Bollé", "BF", "Bollé"),
        ("Tougue-Peulh", "BF", "Tougué-Peulh"),
        ("Simiri", "NE", "Simiri"),
        ("Kouré", "NE", "Kouré"),
        ("Dantiandou", "NE", "Dantchandou"),
        ("Bambeye", "NE", "Bambeye"),
        ("Raz-El-Ma", "ML", "Raz-El-Ma"),
        ("Markoye", "BF", "Markoye"),
        ("Kokri", "ML", "Kokry"),
        ("Socoura", "ML", "Socoura"),
        ("Zimtenga", "BF", "Zimtanga"),
        ("Matiakoali", "BF", "Matiacoali"),
        ("Tougo", "BF", "Tougo"),
        ("Nagbingou", "BF", "Nagbingou"),
    ],
)
def test_villages_geocode_to_their_sourced_point(geocoder: Geocoder, spelling: str, country: str, name: str) -> None:
    row = VILLAGES[VILLAGES["name"] == name].iloc[0]
    for hint in (country, None):
        result = geocoder.geocode(spelling, country=hint)
        assert result.country_iso2 == country
        assert km_between(result.latitude, result.longitude, float(row["latitude"]), float(row["longitude"])) < 1.0
        assert result.geo_precision == 1
        assert row["source_url"] in result.source


def test_the_village_tier_stays_off_the_basemap_and_can_be_left_out() -> None:
    places = Gazetteer.load().places
    village_ids = places.index[places.index.str.startswith(VILLAGE_PREFIX)]
    assert len(village_ids) == len(VILLAGES)
    labels = {feature["properties"]["name"] for feature in towns(places)["features"]}
    assert not labels & set(VILLAGES["name"])
    assert "Djibo" in labels
    without = Gazetteer.load(villages=None).places
    assert not without.index.str.startswith(VILLAGE_PREFIX).any()
    assert len(without) == len(places) - len(VILLAGES)


def test_moura_is_its_own_village_not_its_cercle_seat(geocoder: Geocoder) -> None:
    """Moura (the 2022 massacre) lies about 47 km from Djenné, the cercle seat it was once placed at."""
    moura, djenne = geocoder.geocode("Moura", country="ML"), geocoder.geocode("Djenné", country="ML")
    assert moura.geo_precision == 1
    assert km_between(moura.latitude, moura.longitude, djenne.latitude, djenne.longitude) > 30
