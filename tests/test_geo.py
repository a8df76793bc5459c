"""The one great-circle distance and the one country table (geodata.geo)."""

from __future__ import annotations

import numpy as np
import pytest

from geodata import geo, schema
from geodata.names import normalise_words


def test_the_distance_matches_known_city_pairs() -> None:
    # Bamako (12.6392 N, 8.0029 W) to Ouagadougou (12.3714 N, 1.5197 W): about 704 km by the great circle.
    assert geo.distance_km(12.6392, -8.0029, 12.3714, -1.5197) == pytest.approx(704.3, abs=1.0)
    # One degree of longitude at 60 N is half a degree at the equator: latitude comes first.
    assert geo.distance_km(60.0, 0.0, 60.0, 1.0) == pytest.approx(geo.distance_km(0.0, 0.0, 0.0, 1.0) / 2, rel=1e-3)
    assert geo.distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(2 * np.pi * geo.EARTH_KM / 360)


def test_scalar_and_vectorised_forms_agree_and_are_symmetric() -> None:
    rng = np.random.default_rng(7)
    lat1, lat2 = rng.uniform(5, 25, 50), rng.uniform(5, 25, 50)
    lon1, lon2 = rng.uniform(-15, 15, 50), rng.uniform(-15, 15, 50)
    many = geo.distances_km(lat1, lon1, lat2, lon2)
    one_by_one = [geo.distance_km(*row) for row in zip(lat1, lon1, lat2, lon2, strict=True)]
    np.testing.assert_allclose(many, one_by_one)
    np.testing.assert_allclose(many, geo.distances_km(lat2, lon2, lat1, lon1))
    assert geo.distances_km(lat1, lon1, lat1, lon1).max() == 0.0
    assert geo.distance_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(np.pi * geo.EARTH_KM)  # antipodes: no NaN


def test_the_country_table_covers_our_countries_and_its_words_are_unambiguous() -> None:
    assert set(schema.COUNTRIES) <= set(geo.COUNTRIES)
    assert geo.COUNTRY_NAMES["BF"] == "Burkina Faso" and geo.COUNTRIES["ML"].numeric == 466
    words = [word for country in geo.COUNTRIES.values() for word in country.words]
    assert len(words) == len(set(words)), "a word names two countries"
    for country in geo.COUNTRIES.values():
        assert all(normalise_words(word) == word for word in country.words), country.iso2
        assert normalise_words(country.name) in country.words, country.iso2
