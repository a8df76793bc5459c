"""Geographic facts written once: the great-circle distance, the CRS, our countries and their vocabulary.

Numpy and the standard library only: the warm geocoder imports this without pandas or geopandas. Every distance
takes (latitude, longitude) pairs in that order, in degrees, and answers in kilometres on a sphere of the mean
Earth radius.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EARTH_KM = 6371.0088  # mean Earth radius (IUGG), km
CRS = "EPSG:4326"  # every geometry we store and draw: longitude/latitude on WGS 84
# Metric CRS for distances in the region (equidistant conic, standard parallels 10N and 20N: < 1% error).
METRIC_CRS = "+proj=eqdc +lat_0=15 +lat_1=10 +lat_2=20 +lon_0=0 +datum=WGS84 +units=m +no_defs"

# The three countries the atlas is about, and the neighbours whose border areas it also covers.
FOCUS = ("ML", "BF", "NE")
NEIGHBOURS = ("MR", "DZ", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "TD", "LY")


def distances_km(lat1: object, lon1: object, lat2: object, lon2: object) -> np.ndarray:
    """Great-circle (haversine) distances in km between two sets of points, element-wise (numpy broadcasting)."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (the scalar form of :func:`distances_km`)."""
    return float(distances_km(lat1, lon1, lat2, lon2))


@dataclass(frozen=True)
class Country:
    """A country our boundaries or texts name: ISO 3166 codes, English name, and the words that name it.

    ``words``: names and adjectives, English and French, as :func:`geodata.names.normalise_words` spells them
    (lower case, no accents), for border and region phrases ("the Malian-Mauritanian border").
    """

    iso2: str
    numeric: int
    name: str
    words: tuple[str, ...]


_TABLE = (
    Country("ML", 466, "Mali", ("mali", "malian", "malien", "malienne")),
    Country("BF", 854, "Burkina Faso", ("burkina faso", "burkina", "burkinabe", "burkinabes")),
    Country("NE", 562, "Niger", ("niger", "nigerien", "nigerienne")),
    Country("MR", 478, "Mauritania", ("mauritania", "mauritanie", "mauritanian", "mauritanien")),
    Country("DZ", 12, "Algeria", ("algeria", "algerie", "algerian", "algerien")),
    Country("SN", 686, "Senegal", ("senegal", "senegalese", "senegalais")),
    Country("GN", 324, "Guinea", ("guinea", "guinee", "guinean", "guineen", "guinea conakry")),
    Country("CI", 384, "Côte d'Ivoire", ("cote divoire", "cote d ivoire", "ivory coast", "ivorian", "ivoirien")),
    Country("GH", 288, "Ghana", ("ghana", "ghanaian", "ghaneen")),
    Country("TG", 768, "Togo", ("togo", "togolese", "togolais")),
    Country("BJ", 204, "Benin", ("benin", "beninese", "beninois")),
    Country("NG", 566, "Nigeria", ("nigeria", "nigerian")),
    Country("TD", 148, "Chad", ("chad", "chadian", "tchad", "tchadien")),
    Country("LY", 434, "Libya", ("libya", "libye", "libyan", "libyen")),
    # Not in our boundaries, listed so "Guinea-Bissau" is not read as Guinea.
    Country("GW", 624, "Guinea-Bissau", ("guinea bissau", "guinee bissau")),
)
COUNTRIES: dict[str, Country] = {country.iso2: country for country in _TABLE}
COUNTRY_NAMES: dict[str, str] = {iso: country.name for iso, country in COUNTRIES.items()}
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {iso: country.words for iso, country in COUNTRIES.items()}
